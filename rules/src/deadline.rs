//! Time limits and due dates: statutory and promised limits, suspensions (中止), extensions (延期),
//! parallel-approval clocks, acceptance windows, correction and fee terms, delivery, warning levels
//! and the statistics defined on decided cases (办结: the decision, not its delivery).
//!
//! Convention everywhere: the start day is not counted; day 1 is the first counting day after it.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, CalendarError};

/// The unit a limit is counted in. Data on the item, never hard-coded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitUnit {
    WorkingDays,
    CalendarDays,
}

/// A number of working days (the common unit of 法定/承诺时限).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WorkingDays(pub u32);

impl std::fmt::Display for WorkingDays {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} 个工作日", self.0)
    }
}

/// A limit with its unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TimeLimit {
    pub amount: u32,
    pub unit: LimitUnit,
}

impl TimeLimit {
    pub const fn working(n: u32) -> Self {
        TimeLimit { amount: n, unit: LimitUnit::WorkingDays }
    }
    pub const fn calendar(n: u32) -> Self {
        TimeLimit { amount: n, unit: LimitUnit::CalendarDays }
    }
}

impl std::fmt::Display for TimeLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.unit {
            LimitUnit::WorkingDays => write!(f, "{} 个工作日", self.amount),
            LimitUnit::CalendarDays => write!(f, "{} 日", self.amount),
        }
    }
}

/// A suspension of the clock (中止): hearings, expert review, testing… First and last day inclusive;
/// `last = None` means still running (counted as running through "today" by [`CaseClock::due_on`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suspension {
    pub first: NaiveDate,
    pub last: Option<NaiveDate>,
}

impl Suspension {
    pub fn closed(first: NaiveDate, last: NaiveDate) -> Self {
        Suspension { first, last: Some(last) }
    }
}

/// Why a due date could not be computed or an extension is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum DeadlineError {
    #[error("date out of the calendar's range: {0}")]
    OutOfRange(NaiveDate),
    #[error("a suspension ends before it starts ({first} – {last})")]
    BadSuspension { first: NaiveDate, last: NaiveDate },
    #[error("this item does not allow an extension")]
    ExtensionNotAllowed,
    #[error("the case was already extended once")]
    AlreadyExtended,
    #[error("an extension of {requested} working days exceeds the item's cap of {cap}")]
    ExtensionTooLong { requested: u32, cap: u32 },
    #[error("an extension must be at least one working day")]
    ExtensionZero,
    #[error("an extension needs a written reason for the applicant")]
    ExtensionWithoutReason,
}

impl From<CalendarError> for DeadlineError {
    fn from(e: CalendarError) -> Self {
        match e {
            CalendarError::OutOfRange(d) => DeadlineError::OutOfRange(d),
            // Parse errors cannot come out of date arithmetic.
            _ => DeadlineError::OutOfRange(NaiveDate::MIN),
        }
    }
}

/// Merges suspensions into sorted, disjoint, closed intervals (overlapping ones count once).
pub fn merge_suspensions(susp: &[Suspension], today: NaiveDate) -> Result<Vec<(NaiveDate, NaiveDate)>, DeadlineError> {
    let mut v: Vec<(NaiveDate, NaiveDate)> = Vec::with_capacity(susp.len());
    for s in susp {
        let last = s.last.unwrap_or(today.max(s.first));
        if last < s.first {
            return Err(DeadlineError::BadSuspension { first: s.first, last });
        }
        v.push((s.first, last));
    }
    v.sort();
    let mut out: Vec<(NaiveDate, NaiveDate)> = Vec::with_capacity(v.len());
    for (a, b) in v {
        match out.last_mut() {
            Some(last) if a <= last.1 + Duration::days(1) => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    Ok(out)
}

/// Counting days of one unit: how many in `(from, to]` and the n-th after a day.
trait DayCounter {
    fn between(&self, from: NaiveDate, to: NaiveDate) -> Result<u32, DeadlineError>;
    fn nth_after(&self, start: NaiveDate, n: u32) -> Result<NaiveDate, DeadlineError>;
}

struct Working<'a>(&'a Calendar);
struct Plain;

impl DayCounter for Working<'_> {
    fn between(&self, from: NaiveDate, to: NaiveDate) -> Result<u32, DeadlineError> {
        Ok(self.0.working_days_between(from, to)?)
    }
    fn nth_after(&self, start: NaiveDate, n: u32) -> Result<NaiveDate, DeadlineError> {
        Ok(self.0.nth_working_day_after(start, n)?)
    }
}

