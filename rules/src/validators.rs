//! Identity and contact numbers, parsed into newtypes (parse, don't validate).
//!
//! - [`IdCardNo`]: 居民身份证号码, GB 11643-1999 (ISO 7064 MOD 11-2 check character).
//! - [`CreditCode`]: 统一社会信用代码, GB 32100-2015 (MOD 31 check character).
//! - [`Mobile`]: mainland mobile number; [`PostalCode`].
//!
//! Each error says which part is wrong and has a message in the user's language.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// China local date today (UTC+8), used where a parse needs "today" (birth date not in the future).
pub fn china_today() -> NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

const PROVINCES: &[u8] = &[
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63,
    64, 65, 71, 81, 82, 83,
];

/// A valid 18-character resident identity card number, normalised (uppercase `X`).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "String")]
pub struct IdCardNo(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum IdCardError {
    #[error("empty")]
    Empty,
    #[error("must be 18 characters, got {0}")]
    Length(usize),
    #[error("character {0} must be a digit (the last may be X)")]
    Character(usize),
    #[error("unknown province code {0}")]
    Province(String),
    #[error("birth date {0} does not exist")]
    BirthDate(String),
    #[error("birth date {0} is in the future")]
    FutureBirthDate(String),
    #[error("check character should be {expected}, not {found}")]
    CheckCharacter { expected: char, found: char },
}

impl IdCardError {
    pub fn message(&self, lang: Lang) -> String {
        use IdCardError::*;
        match (self, lang) {
            (Empty, Lang::ZhHans) => "请输入身份证号码".into(),
            (Empty, Lang::ZhHant) => "請輸入身分證號碼".into(),
            (Empty, Lang::En) => "Enter the ID card number".into(),
            (Length(n), Lang::ZhHans) => format!("身份证号码应为 18 位，现为 {n} 位"),
            (Length(n), Lang::ZhHant) => format!("身分證號碼應為 18 位，現為 {n} 位"),
            (Length(n), Lang::En) => format!("An ID card number has 18 characters; this one has {n}"),
            (Character(p), Lang::ZhHans) => format!("第 {p} 位应为数字（仅最后一位可以是 X）"),
            (Character(p), Lang::ZhHant) => format!("第 {p} 位應為數字（僅最後一位可以是 X）"),
            (Character(p), Lang::En) => format!("Character {p} must be a digit (only the last may be X)"),
            (Province(c), Lang::ZhHans) => format!("前两位 {c} 不是有效的省级行政区划代码"),
            (Province(c), Lang::ZhHant) => format!("前兩位 {c} 不是有效的省級行政區劃代碼"),
            (Province(c), Lang::En) => format!("The first two digits {c} are not a province code"),
            (BirthDate(b), Lang::ZhHans) => format!("出生日期 {b} 不存在"),
            (BirthDate(b), Lang::ZhHant) => format!("出生日期 {b} 不存在"),
            (BirthDate(b), Lang::En) => format!("The birth date {b} does not exist"),
            (FutureBirthDate(b), Lang::ZhHans) => format!("出生日期 {b} 晚于今天"),
            (FutureBirthDate(b), Lang::ZhHant) => format!("出生日期 {b} 晚於今天"),
            (FutureBirthDate(b), Lang::En) => format!("The birth date {b} is in the future"),
            (CheckCharacter { .. }, Lang::ZhHans) => "校验位不正确，请核对号码是否输错".into(),
            (CheckCharacter { .. }, Lang::ZhHant) => "校驗位不正確，請核對號碼是否輸錯".into(),
            (CheckCharacter { .. }, Lang::En) => {
                "The check character is wrong: please check the number for a typo".into()
            }
        }
    }
}

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: &[u8; 11] = b"10X98765432";

/// The GB 11643 check character for the first 17 digits.
pub fn id_check_character(first17: &str) -> Option<char> {
    let digits: Vec<u32> = first17.chars().map(|c| c.to_digit(10)).collect::<Option<_>>()?;
    if digits.len() != 17 {
        return None;
    }
    let sum: u32 = digits.iter().zip(ID_WEIGHTS).map(|(d, w)| d * w).sum();
    Some(ID_CHECK[(sum % 11) as usize] as char)
}

/// A date written as eight ASCII digits, `YYYYMMDD` (in ID numbers and case numbers). By hand,
/// not with chrono's format parser: that parser is most of what the browser's registration check
/// would otherwise download.
pub(crate) fn compact_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 8 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
    NaiveDate::from_ymd_opt(num(0..4) as i32, num(4..6), num(6..8))
}

