//! Every plain endpoint the app serves besides the Leptos routes and the server functions: the
//! applicant's journey (uploads, downloads, PDFs and the forms not yet moved to server functions),
//! the back office's notices, the statistics exports, the 政务公开 feeds, the 一件事 uploads and `/api/v1`. Only the server's router
//! imports this.

use axum::Router;

use super::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(super::journey_forms::routes())
        .merge(super::notices::routes())
        .merge(super::supervision_forms::routes())
        .merge(super::open_gov::routes())
        .merge(super::bundles::forms::routes())
        .merge(super::api_v1::routes())
}
