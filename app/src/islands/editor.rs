//! The application editor, live. The page is made on the server (`pages::editor`) and works
//! without JavaScript; this island has no view of its own and only listens to that markup:
//!
//! - an answer chosen recomputes the checklist at once (the `rules` crate in the browser): each
//!   material's card moves between the list and the page's `<template>`, and the line of what is
//!   missing is rewritten; the answers save themselves (`api::autosave_answers`), one request at a
//!   time, the newest answers winning;
//! - answers chosen before the island woke up (a radio whose state is not the one the server
//!   rendered) are taken and saved as it wakes;
//! - an upload goes one request per file with a progress bar, a file over the material's cap
//!   refused before anything is sent; the file's row, or the refusal, appears in its card (and the
//!   refusal in the error summary), as the server would have drawn them.
//!
//! Its props are only what the browser cannot read from the page: the case, the applicant's kind
//! and the item's materials.

use leptos::prelude::*;
use rules::materials::{ApplicantKind, MaterialSpec};

/// Wires the editor's markup (`form#form-answers`, `ul[data-testid=materials]`,
/// `template#materials-later`, the cards' upload forms) to the answers and the uploads.
#[island]
pub fn EditorLive(case_id: i32, kind: ApplicantKind, specs: Vec<MaterialSpec>) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    live::wire(case_id, kind, specs, crate::components::use_prefs().lang);
    #[cfg(not(feature = "hydrate"))]
    let _ = (case_id, kind, specs);
}

#[cfg(feature = "hydrate")]
mod live {
    use std::cell::Cell;
    use std::collections::{BTreeMap, BTreeSet};
    use std::rc::Rc;

    use leptos::server_fn::ServerFn;
    use rules::materials::{checklist, Answers, ApplicantKind, MaterialSpec};
    use rules::Lang;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{Document, Element, HtmlFormElement, HtmlInputElement};

    use crate::components::{checked_radios, checklist_status, error_anchor};
    use crate::models::{human_size, FileView};

    /// The editor as the island holds it.
    struct Editor {
        doc: Document,
        case_id: i32,
        kind: ApplicantKind,
        specs: Vec<MaterialSpec>,
        lang: Lang,
        form: HtmlFormElement,
        /// every material's card, by code, wherever it is (the list or the template)
        cards: BTreeMap<String, Element>,
        list: Element,
        later: Option<web_sys::DocumentFragment>,
        /// (a save is in flight, the answers changed since it was sent)
        saving: Cell<(bool, bool)>,
    }

    fn find(doc: &Document, selector: &str) -> Option<Element> {
        doc.query_selector(selector).ok().flatten()
    }

    pub fn wire(case_id: i32, kind: ApplicantKind, specs: Vec<MaterialSpec>, lang: Lang) {
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
        let Some(form) = find(&doc, "form#form-answers").and_then(|e| e.dyn_into::<HtmlFormElement>().ok()) else {
            return;
        };
        let Some(list) = find(&doc, "ul[data-testid=materials]") else { return };
        let later = find(&doc, "template#materials-later")
            .and_then(|t| t.dyn_into::<web_sys::HtmlTemplateElement>().ok())
            .map(|t| t.content());
        let mut cards = BTreeMap::new();
        let mut collect = |nodes: Option<web_sys::NodeList>| {
            let Some(nodes) = nodes else { return };
            for i in 0..nodes.length() {
                if let Some(el) = nodes.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                    if let Some(code) = el.get_attribute("data-material") {
                        cards.insert(code, el);
                    }
                }
            }
        };
        collect(list.query_selector_all("li[data-material]").ok());
        collect(later.as_ref().and_then(|l| l.query_selector_all("li[data-material]").ok()));
        let ed = Rc::new(Editor {
            doc,
            case_id,
            kind,
            specs,
            lang,
            form,
            cards,
            list,
            later,
            saving: Cell::new((false, false)),
        });

