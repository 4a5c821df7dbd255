use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_location;
use rules::Lang;

use super::use_prefs;
use crate::api::whoami;
use crate::models::SessionUser;

/// The caller, loaded once per page for the header and the pages.
#[derive(Clone, Copy)]
pub struct CurrentUser(pub Resource<Result<Option<SessionUser>, leptos::server_fn::ServerFnError>>);

pub fn use_current_user() -> CurrentUser {
    expect_context::<CurrentUser>()
}

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let prefs = use_prefs();
    let lang = prefs.lang;
    let user = CurrentUser(Resource::new(|| (), |_| whoami()));
    provide_context(user);
    let location = use_location();
    let here = move || {
        let s = location.search.get();
        if s.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{}", location.pathname.get(), s.trim_start_matches('?'))
        }
    };
    let account_nav = move || {
        Suspend::new(async move {
            match user.0.await {
                Ok(Some(u)) => {
                    let home = if u.is_staff() { "/staff" } else { "/account" };
                    let applicant_links = (!u.is_staff()).then(|| {
                        view! {
                            <a href="/cases">{lang.pick("我的办件", "我的辦件", "My cases")}</a>
                            <a href="/inbox">{lang.pick("消息", "訊息", "Messages")}</a>
                        }
                    });
                    view! {
                        {applicant_links}
                        <a href=home class="nav-user">{u.display_name().to_string()}</a>
                        <form method="post" action={<crate::api::Logout as ServerFn>::PATH} class="inline-form">
                            <button type="submit" class="link-button">{lang.pick("退出", "登出", "Log out")}</button>
                        </form>
                    }
                    .into_any()
                }
                _ => view! {
                    <a href="/login">{lang.pick("登录", "登入", "Log in")}</a>
                    <a href="/register">{lang.pick("注册", "註冊", "Register")}</a>
                }
                .into_any(),
            }
        })
    };
    let elder_next = if prefs.elder { "0" } else { "1" };
    let elder_label = if prefs.elder {
        lang.pick("退出适老模式", "退出適老模式", "Standard view")
    } else {
        lang.pick("适老模式", "適老模式", "Elder mode")
    };
    view! {
        <a class="skip-link" href="#main">{lang.pick("跳到主要内容", "跳到主要內容", "Skip to main content")}</a>
        <header class="site-header">
            <div class="wrap header-row">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">"通"</span>
                    <span class="brand-text">
                        <strong>{lang.pick("通办", "通辦", "Tongban")}</strong>
                        <small>{lang.pick("一窗通办政务服务", "一窗通辦政務服務", "One-window government services")}</small>
                    </span>
                </a>
                <nav class="account-nav" aria-label=lang.pick("账户", "帳戶", "Account")>
                    <Suspense fallback=|| ()>{account_nav}</Suspense>
                </nav>
            </div>
            <div class="wrap prefs-row">
                <form method="post" action={<crate::api::SetPrefs as ServerFn>::PATH} class="lang-switch" aria-label=lang.pick("语言", "語言", "Language")>
                    <input type="hidden" name="return_to" value=here/>
                    {Lang::ALL
                        .into_iter()
                        .map(|l| {
                            let label = match l {
                                Lang::ZhHans => "简体",
                                Lang::ZhHant => "繁體",
                                Lang::En => "English",
                            };
                            view! {
                                <button type="submit" name="lang" value=l.tag() lang=l.tag()
                                    aria-pressed=if l == lang { "true" } else { "false" }>{label}</button>
                            }
                        })
                        .collect_view()}
                </form>
                <form method="post" action={<crate::api::SetPrefs as ServerFn>::PATH} class="elder-switch">
                    <input type="hidden" name="return_to" value=here/>
                    <button type="submit" name="elder" value=elder_next aria-pressed=if prefs.elder { "true" } else { "false" }>
                        {elder_label}
                    </button>
                </form>
            </div>
        </header>
        <main id="main" class="wrap" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <div class="wrap">
                <p>{lang.pick(
                    "通办 — 开源的一窗通办政务服务系统。咨询与投诉请到政务服务大厅首问窗口。",
                    "通辦 — 開源的一窗通辦政務服務系統。諮詢與投訴請到政務服務大廳首問窗口。",
                    "Tongban — open-source one-window government services. For questions and complaints, ask at the first-inquiry desk.",
                )}</p>
                <p class="footer-links">
                    <a href="/progress">{lang.pick("办件进度查询", "辦件進度查詢", "Track a case")}</a>
                    <a href="/ledger">{lang.pick("登记台账公示", "登記台賬公示", "Public register")}</a>
                    <a href="/open">{lang.pick("政务公开", "政務公開", "Open government")}</a>
                    <a href="/staff/login">{lang.pick("工作人员入口", "工作人員入口", "Staff sign-in")}</a>
                </p>
            </div>
        </footer>
    }
}
