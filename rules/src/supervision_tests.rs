//! The table and property tests of `supervision`.

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
    assert_eq!(level(&cal, CaseState::AwaitingCorrection, Some(d("2025-01-02")), d("2025-06-01"), 2).unwrap(), Normal);
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
