//! One row per action: the clocks it starts, moves or stops, on the 2025 国庆 calendar (a public
//! holiday 10-01…10-08, make-up working days on Sunday 09-28 and Saturday 10-11). Every date was
//! counted by hand.

use super::*;
use crate::case::DecisionKind::{Deny, Grant};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A promised licence: 5 working days, 5 for a correction, 30 calendar days for 容缺.
fn licence() -> ItemRules {
    crate::item::test_item()
}

fn with_fee() -> ItemRules {
    ItemRules { fee_term: Some(TimeLimit::working(10)), ..licence() }
}

fn filing() -> ItemRules {
    ItemRules { kind: ItemKind::Filing, ..licence() }
}

/// The outcome of `action` (by the first role allowed it) on a case in `state` on `today`.
fn row(
    item: &ItemRules,
    state: CaseState,
    clocks: Clocks,
    history: History,
    facts: impl FnOnce(&mut CaseFacts),
    action: Action,
    today: &str,
) -> Result<Outcome, Blocked> {
    let cal = Calendar::shipped();
    // the guards' dates are the case's clocks
    let mut f = CaseFacts {
        filing: item.kind == ItemKind::Filing,
        correction_due: clocks.correction_due,
        fee_due: clocks.fee_due,
        receipt_due: clocks.due_on.filter(|_| state == CaseState::Submitted && clocks.term == Some(Term::Acceptance)),
        ..CaseFacts::on(d(today))
    };
    facts(&mut f);
    let now = CaseNow { state, facts: &f, clocks: &clocks, history: &history, deferred_missing: false };
    outcome(&cal, item, now, &action, action.roles()[0])
}

fn accepted(on: &str, due: &str) -> Clocks {
    Clocks {
        received_on: Some(d(on)),
        accepted_on: Some(d(on)),
        due_on: Some(d(due)),
        term: Some(Term::Decision),
        ..Clocks::default()
    }
}

fn decide(kind: DecisionKind) -> Action {
    Action::Decide { kind, reason: "依法审查".into() }
}

#[test]
fn each_action_sets_its_term_and_its_last_day() {
    use CaseState::*;
    let none = Clocks::default;
    let keep = |_: &mut CaseFacts| {};
    // (item, state, clocks, action, today, expected term, expected due)
    type Row = (ItemRules, CaseState, Clocks, Action, &'static str, Option<Term>, Option<&'static str>);
    let rows: Vec<Row> = vec![
        // acceptance: 5 working days from receipt, the make-up Sunday counted, the holiday not
        (licence(), Draft, none(), Action::Submit, "2025-09-25", Some(Term::Acceptance), Some("2025-10-09")),
        // a filing: concluded by the working day after its receipt, no acceptance in between
        (filing(), Draft, none(), Action::Submit, "2025-09-30", Some(Term::Decision), Some("2025-10-09")),
        (
            licence(),
            Submitted,
            Clocks { received_on: Some(d("2025-09-25")), ..none() },
            Action::Accept,
            "2025-09-25",
            Some(Term::Decision),
            Some("2025-10-09"),
        ),
        (
            licence(),
            Submitted,
            none(),
            Action::RequestCorrection,
            "2025-09-25",
            Some(Term::Correction),
            Some("2025-10-09"),
        ),
        // the refusal of an unanswered correction: 2 working days from its end, the make-up Saturday counted
        (
            licence(),
            AwaitingCorrection,
            Clocks { correction_due: Some(d("2025-10-09")), ..none() },
            Action::CorrectionExpired,
            "2025-10-10",
            Some(Term::Refusal),
            Some("2025-10-11"),
        ),
        // a grant where a fee is due: the fee notice the same day [001 第十八条]
        (
            with_fee(),
            InReview,
            accepted("2025-09-25", "2025-10-09"),
            decide(Grant),
            "2025-10-09",
            Some(Term::FeeNotice),
            Some("2025-10-09"),
        ),
        // a grant without a fee, a denial: delivered within 10 working days (Art. 44)
        (
            licence(),
            InReview,
            accepted("2025-09-25", "2025-10-09"),
            decide(Grant),
            "2025-10-10",
            Some(Term::Delivery),
            Some("2025-10-23"),
        ),
        (
            licence(),
            InReview,
            accepted("2025-09-25", "2025-10-09"),
            decide(Deny),
            "2025-10-10",
            Some(Term::Delivery),
            Some("2025-10-23"),
        ),
        // 上报: the higher authority's clock, not the department's
        (
            licence(),
            InReview,
            accepted("2025-09-25", "2025-10-09"),
            decide(DecisionKind::Forward),
            "2025-10-09",
            None,
            None,
        ),
        // payment: the item's term from the notice
        (
            with_fee(),
            Decided(Grant),
            none(),
            Action::IssueFeeNotice,
            "2025-09-30",
            Some(Term::Payment),
            Some("2025-10-21"),
        ),
        // delivery within 3 working days of payment [001 第十九条]
        (
            with_fee(),
            AwaitingPayment,
            none(),
            Action::RecordPayment,
            "2025-09-30",
            Some(Term::Delivery),
            Some("2025-10-11"),
        ),
        // delivery within 10 working days of a decision prepared without a fee notice
        (
            licence(),
            Decided(Grant),
            Clocks { decided_on: Some(d("2025-10-09")), due_on: Some(d("2025-10-09")), ..none() },
            Action::PrepareDelivery,
            "2025-10-10",
            Some(Term::Delivery),
            Some("2025-10-22"),
        ),
        // delivered: no clock runs
        (
            licence(),
            ReadyForDelivery,
            Clocks { due_on: Some(d("2025-10-22")), term: Some(Term::Delivery), ..none() },
            Action::Deliver,
            "2025-10-20",
            None,
            Some("2025-10-22"),
        ),
    ];
    for (item, state, clocks, action, today, term, due) in rows {
        let o = row(&item, state, clocks, History::default(), keep, action.clone(), today)
            .unwrap_or_else(|e| panic!("{} in {state:?}: {e}", action.code()));
        assert_eq!((o.clocks.term, o.clocks.due_on), (term, due.map(d)), "{} in {state:?} on {today}", action.code());
        assert_eq!(o.record, None, "{}: on time, no record", action.code());
    }
}

