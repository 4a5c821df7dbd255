//! The admin's 一件事 editor (issue J2): a bundle's code, name and summary, its items (from the
//! published catalog), the materials one upload fills for several items and the questions one
//! answer serves, and whether it is public. What is wrong is said in the admin's language
//! (`Bundle::problems`) and nothing is written; a save is refused as stale when someone else
//! saved since. Only an admin of every department whose item is in the bundle may write it.
//!
//! The form (a plain post): `code`, `name`, `summary`, `published`, `version`, `item_<CODE>`
//! for each item chosen; rows `m<n>_code`, `m<n>_name`, `m<n>__<ITEM>` (that item's material the
//! shared one fills, empty for none); rows `q<n>_code`, `q<n>__<ITEM>` (that item's question the
//! shared one answers; its text and options are the first slot's, or `q<n>_text`).

use std::collections::BTreeMap;

use rules::bundle::{Bundle, SharedMaterial, SharedQuestion};
use rules::item::{ItemRules, Question};
use rules::{Lang, Role};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::models::SessionUser;
use crate::server::entities::{bundle, department};
use crate::server::error::AppError;
use crate::server::guard::require_staff;

/// The editor's flash form.
pub const FORM: &str = "bundle_admin";

/// One published item the editor offers, with what may be shared of it.
#[derive(Debug, Clone)]
pub struct OfferedItem {
    pub code: String,
    pub name: String,
    pub department: String,
    pub department_id: i32,
    /// (code, name)
    pub materials: Vec<(String, String)>,
    /// (code, text)
    pub questions: Vec<(String, String)>,
}

/// The editor's page.
#[derive(Debug, Clone)]
pub struct BundleEditor {
    /// `None` for a new bundle
    pub existing: Option<String>,
    pub definition: Bundle,
    pub summary: String,
    pub published: bool,
    pub version: i32,
    pub catalog: Vec<OfferedItem>,
}

/// The bundles, by code: (code, name, number of items, published).
pub async fn list(
    db: &impl ConnectionTrait,
    user: Option<&SessionUser>,
) -> Result<Vec<(String, String, usize, bool)>, AppError> {
    require_staff(user, &[Role::Admin], None)?;
    Ok(bundle::Entity::find()
        .order_by_asc(bundle::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|b| (b.code, b.name, b.definition.items.len(), b.published))
        .collect())
}

async fn catalog(db: &impl ConnectionTrait) -> Result<Vec<OfferedItem>, AppError> {
    let deps: BTreeMap<i32, String> =
        department::Entity::find().all(db).await?.into_iter().map(|d| (d.id, d.name)).collect();
    Ok(crate::server::catalog::newest_versions(db)
        .await?
        .into_iter()
        .map(|it| OfferedItem {
            materials: it.rules.materials.iter().map(|m| (m.code.clone(), m.name.clone())).collect(),
            questions: it.rules.questions.iter().map(|q| (q.code.clone(), q.text.clone())).collect(),
            department: deps.get(&it.department_id).cloned().unwrap_or_default(),
            department_id: it.department_id,
            code: it.code,
            name: it.name,
        })
        .collect())
}

/// The editor for bundle `code` ("new": an empty one).
pub async fn editor(
    db: &impl ConnectionTrait,
    user: Option<&SessionUser>,
    code: &str,
) -> Result<BundleEditor, AppError> {
    require_staff(user, &[Role::Admin], None)?;
    let catalog = catalog(db).await?;
    if code == "new" {
        let definition =
            Bundle { code: String::new(), name: String::new(), items: vec![], questions: vec![], materials: vec![] };
        return Ok(BundleEditor {
            existing: None,
            definition,
            summary: String::new(),
            published: false,
            version: 0,
            catalog,
        });
    }
    let b = bundle::Entity::find()
        .filter(bundle::Column::Code.eq(code.trim().to_uppercase()))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(BundleEditor {
        existing: Some(b.code),
        definition: b.definition,
        summary: b.summary,
        published: b.published,
        version: b.version,
        catalog,
    })
}

/// A bundle's code: 2–32 capital letters, digits and dashes (`KG-001`).
fn valid_code(code: &str) -> bool {
    (2..=32).contains(&code.len()) && code.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
}

