//! The security log (ASVS V7): every sign-in (success and failure), every admin action, every API
//! token issued, used or revoked, every look-up of a person's data without a case (the counter's
//! search by ID number, an applicant's profile). Rows are only ever inserted.
//!
//! API tokens expire: a year after their issue, those issued before included. A staff session
//! also ends after 30 idle minutes (`sessions.last_seen_at`); a password an admin set must be
//! changed at the next sign-in (`staff.must_change_password`).
//!
//! The audit anchors: each seals the events written since the one before (their ids and hashes
//! chained into one root), points at the one before, and is signed (Ed25519) with the key from
//! the configuration: a deleted tail of a case's events, or a deleted case, no longer matches.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SecurityLog {
    Table,
    Id,
    At,
    ActorKind,
    ActorId,
    Event,
    Target,
    Outcome,
    Address,
    Detail,
}

#[derive(DeriveIden)]
enum AuditAnchors {
    Table,
    Id,
    At,
    FirstEventId,
    LastEventId,
    Events,
    Root,
    Prev,
    PublicKey,
    Signature,
}

#[derive(DeriveIden)]
enum TokenReveals {
    Table,
    Id,
    StaffId,
    Token,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    LastSeenAt,
}

#[derive(DeriveIden)]
enum Staff {
    Table,
    MustChangePassword,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    ExpiresAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(SecurityLog::Table)
                .col(pk_auto(SecurityLog::Id))
                .col(timestamp_with_time_zone(SecurityLog::At))
                .col(string_len(SecurityLog::ActorKind, 16))
                .col(integer_null(SecurityLog::ActorId))
                .col(string_len(SecurityLog::Event, 32))
                .col(string_len(SecurityLog::Target, 96))
                .col(string_len(SecurityLog::Outcome, 16))
                .col(string_len(SecurityLog::Address, 64))
                .col(string_len(SecurityLog::Detail, 256))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_security_log_actor")
                .table(SecurityLog::Table)
                .col(SecurityLog::ActorKind)
                .col(SecurityLog::ActorId)
                .col(SecurityLog::At)
                .to_owned(),
        )
        .await?;
        // empty for the tokens issued before: they expire a year after their issue
        m.alter_table(
            Table::alter()
                .table(ApiTokens::Table)
                .add_column(timestamp_with_time_zone_null(ApiTokens::ExpiresAt))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Sessions::Table)
                .add_column(timestamp_with_time_zone_null(Sessions::LastSeenAt))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter().table(Staff::Table).add_column(boolean(Staff::MustChangePassword).default(false)).to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AuditAnchors::Table)
                .col(pk_auto(AuditAnchors::Id))
                .col(timestamp_with_time_zone(AuditAnchors::At))
                .col(integer(AuditAnchors::FirstEventId))
                .col(integer(AuditAnchors::LastEventId))
                .col(big_integer(AuditAnchors::Events))
                .col(string_len(AuditAnchors::Root, 64))
                .col(string_len(AuditAnchors::Prev, 64))
                .col(string_len(AuditAnchors::PublicKey, 64))
                .col(string_len(AuditAnchors::Signature, 128))
                .to_owned(),
        )
        .await?;
        // a new API token waits here, for its issuer, until the page that shows it once (never a cookie)
        m.create_table(
            Table::create()
                .table(TokenReveals::Table)
                .col(string_len(TokenReveals::Id, 64).primary_key())
                .col(integer(TokenReveals::StaffId))
                .col(string_len(TokenReveals::Token, 128))
                .col(timestamp_with_time_zone(TokenReveals::ExpiresAt))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(TokenReveals::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(AuditAnchors::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(Staff::Table).drop_column(Staff::MustChangePassword).to_owned()).await?;
        m.alter_table(Table::alter().table(Sessions::Table).drop_column(Sessions::LastSeenAt).to_owned()).await?;
        m.alter_table(Table::alter().table(ApiTokens::Table).drop_column(ApiTokens::ExpiresAt).to_owned()).await?;
        m.drop_table(Table::drop().table(SecurityLog::Table).to_owned()).await
    }
}
