//! Log in, register, staff log in, change password: server-rendered forms posting to server
//! functions. On the log-in and registration pages the island `islands::FieldChecks` checks the
//! fields in the browser as they are left and before sending; the forms work without it.

use leptos::html;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::take_flash;
use crate::components::{field_error, use_prefs, ErrorSummary, Notice, TextField};
use crate::islands::FieldChecks;
use crate::models::{field_label, Flash, ACTIVATE_FIELDS, REGISTER_FIELDS};

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
    form_page("login", lang.pick("登录 · 通办", "登入 · 通辦", "Log in · Tongban"), move |f, next| {
        let errors = RwSignal::new(f.errors.clone());
        view! {
            <section class="panel narrow">
                <Notice text=f.notice.clone()/>
                <h1>{lang.pick("登录", "登入", "Log in")}</h1>
                <ErrorSummary errors order=&["login", "password"] node_ref=NodeRef::new()/>
                <form method="post" action={<crate::api::Login as ServerFn>::PATH} novalidate data-checks="login">
                    <input type="hidden" name="next" value=next/>
                    <TextField name="login" label=field_label("login", lang) value=f.value("login")
                        error=field_error(errors, "login") autocomplete="username"/>
                    <TextField name="password" label=field_label("password", lang) value="" input_type="password"
                        error=field_error(errors, "password") autocomplete="current-password"/>
                    <button type="submit" class="button">{lang.pick("登录", "登入", "Log in")}</button>
                </form>
                <FieldChecks/>
                <p>{lang.pick("还没有账户？", "還沒有帳戶？", "No account yet? ")}<a href="/register">{lang.pick("注册", "註冊", "Register")}</a></p>
                <p>{lang.pick("在服务窗口办过事、还没有密码？", "在服務窗口辦過事、還沒有密碼？", "Served at the counter, no password yet? ")}<a href="/activate">{lang.pick("开通网上账户", "開通網上帳戶", "Open your online account")}</a></p>
            </section>
        }
    })
}

/// The person / enterprise choice of the registration and activation forms (the other kind's
/// fields are hidden by CSS, so it works without JavaScript).
fn kind_choice(enterprise: bool, lang: rules::Lang) -> impl IntoView {
    let radio = move |value: &'static str, label: &'static str| {
        view! {
            <label class="radio">
                <input type="radio" name="kind" value=value checked=(value == "enterprise") == enterprise/>
                {label}
            </label>
        }
    };
    view! {
        <fieldset class="field">
            <legend>{field_label("kind", lang)}</legend>
            {radio("person", lang.pick("个人", "個人", "Person"))}
            {radio("enterprise", lang.pick("企业 / 法人", "企業 / 法人", "Enterprise"))}
        </fieldset>
    }
}

/// The mobile, the button that texts it a code (the whole form goes to `code_path`, which sends it
/// back with what was typed), the code, and the new password twice: how the registration and the
/// activation both end.
fn proved_password(
    f: &Flash,
    errors: RwSignal<std::collections::BTreeMap<String, String>>,
    lang: rules::Lang,
    code_path: &'static str,
    mobile_hint: &'static str,
) -> impl IntoView {
    view! {
        <TextField name="mobile" label=field_label("mobile", lang) input_type="tel" inputmode="numeric"
            hint=mobile_hint value=f.value("mobile") error=field_error(errors, "mobile") autocomplete="tel"/>
        <button type="submit" class="button secondary" formaction=code_path
            formnovalidate data-checks-only="mobile">{lang.pick("获取短信验证码", "取得簡訊驗證碼", "Send a code")}</button>
        <TextField name="sms_code" label=field_label("sms_code", lang) inputmode="numeric"
            hint=lang.pick("6 位数字，5 分钟内有效；用于证明手机号码属于您", "6 位數字，5 分鐘內有效；用於證明手機號碼屬於您", "6 digits, valid for 5 minutes: it shows the mobile is yours")
            value=f.value("sms_code") error=field_error(errors, "sms_code") autocomplete="one-time-code"/>
        <TextField name="password" label=field_label("password", lang) input_type="password"
            hint=lang.pick("至少 8 个字符，不要使用常见密码", "至少 8 個字元，不要使用常見密碼", "At least 8 characters; not a common password")
            value="" error=field_error(errors, "password") autocomplete="new-password"/>
        <TextField name="password_confirm" label=field_label("password_confirm", lang) input_type="password"
            value="" error=field_error(errors, "password_confirm") autocomplete="new-password"/>
    }
}

