//! J3: a walk-in is a full citizen. What they are owed is printed at the counter (the receipt and
//! every notice, each with the QR code of the case's public progress page) and texted to them in
//! the language chosen there; they go online with the mobile on file, and find the counter's
//! case in "my cases"; never a second account for the number.

use super::*;

pub async fn activation_suite(app: &App) {
    use app::server::entities::{applicant, security_log};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let (base, db) = (&app.base, &app.state.db);
    let clerk = staff_login(base, "clerk").await;
    let f = "11010519580808004";
    let number = format!("{f}{}", rules::validators::id_check_character(f).unwrap());
    let (mobile, other) = ("13900000081", "13900000082");
    let form = [("number", number.as_str()), ("name", "钱大妈"), ("mobile", mobile)];
    let r = post_form(&clerk, &format!("{base}/api/intake_applicant"), &form).await;
    assert_eq!(location(&r), format!("/staff/intake?number={number}"), "{:?}", flash_of(&r));
    let a = applicant::Entity::find().filter(applicant::Column::IdCardNo.eq(&number)).one(db).await.unwrap().unwrap();
    let start = [("applicant", a.id.to_string()), ("item", "ZRZY-001".into()), ("number", number.clone())];
    let r = clerk.post(format!("{base}/api/intake_start")).form(&start).send().await.unwrap();
    let draft = location(&r);
    assert!(draft.starts_with("/applications/"), "{draft}");

    // registering the number online again is refused, and says where to go
    let stranger = browser(base);
    let r = register_person(&stranger, base, "钱大妈", &number, other).await;
    assert_eq!(location(&r), "/register");
    assert!(flash_of(&r).unwrap().errors["id_card_no"].contains("/activate"), "pointed to /activate");

    let c = browser(base);
    let code_form =
        |m: &'static str| [("kind", "person".to_string()), ("id_card_no", number.clone()), ("mobile", m.into())];
    // a mobile that is not the one on file: the same answer, no code
    let texted_before = texted_code(base, other);
    let r = c.post(format!("{base}/api/activation_code")).form(&code_form(other)).send().await.unwrap();
    assert_eq!(location(&r), "/activate");
    let told = flash_of(&r).unwrap().notice.unwrap();
    assert!(told.contains("如证件号码与窗口登记的手机号一致"), "{told}");
    assert_eq!(texted_code(base, other), texted_before, "nothing sent to a mobile not on file");
    // a bad number is said next to its field
    let bad = [("kind", "person"), ("id_card_no", "123"), ("mobile", mobile)];
    let r = c.post(format!("{base}/api/activation_code")).form(&bad).send().await.unwrap();
    assert!(flash_of(&r).unwrap().errors.contains_key("id_card_no"));
    // the mobile on file gets a code
    let r = c.post(format!("{base}/api/activation_code")).form(&code_form(mobile)).send().await.unwrap();
    assert_eq!(location(&r), "/activate");
    let code = texted_code(base, mobile).expect("a code to the mobile on file");
    let activate = |code: &str, confirm: &str| {
        vec![
            ("kind", "person".to_string()),
            ("id_card_no", number.clone()),
            ("mobile", mobile.to_string()),
            ("sms_code", code.to_string()),
            ("password", PW.to_string()),
            ("password_confirm", confirm.to_string()),
        ]
    };
    let wrong = if code == "000000" { "000001" } else { "000000" };
    let r = c.post(format!("{base}/api/activate")).form(&activate(wrong, PW)).send().await.unwrap();
    let f = flash_of(&r).unwrap();
    assert!(f.errors["sms_code"].contains("不正确"), "{f:?}");
    assert_eq!(f.values.get("id_card_no"), Some(&number), "what was typed comes back");
    assert!(!f.values.contains_key("password"), "never the password");
    let r = c.post(format!("{base}/api/activate")).form(&activate(&code, "另一个密码-2026")).send().await.unwrap();
    assert!(flash_of(&r).unwrap().errors.contains_key("password_confirm"));
    let still = applicant::Entity::find_by_id(a.id).one(db).await.unwrap().unwrap();
    assert!(still.password_hash.is_none(), "nothing set yet");
    let r = c.post(format!("{base}/api/activate")).form(&activate(&code, PW)).send().await.unwrap();
    assert_eq!(location(&r), "/cases", "{:?}", flash_of(&r));
    assert!(session_cookie(&r).is_some(), "signed in");
    let (_, page) = text(&c, &format!("{base}/cases")).await;
    assert!(page.contains("网上账户已开通") && page.contains(&draft), "the counter's case is in my cases");
    let same = applicant::Entity::find().filter(applicant::Column::IdCardNo.eq(&number)).all(db).await.unwrap();
    assert_eq!(same.len(), 1, "the same account, not a second one");
    assert!(same[0].password_hash.is_some());
    let logged = security_log::Entity::find()
        .filter(security_log::Column::Event.eq("account.activated"))
        .filter(security_log::Column::Target.eq(a.id.to_string()))
        .all(db)
        .await
        .unwrap();
    assert_eq!(logged.len(), 1);

    // later: the number and the new password sign in
    let later = browser(base);
    let r = post_form(&later, &format!("{base}/api/login"), &[("login", number.as_str()), ("password", PW)]).await;
    assert!(session_cookie(&r).is_some(), "{:?}", flash_of(&r));
    // opened once: the code is no more sent, the used code opens nothing, registering is refused
    sms_minute_passes(app).await;
    let r = c.post(format!("{base}/api/activation_code")).form(&code_form(mobile)).send().await.unwrap();
    assert_eq!(location(&r), "/activate");
    assert_eq!(texted_code(base, mobile), Some(code.clone()), "no new code for an opened account");
    let again = browser(base);
    let r = again.post(format!("{base}/api/activate")).form(&activate(&code, PW)).send().await.unwrap();
    assert_eq!(location(&r), "/activate");
    assert!(session_cookie(&r).is_none());
}

