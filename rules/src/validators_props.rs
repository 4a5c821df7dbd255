//! The property tests of `validators`.

use super::*;
use proptest::prelude::*;

proptest! {
    #[test]
    fn any_17_digits_with_computed_check_is_valid(body in "[1-6][1-5][0-9]{4}(19[5-9][0-9]|200[0-9])(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])[0-9]{3}") {
        let prov: u8 = body[0..2].parse().unwrap();
        prop_assume!(PROVINCES.contains(&prov));
        let full = format!("{body}{}", id_check_character(&body).unwrap());
        let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        prop_assert!(IdCardNo::parse_on(&full, today).is_ok());
        // changing any one digit of the body breaks the check
        for i in [6usize, 10, 14, 16] {
            let mut b = body.clone().into_bytes();
            b[i] = if b[i] == b'9' { b'0' } else { b[i] + 1 };
            let changed = String::from_utf8(b).unwrap();
            let bad = format!("{changed}{}", id_check_character(&body).unwrap());
            prop_assert!(IdCardNo::parse_on(&bad, today).is_err());
        }
    }

    #[test]
    fn credit_check_round_trip(body in "[1-9A-Y&&[^IOSVZ]][1-9][0-9]{6}[0-9A-HJ-NP-RTUWXY]{9}") {
        let full = format!("{body}{}", credit_check_character(&body).unwrap());
        prop_assert!(full.parse::<CreditCode>().is_ok(), "{}", full);
    }

    #[test]
    fn parsers_never_panic(s in "\\PC{0,30}") {
        let _ = IdCardNo::parse_on(&s, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        let _ = s.parse::<CreditCode>();
        let _ = s.parse::<Mobile>();
        let _ = s.parse::<PostalCode>();
    }
}
