//! The back office as services: queues per role and department (keyset pages sorted by the
//! current deadline), the staff view of a case, and every staff action through
//! [`super::cases::apply`] with the role the caller holds in the case's department.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rules::case::{Action, CaseState, DecisionKind};
use rules::item::ItemRules;
use rules::materials::{correction_notice, Answers, ClerkFinding, ProvidedFile};
use rules::{Calendar, EventKind, Lang, Role};
use sea_orm::sea_query::Condition;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::auth::PrincipalKind;
use super::cases::documents::{file_view, files_of, issue_result_document, results_of};
use super::cases::{self, Actor, Change};
use super::entities::{applicant, case, case_request, case_task, department, item, staff, state_count};
use super::error::AppError;
mod actions;
mod bundle;
mod case_view;
mod queue;
mod workflow;

pub use actions::*;
pub use bundle::*;
pub use case_view::*;
pub use queue::*;
use workflow::act_on_workflow;

use crate::models::{
    bucket_states, MaterialCheck, QueuePage, QueueRow, RequestView, SessionUser, StaffAction, StaffCase, StaffEvent,
    TaskView, BUCKETS,
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

/// The departments whose case lists are the caller's ([`rules::access::lists_department_cases`]):
/// where it handles or supervises cases. A co-reviewer's or an admin's role lists none.
fn departments_of(user: Option<&SessionUser>) -> Result<Vec<i32>, AppError> {
    super::guard::require_staff(user, &[], None)?;
    let mut d: Vec<i32> =
        held(user).into_iter().filter(|(_, r)| rules::access::lists_department_cases(*r)).map(|(d, _)| d).collect();
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

/// Open review states: what "assigned to me" lists.
const REVIEW_STATES: [CaseState; 3] = [CaseState::Accepted, CaseState::InReview, CaseState::Suspended];

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

/// The action templates the back office offers, with placeholder reasons for the dry run.
fn candidates() -> Vec<(&'static str, Action)> {
    let r = || "预检查理由".to_string();
    vec![
        ("accept", Action::Accept),
        ("request_correction", Action::RequestCorrection),
        ("reject", Action::Reject { reason: r() }),
        ("approve_refusal", Action::ApproveRefusal),
        ("approve_denial", Action::ApproveDenial),
        ("file_grant", Action::File { kind: DecisionKind::Grant, reason: String::new() }),
        ("file_deny", Action::File { kind: DecisionKind::Deny, reason: r() }),
        ("start_review", Action::StartReview),
        ("suspend", Action::Suspend { kind: r(), reason: r() }),
        ("resume", Action::Resume),
        ("extend", Action::Extend { days: 1, reason: r() }),
        ("decide_grant", Action::Decide { kind: DecisionKind::Grant, reason: String::new() }),
        ("decide_deny", Action::Decide { kind: DecisionKind::Deny, reason: r() }),
        ("decide_forward", Action::Decide { kind: DecisionKind::Forward, reason: r() }),
        ("record_higher_grant", Action::RecordHigherDecision { kind: DecisionKind::Grant, reason: String::new() }),
        ("record_higher_deny", Action::RecordHigherDecision { kind: DecisionKind::Deny, reason: r() }),
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
    /// The caller handles the case and sees it whole ([`rules::access::CaseView::Full`]); else
    /// it is shown masked.
    own: bool,
}

/// A case's tasks as the access policy ([`rules::access`]) sees them.
fn duties_of(tasks: &[case_task::Model]) -> Vec<rules::access::TaskDuty> {
    tasks
        .iter()
        .map(|t| rules::access::TaskDuty { department: t.department_id, role: t.role, opened: t.opened_on.is_some() })
        .collect()
}

/// Case `c` as the access policy sees it, with its tasks' `duties` ([`duties_of`]).
fn case_duties<'a>(c: &case::Model, duties: &'a [rules::access::TaskDuty]) -> rules::access::CaseDuties<'a> {
    rules::access::CaseDuties {
        department: c.department_id,
        draft: c.state == CaseState::Draft,
        assignee: c.assignee_id,
        tasks: duties,
    }
}

/// What the caller sees of case `c` with these tasks, by the one policy ([`rules::access::case_view`]).
fn view_of(user: &SessionUser, c: &case::Model, tasks: &[case_task::Model]) -> rules::access::CaseView {
    let duties = duties_of(tasks);
    rules::access::case_view(staff_id_of(Some(user)), &held(Some(user)), &case_duties(c, &duties))
}

/// Loads a case for a member of staff whose duty it is ([`rules::access::case_view`]): its
/// department's handlers, its supervisor, a co-department or a stage its task has reached.
/// Anyone else is refused; a draft is not found (the applicant's own, or the counter's: intake).
async fn load(db: &impl ConnectionTrait, user: Option<&SessionUser>, case_id: i32) -> Result<Loaded, AppError> {
    let c = case::Entity::find_by_id(case_id).one(db).await?.ok_or(AppError::NotFound)?;
    super::guard::require_staff(user, &[], None)?;
    let user = user.cloned().ok_or(AppError::Unauthorized)?;
    if c.state == CaseState::Draft {
        return Err(AppError::NotFound);
    }
    let tasks = case_task::Entity::find()
        .filter(case_task::Column::CaseId.eq(c.id))
        .order_by_asc(case_task::Column::Ord)
        .order_by_asc(case_task::Column::Id)
        .all(db)
        .await?;
    let view = view_of(&user, &c, &tasks);
    if view == rules::access::CaseView::Refused {
        return Err(AppError::Forbidden);
    }
    let own = view == rules::access::CaseView::Full;
    let it = item::Entity::find_by_id(c.item_id).one(db).await?.ok_or(AppError::NotFound)?;
    let rules: ItemRules = it.rules.clone();
    let a = applicant::Entity::find_by_id(c.applicant_id).one(db).await?.ok_or(AppError::NotFound)?;
    Ok(Loaded { user, c, it, rules, a, tasks, own })
}

/// Whether the caller may answer a task now.
fn may_answer(user: &SessionUser, t: &case_task::Model) -> bool {
    t.opened_on.is_some()
        && t.answered_on.is_none()
        && held(Some(user)).iter().any(|(d, r)| *d == t.department_id && *r == t.role)
}

/// May the caller read a case (its files, notices, documents)? Its applicant, or a member of
/// staff whose duty it is (the one policy, [`rules::access::case_view`]).
pub async fn may_read_case(
    db: &impl ConnectionTrait,
    user: Option<&SessionUser>,
    c: &case::Model,
) -> Result<(), AppError> {
    match user {
        Some(SessionUser::Staff { .. }) => load(db, user, c.id).await.map(|_| ()),
        _ => super::guard::may_read_own_case(user, c.applicant_id),
    }
}
