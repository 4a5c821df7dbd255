//! The audit trail: every case event carries the hash of the case's previous event, so an event
//! edited, removed or inserted directly in the database breaks the chain; `tongban audit verify`
//! and the supervisor's page recompute it. A chain cannot see its own tail cut off, nor a case
//! deleted whole: the anchors can. Every day an anchor seals the events written since the one
//! before (their ids and hashes chained into one root), points at the anchor before and is signed
//! with the configured Ed25519 key, and a copy goes to `<data_dir>/anchors/`. Staff reads of
//! personal data and the security log are here too.

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::entities::{audit_anchor, case, case_event, security_log, staff_read};
use super::error::AppError;

/// An event to append (everything but its place in the chain).
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub case_id: i32,
    pub action: rules::EventKind,
    pub from_state: rules::CaseState,
    pub to_state: rules::CaseState,
    pub actor_kind: String,
    pub actor_id: i32,
    pub role: rules::Role,
    pub comment: String,
    pub internal: bool,
    pub on_day: chrono::NaiveDate,
}

/// The stored timestamp format the hash covers: microseconds, which both SQLite and PostgreSQL
/// keep exactly.
fn stamp(at: &DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// SHA-256 (hex) over the previous hash and the event's fields, each length-prefixed so no two
/// different rows hash alike.
pub fn digest(e: &case_event::Model) -> String {
    let mut h = Sha256::new();
    let fields: [&str; 13] = [
        &e.prev_hash,
        &e.case_id.to_string(),
        &e.seq.to_string(),
        e.action.code(),
        e.from_state.code(),
        e.to_state.code(),
        &e.actor_kind,
        &e.actor_id.to_string(),
        e.role.as_str(),
        &e.comment,
        if e.internal { "1" } else { "0" },
        &stamp(&e.at),
        &e.on_day.to_string(),
    ];
    for f in fields {
        h.update((f.len() as u64).to_be_bytes());
        h.update(f.as_bytes());
    }
    super::auth::hex(&h.finalize())
}

/// The model of the next event after `prev`, hashed (not yet inserted).
pub fn chained(ev: NewEvent, prev: Option<&case_event::Model>, at: DateTime<Utc>) -> case_event::Model {
    let mut m = case_event::Model {
        id: 0,
        case_id: ev.case_id,
        seq: prev.map_or(1, |p| p.seq + 1),
        action: ev.action,
        from_state: ev.from_state,
        to_state: ev.to_state,
        actor_kind: ev.actor_kind,
        actor_id: ev.actor_id,
        role: ev.role,
        comment: ev.comment,
        internal: ev.internal,
        at: at.trunc_subsecs(6),
        on_day: ev.on_day,
        prev_hash: prev.map(|p| p.hash.clone()).unwrap_or_default(),
        hash: String::new(),
    };
    m.hash = digest(&m);
    m
}

/// The insertable form of a chained model.
pub fn active(m: case_event::Model) -> case_event::ActiveModel {
    let mut am: case_event::ActiveModel = m.into();
    am.id = sea_orm::ActiveValue::NotSet;
    am
}

/// Appends an event after `prev` (the case's last event, read in the same transaction).
pub async fn append(
    tx: &impl ConnectionTrait,
    ev: NewEvent,
    prev: Option<&case_event::Model>,
) -> Result<case_event::Model, AppError> {
    Ok(active(chained(ev, prev, Utc::now())).insert(tx).await?)
}

/// Where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Break {
    pub case_id: i32,
    pub case_no: Option<String>,
    pub event_id: i32,
    pub seq: i32,
    pub reason: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    pub events: u64,
    pub cases: u64,
    pub first_break: Option<Break>,
    /// Anchors checked, and the first that no longer holds (what is wrong with it).
    #[serde(default)]
    pub anchors: u64,
    #[serde(default)]
    pub anchor_break: Option<String>,
    pub millis: u128,
}

impl Verification {
    /// Nothing broken: every chain, every case's state, every anchor.
    pub fn intact(&self) -> bool {
        self.first_break.is_none() && self.anchor_break.is_none()
    }
}

