//! 一件事 (issue J2): bundles of items from several departments, applied for once. What the public
//! reads before applying: a bundle's items with their departments and limits, the questions asked
//! once, the merged checklist (`rules::bundle::Bundle::merged_checklist`: each shared material
//! once, every item's conditions respected) and the combined deadline if accepted today. One
//! application of a bundle: [`application`]; its forms and upload: [`forms`].

pub mod admin;
pub mod application;
pub mod forms;

use chrono::{NaiveDate, Utc};
use rules::bundle::{Bundle, MergedMaterial};
use rules::item::{ItemRules, Question};
use rules::materials::{Answers, ApplicantKind};
use rules::{Calendar, TimeLimit};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::BTreeMap;

use super::entities::{bundle, department};
use super::error::AppError;

/// A published bundle on the home page: (code, name, summary, number of items).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleLine {
    pub code: String,
    pub name: String,
    pub summary: String,
    pub items: usize,
}

/// The published bundles, by code.
pub async fn published(db: &impl ConnectionTrait) -> Result<Vec<BundleLine>, AppError> {
    Ok(bundle::Entity::find()
        .filter(bundle::Column::Published.eq(true))
        .order_by_asc(bundle::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|b| BundleLine { code: b.code, name: b.name, summary: b.summary, items: b.definition.items.len() })
        .collect())
}

/// One item of a bundle as its page shows it.
#[derive(Debug, Clone)]
pub struct BundleItem {
    pub code: String,
    pub name: String,
    pub department: String,
    pub promised: TimeLimit,
    /// its promised decision day if accepted today
    pub projected: Option<NaiveDate>,
}

/// A bundle's page: its items, the questions asked once, the merged checklist for these answers.
#[derive(Debug, Clone)]
pub struct BundleView {
    pub code: String,
    pub name: String,
    pub summary: String,
    pub items: Vec<BundleItem>,
    pub questions: Vec<Question>,
    pub kind: ApplicantKind,
    pub answers: Answers,
    pub checklist: Vec<MergedMaterial>,
    /// the day the last item is promised by, if all are accepted today (`rules::bundle::combined_due`)
    pub combined: Option<NaiveDate>,
    pub today: NaiveDate,
    /// what the browser recomputes the checklist from: the definition and each item's materials
    pub definition: Bundle,
    pub materials: BTreeMap<String, Vec<rules::materials::MaterialSpec>>,
}

/// The items of a bundle (their newest published versions), by code; an item no longer
/// published is left out (the bundle's page then says fewer items).
async fn items_of(
    db: &impl ConnectionTrait,
    b: &Bundle,
) -> Result<BTreeMap<String, (String, i32, ItemRules)>, AppError> {
    let mut out = BTreeMap::new();
    for code in &b.items {
        if let Some(it) = super::catalog::newest_published(db, code).await? {
            out.insert(code.clone(), (it.name, it.department_id, it.rules));
        }
    }
    Ok(out)
}

/// The published bundle `code` for an applicant of `kind` with these answers, else `NotFound`.
pub async fn view(
    db: &impl ConnectionTrait,
    cal: &Calendar,
    today: NaiveDate,
    code: &str,
    kind: ApplicantKind,
    answers: Answers,
) -> Result<BundleView, AppError> {
    let b = published_bundle(db, code).await?;
    let found = items_of(db, &b.definition).await?;
    let deps: BTreeMap<i32, String> =
        department::Entity::find().all(db).await?.into_iter().map(|d| (d.id, d.name)).collect();
    let rules: BTreeMap<String, ItemRules> = found.iter().map(|(c, (_, _, r))| (c.clone(), r.clone())).collect();
    let questions = b.definition.questions_to_ask(&rules);
    // only the answers to questions asked, with one of their values
    let answers: Answers = answers
        .into_iter()
        .filter(|(k, v)| questions.iter().any(|q| &q.code == k && q.options.iter().any(|(o, _)| o == v)))
        .collect();
    let checklist = b.definition.merged_checklist(&rules, kind, &answers);
    let items: Vec<BundleItem> = b
        .definition
        .items
        .iter()
        .filter_map(|c| found.get(c).map(|f| (c, f)))
        .map(|(c, (name, dep, r))| BundleItem {
            code: c.clone(),
            name: name.clone(),
            department: deps.get(dep).cloned().unwrap_or_default(),
            promised: r.decision_limit(),
            projected: rules::deadline::due_date(cal, today, r.decision_limit(), &[], today).ok(),
        })
        .collect();
    let combined = rules::bundle::combined_due(&items.iter().map(|i| i.projected).collect::<Vec<_>>());
    let materials = rules.iter().map(|(c, r)| (c.clone(), r.materials.clone())).collect();
    Ok(BundleView {
        definition: b.definition.clone(),
        materials,
        code: b.code,
        name: b.name,
        summary: b.summary,
        items,
        questions,
        kind,
        answers,
        checklist,
        combined,
        today,
    })
}

