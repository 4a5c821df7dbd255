//! The bodies of the editors' server functions (`api::open_save`, `api::open_step`,
//! `api::open_remove_file`): the caller must be staff (else the staff sign-in), the service decides
//! the rest; a plain form gets a 303 to the entry with a notice, or back with the values and
//! messages. And the plain endpoints: the streamed attachment upload, the files (the public's and
//! the editors'), the Atom feeds.

use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Response};
use http::HeaderMap;
use leptos::server_fn::ServerFnError;
use rules::open::{EntryStatus, EntryStep};
use rules::Lang;

use crate::models::{OpenDraft, Prefs, SessionUser};
use crate::server::edge::{back_with_errors, notice, see_other, FormCall, Staff};
use crate::server::entities::open_attachment;
use crate::server::error::AppError;
use crate::server::journey_forms::{file_response, receive, wants_json, UploadTo};
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

pub async fn remove_file_form(id: i32, version: i32, file: i32) -> Result<(), ServerFnError> {
    let mut call = FormCall::current()?;
    let reply = match call.extract::<Staff>().await {
        Ok(Staff(user)) => {
            let (st, lang) = (&call.st, call.lang);
            let page = format!("/staff/open/{id}");
            match super::attachments::remove(&st.db, st.files.as_ref(), &user, id, version, file, lang, st.today())
                .await
            {
                Ok(()) => see_other(
                    &format!("{page}#m-{}", super::attachments::FIELD),
                    vec![notice(st, FORM, lang.pick("已删除附件", "已刪除附件", "Attachment removed").into())],
                ),
                Err(e @ (AppError::Forbidden | AppError::NotFound)) => e.into_response(),
                Err(e) => back_with_errors(st, &page, FORM, Default::default(), &e, lang),
            }
        }
        Err(r) => r,
    };
    call.answer(reply)
}

/// The plain endpoints: the attachment upload (`/staff/open/{id}/files`), an entry's files for the
/// public (`/open/{id}/files/{file}`) and for its editors (`/staff/open/{id}/files/{file}`), and
/// the Atom feed of each kind at `/open/feed/{kind}.atom`.
pub fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/open/feed/{file}", get(feed))
        .route("/staff/open/{id}/files", post(upload).layer(axum::extract::DefaultBodyLimit::disable()))
        .route("/open/{id}/files/{file}", get(public_file))
        .route("/staff/open/{id}/files/{file}", get(editor_file))
}

async fn upload(
    State(st): State<AppState>,
    Path(id): Path<i32>,
    Prefs { lang, .. }: Prefs,
    Staff(user): Staff,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let cap = super::attachments::cap(&st.db, &user, id, lang).await;
    if let Err(e @ (AppError::Forbidden | AppError::NotFound)) = cap {
        return e.into_response();
    }
    let (db, store, today) = (&st.db, st.files.as_ref(), st.today());
    let page = format!("/staff/open/{id}");
    let to = UploadTo { page, form: FORM, material: super::attachments::FIELD, lang, json: wants_json(&headers) };
    let user = &user;
    receive(&st, &headers, multipart, to, cap, move |name: String, body| async move {
        super::attachments::add(db, store, user, id, &name, body, lang, today).await
    })
    .await
}

async fn send_file(st: &AppState, f: Result<open_attachment::Model, AppError>, cache: &'static str) -> Response {
    let result = async {
        let f = f?;
        let stream = st.files.get(&f.storage_key).await.map_err(AppError::internal)?;
        Ok::<_, AppError>((f, stream))
    }
    .await;
    match result {
        Ok((f, stream)) => file_response(stream, f.file_type.mime(), f.size, &f.file_name, cache),
        Err(e) => e.into_response(),
    }
}

async fn public_file(State(st): State<AppState>, Path((id, file)): Path<(i32, i32)>) -> Response {
    let f = super::attachments::public_file(&st.db, st.today(), id, file).await;
    send_file(&st, f, "public, max-age=300").await
}

async fn editor_file(State(st): State<AppState>, Path((id, file)): Path<(i32, i32)>, Staff(user): Staff) -> Response {
    let f = super::attachments::editor_file(&st.db, Some(&user), id, file).await;
    send_file(&st, f, "private, no-store").await
}

async fn feed(State(st): State<AppState>, Path(file): Path<String>) -> Response {
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
