//! A page whose content the server loads and renders: the route's component hands [`loaded`] an
//! async loader that gets the request's [`PageCtx`] and returns the page's view, a redirect, or an
//! error. Outside islands nothing of this reaches the browser: its HTML is sent once and never
//! re-rendered, so it works the same with or without JavaScript and nothing typed into it is lost.

use std::collections::BTreeMap;
use std::future::Future;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_location, use_params_map};
use rules::Lang;

use crate::components::use_prefs;
use crate::models::{Flash, SessionUser};
use crate::server::{guard, AppError, AppState};

/// What a loader knows about the request.
pub struct PageCtx {
    pub state: AppState,
    pub user: Option<SessionUser>,
    pub lang: Lang,
    /// The address' path, e.g. `/staff/queue` (for the login redirect's `next`).
    pub path: String,
    /// The route's parameters (`:id`, `:code`).
    pub params: BTreeMap<String, String>,
    /// The query string's fields.
    pub query: BTreeMap<String, String>,
    pub today: chrono::NaiveDate,
    /// The client's address (for the security log).
    pub address: String,
    /// The request's `x-request-id`, read where the render begins: what a render may take once
    /// is taken for it (`api_v1::take_reveal`), the same for every run of the loader.
    pub request_id: Option<String>,
}

impl PageCtx {
    /// A query field, or "".
    pub fn get(&self, k: &str) -> String {
        self.query.get(k).cloned().unwrap_or_default()
    }

    /// A route parameter parsed (a malformed one is "not found").
    pub fn param<T: std::str::FromStr>(&self, k: &str) -> Result<T, AppError> {
        self.params.get(k).and_then(|v| v.parse().ok()).ok_or(AppError::NotFound)
    }

    /// The flash of `form` (errors and values after a refused post), or an empty one.
    pub async fn flash(&self, form: &str) -> Result<Flash, AppError> {
        Ok(self.flash_of(&[form]).await?.unwrap_or_default())
    }

    /// The first flash of one of `forms` the browser carries.
    pub async fn flash_of(&self, forms: &[&str]) -> Result<Option<Flash>, AppError> {
        for form in forms {
            if let Some(f) = crate::api::take_flash(form.to_string()).await.map_err(AppError::internal)? {
                return Ok(Some(f));
            }
        }
        Ok(None)
    }

    /// The page's title with the site's name.
    pub fn page(&self, title: impl Into<String>, view: impl IntoView + 'static) -> Page {
        Page::Html { title: title.into(), view: view.into_any() }
    }

    /// `None` when someone is signed in; otherwise the redirect to the sign-in page that returns
    /// here (the staff one for `/staff/…`).
    pub fn login_first(&self) -> Option<Page> {
        if self.user.is_some() {
            return None;
        }
        let login = if self.path.starts_with("/staff") { "/staff/login" } else { "/login" };
        Some(Page::Redirect(format!("{login}?next={}", self.path)))
    }
}

/// What a loader made.
pub enum Page {
    Html { title: String, view: AnyView },
    Redirect(String),
}

/// Renders what `load` makes for this request (see the module's documentation).
pub fn loaded<F, Fut>(load: F) -> impl IntoView
where
    F: Fn(PageCtx) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<Page, AppError>> + Send + 'static,
{
    let lang = use_prefs().lang;
    let location = use_location();
    let params = use_params_map();
    let path = location.pathname.get_untracked();
    let query: BTreeMap<String, String> =
        serde_urlencoded::from_str(location.search.get_untracked().trim_start_matches('?')).unwrap_or_default();
    let params: BTreeMap<String, String> =
        params.read_untracked().clone().into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    // One future, made once: the page is rendered once on the server and never again, so the
    // loader is not a reactive closure (one would be called again by the render's passes, and
    // the loader — its reads logged, what it takes once taken — would run twice).
    let made = async move {
        let state = use_context::<AppState>().ok_or_else(|| AppError::internal("server state missing"))?;
        let parts = use_context::<http::request::Parts>().ok_or_else(|| AppError::internal("request missing"))?;
        let user = guard::render_caller(&state, &parts.headers).await?;
        let today = state.today();
        let address = parts
            .extensions
            .get::<crate::server::edge::ClientIp>()
            .map(|c| c.0.clone())
            .unwrap_or_else(|| "unknown".into());
        let request_id = parts.headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_string);
        load(PageCtx { state, user, lang, path, params, query, today, address, request_id }).await
    };
    let body = Suspend::new(async move {
        match made.await {
            Ok(Page::Html { title, view }) => {
                let title = format!("{title} · {}", lang.pick("通办", "通辦", "Tongban"));
                view! { <Title text=title/>{view} }.into_any()
            }
            Ok(Page::Redirect(to)) => view! { <Redirect path=to/> }.into_any(),
            Err(e) => {
                if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
                    resp.set_status(e.status());
                }
                let text = e.message(lang);
                view! { <section class="panel"><p class="error-message" role="alert">{text}</p></section> }.into_any()
            }
        }
    });
    view! { <Suspense fallback=|| ()>{body}</Suspense> }
}

/// [`loaded`] for a page that needs someone signed in: without a session it redirects to the
/// sign-in page that comes back here (the staff one for `/staff/…`), before `load` runs.
pub fn signed_in<F, Fut>(load: F) -> impl IntoView
where
    F: Fn(PageCtx) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<Page, AppError>> + Send + 'static,
{
    loaded(move |c| {
        let load = load.clone();
        async move {
            match c.login_first() {
                Some(login) => Ok(login),
                None => load(c).await,
            }
        }
    })
}
