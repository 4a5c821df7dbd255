//! The back office as services: queues per role and department (keyset pages sorted by the
//! current deadline), the staff view of a case, and every staff action through
//! [`super::cases::apply`] with the role the caller holds in the case's department.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rules::case::{Action, CaseState, DecisionKind};
use rules::item::ItemRules;
use rules::materials::{correction_notice, Answers, ApplicantKind, ClerkFinding, FileType, ProvidedFile};
use rules::{Calendar, Lang, Role};
use sea_orm::sea_query::Condition;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::auth::PrincipalKind;
use super::cases::documents::{file_view, files_of, issue_result_document, results_of};
use super::cases::{self, Actor, Change};
use super::entities::{applicant, case, case_request, case_task, department, item, staff, state_count};
use super::error::AppError;
use crate::models::{
    bucket_states, MaterialCheck, QueuePage, QueueRow, RequestView, SessionUser, StaffCase, StaffEvent, TaskView,
    BUCKETS,
};

pub const QUEUE_PAGE_SIZE: u64 = 50;

/// Remedies stated in every refusal (行政许可法 第三十八条, 行政复议法, 行政诉讼法).
pub const REMEDIES: &str =
    "如不服本决定，可以自收到本决定之日起六十日内依法申请行政复议，或者自收到本决定之日起六个月内依法提起行政诉讼。";

/// A required field: blank → `msg` next to `field`.
fn need(v: &str, field: &str, msg: &str) -> Result<(), AppError> {
    if v.trim().is_empty() {
        Err(AppError::field(field, msg))
    } else {
        Ok(())
    }
}

/// The departments in which the caller holds any staff role.
fn departments_of(user: Option<&SessionUser>) -> Result<Vec<i32>, AppError> {
    let mut d = super::guard::require_staff(user, &[], None)?;
    d.sort();
    d.dedup();
    Ok(d)
}

fn roles_in(user: &SessionUser, department: i32) -> Vec<Role> {
    match user {
        SessionUser::Staff { roles, .. } => {
            roles.iter().filter(|r| r.department_id == department).map(|r| r.role).collect()
        }
        _ => vec![],
    }
}

fn parse_cursor(s: &str) -> Option<(NaiveDate, i32)> {
    let (d, id) = s.split_once('_')?;
    Some((d.parse().ok()?, id.parse().ok()?))
}

/// Open review states: what "assigned to me" lists.
const REVIEW_STATES: [&str; 3] = ["accepted", "in_review", "suspended"];

/// The (department, role) pairs the caller holds.
fn held(user: Option<&SessionUser>) -> Vec<(i32, Role)> {
    match user {
        Some(SessionUser::Staff { roles, .. }) => roles.iter().map(|r| (r.department_id, r.role)).collect(),
        _ => vec![],
    }
}

fn staff_id_of(user: Option<&SessionUser>) -> i32 {
    match user {
        Some(SessionUser::Staff { id, .. }) => *id,
        _ => 0,
    }
}

/// Open tasks (opened, not answered) that the caller's department and role must answer.
fn open_tasks_for(pairs: &[(i32, Role)]) -> Condition {
    let mut any = Condition::any();
    for (d, r) in pairs {
        any = any.add(
            Condition::all().add(case_task::Column::DepartmentId.eq(*d)).add(case_task::Column::Role.eq(r.as_str())),
        );
    }
    Condition::all()
        .add(any)
        .add(case_task::Column::OpenedOn.is_not_null())
        .add(case_task::Column::AnsweredOn.is_null())
}

/// Pending requests on cases of the departments where the caller approves.
async fn pending_requests(
    db: &impl ConnectionTrait,
    pairs: &[(i32, Role)],
) -> Result<Vec<(case_request::Model, case::Model)>, AppError> {
    let approves: BTreeSet<i32> = pairs.iter().filter(|(_, r)| *r == Role::Approver).map(|(d, _)| *d).collect();
    if approves.is_empty() {
        return Ok(vec![]);
    }
    let reqs = case_request::Entity::find()
        .filter(case_request::Column::Status.eq("pending"))
        .order_by_asc(case_request::Column::Id)
        .limit(500)
        .all(db)
        .await?;
    let ids = reqs.iter().map(|r| r.case_id);
    let cases = cases_by_id(db, ids, Condition::all().add(case::Column::DepartmentId.is_in(approves))).await?;
    Ok(reqs.into_iter().filter_map(|r| cases.get(&r.case_id).cloned().map(|c| (r, c))).collect())
}

/// The cases with these ids that also meet `and`, by id.
async fn cases_by_id(
    db: &impl ConnectionTrait,
    ids: impl Iterator<Item = i32>,
    and: Condition,
) -> Result<BTreeMap<i32, case::Model>, AppError> {
    let ids: Vec<i32> = ids.collect();
    Ok(case::Entity::find()
        .filter(case::Column::Id.is_in(ids))
        .filter(and)
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect())
}

/// Bucket counts: the state buckets from `state_counts` (kept by every transition, so O(1) at any
/// size), the personal ones by their indexes.
async fn bucket_counts(
    db: &impl ConnectionTrait,
    deps: &[i32],
    pairs: &[(i32, Role)],
    me: i32,
) -> Result<Vec<(String, u64)>, AppError> {
    let per_state: Vec<(String, i64)> = state_count::Entity::find()
        .filter(state_count::Column::DepartmentId.is_in(deps.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.state, r.n))
        .collect();
    let mut counts = Vec::new();
    for b in BUCKETS {
        let n = match b {
            // (no query for a bucket the caller's roles never fill)
            "mine" if !pairs.iter().any(|(_, r)| *r == Role::Reviewer) => 0,
            "opinions"
                if !pairs.iter().any(|(_, r)| matches!(r, Role::Reviewer | Role::Approver | Role::CoReviewer)) =>
            {
                0
            }
            "mine" => {
                case::Entity::find()
                    .filter(case::Column::AssigneeId.eq(me))
                    .filter(case::Column::State.is_in(REVIEW_STATES))
                    .count(db)
                    .await?
            }
            "opinions" => case_task::Entity::find().filter(open_tasks_for(pairs)).count(db).await?,
            "approvals" => pending_requests(db, pairs).await?.len() as u64,
            _ => {
                let states = bucket_states(b);
                per_state.iter().filter(|(s, _)| states.contains(&s.as_str())).map(|(_, n)| (*n).max(0) as u64).sum()
            }
        };
        counts.push((b.to_string(), n));
    }
    Ok(counts)
}

