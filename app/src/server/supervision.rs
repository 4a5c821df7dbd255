//! The supervisor's side (电子监察): a department's dashboard (open cases by warning level,
//! today's due, the overdue list, accountability records, repeated refusals, bad ratings and
//! complaints with their follow-up, the audit chain and the last sweep), the department's answers
//! and the supervisor's closing, and the statistics with their exports.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, Utc};
use rules::deadline::{self, Tally};
use rules::supervision::AccountabilityKind;
use rules::{Calendar, CaseState, Lang, Role};
use sea_orm::{sea_query::Expr, IdenStatic};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::entities::{accountability, applicant, case, complaint, department, evaluation, item, scheduler_run};
use super::error::AppError;
use super::guard::require_staff;
use crate::models::{
    CaseLine, ComplaintLine, Dashboard, LevelCounts, RatingLine, RecordLine, RepeatLine, RunLine, SessionUser, StatRow,
    Statistics, SupervisionAction,
};

/// The states on a department's clock, as stored.
fn department_clock() -> Vec<&'static str> {
    rules::supervision::department_states().map(|s| s.code()).collect()
}
/// Who sees a department's dashboard: its supervisors, approvers (who answer for it) and admins.
const READERS: [Role; 3] = [Role::Supervisor, Role::Approver, Role::Admin];

fn roles_of(user: Option<&SessionUser>, dep: i32) -> Vec<Role> {
    match user {
        Some(SessionUser::Staff { roles, .. }) => {
            roles.iter().filter(|r| r.department_id == dep).map(|r| r.role).collect()
        }
        _ => vec![],
    }
}

async fn names_of_items(db: &impl ConnectionTrait) -> Result<BTreeMap<i32, (String, String)>, AppError> {
    Ok(item::Entity::find().all(db).await?.into_iter().map(|i| (i.id, (i.code, i.name))).collect())
}

fn lines(
    items: &BTreeMap<i32, (String, String)>,
    cal: &Calendar,
    rows: Vec<case::Model>,
    today: NaiveDate,
    lang: Lang,
) -> Vec<CaseLine> {
    rows.into_iter()
        .map(|c| CaseLine {
            id: c.id,
            case_no: c.case_no.unwrap_or_default(),
            item_name: items.get(&c.item_id).map(|i| i.1.clone()).unwrap_or_default(),
            state: CaseState::from_code(&c.state).map(|s| s.label(lang).to_string()).unwrap_or(c.state),
            due_on: c.due_on,
            remaining: c.due_on.and_then(|d| deadline::warning(cal, d, today, 2).ok()).map(|s| s.remaining),
        })
        .collect()
}

/// Each item's yellow-light threshold in working days (`ItemRules::warning_days`).
pub async fn warning_days(db: &impl ConnectionTrait) -> Result<BTreeMap<i32, u32>, AppError> {
    let mut out = BTreeMap::new();
    for it in item::Entity::find().all(db).await? {
        let r: rules::item::ItemRules = serde_json::from_str(&it.rules).map_err(AppError::internal)?;
        out.insert(it.id, r.warning_days);
    }
    Ok(out)
}

/// The items grouped by threshold, so that one due-date range serves each group.
pub fn by_threshold(warn_days: &BTreeMap<i32, u32>) -> BTreeMap<u32, Vec<i32>> {
    let mut out: BTreeMap<u32, Vec<i32>> = BTreeMap::new();
    for (item, days) in warn_days {
        out.entry(*days).or_default().push(*item);
    }
    out
}

/// Case numbers of some cases, in one query.
async fn case_numbers(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<BTreeMap<i32, String>, AppError> {
    Ok(case::Entity::find()
        .select_only()
        .columns([case::Column::Id, case::Column::CaseNo])
        .filter(case::Column::Id.is_in(ids))
        .into_tuple::<(i32, Option<String>)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, no)| (id, no.unwrap_or_default()))
        .collect())
}

