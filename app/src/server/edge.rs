//! The typed request edge: extractors for who is calling and in which language, and how an
//! [`AppError`] becomes a response. Handlers take these instead of reading headers themselves:
//!
//! ```ignore
//! async fn act(State(st): State<AppState>, Prefs { lang, .. }: Prefs, Caller(user): Caller, Form(f): Form<F>) -> Response
//! ```
//!
//! An `AppError` returned (or rejected by an extractor) leaves the handler as its status alone;
//! [`localize_errors`], the outermost layer, writes its client-safe message in the request's
//! language. Internal detail never reaches the client: it went to `tracing` when the error was made.
//! A form handler answers with a 303: [`see_other`], or [`back_with_errors`] (the values and the
//! messages travel in a short-lived flash cookie that the page reads next to the fields).

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::{FromRequestParts, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::request::Parts;
use http::{header, HeaderMap, HeaderValue};

use super::error::AppError;
use super::guard;
use super::state::AppState;
use base64::Engine;
use http::StatusCode;
use rules::Lang;

use crate::models::{Flash, Prefs, SessionUser};

/// The language and elder mode of a request: its cookies, else `Accept-Language`.
pub fn prefs_of(headers: &HeaderMap) -> Prefs {
    let cookies = headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join("; ");
    let al = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    Prefs::from_cookie_header(&cookies, al)
}

impl<S: Send + Sync> FromRequestParts<S> for Prefs {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(prefs_of(&parts.headers))
    }
}

/// Whoever is calling, if anyone is logged in (looked up from the session cookie).
#[derive(Debug, Clone)]
pub struct Caller(pub Option<SessionUser>);

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, AppError> {
        if let Some(known) = parts.extensions.get::<Caller>() {
            return Ok(known.clone());
        }
        let found = Caller(guard::caller(st, &parts.headers).await?);
        parts.extensions.insert(found.clone());
        Ok(found)
    }
}

/// A member of staff. Without one, the form is answered with the staff sign-in, which comes back
/// to the page the form was on (the path of a same-origin `Referer`, else `/staff`).
#[derive(Debug, Clone)]
pub struct Staff(pub SessionUser);

impl FromRequestParts<AppState> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Response> {
        let caller = Caller::from_request_parts(parts, st).await.map_err(IntoResponse::into_response)?;
        let back = form_page(&parts.headers).unwrap_or_else(|| "/staff".into());
        caller.staff_or_login(&back).map(Staff).map_err(IntoResponse::into_response)
    }
}

/// A signed-in applicant's id. Without one, the form is answered with the sign-in page, which
/// comes back to the page the form was on (else "my cases"); staff are refused.
#[derive(Debug, Clone, Copy)]
pub struct Applicant(pub i32);

impl FromRequestParts<AppState> for Applicant {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Response> {
        let caller = Caller::from_request_parts(parts, st).await.map_err(IntoResponse::into_response)?;
        let back = form_page(&parts.headers).unwrap_or_else(|| "/cases".into());
        caller.applicant_or_login(&back).map(Applicant).map_err(IntoResponse::into_response)
    }
}

/// The path of the page a form was posted from: a `Referer` on this request's own host.
fn form_page(headers: &HeaderMap) -> Option<String> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    let rest = referer.strip_prefix("http://").or_else(|| referer.strip_prefix("https://"))?;
    let path = rest.strip_prefix(host)?;
    let path = path.split(['?', '#']).next()?;
    (path.starts_with('/') && !path.starts_with("//") && path.chars().all(|c| c.is_ascii_graphic()))
        .then(|| path.to_string())
}

/// Why a page's form cannot go on with this caller: log in first (and come back to the page), or
/// not for you.
#[derive(Debug)]
pub enum NotYou {
    Login(String),
    Forbidden,
}

impl IntoResponse for NotYou {
    fn into_response(self) -> Response {
        match self {
            NotYou::Login(to) => see_other(&to, vec![]),
            NotYou::Forbidden => AppError::Forbidden.into_response(),
        }
    }
}

impl Caller {
    /// A member of staff, or the staff login page that comes back to `back`.
    pub fn staff_or_login(self, back: &str) -> Result<SessionUser, NotYou> {
        match self.0 {
            Some(u @ SessionUser::Staff { .. }) => Ok(u),
            _ => Err(NotYou::Login(format!("/staff/login?next={back}"))),
        }
    }