/// Queue rows for cases, with item, applicant and department names loaded in one query each.
async fn rows_for(
    db: &impl ConnectionTrait,
    cal: &Calendar,
    cases: Vec<(case::Model, Option<NaiveDate>, String)>,
    today: NaiveDate,
) -> Result<Vec<QueueRow>, AppError> {
    let item_ids: BTreeSet<i32> = cases.iter().map(|(c, _, _)| c.item_id).collect();
    let applicant_ids: BTreeSet<i32> = cases.iter().map(|(c, _, _)| c.applicant_id).collect();
    let mut items: BTreeMap<i32, (String, u32)> = BTreeMap::new();
    for it in item::Entity::find().filter(item::Column::Id.is_in(item_ids)).all(db).await? {
        let rules: ItemRules = serde_json::from_str(&it.rules).map_err(AppError::internal)?;
        items.insert(it.id, (it.name, rules.warning_days));
    }
    let names: BTreeMap<i32, String> = applicant::Entity::find()
        .filter(applicant::Column::Id.is_in(applicant_ids))
        .select_only()
        .column(applicant::Column::Id)
        .column(applicant::Column::Name)
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let dep_names: BTreeMap<i32, String> =
        department::Entity::find().all(db).await?.into_iter().map(|d| (d.id, d.name)).collect();
    let mut out = Vec::with_capacity(cases.len());
    for (c, due, waiting) in cases {
        let (item_name, warn_days) = items.get(&c.item_id).cloned().unwrap_or_default();
        let state = CaseState::from_code(&c.state).ok_or_else(|| AppError::internal("unknown case state"))?;
        let due = due.or(c.due_on);
        let status = due.and_then(|d| rules::deadline::warning(cal, d, today, warn_days).ok());
        out.push(QueueRow {
            id: c.id,
            case_no: c.case_no.clone().unwrap_or_default(),
            item_name,
            applicant: names.get(&c.applicant_id).cloned().unwrap_or_default(),
            department: dep_names.get(&c.department_id).cloned().unwrap_or_default(),
            state,
            due,
            warning: status.map(|s| s.level),
            remaining: status.map(|s| s.remaining),
            waiting,
        });
    }
    Ok(out)
}

fn keyset<C: ColumnTrait>(cursor: &str, due: C, id: C) -> Option<Condition> {
    let (d, i) = parse_cursor(cursor)?;
    Some(Condition::any().add(due.gt(d)).add(Condition::all().add(due.eq(d)).add(id.gt(i))))
}

/// One page of a queue for the caller's departments: cases in the bucket's states, by due date
/// then id, after `cursor`; `search` matches the case number or the applicant's name.
/// What a queue page asks for: the bucket, words to find, the keyset cursor, an item code.
#[derive(Debug, Clone, Copy, Default)]
pub struct QueueQuery<'a> {
    pub bucket: &'a str,
    pub search: &'a str,
    pub cursor: &'a str,
    pub item: &'a str,
}

