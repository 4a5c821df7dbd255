//! The browser's checks of the log-in and registration forms. The forms are made on the server
//! (`pages::auth`) and post to the server functions `api::login` and `api::register` with or
//! without JavaScript; this island only listens to them: with the same `rules` the server applies,
//! it checks a registration field as it is left and every field before the form is sent, and shows
//! the messages next to the fields and in the summary, as the server would. It reads what the
//! fields hold, so what was typed before it woke up counts, and it never re-renders the form.
//! (No props and no view of its own: what the browser downloads for these pages is little more
//! than the validators.)

use leptos::prelude::*;

/// Wires the checks to the page's `form[data-checks]` (`login`, `register` or `activate`).
#[island]
pub fn FieldChecks() -> impl IntoView {
    // at once, as the island wakes: the page is marked hydrated only after, so nothing done
    // after the mark can miss the listeners
    #[cfg(feature = "hydrate")]
    live::wire(crate::components::use_prefs().lang);
}

#[cfg(feature = "hydrate")]
mod live {
    use std::cell::RefCell;
    use std::collections::BTreeMap;
    use std::rc::Rc;

    use rules::Lang;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{Document, Event, HtmlElement, HtmlFormElement, HtmlInputElement};

    use crate::components::{checked_radios, text_values};
    use crate::models::{
        login_errors, register_field_error, LoginInput, RegisterInput, ACTIVATE_FIELDS, REGISTER_FIELDS,
    };

    const LOGIN_FIELDS: [&str; 2] = ["login", "password"];

    type Errors = Rc<RefCell<BTreeMap<String, String>>>;

