//! The case engine: drafts, and every state change as one transaction — the case row (with its
//! optimistic-lock version), an immutable event and a notification outbox row. What may happen is
//! decided by `rules::transition`; the dates it sets come from `rules::deadline`.

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate, Utc};
use rules::case::{Action, CaseFacts, CaseState};
use rules::deadline;
use rules::materials::{checklist, Answers};
use rules::outcome::{outcome, Blocked, CaseNow, Clocks, History, Tasks};
use rules::{Calendar, CaseNo, Channel, EventKind, Role};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

pub mod documents;
pub mod effects;
pub use effects::{count_move, outbox_row};
pub mod filings;
mod history;
pub mod supplements;
mod tasks;
pub use history::{events, extension_days, notices_of, suspensions_from};
pub use tasks::answer_task;
use tasks::{open_tasks, redate_tasks};
mod verdicts;
pub use verdicts::{judge_decided, set_verdict, verdict};

use super::auth::PrincipalKind;
use super::db;
use super::entities::{applicant, case, case_counter, case_event, case_task, department, item};
use super::error::AppError;

/// Who acts, in which role (already checked by the guard for staff).
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    pub kind: PrincipalKind,
    pub id: i32,
    pub role: Role,
}

impl Actor {
    /// The scheduler, applying the rules of a day.
    pub const SYSTEM: Actor = Actor { kind: PrincipalKind::System, id: 0, role: Role::System };
}

