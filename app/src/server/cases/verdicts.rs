//! The judgement on a decided case (on time, early, same day, working days used), kept on the case
//! row when it is decided so statistics only sum; cases decided before that are judged at start-up.

use rules::deadline::{self, TimeLimit};
use rules::Calendar;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::{extension_days, suspensions_from};
use crate::server::db;
use crate::server::entities::{case, case_event, item};
use crate::server::error::AppError;

/// The judgement on a case decided on `decided`: `None` when it never had a decision clock.
pub use rules::outcome::judge as verdict;

/// A verdict as the row keeps it: (days used, on time, early, same day); no days and three
/// `false` when there was no decision clock.
fn verdict_columns(v: Option<deadline::Verdict>) -> (Option<i32>, bool, bool, bool) {
    (
        v.map(|v| i32::try_from(v.working_days_used).unwrap_or(i32::MAX)),
        v.is_some_and(|v| v.on_time),
        v.is_some_and(|v| v.early),
        v.is_some_and(|v| v.same_day),
    )
}

/// Keeps a decision's verdict on the row (statistics sum them).
pub fn set_verdict(am: &mut case::ActiveModel, v: Option<deadline::Verdict>) {
    let (used, on_time, early, same_day) = verdict_columns(v);
    am.days_used = Set(used);
    am.closed_on_time = Set(on_time);
    am.closed_early = Set(early);
    am.closed_same_day = Set(same_day);
}

/// Judges the cases decided before verdicts were kept on the decision (migration 9 cleared the
/// verdicts kept on closing): the decision's due date is computed again as the engine computes
/// it — the item's limit from the acceptance, plus the one extension, suspensions excluded.
/// Runs at start-up; one transaction and one UPDATE per span of ids. Returns how many it judged.
pub async fn judge_decided(db: &DatabaseConnection, cal: &Calendar) -> Result<u64, AppError> {
    // Through the partial index `ix_cases_unjudged`, a span of ids at a time: asked for the first
    // unjudged case directly, SQLite 3.51 walked every case (1.2 s at a million cases, even with
    // nothing to judge); by id spans, a start with nothing to judge costs milliseconds.
    const SPAN: i32 = 5_000; // at most 30,000 bound values per UPDATE (SQLite allows 32,766)
    let (first, last): (Option<i32>, Option<i32>) = case::Entity::find()
        .select_only()
        .column_as(case::Column::Id.min(), "first")
        .column_as(case::Column::Id.max(), "last")
        .into_tuple()
        .one(db)
        .await?
        .unwrap_or_default();
    let (Some(first), Some(last)) = (first, last) else { return Ok(0) };
    let mut limits: std::collections::BTreeMap<i32, TimeLimit> = Default::default();
    let mut judged = 0u64;
    let mut lo = first;
    while lo <= last {
        let hi = lo.saturating_add(SPAN);
        let rows = case::Entity::find()
            .filter(case::Column::Id.gte(lo))
            .filter(case::Column::Id.lt(hi))
            .filter(case::Column::DecidedOn.is_not_null())
            .filter(case::Column::AcceptedOn.is_not_null())
            .filter(case::Column::DaysUsed.is_null())
            .order_by_asc(case::Column::Id)
            .all(db)
            .await?;
        lo = hi;
        if rows.is_empty() {
            continue;
        }
        for c in &rows {
            if let std::collections::btree_map::Entry::Vacant(e) = limits.entry(c.item_id) {
                let it = item::Entity::find_by_id(c.item_id).one(db).await?.ok_or(AppError::NotFound)?;
                e.insert(it.rules.clone().decision_limit());
            }
        }
        let ids: Vec<i32> = rows.iter().map(|c| c.id).collect();
        let mut clock_events: std::collections::BTreeMap<i32, Vec<case_event::Model>> = Default::default();
        for e in case_event::Entity::find()
            .filter(case_event::Column::CaseId.is_in(ids))
            .filter(case_event::Column::Action.is_in([
                rules::EventKind::Suspend,
                rules::EventKind::Resume,
                rules::EventKind::Extend,
            ]))
            .order_by_asc(case_event::Column::CaseId)
            .order_by_asc(case_event::Column::Seq)
            .all(db)
            .await?
        {
            clock_events.entry(e.case_id).or_default().push(e);
        }
        // One UPDATE … FROM (VALUES …) for the batch (as the sweep writes), each row only while
        // it is still unjudged.
        use sea_orm::{Statement, Value};
        let backend = db.get_database_backend();
        let mut values: Vec<Value> = Vec::with_capacity(rows.len() * 6);
        let mut tuples = Vec::with_capacity(rows.len());
        for c in &rows {
            let (Some(accepted), Some(decided)) = (c.accepted_on, c.decided_on) else { continue };
            let evs = clock_events.get(&c.id).map(Vec::as_slice).unwrap_or_default();
            // only what happened before the decision
            let evs: Vec<case_event::Model> = evs.iter().filter(|e| e.on_day <= decided).cloned().collect();
            let susp = suspensions_from(&evs);
            let limit = limits[&c.item_id];
            let limit = TimeLimit { amount: limit.amount + extension_days(&evs), ..limit };
            let due = c.decision_due.or_else(|| deadline::due_date(cal, accepted, limit, &susp, decided).ok());
            let (used, on_time, early, same_day) = verdict_columns(verdict(cal, Some(accepted), due, decided, &susp));
            tuples.push(db::values_row(
                backend,
                &mut values,
                [c.id.into(), due.into(), used.into(), on_time.into(), early.into(), same_day.into()],
            ));
        }
        if tuples.is_empty() {
            continue;
        }
        let sql = format!(
            "UPDATE cases SET decision_due = v.column2, days_used = v.column3, closed_on_time = v.column4, \
             closed_early = v.column5, closed_same_day = v.column6 FROM (VALUES {}) AS v \
             WHERE cases.id = v.column1 AND cases.days_used IS NULL",
            tuples.join(",")
        );
        let tx = db::write_tx(db).await?;
        judged += tx.execute_raw(Statement::from_sql_and_values(backend, sql, values)).await?.rows_affected();
        tx.commit().await?;
    }
    Ok(judged)
}