/// `/activate`: a walk-in registered at the counter opens its online account (the number and
/// the mobile on file, a texted code, a new password), then finds the counter's cases in "my
/// cases". Plain forms posting to `api::activate` and `api::send_activation_code`.
#[component]
pub fn ActivatePage() -> impl IntoView {
    let lang = use_prefs().lang;
    form_page(
        "activate",
        lang.pick("开通网上账户 · 通办", "開通網上帳戶 · 通辦", "Open your online account · Tongban"),
        move |f, _| activate_form(f, lang),
    )
}

fn activate_form(f: Flash, lang: rules::Lang) -> impl IntoView {
    let enterprise = f.value("kind") == "enterprise";
    let errors = RwSignal::new(f.errors.clone());
    view! {
        <section class="panel narrow">
            <h1>{lang.pick("开通网上账户", "開通網上帳戶", "Open your online account")}</h1>
            <p class="lead">{lang.pick(
                "您在服务窗口登记过、还没有设置密码的，用登记时的证件号码和手机号开通后，即可在网上查看窗口办理的事项。",
                "您在服務窗口登記過、還沒有設定密碼的，用登記時的證件號碼和手機號開通後，即可在網上查看窗口辦理的事項。",
                "Registered at the service window without a password? Open your account with the number and mobile the counter has, and follow what you applied for there.",
            )}</p>
            <Notice text=f.notice.clone()/>
            <ErrorSummary errors order=&ACTIVATE_FIELDS node_ref=NodeRef::new()/>
            <form method="post" action={<crate::api::Activate as ServerFn>::PATH} novalidate class="register-form" data-checks="activate">
                {kind_choice(enterprise, lang)}
                <div class="person-only">
                    <TextField name="id_card_no" label=field_label("id_card_no", lang)
                        hint=lang.pick("登记时出示的身份证号码", "登記時出示的身分證號碼", "The ID number you showed at the counter")
                        value=f.value("id_card_no") error=field_error(errors, "id_card_no")/>
                </div>
                <div class="enterprise-only">
                    <TextField name="credit_code" label=field_label("credit_code", lang)
                        hint=lang.pick("18 位，见营业执照", "18 位，見營業執照", "18 characters, on the business licence")
                        value=f.value("credit_code") error=field_error(errors, "credit_code")/>
                </div>
                {proved_password(
                    &f,
                    errors,
                    lang,
                    <crate::api::SendActivationCode as ServerFn>::PATH,
                    lang.pick("窗口登记的手机号", "窗口登記的手機號", "The mobile the counter registered"),
                )}
                <button type="submit" class="button">{lang.pick("开通并登录", "開通並登入", "Open and log in")}</button>
            </form>
            <FieldChecks/>
            <p>{lang.pick("已有密码？", "已有密碼？", "Have a password? ")}<a href="/login">{lang.pick("登录", "登入", "Log in")}</a></p>
        </section>
    }
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
    form_page("register", lang.pick("注册 · 通办", "註冊 · 通辦", "Register · Tongban"), move |f, _| {
        register_form(f, lang)
    })
}

