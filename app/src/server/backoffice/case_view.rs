//! The staff view of one case: materials against the checklist, timeline, tasks, requests and the actions the caller may take.

use super::*;

/// The staff view of one case, for staff of its department.
/// The facts `rules::transition` weighs for a case now: what its page offers.
pub(super) fn facts_of(
    c: &case::Model,
    rules: &ItemRules,
    list: &rules::materials::Checklist,
    events: &[crate::server::entities::case_event::Model],
    tasks: &[case_task::Model],
    today: NaiveDate,
) -> rules::CaseFacts {
    rules::CaseFacts {
        today,
        materials_acceptable: list.acceptable(),
        correction_already_requested: rules::case::correction_notice_issued(events.iter().map(|e| e.action)),
        correction_due: c.correction_due,
        receipt_due: c.receipt_due(),
        extended_already: c.extended,
        extension_cap: rules.extension.max_working_days,
        fee_due: c.fee_due,
        opinions_pending: tasks.iter().filter(|t| t.answered_on.is_none()).count() as u32,
        filing: rules.kind == rules::item::ItemKind::Filing,
        supplement_overdue: c.supplement_overdue,
    }
}

pub async fn staff_case(
    db: &impl ConnectionTrait,
    user: Option<&SessionUser>,
    case_id: i32,
    today: NaiveDate,
) -> Result<StaffCase, AppError> {
    let Loaded { user, c, it, rules, a, tasks, own } = load(db, user, case_id).await?;
    if let SessionUser::Staff { id, .. } = &user {
        crate::server::audit::log_read(db, *id, c.id, if own { "case" } else { "case_masked" }).await?;
    }
    let kind = a.kind;
    let answers: Answers = c.answers.0.clone();
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
    let state = c.state;
    let events = cases::events(db, c.id, false).await?;
    let facts = facts_of(&c, &rules, &list, &events, &tasks, today);
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
    let pending = |kind: rules::workflow::RequestKind| {
        requests.iter().any(|r| r.status == rules::workflow::RequestStatus::Pending && r.kind == kind)
    };
    if state == CaseState::InReview && roles.contains(&Role::Reviewer) {
        if !pending(rules::workflow::RequestKind::Suspend) {
            actions.push("request_suspension".into());
        }
        if !pending(rules::workflow::RequestKind::Extend) && !c.extended && rules.extension.max_working_days > 0 {
            actions.push("request_extension".into());
        }
    }
    if roles.contains(&Role::Approver) && requests.iter().any(|r| r.status == rules::workflow::RequestStatus::Pending) {
        actions.push("decide_request".into());
    }
    let supplement = cases::supplements::view_of(&c, &rules, kind, &answers, &provided);
    if own
        && roles.contains(&Role::WindowClerk)
        && supplement.as_ref().is_some_and(|s| !s.overdue && s.missing.is_empty())
    {
        actions.push("confirm_supplement".into());
    }
    // (not a form of its own: the window uploads a walk-in's deferred materials on the case page)
    if own
        && roles.contains(&Role::WindowClerk)
        && supplement.as_ref().is_some_and(|s| !s.overdue && !s.missing.is_empty())
    {
        actions.push("upload_supplement".into());
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
    let notices =
        crate::models::NoticeKind::of_events(events.iter().filter(|e| !e.internal).map(|e| (e.action, e.to_state)));
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
            to_state: e.to_state,
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
            kind: t.kind,
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
            kind: r.kind,
            procedure: r.proc_kind.clone(),
            days: r.days,
            reason: r.reason.clone(),
            requested_by: staff_names.get(&r.requested_by).cloned().unwrap_or_default(),
            requested_on: r.requested_on,
            status: r.status,
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
    let bundle = super::bundle_panel(db, &user, &c, today).await?;
    Ok(StaffCase {
        id: c.id,
        version: c.version,
        case_no: c.case_no.clone().unwrap_or_default(),
        state,
        filing: rules.kind == rules::item::ItemKind::Filing,
        item_code: it.code,
        item_name: it.name,
        department: dep,
        // co-departments and other stages see only what their opinion needs
        applicant_number: if own {
            a.id_card_no.clone().or(a.credit_code.clone()).unwrap_or_default()
        } else {
            crate::server::accounts::masked_number(&a)
        },
        applicant_mobile: if own { a.mobile.clone() } else { crate::server::accounts::masked_mobile(&a.mobile) },
        applicant_name: a.name,
        answers: answers_labelled,
        materials,
        missing: list.missing,
        submitted_on: c.submitted_at.map(|t| (t + chrono::Duration::hours(8)).date_naive()),
        accepted_on: c.accepted_on,
        due_on: c.due_on,
        due_for: c.term(),
        correction_due: c.correction_due,
        fee_due: c.fee_due,
        extended: c.extended,
        extension_cap: rules.extension.max_working_days,
        timeline,
        actions,
        notices,
        supplement,
        results,
        own,
        channel: c.channel,
        assignee: c.assignee_id.and_then(|id| staff_names.get(&id).cloned()),
        reviewers,
        tasks: task_views,
        requests: request_views,
        bundle,
    })
}

/// The reviewers of a department: (staff id, name).
pub(super) async fn reviewers_of(
    db: &impl ConnectionTrait,
    department_id: i32,
) -> Result<Vec<(i32, String)>, AppError> {
    use crate::server::entities::staff_role;
    let ids: Vec<i32> = staff_role::Entity::find()
        .filter(staff_role::Column::DepartmentId.eq(department_id))
        .filter(staff_role::Column::Role.eq(Role::Reviewer))
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
