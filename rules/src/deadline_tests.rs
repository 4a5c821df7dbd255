//! The table tests of `deadline`.

use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn susp(a: &str, b: &str) -> Suspension {
    Suspension::closed(d(a), d(b))
}

#[test]
fn due_date_table() {
    let cal = Calendar::shipped();
    let today = d("2025-12-31");
    let cases: Vec<(&str, TimeLimit, Vec<Suspension>, &str)> = vec![
        ("2025-09-30", TimeLimit::working(20), vec![], "2025-11-04"),
        // suspension of one working week (5 working days) moves the due date by 5 working days
        ("2025-09-30", TimeLimit::working(20), vec![susp("2025-10-13", "2025-10-17")], "2025-11-11"),
        // overlapping suspensions count once
        (
            "2025-09-30",
            TimeLimit::working(20),
            vec![susp("2025-10-13", "2025-10-15"), susp("2025-10-14", "2025-10-17")],
            "2025-11-11",
        ),
        // a suspension over the holiday costs nothing
        ("2025-09-30", TimeLimit::working(20), vec![susp("2025-10-01", "2025-10-08")], "2025-11-04"),
        // suspension covering the would-be due day
        ("2025-09-30", TimeLimit::working(20), vec![susp("2025-11-03", "2025-11-05")], "2025-11-07"),
        // suspension after the due day changes nothing
        ("2025-09-30", TimeLimit::working(20), vec![susp("2025-11-10", "2025-11-12")], "2025-11-04"),
        // 20 + 10 extension
        ("2025-09-30", TimeLimit::working(30), vec![], "2025-11-18"),
        ("2025-09-30", TimeLimit::calendar(30), vec![], "2025-10-30"),
        ("2025-09-30", TimeLimit::calendar(30), vec![susp("2025-10-01", "2025-10-10")], "2025-11-09"),
        ("2025-06-27", TimeLimit::working(0), vec![], "2025-06-27"),
    ];
    for (start, limit, s, expected) in cases {
        assert_eq!(due_date(&cal, d(start), limit, &s, today).unwrap(), d(expected), "{start} {limit:?} {s:?}");
    }
}

#[test]
fn running_suspension_moves_due_date_every_day() {
    let cal = Calendar::shipped();
    let mut clock = CaseClock::new(d("2025-09-30"), TimeLimit::working(20));
    clock.suspensions.push(Suspension { first: d("2025-10-13"), last: None });
    assert_eq!(clock.due_on(&cal, d("2025-10-13")).unwrap(), d("2025-11-05"));
    assert_eq!(clock.due_on(&cal, d("2025-10-17")).unwrap(), d("2025-11-11"));
    assert!(clock.is_suspended_on(d("2025-10-20")));
    let st = clock.status_on(&cal, d("2025-10-14"), 2).unwrap();
    assert!(st.suspended);
}

#[test]
fn extension_rules_table() {
    use DeadlineError::*;
    let cases = [
        (ExtensionPolicy::LICENSING, false, 10, "专家评审需要时间", Ok(10)),
        (ExtensionPolicy::LICENSING, false, 11, "专家评审需要时间", Err(ExtensionTooLong { requested: 11, cap: 10 })),
        (ExtensionPolicy::LICENSING, true, 5, "再次延期", Err(AlreadyExtended)),
        (ExtensionPolicy::PARALLEL_LEAD, false, 6, "理由充分", Err(ExtensionTooLong { requested: 6, cap: 5 })),
        (ExtensionPolicy::NONE, false, 1, "协办部门", Err(ExtensionNotAllowed)),
        (ExtensionPolicy::LICENSING, false, 3, "  ", Err(ExtensionWithoutReason)),
        (ExtensionPolicy::LICENSING, false, 0, "理由", Err(ExtensionZero)),
    ];
    for (p, already, days, reason, expected) in cases {
        assert_eq!(check_extension(p, already, days, reason).map(|e| e.days), expected, "{p:?} {days} {reason}");
    }
}

#[test]
fn warning_table() {
    let cal = Calendar::shipped();
    let due = d("2025-11-04"); // Tuesday
    let cases = [
        ("2025-10-27", WarningLevel::Normal, 6),
        ("2025-10-31", WarningLevel::Warning, 2),
        ("2025-11-03", WarningLevel::Warning, 1),
        ("2025-11-04", WarningLevel::Warning, 0),
        ("2025-11-05", WarningLevel::Overdue, -1),
        ("2025-11-10", WarningLevel::Overdue, -4),
    ];
    for (today, level, remaining) in cases {
        let st = warning(&cal, due, d(today), DEFAULT_WARNING_DAYS).unwrap();
        assert_eq!((st.level, st.remaining), (level, remaining), "{today}");
    }
}