impl DayCounter for Plain {
    fn between(&self, from: NaiveDate, to: NaiveDate) -> Result<u32, DeadlineError> {
        Ok(to.signed_duration_since(from).num_days().max(0) as u32)
    }
    fn nth_after(&self, start: NaiveDate, n: u32) -> Result<NaiveDate, DeadlineError> {
        start.checked_add_signed(Duration::days(n as i64)).ok_or(DeadlineError::OutOfRange(start))
    }
}

fn nth_counting_day<C: DayCounter>(
    c: &C,
    start: NaiveDate,
    n: u32,
    merged: &[(NaiveDate, NaiveDate)],
) -> Result<NaiveDate, DeadlineError> {
    if n == 0 {
        return Ok(start);
    }
    let mut remaining = n;
    let mut cursor = start;
    for &(first, last) in merged {
        if last <= cursor {
            continue;
        }
        // counting days strictly between the cursor and the suspension's first day
        let before = if first > cursor { c.between(cursor, first - Duration::days(1))? } else { 0 };
        if before >= remaining {
            return c.nth_after(cursor, remaining);
        }
        remaining -= before;
        cursor = last;
    }
    c.nth_after(cursor, remaining)
}

/// Due date: the `limit`-th counting day after `start`, skipping days inside any suspension.
pub fn due_date(
    cal: &Calendar,
    start: NaiveDate,
    limit: TimeLimit,
    suspensions: &[Suspension],
    today: NaiveDate,
) -> Result<NaiveDate, DeadlineError> {
    let merged = merge_suspensions(suspensions, today)?;
    match limit.unit {
        LimitUnit::WorkingDays => nth_counting_day(&Working(cal), start, limit.amount, &merged),
        LimitUnit::CalendarDays => nth_counting_day(&Plain, start, limit.amount, &merged),
    }
}

/// Counting days used between `start` (exclusive) and `end` (inclusive), suspended days excluded.
pub fn days_used(
    cal: &Calendar,
    start: NaiveDate,
    end: NaiveDate,
    unit: LimitUnit,
    suspensions: &[Suspension],
) -> Result<u32, DeadlineError> {
    let merged = merge_suspensions(suspensions, end)?;
    let total = match unit {
        LimitUnit::WorkingDays => Working(cal).between(start, end)?,
        LimitUnit::CalendarDays => Plain.between(start, end)?,
    };
    let mut suspended = 0;
    for (a, b) in merged {
        let lo = a.max(start + Duration::days(1));
        let hi = b.min(end);
        if hi >= lo {
            suspended += match unit {
                LimitUnit::WorkingDays => cal.working_days_in(lo, hi)?,
                LimitUnit::CalendarDays => Plain.between(lo - Duration::days(1), hi)?,
            };
        }
    }
    Ok(total - suspended)
}

/// Whether and how far an item lets a case be extended (延期).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtensionPolicy {
    /// Cap in working days; `0` = no extension allowed (e.g. co-departments).
    pub max_working_days: u32,
}

impl ExtensionPolicy {
    pub const NONE: ExtensionPolicy = ExtensionPolicy { max_working_days: 0 };
    /// 行政许可法第四十二条: 20 working days, extendable by 10.
    pub const LICENSING: ExtensionPolicy = ExtensionPolicy { max_working_days: 10 };
    /// Lead department of a parallel approval: 20 + 5.
    pub const PARALLEL_LEAD: ExtensionPolicy = ExtensionPolicy { max_working_days: 5 };
}

/// An extension granted on a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub days: u32,
    pub reason: String,
}

