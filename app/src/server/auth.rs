//! Passwords (argon2id, OWASP parameters, hashed off the async runtime), server-side sessions
//! stored in the database, and login throttling per account and per address.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash as Phc, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

use super::entities::{login_failure, rate_hit, session};
use super::error::AppError;

/// A stored argon2id hash (PHC string). Deliberately not `Serialize`, and its `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(..)")
    }
}

impl PasswordHash {
    pub fn from_stored(s: String) -> Self {
        PasswordHash(s)
    }
    /// For writing into the database column only.
    pub fn into_stored(self) -> String {
        self.0
    }
}

fn argon2() -> Argon2<'static> {
    // OWASP: m = 19 MiB, t = 2, p = 1.
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(19 * 1024, 2, 1, None).expect("valid params"))
}

/// At most one argon2 run per core at a time: each takes 19 MiB and tens of milliseconds by
/// design, so a flood of sign-ins waits its turn instead of taking the memory and every core.
static ARGON2_SLOTS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();

async fn argon2_slot() -> Option<tokio::sync::SemaphorePermit<'static>> {
    let slots = ARGON2_SLOTS.get_or_init(|| {
        tokio::sync::Semaphore::new(std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2))
    });
    slots.acquire().await.ok()
}

/// Hashes on a blocking thread (argon2 takes tens of milliseconds by design), one per core.
pub async fn hash_password(password: String) -> Result<PasswordHash, AppError> {
    let _slot = argon2_slot().await;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| PasswordHash(h.to_string()))
            .map_err(AppError::internal)
    })
    .await
    .map_err(AppError::internal)?
}

/// A hash of a random password, verified against when the account does not exist so that a
/// wrong account and a wrong password take the same time.
static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();

pub async fn verify_password(password: String, hash: Option<PasswordHash>) -> bool {
    let _slot = argon2_slot().await;
    tokio::task::spawn_blocking(move || {
        let dummy;
        let stored: &str = match &hash {
            Some(h) => &h.0,
            None => {
                dummy = DUMMY.get_or_init(|| {
                    let salt = SaltString::generate(&mut OsRng);
                    argon2().hash_password(b"no such account", &salt).expect("hash").to_string()
                });
                dummy
            }
        };
        let ok =
            Phc::new(stored).map(|phc| argon2().verify_password(password.as_bytes(), &phc).is_ok()).unwrap_or(false);
        ok && hash.is_some()
    })
    .await
    .unwrap_or(false)
}

pub const SESSION_COOKIE: &str = "tb_session";

/// The session cookie's name: `__Host-` prefixed on an https site, so no other host (a sibling
/// subdomain, a plain-http page) can plant one.
pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-tb_session"
    } else {
        SESSION_COOKIE
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalKind {
    Applicant,
    Staff,
    /// A member of staff whose password was right and whose second factor is asked for: opens
    /// nothing but `/staff/second-factor` (`server::second_factor`).
    StaffPending,
    /// The scheduler acting by rule (never signs in).
    System,
}

impl PrincipalKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            PrincipalKind::Applicant => "applicant",
            PrincipalKind::Staff => "staff",
            PrincipalKind::StaffPending => "staff_pending",
            PrincipalKind::System => "system",
        }
    }
    fn parse(s: &str) -> Option<Self> {
        match s {
            "applicant" => Some(PrincipalKind::Applicant),
            "staff" => Some(PrincipalKind::Staff),
            "staff_pending" => Some(PrincipalKind::StaffPending),
            _ => None,
        }
    }
}