#[test]
fn special_windows_table() {
    let cal = Calendar::shipped();
    // 09-30, [holiday 10-01..08], 10-09, 10-10, 10-11 (make-up Saturday), 10-13
    assert_eq!(acceptance_window_end(&cal, d("2025-09-29")).unwrap(), d("2025-10-13"));
    assert_eq!(
        receipt_status(&cal, d("2025-09-29"), d("2025-10-14")).unwrap(),
        ReceiptStatus::DeemedAccepted { accepted_on: d("2025-09-29") }
    );
    assert_eq!(
        receipt_status(&cal, d("2025-09-29"), d("2025-10-13")).unwrap(),
        ReceiptStatus::Pending { window_ends: d("2025-10-13") }
    );
    assert_eq!(correction_expiry_decision_due(&cal, d("2025-09-30")).unwrap(), d("2025-10-10"));
    assert_eq!(co_department_due(&cal, d("2025-09-30"), &[], d("2025-09-30")).unwrap(), d("2025-10-21"));
    assert_eq!(delivery_due(&cal, d("2025-10-10")).unwrap(), d("2025-10-14"));
    // 10 working days from a decision on the last working day before National Day: 09-30,
    // 10-09, 10-10, 10-11 (make-up Saturday), 10-13 … 10-17, 10-20, 10-21
    assert_eq!(delivery_after_decision_due(&cal, d("2025-09-30")).unwrap(), d("2025-10-21"));
    assert_eq!(delivery_after_decision_due(&cal, d("2025-10-20")).unwrap(), d("2025-11-03"));
    assert_eq!(fee_due(&cal, d("2025-10-10"), TimeLimit::working(10)).unwrap(), d("2025-10-23"));
    assert_eq!(fee_due(&cal, d("2025-10-10"), TimeLimit::calendar(30)).unwrap(), d("2025-11-09"));
    assert_eq!(deferred_supplement_due(d("2025-01-01"), DEFERRED_SUPPLEMENT, &cal).unwrap(), d("2025-01-31"));
}

#[test]
fn days_used_excludes_suspensions() {
    let cal = Calendar::shipped();
    let s = [susp("2025-10-13", "2025-10-17")];
    assert_eq!(days_used(&cal, d("2025-09-30"), d("2025-11-11"), LimitUnit::WorkingDays, &s).unwrap(), 20);
    assert_eq!(days_used(&cal, d("2025-09-30"), d("2025-11-11"), LimitUnit::WorkingDays, &[]).unwrap(), 25);
    assert_eq!(days_used(&cal, d("2025-09-30"), d("2025-10-30"), LimitUnit::CalendarDays, &s).unwrap(), 25);
}

#[test]
fn stats_table() {
    let c = |a: &str, due: &str, closed: &str, used| DecidedCase {
        accepted: d(a),
        due: d(due),
        decided: d(closed),
        working_days_used: used,
    };
    let s = stats(&[
        c("2025-10-09", "2025-10-20", "2025-10-09", 0),
        c("2025-10-09", "2025-10-20", "2025-10-20", 7),
        c("2025-10-09", "2025-10-20", "2025-10-21", 8),
        c("2025-10-09", "2025-10-20", "2025-10-15", 5),
    ]);
    assert_eq!((s.closed, s.on_time, s.early, s.same_day), (4, 3, 2, 1));
    assert_eq!(s.on_time_rate, Some(0.75));
    assert_eq!(s.early_rate, Some(0.5));
    assert_eq!(s.same_day_rate, Some(0.25));
    assert_eq!(s.avg_working_days_used, Some(5.0));
    assert_eq!(stats(&[]).on_time_rate, None);
}

#[test]
fn verdict_table() {
    let v = |a: &str, due: &str, closed: &str| {
        let v = DecidedCase { accepted: d(a), due: d(due), decided: d(closed), working_days_used: 3 }.verdict();
        (v.on_time, v.early, v.same_day)
    };
    // (accepted, due, closed) → (on time, early, same day)
    assert_eq!(v("2025-10-09", "2025-10-20", "2025-10-09"), (true, true, true));
    assert_eq!(v("2025-10-09", "2025-10-20", "2025-10-19"), (true, true, false));
    assert_eq!(v("2025-10-09", "2025-10-20", "2025-10-20"), (true, false, false));
    assert_eq!(v("2025-10-09", "2025-10-20", "2025-10-21"), (false, false, false));
    // a case due the day it was accepted and closed that day: on time, not early, same day
    assert_eq!(v("2025-10-09", "2025-10-09", "2025-10-09"), (true, false, true));
}

#[test]
fn bad_suspension_is_refused() {
    let cal = Calendar::shipped();
    let e =
        due_date(&cal, d("2025-09-30"), TimeLimit::working(5), &[susp("2025-10-10", "2025-10-01")], d("2025-10-01"));
    assert!(matches!(e, Err(DeadlineError::BadSuspension { .. })));
}
