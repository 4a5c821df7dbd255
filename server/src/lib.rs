//! The Tongban server: builds the axum router (pages, server functions, form endpoints, static
//! files, health checks) with its middleware (client address, CSRF origin check, security
//! headers, compression, cache lifetimes), and starts it. The demo data (`seed`) and the bulk
//! data of the benchmarks (`bulk`) live here, with the command line, not among the services.
#![forbid(unsafe_code)]

pub mod bulk;
pub mod seed;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use app::server::config::Settings;
use app::server::edge::ClientIp;
use app::server::files::LocalFileStore;
use app::server::{calendar, db, AppState};
use app::{shell, App};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

/// Leptos options from the environment (`LEPTOS_*`), with Tongban's defaults.
pub fn leptos_options() -> Result<LeptosOptions, String> {
    let conf = get_configuration(None).map_err(|e| format!("Leptos configuration: {e}"))?;
    let mut o = conf.leptos_options;
    if o.output_name.is_empty() {
        o.output_name = "tongban".into();
    }
    if std::env::var("LEPTOS_HASH_FILES").is_err() {
        // A release built by cargo-leptos with hash-files leaves hash.txt next to the binary.
        let hash = std::env::current_exe().ok().and_then(|p| p.parent().map(|d| d.join(o.hash_file.as_ref())));
        o.hash_files = hash.is_some_and(|h| h.exists());
    }
    Ok(o)
}

/// Opens and migrates the database, seeds the shipped calendar, and builds the shared state.
pub async fn prepare(settings: Settings, leptos_options: LeptosOptions) -> Result<AppState, String> {
    let url = settings.effective_database_url();
    if settings.database_url.is_none() {
        std::fs::create_dir_all(&settings.data_dir)
            .map_err(|e| format!("cannot create data directory {}: {e}", settings.data_dir.display()))?;
    }
    let conn = db::connect_with(&url, db::Checkpoints::Background)
        .await
        .map_err(|e| format!("cannot open the database ({}): {e}", redact(&url)))?;
    db::spawn_checkpointer(conn.clone(), std::time::Duration::from_secs(1));
    db::migrate(&conn).await.map_err(|e| format!("migrations failed: {e}"))?;
    calendar::seed_shipped(&conn).await.map_err(|e| format!("calendar seed failed: {e}"))?;
    let files = LocalFileStore::new(settings.files_dir()).map_err(|e| format!("cannot create the file store: {e}"))?;
    let clock = settings.clock();
    if let Some(start) = &settings.clock {
        tracing::warn!(%start, now = %clock.now(), "the clock was started at another instant (TONGBAN_CLOCK)");
    }
    if settings.seed_demo && seed::is_empty(&conn).await.map_err(|e| e.to_string())? {
        let accounts =
            seed::seed_demo(&conn, &files, clock.today()).await.map_err(|e| format!("demo data failed: {e}"))?;
        print_demo_accounts(&accounts);
    }
    let cal = calendar::load(&conn).await.map_err(|e| e.to_string())?;

    // Cases decided before verdicts were kept on the decision are judged once (statistics sum
    // verdicts).
    let judged =
        app::server::cases::judge_decided(&conn, &cal).await.map_err(|e| format!("judging decided cases: {e}"))?;
    if judged > 0 {
        tracing::info!(judged, "decided cases judged for the statistics");
    }
    // the audit anchors' key exists from the first start (made and kept when none is configured)
    app::server::audit::signing_key(&settings).map_err(|e| format!("audit signing key: {e}"))?;
    Ok(AppState {
        db: conn,
        settings: Arc::new(settings),
        files: Arc::new(files),
        leptos_options,
        calendar: Arc::new(RwLock::new(Arc::new(cal))),
        pages: Default::default(),
        clock,
        bound: Default::default(),
    })
}

pub fn print_demo_accounts(accounts: &[seed::DemoAccount]) {
    println!("Demo accounts (log in at /login for applicants, /staff/login for staff):");
    for a in accounts {
        println!("  {:<20} password {:<20} {}", a.login, a.password, a.what);
    }
}

