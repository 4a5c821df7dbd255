//! 容缺受理 end to end (issue F, item 9), with the app's clock moved: a case accepted without a
//! deferrable material (the site map of ZRZY-001, due within 30 days [001 泉州]) takes it from the
//! applicant's case page — or from the window, for a walk-in — and only it; the window confirms it
//! and the term ends. Missed, the result is void: an issued result document is revoked, the
//! applicant is told (inbox, e-mail / SMS), no grant can follow, and the upload is closed.

use super::*;
use app::server::entities::{case, case_event, outbox};
use app::server::scheduler;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

pub async fn supplements_suite(app: &App) {
    let base = &app.base;
    let db = &app.state.db;
    let cal = app.state.calendar();
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let accepted = d("2026-11-02");
    app.state.clock.set_day(accepted);
    let person = new_person(base, "褚容缺", "33010219860606012", "13900000684").await;
    let clerk = staff_login(base, "clerk").await;
    let reviewer = staff_login(base, "reviewer").await;
    let approver = staff_login(base, "approver").await;
    let row = |id: i64| async move { case::Entity::find_by_id(id as i32).one(db).await.unwrap().unwrap() };
    let actions = |v: serde_json::Value| -> Vec<String> {
        v["actions"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string()).collect()
    };
    let answers = [("via_agent", "no"), ("collective", "no")];
    let mut ids = Vec::new();
    for _ in 0..4 {
        let id = fill_and_submit(&person, base, "ZRZY-001", &answers).await;
        act_ok(&clerk, base, id, &[("action", "accept")]).await;
        ids.push(id);
    }
    let (a, b, c, w) = (ids[0], ids[1], ids[2], ids[3]);
    let due = rules::deadline::deferred_supplement_due(accepted, rules::TimeLimit::calendar(30), &cal).unwrap();
    assert_eq!(row(a).await.supplement_due, Some(due));

    // 1. The applicant sends the site map from the case page, and only it; the window confirms.
    let (_, page) = text(&person, &format!("{base}/cases/{a}")).await;
    assert!(page.contains("data-testid=\"supplement\"") && page.contains("material=site_map"), "the upload is offered");
    let e = act_refused(&clerk, base, a, &[("action", "confirm_supplement")], "_form").await;
    assert!(e.contains("项目用地红线图"), "not yet: {e}");
    let r = upload(&person, base, a, "application", "申请表.pdf", PDF.to_vec(), true).await;
    assert!(r.status().is_client_error(), "an accepted case takes no other material: {}", r.status());
    let r = upload(&person, base, a, "site_map", "红线图.pdf", PDF.to_vec(), false).await;
    assert_eq!(location(&r), format!("/cases/{a}#m-site_map"), "back to the case page: {:?}", flash_of(&r));
    let (_, v) = staff_view(&clerk, base, a).await;
    assert!(actions(v).contains(&"confirm_supplement".to_string()));
    act_ok(&clerk, base, a, &[("action", "confirm_supplement")]).await;
    let ca = row(a).await;
    assert_eq!((ca.supplement_due, ca.state.code()), (None, "accepted"), "the term ends; the case goes on");
    let last = case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(a as i32))
        .order_by_desc(case_event::Column::Seq)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((last.action.code(), last.internal), ("confirm_supplement", false));
    let (_, page) = text(&person, &format!("{base}/cases/{a}")).await;
    assert!(!page.contains("data-testid=\"supplement\""), "nothing left to send");

    // 2. A walk-in brings the site map to the window for an online case: the clerk uploads it.
    let r = upload(&clerk, base, w, "site_map", "红线图-窗口扫描.pdf", PDF.to_vec(), false).await;
    assert_eq!(location(&r), format!("/staff/cases/{w}#m-site_map"), "{:?}", flash_of(&r));
    let r = upload(&clerk, base, w, "project_approval", "批复.pdf", PDF.to_vec(), true).await;
    assert!(r.status().is_client_error(), "only the deferred material: {}", r.status());
    assert_eq!(
        upload(&reviewer, base, w, "site_map", "x.pdf", PDF.to_vec(), true).await.status(),
        StatusCode::FORBIDDEN
    );
    act_ok(&clerk, base, w, &[("action", "confirm_supplement")]).await;
    assert_eq!(row(w).await.supplement_due, None);

    // 3. b is granted before its site map comes; c is still in review. Neither gets it in time.
    act_ok(&reviewer, base, b, &[("action", "start_review")]).await;
    act_ok(&approver, base, b, &[("action", "decide_grant"), ("reason", "符合条件")]).await;
    act_ok(&reviewer, base, c, &[("action", "start_review")]).await;
    let results = app::server::cases::documents::results_of(db, b as i32).await.unwrap();
    assert_eq!(results.len(), 1);
    assert!(!results[0].revoked);
    app.state.clock.set_day(due);
    scheduler::sweep(db, &cal, due).await.unwrap();
    assert!(!row(b).await.supplement_overdue, "its last day");
    let late = due.succ_opt().unwrap();
    app.state.clock.set_day(late);
    let r = scheduler::sweep(db, &cal, late).await.unwrap();
    assert!(r.supplements_overdue >= 2, "{r:?}");
    // b's result is void: revoked, and its verification page says so; the applicant is told.
    let results = app::server::cases::documents::results_of(db, b as i32).await.unwrap();
    assert!(results[0].revoked, "the result document is revoked");
    let (_, verify) = text(&browser(base), &format!("{base}/verify/{}", results[0].code)).await;
    assert!(verify.contains("撤销"), "the verification page says it is revoked");
    let sent = outbox::Entity::find()
        .filter(outbox::Column::CaseId.eq(b as i32))
        .filter(outbox::Column::Kind.eq("supplement_overdue"))
        .count(db)
        .await
        .unwrap();
    assert_eq!(sent, 1, "an e-mail / SMS goes out");
    let inbox: serde_json::Value =
        person.post(format!("{base}/api/my_inbox")).send().await.unwrap().json().await.unwrap();
    assert!(inbox.as_array().unwrap().iter().any(|n| n["kind"] == "supplement_overdue" && n["case_id"] == b));
    // The upload is closed; c cannot be granted, only refused.
    let r = upload(&person, base, c, "site_map", "红线图.pdf", PDF.to_vec(), true).await;
    assert!(r.status().is_client_error());
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("已过"), "{body}");
    let e = act_refused(&approver, base, c, &[("action", "decide_grant"), ("reason", "符合条件")], "_form").await;
    assert!(e.contains("容缺"), "{e}");
    act_ok(
        &approver,
        base,
        c,
        &[("action", "decide_deny"), ("reason", "容缺材料逾期未补齐"), ("legal_basis", "《行政许可法》第三十二条")],
    )
    .await;
    assert_eq!(row(c).await.state.code(), "decided_deny");
    app.state.clock.reset();
}
