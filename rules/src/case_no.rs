//! Case numbers (办件编号): `{department code}-{YYYYMMDD}-{sequence:06}`, e.g. `ZRZY-20251013-000042`.
//! Unique per department and day, sortable as text within a department, readable over the phone.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CaseNo {
    department: String,
    date: NaiveDate,
    seq: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseNoError {
    #[error("a case number looks like ABCD-20251013-000042")]
    Format,
    #[error("department code must be 2–10 capital letters or digits")]
    Department,
    #[error("the date part is not a real date")]
    Date,
    #[error("the sequence must be 1–999999")]
    Sequence,
}

impl CaseNo {
    pub fn new(department: &str, date: NaiveDate, seq: u32) -> Result<Self, CaseNoError> {
        let dep = department.trim().to_ascii_uppercase();
        if !(2..=10).contains(&dep.len()) || !dep.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) {
            return Err(CaseNoError::Department);
        }
        if seq == 0 || seq > 999_999 {
            return Err(CaseNoError::Sequence);
        }
        Ok(CaseNo { department: dep, date, seq })
    }
    pub fn department(&self) -> &str {
        &self.department
    }
    pub fn date(&self) -> NaiveDate {
        self.date
    }
    pub fn seq(&self) -> u32 {
        self.seq
    }
}

impl fmt::Display for CaseNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{:06}", self.department, self.date.format("%Y%m%d"), self.seq)
    }
}

impl fmt::Debug for CaseNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CaseNo({self})")
    }
}

impl FromStr for CaseNo {
    type Err = CaseNoError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_uppercase();
        let mut parts = t.split('-');
        let (Some(dep), Some(date), Some(seq), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err(CaseNoError::Format);
        };
        if date.len() != 8 || seq.len() != 6 || !seq.chars().all(|c| c.is_ascii_digit()) {
            return Err(CaseNoError::Format);
        }
        let date = crate::validators::compact_date(date).ok_or(CaseNoError::Date)?;
        CaseNo::new(dep, date, seq.parse().map_err(|_| CaseNoError::Format)?)
    }
}

impl TryFrom<String> for CaseNo {
    type Error = CaseNoError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<CaseNo> for String {
    fn from(c: CaseNo) -> String {
        c.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn table() {
        let cases: Vec<(&str, Result<&str, CaseNoError>)> = vec![
            ("ZRZY-20251013-000042", Ok("ZRZY-20251013-000042")),
            (" zrzy-20251013-000042 ", Ok("ZRZY-20251013-000042")),
            ("ZRZY-20251313-000042", Err(CaseNoError::Date)),
            ("ZRZY-20251013-42", Err(CaseNoError::Format)),
            ("Z-20251013-000042", Err(CaseNoError::Department)),
            ("ZRZY-20251013-000000", Err(CaseNoError::Sequence)),
            ("ZRZY20251013000042", Err(CaseNoError::Format)),
        ];
        for (input, want) in cases {
            assert_eq!(input.parse::<CaseNo>().map(|c| c.to_string()), want.map(String::from), "{input}");
        }
    }

    proptest! {
        #[test]
        fn text_order_is_number_order(d1 in 0i64..20000, s1 in 1u32..999_999, d2 in 0i64..20000, s2 in 1u32..999_999) {
            let base = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
            let a = CaseNo::new("ZRZY", base + chrono::Duration::days(d1), s1).unwrap();
            let b = CaseNo::new("ZRZY", base + chrono::Duration::days(d2), s2).unwrap();
            prop_assert_eq!(a.cmp(&b), a.to_string().cmp(&b.to_string()));
            prop_assert_eq!(a.to_string().parse::<CaseNo>().unwrap(), a);
        }
    }
}
