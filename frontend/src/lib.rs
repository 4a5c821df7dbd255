//! The browser entry: sets up the reactive runtime for the islands. The page's script
//! (`app/src/islands.js`) then wakes each island and marks the page (browser tests wait for the
//! mark; a panic in an island stops the walk before it).
#![forbid(unsafe_code)]

// the islands' wasm exports live in `app`
pub use app::islands;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
