//! The property tests of `deadline`.

use super::*;
use proptest::prelude::*;

fn day(off: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + Duration::days(off)
}

proptest! {
    #[test]
    fn nth_and_between_agree(start in 0i64..1100, n in 0u32..400) {
        let cal = Calendar::shipped();
        let due = cal.nth_working_day_after(day(start), n).unwrap();
        prop_assert_eq!(cal.working_days_between(day(start), due).unwrap(), n);
        if n > 0 { prop_assert!(cal.is_working_day(due)); }
    }

    #[test]
    fn suspensions_never_bring_the_due_date_forward(start in 0i64..900, n in 1u32..60,
        s in prop::collection::vec((0i64..120, 0i64..20), 0..4)) {
        let cal = Calendar::shipped();
        let susp: Vec<Suspension> = s.iter().map(|(a, len)| Suspension::closed(day(start + a), day(start + a + len))).collect();
        let plain = due_date(&cal, day(start), TimeLimit::working(n), &[], day(0)).unwrap();
        let with = due_date(&cal, day(start), TimeLimit::working(n), &susp, day(0)).unwrap();
        prop_assert!(with >= plain);
        // the working days used up to the due date, suspensions excluded, are exactly n
        prop_assert_eq!(days_used(&cal, day(start), with, LimitUnit::WorkingDays, &susp).unwrap(), n);
        // and the due day itself is a counting day
        prop_assert!(cal.is_working_day(with));
        prop_assert!(!susp.iter().any(|x| x.first <= with && with <= x.last.unwrap()));
    }

    #[test]
    fn order_of_suspensions_does_not_matter(start in 0i64..900, n in 1u32..60,
        s in prop::collection::vec((0i64..120, 0i64..20), 0..5)) {
        let cal = Calendar::shipped();
        let mut susp: Vec<Suspension> = s.iter().map(|(a, len)| Suspension::closed(day(start + a), day(start + a + len))).collect();
        let a = due_date(&cal, day(start), TimeLimit::working(n), &susp, day(0)).unwrap();
        susp.reverse();
        let b = due_date(&cal, day(start), TimeLimit::working(n), &susp, day(0)).unwrap();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn tallies_of_parts_merge_into_the_whole(cases in prop::collection::vec((0i64..60, 0i64..40, 0i64..60, 0u32..40), 0..40),
        cut in 0usize..40) {
        let cases: Vec<DecidedCase> = cases.iter().map(|(a, due, closed, used)| DecidedCase {
            accepted: day(*a), due: day(a + due), decided: day(a + closed), working_days_used: *used,
        }).collect();
        let cut = cut.min(cases.len());
        let tally = |cs: &[DecidedCase]| { let mut t = Tally::default(); for c in cs { t.add(c.verdict()); } t };
        let mut parts = tally(&cases[..cut]);
        parts.merge(&tally(&cases[cut..]));
        prop_assert_eq!(parts, tally(&cases));
        prop_assert_eq!(parts.stats(), stats(&cases));
        // early implies on time; the rates are fractions
        prop_assert!(parts.early <= parts.on_time && parts.on_time <= parts.closed);
        if let Some(r) = parts.stats().on_time_rate { prop_assert!((0.0..=1.0).contains(&r)); }
    }

    #[test]
    fn warning_levels_are_monotonic(start in 0i64..900, n in 1u32..40, t1 in 0i64..80, t2 in 0i64..80) {
        let cal = Calendar::shipped();
        let due = cal.nth_working_day_after(day(start), n).unwrap();
        let (a, b) = if t1 <= t2 { (t1, t2) } else { (t2, t1) };
        let wa = warning(&cal, due, day(start + a), 2).unwrap();
        let wb = warning(&cal, due, day(start + b), 2).unwrap();
        prop_assert!(wa.level <= wb.level);
        prop_assert!(wa.remaining >= wb.remaining);
    }
}
