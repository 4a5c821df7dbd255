//! The back-office actions that are not state transitions of their own (opinions, assignment,
//! reviewers' requests and their approval, answers to review stages and co-department requests),
//! each one transaction: the case row at the version seen, and its event.

use super::*;

/// The back-office actions that are not state transitions of their own: opinions, assignment,
/// reviewers' requests and their approval, answers to review stages and co-department requests.
/// `None` when the action is not one of them.
#[allow(clippy::too_many_arguments)]
pub(super) async fn act_on_workflow(
    db: &DatabaseConnection,
    cal: &Calendar,
    user: &SessionUser,
    c: &case::Model,
    rules: &ItemRules,
    tasks: &[case_task::Model],
    input: &StaffAction,
    version: i32,
    today: NaiveDate,
    lang: Lang,
) -> Result<Option<case::Model>, AppError> {
    use sea_orm::{ActiveModelTrait, Set};
    let state = c.state;
    let reviewing = matches!(state, CaseState::Accepted | CaseState::InReview | CaseState::Suspended);
    let wrong_state =
        || AppError::Refused(rules::Refusal::WrongState { state: c.state.code().into(), action: input.code().into() });
    let reason_msg = lang.pick("请填写理由", "請填寫理由", "Give the reason");
    let procedure_msg = lang.pick(
        "请填写特殊环节（如专家评审）",
        "請填寫特殊環節（如專家評審）",
        "Enter the procedure (e.g. expert review)",
    );
    let done = match input {
        StaffAction::Opinion { comment } => {
            let duties = duties_of(tasks);
            let role =
                rules::access::opinion_role(staff_id_of(Some(user)), &held(Some(user)), &case_duties(c, &duties))
                    .ok_or(AppError::Forbidden)?;
            if !reviewing {
                return Err(wrong_state());
            }
            need(comment, "comment", lang.pick("请填写审查意见", "請填寫審查意見", "Write the opinion"))?;
            let (tx, c) = cases::note(
                db,
                c.id,
                version,
                staff_actor(user, role),
                EventKind::Opinion,
                comment.trim().into(),
                true,
                today,
                None,
            )
            .await?;
            tx.commit().await?;
            c
        }
        StaffAction::Assign { assignee } => {
            let role = role_among(user, c, &[Role::Approver, Role::Reviewer])?;
            if !reviewing {
                return Err(wrong_state());
            }
            let me = staff_id_of(Some(user));
            let chosen = parse_id(assignee).ok_or_else(|| {
                AppError::field("assignee", lang.pick("请选择审查员", "請選擇審查員", "Choose a reviewer"))
            })?;
            // a reviewer takes a case nobody has for themself; an approver assigns any reviewer of the department
            if role == Role::Reviewer && (chosen != me || c.assignee_id.is_some_and(|a| a != me)) {
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
                EventKind::Assign,
                format!("分派给 {name}"),
                true,
                today,
                Some(Some(chosen)),
            )
            .await?;
            tx.commit().await?;
            c
        }
        StaffAction::RequestSuspension { reason, .. } | StaffAction::RequestExtension { reason, .. } => {
            let role = role_among(user, c, &[Role::Reviewer])?;
            if view_of(user, c, tasks) != rules::access::CaseView::Full {
                return Err(AppError::Forbidden); // a colleague's case
            }
            if state != CaseState::InReview {
                return Err(wrong_state());
            }
            let (suspend, proc_kind, asked_days) = match input {
                StaffAction::RequestSuspension { kind, .. } => (true, kind.as_str(), ""),
                StaffAction::RequestExtension { days, .. } => (false, "", days.as_str()),
                _ => unreachable!("matched above"),
            };
            let kind =
                if suspend { rules::workflow::RequestKind::Suspend } else { rules::workflow::RequestKind::Extend };
            let mut days = None;
            if suspend {
                need(proc_kind, "kind", procedure_msg)?;
            } else {
                let n = asked_days.trim().parse::<u32>().map_err(|_| {
                    AppError::field(
                        "days",
                        lang.pick("请填写延长的工作日数", "請填寫延長的工作日數", "Enter the number of working days"),
                    )
                })?;
                rules::deadline::check_extension(rules.extension, c.extended, n, reason)
                    .map_err(|e| AppError::field("days", rules::Refusal::Extension(e).message(lang)))?;
                days = Some(n as i32);
            }
            need(reason, "reason", reason_msg)?;
            let pending = case_request::Entity::find()
                .filter(case_request::Column::CaseId.eq(c.id))
                .filter(case_request::Column::Kind.eq(kind))
                .filter(case_request::Column::Status.eq(rules::workflow::RequestStatus::Pending))
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
            let kind_of_request = if suspend { EventKind::RequestSuspension } else { EventKind::RequestExtension };
            let text = if suspend {
                format!("申请中止（{}）：{}", proc_kind.trim(), reason.trim())
            } else {
                format!("申请延长 {} 个工作日：{}", days.unwrap_or(0), reason.trim())
            };
            let (tx, c) =
                cases::note(db, c.id, version, staff_actor(user, role), kind_of_request, text, true, today, None)
                    .await?;
            case_request::ActiveModel {
                case_id: Set(c.id),
                kind: Set(kind),
                proc_kind: Set(proc_kind.trim().chars().take(64).collect()),
                days: Set(days),
                reason: Set(reason.trim().chars().take(2000).collect()),
                requested_by: Set(staff_id_of(Some(user))),
                requested_on: Set(today),
                status: Set(rules::workflow::RequestStatus::Pending),
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
        StaffAction::DecideRequest { request, decision, comment } => {
            let role = role_among(user, c, &[Role::Approver])?;
            let r = case_request::Entity::find_by_id(parse_id(request).unwrap_or(0))
                .one(db)
                .await?
                .filter(|r| r.case_id == c.id && r.status == rules::workflow::RequestStatus::Pending)
                .ok_or(AppError::Stale)?;
            match decision.as_str() {
                "approve" => {
                    let action = if r.kind == rules::workflow::RequestKind::Suspend {
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
                    need(comment, "comment", lang.pick("请写明不同意的理由", "請寫明不同意的理由", "Say why"))?;
                    let (tx, c) = cases::note(
                        db,
                        c.id,
                        version,
                        staff_actor(user, role),
                        EventKind::RefuseRequest,
                        format!("不同意{}申请：{}", r.kind.label(rules::Lang::ZhHans), comment.trim()),
                        true,
                        today,
                        None,
                    )
                    .await?;
                    let res = case_request::Entity::update_many()
                        .col_expr(
                            case_request::Column::Status,
                            sea_orm::sea_query::Expr::value(rules::workflow::RequestStatus::Refused),
                        )
                        .col_expr(
                            case_request::Column::DecidedBy,
                            sea_orm::sea_query::Expr::value(staff_id_of(Some(user))),
                        )
                        .col_expr(case_request::Column::DecidedOn, sea_orm::sea_query::Expr::value(today))
                        .col_expr(case_request::Column::Note, sea_orm::sea_query::Expr::value(comment.trim()))
                        .filter(case_request::Column::Id.eq(r.id))
                        .filter(case_request::Column::Status.eq(rules::workflow::RequestStatus::Pending))
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
        StaffAction::AnswerTask { task, outcome, comment } => {
            let t = tasks.iter().find(|t| Some(t.id) == parse_id(task)).ok_or(AppError::NotFound)?;
            if !held(Some(user)).iter().any(|(d, r)| *d == t.department_id && *r == t.role) {
                return Err(AppError::Forbidden);
            }
            if t.opened_on.is_none() || t.answered_on.is_some() {
                return Err(AppError::Stale);
            }
            let agree = match outcome.as_str() {
                "agree" => true,
                "disagree" => false,
                _ => {
                    return Err(AppError::field(
                        "outcome",
                        lang.pick("请选择同意或不同意", "請選擇同意或不同意", "Agree or disagree"),
                    ))
                }
            };
            need(comment, "comment", lang.pick("请填写书面意见", "請填寫書面意見", "Write the opinion"))?;
            let role = t.role;
            let text = format!("{}：{}。{}", t.name, if agree { "同意" } else { "不同意" }, comment.trim());
            let (tx, updated) =
                cases::note(db, c.id, version, staff_actor(user, role), EventKind::AnswerTask, text, true, today, None)
                    .await?;
            cases::answer_task(&tx, cal, t, staff_id_of(Some(user)), agree, comment, today).await?;
            tx.commit().await?;
            updated
        }
        _ => return Ok(None),
    };
    Ok(Some(done))
}