pub async fn queue(
    db: &impl ConnectionTrait,
    cal: &Calendar,
    user: Option<&SessionUser>,
    query: QueueQuery<'_>,
    today: NaiveDate,
) -> Result<QueuePage, AppError> {
    let QueueQuery { bucket, search, cursor, item: item_code } = query;
    let deps = departments_of(user)?;
    let pairs = held(user);
    // the filter by item: the items of the caller's departments, each version of the chosen one
    let mut items: Vec<(String, String)> = Vec::new();
    let mut chosen: Vec<i32> = Vec::new();
    let item_code = item_code.trim().to_uppercase();
    for it in item::Entity::find()
        .filter(item::Column::DepartmentId.is_in(deps.clone()))
        .select_only()
        .column(item::Column::Id)
        .column(item::Column::Code)
        .column(item::Column::Name)
        .order_by_asc(item::Column::Code)
        .into_tuple::<(i32, String, String)>()
        .all(db)
        .await?
    {
        if it.1 == item_code {
            chosen.push(it.0);
        }
        if items.last().is_none_or(|(c, _)| *c != it.1) {
            items.push((it.1, it.2));
        }
    }
    let item_filter = (!item_code.is_empty()).then_some(chosen);
    let me = staff_id_of(user);
    let bucket = if BUCKETS.contains(&bucket) { bucket } else { "new" };
    let counts = bucket_counts(db, &deps, &pairs, me).await?;
    let page = QUEUE_PAGE_SIZE as usize;
    let (rows, next) = match bucket {
        "opinions" => {
            let mut q = case_task::Entity::find().filter(open_tasks_for(&pairs));
            if let Some(k) = keyset(cursor, case_task::Column::DueOn, case_task::Column::Id) {
                q = q.filter(k);
            }
            let tasks = q
                .order_by_asc(case_task::Column::DueOn)
                .order_by_asc(case_task::Column::Id)
                .limit(QUEUE_PAGE_SIZE + 1)
                .all(db)
                .await?;
            let next = (tasks.len() > page)
                .then(|| tasks.get(page - 1).map(|t| format!("{}_{}", t.due_on.unwrap_or(today), t.id)))
                .flatten();
            let cases = cases_by_id(db, tasks.iter().map(|t| t.case_id), Condition::all()).await?;
            let list = tasks
                .into_iter()
                .take(page)
                .filter_map(|t| cases.get(&t.case_id).cloned().map(|c| (c, t.due_on, t.name)))
                .collect();
            (rows_for(db, cal, list, today).await?, next)
        }
        "approvals" => {
            let list = pending_requests(db, &pairs)
                .await?
                .into_iter()
                .map(|(r, c)| {
                    let what = if r.kind == "suspend" {
                        format!("申请中止：{}", r.proc_kind)
                    } else {
                        "申请延期".into()
                    };
                    (c, None, what)
                })
                .collect();
            (rows_for(db, cal, list, today).await?, None)
        }
        _ => {
            // One index range per (department or assignee, state), each read in (due_on, id) order
            // and merged: no sort over the whole bucket, however many cases it holds.
            let states: &[&str] = if bucket == "mine" { &REVIEW_STATES } else { bucket_states(bucket) };
            let ranges: Vec<Condition> = if bucket == "mine" {
                states
                    .iter()
                    .map(|s| Condition::all().add(case::Column::AssigneeId.eq(me)).add(case::Column::State.eq(*s)))
                    .collect()
            } else {
                deps.iter()
                    .flat_map(|d| states.iter().map(move |s| (*d, *s)))
                    .map(|(d, s)| Condition::all().add(case::Column::DepartmentId.eq(d)).add(case::Column::State.eq(s)))
                    .collect()
            };
            let search = search.trim();
            let mut matching = None;
            if !search.is_empty() {
                let ids: Vec<i32> = applicant::Entity::find()
                    .filter(applicant::Column::Name.contains(search))
                    .select_only()
                    .column(applicant::Column::Id)
                    .limit(1000)
                    .into_tuple()
                    .all(db)
                    .await?;
                matching = Some(
                    Condition::any()
                        .add(case::Column::CaseNo.contains(search.to_uppercase()))
                        .add(case::Column::ApplicantId.is_in(ids)),
                );
            }
            // SELECT * FROM (range 1 … LIMIT 51) UNION ALL SELECT * FROM (range 2 …) …: one
            // round trip to the database whatever the number of ranges.
            use sea_orm::{FromQueryResult, QueryTrait};
            let mut union: Option<sea_orm::sea_query::SelectStatement> = None;
            for (i, range) in ranges.into_iter().enumerate() {
                let mut q = case::Entity::find().filter(range).filter(case::Column::DueOn.is_not_null());
                if let Some(m) = &matching {
                    q = q.filter(m.clone());
                }
                if let Some(ids) = &item_filter {
                    q = q.filter(case::Column::ItemId.is_in(ids.clone()));
                }
                if let Some(k) = keyset(cursor, case::Column::DueOn, case::Column::Id) {
                    q = q.filter(k);
                }
                let inner = q
                    .select_only()
                    .column(case::Column::Id)
                    .column(case::Column::DueOn)
                    .order_by_asc(case::Column::DueOn)
                    .order_by_asc(case::Column::Id)
                    .limit(QUEUE_PAGE_SIZE + 1)
                    .into_query();
                let part = sea_orm::sea_query::Query::select()
                    .column(sea_orm::sea_query::Asterisk)
                    .from_subquery(inner, sea_orm::sea_query::Alias::new(format!("r{i}")))
                    .to_owned();
                union = Some(match union {
                    None => part,
                    Some(mut u) => u.union(sea_orm::sea_query::UnionType::All, part).to_owned(),
                });
            }
            // keys first (two columns per candidate), whole rows only for the page
            #[derive(FromQueryResult)]
            struct Key {
                id: i32,
                due_on: Option<NaiveDate>,
            }
            let mut keys: Vec<Key> = match union {
                Some(u) => Key::find_by_statement(db.get_database_backend().build(&u)).all(db).await?,
                None => vec![],
            };
            keys.sort_by_key(|k| (k.due_on, k.id));
            let next = (keys.len() > page)
                .then(|| keys.get(page - 1).and_then(|k| k.due_on.map(|d| format!("{d}_{}", k.id))))
                .flatten();
            keys.truncate(page);
            let mut found = cases_by_id(db, keys.iter().map(|k| k.id), Condition::all()).await?;
            let list = keys.iter().filter_map(|k| found.remove(&k.id)).map(|c| (c, None, String::new())).collect();
            (rows_for(db, cal, list, today).await?, next)
        }
    };
    let intake = pairs.iter().any(|(_, r)| *r == Role::WindowClerk);
    Ok(QueuePage { bucket: bucket.to_string(), rows, next, counts, intake, items, item: item_code })
}

/// The action templates the back office offers, with placeholder reasons for the dry run.
fn candidates() -> Vec<(&'static str, Action)> {
    let r = || "预检查理由".to_string();
    vec![
        ("accept", Action::Accept),
        ("request_correction", Action::RequestCorrection),
        ("reject", Action::Reject { reason: r() }),
        ("start_review", Action::StartReview),
        ("suspend", Action::Suspend { kind: r(), reason: r() }),
        ("resume", Action::Resume),
        ("extend", Action::Extend { days: 1, reason: r() }),
        ("decide_grant", Action::Decide { kind: DecisionKind::Grant, reason: String::new() }),
        ("decide_deny", Action::Decide { kind: DecisionKind::Deny, reason: r() }),
        ("decide_forward", Action::Decide { kind: DecisionKind::Forward, reason: r() }),
        ("issue_fee_notice", Action::IssueFeeNotice),
        ("record_payment", Action::RecordPayment),
        ("prepare_delivery", Action::PrepareDelivery),
        ("deliver", Action::Deliver),
        ("close", Action::Close),
    ]
}

/// The roles that may take a back-office action (by its form code), from the rules.
pub fn action_roles(code: &str) -> &'static [Role] {
    candidates().into_iter().find(|(c, _)| *c == code).map(|(_, a)| a.roles()).unwrap_or(&[])
}

struct Loaded {
    user: SessionUser,
    c: case::Model,
    it: item::Model,
    rules: ItemRules,
    a: applicant::Model,
    tasks: Vec<case_task::Model>,
    /// Staff of the case's department (else a co-department's or a stage's staff).
    own: bool,
}

