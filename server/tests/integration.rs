//! Integration tests: the whole app on port 0 with a fresh database — SQLite always, PostgreSQL
//! when `DATABASE_URL_PG` is set or a server answers on 127.0.0.1:5432 (each run creates and drops
//! its own database). The same suite runs on both.

use std::net::SocketAddr;
use std::time::Duration;

use app::server::config::Settings;
use leptos::prelude::LeptosOptions;
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT_ENCODING, LOCATION, ORIGIN, SET_COOKIE};
use reqwest::{redirect, Client, StatusCode};
use sea_orm::{ConnectionTrait, Database, Statement};

struct App {
    base: String,
    _dir: tempfile::TempDir,
    state: app::server::AppState,
}

fn leptos_options() -> LeptosOptions {
    LeptosOptions::builder().output_name("tongban").site_root("target/site").site_pkg_dir("pkg").build()
}

async fn spawn(database_url: Option<String>) -> App {
    let dir = tempfile::tempdir().unwrap();
    let settings =
        Settings { data_dir: dir.path().to_path_buf(), database_url, seed_demo: true, ..Settings::default() };
    let state = tongban::prepare(settings, leptos_options()).await.expect("app starts");
    let (tx, rx) = tokio::sync::oneshot::channel::<SocketAddr>();
    let st = state.clone();
    tokio::spawn(async move {
        tongban::serve(st, "127.0.0.1:0".parse().unwrap(), move |a| {
            let _ = tx.send(a);
        })
        .await
        .unwrap();
    });
    let addr = rx.await.unwrap();
    App { base: format!("http://{addr}"), _dir: dir, state }
}

