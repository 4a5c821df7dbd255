//! The whole outcome of one action on a case, decided once: the transition, every clock that
//! starts, moves or stops, the verdict on a decision, the opinions to open or re-date, and the
//! record owed at once. The engine persists the value in one transaction; the law lives here, in
//! one pure function with table tests.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::case::{transition, Action, CaseFacts, CaseState, DecisionKind, Refusal, Role, Transition};
use crate::deadline::{self, DeadlineError, Suspension, TimeLimit, Verdict};
use crate::item::{ItemKind, ItemRules};
use crate::supervision::{self, AccountabilityKind, Term};

/// A case's clocks: what its row keeps of its terms and days.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clocks {
    /// The last day of the term the case runs (`term`).
    pub due_on: Option<NaiveDate>,
    pub term: Option<Term>,
    /// The day the current submission was received.
    pub received_on: Option<NaiveDate>,
    /// The decision clock's first day (the receipt's, for a deemed acceptance).
    pub accepted_on: Option<NaiveDate>,
    /// Accepted by law (Art. 32) from this day.
    pub deemed_accepted_on: Option<NaiveDate>,
    pub correction_due: Option<NaiveDate>,
    pub fee_due: Option<NaiveDate>,
    /// 容缺: the deferred materials are due by this day.
    pub supplement_due: Option<NaiveDate>,
    /// The day of the first decision, or of the refusal of acceptance.
    pub decided_on: Option<NaiveDate>,
    /// The decision's due date when it was made.
    pub decision_due: Option<NaiveDate>,
    pub extended: bool,
    pub delivered_on: Option<NaiveDate>,
    pub delivered_late: bool,
    pub closed_on: Option<NaiveDate>,
}

/// What a case's events say about its clocks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    /// Its suspensions, oldest first; the open one has no last day.
    pub suspensions: Vec<Suspension>,
    /// The working days of its one extension (0 = none).
    pub extension_days: u32,
}

/// A case as the action finds it.
#[derive(Debug, Clone, Copy)]
pub struct CaseNow<'a> {
    pub state: CaseState,
    /// The facts the transition's guards weigh.
    pub facts: &'a CaseFacts,
    pub clocks: &'a Clocks,
    pub history: &'a History,
    /// An acceptance leaves deferrable materials missing (容缺): their term starts.
    pub deferred_missing: bool,
}

/// What the action does to the case's opinions (review stages, co-departments).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tasks {
    Keep,
    /// Unified acceptance: the co-departments and the first review stage get the case today.
    OpenAtAcceptance,
    /// A suspension stops every clock of the case, the opinions' too: re-date the open ones.
    Redate(Vec<Suspension>),
}

/// The outcome of one action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub transition: Transition,
    /// Every clock after the action.
    pub clocks: Clocks,
    /// The verdict to keep when the action is the case's decision (`Some`), `Some(None)` for a
    /// decision without a decision clock; `None` when the action decides nothing.
    pub verdict: Option<Option<Verdict>>,
    pub tasks: Tasks,
    /// A department clock left past its due date: held to account at once (the sweep records
    /// only the due dates that passed since its last run).
    pub record: Option<(AccountabilityKind, NaiveDate)>,
}

/// Why an action has no outcome.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Blocked {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error("calendar: {0}")]
    Calendar(#[from] DeadlineError),
}

/// The judgement on a case decided on `decided`: `None` when it never had a decision clock (no
/// acceptance or due day). Suspensions are not counted as days used.
pub fn judge(
    cal: &Calendar,
    started: Option<NaiveDate>,
    due: Option<NaiveDate>,
    decided: NaiveDate,
    suspensions: &[Suspension],
) -> Option<Verdict> {
    let (accepted, due) = (started?, due?);
    let used = deadline::days_used(cal, accepted, decided, deadline::LimitUnit::WorkingDays, suspensions).unwrap_or(0);
    Some(deadline::DecidedCase { accepted, due, decided, working_days_used: used }.verdict())
}

