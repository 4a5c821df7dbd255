//! The applicant's journey as services: drafts (answers, files), submit, withdraw, ratings,
//! complaints, the inbox, and the public pages (progress query, register, verification).
//! Every state change of a case goes through [`super::cases::apply`].

mod after;
mod feedback;
mod printed;
mod public;
mod uploads;
pub use after::{detail_for_applicant, for_applicant};
pub use feedback::*;
pub use printed::*;
pub use public::*;
pub use uploads::*;

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
    applicant, case, case_event, case_file, complaint, department, evaluation, item, notification, result_document,
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

pub(crate) fn china_day(t: chrono::DateTime<Utc>) -> NaiveDate {
    (t + Duration::hours(8)).date_naive()
}

async fn item_of(db: &impl ConnectionTrait, id: i32) -> Result<(item::Model, ItemRules), AppError> {
    let it = item::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let rules = it.rules.clone();
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
    Ok(c.state)
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

/// A draft that is one item of a 一件事 application is filled in and sent only with the others,
/// on the application's page (`server::bundles::application`); once sent, each case goes on alone.
fn not_in_bundle_draft(c: &case::Model, lang: Lang) -> Result<(), AppError> {
    match c.bundle_application_id {
        Some(_) if c.state == CaseState::Draft => Err(AppError::field(
            "_form",
            lang.pick(
                "该申请是“一件事”申请的一部分，请在一件事申请页面填写和提交。",
                "該申請是「一件事」申請的一部分，請在一件事申請頁面填寫和提交。",
                "This is one item of a combined application: fill it in and send it on the combined application's page.",
            ),
        )),
        _ => Ok(()),
    }
}

async fn require_editable(
    db: &impl ConnectionTrait,
    applicant_id: i32,
    case_id: i32,
    lang: Lang,
) -> Result<case::Model, AppError> {
    let c = own_case(db, applicant_id, case_id).await?;
    not_in_bundle_draft(&c, lang)?;
    match state_of(&c)? {
        CaseState::Draft | CaseState::AwaitingCorrection => Ok(c),
        _ => Err(not_editable(lang)),
    }
}

/// A case that may take a file for `material`: a draft or a case awaiting its correction (any
/// of its materials), or a case accepted under 容缺 whose deferred materials are still due (those
/// materials only, until their due date passes).
async fn require_uploadable(
    db: &impl ConnectionTrait,
    applicant_id: i32,
    case_id: i32,
    material: &str,
    lang: Lang,
) -> Result<case::Model, AppError> {
    let c = own_case(db, applicant_id, case_id).await?;
    not_in_bundle_draft(&c, lang)?;
    let state = state_of(&c)?;
    if matches!(state, CaseState::Draft | CaseState::AwaitingCorrection) {
        return Ok(c);
    }
    let Some(due) = c.supplement_due.filter(|_| !state.is_final()) else { return Err(not_editable(lang)) };
    let (_, rules) = item_of(db, c.item_id).await?;
    if !rules.materials.iter().any(|m| m.code == material && m.deferrable) {
        return Err(not_editable(lang));
    }
    if c.supplement_overdue {
        let text = match lang {
            Lang::En => format!("The deferred materials were due by {due}: that term is over"),
            Lang::ZhHant => format!("容缺材料的補齊期限（{due}）已過"),
            Lang::ZhHans => format!("容缺材料的补齐期限（{due}）已过"),
        };
        return Err(AppError::field(format!("m_{material}"), text));
    }
    Ok(c)
}

/// Opens the applicant's draft for an item: the one already started, or a new one.
pub async fn start(db: &DatabaseConnection, applicant_id: i32, item_code: &str) -> Result<i32, AppError> {
    let code = item_code.trim().to_uppercase();
    let newest = newest_published(db, &code).await?.ok_or(AppError::NotFound)?;
    let rules: ItemRules = newest.rules.clone();
    if !rules.online {
        return Err(AppError::Forbidden);
    }
    let existing = case::Entity::find()
        .filter(case::Column::ApplicantId.eq(applicant_id))
        .filter(case::Column::State.eq(CaseState::Draft))
        .filter(case::Column::BundleApplicationId.is_null())
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
    Ok(cases::create_draft(db, applicant_id, &newest.code, &Answers::new(), None, None).await?.id)
}

async fn correction_of(db: &impl ConnectionTrait, c: &case::Model) -> Result<Option<CorrectionView>, AppError> {
    if state_of(c)? != CaseState::AwaitingCorrection {
        return Ok(None);
    }
    let ev = case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(c.id))
        .filter(case_event::Column::Action.eq(rules::EventKind::RequestCorrection))
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
        kind: a.kind,
        applicant_number: masked_number(&a),
        applicant_mobile: masked_mobile(&a.mobile),
        applicant_name: a.name,
        answers: c.answers.0.clone(),
        files: files_of(db, c.id).await?.iter().map(file_view).collect(),
        correction: correction_of(db, &c).await?,
        bundle_application: c.bundle_application_id.filter(|_| state == CaseState::Draft),
    })
}

