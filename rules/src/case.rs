//! The case state machine (DESIGN.md §3): states, actions, who may take them, guards.
//! `transition(state, action, actor, facts)` is the single place that decides.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::codes::UnknownCode;
use crate::event::EventKind;
use crate::lang::Lang;

/// How a case came in: applied for online, or taken in at the counter (帮办).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveValueType),
    sea_orm(value_type = "String", from_str = "Channel::decode", to_str = "Channel::code")
)]
pub enum Channel {
    #[default]
    Online,
    Counter,
}

impl Channel {
    pub fn code(&self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::Counter => "counter",
        }
    }

    pub fn decode(code: &str) -> Result<Channel, UnknownCode> {
        [Channel::Online, Channel::Counter]
            .into_iter()
            .find(|c| c.code() == code)
            .ok_or_else(|| UnknownCode { what: "channel", code: code.into() })
    }
}

/// Roles of DESIGN.md §1, plus the scheduler.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveValueType),
    sea_orm(value_type = "String", from_str = "Role::decode", to_str = "Role::as_str")
)]
pub enum Role {
    Applicant,
    WindowClerk,
    Reviewer,
    Approver,
    CoReviewer,
    Supervisor,
    Admin,
    /// 信息公开员: writes and approves a department's 政务公开 entries (no case)
    Publisher,
    /// Scheduled rules (overdue corrections, unpaid fees).
    System,
}

impl Role {
    pub const STAFF: [Role; 7] = [
        Role::WindowClerk,
        Role::Reviewer,
        Role::Approver,
        Role::CoReviewer,
        Role::Supervisor,
        Role::Admin,
        Role::Publisher,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Applicant => "applicant",
            Role::WindowClerk => "window_clerk",
            Role::Reviewer => "reviewer",
            Role::Approver => "approver",
            Role::CoReviewer => "co_reviewer",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
            Role::Publisher => "publisher",
            Role::System => "system",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        [
            Role::Applicant,
            Role::WindowClerk,
            Role::Reviewer,
            Role::Approver,
            Role::CoReviewer,
            Role::Supervisor,
            Role::Admin,
            Role::Publisher,
            Role::System,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }

    /// [`parse`](Role::parse) with an error naming the code.
    pub fn decode(code: &str) -> Result<Role, UnknownCode> {
        Role::parse(code).ok_or_else(|| UnknownCode { what: "role", code: code.into() })
    }

    pub fn label(&self, lang: Lang) -> &'static str {
        match self {
            Role::Applicant => lang.pick("申请人", "申請人", "Applicant"),
            Role::WindowClerk => lang.pick("窗口受理员", "窗口受理員", "Window clerk"),
            Role::Reviewer => lang.pick("审查员", "審查員", "Reviewer"),
            Role::Approver => lang.pick("审批负责人", "審批負責人", "Approver"),
            Role::CoReviewer => lang.pick("协办部门", "協辦部門", "Co-reviewer"),
            Role::Supervisor => lang.pick("电子监察", "電子監察", "Supervisor"),
            Role::Admin => lang.pick("管理员", "管理員", "Administrator"),
            Role::Publisher => lang.pick("信息公开员", "信息公開員", "Publications editor"),
            Role::System => lang.pick("系统", "系統", "System"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// 准予 / 予以备案
    Grant,
    /// 不予 / 不予备案
    Deny,
    /// 上报
    Forward,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveValueType),
    sea_orm(value_type = "String", from_str = "CaseState::decode", to_str = "CaseState::code")
)]
pub enum CaseState {
    Draft,
    Submitted,
    AwaitingCorrection,
    /// The correction went unanswered past its term: the window asks the head's approval for the
    /// refusal of acceptance within 2 working days (报请负责人批准, [001 第九条]).
    RefusalProposed,
    NotAccepted,
    Accepted,
    InReview,
    Suspended,
    Decided(DecisionKind),
    AwaitingPayment,
    /// The fee went unpaid past its term: the lead office proposes the denial, the head approves
    /// it (报请分管领导批准, [001 第十九条]).
    DenialProposed,
    ReadyForDelivery,
    Delivered,
    Closed,
    Withdrawn,
}

impl CaseState {
    pub const ALL: [CaseState; 17] = [
        CaseState::Draft,
        CaseState::Submitted,
        CaseState::AwaitingCorrection,
        CaseState::RefusalProposed,
        CaseState::NotAccepted,
        CaseState::Accepted,
        CaseState::InReview,
        CaseState::Suspended,
        CaseState::Decided(DecisionKind::Grant),
        CaseState::Decided(DecisionKind::Deny),
        CaseState::Decided(DecisionKind::Forward),
        CaseState::AwaitingPayment,
        CaseState::DenialProposed,
        CaseState::ReadyForDelivery,
        CaseState::Delivered,
        CaseState::Closed,
        CaseState::Withdrawn,
    ];

    /// Stable code for the database and URLs.
    pub fn code(&self) -> &'static str {
        match self {
            CaseState::Draft => "draft",
            CaseState::Submitted => "submitted",
            CaseState::AwaitingCorrection => "awaiting_correction",
            CaseState::RefusalProposed => "refusal_proposed",
            CaseState::NotAccepted => "not_accepted",
            CaseState::Accepted => "accepted",
            CaseState::InReview => "in_review",
            CaseState::Suspended => "suspended",
            CaseState::Decided(DecisionKind::Grant) => "decided_grant",
            CaseState::Decided(DecisionKind::Deny) => "decided_deny",
            CaseState::Decided(DecisionKind::Forward) => "decided_forward",
            CaseState::AwaitingPayment => "awaiting_payment",
            CaseState::DenialProposed => "denial_proposed",
            CaseState::ReadyForDelivery => "ready_for_delivery",
            CaseState::Delivered => "delivered",
            CaseState::Closed => "closed",
            CaseState::Withdrawn => "withdrawn",
        }
    }

