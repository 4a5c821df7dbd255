//! The application editor: questions → live checklist and projected deadline → uploads. Every form
//! posts to a plain endpoint (no JavaScript needed); with JavaScript the answers save themselves,
//! the checklist follows the answers at once (the `rules` crate in the browser) and uploads show a
//! progress bar per file.

use std::collections::{BTreeMap, BTreeSet};

use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use rules::materials::{checklist, Answers, MaterialSpec, Requirement};
use rules::Lang;

use crate::components::{use_prefs, Notice};
use crate::models::{human_size, EditorView, FileView, Flash};

/// One file being uploaded by the browser.
#[derive(Clone, Debug, PartialEq)]
struct Upload {
    key: u32,
    material: String,
    name: String,
    percent: u32,
}

fn requirement_text(m: &MaterialSpec, lang: Lang) -> &'static str {
    match (m.requirement, m.deferrable) {
        (Requirement::Optional, _) => lang.pick("可选", "可選", "Optional"),
        (Requirement::Required, true) => {
            lang.pick("必需 · 可容缺后补", "必需 · 可容缺後補", "Required · may follow later")
        }
        (Requirement::Required, false) => lang.pick("必需", "必需", "Required"),
    }
}

fn accept_attr(m: &MaterialSpec) -> String {
    rules::materials::FileType::accept(&m.file_types)
}

