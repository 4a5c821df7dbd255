//! The case engine: drafts, and every state change as one transaction — the case row (with its
//! optimistic-lock version), an immutable event and a notification outbox row. What may happen is
//! decided by `rules::transition`; the dates it sets come from `rules::deadline`.

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate, Utc};
use rules::case::{Action, CaseFacts, CaseState, DecisionKind};
use rules::deadline::{self, Suspension, TimeLimit};
use rules::materials::{checklist, Answers, ApplicantKind};
use rules::supervision::{self, Term};
use rules::{Calendar, CaseNo, Role};
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
pub use history::{events, extension_days, item_rules, suspensions_from};
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
/// window clerk entering it at the counter (帮办), `None` for an online application.
pub async fn create_draft(
    db: &DatabaseConnection,
    applicant_id: i32,
    item_code: &str,
    answers: &Answers,
    intake: Option<i32>,
) -> Result<case::Model, AppError> {
    let it = super::catalog::newest_published(db, item_code).await?.ok_or(AppError::NotFound)?;
    let now = Utc::now();
    Ok(case::ActiveModel {
        case_no: Set(None),
        item_id: Set(it.id),
        item_version: Set(it.version),
        department_id: Set(it.department_id),
        applicant_id: Set(applicant_id),
        state: Set(CaseState::Draft.code().into()),
        version: Set(0),
        answers: Set(serde_json::to_string(answers).map_err(AppError::internal)?),
        created_at: Set(now),
        updated_at: Set(now),
        extended: Set(false),
        channel: Set(if intake.is_some() { "counter" } else { "online" }.into()),
        intake_staff_id: Set(intake),
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
    let state = CaseState::from_code(&current.state).ok_or_else(|| AppError::internal("unknown case state"))?;
    let it = item::Entity::find_by_id(current.item_id).one(tx).await?.ok_or(AppError::NotFound)?;
    let rules = item_rules(&it)?;
    let events = case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(current.id))
        .order_by_asc(case_event::Column::Seq)
        .all(tx)
        .await?;
    let correction_already_requested = rules::case::correction_notice_issued(events.iter().map(|e| e.action.as_str()));
    // The facts only some actions weigh are read only for them: the checklist (the applicant's
    // kind and answers against what was provided) for an acceptance or a filing's conclusion, the
    // open opinions for a decision.
    let list = if matches!(ch.action, Action::Accept | Action::DeemAccepted | Action::File { .. }) {
        let applicant = applicant::Entity::find_by_id(current.applicant_id).one(tx).await?.ok_or(AppError::NotFound)?;
        let kind = ApplicantKind::parse(&applicant.kind).unwrap_or(ApplicantKind::Person);
        let answers: Answers = serde_json::from_str(&current.answers).unwrap_or_default();
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
    let t = rules::transition(state, &ch.action, ch.actor.role, &facts).map_err(AppError::Refused)?;

    let mut am: case::ActiveModel = current.clone().into();
    am.state = Set(t.to.code().into());
    am.version = Set(current.version + 1);
    am.updated_at = Set(Utc::now());
    let mut susp = suspensions_from(&events);
    let decision_limit =
        |extra: u32| TimeLimit { amount: rules.decision_limit().amount + extra, ..rules.decision_limit() };
    let dl = |e: deadline::DeadlineError| AppError::internal(e);
    // What the new due date is the last day for: set with it below; a change that sets none
    // keeps the case's.
    let mut term = current.term();
    match &ch.action {
        Action::Submit => {
            if current.case_no.is_none() {
                let dep =
                    department::Entity::find_by_id(current.department_id).one(tx).await?.ok_or(AppError::NotFound)?;
                am.case_no = Set(Some(next_case_no(tx, &dep, ch.today).await?));
            }
            am.submitted_at = Set(Some(super::clock::stamp(ch.today)));
            // Until acceptance, the current deadline is the department's: accept or ask for
            // corrections within 5 working days of receipt.
            am.due_on = Set(Some(deadline::acceptance_window_end(cal, ch.today).map_err(dl)?));
            am.received_on = Set(Some(ch.today));
            term = Some(Term::Acceptance);
            if facts.filing {
                // A filing is concluded by the working day after its receipt [001 重庆], no
                // acceptance in between.
                am.due_on =
                    Set(Some(deadline::due_date(cal, ch.today, rules.decision_limit(), &[], ch.today).map_err(dl)?));
                term = Some(Term::Decision);
            }
        }
        Action::Resubmit => {
            am.due_on = Set(Some(deadline::acceptance_window_end(cal, ch.today).map_err(dl)?));
            term = Some(Term::Acceptance);
            am.received_on = Set(Some(ch.today));
            am.deemed_accepted_on = Set(None);
        }
        Action::Accept | Action::DeemAccepted => {
            // A receipt left unanswered past its window is accepted by law from the day it was
            // received (Art. 32): the decision clock starts there. (A receipt only flagged so, by
            // an older version, is accepted by the clerk from that day too.)
            let from = if ch.action == Action::DeemAccepted {
                let from = current.received_on.unwrap_or(ch.today);
                am.deemed_accepted_on = Set(Some(from));
                from
            } else {
                current.deemed_accepted_on.unwrap_or(ch.today)
            };
            am.accepted_on = Set(Some(from));
            am.due_on = Set(Some(deadline::due_date(cal, from, decision_limit(0), &[], ch.today).map_err(dl)?));
            term = Some(Term::Decision);
            // 容缺: the deferred materials are due within the item's term.
            if list.as_ref().is_some_and(|l| !l.missing_deferrable.is_empty()) {
                am.supplement_due =
                    Set(Some(deadline::deferred_supplement_due(from, rules.deferral_term, cal).map_err(dl)?));
            }
            // Unified acceptance: the co-departments and the first review stage get the case today.
            open_tasks(tx, cal, &rules, &current, ch.today).await?;
        }
        Action::RequestCorrection => {
            let due = deadline::due_date(cal, ch.today, rules.correction_term, &[], ch.today).map_err(dl)?;
            am.correction_due = Set(Some(due));
            am.due_on = Set(Some(due));
            term = Some(Term::Correction);
        }
        Action::Suspend { .. } | Action::Resume | Action::Extend { .. } => {
            if matches!(ch.action, Action::Suspend { .. }) {
                susp.push(Suspension { first: ch.today, last: None });
            }
            if let Action::Resume = ch.action {
                if let Some(open) = susp.iter_mut().find(|s| s.last.is_none()) {
                    open.last = Some(ch.today - Duration::days(1));
                }
                susp.retain(|s| s.last.is_none_or(|l| l >= s.first));
            }
            let extra = match &ch.action {
                Action::Extend { days, .. } => {
                    am.extended = Set(true);
                    *days
                }
                _ => extension_days(&events),
            };
            if let Some(start) = current.accepted_on {
                am.due_on =
                    Set(Some(deadline::due_date(cal, start, decision_limit(extra), &susp, ch.today).map_err(dl)?));
            }
            // A suspension stops every clock of the case, the opinions' too.
            if !matches!(ch.action, Action::Extend { .. }) {
                redate_tasks(tx, cal, &rules, current.id, &susp, ch.today).await?;
            }
        }
        Action::IssueFeeNotice => {
            let payment = rules.fee_term.unwrap_or(TimeLimit::working(10));
            let due = deadline::fee_due(cal, ch.today, payment).map_err(dl)?;
            am.fee_due = Set(Some(due));
            am.due_on = Set(Some(due));
            term = Some(Term::Payment);
        }
        Action::RecordPayment => {
            am.due_on = Set(Some(deadline::delivery_due(cal, ch.today).map_err(dl)?));
            term = Some(Term::Delivery);
        }
        Action::Decide { kind, .. } => {
            // Judged on the decision (承诺时限 against the decision day): a case's payment and
            // delivery are not its decision's time.
            if current.decided_on.is_none() {
                am.decided_on = Set(Some(ch.today));
                am.decision_due = Set(current.due_on);
                set_verdict(&mut am, verdict(cal, current.accepted_on, current.due_on, ch.today, &susp));
            }
            (term, am.due_on) = match kind {
                // 上报: the higher authority's clock, not this department's.
                DecisionKind::Forward => (None, Set(None)),
                _ => next_term(cal, *kind, rules.charges_fee(), ch.today)?,
            };
        }
        // A filing's conclusion, judged against its term from the receipt.
        Action::File { kind, .. } => {
            am.decided_on = Set(Some(ch.today));
            am.decision_due = Set(current.due_on);
            set_verdict(&mut am, verdict(cal, current.received_on, current.due_on, ch.today, &susp));
            (term, am.due_on) = next_term(cal, *kind, rules.charges_fee(), ch.today)?;
        }
        // The higher authority answered a forwarded case: its grant or denial runs the same
        // terms from the day it is recorded. The department was judged when it forwarded.
        Action::RecordHigherDecision { kind, .. } => {
            (term, am.due_on) = next_term(cal, *kind, rules.charges_fee(), ch.today)?;
        }
        Action::FeeExpired => {
            // The refusal for an unpaid fee is delivered like every refusal.
            am.due_on = Set(Some(deadline::delivery_after_decision_due(cal, ch.today).map_err(dl)?));
            term = Some(Term::Delivery);
        }
        // The correction's term is over: the window has 2 working days from its end to have the
        // refusal approved by the head [001 第九条], on the department's clock.
        Action::CorrectionExpired => {
            let over = current.correction_due.unwrap_or(ch.today);
            am.due_on = Set(Some(deadline::correction_expiry_decision_due(cal, over).map_err(dl)?));
            term = Some(Term::Refusal);
        }
        Action::Reject { .. } | Action::ApproveRefusal => {
            am.decided_on = Set(Some(ch.today));
            (term, am.due_on) = (None, Set(None));
        }
        Action::Deliver => {
            am.delivered_on = Set(Some(ch.today));
            am.delivered_late = Set(term == Some(Term::Delivery) && current.due_on.is_some_and(|d| ch.today > d));
            term = None;
        }
        Action::PrepareDelivery if term != Some(Term::Delivery) => {
            // Prepared without a fee notice: the delivery term of the decision.
            let decided = current.decided_on.unwrap_or(ch.today);
            am.due_on = Set(Some(deadline::delivery_after_decision_due(cal, decided).map_err(dl)?));
            term = Some(Term::Delivery);
        }
        Action::Close => am.closed_on = Set(Some(ch.today)),
        _ => {}
    }
    // A state that does not run the term (a final one, a withdrawal) keeps none.
    let term = term.filter(|x| Term::of(t.to).contains(x));
    am.due_for = Set(term.map(|x| x.code().to_string()));
    let due_now = am.due_on.clone().unwrap();
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
    if let Some((kind, due)) = supervision::record_due(t.to, term, due_now, ch.today) {
        effects::open_record(tx, current.id, current.department_id, kind, due, ch.today).await?;
    }
    if let Some(request) = ch.grants_request {
        use super::entities::case_request;
        let res = case_request::Entity::update_many()
            .col_expr(case_request::Column::Status, Expr::value("approved"))
            .col_expr(case_request::Column::DecidedBy, Expr::value(ch.actor.id))
            .col_expr(case_request::Column::DecidedOn, Expr::value(ch.today))
            .filter(case_request::Column::Id.eq(request))
            .filter(case_request::Column::CaseId.eq(current.id))
            .filter(case_request::Column::Status.eq("pending"))
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
            action: t.action.code().into(),
            from_state: t.from.code().into(),
            to_state: t.to.code().into(),
            actor_kind: ch.actor.kind.as_str().into(),
            actor_id: ch.actor.id,
            role: ch.actor.role.as_str().into(),
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
        effects::notify(tx, &updated, t.action.code()).await?;
    }
    if ch.actor.kind != PrincipalKind::Applicant {
        outbox_row(updated.id, updated.applicant_id, &updated.case_no, t.to.code(), updated.due_on, t.action.code())
            .insert(tx)
            .await?;
    }
    Ok(updated)
}

/// The term a grant or a denial made on `day` runs first, and its last day: the fee notice the
/// same day where a fee is due [001 第十八条], else the delivery within 10 working days (Art. 44).
fn next_term(
    cal: &Calendar,
    kind: DecisionKind,
    charges_fee: bool,
    day: NaiveDate,
) -> Result<(Option<Term>, sea_orm::ActiveValue<Option<NaiveDate>>), AppError> {
    Ok(match kind {
        DecisionKind::Grant if charges_fee => (Some(Term::FeeNotice), Set(Some(day))),
        _ => (
            Some(Term::Delivery),
            Set(Some(deadline::delivery_after_decision_due(cal, day).map_err(AppError::internal)?)),
        ),
    })
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
    action: &str,
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
    action: &str,
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
            action: action.into(),
            from_state: current.state.clone(),
            to_state: current.state.clone(),
            actor_kind: actor.kind.as_str().into(),
            actor_id: actor.id,
            role: actor.role.as_str().into(),
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
    let rules = item_rules(&it)?;
    let state = CaseState::from_code(&c.state).ok_or_else(|| AppError::internal("unknown case state"))?;
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
        due_on: c.due_on,
        due_for: c.term(),
        warning: status.map(|s| s.level),
        remaining: status.map(|s| s.remaining),
        updated: (c.updated_at + Duration::hours(8)).date_naive(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(seq: i32, action: &str, day: &str) -> case_event::Model {
        let d = NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
        case_event::Model {
            id: seq,
            case_id: 1,
            seq,
            action: action.into(),
            from_state: String::new(),
            to_state: String::new(),
            actor_kind: "staff".into(),
            actor_id: 1,
            role: "approver".into(),
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