    pub fn from_code(code: &str) -> Option<CaseState> {
        CaseState::ALL.into_iter().find(|s| s.code() == code)
    }

    /// [`from_code`](CaseState::from_code) with an error naming the code.
    pub fn decode(code: &str) -> Result<CaseState, UnknownCode> {
        CaseState::from_code(code).ok_or_else(|| UnknownCode { what: "case state", code: code.into() })
    }

    /// The states a refusal moves a case into: 不予受理 and 不予许可. A case that entered one was
    /// refused for good, whatever came after (a denial is then delivered and closed).
    pub const REFUSALS: [CaseState; 2] = [CaseState::NotAccepted, CaseState::Decided(DecisionKind::Deny)];

    /// No decision yet: the applicant may still withdraw.
    pub fn before_decision(&self) -> bool {
        matches!(
            self,
            CaseState::Draft
                | CaseState::Submitted
                | CaseState::AwaitingCorrection
                | CaseState::RefusalProposed
                | CaseState::Accepted
                | CaseState::InReview
                | CaseState::Suspended
        )
    }

    /// Final: nothing more can happen.
    pub fn is_final(&self) -> bool {
        matches!(self, CaseState::NotAccepted | CaseState::Closed | CaseState::Withdrawn)
    }

    /// The label of a case of a filing item (备案) where it differs: a filing is not accepted
    /// and decided but filed [001 重庆 2.备案项目].
    pub fn label_for(&self, filing: bool, lang: Lang) -> &'static str {
        match self {
            CaseState::Submitted if filing => lang.pick("已提交，待备案", "已提交，待備案", "Submitted for filing"),
            CaseState::Decided(DecisionKind::Grant) if filing => lang.pick("予以备案", "予以備案", "Filed"),
            CaseState::Decided(DecisionKind::Deny) if filing => lang.pick("不予备案", "不予備案", "Not filed"),
            _ => self.label(lang),
        }
    }

    pub fn label(&self, lang: Lang) -> &'static str {
        match self {
            CaseState::Draft => lang.pick("草稿", "草稿", "Draft"),
            CaseState::Submitted => lang.pick("已提交，待受理", "已提交，待受理", "Submitted"),
            CaseState::AwaitingCorrection => lang.pick("待补正", "待補正", "Correction requested"),
            CaseState::RefusalProposed => lang.pick(
                "补正逾期，拟不予受理（待负责人批准）",
                "補正逾期，擬不予受理（待負責人批准）",
                "Correction not answered: refusal awaiting approval",
            ),
            CaseState::NotAccepted => lang.pick("不予受理", "不予受理", "Not accepted"),
            CaseState::Accepted => lang.pick("已受理", "已受理", "Accepted"),
            CaseState::InReview => lang.pick("审查中", "審查中", "In review"),
            CaseState::Suspended => lang.pick("中止（不计时）", "中止（不計時）", "Suspended (clock stopped)"),
            CaseState::Decided(DecisionKind::Grant) => lang.pick("准予", "准予", "Granted"),
            CaseState::Decided(DecisionKind::Deny) => lang.pick("不予许可", "不予許可", "Denied"),
            CaseState::Decided(DecisionKind::Forward) => {
                lang.pick("已上报，待上级机关决定", "已上報，待上級機關決定", "Forwarded to the higher authority")
            }
            CaseState::AwaitingPayment => lang.pick("待缴费", "待繳費", "Awaiting payment"),
            CaseState::DenialProposed => lang.pick(
                "逾期未缴费，拟不予批准（待负责人批准）",
                "逾期未繳費，擬不予批准（待負責人批准）",
                "Fee not paid: denial awaiting approval",
            ),
            CaseState::ReadyForDelivery => lang.pick("待送达", "待送達", "Ready for delivery"),
            CaseState::Delivered => lang.pick("已送达", "已送達", "Delivered"),
            CaseState::Closed => lang.pick("办结", "辦結", "Closed"),
            CaseState::Withdrawn => lang.pick("已撤回", "已撤回", "Withdrawn"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum Action {
    Submit,
    Accept,
    RequestCorrection,
    /// 不予受理
    Reject {
        reason: String,
    },
    Resubmit,
    /// The scheduler: a receipt left unanswered past its five working days is accepted by law from
    /// the day it was received (行政许可法第三十二条); no correction notice or refusal of acceptance
    /// can follow.
    DeemAccepted,
    /// The scheduler: a correction went unanswered past its due date; the refusal of acceptance
    /// it calls for is proposed to the head [001 第九条].
    CorrectionExpired,
    /// The head approves the refusal of acceptance the scheduler proposed (不予受理决定).
    ApproveRefusal,
    /// The head approves the denial proposed for an unpaid fee [001 第十九条].
    ApproveDenial,
    StartReview,
    Suspend {
        kind: String,
        reason: String,
    },
    Resume,
    Extend {
        days: u32,
        reason: String,
    },
    Decide {
        kind: DecisionKind,
        reason: String,
    },
    /// A filing's conclusion (备案), straight from the receipt: 予以备案 when the materials are
    /// complete and in their legal form, else 不予备案 with the one-time list of what is wrong
    /// [001 重庆 2.备案项目]. A filing has no acceptance, correction notice or other conclusion.
    File {
        kind: DecisionKind,
        reason: String,
    },
    /// The higher authority's answer to a forwarded case (上报), recorded by the lead department's
    /// approver: a grant or a denial, which the window then delivers like its own.
    RecordHigherDecision {
        kind: DecisionKind,
        reason: String,
    },
    IssueFeeNotice,
    RecordPayment,
    /// The scheduler: the fee was not paid within its term → refused.
    FeeExpired,
    PrepareDelivery,
    Deliver,
    Close,
    Withdraw,
}

impl Action {
    pub fn code(&self) -> &'static str {
        match self {
            Action::Submit => "submit",
            Action::Accept => "accept",
            Action::RequestCorrection => "request_correction",
            Action::Reject { .. } => "reject",
            Action::Resubmit => "resubmit",
            Action::DeemAccepted => "deemed_accepted",
            Action::CorrectionExpired => "correction_expired",
            Action::ApproveRefusal => "approve_refusal",
            Action::ApproveDenial => "approve_denial",
            Action::StartReview => "start_review",
            Action::Suspend { .. } => "suspend",
            Action::Resume => "resume",
            Action::Extend { .. } => "extend",
            Action::Decide { .. } => "decide",
            Action::File { .. } => "file",
            Action::RecordHigherDecision { .. } => "record_higher_decision",
            Action::IssueFeeNotice => "issue_fee_notice",
            Action::RecordPayment => "record_payment",
            Action::FeeExpired => "fee_expired",
            Action::PrepareDelivery => "prepare_delivery",
            Action::Deliver => "deliver",
            Action::Close => "close",
            Action::Withdraw => "withdraw",
        }
    }

    /// Roles allowed to take the action.
    pub fn roles(&self) -> &'static [Role] {
        use Role::*;
        match self {
            Action::Submit => &[Applicant, WindowClerk],
            Action::Resubmit => &[Applicant, WindowClerk],
            Action::Withdraw => &[Applicant],
            Action::Accept | Action::RequestCorrection | Action::Reject { .. } => &[WindowClerk],
            Action::DeemAccepted | Action::CorrectionExpired | Action::FeeExpired => &[System],
            Action::StartReview => &[Reviewer],
            Action::Suspend { .. }
            | Action::Extend { .. }
            | Action::Decide { .. }
            | Action::ApproveRefusal
            | Action::ApproveDenial
            | Action::RecordHigherDecision { .. } => &[Approver],
            Action::Resume => &[Reviewer, Approver, System],
            Action::IssueFeeNotice => &[WindowClerk, Reviewer],
            // at the counter on the spot where it can be, else by the next working day
            Action::File { .. } => &[WindowClerk, Approver],
            Action::RecordPayment => &[WindowClerk],
            Action::PrepareDelivery => &[WindowClerk, System],
            Action::Deliver => &[WindowClerk],
            Action::Close => &[WindowClerk, System],
        }
    }
}

