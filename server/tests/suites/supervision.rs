//! Supervision: the rules sweep on a fixed clock across the 2026 National Day holiday, the
//! scheduler's lease, the audit chain against direct edits, staff read logging, and notification
//! delivery (SMTP and SMS sinks, retries, dead letters, opt-outs).

use super::*;
use app::server::cases::{Actor, Change};
use app::server::entities::{accountability, applicant, case, case_event, delivery, outbox, staff, staff_read};
use app::server::{audit, notify, scheduler};
use rules::case::Action;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

fn d(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The light a case shows on `day` (derived from its state and due date, as the pages and the
/// API show it), after checking that the supervisor's dashboard, which counts lights by due-date
/// ranges, counts the case's department exactly as the per-case function does.
pub(super) async fn light(app: &App, id: i64, day: chrono::NaiveDate) -> &'static str {
    use rules::WarningLevel;
    let db = &app.state.db;
    let cal = app.state.calendar();
    let warn = app::server::supervision::warning_days(db).await.unwrap();
    let of = |c: &case::Model| rules::supervision::level(&cal, c.state, c.due_on, day, warn[&c.item_id]).unwrap();
    let c = row(app, id).await;
    let all = case::Entity::find().filter(case::Column::DepartmentId.eq(c.department_id)).all(db).await.unwrap();
    let mut want = app::models::LevelCounts::default();
    for c in all.iter().filter(|c| rules::supervision::clock_of(c.state) == rules::supervision::Clock::Department) {
        match of(c) {
            WarningLevel::Normal => want.normal += 1,
            WarningLevel::Warning => want.warning += 1,
            WarningLevel::Overdue => want.overdue += 1,
        }
    }
    let user = app::models::SessionUser::Staff {
        id: 0,
        name: "test".into(),
        username: "test".into(),
        roles: vec![app::models::StaffRole {
            role: rules::Role::Supervisor,
            department_id: c.department_id,
            department_code: String::new(),
            department_name: String::new(),
        }],
    };
    let dash =
        app::server::supervision::dashboard(db, &cal, Some(&user), None, day, rules::Lang::ZhHans).await.unwrap();
    assert_eq!(dash.levels, want, "the dashboard's ranges on {day}");
    of(&c).as_str()
}

async fn row(app: &App, id: i64) -> case::Model {
    case::Entity::find_by_id(id as i32).one(&app.state.db).await.unwrap().unwrap()
}

async fn events_of(app: &App, id: i64) -> Vec<case_event::Model> {
    case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(id as i32))
        .order_by_asc(case_event::Column::Seq)
        .all(&app.state.db)
        .await
        .unwrap()
}

async fn staff_id(app: &App, username: &str) -> i32 {
    staff::Entity::find().filter(staff::Column::Username.eq(username)).one(&app.state.db).await.unwrap().unwrap().id
}

/// A change by a member of staff on a given day.
async fn apply_on(app: &App, id: i64, action: Action, who: (i32, rules::Role), day: chrono::NaiveDate) -> case::Model {
    try_apply_on(app, id, action, who, day).await.unwrap()
}

async fn try_apply_on(
    app: &App,
    id: i64,
    action: Action,
    who: (i32, rules::Role),
    day: chrono::NaiveDate,
) -> Result<case::Model, app::server::error::AppError> {
    let db = &app.state.db;
    let c = row(app, id).await;
    let provided =
        app::server::cases::documents::files_of(db, c.id).await.unwrap().into_iter().map(|f| f.material_code).collect();
    app::server::cases::apply(
        db,
        &app.state.calendar(),
        Change {
            case_id: c.id,
            expected_version: c.version,
            action,
            actor: Actor { kind: app::server::auth::PrincipalKind::Staff, id: who.0, role: who.1 },
            comment: "材料不齐，请补正。".into(),
            internal: false,
            today: day,
            provided,
            grants_request: None,
        },
    )
    .await
}

/// Moves a case's current receipt to `day` (as if it had been submitted then).
async fn received_on(app: &App, id: i64, day: chrono::NaiveDate) {
    let cal = app.state.calendar();
    let mut am: case::ActiveModel = row(app, id).await.into();
    am.received_on = Set(Some(day));
    am.due_on = Set(Some(rules::deadline::acceptance_window_end(&cal, day).unwrap()));
    am.update(&app.state.db).await.unwrap();
}

