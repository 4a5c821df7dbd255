//! The edge of a 一件事 application: the bodies of its server functions (`api::bundle_start`,
//! `bundle_answers`, `bundle_remove_file`, `bundle_upgrade`, `bundle_submit`) — the caller must be
//! an applicant (else the sign-in page, which comes back), the service decides the rest; a plain
//! form gets a 303 to the application's page with a notice, or back with the values and the
//! messages at their fields — and the streamed upload of one checklist line.

use std::collections::BTreeMap;

use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use http::HeaderMap;
use leptos::server_fn::ServerFnError;
use rules::Lang;
use serde::Deserialize;

use super::application;
use crate::models::{AnswersForm, FieldsForm, Prefs};
use crate::server::edge::{back_with_errors, notice, see_other, Applicant, Caller, FormCall, Staff};
use crate::server::error::AppError;
use crate::server::journey_forms::{receive, wants_json, UploadTo};
use crate::server::state::AppState;

/// The form's name for flashes: the application page's.
pub const FORM: &str = "bundle";

/// The application's page.
pub fn page(id: i32) -> String {
    format!("/bundle-applications/{id}")
}

/// Runs `then` for the signed-in applicant, or answers with the sign-in page.
async fn as_applicant<F, Fut>(then: F) -> Result<(), ServerFnError>
where
    F: FnOnce(AppState, i32, Lang) -> Fut,
    Fut: std::future::Future<Output = Response>,
{
    let mut call = FormCall::current()?;
    let reply = match call.extract::<Applicant>().await {
        Ok(Applicant(id)) => then(call.st.clone(), id, call.lang).await,
        Err(r) => r,
    };
    call.answer(reply)
}

/// What a write answers: a 303 to the page (at `anchor`) with `said`, or back with the messages;
/// someone else's application is "not found".
fn reply(
    st: &AppState,
    id: i32,
    anchor: &str,
    done: Result<&str, AppError>,
    values: BTreeMap<String, String>,
    lang: Lang,
) -> Response {
    match done {
        Ok(said) => see_other(&format!("{}{anchor}", page(id)), vec![notice(st, FORM, said.into())]),
        Err(e @ (AppError::NotFound | AppError::Forbidden)) => e.into_response(),
        Err(e) => back_with_errors(st, &format!("{}{anchor}", page(id)), FORM, values, &e, lang),
    }
}

pub async fn start_form(code: String) -> Result<(), ServerFnError> {
    as_applicant(|st, applicant, lang| async move {
        match application::start(&st.db, applicant, &code, lang).await {
            Ok(id) => see_other(&page(id), vec![]),
            Err(e @ AppError::NotFound) => e.into_response(),
            Err(e) => back_with_errors(&st, &format!("/bundles/{code}"), FORM, BTreeMap::new(), &e, lang),
        }
    })
    .await
}

pub async fn answers_form(form: AnswersForm) -> Result<(), ServerFnError> {
    let Ok(id) = form.case.trim().parse::<i32>() else { return Err(ServerFnError::new("no such application")) };
    as_applicant(|st, applicant, lang| async move {
        let done = application::save_answers(&st.db, applicant, id, &form.answers(), lang).await.map(|_| {
            lang.pick(
                "已保存。材料清单已按您的回答更新。",
                "已儲存。材料清單已按您的回答更新。",
                "Saved. The list of materials follows your answers.",
            )
        });
        reply(&st, id, "#materials", done, form.fields.clone(), lang)
    })
    .await
}

pub async fn remove_file_form(application: i32, file: i32) -> Result<(), ServerFnError> {
    as_applicant(|st, applicant, lang| async move {
        let done = application::remove_file(&st.db, st.files.as_ref(), applicant, application, file, lang)
            .await
            .map(|()| lang.pick("文件已删除", "檔案已刪除", "The file was removed"));
        reply(&st, application, "#materials", done, BTreeMap::new(), lang)
    })
    .await
}

pub async fn upgrade_form(application: i32) -> Result<(), ServerFnError> {
    as_applicant(|st, applicant, lang| async move {
        let done = application::upgrade(&st.db, applicant, application, lang).await.map(|()| {
            lang.pick(
                "已按最新的办事指南更新申请，请检查问题和材料。",
                "已按最新的辦事指南更新申請，請檢查問題和材料。",
                "Your application now follows the new guides: check the questions and materials.",
            )
        });
        reply(&st, application, "", done, BTreeMap::new(), lang)
    })
    .await
}

pub async fn submit_form(application: i32, version: i32) -> Result<(), ServerFnError> {
    as_applicant(|st, applicant, lang| async move {
        let sent = application::submit(&st.db, &st.calendar(), applicant, application, version, st.today(), lang).await;
        let said = match lang {
            Lang::En => "Sent: each department now checks its item; follow them all here.",
            Lang::ZhHant => "已提交：各部門分別審查各自的事項，您可在本頁查看全部進度。",
            Lang::ZhHans => "已提交：各部门分别审查各自的事项，您可在本页查看全部进度。",
        };
        reply(&st, application, "", sent.map(|_| said), BTreeMap::new(), lang)
    })
    .await
}

/// The admin's editor: saved, back to it with a notice; refused, back with everything typed.
pub async fn save_form(form: FieldsForm) -> Result<(), ServerFnError> {
    let mut call = FormCall::current()?;
    let (st, lang) = (call.st.clone(), call.lang);
    let reply = match call.extract::<Staff>().await {
        Ok(Staff(user)) => {
            let existing = form.fields.get("existing").map(|e| e.trim().to_string()).unwrap_or_default();
            let page = format!("/staff/admin/bundles/{}", if existing.is_empty() { "new" } else { existing.as_str() });
            match super::admin::save(&st.db, Some(&user), &form.fields, lang).await {
                Ok(code) => see_other(
                    &format!("/staff/admin/bundles/{code}"),
                    vec![notice(&st, super::admin::FORM, lang.pick("已保存", "已儲存", "Saved").into())],
                ),
                Err(e @ (AppError::Forbidden | AppError::NotFound)) => e.into_response(),
                Err(e) => back_with_errors(&st, &page, super::admin::FORM, form.fields.clone(), &e, lang),
            }
        }
        Err(r) => r,
    };
    call.answer(reply)
}

#[derive(Deserialize)]
struct UploadQuery {
    #[serde(default)]
    material: String,
}

/// The plain endpoint: one line's file(s), streamed (`/bundle-applications/{id}/files?material=`).
pub fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/bundle-applications/{id}/files", post(upload).layer(DefaultBodyLimit::disable()))
}

async fn upload(
    State(st): State<AppState>,
    Path(id): Path<i32>,
    Query(q): Query<UploadQuery>,
    Prefs { lang, .. }: Prefs,
    caller: Result<Caller, AppError>,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let applicant = match caller.map(|c| c.applicant_or_login(&page(id))) {
        Ok(Ok(a)) => a,
        Ok(Err(r)) => return r.into_response(),
        Err(e) => return e.into_response(),
    };
    let cap = application::material_cap(&st.db, applicant, id, &q.material, lang).await;
    if let Err(e @ AppError::NotFound) = cap {
        return e.into_response();
    }
    let (db, store, material) = (&st.db, st.files.as_ref(), q.material.as_str());
    let to = UploadTo { page: page(id), form: FORM, material, lang, json: wants_json(&headers) };
    receive(&st, &headers, multipart, to, cap, move |name: String, body| async move {
        application::add_file(db, store, applicant, id, material, &name, body, lang).await
    })
    .await
}
