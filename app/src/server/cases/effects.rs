//! What a change of a case writes beside the case row and its event, in the same transaction:
//! the applicant's inbox entry and outbox row, the state counts and, when a deadline is passed,
//! an accountability record. The engine writes these itself; the feature modules read them
//! (inbox, supervision).

use chrono::{NaiveDate, Utc};
use rules::supervision::AccountabilityKind;
use rules::{CaseState, EventKind};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;

use crate::server::entities::{accountability, case, notification, outbox, state_count};
use crate::server::error::AppError;

/// Opens the accountability record of a passed deadline (once per case, kind and due date; a
/// second ask is a no-op).
pub async fn open_record(
    tx: &impl ConnectionTrait,
    case_id: i32,
    department_id: i32,
    kind: AccountabilityKind,
    due: NaiveDate,
    today: NaiveDate,
) -> Result<u64, AppError> {
    let res = accountability::Entity::insert(accountability::ActiveModel {
        case_id: Set(case_id),
        department_id: Set(department_id),
        kind: Set(kind),
        due_on: Set(due),
        created_on: Set(today),
        state: Set("open".into()),
        explanation: Set(String::new()),
        conclusion: Set(String::new()),
        ..Default::default()
    })
    .on_conflict(once_per_deadline())
    .exec_without_returning(tx)
    .await?;
    Ok(res)
}

/// A record is opened once per case, kind, due date and department (the one whose deadline it
/// was): a second insert of the same is a no-op.
pub fn once_per_deadline() -> sea_orm::sea_query::OnConflict {
    sea_orm::sea_query::OnConflict::columns([
        accountability::Column::CaseId,
        accountability::Column::Kind,
        accountability::Column::DueOn,
        accountability::Column::DepartmentId,
    ])
    .do_nothing()
    .to_owned()
}

/// Adds an inbox notification (inside the transition's transaction).
pub async fn notify(db: &impl ConnectionTrait, updated: &case::Model, kind: EventKind) -> Result<(), AppError> {
    inbox_row(updated.applicant_id, updated.id, &updated.case_no, updated.state, updated.due_on, kind)
        .insert(db)
        .await?;
    Ok(())
}

/// The applicant's inbox entry for a change of their case (the case as it is after the change).
pub fn inbox_row(
    applicant_id: i32,
    case_id: i32,
    case_no: &Option<String>,
    state: CaseState,
    due_on: Option<NaiveDate>,
    kind: EventKind,
) -> notification::ActiveModel {
    notification::ActiveModel {
        applicant_id: Set(applicant_id),
        case_id: Set(Some(case_id)),
        kind: Set(kind),
        body: Set(serde_json::json!({ "case_no": case_no, "state": state.code(), "due_on": due_on }).to_string()),
        created_at: Set(Utc::now()),
        read_at: Set(None),
        ..Default::default()
    }
}

/// The outbox row (an e-mail / SMS to send) for a change made to a case by staff or the system
/// (the case as it is after the change).
pub fn outbox_row(
    case_id: i32,
    applicant_id: i32,
    case_no: &Option<String>,
    state: CaseState,
    due_on: Option<NaiveDate>,
    kind: EventKind,
) -> outbox::ActiveModel {
    outbox::ActiveModel {
        case_id: Set(case_id),
        applicant_id: Set(applicant_id),
        kind: Set(kind),
        payload: Set(json!({ "case_no": case_no, "state": state.code(), "due_on": due_on }).to_string()),
        status: Set(crate::server::entities::OutboxStatus::Pending),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
}

/// Keeps `state_counts` (cases per department and state, drafts not counted) in step with a
/// state change, inside its transaction.
pub async fn count_move(
    tx: &impl ConnectionTrait,
    department_id: i32,
    from: CaseState,
    to: CaseState,
    n: i64,
) -> Result<(), AppError> {
    if from == to || n == 0 {
        return Ok(());
    }
    if from != CaseState::Draft {
        state_count::Entity::update_many()
            .col_expr(state_count::Column::N, Expr::col(state_count::Column::N).sub(n))
            .filter(state_count::Column::DepartmentId.eq(department_id))
            .filter(state_count::Column::State.eq(from))
            .exec(tx)
            .await?;
    }
    if to != CaseState::Draft {
        state_count::Entity::insert(state_count::ActiveModel {
            department_id: Set(department_id),
            state: Set(to),
            n: Set(n),
        })
        .on_conflict(
            OnConflict::columns([state_count::Column::DepartmentId, state_count::Column::State])
                .value(state_count::Column::N, Expr::col((state_count::Entity, state_count::Column::N)).add(n))
                .to_owned(),
        )
        .exec_without_returning(tx)
        .await?;
    }
    Ok(())
}
