//! The rules sweep: what the rules change on a day (deemed acceptances, expired corrections and
//! fees, 容缺 supplements past due, accountability records), read from the index ranges that can
//! change and written set-based.
//!
//! The sweep reads only the index ranges whose cases can change today (`ix_cases_due`: state, due
//! date; `ix_cases_supplement_open`) and the due dates that passed since its last run, and writes what
//! it changes as set-based statements, so its cost follows what changes, not how many cases are
//! open. Warning levels are not stored (`rules::supervision::level`), so a new day alone writes
//! nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use chrono::{NaiveDate, Utc};
use rules::case::Action;
use rules::supervision::{self, Duty, OpenCase, Term};
use rules::{Calendar, CaseState, EventKind};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
};
use serde::Serialize;

use super::super::audit;
use super::super::cases::{self, Actor};
use super::super::entities::{accountability, case, case_event, notification, outbox, result_document, scheduler_run};
use super::super::error::AppError;

const SYSTEM: Actor = Actor::SYSTEM;
const APPLICANT_CLOCK: [&str; 2] = ["awaiting_correction", "awaiting_payment"];

/// What one sweep did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SweepReport {
    /// Cases a rule may move today (read from their index ranges).
    pub examined: u64,
    pub accountability_opened: u64,
    pub deemed_accepted: u64,
    pub corrections_expired: u64,
    pub fees_expired: u64,
    pub supplements_overdue: u64,
    /// Co-departments' opinions past their 10 working days, recorded as no objection.
    pub opinions_deemed: u64,
    /// Cases changed by someone else during the sweep (left for the next tick).
    pub skipped_stale: u64,
    pub failed: u64,
    /// Time spent opening the accountability records (range statements).
    pub records_millis: u64,
    /// Time spent reading the candidates and planning their duties.
    pub read_millis: u64,
    /// Time spent writing the duties (the batches).
    pub write_millis: u64,
}

impl SweepReport {
    pub fn changed_anything(&self) -> bool {
        self.accountability_opened
            + self.deemed_accepted
            + self.corrections_expired
            + self.fees_expired
            + self.supplements_overdue
            + self.opinions_deemed
            > 0
    }
}

#[derive(Debug, Clone, FromQueryResult)]
struct Candidate {
    id: i32,
    item_id: i32,
    department_id: i32,
    applicant_id: i32,
    case_no: Option<String>,
    version: i32,
    state: CaseState,
    due_on: Option<NaiveDate>,
    due_for: Option<Term>,
    correction_due: Option<NaiveDate>,
    fee_due: Option<NaiveDate>,
    received_on: Option<NaiveDate>,
    supplement_due: Option<NaiveDate>,
    supplement_overdue: bool,
}

/// The cases a rule may move today: receipts past their window not yet deemed accepted,
/// corrections and fees past their term, 容缺 supplements past due (`ix_cases_due`,
/// `ix_cases_supplement_open`).
async fn candidates(db: &DatabaseConnection, today: NaiveDate) -> Result<BTreeMap<i32, Candidate>, AppError> {
    let base = || {
        case::Entity::find().select_only().columns([
            case::Column::Id,
            case::Column::ItemId,
            case::Column::DepartmentId,
            case::Column::ApplicantId,
            case::Column::CaseNo,
            case::Column::Version,
            case::Column::State,
            case::Column::DueOn,
            case::Column::DueFor,
            case::Column::CorrectionDue,
            case::Column::FeeDue,
            case::Column::ReceivedOn,
            case::Column::SupplementDue,
            case::Column::SupplementOverdue,
        ])
    };
    let mut out = BTreeMap::new();
    let queries = [
        base()
            .filter(case::Column::State.eq(CaseState::Submitted))
            .filter(case::Column::DueOn.lt(today))
            .filter(case::Column::DeemedAcceptedOn.is_null()),
        base().filter(case::Column::State.is_in(APPLICANT_CLOCK)).filter(case::Column::DueOn.lt(today)),
        // The partial index's own condition, written as it is (a bound parameter would not prove it).
        base().filter(Expr::cust("supplement_overdue = false")).filter(case::Column::SupplementDue.lt(today)),
    ];
    for (rule, q) in ["receipts", "applicant clocks", "supplements"].into_iter().zip(queries) {
        let t = Instant::now();
        let found = q.into_model::<Candidate>().all(db).await?;
        tracing::debug!(rule, found = found.len(), millis = t.elapsed().as_millis() as u64, "sweep: candidates");
        for c in found {
            out.insert(c.id, c);
        }
    }
    Ok(out)
}

