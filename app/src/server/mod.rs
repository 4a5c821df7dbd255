//! Server-only code (feature `ssr`): configuration, state, database, repositories and services.
//! Server functions in `crate::api`, the pages and the HTTP handlers (`routes`: the account forms in
//! `forms`, the features' `*_forms`) are thin glue over these.

pub mod accounts;
pub mod activation;
pub mod admin;
pub mod api_v1;
pub mod audit;
pub mod auth;
pub mod backoffice;
pub mod backoffice_forms;
pub mod bundles;
pub mod calendar;
pub mod cases;
pub mod catalog;
pub mod clock;
pub mod config;
pub mod db;
pub mod edge;
pub mod entities;
pub mod error;
pub mod files;
pub mod forms;
pub mod guard;
pub mod inquiry;
pub mod intake;
pub mod journey;
pub mod journey_forms;
pub mod notices;
pub mod notify;
pub mod open_gov;
pub mod page_cache;
pub mod receipt;
pub mod routes;
pub mod scheduler;
pub mod second_factor;
pub mod sms;
pub mod state;
pub mod supervision;
pub mod supervision_forms;

pub use error::AppError;
pub use state::AppState;
