//! Shared components: the page layout (header with language and elder-mode switches, footer),
//! form fields with their errors, the error summary and notices.

mod form;
mod layout;

pub use form::*;
pub use layout::*;

use leptos::prelude::*;

use crate::models::Prefs;

pub fn use_prefs() -> Prefs {
    use_context::<Prefs>().unwrap_or_default()
}