        // an answer: its field's error goes, the checklist follows, the answers are saved
        let on_change = {
            let ed = ed.clone();
            Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
                if let Some(name) = ev.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()).map(|i| i.name()) {
                    ed.clear_error(&name);
                }
                ed.recompute();
                Editor::autosave(&ed);
            })
        };
        let _ = ed.form.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        on_change.forget();

        // an upload form (wherever its card is): sent by the browser, with progress
        let on_submit = {
            let ed = ed.clone();
            Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
                let Some(form) = ev.target().and_then(|t| t.dyn_into::<HtmlFormElement>().ok()) else { return };
                if !form.class_list().contains("upload-form") {
                    return;
                }
                let Some(code) =
                    form.closest("li[data-material]").ok().flatten().and_then(|c| c.get_attribute("data-material"))
                else {
                    return;
                };
                ev.prevent_default();
                Editor::upload(&ed, &code, &form);
            })
        };
        let _ = ed.list.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
        on_submit.forget();

        // what was chosen before the island woke up: a radio not as the server drew it
        let changed = ed.radios().iter().any(|r| r.checked() != r.default_checked());
        ed.recompute();
        if changed {
            Editor::autosave(&ed);
        }
    }

    impl Editor {
        fn radios(&self) -> Vec<HtmlInputElement> {
            let mut out = Vec::new();
            if let Ok(nodes) = self.form.query_selector_all("input[type=radio]") {
                for i in 0..nodes.length() {
                    if let Some(r) = nodes.item(i).and_then(|n| n.dyn_into::<HtmlInputElement>().ok()) {
                        out.push(r);
                    }
                }
            }
            out
        }

        fn answers(&self) -> Answers {
            checked_radios(&self.form)
                .into_iter()
                .filter_map(|(name, v)| name.strip_prefix("q_").map(|q| (q.to_string(), v)))
                .collect()
        }

        fn has_files(card: &Element) -> bool {
            card.query_selector(".file-row").ok().flatten().is_some()
        }

        /// The checklist of the answers in the form and the files in the cards: which cards are on
        /// the page (in the item's order), each one's tags, and what is missing.
        fn recompute(&self) {
            let provided: BTreeSet<String> =
                self.cards.iter().filter(|(_, c)| Self::has_files(c)).map(|(code, _)| code.clone()).collect();
            let c = checklist(&self.specs, self.kind, &self.answers(), &provided, None);
            for m in &self.specs {
                let Some(card) = self.cards.get(&m.code) else { continue };
                let unexpected = c.unexpected.contains(&m.code);
                let shown = unexpected
                    || c.required_now.contains(&m.code)
                    || c.deferrable.contains(&m.code)
                    || c.optional.contains(&m.code);
                if shown {
                    let _ = self.list.append_child(card);
                } else if let Some(later) = &self.later {
                    let _ = later.append_child(card);
                }
                if let Some(hint) = card.query_selector("[data-unexpected]").ok().flatten() {
                    let _ = if unexpected { hint.remove_attribute("hidden") } else { hint.set_attribute("hidden", "") };
                }
                if let Some(tag) = card.query_selector("[data-upload-tag]").ok().flatten() {
                    let uploaded = Self::has_files(card);
                    let _ = tag.set_attribute("class", if uploaded { "tag ok" } else { "tag muted" });
                    tag.set_text_content(Some(if uploaded {
                        self.lang.pick("已上传", "已上傳", "Uploaded")
                    } else {
                        self.lang.pick("尚未上传", "尚未上傳", "Not uploaded")
                    }));
                }
            }
            if let Some(status) = find(&self.doc, "[data-testid=checklist-status]") {
                status.set_text_content(Some(&checklist_status(c.missing.len(), self.lang)));
            }
        }

        fn say_saved(&self, text: &str) {
            if let Some(p) = find(&self.doc, "[data-testid=autosave]") {
                p.set_text_content(Some(text));
            }
        }

        /// Saves the answers in the background: a change made while a save is in flight is sent
        /// when it returns, so the newest answers always win.
        fn autosave(ed: &Rc<Editor>) {
            let (busy, _) = ed.saving.get();
            if busy {
                ed.saving.set((true, true));
                return;
            }
            ed.saving.set((true, false));
            ed.say_saved(ed.lang.pick("正在保存…", "正在儲存…", "Saving…"));
            let ed = ed.clone();
            leptos::task::spawn_local(async move {
                loop {
                    if let Err(e) = crate::api::autosave_answers(ed.case_id, ed.answers()).await {
                        let msg = match e {
                            leptos::server_fn::ServerFnError::ServerError(m) => m,
                            other => other.to_string(),
                        };
                        ed.set_error("_form", Some(&msg));
                    }
                    if ed.saving.get().1 {
                        ed.saving.set((true, false));
                        continue;
                    }
                    ed.saving.set((false, false));
                    ed.say_saved(ed.lang.pick("已自动保存", "已自動儲存", "Saved"));
                    break;
                }
            });
        }

        /// Where field `field`'s message goes: a card (`m_code`), a question (`q_code`), or none.
        fn field_element(&self, field: &str) -> Option<Element> {
            match field.strip_prefix("m_") {
                Some(code) => self.cards.get(code).cloned(),
                None if field == "_form" => None,
                None => find(&self.doc, &format!("#f-{field}")),
            }
        }

        /// Shows (`Some`) or clears field `field`'s message, at the field and in the summary.
        fn set_error(&self, field: &str, message: Option<&str>) {
            if let Some(el) = self.field_element(field) {
                let old = el.query_selector(":scope > .error-message").ok().flatten();
                match message {
                    Some(m) => {
                        let _ = el.class_list().add_1("field-error");
                        let p = old.or_else(|| {
                            let p = self.doc.create_element("p").ok()?;
                            p.set_class_name("error-message");
                            let before = el.query_selector(":scope > ul.file-list, :scope > label").ok().flatten();
                            let _ = el.insert_before(&p, before.as_ref().map(|b| b.unchecked_ref()));
                            Some(p)
                        });
                        if let Some(p) = p {
                            p.set_text_content(Some(m));
                        }
                    }
                    None => {
                        let _ = el.class_list().remove_1("field-error");
                        if let Some(p) = old {
                            p.remove();
                        }
                    }
                }
            }
            let Some(summary) = find(&self.doc, ".error-summary") else { return };
            let Some(ul) = summary.query_selector("ul").ok().flatten() else { return };
            let anchor = error_anchor(field);
            let old = if field == "_form" {
                ul.query_selector("li[data-form]").ok().flatten()
            } else {
                ul.query_selector(&format!("a[href='{anchor}']")).ok().flatten().and_then(|a| a.parent_element())
            };
            if let Some(li) = old {
                li.remove();
            }
            if let Some(m) = message {
                if let Ok(li) = self.doc.create_element("li") {
                    if field == "_form" {
                        let _ = li.set_attribute("data-form", "");
                        li.set_text_content(Some(m));
                    } else if let Ok(a) = self.doc.create_element("a") {
                        let _ = a.set_attribute("href", &anchor);
                        a.set_text_content(Some(m));
                        let _ = li.append_child(&a);
                    }
                    let _ = ul.append_child(&li);
                }
            }
            let _ = if ul.child_element_count() == 0 {
                summary.set_attribute("hidden", "")
            } else {
                summary.remove_attribute("hidden")
            };
        }

        fn clear_error(&self, field: &str) {
            self.set_error(field, None);
        }

        fn element(&self, tag: &str, class: &str, text: Option<&str>) -> Option<Element> {
            let el = self.doc.create_element(tag).ok()?;
            if !class.is_empty() {
                el.set_class_name(class);
            }
            if text.is_some() {
                el.set_text_content(text);
            }
            Some(el)
        }

        /// A file's row, as `pages::editor::file_row` draws it.
        fn file_row(&self, f: &FileView) -> Option<Element> {
            let li = self.element("li", "file-row", None)?;
            let a = self.element("a", "", Some(&f.file_name))?;
            let _ = a.set_attribute("href", &format!("/files/{}", f.id));
            let _ = a.set_attribute("target", "_blank");
            let _ = a.set_attribute("rel", "noopener");
            let hint =
                self.element("span", "hint", Some(&format!("{} · {}", f.file_type.label(), human_size(f.size))))?;
            let form = self.element("form", "inline-form", None)?;
            let _ = form.set_attribute("method", "post");
            let _ = form.set_attribute("action", <crate::api::RemoveFile as ServerFn>::PATH);
            for (name, value) in [("case", self.case_id.to_string()), ("file", f.id.to_string())] {
                let input = self.element("input", "", None)?;
                let _ = input.set_attribute("type", "hidden");
                let _ = input.set_attribute("name", name);
                let _ = input.set_attribute("value", &value);
                let _ = form.append_child(&input);
            }
            let button = self.element("button", "link-button", Some(self.lang.pick("删除", "刪除", "Remove")))?;
            let _ = button.set_attribute("type", "submit");
            let named = self.element("span", "visually-hidden", Some(&format!(" {}", f.file_name)))?;
            let _ = button.append_child(&named);
            let _ = form.append_child(&button);
            for child in [&a, &hint, &form] {
                let _ = li.append_child(child);
            }
            Some(li)
        }

        /// Uploads the files chosen in `form` for material `code`, one request each.
        fn upload(ed: &Rc<Editor>, code: &str, form: &HtmlFormElement) {
            let field = format!("m_{code}");
            let Some(input) = form
                .query_selector("input[type=file]")
                .ok()
                .flatten()
                .and_then(|i| i.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            let lang = ed.lang;
            let chosen = input.files().filter(|l| l.length() > 0);
            let Some(list) = chosen else {
                ed.set_error(
                    &field,
                    Some(lang.pick("请选择要上传的文件", "請選擇要上傳的檔案", "Choose a file to upload")),
                );
                return;
            };
            ed.set_error(&field, None);
            ed.set_error("_form", None);
            let max = ed.specs.iter().find(|m| m.code == code).map_or(u64::MAX, |m| m.max_bytes);
            let Some(card) = ed.cards.get(code).cloned() else { return };
            let bars = card.query_selector("ul[data-uploads]").ok().flatten();
            for i in 0..list.length() {
                let Some(file) = list.get(i) else { continue };
                let name = file.name();
                if file.size() as u64 > max {
                    let reason = rules::materials::CorrectionReason::TooLarge { max_bytes: max }.message(lang);
                    ed.set_error(&field, Some(&format!("{name}: {reason}")));
                    continue;
                }
                // the file's progress: its name, a bar, the percentage
                let row = ed.element("li", "upload-progress", None);
                let bar = ed.element("progress", "", None);
                let pct = ed.element("span", "", Some("0%"));
                if let (Some(row), Some(bar), Some(pct), Some(bars)) = (&row, &bar, &pct, &bars) {
                    let _ = bar.set_attribute("max", "100");
                    let _ = bar.set_attribute("value", "0");
                    let _ = bar.set_attribute("aria-label", &format!("{name} 0%"));
                    if let Some(label) = ed.element("span", "", Some(&name)) {
                        let _ = row.append_child(&label);
                    }
                    let _ = row.append_child(bar);
                    let _ = row.append_child(pct);
                    let _ = bars.append_child(row);
                }
                let on_progress = {
                    let (bar, pct, name) = (bar.clone(), pct.clone(), name.clone());
                    move |p: f64| {
                        let n = (p * 100.0).round().clamp(0.0, 100.0) as u32;
                        if let (Some(bar), Some(pct)) = (&bar, &pct) {
                            let _ = bar.set_attribute("value", &n.to_string());
                            let _ = bar.set_attribute("aria-label", &format!("{name} {n}%"));
                            pct.set_text_content(Some(&format!("{n}%")));
                        }
                    }
                };
                let on_done = {
                    let (ed, card, field, row) = (ed.clone(), card.clone(), field.clone(), row.clone());
                    move |status: u16, body: String| {
                        if let Some(row) = &row {
                            row.remove();
                        }
                        let v: UploadReply = serde_json::from_str(&body).unwrap_or_default();
                        if (200..300).contains(&status) && v.ok {
                            let files = card.query_selector("ul[data-files]").ok().flatten();
                            for f in &v.files {
                                if let (Some(files), Some(li)) = (&files, ed.file_row(f)) {
                                    let _ = files.append_child(&li);
                                }
                            }
                            ed.recompute();
                        } else {
                            let msg = v.message.unwrap_or_else(|| {
                                lang.pick("上传失败，请重试", "上傳失敗，請重試", "The upload failed: try again").into()
                            });
                            ed.set_error(&field, Some(&msg));
                        }
                    }
                };
                let url = format!("/applications/{}/files?material={code}", ed.case_id);
                if send(&url, &file, on_progress, on_done).is_err() {
                    if let Some(row) = &row {
                        row.remove();
                    }
                }
            }
            input.set_value("");
        }
    }

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

    fn send(
        url: &str,
        file: &web_sys::File,
        on_progress: impl Fn(f64) + 'static,
        on_done: impl FnOnce(u16, String) + 'static,
    ) -> Result<(), JsValue> {
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
