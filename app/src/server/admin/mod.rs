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

/// What an admin may administer: the departments it is admin of, and the county's shared
/// settings (departments, the calendar, notice templates) when it is admin of every department.
/// An admin of ZRZY makes nobody an approver of SCJG, resets no SCJG clerk's password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminScope {
    pub me: i32,
    pub departments: std::collections::BTreeSet<i32>,
    /// Admin of every department there is (系统管理员).
    pub county: bool,
}

impl AdminScope {
    pub async fn of(db: &DatabaseConnection, user: Option<&SessionUser>) -> Result<AdminScope, AppError> {
        let me = admin(user)?;
        let departments: std::collections::BTreeSet<i32> =
            require_staff(user, &[Role::Admin], None)?.into_iter().collect();
        let all: Vec<i32> = department::Entity::find().all(db).await?.into_iter().map(|d| d.id).collect();
        let county = all.iter().all(|d| departments.contains(d));
        Ok(AdminScope { me, departments, county })
    }

    /// Administers department `d`, or refuses.
    pub fn department(&self, d: i32) -> Result<(), AppError> {
        if self.departments.contains(&d) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The county's shared settings, or refuses.
    pub fn county(&self) -> Result<(), AppError> {
        if self.county {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Administers a member of staff who holds roles in `theirs`: never themself (no one grants
    /// themself a role or sets their own password here), and only when every department the staff
    /// member works in is this admin's (else an admin of one could take over an account of another).
    pub fn staff(&self, id: i32, theirs: &[i32]) -> Result<(), AppError> {
        if id == self.me || theirs.iter().any(|d| !self.departments.contains(d)) {
            Err(AppError::Forbidden)
        } else {
            Ok(())
        }
    }
}

/// The departments staff member `id` holds roles in.
pub(super) async fn departments_of_staff(db: &DatabaseConnection, id: i32) -> Result<Vec<i32>, AppError> {
    Ok(staff_role::Entity::find()
        .filter(staff_role::Column::StaffId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.department_id)
        .collect())
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
    let user = match call.signed_in("/staff/login?next=/staff/admin").await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let done = act(&st, Some(&user), command, lang).await;
    let done = logged(&st, Some(&user), command.event(), command.target(), call.client_ip(), done).await;
    match done {
        Ok((to, msg)) => see_other(&to, vec![notice(&st, "admin", msg)]),
        Err(e @ (AppError::Forbidden | AppError::Unauthorized | AppError::NotFound)) => e.into_response(),
        Err(e) => {
            let back = if back.starts_with("/staff/admin") { back } else { "/staff/admin" };
            back_with_errors(&st, back, "admin", command.values(), &e, lang)
        }
    }
}

/// The body of the server function `api::issue_token`: an `/api/v1` token for the chosen
/// departments, shown once in the notice.
pub async fn issue_token(name: String, departments: Vec<i32>) -> Result<(), ServerFnError> {
    let mut call = FormCall::current()?;
    let (st, lang) = (call.st.clone(), call.lang);
    let reply = match call.signed_in(&format!("/staff/login?next={TOKENS}")).await {
        Ok(user) => match logged(
            &st,
            Some(&user),
            "token.issue",
            format!("{} {departments:?}", name.trim()),
            call.client_ip(),
            super::api_v1::issue(&st.db, Some(&user), &name, &departments, lang).await,
        )
        .await
        {
            // the token goes to the page once, by a one-time id; never into a cookie
            Ok((_, token)) => match super::api_v1::keep_for_reveal(&st.db, staff_id(&user), &token).await {
                Ok(id) => see_other(&format!("{TOKENS}?shown={id}"), vec![]),
                Err(e) => e.into_response(),
            },
            Err(e @ (AppError::Forbidden | AppError::Unauthorized)) => e.into_response(),
            Err(e) => back_with_errors(&st, TOKENS, "tokens", [("name".to_string(), name)].into(), &e, lang),
        },
        Err(r) => r,
    };
    call.answer(reply)
}

/// The body of the server function `api::revoke_token`.
pub async fn revoke_token(id: i32) -> Result<(), ServerFnError> {
    let mut call = FormCall::current()?;
    let (st, lang) = (call.st.clone(), call.lang);
    let reply = match call.extract::<Caller>().await {
        Ok(Caller(user)) => match logged(
            &st,
            user.as_ref(),
            "token.revoke",
            format!("token {id}"),
            call.client_ip(),
            super::api_v1::revoke(&st.db, user.as_ref(), id).await,
        )
        .await
        {
            Ok(()) => see_other(
                TOKENS,
                vec![notice(&st, "tokens", lang.pick("令牌已吊销", "權杖已吊銷", "Token revoked").into())],
            ),
            Err(e) => e.into_response(),
        },
        Err(e) => e.into_response(),
    };
    call.answer(reply)
}

/// `done`, in the security log as `event` of `user` ([`super::audit::logged`]).
async fn logged<T>(
    st: &AppState,
    user: Option<&SessionUser>,
    event: &'static str,
    target: String,
    address: &str,
    done: Result<T, AppError>,
) -> Result<T, AppError> {
    super::audit::logged(&st.db, super::audit::Who::of(user), event, target, address, done).await
}

fn staff_id(user: &SessionUser) -> i32 {
    match user {
        SessionUser::Staff { id, .. } => *id,
        _ => 0,
    }
}

/// The API tokens page.
const TOKENS: &str = "/staff/admin/tokens";
