//! Islands: the only parts of a page that run in the browser (Leptos `islands` mode). Everything
//! else is made on the server and never re-rendered by the browser. Each island's props are
//! serialized into the page; an island reads the user's language from the page (`use_prefs`), never
//! from a server-side context, and never uses the router or `leptos_meta` (they do not run in the
//! browser). What is typed before an island wakes up stays in the page: islands hydrate the HTML
//! the server made, and read the form's own values where it matters.

mod apply;
mod auth;
mod guide;
mod item_rules;

pub use apply::DraftEditor;
pub use auth::{LoginForm, RegisterForm};
pub use guide::ChecklistPreview;
pub use item_rules::ItemRulesLive;
