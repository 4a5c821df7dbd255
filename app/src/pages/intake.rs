//! The counter (帮办): a walk-in applicant found or registered by ID number, and their
//! application started for them (then filled through the applicant's own editor).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use rules::Lang;

use crate::components::Notice;
use crate::models::Flash;
use crate::pages::loaded::signed_in;

/// Counter intake (帮办): find or register the walk-in applicant, choose the service, then fill
/// the application with them (the same form as online).
pub fn render_intake(v: crate::models::IntakeView, f: Flash, lang: Lang) -> impl IntoView {
    let err = |name: &str| f.errors.get(name).cloned();
    let number_err = v.number_error.clone().or(err("number"));
    // the identity document checked in person, once per account (S1): the tick, with its error
    let identity_tick = |id: &'static str, label: &'static str| {
        let e = err("identity_checked");
        let has_err = e.is_some();
        view! {
            <div class="field" class:field-error=has_err>
                {e.map(|m| view! { <p class="error-message">{m}</p> })}
                <label class="checkbox"><input type="checkbox" id=id name="identity_checked" value="on"/>{label}</label>
            </div>
        }
    };
    let tick_label = lang.pick(
        "我已核对来人的身份证件原件（企业：营业执照及经办人身份证件），与本账户的姓名、号码一致",
        "我已核對來人的身分證件原件（企業：營業執照及經辦人身分證件），與本帳戶的姓名、號碼一致",
        "I have checked the person's identity document (an enterprise: its licence and the contact's ID): it matches this account",
    );
    let item_select = |applicant: i32, checked: bool| {
        let items = v.items.clone();
        let number = v.number.clone();
        view! {
            <form method="post" action={<crate::api::IntakeStart as ServerFn>::PATH} class="action-form" id="form-intake-start">
                <input type="hidden" name="applicant" value=applicant.to_string()/>
                <input type="hidden" name="number" value=number/>
                <div class="field" class:field-error=err("item").is_some()>
                    <label for="intake-item">{lang.pick("办理事项", "辦理事項", "Service")}</label>
                    {err("item").map(|m| view! { <p class="error-message">{m}</p> })}
                    <select id="intake-item" name="item">
                        {items.into_iter().map(|(code, name)| { let label = format!("{name}（{code}）"); view! { <option value=code>{label}</option> } }).collect_view()}
                    </select>
                </div>
                {(!checked).then(|| identity_tick("intake-identity", tick_label))}
                <button type="submit" class="button">{lang.pick("开始帮办", "開始幫辦", "Start the application")}</button>
            </form>
        }
    };
    let found = match (&v.found, v.searched) {
        (Some(a), _) => view! {
            <section class="panel" data-testid="intake-found">
                <h2>{a.name.clone()}</h2>
                <dl class="summary-list">
                    <div><dt>{lang.pick("证件号码", "證件號碼", "ID number")}</dt><dd>{v.number.clone()}</dd></div>
                    <div><dt>{lang.pick("手机号码", "手機號碼", "Mobile")}</dt><dd>{a.mobile.clone()}</dd></div>
                    <div><dt>{lang.pick("网上账户", "網上帳戶", "Online account")}</dt><dd>{if a.has_account { lang.pick("已注册", "已註冊", "Yes") } else { lang.pick("未注册（窗口登记）", "未註冊（窗口登記）", "No (registered at the counter)") }}</dd></div>
                    <div><dt>{lang.pick("身份核验", "身分核驗", "Identity")}</dt><dd data-testid="intake-identity-state">{if a.identity_checked { lang.pick("已在窗口当面核验", "已在窗口當面核驗", "Checked in person at a window") } else { lang.pick("未经窗口核验（网上注册）", "未經窗口核驗（網上註冊）", "Not checked at a window (registered online)") }}</dd></div>
                </dl>
                {item_select(a.id, a.identity_checked)}
                {(!a.identity_checked).then(|| {
                    let value = |k: &str| f.value(k);
                    view! {
                        <details class="panel-inner" data-testid="intake-reclaim">
                            <summary>{lang.pick("来人才是该号码的持有人？收回号码", "來人才是該號碼的持有人？收回號碼", "The person here holds this number? Take it back")}</summary>
                            <p class="hint">{lang.pick(
                                "网上账户的姓名或手机号与来人不符、来人证件原件与号码一致时：冻结该账户（不能再登录，已登录的会话结束），为来人登记新账户；冻结写入安全日志。",
                                "網上帳戶的姓名或手機號與來人不符、來人證件原件與號碼一致時：凍結該帳戶（不能再登入，已登入的會話結束），為來人登記新帳戶；凍結寫入安全日誌。",
                                "When the online account's name or mobile is not the person's and their document matches the number: the account is frozen (no sign-in, its sessions end) and the person registered; the security log keeps it.",
                            )}</p>
                            <form method="post" action={<crate::api::IntakeReclaim as ServerFn>::PATH} class="action-form" id="form-intake-reclaim">
                                <input type="hidden" name="number" value=v.number.clone()/>
                                <div class="field" class:field-error=err("name").is_some()>
                                    <label for="reclaim-name">{lang.pick("持有人姓名（或单位名称）", "持有人姓名（或單位名稱）", "The holder's name")}</label>
                                    {err("name").map(|m| view! { <p class="error-message">{m}</p> })}
                                    <input id="reclaim-name" name="name" value=value("name") autocomplete="off"/>
                                </div>
                                {(!v.person).then(|| view! {
                                    <div class="field" class:field-error=err("contact_name").is_some()>
                                        <label for="reclaim-contact">{lang.pick("经办人姓名", "經辦人姓名", "Contact person")}</label>
                                        {err("contact_name").map(|m| view! { <p class="error-message">{m}</p> })}
                                        <input id="reclaim-contact" name="contact_name" value=value("contact_name") autocomplete="off"/>
                                    </div>
                                })}
                                <div class="field" class:field-error=err("mobile").is_some()>
                                    <label for="reclaim-mobile">{lang.pick("持有人手机号码", "持有人手機號碼", "The holder's mobile")}</label>
                                    {err("mobile").map(|m| view! { <p class="error-message">{m}</p> })}
                                    <input id="reclaim-mobile" name="mobile" value=value("mobile") autocomplete="off" inputmode="numeric"/>
                                </div>
                                {identity_tick("reclaim-identity", lang.pick(
                                    "我已核对来人的身份证件原件（企业：营业执照及经办人身份证件），证件号码即上方号码",
                                    "我已核對來人的身分證件原件（企業：營業執照及經辦人身分證件），證件號碼即上方號碼",
                                    "I have checked the person's identity document (an enterprise: its licence and the contact's ID): its number is the one above",
                                ))}
                                <button type="submit" class="button danger">{lang.pick("冻结该账户并为持有人登记", "凍結該帳戶並為持有人登記", "Freeze that account and register the holder")}</button>
                            </form>
                        </details>
                    }
                })}
            </section>
        }.into_any(),
        (None, true) => {
            let value = |k: &str| f.value(k);
            let field = |name: &'static str, label: &'static str, autocomplete: &'static str| {
                let e = err(name);
                let has_err = e.is_some();
                view! {
                    <div class="field" class:field-error=has_err>
                        <label for=format!("intake-{name}")>{label}</label>
                        {e.map(|m| view! { <p class="error-message">{m}</p> })}
                        <input id=format!("intake-{name}") name=name value=value(name) autocomplete=autocomplete/>
                    </div>
                }
            };
            view! {
                <section class="panel" data-testid="intake-new">
                    <h2>{lang.pick("未找到该申请人：登记新申请人", "未找到該申請人：登記新申請人", "Not found: register the applicant")}</h2>
                    <p class="hint">{lang.pick("窗口登记无需密码。办件通知以短信发到登记的手机号，使用所选语言；申请人日后可用该手机号接收验证码开通网上账号，查看窗口办理的办件。", "窗口登記無需密碼。辦件通知以簡訊發到登記的手機號，使用所選語言；申請人日後可用該手機號接收驗證碼開通網上帳號，查看窗口辦理的辦件。", "No password needed. Notices go by SMS to this mobile, in the language chosen; later the applicant can go online with a code sent to it and see their counter cases.")}</p>
                    <form method="post" action={<crate::api::IntakeApplicant as ServerFn>::PATH} class="action-form" id="form-intake-applicant">
                        <input type="hidden" name="number" value=v.number.clone()/>
                        {field("name", if v.person { lang.pick("姓名", "姓名", "Name") } else { lang.pick("单位名称", "單位名稱", "Organisation name") }, "off")}
                        {(!v.person).then(|| field("contact_name", lang.pick("经办人姓名", "經辦人姓名", "Contact person"), "off"))}
                        {field("mobile", lang.pick("手机号码", "手機號碼", "Mobile"), "off")}
                        {crate::pages::account::notice_lang_field(
                            rules::Lang::from_tag(&value("notice_lang")).unwrap_or_default(),
                            err("notice_lang"),
                            lang,
                        )}
                        <button type="submit" class="button">{lang.pick("登记申请人", "登記申請人", "Register the applicant")}</button>
                    </form>
                </section>
            }.into_any()
        }
        _ => ().into_any(),
    };
    view! {
        <nav class="breadcrumbs"><a href="/staff/queue">{lang.pick("办件队列", "辦件隊列", "Queues")}</a></nav>
        <h1>{lang.pick("窗口帮办", "窗口幫辦", "Counter intake")}</h1>
        <Notice text=f.notice.clone()/>
        {f.errors.get("_form").cloned().map(|m| view! { <div class="error-summary" role="alert"><p>{m}</p></div> })}
        <form method="get" action="/staff/intake" class="search" role="search">
            <div class="field" class:field-error=number_err.is_some()>
                <label for="number">{lang.pick("申请人身份证号码或统一社会信用代码", "申請人身分證號碼或統一社會信用代碼", "Applicant's ID number or credit code")}</label>
                {number_err.clone().map(|m| view! { <p class="error-message" id="number-error">{m}</p> })}
                <div class="search-row">
                    <input id="number" name="number" value=v.number.clone() autocomplete="off" aria-describedby=number_err.is_some().then_some("number-error")/>
                    <button type="submit">{lang.pick("查找", "查找", "Find")}</button>
                </div>
            </div>
        </form>
        {found}
        {(!v.drafts.is_empty()).then(|| view! {
            <section class="panel">
                <h2>{lang.pick("我尚未提交的帮办申请", "我尚未提交的幫辦申請", "My counter applications not yet submitted")}</h2>
                <ul>{v.drafts.iter().map(|d| view! { <li><a href=format!("/applications/{}", d.case_id)>{d.applicant.clone()}" · "{d.item.clone()}</a></li> }).collect_view()}</ul>
            </section>
        })}
    }
}

/// `/staff/intake`: the counter (a walk-in's application, by ID number).
#[component]
pub fn IntakePage() -> impl IntoView {
    signed_in(|c| async move {
        let v = crate::server::intake::view(&c.state.db, c.user.as_ref(), &c.get("number"), &c.address, c.lang).await?;
        let flash = c.flash("intake").await?;
        Ok(c.page(c.lang.pick("窗口帮办", "窗口幫辦", "Counter intake"), render_intake(v, flash, c.lang)))
    })
}
