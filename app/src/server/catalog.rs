//! The item catalog (事项目录): published items, newest version of each.

use std::collections::BTreeMap;

use rules::item::ItemRules;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::entities::{department, item};
use super::error::AppError;
use crate::models::ItemSummary;

pub async fn list_items(db: &impl ConnectionTrait, query: &str) -> Result<Vec<ItemSummary>, AppError> {
    let deps: BTreeMap<i32, String> =
        department::Entity::find().all(db).await?.into_iter().map(|d| (d.id, d.name)).collect();
    let rows = item::Entity::find()
        .filter(item::Column::Published.eq(true))
        .order_by_asc(item::Column::Code)
        .order_by_desc(item::Column::Version)
        .all(db)
        .await?;
    let q = query.trim().to_lowercase();
    let mut out: Vec<ItemSummary> = Vec::new();
    for r in rows {
        if out.last().is_some_and(|l| l.code == r.code) {
            continue; // an older version
        }
        let rules: ItemRules = serde_json::from_str(&r.rules).map_err(AppError::internal)?;
        let department = deps.get(&r.department_id).cloned().unwrap_or_default();
        out.push(ItemSummary {
            code: r.code,
            name: r.name,
            department,
            kind: rules.kind,
            handling: rules.handling,
            promised_limit: rules.decision_limit(),
            statutory_limit: rules.statutory_limit,
        });
    }
    if !q.is_empty() {
        out.retain(|i| {
            i.name.to_lowercase().contains(&q)
                || i.department.to_lowercase().contains(&q)
                || i.code.to_lowercase().contains(&q)
        });
    }
    Ok(out)
}

/// The newest published version of an item, for its guide page.
pub async fn item_guide(
    db: &impl ConnectionTrait,
    code: &str,
    cal: &rules::Calendar,
) -> Result<crate::models::ItemGuide, AppError> {
    let row = item::Entity::find()
        .filter(item::Column::Code.eq(code.trim().to_uppercase()))
        .filter(item::Column::Published.eq(true))
        .order_by_desc(item::Column::Version)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let rules: ItemRules = serde_json::from_str(&row.rules).map_err(AppError::internal)?;
    let department =
        department::Entity::find_by_id(row.department_id).one(db).await?.map(|d| d.name).unwrap_or_default();
    Ok(crate::models::ItemGuide {
        code: row.code,
        version: row.version,
        name: row.name,
        summary: row.summary,
        department,
        rules,
        calendar_years: cal.known_years().collect(),
        calendar_days: cal.exceptions().cloned().collect(),
        today: rules::validators::china_today(),
    })
}
