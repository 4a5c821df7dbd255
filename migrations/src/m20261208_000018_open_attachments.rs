//! 政务公开 (issue J1): the files attached to an entry.
//!
//! - `open_attachments`: one row per file an editor attached, never changed but for `in_draft`:
//!   whether the entry's working copy still holds it. A file no approved version holds is deleted
//!   outright when it is taken off; one that a version holds stays, for that version.
//! - `open_versions.attachments`: the ids of the files each approved version holds (JSON), so the
//!   public reads the files that were approved with the text, and an edit waits for its approval.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OpenAttachments {
    Table,
    Id,
    EntryId,
    FileName,
    Size,
    FileType,
    Sha256,
    StorageKey,
    AddedBy,
    AddedAt,
    InDraft,
}

#[derive(DeriveIden)]
enum OpenVersions {
    Table,
    Attachments,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(OpenAttachments::Table)
                .col(pk_auto(OpenAttachments::Id))
                .col(integer(OpenAttachments::EntryId))
                .col(string_len(OpenAttachments::FileName, 200))
                .col(big_integer(OpenAttachments::Size))
                .col(string_len(OpenAttachments::FileType, 16))
                .col(string_len(OpenAttachments::Sha256, 64))
                .col(string_len(OpenAttachments::StorageKey, 200))
                .col(integer(OpenAttachments::AddedBy))
                .col(timestamp_with_time_zone(OpenAttachments::AddedAt))
                .col(boolean(OpenAttachments::InDraft).default(true))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_open_attachments_entry")
                .table(OpenAttachments::Table)
                .col(OpenAttachments::EntryId)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(OpenVersions::Table)
                .add_column(text(OpenVersions::Attachments).default("[]"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(OpenVersions::Table).drop_column(OpenVersions::Attachments).to_owned())
            .await?;
        m.drop_table(Table::drop().table(OpenAttachments::Table).to_owned()).await
    }
}
