//! One application of a 一件事 (issue J2): a row of `bundle_applications` and one draft case per
//! item, made together. The applicant answers the bundle's questions once (each case gets its
//! item's share, `Bundle::item_answers`), uploads each line of the merged checklist once (one
//! object in the store, one `case_files` row in every case the line fills, written in one
//! transaction) and sends them all at once: every case is submitted in the same transaction, or
//! none is. From then on each case is its department's, on its own clock; the application's page
//! shows them side by side.
//!
//! Invariants: while the application is a draft its cases are changed only here
//! (`journey::not_in_bundle_draft` refuses the single-item editor); every change bumps the
//! application's version (optimistic lock) and the cases' versions; another applicant's
//! application is "not found".

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, Utc};
use rules::bundle::MergedMaterial;
use rules::case::{Action, CaseState};
use rules::item::{ItemRules, Question};
use rules::materials::{check_file, sniff, Answers, ApplicantKind};
use rules::supervision::Term;
use rules::{Calendar, Lang, Role};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::models::FileView;
use crate::server::auth::PrincipalKind;
use crate::server::cases::documents::{file_view, files_of};
use crate::server::cases::{self, Actor, Change};
use crate::server::catalog::newest_published;
use crate::server::db;
use crate::server::entities::{applicant, bundle_application, case, case_file, department, item};
use crate::server::error::AppError;
use crate::server::files::{ByteStream, FileStore, FileStoreError};
use crate::server::journey;

/// One item's case in an application.
#[derive(Debug, Clone)]
pub struct AppliedCase {
    pub case_id: i32,
    pub item_code: String,
    pub item_name: String,
    pub department: String,
    pub state: CaseState,
    /// a 备案 item (its states read differently)
    pub filing: bool,
    pub case_no: Option<String>,
    /// the day its current term ends, and which term it is
    pub due_on: Option<NaiveDate>,
    pub term: Option<Term>,
    /// a draft whose item has a newer guide: it moves to it before it is sent
    pub outdated: bool,
}

/// A line of the merged checklist with the files uploaded for it.
#[derive(Debug, Clone)]
pub struct MaterialLine {
    pub material: MergedMaterial,
    pub files: Vec<FileView>,
}

/// The application's page.
#[derive(Debug, Clone)]
pub struct ApplicationView {
    pub id: i32,
    pub version: i32,
    pub code: String,
    pub name: String,
    pub submitted_on: Option<NaiveDate>,
    pub kind: ApplicantKind,
    pub questions: Vec<Question>,
    pub answers: Answers,
    pub materials: Vec<MaterialLine>,
    pub cases: Vec<AppliedCase>,
    /// what keeps a draft from being sent: (field, message), a field once
    pub problems: Vec<(String, String)>,
    /// once sent: the last of the cases' due days (`rules::bundle::combined_due`)
    pub combined: Option<NaiveDate>,
}

/// An application with its cases (in the bundle's item order) and their items.
struct Loaded {
    app: bundle_application::Model,
    cases: Vec<(case::Model, item::Model)>,
    kind: ApplicantKind,
}

impl Loaded {
    fn rules(&self) -> BTreeMap<String, ItemRules> {
        self.cases.iter().map(|(_, it)| (it.code.clone(), it.rules.clone())).collect()
    }

    fn case_of(&self, item: &str) -> Option<&(case::Model, item::Model)> {
        self.cases.iter().find(|(_, it)| it.code == item)
    }

    fn questions(&self) -> Vec<Question> {
        self.app.definition.questions_to_ask(&self.rules())
    }

    fn checklist(&self) -> Vec<MergedMaterial> {
        self.app.definition.merged_checklist(&self.rules(), self.kind, &self.app.answers.0)
    }

    fn require_draft(&self, lang: Lang) -> Result<(), AppError> {
        if self.app.submitted_at.is_none() {
            return Ok(());
        }
        Err(AppError::field(
            "_form",
            lang.pick(
                "该一件事申请已提交，不能再修改；各事项如需补正，请按各部门的补正通知办理。",
                "該一件事申請已提交，不能再修改；各事項如需補正，請按各部門的補正通知辦理。",
                "This combined application has been sent and cannot be changed; a department that needs corrections will tell you.",
            ),
        ))
    }
}

