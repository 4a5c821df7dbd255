//! Supervision (限时办结, 电子监察; DESIGN.md §4, [003]): whose clock a state runs on, its warning
//! level (the traffic light), and what the daily sweep must do for one open case on a day — open
//! an accountability record (问责记录) once when the department's deadline passes, refuse an
//! unanswered correction or an unpaid fee past its term, flag a receipt not answered within 5
//! working days (deemed accepted, 行政许可法第三十二条) and 容缺 supplements past due.
//!
//! The level is never stored: it is a function of state, due date, today and the item's
//! threshold ([`level`]), and [`SweepWindow`] turns it into due-date ranges, so a dashboard counts
//! lights with index ranges and the sweep writes nothing when only the day changes. The sweep
//! reads only the cases whose dates can change something today ([`records_due_range`] and the
//! candidates of [`duties`]), so it costs what changes, not what is open.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::case::CaseState;
use crate::deadline::{self, DeadlineError, WarningLevel};
use crate::lang::Lang;

/// Whose deadline the case's current due date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Clock {
    /// The department must act by the due date (accept, decide, deliver): warnings and
    /// accountability apply.
    Department,
    /// The applicant must act (answer a correction, pay a fee): past the due date the rule acts.
    Applicant,
    /// No running clock (draft, suspended, decided, final).
    None,
}

pub fn clock_of(state: CaseState) -> Clock {
    use crate::case::DecisionKind::{Deny, Grant};
    match state {
        CaseState::Submitted
        | CaseState::RefusalProposed
        | CaseState::DenialProposed
        | CaseState::Accepted
        | CaseState::InReview
        | CaseState::Decided(Grant | Deny)
        | CaseState::ReadyForDelivery => Clock::Department,
        CaseState::AwaitingCorrection | CaseState::AwaitingPayment => Clock::Applicant,
        _ => Clock::None,
    }
}

/// The states that run on a department's clock (lights, accountability).
pub fn department_states() -> impl Iterator<Item = CaseState> {
    CaseState::ALL.into_iter().filter(|s| clock_of(*s) == Clock::Department)
}

/// What a case's due date is the last day for: each step the law gives a term has its own, so
/// a case ready for delivery is measured against its delivery term, not its decision's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveValueType),
    sea_orm(value_type = "String", from_str = "Term::decode", to_str = "Term::code")
)]
pub enum Term {
    /// Accept, ask for a correction or refuse within 5 working days of receipt (Art. 32).
    Acceptance,
    /// The applicant's correction term.
    Correction,
    /// The refusal of an unanswered correction, approved by the head, within 2 working days of
    /// the correction term's end [001 第九条].
    Refusal,
    /// The denial of an unpaid fee, approved by the head [001 第十九条], within 2 working days of
    /// the payment term's end.
    Denial,
    /// The decision, by the promised limit (suspensions excluded, the one extension included).
    Decision,
    /// The fee notice goes out the day of the decision [001 第十八条].
    FeeNotice,
    /// The applicant's payment term.
    Payment,
    /// Delivery: within 10 working days of the decision (Art. 44), within 3 of payment where a
    /// fee is due [001 第十九条].
    Delivery,
}

impl Term {
    pub const ALL: [Term; 8] = [
        Term::Acceptance,
        Term::Correction,
        Term::Refusal,
        Term::Denial,
        Term::Decision,
        Term::FeeNotice,
        Term::Payment,
        Term::Delivery,
    ];

