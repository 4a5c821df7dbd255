//! One number that every change to what the public pages show moves: the catalog's items, the
//! departments, the working-day calendar. Each app node keeps the public pages it rendered for
//! anonymous visitors and drops them when this number has moved, so an admin's edit is visible on
//! the next request on every node (`app::server::page_cache`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CatalogRevision {
    Table,
    Id,
    Revision,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(CatalogRevision::Table)
                .col(integer(CatalogRevision::Id).primary_key())
                .col(big_integer(CatalogRevision::Revision).default(0))
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::insert()
                .into_table(CatalogRevision::Table)
                .columns([CatalogRevision::Id, CatalogRevision::Revision])
                .values_panic([1.into(), 0.into()])
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(CatalogRevision::Table).to_owned()).await
    }
}
