//! The clerk's back office: queues and the staff view of one case.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rules::{CaseState, Lang, WarningLevel};
use serde::{Deserialize, Serialize};

use super::FileView;

/// The queues: sets of states in the caller's departments, plus "mine" (assigned to the caller),
/// "opinions" (review stages and co-department requests waiting for the caller's department) and
/// "approvals" (reviewers' requests waiting for an approver).
pub const BUCKETS: [&str; 11] = [
    "new",
    "corrections",
    "refusals",
    "review",
    "mine",
    "opinions",
    "approvals",
    "suspended",
    "decided",
    "payment",
    "delivery",
];

pub fn bucket_states(bucket: &str) -> &'static [CaseState] {
    use rules::DecisionKind::{Deny, Forward, Grant};
    use CaseState::*;
    match bucket {
        "new" => &[Submitted],
        "corrections" => &[AwaitingCorrection],
        "refusals" => &[RefusalProposed, DenialProposed],
        "review" => &[Accepted, InReview],
        "suspended" => &[Suspended],
        "decided" => &[Decided(Grant), Decided(Deny), Decided(Forward)],
        "payment" => &[AwaitingPayment],
        "delivery" => &[ReadyForDelivery],
        _ => &[],
    }
}

pub fn bucket_label(bucket: &str, lang: Lang) -> &'static str {
    match bucket {
        "new" => lang.pick("待受理", "待受理", "New submissions"),
        "corrections" => lang.pick("待补正", "待補正", "Awaiting corrections"),
        "refusals" => lang.pick("拟不予受理待批准", "擬不予受理待批准", "Refusals to approve"),
        "review" => lang.pick("审查中", "審查中", "In review"),
        "suspended" => lang.pick("已中止", "已中止", "Suspended"),
        "decided" => lang.pick("已决定", "已決定", "Decided"),
        "payment" => lang.pick("待缴费", "待繳費", "Awaiting payment"),
        "delivery" => lang.pick("待送达", "待送達", "Ready for delivery"),
        "mine" => lang.pick("分派给我", "分派給我", "Assigned to me"),
        "opinions" => lang.pick("待出具意见", "待出具意見", "Opinions requested"),
        "approvals" => lang.pick("待审批申请", "待審批申請", "Requests to approve"),
        _ => lang.pick("全部", "全部", "All"),
    }
}

/// One case in a queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRow {
    pub id: i32,
    pub case_no: String,
    pub item_name: String,
    pub applicant: String,
    pub department: String,
    pub state: CaseState,
    /// The item is a filing (备案): its states read as filings (`CaseState::label_for`).
    #[serde(default)]
    pub filing: bool,
    pub due: Option<NaiveDate>,
    pub warning: Option<WarningLevel>,
    pub remaining: Option<i32>,
    /// What waits in this queue when it is not the case's state (an opinion or a request).
    #[serde(default)]
    pub waiting: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct QueuePage {
    pub bucket: String,
    pub rows: Vec<QueueRow>,
    /// Cursor of the next page (keyset: due date and id of the last row).
    pub next: Option<String>,
    /// Cases per bucket in the caller's departments.
    pub counts: Vec<(String, u64)>,
    /// The caller is a window clerk (takes applications in at the counter).
    #[serde(default)]
    pub intake: bool,
    /// The items of the caller's departments (code, name), for the filter.
    #[serde(default)]
    pub items: Vec<(String, String)>,
    /// The item the queue is filtered by ("" = all).
    #[serde(default)]
    pub item: String,
}

/// One material of a case, with its files, as the clerk checks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaterialCheck {
    pub code: String,
    pub name: String,
    pub required: bool,
    pub deferrable: bool,
    pub applies: bool,
    pub files: Vec<FileView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffEvent {
    pub day: NaiveDate,
    pub action: rules::EventKind,
    pub to_state: CaseState,
    pub comment: String,
    pub internal: bool,
    pub actor: String,
}

/// An opinion the case needs (review stage or co-department), as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskView {
    pub id: i32,
    pub kind: rules::workflow::TaskKind,
    pub order: i32,
    pub name: String,
    pub department: String,
    pub opened: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    pub answered: Option<NaiveDate>,
    pub agree: Option<bool>,
    pub opinion: String,
    pub answered_by: String,
    /// The caller may answer it now.
    pub answerable: bool,
}

/// A reviewer's request for an approver (suspension or extension).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestView {
    pub id: i32,
    pub kind: rules::workflow::RequestKind,
    pub procedure: String,
    pub days: Option<i32>,
    pub reason: String,
    pub requested_by: String,
    pub requested_on: NaiveDate,
    pub status: rules::workflow::RequestStatus,
    pub note: String,
}