    /// An applicant's id, or the login page that comes back to `back` (staff are refused).
    pub fn applicant_or_login(self, back: &str) -> Result<i32, NotYou> {
        match self.0 {
            Some(SessionUser::Applicant { id, .. }) => Ok(id),
            Some(SessionUser::Staff { .. }) => Err(NotYou::Forbidden),
            None => Err(NotYou::Login(format!("/login?next={back}"))),
        }
    }
}

/// The error a handler answered with, carried to [`localize_errors`] in the response.
#[derive(Clone)]
struct Unwritten(Arc<AppError>);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut r = self.status().into_response();
        r.extensions_mut().insert(Unwritten(Arc::new(self)));
        r
    }
}

/// The outermost layer: writes the message of an [`AppError`] response in the request's language.
pub async fn localize_errors(req: Request, next: Next) -> Response {
    let lang = prefs_of(req.headers()).lang;
    let mut r = next.run(req).await;
    if let Some(Unwritten(e)) = r.extensions_mut().remove::<Unwritten>() {
        let (mut parts, _) = r.into_parts();
        parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, axum::body::Body::from(e.message(lang)));
    }
    r
}

/// The response a server function gives a plain HTML form: a 303 with its flash, or a refusal,
/// built like every form answer of the site ([`see_other`], [`back_with_errors`], an [`AppError`]).
/// `ResponseOptions` can set a status and headers only, and the framework's own answer to a form
/// is a redirect to the `Referer`; so [`form_replies`] puts this slot into a plain form's request
/// and answers with what the server function left in it.
#[derive(Clone, Default)]
pub struct FormReply(Arc<std::sync::Mutex<Option<Response>>>);

impl FormReply {
    fn put(&self, r: Response) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
    }
    fn take(&self) -> Option<Response> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

/// Whether a post comes from a plain form (a browser accepts HTML or anything), not from the
/// server functions' own client (which asks for the one encoding it reads, e.g. JSON).
fn from_a_form(headers: &HeaderMap) -> bool {
    match headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(accept) => accept.contains("text/html") || accept.contains("*/*"),
    }
}

/// Around every route: a plain form's post is answered with the response its server function
/// left in [`FormReply`], if it left one.
pub async fn form_replies(mut req: Request, next: Next) -> Response {
    if req.method() != http::Method::POST || !from_a_form(req.headers()) {
        return next.run(req).await;
    }
    let slot = FormReply::default();
    req.extensions_mut().insert(slot.clone());
    let r = next.run(req).await;
    slot.take().unwrap_or(r)
}

/// A server function called by a form, with what it needs of the request: the state, the
/// language, and the request's parts for the extractors ([`Caller`], [`Staff`], [`ClientIp`]…).
pub struct FormCall {
    pub st: AppState,
    pub lang: Lang,
    parts: Parts,
}

impl FormCall {
    /// The call the server function is running in.
    pub fn current() -> Result<Self, leptos::server_fn::ServerFnError> {
        let missing = || leptos::server_fn::ServerFnError::new("not inside a server function's request");
        let st = leptos::prelude::use_context::<AppState>().ok_or_else(missing)?;
        let parts = leptos::prelude::use_context::<Parts>().ok_or_else(missing)?;
        let lang = prefs_of(&parts.headers).lang;
        Ok(FormCall { st, lang, parts })
    }

    /// The request's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.parts.headers
    }

    /// The client's address (from the server's middleware).
    pub fn client_ip(&self) -> &str {
        self.parts.extensions.get::<ClientIp>().map(|c| c.0.as_str()).unwrap_or("unknown")
    }

    /// Whoever is signed in; else the answer is a 303 to `login` (or the refusal of a bad session).
    pub async fn signed_in(&mut self, login: &str) -> Result<SessionUser, Response> {
        match self.extract::<Caller>().await {
            Ok(Caller(Some(u))) => Ok(u),
            Ok(Caller(None)) => Err(see_other(login, vec![])),
            Err(e) => Err(e.into_response()),
        }
    }

    /// Runs an extractor on the request.
    pub async fn extract<T: FromRequestParts<AppState>>(&mut self) -> Result<T, T::Rejection> {
        T::from_request_parts(&mut self.parts, &self.st).await
    }

    /// Answers with `r`: a plain form gets it as it is (through [`form_replies`]); a script that
    /// called the function gets `Ok`, or the refusal's message with its status, and the cookies.
    pub fn answer(self, r: Response) -> Result<(), leptos::server_fn::ServerFnError> {
        if let Some(slot) = self.parts.extensions.get::<FormReply>() {
            slot.put(r);
            return Ok(());
        }
        let options = leptos::prelude::use_context::<leptos_axum::ResponseOptions>();
        if let Some(options) = &options {
            for c in r.headers().get_all(header::SET_COOKIE) {
                options.append_header(header::SET_COOKIE, c.clone());
            }
        }
        match r.extensions().get::<Unwritten>() {
            Some(Unwritten(e)) => {
                if let Some(options) = &options {
                    options.set_status(e.status());
                }
                Err(leptos::server_fn::ServerFnError::new(e.message(self.lang)))
            }
            None => Ok(()),
        }
    }
}