/// Hides a password in a database URL for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// The app's routes, generated once per process. Generating runs the app with resource loading
/// suppressed through a process-wide flag (leptos_server's `SuppressResourceLoad`): a resource
/// first polled by a request on another router in the same process during that window never
/// resolves (leptos-rs/leptos#4773). A second router built while the first serves — a restart in
/// place, or the integration tests' two apps — must not generate again.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: AppState) -> Router {
    let opts = state.leptos_options.clone();
    let routes = route_list();
    let pkg_dir = PathBuf::from(opts.site_root.as_ref()).join(opts.site_pkg_dir.as_ref());
    let pkg = ServeDir::new(pkg_dir).precompressed_br().precompressed_gzip();
    let immutable = opts.hash_files;
    let ctx_state = state.clone();
    let dev_reload = opts.env == leptos::config::Env::DEV;
    let https = state.settings.public_url.as_deref().is_some_and(|u| u.starts_with("https://"));
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .merge(app::server::routes::routes())
        .nest_service("/pkg", pkg)
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(ctx_state.clone());
                provide_context(app::server::guard::CallerCache::default());
            },
            {
                let opts = opts.clone();
                move || shell(opts.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn_with_state(
            app::server::page_cache::Shelves {
                db: state.db.clone(),
                pages: state.pages.clone(),
                clock: state.clock.clone(),
            },
            app::server::page_cache::serve_kept,
        ))
        // a plain form posted to a server function gets the answer the function gave it
        .layer(middleware::from_fn(app::server::edge::form_replies))
        .layer(middleware::from_fn(app::server::edge::localize_errors))
        .layer(middleware::from_fn(move |req, next| cache_headers(req, next, immutable)))
        .layer(middleware::from_fn(move |req, next| security_headers(req, next, dev_reload, https)))
        .layer(middleware::from_fn_with_state(state.clone(), client_ip))
        .layer(middleware::from_fn_with_state(state.clone(), same_origin_posts))
        .layer(middleware::from_fn(request_timeout))
        .layer(CompressionLayer::new())
        // Every request gets an id (kept from a proxy's x-request-id, else made here), logged on its
        // span and sent back, so a user's report and the log lines meet.
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", id, method = %req.method(), path = %req.uri().path())
        }))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

async fn readyz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

async fn client_ip(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let forwarded: Vec<&str> =
        req.headers().get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let ip = app::server::edge::client_address(&forwarded, peer, state.settings.trusted_proxies);
    req.extensions_mut().insert(ClientIp(ip));
    next.run(req).await
}

/// Every request is answered within `REQUEST_TIMEOUT` (a 503 otherwise), but an upload's body,
/// which the upload itself times out by idleness and rate (`journey_forms::UPLOAD_IDLE`).
async fn request_timeout(req: Request, next: Next) -> Response {
    const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);
    let upload = req.method() == Method::POST && req.uri().path().ends_with("/files");
    if upload {
        return next.run(req).await;
    }
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(req)).await {
        Ok(r) => r,
        Err(_) => {
            tracing::warn!("request timed out");
            (StatusCode::SERVICE_UNAVAILABLE, "the request took too long").into_response()
        }
    }
}

/// CSRF defence: a state-changing request must come from a page of this site (Origin, or
/// Referer when a browser sends no Origin). With a configured public address its origin —
/// scheme, host and port — must be the page's exactly; without one, the host and port the
/// request was sent to. Everything else is refused.
async fn same_origin_posts(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let source =
        req.headers().get(header::ORIGIN).or_else(|| req.headers().get(header::REFERER)).and_then(|v| v.to_str().ok());
    let same = source.is_some_and(|s| app::server::edge::same_origin(s, state.settings.public_url.as_deref(), host));
    if same {
        next.run(req).await
    } else {
        tracing::warn!(method = %req.method(), path = %req.uri().path(), origin = ?source, "cross-origin or origin-less write refused");
        (StatusCode::FORBIDDEN, "cross-site request refused").into_response()
    }
}

