//! The page shell, the one router, and the scripts that wake the islands (server only).

use std::sync::OnceLock;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::components::detect_prefs;
use crate::components::Layout;
use crate::pages::*;

/// The content security policy for pages: scripts only from this origin or carrying this
/// response's nonce, wasm allowed, no framing.
pub fn content_security_policy(nonce: Option<&str>, dev_reload: bool) -> String {
    let script = match nonce {
        Some(n) => format!("script-src 'self' 'nonce-{n}' 'wasm-unsafe-eval'"),
        None => "script-src 'self' 'wasm-unsafe-eval'".into(),
    };
    let connect = if dev_reload { "connect-src 'self' ws:" } else { "connect-src 'self'" };
    format!(
        "default-src 'self'; {script}; style-src 'self'; img-src 'self' data:; font-src 'self'; {connect}; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

pub use crate::models::CspNonce;

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let prefs = detect_prefs();
    {
        // One nonce for the header and the scripts, whatever the route (pages, 404s): the one the
        // middleware minted for this request replaces Leptos' own.
        if let Some(n) = use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<CspNonce>().cloned()) {
            provide_context(leptos::nonce::Nonce::from_value(n.0));
        }
    }
    view! {
        <!DOCTYPE html>
        <html lang=prefs.lang.tag() class=if prefs.elder { "elder" } else { "" }>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.ico"/>
                <AutoReload options=options.clone()/>
                <IslandScripts options=options.clone()/>
                <HashedStylesheet options id="leptos"/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let prefs = detect_prefs();
    provide_context(prefs);
    let title = prefs.lang.pick(
        "通办 · 一窗通办政务服务",
        "通辦 · 一窗通辦政務服務",
        "Tongban · one-window government services",
    );
    view! {
        <Title text=title/>
        <Router>
            <Layout>
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/items/:code") view=ItemPage ssr=SsrMode::Async/>
                    <Route path=path!("/bundles/:code") view=BundlePage ssr=SsrMode::Async/>
                    <Route path=path!("/bundle-applications/:id") view=BundleApplicationPage ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/register") view=RegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("/activate") view=ActivatePage ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/cases") view=CasesPage ssr=SsrMode::Async/>
                    <Route path=path!("/cases/:id") view=CasePage ssr=SsrMode::Async/>
                    <Route path=path!("/cases/:id/withdraw") view=WithdrawPage ssr=SsrMode::Async/>
                    <Route path=path!("/applications/:id") view=ApplyPage ssr=SsrMode::Async/>
                    <Route path=path!("/applications/:id/check") view=CheckPage ssr=SsrMode::Async/>
                    <Route path=path!("/progress") view=ProgressPage ssr=SsrMode::Async/>
                    <Route path=path!("/ledger") view=LedgerPage ssr=SsrMode::Async/>
                    <Route path=path!("/verify/:code") view=VerifyPage ssr=SsrMode::Async/>
                    <Route path=path!("/inbox") view=InboxPage ssr=SsrMode::Async/>
                    <Route path=path!("/complaint") view=ComplaintPage ssr=SsrMode::Async/>
                    <Route path=path!("/open") view=OpenIndexPage ssr=SsrMode::Async/>
                    <Route path=path!("/open/directory") view=OpenDirectoryPage ssr=SsrMode::Async/>
                    <Route path=path!("/open/procedures/:code") view=ProcedurePage ssr=SsrMode::Async/>
                    <Route path=path!("/open/:id") view=OpenEntryPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/login") view=StaffLoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/password") view=PasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/second-factor") view=SecondFactorPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/password") view=PasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff") view=StaffPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/queue") view=QueuePage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/intake") view=IntakePage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/cases/:id") view=StaffCasePage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/supervision") view=SupervisionPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/stats") view=StatsPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/inquiries") view=InquiriesPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/open") view=OpenDeskPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/open/:id") view=OpenEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/admin/tokens") view=TokensPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/admin") view=AdminHomePage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/admin/calendar") view=CalendarAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/admin/templates") view=TemplatesPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/admin/items") view=ItemsAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/admin/items/:code") view=ItemEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/admin/bundles") view=BundlesAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/admin/bundles/:code") view=BundleEditorPage ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}

