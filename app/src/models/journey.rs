//! The applicant's journey: drafts, uploaded files, the case page's extras, ratings, the inbox and
//! the public pages (progress query, register, verification).

use chrono::NaiveDate;
use rules::materials::{Answers, ApplicantKind, FileType};
use rules::{CaseState, EventKind, Lang};
use serde::{Deserialize, Serialize};

use super::{ItemGuide, TimelineEntry};

/// One uploaded file of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileView {
    pub id: i32,
    pub material_code: String,
    pub file_name: String,
    pub size: u64,
    pub file_type: FileType,
    pub sha256: String,
}

/// The one-time correction notice as the applicant sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionView {
    pub due: Option<NaiveDate>,
    pub text: String,
}

/// A co-department's conclusion in a parallel approval, which the applicant may read [001 重庆].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoOpinionView {
    pub department: String,
    pub agree: bool,
    pub opinion: String,
    pub answered_on: NaiveDate,
}

/// The materials deferred at a 容缺 acceptance, while they are due: what is still missing, and
/// by when. Once the window confirms them all, the case has none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplementView {
    pub due: NaiveDate,
    /// The due date passed without them: the result is void.
    pub overdue: bool,
    /// (code, name) of the deferred materials with no file yet.
    pub missing: Vec<(String, String)>,
}

/// A draft (or a case awaiting correction) as its editor shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftView {
    pub case_id: i32,
    pub version: i32,
    pub state: CaseState,
    pub case_no: Option<String>,
    /// The item at the version the draft was started under.
    pub item: ItemGuide,
    /// A newer version of the item has been published since the draft was started.
    pub outdated: bool,
    pub kind: ApplicantKind,
    pub applicant_name: String,
    /// From the account, masked: 身份证号 or 统一社会信用代码, and the mobile.
    pub applicant_number: String,
    pub applicant_mobile: String,
    pub answers: Answers,
    pub files: Vec<FileView>,
    pub correction: Option<CorrectionView>,
    /// The 一件事 application a draft is one item of: it is filled in there, not here.
    pub bundle_application: Option<i32>,
}

impl DraftView {
    pub fn editable(&self) -> bool {
        matches!(self.state, CaseState::Draft | CaseState::AwaitingCorrection)
    }
}

/// What the application editor's island is given: the draft without the item's whole rule data
/// and calendar (the two dates they yield are worked out on the server), and dates as text, so
/// the browser decodes less.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditorView {
    pub case_id: i32,
    pub case_no: Option<String>,
    pub item_code: String,
    pub item_name: String,
    pub department: String,
    /// A newer version of the item has been published since the draft was started.
    pub outdated: bool,
    pub kind: ApplicantKind,
    pub applicant_name: String,
    pub applicant_number: String,
    pub applicant_mobile: String,
    pub answers: Answers,
    pub files: Vec<FileView>,
    pub materials: Vec<rules::materials::MaterialSpec>,
    pub questions: Vec<rules::item::Question>,
    /// The correction notice: its text and its last day.
    pub correction: Option<(String, Option<String>)>,
    /// If submitted today: the last day to decide on acceptance, and the promised decision date
    /// were it accepted today.
    pub acceptance_by: Option<String>,
    pub projected: Option<String>,
}

impl From<&DraftView> for EditorView {
    fn from(d: &DraftView) -> Self {
        let cal = d.item.calendar();
        EditorView {
            case_id: d.case_id,
            case_no: d.case_no.clone(),
            item_code: d.item.code.clone(),
            item_name: d.item.name.clone(),
            department: d.item.department.clone(),
            outdated: d.outdated,
            kind: d.kind,
            applicant_name: d.applicant_name.clone(),
            applicant_number: d.applicant_number.clone(),
            applicant_mobile: d.applicant_mobile.clone(),
            answers: d.answers.clone(),
            files: d.files.clone(),
            materials: d.item.rules.materials.clone(),
            questions: d.item.rules.questions.clone(),
            correction: d.correction.as_ref().map(|c| (c.text.clone(), c.due.map(|x| x.to_string()))),
            // (a filing has none: it is concluded from its receipt)
            acceptance_by: (d.item.rules.kind != rules::item::ItemKind::Filing)
                .then(|| rules::deadline::acceptance_window_end(&cal, d.item.today).ok().map(|x| x.to_string()))
                .flatten(),
            projected: d.item.projected_decision(&cal).map(|x| x.to_string()),
        }
    }
}

