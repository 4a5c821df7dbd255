//! Administration without a developer: departments, staff accounts and their roles, the item
//! catalog (every change is a new version; cases keep the version they were submitted under),
//! the holiday calendar (edit a day, import a year's schedule file) and notification templates.
//! One form endpoint, `/staff/admin/act`; every action checks the admin role. What the admin
//! pages read is in `views`, what the form does in `actions`.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use chrono::{Datelike, NaiveDate, Utc};
use rules::calendar::{parse_schedule, DayKind};
use rules::item::ItemRules;
use rules::{Lang, Role};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};

use super::edge::Caller;
use super::edge::{back_with_errors, notice, see_other};
use super::entities::{calendar_day, calendar_year, department, item, staff, staff_role, template};
use super::error::AppError;
use super::guard::require_staff;
use super::state::AppState;
use crate::models::Prefs;
use crate::models::SessionUser;

pub(super) type Form = BTreeMap<String, String>;

pub(super) fn admin(user: Option<&SessionUser>) -> Result<i32, AppError> {
    require_staff(user, &[Role::Admin], None)?;
    match user {
        Some(SessionUser::Staff { id, .. }) => Ok(*id),
        _ => Err(AppError::Forbidden),
    }
}

pub(super) fn get<'a>(f: &'a Form, k: &str) -> &'a str {
    f.get(k).map(|s| s.trim()).unwrap_or("")
}

mod actions;
mod views;
pub use actions::act;
pub use views::*;

pub fn routes() -> Router<AppState> {
    Router::new().route("/staff/admin/act", post(act_form))
}

async fn act_form(
    State(st): State<AppState>,
    Prefs { lang, .. }: Prefs,
    Caller(user): Caller,
    body: String,
) -> Response {
    let f: Form = serde_urlencoded::from_str(&body).unwrap_or_default();
    let Some(user) = user else { return see_other("/staff/login?next=/staff/admin", vec![]) };
    match act(&st, Some(&user), &f, lang).await {
        Ok((to, msg)) => see_other(&to, vec![notice(&st, "admin", msg)]),
        Err(e @ (AppError::Forbidden | AppError::Unauthorized | AppError::NotFound)) => e.into_response(),
        Err(e) => {
            let back = f.get("back").cloned().unwrap_or_else(|| "/staff/admin".into());
            let back = if back.starts_with("/staff/admin") { back } else { "/staff/admin".into() };
            let mut values = f.clone();
            values.remove("password");
            back_with_errors(&st, &back, "admin", values, &e, lang)
        }
    }
}
