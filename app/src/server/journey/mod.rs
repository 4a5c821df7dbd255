//! The applicant's journey as services: drafts (answers, files), submit, withdraw, ratings,
//! complaints, the inbox, and the public pages (progress query, register, verification).
//! Every state change of a case goes through [`super::cases::apply`].

mod after;
pub use after::{detail_for_applicant, for_applicant};

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, NaiveDate, Utc};
use rules::case::{Action, CaseState};
use rules::item::ItemRules;
use rules::materials::{check_file, checklist, sniff, Answers, ApplicantKind};
use rules::{Calendar, Lang, Role};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::accounts::{masked_mobile, masked_number};
use super::auth::PrincipalKind;
use super::cases::documents::{file_view, files_of, results_of};
use super::cases::{self, Actor, Change};
use super::catalog::{guide_of, newest_published};
use super::entities::{
    applicant, case, case_event, case_file, complaint, department, evaluation, item, notification, rate_hit,
    result_document,
};
use super::error::AppError;
use super::files::{ByteStream, FileStore, FileStoreError};
use crate::models::{
    is_bad_rating, CaseExtras, CorrectionView, DraftView, EvaluationView, FileView, InboxEntry, LedgerPage, LedgerRow,
    ProgressView, TimelineEntry, Verification,
};

/// Working days the handling department has to follow up a bad rating (local rules: 5–15).
pub const FOLLOW_UP_WORKING_DAYS: u32 = 10;
/// Working days to answer a complaint.
pub const COMPLAINT_WORKING_DAYS: u32 = 5;
/// Progress queries allowed per address per window.
pub const PROGRESS_QUERIES_PER_WINDOW: u64 = 20;
pub const PROGRESS_WINDOW_MINUTES: i64 = 10;

fn china_day(t: chrono::DateTime<Utc>) -> NaiveDate {
    (t + Duration::hours(8)).date_naive()
}

async fn item_of(db: &impl ConnectionTrait, id: i32) -> Result<(item::Model, ItemRules), AppError> {
    let it = item::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let rules = serde_json::from_str(&it.rules).map_err(AppError::internal)?;
    Ok((it, rules))
}

/// The applicant's own case, or `Forbidden` / `NotFound`.
pub async fn own_case(db: &impl ConnectionTrait, applicant_id: i32, case_id: i32) -> Result<case::Model, AppError> {
    let c = case::Entity::find_by_id(case_id).one(db).await?.ok_or(AppError::NotFound)?;
    if c.applicant_id != applicant_id {
        return Err(AppError::Forbidden);
    }
    Ok(c)
}

fn state_of(c: &case::Model) -> Result<CaseState, AppError> {
    CaseState::from_code(&c.state).ok_or_else(|| AppError::internal("unknown case state"))
}

fn not_editable(lang: Lang) -> AppError {
    AppError::field(
        "_form",
        lang.pick(
            "该申请已提交，不能再修改；如需补正，请等待窗口的补正通知。",
            "該申請已提交，不能再修改；如需補正，請等待窗口的補正通知。",
            "This application has been submitted and cannot be changed; wait for a correction notice.",
        ),
    )
}

async fn require_editable(
    db: &impl ConnectionTrait,
    applicant_id: i32,
    case_id: i32,
    lang: Lang,
) -> Result<case::Model, AppError> {
    let c = own_case(db, applicant_id, case_id).await?;
    match state_of(&c)? {
        CaseState::Draft | CaseState::AwaitingCorrection => Ok(c),
        _ => Err(not_editable(lang)),
    }
}

/// Opens the applicant's draft for an item: the one already started, or a new one.
pub async fn start(db: &DatabaseConnection, applicant_id: i32, item_code: &str) -> Result<i32, AppError> {
    let code = item_code.trim().to_uppercase();
    let newest = newest_published(db, &code).await?.ok_or(AppError::NotFound)?;
    let rules: ItemRules = serde_json::from_str(&newest.rules).map_err(AppError::internal)?;
    if !rules.online {
        return Err(AppError::Forbidden);
    }
    let existing = case::Entity::find()
        .filter(case::Column::ApplicantId.eq(applicant_id))
        .filter(case::Column::State.eq(CaseState::Draft.code()))
        .filter(
            case::Column::ItemId.is_in(
                item::Entity::find()
                    .filter(item::Column::Code.eq(&code))
                    .select_only()
                    .column(item::Column::Id)
                    .into_tuple::<i32>()
                    .all(db)
                    .await?,
            ),
        )
        .order_by_desc(case::Column::UpdatedAt)
        .one(db)
        .await?;
    if let Some(c) = existing {
        return Ok(c.id);
    }
    Ok(cases::create_draft(db, applicant_id, &newest.code, &Answers::new(), None).await?.id)
}

async fn correction_of(db: &impl ConnectionTrait, c: &case::Model) -> Result<Option<CorrectionView>, AppError> {
    if state_of(c)? != CaseState::AwaitingCorrection {
        return Ok(None);
    }
    let ev = case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(c.id))
        .filter(case_event::Column::Action.eq("request_correction"))
        .filter(case_event::Column::Internal.eq(false))
        .order_by_desc(case_event::Column::Seq)
        .one(db)
        .await?;
    Ok(Some(CorrectionView { due: c.correction_due, text: ev.map(|e| e.comment).unwrap_or_default() }))
}

