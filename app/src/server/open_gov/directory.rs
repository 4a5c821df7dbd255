//! What 政务公开 generates from the catalog rather than from editors' entries: the 政务公开目录
//! (each department's 职权 — the items it decides — with what it has published, and the flow of a
//! power [004]) and each item's 办事程序 (`rules::procedure`), so the public procedure is always the
//! one the cases' clocks run on.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rules::item::{Handling, ItemKind};
use rules::open::OpenKind;
use rules::procedure::ProcedureStep;
use rules::TimeLimit;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::public_on;
use crate::server::entities::{department, open_entry};
use crate::server::error::AppError;

/// One power (职权) of a department: an item it decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Power {
    pub code: String,
    pub name: String,
    pub kind: ItemKind,
    pub handling: Handling,
    pub statutory: TimeLimit,
    pub promised: TimeLimit,
}

/// A department in the 政务公开目录.
#[derive(Debug, Clone)]
pub struct DirectoryDepartment {
    pub id: i32,
    pub name: String,
    pub powers: Vec<Power>,
    /// its public entries of each kind today (procedures: its items' generated ones too)
    pub counts: Vec<(OpenKind, u64)>,
}

/// The number of items with a generated 办事程序, by department (for the index's counts).
pub async fn procedures_by_department(db: &impl ConnectionTrait) -> Result<BTreeMap<i32, u64>, AppError> {
    let mut out = BTreeMap::new();
    for it in crate::server::catalog::newest_versions(db).await? {
        *out.entry(it.department_id).or_default() += 1;
    }
    Ok(out)
}

/// The items' generated 办事程序 of a department (or all): (code, item name, department name).
pub async fn procedure_lines(
    db: &impl ConnectionTrait,
    department: Option<i32>,
) -> Result<Vec<(String, String, String)>, AppError> {
    let names: BTreeMap<i32, String> =
        department::Entity::find().all(db).await?.into_iter().map(|d| (d.id, d.name)).collect();
    Ok(crate::server::catalog::newest_versions(db)
        .await?
        .into_iter()
        .filter(|it| department.is_none_or(|d| d == it.department_id))
        .map(|it| {
            let dep = names.get(&it.department_id).cloned().unwrap_or_default();
            (it.code, it.name, dep)
        })
        .collect())
}

/// The 政务公开目录 on `today`: every department with its powers and its public entries by kind.
pub async fn directory(db: &impl ConnectionTrait, today: NaiveDate) -> Result<Vec<DirectoryDepartment>, AppError> {
    let counted: Vec<(i32, OpenKind, i64)> = open_entry::Entity::find()
        .filter(public_on(today))
        .select_only()
        .column(open_entry::Column::DepartmentId)
        .column(open_entry::Column::Kind)
        .column_as(open_entry::Column::Id.count(), "n")
        .group_by(open_entry::Column::DepartmentId)
        .group_by(open_entry::Column::Kind)
        .into_tuple()
        .all(db)
        .await?;
    let items = crate::server::catalog::newest_versions(db).await?;
    let mut out = Vec::new();
    for d in department::Entity::find().order_by_asc(department::Column::Id).all(db).await? {
        let powers: Vec<Power> = items
            .iter()
            .filter(|it| it.department_id == d.id)
            .map(|it| Power {
                code: it.code.clone(),
                name: it.name.clone(),
                kind: it.rules.kind,
                handling: it.rules.handling,
                statutory: it.rules.statutory_limit,
                promised: it.rules.decision_limit(),
            })
            .collect();
        let counts: Vec<(OpenKind, u64)> = OpenKind::ALL
            .into_iter()
            .map(|k| {
                let written =
                    counted.iter().find(|(dep, kind, _)| *dep == d.id && *kind == k).map_or(0, |c| c.2 as u64);
                let generated = if k == OpenKind::Procedure { powers.len() as u64 } else { 0 };
                (k, written + generated)
            })
            .collect();
        if powers.is_empty() && counts.iter().all(|(_, n)| *n == 0) {
            continue; // a department with nothing to show (e.g. the hall's own office)
        }
        out.push(DirectoryDepartment { id: d.id, name: d.name, powers, counts });
    }
    Ok(out)
}

/// An item's 办事程序 as the public reads it.
#[derive(Debug, Clone)]
pub struct Procedure {
    pub code: String,
    pub name: String,
    pub department: String,
    pub kind: ItemKind,
    pub handling: Handling,
    pub statutory: TimeLimit,
    pub promised: TimeLimit,
    pub result_name: String,
    pub fee_note: String,
    pub online: bool,
    pub steps: Vec<ProcedureStep>,
    /// the names of the departments the steps name, by code
    pub departments: BTreeMap<String, String>,
}

/// The generated 办事程序 of the item `code` (its newest published version), else `NotFound`.
pub async fn procedure(db: &impl ConnectionTrait, code: &str) -> Result<Procedure, AppError> {
    let it = crate::server::catalog::newest_published(db, code).await?.ok_or(AppError::NotFound)?;
    let deps = department::Entity::find().all(db).await?;
    let department = deps.iter().find(|d| d.id == it.department_id).map(|d| d.name.clone()).unwrap_or_default();
    let r = &it.rules;
    Ok(Procedure {
        code: it.code.clone(),
        name: it.name.clone(),
        department,
        kind: r.kind,
        handling: r.handling,
        statutory: r.statutory_limit,
        promised: r.decision_limit(),
        result_name: r.result_name.clone(),
        fee_note: r.fee_note.clone(),
        online: r.online,
        steps: rules::procedure::procedure(r),
        departments: deps.into_iter().map(|d| (d.code, d.name)).collect(),
    })
}
