//! The applicant's journey at the edge: the bodies of its server functions (`api::start_application`,
//! `save_answers`, `remove_file`, `upgrade_draft`, `submit_application`, `withdraw_case`,
//! `rate_case`, `complain_case`, `complain_window`, `read_inbox`: post → redirect → get, so
//! everything works without JavaScript), and the plain endpoints a server function does not fit:
//! the streamed upload (with JavaScript it asks for JSON, `Accept: application/json`, and stays on
//! the page) and the downloads and PDFs.

use std::collections::BTreeMap;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use bytes::Bytes;
use futures::{SinkExt, StreamExt};
use http::{header, HeaderMap, HeaderValue};
use rules::Lang;
use serde::Deserialize;

use leptos::server_fn::ServerFnError;

use super::edge::{back_with_errors, notice, see_other, Caller, FormCall};
use super::error::AppError;
use super::state::AppState;
use super::{guard, journey};
use crate::models::{AnswersForm, ComplaintInput, Prefs, RatingForm};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/applications/{id}/files", post(upload).layer(DefaultBodyLimit::disable()))
        .route("/files/{id}", get(download))
        .route("/results/{file}", get(result_document))
        .route("/items/{code}/materials/{material}/{file}", get(material_form))
}

pub(crate) fn wants_json(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("application/json"))
}

/// The logged-in applicant, or a redirect to the login page that comes back to `back`.
async fn applicant(st: &AppState, headers: &HeaderMap, back: &str) -> Result<i32, Response> {
    match guard::caller(st, headers).await {
        Ok(c) => Caller(c).applicant_or_login(back).map_err(IntoResponse::into_response),
        Err(e) => Err(e.into_response()),
    }
}

/// Who works on draft `case_id` (its applicant, or a window clerk at the counter), or a redirect
/// to the login page that comes back to `back`.
async fn filer(st: &AppState, headers: &HeaderMap, case_id: i32, back: &str) -> Result<guard::Filer, Response> {
    match guard::draft_filer(st, headers, case_id).await {
        Ok(Some(f)) => Ok(f),
        Ok(None) => Err(see_other(&format!("/login?next={back}"), vec![])),
        Err(e) => Err(e.into_response()),
    }
}

fn json_error(e: &AppError, lang: Lang) -> Response {
    let (field, message) = match e.fields().and_then(|f| f.first()) {
        Some((f, m)) => (f.clone(), m.clone()),
        None => ("_form".into(), e.message(lang)),
    };
    (e.status(), Json(serde_json::json!({ "ok": false, "field": field, "message": message }))).into_response()
}

#[derive(Deserialize)]
struct UploadQuery {
    #[serde(default)]
    material: String,
}

/// An upload with no bytes for this long is cut off.
pub const UPLOAD_IDLE: std::time::Duration = std::time::Duration::from_secs(30);
/// After the first `UPLOAD_GRACE`, an upload slower than this (bytes a second, on average) is cut off.
pub const UPLOAD_MIN_RATE: f64 = 8.0 * 1024.0;
pub const UPLOAD_GRACE: std::time::Duration = std::time::Duration::from_secs(20);

/// Streams the multipart file field(s) into the file store. A body announced larger than the
/// material's cap is refused before it is read; one that turns out larger is cut off as soon as
/// the cap is passed.
async fn upload(
    State(st): State<AppState>,
    Path(case_id): Path<i32>,
    Query(q): Query<UploadQuery>,
    Prefs { lang, .. }: Prefs,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let filer = match filer(&st, &headers, case_id, &format!("/applications/{case_id}")).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    // Back to where the form was: the editor, or — for 容缺 materials sent after acceptance — the
    // case page (the applicant's, or the window's).
    let submitted = match journey::own_case(&st.db, filer.applicant_id, case_id).await {
        Ok(c) => !matches!(c.state, rules::CaseState::Draft | rules::CaseState::AwaitingCorrection),
        Err(e) => return e.into_response(),
    };
    let (page, form) = match (submitted, filer.clerk) {
        (false, _) => (format!("/applications/{case_id}"), "draft"),
        (true, Some(_)) => (format!("/staff/cases/{case_id}"), "staff_case"),
        (true, None) => (format!("/cases/{case_id}"), "case"),
    };
    let id = filer.applicant_id;
    let cap = journey::material_cap(&st.db, id, case_id, &q.material, lang).await;
    let (db, store, material) = (&st.db, st.files.as_ref(), q.material.as_str());
    let to = UploadTo { page, form, material, lang, json: wants_json(&headers) };
    receive(&st, &headers, multipart, to, cap, move |name: String, body| async move {
        journey::add_file(db, store, id, case_id, material, &name, body, lang).await
    })
    .await
}

