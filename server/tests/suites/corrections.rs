//! An unanswered correction (issue F, item 8), with the app's clock moved across the National
//! Day holiday: the scheduler does not refuse it, it proposes the refusal of acceptance; the
//! head (an approver) approves it [001 第九条: 从补正期限届满之日起2日内 … 报请负责人批准, 制作
//! 不予受理决定书]. Until then the case runs the department's clock of those 2 working days, with
//! its light and, once they pass, its record; the applicant can no longer correct, the window
//! cannot refuse on its own, and the decision printed says why, on what basis, and the remedies.

use super::*;
use app::server::entities::{case, case_event, notification};
use app::server::scheduler;
use rules::deadline;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

pub async fn expired_correction_suite(app: &App) {
    let base = &app.base;
    let db = &app.state.db;
    let cal = app.state.calendar();
    // Thursday 2026-09-24: the correction's term runs into the holiday (10-01..10-07 off).
    let asked = chrono::NaiveDate::from_ymd_opt(2026, 9, 24).unwrap();
    app.state.clock.set_day(asked);
    let person = new_person(base, "周补正", "33010219810909567", "13900000679").await;
    let id = fill_and_submit(&person, base, "ZRZY-001", &[("via_agent", "no"), ("collective", "no")]).await;
    let row = || async { case::Entity::find_by_id(id as i32).one(db).await.unwrap().unwrap() };
    let clerk = staff_login(base, "clerk").await;
    let approver = staff_login(base, "approver").await;
    act_ok(&clerk, base, id, &[("action", "request_correction"), ("note_id_card", "复印件不清晰")]).await;
    let correction_due = row().await.correction_due.expect("a correction term");
    assert!(correction_due > chrono::NaiveDate::from_ymd_opt(2026, 10, 7).unwrap(), "{correction_due}");

    // The correction's last day: still the applicant's.
    app.state.clock.set_day(correction_due);
    scheduler::sweep(db, &cal, correction_due).await.unwrap();
    assert_eq!(row().await.state.code(), "awaiting_correction");

    // The day after: the refusal is proposed, not made; the department's 2 working days run.
    let after = correction_due.succ_opt().unwrap();
    app.state.clock.set_day(after);
    let r = scheduler::sweep(db, &cal, after).await.unwrap();
    assert_eq!(r.corrections_expired, 1, "{r:?}");
    let refusal_due = deadline::correction_expiry_decision_due(&cal, correction_due).unwrap();
    let c = row().await;
    assert_eq!(
        (c.state.code(), c.due_on, c.due_for.map(|t| t.code()), c.decided_on),
        ("refusal_proposed", Some(refusal_due), Some("refusal"), None),
        "on the department's clock, not yet decided"
    );
    let last = last_event(db, id).await;
    assert_eq!((last.action.code(), last.actor_kind.as_str()), ("correction_expired", "system"));
    assert_eq!(last.comment, correction_due.to_string(), "the event names the term that ended");
    assert_eq!(newest_notice(db, c.applicant_id).await, "correction_expired", "the applicant is told");
    // Idempotent: the same day again changes nothing.
    let r = scheduler::sweep(db, &cal, after).await.unwrap();
    assert_eq!((r.corrections_expired, row().await.version), (0, c.version), "{r:?}");

    // Who may do what now: the approver approves; the window may not refuse on its own, nor
    // approve; the applicant can no longer correct.
    let actions = |v: serde_json::Value| -> Vec<String> {
        v["actions"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string()).collect()
    };
    let (_, v) = staff_view(&clerk, base, id).await;
    assert!(actions(v).is_empty(), "nothing is the window's to do");
    let (_, v) = staff_view(&approver, base, id).await;
    assert_eq!(actions(v), ["approve_refusal"]);
    assert_eq!(act(&clerk, base, id, &[("action", "approve_refusal")]).await.status(), StatusCode::FORBIDDEN);
    let r = act(&clerk, base, id, &[("action", "reject"), ("reason", "逾期未补正")]).await;
    assert_eq!(row().await.version, c.version, "the window cannot refuse it alone: {:?}", flash_of(&r));
    let r = post_form(
        &person,
        &format!("{base}/api/submit_application"),
        &[("case", id.to_string().as_str()), ("version", &c.version.to_string())],
    )
    .await;
    assert_ne!(location(&r), format!("/cases/{id}?submitted=1"), "too late to correct");
    assert_eq!(row().await.state.code(), "refusal_proposed");
    // The approver finds it in its queue.
    let (_, page) = text(&approver, &format!("{base}/staff/queue?bucket=refusals")).await;
    assert!(page.contains(&format!("/staff/cases/{id}")), "the approver's queue lists it");

    // Its last day: no record; the day after: one, of its own kind, once.
    app.state.clock.set_day(refusal_due);
    scheduler::sweep(db, &cal, refusal_due).await.unwrap();
    assert_eq!(super::clocks::records(db, id as i32).await, vec![]);
    let late = refusal_due.succ_opt().unwrap();
    app.state.clock.set_day(late);
    for _ in 0..2 {
        scheduler::sweep(db, &cal, late).await.unwrap();
    }
    assert_eq!(super::clocks::records(db, id as i32).await, vec![("refusal_overdue".to_string(), refusal_due)]);

    // The head approves: not accepted, decided today, the applicant told, the decision printable.
    act_ok(&approver, base, id, &[("action", "approve_refusal"), ("comment", "同意")]).await;
    let c = row().await;
    assert_eq!((c.state.code(), c.decided_on, c.due_on), ("not_accepted", Some(late), None));
    let last = last_event(db, id).await;
    assert_eq!((last.action.code(), last.role.as_str()), ("approve_refusal", "approver"));
    assert_eq!(newest_notice(db, c.applicant_id).await, "approve_refusal");
    let r = person.get(format!("{base}/notices/{id}/refusal.pdf")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "the applicant reads the decision");
    let lines = app::server::receipt::text_lines(&r.bytes().await.unwrap());
    let decision = lines.join("\n");
    assert!(decision.contains(&correction_due.to_string()), "it names the term that ended: {decision}");
    insta::assert_snapshot!("refusal_expired_correction", redacted(&lines, base));
    app.state.clock.reset();
}

async fn last_event(db: &sea_orm::DatabaseConnection, id: i64) -> case_event::Model {
    case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(id as i32))
        .order_by_desc(case_event::Column::Seq)
        .one(db)
        .await
        .unwrap()
        .unwrap()
}

async fn newest_notice(db: &sea_orm::DatabaseConnection, applicant: i32) -> String {
    notification::Entity::find()
        .filter(notification::Column::ApplicantId.eq(applicant))
        .order_by_desc(notification::Column::Id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .kind
        .code()
        .to_string()
}
