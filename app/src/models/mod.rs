//! Typed DTOs shared by the browser and the server. Never a database entity: services map
//! entities into these. Nothing here can hold a password hash.

pub mod admin;
pub mod auth;
pub mod backoffice;
pub mod catalog;
pub mod flash;
pub mod journey;
pub mod notices;
pub mod open_gov;
pub mod prefs;
pub mod supervision;

pub use admin::*;
pub use auth::*;
pub use backoffice::*;
pub use catalog::*;
pub use flash::*;
pub use journey::*;
pub use notices::*;
pub use open_gov::*;
pub use prefs::*;
pub use supervision::*;
