//! The item editor's live checklist preview (see `live` below). The editor's form and preview are
//! made on the server; this island only listens to them.

use leptos::prelude::*;

/// Wires the preview to the rule data and the answers once the page is in the browser.
#[island]
pub fn ItemRulesLive() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        let lang = crate::components::use_prefs().lang;
        Effect::new(move |_| live::checklist(lang));
    }
}

/// The item editor's live preview: with JavaScript, every edit of the rule data (saved or not)
/// and every answer recomputes the checklist in the browser with the same `rules` crate the
/// server uses; bad JSON is reported with its line and column as it is typed. Without it, the
/// preview button asks the server.
#[cfg(feature = "hydrate")]
mod live {
    use std::collections::BTreeMap;

    use rules::item::ItemRules;
    use rules::Lang;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{Document, HtmlSelectElement, HtmlTextAreaElement};

    use crate::models::catalog::checklist_preview;

    /// Wires the preview if this page has the editor (once per page).
    pub fn checklist(lang: Lang) {
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
        let Some(area) = doc.get_element_by_id("item-rules") else { return };
        if area.has_attribute("data-live") {
            return;
        }
        let _ = area.set_attribute("data-live", "");
        let update = {
            let doc = doc.clone();
            Closure::<dyn Fn()>::new(move || render(&doc, lang))
        };
        let f: &web_sys::js_sys::Function = update.as_ref().unchecked_ref();
        let _ = area.add_event_listener_with_callback("input", f);
        if let Some(form) = doc.get_element_by_id("form-preview") {
            let _ = form.add_event_listener_with_callback("change", f);
        }
        update.forget();
    }

    fn render(doc: &Document, lang: Lang) {
        let Some(area) = doc.get_element_by_id("item-rules").and_then(|e| e.dyn_into::<HtmlTextAreaElement>().ok())
        else {
            return;
        };
        let (Ok(Some(list)), Some(status)) =
            (doc.query_selector("[data-testid=item-preview]"), doc.get_element_by_id("item-live-status"))
        else {
            return;
        };
        let mut answers = BTreeMap::new();
        let mut enterprise = false;
        if let Ok(selects) = doc.query_selector_all("#form-preview select") {
            for i in 0..selects.length() {
                let Some(s) = selects.item(i).and_then(|n| n.dyn_into::<HtmlSelectElement>().ok()) else { continue };
                let (name, value) = (s.name(), s.value());
                if name == "kind" {
                    enterprise = value == "enterprise";
                } else if let Some(q) = name.strip_prefix("q_") {
                    if !value.is_empty() {
                        answers.insert(q.to_string(), value);
                    }
                }
            }
        }
        let warn = |on: bool| {
            let _ = status.class_list().toggle_with_force("warning", on);
        };
        match serde_json::from_str::<ItemRules>(&area.value()) {
            Ok(rules) => {
                let (lines, problems) = checklist_preview(&rules, &answers, enterprise, lang);
                list.set_text_content(None);
                for (name, what) in lines {
                    if let Ok(li) = doc.create_element("li") {
                        li.set_text_content(Some(&format!("{name} — {what}")));
                        let _ = list.append_child(&li);
                    }
                }
                warn(!problems.is_empty());
                status.set_text_content(Some(&problems.join("；")));
            }
            Err(e) => {
                warn(true);
                status.set_text_content(Some(&format!(
                    "{}{}",
                    lang.pick(
                        "规则数据不是有效的 JSON：",
                        "規則數據不是有效的 JSON：",
                        "The rule data is not valid JSON: "
                    ),
                    {
                        use serde_json::error::Category;
                        // serde's own text ends with " at line L column C": said once, in our words
                        let detail = e.to_string();
                        let detail = detail.split(" at line ").next().unwrap_or_default().to_string();
                        let what = match e.classify() {
                            Category::Eof => lang
                                .pick(
                                    "内容不完整（缺少括号或引号）",
                                    "內容不完整（缺少括號或引號）",
                                    "it ends too early (a bracket or quote is missing)",
                                )
                                .to_string(),
                            Category::Syntax => lang.pick("语法错误", "語法錯誤", "syntax error").to_string(),
                            _ => format!(
                                "{}{detail}",
                                lang.pick("字段不符合要求：", "欄位不符合要求：", "a field is not as expected: ")
                            ),
                        };
                        match lang {
                            Lang::En => format!("line {}, column {}: {what}", e.line(), e.column()),
                            _ => format!("第 {} 行第 {} 列，{what}", e.line(), e.column()),
                        }
                    }
                )));
            }
        }
    }
}
