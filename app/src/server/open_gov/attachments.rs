//! An entry's attachments (附件): files an editor attaches to the working copy, approved with it.
//!
//! - Attaching or taking off a file is an edit (`EntryStep::Edit`): the working copy goes back to
//!   draft and waits for a second editor's approval like a change of its text; the public keeps
//!   reading the approved version, with that version's files.
//! - An approved version holds the ids of its files (`open_versions.attachments`). A file taken off
//!   the working copy stays in the store while a version holds it; one no version holds is deleted.
//! - What may be attached: `rules::open::check_attachment` (PDF / OFD / images, by their content).
//! - The public reads a file only through the entry's public version; an editor of the entry's
//!   department reads any of its files (the approver sees what they approve).

use chrono::NaiveDate;
use rules::open::{check_attachment, room_for, AttachmentRefused, ATTACHMENT_MAX_BYTES};
use rules::Lang;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};
use sea_orm::{QueryOrder, Set, TransactionTrait};

use super::access::{edit_at, editable, editor_departments, mine, staff_id, stale, write_at};
use super::public_on;
use crate::models::{FileView, SessionUser};
use crate::server::entities::{open_attachment, open_entry, open_version};
use crate::server::error::AppError;
use crate::server::files::{forget, ByteStream, FileStore, FileStoreError};

/// The field the attachment form's errors are shown at (`m_` + the upload's material name).
pub const FIELD: &str = "attachment";

fn refused(r: AttachmentRefused, lang: Lang) -> AppError {
    AppError::field(format!("m_{FIELD}"), r.message(lang))
}

/// The files the entry's working copy holds, in the order attached.
pub async fn of_draft(db: &impl ConnectionTrait, entry_id: i32) -> Result<Vec<open_attachment::Model>, AppError> {
    Ok(open_attachment::Entity::find()
        .filter(open_attachment::Column::EntryId.eq(entry_id))
        .filter(open_attachment::Column::InDraft.eq(true))
        .order_by_asc(open_attachment::Column::Id)
        .all(db)
        .await?)
}

/// The files a version holds, in its order.
pub async fn of_version(
    db: &impl ConnectionTrait,
    v: &open_version::Model,
) -> Result<Vec<open_attachment::Model>, AppError> {
    let ids = &v.attachments.0;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows = open_attachment::Entity::find()
        .filter(open_attachment::Column::EntryId.eq(v.entry_id))
        .filter(open_attachment::Column::Id.is_in(ids.clone()))
        .all(db)
        .await?;
    rows.sort_by_key(|a| ids.iter().position(|i| *i == a.id));
    Ok(rows)
}

/// Whether the caller may attach to entry `id` now, and the room it has: the largest file, for the
/// upload to refuse a larger body before reading it, and what the form is called.
pub async fn cap(
    db: &impl ConnectionTrait,
    user: &SessionUser,
    id: i32,
    lang: Lang,
) -> Result<(u64, String), AppError> {
    let deps = editor_departments(Some(user))?;
    let e = mine(db, &deps, id).await?;
    editable(&e, staff_id(Some(user))?, lang)?;
    room_for(of_draft(db, id).await?.len()).map_err(|r| refused(r, lang))?;
    Ok((ATTACHMENT_MAX_BYTES, lang.pick("附件", "附件", "Attachment").into()))
}

