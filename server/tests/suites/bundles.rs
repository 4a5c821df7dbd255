//! J2 (first step): a 一件事 before applying. The bundle page lists its three items in three
//! departments with their own limits and the combined deadline; the merged checklist asks each
//! shared material once for all the items, follows the answers (an agent's authorization only when
//! the applicant says an agent applies) and the applicant's kind; a bundle naming an item that is
//! not in the catalog is refused; an unknown bundle is not found.
//!
//! J2 (third step): one application of it (`applications_suite`).

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
    // (the page also carries every item's materials for the island that recomputes the list)
    let list = checklist_of(&page);
    assert_eq!(list.matches("营业执照").count(), 1, "the business licence once, for the three items");
    assert!(list.contains("只需提交一次"));
    assert!(!list.contains("申请人身份证明"), "an enterprise gives no person's ID");
    assert!(!list.contains("授权委托书"), "no agent");
    // each item's own application form stays, once each
    assert!(list.contains("建筑工程施工许可申请表") && list.contains("安全设施设计审查申请书"));
    assert!(page.contains("BundleChecklistLive"), "the island that recomputes it in the browser");

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
    let list = checklist_of(&page);
    assert_eq!(list.matches("授权委托书及受托人身份证明").count(), 1);
    assert!(list.contains("申请人身份证明") && !list.contains("营业执照"));
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

/// The merged checklist of a bundle page as the server rendered it.
fn checklist_of(page: &str) -> &str {
    let from = page.find("data-testid=\"bundle-checklist\"").expect("the checklist");
    let to = page[from..].find("</ol>").expect("its end");
    &page[from..from + to]
}

