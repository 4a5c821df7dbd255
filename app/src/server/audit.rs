//! The audit trail: every case event carries the hash of the case's previous event, so an event
//! edited, removed or inserted directly in the database breaks the chain; `tongban audit verify`
//! and the supervisor's page recompute it. Staff reads of personal data are logged here too.

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::entities::{case, case_event, security_log, staff_read};
use super::error::AppError;

/// An event to append (everything but its place in the chain).
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub case_id: i32,
    pub action: String,
    pub from_state: String,
    pub to_state: String,
    pub actor_kind: String,
    pub actor_id: i32,
    pub role: String,
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
        &e.action,
        &e.from_state,
        &e.to_state,
        &e.actor_kind,
        &e.actor_id.to_string(),
        &e.role,
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
    pub millis: u128,
}

/// Recomputes every case's chain in (case, seq) order, a page at a time, and reports the first
/// broken link: a row whose fields no longer match its hash, a row that does not point at the
/// hash of the one before it, or a gap in the sequence (a removed row).
pub async fn verify(db: &DatabaseConnection) -> Result<Verification, AppError> {
    const PAGE: u64 = 5000;
    let start = std::time::Instant::now();
    let (mut events, mut cases) = (0u64, 0u64);
    let mut prev: Option<case_event::Model> = None;
    let mut after: Option<(i32, i32)> = None;
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
        if rows.is_empty() {
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
            let reason = if e.seq != expected_seq {
                Some("missing event (sequence gap)")
            } else if e.prev_hash != expected_prev {
                Some("does not point at the previous event")
            } else if digest(e) != e.hash {
                Some("content does not match its hash")
            } else {
                None
            };
            if let Some(reason) = reason {
                let case_no = case::Entity::find_by_id(e.case_id).one(db).await?.and_then(|c| c.case_no);
                return Ok(Verification {
                    events,
                    cases,
                    first_break: Some(Break { case_id: e.case_id, case_no, event_id: e.id, seq: e.seq, reason }),
                    millis: start.elapsed().as_millis(),
                });
            }
            prev = Some(e.clone());
        }
        after = rows.last().map(|e| (e.case_id, e.seq));
    }
    Ok(Verification { events, cases, first_break: None, millis: start.elapsed().as_millis() })
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

    /// The outcome of a result: a refusal by policy, a failure, or done.
    pub fn of<T>(r: &Result<T, AppError>) -> Outcome {
        match r {
            Ok(_) => Outcome::Ok,
            Err(AppError::Forbidden | AppError::Unauthorized) => Outcome::Refused,
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
mod tests {
    use super::*;

    fn ev(action: &str) -> NewEvent {
        NewEvent {
            case_id: 7,
            action: action.into(),
            from_state: "a".into(),
            to_state: "b".into(),
            actor_kind: "staff".into(),
            actor_id: 3,
            role: "reviewer".into(),
            comment: "意见".into(),
            internal: false,
            on_day: chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
        }
    }

    #[test]
    fn chain_links_and_detects_edits() {
        let at = Utc::now();
        let a = chained(ev("submit"), None, at);
        let b = chained(ev("accept"), Some(&a), at);
        assert_eq!(a.seq, 1);
        assert_eq!(b.seq, 2);
        assert_eq!(b.prev_hash, a.hash);
        assert_eq!(digest(&b), b.hash);
        assert_eq!(a.hash.len(), 64);
        // Any field edited → the hash no longer matches.
        for edit in [
            |m: &mut case_event::Model| m.comment.push('!'),
            |m: &mut case_event::Model| m.actor_id += 1,
            |m: &mut case_event::Model| m.internal = !m.internal,
            |m: &mut case_event::Model| m.on_day = m.on_day.succ_opt().unwrap(),
            |m: &mut case_event::Model| m.at += chrono::Duration::microseconds(1),
        ] {
            let mut c = b.clone();
            edit(&mut c);
            assert_ne!(digest(&c), b.hash);
        }
        // Length prefixes: moving text between fields changes the hash.
        let mut c = b.clone();
        c.action = "accep".into();
        c.from_state = "ta".into();
        assert_ne!(digest(&c), b.hash);
    }
}