#[test]
fn an_unpaid_fee_is_denied_with_the_heads_approval_and_the_denial_delivered() {
    let paying = || Clocks {
        fee_due: Some(d("2025-10-09")),
        due_on: Some(d("2025-10-09")),
        term: Some(Term::Payment),
        decided_on: Some(d("2025-09-25")),
        ..Clocks::default()
    };
    let expire = |today| {
        row(&with_fee(), CaseState::AwaitingPayment, paying(), History::default(), |_| {}, Action::FeeExpired, today)
    };
    // the payment term runs to its last day
    assert_eq!(expire("2025-10-09"), Err(Blocked::Refused(Refusal::FeeTermRunning)));
    // the lead office proposes the denial; the head has 2 working days from the term's end
    // [001 第十九条] (the make-up Saturday counted)
    let o = expire("2025-10-10").unwrap();
    assert_eq!(o.transition.to, CaseState::DenialProposed);
    assert_eq!((o.clocks.term, o.clocks.due_on, o.record), (Some(Term::Denial), Some(d("2025-10-11")), None));
    assert_eq!(o.verdict, None, "judged on its grant");
    // proposed by a scheduler that was down past those 2 days: held to account at once
    let late = expire("2025-10-14").unwrap();
    assert_eq!(late.record, Some((AccountabilityKind::DenialOverdue, d("2025-10-11"))));
    // only the head approves it; the denial is then delivered within 10 working days
    let proposed = o.clocks;
    let cal = Calendar::shipped();
    let facts = CaseFacts::on(d("2025-10-13"));
    let history = History::default();
    let now = CaseNow {
        state: CaseState::DenialProposed,
        facts: &facts,
        clocks: &proposed,
        history: &history,
        deferred_missing: false,
    };
    assert!(matches!(
        outcome(&cal, &with_fee(), now, &Action::ApproveDenial, Role::WindowClerk),
        Err(Blocked::Refused(Refusal::NotAllowed { .. }))
    ));
    let o = outcome(&cal, &with_fee(), now, &Action::ApproveDenial, Role::Approver).unwrap();
    assert_eq!(o.transition.to, CaseState::Decided(Deny));
    assert_eq!((o.clocks.term, o.clocks.due_on), (Some(Term::Delivery), Some(d("2025-10-27"))));
    assert_eq!((o.clocks.decided_on, o.verdict), (Some(d("2025-09-25")), None));
}

#[test]
fn a_receipt_unanswered_for_5_working_days_is_accepted_from_its_receipt() {
    let clocks = Clocks {
        received_on: Some(d("2025-09-25")),
        due_on: Some(d("2025-10-09")),
        term: Some(Term::Acceptance),
        ..Clocks::default()
    };
    let at = |today: &str| {
        row(
            &licence(),
            CaseState::Submitted,
            clocks.clone(),
            History::default(),
            |f| f.receipt_due = Some(d("2025-10-09")),
            Action::DeemAccepted,
            today,
        )
    };
    // the last day to answer is still the department's
    assert_eq!(at("2025-10-09"), Err(Blocked::Refused(Refusal::ReceiptWindowRunning)));
    let o = at("2025-10-10").unwrap();
    assert_eq!(o.transition.to, CaseState::Accepted);
    assert_eq!((o.clocks.accepted_on, o.clocks.deemed_accepted_on), (Some(d("2025-09-25")), Some(d("2025-09-25"))));
    // the decision clock ran from the receipt: its 5 days are over, the delay is recorded at once
    assert_eq!((o.clocks.term, o.clocks.due_on), (Some(Term::Decision), Some(d("2025-10-09"))));
    assert_eq!(o.record, Some((AccountabilityKind::DecisionOverdue, d("2025-10-09"))));
    assert_eq!(o.tasks, Tasks::OpenAtAcceptance);
}

