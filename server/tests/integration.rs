//! Integration tests: the whole app on port 0 with a fresh database — SQLite always, PostgreSQL
//! when `DATABASE_URL_PG` is set or a server answers on 127.0.0.1:5432 (each run creates and drops
//! its own database). The same suite runs on both.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::Ordering::SeqCst;
use std::sync::atomic::{AtomicBool, AtomicU32};
use std::sync::{Arc, Mutex};
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
    sinks: Sinks,
}

#[path = "suites/supervision.rs"]
mod supervision;

#[path = "suites/security.rs"]
mod security;

#[path = "suites/clocks.rs"]
mod clocks;

#[path = "suites/corrections.rs"]
mod corrections;

#[path = "suites/forwarding.rs"]
mod forwarding;

#[path = "suites/filings.rs"]
mod filings;

#[path = "suites/notices.rs"]
mod notices;

#[path = "suites/supplements.rs"]
mod supplements;

#[path = "suites/opinions.rs"]
mod opinions;

#[path = "suites/day_by_day.rs"]
mod day_by_day;

#[path = "suites/walk_ins.rs"]
mod walk_ins;

#[path = "suites/bundles.rs"]
mod bundles;
#[path = "suites/open_gov.rs"]
mod open_gov;

/// Where the app's notifications go in the tests: an SMTP sink and an SMS provider sink, each
/// able to refuse on demand.
#[derive(Clone, Default)]
struct Sinks {
    mails: Arc<Mutex<Vec<String>>>,
    smtp_fail_next: Arc<AtomicU32>,
    sms: Arc<Mutex<Vec<serde_json::Value>>>,
    sms_fail: Arc<AtomicBool>,
}

