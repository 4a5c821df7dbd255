//! 一件事: a bundle before applying (`/bundles/{code}`: its items, the questions asked once and
//! the merged checklist, with the combined deadline) and one application of it
//! (`/bundle-applications/{id}`: answer once, upload each line once, send all; then every case on
//! its clock). Server-made, every form a plain post or GET: the same without JavaScript.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use rules::materials::{ApplicantKind, FileType};
use rules::Lang;

use crate::components::{line_text, Notice};
use crate::islands::BundleChecklistLive;
use crate::models::{human_size, Flash};
use crate::pages::home::format_limit;
use crate::pages::loaded::{loaded, signed_in};
use crate::server::bundles::application::{ApplicationView, MaterialLine};
use crate::server::bundles::forms::FORM;
use crate::server::bundles::BundleView;

fn render(v: BundleView, flash: Flash, lang: Lang) -> impl IntoView {
    let start = view! {
        <section class="panel" id="apply">
            {flash.errors.get("_form").cloned().map(|m| view! { <div class="error-summary" role="alert"><p>{m}</p></div> })}
            <form method="post" action={<crate::api::BundleStart as ServerFn>::PATH}>
                <input type="hidden" name="code" value=v.code.clone()/>
                <button type="submit" class="button" data-testid="bundle-start">{lang.pick("在线申请（一次提交全部事项）", "線上申請（一次提交全部事項）", "Apply online (all the items at once)")}</button>
            </form>
            <p class="hint">{lang.pick("需要登录。您的回答和上传的文件会保存为草稿，可随时回来继续。", "需要登入。您的回答和上傳的檔案會儲存為草稿，可隨時回來繼續。", "You sign in first. Your answers and files are kept as a draft: come back at any time.")}</p>
        </section>
    };
    let kind = v.kind;
    let kind_radio = move |k: ApplicantKind, label: &'static str| {
        view! {
            <label class="radio"><input type="radio" name="kind" value=k.as_str() checked=kind == k/>{label}</label>
        }
    };
    let questions = v
        .questions
        .iter()
        .map(|q| {
            let options = q
                .options
                .iter()
                .map(|(value, label)| {
                    let checked = v.answers.get(&q.code) == Some(value);
                    view! { <label class="radio"><input type="radio" name=format!("q_{}", q.code) value=value.clone() checked=checked/>{label.clone()}</label> }
                })
                .collect_view();
            view! { <fieldset class="field"><legend>{q.text.clone()}</legend>{options}</fieldset> }
        })
        .collect_view();
    let names: std::collections::BTreeMap<String, String> =
        v.items.iter().map(|i| (i.code.clone(), i.name.clone())).collect();
    let lines = v
        .checklist
        .iter()
        .map(|m| {
            let t = line_text(m, &names, lang);
            view! {
                <li data-testid="bundle-material">
                    <strong>{m.name.clone()}</strong>" "<span class="tag">{t.status}</span>
                    {t.shared.map(|s| view! { " "<span class="tag" data-testid="bundle-shared">{s}</span> })}
                    <p class="meta">{t.for_items}</p>
                </li>
            }
        })
        .collect_view();
    let items = v
        .items
        .iter()
        .map(|i| {
            view! {
                <tr data-testid="bundle-item">
                    <td><a href=format!("/items/{}", i.code)>{i.name.clone()}</a></td>
                    <td>{i.department.clone()}</td>
                    <td>{format_limit(i.promised, lang)}</td>
                    <td>{i.projected.map(|d| d.to_string()).unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <nav class="breadcrumbs"><a href="/">{lang.pick("办事大厅", "辦事大廳", "Services")}</a></nav>
        <h1>{v.name.clone()}<span class="tag">{lang.pick("一件事一次办", "一件事一次辦", "one application")}</span></h1>
        <p>{v.summary.clone()}</p>
        <section class="panel">
            <h2>{lang.pick("包含的事项", "包含的事項", "The items")}</h2>
            <p class="hint">{lang.pick("一次申请，各部门分别受理、审查和决定，各有自己的时限；您在一个页面查看全部进度。", "一次申請，各部門分別受理、審查和決定，各有自己的時限；您在一個頁面查看全部進度。", "One application: each department accepts, reviews and decides its own item on its own clock; you follow them all on one page.")}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-label=lang.pick("包含的事项（可左右滚动）", "包含的事項（可左右捲動）", "The items (scrollable table)")><table class="table">
                <thead><tr>
                    <th scope="col">{lang.pick("事项", "事項", "Item")}</th>
                    <th scope="col">{lang.pick("部门", "部門", "Department")}</th>
                    <th scope="col">{lang.pick("承诺时限", "承諾時限", "Promised limit")}</th>
                    <th scope="col">{lang.pick("如今天受理，承诺办结日", "如今天受理，承諾辦結日", "If accepted today, decided by")}</th>
                </tr></thead>
                <tbody>{items}</tbody>
            </table></div>
            {v.combined.map(|d| view! {
                <p class="projection" data-testid="bundle-combined">
                    {lang.pick("如今天（", "如今天（", "If all are accepted today (")}{v.today.to_string()}
                    {lang.pick("）受理，全部事项最迟于 ", "）受理，全部事項最遲於 ", "), every item is decided by ")}
                    <strong>{d.to_string()}</strong>{lang.pick(" 前办结。", " 前辦結。", ".")}
                </p>
            })}
        </section>
        <section class="panel" aria-labelledby="bundle-list-h">
            <h2 id="bundle-list-h">{lang.pick("一次准备的材料", "一次準備的材料", "What you prepare, once")}</h2>
            <form method="get" class="preview-form">
                <fieldset class="field">
                    <legend>{lang.pick("申请人类型", "申請人類型", "Applicant type")}</legend>
                    {kind_radio(ApplicantKind::Person, lang.pick("个人", "個人", "Person"))}
                    {kind_radio(ApplicantKind::Enterprise, lang.pick("企业 / 法人", "企業 / 法人", "Enterprise"))}
                </fieldset>
                {questions}
                <button type="submit" class="button secondary">{lang.pick("更新清单", "更新清單", "Update the list")}</button>
            </form>
            <ol class="checklist" data-testid="bundle-checklist">{lines}</ol>
            <BundleChecklistLive bundle=v.definition.clone() materials=v.materials.clone() names=names.clone()/>
        </section>
        {start}
    }
}

/// `/bundles/{code}`: a 一件事 before applying.
#[component]
pub fn BundlePage() -> impl IntoView {
    loaded(|c| async move {
        let code = c.param::<String>("code")?;
        let kind = ApplicantKind::parse(&c.get("kind")).unwrap_or(ApplicantKind::Enterprise);
        let answers =
            c.query.iter().filter_map(|(k, v)| k.strip_prefix("q_").map(|q| (q.to_string(), v.clone()))).collect();
        let cal = c.state.calendar();
        let v = crate::server::bundles::view(&c.state.db, &cal, c.today, &code, kind, answers).await?;
        let title = format!("{} · {}", v.name, c.lang.pick("一件事一次办", "一件事一次辦", "One application"));
        let flash = c.flash(FORM).await?;
        Ok(c.page(title, render(v, flash, c.lang)))
    })
}

/// One line of the draft's checklist: what it is for, its files (each with its remove button),
/// the message of a refused upload, and the upload form.
fn material_line(id: i32, line: MaterialLine, items: &[(String, String)], flash: &Flash, lang: Lang) -> impl IntoView {
    let m = line.material;
    let code = m.code.clone();
    let field = format!("m_{code}");
    let err = flash.errors.get(&field).cloned();
    let refused = err.is_some();
    let for_items = m
        .fills
        .iter()
        .filter_map(|(i, _)| items.iter().find(|(c, _)| c == i).map(|(_, n)| n.clone()))
        .collect::<Vec<_>>()
        .join("、");
    let types = m.file_types.iter().map(|t| t.label()).collect::<Vec<_>>().join(" / ");
    let action = format!(
        "/bundle-applications/{id}/files?{}",
        serde_urlencoded::to_string([("material", code.as_str())]).unwrap_or_default()
    );
    let files = line
        .files
        .into_iter()
        .map(|f| {
            let remove_to = <crate::api::BundleRemoveFile as ServerFn>::PATH;
            super::editor::file_row(&f, remove_to, ("application", id), Some("bundle-file"), lang)
        })
        .collect_view();
    let input = format!("f-{code}");
    let hint = format!("h-{code}");
    view! {
        <li class="material-card" id=format!("m-{code}") class:field-error=refused data-testid="bundle-line">
            <h3>{m.name.clone()}" "<span class="tag">{crate::components::requirement_words(m.requirement, m.deferrable, lang)}</span>
                {(m.fills.len() > 1).then(|| view! { " "<span class="tag">{lang.pick("只需上传一次", "只需上傳一次", "uploaded once")}</span> })}
            </h3>
            <p class="meta" id=hint.clone()>{lang.pick("用于：", "用於：", "For: ")}{for_items}" · "{types}" · "{lang.pick("单个文件不超过 ", "單個檔案不超過 ", "at most ")}{human_size(m.max_bytes)}</p>
            <ul class="file-list">{files}</ul>
            {err.map(|e| view! { <p class="error-message" role="alert">{e}</p> })}
            <form method="post" enctype="multipart/form-data" action=action class="upload-form">
                <label for=input.clone()>{lang.pick("选择文件", "選擇檔案", "Choose a file")}<span class="visually-hidden">"："{m.name.clone()}</span></label>
                <input type="file" id=input name="file" multiple required accept=FileType::accept(&m.file_types) aria-describedby=hint/>
                <button type="submit" class="button secondary">{lang.pick("上传", "上傳", "Upload")}</button>
            </form>
        </li>
    }
}

fn draft(v: ApplicationView, flash: Flash, lang: Lang) -> impl IntoView {
    let id = v.id;
    let items: Vec<(String, String)> = v.cases.iter().map(|c| (c.item_code.clone(), c.item_name.clone())).collect();
    let questions = v
        .questions
        .iter()
        .map(|q| {
            let field = format!("q_{}", q.code);
            let chosen = flash.values.get(&field).cloned().or_else(|| v.answers.get(&q.code).cloned());
            let err = flash.errors.get(&field).cloned();
            let refused = err.is_some();
            let options = q
                .options
                .iter()
                .map(|(value, label)| {
                    let checked = chosen.as_ref() == Some(value);
                    view! { <label class="radio"><input type="radio" name=field.clone() value=value.clone() checked=checked/>{label.clone()}</label> }
                })
                .collect_view();
            view! {
                <fieldset class="field" id=format!("f-{field}") class:field-error=refused>
                    <legend>{q.text.clone()}</legend>
                    {err.map(|e| view! { <p class="error-message" role="alert">{e}</p> })}
                    {options}
                </fieldset>
            }
        })
        .collect_view();
    let has_questions = !v.questions.is_empty();
    let lines = v.materials.into_iter().map(|l| material_line(id, l, &items, &flash, lang)).collect_view();
    let outdated = v.cases.iter().any(|c| c.outdated);
    let ready = v.problems.is_empty();
    let anchor = |field: &str| match field.split_once('_') {
        Some(("q", _)) => format!("#f-{field}"),
        Some(("m", code)) => format!("#m-{code}"),
        _ => "#submit".to_string(),
    };
    let problems = v.problems.iter().map(|(f, m)| view! { <li><a href=anchor(f)>{m.clone()}</a></li> }).collect_view();
    let form_error = flash.errors.get("_form").cloned();
    let refused = !flash.errors.is_empty();
    view! {
        <Notice text=flash.notice.clone()/>
        {refused.then(|| view! {
            <div class="error-summary" role="alert" tabindex="-1">
                <p>{form_error.clone().unwrap_or_else(|| lang.pick("请更正标出的内容，已填写的内容和已上传的文件均已保留。", "請更正標出的內容，已填寫的內容和已上傳的檔案均已保留。", "Please correct the marked fields; your answers and files are kept.").to_string())}</p>
            </div>
        })}
        {has_questions.then(|| view! {
            <section class="panel" aria-labelledby="bq-h">
                <h2 id="bq-h">{lang.pick("1. 回答问题（只答一次）", "1. 回答問題（只答一次）", "1. Answer once")}</h2>
                <form method="post" action={<crate::api::BundleAnswers as ServerFn>::PATH}>
                    <input type="hidden" name="case" value=id.to_string()/>
                    {questions}
                    <button type="submit" class="button secondary">{lang.pick("保存回答", "儲存回答", "Save the answers")}</button>
                </form>
            </section>
        })}
        <section class="panel" id="materials" aria-labelledby="bm-h">
            <h2 id="bm-h">{lang.pick("2. 上传材料（每份只传一次）", "2. 上傳材料（每份只傳一次）", "2. Upload each material once")}</h2>
            <ul class="material-cards" data-testid="bundle-lines">{lines}</ul>
        </section>
        <section class="panel" id="submit" aria-labelledby="bs-h">
            <h2 id="bs-h">{lang.pick("3. 一次提交全部事项", "3. 一次提交全部事項", "3. Send all the items at once")}</h2>
            {outdated.then(|| view! {
                <div class="warning-box">
                    <p>{lang.pick("有事项的办事指南已更新。更新后，您的回答和文件会保留。", "有事項的辦事指南已更新。更新後，您的回答和檔案會保留。", "A guide has changed since you began. Your answers and files are kept when you update.")}</p>
                    <form method="post" action={<crate::api::BundleUpgrade as ServerFn>::PATH}>
                        <input type="hidden" name="application" value=id.to_string()/>
                        <button type="submit" class="button secondary">{lang.pick("按最新指南更新申请", "按最新指南更新申請", "Update to the new guides")}</button>
                    </form>
                </div>
            })}
            {(!ready).then(|| view! {
                <div class="warning-box" data-testid="bundle-problems">
                    <p>{lang.pick("提交前还需：", "提交前還需：", "Before you send:")}</p>
                    <ul>{problems}</ul>
                </div>
            })}
            <p>{lang.pick("提交即表示您承诺所填信息和所附材料真实、有效。各部门分别审查，并在 5 个工作日内决定是否受理或一次性告知需补正的内容。",
                "提交即表示您承諾所填資訊和所附材料真實、有效。各部門分別審查，並在 5 個工作日內決定是否受理或一次性告知需補正的內容。",
                "By sending you declare that your answers and materials are true. Each department checks its item and, within 5 working days, accepts it or tells you once everything to correct.")}</p>
            <form method="post" action={<crate::api::BundleSubmit as ServerFn>::PATH}>
                <input type="hidden" name="application" value=id.to_string()/>
                <input type="hidden" name="version" value=v.version.to_string()/>
                <button type="submit" class="button" disabled=!ready data-testid="bundle-submit">{lang.pick("确认并一次提交", "確認並一次提交", "Accept and send all")}</button>
            </form>
        </section>
    }
}

fn sent(v: ApplicationView, flash: Flash, lang: Lang) -> impl IntoView {
    let rows = v
        .cases
        .iter()
        .map(|c| {
            let clock = match (c.term, c.due_on) {
                (Some(t), Some(d)) => format!("{}：{d}", t.label(lang)),
                _ => lang.pick("—", "—", "—").to_string(),
            };
            view! {
                <tr data-testid="bundle-case">
                    <td>{c.item_name.clone()}</td>
                    <td>{c.department.clone()}</td>
                    <td>{c.case_no.clone().unwrap_or_default()}</td>
                    <td><span class="tag">{c.state.label_for(c.filing, lang)}</span></td>
                    <td data-testid="bundle-clock">{clock}</td>
                    <td><a href=format!("/cases/{}", c.case_id)>{lang.pick("查看", "查看", "Open")}<span class="visually-hidden">" "{c.item_name.clone()}</span></a></td>
                </tr>
            }
        })
        .collect_view();
    let all_closed = v.cases.iter().all(|c| c.state.is_final());
    view! {
        <Notice text=flash.notice.clone()/>
        <section class="panel">
            <h2>{lang.pick("各事项的办理进度", "各事項的辦理進度", "Where each item is")}</h2>
            <p>{lang.pick("提交日期：", "提交日期：", "Sent on: ")}{v.submitted_on.map(|d| d.to_string()).unwrap_or_default()}
                {lang.pick("。各部门分别受理和决定，各有自己的时限。", "。各部門分別受理和決定，各有自己的時限。", ". Each department accepts and decides its own item, on its own clock.")}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-label=lang.pick("各事项的办理进度（可左右滚动）", "各事項的辦理進度（可左右捲動）", "Where each item is (scrollable table)")><table class="table">
                <thead><tr>
                    <th scope="col">{lang.pick("事项", "事項", "Item")}</th>
                    <th scope="col">{lang.pick("部门", "部門", "Department")}</th>
                    <th scope="col">{lang.pick("受理编号", "受理編號", "Case number")}</th>
                    <th scope="col">{lang.pick("状态", "狀態", "State")}</th>
                    <th scope="col">{lang.pick("当前时限", "當前時限", "Current term")}</th>
                    <th scope="col"><span class="visually-hidden">{lang.pick("详情", "詳情", "Details")}</span></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
            {v.combined.filter(|_| !all_closed).map(|d| view! {
                <p class="projection" data-testid="bundle-combined">{lang.pick("全部事项的当前时限最迟于 ", "全部事項的當前時限最遲於 ", "Every item's current term ends by ")}<strong>{d.to_string()}</strong></p>
            })}
        </section>
    }
}

/// `/bundle-applications/{id}`: the applicant's 一件事 application — the draft, or once sent its
/// cases side by side.
#[component]
pub fn BundleApplicationPage() -> impl IntoView {
    signed_in(|c| async move {
        let id = c.param::<i32>("id")?;
        let applicant = crate::server::guard::require_applicant(c.user.as_ref())?;
        let v = crate::server::bundles::application::view(&c.state.db, applicant, id, c.lang).await?;
        let flash = c.flash(FORM).await?;
        let lang = c.lang;
        let title = format!("{} · {}", v.name, lang.pick("一件事申请", "一件事申請", "Combined application"));
        let head = view! {
            <nav class="breadcrumbs"><a href="/cases">{lang.pick("我的办件", "我的辦件", "My cases")}</a>" › "<a href=format!("/bundles/{}", v.code)>{v.name.clone()}</a></nav>
            <h1>{v.name.clone()}<span class="tag">{lang.pick("一件事一次办", "一件事一次辦", "one application")}</span></h1>
        };
        let body =
            if v.submitted_on.is_some() { sent(v, flash, lang).into_any() } else { draft(v, flash, lang).into_any() };
        Ok(c.page(title, view! { {head}{body} }))
    })
}
