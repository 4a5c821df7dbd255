//! The scheduler inside the server: every tick, the node holding the database lease runs the
//! rules sweep (`rules::supervision`) and the notification dispatcher. Safe with several app
//! nodes (one lease holder at a time, and every step is idempotent), and it catches up after
//! downtime: the sweep compares dates with today, so whatever fell due while nobody ran is
//! handled on the next tick.
//!
//! The sweep reads only the index ranges whose cases can change today (`ix_cases_sweep`: state,
//! stored level, due date; `ix_cases_supplement`), so its cost follows what changes, not how many
//! cases are open.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};
use rules::case::Action;
use rules::supervision::{self, Duty, OpenCase};
use rules::{Calendar, CaseState, Role, WarningLevel};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter,
    QuerySelect, Set, TransactionTrait,
};
use serde::Serialize;

use super::auth::PrincipalKind;
use super::cases::{self, Actor, Change};
use super::entities::{accountability, case, item, scheduler_lease, scheduler_run};
use super::error::AppError;
use super::state::AppState;

const SYSTEM: Actor = Actor { kind: PrincipalKind::System, id: 0, role: Role::System };
const DEPARTMENT_CLOCK: [&str; 4] = ["submitted", "accepted", "in_review", "ready_for_delivery"];
const APPLICANT_CLOCK: [&str; 2] = ["awaiting_correction", "awaiting_payment"];

/// Takes or renews the named lease for `ttl`; true when this holder has it now.
pub async fn try_lease(db: &DatabaseConnection, name: &str, holder: &str, ttl: Duration) -> Result<bool, AppError> {
    let now = Utc::now();
    let until = now + chrono::Duration::from_std(ttl).map_err(AppError::internal)?;
    scheduler_lease::Entity::insert(scheduler_lease::ActiveModel {
        name: Set(name.into()),
        holder: Set(holder.into()),
        expires_at: Set(until),
    })
    .on_conflict(
        OnConflict::column(scheduler_lease::Column::Name)
            .update_columns([scheduler_lease::Column::Holder, scheduler_lease::Column::ExpiresAt])
            .action_and_where(
                Expr::col((scheduler_lease::Entity, scheduler_lease::Column::ExpiresAt)).lt(now).or(Expr::col((
                    scheduler_lease::Entity,
                    scheduler_lease::Column::Holder,
                ))
                .eq(holder)),
            )
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let row = scheduler_lease::Entity::find_by_id(name.to_string()).one(db).await?;
    Ok(row.is_some_and(|r| r.holder == holder))
}

/// Gives the lease up (on shutdown), so another node need not wait for it to expire.
pub async fn release(db: &DatabaseConnection, name: &str, holder: &str) -> Result<(), AppError> {
    scheduler_lease::Entity::delete_many()
        .filter(scheduler_lease::Column::Name.eq(name))
        .filter(scheduler_lease::Column::Holder.eq(holder))
        .exec(db)
        .await?;
    Ok(())
}

/// What one sweep did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SweepReport {
    pub examined: u64,
    pub levels_changed: u64,
    pub accountability_opened: u64,
    pub deemed_accepted: u64,
    pub corrections_expired: u64,
    pub fees_expired: u64,
    pub supplements_overdue: u64,
    /// Cases changed by someone else during the sweep (left for the next tick).
    pub skipped_stale: u64,
    pub failed: u64,
    /// Time spent on the range statements (levels, accountability records).
    pub levels_millis: u64,
}

impl SweepReport {
    pub fn changed_anything(&self) -> bool {
        self.levels_changed
            + self.accountability_opened
            + self.deemed_accepted
            + self.corrections_expired
            + self.fees_expired
            + self.supplements_overdue
            > 0
    }
}

#[derive(Debug, Clone, FromQueryResult)]
struct Candidate {
    id: i32,
    item_id: i32,
    version: i32,
    state: String,
    due_on: Option<NaiveDate>,
    warn_level: String,
    received_on: Option<NaiveDate>,
    deemed_accepted_on: Option<NaiveDate>,
    supplement_due: Option<NaiveDate>,
    supplement_overdue: bool,
}