/// The term a grant or a denial made on `day` runs first, and its last day: the fee notice the
/// same day where a fee is due [001 第十八条], else the delivery within 10 working days (Art. 44);
/// a forwarded case (上报) runs the higher authority's clock, not this department's.
fn next_term(
    cal: &Calendar,
    kind: DecisionKind,
    charges_fee: bool,
    day: NaiveDate,
) -> Result<(Option<Term>, Option<NaiveDate>), DeadlineError> {
    Ok(match kind {
        DecisionKind::Forward => (None, None),
        DecisionKind::Grant if charges_fee => (Some(Term::FeeNotice), Some(day)),
        _ => (Some(Term::Delivery), Some(deadline::delivery_after_decision_due(cal, day)?)),
    })
}

/// The outcome of `action` by `role` on the case `now`, on `now.facts.today`.
pub fn outcome(
    cal: &Calendar,
    item: &ItemRules,
    now: CaseNow<'_>,
    action: &Action,
    role: Role,
) -> Result<Outcome, Blocked> {
    let t = transition(now.state, action, role, now.facts)?;
    let today = now.facts.today;
    let was = now.clocks;
    let mut c = was.clone();
    let mut verdict = None;
    let mut tasks = Tasks::Keep;
    let decision_limit =
        |extra: u32| TimeLimit { amount: item.decision_limit().amount + extra, ..item.decision_limit() };
    let susp = &now.history.suspensions;
    match action {
        Action::Submit => {
            c.received_on = Some(today);
            if item.kind == ItemKind::Filing {
                // A filing is concluded by the working day after its receipt [001 重庆], no
                // acceptance in between.
                c.due_on = Some(deadline::due_date(cal, today, item.decision_limit(), &[], today)?);
                c.term = Some(Term::Decision);
            } else {
                // Until acceptance the department's term runs: accept, ask for corrections or
                // refuse within 5 working days of receipt.
                c.due_on = Some(deadline::acceptance_window_end(cal, today)?);
                c.term = Some(Term::Acceptance);
            }
        }
        Action::Resubmit => {
            c.received_on = Some(today);
            c.deemed_accepted_on = None;
            c.due_on = Some(deadline::acceptance_window_end(cal, today)?);
            c.term = Some(Term::Acceptance);
        }
        Action::Accept | Action::DeemAccepted => {
            // A receipt left unanswered past its window is accepted by law from the day it was
            // received (Art. 32): the decision clock starts there. (A receipt only flagged so, by
            // an older version, is accepted by the clerk from that day too.)
            let from = if *action == Action::DeemAccepted {
                let from = was.received_on.unwrap_or(today);
                c.deemed_accepted_on = Some(from);
                from
            } else {
                was.deemed_accepted_on.unwrap_or(today)
            };
            c.accepted_on = Some(from);
            c.due_on = Some(deadline::due_date(cal, from, decision_limit(0), &[], today)?);
            c.term = Some(Term::Decision);
            // 容缺: the deferred materials are due within the item's term.
            if now.deferred_missing {
                c.supplement_due = Some(deadline::deferred_supplement_due(from, item.deferral_term, cal)?);
            }
            tasks = Tasks::OpenAtAcceptance;
        }
        Action::RequestCorrection => {
            let due = deadline::due_date(cal, today, item.correction_term, &[], today)?;
            c.correction_due = Some(due);
            c.due_on = Some(due);
            c.term = Some(Term::Correction);
        }
        Action::Suspend { .. } | Action::Resume | Action::Extend { .. } => {
            let mut susp = susp.clone();
            if matches!(action, Action::Suspend { .. }) {
                susp.push(Suspension { first: today, last: None });
            }
            if *action == Action::Resume {
                if let Some(open) = susp.iter_mut().find(|s| s.last.is_none()) {
                    open.last = Some(today - Duration::days(1));
                }
                // resumed the day it was suspended: no day stopped
                susp.retain(|s| s.last.is_none_or(|l| l >= s.first));
            }
            let extra = match action {
                Action::Extend { days, .. } => {
                    c.extended = true;
                    *days
                }
                _ => now.history.extension_days,
            };
            if let Some(start) = was.accepted_on {
                c.due_on = Some(deadline::due_date(cal, start, decision_limit(extra), &susp, today)?);
            }
            if !matches!(action, Action::Extend { .. }) {
                tasks = Tasks::Redate(susp);
            }
        }
        Action::IssueFeeNotice => {
            let due = deadline::fee_due(cal, today, item.fee_term.unwrap_or(TimeLimit::working(10)))?;
            c.fee_due = Some(due);
            c.due_on = Some(due);
            c.term = Some(Term::Payment);
        }
        Action::RecordPayment => {
            c.due_on = Some(deadline::delivery_due(cal, today)?);
            c.term = Some(Term::Delivery);
        }
        Action::Decide { kind, .. } => {
            // Judged on the decision (承诺时限 against the decision day): a case's payment and
            // delivery are not its decision's time.
            if was.decided_on.is_none() {
                c.decided_on = Some(today);
                c.decision_due = was.due_on;
                verdict = Some(judge(cal, was.accepted_on, was.due_on, today, susp));
            }
            (c.term, c.due_on) = next_term(cal, *kind, item.charges_fee(), today)?;
        }
        // A filing's conclusion, judged against its term from the receipt.
        Action::File { kind, .. } => {
            c.decided_on = Some(today);
            c.decision_due = was.due_on;
            verdict = Some(judge(cal, was.received_on, was.due_on, today, susp));
            (c.term, c.due_on) = next_term(cal, *kind, item.charges_fee(), today)?;
        }
        // The higher authority answered a forwarded case: its grant or denial runs the same
        // terms from the day it is recorded. The department was judged when it forwarded.
        Action::RecordHigherDecision { kind, .. } => {
            (c.term, c.due_on) = next_term(cal, *kind, item.charges_fee(), today)?;
        }
        // The fee's term is over: the lead office proposes the denial, the head approves it
        // [001 第十九条] within 2 working days of the term's end.
        Action::FeeExpired => {
            let over = was.fee_due.unwrap_or(today);
            c.due_on = Some(deadline::fee_expiry_decision_due(cal, over)?);
            c.term = Some(Term::Denial);
        }
        // The approved denial is delivered like every denial; the case was judged on its grant.
        Action::ApproveDenial => (c.term, c.due_on) = next_term(cal, DecisionKind::Deny, false, today)?,
        // The correction's term is over: the window has 2 working days from its end to have the
        // refusal approved by the head [001 第九条], on the department's clock.
        Action::CorrectionExpired => {
            let over = was.correction_due.unwrap_or(today);
            c.due_on = Some(deadline::correction_expiry_decision_due(cal, over)?);
            c.term = Some(Term::Refusal);
        }
        Action::Reject { .. } | Action::ApproveRefusal => {
            c.decided_on = Some(today);
            (c.term, c.due_on) = (None, None);
        }
        Action::Deliver => {
            c.delivered_on = Some(today);
            c.delivered_late = was.term == Some(Term::Delivery) && was.due_on.is_some_and(|d| today > d);
            c.term = None;
        }
        // Prepared without a fee notice: the delivery term of the decision.
        Action::PrepareDelivery if was.term != Some(Term::Delivery) => {
            let decided = was.decided_on.unwrap_or(today);
            c.due_on = Some(deadline::delivery_after_decision_due(cal, decided)?);
            c.term = Some(Term::Delivery);
        }
        Action::Close => c.closed_on = Some(today),
        _ => {}
    }
    // A state that does not run the term (a final one, a withdrawal) keeps none.
    c.term = c.term.filter(|x| Term::of(t.to).contains(x));
    let record = supervision::record_due(t.to, c.term, c.due_on, today);
    Ok(Outcome { transition: t, clocks: c, verdict, tasks, record })
}

#[cfg(test)]
mod tests;
