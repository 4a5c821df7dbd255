//! The notification dispatcher: outbox rows (written with every staff change of a case) become
//! one delivery per channel the applicant has not opted out of — e-mail over SMTP (lettre), SMS
//! through a configurable HTTP provider, or the log when neither is configured — and each
//! delivery is tried with exponential backoff until it is sent or, after the last attempt, dead
//! (listed for admins). The in-app inbox always has the message.

use std::time::Duration;

use chrono::{DateTime, Utc};
use rules::{CaseState, EventKind, Lang};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};
use serde::Serialize;

use super::entities::{applicant, delivery, outbox, template, DeliveryStatus, NoticeChannel, OutboxStatus};
use super::error::AppError;
use super::state::AppState;

use super::config::NotifySettings;

/// Which channels apply to an applicant under the settings (opt-outs respected).
pub fn channels(cfg: &NotifySettings, a: &applicant::Model) -> Vec<(NoticeChannel, String)> {
    let mut out = Vec::new();
    if cfg.smtp.is_some() && a.notify_email {
        if let Some(mail) = a.email.as_ref().filter(|m| !m.is_empty()) {
            out.push((NoticeChannel::Email, mail.clone()));
        }
    }
    if cfg.sms_url.is_some() && a.notify_sms && !a.mobile.is_empty() {
        out.push((NoticeChannel::Sms, a.mobile.clone()));
    }
    if cfg.smtp.is_none() && cfg.sms_url.is_none() {
        out.push((NoticeChannel::Log, a.mobile.clone()));
    }
    out
}

/// Backoff before attempt `n + 1` after `n` failed attempts.
pub fn backoff(cfg: &NotifySettings, failed: u32) -> Duration {
    let secs = cfg.retry_secs.saturating_mul(1u64 << failed.saturating_sub(1).min(16));
    Duration::from_secs(secs.min(3600))
}

/// The built-in wording; an admin's row in `notification_templates` (same kind and language, or
/// kind `*` for all) replaces it. Placeholders: `{case_no}`, `{event}`, `{state}`, `{due_on}`,
/// `{follow}` (how to follow the case: [`follow`]).
pub fn default_template(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::En => {
            ("[Tongban] Case {case_no}: {event}", "Your case {case_no}: {event}. Status: {state}. {due_on}{follow}")
        }
        Lang::ZhHant => {
            ("【通辦】辦件 {case_no}：{event}", "您的辦件 {case_no}：{event}。目前狀態：{state}。{due_on}{follow}")
        }
        Lang::ZhHans => {
            ("【通办】办件 {case_no}：{event}", "您的办件 {case_no}：{event}。当前状态：{state}。{due_on}{follow}")
        }
    }
}

/// How the applicant follows the case. An account holder signs in. A walk-in (registered at the
/// counter, no password) cannot: they get the public progress page of the case under `base` (the
/// case number filled in) and the page where their mobile opens an account.
pub fn follow(lang: Lang, base: &str, case_no: &str, walk_in: bool) -> String {
    let base = base.trim_end_matches('/');
    if !walk_in {
        return lang.pick("详情请登录查看。", "詳情請登錄查看。", "Sign in to see the details.").into();
    }
    let progress = format!("{base}/progress?case_no={case_no}");
    let activate = format!("{base}/activate");
    match lang {
        Lang::En => format!(
            "Track it at {progress} (with the last 4 digits of your mobile); to follow your cases online, open your account at {activate}."
        ),
        Lang::ZhHant => format!("查詢進度：{progress}（輸入手機號後 4 位）；開通網上帳號查看辦件：{activate}。"),
        Lang::ZhHans => format!("查询进度：{progress}（输入手机号后 4 位）；开通网上账号查看办件：{activate}。"),
    }
}

/// Fills a template from an outbox payload; `follow` is what [`follow`] says for its applicant.
pub fn render(tpl: &str, kind: EventKind, payload: &serde_json::Value, lang: Lang, follow: &str) -> String {
    let case_no = payload["case_no"].as_str().unwrap_or("");
    let state = payload["state"].as_str().and_then(CaseState::from_code).map(|s| s.label(lang)).unwrap_or("");
    let due = payload["due_on"].as_str().map_or(String::new(), |d| match lang {
        Lang::En => format!("Due by {d}. "),
        Lang::ZhHant => format!("辦理期限：{d}。"),
        Lang::ZhHans => format!("办理期限：{d}。"),
    });
    tpl.replace("{case_no}", case_no)
        .replace("{event}", kind.label(lang))
        .replace("{state}", state)
        .replace("{due_on}", &due)
        .replace("{follow}", follow)
}

