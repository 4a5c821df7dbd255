//! The second factor of a staff sign-in (issue S, item 2): TOTP (RFC 6238 — HMAC-SHA-1, 6 digits,
//! 30-second steps, one step of clock skew either way) through the `totp-rs` crate. Required for
//! admins and approvers, optional for everyone else.
//!
//! - The right password of an account that needs a code opens a *pending* session
//!   ([`PrincipalKind::StaffPending`], [`PENDING_MINUTES`]) that opens nothing but
//!   `/staff/second-factor`; the right code turns it into a staff session.
//! - An admin or approver without a second factor sets one up there before anything else: a fresh
//!   secret is kept unconfirmed ([`begin`]), shown as a QR code and as text, and is on from the
//!   first right code.
//! - A code is accepted once (RFC 6238 §5.2): the last accepted time step is kept and moved forward
//!   in one statement, so two parallel posts of one code cannot both pass.
//! - Wrong codes are throttled like wrong passwords (`auth::reserve_attempt`, per account and
//!   address, progressive delay), and every check is in the security log.

use chrono::Utc;
use rand::rngs::OsRng;
use rand::RngCore;
use rules::{Lang, Role};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use totp_rs::{Builder, Secret, Totp};

use super::accounts;
use super::audit;
use super::auth;
use super::entities::staff;
use super::error::AppError;
use crate::models::{SecondFactorSetup, SecondFactorView, StaffRole};

/// How long the step between the password and the code may take.
pub const PENDING_MINUTES: i64 = 10;
/// The name the authenticator app shows the account under.
pub const ISSUER: &str = "Tongban";

/// Admins and approvers cannot sign in with a password alone.
pub fn required(roles: &[StaffRole]) -> bool {
    roles.iter().any(|r| matches!(r.role, Role::Admin | Role::Approver))
}

/// Whether a sign-in of `s` asks for a code after the password.
pub fn asked(s: &staff::Model, roles: &[StaffRole]) -> bool {
    s.totp_enabled_at.is_some() || required(roles)
}

fn totp(secret: &str, account: &str) -> Result<Totp, AppError> {
    let bytes = Secret::try_from_base32(secret)
        .map_err(|e| AppError::Internal(format!("a stored TOTP secret does not parse: {e:?}")))?;
    Builder::new()
        .with_secret(bytes)
        .with_issuer(Some(ISSUER))
        .with_account_name(account)
        .build()
        .map_err(|e| AppError::Internal(format!("TOTP: {e:?}")))
}

fn unix_now() -> u64 {
    Utc::now().timestamp().max(0) as u64
}

/// A fresh secret: 160 random bits (RFC 4226 §4 recommends 160), base32.
pub fn new_secret() -> String {
    let mut raw = [0u8; 20];
    OsRng.fill_bytes(&mut raw);
    Secret::from(raw).to_base32()
}

/// The code an authenticator app shows for `secret` at `unix` seconds (the demo's and the tests'
/// sign-ins compute theirs with it).
pub fn code_at(secret: &str, unix: u64) -> Result<String, AppError> {
    Ok(totp(secret, "x")?.generate(unix).to_string())
}

