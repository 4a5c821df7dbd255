//! The queues: per role and department, keyset pages sorted by the current deadline, bucket counts.

use super::*;

pub(super) fn parse_cursor(s: &str) -> Option<(NaiveDate, i32)> {
    let (d, id) = s.split_once('_')?;
    Some((d.parse().ok()?, id.parse().ok()?))
}

/// Open tasks (opened, not answered) that the caller's department and role must answer.
pub(super) fn open_tasks_for(pairs: &[(i32, Role)]) -> Condition {
    let mut any = Condition::any();
    for (d, r) in pairs {
        any = any.add(Condition::all().add(case_task::Column::DepartmentId.eq(*d)).add(case_task::Column::Role.eq(*r)));
    }
    Condition::all()
        .add(any)
        .add(case_task::Column::OpenedOn.is_not_null())
        .add(case_task::Column::AnsweredOn.is_null())
}

/// Pending requests on cases of the departments where the caller approves.
pub(super) async fn pending_requests(
    db: &impl ConnectionTrait,
    pairs: &[(i32, Role)],
) -> Result<Vec<(case_request::Model, case::Model)>, AppError> {
    let approves: BTreeSet<i32> = pairs.iter().filter(|(_, r)| *r == Role::Approver).map(|(d, _)| *d).collect();
    if approves.is_empty() {
        return Ok(vec![]);
    }
    let reqs = case_request::Entity::find()
        .filter(case_request::Column::Status.eq(rules::workflow::RequestStatus::Pending))
        .order_by_asc(case_request::Column::Id)
        .limit(500)
        .all(db)
        .await?;
    let ids = reqs.iter().map(|r| r.case_id);
    let cases = cases_by_id(db, ids, Condition::all().add(case::Column::DepartmentId.is_in(approves))).await?;
    Ok(reqs.into_iter().filter_map(|r| cases.get(&r.case_id).cloned().map(|c| (r, c))).collect())
}

/// The cases with these ids that also meet `and`, by id.
pub(super) async fn cases_by_id(
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
pub(super) async fn bucket_counts(
    db: &impl ConnectionTrait,
    deps: &[i32],
    pairs: &[(i32, Role)],
    me: i32,
) -> Result<Vec<(String, u64)>, AppError> {
    let per_state: Vec<(CaseState, i64)> = state_count::Entity::find()
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
                per_state.iter().filter(|(s, _)| states.contains(s)).map(|(_, n)| (*n).max(0) as u64).sum()
            }
        };
        counts.push((b.to_string(), n));
    }
    Ok(counts)
}

/// Queue rows for cases, with item, applicant and department names loaded in one query each.
pub(super) async fn rows_for(
    db: &impl ConnectionTrait,
    cal: &Calendar,
    cases: Vec<(case::Model, Option<NaiveDate>, String)>,
    today: NaiveDate,
) -> Result<Vec<QueueRow>, AppError> {
    let item_ids: BTreeSet<i32> = cases.iter().map(|(c, _, _)| c.item_id).collect();
    let applicant_ids: BTreeSet<i32> = cases.iter().map(|(c, _, _)| c.applicant_id).collect();
    let mut items: BTreeMap<i32, (String, u32, bool)> = BTreeMap::new();
    for it in item::Entity::find().filter(item::Column::Id.is_in(item_ids)).all(db).await? {
        let rules: ItemRules = it.rules.clone();
        items.insert(it.id, (it.name, rules.warning_days, rules.kind == rules::item::ItemKind::Filing));
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
        let (item_name, warn_days, filing) = items.get(&c.item_id).cloned().unwrap_or_default();
        let state = c.state;
        let due = due.or(c.due_on);
        let status = due.and_then(|d| rules::deadline::warning(cal, d, today, warn_days).ok());
        out.push(QueueRow {
            id: c.id,
            case_no: c.case_no.clone().unwrap_or_default(),
            item_name,
            applicant: names.get(&c.applicant_id).cloned().unwrap_or_default(),
            department: dep_names.get(&c.department_id).cloned().unwrap_or_default(),
            state,
            filing,
            due,
            warning: status.map(|s| s.level),
            remaining: status.map(|s| s.remaining),
            waiting,
        });
    }
    Ok(out)
}

pub(super) fn keyset<C: ColumnTrait>(cursor: &str, due: C, id: C) -> Option<Condition> {
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
                    let what = if r.kind == rules::workflow::RequestKind::Suspend {
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
            let states: &[CaseState] = if bucket == "mine" { &REVIEW_STATES } else { bucket_states(bucket) };
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
