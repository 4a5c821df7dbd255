//! Cases (办件), their immutable events, per-department daily case-number counters and the
//! notification outbox.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
    CaseNo,
    ItemId,
    ItemVersion,
    DepartmentId,
    ApplicantId,
    State,
    Version,
    Answers,
    CreatedAt,
    UpdatedAt,
    SubmittedAt,
    AcceptedOn,
    DueOn,
    CorrectionDue,
    Extended,
    FeeDue,
}

#[derive(DeriveIden)]
enum CaseEvents {
    Table,
    Id,
    CaseId,
    Seq,
    Action,
    FromState,
    ToState,
    ActorKind,
    ActorId,
    Role,
    Comment,
    Internal,
    At,
    OnDay,
}

#[derive(DeriveIden)]
enum CaseCounters {
    Table,
    DepartmentId,
    Day,
    LastSeq,
}

#[derive(DeriveIden)]
enum NotificationOutbox {
    Table,
    Id,
    CaseId,
    ApplicantId,
    Kind,
    Payload,
    Status,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum Items {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Departments {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Applicants {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Cases::Table)
                .col(pk_auto(Cases::Id))
                .col(string_len_null(Cases::CaseNo, 32).unique_key())
                .col(integer(Cases::ItemId))
                .col(integer(Cases::ItemVersion))
                .col(integer(Cases::DepartmentId))
                .col(integer(Cases::ApplicantId))
                .col(string_len(Cases::State, 32))
                .col(integer(Cases::Version).default(0))
                .col(text(Cases::Answers))
                .col(timestamp_with_time_zone(Cases::CreatedAt))
                .col(timestamp_with_time_zone(Cases::UpdatedAt))
                .col(timestamp_with_time_zone_null(Cases::SubmittedAt))
                .col(date_null(Cases::AcceptedOn))
                .col(date_null(Cases::DueOn))
                .col(date_null(Cases::CorrectionDue))
                .col(boolean(Cases::Extended).default(false))
                .col(date_null(Cases::FeeDue))
                .foreign_key(ForeignKey::create().from(Cases::Table, Cases::ItemId).to(Items::Table, Items::Id))
                .foreign_key(
                    ForeignKey::create()
                        .from(Cases::Table, Cases::DepartmentId)
                        .to(Departments::Table, Departments::Id),
                )
                .foreign_key(
                    ForeignKey::create().from(Cases::Table, Cases::ApplicantId).to(Applicants::Table, Applicants::Id),
                )
                .to_owned(),
        )
        .await?;
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
        m.create_index(
            Index::create()
                .name("ix_cases_applicant")
                .table(Cases::Table)
                .col(Cases::ApplicantId)
                .col(Cases::UpdatedAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CaseEvents::Table)
                .col(pk_auto(CaseEvents::Id))
                .col(integer(CaseEvents::CaseId))
                .col(integer(CaseEvents::Seq))
                .col(string_len(CaseEvents::Action, 32))
                .col(string_len(CaseEvents::FromState, 32))
                .col(string_len(CaseEvents::ToState, 32))
                .col(string_len(CaseEvents::ActorKind, 16))
                .col(integer(CaseEvents::ActorId))
                .col(string_len(CaseEvents::Role, 32))
                .col(text(CaseEvents::Comment))
                .col(boolean(CaseEvents::Internal).default(false))
                .col(timestamp_with_time_zone(CaseEvents::At))
                // The working day the action counts on (China local date).
                .col(date(CaseEvents::OnDay))
                .foreign_key(
                    ForeignKey::create()
                        .from(CaseEvents::Table, CaseEvents::CaseId)
                        .to(Cases::Table, Cases::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_case_events_seq")
                .table(CaseEvents::Table)
                .col(CaseEvents::CaseId)
                .col(CaseEvents::Seq)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CaseCounters::Table)
                .col(integer(CaseCounters::DepartmentId))
                .col(date(CaseCounters::Day))
                .col(integer(CaseCounters::LastSeq))
                .primary_key(Index::create().col(CaseCounters::DepartmentId).col(CaseCounters::Day))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(NotificationOutbox::Table)
                .col(pk_auto(NotificationOutbox::Id))
                .col(integer(NotificationOutbox::CaseId))
                .col(integer(NotificationOutbox::ApplicantId))
                .col(string_len(NotificationOutbox::Kind, 32))
                .col(text(NotificationOutbox::Payload))
                .col(string_len(NotificationOutbox::Status, 16))
                .col(timestamp_with_time_zone(NotificationOutbox::CreatedAt))
                .col(timestamp_with_time_zone_null(NotificationOutbox::SentAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_outbox_status")
                .table(NotificationOutbox::Table)
                .col(NotificationOutbox::Status)
                .col(NotificationOutbox::Id)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            NotificationOutbox::Table.into_iden(),
            CaseCounters::Table.into_iden(),
            CaseEvents::Table.into_iden(),
            Cases::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
