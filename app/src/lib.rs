//! Tongban's application: routes, pages, components, server functions and shared models.
//! Leptos runs in `islands` mode: with feature `ssr` this crate renders every page (`pages`, the
//! router in [`App`]) and holds the server-only modules (`server`); with `hydrate` only the
//! `islands` (and what they use: components, models, server-function calls, `rules`) run in the
//! browser.
#![forbid(unsafe_code)]
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod islands;
pub mod models;
#[cfg(feature = "ssr")]
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
mod shell;

use leptos::prelude::*;

use crate::models::Prefs;
#[cfg(feature = "ssr")]
pub use shell::{content_security_policy, shell, App, CspNonce};

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
