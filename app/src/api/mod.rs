//! Server functions: thin glue that finds the caller, asks the guard, calls a service and maps
//! errors to safe messages (with the right HTTP status).

use leptos::prelude::*;
use leptos::server_fn::ServerFnError;

use crate::models::{Flash, ItemSummary, SessionUser};
use serde::{Deserialize, Serialize};

mod admin;
mod auth;
mod backoffice;
mod bundles;
mod journey;
mod open_gov;
mod supervision;
pub use admin::*;
pub use auth::*;
pub use backoffice::*;
pub use bundles::*;
pub use journey::*;
pub use open_gov::*;
pub use supervision::*;

#[cfg(feature = "ssr")]
mod glue {
    use http::HeaderMap;
    use leptos::prelude::*;
    use leptos::server_fn::ServerFnError;
    use rules::Lang;

    use crate::server::{edge::prefs_of, AppError, AppState};

    pub struct Ctx {
        pub state: AppState,
        pub headers: HeaderMap,
        pub lang: Lang,
    }

    pub async fn ctx() -> Result<Ctx, ServerFnError> {
        let state = use_context::<AppState>().ok_or_else(|| ServerFnError::new("server state missing"))?;
        let headers: HeaderMap = leptos_axum::extract().await?;
        let lang = prefs_of(&headers).lang;
        Ok(Ctx { state, headers, lang })
    }

    /// Maps an error to a safe message and sets the response status.
    pub fn fail(e: AppError, lang: Lang) -> ServerFnError {
        if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
            resp.set_status(e.status());
        }
        ServerFnError::new(e.message(lang))
    }
}

#[server(prefix = "/api", endpoint = "whoami")]
pub async fn whoami() -> Result<Option<SessionUser>, ServerFnError> {
    let c = glue::ctx().await?;
    crate::server::guard::render_caller(&c.state, &c.headers).await.map_err(|e| glue::fail(e, c.lang))
}

/// Takes the flash of `form` (and clears the cookie), if the browser carries one.
#[server(prefix = "/api", endpoint = "take_flash")]
pub async fn take_flash(form: String) -> Result<Option<Flash>, ServerFnError> {
    use crate::models::flash_cookie_name;
    let c = glue::ctx().await?;
    let name = flash_cookie_name(c.state.settings.secure());
    let raw = crate::server::guard::cookie(&c.headers, name);
    let Some(flash) = raw.as_deref().and_then(crate::server::edge::decode_flash) else { return Ok(None) };
    if flash.form != form {
        return Ok(None);
    }
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        let clear = crate::server::auth::expired_cookie(name, c.state.settings.secure());
        if let Ok(v) = http::HeaderValue::from_str(&clear) {
            resp.append_header(http::header::SET_COOKIE, v);
        }
    }
    Ok(Some(flash))
}

#[server(prefix = "/api", endpoint = "list_items")]
pub async fn list_items(query: String) -> Result<Vec<ItemSummary>, ServerFnError> {
    let c = glue::ctx().await?;
    crate::server::catalog::list_items(&c.state.db, &query).await.map_err(|e| glue::fail(e, c.lang))
}

/// The home page's catalog: search words, kind (`licensing`…) and topic (life event).
#[server(prefix = "/api", endpoint = "catalog")]
pub async fn catalog(query: String, kind: String, topic: String) -> Result<crate::models::Catalog, ServerFnError> {
    let c = glue::ctx().await?;
    let run = async {
        let mut found = crate::server::catalog::catalog(&c.state.db, &query, &kind, &topic).await?;
        found.bundles = crate::server::bundles::published(&c.state.db)
            .await?
            .into_iter()
            .map(|b| (b.code, b.name, b.summary))
            .collect();
        Ok::<_, crate::server::AppError>(found)
    };
    run.await.map_err(|e| glue::fail(e, c.lang))
}

/// An applicant's own profile as shown on the account page (numbers masked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicantProfile {
    pub id: i32,
    pub kind: rules::ApplicantKind,
    pub name: String,
    pub masked_id: String,
    pub contact_name: Option<String>,
    pub mobile: String,
    pub email: Option<String>,
    pub notify_sms: bool,
    pub notify_email: bool,
    pub notice_lang: rules::Lang,
}

#[server(prefix = "/api", endpoint = "get_applicant")]
pub async fn get_applicant(id: i32) -> Result<ApplicantProfile, ServerFnError> {
    use crate::server::entities::applicant;
    use crate::server::{guard, AppError};
    use sea_orm::EntityTrait;
    let c = glue::ctx().await?;
    let run = async {
        let user = guard::render_caller(&c.state, &c.headers).await?;
        guard::may_read_applicant(user.as_ref(), id)?;
        let a = applicant::Entity::find_by_id(id).one(&c.state.db).await?.ok_or(AppError::NotFound)?;
        if let Some(crate::models::SessionUser::Staff { .. }) = &user {
            let event = crate::server::audit::SecurityEvent {
                who: crate::server::audit::Who::of(user.as_ref()),
                event: "lookup.applicant",
                target: format!("applicant {id}"),
                outcome: crate::server::audit::Outcome::Ok,
                address: "",
                detail: String::new(),
            };
            crate::server::audit::security(&c.state.db, event).await?;
        }
        let masked_id = crate::server::accounts::masked_number(&a);
        Ok::<_, AppError>(ApplicantProfile {
            id: a.id,
            kind: a.kind,
            name: a.name,
            masked_id,
            contact_name: a.contact_name,
            mobile: crate::server::accounts::masked_mobile(&a.mobile),
            email: a.email,
            notify_sms: a.notify_sms,
            notify_email: a.notify_email,
            notice_lang: rules::Lang::from_tag(&a.notice_lang).unwrap_or_default(),
        })
    };
    run.await.map_err(|e| glue::fail(e, c.lang))
}