    /// Stable code for the database.
    pub fn code(&self) -> &'static str {
        match self {
            Term::Acceptance => "acceptance",
            Term::Correction => "correction",
            Term::Refusal => "refusal",
            Term::Denial => "denial",
            Term::Decision => "decision",
            Term::FeeNotice => "fee_notice",
            Term::Payment => "payment",
            Term::Delivery => "delivery",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    /// [`from_code`](Term::from_code) with an error naming the code.
    pub fn decode(code: &str) -> Result<Self, crate::codes::UnknownCode> {
        Self::from_code(code).ok_or_else(|| crate::codes::UnknownCode { what: "term", code: code.into() })
    }

    /// The terms a case in `state` can be running; the first is the one it runs unless told.
    pub fn of(state: CaseState) -> &'static [Term] {
        use crate::case::DecisionKind::{Deny, Grant};
        match state {
            // a filing is concluded from its receipt: its decision's term runs from the start
            CaseState::Submitted => &[Term::Acceptance, Term::Decision],
            CaseState::AwaitingCorrection => &[Term::Correction],
            CaseState::RefusalProposed => &[Term::Refusal],
            CaseState::DenialProposed => &[Term::Denial],
            CaseState::Accepted | CaseState::InReview | CaseState::Suspended => &[Term::Decision],
            CaseState::Decided(Grant) => &[Term::Delivery, Term::FeeNotice],
            CaseState::Decided(Deny) | CaseState::ReadyForDelivery => &[Term::Delivery],
            CaseState::AwaitingPayment => &[Term::Payment],
            _ => &[],
        }
    }

    /// What the due date of a case in `state` running `term` is the last day for, in words.
    pub fn label(&self, lang: Lang) -> &'static str {
        match self {
            Term::Acceptance => lang.pick("受理期限", "受理期限", "Acceptance due"),
            Term::Correction => lang.pick("补正期限", "補正期限", "Correction due"),
            Term::Refusal => lang.pick("不予受理决定期限", "不予受理決定期限", "Refusal due"),
            Term::Denial => lang.pick("不予批准决定期限", "不予批准決定期限", "Denial due"),
            Term::Decision => lang.pick("办理期限", "辦理期限", "Decision due"),
            Term::FeeNotice => lang.pick("缴费通知期限", "繳費通知期限", "Fee notice due"),
            Term::Payment => lang.pick("缴费期限", "繳費期限", "Payment due"),
            Term::Delivery => lang.pick("送达期限", "送達期限", "Delivery due"),
        }
    }
}

/// A case's warning level: the traffic light of a department's clock, `Normal` for any other
/// clock.
pub fn level(
    cal: &Calendar,
    state: CaseState,
    due: Option<NaiveDate>,
    today: NaiveDate,
    warn_days: u32,
) -> Result<WarningLevel, DeadlineError> {
    match (clock_of(state), due) {
        (Clock::Department, Some(due)) => Ok(deadline::warning(cal, due, today, warn_days)?.level),
        _ => Ok(WarningLevel::Normal),
    }
}

/// Why a department is held to account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveValueType),
    sea_orm(value_type = "String", from_str = "AccountabilityKind::decode", to_str = "AccountabilityKind::code")
)]
pub enum AccountabilityKind {
    /// A receipt not answered within 5 working days.
    AcceptanceOverdue,
    /// No decision by the (possibly extended) due date.
    DecisionOverdue,
    /// An unanswered correction not refused (with the head's approval) within 2 working days of
    /// its term [001 第九条].
    RefusalOverdue,
    /// An unpaid fee's denial not approved within 2 working days of the payment term [001 第十九条].
    DenialOverdue,
    /// No fee notice on the day of the decision [001 第十八条].
    FeeNoticeOverdue,
    /// Not delivered within 10 working days of the decision, or 3 of payment.
    DeliveryOverdue,
    /// A review stage's or a co-department's opinion not given by its due date (the record is
    /// that department's) [001 第十三条, 重庆; 003].
    OpinionOverdue,
}

impl AccountabilityKind {
    pub const ALL: [AccountabilityKind; 7] = [
        AccountabilityKind::AcceptanceOverdue,
        AccountabilityKind::RefusalOverdue,
        AccountabilityKind::DenialOverdue,
        AccountabilityKind::DecisionOverdue,
        AccountabilityKind::FeeNoticeOverdue,
        AccountabilityKind::DeliveryOverdue,
        AccountabilityKind::OpinionOverdue,
    ];

