//! The bodies of the editors' server functions (`api::open_save`, `api::open_step`): the caller
//! must be staff (else the staff sign-in), the service decides the rest; a plain form gets a 303
//! to the entry with a notice, or back with the values and messages.

use axum::response::{IntoResponse, Response};
use leptos::server_fn::ServerFnError;
use rules::open::{EntryStatus, EntryStep};
use rules::Lang;

use crate::models::{OpenDraft, SessionUser};
use crate::server::edge::{back_with_errors, notice, see_other, FormCall, Staff};
use crate::server::error::AppError;
use crate::server::state::AppState;

/// The form's name for flashes: the editor's.
pub const FORM: &str = "open";

pub async fn save_form(input: OpenDraft) -> Result<(), ServerFnError> {
    let mut call = FormCall::current()?;
    let reply = match call.extract::<Staff>().await {
        Ok(Staff(user)) => save_reply(&call.st, &user, &input, call.lang).await,
        Err(r) => r,
    };
    call.answer(reply)
}

async fn save_reply(st: &AppState, user: &SessionUser, input: &OpenDraft, lang: Lang) -> Response {
    let back = match input.id.trim() {
        "" => "/staff/open/new".to_string(),
        id => format!("/staff/open/{id}"),
    };
    match super::save(&st.db, Some(user), input, lang, st.today()).await {
        Ok(id) => see_other(
            &format!("/staff/open/{id}"),
            vec![notice(st, FORM, lang.pick("已保存草稿", "已儲存草稿", "Draft saved").into())],
        ),
        Err(e @ (AppError::Forbidden | AppError::NotFound)) => e.into_response(),
        Err(e) => back_with_errors(st, &back, FORM, input.values(), &e, lang),
    }
}

pub async fn step_form(id: i32, version: i32, step: EntryStep) -> Result<(), ServerFnError> {
    let mut call = FormCall::current()?;
    let reply = match call.extract::<Staff>().await {
        Ok(Staff(user)) => step_reply(&call.st, &user, id, version, step, call.lang).await,
        Err(r) => r,
    };
    call.answer(reply)
}

async fn step_reply(st: &AppState, user: &SessionUser, id: i32, version: i32, step: EntryStep, lang: Lang) -> Response {
    let page = format!("/staff/open/{id}");
    match super::take_step(&st.db, Some(user), id, version, step, lang, st.today()).await {
        Ok(status) => {
            let said = match status {
                EntryStatus::Pending => lang.pick(
                    "已送审，请另一位信息公开员审核",
                    "已送審，請另一位信息公開員審核",
                    "Sent for approval by another editor",
                ),
                EntryStatus::Approved => lang.pick("已审核发布", "已審核發布", "Approved and published"),
                EntryStatus::Draft => lang.pick("已退回修改", "已退回修改", "Sent back for changes"),
                EntryStatus::Withdrawn => {
                    lang.pick("已撤下，公众不再可见", "已撤下，公眾不再可見", "Withdrawn: no longer public")
                }
            };
            see_other(&page, vec![notice(st, FORM, said.into())])
        }
        Err(e @ (AppError::Forbidden | AppError::NotFound)) => e.into_response(),
        Err(e) => back_with_errors(st, &page, FORM, Default::default(), &e, lang),
    }
}

/// The plain endpoints: the Atom feed of each kind at `/open/feed/{kind}.atom`.
pub fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/open/feed/{file}", axum::routing::get(feed))
}

async fn feed(
    axum::extract::State(st): axum::extract::State<AppState>,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> Response {
    let Some(kind) = file.strip_suffix(".atom").and_then(rules::open::OpenKind::parse) else {
        return AppError::NotFound.into_response();
    };
    match super::feed(&st.db, st.today(), kind, &st.public_base()).await {
        Ok(xml) => {
            let mut r = Response::new(axum::body::Body::from(xml));
            let h = r.headers_mut();
            h.insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/atom+xml; charset=utf-8"));
            h.insert(http::header::CACHE_CONTROL, http::HeaderValue::from_static("public, max-age=300"));
            r
        }
        Err(e) => e.into_response(),
    }
}