/// Facts about the case the guards need (read from the database by the caller).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFacts {
    pub today: NaiveDate,
    /// The checklist is acceptable (all non-deferrable required materials present).
    pub materials_acceptable: bool,
    /// A correction notice already went out for this case (一次性告知: one per case, whatever was
    /// resubmitted since; after the correction the clerk accepts or refuses). See
    /// [`correction_notice_issued`].
    pub correction_already_requested: bool,
    pub correction_due: Option<NaiveDate>,
    /// The last day to answer the current receipt (accept, ask for a correction or refuse).
    #[serde(default)]
    pub receipt_due: Option<NaiveDate>,
    pub extended_already: bool,
    /// The item's extension cap in working days (0 = none).
    pub extension_cap: u32,
    pub fee_due: Option<NaiveDate>,
    /// Opinions still owed before the decision (review stages, co-departments).
    #[serde(default)]
    pub opinions_pending: u32,
    /// The item is a filing (备案): concluded from the receipt, 予以备案 or 不予备案 only.
    #[serde(default)]
    pub filing: bool,
    /// The materials deferred at a 容缺 acceptance were not supplied by their due date: the
    /// result would be void, so no grant can be made.
    #[serde(default)]
    pub supplement_overdue: bool,
}

impl CaseFacts {
    pub fn on(today: NaiveDate) -> Self {
        CaseFacts {
            today,
            materials_acceptable: true,
            correction_already_requested: false,
            correction_due: None,
            receipt_due: None,
            extended_already: false,
            extension_cap: 10,
            fee_due: None,
            opinions_pending: 0,
            filing: false,
            supplement_overdue: false,
        }
    }
}

/// Why a transition is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum Refusal {
    #[error("{action} is not possible while the case is {state}")]
    WrongState { state: String, action: String },
    #[error("{role} may not {action}")]
    NotAllowed { role: String, action: String },
    #[error("materials are incomplete")]
    MaterialsIncomplete,
    #[error("a correction notice was already issued for this application")]
    CorrectionAlreadyRequested,
    #[error("the correction period ended on {0}")]
    CorrectionPeriodOver(NaiveDate),
    #[error("the correction period has not ended yet")]
    CorrectionPeriodRunning,
    #[error("the receipt may still be answered")]
    ReceiptWindowRunning,
    #[error("the fee term has not ended yet")]
    FeeTermRunning,
    #[error("a reason is required")]
    ReasonRequired,
    #[error("extension refused: {0}")]
    Extension(crate::deadline::DeadlineError),
    #[error("{0} opinions are still owed")]
    OpinionsPending(u32),
    #[error("a filing is concluded with 予以备案 or 不予备案 only")]
    FilingConclusionOnly,
    #[error("the deferred materials were not supplied in time")]
    SupplementOverdue,
}