/// Starts a draft application for the newest published version of an item; `intake` names the
/// window clerk entering it at the counter (帮办), `None` for an online application; `bundle` the
/// 一件事 application it is one item of.
pub async fn create_draft(
    db: &impl ConnectionTrait,
    applicant_id: i32,
    item_code: &str,
    answers: &Answers,
    intake: Option<i32>,
    bundle: Option<i32>,
) -> Result<case::Model, AppError> {
    let it = super::catalog::newest_published(db, item_code).await?.ok_or(AppError::NotFound)?;
    let now = Utc::now();
    Ok(case::ActiveModel {
        case_no: Set(None),
        item_id: Set(it.id),
        item_version: Set(it.version),
        department_id: Set(it.department_id),
        applicant_id: Set(applicant_id),
        state: Set(CaseState::Draft),
        version: Set(0),
        answers: Set(case::StoredAnswers(answers.clone())),
        created_at: Set(now),
        updated_at: Set(now),
        extended: Set(false),
        channel: Set(if intake.is_some() { Channel::Counter } else { Channel::Online }),
        intake_staff_id: Set(intake),
        bundle_application_id: Set(bundle),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// A requested state change.
#[derive(Debug, Clone)]
pub struct Change {
    pub case_id: i32,
    /// The version the actor saw: if the case changed since, the change is refused as stale.
    pub expected_version: i32,
    pub action: Action,
    pub actor: Actor,
    pub comment: String,
    /// Staff-internal comment (never shown to the applicant).
    pub internal: bool,
    pub today: NaiveDate,
    /// Materials that have at least one file (submissions arrive with the application form).
    pub provided: BTreeSet<String>,
    /// An approver's request row this change grants (marked approved in the same transaction).
    pub grants_request: Option<i32>,
}

async fn next_case_no(tx: &impl ConnectionTrait, dep: &department::Model, day: NaiveDate) -> Result<String, AppError> {
    case_counter::Entity::insert(case_counter::ActiveModel {
        department_id: Set(dep.id),
        day: Set(day),
        last_seq: Set(1),
    })
    .on_conflict(
        OnConflict::columns([case_counter::Column::DepartmentId, case_counter::Column::Day])
            .value(
                case_counter::Column::LastSeq,
                Expr::col((case_counter::Entity, case_counter::Column::LastSeq)).add(1),
            )
            .to_owned(),
    )
    .exec_without_returning(tx)
    .await?;
    let row = case_counter::Entity::find_by_id((dep.id, day))
        .one(tx)
        .await?
        .ok_or_else(|| AppError::internal("counter row"))?;
    let no = CaseNo::new(&dep.code, day, row.last_seq as u32).map_err(AppError::internal)?;
    Ok(no.to_string())
}

/// Applies a change in one write transaction. Refusals by the rules come back as
/// [`AppError::Refused`]; a concurrent change as [`AppError::Stale`].
pub async fn apply(db: &DatabaseConnection, cal: &Calendar, ch: Change) -> Result<case::Model, AppError> {
    let tx = db::write_tx(db).await?;
    let updated = apply_in(&tx, cal, ch).await?;
    tx.commit().await?;
    Ok(updated)
}

/// [`apply`] inside the caller's write transaction (the sweep applies many changes in one,
/// each in its own savepoint); the caller commits.
pub async fn apply_in(tx: &impl ConnectionTrait, cal: &Calendar, ch: Change) -> Result<case::Model, AppError> {
    let current = case::Entity::find_by_id(ch.case_id).one(tx).await?.ok_or(AppError::NotFound)?;
    if current.version != ch.expected_version {
        return Err(AppError::Stale);
    }
    if ch.actor.kind == PrincipalKind::Applicant
        && (current.applicant_id != ch.actor.id || ch.actor.role != Role::Applicant)
    {
        return Err(AppError::Forbidden);
    }
    let state = current.state;
    let it = item::Entity::find_by_id(current.item_id).one(tx).await?.ok_or(AppError::NotFound)?;
    let rules = it.rules.clone();
    let events = case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(current.id))
        .order_by_asc(case_event::Column::Seq)
        .all(tx)
        .await?;
    let correction_already_requested = rules::case::correction_notice_issued(events.iter().map(|e| e.action));
    // The facts only some actions weigh are read only for them: the checklist (the applicant's
    // kind and answers against what was provided) for an acceptance or a filing's conclusion, the
    // open opinions for a decision.
    let list = if matches!(ch.action, Action::Accept | Action::DeemAccepted | Action::File { .. }) {
        let applicant = applicant::Entity::find_by_id(current.applicant_id).one(tx).await?.ok_or(AppError::NotFound)?;
        let kind = applicant.kind;
        let answers: Answers = current.answers.0.clone();
        Some(checklist(&rules.materials, kind, &answers, &ch.provided, None))
    } else {
        None
    };
    let opinions_pending = if matches!(ch.action, Action::Decide { .. }) {
        case_task::Entity::find()
            .filter(case_task::Column::CaseId.eq(current.id))
            .filter(case_task::Column::AnsweredOn.is_null())
            .count(tx)
            .await? as u32
    } else {
        0
    };
    let facts = CaseFacts {
        today: ch.today,
        materials_acceptable: list.as_ref().is_some_and(|l| l.acceptable()),
        correction_already_requested,
        correction_due: current.correction_due,
        receipt_due: current.receipt_due(),
        extended_already: current.extended,
        extension_cap: rules.extension.max_working_days,
        fee_due: current.fee_due,
        opinions_pending,
        filing: rules.kind == rules::item::ItemKind::Filing,
        supplement_overdue: current.supplement_overdue,
    };
    let history = History { suspensions: suspensions_from(&events), extension_days: extension_days(&events) };
    let clocks = current.clocks();
    let now = CaseNow {
        state,
        facts: &facts,
        clocks: &clocks,
        history: &history,
        deferred_missing: list.as_ref().is_some_and(|l| !l.missing_deferrable.is_empty()),
    };
    let o = outcome(cal, &rules, now, &ch.action, ch.actor.role).map_err(|e| match e {
        Blocked::Refused(r) => AppError::Refused(r),
        Blocked::Calendar(e) => AppError::internal(e),
    })?;
    let t = &o.transition;

    let mut am: case::ActiveModel = current.clone().into();
    am.state = Set(t.to);
    am.version = Set(current.version + 1);
    am.updated_at = Set(Utc::now());
    set_clocks(&mut am, &clocks, &o.clocks);
    if let Some(v) = o.verdict {
        set_verdict(&mut am, v);
    }
    if ch.action == Action::Submit {
        if current.case_no.is_none() {
            let dep = department::Entity::find_by_id(current.department_id).one(tx).await?.ok_or(AppError::NotFound)?;
            am.case_no = Set(Some(next_case_no(tx, &dep, ch.today).await?));
        }
        am.submitted_at = Set(Some(super::clock::stamp(ch.today)));
    }
    match &o.tasks {
        Tasks::Keep => {}
        Tasks::OpenAtAcceptance => open_tasks(tx, cal, &rules, &current, ch.today).await?,
        Tasks::Redate(susp) => redate_tasks(tx, cal, &rules, current.id, susp, ch.today).await?,
    }
    // Optimistic lock: only the row still at the version we read is updated.
    let res = case::Entity::update_many()
        .set(am)
        .filter(case::Column::Id.eq(current.id))
        .filter(case::Column::Version.eq(current.version))
        .exec(tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::Stale);
    }
    count_move(tx, current.department_id, t.from, t.to, 1).await?;
    // A change that leaves the case on a department clock already past its due date is held to
    // account at once (the sweep records only the due dates that passed since its last run).
    if let Some((kind, due)) = o.record {
        effects::open_record(tx, current.id, current.department_id, kind, due, ch.today).await?;
    }
    if let Some(request) = ch.grants_request {
        use super::entities::case_request;
        let res = case_request::Entity::update_many()
            .col_expr(case_request::Column::Status, Expr::value(rules::workflow::RequestStatus::Approved))
            .col_expr(case_request::Column::DecidedBy, Expr::value(ch.actor.id))
            .col_expr(case_request::Column::DecidedOn, Expr::value(ch.today))
            .filter(case_request::Column::Id.eq(request))
            .filter(case_request::Column::CaseId.eq(current.id))
            .filter(case_request::Column::Status.eq(rules::workflow::RequestStatus::Pending))
            .exec(tx)
            .await?;
        if res.rows_affected != 1 {
            return Err(AppError::Stale);
        }
    }
    // Extensions keep their length with the reason: "days|reason".
    let comment = match &ch.action {
        Action::Extend { days, reason } => format!("{days}|{reason}"),
        Action::Reject { reason }
        | Action::Suspend { reason, .. }
        | Action::Decide { reason, .. }
        | Action::RecordHigherDecision { reason, .. }
        | Action::File { reason, .. }
            if ch.comment.is_empty() =>
        {
            reason.clone()
        }
        _ => ch.comment.clone(),
    };
    super::audit::append(
        tx,
        super::audit::NewEvent {
            case_id: current.id,
            action: t.action.event(),
            from_state: t.from,
            to_state: t.to,
            actor_kind: ch.actor.kind.as_str().into(),
            actor_id: ch.actor.id,
            role: ch.actor.role,
            comment,
            internal: ch.internal,
            on_day: ch.today,
        },
        events.last(),
    )
    .await?;
    let updated = case::Entity::find_by_id(current.id).one(tx).await?.ok_or(AppError::NotFound)?;
    // The applicant's inbox hears of every change they did not make themselves, and of their own
    // submissions (the receipt message).
    if ch.actor.kind != PrincipalKind::Applicant || matches!(ch.action, Action::Submit | Action::Resubmit) {
        effects::notify(tx, &updated, t.action.event()).await?;
    }
    if ch.actor.kind != PrincipalKind::Applicant {
        outbox_row(updated.id, updated.applicant_id, &updated.case_no, t.to, updated.due_on, t.action.event())
            .insert(tx)
            .await?;
    }
    Ok(updated)
}

/// Writes the clocks `rules::outcome` returned onto the row: only those that changed, so a
/// column another write keeps (a 容缺 supplement) is never written back from this read.
fn set_clocks(am: &mut case::ActiveModel, was: &Clocks, c: &Clocks) {
    if c.term != was.term {
        am.due_for = Set(c.term);
    }
    if c.due_on != was.due_on {
        am.due_on = Set(c.due_on);
    }
    if c.received_on != was.received_on {
        am.received_on = Set(c.received_on);
    }
    if c.accepted_on != was.accepted_on {
        am.accepted_on = Set(c.accepted_on);
    }
    if c.deemed_accepted_on != was.deemed_accepted_on {
        am.deemed_accepted_on = Set(c.deemed_accepted_on);
    }
    if c.correction_due != was.correction_due {
        am.correction_due = Set(c.correction_due);
    }
    if c.fee_due != was.fee_due {
        am.fee_due = Set(c.fee_due);
    }
    if c.supplement_due != was.supplement_due {
        am.supplement_due = Set(c.supplement_due);
    }
    if c.decided_on != was.decided_on {
        am.decided_on = Set(c.decided_on);
    }
    if c.decision_due != was.decision_due {
        am.decision_due = Set(c.decision_due);
    }
    if c.extended != was.extended {
        am.extended = Set(c.extended);
    }
    if c.delivered_on != was.delivered_on {
        am.delivered_on = Set(c.delivered_on);
    }
    if c.delivered_late != was.delivered_late {
        am.delivered_late = Set(c.delivered_late);
    }
    if c.closed_on != was.closed_on {
        am.closed_on = Set(c.closed_on);
    }
}

/// A change to a case that is not a state transition (assignment, opinion, request): bumps the
/// version (optimistic lock) and records the event; returns the open transaction for the caller's
/// other writes, which it commits.
#[allow(clippy::too_many_arguments)]
pub async fn note(
    db: &DatabaseConnection,
    case_id: i32,
    expected_version: i32,
    actor: Actor,
    action: EventKind,
    comment: String,
    internal: bool,
    today: NaiveDate,
    assignee: Option<Option<i32>>,
) -> Result<(sea_orm::DatabaseTransaction, case::Model), AppError> {
    let tx = db::write_tx(db).await?;
    let updated = note_in(&tx, case_id, expected_version, actor, action, comment, internal, today, assignee).await?;
    Ok((tx, updated))
}

/// [`note`] inside the caller's transaction.
#[allow(clippy::too_many_arguments)]
pub async fn note_in(
    tx: &impl ConnectionTrait,
    case_id: i32,
    expected_version: i32,
    actor: Actor,
    action: EventKind,
    comment: String,
    internal: bool,
    today: NaiveDate,
    assignee: Option<Option<i32>>,
) -> Result<case::Model, AppError> {
    let current = case::Entity::find_by_id(case_id).one(tx).await?.ok_or(AppError::NotFound)?;
    if current.version != expected_version {
        return Err(AppError::Stale);
    }
    let mut q = case::Entity::update_many()
        .col_expr(case::Column::Version, Expr::value(current.version + 1))
        .col_expr(case::Column::UpdatedAt, Expr::value(Utc::now()));
    if let Some(a) = assignee {
        q = q.col_expr(case::Column::AssigneeId, Expr::value(a));
    }
    let res = q.filter(case::Column::Id.eq(case_id)).filter(case::Column::Version.eq(current.version)).exec(tx).await?;
    if res.rows_affected != 1 {
        return Err(AppError::Stale);
    }
    let last = case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(case_id))
        .order_by_desc(case_event::Column::Seq)
        .one(tx)
        .await?;
    super::audit::append(
        tx,
        super::audit::NewEvent {
            case_id,
            action,
            from_state: current.state,
            to_state: current.state,
            actor_kind: actor.kind.as_str().into(),
            actor_id: actor.id,
            role: actor.role,
            comment: comment.chars().take(4000).collect(),
            internal,
            on_day: today,
        },
        last.as_ref(),
    )
    .await?;
    let updated = case::Entity::find_by_id(case_id).one(tx).await?.ok_or(AppError::NotFound)?;
    Ok(updated)
}