#[test]
fn an_acceptance_with_gaps_starts_the_supplement_term() {
    let cal = Calendar::shipped();
    let facts = CaseFacts::on(d("2025-09-25"));
    let clocks = Clocks { received_on: Some(d("2025-09-25")), ..Clocks::default() };
    let history = History::default();
    let now = |deferred_missing| CaseNow {
        state: CaseState::Submitted,
        facts: &facts,
        clocks: &clocks,
        history: &history,
        deferred_missing,
    };
    let o = outcome(&cal, &licence(), now(true), &Action::Accept, Role::WindowClerk).unwrap();
    // 30 calendar days: the holiday counts
    assert_eq!(o.clocks.supplement_due, Some(d("2025-10-25")));
    let o = outcome(&cal, &licence(), now(false), &Action::Accept, Role::WindowClerk).unwrap();
    assert_eq!(o.clocks.supplement_due, None);
}

#[test]
fn a_decision_is_judged_once_against_its_own_term() {
    let o = row(
        &with_fee(),
        CaseState::InReview,
        accepted("2025-09-25", "2025-10-09"),
        History::default(),
        |_| {},
        decide(Grant),
        "2025-10-09",
    )
    .unwrap();
    let v = o.verdict.expect("a decision is judged").expect("with a decision clock");
    assert_eq!((v.on_time, v.early, v.same_day, v.working_days_used), (true, false, false, 5));
    assert_eq!((o.clocks.decided_on, o.clocks.decision_due), (Some(d("2025-10-09")), Some(d("2025-10-09"))));
    // a day late, and the fee notice still owed the same day: the decision was late, the notice is not
    let o = row(
        &with_fee(),
        CaseState::InReview,
        accepted("2025-09-25", "2025-10-09"),
        History::default(),
        |_| {},
        decide(Grant),
        "2025-10-10",
    )
    .unwrap();
    assert!(!o.verdict.unwrap().unwrap().on_time);
    assert_eq!(o.record, None);
    // the higher authority's answer is not the department's decision: nothing judged again
    let mut decided = accepted("2025-09-25", "2025-10-09");
    decided.decided_on = Some(d("2025-10-09"));
    let o = row(
        &licence(),
        CaseState::Decided(DecisionKind::Forward),
        decided,
        History::default(),
        |_| {},
        Action::RecordHigherDecision { kind: Grant, reason: "上级机关准予".into() },
        "2025-10-20",
    )
    .unwrap();
    assert_eq!(o.verdict, None);
    assert_eq!((o.clocks.decided_on, o.clocks.due_on), (Some(d("2025-10-09")), Some(d("2025-11-03"))));
}

#[test]
fn suspensions_stop_the_decision_clock_and_the_one_extension_moves_it() {
    let s = |first: &str| Suspension { first: d(first), last: None };
    // suspended on 09-29 with 2 of 5 days used, resumed on 10-13: 3 days left from 10-13
    let o = row(
        &licence(),
        CaseState::Suspended,
        accepted("2025-09-25", "2025-10-09"),
        History { suspensions: vec![s("2025-09-29")], extension_days: 0 },
        |_| {},
        Action::Resume,
        "2025-10-13",
    )
    .unwrap();
    assert_eq!(o.clocks.due_on, Some(d("2025-10-15")));
    assert_eq!(o.tasks, Tasks::Redate(vec![Suspension::closed(d("2025-09-29"), d("2025-10-12"))]));
    // extended by 3 working days: 8 from the acceptance
    let o = row(
        &licence(),
        CaseState::InReview,
        accepted("2025-09-25", "2025-10-09"),
        History::default(),
        |_| {},
        Action::Extend { days: 3, reason: "需要现场核查".into() },
        "2025-09-30",
    )
    .unwrap();
    assert_eq!((o.clocks.due_on, o.clocks.extended), (Some(d("2025-10-13")), true));
    assert_eq!(o.tasks, Tasks::Keep);
}

#[test]
fn a_final_state_runs_no_term_and_a_late_delivery_is_marked() {
    let clocks = Clocks { due_on: Some(d("2025-10-22")), term: Some(Term::Delivery), ..Clocks::default() };
    let o =
        row(&licence(), CaseState::ReadyForDelivery, clocks, History::default(), |_| {}, Action::Deliver, "2025-10-23")
            .unwrap();
    assert_eq!((o.clocks.term, o.clocks.delivered_on, o.clocks.delivered_late), (None, Some(d("2025-10-23")), true));
    assert_eq!(o.record, None, "delivered: the sweep's record of the delay is the one");
}
