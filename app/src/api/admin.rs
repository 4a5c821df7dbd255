//! Server functions of the administration.

use leptos::prelude::*;
use leptos::server_fn::ServerFnError;

use crate::models::AdminCommand;

/// An administrator's change: every admin form posts here, a plain form (`action` and its
/// fields, and `back`, the admin page to show again with the form's errors). A plain form is
/// answered with a 303 to the page the change concerns, with what was done.
#[server(prefix = "/api", endpoint = "admin_act")]
pub async fn admin_act(
    #[server(default)] back: String,
    #[server(flatten)] command: AdminCommand,
) -> Result<(), ServerFnError> {
    crate::server::admin::act_form(back, command).await
}

/// An administrator issues an `/api/v1` token that may read the chosen departments' cases (the
/// form's checkboxes are `departments[]`).
#[server(prefix = "/api", endpoint = "issue_token")]
pub async fn issue_token(
    #[server(default)] name: String,
    #[server(default)] departments: Vec<i32>,
) -> Result<(), ServerFnError> {
    crate::server::admin::issue_token(name, departments).await
}

/// An administrator revokes a token (it stops working at once).
#[server(prefix = "/api", endpoint = "revoke_token")]
pub async fn revoke_token(id: i32) -> Result<(), ServerFnError> {
    crate::server::admin::revoke_token(id).await
}
