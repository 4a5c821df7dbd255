//! The back office's workflow: the reviewer a case is assigned to, how it came in (online or at
//! the counter, 帮办), the opinions it needs before its decision (review stages and parallel
//! co-department opinions, each with its own clock), requests that need an approver (suspension,
//! extension), and per-department state counts kept in the same transaction as every state change
//! (the queue's bucket counts stay O(1) at a million cases).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
    DepartmentId,
    State,
    DueOn,
    AssigneeId,
    Channel,
    IntakeStaffId,
}

#[derive(DeriveIden)]
enum CaseTasks {
    Table,
    Id,
    CaseId,
    Kind,
    Ord,
    Name,
    DepartmentId,
    Role,
    HasClock,
    OpenedOn,
    DueOn,
    AnsweredOn,
    AnsweredBy,
    Outcome,
    Opinion,
}

#[derive(DeriveIden)]
enum CaseRequests {
    Table,
    Id,
    CaseId,
    Kind,
    ProcKind,
    Days,
    Reason,
    RequestedBy,
    RequestedOn,
    Status,
    DecidedBy,
    DecidedOn,
    Note,
}

#[derive(DeriveIden)]
enum StateCounts {
    Table,
    DepartmentId,
    State,
    N,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for col in [
            integer_null(Cases::AssigneeId),
            string_len(Cases::Channel, 16).default("online").to_owned(),
            integer_null(Cases::IntakeStaffId),
        ] {
            m.alter_table(Table::alter().table(Cases::Table).add_column(col).to_owned()).await?;
        }
        // The queue reads one (department, state) range at a time in (due_on, id) order.
        m.drop_index(Index::drop().name("ix_cases_queue").table(Cases::Table).to_owned()).await?;
        m.create_index(
            Index::create()
                .name("ix_cases_queue_v2")
                .table(Cases::Table)
                .col(Cases::DepartmentId)
                .col(Cases::State)
                .col(Cases::DueOn)
                .col(Cases::Id)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_cases_assignee")
                .table(Cases::Table)
                .col(Cases::AssigneeId)
                .col(Cases::State)
                .col(Cases::DueOn)
                .col(Cases::Id)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CaseTasks::Table)
                .col(pk_auto(CaseTasks::Id))
                .col(integer(CaseTasks::CaseId))
                .col(string_len(CaseTasks::Kind, 16))
                .col(integer(CaseTasks::Ord))
                .col(string_len(CaseTasks::Name, 64))
                .col(integer(CaseTasks::DepartmentId))
                .col(string_len(CaseTasks::Role, 32))
                .col(boolean(CaseTasks::HasClock).default(false))
                .col(date_null(CaseTasks::OpenedOn))
                .col(date_null(CaseTasks::DueOn))
                .col(date_null(CaseTasks::AnsweredOn))
                .col(integer_null(CaseTasks::AnsweredBy))
                .col(string_len_null(CaseTasks::Outcome, 16))
                .col(text(CaseTasks::Opinion).default(""))
                .foreign_key(ForeignKey::create().from(CaseTasks::Table, CaseTasks::CaseId).to(Cases::Table, Cases::Id))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_case_tasks_case").table(CaseTasks::Table).col(CaseTasks::CaseId).to_owned(),
        )
        .await?;
        // A department's open requests, by due date.
        m.create_index(
            Index::create()
                .name("ix_case_tasks_queue")
                .table(CaseTasks::Table)
                .col(CaseTasks::DepartmentId)
                .col(CaseTasks::AnsweredOn)
                .col(CaseTasks::DueOn)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CaseRequests::Table)
                .col(pk_auto(CaseRequests::Id))
                .col(integer(CaseRequests::CaseId))
                .col(string_len(CaseRequests::Kind, 16))
                .col(string_len(CaseRequests::ProcKind, 64).default(""))
                .col(integer_null(CaseRequests::Days))
                .col(text(CaseRequests::Reason))
                .col(integer(CaseRequests::RequestedBy))
                .col(date(CaseRequests::RequestedOn))
                .col(string_len(CaseRequests::Status, 16))
                .col(integer_null(CaseRequests::DecidedBy))
                .col(date_null(CaseRequests::DecidedOn))
                .col(text(CaseRequests::Note).default(""))
                .foreign_key(
                    ForeignKey::create().from(CaseRequests::Table, CaseRequests::CaseId).to(Cases::Table, Cases::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_case_requests_case")
                .table(CaseRequests::Table)
                .col(CaseRequests::CaseId)
                .col(CaseRequests::Status)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_case_requests_status")
                .table(CaseRequests::Table)
                .col(CaseRequests::Status)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(StateCounts::Table)
                .col(integer(StateCounts::DepartmentId))
                .col(string_len(StateCounts::State, 32))
                .col(big_integer(StateCounts::N).default(0))
                .primary_key(Index::create().col(StateCounts::DepartmentId).col(StateCounts::State))
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "INSERT INTO state_counts (department_id, state, n) \
                 SELECT department_id, state, COUNT(*) FROM cases WHERE state <> 'draft' GROUP BY department_id, state",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [StateCounts::Table.into_iden(), CaseRequests::Table.into_iden(), CaseTasks::Table.into_iden()] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        m.drop_index(Index::drop().name("ix_cases_assignee").table(Cases::Table).to_owned()).await?;
        m.drop_index(Index::drop().name("ix_cases_queue_v2").table(Cases::Table).to_owned()).await?;
        m.create_index(
            Index::create()
                .name("ix_cases_queue")
                .table(Cases::Table)
                .col(Cases::DepartmentId)
                .col(Cases::State)
                .col(Cases::DueOn)
                .to_owned(),
        )
        .await?;
        for c in [Cases::IntakeStaffId, Cases::Channel, Cases::AssigneeId] {
            m.alter_table(Table::alter().table(Cases::Table).drop_column(c).to_owned()).await?;
        }
        Ok(())
    }
}
