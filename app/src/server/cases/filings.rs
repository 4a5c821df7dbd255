//! Filings (备案) received by an older version, which still wait on the acceptance term a filing
//! does not have: the sweep puts each on its own term once (the engine refuses it an acceptance
//! by law, `rules::Refusal::FilingConclusionOnly`).

use chrono::NaiveDate;
use rules::supervision::{self, Term};
use rules::{Calendar, CaseState, EventKind};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::{effects, Actor};
use crate::server::entities::case;
use crate::server::error::AppError;

/// What the sweep read of such a filing.
#[derive(Debug, Clone, Copy)]
pub struct Legacy {
    pub case_id: i32,
    pub version: i32,
    pub department_id: i32,
    pub received_on: Option<NaiveDate>,
}

/// Puts the filing on its decision's term — the working day after its receipt [001 重庆] — and,
/// that day past, holds it to account at once, as a transition past its due date would be; one
/// staff-only event says so. A filing changed meanwhile is left alone (its version moved).
pub async fn to_own_term(db: &DatabaseConnection, cal: &Calendar, f: Legacy, today: NaiveDate) -> Result<(), AppError> {
    let Some(received) = f.received_on else { return Ok(()) };
    let due = rules::deadline::due_date(cal, received, rules::TimeLimit::working(1), &[], received)
        .map_err(AppError::internal)?;
    let tx = crate::server::db::write_tx(db).await?;
    // its event (staff only), at the version read: a filing changed meanwhile is left alone
    let text = format!("备案事项：自收到材料的次一工作日（{due}）前作出结论");
    match super::note_in(&tx, f.case_id, f.version, Actor::SYSTEM, EventKind::FilingTerm, text, true, today, None).await
    {
        Err(AppError::Stale) => return Ok(()),
        other => other?,
    };
    case::Entity::update_many()
        .col_expr(case::Column::DueOn, Expr::value(due))
        .col_expr(case::Column::DueFor, Expr::value(Term::Decision.code()))
        .filter(case::Column::Id.eq(f.case_id))
        .exec(&tx)
        .await?;
    if let Some((kind, due)) = supervision::record_due(CaseState::Submitted, Some(Term::Decision), Some(due), today) {
        effects::open_record(&tx, f.case_id, f.department_id, kind, due, today).await?;
    }
    tx.commit().await?;
    Ok(())
}
