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
mod tests {
    use super::*;
    use crate::case::DecisionKind;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn open(state: CaseState, due: &str) -> OpenCase {
        OpenCase {
            state,
            due_on: Some(d(due)),
            due_for: None,
            received_on: None,
            supplement_due: None,
            supplement_overdue: false,
            warning_days: 2,
        }
    }

    fn termed(state: CaseState, due: &str, term: Term) -> OpenCase {
        OpenCase { due_for: Some(term), ..open(state, due) }
    }

    /// Every state's terms are the ones it can run; the department's states each have one
    /// that a record can be opened for.
    #[test]
    fn terms_of_states() {
        for s in CaseState::ALL {
            let terms = Term::of(s);
            match clock_of(s) {
                Clock::Department => {
                    assert!(AccountabilityKind::of(s, None).is_some(), "{s:?}");
                    for t in terms {
                        assert!(AccountabilityKind::of(s, Some(*t)).is_some(), "{s:?} {t:?}");
                    }
                }
                _ => assert!(AccountabilityKind::of(s, None).is_none(), "{s:?}"),
            }
            for t in Term::ALL {
                assert_eq!(Term::from_code(t.code()), Some(t));
            }
        }
        assert_eq!(department_states().count(), 8);
    }

    #[test]
    fn clocks() {
        use CaseState::*;
        for (s, c) in [
            (Submitted, Clock::Department),
            (Accepted, Clock::Department),
            (InReview, Clock::Department),
            (ReadyForDelivery, Clock::Department),
            (AwaitingCorrection, Clock::Applicant),
            // the correction's term is over: the department's refusal runs
            (RefusalProposed, Clock::Department),
            (AwaitingPayment, Clock::Applicant),
            // the fee's term is over: the department's denial runs
            (DenialProposed, Clock::Department),
            (Suspended, Clock::None),
            (Decided(DecisionKind::Grant), Clock::Department),
            (Decided(DecisionKind::Deny), Clock::Department),
            (Decided(DecisionKind::Forward), Clock::None),
            (Draft, Clock::None),
            (Closed, Clock::None),
        ] {
            assert_eq!(clock_of(s), c, "{s:?}");
        }
    }

    /// Levels across the 2025 National Day holiday (10-01..10-08 off, 09-28 and 10-11 make-up).
    #[test]
    fn levels_across_holidays_table() {
        let cal = Calendar::shipped();
        use WarningLevel::*;
        let rows: [(&str, &str, WarningLevel); 8] = [
            // due 10-10: after 09-30 the working days left are 10-09 and 10-10 → yellow on 09-30
            ("2025-09-30", "2025-10-10", Warning),
            ("2025-09-26", "2025-10-10", Normal),
            // on the due day itself: 0 left, yellow
            ("2025-10-10", "2025-10-10", Warning),
            // the day after the due day: red, even over a weekend
            ("2025-10-11", "2025-10-10", Overdue),
            ("2025-10-12", "2025-10-10", Overdue),
            // due on the last working day before the holiday, checked during it: red
            ("2025-10-03", "2025-09-30", Overdue),
            // due right after the holiday, checked on its first day: 10-09 is 1 working day away
            ("2025-10-01", "2025-10-09", Warning),
            ("2025-09-24", "2025-10-09", Normal),
        ];
        for (today, due, want) in rows {
            let got = level(&cal, CaseState::InReview, Some(d(due)), d(today), 2).unwrap();
            assert_eq!(got, want, "today {today} due {due}");
        }
        // Not the department's clock → always normal.
        assert_eq!(
            level(&cal, CaseState::AwaitingCorrection, Some(d("2025-01-02")), d("2025-06-01"), 2).unwrap(),
            Normal
        );
        assert_eq!(level(&cal, CaseState::Suspended, Some(d("2025-01-02")), d("2025-06-01"), 2).unwrap(), Normal);
    }

