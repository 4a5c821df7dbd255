//! The guide's checklist preview, live: the form and the lists are made on the server
//! (`pages::item`, and without JavaScript the form asks the server, the answers in the query
//! string); this island listens to the answers and recomputes the lists at once in the browser,
//! with the same `rules` crate. It has no view of its own, only the item's materials as props.

use std::collections::BTreeMap;

use leptos::prelude::*;
use rules::bundle::Bundle;
use rules::materials::MaterialSpec;

/// Wires the preview (`form.preview-form` and the lists `#preview-now`, `#preview-later`, `#preview-optional`) to the answers.
#[island]
pub fn ChecklistLive(specs: Vec<MaterialSpec>) -> impl IntoView {
    // at once, as the island wakes: the page is marked hydrated only after
    #[cfg(feature = "hydrate")]
    live::wire(specs);
    #[cfg(not(feature = "hydrate"))]
    let _ = specs;
}

/// The 一件事 page's merged checklist, live: the same as [`ChecklistLive`] for a bundle — the
/// answers (`form.preview-form`) recompute `ol[data-testid=bundle-checklist]` in the browser with
/// `rules::bundle::Bundle::merged_checklist_of`, the words from `components::line_text`.
#[island]
pub fn BundleChecklistLive(
    bundle: Bundle,
    materials: BTreeMap<String, Vec<MaterialSpec>>,
    names: BTreeMap<String, String>,
) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    live::wire_bundle(bundle, materials, names, crate::components::use_prefs().lang);
    #[cfg(not(feature = "hydrate"))]
    let _ = (bundle, materials, names);
}

#[cfg(feature = "hydrate")]
mod live {
    use std::collections::BTreeSet;

    use rules::materials::{checklist, Answers, ApplicantKind, MaterialSpec};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{Document, HtmlFormElement};

    use crate::components::checked_radios;

    pub fn wire(specs: Vec<MaterialSpec>) {
        on_answers(move |doc, form| render(doc, form, &specs));
    }

    /// Runs `update` on the page's preview form now and on every change of its answers.
    fn on_answers(update: impl Fn(&Document, &HtmlFormElement) + 'static) {
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
        let Some(form) =
            doc.query_selector("form.preview-form").ok().flatten().and_then(|e| e.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        let update = {
            let form = form.clone();
            Closure::<dyn Fn()>::new(move || update(&doc, &form))
        };
        let _ = form.add_event_listener_with_callback("change", update.as_ref().unchecked_ref());
        // what was chosen before the island woke up counts at once
        let _ = update.as_ref().unchecked_ref::<web_sys::js_sys::Function>().call0(&JsValue::NULL);
        update.forget();
    }

    /// The applicant's kind and the answers chosen in the form.
    fn chosen(form: &HtmlFormElement, kind: ApplicantKind) -> (ApplicantKind, Answers) {
        let mut kind = kind;
        let mut answers = Answers::new();
        for (name, value) in checked_radios(form) {
            if name == "kind" {
                kind = ApplicantKind::parse(&value).unwrap_or(kind);
            } else if let Some(q) = name.strip_prefix("q_") {
                answers.insert(q.to_string(), value);
            }
        }
        (kind, answers)
    }

    pub fn wire_bundle(
        bundle: rules::bundle::Bundle,
        materials: std::collections::BTreeMap<String, Vec<MaterialSpec>>,
        names: std::collections::BTreeMap<String, String>,
        lang: rules::Lang,
    ) {
        on_answers(move |doc, form| {
            let (kind, answers) = chosen(form, ApplicantKind::Enterprise);
            let lines = bundle.merged_checklist_of(|c| materials.get(c).map(Vec::as_slice), kind, &answers);
            let Some(ol) = doc.query_selector("ol[data-testid=bundle-checklist]").ok().flatten() else { return };
            ol.set_text_content(None);
            for m in &lines {
                let t = crate::components::line_text(m, &names, lang);
                let Ok(li) = doc.create_element("li") else { continue };
                let _ = li.set_attribute("data-testid", "bundle-material");
                let tag = |text: &str, testid: Option<&str>| {
                    doc.create_element("span").ok().inspect(|s| {
                        let _ = s.set_attribute("class", "tag");
                        if let Some(id) = testid {
                            let _ = s.set_attribute("data-testid", id);
                        }
                        s.set_text_content(Some(text));
                    })
                };
                if let Ok(strong) = doc.create_element("strong") {
                    strong.set_text_content(Some(&m.name));
                    let _ = li.append_child(&strong);
                }
                let _ = li.append_with_str_1(" ");
                if let Some(s) = tag(t.status, None) {
                    let _ = li.append_child(&s);
                }
                if let Some(s) = t.shared.and_then(|text| tag(text, Some("bundle-shared"))) {
                    let _ = li.append_with_str_1(" ");
                    let _ = li.append_child(&s);
                }
                if let Ok(p) = doc.create_element("p") {
                    let _ = p.set_attribute("class", "meta");
                    p.set_text_content(Some(&t.for_items));
                    let _ = li.append_child(&p);
                }
                let _ = ol.append_child(&li);
            }
        });
    }

    fn render(doc: &Document, form: &HtmlFormElement, specs: &[MaterialSpec]) {
        let (kind, answers) = chosen(form, ApplicantKind::Person);
        let c = checklist(specs, kind, &answers, &BTreeSet::new(), None);
        for (id, codes) in
            [("preview-now", &c.required_now), ("preview-later", &c.deferrable), ("preview-optional", &c.optional)]
        {
            let Some(group) = doc.get_element_by_id(id) else { continue };
            let _ = if codes.is_empty() && id != "preview-now" {
                group.set_attribute("hidden", "")
            } else {
                group.remove_attribute("hidden")
            };
            let Some(ul) = group.query_selector("ul").ok().flatten() else { continue };
            ul.set_text_content(None);
            for code in codes {
                let name = specs.iter().find(|s| &s.code == code).map(|s| s.name.as_str()).unwrap_or_default();
                if let Ok(li) = doc.create_element("li") {
                    li.set_text_content(Some(name));
                    let _ = ul.append_child(&li);
                }
            }
        }
        // the hint stays while a question is unanswered
        let questions: BTreeSet<String> = form
            .query_selector_all("input[type=radio][name^=q_]")
            .ok()
            .map(|list| {
                (0..list.length())
                    .filter_map(|i| list.item(i).and_then(|n| n.dyn_into::<web_sys::HtmlInputElement>().ok()))
                    .map(|i| i.name())
                    .collect()
            })
            .unwrap_or_default();
        if let Some(hint) = doc.get_element_by_id("preview-hint") {
            let open = questions.iter().any(|q| !answers.contains_key(q.trim_start_matches("q_")));
            let _ = if open { hint.remove_attribute("hidden") } else { hint.set_attribute("hidden", "") };
        }
    }
}
