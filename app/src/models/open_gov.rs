//! 政务公开: what an editor's form sends (the rest is made on the server).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// An entry as the editor's form sends it: every field as typed (the server parses each and
/// answers a bad one next to its field). `id` empty: a new entry; `version`: the one the editor saw.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenDraft {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub publish_on: String,
    #[serde(default)]
    pub withdraw_on: String,
}

impl OpenDraft {
    /// What was typed: a refused form shows it again.
    pub fn values(&self) -> BTreeMap<String, String> {
        super::form_values(self)
    }
}