/// The staff view of one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffCase {
    pub id: i32,
    pub version: i32,
    pub case_no: String,
    pub state: CaseState,
    /// The item is a filing (备案): its states read as filings (`CaseState::label_for`).
    #[serde(default)]
    pub filing: bool,
    pub item_code: String,
    pub item_name: String,
    pub department: String,
    pub applicant_name: String,
    pub applicant_number: String,
    pub applicant_mobile: String,
    /// (question, answer)
    pub answers: Vec<(String, String)>,
    pub materials: Vec<MaterialCheck>,
    pub missing: Vec<String>,
    pub submitted_on: Option<NaiveDate>,
    pub accepted_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    /// What `due_on` is the last day for.
    pub due_for: Option<rules::supervision::Term>,
    pub correction_due: Option<NaiveDate>,
    pub fee_due: Option<NaiveDate>,
    pub extended: bool,
    pub extension_cap: u32,
    pub timeline: Vec<StaffEvent>,
    /// Action codes the caller may take now.
    pub actions: Vec<String>,
    /// The notices the case has made, printable for as long as it exists (a refusal's decision
    /// after its delivery too).
    pub notices: Vec<super::NoticeKind>,
    /// 容缺 materials still due.
    pub supplement: Option<super::SupplementView>,
    pub results: Vec<super::ResultDocView>,
    /// The caller is staff of the case's department (else: of a co-department or a stage).
    pub own: bool,
    pub channel: rules::Channel,
    pub assignee: Option<String>,
    /// Reviewers of the department the case may be assigned to: (staff id, name).
    pub reviewers: Vec<(i32, String)>,
    pub tasks: Vec<TaskView>,
    pub requests: Vec<RequestView>,
    /// The 一件事 application the case is one item of, with its other cases.
    #[serde(default)]
    pub bundle: Option<BundlePanel>,
}

/// A 一件事 application's cases, as the staff page of one of them shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundlePanel {
    pub application: i32,
    pub name: String,
    pub cases: Vec<BundleSibling>,
}

/// One case of a 一件事 application on a staff page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleSibling {
    pub case_id: i32,
    pub case_no: Option<String>,
    pub item_name: String,
    pub department: String,
    pub state: CaseState,
    pub filing: bool,
    pub version: i32,
    /// the caller may accept it now
    pub acceptable: bool,
    /// the caller may open it
    pub readable: bool,
}

/// What a member of staff asks for on a case, as an action form of the back office sends it: the
/// variant is the form's `action` field, and its fields are what was typed, as text (a form sends
/// text; the server parses each into its type and answers a bad one with a message next to the
/// field). The server matches on this, never on the action's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum StaffAction {
    Accept,
    /// The one-time notice: the clerk's finding per material in `note_<code>` fields.
    RequestCorrection {
        #[serde(default)]
        comment: String,
        #[serde(flatten)]
        notes: BTreeMap<String, String>,
    },
    Reject {
        #[serde(default)]
        reason: String,
        #[serde(default)]
        legal_basis: String,
    },
    /// 予以备案: a filing whose materials are complete and in their legal form.
    FileGrant {
        #[serde(default)]
        comment: String,
    },
    /// 不予备案, with the one-time list: the clerk's finding per material in `note_<code>` fields.
    FileDeny {
        #[serde(default)]
        comment: String,
        #[serde(flatten)]
        notes: BTreeMap<String, String>,
    },
    /// The window confirms the materials deferred at a 容缺 acceptance are all on file.
    ConfirmSupplement,
    /// The head approves the refusal of acceptance proposed for an unanswered correction.
    ApproveRefusal {
        #[serde(default)]
        comment: String,
    },
    /// The head approves the denial proposed for a fee left unpaid [001 第十九条].
    ApproveDenial {
        #[serde(default)]
        comment: String,
    },
    StartReview,
    Opinion {
        #[serde(default)]
        comment: String,
    },
    Assign {
        #[serde(default)]
        assignee: String,
    },
    RequestSuspension {
        #[serde(default)]
        kind: String,
        #[serde(default)]
        reason: String,
    },
    RequestExtension {
        #[serde(default)]
        days: String,
        #[serde(default)]
        reason: String,
    },
    Suspend {
        #[serde(default)]
        kind: String,
        #[serde(default)]
        reason: String,
    },
    Resume,
    Extend {
        #[serde(default)]
        days: String,
        #[serde(default)]
        reason: String,
    },
    DecideGrant {
        #[serde(default)]
        reason: String,
    },
    DecideDeny {
        #[serde(default)]
        reason: String,
        #[serde(default)]
        legal_basis: String,
    },
    DecideForward {
        #[serde(default)]
        reason: String,
    },
    /// The higher authority granted a forwarded case (its reply's reference and note).
    RecordHigherGrant {
        #[serde(default)]
        reason: String,
    },
    /// The higher authority denied a forwarded case.
    RecordHigherDeny {
        #[serde(default)]
        reason: String,
        #[serde(default)]
        legal_basis: String,
    },
    IssueFeeNotice {
        #[serde(default)]
        kind: String,
        #[serde(default)]
        amount: String,
    },
    RecordPayment {
        #[serde(default)]
        amount: String,
        #[serde(default)]
        reference: String,
    },
    PrepareDelivery,
    Deliver {
        #[serde(default)]
        method: String,
        #[serde(default)]
        comment: String,
    },
    Close,
    /// An approver's answer to a reviewer's request for a suspension or an extension.
    DecideRequest {
        #[serde(default)]
        request: String,
        #[serde(default)]
        decision: String,
        #[serde(default)]
        comment: String,
    },
    /// The answer to a review stage or a co-department's request for an opinion.
    AnswerTask {
        #[serde(default)]
        task: String,
        #[serde(default)]
        outcome: String,
        #[serde(default)]
        comment: String,
    },
}

