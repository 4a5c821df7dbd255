//! The admin's 一件事 pages: `/staff/admin/bundles` (the list) and `/staff/admin/bundles/{code}`
//! (the editor, `new` for a new one; see `server::bundles::admin`). Server-made, one plain form:
//! the items first, then — for the items chosen — which material one upload fills and which
//! question one answer serves. A refused save comes back with everything typed.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use rules::Lang;

use crate::components::Notice;
use crate::models::Flash;
use crate::pages::admin::admin_nav;
use crate::pages::loaded::signed_in;
use crate::server::bundles::admin::{self as sb, BundleEditor, FORM};

fn render_list(list: Vec<(String, String, usize, bool)>, lang: Lang) -> impl IntoView {
    view! {
        {admin_nav(lang)}
        <h1>{lang.pick("一件事", "一件事", "Combined applications")}</h1>
        <p><a class="button secondary" href="/staff/admin/bundles/new">{lang.pick("新建一件事", "新建一件事", "New combined application")}</a></p>
        <div class="table-scroll" tabindex="0" role="region" aria-label=lang.pick("一件事（可左右滚动）", "一件事（可左右捲動）", "Combined applications (scrollable table)")><table class="table">
            <thead><tr>
                <th scope="col">{lang.pick("编码", "編碼", "Code")}</th>
                <th scope="col">{lang.pick("名称", "名稱", "Name")}</th>
                <th scope="col">{lang.pick("事项数", "事項數", "Items")}</th>
                <th scope="col">{lang.pick("公开", "公開", "Public")}</th>
            </tr></thead>
            <tbody>{list.into_iter().map(|(code, name, items, published)| view! {
                <tr>
                    <td><a href=format!("/staff/admin/bundles/{code}")>{code.clone()}</a></td>
                    <td>{name}</td>
                    <td>{items.to_string()}</td>
                    <td>{if published { lang.pick("是", "是", "yes") } else { lang.pick("否", "否", "no") }}</td>
                </tr>
            }).collect_view()}</tbody>
        </table></div>
    }
}

