//! Account services: registering applicants, logging in applicants and staff, and loading the
//! session's user. Repositories take `&impl ConnectionTrait`.

use chrono::Utc;
use rules::{ApplicantKind, Lang, Mobile, Role};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::audit;
use super::auth::{self, PasswordHash, PrincipalKind};
use super::db;
use super::entities::{applicant, department, staff, staff_role};
use super::error::AppError;
use crate::models::{parse_login_id, LoginId, Registration, SessionUser, StaffRole};

fn duplicate(field: &str, lang: Lang) -> AppError {
    let msg = match field {
        // said only once a code proved the mobile (`register`)
        "id_card_no" => lang.pick(
            "该证件号码不能在网上注册：如您已有账户，请直接登录；如号码被他人冒用，请持身份证件到服务窗口办理",
            "該證件號碼不能在網上註冊：如您已有帳戶，請直接登入；如號碼被他人冒用，請持身分證件到服務窗口辦理",
            "This ID number cannot be registered online: log in if you have an account; if someone else used it, bring your ID card to the service window",
        ),
        "credit_code" => lang.pick(
            "该统一社会信用代码不能在网上注册：如已有账户，请直接登录；如被他人冒用，请持营业执照到服务窗口办理",
            "該統一社會信用代碼不能在網上註冊：如已有帳戶，請直接登入；如被他人冒用，請持營業執照到服務窗口辦理",
            "This credit code cannot be registered online: log in if you have an account; if someone else used it, bring the business licence to the service window",
        ),
        _ => lang.pick(
            "该手机号已被其他账户使用",
            "該手機號已被其他帳戶使用",
            "This mobile number is used by another account",
        ),
    };
    AppError::Conflict(vec![(field.to_string(), msg.to_string())])
}

/// Registers an applicant whose mobile the code `sms_code` proves (`sms::use_code`: the code is
/// used first, and stays used whatever follows, so every further look at whether an ID number is
/// taken costs a new code to a mobile one holds, five an hour at most). Duplicates (same ID
/// number / credit code, or a mobile another account logs in with) are refused with a message on
/// the field; no account is written then.
pub async fn register(
    db: &DatabaseConnection,
    reg: Registration,
    sms_code: &str,
    lang: Lang,
) -> Result<applicant::Model, AppError> {
    let mobile = match &reg {
        Registration::Person { mobile, .. } | Registration::Enterprise { mobile, .. } => mobile.clone(),
    };
    super::sms::use_code(db, super::sms::Purpose::Register, &mobile, sms_code, lang).await?;
    create_applicant(db, reg, lang).await
}

/// A mobile signs in one account only: whether an account with a password has `mobile`.
pub async fn mobile_signs_in(db: &impl ConnectionTrait, mobile: &Mobile) -> Result<bool, AppError> {
    Ok(applicant::Entity::find()
        .filter(applicant::Column::Mobile.eq(mobile.as_str()))
        .filter(applicant::Column::PasswordHash.is_not_null())
        .one(db)
        .await?
        .is_some())
}