#[island]
pub fn DraftEditor(draft: EditorView, flash: Flash) -> impl IntoView {
    let lang = use_prefs().lang;
    let case_id = draft.case_id;
    let kind = draft.kind;
    let answers = RwSignal::new(draft.answers.clone());
    let files = RwSignal::new(draft.files.clone());
    let errors = RwSignal::new(flash.errors.clone());
    let uploads = RwSignal::new(Vec::<Upload>::new());
    let saved = RwSignal::new(None::<String>);
    // (a save is in flight, the answers changed since it was sent)
    let saving = StoredValue::new((false, false));
    let (projected, acceptance_by) = (draft.projected.clone(), draft.acceptance_by.clone());

    let specs = StoredValue::new(draft.materials.clone());
    let provided = move || files.with(|f| f.iter().map(|x| x.material_code.clone()).collect::<BTreeSet<_>>());
    let list = Memo::new(move |_| {
        let p = provided();
        answers.with(|a| specs.with_value(|s| checklist(s, kind, a, &p, None)))
    });

    // Answers chosen before the island woke up are in the form, not in the signal: take them and
    // save them (once, right after hydration).
    let answers_form = NodeRef::<html::Form>::new();
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(form) = answers_form.get() {
            let chosen: Answers = crate::components::checked_radios(&form)
                .into_iter()
                .filter_map(|(name, v)| name.strip_prefix("q_").map(|q| (q.to_string(), v)))
                .collect();
            let changed = answers.with_untracked(|a| chosen.iter().any(|(q, v)| a.get(q) != Some(v)));
            if changed {
                answers.update(|a| a.extend(chosen));
                autosave(case_id, answers, saving, saved, errors, lang);
            }
        }
    });
    let question_fields = draft
        .questions
        .iter()
        .map(|q| {
            let code = q.code.clone();
            let field = format!("q_{code}");
            let err_field = field.clone();
            let error = move || errors.with(|e| e.get(&err_field).cloned());
            let options = q
                .options
                .iter()
                .map(|(value, label)| {
                    let checked = draft.answers.get(&code) == Some(value);
                    let (code, value2) = (code.clone(), value.clone());
                    let field = field.clone();
                    view! {
                        <label class="radio">
                            <input type="radio" name=field.clone() value=value.clone() checked=checked
                                on:change=move |_| {
                                    answers.update(|a| { a.insert(code.clone(), value2.clone()); });
                                    errors.update(|e| { e.remove(&field); });
                                    autosave(case_id, answers, saving, saved, errors, lang);
                                }/>
                            {label.clone()}
                        </label>
                    }
                })
                .collect_view();
            let error2 = error.clone();
            view! {
                <fieldset class="field" id=format!("f-q_{}", q.code) class:field-error=move || error2().is_some()>
                    <legend>{q.text.clone()}</legend>
                    {move || error().map(|m| view! { <p class="error-message">{m}</p> })}
                    {options}
                </fieldset>
            }
        })
        .collect_view();

    let material_cards = move || {
        let c = list.get();
        let applicable: Vec<String> =
            c.required_now.iter().chain(c.deferrable.iter()).chain(c.optional.iter()).cloned().collect();
        specs.with_value(|s| {
            s.iter()
                .filter(|m| applicable.contains(&m.code) || c.unexpected.contains(&m.code))
                .map(|m| view! { <MaterialCard spec=m.clone() case_id files uploads errors unexpected=c.unexpected.contains(&m.code)/> })
                .collect_view()
        })
    };

    let summary_items = move || {
        let errs = errors.get();
        errs.into_iter()
            .map(|(f, m)| {
                if f == "_form" {
                    view! { <li>{m}</li> }.into_any()
                } else {
                    let anchor =
                        if let Some(code) = f.strip_prefix("m_") { format!("#m-{code}") } else { format!("#f-{f}") };
                    view! { <li><a href=anchor>{m}</a></li> }.into_any()
                }
            })
            .collect_view()
    };

    let missing_count = move || list.with(|c| c.missing.len());
    let status_line = move || {
        let n = missing_count();
        if n == 0 {
            lang.pick(
                "必需材料已齐全，可以检查并提交。",
                "必需材料已齊全，可以檢查並提交。",
                "All required materials are here: you can check and submit.",
            )
            .to_string()
        } else {
            match lang {
                Lang::ZhHans => format!("还差 {n} 项必需材料。"),
                Lang::ZhHant => format!("還差 {n} 項必需材料。"),
                Lang::En => format!("{n} required material(s) still missing."),
            }
        }
    };

    view! {
        <nav class="breadcrumbs" aria-label=lang.pick("位置", "位置", "Breadcrumbs")>
            <a href="/cases">{lang.pick("我的办件", "我的辦件", "My cases")}</a>" › "
            <a href=format!("/items/{}", draft.item_code)>{draft.item_name.clone()}</a>
        </nav>
        <div class="error-summary" role="alert" tabindex="-1" hidden=move || errors.with(|e| e.is_empty())>
            <h2>{lang.pick("请更正以下问题", "請更正以下問題", "There is a problem")}</h2>
            <ul>{summary_items}</ul>
        </div>
        <Notice text=flash.notice.clone()/>
        <section class="panel">
            <p class="caption">{lang.pick("在线申请", "線上申請", "Apply online")}{draft.case_no.clone().map(|n| format!(" · {n}"))}</p>
            <h1>{draft.item_name.clone()}</h1>
            <p class="meta">{lang.pick("申请人：", "申請人：", "Applicant: ")}{draft.applicant_name.clone()}" · "{draft.applicant_number.clone()}" · "{draft.applicant_mobile.clone()}</p>
            <p class="hint">{lang.pick("申请人信息取自您的账户。", "申請人資訊取自您的帳戶。", "Your details come from your account.")}" "{lang.pick("受理部门：", "受理部門：", "Department: ")}{draft.department.clone()}</p>
            {draft.outdated.then(|| view! {
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
            })}
            {draft.correction.clone().map(|(text, due)| view! {
                <div class="warning-box" data-testid="correction">
                    <h2>{lang.pick("补正通知（一次性告知）", "補正通知（一次性告知）", "Correction notice")}</h2>
                    <p class="pre">{text}</p>
                    {due.map(|d| view! { <p><strong>{lang.pick("请在 ", "請在 ", "Correct by ")}{d}{lang.pick(" 前补正，逾期视为不予受理。", " 前補正，逾期視為不予受理。", "; after that the application is not accepted.")}</strong></p> })}
                </div>
            })}
            <ul class="task-list">
                <li><a href="#questions">{lang.pick("1. 回答问题", "1. 回答問題", "1. Answer the questions")}</a></li>
                <li><a href="#materials">{lang.pick("2. 上传材料", "2. 上傳材料", "2. Upload the materials")}</a></li>
                <li><a href=format!("/applications/{case_id}/check")>{lang.pick("3. 检查并提交", "3. 檢查並提交", "3. Check and submit")}</a></li>
            </ul>
        </section>

        <section class="panel" id="questions" aria-labelledby="q-h">
            <h2 id="q-h">{lang.pick("1. 回答问题", "1. 回答問題", "1. Answer the questions")}</h2>
            <form method="post" action={<crate::api::SaveAnswers as ServerFn>::PATH} node_ref=answers_form>
                <input type="hidden" name="case" value=case_id.to_string()/>
                {question_fields}
                <p class="hint" aria-live="polite" data-testid="autosave">{move || saved.get()}</p>
                <div class="button-row">
                    <button type="submit" class="button secondary" name="then" value="stay">{lang.pick("保存", "儲存", "Save")}</button>
                </div>
            </form>
        </section>

        <section class="panel" id="materials" aria-labelledby="m-h">
            <h2 id="m-h">{lang.pick("2. 上传材料", "2. 上傳材料", "2. Upload the materials")}</h2>
            <p class="hint" aria-live="polite" data-testid="checklist-status">{status_line}</p>
            <ul class="material-cards" data-testid="materials">{material_cards}</ul>
            {projected.map(|d| match acceptance_by {
                Some(by) => view! {
                    <p class="projection" data-testid="projection">
                        {lang.pick("提交后窗口在 ", "提交後窗口在 ", "After you submit, the window decides on acceptance by ")}
                        {by}
                        {lang.pick(" 前决定是否受理；如今天受理，承诺办结日期为 ", " 前決定是否受理；如今天受理，承諾辦結日期為 ", "; if accepted today, the promised decision date is ")}
                        <strong>{d}</strong>"."
                    </p>
                }.into_any(),
                // a filing: concluded from its receipt, no acceptance in between
                None => view! {
                    <p class="projection" data-testid="projection">
                        {lang.pick("备案事项：如今天提交，部门在 ", "備案事項：如今天提交，部門在 ", "A filing: submitted today, the department concludes by ")}
                        <strong>{d}</strong>
                        {lang.pick(" 前作出是否予以备案的结论。", " 前作出是否予以備案的結論。", " whether it is filed.")}
                    </p>
                }.into_any(),
            })}
        </section>

        <section class="panel">
            <div class="button-row">
                <a class="button" href=format!("/applications/{case_id}/check")>{lang.pick("检查并提交", "檢查並提交", "Check and submit")}</a>
                <a class="button secondary" href="/cases">{lang.pick("保存，稍后继续", "儲存，稍後繼續", "Save and come back later")}</a>
            </div>
            <p class="hint">{lang.pick("您的答案和文件已保存在服务器上，退出登录或关闭浏览器后仍可继续。", "您的答案和檔案已保存在伺服器上，登出或關閉瀏覽器後仍可繼續。", "Your answers and files are kept on the server: you can log out or close the browser and carry on later.")}</p>
        </section>
    }
}

