//! One error type for the whole server. Clients only ever see [`AppError::message`], a safe text in
//! their language; internal detail goes to `tracing`.

use http::StatusCode;
use rules::Lang;

use crate::models::FieldErrors;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("login required")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// A query (an address's parameters) that cannot be answered: 400, with the field's message.
    #[error("bad query")]
    BadQuery(FieldErrors),
    #[error("conflict")]
    Conflict(FieldErrors),
    #[error("bad credentials")]
    BadCredentials,
    #[error("rate limited for {minutes} min")]
    RateLimited { minutes: i64 },
    #[error("stale: reload")]
    Stale,
    #[error("refused by the rules: {0}")]
    Refused(rules::Refusal),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// A statement meant to change exactly one row: none changed means it was not there (or no
    /// longer in the state the statement asked for).
    pub fn one_row(rows_affected: u64) -> Result<(), AppError> {
        if rows_affected == 1 {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// Bad input: `msg` (in the user's language) next to `field`.
    pub fn field(field: impl Into<String>, msg: impl Into<String>) -> Self {
        AppError::Invalid(vec![(field.into(), msg.into())])
    }

    pub fn internal(e: impl std::fmt::Display) -> Self {
        // a database error may quote a row (a unique ID number, a mobile): the log gets it masked
        let s = redacted(&e.to_string());
        tracing::error!(error = %s, "internal error");
        AppError::Internal(s)
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthorized | AppError::BadCredentials => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadQuery(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) | AppError::Stale | AppError::Refused(_) => StatusCode::CONFLICT,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The client-safe message.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            AppError::NotFound => lang.pick("找不到该内容", "找不到該內容", "Not found").into(),
            AppError::Unauthorized => lang.pick("请先登录", "請先登入", "Please log in").into(),
            AppError::Forbidden => lang
                .pick("您没有权限查看或办理此事项", "您沒有權限查看或辦理此事項", "You do not have permission for this")
                .into(),
            AppError::Invalid(e) | AppError::Conflict(e) | AppError::BadQuery(e) => {
                e.first().map(|(_, m)| m.clone()).unwrap_or_default()
            }
            AppError::BadCredentials => crate::models::bad_credentials(lang),
            AppError::Refused(r) => r.message(lang),
            AppError::RateLimited { minutes } => match lang {
                Lang::ZhHans => format!("尝试次数过多，请 {minutes} 分钟后再试"),
                Lang::ZhHant => format!("嘗試次數過多，請 {minutes} 分鐘後再試"),
                Lang::En => format!("Too many attempts: try again in {minutes} minutes"),
            },
            AppError::Stale => lang
                .pick(
                    "内容已被他人更新，请刷新后重试",
                    "內容已被他人更新，請重新整理後重試",
                    "Someone else changed this: reload and try again",
                )
                .into(),
            AppError::Internal(_) => lang
                .pick(
                    "服务暂时不可用，请稍后再试",
                    "服務暫時不可用，請稍後再試",
                    "The service is unavailable: please try again later",
                )
                .into(),
        }
    }

    /// Field errors, when the error is about fields.
    pub fn fields(&self) -> Option<&FieldErrors> {
        match self {
            AppError::Invalid(e) | AppError::Conflict(e) | AppError::BadQuery(e) => Some(e),
            _ => None,
        }
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(e: sea_orm::DbErr) -> Self {
        AppError::internal(e)
    }
}

impl From<sea_orm::TransactionError<AppError>> for AppError {
    fn from(e: sea_orm::TransactionError<AppError>) -> Self {
        match e {
            sea_orm::TransactionError::Connection(c) => c.into(),
            sea_orm::TransactionError::Transaction(t) => t,
        }
    }
}

/// `text` with every resident ID number, credit code, mobile number and e-mail address in it
/// masked the way the pages mask them (`110***********002X`, `138****1234`, `w***@example.cn`):
/// what the logs may keep of an error or a message (ASVS V7.1: no personal data in logs).
pub fn redacted(text: &str) -> String {
    let word = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-' | '@');
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(word) {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let end = tail.find(|c: char| !word(c)).unwrap_or(tail.len());
        out.push_str(&mask_word(&tail[..end]));
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

fn mask_word(w: &str) -> String {
    if let Some((local, domain)) = w.split_once('@') {
        if !local.is_empty() && domain.contains('.') {
            return format!("{}***@{domain}", local.chars().next().unwrap_or('*'));
        }
    }
    // the alphanumeric runs inside the word (a mobile between dashes, an ID number in a key)
    let mut out = String::with_capacity(w.len());
    let mut rest = w;
    while let Some(start) = rest.find(|c: char| c.is_ascii_alphanumeric()) {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let end = tail.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(tail.len());
        let run = &tail[..end];
        let masked = if let Ok(id) = run.parse::<rules::IdCardNo>() {
            id.masked()
        } else if let Ok(c) = run.parse::<rules::CreditCode>() {
            c.masked()
        } else if let Ok(m) = run.parse::<rules::Mobile>() {
            m.masked()
        } else {
            run.to_string()
        };
        out.push_str(&masked);
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod redaction_tests {
    use super::redacted;

    #[test]
    fn personal_data_leaves_the_log_masked() {
        let table = [
            (
                "duplicate key value violates unique constraint: Key (id_card_no)=(11010519491231002X) already exists",
                "duplicate key value violates unique constraint: Key (id_card_no)=(110***********002X) already exists",
            ),
            ("sms to 13812341234 failed", "sms to 138****1234 failed"),
            ("550 no such user wang.min@example.gov.cn", "550 no such user w***@example.gov.cn"),
            // what is not personal data stays
            (
                "connection refused (os error 111) after 3 attempts",
                "connection refused (os error 111) after 3 attempts",
            ),
            ("case ZRZY-2026-000123 event 12345678901", "case ZRZY-2026-000123 event 12345678901"),
        ];
        for (raw, want) in table {
            assert_eq!(redacted(raw), want, "{raw}");
        }
    }
}