    #[test]
    fn duties_table() {
        let cal = Calendar::shipped();
        let today = d("2025-10-13");
        // (case, expected duties)
        // received Friday 09-26: the 5 working days are 09-28 (make-up Sunday), 09-29, 09-30, 10-09, 10-10
        let mut receipt = open(CaseState::Submitted, "2025-10-10");
        receipt.received_on = Some(d("2025-09-26"));
        let mut supplement = open(CaseState::InReview, "2025-11-30");
        supplement.supplement_due = Some(d("2025-10-12"));
        let mut supplement_flagged = supplement.clone();
        supplement_flagged.supplement_overdue = true;
        let decision = |due: &str| Duty::Accountability { kind: AccountabilityKind::DecisionOverdue, due: d(due) };
        let rows: Vec<(OpenCase, Vec<Duty>)> = vec![
            (open(CaseState::InReview, "2025-11-30"), vec![]),
            // Yellow is only a light: nothing to do.
            (open(CaseState::InReview, "2025-10-14"), vec![]),
            (open(CaseState::InReview, "2025-10-13"), vec![]),
            // Red: the record (a second ask is a no-op through the unique key).
            (open(CaseState::InReview, "2025-10-10"), vec![decision("2025-10-10")]),
            (open(CaseState::Accepted, "2025-10-12"), vec![decision("2025-10-12")]),
            (
                open(CaseState::ReadyForDelivery, "2025-10-10"),
                vec![Duty::Accountability { kind: AccountabilityKind::DeliveryOverdue, due: d("2025-10-10") }],
            ),
            (
                receipt,
                vec![
                    Duty::Accountability { kind: AccountabilityKind::AcceptanceOverdue, due: d("2025-10-10") },
                    Duty::DeemAccepted { from: d("2025-09-26") },
                ],
            ),
            // The receipt's last day is today: the clerk may still answer it.
            (open(CaseState::Submitted, "2025-10-13"), vec![]),
            // A filing not concluded by the working day after its receipt: late, and never
            // accepted by law (a filing has no acceptance).
            (
                OpenCase {
                    received_on: Some(d("2025-09-26")),
                    ..termed(CaseState::Submitted, "2025-10-10", Term::Decision)
                },
                vec![decision("2025-10-10")],
            ),
            (open(CaseState::AwaitingCorrection, "2025-10-10"), vec![Duty::ExpireCorrection]),
            // The correction's last day is today: nothing yet.
            (open(CaseState::AwaitingCorrection, "2025-10-13"), vec![]),
            // The proposed refusal waits for the head: a record once its 2 working days passed,
            // none on its last day.
            (
                termed(CaseState::RefusalProposed, "2025-10-10", Term::Refusal),
                vec![Duty::Accountability { kind: AccountabilityKind::RefusalOverdue, due: d("2025-10-10") }],
            ),
            (termed(CaseState::RefusalProposed, "2025-10-13", Term::Refusal), vec![]),
            (open(CaseState::AwaitingPayment, "2025-10-12"), vec![Duty::ExpireFee]),
            (open(CaseState::AwaitingPayment, "2025-10-13"), vec![]),
            // A suspended case's clock stands still: no record, whatever its old due date.
            (open(CaseState::Suspended, "2025-10-10"), vec![]),
            (supplement, vec![Duty::SupplementOverdue { due: d("2025-10-12") }]),
            (supplement_flagged, vec![]),
            // A decision runs its own next term: the fee notice (due the day of the decision) or
            // the delivery; each passed term opens its own kind of record.
            (
                termed(CaseState::Decided(DecisionKind::Grant), "2025-10-10", Term::FeeNotice),
                vec![Duty::Accountability { kind: AccountabilityKind::FeeNoticeOverdue, due: d("2025-10-10") }],
            ),
            (
                termed(CaseState::Decided(DecisionKind::Grant), "2025-10-10", Term::Delivery),
                vec![Duty::Accountability { kind: AccountabilityKind::DeliveryOverdue, due: d("2025-10-10") }],
            ),
            (
                open(CaseState::Decided(DecisionKind::Deny), "2025-10-12"),
                vec![Duty::Accountability { kind: AccountabilityKind::DeliveryOverdue, due: d("2025-10-12") }],
            ),
            (termed(CaseState::Decided(DecisionKind::Grant), "2025-10-13", Term::FeeNotice), vec![]),
            // A term the state does not run is no department's deadline.
            (termed(CaseState::Decided(DecisionKind::Deny), "2025-10-10", Term::FeeNotice), vec![]),
            (termed(CaseState::ReadyForDelivery, "2025-10-10", Term::Decision), vec![]),
            // 上报 waits for the higher authority (item 11): no clock of this department.
            (open(CaseState::Decided(DecisionKind::Forward), "2025-10-10"), vec![]),
        ];
        for (i, (case, want)) in rows.into_iter().enumerate() {
            assert_eq!(duties(&cal, &case, today).unwrap(), want, "row {i}: {case:?}");
        }
    }

