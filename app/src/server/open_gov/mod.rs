//! 政务公开 (issue J1): what a department publishes ([004]; results [001 第二十二条]).
//!
//! - An editor (`Role::Publisher`) of a department writes an entry (kind, title, Markdown body,
//!   publish and withdraw dates) and sends it for approval; another editor of the department
//!   approves it (审核发布) or sends it back (`rules::open::step`). Each approval is a new
//!   `open_versions` row, never changed; the public reads the newest approved version between its
//!   dates, while a later edit waits for its own approval. Withdrawing ends the public version.
//! - A decision on a public-interest item (`ItemRules::publish_results`) publishes its 审批结果公示
//!   entry by itself ([`publish_decision`]); a revoked result withdraws it ([`withdraw_decisions`]).
//! - The public version's text is in the search index ([`search`]), in the same transaction.
//!
//! - Files attached to an entry are approved with it ([`attachments`]).
//!
//! Every write: one transaction, the entry row checked against the version the editor saw.

mod access;
pub mod attachments;
mod desk;
mod directory;
mod forms;
mod markdown;
pub mod search;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rules::open::{EntryStatus, OpenKind};
use rules::Lang;
use sea_orm::sea_query::{Condition, Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};

pub use desk::{desk, editing, save, take_step, DeskLine, Editing};
pub use directory::{directory, procedure, DirectoryDepartment, Power, Procedure};
pub use forms::{remove_file_form, routes, save_form, step_form, FORM};
pub use markdown::to_html;

use super::entities::{applicant, case, department, item, open_attachment, open_entry, open_version};
use super::error::AppError;

/// Entries on one public list page.
pub const PAGE: usize = 50;

/// The entries the public reads on `today`: a public version, not withdrawn, within its dates.
fn public_on(today: NaiveDate) -> Condition {
    Condition::all()
        .add(open_entry::Column::PublicVersion.is_not_null())
        .add(open_entry::Column::Status.ne(EntryStatus::Withdrawn))
        .add(
            Condition::any().add(open_entry::Column::PublishOn.is_null()).add(open_entry::Column::PublishOn.lte(today)),
        )
        .add(
            Condition::any()
                .add(open_entry::Column::WithdrawOn.is_null())
                .add(open_entry::Column::WithdrawOn.gt(today)),
        )
}

fn china_day(t: DateTime<Utc>) -> NaiveDate {
    (t + chrono::Duration::hours(8)).date_naive()
}

/// One line of a public list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicLine {
    pub id: i32,
    pub kind: OpenKind,
    pub title: String,
    pub department: String,
    /// the day its public version was approved
    pub changed_on: NaiveDate,
    /// its public version's approval time (the feed's `updated`)
    pub changed_at: DateTime<Utc>,
}

/// The public index: by kind and department, or what a search found.
#[derive(Debug, Clone)]
pub struct PublicIndex {
    pub kind: Option<OpenKind>,
    pub department: Option<i32>,
    pub query: String,
    pub departments: Vec<(i32, String)>,
    /// public entries of each kind (all departments)
    pub counts: Vec<(OpenKind, u64)>,
    pub lines: Vec<PublicLine>,
    /// more matched than are shown
    pub more: bool,
    /// the items' generated 办事程序 (code, item, department), listed with the procedures
    pub procedures: Vec<(String, String, String)>,
}

/// An entry as the public reads it.
#[derive(Debug, Clone)]
pub struct PublicEntry {
    pub id: i32,
    pub kind: OpenKind,
    pub department: String,
    pub title: String,
    pub body_html: String,
    pub first_on: NaiveDate,
    pub changed_on: NaiveDate,
    /// every approved version up to the public one: (number, day approved)
    pub versions: Vec<(i32, NaiveDate)>,
    /// the public version's files
    pub attachments: Vec<open_attachment::Model>,
}

async fn department_names(db: &impl ConnectionTrait) -> Result<BTreeMap<i32, String>, AppError> {
    Ok(department::Entity::find().all(db).await?.into_iter().map(|d| (d.id, d.name)).collect())
}

