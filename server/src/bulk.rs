//! `tongban seed --bulk N`: N realistic cases for load tests — spread over the demo items and
//! departments, submitted over the last half year, in the states a real service centre holds
//! (mostly closed, a quarter in review, some waiting for acceptance, corrections, payment…), with
//! due dates from the rules crate, valid case numbers, walk-in applicants with valid ID numbers,
//! and their submit / accept events. Deterministic (a fixed seed), inserted in batches.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, Utc};
use rules::deadline::{self, TimeLimit};
use rules::item::ItemRules;
use rules::supervision::Term;
use rules::{Calendar, CaseNo, CaseState, Channel, EventKind, Role};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, TransactionTrait};

use app::server::audit;
use app::server::entities::{applicant, case, case_counter, case_event, department, item};
use app::server::error::AppError;

/// splitmix64: small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// (state, weight in ‰): a service centre's mix of open and finished cases.
const STATES: &[(&str, u64)] = &[
    ("submitted", 90),
    ("awaiting_correction", 40),
    ("accepted", 30),
    ("in_review", 250),
    ("suspended", 30),
    ("decided_grant", 20),
    ("decided_deny", 10),
    ("awaiting_payment", 20),
    ("ready_for_delivery", 30),
    ("delivered", 70),
    ("closed", 360),
    ("not_accepted", 30),
    ("withdrawn", 20),
];

const SURNAMES: &[&str] =
    &["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭"];
const GIVEN: &[&str] =
    &["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明"];

/// A valid resident ID number for index `i` (area 110105, birth dates 1950–2004, sequence).
fn id_number(i: u64) -> String {
    let birth = NaiveDate::from_ymd_opt(1950, 1, 1).unwrap_or_default() + Duration::days((i % 20_000) as i64);
    let seq = (i / 20_000) % 1000;
    let body = format!("110105{}{seq:03}", birth.format("%Y%m%d"));
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body.chars().zip(W).map(|(c, w)| c.to_digit(10).unwrap_or(0) * w).sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{body}{check}")
}

pub struct BulkReport {
    pub cases: u64,
    pub applicants: u64,
    pub events: u64,
    pub seconds: f64,
}

