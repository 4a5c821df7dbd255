//! The applicant's journey: uploaded files of a case (per material, per submission round), the
//! in-app inbox, ratings (好差评), complaints, result documents (verifiable by code) and a small
//! table of hits for rate-limited public queries.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CaseFiles {
    Table,
    Id,
    CaseId,
    MaterialCode,
    FileName,
    Size,
    FileType,
    Sha256,
    StorageKey,
    UploadedAt,
    Removed,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    ApplicantId,
    CaseId,
    Kind,
    Body,
    CreatedAt,
    ReadAt,
}

#[derive(DeriveIden)]
enum Evaluations {
    Table,
    Id,
    CaseId,
    ApplicantId,
    DepartmentId,
    Level,
    Comment,
    Reason,
    FollowUpDue,
    FollowUpState,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Complaints {
    Table,
    Id,
    ApplicantId,
    CaseId,
    DepartmentId,
    Subject,
    Body,
    State,
    DueOn,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ResultDocuments {
    Table,
    Id,
    CaseId,
    Code,
    Title,
    HolderMasked,
    DepartmentId,
    IssuedOn,
    Revoked,
}

#[derive(DeriveIden)]
enum RateHits {
    Table,
    Id,
    Bucket,
    Ip,
    At,
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Applicants {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Departments {
    Table,
    Id,
}

fn fk(from: (impl IntoIden, impl IntoIden), to: (impl IntoIden, impl IntoIden)) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from.0, from.1).to(to.0, to.1).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(CaseFiles::Table)
                .col(pk_auto(CaseFiles::Id))
                .col(integer(CaseFiles::CaseId))
                .col(string_len(CaseFiles::MaterialCode, 64))
                .col(string_len(CaseFiles::FileName, 255))
                .col(big_integer(CaseFiles::Size))
                .col(string_len(CaseFiles::FileType, 8))
                .col(string_len(CaseFiles::Sha256, 64))
                .col(string_len(CaseFiles::StorageKey, 64))
                .col(timestamp_with_time_zone(CaseFiles::UploadedAt))
                .col(boolean(CaseFiles::Removed).default(false))
                .foreign_key(&mut fk((CaseFiles::Table, CaseFiles::CaseId), (Cases::Table, Cases::Id)))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_case_files_case")
                .table(CaseFiles::Table)
                .col(CaseFiles::CaseId)
                .col(CaseFiles::MaterialCode)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Notifications::Table)
                .col(pk_auto(Notifications::Id))
                .col(integer(Notifications::ApplicantId))
                .col(integer_null(Notifications::CaseId))
                .col(string_len(Notifications::Kind, 32))
                .col(text(Notifications::Body))
                .col(timestamp_with_time_zone(Notifications::CreatedAt))
                .col(timestamp_with_time_zone_null(Notifications::ReadAt))
                .foreign_key(&mut fk(
                    (Notifications::Table, Notifications::ApplicantId),
                    (Applicants::Table, Applicants::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_notifications_applicant")
                .table(Notifications::Table)
                .col(Notifications::ApplicantId)
                .col(Notifications::Id)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Evaluations::Table)
                .col(pk_auto(Evaluations::Id))
                .col(integer(Evaluations::CaseId).unique_key())
                .col(integer(Evaluations::ApplicantId))
                .col(integer(Evaluations::DepartmentId))
                .col(small_integer(Evaluations::Level))
                .col(text(Evaluations::Comment))
                .col(text(Evaluations::Reason))
                .col(date_null(Evaluations::FollowUpDue))
                .col(string_len(Evaluations::FollowUpState, 16))
                .col(timestamp_with_time_zone(Evaluations::CreatedAt))
                .foreign_key(&mut fk((Evaluations::Table, Evaluations::CaseId), (Cases::Table, Cases::Id)))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Complaints::Table)
                .col(pk_auto(Complaints::Id))
                .col(integer(Complaints::ApplicantId))
                .col(integer_null(Complaints::CaseId))
                .col(integer(Complaints::DepartmentId))
                .col(string_len(Complaints::Subject, 200))
                .col(text(Complaints::Body))
                .col(string_len(Complaints::State, 16))
                .col(date(Complaints::DueOn))
                .col(timestamp_with_time_zone(Complaints::CreatedAt))
                .foreign_key(&mut fk(
                    (Complaints::Table, Complaints::DepartmentId),
                    (Departments::Table, Departments::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ResultDocuments::Table)
                .col(pk_auto(ResultDocuments::Id))
                .col(integer(ResultDocuments::CaseId))
                .col(string_len(ResultDocuments::Code, 32).unique_key())
                .col(string_len(ResultDocuments::Title, 200))
                .col(string_len(ResultDocuments::HolderMasked, 200))
                .col(integer(ResultDocuments::DepartmentId))
                .col(date(ResultDocuments::IssuedOn))
                .col(boolean(ResultDocuments::Revoked).default(false))
                .foreign_key(&mut fk((ResultDocuments::Table, ResultDocuments::CaseId), (Cases::Table, Cases::Id)))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RateHits::Table)
                .col(pk_auto(RateHits::Id))
                .col(string_len(RateHits::Bucket, 32))
                .col(string_len(RateHits::Ip, 64))
                .col(timestamp_with_time_zone(RateHits::At))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_rate_hits")
                .table(RateHits::Table)
                .col(RateHits::Bucket)
                .col(RateHits::Ip)
                .col(RateHits::At)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            RateHits::Table.into_iden(),
            ResultDocuments::Table.into_iden(),
            Complaints::Table.into_iden(),
            Evaluations::Table.into_iden(),
            Notifications::Table.into_iden(),
            CaseFiles::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
