//! Each step the law gives a term runs its own clock, and statistics judge the decision.
//!
//! - `due_for` says what `due_on` is the last day for (`rules::supervision::Term`): acceptance,
//!   correction, decision, fee notice, payment, delivery. A case ready for delivery is held to
//!   its delivery term (10 working days from the decision, 3 from payment), not its decision's.
//! - `decided_on` / `decision_due`: the day of the case's first decision (or refusal of
//!   acceptance) and the decision's due date then (the promised limit, suspensions excluded, the
//!   one extension included). The verdict columns of migration 7 now judge the decision
//!   (`rules::deadline::DecidedCase`), kept when it is made; statistics count cases by the day
//!   they were decided, not by the day someone closed them.
//! - `delivered_on` / `delivered_late`: delivery timeliness, its own figure.
//!
//! Existing rows: `due_for` from the state, the days from the events; the verdicts are cleared
//! and judged again on the decision by the server at start-up (`cases::judge_decided`, through
//! the partial index `ix_cases_unjudged`), which knows the calendar and the items' limits.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Cases {
    Table,
    DueFor,
    DecidedOn,
    DecisionDue,
    DeliveredOn,
    DeliveredLate,
    DepartmentId,
    ItemId,
    State,
    ClosedOnTime,
    ClosedEarly,
    ClosedSameDay,
    DaysUsed,
}

const BACKFILL: [&str; 6] = [
    "UPDATE cases SET due_for = CASE state \
       WHEN 'submitted' THEN 'acceptance' WHEN 'awaiting_correction' THEN 'correction' \
       WHEN 'accepted' THEN 'decision' WHEN 'in_review' THEN 'decision' WHEN 'suspended' THEN 'decision' \
       WHEN 'awaiting_payment' THEN 'payment' WHEN 'decided_grant' THEN 'delivery' \
       WHEN 'decided_deny' THEN 'delivery' WHEN 'ready_for_delivery' THEN 'delivery' ELSE NULL END",
    "UPDATE cases SET decided_on = (SELECT MIN(e.on_day) FROM case_events e \
       WHERE e.case_id = cases.id AND e.action = 'decide')",
    "UPDATE cases SET decided_on = (SELECT MAX(e.on_day) FROM case_events e \
       WHERE e.case_id = cases.id AND e.action IN ('reject', 'correction_expired')) \
     WHERE state = 'not_accepted'",
    "UPDATE cases SET delivered_on = (SELECT MAX(e.on_day) FROM case_events e \
       WHERE e.case_id = cases.id AND e.action = 'deliver')",
    "UPDATE cases SET days_used = NULL, closed_on_time = false, closed_early = false, closed_same_day = false",
    "CREATE INDEX ix_cases_unjudged ON cases (id) \
     WHERE decided_on IS NOT NULL AND accepted_on IS NOT NULL AND days_used IS NULL",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        let columns = [
            string_len_null(Cases::DueFor, 16),
            date_null(Cases::DecidedOn),
            date_null(Cases::DecisionDue),
            date_null(Cases::DeliveredOn),
            boolean(Cases::DeliveredLate).default(false).to_owned(),
        ];
        for mut c in columns {
            m.alter_table(Table::alter().table(Cases::Table).add_column(&mut c).to_owned()).await?;
        }
        for name in ["ix_cases_unjudged", "ix_cases_closed_stats"] {
            m.drop_index(Index::drop().name(name).table(Cases::Table).to_owned()).await?;
        }
        // Department first, as migration 7 found: statistics ask for departments and a range of days.
        m.create_index(
            Index::create()
                .name("ix_cases_decided_stats")
                .table(Cases::Table)
                .col(Cases::DepartmentId)
                .col(Cases::DecidedOn)
                .col(Cases::ItemId)
                .col(Cases::State)
                .col(Cases::ClosedOnTime)
                .col(Cases::ClosedEarly)
                .col(Cases::ClosedSameDay)
                .col(Cases::DaysUsed)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_cases_delivered_stats")
                .table(Cases::Table)
                .col(Cases::DepartmentId)
                .col(Cases::DeliveredOn)
                .col(Cases::ItemId)
                .col(Cases::DeliveredLate)
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        for sql in BACKFILL {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for name in ["ix_cases_unjudged", "ix_cases_delivered_stats", "ix_cases_decided_stats"] {
            m.drop_index(Index::drop().name(name).table(Cases::Table).to_owned()).await?;
        }
        for c in [Cases::DeliveredLate, Cases::DeliveredOn, Cases::DecisionDue, Cases::DecidedOn, Cases::DueFor] {
            m.alter_table(Table::alter().table(Cases::Table).drop_column(c).to_owned()).await?;
        }
        let db = m.get_connection();
        for sql in [
            "CREATE INDEX ix_cases_unjudged ON cases (id) WHERE state = 'closed' AND closed_on IS NULL",
            "CREATE INDEX ix_cases_closed_stats ON cases (department_id, closed_on, item_id, closed_on_time, \
             closed_early, closed_same_day, days_used)",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
