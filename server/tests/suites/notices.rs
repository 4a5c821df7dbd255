//! The notices the law names for each step (issue F, item 12), printed from one case taken
//! through them with the app's clock moved: the correction notice (补正材料通知书), the acceptance
//! notice, the special procedure's notice with its expected duration, the extension notice and
//! the fee notice (缴费通知书: the fee and its amount, basis, term, how to pay). Each is listed on
//! the applicant's case page and the staff's, is printable by both (at the counter for a walk-in),
//! exists only once its step happened, and is refused to anyone else.

use super::*;
use app::server::entities::case;
use sea_orm::EntityTrait;

pub async fn notices_suite(app: &App) {
    let base = &app.base;
    let db = &app.state.db;
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    app.state.clock.set_day(d("2026-11-02"));
    let person = new_person(base, "冯文书", "33010219840404890", "13900000682").await;
    let clerk = staff_login(base, "clerk").await;
    let reviewer = staff_login(base, "reviewer").await;
    let approver = staff_login(base, "approver").await;
    let id = fill_and_submit(&person, base, "ZRZY-002", &[("via_agent", "no"), ("first_home", "yes")]).await;
    let pdf = |who: &Client, name: &str| {
        let (who, url) = (who.clone(), format!("{base}/notices/{id}/{name}"));
        async move {
            let r = who.get(url).send().await.unwrap();
            let status = r.status();
            (status, app::server::receipt::text_lines(&r.bytes().await.unwrap_or_default()))
        }
    };
    // Nothing printed before its step.
    for name in ["correction.pdf", "acceptance.pdf", "suspension.pdf", "extension.pdf", "fee.pdf", "refusal.pdf"] {
        assert_eq!(pdf(&person, name).await.0, StatusCode::NOT_FOUND, "{name} before its step");
    }

    act_ok(&clerk, base, id, &[("action", "request_correction"), ("note_application", "缺少法定代表人签字")]).await;
    let v = draft_version(&person, base, id).await;
    app.state.clock.set_day(d("2026-11-04"));
    let r = post_form(
        &person,
        &format!("{base}/api/submit_application"),
        &[("case", id.to_string().as_str()), ("version", &v.to_string())],
    )
    .await;
    assert_eq!(location(&r), format!("/cases/{id}?submitted=1"), "resubmitted: {:?}", flash_of(&r));
    act_ok(&clerk, base, id, &[("action", "accept")]).await;
    act_ok(&reviewer, base, id, &[("action", "start_review")]).await;
    act_ok(
        &approver,
        base,
        id,
        &[("action", "suspend"), ("kind", "专家评审"), ("reason", "储量核实报告需组织专家评审")],
    )
    .await;
    app.state.clock.set_day(d("2026-11-16"));
    act_ok(&approver, base, id, &[("action", "resume")]).await;
    act_ok(&approver, base, id, &[("action", "extend"), ("days", "10"), ("reason", "矿区范围涉及两个县，需征求意见")])
        .await;
    app.state.clock.set_day(d("2026-12-01"));
    act_ok(&approver, base, id, &[("action", "decide_grant"), ("reason", "符合条件")]).await;
    act_ok(&clerk, base, id, &[("action", "issue_fee_notice"), ("kind", "采矿权出让收益"), ("amount", "12000")]).await;
    let c = case::Entity::find_by_id(id as i32).one(db).await.unwrap().unwrap();
    assert_eq!(c.state.code(), "awaiting_payment");

    // Listed on both case pages, in the order of the steps.
    let listed = |page: &str| -> Vec<String> {
        ["correction", "acceptance", "suspension", "extension", "fee"]
            .into_iter()
            .filter(|n| page.contains(&format!("/notices/{id}/{n}.pdf")))
            .map(String::from)
            .collect()
    };
    let (_, mine) = text(&person, &format!("{base}/cases/{id}")).await;
    let (_, staff) = text(&clerk, &format!("{base}/staff/cases/{id}")).await;
    assert_eq!(listed(&mine).len(), 5, "the applicant's page lists them all");
    assert_eq!(listed(&staff).len(), 5, "so does the staff's");

    // Each names what the law asks of it.
    let wants: [(&str, &[&str]); 5] = [
        ("correction.pdf", &["补正材料通知书", "一次性告知", "缺少法定代表人签字", "补正期限", "不予受理"]),
        ("acceptance.pdf", &["受理通知书", "承诺办结日期"]),
        ("suspension.pdf", &["特殊程序告知书", "专家评审", "储量核实报告需组织专家评审", "15 个工作日", "第四十五条"]),
        ("extension.pdf", &["延长办理期限告知书", "10 个工作日", "矿区范围涉及两个县", "负责人批准", "第四十二条"]),
        ("fee.pdf", &["缴费通知书", "采矿权出让收益 12000 元", "收费依据", "缴费期限", "缴费方式", "不予批准"]),
    ];
    for (name, words) in wants {
        let (status, lines) = pdf(&person, name).await;
        assert_eq!(status, StatusCode::OK, "{name} for the applicant");
        let text = lines.join("\n");
        for w in words {
            assert!(text.contains(w), "{name} names {w}: {text}");
        }
        let progress = format!("{base}/progress?case_no={}", c.case_no.as_deref().unwrap());
        assert!(text.replace('\n', "").contains(&progress), "{name} ends with the progress page's QR code: {text}");
        assert_eq!(pdf(&clerk, name).await, (StatusCode::OK, lines.clone()), "{name}: the counter prints the same");
        if name != "acceptance.pdf" {
            insta::assert_snapshot!(format!("notice_{}", name.trim_end_matches(".pdf")), redacted(&lines, base));
        }
    }
    // Anyone else is refused.
    let stranger = new_person(base, "陈旁人", "33010219850505901", "13900000683").await;
    for name in ["correction.pdf", "fee.pdf"] {
        let status = pdf(&stranger, name).await.0;
        assert!(matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{name} for a stranger: {status}");
    }
    assert_eq!(pdf(&person, "nothing.pdf").await.0, StatusCode::NOT_FOUND);
    app.state.clock.reset();
}