/// Starts setting a second factor up for `s` (a fresh, unconfirmed secret), unless one is on or
/// being set up already (the page was reloaded).
pub async fn begin(db: &DatabaseConnection, s: &staff::Model) -> Result<(), AppError> {
    if s.totp_secret.is_some() {
        return Ok(());
    }
    staff::Entity::update_many()
        .col_expr(staff::Column::TotpSecret, Expr::value(new_secret()))
        .col_expr(staff::Column::TotpEnabledAt, Expr::value(Option::<chrono::DateTime<Utc>>::None))
        .filter(staff::Column::Id.eq(s.id))
        .filter(staff::Column::TotpSecret.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// What `/staff/second-factor` shows member of staff `id` (`signing_in`: the password step is
/// done, the code is asked for).
pub async fn view(db: &DatabaseConnection, id: i32, signing_in: bool) -> Result<SecondFactorView, AppError> {
    let s = staff::Entity::find_by_id(id).one(db).await?.filter(|s| s.active).ok_or(AppError::Unauthorized)?;
    let roles = accounts::staff_roles(db, id).await?;
    let setup = match (&s.totp_secret, s.totp_enabled_at) {
        (Some(secret), None) => {
            let uri =
                totp(secret, &s.username)?.to_url().map_err(|e| AppError::Internal(format!("TOTP url: {e:?}")))?;
            let grouped =
                secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>();
            Some(SecondFactorSetup { secret: grouped.join(" "), qr_svg: super::catalog::qr_svg(&uri), uri })
        }
        _ => None,
    };
    Ok(SecondFactorView { signing_in, required: required(&roles), enabled: s.totp_enabled_at.is_some(), setup })
}

fn code_error(lang: Lang, zh: &str, hant: &str, en: &str) -> AppError {
    AppError::field("code", lang.pick(zh, hant, en))
}

/// Checks a code of member of staff `id`: accepted once per time step, throttled like a password,
/// in the security log either way. The first right code of a second factor being set up turns
/// it on.
pub async fn check(db: &DatabaseConnection, id: i32, code: &str, ip: &str, lang: Lang) -> Result<(), AppError> {
    let result = check_code(db, id, code, ip, lang).await;
    audit::logged(db, audit::Who::Staff(id), "second_factor", String::new(), ip, result).await
}

async fn check_code(db: &DatabaseConnection, id: i32, code: &str, ip: &str, lang: Lang) -> Result<(), AppError> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(code_error(
            lang,
            "请输入验证器应用中显示的 6 位数字",
            "請輸入驗證器應用程式中顯示的 6 位數字",
            "Enter the 6 digits your authenticator app shows",
        ));
    }
    let key = format!("totp:{id}");
    let attempt = auth::reserve_attempt(db, &key, ip).await?;
    if !attempt.delay.is_zero() {
        tokio::time::sleep(attempt.delay).await;
    }
    let s = staff::Entity::find_by_id(id).one(db).await?.filter(|s| s.active).ok_or(AppError::Unauthorized)?;
    let secret = s.totp_secret.as_deref().ok_or(AppError::Unauthorized)?;
    let Some(step) = totp(secret, &s.username)?.check(&code, unix_now()) else {
        return Err(code_error(
            lang,
            "动态码不正确，请输入应用中当前显示的数字（手机时间须准确）",
            "動態碼不正確，請輸入應用程式中目前顯示的數字（手機時間須準確）",
            "Wrong code: enter the one the app shows now (your phone's clock must be right)",
        ));
    };
    let step = i64::try_from(step).map_err(|_| AppError::Internal("TOTP step out of range".into()))?;
    // one statement: of two posts of the same code, one moves the step and the other finds it moved
    let moved = staff::Entity::update_many()
        .col_expr(staff::Column::TotpLastStep, Expr::value(step))
        .col_expr(staff::Column::TotpEnabledAt, Expr::value(s.totp_enabled_at.unwrap_or_else(Utc::now)))
        .filter(staff::Column::Id.eq(id))
        .filter(staff::Column::TotpSecret.eq(secret))
        .filter(Condition::any().add(staff::Column::TotpLastStep.is_null()).add(staff::Column::TotpLastStep.lt(step)))
        .exec(db)
        .await?;
    if moved.rows_affected != 1 {
        return Err(code_error(
            lang,
            "这个动态码已经用过，请等应用显示下一个动态码再输入",
            "這個動態碼已經用過，請等應用程式顯示下一個動態碼再輸入",
            "That code was used already: wait for the app's next one",
        ));
    }
    auth::clear_failures(db, &key).await
}

/// Turns an optional second factor off (with a right code); one an admin's or approver's role
/// requires stays on.
pub async fn turn_off(db: &DatabaseConnection, id: i32, code: &str, ip: &str, lang: Lang) -> Result<(), AppError> {
    let roles = accounts::staff_roles(db, id).await?;
    let result = async {
        if required(&roles) {
            return Err(AppError::field(
                "code",
                lang.pick(
                    "管理员和审批人员必须使用两步验证",
                    "管理員和審批人員必須使用兩步驗證",
                    "Admins and approvers must keep the second factor",
                ),
            ));
        }
        check_code(db, id, code, ip, lang).await?;
        clear(db, id).await
    }
    .await;
    audit::logged(db, audit::Who::Staff(id), "second_factor.off", String::new(), ip, result).await
}

/// Removes the second factor of `id` (turned off, or reset by an admin when the phone is lost):
/// the next sign-in sets it up again where a role requires it.
pub async fn clear(db: &DatabaseConnection, id: i32) -> Result<(), AppError> {
    let s = staff::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let mut am: staff::ActiveModel = s.into();
    am.totp_secret = Set(None);
    am.totp_enabled_at = Set(None);
    am.totp_last_step = Set(None);
    am.update(db).await?;
    Ok(())
}

/// Turns the second factor of `id` on with a known secret (the demo's admin and approver, whose
/// secret the README gives like their password).
pub async fn seed(db: &DatabaseConnection, id: i32, secret: &str) -> Result<(), AppError> {
    totp(secret, "x")?;
    let s = staff::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    if s.totp_secret.as_deref() == Some(secret) && s.totp_enabled_at.is_some() {
        return Ok(());
    }
    let mut am: staff::ActiveModel = s.into();
    am.totp_secret = Set(Some(secret.to_string()));
    am.totp_enabled_at = Set(Some(Utc::now()));
    am.totp_last_step = Set(None);
    am.update(db).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 rows (the secret is ASCII "12345678901234567890"; 6 of the 8
    /// digits).
    #[test]
    fn rfc_6238_vectors() {
        let secret = Secret::from(b"12345678901234567890".to_vec()).to_base32();
        for (t, code) in [(59u64, "287082"), (1111111109, "081804"), (1111111111, "050471"), (1234567890, "005924")] {
            assert_eq!(code_at(&secret, t).unwrap(), code, "at {t}");
        }
    }

    #[test]
    fn secrets_are_fresh_and_160_bits() {
        let (a, b) = (new_secret(), new_secret());
        assert_ne!(a, b);
        assert_eq!(Secret::try_from_base32(&a).unwrap().len(), 20);
    }
}