/// The 好差评 levels (GB/T 39735), best first. Stored as 5 … 1.
pub const RATING_LEVELS: [u8; 5] = [5, 4, 3, 2, 1];

pub fn rating_label(level: u8, lang: Lang) -> &'static str {
    match level {
        5 => lang.pick("非常满意", "非常滿意", "Very satisfied"),
        4 => lang.pick("满意", "滿意", "Satisfied"),
        3 => lang.pick("基本满意", "基本滿意", "Fairly satisfied"),
        2 => lang.pick("不满意", "不滿意", "Dissatisfied"),
        _ => lang.pick("非常不满意", "非常不滿意", "Very dissatisfied"),
    }
}

/// The two lowest levels are bad ratings: they need a reason and start a follow-up.
pub fn is_bad_rating(level: u8) -> bool {
    level <= 2
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationView {
    pub level: u8,
    pub comment: String,
    pub reason: String,
    pub follow_up_due: Option<NaiveDate>,
}

/// A result document (certificate, decision) with its verification code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultDocView {
    pub code: String,
    pub title: String,
    pub issued_on: NaiveDate,
    pub revoked: bool,
}

/// What the case page shows beyond the summary and the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CaseExtras {
    pub version: i32,
    pub submitted_on: Option<NaiveDate>,
    /// The end of the 5-working-day window in which the department must accept or ask for
    /// corrections (行政许可法 第三十二条), while the case waits for acceptance.
    pub acceptance_by: Option<NaiveDate>,
    pub files: Vec<FileView>,
    pub material_names: Vec<(String, String)>,
    pub correction: Option<CorrectionView>,
    pub fee_due: Option<NaiveDate>,
    pub results: Vec<ResultDocView>,
    /// The notices the case has made (printable at `/notices/{id}/{file}`).
    #[serde(default)]
    pub notices: Vec<super::NoticeKind>,
    /// 容缺 materials still due.
    #[serde(default)]
    pub supplement: Option<SupplementView>,
    /// The co-departments' conclusions given so far.
    #[serde(default)]
    pub co_opinions: Vec<CoOpinionView>,
    pub evaluation: Option<EvaluationView>,
    pub can_withdraw: bool,
    pub can_edit: bool,
    pub can_rate: bool,
}

/// One notification in the applicant's inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxEntry {
    pub id: i32,
    pub case_id: Option<i32>,
    pub case_no: Option<String>,
    pub kind: rules::EventKind,
    pub state: Option<CaseState>,
    pub due_on: Option<NaiveDate>,
    /// China local time, `YYYY-MM-DD HH:MM`.
    pub at: String,
    pub read: bool,
}

/// What a notification says, in the reader's language.
pub fn notification_text(e: &InboxEntry, lang: Lang) -> String {
    let no = e.case_no.clone().unwrap_or_default();
    let due = e.due_on.map(|d| d.to_string()).unwrap_or_default();
    match (e.kind, lang) {
        (EventKind::Submit | EventKind::Resubmit, Lang::ZhHans) => format!("您的申请 {no} 已提交，等待窗口受理。"),
        (EventKind::Submit | EventKind::Resubmit, Lang::ZhHant) => format!("您的申請 {no} 已提交，等待窗口受理。"),
        (EventKind::Submit | EventKind::Resubmit, Lang::En) => {
            format!("Your application {no} was submitted and awaits acceptance.")
        }
        (EventKind::Accept, Lang::ZhHans) => format!("办件 {no} 已受理，承诺办结日期 {due}。"),
        (EventKind::Accept, Lang::ZhHant) => format!("辦件 {no} 已受理，承諾辦結日期 {due}。"),
        (EventKind::Accept, Lang::En) => format!("Case {no} was accepted; decision due by {due}."),
        (EventKind::RequestCorrection, Lang::ZhHans) => format!("办件 {no} 需要补正材料，请查看一次性告知。"),
        (EventKind::RequestCorrection, Lang::ZhHant) => format!("辦件 {no} 需要補正材料，請查看一次性告知。"),
        (EventKind::RequestCorrection, Lang::En) => format!("Case {no} needs corrections: see the notice."),
        (EventKind::Decide, Lang::ZhHans) => format!("办件 {no} 已作出审批决定。"),
        (EventKind::Decide, Lang::ZhHant) => format!("辦件 {no} 已作出審批決定。"),
        (EventKind::Decide, Lang::En) => format!("A decision was made on case {no}."),
        (EventKind::Deliver, Lang::ZhHans) => format!("办件 {no} 的结果已送达。"),
        (EventKind::Deliver, Lang::ZhHant) => format!("辦件 {no} 的結果已送達。"),
        (EventKind::Deliver, Lang::En) => format!("The result of case {no} was delivered."),
        (_, lang) => {
            let state = e.state.map(|s| s.label(lang)).unwrap_or_default();
            match lang {
                Lang::ZhHans => format!("办件 {no} 状态更新：{state}"),
                Lang::ZhHant => format!("辦件 {no} 狀態更新：{state}"),
                Lang::En => format!("Case {no} is now: {state}"),
            }
        }
    }
}

