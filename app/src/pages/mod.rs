//! Pages. Each is one route; forms post to plain endpoints so they work without JavaScript, and
//! the browser adds checks with the `rules` crate before anything is sent.

mod account;
mod auth;
mod cases;
mod home;
mod item;
mod not_found;
mod staff;

pub use account::AccountPage;
pub use auth::{LoginPage, RegisterPage, StaffLoginPage};
pub use cases::{CasePage, CasesPage};
pub use home::HomePage;
pub use item::ItemPage;
pub use not_found::NotFound;
pub use staff::StaffPage;