/// Writes the account of a registration already proved (the demo's applicants, and
/// [`register`] once the code is used).
pub async fn create_applicant(
    db: &DatabaseConnection,
    reg: Registration,
    lang: Lang,
) -> Result<applicant::Model, AppError> {
    let (kind, name, id_card, credit, contact, mobile, password) = match reg {
        Registration::Person { name, id_card_no, mobile, password } => {
            (ApplicantKind::Person, name, Some(id_card_no.to_string()), None, None, mobile, password)
        }
        Registration::Enterprise { name, credit_code, contact_name, mobile, password } => {
            (ApplicantKind::Enterprise, name, None, Some(credit_code.to_string()), Some(contact_name), mobile, password)
        }
    };
    // Hash first, outside the write transaction: argon2 is slow by design.
    let hash = auth::hash_password(password).await?;
    let tx = db::write_tx(db).await?;
    // one account per number, ever: a walk-in's is opened at /activate, not registered again
    let held = |a: applicant::Model, field: &str| {
        if a.password_hash.is_none() && a.frozen_at.is_none() {
            AppError::field(
                field,
                lang.pick(
                    "该号码已在服务窗口登记：请在「开通网上账户」（/activate）用登记的手机号设置密码",
                    "該號碼已在服務窗口登記：請在「開通網上帳戶」（/activate）用登記的手機號設定密碼",
                    "This number was registered at the service window: open that account at /activate with the mobile on file",
                ),
            )
        } else {
            duplicate(field, lang)
        }
    };
    if let Some(id) = &id_card {
        if let Some(a) = applicant::Entity::find().filter(applicant::Column::IdCardNo.eq(id.as_str())).one(&tx).await? {
            return Err(held(a, "id_card_no"));
        }
    }
    if let Some(c) = &credit {
        if let Some(a) = applicant::Entity::find().filter(applicant::Column::CreditCode.eq(c.as_str())).one(&tx).await?
        {
            return Err(held(a, "credit_code"));
        }
    }
    if mobile_signs_in(&tx, &mobile).await? {
        return Err(duplicate("mobile", lang));
    }
    let model = applicant::ActiveModel {
        kind: Set(kind),
        name: Set(name),
        id_card_no: Set(id_card),
        credit_code: Set(credit),
        contact_name: Set(contact),
        mobile: Set(mobile.to_string()),
        password_hash: Set(Some(hash.into_stored())),
        created_at: Set(Utc::now()),
        // notices in the language the applicant registered in (changeable on the account page)
        notice_lang: Set(lang.tag().into()),
        ..Default::default()
    }
    .insert(&tx)
    .await
    .map_err(|e| {
        tracing::info!(error = %super::error::redacted(&e.to_string()), "registration refused by a constraint");
        if db::is_unique_violation(&e) {
            duplicate(if kind == ApplicantKind::Person { "id_card_no" } else { "credit_code" }, lang)
        } else {
            e.into()
        }
    })?;
    tx.commit().await?;
    Ok(model)
}

/// Finds the applicant a login identifier names.
pub async fn find_applicant_by_login(
    db: &impl ConnectionTrait,
    id: &LoginId,
) -> Result<Option<applicant::Model>, AppError> {
    let q = applicant::Entity::find()
        .filter(applicant::Column::PasswordHash.is_not_null())
        .filter(applicant::Column::FrozenAt.is_null());
    let found = match id {
        LoginId::IdCard(v) => q.filter(applicant::Column::IdCardNo.eq(v.as_str())).one(db).await?,
        LoginId::Credit(v) => q.filter(applicant::Column::CreditCode.eq(v.as_str())).one(db).await?,
        LoginId::Mobile(v) => {
            q.filter(applicant::Column::Mobile.eq(v.as_str())).order_by_asc(applicant::Column::Id).one(db).await?
        }
    };
    Ok(found)
}

/// Throttle key of a login attempt: the normalised identifier, so `138 1234 1234` and
/// `13812341234` count together.
fn account_key(realm: &str, login: &str) -> String {
    let norm = match parse_login_id(login) {
        Some(LoginId::IdCard(v)) => v.to_string(),
        Some(LoginId::Credit(v)) => v.to_string(),
        Some(LoginId::Mobile(v)) => v.to_string(),
        None => login.trim().to_lowercase(),
    };
    let mut k = format!("{realm}:{norm}");
    k.truncate(128);
    k
}

/// A sign-in as the security log keeps it: the identifier masked (an ID number or a mobile is
/// never written out), who it turned out to be, and how it ended.
async fn log_login<T>(
    db: &DatabaseConnection,
    realm: &str,
    login: &str,
    ip: &str,
    who: impl Fn(&T) -> audit::Who,
    result: Result<T, AppError>,
) -> Result<T, AppError> {
    let target = match parse_login_id(login) {
        Some(LoginId::IdCard(v)) => v.masked(),
        Some(LoginId::Credit(v)) => v.masked(),
        Some(LoginId::Mobile(v)) => v.masked(),
        None => login.trim().to_lowercase(),
    };
    let who = result.as_ref().map(&who).unwrap_or(audit::Who::Anonymous);
    let event = if realm == "staff" { "login.staff" } else { "login.applicant" };
    audit::logged(db, who, event, target, ip, result).await
}

/// Checks an applicant's credentials. Wrong account and wrong password give the same error.
/// Every attempt is in the security log.
pub async fn login_applicant(
    db: &DatabaseConnection,
    login: &str,
    password: &str,
    ip: &str,
) -> Result<applicant::Model, AppError> {
    let result = check_applicant(db, login, password, ip).await;
    log_login(db, "applicant", login, ip, |a: &applicant::Model| audit::Who::Applicant(a.id), result).await
}