/// Checks an extension request: once per case, only where allowed, capped, with a reason.
pub fn check_extension(
    policy: ExtensionPolicy,
    already_extended: bool,
    days: u32,
    reason: &str,
) -> Result<Extension, DeadlineError> {
    if policy.max_working_days == 0 {
        return Err(DeadlineError::ExtensionNotAllowed);
    }
    if already_extended {
        return Err(DeadlineError::AlreadyExtended);
    }
    if days == 0 {
        return Err(DeadlineError::ExtensionZero);
    }
    if days > policy.max_working_days {
        return Err(DeadlineError::ExtensionTooLong { requested: days, cap: policy.max_working_days });
    }
    if reason.trim().chars().count() < 2 {
        return Err(DeadlineError::ExtensionWithoutReason);
    }
    Ok(Extension { days, reason: reason.trim().to_string() })
}

/// The decision clock of one case: start (acceptance day), limit, optional extension, suspensions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseClock {
    pub start: NaiveDate,
    pub limit: TimeLimit,
    pub extension: Option<Extension>,
    pub suspensions: Vec<Suspension>,
}

impl CaseClock {
    pub fn new(start: NaiveDate, limit: TimeLimit) -> Self {
        CaseClock { start, limit, extension: None, suspensions: Vec::new() }
    }

    /// The effective limit (the extension is in working days and only applies to working-day limits;
    /// for a calendar-day limit it is added as calendar days).
    pub fn effective_limit(&self) -> TimeLimit {
        TimeLimit { amount: self.limit.amount + self.extension.as_ref().map_or(0, |e| e.days), unit: self.limit.unit }
    }

    /// The due date as known on `today` (a running suspension is counted through `today`, so the
    /// due date moves while a case is suspended).
    pub fn due_on(&self, cal: &Calendar, today: NaiveDate) -> Result<NaiveDate, DeadlineError> {
        due_date(cal, self.start, self.effective_limit(), &self.suspensions, today)
    }

    pub fn is_suspended_on(&self, day: NaiveDate) -> bool {
        self.suspensions.iter().any(|s| s.first <= day && s.last.is_none_or(|l| day <= l))
    }

    /// Warning level and remaining working days on `today`.
    pub fn status_on(&self, cal: &Calendar, today: NaiveDate, warn_days: u32) -> Result<ClockStatus, DeadlineError> {
        let due = self.due_on(cal, today)?;
        let mut st = warning(cal, due, today, warn_days)?;
        if self.is_suspended_on(today) {
            st.suspended = true;
        }
        Ok(st)
    }
}

/// Traffic light of an open case (黄灯预警 / 红灯超期).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum WarningLevel {
    Normal,
    Warning,
    Overdue,
}

