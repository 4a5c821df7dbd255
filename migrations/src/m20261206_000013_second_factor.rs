//! A second factor for staff (issue S, item 2): a TOTP secret (RFC 6238) per member of staff,
//! when it was confirmed (null while it is being set up: the secret is shown, no code has been
//! entered yet), and the last time step a code was accepted for (a code is accepted once).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Staff {
    Table,
    TotpSecret,
    TotpEnabledAt,
    TotpLastStep,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in [
            ColumnDef::new(Staff::TotpSecret).string_len(64).null().to_owned(),
            ColumnDef::new(Staff::TotpEnabledAt).timestamp_with_time_zone().null().to_owned(),
            ColumnDef::new(Staff::TotpLastStep).big_integer().null().to_owned(),
        ] {
            m.alter_table(Table::alter().table(Staff::Table).add_column(col).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in [Staff::TotpSecret, Staff::TotpEnabledAt, Staff::TotpLastStep] {
            m.alter_table(Table::alter().table(Staff::Table).drop_column(col).to_owned()).await?;
        }
        Ok(())
    }
}
