//! The public pages that every visitor sees alike — the home page (the catalog) and each item's
//! guide — rendered once and served from memory to anonymous visitors.
//!
//! What such a page shows changes only through the admin (items, departments, the calendar), so a
//! kept page is good until the database's `catalog_revision` moves: every request reads that one
//! row, and a node that sees a new number drops what it kept. An admin's edit is therefore visible
//! on the next request on every node. Two things change without the admin and bound a kept page's
//! life: the day (the guide counts its deadlines from today) and the most requested items on the
//! home page (at most [`FRESH_FOR`] old).
//!
//! Never kept: a request with any cookie but the display preferences (a session, a flash), a
//! query string, a response that is not a plain 200 page or that sets a cookie. The CSP nonce is
//! the one thing of the request inside the HTML: a kept page gets the new request's nonce.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use http::{header, HeaderValue, Method, StatusCode};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, Statement};

use crate::models::{parse_cookies, CspNonce, Prefs, ELDER_COOKIE, LANG_COOKIE};

/// How long the home page's list of the most requested items may lag behind the cases.
pub const FRESH_FOR: Duration = Duration::from_secs(60);
/// Pages kept per node at most (one per item guide and preference); past it the node starts over.
const MAX_PAGES: usize = 1024;
/// A public page is a few dozen kilobytes; anything bigger is not kept.
const MAX_BODY: usize = 1 << 20;

/// Moves the catalog revision: call with every change to items, departments or the calendar (the
/// admin's item and department actions, and `reload_calendar` after each calendar change).
pub async fn bump(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let sql = "UPDATE catalog_revision SET revision = revision + 1 WHERE id = 1";
    db.execute_raw(Statement::from_string(db.get_database_backend(), sql)).await.map(|_| ())
}

async fn revision(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    let sql = "SELECT revision FROM catalog_revision WHERE id = 1";
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await?;
    Ok(match row {
        Some(r) => r.try_get_by_index::<i64>(0)?,
        None => 0,
    })
}

struct Kept {
    body: Bytes,
    content_type: HeaderValue,
    /// The nonce the page was rendered with (replaced by each request's own).
    nonce: String,
    day: NaiveDate,
    made: Instant,
}

#[derive(Default)]
struct Shelf {
    revision: i64,
    pages: HashMap<String, Arc<Kept>>,
}

/// The pages one node keeps (in `AppState`).
#[derive(Default)]
pub struct PageCache {
    shelf: Mutex<Shelf>,
}

impl PageCache {
    fn get(&self, revision: i64, key: &str, today: NaiveDate) -> Option<Arc<Kept>> {
        let mut shelf = self.shelf.lock().unwrap_or_else(|p| p.into_inner());
        if shelf.revision != revision {
            shelf.pages.clear();
            shelf.revision = revision;
            return None;
        }
        let kept = shelf.pages.get(key)?;
        (kept.day == today && kept.made.elapsed() < FRESH_FOR).then(|| kept.clone())
    }

    fn put(&self, revision: i64, key: String, kept: Kept) {
        let mut shelf = self.shelf.lock().unwrap_or_else(|p| p.into_inner());
        if shelf.revision != revision {
            return;
        }
        if shelf.pages.len() >= MAX_PAGES {
            shelf.pages.clear();
        }
        shelf.pages.insert(key, Arc::new(kept));
    }
}

