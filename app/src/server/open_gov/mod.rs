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
//! Every write: one transaction, the entry row checked against the version the editor saw.

mod directory;
mod forms;
mod markdown;
pub mod search;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rules::open::{EntryStatus, EntryStep, OpenKind};
use rules::{Lang, Role};
use sea_orm::sea_query::{Condition, Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};

pub use directory::{directory, procedure, DirectoryDepartment, Power, Procedure};
pub use forms::{routes, save_form, step_form, FORM};
pub use markdown::to_html;

use super::entities::{applicant, case, department, item, open_entry, open_version, staff};
use super::error::AppError;
use super::guard;
use crate::models::{OpenDraft, SessionUser};

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

// ---- the editors' desk ----

/// The departments where the caller is an editor.
fn editor_departments(user: Option<&SessionUser>) -> Result<Vec<i32>, AppError> {
    guard::require_staff(user, &[Role::Publisher], None)
}

fn staff_id(user: Option<&SessionUser>) -> Result<i32, AppError> {
    match user {
        Some(SessionUser::Staff { id, .. }) => Ok(*id),
        _ => Err(AppError::Forbidden),
    }
}

/// One entry on the editors' desk.
#[derive(Debug, Clone)]
pub struct DeskLine {
    pub id: i32,
    pub kind: OpenKind,
    pub title: String,
    pub status: EntryStatus,
    pub department: String,
    /// the public reads a version of it today
    pub public: bool,
    pub updated: String,
}