/// The registration form: a person's fields or an enterprise's, chosen by the radio (the other
/// kind's fields are hidden by CSS, so it works without JavaScript; with it, the name's label
/// follows the kind too).
fn register_form(f: Flash, lang: rules::Lang) -> impl IntoView {
    let enterprise = f.value("kind") == "enterprise";
    let errors = RwSignal::new(f.errors.clone());
    let name_error = f.errors.get("name").cloned();
    let name_described = if name_error.is_some() { "f-name-hint f-name-error" } else { "f-name-hint" };
    view! {
        <section class="panel narrow">
            <h1>{lang.pick("注册账户", "註冊帳戶", "Create an account")}</h1>
            <p class="lead">{lang.pick(
                "注册后可在线申请、上传材料并查看办理进度。",
                "註冊後可線上申請、上傳材料並查看辦理進度。",
                "With an account you can apply online, upload materials and follow your case.",
            )}</p>
            <Notice text=f.notice.clone()/>
            <ErrorSummary errors order=&REGISTER_FIELDS node_ref=NodeRef::new()/>
            <form method="post" action={<crate::api::Register as ServerFn>::PATH} novalidate class="register-form" data-checks="register">
                {kind_choice(enterprise, lang)}
                // the name's label follows the kind (the island swaps it), so this field is written out here
                <div class="field" class:field-error=name_error.is_some()>
                    <label for="f-name" data-person=field_label("name", lang) data-enterprise=field_label("enterprise_name", lang)>
                        {field_label(if enterprise { "enterprise_name" } else { "name" }, lang)}
                    </label>
                    <p class="hint" id="f-name-hint">{lang.pick("个人填写姓名；企业填写营业执照上的名称", "個人填寫姓名；企業填寫營業執照上的名稱", "Your full name, or the enterprise's registered name")}</p>
                    <p class="error-message" id="f-name-error" hidden=name_error.is_none()>{name_error.clone().unwrap_or_default()}</p>
                    <input id="f-name" name="name" type="text" value=f.value("name") autocomplete="name"
                        aria-invalid=if name_error.is_some() { "true" } else { "false" } aria-describedby=name_described/>
                </div>
                <div class="person-only">
                    <TextField name="id_card_no" label=field_label("id_card_no", lang)
                        hint=lang.pick("18 位，最后一位可能是 X", "18 位，最後一位可能是 X", "18 characters; the last may be X")
                        value=f.value("id_card_no") error=field_error(errors, "id_card_no")/>
                </div>
                <div class="enterprise-only">
                    <TextField name="credit_code" label=field_label("credit_code", lang)
                        hint=lang.pick("18 位，见营业执照", "18 位，見營業執照", "18 characters, on the business licence")
                        value=f.value("credit_code") error=field_error(errors, "credit_code")/>
                    <TextField name="contact_name" label=field_label("contact_name", lang)
                        value=f.value("contact_name") error=field_error(errors, "contact_name")/>
                </div>
                {proved_password(
                    &f,
                    errors,
                    lang,
                    <crate::api::SendSmsCode as ServerFn>::PATH,
                    lang.pick("用于接收办理进度通知，也可用于登录", "用於接收辦理進度通知，也可用於登入", "For progress notices; you can also log in with it"),
                )}
                <button type="submit" class="button">{lang.pick("注册", "註冊", "Create account")}</button>
            </form>
            <FieldChecks/>
            <p>{lang.pick("已有账户？", "已有帳戶？", "Have an account? ")}<a href="/login">{lang.pick("登录", "登入", "Log in")}</a></p>
        </section>
    }
}

/// `/staff/second-factor`: the code from the authenticator app after the password (an admin or
/// approver without a second factor sets one up here first); signed in, a member of staff turns
/// an optional one on or off. Plain forms posting to `api::second_factor`.
#[component]
pub fn SecondFactorPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let flash = Resource::new(|| (), |_| take_flash("second_factor".into()));
    let state = Resource::new(|| (), |_| crate::api::second_factor_state());
    let query = use_query_map();
    let body = move || {
        Suspend::new(async move {
            let f = flash.await.ok().flatten().unwrap_or_default();
            let next = f.values.get("next").cloned().or_else(|| query.read_untracked().get("next")).unwrap_or_default();
            match state.await {
                Ok(Some(v)) => second_factor_form(f, next, v, lang).into_any(),
                _ => view! {
                    <section class="panel narrow">
                        <h1>{lang.pick("两步验证", "兩步驗證", "Second factor")}</h1>
                        <p>{lang.pick("登录已过期，请重新登录。", "登入已過期，請重新登入。", "Your sign-in has expired: sign in again.")}</p>
                        <p><a class="button" href="/staff/login">{lang.pick("工作人员登录", "工作人員登入", "Staff sign-in")}</a></p>
                    </section>
                }
                .into_any(),
            }
        })
    };
    view! {
        <Title text=lang.pick("两步验证 · 通办", "兩步驗證 · 通辦", "Second factor · Tongban")/>
        <Suspense fallback=|| ()>{body}</Suspense>
    }
}

