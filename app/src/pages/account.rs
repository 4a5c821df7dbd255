use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use rules::Lang;

use crate::api::{my_profile, take_flash};
use crate::components::{use_current_user, use_prefs, Notice, ServerError};
use crate::models::SessionUser;

#[component]
pub fn AccountPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let user = use_current_user();
    let flash = Resource::new(|| (), |_| take_flash("account".into()));
    // Every server call of the page is a resource, so hydration reuses what the server rendered.
    let profile = Resource::new(|| (), |_| my_profile());
    let body = move || {
        Suspend::new(async move {
            let f = flash.await.ok().flatten().unwrap_or_default();
            let notice = f.notice.clone();
            let email_err = f.errors.get("email").cloned();
            let lang_err = f.errors.get("notice_lang").cloned();
            let email_value = if f.values.contains_key("email") { Some(f.value("email")) } else { None };
            match user.0.await {
                Ok(Some(SessionUser::Applicant { .. })) => {
                    let profile = profile
                        .await
                        .and_then(|p| p.ok_or_else(|| leptos::server_fn::ServerFnError::new("no profile")));
                    view! {
                        <Notice text=notice/>
                        {match profile {
                            Ok(p) => view! {
                                <section class="panel">
                                    <h1>{lang.pick("我的账户", "我的帳戶", "My account")}</h1>
                                    <dl class="summary-list">
                                        <div><dt>{lang.pick("名称", "名稱", "Name")}</dt><dd>{p.name}</dd></div>
                                        <div><dt>{lang.pick("类型", "類型", "Type")}</dt><dd>{match p.kind {
                                            rules::ApplicantKind::Person => lang.pick("个人", "個人", "Person"),
                                            rules::ApplicantKind::Enterprise => lang.pick("企业", "企業", "Enterprise"),
                                        }}</dd></div>
                                        <div><dt>{lang.pick("证件号码", "證件號碼", "ID number")}</dt><dd>{p.masked_id}</dd></div>
                                        {p.contact_name.map(|c| view! { <div><dt>{lang.pick("联系人", "聯絡人", "Contact")}</dt><dd>{c}</dd></div> })}
                                        <div><dt>{lang.pick("手机号码", "手機號碼", "Mobile")}</dt><dd>{p.mobile}</dd></div>
                                    </dl>
                                    <h2>{lang.pick("通知设置", "通知設定", "Notices")}</h2>
                                    <p class="hint">{lang.pick("办件有进展时，站内消息总会收到；短信和电子邮件可以关闭。", "辦件有進展時，站內訊息總會收到；簡訊和電子郵件可以關閉。", "Your inbox always gets every notice; SMS and e-mail can be turned off.")}</p>
                                    <form method="post" action={<crate::api::SetNotifications as ServerFn>::PATH} class="action-form" id="form-notify">
                                        <div class="field" class:field-error=email_err.is_some()>
                                            <label for="email">{lang.pick("电子邮箱（可选）", "電子郵箱（可選）", "E-mail (optional)")}</label>
                                            {email_err.clone().map(|m| view! { <p class="error-message" id="email-error">{m}</p> })}
                                            <input id="email" name="email" type="email" autocomplete="email" value=email_value.unwrap_or(p.email.unwrap_or_default()) aria-describedby=email_err.is_some().then_some("email-error")/>
                                        </div>
                                        <div class="field checkbox">
                                            <input id="notify_sms" name="notify_sms" type="checkbox" value="on" checked=p.notify_sms/>
                                            <label for="notify_sms">{lang.pick("接收短信通知", "接收簡訊通知", "Send me SMS notices")}</label>
                                        </div>
                                        <div class="field checkbox">
                                            <input id="notify_email" name="notify_email" type="checkbox" value="on" checked=p.notify_email/>
                                            <label for="notify_email">{lang.pick("接收电子邮件通知", "接收電子郵件通知", "Send me e-mail notices")}</label>
                                        </div>
                                        {notice_lang_field(p.notice_lang, lang_err.clone(), lang)}
                                        <button type="submit" class="button secondary">{lang.pick("保存通知设置", "儲存通知設定", "Save notice settings")}</button>
                                    </form>
                                    <p>
                                        <a href="/cases">{lang.pick("我的办件", "我的辦件", "My cases")}</a>" · "
                                        <a href="/">{lang.pick("查找办事事项", "查找辦事事項", "Find a service")}</a>
                                    </p>
                                </section>
                            }.into_any(),
                            Err(e) => view! { <ServerError error=e/> }.into_any(),
                        }}
                    }
                    .into_any()
                }
                Ok(Some(SessionUser::Staff { .. })) => view! { <Redirect path="/staff"/> }.into_any(),
                _ => view! { <Redirect path="/login?next=/account"/> }.into_any(),
            }
        })
    };
    view! {
        <Title text=lang.pick("我的账户 · 通办", "我的帳戶 · 通辦", "My account · Tongban")/>
        <Suspense fallback=|| ()>{body}</Suspense>
    }
}

/// The choice of the language notices go out in (field `notice_lang`), with its error.
pub fn notice_lang_field(chosen: Lang, err: Option<String>, lang: Lang) -> impl IntoView {
    view! {
        <div class="field" class:field-error=err.is_some()>
            <label for="notice_lang">{lang.pick("通知语言", "通知語言", "Language of notices")}</label>
            {err.clone().map(|m| view! { <p class="error-message" id="notice_lang-error">{m}</p> })}
            <select id="notice_lang" name="notice_lang" aria-describedby=err.is_some().then_some("notice_lang-error")>
                {Lang::ALL.into_iter().map(|l| view! {
                    <option value=l.tag() selected=l == chosen>{l.pick("简体中文", "繁體中文", "English")}</option>
                }).collect_view()}
            </select>
        </div>
    }
}