/// A minimal SMTP server: enough of RFC 5321 for one message per connection.
async fn smtp_sink(sinks: Sinks) -> u16 {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let sinks = sinks.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut lines = BufReader::new(r).lines();
                let _ = w.write_all(b"220 sink ESMTP\r\n").await;
                while let Ok(Some(line)) = lines.next_line().await {
                    let cmd = line.to_ascii_uppercase();
                    let reply: &[u8] = if cmd.starts_with("EHLO") || cmd.starts_with("HELO") {
                        b"250 sink\r\n"
                    } else if cmd.starts_with("MAIL") {
                        if sinks.smtp_fail_next.load(SeqCst) > 0 {
                            sinks.smtp_fail_next.fetch_sub(1, SeqCst);
                            b"451 4.3.0 try again later\r\n"
                        } else {
                            b"250 OK\r\n"
                        }
                    } else if cmd.starts_with("DATA") {
                        let _ = w.write_all(b"354 go on\r\n").await;
                        let mut msg = String::new();
                        while let Ok(Some(l)) = lines.next_line().await {
                            if l == "." {
                                break;
                            }
                            msg.push_str(&l);
                            msg.push_str("\r\n");
                        }
                        sinks.mails.lock().unwrap().push(msg);
                        b"250 queued\r\n"
                    } else if cmd.starts_with("QUIT") {
                        let _ = w.write_all(b"221 bye\r\n").await;
                        break;
                    } else {
                        b"250 OK\r\n"
                    };
                    if w.write_all(reply).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    port
}

/// An SMS provider: records `{"to", "text"}` posts, or answers 503 while told to fail.
async fn sms_sink(sinks: Sinks) -> u16 {
    use axum::{extract::State, http::StatusCode as S, routing::post, Json, Router};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let app = Router::new()
        .route(
            "/sms",
            post(|State(s): State<Sinks>, Json(v): Json<serde_json::Value>| async move {
                if s.sms_fail.load(SeqCst) {
                    return S::SERVICE_UNAVAILABLE;
                }
                s.sms.lock().unwrap().push(v);
                S::OK
            }),
        )
        .with_state(sinks);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    port
}

fn leptos_options() -> LeptosOptions {
    LeptosOptions::builder().output_name("tongban").site_root("target/site").site_pkg_dir("pkg").build()
}

async fn spawn(database_url: Option<String>) -> App {
    let dir = tempfile::tempdir().unwrap();
    let sinks = Sinks::default();
    let (smtp, sms) = (smtp_sink(sinks.clone()).await, sms_sink(sinks.clone()).await);
    let notify = app::server::config::NotifySettings {
        smtp: Some(app::server::config::SmtpSettings {
            host: "127.0.0.1".into(),
            port: smtp,
            from: "通办 <noreply@tongban.example>".into(),
            username: None,
            password: None,
            security: "none".into(),
        }),
        sms_url: Some(format!("http://127.0.0.1:{sms}/sms")),
        sms_token: Some("test-token".into()),
        max_attempts: 3,
        retry_secs: 60,
    };
    let settings = Settings {
        data_dir: dir.path().to_path_buf(),
        database_url,
        seed_demo: true,
        // the suites drive the scheduler's work themselves, on fixed days
        scheduler_secs: 0,
        // every suite's people register from 127.0.0.1
        sms_codes_per_address_hour: 100_000,
        // the slow-headers suite waits this long
        header_read_secs: 2,
        notify,
        ..Settings::default()
    };
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
    let base = format!("http://{addr}");
    SINKS.lock().unwrap().insert(base.clone(), sinks.clone());
    App { base, _dir: dir, state, sinks }
}

/// A browser-like client: keeps cookies, does not follow redirects, sends a same-site Origin.
/// A browser: same-origin, Chinese, cookies kept, redirects not followed.
fn browser(base: &str) -> Client {
    browser_with_jar(base).0
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

/// The SMS sink of the app at each base address (the suites of both databases run at once).
static SINKS: std::sync::LazyLock<Mutex<HashMap<String, Sinks>>> = std::sync::LazyLock::new(Default::default);

/// The newest code texted to `mobile` by the app at `base`.
fn texted_code(base: &str, mobile: &str) -> Option<String> {
    let sinks = SINKS.lock().unwrap().get(base).cloned()?;
    let sms = sinks.sms.lock().unwrap().clone();
    let text = sms.iter().rev().find(|s| s["to"] == mobile)?["text"].as_str()?.to_string();
    let digits: String = text.split("验证码是").nth(1)?.chars().skip_while(|c| !c.is_ascii_digit()).take(6).collect();
    (digits.len() == 6).then_some(digits)
}

/// Asks for a registration code for `mobile` (as the form's button does) and reads it off the sink.
async fn sms_code(c: &Client, base: &str, mobile: &str) -> String {
    let r = post_form(c, &format!("{base}/api/sms_code"), &[("kind", "person"), ("mobile", mobile)]).await;
    assert_eq!(location(&r), "/register", "code for {mobile}: {:?}", flash_of(&r));
    texted_code(base, mobile).unwrap_or_else(|| panic!("a code was texted to {mobile}"))
}

async fn register_person(c: &Client, base: &str, name: &str, id: &str, mobile: &str) -> reqwest::Response {
    let code = sms_code(c, base, mobile).await;
    register_with_code(c, base, name, id, mobile, &code).await
}

async fn register_with_code(
    c: &Client,
    base: &str,
    name: &str,
    id: &str,
    mobile: &str,
    code: &str,
) -> reqwest::Response {
    post_form(
        c,
        &format!("{base}/api/register"),
        &[
            ("kind", "person"),
            ("name", name),
            ("id_card_no", id),
            ("mobile", mobile),
            ("sms_code", code),
            ("password", PW),
            ("password_confirm", PW),
        ],
    )
    .await
}

/// The minute between two codes to one mobile passes (its throttle's hits are moved back).
async fn sms_minute_passes(app: &App) {
    use app::server::entities::rate_hit;
    use sea_orm::{sea_query::Expr, ColumnTrait, EntityTrait, QueryFilter};
    rate_hit::Entity::update_many()
        .col_expr(rate_hit::Column::At, Expr::value(chrono::Utc::now() - chrono::Duration::minutes(2)))
        .filter(rate_hit::Column::Bucket.eq("sms_minute"))
        .exec(&app.state.db)
        .await
        .unwrap();
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
    let r = bare.post(format!("{base}/api/login")).form(&[("login", "x"), ("password", "y")]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = bare
        .post(format!("{base}/api/login"))
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

    // a valid registration logs the applicant in (a minute later: one code a minute to a mobile)
    sms_minute_passes(app).await;
    let r = register_person(&c, base, "李雷", "11010519900307857X", "13912340001").await;
    assert_eq!(location(&r), "/account");
    let first_session = session_cookie(&r).expect("session cookie");
    assert!(first_session.contains("HttpOnly") && first_session.contains("SameSite=Lax"));
    let (status, account) = text(&c, &format!("{base}/account")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(account.contains("李雷") && account.contains("注册成功"));
    assert!(account.contains("110***********857X"), "ID masked");
    assert_eq!(count_applicants(app).await, before + 1);

    // Registering proves the mobile with a one-time code (issue S, item 1): without one, with a
    // wrong one, with too many wrong ones (parallel guesses included), with one used already,
    // nothing is written; a code is asked for once a minute. Before, any checksum-valid ID number
    // registered with any mobile.
    {
        let c3 = browser(base);
        let f = "11010119900307001";
        let id3 = format!("{f}{}", rules::validators::id_check_character(f).unwrap());
        let err = |r: &reqwest::Response, field: &str| {
            let fl = flash_of(r).unwrap_or_else(|| panic!("refused: {}", location(r)));
            fl.errors.get(field).cloned().unwrap_or_else(|| panic!("{field}: {fl:?}"))
        };
        let r = register_with_code(&c3, base, "王五", &id3, "13912340003", "").await;
        assert!(err(&r, "sms_code").contains("6 位验证码"));
        let r = register_with_code(&c3, base, "王五", &id3, "13912340003", "123456").await;
        assert!(err(&r, "sms_code").contains("尚未获取"), "no code was sent");
        let code = sms_code(&c3, base, "13912340003").await;
        let (_, page) = text(&c3, &format!("{base}/register")).await;
        assert!(page.contains("验证码已发送至 139****0003") && page.contains("value=\"13912340003\""), "told, kept");
        let again = post_form(&c3, &format!("{base}/api/sms_code"), &[("mobile", "13912340003")]).await;
        assert!(err(&again, "_form").contains("尝试次数过多"), "one code a minute");
        let wrong = if code == "000000" { "000001" } else { "000000" };
        let guesses = (0..8).map(|_| register_with_code(&c3, base, "王五", &id3, "13912340003", wrong));
        let answers = futures::future::join_all(guesses).await;
        let told: Vec<String> = answers.iter().map(|r| err(r, "sms_code")).collect();
        assert_eq!(told.iter().filter(|m| m.contains("不正确")).count(), 5, "5 tries, however parallel: {told:?}");
        let r = register_with_code(&c3, base, "王五", &id3, "13912340003", &code).await;
        assert!(err(&r, "sms_code").contains("次数过多"), "the right code after 5 wrong ones");
        assert_eq!(count_applicants(app).await, before + 1);
        // another mobile: a wrong try, then the right code; used once
        let code = sms_code(&c3, base, "13912340004").await;
        let r = register_with_code(&c3, base, "王五", &id3, "13912340004", wrong).await;
        assert!(err(&r, "sms_code").contains("不正确"));
        let r = register_with_code(&c3, base, "王五", &id3, "13912340004", &code).await;
        assert_eq!(location(&r), "/account", "{:?}", flash_of(&r));
        let c4 = browser(base);
        let f = "11010119900307002";
        let id4 = format!("{f}{}", rules::validators::id_check_character(f).unwrap());
        let r = register_with_code(&c4, base, "赵六", &id4, "13912340004", &code).await;
        assert!(err(&r, "sms_code").contains("已失效"), "a code is used once");
        assert_eq!(count_applicants(app).await, before + 2);
    }
    let before = before + 1;

    // duplicate registration: clear message, nothing written
    let c2 = browser(base);
    let r = register_person(&c2, base, "李雷", "11010519900307857X", "13912340002").await;
    assert_eq!(location(&r), "/register");
    let (_, page) = text(&c2, &format!("{base}/register")).await;
    assert!(page.contains("该证件号码不能在网上注册") && page.contains("服务窗口"), "said once the mobile is proved");
    sms_minute_passes(app).await;
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
    let r = post_form(&c, &format!("{base}/api/logout"), &[]).await;
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
        let r = post_form(&c3, &format!("{base}/api/login"), &[("login", login), ("password", "wrong-password")]).await;
        assert_eq!(location(&r), "/login");
        let (_, page) = text(&c3, &format!("{base}/login")).await;
        assert!(page.contains("账号或密码不正确"), "{login}");
        assert!(page.contains(&format!("value=\"{login}\"")), "login kept");
    }

    // login rotates the session id; mobile and ID number both work
    let c4 = browser(base);
    let r = post_form(
        &c4,
        &format!("{base}/api/login"),
        &[("login", "139 1234 0001"), ("password", PW), ("next", "/account")],
    )
    .await;
    assert_eq!(location(&r), "/account");
    let s1 = session_cookie(&r).unwrap();
    let r = post_form(
        &c4,
        &format!("{base}/api/login"),
        &[("login", "11010519900307857X"), ("password", PW), ("next", "//evil.example/")],
    )
    .await;
    assert_eq!(location(&r), "/account", "no open redirect");
    let s2 = session_cookie(&r).unwrap();
    assert_ne!(s1, s2, "session id rotated at login");

    // throttling: after 5 failures even the right password is refused for a while
    let c5 = browser(base);
    for _ in 0..5 {
        post_form(&c5, &format!("{base}/api/login"), &[("login", "13912340001"), ("password", "nope-nope")]).await;
    }
    let r = post_form(&c5, &format!("{base}/api/login"), &[("login", "13912340001"), ("password", PW)]).await;
    assert_eq!(location(&r), "/login");
    assert!(session_cookie(&r).is_none());
    let (_, page) = text(&c5, &format!("{base}/login")).await;
    assert!(page.contains("尝试次数过多"));

    // staff: the demo clerk signs in and sees the workspace; an applicant does not
    let staff = browser(base);
    let r = post_form(
        &staff,
        &format!("{base}/api/staff_login"),
        &[("username", "clerk"), ("password", tongban::seed::DEMO_STAFF_PASSWORD)],
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
        &format!("{base}/api/login"),
        &[("login", "11010519491231002X"), ("password", tongban::seed::DEMO_APPLICANT_PASSWORD)],
    )
    .await;
    assert_eq!(location(&r), "/account");
    let mine: serde_json::Value =
        person.post(format!("{base}/api/my_cases")).send().await.unwrap().json().await.unwrap();
    let list = mine.as_array().expect("a list for an applicant");
    assert_eq!(list.len(), 2, "{mine}");
    let in_review = list.iter().find(|c| c["state"] == "in_review").expect("the case in review");
    assert!(list.iter().any(|c| c["state"] == "delivered"), "the delivered filing");
    let case_id = in_review["id"].as_i64().unwrap();
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
    let (status, page) = text(&c4, &format!("{base}/cases/{case_id}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("您没有权限查看或办理此事项") && !page.contains("建设项目用地预审"), "safe message, no data");
    let theirs: serde_json::Value = c4.post(format!("{base}/api/my_cases")).send().await.unwrap().json().await.unwrap();
    assert_eq!(theirs, serde_json::json!([]));
    // anonymous: the page sends to the login
    let r = anon.get(format!("{base}/cases/{case_id}")).header("accept", "text/html").send().await.unwrap();
    assert!(r.status().is_redirection(), "{}", r.status());
    assert!(location(&r).starts_with("/login?next=/cases/"));

    // preferences: language and elder mode from cookies, rendered by the server
    let p = browser(base);
    let r = post_form(&p, &format!("{base}/api/set_prefs"), &[("lang", "en"), ("return_to", "/login")]).await;
    assert_eq!(location(&r), "/login");
    post_form(&p, &format!("{base}/api/set_prefs"), &[("elder", "1"), ("return_to", "https://evil.example")]).await;
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
        grants_request: None,
    };

    let draft = cases::create_draft(db, 1, "ZRZY-003", &Default::default(), None, None).await.unwrap();
    assert_eq!(draft.state.code(), "draft");
    let c = cases::apply(db, &cal, change(&draft, Action::Submit, applicant, "2025-09-30")).await.unwrap();
    assert_eq!((c.state.code(), c.version), ("submitted", 1));
    assert_eq!(c.case_no.as_deref(), Some("ZRZY-20250930-000001"));
    let other = cases::create_draft(db, 1, "ZRZY-003", &Default::default(), None, None).await.unwrap();
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
    assert_eq!(c.state.code(), "submitted");
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
    assert_eq!(c.state.code(), "in_review");

    // suspension stops the clock, resumption restarts it; one extension
    let suspend = Action::Suspend { kind: "hearing".into(), reason: "听证".into() };
    let c = cases::apply(db, &cal, change(&c, suspend, approver, "2025-10-13")).await.unwrap();
    assert_eq!(c.state, CaseState::Suspended);
    let c = cases::apply(db, &cal, change(&c, Action::Resume, approver, "2025-10-20")).await.unwrap();
    assert_eq!(c.due_on, Some(d("2025-11-11")), "five working days suspended");
    let extend = Action::Extend { days: 10, reason: "需专家评审".into() };
    let c = cases::apply(db, &cal, change(&c, extend.clone(), approver, "2025-10-21")).await.unwrap();
    assert_eq!(c.due_on, Some(d("2025-11-25")));
    let e = cases::apply(db, &cal, change(&c, extend, approver, "2025-10-22")).await.unwrap_err();
    assert!(matches!(e, AppError::Refused(rules::Refusal::Extension(_))), "{e:?}");

    let events = cases::events(db, c.id, true).await.unwrap();
    let actions: Vec<&str> = events.iter().map(|e| e.action.code()).collect();
    assert_eq!(
        actions,
        ["submit", "request_correction", "resubmit", "accept", "start_review", "suspend", "resume", "extend"]
    );
    assert_eq!(events.iter().map(|e| e.seq).collect::<Vec<_>>(), (1..=8).collect::<Vec<_>>());
}

const PDF: &[u8] = b"%PDF-1.4\n%test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n0000000000000000";

async fn upload(
    c: &Client,
    base: &str,
    case: i64,
    material: &str,
    name: &str,
    body: Vec<u8>,
    json: bool,
) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(body).file_name(name.to_string());
    let form = reqwest::multipart::Form::new().part("file", part);
    let mut req = c.post(format!("{base}/applications/{case}/files?material={material}")).multipart(form);
    if json {
        req = req.header("accept", "application/json");
    }
    req.send().await.unwrap()
}

fn flash_of(r: &reqwest::Response) -> Option<app::models::Flash> {
    r.headers().get_all(SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|c| {
        let v = c.strip_prefix("tb_flash=")?.split(';').next()?;
        app::server::edge::decode_flash(v)
    })
}

async fn draft_version(c: &Client, base: &str, case: i64) -> i64 {
    let d: serde_json::Value = c
        .post(format!("{base}/api/get_draft"))
        .form(&[("id", case.to_string())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    d["version"].as_i64().expect("a draft")
}

/// The applicant's journey through the plain endpoints: draft, answers, uploads (type, size,
/// streaming), check, submit, receipt, inbox, progress query, register, withdraw, rating,
/// verification — and what others cannot do.
async fn journey_suite(app: &App) {
    let base = &app.base;
    let c = browser(base);
    let r = register_person(&c, base, "韩梅梅", "110105198001010024", "13900000077").await;
    assert_eq!(location(&r), "/account", "registered");

    // anonymous "apply" goes to the login and back to the guide
    let anon = browser(base);
    let r = post_form(&anon, &format!("{base}/api/start_application"), &[("item", "ZRZY-001")]).await;
    assert_eq!(location(&r), "/login?next=/items/ZRZY-001");

    // start a draft; starting again opens the same one
    let r = post_form(&c, &format!("{base}/api/start_application"), &[("item", "zrzy-001")]).await;
    let loc = location(&r);
    let case: i64 = loc.strip_prefix("/applications/").expect("to the draft").parse().unwrap();
    let r = post_form(&c, &format!("{base}/api/start_application"), &[("item", "ZRZY-001")]).await;
    assert_eq!(location(&r), loc, "the same draft");
    let (status, page) = text(&c, &format!("{base}{loc}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("建设项目用地预审申请表") && page.contains("还差"), "checklist on the draft page");

    // answers: a value that is not an option is refused, with the message by the question
    let r = post_form(
        &c,
        &format!("{base}/api/save_answers"),
        &[("case", case.to_string().as_str()), ("q_via_agent", "perhaps")],
    )
    .await;
    let f = flash_of(&r).expect("errors come back");
    assert!(f.errors["q_via_agent"].contains("是否委托他人代为办理"), "{f:?}");
    let r = post_form(
        &c,
        &format!("{base}/api/save_answers"),
        &[("case", case.to_string().as_str()), ("q_via_agent", "no"), ("q_collective", "no")],
    )
    .await;
    assert_eq!(location(&r), format!("/applications/{case}#materials"));

    // uploads: a PNG renamed .pdf for a PDF-only material, an oversize file (announced, and
    // streamed without a length), an empty file: each refused with the material's name
    let r = upload(&c, base, case, "application", "申请表.pdf", PNG.to_vec(), true).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["field"], "m_application");
    assert!(v["message"].as_str().unwrap().contains("PDF/OFD"), "{v}");
    let mut big = PDF.to_vec();
    big.resize(10 * 1024 * 1024 + 1, b'a');
    let r = upload(&c, base, case, "application", "big.pdf", big.clone(), true).await;
    let v: serde_json::Value = r.json().await.unwrap();
    assert!(v["message"].as_str().unwrap().contains("10 MB"), "{v}");
    let stream =
        futures::stream::iter(big.chunks(64 * 1024).map(|b| Ok::<_, std::io::Error>(b.to_vec())).collect::<Vec<_>>());
    let part = reqwest::multipart::Part::stream(reqwest::Body::wrap_stream(stream)).file_name("big.pdf");
    let r = c
        .post(format!("{base}/applications/{case}/files?material=application"))
        .header("accept", "application/json")
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "cut off while streaming");
    let r = upload(&c, base, case, "application", "empty.pdf", Vec::new(), true).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = upload(&c, base, case, "no_such_material", "a.pdf", PDF.to_vec(), true).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // nothing of the refused files is left in the store
    let objects = walk(&app.state.settings.files_dir().join("objects"));
    let r = upload(&c, base, case, "application", "C:\\scans\\申请表.pdf", PDF.to_vec(), true).await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["files"][0]["file_name"], "申请表.pdf");
    assert_eq!(v["files"][0]["sha256"], "151f7aedbbf7f99c31c47f13cfef43d151cf0b4a4e11133e857942ce6cbd60e8");
    assert_eq!(walk(&app.state.settings.files_dir().join("objects")), objects + 1);
    // the plain form (no JavaScript) redirects back to the material
    let r = upload(&c, base, case, "id_card", "id.jpg", b"\xFF\xD8\xFF\xE0rest-of-jpeg".to_vec(), false).await;
    assert_eq!(location(&r), format!("/applications/{case}#m-id_card"));
    let r = upload(&c, base, case, "site_photos", "photo.png", PNG.to_vec(), true).await;
    let photo = r.json::<serde_json::Value>().await.unwrap()["files"][0]["id"].as_i64().unwrap();

    // another applicant can neither see nor change the draft, nor download its files
    let other = browser(base);
    register_person(&other, base, "李磊", "110105199002020034", "13900000078").await;
    let r = other.post(format!("{base}/api/get_draft")).form(&[("id", case.to_string())]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = upload(&other, base, case, "application", "x.pdf", PDF.to_vec(), true).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(other.get(format!("{base}/files/{photo}")).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(anon.get(format!("{base}/files/{photo}")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let r = c.get(format!("{base}/files/{photo}")).send().await.unwrap();
    assert_eq!(r.headers()["content-type"], "image/png");
    // files may be framed by this site's own pages (the back office's preview), by no other
    assert_eq!(r.headers()["x-frame-options"], "SAMEORIGIN");
    assert!(r.headers()["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'self'"));
    assert_eq!(r.bytes().await.unwrap().as_ref(), PNG);

    // remove a file before submitting
    let r = post_form(
        &c,
        &format!("{base}/api/remove_file"),
        &[("case", case.to_string().as_str()), ("file", photo.to_string().as_str())],
    )
    .await;
    assert_eq!(location(&r), format!("/applications/{case}#materials"));
    assert_eq!(c.get(format!("{base}/files/{photo}")).send().await.unwrap().status(), StatusCode::NOT_FOUND);

    // submitting with a required material missing: refused, the message names it; nothing changes
    let v = draft_version(&c, base, case).await;
    let r = post_form(
        &c,
        &format!("{base}/api/submit_application"),
        &[("case", case.to_string().as_str()), ("version", &v.to_string())],
    )
    .await;
    assert_eq!(location(&r), format!("/applications/{case}/check"));
    let f = flash_of(&r).unwrap();
    assert!(f.errors["m_project_approval"].contains("项目建议书批复文件"), "{f:?}");
    upload(&c, base, case, "project_approval", "批复.pdf", PDF.to_vec(), true).await;
    // a stale version (the page was open before a change) is refused
    let r = post_form(
        &c,
        &format!("{base}/api/submit_application"),
        &[("case", case.to_string().as_str()), ("version", "0")],
    )
    .await;
    assert!(flash_of(&r).unwrap().errors["_form"].contains("刷新"));
    let v = draft_version(&c, base, case).await;
    let r = post_form(
        &c,
        &format!("{base}/api/submit_application"),
        &[("case", case.to_string().as_str()), ("version", &v.to_string())],
    )
    .await;
    assert_eq!(location(&r), format!("/cases/{case}?submitted=1"), "{:?}", flash_of(&r));

    // the confirmation page with the case number, the acceptance window and the receipt
    let (status, page) = text(&c, &format!("{base}/cases/{case}?submitted=1")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("申请已提交") && page.contains("受理决定期限"));
    let detail: serde_json::Value = c
        .post(format!("{base}/api/case_detail"))
        .form(&[("id", case.to_string())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let case_no = detail["summary"]["case_no"].as_str().unwrap().to_string();
    assert!(case_no.starts_with("ZRZY-"));
    let today = rules::validators::china_today();
    let window = rules::deadline::acceptance_window_end(&app.state.calendar(), today).unwrap();
    assert_eq!(detail["extras"]["acceptance_by"], window.to_string(), "5 working days by the rules crate");
    let r = c.get(format!("{base}/notices/{case}/receipt.pdf")).send().await.unwrap();
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let lines = app::server::receipt::text_lines(&r.bytes().await.unwrap());
    assert_eq!(lines[0], "收件凭证");
    assert!(lines.contains(&case_no) && lines.contains(&"韩梅梅".to_string()), "{lines:?}");
    assert!(lines.iter().any(|l| l.contains("申请表.pdf")), "{lines:?}");
    assert!(lines.iter().any(|l| l.contains(&window.to_string())), "{lines:?}");
    insta::assert_snapshot!("receipt", redacted(&lines, base));
    let status = other.get(format!("{base}/notices/{case}/receipt.pdf")).send().await.unwrap().status();
    assert!(matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "another's receipt: {status}");
    // the submitted application can no longer be edited
    let r = upload(&c, base, case, "site_photos", "late.png", PNG.to_vec(), true).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // inbox: the receipt message
    let inbox: serde_json::Value = c.post(format!("{base}/api/my_inbox")).send().await.unwrap().json().await.unwrap();
    assert_eq!(inbox[0]["kind"], "submit");
    assert_eq!(inbox[0]["case_no"], case_no.as_str());

    // public progress: by the last 4 digits of the mobile (or the whole of it); a name, readable
    // on the public register, is no longer enough; a wrong pair gives nothing away
    let (status, page) = text(&anon, &format!("{base}/progress?case_no={case_no}&who=0077")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("已提交，待受理") && page.contains("建设项目用地预审"));
    let (status, page) =
        text(&anon, &format!("{base}/progress?case_no={}&who=13900000077", case_no.to_lowercase())).await;
    assert_eq!(status, StatusCode::OK, "case number in lower case, mobile");
    assert!(page.contains("提交申请"));
    for who in ["%E6%9D%8E%E9%9B%B7", "%E9%9F%A9%E6%A2%85%E6%A2%85", "0078", "077"] {
        let (status, page) = text(&anon, &format!("{base}/progress?case_no={case_no}&who={who}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{who}");
        assert!(page.contains("没有找到") && !page.contains("建设项目用地预审"));
    }

    // the public register masks the applicant
    let (_, page) = text(&anon, &format!("{base}/ledger")).await;
    assert!(
        page.contains(&case_no) && page.contains("韩*梅") && page.contains("139****0077") && !page.contains("韩梅梅")
    );

    // withdraw: needs the confirmation box; then the case ends
    let r = post_form(
        &c,
        &format!("{base}/api/withdraw_case"),
        &[("case", case.to_string().as_str()), ("version", &detail["extras"]["version"].to_string())],
    )
    .await;
    assert_eq!(location(&r), format!("/cases/{case}/withdraw"));
    assert!(flash_of(&r).unwrap().errors.contains_key("confirm"));
    let r = post_form(
        &other,
        &format!("{base}/api/withdraw_case"),
        &[
            ("case", case.to_string().as_str()),
            ("version", &detail["extras"]["version"].to_string()),
            ("confirm", "yes"),
        ],
    )
    .await;
    assert_eq!(location(&r), format!("/cases/{case}/withdraw"), "not theirs");
    assert!(flash_of(&r).unwrap().errors["_form"].contains("没有权限"));
    let r = post_form(
        &c,
        &format!("{base}/api/withdraw_case"),
        &[
            ("case", case.to_string().as_str()),
            ("version", &detail["extras"]["version"].to_string()),
            ("confirm", "yes"),
        ],
    )
    .await;
    assert_eq!(location(&r), format!("/cases/{case}"));
    let detail: serde_json::Value = c
        .post(format!("{base}/api/case_detail"))
        .form(&[("id", case.to_string())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(detail["summary"]["state"], "withdrawn");

    // rating: only a finished case; a bad rating needs a reason; once per case
    let r =
        post_form(&c, &format!("{base}/api/rate_case"), &[("case", case.to_string().as_str()), ("level", "5")]).await;
    assert!(flash_of(&r).unwrap().errors["_form"].contains("办结后"));
    // a case field that is no case is a 404 in the user's language, on both case forms
    for f in ["rate_case", "complain_case"] {
        let r = post_form(&c, &format!("{base}/api/{f}"), &[("case", "x"), ("level", "5")]).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{f}");
        assert!(r.text().await.unwrap().contains("找不到"), "{f}");
    }
    let person = browser(base);
    post_form(
        &person,
        &format!("{base}/api/login"),
        &[("login", "11010519491231002X"), ("password", tongban::seed::DEMO_APPLICANT_PASSWORD)],
    )
    .await;
    let mine: serde_json::Value =
        person.post(format!("{base}/api/my_cases")).send().await.unwrap().json().await.unwrap();
    let delivered =
        mine.as_array().unwrap().iter().find(|c| c["state"] == "delivered").unwrap()["id"].as_i64().unwrap();
    let r = post_form(
        &person,
        &format!("{base}/api/rate_case"),
        &[("case", delivered.to_string().as_str()), ("level", "1"), ("reason", "  ")],
    )
    .await;
    let f = flash_of(&r).unwrap();
    assert!(f.errors["reason"].contains("原因") && f.values["level"] == "1", "{f:?}");
    let r = post_form(
        &person,
        &format!("{base}/api/rate_case"),
        &[("case", delivered.to_string().as_str()), ("level", "2"), ("reason", "等了很久")],
    )
    .await;
    assert_eq!(location(&r), format!("/cases/{delivered}#rating"));
    let r = post_form(
        &person,
        &format!("{base}/api/rate_case"),
        &[("case", delivered.to_string().as_str()), ("level", "5")],
    )
    .await;
    assert!(flash_of(&r).unwrap().errors["_form"].contains("只能评价一次"));
    let d: serde_json::Value = person
        .post(format!("{base}/api/case_detail"))
        .form(&[("id", delivered.to_string())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let follow_up =
        app.state.calendar().nth_working_day_after(today, app::server::journey::FOLLOW_UP_WORKING_DAYS).unwrap();
    assert_eq!(d["extras"]["evaluation"]["follow_up_due"], follow_up.to_string(), "a follow-up for the bad rating");

    // a complaint about the case
    let r = post_form(
        &person,
        &format!("{base}/api/complain_case"),
        &[("case", delivered.to_string().as_str()), ("subject", ""), ("body", "短")],
    )
    .await;
    let f = flash_of(&r).unwrap();
    assert!(f.errors.contains_key("subject") && f.errors.contains_key("body") && f.values["body"] == "短");
    let r = post_form(
        &person,
        &format!("{base}/api/complain_case"),
        &[("case", delivered.to_string().as_str()), ("subject", "窗口态度"), ("body", "窗口人员没有一次性告知")],
    )
    .await;
    assert_eq!(location(&r), format!("/cases/{delivered}#complaint"));

    // a complaint about a window, not tied to a case
    let r = post_form(
        &person,
        &format!("{base}/api/complain_window"),
        &[("department", ""), ("subject", "排队"), ("body", "等候时间太长了")],
    )
    .await;
    let f = flash_of(&r).unwrap();
    assert!(f.errors["department"].contains("窗口") && f.values["body"] == "等候时间太长了", "{f:?}");
    let r = post_form(
        &person,
        &format!("{base}/api/complain_window"),
        &[("department", "1"), ("subject", "排队"), ("body", "等候时间太长了")],
    )
    .await;
    assert_eq!(location(&r), "/complaint");
    let r = post_form(
        &anon,
        &format!("{base}/api/complain_window"),
        &[("department", "1"), ("subject", "x"), ("body", "yyyyyy")],
    )
    .await;
    assert_eq!(location(&r), "/login?next=/complaint");
    let n = app
        .state
        .db
        .query_one_raw(Statement::from_string(
            app.state.db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM complaints",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();
    assert_eq!(n, 2, "one about the case, one about the window");

    // verification of the result document (the demo filing's), and an unknown code
    let code = d["extras"]["results"][0]["code"].as_str().unwrap().to_string();
    let (status, page) = text(&anon, &format!("{base}/verify/{}", code.to_lowercase())).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("验证通过") && page.contains("地质灾害危险性评估报告备案") && page.contains("张*"));
    let r = person.get(format!("{base}/results/{code}.pdf")).send().await.unwrap();
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let lines = app::server::receipt::text_lines(&r.bytes().await.unwrap());
    assert_eq!(lines[0], "备案通知书");
    assert!(lines.iter().any(|l| l.contains(&format!("/verify/{code}"))), "{lines:?}");
    insta::assert_snapshot!("result_document", redacted(&lines, base));
    assert_eq!(anon.get(format!("{base}/results/{code}.pdf")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    assert_eq!(c.get(format!("{base}/results/{code}.pdf")).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    let (status, page) = text(&anon, &format!("{base}/verify/NOSUCHCODE")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("没有找到该验证码"));

    // the guide: steps, result, fees, blank forms, QR code
    let (_, page) = text(&anon, &format!("{base}/items/ZRZY-002")).await;
    assert!(page.contains("办理流程") && page.contains("采矿许可证") && page.contains("采矿权出让收益"));
    assert!(page.contains("/items/ZRZY-002/materials/application/blank.pdf") && page.contains("<svg"));

    // blank form and sample of a material
    let r = anon.get(format!("{base}/items/ZRZY-001/materials/application/sample.pdf")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let lines = app::server::receipt::text_lines(&r.bytes().await.unwrap());
    assert_eq!(lines[0], "建设项目用地预审申请表");
    assert_eq!(
        anon.get(format!("{base}/items/ZRZY-001/materials/id_card/blank.pdf")).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );

    drafts_and_corrections(app, &c).await;

    // the progress query is rate-limited per address
    let mut limited = false;
    for _ in 0..app::server::journey::PROGRESS_QUERIES_PER_WINDOW + 1 {
        let (status, _) = text(&anon, &format!("{base}/progress?case_no=X&who=Y")).await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            limited = true;
            break;
        }
    }
    assert!(limited, "rate-limited");
}

/// A newly registered person, signed in: the ID number is completed from its first 17 digits.
async fn new_person(base: &str, name: &str, first17: &str, mobile: &str) -> Client {
    let c = browser(base);
    let number = format!("{first17}{}", rules::validators::id_check_character(first17).unwrap());
    let r = register_person(&c, base, name, &number, mobile).await;
    assert_eq!(location(&r), "/account", "{name} registers: {:?}", flash_of(&r));
    c
}

/// Uploads a PDF for every required material that applies and submits; returns the case id.
async fn fill_and_submit(c: &Client, base: &str, item: &str, answers: &[(&str, &str)]) -> i64 {
    let r = post_form(c, &format!("{base}/api/start_application"), &[("item", item)]).await;
    let case: i64 = location(&r).strip_prefix("/applications/").unwrap().parse().unwrap();
    let r = fill_and_submit_draft(c, base, case, answers).await;
    assert_eq!(location(&r), format!("/cases/{case}?submitted=1"), "{:?}", flash_of(&r));
    case
}

/// Answers a person's started draft `case`, uploads what its checklist asks now and submits it
/// (online or at the counter): the submit's answer.
async fn fill_and_submit_draft(c: &Client, base: &str, case: i64, answers: &[(&str, &str)]) -> reqwest::Response {
    let mut form: Vec<(String, String)> = answers.iter().map(|(k, v)| (format!("q_{k}"), v.to_string())).collect();
    form.push(("then".into(), "stay".into()));
    form.push(("case".into(), case.to_string()));
    c.post(format!("{base}/api/save_answers")).form(&form).send().await.unwrap();
    let d: serde_json::Value = c
        .post(format!("{base}/api/get_draft"))
        .form(&[("id", case.to_string())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let rules: rules::item::ItemRules = serde_json::from_value(d["item"]["rules"].clone()).unwrap();
    let answers: rules::materials::Answers = serde_json::from_value(d["answers"].clone()).unwrap();
    let list = rules::materials::checklist(
        &rules.materials,
        rules::ApplicantKind::Person,
        &answers,
        &Default::default(),
        None,
    );
    for code in &list.required_now {
        let r = upload(c, base, case, code, &format!("{code}.pdf"), PDF.to_vec(), true).await;
        assert_eq!(r.status(), StatusCode::OK, "{code}");
    }
    let v = draft_version(c, base, case).await;
    post_form(
        c,
        &format!("{base}/api/submit_application"),
        &[("case", case.to_string().as_str()), ("version", &v.to_string())],
    )
    .await
}

/// A draft whose item changed since it was started; answering a one-time correction notice.
async fn drafts_and_corrections(app: &App, c: &Client) {
    use app::server::entities::{case, item};
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
    let base = &app.base;
    let db = &app.state.db;

    // a draft for ZRZY-002 with an answer and a file; then the item gets a new version
    let r = post_form(c, &format!("{base}/api/start_application"), &[("item", "ZRZY-002")]).await;
    let case: i64 = location(&r).strip_prefix("/applications/").unwrap().parse().unwrap();
    post_form(c, &format!("{base}/api/save_answers"), &[("case", case.to_string().as_str()), ("q_via_agent", "no")])
        .await;
    upload(c, base, case, "id_card", "id.pdf", PDF.to_vec(), true).await;
    let old = item::Entity::find()
        .filter(item::Column::Code.eq("ZRZY-002"))
        .order_by_desc(item::Column::Version)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let mut rules: rules::item::ItemRules = old.rules.clone();
    rules.questions.push(rules::item::Question {
        code: "first_home".into(),
        text: "是否为首次申请采矿权？".into(),
        options: vec![("yes".into(), "是".into()), ("no".into(), "否".into())],
    });
    item::ActiveModel {
        code: Set(old.code.clone()),
        version: Set(old.version + 1),
        department_id: Set(old.department_id),
        name: Set(old.name.clone()),
        summary: Set(old.summary.clone()),
        rules: Set(rules.clone()),
        published: Set(true),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    let d: serde_json::Value = c
        .post(format!("{base}/api/get_draft"))
        .form(&[("id", case.to_string())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(d["outdated"], true);
    let (_, page) = text(c, &format!("{base}/applications/{case}")).await;
    assert!(page.contains("按新指南更新申请"), "the draft page says so");
    // submitting is refused with a clear message; nothing is lost
    let v = draft_version(c, base, case).await;
    let r = post_form(
        c,
        &format!("{base}/api/submit_application"),
        &[("case", case.to_string().as_str()), ("version", &v.to_string())],
    )
    .await;
    assert!(flash_of(&r).unwrap().errors["_form"].contains("办事指南已更新"));
    let r = post_form(c, &format!("{base}/api/upgrade_draft"), &[("case", case.to_string().as_str())]).await;
    assert_eq!(location(&r), format!("/applications/{case}"));
    let d: serde_json::Value = c
        .post(format!("{base}/api/get_draft"))
        .form(&[("id", case.to_string())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(d["outdated"], false);
    assert_eq!(d["item"]["version"], old.version + 1);
    assert_eq!(d["answers"]["via_agent"], "no", "answers kept: {d}");
    assert_eq!(d["files"][0]["file_name"], "id.pdf", "files kept");
    assert!(d["item"]["rules"]["questions"].as_array().unwrap().iter().any(|q| q["code"] == "first_home"));

    // a one-time correction notice, answered by replacing a file and resubmitting
    let case = fill_and_submit(c, base, "ZRZY-005", &[("via_agent", "no")]).await;
    let row = case::Entity::find_by_id(case as i32).one(db).await.unwrap().unwrap();
    let clerk = app::server::entities::staff::Entity::find()
        .filter(app::server::entities::staff::Column::Username.eq("clerk"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let provided = app::server::cases::documents::files_of(db, row.id)
        .await
        .unwrap()
        .into_iter()
        .map(|f| f.material_code)
        .collect();
    app::server::cases::apply(
        db,
        &app.state.calendar(),
        app::server::cases::Change {
            case_id: row.id,
            expected_version: row.version,
            action: rules::case::Action::RequestCorrection,
            actor: app::server::cases::Actor {
                kind: app::server::auth::PrincipalKind::Staff,
                id: clerk.id,
                role: rules::Role::WindowClerk,
            },
            comment: "申请人身份证明：复印件不清晰，请重新扫描上传。".into(),
            internal: false,
            today: rules::validators::china_today(),
            provided,
            grants_request: None,
        },
    )
    .await
    .unwrap();
    let inbox: serde_json::Value = c.post(format!("{base}/api/my_inbox")).send().await.unwrap().json().await.unwrap();
    assert_eq!(inbox[0]["kind"], "request_correction");
    let d: serde_json::Value = c
        .post(format!("{base}/api/get_draft"))
        .form(&[("id", case.to_string())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(d["state"], "awaiting_correction");
    assert!(d["correction"]["text"].as_str().unwrap().contains("复印件不清晰"));
    assert!(d["correction"]["due"].is_string());
    let old_id = d["files"].as_array().unwrap().iter().find(|f| f["material_code"] == "id_card").unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = post_form(
        c,
        &format!("{base}/api/remove_file"),
        &[("case", case.to_string().as_str()), ("file", old_id.to_string().as_str())],
    )
    .await;
    assert_eq!(location(&r), format!("/applications/{case}#materials"));
    let r = upload(c, base, case, "id_card", "身份证-清晰.jpg", b"\xFF\xD8\xFF\xE0clear-scan".to_vec(), true).await;
    assert_eq!(r.status(), StatusCode::OK);
    let v = draft_version(c, base, case).await;
    let r = post_form(
        c,
        &format!("{base}/api/submit_application"),
        &[("case", case.to_string().as_str()), ("version", &v.to_string())],
    )
    .await;
    assert_eq!(location(&r), format!("/cases/{case}?submitted=1"));
    let detail: serde_json::Value = c
        .post(format!("{base}/api/case_detail"))
        .form(&[("id", case.to_string())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(detail["summary"]["state"], "submitted");
    let actions: Vec<&str> =
        detail["timeline"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["submit", "request_correction", "resubmit"]);
    let names: Vec<&str> =
        detail["extras"]["files"].as_array().unwrap().iter().map(|f| f["file_name"].as_str().unwrap()).collect();
    assert!(names.contains(&"身份证-清晰.jpg") && !names.contains(&"id_card.pdf"), "{names:?}");
    // the replaced file is kept (hidden) as evidence of what was first handed in
    assert_eq!(c.get(format!("{base}/files/{old_id}")).send().await.unwrap().status(), StatusCode::OK);
}

/// Staff sessions the tests opened, per (base, username), as the `Cookie` header that carries
/// them: a TOTP code is accepted once per 30-second step, so a second sign-in of the demo's admin
/// within one step would have to wait for the next. A test that asks again gets the live session
/// in a fresh cookie jar (nothing else of the earlier client's), or a new sign-in once it ended.
static STAFF_SESSIONS: std::sync::LazyLock<std::sync::Mutex<HashMap<(String, String), String>>> =
    std::sync::LazyLock::new(Default::default);

/// TOTP secrets the tests learned while a second factor was set up (else the demo's).
static TOTP_SECRETS: std::sync::LazyLock<std::sync::Mutex<HashMap<(String, String), String>>> =
    std::sync::LazyLock::new(Default::default);

/// A browser whose cookie jar the test can read.
fn browser_with_jar(base: &str) -> (Client, std::sync::Arc<reqwest::cookie::Jar>) {
    let mut h = HeaderMap::new();
    h.insert(ORIGIN, HeaderValue::from_str(base).unwrap());
    h.insert("accept-language", HeaderValue::from_static("zh-CN"));
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let c = Client::builder()
        .cookie_provider(jar.clone())
        .redirect(redirect::Policy::none())
        .default_headers(h)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    (c, jar)
}

async fn staff_login(base: &str, username: &str) -> Client {
    use reqwest::cookie::CookieStore;
    let key = (base.to_string(), username.to_string());
    let url: reqwest::Url = base.parse().unwrap();
    let kept = STAFF_SESSIONS.lock().unwrap().get(&key).cloned();
    if let Some(cookies) = kept {
        let (c, jar) = browser_with_jar(base);
        for one in cookies.split("; ") {
            jar.add_cookie_str(one, &url);
        }
        let who = c.post(format!("{base}/api/whoami")).send().await.unwrap().text().await.unwrap();
        if who.contains(&format!("\"username\":\"{username}\"")) {
            return c;
        }
    }
    let (c, jar) = browser_with_jar(base);
    let r = post_form(
        &c,
        &format!("{base}/api/staff_login"),
        &[("username", username), ("password", tongban::seed::DEMO_STAFF_PASSWORD)],
    )
    .await;
    if location(&r).starts_with("/staff/second-factor") {
        let r = pass_second_factor(&c, base, username).await;
        assert_eq!(location(&r), "/staff", "{username} logs in with the second factor");
    } else {
        assert_eq!(location(&r), "/staff", "{username} logs in");
    }
    if let Some(cookies) = jar.cookies(&url) {
        STAFF_SESSIONS.lock().unwrap().insert(key, cookies.to_str().unwrap().to_string());
    }
    c
}

/// The second step of a sign-in `c` is half-way through: the code of the account's secret (the
/// one the page shows while a second factor is set up, else one learned before, else the demo's),
/// again at the next step when this step's was used already.
async fn pass_second_factor(c: &Client, base: &str, username: &str) -> reqwest::Response {
    let key = (base.to_string(), username.to_string());
    let state: serde_json::Value =
        c.post(format!("{base}/api/second_factor_state")).send().await.unwrap().json().await.unwrap();
    let secret = match state["setup"]["secret"].as_str() {
        Some(shown) => {
            let secret = shown.replace(' ', "");
            TOTP_SECRETS.lock().unwrap().insert(key, secret.clone());
            secret
        }
        None => TOTP_SECRETS
            .lock()
            .unwrap()
            .get(&key)
            .cloned()
            .unwrap_or_else(|| tongban::seed::DEMO_TOTP_SECRET.to_string()),
    };
    for _ in 0..3 {
        let r = post_form(c, &format!("{base}/api/second_factor"), &[("code", &totp_now(&secret))]).await;
        if !location(&r).starts_with("/staff/second-factor") {
            return r;
        }
        // this step's code was taken by an earlier sign-in of the account: the next step's
        tokio::time::sleep(until_next_step()).await;
    }
    panic!("{username}: no code was accepted in three steps");
}

fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

/// The code an authenticator app would show now.
fn totp_now(secret: &str) -> String {
    app::server::second_factor::code_at(secret, unix_now()).unwrap()
}

/// How long until the next 30-second step has begun (a moment after).
fn until_next_step() -> Duration {
    Duration::from_millis((30 - unix_now() % 30) * 1000 + 300)
}

async fn staff_view(c: &Client, base: &str, case: i64) -> (StatusCode, serde_json::Value) {
    let r = c.post(format!("{base}/api/staff_case")).form(&[("id", case.to_string())]).send().await.unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or_default())
}

async fn act(c: &Client, base: &str, case: i64, fields: &[(&str, &str)]) -> reqwest::Response {
    let (_, v) = staff_view(c, base, case).await;
    let version = v["version"].to_string();
    let case = case.to_string();
    let mut form: Vec<(&str, &str)> = vec![("case", case.as_str()), ("version", version.as_str())];
    form.extend_from_slice(fields);
    c.post(format!("{base}/api/staff_act")).form(&form).send().await.unwrap()
}

/// The back office: queues, the authorization of each role by department, and one case from
/// correction to delivery with the deadlines the rules crate computes.
async fn backoffice_suite(app: &App) {
    let base = &app.base;
    let cal = app.state.calendar();
    let today = rules::validators::china_today();
    let person = browser(base);
    register_person(&person, base, "赵敏", "110105199103030039", "13900000099").await;
    let case = fill_and_submit(&person, base, "ZRZY-001", &[("via_agent", "no"), ("collective", "no")]).await;

    let clerk = staff_login(base, "clerk").await;
    let reviewer = staff_login(base, "reviewer").await;
    let approver = staff_login(base, "approver").await;
    let outsider = staff_login(base, "village").await; // a reviewer of another department

    // the queue of new submissions, sorted by the acceptance deadline
    let q: serde_json::Value = clerk
        .post(format!("{base}/api/staff_queue"))
        .form(&[("bucket", "new"), ("search", ""), ("cursor", "")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let row = q["rows"].as_array().unwrap().iter().find(|r| r["id"] == case).expect("in the clerk's queue").clone();
    assert_eq!(row["due"], rules::deadline::acceptance_window_end(&cal, today).unwrap().to_string());
    let q: serde_json::Value = clerk
        .post(format!("{base}/api/staff_queue"))
        .form(&[("bucket", "new"), ("search", "赵敏"), ("cursor", "")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(q["rows"].as_array().unwrap().len(), 1, "search by applicant");
    // another department's staff and applicants see nothing
    let q: serde_json::Value = outsider
        .post(format!("{base}/api/staff_queue"))
        .form(&[("bucket", "new"), ("search", ""), ("cursor", "")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(q["rows"].as_array().unwrap().iter().all(|r| r["id"] != case));
    assert_eq!(staff_view(&outsider, base, case).await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        person
            .post(format!("{base}/api/staff_queue"))
            .form(&[("bucket", "new"), ("search", ""), ("cursor", "")])
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(staff_view(&person, base, case).await.0, StatusCode::FORBIDDEN);
    let r = act(&outsider, base, case, &[("action", "accept")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("没有权限"), "a plain form's refusal is written in the user's language");
    // the server functions' own client (it asks for JSON) gets the refusal as its status and message
    let r = outsider
        .post(format!("{base}/api/staff_act"))
        .header(reqwest::header::ACCEPT, "application/json")
        .form(&[("case", case.to_string().as_str()), ("version", "0"), ("action", "accept")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // a browser's form post (Accept: text/html, a Referer) gets the function's own answer, a 303
    // to the case page with the form's error, not the framework's redirect to the Referer
    let r = clerk
        .post(format!("{base}/api/staff_act"))
        .header(reqwest::header::ACCEPT, "text/html,application/xhtml+xml,*/*;q=0.8")
        .header(reqwest::header::REFERER, format!("{base}/staff/queue"))
        .form(&[("case", case.to_string().as_str()), ("version", "0"), ("action", "accept")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("/staff/cases/{case}"));
    assert!(flash_of(&r).unwrap().errors["_form"].contains("刷新"));
    // an action the back office does not know is refused before anything runs
    let r = act(&clerk, base, case, &[("action", "approve_everything")]).await;
    assert!(r.status().is_client_error() || r.status().is_server_error(), "{}", r.status());
    let (status, v) = staff_view(&clerk, base, case).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["applicant_number"], "110105199103030039", "staff see the full number");
    let actions: Vec<&str> = v["actions"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
    assert_eq!(actions, ["accept", "request_correction", "reject"]);
    // a reviewer cannot accept
    assert_eq!(act(&reviewer, base, case, &[("action", "accept")]).await.status(), StatusCode::FORBIDDEN);

    // one correction notice listing every problem; nothing to correct is refused
    let r = act(&clerk, base, case, &[("action", "request_correction")]).await;
    assert!(flash_of(&r).unwrap().errors["_form"].contains("没有需要补正的内容"));
    let r = act(
        &clerk,
        base,
        case,
        &[
            ("action", "request_correction"),
            ("note_application", "缺少法定代表人签字"),
            ("note_id_card", "复印件不清晰"),
        ],
    )
    .await;
    assert_eq!(location(&r), format!("/staff/cases/{case}"), "{:?}", flash_of(&r));
    let d: serde_json::Value = person
        .post(format!("{base}/api/get_draft"))
        .form(&[("id", case.to_string())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let notice = d["correction"]["text"].as_str().unwrap();
    assert!(
        notice.contains("缺少法定代表人签字") && notice.contains("复印件不清晰") && notice.contains("一次性告知"),
        "{notice}"
    );
    upload(&person, base, case, "application", "申请表-已签字.pdf", PDF.to_vec(), true).await;
    let v = draft_version(&person, base, case).await;
    let r = post_form(
        &person,
        &format!("{base}/api/submit_application"),
        &[("case", case.to_string().as_str()), ("version", &v.to_string())],
    )
    .await;
    assert_eq!(location(&r), format!("/cases/{case}?submitted=1"));
    // the one-time notice is one per case: after the correction the clerk accepts or refuses
    // (a second notice was once possible after each resubmission)
    let (_, v) = staff_view(&clerk, base, case).await;
    let actions: Vec<&str> = v["actions"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
    assert!(!actions.contains(&"request_correction"), "no second notice is offered: {actions:?}");
    let r = act(&clerk, base, case, &[("action", "request_correction"), ("note_application", "再补一份")]).await;
    let f = flash_of(&r).expect("refused next to the form");
    assert!(f.errors["_form"].contains("一次性告知"), "{f:?}");

    // accept: a stale page is told to reload; then the acceptance notice
    let r = clerk
        .post(format!("{base}/api/staff_act"))
        .form(&[("case", case.to_string().as_str()), ("version", "0"), ("action", "accept")])
        .send()
        .await
        .unwrap();
    assert!(flash_of(&r).unwrap().errors["_form"].contains("刷新"));
    let r = act(&clerk, base, case, &[("action", "accept")]).await;
    assert_eq!(location(&r), format!("/staff/cases/{case}"));
    let (_, v) = staff_view(&clerk, base, case).await;
    let it: rules::item::ItemRules = {
        let d: serde_json::Value = person
            .post(format!("{base}/api/case_detail"))
            .form(&[("id", case.to_string())])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(d["summary"]["state"], "accepted");
        let g: serde_json::Value = person
            .post(format!("{base}/api/get_item"))
            .form(&[("code", "ZRZY-001")])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        serde_json::from_value(g["rules"].clone()).unwrap()
    };
    let due = rules::deadline::due_date(&cal, today, it.decision_limit(), &[], today).unwrap();
    assert_eq!(v["due_on"], due.to_string());
    let r = person.get(format!("{base}/notices/{case}/acceptance.pdf")).send().await.unwrap();
    let lines = app::server::receipt::text_lines(&r.bytes().await.unwrap());
    assert_eq!(lines[0], "受理通知书");
    assert!(lines.contains(&due.to_string()) && lines.iter().any(|l| l.contains("申请表-已签字.pdf")), "{lines:?}");
    insta::assert_snapshot!("acceptance_notice", redacted(&lines, base));
    assert_eq!(
        outsider.get(format!("{base}/notices/{case}/acceptance.pdf")).send().await.unwrap().status(),
        StatusCode::FORBIDDEN
    );

    // review, an internal opinion the applicant never sees, a suspension and its end, one extension
    assert_eq!(
        location(&act(&reviewer, base, case, &[("action", "start_review")]).await),
        format!("/staff/cases/{case}")
    );
    act(&reviewer, base, case, &[("action", "opinion"), ("comment", "建议准予，红线图待补")]).await;
    let d: serde_json::Value = person
        .post(format!("{base}/api/case_detail"))
        .form(&[("id", case.to_string())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!d.to_string().contains("红线图待补"), "internal opinions are never sent to the applicant");
    let r = act(&approver, base, case, &[("action", "suspend"), ("kind", ""), ("reason", "专家评审")]).await;
    let f = flash_of(&r).unwrap();
    // a text field: the message asks to fill it in, next to it, and the reason typed is kept
    assert!(f.errors["kind"].contains("请填写特殊环节"), "{f:?}");
    assert_eq!(f.values["reason"], "专家评审");
    act(&approver, base, case, &[("action", "suspend"), ("kind", "专家评审"), ("reason", "需组织专家评审")]).await;
    assert_eq!(staff_view(&clerk, base, case).await.1["state"], "suspended");
    act(&reviewer, base, case, &[("action", "resume")]).await;
    let actions = staff_view(&approver, base, case).await.1["actions"].clone();
    assert_eq!(
        actions,
        serde_json::json!(["suspend", "extend", "decide_grant", "decide_deny", "decide_forward", "opinion", "assign"])
    );
    let r = act(&approver, base, case, &[("action", "extend"), ("days", "11"), ("reason", "情况复杂")]).await;
    assert!(flash_of(&r).unwrap().errors["_form"].contains("10"), "capped by the item");
    act(&approver, base, case, &[("action", "extend"), ("days", "5"), ("reason", "情况复杂")]).await;
    let extended = rules::deadline::due_date(
        &cal,
        today,
        rules::TimeLimit { amount: it.decision_limit().amount + 5, ..it.decision_limit() },
        &[],
        today,
    )
    .unwrap();
    assert_eq!(staff_view(&clerk, base, case).await.1["due_on"], extended.to_string());
    let r = act(&approver, base, case, &[("action", "extend"), ("days", "2"), ("reason", "再次延长")]).await;
    assert!(flash_of(&r).is_some(), "one extension only");

    // a refusal needs its legal basis; a grant issues the result document
    let r = act(&approver, base, case, &[("action", "decide_deny"), ("reason", "不符合规划")]).await;
    assert!(flash_of(&r).unwrap().errors.contains_key("legal_basis"));
    act(&approver, base, case, &[("action", "decide_grant"), ("reason", "符合条件，准予")]).await;
    let (_, v) = staff_view(&clerk, base, case).await;
    assert_eq!(v["state"]["decided"], "grant");
    assert_eq!(v["results"][0]["title"], "建设项目用地预审与选址意见书");

    // fee, payment, electronic delivery; the applicant is told and may rate
    let r = act(&clerk, base, case, &[("action", "issue_fee_notice"), ("kind", "工本费"), ("amount", "abc")]).await;
    assert!(flash_of(&r).unwrap().errors.contains_key("amount"));
    act(&clerk, base, case, &[("action", "issue_fee_notice"), ("kind", "工本费"), ("amount", "10")]).await;
    let (_, v) = staff_view(&clerk, base, case).await;
    assert_eq!(v["state"], "awaiting_payment");
    assert!(v["fee_due"].is_string());
    act(&clerk, base, case, &[("action", "record_payment"), ("amount", "10"), ("reference", "FS2026-0001")]).await;
    let (_, v) = staff_view(&clerk, base, case).await;
    assert_eq!(
        v["due_on"],
        rules::deadline::delivery_due(&cal, today).unwrap().to_string(),
        "3 working days to deliver"
    );
    let r = act(&clerk, base, case, &[("action", "deliver")]).await;
    assert!(flash_of(&r).unwrap().errors.contains_key("method"));
    act(&clerk, base, case, &[("action", "deliver"), ("method", "electronic")]).await;
    let d: serde_json::Value = person
        .post(format!("{base}/api/case_detail"))
        .form(&[("id", case.to_string())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(d["summary"]["state"], "delivered");
    assert_eq!(d["extras"]["can_rate"], true);
    // the proof of delivery (送达回证), for the applicant and the department
    let r = person.get(format!("{base}/notices/{case}/delivery.pdf")).send().await.unwrap();
    let lines = app::server::receipt::text_lines(&r.bytes().await.unwrap());
    insta::assert_snapshot!("delivery_receipt", redacted(&lines, base));
    let inbox: serde_json::Value =
        person.post(format!("{base}/api/my_inbox")).send().await.unwrap().json().await.unwrap();
    assert_eq!(inbox[0]["kind"], "deliver");
    let (status, page) = text(&clerk, &format!("{base}/staff/cases/{case}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("建议准予，红线图待补") && page.contains("电子送达"),
        "the staff page shows the whole history"
    );
}

/// The authorization matrix of the back office: every action × every demo staff member, on a
/// case of the member's own department and of another. Exactly the roles the rules name for the
/// action, held in the case's department, may take it; everyone else gets 403 and nothing changes.
async fn authorization_matrix(app: &App) {
    use app::server::cases::{self, Actor};
    use app::server::entities::{case, staff};
    use rules::case::{Action, DecisionKind};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let base = &app.base;
    let db = &app.state.db;
    let cal = app.state.calendar();
    let today = rules::validators::china_today();
    let applicant = browser(base);
    register_person(&applicant, base, "钱多多", "110105198808080015", "13900000066").await;
    let staff_id = |name: &'static str| async move {
        staff::Entity::find().filter(staff::Column::Username.eq(name)).one(db).await.unwrap().unwrap().id
    };
    let actor = |id: i32, role: rules::Role| Actor { kind: app::server::auth::PrincipalKind::Staff, id, role };
    let (clerk_id, reviewer_id, approver_id) =
        (staff_id("clerk").await, staff_id("reviewer").await, staff_id("approver").await);
    let grant = || Action::Decide { kind: DecisionKind::Grant, reason: "符合条件".into() };
    // action code, form fields, the steps that bring a new case to where the action applies
    type Row = (&'static str, Vec<(&'static str, &'static str)>, Vec<(Action, Actor)>);
    let table: Vec<Row> = {
        let c = actor(clerk_id, rules::Role::WindowClerk);
        let r = actor(reviewer_id, rules::Role::Reviewer);
        let a = actor(approver_id, rules::Role::Approver);
        let accepted = vec![(Action::Accept, c)];
        let in_review = vec![(Action::Accept, c), (Action::StartReview, r)];
        let decided = vec![(Action::Accept, c), (Action::StartReview, r), (grant(), a)];
        vec![
            ("accept", vec![], vec![]),
            ("request_correction", vec![("note_id_card", "复印件不清晰")], vec![]),
            ("reject", vec![("reason", "不属于本机关职权范围"), ("legal_basis", "《行政许可法》第三十二条")], vec![]),
            ("start_review", vec![], accepted.clone()),
            ("suspend", vec![("kind", "专家评审"), ("reason", "组织专家评审")], in_review.clone()),
            (
                "resume",
                vec![],
                [in_review.clone(), vec![(Action::Suspend { kind: "听证".into(), reason: "组织听证".into() }, a)]]
                    .concat(),
            ),
            ("extend", vec![("days", "5"), ("reason", "情况复杂")], in_review.clone()),
            ("decide_grant", vec![("reason", "符合条件")], in_review.clone()),
            (
                "decide_deny",
                vec![("reason", "不符合规划"), ("legal_basis", "《土地管理法》第五十二条")],
                in_review.clone(),
            ),
            ("decide_forward", vec![("reason", "需报上级审批")], in_review.clone()),
            ("issue_fee_notice", vec![("kind", "工本费"), ("amount", "10")], decided.clone()),
            ("prepare_delivery", vec![], decided.clone()),
            (
                "record_payment",
                vec![("amount", "10"), ("reference", "R-1")],
                [decided.clone(), vec![(Action::IssueFeeNotice, c)]].concat(),
            ),
            ("deliver", vec![("method", "counter")], [decided.clone(), vec![(Action::PrepareDelivery, c)]].concat()),
            ("close", vec![], [decided.clone(), vec![(Action::PrepareDelivery, c), (Action::Deliver, c)]].concat()),
        ]
    };
    let users = ["clerk", "reviewer", "approver", "coreviewer", "supervisor", "admin"];
    let mut clients = Vec::new();
    for u in users {
        clients.push((u, staff_login(base, u).await));
    }
    for (code, fields, steps) in table {
        let id = fill_and_submit(&applicant, base, "ZRZY-001", &[("via_agent", "no"), ("collective", "no")]).await;
        let mut row = case::Entity::find_by_id(id as i32).one(db).await.unwrap().unwrap();
        let provided = provided_materials(db, row.id).await;
        for (action, who) in steps {
            row = cases::apply(db, &cal, change_of(&row, action, who, "", today, &provided)).await.unwrap();
        }
        let action_roles = app::server::backoffice::action_roles(code);
        let mut form: Vec<(&str, &str)> = vec![("action", code)];
        form.extend(fields.iter().copied());
        // first everyone who may not, then the one who may
        let mut allowed_client = None;
        for (u, client) in &clients {
            let held: Vec<rules::Role> = match *u {
                "clerk" => vec![rules::Role::WindowClerk],
                "reviewer" => vec![rules::Role::Reviewer],
                "approver" => vec![rules::Role::Approver],
                "supervisor" => vec![rules::Role::Supervisor],
                "admin" => vec![rules::Role::Admin],
                _ => vec![], // coreviewer: none in ZRZY
            };
            if held.iter().any(|r| action_roles.contains(r)) {
                allowed_client = Some((u, client));
                continue;
            }
            let r = act(client, base, id, &form).await;
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{u} must not {code}");
        }
        let unchanged = case::Entity::find_by_id(row.id).one(db).await.unwrap().unwrap();
        assert_eq!(unchanged.version, row.version, "refused attempts change nothing ({code})");
        let (u, client) = allowed_client.unwrap_or_else(|| panic!("someone may {code}"));
        let r = act(client, base, id, &form).await;
        assert_eq!(location(&r), format!("/staff/cases/{id}"), "{u} may {code}: {:?}", flash_of(&r));
        let after = case::Entity::find_by_id(row.id).one(db).await.unwrap().unwrap();
        assert_eq!(after.version, row.version + 1, "{code} changed the case once");
        if matches!(code, "reject" | "decide_deny") {
            // the written decision: reasons, legal basis and remedies
            let r = client.get(format!("{base}/notices/{id}/refusal.pdf")).send().await.unwrap();
            let lines = app::server::receipt::text_lines(&r.bytes().await.unwrap());
            insta::assert_snapshot!(format!("refusal_{code}"), redacted(&lines, base));
        }
    }
    // A fee left unpaid: the grant is refused by rule (不予批准, [001 第十九条]). Its decision states
    // its own reason (it once printed the grant's wording), and it stays the case's decision, and
    // printable, once delivered (the delivery once read it as the grant, the link went away).
    {
        let c = actor(clerk_id, rules::Role::WindowClerk);
        let system = Actor { kind: app::server::auth::PrincipalKind::System, id: 0, role: rules::Role::System };
        let id = fill_and_submit(&applicant, base, "ZRZY-001", &[("via_agent", "no"), ("collective", "no")]).await;
        let mut row = case::Entity::find_by_id(id as i32).one(db).await.unwrap().unwrap();
        let provided = provided_materials(db, row.id).await;
        let steps = [
            (Action::Accept, c),
            (Action::StartReview, actor(reviewer_id, rules::Role::Reviewer)),
            (grant(), actor(approver_id, rules::Role::Approver)),
            (Action::IssueFeeNotice, c),
        ];
        for (action, who) in steps {
            row = cases::apply(db, &cal, change_of(&row, action, who, "", today, &provided)).await.unwrap();
        }
        let late = row.fee_due.unwrap() + chrono::Duration::days(1);
        let early = change_of(&row, Action::FeeExpired, system, "", row.fee_due.unwrap(), &provided);
        assert!(cases::apply(db, &cal, early).await.is_err(), "the payment term runs to its last day");
        // The sweep proposes the denial; the head approves it [001 第十九条] (it once refused the
        // case by rule at once, no approval).
        let r = app::server::scheduler::sweep(db, &cal, late).await.unwrap();
        assert!(r.fees_expired >= 1, "{r:?}");
        row = case::Entity::find_by_id(row.id).one(db).await.unwrap().unwrap();
        let approval_due = rules::deadline::fee_expiry_decision_due(&cal, row.fee_due.unwrap()).unwrap();
        assert_eq!(
            (row.state.code(), row.due_on, row.term()),
            ("denial_proposed", Some(approval_due), Some(rules::supervision::Term::Denial))
        );
        let client = |name: &str| clients.iter().find(|(u, _)| *u == name).unwrap().1.clone();
        let clerk = &client("clerk");
        let approve = [("action", "approve_denial"), ("comment", "同意")];
        for who in ["clerk", "reviewer"] {
            assert_eq!(act(&client(who), base, id, &approve).await.status(), StatusCode::FORBIDDEN, "{who}");
        }
        let r = act(&client("approver"), base, id, &approve).await;
        assert_eq!(location(&r), format!("/staff/cases/{id}"), "{:?}", flash_of(&r));
        row = case::Entity::find_by_id(row.id).one(db).await.unwrap().unwrap();
        assert_eq!(row.state.code(), "decided_deny");
        assert_eq!(row.term(), Some(rules::supervision::Term::Delivery));
        let pdf = |name: &'static str| {
            let clerk = clerk.clone();
            let url = format!("{base}/notices/{id}/{name}");
            async move {
                let r = clerk.get(url).send().await.unwrap();
                assert_eq!(r.status(), StatusCode::OK, "{name}");
                app::server::receipt::text_lines(&r.bytes().await.unwrap()).join("\n")
            }
        };
        let decision = pdf("refusal.pdf").await;
        assert!(decision.contains("不予行政许可决定书") && decision.contains("缴费期限"), "{decision}");
        assert!(!decision.contains("符合条件"), "not the grant's wording: {decision}");
        assert!(decision.contains("行政复议") && decision.contains("行政诉讼"), "the remedies: {decision}");
        for action in [Action::PrepareDelivery, Action::Deliver] {
            row = cases::apply(db, &cal, change_of(&row, action, c, "窗口领取", late, &provided)).await.unwrap();
        }
        assert_eq!(row.state.code(), "delivered");
        assert_eq!(pdf("refusal.pdf").await, decision, "the decision is the same document after delivery");
        let served = pdf("delivery.pdf").await;
        assert!(served.contains("不予行政许可决定书"), "the refusal was served, not a result: {served}");
        let (_, page) = text(clerk, &format!("{base}/staff/cases/{id}")).await;
        assert!(page.contains(&format!("/notices/{id}/refusal.pdf")), "the decision's link stays");
    }

    // staff of another department: every action refused on a ZRZY case
    let id = fill_and_submit(&applicant, base, "ZRZY-001", &[("via_agent", "no"), ("collective", "no")]).await;
    let outsider = staff_login(base, "village").await;
    for code in ["accept", "request_correction", "reject"] {
        assert_eq!(
            act(&outsider, base, id, &[("action", code), ("reason", "理由")]).await.status(),
            StatusCode::FORBIDDEN
        );
    }
}

/// A change of `row` by `actor` on `today`, at the version the row has.
fn change_of(
    row: &app::server::entities::case::Model,
    action: rules::case::Action,
    actor: app::server::cases::Actor,
    comment: &str,
    today: chrono::NaiveDate,
    provided: &std::collections::BTreeSet<String>,
) -> app::server::cases::Change {
    app::server::cases::Change {
        case_id: row.id,
        expected_version: row.version,
        action,
        actor,
        comment: comment.into(),
        internal: false,
        today,
        provided: provided.clone(),
        grants_request: None,
    }
}

/// The materials of a case that have a file (what the engine weighs at acceptance).
async fn provided_materials(db: &sea_orm::DatabaseConnection, case_id: i32) -> std::collections::BTreeSet<String> {
    app::server::cases::documents::files_of(db, case_id).await.unwrap().into_iter().map(|f| f.material_code).collect()
}

/// The text of a PDF with what changes from run to run replaced: the server's address, dates,
/// case numbers, verification codes (runs of digits, capitals and dashes: 8+ with a digit, or
/// 12+) and clock times.
fn redacted(lines: &[String], base: &str) -> String {
    let mut out = Vec::new();
    for l in lines {
        let l = l.replace(base, "[base]");
        let mut s = String::new();
        let mut run = String::new();
        let flush = |run: &mut String, s: &mut String| {
            // (verification codes are 16 characters and may hold no digit at all)
            let n = run.chars().count();
            if n >= 12 || (n >= 8 && run.chars().any(|c| c.is_ascii_digit())) {
                s.push_str("[#]");
            } else {
                s.push_str(run);
            }
            run.clear();
        };
        for ch in l.chars() {
            if ch.is_ascii_digit() || ch.is_ascii_uppercase() || ch == '-' {
                run.push(ch);
            } else {
                flush(&mut run, &mut s);
                s.push(ch);
            }
        }
        flush(&mut run, &mut s);
        // clock times (hh:mm)
        let c: Vec<char> = s.chars().collect();
        let mut t = String::new();
        let mut i = 0;
        while i < c.len() {
            if i + 5 <= c.len()
                && c[i].is_ascii_digit()
                && c[i + 1].is_ascii_digit()
                && c[i + 2] == ':'
                && c[i + 3].is_ascii_digit()
                && c[i + 4].is_ascii_digit()
            {
                t.push_str("[hh:mm]");
                i += 5;
            } else {
                t.push(c[i]);
                i += 1;
            }
        }
        out.push(t);
    }
    out.join("\n")
}

async fn queue_json(c: &Client, base: &str, bucket: &str) -> serde_json::Value {
    c.post(format!("{base}/api/staff_queue"))
        .form(&[("bucket", bucket), ("search", ""), ("cursor", "")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn in_queue(q: &serde_json::Value, case: i64) -> bool {
    q["rows"].as_array().unwrap().iter().any(|r| r["id"] == case)
}

fn count_of(q: &serde_json::Value, bucket: &str) -> u64 {
    q["counts"].as_array().unwrap().iter().find(|c| c[0] == bucket).and_then(|c| c[1].as_u64()).unwrap()
}

/// Acts and expects success (a redirect back to the case page).
async fn act_ok(c: &Client, base: &str, case: i64, fields: &[(&str, &str)]) {
    let r = act(c, base, case, fields).await;
    assert_eq!(location(&r), format!("/staff/cases/{case}"), "{fields:?}: {:?}", flash_of(&r).map(|f| f.errors));
    assert!(flash_of(&r).is_none_or(|f| f.errors.is_empty()), "{fields:?}: {:?}", flash_of(&r).map(|f| f.errors));
}

/// Acts and expects the action refused with a message on `field`.
async fn act_refused(c: &Client, base: &str, case: i64, fields: &[(&str, &str)], field: &str) -> String {
    let r = act(c, base, case, fields).await;
    let f = flash_of(&r).unwrap_or_else(|| panic!("{fields:?} refused with a message"));
    f.errors.get(field).cloned().unwrap_or_else(|| panic!("{fields:?}: error on {field}, got {:?}", f.errors))
}

/// Review stages, parallel approval, assignment, reviewers' requests approved by an approver,
/// and the bucket counts kept by every change.
async fn workflow_suite(app: &App) {
    use app::server::entities::case_task;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let base = &app.base;
    let db = &app.state.db;
    let cal = app.state.calendar();
    let today = rules::validators::china_today();
    let person = browser(base);
    register_person(&person, base, "冯娟", "110105197707070059", "13900000055").await;
    let [clerk, reviewer, approver, coreviewer, village, township] = futures::future::join_all(
        ["clerk", "reviewer", "approver", "coreviewer", "village", "township"].map(|u| staff_login(base, u)),
    )
    .await
    .try_into()
    .unwrap_or_else(|_| unreachable!());
    let tasks_of = |case: i64| async move {
        case_task::Entity::find()
            .filter(case_task::Column::CaseId.eq(case as i32))
            .order_by_asc(case_task::Column::Id)
            .all(db)
            .await
            .unwrap()
    };

    // 1. parallel approval: the construction permit (lead ZJJ) goes to ZRZY and YJGL at acceptance
    let permit = fill_and_submit(&person, base, "ZJJ-001", &[("via_agent", "no")]).await;
    act_ok(&clerk, base, permit, &[("action", "accept")]).await;
    let tasks = tasks_of(permit).await;
    assert_eq!(tasks.len(), 2, "one opinion per co-department");
    let co_due = rules::deadline::co_department_due(&cal, today, &[], today).unwrap();
    for t in &tasks {
        assert_eq!((t.kind.code(), t.opened_on, t.due_on), ("co_review", Some(today), Some(co_due)));
    }
    // the co-department sees it among its requested opinions, not in the lead's queues
    let q = queue_json(&coreviewer, base, "opinions").await;
    assert!(in_queue(&q, permit) && count_of(&q, "opinions") >= 2, "{q}");
    assert!(!in_queue(&queue_json(&coreviewer, base, "review").await, permit));
    // a department the case never reached sees nothing
    assert_eq!(staff_view(&village, base, permit).await.0, StatusCode::FORBIDDEN);
    act_ok(&reviewer, base, permit, &[("action", "start_review")]).await;
    // the lead cannot decide while opinions are owed
    let (_, v) = staff_view(&approver, base, permit).await;
    assert!(!v["actions"].as_array().unwrap().iter().any(|a| a == "decide_grant"), "{v}");
    let msg = act_refused(&approver, base, permit, &[("action", "decide_grant"), ("reason", "符合")], "_form").await;
    assert!(msg.contains("协办部门未出具意见"), "{msg}");
    // the co-reviewer sees the case, masked, and answers both opinions; an answer needs its words
    let (status, v) = staff_view(&coreviewer, base, permit).await;
    assert_eq!(status, StatusCode::OK);
    assert!(v["applicant_number"].as_str().unwrap().contains('*'), "co-departments see a masked number");
    assert_eq!(v["actions"].as_array().unwrap().iter().filter(|a| *a == "answer_task").count(), 1);
    let t0 = tasks[0].id.to_string();
    act_refused(
        &coreviewer,
        base,
        permit,
        &[("action", "answer_task"), ("task", &t0), ("outcome", "agree")],
        "comment",
    )
    .await;
    act_ok(
        &coreviewer,
        base,
        permit,
        &[("action", "answer_task"), ("task", &t0), ("outcome", "agree"), ("comment", "符合规划条件")],
    )
    .await;
    // answered once only
    let r = act(
        &coreviewer,
        base,
        permit,
        &[("action", "answer_task"), ("task", &t0), ("outcome", "agree"), ("comment", "再次")],
    )
    .await;
    assert!(flash_of(&r).is_some_and(|f| !f.errors.is_empty()), "a second answer is refused");
    let t1 = tasks[1].id.to_string();
    act_ok(
        &coreviewer,
        base,
        permit,
        &[("action", "answer_task"), ("task", &t1), ("outcome", "agree"), ("comment", "安全措施可行")],
    )
    .await;
    act_ok(&approver, base, permit, &[("action", "decide_grant"), ("reason", "各部门意见一致")]).await;
    let (_, v) = staff_view(&approver, base, permit).await;
    assert_eq!(v["state"], serde_json::json!({"decided": "grant"}));
    // the applicant reads the co-departments' written conclusions [001 重庆] (they once saw none)
    let (_, page) = text(&person, &format!("{base}/cases/{permit}")).await;
    assert!(page.contains("符合规划条件") && page.contains("安全措施可行"));

    // 2. review stages: village → township → county for a rural homestead, each with its clock
    let homestead = fill_and_submit(&person, base, "ZRZY-003", &[]).await;
    act_ok(&clerk, base, homestead, &[("action", "accept")]).await;
    let tasks = tasks_of(homestead).await;
    let plan: Vec<(&str, i32, Option<chrono::NaiveDate>)> =
        tasks.iter().map(|t| (t.name.as_str(), t.ord, t.opened_on)).collect();
    assert_eq!(plan, [("村级审查", 1, Some(today)), ("乡镇审核", 2, None), ("县级复核", 3, None)]);
    assert_eq!(tasks[0].due_on, Some(cal.nth_working_day_after(today, 5).unwrap()));
    // the township does not see the case before the village has answered
    assert_eq!(staff_view(&township, base, homestead).await.0, StatusCode::FORBIDDEN);
    assert!(in_queue(&queue_json(&village, base, "opinions").await, homestead));
    let id = tasks[0].id.to_string();
    act_ok(
        &village,
        base,
        homestead,
        &[("action", "answer_task"), ("task", &id), ("outcome", "agree"), ("comment", "经村民小组讨论通过")],
    )
    .await;
    let tasks = tasks_of(homestead).await;
    assert_eq!(
        (tasks[1].opened_on, tasks[1].due_on),
        (Some(today), Some(cal.nth_working_day_after(today, 10).unwrap()))
    );
    assert_eq!(staff_view(&township, base, homestead).await.0, StatusCode::OK);
    // the village cannot answer the township's stage
    let id = tasks[1].id.to_string();
    let r = act(
        &village,
        base,
        homestead,
        &[("action", "answer_task"), ("task", &id), ("outcome", "agree"), ("comment", "x")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    act_ok(
        &township,
        base,
        homestead,
        &[("action", "answer_task"), ("task", &id), ("outcome", "agree"), ("comment", "符合一户一宅")],
    )
    .await;
    let tasks = tasks_of(homestead).await;
    assert_eq!((tasks[2].opened_on, tasks[2].due_on), (Some(today), None), "the county stage runs on the case's clock");

    // 3. assignment: the approver assigns the reviewer; the reviewer finds it under "mine"
    let (_, v) = staff_view(&approver, base, homestead).await;
    let reviewer_id = v["reviewers"][0][0].to_string();
    act_refused(&approver, base, homestead, &[("action", "assign"), ("assignee", "999999")], "assignee").await;
    act_ok(&approver, base, homestead, &[("action", "assign"), ("assignee", &reviewer_id)]).await;
    let q = queue_json(&reviewer, base, "mine").await;
    assert!(in_queue(&q, homestead) && count_of(&q, "mine") >= 1);
    let (_, v) = staff_view(&reviewer, base, homestead).await;
    assert_eq!(v["assignee"], "审查员 李强");
    // a reviewer may only take a case for themself
    let r = act(&reviewer, base, homestead, &[("action", "assign"), ("assignee", "1")]).await;
    assert!(r.status() == StatusCode::FORBIDDEN || flash_of(&r).is_some_and(|f| !f.errors.is_empty()));
    act_ok(&reviewer, base, homestead, &[("action", "start_review")]).await;
    let id = tasks[2].id.to_string();
    act_ok(
        &reviewer,
        base,
        homestead,
        &[("action", "answer_task"), ("task", &id), ("outcome", "agree"), ("comment", "县级复核通过")],
    )
    .await;

    // 4. the reviewer requests a suspension; only an approver's approval suspends the case
    act_refused(&reviewer, base, homestead, &[("action", "request_suspension"), ("reason", "需要听证")], "kind").await;
    act_ok(
        &reviewer,
        base,
        homestead,
        &[("action", "request_suspension"), ("kind", "听证"), ("reason", "利害关系人申请听证")],
    )
    .await;
    let (_, v) = staff_view(&reviewer, base, homestead).await;
    assert_eq!(v["state"], "in_review", "a request alone does not stop the clock");
    assert!(
        !v["actions"].as_array().unwrap().iter().any(|a| a == "request_suspension"),
        "one pending request at a time"
    );
    assert_eq!(
        act(&reviewer, base, homestead, &[("action", "decide_request"), ("decision", "approve")]).await.status(),
        StatusCode::FORBIDDEN
    );
    let q = queue_json(&approver, base, "approvals").await;
    assert!(in_queue(&q, homestead), "{q}");
    let req = v["requests"][0]["id"].to_string();
    act_refused(&approver, base, homestead, &[("action", "decide_request"), ("request", &req)], "decision").await;
    act_ok(&approver, base, homestead, &[("action", "decide_request"), ("request", &req), ("decision", "approve")])
        .await;
    let (_, v) = staff_view(&approver, base, homestead).await;
    assert_eq!((v["state"].as_str(), v["requests"][0]["status"].as_str()), (Some("suspended"), Some("approved")));
    assert!(!in_queue(&queue_json(&approver, base, "approvals").await, homestead));
    act_ok(&reviewer, base, homestead, &[("action", "resume")]).await;
    // an extension request: over the item's cap → refused at once; refused by the approver with a
    // reason; asked again and approved → extended once
    let cap = v["extension_cap"].as_u64().unwrap();
    let over = (cap + 1).to_string();
    act_refused(
        &reviewer,
        base,
        homestead,
        &[("action", "request_extension"), ("days", &over), ("reason", "复杂")],
        "days",
    )
    .await;
    act_ok(&reviewer, base, homestead, &[("action", "request_extension"), ("days", "3"), ("reason", "需补充勘测")])
        .await;
    let (_, v) = staff_view(&approver, base, homestead).await;
    let due_before = v["due_on"].clone();
    let req = v["requests"][1]["id"].to_string();
    act_refused(
        &approver,
        base,
        homestead,
        &[("action", "decide_request"), ("request", &req), ("decision", "refuse")],
        "comment",
    )
    .await;
    act_ok(
        &approver,
        base,
        homestead,
        &[("action", "decide_request"), ("request", &req), ("decision", "refuse"), ("comment", "期限内可以完成")],
    )
    .await;
    let (_, v) = staff_view(&approver, base, homestead).await;
    assert_eq!((v["requests"][1]["status"].as_str(), v["extended"].as_bool()), (Some("refused"), Some(false)));
    assert_eq!(v["due_on"], due_before);
    act_ok(&reviewer, base, homestead, &[("action", "request_extension"), ("days", "3"), ("reason", "需补充勘测")])
        .await;
    let (_, v) = staff_view(&approver, base, homestead).await;
    let req = v["requests"][2]["id"].to_string();
    act_ok(&approver, base, homestead, &[("action", "decide_request"), ("request", &req), ("decision", "approve")])
        .await;
    let (_, v) = staff_view(&approver, base, homestead).await;
    assert_eq!(v["extended"], true);
    assert_ne!(v["due_on"], due_before);
    act_ok(&approver, base, homestead, &[("action", "decide_grant"), ("reason", "符合条件")]).await;

    // 5. the bucket counts kept by every change equal a full count
    let backend = db.get_database_backend();
    let kept: Vec<(i32, String, i64)> = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT department_id, state, n FROM state_counts WHERE n <> 0 ORDER BY 1, 2",
        ))
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            (r.try_get("", "department_id").unwrap(), r.try_get("", "state").unwrap(), r.try_get("", "n").unwrap())
        })
        .collect();
    let full: Vec<(i32, String, i64)> = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT department_id, state, COUNT(*) AS n FROM cases WHERE state <> 'draft' GROUP BY department_id, state ORDER BY 1, 2",
        ))
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.try_get("", "department_id").unwrap(), r.try_get("", "state").unwrap(), r.try_get("", "n").unwrap()))
        .collect();
    assert_eq!(kept, full);
}

/// Counter intake (帮办): the clerk registers a walk-in without a password, fills the same draft
/// the applicant would fill online, submits it as the clerk, and it continues as any case.
async fn intake_suite(app: &App) {
    use app::server::entities::{applicant, case, case_event};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let base = &app.base;
    let db = &app.state.db;
    let clerk = staff_login(base, "clerk").await;
    let number = "11010519650505008X";
    let (status, page) = text(&clerk, &format!("{base}/staff/intake?number={number}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("未找到该申请人"), "{page}");
    let (_, page) = text(&clerk, &format!("{base}/staff/intake?number=123")).await;
    assert!(page.contains("号码无效"));
    // a bad mobile is refused next to its field, the name is kept
    let form = [("number", number), ("name", "卫国"), ("mobile", "1234")];
    let r = post_form(&clerk, &format!("{base}/api/intake_applicant"), &form).await;
    let f = flash_of(&r).expect("errors");
    assert!(f.errors.contains_key("mobile") && f.values["name"] == "卫国", "{f:?}");
    let form = [("number", number), ("name", "卫国"), ("mobile", "13900000044")];
    let r = post_form(&clerk, &format!("{base}/api/intake_applicant"), &form).await;
    assert_eq!(location(&r), format!("/staff/intake?number={number}"));
    let a = applicant::Entity::find().filter(applicant::Column::IdCardNo.eq(number)).one(db).await.unwrap().unwrap();
    assert!(a.password_hash.is_none(), "no password at the counter");
    let (_, page) = text(&clerk, &format!("{base}/staff/intake?number={number}")).await;
    assert!(page.contains("卫国") && page.contains("ZRZY-001"), "found, with the clerk's items");
    // only window clerks take applications in, and only for their departments' items
    let reviewer = staff_login(base, "reviewer").await;
    let start = [("applicant", a.id.to_string()), ("item", "ZRZY-001".into()), ("number", number.into())];
    let r = reviewer.post(format!("{base}/api/intake_start")).form(&start).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let other = [("applicant", a.id.to_string()), ("item", "SCJG-001".into()), ("number", number.into())];
    assert_eq!(
        clerk.post(format!("{base}/api/intake_start")).form(&other).send().await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    let r = clerk.post(format!("{base}/api/intake_start")).form(&start).send().await.unwrap();
    let id: i64 = location(&r).strip_prefix("/applications/").expect("the draft").parse().unwrap();
    // the same start again reopens the same draft
    let r = clerk.post(format!("{base}/api/intake_start")).form(&start).send().await.unwrap();
    assert_eq!(location(&r), format!("/applications/{id}"));
    // the clerk answers and uploads through the applicant's own endpoints; others cannot
    let draft = id.to_string();
    let answers = [("q_via_agent", "no"), ("q_collective", "no"), ("then", "stay"), ("case", draft.as_str())];
    assert_eq!(
        post_form(&reviewer, &format!("{base}/api/save_answers"), &answers).await.status(),
        StatusCode::FORBIDDEN
    );
    let stranger = browser(base);
    register_person(&stranger, base, "路人", "110105198808080023", "13900000033").await;
    let r = post_form(&stranger, &format!("{base}/api/save_answers"), &answers).await;
    assert!(
        r.status() == StatusCode::FORBIDDEN
            || r.status() == StatusCode::NOT_FOUND
            || flash_of(&r).is_some_and(|f| !f.errors.is_empty()),
        "{}",
        r.status()
    );
    post_form(&clerk, &format!("{base}/api/save_answers"), &answers).await;
    for m in ["id_card", "application", "project_approval"] {
        let r = upload(&clerk, base, id, m, &format!("{m}.pdf"), PDF.to_vec(), true).await;
        assert_eq!(r.status(), StatusCode::OK, "{m}");
    }
    let v = draft_version(&clerk, base, id).await;
    let r = post_form(
        &clerk,
        &format!("{base}/api/submit_application"),
        &[("case", id.to_string().as_str()), ("version", &v.to_string())],
    )
    .await;
    assert_eq!(location(&r), format!("/staff/cases/{id}"), "{:?}", flash_of(&r));
    let c = case::Entity::find_by_id(id as i32).one(db).await.unwrap().unwrap();
    assert_eq!((c.state.code(), c.channel.code(), c.applicant_id), ("submitted", "counter", a.id));
    let e = case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(c.id))
        .order_by_desc(case_event::Column::Seq)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((e.action.code(), e.actor_kind.as_str(), e.role.as_str()), ("submit", "staff", "window_clerk"));
    // from here it is an ordinary case
    act_ok(&clerk, base, id, &[("action", "accept")]).await;
    let (_, page) = text(&clerk, &format!("{base}/staff/cases/{id}")).await;
    assert!(page.contains("窗口帮办"));
    // the queue filtered by item
    let no = c.case_no.clone().unwrap();
    let (_, page) = text(&clerk, &format!("{base}/staff/queue?bucket=review&item=ZRZY-001")).await;
    assert!(page.contains(&no), "filtered by its item");
    let (_, page) = text(&clerk, &format!("{base}/staff/queue?bucket=review&item=ZJJ-001")).await;
    assert!(!page.contains(&no), "not under another item");
    // a submitted case is no longer editable at the counter
    let r = post_form(&clerk, &format!("{base}/api/save_answers"), &answers).await;
    assert!(flash_of(&r).is_some_and(|f| !f.errors.is_empty()) || r.status().is_client_error());

    // S1: someone opened an account online with another person's number (a proved mobile is
    // not a proved identity). The counter starts nothing on it until a clerk has checked the
    // holder's document in person; the real holder takes the number back there: that account is
    // frozen, its session ends, it signs in no more; the holder's is checked. Before, the lookup
    // found the impostor's account and the walk-in's case landed in it.
    let f17 = "11010519770707003";
    let victim = format!("{f17}{}", rules::validators::id_check_character(f17).unwrap());
    let impostor = browser(base);
    let r = register_person(&impostor, base, "冒名者", &victim, "13900000057").await;
    assert_eq!(location(&r), "/account", "{:?}", flash_of(&r));
    let imp = applicant::Entity::find().filter(applicant::Column::IdCardNo.eq(&victim)).one(db).await.unwrap().unwrap();
    let (_, page) = text(&clerk, &format!("{base}/staff/intake?number={victim}")).await;
    assert!(page.contains("未经窗口核验"), "the clerk is told");
    let start = [("applicant", imp.id.to_string()), ("item", "ZRZY-001".into()), ("number", victim.clone())];
    let r = clerk.post(format!("{base}/api/intake_start")).form(&start).send().await.unwrap();
    let f = flash_of(&r).expect("refused");
    assert!(f.errors["identity_checked"].contains("核对申请人本人的身份证件"), "{f:?}");
    let reclaim = |tick: bool| {
        let mut form = vec![("number", victim.clone()), ("name", "真本人".into()), ("mobile", "13900000066".into())];
        if tick {
            form.push(("identity_checked", "on".into()));
        }
        clerk.post(format!("{base}/api/intake_reclaim")).form(&form).send()
    };
    let r = reclaim(false).await.unwrap();
    assert!(flash_of(&r).expect("refused").errors.contains_key("identity_checked"), "only with the document seen");
    let r = reclaim(true).await.unwrap();
    assert_eq!(location(&r), format!("/staff/intake?number={victim}"), "{:?}", flash_of(&r));
    let r = impostor.get(format!("{base}/account")).send().await.unwrap();
    assert!(location(&r).starts_with("/login"), "the impostor's session ended: {}", location(&r));
    let r = post_form(&impostor, &format!("{base}/api/login"), &[("login", victim.as_str()), ("password", PW)]).await;
    assert!(session_cookie(&r).is_none(), "a frozen account signs in no more");
    let frozen = applicant::Entity::find_by_id(imp.id).one(db).await.unwrap().unwrap();
    assert!(frozen.frozen_at.is_some() && frozen.id_card_no.is_none(), "kept for its history, without the number");
    let holder =
        applicant::Entity::find().filter(applicant::Column::IdCardNo.eq(&victim)).one(db).await.unwrap().unwrap();
    assert_eq!((holder.name.as_str(), holder.identity_checked_on.is_some()), ("真本人", true));
    let start = [("applicant", holder.id.to_string()), ("item", "ZRZY-001".into()), ("number", victim.clone())];
    let r = clerk.post(format!("{base}/api/intake_start")).form(&start).send().await.unwrap();
    assert!(location(&r).starts_with("/applications/"), "checked: no tick needed: {:?}", flash_of(&r));
    let r = reclaim(true).await.unwrap();
    assert!(flash_of(&r).expect("refused").errors["identity_checked"].contains("已在窗口核验"), "not twice");
    let logged = app::server::entities::security_log::Entity::find()
        .filter(app::server::entities::security_log::Column::Event.eq("identity.reclaimed"))
        .all(db)
        .await
        .unwrap();
    assert_eq!(logged.len(), 1);
    assert!(logged[0].detail.contains(&format!("applicant {} frozen", imp.id)) && !logged[0].target.contains(&victim));
}

/// The newest version of an item.
async fn newest_item(db: &sea_orm::DatabaseConnection, code: &str) -> app::server::entities::item::Model {
    use app::server::entities::item;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    item::Entity::find()
        .filter(item::Column::Code.eq(code))
        .order_by_desc(item::Column::Version)
        .one(db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no item {code}"))
}

/// Two nodes on one database: the public pages each keeps for anonymous visitors follow an admin's
/// edit made on the other on the very next request; a signed-in visitor is never served a kept page.
/// SIGTERM's road: a node with its scheduler running stops accepting connections, lets its tick
/// finish and gives up the scheduler's lease, so another node need not wait for it to expire.
async fn shutdown_suite(app: &App) {
    use app::server::entities::{scheduler_lease, scheduler_run};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let settings = Settings {
        scheduler_secs: 1,
        database_url: Some(app.state.settings.effective_database_url()),
        ..(*app.state.settings).clone()
    };
    let state = tongban::prepare(settings, leptos_options()).await.expect("a second node starts");
    let (ready, addr) = tokio::sync::oneshot::channel::<SocketAddr>();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let node = tokio::spawn(tongban::serve_until(
        state,
        "127.0.0.1:0".parse().unwrap(),
        move |a| {
            let _ = ready.send(a);
        },
        async move {
            let _ = stopped.await;
        },
    ));
    let base = format!("http://{}", addr.await.unwrap());
    let db = &app.state.db;
    let held = || async {
        scheduler_lease::Entity::find().filter(scheduler_lease::Column::Name.eq("scheduler")).one(db).await.unwrap()
    };
    let mut holder = None;
    for _ in 0..100 {
        holder = held().await.map(|l| l.holder);
        if holder.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let holder = holder.expect("the node's scheduler takes the lease");
    assert_eq!(reqwest::get(format!("{base}/healthz")).await.unwrap().status(), StatusCode::OK);
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(10), node).await.expect("shuts down in time").unwrap().unwrap();
    assert_eq!(held().await, None, "the lease of {holder} is given up");
    assert!(reqwest::get(format!("{base}/healthz")).await.is_err(), "no longer accepting");
    // its runs on the real day are not left for anything that follows
    scheduler_run::Entity::delete_many().filter(scheduler_run::Column::Holder.eq(holder)).exec(db).await.unwrap();
}

async fn page_cache_suite(app: &App) {
    let other = spawn(Some(app.state.settings.effective_database_url())).await;
    let anon = |base: &str| browser(base);
    let kept = |r: &reqwest::Response| r.headers().get("x-page-cache").map(|v| v.to_str().unwrap().to_string());
    for base in [&app.base, &other.base] {
        for path in ["/", "/items/ZRZY-004"] {
            let first = anon(base).get(format!("{base}{path}")).send().await.unwrap();
            assert_eq!(first.status(), StatusCode::OK);
            let csp1 = first.headers()["content-security-policy"].to_str().unwrap().to_string();
            let second = anon(base).get(format!("{base}{path}")).send().await.unwrap();
            assert_eq!(kept(&second).as_deref(), Some("hit"), "{base}{path} is kept");
            let csp2 = second.headers()["content-security-policy"].to_str().unwrap().to_string();
            assert_ne!(csp1, csp2, "every response has its own nonce");
            let nonce = csp2.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap().to_string();
            let html = second.text().await.unwrap();
            assert!(html.contains(&format!("nonce=\"{nonce}\"")), "the kept page carries the request's nonce");
        }
    }
    // a search and a signed-in visitor are rendered, not kept
    let r = anon(&app.base).get(format!("{}/?q=%E7%94%A8%E5%9C%B0", app.base)).send().await.unwrap();
    assert_eq!(kept(&r), None);
    let clerk = staff_login(&app.base, "clerk").await;
    let r = clerk.get(format!("{}/", app.base)).send().await.unwrap();
    assert_eq!(kept(&r), None);
    // the admin renames an item on the first node
    let db = &app.state.db;
    let before = newest_item(db, "ZRZY-004").await;
    let renamed = format!("{}（第{}版）", before.name.split('（').next().unwrap(), before.version + 1);
    let admin = staff_login(&app.base, "admin").await;
    assert!(before.published, "the item is on the public pages");
    let r = post_form(
        &admin,
        &format!("{}/api/admin_act", app.base),
        &[
            ("action", "item"),
            ("code", "ZRZY-004"),
            ("name", &renamed),
            ("summary", &before.summary),
            ("rules", &before.rules.to_json()),
            ("published", "on"),
        ],
    )
    .await;
    assert_eq!(location(&r), "/staff/admin/items/ZRZY-004", "{:?}", flash_of(&r));
    for base in [&app.base, &other.base] {
        for path in ["/", "/items/ZRZY-004"] {
            let r = anon(base).get(format!("{base}{path}")).send().await.unwrap();
            assert_ne!(kept(&r).as_deref(), Some("hit"), "{base}{path} rendered afresh after the edit");
            assert!(r.text().await.unwrap().contains(&renamed), "{base}{path} shows the new name");
        }
    }
    other.state.db.clone().close().await.ok();
}

fn walk(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(Result::ok).map(|e| if e.path().is_dir() { walk(&e.path()) } else { 1 }).sum())
        .unwrap_or(0)
}

/// The app's one clock: pinned to a day, every write and page counts from that day, not from the
/// system's. Submitted the day before National Day, the acceptance window runs over the holiday;
/// accepted a week later by the clock, the case's days are those days.
async fn clock_suite(app: &App) {
    let base = &app.base;
    let cal = app.state.calendar();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 9, 29).unwrap();
    app.state.clock.set_day(day);
    assert_eq!(app.state.today(), day);
    let person = browser(base);
    let first17 = "33010219770707123";
    let id = format!("{first17}{}", rules::validators::id_check_character(first17).unwrap());
    let r = register_person(&person, base, "钱钟", &id, "13900000345").await;
    assert_eq!(location(&r), "/account", "{:?}", flash_of(&r));
    let case = fill_and_submit(&person, base, "ZRZY-001", &[("via_agent", "no"), ("collective", "no")]).await;
    let clerk = staff_login(base, "clerk").await;
    let (_, v) = staff_view(&clerk, base, case).await;
    assert_eq!(v["submitted_on"], "2026-09-29", "{v}");
    let window = rules::deadline::acceptance_window_end(&cal, day).unwrap();
    assert!(window > chrono::NaiveDate::from_ymd_opt(2026, 10, 8).unwrap(), "the holiday is not counted: {window}");
    assert_eq!(v["due_on"], window.to_string(), "the acceptance window counts from the clock's day");
    // a week later by the clock
    app.state.clock.advance(chrono::Duration::days(7));
    let later = app.state.today();
    assert_eq!(later, chrono::NaiveDate::from_ymd_opt(2026, 10, 6).unwrap());
    act_ok(&clerk, base, case, &[("action", "accept")]).await;
    let (_, v) = staff_view(&clerk, base, case).await;
    assert_eq!(v["accepted_on"], "2026-10-06", "{v}");
    let it = newest_item(&app.state.db, "ZRZY-001").await;
    let rules: rules::item::ItemRules = it.rules.clone();
    let due = rules::deadline::due_date(&cal, later, rules.decision_limit(), &[], later).unwrap();
    assert_eq!(v["due_on"], due.to_string(), "the decision clock runs from the clock's day of acceptance");
    app.state.clock.reset();
}

/// Every suite, in order, on one running app (each builds on what the ones before left: the
/// accounts, items and cases they made).
async fn all_suites(app: &App) {
    suite(app).await;
    cases_suite(app).await;
    journey_suite(app).await;
    backoffice_suite(app).await;
    authorization_matrix(app).await;
    workflow_suite(app).await;
    intake_suite(app).await;
    walk_ins::activation_suite(app).await;
    walk_ins::papers_suite(app).await;
    open_gov::open_gov_suite(app).await;
    open_gov::search_corpus_suite(app).await;
    open_gov::attachments_suite(app).await;
    bundles::bundles_suite(app).await;
    bundles::applications_suite(app).await;
    bundles::admin_suite(app).await;
    supervision::supervision_suite(app).await;
    supervision::dashboard_suite(app).await;
    supervision::inquiry_suite(app).await;
    supervision::api_suite(app).await;
    supervision::admin_suite(app).await;
    page_cache_suite(app).await;
    clock_suite(app).await;
    clocks::delivery_clocks_suite(app).await;
    corrections::expired_correction_suite(app).await;
    forwarding::forwarding_suite(app).await;
    filings::filings_suite(app).await;
    notices::notices_suite(app).await;
    supplements::supplements_suite(app).await;
    opinions::opinions_suite(app).await;
    day_by_day::day_by_day_suite(app).await;
    security::matrix_suite(app).await;
    security::security_suite(app).await;
    security::second_factor_suite(app).await;
    security::anchor_suite(app).await;
    security::https_suite(app).await;
    slow_headers_suite(app).await;
    shutdown_suite(app).await;
}

/// A client that sends its request's headers a byte at a time (slowloris) loses its connection
/// once the headers' deadline has passed (S11; `axum::serve` set no timer and kept it for ever),
/// while a whole request on the same server is answered.
async fn slow_headers_suite(app: &App) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = app.base.trim_start_matches("http://").to_string();
    let mut slow = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let started = std::time::Instant::now();
    let mut closed = false;
    for b in b"GET /healthz HTTP/1.1\r\nHost: tongban\r\nX-Slow: ".iter().chain(std::iter::repeat(&b'a')).take(400) {
        if slow.write_all(&[*b]).await.is_err() {
            closed = true;
            break;
        }
        let mut buf = [0u8; 512];
        match tokio::time::timeout(Duration::from_millis(100), slow.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => {
                closed = true;
                break;
            }
            // hyper may answer 408 before it closes
            Ok(Ok(n)) => {
                assert!(String::from_utf8_lossy(&buf[..n]).contains("408"), "{}", String::from_utf8_lossy(&buf[..n]))
            }
            Err(_) => {}
        }
        if started.elapsed() > Duration::from_secs(8) {
            break;
        }
    }
    assert!(closed, "the slow client was cut off");
    let took = started.elapsed();
    assert!(took >= Duration::from_secs(2) && took < Duration::from_secs(6), "after the 2 s deadline: {took:?}");
    let c = browser(&app.base);
    assert_eq!(text(&c, &format!("{}/healthz", app.base)).await, (StatusCode::OK, "ok".into()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_sqlite() {
    let app = spawn(None).await;
    all_suites(&app).await;
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
        all_suites(&app).await;
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