/// The draft editor's data.
pub async fn draft_view(
    db: &impl ConnectionTrait,
    cal: &Calendar,
    applicant_id: i32,
    case_id: i32,
    today: NaiveDate,
) -> Result<DraftView, AppError> {
    let c = own_case(db, applicant_id, case_id).await?;
    let (it, rules) = item_of(db, c.item_id).await?;
    let newest = newest_published(db, &it.code).await?;
    let dep = department::Entity::find_by_id(c.department_id).one(db).await?.map(|d| d.name).unwrap_or_default();
    let a = applicant::Entity::find_by_id(c.applicant_id).one(db).await?.ok_or(AppError::NotFound)?;
    let state = state_of(&c)?;
    Ok(DraftView {
        case_id: c.id,
        version: c.version,
        state,
        case_no: c.case_no.clone(),
        outdated: state == CaseState::Draft && newest.is_some_and(|n| n.version > it.version),
        item: guide_of(&it, rules, dep, cal, today),
        kind: ApplicantKind::parse(&a.kind).unwrap_or(ApplicantKind::Person),
        applicant_number: masked_number(&a),
        applicant_mobile: masked_mobile(&a.mobile),
        applicant_name: a.name,
        answers: serde_json::from_str(&c.answers).unwrap_or_default(),
        files: files_of(db, c.id).await?.iter().map(file_view).collect(),
        correction: correction_of(db, &c).await?,
    })
}

/// Checks answers against the item's questions: every key a question, every value one of its
/// options. Unanswered questions are allowed in a draft (checked at submit).
pub fn parse_answers(rules: &ItemRules, raw: &BTreeMap<String, String>, lang: Lang) -> Result<Answers, AppError> {
    let mut out = Answers::new();
    let mut errors = Vec::new();
    for (k, v) in raw {
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        match rules.questions.iter().find(|q| &q.code == k) {
            Some(q) if q.options.iter().any(|(o, _)| o == v) => {
                out.insert(k.clone(), v.to_string());
            }
            Some(q) => errors.push((
                format!("q_{k}"),
                match lang {
                    Lang::ZhHans => format!("请从选项中选择「{}」的答案", q.text),
                    Lang::ZhHant => format!("請從選項中選擇「{}」的答案", q.text),
                    Lang::En => format!("Choose one of the answers to “{}”", q.text),
                },
            )),
            None => {}
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(AppError::Invalid(errors))
    }
}

/// Saves a draft's answers (the case row's version is bumped, so a stale submit is noticed).
pub async fn save_answers(
    db: &DatabaseConnection,
    applicant_id: i32,
    case_id: i32,
    raw: &BTreeMap<String, String>,
    lang: Lang,
) -> Result<i32, AppError> {
    let c = require_editable(db, applicant_id, case_id, lang).await?;
    let (_, rules) = item_of(db, c.item_id).await?;
    let answers = parse_answers(&rules, raw, lang)?;
    let version = c.version + 1;
    let res = case::Entity::update_many()
        .col_expr(case::Column::Answers, serde_json::to_string(&answers).map_err(AppError::internal)?.into())
        .col_expr(case::Column::Version, version.into())
        .col_expr(case::Column::UpdatedAt, Utc::now().into())
        .filter(case::Column::Id.eq(c.id))
        .filter(case::Column::Version.eq(c.version))
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::Stale);
    }
    Ok(version)
}

/// A file name safe to store and show: no path, no control characters, at most 120 characters.
pub fn clean_file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let s: String = base.chars().filter(|c| !c.is_control()).take(120).collect();
    if s.trim().is_empty() {
        "file".into()
    } else {
        s.trim().to_string()
    }
}

fn spec_of<'a>(
    rules: &'a ItemRules,
    material: &str,
    lang: Lang,
) -> Result<&'a rules::materials::MaterialSpec, AppError> {
    rules.materials.iter().find(|m| m.code == material).ok_or_else(|| {
        AppError::field("_form", lang.pick("没有这项申请材料", "沒有這項申請材料", "This item has no such material"))
    })
}

/// A material's size cap and name (for refusing an upload before its body is read).
pub async fn material_cap(
    db: &impl ConnectionTrait,
    applicant_id: i32,
    case_id: i32,
    material: &str,
    lang: Lang,
) -> Result<(u64, String), AppError> {
    let c = require_editable(db, applicant_id, case_id, lang).await?;
    let (_, rules) = item_of(db, c.item_id).await?;
    let spec = spec_of(&rules, material, lang)?;
    Ok((spec.max_bytes, spec.name.clone()))
}

/// An upload refused for one material: the message names the material and sits by its field.
pub fn material_problem(material: &str, name: &str, reason: String, lang: Lang) -> AppError {
    let text = match lang {
        Lang::En => format!("{name}: {reason}"),
        _ => format!("「{name}」{reason}"),
    };
    AppError::field(format!("m_{material}"), text)
}