fn run_line(r: scheduler_run::Model) -> RunLine {
    let v: serde_json::Value = serde_json::from_str(&r.report).unwrap_or_default();
    let ok = ["first_break", "anchor_break"].iter().all(|k| v.get(k).is_none_or(|b| b.is_null()));
    RunLine { at: r.started_at.format("%Y-%m-%d %H:%M UTC").to_string(), millis: r.millis, ok, summary: r.report }
}

/// The dashboard of one department (`dep`, else the caller's first).
pub async fn dashboard(
    db: &DatabaseConnection,
    cal: &Calendar,
    user: Option<&SessionUser>,
    dep: Option<i32>,
    today: NaiveDate,
    lang: Lang,
) -> Result<Dashboard, AppError> {
    let allowed = require_staff(user, &READERS, None)?;
    let mut departments: Vec<(i32, String)> = department::Entity::find()
        .filter(department::Column::Id.is_in(allowed.clone()))
        .order_by_asc(department::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    departments.dedup();
    let department = match dep {
        Some(d) if allowed.contains(&d) => d,
        Some(_) => return Err(AppError::Forbidden),
        None => departments.first().map(|d| d.0).ok_or(AppError::Forbidden)?,
    };
    let roles = roles_of(user, department);
    let in_dep = || case::Entity::find().filter(case::Column::DepartmentId.eq(department));

    // Lights are derived (`rules::supervision::level`): red = due before today, yellow = due from
    // today up to the item threshold's window; counted as ranges of (department, state, due date).
    let in_clock = || in_dep().filter(case::Column::State.is_in(department_clock()));
    let overdue = in_clock().filter(case::Column::DueOn.lt(today)).count(db).await?;
    let thresholds = warning_days(db).await?;
    let mut warning = 0;
    let groups = by_threshold(&thresholds);
    let every_item = groups.len() == 1;
    for (days, items) in groups {
        let w = rules::supervision::sweep_window(cal, today, days).map_err(AppError::internal)?;
        let mut q = in_clock().filter(case::Column::DueOn.gte(today)).filter(case::Column::DueOn.lte(w.warn_from));
        if !every_item {
            q = q.filter(case::Column::ItemId.is_in(items));
        }
        warning += q.count(db).await?;
    }
    let open: i64 = super::entities::state_count::Entity::find()
        .filter(super::entities::state_count::Column::DepartmentId.eq(department))
        .filter(super::entities::state_count::Column::State.is_in(department_clock()))
        .all(db)
        .await?
        .iter()
        .map(|s| s.n)
        .sum();
    let levels = LevelCounts { normal: (open as u64).saturating_sub(warning + overdue), warning, overdue };
    let due_today = in_dep()
        .filter(case::Column::State.is_in(department_clock()))
        .filter(case::Column::DueOn.eq(today))
        .order_by_asc(case::Column::Id)
        .limit(50)
        .all(db)
        .await?;
    let late =
        in_clock().filter(case::Column::DueOn.lt(today)).order_by_asc(case::Column::DueOn).limit(50).all(db).await?;

    // Accountability records: open and explained first, then the latest closed.
    let mut recs = accountability::Entity::find()
        .filter(accountability::Column::DepartmentId.eq(department))
        .filter(accountability::Column::State.ne("closed"))
        .order_by_asc(accountability::Column::Id)
        .limit(100)
        .all(db)
        .await?;
    recs.extend(
        accountability::Entity::find()
            .filter(accountability::Column::DepartmentId.eq(department))
            .filter(accountability::Column::State.eq("closed"))
            .order_by_desc(accountability::Column::Id)
            .limit(20)
            .all(db)
            .await?,
    );
    let case_nos = case_numbers(db, recs.iter().map(|r| r.case_id)).await?;
    let records = recs
        .into_iter()
        .map(|r| RecordLine {
            id: r.id,
            case_id: r.case_id,
            case_no: case_nos.get(&r.case_id).cloned().unwrap_or_default(),
            kind: AccountabilityKind::from_code(&r.kind).map(|k| k.label(lang).to_string()).unwrap_or(r.kind),
            due_on: r.due_on,
            created_on: r.created_on,
            state: r.state,
            explanation: r.explanation,
            conclusion: r.conclusion,
        })
        .collect();

    // The same applicant refused twice or more for the same item.
    let items = names_of_items(db).await?;
    let refused: Vec<(i32, i32, i32)> = in_dep()
        .select_only()
        .columns([case::Column::ApplicantId, case::Column::ItemId, case::Column::Id])
        .filter(case::Column::State.is_in(["not_accepted", "decided_deny"]))
        .into_tuple()
        .all(db)
        .await?;
    let mut by_pair: BTreeMap<(i32, String), (u64, i32)> = BTreeMap::new();
    for (a, it, id) in refused {
        let code = items.get(&it).map(|i| i.0.clone()).unwrap_or_default();
        let e = by_pair.entry((a, code)).or_insert((0, 0));
        e.0 += 1;
        e.1 = e.1.max(id);
    }
    let mut repeat_refusals = Vec::new();
    for ((a, code), (times, last)) in by_pair.into_iter().filter(|(_, (n, _))| *n >= 2).take(50) {
        let who = applicant::Entity::find_by_id(a).one(db).await?.map(|a| rules::validators::mask_name(&a.name));
        let item_name = items.values().find(|i| i.0 == code).map(|i| i.1.clone()).unwrap_or(code);
        repeat_refusals.push(RepeatLine { applicant: who.unwrap_or_default(), item_name, times, last_case_id: last });
    }

    // Bad ratings (the two lowest levels) and their follow-up.
    let ratings = evaluation::Entity::find()
        .filter(evaluation::Column::DepartmentId.eq(department))
        .filter(evaluation::Column::Level.lte(2))
        .order_by_desc(evaluation::Column::Id)
        .limit(50)
        .all(db)
        .await?;
    let rating_nos = case_numbers(db, ratings.iter().map(|r| r.case_id)).await?;
    let bad_ratings = ratings
        .into_iter()
        .map(|r| RatingLine {
            id: r.id,
            case_id: r.case_id,
            case_no: rating_nos.get(&r.case_id).cloned().unwrap_or_default(),
            level: r.level,
            comment: r.comment,
            reason: r.reason,
            overdue: r.follow_up_state == "open" && r.follow_up_due.is_some_and(|d| d < today),
            follow_up_due: r.follow_up_due,
            follow_up_state: r.follow_up_state,
            follow_up_note: r.follow_up_note,
        })
        .collect();
    let complaint_rows = complaint::Entity::find()
        .filter(complaint::Column::DepartmentId.eq(department))
        .order_by_desc(complaint::Column::Id)
        .limit(50)
        .all(db)
        .await?;
    let mut complaints = Vec::with_capacity(complaint_rows.len());
    for c in complaint_rows {
        let case_no = match c.case_id {
            Some(id) => case::Entity::find_by_id(id).one(db).await?.and_then(|c| c.case_no),
            None => None,
        };
        complaints.push(ComplaintLine {
            id: c.id,
            case_no,
            subject: c.subject,
            body: c.body,
            overdue: c.state == "open" && c.due_on < today,
            state: c.state,
            due_on: c.due_on,
            answer: c.answer,
        });
    }
    let last_run = |job: &'static str| {
        scheduler_run::Entity::find()
            .filter(scheduler_run::Column::Job.eq(job))
            .order_by_desc(scheduler_run::Column::Id)
            .one(db)
    };
    let audit = last_run("audit").await?.map(run_line);
    let sweep = last_run("sweep").await?.map(run_line);
    Ok(Dashboard {
        departments,
        department,
        today,
        levels,
        due_today: lines(&items, cal, due_today, today, lang),
        overdue: lines(&items, cal, late, today, lang),
        records,
        repeat_refusals,
        bad_ratings,
        complaints,
        audit,
        sweep,
        may_answer: roles.iter().any(|r| matches!(r, Role::Approver | Role::Admin)),
        may_close: roles.iter().any(|r| matches!(r, Role::Supervisor | Role::Admin)),
    })
}

