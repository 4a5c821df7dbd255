//! The supervisor's side (电子监察): a department's dashboard (open cases by warning level,
//! today's due, the overdue list, accountability records, repeated refusals, bad ratings and
//! complaints with their follow-up, the audit chain and the last sweep), the department's answers
//! and the supervisor's closing, and the statistics with their exports.

use std::collections::BTreeMap;

use chrono::{NaiveDate, Utc};
use rules::deadline;
use rules::{Calendar, CaseState, Lang, Role};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

mod statistics;
use statistics::names_of_items;
pub use statistics::{cells, csv, headings, statistics, statistics_for, xlsx};

use super::entities::{accountability, applicant, case, complaint, department, evaluation, item, scheduler_run};
use super::error::AppError;
use super::guard::require_staff;
use crate::models::{
    CaseLine, ComplaintLine, Dashboard, LevelCounts, RatingLine, RecordLine, RepeatLine, RunLine, SessionUser,
    SupervisionAction,
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
            state: c.state.label(lang).to_string(),
            due_on: c.due_on,
            remaining: c.due_on.and_then(|d| deadline::warning(cal, d, today, 2).ok()).map(|s| s.remaining),
        })
        .collect()
}

/// Each item's yellow-light threshold in working days (`ItemRules::warning_days`).
pub async fn warning_days(db: &impl ConnectionTrait) -> Result<BTreeMap<i32, u32>, AppError> {
    let mut out = BTreeMap::new();
    for it in item::Entity::find().all(db).await? {
        let r: rules::item::ItemRules = it.rules.clone();
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
            kind: r.kind.label(lang).to_string(),
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
        .filter(case::Column::State.is_in(CaseState::REFUSALS))
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