/// Reads the form into a definition (the shared rows left empty dropped), or the fields' messages.
pub fn parse(
    form: &BTreeMap<String, String>,
    catalog: &[OfferedItem],
    rules_of: &BTreeMap<String, ItemRules>,
    lang: Lang,
) -> Result<(Bundle, String, bool), AppError> {
    let get = |k: &str| form.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let mut errors = Vec::new();
    let code = get("code").to_uppercase();
    if !valid_code(&code) {
        errors.push((
            "code".to_string(),
            lang.pick(
                "编码为 2 至 32 位大写字母、数字或“-”，如 KG-001",
                "編碼為 2 至 32 位大寫字母、數字或「-」，如 KG-001",
                "A code is 2 to 32 capital letters, digits or dashes, e.g. KG-001",
            )
            .to_string(),
        ));
    }
    let name = get("name");
    if name.is_empty() || name.chars().count() > 100 {
        errors.push((
            "name".to_string(),
            lang.pick("请填写名称（100 字以内）", "請填寫名稱（100 字以內）", "Enter a name (at most 100 characters)")
                .to_string(),
        ));
    }
    let items: Vec<String> =
        catalog.iter().filter(|i| form.contains_key(&format!("item_{}", i.code))).map(|i| i.code.clone()).collect();
    let mut materials = Vec::new();
    let mut questions = Vec::new();
    for n in 0..50 {
        let slots = |prefix: &str| -> Vec<(String, String)> {
            items
                .iter()
                .filter_map(|i| {
                    let v = get(&format!("{prefix}{n}__{i}"));
                    (!v.is_empty()).then(|| (i.clone(), v))
                })
                .collect()
        };
        let m_code = get(&format!("m{n}_code"));
        let m_slots = slots("m");
        if !m_code.is_empty() || !m_slots.is_empty() {
            let m_name = get(&format!("m{n}_name"));
            let name = if m_name.is_empty() {
                m_slots
                    .first()
                    .and_then(|(i, c)| rules_of.get(i)?.materials.iter().find(|m| &m.code == c).map(|m| m.name.clone()))
                    .unwrap_or_default()
            } else {
                m_name
            };
            materials.push(SharedMaterial { code: m_code, name, fills: m_slots });
        }
        let q_code = get(&format!("q{n}_code"));
        let q_slots = slots("q");
        if !q_code.is_empty() || !q_slots.is_empty() {
            let first: Option<Question> =
                q_slots.first().and_then(|(i, c)| rules_of.get(i)?.questions.iter().find(|q| &q.code == c).cloned());
            let text = get(&format!("q{n}_text"));
            let question = Question {
                code: q_code,
                text: if text.is_empty() { first.as_ref().map(|q| q.text.clone()).unwrap_or_default() } else { text },
                options: first.map(|q| q.options).unwrap_or_default(),
            };
            questions.push(SharedQuestion { question, answers: q_slots });
        }
    }
    let definition = Bundle { code, name, items, questions, materials };
    for p in definition.problems(rules_of, lang) {
        errors.push((format!("problem_{}", errors.len()), p));
    }
    if errors.is_empty() {
        Ok((definition, get("summary").chars().take(2000).collect(), get("published") == "yes"))
    } else {
        Err(AppError::Invalid(errors))
    }
}

/// Saves the editor's form (at the version the admin saw): the bundle's code.
pub async fn save(
    db: &impl ConnectionTrait,
    user: Option<&SessionUser>,
    form: &BTreeMap<String, String>,
    lang: Lang,
) -> Result<String, AppError> {
    require_staff(user, &[Role::Admin], None)?;
    let catalog = catalog(db).await?;
    let mut rules_of = BTreeMap::new();
    for it in crate::server::catalog::newest_versions(db).await? {
        rules_of.insert(it.code.clone(), it.rules);
    }
    let (definition, summary, published) = parse(form, &catalog, &rules_of, lang)?;
    // an admin of every department the bundle reaches
    for code in &definition.items {
        let dep = catalog.iter().find(|i| &i.code == code).map(|i| i.department_id).ok_or(AppError::NotFound)?;
        require_staff(user, &[Role::Admin], Some(dep))?;
    }
    let editing = form.get("existing").is_some_and(|e| !e.trim().is_empty());
    let expect = match form.get("version").and_then(|v| v.trim().parse().ok()) {
        Some(v) if editing => super::Expect::Version(v),
        _ if editing => return Err(AppError::Stale),
        _ => super::Expect::New,
    };
    let code = definition.code.clone();
    super::write(db, definition, summary, published, expect, lang).await?;
    Ok(code)
}