/// What a staff member's start page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffDesk {
    pub name: String,
    pub roles: Vec<crate::models::StaffRole>,
    pub today: chrono::NaiveDate,
    pub today_is_working_day: bool,
    pub calendar_years: Vec<i32>,
    /// Years around today without an official holiday schedule.
    pub missing_years: Vec<i32>,
}

#[cfg(feature = "ssr")]
fn staff_desk(user: SessionUser, state: &crate::server::AppState) -> Result<StaffDesk, crate::server::AppError> {
    let SessionUser::Staff { name, roles, .. } = user else { return Err(crate::server::AppError::Forbidden) };
    let cal = state.calendar();
    let today = state.today();
    let next_year = chrono::Datelike::year(&today) + 1;
    let missing_years = cal
        .warnings_between(today, chrono::NaiveDate::from_ymd_opt(next_year, 1, 1).unwrap_or(today))
        .into_iter()
        .map(|rules::CalendarWarning::UnknownYear(y)| y)
        .collect();
    Ok(StaffDesk {
        name,
        roles,
        today,
        today_is_working_day: cal.is_working_day(today),
        calendar_years: cal.known_years().collect(),
        missing_years,
    })
}

/// The staff start page's data. Answers 401/403 to callers who are not staff.
#[server(prefix = "/api", endpoint = "staff_overview")]
pub async fn staff_overview() -> Result<StaffDesk, ServerFnError> {
    use crate::server::{guard, AppError};
    let c = glue::ctx().await?;
    let run = async {
        let user = guard::render_caller(&c.state, &c.headers).await?;
        guard::require_staff(user.as_ref(), &[], None)?;
        staff_desk(user.ok_or(AppError::Unauthorized)?, &c.state)
    };
    run.await.map_err(|e| glue::fail(e, c.lang))
}

/// What the /staff page shows to whoever asks (no error status, so the page can explain).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum StaffPageData {
    Anonymous,
    NotStaff,
    Desk(StaffDesk),
}

#[server(prefix = "/api", endpoint = "staff_view")]
pub async fn staff_view() -> Result<StaffPageData, ServerFnError> {
    let c = glue::ctx().await?;
    let user = crate::server::guard::render_caller(&c.state, &c.headers).await.map_err(|e| glue::fail(e, c.lang))?;
    Ok(match user {
        None => StaffPageData::Anonymous,
        Some(u) if !u.is_staff() => StaffPageData::NotStaff,
        Some(u) => StaffPageData::Desk(staff_desk(u, &c.state).map_err(|e| glue::fail(e, c.lang))?),
    })
}

#[server(prefix = "/api", endpoint = "get_item")]
pub async fn get_item(code: String) -> Result<crate::models::ItemGuide, ServerFnError> {
    let c = glue::ctx().await?;
    let cal = c.state.calendar();
    let mut guide = crate::server::catalog::item_guide(&c.state.db, &code, &cal, c.state.today())
        .await
        .map_err(|e| glue::fail(e, c.lang))?;
    guide.qr_svg = crate::server::catalog::qr_svg(&format!("{}/items/{}", c.state.public_base(), guide.code));
    Ok(guide)
}

/// The caller's own applicant profile; `None` when the caller is not a logged-in applicant.
#[server(prefix = "/api", endpoint = "my_profile")]
pub async fn my_profile() -> Result<Option<ApplicantProfile>, ServerFnError> {
    let c = glue::ctx().await?;
    let user = crate::server::guard::render_caller(&c.state, &c.headers).await.map_err(|e| glue::fail(e, c.lang))?;
    match user {
        Some(SessionUser::Applicant { id, .. }) => get_applicant(id).await.map(Some),
        _ => Ok(None),
    }
}

/// The caller's cases; `None` when the caller is not a logged-in applicant (the page redirects).
#[server(prefix = "/api", endpoint = "my_cases")]
pub async fn my_cases() -> Result<Option<Vec<crate::models::CaseSummary>>, ServerFnError> {
    use crate::server::{guard, journey};
    let c = glue::ctx().await?;
    let run = async {
        let Some(SessionUser::Applicant { id, .. }) = guard::render_caller(&c.state, &c.headers).await? else {
            return Ok(None);
        };
        journey::for_applicant(&c.state.db, &c.state.calendar(), id, c.state.today()).await.map(Some)
    };
    run.await.map_err(|e| glue::fail(e, c.lang))
}

/// One of the caller's cases; `None` when nobody is logged in (the page redirects); 403 for a case
/// that is not the caller's, 404 for none.
#[server(prefix = "/api", endpoint = "case_detail")]
pub async fn case_detail(id: i32) -> Result<Option<crate::models::CaseDetail>, ServerFnError> {
    use crate::server::{guard, journey};
    let c = glue::ctx().await?;
    let run = async {
        let Some(applicant) = guard::applicant_if_logged_in(&c.state, &c.headers).await? else { return Ok(None) };
        journey::detail_for_applicant(&c.state.db, &c.state.calendar(), applicant, id, c.state.today()).await.map(Some)
    };
    run.await.map_err(|e| glue::fail(e, c.lang))
}
