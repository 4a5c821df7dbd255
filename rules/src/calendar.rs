//! The working-day calendar (节假日 / 调休).
//!
//! A working day is Monday–Friday that is not an official holiday, plus any weekend day the State
//! Council declared a make-up working day. The schedules are data: one human-readable file per year
//! (`rules/data/calendar/YYYY.txt`), embedded so the browser has them too, and editable by admins in
//! the database (the server builds a [`Calendar`] from its rows with [`Calendar::from_days`]).
//!
//! "The N-th working day after D" and "working days between D1 and D2" are O(1): the calendar keeps a
//! prefix count of working days and the list of working-day offsets over a fixed span of years.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// First day covered by the index.
pub const SPAN_FIRST_YEAR: i32 = 2000;
/// Last year covered by the index (inclusive).
pub const SPAN_LAST_YEAR: i32 = 2099;

/// The shipped official schedules, one file per year.
pub const SHIPPED_SCHEDULES: &[(i32, &str)] = &[
    (2024, include_str!("../data/calendar/2024.txt")),
    (2025, include_str!("../data/calendar/2025.txt")),
    (2026, include_str!("../data/calendar/2026.txt")),
];

/// What an exceptional date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// An official day off (放假), even if it falls on a weekday.
    Holiday,
    /// A weekend day declared a working day (调休上班).
    Workday,
}

/// One exceptional date of a schedule (`CalendarDay` in DESIGN.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarDay {
    pub date: NaiveDate,
    pub kind: DayKind,
    pub name: String,
}

/// A year's schedule as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearSchedule {
    pub year: i32,
    pub days: Vec<CalendarDay>,
}

/// Something the UI should tell the user about a computation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub enum CalendarWarning {
    /// No official schedule is loaded for this year: only weekends were treated as days off.
    UnknownYear(i32),
}

impl std::fmt::Display for CalendarWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CalendarWarning::UnknownYear(y) => {
                write!(f, "no holiday schedule for {y}: only weekends are treated as days off")
            }
        }
    }
}

/// Errors from reading a schedule file or using the calendar.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("line {line}: {message}")]
    Parse { line: usize, message: String },
    #[error("date {0} is outside the calendar's range ({SPAN_FIRST_YEAR}–{SPAN_LAST_YEAR})")]
    OutOfRange(NaiveDate),
    #[error("date {date} belongs to {found}, not to the schedule's year {year}")]
    WrongYear { date: NaiveDate, year: i32, found: i32 },
    #[error("date {0} is listed twice with different kinds")]
    Conflict(NaiveDate),
}

/// Parses one year's schedule file (format: see `rules/data/calendar/2025.txt`).
pub fn parse_schedule(text: &str) -> Result<YearSchedule, CalendarError> {
    let mut year: Option<i32> = None;
    let mut days: BTreeMap<NaiveDate, CalendarDay> = BTreeMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let err = |message: String| CalendarError::Parse { line: line_no, message };
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let mut parts = line.splitn(3, char::is_whitespace);
        let keyword = parts.next().unwrap_or("");
        let arg = parts.next().unwrap_or("").trim();
        let name = parts.next().unwrap_or("").trim().to_string();
        match keyword {
            "year" => {
                let y: i32 = arg.parse().map_err(|_| err(format!("not a year: {arg:?}")))?;
                if !(SPAN_FIRST_YEAR..=SPAN_LAST_YEAR).contains(&y) {
                    return Err(err(format!("year {y} outside {SPAN_FIRST_YEAR}–{SPAN_LAST_YEAR}")));
                }
                year = Some(y);
            }
            "holiday" | "workday" => {
                let y = year.ok_or_else(|| err("a `year` line must come first".into()))?;
                let kind = if keyword == "holiday" { DayKind::Holiday } else { DayKind::Workday };
                let (first, last) = match arg.split_once("..") {
                    Some((a, b)) => (parse_date(a).map_err(&err)?, parse_date(b).map_err(&err)?),
                    None => {
                        let d = parse_date(arg).map_err(&err)?;
                        (d, d)
                    }
                };
                if last < first {
                    return Err(err(format!("range ends before it starts: {arg}")));
                }
                if last.signed_duration_since(first).num_days() > 31 {
                    return Err(err(format!("range longer than a month: {arg}")));
                }
                let mut d = first;
                while d <= last {
                    if d.year() != y {
                        return Err(CalendarError::WrongYear { date: d, year: y, found: d.year() });
                    }
                    if kind == DayKind::Workday && !is_weekend(d) {
                        return Err(err(format!("{d} is a weekday: a make-up working day must be a weekend day")));
                    }
                    if let Some(prev) = days.get(&d) {
                        if prev.kind != kind {
                            return Err(CalendarError::Conflict(d));
                        }
                    }
                    days.insert(d, CalendarDay { date: d, kind, name: name.clone() });
                    d += Duration::days(1);
                }
            }
            other => return Err(err(format!("unknown keyword {other:?} (expected year, holiday or workday)"))),
        }
    }
    let year = year.ok_or(CalendarError::Parse { line: 0, message: "no `year` line".into() })?;
    Ok(YearSchedule { year, days: days.into_values().collect() })
}

