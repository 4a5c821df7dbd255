//! A case forwarded to the higher authority (上报, issue F, item 11) waits in its own state for the
//! higher authority's answer, on no clock of the department's, with nothing to deliver; the
//! lead department's approver records the answer, a grant (its result document issued) or a
//! denial (its written decision), and the case then runs the terms of that decision from the day
//! it is recorded, to delivery. The department itself is judged on the day it forwarded.

use super::*;
use app::server::cases::{self, Actor};
use app::server::entities::{case, staff};
use app::server::scheduler;
use rules::case::Action;
use rules::deadline;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

pub async fn forwarding_suite(app: &App) {
    let base = &app.base;
    let db = &app.state.db;
    let cal = app.state.calendar();
    let start = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    app.state.clock.set_day(start);
    let person = new_person(base, "吴上报", "33010219820202678", "13900000680").await;
    let staff_id = |name: &'static str| async move {
        staff::Entity::find().filter(staff::Column::Username.eq(name)).one(db).await.unwrap().unwrap().id
    };
    let actor = |id: i32, role: rules::Role| Actor { kind: app::server::auth::PrincipalKind::Staff, id, role };
    let clerk_actor = actor(staff_id("clerk").await, rules::Role::WindowClerk);
    let reviewer_actor = actor(staff_id("reviewer").await, rules::Role::Reviewer);
    let clerk = staff_login(base, "clerk").await;
    let approver = staff_login(base, "approver").await;
    let actions = |v: serde_json::Value| -> Vec<String> {
        v["actions"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string()).collect()
    };

    // Two cases, forwarded the day they are accepted.
    let mut forwarded = Vec::new();
    for _ in 0..2 {
        let id = fill_and_submit(&person, base, "ZRZY-005", &[("via_agent", "no")]).await;
        let mut row = case::Entity::find_by_id(id as i32).one(db).await.unwrap().unwrap();
        let provided = provided_materials(db, row.id).await;
        for (action, who) in [(Action::Accept, clerk_actor), (Action::StartReview, reviewer_actor)] {
            row = cases::apply(db, &cal, change_of(&row, action, who, "", start, &provided)).await.unwrap();
        }
        act_ok(&approver, base, id, &[("action", "decide_forward"), ("reason", "需报市自然资源局审批")]).await;
        forwarded.push(id);
    }
    let row = |id: i64| async move { case::Entity::find_by_id(id as i32).one(db).await.unwrap().unwrap() };
    let (a, b) = (forwarded[0], forwarded[1]);
    let c = row(a).await;
    assert_eq!((c.state.code(), c.due_on, c.decided_on), ("decided_forward", None, Some(start)));
    assert!(c.closed_on_time, "judged on the day it forwarded");

    // Waiting: nothing to deliver, no clock of the department's, the answer is the approver's.
    let (_, v) = staff_view(&clerk, base, a).await;
    let window = actions(v);
    assert!(
        !window.iter().any(|a| a == "prepare_delivery" || a.starts_with("record_higher")),
        "the window has nothing to deliver yet: {window:?}"
    );
    let (_, v) = staff_view(&approver, base, a).await;
    assert_eq!(actions(v), ["record_higher_grant", "record_higher_deny"]);
    let r = act(&clerk, base, a, &[("action", "prepare_delivery")]).await;
    assert_eq!(row(a).await.version, c.version, "a forwarded case is not delivered: {:?}", flash_of(&r));
    let r = act(&clerk, base, a, &[("action", "record_higher_grant"), ("reason", "市自然资源局批复")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "the window does not record the answer");
    let (_, page) = text(&person, &format!("{base}/cases/{a}")).await;
    assert!(page.contains("等待上级机关决定"), "the applicant sees who has the case");
    // Weeks pass: the higher authority's time is not the department's delay.
    let answered = cal.nth_working_day_after(start, 25).unwrap();
    for day in [cal.nth_working_day_after(start, 11).unwrap(), answered] {
        app.state.clock.set_day(day);
        scheduler::sweep(db, &cal, day).await.unwrap();
    }
    assert_eq!(super::clocks::records(db, a as i32).await, vec![]);

    // The grant: its reply's reference is required; then the result document, the delivery term
    // from the day it is recorded, and the delivery.
    let e = act_refused(&approver, base, a, &[("action", "record_higher_grant"), ("reason", " ")], "reason").await;
    assert!(e.contains("批复文号"), "{e}");
    act_ok(&approver, base, a, &[("action", "record_higher_grant"), ("reason", "市自然资源局批复〔2026〕12号")]).await;
    let c = row(a).await;
    let delivery_due = deadline::delivery_after_decision_due(&cal, answered).unwrap();
    assert_eq!(
        (c.state.code(), c.due_on, c.due_for.map(|t| t.code()), c.decided_on),
        ("decided_grant", Some(delivery_due), Some("delivery"), Some(start))
    );
    let results = app::server::cases::documents::results_of(db, c.id).await.unwrap();
    assert_eq!(results.len(), 1, "the result document is issued");
    act_ok(&clerk, base, a, &[("action", "prepare_delivery")]).await;
    act_ok(&clerk, base, a, &[("action", "deliver"), ("method", "counter")]).await;
    assert_eq!(row(a).await.state.code(), "delivered");
    assert!(!row(a).await.delivered_late);

    // The denial: its reason and basis are printed with the remedies.
    act_refused(&approver, base, b, &[("action", "record_higher_deny"), ("reason", "不符合规划")], "legal_basis").await;
    act_ok(
        &approver,
        base,
        b,
        &[
            ("action", "record_higher_deny"),
            ("reason", "不符合土地利用总体规划"),
            ("legal_basis", "《土地管理法》第五十二条"),
        ],
    )
    .await;
    let c = row(b).await;
    assert_eq!((c.state.code(), c.due_on), ("decided_deny", Some(delivery_due)));
    let r = person.get(format!("{base}/notices/{b}/refusal.pdf")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let decision = app::server::receipt::text_lines(&r.bytes().await.unwrap()).join("\n");
    assert!(
        decision.contains("不予行政许可决定书")
            && decision.contains("不符合土地利用总体规划")
            && decision.contains("第五十二条")
            && decision.contains("行政复议"),
        "{decision}"
    );
    app.state.clock.reset();
}
