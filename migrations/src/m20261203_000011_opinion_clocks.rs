//! Opinion clocks (issue F, item 10): a review stage or a co-department that lets its opinion's
//! term pass is held to account like a case's own clock, so an accountability record belongs to
//! the department whose deadline it was; a case may owe two co-departments' opinions due the same
//! day, each its own record. The sweep reads the open opinions past their due date by index.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AccountabilityRecords {
    Table,
    CaseId,
    Kind,
    DueOn,
    DepartmentId,
}

#[derive(DeriveIden)]
enum CaseTasks {
    Table,
    AnsweredOn,
    DueOn,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection().execute_unprepared("DROP INDEX IF EXISTS ux_accountability_once").await?;
        m.create_index(
            Index::create()
                .name("ux_accountability_once_by_department")
                .table(AccountabilityRecords::Table)
                .col(AccountabilityRecords::CaseId)
                .col(AccountabilityRecords::Kind)
                .col(AccountabilityRecords::DueOn)
                .col(AccountabilityRecords::DepartmentId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_case_tasks_due")
                .table(CaseTasks::Table)
                .col(CaseTasks::AnsweredOn)
                .col(CaseTasks::DueOn)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_case_tasks_due").table(CaseTasks::Table).to_owned()).await?;
        m.get_connection().execute_unprepared("DROP INDEX IF EXISTS ux_accountability_once_by_department").await?;
        m.create_index(
            Index::create()
                .name("ux_accountability_once")
                .table(AccountabilityRecords::Table)
                .col(AccountabilityRecords::CaseId)
                .col(AccountabilityRecords::Kind)
                .col(AccountabilityRecords::DueOn)
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
