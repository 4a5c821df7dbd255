//! 容缺受理 after the acceptance: the materials deferred then are due within the item's term; the
//! applicant (or the window, for a walk-in) sends them from the case page, the window confirms
//! them and the term ends; missed, the sweep flags the case and its result is void.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use rules::item::ItemRules;
use rules::materials::{Answers, ApplicantKind};
use rules::EventKind;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::{effects, note, outbox_row, Actor};
use crate::models::SupplementView;
use crate::server::entities::case;
use crate::server::error::AppError;
use sea_orm::ActiveModelTrait;

/// The deferred materials of `c` while they are due (`None` once confirmed, or never deferred).
pub fn view_of(
    c: &case::Model,
    rules: &ItemRules,
    kind: ApplicantKind,
    answers: &Answers,
    provided: &BTreeSet<String>,
) -> Option<SupplementView> {
    let due = c.supplement_due?;
    let missing = rules
        .materials
        .iter()
        .filter(|m| m.deferrable && m.requirement == rules::materials::Requirement::Required)
        .filter(|m| m.applies(kind, answers) && !provided.contains(&m.code))
        .map(|m| (m.code.clone(), m.name.clone()))
        .collect();
    Some(SupplementView { due, overdue: c.supplement_overdue, missing })
}

/// The window confirms the deferred materials: all on file and in time. The term ends (the
/// case's `supplement_due` is cleared) and the applicant is told, in one transaction.
pub async fn confirm(
    db: &DatabaseConnection,
    c: &case::Model,
    version: i32,
    actor: Actor,
    view: &SupplementView,
    today: NaiveDate,
) -> Result<case::Model, AppError> {
    if view.overdue || !view.missing.is_empty() {
        return Err(AppError::Stale);
    }
    let comment = format!("容缺材料已于补齐期限（{}）内补齐", view.due);
    let (tx, _) = note(db, c.id, version, actor, EventKind::ConfirmSupplement, comment, false, today, None).await?;
    case::Entity::update_many()
        .col_expr(case::Column::SupplementDue, Expr::value(Option::<NaiveDate>::None))
        .filter(case::Column::Id.eq(c.id))
        .exec(&tx)
        .await?;
    let updated = case::Entity::find_by_id(c.id).one(&tx).await?.ok_or(AppError::NotFound)?;
    effects::notify(&tx, &updated, EventKind::ConfirmSupplement).await?;
    outbox_row(
        updated.id,
        updated.applicant_id,
        &updated.case_no,
        updated.state,
        updated.due_on,
        EventKind::ConfirmSupplement,
    )
    .insert(&tx)
    .await?;
    tx.commit().await?;
    Ok(updated)
}
