//! Tongban's application: routes, pages, components, server functions and shared models.
//! With feature `ssr` it also holds the server-only modules (`server`); with `hydrate` it runs in
//! the browser.
#![forbid(unsafe_code)]
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod models;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::components::Layout;
use crate::models::Prefs;
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

/// The preferences of this request: from the cookies on the server, from the rendered `<html>` in
/// the browser (so hydration sees exactly what the server rendered).
pub fn detect_prefs() -> Prefs {
    #[cfg(feature = "ssr")]
    {
        if let Some(parts) = use_context::<http::request::Parts>() {
            return crate::server::edge::prefs_of(&parts.headers);
        }
    }
    #[cfg(feature = "hydrate")]
    {
        if let Some(el) = document().document_element() {
            let lang = el.get_attribute("lang").and_then(|l| rules::Lang::from_tag(&l)).unwrap_or_default();
            let elder = el.class_name().split_whitespace().any(|c| c == "elder");
            return Prefs { lang, elder };
        }
    }
    Prefs::default()
}

/// The CSP nonce of a request, made by the server's middleware before rendering: the middleware
/// sends it in the `Content-Security-Policy` header, the shell puts it on the page's scripts.
#[derive(Debug, Clone)]
pub struct CspNonce(pub String);

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let prefs = detect_prefs();
    #[cfg(feature = "ssr")]
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
                <HydrationScripts options=options.clone()/>
                <HashedStylesheet options id="leptos"/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Marks `<body>` once the wasm has hydrated the whole page (browser tests wait for the mark).
#[cfg(feature = "hydrate")]
pub fn mark_hydrated() {
    if let Some(body) = document().body() {
        let _ = body.set_attribute("data-hydrated", "");
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
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/register") view=RegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/cases") view=CasesPage ssr=SsrMode::Async/>
                    <Route path=path!("/cases/:id") view=ServerPage ssr=SsrMode::Async/>
                    <Route path=path!("/cases/:id/withdraw") view=WithdrawPage ssr=SsrMode::Async/>
                    <Route path=path!("/applications/:id") view=ApplyPage ssr=SsrMode::Async/>
                    <Route path=path!("/applications/:id/check") view=CheckPage ssr=SsrMode::Async/>
                    <Route path=path!("/progress") view=ProgressPage ssr=SsrMode::Async/>
                    <Route path=path!("/ledger") view=ServerPage ssr=SsrMode::Async/>
                    <Route path=path!("/verify/:code") view=ServerPage ssr=SsrMode::Async/>
                    <Route path=path!("/inbox") view=ServerPage ssr=SsrMode::Async/>
                    <Route path=path!("/complaint") view=ComplaintPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/login") view=StaffLoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff") view=StaffPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/queue") view=ServerPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/intake") view=ServerPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/cases/:id") view=ServerPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/supervision") view=ServerPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/stats") view=ServerPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/inquiries") view=ServerPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/admin/tokens") view=ServerPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/admin") view=ServerPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/admin/calendar") view=ServerPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/admin/templates") view=ServerPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/admin/items") view=ServerPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/admin/items/:code") view=ServerPage ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}