impl IdCardNo {
    /// Parses with an explicit "today" (pure; for tests and the server's clock).
    pub fn parse_on(input: &str, today: NaiveDate) -> Result<Self, IdCardError> {
        let s = input.trim().to_ascii_uppercase();
        if s.is_empty() {
            return Err(IdCardError::Empty);
        }
        let n = s.chars().count();
        if n != 18 {
            return Err(IdCardError::Length(n));
        }
        for (i, c) in s.chars().enumerate() {
            let ok = c.is_ascii_digit() || (i == 17 && c == 'X');
            if !ok {
                return Err(IdCardError::Character(i + 1));
            }
        }
        let province: u8 = s[0..2].parse().expect("digits");
        if !PROVINCES.contains(&province) {
            return Err(IdCardError::Province(s[0..2].to_string()));
        }
        let birth_s = &s[6..14];
        let birth = compact_date(birth_s).filter(|b| b.year() >= 1850).ok_or_else(|| {
            IdCardError::BirthDate(format!("{}-{}-{}", &birth_s[0..4], &birth_s[4..6], &birth_s[6..8]))
        })?;
        if birth > today {
            return Err(IdCardError::FutureBirthDate(birth.to_string()));
        }
        let expected = id_check_character(&s[..17]).expect("17 digits");
        let found = s.chars().nth(17).expect("18 chars");
        if expected != found {
            return Err(IdCardError::CheckCharacter { expected, found });
        }
        Ok(IdCardNo(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn birth_date(&self) -> NaiveDate {
        compact_date(&self.0[6..14]).expect("checked at parse")
    }

    /// Masked for public display: first 3 and last 4 kept.
    pub fn masked(&self) -> String {
        format!("{}***********{}", &self.0[..3], &self.0[14..])
    }
}

impl FromStr for IdCardNo {
    type Err = IdCardError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        IdCardNo::parse_on(s, china_today())
    }
}

/// A valid unified social credit code (统一社会信用代码).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "String")]
pub struct CreditCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum CreditCodeError {
    #[error("empty")]
    Empty,
    #[error("must be 18 characters, got {0}")]
    Length(usize),
    #[error("character {position} ({found}) is not allowed")]
    Character { position: usize, found: char },
    #[error("characters 3–8 must be a region code (digits)")]
    Region,
    #[error("check character should be {expected}, not {found}")]
    CheckCharacter { expected: char, found: char },
}

impl CreditCodeError {
    pub fn message(&self, lang: Lang) -> String {
        use CreditCodeError::*;
        match (self, lang) {
            (Empty, Lang::ZhHans) => "请输入统一社会信用代码".into(),
            (Empty, Lang::ZhHant) => "請輸入統一社會信用代碼".into(),
            (Empty, Lang::En) => "Enter the unified social credit code".into(),
            (Length(n), Lang::ZhHans) => format!("统一社会信用代码应为 18 位，现为 {n} 位"),
            (Length(n), Lang::ZhHant) => format!("統一社會信用代碼應為 18 位，現為 {n} 位"),
            (Length(n), Lang::En) => format!("A credit code has 18 characters; this one has {n}"),
            (Character { position, found }, Lang::ZhHans) => {
                format!("第 {position} 位的“{found}”不允许（不使用 I、O、S、V、Z）")
            }
            (Character { position, found }, Lang::ZhHant) => {
                format!("第 {position} 位的「{found}」不允許（不使用 I、O、S、V、Z）")
            }
            (Character { position, found }, Lang::En) => {
                format!("Character {position} ('{found}') is not allowed (I, O, S, V and Z are never used)")
            }
            (Region, Lang::ZhHans) => "第 3 至 8 位应为行政区划码（数字）".into(),
            (Region, Lang::ZhHant) => "第 3 至 8 位應為行政區劃碼（數字）".into(),
            (Region, Lang::En) => "Characters 3 to 8 must be a region code (digits)".into(),
            (CheckCharacter { .. }, Lang::ZhHans) => "校验位不正确，请核对代码是否输错".into(),
            (CheckCharacter { .. }, Lang::ZhHant) => "校驗位不正確，請核對代碼是否輸錯".into(),
            (CheckCharacter { .. }, Lang::En) => {
                "The check character is wrong: please check the code for a typo".into()
            }
        }
    }
}

const CREDIT_CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

fn credit_value(c: char) -> Option<u32> {
    CREDIT_CHARSET.find(c).map(|i| i as u32)
}

/// The GB 32100 check character for the first 17 characters.
pub fn credit_check_character(first17: &str) -> Option<char> {
    let vals: Vec<u32> = first17.chars().map(credit_value).collect::<Option<_>>()?;
    if vals.len() != 17 {
        return None;
    }
    let sum: u32 = vals.iter().zip(CREDIT_WEIGHTS).map(|(v, w)| v * w).sum();
    let r = (31 - sum % 31) % 31;
    CREDIT_CHARSET.chars().nth(r as usize)
}

impl FromStr for CreditCode {
    type Err = CreditCodeError;
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let s = input.trim().to_ascii_uppercase();
        if s.is_empty() {
            return Err(CreditCodeError::Empty);
        }
        let n = s.chars().count();
        if n != 18 {
            return Err(CreditCodeError::Length(n));
        }
        for (i, c) in s.chars().enumerate() {
            if credit_value(c).is_none() {
                return Err(CreditCodeError::Character { position: i + 1, found: c });
            }
        }
        if !s[2..8].chars().all(|c| c.is_ascii_digit()) {
            return Err(CreditCodeError::Region);
        }
        let expected = credit_check_character(&s[..17]).expect("valid chars");
        let found = s.chars().nth(17).expect("18 chars");
        if expected != found {
            return Err(CreditCodeError::CheckCharacter { expected, found });
        }
        Ok(CreditCode(s))
    }
}

impl CreditCode {
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn masked(&self) -> String {
        format!("{}**********{}", &self.0[..4], &self.0[14..])
    }
}

/// A mainland mobile number, normalised to 11 digits.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "String")]
pub struct Mobile(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum MobileError {
    #[error("empty")]
    Empty,
    #[error("only digits, spaces, dashes and a leading +86")]
    Character,
    #[error("must be 11 digits, got {0}")]
    Length(usize),
    #[error("must start with 13–19")]
    Prefix,
}

impl MobileError {
    pub fn message(&self, lang: Lang) -> String {
        use MobileError::*;
        match (self, lang) {
            (Empty, Lang::ZhHans) => "请输入手机号码".into(),
            (Empty, Lang::ZhHant) => "請輸入手機號碼".into(),
            (Empty, Lang::En) => "Enter a mobile number".into(),
            (Character, Lang::ZhHans) => "手机号码只能包含数字".into(),
            (Character, Lang::ZhHant) => "手機號碼只能包含數字".into(),
            (Character, Lang::En) => "A mobile number has digits only".into(),
            (Length(n), Lang::ZhHans) => format!("手机号码应为 11 位，现为 {n} 位"),
            (Length(n), Lang::ZhHant) => format!("手機號碼應為 11 位，現為 {n} 位"),
            (Length(n), Lang::En) => format!("A mobile number has 11 digits; this one has {n}"),
            (Prefix, Lang::ZhHans) => "手机号码应以 13–19 开头".into(),
            (Prefix, Lang::ZhHant) => "手機號碼應以 13–19 開頭".into(),
            (Prefix, Lang::En) => "A mainland mobile number starts with 13 to 19".into(),
        }
    }
}

impl FromStr for Mobile {
    type Err = MobileError;
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let t = input.trim();
        if t.is_empty() {
            return Err(MobileError::Empty);
        }
        let t = t.strip_prefix("+86").unwrap_or(t);
        let mut digits = String::with_capacity(11);
        for c in t.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '-' => {}
                _ => return Err(MobileError::Character),
            }
        }
        if digits.len() == 13 && digits.starts_with("86") {
            digits.drain(..2);
        }
        if digits.len() != 11 {
            return Err(MobileError::Length(digits.len()));
        }
        let b = digits.as_bytes();
        if b[0] != b'1' || !(b'3'..=b'9').contains(&b[1]) {
            return Err(MobileError::Prefix);
        }
        Ok(Mobile(digits))
    }
}

