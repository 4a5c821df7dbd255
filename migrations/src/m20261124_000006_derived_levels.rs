//! The warning level is derived, not stored: it is a function of the case's state, due date,
//! today and the item's threshold (`rules::supervision::level`), so it no longer costs the sweep a
//! write per case and per light. Dashboards count lights by due-date ranges of
//! `ix_cases_queue_v2` (department, state, due date); the sweep reads the cases that fell due since
//! its last run from `ix_cases_due` (state, deemed acceptance, due date), and the 容缺 supplements
//! still owed from a partial index of just those.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Cases {
    Table,
    State,
    WarnLevel,
    DueOn,
    DepartmentId,
    DeemedAcceptedOn,
    SupplementOverdue,
    SupplementDue,
    SubmittedAt,
    ItemId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for name in ["ix_cases_sweep", "ix_cases_dept_level"] {
            m.drop_index(Index::drop().name(name).table(Cases::Table).to_owned()).await?;
        }
        m.alter_table(Table::alter().table(Cases::Table).drop_column(Cases::WarnLevel).to_owned()).await?;
        // The deemed-acceptance rule reads the unanswered receipts past their window: with the flag
        // before the due date, (state, flag IS NULL, due date) is one range whatever the
        // statistics say (with the flag last, SQLite 3.51 preferred a skip-scan of another index
        // and read 72,000 rows to find 3,000).
        m.create_index(
            Index::create()
                .name("ix_cases_due")
                .table(Cases::Table)
                .col(Cases::State)
                .col(Cases::DeemedAcceptedOn)
                .col(Cases::DueOn)
                .to_owned(),
        )
        .await?;
        // Statistics count the cases received in a period per department and item from the
        // index alone. (A new name: on SQLite another pooled connection may still hold the old
        // schema and refuse a re-created name as existing.)
        m.drop_index(Index::drop().name("ix_cases_submitted").table(Cases::Table).to_owned()).await?;
        m.create_index(
            Index::create()
                .name("ix_cases_submitted_by")
                .table(Cases::Table)
                .col(Cases::SubmittedAt)
                .col(Cases::DepartmentId)
                .col(Cases::ItemId)
                .to_owned(),
        )
        .await?;
        // 容缺 supplements still owed, as a partial index of just those rows: the index on
        // (flag, due date) it replaces holds every case, so once statistics exist (ANALYZE,
        // `PRAGMA optimize`) the planner, seeing nearly all of them alike, scanned the table
        // instead (0.15 s at a million cases). The sweep's query repeats the index's condition.
        m.drop_index(Index::drop().name("ix_cases_supplement").table(Cases::Table).to_owned()).await?;
        m.get_connection()
            .execute_unprepared(
                "CREATE INDEX ix_cases_supplement_open ON cases (supplement_due) \
                 WHERE supplement_overdue = false AND supplement_due IS NOT NULL",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_cases_submitted_by").table(Cases::Table).to_owned()).await?;
        m.create_index(
            Index::create().name("ix_cases_submitted").table(Cases::Table).col(Cases::SubmittedAt).to_owned(),
        )
        .await?;
        m.drop_index(Index::drop().name("ix_cases_supplement_open").table(Cases::Table).to_owned()).await?;
        m.create_index(
            Index::create()
                .name("ix_cases_supplement")
                .table(Cases::Table)
                .col(Cases::SupplementOverdue)
                .col(Cases::SupplementDue)
                .to_owned(),
        )
        .await?;
        m.drop_index(Index::drop().name("ix_cases_due").table(Cases::Table).to_owned()).await?;
        m.alter_table(
            Table::alter()
                .table(Cases::Table)
                .add_column(string_len(Cases::WarnLevel, 8).default("normal").to_owned())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_cases_sweep")
                .table(Cases::Table)
                .col(Cases::State)
                .col(Cases::WarnLevel)
                .col(Cases::DueOn)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_cases_dept_level")
                .table(Cases::Table)
                .col(Cases::DepartmentId)
                .col(Cases::WarnLevel)
                .col(Cases::DueOn)
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
