//! The one clock of an app node: every "now" and every "today" of the services, the pages and the
//! scheduler comes from [`Clock`] in the app state, never from the system directly. In production
//! it is the system clock; the integration tests pin and move it (a case submitted on one day,
//! accepted five working days later); a demo or a browser test can start a node at another
//! instant (`TONGBAN_CLOCK`), from which its clock runs on.

use std::sync::{Arc, RwLock};

#[cfg(test)]
use chrono::Timelike;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Utc};

/// China Standard Time: the day every deadline is counted in.
fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    System,
    /// The system clock moved by this much (it runs on).
    Shifted(Duration),
    /// Stands still at this instant until moved.
    Pinned(DateTime<Utc>),
}

/// Cheap to clone; every clone is the same clock.
#[derive(Debug, Clone)]
pub struct Clock(Arc<RwLock<Mode>>);

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl Clock {
    pub fn system() -> Self {
        Clock(Arc::new(RwLock::new(Mode::System)))
    }

    /// A clock standing still at `at` (tests move it with [`Clock::set`] and [`Clock::advance`]).
    pub fn pinned(at: DateTime<Utc>) -> Self {
        Clock(Arc::new(RwLock::new(Mode::Pinned(at))))
    }

    /// A clock that reads `at` now and runs on from there.
    pub fn starting_at(at: DateTime<Utc>) -> Self {
        Clock(Arc::new(RwLock::new(Mode::Shifted(at - Utc::now()))))
    }

    /// `TONGBAN_CLOCK`'s value: an RFC 3339 instant, or a day (`2026-09-30`, 09:00 China time).
    pub fn parse_start(v: &str) -> Option<DateTime<Utc>> {
        let v = v.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(v) {
            return Some(t.with_timezone(&Utc));
        }
        let day = NaiveDate::parse_from_str(v, "%Y-%m-%d").ok()?;
        china().from_local_datetime(&day.and_hms_opt(9, 0, 0)?).single().map(|t| t.with_timezone(&Utc))
    }

    fn mode(&self) -> Mode {
        *self.0.read().unwrap_or_else(|e| e.into_inner())
    }

    fn put(&self, m: Mode) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = m;
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self.mode() {
            Mode::System => Utc::now(),
            Mode::Shifted(d) => Utc::now() + d,
            Mode::Pinned(t) => t,
        }
    }

    /// Today in China: the day deadlines are counted from.
    pub fn today(&self) -> NaiveDate {
        self.now().with_timezone(&china()).date_naive()
    }

    /// Pins the clock at `at`.
    pub fn set(&self, at: DateTime<Utc>) {
        self.put(Mode::Pinned(at));
    }

    /// Pins the clock at 09:00 China time of `day`.
    pub fn set_day(&self, day: NaiveDate) {
        if let Some(t) = day.and_hms_opt(9, 0, 0).and_then(|t| china().from_local_datetime(&t).single()) {
            self.set(t.with_timezone(&Utc));
        }
    }

    /// Back to the system clock.
    pub fn reset(&self) {
        self.put(Mode::System);
    }

    /// Moves the clock on by `by` (a pinned clock stays pinned, a running one runs on).
    pub fn advance(&self, by: Duration) {
        let next = match self.mode() {
            Mode::System => Mode::Shifted(by),
            Mode::Shifted(d) => Mode::Shifted(d + by),
            Mode::Pinned(t) => Mode::Pinned(t + by),
        };
        self.put(next);
    }
}

/// The instant a change made on the legal day `today` is stamped with (a receipt's 提交时间): now,
/// when `today` is the system's day; on a moved clock (tests, demonstrations), `today` at the
/// system's time of day, so that a receipt's time and its day agree. Record-keeping times (when a
/// row was written, sessions, throttles, the notification queue) stay the system's.
pub fn stamp(today: NaiveDate) -> DateTime<Utc> {
    let now = Utc::now();
    let local = now.with_timezone(&china());
    if local.date_naive() == today {
        return now;
    }
    china().from_local_datetime(&today.and_time(local.time())).single().map(|t| t.with_timezone(&Utc)).unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_is_china_s_day() {
        // 2026-09-30 17:00 UTC is 2026-10-01 01:00 in Beijing
        let c = Clock::pinned(Utc.with_ymd_and_hms(2026, 9, 30, 17, 0, 0).unwrap());
        assert_eq!(c.today(), NaiveDate::from_ymd_opt(2026, 10, 1).unwrap());
        c.advance(Duration::days(1));
        assert_eq!(c.today(), NaiveDate::from_ymd_opt(2026, 10, 2).unwrap());
        let clone = c.clone();
        clone.set_day(NaiveDate::from_ymd_opt(2027, 1, 4).unwrap());
        assert_eq!(c.today(), NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(), "clones share the clock");
        assert_eq!(c.now(), c.now(), "a pinned clock stands still");
    }

    #[test]
    fn a_change_is_stamped_on_its_legal_day() {
        let now = Utc::now();
        let today = now.with_timezone(&china()).date_naive();
        assert!((stamp(today) - now).num_seconds().abs() < 5, "today: now");
        let day = NaiveDate::from_ymd_opt(2026, 9, 29).unwrap();
        let t = stamp(day);
        assert_eq!(t.with_timezone(&china()).date_naive(), day, "a moved day keeps its date");
        assert_eq!(t.with_timezone(&china()).time().hour(), now.with_timezone(&china()).time().hour());
    }

    #[test]
    fn a_started_clock_runs_on_from_its_start() {
        let at = Clock::parse_start("2026-09-30").unwrap();
        assert_eq!(at, Utc.with_ymd_and_hms(2026, 9, 30, 1, 0, 0).unwrap(), "09:00 in Beijing");
        let c = Clock::starting_at(at);
        let read = c.now();
        assert!(read >= at && read - at < Duration::seconds(5), "{read}");
        assert_eq!(Clock::parse_start("2026-12-31T23:30:00+08:00").unwrap().to_rfc3339(), "2026-12-31T15:30:00+00:00");
        assert_eq!(Clock::parse_start("yesterday"), None);
        let sys = Clock::system();
        assert!((sys.now() - Utc::now()).num_seconds().abs() < 5);
        sys.advance(Duration::days(3));
        assert!((sys.now() - Utc::now() - Duration::days(3)).num_seconds().abs() < 5, "three days ahead");
    }
}
