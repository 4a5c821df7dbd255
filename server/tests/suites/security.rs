//! The attacker's road (issue S): requests that must be refused, each of which once got through.
//! A role in a department is no pass to its cases (items 6, 7); an admin of one department
//! administers that department only, and never itself (item 4); parallel wrong passwords are
//! checked no more often than the limit, and a forged `X-Forwarded-For` moves no throttle
//! (items 9, 10); every sign-in, admin action and look-up is in the security log.

use super::*;
use app::server::entities::{department, login_failure, security_log, staff};
use rules::Role;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

async fn department_id(db: &sea_orm::DatabaseConnection, code: &str) -> i32 {
    department::Entity::find().filter(department::Column::Code.eq(code)).one(db).await.unwrap().unwrap().id
}

async fn staff_id(db: &sea_orm::DatabaseConnection, username: &str) -> i32 {
    staff::Entity::find().filter(staff::Column::Username.eq(username)).one(db).await.unwrap().unwrap().id
}

/// The security log's rows of `event` by outcome.
async fn logged(db: &sea_orm::DatabaseConnection, event: &str, target: &str, outcome: &str) -> u64 {
    security_log::Entity::find()
        .filter(security_log::Column::Event.eq(event))
        .filter(security_log::Column::Target.contains(target))
        .filter(security_log::Column::Outcome.eq(outcome))
        .count(db)
        .await
        .unwrap()
}