/// The counter prints what an online applicant downloads, and every notice a walk-in is owed
/// goes to their mobile in their language, telling them where to follow the case (they cannot
/// sign in).
pub async fn papers_suite(app: &App) {
    use app::server::entities::applicant;
    use app::server::notify;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let (base, db) = (&app.base, &app.state.db);
    let clerk = staff_login(base, "clerk").await;
    let f = "11010519620909003";
    let number = format!("{f}{}", rules::validators::id_check_character(f).unwrap());
    let mobile = "13900000091";
    let form = |lang: &'static str| {
        [
            ("number", number.clone()),
            ("name", "Anna Li".into()),
            ("mobile", mobile.into()),
            ("notice_lang", lang.into()),
        ]
    };
    // a language that is not one is said next to its field, and nothing is registered
    let r = clerk.post(format!("{base}/api/intake_applicant")).form(&form("fr")).send().await.unwrap();
    let f = flash_of(&r).expect("refused");
    assert!(f.errors["notice_lang"].contains("English"), "{f:?}");
    assert_eq!(f.values.get("mobile").map(String::as_str), Some(mobile), "what was typed comes back");
    let find = || applicant::Entity::find().filter(applicant::Column::IdCardNo.eq(&number)).one(db);
    assert!(find().await.unwrap().is_none());
    let (_, page) = text(&clerk, &format!("{base}/staff/intake?number={number}")).await;
    assert!(page.contains("name=\"notice_lang\""), "the counter asks for the language of notices");
    let r = clerk.post(format!("{base}/api/intake_applicant")).form(&form("en")).send().await.unwrap();
    assert_eq!(location(&r), format!("/staff/intake?number={number}"), "{:?}", flash_of(&r));
    let a = find().await.unwrap().expect("registered");
    assert_eq!(a.notice_lang, "en");

    let start = [("applicant", a.id.to_string()), ("item", "ZRZY-002".into()), ("number", number.clone())];
    let r = clerk.post(format!("{base}/api/intake_start")).form(&start).send().await.unwrap();
    let id: i64 = location(&r).strip_prefix("/applications/").expect("the draft").parse().unwrap();
    let r = fill_and_submit_draft(&clerk, base, id, &[("via_agent", "no"), ("first_home", "yes")]).await;
    assert_eq!(location(&r), format!("/staff/cases/{id}"), "{:?}", flash_of(&r));
    let case_no =
        app::server::entities::case::Entity::find_by_id(id as i32).one(db).await.unwrap().unwrap().case_no.unwrap();
    let progress = format!("{base}/progress?case_no={case_no}");

    // the counter prints the receipt from the case page, with the QR code of the progress page
    let (_, page) = text(&clerk, &format!("{base}/staff/cases/{id}")).await;
    assert!(page.contains(&format!("/notices/{id}/receipt.pdf")), "the receipt is among the case's papers");
    let pdf = |name: &'static str| {
        let (clerk, url) = (clerk.clone(), format!("{base}/notices/{id}/{name}"));
        async move {
            let r = clerk.get(url).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{name} at the counter");
            app::server::receipt::text_lines(&r.bytes().await.unwrap()).join("")
        }
    };
    let receipt = pdf("receipt.pdf").await;
    for w in ["收件凭证", &case_no, "Anna Li", "收件日期", "第三十二条", &progress] {
        assert!(receipt.contains(w), "the receipt names {w}: {receipt}");
    }
    // the one-time correction notice, printed there too, leads to the same page
    let r = act(&clerk, base, id, &[("action", "request_correction"), ("note_application", "缺少申请人签字")]).await;
    assert_eq!(location(&r), format!("/staff/cases/{id}"), "{:?}", flash_of(&r));
    let notice = pdf("correction.pdf").await;
    assert!(notice.contains("补正材料通知书") && notice.contains("缺少申请人签字"), "{notice}");
    assert!(notice.contains(&progress), "the correction notice's QR code: {notice}");

    // the SMS, in English, says where to follow the case and how to go online — not "sign in"
    let sent_before = app.sinks.sms.lock().unwrap().len();
    notify::dispatch(&app.state, chrono::Utc::now()).await.unwrap();
    let sms = app.sinks.sms.lock().unwrap()[sent_before..].to_vec();
    let mine: Vec<&str> = sms.iter().filter(|s| s["to"] == mobile).filter_map(|s| s["text"].as_str()).collect();
    assert!(!mine.is_empty(), "the walk-in is texted: {sms:?}");
    let text_ = mine.last().unwrap();
    assert!(text_.starts_with(&format!("Your case {case_no}:")), "{text_}");
    assert!(text_.contains(&progress) && text_.contains(&format!("{base}/activate")), "{text_}");
    assert!(!text_.contains("Sign in") && !text_.contains("登录"), "{text_}");
}