/// The subject and text for a kind of notice in a language: its own template, else the one for
/// all notices, else the built-in wording.
pub async fn wording(db: &DatabaseConnection, kind: EventKind, lang: Lang) -> Result<(String, String), AppError> {
    for k in [kind.code(), "*"] {
        if let Some(t) = template::Entity::find_by_id((k.to_string(), lang.tag().to_string())).one(db).await? {
            return Ok((t.subject, t.body));
        }
    }
    let (s, b) = default_template(lang);
    Ok((s.into(), b.into()))
}

/// What one dispatch did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DispatchReport {
    pub queued: u64,
    pub sent: u64,
    pub retried: u64,
    pub dead: u64,
    pub skipped: u64,
}

/// Expands pending outbox rows into deliveries and sends the deliveries that are due at `now`.
pub async fn dispatch(state: &AppState, now: DateTime<Utc>) -> Result<DispatchReport, AppError> {
    let db = &state.db;
    let cfg = &state.settings.notify;
    let mut report = DispatchReport::default();
    // 1. Outbox → deliveries, one transaction per batch.
    loop {
        let rows = outbox::Entity::find()
            .filter(outbox::Column::Status.eq(OutboxStatus::Pending))
            .order_by_asc(outbox::Column::Id)
            .limit(200)
            .all(db)
            .await?;
        if rows.is_empty() {
            break;
        }
        let tx = db.begin().await?;
        for o in rows {
            if let Some(a) = applicant::Entity::find_by_id(o.applicant_id).one(&tx).await? {
                for (channel, address) in channels(cfg, &a) {
                    delivery::ActiveModel {
                        outbox_id: Set(o.id),
                        channel: Set(channel),
                        address: Set(address),
                        status: Set(DeliveryStatus::Pending),
                        attempts: Set(0),
                        next_attempt_at: Set(now),
                        last_error: Set(String::new()),
                        sent_at: Set(None),
                        created_at: Set(now),
                        ..Default::default()
                    }
                    .insert(&tx)
                    .await?;
                    report.queued += 1;
                }
            }
            outbox::Entity::update_many()
                .col_expr(outbox::Column::Status, Expr::value(OutboxStatus::Queued))
                .filter(outbox::Column::Id.eq(o.id))
                .exec(&tx)
                .await?;
        }
        tx.commit().await?;
    }
    // 2. Deliveries due now.
    let due = delivery::Entity::find()
        .filter(delivery::Column::Status.eq(DeliveryStatus::Pending))
        .filter(delivery::Column::NextAttemptAt.lte(now))
        .order_by_asc(delivery::Column::NextAttemptAt)
        .limit(200)
        .all(db)
        .await?;
    for d in due {
        let Some(o) = outbox::Entity::find_by_id(d.outbox_id).one(db).await? else { continue };
        let a = applicant::Entity::find_by_id(o.applicant_id).one(db).await?;
        // Opted out since the message was queued: not sent.
        let still_wanted = a.as_ref().is_some_and(|a| channels(cfg, a).iter().any(|(c, _)| *c == d.channel));
        let mut am: delivery::ActiveModel = d.clone().into();
        if !still_wanted {
            am.status = Set(DeliveryStatus::Skipped);
            am.update(db).await?;
            report.skipped += 1;
            continue;
        }
        let lang = a.as_ref().and_then(|a| Lang::from_tag(&a.notice_lang)).unwrap_or_default();
        let payload: serde_json::Value = serde_json::from_str(&o.payload).unwrap_or_default();
        let (subject, body) = wording(db, o.kind, lang).await?;
        let walk_in = a.as_ref().is_some_and(|a| a.password_hash.is_none());
        let follow = follow(lang, &state.public_base(), payload["case_no"].as_str().unwrap_or(""), walk_in);
        let subject = render(&subject, o.kind, &payload, lang, &follow);
        let body = render(&body, o.kind, &payload, lang, &follow);
        let result = match d.channel {
            NoticeChannel::Email => send_email(cfg, &d.address, &subject, &body).await,
            NoticeChannel::Sms => send_sms(cfg, &d.address, &body).await,
            NoticeChannel::Log => {
                tracing::info!(to = %super::error::redacted(&d.address), %subject, "notification (log channel)");
                Ok(())
            }
        };
        let attempts = d.attempts + 1;
        am.attempts = Set(attempts);
        match result {
            Ok(()) => {
                am.status = Set(DeliveryStatus::Sent);
                am.sent_at = Set(Some(Utc::now()));
                am.last_error = Set(String::new());
                report.sent += 1;
            }
            Err(e) => {
                let e = super::error::redacted(&e);
                tracing::warn!(delivery = d.id, channel = d.channel.code(), attempt = attempts, error = %e, "notification failed");
                am.last_error = Set(e.chars().take(500).collect());
                if attempts as u32 >= cfg.max_attempts.max(1) {
                    am.status = Set(DeliveryStatus::Dead);
                    report.dead += 1;
                } else {
                    let wait = chrono::Duration::from_std(backoff(cfg, attempts as u32)).unwrap_or_default();
                    am.next_attempt_at = Set(now + wait);
                    report.retried += 1;
                }
            }
        }
        am.update(db).await?;
    }
    Ok(report)
}

