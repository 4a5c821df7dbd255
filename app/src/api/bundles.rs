//! Server functions of a 一件事 application (`server::bundles::forms` has their bodies).

use leptos::prelude::*;
use leptos::server_fn::ServerFnError;

use crate::models::{AnswersForm, FieldsForm};

/// An applicant begins (or goes back to) their application of bundle `code`.
#[server(prefix = "/api", endpoint = "bundle_start")]
pub async fn bundle_start(code: String) -> Result<(), ServerFnError> {
    crate::server::bundles::forms::start_form(code).await
}

/// The answers to the bundle's questions (`case` is the application's id, `q_<code>` fields).
#[server(prefix = "/api", endpoint = "bundle_answers")]
pub async fn bundle_answers(#[server(flatten)] form: AnswersForm) -> Result<(), ServerFnError> {
    crate::server::bundles::forms::answers_form(form).await
}

/// A file of the draft removed from every case it was recorded in.
#[server(prefix = "/api", endpoint = "bundle_remove_file")]
pub async fn bundle_remove_file(application: i32, file: i32) -> Result<(), ServerFnError> {
    crate::server::bundles::forms::remove_file_form(application, file).await
}

/// The draft's cases moved to their items' newest guides.
#[server(prefix = "/api", endpoint = "bundle_upgrade")]
pub async fn bundle_upgrade(application: i32) -> Result<(), ServerFnError> {
    crate::server::bundles::forms::upgrade_form(application).await
}

/// Every case of the application sent at once, at the `version` the applicant checked.
#[server(prefix = "/api", endpoint = "bundle_submit")]
pub async fn bundle_submit(application: i32, version: i32) -> Result<(), ServerFnError> {
    crate::server::bundles::forms::submit_form(application, version).await
}

/// An admin writes a 一件事 (`server::bundles::admin` reads the form).
#[server(prefix = "/api", endpoint = "bundle_save")]
pub async fn bundle_save(#[server(flatten)] form: FieldsForm) -> Result<(), ServerFnError> {
    crate::server::bundles::forms::save_form(form).await
}