/// The client's address, put into request extensions by the server's middleware.
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

/// The client's address behind `proxies` proxies of our own. Each proxy appends the address it
/// was reached from to `X-Forwarded-For` (the header may come as several lines: they read as one
/// list), so the last `proxies - 1` entries are our proxies' and the one before them is the
/// client as our outermost proxy saw it; everything further left the client wrote itself. Never
/// the left-most entry (a throttle keyed on it is one header away from being dodged). With no
/// proxy, or a request that did not come through them all, the peer.
pub fn client_address(forwarded: &[&str], peer: Option<std::net::IpAddr>, proxies: usize) -> String {
    let peer = || peer.map(|p| p.to_string()).unwrap_or_else(|| "unknown".into());
    if proxies == 0 {
        return peer();
    }
    let hops: Vec<&str> =
        forwarded.iter().flat_map(|h| h.split(',')).map(str::trim).filter(|h| !h.is_empty()).collect();
    match hops.len().checked_sub(proxies).and_then(|i| hops.get(i)) {
        Some(hop) => match hop.parse::<std::net::IpAddr>() {
            Ok(ip) => ip.to_string(),
            Err(_) => peer(), // not an address: our proxy wrote no such thing
        },
        None => peer(),
    }
}

/// Is `source` (an Origin, or a Referer's origin part) this site? With the configured public
/// address `public`, its scheme, host and port exactly; else the request's `host` (and port).
pub fn same_origin(source: &str, public: Option<&str>, host: &str) -> bool {
    let source = source.trim().to_ascii_lowercase();
    let Some((scheme, rest)) = source.split_once("://") else { return false };
    if !matches!(scheme, "http" | "https") {
        return false;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let origin = format!("{scheme}://{authority}");
    match public {
        Some(p) => origin == p,
        None => !host.is_empty() && authority.eq_ignore_ascii_case(host),
    }
}

#[cfg(test)]
mod client_address_tests {
    use super::client_address;

    #[test]
    fn the_right_most_hop_our_proxies_did_not_add() {
        let peer = Some("10.0.0.2".parse().unwrap());
        // (X-Forwarded-For lines, proxies, the client)
        let table: Vec<(Vec<&str>, usize, &str)> = vec![
            (vec![], 0, "10.0.0.2"),
            // no proxy: whatever the header says is the client's own invention
            (vec!["1.2.3.4"], 0, "10.0.0.2"),
            (vec!["203.0.113.7"], 1, "203.0.113.7"),
            // a forged left part: the proxy appended the real address on the right
            (vec!["6.6.6.6, 203.0.113.7"], 1, "203.0.113.7"),
            (vec!["6.6.6.6", "203.0.113.7"], 1, "203.0.113.7"),
            // two proxies: the outer one's entry, not the inner proxy's
            (vec!["6.6.6.6, 203.0.113.7, 10.0.0.9"], 2, "203.0.113.7"),
            // fewer entries than proxies: around them, the peer
            (vec!["203.0.113.7"], 2, "10.0.0.2"),
            (vec![], 1, "10.0.0.2"),
            // not an address
            (vec!["evil"], 1, "10.0.0.2"),
            (vec!["2001:db8::1"], 1, "2001:db8::1"),
        ];
        for (lines, proxies, want) in table {
            assert_eq!(client_address(&lines, peer, proxies), want, "{lines:?} behind {proxies}");
        }
    }

    #[test]
    fn same_origin_is_scheme_host_and_port() {
        use super::same_origin;
        let public = Some("https://tongban.example.gov.cn");
        // (Origin or Referer, configured public address, Host, same site?)
        let table = [
            ("https://tongban.example.gov.cn", public, "tongban.example.gov.cn", true),
            ("https://tongban.example.gov.cn/staff/cases/1", public, "x", true),
            // another scheme or port of the same host is another origin
            ("http://tongban.example.gov.cn", public, "tongban.example.gov.cn", false),
            ("https://tongban.example.gov.cn:8443", public, "tongban.example.gov.cn:8443", false),
            // a look-alike host
            ("https://tongban.example.gov.cn.evil.example", public, "tongban.example.gov.cn", false),
            ("null", public, "tongban.example.gov.cn", false),
            // no public address configured: the host and port the request was sent to
            ("http://127.0.0.1:3000/login", None, "127.0.0.1:3000", true),
            ("http://127.0.0.1:3001", None, "127.0.0.1:3000", false),
            ("http://127.0.0.1:3000", None, "", false),
        ];
        for (source, public, host, want) in table {
            assert_eq!(same_origin(source, public, host), want, "{source} vs {public:?} / {host}");
        }
    }
}

/// A 303 to `location`, setting `cookies`.
pub fn see_other(location: &str, cookies: Vec<String>) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    r.headers_mut().insert(header::LOCATION, HeaderValue::from_str(location).unwrap_or(HeaderValue::from_static("/")));
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(&c) {
            r.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    r
}

pub fn flash_cookie(flash: &Flash, secure: bool) -> String {
    let json = serde_json::to_vec(flash).unwrap_or_default();
    let v = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
    format!(
        "{}={v}; Path=/; HttpOnly; SameSite=Lax; Max-Age=300{}",
        crate::models::flash_cookie_name(secure),
        if secure { "; Secure" } else { "" }
    )
}

pub fn decode_flash(v: &str) -> Option<Flash> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(v).ok()?;
    serde_json::from_slice(&bytes).ok()
}