pub async fn security_suite(app: &App) {
    let base = &app.base;
    let db = &app.state.db;
    let pw = tongban::seed::DEMO_STAFF_PASSWORD;
    let (zrzy, scjg) = (department_id(db, "ZRZY").await, department_id(db, "SCJG").await);
    for (username, roles) in [
        ("reviewer2", vec![(Role::Reviewer, zrzy)]),
        ("zrzyadmin", vec![(Role::Admin, zrzy)]),
        ("scjgclerk", vec![(Role::WindowClerk, scjg)]),
    ] {
        app::server::accounts::upsert_staff(db, username, username, pw, &roles).await.unwrap();
    }
    let person = browser(base);
    let first17 = "11010119850505123";
    let number = format!("{first17}{}", rules::validators::id_check_character(first17).unwrap());
    let r = register_person(&person, base, "郑安全", &number, "13900000991").await;
    assert_eq!(location(&r), "/account", "{:?}", flash_of(&r));
    let case = fill_and_submit(&person, base, "ZRZY-001", &[("via_agent", "no"), ("collective", "no")]).await;

    // --- a role in the department is no pass to its cases ---
    // The seed's co-reviewer holds its role in ZRZY (for ZJJ's parallel approvals): it once
    // opened any ZRZY case and read the full ID number.
    let coreviewer = staff_login(base, "coreviewer").await;
    assert_eq!(staff_view(&coreviewer, base, case).await.0, StatusCode::FORBIDDEN, "no task, no case");
    let pdf = coreviewer.get(format!("{base}/notices/{case}/acceptance.pdf")).send().await.unwrap();
    assert_eq!(pdf.status(), StatusCode::FORBIDDEN, "nor its documents");
    for bucket in ["new", "review", "all"] {
        assert!(!in_queue(&queue_json(&coreviewer, base, bucket).await, case), "nor in its lists ({bucket})");
    }
    let opinion = act(&coreviewer, base, case, &[("action", "opinion"), ("comment", "无意见")]).await;
    assert_eq!(opinion.status(), StatusCode::FORBIDDEN, "an opinion without a task");
    let admin = staff_login(base, "admin").await;
    assert_eq!(staff_view(&admin, base, case).await.0, StatusCode::FORBIDDEN, "an admin handles no case");
    // the supervisor watches, masked
    let supervisor = staff_login(base, "supervisor").await;
    let (status, v) = staff_view(&supervisor, base, case).await;
    assert_eq!(status, StatusCode::OK);
    assert!(v["applicant_number"].as_str().unwrap().contains('*'), "{v}");

    // --- a colleague's case is watched, not handled ---
    let clerk = staff_login(base, "clerk").await;
    act_ok(&clerk, base, case, &[("action", "accept")]).await;
    let reviewer = staff_login(base, "reviewer").await;
    let me = staff_id(db, "reviewer").await.to_string();
    act_ok(&reviewer, base, case, &[("action", "assign"), ("assignee", &me)]).await;
    let (_, v) = staff_view(&reviewer, base, case).await;
    assert_eq!(v["applicant_number"].as_str().unwrap(), number, "the assignee handles it whole");
    let reviewer2 = staff_login(base, "reviewer2").await;
    let (status, v) = staff_view(&reviewer2, base, case).await;
    assert_eq!(status, StatusCode::OK);
    assert!(v["applicant_number"].as_str().unwrap().contains('*'), "a colleague's case is masked: {v}");
    let other = staff_id(db, "reviewer2").await.to_string();
    for form in [
        vec![("action", "start_review")],
        vec![("action", "assign"), ("assignee", other.as_str())],
        vec![("action", "opinion"), ("comment", "同意")],
    ] {
        assert_eq!(act(&reviewer2, base, case, &form).await.status(), StatusCode::FORBIDDEN, "{form:?}");
    }
    act_ok(&reviewer, base, case, &[("action", "start_review")]).await;

    // --- an admin of one department ---
    let zrzyadmin = staff_login(base, "zrzyadmin").await;
    let admin_act = |fields: Vec<(&'static str, String)>| {
        let c = zrzyadmin.clone();
        let url = format!("{base}/api/admin_act");
        async move { c.post(url).form(&fields).send().await.unwrap() }
    };
    let s = |v: &str| v.to_string();
    let (myself, scjg_clerk, clerk_id) =
        (staff_id(db, "zrzyadmin").await, staff_id(db, "scjgclerk").await, staff_id(db, "clerk").await);
    let refused: Vec<(&str, Vec<(&'static str, String)>)> = vec![
        (
            "makes itself approver of SCJG",
            vec![
                ("action", s("role_add")),
                ("id", myself.to_string()),
                ("role", s("approver")),
                ("department", scjg.to_string()),
            ],
        ),
        (
            "grants itself a role in its own department",
            vec![
                ("action", s("role_add")),
                ("id", myself.to_string()),
                ("role", s("approver")),
                ("department", zrzy.to_string()),
            ],
        ),
        (
            "grants an SCJG role",
            vec![
                ("action", s("role_add")),
                ("id", scjg_clerk.to_string()),
                ("role", s("approver")),
                ("department", scjg.to_string()),
            ],
        ),
        (
            "resets an SCJG clerk's password",
            vec![
                ("action", s("staff_password")),
                ("id", scjg_clerk.to_string()),
                ("password", s("另一个很长的口令啊")),
            ],
        ),
        (
            "disables an SCJG clerk",
            vec![("action", s("staff_active")), ("id", scjg_clerk.to_string()), ("active", s("false"))],
        ),
        (
            "resets the password of a clerk who also works for ZJJ",
            vec![("action", s("staff_password")), ("id", clerk_id.to_string()), ("password", s("另一个很长的口令啊"))],
        ),
        (
            "edits the county's calendar",
            vec![("action", s("calendar_day")), ("date", s("2026-12-28")), ("kind", s("holiday")), ("name", s("假"))],
        ),
        ("adds a department", vec![("action", s("department")), ("code", s("QQ")), ("name", s("某局"))]),
        (
            "creates an SCJG account",
            vec![
                ("action", s("staff")),
                ("name", s("某人")),
                ("role", s("approver")),
                ("department", scjg.to_string()),
                ("username", s("planted")),
                ("password", s("另一个很长的口令啊")),
            ],
        ),
    ];
    for (what, fields) in &refused {
        let r = admin_act(fields.clone()).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "a ZRZY admin {what}");
    }
    let refusals = security_log::Entity::find()
        .filter(security_log::Column::ActorId.eq(myself))
        .filter(security_log::Column::Outcome.eq("refused"))
        .count(db)
        .await
        .unwrap();
    assert_eq!(refusals, refused.len() as u64, "each refusal is in the security log");
    assert!(staff::Entity::find().filter(staff::Column::Username.eq("planted")).one(db).await.unwrap().is_none());
    let scjg_login = browser(base);
    let r = post_form(&scjg_login, &format!("{base}/api/staff_login"), &[("username", "scjgclerk"), ("password", pw)])
        .await;
    assert_eq!(location(&r), "/staff", "the SCJG clerk's account is untouched");
    // within its department it administers
    let r = admin_act(vec![
        ("action", s("role_add")),
        ("id", clerk_id.to_string()),
        ("role", s("reviewer")),
        ("department", zrzy.to_string()),
    ])
    .await;
    assert_eq!(location(&r), "/staff/admin", "{:?}", flash_of(&r));
    assert_eq!(logged(db, "admin.role_add", &format!("staff {clerk_id}"), "ok").await, 1);
    // and its staff list is its own department's
    let (_, page) = text(&zrzyadmin, &format!("{base}/staff/admin")).await;
    assert!(page.contains("reviewer2") && !page.contains("scjgclerk"), "only its own staff are listed");

    // --- sign-ins: parallel wrong passwords, a forged address ---
    let flood = browser(base);
    let url = format!("{base}/api/staff_login");
    let attempts = (0..8).map(|_| {
        let (c, url) = (flood.clone(), url.clone());
        async move { c.post(url).form(&[("username", "scjgclerk"), ("password", "wrong-wrong-wrong")]).send().await }
    });
    futures::future::join_all(attempts).await;
    let checked = logged(db, "login.staff", "scjgclerk", "failed").await;
    let held_back = logged(db, "login.staff", "scjgclerk", "refused").await;
    assert!(checked <= auth_limit(), "{checked} of 8 parallel attempts were checked against a limit of 5");
    assert_eq!(checked + held_back, 8, "every attempt is in the log");
    // the app stands behind no proxy here: a made-up X-Forwarded-For is not a new address, so
    // five wrong passwords, each "from" elsewhere, still stop the sixth attempt
    for i in 0..5 {
        flood
            .post(&url)
            .header("x-forwarded-for", format!("198.51.100.{i}"))
            .form(&[("username", "scjgclerk"), ("password", "wrong-wrong-wrong")])
            .send()
            .await
            .unwrap();
    }
    let r = flood
        .post(&url)
        .header("x-forwarded-for", "198.51.100.23")
        .form(&[("username", "scjgclerk"), ("password", pw)])
        .send()
        .await
        .unwrap();
    assert!(session_cookie(&r).is_none(), "a forged address does not reset the throttle");
    // (the newest by id: PostgreSQL returns rows in no set order without one)
    let last = security_log::Entity::find()
        .filter(security_log::Column::Event.eq("login.staff"))
        .filter(security_log::Column::Target.eq("scjgclerk"))
        .order_by_desc(security_log::Column::Id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((last.outcome.as_str(), last.address.as_str()), ("refused", "127.0.0.1"), "{last:?}");
    assert!(logged(db, "login.staff", "reviewer2", "ok").await >= 1, "a sign-in is logged too");

    // --- a look-up of a person by number is logged, masked ---
    let r = clerk.get(format!("{base}/staff/intake?number={number}")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let masked = number.parse::<rules::IdCardNo>().unwrap().masked();
    assert!(logged(db, "lookup.id_number", &masked, "ok").await >= 1, "the look-up is logged");
    let leaked = security_log::Entity::find().filter(security_log::Column::Target.contains(&number)).count(db).await;
    assert_eq!(leaked.unwrap(), 0, "no full ID number in the log");

    // --- a draft is its applicant's: no member of staff sees it or its files (item 5); a
    // material holds at most so many files (item 11) ---
    let r = post_form(&person, &format!("{base}/api/start_application"), &[("item", "ZRZY-001")]).await;
    let draft: i64 = location(&r).strip_prefix("/applications/").unwrap().parse().unwrap();
    let max = app::server::journey::MAX_FILES_PER_MATERIAL;
    let mut file = 0;
    for i in 0..max {
        let r = upload(&person, base, draft, "site_photos", &format!("p{i}.png"), PNG.to_vec(), true).await;
        assert_eq!(r.status(), StatusCode::OK, "file {i}");
        file = r.json::<serde_json::Value>().await.unwrap()["files"][0]["id"].as_i64().unwrap();
    }
    let r = upload(&person, base, draft, "site_photos", "one-more.png", PNG.to_vec(), true).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "the {}th file", max + 1);
    assert!(r.text().await.unwrap().contains(&format!("最多 {max} 个文件")));
    for who in [&clerk, &supervisor, &reviewer] {
        assert!(staff_view(who, base, draft).await.1.is_null(), "a draft is nobody's on the staff");
        let r = who.get(format!("{base}/files/{file}")).send().await.unwrap();
        assert!(r.status().is_client_error(), "nor its files: {}", r.status());
    }

    // --- the public side: a person's refusal is not published; the progress query wants digits ---
    let refused = fill_and_submit(&person, base, "ZRZY-001", &[("via_agent", "no"), ("collective", "no")]).await;
    let row = app::server::entities::case::Entity::find_by_id(refused as i32).one(db).await.unwrap().unwrap();
    let case_no = row.case_no.unwrap();
    let (_, page) = text(&browser(base), &format!("{base}/ledger")).await;
    assert!(page.contains(&case_no), "received, it is on the register");
    let reason =
        [("action", "reject"), ("reason", "不属于本机关职权范围"), ("legal_basis", "《行政许可法》第三十二条")];
    act_ok(&clerk, base, refused, &reason).await;
    let (_, page) = text(&browser(base), &format!("{base}/ledger")).await;
    assert!(!page.contains(&case_no), "refused, a person's case leaves the public register");
    // (the journey suite used up this address' progress queries: a new window)
    app::server::entities::rate_hit::Entity::delete_many().exec(db).await.unwrap();
    let anon = browser(base);
    let (status, _) = text(&anon, &format!("{base}/progress?case_no={case_no}&who=%E9%83%91%E5%AE%89%E5%85%A8")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a name (on the register) is no proof");
    let (status, _) = text(&anon, &format!("{base}/progress?case_no={case_no}&who={}", &number[14..])).await;
    assert_eq!(status, StatusCode::OK, "the last 4 of the ID number are");

    // the other suites sign in from the same address: its failures end here
    login_failure::Entity::delete_many().exec(db).await.unwrap();

    // --- passwords: one an admin set is changed first; an idle staff session ends ---
    let reviewer2_id = staff_id(db, "reviewer2").await;
    let set_by_admin = "管理员设置的临时口令";
    let r = admin_act(vec![
        ("action", s("staff_password")),
        ("id", reviewer2_id.to_string()),
        ("password", s(set_by_admin)),
    ])
    .await;
    assert_eq!(location(&r), "/staff/admin", "{:?}", flash_of(&r));
    let r2 = browser(base);
    let r =
        post_form(&r2, &format!("{base}/api/staff_login"), &[("username", "reviewer2"), ("password", set_by_admin)])
            .await;
    assert_eq!(location(&r), "/staff/password?next=/staff", "an admin's password is changed first");
    assert!(staff_view(&r2, base, case).await.1.is_null(), "and opens nothing else: signed out for the back office");
    let change = |current: &'static str, new: &'static str, again: &'static str| {
        let (c, url) = (r2.clone(), format!("{base}/api/change_password"));
        async move {
            c.post(url)
                .form(&[("current", current), ("password", new), ("password_confirm", again), ("next", "/staff")])
                .send()
                .await
                .unwrap()
        }
    };
    let r = change("猜错的口令啊啊", "我自己的新口令真长", "我自己的新口令真长").await;
    assert_eq!(location(&r), "/staff/password");
    assert!(flash_of(&r).unwrap().errors["current"].contains("当前密码不正确"));
    let r = change("猜错的口令啊啊", "短", "短").await;
    let errors = flash_of(&r).unwrap().errors;
    assert!(
        errors.contains_key("current") && errors.contains_key("password"),
        "every field's error at once: {errors:?}"
    );
    let r = change(set_by_admin, "我自己的新口令真长", "我自己的新口令不同").await;
    assert!(flash_of(&r).unwrap().errors["password_confirm"].contains("不一致"));
    let r = change(set_by_admin, set_by_admin, set_by_admin).await;
    assert!(flash_of(&r).unwrap().errors.contains_key("password"), "not the same one again");
    let r = change(set_by_admin, "我自己的新口令真长", "我自己的新口令真长").await;
    assert_eq!(location(&r), "/staff");
    assert!(staff_view(&r2, base, case).await.1["id"].is_number(), "the new session opens the back office");
    assert_eq!(logged(db, "password.change", "", "ok").await, 1);
    // thirty minutes without a request end a staff session
    use app::server::entities::session;
    use sea_orm::sea_query::Expr;
    let idle = chrono::Utc::now() - chrono::Duration::minutes(app::server::auth::STAFF_IDLE_MINUTES + 1);
    session::Entity::update_many()
        .col_expr(session::Column::LastSeenAt, Expr::value(idle))
        .filter(session::Column::PrincipalKind.eq("staff"))
        .filter(session::Column::PrincipalId.eq(reviewer2_id))
        .exec(db)
        .await
        .unwrap();
    assert!(staff_view(&r2, base, case).await.1.is_null(), "an idle session has ended");
    // an applicant changes theirs too, and signs in with it
    let r = person
        .post(format!("{base}/api/change_password"))
        .form(&[("current", PW), ("password", "申请人的新密码也很长"), ("password_confirm", "申请人的新密码也很长")])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/account", "{:?}", flash_of(&r));
    let again = browser(base);
    let r =
        post_form(&again, &format!("{base}/api/login"), &[("login", &number), ("password", "申请人的新密码也很长")])
            .await;
    assert_eq!(location(&r), "/account");
}

/// The matrix (item 8): every staff role × a case of its own department, a colleague's case, a
/// case a task of its department has reached, a case of another department — what it sees of
/// the case, whether it gets its documents, whether it may write a review opinion. The expected
/// answers are written out here, not computed by the policy under test.
pub async fn matrix_suite(app: &App) {
    use Seen::*;
    let base = &app.base;
    let db = &app.state.db;
    let pw = tongban::seed::DEMO_STAFF_PASSWORD;
    let zrzy = department_id(db, "ZRZY").await;
    app::server::accounts::upsert_staff(db, "reviewer3", "审查员 三", pw, &[(Role::Reviewer, zrzy)]).await.unwrap();
    let person = browser(base);
    let first17 = "11010119900909456";
    let number = format!("{first17}{}", rules::validators::id_check_character(first17).unwrap());
    register_person(&person, base, "冯矩阵", &number, "13900000992").await;
    let clerk = staff_login(base, "clerk").await;
    let approver = staff_login(base, "approver").await;
    let zrzy_case = || fill_and_submit(&person, base, "ZRZY-001", &[("via_agent", "no"), ("collective", "no")]);
    // own: ZRZY's, accepted, nobody's yet; assigned: ZRZY's, assigned to reviewer3; parallel:
    // ZJJ's, accepted, its co-review tasks opened for ZRZY and YJGL
    let own = zrzy_case().await;
    let assigned = zrzy_case().await;
    let parallel = fill_and_submit(&person, base, "ZJJ-001", &[("via_agent", "no")]).await;
    for c in [own, assigned, parallel] {
        act_ok(&clerk, base, c, &[("action", "accept")]).await;
    }
    let r3 = staff_id(db, "reviewer3").await.to_string();
    act_ok(&approver, base, assigned, &[("action", "assign"), ("assignee", &r3)]).await;
    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Seen {
        Full,
        Masked,
        No,
    }
    // (user, [own, assigned, parallel] seen, [own, assigned, parallel] may write an opinion)
    let table: [(&str, [Seen; 3], [bool; 3]); 8] = [
        ("clerk", [Full, Full, Full], [false, false, false]),
        ("reviewer", [Full, Masked, Full], [true, false, true]),
        ("reviewer3", [Full, Full, No], [true, true, false]),
        ("approver", [Full, Full, Full], [true, true, true]),
        ("coreviewer", [No, No, Masked], [false, false, false]),
        ("village", [No, No, No], [false, false, false]),
        ("supervisor", [Masked, Masked, Masked], [false, false, false]),
        ("admin", [No, No, No], [false, false, false]),
    ];
    for (user, seen, opinion) in table {
        let c = staff_login(base, user).await;
        for (i, case) in [own, assigned, parallel].into_iter().enumerate() {
            let which = ["own", "assigned", "parallel"][i];
            let (status, v) = staff_view(&c, base, case).await;
            let got = match status {
                StatusCode::OK if v["applicant_number"].as_str().is_some_and(|n| n.contains('*')) => Masked,
                StatusCode::OK if v["applicant_number"].as_str() == Some(number.as_str()) => Full,
                StatusCode::FORBIDDEN => No,
                other => panic!("{user} on the {which} case: {other} {v}"),
            };
            assert_eq!(got, seen[i], "{user} sees the {which} case");
            let pdf = c.get(format!("{base}/notices/{case}/acceptance.pdf")).send().await.unwrap().status();
            assert_eq!(pdf == StatusCode::OK, seen[i] != No, "{user}: the {which} case's acceptance notice ({pdf})");
            let r = act(&c, base, case, &[("action", "opinion"), ("comment", "矩阵测试意见")]).await;
            let wrote = location(&r) == format!("/staff/cases/{case}");
            assert_eq!(
                wrote,
                opinion[i],
                "{user} writes an opinion on the {which} case: {} {:?}",
                r.status(),
                flash_of(&r)
            );
        }
    }
}

/// Tamper evidence that covers deletion (item 13): the anchor seals every event so far; a case's
/// events deleted whole — which no chain of that case can see — break the anchor; so does an
/// anchor checked against another key than the configured one.
pub async fn anchor_suite(app: &App) {
    use app::server::audit;
    use app::server::entities::case_event;
    use sea_orm::{ActiveModelTrait, IntoActiveModel};
    let db = &app.state.db;
    let settings = &app.state.settings;
    let later = chrono::Utc::now() + chrono::Duration::minutes(2);
    let a = audit::anchor(db, settings, later).await.unwrap().expect("events to seal");
    assert!(a.events > 20 && a.first_event_id == 1, "{a:?}");
    assert!(audit::anchor(db, settings, later).await.unwrap().is_none(), "nothing new to seal");
    let exported = std::fs::read_dir(settings.data_dir.join("anchors")).unwrap().count();
    assert!(exported >= 1, "a copy of the anchor outside the database");
    let key = audit::signing_key(settings).unwrap().verifying_key();
    let v = audit::verify(db, Some(&key)).await.unwrap();
    assert!(v.intact() && v.anchors >= 1, "{v:?}");
    // a case's whole history deleted: every remaining chain is whole, the anchor is not
    let victim = case_event::Entity::find().one(db).await.unwrap().unwrap().case_id;
    let gone = case_event::Entity::find().filter(case_event::Column::CaseId.eq(victim)).all(db).await.unwrap();
    case_event::Entity::delete_many().filter(case_event::Column::CaseId.eq(victim)).exec(db).await.unwrap();
    let v = audit::verify(db, Some(&key)).await.unwrap();
    assert!(v.first_break.is_none(), "no chain can see it: {v:?}");
    let why = v.anchor_break.expect("the anchor sees it");
    assert!(why.contains("events or a case deleted"), "{why}");
    for e in gone {
        e.into_active_model().reset_all().insert(db).await.unwrap();
    }
    assert!(audit::verify(db, Some(&key)).await.unwrap().intact(), "restored");
    // another key (an anchor re-signed by whoever edited the database) is not the configured one
    let other = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]).verifying_key();
    let why = audit::verify(db, Some(&other)).await.unwrap().anchor_break.unwrap();
    assert!(why.contains("another key"), "{why}");
}

