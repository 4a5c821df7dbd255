//! Log in, register, staff log in: the pages around the forms (the forms that check as you type
//! are islands: see `islands::auth`).

use leptos::html;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::take_flash;
use crate::components::{field_error, use_prefs, ErrorSummary, Notice, TextField};
use crate::islands::{LoginForm, RegisterForm};
use crate::models::{field_label, Flash};

/// A page around one account form: the form's flash (what was typed and the errors, after a
/// refused post) and where to go after (the flash's `next`, else the address's), rendered by
/// `render` under `title`.
fn form_page<V: IntoView + 'static>(
    form: &'static str,
    title: &'static str,
    render: impl Fn(Flash, String) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let flash = Resource::new(|| (), move |_| take_flash(form.into()));
    let query = use_query_map();
    let body = move || {
        let render = render.clone();
        Suspend::new(async move {
            let f = flash.await.ok().flatten().unwrap_or_default();
            let next = f.values.get("next").cloned().or_else(|| query.read_untracked().get("next")).unwrap_or_default();
            render(f, next)
        })
    };
    view! {
        <Title text=title/>
        <Suspense fallback=|| ()>{body}</Suspense>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let lang = use_prefs().lang;
    form_page("login", lang.pick("登录 · 通办", "登入 · 通辦", "Log in · Tongban"), |f, next| {
        view! { <LoginForm flash=f next/> }
    })
}

#[component]
pub fn StaffLoginPage() -> impl IntoView {
    let lang = use_prefs().lang;
    form_page(
        "staff_login",
        lang.pick("工作人员登录 · 通办", "工作人員登入 · 通辦", "Staff sign-in · Tongban"),
        move |f, next| {
            let errors = RwSignal::new(f.errors.clone());
            let summary = NodeRef::<html::Div>::new();
            view! {
                <section class="panel narrow">
                    <h1>{lang.pick("工作人员登录", "工作人員登入", "Staff sign-in")}</h1>
                    <ErrorSummary errors order=&["username", "password"] node_ref=summary/>
                    <form method="post" action={<crate::api::StaffLogin as ServerFn>::PATH} novalidate>
                        <input type="hidden" name="next" value=next/>
                        <TextField name="username" label=field_label("username", lang) value=f.value("username")
                            error=field_error(errors, "username") autocomplete="username"/>
                        <TextField name="password" label=field_label("password", lang) value="" input_type="password"
                            error=field_error(errors, "password") autocomplete="current-password"/>
                        <button type="submit" class="button">{lang.pick("登录", "登入", "Sign in")}</button>
                    </form>
                </section>
            }
        },
    )
}

/// `/staff/password` and `/account/password`: whoever is signed in changes their password (the
/// server knows who; a member of staff whose password an admin set comes here first).
#[component]
pub fn PasswordPage() -> impl IntoView {
    let lang = use_prefs().lang;
    form_page(
        "password",
        lang.pick("修改密码 · 通办", "修改密碼 · 通辦", "Change your password · Tongban"),
        move |f, next| {
            let errors = RwSignal::new(f.errors.clone());
            let summary = NodeRef::<html::Div>::new();
            let label = |zh: &'static str, hant: &'static str, en: &'static str| lang.pick(zh, hant, en).to_string();
            view! {
                <section class="panel narrow">
                    <h1>{lang.pick("修改密码", "修改密碼", "Change your password")}</h1>
                    <Notice text=f.notice.clone()/>
                    <ErrorSummary errors order=&["current", "password", "password_confirm"] node_ref=summary/>
                    <form method="post" action={<crate::api::ChangePassword as ServerFn>::PATH} novalidate>
                        <input type="hidden" name="next" value=next/>
                        <TextField name="current" label=label("当前密码", "目前密碼", "Current password") value=""
                            input_type="password" error=field_error(errors, "current") autocomplete="current-password"/>
                        <TextField name="password" label=label("新密码", "新密碼", "New password") value=""
                            hint=lang.pick("至少 8 个字符，可用一句好记的话", "至少 8 個字元，可用一句好記的話", "At least 8 characters; a sentence you remember works well").to_string()
                            input_type="password" error=field_error(errors, "password") autocomplete="new-password"/>
                        <TextField name="password_confirm" label=field_label("password_confirm", lang) value=""
                            input_type="password" error=field_error(errors, "password_confirm") autocomplete="new-password"/>
                        <button type="submit" class="button">{lang.pick("修改密码", "修改密碼", "Change password")}</button>
                    </form>
                </section>
            }
        },
    )
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let lang = use_prefs().lang;
    form_page("register", lang.pick("注册 · 通办", "註冊 · 通辦", "Register · Tongban"), |f, _| {
        view! { <RegisterForm flash=f/> }
    })
}