/// Loads a case for a staff member of its department, or of a department one of its opinions
/// (review stage, co-department) has reached; anyone else is refused.
async fn load(db: &impl ConnectionTrait, user: Option<&SessionUser>, case_id: i32) -> Result<Loaded, AppError> {
    let c = case::Entity::find_by_id(case_id).one(db).await?.ok_or(AppError::NotFound)?;
    super::guard::require_staff(user, &[], None)?;
    let user = user.cloned().ok_or(AppError::Unauthorized)?;
    if c.state == CaseState::Draft.code() {
        return Err(AppError::NotFound); // drafts are the applicant's own (or the counter's, see intake)
    }
    let tasks = case_task::Entity::find()
        .filter(case_task::Column::CaseId.eq(c.id))
        .order_by_asc(case_task::Column::Ord)
        .order_by_asc(case_task::Column::Id)
        .all(db)
        .await?;
    let own = super::guard::require_staff(Some(&user), &[], Some(c.department_id)).is_ok();
    let pairs = held(Some(&user));
    let reached = tasks.iter().any(|t| t.opened_on.is_some() && pairs.iter().any(|(d, _)| *d == t.department_id));
    if !own && !reached {
        return Err(AppError::Forbidden);
    }
    let it = item::Entity::find_by_id(c.item_id).one(db).await?.ok_or(AppError::NotFound)?;
    let rules: ItemRules = serde_json::from_str(&it.rules).map_err(AppError::internal)?;
    let a = applicant::Entity::find_by_id(c.applicant_id).one(db).await?.ok_or(AppError::NotFound)?;
    Ok(Loaded { user, c, it, rules, a, tasks, own })
}

/// Whether the caller may answer a task now.
fn may_answer(user: &SessionUser, t: &case_task::Model) -> bool {
    t.opened_on.is_some()
        && t.answered_on.is_none()
        && held(Some(user)).iter().any(|(d, r)| *d == t.department_id && r.as_str() == t.role)
}

/// May the caller read a case (its files, notices, documents)? Its applicant, staff of its
/// department, or staff of a department one of its opinions (stage, co-department) has reached.
pub async fn may_read_case(
    db: &impl ConnectionTrait,
    user: Option<&SessionUser>,
    c: &case::Model,
) -> Result<(), AppError> {
    match super::guard::may_read_case(user, c.applicant_id, c.department_id) {
        Err(AppError::Forbidden) if matches!(user, Some(SessionUser::Staff { .. })) => {
            load(db, user, c.id).await.map(|_| ())
        }
        r => r,
    }
}

