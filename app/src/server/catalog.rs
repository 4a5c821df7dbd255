//! The item catalog (事项目录): published items, newest version of each.

use std::collections::BTreeMap;

use rules::item::ItemRules;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::entities::{case, department, item};
use super::error::AppError;
use crate::models::{Catalog, ItemSummary};

/// The catalog filtered by words (name, department, code), kind and topic (life event), with
/// the topics and the most requested items.
pub async fn catalog(db: &impl ConnectionTrait, query: &str, kind: &str, topic: &str) -> Result<Catalog, AppError> {
    let all = list_items(db, "").await?;
    let mut topics: Vec<String> = all.iter().flat_map(|i| i.topics.iter().cloned()).collect();
    topics.sort();
    topics.dedup();
    // Counted by the database per item version (it once fetched every received case's item).
    let counts: BTreeMap<i32, i64> = case::Entity::find()
        .filter(case::Column::SubmittedAt.is_not_null())
        .select_only()
        .column(case::Column::ItemId)
        .column_as(case::Column::Id.count(), "n")
        .group_by(case::Column::ItemId)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut by_code: BTreeMap<String, i64> = BTreeMap::new();
    for r in item::Entity::find()
        .select_only()
        .column(item::Column::Id)
        .column(item::Column::Code)
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
    {
        *by_code.entry(r.1).or_default() += counts.get(&r.0).copied().unwrap_or(0);
    }
    let mut popular: Vec<ItemSummary> =
        all.iter().filter(|i| by_code.get(&i.code).copied().unwrap_or(0) > 0).cloned().collect();
    popular.sort_by_key(|i| (-by_code.get(&i.code).copied().unwrap_or(0), i.code.clone()));
    popular.truncate(4);
    let mut items = if query.trim().is_empty() { all } else { list_items(db, query).await? };
    if !kind.is_empty() {
        items.retain(|i| i.kind.code() == kind);
    }
    if !topic.is_empty() {
        items.retain(|i| i.topics.iter().any(|t| t == topic));
    }
    // (the 一件事 are the bundles module's: the caller adds them)
    Ok(Catalog { items, topics, popular, bundles: Vec::new() })
}

/// The newest published version of every item, by code.
pub async fn newest_versions(db: &impl ConnectionTrait) -> Result<Vec<item::Model>, AppError> {
    let mut out: Vec<item::Model> = Vec::new();
    for it in item::Entity::find()
        .filter(item::Column::Published.eq(true))
        .order_by_asc(item::Column::Code)
        .order_by_desc(item::Column::Version)
        .all(db)
        .await?
    {
        if out.last().is_none_or(|l| l.code != it.code) {
            out.push(it); // else an older version
        }
    }
    Ok(out)
}

pub async fn list_items(db: &impl ConnectionTrait, query: &str) -> Result<Vec<ItemSummary>, AppError> {
    let deps: BTreeMap<i32, String> =
        department::Entity::find().all(db).await?.into_iter().map(|d| (d.id, d.name)).collect();
    let q = query.trim().to_lowercase();
    let mut out: Vec<ItemSummary> = Vec::new();
    for r in newest_versions(db).await? {
        let rules: ItemRules = r.rules.clone();
        let department = deps.get(&r.department_id).cloned().unwrap_or_default();
        out.push(ItemSummary {
            code: r.code,
            name: r.name,
            department,
            kind: rules.kind,
            handling: rules.handling,
            promised_limit: rules.decision_limit(),
            statutory_limit: rules.statutory_limit,
            topics: rules.topics.clone(),
        });
    }
    if !q.is_empty() {
        out.retain(|i| {
            i.name.to_lowercase().contains(&q)
                || i.department.to_lowercase().contains(&q)
                || i.code.to_lowercase().contains(&q)
                || i.topics.iter().any(|t| t.to_lowercase().contains(&q))
        });
    }
    Ok(out)
}

/// An SVG QR code for `text` (no XML declaration, so it can sit inside HTML).
pub fn qr_svg(text: &str) -> String {
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(code) => {
            let svg = code.render::<qrcode::render::svg::Color>().min_dimensions(160, 160).quiet_zone(true).build();
            match svg.find("<svg") {
                Some(i) => svg[i..].to_string(),
                None => svg,
            }
        }
        Err(e) => {
            tracing::warn!(error = %e, "QR code not made");
            String::new()
        }
    }
}

/// The newest published version of the item with this code (any case, spaces trimmed).
pub async fn newest_published(db: &impl ConnectionTrait, code: &str) -> Result<Option<item::Model>, AppError> {
    Ok(item::Entity::find()
        .filter(item::Column::Code.eq(code.trim().to_uppercase()))
        .filter(item::Column::Published.eq(true))
        .order_by_desc(item::Column::Version)
        .one(db)
        .await?)
}

/// (code, name) of the newest published version of each item of these departments, by code:
/// what a window clerk can take in.
pub async fn published_items_of(
    db: &impl ConnectionTrait,
    departments: Vec<i32>,
) -> Result<Vec<(String, String)>, AppError> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for it in item::Entity::find()
        .filter(item::Column::DepartmentId.is_in(departments))
        .filter(item::Column::Published.eq(true))
        .order_by_asc(item::Column::Code)
        .order_by_desc(item::Column::Version)
        .all(db)
        .await?
    {
        if seen.insert(it.code.clone()) {
            out.push((it.code, it.name));
        }
    }
    Ok(out)
}

/// An item's guide data with the calendar the browser needs to project the same deadlines.
pub fn guide_of(
    it: &item::Model,
    rules: ItemRules,
    department: String,
    cal: &rules::Calendar,
    today: chrono::NaiveDate,
) -> crate::models::ItemGuide {
    crate::models::ItemGuide {
        code: it.code.clone(),
        version: it.version,
        name: it.name.clone(),
        summary: it.summary.clone(),
        department,
        rules,
        calendar_years: cal.known_years().collect(),
        calendar_days: cal.exceptions().cloned().collect(),
        today,
        qr_svg: String::new(),
    }
}

/// The newest published version of an item, for its guide page.
pub async fn item_guide(
    db: &impl ConnectionTrait,
    code: &str,
    cal: &rules::Calendar,
    today: chrono::NaiveDate,
) -> Result<crate::models::ItemGuide, AppError> {
    let row = newest_published(db, code).await?.ok_or(AppError::NotFound)?;
    let rules: ItemRules = row.rules.clone();
    let department =
        department::Entity::find_by_id(row.department_id).one(db).await?.map(|d| d.name).unwrap_or_default();
    Ok(guide_of(&row, rules, department, cal, today))
}