/// The day of the last sweep that ran to its end on or before `today` (its run row is written
/// after it), from which on the due dates that passed still need their records.
async fn last_swept(db: &DatabaseConnection, today: NaiveDate) -> Result<Option<NaiveDate>, AppError> {
    Ok(scheduler_run::Entity::find()
        .select_only()
        .column_as(scheduler_run::Column::Day.max(), "day")
        .filter(scheduler_run::Column::Job.eq("sweep"))
        .filter(scheduler_run::Column::Day.lte(today))
        .into_tuple::<Option<NaiveDate>>()
        .one(db)
        .await?
        .flatten())
}

/// An accountability record for every department deadline that passed in `[from, today)`
/// (`rules::supervision::records_due_range`), as one range statement per state and term the
/// state runs. The level itself is never stored, so a day that only moves lights writes nothing.
async fn open_records(tx: &impl ConnectionTrait, from: Option<NaiveDate>, today: NaiveDate) -> Result<u64, AppError> {
    use rules::supervision::{AccountabilityKind, Term};
    use sea_orm::sea_query::{Alias, Query};
    let mut opened = 0;
    let terms: Vec<(CaseState, Term)> =
        supervision::department_states().flat_map(|s| Term::of(s).iter().map(move |t| (s, *t))).collect();
    for (state, term) in terms {
        let Some(kind) = AccountabilityKind::of(state, Some(term)) else { continue };
        let mut select = Query::select();
        select
            .column(case::Column::Id)
            .column(case::Column::DepartmentId)
            .expr(Expr::val(kind.code()))
            .column(case::Column::DueOn)
            .expr(Expr::val(today))
            .expr(Expr::val("open"))
            .expr(Expr::val(""))
            .expr(Expr::val(""))
            .from(case::Entity)
            .and_where(case::Column::State.eq(state))
            .and_where(case::Column::DueFor.eq(term.code()))
            .and_where(case::Column::DueOn.lt(today));
        if let Some(from) = from {
            select.and_where(case::Column::DueOn.gte(from));
        }
        let insert = Query::insert()
            .into_table(Alias::new("accountability_records"))
            .columns([
                accountability::Column::CaseId,
                accountability::Column::DepartmentId,
                accountability::Column::Kind,
                accountability::Column::DueOn,
                accountability::Column::CreatedOn,
                accountability::Column::State,
                accountability::Column::Explanation,
                accountability::Column::Conclusion,
            ])
            .select_from(select)
            .map_err(AppError::internal)?
            .on_conflict(super::super::cases::effects::once_per_deadline())
            .to_owned();
        opened += tx.execute(&insert).await?.rows_affected();
    }
    Ok(opened)
}