fn level_of(s: &str) -> WarningLevel {
    match s {
        "warning" => WarningLevel::Warning,
        "overdue" => WarningLevel::Overdue,
        _ => WarningLevel::Normal,
    }
}

/// The cases a rule may move today: receipts past their window not yet deemed accepted,
/// corrections and fees past their term, 容缺 supplements past due.
async fn candidates(db: &DatabaseConnection, today: NaiveDate) -> Result<BTreeMap<i32, Candidate>, AppError> {
    let base = || {
        case::Entity::find().select_only().columns([
            case::Column::Id,
            case::Column::ItemId,
            case::Column::Version,
            case::Column::State,
            case::Column::DueOn,
            case::Column::WarnLevel,
            case::Column::ReceivedOn,
            case::Column::DeemedAcceptedOn,
            case::Column::SupplementDue,
            case::Column::SupplementOverdue,
        ])
    };
    // Every level, so each query reads ranges of `ix_cases_sweep` (state, level, due date).
    let levels = ["normal", "warning", "overdue"];
    let mut out = BTreeMap::new();
    let queries = [
        base()
            .filter(case::Column::State.eq("submitted"))
            .filter(case::Column::WarnLevel.is_in(levels))
            .filter(case::Column::DueOn.lt(today))
            .filter(case::Column::DeemedAcceptedOn.is_null()),
        base()
            .filter(case::Column::State.is_in(APPLICANT_CLOCK))
            .filter(case::Column::WarnLevel.is_in(levels))
            .filter(case::Column::DueOn.lt(today)),
        base().filter(case::Column::SupplementOverdue.eq(false)).filter(case::Column::SupplementDue.lt(today)),
    ];
    for q in queries {
        for c in q.into_model::<Candidate>().all(db).await? {
            out.insert(c.id, c);
        }
    }
    Ok(out)
}

/// Levels and accountability records as range statements (`rules::supervision::sweep_window` is
/// exact: red before today, yellow up to `warn_from`, green after). Each statement re-reads the
/// rows it changes, so a case changed meanwhile is judged on its new dates.
async fn levels_and_records(
    tx: &impl sea_orm::ConnectionTrait,
    cal: &Calendar,
    today: NaiveDate,
    warn_days: &BTreeMap<i32, u32>,
    report: &mut SweepReport,
) -> Result<(), AppError> {
    use rules::supervision::AccountabilityKind;
    use sea_orm::sea_query::{Alias, Query};
    // 1. An accountability record for every department deadline passing (once per case, kind
    //    and due date), before the light turns red.
    for state in DEPARTMENT_CLOCK {
        let Some(kind) = CaseState::from_code(state).and_then(AccountabilityKind::of) else { continue };
        let select = Query::select()
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
            .and_where(case::Column::WarnLevel.is_in(["normal", "warning"]))
            .and_where(case::Column::DueOn.lt(today))
            .to_owned();
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
            .on_conflict(
                OnConflict::columns([
                    accountability::Column::CaseId,
                    accountability::Column::Kind,
                    accountability::Column::DueOn,
                ])
                .do_nothing()
                .to_owned(),
            )
            .to_owned();
        report.accountability_opened += tx.execute(&insert).await?.rows_affected();
    }
    // 2. Red.
    report.levels_changed += case::Entity::update_many()
        .col_expr(case::Column::WarnLevel, Expr::value("overdue"))
        .filter(case::Column::State.is_in(DEPARTMENT_CLOCK))
        .filter(case::Column::WarnLevel.is_in(["normal", "warning"]))
        .filter(case::Column::DueOn.lt(today))
        .exec(tx)
        .await?
        .rows_affected;
    // 3. Yellow, per warning threshold (items may differ).
    let mut by_days: BTreeMap<u32, Vec<i32>> = BTreeMap::new();
    for (item, days) in warn_days {
        by_days.entry(*days).or_default().push(*item);
    }
    for (days, items) in by_days {
        let w = supervision::sweep_window(cal, today, days).map_err(AppError::internal)?;
        report.levels_changed += case::Entity::update_many()
            .col_expr(case::Column::WarnLevel, Expr::value("warning"))
            .filter(case::Column::State.is_in(DEPARTMENT_CLOCK))
            .filter(case::Column::WarnLevel.eq("normal"))
            .filter(case::Column::DueOn.gte(today))
            .filter(case::Column::DueOn.lte(w.warn_from))
            .filter(case::Column::ItemId.is_in(items))
            .exec(tx)
            .await?
            .rows_affected;
    }
    // 4. A light left on a case whose clock no longer runs.
    report.levels_changed += case::Entity::update_many()
        .col_expr(case::Column::WarnLevel, Expr::value("normal"))
        .filter(case::Column::State.is_not_in(DEPARTMENT_CLOCK))
        .filter(case::Column::WarnLevel.is_in(["warning", "overdue"]))
        .exec(tx)
        .await?
        .rows_affected;
    Ok(())
}

