//! Opinion clocks (issue F, item 10), with the app's clock moved over the Mid-Autumn and National
//! Day holidays: in a parallel approval (ZJJ-001: ZRZY and YJGL give opinions within 10 working
//! days of the unified acceptance), a co-department that answers in time is not recorded; one that
//! stays silent past its term is held to account (its own department's record, once) and recorded
//! as having no objection (超时默认同意) so the lead can decide; a suspended case's opinions wait;
//! the applicant reads the co-departments' conclusions.

use super::*;
use app::server::entities::{accountability, case_task, department};
use app::server::scheduler;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

pub async fn opinions_suite(app: &App) {
    let base = &app.base;
    let db = &app.state.db;
    let cal = app.state.calendar();
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let accepted = d("2026-09-21");
    app.state.clock.set_day(accepted);
    let person = new_person(base, "蒋并联", "33010219870707123", "13900000685").await;
    let clerk = staff_login(base, "clerk").await;
    let reviewer = staff_login(base, "reviewer").await;
    let approver = staff_login(base, "approver").await;
    let coreviewer = staff_login(base, "coreviewer").await;
    let dep = |code: &'static str| async move {
        department::Entity::find().filter(department::Column::Code.eq(code)).one(db).await.unwrap().unwrap().id
    };
    let (zrzy, yjgl) = (dep("ZRZY").await, dep("YJGL").await);
    let tasks_of = |id: i64| async move {
        case_task::Entity::find()
            .filter(case_task::Column::CaseId.eq(id as i32))
            .order_by_asc(case_task::Column::Id)
            .all(db)
            .await
            .unwrap()
    };
    let records_of = |id: i64| async move {
        let mut v: Vec<(String, chrono::NaiveDate, i32)> = accountability::Entity::find()
            .filter(accountability::Column::CaseId.eq(id as i32))
            .all(db)
            .await
            .unwrap()
            .into_iter()
            .map(|r| (r.kind.code().to_string(), r.due_on, r.department_id))
            .collect();
        v.sort();
        v
    };
    let mut ids = Vec::new();
    for _ in 0..3 {
        let id = fill_and_submit(&person, base, "ZJJ-001", &[("via_agent", "no")]).await;
        act_ok(&clerk, base, id, &[("action", "accept")]).await;
        act_ok(&reviewer, base, id, &[("action", "start_review")]).await;
        ids.push(id);
    }
    let (a, s, b) = (ids[0], ids[1], ids[2]);
    let due = rules::deadline::co_department_due(&cal, accepted, &[], accepted).unwrap();
    assert_eq!(due, d("2026-10-12"), "10 working days over both holidays, the make-up Saturday counted");

    // ZRZY answers in time; YJGL does not. s is suspended before the term ends.
    app.state.clock.set_day(d("2026-09-28"));
    let zrzy_task = tasks_of(a).await.into_iter().find(|t| t.department_id == zrzy).unwrap();
    act_ok(
        &coreviewer,
        base,
        a,
        &[
            ("action", "answer_task"),
            ("task", &zrzy_task.id.to_string()),
            ("outcome", "agree"),
            ("comment", "符合国土空间规划"),
        ],
    )
    .await;
    act_ok(&approver, base, s, &[("action", "suspend"), ("kind", "专家评审"), ("reason", "施工方案需专家论证")]).await;

    // The last day: nothing; the day after: YJGL's record and its assumed agreement, once.
    app.state.clock.set_day(due);
    scheduler::sweep(db, &cal, due).await.unwrap();
    assert_eq!(records_of(a).await, vec![]);
    let late = d("2026-10-13");
    app.state.clock.set_day(late);
    let r = scheduler::sweep(db, &cal, late).await.unwrap();
    assert_eq!(r.opinions_deemed, 3, "a's YJGL, b's two: {r:?}");
    scheduler::sweep(db, &cal, late).await.unwrap();
    assert_eq!(records_of(a).await, vec![("opinion_overdue".to_string(), due, yjgl)], "YJGL's, not ZRZY's nor ZJJ's");
    let yjgl_task = tasks_of(a).await.into_iter().find(|t| t.department_id == yjgl).unwrap();
    assert_eq!((yjgl_task.answered_on, yjgl_task.outcome.as_deref()), (Some(late), Some("agree")));
    // Both silent: each department its own record, though due the same day.
    let mut both = vec![("opinion_overdue".to_string(), due, zrzy), ("opinion_overdue".to_string(), due, yjgl)];
    both.sort();
    assert_eq!(records_of(b).await, both);
    // The suspended case's opinions wait with its clock.
    assert_eq!(records_of(s).await, vec![]);
    assert!(tasks_of(s).await.iter().all(|t| t.answered_on.is_none()));

    // The lead may decide now; the applicant reads both conclusions.
    let (_, v) = staff_view(&approver, base, a).await;
    assert!(v["actions"].as_array().unwrap().iter().any(|x| x == "decide_grant"), "{v}");
    let (_, page) = text(&person, &format!("{base}/cases/{a}")).await;
    assert!(page.contains("data-testid=\"co-opinions\""), "the co-departments' conclusions are shown");
    assert!(page.contains("符合国土空间规划") && page.contains("视为同意"), "both, the assumed one as such");
    act_ok(&approver, base, a, &[("action", "decide_grant"), ("reason", "符合条件")]).await;
    app.state.clock.reset();
}