/// Runs every rule due on `today` once. Idempotent: a second sweep on the same day finds nothing
/// left to do.
pub async fn sweep(db: &DatabaseConnection, cal: &Calendar, today: NaiveDate) -> Result<SweepReport, AppError> {
    let warn_days = super::super::supervision::warning_days(db).await?;
    let mut report = SweepReport::default();
    let (from, _) = supervision::records_due_range(last_swept(db, today).await?, today);
    // The records (a write transaction) and the reading of what the rules must change (reads on
    // another connection) run side by side: neither reads what the other writes.
    let records = async {
        let t = Instant::now();
        let tx = super::super::db::write_tx(db).await?;
        let opened = open_records(&tx, from, today).await?;
        tx.commit().await?;
        Ok::<_, AppError>((opened, t.elapsed().as_millis() as u64))
    };
    let t = Instant::now();
    let (records, reading) = tokio::join!(records, read_plans(db, cal, &warn_days, today));
    (report.accountability_opened, report.records_millis) = records?;
    let Reading { examined, failed, planned, last } = reading?;
    (report.examined, report.failed) = (examined, failed);
    report.read_millis = t.elapsed().as_millis() as u64;
    let t = Instant::now();
    let (by_engine, planned): (Vec<Planned>, Vec<Planned>) = planned.into_iter().partition(|p| p.engine.is_some());
    // Set-based, in batches: one write transaction per batch, one UPDATE for the batch's case
    // rows (each at the version read, so a case changed meanwhile is left for the next tick),
    // then its events (hash-chained here), inbox entries, outbox rows and state counts as
    // multi-row statements.
    for batch in planned.chunks(BATCH) {
        let tx = super::super::db::write_tx(db).await?;
        match write_batch(&tx, batch, &last, today).await {
            Ok(done) => {
                let t = Instant::now();
                tx.commit().await?;
                tracing::debug!(micros = t.elapsed().as_micros() as u64, "sweep batch: commit");
                report.deemed_accepted += done.deemed_accepted;
                report.supplements_overdue += done.supplements_overdue;
                report.fees_expired += done.fees_expired;
                report.skipped_stale += done.skipped_stale;
            }
            Err(e) => {
                tx.rollback().await?;
                tracing::error!(error = %super::super::error::redacted(&e.to_string()), cases = batch.len(), "sweep: a batch of rules could not be applied");
                report.failed += batch.len() as u64;
            }
        }
    }
    // Deemed acceptances and proposed refusals, each a transition of its own through the engine
    // (few: a receipt nobody answered, a correction nobody sent); one refused (changed meanwhile)
    // is left for the next tick.
    for p in by_engine {
        let Some(action) = p.engine else { continue };
        match by_the_engine(db, cal, &p.c, action.clone(), today).await {
            Ok(()) if action == Action::DeemAccepted => report.deemed_accepted += 1,
            Ok(()) if action == Action::FeeExpired => report.fees_expired += 1,
            Ok(()) => report.corrections_expired += 1,
            Err(AppError::Stale) => report.skipped_stale += 1,
            // A filing received by an older version, still on the acceptance term a filing does
            // not have: put it on its own, once.
            Err(AppError::Refused(rules::Refusal::FilingConclusionOnly)) => {
                let legacy = cases::filings::Legacy {
                    case_id: p.c.id,
                    version: p.c.version,
                    department_id: p.c.department_id,
                    received_on: p.c.received_on,
                };
                match cases::filings::to_own_term(db, cal, legacy, today).await {
                    Ok(()) => report.skipped_stale += 1,
                    Err(e) => {
                        tracing::error!(case = p.c.id, error = %super::super::error::redacted(&e.to_string()), "sweep: a filing could not be put on its term");
                        report.failed += 1;
                    }
                }
            }
            Err(e) => {
                tracing::error!(case = p.c.id, action = action.code(), error = %super::super::error::redacted(&e.to_string()), "sweep: a transition could not be applied");
                report.failed += 1;
            }
        }
    }
    let opinions = super::opinions::opinions(db, today).await?;
    report.accountability_opened += opinions.records;
    report.opinions_deemed = opinions.deemed;
    report.write_millis = t.elapsed().as_millis() as u64;
    Ok(report)
}

/// A transition of the system's that the engine makes as it would a clerk's:
/// - a receipt nobody answered in time is accepted by law from the day it was received
///   (`Action::DeemAccepted`): the decision clock from that day, the co-departments' and first
///   stage's tasks, the 容缺 term, the applicant told;
/// - a correction nobody sent by its term has its refusal proposed to the head
///   (`Action::CorrectionExpired`): the refusal's own 2 working days, and its record at once if
///   those passed while the scheduler was down.
async fn by_the_engine(
    db: &DatabaseConnection,
    cal: &Calendar,
    c: &Candidate,
    action: Action,
    today: NaiveDate,
) -> Result<(), AppError> {
    let provided =
        super::super::cases::documents::files_of(db, c.id).await?.into_iter().map(|f| f.material_code).collect();
    let since = match action {
        Action::DeemAccepted => c.received_on,
        Action::FeeExpired => c.fee_due,
        _ => c.correction_due,
    };
    let change = cases::Change {
        case_id: c.id,
        expected_version: c.version,
        action,
        actor: SYSTEM,
        comment: since.map(|d| d.to_string()).unwrap_or_default(),
        internal: false,
        today,
        provided,
        grants_request: None,
    };
    cases::apply(db, cal, change).await.map(|_| ())
}

/// What the sweep will write: the cases a rule moves today, planned, with each one's last event
/// (where its hash chain goes on).
struct Reading {
    examined: u64,
    failed: u64,
    planned: Vec<Planned>,
    /// Read before the write transactions: a case whose version is still the one read has no
    /// newer event (every event is written with a version bump), and a case whose version moved
    /// is left alone by the batch's UPDATE.
    last: BTreeMap<i32, case_event::Model>,
}

