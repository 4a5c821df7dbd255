//! Who may do what at the editors' desk: an editor (`Role::Publisher`) of the entry's department,
//! on a working copy that may change now (`rules::open::step`), at the version seen.

use rules::open::{EntryStatus, EntryStep};
use rules::{Lang, Role};
use sea_orm::{ConnectionTrait, EntityTrait};

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
