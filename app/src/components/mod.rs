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
    use_context::<Prefs>().unwrap_or_else(detect_prefs)
}

/// The preferences of this request: from the cookies on the server, from the rendered `<html>` in
/// the browser (so hydration sees exactly what the server rendered).
pub fn detect_prefs() -> Prefs {
    #[cfg(feature = "ssr")]
    {
        if let Some(parts) = use_context::<http::request::Parts>() {
            return crate::server::edge::prefs_of(&parts.headers);
        }
    }
    #[cfg(feature = "hydrate")]
    {
        if let Some(el) = document().document_element() {
            let lang = el.get_attribute("lang").and_then(|l| rules::Lang::from_tag(&l)).unwrap_or_default();
            let elder = el.class_name().split_whitespace().any(|c| c == "elder");
            return Prefs { lang, elder };
        }
    }
    Prefs::default()
}