/// The script that wakes the islands (`islands.js`): it loads a wasm only when the page has an
/// island, and then the bundle that holds it (`islands::BUNDLES`), so a page without one downloads
/// no wasm at all and the login page does not download the application editor. File names carry
/// the hashes in `hash.txt` beside the binary, read once.
#[component]
fn IslandScripts(options: LeptosOptions) -> impl IntoView {
    static BUNDLES: OnceLock<String> = OnceLock::new();
    let bundles = BUNDLES.get_or_init(|| {
        let hashes = if options.hash_files {
            let path = std::env::current_exe()
                .ok()
                .and_then(|p| p.parent().map(|d| d.join(options.hash_file.as_ref())))
                .unwrap_or_default();
            std::fs::read_to_string(&path).unwrap_or_default()
        } else {
            String::new()
        };
        bundle_files(&options.output_name, &hashes, options.hash_files || option_env!("LEPTOS_OUTPUT_NAME").is_some())
    });
    // the body outside islands is not hydrated: no hydration ids, no serialized resources for it
    if let Some(sc) = Owner::current_shared_context() {
        sc.set_is_hydrating(false);
    }
    let script = format!("{}({:?}, {:?}, {bundles});", include_str!("islands.js"), "", options.site_pkg_dir.as_ref());
    view! { <script type="module" nonce=leptos::nonce::use_nonce()>{script}</script> }
}

/// Which files hold each island, as a JSON object `{"FieldChecks": ["<js stem>", "<wasm stem>"], …}`
/// for `islands.js`. A release build (`scripts/build-release`) has one bundle per entry of
/// `islands::BUNDLES` (`js-auth: <hash>` … in `hash.txt`); a development build has the one bundle
/// `<name>` with every island (`js: <hash>`, or no hash). `hashed_wasm`: the wasm is named
/// `<name>.wasm`, not wasm-bindgen's `<name>_bg.wasm` (cargo-leptos renames it).
fn bundle_files(name: &str, hashes: &str, hashed_wasm: bool) -> String {
    let hash_of = |key: &str| {
        hashes.lines().find_map(|l| l.trim().split_once(':').filter(|(k, _)| k.trim() == key).map(|(_, h)| h.trim()))
    };
    let stem = |base: &str, h: Option<&str>| h.map_or_else(|| base.to_string(), |h| format!("{base}.{h}"));
    let mut files = serde_json::Map::new();
    for (bundle, islands) in crate::islands::BUNDLES {
        let (js, wasm) = match (hash_of(&format!("js-{bundle}")), hash_of(&format!("wasm-{bundle}"))) {
            (Some(j), Some(w)) => {
                let base = format!("{name}-{bundle}");
                (stem(&base, Some(j)), stem(&base, Some(w)))
            }
            _ => {
                let wasm = if hashed_wasm { stem(name, hash_of("wasm")) } else { format!("{name}_bg") };
                (stem(name, hash_of("js")), wasm)
            }
        };
        for island in *islands {
            files.insert(island.to_string(), serde_json::json!([js, wasm]));
        }
    }
    serde_json::Value::Object(files).to_string()
}

#[cfg(test)]
mod tests {
    use super::bundle_files;

    #[test]
    fn each_island_loads_its_own_bundle_in_a_release_build() {
        let hashes = "css: C\njs-auth: A1\nwasm-auth: A2\njs-guide: G1\nwasm-guide: G2\njs-apply: P1\nwasm-apply: P2\njs-admin: D1\nwasm-admin: D2\n";
        let v: serde_json::Value = serde_json::from_str(&bundle_files("tongban", hashes, true)).unwrap();
        assert_eq!(v["FieldChecks"], serde_json::json!(["tongban-auth.A1", "tongban-auth.A2"]));
        assert_eq!(v["ChecklistLive"], serde_json::json!(["tongban-guide.G1", "tongban-guide.G2"]));
        assert_eq!(v["EditorLive"], serde_json::json!(["tongban-apply.P1", "tongban-apply.P2"]));
        assert_eq!(v["ItemRulesLive"], serde_json::json!(["tongban-admin.D1", "tongban-admin.D2"]));
    }

    #[test]
    fn a_development_build_has_one_bundle_for_every_island() {
        let v: serde_json::Value =
            serde_json::from_str(&bundle_files("tongban", "js: J\nwasm: W\ncss: C\n", true)).unwrap();
        assert_eq!(v["EditorLive"], serde_json::json!(["tongban.J", "tongban.W"]));
        assert_eq!(v["FieldChecks"], v["EditorLive"]);
        let v: serde_json::Value = serde_json::from_str(&bundle_files("tongban", "", false)).unwrap();
        assert_eq!(v["FieldChecks"], serde_json::json!(["tongban", "tongban_bg"]));
    }
}
