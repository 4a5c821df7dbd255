//! The browser entry: hydrates the server-rendered page.
#![forbid(unsafe_code)]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // Reached only when hydration walked the whole page: a mismatch panics (in release it traps)
    // before this line, and the page is then not marked (browser tests wait for the mark).
    app::mark_hydrated();
}