    pub fn code(&self) -> &'static str {
        match self {
            AccountabilityKind::AcceptanceOverdue => "acceptance_overdue",
            AccountabilityKind::RefusalOverdue => "refusal_overdue",
            AccountabilityKind::DenialOverdue => "denial_overdue",
            AccountabilityKind::DecisionOverdue => "decision_overdue",
            AccountabilityKind::FeeNoticeOverdue => "fee_notice_overdue",
            AccountabilityKind::DeliveryOverdue => "delivery_overdue",
            AccountabilityKind::OpinionOverdue => "opinion_overdue",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// [`AccountabilityKind::from_code`], refusing an unknown code (the database column's reading).
    pub fn decode(code: &str) -> Result<Self, crate::codes::UnknownCode> {
        Self::from_code(code)
            .ok_or_else(|| crate::codes::UnknownCode { what: "accountability kind", code: code.into() })
    }

    pub fn label(&self, lang: Lang) -> &'static str {
        match self {
            AccountabilityKind::AcceptanceOverdue => lang.pick("逾期未受理", "逾期未受理", "Acceptance overdue"),
            AccountabilityKind::RefusalOverdue => {
                lang.pick("逾期未作不予受理决定", "逾期未作不予受理決定", "Refusal of acceptance overdue")
            }
            AccountabilityKind::DenialOverdue => {
                lang.pick("逾期未作不予批准决定", "逾期未作不予批准決定", "Denial of an unpaid fee overdue")
            }
            AccountabilityKind::DecisionOverdue => lang.pick("超期未办结", "超期未辦結", "Decision overdue"),
            AccountabilityKind::FeeNoticeOverdue => {
                lang.pick("逾期未发缴费通知", "逾期未發繳費通知", "Fee notice overdue")
            }
            AccountabilityKind::DeliveryOverdue => lang.pick("逾期未送达", "逾期未送達", "Delivery overdue"),
            AccountabilityKind::OpinionOverdue => lang.pick("逾期未出具意见", "逾期未出具意見", "Opinion overdue"),
        }
    }

    /// The record the passing of `term` opens for a case in `state` (`None`: not a department's
    /// deadline, or a term the state does not run). A case without a term runs its state's first.
    pub fn of(state: CaseState, term: Option<Term>) -> Option<Self> {
        let terms = Term::of(state);
        let term = term.or(terms.first().copied())?;
        if clock_of(state) != Clock::Department || !terms.contains(&term) {
            return None;
        }
        match term {
            Term::Acceptance => Some(AccountabilityKind::AcceptanceOverdue),
            Term::Refusal => Some(AccountabilityKind::RefusalOverdue),
            Term::Denial => Some(AccountabilityKind::DenialOverdue),
            Term::Decision => Some(AccountabilityKind::DecisionOverdue),
            Term::FeeNotice => Some(AccountabilityKind::FeeNoticeOverdue),
            Term::Delivery => Some(AccountabilityKind::DeliveryOverdue),
            Term::Correction | Term::Payment => None,
        }
    }
}

/// What the sweep knows of one open case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenCase {
    pub state: CaseState,
    pub due_on: Option<NaiveDate>,
    /// What `due_on` is the last day for.
    pub due_for: Option<Term>,
    /// The day the current submission was received (the receipt's day).
    pub received_on: Option<NaiveDate>,
    pub supplement_due: Option<NaiveDate>,
    pub supplement_overdue: bool,
    /// The item's yellow-light threshold in working days.
    pub warning_days: u32,
}

/// One thing the sweep must do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Duty {
    /// Open an accountability record (once per case, kind and due date).
    Accountability { kind: AccountabilityKind, due: NaiveDate },
    /// A receipt not answered in time is accepted from the day it was received
    /// (`Action::DeemAccepted`, 行政许可法第三十二条).
    DeemAccepted { from: NaiveDate },
    /// `Action::CorrectionExpired`: not accepted (the correction was not answered in time).
    ExpireCorrection,
    /// `Action::FeeExpired`: refused (the fee was not paid in time).
    ExpireFee,
    /// 容缺 materials not supplied by their deadline.
    SupplementOverdue { due: NaiveDate },
}

