//! The account forms as server functions' bodies (`api::register`, `api::login`,
//! `api::staff_login`, `api::logout`, `api::set_prefs`, `api::set_notifications`): post →
//! redirect → get. They work without JavaScript: on an error the typed values (never passwords)
//! and the messages travel back in a short-lived flash cookie and the page shows them next to the
//! fields.

use axum::response::Response;
use http::HeaderMap;
use leptos::server_fn::ServerFnError;
use rules::Lang;
use sea_orm::EntityTrait;

use super::accounts;
use super::auth::{self, PrincipalKind};
use super::edge::{back_with_errors, notice, see_other, Caller, FormCall};
use super::entities::staff;
use super::error::AppError;
use super::guard;
use super::second_factor;
use super::state::AppState;
use crate::models::{
    login_errors, safe_next, validate_register, LoginInput, NoticeSettings, PasswordChangeInput, PrefsInput,
    RegisterInput, SecondFactorInput, SecondFactorView, SessionUser, StaffLoginInput, ELDER_COOKIE, LANG_COOKIE,
};

/// Starts a session, replacing the one the browser had (the id changes at every login).
pub(super) async fn start_session(
    st: &AppState,
    headers: &HeaderMap,
    kind: PrincipalKind,
    id: i32,
    ip: &str,
) -> Result<String, AppError> {
    if let Some(old) = guard::session_token(headers, st.settings.secure()) {
        auth::delete_session(&st.db, &old).await?;
    }
    let lifetime = match kind {
        PrincipalKind::StaffPending => chrono::Duration::minutes(second_factor::PENDING_MINUTES),
        _ => chrono::Duration::hours(st.settings.session_hours),
    };
    let token = auth::create_session(&st.db, kind, id, Some(ip.to_string()), lifetime).await?;
    Ok(auth::session_cookie(&token, lifetime, st.settings.secure()))
}

/// The body of `api::register`: the account, signed in, or the form again with its errors.
pub async fn register(input: RegisterInput) -> Result<(), ServerFnError> {
    let call = FormCall::current()?;
    let (st, lang) = (&call.st, call.lang);
    let result = async {
        let reg = validate_register(&input, lang).map_err(AppError::Invalid)?;
        let a = accounts::register(&st.db, reg, &input.sms_code, lang).await?;
        start_session(st, call.headers(), PrincipalKind::Applicant, a.id, call.client_ip()).await
    }
    .await;
    let reply = match result {
        Ok(cookie) => {
            let msg = lang
                .pick("注册成功，您已登录", "註冊成功，您已登入", "Your account is ready and you are logged in")
                .to_string();
            see_other("/account", vec![cookie, notice(st, "account", msg)])
        }
        Err(e) => back_with_errors(st, "/register", "register", input.echo(), &e, lang),
    };
    call.answer(reply)
}

/// The body of `api::send_sms_code`: the code sent, and the registration form again with what was
/// typed and where it went; or the mobile's error.
pub async fn send_sms_code(input: RegisterInput) -> Result<(), ServerFnError> {
    let call = FormCall::current()?;
    let (st, lang) = (&call.st, call.lang);
    let result = async {
        let mobile: rules::Mobile = input
            .mobile
            .parse()
            .map_err(|e: rules::validators::MobileError| AppError::field("mobile", e.message(lang)))?;
        crate::server::sms::send_code(st, crate::server::sms::Purpose::Register, &mobile, call.client_ip(), lang)
            .await?;
        Ok::<_, AppError>(mobile)
    }
    .await;
    let reply = match result {
        Ok(mobile) => {
            let text = match lang {
                Lang::ZhHans => {
                    format!("验证码已发送至 {}，{} 分钟内有效", mobile.masked(), crate::server::sms::VALID_MINUTES)
                }
                Lang::ZhHant => {
                    format!("驗證碼已發送至 {}，{} 分鐘內有效", mobile.masked(), crate::server::sms::VALID_MINUTES)
                }
                Lang::En => format!(
                    "A code was sent to {}; it is valid for {} minutes",
                    mobile.masked(),
                    crate::server::sms::VALID_MINUTES
                ),
            };
            let flash = crate::models::Flash {
                form: "register".into(),
                values: input.echo(),
                errors: Default::default(),
                notice: Some(text),
            };
            see_other("/register", vec![crate::server::edge::flash_cookie(&flash, st.settings.secure())])
        }
        Err(e) => back_with_errors(st, "/register", "register", input.echo(), &e, lang),
    };
    call.answer(reply)
}

