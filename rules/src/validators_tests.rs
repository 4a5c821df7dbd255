//! The table tests of `validators`.

#[test]
fn compact_dates_are_eight_digits_of_a_real_day() {
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
    for (input, want) in [
        ("19900307", d(1990, 3, 7)),
        ("20000229", d(2000, 2, 29)),
        ("19000229", None),
        ("20261301", None),
        ("20260100", None),
        ("2026010", None),
        ("202601011", None),
        ("2026-1-1", None),
        ("２０２６０１０１", None),
    ] {
        assert_eq!(compact_date(input), want, "{input}");
    }
}

use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

#[test]
fn id_card_table() {
    use IdCardError::*;
    let cases: Vec<(&str, Result<&str, IdCardError>)> = vec![
        ("11010519491231002X", Ok("11010519491231002X")),
        (" 11010519491231002x ", Ok("11010519491231002X")),
        ("110101199003078574", Ok("110101199003078574")),
        ("32010219850815123X", Ok("32010219850815123X")),
        ("", Err(Empty)),
        ("1101051949123100", Err(Length(16))),
        ("1101051949123100X2", Err(Character(17))),
        ("11010519491231002Y", Err(Character(18))),
        ("99010519491231002X", Err(Province("99".into()))),
        ("110105194902300028", Err(BirthDate("1949-02-30".into()))),
        ("110105203001010010", Err(FutureBirthDate("2030-01-01".into()))),
        ("110105194912310021", Err(CheckCharacter { expected: 'X', found: '1' })),
    ];
    for (input, expected) in cases {
        let got = IdCardNo::parse_on(input, today()).map(|v| v.0);
        assert_eq!(got, expected.map(String::from), "{input:?}");
    }
}

#[test]
fn id_card_birth_and_mask() {
    let id = IdCardNo::parse_on("11010519491231002X", today()).unwrap();
    assert_eq!(id.birth_date(), NaiveDate::from_ymd_opt(1949, 12, 31).unwrap());
    assert_eq!(id.masked(), "110***********002X");
}

#[test]
fn credit_code_table() {
    use CreditCodeError::*;
    let cases: Vec<(&str, Result<&str, CreditCodeError>)> = vec![
        ("91350100M000100Y43", Ok("91350100M000100Y43")),
        (" 91350100m000100y43", Ok("91350100M000100Y43")),
        ("9144030071526726XG", Ok("9144030071526726XG")),
        ("", Err(Empty)),
        ("91350100M000100Y4", Err(Length(17))),
        ("91350100M000100I43", Err(Character { position: 16, found: 'I' })),
        ("9135A100M000100Y43", Err(Region)),
        ("91350100M000100Y44", Err(CheckCharacter { expected: '3', found: '4' })),
    ];
    for (input, expected) in cases {
        assert_eq!(input.parse::<CreditCode>().map(|v| v.0), expected.map(String::from), "{input:?}");
    }
}

#[test]
fn mobile_table() {
    use MobileError::*;
    let cases: Vec<(&str, Result<&str, MobileError>)> = vec![
        ("13812341234", Ok("13812341234")),
        ("+86 138-1234-1234", Ok("13812341234")),
        ("8613812341234", Ok("13812341234")),
        ("", Err(Empty)),
        ("1381234123", Err(Length(10))),
        ("12812341234", Err(Prefix)),
        ("1381234123a", Err(Character)),
    ];
    for (input, expected) in cases {
        assert_eq!(input.parse::<Mobile>().map(|v| v.0), expected.map(String::from), "{input:?}");
    }
    assert_eq!("13812341234".parse::<Mobile>().unwrap().masked(), "138****1234");
}

#[test]
fn postal_and_names() {
    assert!("100010".parse::<PostalCode>().is_ok());
    assert!("10001".parse::<PostalCode>().is_err());
    assert_eq!(mask_name("张三"), "张*");
    assert_eq!(mask_name("张小三"), "张*三");
    assert_eq!(mask_name("欧阳小明"), "欧**明");
}

#[test]
fn password_table() {
    use PasswordError::*;
    let cases = [
        ("short", Err(TooShort(8))),
        ("password", Err(Common)),
        ("Password1", Err(Common)),
        ("12345678", Err(Common)),
        ("13812341234", Err(SameAsLogin)),
        ("蓝色的窗户很明亮", Ok(())),
        ("correct horse battery", Ok(())),
    ];
    for (p, expected) in cases {
        assert_eq!(check_password(p, &["13812341234"]), expected, "{p}");
    }
}

#[test]
fn serde_parses() {
    let v: Mobile = serde_json::from_str("\"13812341234\"").unwrap();
    assert_eq!(serde_json::to_string(&v).unwrap(), "\"13812341234\"");
    assert!(serde_json::from_str::<CreditCode>("\"91350100M000100Y44\"").is_err());
}