/// Saves the answers in the background (JavaScript on), one request at a time: a change made
/// while a save is in flight is sent when it returns, so the newest answers always win.
fn autosave(
    case_id: i32,
    answers: RwSignal<Answers>,
    saving: StoredValue<(bool, bool)>,
    saved: RwSignal<Option<String>>,
    errors: RwSignal<BTreeMap<String, String>>,
    lang: Lang,
) {
    #[cfg(feature = "hydrate")]
    {
        if saving.with_value(|s| s.0) {
            saving.update_value(|s| s.1 = true);
            return;
        }
        saving.set_value((true, false));
        saved.set(Some(lang.pick("正在保存…", "正在儲存…", "Saving…").into()));
        leptos::task::spawn_local(async move {
            loop {
                match crate::api::autosave_answers(case_id, answers.get_untracked()).await {
                    Ok(_) => {}
                    Err(e) => {
                        let msg = match e {
                            leptos::server_fn::ServerFnError::ServerError(m) => m,
                            other => other.to_string(),
                        };
                        errors.update(|x| {
                            x.insert("_form".into(), msg);
                        });
                    }
                }
                if saving.with_value(|s| s.1) {
                    saving.update_value(|s| s.1 = false);
                    continue;
                }
                saving.set_value((false, false));
                saved.set(Some(lang.pick("已自动保存", "已自動儲存", "Saved").into()));
                break;
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (case_id, answers, saving, saved, errors, lang);
}

#[component]
fn MaterialCard(
    spec: MaterialSpec,
    case_id: i32,
    files: RwSignal<Vec<FileView>>,
    uploads: RwSignal<Vec<Upload>>,
    errors: RwSignal<BTreeMap<String, String>>,
    unexpected: bool,
) -> impl IntoView {
    let lang = use_prefs().lang;
    let code = spec.code.clone();
    let field = format!("m_{code}");
    let input = NodeRef::<html::Input>::new();
    let max = spec.max_bytes;
    let mine = {
        let code = code.clone();
        move || files.with(|f| f.iter().filter(|x| x.material_code == code).cloned().collect::<Vec<_>>())
    };
    let error = {
        let field = field.clone();
        move || errors.with(|e| e.get(&field).cloned())
    };
    let has_error = error.clone();
    let progress = {
        let code = code.clone();
        move || {
            uploads
                .get()
                .into_iter()
                .filter(|u| u.material == code)
                .map(|u| view! {
                    <li class="upload-progress">
                        <span>{u.name.clone()}</span>
                        <progress max="100" value=u.percent.to_string() aria-label=format!("{} {}%", u.name, u.percent)></progress>
                        <span>{format!("{}%", u.percent)}</span>
                    </li>
                })
                .collect_view()
        }
    };
    let on_submit = {
        let code = code.clone();
        let field = field.clone();
        move |ev: SubmitEvent| {
            #[cfg(feature = "hydrate")]
            {
                ev.prevent_default();
                browser::upload_selected(
                    case_id,
                    code.clone(),
                    field.clone(),
                    max,
                    input,
                    files,
                    uploads,
                    errors,
                    lang,
                );
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = (&ev, &code, &field, max, input);
        }
    };
    let count = {
        let mine = mine.clone();
        move || mine().len()
    };
    let file_rows = move || {
        mine()
            .into_iter()
            .map(|f| view! {
                <li class="file-row">
                    <a href=format!("/files/{}", f.id) target="_blank" rel="noopener">{f.file_name.clone()}</a>
                    <span class="hint">{f.file_type.label()}" · "{human_size(f.size)}</span>
                    <form method="post" action={<crate::api::RemoveFile as ServerFn>::PATH} class="inline-form">
                        <input type="hidden" name="case" value=case_id.to_string()/>
                        <input type="hidden" name="file" value=f.id.to_string()/>
                        <button type="submit" class="link-button">{lang.pick("删除", "刪除", "Remove")}<span class="visually-hidden">" "{f.file_name.clone()}</span></button>
                    </form>
                </li>
            })
            .collect_view()
    };
    view! {
        <li class="material-card" id=format!("m-{code}") class:field-error=move || has_error().is_some() data-material=code.clone()>
            <h3>{spec.name.clone()}</h3>
            <p class="meta">
                <span class="tag">{requirement_text(&spec, lang)}</span>
                {move || if count() > 0 {
                    view! { <span class="tag ok">{lang.pick("已上传", "已上傳", "Uploaded")}</span> }.into_any()
                } else {
                    view! { <span class="tag muted">{lang.pick("尚未上传", "尚未上傳", "Not uploaded")}</span> }.into_any()
                }}
            </p>
            {unexpected.then(|| view! { <p class="hint">{lang.pick("按您现在的回答，这项材料已不需要，可以删除。", "按您現在的回答，這項材料已不需要，可以刪除。", "With your current answers this material is no longer needed: you may remove it.")}</p> })}
            {(!spec.note.is_empty()).then(|| view! { <p class="hint">{spec.note.clone()}</p> })}
            <p class="hint">{lang.pick("格式：", "格式：", "Files: ")}{spec.file_types.iter().map(|t| t.label()).collect::<Vec<_>>().join(" / ")}{lang.pick("，每个不超过 ", "，每個不超過 ", ", each up to ")}{human_size(spec.max_bytes)}</p>
            {move || error().map(|m| view! { <p class="error-message">{m}</p> })}
            <ul class="file-list">{file_rows}</ul>
            <ul class="file-list">{progress}</ul>
            <form method="post" enctype="multipart/form-data" action=format!("/applications/{case_id}/files?material={code}") on:submit=on_submit class="upload-form">
                <label for=format!("file-{code}") class="visually-hidden">{lang.pick("选择文件：", "選擇檔案：", "Choose files: ")}{spec.name.clone()}</label>
                <input type="file" id=format!("file-{code}") name="file" multiple accept=accept_attr(&spec) node_ref=input/>
                <button type="submit" class="button secondary">{lang.pick("上传", "上傳", "Upload")}</button>
            </form>
        </li>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::*;
    use wasm_bindgen::JsCast;

    /// What the upload endpoint answers when asked for JSON.
    #[derive(serde::Deserialize, Default)]
    struct UploadReply {
        #[serde(default)]
        ok: bool,
        #[serde(default)]
        files: Vec<FileView>,
        #[serde(default)]
        message: Option<String>,
    }

    fn next_key() -> u32 {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(1);
        N.fetch_add(1, Ordering::Relaxed)
    }

    /// Uploads the chosen files one request each, with a progress bar; a file over the cap is
    /// refused before anything is sent.
    #[allow(clippy::too_many_arguments)]
    pub fn upload_selected(
        case_id: i32,
        code: String,
        field: String,
        max: u64,
        input: NodeRef<html::Input>,
        files: RwSignal<Vec<FileView>>,
        uploads: RwSignal<Vec<Upload>>,
        errors: RwSignal<BTreeMap<String, String>>,
        lang: Lang,
    ) {
        let Some(el) = input.get_untracked() else { return };
        let Some(list) = el.files() else { return };
        if list.length() == 0 {
            errors.update(|e| {
                e.insert(
                    field.clone(),
                    lang.pick("请选择要上传的文件", "請選擇要上傳的檔案", "Choose a file to upload").into(),
                );
            });
            return;
        }
        errors.update(|e| {
            e.remove(&field);
            e.remove("_form");
        });
        for i in 0..list.length() {
            let Some(file) = list.get(i) else { continue };
            let name = file.name();
            if file.size() as u64 > max {
                let reason = rules::materials::CorrectionReason::TooLarge { max_bytes: max }.message(lang);
                errors.update(|e| {
                    e.insert(field.clone(), format!("{name}: {reason}"));
                });
                continue;
            }
            let key = next_key();
            uploads.update(|u| u.push(Upload { key, material: code.clone(), name: name.clone(), percent: 0 }));
            let url = format!("/applications/{case_id}/files?material={code}");
            let field = field.clone();
            let on_progress = move |p: f64| {
                uploads.update(|u| {
                    if let Some(x) = u.iter_mut().find(|x| x.key == key) {
                        x.percent = (p * 100.0).round().clamp(0.0, 100.0) as u32;
                    }
                })
            };
            let on_done = move |status: u16, body: String| {
                uploads.update(|u| u.retain(|x| x.key != key));
                let v: UploadReply = serde_json::from_str(&body).unwrap_or_default();
                if (200..300).contains(&status) && v.ok {
                    files.update(|f| f.extend(v.files));
                } else {
                    let msg = v.message.unwrap_or_else(|| {
                        lang.pick("上传失败，请重试", "上傳失敗，請重試", "The upload failed: try again").into()
                    });
                    errors.update(|e| {
                        e.insert(field.clone(), msg);
                    });
                }
            };
            if send(&url, &file, on_progress, on_done).is_err() {
                uploads.update(|u| u.retain(|x| x.key != key));
            }
        }
        el.set_value("");
    }

    fn send(
        url: &str,
        file: &web_sys::File,
        on_progress: impl Fn(f64) + 'static,
        on_done: impl FnOnce(u16, String) + 'static,
    ) -> Result<(), wasm_bindgen::JsValue> {
        use wasm_bindgen::closure::Closure;
        let xhr = web_sys::XmlHttpRequest::new()?;
        xhr.open_with_async("POST", url, true)?;
        xhr.set_request_header("Accept", "application/json")?;
        let fd = web_sys::FormData::new()?;
        fd.append_with_blob_and_filename("file", file, &file.name())?;
        let progress = Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                on_progress(e.loaded() / e.total());
            }
        });
        xhr.upload()?.set_onprogress(Some(progress.as_ref().unchecked_ref()));
        progress.forget();
        let x2 = xhr.clone();
        let done = Closure::once_into_js(move || {
            let status = x2.status().unwrap_or(0);
            let body = x2.response_text().ok().flatten().unwrap_or_default();
            on_done(status, body);
        });
        xhr.set_onloadend(Some(done.unchecked_ref()));
        xhr.send_with_opt_form_data(Some(&fd))
    }
}
