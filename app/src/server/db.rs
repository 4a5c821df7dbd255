//! Connecting (SQLite tuned for a web server, or PostgreSQL) and write transactions.

use std::time::Duration;

use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

/// Who copies the SQLite write-ahead log back into the database file (a checkpoint).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checkpoints {
    /// SQLite's default: the commit that grows the log past 1,000 pages does it, and waits for it
    /// (batch commands: seeding, migrating).
    InCommit,
    /// No commit ever waits for one: [`spawn_checkpointer`] (the server) or [`checkpoint`] (a
    /// command, when done) copies the log in the background. A checkpoint is most of what a large
    /// commit costs (at a million cases, the sweep's commits took 0.81 s of its 1.0 s of writing
    /// with them, 0.31 s without), and in the server it would land on whichever request commits
    /// next.
    Background,
}

/// Opens the database. SQLite: WAL, `synchronous=NORMAL`, foreign keys on, 10 s busy timeout,
/// memory-mapped reads and a 32 MiB page cache per connection, checkpoints as asked.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    connect_with(url, Checkpoints::InCommit).await
}

/// [`connect`], choosing who checkpoints.
pub async fn connect_with(url: &str, checkpoints: Checkpoints) -> Result<DatabaseConnection, DbErr> {
    let sqlite = url.starts_with("sqlite:");
    let mut opt = ConnectOptions::new(url.to_string());
    opt.sqlx_logging(false)
        .max_connections(if sqlite { 8 } else { 16 })
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(15));
    if sqlite {
        opt.map_sqlx_sqlite_opts(move |o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                // A large database is read through the OS page cache by memory map (no read
                // call per page) with 32 MiB of SQLite's own cache per connection (the default
                // 2 MiB made every statement of the sweep at a million cases re-read its pages).
                .pragma("mmap_size", "1073741824")
                .pragma("cache_size", "-32768")
                .pragma("wal_autocheckpoint", if checkpoints == Checkpoints::Background { "0" } else { "1000" })
                // Once checkpointed and restarted, the log file shrinks back to 64 MiB (else it
                // keeps the size of the largest burst: 1 GiB after a catch-up sweep).
                .pragma("journal_size_limit", "67108864")
                .create_if_missing(true)
        });
    }
    Database::connect(opt).await
}

/// Applies pending migrations. When the one that added the audit chain is among them, the events
/// written before it are hashed right after (only a database upgraded in place has any).
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    let adds_chain =
        Migrator::get_pending_migrations(db).await?.iter().any(|m| m.name() == "m20261124_000005_supervision");
    Migrator::up(db, None).await?;
    if adds_chain {
        let sealed = super::audit::seal_unhashed(db).await.map_err(|e| DbErr::Custom(e.to_string()))?;
        if sealed > 0 {
            tracing::info!(sealed, "events written before the audit chain were hashed");
        }
    }
    Ok(())
}

/// Begins a write transaction. On SQLite it is `BEGIN IMMEDIATE`: the write lock is taken up front,
/// so two writers queue on the busy timeout instead of failing to upgrade a read lock.
pub async fn write_tx(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let options =
        TransactionOptions { sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate), ..Default::default() };
    db.begin_with_options(options).await
}

/// Copies what it can of the write-ahead log into the database file without waiting for readers
/// or writers (`PASSIVE`); the frames copied. A no-op on PostgreSQL.
pub async fn checkpoint(db: &DatabaseConnection) -> Result<i64, DbErr> {
    if !is_sqlite(db) {
        return Ok(0);
    }
    let row =
        db.query_one_raw(sea_orm::Statement::from_string(DbBackend::Sqlite, "PRAGMA wal_checkpoint(PASSIVE)")).await?;
    Ok(row.map(|r| r.try_get_by_index::<i64>(2)).transpose()?.unwrap_or(0))
}

/// Checkpoints every `every` on SQLite opened with [`Checkpoints::Background`], off any request's
/// path (the statement runs on the connection's own worker thread).
pub fn spawn_checkpointer(db: DatabaseConnection, every: Duration) {
    if !is_sqlite(&db) {
        return;
    }
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = checkpoint(&db).await {
                tracing::warn!(error = %e, "checkpoint failed");
            }
        }
    });
}

/// The `n`-th (1-based) statement parameter: `?` on SQLite, `$n` on PostgreSQL.
pub fn placeholder(backend: sea_orm::DbBackend, n: usize) -> String {
    match backend {
        sea_orm::DbBackend::Postgres => format!("${n}"),
        _ => "?".into(),
    }
}

/// Appends one row's values to a statement's bound `values` and returns the row as a tuple of
/// placeholders, `(?,?,…)`, for an `UPDATE … FROM (VALUES …)` written by hand.
pub fn values_row(
    backend: sea_orm::DbBackend,
    values: &mut Vec<sea_orm::Value>,
    row: impl IntoIterator<Item = sea_orm::Value>,
) -> String {
    let marks: Vec<String> = row
        .into_iter()
        .map(|v| {
            values.push(v);
            placeholder(backend, values.len())
        })
        .collect();
    format!("({})", marks.join(","))
}

pub fn is_sqlite(db: &DatabaseConnection) -> bool {
    db.get_database_backend() == DbBackend::Sqlite
}

/// True when the error is a unique-constraint violation (a concurrent duplicate insert).
pub fn is_unique_violation(e: &DbErr) -> bool {
    matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}