/// Inserts `n` cases (and one walk-in applicant per four cases). Needs the demo catalog.
pub async fn seed_bulk(
    db: &DatabaseConnection,
    cal: &Calendar,
    n: u64,
    today: NaiveDate,
    progress: impl Fn(u64),
) -> Result<BulkReport, AppError> {
    let started = std::time::Instant::now();
    let items: Vec<(item::Model, ItemRules, String)> = {
        let deps: BTreeMap<i32, String> =
            department::Entity::find().all(db).await?.into_iter().map(|d| (d.id, d.code)).collect();
        let mut v = Vec::new();
        for it in item::Entity::find().filter(sea_orm::ColumnTrait::eq(&item::Column::Published, true)).all(db).await? {
            let rules: ItemRules = it.rules.clone();
            let code = deps.get(&it.department_id).cloned().unwrap_or_default();
            v.push((it, rules, code));
        }
        v
    };
    if items.is_empty() {
        return Err(AppError::internal("no published items: run `tongban seed --demo` first"));
    }
    let mut rng = Rng(0x7B_2026);
    let applicants = n.div_ceil(4).max(1);
    let first_applicant = max_id(db, "applicants").await? + 1;
    let now = Utc::now();
    const BATCH: u64 = 500;
    // Applicants: walk-ins without a password, ID numbers after the ones already there.
    let mut i = 0;
    while i < applicants {
        let tx = db.begin().await?;
        let end = (i + 10_000).min(applicants);
        while i < end {
            let chunk = (i..(i + BATCH).min(end)).map(|k| {
                let name = format!(
                    "{}{}{}",
                    SURNAMES[(k % SURNAMES.len() as u64) as usize],
                    GIVEN[((k / 16) % GIVEN.len() as u64) as usize],
                    GIVEN[((k / 256) % GIVEN.len() as u64) as usize]
                );
                applicant::ActiveModel {
                    kind: Set(rules::materials::ApplicantKind::Person),
                    name: Set(name),
                    id_card_no: Set(Some(id_number(k + 7_000_000))),
                    credit_code: Set(None),
                    contact_name: Set(None),
                    mobile: Set(format!("137{:08}", k)),
                    password_hash: Set(None),
                    created_at: Set(now),
                    ..Default::default()
                }
            });
            applicant::Entity::insert_many(chunk).exec_without_returning(&tx).await?;
            i = (i + BATCH).min(end);
        }
        tx.commit().await?;
    }
    // Cases, with their numbers, due dates and events.
    let total: u64 = STATES.iter().map(|(_, w)| w).sum();
    let mut counters: BTreeMap<(i32, NaiveDate), u32> = BTreeMap::new();
    for c in case_counter::Entity::find().all(db).await? {
        counters.insert((c.department_id, c.day), c.last_seq as u32);
    }
    let mut first_case = max_id(db, "cases").await? + 1;
    let mut events = 0u64;
    let mut done = 0u64;
    while done < n {
        let tx = db.begin().await?;
        let end = (done + 10_000).min(n);
        while done < end {
            let size = BATCH.min(end - done);
            let mut rows = Vec::with_capacity(size as usize);
            let mut evs = Vec::with_capacity(size as usize * 2);
            for k in 0..size {
                let id = first_case + k as i32;
                let (it, rules, dep_code) = &items[rng.below(items.len() as u64) as usize];
                let mut pick = rng.below(total);
                let state = STATES
                    .iter()
                    .find(|(_, w)| {
                        if pick < *w {
                            true
                        } else {
                            pick -= w;
                            false
                        }
                    })
                    .map(|(s, _)| *s)
                    .unwrap_or("closed");
                // A filing knows no correction notice: it is concluded from its receipt.
                let filing = rules.kind == rules::item::ItemKind::Filing;
                let state = if filing && state == "awaiting_correction" { "submitted" } else { state };
                // open cases are recent; finished ones spread over half a year
                let back = if matches!(state, "closed" | "delivered" | "not_accepted" | "withdrawn") {
                    rng.below(180)
                } else {
                    rng.below(30)
                };
                let submitted = cal.nth_working_day_after(today - Duration::days(back as i64 + 1), 0).unwrap_or(today);
                let submitted = if submitted > today { today } else { submitted };
                let seq = counters.entry((it.department_id, submitted)).or_insert(0);
                *seq += 1;
                let case_no = CaseNo::new(dep_code, submitted, *seq).map_err(AppError::internal)?.to_string();
                let accepted = !matches!(state, "submitted" | "awaiting_correction" | "not_accepted" | "withdrawn");
                let accepted_on = accepted.then_some(submitted);
                let due = match state {
                    "submitted" if filing => {
                        deadline::due_date(cal, submitted, rules.decision_limit(), &[], today).ok()
                    }
                    "submitted" => deadline::acceptance_window_end(cal, submitted).ok(),
                    "awaiting_correction" => deadline::due_date(cal, submitted, rules.correction_term, &[], today).ok(),
                    // the fee notice went out on the day of submission (as the clerk's transition sets it)
                    "awaiting_payment" => {
                        deadline::fee_due(cal, submitted, rules.fee_term.unwrap_or(TimeLimit::working(10))).ok()
                    }
                    // decided the day of submission: the delivery term runs
                    "decided_grant" | "decided_deny" | "ready_for_delivery" => {
                        deadline::delivery_after_decision_due(cal, submitted).ok()
                    }
                    _ if accepted => deadline::due_date(cal, submitted, rules.decision_limit(), &[], today).ok(),
                    _ => None,
                };
                let at = submitted.and_hms_opt(2, 0, 0).unwrap_or_default().and_utc();
                let case_state = CaseState::decode(state).map_err(AppError::internal)?;
                let mut row = case::ActiveModel {
                    id: Set(id),
                    case_no: Set(Some(case_no)),
                    item_id: Set(it.id),
                    item_version: Set(it.version),
                    department_id: Set(it.department_id),
                    applicant_id: Set(first_applicant + rng.below(applicants) as i32),
                    state: Set(case_state),
                    version: Set(if accepted { 2 } else { 1 }),
                    answers: Set(Default::default()),
                    created_at: Set(at),
                    updated_at: Set(at),
                    submitted_at: Set(Some(at)),
                    accepted_on: Set(accepted_on),
                    due_on: Set(due),
                    correction_due: Set((state == "awaiting_correction").then_some(due).flatten()),
                    extended: Set(false),
                    fee_due: Set((state == "awaiting_payment").then_some(due).flatten()),
                    assignee_id: Set(None),
                    channel: Set(if rng.below(5) == 0 { Channel::Counter } else { Channel::Online }),
                    intake_staff_id: Set(None),
                    received_on: Set(Some(submitted)),
                    deemed_accepted_on: Set(None),
                    supplement_due: Set(None),
                    supplement_overdue: Set(false),
                    closed_on: Set(None),
                    days_used: Set(None),
                    closed_on_time: Set(false),
                    closed_early: Set(false),
                    closed_same_day: Set(false),
                    due_for: Set(due
                        .and(if filing && state == "submitted" {
                            Some(&Term::Decision)
                        } else {
                            Term::of(case_state).first()
                        })
                        .copied()),
                    decided_on: Set(None),
                    decision_due: Set(None),
                    delivered_on: Set(None),
                    delivered_late: Set(false),
                    bundle_application_id: Set(None),
                };
                // a closed case was decided, delivered and closed the day it was last changed
                // (the day of submission here)
                if matches!(state, "decided_grant" | "decided_deny" | "ready_for_delivery" | "awaiting_payment") {
                    let decision_due = deadline::due_date(cal, submitted, rules.decision_limit(), &[], today).ok();
                    app::server::cases::set_verdict(
                        &mut row,
                        app::server::cases::verdict(cal, accepted_on, decision_due, submitted, &[]),
                    );
                    row.decided_on = Set(Some(submitted));
                    row.decision_due = Set(decision_due);
                }
                if matches!(state, "closed" | "delivered") {
                    let v = app::server::cases::verdict(cal, accepted_on, due, submitted, &[]);
                    app::server::cases::set_verdict(&mut row, v);
                    row.decided_on = Set(Some(submitted));
                    row.decision_due = Set(due);
                    row.delivered_on = Set(Some(submitted));
                    row.closed_on = Set((state == "closed").then_some(submitted));
                }
                if state == "not_accepted" {
                    row.decided_on = Set(Some(submitted));
                }
                rows.push(row);
                let ev = |action, from, to, staff: bool, prev: Option<&case_event::Model>| {
                    audit::chained(
                        audit::NewEvent {
                            case_id: id,
                            action,
                            from_state: from,
                            to_state: to,
                            actor_kind: if staff { "staff" } else { "applicant" }.into(),
                            actor_id: 0,
                            role: if staff { Role::WindowClerk } else { Role::Applicant },
                            comment: String::new(),
                            internal: false,
                            on_day: submitted,
                        },
                        prev,
                        at,
                    )
                };
                let first = ev(EventKind::Submit, CaseState::Draft, CaseState::Submitted, false, None);
                if accepted {
                    let second = ev(EventKind::Accept, CaseState::Submitted, CaseState::Accepted, true, Some(&first));
                    evs.push(audit::active(first));
                    evs.push(audit::active(second));
                } else {
                    evs.push(audit::active(first));
                }
            }
            events += evs.len() as u64;
            case::Entity::insert_many(rows).exec_without_returning(&tx).await?;
            case_event::Entity::insert_many(evs).exec_without_returning(&tx).await?;
            first_case += size as i32;
            done += size;
        }
        tx.commit().await?;
        progress(done);
    }
    // The case-number counters and the bucket counts follow what was inserted.
    let tx = db.begin().await?;
    for ((dep, day), last) in counters {
        case_counter::Entity::insert(case_counter::ActiveModel {
            department_id: Set(dep),
            day: Set(day),
            last_seq: Set(last as i32),
        })
        .on_conflict(
            OnConflict::columns([case_counter::Column::DepartmentId, case_counter::Column::Day])
                .update_column(case_counter::Column::LastSeq)
                .to_owned(),
        )
        .exec_without_returning(&tx)
        .await?;
    }
    tx.execute_unprepared("DELETE FROM state_counts").await?;
    tx.execute_unprepared(
        "INSERT INTO state_counts (department_id, state, n) \
         SELECT department_id, state, COUNT(*) FROM cases WHERE state <> 'draft' GROUP BY department_id, state",
    )
    .await?;
    tx.commit().await?;
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        // explicit ids were inserted: move the sequences past them
        for t in ["cases", "applicants"] {
            db.execute_unprepared(&format!(
                "SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT MAX(id) FROM {t}))"
            ))
            .await?;
        }
        db.execute_unprepared("ANALYZE").await?;
    } else {
        db.execute_unprepared("ANALYZE").await?;
    }
    Ok(BulkReport { cases: n, applicants, events, seconds: started.elapsed().as_secs_f64() })
}

async fn max_id(db: &impl ConnectionTrait, table: &str) -> Result<i32, AppError> {
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COALESCE(MAX(id), 0) AS m FROM {table}"),
        ))
        .await?;
    Ok(row.and_then(|r| r.try_get::<i32>("", "m").ok()).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_id_numbers_are_valid_and_distinct() {
        let mut seen = std::collections::BTreeSet::new();
        for i in [0u64, 1, 19_999, 20_000, 7_000_000, 7_250_000, 19_999_999] {
            let s = id_number(i);
            assert!(s.parse::<rules::IdCardNo>().is_ok(), "{s}");
            assert!(seen.insert(s));
        }
    }
}
