//! One-time SMS codes (issue S, item 1): registering proves the mobile. A code is 6 digits, kept
//! only as a hash, valid for 5 minutes and for 5 tries (each try is reserved before the code is
//! compared, so parallel guesses cannot take more), used once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SmsCodes {
    Table,
    Id,
    Purpose,
    Mobile,
    CodeHash,
    CreatedAt,
    ExpiresAt,
    Tries,
    UsedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(SmsCodes::Table)
                .col(pk_auto(SmsCodes::Id))
                .col(string_len(SmsCodes::Purpose, 16))
                .col(string_len(SmsCodes::Mobile, 16))
                .col(string_len(SmsCodes::CodeHash, 64))
                .col(timestamp_with_time_zone(SmsCodes::CreatedAt))
                .col(timestamp_with_time_zone(SmsCodes::ExpiresAt))
                .col(integer(SmsCodes::Tries).default(0))
                .col(timestamp_with_time_zone_null(SmsCodes::UsedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_sms_codes_mobile")
                .table(SmsCodes::Table)
                .col(SmsCodes::Mobile)
                .col(SmsCodes::Purpose)
                .col(SmsCodes::Id)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(SmsCodes::Table).to_owned()).await
    }
}