async fn load(db: &impl ConnectionTrait, applicant_id: i32, id: i32) -> Result<Loaded, AppError> {
    let app = bundle_application::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    if app.applicant_id != applicant_id {
        return Err(AppError::NotFound);
    }
    let rows = case::Entity::find()
        .filter(case::Column::BundleApplicationId.eq(id))
        .order_by_asc(case::Column::Id)
        .all(db)
        .await?;
    let mut cases = Vec::with_capacity(rows.len());
    for c in rows {
        let it = item::Entity::find_by_id(c.item_id).one(db).await?.ok_or(AppError::NotFound)?;
        cases.push((c, it));
    }
    let order = |code: &str| app.definition.items.iter().position(|i| i == code).unwrap_or(usize::MAX);
    cases.sort_by_key(|(_, it)| order(&it.code));
    let a = applicant::Entity::find_by_id(applicant_id).one(db).await?.ok_or(AppError::NotFound)?;
    let kind = a.kind;
    Ok(Loaded { app, cases, kind })
}

/// Bumps the application's version (refused as stale when it moved since it was read), with new
/// answers and the time it was sent when given. The new version.
async fn bump(
    tx: &impl ConnectionTrait,
    app: &bundle_application::Model,
    answers: Option<Answers>,
    submitted: bool,
) -> Result<i32, AppError> {
    let now = Utc::now();
    let mut q = bundle_application::Entity::update_many()
        .col_expr(bundle_application::Column::Version, (app.version + 1).into())
        .col_expr(bundle_application::Column::UpdatedAt, now.into());
    if let Some(a) = answers {
        q = q.col_expr(bundle_application::Column::Answers, case::StoredAnswers(a).into());
    }
    if submitted {
        q = q.col_expr(bundle_application::Column::SubmittedAt, Some(now).into());
    }
    let res = q
        .filter(bundle_application::Column::Id.eq(app.id))
        .filter(bundle_application::Column::Version.eq(app.version))
        .exec(tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(AppError::Stale);
    }
    Ok(app.version + 1)
}

