//! Islands: the only parts of a page that run in the browser (Leptos `islands` mode). Everything
//! else is made on the server and never re-rendered by the browser. Each island's props are
//! serialized into the page; an island reads the user's language from the page (`use_prefs`), never
//! from a server-side context, and never uses the router or `leptos_meta` (they do not run in the
//! browser). What is typed before an island wakes up stays in the page: islands hydrate the HTML
//! the server made, and read the form's own values where it matters.

//!
//! Each page kind downloads only its own islands: the release build makes one browser bundle per
//! entry of [`BUNDLES`] (the `frontend` crate's feature of the same name), and the page's script
//! loads the bundle that holds the island it finds. The server renders every island.

// a bundle without some islands leaves the helpers only they use unused
#![cfg_attr(
    not(all(feature = "island-auth", feature = "island-guide", feature = "island-apply", feature = "island-admin")),
    allow(dead_code, unused_imports)
)]

#[cfg(feature = "island-auth")]
mod auth;
#[cfg(feature = "island-apply")]
mod editor;
#[cfg(feature = "island-guide")]
mod guide;
#[cfg(feature = "island-admin")]
mod item_rules;

#[cfg(feature = "island-auth")]
pub use auth::FieldChecks;
#[cfg(feature = "island-apply")]
pub use editor::EditorLive;
#[cfg(feature = "island-guide")]
pub use guide::{BundleChecklistLive, ChecklistLive};
#[cfg(feature = "island-admin")]
pub use item_rules::ItemRulesLive;

/// The browser bundles and the islands each one holds, by component name. One page kind uses the
/// islands of one bundle: the login and registration forms; the guide's live checklist; the
/// application editor's answers and uploads; the item editor's live preview. `scripts/build-release` builds
/// `tongban-<bundle>` for each name here.
pub const BUNDLES: &[(&str, &[&str])] = &[
    ("auth", &["FieldChecks"]),
    ("guide", &["ChecklistLive", "BundleChecklistLive"]),
    ("apply", &["EditorLive"]),
    ("admin", &["ItemRulesLive"]),
];