async fn check_applicant(
    db: &DatabaseConnection,
    login: &str,
    password: &str,
    ip: &str,
) -> Result<applicant::Model, AppError> {
    let key = account_key("applicant", login);
    let attempt = auth::reserve_attempt(db, &key, ip).await?;
    let found = match parse_login_id(login) {
        Some(id) => find_applicant_by_login(db, &id).await?,
        None => None,
    };
    let hash = found.as_ref().and_then(|a| a.password_hash.clone()).map(PasswordHash::from_stored);
    authenticate(db, &key, attempt, password, hash).await?;
    found.ok_or(AppError::BadCredentials)
}

/// Checks a member of staff's credentials; every attempt is in the security log.
pub async fn login_staff(
    db: &DatabaseConnection,
    username: &str,
    password: &str,
    ip: &str,
) -> Result<staff::Model, AppError> {
    let result = check_staff(db, username, password, ip).await;
    log_login(db, "staff", username, ip, |s: &staff::Model| audit::Who::Staff(s.id), result).await
}

async fn check_staff(
    db: &DatabaseConnection,
    username: &str,
    password: &str,
    ip: &str,
) -> Result<staff::Model, AppError> {
    let key = account_key("staff", username);
    let attempt = auth::reserve_attempt(db, &key, ip).await?;
    let found = staff::Entity::find()
        .filter(staff::Column::Username.eq(username.trim().to_lowercase()))
        .filter(staff::Column::Active.eq(true))
        .one(db)
        .await?;
    let hash = found.as_ref().map(|s| PasswordHash::from_stored(s.password_hash.clone()));
    authenticate(db, &key, attempt, password, hash).await?;
    found.ok_or(AppError::BadCredentials)
}

/// Verifies the password against the hash (a dummy one when the account does not exist, so both
/// cases take the same time) after the attempt's delay. A right password clears the account's
/// failures; a wrong one leaves the reserved attempt counted as a failure.
async fn authenticate(
    db: &DatabaseConnection,
    key: &str,
    attempt: auth::Attempt,
    password: &str,
    hash: Option<PasswordHash>,
) -> Result<(), AppError> {
    if !attempt.delay.is_zero() {
        tokio::time::sleep(attempt.delay).await;
    }
    if auth::verify_password(password.to_string(), hash).await {
        auth::clear_failures(db, key).await
    } else {
        Err(AppError::BadCredentials)
    }
}

pub async fn staff_roles(db: &impl ConnectionTrait, staff_id: i32) -> Result<Vec<StaffRole>, AppError> {
    let rows = staff_role::Entity::find()
        .filter(staff_role::Column::StaffId.eq(staff_id))
        .order_by_asc(staff_role::Column::Id)
        .all(db)
        .await?;
    let deps: std::collections::BTreeMap<i32, department::Model> = department::Entity::find()
        .filter(department::Column::Id.is_in(rows.iter().map(|r| r.department_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d))
        .collect();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let role = r.role;
        let Some(dep) = deps.get(&r.department_id) else { continue };
        out.push(StaffRole {
            role,
            department_id: dep.id,
            department_code: dep.code.clone(),
            department_name: dep.name.clone(),
        });
    }
    Ok(out)
}

/// The user behind a session, as the pages see them.
pub async fn load_session_user(
    db: &impl ConnectionTrait,
    kind: PrincipalKind,
    id: i32,
) -> Result<Option<SessionUser>, AppError> {
    Ok(match kind {
        // a frozen account opens nothing (`intake::reclaim`)
        PrincipalKind::Applicant => {
            applicant::Entity::find_by_id(id).one(db).await?.filter(|a| a.frozen_at.is_none()).map(|a| {
                SessionUser::Applicant { id: a.id, kind: a.kind, masked_mobile: masked_mobile(&a.mobile), name: a.name }
            })
        }
        // a password an admin set opens nothing until it is changed (`guard::session_principal`)
        PrincipalKind::Staff => {
            match staff::Entity::find_by_id(id).one(db).await?.filter(|s| s.active && !s.must_change_password) {
                Some(s) => Some(SessionUser::Staff {
                    id: s.id,
                    roles: staff_roles(db, s.id).await?,
                    name: s.display_name,
                    username: s.username,
                }),
                None => None,
            }
        }
        // half-way through a staff sign-in, or the scheduler (which never holds a session)
        PrincipalKind::StaffPending | PrincipalKind::System => None,
    })
}