async fn send_email(cfg: &NotifySettings, to: &str, subject: &str, body: &str) -> Result<(), String> {
    use lettre::message::header::{ContentTransferEncoding, ContentType};
    use lettre::message::SinglePart;
    use lettre::transport::smtp::authentication::Credentials;
    use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
    let smtp = cfg.smtp.as_ref().ok_or("no SMTP relay configured")?;
    let msg = Message::builder()
        .from(smtp.from.parse().map_err(|e| format!("sender: {e}"))?)
        .to(to.parse().map_err(|e| format!("recipient: {e}"))?)
        .subject(subject)
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .header(ContentTransferEncoding::Base64)
                .body(body.to_string()),
        )
        .map_err(|e| e.to_string())?;
    let mut b = match smtp.security.as_str() {
        "none" => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host),
        "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host).map_err(|e| e.to_string())?,
        _ => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host).map_err(|e| e.to_string())?,
    }
    .port(smtp.port)
    .timeout(Some(Duration::from_secs(20)));
    if let (Some(u), Some(p)) = (&smtp.username, &smtp.password) {
        b = b.credentials(Credentials::new(u.clone(), p.clone()));
    }
    b.build().send(msg).await.map(|_| ()).map_err(|e| e.to_string())
}

pub(crate) async fn send_sms(cfg: &NotifySettings, to: &str, text: &str) -> Result<(), String> {
    let url = cfg.sms_url.as_ref().ok_or("no SMS provider configured")?;
    let mut req = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .map_err(|e| e.to_string())?
        .post(url)
        .json(&serde_json::json!({ "to": to, "text": text }));
    if let Some(t) = &cfg.sms_token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.map_err(|e| e.to_string())?;
    if resp.status().is_success() {
        Ok(())
    } else {
        Err(format!("SMS provider answered {}", resp.status()))
    }
}