/// A browser-like client: keeps cookies, does not follow redirects, sends a same-site Origin.
fn browser(base: &str) -> Client {
    let mut h = HeaderMap::new();
    h.insert(ORIGIN, HeaderValue::from_str(base).unwrap());
    h.insert("accept-language", HeaderValue::from_static("zh-CN"));
    Client::builder()
        .cookie_store(true)
        .redirect(redirect::Policy::none())
        .default_headers(h)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

async fn post_form(c: &Client, url: &str, form: &[(&str, &str)]) -> reqwest::Response {
    c.post(url).form(form).send().await.unwrap()
}

fn location(r: &reqwest::Response) -> String {
    r.headers().get(LOCATION).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

fn session_cookie(r: &reqwest::Response) -> Option<String> {
    r.headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("tb_session=") && !c.starts_with("tb_session=;"))
}

async fn text(c: &Client, url: &str) -> (StatusCode, String) {
    let r = c.get(url).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

const PW: &str = "一个足够长的密码-2026";

async fn register_person(c: &Client, base: &str, name: &str, id: &str, mobile: &str) -> reqwest::Response {
    post_form(
        c,
        &format!("{base}/auth/register"),
        &[
            ("kind", "person"),
            ("name", name),
            ("id_card_no", id),
            ("mobile", mobile),
            ("password", PW),
            ("password_confirm", PW),
        ],
    )
    .await
}

async fn count_applicants(app: &App) -> i64 {
    let row = app
        .state
        .db
        .query_one_raw(Statement::from_string(
            app.state.db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM applicants",
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

/// The suite, run against one backend.
async fn suite(app: &App) {
    let base = &app.base;

    // health
    let c = browser(base);
    assert_eq!(text(&c, &format!("{base}/healthz")).await, (StatusCode::OK, "ok".into()));
    assert_eq!(text(&c, &format!("{base}/readyz")).await.0, StatusCode::OK);

    // home: security headers, compression, content
    let r = c.get(format!("{base}/")).header(ACCEPT_ENCODING, "br").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-encoding"], "br");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert_eq!(r.headers()["cache-control"], "no-store");
    let csp = r.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("'nonce-") && csp.contains("'wasm-unsafe-eval'"),
        "{csp}"
    );
    let (_, home) = text(&c, &format!("{base}/")).await;
    assert!(home.contains("<html lang=\"zh-Hans\"") && home.contains("建设项目用地预审"), "home page");

    // a state change without a same-site Origin is refused
    let bare = Client::builder().redirect(redirect::Policy::none()).build().unwrap();
    let r = bare.post(format!("{base}/auth/login")).form(&[("login", "x"), ("password", "y")]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = bare
        .post(format!("{base}/auth/login"))
        .header(ORIGIN, "http://evil.example")
        .form(&[("login", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // registration with a wrong check digit: refused, nothing written, input kept, message by the field
    let before = count_applicants(app).await;
    let r = register_person(&c, base, "李雷", "110105194912310021", "13912340001").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/register");
    assert!(session_cookie(&r).is_none());
    let (_, page) = text(&c, &format!("{base}/register")).await;
    assert!(page.contains("校验位不正确"), "error shown");
    assert!(page.contains("value=\"李雷\""), "name kept");
    assert!(page.contains("value=\"13912340001\""), "mobile kept");
    assert!(!page.contains(PW), "password never echoed");
    assert_eq!(count_applicants(app).await, before);
    // the flash is gone after it was shown once
    let (_, again) = text(&c, &format!("{base}/register")).await;
    assert!(!again.contains("校验位不正确"));

    // a valid registration logs the applicant in
    let r = register_person(&c, base, "李雷", "11010519900307857X", "13912340001").await;
    assert_eq!(location(&r), "/account");
    let first_session = session_cookie(&r).expect("session cookie");
    assert!(first_session.contains("HttpOnly") && first_session.contains("SameSite=Lax"));
    let (status, account) = text(&c, &format!("{base}/account")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(account.contains("李雷") && account.contains("注册成功"));
    assert!(account.contains("110***********857X"), "ID masked");
    assert_eq!(count_applicants(app).await, before + 1);

    // duplicate registration: clear message, nothing written
    let c2 = browser(base);
    let r = register_person(&c2, base, "李雷", "11010519900307857X", "13912340002").await;
    assert_eq!(location(&r), "/register");
    let (_, page) = text(&c2, &format!("{base}/register")).await;
    assert!(page.contains("该身份证号码已注册"));
    let r = register_person(&c2, base, "韩梅梅", "110101199003078574", "13912340001").await;
    assert_eq!(location(&r), "/register");
    let (_, page) = text(&c2, &format!("{base}/register")).await;
    assert!(page.contains("该手机号已被其他账户使用"));
    assert_eq!(count_applicants(app).await, before + 1);

    // access: an applicant cannot reach staff functions nor another applicant's data
    let r = c.post(format!("{base}/api/staff_overview")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let me: serde_json::Value = c.post(format!("{base}/api/whoami")).send().await.unwrap().json().await.unwrap();
    let my_id = me["Applicant"]["id"].as_i64().expect("applicant id");
    let r = c.post(format!("{base}/api/get_applicant")).form(&[("id", my_id.to_string())]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let body = r.text().await.unwrap();
    assert!(body.contains("李雷") && !body.contains("password"), "{body}");
    let other = 1; // the demo applicant 张三 registered first
    assert_ne!(other, my_id);
    let r = c.post(format!("{base}/api/get_applicant")).form(&[("id", other.to_string())]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(!r.text().await.unwrap().contains("张三"));
    let anon = browser(base);
    let r = anon.post(format!("{base}/api/get_applicant")).form(&[("id", "1")]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // logout destroys the session server-side (the old cookie no longer works)
    let token = first_session.split(';').next().unwrap().trim_start_matches("tb_session=").to_string();
    let r = post_form(&c, &format!("{base}/auth/logout"), &[]).await;
    assert_eq!(location(&r), "/login");
    let replay = Client::builder().redirect(redirect::Policy::none()).build().unwrap();
    let me: serde_json::Value = replay
        .post(format!("{base}/api/whoami"))
        .header("cookie", format!("tb_session={token}"))
        .header(ORIGIN, base.as_str())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(me.is_null(), "{me}");

    // wrong password and unknown account: the same message
    for login in ["11010519900307857X", "110105199001010010"] {
        let c3 = browser(base);
        let r =
            post_form(&c3, &format!("{base}/auth/login"), &[("login", login), ("password", "wrong-password")]).await;
        assert_eq!(location(&r), "/login");
        let (_, page) = text(&c3, &format!("{base}/login")).await;
        assert!(page.contains("账号或密码不正确"), "{login}");
        assert!(page.contains(&format!("value=\"{login}\"")), "login kept");
    }

    // login rotates the session id; mobile and ID number both work
    let c4 = browser(base);
    let r = post_form(
        &c4,
        &format!("{base}/auth/login"),
        &[("login", "139 1234 0001"), ("password", PW), ("next", "/account")],
    )
    .await;
    assert_eq!(location(&r), "/account");
    let s1 = session_cookie(&r).unwrap();
    let r = post_form(
        &c4,
        &format!("{base}/auth/login"),
        &[("login", "11010519900307857X"), ("password", PW), ("next", "//evil.example/")],
    )
    .await;
    assert_eq!(location(&r), "/account", "no open redirect");
    let s2 = session_cookie(&r).unwrap();
    assert_ne!(s1, s2, "session id rotated at login");

    // throttling: after 5 failures even the right password is refused for a while
    let c5 = browser(base);
    for _ in 0..5 {
        post_form(&c5, &format!("{base}/auth/login"), &[("login", "13912340001"), ("password", "nope-nope")]).await;
    }
    let r = post_form(&c5, &format!("{base}/auth/login"), &[("login", "13912340001"), ("password", PW)]).await;
    assert_eq!(location(&r), "/login");
    assert!(session_cookie(&r).is_none());
    let (_, page) = text(&c5, &format!("{base}/login")).await;
    assert!(page.contains("尝试次数过多"));

    // staff: the demo clerk signs in and sees the workspace; an applicant does not
    let staff = browser(base);
    let r = post_form(
        &staff,
        &format!("{base}/auth/staff-login"),
        &[("username", "clerk"), ("password", app::server::seed::DEMO_STAFF_PASSWORD)],
    )
    .await;
    assert_eq!(location(&r), "/staff");
    let (status, page) = text(&staff, &format!("{base}/staff")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("窗口受理员") && page.contains("自然资源局"));
    let r = staff.post(format!("{base}/api/get_applicant")).form(&[("id", "1")]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "a window clerk may look up applicants (counter intake)");
    let r = staff.post(format!("{base}/api/staff_overview")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    // cases: the demo person sees their case and its timeline; nobody else can
    let person = browser(base);
    let r = post_form(
        &person,
        &format!("{base}/auth/login"),
        &[("login", "11010519491231002X"), ("password", app::server::seed::DEMO_APPLICANT_PASSWORD)],
    )
    .await;
    assert_eq!(location(&r), "/account");
    let mine: serde_json::Value =
        person.post(format!("{base}/api/my_cases")).send().await.unwrap().json().await.unwrap();
    let list = mine.as_array().expect("a list for an applicant");
    assert_eq!(list.len(), 1, "{mine}");
    assert_eq!(list[0]["state"], "in_review");
    let case_id = list[0]["id"].as_i64().unwrap();
    let (status, page) = text(&person, &format!("{base}/cases/{case_id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("建设项目用地预审") && page.contains("开始审查") && page.contains("受理"), "timeline");
    let (status, page) = text(&person, &format!("{base}/cases")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&format!("/cases/{case_id}")));
    // 李雷 (logged in as c4) cannot read it, and has no cases
    let r = c4.post(format!("{base}/api/case_detail")).form(&[("id", case_id.to_string())]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(!r.text().await.unwrap().contains("建设项目用地预审"));
    let theirs: serde_json::Value = c4.post(format!("{base}/api/my_cases")).send().await.unwrap().json().await.unwrap();
    assert_eq!(theirs, serde_json::json!([]));
    // anonymous: the page sends to the login
    let r = anon.get(format!("{base}/cases/{case_id}")).header("accept", "text/html").send().await.unwrap();
    assert!(r.status().is_redirection(), "{}", r.status());
    assert!(location(&r).starts_with("/login?next=/cases/"));

    // preferences: language and elder mode from cookies, rendered by the server
    let p = browser(base);
    let r = post_form(&p, &format!("{base}/prefs"), &[("lang", "en"), ("return_to", "/login")]).await;
    assert_eq!(location(&r), "/login");
    post_form(&p, &format!("{base}/prefs"), &[("elder", "1"), ("return_to", "https://evil.example")]).await;
    let (_, page) = text(&p, &format!("{base}/login")).await;
    assert!(page.contains("<html lang=\"en\" class=\"elder\""), "prefs applied during SSR");

    // 404
    let (status, page) = text(&c, &format!("{base}/no/such/page")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("找不到您要的页面"));
}

/// The case engine: numbers, guards, deadlines, one notice per submission, optimistic locking.
async fn cases_suite(app: &App) {
    use app::server::auth::PrincipalKind;
    use app::server::cases::{self, Actor, Change};
    use app::server::AppError;
    use rules::case::{Action, CaseState};
    use rules::Role;
    use std::collections::BTreeSet;

    let db = &app.state.db;
    let cal = app.state.calendar();
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let applicant = Actor { kind: PrincipalKind::Applicant, id: 1, role: Role::Applicant };
    let clerk = Actor { kind: PrincipalKind::Staff, id: 1, role: Role::WindowClerk };
    let reviewer = Actor { kind: PrincipalKind::Staff, id: 2, role: Role::Reviewer };
    let approver = Actor { kind: PrincipalKind::Staff, id: 3, role: Role::Approver };
    let all: BTreeSet<String> = ["id_card", "application", "household", "village_opinion"].map(String::from).into();
    let change = |case: &app::server::entities::case::Model, action: Action, actor: Actor, today: &str| Change {
        case_id: case.id,
        expected_version: case.version,
        action,
        actor,
        comment: String::new(),
        internal: false,
        today: d(today),
        provided: BTreeSet::new(),
    };

    let draft = cases::create_draft(db, 1, "ZRZY-003", &Default::default()).await.unwrap();
    assert_eq!(draft.state, "draft");
    let c = cases::apply(db, &cal, change(&draft, Action::Submit, applicant, "2025-09-30")).await.unwrap();
    assert_eq!((c.state.as_str(), c.version), ("submitted", 1));
    assert_eq!(c.case_no.as_deref(), Some("ZRZY-20250930-000001"));
    let other = cases::create_draft(db, 1, "ZRZY-003", &Default::default()).await.unwrap();
    let other = cases::apply(db, &cal, change(&other, Action::Submit, applicant, "2025-09-30")).await.unwrap();
    assert_eq!(other.case_no.as_deref(), Some("ZRZY-20250930-000002"));

    // another applicant cannot act on the case
    let stranger = Actor { kind: PrincipalKind::Applicant, id: 2, role: Role::Applicant };
    assert!(matches!(
        cases::apply(db, &cal, change(&c, Action::Withdraw, stranger, "2025-09-30")).await,
        Err(AppError::Forbidden)
    ));
    // incomplete materials cannot be accepted; nothing changes
    let e = cases::apply(db, &cal, change(&c, Action::Accept, clerk, "2025-09-30")).await.unwrap_err();
    assert!(matches!(e, AppError::Refused(rules::Refusal::MaterialsIncomplete)), "{e:?}");
    // one correction notice, then the applicant resubmits
    let c = cases::apply(db, &cal, change(&c, Action::RequestCorrection, clerk, "2025-09-30")).await.unwrap();
    assert_eq!(c.correction_due, Some(d("2025-10-14")), "5 working days, over the holiday and its make-up Saturday");
    let c = cases::apply(db, &cal, change(&c, Action::Resubmit, applicant, "2025-10-10")).await.unwrap();
    assert_eq!(c.state, "submitted");
    let mut accept = change(&c, Action::Accept, clerk, "2025-09-30");
    accept.provided = all.clone();
    let c = cases::apply(db, &cal, accept).await.unwrap();
    assert_eq!((c.accepted_on, c.due_on), (Some(d("2025-09-30")), Some(d("2025-11-04"))));

    // a stale version is refused
    let stale = Change { expected_version: c.version - 1, ..change(&c, Action::StartReview, reviewer, "2025-10-09") };
    assert!(matches!(cases::apply(db, &cal, stale).await, Err(AppError::Stale)));

    // two reviewers at once: exactly one wins
    let (a, b) = tokio::join!(
        cases::apply(db, &cal, change(&c, Action::StartReview, reviewer, "2025-10-09")),
        cases::apply(db, &cal, change(&c, Action::StartReview, reviewer, "2025-10-09")),
    );
    assert_eq!([a.is_ok(), b.is_ok()].iter().filter(|x| **x).count(), 1, "{a:?} {b:?}");
    assert!(matches!(a.as_ref().err().or(b.as_ref().err()), Some(AppError::Stale)));
    let c = a.or(b).unwrap();
    assert_eq!(c.state, "in_review");

    // suspension stops the clock, resumption restarts it; one extension
    let suspend = Action::Suspend { kind: "hearing".into(), reason: "听证".into() };
    let c = cases::apply(db, &cal, change(&c, suspend, approver, "2025-10-13")).await.unwrap();
    assert_eq!(CaseState::from_code(&c.state), Some(CaseState::Suspended));
    let c = cases::apply(db, &cal, change(&c, Action::Resume, approver, "2025-10-20")).await.unwrap();
    assert_eq!(c.due_on, Some(d("2025-11-11")), "five working days suspended");
    let extend = Action::Extend { days: 10, reason: "需专家评审".into() };
    let c = cases::apply(db, &cal, change(&c, extend.clone(), approver, "2025-10-21")).await.unwrap();
    assert_eq!(c.due_on, Some(d("2025-11-25")));
    let e = cases::apply(db, &cal, change(&c, extend, approver, "2025-10-22")).await.unwrap_err();
    assert!(matches!(e, AppError::Refused(rules::Refusal::Extension(_))), "{e:?}");

    let events = cases::events(db, c.id, true).await.unwrap();
    let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["submit", "request_correction", "resubmit", "accept", "start_review", "suspend", "resume", "extend"]
    );
    assert_eq!(events.iter().map(|e| e.seq).collect::<Vec<_>>(), (1..=8).collect::<Vec<_>>());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_sqlite() {
    let app = spawn(None).await;
    suite(&app).await;
    cases_suite(&app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgres() {
    let admin_url =
        std::env::var("DATABASE_URL_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let admin = match tokio::time::timeout(Duration::from_secs(5), Database::connect(&admin_url)).await {
        Ok(Ok(c)) => c,
        _ => {
            println!("skipped: no PostgreSQL at {} (set DATABASE_URL_PG)", tongban::redact(&admin_url));
            return;
        }
    };
    let name = format!("tongban_test_{}_{}", std::process::id(), rand_suffix());
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create test database");
    let url = match admin_url.rfind('/') {
        Some(i) => format!("{}/{name}", &admin_url[..i]),
        None => panic!("DATABASE_URL_PG has no database part"),
    };
    let app = spawn(Some(url)).await;
    let result = tokio::spawn(async move {
        suite(&app).await;
        cases_suite(&app).await;
        app.state.db.clone().close().await.ok();
    })
    .await;
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
        .expect("drop test database");
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
}

fn rand_suffix() -> u32 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().subsec_nanos()
}