impl Refusal {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Refusal::WrongState { .. }, _) => lang
                .pick(
                    "办件当前状态不允许此操作，请刷新后重试",
                    "辦件當前狀態不允許此操作，請重新整理後重試",
                    "The case is not in a state that allows this; reload and try again",
                )
                .into(),
            (Refusal::NotAllowed { .. }, _) => {
                lang.pick("您没有权限执行此操作", "您沒有權限執行此操作", "You are not allowed to do this").into()
            }
            (Refusal::MaterialsIncomplete, _) => {
                lang.pick("材料不齐全，不能受理", "材料不齊全，不能受理", "Materials are incomplete").into()
            }
            (Refusal::CorrectionAlreadyRequested, _) => lang
                .pick(
                    "该申请已发出过补正通知：补正须一次性告知，补正后请受理或不予受理",
                    "該申請已發出過補正通知：補正須一次性告知，補正後請受理或不予受理",
                    "A correction notice was already issued for this application: accept it or refuse it now",
                )
                .into(),
            (Refusal::CorrectionPeriodOver(d), _) => format!(
                "{}{d}",
                lang.pick(
                    "补正期限已于以下日期届满：",
                    "補正期限已於以下日期屆滿：",
                    "The correction period ended on "
                )
            ),
            (Refusal::CorrectionPeriodRunning, _) => {
                lang.pick("补正期限尚未届满", "補正期限尚未屆滿", "The correction period is still running").into()
            }
            (Refusal::ReceiptWindowRunning, _) => {
                lang.pick("受理期限尚未届满", "受理期限尚未屆滿", "The receipt may still be answered").into()
            }
            (Refusal::FeeTermRunning, _) => {
                lang.pick("缴费期限尚未届满", "繳費期限尚未屆滿", "The fee term is still running").into()
            }
            (Refusal::ReasonRequired, _) => lang.pick("请填写理由", "請填寫理由", "Give a reason").into(),
            (Refusal::OpinionsPending(n), _) => format!(
                "{}{n}",
                lang.pick(
                    "尚有审查环节或协办部门未出具意见，不能作出决定。待回复：",
                    "尚有審查環節或協辦部門未出具意見，不能作出決定。待回覆：",
                    "Opinions still owed before the decision: "
                )
            ),
            (Refusal::SupplementOverdue, _) => lang
                .pick(
                    "容缺受理的材料逾期未补齐，办理结果无效，不能准予；可依法作出不予许可决定",
                    "容缺受理的材料逾期未補齊，辦理結果無效，不能准予；可依法作出不予許可決定",
                    "The deferred materials were not supplied in time: the result would be void, so it cannot be granted",
                )
                .into(),
            (Refusal::FilingConclusionOnly, _) => lang
                .pick(
                    "备案事项只能作出予以备案或不予备案的结论；材料不齐全或不符合法定形式的，不予备案并一次性告知需补正的全部材料",
                    "備案事項只能作出予以備案或不予備案的結論；材料不齊全或不符合法定形式的，不予備案並一次性告知需補正的全部材料",
                    "A filing is concluded as filed or not filed; if the materials are incomplete, it is not filed, with everything to correct listed at once",
                )
                .into(),
            (Refusal::Extension(e), _) => {
                format!("{}{e}", lang.pick("不能延期：", "不能延期：", "Extension refused: "))
            }
        }
    }
}

/// The event a successful transition records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    pub from: CaseState,
    pub to: CaseState,
    pub action: Action,
    pub role: Role,
}

fn need_reason(r: &str) -> Result<(), Refusal> {
    if r.trim().is_empty() {
        Err(Refusal::ReasonRequired)
    } else {
        Ok(())
    }
}

/// Decides a transition. Pure: the caller persists the new state and the event.
/// Whether a correction notice was issued in a case's history (its actions' codes, oldest first):
/// the one-time notice [001 第六条, 003 一次性告知] is one per case, so a notice issued before a
/// resubmission still counts.
pub fn correction_notice_issued(history: impl IntoIterator<Item = crate::event::EventKind>) -> bool {
    history.into_iter().any(|a| a == crate::event::EventKind::RequestCorrection)
}