/// The applicant's view of a case: state, due date and warning level on `today`.
pub async fn summary(
    db: &impl ConnectionTrait,
    cal: &Calendar,
    c: &case::Model,
    today: NaiveDate,
) -> Result<crate::models::CaseSummary, AppError> {
    let it = item::Entity::find_by_id(c.item_id).one(db).await?.ok_or(AppError::NotFound)?;
    let rules = it.rules.clone();
    let state = c.state;
    let open = !state.is_final() && !matches!(state, CaseState::Draft | CaseState::Delivered);
    let status = match (open, c.due_on) {
        (true, Some(due)) => deadline::warning(cal, due, today, rules.warning_days).ok(),
        _ => None,
    };
    Ok(crate::models::CaseSummary {
        id: c.id,
        case_no: c.case_no.clone(),
        item_name: it.name,
        state,
        filing: rules.kind == rules::item::ItemKind::Filing,
        due_on: c.due_on,
        due_for: c.term(),
        warning: status.map(|s| s.level),
        remaining: status.map(|s| s.remaining),
        updated: (c.updated_at + Duration::hours(8)).date_naive(),
        bundle: c.bundle_application_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rules::deadline::Suspension;

    fn ev(seq: i32, action: &str, day: &str) -> case_event::Model {
        let d = NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
        case_event::Model {
            id: seq,
            case_id: 1,
            seq,
            action: rules::EventKind::parse(action).unwrap(),
            from_state: CaseState::InReview,
            to_state: CaseState::InReview,
            actor_kind: "staff".into(),
            actor_id: 1,
            role: Role::Approver,
            comment: String::new(),
            internal: false,
            at: d.and_hms_opt(2, 0, 0).unwrap().and_utc(),
            on_day: d,
            prev_hash: String::new(),
            hash: String::new(),
        }
    }

    #[test]
    fn suspensions_from_events_table() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let events = vec![
            ev(1, "accept", "2025-10-09"),
            ev(2, "suspend", "2025-10-13"),
            ev(3, "resume", "2025-10-20"),
            ev(4, "suspend", "2025-10-27"),
        ];
        assert_eq!(
            suspensions_from(&events),
            vec![
                Suspension::closed(d("2025-10-13"), d("2025-10-19")),
                Suspension { first: d("2025-10-27"), last: None }
            ]
        );
        // suspended and resumed on the same day: no time lost
        assert_eq!(suspensions_from(&[ev(1, "suspend", "2025-10-13"), ev(2, "resume", "2025-10-13")]), vec![]);
    }
}
