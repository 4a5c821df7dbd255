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
use super::cases::{self, Actor, Change};
use super::entities::{applicant, case, department, item, staff};
use super::error::AppError;
use super::journey::{file_view, files_of};
use crate::models::{bucket_states, MaterialCheck, QueuePage, QueueRow, SessionUser, StaffCase, StaffEvent, BUCKETS};

pub const QUEUE_PAGE_SIZE: u64 = 50;

/// Remedies stated in every refusal (行政许可法 第三十八条, 行政复议法, 行政诉讼法).
pub const REMEDIES: &str =
    "如不服本决定，可以自收到本决定之日起六十日内依法申请行政复议，或者自收到本决定之日起六个月内依法提起行政诉讼。";

fn err(field: &str, msg: &str) -> AppError {
    AppError::Invalid(vec![(field.into(), msg.into())])
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

/// One page of a queue for the caller's departments: cases in the bucket's states, by due date
/// then id, after `cursor`; `search` matches the case number or the applicant's name.
pub async fn queue(
    db: &impl ConnectionTrait,
    cal: &Calendar,
    user: Option<&SessionUser>,
    bucket: &str,
    search: &str,
    cursor: &str,
    today: NaiveDate,
) -> Result<QueuePage, AppError> {
    let deps = departments_of(user)?;
    let bucket = if BUCKETS.contains(&bucket) { bucket } else { "new" };
    let mut counts = Vec::new();
    for b in BUCKETS {
        let n = case::Entity::find()
            .filter(case::Column::DepartmentId.is_in(deps.clone()))
            .filter(case::Column::State.is_in(bucket_states(b).iter().copied()))
            .count(db)
            .await?;
        counts.push((b.to_string(), n));
    }
    let mut q = case::Entity::find()
        .filter(case::Column::DepartmentId.is_in(deps.clone()))
        .filter(case::Column::State.is_in(bucket_states(bucket).iter().copied()))
        .filter(case::Column::DueOn.is_not_null());
    let search = search.trim();
    if !search.is_empty() {
        let ids: Vec<i32> = applicant::Entity::find()
            .filter(applicant::Column::Name.contains(search))
            .select_only()
            .column(applicant::Column::Id)
            .limit(1000)
            .into_tuple()
            .all(db)
            .await?;
        q = q.filter(
            Condition::any()
                .add(case::Column::CaseNo.contains(search.to_uppercase()))
                .add(case::Column::ApplicantId.is_in(ids)),
        );
    }
    if let Some((d, id)) = parse_cursor(cursor) {
        q = q.filter(
            Condition::any()
                .add(case::Column::DueOn.gt(d))
                .add(Condition::all().add(case::Column::DueOn.eq(d)).add(case::Column::Id.gt(id))),
        );
    }
    let rows =
        q.order_by_asc(case::Column::DueOn).order_by_asc(case::Column::Id).limit(QUEUE_PAGE_SIZE + 1).all(db).await?;
    let more = rows.len() as u64 > QUEUE_PAGE_SIZE;
    let rows: Vec<case::Model> = rows.into_iter().take(QUEUE_PAGE_SIZE as usize).collect();
    let next = if more { rows.last().and_then(|c| c.due_on.map(|d| format!("{d}_{}", c.id))) } else { None };
    let mut names: BTreeMap<i32, (String, u32)> = BTreeMap::new();
    let dep_names: BTreeMap<i32, String> =
        department::Entity::find().all(db).await?.into_iter().map(|d| (d.id, d.name)).collect();
    let mut out = Vec::with_capacity(rows.len());
    for c in rows {
        if let std::collections::btree_map::Entry::Vacant(e) = names.entry(c.item_id) {
            let it = item::Entity::find_by_id(c.item_id).one(db).await?.ok_or(AppError::NotFound)?;
            let rules: ItemRules = serde_json::from_str(&it.rules).map_err(AppError::internal)?;
            e.insert((it.name, rules.warning_days));
        }
        let (item_name, warn_days) = names.get(&c.item_id).cloned().unwrap_or_default();
        let a = applicant::Entity::find_by_id(c.applicant_id).one(db).await?.map(|a| a.name).unwrap_or_default();
        let state = CaseState::from_code(&c.state).ok_or_else(|| AppError::internal("unknown case state"))?;
        let status = c.due_on.and_then(|d| rules::deadline::warning(cal, d, today, warn_days).ok());
        out.push(QueueRow {
            id: c.id,
            case_no: c.case_no.clone().unwrap_or_default(),
            item_name,
            applicant: a,
            department: dep_names.get(&c.department_id).cloned().unwrap_or_default(),
            state,
            due: c.due_on,
            warning: status.map(|s| s.level),
            remaining: status.map(|s| s.remaining),
        });
    }
    Ok(QueuePage { bucket: bucket.to_string(), rows: out, next, counts })
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

async fn load(
    db: &impl ConnectionTrait,
    user: Option<&SessionUser>,
    case_id: i32,
) -> Result<(SessionUser, case::Model, item::Model, ItemRules, applicant::Model), AppError> {
    let c = case::Entity::find_by_id(case_id).one(db).await?.ok_or(AppError::NotFound)?;
    super::guard::require_staff(user, &[], Some(c.department_id))?;
    let user = user.cloned().ok_or(AppError::Unauthorized)?;
    if c.state == CaseState::Draft.code() {
        return Err(AppError::NotFound); // drafts are the applicant's own
    }
    let it = item::Entity::find_by_id(c.item_id).one(db).await?.ok_or(AppError::NotFound)?;
    let rules: ItemRules = serde_json::from_str(&it.rules).map_err(AppError::internal)?;
    let a = applicant::Entity::find_by_id(c.applicant_id).one(db).await?.ok_or(AppError::NotFound)?;
    Ok((user, c, it, rules, a))
}

/// The staff view of one case, for staff of its department.
pub async fn staff_case(
    db: &impl ConnectionTrait,
    user: Option<&SessionUser>,
    case_id: i32,
    today: NaiveDate,
) -> Result<StaffCase, AppError> {
    let (user, c, it, rules, a) = load(db, user, case_id).await?;
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
    };
    let roles = roles_in(&user, c.department_id);
    let mut actions: Vec<String> = candidates()
        .into_iter()
        .filter(|(_, a)| roles.iter().any(|r| rules::transition(state, a, *r, &facts).is_ok()))
        .map(|(code, _)| code.to_string())
        .collect();
    if matches!(state, CaseState::Accepted | CaseState::InReview | CaseState::Suspended)
        && roles.iter().any(|r| matches!(r, Role::Reviewer | Role::Approver | Role::CoReviewer))
    {
        actions.push("opinion".into());
    }
    let mut staff_names: BTreeMap<i32, String> = BTreeMap::new();
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
    let dep = department::Entity::find_by_id(c.department_id).one(db).await?.map(|d| d.name).unwrap_or_default();
    let answers_labelled = rules
        .questions
        .iter()
        .map(|q| {
            let v = answers.get(&q.code).cloned().unwrap_or_default();
            let label = q.options.iter().find(|(o, _)| *o == v).map(|(_, l)| l.clone()).unwrap_or(v);
            (q.text.clone(), label)
        })
        .collect();
    let results = super::journey::results_of(db, c.id).await?;
    Ok(StaffCase {
        id: c.id,
        version: c.version,
        case_no: c.case_no.clone().unwrap_or_default(),
        state,
        item_code: it.code,
        item_name: it.name,
        department: dep,
        applicant_number: a.id_card_no.clone().or(a.credit_code.clone()).unwrap_or_default(),
        applicant_mobile: a.mobile.clone(),
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
    })
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
    let (user, c, _it, rules, a) = load(db, user, case_id).await?;
    let SessionUser::Staff { id: staff_id, .. } = &user else { return Err(AppError::Forbidden) };
    let need = |v: &str, field: &str, msg: &str| if v.trim().is_empty() { Err(err(field, msg)) } else { Ok(()) };
    let reason_msg = lang.pick("请填写理由", "請填寫理由", "Give the reason");
    let mut comment = input.comment.trim().to_string();
    let mut internal = false;
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
                return Err(err(
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
            need(&input.kind, "kind", lang.pick("请选择特殊环节", "請選擇特殊環節", "Choose the procedure"))?;
            need(&input.reason, "reason", reason_msg)?;
            comment = format!("{}：{}", input.kind.trim(), input.reason.trim());
            Action::Suspend { kind: input.kind.trim().into(), reason: input.reason.trim().into() }
        }
        "extend" => {
            let days = input.days.trim().parse::<u32>().map_err(|_| {
                err(
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
                return Err(err(
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
                    return Err(err(
                        "method",
                        lang.pick("请选择送达方式", "請選擇送達方式", "Choose how it is delivered"),
                    ))
                }
            };
            comment = if comment.is_empty() { method.to_string() } else { format!("{method}；{comment}") };
            Action::Deliver
        }
        "opinion" => {
            need(&input.comment, "comment", lang.pick("请填写审查意见", "請填寫審查意見", "Write the opinion"))?;
            return record_opinion(db, &user, &c, &input.comment, today).await;
        }
        _ => return Err(err("_form", lang.pick("未知的操作", "未知的操作", "Unknown action"))),
    };
    if input.action == "opinion" {
        internal = true;
    }
    let roles = roles_in(&user, c.department_id);
    let role = roles.iter().copied().find(|r| action.roles().contains(r)).ok_or(AppError::Forbidden)?;
    let provided: BTreeSet<String> = files_of(db, c.id).await?.into_iter().map(|f| f.material_code).collect();
    let updated = cases::apply(
        db,
        cal,
        Change {
            case_id: c.id,
            expected_version: input.version.trim().parse().unwrap_or(-1),
            action: action.clone(),
            actor: Actor { kind: PrincipalKind::Staff, id: *staff_id, role },
            comment,
            internal,
            today,
            provided,
        },
    )
    .await?;
    if let Action::Decide { kind: DecisionKind::Grant, .. } = action {
        let title = if rules.result_name.is_empty() {
            "准予行政许可决定书".to_string()
        } else {
            rules.result_name.clone()
        };
        super::journey::issue_result_document(db, &updated, &title, today).await?;
    }
    Ok(updated)
}

/// A reviewer's opinion: a staff-internal event that does not change the state.
async fn record_opinion(
    db: &DatabaseConnection,
    user: &SessionUser,
    c: &case::Model,
    text: &str,
    today: NaiveDate,
) -> Result<case::Model, AppError> {
    use super::entities::case_event;
    use sea_orm::{ActiveModelTrait, Set};
    let SessionUser::Staff { id, .. } = user else { return Err(AppError::Forbidden) };
    let role = roles_in(user, c.department_id)
        .into_iter()
        .find(|r| matches!(r, Role::Reviewer | Role::Approver | Role::CoReviewer))
        .ok_or(AppError::Forbidden)?;
    let tx = super::db::write_tx(db).await?;
    let last = case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(c.id))
        .order_by_desc(case_event::Column::Seq)
        .one(&tx)
        .await?;
    case_event::ActiveModel {
        case_id: Set(c.id),
        seq: Set(last.map_or(1, |e| e.seq + 1)),
        action: Set("opinion".into()),
        from_state: Set(c.state.clone()),
        to_state: Set(c.state.clone()),
        actor_kind: Set("staff".into()),
        actor_id: Set(*id),
        role: Set(role.as_str().into()),
        comment: Set(text.trim().chars().take(4000).collect()),
        internal: Set(true),
        at: Set(chrono::Utc::now()),
        on_day: Set(today),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    tx.commit().await?;
    Ok(c.clone())
}
