//! Filings (备案, issue F, item 5), with the app's clock moved across the National Day holiday:
//! a filing is concluded by the working day after its materials are received, not after an
//! acceptance; it knows only 予以备案 and 不予备案, and a refusal to file carries the one-time
//! list of everything to correct [001 重庆 2.备案项目]. Before, a filing was accepted, could get
//! a correction notice, and its clock ran from the acceptance.

use super::*;
use app::server::entities::case;
use app::server::scheduler;
use sea_orm::EntityTrait;

pub async fn filings_suite(app: &App) {
    let base = &app.base;
    let db = &app.state.db;
    let cal = app.state.calendar();
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    // Wednesday 09-30, the last working day before the holiday (10-01..10-07 off).
    app.state.clock.set_day(d("2026-09-30"));
    let person = new_person(base, "郑备案", "33010219830303789", "13900000681").await;
    let clerk = staff_login(base, "clerk").await;
    let row = |id: i64| async move { case::Entity::find_by_id(id as i32).one(db).await.unwrap().unwrap() };
    let actions = |v: serde_json::Value| -> Vec<String> {
        v["actions"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string()).collect()
    };

    // Received on 09-30: to be concluded by the next working day, 10-08, on the department's
    // clock from the receipt.
    let a = fill_and_submit(&person, base, "ZRZY-004", &[("via_agent", "no")]).await;
    let c = row(a).await;
    assert_eq!(
        (c.state.code(), c.due_on, c.due_for.map(|t| t.code())),
        ("submitted", Some(d("2026-10-08")), Some("decision"))
    );
    let (_, page) = text(&person, &format!("{base}/cases/{a}")).await;
    assert!(page.contains("是否予以备案"), "the applicant is told what comes, not an acceptance");
    assert!(page.contains("已提交，待备案") && !page.contains("待受理"), "its state reads as a filing's");
    // Only the two conclusions: no acceptance, no correction notice, no refusal of acceptance.
    let (_, v) = staff_view(&clerk, base, a).await;
    assert_eq!(actions(v), ["file_grant", "file_deny"]);
    let r = act(&clerk, base, a, &[("action", "request_correction"), ("note_report", "缺页")]).await;
    let f = flash_of(&r).expect("refused with a message");
    assert!(f.errors.values().any(|m| m.contains("予以备案或不予备案")), "{:?}", f.errors);
    let r = act(&clerk, base, a, &[("action", "accept")]).await;
    assert!(flash_of(&r).is_some_and(|f| !f.errors.is_empty()), "no acceptance of a filing");
    assert_eq!(row(a).await.version, c.version, "nothing moved");

    // Its last day: nothing; the day after: late, of the decision; never accepted by law.
    for day in ["2026-10-08", "2026-10-09", "2026-10-20"] {
        scheduler::sweep(db, &cal, d(day)).await.unwrap();
    }
    let c = row(a).await;
    assert_eq!((c.state.code(), c.deemed_accepted_on), ("submitted", None), "a filing has no acceptance");
    assert_eq!(super::clocks::records(db, a as i32).await, vec![("decision_overdue".to_string(), d("2026-10-08"))]);

    // 予以备案, late: judged against the term from the receipt; its notice is issued.
    app.state.clock.set_day(d("2026-10-20"));
    act_ok(&clerk, base, a, &[("action", "file_grant")]).await;
    let c = row(a).await;
    assert_eq!(
        (c.state.code(), c.decided_on, c.decision_due),
        ("decided_grant", Some(d("2026-10-20")), Some(d("2026-10-08")))
    );
    assert!(!c.closed_on_time, "concluded after its term");
    let used = rules::deadline::days_used(
        &cal,
        d("2026-09-30"),
        d("2026-10-20"),
        rules::deadline::LimitUnit::WorkingDays,
        &[],
    )
    .unwrap();
    assert_eq!(c.days_used, Some(used as i32), "counted from the receipt");
    let results = app::server::cases::documents::results_of(db, c.id).await.unwrap();
    assert_eq!(results.iter().map(|r| r.title.as_str()).collect::<Vec<_>>(), ["备案通知书"]);
    // filed, not granted (准予 is a licence's word), on the applicant's page and the clerk's
    let (_, page) = text(&person, &format!("{base}/cases/{a}")).await;
    assert!(page.contains("予以备案") && !page.contains("准予"), "the applicant's page");
    let (_, page) = text(&clerk, &format!("{base}/staff/cases/{a}")).await;
    let tag = page.split(r#"data-testid="staff-state""#).nth(1).and_then(|t| t.split("</span>").next()).unwrap_or("");
    assert!(tag.contains(">予以备案"), "the clerk's page: {tag}");

    // 不予备案: only with the list of what is wrong, printed with the remedies.
    let b = fill_and_submit(&person, base, "ZRZY-004", &[("via_agent", "no")]).await;
    let e = act_refused(&clerk, base, b, &[("action", "file_deny")], "_form").await;
    assert!(e.contains("没有需要补正的内容"), "{e}");
    act_ok(
        &clerk,
        base,
        b,
        &[
            ("action", "file_deny"),
            ("note_report", "评估报告未加盖评估单位公章"),
            ("note_expert_opinion", "专家审查意见缺少专家签名"),
        ],
    )
    .await;
    let c = row(b).await;
    assert_eq!((c.state.code(), c.decided_on), ("decided_deny", Some(d("2026-10-20"))));
    assert!(c.closed_same_day, "concluded the day it was received");
    let r = person.get(format!("{base}/notices/{b}/refusal.pdf")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let lines = app::server::receipt::text_lines(&r.bytes().await.unwrap());
    insta::assert_snapshot!("refusal_filing", redacted(&lines, base));

    // A filing received by an older version waits on the acceptance term a filing does not have:
    // the sweep does not deem it accepted (the rules refuse) but puts it on its own term, once,
    // and holds the late conclusion to account.
    app.state.clock.set_day(d("2026-10-21"));
    let old = fill_and_submit(&person, base, "ZRZY-004", &[("via_agent", "no")]).await;
    let received = d("2026-10-21");
    let window = rules::deadline::acceptance_window_end(&cal, received).unwrap();
    let mut am: case::ActiveModel = row(old).await.into();
    am.due_on = sea_orm::Set(Some(window));
    am.due_for = sea_orm::Set(Some(rules::supervision::Term::Acceptance));
    sea_orm::ActiveModelTrait::update(am, db).await.unwrap();
    let late = window.succ_opt().unwrap();
    let r = scheduler::sweep(db, &cal, late).await.unwrap();
    assert_eq!(r.failed, 0, "{r:?}");
    let c = row(old).await;
    let due = cal.nth_working_day_after(received, 1).unwrap();
    assert_eq!((c.state.code(), c.due_for.map(|t| t.code()), c.due_on), ("submitted", Some("decision"), Some(due)));
    // (the same morning's range statement, run beside the reading, had already recorded the old
    // term it carried: that record stays, as every record does)
    assert_eq!(
        super::clocks::records(db, old as i32).await,
        vec![("acceptance_overdue".to_string(), window), ("decision_overdue".to_string(), due)]
    );
    let r = scheduler::sweep(db, &cal, late).await.unwrap();
    assert_eq!(r.failed, 0, "once: {r:?}");
    app.state.clock.reset();
}
