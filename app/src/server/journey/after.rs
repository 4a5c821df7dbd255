//! After submission: the applicant's own cases, as a list and one at a time.

use chrono::NaiveDate;
use rules::{Calendar, EventKind};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::server::cases;
use crate::server::entities::{case, department};
use crate::server::error::AppError;

/// The applicant's cases, newest first.
pub async fn for_applicant(
    db: &impl ConnectionTrait,
    cal: &Calendar,
    applicant_id: i32,
    today: NaiveDate,
) -> Result<Vec<crate::models::CaseSummary>, AppError> {
    let rows = case::Entity::find()
        .filter(case::Column::ApplicantId.eq(applicant_id))
        .order_by_desc(case::Column::UpdatedAt)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for c in &rows {
        out.push(cases::summary(db, cal, c, today).await?);
    }
    Ok(out)
}

/// One case as its applicant sees it. Anyone else gets `Forbidden`.
pub async fn detail_for_applicant(
    db: &impl ConnectionTrait,
    cal: &Calendar,
    applicant_id: i32,
    case_id: i32,
    today: NaiveDate,
) -> Result<crate::models::CaseDetail, AppError> {
    let c = case::Entity::find_by_id(case_id).one(db).await?.ok_or(AppError::NotFound)?;
    if c.applicant_id != applicant_id {
        return Err(AppError::Forbidden);
    }
    let department = department::Entity::find_by_id(c.department_id).one(db).await?.map(|d| d.name).unwrap_or_default();
    let timeline = cases::events(db, c.id, true)
        .await?
        .into_iter()
        .map(|e| crate::models::TimelineEntry {
            day: e.on_day,
            to_state: e.to_state,
            comment: match e.action {
                // "days|reason": the applicant sees the reason
                EventKind::Extend => e.comment.split_once('|').map(|(_, r)| r.to_string()).unwrap_or_default(),
                _ => e.comment,
            },
            action: e.action,
        })
        .collect();
    Ok(crate::models::CaseDetail {
        extras: super::case_extras(db, cal, &c).await?,
        summary: cases::summary(db, cal, &c, today).await?,
        department,
        accepted_on: c.accepted_on,
        correction_due: c.correction_due,
        timeline,
    })
}