/// SHA-256 of a secret token, hex: what the database keeps of sessions and API tokens.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Creates a session and returns its secret token (only its SHA-256 is stored).
pub async fn create_session(
    db: &impl ConnectionTrait,
    kind: PrincipalKind,
    id: i32,
    ip: Option<String>,
    lifetime: Duration,
) -> Result<String, AppError> {
    let mut raw = [0u8; 32];
    OsRng.fill_bytes(&mut raw);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw);
    let now = Utc::now();
    session::ActiveModel {
        id_hash: Set(token_hash(&token)),
        principal_kind: Set(kind.as_str().into()),
        principal_id: Set(id),
        created_at: Set(now),
        expires_at: Set(now + lifetime),
        ip: Set(ip),
        last_seen_at: Set(Some(now)),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// A staff session ends after this long without a request (besides its absolute lifetime).
pub const STAFF_IDLE_MINUTES: i64 = 30;

/// The principal of a live session: not past its lifetime, and for staff not idle for
/// [`STAFF_IDLE_MINUTES`] (an idle one is deleted). Each request keeps it alive (written at
/// most once a minute).
pub async fn lookup_session(db: &impl ConnectionTrait, token: &str) -> Result<Option<(PrincipalKind, i32)>, AppError> {
    if token.is_empty() || token.len() > 64 {
        return Ok(None);
    }
    let Some(s) = session::Entity::find_by_id(token_hash(token)).one(db).await? else { return Ok(None) };
    let now = Utc::now();
    let Some(kind) = PrincipalKind::parse(&s.principal_kind) else { return Ok(None) };
    let seen = s.last_seen_at.unwrap_or(s.created_at);
    if s.expires_at <= now {
        return Ok(None);
    }
    if kind == PrincipalKind::Staff && now - seen > Duration::minutes(STAFF_IDLE_MINUTES) {
        session::Entity::delete_by_id(s.id_hash).exec(db).await?;
        return Ok(None);
    }
    if now - seen > Duration::minutes(1) {
        session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, sea_orm::sea_query::Expr::value(now))
            .filter(session::Column::IdHash.eq(s.id_hash.clone()))
            .exec(db)
            .await?;
    }
    Ok(Some((kind, s.principal_id)))
}

pub async fn delete_session(db: &impl ConnectionTrait, token: &str) -> Result<(), AppError> {
    session::Entity::delete_by_id(token_hash(token)).exec(db).await?;
    Ok(())
}

/// Ends every session of an account (disabled, or its password reset).
pub async fn end_sessions_of(db: &impl ConnectionTrait, kind: PrincipalKind, id: i32) -> Result<u64, AppError> {
    let r = session::Entity::delete_many()
        .filter(session::Column::PrincipalKind.eq(kind.as_str()))
        .filter(session::Column::PrincipalId.eq(id))
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}

pub async fn purge_expired_sessions(db: &impl ConnectionTrait) -> Result<u64, AppError> {
    let r = session::Entity::delete_many().filter(session::Column::ExpiresAt.lt(Utc::now())).exec(db).await?;
    Ok(r.rows_affected)
}

/// `Set-Cookie` value for the session.
pub fn session_cookie(token: &str, lifetime: Duration, secure: bool) -> String {
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        session_cookie_name(secure),
        lifetime.num_seconds(),
        if secure { "; Secure" } else { "" }
    )
}

pub fn expired_cookie(name: &str, secure: bool) -> String {
    format!("{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}", if secure { "; Secure" } else { "" })
}

/// Throttling window and limits.
pub const THROTTLE_MINUTES: i64 = 15;
/// Failed attempts on one account from one address before that address is refused for it.
pub const MAX_FAILURES_PER_ACCOUNT: u64 = 5;
pub const MAX_FAILURES_PER_IP: u64 = 30;
/// The longest wait before checking a password of an account that failed often, from anywhere.
pub const MAX_DELAY_SECONDS: u64 = 5;

/// One reserved sign-in attempt ([`reserve_attempt`]).
#[derive(Debug, Clone, Copy)]
pub struct Attempt {
    pub id: i32,
    /// How long to wait before checking the password: the account's recent failures from every
    /// address, beyond the limit, one second each (a progressive delay, never a lock).
    pub delay: std::time::Duration,
}

