//! Foundation: departments, staff and their roles, applicants, sessions, login throttling,
//! the holiday calendar, the item catalog and stored files.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Departments {
    Table,
    Id,
    Code,
    Name,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Staff {
    Table,
    Id,
    Username,
    DisplayName,
    PasswordHash,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum StaffRoles {
    Table,
    Id,
    StaffId,
    DepartmentId,
    Role,
}

#[derive(DeriveIden)]
enum Applicants {
    Table,
    Id,
    Kind,
    Name,
    IdCardNo,
    CreditCode,
    ContactName,
    Mobile,
    PasswordHash,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    IdHash,
    PrincipalKind,
    PrincipalId,
    CreatedAt,
    ExpiresAt,
    Ip,
}

#[derive(DeriveIden)]
enum LoginFailures {
    Table,
    Id,
    AccountKey,
    Ip,
    At,
}

#[derive(DeriveIden)]
enum CalendarYears {
    Table,
    Year,
    Source,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CalendarDays {
    Table,
    Date,
    Year,
    Kind,
    Name,
}

#[derive(DeriveIden)]
enum Items {
    Table,
    Id,
    Code,
    Version,
    DepartmentId,
    Name,
    Summary,
    Rules,
    Published,
    CreatedAt,
}

#[derive(DeriveIden)]
enum StoredFiles {
    Table,
    Id,
    StorageKey,
    Sha256,
    Size,
    Mime,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Departments::Table)
                .col(pk_auto(Departments::Id))
                .col(string_len_uniq(Departments::Code, 16))
                .col(string(Departments::Name))
                .col(timestamp_with_time_zone(Departments::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Staff::Table)
                .col(pk_auto(Staff::Id))
                .col(string_len_uniq(Staff::Username, 64))
                .col(string(Staff::DisplayName))
                .col(string(Staff::PasswordHash))
                .col(boolean(Staff::Active).default(true))
                .col(timestamp_with_time_zone(Staff::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(StaffRoles::Table)
                .col(pk_auto(StaffRoles::Id))
                .col(integer(StaffRoles::StaffId))
                .col(integer(StaffRoles::DepartmentId))
                .col(string_len(StaffRoles::Role, 32))
                .foreign_key(
                    ForeignKey::create()
                        .from(StaffRoles::Table, StaffRoles::StaffId)
                        .to(Staff::Table, Staff::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(StaffRoles::Table, StaffRoles::DepartmentId)
                        .to(Departments::Table, Departments::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_staff_roles")
                .table(StaffRoles::Table)
                .col(StaffRoles::StaffId)
                .col(StaffRoles::DepartmentId)
                .col(StaffRoles::Role)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Applicants::Table)
                .col(pk_auto(Applicants::Id))
                .col(string_len(Applicants::Kind, 16))
                .col(string(Applicants::Name))
                .col(string_len_null(Applicants::IdCardNo, 18).unique_key())
                .col(string_len_null(Applicants::CreditCode, 18).unique_key())
                .col(string_null(Applicants::ContactName))
                .col(string_len(Applicants::Mobile, 11))
                // NULL for applicants a clerk entered at the counter without an account password.
                .col(string_null(Applicants::PasswordHash))
                .col(timestamp_with_time_zone(Applicants::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_applicants_mobile").table(Applicants::Table).col(Applicants::Mobile).to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(string_len(Sessions::IdHash, 64).primary_key())
                .col(string_len(Sessions::PrincipalKind, 16))
                .col(integer(Sessions::PrincipalId))
                .col(timestamp_with_time_zone(Sessions::CreatedAt))
                .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                .col(string_len_null(Sessions::Ip, 64))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_sessions_expires").table(Sessions::Table).col(Sessions::ExpiresAt).to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(LoginFailures::Table)
                .col(pk_auto(LoginFailures::Id))
                .col(string_len(LoginFailures::AccountKey, 128))
                .col(string_len(LoginFailures::Ip, 64))
                .col(timestamp_with_time_zone(LoginFailures::At))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_login_failures_key")
                .table(LoginFailures::Table)
                .col(LoginFailures::AccountKey)
                .col(LoginFailures::At)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_login_failures_ip")
                .table(LoginFailures::Table)
                .col(LoginFailures::Ip)
                .col(LoginFailures::At)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CalendarYears::Table)
                .col(integer(CalendarYears::Year).primary_key())
                .col(string(CalendarYears::Source))
                .col(timestamp_with_time_zone(CalendarYears::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CalendarDays::Table)
                .col(date(CalendarDays::Date).primary_key())
                .col(integer(CalendarDays::Year))
                .col(string_len(CalendarDays::Kind, 16))
                .col(string(CalendarDays::Name))
                .foreign_key(
                    ForeignKey::create()
                        .from(CalendarDays::Table, CalendarDays::Year)
                        .to(CalendarYears::Table, CalendarYears::Year)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Items::Table)
                .col(pk_auto(Items::Id))
                .col(string_len(Items::Code, 32))
                .col(integer(Items::Version))
                .col(integer(Items::DepartmentId))
                .col(string(Items::Name))
                .col(text(Items::Summary))
                .col(text(Items::Rules))
                .col(boolean(Items::Published).default(true))
                .col(timestamp_with_time_zone(Items::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Items::Table, Items::DepartmentId)
                        .to(Departments::Table, Departments::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_items_code_version")
                .table(Items::Table)
                .col(Items::Code)
                .col(Items::Version)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(StoredFiles::Table)
                .col(pk_auto(StoredFiles::Id))
                .col(string_len_uniq(StoredFiles::StorageKey, 128))
                .col(string_len(StoredFiles::Sha256, 64))
                .col(big_integer(StoredFiles::Size))
                .col(string_len(StoredFiles::Mime, 64))
                .col(timestamp_with_time_zone(StoredFiles::CreatedAt))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            StoredFiles::Table.into_iden(),
            Items::Table.into_iden(),
            CalendarDays::Table.into_iden(),
            CalendarYears::Table.into_iden(),
            LoginFailures::Table.into_iden(),
            Sessions::Table.into_iden(),
            Applicants::Table.into_iden(),
            StaffRoles::Table.into_iden(),
            Staff::Table.into_iden(),
            Departments::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
