//! Server functions of the applicant's journey and the public pages.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::server_fn::ServerFnError;

use crate::models::{
    AnswersForm, ComplaintInput, DraftView, InboxEntry, LedgerPage, ProgressView, RatingForm, Verification,
};

#[cfg(feature = "ssr")]
use super::glue;

/// The caller's draft (or case awaiting correction); `None` when nobody is logged in.
#[server(prefix = "/api", endpoint = "get_draft")]
pub async fn get_draft(id: i32) -> Result<Option<DraftView>, ServerFnError> {
    use crate::server::{guard, journey};
    let c = glue::ctx().await?;
    let run = async {
        let Some(filer) = guard::draft_filer(&c.state, &c.headers, id).await? else { return Ok(None) };
        journey::draft_view(&c.state.db, &c.state.calendar(), filer.applicant_id, id, c.state.today()).await.map(Some)
    };
    run.await.map_err(|e| glue::fail(e, c.lang))
}

/// Saves the draft's answers as the applicant goes (JavaScript on). Returns the new version.
#[server(prefix = "/api", endpoint = "autosave_answers")]
pub async fn autosave_answers(id: i32, answers: BTreeMap<String, String>) -> Result<i32, ServerFnError> {
    use crate::server::{guard, journey};
    let c = glue::ctx().await?;
    let run = async {
        let filer =
            guard::draft_filer(&c.state, &c.headers, id).await?.ok_or(crate::server::error::AppError::Unauthorized)?;
        journey::save_answers(&c.state.db, filer.applicant_id, id, &answers, c.lang).await
    };
    run.await.map_err(|e| glue::fail(e, c.lang))
}

/// The public progress query. `None` when nothing was asked yet. Rate-limited per address; a pair
/// that does not match says only "not found".
#[server(prefix = "/api", endpoint = "public_progress")]
pub async fn public_progress(case_no: String, who: String) -> Result<Option<ProgressView>, ServerFnError> {
    use crate::server::edge::ClientIp;
    use crate::server::{journey, AppError};
    let c = glue::ctx().await?;
    // nothing asked yet, or a case number alone (the QR code on a notice): the form, filled in
    if who.trim().is_empty() {
        return Ok(None);
    }
    let run = async {
        let ip = leptos_axum::extract::<axum::Extension<ClientIp>>()
            .await
            .map(|e| e.0 .0)
            .unwrap_or_else(|_| "unknown".into());
        journey::rate_limit(
            &c.state.db,
            "progress",
            &ip,
            journey::PROGRESS_QUERIES_PER_WINDOW,
            journey::PROGRESS_WINDOW_MINUTES,
        )
        .await?;
        match journey::public_progress(&c.state.db, &case_no, &who).await {
            Err(AppError::NotFound) => Err(AppError::Invalid(vec![(
                "_form".into(),
                c.lang
                    .pick(
                        "没有找到与该办件编号和手机号（或证件号码）后 4 位相符的办件，请核对后再试。",
                        "沒有找到與該辦件編號和手機號（或證件號碼）後 4 位相符的辦件，請核對後再試。",
                        "No case matches that case number and the last 4 of the mobile (or ID number). Check them and try again.",
                    )
                    .into(),
            )])),
            other => other.map(Some),
        }
    };
    run.await.map_err(|e| glue::fail(e, c.lang))
}

#[server(prefix = "/api", endpoint = "public_ledger")]
pub async fn public_ledger(page: u64) -> Result<LedgerPage, ServerFnError> {
    let c = glue::ctx().await?;
    crate::server::journey::ledger(&c.state.db, page).await.map_err(|e| glue::fail(e, c.lang))
}

#[server(prefix = "/api", endpoint = "verify_document")]
pub async fn verify_document(code: String) -> Result<Verification, ServerFnError> {
    let c = glue::ctx().await?;
    crate::server::journey::verify(&c.state.db, &code).await.map_err(|e| glue::fail(e, c.lang))
}