/// Recomputes every case's chain in (case, seq) order, a page at a time, and reports the first
/// broken link: a row whose fields no longer match its hash, a row that does not point at the
/// hash of the one before it, a gap in the sequence (a removed row), or a case whose row says
/// another state than its last event (a state written past the engine). Then the anchors
/// ([`verify_anchors`]), against `key` when one is given (the configured one).
pub async fn verify(db: &DatabaseConnection, key: Option<&VerifyingKey>) -> Result<Verification, AppError> {
    const PAGE: u64 = 5000;
    let start = std::time::Instant::now();
    let (mut events, mut cases) = (0u64, 0u64);
    let mut prev: Option<case_event::Model> = None;
    let mut after: Option<(i32, i32)> = None;
    let mut states: std::collections::HashMap<i32, (rules::CaseState, Option<String>)> = Default::default();
    let broken = |e: &case_event::Model, reason: &'static str, case_no: Option<String>| Break {
        case_id: e.case_id,
        case_no,
        event_id: e.id,
        seq: e.seq,
        reason,
    };
    loop {
        let mut q = case_event::Entity::find();
        if let Some((c, s)) = after {
            q = q.filter(
                Condition::any()
                    .add(case_event::Column::CaseId.gt(c))
                    .add(Condition::all().add(case_event::Column::CaseId.eq(c)).add(case_event::Column::Seq.gt(s))),
            );
        }
        let rows = q
            .order_by_asc(case_event::Column::CaseId)
            .order_by_asc(case_event::Column::Seq)
            .limit(PAGE)
            .all(db)
            .await?;
        let ids: Vec<i32> = rows.iter().map(|e| e.case_id).chain(prev.as_ref().map(|p| p.case_id)).collect();
        for c in case::Entity::find().filter(case::Column::Id.is_in(ids)).all(db).await? {
            states.insert(c.id, (c.state, c.case_no));
        }
        // the case just finished: does its row say its last event's state?
        let finished =
            |last: &case_event::Model, states: &std::collections::HashMap<i32, (rules::CaseState, Option<String>)>| {
                match states.get(&last.case_id) {
                    Some((state, _)) if *state != last.to_state => Some("the case's state is not its last event's"),
                    None => Some("events of a case that is gone"),
                    _ => None,
                }
            };
        if rows.is_empty() {
            if let Some(last) = &prev {
                if let Some(reason) = finished(last, &states) {
                    let case_no = states.get(&last.case_id).and_then(|s| s.1.clone());
                    let first_break = Some(broken(last, reason, case_no));
                    let millis = start.elapsed().as_millis();
                    return Ok(Verification { events, cases, first_break, anchors: 0, anchor_break: None, millis });
                }
            }
            break;
        }
        for e in &rows {
            events += 1;
            let same_case = prev.as_ref().is_some_and(|p| p.case_id == e.case_id);
            if !same_case {
                cases += 1;
            }
            let expected_seq = if same_case { prev.as_ref().map_or(1, |p| p.seq + 1) } else { 1 };
            let expected_prev = if same_case { prev.as_ref().map(|p| p.hash.as_str()).unwrap_or("") } else { "" };
            let (at, reason) = match prev.as_ref().filter(|_| !same_case).and_then(|p| finished(p, &states)) {
                Some(reason) => (prev.clone().unwrap_or_else(|| e.clone()), Some(reason)),
                None => (
                    e.clone(),
                    if e.seq != expected_seq {
                        Some("missing event (sequence gap)")
                    } else if e.prev_hash != expected_prev {
                        Some("does not point at the previous event")
                    } else if digest(e) != e.hash {
                        Some("content does not match its hash")
                    } else {
                        None
                    },
                ),
            };
            if let Some(reason) = reason {
                let case_no = states.get(&at.case_id).and_then(|s| s.1.clone());
                let first_break = Some(broken(&at, reason, case_no));
                let millis = start.elapsed().as_millis();
                return Ok(Verification { events, cases, first_break, anchors: 0, anchor_break: None, millis });
            }
            prev = Some(e.clone());
        }
        states.retain(|id, _| prev.as_ref().is_some_and(|p| p.case_id == *id));
        after = rows.last().map(|e| (e.case_id, e.seq));
    }
    let (anchors, anchor_break) = verify_anchors(db, key).await?;
    Ok(Verification { events, cases, first_break: None, anchors, anchor_break, millis: start.elapsed().as_millis() })
}

// ---- anchors ----

use ed25519_dalek::{Signer, SigningKey, Verifier, VerifyingKey};