/// Where an upload's answer goes: the page (and flash form) it came from, for one material.
pub(crate) struct UploadTo<'a> {
    pub page: String,
    pub form: &'static str,
    pub material: &'a str,
    pub lang: Lang,
    /// the page's script asked for JSON (`Accept: application/json`) and stays on the page
    pub json: bool,
}

/// The upload endpoints' common body: with the material's cap (or the refusal to take any file),
/// streams each `file` field of the multipart body through `store_one`, paced (a stalled or
/// crawling body is cut off), and answers with JSON or a 303 back to the page.
pub(crate) async fn receive<F, Fut>(
    st: &AppState,
    headers: &HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
    to: UploadTo<'_>,
    cap: Result<(u64, String), AppError>,
    store_one: F,
) -> Response
where
    F: Fn(String, super::files::ByteStream) -> Fut,
    Fut: std::future::Future<Output = Result<crate::models::FileView, AppError>>,
{
    let UploadTo { page, form, material, lang, json } = to;
    let back = |e: AppError| {
        if json {
            json_error(&e, lang)
        } else {
            let mut values = BTreeMap::new();
            values.insert("material".to_string(), material.to_string());
            let r = back_with_errors(st, &format!("{page}#m-{material}"), form, values, &e, lang);
            // The browser may still be sending: tell it not to reuse the connection.
            with_close(r)
        }
    };
    let (cap, material_name) = match cap {
        Ok(c) => c,
        Err(e) => return back(e),
    };
    let announced =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > cap + MULTIPART_OVERHEAD) {
        let reason = rules::materials::CorrectionReason::TooLarge { max_bytes: cap }.message(lang);
        return back(journey::material_problem(material, &material_name, reason, lang));
    }
    let choose = || {
        AppError::Invalid(vec![(
            format!("m_{material}"),
            lang.pick("请选择要上传的文件", "請選擇要上傳的檔案", "Choose a file to upload").into(),
        )])
    };
    let Ok(mut multipart) = multipart else { return back(choose()) };
    let mut added = Vec::new();
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                tracing::info!(error = %e, "upload interrupted");
                return back(AppError::Invalid(vec![(
                    format!("m_{material}"),
                    lang.pick("上传中断，请重试", "上傳中斷，請重試", "The upload was interrupted: try again").into(),
                )]));
            }
        };
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("file").to_string();
        if name.is_empty() {
            continue; // a form sent with no file chosen
        }
        // Feed the field's chunks through a small channel so the store reads a 'static stream.
        // A body that stops (no chunk for UPLOAD_IDLE) or crawls (below UPLOAD_MIN_RATE once the
        // grace period is over) is cut off: a slow client cannot hold a connection for ever,
        // a 2 GiB file at an ordinary speed goes through.
        let (mut tx, rx) = futures::channel::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
        let produce = async move {
            let started = std::time::Instant::now();
            let mut bytes = 0u64;
            loop {
                let chunk = match tokio::time::timeout(UPLOAD_IDLE, field.chunk()).await {
                    Ok(c) => c,
                    Err(_) => {
                        let _ = tx.send(Err(std::io::Error::other("the upload stalled"))).await;
                        break;
                    }
                };
                let elapsed = started.elapsed();
                if elapsed > UPLOAD_GRACE && (bytes as f64) < UPLOAD_MIN_RATE * elapsed.as_secs_f64() {
                    let _ = tx.send(Err(std::io::Error::other("the upload is too slow"))).await;
                    break;
                }
                match chunk {
                    Ok(Some(b)) => {
                        bytes += b.len() as u64;
                        if tx.send(Ok(b)).await.is_err() {
                            break; // the store stopped reading (too large)
                        }
                    }
                    Ok(None) => break,
                    Err(e) => {
                        let _ = tx.send(Err(std::io::Error::other(e.to_string()))).await;
                        break;
                    }
                }
            }
        };
        let ((), result) = futures::join!(produce, store_one(name, rx.boxed()));
        match result {
            Ok(f) => added.push(f),
            Err(e) => return back(e),
        }
    }
    if added.is_empty() {
        return back(choose());
    }
    if json {
        Json(serde_json::json!({ "ok": true, "files": added })).into_response()
    } else {
        let msg = match lang {
            Lang::ZhHans => format!("已上传 {} 个文件", added.len()),
            Lang::ZhHant => format!("已上傳 {} 個檔案", added.len()),
            Lang::En => format!("{} file(s) uploaded", added.len()),
        };
        see_other(&format!("{page}#m-{material}"), vec![notice(st, form, msg)])
    }
}

