//! Server functions of 政务公开: the editors' writes.

use leptos::prelude::*;
use leptos::server_fn::ServerFnError;
use rules::open::EntryStep;

use crate::models::OpenDraft;

/// An editor writes an entry (a new draft, or the working copy of one of theirs).
#[server(prefix = "/api", endpoint = "open_save")]
pub async fn open_save(#[server(flatten)] input: OpenDraft) -> Result<(), ServerFnError> {
    crate::server::open_gov::save_form(input).await
}

/// An editor sends an entry for approval, approves another's, sends it back or withdraws it.
#[server(prefix = "/api", endpoint = "open_step")]
pub async fn open_step(id: i32, version: i32, step: EntryStep) -> Result<(), ServerFnError> {
    crate::server::open_gov::step_form(id, version, step).await
}

/// An editor takes a file off an entry's working copy (at the version seen).
#[server(prefix = "/api", endpoint = "open_remove_file")]
pub async fn open_remove_file(id: i32, version: i32, file: i32) -> Result<(), ServerFnError> {
    crate::server::open_gov::remove_file_form(id, version, file).await
}
