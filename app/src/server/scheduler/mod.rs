//! The scheduler inside the server: every tick, the node holding the database lease runs the
//! rules sweep (`rules::supervision`) and the notification dispatcher. Safe with several app
//! nodes (one lease holder at a time, and every step is idempotent), and it catches up after
//! downtime: the sweep compares dates with today, so whatever fell due while nobody ran is
//! handled on the next tick.
//!
//! The sweep itself is `sweep`.
use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};
use rules::Calendar;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use super::entities::{scheduler_lease, scheduler_run};
use super::error::AppError;
use super::state::AppState;

mod opinions;
mod sweep;
pub use sweep::{sweep, SweepReport};

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

/// The scheduler loop running on this node.
pub struct Scheduler {
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Scheduler {
    /// Stops the loop on shutdown: the tick in flight finishes, no new one starts, and the lease is
    /// given up, so another node takes over at its next tick instead of when the lease expires.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// Starts the scheduler loop on this node (unless `scheduler_secs` is 0).
pub fn spawn(state: AppState) -> Option<Scheduler> {
    let secs = state.settings.scheduler_secs;
    if secs == 0 {
        return None;
    }
    let holder = holder_name();
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(secs));
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            // a tick once begun runs to its end: the stop is seen between ticks
            tokio::select! {
                _ = every.tick() => {}
                _ = stopped.changed() => break,
            }
            if let Err(e) = tick(&state, &holder, Duration::from_secs(secs * 3)).await {
                tracing::error!(error = %e, "scheduler tick failed");
            }
        }
        match release(&state.db, "scheduler", &holder).await {
            Ok(()) => tracing::info!(holder, "scheduler stopped, lease released"),
            Err(e) => {
                tracing::warn!(error = %e, "scheduler stopped; the lease could not be released and expires by itself")
            }
        }
    });
    Some(Scheduler { stop, task })
}

async fn tick(state: &AppState, holder: &str, ttl: Duration) -> Result<(), AppError> {
    if !try_lease(&state.db, "scheduler", holder, ttl).await? {
        return Ok(());
    }
    let today = state.today();
    sweep_and_record(&state.db, &state.calendar(), holder, today).await?;
    super::audit::anchor_if_due(&state.db, &state.settings, state.clock.now()).await?;
    super::notify::dispatch(state, Utc::now()).await?;
    Ok(())
}