impl WarningLevel {
    pub fn as_str(&self) -> &'static str {
        match self {
            WarningLevel::Normal => "normal",
            WarningLevel::Warning => "warning",
            WarningLevel::Overdue => "overdue",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockStatus {
    pub due: NaiveDate,
    pub level: WarningLevel,
    /// Working days left after today up to and including the due day; negative when overdue
    /// (minus the working days since the due day).
    pub remaining: i32,
    pub suspended: bool,
}

/// Default yellow-light threshold in working days.
pub const DEFAULT_WARNING_DAYS: u32 = 2;

/// Warning level of a deadline on a day: `Overdue` after the due day; `Warning` when at most
/// `warn_days` working days are left; `Normal` otherwise.
pub fn warning(cal: &Calendar, due: NaiveDate, today: NaiveDate, warn_days: u32) -> Result<ClockStatus, DeadlineError> {
    if today > due {
        let late = cal.working_days_between(due, today)? as i32;
        return Ok(ClockStatus { due, level: WarningLevel::Overdue, remaining: -late, suspended: false });
    }
    let left = cal.working_days_between(today, due)?;
    let level = if left <= warn_days { WarningLevel::Warning } else { WarningLevel::Normal };
    Ok(ClockStatus { due, level, remaining: left as i32, suspended: false })
}

/// Statutory decision limit of a licence (行政许可法第四十二条).
pub const LICENSING_DECISION: TimeLimit = TimeLimit::working(20);
/// Window for deciding acceptance after a receipt (收件后 5 个工作日).
pub const ACCEPTANCE_WINDOW: TimeLimit = TimeLimit::working(5);
/// A correction not answered by its due date → not accepted within 2 working days.
pub const CORRECTION_EXPIRY_DECISION: TimeLimit = TimeLimit::working(2);
/// A co-department's answer in a parallel approval.
pub const CO_DEPARTMENT_ANSWER: TimeLimit = TimeLimit::working(10);
/// The lead department's decision in a parallel approval.
pub const PARALLEL_LEAD_DECISION: TimeLimit = TimeLimit::working(20);
/// Delivery after payment.
pub const DELIVERY_AFTER_PAYMENT: TimeLimit = TimeLimit::working(3);
/// The result is delivered within 10 working days of the decision (行政许可法第四十四条).
pub const DELIVERY_AFTER_DECISION: TimeLimit = TimeLimit::working(10);
/// 容缺 supplements.
pub const DEFERRED_SUPPLEMENT: TimeLimit = TimeLimit::calendar(30);

/// Last day to decide acceptance after a receipt (收件凭证).
pub fn acceptance_window_end(cal: &Calendar, receipt: NaiveDate) -> Result<NaiveDate, DeadlineError> {
    Ok(cal.nth_working_day_after(receipt, ACCEPTANCE_WINDOW.amount)?)
}

/// Outcome of a receipt on a given day (行政许可法第三十二条: silence within 5 working days = accepted
/// from the day of receipt).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReceiptStatus {
    Pending { window_ends: NaiveDate },
    DeemedAccepted { accepted_on: NaiveDate },
}

pub fn receipt_status(cal: &Calendar, receipt: NaiveDate, today: NaiveDate) -> Result<ReceiptStatus, DeadlineError> {
    let end = acceptance_window_end(cal, receipt)?;
    Ok(if today > end {
        ReceiptStatus::DeemedAccepted { accepted_on: receipt }
    } else {
        ReceiptStatus::Pending { window_ends: end }
    })
}

/// Last day for the not-accepted decision once a correction went unanswered past `correction_due`.
pub fn correction_expiry_decision_due(cal: &Calendar, correction_due: NaiveDate) -> Result<NaiveDate, DeadlineError> {
    Ok(cal.nth_working_day_after(correction_due, CORRECTION_EXPIRY_DECISION.amount)?)
}

/// Last day for the head's approval of the denial once a fee went unpaid past `fee_due`
/// [001 第十九条]. The seed names no term for it; the window's 2 working days for the refusal of
/// an unanswered correction [001 第九条] hold it to the same pace.
pub fn fee_expiry_decision_due(cal: &Calendar, fee_due: NaiveDate) -> Result<NaiveDate, DeadlineError> {
    Ok(cal.nth_working_day_after(fee_due, CORRECTION_EXPIRY_DECISION.amount)?)
}

/// Due day of a co-department's opinion in a parallel approval (no extension possible).
pub fn co_department_due(
    cal: &Calendar,
    unified_acceptance: NaiveDate,
    suspensions: &[Suspension],
    today: NaiveDate,
) -> Result<NaiveDate, DeadlineError> {
    due_date(cal, unified_acceptance, CO_DEPARTMENT_ANSWER, suspensions, today)
}

/// Payment term of a fee notice.
pub fn fee_due(cal: &Calendar, notice_day: NaiveDate, term: TimeLimit) -> Result<NaiveDate, DeadlineError> {
    due_date(cal, notice_day, term, &[], notice_day)
}

/// Last day to deliver the result after payment.
pub fn delivery_due(cal: &Calendar, paid_on: NaiveDate) -> Result<NaiveDate, DeadlineError> {
    Ok(cal.nth_working_day_after(paid_on, DELIVERY_AFTER_PAYMENT.amount)?)
}

/// Last day to deliver a decision that owes no fee (a grant without one, every refusal).
pub fn delivery_after_decision_due(cal: &Calendar, decided_on: NaiveDate) -> Result<NaiveDate, DeadlineError> {
    Ok(cal.nth_working_day_after(decided_on, DELIVERY_AFTER_DECISION.amount)?)
}

/// Supplement deadline for materials accepted under 容缺.
pub fn deferred_supplement_due(
    accepted: NaiveDate,
    term: TimeLimit,
    cal: &Calendar,
) -> Result<NaiveDate, DeadlineError> {
    due_date(cal, accepted, term, &[], accepted)
}

/// One decided case (办结), for statistics: judged on its decision against the promised limit
/// (suspensions excluded, the one extension included), not on its payment or delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecidedCase {
    pub accepted: NaiveDate,
    /// The decision's due date.
    pub due: NaiveDate,
    pub decided: NaiveDate,
    /// Working days used (suspensions excluded), from [`days_used`].
    pub working_days_used: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Stats {
    /// Cases decided (办结).
    pub closed: u32,
    pub on_time: u32,
    pub early: u32,
    pub same_day: u32,
    /// `None` when no case closed (a rate of nothing is not 0 %).
    pub on_time_rate: Option<f64>,
    pub early_rate: Option<f64>,
    pub same_day_rate: Option<f64>,
    pub avg_working_days_used: Option<f64>,
}

/// The judgement on one case, made once when it is decided (and kept on the case), so that
/// statistics over any period only add verdicts up ([`Tally`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// Decided by the due day.
    pub on_time: bool,
    /// Decided before the due day.
    pub early: bool,
    /// Decided on the day of acceptance.
    pub same_day: bool,
    /// Working days used (suspensions excluded), from [`days_used`].
    pub working_days_used: u32,
}

