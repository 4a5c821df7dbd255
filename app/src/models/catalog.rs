use serde::{Deserialize, Serialize};

/// One catalog entry as listed on the home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemSummary {
    pub code: String,
    pub name: String,
    pub department: String,
    pub kind: rules::item::ItemKind,
    pub handling: rules::item::Handling,
    pub promised_limit: rules::TimeLimit,
    pub statutory_limit: rules::TimeLimit,
}
