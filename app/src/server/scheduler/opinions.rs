//! The opinions' clocks in the daily sweep (issue F, item 10): a review stage or a co-department
//! whose opinion is past its due date is held to account (a record of its own department's); a
//! co-department silent past its 10 working days is recorded as having no objection (超时默认同意,
//! [001 重庆, 003]) so the lead department can decide. Only cases under review count: a suspended
//! case's clocks stand still, and a case that moved on owes no opinion any more.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rules::supervision::AccountabilityKind;
use rules::workflow::{task_duties, TaskDuty};
use rules::CaseState;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::super::cases::{self, effects, Actor};
use super::super::entities::{case, case_task};
use super::super::error::AppError;

/// What the opinions' part of a sweep did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct OpinionReport {
    pub records: u64,
    pub deemed: u64,
}

/// The open opinions past their due date (`ix_case_tasks_due`), their records and their assumed
/// agreements. Idempotent: a record is once per case, kind, due date and department; an agreed
/// task is answered.
pub(super) async fn opinions(db: &DatabaseConnection, today: NaiveDate) -> Result<OpinionReport, AppError> {
    let mut report = OpinionReport::default();
    let late = case_task::Entity::find()
        .filter(case_task::Column::AnsweredOn.is_null())
        .filter(case_task::Column::DueOn.lt(today))
        .filter(case_task::Column::OpenedOn.is_not_null())
        .all(db)
        .await?;
    if late.is_empty() {
        return Ok(report);
    }
    let reviewing = [CaseState::Accepted.code(), CaseState::InReview.code()];
    let cases: BTreeMap<i32, case::Model> = case::Entity::find()
        .filter(case::Column::Id.is_in(late.iter().map(|t| t.case_id)))
        .filter(case::Column::State.is_in(reviewing))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    for t in late {
        let (Some(c), kind) = (cases.get(&t.case_id), t.kind) else { continue };
        for duty in task_duties(kind, t.due_on, today) {
            let tx = super::super::db::write_tx(db).await?;
            match duty {
                TaskDuty::Record { due } => {
                    report.records += effects::open_record(
                        &tx,
                        c.id,
                        t.department_id,
                        AccountabilityKind::OpinionOverdue,
                        due,
                        today,
                    )
                    .await?;
                }
                TaskDuty::DeemAgreed => {
                    let res = case_task::Entity::update_many()
                        .col_expr(case_task::Column::AnsweredOn, Expr::value(today))
                        .col_expr(case_task::Column::Outcome, Expr::value("agree"))
                        .col_expr(case_task::Column::Opinion, Expr::value("逾期未回复，视为同意（超时默认同意）"))
                        .filter(case_task::Column::Id.eq(t.id))
                        .filter(case_task::Column::AnsweredOn.is_null())
                        .exec(&tx)
                        .await?;
                    if res.rows_affected == 1 {
                        // the case's own event, on its version as it is now (a task of the same
                        // case may have written one just before)
                        let now = case::Entity::find_by_id(c.id).one(&tx).await?.ok_or(AppError::NotFound)?;
                        let due = t.due_on.map(|d| d.to_string()).unwrap_or_default();
                        let text = format!("{}：逾期（{due}）未回复，视为同意", t.name);
                        cases::note_in(
                            &tx,
                            c.id,
                            now.version,
                            Actor::SYSTEM,
                            rules::EventKind::OpinionDeemed,
                            text,
                            false,
                            today,
                            None,
                        )
                        .await?;
                        report.deemed += 1;
                    }
                }
            }
            tx.commit().await?;
        }
    }
    Ok(report)
}