/// Opens the applicant's application of the published bundle `code`: the one begun and not yet
/// sent, or a new one with a draft case for each item.
pub async fn start(db: &DatabaseConnection, applicant_id: i32, code: &str, lang: Lang) -> Result<i32, AppError> {
    let b = super::published_bundle(db, code).await?;
    if let Some(open) = bundle_application::Entity::find()
        .filter(bundle_application::Column::ApplicantId.eq(applicant_id))
        .filter(bundle_application::Column::BundleId.eq(b.id))
        .filter(bundle_application::Column::SubmittedAt.is_null())
        .one(db)
        .await?
    {
        return Ok(open.id);
    }
    for code in &b.definition.items {
        let it = newest_published(db, code).await?.ok_or(AppError::NotFound)?;
        if !it.rules.online {
            let text = match lang {
                Lang::En => format!("“{}” cannot be applied for online: apply at the window", it.name),
                Lang::ZhHant => format!("「{}」暫不能線上申請，請到窗口辦理", it.name),
                Lang::ZhHans => format!("「{}」暂不能在线申请，请到窗口办理", it.name),
            };
            return Err(AppError::field("_form", text));
        }
    }
    let tx = db::write_tx(db).await?;
    let now = Utc::now();
    let app = bundle_application::ActiveModel {
        bundle_id: Set(b.id),
        definition: Set(b.definition.clone()),
        applicant_id: Set(applicant_id),
        answers: Set(case::StoredAnswers::default()),
        version: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        submitted_at: Set(None),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    for code in &b.definition.items {
        cases::create_draft(&tx, applicant_id, code, &Answers::new(), None, Some(app.id)).await?;
    }
    tx.commit().await?;
    Ok(app.id)
}

/// The application's page for its applicant.
pub async fn view(
    db: &impl ConnectionTrait,
    applicant_id: i32,
    id: i32,
    lang: Lang,
) -> Result<ApplicationView, AppError> {
    let l = load(db, applicant_id, id).await?;
    let mut materials = Vec::new();
    for m in l.checklist() {
        // every slot of a line holds the same files: show the first's
        let files = match m.fills.first().and_then(|(i, code)| l.case_of(i).map(|(c, _)| (c.id, code))) {
            Some((case_id, code)) => {
                files_of(db, case_id).await?.iter().filter(|f| &f.material_code == code).map(file_view).collect()
            }
            None => Vec::new(),
        };
        materials.push(MaterialLine { material: m, files });
    }
    let deps: BTreeMap<i32, String> =
        department::Entity::find().all(db).await?.into_iter().map(|d| (d.id, d.name)).collect();
    let mut applied = Vec::with_capacity(l.cases.len());
    for (c, it) in &l.cases {
        applied.push(AppliedCase {
            case_id: c.id,
            item_code: it.code.clone(),
            item_name: it.name.clone(),
            department: deps.get(&c.department_id).cloned().unwrap_or_default(),
            state: c.state,
            filing: it.rules.kind == rules::item::ItemKind::Filing,
            case_no: c.case_no.clone(),
            due_on: c.due_on,
            term: c.term(),
            outdated: outdated(db, c, it).await?,
        });
    }
    let sent = l.app.submitted_at.is_some();
    let problems = if sent { Vec::new() } else { problems(db, &l, lang).await? };
    let combined = if sent {
        rules::bundle::combined_due(&l.cases.iter().map(|(c, _)| c.due_on).collect::<Vec<_>>())
    } else {
        None
    };
    Ok(ApplicationView {
        id: l.app.id,
        version: l.app.version,
        code: l.app.definition.code.clone(),
        name: l.app.definition.name.clone(),
        submitted_on: l.app.submitted_at.map(journey::china_day),
        kind: l.kind,
        questions: l.questions(),
        answers: l.app.answers.0.clone(),
        materials,
        cases: applied,
        problems,
        combined,
    })
}

async fn outdated(db: &impl ConnectionTrait, c: &case::Model, it: &item::Model) -> Result<bool, AppError> {
    Ok(c.state == CaseState::Draft && newest_published(db, &it.code).await?.is_some_and(|n| n.version > it.version))
}

/// What keeps the draft from being sent: each case's own refusal (`journey::submit_problems`,
/// the same check a single application gets), at the bundle's field for it and in its words.
async fn problems(db: &impl ConnectionTrait, l: &Loaded, lang: Lang) -> Result<Vec<(String, String)>, AppError> {
    let b = &l.app.definition;
    let questions = l.questions();
    let checklist = l.checklist();
    let mut out: Vec<(String, String)> = Vec::new();
    let mut push = |field: String, message: String| {
        if !out.iter().any(|(f, _)| f == &field) {
            out.push((field, message));
        }
    };
    for (c, it) in &l.cases {
        if outdated(db, c, it).await? {
            let text = match lang {
                Lang::En => format!("The guide of “{}” has changed: update the application first", it.name),
                Lang::ZhHant => format!("「{}」的辦事指南已更新，請先更新申請", it.name),
                Lang::ZhHans => format!("「{}」的办事指南已更新，请先更新申请", it.name),
            };
            push("_form".into(), text);
        }
        let provided: BTreeSet<String> = files_of(db, c.id).await?.into_iter().map(|f| f.material_code).collect();
        for (field, message) in journey::submit_problems(&it.rules, l.kind, &c.answers.0, &provided, lang) {
            if let Some(q) = field.strip_prefix("q_") {
                let code = b.question_code(&it.code, q);
                let text = questions.iter().find(|x| x.code == code).map(|x| journey::answer_first(&x.text, lang));
                push(format!("q_{code}"), text.unwrap_or(message));
            } else if let Some(m) = field.strip_prefix("m_") {
                let code = b.material_code(&it.code, m);
                let text = checklist.iter().find(|x| x.code == code).map(|x| journey::upload_first(&x.name, lang));
                push(format!("m_{code}"), text.unwrap_or(message));
            } else {
                push(field, message);
            }
        }
    }
    Ok(out)
}

/// Writes each case's share of `answers` (bumping its version) and the answers themselves.
async fn write_answers(tx: &impl ConnectionTrait, l: &Loaded, answers: Answers) -> Result<i32, AppError> {
    for (c, it) in &l.cases {
        let theirs = l.app.definition.item_answers(&it.code, &answers);
        let res = case::Entity::update_many()
            .col_expr(case::Column::Answers, case::StoredAnswers(theirs).into())
            .col_expr(case::Column::Version, (c.version + 1).into())
            .col_expr(case::Column::UpdatedAt, Utc::now().into())
            .filter(case::Column::Id.eq(c.id))
            .filter(case::Column::Version.eq(c.version))
            .exec(tx)
            .await?;
        if res.rows_affected != 1 {
            return Err(AppError::Stale);
        }
    }
    bump(tx, &l.app, Some(answers), false).await
}

/// Saves the answers to the bundle's questions (every value one of its question's options).
/// The application's new version.
pub async fn save_answers(
    db: &DatabaseConnection,
    applicant_id: i32,
    id: i32,
    raw: &BTreeMap<String, String>,
    lang: Lang,
) -> Result<i32, AppError> {
    let tx = db::write_tx(db).await?;
    let l = load(&tx, applicant_id, id).await?;
    l.require_draft(lang)?;
    let answers = journey::parse_answers_to(&l.questions(), raw, lang)?;
    let version = write_answers(&tx, &l, answers).await?;
    tx.commit().await?;
    Ok(version)
}

/// Moves every case whose item has a newer guide to it, keeping the answers that still fit.
pub async fn upgrade(db: &DatabaseConnection, applicant_id: i32, id: i32, lang: Lang) -> Result<(), AppError> {
    let tx = db::write_tx(db).await?;
    let l = load(&tx, applicant_id, id).await?;
    l.require_draft(lang)?;
    for (c, _) in &l.cases {
        journey::upgrade_case(&tx, c.clone(), lang).await?;
    }
    let l = load(&tx, applicant_id, id).await?;
    let questions = l.questions();
    let kept: Answers = l
        .app
        .answers
        .0
        .iter()
        .filter(|(k, v)| questions.iter().any(|q| &q.code == *k && q.options.iter().any(|(o, _)| o == *v)))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    write_answers(&tx, &l, kept).await?;
    tx.commit().await?;
    Ok(())
}

/// The line `material` of the draft's merged checklist (for the answers given so far).
fn line_of(l: &Loaded, material: &str, lang: Lang) -> Result<MergedMaterial, AppError> {
    l.checklist().into_iter().find(|m| m.code == material).ok_or_else(|| {
        AppError::field("_form", lang.pick("没有这项申请材料", "沒有這項申請材料", "There is no such material"))
    })
}

/// A refusal about one slot of a line, moved to the line's field.
fn at_line(e: AppError, line: &str) -> AppError {
    match e {
        AppError::Invalid(fields) => {
            AppError::Invalid(fields.into_iter().map(|(_, m)| (format!("m_{line}"), m)).collect())
        }
        e => e,
    }
}

/// How many bytes an upload for line `material` may hold (its own limit, and the room left in
/// each case it fills and in the applicant's space), and the line's name.
pub async fn material_cap(
    db: &impl ConnectionTrait,
    applicant_id: i32,
    id: i32,
    material: &str,
    lang: Lang,
) -> Result<(u64, String), AppError> {
    let l = load(db, applicant_id, id).await?;
    l.require_draft(lang)?;
    let line = line_of(&l, material, lang)?;
    cap_of(db, &l, &line, lang).await.map(|cap| (cap, line.name))
}

async fn cap_of(db: &impl ConnectionTrait, l: &Loaded, line: &MergedMaterial, lang: Lang) -> Result<u64, AppError> {
    let mut cap = line.max_bytes;
    for (item, code) in &line.fills {
        let (c, _) = l.case_of(item).ok_or(AppError::NotFound)?;
        let room = journey::room(db, l.app.applicant_id, c.id, code, &line.name, lang).await;
        cap = cap.min(room.map_err(|e| at_line(e, &line.code))?);
    }
    Ok(cap)
}

/// Streams one file for line `material` into the store once and records it in every case the
/// line fills, in one transaction. Checked by size as it arrives and by content against what
/// every slot accepts; a refused file is deleted, and the message sits at the line.
#[allow(clippy::too_many_arguments)]
pub async fn add_file(
    db: &DatabaseConnection,
    store: &dyn FileStore,
    applicant_id: i32,
    id: i32,
    material: &str,
    file_name: &str,
    body: ByteStream,
    lang: Lang,
) -> Result<FileView, AppError> {
    let l = load(db, applicant_id, id).await?;
    l.require_draft(lang)?;
    let line = line_of(&l, material, lang)?;
    let refuse = |reason: String| journey::material_problem(&line.code, &line.name, reason, lang);
    let cap = cap_of(db, &l, &line, lang).await?;
    let stored = match store.put(body, Some(cap)).await {
        Ok(s) => s,
        Err(FileStoreError::TooLarge { limit }) => {
            return Err(refuse(rules::materials::CorrectionReason::TooLarge { max_bytes: limit }.message(lang)))
        }
        Err(e) => return Err(AppError::internal(e)),
    };
    let drop_it = || crate::server::files::forget(store, &stored.key, "a refused upload");
    if stored.size == 0 {
        drop_it().await;
        return Err(refuse(lang.pick("文件是空的", "檔案是空的", "the file is empty").into()));
    }
    // what every slot accepts: the line's types and its smallest limit
    let (first_item, first_code) = line.fills.first().ok_or(AppError::NotFound)?;
    let mut spec = l
        .case_of(first_item)
        .and_then(|(_, it)| it.rules.materials.iter().find(|m| &m.code == first_code))
        .cloned()
        .ok_or(AppError::NotFound)?;
    spec.file_types = line.file_types.clone();
    spec.max_bytes = line.max_bytes;
    let file_type = match check_file(&spec, sniff(&stored.head), stored.size) {
        Ok(t) => t,
        Err(reason) => {
            drop_it().await;
            return Err(refuse(reason.message(lang)));
        }
    };
    let written = async {
        let tx = db::write_tx(db).await?;
        // sent or changed meanwhile (another tab): refused as stale
        let now = load(&tx, applicant_id, id).await?;
        now.require_draft(lang)?;
        if now.app.version != l.app.version {
            return Err(AppError::Stale);
        }
        let mut first = None;
        for (item, code) in &line.fills {
            let (c, _) = now.case_of(item).ok_or(AppError::NotFound)?;
            let row = case_file::ActiveModel {
                case_id: Set(c.id),
                material_code: Set(code.clone()),
                file_name: Set(journey::clean_file_name(file_name)),
                size: Set(stored.size as i64),
                file_type: Set(file_type),
                sha256: Set(stored.sha256.clone()),
                storage_key: Set(stored.key.clone()),
                uploaded_at: Set(Utc::now()),
                removed: Set(false),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
            first.get_or_insert(row);
        }
        bump(&tx, &now.app, None, false).await?;
        tx.commit().await?;
        first.ok_or(AppError::NotFound)
    }
    .await;
    match written {
        Ok(row) => Ok(file_view(&row)),
        Err(e) => {
            drop_it().await;
            Err(e)
        }
    }
}

/// Removes a file of the draft from every case it was recorded in, then from the store.
pub async fn remove_file(
    db: &DatabaseConnection,
    store: &dyn FileStore,
    applicant_id: i32,
    id: i32,
    file_id: i32,
    lang: Lang,
) -> Result<(), AppError> {
    let tx = db::write_tx(db).await?;
    let l = load(&tx, applicant_id, id).await?;
    l.require_draft(lang)?;
    let f = case_file::Entity::find_by_id(file_id).one(&tx).await?.ok_or(AppError::NotFound)?;
    let ours: Vec<i32> = l.cases.iter().map(|(c, _)| c.id).collect();
    if !ours.contains(&f.case_id) {
        return Err(AppError::NotFound);
    }
    case_file::Entity::delete_many()
        .filter(case_file::Column::CaseId.is_in(ours))
        .filter(case_file::Column::StorageKey.eq(f.storage_key.clone()))
        .exec(&tx)
        .await?;
    bump(&tx, &l.app, None, false).await?;
    tx.commit().await?;
    // (a key is one upload's: no other row holds it)
    crate::server::files::forget(store, &f.storage_key, "a removed draft file").await;
    Ok(())
}

/// Sends the application at the version the applicant checked: every case is submitted, in one
/// transaction, or — with the reasons at their fields — none is.
pub async fn submit(
    db: &DatabaseConnection,
    cal: &Calendar,
    applicant_id: i32,
    id: i32,
    expected_version: i32,
    today: NaiveDate,
    lang: Lang,
) -> Result<Vec<case::Model>, AppError> {
    let tx = db::write_tx(db).await?;
    let l = load(&tx, applicant_id, id).await?;
    l.require_draft(lang)?;
    if l.app.version != expected_version {
        return Err(AppError::Stale);
    }
    let problems = problems(&tx, &l, lang).await?;
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let mut sent = Vec::with_capacity(l.cases.len());
    for (c, _) in &l.cases {
        let provided: BTreeSet<String> = files_of(&tx, c.id).await?.into_iter().map(|f| f.material_code).collect();
        let change = Change {
            case_id: c.id,
            expected_version: c.version,
            action: Action::Submit,
            actor: Actor { kind: PrincipalKind::Applicant, id: applicant_id, role: Role::Applicant },
            comment: String::new(),
            internal: false,
            today,
            provided,
            grants_request: None,
        };
        sent.push(cases::apply_in(&tx, cal, change).await?);
    }
    bump(&tx, &l.app, None, true).await?;
    tx.commit().await?;
    Ok(sent)
}

/// The 一件事 application a case is one item of, for its case page: (id, bundle name).
pub async fn of_case(db: &impl ConnectionTrait, c: &case::Model) -> Result<Option<(i32, String)>, AppError> {
    let Some(id) = c.bundle_application_id else { return Ok(None) };
    Ok(bundle_application::Entity::find_by_id(id).one(db).await?.map(|a| (a.id, a.definition.name)))
}
