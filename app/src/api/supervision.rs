//! Server functions of supervision.

use leptos::prelude::*;
use leptos::server_fn::ServerFnError;

use crate::models::SupervisionAction;

/// A dashboard action (a department's explanation, a supervisor's conclusion, a bad rating's
/// follow-up, a complaint's answer, an audit check): every form of the supervision dashboard
/// posts here, a plain form answered with a 303 back to the department's dashboard.
#[server(prefix = "/api", endpoint = "supervision_act")]
pub async fn supervision_act(
    #[server(default)] department: String,
    #[server(flatten)] action: SupervisionAction,
) -> Result<(), ServerFnError> {
    crate::server::supervision_forms::act(department, action).await
}