pub async fn supervision_suite(app: &App) {
    let base = &app.base;
    let db = &app.state.db;
    let cal = app.state.calendar();
    let person = browser(base);
    let r = register_person(&person, base, "卫红", "110105196606060279", "13900000088").await;
    assert_eq!(location(&r), "/account", "registered: {:?}", flash_of(&r));
    let clerk = (staff_id(app, "clerk").await, rules::Role::WindowClerk);

    // 1. A receipt nobody answers, across the National Day holiday (10-01..10-07 off, Saturday
    //    10-10 a make-up working day). Received Thursday 09-24: the 5 working days are 09-28,
    //    09-29, 09-30, 10-08 and 10-09.
    let a = fill_and_submit(&person, base, "ZRZY-005", &[("via_agent", "no")]).await;
    received_on(app, a, d("2026-09-24")).await;
    assert_eq!(row(app, a).await.due_on, Some(d("2026-10-09")));
    for (day, want, why) in [
        ("2026-09-29", "normal", "three working days left after 09-29"),
        ("2026-09-30", "warning", "two left: yellow"),
        ("2026-10-05", "warning", "still yellow during the holiday"),
        ("2026-10-09", "warning", "the due day itself"),
    ] {
        scheduler::sweep(db, &cal, d(day)).await.unwrap();
        assert_eq!(light(app, a, d(day)).await, want, "{why}");
    }
    let before = events_of(app, a).await.len();
    let r = scheduler::sweep(db, &cal, d("2026-10-10")).await.unwrap();
    assert!(r.deemed_accepted >= 1 && r.accountability_opened >= 1, "{r:?}");
    // Accepted by law from the day of receipt (Art. 32): the state moves, the decision clock runs
    // from 09-24.
    let c = row(app, a).await;
    let rules_a: rules::item::ItemRules = {
        let it = app::server::entities::item::Entity::find_by_id(c.item_id).one(db).await.unwrap().unwrap();
        it.rules.clone()
    };
    let due = rules::deadline::due_date(&cal, d("2026-09-24"), rules_a.decision_limit(), &[], d("2026-10-10")).unwrap();
    assert_eq!(
        (c.state.code(), c.accepted_on, c.deemed_accepted_on, c.due_on, c.due_for.map(|t| t.code())),
        ("accepted", Some(d("2026-09-24")), Some(d("2026-09-24")), Some(due), Some("decision")),
        "deemed accepted from the day of receipt"
    );
    let evs = events_of(app, a).await;
    assert_eq!(evs.len(), before + 1);
    let last = evs.last().unwrap();
    assert_eq!(
        (
            last.action.code(),
            last.from_state.code(),
            last.to_state.code(),
            last.actor_kind.as_str(),
            last.role.as_str()
        ),
        ("deemed_accepted", "submitted", "accepted", "system", "system")
    );
    // The department's late answer is on record; so is the decision's, if the decision's day
    // has passed as well.
    let records = super::clocks::records(db, a as i32).await;
    let mut want = vec![("acceptance_overdue".to_string(), d("2026-10-09"))];
    if due < d("2026-10-10") {
        want.push(("decision_overdue".to_string(), due));
    }
    assert_eq!(records, want);
    let inbox: serde_json::Value =
        person.post(format!("{base}/api/my_inbox")).send().await.unwrap().json().await.unwrap();
    assert_eq!(inbox[0]["kind"], "deemed_accepted", "the applicant is told");
    // Idempotent: the same day again, and a day later, change nothing for this case.
    for day in ["2026-10-10", "2026-10-12"] {
        scheduler::sweep(db, &cal, d(day)).await.unwrap();
    }
    assert_eq!(events_of(app, a).await.len(), before + 1);
    assert_eq!(super::clocks::records(db, a as i32).await, want);
    // Too late for a correction notice or a refusal of acceptance; the review goes on.
    for action in [Action::RequestCorrection, Action::Reject { reason: "材料不全".into() }, Action::Accept] {
        let e = try_apply_on(app, a, action.clone(), clerk, d("2026-10-12")).await;
        assert!(
            matches!(e, Err(app::server::error::AppError::Refused(rules::case::Refusal::WrongState { .. }))),
            "{action:?}: {e:?}"
        );
    }
    assert_eq!(
        light(app, a, d("2026-10-12")).await,
        rules::supervision::level(&cal, rules::CaseState::Accepted, Some(due), d("2026-10-12"), rules_a.warning_days)
            .unwrap()
            .as_str()
    );
    // Before its window has passed, the system may not accept a receipt by law.
    let early = fill_and_submit(&person, base, "ZRZY-005", &[("via_agent", "no")]).await;
    let window = row(app, early).await.due_on.unwrap();
    let e = try_apply_on(app, early, Action::DeemAccepted, (0, rules::Role::System), window).await;
    assert!(
        matches!(e, Err(app::server::error::AppError::Refused(rules::case::Refusal::ReceiptWindowRunning))),
        "{e:?}"
    );
    scheduler::sweep(db, &cal, window).await.unwrap();
    assert_eq!(row(app, early).await.state.code(), "submitted", "its last day: still the clerk's to answer");

    // 2. A correction left unanswered: nothing on its last day, the refusal proposed to the head
    //    the day after (its approval: `corrections::expired_correction_suite`).
    let b = fill_and_submit(&person, base, "ZRZY-005", &[("via_agent", "no")]).await;
    let c = apply_on(app, b, Action::RequestCorrection, clerk, d("2026-09-29")).await;
    let due = c.correction_due.unwrap();
    assert_eq!(
        due,
        rules::deadline::due_date(&cal, d("2026-09-29"), rules_a.correction_term, &[], d("2026-09-29")).unwrap()
    );
    scheduler::sweep(db, &cal, due).await.unwrap();
    assert_eq!(row(app, b).await.state.code(), "awaiting_correction");
    let r = scheduler::sweep(db, &cal, due.succ_opt().unwrap()).await.unwrap();
    assert!(r.corrections_expired >= 1, "{r:?}");
    assert_eq!(row(app, b).await.state.code(), "refusal_proposed");
    let last = events_of(app, b).await.pop().unwrap();
    assert_eq!((last.action.code(), last.actor_kind.as_str()), ("correction_expired", "system"));

    // 3. 容缺: accepted without the site map (deferrable), flagged once its 30 days pass.
    let e = fill_and_submit(&person, base, "ZRZY-001", &[("via_agent", "no"), ("collective", "no")]).await;
    let c = apply_on(app, e, Action::Accept, clerk, d("2026-09-29")).await;
    let sup = c.supplement_due.expect("deferred materials get a supplement date");
    assert_eq!(
        sup,
        rules::deadline::deferred_supplement_due(d("2026-09-29"), rules::TimeLimit::calendar(30), &cal).unwrap()
    );
    scheduler::sweep(db, &cal, sup).await.unwrap();
    assert!(!row(app, e).await.supplement_overdue);
    scheduler::sweep(db, &cal, sup.succ_opt().unwrap()).await.unwrap();
    assert!(row(app, e).await.supplement_overdue);
    assert_eq!(events_of(app, e).await.pop().unwrap().action.code(), "supplement_overdue");

    // 3b. Records by range: a recorded run covers every due date before its day, so the next
    //     sweep reads only the due dates since; a change that leaves a case past its due date
    //     opens its record itself, whatever the runs say.
    let recs = |id: i64| super::clocks::records(db, id as i32);
    let g = fill_and_submit(&person, base, "ZRZY-005", &[("via_agent", "no")]).await;
    let due_g = apply_on(app, g, Action::Accept, clerk, d("2026-10-12")).await.due_on.unwrap();
    let h = fill_and_submit(&person, base, "ZRZY-005", &[("via_agent", "no")]).await;
    received_on(app, h, d("2026-06-01")).await;
    let due_h = row(app, h).await.due_on.unwrap();
    let run_day = due_g.succ_opt().unwrap();
    let r = scheduler::sweep_and_record(db, &cal, "test", run_day).await.unwrap();
    assert!(r.accountability_opened >= 1 && r.deemed_accepted >= 1, "{r:?}");
    assert_eq!(recs(g).await, [("decision_overdue".to_string(), due_g)], "g's deadline passed before the run");
    // h was deemed accepted by that run, from 06-01: its decision's due date lies before the
    // run's day, which no later sweep reads again, so the transition opened its record itself.
    let c = row(app, h).await;
    assert_eq!((c.state.code(), c.accepted_on), ("accepted", Some(d("2026-06-01"))));
    let due_h2 = c.due_on.unwrap();
    assert!(due_h2 < run_day, "{due_h2}");
    assert_eq!(
        recs(h).await,
        [("acceptance_overdue".to_string(), due_h), ("decision_overdue".to_string(), due_h2)],
        "opened with the acceptance"
    );
    let r = scheduler::sweep_and_record(db, &cal, "test", run_day.succ_opt().unwrap()).await.unwrap();
    assert_eq!(recs(h).await.len(), 2, "{r:?}");
    assert_eq!(light(app, h, run_day).await, "overdue");
    // The runs of this fictitious calendar are not left for the suites that follow.
    app::server::entities::scheduler_run::Entity::delete_many()
        .filter(app::server::entities::scheduler_run::Column::Holder.eq("test"))
        .exec(db)
        .await
        .unwrap();

    // 4. The lease: one holder at a time; renewable; free once expired or released.
    let ttl = Duration::from_secs(30);
    assert!(scheduler::try_lease(db, "test", "node-a", ttl).await.unwrap());
    assert!(!scheduler::try_lease(db, "test", "node-b", ttl).await.unwrap());
    assert!(scheduler::try_lease(db, "test", "node-a", ttl).await.unwrap(), "the holder renews");
    assert!(scheduler::try_lease(db, "test", "node-a", Duration::ZERO).await.unwrap());
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert!(scheduler::try_lease(db, "test", "node-b", ttl).await.unwrap(), "expired: another node takes it");
    scheduler::release(db, "test", "node-b").await.unwrap();
    assert!(scheduler::try_lease(db, "test", "node-c", ttl).await.unwrap(), "released");

    // 5. The audit chain holds over everything the suites wrote, and finds a direct edit.
    let v = audit::verify(db, None).await.unwrap();
    assert!(v.first_break.is_none(), "{v:?}");
    assert!(v.events > 20, "{v:?}");
    let target = events_of(app, a).await[1].clone();
    let edit = |comment: &str| {
        let mut am: case_event::ActiveModel = target.clone().into();
        am.comment = Set(comment.into());
        am
    };
    edit("已受理（改）").update(db).await.unwrap();
    let v = audit::verify(db, None).await.unwrap();
    let b = v.first_break.expect("the edit is found");
    assert_eq!((b.case_id, b.seq, b.reason), (a as i32, target.seq, "content does not match its hash"));
    edit(&target.comment).update(db).await.unwrap();
    assert!(audit::verify(db, None).await.unwrap().first_break.is_none(), "restored");

    // 6. Staff reads of personal data are logged: one view of the case page, one record (the
    //    page's loader runs once a request).
    let clerk_c = staff_login(base, "clerk").await;
    let reads_of_clerk = || async {
        staff_read::Entity::find()
            .filter(staff_read::Column::CaseId.eq(a as i32))
            .filter(staff_read::Column::StaffId.eq(clerk.0))
            .all(db)
            .await
            .unwrap()
    };
    let before = reads_of_clerk().await.len();
    let (status, _) = text(&clerk_c, &format!("{base}/staff/cases/{a}")).await;
    assert_eq!(status, StatusCode::OK);
    let reads = reads_of_clerk().await;
    assert!(reads.iter().any(|r| r.what == "case"), "{reads:?}");
    assert_eq!(reads.len(), before + 1, "one view, one record: {reads:?}");

    // 7. Notifications: an e-mail through the SMTP sink (first attempt refused, then sent),
    //    SMS through the HTTP sink; opt-outs respected; dead letters after the last attempt.
    let me =
        applicant::Entity::find().filter(applicant::Column::Mobile.eq("13900000088")).one(db).await.unwrap().unwrap();
    // the applicant gives an e-mail on the account page (a bad one is refused next to the field)
    let r = post_form(
        &person,
        &format!("{base}/api/set_notifications"),
        &[("email", "weihong@"), ("notify_sms", "on"), ("notify_email", "on")],
    )
    .await;
    let f = flash_of(&r).unwrap();
    assert!(f.errors["email"].contains("有效的电子邮箱"), "{f:?}");
    assert_eq!(f.values["email"], "weihong@");
    let r = post_form(
        &person,
        &format!("{base}/api/set_notifications"),
        &[("email", "weihong@example.cn"), ("notify_sms", "on"), ("notify_email", "on")],
    )
    .await;
    assert_eq!(location(&r), "/account");
    let (_, page) = text(&person, &format!("{base}/account")).await;
    assert!(page.contains("weihong@example.cn") && page.contains("通知设置"), "shown on the account page");
    let now = chrono::Utc::now();
    notify::dispatch(&app.state, now).await.unwrap(); // what earlier suites queued
    let f = fill_and_submit(&person, base, "ZRZY-005", &[("via_agent", "no")]).await;
    app.sinks.smtp_fail_next.store(1, std::sync::atomic::Ordering::SeqCst);
    apply_on(app, f, Action::Accept, clerk, rules::validators::china_today()).await;
    let ob = outbox::Entity::find().filter(outbox::Column::CaseId.eq(f as i32)).one(db).await.unwrap().unwrap();
    let r = notify::dispatch(&app.state, now).await.unwrap();
    assert!(r.queued >= 2, "{r:?}");
    let ds = |ob: i32| async move {
        delivery::Entity::find()
            .filter(delivery::Column::OutboxId.eq(ob))
            .order_by_asc(delivery::Column::Channel)
            .all(db)
            .await
            .unwrap()
    };
    let got = ds(ob.id).await;
    assert_eq!(got.iter().map(|d| d.channel.code()).collect::<Vec<_>>(), ["email", "sms"]);
    assert_eq!((got[0].status.code(), got[0].attempts), ("pending", 1), "{:?}", got[0]);
    assert!(got[0].last_error.contains("451"), "{}", got[0].last_error);
    assert_eq!(got[1].status.code(), "sent");
    // not due yet: nothing happens; after the backoff it is sent
    notify::dispatch(&app.state, now).await.unwrap();
    assert_eq!(ds(ob.id).await[0].attempts, 1);
    notify::dispatch(&app.state, now + chrono::Duration::hours(2)).await.unwrap();
    let got = ds(ob.id).await;
    assert_eq!((got[0].status.code(), got[0].attempts), ("sent", 2));
    let case_no = row(app, f).await.case_no.unwrap();
    let mails = app.sinks.mails.lock().unwrap().clone();
    let mail = mails.iter().rev().find(|m| m.contains("weihong@example.cn")).expect("the sink got the e-mail");
    assert!(decoded_body(mail).contains(&format!("您的办件 {case_no}：受理")), "{mail}");
    let sms = app.sinks.sms.lock().unwrap().clone();
    assert!(sms.iter().any(|s| s["to"] == "13900000088" && s["text"].as_str().unwrap().contains(&case_no)), "{sms:?}");
    // opted out of SMS: the next message goes by e-mail only
    let r = post_form(
        &person,
        &format!("{base}/api/set_notifications"),
        &[("email", "weihong@example.cn"), ("notify_email", "on")],
    )
    .await;
    assert_eq!(location(&r), "/account");
    assert!(!applicant::Entity::find_by_id(me.id).one(db).await.unwrap().unwrap().notify_sms);
    // notices in the applicant's language: a tag the form does not offer is refused next to
    // the field, then English from now on
    let r = post_form(
        &person,
        &format!("{base}/api/set_notifications"),
        &[("email", "weihong@example.cn"), ("notify_email", "on"), ("notice_lang", "fr")],
    )
    .await;
    let fl = flash_of(&r).unwrap();
    assert!(fl.errors["notice_lang"].contains("English"), "{fl:?}");
    assert_eq!(applicant::Entity::find_by_id(me.id).one(db).await.unwrap().unwrap().notice_lang, "zh-Hans");
    let r = post_form(
        &person,
        &format!("{base}/api/set_notifications"),
        &[("email", "weihong@example.cn"), ("notify_email", "on"), ("notice_lang", "en")],
    )
    .await;
    assert_eq!(location(&r), "/account");
    let (_, page) = text(&person, &format!("{base}/account")).await;
    assert!(page.contains(r#"<option value="en" selected"#), "the account page shows the choice");
    apply_on(
        app,
        f,
        Action::StartReview,
        (staff_id(app, "reviewer").await, rules::Role::Reviewer),
        rules::validators::china_today(),
    )
    .await;
    notify::dispatch(&app.state, now + chrono::Duration::hours(2)).await.unwrap();
    let ob2 = outbox::Entity::find()
        .filter(outbox::Column::CaseId.eq(f as i32))
        .order_by_desc(outbox::Column::Id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ds(ob2.id).await.iter().map(|d| d.channel.code()).collect::<Vec<_>>(), ["email"]);
    let mails = app.sinks.mails.lock().unwrap().clone();
    let mail = decoded_body(mails.last().expect("the review e-mail"));
    assert!(mail.contains(&format!("Your case {case_no}")) && !mail.contains("您的办件"), "{mail}");
    // an SMS provider that keeps failing: dead after the last attempt, listed for admins
    let mut am: applicant::ActiveModel = applicant::Entity::find_by_id(me.id).one(db).await.unwrap().unwrap().into();
    am.notify_sms = Set(true);
    am.update(db).await.unwrap();
    app.sinks.sms_fail.store(true, std::sync::atomic::Ordering::SeqCst);
    apply_on(
        app,
        f,
        Action::Suspend { kind: "专家评审".into(), reason: "需组织专家评审".into() },
        (staff_id(app, "approver").await, rules::Role::Approver),
        rules::validators::china_today(),
    )
    .await;
    let mut t = now + chrono::Duration::hours(3);
    for _ in 0..app.state.settings.notify.max_attempts {
        notify::dispatch(&app.state, t).await.unwrap();
        t += chrono::Duration::hours(2);
    }
    app.sinks.sms_fail.store(false, std::sync::atomic::Ordering::SeqCst);
    let ob3 = outbox::Entity::find()
        .filter(outbox::Column::CaseId.eq(f as i32))
        .order_by_desc(outbox::Column::Id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let got = ds(ob3.id).await;
    let sms = got.iter().find(|d| d.channel.code() == "sms").unwrap();
    assert_eq!((sms.status.code(), sms.attempts as u32), ("dead", app.state.settings.notify.max_attempts), "{sms:?}");
    assert!(notify::dead_letters(db, 50).await.unwrap().iter().any(|d| d.id == sms.id));
    notify::retry_dead(db, sms.id).await.unwrap();
    notify::dispatch(&app.state, chrono::Utc::now() + chrono::Duration::seconds(1)).await.unwrap();
    assert_eq!(
        delivery::Entity::find_by_id(sms.id).one(db).await.unwrap().unwrap().status.code(),
        "sent",
        "an admin's retry"
    );
}

/// The supervisor's dashboard and statistics, through plain HTTP (the no-JavaScript path).
pub async fn dashboard_suite(app: &App) {
    let base = &app.base;
    let db = &app.state.db;
    let zrzy = app::server::entities::department::Entity::find()
        .filter(app::server::entities::department::Column::Code.eq("ZRZY"))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let supervisor = staff_login(base, "supervisor").await;
    let approver = staff_login(base, "approver").await;
    let clerk = staff_login(base, "clerk").await;
    // a window clerk has no dashboard
    let (status, _) = text(&clerk, &format!("{base}/staff/supervision")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, page) = text(&supervisor, &format!("{base}/staff/supervision?dep={zrzy}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("问责记录") && page.contains("逾期未受理"), "the sweep's record is listed");
    let rec = accountability::Entity::find()
        .filter(accountability::Column::DepartmentId.eq(zrzy))
        .filter(accountability::Column::State.eq("open"))
        .one(db)
        .await
        .unwrap()
        .expect("an open record");
    let act = |c: &Client, fields: Vec<(&'static str, String)>| {
        let c = c.clone();
        let url = format!("{base}/api/supervision_act");
        async move { c.post(url).form(&fields).send().await.unwrap() }
    };
    // the supervisor cannot close before the department explains; the text is kept
    let r = act(
        &supervisor,
        vec![
            ("action", "close".into()),
            ("id", rec.id.to_string()),
            ("department", zrzy.to_string()),
            ("text", "结论先行".into()),
        ],
    )
    .await;
    let f = flash_of(&r).unwrap();
    assert!(f.errors[&format!("text_{}", rec.id)].contains("尚未作出说明"), "{f:?}");
    assert_eq!(f.values[&format!("text_{}", rec.id)], "结论先行");
    // an explanation needs words
    let r = act(
        &approver,
        vec![
            ("action", "explain".into()),
            ("id", rec.id.to_string()),
            ("department", zrzy.to_string()),
            ("text", " ".into()),
        ],
    )
    .await;
    assert!(flash_of(&r).unwrap().errors.contains_key(&format!("text_{}", rec.id)));
    // a window clerk may not explain
    let r = act(
        &clerk,
        vec![
            ("action", "explain".into()),
            ("id", rec.id.to_string()),
            ("department", zrzy.to_string()),
            ("text", "窗口人员代为说明".into()),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = act(
        &approver,
        vec![
            ("action", "explain".into()),
            ("id", rec.id.to_string()),
            ("department", zrzy.to_string()),
            ("text", "国庆假期窗口轮休，收件未及时处理。".into()),
        ],
    )
    .await;
    assert_eq!(location(&r), format!("/staff/supervision?dep={zrzy}"));
    let r = act(
        &supervisor,
        vec![
            ("action", "close".into()),
            ("id", rec.id.to_string()),
            ("department", zrzy.to_string()),
            ("text", "已约谈，责令建立假期值班制度。".into()),
        ],
    )
    .await;
    assert_eq!(location(&r), format!("/staff/supervision?dep={zrzy}"));
    let rec = accountability::Entity::find_by_id(rec.id).one(db).await.unwrap().unwrap();
    assert_eq!((rec.state.as_str(), rec.conclusion.as_str()), ("closed", "已约谈，责令建立假期值班制度。"));
    // the audit check from the page
    let r = act(&supervisor, vec![("action", "verify_audit".into()), ("department", zrzy.to_string())]).await;
    assert_eq!(location(&r), format!("/staff/supervision?dep={zrzy}"));
    let (_, page) = text(&supervisor, &format!("{base}/staff/supervision?dep={zrzy}")).await;
    assert!(page.contains("审计链完整") || page.contains("正常"), "the result is shown");

    // statistics: the page, CSV and XLSX; a range they cannot cover is a 400 with the reason
    for q in ["from=262142-01-01", "from=2019-01-01&to=2026-01-01", "from=2026-05-01&to=2026-04-01"] {
        let (status, page) = text(&supervisor, &format!("{base}/staff/stats?{q}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{q}");
        assert!(page.contains("日期") || page.contains("5 年"), "{q}: the reason is shown");
        let r = supervisor.get(format!("{base}/staff/stats.csv?{q}")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{q}");
    }
    let (status, page) = text(&supervisor, &format!("{base}/staff/stats?by=item&from=2026-01-01&to=2026-12-31")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<svg") && page.contains("按时办结率"), "chart and table");
    let r = supervisor
        .get(format!("{base}/staff/stats.csv?by=department&from=2026-01-01&to=2026-12-31"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-disposition"].to_str().unwrap().contains(".csv"));
    let csv = r.text().await.unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "部门,收件数,不予受理数,办结数,按时办结率,提前办结率,当日办结率,平均用时（工作日）,送达数,按时送达率"
    );
    let total: u64 = lines.last().unwrap().split(',').nth(1).unwrap().parse().unwrap();
    let submitted = case::Entity::find().filter(case::Column::SubmittedAt.is_not_null()).all(db).await.unwrap();
    let supervised: Vec<i32> = app::server::entities::staff_role::Entity::find()
        .filter(app::server::entities::staff_role::Column::StaffId.eq(staff_id(app, "supervisor").await))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.department_id)
        .collect();
    // received this year: submitted on a day of 2026 (suites that move the case engine's day to
    // an earlier year stamp their submissions with that day)
    let this_year =
        |t: chrono::DateTime<chrono::Utc>| chrono::Datelike::year(&(t + chrono::Duration::hours(8))) == 2026;
    let expected = submitted
        .iter()
        .filter(|c| supervised.contains(&c.department_id) && c.submitted_at.is_some_and(this_year))
        .count() as u64;
    assert_eq!(total, expected, "every case received this year in the supervisor's departments");
    decided_statistics(app, &supervised).await;
    let r = supervisor.get(format!("{base}/staff/stats.xlsx?by=month")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(&r.bytes().await.unwrap()[..2], b"PK");
    // an applicant gets nothing
    let r = browser(base).get(format!("{base}/staff/stats.csv")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // Who is calling is never taken from another request: plain endpoints interleaved with
    // anonymous page renders (which remember their caller for the render) all see their own
    // caller. (The render's context once leaked into a form post on the same worker thread,
    // and a signed-in clerk was sent to the login page.)
    let anon = browser(base);
    let rounds = (0..120).map(|i| {
        let (anon, supervisor) = (anon.clone(), supervisor.clone());
        let url = format!("{base}/staff/stats.csv?by=month&from=2026-01-01&to=2026-12-31&n={i}");
        let page = format!("{base}/staff/supervision?n={i}");
        async move {
            let (mine, theirs) =
                futures::join!(supervisor.get(url).send(), anon.get(page).header("accept", "text/html").send());
            (mine.unwrap().status(), theirs.unwrap().status())
        }
    });
    for (mine, theirs) in futures::future::join_all(rounds).await {
        assert_eq!(mine, StatusCode::OK, "the supervisor's own export");
        assert!(theirs.is_redirection(), "the anonymous render goes to the login: {theirs}");
    }
}

/// The first-inquiry desk: log (errors next to their fields, values kept), search, and turn a
/// consultation into a counter application in one step.
pub async fn inquiry_suite(app: &App) {
    let base = &app.base;
    let db = &app.state.db;
    let clerk = staff_login(base, "clerk").await;
    let url = format!("{base}/staff/inquiries");
    let log = format!("{base}/api/inquiry_log");
    let r = post_form(
        &clerk,
        &log,
        &[
            ("asker_name", ""),
            ("id_number", "123"),
            ("item", "ZRZY-004"),
            ("question", "宅基地要带什么材料？"),
            ("answer", ""),
        ],
    )
    .await;
    let f = flash_of(&r).unwrap();
    for field in ["asker_name", "id_number", "answer"] {
        assert!(f.errors.contains_key(field), "{field}: {f:?}");
    }
    assert_eq!(f.values["question"], "宅基地要带什么材料？", "typed values are kept");
    let r = post_form(
        &clerk,
        &log,
        &[
            ("asker_name", "张三"),
            ("asker_contact", "13800000000"),
            ("id_number", "11010519491231002X"),
            ("item", "ZRZY-004"),
            ("question", "办理需要多长时间？"),
            ("answer", "法定 20 个工作日，承诺 10 个工作日。"),
            ("referral", ""),
        ],
    )
    .await;
    assert_eq!(location(&r), "/staff/inquiries");
    let (_, page) = text(&clerk, &format!("{url}?q=多长时间")).await;
    assert!(page.contains("办理需要多长时间") && page.contains("转为窗口申请"), "found by the question");
    let (_, page) = text(&clerk, &format!("{url}?q=没有这个")).await;
    assert!(!page.contains("办理需要多长时间"));
    let rec = app::server::entities::consultation::Entity::find()
        .order_by_desc(app::server::entities::consultation::Column::Id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let (apply_url, rec_id) = (format!("{base}/api/inquiry_apply"), rec.id.to_string());
    let apply = || clerk.post(apply_url.as_str()).form(&[("id", rec_id.as_str())]).send();
    // an account opened online: to the counter's page first, where a clerk checks its holder (S1)
    let r = apply().await.unwrap();
    assert_eq!(location(&r), "/staff/intake?number=11010519491231002X");
    let person = app::server::entities::applicant::Entity::find()
        .filter(app::server::entities::applicant::Column::IdCardNo.eq("11010519491231002X"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let start = [
        ("applicant", person.id.to_string()),
        ("item", "ZRZY-004".to_string()),
        ("number", "11010519491231002X".to_string()),
        ("identity_checked", "on".to_string()),
    ];
    let r = clerk.post(format!("{base}/api/intake_start")).form(&start).send().await.unwrap();
    let started = location(&r);
    assert!(started.starts_with("/applications/"), "{started}");
    let checked = app::server::entities::security_log::Entity::find()
        .filter(app::server::entities::security_log::Column::Event.eq("identity.checked"))
        .filter(app::server::entities::security_log::Column::Target.eq(format!("applicant {}", person.id)))
        .one(db)
        .await
        .unwrap()
        .expect("the check is in the security log");
    assert!(!checked.address.is_empty(), "with the clerk's address");
    // checked: from the desk straight to the same application
    let r = apply().await.unwrap();
    let to = location(&r);
    assert_eq!(to, started);
    let rec = app::server::entities::consultation::Entity::find_by_id(rec.id).one(db).await.unwrap().unwrap();
    assert_eq!(Some(to.trim_start_matches("/applications/").parse::<i32>().unwrap()), rec.case_id);
    let draft = row(app, rec.case_id.unwrap() as i64).await;
    assert_eq!((draft.state.code(), draft.channel.code()), ("draft", "counter"));
    // a reviewer is not at the window
    let reviewer = staff_login(base, "reviewer").await;
    assert_eq!(text(&reviewer, &url).await.0, StatusCode::FORBIDDEN);
}

/// The text of a base64 text/plain e-mail.
fn decoded_body(mail: &str) -> String {
    use base64::Engine;
    let body = mail.split("\r\n\r\n").nth(1).unwrap_or_default();
    let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    String::from_utf8(base64::engine::general_purpose::STANDARD.decode(compact).unwrap_or_default()).unwrap_or_default()
}

/// A small JSON Schema check (the subset the OpenAPI document uses): `$ref`, `type` (one or a
/// list), `required`, `properties`, `items`, `enum`, `allOf`, `format` date / date-time.
fn check(doc: &serde_json::Value, schema: &serde_json::Value, v: &serde_json::Value, at: &str) -> Result<(), String> {
    if let Some(r) = schema.get("$ref").and_then(|r| r.as_str()) {
        let name = r.trim_start_matches("#/components/schemas/");
        return check(doc, &doc["components"]["schemas"][name], v, at);
    }
    if let Some(all) = schema.get("allOf").and_then(|a| a.as_array()) {
        for s in all {
            check(doc, s, v, at)?;
        }
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            serde_json::Value::String(s) => vec![s.as_str()],
            serde_json::Value::Array(a) => a.iter().filter_map(|x| x.as_str()).collect(),
            _ => vec![],
        };
        let ok = types.iter().any(|t| match *t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            "null" => v.is_null(),
            _ => false,
        });
        if !ok {
            return Err(format!("{at}: {v} is not {types:?}"));
        }
    }
    if let (Some(f), Some(s)) = (schema.get("format").and_then(|f| f.as_str()), v.as_str()) {
        let ok = match f {
            "date" => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok(),
            "date-time" => chrono::DateTime::parse_from_rfc3339(s).is_ok(),
            _ => true,
        };
        if !ok {
            return Err(format!("{at}: {s:?} is not a {f}"));
        }
    }
    if let Some(e) = schema.get("enum").and_then(|e| e.as_array()) {
        if !e.contains(v) {
            return Err(format!("{at}: {v} not in {e:?}"));
        }
    }
    if let Some(req) = schema.get("required").and_then(|r| r.as_array()) {
        for k in req.iter().filter_map(|k| k.as_str()) {
            if v.get(k).is_none() {
                return Err(format!("{at}: missing {k}"));
            }
        }
    }
    if let Some(props) = schema.get("properties").and_then(|p| p.as_object()) {
        for (k, s) in props {
            if let Some(x) = v.get(k) {
                check(doc, s, x, &format!("{at}.{k}"))?;
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, x) in arr.iter().enumerate() {
            check(doc, items, x, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

/// The integration API: tokens issued and revoked by an admin, every documented path answering
/// with its documented schema, department scope, pagination, bad parameters, the rate limit.
pub async fn api_suite(app: &App) {
    let base = &app.base;
    let db = &app.state.db;
    let doc: serde_json::Value =
        reqwest::get(format!("{base}/api/v1/openapi.json")).await.unwrap().json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let dep_id = |code: &'static str| async move {
        app::server::entities::department::Entity::find()
            .filter(app::server::entities::department::Column::Code.eq(code))
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .id
    };
    let zrzy = dep_id("ZRZY").await;
    let admin = staff_login(base, "admin").await;
    // bad input next to the field
    let r = post_form(&admin, &format!("{base}/api/issue_token"), &[("name", "")]).await;
    let f = flash_of(&r).unwrap();
    assert!(f.errors.contains_key("name") && f.errors.contains_key("departments"), "{f:?}");
    let issue = |name: &'static str| {
        let admin = admin.clone();
        let url = format!("{base}/api/issue_token");
        async move {
            let r = post_form(&admin, &url, &[("name", name), ("departments[]", &zrzy.to_string())]).await;
            // never in a cookie: the tokens page shows it, once, by a one-time id
            assert!(flash_of(&r).is_none_or(|f| f.notice.is_none_or(|n| !n.contains("tb_"))));
            let to = location(&r);
            assert!(to.starts_with("/staff/admin/tokens?shown="), "{to}");
            let (_, page) = text(&admin, &format!("{base}{to}")).await;
            let shown =
                page.split("data-testid=\"new-token\"").nth(1).unwrap_or_else(|| panic!("no token shown: {page}"));
            // (the text up to the next tag: the render may put a comment marker after it)
            let code = shown.split("<code>").nth(1).unwrap().split('<').next().unwrap().to_string();
            let (_, again) = text(&admin, &format!("{base}{to}")).await;
            assert!(!again.contains(&code), "shown once");
            code
        }
    };
    let token = issue("省政务服务平台").await;
    assert!(token.starts_with("tb_") && token.len() > 40, "{token}");
    let (_, page) = text(&admin, &format!("{base}/staff/admin/tokens")).await;
    assert!(page.contains("省政务服务平台") && !page.contains(&token), "listed; the token itself never shown again");
    let api = |path: String, token: Option<String>| async move {
        let mut r = reqwest::Client::new().get(format!("{base}{path}"));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        let r = r.send().await.unwrap();
        let status = r.status();
        (status, r.json::<serde_json::Value>().await.unwrap_or_default())
    };
    let schema_of = |path: &str, status: &str| {
        doc["paths"][path]["get"]["responses"][status]["content"]["application/json"]["schema"].clone()
    };
    let (status, v) = api("/api/v1/cases".into(), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    check(&doc, &schema_of("/api/v1/cases", "401"), &v, "401").unwrap();
    assert_eq!(api("/api/v1/cases".into(), Some("tb_nonsense".into())).await.0, StatusCode::UNAUTHORIZED);

    // every documented path answers with its schema
    let (_, first) = api("/api/v1/cases?limit=1".into(), Some(token.clone())).await;
    let case_no =
        first["items"][0]["case_no"].as_str().unwrap_or_else(|| panic!("a ZRZY case: {first} {token}")).to_string();
    for (path, url) in [
        ("/api/v1/catalog", "/api/v1/catalog".to_string()),
        ("/api/v1/cases", "/api/v1/cases?limit=5".into()),
        ("/api/v1/cases/{case_no}", format!("/api/v1/cases/{case_no}")),
        ("/api/v1/statistics", "/api/v1/statistics?by=item&from=2026-01-01".into()),
        ("/api/v1/open", "/api/v1/open?q=%E5%85%AC%E7%A4%BA".into()),
    ] {
        let (status, v) = api(url.clone(), Some(token.clone())).await;
        assert_eq!(status, StatusCode::OK, "{url}: {v}");
        check(&doc, &schema_of(path, "200"), &v, &url).unwrap_or_else(|e| panic!("{e}\n{v}"));
    }
    assert_eq!(doc["paths"].as_object().unwrap().len(), 5, "every path is checked above");
    // scope: only ZRZY cases; another department's case is not found
    let (_, all) = api("/api/v1/cases?limit=200".into(), Some(token.clone())).await;
    assert!(all["items"].as_array().unwrap().iter().all(|c| c["department_code"] == "ZRZY"));
    let other = case::Entity::find()
        .filter(case::Column::DepartmentId.ne(zrzy))
        .filter(case::Column::CaseNo.is_not_null())
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let (status, v) = api(format!("/api/v1/cases/{}", other.case_no.unwrap()), Some(token.clone())).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    check(&doc, &schema_of("/api/v1/cases/{case_no}", "404"), &v, "404").unwrap();
    // keyset pages do not overlap
    let (_, p1) = api("/api/v1/cases?limit=2".into(), Some(token.clone())).await;
    let after = p1["next_after"].as_i64().expect("more than two ZRZY cases");
    let (_, p2) = api(format!("/api/v1/cases?limit=2&after={after}"), Some(token.clone())).await;
    assert_ne!(p1["items"][0]["case_no"], p2["items"][0]["case_no"]);
    // bad parameters
    for url in [
        "/api/v1/cases?limit=0",
        "/api/v1/cases?state=nonsense",
        "/api/v1/statistics?by=year",
        "/api/v1/statistics?from=yesterday",
        // a year the calendar does not know once dropped the connection; more than five years
        "/api/v1/statistics?from=262142-01-01",
        "/api/v1/statistics?from=2019-01-01&to=2026-01-01",
    ] {
        let (status, v) = api(url.into(), Some(token.clone())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{url}");
        check(&doc, &doc["components"]["schemas"]["Error"], &v, url).unwrap();
    }
    // revoked → refused
    let t = app::server::entities::api_token::Entity::find()
        .order_by_desc(app::server::entities::api_token::Column::Id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(t.last_used_at.is_some(), "use is recorded");
    let r = post_form(&admin, &format!("{base}/api/revoke_token"), &[("id", t.id.to_string().as_str())]).await;
    assert_eq!(location(&r), "/staff/admin/tokens");
    assert_eq!(api("/api/v1/catalog".into(), Some(token)).await.0, StatusCode::UNAUTHORIZED);
    // a non-admin cannot issue
    let supervisor = staff_login(base, "supervisor").await;
    let r = post_form(
        &supervisor,
        &format!("{base}/api/issue_token"),
        &[("name", "x"), ("departments[]", &zrzy.to_string())],
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // the rate limit
    let fresh = issue("限流测试").await;
    let mut limited = None;
    for i in 0..=2 * app::server::api_v1::RATE_PER_MINUTE + 5 {
        let (status, v) = api("/api/v1/catalog".into(), Some(fresh.clone())).await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            check(&doc, &schema_of("/api/v1/catalog", "429"), &v, "429").unwrap();
            limited = Some(i);
            break;
        }
    }
    let at = limited.expect("limited");
    // the limit-th request of a minute still passes (a new minute may have begun during the loop)
    assert!(at >= app::server::api_v1::RATE_PER_MINUTE, "{at}");
}

/// Administration: the holiday calendar (a day, an import), templates, an item's new version with
/// its preview, and staff accounts — errors next to their fields, values kept.
pub async fn admin_suite(app: &App) {
    let base = &app.base;
    let db = &app.state.db;
    let admin = staff_login(base, "admin").await;
    let act = |fields: Vec<(&'static str, String)>| {
        let admin = admin.clone();
        let url = format!("{base}/api/admin_act");
        async move { admin.post(url).form(&fields).send().await.unwrap() }
    };
    let s = |v: &str| v.to_string();
    // a day off added, refused on a weekday as a make-up day, back to normal
    let monday = d("2026-12-28");
    assert!(app.state.calendar().is_working_day(monday));
    let r = act(vec![
        ("action", s("calendar_day")),
        ("date", s("2026-12-28")),
        ("kind", s("workday")),
        ("name", s("调休")),
        ("back", s("/staff/admin/calendar?year=2026")),
    ])
    .await;
    let f = flash_of(&r).unwrap();
    assert!(f.errors["kind"].contains("周末"), "{f:?}");
    assert_eq!(location(&r), "/staff/admin/calendar?year=2026");
    let r = act(vec![
        ("action", s("calendar_day")),
        ("date", s("2026-12-28")),
        ("kind", s("holiday")),
        ("name", s("测试假日")),
    ])
    .await;
    assert_eq!(location(&r), "/staff/admin/calendar?year=2026");
    assert!(!app.state.calendar().is_working_day(monday), "the running calendar follows at once");
    let (_, page) = text(&admin, &format!("{base}/staff/admin/calendar?year=2026")).await;
    assert!(page.contains("测试假日"));
    act(vec![("action", s("calendar_day")), ("date", s("2026-12-28")), ("kind", s("normal")), ("name", s(""))]).await;
    assert!(app.state.calendar().is_working_day(monday));
    // a year's schedule imported; a broken one names its line
    let r = act(vec![
        ("action", s("calendar_import")),
        ("schedule", s("year 2027\nholiday 2027-01-01 元旦\nholiday 2027-02-30 春节\n")),
    ])
    .await;
    let f = flash_of(&r).unwrap();
    assert!(f.errors["schedule"].contains("line 3"), "{f:?}");
    assert!(f.values["schedule"].contains("2027-02-30"), "the text is kept");
    let r = act(vec![
        ("action", s("calendar_import")),
        ("schedule", s("year 2027\nholiday 2027-01-01..2027-01-03 元旦\nworkday 2027-01-09 调休上班\n")),
    ])
    .await;
    assert_eq!(location(&r), "/staff/admin/calendar?year=2027");
    let cal = app.state.calendar();
    assert!(cal.knows_year(2027) && !cal.is_working_day(d("2027-01-01")) && cal.is_working_day(d("2027-01-09")));

    // a template with an unknown placeholder is refused; a good one is used by the dispatcher
    let r = act(vec![
        ("action", s("template")),
        ("kind", s("*")),
        ("lang", s("zh-Hans")),
        ("subject", s("【通办】{case_no}")),
        ("body", s("您的办件 {case} 有新进展")),
        ("back", s("/staff/admin/templates")),
    ])
    .await;
    assert!(flash_of(&r).unwrap().errors["body_*-zh-Hans"].contains("{case}"));
    let r = act(vec![
        ("action", s("template")),
        ("kind", s("*")),
        ("lang", s("zh-Hans")),
        ("subject", s("【通办】{case_no}")),
        ("body", s("办件 {case_no} 有新进展：{event}。")),
    ])
    .await;
    assert_eq!(location(&r), "/staff/admin/templates");
    let t = app::server::entities::template::Entity::find_by_id(("*".to_string(), "zh-Hans".to_string()))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(t.body, "办件 {case_no} 有新进展：{event}。");
    // a template of its own for one kind of notice: an unknown kind is refused next to its field;
    // the dispatcher uses it for that kind only, and after removal the general one again
    let new_one = |kind: &'static str| {
        vec![
            ("action", s("template")),
            ("new", s("1")),
            ("kind", s(kind)),
            ("lang", s("zh-Hant")),
            ("subject", s("【通辦】{case_no} 已受理")),
            ("body", s("您的辦件 {case_no} 已受理，請於 {due_on} 前留意結果。")),
            ("back", s("/staff/admin/templates")),
        ]
    };
    let r = act(new_one("hack")).await;
    let f = flash_of(&r).unwrap();
    assert!(f.errors["kind_new"].contains("请选择通知类型"), "{f:?}");
    assert_eq!(f.values["body"], "您的辦件 {case_no} 已受理，請於 {due_on} 前留意結果。", "kept");
    let r = act(new_one("accept")).await;
    assert_eq!(location(&r), "/staff/admin/templates");
    let (_, page) = text(&admin, &format!("{base}/staff/admin/templates")).await;
    assert!(page.contains("value=\"【通辦】{case_no} 已受理\""), "listed with the others");
    let hant = rules::Lang::ZhHant;
    assert_eq!(
        notify::wording(db, rules::EventKind::parse("accept").unwrap(), hant).await.unwrap().0,
        "【通辦】{case_no} 已受理"
    );
    assert_ne!(
        notify::wording(db, rules::EventKind::parse("resume").unwrap(), hant).await.unwrap().0,
        "【通辦】{case_no} 已受理"
    );
    let r = act(vec![
        ("action", s("template_remove")),
        ("kind", s("accept")),
        ("lang", s("zh-Hant")),
        ("back", s("/staff/admin/templates")),
    ])
    .await;
    assert_eq!(location(&r), "/staff/admin/templates");
    assert_eq!(
        notify::wording(db, rules::EventKind::parse("accept").unwrap(), hant).await.unwrap(),
        notify::wording(db, rules::EventKind::parse("resume").unwrap(), hant).await.unwrap()
    );

    // an item: the preview follows the answers; a new version; bad rule data keeps the text
    let (_, page) = text(&admin, &format!("{base}/staff/admin/items/ZRZY-004?q_via_agent=yes")).await;
    assert!(page.contains("授权委托书"), "the agent's authorisation appears for an agent");
    let (_, page) = text(&admin, &format!("{base}/staff/admin/items/ZRZY-004?q_via_agent=no")).await;
    assert!(!page.contains("授权委托书及受托人身份证明 — "), "and not otherwise");
    let before = newest_item(db, "ZRZY-004").await;
    let submitted = case::Entity::find()
        .filter(case::Column::ItemId.eq(before.id))
        .filter(case::Column::State.ne("draft"))
        .one(db)
        .await
        .unwrap()
        .expect("a case on this version");
    let r = act(vec![
        ("action", s("item")),
        ("code", s("ZRZY-004")),
        ("name", s("临时用地审批")),
        ("summary", s("")),
        ("rules", s("{ not json")),
        ("back", s("/staff/admin/items/ZRZY-004")),
    ])
    .await;
    let f = flash_of(&r).unwrap();
    assert!(f.errors["rules"].contains("规则数据有误"), "{f:?}");
    assert_eq!(f.values["rules"], "{ not json");
    let mut rules: rules::item::ItemRules = before.rules.clone();
    rules.warning_days = 3;
    let r = act(vec![
        ("action", s("item")),
        ("code", s("ZRZY-004")),
        ("name", s(&format!("{}（修订）", before.name))),
        ("summary", s(&before.summary)),
        ("rules", serde_json::to_string(&rules).unwrap()),
        ("published", s("on")),
    ])
    .await;
    assert_eq!(location(&r), "/staff/admin/items/ZRZY-004");
    let after = newest_item(db, "ZRZY-004").await;
    assert_eq!(after.version, before.version + 1);
    assert!(after.name.ends_with("（修订）"));
    let kept = case::Entity::find_by_id(submitted.id).one(db).await.unwrap().unwrap();
    assert_eq!((kept.item_id, kept.item_version), (before.id, before.version), "a submitted case keeps its version");

    // 审批结果公示 is a switch of its own, not a key in the rule data; unticked, it is off
    assert!(!after.rules.publish_results);
    let the_box = |page: &str| {
        let at = page.find("id=\"item-publish-results\"").expect("the switch");
        let from = page[..at].rfind('<').unwrap();
        page[from..from + page[from..].find('>').unwrap()].to_string()
    };
    let (_, page) = text(&admin, &format!("{base}/staff/admin/items/ZRZY-004")).await;
    assert!(!the_box(&page).contains("checked") && !page.contains("publish_results&quot;"), "{}", the_box(&page));
    let mut rules_text = serde_json::to_value(&rules).unwrap();
    rules_text.as_object_mut().unwrap().remove("publish_results");
    let r = act(vec![
        ("action", s("item")),
        ("code", s("ZRZY-004")),
        ("name", s(&after.name)),
        ("summary", s(&after.summary)),
        ("rules", rules_text.to_string()),
        ("published", s("on")),
        ("publish_results", s("on")),
    ])
    .await;
    assert_eq!(location(&r), "/staff/admin/items/ZRZY-004");
    let switched = newest_item(db, "ZRZY-004").await;
    assert!(switched.version == after.version + 1 && switched.rules.publish_results, "ticked: decisions published");
    let (_, page) = text(&admin, &format!("{base}/staff/admin/items/ZRZY-004")).await;
    assert!(the_box(&page).contains("checked"), "{}", the_box(&page));

    // staff accounts: a weak password is refused next to its field; create, disable, reset
    let zrzy = app::server::entities::department::Entity::find()
        .filter(app::server::entities::department::Column::Code.eq("ZRZY"))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let r = act(vec![
        ("action", s("staff")),
        ("username", s("newclerk")),
        ("name", s("新同事")),
        ("password", s("short")),
        ("role", s("window_clerk")),
        ("department", zrzy.to_string()),
    ])
    .await;
    let f = flash_of(&r).unwrap();
    assert!(
        f.errors.contains_key("password") && f.values["username"] == "newclerk" && !f.values.contains_key("password"),
        "{f:?}"
    );
    let pw = "新同事的长密码-Tongban-2026";
    let r = act(vec![
        ("action", s("staff")),
        ("username", s("newclerk")),
        ("name", s("新同事")),
        ("password", s(pw)),
        ("role", s("window_clerk")),
        ("department", zrzy.to_string()),
    ])
    .await;
    assert_eq!(location(&r), "/staff/admin");
    let login = |pw: &'static str| async move {
        let c = browser(base);
        let r = post_form(&c, &format!("{base}/api/staff_login"), &[("username", "newclerk"), ("password", pw)]).await;
        location(&r)
    };
    // the admin knows this password: the first sign-in goes to choosing one's own
    assert_eq!(login(pw).await, "/staff/password?next=/staff");
    let id = staff::Entity::find().filter(staff::Column::Username.eq("newclerk")).one(db).await.unwrap().unwrap().id;
    act(vec![("action", s("staff_active")), ("id", id.to_string()), ("active", s("false"))]).await;
    assert_eq!(login(pw).await, "/staff/login", "a disabled account cannot log in");
    act(vec![("action", s("staff_active")), ("id", id.to_string()), ("active", s("true"))]).await;
    let pw2 = "重置后的新密码-Tongban-2026";
    let r = act(vec![("action", s("staff_password")), ("id", id.to_string()), ("password", s(pw2))]).await;
    assert_eq!(location(&r), "/staff/admin");
    assert_eq!(login(pw2).await, "/staff/password?next=/staff", "a reset password too");
    // only admins
    let supervisor = staff_login(base, "supervisor").await;
    let r = supervisor
        .post(format!("{base}/api/admin_act"))
        .form(&[("action", "department"), ("code", "XX"), ("name", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(text(&supervisor, &format!("{base}/staff/admin")).await.0, StatusCode::FORBIDDEN);
}

/// The decided cases' figures are the verdicts kept when each case was decided, summed by the
/// database: they must equal a judgement from first principles (the day of the first `decide`
/// or `file` event, the item's limit from the acceptance (a filing's: from its receipt) with the extension and the suspensions before the
/// decision, `rules::deadline`), payment and delivery not counted; refusals of acceptance are
/// counted as such; and cases decided before verdicts were kept are judged at start-up to the
/// same figures.
async fn decided_statistics(app: &App, supervised: &[i32]) {
    use app::server::entities::item;
    use app::server::supervision::statistics_for;
    let db = &app.state.db;
    let cal = app.state.calendar();
    let (from, to) = (d("2026-01-01"), d("2026-12-31"));
    let cases =
        case::Entity::find().filter(case::Column::DepartmentId.is_in(supervised.to_vec())).all(db).await.unwrap();
    let (mut oracle, mut refused, mut delivered, mut filings) = (vec![], 0u64, 0u64, 0u64);
    for c in &cases {
        let events = app::server::cases::events(db, c.id, false).await.unwrap();
        if c.state.code() == "not_accepted" {
            let day = events.iter().rev().find(|e| e.to_state.code() == "not_accepted").expect("a refusal").on_day;
            assert_eq!(c.decided_on, Some(day), "case {} keeps the day it was refused", c.id);
            refused += u64::from((from..=to).contains(&day));
            continue;
        }
        if events.iter().any(|e| e.action.code() == "deliver" && (from..=to).contains(&e.on_day)) {
            delivered += 1;
        }
        // (a filing is concluded, `file`, from its receipt: it has no acceptance)
        let Some(day) =
            events.iter().find(|e| e.action.code() == "decide" || e.action.code() == "file").map(|e| e.on_day)
        else {
            continue;
        };
        let accepted =
            c.accepted_on.or(c.received_on.filter(|_| c.accepted_on.is_none())).expect("accepted, or a filing");
        assert_eq!(c.decided_on, Some(day), "case {} keeps the day of its decision", c.id);
        let before: Vec<_> = events.iter().filter(|e| e.on_day <= day).cloned().collect();
        let susp = app::server::cases::suspensions_from(&before);
        let it = item::Entity::find_by_id(c.item_id).one(db).await.unwrap().unwrap();
        let limit = it.rules.decision_limit();
        let extra = app::server::cases::extension_days(&before);
        let limit = rules::deadline::TimeLimit { amount: limit.amount + extra, ..limit };
        let due = rules::deadline::due_date(&cal, accepted, limit, &susp, day).unwrap();
        assert_eq!(c.decision_due, Some(due), "case {}: the decision's due date", c.id);
        let used =
            rules::deadline::days_used(&cal, accepted, day, rules::deadline::LimitUnit::WorkingDays, &susp).unwrap();
        if (from..=to).contains(&day) {
            filings += u64::from(c.accepted_on.is_none());
            oracle.push(rules::deadline::DecidedCase { accepted, due, decided: day, working_days_used: used });
        }
    }
    assert!(!oracle.is_empty(), "the suites decided cases in the supervisor's departments");
    assert!(refused > 0, "the suites refused cases in the supervisor's departments");
    let want = rules::deadline::stats(&oracle);
    let got = statistics_for(db, supervised.to_vec(), "month", from, to, None).await.unwrap();
    assert_eq!(got.total.closed, want.closed as u64);
    assert_eq!(got.total.not_accepted, refused);
    assert_eq!(got.total.delivered, delivered);
    assert_eq!(
        (got.total.on_time_rate, got.total.early_rate, got.total.same_day_rate, got.total.avg_working_days),
        (want.on_time_rate, want.early_rate, want.same_day_rate, want.avg_working_days_used)
    );
    let by_item = statistics_for(db, supervised.to_vec(), "item", from, to, None).await.unwrap();
    assert_eq!(by_item.rows.iter().map(|r| r.closed).sum::<u64>(), want.closed as u64, "rows add up to the total");

    // As if they had been decided before verdicts were kept on the decision (migration 9):
    // forgotten, then judged again at start-up. (Filings, concluded from their receipt, came
    // after: each was judged when concluded.)
    use sea_orm::sea_query::Expr;
    let forgotten = case::Entity::update_many()
        .col_expr(case::Column::DecisionDue, Expr::value(Option::<chrono::NaiveDate>::None))
        .col_expr(case::Column::DaysUsed, Expr::value(Option::<i32>::None))
        .col_expr(case::Column::ClosedOnTime, Expr::value(false))
        .col_expr(case::Column::ClosedEarly, Expr::value(false))
        .col_expr(case::Column::ClosedSameDay, Expr::value(false))
        .filter(case::Column::DecidedOn.is_not_null())
        .filter(case::Column::AcceptedOn.is_not_null())
        .exec(db)
        .await
        .unwrap()
        .rows_affected;
    assert!(forgotten >= oracle.len() as u64 - filings);
    let none = statistics_for(db, supervised.to_vec(), "month", from, to, None).await.unwrap();
    assert_eq!(none.total.closed, filings, "unjudged cases are not counted as judged");
    let judged = app::server::cases::judge_decided(db, &cal).await.unwrap();
    assert_eq!(judged, forgotten);
    assert_eq!(app::server::cases::judge_decided(db, &cal).await.unwrap(), 0, "once");
    let again = statistics_for(db, supervised.to_vec(), "month", from, to, None).await.unwrap();
    assert_eq!(again.total, got.total);
    assert_eq!(again.rows, got.rows);
}