/// Reserves one sign-in attempt on `account_key` from `ip`, or refuses it. The attempt is written
/// first (committed) and counted after, so of any number of parallel attempts the k-th to be
/// written counts at least k, and a refused one takes its row back only once it has counted more
/// than the limit: no more than the limit are ever checked (they were once all counted before any was written,
/// and 8 of 8 parallel wrong passwords were checked against a limit of 5). The limits are per
/// account *and* address, and per address: nobody elsewhere can lock an account out; failures
/// from many addresses only slow the account's checks down ([`Attempt::delay`]).
pub async fn reserve_attempt(db: &impl ConnectionTrait, account_key: &str, ip: &str) -> Result<Attempt, AppError> {
    let mine = login_failure::ActiveModel {
        account_key: Set(account_key.into()),
        ip: Set(ip.into()),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let since = Utc::now() - Duration::minutes(THROTTLE_MINUTES);
    let recent = || login_failure::Entity::find().filter(login_failure::Column::At.gt(since));
    let from_here = recent()
        .filter(login_failure::Column::AccountKey.eq(account_key))
        .filter(login_failure::Column::Ip.eq(ip))
        .count(db)
        .await?;
    let by_ip = recent().filter(login_failure::Column::Ip.eq(ip)).count(db).await?;
    if from_here > MAX_FAILURES_PER_ACCOUNT || by_ip > MAX_FAILURES_PER_IP {
        login_failure::Entity::delete_by_id(mine.id).exec(db).await?;
        return Err(AppError::RateLimited { minutes: THROTTLE_MINUTES });
    }
    let by_account = recent().filter(login_failure::Column::AccountKey.eq(account_key)).count(db).await?;
    let delay = by_account.saturating_sub(MAX_FAILURES_PER_ACCOUNT).min(MAX_DELAY_SECONDS);
    Ok(Attempt { id: mine.id, delay: std::time::Duration::from_secs(delay) })
}

/// Counts one request of `key` in `bucket` and refuses it beyond `per_window` in the last
/// `minutes`, for every node at once (the count is in the database). Written first and counted
/// after, like [`reserve_attempt`]: parallel requests cannot slip past the limit between a count
/// and a write (a refused request takes its row back).
pub async fn rate_limit(
    db: &impl ConnectionTrait,
    bucket: &str,
    key: &str,
    per_window: u64,
    minutes: i64,
) -> Result<(), AppError> {
    let since = Utc::now() - Duration::minutes(minutes);
    let mine = rate_hit::ActiveModel {
        bucket: Set(bucket.into()),
        ip: Set(key.into()),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let n = rate_hit::Entity::find()
        .filter(rate_hit::Column::Bucket.eq(bucket))
        .filter(rate_hit::Column::Ip.eq(key))
        .filter(rate_hit::Column::At.gt(since))
        .count(db)
        .await?;
    if n > per_window {
        rate_hit::Entity::delete_by_id(mine.id).exec(db).await?;
        return Err(AppError::RateLimited { minutes });
    }
    // old hits are useless: the first of a window drops them
    if n == 1 {
        rate_hit::Entity::delete_many().filter(rate_hit::Column::At.lt(since)).exec(db).await?;
    }
    Ok(())
}

pub async fn clear_failures(db: &impl ConnectionTrait, account_key: &str) -> Result<(), AppError> {
    login_failure::Entity::delete_many().filter(login_failure::Column::AccountKey.eq(account_key)).exec(db).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_and_verify() {
        let h = hash_password("蓝色的窗户很明亮".into()).await.unwrap();
        assert!(h.0.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password("蓝色的窗户很明亮".into(), Some(h.clone())).await);
        assert!(!verify_password("wrong password".into(), Some(h.clone())).await);
        assert!(!verify_password("anything".into(), None).await);
        assert_eq!(format!("{h:?}"), "PasswordHash(..)");
    }

    #[test]
    fn cookie_flags() {
        let c = session_cookie("abc", Duration::hours(8), true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.ends_with("Secure"));
        assert!(c.starts_with("__Host-tb_session=abc; Path=/;"), "{c}");
        assert!(!session_cookie("abc", Duration::hours(8), false).contains("Secure"));
    }
}