/// Writes (or replaces) a bundle, published, once its definition has no problems over the
/// catalog: the demo's.
pub async fn put(db: &impl ConnectionTrait, definition: Bundle, summary: &str) -> Result<(), AppError> {
    let found = items_of(db, &definition).await?;
    let rules: BTreeMap<String, ItemRules> = found.into_iter().map(|(c, (_, _, r))| (c, r)).collect();
    let problems = definition.problems(&rules, rules::Lang::En);
    if !problems.is_empty() {
        return Err(AppError::internal(format!("bundle {}: {}", definition.code, problems.join("; "))));
    }
    write(db, definition, summary.into(), true, Expect::Any, rules::Lang::En).await
}

/// What a write expects to find stored under the bundle's code.
pub(crate) enum Expect {
    /// nothing: a new bundle (a code in use is refused)
    New,
    /// the bundle at the version the writer saw (a later one is refused as stale)
    Version(i32),
    /// whatever is there (the seed)
    Any,
}

/// The one write of a bundle, its definition checked by the caller: inserted, or updated (its
/// version bumped, under an optimistic lock) when anything changed.
pub(crate) async fn write(
    db: &impl ConnectionTrait,
    definition: Bundle,
    summary: String,
    published: bool,
    expect: Expect,
    lang: rules::Lang,
) -> Result<(), AppError> {
    let now = Utc::now();
    let found = bundle::Entity::find().filter(bundle::Column::Code.eq(definition.code.clone())).one(db).await?;
    match (found, expect) {
        (Some(_), Expect::New) => Err(AppError::field(
            "code",
            lang.pick("该编码已被其他一件事使用", "該編碼已被其他一件事使用", "Another bundle has this code"),
        )),
        (Some(b), Expect::Version(seen)) if b.version != seen => Err(AppError::Stale),
        (Some(b), _) if b.definition == definition && b.summary == summary && b.published == published => Ok(()),
        (Some(b), _) => {
            let res = bundle::Entity::update_many()
                .col_expr(bundle::Column::Name, definition.name.clone().into())
                .col_expr(bundle::Column::Summary, summary.into())
                .col_expr(bundle::Column::Definition, definition.into())
                .col_expr(bundle::Column::Published, published.into())
                .col_expr(bundle::Column::Version, (b.version + 1).into())
                .col_expr(bundle::Column::UpdatedAt, now.into())
                .filter(bundle::Column::Id.eq(b.id))
                .filter(bundle::Column::Version.eq(b.version))
                .exec(db)
                .await?;
            if res.rows_affected != 1 {
                return Err(AppError::Stale);
            }
            Ok(())
        }
        (None, Expect::Version(_)) => Err(AppError::field(
            "code",
            lang.pick("一件事的编码不能修改", "一件事的編碼不能修改", "A bundle's code cannot change"),
        )),
        (None, _) => {
            bundle::ActiveModel {
                code: Set(definition.code.clone()),
                name: Set(definition.name.clone()),
                summary: Set(summary),
                definition: Set(definition),
                published: Set(published),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
            Ok(())
        }
    }
}

/// The published bundle `code`, else "not found".
pub(crate) async fn published_bundle(db: &impl ConnectionTrait, code: &str) -> Result<bundle::Model, AppError> {
    bundle::Entity::find()
        .filter(bundle::Column::Code.eq(code.trim().to_uppercase()))
        .filter(bundle::Column::Published.eq(true))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}
