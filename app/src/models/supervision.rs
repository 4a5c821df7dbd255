//! The supervisor's dashboard (电子监察) and statistics, as the server renders them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelCounts {
    pub normal: u64,
    pub warning: u64,
    pub overdue: u64,
}

/// One case in a dashboard list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseLine {
    pub id: i32,
    pub case_no: String,
    pub item_name: String,
    pub state: String,
    pub due_on: Option<NaiveDate>,
    /// Working days left (negative: days overdue).
    pub remaining: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordLine {
    pub id: i32,
    pub case_id: i32,
    pub case_no: String,
    pub kind: String,
    pub due_on: NaiveDate,
    pub created_on: NaiveDate,
    pub state: String,
    pub explanation: String,
    pub conclusion: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepeatLine {
    pub applicant: String,
    pub item_name: String,
    pub times: u64,
    pub last_case_id: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingLine {
    pub id: i32,
    pub case_id: i32,
    pub case_no: String,
    pub level: i16,
    pub comment: String,
    pub reason: String,
    pub follow_up_due: Option<NaiveDate>,
    pub follow_up_state: String,
    pub follow_up_note: String,
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintLine {
    pub id: i32,
    pub case_no: Option<String>,
    pub subject: String,
    pub body: String,
    pub state: String,
    pub due_on: NaiveDate,
    pub overdue: bool,
    pub answer: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunLine {
    pub at: String,
    pub millis: i64,
    pub ok: bool,
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub departments: Vec<(i32, String)>,
    pub department: i32,
    pub today: NaiveDate,
    pub levels: LevelCounts,
    pub due_today: Vec<CaseLine>,
    pub overdue: Vec<CaseLine>,
    pub records: Vec<RecordLine>,
    pub repeat_refusals: Vec<RepeatLine>,
    pub bad_ratings: Vec<RatingLine>,
    pub complaints: Vec<ComplaintLine>,
    pub audit: Option<RunLine>,
    pub sweep: Option<RunLine>,
    /// The caller may explain records and follow ratings and complaints up (the department).
    pub may_answer: bool,
    /// The caller may close records and run the audit check (电子监察).
    pub may_close: bool,
}

/// One row of the statistics table (a department, an item or a month).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatRow {
    pub key: String,
    pub label: String,
    pub submitted: u64,
    /// Refused acceptance (不予受理) in the period.
    pub not_accepted: u64,
    /// Decided (办结) in the period; the rates judge these decisions against their promised limit.
    pub closed: u64,
    pub on_time_rate: Option<f64>,
    pub early_rate: Option<f64>,
    pub same_day_rate: Option<f64>,
    pub avg_working_days: Option<f64>,
    /// Delivered in the period, and the share delivered within the delivery term.
    pub delivered: u64,
    pub delivered_on_time_rate: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statistics {
    /// `department`, `item` or `month`.
    pub by: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub department: Option<i32>,
    pub departments: Vec<(i32, String)>,
    pub rows: Vec<StatRow>,
    pub total: StatRow,
}

/// 首问负责制: one consultation as the desk lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultationLine {
    pub id: i32,
    pub asked_at: String,
    pub staff: String,
    pub asker_name: String,
    pub asker_contact: String,
    pub id_number: String,
    pub item_code: String,
    pub item_name: String,
    pub question: String,
    pub answer: String,
    pub referral: String,
    pub case_id: Option<i32>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InquiryDesk {
    pub search: String,
    pub items: Vec<(String, String)>,
    pub rows: Vec<ConsultationLine>,
}

/// What the supervision dashboard's forms ask for: the variant is the form's `action`, the fields
/// what was typed (text; the server parses the record's id and answers a bad field next to it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum SupervisionAction {
    /// The department explains an accountability record.
    Explain {
        #[serde(default)]
        id: String,
        #[serde(default)]
        text: String,
    },
    /// The supervisor closes an explained record with a conclusion.
    Close {
        #[serde(default)]
        id: String,
        #[serde(default)]
        text: String,
    },
    /// The follow-up of a bad rating (回访, 整改).
    FollowUp {
        #[serde(default)]
        id: String,
        #[serde(default)]
        state: String,
        #[serde(default)]
        text: String,
    },
    AnswerComplaint {
        #[serde(default)]
        id: String,
        #[serde(default)]
        text: String,
    },
    /// Verifies the audit chain now.
    VerifyAudit,
}

impl SupervisionAction {
    /// The record the action is about, as sent, and the text typed for it.
    pub fn target(&self) -> (&str, &str) {
        match self {
            SupervisionAction::Explain { id, text }
            | SupervisionAction::Close { id, text }
            | SupervisionAction::FollowUp { id, text, .. }
            | SupervisionAction::AnswerComplaint { id, text } => (id.trim(), text.as_str()),
            SupervisionAction::VerifyAudit => ("", ""),
        }
    }
}