/// Streams one uploaded file into the store and records it against a material. Checked by size
/// (as it arrives) and by content (magic bytes) against the material's spec; a refused file is
/// deleted and the message names the material.
#[allow(clippy::too_many_arguments)]
pub async fn add_file(
    db: &DatabaseConnection,
    store: &dyn FileStore,
    applicant_id: i32,
    case_id: i32,
    material: &str,
    file_name: &str,
    body: ByteStream,
    lang: Lang,
) -> Result<FileView, AppError> {
    let c = require_editable(db, applicant_id, case_id, lang).await?;
    let (_, rules) = item_of(db, c.item_id).await?;
    let spec = spec_of(&rules, material, lang)?;
    let refuse = |reason: String| material_problem(material, &spec.name, reason, lang);
    let stored = match store.put(body, Some(spec.max_bytes)).await {
        Ok(s) => s,
        Err(FileStoreError::TooLarge { limit }) => {
            return Err(refuse(rules::materials::CorrectionReason::TooLarge { max_bytes: limit }.message(lang)))
        }
        Err(e) => return Err(AppError::internal(e)),
    };
    if stored.size == 0 {
        let _ = store.delete(&stored.key).await;
        return Err(refuse(lang.pick("文件是空的", "檔案是空的", "the file is empty").into()));
    }
    let file_type = match check_file(spec, sniff(&stored.head), stored.size) {
        Ok(t) => t,
        Err(reason) => {
            let _ = store.delete(&stored.key).await;
            return Err(refuse(reason.message(lang)));
        }
    };
    let row = case_file::ActiveModel {
        case_id: Set(c.id),
        material_code: Set(material.to_string()),
        file_name: Set(clean_file_name(file_name)),
        size: Set(stored.size as i64),
        file_type: Set(file_type.as_str().into()),
        sha256: Set(stored.sha256.clone()),
        storage_key: Set(stored.key.clone()),
        uploaded_at: Set(Utc::now()),
        removed: Set(false),
        ..Default::default()
    }
    .insert(db)
    .await;
    match row {
        Ok(r) => {
            touch(db, c.id).await?;
            Ok(file_view(&r))
        }
        Err(e) => {
            let _ = store.delete(&stored.key).await;
            Err(e.into())
        }
    }
}

