//! Connecting (SQLite tuned for a web server, or PostgreSQL) and write transactions.

use std::time::Duration;

use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, SqliteTransactionMode,
    TransactionOptions, TransactionTrait,
};

/// Opens the database. SQLite: WAL, `synchronous=NORMAL`, foreign keys on, 10 s busy timeout,
/// memory-mapped reads and a 32 MiB page cache per connection.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let sqlite = url.starts_with("sqlite:");
    let mut opt = ConnectOptions::new(url.to_string());
    opt.sqlx_logging(false)
        .max_connections(if sqlite { 8 } else { 16 })
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(15));
    if sqlite {
        opt.map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                // A large database is read through the OS page cache by memory map (no read
                // call per page) with 32 MiB of SQLite's own cache per connection (the default
                // 2 MiB made every statement of the sweep at a million cases re-read its pages).
                .pragma("mmap_size", "1073741824")
                .pragma("cache_size", "-32768")
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

pub fn is_sqlite(db: &DatabaseConnection) -> bool {
    db.get_database_backend() == DbBackend::Sqlite
}

/// True when the error is a unique-constraint violation (a concurrent duplicate insert).
pub fn is_unique_violation(e: &DbErr) -> bool {
    matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}
