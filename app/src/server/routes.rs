//! Every plain endpoint the app serves besides the Leptos routes: the account forms, the
//! applicant's journey, the back office, the counter, supervision, the first-inquiry desk,
//! and `/api/v1`. (Administration is the server function `api::admin_act`.) Only the server's router imports this.

use axum::Router;

use super::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(super::forms::routes())
        .merge(super::journey_forms::routes())
        .merge(super::backoffice_forms::routes())
        .merge(super::intake::routes())
        .merge(super::supervision_forms::routes())
        .merge(super::inquiry::routes())
        .merge(super::api_v1::routes())
        .merge(super::api_v1::admin_routes())
}