/// The key of a request whose page may be kept, else `None`.
fn key_of(req: &Request) -> Option<String> {
    if req.method() != Method::GET || req.uri().query().is_some() {
        return None;
    }
    let path = req.uri().path();
    let public = path == "/"
        || path.strip_prefix("/items/").is_some_and(|code| {
            !code.is_empty() && code.len() <= 32 && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    if !public {
        return None;
    }
    for h in req.headers().get_all(header::COOKIE) {
        let only_prefs = h
            .to_str()
            .map(|v| parse_cookies(v).all(|(k, _)| k == LANG_COOKIE || k == ELDER_COOKIE || k.is_empty()))
            .unwrap_or(false);
        if !only_prefs {
            return None;
        }
    }
    let cookies: Vec<&str> = req.headers().get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).collect();
    let accept_language = req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    let prefs = Prefs::from_cookie_header(&cookies.join("; "), accept_language);
    Some(format!("{path}|{}|{}", prefs.lang.tag(), prefs.elder))
}

/// What the middleware needs: the database (for the revision) and this node's pages.
#[derive(Clone)]
pub struct Shelves {
    pub db: DatabaseConnection,
    pub pages: Arc<PageCache>,
    /// The node's clock (a kept page is good for its day only).
    pub clock: super::clock::Clock,
}

/// The middleware (inside the one that mints the request's nonce).
pub async fn serve_kept(State(st): State<Shelves>, req: Request, next: Next) -> Response {
    let Some(key) = key_of(&req) else { return next.run(req).await };
    let Some(nonce) = req.extensions().get::<CspNonce>().map(|n| n.0.clone()) else { return next.run(req).await };
    let revision = match revision(&st.db).await {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!(error = %e, "catalog revision unreadable; page rendered afresh");
            return next.run(req).await;
        }
    };
    let today = st.clock.today();
    if let Some(kept) = st.pages.get(revision, &key, today) {
        return page(&kept, &nonce, "hit");
    }
    let res = next.run(req).await;
    let html = res.headers().get(header::CONTENT_TYPE).filter(|v| v.as_bytes().starts_with(b"text/html")).cloned();
    let (Some(content_type), StatusCode::OK, false) =
        (html, res.status(), res.headers().contains_key(header::SET_COOKIE))
    else {
        return res;
    };
    let (parts, body) = res.into_parts();
    let body = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(e) => {
            tracing::warn!(error = %e, "public page not kept");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let kept = Kept { body: body.clone(), content_type, nonce, day: today, made: Instant::now() };
    st.pages.put(revision, key, kept);
    let mut res = Response::from_parts(parts, Body::from(body));
    res.headers_mut().insert("x-page-cache", HeaderValue::from_static("miss"));
    res
}

fn page(kept: &Kept, nonce: &str, how: &'static str) -> Response {
    let body = if kept.nonce.is_empty() || kept.nonce == nonce {
        kept.body.clone()
    } else {
        // The nonce is 22+ random characters of base64: it occurs in the page only as a nonce.
        let text = String::from_utf8_lossy(&kept.body).replace(&kept.nonce, nonce);
        Bytes::from(text)
    };
    let mut res = Response::new(Body::from(body));
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, kept.content_type.clone());
    h.insert("x-page-cache", HeaderValue::from_static(how));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(path: &str, cookie: Option<&str>) -> Request {
        let mut b = Request::builder().uri(path);
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        b.body(Body::empty()).unwrap()
    }

    #[test]
    fn only_anonymous_public_pages_are_kept() {
        assert_eq!(key_of(&req("/", None)).as_deref(), Some("/|zh-Hans|false"));
        assert_eq!(
            key_of(&req("/items/ZRZY-001", Some("tb_lang=en; tb_elder=1"))).as_deref(),
            Some("/items/ZRZY-001|en|true")
        );
        assert_eq!(key_of(&req("/?q=土地", None)), None, "a search is rendered");
        assert_eq!(key_of(&req("/", Some("tb_session=abc"))), None, "a session is rendered");
        assert_eq!(key_of(&req("/", Some("tb_lang=en; tb_flash=xyz"))), None, "a flash is rendered");
        assert_eq!(key_of(&req("/items/ZRZY-001/apply", None)), None);
        assert_eq!(key_of(&req("/staff", None)), None);
        let post = Request::builder().method(Method::POST).uri("/").body(Body::empty()).unwrap();
        assert_eq!(key_of(&post), None);
    }

    #[test]
    fn a_new_revision_or_day_drops_what_was_kept() {
        let cache = PageCache::default();
        let day = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let kept = || Kept {
            body: Bytes::from_static(b"<html>"),
            content_type: HeaderValue::from_static("text/html"),
            nonce: "n".into(),
            day,
            made: Instant::now(),
        };
        assert!(cache.get(0, "/", day).is_none());
        cache.put(0, "/".into(), kept());
        assert!(cache.get(0, "/", day).is_some());
        assert!(cache.get(0, "/", day.succ_opt().unwrap()).is_none(), "tomorrow renders afresh");
        assert!(cache.get(1, "/", day).is_none(), "an admin's edit drops the page");
        assert!(cache.get(1, "/", day).is_none());
        cache.put(0, "/".into(), kept());
        assert!(cache.get(1, "/", day).is_none(), "a page rendered under the old revision is not kept");
    }

    #[tokio::test]
    async fn a_kept_page_carries_the_requests_nonce() {
        let kept = Kept {
            body: Bytes::from_static(b"<script nonce=\"OLDNONCE\">x</script><script nonce=\"OLDNONCE\">"),
            content_type: HeaderValue::from_static("text/html"),
            nonce: "OLDNONCE".into(),
            day: NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
            made: Instant::now(),
        };
        let res = page(&kept, "NEW", "hit");
        let body = axum::body::to_bytes(res.into_body(), 1000).await.unwrap();
        assert_eq!(&body[..], b"<script nonce=\"NEW\">x</script><script nonce=\"NEW\">");
    }
}