/// Renders a schedule back into the file format (for exports and round-trip tests).
pub fn format_schedule(schedule: &YearSchedule) -> String {
    let mut out = format!("year {}\n", schedule.year);
    for d in &schedule.days {
        let kw = match d.kind {
            DayKind::Holiday => "holiday",
            DayKind::Workday => "workday",
        };
        out.push_str(&format!("{kw} {} {}\n", d.date, d.name));
    }
    out
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| format!("not a date (YYYY-MM-DD): {s:?}"))
}

pub fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The working-day calendar with its O(1) index.
#[derive(Debug, Clone)]
pub struct Calendar {
    base: NaiveDate,
    /// `prefix[i]` = number of working days in `[base, base + i)`; one longer than the span.
    prefix: Vec<u32>,
    /// Offsets (from `base`) of every working day, ascending.
    working: Vec<u32>,
    known_years: BTreeSet<i32>,
    exceptions: BTreeMap<NaiveDate, CalendarDay>,
}

impl Default for Calendar {
    fn default() -> Self {
        Self::shipped()
    }
}

impl Calendar {
    /// The calendar of the schedules shipped with Tongban.
    pub fn shipped() -> Self {
        let schedules: Vec<YearSchedule> = SHIPPED_SCHEDULES
            .iter()
            .map(|(y, text)| {
                let s = parse_schedule(text).expect("shipped schedule parses");
                debug_assert_eq!(s.year, *y);
                s
            })
            .collect();
        Self::from_schedules(&schedules)
    }

    /// A calendar that knows no holidays at all (weekends only).
    pub fn weekends_only() -> Self {
        Self::from_schedules(&[])
    }

    pub fn from_schedules(schedules: &[YearSchedule]) -> Self {
        let years = schedules.iter().map(|s| s.year);
        let days = schedules.iter().flat_map(|s| s.days.iter().cloned());
        Self::from_days(years, days)
    }

    /// Builds the calendar from the years that have a schedule and their exceptional days (e.g. the
    /// database rows). Days outside the covered span are ignored.
    pub fn from_days(known_years: impl IntoIterator<Item = i32>, days: impl IntoIterator<Item = CalendarDay>) -> Self {
        let base = NaiveDate::from_ymd_opt(SPAN_FIRST_YEAR, 1, 1).expect("valid");
        let end = NaiveDate::from_ymd_opt(SPAN_LAST_YEAR + 1, 1, 1).expect("valid");
        let span = end.signed_duration_since(base).num_days() as usize;
        let exceptions: BTreeMap<NaiveDate, CalendarDay> =
            days.into_iter().filter(|d| d.date >= base && d.date < end).map(|d| (d.date, d)).collect();
        let mut prefix = Vec::with_capacity(span + 1);
        let mut working = Vec::with_capacity(span * 5 / 7 + 16);
        prefix.push(0u32);
        let mut count = 0u32;
        let mut d = base;
        // Weekday of base, advanced by hand: faster than asking chrono every day.
        let mut wd = base.weekday().num_days_from_monday();
        for i in 0..span {
            let weekend = wd >= 5;
            let is_work = match exceptions.get(&d).map(|e| e.kind) {
                Some(DayKind::Holiday) => false,
                Some(DayKind::Workday) => true,
                None => !weekend,
            };
            if is_work {
                working.push(i as u32);
                count += 1;
            }
            prefix.push(count);
            d = d.succ_opt().expect("in range");
            wd = (wd + 1) % 7;
        }
        Calendar { base, prefix, working, known_years: known_years.into_iter().collect(), exceptions }
    }