/// The staff view of one case, for staff of its department.
pub async fn staff_case(
    db: &impl ConnectionTrait,
    user: Option<&SessionUser>,
    case_id: i32,
    today: NaiveDate,
) -> Result<StaffCase, AppError> {
    let Loaded { user, c, it, rules, a, tasks, own } = load(db, user, case_id).await?;
    if let SessionUser::Staff { id, .. } = &user {
        super::audit::log_read(db, *id, c.id, if own { "case" } else { "case_masked" }).await?;
    }
    let kind = ApplicantKind::parse(&a.kind).unwrap_or(ApplicantKind::Person);
    let answers: Answers = serde_json::from_str(&c.answers).unwrap_or_default();
    let files = files_of(db, c.id).await?;
    let provided: BTreeSet<String> = files.iter().map(|f| f.material_code.clone()).collect();
    let list = rules::materials::checklist(&rules.materials, kind, &answers, &provided, None);
    let materials = rules
        .materials
        .iter()
        .map(|m| MaterialCheck {
            code: m.code.clone(),
            name: m.name.clone(),
            required: m.requirement == rules::materials::Requirement::Required,
            deferrable: m.deferrable,
            applies: m.applies(kind, &answers),
            files: files.iter().filter(|f| f.material_code == m.code).map(file_view).collect(),
        })
        .collect();
    let state = CaseState::from_code(&c.state).ok_or_else(|| AppError::internal("unknown case state"))?;
    let events = cases::events(db, c.id, false).await?;
    let last_submission = events.iter().rposition(|e| e.action == "submit" || e.action == "resubmit");
    let facts = rules::CaseFacts {
        today,
        materials_acceptable: list.acceptable(),
        correction_already_requested: events
            .iter()
            .skip(last_submission.map_or(0, |i| i + 1))
            .any(|e| e.action == "request_correction"),
        correction_due: c.correction_due,
        extended_already: c.extended,
        extension_cap: rules.extension.max_working_days,
        fee_due: c.fee_due,
        opinions_pending: tasks.iter().filter(|t| t.answered_on.is_none()).count() as u32,
    };
    let roles = roles_in(&user, c.department_id);
    let mut actions: Vec<String> = candidates()
        .into_iter()
        .filter(|(_, a)| roles.iter().any(|r| rules::transition(state, a, *r, &facts).is_ok()))
        .map(|(code, _)| code.to_string())
        .collect();
    let reviewing = matches!(state, CaseState::Accepted | CaseState::InReview | CaseState::Suspended);
    if reviewing && roles.iter().any(|r| matches!(r, Role::Reviewer | Role::Approver | Role::CoReviewer)) {
        actions.push("opinion".into());
    }
    if reviewing && roles.iter().any(|r| matches!(r, Role::Reviewer | Role::Approver)) {
        actions.push("assign".into());
    }
    let requests = case_request::Entity::find()
        .filter(case_request::Column::CaseId.eq(c.id))
        .order_by_asc(case_request::Column::Id)
        .all(db)
        .await?;
    let pending = |kind: &str| requests.iter().any(|r| r.status == "pending" && r.kind == kind);
    if state == CaseState::InReview && roles.contains(&Role::Reviewer) {
        if !pending("suspend") {
            actions.push("request_suspension".into());
        }
        if !pending("extend") && !c.extended && rules.extension.max_working_days > 0 {
            actions.push("request_extension".into());
        }
    }
    if roles.contains(&Role::Approver) && requests.iter().any(|r| r.status == "pending") {
        actions.push("decide_request".into());
    }
    if tasks.iter().any(|t| may_answer(&user, t)) {
        actions.push("answer_task".into());
    }
    let mut staff_names: BTreeMap<i32, String> = BTreeMap::new();
    for s in staff::Entity::find()
        .filter(
            staff::Column::Id.is_in(
                requests
                    .iter()
                    .map(|r| r.requested_by)
                    .chain(tasks.iter().filter_map(|t| t.answered_by))
                    .chain(c.assignee_id),
            ),
        )
        .all(db)
        .await?
    {
        staff_names.insert(s.id, s.display_name);
    }
    let mut timeline = Vec::with_capacity(events.len());
    for e in events {
        let actor = if e.actor_kind == "staff" {
            if let std::collections::btree_map::Entry::Vacant(v) = staff_names.entry(e.actor_id) {
                v.insert(
                    staff::Entity::find_by_id(e.actor_id).one(db).await?.map(|s| s.display_name).unwrap_or_default(),
                );
            }
            staff_names.get(&e.actor_id).cloned().unwrap_or_default()
        } else if e.actor_kind == "applicant" {
            a.name.clone()
        } else {
            "系统".into()
        };
        timeline.push(StaffEvent {
            day: e.on_day,
            to_state: CaseState::from_code(&e.to_state).unwrap_or(state),
            comment: e.comment,
            internal: e.internal,
            actor,
            action: e.action,
        });
    }
    let dep_names: BTreeMap<i32, String> =
        department::Entity::find().all(db).await?.into_iter().map(|d| (d.id, d.name)).collect();
    let dep = dep_names.get(&c.department_id).cloned().unwrap_or_default();
    let task_views = tasks
        .iter()
        .map(|t| TaskView {
            id: t.id,
            kind: t.kind.clone(),
            order: t.ord,
            name: t.name.clone(),
            department: dep_names.get(&t.department_id).cloned().unwrap_or_default(),
            opened: t.opened_on,
            due: t.due_on,
            answered: t.answered_on,
            agree: t.outcome.as_deref().map(|o| o == "agree"),
            opinion: t.opinion.clone(),
            answered_by: t.answered_by.and_then(|id| staff_names.get(&id).cloned()).unwrap_or_default(),
            answerable: may_answer(&user, t),
        })
        .collect();
    let request_views = requests
        .iter()
        .map(|r| RequestView {
            id: r.id,
            kind: r.kind.clone(),
            procedure: r.proc_kind.clone(),
            days: r.days,
            reason: r.reason.clone(),
            requested_by: staff_names.get(&r.requested_by).cloned().unwrap_or_default(),
            requested_on: r.requested_on,
            status: r.status.clone(),
            note: r.note.clone(),
        })
        .collect();
    let reviewers = if own { reviewers_of(db, c.department_id).await? } else { vec![] };
    let answers_labelled = rules
        .questions
        .iter()
        .map(|q| {
            let v = answers.get(&q.code).cloned().unwrap_or_default();
            let label = q.options.iter().find(|(o, _)| *o == v).map(|(_, l)| l.clone()).unwrap_or(v);
            (q.text.clone(), label)
        })
        .collect();
    let results = results_of(db, c.id).await?;
    Ok(StaffCase {
        id: c.id,
        version: c.version,
        case_no: c.case_no.clone().unwrap_or_default(),
        state,
        item_code: it.code,
        item_name: it.name,
        department: dep,
        // co-departments and other stages see only what their opinion needs
        applicant_number: if own {
            a.id_card_no.clone().or(a.credit_code.clone()).unwrap_or_default()
        } else {
            super::accounts::masked_number(&a)
        },
        applicant_mobile: if own { a.mobile.clone() } else { super::accounts::masked_mobile(&a.mobile) },
        applicant_name: a.name,
        answers: answers_labelled,
        materials,
        missing: list.missing,
        submitted_on: c.submitted_at.map(|t| (t + chrono::Duration::hours(8)).date_naive()),
        accepted_on: c.accepted_on,
        due_on: c.due_on,
        correction_due: c.correction_due,
        fee_due: c.fee_due,
        extended: c.extended,
        extension_cap: rules.extension.max_working_days,
        timeline,
        actions,
        results,
        own,
        channel: c.channel.clone(),
        assignee: c.assignee_id.and_then(|id| staff_names.get(&id).cloned()),
        reviewers,
        tasks: task_views,
        requests: request_views,
    })
}

/// The reviewers of a department: (staff id, name).
async fn reviewers_of(db: &impl ConnectionTrait, department_id: i32) -> Result<Vec<(i32, String)>, AppError> {
    use super::entities::staff_role;
    let ids: Vec<i32> = staff_role::Entity::find()
        .filter(staff_role::Column::DepartmentId.eq(department_id))
        .filter(staff_role::Column::Role.eq(Role::Reviewer.as_str()))
        .select_only()
        .column(staff_role::Column::StaffId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(staff::Entity::find()
        .filter(staff::Column::Id.is_in(ids))
        .filter(staff::Column::Active.eq(true))
        .order_by_asc(staff::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.display_name))
        .collect())
}

/// What a staff member asks for, as typed into the back office.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ActInput {
    #[serde(default)]
    pub action: String,
    /// The version the clerk saw (a string: `serde(flatten)` below reads every field as text).
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub legal_basis: String,
    #[serde(default)]
    pub days: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub reference: String,
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub comment: String,
    /// Per material: `note_<code>` → the clerk's finding.
    #[serde(flatten)]
    pub rest: BTreeMap<String, String>,
}

fn refusal_text(reason: &str, legal_basis: &str) -> String {
    let mut s = format!("理由：{}", reason.trim());
    if !legal_basis.trim().is_empty() {
        s.push_str(&format!("\n依据：{}", legal_basis.trim()));
    }
    s.push_str(&format!("\n{REMEDIES}"));
    s
}

