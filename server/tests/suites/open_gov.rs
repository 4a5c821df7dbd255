//! J1: 政务公开. An editor drafts an entry, a second editor approves it (the first cannot), it is
//! public, searchable by two Chinese characters and in its kind's feed; an edit waits for its
//! own approval while the public reads the approved version; withdrawn, it is gone everywhere. A
//! decision on a public-interest item is published by itself and withdrawn with its result.
//! Whoever is not an editor of the department is refused. Search gives the same hits on SQLite
//! and PostgreSQL (a corpus of 1,000 entries).

use super::*;
use app::server::entities::open_entry;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

async fn desk_id(r: &reqwest::Response) -> i32 {
    let to = location(r);
    to.strip_prefix("/staff/open/").and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("to the entry: {to}"))
}

async fn entry_version(app: &App, id: i32) -> i32 {
    open_entry::Entity::find_by_id(id).one(&app.state.db).await.unwrap().unwrap().version
}

async fn step(c: &Client, app: &App, id: i32, step: &str) -> reqwest::Response {
    let v = entry_version(app, id).await.to_string();
    let id_s = id.to_string();
    post_form(c, &format!("{}/api/open_step", app.base), &[("id", id_s.as_str()), ("version", &v), ("step", step)])
        .await
}

pub async fn open_gov_suite(app: &App) {
    let (base, db) = (&app.base, &app.state.db);
    let editor = staff_login(base, "editor").await;
    let editor2 = staff_login(base, "editor2").await;
    let clerk = staff_login(base, "clerk").await;
    let anon = browser(base);
    let zrzy = app::server::entities::department::Entity::find()
        .filter(app::server::entities::department::Column::Code.eq("ZRZY"))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();

    // Not an editor: refused, the desk and the write alike.
    assert_eq!(text(&clerk, &format!("{base}/staff/open")).await.0, StatusCode::FORBIDDEN);
    let form = |title: &str, body: &str| {
        vec![
            ("department", zrzy.clone()),
            ("kind", "policy".to_string()),
            ("title", title.to_string()),
            ("body", body.to_string()),
        ]
    };
    let r = clerk.post(format!("{base}/api/open_save")).form(&form("标题", "正文")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // Bad input: every error next to its field, what was typed kept.
    let mut bad = form("", "");
    bad.push(("withdraw_on", "2026-13-40".into()));
    let r = editor.post(format!("{base}/api/open_save")).form(&bad).send().await.unwrap();
    assert_eq!(location(&r), "/staff/open/new");
    let f = flash_of(&r).unwrap();
    for k in ["title", "body", "withdraw_on"] {
        assert!(f.errors.contains_key(k), "{k}: {f:?}");
    }
    assert_eq!(f.values.get("withdraw_on").map(String::as_str), Some("2026-13-40"));
    let mut decision_kind = form("标题", "正文");
    decision_kind[1].1 = "decision_result".into();
    let r = editor.post(format!("{base}/api/open_save")).form(&decision_kind).send().await.unwrap();
    assert!(flash_of(&r).unwrap().errors.contains_key("kind"), "decisions are published by their cases");

    // A draft, with HTML that must not run.
    let body =
        "## 一、总则\n\n为规范**宅基地审批**管理，制定本办法。<script>alert(1)</script>\n\n[附件](javascript:alert(1))";
    let r =
        editor.post(format!("{base}/api/open_save")).form(&form("农村宅基地审批管理办法", body)).send().await.unwrap();
    let id = desk_id(&r).await;
    let public = |path: String| {
        let anon = anon.clone();
        async move { text(&anon, &format!("{base}{path}")).await }
    };
    assert_eq!(public(format!("/open/{id}")).await.0, StatusCode::NOT_FOUND, "a draft is not public");
    assert!(!public("/open?q=宅基".into()).await.1.contains("农村宅基地审批管理办法"));

    // Sent for approval; the sender cannot approve it, another editor can.
    assert_eq!(location(&step(&editor, app, id, "submit").await), format!("/staff/open/{id}"));
    let r = step(&editor, app, id, "approve").await;
    assert!(flash_of(&r).unwrap().errors["_form"].contains("另一位"), "{:?}", flash_of(&r));
    assert_eq!(public(format!("/open/{id}")).await.0, StatusCode::NOT_FOUND);
    let (_, desk) = text(&editor2, &format!("{base}/staff/open")).await;
    assert!(desk.contains("农村宅基地审批管理办法") && desk.contains("待审核"), "waiting on the second editor's desk");
    let r = step(&editor2, app, id, "approve").await;
    assert!(flash_of(&r).unwrap().notice.unwrap().contains("已审核发布"));
    let (status, page) = public(format!("/open/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<strong>宅基地审批</strong>") && page.contains("<h2>一、总则</h2>"), "{page}");
    assert!(!page.contains("<script>alert") && !page.contains("javascript:alert"), "nothing in it runs");
    // found by any two characters of its words, listed under its kind, in its feed
    for q in ["宅基", "审批", "管理办法"] {
        let (_, found) = public(format!("/open?q={q}")).await;
        assert!(found.contains(&format!("/open/{id}")), "{q} finds it");
    }
    assert!(!public("/open?q=宅审".into()).await.1.contains(&format!("/open/{id}\"")), "not characters out of order");
    assert!(public("/open?kind=policy".into()).await.1.contains("农村宅基地审批管理办法"));
    assert!(!public("/open?kind=plan".into()).await.1.contains("农村宅基地审批管理办法"));
    let r = anon.get(format!("{base}/open/feed/policy.atom")).send().await.unwrap();
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("application/atom+xml"));
    let feed = r.text().await.unwrap();
    assert!(
        feed.contains("<title>农村宅基地审批管理办法</title>") && feed.contains(&format!("{base}/open/{id}")),
        "{feed}"
    );
    assert_eq!(anon.get(format!("{base}/open/feed/news.atom")).send().await.unwrap().status(), StatusCode::NOT_FOUND);

    // An edit waits for its approval: the public reads the approved version meanwhile.
    let r = editor
        .post(format!("{base}/api/open_save"))
        .form(
            &[
                form("农村宅基地审批管理办法（修订）", "## 一、总则\n\n修订后的正文：耕地保护。").as_slice(),
                &[("id", id.to_string()), ("version", entry_version(app, id).await.to_string())],
            ]
            .concat(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(desk_id(&r).await, id);
    let (_, page) = public(format!("/open/{id}")).await;
    assert!(page.contains("为规范") && !page.contains("耕地保护"), "still the approved version");
    assert!(!public("/open?q=耕地".into()).await.1.contains(&format!("/open/{id}")), "the edit is not searchable");
    // a stale version is refused
    let r = editor
        .post(format!("{base}/api/open_save"))
        .form(&[form("旧", "旧").as_slice(), &[("id", id.to_string()), ("version", "1".into())]].concat())
        .send()
        .await
        .unwrap();
    assert!(flash_of(&r).unwrap().errors["_form"].contains("他人修改"));
    step(&editor, app, id, "submit").await;
    step(&editor2, app, id, "approve").await;
    let (_, page) = public(format!("/open/{id}")).await;
    assert!(page.contains("耕地保护") && page.contains("（修订）"), "the new version");
    assert!(page.contains("版本记录") && page.contains("open-changed"), "says it changed");
    assert!(public("/open?q=耕地".into()).await.1.contains(&format!("/open/{id}")));

    // Withdrawn: gone from the page, the index, the search and the feed.
    step(&editor, app, id, "withdraw").await;
    assert_eq!(public(format!("/open/{id}")).await.0, StatusCode::NOT_FOUND);
    assert!(!public("/open?q=耕地".into()).await.1.contains(&format!("/open/{id}")));
    assert!(!public("/open?kind=policy".into()).await.1.contains(&format!("/open/{id}")));
    let feed = anon.get(format!("{base}/open/feed/policy.atom")).send().await.unwrap().text().await.unwrap();
    assert!(!feed.contains(&format!("/open/{id}<")), "{feed}");

    // A scheduled entry is public from its day.
    let tomorrow = (app.state.today() + chrono::Duration::days(1)).to_string();
    let mut scheduled = form("2027年度土地供应计划", "计划供应国有建设用地。");
    scheduled[1].1 = "land_supply".into();
    scheduled.push(("publish_on", tomorrow));
    let r = editor.post(format!("{base}/api/open_save")).form(&scheduled).send().await.unwrap();
    let later = desk_id(&r).await;
    step(&editor, app, later, "submit").await;
    step(&editor2, app, later, "approve").await;
    assert_eq!(public(format!("/open/{later}")).await.0, StatusCode::NOT_FOUND, "not before its day");
    app.state.clock.set_day(app.state.today() + chrono::Duration::days(1));
    assert_eq!(public(format!("/open/{later}")).await.0, StatusCode::OK, "public on its day");
    assert!(public("/open?q=供应".into()).await.1.contains(&format!("/open/{later}")));
    app.state.clock.reset();

    // 审批结果公示: a decision on a public-interest item publishes itself.
    let person = new_person(base, "郑公示", "33010219860606902", "13900000692").await;
    let reviewer = staff_login(base, "reviewer").await;
    let approver = staff_login(base, "approver").await;
    let case = fill_and_submit(&person, base, "ZRZY-002", &[("via_agent", "no"), ("first_home", "yes")]).await;
    act_ok(&clerk, base, case, &[("action", "accept")]).await;
    act_ok(&reviewer, base, case, &[("action", "start_review")]).await;
    act_ok(&approver, base, case, &[("action", "decide_grant"), ("reason", "符合条件")]).await;
    let e = open_entry::Entity::find()
        .filter(open_entry::Column::CaseId.eq(case as i32))
        .one(db)
        .await
        .unwrap()
        .expect("the decision is published");
    let (_, page) = public(format!("/open/{}", e.id)).await;
    let case_no =
        app::server::entities::case::Entity::find_by_id(case as i32).one(db).await.unwrap().unwrap().case_no.unwrap();
    assert!(page.contains(&case_no) && page.contains("准予") && page.contains("采矿"), "{page}");
    assert!(!page.contains("郑公示") && page.contains(&rules::validators::mask_name("郑公示")), "a person is masked");
    assert!(public("/open?kind=decision_result".into()).await.1.contains(&case_no));
    // an editor cannot rewrite it
    let r = editor
        .post(format!("{base}/api/open_save"))
        .form(
            &[form("改写", "改写").as_slice(), &[("id", e.id.to_string()), ("version", e.version.to_string())]]
                .concat(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // its result revoked (the sweep, for 容缺 materials never supplied): withdrawn with it
    app::server::open_gov::withdraw_decisions(db, &[case as i32], chrono::Utc::now()).await.unwrap();
    assert_eq!(public(format!("/open/{}", e.id)).await.0, StatusCode::NOT_FOUND);
    assert!(!public("/open?kind=decision_result".into()).await.1.contains(&case_no));
}

/// The same hits on both databases: 1,000 entries made from a fixed seed, each approved through
/// the service, then a set of queries whose answers are counted independently from the texts.
pub async fn search_corpus_suite(app: &App) {
    use app::server::open_gov;
    let db = &app.state.db;
    let words =
        ["土地", "供应", "规划", "矿业权", "登记", "宅基地", "耕地保护", "审批", "公告", "不动产", "执法", "测绘"];
    let mut texts = Vec::new();
    let mut seed: u64 = 20261207;
    for i in 0..1000 {
        let mut pick = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            words[(seed >> 33) as usize % words.len()]
        };
        let (a, b, c) = (pick(), pick(), pick());
        texts.push((format!("第{i}号{a}{b}"), format!("关于{c}的通知。")));
    }
    let dep = app::server::entities::department::Entity::find().one(db).await.unwrap().unwrap().id;
    let mut ids = Vec::new();
    for (title, body) in &texts {
        let a = open_gov::Approved {
            department: dep,
            kind: rules::open::OpenKind::Policy,
            title: title.clone(),
            body: body.clone(),
            author: 1,
            approver: 2,
            case: None,
            on: chrono::Utc::now().date_naive(),
        };
        ids.push(open_gov::insert_approved(db, a).await.unwrap());
    }
    for q in ["土地", "矿业", "耕地保护", "宅基地登记", "审批公告", "测绘", "规划 执法"] {
        let want = texts
            .iter()
            .zip(&ids)
            .filter(|((t, b), _)| {
                let all = format!("{t}\n{b}");
                // every word of the query, and of a word every pair of neighbours, is in the text
                q.split(' ').all(|w| {
                    let cs: Vec<char> = w.chars().collect();
                    cs.windows(2.min(cs.len())).all(|p| all.contains(&p.iter().collect::<String>()))
                })
            })
            .map(|(_, id)| *id)
            .collect::<std::collections::BTreeSet<_>>();
        let got: std::collections::BTreeSet<i32> =
            open_gov::search::find(db, q, 5000).await.unwrap().into_iter().filter(|id| ids.contains(id)).collect();
        assert_eq!(got, want, "{q}: the hits are the entries holding it");
        assert!(!want.is_empty(), "{q} finds something");
    }
}

async fn attach(c: &Client, base: &str, id: i32, name: &str, body: &[u8], json: bool) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(body.to_vec()).file_name(name.to_string());
    let mut req =
        c.post(format!("{base}/staff/open/{id}/files")).multipart(reqwest::multipart::Form::new().part("file", part));
    if json {
        req = req.header("accept", "application/json");
    }
    req.send().await.unwrap()
}

async fn remove_file(c: &Client, app: &App, id: i32, version: i32, file: i32) -> reqwest::Response {
    let (id_s, v, f) = (id.to_string(), version.to_string(), file.to_string());
    post_form(c, &format!("{}/api/open_remove_file", app.base), &[("id", id_s.as_str()), ("version", &v), ("file", &f)])
        .await
}

async fn files_of(app: &App, id: i32) -> Vec<app::server::entities::open_attachment::Model> {
    use app::server::entities::open_attachment;
    use sea_orm::QueryOrder;
    open_attachment::Entity::find()
        .filter(open_attachment::Column::EntryId.eq(id))
        .order_by_asc(open_attachment::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
}

async fn in_store(app: &App, key: &str) -> bool {
    app.state.files.get(key).await.is_ok()
}

/// J1: an entry's attachments. Attached to the working copy (checked by content, one type list,
/// a size and a count), opened by the entry's editors, public only with an approved version that
/// holds them; taken off, a file no version holds is deleted from the store, one a version holds
/// stays public until the next approval. Whoever is not an editor of the department is refused.
pub async fn attachments_suite(app: &App) {
    let base = &app.base;
    let editor = staff_login(base, "editor").await;
    let editor2 = staff_login(base, "editor2").await;
    let clerk = staff_login(base, "clerk").await;
    let anon = browser(base);
    let zrzy = app::server::entities::department::Entity::find()
        .filter(app::server::entities::department::Column::Code.eq("ZRZY"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();
    let r = editor
        .post(format!("{base}/api/open_save"))
        .form(&[
            ("department", zrzy.as_str()),
            ("kind", "land_supply"),
            ("title", "2026年第三批国有建设用地供应公告"),
            ("body", "地块位置、面积与出让条件见附件。"),
        ])
        .send()
        .await
        .unwrap();
    let id = desk_id(&r).await;
    let page = format!("/staff/open/{id}");

    // Refused next to the field, nothing kept: a file that is not a PDF / OFD / image (by its
    // content, whatever its name), an empty one.
    for (name, body, said) in [("公告.pdf", &b"MZ\x90\x00 not a pdf"[..], "PDF"), ("空.pdf", &b""[..], "空")] {
        let r = attach(&editor, base, id, name, body, false).await;
        assert_eq!(location(&r), format!("{page}#m-attachment"), "{name}");
        let f = flash_of(&r).unwrap();
        assert!(f.errors.get("m_attachment").is_some_and(|m| m.contains(said)), "{name}: {f:?}");
        assert!(files_of(app, id).await.is_empty(), "{name}: nothing recorded");
    }
    // Not an editor: refused the upload, the file and the removal.
    assert_eq!(attach(&clerk, base, id, "a.pdf", PDF, false).await.status(), StatusCode::FORBIDDEN);

    // A PDF attached (the plain form), a PNG (with JavaScript: JSON, no redirect).
    let v0 = entry_version(app, id).await;
    let r = attach(&editor, base, id, "地块位置图.pdf", PDF, false).await;
    assert_eq!(location(&r), format!("{page}#m-attachment"));
    assert!(flash_of(&r).unwrap().notice.unwrap().contains("已上传"));
    assert_eq!(entry_version(app, id).await, v0 + 1, "attaching is an edit of the working copy");
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
    let r = attach(&editor, base, id, "界址点.png", PNG, true).await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!((v["ok"].as_bool(), v["files"][0]["file_name"].as_str()), (Some(true), Some("界址点.png")), "{v}");
    let files = files_of(app, id).await;
    let (pdf, png) = (files[0].clone(), files[1].clone());
    assert_eq!((pdf.file_type, png.file_type), (rules::materials::FileType::Pdf, rules::materials::FileType::Png));
    let (_, editing) = text(&editor, &format!("{base}{page}")).await;
    assert!(editing.contains("地块位置图.pdf") && editing.contains(&format!("{page}/files/{}", pdf.id)), "{editing}");
    // the editors open it (the approver, what they approve); nobody else does
    let r = editor2.get(format!("{base}{page}/files/{}", pdf.id)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert_eq!(r.bytes().await.unwrap().as_ref(), PDF);
    assert_eq!(
        clerk.get(format!("{base}{page}/files/{}", pdf.id)).send().await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        anon.get(format!("{base}/open/{id}/files/{}", pdf.id)).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    let r = remove_file(&clerk, app, id, entry_version(app, id).await, pdf.id).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // Sent for approval: the files are frozen with the text until approved or sent back.
    step(&editor, app, id, "submit").await;
    let r = attach(&editor, base, id, "迟到的.pdf", PDF, false).await;
    assert!(flash_of(&r).unwrap().errors.contains_key("_form"), "not while it waits for approval");
    assert_eq!(files_of(app, id).await.len(), 2);
    step(&editor2, app, id, "approve").await;
    let (status, public) = text(&anon, &format!("{base}/open/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(public.contains("open-attachments") && public.contains("地块位置图.pdf") && public.contains("界址点.png"));
    let r = anon.get(format!("{base}/open/{id}/files/{}", pdf.id)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.bytes().await.unwrap().as_ref(), PDF);
    assert_eq!(
        anon.get(format!("{base}/open/{id}/files/999999")).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );

    // A file attached after the approval and taken off again: no version held it, so it is gone,
    // from the store too.
    attach(&editor, base, id, "草稿附件.pdf", PDF, false).await;
    let draft_only = files_of(app, id).await.pop().unwrap();
    assert_eq!(draft_only.file_name, "草稿附件.pdf");
    assert_eq!(
        anon.get(format!("{base}/open/{id}/files/{}", draft_only.id)).send().await.unwrap().status(),
        StatusCode::NOT_FOUND,
        "not approved"
    );
    // a stale page's removal is refused
    let r = remove_file(&editor, app, id, entry_version(app, id).await - 1, draft_only.id).await;
    assert!(flash_of(&r).unwrap().errors["_form"].contains("他人修改"));
    let r = remove_file(&editor, app, id, entry_version(app, id).await, draft_only.id).await;
    assert!(flash_of(&r).unwrap().notice.unwrap().contains("已删除附件"));
    assert!(files_of(app, id).await.iter().all(|f| f.id != draft_only.id), "its row is gone");
    assert!(!in_store(app, &draft_only.storage_key).await, "and its object");

    // The approved PDF taken off: the public keeps it until the change is approved; then it is
    // gone from the public page, still held for the version that had it.
    remove_file(&editor, app, id, entry_version(app, id).await, pdf.id).await;
    assert!(text(&anon, &format!("{base}/open/{id}")).await.1.contains("地块位置图.pdf"), "the approved version's");
    assert!(!text(&editor, &format!("{base}{page}")).await.1.contains("地块位置图.pdf"), "not in the working copy");
    step(&editor, app, id, "submit").await;
    step(&editor2, app, id, "approve").await;
    let (_, public) = text(&anon, &format!("{base}/open/{id}")).await;
    assert!(!public.contains("地块位置图.pdf") && public.contains("界址点.png"), "{public}");
    assert_eq!(
        anon.get(format!("{base}/open/{id}/files/{}", pdf.id)).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    assert!(in_store(app, &pdf.storage_key).await, "version 1 still holds it");
    assert_eq!(editor.get(format!("{base}{page}/files/{}", pdf.id)).send().await.unwrap().status(), StatusCode::OK);

    // At most ten: the eleventh is refused, before its body is read.
    for n in files_of(app, id).await.iter().filter(|f| f.in_draft).count()..rules::open::MAX_ATTACHMENTS {
        assert!(attach(&editor, base, id, &format!("第{n}页.pdf"), PDF, true).await.status().is_success());
    }
    let r = attach(&editor, base, id, "多余.pdf", PDF, false).await;
    assert!(flash_of(&r).unwrap().errors["m_attachment"].contains("最多"), "{:?}", flash_of(&r));
    assert_eq!(files_of(app, id).await.iter().filter(|f| f.in_draft).count(), rules::open::MAX_ATTACHMENTS);

    // Withdrawn: its files are not public either.
    step(&editor, app, id, "withdraw").await;
    assert_eq!(
        anon.get(format!("{base}/open/{id}/files/{}", png.id)).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
}
