//! Applying online: the draft editor (made by `pages::editor`, live with `islands::EditorLive`) and "check your answers" →
//! submit. Every form posts to a plain endpoint (no JavaScript needed).

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;
use rules::materials::{checklist, MaterialSpec, Requirement};
use rules::Lang;

use crate::api::{get_draft, take_flash};
use crate::components::{use_prefs, ServerError};
use crate::models::{DraftView, Flash};

fn case_id_param() -> impl Fn() -> i32 + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("id").and_then(|s| s.parse::<i32>().ok()).unwrap_or(0)
}

#[component]
pub fn ApplyPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let id = case_id_param();
    let draft = Resource::new(id, get_draft);
    let flash = Resource::new(|| (), |_| take_flash("draft".into()));
    let body = move || {
        Suspend::new(async move {
            let f = flash.await.ok().flatten().unwrap_or_default();
            match draft.await {
                Ok(None) => view! { <Redirect path=format!("/login?next=/applications/{}", id())/> }.into_any(),
                Ok(Some(d)) if !d.editable() => view! { <Redirect path=format!("/cases/{}", d.case_id)/> }.into_any(),
                Ok(Some(DraftView { bundle_application: Some(b), .. })) => view! { <Redirect path=format!("/bundle-applications/{b}")/> }.into_any(),
                Ok(Some(d)) => view! {
                    <Title text=format!("{} · {}", d.item.name, lang.pick("在线申请", "線上申請", "Apply online"))/>
                    {super::editor::draft_editor(crate::models::EditorView::from(&d), f, lang)}
                }
                .into_any(),
                Err(e) => view! {
                    <section class="panel"><h1>{lang.pick("无法打开该申请", "無法開啟該申請", "This application cannot be opened")}</h1>
                        <ServerError error=e/>
                        <p><a href="/cases">{lang.pick("回到我的办件", "回到我的辦件", "Back to my cases")}</a></p></section>
                }
                .into_any(),
            }
        })
    };
    view! {
        <Title text=lang.pick("在线申请 · 通办", "線上申請 · 通辦", "Apply online · Tongban")/>
        <Suspense fallback=move || view! { <p>{lang.pick("正在加载…", "正在載入…", "Loading…")}</p> }>{body}</Suspense>
    }
}

#[component]
pub fn CheckPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let id = case_id_param();
    let draft = Resource::new(id, get_draft);
    let flash = Resource::new(|| (), |_| take_flash("check".into()));
    let body = move || {
        Suspend::new(async move {
            let f = flash.await.ok().flatten().unwrap_or_default();
            match draft.await {
                Ok(None) => view! { <Redirect path=format!("/login?next=/applications/{}/check", id())/> }.into_any(),
                Ok(Some(d)) if !d.editable() => view! { <Redirect path=format!("/cases/{}", d.case_id)/> }.into_any(),
                Ok(Some(DraftView { bundle_application: Some(b), .. })) => {
                    view! { <Redirect path=format!("/bundle-applications/{b}")/> }.into_any()
                }
                Ok(Some(d)) => check_view(d, f, lang).into_any(),
                Err(e) => view! { <section class="panel"><ServerError error=e/></section> }.into_any(),
            }
        })
    };
    view! {
        <Title text=lang.pick("检查并提交 · 通办", "檢查並提交 · 通辦", "Check and submit · Tongban")/>
        <Suspense fallback=|| ()>{body}</Suspense>
    }
}

