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