impl StaffAction {
    /// The form's `action` value.
    pub fn code(&self) -> &'static str {
        match self {
            StaffAction::Accept => "accept",
            StaffAction::RequestCorrection { .. } => "request_correction",
            StaffAction::Reject { .. } => "reject",
            StaffAction::ApproveRefusal { .. } => "approve_refusal",
            StaffAction::ApproveDenial { .. } => "approve_denial",
            StaffAction::ConfirmSupplement => "confirm_supplement",
            StaffAction::FileGrant { .. } => "file_grant",
            StaffAction::FileDeny { .. } => "file_deny",
            StaffAction::StartReview => "start_review",
            StaffAction::Opinion { .. } => "opinion",
            StaffAction::Assign { .. } => "assign",
            StaffAction::RequestSuspension { .. } => "request_suspension",
            StaffAction::RequestExtension { .. } => "request_extension",
            StaffAction::Suspend { .. } => "suspend",
            StaffAction::Resume => "resume",
            StaffAction::Extend { .. } => "extend",
            StaffAction::DecideGrant { .. } => "decide_grant",
            StaffAction::DecideDeny { .. } => "decide_deny",
            StaffAction::DecideForward { .. } => "decide_forward",
            StaffAction::RecordHigherGrant { .. } => "record_higher_grant",
            StaffAction::RecordHigherDeny { .. } => "record_higher_deny",
            StaffAction::IssueFeeNotice { .. } => "issue_fee_notice",
            StaffAction::RecordPayment { .. } => "record_payment",
            StaffAction::PrepareDelivery => "prepare_delivery",
            StaffAction::Deliver { .. } => "deliver",
            StaffAction::Close => "close",
            StaffAction::DecideRequest { .. } => "decide_request",
            StaffAction::AnswerTask { .. } => "answer_task",
        }
    }

    /// The form's fields as they were sent (`action` included): what a refused form shows again.
    pub fn values(&self) -> BTreeMap<String, String> {
        super::form_values(self)
    }
}

