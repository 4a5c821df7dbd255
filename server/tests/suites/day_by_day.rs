//! One case of every kind of item, day by day (issue F, "done when"): instant (SCJG-001),
//! promised on time and late (ZRZY-005), parallel with 容缺 (ZJJ-001), staged (ZRZY-003), a
//! filing (ZRZY-004) and one with a fee (ZRZY-002), from Monday 2026-09-21 to 2026-10-23 — over
//! the Mid-Autumn holiday (09-25..27), National Day (10-01..07) and its make-up Saturday (10-10).
//! The scheduler sweeps every morning, before the day's work, as it does in production; after
//! each sweep every accountability record of these cases is compared with the law's: none where
//! the law sees no delay, one — from the first day past the term, of its own kind and
//! department — where it does. Lights, verdicts, notices and the 容缺 term are checked on their
//! days.

use std::collections::BTreeMap;

use super::*;
use app::models::NoticeKind;
use app::server::cases::{self, Actor};
use app::server::entities::{accountability, case, case_task, department, staff};
use app::server::scheduler;
use rules::case::{Action, DecisionKind};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// An application's answers (question, value).
type Answers = &'static [(&'static str, &'static str)];

/// What is done on a day.
enum Step {
    /// A transition through the engine, by the staff member named.
    Engine(&'static str, Action),
    /// The applicant submits (fill_and_submit).
    Submit,
    /// A stage's or co-department's answer through the back office, by the staff member named,
    /// for the task of the department with this code.
    Answer(&'static str, &'static str),
    /// The applicant uploads a deferred (容缺) material from the case page.
    Upload(&'static str),
    /// The window confirms the deferred materials.
    Confirm,
}

pub async fn day_by_day_suite(app: &App) {
    let base = &app.base;
    let db = &app.state.db;
    let cal = app.state.calendar();
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let start = d("2026-09-21");
    app.state.clock.set_day(start);
    let person = new_person(base, "韩逐日", "33010219880808234", "13900000686").await;
    let mut clients: BTreeMap<&str, Client> = BTreeMap::new();
    for u in ["clerk", "coreviewer", "village", "township"] {
        clients.insert(u, staff_login(base, u).await);
    }
    let mut actors: BTreeMap<&str, Actor> = BTreeMap::new();
    for (u, role) in
        [("clerk", rules::Role::WindowClerk), ("reviewer", rules::Role::Reviewer), ("approver", rules::Role::Approver)]
    {
        let id = staff::Entity::find().filter(staff::Column::Username.eq(u)).one(db).await.unwrap().unwrap().id;
        actors.insert(u, Actor { kind: app::server::auth::PrincipalKind::Staff, id, role });
    }
    let dep = |code: &'static str| async move {
        department::Entity::find().filter(department::Column::Code.eq(code)).one(db).await.unwrap().unwrap().id
    };
    let grant = || Action::Decide { kind: DecisionKind::Grant, reason: "符合条件".into() };
    let file = || Action::File { kind: DecisionKind::Grant, reason: String::new() };
    use Step::*;

    // The cases, and what is done to each, by day.
    let items: [(&str, &str, Answers); 7] = [
        ("A instant", "SCJG-001", &[]),
        ("B on time", "ZRZY-005", &[("via_agent", "no")]),
        ("C late", "ZRZY-005", &[("via_agent", "no")]),
        ("D parallel", "ZJJ-001", &[("via_agent", "no")]),
        ("E staged", "ZRZY-003", &[]),
        ("F filing", "ZRZY-004", &[("via_agent", "no")]),
        ("G fee", "ZRZY-002", &[("via_agent", "no"), ("first_home", "yes")]),
    ];
    let accepted = |who: &'static str| vec![Engine(who, Action::Accept)];
    let mut script: Vec<(&str, &str, Vec<Step>)> = vec![
        ("2026-09-21", "A instant", {
            let mut v = vec![Submit];
            v.extend(accepted("clerk"));
            v.extend([Engine("reviewer", Action::StartReview), Engine("approver", grant())]);
            v
        }),
        ("2026-09-22", "A instant", vec![Engine("clerk", Action::PrepareDelivery)]),
        ("2026-10-12", "A instant", vec![Engine("clerk", Action::Deliver)]),
    ];
    for name in ["B on time", "C late", "D parallel", "E staged", "G fee"] {
        let mut v = vec![Submit];
        v.extend(accepted("clerk"));
        script.push(("2026-09-21", name, v));
    }
    script.extend([
        ("2026-09-22", "B on time", vec![Engine("reviewer", Action::StartReview)]),
        ("2026-09-29", "B on time", vec![Engine("approver", grant()), Engine("clerk", Action::PrepareDelivery)]),
        ("2026-10-16", "B on time", vec![Engine("clerk", Action::Deliver)]),
        ("2026-09-22", "C late", vec![Engine("reviewer", Action::StartReview)]),
        ("2026-09-30", "C late", vec![Engine("approver", grant())]),
        // (late as its decision was, its delivery has its own term, and keeps it)
        ("2026-10-16", "C late", vec![Engine("clerk", Action::PrepareDelivery), Engine("clerk", Action::Deliver)]),
        ("2026-09-22", "D parallel", vec![Engine("reviewer", Action::StartReview)]),
        ("2026-09-28", "D parallel", vec![Answer("coreviewer", "ZRZY")]),
        ("2026-10-09", "D parallel", vec![Upload("safety_measures"), Confirm]),
        ("2026-10-12", "D parallel", vec![Answer("coreviewer", "YJGL")]),
        ("2026-10-13", "D parallel", vec![Engine("approver", grant())]),
        ("2026-09-29", "E staged", vec![Answer("village", "CWH")]),
        ("2026-10-20", "E staged", vec![Answer("township", "XZF")]),
        ("2026-09-30", "F filing", vec![Submit]),
        ("2026-10-08", "F filing", vec![Engine("clerk", file())]),
        // the last of its 10 working days to deliver
        ("2026-10-21", "F filing", vec![Engine("clerk", Action::PrepareDelivery), Engine("clerk", Action::Deliver)]),
        ("2026-09-22", "G fee", vec![Engine("reviewer", Action::StartReview)]),
        ("2026-09-28", "G fee", vec![Engine("approver", grant())]),
        ("2026-09-29", "G fee", vec![Engine("clerk", Action::IssueFeeNotice)]),
        ("2026-10-12", "G fee", vec![Engine("clerk", Action::RecordPayment)]),
        ("2026-10-15", "G fee", vec![Engine("clerk", Action::Deliver)]),
    ]);
    // The records the law calls for: (case, kind, due date, department), and the first morning
    // the sweep must have opened it.
    let law: Vec<(&str, &str, &str, &str, &str)> = vec![
        ("C late", "decision_overdue", "2026-09-29", "ZRZY", "2026-09-30"),
        ("G fee", "fee_notice_overdue", "2026-09-28", "ZRZY", "2026-09-29"),
        ("E staged", "opinion_overdue", "2026-10-19", "XZF", "2026-10-20"),
    ];

    let mut ids: BTreeMap<&str, i64> = BTreeMap::new();
    let mut day = start;
    while day <= d("2026-10-23") {
        app.state.clock.set_day(day);
        // The morning: the sweep, then the records are what the law says, no more, no fewer.
        scheduler::sweep(db, &cal, day).await.unwrap();
        let mut want = Vec::new();
        for (name, kind, due, code, from) in &law {
            if let (Some(id), true) = (ids.get(name), day >= d(from)) {
                want.push((*id as i32, kind.to_string(), d(due), dep(code).await));
            }
        }
        want.sort();
        let mut got: Vec<(i32, String, chrono::NaiveDate, i32)> = accountability::Entity::find()
            .filter(accountability::Column::CaseId.is_in(ids.values().map(|i| *i as i32)))
            .all(db)
            .await
            .unwrap()
            .into_iter()
            .map(|r| (r.case_id, r.kind.code().to_string(), r.due_on, r.department_id))
            .collect();
        got.sort();
        assert_eq!(got, want, "the records on the morning of {day}");
        // The day's work.
        for (on, name, steps) in &script {
            if d(on) != day {
                continue;
            }
            for step in steps {
                match step {
                    Submit => {
                        let (_, item, answers) = items.iter().find(|(n, _, _)| n == name).unwrap();
                        ids.insert(name, fill_and_submit(&person, base, item, answers).await);
                    }
                    Engine(who, action) => {
                        let row = case::Entity::find_by_id(ids[name] as i32).one(db).await.unwrap().unwrap();
                        let provided = provided_materials(db, row.id).await;
                        let change = change_of(&row, action.clone(), actors[who], "", day, &provided);
                        cases::apply(db, &cal, change)
                            .await
                            .unwrap_or_else(|e| panic!("{name} {day} {action:?}: {e:?}"));
                        if matches!(action, Action::Decide { kind: DecisionKind::Grant, .. } | Action::File { .. }) {
                            cases::documents::issue_result_document(db, &row, "结果", day).await.unwrap();
                        }
                    }
                    Answer(who, code) => {
                        let dep_id = dep(code).await;
                        let task = case_task::Entity::find()
                            .filter(case_task::Column::CaseId.eq(ids[name] as i32))
                            .filter(case_task::Column::DepartmentId.eq(dep_id))
                            .one(db)
                            .await
                            .unwrap()
                            .unwrap();
                        let fields = [
                            ("action", "answer_task"),
                            ("task", &task.id.to_string()),
                            ("outcome", "agree"),
                            ("comment", "同意"),
                        ];
                        act_ok(&clients[who], base, ids[name], &fields).await;
                    }
                    Upload(material) => {
                        let r = upload(&person, base, ids[name], material, "补齐.pdf", PDF.to_vec(), false).await;
                        assert!(flash_of(&r).is_none_or(|f| f.errors.is_empty()), "{name} {day}: {:?}", flash_of(&r));
                    }
                    Confirm => act_ok(&clients["clerk"], base, ids[name], &[("action", "confirm_supplement")]).await,
                }
            }
        }
        // Lights on their days: A's delivery is due 10-12; the make-up Saturday counts.
        let light_of = |n: &'static str| super::supervision::light(app, ids[n], day);
        match day.to_string().as_str() {
            "2026-10-08" => assert_eq!(light_of("A instant").await, "normal", "three working days left"),
            "2026-10-09" => assert_eq!(light_of("A instant").await, "warning", "10-10 and 10-12 left"),
            "2026-09-29" => assert_eq!(light_of("C late").await, "warning", "its last day"),
            _ => {}
        }
        day = day.succ_opt().unwrap();
    }

    // The verdicts the statistics sum, judged on each decision.
    let ids = &ids;
    let row = |n: &'static str| async move { case::Entity::find_by_id(ids[n] as i32).one(db).await.unwrap().unwrap() };
    let verdict = |c: &case::Model| (c.closed_on_time, c.closed_early, c.closed_same_day);
    assert_eq!(verdict(&row("A instant").await), (true, false, true), "instant: the same day");
    assert_eq!(verdict(&row("B on time").await), (true, false, false), "on its last day");
    assert_eq!(verdict(&row("C late").await), (false, false, false), "a day late");
    assert!(verdict(&row("D parallel").await).0, "the parallel lead, early in its 20 days");
    assert_eq!(verdict(&row("F filing").await), (true, false, false), "filed by the working day after receipt");
    assert!(verdict(&row("G fee").await).0, "payment and delivery are not the decision's time");
    for (n, state) in [
        ("A instant", "delivered"),
        ("B on time", "delivered"),
        ("C late", "delivered"),
        ("F filing", "delivered"),
        ("G fee", "delivered"),
        // its stages run while it is accepted; the county's review has not started
        ("E staged", "accepted"),
    ] {
        assert_eq!(row(n).await.state.code(), state, "{n}");
    }
    assert!(!row("A instant").await.delivered_late && !row("G fee").await.delivered_late);
    // 容缺: D supplied in time; G never did (its eia was deferred): flagged, its result revoked.
    let (dc, gc) = (row("D parallel").await, row("G fee").await);
    assert_eq!((dc.supplement_due, dc.supplement_overdue), (None, false));
    assert!(gc.supplement_overdue, "G's deferred material passed its 30 days");
    let g_results = cases::documents::results_of(db, gc.id).await.unwrap();
    assert!(!g_results.is_empty() && g_results.iter().all(|r| r.revoked), "G's result is void");
    // The notices each case has.
    let notices = |id: i32| app::server::cases::notices_of(db, id);
    assert_eq!(
        notices(gc.id).await.unwrap(),
        [NoticeKind::Receipt, NoticeKind::Acceptance, NoticeKind::Fee, NoticeKind::Delivery],
        "G: received, accepted, a fee notice, delivered"
    );
    assert_eq!(
        notices(row("F filing").await.id).await.unwrap(),
        [NoticeKind::Receipt, NoticeKind::Delivery],
        "a filing has no acceptance notice, only its receipt and its proof of delivery"
    );
    app.state.clock.reset();
}
