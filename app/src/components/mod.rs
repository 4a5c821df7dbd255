//! Shared components: the page layout (header with language and elder-mode switches, footer),
//! form fields with their errors, the error summary and notices.

mod bundle;
mod form;
mod layout;

pub use bundle::*;
pub use form::*;
pub use layout::*;

use leptos::prelude::*;

use crate::models::Prefs;

/// The user's language and elder mode: from the context the server's `App` provides, or, in an
/// island in the browser (no server context there), from the page's `<html>`.
pub fn use_prefs() -> Prefs {
    use_context::<Prefs>().unwrap_or_else(crate::detect_prefs)
}