/// The entries of the caller's departments, those waiting for approval first, then the newest.
pub async fn desk(
    db: &impl ConnectionTrait,
    user: Option<&SessionUser>,
    today: NaiveDate,
) -> Result<Vec<DeskLine>, AppError> {
    let deps = editor_departments(user)?;
    let names = department_names(db).await?;
    let public: Vec<i32> = open_entry::Entity::find()
        .filter(public_on(today))
        .filter(open_entry::Column::DepartmentId.is_in(deps.clone()))
        .select_only()
        .column(open_entry::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut rows = open_entry::Entity::find()
        .filter(open_entry::Column::DepartmentId.is_in(deps))
        .order_by_desc(open_entry::Column::UpdatedAt)
        .limit(200)
        .all(db)
        .await?;
    rows.sort_by_key(|e| e.status != EntryStatus::Pending);
    Ok(rows
        .into_iter()
        .map(|e| DeskLine {
            id: e.id,
            kind: e.kind,
            title: e.title,
            status: e.status,
            department: names.get(&e.department_id).cloned().unwrap_or_default(),
            public: public.contains(&e.id),
            updated: (e.updated_at + chrono::Duration::hours(8)).format("%Y-%m-%d %H:%M").to_string(),
        })
        .collect())
}

/// An entry in the editor (or a new one), with what the caller may do to it.
#[derive(Debug, Clone)]
pub struct Editing {
    pub entry: Option<open_entry::Model>,
    pub departments: Vec<(i32, String)>,
    pub me: i32,
    pub author: String,
    pub sent_by: String,
    /// its approved versions, newest first: (number, day, approver)
    pub versions: Vec<(i32, NaiveDate, String)>,
    /// the public reads a version of it today
    pub public: bool,
}

impl Editing {
    /// Whether the caller may take this step now (`rules::open::step`).
    pub fn may(&self, s: EntryStep) -> bool {
        self.entry.as_ref().is_some_and(|e| {
            (e.kind.written() || s == EntryStep::Withdraw)
                && rules::open::step(e.status, s, self.me, e.sent_by, e.public_version.is_some()).is_ok()
        })
    }
}

async fn staff_name(db: &impl ConnectionTrait, id: Option<i32>) -> Result<String, AppError> {
    Ok(match id {
        Some(id) => staff::Entity::find_by_id(id).one(db).await?.map(|s| s.display_name).unwrap_or_default(),
        None => String::new(),
    })
}

/// The entry `id` of one of the caller's departments, else `Forbidden` / `NotFound`.
async fn mine(db: &impl ConnectionTrait, deps: &[i32], id: i32) -> Result<open_entry::Model, AppError> {
    let e = open_entry::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    if deps.contains(&e.department_id) {
        Ok(e)
    } else {
        Err(AppError::Forbidden)
    }
}

pub async fn editing(
    db: &impl ConnectionTrait,
    user: Option<&SessionUser>,
    id: Option<i32>,
    today: NaiveDate,
) -> Result<Editing, AppError> {
    let deps = editor_departments(user)?;
    let me = staff_id(user)?;
    let names = department_names(db).await?;
    let departments = deps.iter().map(|d| (*d, names.get(d).cloned().unwrap_or_default())).collect();
    let Some(id) = id else {
        return Ok(Editing {
            entry: None,
            departments,
            me,
            author: String::new(),
            sent_by: String::new(),
            versions: vec![],
            public: false,
        });
    };
    let e = mine(db, &deps, id).await?;
    let mut versions = Vec::new();
    for v in open_version::Entity::find()
        .filter(open_version::Column::EntryId.eq(id))
        .order_by_desc(open_version::Column::No)
        .all(db)
        .await?
    {
        versions.push((v.no, china_day(v.approved_at), staff_name(db, Some(v.approved_by)).await?));
    }
    let public = open_entry::Entity::find_by_id(id).filter(public_on(today)).count(db).await? > 0;
    Ok(Editing {
        author: staff_name(db, Some(e.author_id)).await?,
        sent_by: staff_name(db, e.sent_by).await?,
        entry: Some(e),
        departments,
        me,
        versions,
        public,
    })
}

fn parse_day(raw: &str, field: &str, lang: Lang) -> Result<Option<NaiveDate>, AppError> {
    match raw.trim() {
        "" => Ok(None),
        s => NaiveDate::parse_from_str(s, "%Y-%m-%d").map(Some).map_err(|_| {
            AppError::field(
                field,
                lang.pick("请按 年-月-日 填写日期", "請按 年-月-日 填寫日期", "Enter a date as YYYY-MM-DD"),
            )
        }),
    }
}

/// An entry as the editor typed it, checked: every error at once.
struct Checked {
    department: i32,
    kind: OpenKind,
    title: String,
    body: String,
    publish_on: Option<NaiveDate>,
    withdraw_on: Option<NaiveDate>,
}

fn check(input: &OpenDraft, deps: &[i32], lang: Lang) -> Result<Checked, AppError> {
    let mut errors = Vec::new();
    let mut push = |e: AppError| {
        if let AppError::Invalid(mut v) = e {
            errors.append(&mut v)
        }
    };
    let department = input.department.trim().parse::<i32>().ok().filter(|d| deps.contains(d));
    if department.is_none() {
        push(AppError::field("department", lang.pick("请选择部门", "請選擇部門", "Choose the department")));
    }
    let kind = OpenKind::parse(input.kind.trim()).filter(|k| k.written());
    if kind.is_none() {
        push(AppError::field("kind", lang.pick("请选择公开类别", "請選擇公開類別", "Choose the kind")));
    }
    let title = input.title.trim().to_string();
    if title.is_empty() || title.chars().count() > 200 {
        push(AppError::field(
            "title",
            lang.pick("请填写标题（200 字以内）", "請填寫標題（200 字以內）", "Enter a title (at most 200 characters)"),
        ));
    }
    let body = input.body.trim().to_string();
    if body.is_empty() || body.chars().count() > 100_000 {
        push(AppError::field(
            "body",
            lang.pick(
                "请填写正文（10 万字以内）",
                "請填寫正文（10 萬字以內）",
                "Enter the text (at most 100,000 characters)",
            ),
        ));
    }
    let publish_on = parse_day(&input.publish_on, "publish_on", lang).unwrap_or_else(|e| {
        push(e);
        None
    });
    let withdraw_on = parse_day(&input.withdraw_on, "withdraw_on", lang).unwrap_or_else(|e| {
        push(e);
        None
    });
    if let (Some(p), Some(w)) = (publish_on, withdraw_on) {
        if w <= p {
            push(AppError::field(
                "withdraw_on",
                lang.pick(
                    "撤下日期应晚于发布日期",
                    "撤下日期應晚於發布日期",
                    "The withdraw date must be after the publish date",
                ),
            ));
        }
    }
    match (department, kind) {
        (Some(department), Some(kind)) if errors.is_empty() => {
            Ok(Checked { department, kind, title, body, publish_on, withdraw_on })
        }
        _ => Err(AppError::Invalid(errors)),
    }
}

fn stale(lang: Lang) -> AppError {
    AppError::field(
        "_form",
        lang.pick(
            "该条目已被他人修改，请刷新后重试",
            "該條目已被他人修改，請重新整理後重試",
            "Someone else changed this entry: reload and try again",
        ),
    )
}

/// Writes an entry: a new draft, or the working copy of one of the caller's (`Edit`): its id.
pub async fn save(
    db: &DatabaseConnection,
    user: Option<&SessionUser>,
    input: &OpenDraft,
    lang: Lang,
    today: NaiveDate,
) -> Result<i32, AppError> {
    let deps = editor_departments(user)?;
    let me = staff_id(user)?;
    let c = check(input, &deps, lang)?;
    let now = crate::server::clock::stamp(today);
    let tx = db.begin().await?;
    let id = match input.id.trim() {
        "" => {
            open_entry::ActiveModel {
                department_id: Set(c.department),
                kind: Set(c.kind),
                title: Set(c.title),
                body: Set(c.body),
                status: Set(EntryStatus::Draft),
                publish_on: Set(c.publish_on),
                withdraw_on: Set(c.withdraw_on),
                author_id: Set(me),
                sent_by: Set(None),
                public_version: Set(None),
                case_id: Set(None),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&tx)
            .await?
            .id
        }
        raw => {
            let id: i32 = raw.parse().map_err(|_| AppError::NotFound)?;
            let e = mine(&tx, &deps, id).await?;
            if !e.kind.written() {
                return Err(AppError::Forbidden);
            }
            let seen: i32 = input.version.trim().parse().map_err(|_| stale(lang))?;
            let status = rules::open::step(e.status, EntryStep::Edit, me, e.sent_by, e.public_version.is_some())
                .map_err(|r| AppError::field("_form", r.message(lang)))?;
            let res = open_entry::Entity::update_many()
                .col_expr(open_entry::Column::DepartmentId, Expr::value(c.department))
                .col_expr(open_entry::Column::Kind, Expr::value(c.kind))
                .col_expr(open_entry::Column::Title, Expr::value(c.title))
                .col_expr(open_entry::Column::Body, Expr::value(c.body))
                .col_expr(open_entry::Column::PublishOn, Expr::value(c.publish_on))
                .col_expr(open_entry::Column::WithdrawOn, Expr::value(c.withdraw_on))
                .col_expr(open_entry::Column::Status, Expr::value(status))
                .col_expr(open_entry::Column::SentBy, Expr::value(Option::<i32>::None))
                .col_expr(open_entry::Column::Version, Expr::value(seen + 1))
                .col_expr(open_entry::Column::UpdatedAt, Expr::value(now))
                .filter(open_entry::Column::Id.eq(id))
                .filter(open_entry::Column::Version.eq(seen))
                .exec(&tx)
                .await?;
            if res.rows_affected != 1 {
                return Err(stale(lang));
            }
            id
        }
    };
    tx.commit().await?;
    Ok(id)
}

/// Sends an entry for approval, approves it, sends it back or withdraws it; its new status.
pub async fn take_step(
    db: &DatabaseConnection,
    user: Option<&SessionUser>,
    id: i32,
    seen: i32,
    s: EntryStep,
    lang: Lang,
    today: NaiveDate,
) -> Result<EntryStatus, AppError> {
    let deps = editor_departments(user)?;
    let me = staff_id(user)?;
    if s == EntryStep::Edit {
        return Err(AppError::field("_form", rules::open::StepRefused::NotNow.message(lang)));
    }
    let tx = db.begin().await?;
    let e = mine(&tx, &deps, id).await?;
    if !e.kind.written() && s != EntryStep::Withdraw {
        return Err(AppError::Forbidden);
    }
    let status = rules::open::step(e.status, s, me, e.sent_by, e.public_version.is_some())
        .map_err(|r| AppError::field("_form", r.message(lang)))?;
    let now = crate::server::clock::stamp(today);
    let mut up = open_entry::Entity::update_many()
        .col_expr(open_entry::Column::Status, Expr::value(status))
        .col_expr(open_entry::Column::Version, Expr::value(seen + 1))
        .col_expr(open_entry::Column::UpdatedAt, Expr::value(now))
        .filter(open_entry::Column::Id.eq(id))
        .filter(open_entry::Column::Version.eq(seen));
    match s {
        EntryStep::Submit => up = up.col_expr(open_entry::Column::SentBy, Expr::value(me)),
        EntryStep::Return => up = up.col_expr(open_entry::Column::SentBy, Expr::value(Option::<i32>::None)),
        EntryStep::Approve => {
            let no = Ord::max(e.public_version.unwrap_or(0), last_version(&tx, id).await?) + 1;
            open_version::ActiveModel {
                entry_id: Set(id),
                no: Set(no),
                kind: Set(e.kind),
                title: Set(e.title.clone()),
                body: Set(e.body.clone()),
                author_id: Set(e.sent_by.unwrap_or(e.author_id)),
                approved_by: Set(me),
                approved_at: Set(now),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
            up = up.col_expr(open_entry::Column::PublicVersion, Expr::value(no));
            search::index(&tx, id, &format!("{}\n{}", e.title, e.body)).await?;
        }
        EntryStep::Withdraw => {
            up = up.col_expr(open_entry::Column::PublicVersion, Expr::value(Option::<i32>::None));
            search::unindex(&tx, id).await?;
        }
        EntryStep::Edit => {}
    }
    if up.exec(&tx).await?.rows_affected != 1 {
        return Err(stale(lang));
    }
    tx.commit().await?;
    Ok(status)
}

async fn last_version(db: &impl ConnectionTrait, id: i32) -> Result<i32, AppError> {
    Ok(open_version::Entity::find()
        .filter(open_version::Column::EntryId.eq(id))
        .order_by_desc(open_version::Column::No)
        .one(db)
        .await?
        .map_or(0, |v| v.no))
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
    let holder = if a.kind == "enterprise" { a.name.clone() } else { rules::validators::mask_name(&a.name) };
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