/// Runs every rule due on `today` once. Idempotent: a second sweep on the same day finds nothing
/// left to do.
pub async fn sweep(db: &DatabaseConnection, cal: &Calendar, today: NaiveDate) -> Result<SweepReport, AppError> {
    let mut warn_days: BTreeMap<i32, u32> = BTreeMap::new();
    for it in item::Entity::find().all(db).await? {
        let r: rules::item::ItemRules = serde_json::from_str(&it.rules).map_err(AppError::internal)?;
        warn_days.insert(it.id, r.warning_days);
    }
    let mut report = SweepReport::default();
    let t = Instant::now();
    let tx = super::db::write_tx(db).await?;
    levels_and_records(&tx, cal, today, &warn_days, &mut report).await?;
    tx.commit().await?;
    report.levels_millis = t.elapsed().as_millis() as u64;

    // Changes of state and flags the applicant hears of: each its own transaction with its event.
    let found = candidates(db, today).await?;
    report.examined = found.len() as u64;
    let mut planned = Vec::with_capacity(found.len());
    for c in found.into_values() {
        let Some(state) = CaseState::from_code(&c.state) else { continue };
        let open = OpenCase {
            state,
            due_on: c.due_on,
            stored_level: level_of(&c.warn_level),
            received_on: c.received_on,
            deemed_accepted_on: c.deemed_accepted_on,
            supplement_due: c.supplement_due,
            supplement_overdue: c.supplement_overdue,
            warning_days: warn_days.get(&c.item_id).copied().unwrap_or(rules::deadline::DEFAULT_WARNING_DAYS),
        };
        match supervision::duties(cal, &open, today) {
            Ok(d) if !d.is_empty() => planned.push((c, d)),
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(case = c.id, error = %e, "sweep: cannot compute the case's duties");
                report.failed += 1;
            }
        }
    }
    // In batches: one write transaction per batch (held for milliseconds, so the counters' own
    // writes queue only briefly), each case in its own savepoint, so a case changed by someone
    // meanwhile (stale) or one that fails is rolled back alone and the rest are kept.
    for batch in planned.chunks(BATCH) {
        let tx = super::db::write_tx(db).await?;
        for (c, duties) in batch {
            let sp = tx.begin().await?;
            match case_duties(&sp, cal, c, duties, today).await {
                Ok(done) => {
                    sp.commit().await?;
                    report.deemed_accepted += done.deemed_accepted;
                    report.supplements_overdue += done.supplements_overdue;
                    report.corrections_expired += done.corrections_expired;
                    report.fees_expired += done.fees_expired;
                }
                Err(e) => {
                    sp.rollback().await?;
                    if matches!(e, AppError::Stale) {
                        report.skipped_stale += 1;
                    } else {
                        tracing::error!(case = c.id, error = %e, "sweep: a rule could not be applied");
                        report.failed += 1;
                    }
                }
            }
        }
        tx.commit().await?;
    }
    Ok(report)
}

/// Cases changed per write transaction in the sweep.
const BATCH: usize = 500;