/// The public version of each entry, by entry id.
async fn public_versions(
    db: &impl ConnectionTrait,
    entries: &[open_entry::Model],
) -> Result<BTreeMap<i32, open_version::Model>, AppError> {
    let wanted: BTreeMap<i32, i32> = entries.iter().filter_map(|e| e.public_version.map(|v| (e.id, v))).collect();
    let mut out = BTreeMap::new();
    for chunk in wanted.keys().copied().collect::<Vec<_>>().chunks(500) {
        for v in
            open_version::Entity::find().filter(open_version::Column::EntryId.is_in(chunk.to_vec())).all(db).await?
        {
            if wanted.get(&v.entry_id) == Some(&v.no) {
                out.insert(v.entry_id, v);
            }
        }
    }
    Ok(out)
}

/// The public lines of these entries (their public versions), in the order given.
async fn lines_of(db: &impl ConnectionTrait, entries: Vec<open_entry::Model>) -> Result<Vec<PublicLine>, AppError> {
    let deps = department_names(db).await?;
    let versions = public_versions(db, &entries).await?;
    Ok(entries
        .into_iter()
        .filter_map(|e| {
            let v = versions.get(&e.id)?;
            Some(PublicLine {
                id: e.id,
                kind: v.kind,
                title: v.title.clone(),
                department: deps.get(&e.department_id).cloned().unwrap_or_default(),
                changed_on: china_day(v.approved_at),
                changed_at: v.approved_at,
            })
        })
        .collect())
}

/// The public entries of a kind and department (either may be all), newest change first; with a
/// query, those holding all its terms, best first.
pub async fn public_index(
    db: &impl ConnectionTrait,
    today: NaiveDate,
    kind: Option<OpenKind>,
    department: Option<i32>,
    query: &str,
) -> Result<PublicIndex, AppError> {
    let mut sel = open_entry::Entity::find().filter(public_on(today));
    if let Some(k) = kind {
        sel = sel.filter(open_entry::Column::Kind.eq(k));
    }
    if let Some(d) = department {
        sel = sel.filter(open_entry::Column::DepartmentId.eq(d));
    }
    let query = query.trim().chars().take(100).collect::<String>();
    let mut lines = if query.is_empty() {
        let mut lines = lines_of(db, sel.all(db).await?).await?;
        lines.sort_by(|a, b| b.changed_at.cmp(&a.changed_at).then(b.id.cmp(&a.id)));
        lines
    } else {
        let hits = search::find(db, &query, 2000).await?;
        let mut found = Vec::new();
        for chunk in hits.chunks(500) {
            found.extend(sel.clone().filter(open_entry::Column::Id.is_in(chunk.to_vec())).all(db).await?);
        }
        let rank: BTreeMap<i32, usize> = hits.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        found.sort_by_key(|e| rank.get(&e.id).copied().unwrap_or(usize::MAX));
        lines_of(db, found).await?
    };
    let more = lines.len() > PAGE;
    lines.truncate(PAGE);
    let counted: Vec<(OpenKind, i64)> = open_entry::Entity::find()
        .filter(public_on(today))
        .select_only()
        .column(open_entry::Column::Kind)
        .column_as(open_entry::Column::Id.count(), "n")
        .group_by(open_entry::Column::Kind)
        .into_tuple()
        .all(db)
        .await?;
    let generated: u64 = directory::procedures_by_department(db).await?.values().sum();
    let counts = OpenKind::ALL
        .into_iter()
        .map(|k| {
            let written = counted.iter().find(|(c, _)| *c == k).map_or(0, |(_, n)| *n as u64);
            (k, written + if k == OpenKind::Procedure { generated } else { 0 })
        })
        .collect();
    let procedures = if kind == Some(OpenKind::Procedure) && query.is_empty() {
        directory::procedure_lines(db, department).await?
    } else {
        Vec::new()
    };
    Ok(PublicIndex {
        kind,
        department,
        query,
        departments: department_names(db).await?.into_iter().collect(),
        counts,
        lines,
        more,
        procedures,
    })
}