pub fn staff_action_label(action: &str, lang: Lang) -> &'static str {
    match action {
        "accept" => lang.pick("受理", "受理", "Accept"),
        "request_correction" => lang.pick("一次性告知补正", "一次性告知補正", "Ask for corrections"),
        "reject" => lang.pick("不予受理", "不予受理", "Refuse to accept"),
        "approve_refusal" => lang.pick("批准不予受理", "批准不予受理", "Approve the refusal"),
        "approve_denial" => lang.pick("批准不予批准", "批准不予批准", "Approve the denial"),
        "file_grant" => lang.pick("予以备案", "予以備案", "File it"),
        "confirm_supplement" => lang.pick("确认容缺材料已补齐", "確認容缺材料已補齊", "Confirm the deferred materials"),
        "file_deny" => {
            lang.pick("不予备案（一次性告知）", "不予備案（一次性告知）", "Do not file (list what is wrong)")
        }
        "record_higher_grant" => {
            lang.pick("录入上级机关决定：准予", "錄入上級機關決定：准予", "Record the higher authority's grant")
        }
        "record_higher_deny" => lang.pick(
            "录入上级机关决定：不予许可",
            "錄入上級機關決定：不予許可",
            "Record the higher authority's denial",
        ),
        "start_review" => lang.pick("开始审查", "開始審查", "Start the review"),
        "opinion" => lang.pick("记录审查意见", "記錄審查意見", "Record an opinion"),
        "suspend" => lang.pick("中止（特殊环节）", "中止（特殊環節）", "Suspend (special procedure)"),
        "resume" => lang.pick("恢复办理", "恢復辦理", "Resume"),
        "extend" => lang.pick("延长期限", "延長期限", "Extend the time limit"),
        "decide_grant" => lang.pick("准予", "准予", "Grant"),
        "decide_deny" => lang.pick("不予", "不予", "Deny"),
        "decide_forward" => lang.pick("上报", "上報", "Forward"),
        "issue_fee_notice" => lang.pick("开具缴费通知", "開具繳費通知", "Issue a fee notice"),
        "record_payment" => lang.pick("登记缴费", "登記繳費", "Record the payment"),
        "prepare_delivery" => lang.pick("准备送达", "準備送達", "Prepare the delivery"),
        "deliver" => lang.pick("送达", "送達", "Deliver"),
        "close" => lang.pick("办结", "辦結", "Close"),
        "assign" => lang.pick("分派审查员", "分派審查員", "Assign a reviewer"),
        "request_suspension" => lang.pick("申请中止（报审批）", "申請中止（報審批）", "Request a suspension"),
        "request_extension" => lang.pick("申请延期（报审批）", "申請延期（報審批）", "Request an extension"),
        "decide_request" => lang.pick("审批申请", "審批申請", "Decide the request"),
        "answer_task" => lang.pick("出具意见", "出具意見", "Give the opinion"),
        _ => lang.pick("办理", "辦理", "Act"),
    }
}

/// A walk-in applicant found at the counter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct IntakeApplicant {
    pub id: i32,
    pub name: String,
    pub mobile: String,
    /// Registered online (has a password); counter-registered applicants have none.
    pub has_account: bool,
    /// A clerk checked the holder's identity document in person (every counter registration).
    #[serde(default)]
    pub identity_checked: bool,
}

/// A counter application the clerk has not submitted yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct IntakeDraft {
    pub case_id: i32,
    pub applicant: String,
    pub item: String,
}

/// The counter intake page (帮办).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct IntakeView {
    pub number: String,
    pub number_error: Option<String>,
    /// A number was looked up.
    pub searched: bool,
    /// The number is a resident ID (else a credit code).
    pub person: bool,
    pub found: Option<IntakeApplicant>,
    /// (code, name) of the items the clerk can take in.
    pub items: Vec<(String, String)>,
    pub drafts: Vec<IntakeDraft>,
}

/// One token as the admin sees it (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TokenLine {
    pub id: i32,
    pub name: String,
    pub prefix: String,
    pub departments: String,
    pub created: String,
    pub last_used: String,
    /// When it stops working (a year after issue).
    pub expires: String,
    pub revoked: bool,
}

/// A walk-in applicant registered at the counter, as the intake form sends it (and the form
/// that takes a number back from an account someone else opened with it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApplicant {
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub contact_name: String,
    #[serde(default)]
    pub mobile: String,
    /// The clerk's tick: the identity document was checked in person (`on`).
    #[serde(default)]
    pub identity_checked: String,
    /// The language the walk-in's notices (SMS) go out in: `zh-Hans`, `zh-Hant` or `en`.
    #[serde(default)]
    pub notice_lang: String,
}

impl NewApplicant {
    /// What a refused form shows again (the tick is ticked again, knowingly).
    pub fn echo(&self) -> std::collections::BTreeMap<String, String> {
        [
            ("name", &self.name),
            ("contact_name", &self.contact_name),
            ("mobile", &self.mobile),
            ("notice_lang", &self.notice_lang),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
    }
}

/// A consultation logged at the first-inquiry desk (首问), as its form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewConsultation {
    #[serde(default)]
    pub asker_name: String,
    #[serde(default)]
    pub asker_contact: String,
    #[serde(default)]
    pub id_number: String,
    #[serde(default)]
    pub item: String,
    #[serde(default)]
    pub question: String,
    #[serde(default)]
    pub answer: String,
    #[serde(default)]
    pub referral: String,
}

impl NewConsultation {
    /// What was typed: a refused form shows it again.
    pub fn values(&self) -> BTreeMap<String, String> {
        super::form_values(self)
    }
}