/// The body of `api::login` (applicants): signed in and on to `next`, or the form again.
pub async fn login(input: LoginInput) -> Result<(), ServerFnError> {
    let call = FormCall::current()?;
    let reply = login_reply(&call, &input).await;
    call.answer(reply)
}

async fn login_reply(call: &FormCall, input: &LoginInput) -> Response {
    let (st, lang) = (&call.st, call.lang);
    let echo =
        [("login".to_string(), input.login.clone()), ("next".to_string(), input.next.clone())].into_iter().collect();
    let errs = login_errors(input, lang);
    if !errs.is_empty() {
        return back_with_errors(st, "/login", "login", echo, &AppError::Invalid(errs), lang);
    }
    let result = async {
        let a = accounts::login_applicant(&st.db, &input.login, &input.password, call.client_ip()).await?;
        start_session(st, call.headers(), PrincipalKind::Applicant, a.id, call.client_ip()).await
    }
    .await;
    match result {
        Ok(cookie) => see_other(&safe_next(&input.next, "/account"), vec![cookie]),
        Err(e) => back_with_errors(st, "/login", "login", echo, &e, lang),
    }
}

/// The body of `api::staff_login`: signed in and on to `next` (else `/staff`), or the form again.
pub async fn staff_login(input: StaffLoginInput) -> Result<(), ServerFnError> {
    let call = FormCall::current()?;
    let reply = staff_login_reply(&call, &input).await;
    call.answer(reply)
}

async fn staff_login_reply(call: &FormCall, input: &StaffLoginInput) -> Response {
    let (st, lang) = (&call.st, call.lang);
    let echo = [("username".to_string(), input.username.clone()), ("next".to_string(), input.next.clone())]
        .into_iter()
        .collect();
    if input.username.trim().is_empty() || input.password.is_empty() {
        let e = AppError::Invalid(vec![(
            "_form".into(),
            lang.pick("请输入工号和密码", "請輸入工號和密碼", "Enter your username and password").into(),
        )]);
        return back_with_errors(st, "/staff/login", "staff_login", echo, &e, lang);
    }
    let result = async {
        let s = accounts::login_staff(&st.db, &input.username, &input.password, call.client_ip()).await?;
        let roles = accounts::staff_roles(&st.db, s.id).await?;
        if second_factor::asked(&s, &roles) {
            second_factor::begin(&st.db, &s).await?;
            let cookie = start_session(st, call.headers(), PrincipalKind::StaffPending, s.id, call.client_ip()).await?;
            return Ok::<_, AppError>(SignedIn::CodeAsked(cookie));
        }
        let cookie = start_session(st, call.headers(), PrincipalKind::Staff, s.id, call.client_ip()).await?;
        Ok(SignedIn::Staff(cookie, s.must_change_password))
    }
    .await;
    let next = safe_next(&input.next, "/staff");
    match result {
        Ok(SignedIn::CodeAsked(cookie)) => see_other(&format!("/staff/second-factor?next={next}"), vec![cookie]),
        Ok(SignedIn::Staff(cookie, must_change)) => staff_signed_in(st, lang, cookie, must_change, &next),
        Err(e) => back_with_errors(st, "/staff/login", "staff_login", echo, &e, lang),
    }
}

/// How the password step of a staff sign-in ended.
enum SignedIn {
    /// The session is open (and whether the password must be changed first).
    Staff(String, bool),
    /// The second factor is asked for: a pending session.
    CodeAsked(String),
}

/// On to `next` with a staff session, or first to the password change when an admin set it.
fn staff_signed_in(st: &AppState, lang: Lang, cookie: String, must_change: bool, next: &str) -> Response {
    if !must_change {
        return see_other(next, vec![cookie]);
    }
    // a password an admin set: changed before anything else (the session opens nothing else)
    let msg = lang
        .pick(
            "您的密码由管理员设置，请先修改密码",
            "您的密碼由管理員設定，請先修改密碼",
            "An admin set your password: choose your own first",
        )
        .to_string();
    see_other(&format!("/staff/password?next={next}"), vec![cookie, notice(st, "password", msg)])
}

