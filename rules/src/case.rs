//! The case state machine (DESIGN.md §3): states, actions, who may take them, guards.
//! `transition(state, action, actor, facts)` is the single place that decides.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::codes::UnknownCode;
use crate::event::EventKind;
use crate::lang::Lang;

pub use crate::actors::{Channel, Role};

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

pub use crate::refusal::Refusal;

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
#[path = "case_tests.rs"]
mod tests;