/// A node on the same database whose public address is https (item 14): its cookies are
/// `Secure` and `__Host-`, it sends HSTS, and a write from the http origin of the same host —
/// once taken as the same site, the scheme was not compared — is refused.
pub async fn https_suite(app: &App) {
    let dir = tempfile::tempdir().unwrap();
    let settings = app::server::config::Settings {
        data_dir: dir.path().to_path_buf(),
        database_url: Some(app.state.settings.effective_database_url()),
        scheduler_secs: 0,
        public_url: Some("https://tongban.example.gov.cn".into()),
        ..Default::default()
    };
    let state = tongban::prepare(settings, leptos_options()).await.expect("the https node starts");
    let (tx, rx) = tokio::sync::oneshot::channel::<SocketAddr>();
    tokio::spawn(tongban::serve(state, "127.0.0.1:0".parse().unwrap(), move |a| {
        let _ = tx.send(a);
    }));
    let base = format!("http://{}", rx.await.unwrap());
    let origin = |o: &str| {
        let mut h = HeaderMap::new();
        h.insert(ORIGIN, HeaderValue::from_str(o).unwrap());
        Client::builder().redirect(redirect::Policy::none()).default_headers(h).build().unwrap()
    };
    let pw = tongban::seed::DEMO_STAFF_PASSWORD;
    let login = [("username", "clerk"), ("password", pw)];
    let public = origin("https://tongban.example.gov.cn");
    let r = public.post(format!("{base}/api/staff_login")).form(&login).send().await.unwrap();
    assert_eq!(location(&r), "/staff");
    let cookies: Vec<String> =
        r.headers().get_all(SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_string()).collect();
    let session = cookies.iter().find(|c| c.starts_with("__Host-tb_session=")).expect("a __Host- session cookie");
    assert!(session.contains("; Secure") && session.contains("Path=/") && !session.contains("Domain"), "{session}");
    assert!(!cookies.iter().any(|c| c.starts_with("tb_session=")), "{cookies:?}");
    let r = public.get(format!("{base}/")).send().await.unwrap();
    assert!(r.headers()["strict-transport-security"].to_str().unwrap().starts_with("max-age=31536000"));
    for forged in ["http://tongban.example.gov.cn", "https://tongban.example.gov.cn:8443", &base] {
        let r = origin(forged).post(format!("{base}/api/staff_login")).form(&login).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "a write from {forged}");
    }
    // API tokens: one limit for all nodes; an expired token (or one issued before tokens
    // expired, over a year ago) is refused
    use app::server::entities::api_token;
    use sea_orm::{ActiveModelTrait, Set};
    let token = |secret: &'static str, created: chrono::DateTime<chrono::Utc>, expires| api_token::ActiveModel {
        name: Set(secret.into()),
        prefix: Set(secret.chars().take(10).collect()),
        token_hash: Set(app::server::auth::token_hash(secret)),
        departments: Set("[]".into()),
        created_by: Set(1),
        created_at: Set(created),
        revoked_at: Set(None),
        last_used_at: Set(None),
        expires_at: Set(expires),
        ..Default::default()
    };
    let now = chrono::Utc::now();
    let db = &app.state.db;
    token("tb_shared_limit", now, Some(now + chrono::Duration::days(1))).insert(db).await.unwrap();
    token("tb_expired", now - chrono::Duration::days(30), Some(now - chrono::Duration::days(1)))
        .insert(db)
        .await
        .unwrap();
    token("tb_old_one", now - chrono::Duration::days(400), None).insert(db).await.unwrap();
    let api = |base: String, bearer: &'static str| async move {
        reqwest::Client::new().get(format!("{base}/api/v1/catalog")).bearer_auth(bearer).send().await.unwrap().status()
    };
    // the contract the fuzzer checks: what the document forbids is refused, what names no case is 404
    token("tb_contract", now, None).insert(db).await.unwrap();
    for (path, status) in [
        ("/api/v1/cases?after=-1", StatusCode::BAD_REQUEST),
        ("/api/v1/statistics?to=", StatusCode::BAD_REQUEST),
        ("/api/v1/statistics?dep=null", StatusCode::BAD_REQUEST),
        ("/api/v1/cases/%C2%BF", StatusCode::NOT_FOUND),
    ] {
        let r = reqwest::Client::new().get(format!("{base}{path}")).bearer_auth("tb_contract").send().await.unwrap();
        assert_eq!(r.status(), status, "{path}");
    }
    for bearer in ["tb_expired", "tb_old_one"] {
        assert_eq!(api(base.clone(), bearer).await, StatusCode::UNAUTHORIZED, "{bearer}");
    }
    for _ in 0..app::server::api_v1::RATE_PER_MINUTE {
        assert_eq!(api(app.base.clone(), "tb_shared_limit").await, StatusCode::OK);
    }
    assert_eq!(
        api(base.clone(), "tb_shared_limit").await,
        StatusCode::TOO_MANY_REQUESTS,
        "the limit spent on one node holds on the other"
    );

    // a plain tb_session planted by another host is not this site's session
    let planted = public
        .get(format!("{base}/staff"))
        .header("cookie", format!("tb_session={}", session.split(['=', ';']).nth(1).unwrap()))
        .send()
        .await
        .unwrap();
    assert!(location(&planted).starts_with("/staff/login"), "{:?}", planted.status());
}