impl Mobile {
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// 138****1234
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

/// A six-digit postal code.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "String")]
pub struct PostalCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum PostalCodeError {
    #[error("must be 6 digits")]
    Format,
}

impl PostalCodeError {
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::ZhHans => "邮政编码应为 6 位数字".into(),
            Lang::ZhHant => "郵遞區號應為 6 位數字".into(),
            Lang::En => "A postal code has 6 digits".into(),
        }
    }
}

impl FromStr for PostalCode {
    type Err = PostalCodeError;
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let t = input.trim();
        if t.len() == 6 && t.chars().all(|c| c.is_ascii_digit()) {
            Ok(PostalCode(t.to_string()))
        } else {
            Err(PostalCodeError::Format)
        }
    }
}

macro_rules! string_newtype {
    ($($t:ident),*) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(&self.0) }
        }
        impl fmt::Debug for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { write!(f, "{}({:?})", stringify!($t), self.0) }
        }
        impl From<$t> for String {
            fn from(v: $t) -> String { v.0 }
        }
        impl AsRef<str> for $t {
            fn as_ref(&self) -> &str { &self.0 }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(|e| serde::de::Error::custom(format!("{e}")))
            }
        }
    )*};
}
string_newtype!(IdCardNo, CreditCode, Mobile, PostalCode);