/// The body of `api::second_factor`. With a pending session (the password was right): the code
/// from the app opens the staff session. Signed in: `action` `"begin"` starts setting up an
/// optional second factor, a code confirms it, `"off"` with a code turns it off. Back to
/// `/staff/second-factor` with the error next to the code otherwise.
pub async fn second_factor(input: SecondFactorInput) -> Result<(), ServerFnError> {
    let call = FormCall::current()?;
    let reply = second_factor_reply(&call, &input).await;
    call.answer(reply)
}

async fn second_factor_reply(call: &FormCall, input: &SecondFactorInput) -> Response {
    let (st, lang, ip) = (&call.st, call.lang, call.client_ip());
    let page = "/staff/second-factor";
    let next = safe_next(&input.next, "/staff");
    let echo = [("next".to_string(), next.clone())].into_iter().collect();
    let principal = match guard::session_principal(st, call.headers()).await {
        Ok(p) => p,
        Err(e) => return axum::response::IntoResponse::into_response(e),
    };
    match principal {
        Some((PrincipalKind::StaffPending, id)) => {
            let result = async {
                second_factor::check(&st.db, id, &input.code, ip, lang).await?;
                let s = staff::Entity::find_by_id(id).one(&st.db).await?.ok_or(AppError::Unauthorized)?;
                let cookie = start_session(st, call.headers(), PrincipalKind::Staff, id, ip).await?;
                Ok::<_, AppError>((cookie, s.must_change_password))
            }
            .await;
            match result {
                Ok((cookie, must_change)) => staff_signed_in(st, lang, cookie, must_change, &next),
                Err(e) => back_with_errors(st, page, "second_factor", echo, &e, lang),
            }
        }
        Some((PrincipalKind::Staff, id)) => {
            let result = async {
                let s =
                    staff::Entity::find_by_id(id).one(&st.db).await?.filter(|s| s.active && !s.must_change_password);
                let s = s.ok_or(AppError::Unauthorized)?;
                Ok::<_, AppError>(match input.action.as_str() {
                    "begin" => {
                        second_factor::begin(&st.db, &s).await?;
                        lang.pick(
                            "请用验证器应用扫描二维码，再输入应用显示的动态码",
                            "請用驗證器應用程式掃描二維碼，再輸入應用程式顯示的動態碼",
                            "Scan the QR code with your authenticator app, then enter the code it shows",
                        )
                    }
                    "off" => {
                        second_factor::turn_off(&st.db, id, &input.code, ip, lang).await?;
                        lang.pick("两步验证已关闭", "兩步驗證已關閉", "Second factor turned off")
                    }
                    _ => {
                        second_factor::check(&st.db, id, &input.code, ip, lang).await?;
                        lang.pick(
                            "两步验证已开启，以后登录时需输入动态码",
                            "兩步驗證已開啟，以後登入時需輸入動態碼",
                            "Second factor on: signing in will ask for a code",
                        )
                    }
                })
            }
            .await;
            match result {
                Ok(msg) => see_other(page, vec![notice(st, "second_factor", msg.to_string())]),
                Err(e) => back_with_errors(st, page, "second_factor", echo, &e, lang),
            }
        }
        _ => see_other("/staff/login", vec![]),
    }
}

/// The body of `api::second_factor_view`: what `/staff/second-factor` shows, or nothing when no
/// member of staff is signed in or half-way.
pub async fn second_factor_view() -> Result<Option<SecondFactorView>, ServerFnError> {
    let call = FormCall::current()?;
    let st = &call.st;
    let run = async {
        Ok::<_, AppError>(match guard::session_principal(st, call.headers()).await? {
            Some((PrincipalKind::StaffPending, id)) => Some(second_factor::view(&st.db, id, true).await?),
            Some((PrincipalKind::Staff, id)) => match guard::caller(st, call.headers()).await? {
                Some(_) => Some(second_factor::view(&st.db, id, false).await?),
                None => None,
            },
            _ => None,
        })
    };
    run.await.map_err(|e| ServerFnError::new(e.message(call.lang)))
}