/// The signing key of the anchors: the configured seed (`audit_key`, 64 hex digits), else the one
/// kept in `<data_dir>/audit-signing.key`, made on first use.
pub fn signing_key(settings: &super::config::Settings) -> Result<SigningKey, AppError> {
    let from_hex = |h: &str| -> Option<SigningKey> {
        let h = h.trim();
        if h.len() != 64 || !h.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let mut seed = [0u8; 32];
        for (i, b) in seed.iter_mut().enumerate() {
            *b = u8::from_str_radix(&h[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(SigningKey::from_bytes(&seed))
    };
    if let Some(k) = &settings.audit_key {
        return from_hex(k).ok_or_else(|| AppError::internal("audit_key: expected 64 hex digits"));
    }
    let path = settings.data_dir.join("audit-signing.key");
    if let Ok(text) = std::fs::read_to_string(&path) {
        return from_hex(&text).ok_or_else(|| AppError::internal(format!("{}: not a key", path.display())));
    }
    let key = SigningKey::generate(&mut rand::rngs::OsRng);
    std::fs::create_dir_all(&settings.data_dir).map_err(AppError::internal)?;
    std::fs::write(&path, super::auth::hex(&key.to_bytes())).map_err(AppError::internal)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
    }
    tracing::warn!(path = %path.display(), "made an audit signing key: configure TONGBAN_AUDIT_KEY in production and keep its public half elsewhere");
    Ok(key)
}

/// What an anchor's signature covers, one field a line.
pub fn anchor_message(first: i32, last: i32, events: i64, root: &str, prev: &str) -> String {
    format!("tongban-audit-anchor-v1\n{first}\n{last}\n{events}\n{root}\n{prev}\n")
}

/// The digest the next anchor points at.
fn anchor_digest(a: &audit_anchor::Model) -> String {
    let m = anchor_message(a.first_event_id, a.last_event_id, a.events, &a.root, &a.prev);
    super::auth::hex(&Sha256::digest(format!("{m}{}\n{}", a.public_key, a.signature).as_bytes()))
}

/// The root over the events with ids in `first..=last`: SHA-256 chained over each one's id and
/// hash, in id order; and how many there are.
async fn events_root(db: &impl ConnectionTrait, first: i32, last: i32) -> Result<(String, i64), AppError> {
    const PAGE: u64 = 5000;
    let mut root = String::new();
    let (mut n, mut after) = (0i64, first - 1);
    loop {
        let rows: Vec<(i32, String)> = case_event::Entity::find()
            .select_only()
            .column(case_event::Column::Id)
            .column(case_event::Column::Hash)
            .filter(case_event::Column::Id.gt(after))
            .filter(case_event::Column::Id.lte(last))
            .order_by_asc(case_event::Column::Id)
            .limit(PAGE)
            .into_tuple()
            .all(db)
            .await?;
        let Some(&(tail, _)) = rows.last() else { break };
        for (id, hash) in rows {
            root = super::auth::hex(&Sha256::digest(format!("{root}:{id}:{hash}").as_bytes()));
            n += 1;
        }
        after = tail;
    }
    Ok((root, n))
}

/// Seals the events written since the last anchor and at least a minute ago (a transaction still
/// writing has finished by then), signs the seal and keeps a copy in `<data_dir>/anchors/`.
/// `None` when there is nothing new to seal.
pub async fn anchor(
    db: &DatabaseConnection,
    settings: &super::config::Settings,
    now: DateTime<Utc>,
) -> Result<Option<audit_anchor::Model>, AppError> {
    let key = signing_key(settings)?;
    let before = audit_anchor::Entity::find().order_by_desc(audit_anchor::Column::Id).one(db).await?;
    let first = before.as_ref().map_or(1, |a| a.last_event_id + 1);
    let last: Option<i32> = case_event::Entity::find()
        .select_only()
        .column_as(case_event::Column::Id.max(), "m")
        .filter(case_event::Column::Id.gte(first))
        .filter(case_event::Column::At.lt(now - chrono::Duration::minutes(1)))
        .into_tuple::<Option<i32>>()
        .one(db)
        .await?
        .flatten();
    let Some(last) = last else { return Ok(None) };
    let (root, events) = events_root(db, first, last).await?;
    let prev = before.as_ref().map(anchor_digest).unwrap_or_default();
    let message = anchor_message(first, last, events, &root, &prev);
    let signature = super::auth::hex(&key.sign(message.as_bytes()).to_bytes());
    let public_key = super::auth::hex(key.verifying_key().as_bytes());
    let a = audit_anchor::ActiveModel {
        at: Set(now),
        first_event_id: Set(first),
        last_event_id: Set(last),
        events: Set(events),
        root: Set(root),
        prev: Set(prev),
        public_key: Set(public_key.clone()),
        signature: Set(signature.clone()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    // the export: a copy outside the database, one file per anchor
    let dir = settings.data_dir.join("anchors");
    let file = dir.join(format!("{}-{:06}.txt", (now + chrono::Duration::hours(8)).date_naive(), a.id));
    let text = format!("{message}public_key {public_key}\nsignature {signature}\n");
    if let Err(e) = std::fs::create_dir_all(&dir).and_then(|_| std::fs::write(&file, text)) {
        tracing::warn!(error = %e, file = %file.display(), "could not export the audit anchor");
    }
    Ok(Some(a))
}

/// Anchors once a day: when the newest is older than a day (or there is none).
pub async fn anchor_if_due(
    db: &DatabaseConnection,
    settings: &super::config::Settings,
    now: DateTime<Utc>,
) -> Result<Option<audit_anchor::Model>, AppError> {
    let newest = audit_anchor::Entity::find().order_by_desc(audit_anchor::Column::Id).one(db).await?;
    if newest.is_some_and(|a| now - a.at < chrono::Duration::hours(24)) {
        return Ok(None);
    }
    anchor(db, settings, now).await
}

/// Checks every anchor in order: it follows on from the one before (ids and digest), its
/// signature holds (by `key` when given, which must be the one that signed), and the events it
/// sealed are still there, unchanged, all of them. Returns how many were checked and the first
/// that does not hold.
pub async fn verify_anchors(
    db: &impl ConnectionTrait,
    key: Option<&VerifyingKey>,
) -> Result<(u64, Option<String>), AppError> {
    let mut n = 0u64;
    let mut before: Option<audit_anchor::Model> = None;
    let anchors = audit_anchor::Entity::find().order_by_asc(audit_anchor::Column::Id).all(db).await?;
    for a in anchors {
        n += 1;
        let at =
            |what: &str| Some(format!("anchor {} (events {}–{}): {what}", a.id, a.first_event_id, a.last_event_id));
        let expected_first = before.as_ref().map_or(1, |b| b.last_event_id + 1);
        let expected_prev = before.as_ref().map(anchor_digest).unwrap_or_default();
        if a.first_event_id != expected_first || a.prev != expected_prev {
            return Ok((n, at("does not follow on from the anchor before (one removed or changed)")));
        }
        let signer = match key {
            Some(k) if super::auth::hex(k.as_bytes()) != a.public_key => {
                return Ok((n, at("signed with another key than the configured one")));
            }
            Some(k) => *k,
            None => match parse_verifying_key(&a.public_key) {
                Some(k) => k,
                None => return Ok((n, at("its public key is not a key"))),
            },
        };
        let message = anchor_message(a.first_event_id, a.last_event_id, a.events, &a.root, &a.prev);
        let signature = from_hex_vec(&a.signature)
            .and_then(|b| <[u8; 64]>::try_from(b).ok())
            .map(|b| ed25519_dalek::Signature::from_bytes(&b));
        if signature.is_none_or(|s| signer.verify(message.as_bytes(), &s).is_err()) {
            return Ok((n, at("its signature does not hold")));
        }
        let (root, events) = events_root(db, a.first_event_id, a.last_event_id).await?;
        if events != a.events {
            return Ok((n, at(&format!("sealed {} events, {} are left (events or a case deleted)", a.events, events))));
        }
        if root != a.root {
            return Ok((n, at("the sealed events were changed")));
        }
        before = Some(a);
    }
    Ok((n, None))
}

fn from_hex_vec(h: &str) -> Option<Vec<u8>> {
    if !h.len().is_multiple_of(2) {
        return None;
    }
    (0..h.len()).step_by(2).map(|i| u8::from_str_radix(h.get(i..i + 2)?, 16).ok()).collect()
}

/// A public key from its hex form.
pub fn parse_verifying_key(h: &str) -> Option<VerifyingKey> {
    let b = <[u8; 32]>::try_from(from_hex_vec(h)?).ok()?;
    VerifyingKey::from_bytes(&b).ok()
}

/// Hashes events written before the chain existed (rows with an empty hash), in order, so a
/// database upgraded in place verifies. Returns how many were sealed.
pub async fn seal_unhashed(db: &DatabaseConnection) -> Result<u64, AppError> {
    let mut sealed = 0u64;
    loop {
        let case_ids: Vec<i32> = case_event::Entity::find()
            .select_only()
            .column(case_event::Column::CaseId)
            .filter(case_event::Column::Hash.eq(""))
            .distinct()
            .limit(500)
            .into_tuple()
            .all(db)
            .await?;
        if case_ids.is_empty() {
            return Ok(sealed);
        }
        let tx = db.begin().await?;
        for id in case_ids {
            let rows = case_event::Entity::find()
                .filter(case_event::Column::CaseId.eq(id))
                .order_by_asc(case_event::Column::Seq)
                .all(&tx)
                .await?;
            let mut prev_hash = String::new();
            for mut e in rows {
                if e.hash.is_empty() {
                    e.prev_hash = prev_hash.clone();
                    e.hash = digest(&e);
                    case_event::Entity::update_many()
                        .col_expr(case_event::Column::PrevHash, Expr::value(e.prev_hash.clone()))
                        .col_expr(case_event::Column::Hash, Expr::value(e.hash.clone()))
                        .filter(case_event::Column::Id.eq(e.id))
                        .exec(&tx)
                        .await?;
                    sealed += 1;
                }
                prev_hash = e.hash;
            }
        }
        tx.commit().await?;
    }
}

/// Logs that a member of staff saw a case's personal data.
pub async fn log_read(db: &impl ConnectionTrait, staff_id: i32, case_id: i32, what: &str) -> Result<(), AppError> {
    staff_read::ActiveModel {
        staff_id: Set(staff_id),
        case_id: Set(case_id),
        what: Set(what.chars().take(32).collect()),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Who a security event is about, as the security log names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Staff(i32),
    Applicant(i32),
    /// An `/api/v1` token, by its id.
    Token(i32),
    Anonymous,
}

impl Who {
    pub fn of(user: Option<&crate::models::SessionUser>) -> Who {
        match user {
            Some(crate::models::SessionUser::Staff { id, .. }) => Who::Staff(*id),
            Some(crate::models::SessionUser::Applicant { id, .. }) => Who::Applicant(*id),
            None => Who::Anonymous,
        }
    }

    fn parts(self) -> (&'static str, Option<i32>) {
        match self {
            Who::Staff(id) => ("staff", Some(id)),
            Who::Applicant(id) => ("applicant", Some(id)),
            Who::Token(id) => ("token", Some(id)),
            Who::Anonymous => ("anonymous", None),
        }
    }
}

/// How a security event ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// Not allowed (a policy said no).
    Refused,
    /// Wrong credentials, a bad code.
    Failed,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Refused => "refused",
            Outcome::Failed => "failed",
        }
    }

    /// The outcome of a result: a refusal by policy (a throttle's included), a failure, or done.
    pub fn of<T>(r: &Result<T, AppError>) -> Outcome {
        match r {
            Ok(_) => Outcome::Ok,
            Err(AppError::Forbidden | AppError::Unauthorized | AppError::RateLimited { .. }) => Outcome::Refused,
            Err(_) => Outcome::Failed,
        }
    }
}

/// One security event: who, what (`login`, `admin.role_add`, `token.use`, `lookup.id_number`…),
/// on what (never a full ID number or mobile: masked, or a row id), how it ended, from where.
#[derive(Debug, Clone)]
pub struct SecurityEvent<'a> {
    pub who: Who,
    pub event: &'a str,
    pub target: String,
    pub outcome: Outcome,
    pub address: &'a str,
    pub detail: String,
}

/// `done`, once written to the security log as `event` of `who` on `target` from `address`, its
/// outcome read from it (a log that cannot be written fails the request).
pub async fn logged<T>(
    db: &impl ConnectionTrait,
    who: Who,
    event: &str,
    target: String,
    address: &str,
    done: Result<T, AppError>,
) -> Result<T, AppError> {
    let e = SecurityEvent { who, event, target, outcome: Outcome::of(&done), address, detail: String::new() };
    security(db, e).await?;
    done
}

/// Writes a security event to the log (ASVS V7). A failure to log is an error of the request: an
/// action that cannot be logged is not done silently.
pub async fn security(db: &impl ConnectionTrait, e: SecurityEvent<'_>) -> Result<(), AppError> {
    let (kind, id) = e.who.parts();
    security_log::ActiveModel {
        at: Set(Utc::now()),
        actor_kind: Set(kind.into()),
        actor_id: Set(id),
        event: Set(e.event.chars().take(32).collect()),
        target: Set(e.target.chars().take(96).collect()),
        outcome: Set(e.outcome.code().into()),
        address: Set(e.address.chars().take(64).collect()),
        detail: Set(e.detail.chars().take(256).collect()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

#[cfg(test)]
#[path = "audit_tests.rs"]
mod tests;