/// Dead deliveries for the admins' page, newest first.
pub async fn dead_letters(db: &DatabaseConnection, limit: u64) -> Result<Vec<delivery::Model>, AppError> {
    Ok(delivery::Entity::find()
        .filter(delivery::Column::Status.eq(DeliveryStatus::Dead))
        .order_by_desc(delivery::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// An admin sends a dead delivery again (one more attempt now).
pub async fn retry_dead(db: &DatabaseConnection, id: i32) -> Result<(), AppError> {
    let res = delivery::Entity::update_many()
        .col_expr(delivery::Column::Status, Expr::value(DeliveryStatus::Pending))
        .col_expr(delivery::Column::NextAttemptAt, Expr::value(Utc::now()))
        .col_expr(delivery::Column::Attempts, Expr::value(0))
        .filter(delivery::Column::Id.eq(id))
        .filter(delivery::Column::Status.eq(DeliveryStatus::Dead))
        .exec(db)
        .await?;
    AppError::one_row(res.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::config::SmtpSettings;

    fn person(email: Option<&str>, sms: bool, mail: bool) -> applicant::Model {
        applicant::Model {
            id: 1,
            kind: rules::materials::ApplicantKind::Person,
            name: "张三".into(),
            id_card_no: None,
            credit_code: None,
            contact_name: None,
            mobile: "13800138000".into(),
            password_hash: None,
            created_at: Utc::now(),
            email: email.map(str::to_string),
            notify_sms: sms,
            notify_email: mail,
            notice_lang: "zh-Hans".into(),
            identity_checked_on: None,
            identity_checked_by: None,
            frozen_at: None,
        }
    }

    #[test]
    fn channels_respect_settings_and_opt_outs() {
        let none = NotifySettings::default();
        let both = NotifySettings {
            smtp: Some(SmtpSettings {
                host: "mail".into(),
                port: 25,
                from: "a@b.cn".into(),
                username: None,
                password: None,
                security: "none".into(),
            }),
            sms_url: Some("http://sms".into()),
            ..Default::default()
        };
        let names = |v: Vec<(NoticeChannel, String)>| v.into_iter().map(|(c, _)| c.code()).collect::<Vec<_>>();
        assert_eq!(names(channels(&none, &person(Some("x@y.cn"), true, true))), ["log"]);
        assert_eq!(names(channels(&both, &person(Some("x@y.cn"), true, true))), ["email", "sms"]);
        assert_eq!(names(channels(&both, &person(None, true, true))), ["sms"]);
        assert_eq!(names(channels(&both, &person(Some("x@y.cn"), false, true))), ["email"]);
        assert!(channels(&both, &person(Some("x@y.cn"), false, false)).is_empty());
    }

    #[test]
    fn backoff_doubles_and_caps() {
        let cfg = NotifySettings { retry_secs: 60, ..Default::default() };
        let secs: Vec<u64> = (1..=8).map(|n| backoff(&cfg, n).as_secs()).collect();
        assert_eq!(secs, [60, 120, 240, 480, 960, 1920, 3600, 3600]);
    }

    #[test]
    fn templates_fill_in() {
        let p = serde_json::json!({ "case_no": "ZRZY-20261124-0001", "state": "accepted", "due_on": "2026-12-22" });
        let (s, b) = default_template(Lang::ZhHans);
        let signs_in = follow(Lang::ZhHans, "https://x.gov.cn", "ZRZY-20261124-0001", false);
        assert_eq!(render(s, EventKind::Accept, &p, Lang::ZhHans, &signs_in), "【通办】办件 ZRZY-20261124-0001：受理");
        assert_eq!(
            render(b, EventKind::Accept, &p, Lang::ZhHans, &signs_in),
            "您的办件 ZRZY-20261124-0001：受理。当前状态：已受理。办理期限：2026-12-22。详情请登录查看。"
        );
        let (_, b) = default_template(Lang::En);
        let en = render(b, EventKind::Accept, &p, Lang::En, &follow(Lang::En, "", "", false));
        assert!(en.contains("Status: Accepted. Due by 2026-12-22. Sign in"), "{en}");
        let (_, b) = default_template(Lang::ZhHant);
        let hant = render(b, EventKind::Accept, &p, Lang::ZhHant, &follow(Lang::ZhHant, "", "", false));
        assert!(hant.contains("辦理期限：2026-12-22。詳情請登錄"), "{hant}");
    }

    /// A walk-in cannot sign in: their text leads to the case's public progress page and to the
    /// page that opens their account, in their language.
    #[test]
    fn walk_ins_are_told_where_to_follow_the_case() {
        let p = serde_json::json!({ "case_no": "ZRZY-20261124-0001", "state": "accepted" });
        for (lang, words) in [(Lang::ZhHans, "查询进度"), (Lang::ZhHant, "查詢進度"), (Lang::En, "Track it at")]
        {
            let f = follow(lang, "https://x.gov.cn/", "ZRZY-20261124-0001", true);
            let (_, b) = default_template(lang);
            let text = render(b, EventKind::Accept, &p, lang, &f);
            assert!(text.contains(words), "{text}");
            assert!(text.contains("https://x.gov.cn/progress?case_no=ZRZY-20261124-0001"), "{text}");
            assert!(text.contains("https://x.gov.cn/activate"), "{text}");
            assert!(!text.contains("登录查看") && !text.contains("Sign in"), "{text}");
        }
    }
}