/// An entry as the public reads it today, else `NotFound`.
pub async fn public_entry(db: &impl ConnectionTrait, today: NaiveDate, id: i32) -> Result<PublicEntry, AppError> {
    let e = open_entry::Entity::find_by_id(id).filter(public_on(today)).one(db).await?.ok_or(AppError::NotFound)?;
    let public = e.public_version.ok_or(AppError::NotFound)?;
    let versions = open_version::Entity::find()
        .filter(open_version::Column::EntryId.eq(id))
        .filter(open_version::Column::No.lte(public))
        .order_by_asc(open_version::Column::No)
        .all(db)
        .await?;
    let v = versions.iter().find(|v| v.no == public).ok_or(AppError::NotFound)?;
    let department = department::Entity::find_by_id(e.department_id).one(db).await?.map(|d| d.name).unwrap_or_default();
    Ok(PublicEntry {
        id,
        kind: v.kind,
        department,
        title: v.title.clone(),
        body_html: to_html(&v.body),
        first_on: versions.first().map(|f| china_day(f.approved_at)).unwrap_or_else(|| china_day(v.approved_at)),
        changed_on: china_day(v.approved_at),
        versions: versions.iter().map(|v| (v.no, china_day(v.approved_at))).collect(),
        attachments: attachments::of_version(db, v).await?,
    })
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The Atom feed (RFC 4287) of a kind's public entries, newest first, with links under `base`.
pub async fn feed(db: &impl ConnectionTrait, today: NaiveDate, kind: OpenKind, base: &str) -> Result<String, AppError> {
    let index = public_index(db, today, Some(kind), None, "").await?;
    let base = base.trim_end_matches('/');
    let updated = index.lines.first().map(|l| l.changed_at).unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n\
         <title>{title} · 通办 政务公开</title>\n<id>{base}/open/feed/{code}.atom</id>\n\
         <link rel=\"self\" href=\"{base}/open/feed/{code}.atom\"/>\n<link href=\"{base}/open?kind={code}\"/>\n\
         <updated>{updated}</updated>\n<author><name>通办</name></author>\n",
        title = xml_escape(kind.label(Lang::ZhHans)),
        code = kind.code(),
        updated = updated.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    );
    for l in &index.lines {
        xml.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{base}/open/{id}</id>\n<link href=\"{base}/open/{id}\"/>\n\
             <updated>{}</updated>\n<author><name>{}</name></author>\n</entry>\n",
            xml_escape(&l.title),
            l.changed_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            xml_escape(&l.department),
            id = l.id,
        ));
    }
    xml.push_str("</feed>\n");
    Ok(xml)
}

// ---- 审批结果公示 ----