pub fn back_with_errors(
    st: &AppState,
    to: &str,
    form: &str,
    values: std::collections::BTreeMap<String, String>,
    e: &AppError,
    lang: Lang,
) -> Response {
    let errors = match e.fields() {
        Some(f) => f.iter().cloned().collect(),
        None => [("_form".to_string(), e.message(lang))].into_iter().collect(),
    };
    let flash = Flash { form: form.into(), values, errors, notice: None };
    see_other(to, vec![flash_cookie(&flash, st.settings.secure())])
}

pub fn notice(st: &AppState, form: &str, text: String) -> String {
    flash_cookie(&Flash { form: form.into(), notice: Some(text), ..Default::default() }, st.settings.secure())
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn flash_round_trip() {
        let f = Flash {
            form: "register".into(),
            values: [("name".to_string(), "张三".to_string())].into_iter().collect(),
            errors: Default::default(),
            notice: None,
        };
        let c = flash_cookie(&f, false);
        let v = c.split(';').next().unwrap().split_once('=').unwrap().1;
        assert_eq!(decode_flash(v), Some(f));
        assert_eq!(decode_flash("not base64!"), None);
    }

    #[test]
    fn a_plain_form_is_told_from_the_server_functions_client() {
        let accept = |v: Option<&str>| {
            let mut m = HeaderMap::new();
            if let Some(v) = v {
                m.insert(header::ACCEPT, HeaderValue::from_str(v).unwrap());
            }
            from_a_form(&m)
        };
        assert!(accept(Some("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")), "a browser");
        assert!(accept(Some("*/*")), "curl, an HTTP library");
        assert!(accept(None));
        assert!(!accept(Some("application/json")), "the server functions' client asks for what it reads");
        assert!(!accept(Some("application/cbor")));
    }

    #[test]
    fn a_form_page_is_a_path_on_this_host() {
        let h = |host: &str, referer: &str| {
            let mut m = HeaderMap::new();
            m.insert(header::HOST, HeaderValue::from_str(host).unwrap());
            m.insert(header::REFERER, HeaderValue::from_str(referer).unwrap());
            form_page(&m)
        };
        assert_eq!(h("gov.example", "https://gov.example/staff/intake?number=1").as_deref(), Some("/staff/intake"));
        assert_eq!(h("127.0.0.1:3000", "http://127.0.0.1:3000/staff/inquiries").as_deref(), Some("/staff/inquiries"));
        assert_eq!(h("gov.example", "https://evil.example/staff/intake"), None);
        assert_eq!(h("gov.example", "https://gov.example.evil.example/x"), None);
        assert_eq!(h("gov.example", "https://gov.example//evil.example/x"), None);
        assert_eq!(form_page(&HeaderMap::new()), None);
    }
}
