//! One-time SMS codes (issue S, item 1): registering proves the mobile. A code is 6 digits, kept
//! only as a hash, valid for 5 minutes and for 5 tries (each try is reserved before the code is
//! compared, so parallel guesses cannot take more), used once.
//!
//! An applicant's identity checked in person at the counter (the day and the clerk), and an
//! account frozen when the real holder of its ID number took the number back there.

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

#[derive(DeriveIden)]
enum Applicants {
    Table,
    IdentityCheckedOn,
    IdentityCheckedBy,
    FrozenAt,
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
        .await?;
        for col in [
            ColumnDef::new(Applicants::IdentityCheckedOn).date().null().to_owned(),
            ColumnDef::new(Applicants::IdentityCheckedBy).integer().null().to_owned(),
            ColumnDef::new(Applicants::FrozenAt).timestamp_with_time_zone().null().to_owned(),
        ] {
            m.alter_table(Table::alter().table(Applicants::Table).add_column(col).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(SmsCodes::Table).to_owned()).await
    }
}