async fn touch(db: &impl ConnectionTrait, case_id: i32) -> Result<(), AppError> {
    case::Entity::update_many()
        .col_expr(case::Column::UpdatedAt, Utc::now().into())
        .filter(case::Column::Id.eq(case_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Removes a file before submitting. Files of a case that was once submitted are kept (hidden).
pub async fn remove_file(
    db: &DatabaseConnection,
    store: &dyn FileStore,
    applicant_id: i32,
    case_id: i32,
    file_id: i32,
    lang: Lang,
) -> Result<(), AppError> {
    let c = require_editable(db, applicant_id, case_id, lang).await?;
    let f = case_file::Entity::find_by_id(file_id).one(db).await?.ok_or(AppError::NotFound)?;
    if f.case_id != c.id {
        return Err(AppError::NotFound);
    }
    if c.submitted_at.is_none() {
        case_file::Entity::delete_by_id(f.id).exec(db).await?;
        if let Err(e) = store.delete(&f.storage_key).await {
            tracing::warn!(error = %e, key = %f.storage_key, "could not delete a removed draft file");
        }
    } else {
        let mut am: case_file::ActiveModel = f.into();
        am.removed = Set(true);
        am.update(db).await?;
    }
    touch(db, c.id).await
}

/// Moves a draft to the newest version of its item, keeping the answers that still fit and the
/// files of materials that still exist.
pub async fn upgrade_draft(
    db: &DatabaseConnection,
    applicant_id: i32,
    case_id: i32,
    lang: Lang,
) -> Result<(), AppError> {
    let c = require_editable(db, applicant_id, case_id, lang).await?;
    let (it, _) = item_of(db, c.item_id).await?;
    let newest = newest_published(db, &it.code).await?.ok_or(AppError::NotFound)?;
    if newest.version <= it.version {
        return Ok(());
    }
    let rules: ItemRules = serde_json::from_str(&newest.rules).map_err(AppError::internal)?;
    let old: Answers = serde_json::from_str(&c.answers).unwrap_or_default();
    let kept = parse_answers(&rules, &old, lang).unwrap_or_else(|_| {
        old.into_iter()
            .filter(|(k, v)| rules.questions.iter().any(|q| &q.code == k && q.options.iter().any(|(o, _)| o == v)))
            .collect()
    });
    let mut am: case::ActiveModel = c.clone().into();
    am.item_id = Set(newest.id);
    am.item_version = Set(newest.version);
    am.answers = Set(serde_json::to_string(&kept).map_err(AppError::internal)?);
    am.version = Set(c.version + 1);
    am.updated_at = Set(Utc::now());
    am.update(db).await?;
    Ok(())
}

/// What blocks a submit: unanswered questions, missing materials, an outdated item.
pub fn submit_problems(
    rules: &ItemRules,
    kind: ApplicantKind,
    answers: &Answers,
    provided: &BTreeSet<String>,
    lang: Lang,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for q in &rules.questions {
        if !answers.contains_key(&q.code) {
            out.push((
                format!("q_{}", q.code),
                match lang {
                    Lang::ZhHans => format!("请回答「{}」", q.text),
                    Lang::ZhHant => format!("請回答「{}」", q.text),
                    Lang::En => format!("Answer “{}”", q.text),
                },
            ));
        }
    }
    let list = checklist(&rules.materials, kind, answers, provided, None);
    for code in &list.missing {
        let name = rules.materials.iter().find(|m| &m.code == code).map(|m| m.name.clone()).unwrap_or_default();
        out.push((
            format!("m_{code}"),
            match lang {
                Lang::ZhHans => format!("请上传「{name}」"),
                Lang::ZhHant => format!("請上傳「{name}」"),
                Lang::En => format!("Upload “{name}”"),
            },
        ));
    }
    out
}

/// Submits a draft (or resubmits after a correction notice).
pub async fn submit(
    db: &DatabaseConnection,
    cal: &Calendar,
    filer: super::guard::Filer,
    case_id: i32,
    expected_version: i32,
    today: NaiveDate,
    lang: Lang,
) -> Result<case::Model, AppError> {
    let applicant_id = filer.applicant_id;
    let c = require_editable(db, applicant_id, case_id, lang).await?;
    if c.version != expected_version {
        return Err(AppError::Stale);
    }
    let (it, rules) = item_of(db, c.item_id).await?;
    let state = state_of(&c)?;
    if state == CaseState::Draft && newest_published(db, &it.code).await?.is_some_and(|n| n.version > it.version) {
        return Err(AppError::field(
            "_form",
            lang.pick(
                "该事项的办事指南已更新，请先更新申请（您填写的内容和上传的文件会保留），再检查后提交。",
                "該事項的辦事指南已更新，請先更新申請（您填寫的內容和上傳的檔案會保留），再檢查後提交。",
                "The service guide has changed: update your application first (your answers and files are kept), then check and submit.",
            ),
        ));
    }
    let a = applicant::Entity::find_by_id(c.applicant_id).one(db).await?.ok_or(AppError::NotFound)?;
    let kind = ApplicantKind::parse(&a.kind).unwrap_or(ApplicantKind::Person);
    let answers: Answers = serde_json::from_str(&c.answers).unwrap_or_default();
    let provided: BTreeSet<String> = files_of(db, c.id).await?.into_iter().map(|f| f.material_code).collect();
    let problems = submit_problems(&rules, kind, &answers, &provided, lang);
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let action = if state == CaseState::Draft { Action::Submit } else { Action::Resubmit };
    cases::apply(
        db,
        cal,
        Change {
            case_id: c.id,
            expected_version,
            action,
            actor: match filer.clerk {
                Some(clerk) => Actor { kind: PrincipalKind::Staff, id: clerk, role: Role::WindowClerk },
                None => Actor { kind: PrincipalKind::Applicant, id: applicant_id, role: Role::Applicant },
            },
            comment: String::new(),
            internal: false,
            today,
            provided,
            grants_request: None,
        },
    )
    .await
}

/// Withdraws a case before a decision.
pub async fn withdraw(
    db: &DatabaseConnection,
    cal: &Calendar,
    applicant_id: i32,
    case_id: i32,
    expected_version: i32,
    reason: &str,
    today: NaiveDate,
) -> Result<case::Model, AppError> {
    let c = own_case(db, applicant_id, case_id).await?;
    let provided: BTreeSet<String> = files_of(db, c.id).await?.into_iter().map(|f| f.material_code).collect();
    cases::apply(
        db,
        cal,
        Change {
            case_id: c.id,
            expected_version,
            action: Action::Withdraw,
            actor: Actor { kind: PrincipalKind::Applicant, id: applicant_id, role: Role::Applicant },
            comment: reason.trim().chars().take(500).collect(),
            internal: false,
            today,
            provided,
            grants_request: None,
        },
    )
    .await
}

fn may_rate(state: CaseState) -> bool {
    matches!(state, CaseState::Delivered | CaseState::Closed)
}

/// Rates a finished case, once. Bad ratings need a reason and open a follow-up for the
/// department that handled the case.
#[allow(clippy::too_many_arguments)]
pub async fn rate(
    db: &DatabaseConnection,
    cal: &Calendar,
    applicant_id: i32,
    case_id: i32,
    level: u8,
    comment: &str,
    reason: &str,
    today: NaiveDate,
    lang: Lang,
) -> Result<(), AppError> {
    let c = own_case(db, applicant_id, case_id).await?;
    if !may_rate(state_of(&c)?) {
        return Err(AppError::field(
            "_form",
            lang.pick("办件办结后才能评价", "辦件辦結後才能評價", "You can rate a case once it is finished"),
        ));
    }
    if !(1..=5).contains(&level) {
        return Err(AppError::field("level", lang.pick("请选择评价等级", "請選擇評價等級", "Choose a rating")));
    }
    let reason = reason.trim();
    if is_bad_rating(level) && reason.is_empty() {
        return Err(AppError::field(
            "reason",
            lang.pick(
                "选择“不满意”或“非常不满意”时，请写明原因，以便部门回访整改",
                "選擇「不滿意」或「非常不滿意」時，請寫明原因，以便部門回訪整改",
                "Tell us why, so the department can call you back and put it right",
            ),
        ));
    }
    if evaluation::Entity::find().filter(evaluation::Column::CaseId.eq(c.id)).count(db).await? > 0 {
        return Err(AppError::field("_form", already_rated(lang)));
    }
    let follow_up_due = if is_bad_rating(level) {
        Some(cal.nth_working_day_after(today, FOLLOW_UP_WORKING_DAYS).map_err(AppError::internal)?)
    } else {
        None
    };
    let res = evaluation::ActiveModel {
        case_id: Set(c.id),
        applicant_id: Set(applicant_id),
        department_id: Set(c.department_id),
        level: Set(level as i16),
        comment: Set(comment.trim().chars().take(1000).collect()),
        reason: Set(reason.chars().take(1000).collect()),
        follow_up_due: Set(follow_up_due),
        follow_up_state: Set(if follow_up_due.is_some() { "open" } else { "none" }.into()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await;
    match res {
        Ok(_) => Ok(()),
        Err(e) if super::db::is_unique_violation(&e) => Err(AppError::field("_form", already_rated(lang))),
        Err(e) => Err(e.into()),
    }
}

fn already_rated(lang: Lang) -> String {
    lang.pick(
        "该办件已经评价过，每件只能评价一次",
        "該辦件已經評價過，每件只能評價一次",
        "This case has already been rated",
    )
    .into()
}

/// What a complaint is about: one of the applicant's cases, or a department's window.
#[derive(Debug, Clone, Copy)]
pub enum ComplaintAbout {
    Case(i32),
    Department(i32),
}

/// A complaint about a case or a department's window; answered within
/// [`COMPLAINT_WORKING_DAYS`] working days.
#[allow(clippy::too_many_arguments)]
pub async fn complain(
    db: &DatabaseConnection,
    cal: &Calendar,
    applicant_id: i32,
    about: ComplaintAbout,
    subject: &str,
    body: &str,
    today: NaiveDate,
    lang: Lang,
) -> Result<i32, AppError> {
    let (case_id, department_id) = match about {
        ComplaintAbout::Case(id) => {
            let c = own_case(db, applicant_id, id).await?;
            (Some(c.id), c.department_id)
        }
        ComplaintAbout::Department(id) => match department::Entity::find_by_id(id).one(db).await? {
            Some(d) => (None, d.id),
            None => {
                return Err(AppError::field(
                    "department",
                    lang.pick("请选择投诉的窗口（部门）", "請選擇投訴的窗口（部門）", "Choose the window (department)"),
                ))
            }
        },
    };
    let mut errors = Vec::new();
    if subject.trim().is_empty() {
        errors.push(("subject".into(), lang.pick("请填写投诉事由", "請填寫投訴事由", "Enter what it is about").into()));
    }
    if body.trim().chars().count() < 5 {
        errors.push((
            "body".into(),
            lang.pick(
                "请具体说明情况（至少 5 个字）",
                "請具體說明情況（至少 5 個字）",
                "Describe what happened (5 characters or more)",
            )
            .into(),
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let due = cal.nth_working_day_after(today, COMPLAINT_WORKING_DAYS).map_err(AppError::internal)?;
    let row = complaint::ActiveModel {
        applicant_id: Set(applicant_id),
        case_id: Set(case_id),
        department_id: Set(department_id),
        subject: Set(subject.trim().chars().take(200).collect()),
        body: Set(body.trim().chars().take(4000).collect()),
        state: Set("open".into()),
        due_on: Set(due),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

/// Departments (id, name), for choosing a window.
pub async fn departments(db: &impl ConnectionTrait) -> Result<Vec<(i32, String)>, AppError> {
    Ok(department::Entity::find()
        .order_by_asc(department::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect())
}

/// The case page's extras for its applicant.
pub async fn case_extras(db: &impl ConnectionTrait, cal: &Calendar, c: &case::Model) -> Result<CaseExtras, AppError> {
    let state = state_of(c)?;
    let (_, rules) = item_of(db, c.item_id).await?;
    let submitted_on = c.submitted_at.map(china_day);
    let acceptance_by = match (state, submitted_on) {
        (CaseState::Submitted, Some(d)) => rules::deadline::acceptance_window_end(cal, d).ok(),
        _ => None,
    };
    let evaluation =
        evaluation::Entity::find().filter(evaluation::Column::CaseId.eq(c.id)).one(db).await?.map(|e| EvaluationView {
            level: e.level.clamp(1, 5) as u8,
            comment: e.comment,
            reason: e.reason,
            follow_up_due: e.follow_up_due,
        });
    let results = results_of(db, c.id).await?;
    Ok(CaseExtras {
        version: c.version,
        submitted_on,
        acceptance_by,
        files: files_of(db, c.id).await?.iter().map(file_view).collect(),
        material_names: rules.materials.iter().map(|m| (m.code.clone(), m.name.clone())).collect(),
        correction: correction_of(db, c).await?,
        fee_due: c.fee_due,
        results,
        can_withdraw: state.before_decision() && !state.is_final() && state != CaseState::Draft,
        can_edit: matches!(state, CaseState::Draft | CaseState::AwaitingCorrection),
        can_rate: may_rate(state) && evaluation.is_none(),
        evaluation,
    })
}

pub async fn inbox(db: &impl ConnectionTrait, applicant_id: i32) -> Result<Vec<InboxEntry>, AppError> {
    let rows = notification::Entity::find()
        .filter(notification::Column::ApplicantId.eq(applicant_id))
        .order_by_desc(notification::Column::Id)
        .limit(100)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|n| {
            let body: serde_json::Value = serde_json::from_str(&n.body).unwrap_or_default();
            InboxEntry {
                id: n.id,
                case_id: n.case_id,
                case_no: body["case_no"].as_str().map(str::to_string),
                kind: n.kind,
                state: body["state"].as_str().and_then(CaseState::from_code),
                due_on: body["due_on"].as_str().and_then(|d| d.parse().ok()),
                at: (n.created_at + Duration::hours(8)).format("%Y-%m-%d %H:%M").to_string(),
                read: n.read_at.is_some(),
            }
        })
        .collect())
}

pub async fn unread_count(db: &impl ConnectionTrait, applicant_id: i32) -> Result<u64, AppError> {
    Ok(notification::Entity::find()
        .filter(notification::Column::ApplicantId.eq(applicant_id))
        .filter(notification::Column::ReadAt.is_null())
        .count(db)
        .await?)
}

pub async fn mark_all_read(db: &impl ConnectionTrait, applicant_id: i32) -> Result<(), AppError> {
    notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Some(Utc::now()).into())
        .filter(notification::Column::ApplicantId.eq(applicant_id))
        .filter(notification::Column::ReadAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Counts a hit for `bucket` from `ip` and refuses when the window's allowance is spent.
pub async fn rate_limit(
    db: &impl ConnectionTrait,
    bucket: &str,
    ip: &str,
    per_window: u64,
    minutes: i64,
) -> Result<(), AppError> {
    let since = Utc::now() - Duration::minutes(minutes);
    let n = rate_hit::Entity::find()
        .filter(rate_hit::Column::Bucket.eq(bucket))
        .filter(rate_hit::Column::Ip.eq(ip))
        .filter(rate_hit::Column::At.gt(since))
        .count(db)
        .await?;
    if n >= per_window {
        return Err(AppError::RateLimited { minutes });
    }
    rate_hit::ActiveModel { bucket: Set(bucket.into()), ip: Set(ip.into()), at: Set(Utc::now()), ..Default::default() }
        .insert(db)
        .await?;
    // Old hits are useless: drop them now and then.
    if n == 0 {
        rate_hit::Entity::delete_many().filter(rate_hit::Column::At.lt(since)).exec(db).await?;
    }
    Ok(())
}

fn public_timeline(events: Vec<case_event::Model>) -> Vec<TimelineEntry> {
    events
        .into_iter()
        .filter(|e| !e.internal)
        .map(|e| TimelineEntry {
            day: e.on_day,
            to_state: CaseState::from_code(&e.to_state).unwrap_or(CaseState::Submitted),
            comment: String::new(),
            action: e.action,
        })
        .collect()
}

/// The public progress query: case number + the applicant's name or mobile. Anything that does
/// not match (no such case, wrong name) gives the same `NotFound`.
pub async fn public_progress(db: &impl ConnectionTrait, case_no: &str, who: &str) -> Result<ProgressView, AppError> {
    // Not a case number at all: the same answer as no such case, and no query.
    let Ok(case_no) = case_no.parse::<rules::CaseNo>() else { return Err(AppError::NotFound) };
    let case_no = case_no.to_string();
    let who = who.trim();
    if who.is_empty() {
        return Err(AppError::NotFound);
    }
    let c = case::Entity::find().filter(case::Column::CaseNo.eq(&case_no)).one(db).await?.ok_or(AppError::NotFound)?;
    let a = applicant::Entity::find_by_id(c.applicant_id).one(db).await?.ok_or(AppError::NotFound)?;
    let matches = a.name == who
        || a.mobile == who
        || a.contact_name.as_deref() == Some(who)
        || who.parse::<rules::Mobile>().is_ok_and(|m| m.as_str() == a.mobile);
    if !matches {
        return Err(AppError::NotFound);
    }
    let it = item::Entity::find_by_id(c.item_id).one(db).await?.ok_or(AppError::NotFound)?;
    let dep = department::Entity::find_by_id(c.department_id).one(db).await?.map(|d| d.name).unwrap_or_default();
    Ok(ProgressView {
        case_no,
        item_name: it.name,
        department: dep,
        state: state_of(&c)?,
        submitted_on: c.submitted_at.map(china_day),
        accepted_on: c.accepted_on,
        due_on: c.due_on,
        timeline: public_timeline(cases::events(db, c.id, true).await?),
    })
}

fn mask_applicant(a: &applicant::Model) -> String {
    let name = rules::validators::mask_name(&a.name);
    let mobile = masked_mobile(&a.mobile);
    if mobile.is_empty() {
        name
    } else {
        format!("{name}（{mobile}）")
    }
}

pub const LEDGER_PAGE_SIZE: u64 = 20;

/// The public register: submitted cases in order of receipt, and published results.
pub async fn ledger(db: &impl ConnectionTrait, page: u64) -> Result<LedgerPage, AppError> {
    let received = case::Entity::find().filter(case::Column::SubmittedAt.is_not_null());
    let total = received.clone().count(db).await?;
    let pages = total.div_ceil(LEDGER_PAGE_SIZE).max(1);
    let page = page.clamp(1, pages);
    let rows = received
        .order_by_desc(case::Column::SubmittedAt)
        .order_by_desc(case::Column::Id)
        .offset((page - 1) * LEDGER_PAGE_SIZE)
        .limit(LEDGER_PAGE_SIZE)
        .all(db)
        .await?;
    let decided_states: Vec<&str> = [
        CaseState::Decided(rules::DecisionKind::Grant),
        CaseState::Decided(rules::DecisionKind::Deny),
        CaseState::Decided(rules::DecisionKind::Forward),
        CaseState::AwaitingPayment,
        CaseState::ReadyForDelivery,
        CaseState::Delivered,
        CaseState::Closed,
    ]
    .iter()
    .map(|s| s.code())
    .collect();
    let results = case::Entity::find()
        .filter(case::Column::State.is_in(decided_states))
        .order_by_desc(case::Column::UpdatedAt)
        .limit(LEDGER_PAGE_SIZE)
        .all(db)
        .await?;
    Ok(LedgerPage { rows: ledger_rows(db, rows).await?, page, pages, results: ledger_rows(db, results).await? })
}

async fn ledger_rows(db: &impl ConnectionTrait, rows: Vec<case::Model>) -> Result<Vec<LedgerRow>, AppError> {
    let mut out = Vec::with_capacity(rows.len());
    let mut items: BTreeMap<i32, String> = BTreeMap::new();
    for c in rows {
        let Some(case_no) = c.case_no.clone() else { continue };
        if let std::collections::btree_map::Entry::Vacant(e) = items.entry(c.item_id) {
            e.insert(item::Entity::find_by_id(c.item_id).one(db).await?.map(|i| i.name).unwrap_or_default());
        }
        let a = applicant::Entity::find_by_id(c.applicant_id).one(db).await?.ok_or(AppError::NotFound)?;
        out.push(LedgerRow {
            case_no,
            submitted_on: c.submitted_at.map(china_day).unwrap_or_else(|| china_day(c.created_at)),
            applicant: mask_applicant(&a),
            item_name: items.get(&c.item_id).cloned().unwrap_or_default(),
            accepted_on: c.accepted_on,
            due_on: c.due_on,
            state: state_of(&c)?,
        });
    }
    Ok(out)
}

/// Verifies a result document by its code.
pub async fn verify(db: &impl ConnectionTrait, code: &str) -> Result<Verification, AppError> {
    let code = code.trim().to_uppercase();
    let r = result_document::Entity::find()
        .filter(result_document::Column::Code.eq(&code))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let c = case::Entity::find_by_id(r.case_id).one(db).await?.ok_or(AppError::NotFound)?;
    let it = item::Entity::find_by_id(c.item_id).one(db).await?.ok_or(AppError::NotFound)?;
    let dep = department::Entity::find_by_id(r.department_id).one(db).await?.map(|d| d.name).unwrap_or_default();
    Ok(Verification {
        code: r.code,
        title: r.title,
        item_name: it.name,
        holder: r.holder_masked,
        issued_on: r.issued_on,
        department: dep,
        revoked: r.revoked,
    })
}

/// A result document as printable blocks, for its holder or staff of its department. The QR
/// code and the printed address lead to `/verify/{code}` under `base_url`.
pub async fn result_document_blocks(
    db: &impl ConnectionTrait,
    user: Option<&crate::models::SessionUser>,
    code: &str,
    base_url: &str,
) -> Result<Vec<super::receipt::Block>, AppError> {
    use super::receipt::Block;
    let r = result_document::Entity::find()
        .filter(result_document::Column::Code.eq(code.trim().to_uppercase()))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let c = case::Entity::find_by_id(r.case_id).one(db).await?.ok_or(AppError::NotFound)?;
    super::backoffice::may_read_case(db, user, &c).await?;
    let it = item::Entity::find_by_id(c.item_id).one(db).await?.ok_or(AppError::NotFound)?;
    let a = applicant::Entity::find_by_id(c.applicant_id).one(db).await?.ok_or(AppError::NotFound)?;
    let dep = department::Entity::find_by_id(r.department_id).one(db).await?.map(|d| d.name).unwrap_or_default();
    let decision = case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(c.id))
        .filter(case_event::Column::Action.eq("decide"))
        .filter(case_event::Column::Internal.eq(false))
        .order_by_desc(case_event::Column::Seq)
        .one(db)
        .await?
        .map(|e| e.comment)
        .unwrap_or_default();
    let url = format!("{}/verify/{}", base_url.trim_end_matches('/'), r.code);
    let mut blocks = vec![
        Block::Title(r.title.clone()),
        Block::Field("办件编号".into(), c.case_no.clone().unwrap_or_default()),
        Block::Field("申请人".into(), a.name),
        Block::Field("申请事项".into(), format!("{}（{}）", it.name, it.code)),
    ];
    if !decision.is_empty() {
        blocks.push(Block::Field("决定".into(), decision));
    }
    blocks.extend([
        Block::Field("出具部门".into(), dep),
        Block::Field("出具日期".into(), r.issued_on.to_string()),
        Block::Field("验证码".into(), r.code.clone()),
        Block::Gap,
        Block::Qr(url.clone(), format!("扫描二维码或访问 {url} 核验本文书的真伪和效力。")),
    ]);
    if r.revoked {
        blocks.insert(1, Block::Paragraph("【本文书已被撤销，不再有效】".into()));
    }
    Ok(blocks)
}

/// May this caller download this file? The case's applicant, or staff of the case's department.
pub async fn file_for_download(
    db: &impl ConnectionTrait,
    user: Option<&crate::models::SessionUser>,
    file_id: i32,
) -> Result<case_file::Model, AppError> {
    let f = case_file::Entity::find_by_id(file_id).one(db).await?.ok_or(AppError::NotFound)?;
    let c = case::Entity::find_by_id(f.case_id).one(db).await?.ok_or(AppError::NotFound)?;
    super::backoffice::may_read_case(db, user, &c).await?;
    if let Some(crate::models::SessionUser::Staff { id, .. }) = user {
        super::audit::log_read(db, *id, c.id, "file").await?;
    }
    Ok(f)
}

/// The receipt (收件凭证) of a submitted case, for its applicant: what was received, when, and by
/// when the department must accept or ask for corrections.
pub async fn receipt(
    db: &impl ConnectionTrait,
    cal: &Calendar,
    applicant_id: i32,
    case_id: i32,
) -> Result<(String, Vec<super::receipt::Block>), AppError> {
    use super::receipt::Block;
    let c = own_case(db, applicant_id, case_id).await?;
    let (Some(case_no), Some(submitted_at)) = (c.case_no.clone(), c.submitted_at) else {
        return Err(AppError::NotFound);
    };
    let (it, rules) = item_of(db, c.item_id).await?;
    let a = applicant::Entity::find_by_id(c.applicant_id).one(db).await?.ok_or(AppError::NotFound)?;
    let dep = department::Entity::find_by_id(c.department_id).one(db).await?.map(|d| d.name).unwrap_or_default();
    let first_submit = case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(c.id))
        .filter(case_event::Column::Action.eq("submit"))
        .one(db)
        .await?;
    let received_on = first_submit.as_ref().map(|e| e.on_day).unwrap_or_else(|| china_day(submitted_at));
    let window = rules::deadline::acceptance_window_end(cal, received_on).map_err(AppError::internal)?;
    let mut blocks = vec![
        Block::Title("收件凭证".into()),
        Block::Field("办件编号".into(), case_no.clone()),
        Block::Field("申请事项".into(), format!("{}（{}）", it.name, it.code)),
        Block::Field("申请人".into(), a.name.clone()),
        Block::Field("受理部门".into(), dep),
        Block::Field("收件日期".into(), received_on.to_string()),
        Block::Field("提交时间".into(), (submitted_at + Duration::hours(8)).format("%Y-%m-%d %H:%M").to_string()),
        Block::Heading("收到的申请材料".into()),
    ];
    let files = files_of(db, c.id).await?;
    for m in &rules.materials {
        let mine: Vec<&case_file::Model> = files.iter().filter(|f| f.material_code == m.code).collect();
        for f in mine {
            blocks.push(Block::Field(
                m.name.clone(),
                format!(
                    "{}（{}，SHA-256 {}…）",
                    f.file_name,
                    crate::models::human_size(f.size.max(0) as u64),
                    &f.sha256[..16.min(f.sha256.len())]
                ),
            ));
        }
    }
    blocks.extend([
        Block::Gap,
        Block::Paragraph(format!(
            "本凭证证明已收到上述申请材料，不代表已受理。受理部门应于 {window} 前（收件之日起 5 个工作日内）作出受理决定，或一次性告知需要补正的全部内容；逾期未告知的，自收到申请材料之日起即为受理（《中华人民共和国行政许可法》第三十二条）。"
        )),
        Block::Paragraph(format!("进度查询：凭办件编号 {case_no} 和申请人姓名或手机号，在本系统“办件进度查询”页面查询。")),
    ]);
    Ok((case_no, blocks))
}

/// A material's blank form or filled-in sample: the fields an application form asks for.
pub async fn material_form(
    db: &impl ConnectionTrait,
    item_code: &str,
    material: &str,
    sample: bool,
) -> Result<Vec<super::receipt::Block>, AppError> {
    use super::receipt::Block;
    let it = newest_published(db, item_code).await?.ok_or(AppError::NotFound)?;
    let rules: ItemRules = serde_json::from_str(&it.rules).map_err(AppError::internal)?;
    let spec = rules.materials.iter().find(|m| m.code == material).ok_or(AppError::NotFound)?;
    let wanted = if sample { spec.sample.is_some() } else { spec.blank_form.is_some() };
    if !wanted {
        return Err(AppError::NotFound);
    }
    let blank = "＿".repeat(18);
    let v = |example: &str| if sample { example.to_string() } else { blank.clone() };
    let mut blocks = vec![Block::Title(spec.name.clone())];
    if sample {
        blocks.push(Block::Paragraph("【示范文本】以下内容为填写示例，请按实际情况填写。".into()));
    }
    blocks.extend([
        Block::Field("申请事项".into(), format!("{}（{}）", it.name, it.code)),
        Block::Heading("一、申请人".into()),
        Block::Field("姓名 / 单位名称".into(), v("示例科技有限公司")),
        Block::Field("身份证号 / 统一社会信用代码".into(), v("91350100M000100Y43")),
        Block::Field("法定代表人 / 联系人".into(), v("李四")),
        Block::Field("联系电话".into(), v("13800000002")),
        Block::Field("通讯地址".into(), v("福州市鼓楼区示例路 1 号")),
        Block::Heading("二、申请内容".into()),
        Block::Field("项目名称".into(), v("示例产业园一期工程")),
        Block::Field("项目地点".into(), v("福州市闽侯县示例镇")),
        Block::Field("申请理由".into(), v("项目已完成立项，申请办理本事项。")),
        Block::Heading("三、承诺".into()),
        Block::Paragraph(
            "本人（单位）承诺所填写的内容和提交的材料真实、有效，如有虚假，愿意承担相应的法律责任。".into(),
        ),
        Block::Gap,
        Block::Field("申请人（签字 / 盖章）".into(), v("李四（示例科技有限公司 盖章）")),
        Block::Field("日期".into(), if sample { "2025年10月9日".into() } else { "　　年　　月　　日".into() }),
    ]);
    Ok(blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_cleaned() {
        assert_eq!(clean_file_name("C:\\Users\\张三\\身份证.pdf"), "身份证.pdf");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\u{0}b.pdf"), "ab.pdf");
        assert_eq!(clean_file_name("   "), "file");
        assert_eq!(clean_file_name(&"长".repeat(300)).chars().count(), 120);
    }

    #[test]
    fn verification_codes() {
        let a = super::super::cases::documents::new_verification_code();
        assert_eq!(a.len(), 16);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric() && !"01IO".contains(c)));
        assert_ne!(a, super::super::cases::documents::new_verification_code());
    }
}
