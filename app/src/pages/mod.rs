//! Pages. Each is one route; forms post to plain endpoints so they work without JavaScript, and
//! the browser adds checks with the `rules` crate before anything is sent.

mod account;
pub mod admin;
mod apply;
mod auth;
pub mod backoffice;
pub mod cases;
mod home;
mod item;
mod not_found;
pub mod public;
mod server_page;
mod staff;
pub mod supervision;

pub use account::AccountPage;
pub use apply::{ApplyPage, CheckPage};
pub use auth::{LoginPage, RegisterPage, StaffLoginPage};
pub use cases::{CasesPage, WithdrawPage};
pub use home::HomePage;
pub use item::ItemPage;
pub use not_found::NotFound;
pub use public::{ComplaintPage, ProgressPage};
pub use server_page::ServerPage;
pub use staff::StaffPage;
