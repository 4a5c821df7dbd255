//! Who may do what at the editors' desk: an editor (`Role::Publisher`) of the entry's department,
//! on a working copy that may change now (`rules::open::step`), at the version seen.

use chrono::{DateTime, Utc};
use rules::open::{EntryStatus, EntryStep};
use rules::{Lang, Role};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, UpdateMany};

use crate::models::SessionUser;
use crate::server::entities::open_entry;
use crate::server::error::AppError;
use crate::server::guard;

/// The departments where the caller is an editor.
pub(super) fn editor_departments(user: Option<&SessionUser>) -> Result<Vec<i32>, AppError> {
    guard::require_staff(user, &[Role::Publisher], None)
}

pub(super) fn staff_id(user: Option<&SessionUser>) -> Result<i32, AppError> {
    match user {
        Some(SessionUser::Staff { id, .. }) => Ok(*id),
        _ => Err(AppError::Forbidden),
    }
}

/// The entry `id` of one of the caller's departments, else `Forbidden` / `NotFound`.
pub(super) async fn mine(db: &impl ConnectionTrait, deps: &[i32], id: i32) -> Result<open_entry::Model, AppError> {
    let e = open_entry::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    if deps.contains(&e.department_id) {
        Ok(e)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Whether `me` may change entry `e`'s working copy (its text, its files): the status it has then.
pub(super) fn editable(e: &open_entry::Model, me: i32, lang: Lang) -> Result<EntryStatus, AppError> {
    if !e.kind.written() {
        return Err(AppError::Forbidden);
    }
    rules::open::step(e.status, EntryStep::Edit, me, e.sent_by, e.public_version.is_some())
        .map_err(|r| AppError::field("_form", r.message(lang)))
}

pub(super) fn stale(lang: Lang) -> AppError {
    AppError::field(
        "_form",
        lang.pick(
            "该条目已被他人修改，请刷新后重试",
            "該條目已被他人修改，請重新整理後重試",
            "Someone else changed this entry: reload and try again",
        ),
    )
}

/// The write of entry `id`'s working copy after an edit (of its text, of its files): the status
/// [`editable`] gave, sent by nobody, the next version — if it is still at version `seen`.
pub(super) fn edit_at(id: i32, seen: i32, status: EntryStatus, now: DateTime<Utc>) -> UpdateMany<open_entry::Entity> {
    open_entry::Entity::update_many()
        .col_expr(open_entry::Column::Status, Expr::value(status))
        .col_expr(open_entry::Column::SentBy, Expr::value(Option::<i32>::None))
        .filter(open_entry::Column::Id.eq(id))
        .filter(open_entry::Column::Version.eq(seen))
        .col_expr(open_entry::Column::Version, Expr::value(seen + 1))
        .col_expr(open_entry::Column::UpdatedAt, Expr::value(now))
}

/// Runs a write made at a version seen ([`edit_at`]): refused when someone changed the entry since.
pub(super) async fn write_at(
    db: &impl ConnectionTrait,
    up: UpdateMany<open_entry::Entity>,
    lang: Lang,
) -> Result<(), AppError> {
    if up.exec(db).await?.rows_affected == 1 {
        Ok(())
    } else {
        Err(stale(lang))
    }
}
