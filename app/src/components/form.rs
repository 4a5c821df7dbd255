use std::collections::BTreeMap;

use leptos::html;
use leptos::prelude::*;

use super::use_prefs;

/// The radio buttons checked in `form` right now, by name: what was chosen before an island woke
/// up never reached its signals.
#[cfg(feature = "hydrate")]
pub fn checked_radios(form: &web_sys::HtmlFormElement) -> BTreeMap<String, String> {
    use wasm_bindgen::JsCast;
    let mut found = BTreeMap::new();
    if let Ok(list) = form.query_selector_all("input[type=radio]:checked") {
        for i in 0..list.length() {
            if let Some(input) = list.item(i).and_then(|n| n.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                found.insert(input.name(), input.value());
            }
        }
    }
    found
}

/// The text inputs of `form` (not radios, checkboxes, files or hidden fields) and their values
/// right now, by name.
#[cfg(feature = "hydrate")]
pub fn text_values(form: &web_sys::HtmlFormElement) -> BTreeMap<String, String> {
    use wasm_bindgen::JsCast;
    let mut found = BTreeMap::new();
    let inputs = "input:not([type=radio]):not([type=checkbox]):not([type=file]):not([type=hidden]):not([type=submit])";
    if let Ok(list) = form.query_selector_all(inputs) {
        for i in 0..list.length() {
            if let Some(input) = list.item(i).and_then(|n| n.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                found.insert(input.name(), input.value());
            }
        }
    }
    found
}

/// The message for field `f` among `errors`, as a signal.
pub fn field_error(errors: RwSignal<BTreeMap<String, String>>, f: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || errors.with(|e| e.get(f).cloned()))
}

/// A labelled input with its hint and error message (GOV.UK pattern: the error sits between the
/// label and the input and is tied to it with `aria-describedby`).
#[component]
pub fn TextField(
    name: &'static str,
    #[prop(into)] label: TextProp,
    #[prop(into, optional)] hint: Option<String>,
    #[prop(into)] value: String,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] on_input: Option<Callback<String>>,
    #[prop(optional)] on_blur: Option<Callback<()>>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let id = format!("f-{name}");
    let hint_id = format!("{id}-hint");
    let err_id = format!("{id}-error");
    let described = {
        let hint_id = hint_id.clone();
        let err_id = err_id.clone();
        let has_hint = hint.is_some();
        move || {
            let mut v = Vec::new();
            if has_hint {
                v.push(hint_id.clone());
            }
            if error.get().is_some() {
                v.push(err_id.clone());
            }
            v.join(" ")
        }
    };
    view! {
        <div class="field" class:field-error=move || error.get().is_some()>
            <label for=id.clone()>{move || label.get()}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <p class="error-message" id=err_id.clone() hidden=move || error.get().is_none()>
                {move || error.get().unwrap_or_default()}
            </p>
            <input
                id=id
                name=name
                type=input_type
                value=value
                autocomplete=autocomplete
                inputmode=inputmode
                required=required
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=described
                on:input=move |ev| {
                    if let Some(cb) = on_input {
                        cb.run(event_target_value(&ev));
                    }
                }
                on:blur=move |ev| {
                    // what was typed before the island woke up reaches the signals here at the latest
                    if let Some(cb) = on_input {
                        cb.run(event_target_value(&ev));
                    }
                    if let Some(cb) = on_blur {
                        cb.run(());
                    }
                }
            />
        </div>
    }
}

/// The list of problems at the top of a form, each linking to its field.
#[component]
pub fn ErrorSummary(
    errors: RwSignal<BTreeMap<String, String>>,
    /// Field order for the list.
    order: &'static [&'static str],
    node_ref: NodeRef<html::Div>,
) -> impl IntoView {
    let lang = use_prefs().lang;
    let items = move || {
        let errs = errors.get();
        let mut list: Vec<(String, String)> = Vec::new();
        if let Some(m) = errs.get("_form") {
            list.push(("_form".into(), m.clone()));
        }
        for f in order {
            if let Some(m) = errs.get(*f) {
                list.push((f.to_string(), m.clone()));
            }
        }
        list
    };
    view! {
        <div class="error-summary" role="alert" tabindex="-1" node_ref=node_ref hidden=move || errors.get().is_empty()>
            <h2>{lang.pick("请更正以下问题", "請更正以下問題", "There is a problem")}</h2>
            <ul>
                {move || {
                    items()
                        .into_iter()
                        .map(|(f, m)| {
                            if f == "_form" {
                                view! { <li>{m}</li> }.into_any()
                            } else {
                                view! { <li><a href=format!("#f-{f}")>{m}</a></li> }.into_any()
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}

/// The words of a material's requirement: optional, required, or required but 容缺 (it may follow
/// after acceptance).
pub fn requirement_words(
    requirement: rules::materials::Requirement,
    deferrable: bool,
    lang: rules::Lang,
) -> &'static str {
    use rules::materials::Requirement;
    match (requirement, deferrable) {
        (Requirement::Optional, _) => lang.pick("可选", "可選", "Optional"),
        (Requirement::Required, true) => {
            lang.pick("必需 · 可容缺后补", "必需 · 可容缺後補", "Required · may follow after acceptance")
        }
        (Requirement::Required, false) => lang.pick("必需", "必需", "Required"),
    }
}

/// [`requirement_words`] of a material of an item.
pub fn requirement_text(m: &rules::materials::MaterialSpec, lang: rules::Lang) -> &'static str {
    requirement_words(m.requirement, m.deferrable, lang)
}

/// The editor's line of what is still missing (made by the server, rewritten by the island).
pub fn checklist_status(missing: usize, lang: rules::Lang) -> String {
    use rules::Lang;
    match (missing, lang) {
        (0, _) => lang
            .pick(
                "必需材料已齐全，可以检查并提交。",
                "必需材料已齊全，可以檢查並提交。",
                "All required materials are here: you can check and submit.",
            )
            .to_string(),
        (n, Lang::ZhHans) => format!("还差 {n} 项必需材料。"),
        (n, Lang::ZhHant) => format!("還差 {n} 項必需材料。"),
        (n, Lang::En) => format!("{n} required material(s) still missing."),
    }
}

/// Where a field's message in an error summary links to: a material's card (`m_<code>`) or a
/// question's or input's field (`#f-<field>`).
pub fn error_anchor(field: &str) -> String {
    match field.strip_prefix("m_") {
        Some(code) => format!("#m-{code}"),
        None => format!("#f-{field}"),
    }
}

/// A green confirmation box (after logout, registration…).
#[component]
pub fn Notice(text: Option<String>) -> impl IntoView {
    text.map(|t| view! { <div class="notice" role="status">{t}</div> })
}

/// A server call's failure, as the safe message the server sent (already in the user's language).
#[component]
pub fn ServerError(error: leptos::server_fn::ServerFnError) -> impl IntoView {
    let text = match &error {
        leptos::server_fn::ServerFnError::ServerError(m) => m.clone(),
        other => other.to_string(),
    };
    view! { <p class="error-message" role="alert">{text}</p> }
}