/// One case's transitions and flags, in the caller's savepoint; what it did.
async fn case_duties(
    tx: &impl ConnectionTrait,
    cal: &Calendar,
    c: &Candidate,
    duties: &[Duty],
    today: NaiveDate,
) -> Result<SweepReport, AppError> {
    let mut done = SweepReport::default();
    let mut version = c.version;
    for d in duties {
        match *d {
            Duty::DeemAccepted { from } => {
                flag(tx, c, &mut version, today, "deemed_accepted", format!("{from}"), |q| {
                    q.col_expr(case::Column::DeemedAcceptedOn, Expr::value(from))
                })
                .await?;
                done.deemed_accepted += 1;
            }
            Duty::SupplementOverdue { due } => {
                flag(tx, c, &mut version, today, "supplement_overdue", format!("{due}"), |q| {
                    q.col_expr(case::Column::SupplementOverdue, Expr::value(true))
                })
                .await?;
                done.supplements_overdue += 1;
            }
            Duty::ExpireCorrection | Duty::ExpireFee => {
                let (action, counter) = if *d == Duty::ExpireCorrection {
                    (Action::CorrectionExpired, &mut done.corrections_expired)
                } else {
                    (Action::FeeExpired, &mut done.fees_expired)
                };
                let change = Change {
                    case_id: c.id,
                    expected_version: version,
                    action,
                    actor: SYSTEM,
                    comment: c.due_on.map(|d| d.to_string()).unwrap_or_default(),
                    internal: false,
                    today,
                    provided: BTreeSet::new(),
                    grants_request: None,
                };
                version = cases::apply_in(tx, cal, change).await?.version;
                *counter += 1;
            }
            Duty::SetLevel(_) | Duty::Accountability { .. } => {}
        }
    }
    Ok(done)
}

/// A flag the rules set on a case: version bump, event (by the system) and the applicant's inbox.
async fn flag(
    tx: &impl ConnectionTrait,
    c: &Candidate,
    version: &mut i32,
    today: NaiveDate,
    action: &str,
    comment: String,
    set: impl FnOnce(sea_orm::UpdateMany<case::Entity>) -> sea_orm::UpdateMany<case::Entity>,
) -> Result<(), AppError> {
    let updated = cases::note_in(tx, c.id, *version, SYSTEM, action, comment, false, today, None).await?;
    set(case::Entity::update_many()).filter(case::Column::Id.eq(c.id)).exec(tx).await?;
    super::journey::notify(tx, &updated, action).await?;
    *version = updated.version;
    Ok(())
}

/// Sweeps `today` and records the run (runs that changed nothing are recorded once a day).
pub async fn sweep_and_record(
    db: &DatabaseConnection,
    cal: &Calendar,
    holder: &str,
    today: NaiveDate,
) -> Result<SweepReport, AppError> {
    let started = Utc::now();
    let t = Instant::now();
    let report = sweep(db, cal, today).await?;
    let millis = t.elapsed().as_millis() as i64;
    let seen_today = scheduler_run::Entity::find()
        .filter(scheduler_run::Column::Job.eq("sweep"))
        .filter(scheduler_run::Column::Day.eq(today))
        .one(db)
        .await?
        .is_some();
    if report.changed_anything() || !seen_today {
        scheduler_run::ActiveModel {
            job: Set("sweep".into()),
            holder: Set(holder.into()),
            day: Set(today),
            started_at: Set(started),
            millis: Set(millis),
            report: Set(serde_json::to_string(&report).map_err(AppError::internal)?),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    if report.changed_anything() {
        tracing::info!(?report, millis, "sweep");
    }
    Ok(report)
}

/// A name for this node's lease (host, process, random).
pub fn holder_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "node".into());
    format!("{host}-{}-{:08x}", std::process::id(), rand::random::<u32>())
}

/// Starts the scheduler loop on this node (unless `scheduler_secs` is 0).
pub fn spawn(state: AppState) {
    let secs = state.settings.scheduler_secs;
    if secs == 0 {
        return;
    }
    let holder = holder_name();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(secs));
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            if let Err(e) = tick(&state, &holder, Duration::from_secs(secs * 3)).await {
                tracing::error!(error = %e, "scheduler tick failed");
            }
        }
    });
}

async fn tick(state: &AppState, holder: &str, ttl: Duration) -> Result<(), AppError> {
    if !try_lease(&state.db, "scheduler", holder, ttl).await? {
        return Ok(());
    }
    let today = rules::validators::china_today();
    sweep_and_record(&state.db, &state.calendar(), holder, today).await?;
    super::notify::dispatch(state, Utc::now()).await?;
    Ok(())
}