pub fn transition(state: CaseState, action: &Action, role: Role, facts: &CaseFacts) -> Result<Transition, Refusal> {
    use CaseState::*;
    if !action.roles().contains(&role) {
        return Err(Refusal::NotAllowed { role: role.as_str().into(), action: action.code().into() });
    }
    let wrong = || Refusal::WrongState { state: state.code().into(), action: action.code().into() };
    if facts.filing
        && state == Submitted
        && matches!(action, Action::Accept | Action::DeemAccepted | Action::RequestCorrection | Action::Reject { .. })
    {
        return Err(Refusal::FilingConclusionOnly);
    }
    let to = match (state, action) {
        (Draft, Action::Submit) => Submitted,
        (Submitted, Action::File { kind, reason }) if facts.filing => match kind {
            DecisionKind::Grant if !facts.materials_acceptable => return Err(Refusal::MaterialsIncomplete),
            DecisionKind::Grant => Decided(DecisionKind::Grant),
            DecisionKind::Deny => {
                need_reason(reason)?;
                Decided(DecisionKind::Deny)
            }
            DecisionKind::Forward => return Err(wrong()),
        },
        (Submitted, Action::Accept) => {
            if !facts.materials_acceptable {
                return Err(Refusal::MaterialsIncomplete);
            }
            Accepted
        }
        // Accepted by law, whatever the materials: the department did not ask for more in time.
        (Submitted, Action::DeemAccepted) => match facts.receipt_due {
            Some(due) if facts.today > due => Accepted,
            _ => return Err(Refusal::ReceiptWindowRunning),
        },
        (Submitted, Action::RequestCorrection) => {
            if facts.correction_already_requested {
                return Err(Refusal::CorrectionAlreadyRequested);
            }
            AwaitingCorrection
        }
        (Submitted | AwaitingCorrection, Action::Reject { reason }) => {
            need_reason(reason)?;
            NotAccepted
        }
        (AwaitingCorrection, Action::Resubmit) => {
            if let Some(due) = facts.correction_due {
                if facts.today > due {
                    return Err(Refusal::CorrectionPeriodOver(due));
                }
            }
            Submitted
        }
        (AwaitingCorrection, Action::CorrectionExpired) => match facts.correction_due {
            Some(due) if facts.today > due => RefusalProposed,
            _ => return Err(Refusal::CorrectionPeriodRunning),
        },
        (RefusalProposed, Action::ApproveRefusal) => NotAccepted,
        (Accepted, Action::StartReview) => InReview,
        (InReview, Action::Suspend { reason, .. }) => {
            need_reason(reason)?;
            Suspended
        }
        (Suspended, Action::Resume) => InReview,
        (InReview, Action::Extend { days, reason }) => {
            let policy = crate::deadline::ExtensionPolicy { max_working_days: facts.extension_cap };
            crate::deadline::check_extension(policy, facts.extended_already, *days, reason)
                .map_err(Refusal::Extension)?;
            InReview
        }
        (InReview, Action::Decide { kind, reason }) => {
            if facts.opinions_pending > 0 {
                return Err(Refusal::OpinionsPending(facts.opinions_pending));
            }
            if *kind != DecisionKind::Grant {
                need_reason(reason)?;
            } else if facts.supplement_overdue {
                return Err(Refusal::SupplementOverdue);
            }
            Decided(*kind)
        }
        // 上报: the case waits for the higher authority, whose answer is a grant or a denial.
        (Decided(DecisionKind::Forward), Action::RecordHigherDecision { kind, reason }) => match kind {
            DecisionKind::Forward => return Err(wrong()),
            DecisionKind::Grant if facts.supplement_overdue => return Err(Refusal::SupplementOverdue),
            DecisionKind::Grant => Decided(DecisionKind::Grant),
            DecisionKind::Deny => {
                need_reason(reason)?;
                Decided(DecisionKind::Deny)
            }
        },
        (Decided(DecisionKind::Grant), Action::IssueFeeNotice) => AwaitingPayment,
        (AwaitingPayment, Action::RecordPayment) => ReadyForDelivery,
        (AwaitingPayment, Action::FeeExpired) => match facts.fee_due {
            Some(due) if facts.today > due => DenialProposed,
            _ => return Err(Refusal::FeeTermRunning),
        },
        (DenialProposed, Action::ApproveDenial) => Decided(DecisionKind::Deny),
        // A forwarded case has nothing to deliver until the higher authority answers.
        (Decided(DecisionKind::Grant | DecisionKind::Deny), Action::PrepareDelivery) => ReadyForDelivery,
        (ReadyForDelivery, Action::Deliver) => Delivered,
        (Delivered, Action::Close) => Closed,
        (s, Action::Withdraw) if s.before_decision() => Withdrawn,
        _ => return Err(wrong()),
    };
    Ok(Transition { from: state, to, action: action.clone(), role })
}

/// A state is part of a composite key (`state_counts`), never an auto-incremented one.
#[cfg(feature = "sea-orm")]
impl sea_orm::TryFromU64 for CaseState {
    fn try_from_u64(_: u64) -> Result<Self, sea_orm::DbErr> {
        Err(sea_orm::DbErr::ConvertFromU64("CaseState"))
    }
}

