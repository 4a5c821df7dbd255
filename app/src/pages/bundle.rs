//! 一件事 (`/bundles/{code}`): a bundle's items, the questions asked once and the merged
//! checklist, with the combined deadline. Server-made: the answers form is a plain GET, so it works
//! the same without JavaScript.

use leptos::prelude::*;
use rules::materials::{ApplicantKind, Requirement};
use rules::Lang;

use crate::pages::home::format_limit;
use crate::pages::loaded::loaded;
use crate::server::bundles::BundleView;

fn render(v: BundleView, lang: Lang) -> impl IntoView {
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
    let name_of = |code: &str| v.items.iter().find(|i| i.code == code).map(|i| i.name.clone()).unwrap_or_default();
    let lines = v
        .checklist
        .iter()
        .map(|m| {
            let for_items = m.fills.iter().map(|(i, _)| name_of(i)).collect::<Vec<_>>().join("、");
            let shared = m.fills.len() > 1;
            let status = match (m.requirement, m.deferrable) {
                (Requirement::Optional, _) => lang.pick("可选", "可選", "optional"),
                (_, true) => lang.pick("可容缺后补", "可容缺後補", "may follow after acceptance"),
                _ => lang.pick("必须提交", "必須提交", "needed now"),
            };
            view! {
                <li data-testid="bundle-material">
                    <strong>{m.name.clone()}</strong>" "<span class="tag">{status}</span>
                    {shared.then(|| view! { " "<span class="tag" data-testid="bundle-shared">{lang.pick("只需提交一次", "只需提交一次", "uploaded once")}</span> })}
                    <p class="meta">{lang.pick("用于：", "用於：", "For: ")}{for_items}</p>
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
        </section>
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
        Ok(c.page(title, render(v, c.lang)))
    })
}