fn need_text(id: i32, text: &str, lang: Lang) -> Result<String, AppError> {
    let t = text.trim();
    if t.chars().count() < 4 {
        return Err(AppError::field(
            format!("text_{id}"),
            lang.pick("请写明情况（至少 4 个字）", "請寫明情況（至少 4 個字）", "Please write at least a few words"),
        ));
    }
    Ok(t.chars().take(4000).collect())
}

/// Carries out a dashboard action for its department; returns the department to show.
pub async fn act(
    st: &super::state::AppState,
    user: Option<&SessionUser>,
    department: i32,
    a: &SupervisionAction,
    today: NaiveDate,
    lang: Lang,
) -> Result<(i32, String), AppError> {
    let db = &st.db;
    let staff_id = match user {
        Some(SessionUser::Staff { id, .. }) => *id,
        _ => return Err(AppError::Unauthorized),
    };
    let answerer = [Role::Approver, Role::Admin];
    let closer = [Role::Supervisor, Role::Admin];
    let done = |msg: (&'static str, &'static str, &'static str)| lang.pick(msg.0, msg.1, msg.2).to_string();
    // the record the action is about (none for the audit check)
    let (target, typed) = a.target();
    let id: i32 = match a {
        SupervisionAction::VerifyAudit => 0,
        _ => target.parse().map_err(|_| AppError::NotFound)?,
    };
    match a {
        SupervisionAction::Explain { .. } | SupervisionAction::Close { .. } => {
            let r = accountability::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
            let explain = matches!(a, SupervisionAction::Explain { .. });
            require_staff(user, if explain { &answerer } else { &closer }, Some(r.department_id))?;
            let text = need_text(id, typed, lang)?;
            let mut am: accountability::ActiveModel = r.clone().into();
            if explain {
                if r.state == "closed" {
                    return Err(AppError::Stale);
                }
                am.state = Set("explained".into());
                am.explanation = Set(text);
                am.explained_by = Set(Some(staff_id));
                am.explained_on = Set(Some(today));
            } else {
                if r.state != "explained" {
                    return Err(AppError::field(
                        format!("text_{id}"),
                        lang.pick(
                            "部门尚未作出说明，暂不能结案",
                            "部門尚未作出說明，暫不能結案",
                            "The department has not explained yet",
                        ),
                    ));
                }
                am.state = Set("closed".into());
                am.conclusion = Set(text);
                am.closed_by = Set(Some(staff_id));
                am.closed_on = Set(Some(today));
            }
            am.update(db).await?;
            Ok((
                r.department_id,
                if explain {
                    done(("已提交情况说明", "已提交情況說明", "Explanation recorded"))
                } else {
                    done(("问责记录已结案", "問責記錄已結案", "Record closed"))
                },
            ))
        }
        SupervisionAction::FollowUp { state, .. } => {
            let r = evaluation::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
            require_staff(user, &[Role::Approver, Role::Supervisor, Role::Admin], Some(r.department_id))?;
            let state = state.trim();
            if !["called_back", "rectified", "appealed", "closed"].contains(&state) {
                return Err(AppError::field(
                    format!("state_{id}"),
                    lang.pick("请选择处理结果", "請選擇處理結果", "Choose what was done"),
                ));
            }
            let text = need_text(id, typed, lang)?;
            let mut am: evaluation::ActiveModel = r.clone().into();
            am.follow_up_state = Set(state.into());
            let note = if r.follow_up_note.is_empty() {
                format!("{today} {text}")
            } else {
                format!("{}\n{today} {text}", r.follow_up_note)
            };
            am.follow_up_note = Set(note);
            am.update(db).await?;
            Ok((r.department_id, done(("已记录整改回访", "已記錄整改回訪", "Follow-up recorded"))))
        }
        SupervisionAction::AnswerComplaint { .. } => {
            let c = complaint::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
            require_staff(user, &[Role::Approver, Role::Supervisor, Role::Admin], Some(c.department_id))?;
            let text = need_text(id, typed, lang)?;
            let mut am: complaint::ActiveModel = c.clone().into();
            am.state = Set("answered".into());
            am.answer = Set(text);
            am.answered_on = Set(Some(today));
            am.update(db).await?;
            Ok((c.department_id, done(("已答复投诉", "已答覆投訴", "Complaint answered"))))
        }
        SupervisionAction::VerifyAudit => {
            require_staff(user, &closer, Some(department))?;
            let key = super::audit::signing_key(&st.settings)?.verifying_key();
            let v = record_audit(db, Some(&key), "web", today).await?;
            Ok((
                department,
                match v.intact() {
                    true => done(("审计链完整", "審計鏈完整", "Audit chain intact")),
                    false => done((
                        "审计链被破坏，请查看详情",
                        "審計鏈被破壞，請查看詳情",
                        "Audit chain BROKEN: see the details",
                    )),
                },
            ))
        }
    }
}

/// Verifies the audit chain and records the result for the dashboard.
pub async fn record_audit(
    db: &DatabaseConnection,
    key: Option<&ed25519_dalek::VerifyingKey>,
    holder: &str,
    today: NaiveDate,
) -> Result<super::audit::Verification, AppError> {
    let started = Utc::now();
    let v = super::audit::verify(db, key).await?;
    scheduler_run::ActiveModel {
        job: Set("audit".into()),
        holder: Set(holder.into()),
        day: Set(today),
        started_at: Set(started),
        millis: Set(v.millis as i64),
        report: Set(serde_json::to_string(&v).map_err(AppError::internal)?),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(v)
}

/// One row of the statistics being added up.
#[derive(Default)]
struct Group {
    label: String,
    submitted: u64,
    decided: Tally,
    not_accepted: u64,
    delivered: u64,
    delivered_late: u64,
}

/// Statistics over cases received, decided, refused and delivered between `from` and `to` (inclusive), grouped by
/// department, item or month. Rates and averages are `rules::deadline::Tally::stats`.
pub async fn statistics(
    db: &DatabaseConnection,
    user: Option<&SessionUser>,
    by: &str,
    from: NaiveDate,
    to: NaiveDate,
    dep: Option<i32>,
) -> Result<Statistics, AppError> {
    let allowed = require_staff(user, &[Role::Supervisor, Role::Approver, Role::Admin], None)?;
    statistics_for(db, allowed, by, from, to, dep).await
}

/// Statistics over the departments in `allowed` (a staff member's, or an API token's).
pub async fn statistics_for(
    db: &DatabaseConnection,
    allowed: Vec<i32>,
    by: &str,
    from: NaiveDate,
    to: NaiveDate,
    dep: Option<i32>,
) -> Result<Statistics, AppError> {
    if let Some(d) = dep {
        if !allowed.contains(&d) {
            return Err(AppError::Forbidden);
        }
    }
    let deps: Vec<i32> = dep.map_or(allowed.clone(), |d| vec![d]);
    let by = match by {
        "item" | "month" => by,
        _ => "department",
    };
    let dep_names: BTreeMap<i32, String> =
        department::Entity::find().all(db).await?.into_iter().map(|d| (d.id, d.name)).collect();
    let departments: Vec<(i32, String)> =
        dep_names.iter().filter(|(id, _)| allowed.contains(id)).map(|(id, n)| (*id, n.clone())).collect();
    let items = names_of_items(db).await?;
    // The start of a China day, as a UTC instant.
    let utc = |day: NaiveDate| day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() - Duration::hours(8);
    let key_of = |dep: i32, item: i32, day: NaiveDate| -> (String, String) {
        match by {
            "item" => {
                let (code, name) = items.get(&item).cloned().unwrap_or_default();
                (code, name)
            }
            "month" => {
                let m = day.format("%Y-%m").to_string();
                (m.clone(), m)
            }
            _ => (dep.to_string(), dep_names.get(&dep).cloned().unwrap_or_default()),
        }
    };
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    fn group(groups: &mut BTreeMap<String, Group>, (k, label): (String, String)) -> &mut Group {
        groups.entry(k).or_insert_with(|| Group { label, ..Default::default() })
    }
    // Received: counted by the database per (department, item), a month at a time when the rows
    // are months (China time), from the covering index (department, submitted, item) — at a
    // million cases, fetching the rows instead took seconds.
    let mut spans = vec![];
    if by == "month" {
        let mut first = from;
        while first <= to {
            let next = (first.with_day(1).unwrap_or(first) + Duration::days(32)).with_day(1).unwrap_or(to);
            spans.push((first, next.min(to + Duration::days(1))));
            first = next;
        }
    } else {
        spans.push((from, to + Duration::days(1)));
    }
    // Closed: each case was judged when it closed (`rules::deadline::ClosedCase::verdict`, kept on
    // the row); the database adds the verdicts up per department and item from the covering index
    // (closed day, department, item, verdict), and the rates come from `rules::deadline::Tally`.
    let per_department_and_item = || {
        case::Entity::find()
            .select_only()
            .columns([case::Column::DepartmentId, case::Column::ItemId])
            .column_as(case::Column::Id.count(), "n")
            .filter(case::Column::DepartmentId.is_in(deps.clone()))
            .group_by(case::Column::DepartmentId)
            .group_by(case::Column::ItemId)
    };
    let flag = |c: case::Column| Expr::cust(format!("SUM(CASE WHEN {} THEN 1 ELSE 0 END)", c.as_str()));
    for &(first, next) in &spans {
        let counts: Vec<(i32, i32, i64)> = per_department_and_item()
            .filter(case::Column::SubmittedAt.gte(utc(first)))
            .filter(case::Column::SubmittedAt.lt(utc(next)))
            .into_tuple()
            .all(db)
            .await?;
        for (d, it, n) in counts {
            group(&mut groups, key_of(d, it, first)).submitted += n as u64;
        }
        // Decided (办结) and not accepted, by the day of the decision or refusal.
        type Sums = (i32, i32, i64, i64, i64, i64, i64, i64, Option<i64>);
        let judged =
            Expr::cust(format!("SUM(CASE WHEN {} IS NOT NULL THEN 1 ELSE 0 END)", case::Column::DaysUsed.as_str()));
        let refused = Expr::cust(format!(
            "SUM(CASE WHEN {} = '{}' THEN 1 ELSE 0 END)",
            case::Column::State.as_str(),
            rules::CaseState::NotAccepted.code()
        ));
        let sums: Vec<Sums> = per_department_and_item()
            .column_as(judged, "judged")
            .column_as(refused, "refused")
            .column_as(flag(case::Column::ClosedOnTime), "on_time")
            .column_as(flag(case::Column::ClosedEarly), "early")
            .column_as(flag(case::Column::ClosedSameDay), "same_day")
            .column_as(case::Column::DaysUsed.sum(), "used")
            .filter(case::Column::DecidedOn.gte(first))
            .filter(case::Column::DecidedOn.lt(next))
            .into_tuple()
            .all(db)
            .await?;
        let c = |v: i64| v.max(0) as u64;
        for (d, it, _, judged, refused, on_time, early, same_day, used) in sums {
            let g = group(&mut groups, key_of(d, it, first));
            g.not_accepted += c(refused);
            g.decided.merge(&Tally {
                closed: c(judged),
                on_time: c(on_time),
                early: c(early),
                same_day: c(same_day),
                working_days_used: c(used.unwrap_or(0)),
            });
        }
        // Delivered, by the day of delivery: its own timeliness.
        let late = flag(case::Column::DeliveredLate);
        let deliveries: Vec<(i32, i32, i64, i64)> = per_department_and_item()
            .column_as(late, "late")
            .filter(case::Column::DeliveredOn.gte(first))
            .filter(case::Column::DeliveredOn.lt(next))
            .into_tuple()
            .all(db)
            .await?;
        for (d, it, n, late) in deliveries {
            let g = group(&mut groups, key_of(d, it, first));
            g.delivered += c(n);
            g.delivered_late += c(late);
        }
    }
    let row = |key: String, g: &Group| {
        let s = g.decided.stats();
        StatRow {
            key,
            label: g.label.clone(),
            submitted: g.submitted,
            not_accepted: g.not_accepted,
            delivered: g.delivered,
            delivered_on_time_rate: (g.delivered > 0)
                .then(|| (g.delivered - g.delivered_late.min(g.delivered)) as f64 / g.delivered as f64),
            closed: s.closed as u64,
            on_time_rate: s.on_time_rate,
            early_rate: s.early_rate,
            same_day_rate: s.same_day_rate,
            avg_working_days: s.avg_working_days_used,
        }
    };
    let mut all = Group { label: "合计".into(), ..Default::default() };
    for g in groups.values() {
        all.decided.merge(&g.decided);
        all.submitted += g.submitted;
        all.not_accepted += g.not_accepted;
        all.delivered += g.delivered;
        all.delivered_late += g.delivered_late;
    }
    let total = row("*".into(), &all);
    let rows = groups.iter().map(|(k, g)| row(k.clone(), g)).collect();
    Ok(Statistics { by: by.into(), from, to, department: dep, departments, rows, total })
}

fn pct(r: Option<f64>) -> String {
    r.map_or("—".into(), |r| format!("{:.1}%", r * 100.0))
}

fn avg(r: Option<f64>) -> String {
    r.map_or("—".into(), |r| format!("{r:.1}"))
}

/// The table's column headings.
pub fn headings(s: &Statistics, lang: Lang) -> [&'static str; 10] {
    [
        match s.by.as_str() {
            "item" => lang.pick("事项", "事項", "Service"),
            "month" => lang.pick("月份", "月份", "Month"),
            _ => lang.pick("部门", "部門", "Department"),
        },
        lang.pick("收件数", "收件數", "Received"),
        lang.pick("不予受理数", "不予受理數", "Not accepted"),
        lang.pick("办结数", "辦結數", "Decided"),
        lang.pick("按时办结率", "按時辦結率", "On time"),
        lang.pick("提前办结率", "提前辦結率", "Early"),
        lang.pick("当日办结率", "當日辦結率", "Same day"),
        lang.pick("平均用时（工作日）", "平均用時（工作日）", "Average working days"),
        lang.pick("送达数", "送達數", "Delivered"),
        lang.pick("按时送达率", "按時送達率", "Delivered on time"),
    ]
}

/// One row as text cells (CSV, page).
pub fn cells(r: &StatRow) -> [String; 10] {
    [
        r.label.clone(),
        r.submitted.to_string(),
        r.not_accepted.to_string(),
        r.closed.to_string(),
        pct(r.on_time_rate),
        pct(r.early_rate),
        pct(r.same_day_rate),
        avg(r.avg_working_days),
        r.delivered.to_string(),
        pct(r.delivered_on_time_rate),
    ]
}

/// CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese right).
pub fn csv(s: &Statistics, lang: Lang) -> String {
    let q = |v: &str| {
        // a cell a spreadsheet would read as a formula (=, +, -, @, or a tab or return first)
        // is text: an apostrophe before it (OWASP CSV injection)
        let v = if v.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{v}") } else { v.to_string() };
        let v = v.as_str();
        if v.contains([',', '"', '\n']) {
            format!("\"{}\"", v.replace('"', "\"\""))
        } else {
            v.to_string()
        }
    };
    let mut out = String::from("\u{feff}");
    out.push_str(&headings(s, lang).map(q).join(","));
    out.push_str("\r\n");
    for r in s.rows.iter().chain(std::iter::once(&s.total)) {
        out.push_str(&cells(r).iter().map(|c| q(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

/// XLSX: numbers as numbers (rates as percentages), one sheet.
pub fn xlsx(s: &Statistics, lang: Lang) -> Result<Vec<u8>, AppError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0.0%");
    let one = Format::new().set_num_format("0.0");
    let e = AppError::internal;
    sheet.write_string(0, 0, format!("{} – {}", s.from, s.to)).map_err(e)?;
    for (c, h) in headings(s, lang).iter().enumerate() {
        sheet.write_string_with_format(1, c as u16, *h, &bold).map_err(e)?;
    }
    for (i, r) in s.rows.iter().chain(std::iter::once(&s.total)).enumerate() {
        let row = (i + 2) as u32;
        sheet.write_string(row, 0, &r.label).map_err(e)?;
        for (c, n) in [(1u16, r.submitted), (2, r.not_accepted), (3, r.closed), (8, r.delivered)] {
            sheet.write_number(row, c, n as f64).map_err(e)?;
        }
        for (c, v) in [(4u16, r.on_time_rate), (5, r.early_rate), (6, r.same_day_rate), (9, r.delivered_on_time_rate)] {
            if let Some(v) = v {
                sheet.write_number_with_format(row, c, v, &percent).map_err(e)?;
            }
        }
        if let Some(v) = r.avg_working_days {
            sheet.write_number_with_format(row, 7, v, &one).map_err(e)?;
        }
    }
    sheet.set_column_width(0, 28).map_err(e)?;
    wb.save_to_buffer().map_err(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats() -> Statistics {
        let r = |label: &str, n: u64, rate: Option<f64>| StatRow {
            key: label.into(),
            label: label.into(),
            submitted: n,
            not_accepted: 1,
            closed: n / 2,
            delivered: n / 2,
            delivered_on_time_rate: Some(1.0),
            on_time_rate: rate,
            early_rate: rate,
            same_day_rate: None,
            avg_working_days: Some(3.25),
        };
        Statistics {
            by: "department".into(),
            from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            department: None,
            departments: vec![],
            rows: vec![r("自然资源局, \"东湖\"", 10, Some(0.5))],
            total: r("合计", 10, Some(0.5)),
        }
    }

    #[test]
    fn csv_quotes_and_formats() {
        let text = csv(&stats(), Lang::ZhHans);
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(
            lines[0],
            "部门,收件数,不予受理数,办结数,按时办结率,提前办结率,当日办结率,平均用时（工作日）,送达数,按时送达率"
        );
        assert_eq!(lines[1], "\"自然资源局, \"\"东湖\"\"\",10,1,5,50.0%,50.0%,—,3.2,5,100.0%");
        assert_eq!(lines[2], "合计,10,1,5,50.0%,50.0%,—,3.2,5,100.0%");
        // an item or department named like a formula stays text
        let mut evil = stats();
        evil.rows[0].label = "=HYPERLINK(\"http://evil.example\",\"点此\")".into();
        evil.total.label = "@SUM(A1)".into();
        let text = csv(&evil, Lang::ZhHans);
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert!(lines[1].starts_with("\"'=HYPERLINK("), "{}", lines[1]);
        assert!(lines[2].starts_with("'@SUM(A1),"), "{}", lines[2]);
    }

    #[test]
    fn xlsx_is_a_zip_with_a_sheet() {
        let bytes = xlsx(&stats(), Lang::ZhHans).unwrap();
        assert_eq!(&bytes[..2], b"PK");
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("xl/worksheets/sheet1.xml"));
    }
}
