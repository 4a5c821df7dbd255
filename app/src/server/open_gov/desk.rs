//! The editors' desk (`Role::Publisher`): their entries, an entry in the editor, writing the working
//! copy and the review steps (`rules::open::step`). Every write: one transaction, checked against
//! the entry's version the editor saw.

use chrono::NaiveDate;
use rules::open::{EntryStatus, EntryStep, OpenKind};
use rules::Lang;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};

use super::access::{edit_at, editable, editor_departments, mine, staff_id, stale, write_at};
use super::{attachments, china_day, department_names, public_on, search};
use crate::models::{OpenDraft, SessionUser};
use crate::server::entities::{open_attachment, open_entry, open_version, staff};
use crate::server::error::AppError;

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
    /// the files its working copy holds
    pub attachments: Vec<open_attachment::Model>,
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
            attachments: vec![],
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
        attachments: attachments::of_draft(db, id).await?,
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
            let seen: i32 = input.version.trim().parse().map_err(|_| stale(lang))?;
            let status = editable(&e, me, lang)?;
            let up = edit_at(id, seen, status, now)
                .col_expr(open_entry::Column::DepartmentId, Expr::value(c.department))
                .col_expr(open_entry::Column::Kind, Expr::value(c.kind))
                .col_expr(open_entry::Column::Title, Expr::value(c.title))
                .col_expr(open_entry::Column::Body, Expr::value(c.body))
                .col_expr(open_entry::Column::PublishOn, Expr::value(c.publish_on))
                .col_expr(open_entry::Column::WithdrawOn, Expr::value(c.withdraw_on));
            write_at(&tx, up, lang).await?;
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
                attachments: Set(attachments::approved_with(&tx, id).await?),
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
    write_at(&tx, up, lang).await?;
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