/// Masks a personal name for public registers: 张三 → 张*, 张小三 → 张*三, 欧阳小明 → 欧**明.
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.trim().chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".into(),
        2 => format!("{}*", chars[0]),
        n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

/// Why a password is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum PasswordError {
    #[error("at least {0} characters")]
    TooShort(usize),
    #[error("at most {0} characters")]
    TooLong(usize),
    #[error("one of the most common passwords")]
    Common,
    #[error("the same as the account name")]
    SameAsLogin,
}

impl PasswordError {
    pub fn message(&self, lang: Lang) -> String {
        use PasswordError::*;
        match (self, lang) {
            (TooShort(n), Lang::ZhHans) => format!("密码至少 {n} 个字符"),
            (TooShort(n), Lang::ZhHant) => format!("密碼至少 {n} 個字元"),
            (TooShort(n), Lang::En) => format!("Use at least {n} characters"),
            (TooLong(n), Lang::ZhHans) => format!("密码最多 {n} 个字符"),
            (TooLong(n), Lang::ZhHant) => format!("密碼最多 {n} 個字元"),
            (TooLong(n), Lang::En) => format!("Use at most {n} characters"),
            (Common, Lang::ZhHans) => "这个密码太常见，容易被猜中，请换一个".into(),
            (Common, Lang::ZhHant) => "這個密碼太常見，容易被猜中，請換一個".into(),
            (Common, Lang::En) => "This password is too common and easy to guess: choose another".into(),
            (SameAsLogin, Lang::ZhHans) => "密码不能与证件号码或手机号相同".into(),
            (SameAsLogin, Lang::ZhHant) => "密碼不能與證件號碼或手機號相同".into(),
            (SameAsLogin, Lang::En) => "The password must not be your ID number or mobile".into(),
        }
    }
}

pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;

const COMMON_PASSWORDS: &str = include_str!("../data/common-passwords.txt");

/// Checks a new password: length and the list of most common passwords (case-insensitive).
pub fn check_password(password: &str, logins: &[&str]) -> Result<(), PasswordError> {
    let n = password.chars().count();
    if n < PASSWORD_MIN {
        return Err(PasswordError::TooShort(PASSWORD_MIN));
    }
    if n > PASSWORD_MAX {
        return Err(PasswordError::TooLong(PASSWORD_MAX));
    }
    // the list is ASCII: a password with other letters is compared as typed
    let lower = password.to_ascii_lowercase();
    if COMMON_PASSWORDS.lines().any(|l| !l.starts_with('#') && l.trim() == lower) {
        return Err(PasswordError::Common);
    }
    if logins.iter().any(|l| !l.is_empty() && l.eq_ignore_ascii_case(password.trim())) {
        return Err(PasswordError::SameAsLogin);
    }
    Ok(())
}

#[cfg(test)]
#[path = "validators_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "validators_props.rs"]
mod props;