    pub fn first_day(&self) -> NaiveDate {
        self.base
    }

    pub fn last_day(&self) -> NaiveDate {
        self.base + Duration::days(self.prefix.len() as i64 - 2)
    }

    fn offset(&self, d: NaiveDate) -> Result<usize, CalendarError> {
        let off = d.signed_duration_since(self.base).num_days();
        if off < 0 || off as usize + 1 >= self.prefix.len() {
            return Err(CalendarError::OutOfRange(d));
        }
        Ok(off as usize)
    }

    fn date_at(&self, off: u32) -> NaiveDate {
        self.base + Duration::days(off as i64)
    }

    /// Is `d` a working day? Dates outside the span follow weekends only.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        match self.offset(d) {
            Ok(i) => self.prefix[i + 1] > self.prefix[i],
            Err(_) => !is_weekend(d),
        }
    }

    /// The exceptional entry for a date, if any (holiday name or make-up day).
    pub fn exception(&self, d: NaiveDate) -> Option<&CalendarDay> {
        self.exceptions.get(&d)
    }

    pub fn exceptions(&self) -> impl Iterator<Item = &CalendarDay> {
        self.exceptions.values()
    }

    pub fn known_years(&self) -> impl Iterator<Item = i32> + '_ {
        self.known_years.iter().copied()
    }

    pub fn knows_year(&self, year: i32) -> bool {
        self.known_years.contains(&year)
    }

    /// Warnings for computations touching the dates from `a` to `b` (either order).
    pub fn warnings_between(&self, a: NaiveDate, b: NaiveDate) -> Vec<CalendarWarning> {
        let (lo, hi) = if a <= b { (a.year(), b.year()) } else { (b.year(), a.year()) };
        (lo..=hi).filter(|y| !self.knows_year(*y)).map(CalendarWarning::UnknownYear).collect()
    }

    /// Number of working days in the half-open interval `(from, to]`: the start day is not counted,
    /// the end day is. Zero when `to <= from`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> Result<u32, CalendarError> {
        if to <= from {
            return Ok(0);
        }
        let a = self.offset(from)?;
        let b = self.offset(to)?;
        Ok(self.prefix[b + 1] - self.prefix[a + 1])
    }

    /// Working days in the closed interval `[first, last]`.
    pub fn working_days_in(&self, first: NaiveDate, last: NaiveDate) -> Result<u32, CalendarError> {
        if last < first {
            return Ok(0);
        }
        let a = self.offset(first)?;
        let b = self.offset(last)?;
        Ok(self.prefix[b + 1] - self.prefix[a])
    }

    /// The `n`-th working day after `start` (the start day itself is not counted). `n = 0` gives
    /// `start` itself.
    pub fn nth_working_day_after(&self, start: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        if n == 0 {
            return Ok(start);
        }
        let s = self.offset(start)?;
        let k = self.prefix[s + 1] as usize + n as usize - 1;
        match self.working.get(k) {
            Some(off) => Ok(self.date_at(*off)),
            None => Err(CalendarError::OutOfRange(start + Duration::days(n as i64 * 7 / 5 + 14))),
        }
    }

    /// The first working day on or after `d`.
    pub fn working_day_on_or_after(&self, d: NaiveDate) -> Result<NaiveDate, CalendarError> {
        if self.is_working_day(d) {
            Ok(d)
        } else {
            self.nth_working_day_after(d, 1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn shipped_schedules_parse_and_are_known() {
        let cal = Calendar::shipped();
        for y in [2024, 2025, 2026] {
            assert!(cal.knows_year(y), "{y}");
        }
        assert!(!cal.knows_year(2027));
        assert_eq!(cal.warnings_between(d("2026-12-01"), d("2027-01-10")), vec![CalendarWarning::UnknownYear(2027)]);
        assert!(cal.warnings_between(d("2025-01-01"), d("2026-12-31")).is_empty());
    }

    #[test]
    fn working_day_table() {
        let cal = Calendar::shipped();
        let cases = [
            ("2025-10-01", false, "National Day"),
            ("2025-10-08", false, "National Day (8 days in 2025)"),
            ("2025-10-09", true, "Thursday after the holiday"),
            ("2025-10-11", true, "Saturday make-up day"),
            ("2025-10-12", false, "ordinary Sunday"),
            ("2025-09-28", true, "Sunday make-up day"),
            ("2025-01-26", true, "Spring Festival make-up Sunday"),
            ("2025-01-28", false, "Spring Festival eve"),
            ("2024-06-10", false, "Dragon Boat Monday"),
            ("2026-01-04", true, "New Year make-up Sunday 2026"),
            ("2026-02-23", false, "Spring Festival Monday 2026"),
            ("2026-02-24", true, "back to work 2026"),
            ("2027-10-01", true, "unknown year: weekdays work"),
            ("2027-10-02", false, "unknown year: Saturday"),
        ];
        for (date, expected, why) in cases {
            assert_eq!(cal.is_working_day(d(date)), expected, "{date}: {why}");
        }
    }

    #[test]
    fn nth_working_day_table() {
        let cal = Calendar::shipped();
        let cases = [
            // (start, n, expected)
            ("2025-09-30", 20, "2025-11-04"),
            ("2025-09-30", 1, "2025-10-09"),
            ("2025-09-30", 3, "2025-10-11"),
            ("2025-10-10", 1, "2025-10-11"),
            ("2025-10-10", 0, "2025-10-10"),
            ("2025-01-24", 1, "2025-01-26"),
            ("2025-01-27", 1, "2025-02-05"),
            ("2024-12-31", 1, "2025-01-02"),
            ("2026-12-31", 1, "2027-01-01"),
            ("2025-06-27", 5, "2025-07-04"),
        ];
        for (start, n, expected) in cases {
            assert_eq!(cal.nth_working_day_after(d(start), n).unwrap(), d(expected), "{start} + {n}");
        }
    }

    #[test]
    fn between_table() {
        let cal = Calendar::shipped();
        let cases = [
            ("2025-09-30", "2025-11-04", 20),
            ("2025-09-30", "2025-09-30", 0),
            ("2025-11-04", "2025-09-30", 0),
            ("2025-10-01", "2025-10-08", 0),
            ("2025-10-08", "2025-10-11", 3),
        ];
        for (a, b, n) in cases {
            assert_eq!(cal.working_days_between(d(a), d(b)).unwrap(), n, "{a}..{b}");
        }
        assert_eq!(cal.working_days_in(d("2025-10-09"), d("2025-10-11")).unwrap(), 3);
    }

    #[test]
    fn out_of_range_is_an_error() {
        let cal = Calendar::shipped();
        assert!(matches!(cal.nth_working_day_after(d("1999-12-31"), 1), Err(CalendarError::OutOfRange(_))));
        assert!(cal.nth_working_day_after(d("2099-12-30"), 100).is_err());
    }

    #[test]
    fn parse_errors_say_where() {
        let cases = [
            ("holiday 2025-01-01 x", "year"),
            ("year 2025\nholiday 2025-13-01 x", "not a date"),
            ("year 2025\nworkday 2025-10-09 x", "weekday"),
            ("year 2025\nholiday 2024-12-31 x", "2024"),
            ("year 2025\nfoo 2025-01-01", "unknown keyword"),
            ("year 2025\nholiday 2025-01-05..2025-01-01 x", "ends before"),
        ];
        for (text, needle) in cases {
            let e = parse_schedule(text).unwrap_err().to_string();
            assert!(e.contains(needle), "{text:?} → {e}");
        }
    }

    #[test]
    fn format_round_trips() {
        for (_, text) in SHIPPED_SCHEDULES {
            let s = parse_schedule(text).unwrap();
            assert_eq!(parse_schedule(&format_schedule(&s)).unwrap(), s);
        }
    }
}