/// The public progress of one case (no personal data, no comments).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressView {
    pub case_no: String,
    pub item_name: String,
    pub department: String,
    pub state: CaseState,
    /// The item is a filing (备案): its states read as filings (`CaseState::label_for`).
    #[serde(default)]
    pub filing: bool,
    pub submitted_on: Option<NaiveDate>,
    pub accepted_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub timeline: Vec<TimelineEntry>,
}

/// One line of the public register (登记台账).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerRow {
    pub case_no: String,
    pub submitted_on: NaiveDate,
    pub applicant: String,
    pub item_name: String,
    pub accepted_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub state: CaseState,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerPage {
    pub rows: Vec<LedgerRow>,
    pub page: u64,
    pub pages: u64,
    /// Published results: decided cases, newest first.
    pub results: Vec<LedgerRow>,
}

/// What `/verify/{code}` shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    pub code: String,
    pub title: String,
    pub item_name: String,
    pub holder: String,
    pub issued_on: NaiveDate,
    pub department: String,
    pub revoked: bool,
}

/// A display size: "12.3 KB", "4.0 MB".
pub fn human_size(bytes: u64) -> String {
    // Integer arithmetic: float formatting would add its machinery to the browser bundle.
    let tenths = |unit: u64| (bytes * 10 + unit / 2) / unit;
    if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes >= 1024 * 1024 {
        let t = tenths(1024 * 1024);
        format!("{}.{} MB", t / 10, t % 10)
    } else {
        let t = tenths(1024);
        format!("{}.{} KB", t / 10, t % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings() {
        assert_eq!(rating_label(5, Lang::ZhHans), "非常满意");
        assert_eq!(rating_label(1, Lang::ZhHans), "非常不满意");
        assert!(is_bad_rating(1) && is_bad_rating(2) && !is_bad_rating(3));
    }

    #[test]
    fn sizes() {
        assert_eq!(human_size(51), "51 B");
        assert_eq!(human_size(2048), "2.0 KB");
        assert_eq!(human_size(5 * 1024 * 1024), "5.0 MB");
        assert_eq!(human_size(1536), "1.5 KB");
        assert_eq!(human_size(10 * 1024 * 1024 + 1), "10.0 MB");
        assert_eq!(human_size(2 * 1024 * 1024 * 1024), "2048.0 MB");
    }
}

/// The application editor's answers form: the draft, `then` (`check` to go on to the check
/// page), and one `q_<question>` field per question.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswersForm {
    #[serde(default)]
    pub case: String,
    #[serde(default)]
    pub then: String,
    #[serde(flatten)]
    pub fields: std::collections::BTreeMap<String, String>,
}

/// A form sent as its fields, every one a string (the admin's 一件事 editor: rows of fields whose
/// names carry the row and the item).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldsForm {
    #[serde(flatten)]
    pub fields: std::collections::BTreeMap<String, String>,
}

impl AnswersForm {
    /// Question code → the option chosen.
    pub fn answers(&self) -> std::collections::BTreeMap<String, String> {
        self.fields.iter().filter_map(|(k, v)| k.strip_prefix("q_").map(|q| (q.to_string(), v.clone()))).collect()
    }
}

/// The rating form (好差评): the level (1–5), a comment, and the reason a low one must give.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingForm {
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub comment: String,
    #[serde(default)]
    pub reason: String,
}

impl RatingForm {
    pub fn values(&self) -> std::collections::BTreeMap<String, String> {
        super::form_values(self)
    }
}

/// A complaint: about a case, or (`department`) about a department's window.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintInput {
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub body: String,
}

impl ComplaintInput {
    pub fn values(&self) -> std::collections::BTreeMap<String, String> {
        let mut v = super::form_values(self);
        if self.department.is_empty() {
            v.remove("department");
        }
        v
    }
}
