//! The opinions a case waits for (review stages, co-departments' 并联 opinions): opened at
//! acceptance, their clocks moved with the case's suspensions, answered by the staff who hold them.

use chrono::NaiveDate;
use rules::deadline::Suspension;
use rules::item::ItemRules;
use rules::Calendar;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::super::entities::{case, case_task, department, item};
use super::super::error::AppError;
use super::history::{events, suspensions_from};

async fn department_by_code(tx: &impl ConnectionTrait, code: &str, own: i32) -> Result<i32, AppError> {
    if code.is_empty() {
        return Ok(own);
    }
    department::Entity::find()
        .filter(department::Column::Code.eq(code))
        .one(tx)
        .await?
        .map(|d| d.id)
        .ok_or_else(|| AppError::internal(format!("the item's review plan names unknown department {code}")))
}

/// Creates the case's task rows from the item's plan (`rules::workflow`), opening the co-department
/// opinions and the first stage on the acceptance day.
pub(super) async fn open_tasks(
    tx: &impl ConnectionTrait,
    cal: &Calendar,
    rules: &ItemRules,
    c: &case::Model,
    today: NaiveDate,
) -> Result<(), AppError> {
    use rules::workflow;
    let plan = workflow::plan(rules);
    let opening = workflow::open_at_acceptance(&plan);
    for t in &plan {
        let opens = opening.iter().any(|o| std::ptr::eq(*o, t));
        let due = if opens { workflow::task_due(cal, t, today, &[], today).map_err(AppError::internal)? } else { None };
        case_task::ActiveModel {
            case_id: Set(c.id),
            kind: Set(t.kind),
            ord: Set(t.order as i32),
            name: Set(t.name.clone()),
            department_id: Set(department_by_code(tx, &t.department, c.department_id).await?),
            role: Set(t.role),
            has_clock: Set(t.limit.is_some()),
            opened_on: Set(opens.then_some(today)),
            due_on: Set(due),
            answered_on: Set(None),
            answered_by: Set(None),
            outcome: Set(None),
            opinion: Set(String::new()),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    Ok(())
}

/// The plan entry a task row was made from.
fn plan_of(rules: &ItemRules, t: &case_task::Model) -> Option<rules::workflow::TaskPlan> {
    rules::workflow::plan(rules).into_iter().find(|p| p.kind == t.kind && p.order as i32 == t.ord)
}

/// Recomputes the due days of the open tasks after a suspension starts or ends.
pub(super) async fn redate_tasks(
    tx: &impl ConnectionTrait,
    cal: &Calendar,
    rules: &ItemRules,
    case_id: i32,
    susp: &[Suspension],
    today: NaiveDate,
) -> Result<(), AppError> {
    let open = case_task::Entity::find()
        .filter(case_task::Column::CaseId.eq(case_id))
        .filter(case_task::Column::AnsweredOn.is_null())
        .filter(case_task::Column::HasClock.eq(true))
        .all(tx)
        .await?;
    for t in open {
        let (Some(opened), Some(plan)) = (t.opened_on, plan_of(rules, &t)) else { continue };
        let due = rules::workflow::task_due(cal, &plan, opened, susp, today).map_err(AppError::internal)?;
        let mut am: case_task::ActiveModel = t.into();
        am.due_on = Set(due);
        am.update(tx).await?;
    }
    Ok(())
}

/// Answers a task (a stage's or a co-department's opinion) and opens the next stage, in the
/// transaction of the note that records it.
pub async fn answer_task(
    tx: &impl ConnectionTrait,
    cal: &Calendar,
    task: &case_task::Model,
    staff_id: i32,
    agree: bool,
    opinion: &str,
    today: NaiveDate,
) -> Result<(), AppError> {
    let res = case_task::Entity::update_many()
        .col_expr(case_task::Column::AnsweredOn, Expr::value(today))
        .col_expr(case_task::Column::AnsweredBy, Expr::value(staff_id))
        .col_expr(case_task::Column::Outcome, Expr::value(if agree { "agree" } else { "disagree" }))
        .col_expr(case_task::Column::Opinion, Expr::value(opinion.trim().chars().take(4000).collect::<String>()))
        .filter(case_task::Column::Id.eq(task.id))
        .filter(case_task::Column::AnsweredOn.is_null())
        .exec(tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::Stale);
    }
    if task.kind == rules::workflow::TaskKind::Stage {
        if let Some(next) = case_task::Entity::find()
            .filter(case_task::Column::CaseId.eq(task.case_id))
            .filter(case_task::Column::Kind.eq(task.kind))
            .filter(case_task::Column::Ord.eq(task.ord + 1))
            .one(tx)
            .await?
        {
            let c = case::Entity::find_by_id(task.case_id).one(tx).await?.ok_or(AppError::NotFound)?;
            let it = item::Entity::find_by_id(c.item_id).one(tx).await?.ok_or(AppError::NotFound)?;
            let rules = it.rules.clone();
            let events = events(tx, c.id, false).await?;
            let susp = suspensions_from(&events);
            let due = match plan_of(&rules, &next) {
                Some(p) => rules::workflow::task_due(cal, &p, today, &susp, today).map_err(AppError::internal)?,
                None => None,
            };
            let mut am: case_task::ActiveModel = next.into();
            am.opened_on = Set(Some(today));
            am.due_on = Set(due);
            am.update(tx).await?;
        }
    }
    Ok(())
}
