//! Log in and register: plain forms posting to the server functions `api::login` and `api::register`; with JavaScript the browser checks each
//! field with the `rules` crate as it is left and before submitting. Values typed before the
//! island woke up are read from the form itself, so nothing typed is lost.

use std::collections::BTreeMap;

use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::components::{field_error, use_prefs, ErrorSummary, Notice, TextField};
use crate::models::{field_label, register_field_error, Flash, RegisterInput, REGISTER_FIELDS};

/// What the form's field `name` holds in the page right now. Typing that happened before the
/// page hydrated never reached the signals, so checks read the DOM.
pub fn form_value(ev: &SubmitEvent, name: &str) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let form = ev.target()?.dyn_into::<web_sys::HtmlFormElement>().ok()?;
        let el = form.elements().named_item(name)?;
        if let Ok(i) = el.clone().dyn_into::<web_sys::HtmlInputElement>() {
            if i.type_() == "radio" {
                return None;
            }
            return Some(i.value());
        }
        None
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (ev, name);
        None
    }
}

/// Shows the summary and stops the submit when the browser found problems.
fn block_if_errors(
    ev: &SubmitEvent,
    found: BTreeMap<String, String>,
    errors: RwSignal<BTreeMap<String, String>>,
    summary: NodeRef<html::Div>,
) {
    if !found.is_empty() {
        ev.prevent_default();
        errors.set(found);
        if let Some(el) = summary.get() {
            let _ = el.focus();
        }
    }
}

#[island]
pub fn LoginForm(flash: Flash, next: String) -> impl IntoView {
    let lang = use_prefs().lang;
    let errors = RwSignal::new(flash.errors.clone());
    let login = RwSignal::new(flash.value("login"));
    let password = RwSignal::new(String::new());
    let summary = NodeRef::<html::Div>::new();
    let on_submit = move |ev: SubmitEvent| {
        if let Some(v) = form_value(&ev, "login") {
            login.set(v);
        }
        if let Some(v) = form_value(&ev, "password") {
            password.set(v);
        }
        let mut found = BTreeMap::new();
        if login.get_untracked().trim().is_empty() {
            found.insert(
                "login".into(),
                lang.pick(
                    "请输入身份证号、统一社会信用代码或手机号",
                    "請輸入身分證號、統一社會信用代碼或手機號",
                    "Enter your ID number, credit code or mobile",
                )
                .into(),
            );
        }
        if password.get_untracked().is_empty() {
            found.insert("password".into(), lang.pick("请输入密码", "請輸入密碼", "Enter your password").into());
        }
        block_if_errors(&ev, found, errors, summary);
    };
    view! {
        <section class="panel narrow">
            <Notice text=flash.notice.clone()/>
            <h1>{lang.pick("登录", "登入", "Log in")}</h1>
            <ErrorSummary errors order=&["login", "password"] node_ref=summary/>
            <form method="post" action={<crate::api::Login as ServerFn>::PATH} novalidate on:submit=on_submit>
                <input type="hidden" name="next" value=next/>
                <TextField name="login" label=field_label("login", lang) value=flash.value("login")
                    error=field_error(errors, "login") autocomplete="username"
                    on_input=Callback::new(move |v| login.set(v))/>
                <TextField name="password" label=field_label("password", lang) value="" input_type="password"
                    error=field_error(errors, "password") autocomplete="current-password"
                    on_input=Callback::new(move |v| password.set(v))/>
                <button type="submit" class="button">{lang.pick("登录", "登入", "Log in")}</button>
            </form>
            <p>{lang.pick("还没有账户？", "還沒有帳戶？", "No account yet? ")}<a href="/register">{lang.pick("注册", "註冊", "Register")}</a></p>
        </section>
    }
}