/// Changes the password of the account signed in: the current one checked (throttled like a
/// sign-in), the new one checked as at registration and different; every session of the account
/// ends (the caller starts a new one). In the security log either way.
pub async fn change_password(
    db: &DatabaseConnection,
    kind: PrincipalKind,
    id: i32,
    input: &crate::models::PasswordChangeInput,
    ip: &str,
    lang: Lang,
) -> Result<(), AppError> {
    let result = async {
        let (stored, logins): (Option<String>, Vec<String>) = match kind {
            PrincipalKind::Staff => {
                let s = staff::Entity::find_by_id(id).one(db).await?.ok_or(AppError::Unauthorized)?;
                (Some(s.password_hash), vec![s.username])
            }
            PrincipalKind::Applicant => {
                let a = applicant::Entity::find_by_id(id).one(db).await?.ok_or(AppError::Unauthorized)?;
                let logins = [Some(a.mobile), a.id_card_no, a.credit_code].into_iter().flatten().collect();
                (a.password_hash, logins)
            }
            PrincipalKind::StaffPending | PrincipalKind::System => return Err(AppError::Forbidden),
        };
        let key = format!("password:{}:{id}", kind.as_str());
        let attempt = auth::reserve_attempt(db, &key, ip).await?;
        // every field's error at once: a wrong current password and a short new one
        let mut errors = Vec::new();
        match authenticate(db, &key, attempt, &input.current, stored.map(PasswordHash::from_stored)).await {
            Ok(()) => {}
            Err(AppError::BadCredentials) => errors.push((
                "current".to_string(),
                lang.pick("当前密码不正确", "目前密碼不正確", "The current password is not right").to_string(),
            )),
            Err(e) => return Err(e),
        }
        let logins: Vec<&str> = logins.iter().map(String::as_str).collect();
        if let Err(e) = rules::validators::check_password(&input.password, &logins) {
            errors.push(("password".to_string(), e.message(lang)));
        } else if input.password == input.current {
            errors.push((
                "password".to_string(),
                lang.pick(
                    "新密码不能与当前密码相同",
                    "新密碼不能與目前密碼相同",
                    "Choose a password you have not used here",
                )
                .into(),
            ));
        }
        if input.password != input.password_confirm {
            errors.push((
                "password_confirm".to_string(),
                lang.pick("两次输入的密码不一致", "兩次輸入的密碼不一致", "The passwords do not match").into(),
            ));
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let hash = auth::hash_password(input.password.clone()).await?.into_stored();
        let tx = db::write_tx(db).await?;
        match kind {
            PrincipalKind::Staff => {
                staff::Entity::update_many()
                    .col_expr(staff::Column::PasswordHash, sea_orm::sea_query::Expr::value(hash))
                    .col_expr(staff::Column::MustChangePassword, sea_orm::sea_query::Expr::value(false))
                    .filter(staff::Column::Id.eq(id))
                    .exec(&tx)
                    .await?;
            }
            _ => {
                applicant::Entity::update_many()
                    .col_expr(applicant::Column::PasswordHash, sea_orm::sea_query::Expr::value(Some(hash)))
                    .filter(applicant::Column::Id.eq(id))
                    .exec(&tx)
                    .await?;
            }
        }
        auth::end_sessions_of(&tx, kind, id).await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    let who = match kind {
        PrincipalKind::Staff => audit::Who::Staff(id),
        _ => audit::Who::Applicant(id),
    };
    audit::logged(db, who, "password.change", String::new(), ip, result).await
}

/// Creates (or updates the password and roles of) a staff account.
pub async fn upsert_staff(
    db: &DatabaseConnection,
    username: &str,
    display_name: &str,
    password: &str,
    roles: &[(Role, i32)],
) -> Result<staff::Model, AppError> {
    let username = username.trim().to_lowercase();
    if username.is_empty() || !username.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-') {
        return Err(AppError::field("username", "username: letters, digits, _ . - only"));
    }
    rules::validators::check_password(password, &[&username])
        .map_err(|e| AppError::field("password", e.message(Lang::En)))?;
    let hash = auth::hash_password(password.to_string()).await?;
    let tx = db::write_tx(db).await?;
    let existing = staff::Entity::find().filter(staff::Column::Username.eq(username.as_str())).one(&tx).await?;
    let model = match existing {
        Some(s) => {
            let mut am: staff::ActiveModel = s.into();
            am.password_hash = Set(hash.into_stored());
            am.display_name = Set(display_name.to_string());
            am.active = Set(true);
            am.update(&tx).await?
        }
        None => {
            staff::ActiveModel {
                username: Set(username.clone()),
                display_name: Set(display_name.to_string()),
                password_hash: Set(hash.into_stored()),
                active: Set(true),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(&tx)
            .await?
        }
    };
    for (role, dep) in roles {
        let exists = staff_role::Entity::find()
            .filter(staff_role::Column::StaffId.eq(model.id))
            .filter(staff_role::Column::DepartmentId.eq(*dep))
            .filter(staff_role::Column::Role.eq(*role))
            .one(&tx)
            .await?;
        if exists.is_none() {
            staff_role::ActiveModel {
                staff_id: Set(model.id),
                department_id: Set(*dep),
                role: Set(*role),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(model)
}

/// The applicant's 身份证号 or 统一社会信用代码, masked for display.
pub fn masked_number(a: &applicant::Model) -> String {
    match (&a.id_card_no, &a.credit_code) {
        (Some(v), _) => v.parse::<rules::IdCardNo>().map(|x| x.masked()).unwrap_or_default(),
        (_, Some(v)) => v.parse::<rules::CreditCode>().map(|x| x.masked()).unwrap_or_default(),
        _ => String::new(),
    }
}

/// A stored mobile number, masked for display (138****0001).
pub fn masked_mobile(mobile: &str) -> String {
    mobile.parse::<rules::Mobile>().map(|m| m.masked()).unwrap_or_default()
}

/// Saves an applicant's contact e-mail (empty = none), notice opt-outs and notice language (a
/// BCP 47 tag of 简 / 繁 / EN; empty = the page's language).
/// The language notices go out in, as a form chose it (`zh-Hans`, `zh-Hant`, `en`); none chosen:
/// the page's own.
pub fn notice_lang_of(raw: &str, lang: Lang) -> Result<Lang, AppError> {
    match raw.trim() {
        "" => Ok(lang),
        tag => Lang::from_tag(tag).ok_or_else(|| {
            AppError::field(
                "notice_lang",
                lang.pick(
                    "请选择简体中文、繁體中文或 English",
                    "請選擇简体中文、繁體中文或 English",
                    "Choose 简体中文, 繁體中文 or English",
                ),
            )
        }),
    }
}

#[allow(clippy::too_many_arguments)]
pub async fn set_notifications(
    db: &impl ConnectionTrait,
    applicant_id: i32,
    email: &str,
    sms: bool,
    mail: bool,
    notice_lang: &str,
    lang: Lang,
) -> Result<(), AppError> {
    let notice_lang = notice_lang_of(notice_lang, lang)?;
    let email = email.trim();
    let valid = email.is_empty()
        || (email.len() <= 254
            && !email.contains(char::is_whitespace)
            && email.split_once('@').is_some_and(|(user, host)| {
                !user.is_empty() && host.contains('.') && !host.starts_with('.') && !host.ends_with('.')
            }));
    if !valid {
        return Err(AppError::Invalid(vec![(
            "email".into(),
            lang.pick(
                "请填写有效的电子邮箱，例如 name@example.cn",
                "請填寫有效的電子郵箱，例如 name@example.cn",
                "Enter a valid e-mail address, e.g. name@example.cn",
            )
            .into(),
        )]));
    }
    let a = applicant::Entity::find_by_id(applicant_id).one(db).await?.ok_or(AppError::NotFound)?;
    let mut am: applicant::ActiveModel = a.into();
    am.email = Set((!email.is_empty()).then(|| email.to_string()));
    am.notify_sms = Set(sms);
    am.notify_email = Set(mail);
    am.notice_lang = Set(notice_lang.tag().into());
    am.update(db).await?;
    Ok(())
}