impl DecidedCase {
    /// On-time = decided by the due day; early = decided before the due day; same-day = decided on
    /// the day of acceptance.
    pub fn verdict(&self) -> Verdict {
        Verdict {
            on_time: self.decided <= self.due,
            early: self.decided < self.due,
            same_day: self.decided == self.accepted,
            working_days_used: self.working_days_used,
        }
    }
}

/// Verdicts added up: what a statistics row is made of. Tallies of parts merge into the tally of
/// the whole, so a database can sum stored verdicts per group and the rates still come from here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Tally {
    pub closed: u64,
    pub on_time: u64,
    pub early: u64,
    pub same_day: u64,
    /// The sum of the working days used.
    pub working_days_used: u64,
}

impl Tally {
    pub fn add(&mut self, v: Verdict) {
        self.merge(&Tally {
            closed: 1,
            on_time: v.on_time as u64,
            early: v.early as u64,
            same_day: v.same_day as u64,
            working_days_used: v.working_days_used as u64,
        });
    }

    pub fn merge(&mut self, o: &Tally) {
        self.closed += o.closed;
        self.on_time += o.on_time;
        self.early += o.early;
        self.same_day += o.same_day;
        self.working_days_used += o.working_days_used;
    }

    /// Each count ÷ cases closed; no rate at all when nothing closed (a rate of nothing is not 0 %).
    pub fn stats(&self) -> Stats {
        let n = self.closed;
        if n == 0 {
            return Stats::default();
        }
        let r = |k: u64| Some(k as f64 / n as f64);
        let c = |k: u64| u32::try_from(k).unwrap_or(u32::MAX);
        Stats {
            closed: c(n),
            on_time: c(self.on_time),
            early: c(self.early),
            same_day: c(self.same_day),
            on_time_rate: r(self.on_time),
            early_rate: r(self.early),
            same_day_rate: r(self.same_day),
            avg_working_days_used: r(self.working_days_used),
        }
    }
}

/// Statistics over closed cases (see [`DecidedCase::verdict`] for the definitions).
pub fn stats(cases: &[DecidedCase]) -> Stats {
    let mut t = Tally::default();
    for c in cases {
        t.add(c.verdict());
    }
    t.stats()
}

#[cfg(test)]
#[path = "deadline_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "deadline_props.rs"]
mod props;
