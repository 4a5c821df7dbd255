//! Supervision (电子监察) and operations: the scheduler's lease and runs, the stored warning level
//! and the flags it keeps on cases (deemed acceptance, 容缺 supplements), accountability records,
//! the audit hash chain on events and the log of staff reads of personal data, notification
//! deliveries per channel with retries, applicants' contact e-mail and opt-outs, notification
//! templates, and the first-inquiry desk's consultations.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
    WarnLevel,
    ReceivedOn,
    DeemedAcceptedOn,
    SupplementDue,
    SupplementOverdue,
}

#[derive(DeriveIden)]
enum Evaluations {
    Table,
    FollowUpNote,
}

#[derive(DeriveIden)]
enum Complaints {
    Table,
    Answer,
    AnsweredOn,
}

#[derive(DeriveIden)]
enum CaseEvents {
    Table,
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
enum Applicants {
    Table,
    Email,
    NotifySms,
    NotifyEmail,
    NoticeLang,
}

#[derive(DeriveIden)]
enum AccountabilityRecords {
    Table,
    Id,
    CaseId,
    DepartmentId,
    Kind,
    DueOn,
    CreatedOn,
    State,
    Explanation,
    ExplainedBy,
    ExplainedOn,
    ClosedBy,
    ClosedOn,
    Conclusion,
}

#[derive(DeriveIden)]
enum SchedulerLeases {
    Table,
    Name,
    Holder,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum SchedulerRuns {
    Table,
    Id,
    Job,
    Holder,
    Day,
    StartedAt,
    Millis,
    Report,
}

#[derive(DeriveIden)]
enum StaffReads {
    Table,
    Id,
    StaffId,
    CaseId,
    What,
    At,
}

#[derive(DeriveIden)]
enum NotificationOutbox {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum NotificationDeliveries {
    Table,
    Id,
    OutboxId,
    Channel,
    Address,
    Status,
    Attempts,
    NextAttemptAt,
    LastError,
    SentAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum NotificationTemplates {
    Table,
    Kind,
    Lang,
    Subject,
    Body,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    Name,
    Prefix,
    TokenHash,
    Departments,
    CreatedBy,
    CreatedAt,
    RevokedAt,
    LastUsedAt,
}

#[derive(DeriveIden)]
enum Consultations {
    Table,
    Id,
    DepartmentId,
    StaffId,
    AskedAt,
    AskerName,
    AskerContact,
    IdNumber,
    ItemCode,
    Question,
    Answer,
    Referral,
    CaseId,
}

fn index(name: &str, table: impl IntoIden, cols: &[&str]) -> IndexCreateStatement {
    let mut ix = Index::create();
    ix.name(name).table(table);
    for c in cols {
        ix.col(Alias::new(*c));
    }
    ix.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in [
            string_len(Cases::WarnLevel, 8).default("normal").to_owned(),
            date_null(Cases::ReceivedOn),
            date_null(Cases::DeemedAcceptedOn),
            date_null(Cases::SupplementDue),
            boolean(Cases::SupplementOverdue).default(false).to_owned(),
        ] {
            m.alter_table(Table::alter().table(Cases::Table).add_column(col).to_owned()).await?;
        }
        for col in [
            string_len(CaseEvents::PrevHash, 64).default("").to_owned(),
            string_len(CaseEvents::Hash, 64).default("").to_owned(),
        ] {
            m.alter_table(Table::alter().table(CaseEvents::Table).add_column(col).to_owned()).await?;
        }
        for col in [
            string_len_null(Applicants::Email, 254),
            boolean(Applicants::NotifySms).default(true).to_owned(),
            boolean(Applicants::NotifyEmail).default(true).to_owned(),
            // the language of SMS and e-mail notices (简 / 繁 / EN; BCP 47 tag)
            string_len(Applicants::NoticeLang, 8).default("zh-Hans").to_owned(),
        ] {
            m.alter_table(Table::alter().table(Applicants::Table).add_column(col).to_owned()).await?;
        }
        // The sweep reads, per state and stored level, the range of due dates that can change today.
        m.create_index(index("ix_cases_sweep", Cases::Table, &["state", "warn_level", "due_on"])).await?;
        // The supervisor's dashboard: a department's yellow and red cases by due date.
        m.create_index(index("ix_cases_dept_level", Cases::Table, &["department_id", "warn_level", "due_on"])).await?;
        // Statistics: cases received in a period, cases closed in a period, suspensions.
        m.create_index(index("ix_cases_submitted", Cases::Table, &["submitted_at"])).await?;
        m.create_index(index("ix_cases_closed", Cases::Table, &["state", "updated_at"])).await?;
        m.create_index(index("ix_case_events_action", Alias::new("case_events"), &["action", "case_id"])).await?;
        // Bad-rating follow-up (call-back, rectification, appeal) and complaint answers.
        m.alter_table(
            Table::alter().table(Evaluations::Table).add_column(text(Evaluations::FollowUpNote).default("")).to_owned(),
        )
        .await?;
        for col in [text(Complaints::Answer).default("").to_owned(), date_null(Complaints::AnsweredOn)] {
            m.alter_table(Table::alter().table(Complaints::Table).add_column(col).to_owned()).await?;
        }
        m.create_index(index("ix_cases_supplement", Cases::Table, &["supplement_overdue", "supplement_due"])).await?;

        m.create_table(
            Table::create()
                .table(AccountabilityRecords::Table)
                .col(pk_auto(AccountabilityRecords::Id))
                .col(integer(AccountabilityRecords::CaseId))
                .col(integer(AccountabilityRecords::DepartmentId))
                .col(string_len(AccountabilityRecords::Kind, 32))
                .col(date(AccountabilityRecords::DueOn))
                .col(date(AccountabilityRecords::CreatedOn))
                .col(string_len(AccountabilityRecords::State, 16).default("open"))
                .col(text(AccountabilityRecords::Explanation).default(""))
                .col(integer_null(AccountabilityRecords::ExplainedBy))
                .col(date_null(AccountabilityRecords::ExplainedOn))
                .col(integer_null(AccountabilityRecords::ClosedBy))
                .col(date_null(AccountabilityRecords::ClosedOn))
                .col(text(AccountabilityRecords::Conclusion).default(""))
                .foreign_key(
                    ForeignKey::create()
                        .from(AccountabilityRecords::Table, AccountabilityRecords::CaseId)
                        .to(Cases::Table, Cases::Id),
                )
                .to_owned(),
        )
        .await?;
        // Once per case, kind and due date: a sweep run twice writes nothing new.
        m.create_index(
            index("ux_accountability_once", AccountabilityRecords::Table, &["case_id", "kind", "due_on"])
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_accountability_dept",
            AccountabilityRecords::Table,
            &["department_id", "state", "id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(SchedulerLeases::Table)
                .col(string_len(SchedulerLeases::Name, 32).primary_key())
                .col(string_len(SchedulerLeases::Holder, 64))
                .col(timestamp_with_time_zone(SchedulerLeases::ExpiresAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(SchedulerRuns::Table)
                .col(pk_auto(SchedulerRuns::Id))
                .col(string_len(SchedulerRuns::Job, 32))
                .col(string_len(SchedulerRuns::Holder, 64))
                .col(date(SchedulerRuns::Day))
                .col(timestamp_with_time_zone(SchedulerRuns::StartedAt))
                .col(big_integer(SchedulerRuns::Millis))
                .col(text(SchedulerRuns::Report))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_scheduler_runs_job", SchedulerRuns::Table, &["job", "id"])).await?;

        m.create_table(
            Table::create()
                .table(StaffReads::Table)
                .col(pk_auto(StaffReads::Id))
                .col(integer(StaffReads::StaffId))
                .col(integer(StaffReads::CaseId))
                .col(string_len(StaffReads::What, 32))
                .col(timestamp_with_time_zone(StaffReads::At))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_staff_reads_case", StaffReads::Table, &["case_id", "id"])).await?;
        m.create_index(index("ix_staff_reads_staff", StaffReads::Table, &["staff_id", "id"])).await?;

        m.create_table(
            Table::create()
                .table(NotificationDeliveries::Table)
                .col(pk_auto(NotificationDeliveries::Id))
                .col(integer(NotificationDeliveries::OutboxId))
                .col(string_len(NotificationDeliveries::Channel, 16))
                .col(string_len(NotificationDeliveries::Address, 254))
                .col(string_len(NotificationDeliveries::Status, 16))
                .col(integer(NotificationDeliveries::Attempts).default(0))
                .col(timestamp_with_time_zone(NotificationDeliveries::NextAttemptAt))
                .col(text(NotificationDeliveries::LastError).default(""))
                .col(timestamp_with_time_zone_null(NotificationDeliveries::SentAt))
                .col(timestamp_with_time_zone(NotificationDeliveries::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(NotificationDeliveries::Table, NotificationDeliveries::OutboxId)
                        .to(NotificationOutbox::Table, NotificationOutbox::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("ux_deliveries_channel", NotificationDeliveries::Table, &["outbox_id", "channel"])
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_deliveries_due", NotificationDeliveries::Table, &["status", "next_attempt_at"]))
            .await?;

        m.create_table(
            Table::create()
                .table(NotificationTemplates::Table)
                .col(string_len(NotificationTemplates::Kind, 32))
                .col(string_len(NotificationTemplates::Lang, 8))
                .col(string_len(NotificationTemplates::Subject, 200))
                .col(text(NotificationTemplates::Body))
                .col(timestamp_with_time_zone(NotificationTemplates::UpdatedAt))
                .primary_key(Index::create().col(NotificationTemplates::Kind).col(NotificationTemplates::Lang))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Consultations::Table)
                .col(pk_auto(Consultations::Id))
                .col(integer(Consultations::DepartmentId))
                .col(integer(Consultations::StaffId))
                .col(timestamp_with_time_zone(Consultations::AskedAt))
                .col(string_len(Consultations::AskerName, 64))
                .col(string_len(Consultations::AskerContact, 64).default(""))
                .col(string_len(Consultations::IdNumber, 18).default(""))
                .col(string_len(Consultations::ItemCode, 32).default(""))
                .col(text(Consultations::Question))
                .col(text(Consultations::Answer))
                .col(string_len(Consultations::Referral, 200).default(""))
                .col(integer_null(Consultations::CaseId))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_consultations_dept", Consultations::Table, &["department_id", "id"])).await?;

        // Integration API tokens: only the SHA-256 of a token is stored; scoped to departments.
        m.create_table(
            Table::create()
                .table(ApiTokens::Table)
                .col(pk_auto(ApiTokens::Id))
                .col(string_len(ApiTokens::Name, 100))
                .col(string_len(ApiTokens::Prefix, 16))
                .col(string_len(ApiTokens::TokenHash, 64).unique_key())
                .col(text(ApiTokens::Departments))
                .col(integer(ApiTokens::CreatedBy))
                .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                .col(timestamp_with_time_zone_null(ApiTokens::LastUsedAt))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            ApiTokens::Table.into_iden(),
            Consultations::Table.into_iden(),
            NotificationTemplates::Table.into_iden(),
            NotificationDeliveries::Table.into_iden(),
            StaffReads::Table.into_iden(),
            SchedulerRuns::Table.into_iden(),
            SchedulerLeases::Table.into_iden(),
            AccountabilityRecords::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        m.drop_index(Index::drop().name("ix_cases_supplement").table(Cases::Table).to_owned()).await?;
        m.drop_index(Index::drop().name("ix_cases_dept_level").table(Cases::Table).to_owned()).await?;
        m.drop_index(Index::drop().name("ix_cases_submitted").table(Cases::Table).to_owned()).await?;
        m.drop_index(Index::drop().name("ix_cases_closed").table(Cases::Table).to_owned()).await?;
        m.drop_index(Index::drop().name("ix_case_events_action").table(Alias::new("case_events")).to_owned()).await?;
        for c in [Complaints::AnsweredOn, Complaints::Answer] {
            m.alter_table(Table::alter().table(Complaints::Table).drop_column(c).to_owned()).await?;
        }
        m.alter_table(Table::alter().table(Evaluations::Table).drop_column(Evaluations::FollowUpNote).to_owned())
            .await?;
        m.drop_index(Index::drop().name("ix_cases_sweep").table(Cases::Table).to_owned()).await?;
        for c in [Applicants::NoticeLang, Applicants::NotifyEmail, Applicants::NotifySms, Applicants::Email] {
            m.alter_table(Table::alter().table(Applicants::Table).drop_column(c).to_owned()).await?;
        }
        for c in [CaseEvents::Hash, CaseEvents::PrevHash] {
            m.alter_table(Table::alter().table(CaseEvents::Table).drop_column(c).to_owned()).await?;
        }
        for c in [
            Cases::SupplementOverdue,
            Cases::SupplementDue,
            Cases::DeemedAcceptedOn,
            Cases::ReceivedOn,
            Cases::WarnLevel,
        ] {
            m.alter_table(Table::alter().table(Cases::Table).drop_column(c).to_owned()).await?;
        }
        Ok(())
    }
}
