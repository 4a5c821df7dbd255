//! 一件事 (issue J2): bundles of items an applicant applies for once. `definition` is
//! `rules::bundle::Bundle` as JSON text (its items, the questions and materials they share); an
//! admin's change is checked by `Bundle::problems` before it is written.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Bundles {
    Table,
    Id,
    Code,
    Name,
    Summary,
    Definition,
    Published,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Bundles::Table)
                .col(pk_auto(Bundles::Id))
                .col(string_len(Bundles::Code, 32))
                .col(string_len(Bundles::Name, 100))
                .col(text(Bundles::Summary))
                .col(text(Bundles::Definition))
                .col(boolean(Bundles::Published).default(false))
                .col(integer(Bundles::Version).default(1))
                .col(timestamp_with_time_zone(Bundles::CreatedAt))
                .col(timestamp_with_time_zone(Bundles::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ux_bundles_code").table(Bundles::Table).col(Bundles::Code).unique().to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Bundles::Table).to_owned()).await
    }
}
