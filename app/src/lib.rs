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

pub use components::detect_prefs;
#[cfg(feature = "ssr")]
pub use shell::{content_security_policy, shell, App, CspNonce};
