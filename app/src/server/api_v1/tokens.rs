//! API tokens: issued by an admin for some departments, shown once, revoked, expiring after
//! `TOKEN_DAYS`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rules::{Lang, Role};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};

use super::super::entities::{api_token, department, token_reveal};
use super::super::error::AppError;
use super::super::guard::require_staff;
use crate::models::SessionUser;

/// Issues a token for `departments` (an admin's); returns the row and the token, shown once.
pub async fn issue(
    db: &DatabaseConnection,
    user: Option<&SessionUser>,
    name: &str,
    departments: &[i32],
    lang: Lang,
) -> Result<(api_token::Model, String), AppError> {
    let allowed = require_staff(user, &[Role::Admin], None)?;
    let Some(SessionUser::Staff { id, .. }) = user else { return Err(AppError::Forbidden) };
    let mut errors = Vec::new();
    let name = name.trim();
    if name.is_empty() {
        errors.push(("name".to_string(), lang.pick("请填写使用方名称", "請填寫使用方名稱", "Name who uses it").into()));
    }
    if departments.is_empty() {
        errors.push((
            "departments".into(),
            lang.pick("请至少选择一个部门", "請至少選擇一個部門", "Choose at least one department").into(),
        ));
    }
    if departments.iter().any(|d| !allowed.contains(d)) {
        return Err(AppError::Forbidden);
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    use base64::Engine;
    let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>());
    let token = format!("tb_{secret}");
    let m = api_token::ActiveModel {
        name: Set(name.chars().take(100).collect()),
        prefix: Set(token.chars().take(10).collect()),
        token_hash: Set(super::super::auth::token_hash(&token)),
        departments: Set(serde_json::to_string(departments).map_err(AppError::internal)?),
        created_by: Set(*id),
        created_at: Set(Utc::now()),
        revoked_at: Set(None),
        last_used_at: Set(None),
        expires_at: Set(Some(Utc::now() + chrono::Duration::days(TOKEN_DAYS))),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok((m, token))
}

/// Keeps a new token for its issuer's next page, once: returns the id to show it by.
pub async fn keep_for_reveal(db: &DatabaseConnection, staff_id: i32, token: &str) -> Result<String, AppError> {
    use base64::Engine;
    let id = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 24]>());
    token_reveal::Entity::delete_many().filter(token_reveal::Column::ExpiresAt.lt(Utc::now())).exec(db).await?;
    token_reveal::ActiveModel {
        id: Set(id.clone()),
        staff_id: Set(staff_id),
        token: Set(token.into()),
        expires_at: Set(Utc::now() + chrono::Duration::minutes(5)),
        taken_by: Set(None),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// The new token kept under `id`, for the member of staff who issued it, within its five
/// minutes, to one request: the first to ask (by its `x-request-id`) takes it, and every run of
/// that request's page loader reads it again; any other request finds it taken. (A page's loader
/// may run more than once in one render, not always with the render's context: what one run takes
/// must not be gone for the other.) Without a request id it is shown never.
pub async fn take_reveal(
    db: &DatabaseConnection,
    user: Option<&SessionUser>,
    id: &str,
    request: Option<&str>,
) -> Result<Option<String>, AppError> {
    let (Some(SessionUser::Staff { id: me, .. }), Some(request)) = (user, request) else { return Ok(None) };
    let mine = || {
        Condition::all()
            .add(token_reveal::Column::Id.eq(id))
            .add(token_reveal::Column::StaffId.eq(*me))
            .add(token_reveal::Column::ExpiresAt.gt(Utc::now()))
    };
    token_reveal::Entity::update_many()
        .col_expr(token_reveal::Column::TakenBy, Expr::value(request))
        .filter(mine())
        .filter(token_reveal::Column::TakenBy.is_null())
        .exec(db)
        .await?;
    let shown =
        token_reveal::Entity::find().filter(mine()).filter(token_reveal::Column::TakenBy.eq(request)).one(db).await?;
    Ok(shown.map(|r| r.token))
}

/// Revokes token `id`, one of the caller's ([`list`]).
pub async fn revoke(db: &DatabaseConnection, user: Option<&SessionUser>, id: i32) -> Result<(), AppError> {
    if !list(db, user).await?.iter().any(|t| t.id == id) {
        return Err(AppError::NotFound);
    }
    let res = api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(api_token::Column::Id.eq(id))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    AppError::one_row(res.rows_affected)
}

/// The tokens an admin administers: those that read only departments it is admin of.
pub async fn list(db: &DatabaseConnection, user: Option<&SessionUser>) -> Result<Vec<api_token::Model>, AppError> {
    let allowed = require_staff(user, &[Role::Admin], None)?;
    let within = |t: &api_token::Model| {
        serde_json::from_str::<Vec<i32>>(&t.departments).is_ok_and(|d| d.iter().all(|d| allowed.contains(d)))
    };
    Ok(api_token::Entity::find()
        .order_by_desc(api_token::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter(within)
        .collect())
}

/// Requests per token per minute, counted for all nodes together (in the database).
pub const RATE_PER_MINUTE: u32 = 120;

/// A token's life: a year.
pub const TOKEN_DAYS: i64 = 365;

/// When token `t` stops working: its own expiry, or a year after its issue for the tokens
/// issued before tokens expired.
pub fn expires_of(t: &api_token::Model) -> DateTime<Utc> {
    t.expires_at.unwrap_or(t.created_at + chrono::Duration::days(TOKEN_DAYS))
}

/// The token list for the admin's page.
pub async fn token_lines(
    db: &DatabaseConnection,
    user: Option<&SessionUser>,
) -> Result<(Vec<crate::models::TokenLine>, Vec<(i32, String)>), AppError> {
    let tokens = list(db, user).await?;
    let allowed = require_staff(user, &[Role::Admin], None)?;
    let deps: BTreeMap<i32, String> =
        department::Entity::find().all(db).await?.into_iter().map(|d| (d.id, d.name)).collect();
    let stamp = |t: Option<DateTime<Utc>>| {
        t.map(|t| (t + chrono::Duration::hours(8)).format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default()
    };
    let lines = tokens
        .into_iter()
        .map(|t| {
            let ids: Vec<i32> = serde_json::from_str(&t.departments).unwrap_or_default();
            let expires = expires_of(&t);
            crate::models::TokenLine {
                id: t.id,
                name: t.name,
                prefix: t.prefix,
                departments: ids.iter().filter_map(|i| deps.get(i).cloned()).collect::<Vec<_>>().join("、"),
                created: stamp(Some(t.created_at)),
                last_used: stamp(t.last_used_at),
                expires: stamp(Some(expires)),
                revoked: t.revoked_at.is_some(),
            }
        })
        .collect();
    let mut mine: Vec<(i32, String)> = deps.into_iter().filter(|(id, _)| allowed.contains(id)).collect();
    mine.dedup();
    Ok((lines, mine))
}