async fn read_plans(
    db: &DatabaseConnection,
    cal: &Calendar,
    warn_days: &BTreeMap<i32, u32>,
    today: NaiveDate,
) -> Result<Reading, AppError> {
    let found = candidates(db, today).await?;
    let mut r = Reading { examined: found.len() as u64, failed: 0, planned: Vec::new(), last: BTreeMap::new() };
    for c in found.into_values() {
        match plan(cal, &c, warn_days.get(&c.item_id).copied(), today) {
            Ok(Some(p)) => r.planned.push(p),
            Ok(None) => {}
            Err(e) => {
                tracing::warn!(case = c.id, error = %e, "sweep: cannot plan the case's duties");
                r.failed += 1;
            }
        }
    }
    let t = Instant::now();
    let batched: Vec<i32> = r.planned.iter().filter(|p| p.engine.is_none()).map(|p| p.c.id).collect();
    for ids in batched.chunks(BATCH) {
        let events = case_event::Entity::find()
            .filter(case_event::Column::CaseId.is_in(ids.iter().copied()))
            .filter(Expr::cust("seq = (SELECT MAX(e.seq) FROM case_events e WHERE e.case_id = case_events.case_id)"))
            .all(db)
            .await?;
        r.last.extend(events.into_iter().map(|e| (e.case_id, e)));
    }
    tracing::debug!(cases = batched.len(), millis = t.elapsed().as_millis() as u64, "sweep: last events");
    Ok(r)
}

/// Cases changed per write transaction in the sweep. Each commit writes every page its batch
/// touched (random cases: a page per case and index), so fewer, larger batches write less; 2,000
/// keeps the write lock about a quarter of a second and the UPDATE at 18,001 parameters (SQLite
/// allows 32,766).
const BATCH: usize = 2000;

/// What the sweep does to one case: its row after the duties, and the events in order.
#[derive(Debug, Clone)]
struct Planned {
    c: Candidate,
    state: CaseState,
    /// A transition the case engine makes, as it would a clerk's (its clocks, tasks, records and
    /// notices), not a batch row: deemed accepted by law (`Duty::DeemAccepted`), a refusal
    /// proposed for an unanswered correction (`Duty::ExpireCorrection`).
    engine: Option<Action>,
    supplement_overdue: bool,
    steps: Vec<Step>,
}

/// One event the sweep writes in a batch: a flag on the case, its state unchanged.
#[derive(Debug, Clone)]
struct Step {
    action: EventKind,
    comment: String,
}

/// The case's duties today (`rules::supervision::duties`) turned into its new row and events;
/// `None` when nothing is to be done. Transitions go through the case engine, as a clerk's.
fn plan(cal: &Calendar, c: &Candidate, warn_days: Option<u32>, today: NaiveDate) -> Result<Option<Planned>, AppError> {
    let state = c.state;
    let due_for = c.due_for;
    let open = OpenCase {
        state,
        due_on: c.due_on,
        due_for,
        received_on: c.received_on,
        supplement_due: c.supplement_due,
        supplement_overdue: c.supplement_overdue,
        warning_days: warn_days.unwrap_or(rules::deadline::DEFAULT_WARNING_DAYS),
    };
    let duties = supervision::duties(cal, &open, today).map_err(AppError::internal)?;
    let mut p =
        Planned { c: c.clone(), state, engine: None, supplement_overdue: c.supplement_overdue, steps: Vec::new() };
    for d in duties {
        match d {
            // A submitted case has no other duty than its record (by range): the engine moves it.
            Duty::DeemAccepted { .. } => p.engine = Some(Action::DeemAccepted),
            // The only duty of a case awaiting its correction (the applicant's clock).
            Duty::ExpireCorrection => p.engine = Some(Action::CorrectionExpired),
            Duty::SupplementOverdue { due } => {
                p.steps.push(Step { action: EventKind::SupplementOverdue, comment: due.to_string() });
                p.supplement_overdue = true;
            }
            // The fee's term is over: the denial is proposed to the head [001 第十九条].
            Duty::ExpireFee => p.engine = Some(Action::FeeExpired),
            // Records are opened by range (`open_records`).
            Duty::Accountability { .. } => {}
        }
    }
    Ok((p.engine.is_some() || !p.steps.is_empty()).then_some(p))
}