/// What must happen to `case` on `today`. Pure and idempotent: once the server has carried the
/// duties out (the flags, the new state; a record is unique per case, kind and due date), asking
/// again yields only the records already opened.
pub fn duties(cal: &Calendar, case: &OpenCase, today: NaiveDate) -> Result<Vec<Duty>, DeadlineError> {
    let mut out = Vec::new();
    let lvl = level(cal, case.state, case.due_on, today, case.warning_days)?;
    if let (WarningLevel::Overdue, Some(due), Some(kind)) =
        (lvl, case.due_on, AccountabilityKind::of(case.state, case.due_for))
    {
        out.push(Duty::Accountability { kind, due });
        // Accepted by law: a receipt on its acceptance term (a filing's runs its decision's).
        if case.state == CaseState::Submitted && case.due_for != Some(Term::Decision) {
            let from = case.received_on.unwrap_or(due);
            if let deadline::ReceiptStatus::DeemedAccepted { accepted_on } = deadline::receipt_status(cal, from, today)?
            {
                out.push(Duty::DeemAccepted { from: accepted_on });
            }
        }
    }
    if let Some(due) = case.due_on {
        if today > due {
            match case.state {
                CaseState::AwaitingCorrection => out.push(Duty::ExpireCorrection),
                CaseState::AwaitingPayment => out.push(Duty::ExpireFee),
                _ => {}
            }
        }
    }
    if let Some(due) = case.supplement_due {
        if today > due && !case.supplement_overdue && !case.state.is_final() {
            out.push(Duty::SupplementOverdue { due });
        }
    }
    Ok(out)
}

/// The due dates a sweep on `today` must look at: a case whose department clock is due on or
/// before `warn_from` may turn yellow (or red), one due before `today` is late. Cases due later
/// cannot change level today, so the server reads only these ranges of its index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SweepWindow {
    /// The last due date that is within the largest warning threshold of today.
    pub warn_from: NaiveDate,
    /// Due dates before this day are past.
    pub late_before: NaiveDate,
}

/// The due dates whose passing a sweep on `today` must record, given the day of the last sweep
/// that ran to its end: `[from, today)`, where `from` is that day (its sweep recorded everything
/// due before it) or unbounded (`None`) when no sweep has run yet. A transition that leaves a case
/// on a department clock already past its due date records it itself, so a due date set into the
/// past after a sweep is not missed either.
pub fn records_due_range(last_swept: Option<NaiveDate>, today: NaiveDate) -> (Option<NaiveDate>, NaiveDate) {
    (last_swept.filter(|l| *l <= today), today)
}

/// The record a case's state and due date call for on `today`: a department clock whose due
/// date has passed.
pub fn record_due(
    state: CaseState,
    term: Option<Term>,
    due: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<(AccountabilityKind, NaiveDate)> {
    match (AccountabilityKind::of(state, term), due) {
        (Some(kind), Some(due)) if due < today => Some((kind, due)),
        _ => None,
    }
}

pub fn sweep_window(cal: &Calendar, today: NaiveDate, max_warning_days: u32) -> Result<SweepWindow, DeadlineError> {
    // `warning` is Normal only when more than `warn_days` working days are left after today, so
    // the last due date that can be yellow is the `warn_days`-th working day after today, plus any
    // non-working days that follow it.
    let mut last = cal.nth_working_day_after(today, max_warning_days)?;
    while !cal.is_working_day(last + chrono::Duration::days(1)) {
        last += chrono::Duration::days(1);
    }
    Ok(SweepWindow { warn_from: last, late_before: today })
}

#[cfg(test)]
#[path = "supervision_tests.rs"]
mod tests;
