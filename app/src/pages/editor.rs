//! The application editor, made on the server: the questions, the checklist the answers give, each
//! material's files and upload form, what is still missing and the projected dates. Every form
//! posts to a plain endpoint, so it all works without JavaScript; the island
//! `islands::EditorLive` only listens to this markup (answers → checklist and autosave, uploads
//! with a progress bar) and never draws it, so nothing typed before it wakes is lost.
//!
//! The materials the answers do not call for are in a `<template>` (not on the page, not sent
//! again): the island moves a card between it and the list as the answers change.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use rules::materials::{checklist, MaterialSpec};
use rules::Lang;

use crate::components::{checklist_status, error_anchor, requirement_text, Notice};
use crate::islands::EditorLive;
use crate::models::{human_size, EditorView, FileView, Flash};

/// A file of a draft: its link, type and size, and the form that removes it — posted to
/// `remove_to` with the draft named by `owner` (field, id): a case's (the island makes the same
/// markup for a file it has just uploaded) or a 一件事 application's.
pub fn file_row(
    f: &FileView,
    remove_to: &'static str,
    owner: (&'static str, i32),
    testid: Option<&'static str>,
    lang: Lang,
) -> impl IntoView + use<> {
    view! {
        <li class="file-row" data-testid=testid>
            <a href=format!("/files/{}", f.id) target="_blank" rel="noopener">{f.file_name.clone()}</a>
            <span class="hint">{f.file_type.label()}" · "{human_size(f.size)}</span>
            <form method="post" action=remove_to class="inline-form">
                <input type="hidden" name=owner.0 value=owner.1.to_string()/>
                <input type="hidden" name="file" value=f.id.to_string()/>
                <button type="submit" class="link-button">{lang.pick("删除", "刪除", "Remove")}<span class="visually-hidden">" "{f.file_name.clone()}</span></button>
            </form>
        </li>
    }
}

/// One material's card: what it is, its files, its upload form.
fn material_card(
    case_id: i32,
    spec: &MaterialSpec,
    files: &[FileView],
    error: Option<String>,
    unexpected: bool,
    lang: Lang,
) -> impl IntoView + use<> {
    let code = spec.code.clone();
    let mine: Vec<&FileView> = files.iter().filter(|f| f.material_code == code).collect();
    let uploaded = !mine.is_empty();
    let remove_to = <crate::api::RemoveFile as ServerFn>::PATH;
    let rows = mine.into_iter().map(|f| file_row(f, remove_to, ("case", case_id), None, lang)).collect_view();
    let types = spec.file_types.iter().map(|t| t.label()).collect::<Vec<_>>().join(" / ");
    let refused = error.is_some();
    view! {
        <li class="material-card" id=format!("m-{code}") class:field-error=refused data-material=code.clone()>
            <h3>{spec.name.clone()}</h3>
            <p class="meta">
                <span class="tag">{requirement_text(spec, lang)}</span>" "
                <span class=if uploaded { "tag ok" } else { "tag muted" } data-upload-tag="">
                    {if uploaded { lang.pick("已上传", "已上傳", "Uploaded") } else { lang.pick("尚未上传", "尚未上傳", "Not uploaded") }}
                </span>
            </p>
            <p class="hint" data-unexpected="" hidden=!unexpected>{lang.pick("按您现在的回答，这项材料已不需要，可以删除。", "按您現在的回答，這項材料已不需要，可以刪除。", "With your current answers this material is no longer needed: you may remove it.")}</p>
            {(!spec.note.is_empty()).then(|| view! { <p class="hint">{spec.note.clone()}</p> })}
            <p class="hint">{lang.pick("格式：", "格式：", "Files: ")}{types}{lang.pick("，每个不超过 ", "，每個不超過 ", ", each up to ")}{human_size(spec.max_bytes)}</p>
            {error.map(|m| view! { <p class="error-message">{m}</p> })}
            <ul class="file-list" data-files="">{rows}</ul>
            <ul class="file-list" data-uploads=""></ul>
            <form method="post" enctype="multipart/form-data" action=format!("/applications/{case_id}/files?material={code}") class="upload-form">
                <label for=format!("file-{code}") class="visually-hidden">{lang.pick("选择文件：", "選擇檔案：", "Choose files: ")}{spec.name.clone()}</label>
                <input type="file" id=format!("file-{code}") name="file" multiple accept=rules::materials::FileType::accept(&spec.file_types)/>
                <button type="submit" class="button secondary">{lang.pick("上传", "上傳", "Upload")}</button>
            </form>
        </li>
    }
}

/// The editor of draft `d`, with the flash of a refused form (its messages at their fields).
pub fn draft_editor(d: EditorView, flash: Flash, lang: Lang) -> impl IntoView {
    let case_id = d.case_id;
    let provided: BTreeSet<String> = d.files.iter().map(|f| f.material_code.clone()).collect();
    let c = checklist(&d.materials, d.kind, &d.answers, &provided, None);
    let shown = |code: &String| {
        c.required_now.contains(code)
            || c.deferrable.contains(code)
            || c.optional.contains(code)
            || c.unexpected.contains(code)
    };
    let errors = flash.errors.clone();
    let summary = errors
        .iter()
        .map(|(f, m)| {
            if f == "_form" {
                view! { <li data-form="">{m.clone()}</li> }.into_any()
            } else {
                view! { <li><a href=error_anchor(f)>{m.clone()}</a></li> }.into_any()
            }
        })
        .collect_view();
    let questions = d
        .questions
        .iter()
        .map(|q| {
            let field = format!("q_{}", q.code);
            let error = errors.get(&field).cloned();
            let options = q
                .options
                .iter()
                .map(|(value, label)| {
                    let checked = d.answers.get(&q.code) == Some(value);
                    view! { <label class="radio"><input type="radio" name=field.clone() value=value.clone() checked=checked/>{label.clone()}</label> }
                })
                .collect_view();
            let refused = error.is_some();
            view! {
                <fieldset class="field" id=format!("f-{field}") class:field-error=refused>
                    <legend>{q.text.clone()}</legend>
                    {error.map(|m| view! { <p class="error-message">{m}</p> })}
                    {options}
                </fieldset>
            }
        })
        .collect_view();
    let card = |m: &MaterialSpec| {
        material_card(
            case_id,
            m,
            &d.files,
            errors.get(&format!("m_{}", m.code)).cloned(),
            c.unexpected.contains(&m.code),
            lang,
        )
    };
    let cards = d.materials.iter().filter(|m| shown(&m.code)).map(card).collect_view();
    let later = d.materials.iter().filter(|m| !shown(&m.code)).map(card).collect_view();
    let projection = d.projected.clone().map(|p| match d.acceptance_by.clone() {
        Some(by) => view! {
            <p class="projection" data-testid="projection">
                {lang.pick("提交后窗口在 ", "提交後窗口在 ", "After you submit, the window decides on acceptance by ")}
                {by}
                {lang.pick(" 前决定是否受理；如今天受理，承诺办结日期为 ", " 前決定是否受理；如今天受理，承諾辦結日期為 ", "; if accepted today, the promised decision date is ")}
                <strong>{p}</strong>"."
            </p>
        }
        .into_any(),
        // a filing: concluded from its receipt, no acceptance in between
        None => view! {
            <p class="projection" data-testid="projection">
                {lang.pick("备案事项：如今天提交，部门在 ", "備案事項：如今天提交，部門在 ", "A filing: submitted today, the department concludes by ")}
                <strong>{p}</strong>
                {lang.pick(" 前作出是否予以备案的结论。", " 前作出是否予以備案的結論。", " whether it is filed.")}
            </p>
        }
        .into_any(),
    });
    let outdated = d.outdated.then(|| view! {
        <div class="warning-box" data-testid="outdated">
            <p>{lang.pick(
                "该事项的办事指南在您开始填写后已更新。请更新申请：已回答的问题和已上传的文件会保留，然后请检查新的要求。",
                "該事項的辦事指南在您開始填寫後已更新。請更新申請：已回答的問題和已上傳的檔案會保留，然後請檢查新的要求。",
                "The guide for this service changed after you started. Update your application: your answers and files are kept; then check the new requirements.")}</p>
            <form method="post" action={<crate::api::UpgradeDraft as ServerFn>::PATH}>
                <input type="hidden" name="case" value=case_id.to_string()/>
                <button type="submit" class="button">{lang.pick("按新指南更新申请", "按新指南更新申請", "Update to the new guide")}</button>
            </form>
        </div>
    });
    let correction = d.correction.clone().map(|(text, due)| view! {
        <div class="warning-box" data-testid="correction">
            <h2>{lang.pick("补正通知（一次性告知）", "補正通知（一次性告知）", "Correction notice")}</h2>
            <p class="pre">{text}</p>
            {due.map(|d| view! { <p><strong>{lang.pick("请在 ", "請在 ", "Correct by ")}{d}{lang.pick(" 前补正，逾期视为不予受理。", " 前補正，逾期視為不予受理。", "; after that the application is not accepted.")}</strong></p> })}
        </div>
    });
    let status = checklist_status(c.missing.len(), lang);
    view! {
        <nav class="breadcrumbs" aria-label=lang.pick("位置", "位置", "Breadcrumbs")>
            <a href="/cases">{lang.pick("我的办件", "我的辦件", "My cases")}</a>" › "
            <a href=format!("/items/{}", d.item_code)>{d.item_name.clone()}</a>
        </nav>
        <div class="error-summary" role="alert" tabindex="-1" hidden=errors.is_empty()>
            <h2>{lang.pick("请更正以下问题", "請更正以下問題", "There is a problem")}</h2>
            <ul>{summary}</ul>
        </div>
        <Notice text=flash.notice.clone()/>
        <section class="panel">
            <p class="caption">{lang.pick("在线申请", "線上申請", "Apply online")}{d.case_no.clone().map(|n| format!(" · {n}"))}</p>
            <h1>{d.item_name.clone()}</h1>
            <p class="meta">{lang.pick("申请人：", "申請人：", "Applicant: ")}{d.applicant_name.clone()}" · "{d.applicant_number.clone()}" · "{d.applicant_mobile.clone()}</p>
            <p class="hint">{lang.pick("申请人信息取自您的账户。", "申請人資訊取自您的帳戶。", "Your details come from your account.")}" "{lang.pick("受理部门：", "受理部門：", "Department: ")}{d.department.clone()}</p>
            {outdated}
            {correction}
            <ul class="task-list">
                <li><a href="#questions">{lang.pick("1. 回答问题", "1. 回答問題", "1. Answer the questions")}</a></li>
                <li><a href="#materials">{lang.pick("2. 上传材料", "2. 上傳材料", "2. Upload the materials")}</a></li>
                <li><a href=format!("/applications/{case_id}/check")>{lang.pick("3. 检查并提交", "3. 檢查並提交", "3. Check and submit")}</a></li>
            </ul>
        </section>

        <section class="panel" id="questions" aria-labelledby="q-h">
            <h2 id="q-h">{lang.pick("1. 回答问题", "1. 回答問題", "1. Answer the questions")}</h2>
            <form method="post" action={<crate::api::SaveAnswers as ServerFn>::PATH} id="form-answers">
                <input type="hidden" name="case" value=case_id.to_string()/>
                {questions}
                <p class="hint" aria-live="polite" data-testid="autosave"></p>
                <div class="button-row">
                    <button type="submit" class="button secondary" name="then" value="stay">{lang.pick("保存", "儲存", "Save")}</button>
                </div>
            </form>
        </section>

        <section class="panel" id="materials" aria-labelledby="m-h">
            <h2 id="m-h">{lang.pick("2. 上传材料", "2. 上傳材料", "2. Upload the materials")}</h2>
            <p class="hint" aria-live="polite" data-testid="checklist-status">{status}</p>
            <ul class="material-cards" data-testid="materials">{cards}</ul>
            <template id="materials-later">{later}</template>
            {projection}
        </section>

        <section class="panel">
            <div class="button-row">
                <a class="button" href=format!("/applications/{case_id}/check")>{lang.pick("检查并提交", "檢查並提交", "Check and submit")}</a>
                <a class="button secondary" href="/cases">{lang.pick("保存，稍后继续", "儲存，稍後繼續", "Save and come back later")}</a>
            </div>
            <p class="hint">{lang.pick("您的答案和文件已保存在服务器上，退出登录或关闭浏览器后仍可继续。", "您的答案和檔案已保存在伺服器上，登出或關閉瀏覽器後仍可繼續。", "Your answers and files are kept on the server: you can log out or close the browser and carry on later.")}</p>
        </section>
        <EditorLive case_id kind=d.kind specs=d.materials.clone()/>
    }
}