fn auth_limit() -> u64 {
    app::server::auth::MAX_FAILURES_PER_ACCOUNT
}

/// Item 2: an admin or approver signs in with a second factor (TOTP). The password alone opens a
/// pending session that opens nothing; an admin without one sets it up first; a wrong code, and
/// a code used once already — even by two sign-ins at the same moment — are refused; anyone
/// else may turn one on, and an admin of the department resets a lost one.
pub async fn second_factor_suite(app: &App) {
    let base = &app.base;
    let db = &app.state.db;
    let pw = tongban::seed::DEMO_STAFF_PASSWORD;
    let cwh = department_id(db, "CWH").await;
    app::server::accounts::upsert_staff(db, "sfadmin", "sfadmin", pw, &[(Role::Admin, cwh)]).await.unwrap();
    let password_step = |c: Client| async move {
        let r = post_form(&c, &format!("{base}/api/staff_login"), &[("username", "sfadmin"), ("password", pw)]).await;
        assert_eq!(location(&r), "/staff/second-factor?next=/staff", "the password asks for the code");
        c
    };
    let half = password_step(browser(base)).await;
    // the pending session opens nothing else: no caller, no workspace, no password change
    let who = half.post(format!("{base}/api/whoami")).send().await.unwrap().text().await.unwrap();
    assert_eq!(who, "null");
    let r = half.post(format!("{base}/api/staff_overview")).send().await.unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());
    let r = post_form(&half, &format!("{base}/api/change_password"), &[("current", pw), ("password", "x")]).await;
    assert_eq!(location(&r), "/staff/second-factor");
    // an admin without a second factor sets one up: the page shows the secret and its QR code
    let (status, page) = text(&half, &format!("{base}/staff/second-factor")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("设置两步验证") && page.contains("<svg") && page.contains("totp-secret"), "{page}");
    let state: serde_json::Value =
        half.post(format!("{base}/api/second_factor_state")).send().await.unwrap().json().await.unwrap();
    assert_eq!((state["signing_in"].as_bool(), state["required"].as_bool()), (Some(true), Some(true)));
    assert!(state["setup"]["uri"].as_str().unwrap().starts_with("otpauth://totp/Tongban:sfadmin?"), "{state}");
    let secret = state["setup"]["secret"].as_str().unwrap().replace(' ', "");
    // a wrong code: refused next to the field, and the second factor is not on
    let right = totp_now(&secret);
    let wrong = if right == "000000" { "000001" } else { "000000" };
    let r = post_form(&half, &format!("{base}/api/second_factor"), &[("code", wrong)]).await;
    assert_eq!(location(&r), "/staff/second-factor");
    assert!(flash_of(&r).unwrap().errors.get("code").unwrap().contains("动态码不正确"));
    let me = staff::Entity::find().filter(staff::Column::Username.eq("sfadmin")).one(db).await.unwrap().unwrap();
    assert!(me.totp_enabled_at.is_none() && me.totp_secret.as_deref() == Some(secret.as_str()));
    let r = post_form(&half, &format!("{base}/api/second_factor"), &[("code", &right)]).await;
    assert_eq!(location(&r), "/staff", "{:?}", flash_of(&r));
    let who = half.post(format!("{base}/api/whoami")).send().await.unwrap().text().await.unwrap();
    assert!(who.contains("\"username\":\"sfadmin\""), "{who}");
    assert!(logged(db, "second_factor", "", "ok").await >= 1);
    assert!(logged(db, "second_factor", "", "failed").await >= 1, "the wrong code is in the security log");
    // a required second factor cannot be turned off
    let r = post_form(&half, &format!("{base}/api/second_factor"), &[("action", "off"), ("code", &right)]).await;
    assert!(flash_of(&r).unwrap().errors.get("code").unwrap().contains("必须"));

    // a code is accepted once: two sign-ins posting the same fresh code at once, one passes
    tokio::time::sleep(until_next_step()).await;
    let (a, b) = (password_step(browser(base)).await, password_step(browser(base)).await);
    let code = totp_now(&secret);
    let url = format!("{base}/api/second_factor");
    let form = [("code", code.as_str())];
    let (ra, rb) = tokio::join!(post_form(&a, &url, &form), post_form(&b, &url, &form));
    let mut ends = [location(&ra), location(&rb)];
    ends.sort();
    assert_eq!(ends, ["/staff", "/staff/second-factor"], "one of two posts of one code signs in");
    let refused = if location(&ra) == "/staff" { &rb } else { &ra };
    assert!(flash_of(refused).unwrap().errors.get("code").unwrap().contains("已经用过"));

    // anyone else may turn one on; then its sign-in asks for the code; an admin resets it
    let village = staff_login(base, "village").await;
    let r = post_form(&village, &url, &[("action", "begin")]).await;
    assert_eq!(location(&r), "/staff/second-factor");
    let state: serde_json::Value =
        village.post(format!("{base}/api/second_factor_state")).send().await.unwrap().json().await.unwrap();
    assert_eq!(state["required"].as_bool(), Some(false));
    let village_secret = state["setup"]["secret"].as_str().unwrap().replace(' ', "");
    let r = post_form(&village, &url, &[("code", &totp_now(&village_secret))]).await;
    assert!(flash_of(&r).unwrap().notice.unwrap().contains("两步验证已开启"));
    let c = browser(base);
    let r = post_form(&c, &format!("{base}/api/staff_login"), &[("username", "village"), ("password", pw)]).await;
    assert!(location(&r).starts_with("/staff/second-factor"), "an optional second factor, once on, is asked for");
    let village_id = staff_id(db, "village").await;
    let r = post_form(
        &half,
        &format!("{base}/api/admin_act"),
        &[("action", "staff_second_factor"), ("id", &village_id.to_string())],
    )
    .await;
    assert_eq!(location(&r), "/staff/admin", "{:?}", flash_of(&r));
    assert_eq!(logged(db, "admin.staff_totp_reset", &format!("staff {village_id}"), "ok").await, 1);
    let r = post_form(&browser(base), &format!("{base}/api/staff_login"), &[("username", "village"), ("password", pw)])
        .await;
    assert_eq!(location(&r), "/staff", "after the reset, the password alone again");
    let me = staff::Entity::find_by_id(village_id).one(db).await.unwrap().unwrap();
    assert!(me.totp_secret.is_none() && me.totp_enabled_at.is_none());
}
