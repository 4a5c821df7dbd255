//! Each step after the decision runs its own clock (issue F, items 1 and 2), seen with the clock
//! moved: a case decided on its last day and prepared the next morning is not late; a fee notice
//! is due the day of the decision, a delivery 10 working days after it (3 after payment); each
//! passed term opens its own kind of record, and only then; the statistics judge the decision,
//! not the payment or the delivery.

use super::*;
use app::server::cases::{self, Actor};
use app::server::entities::{accountability, case, staff};
use app::server::scheduler;
use rules::case::{Action, DecisionKind};
use rules::deadline;
use rules::supervision::Term;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// The accountability records of case `id`: (kind, due date), sorted.
pub(super) async fn records(db: &sea_orm::DatabaseConnection, id: i32) -> Vec<(String, chrono::NaiveDate)> {
    let mut v: Vec<(String, chrono::NaiveDate)> = accountability::Entity::find()
        .filter(accountability::Column::CaseId.eq(id))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.kind.code().to_string(), r.due_on))
        .collect();
    v.sort();
    v
}

pub async fn delivery_clocks_suite(app: &App) {
    let base = &app.base;
    let db = &app.state.db;
    let cal = app.state.calendar();
    // Monday 2026-09-14: the cases are received and accepted the same day.
    let start = chrono::NaiveDate::from_ymd_opt(2026, 9, 14).unwrap();
    app.state.clock.set_day(start);
    let person = browser(base);
    let first17 = "33010219800808456";
    let id = format!("{first17}{}", rules::validators::id_check_character(first17).unwrap());
    let r = register_person(&person, base, "孙送达", &id, "13900000678").await;
    assert_eq!(location(&r), "/account", "{:?}", flash_of(&r));
    let staff_id = |name: &'static str| async move {
        staff::Entity::find().filter(staff::Column::Username.eq(name)).one(db).await.unwrap().unwrap().id
    };
    let actor = |id: i32, role: rules::Role| Actor { kind: app::server::auth::PrincipalKind::Staff, id, role };
    let clerk = actor(staff_id("clerk").await, rules::Role::WindowClerk);
    let reviewer = actor(staff_id("reviewer").await, rules::Role::Reviewer);
    let approver = actor(staff_id("approver").await, rules::Role::Approver);
    let grant = || Action::Decide { kind: DecisionKind::Grant, reason: "符合条件".into() };
    let next = |day: chrono::NaiveDate| cal.nth_working_day_after(day, 1).unwrap();

    // 1. Decided on its last day, prepared the next morning: on time, and no delivery record.
    let id = fill_and_submit(&person, base, "ZRZY-001", &[("via_agent", "no"), ("collective", "no")]).await;
    let mut row = case::Entity::find_by_id(id as i32).one(db).await.unwrap().unwrap();
    let provided = provided_materials(db, row.id).await;
    for (action, who) in [(Action::Accept, clerk), (Action::StartReview, reviewer)] {
        row = cases::apply(db, &cal, change_of(&row, action, who, "", start, &provided)).await.unwrap();
    }
    let decision_due = row.due_on.unwrap();
    assert!(decision_due > start, "a promised item: {decision_due}");
    row = cases::apply(db, &cal, change_of(&row, grant(), approver, "", decision_due, &provided)).await.unwrap();
    let delivery_due = deadline::delivery_after_decision_due(&cal, decision_due).unwrap();
    assert_eq!((row.state.code(), row.due_on, row.term()), ("decided_grant", Some(delivery_due), Some(Term::Delivery)));
    assert_eq!((row.decided_on, row.decision_due), (Some(decision_due), Some(decision_due)));
    let used = deadline::days_used(&cal, start, decision_due, deadline::LimitUnit::WorkingDays, &[]).unwrap();
    assert_eq!(
        (row.days_used, row.closed_on_time, row.closed_early, row.closed_same_day),
        (Some(used as i32), true, false, false),
        "judged on the decision, on its last day"
    );
    let morning = next(decision_due);
    row =
        cases::apply(db, &cal, change_of(&row, Action::PrepareDelivery, clerk, "", morning, &provided)).await.unwrap();
    assert_eq!((row.due_on, row.term()), (Some(delivery_due), Some(Term::Delivery)), "the delivery term stays");
    scheduler::sweep(db, &cal, morning).await.unwrap();
    assert_eq!(records(db, row.id).await, vec![], "prepared the morning after its decision: nothing late");
    // … and a delivery left past its term is recorded as such, once.
    let late = next(delivery_due);
    scheduler::sweep(db, &cal, late).await.unwrap();
    scheduler::sweep(db, &cal, late).await.unwrap();
    assert_eq!(records(db, row.id).await, vec![("delivery_overdue".into(), delivery_due)]);
    // (the sweeps also flagged its 容缺 supplement as overdue, a change of the case)
    let row = case::Entity::find_by_id(row.id).one(db).await.unwrap().unwrap();
    let row =
        cases::apply(db, &cal, change_of(&row, Action::Deliver, clerk, "窗口领取", late, &provided)).await.unwrap();
    assert_eq!((row.delivered_on, row.delivered_late, row.term()), (Some(late), true, None));
    // The late delivery does not make the decision late.
    assert!(row.closed_on_time);

    // 2. A grant that owes a fee: the notice is due the day of the decision; then the payment
    //    term (the applicant's, no record); then 3 working days to deliver.
    let fee_item = "ZRZY-002";
    let id = fill_and_submit(&person, base, fee_item, &[("via_agent", "no"), ("first_home", "yes")]).await;
    let mut row = case::Entity::find_by_id(id as i32).one(db).await.unwrap().unwrap();
    let provided = provided_materials(db, row.id).await;
    for (action, who) in [(Action::Accept, clerk), (Action::StartReview, reviewer), (grant(), approver)] {
        row = cases::apply(db, &cal, change_of(&row, action, who, "", start, &provided)).await.unwrap();
    }
    assert_eq!((row.due_on, row.term()), (Some(start), Some(Term::FeeNotice)), "the fee notice is due today");
    assert!(row.closed_same_day && row.closed_on_time, "decided the day it was accepted");
    let tomorrow = next(start);
    scheduler::sweep(db, &cal, tomorrow).await.unwrap();
    assert_eq!(records(db, row.id).await, vec![("fee_notice_overdue".into(), start)]);
    let mut row = case::Entity::find_by_id(row.id).one(db).await.unwrap().unwrap();
    row =
        cases::apply(db, &cal, change_of(&row, Action::IssueFeeNotice, clerk, "", tomorrow, &provided)).await.unwrap();
    assert_eq!(row.term(), Some(Term::Payment));
    let paid = row.fee_due.unwrap();
    scheduler::sweep(db, &cal, paid).await.unwrap();
    assert_eq!(records(db, row.id).await.len(), 1, "the applicant's payment term opens no record");
    let mut row = case::Entity::find_by_id(row.id).one(db).await.unwrap().unwrap();
    row = cases::apply(db, &cal, change_of(&row, Action::RecordPayment, clerk, "", paid, &provided)).await.unwrap();
    let after_payment = deadline::delivery_due(&cal, paid).unwrap();
    assert_eq!(
        (row.state.code(), row.due_on, row.term()),
        ("ready_for_delivery", Some(after_payment), Some(Term::Delivery))
    );
    scheduler::sweep(db, &cal, after_payment).await.unwrap();
    assert_eq!(records(db, row.id).await.len(), 1, "not late on the delivery's last day");
    let row = case::Entity::find_by_id(row.id).one(db).await.unwrap().unwrap();
    let row = cases::apply(db, &cal, change_of(&row, Action::Deliver, clerk, "邮寄", after_payment, &provided))
        .await
        .unwrap();
    assert!(!row.delivered_late);
    assert!(row.closed_same_day, "a month of payment does not change the decision's verdict");

    // 3. A refusal of acceptance runs no clock and counts as not accepted on its day.
    let id = fill_and_submit(&person, base, "ZRZY-001", &[("via_agent", "no"), ("collective", "no")]).await;
    let mut row = case::Entity::find_by_id(id as i32).one(db).await.unwrap().unwrap();
    let refuse = Action::Reject { reason: "不属于本机关职权范围".into() };
    row = cases::apply(db, &cal, change_of(&row, refuse, clerk, "", start, &provided)).await.unwrap();
    assert_eq!(
        (row.state.code(), row.decided_on, row.term(), row.days_used),
        ("not_accepted", Some(start), None, None)
    );
    let s = app::server::supervision::statistics_for(db, vec![row.department_id], "department", start, start, None)
        .await
        .unwrap();
    assert!(s.total.not_accepted >= 1, "{:?}", s.total);
    app.state.clock.reset();
}
