//! What a case's history says: its events, the suspensions and extension they record, and the
//! item's rule data at the case's version, the notices its public events made. Read by the
//! engine, the opinions' clocks and both case pages.

use chrono::{Duration, NaiveDate};
use rules::deadline::Suspension;
use rules::EventKind;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::super::entities::case_event;
use super::super::error::AppError;

/// Suspensions from the event log: a `suspend` on day X stops the clock from X; the next `resume`
/// on day Y restarts it on Y (so the suspension's last day is Y − 1). One still open has no end.
pub fn suspensions_from(events: &[case_event::Model]) -> Vec<Suspension> {
    let mut out = Vec::new();
    let mut open: Option<NaiveDate> = None;
    for e in events {
        let day = e.on_day;
        match e.action {
            EventKind::Suspend => open = Some(day),
            EventKind::Resume => {
                if let Some(first) = open.take() {
                    let last = day - Duration::days(1);
                    if last >= first {
                        out.push(Suspension::closed(first, last));
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(first) = open {
        out.push(Suspension { first, last: None });
    }
    out
}

/// The working days the case's one extension added (its event keeps them as "days|reason").
pub fn extension_days(events: &[case_event::Model]) -> u32 {
    events
        .iter()
        .rev()
        .find(|e| e.action == EventKind::Extend)
        .and_then(|e| e.comment.split_once('|').and_then(|(d, _)| d.parse().ok()))
        .unwrap_or(0)
}

/// The events of a case in order; `for_applicant` hides staff-internal ones.
pub async fn events(
    db: &impl ConnectionTrait,
    case_id: i32,
    for_applicant: bool,
) -> Result<Vec<case_event::Model>, AppError> {
    let mut q = case_event::Entity::find().filter(case_event::Column::CaseId.eq(case_id));
    if for_applicant {
        q = q.filter(case_event::Column::Internal.eq(false));
    }
    Ok(q.order_by_asc(case_event::Column::Seq).all(db).await?)
}

/// The notices case `case_id` has: those its public events made (`NoticeKind::of_events`).
pub async fn notices_of(db: &impl ConnectionTrait, case_id: i32) -> Result<Vec<crate::models::NoticeKind>, AppError> {
    let events = case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(case_id))
        .filter(case_event::Column::Internal.eq(false))
        .all(db)
        .await?;
    Ok(crate::models::NoticeKind::of_events(events.iter().map(|e| (e.action, e.to_state))))
}