/// Publishes the decision on case `c` (just decided, by staff `actor`) when its item is of public
/// interest: item, applicant (an enterprise by name, a person masked), decision, the result
/// document's code, date. Approved at once: the decision was the approval. Once per case.
pub async fn publish_decision(
    db: &DatabaseConnection,
    c: &case::Model,
    actor: i32,
    today: NaiveDate,
) -> Result<(), AppError> {
    let rules::CaseState::Decided(kind) = c.state else { return Ok(()) };
    let it = item::Entity::find_by_id(c.item_id).one(db).await?.ok_or(AppError::NotFound)?;
    if !it.rules.publish_results || kind == rules::DecisionKind::Forward {
        return Ok(());
    }
    let a = applicant::Entity::find_by_id(c.applicant_id).one(db).await?.ok_or(AppError::NotFound)?;
    let holder = if a.kind == rules::materials::ApplicantKind::Enterprise {
        a.name.clone()
    } else {
        rules::validators::mask_name(&a.name)
    };
    let documents = super::cases::documents::results_of(db, c.id).await?;
    let decision = match kind {
        rules::DecisionKind::Grant => "准予",
        _ => "不予",
    };
    let decided = c.decided_on.map(|d| d.to_string()).unwrap_or_default();
    let mut body = format!(
        "| 项目 | 内容 |\n|---|---|\n| 事项 | {}（{}） |\n| 申请人 | {} |\n| 办件编号 | {} |\n| 决定 | {} |\n| 决定日期 | {} |\n",
        it.name,
        it.code,
        holder,
        c.case_no.clone().unwrap_or_default(),
        decision,
        decided
    );
    if let Some(d) = documents.iter().find(|d| !d.revoked) {
        body.push_str(&format!("| 文书 | {}（验证码 {}，可在 /verify/{} 核验） |\n", d.title, d.code, d.code));
    }
    body.push_str(
        "\n依据《中华人民共和国行政许可法》第四十条，行政机关作出的准予行政许可决定应当予以公开，公众有权查阅。",
    );
    let title = format!("{}审批结果公示（{}）", it.name, c.case_no.clone().unwrap_or_default());
    let tx = db.begin().await?;
    if open_entry::Entity::find().filter(open_entry::Column::CaseId.eq(c.id)).one(&tx).await?.is_some() {
        return Ok(());
    }
    let approved = Approved {
        department: c.department_id,
        kind: OpenKind::DecisionResult,
        title,
        body,
        author: actor,
        approver: actor,
        case: Some(c.id),
        on: today,
    };
    insert_approved(&tx, approved).await?;
    tx.commit().await?;
    Ok(())
}

/// An entry published as it is written: a decision's, or the demo data's.
pub struct Approved {
    pub department: i32,
    pub kind: OpenKind,
    pub title: String,
    pub body: String,
    pub author: i32,
    pub approver: i32,
    pub case: Option<i32>,
    /// the legal day it is published on (stamped with `clock::stamp`)
    pub on: NaiveDate,
}

/// Writes an entry approved at once (its first version public and indexed); its id.
pub async fn insert_approved(db: &impl ConnectionTrait, a: Approved) -> Result<i32, AppError> {
    let now = crate::server::clock::stamp(a.on);
    let e = open_entry::ActiveModel {
        department_id: Set(a.department),
        kind: Set(a.kind),
        title: Set(a.title.clone()),
        body: Set(a.body.clone()),
        status: Set(EntryStatus::Approved),
        publish_on: Set(None),
        withdraw_on: Set(None),
        author_id: Set(a.author),
        sent_by: Set(Some(a.author)),
        public_version: Set(Some(1)),
        case_id: Set(a.case),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    search::index(db, e.id, &format!("{}\n{}", a.title, a.body)).await?;
    open_version::ActiveModel {
        entry_id: Set(e.id),
        no: Set(1),
        kind: Set(a.kind),
        title: Set(a.title),
        body: Set(a.body),
        author_id: Set(a.author),
        approved_by: Set(a.approver),
        approved_at: Set(now),
        attachments: Set(Default::default()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(e.id)
}

/// Withdraws the 审批结果公示 of these cases (their results were revoked), in the caller's
/// transaction.
pub async fn withdraw_decisions(
    db: &impl ConnectionTrait,
    case_ids: &[i32],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let ids: Vec<i32> = open_entry::Entity::find()
        .filter(open_entry::Column::CaseId.is_in(case_ids.iter().copied()))
        .filter(open_entry::Column::Status.ne(EntryStatus::Withdrawn))
        .select_only()
        .column(open_entry::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    if ids.is_empty() {
        return Ok(());
    }
    open_entry::Entity::update_many()
        .col_expr(open_entry::Column::Status, Expr::value(EntryStatus::Withdrawn))
        .col_expr(open_entry::Column::PublicVersion, Expr::value(Option::<i32>::None))
        .col_expr(open_entry::Column::Version, Expr::col(open_entry::Column::Version).add(1))
        .col_expr(open_entry::Column::UpdatedAt, Expr::value(now))
        .filter(open_entry::Column::Id.is_in(ids.clone()))
        .exec(db)
        .await?;
    for id in ids {
        search::unindex(db, id).await?;
    }
    Ok(())
}