fn render_editor(e: BundleEditor, f: Flash, lang: Lang) -> impl IntoView {
    let refused = !f.errors.is_empty();
    // what was typed wins over what is stored
    let val = |k: &str, stored: String| if refused { f.value(k) } else { stored };
    let d = &e.definition;
    let chosen: Vec<String> = if refused {
        e.catalog
            .iter()
            .filter(|i| f.values.contains_key(&format!("item_{}", i.code)))
            .map(|i| i.code.clone())
            .collect()
    } else {
        d.items.clone()
    };
    let err = |k: &str| f.errors.get(k).cloned();
    let field = |name: &'static str, label: &'static str, value: String, readonly: bool| {
        let e = err(name);
        let refused = e.is_some();
        let id = format!("b-{name}");
        let for_id = id.clone();
        view! {
            <div class="field" class:field-error=refused>
                <label for=for_id>{label}</label>
                {e.map(|m| view! { <p class="error-message">{m}</p> })}
                <input type="text" id=id name=name value=value readonly=readonly/>
            </div>
        }
    };
    let items = e
        .catalog
        .iter()
        .map(|i| {
            let id = format!("b-item-{}", i.code);
            let on = chosen.contains(&i.code);
            let for_id = id.clone();
            view! {
                <label class="checkbox" for=for_id>
                    <input type="checkbox" id=id name=format!("item_{}", i.code) value="on" checked=on/>
                    {format!("{} · {} · {}", i.code, i.name, i.department)}
                </label>
            }
        })
        .collect_view();
    let offered: Vec<_> = e.catalog.iter().filter(|i| chosen.contains(&i.code)).cloned().collect();
    let stored_rows_m = d.materials.len();
    let stored_rows_q = d.questions.len();
    let rows_in =
        |prefix: &str| (0..50).filter(|n| f.values.keys().any(|k| k.starts_with(&format!("{prefix}{n}_")))).count();
    let rows_m = if refused { rows_in("m") } else { stored_rows_m } + 2;
    let rows_q = if refused { rows_in("q") } else { stored_rows_q } + 2;
    let slot_select = |prefix: &str,
                       n: usize,
                       item: &crate::server::bundles::admin::OfferedItem,
                       options: &[(String, String)],
                       stored: String| {
        let name = format!("{prefix}{n}__{}", item.code);
        let current = val(&name, stored);
        let id = format!("b-{name}");
        view! {
            <td>
                <label class="visually-hidden" for=id.clone()>{format!("{}（{}）", item.name, n + 1)}</label>
                <select id=id name=name>
                    <option value="">{lang.pick("（不共享）", "（不共享）", "(not shared)")}</option>
                    {options.iter().map(|(c, t)| { let sel = *c == current; view! { <option value=c.clone() selected=sel>{format!("{t}（{c}）")}</option> } }).collect_view()}
                </select>
            </td>
        }
    };
    let text_cell = |name: String, label: String, stored: String| {
        let id = format!("b-{name}");
        let value = val(&name, stored);
        view! { <td><label class="visually-hidden" for=id.clone()>{label}</label><input type="text" id=id name=name value=value size="14"/></td> }
    };
    let material_rows = (0..rows_m)
        .map(|n| {
            let m = d.materials.get(n);
            let slot = |item: &str| m.and_then(|m| m.fills.iter().find(|(i, _)| i == item).map(|(_, c)| c.clone())).unwrap_or_default();
            view! {
                <tr>
                    {text_cell(format!("m{n}_code"), format!("{}（{}）", lang.pick("共享材料编码", "共享材料編碼", "Shared material code"), n + 1), m.map(|m| m.code.clone()).unwrap_or_default())}
                    {text_cell(format!("m{n}_name"), format!("{}（{}）", lang.pick("共享材料名称", "共享材料名稱", "Shared material name"), n + 1), m.map(|m| m.name.clone()).unwrap_or_default())}
                    {offered.iter().map(|i| slot_select("m", n, i, &i.materials, slot(&i.code))).collect_view()}
                </tr>
            }
        })
        .collect_view();
    let question_rows = (0..rows_q)
        .map(|n| {
            let q = d.questions.get(n);
            let slot = |item: &str| q.and_then(|q| q.answers.iter().find(|(i, _)| i == item).map(|(_, c)| c.clone())).unwrap_or_default();
            view! {
                <tr>
                    {text_cell(format!("q{n}_code"), format!("{}（{}）", lang.pick("共享问题编码", "共享問題編碼", "Shared question code"), n + 1), q.map(|q| q.question.code.clone()).unwrap_or_default())}
                    {text_cell(format!("q{n}_text"), format!("{}（{}）", lang.pick("共享问题文字", "共享問題文字", "Shared question text"), n + 1), q.map(|q| q.question.text.clone()).unwrap_or_default())}
                    {offered.iter().map(|i| slot_select("q", n, i, &i.questions, slot(&i.code))).collect_view()}
                </tr>
            }
        })
        .collect_view();
    let heads = offered.iter().map(|i| view! { <th scope="col">{i.name.clone()}</th> }).collect_view();
    let heads2 = offered.iter().map(|i| view! { <th scope="col">{i.name.clone()}</th> }).collect_view();
    let problems: Vec<String> = f
        .errors
        .iter()
        .filter(|(k, _)| k.starts_with("problem_") || k.as_str() == "_form")
        .map(|(_, m)| m.clone())
        .collect();
    let title = match &e.existing {
        Some(c) => format!("{} · {c} v{}", lang.pick("编辑一件事", "編輯一件事", "Edit"), e.version),
        None => lang.pick("新建一件事", "新建一件事", "New combined application").to_string(),
    };
    view! {
        {admin_nav(lang)}
        <h1>{title}</h1>
        <p><a href="/staff/admin/bundles">{lang.pick("← 全部一件事", "← 全部一件事", "← All combined applications")}</a></p>
        <Notice text=f.notice.clone()/>
        {refused.then(|| view! {
            <div class="error-summary" role="alert" tabindex="-1" data-testid="bundle-admin-errors">
                <p>{lang.pick("未保存：请更正以下内容，已填写的内容均已保留。", "未儲存：請更正以下內容，已填寫的內容均已保留。", "Not saved: correct the following; everything you entered is kept.")}</p>
                <ul>{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
            </div>
        })}
        <form method="post" action={<crate::api::BundleSave as ServerFn>::PATH} class="panel">
            <input type="hidden" name="existing" value=e.existing.clone().unwrap_or_default()/>
            <input type="hidden" name="version" value=e.version.to_string()/>
            {field("code", lang.pick("编码", "編碼", "Code"), val("code", d.code.clone()), e.existing.is_some())}
            {field("name", lang.pick("名称", "名稱", "Name"), val("name", d.name.clone()), false)}
            <div class="field">
                <label for="b-summary">{lang.pick("简介", "簡介", "Summary")}</label>
                <textarea id="b-summary" name="summary" rows="3">{val("summary", e.summary.clone())}</textarea>
            </div>
            <label class="checkbox" for="b-published">
                <input type="checkbox" id="b-published" name="published" value="yes" checked=if refused { f.value("published") == "yes" } else { e.published }/>
                {lang.pick("公开（在办事大厅显示，可在线申请）", "公開（在辦事大廳顯示，可線上申請）", "Public (shown on the home page, open for applications)")}
            </label>
            <fieldset class="field">
                <legend>{lang.pick("包含的事项（至少两项）", "包含的事項（至少兩項）", "Its items (at least two)")}</legend>
                {items}
            </fieldset>
            {(!offered.is_empty()).then(|| view! {
                <h2>{lang.pick("一次上传、多项共用的材料", "一次上傳、多項共用的材料", "Materials uploaded once for several items")}</h2>
                <p class="hint">{lang.pick("每行一份共享材料：选择它在各事项中对应的材料（至少两项）。先勾选事项并保存，这里才列出它们。", "每行一份共享材料：選擇它在各事項中對應的材料（至少兩項）。先勾選事項並儲存，這裡才列出它們。", "One shared material per row: pick what it fills in each item (at least two). Choose and save the items first.")}</p>
                <div class="table-scroll" tabindex="0" role="region" aria-label=lang.pick("共享材料（可左右滚动）", "共享材料（可左右捲動）", "Shared materials (scrollable table)")><table class="table">
                    <thead><tr><th scope="col">{lang.pick("编码", "編碼", "Code")}</th><th scope="col">{lang.pick("名称", "名稱", "Name")}</th>{heads}</tr></thead>
                    <tbody>{material_rows}</tbody>
                </table></div>
                <h2>{lang.pick("只问一次的问题", "只問一次的問題", "Questions asked once")}</h2>
                <div class="table-scroll" tabindex="0" role="region" aria-label=lang.pick("共享问题（可左右滚动）", "共享問題（可左右捲動）", "Shared questions (scrollable table)")><table class="table">
                    <thead><tr><th scope="col">{lang.pick("编码", "編碼", "Code")}</th><th scope="col">{lang.pick("问题", "問題", "Question")}</th>{heads2}</tr></thead>
                    <tbody>{question_rows}</tbody>
                </table></div>
            })}
            <button type="submit" class="button" data-testid="bundle-admin-save">{lang.pick("保存", "儲存", "Save")}</button>
        </form>
    }
}

/// `/staff/admin/bundles`.
#[component]
pub fn BundlesAdminPage() -> impl IntoView {
    signed_in(|c| async move {
        let list = sb::list(&c.state.db, c.user.as_ref()).await?;
        Ok(c.page(c.lang.pick("一件事", "一件事", "Combined applications"), render_list(list, c.lang)))
    })
}

/// `/staff/admin/bundles/:code`.
#[component]
pub fn BundleEditorPage() -> impl IntoView {
    signed_in(|c| async move {
        let code = c.params.get("code").cloned().unwrap_or_default();
        let e = sb::editor(&c.state.db, c.user.as_ref(), &code).await?;
        let flash = c.flash(FORM).await?;
        let title = if e.definition.name.is_empty() {
            c.lang.pick("新建一件事", "新建一件事", "New").to_string()
        } else {
            e.definition.name.clone()
        };
        Ok(c.page(title, render_editor(e, flash, c.lang)))
    })
}