/// Carries out a staff action on a case. Returns the updated case.
pub async fn act(
    db: &DatabaseConnection,
    cal: &Calendar,
    user: Option<&SessionUser>,
    case_id: i32,
    input: &ActInput,
    today: NaiveDate,
    lang: Lang,
) -> Result<case::Model, AppError> {
    let Loaded { user, c, rules, a, tasks, .. } = load(db, user, case_id).await?;
    let SessionUser::Staff { id: staff_id, .. } = &user else { return Err(AppError::Forbidden) };
    let version: i32 = input.version.trim().parse().unwrap_or(-1);
    if let Some(done) = act_on_workflow(db, cal, &user, &c, &rules, &tasks, input, version, today, lang).await? {
        return Ok(done);
    }
    let reason_msg = lang.pick("请填写理由", "請填寫理由", "Give the reason");
    let procedure_msg = lang.pick(
        "请填写特殊环节（如专家评审）",
        "請填寫特殊環節（如專家評審）",
        "Enter the procedure (e.g. expert review)",
    );
    let mut comment = input.comment.trim().to_string();
    let internal = false;
    let action = match input.action.as_str() {
        "accept" => Action::Accept,
        "start_review" => Action::StartReview,
        "resume" => Action::Resume,
        "prepare_delivery" => Action::PrepareDelivery,
        "close" => Action::Close,
        "request_correction" => {
            let kind = ApplicantKind::parse(&a.kind).unwrap_or(ApplicantKind::Person);
            let answers: Answers = serde_json::from_str(&c.answers).unwrap_or_default();
            let files: Vec<ProvidedFile> = files_of(db, c.id)
                .await?
                .into_iter()
                .map(|f| ProvidedFile {
                    material_code: f.material_code,
                    file_type: FileType::from_code(&f.file_type),
                    size: f.size.max(0) as u64,
                })
                .collect();
            let findings: Vec<ClerkFinding> = input
                .rest
                .iter()
                .filter_map(|(k, v)| {
                    k.strip_prefix("note_").map(|code| ClerkFinding { material_code: code.into(), note: v.clone() })
                })
                .filter(|f| !f.note.trim().is_empty())
                .collect();
            let due =
                rules::deadline::due_date(cal, today, rules.correction_term, &[], today).map_err(AppError::internal)?;
            let Some(notice) = correction_notice(&rules.materials, kind, &answers, &files, &findings, due) else {
                return Err(AppError::field(
                    "_form",
                    lang.pick(
                        "没有需要补正的内容：请在需要补正的材料旁写明问题",
                        "沒有需要補正的內容：請在需要補正的材料旁寫明問題",
                        "Nothing to correct: write the problem next to each material that needs it",
                    ),
                ));
            };
            let mut text = String::from("经审查，您的申请材料需补正以下内容（一次性告知）：\n");
            for (i, item) in notice.items.iter().enumerate() {
                text.push_str(&format!(
                    "{}. 「{}」：{}\n",
                    i + 1,
                    item.material_name,
                    item.reason.message(Lang::ZhHans)
                ));
            }
            text.push_str(&format!("请于 {due} 前补正；逾期未补正的，视为放弃申请，不予受理。"));
            if !comment.is_empty() {
                text.push_str(&format!("\n{comment}"));
            }
            comment = text;
            Action::RequestCorrection
        }
        "reject" => {
            need(&input.reason, "reason", reason_msg)?;
            comment = refusal_text(&input.reason, &input.legal_basis);
            Action::Reject { reason: input.reason.trim().into() }
        }
        "suspend" => {
            need(&input.kind, "kind", procedure_msg)?;
            need(&input.reason, "reason", reason_msg)?;
            comment = format!("{}：{}", input.kind.trim(), input.reason.trim());
            Action::Suspend { kind: input.kind.trim().into(), reason: input.reason.trim().into() }
        }
        "extend" => {
            let days = input.days.trim().parse::<u32>().map_err(|_| {
                AppError::field(
                    "days",
                    lang.pick("请填写延长的工作日数", "請填寫延長的工作日數", "Enter the number of working days"),
                )
            })?;
            need(&input.reason, "reason", reason_msg)?;
            Action::Extend { days, reason: input.reason.trim().into() }
        }
        "decide_grant" => Action::Decide { kind: DecisionKind::Grant, reason: input.reason.trim().into() },
        "decide_deny" => {
            need(&input.reason, "reason", reason_msg)?;
            need(
                &input.legal_basis,
                "legal_basis",
                lang.pick("请填写法律依据", "請填寫法律依據", "Give the legal basis"),
            )?;
            comment = refusal_text(&input.reason, &input.legal_basis);
            Action::Decide { kind: DecisionKind::Deny, reason: input.reason.trim().into() }
        }
        "decide_forward" => {
            need(&input.reason, "reason", reason_msg)?;
            Action::Decide { kind: DecisionKind::Forward, reason: input.reason.trim().into() }
        }
        "issue_fee_notice" => {
            need(&input.kind, "kind", lang.pick("请填写费用名称", "請填寫費用名稱", "Name the fee"))?;
            let amount = input.amount.trim();
            if amount.parse::<f64>().map(|x| x <= 0.0 || !x.is_finite()).unwrap_or(true) {
                return Err(AppError::field(
                    "amount",
                    lang.pick("请填写正确的金额（元）", "請填寫正確的金額（元）", "Enter the amount in yuan"),
                ));
            }
            comment = format!("缴费通知：{} {} 元", input.kind.trim(), amount);
            Action::IssueFeeNotice
        }
        "record_payment" => {
            need(
                &input.reference,
                "reference",
                lang.pick("请填写缴费凭证号", "請填寫繳費憑證號", "Enter the payment reference"),
            )?;
            comment = format!("已缴费 {} 元，凭证号 {}", input.amount.trim(), input.reference.trim());
            Action::RecordPayment
        }
        "deliver" => {
            let method = match input.method.as_str() {
                "counter" => "窗口领取",
                "post" => "邮寄送达",
                "electronic" => "电子送达（已发送至申请人账户）",
                _ => {
                    return Err(AppError::field(
                        "method",
                        lang.pick("请选择送达方式", "請選擇送達方式", "Choose how it is delivered"),
                    ))
                }
            };
            comment = if comment.is_empty() { method.to_string() } else { format!("{method}；{comment}") };
            Action::Deliver
        }
        _ => return Err(AppError::field("_form", lang.pick("未知的操作", "未知的操作", "Unknown action"))),
    };
    let roles = roles_in(&user, c.department_id);
    let role = roles.iter().copied().find(|r| action.roles().contains(r)).ok_or(AppError::Forbidden)?;
    let provided: BTreeSet<String> = files_of(db, c.id).await?.into_iter().map(|f| f.material_code).collect();
    let updated = cases::apply(
        db,
        cal,
        Change {
            case_id: c.id,
            expected_version: version,
            action: action.clone(),
            actor: Actor { kind: PrincipalKind::Staff, id: *staff_id, role },
            comment,
            internal,
            today,
            provided,
            grants_request: None,
        },
    )
    .await?;
    if let Action::Decide { kind: DecisionKind::Grant, .. } = action {
        let title = if rules.result_name.is_empty() {
            "准予行政许可决定书".to_string()
        } else {
            rules.result_name.clone()
        };
        issue_result_document(db, &updated, &title, today).await?;
    }
    Ok(updated)
}

