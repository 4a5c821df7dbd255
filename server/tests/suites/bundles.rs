//! J2 (first step): a 一件事 before applying. The bundle page lists its three items in three
//! departments with their own limits and the combined deadline; the merged checklist asks each
//! shared material once for all the items, follows the answers (an agent's authorization only when
//! the applicant says an agent applies) and the applicant's kind; a bundle naming an item that is
//! not in the catalog is refused; an unknown bundle is not found.

use super::*;
use sea_orm::EntityTrait;

pub async fn bundles_suite(app: &App) {
    let base = &app.base;
    let anon = browser(base);
    let (status, home) = text(&anon, &format!("{base}/")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        home.contains("/bundles/KG-001") && home.contains("非煤矿山建设项目开工"),
        "the home page lists the bundle"
    );

    let (status, page) = text(&anon, &format!("{base}/bundles/KG-001?kind=enterprise&q_via_agent=no")).await;
    assert_eq!(status, StatusCode::OK);
    for item in ["建设项目用地预审", "建筑工程施工许可证核发", "非煤矿山建设项目安全设施设计审查"]
    {
        assert!(page.contains(item), "{item} is in the bundle");
    }
    for dep in ["自然资源局", "住房和城乡建设局", "应急管理局"] {
        assert!(page.contains(dep), "{dep}");
    }
    assert_eq!(page.matches("data-testid=\"bundle-item\"").count(), 3);
    assert_eq!(page.matches("营业执照").count(), 1, "the business licence once, for the three items");
    assert!(page.contains("只需提交一次"));
    assert!(!page.contains("申请人身份证明"), "an enterprise gives no person's ID");
    assert!(!page.contains("授权委托书"), "no agent");
    // each item's own application form stays, once each
    assert!(page.contains("建筑工程施工许可申请表") && page.contains("安全设施设计审查申请书"));

    // the combined deadline: the latest item's (ZJJ-001's 20 working days beat the others')
    let cal = app.state.calendar();
    let today = app.state.today();
    let mut dues = Vec::new();
    for code in ["ZRZY-001", "ZJJ-001", "YJGL-001"] {
        let it = app::server::catalog::newest_published(&app.state.db, code).await.unwrap().unwrap();
        dues.push(rules::deadline::due_date(&cal, today, it.rules.decision_limit(), &[], today).ok());
    }
    let combined = rules::bundle::combined_due(&dues).unwrap();
    assert!(
        page.contains("data-testid=\"bundle-combined\"") && page.contains(&combined.to_string()),
        "the combined deadline {combined}"
    );

    // an agent applies: the authorization, once; a person: the ID instead of the licence
    let (_, page) = text(&anon, &format!("{base}/bundles/KG-001?kind=person&q_via_agent=yes")).await;
    assert_eq!(page.matches("授权委托书及受托人身份证明").count(), 1);
    assert!(page.contains("申请人身份证明") && !page.contains("营业执照"));
    // an answer to no question asked, or a value not offered, is ignored
    let (status, _) = text(&anon, &format!("{base}/bundles/KG-001?q_via_agent=maybe&q_nope=1")).await;
    assert_eq!(status, StatusCode::OK);

    let (status, _) = text(&anon, &format!("{base}/bundles/NOPE-9")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // a definition naming an item outside the catalog is refused, and nothing is written
    let mut bad: rules::bundle::Bundle =
        app::server::entities::bundle::Entity::find().one(&app.state.db).await.unwrap().unwrap().definition;
    bad.code = "BAD-1".into();
    bad.items.push("NOPE-001".into());
    assert!(app::server::bundles::put(&app.state.db, bad, "").await.is_err());
    let (status, _) = text(&anon, &format!("{base}/bundles/BAD-1")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