/// Streams a file into the store and attaches it to the working copy of entry `id`: checked by its
/// content, in one transaction with the entry's next version (a concurrent change refuses it).
#[allow(clippy::too_many_arguments)]
pub async fn add(
    db: &DatabaseConnection,
    store: &dyn FileStore,
    user: &SessionUser,
    id: i32,
    file_name: &str,
    body: ByteStream,
    lang: Lang,
    today: NaiveDate,
) -> Result<FileView, AppError> {
    let deps = editor_departments(Some(user))?;
    let me = staff_id(Some(user))?;
    let seen = mine(db, &deps, id).await?.version;
    let stored = match store.put(body, Some(ATTACHMENT_MAX_BYTES)).await {
        Ok(s) => s,
        Err(FileStoreError::TooLarge { limit }) => {
            let r = rules::materials::CorrectionReason::TooLarge { max_bytes: limit };
            return Err(refused(AttachmentRefused::File(r), lang));
        }
        Err(e) => return Err(AppError::internal(e)),
    };
    let written = async {
        let tx = db.begin().await?;
        let e = mine(&tx, &deps, id).await?;
        if e.version != seen {
            return Err(stale(lang));
        }
        let status = editable(&e, me, lang)?;
        let held = of_draft(&tx, id).await?.len();
        let file_type =
            check_attachment(rules::materials::sniff(&stored.head), stored.size, held).map_err(|r| refused(r, lang))?;
        let now = crate::server::clock::stamp(today);
        let row = open_attachment::ActiveModel {
            entry_id: Set(id),
            file_name: Set(crate::server::journey::clean_file_name(file_name)),
            size: Set(stored.size as i64),
            file_type: Set(file_type),
            sha256: Set(stored.sha256.clone()),
            storage_key: Set(stored.key.clone()),
            added_by: Set(me),
            added_at: Set(now),
            in_draft: Set(true),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        write_at(&tx, edit_at(id, seen, status, now), lang).await?;
        tx.commit().await?;
        Ok(FileView {
            id: row.id,
            material_code: FIELD.into(),
            file_name: row.file_name,
            size: stored.size,
            file_type,
            sha256: row.sha256,
        })
    }
    .await;
    if written.is_err() {
        forget(store, &stored.key, "a refused attachment").await;
    }
    written
}

/// Takes file `file` off the working copy of entry `id`, at the version the editor saw. A file no
/// approved version holds is deleted, from the store too; else it stays for those versions.
#[allow(clippy::too_many_arguments)]
pub async fn remove(
    db: &DatabaseConnection,
    store: &dyn FileStore,
    user: &SessionUser,
    id: i32,
    seen: i32,
    file: i32,
    lang: Lang,
    today: NaiveDate,
) -> Result<(), AppError> {
    let deps = editor_departments(Some(user))?;
    let me = staff_id(Some(user))?;
    let tx = db.begin().await?;
    let e = mine(&tx, &deps, id).await?;
    let status = editable(&e, me, lang)?;
    let a = open_attachment::Entity::find_by_id(file)
        .filter(open_attachment::Column::EntryId.eq(id))
        .filter(open_attachment::Column::InDraft.eq(true))
        .one(&tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let held_by_a_version = open_version::Entity::find()
        .filter(open_version::Column::EntryId.eq(id))
        .all(&tx)
        .await?
        .iter()
        .any(|v| v.attachments.0.contains(&file));
    if held_by_a_version {
        let mut am: open_attachment::ActiveModel = a.clone().into();
        am.in_draft = Set(false);
        am.update(&tx).await?;
    } else {
        open_attachment::Entity::delete_by_id(file).exec(&tx).await?;
    }
    write_at(&tx, edit_at(id, seen, status, crate::server::clock::stamp(today)), lang).await?;
    tx.commit().await?;
    if !held_by_a_version {
        forget(store, &a.storage_key, "a removed attachment").await;
    }
    Ok(())
}

/// File `file` of entry `id` as the public reads it today: held by the entry's public version.
pub async fn public_file(
    db: &impl ConnectionTrait,
    today: NaiveDate,
    id: i32,
    file: i32,
) -> Result<open_attachment::Model, AppError> {
    let e = open_entry::Entity::find_by_id(id).filter(public_on(today)).one(db).await?.ok_or(AppError::NotFound)?;
    let no = e.public_version.ok_or(AppError::NotFound)?;
    let v = open_version::Entity::find()
        .filter(open_version::Column::EntryId.eq(id))
        .filter(open_version::Column::No.eq(no))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if !v.attachments.0.contains(&file) {
        return Err(AppError::NotFound);
    }
    open_attachment::Entity::find_by_id(file).one(db).await?.ok_or(AppError::NotFound)
}

/// File `file` of entry `id` for an editor of its department: any the entry has held.
pub async fn editor_file(
    db: &impl ConnectionTrait,
    user: Option<&SessionUser>,
    id: i32,
    file: i32,
) -> Result<open_attachment::Model, AppError> {
    let deps = editor_departments(user)?;
    mine(db, &deps, id).await?;
    open_attachment::Entity::find_by_id(file)
        .filter(open_attachment::Column::EntryId.eq(id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// What the working copy holds, for the version an approval makes.
pub async fn approved_with(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<crate::server::entities::open_version::AttachmentIds, AppError> {
    Ok(crate::server::entities::open_version::AttachmentIds(of_draft(db, id).await?.iter().map(|a| a.id).collect()))
}