/// The first role the caller holds in the case's department among `wanted`.
fn role_among(user: &SessionUser, c: &case::Model, wanted: &[Role]) -> Result<Role, AppError> {
    roles_in(user, c.department_id).into_iter().find(|r| wanted.contains(r)).ok_or(AppError::Forbidden)
}

fn staff_actor(user: &SessionUser, role: Role) -> Actor {
    let id = staff_id_of(Some(user));
    Actor { kind: PrincipalKind::Staff, id, role }
}

fn parse_id(s: &str) -> Option<i32> {
    s.trim().parse().ok()
}

/// The back-office actions that are not state transitions of their own: opinions, assignment,
/// reviewers' requests and their approval, answers to review stages and co-department requests.
/// `None` when the action is not one of them.
#[allow(clippy::too_many_arguments)]
async fn act_on_workflow(
    db: &DatabaseConnection,
    cal: &Calendar,
    user: &SessionUser,
    c: &case::Model,
    rules: &ItemRules,
    tasks: &[case_task::Model],
    input: &ActInput,
    version: i32,
    today: NaiveDate,
    lang: Lang,
) -> Result<Option<case::Model>, AppError> {
    use sea_orm::{ActiveModelTrait, Set};
    let state = CaseState::from_code(&c.state).ok_or_else(|| AppError::internal("unknown case state"))?;
    let reviewing = matches!(state, CaseState::Accepted | CaseState::InReview | CaseState::Suspended);
    let wrong_state =
        || AppError::Refused(rules::Refusal::WrongState { state: c.state.clone(), action: input.action.clone() });
    let reason_msg = lang.pick("请填写理由", "請填寫理由", "Give the reason");
    let procedure_msg = lang.pick(
        "请填写特殊环节（如专家评审）",
        "請填寫特殊環節（如專家評審）",
        "Enter the procedure (e.g. expert review)",
    );
    let rest = |k: &str| input.rest.get(k).cloned().unwrap_or_default();
    let done = match input.action.as_str() {
        "opinion" => {
            let role = role_among(user, c, &[Role::Reviewer, Role::Approver, Role::CoReviewer])?;
            if !reviewing {
                return Err(wrong_state());
            }
            need(&input.comment, "comment", lang.pick("请填写审查意见", "請填寫審查意見", "Write the opinion"))?;
            let (tx, c) = cases::note(
                db,
                c.id,
                version,
                staff_actor(user, role),
                "opinion",
                input.comment.trim().into(),
                true,
                today,
                None,
            )
            .await?;
            tx.commit().await?;
            c
        }
        "assign" => {
            let role = role_among(user, c, &[Role::Approver, Role::Reviewer])?;
            if !reviewing {
                return Err(wrong_state());
            }
            let me = staff_id_of(Some(user));
            let chosen = parse_id(&rest("assignee")).ok_or_else(|| {
                AppError::field("assignee", lang.pick("请选择审查员", "請選擇審查員", "Choose a reviewer"))
            })?;
            // a reviewer takes a case for themself; an approver assigns any reviewer of the department
            if role == Role::Reviewer && chosen != me {
                return Err(AppError::Forbidden);
            }
            let reviewers = reviewers_of(db, c.department_id).await?;
            let Some((_, name)) = reviewers.iter().find(|(id, _)| *id == chosen) else {
                return Err(AppError::field(
                    "assignee",
                    lang.pick(
                        "只能分派给本部门的审查员",
                        "只能分派給本部門的審查員",
                        "Choose a reviewer of the department",
                    ),
                ));
            };
            let (tx, c) = cases::note(
                db,
                c.id,
                version,
                staff_actor(user, role),
                "assign",
                format!("分派给 {name}"),
                true,
                today,
                Some(Some(chosen)),
            )
            .await?;
            tx.commit().await?;
            c
        }
        "request_suspension" | "request_extension" => {
            let role = role_among(user, c, &[Role::Reviewer])?;
            if state != CaseState::InReview {
                return Err(wrong_state());
            }
            let suspend = input.action == "request_suspension";
            let kind = if suspend { "suspend" } else { "extend" };
            let mut days = None;
            if suspend {
                need(&input.kind, "kind", procedure_msg)?;
            } else {
                let n = input.days.trim().parse::<u32>().map_err(|_| {
                    AppError::field(
                        "days",
                        lang.pick("请填写延长的工作日数", "請填寫延長的工作日數", "Enter the number of working days"),
                    )
                })?;
                rules::deadline::check_extension(rules.extension, c.extended, n, &input.reason)
                    .map_err(|e| AppError::field("days", rules::Refusal::Extension(e).message(lang)))?;
                days = Some(n as i32);
            }
            need(&input.reason, "reason", reason_msg)?;
            let pending = case_request::Entity::find()
                .filter(case_request::Column::CaseId.eq(c.id))
                .filter(case_request::Column::Kind.eq(kind))
                .filter(case_request::Column::Status.eq("pending"))
                .count(db)
                .await?;
            if pending > 0 {
                return Err(AppError::field(
                    "_form",
                    lang.pick(
                        "已有一项同类申请等待审批",
                        "已有一項同類申請等待審批",
                        "A request of this kind is already waiting",
                    ),
                ));
            }
            let text = if suspend {
                format!("申请中止（{}）：{}", input.kind.trim(), input.reason.trim())
            } else {
                format!("申请延长 {} 个工作日：{}", days.unwrap_or(0), input.reason.trim())
            };
            let (tx, c) =
                cases::note(db, c.id, version, staff_actor(user, role), &input.action, text, true, today, None).await?;
            case_request::ActiveModel {
                case_id: Set(c.id),
                kind: Set(kind.into()),
                proc_kind: Set(input.kind.trim().chars().take(64).collect()),
                days: Set(days),
                reason: Set(input.reason.trim().chars().take(2000).collect()),
                requested_by: Set(staff_id_of(Some(user))),
                requested_on: Set(today),
                status: Set("pending".into()),
                decided_by: Set(None),
                decided_on: Set(None),
                note: Set(String::new()),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
            tx.commit().await?;
            c
        }
        "decide_request" => {
            let role = role_among(user, c, &[Role::Approver])?;
            let r = case_request::Entity::find_by_id(parse_id(&rest("request")).unwrap_or(0))
                .one(db)
                .await?
                .filter(|r| r.case_id == c.id && r.status == "pending")
                .ok_or(AppError::Stale)?;
            match rest("decision").as_str() {
                "approve" => {
                    let action = if r.kind == "suspend" {
                        Action::Suspend { kind: r.proc_kind.clone(), reason: r.reason.clone() }
                    } else {
                        Action::Extend { days: r.days.unwrap_or(0).max(0) as u32, reason: r.reason.clone() }
                    };
                    let comment = match &action {
                        Action::Suspend { kind, reason } => format!("{kind}：{reason}"),
                        _ => String::new(),
                    };
                    let provided: BTreeSet<String> =
                        files_of(db, c.id).await?.into_iter().map(|f| f.material_code).collect();
                    cases::apply(
                        db,
                        cal,
                        Change {
                            case_id: c.id,
                            expected_version: version,
                            action,
                            actor: staff_actor(user, role),
                            comment,
                            internal: false,
                            today,
                            provided,
                            grants_request: Some(r.id),
                        },
                    )
                    .await?
                }
                "refuse" => {
                    need(&input.comment, "comment", lang.pick("请写明不同意的理由", "請寫明不同意的理由", "Say why"))?;
                    let (tx, c) = cases::note(
                        db,
                        c.id,
                        version,
                        staff_actor(user, role),
                        "refuse_request",
                        format!(
                            "不同意{}申请：{}",
                            if r.kind == "suspend" { "中止" } else { "延期" },
                            input.comment.trim()
                        ),
                        true,
                        today,
                        None,
                    )
                    .await?;
                    let res = case_request::Entity::update_many()
                        .col_expr(case_request::Column::Status, sea_orm::sea_query::Expr::value("refused"))
                        .col_expr(
                            case_request::Column::DecidedBy,
                            sea_orm::sea_query::Expr::value(staff_id_of(Some(user))),
                        )
                        .col_expr(case_request::Column::DecidedOn, sea_orm::sea_query::Expr::value(today))
                        .col_expr(case_request::Column::Note, sea_orm::sea_query::Expr::value(input.comment.trim()))
                        .filter(case_request::Column::Id.eq(r.id))
                        .filter(case_request::Column::Status.eq("pending"))
                        .exec(&tx)
                        .await?;
                    if res.rows_affected != 1 {
                        return Err(AppError::Stale);
                    }
                    tx.commit().await?;
                    c
                }
                _ => {
                    return Err(AppError::field(
                        "decision",
                        lang.pick("请选择同意或不同意", "請選擇同意或不同意", "Approve or refuse"),
                    ))
                }
            }
        }
        "answer_task" => {
            let t = tasks.iter().find(|t| Some(t.id) == parse_id(&rest("task"))).ok_or(AppError::NotFound)?;
            if !held(Some(user)).iter().any(|(d, r)| *d == t.department_id && r.as_str() == t.role) {
                return Err(AppError::Forbidden);
            }
            if t.opened_on.is_none() || t.answered_on.is_some() {
                return Err(AppError::Stale);
            }
            let agree = match rest("outcome").as_str() {
                "agree" => true,
                "disagree" => false,
                _ => {
                    return Err(AppError::field(
                        "outcome",
                        lang.pick("请选择同意或不同意", "請選擇同意或不同意", "Agree or disagree"),
                    ))
                }
            };
            need(&input.comment, "comment", lang.pick("请填写书面意见", "請填寫書面意見", "Write the opinion"))?;
            let role = Role::parse(&t.role).unwrap_or(Role::Reviewer);
            let text = format!("{}：{}。{}", t.name, if agree { "同意" } else { "不同意" }, input.comment.trim());
            let (tx, updated) =
                cases::note(db, c.id, version, staff_actor(user, role), "answer_task", text, true, today, None).await?;
            cases::answer_task(&tx, cal, t, staff_id_of(Some(user)), agree, &input.comment, today).await?;
            tx.commit().await?;
            updated
        }
        _ => return Ok(None),
    };
    Ok(Some(done))
}
