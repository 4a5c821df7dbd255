//! Server functions of the back office.

use leptos::prelude::*;
use leptos::server_fn::ServerFnError;

use crate::models::{NewApplicant, NewConsultation, QueuePage, StaffAction, StaffCase};

#[cfg(feature = "ssr")]
use super::glue;

/// One page of a queue; `None` when nobody is logged in (the page sends to the staff login).
#[server(prefix = "/api", endpoint = "staff_queue")]
pub async fn staff_queue(bucket: String, search: String, cursor: String) -> Result<Option<QueuePage>, ServerFnError> {
    use crate::server::{backoffice, guard};
    let c = glue::ctx().await?;
    let run = async {
        let user = guard::render_caller(&c.state, &c.headers).await?;
        if user.is_none() {
            return Ok(None);
        }
        let today = c.state.today();
        let query = backoffice::QueueQuery { bucket: &bucket, search: &search, cursor: &cursor, item: "" };
        backoffice::queue(&c.state.db, &c.state.calendar(), user.as_ref(), query, today).await.map(Some)
    };
    run.await.map_err(|e| glue::fail(e, c.lang))
}

/// The staff view of a case; `None` when nobody is logged in.
#[server(prefix = "/api", endpoint = "staff_case")]
pub async fn staff_case_view(id: i32) -> Result<Option<StaffCase>, ServerFnError> {
    use crate::server::{backoffice, guard};
    let c = glue::ctx().await?;
    let run = async {
        let user = guard::render_caller(&c.state, &c.headers).await?;
        if user.is_none() {
            return Ok(None);
        }
        backoffice::staff_case(&c.state.db, user.as_ref(), id, c.state.today()).await.map(Some)
    };
    run.await.map_err(|e| glue::fail(e, c.lang))
}

/// A member of staff acts on a case: every action form of a case page posts here, a plain form
/// (`case`, the `version` the clerk saw, `action` and its fields). A plain form is answered with
/// the case page again (a 303, with what was done or the form's errors next to its fields).
#[server(prefix = "/api", endpoint = "staff_act")]
pub async fn staff_act(
    case: String,
    version: String,
    #[server(flatten)] action: StaffAction,
) -> Result<(), ServerFnError> {
    crate::server::backoffice_forms::act(case, version, action).await
}

/// The window accepts at once every case of a 一件事 application it may accept (`versions`:
/// `case:version` pairs as its page showed them).
#[server(prefix = "/api", endpoint = "accept_bundle")]
pub async fn accept_bundle(case: String, versions: String) -> Result<(), ServerFnError> {
    crate::server::backoffice_forms::accept_bundle(case, versions).await
}

/// The counter registers a walk-in applicant (no password: they may sign up online later).
#[server(prefix = "/api", endpoint = "intake_applicant")]
pub async fn intake_applicant(#[server(flatten)] input: NewApplicant) -> Result<(), ServerFnError> {
    crate::server::intake::new_applicant(input).await
}

/// The counter starts (or reopens) an application for a walk-in applicant.
#[server(prefix = "/api", endpoint = "intake_start")]
pub async fn intake_start(
    #[server(default)] applicant: i32,
    #[server(default)] item: String,
    #[server(default)] number: String,
    #[server(default)] identity_checked: String,
) -> Result<(), ServerFnError> {
    crate::server::intake::start_form(applicant, item, number, identity_checked).await
}

/// The real holder of a number takes it back, at the counter, from an account someone else
/// opened online with it.
#[server(prefix = "/api", endpoint = "intake_reclaim")]
pub async fn intake_reclaim(#[server(flatten)] input: NewApplicant) -> Result<(), ServerFnError> {
    crate::server::intake::reclaim_form(input).await
}

/// The first-inquiry desk logs a consultation.
#[server(prefix = "/api", endpoint = "inquiry_log")]
pub async fn inquiry_log(#[server(flatten)] input: NewConsultation) -> Result<(), ServerFnError> {
    crate::server::inquiry::log_form(input).await
}

/// A consultation becomes an application at the counter.
#[server(prefix = "/api", endpoint = "inquiry_apply")]
pub async fn inquiry_apply(id: i32) -> Result<(), ServerFnError> {
    crate::server::inquiry::apply_form(id).await
}