fn second_factor_form(f: Flash, next: String, v: crate::models::SecondFactorView, lang: rules::Lang) -> impl IntoView {
    let errors = RwSignal::new(f.errors.clone());
    let path = <crate::api::SecondFactor as ServerFn>::PATH;
    let code_field = move |button: &'static str, action: &'static str| {
        view! {
            <form method="post" action=path novalidate>
                <input type="hidden" name="next" value=next.clone()/>
                <input type="hidden" name="action" value=action/>
                <TextField name="code" label=lang.pick("动态码", "動態碼", "Code").to_string() value=""
                    hint=lang.pick("验证器应用中“通办”下的 6 位数字，每 30 秒更新", "驗證器應用程式中「通辦」下的 6 位數字，每 30 秒更新", "The 6 digits under “Tongban” in your authenticator app; they change every 30 seconds").to_string()
                    error=field_error(errors, "code") autocomplete="one-time-code" inputmode="numeric"/>
                <button type="submit" class="button">{button}</button>
            </form>
        }
    };
    let heading = if v.setup.is_some() {
        lang.pick("设置两步验证", "設定兩步驗證", "Set up a second factor")
    } else {
        lang.pick("两步验证", "兩步驗證", "Second factor")
    };
    let content = match (&v.setup, v.signing_in, v.enabled) {
        (Some(setup), _, _) => view! {
            {(v.required && v.signing_in).then(|| view! {
                <p>{lang.pick("管理员和审批人员登录时必须使用两步验证。请先设置：", "管理員和審批人員登入時必須使用兩步驗證。請先設定：", "Admins and approvers sign in with a second factor. Set it up first:")}</p>
            })}
            <ol class="steps">
                <li>{lang.pick("在手机上安装一个验证器应用（如 Microsoft Authenticator、Google 身份验证器、FreeOTP）。", "在手機上安裝一個驗證器應用程式（如 Microsoft Authenticator、Google 驗證器、FreeOTP）。", "Install an authenticator app on your phone (Microsoft Authenticator, Google Authenticator, FreeOTP…).")}</li>
                <li>
                    {lang.pick("用应用扫描二维码，或手动输入密钥：", "用應用程式掃描二維碼，或手動輸入金鑰：", "Scan the QR code with it, or type in the key:")}
                    <div class="qr" inner_html=setup.qr_svg.clone()></div>
                    <p><code data-testid="totp-secret">{setup.secret.clone()}</code></p>
                </li>
                <li>{lang.pick("输入应用显示的 6 位动态码。", "輸入應用程式顯示的 6 位動態碼。", "Enter the 6 digits the app shows.")}</li>
            </ol>
            {code_field(lang.pick("验证并开启", "驗證並開啟", "Check the code and turn it on"), "")}
        }
        .into_any(),
        (None, true, _) => view! {
            <p>{lang.pick("请输入验证器应用中“通办”显示的 6 位动态码。", "請輸入驗證器應用程式中「通辦」顯示的 6 位動態碼。", "Enter the code your authenticator app shows under “Tongban”.")}</p>
            {code_field(lang.pick("验证并登录", "驗證並登入", "Verify and sign in"), "")}
            <p class="hint">{lang.pick("手机丢失或更换？请联系本部门的系统管理员重置两步验证。", "手機遺失或更換？請聯絡本部門的系統管理員重設兩步驗證。", "Lost or changed your phone? Ask your department's admin to reset your second factor.")}</p>
        }
        .into_any(),
        (None, false, true) => view! {
            <p data-testid="second-factor-on">{lang.pick("两步验证已开启：登录时除密码外还需输入动态码。", "兩步驗證已開啟：登入時除密碼外還需輸入動態碼。", "Your second factor is on: signing in asks for a code after the password.")}</p>
            {(!v.required).then(|| view! {
                <h2>{lang.pick("关闭两步验证", "關閉兩步驗證", "Turn it off")}</h2>
                {code_field(lang.pick("关闭", "關閉", "Turn off"), "off")}
            })}
        }
        .into_any(),
        (None, false, false) => view! {
            <p>{lang.pick("开启后，登录时除密码外还需输入手机验证器应用中的动态码，密码泄露也不会被他人登录。", "開啟後，登入時除密碼外還需輸入手機驗證器應用程式中的動態碼，密碼外洩也不會被他人登入。", "Once on, signing in asks for a code from your phone's authenticator app besides the password: a leaked password alone opens nothing.")}</p>
            <form method="post" action=path>
                <input type="hidden" name="action" value="begin"/>
                <button type="submit" class="button">{lang.pick("开启两步验证", "開啟兩步驗證", "Turn on a second factor")}</button>
            </form>
        }
        .into_any(),
    };
    view! {
        <section class="panel narrow">
            <Notice text=f.notice.clone()/>
            <h1>{heading}</h1>
            <ErrorSummary errors order=&["code"] node_ref=NodeRef::new()/>
            {content}
        </section>
    }
}
