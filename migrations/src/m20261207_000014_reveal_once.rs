//! A new API token is shown to its issuer by one request (its `x-request-id`), which every run of
//! the page's loader in that request may read again; any other request finds it taken.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TokenReveals {
    Table,
    TakenBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let col = ColumnDef::new(TokenReveals::TakenBy).string_len(64).null().to_owned();
        m.alter_table(Table::alter().table(TokenReveals::Table).add_column(col).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(TokenReveals::Table).drop_column(TokenReveals::TakenBy).to_owned()).await
    }
}
