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
    pub topics: Vec<String>,
}

/// The home page's catalog: the items matching the search, the topics to filter by, and the
/// most requested items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Catalog {
    pub items: Vec<ItemSummary>,
    pub topics: Vec<String>,
    pub popular: Vec<ItemSummary>,
}

/// Everything the guide page (办事指南) shows for one item, with the calendar the server uses so
/// the browser projects the same deadline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemGuide {
    pub code: String,
    pub version: i32,
    pub name: String,
    pub summary: String,
    pub department: String,
    pub rules: rules::item::ItemRules,
    pub calendar_years: Vec<i32>,
    pub calendar_days: Vec<rules::calendar::CalendarDay>,
    /// China local date on the server when the page was made.
    pub today: chrono::NaiveDate,
    /// An SVG QR code of the guide's address (to open it on a phone).
    #[serde(default)]
    pub qr_svg: String,
}

impl ItemGuide {
    pub fn calendar(&self) -> rules::Calendar {
        rules::Calendar::from_days(self.calendar_years.iter().copied(), self.calendar_days.iter().cloned())
    }
}

/// One case in the applicant's list ("my cases").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub id: i32,
    pub case_no: Option<String>,
    pub item_name: String,
    pub state: rules::CaseState,
    pub due_on: Option<chrono::NaiveDate>,
    pub warning: Option<rules::WarningLevel>,
    /// Working days left (negative when overdue).
    pub remaining: Option<i32>,
    pub updated: chrono::NaiveDate,
}

/// One line of the timeline the applicant sees (staff-internal events are never included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub day: chrono::NaiveDate,
    pub action: String,
    pub to_state: rules::CaseState,
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDetail {
    pub summary: CaseSummary,
    pub department: String,
    pub accepted_on: Option<chrono::NaiveDate>,
    pub correction_due: Option<chrono::NaiveDate>,
    pub timeline: Vec<TimelineEntry>,
    pub extras: crate::models::CaseExtras,
}