/// Room for the multipart boundaries and headers around one file.
const MULTIPART_OVERHEAD: u64 = 16 * 1024;

fn with_close(mut r: Response) -> Response {
    r.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    r
}

async fn download(State(st): State<AppState>, Path(file_id): Path<i32>, headers: HeaderMap) -> Response {
    let result = async {
        let user = guard::caller(&st, &headers).await?;
        let f = journey::file_for_download(&st.db, user.as_ref(), file_id).await?;
        let stream = st.files.get(&f.storage_key).await.map_err(AppError::internal)?;
        Ok::<_, AppError>((f, stream))
    }
    .await;
    match result {
        Ok((f, stream)) => {
            let mime = f.file_type.mime();
            file_response(stream, mime, f.size, &f.file_name, "private, no-store")
        }
        Err(e) => e.into_response(),
    }
}

/// A stored file as the browser opens it: its type, length and name (`filename*`, UTF-8), cached
/// as `cache` says.
pub(crate) fn file_response(
    stream: super::files::ByteStream,
    mime: &'static str,
    size: i64,
    name: &str,
    cache: &'static str,
) -> Response {
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let mut r = Response::new(Body::from_stream(stream));
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(size.max(0) as u64));
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename*=UTF-8''{encoded}")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    r
}

/// The blank form (空白表格) or filled-in sample (示范文本) of a material, as PDF.
async fn material_form(
    State(st): State<AppState>,
    Path((code, material, file)): Path<(String, String, String)>,
) -> Response {
    let sample = match file.as_str() {
        "blank.pdf" => false,
        "sample.pdf" => true,
        _ => return AppError::NotFound.into_response(),
    };
    match journey::material_form(&st.db, &code, &material, sample).await {
        Ok(blocks) => {
            let mut r = Response::new(Body::from(super::receipt::render(&blocks)));
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
            r
        }
        Err(e) => e.into_response(),
    }
}

fn complaint_filed(lang: Lang) -> &'static str {
    lang.pick(
        "投诉已提交，我们将在 5 个工作日内答复。",
        "投訴已提交，我們將在 5 個工作日內答覆。",
        "Your complaint was filed: you will get an answer within 5 working days.",
    )
}

/// A result document as PDF (`/results/{code}.pdf`), with the QR code of its verification page.
async fn result_document(State(st): State<AppState>, Path(file): Path<String>, headers: HeaderMap) -> Response {
    let Some(code) = file.strip_suffix(".pdf") else { return AppError::NotFound.into_response() };
    let result = async {
        let user = guard::caller(&st, &headers).await?;
        journey::result_document_blocks(&st.db, user.as_ref(), code, &st.public_base()).await
    }
    .await;
    match result {
        Ok(blocks) => {
            let mut r = Response::new(Body::from(super::receipt::render(&blocks)));
            let h = r.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
            r
        }
        Err(e) => e.into_response(),
    }
}

/// The body of `api::start_application`: a draft of `item` (the same one again if there is one).
pub async fn start(item: String) -> Result<(), ServerFnError> {
    let call = FormCall::current()?;
    let code = item.trim().to_uppercase();
    let reply = match applicant(&call.st, call.headers(), &format!("/items/{code}")).await {
        Ok(id) => match journey::start(&call.st.db, id, &code).await {
            Ok(case_id) => see_other(&format!("/applications/{case_id}"), vec![]),
            Err(e) => e.into_response(),
        },
        Err(r) => r,
    };
    call.answer(reply)
}