    /// After carrying the duties out, only the (unique) record is asked for again.
    #[test]
    fn carrying_out_leaves_nothing() {
        let cal = Calendar::shipped();
        let today = d("2025-10-13");
        let mut c = open(CaseState::Submitted, "2025-10-10");
        c.received_on = Some(d("2025-09-26"));
        for duty in duties(&cal, &c, today).unwrap() {
            if let Duty::DeemAccepted { .. } = duty {
                // the transition: accepted, on the decision's clock from the day of receipt
                c.state = CaseState::Accepted;
                c.due_on = Some(d("2025-10-24"));
                c.due_for = Some(Term::Decision);
            }
        }
        let again = duties(&cal, &c, today).unwrap();
        assert!(again.iter().all(|d| matches!(d, Duty::Accountability { .. })), "{again:?}");
    }

    /// A record is asked for exactly when the level is red on a department clock, and
    /// `record_due` says the same as `duties`.
    #[test]
    fn record_due_matches_duties() {
        use CaseState::*;
        let cal = Calendar::shipped();
        let today = d("2025-10-13");
        for state in [
            Submitted,
            Accepted,
            InReview,
            ReadyForDelivery,
            Decided(DecisionKind::Grant),
            Decided(DecisionKind::Deny),
            Decided(DecisionKind::Forward),
            AwaitingCorrection,
            AwaitingPayment,
            Suspended,
        ] {
            for ahead in -5i64..5 {
                let due = today + chrono::Duration::days(ahead);
                let mut c = open(state, "2025-01-01");
                c.due_on = Some(due);
                let from_duties = duties(&cal, &c, today).unwrap().into_iter().find_map(|d| match d {
                    Duty::Accountability { kind, due } => Some((kind, due)),
                    _ => None,
                });
                assert_eq!(record_due(state, None, Some(due), today), from_duties, "{state:?} {due}");
                let red = level(&cal, state, Some(due), today, 2).unwrap() == WarningLevel::Overdue;
                assert_eq!(from_duties.is_some(), red, "{state:?} {due}");
            }
        }
    }

    #[test]
    fn records_range() {
        let today = d("2025-10-13");
        assert_eq!(records_due_range(None, today), (None, today));
        assert_eq!(records_due_range(Some(d("2025-10-10")), today), (Some(d("2025-10-10")), today));
        assert_eq!(records_due_range(Some(today), today), (Some(today), today));
        // A sweep for an earlier day (a fixed clock in a test, a clock set back): from the start.
        assert_eq!(records_due_range(Some(d("2025-10-20")), today), (None, today));
    }

    /// The window is exact, so the server counts lights with due-date ranges: a department
    /// clock due before today is red, one due from today up to `warn_from` yellow, any later one
    /// green.
    #[test]
    fn window_is_exact() {
        let cal = Calendar::shipped();
        let mut today = d("2025-01-01");
        while today < d("2026-12-01") {
            for warn in [0u32, 1, 2, 3, 5] {
                let w = sweep_window(&cal, today, warn).unwrap();
                for ahead in -10i64..40 {
                    let due = today + chrono::Duration::days(ahead);
                    let want = if due < w.late_before {
                        WarningLevel::Overdue
                    } else if due <= w.warn_from {
                        WarningLevel::Warning
                    } else {
                        WarningLevel::Normal
                    };
                    assert_eq!(
                        level(&cal, CaseState::InReview, Some(due), today, warn).unwrap(),
                        want,
                        "{today} {warn} {due}"
                    );
                }
            }
            today += chrono::Duration::days(1);
        }
    }

    /// Every case that `duties` would change lies in the sweep window: a due date after
    /// `warn_from` never changes level today.
    #[test]
    fn window_covers_every_change() {
        let cal = Calendar::shipped();
        let mut today = d("2025-01-01");
        while today < d("2026-12-01") {
            for warn in [0u32, 2, 3, 5] {
                let w = sweep_window(&cal, today, warn).unwrap();
                for ahead in 0..40 {
                    let due = today + chrono::Duration::days(ahead);
                    let lvl = level(&cal, CaseState::InReview, Some(due), today, warn).unwrap();
                    if due > w.warn_from {
                        assert_eq!(lvl, WarningLevel::Normal, "today {today} warn {warn} due {due}");
                    }
                }
            }
            today += chrono::Duration::days(3);
        }
    }
}
