//! 政务公开 (issue J1): a department's public entries, each version an editor wrote and another
//! approved, and the search index of the public versions.
//!
//! - `open_entries`: the working copy (what the editors see), its review status, the dates it is
//!   public between, and the number of its public version (none: not public). An entry made by a
//!   decision (审批结果公示) names its case, once.
//! - `open_versions`: every approved version, never changed; the public page shows the newest
//!   and says when each was approved.
//! - `open_search`: the terms (`rules::open::terms`) of each entry's public version. SQLite keeps
//!   them in an FTS5 table; PostgreSQL in a `tsvector` made from the terms as they are
//!   (`array_to_tsvector`, no parser, no locale) under a GIN index. Both are asked for all of a
//!   query's terms, so both give the same hits.

use sea_orm_migration::sea_orm::DatabaseBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OpenEntries {
    Table,
    Id,
    DepartmentId,
    Kind,
    Title,
    Body,
    Status,
    PublishOn,
    WithdrawOn,
    AuthorId,
    SentBy,
    PublicVersion,
    CaseId,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OpenVersions {
    Table,
    Id,
    EntryId,
    No,
    Kind,
    Title,
    Body,
    AuthorId,
    ApprovedBy,
    ApprovedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(OpenEntries::Table)
                .col(pk_auto(OpenEntries::Id))
                .col(integer(OpenEntries::DepartmentId))
                .col(string_len(OpenEntries::Kind, 32))
                .col(string_len(OpenEntries::Title, 200))
                .col(text(OpenEntries::Body))
                .col(string_len(OpenEntries::Status, 16))
                .col(date_null(OpenEntries::PublishOn))
                .col(date_null(OpenEntries::WithdrawOn))
                .col(integer(OpenEntries::AuthorId))
                .col(integer_null(OpenEntries::SentBy))
                .col(integer_null(OpenEntries::PublicVersion))
                .col(integer_null(OpenEntries::CaseId))
                .col(integer(OpenEntries::Version).default(1))
                .col(timestamp_with_time_zone(OpenEntries::CreatedAt))
                .col(timestamp_with_time_zone(OpenEntries::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_open_entries_public")
                .table(OpenEntries::Table)
                .col(OpenEntries::Kind)
                .col(OpenEntries::DepartmentId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_open_entries_case")
                .table(OpenEntries::Table)
                .col(OpenEntries::CaseId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(OpenVersions::Table)
                .col(pk_auto(OpenVersions::Id))
                .col(integer(OpenVersions::EntryId))
                .col(integer(OpenVersions::No))
                .col(string_len(OpenVersions::Kind, 32))
                .col(string_len(OpenVersions::Title, 200))
                .col(text(OpenVersions::Body))
                .col(integer(OpenVersions::AuthorId))
                .col(integer(OpenVersions::ApprovedBy))
                .col(timestamp_with_time_zone(OpenVersions::ApprovedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_open_versions_no")
                .table(OpenVersions::Table)
                .col(OpenVersions::EntryId)
                .col(OpenVersions::No)
                .unique()
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        match db.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared("CREATE TABLE open_search (entry_id integer PRIMARY KEY, doc tsvector NOT NULL)")
                    .await?;
                db.execute_unprepared("CREATE INDEX ix_open_search_doc ON open_search USING GIN (doc)").await?;
            }
            _ => {
                db.execute_unprepared(
                    "CREATE VIRTUAL TABLE open_search USING fts5(terms, entry_id UNINDEXED, tokenize = 'unicode61')",
                )
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection().execute_unprepared("DROP TABLE IF EXISTS open_search").await?;
        m.drop_table(Table::drop().table(OpenVersions::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(OpenEntries::Table).to_owned()).await
    }
}