/// Checks answers against the item's questions: every key a question, every value one of its
/// options. Unanswered questions are allowed in a draft (checked at submit).
pub fn parse_answers(rules: &ItemRules, raw: &BTreeMap<String, String>, lang: Lang) -> Result<Answers, AppError> {
    parse_answers_to(&rules.questions, raw, lang)
}

/// [`parse_answers`] over a list of questions (a 一件事's, `rules::bundle::Bundle::questions_to_ask`).
pub fn parse_answers_to(
    questions: &[rules::item::Question],
    raw: &BTreeMap<String, String>,
    lang: Lang,
) -> Result<Answers, AppError> {
    let mut out = Answers::new();
    let mut errors = Vec::new();
    for (k, v) in raw {
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        match questions.iter().find(|q| &q.code == k) {
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
        .col_expr(case::Column::Answers, case::StoredAnswers(answers.clone()).into())
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

/// Moves a draft to the newest version of its item, keeping the answers that still fit and the
/// files of materials that still exist.
pub async fn upgrade_draft(
    db: &DatabaseConnection,
    applicant_id: i32,
    case_id: i32,
    lang: Lang,
) -> Result<(), AppError> {
    let c = require_editable(db, applicant_id, case_id, lang).await?;
    upgrade_case(db, c, lang).await.map(|_| ())
}

/// [`upgrade_draft`] of a draft already checked: its answers kept where they still fit. Whether it
/// moved.
pub(crate) async fn upgrade_case(db: &impl ConnectionTrait, c: case::Model, lang: Lang) -> Result<bool, AppError> {
    let (it, _) = item_of(db, c.item_id).await?;
    let newest = newest_published(db, &it.code).await?.ok_or(AppError::NotFound)?;
    if newest.version <= it.version {
        return Ok(false);
    }
    let rules: ItemRules = newest.rules.clone();
    let old: Answers = c.answers.0.clone();
    let kept = parse_answers(&rules, &old, lang).unwrap_or_else(|_| {
        old.into_iter()
            .filter(|(k, v)| rules.questions.iter().any(|q| &q.code == k && q.options.iter().any(|(o, _)| o == v)))
            .collect()
    });
    let mut am: case::ActiveModel = c.clone().into();
    am.item_id = Set(newest.id);
    am.item_version = Set(newest.version);
    am.answers = Set(case::StoredAnswers(kept));
    am.version = Set(c.version + 1);
    am.updated_at = Set(Utc::now());
    am.update(db).await?;
    Ok(true)
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
            out.push((format!("q_{}", q.code), answer_first(&q.text, lang)));
        }
    }
    let list = checklist(&rules.materials, kind, answers, provided, None);
    for code in &list.missing {
        let name = rules.materials.iter().find(|m| &m.code == code).map(|m| m.name.clone()).unwrap_or_default();
        out.push((format!("m_{code}"), upload_first(&name, lang)));
    }
    out
}

/// "Answer this question" before a submit.
pub fn answer_first(question: &str, lang: Lang) -> String {
    match lang {
        Lang::ZhHans => format!("请回答「{question}」"),
        Lang::ZhHant => format!("請回答「{question}」"),
        Lang::En => format!("Answer “{question}”"),
    }
}

/// "Upload this material" before a submit.
pub fn upload_first(material: &str, lang: Lang) -> String {
    match lang {
        Lang::ZhHans => format!("请上传「{material}」"),
        Lang::ZhHant => format!("請上傳「{material}」"),
        Lang::En => format!("Upload “{material}”"),
    }
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
    let kind = a.kind;
    let answers: Answers = c.answers.0.clone();
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

/// The co-departments' answered opinions of a case, with their departments' names.
async fn co_opinions(db: &impl ConnectionTrait, case_id: i32) -> Result<Vec<crate::models::CoOpinionView>, AppError> {
    use crate::server::entities::{case_task, department};
    let tasks = case_task::Entity::find()
        .filter(case_task::Column::CaseId.eq(case_id))
        .filter(case_task::Column::Kind.eq(rules::workflow::TaskKind::CoReview))
        .filter(case_task::Column::AnsweredOn.is_not_null())
        .order_by_asc(case_task::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(tasks.len());
    for t in tasks {
        let department =
            department::Entity::find_by_id(t.department_id).one(db).await?.map(|d| d.name).unwrap_or_default();
        out.push(crate::models::CoOpinionView {
            department,
            agree: t.outcome.as_deref() == Some("agree"),
            opinion: t.opinion,
            answered_on: t.answered_on.unwrap_or_default(),
        });
    }
    Ok(out)
}

/// The case page's extras for its applicant.
pub async fn case_extras(db: &impl ConnectionTrait, cal: &Calendar, c: &case::Model) -> Result<CaseExtras, AppError> {
    let state = state_of(c)?;
    let (_, rules) = item_of(db, c.item_id).await?;
    let submitted_on = c.submitted_at.map(china_day);
    // (a filing has no acceptance: its conclusion's due date is the case's own)
    let acceptance_by = match (state, submitted_on) {
        (CaseState::Submitted, Some(d)) if rules.kind != rules::item::ItemKind::Filing => {
            rules::deadline::acceptance_window_end(cal, d).ok()
        }
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
    let files = files_of(db, c.id).await?;
    let supplement = {
        let a = applicant::Entity::find_by_id(c.applicant_id).one(db).await?.ok_or(AppError::NotFound)?;
        let kind = a.kind;
        let answers: Answers = c.answers.0.clone();
        let provided = files.iter().map(|f| f.material_code.clone()).collect();
        cases::supplements::view_of(c, &rules, kind, &answers, &provided)
    };
    Ok(CaseExtras {
        version: c.version,
        submitted_on,
        acceptance_by,
        files: files.iter().map(file_view).collect(),
        material_names: rules.materials.iter().map(|m| (m.code.clone(), m.name.clone())).collect(),
        correction: correction_of(db, c).await?,
        fee_due: c.fee_due,
        results,
        notices: cases::notices_of(db, c.id).await?,
        supplement,
        co_opinions: co_opinions(db, c.id).await?,
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

pub use super::auth::rate_limit;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_cleaned() {
        assert_eq!(clean_file_name("C:\\Users\\张三\\身份证.pdf"), "身份证.pdf");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\u{0}b.pdf"), "ab.pdf");
        assert_eq!(clean_file_name("   "), "file");
        // right-to-left override: "照片\u{202E}gpj.exe" shows as 照片exe.jpg
        assert_eq!(clean_file_name("照片\u{202E}gpj.exe"), "照片gpj.exe");
        assert_eq!(clean_file_name("a\u{200B}\u{2066}b\u{FEFF}.pdf"), "ab.pdf");
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
