//! Administration without a developer: departments, staff accounts and their roles, the item
//! catalog (every change is a new version; cases keep the version they were submitted under),
//! the holiday calendar (edit a day, import a year's schedule file) and notification templates.
//! One server function, `api::admin_act`, takes every [`AdminCommand`]; each checks the admin role. What the admin
//! pages read is in `views`, what the form does in `actions`.

use std::collections::BTreeMap;

use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate, Utc};
use leptos::server_fn::ServerFnError;
use rules::calendar::{parse_schedule, DayKind};
use rules::item::ItemRules;
use rules::{Lang, Role};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};

use super::edge::{back_with_errors, notice, see_other, Caller, FormCall};
use super::entities::{calendar_day, calendar_year, department, item, staff, staff_role, template};
use super::error::AppError;
use super::guard::require_staff;
use super::state::AppState;
use crate::models::{AdminCommand, SessionUser};

pub(super) fn admin(user: Option<&SessionUser>) -> Result<i32, AppError> {
    require_staff(user, &[Role::Admin], None)?;
    match user {
        Some(SessionUser::Staff { id, .. }) => Ok(*id),
        _ => Err(AppError::Forbidden),
    }
}

mod actions;
mod views;
pub use actions::act;
pub use views::*;

/// The body of the server function `admin_act` (every admin form posts to it): the command,
/// then to the page it concerns with what was done, or back to the form's page (`back`, an admin
/// page) with its values and errors.
pub async fn act_form(back: String, command: AdminCommand) -> Result<(), ServerFnError> {
    let mut call = FormCall::current()?;
    let reply = reply(&mut call, &back, &command).await;
    call.answer(reply)
}

async fn reply(call: &mut FormCall, back: &str, command: &AdminCommand) -> Response {
    let (st, lang) = (call.st.clone(), call.lang);
    let user = match call.extract::<Caller>().await {
        Ok(Caller(Some(u))) => u,
        Ok(Caller(None)) => return see_other("/staff/login?next=/staff/admin", vec![]),
        Err(e) => return e.into_response(),
    };
    match act(&st, Some(&user), command, lang).await {
        Ok((to, msg)) => see_other(&to, vec![notice(&st, "admin", msg)]),
        Err(e @ (AppError::Forbidden | AppError::Unauthorized | AppError::NotFound)) => e.into_response(),
        Err(e) => {
            let back = if back.starts_with("/staff/admin") { back } else { "/staff/admin" };
            back_with_errors(&st, back, "admin", command.values(), &e, lang)
        }
    }
}