fn check_view(d: DraftView, flash: Flash, lang: Lang) -> impl IntoView {
    let case_id = d.case_id;
    let rules = &d.item.rules;
    let provided: BTreeSet<String> = d.files.iter().map(|f| f.material_code.clone()).collect();
    let list = checklist(&rules.materials, d.kind, &d.answers, &provided, None);
    let applicable: Vec<&MaterialSpec> = rules
        .materials
        .iter()
        .filter(|m| {
            list.required_now.contains(&m.code) || list.deferrable.contains(&m.code) || list.optional.contains(&m.code)
        })
        .collect();
    let unanswered: Vec<String> =
        rules.questions.iter().filter(|q| !d.answers.contains_key(&q.code)).map(|q| q.text.clone()).collect();
    let ready = unanswered.is_empty() && list.missing.is_empty() && !d.outdated;
    let mut problems: Vec<String> = flash.errors.values().cloned().collect();
    if flash.errors.is_empty() {
        for q in &unanswered {
            problems.push(match lang {
                Lang::ZhHans => format!("请回答「{q}」"),
                Lang::ZhHant => format!("請回答「{q}」"),
                Lang::En => format!("Answer “{q}”"),
            });
        }
        for code in &list.missing {
            let name = rules.materials.iter().find(|m| &m.code == code).map(|m| m.name.clone()).unwrap_or_default();
            problems.push(match lang {
                Lang::ZhHans => format!("请上传「{name}」"),
                Lang::ZhHant => format!("請上傳「{name}」"),
                Lang::En => format!("Upload “{name}”"),
            });
        }
    }
    let resubmit = d.state == rules::CaseState::AwaitingCorrection;
    view! {
        <nav class="breadcrumbs"><a href=format!("/applications/{case_id}")>{lang.pick("返回修改", "返回修改", "Back")}</a></nav>
        {(!problems.is_empty()).then(|| view! {
            <div class="error-summary" role="alert" tabindex="-1">
                <h2>{lang.pick("提交前请处理以下问题", "提交前請處理以下問題", "Before you submit")}</h2>
                <ul>{problems.into_iter().map(|p| view! { <li><a href=format!("/applications/{case_id}")>{p}</a></li> }).collect_view()}</ul>
            </div>
        })}
        <section class="panel">
            <p class="caption">{d.item.name.clone()}</p>
            <h1>{lang.pick("检查您的申请", "檢查您的申請", "Check your answers")}</h1>
            <h2>{lang.pick("申请人", "申請人", "Applicant")}</h2>
            <dl class="summary-list">
                <div><dt>{lang.pick("姓名 / 名称", "姓名 / 名稱", "Name")}</dt><dd>{d.applicant_name.clone()}</dd></div>
                <div><dt>{lang.pick("证件号码", "證件號碼", "ID number")}</dt><dd>{d.applicant_number.clone()}</dd></div>
                <div><dt>{lang.pick("手机号码", "手機號碼", "Mobile")}</dt><dd>{d.applicant_mobile.clone()}</dd></div>
            </dl>
            <h2>{lang.pick("问题", "問題", "Questions")}</h2>
            <dl class="summary-list">
                {rules.questions.iter().map(|q| {
                    let answer = d.answers.get(&q.code).and_then(|v| q.options.iter().find(|(o, _)| o == v)).map(|(_, l)| l.clone());
                    view! {
                        <div>
                            <dt>{q.text.clone()}</dt>
                            <dd>{answer.unwrap_or_else(|| lang.pick("未回答", "未回答", "Not answered").into())}</dd>
                            <dd class="change"><a href=format!("/applications/{case_id}#f-q_{}", q.code)>{lang.pick("修改", "修改", "Change")}<span class="visually-hidden">" "{q.text.clone()}</span></a></dd>
                        </div>
                    }
                }).collect_view()}
            </dl>
            <h2>{lang.pick("材料", "材料", "Materials")}</h2>
            <dl class="summary-list" data-testid="check-materials">
                {applicable.into_iter().map(|m| {
                    let names: Vec<String> = d.files.iter().filter(|f| f.material_code == m.code).map(|f| f.file_name.clone()).collect();
                    let text = if names.is_empty() {
                        if m.deferrable { lang.pick("未上传（可容缺后补）", "未上傳（可容缺後補）", "Not uploaded (may follow later)").to_string() }
                        else if m.requirement == Requirement::Optional { lang.pick("未上传（可选）", "未上傳（可選）", "Not uploaded (optional)").to_string() }
                        else { lang.pick("未上传", "未上傳", "Not uploaded").to_string() }
                    } else { names.join("、") };
                    view! {
                        <div>
                            <dt>{m.name.clone()}</dt>
                            <dd>{text}</dd>
                            <dd class="change"><a href=format!("/applications/{case_id}#m-{}", m.code)>{lang.pick("修改", "修改", "Change")}<span class="visually-hidden">" "{m.name.clone()}</span></a></dd>
                        </div>
                    }
                }).collect_view()}
            </dl>
        </section>
        <section class="panel">
            <h2>{lang.pick("提交申请", "提交申請", "Submit your application")}</h2>
            <p>{lang.pick("提交即表示您承诺所填信息和所附材料真实、有效。提交后窗口将审查材料，并在 5 个工作日内决定是否受理或一次性告知需补正的内容。",
                "提交即表示您承諾所填資訊和所附材料真實、有效。提交後窗口將審查材料，並在 5 個工作日內決定是否受理或一次性告知需補正的內容。",
                "By submitting you declare that your answers and materials are true. The window then checks them and, within 5 working days, accepts the application or tells you once everything to correct.")}</p>
            <form method="post" action={<crate::api::SubmitApplication as ServerFn>::PATH}>
                <input type="hidden" name="case" value=case_id.to_string()/>
                <input type="hidden" name="version" value=d.version.to_string()/>
                <button type="submit" class="button" disabled=!ready>{if resubmit { lang.pick("提交补正材料", "提交補正材料", "Send the corrections") } else { lang.pick("确认并提交申请", "確認並提交申請", "Accept and submit") }}</button>
            </form>
        </section>
    }
}