impl Action {
    /// The kind of event the action is recorded as.
    pub fn event(&self) -> EventKind {
        use EventKind as K;
        match self {
            Action::Submit => K::Submit,
            Action::Accept => K::Accept,
            Action::RequestCorrection => K::RequestCorrection,
            Action::Reject { .. } => K::Reject,
            Action::Resubmit => K::Resubmit,
            Action::DeemAccepted => K::DeemedAccepted,
            Action::CorrectionExpired => K::CorrectionExpired,
            Action::ApproveRefusal => K::ApproveRefusal,
            Action::ApproveDenial => K::ApproveDenial,
            Action::StartReview => K::StartReview,
            Action::Suspend { .. } => K::Suspend,
            Action::Resume => K::Resume,
            Action::Extend { .. } => K::Extend,
            Action::Decide { .. } => K::Decide,
            Action::File { .. } => K::File,
            Action::RecordHigherDecision { .. } => K::RecordHigherDecision,
            Action::IssueFeeNotice => K::IssueFeeNotice,
            Action::RecordPayment => K::RecordPayment,
            Action::FeeExpired => K::FeeExpired,
            Action::PrepareDelivery => K::PrepareDelivery,
            Action::Deliver => K::Deliver,
            Action::Close => K::Close,
            Action::Withdraw => K::Withdraw,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CaseState::*;

    #[test]
    fn an_action_is_recorded_under_its_own_code() {
        for a in all_actions() {
            assert_eq!(a.event().code(), a.code());
        }
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn all_actions() -> Vec<Action> {
        vec![
            Action::Submit,
            Action::Accept,
            Action::RequestCorrection,
            Action::Reject { reason: "不属于本机关职权范围".into() },
            Action::Resubmit,
            Action::DeemAccepted,
            Action::CorrectionExpired,
            Action::ApproveRefusal,
            Action::ApproveDenial,
            Action::StartReview,
            Action::Suspend { kind: "hearing".into(), reason: "听证".into() },
            Action::Resume,
            Action::Extend { days: 10, reason: "需专家评审".into() },
            Action::Decide { kind: DecisionKind::Grant, reason: String::new() },
            Action::Decide { kind: DecisionKind::Deny, reason: "不符合条件".into() },
            Action::Decide { kind: DecisionKind::Forward, reason: "需上级审批".into() },
            Action::RecordHigherDecision { kind: DecisionKind::Grant, reason: String::new() },
            Action::RecordHigherDecision { kind: DecisionKind::Deny, reason: "上级机关不予批准".into() },
            Action::RecordHigherDecision { kind: DecisionKind::Forward, reason: "再上报".into() },
            Action::File { kind: DecisionKind::Grant, reason: String::new() },
            Action::File { kind: DecisionKind::Deny, reason: "缺少专家审查意见".into() },
            Action::IssueFeeNotice,
            Action::RecordPayment,
            Action::FeeExpired,
            Action::PrepareDelivery,
            Action::Deliver,
            Action::Close,
            Action::Withdraw,
        ]
    }

    /// The full table: every (state, action) pair, with the first role allowed for the action and
    /// facts under which every guard passes. `None` = refused as WrongState.
    #[test]
    fn every_state_action_pair() {
        let mut facts = CaseFacts::on(d("2025-10-20"));
        facts.correction_due = Some(d("2025-10-10"));
        facts.receipt_due = Some(d("2025-10-10"));
        facts.fee_due = Some(d("2025-10-10"));
        let expected = |s: CaseState, a: &Action| -> Option<CaseState> {
            Some(match (s, a) {
                (Draft, Action::Submit) => Submitted,
                (Submitted, Action::Accept | Action::DeemAccepted) => Accepted,
                (Submitted, Action::RequestCorrection) => AwaitingCorrection,
                (Submitted | AwaitingCorrection, Action::Reject { .. }) => NotAccepted,
                (AwaitingCorrection, Action::CorrectionExpired) => RefusalProposed,
                (RefusalProposed, Action::ApproveRefusal) => NotAccepted,
                (Accepted, Action::StartReview) => InReview,
                (InReview, Action::Suspend { .. }) => Suspended,
                (Suspended, Action::Resume) => InReview,
                (InReview, Action::Extend { .. }) => InReview,
                (InReview, Action::Decide { kind, .. }) => Decided(*kind),
                (
                    Decided(DecisionKind::Forward),
                    Action::RecordHigherDecision { kind: k @ (DecisionKind::Grant | DecisionKind::Deny), .. },
                ) => Decided(*k),
                (Decided(DecisionKind::Grant), Action::IssueFeeNotice) => AwaitingPayment,
                (AwaitingPayment, Action::RecordPayment) => ReadyForDelivery,
                (AwaitingPayment, Action::FeeExpired) => DenialProposed,
                (DenialProposed, Action::ApproveDenial) => Decided(DecisionKind::Deny),
                (Decided(DecisionKind::Grant | DecisionKind::Deny), Action::PrepareDelivery) => ReadyForDelivery,
                (ReadyForDelivery, Action::Deliver) => Delivered,
                (Delivered, Action::Close) => Closed,
                (s, Action::Withdraw) if s.before_decision() => Withdrawn,
                _ => return None,
            })
        };
        let mut checked = 0;
        for s in CaseState::ALL {
            for a in all_actions() {
                let role = a.roles()[0];
                // Resubmit needs a running correction period; test it separately below.
                let f = if matches!(a, Action::Resubmit) {
                    CaseFacts { today: d("2025-10-01"), ..facts.clone() }
                } else {
                    facts.clone()
                };
                let got = transition(s, &a, role, &f);
                let want = if matches!((s, &a), (AwaitingCorrection, Action::Resubmit)) {
                    Some(Submitted)
                } else {
                    expected(s, &a)
                };
                match want {
                    Some(to) => assert_eq!(got.map(|t| t.to), Ok(to), "{s:?} + {a:?}"),
                    None => assert!(matches!(got, Err(Refusal::WrongState { .. })), "{s:?} + {a:?} → {got:?}"),
                }
                checked += 1;
            }
        }
        assert_eq!(checked, CaseState::ALL.len() * all_actions().len());
    }

    #[test]
    fn a_filing_reads_as_a_filing() {
        let l = |s: CaseState, filing| s.label_for(filing, Lang::ZhHans);
        assert_eq!(l(Submitted, true), "已提交，待备案");
        assert_eq!(l(Submitted, false), "已提交，待受理");
        assert_eq!(l(Decided(DecisionKind::Grant), true), "予以备案");
        assert_eq!(l(Decided(DecisionKind::Grant), false), "准予");
        assert_eq!(l(Decided(DecisionKind::Deny), true), "不予备案");
        for s in CaseState::ALL {
            if !matches!(s, Submitted | Decided(DecisionKind::Grant | DecisionKind::Deny)) {
                assert_eq!(l(s, true), l(s, false), "{s:?}");
            }
        }
    }

    #[test]
    fn roles_are_enforced() {
        let f = CaseFacts::on(d("2025-10-20"));
        let cases = [
            (Submitted, Action::Accept, Role::Applicant),
            (InReview, Action::Decide { kind: DecisionKind::Grant, reason: String::new() }, Role::Reviewer),
            (InReview, Action::Extend { days: 5, reason: "x".into() }, Role::WindowClerk),
            (Submitted, Action::Withdraw, Role::WindowClerk),
            (AwaitingCorrection, Action::CorrectionExpired, Role::WindowClerk),
            (AwaitingCorrection, Action::CorrectionExpired, Role::Approver),
            // the head approves the refusal, not the window, not the scheduler
            (RefusalProposed, Action::ApproveRefusal, Role::WindowClerk),
            (RefusalProposed, Action::ApproveRefusal, Role::System),
            (DenialProposed, Action::ApproveDenial, Role::WindowClerk),
            (DenialProposed, Action::ApproveDenial, Role::System),
            (Submitted, Action::DeemAccepted, Role::WindowClerk),
            (Draft, Action::Submit, Role::Supervisor),
            (
                Decided(DecisionKind::Forward),
                Action::RecordHigherDecision { kind: DecisionKind::Grant, reason: String::new() },
                Role::WindowClerk,
            ),
        ];
        for (s, a, r) in cases {
            assert!(matches!(transition(s, &a, r, &f), Err(Refusal::NotAllowed { .. })), "{s:?} {a:?} {r:?}");
        }
    }

    #[test]
    fn one_correction_notice_per_case() {
        let cases: &[(&[&str], bool)] = &[
            (&["submit"], false),
            (&["submit", "request_correction"], true),
            // the applicant corrected and resubmitted: the notice was still issued, once
            (&["submit", "request_correction", "resubmit"], true),
            (&["submit", "request_correction", "resubmit", "accept"], true),
            (&["submit", "withdraw"], false),
            (&[], false),
        ];
        for (history, issued) in cases {
            let kinds = history.iter().map(|c| crate::event::EventKind::parse(c).unwrap());
            assert_eq!(correction_notice_issued(kinds), *issued, "{history:?}");
        }
    }

    #[test]
    fn guards_table() {
        let base = CaseFacts::on(d("2025-10-20"));
        let cases: Vec<(CaseState, Action, Role, CaseFacts, Refusal)> = vec![
            (
                Submitted,
                Action::Accept,
                Role::WindowClerk,
                CaseFacts { materials_acceptable: false, ..base.clone() },
                Refusal::MaterialsIncomplete,
            ),
            (
                Submitted,
                Action::RequestCorrection,
                Role::WindowClerk,
                CaseFacts { correction_already_requested: true, ..base.clone() },
                Refusal::CorrectionAlreadyRequested,
            ),
            (
                AwaitingCorrection,
                Action::Resubmit,
                Role::Applicant,
                CaseFacts { correction_due: Some(d("2025-10-19")), ..base.clone() },
                Refusal::CorrectionPeriodOver(d("2025-10-19")),
            ),
            (
                AwaitingCorrection,
                Action::CorrectionExpired,
                Role::System,
                CaseFacts { correction_due: Some(d("2025-10-20")), ..base.clone() },
                Refusal::CorrectionPeriodRunning,
            ),
            // the receipt's last day is today: the clerk may still answer it
            (
                Submitted,
                Action::DeemAccepted,
                Role::System,
                CaseFacts { receipt_due: Some(d("2025-10-20")), ..base.clone() },
                Refusal::ReceiptWindowRunning,
            ),
            (Submitted, Action::DeemAccepted, Role::System, base.clone(), Refusal::ReceiptWindowRunning),
            (
                AwaitingPayment,
                Action::FeeExpired,
                Role::System,
                CaseFacts { fee_due: Some(d("2025-10-20")), ..base.clone() },
                Refusal::FeeTermRunning,
            ),
            (
                InReview,
                Action::Decide { kind: DecisionKind::Grant, reason: String::new() },
                Role::Approver,
                CaseFacts { opinions_pending: 2, ..base.clone() },
                Refusal::OpinionsPending(2),
            ),
            (
                InReview,
                Action::Extend { days: 5, reason: "需要".into() },
                Role::Approver,
                CaseFacts { extended_already: true, ..base.clone() },
                Refusal::Extension(crate::deadline::DeadlineError::AlreadyExtended),
            ),
            (
                InReview,
                Action::Extend { days: 5, reason: "需要".into() },
                Role::Approver,
                CaseFacts { extension_cap: 0, ..base.clone() },
                Refusal::Extension(crate::deadline::DeadlineError::ExtensionNotAllowed),
            ),
            (
                InReview,
                Action::Decide { kind: DecisionKind::Deny, reason: " ".into() },
                Role::Approver,
                base.clone(),
                Refusal::ReasonRequired,
            ),
            // 容缺 materials past their due date: no grant, here or by the higher authority
            (
                InReview,
                Action::Decide { kind: DecisionKind::Grant, reason: String::new() },
                Role::Approver,
                CaseFacts { supplement_overdue: true, ..base.clone() },
                Refusal::SupplementOverdue,
            ),
            (
                Decided(DecisionKind::Forward),
                Action::RecordHigherDecision { kind: DecisionKind::Grant, reason: "批复".into() },
                Role::Approver,
                CaseFacts { supplement_overdue: true, ..base.clone() },
                Refusal::SupplementOverdue,
            ),
            // the higher authority's denial states its reason, as a denial here does
            (
                Decided(DecisionKind::Forward),
                Action::RecordHigherDecision { kind: DecisionKind::Deny, reason: " ".into() },
                Role::Approver,
                base.clone(),
                Refusal::ReasonRequired,
            ),
            (
                Submitted,
                Action::Reject { reason: String::new() },
                Role::WindowClerk,
                base.clone(),
                Refusal::ReasonRequired,
            ),
            (
                InReview,
                Action::Suspend { kind: "test".into(), reason: String::new() },
                Role::Approver,
                base.clone(),
                Refusal::ReasonRequired,
            ),
        ];
        for (s, a, r, f, want) in cases {
            assert_eq!(transition(s, &a, r, &f), Err(want.clone()), "{s:?} {a:?}");
            assert!(!want.message(Lang::ZhHans).is_empty());
        }
    }

    /// An unanswered correction is not refused by the scheduler: it proposes the refusal, the head
    /// approves it [001 第九条]; meanwhile the applicant can no longer correct, only withdraw.
    #[test]
    fn an_expired_correction_is_refused_with_the_heads_approval() {
        let f = CaseFacts { correction_due: Some(d("2025-10-17")), ..CaseFacts::on(d("2025-10-20")) };
        let proposed = transition(AwaitingCorrection, &Action::CorrectionExpired, Role::System, &f).unwrap();
        assert_eq!(proposed.to, RefusalProposed);
        let steps: [(Action, Role, Option<CaseState>); 5] = [
            (Action::Resubmit, Role::Applicant, None),
            (Action::Reject { reason: "逾期".into() }, Role::WindowClerk, None),
            (Action::Accept, Role::WindowClerk, None),
            (Action::Withdraw, Role::Applicant, Some(Withdrawn)),
            (Action::ApproveRefusal, Role::Approver, Some(NotAccepted)),
        ];
        for (a, r, want) in steps {
            let got = transition(RefusalProposed, &a, r, &f).map(|t| t.to);
            match want {
                Some(to) => assert_eq!(got, Ok(to), "{a:?}"),
                None => assert!(matches!(got, Err(Refusal::WrongState { .. })), "{a:?} → {got:?}"),
            }
        }
        assert!(RefusalProposed.before_decision() && !RefusalProposed.is_final());
    }

    /// A filing (备案) is concluded from its receipt, 予以备案 or 不予备案 only [001 重庆]: no
    /// acceptance, no correction notice, no refusal of acceptance, no acceptance by law; a
    /// complete one is filed, an incomplete one is not (with the one-time list as its reason).
    #[test]
    fn a_filing_is_filed_or_not() {
        let filing = CaseFacts { filing: true, ..CaseFacts::on(d("2025-10-20")) };
        let incomplete = CaseFacts { materials_acceptable: false, ..filing.clone() };
        let file = |kind, reason: &str| Action::File { kind, reason: reason.into() };
        let rows: Vec<(Action, Role, &CaseFacts, Result<CaseState, Refusal>)> = vec![
            (file(DecisionKind::Grant, ""), Role::WindowClerk, &filing, Ok(Decided(DecisionKind::Grant))),
            (file(DecisionKind::Grant, ""), Role::Approver, &filing, Ok(Decided(DecisionKind::Grant))),
            (file(DecisionKind::Grant, ""), Role::WindowClerk, &incomplete, Err(Refusal::MaterialsIncomplete)),
            (
                file(DecisionKind::Deny, "1. 专家审查意见：缺少"),
                Role::WindowClerk,
                &incomplete,
                Ok(Decided(DecisionKind::Deny)),
            ),
            (file(DecisionKind::Deny, " "), Role::WindowClerk, &incomplete, Err(Refusal::ReasonRequired)),
            (Action::Accept, Role::WindowClerk, &filing, Err(Refusal::FilingConclusionOnly)),
            (Action::RequestCorrection, Role::WindowClerk, &incomplete, Err(Refusal::FilingConclusionOnly)),
            (Action::Reject { reason: "x".into() }, Role::WindowClerk, &filing, Err(Refusal::FilingConclusionOnly)),
            (Action::DeemAccepted, Role::System, &filing, Err(Refusal::FilingConclusionOnly)),
            (Action::Withdraw, Role::Applicant, &filing, Ok(Withdrawn)),
        ];
        for (a, r, f, want) in rows {
            assert_eq!(transition(Submitted, &a, r, f).map(|t| t.to), want, "{a:?} by {r:?}");
        }
        let not_filing = CaseFacts::on(d("2025-10-20"));
        assert!(matches!(
            transition(Submitted, &file(DecisionKind::Grant, ""), Role::WindowClerk, &not_filing),
            Err(Refusal::WrongState { .. })
        ));
        assert!(matches!(
            transition(InReview, &file(DecisionKind::Grant, ""), Role::Approver, &filing),
            Err(Refusal::WrongState { .. })
        ));
        assert!(!Refusal::FilingConclusionOnly.message(Lang::En).is_empty());
    }

    #[test]
    fn codes_round_trip() {
        for s in CaseState::ALL {
            assert_eq!(CaseState::from_code(s.code()), Some(s));
            for l in Lang::ALL {
                assert!(!s.label(l).is_empty());
            }
        }
        for r in Role::STAFF {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
    }
}
