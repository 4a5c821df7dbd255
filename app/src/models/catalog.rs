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
    /// the published 一件事: (code, name, summary)
    #[serde(default)]
    pub bundles: Vec<(String, String, String)>,
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

    /// The promised decision date of a case accepted today (`cal` is [`Self::calendar`]).
    pub fn projected_decision(&self, cal: &rules::Calendar) -> Option<chrono::NaiveDate> {
        rules::deadline::due_date(cal, self.today, self.rules.decision_limit(), &[], self.today).ok()
    }
}

/// One case in the applicant's list ("my cases").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub id: i32,
    pub case_no: Option<String>,
    pub item_name: String,
    pub state: rules::CaseState,
    /// The item is a filing (备案): its states read as filings (`CaseState::label_for`).
    #[serde(default)]
    pub filing: bool,
    pub due_on: Option<chrono::NaiveDate>,
    /// What `due_on` is the last day for.
    pub due_for: Option<rules::supervision::Term>,
    pub warning: Option<rules::WarningLevel>,
    /// Working days left (negative when overdue).
    pub remaining: Option<i32>,
    pub updated: chrono::NaiveDate,
    /// The 一件事 application the case is one item of (`/bundle-applications/{id}`).
    #[serde(default)]
    pub bundle: Option<i32>,
}

/// One line of the timeline the applicant sees (staff-internal events are never included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub day: chrono::NaiveDate,
    pub action: rules::EventKind,
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

/// The checklist an applicant would see for these answers (`rules::materials::checklist`) as
/// (material, status) lines, and what is wrong with the rule data (`rules::item::review_plan_problems`).
/// The item editor shows it from the server and recomputes it in the browser on every edit.
pub fn checklist_preview(
    rules: &rules::item::ItemRules,
    answers: &std::collections::BTreeMap<String, String>,
    enterprise: bool,
    lang: rules::Lang,
) -> (Vec<(String, String)>, Vec<String>) {
    use rules::materials::{checklist, Answers, ApplicantKind};
    let a: Answers = answers.clone().into_iter().collect();
    let kind = if enterprise { ApplicantKind::Enterprise } else { ApplicantKind::Person };
    let list = checklist(&rules.materials, kind, &a, &Default::default(), None);
    let name = |code: &String| {
        rules.materials.iter().find(|m| &m.code == code).map(|m| m.name.clone()).unwrap_or(code.clone())
    };
    let mut out = Vec::new();
    for c in &list.required_now {
        out.push((name(c), lang.pick("必交", "必交", "required").to_string()));
    }
    for c in &list.deferrable {
        out.push((
            name(c),
            lang.pick("必交，可容缺后补", "必交，可容缺後補", "required, may follow (容缺)").to_string(),
        ));
    }
    for c in &list.optional {
        out.push((name(c), lang.pick("选交", "選交", "optional").to_string()));
    }
    (out, rules::item::review_plan_problems(rules))
}