    pub fn wire(lang: Lang) {
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
        let Some(form) =
            doc.query_selector("form[data-checks]").ok().flatten().and_then(|e| e.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        if form.has_attribute("data-live") {
            return;
        }
        let _ = form.set_attribute("data-live", "");
        // the registration form's checks, on its fields or on the activation's (`/activate`)
        let (register, order): (bool, &'static [&'static str]) = match form.get_attribute("data-checks").as_deref() {
            Some("register") => (true, &REGISTER_FIELDS),
            Some("activate") => (true, &ACTIVATE_FIELDS),
            _ => (false, &LOGIN_FIELDS),
        };
        // what the server showed after a refused post stays until its field is checked again
        let errors: Errors = Rc::new(RefCell::new(shown(&doc, order)));
        if register {
            let (f2, e2, d2) = (form.clone(), errors.clone(), doc.clone());
            let on_leave = Closure::<dyn Fn(Event)>::new(move |ev: Event| {
                let Some(name) = ev.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()).map(|i| i.name())
                else {
                    return;
                };
                if !order.contains(&name.as_str()) {
                    return;
                }
                let found = register_field_error(&register_input(&f2), &name, lang);
                {
                    let mut errs = e2.borrow_mut();
                    match found {
                        Some(m) => errs.insert(name, m),
                        None => errs.remove(&name),
                    };
                    errs.remove("_form");
                }
                show(&d2, &e2.borrow(), order);
            });
            let _ = form.add_event_listener_with_callback("focusout", on_leave.as_ref().unchecked_ref());
            on_leave.forget();
            // the name is a person's or an enterprise's
            let f3 = form.clone();
            let relabel = Closure::<dyn Fn()>::new(move || {
                let Some(label) = f3.query_selector("label[for=f-name]").ok().flatten() else { return };
                let key = if register_input(&f3).kind == "enterprise" { "data-enterprise" } else { "data-person" };
                if let Some(text) = label.get_attribute(key) {
                    label.set_text_content(Some(&text));
                }
            });
            let _ = form.add_event_listener_with_callback("change", relabel.as_ref().unchecked_ref());
            relabel.forget();
        }
        let on_submit = {
            let (form2, doc) = (form.clone(), doc.clone());
            Closure::<dyn Fn(Event)>::new(move |ev: Event| {
                // a button that sends only part of the form (the SMS code's) names what it needs
                let only = ev
                    .dyn_ref::<web_sys::SubmitEvent>()
                    .and_then(|e| e.submitter())
                    .and_then(|b| b.get_attribute("data-checks-only"));
                let found: BTreeMap<String, String> = if register {
                    let input = register_input(&form2);
                    order
                        .iter()
                        .filter(|f| only.as_deref().is_none_or(|o| o == **f))
                        .filter_map(|f| register_field_error(&input, f, lang).map(|m| (f.to_string(), m)))
                        .collect()
                } else {
                    let values = text_values(&form2);
                    let input = LoginInput {
                        login: values.get("login").cloned().unwrap_or_default(),
                        password: values.get("password").cloned().unwrap_or_default(),
                        next: String::new(),
                    };
                    login_errors(&input, lang).into_iter().collect()
                };
                if found.is_empty() {
                    return;
                }
                ev.prevent_default();
                *errors.borrow_mut() = found;
                show(&doc, &errors.borrow(), order);
                if let Some(s) = summary(&doc) {
                    let _ = s.focus();
                }
            })
        };
        let _ = form.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
        on_submit.forget();
    }

    /// What the registration form holds now.
    fn register_input(form: &HtmlFormElement) -> RegisterInput {
        let mut input = RegisterInput::default();
        for (name, value) in text_values(form).into_iter().chain(checked_radios(form)) {
            if let Some(slot) = input.field_mut(&name) {
                *slot = value;
            }
        }
        input
    }

    fn summary(doc: &Document) -> Option<HtmlElement> {
        doc.query_selector(".error-summary").ok().flatten().and_then(|e| e.dyn_into::<HtmlElement>().ok())
    }

    /// The messages the page shows now, by field (`_form` for one of the whole form).
    fn shown(doc: &Document, order: &[&str]) -> BTreeMap<String, String> {
        let mut found = BTreeMap::new();
        for f in order {
            if let Some(e) = doc.get_element_by_id(&format!("f-{f}-error")).filter(|e| !e.has_attribute("hidden")) {
                found.insert(f.to_string(), e.text_content().unwrap_or_default());
            }
        }
        if let Some(list) = summary(doc).and_then(|s| s.query_selector_all("li:not(:has(a))").ok()) {
            if let Some(li) = list.item(0) {
                found.insert("_form".into(), li.text_content().unwrap_or_default());
            }
        }
        found
    }

    /// Shows `errors` as the server's page does: each next to its field (the message, the red
    /// field, `aria-invalid`, `aria-describedby`), and all in the summary in field order.
    fn show(doc: &Document, errors: &BTreeMap<String, String>, order: &[&str]) {
        for f in order {
            let msg = errors.get(*f);
            let err_id = format!("f-{f}-error");
            if let Some(e) = doc.get_element_by_id(&err_id) {
                e.set_text_content(msg.map(String::as_str));
                let _ = if msg.is_some() { e.remove_attribute("hidden") } else { e.set_attribute("hidden", "") };
            }
            if let Some(input) = doc.get_element_by_id(&format!("f-{f}")) {
                let _ = input.set_attribute("aria-invalid", if msg.is_some() { "true" } else { "false" });
                let hint = format!("f-{f}-hint");
                let mut described: Vec<&str> = Vec::new();
                if doc.get_element_by_id(&hint).is_some() {
                    described.push(&hint);
                }
                if msg.is_some() {
                    described.push(&err_id);
                }
                let _ = input.set_attribute("aria-describedby", &described.join(" "));
                if let Some(field) = input.closest(".field").ok().flatten() {
                    let _ = field.class_list().toggle_with_force("field-error", msg.is_some());
                }
            }
        }
        let Some(s) = summary(doc) else { return };
        let _ = if errors.is_empty() { s.set_attribute("hidden", "") } else { s.remove_attribute("hidden") };
        let Some(ul) = s.query_selector("ul").ok().flatten() else { return };
        ul.set_text_content(None);
        let lines = errors
            .get("_form")
            .map(|m| ("_form", m))
            .into_iter()
            .chain(order.iter().filter_map(|f| errors.get(*f).map(|m| (*f, m))));
        for (f, m) in lines {
            let Ok(li) = doc.create_element("li") else { continue };
            if f == "_form" {
                li.set_text_content(Some(m));
            } else if let Ok(a) = doc.create_element("a") {
                let _ = a.set_attribute("href", &format!("#f-{f}"));
                a.set_text_content(Some(m));
                let _ = li.append_child(&a);
            }
            let _ = ul.append_child(&li);
        }
    }
}
