//! Pages (server only): each route's component, made on the server. Forms post to server functions
//! as plain forms, so they work without JavaScript; what must run in the browser is an island (`crate::islands`).
//! A page that loads its content from the services hands a loader to [`loaded::loaded`].

mod account;
pub mod admin;
mod apply;
mod auth;
pub mod backoffice;
mod bundle;
mod bundle_admin;
pub mod cases;
mod editor;
mod home;
mod intake;
mod item;
pub mod loaded;
mod not_found;
mod open_gov;
pub mod public;
mod staff;
pub mod supervision;

pub use account::AccountPage;
pub use admin::{AdminHomePage, CalendarAdminPage, ItemEditorPage, ItemsAdminPage, TemplatesPage, TokensPage};
pub use apply::{ApplyPage, CheckPage};
pub use auth::{ActivatePage, LoginPage, PasswordPage, RegisterPage, SecondFactorPage, StaffLoginPage};
pub use backoffice::{QueuePage, StaffCasePage};
pub use bundle::{BundleApplicationPage, BundlePage};
pub use bundle_admin::{BundleEditorPage, BundlesAdminPage};
pub use cases::{CasePage, CasesPage, WithdrawPage};
pub use home::HomePage;
pub use intake::IntakePage;
pub use item::ItemPage;
pub use not_found::NotFound;
pub use open_gov::{OpenDeskPage, OpenDirectoryPage, OpenEditPage, OpenEntryPage, OpenIndexPage, ProcedurePage};
pub use public::{ComplaintPage, InboxPage, LedgerPage, ProgressPage, VerifyPage};
pub use staff::StaffPage;
pub use supervision::{InquiriesPage, StatsPage, SupervisionPage};