/// The body of `api::save_answers`: the draft's answers (`q_<question>` fields), then the check
/// page (`then=check`) or the materials.
pub async fn save_answers(form: AnswersForm) -> Result<(), ServerFnError> {
    let call = FormCall::current()?;
    let Ok(case_id) = form.case.trim().parse::<i32>() else { return call.answer(AppError::NotFound.into_response()) };
    let (st, lang) = (&call.st, call.lang);
    let page = format!("/applications/{case_id}");
    let reply = match filer(st, call.headers(), case_id, &page).await {
        Ok(filer) => {
            let answers = form.answers();
            match journey::save_answers(&st.db, filer.applicant_id, case_id, &answers, lang).await {
                Ok(_) if form.then == "check" => see_other(&format!("{page}/check"), vec![]),
                Ok(_) => {
                    let msg = lang.pick(
                        "已保存。您可以随时回来继续填写。",
                        "已儲存。您可以隨時回來繼續填寫。",
                        "Saved. You can come back and carry on at any time.",
                    );
                    see_other(&format!("{page}#materials"), vec![notice(st, "draft", msg.into())])
                }
                Err(e) => back_with_errors(st, &page, "draft", form.fields.clone(), &e, lang),
            }
        }
        Err(r) => r,
    };
    call.answer(reply)
}

/// The body of `api::remove_file`: a file of the draft is deleted (from the store too).
pub async fn remove_file(case: i32, file: i32) -> Result<(), ServerFnError> {
    let call = FormCall::current()?;
    let (st, lang) = (&call.st, call.lang);
    let page = format!("/applications/{case}");
    let reply = match filer(st, call.headers(), case, &page).await {
        Ok(filer) => {
            match journey::remove_file(&st.db, st.files.as_ref(), filer.applicant_id, case, file, lang).await {
                Ok(()) => {
                    let msg = lang.pick("文件已删除", "檔案已刪除", "The file was removed");
                    see_other(&format!("{page}#materials"), vec![notice(st, "draft", msg.into())])
                }
                Err(e) => back_with_errors(st, &page, "draft", BTreeMap::new(), &e, lang),
            }
        }
        Err(r) => r,
    };
    call.answer(reply)
}

/// The body of `api::upgrade_draft`: the draft moves to the item's newest guide.
pub async fn upgrade(case: i32) -> Result<(), ServerFnError> {
    let call = FormCall::current()?;
    let (st, lang) = (&call.st, call.lang);
    let page = format!("/applications/{case}");
    let reply = match filer(st, call.headers(), case, &page).await {
        Ok(filer) => match journey::upgrade_draft(&st.db, filer.applicant_id, case, lang).await {
            Ok(()) => {
                let msg = lang.pick(
                    "已按最新的办事指南更新申请，请检查问题和材料。",
                    "已按最新的辦事指南更新申請，請檢查問題和材料。",
                    "Your application now follows the new guide: check the questions and materials.",
                );
                see_other(&page, vec![notice(st, "draft", msg.into())])
            }
            Err(e) => back_with_errors(st, &page, "draft", BTreeMap::new(), &e, lang),
        },
        Err(r) => r,
    };
    call.answer(reply)
}

/// The body of `api::submit_application`: the draft (at the `version` checked) becomes a case.
pub async fn submit(case: i32, version: i32) -> Result<(), ServerFnError> {
    let call = FormCall::current()?;
    let (st, lang) = (&call.st, call.lang);
    let page = format!("/applications/{case}");
    let reply = match filer(st, call.headers(), case, &page).await {
        Ok(filer) => match journey::submit(&st.db, &st.calendar(), filer, case, version, st.today(), lang).await {
            Ok(_) if filer.clerk.is_some() => {
                let msg = lang.pick("已代为提交申请", "已代為提交申請", "Submitted for the applicant");
                see_other(&format!("/staff/cases/{case}"), vec![notice(st, "staff_case", msg.into())])
            }
            Ok(_) => see_other(&format!("/cases/{case}?submitted=1"), vec![]),
            Err(e) => back_with_errors(st, &format!("{page}/check"), "check", BTreeMap::new(), &e, lang),
        },
        Err(r) => r,
    };
    call.answer(reply)
}