/// Uploads one file for one line of application `id`.
async fn bundle_upload(c: &Client, base: &str, id: i32, material: &str, name: &str, body: &[u8]) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(body.to_vec()).file_name(name.to_string());
    let form = reqwest::multipart::Form::new().part("file", part);
    c.post(format!("{base}/bundle-applications/{id}/files"))
        .query(&[("material", material)])
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn bundle_cases(app: &App, id: i32) -> Vec<app::server::entities::case::Model> {
    use app::server::entities::case;
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    case::Entity::find()
        .filter(case::Column::BundleApplicationId.eq(id))
        .order_by_asc(case::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
}

async fn files_in(app: &App, case_id: i32) -> Vec<app::server::entities::case_file::Model> {
    app::server::cases::documents::files_of(&app.state.db, case_id).await.unwrap()
}

async fn applicant_of(app: &App, id_card_no: &str) -> i32 {
    use app::server::entities::applicant;
    use sea_orm::{ColumnTrait, QueryFilter};
    applicant::Entity::find()
        .filter(applicant::Column::IdCardNo.eq(id_card_no))
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("registered")
        .id
}

/// J2 (third step): one application of 一件事 KG-001 makes a draft case in each of its three
/// departments; the shared question is answered once and reaches each item under its own code;
/// each line of the merged checklist is uploaded once (one object, a row in every case it fills)
/// and removed from all at once; a file of the wrong type is refused at its line; the cases are
/// sent together in one transaction (all submitted, each with its own number and clock) or none is;
/// the single-item editor does not touch a bundle's draft; another applicant is told "not found".
pub async fn applications_suite(app: &App) {
    use app::server::entities::{bundle_application, case_file};
    use rules::case::CaseState;
    use sea_orm::{ActiveModelTrait, ColumnTrait, PaginatorTrait, QueryFilter, Set};
    let base = &app.base;
    let db = &app.state.db;
    let start_url = format!("{base}/api/bundle_start");

    // nobody signed in: the sign-in first
    let r = post_form(&browser(base), &start_url, &[("code", "KG-001")]).await;
    assert!(location(&r).starts_with("/login?next="), "{}", location(&r));

    let first17 = "11010519850315123";
    let c = new_person(base, "欧阳一件", first17, "13900000301").await;
    let number = format!("{first17}{}", rules::validators::id_check_character(first17).unwrap());
    let me = applicant_of(app, &number).await;
    let r = post_form(&c, &start_url, &[("code", "kg-001")]).await;
    let page_path = location(&r);
    let id: i32 = page_path.strip_prefix("/bundle-applications/").expect("to the application").parse().unwrap();
    let r = post_form(&c, &start_url, &[("code", "KG-001")]).await;
    assert_eq!(location(&r), page_path, "the same application again");
    let r = post_form(&c, &start_url, &[("code", "NOPE-9")]).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    let drafts = bundle_cases(app, id).await;
    assert_eq!(drafts.len(), 3, "one case per item");
    assert!(drafts.iter().all(|d| d.state == CaseState::Draft && d.applicant_id == me));
    let deps: std::collections::BTreeSet<i32> = drafts.iter().map(|d| d.department_id).collect();
    assert_eq!(deps.len(), 3, "three departments");

    // the single-item editor leaves a bundle's draft alone; starting the item alone is another draft
    let one = drafts[0].id;
    let r =
        post_form(&c, &format!("{base}/api/save_answers"), &[("case", &one.to_string()), ("q_via_agent", "yes")]).await;
    let f = flash_of(&r).expect("refused");
    assert!(f.errors.get("_form").is_some_and(|m| m.contains("一件事")), "{f:?}");
    let r = upload(&c, base, one as i64, "id_card", "a.pdf", PDF.to_vec(), true).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "no file through the single editor");
    let r = post_form(&c, &format!("{base}/api/start_application"), &[("item", "ZRZY-001")]).await;
    let alone: i32 = location(&r).strip_prefix("/applications/").unwrap().parse().unwrap();
    assert!(!drafts.iter().any(|d| d.id == alone), "a separate draft");
    let r = c.get(format!("{base}/applications/{one}")).send().await.unwrap();
    assert_eq!(location(&r), page_path, "the editor sends a bundle's draft to its page");

    // the page: the merged lines, and nothing can be sent yet
    let (status, page) = text(&c, &format!("{base}{page_path}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("data-testid=\"bundle-problems\""), "what is missing is listed");
    let r = post_form(&c, &format!("{base}/api/bundle_submit"), &[("application", &id.to_string()), ("version", "0")])
        .await;
    let f = flash_of(&r).expect("refused");
    assert!(f.errors.keys().any(|k| k == "m_id_card"), "the shared ID card at its line: {f:?}");
    assert!(f.errors.keys().any(|k| k == "q_via_agent"), "the question asked once: {f:?}");
    assert!(bundle_cases(app, id).await.iter().all(|d| d.state == CaseState::Draft), "nothing sent");

    // the question once: a value not offered is refused at it, then the answer reaches each item
    let answers_url = format!("{base}/api/bundle_answers");
    let r = post_form(&c, &answers_url, &[("case", &id.to_string()), ("q_via_agent", "maybe")]).await;
    let f = flash_of(&r).expect("refused");
    assert!(f.errors.contains_key("q_via_agent"), "{f:?}");
    assert_eq!(f.values.get("q_via_agent").map(String::as_str), Some("maybe"), "what was chosen is kept");
    let asked = app::server::bundles::application::view(db, me, id, rules::Lang::ZhHans).await.unwrap().questions;
    assert!(asked.len() > 1 && asked[0].code == "via_agent", "the shared question first, then each item's own");
    let mut form: Vec<(String, String)> = vec![("case".into(), id.to_string())];
    for q in &asked {
        let value = if q.code == "via_agent" { "no".to_string() } else { q.options[0].0.clone() };
        form.push((format!("q_{}", q.code), value));
    }
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = post_form(&c, &answers_url, &form).await;
    assert_eq!(location(&r), format!("{page_path}#materials"), "{:?}", flash_of(&r));
    let row = bundle_application::Entity::find_by_id(id).one(db).await.unwrap().unwrap();
    for d in bundle_cases(app, id).await {
        let code = app::server::entities::item::Entity::find_by_id(d.item_id).one(db).await.unwrap().unwrap().code;
        assert_eq!(d.answers.0, row.definition.item_answers(&code, &row.answers.0), "{code}");
        assert_eq!(d.answers.0.get("via_agent").map(String::as_str), Some("no"), "{code}");
    }

    // each line once: the lines the service lists, a file of a type all its slots take
    let view = app::server::bundles::application::view(db, me, id, rules::Lang::ZhHans).await.unwrap();
    let shared = view.materials.iter().find(|l| l.material.code == "id_card").expect("the ID card line");
    assert_eq!(shared.material.fills.len(), 3, "one upload for the three items");
    assert!(!view.materials.iter().any(|l| l.material.code == "agent_authorization"), "no agent");
    // a PNG where a slot takes only PDF is refused at the line, and nothing is recorded
    let pdf_only = view
        .materials
        .iter()
        .find(|l| !l.material.file_types.contains(&rules::materials::FileType::Png))
        .expect("a PDF-only line");
    let r = bundle_upload(&c, base, id, &pdf_only.material.code, "x.png", PNG).await;
    let f = flash_of(&r).expect("refused");
    assert!(f.errors.contains_key(&format!("m_{}", pdf_only.material.code)), "{f:?}");
    for d in &drafts {
        assert!(files_in(app, d.id).await.is_empty(), "nothing recorded for the refused file");
    }
    let before: u64 = case_file::Entity::find().count(db).await.unwrap();
    for line in &view.materials {
        let (name, body) = if line.material.file_types.contains(&rules::materials::FileType::Pdf) {
            ("材料.pdf", PDF)
        } else {
            ("材料.png", PNG)
        };
        let r = bundle_upload(&c, base, id, &line.material.code, name, body).await;
        assert_eq!(location(&r), format!("{page_path}#m-{}", line.material.code), "{:?}", flash_of(&r));
    }
    let slots: usize = view.materials.iter().map(|l| l.material.fills.len()).sum();
    let after: u64 = case_file::Entity::find().count(db).await.unwrap();
    assert_eq!(after - before, slots as u64, "a row in every slot a line fills");
    let cases_now = bundle_cases(app, id).await;
    let mut keys = std::collections::BTreeSet::new();
    for d in &cases_now {
        for f in files_in(app, d.id).await {
            keys.insert(f.storage_key);
        }
    }
    assert_eq!(keys.len(), view.materials.len(), "one object per line, however many slots it fills");
    let ids: Vec<i32> = cases_now.iter().map(|d| d.id).collect();
    let id_rows = case_file::Entity::find()
        .filter(case_file::Column::CaseId.is_in(ids.clone()))
        .filter(case_file::Column::MaterialCode.eq("id_card"))
        .all(db)
        .await
        .unwrap();
    assert_eq!(id_rows.len(), 3);
    assert!(id_rows.windows(2).all(|w| w[0].storage_key == w[1].storage_key && w[0].sha256 == w[1].sha256));

    // removed from all three at once, and from the store; then uploaded again
    let r = post_form(
        &c,
        &format!("{base}/api/bundle_remove_file"),
        &[("application", &id.to_string()), ("file", &id_rows[1].id.to_string())],
    )
    .await;
    assert_eq!(location(&r), format!("{page_path}#materials"), "{:?}", flash_of(&r));
    let left = case_file::Entity::find()
        .filter(case_file::Column::StorageKey.eq(id_rows[0].storage_key.clone()))
        .count(db)
        .await
        .unwrap();
    assert_eq!(left, 0, "no row holds the removed file");
    assert!(app.state.files.get(&id_rows[0].storage_key).await.is_err(), "the object is gone");
    let r = bundle_upload(&c, base, id, "id_card", "身份证.pdf", PDF).await;
    assert_eq!(location(&r), format!("{page_path}#m-id_card"), "{:?}", flash_of(&r));

    // someone else: not found, whatever they try
    let other = new_person(base, "司马他人", "11010519900620456", "13900000302").await;
    let (status, _) = text(&other, &format!("{base}{page_path}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let version = bundle_application::Entity::find_by_id(id).one(db).await.unwrap().unwrap().version;
    for (url, form) in [
        (answers_url.clone(), vec![("case", id.to_string()), ("q_via_agent", "yes".to_string())]),
        (
            format!("{base}/api/bundle_remove_file"),
            vec![("application", id.to_string()), ("file", id_rows[0].id.to_string())],
        ),
        (format!("{base}/api/bundle_submit"), vec![("application", id.to_string()), ("version", version.to_string())]),
    ] {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = post_form(&other, &url, &form).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{url}");
    }
    let r = bundle_upload(&other, base, id, "id_card", "x.pdf", PDF).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        bundle_application::Entity::find_by_id(id).one(db).await.unwrap().unwrap().version,
        version,
        "untouched"
    );

    // a stale version is refused and sends nothing
    let r = post_form(
        &c,
        &format!("{base}/api/bundle_submit"),
        &[("application", &id.to_string()), ("version", &(version - 1).to_string())],
    )
    .await;
    assert!(flash_of(&r).is_some_and(|f| !f.errors.is_empty()), "stale");
    assert!(bundle_cases(app, id).await.iter().all(|d| d.state == CaseState::Draft));

    // one case that cannot be submitted (moved on meanwhile): none is
    let moved = bundle_cases(app, id).await.remove(2);
    let mut am: app::server::entities::case::ActiveModel = moved.clone().into();
    am.state = Set(CaseState::Withdrawn);
    am.update(db).await.unwrap();
    let r = post_form(
        &c,
        &format!("{base}/api/bundle_submit"),
        &[("application", &id.to_string()), ("version", &version.to_string())],
    )
    .await;
    assert!(flash_of(&r).is_some_and(|f| !f.errors.is_empty()), "refused: {}", location(&r));
    let states: Vec<CaseState> = bundle_cases(app, id).await.iter().map(|d| d.state).collect();
    assert_eq!(states[..2], [CaseState::Draft, CaseState::Draft], "the others were not sent alone");
    let mut am: app::server::entities::case::ActiveModel = bundle_cases(app, id).await.remove(2).into();
    am.state = Set(CaseState::Draft);
    am.update(db).await.unwrap();

    // sent: every case submitted, each with its department's number and its own clock
    let r = post_form(
        &c,
        &format!("{base}/api/bundle_submit"),
        &[("application", &id.to_string()), ("version", &version.to_string())],
    )
    .await;
    assert_eq!(location(&r), page_path);
    assert!(flash_of(&r).is_some_and(|f| f.errors.is_empty() && f.notice.is_some()), "{:?}", flash_of(&r));
    let sent = bundle_cases(app, id).await;
    assert!(
        sent.iter().all(|d| d.state == CaseState::Submitted),
        "{:?}",
        sent.iter().map(|d| d.state).collect::<Vec<_>>()
    );
    let numbers: std::collections::BTreeSet<String> =
        sent.iter().map(|d| d.case_no.clone().expect("numbered")).collect();
    assert_eq!(numbers.len(), 3);
    assert!(sent.iter().all(|d| d.due_on.is_some() && d.submitted_at.is_some()), "each on its clock");
    assert!(bundle_application::Entity::find_by_id(id).one(db).await.unwrap().unwrap().submitted_at.is_some());
    let (status, page) = text(&c, &format!("{base}{page_path}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page.matches("data-testid=\"bundle-case\"").count(), 3);
    for n in &numbers {
        assert!(page.contains(n.as_str()), "{n} on the page");
    }
    assert!(page.contains("data-testid=\"bundle-combined\""));
    // each case's page leads back to the others; "my cases" marks them
    let (_, page) = text(&c, &format!("{base}/cases/{}", sent[0].id)).await;
    assert!(page.contains("data-testid=\"case-bundle\"") && page.contains(&page_path));
    let (_, page) = text(&c, &format!("{base}/cases")).await;
    assert!(page.matches(&format!("href=\"{page_path}\"")).count() >= 3, "the three cards link the application");
    // and nothing more changes through it
    let r = post_form(&c, &answers_url, &[("case", &id.to_string()), ("q_via_agent", "yes")]).await;
    assert!(flash_of(&r).is_some_and(|f| f.errors.get("_form").is_some_and(|m| m.contains("已提交"))));
    // a new start is a new application
    let r = post_form(&c, &start_url, &[("code", "KG-001")]).await;
    assert_ne!(location(&r), page_path, "a new one");

    acceptance(app, id, &c, me).await;
}

/// Answers every question (no agent), uploads a file for every line and sends application `id`.
async fn fill_and_send(app: &App, c: &Client, me: i32, id: i32) {
    let base = &app.base;
    let view = app::server::bundles::application::view(&app.state.db, me, id, rules::Lang::ZhHans).await.unwrap();
    let mut form: Vec<(String, String)> = vec![("case".into(), id.to_string())];
    for q in &view.questions {
        let value = if q.code == "via_agent" { "no".to_string() } else { q.options[0].0.clone() };
        form.push((format!("q_{}", q.code), value));
    }
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    post_form(c, &format!("{base}/api/bundle_answers"), &form).await;
    let view = app::server::bundles::application::view(&app.state.db, me, id, rules::Lang::ZhHans).await.unwrap();
    for line in &view.materials {
        let pdf = line.material.file_types.contains(&rules::materials::FileType::Pdf);
        let (name, body) = if pdf { ("a.pdf", PDF) } else { ("a.png", PNG) };
        bundle_upload(c, base, id, &line.material.code, name, body).await;
    }
    let view = app::server::bundles::application::view(&app.state.db, me, id, rules::Lang::ZhHans).await.unwrap();
    assert!(view.problems.is_empty(), "{:?}", view.problems);
    let version = view.version.to_string();
    let r =
        post_form(c, &format!("{base}/api/bundle_submit"), &[("application", &id.to_string()), ("version", &version)])
            .await;
    assert!(flash_of(&r).is_some_and(|f| f.errors.is_empty()), "{:?}", flash_of(&r));
}

/// The window's side: a case's staff page lists its application's other cases; a clerk of two of
/// the three departments accepts those two at once (the third waits for its own window); a
/// 综合窗口 clerk authorised by all three accepts a whole application at once; a stale page and a
/// member of staff who may not accept change nothing.
async fn acceptance(app: &App, first: i32, c: &Client, me: i32) {
    use rules::case::CaseState;
    let base = &app.base;
    let accept_url = format!("{base}/api/accept_bundle");
    let sent = bundle_cases(app, first).await;
    let versions = |cases: &[app::server::entities::case::Model]| {
        cases.iter().map(|d| format!("{}:{}", d.id, d.version)).collect::<Vec<_>>().join(",")
    };

    let clerk = staff_login(base, "clerk").await;
    let (status, v) = staff_view(&clerk, base, sent[0].id as i64).await;
    assert_eq!(status, StatusCode::OK);
    let siblings = v["bundle"]["cases"].as_array().expect("the panel").clone();
    assert_eq!(siblings.len(), 3);
    let acceptable = siblings.iter().filter(|s| s["acceptable"] == true).count();
    assert_eq!(acceptable, 2, "the clerk's two departments: {siblings:?}");

    // someone who may not accept: refused, nothing moves
    let reviewer = staff_login(base, "reviewer").await;
    let case0 = sent[0].id.to_string();
    let r = post_form(&reviewer, &accept_url, &[("case", &case0), ("versions", &versions(&sent))]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // a page that is out of date: refused, nothing moves
    let r = post_form(&clerk, &accept_url, &[("case", &case0), ("versions", &format!("{}:99", sent[0].id))]).await;
    assert!(flash_of(&r).is_some_and(|f| !f.errors.is_empty()));
    assert!(bundle_cases(app, first).await.iter().all(|d| d.state == CaseState::Submitted));

    let r = post_form(&clerk, &accept_url, &[("case", &case0), ("versions", &versions(&sent))]).await;
    assert_eq!(location(&r), format!("/staff/cases/{case0}"));
    assert!(flash_of(&r).is_some_and(|f| f.notice.is_some_and(|n| n.contains('2'))), "{:?}", flash_of(&r));
    let now = bundle_cases(app, first).await;
    let accepted = now.iter().filter(|d| d.state == CaseState::Accepted).count();
    assert_eq!(accepted, 2);
    let waiting = now.iter().find(|d| d.state == CaseState::Submitted).expect("the third waits");
    let yjgl = app::server::entities::department::Entity::find_by_id(waiting.department_id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(yjgl.code, "YJGL", "the department the clerk does not serve");
    for d in now.iter().filter(|d| d.state == CaseState::Accepted) {
        assert!(d.accepted_on.is_some() && d.due_on.is_some(), "each on its decision clock");
    }

    // the 综合窗口 accepts a whole application at once
    let r = post_form(c, &format!("{base}/api/bundle_start"), &[("code", "KG-001")]).await;
    let second: i32 = location(&r).strip_prefix("/bundle-applications/").unwrap().parse().unwrap();
    fill_and_send(app, c, me, second).await;
    let sent = bundle_cases(app, second).await;
    let window = staff_login(base, "window").await;
    let (_, v) = staff_view(&window, base, sent[1].id as i64).await;
    assert_eq!(v["bundle"]["cases"].as_array().unwrap().iter().filter(|s| s["acceptable"] == true).count(), 3);
    let r = post_form(&window, &accept_url, &[("case", &sent[1].id.to_string()), ("versions", &versions(&sent))]).await;
    assert!(flash_of(&r).is_some_and(|f| f.errors.is_empty()), "{:?}", flash_of(&r));
    let now = bundle_cases(app, second).await;
    assert!(
        now.iter().all(|d| d.state == CaseState::Accepted),
        "{:?}",
        now.iter().map(|d| d.state).collect::<Vec<_>>()
    );
    let dues: Vec<_> = now.iter().map(|d| d.due_on).collect();
    assert!(dues.iter().all(Option::is_some));
    // the applicant's page: three clocks, the combined one the latest
    let (_, page) = text(c, &format!("{base}/bundle-applications/{second}")).await;
    let latest = dues.iter().flatten().max().unwrap().to_string();
    let combined = page.split("data-testid=\"bundle-combined\"").nth(1).expect("the combined deadline");
    assert!(
        combined.split("</p>").next().is_some_and(|p| p.contains(&latest)),
        "the combined deadline {latest}: {}",
        &combined[..combined.len().min(300)]
    );
}

/// J2: the admin's editor. Only an admin writes; what is wrong is said in Chinese with nothing
/// lost and nothing written; a new bundle with a shared material and a shared question is public
/// at once when published, its checklist asks the shared one once; a stale save and a second
/// bundle with the same code are refused; unpublished, it is gone from the public side.
pub async fn admin_suite(app: &App) {
    let base = &app.base;
    let save_url = format!("{base}/api/bundle_save");
    let clerk = staff_login(base, "clerk").await;
    let (status, _) = text(&clerk, &format!("{base}/staff/admin/bundles")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let r = post_form(&clerk, &save_url, &[("code", "KG-009"), ("name", "x")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    let admin = staff_login(base, "admin").await;
    let (status, page) = text(&admin, &format!("{base}/staff/admin/bundles")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("/staff/admin/bundles/KG-001"));
    let (status, page) = text(&admin, &format!("{base}/staff/admin/bundles/KG-001")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("name=\"m0__ZRZY-001\""), "the sharing table for the chosen items");

    // one item: refused in Chinese, the name typed kept, nothing written
    let r =
        post_form(&admin, &save_url, &[("code", "kg-002"), ("name", "开办测绘公司"), ("item_ZRZY-001", "on")]).await;
    assert_eq!(location(&r), "/staff/admin/bundles/new");
    let f = flash_of(&r).expect("refused");
    assert!(f.errors.values().any(|m| m == "一件事至少包含两个事项"), "{f:?}");
    assert_eq!(f.values.get("name").map(String::as_str), Some("开办测绘公司"));
    let (status, _) = text(&browser(base), &format!("{base}/bundles/KG-002")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let form = |name: &'static str, version: &'static str, existing: &'static str, published: &'static str| {
        vec![
            ("existing", existing),
            ("version", version),
            ("code", "KG-002"),
            ("name", name),
            ("summary", "两个部门，一次申请"),
            ("published", published),
            ("item_ZRZY-001", "on"),
            ("item_ZJJ-001", "on"),
            ("m0_code", "id_card"),
            ("m0_name", "身份证明"),
            ("m0__ZRZY-001", "id_card"),
            ("m0__ZJJ-001", "id_card"),
            ("q0_code", "agent"),
            ("q0__ZRZY-001", "via_agent"),
            ("q0__ZJJ-001", "via_agent"),
        ]
    };
    let r = post_form(&admin, &save_url, &form("用地和施工一次办", "0", "", "yes")).await;
    assert_eq!(location(&r), "/staff/admin/bundles/KG-002", "{:?}", flash_of(&r));
    let anon = browser(base);
    let (status, page) = text(&anon, &format!("{base}/bundles/KG-002?kind=person&q_agent=no")).await;
    assert_eq!(status, StatusCode::OK);
    let list = checklist_of(&page);
    assert_eq!(list.matches("身份证明").count(), 1, "the shared ID once");
    assert!(list.contains("只需提交一次"));
    assert!(page.contains("name=\"q_agent\""), "the shared question asked once");

    // saved again at the version seen: v2; at the old version: stale, nothing written
    let r = post_form(&admin, &save_url, &form("用地和施工一件事", "1", "KG-002", "yes")).await;
    assert_eq!(location(&r), "/staff/admin/bundles/KG-002", "{:?}", flash_of(&r));
    let r = post_form(&admin, &save_url, &form("旧页面上的名称", "1", "KG-002", "yes")).await;
    assert!(flash_of(&r).is_some_and(|f| !f.errors.is_empty()), "stale");
    let (_, page) = text(&anon, &format!("{base}/bundles/KG-002")).await;
    assert!(page.contains("用地和施工一件事") && !page.contains("旧页面上的名称"));
    // a new bundle may not take a code in use
    let r = post_form(&admin, &save_url, &form("重复", "0", "", "yes")).await;
    assert!(flash_of(&r).is_some_and(|f| f.errors.contains_key("code")), "{:?}", flash_of(&r));
    // unpublished: gone from the public side
    let r = post_form(&admin, &save_url, &form("用地和施工一件事", "2", "KG-002", "")).await;
    assert_eq!(location(&r), "/staff/admin/bundles/KG-002", "{:?}", flash_of(&r));
    let (status, _) = text(&anon, &format!("{base}/bundles/KG-002")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