/// The body of `api::change_password`: the current password, then the new one twice; every
/// session of the account ends and a new one starts. Back to the form with errors otherwise.
pub async fn change_password(input: PasswordChangeInput) -> Result<(), ServerFnError> {
    let call = FormCall::current()?;
    let (st, lang) = (&call.st, call.lang);
    let principal = match guard::session_principal(st, call.headers()).await {
        Ok(p) => p,
        Err(e) => return call.answer(axum::response::IntoResponse::into_response(e)),
    };
    let Some((kind, id)) = principal else {
        return call.answer(see_other("/login?next=/account/password", vec![]));
    };
    if kind == PrincipalKind::StaffPending {
        return call.answer(see_other("/staff/second-factor", vec![]));
    }
    let page = if kind == PrincipalKind::Staff { "/staff/password" } else { "/account/password" };
    let home = if kind == PrincipalKind::Staff { "/staff" } else { "/account" };
    let echo = [("next".to_string(), input.next.clone())].into_iter().collect();
    let result = async {
        accounts::change_password(&st.db, kind, id, &input, call.client_ip(), lang).await?;
        start_session(st, call.headers(), kind, id, call.client_ip()).await
    }
    .await;
    let reply = match result {
        Ok(cookie) => {
            let msg = lang.pick(
                "密码已修改，其他设备上的登录已退出",
                "密碼已修改，其他裝置上的登入已登出",
                "Password changed; other sessions ended",
            );
            let to = safe_next(&input.next, home);
            see_other(
                &to,
                vec![cookie, notice(st, if kind == PrincipalKind::Staff { "staff" } else { "account" }, msg.into())],
            )
        }
        Err(e) => back_with_errors(st, page, "password", echo, &e, lang),
    };
    call.answer(reply)
}

/// The body of `api::logout`: the session ends (on the server too) and the login page says so.
pub async fn logout() -> Result<(), ServerFnError> {
    let call = FormCall::current()?;
    let (st, lang) = (&call.st, call.lang);
    if let Some(token) = guard::session_token(call.headers(), st.settings.secure()) {
        if let Err(e) = auth::delete_session(&st.db, &token).await {
            tracing::warn!(error = %e, "could not delete session at logout");
        }
    }
    let msg = lang.pick("您已安全退出", "您已安全登出", "You have logged out").to_string();
    let reply = see_other(
        "/login",
        vec![
            auth::expired_cookie(auth::session_cookie_name(st.settings.secure()), st.settings.secure()),
            notice(st, "login", msg),
        ],
    );
    call.answer(reply)
}

/// The body of `api::set_prefs`: the language and elder mode as cookies, back to the page.
pub async fn set_prefs(input: PrefsInput) -> Result<(), ServerFnError> {
    let call = FormCall::current()?;
    let secure = if call.st.settings.secure() { "; Secure" } else { "" };
    let mut cookies = Vec::new();
    if let Some(l) = input.lang.as_deref().and_then(Lang::from_tag) {
        cookies.push(format!("{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000{secure}", l.tag()));
    }
    if let Some(e) = input.elder.as_deref() {
        let on = e == "1";
        cookies.push(format!(
            "{ELDER_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000{secure}",
            if on { "1" } else { "0" }
        ));
    }
    let reply = see_other(&safe_next(&input.return_to, "/"), cookies);
    call.answer(reply)
}

/// The body of `api::set_notifications`: the applicant's contact e-mail and the SMS / e-mail
/// opt-outs.
pub async fn set_notifications(input: NoticeSettings) -> Result<(), ServerFnError> {
    let mut call = FormCall::current()?;
    let reply = match call.extract::<Caller>().await {
        Ok(Caller(Some(SessionUser::Applicant { id, .. }))) => notifications_reply(&call, id, &input).await,
        Ok(_) => see_other("/login?next=/account", vec![]),
        Err(e) => axum::response::IntoResponse::into_response(e),
    };
    call.answer(reply)
}

async fn notifications_reply(call: &FormCall, id: i32, input: &NoticeSettings) -> Response {
    let (st, lang) = (&call.st, call.lang);
    let result = accounts::set_notifications(
        &st.db,
        id,
        &input.email,
        input.notify_sms.is_some(),
        input.notify_email.is_some(),
        &input.notice_lang,
        lang,
    )
    .await;
    match result {
        Ok(()) => see_other(
            "/account",
            vec![notice(st, "account", lang.pick("通知设置已保存", "通知設定已儲存", "Notice settings saved").into())],
        ),
        Err(e) => {
            let values = [("email".to_string(), input.email.clone())].into_iter().collect();
            back_with_errors(st, "/account", "account", values, &e, lang)
        }
    }
}