/// The caller's notifications; `None` when the caller is not a logged-in applicant.
#[server(prefix = "/api", endpoint = "my_inbox")]
pub async fn my_inbox() -> Result<Option<Vec<InboxEntry>>, ServerFnError> {
    use crate::models::SessionUser;
    use crate::server::{guard, journey};
    let c = glue::ctx().await?;
    let run = async {
        let Some(SessionUser::Applicant { id, .. }) = guard::render_caller(&c.state, &c.headers).await? else {
            return Ok(None);
        };
        journey::inbox(&c.state.db, id).await.map(Some)
    };
    run.await.map_err(|e| glue::fail(e, c.lang))
}

/// Departments (id, name) for the window complaint form; `None` when not a logged-in applicant.
#[server(prefix = "/api", endpoint = "complaint_form")]
pub async fn complaint_form() -> Result<Option<Vec<(i32, String)>>, ServerFnError> {
    use crate::models::SessionUser;
    use crate::server::{guard, journey};
    let c = glue::ctx().await?;
    let run = async {
        let Some(SessionUser::Applicant { .. }) = guard::render_caller(&c.state, &c.headers).await? else {
            return Ok(None);
        };
        journey::departments(&c.state.db).await.map(Some)
    };
    run.await.map_err(|e| glue::fail(e, c.lang))
}

/// An applicant starts an application for `item` (or goes back to their draft of it).
#[server(prefix = "/api", endpoint = "start_application")]
pub async fn start_application(#[server(default)] item: String) -> Result<(), ServerFnError> {
    crate::server::journey_forms::start(item).await
}

/// The editor's answers, saved without JavaScript (with it, `autosave_answers` saves each choice).
#[server(prefix = "/api", endpoint = "save_answers")]
pub async fn save_answers(#[server(flatten)] form: AnswersForm) -> Result<(), ServerFnError> {
    crate::server::journey_forms::save_answers(form).await
}

/// A file of a draft is removed.
#[server(prefix = "/api", endpoint = "remove_file")]
pub async fn remove_file(case: i32, file: i32) -> Result<(), ServerFnError> {
    crate::server::journey_forms::remove_file(case, file).await
}

/// A draft moves to the item's newest guide.
#[server(prefix = "/api", endpoint = "upgrade_draft")]
pub async fn upgrade_draft(case: i32) -> Result<(), ServerFnError> {
    crate::server::journey_forms::upgrade(case).await
}

/// A draft is submitted, at the version the applicant checked.
#[server(prefix = "/api", endpoint = "submit_application")]
pub async fn submit_application(case: i32, #[server(default)] version: i32) -> Result<(), ServerFnError> {
    crate::server::journey_forms::submit(case, version).await
}

/// An applicant withdraws a case (`confirm` is `yes` when the box is ticked).
#[server(prefix = "/api", endpoint = "withdraw_case")]
pub async fn withdraw_case(
    case: i32,
    #[server(default)] version: i32,
    #[server(default)] reason: String,
    #[server(default)] confirm: String,
) -> Result<(), ServerFnError> {
    crate::server::journey_forms::withdraw(case, version, reason, confirm).await
}

/// An applicant rates a finished case.
#[server(prefix = "/api", endpoint = "rate_case")]
pub async fn rate_case(case: String, #[server(flatten)] rating: RatingForm) -> Result<(), ServerFnError> {
    crate::server::journey_forms::rate(case, rating).await
}

/// An applicant complains about a case.
#[server(prefix = "/api", endpoint = "complain_case")]
pub async fn complain_case(case: String, #[server(flatten)] complaint: ComplaintInput) -> Result<(), ServerFnError> {
    crate::server::journey_forms::complain(Some(case), complaint).await
}

/// An applicant complains about a department's window.
#[server(prefix = "/api", endpoint = "complain_window")]
pub async fn complain_window(#[server(flatten)] complaint: ComplaintInput) -> Result<(), ServerFnError> {
    crate::server::journey_forms::complain(None, complaint).await
}

/// Every notice in the applicant's inbox is marked read.
#[server(prefix = "/api", endpoint = "read_inbox")]
pub async fn read_inbox() -> Result<(), ServerFnError> {
    crate::server::journey_forms::read_all().await
}
