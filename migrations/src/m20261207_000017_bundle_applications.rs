//! 一件事 applications (issue J2): one application of a bundle is one row here and one case per
//! item of the bundle, each linked by `cases.bundle_application_id`. The row holds the answers to
//! the bundle's questions (each case holds its item's share of them), the bundle's definition as it
//! was when the application began (a later change of the bundle does not move it), and, once
//! sent, when: the cases are submitted together, in one transaction, and each goes on on its own
//! clock.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum BundleApplications {
    Table,
    Id,
    BundleId,
    Definition,
    ApplicantId,
    Answers,
    Version,
    CreatedAt,
    UpdatedAt,
    SubmittedAt,
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    BundleApplicationId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(BundleApplications::Table)
                .col(pk_auto(BundleApplications::Id))
                .col(integer(BundleApplications::BundleId))
                .col(text(BundleApplications::Definition))
                .col(integer(BundleApplications::ApplicantId))
                .col(text(BundleApplications::Answers))
                .col(integer(BundleApplications::Version).default(0))
                .col(timestamp_with_time_zone(BundleApplications::CreatedAt))
                .col(timestamp_with_time_zone(BundleApplications::UpdatedAt))
                .col(timestamp_with_time_zone_null(BundleApplications::SubmittedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_bundle_applications_applicant")
                .table(BundleApplications::Table)
                .col(BundleApplications::ApplicantId)
                .col(BundleApplications::BundleId)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter().table(Cases::Table).add_column(integer_null(Cases::BundleApplicationId)).to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_cases_bundle_application")
                .table(Cases::Table)
                .col(Cases::BundleApplicationId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_cases_bundle_application").table(Cases::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(Cases::Table).drop_column(Cases::BundleApplicationId).to_owned()).await?;
        m.drop_table(Table::drop().table(BundleApplications::Table).to_owned()).await
    }
}