/// Security headers on every response, and the content security policy with a nonce minted here
/// for this request (the page's scripts carry the same nonce: see `app::CspNonce`).
async fn security_headers(mut req: Request, next: Next, dev_reload: bool, https: bool) -> Response {
    let nonce = leptos::nonce::Nonce::new().to_string();
    req.extensions_mut().insert(app::CspNonce(nonce.clone()));
    // uploaded files may be shown inside the back office's pages (PDF preview), nothing else is framed
    let framable = req.uri().path().starts_with("/files/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static(if framable { "SAMEORIGIN" } else { "DENY" }));
    h.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=()"));
    if https {
        // a year, then only https (the public address is https: `Settings::secure`)
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    let mut csp = app::content_security_policy(Some(&nonce), dev_reload);
    if framable {
        csp = csp.replace("frame-ancestors 'none'", "frame-ancestors 'self'");
    }
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    res
}

/// Hashed assets under /pkg live a year; pages are never cached (they carry the user's session).
async fn cache_headers(req: Request, next: Next, immutable: bool) -> Response {
    let is_pkg = req.uri().path().starts_with("/pkg/");
    let mut res = next.run(req).await;
    let value = if is_pkg && immutable && res.status().is_success() {
        "public, max-age=31536000, immutable"
    } else if is_pkg {
        "no-cache"
    } else {
        "no-store"
    };
    if !res.headers().contains_key(header::CACHE_CONTROL) {
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    res
}

/// Serves until Ctrl-C or SIGTERM. `on_ready` gets the bound address (port 0 picks a free port).
pub async fn serve(state: AppState, addr: SocketAddr, on_ready: impl FnOnce(SocketAddr)) -> std::io::Result<()> {
    serve_until(state, addr, on_ready, shutdown_signal()).await
}

/// Serves until `shutdown` completes, then shuts down gracefully: stops accepting connections,
/// lets the requests in flight finish, stops the scheduler after its tick in flight and gives up
/// its lease.
pub async fn serve_until(
    state: AppState,
    addr: SocketAddr,
    on_ready: impl FnOnce(SocketAddr),
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    let _ = state.bound.set(bound.to_string());
    on_ready(bound);
    let scheduler = app::server::scheduler::spawn(state.clone());
    let header_timeout = Duration::from_secs(state.settings.header_read_secs);
    let app = router(state);
    accept_until(listener, app, header_timeout, shutdown).await;
    tracing::info!("no longer accepting requests; the ones in flight are done");
    if let Some(s) = scheduler {
        s.stop().await;
    }
    Ok(())
}

/// The accept loop (what `axum::serve` does, plus a deadline for each request's headers: a
/// client that sends them a byte at a time — slowloris — is cut off after `header_timeout`, where
/// `axum::serve` set no timer and waited for ever). On `shutdown`: stops accepting, lets every
/// connection finish the request in flight, and returns.
async fn accept_until(
    listener: tokio::net::TcpListener,
    app: Router,
    header_timeout: Duration,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    use hyper_util::server::conn::auto::Builder;
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut builder = Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(header_timeout);
    builder.http2().timer(TokioTimer::new());
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // out of file descriptors and the like: wait a little, as axum::serve does
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        // the client's address, as `into_make_service_with_connect_info` gave it
        let svc = tower::ServiceExt::map_request(app.clone(), move |mut req: Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(axum::extract::ConnectInfo(remote));
            req
        });
        let conn = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), hyper_util::service::TowerToHyperService::new(svc))
            .into_owned();
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, "connection ended");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

/// The bare comparison server of the queue benchmark: axum, one route, the back office's queue
/// query for one staff member, JSON out. No sessions, no HTML, no Leptos.
pub async fn bench_bare(db: sea_orm::DatabaseConnection, addr: SocketAddr, staff: &str) -> Result<(), String> {
    use app::server::entities::staff as staff_entity;
    use axum::extract::Query;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let s = staff_entity::Entity::find()
        .filter(staff_entity::Column::Username.eq(staff))
        .one(&db)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no staff member {staff}"))?;
    let roles = app::server::accounts::staff_roles(&db, s.id).await.map_err(|e| e.to_string())?;
    let user = app::models::SessionUser::Staff { id: s.id, name: s.display_name, username: s.username, roles };
    let cal = app::server::calendar::load(&db).await.map_err(|e| e.to_string())?;
    type Shared = std::sync::Arc<(sea_orm::DatabaseConnection, rules::Calendar, app::models::SessionUser)>;
    async fn handler(
        State(st): State<Shared>,
        Query(q): Query<std::collections::BTreeMap<String, String>>,
    ) -> axum::response::Response {
        use axum::response::IntoResponse;
        let get = |k: &str| q.get(k).cloned().unwrap_or_default();
        let today = rules::validators::china_today();
        let (bucket, search, cursor, item) = (get("bucket"), get("q"), get("after"), get("item"));
        let query =
            app::server::backoffice::QueueQuery { bucket: &bucket, search: &search, cursor: &cursor, item: &item };
        match app::server::backoffice::queue(&st.0, &st.1, Some(&st.2), query, today).await {
            Ok(p) => axum::Json(p).into_response(),
            Err(e) => (e.status(), e.to_string()).into_response(),
        }
    }
    let app = Router::new()
        .route("/queue.json", axum::routing::get(handler))
        .with_state(std::sync::Arc::new((db, cal, user)));
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("cannot bind {addr}: {e}"))?;
    println!("bare queue endpoint at http://{addr}/queue.json");
    axum::serve(listener, app).await.map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn redacts_passwords() {
        assert_eq!(super::redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(super::redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(super::redact("sqlite://data/tongban.db"), "sqlite://data/tongban.db");
    }
}