#[island]
pub fn RegisterForm(flash: Flash) -> impl IntoView {
    let lang = use_prefs().lang;
    let initial = RegisterInput {
        kind: Some(flash.value("kind")).filter(|k| k == "enterprise").unwrap_or_else(|| "person".into()),
        name: flash.value("name"),
        id_card_no: flash.value("id_card_no"),
        credit_code: flash.value("credit_code"),
        contact_name: flash.value("contact_name"),
        mobile: flash.value("mobile"),
        ..Default::default()
    };
    let input = RwSignal::new(initial.clone());
    let errors = RwSignal::new(flash.errors.clone());
    let summary = NodeRef::<html::Div>::new();

    let setter = move |f: &'static str| {
        Callback::new(move |v: String| {
            input.update(|i| {
                if let Some(slot) = i.field_mut(f) {
                    *slot = v;
                }
            })
        })
    };
    // Checks a field when it is left, with the same rules the server applies.
    let check = move |f: &'static str| {
        Callback::new(move |_: ()| {
            let e = input.with_untracked(|i| register_field_error(i, f, lang));
            errors.update(|errs| {
                match e {
                    Some(m) => errs.insert(f.to_string(), m),
                    None => errs.remove(f),
                };
                errs.remove("_form");
            });
        })
    };
    // What the form holds now, typed before the island woke up included, into the signal.
    #[cfg(feature = "hydrate")]
    let sync = move |form: &web_sys::HtmlFormElement| {
        let mut now = crate::components::text_values(form);
        now.extend(crate::components::checked_radios(form));
        input.update(|i| {
            for (name, value) in now {
                if let Some(slot) = i.field_mut(&name) {
                    *slot = value;
                }
            }
        });
    };
    let on_submit = move |ev: SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if let Some(form) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok()) {
                sync(&form);
            }
        }
        let found: BTreeMap<String, String> = input.with_untracked(|i| {
            REGISTER_FIELDS
                .iter()
                .filter_map(|f| register_field_error(i, f, lang).map(|m| (f.to_string(), m)))
                .collect()
        });
        block_if_errors(&ev, found, errors, summary);
    };
    let kind_radio = move |value: &'static str, label: &'static str| {
        let checked = initial.kind == value;
        view! {
            <label class="radio">
                <input type="radio" name="kind" value=value checked=checked
                    on:change=move |_| input.update(|i| i.kind = value.to_string())/>
                {label}
            </label>
        }
    };
    let is_enterprise = move || input.with(|i| i.kind == "enterprise");
    // what was typed or chosen before the island woke up is in the form, not in the signal
    let form = NodeRef::<html::Form>::new();
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(f) = form.get() {
            sync(&f);
        }
    });
    view! {
        <section class="panel narrow">
            <h1>{lang.pick("注册账户", "註冊帳戶", "Create an account")}</h1>
            <p class="lead">{lang.pick(
                "注册后可在线申请、上传材料并查看办理进度。",
                "註冊後可線上申請、上傳材料並查看辦理進度。",
                "With an account you can apply online, upload materials and follow your case.",
            )}</p>
            <ErrorSummary errors order=&REGISTER_FIELDS node_ref=summary/>
            <form method="post" action={<crate::api::Register as ServerFn>::PATH} novalidate on:submit=on_submit class="register-form" node_ref=form>
                <fieldset class="field">
                    <legend>{field_label("kind", lang)}</legend>
                    {kind_radio("person", lang.pick("个人", "個人", "Person"))}
                    {kind_radio("enterprise", lang.pick("企业 / 法人", "企業 / 法人", "Enterprise"))}
                </fieldset>
                <TextField name="name"
                    label=move || field_label(if is_enterprise() { "enterprise_name" } else { "name" }, lang)
                    hint=lang.pick("个人填写姓名；企业填写营业执照上的名称", "個人填寫姓名；企業填寫營業執照上的名稱", "Your full name, or the enterprise's registered name")
                    value=initial.name.clone() error=field_error(errors, "name")
                    on_input=setter("name") on_blur=check("name") autocomplete="name"/>
                <div class="person-only">
                    <TextField name="id_card_no" label=field_label("id_card_no", lang)
                        hint=lang.pick("18 位，最后一位可能是 X", "18 位，最後一位可能是 X", "18 characters; the last may be X")
                        value=initial.id_card_no.clone() error=field_error(errors, "id_card_no")
                        on_input=setter("id_card_no") on_blur=check("id_card_no")/>
                </div>
                <div class="enterprise-only">
                    <TextField name="credit_code" label=field_label("credit_code", lang)
                        hint=lang.pick("18 位，见营业执照", "18 位，見營業執照", "18 characters, on the business licence")
                        value=initial.credit_code.clone() error=field_error(errors, "credit_code")
                        on_input=setter("credit_code") on_blur=check("credit_code")/>
                    <TextField name="contact_name" label=field_label("contact_name", lang)
                        value=initial.contact_name.clone() error=field_error(errors, "contact_name")
                        on_input=setter("contact_name") on_blur=check("contact_name")/>
                </div>
                <TextField name="mobile" label=field_label("mobile", lang) input_type="tel" inputmode="numeric"
                    hint=lang.pick("用于接收办理进度通知，也可用于登录", "用於接收辦理進度通知，也可用於登入", "For progress notices; you can also log in with it")
                    value=initial.mobile.clone() error=field_error(errors, "mobile")
                    on_input=setter("mobile") on_blur=check("mobile") autocomplete="tel"/>
                <TextField name="password" label=field_label("password", lang) input_type="password"
                    hint=lang.pick("至少 8 个字符，不要使用常见密码", "至少 8 個字元，不要使用常見密碼", "At least 8 characters; not a common password")
                    value="" error=field_error(errors, "password")
                    on_input=setter("password") on_blur=check("password") autocomplete="new-password"/>
                <TextField name="password_confirm" label=field_label("password_confirm", lang) input_type="password"
                    value="" error=field_error(errors, "password_confirm")
                    on_input=setter("password_confirm") on_blur=check("password_confirm") autocomplete="new-password"/>
                <button type="submit" class="button">{lang.pick("注册", "註冊", "Create account")}</button>
            </form>
            <p>{lang.pick("已有账户？", "已有帳戶？", "Have an account? ")}<a href="/login">{lang.pick("登录", "登入", "Log in")}</a></p>
        </section>
    }
}
