//! One-time SMS codes that prove a mobile (issue S, item 1): registering needs one. A code is six
//! digits, kept only as a hash, valid for [`VALID_MINUTES`] and [`MAX_TRIES`] tries, used once.
//! Each try is reserved (one atomic UPDATE) before the code is compared, so parallel guesses get
//! no more tries than serial ones. Sending is throttled per mobile and per address, for every node
//! (`auth::rate_limit`). Without an SMS provider the text goes to `<data_dir>/sms-outbox.log`
//! (for a demonstration and the tests; the server's log says where, with the mobile masked).

use std::io::Write;

use argon2::password_hash::rand_core::{OsRng, RngCore};
use chrono::{Duration, Utc};
use rules::{Lang, Mobile};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use sha2::{Digest, Sha256};

use super::audit::{self, Who};
use super::entities::sms_code;
use super::error::AppError;
use super::state::AppState;

pub const VALID_MINUTES: i64 = 5;
pub const MAX_TRIES: i32 = 5;
/// One code a minute, five an hour to a mobile (an address: `Settings::sms_codes_per_address_hour`).
const PER_MOBILE_MINUTE: u64 = 1;
const PER_MOBILE_HOUR: u64 = 5;

/// What a code proves the mobile for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Register,
    /// A walk-in opens the online account of their counter registration (`activation`).
    Activate,
}

impl Purpose {
    pub fn code(self) -> &'static str {
        match self {
            Purpose::Register => "register",
            Purpose::Activate => "activate",
        }
    }
}

fn hash(purpose: Purpose, mobile: &Mobile, code: &str) -> String {
    super::auth::hex(&Sha256::digest(format!("{}|{}|{}", purpose.code(), mobile.as_str(), code.trim()).as_bytes()))
}

/// Sends a new code to `mobile` for `purpose` (an older one not yet used stops counting: only the
/// newest is checked).
pub async fn send_code(
    st: &AppState,
    purpose: Purpose,
    mobile: &Mobile,
    address: &str,
    lang: Lang,
) -> Result<(), AppError> {
    let db = &st.db;
    let key = format!("{}:{}", purpose.code(), mobile.as_str());
    let limited = async {
        super::auth::rate_limit(db, "sms_minute", &key, PER_MOBILE_MINUTE, 1).await?;
        super::auth::rate_limit(db, "sms_hour", &key, PER_MOBILE_HOUR, 60).await?;
        super::auth::rate_limit(db, "sms_address", address, st.settings.sms_codes_per_address_hour, 60).await
    }
    .await;
    audit::logged(db, Who::Anonymous, "sms.send", mobile.masked(), address, limited).await?;
    let code = format!("{:06}", OsRng.next_u32() % 1_000_000);
    let now = Utc::now();
    sms_code::ActiveModel {
        purpose: Set(purpose.code().into()),
        mobile: Set(mobile.as_str().into()),
        code_hash: Set(hash(purpose, mobile, &code)),
        created_at: Set(now),
        expires_at: Set(now + Duration::minutes(VALID_MINUTES)),
        tries: Set(0),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let text = match lang {
        Lang::ZhHans => format!("【通办】您的验证码是 {code}，{VALID_MINUTES} 分钟内有效。请勿告诉他人。"),
        Lang::ZhHant => format!("【通辦】您的驗證碼是 {code}，{VALID_MINUTES} 分鐘內有效。請勿告訴他人。"),
        Lang::En => format!("[Tongban] Your code is {code}, valid for {VALID_MINUTES} minutes. Tell no one."),
    };
    deliver(st, mobile, &text, lang).await
}

async fn deliver(st: &AppState, mobile: &Mobile, text: &str, lang: Lang) -> Result<(), AppError> {
    if st.settings.notify.sms_url.is_some() {
        return super::notify::send_sms(&st.settings.notify, mobile.as_str(), text).await.map_err(|e| {
            tracing::warn!(error = %super::error::redacted(&e), "an SMS code could not be sent");
            AppError::field(
                "mobile",
                lang.pick(
                    "短信发送失败，请稍后再试",
                    "簡訊發送失敗，請稍後再試",
                    "The text could not be sent: try again later",
                ),
            )
        });
    }
    let path = outbox_path(&st.settings.data_dir);
    let line = format!("{} {} {}\n", Utc::now().to_rfc3339(), mobile.as_str(), text);
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut f| f.write_all(line.as_bytes()));
    written.map_err(AppError::internal)?;
    tracing::info!(mobile = %mobile.masked(), path = %path.display(), "no SMS provider: the code is in the SMS outbox file");
    Ok(())
}

/// Where the codes go without an SMS provider.
pub fn outbox_path(data_dir: &std::path::Path) -> std::path::PathBuf {
    data_dir.join("sms-outbox.log")
}

/// Uses the newest code sent to `mobile` for `purpose`, or says why not (next to the field
/// `sms_code`, in the user's language). A try is reserved before the code is compared.
pub async fn use_code(
    db: &impl ConnectionTrait,
    purpose: Purpose,
    mobile: &Mobile,
    code: &str,
    lang: Lang,
) -> Result<(), AppError> {
    let field = |msg: &str| AppError::field("sms_code", msg);
    let now = Utc::now();
    let newest = sms_code::Entity::find()
        .filter(sms_code::Column::Purpose.eq(purpose.code()))
        .filter(sms_code::Column::Mobile.eq(mobile.as_str()))
        .order_by_desc(sms_code::Column::Id)
        .one(db)
        .await?;
    let Some(row) = newest.filter(|r| r.used_at.is_none() && r.expires_at > now) else {
        return Err(field(lang.pick(
            "验证码已失效或尚未获取，请点击“获取短信验证码”",
            "驗證碼已失效或尚未取得，請點擊「取得簡訊驗證碼」",
            "The code has expired or was never sent: press “Send a code”",
        )));
    };
    let reserved = sms_code::Entity::update_many()
        .col_expr(sms_code::Column::Tries, Expr::col(sms_code::Column::Tries).add(1))
        .filter(sms_code::Column::Id.eq(row.id))
        .filter(sms_code::Column::Tries.lt(MAX_TRIES))
        .filter(sms_code::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if reserved.rows_affected != 1 {
        return Err(field(lang.pick(
            "验证码错误次数过多，请重新获取",
            "驗證碼錯誤次數過多，請重新取得",
            "Too many wrong codes: send a new one",
        )));
    }
    if row.code_hash != hash(purpose, mobile, code) {
        return Err(field(lang.pick(
            "验证码不正确，请核对短信",
            "驗證碼不正確，請核對簡訊",
            "That is not the code we sent",
        )));
    }
    let used = sms_code::Entity::update_many()
        .col_expr(sms_code::Column::UsedAt, Expr::value(now))
        .filter(sms_code::Column::Id.eq(row.id))
        .filter(sms_code::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if used.rows_affected != 1 {
        return Err(field(lang.pick(
            "验证码已使用，请重新获取",
            "驗證碼已使用，請重新取得",
            "The code was used: send a new one",
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_binds_purpose_mobile_and_code() {
        let m: Mobile = "13912345678".parse().unwrap();
        let n: Mobile = "13912345679".parse().unwrap();
        let h = hash(Purpose::Register, &m, "123456");
        assert_eq!(h, hash(Purpose::Register, &m, " 123456 "));
        assert_ne!(h, hash(Purpose::Register, &n, "123456"));
        assert_ne!(h, hash(Purpose::Register, &m, "123457"));
        assert_eq!(h.len(), 64);
    }
}
