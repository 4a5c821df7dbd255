//! Every staff action on a case, through `cases::apply` with the role the caller holds in its department (the rest, opinions and requests, in `workflow`).

use super::*;

pub(super) fn refusal_text(reason: &str, legal_basis: &str) -> String {
    let mut s = format!("理由：{}", reason.trim());
    if !legal_basis.trim().is_empty() {
        s.push_str(&format!("\n依据：{}", legal_basis.trim()));
    }
    s.push_str(&format!("\n{REMEDIES}"));
    s
}

/// The case a form was on, at the version the clerk saw (a case changed since is a page to reload).
#[derive(Debug, Clone, Copy)]
pub struct SeenCase {
    pub id: i32,
    pub version: i32,
}

/// Carries out a staff action on a case. Returns the updated case.
pub async fn act(
    db: &DatabaseConnection,
    cal: &Calendar,
    user: Option<&SessionUser>,
    seen: SeenCase,
    input: &StaffAction,
    today: NaiveDate,
    lang: Lang,
) -> Result<case::Model, AppError> {
    let SeenCase { id: case_id, version } = seen;
    let Loaded { user, c, rules, a, tasks, own, .. } = load(db, user, case_id).await?;
    let SessionUser::Staff { id: staff_id, .. } = &user else { return Err(AppError::Forbidden) };
    if let Some(done) = act_on_workflow(db, cal, &user, &c, &rules, &tasks, input, version, today, lang).await? {
        return Ok(done);
    }
    if !own {
        // a case it watches (a colleague's, a supervisor's) or answers a task on is not one it moves
        return Err(AppError::Forbidden);
    }
    if let StaffAction::ConfirmSupplement = input {
        return confirm_supplement(db, &user, &c, &a, &rules, version, today, lang).await;
    }
    let reason_msg = lang.pick("请填写理由", "請填寫理由", "Give the reason");
    let procedure_msg = lang.pick(
        "请填写特殊环节（如专家评审）",
        "請填寫特殊環節（如專家評審）",
        "Enter the procedure (e.g. expert review)",
    );
    let mut comment = String::new();
    let internal = false;
    let action = match input {
        StaffAction::Accept => Action::Accept,
        StaffAction::StartReview => Action::StartReview,
        StaffAction::Resume => Action::Resume,
        StaffAction::PrepareDelivery => Action::PrepareDelivery,
        StaffAction::Close => Action::Close,
        StaffAction::RequestCorrection { comment: note, notes } => {
            let due =
                rules::deadline::due_date(cal, today, rules.correction_term, &[], today).map_err(AppError::internal)?;
            let list = one_time_list(db, &c, &a, &rules, notes, due, lang).await?;
            let mut text = format!("经审查，您的申请材料需补正以下内容（一次性告知）：\n{list}");
            text.push_str(&format!("请于 {due} 前补正；逾期未补正的，视为放弃申请，不予受理。"));
            if !note.trim().is_empty() {
                text.push_str(&format!("\n{}", note.trim()));
            }
            comment = text;
            Action::RequestCorrection
        }
        StaffAction::FileGrant { comment: note } => {
            Action::File { kind: DecisionKind::Grant, reason: note.trim().chars().take(2000).collect() }
        }
        // 不予备案 carries the one-time list of everything to correct [001 重庆 2.备案项目].
        StaffAction::FileDeny { comment: note, notes } => {
            let list = one_time_list(db, &c, &a, &rules, notes, today, lang).await?;
            let mut reason =
                format!("经查验，您的备案材料不齐全或者不符合法定形式，需补正以下全部材料（一次性告知）：\n{list}");
            reason.push_str("补正后可重新提交备案。");
            if !note.trim().is_empty() {
                reason.push_str(&format!("\n{}", note.trim()));
            }
            comment = format!("{reason}\n{REMEDIES}");
            Action::File { kind: DecisionKind::Deny, reason }
        }
        StaffAction::ApproveRefusal { comment: note } => {
            comment = note.trim().chars().take(2000).collect();
            Action::ApproveRefusal
        }
        StaffAction::ApproveDenial { comment: note } => {
            comment = note.trim().chars().take(2000).collect();
            Action::ApproveDenial
        }
        StaffAction::Reject { reason, legal_basis } => {
            need(reason, "reason", reason_msg)?;
            comment = refusal_text(reason, legal_basis);
            Action::Reject { reason: reason.trim().into() }
        }
        StaffAction::Suspend { kind, reason } => {
            need(kind, "kind", procedure_msg)?;
            need(reason, "reason", reason_msg)?;
            comment = format!("{}：{}", kind.trim(), reason.trim());
            Action::Suspend { kind: kind.trim().into(), reason: reason.trim().into() }
        }
        StaffAction::Extend { days, reason } => {
            let days = days.trim().parse::<u32>().map_err(|_| {
                AppError::field(
                    "days",
                    lang.pick("请填写延长的工作日数", "請填寫延長的工作日數", "Enter the number of working days"),
                )
            })?;
            need(reason, "reason", reason_msg)?;
            Action::Extend { days, reason: reason.trim().into() }
        }
        StaffAction::DecideGrant { reason } => {
            Action::Decide { kind: DecisionKind::Grant, reason: reason.trim().into() }
        }
        StaffAction::DecideDeny { reason, legal_basis } => {
            need(reason, "reason", reason_msg)?;
            need(legal_basis, "legal_basis", lang.pick("请填写法律依据", "請填寫法律依據", "Give the legal basis"))?;
            comment = refusal_text(reason, legal_basis);
            Action::Decide { kind: DecisionKind::Deny, reason: reason.trim().into() }
        }
        StaffAction::DecideForward { reason } => {
            need(reason, "reason", reason_msg)?;
            Action::Decide { kind: DecisionKind::Forward, reason: reason.trim().into() }
        }
        StaffAction::RecordHigherGrant { reason } => {
            need(
                reason,
                "reason",
                lang.pick(
                    "请填写上级机关的批复文号",
                    "請填寫上級機關的批覆文號",
                    "Give the higher authority's reply reference",
                ),
            )?;
            Action::RecordHigherDecision { kind: DecisionKind::Grant, reason: reason.trim().into() }
        }
        StaffAction::RecordHigherDeny { reason, legal_basis } => {
            need(reason, "reason", reason_msg)?;
            need(legal_basis, "legal_basis", lang.pick("请填写法律依据", "請填寫法律依據", "Give the legal basis"))?;
            comment = refusal_text(reason, legal_basis);
            Action::RecordHigherDecision { kind: DecisionKind::Deny, reason: reason.trim().into() }
        }
        StaffAction::IssueFeeNotice { kind, amount } => {
            need(kind, "kind", lang.pick("请填写费用名称", "請填寫費用名稱", "Name the fee"))?;
            let amount = amount.trim();
            if amount.parse::<f64>().map(|x| x <= 0.0 || !x.is_finite()).unwrap_or(true) {
                return Err(AppError::field(
                    "amount",
                    lang.pick("请填写正确的金额（元）", "請填寫正確的金額（元）", "Enter the amount in yuan"),
                ));
            }
            comment = format!("缴费通知：{} {} 元", kind.trim(), amount);
            Action::IssueFeeNotice
        }
        StaffAction::RecordPayment { amount, reference } => {
            need(
                reference,
                "reference",
                lang.pick("请填写缴费凭证号", "請填寫繳費憑證號", "Enter the payment reference"),
            )?;
            comment = format!("已缴费 {} 元，凭证号 {}", amount.trim(), reference.trim());
            Action::RecordPayment
        }
        StaffAction::Deliver { method, comment: note } => {
            let method = match method.as_str() {
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
            comment = if note.trim().is_empty() { method.to_string() } else { format!("{method}；{}", note.trim()) };
            Action::Deliver
        }
        // the opinions and requests were taken by act_on_workflow above
        StaffAction::Opinion { .. }
        | StaffAction::Assign { .. }
        | StaffAction::RequestSuspension { .. }
        | StaffAction::RequestExtension { .. }
        | StaffAction::DecideRequest { .. }
        | StaffAction::AnswerTask { .. }
        | StaffAction::ConfirmSupplement => return Err(AppError::internal("a workflow action fell through")),
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
    if let Action::Decide { kind: DecisionKind::Grant, .. }
    | Action::RecordHigherDecision { kind: DecisionKind::Grant, .. }
    | Action::File { kind: DecisionKind::Grant, .. } = action
    {
        let title = if rules.result_name.is_empty() {
            if rules.kind == rules::item::ItemKind::Filing {
                "予以备案通知书"
            } else {
                "准予行政许可决定书"
            }
            .to_string()
        } else {
            rules.result_name.clone()
        };
        issue_result_document(db, &updated, &title, today).await?;
    }
    // a public-interest item's decision is published (审批结果公示) as it is made
    if !matches!(c.state, rules::CaseState::Decided(_)) && matches!(updated.state, rules::CaseState::Decided(_)) {
        crate::server::open_gov::publish_decision(db, &updated, *staff_id, today).await?;
    }
    Ok(updated)
}

/// The window confirms the 容缺 materials: every deferred one on file, within its term.
#[allow(clippy::too_many_arguments)]
async fn confirm_supplement(
    db: &DatabaseConnection,
    user: &SessionUser,
    c: &case::Model,
    a: &applicant::Model,
    rules: &ItemRules,
    version: i32,
    today: NaiveDate,
    lang: Lang,
) -> Result<case::Model, AppError> {
    let role = role_among(user, c, &[Role::WindowClerk])?;
    let kind = a.kind;
    let answers: Answers = c.answers.0.clone();
    let provided: BTreeSet<String> = files_of(db, c.id).await?.into_iter().map(|f| f.material_code).collect();
    let Some(view) = cases::supplements::view_of(c, rules, kind, &answers, &provided) else {
        return Err(AppError::Refused(rules::Refusal::WrongState {
            state: c.state.code().into(),
            action: EventKind::ConfirmSupplement.code().into(),
        }));
    };
    if view.overdue {
        return Err(AppError::Refused(rules::Refusal::SupplementOverdue));
    }
    if !view.missing.is_empty() {
        let names: Vec<&str> = view.missing.iter().map(|(_, n)| n.as_str()).collect();
        let text = match lang {
            Lang::En => format!("Still missing: {}", names.join(", ")),
            _ => format!("尚未补齐：{}", names.join("、")),
        };
        return Err(AppError::field("_form", text));
    }
    cases::supplements::confirm(db, c, version, staff_actor(user, role), &view, today).await
}

/// The one-time list of everything to correct (一次性告知), numbered, one line each: what is
/// missing or of the wrong type by the rules, and the clerk's finding (`note_<code>`) per material.
/// Refused, on the form, when there is nothing to list.
async fn one_time_list(
    db: &DatabaseConnection,
    c: &case::Model,
    a: &applicant::Model,
    rules: &ItemRules,
    notes: &BTreeMap<String, String>,
    due: NaiveDate,
    lang: Lang,
) -> Result<String, AppError> {
    let kind = a.kind;
    let answers: Answers = c.answers.0.clone();
    let files: Vec<ProvidedFile> = files_of(db, c.id)
        .await?
        .into_iter()
        .map(|f| ProvidedFile {
            material_code: f.material_code,
            file_type: Some(f.file_type),
            size: f.size.max(0) as u64,
        })
        .collect();
    let findings: Vec<ClerkFinding> = notes
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("note_").map(|code| ClerkFinding { material_code: code.into(), note: v.clone() })
        })
        .filter(|f| !f.note.trim().is_empty())
        .collect();
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
    let mut text = String::new();
    for (i, item) in notice.items.iter().enumerate() {
        text.push_str(&format!("{}. 「{}」：{}\n", i + 1, item.material_name, item.reason.message(Lang::ZhHans)));
    }
    Ok(text)
}

/// The first role the caller holds in the case's department among `wanted`.
pub(super) fn role_among(user: &SessionUser, c: &case::Model, wanted: &[Role]) -> Result<Role, AppError> {
    roles_in(user, c.department_id).into_iter().find(|r| wanted.contains(r)).ok_or(AppError::Forbidden)
}

pub(super) fn staff_actor(user: &SessionUser, role: Role) -> Actor {
    let id = staff_id_of(Some(user));
    Actor { kind: PrincipalKind::Staff, id, role }
}

pub(super) fn parse_id(s: &str) -> Option<i32> {
    s.trim().parse().ok()
}