/// The body of `api::withdraw_case`: the applicant withdraws a case not yet decided (the box
/// ticked to confirm).
pub async fn withdraw(case: i32, version: i32, reason: String, confirm: String) -> Result<(), ServerFnError> {
    let call = FormCall::current()?;
    let (st, lang) = (&call.st, call.lang);
    let page = format!("/cases/{case}");
    let form_page = format!("{page}/withdraw");
    let reply = match applicant(st, call.headers(), &page).await {
        Err(r) => r,
        Ok(_) if confirm != "yes" => {
            let e = AppError::Invalid(vec![(
                "confirm".into(),
                lang.pick("请勾选确认撤回", "請勾選確認撤回", "Tick the box to confirm the withdrawal").into(),
            )]);
            back_with_errors(st, &form_page, "withdraw", BTreeMap::new(), &e, lang)
        }
        Ok(id) => match journey::withdraw(&st.db, &st.calendar(), id, case, version, &reason, st.today()).await {
            Ok(_) => {
                let msg = lang.pick("申请已撤回", "申請已撤回", "Your application was withdrawn");
                see_other(&page, vec![notice(st, "case", msg.into())])
            }
            Err(e) => back_with_errors(st, &form_page, "withdraw", BTreeMap::new(), &e, lang),
        },
    };
    call.answer(reply)
}

/// The body of `api::rate_case`: the applicant's rating (好差评) of a finished case.
pub async fn rate(case: String, rating: RatingForm) -> Result<(), ServerFnError> {
    let call = FormCall::current()?;
    let Ok(case) = case.trim().parse::<i32>() else { return call.answer(AppError::NotFound.into_response()) };
    let (st, lang) = (&call.st, call.lang);
    let page = format!("/cases/{case}");
    let reply = match applicant(st, call.headers(), &page).await {
        Err(r) => r,
        Ok(id) => {
            let level = rating.level.trim().parse::<u8>().unwrap_or(0);
            let today = st.today();
            match journey::rate(&st.db, &st.calendar(), id, case, level, &rating.comment, &rating.reason, today, lang)
                .await
            {
                Ok(()) => {
                    let msg = lang.pick("感谢您的评价", "感謝您的評價", "Thank you for your rating");
                    see_other(&format!("{page}#rating"), vec![notice(st, "case", msg.into())])
                }
                Err(e) => back_with_errors(st, &format!("{page}#rating"), "rating", rating.values(), &e, lang),
            }
        }
    };
    call.answer(reply)
}

/// The body of `api::complain_case` (`department` empty) and `api::complain_window` (a
/// department's window, not a case): the complaint, answered within the term.
pub async fn complain(case: Option<String>, complaint: ComplaintInput) -> Result<(), ServerFnError> {
    let call = FormCall::current()?;
    let case = match case.map(|c| c.trim().parse::<i32>()) {
        Some(Ok(c)) => Some(c),
        Some(Err(_)) => return call.answer(AppError::NotFound.into_response()),
        None => None,
    };
    let (st, lang) = (&call.st, call.lang);
    let (page, back, form, about) = match case {
        Some(c) => {
            let page = format!("/cases/{c}");
            (page.clone(), format!("{page}#complaint"), "case", journey::ComplaintAbout::Case(c))
        }
        None => {
            let dep = complaint.department.trim().parse().unwrap_or(0);
            ("/complaint".to_string(), "/complaint".to_string(), "complaint", journey::ComplaintAbout::Department(dep))
        }
    };
    let reply = match applicant(st, call.headers(), &page).await {
        Err(r) => r,
        Ok(id) => {
            let (subject, body) = (&complaint.subject, &complaint.body);
            match journey::complain(&st.db, &st.calendar(), id, about, subject, body, st.today(), lang).await {
                Ok(_) => see_other(&back, vec![notice(st, form, complaint_filed(lang).into())]),
                Err(e) => back_with_errors(st, &back, "complaint", complaint.values(), &e, lang),
            }
        }
    };
    call.answer(reply)
}

/// The body of `api::read_inbox`: every notice in the applicant's inbox is marked read.
pub async fn read_all() -> Result<(), ServerFnError> {
    let call = FormCall::current()?;
    let reply = match applicant(&call.st, call.headers(), "/inbox").await {
        Ok(id) => match journey::mark_all_read(&call.st.db, id).await {
            Ok(()) => see_other("/inbox", vec![]),
            Err(e) => e.into_response(),
        },
        Err(r) => r,
    };
    call.answer(reply)
}