/// Writes a batch of planned cases in the caller's transaction; what it did.
async fn write_batch(
    tx: &impl ConnectionTrait,
    batch: &[Planned],
    last: &BTreeMap<i32, case_event::Model>,
    today: NaiveDate,
) -> Result<SweepReport, AppError> {
    use sea_orm::{Statement, Value};
    let backend = tx.get_database_backend();
    let now = Utc::now();
    let t = Instant::now();
    // 1. The case rows, each only at the version read (optimistic lock), in one statement.
    let mut values: Vec<Value> = vec![now.into()];
    let mut rows = Vec::with_capacity(batch.len());
    for p in batch {
        rows.push(super::super::db::values_row(
            backend,
            &mut values,
            [
                Value::from(p.c.id),
                Value::from(p.c.version),
                Value::from(p.c.version + p.steps.len() as i32),
                Value::from(p.supplement_overdue),
            ],
        ));
    }
    let sql = format!(
        "UPDATE cases SET version = v.column3, supplement_overdue = v.column4, updated_at = {} FROM (VALUES {}) AS v \
         WHERE cases.id = v.column1 AND cases.version = v.column2 RETURNING id",
        super::super::db::placeholder(backend, 1),
        rows.join(",")
    );
    let done: BTreeSet<i32> = tx
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?
        .iter()
        .map(|r| r.try_get_by_index::<i32>(0))
        .collect::<Result<_, _>>()?;
    let took = |t: Instant| t.elapsed().as_micros() as u64;
    tracing::debug!(cases = batch.len(), micros = took(t), "sweep batch: case rows");
    let t = Instant::now();
    let mut report = SweepReport { skipped_stale: (batch.len() - done.len()) as u64, ..Default::default() };
    if done.is_empty() {
        return Ok(report);
    }
    // 2. Events (the chain goes on from each case's last event), inbox entries, outbox rows.
    let (mut events, mut inbox, mut outbox, mut voided) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for p in batch.iter().filter(|p| done.contains(&p.c.id)) {
        let c = &p.c;
        let mut prev = last.get(&c.id).cloned();
        for s in &p.steps {
            let ev = audit::chained(
                audit::NewEvent {
                    case_id: c.id,
                    action: s.action,
                    from_state: p.state,
                    to_state: p.state,
                    actor_kind: SYSTEM.kind.as_str().into(),
                    actor_id: SYSTEM.id,
                    role: SYSTEM.role,
                    comment: s.comment.clone(),
                    internal: false,
                    on_day: today,
                },
                prev.as_ref(),
                now,
            );
            events.push(audit::active(ev.clone()));
            prev = Some(ev);
            inbox.push(super::super::cases::effects::inbox_row(
                c.applicant_id,
                c.id,
                &c.case_no,
                p.state,
                c.due_on,
                s.action,
            ));
            // A result made void is also sent by e-mail / SMS.
            outbox.push(cases::outbox_row(c.id, c.applicant_id, &c.case_no, p.state, c.due_on, s.action));
            if s.action == EventKind::SupplementOverdue {
                voided.push(c.id);
                report.supplements_overdue += 1;
            }
        }
    }
    tracing::debug!(micros = took(t), "sweep batch: chained");
    let t = Instant::now();
    for chunk in events.chunks(ROWS) {
        case_event::Entity::insert_many(chunk.to_vec()).exec_without_returning(tx).await?;
    }
    tracing::debug!(events = events.len(), micros = took(t), "sweep batch: events");
    let t = Instant::now();
    for chunk in inbox.chunks(ROWS) {
        notification::Entity::insert_many(chunk.to_vec()).exec_without_returning(tx).await?;
    }
    for chunk in outbox.chunks(ROWS) {
        outbox::Entity::insert_many(chunk.to_vec()).exec_without_returning(tx).await?;
    }
    // 容缺 materials not supplied in time: the result is void (办理结果无效), so a result document
    // already issued is revoked (its verification page says so).
    for ids in voided.chunks(ROWS) {
        result_document::Entity::update_many()
            .col_expr(result_document::Column::Revoked, Expr::value(true))
            .filter(result_document::Column::CaseId.is_in(ids.iter().copied()))
            .exec(tx)
            .await?;
        // and its 审批结果公示 is withdrawn
        crate::server::open_gov::withdraw_decisions(tx, ids, now).await?;
    }
    tracing::debug!(micros = took(t), "sweep batch: inbox, outbox, counts");
    Ok(report)
}

/// Rows per multi-row INSERT (SQLite allows 32,766 parameters per statement).
const ROWS: usize = 1000;
