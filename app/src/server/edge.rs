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
use crate::models::{Prefs, SessionUser};

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
            NotYou::Login(to) => super::forms::see_other(&to, vec![]),
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
