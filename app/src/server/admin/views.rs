//! What the admin pages read: departments and staff, the calendar, templates, the catalog and the item editor.

use super::*;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StaffLine {
    pub id: i32,
    pub username: String,
    pub name: String,
    pub active: bool,
    /// A second factor is on (an admin can reset it: a lost phone).
    pub second_factor: bool,
    /// (role id, role label, department name)
    pub roles: Vec<(i32, String, String)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AdminHome {
    pub departments: Vec<(i32, String, String)>,
    pub staff: Vec<StaffLine>,
}

pub async fn home(db: &DatabaseConnection, user: Option<&SessionUser>, lang: Lang) -> Result<AdminHome, AppError> {
    let scope = AdminScope::of(db, user).await?;
    let mut deps = department::Entity::find().order_by_asc(department::Column::Id).all(db).await?;
    let names: BTreeMap<i32, String> = deps.iter().map(|d| (d.id, d.name.clone())).collect();
    deps.retain(|d| scope.departments.contains(&d.id));
    let roles = staff_role::Entity::find().order_by_asc(staff_role::Column::Id).all(db).await?;
    // the staff this admin administers: those who work in its departments, or in none yet
    let theirs = |id: i32| {
        let mut held = roles.iter().filter(move |r| r.staff_id == id).peekable();
        held.peek().is_none() || held.any(|r| scope.departments.contains(&r.department_id))
    };
    let staff = staff::Entity::find()
        .order_by_asc(staff::Column::Username)
        .all(db)
        .await?
        .into_iter()
        .filter(|s| theirs(s.id))
        .map(|s| StaffLine {
            roles: roles
                .iter()
                .filter(|r| r.staff_id == s.id)
                .map(|r| {
                    let label = r.role.label(lang).to_string();
                    (r.id, label, names.get(&r.department_id).cloned().unwrap_or_default())
                })
                .collect(),
            id: s.id,
            username: s.username,
            name: s.display_name,
            active: s.active,
            second_factor: s.totp_enabled_at.is_some(),
        })
        .collect();
    Ok(AdminHome { departments: deps.into_iter().map(|d| (d.id, d.code, d.name)).collect(), staff })
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CalendarAdmin {
    pub year: i32,
    pub years: Vec<(i32, String)>,
    /// (date, kind, name)
    pub days: Vec<(NaiveDate, String, String)>,
}

pub async fn calendar_view(
    db: &DatabaseConnection,
    user: Option<&SessionUser>,
    year: Option<i32>,
    today: NaiveDate,
) -> Result<CalendarAdmin, AppError> {
    admin(user)?;
    let years: Vec<(i32, String)> = calendar_year::Entity::find()
        .order_by_asc(calendar_year::Column::Year)
        .all(db)
        .await?
        .into_iter()
        .map(|y| (y.year, y.source))
        .collect();
    let year = year.unwrap_or_else(|| today.year());
    let days = calendar_day::Entity::find()
        .filter(calendar_day::Column::Year.eq(year))
        .order_by_asc(calendar_day::Column::Date)
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.date, d.kind, d.name))
        .collect();
    Ok(CalendarAdmin { year, years, days })
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TemplateLine {
    pub kind: String,
    pub lang: String,
    pub subject: String,
    pub body: String,
    /// Built in (no row yet).
    pub default: bool,
}

pub async fn templates_view(
    db: &DatabaseConnection,
    user: Option<&SessionUser>,
) -> Result<Vec<TemplateLine>, AppError> {
    admin(user)?;
    let rows = template::Entity::find().all(db).await?;
    let mut out = Vec::new();
    for lang in Lang::ALL {
        let (s, b) = crate::server::notify::default_template(lang);
        match rows.iter().find(|t| t.kind == "*" && t.lang == lang.tag()) {
            Some(t) => out.push(TemplateLine {
                kind: "*".into(),
                lang: t.lang.clone(),
                subject: t.subject.clone(),
                body: t.body.clone(),
                default: false,
            }),
            None => out.push(TemplateLine {
                kind: "*".into(),
                lang: lang.tag().into(),
                subject: s.into(),
                body: b.into(),
                default: true,
            }),
        }
    }
    for t in rows.into_iter().filter(|t| t.kind != "*") {
        out.push(TemplateLine { kind: t.kind, lang: t.lang, subject: t.subject, body: t.body, default: false });
    }
    Ok(out)
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ItemLine {
    pub code: String,
    pub version: i32,
    pub name: String,
    pub department: String,
    pub published: bool,
}

pub async fn items_view(db: &DatabaseConnection, user: Option<&SessionUser>) -> Result<Vec<ItemLine>, AppError> {
    admin(user)?;
    let deps: BTreeMap<i32, String> =
        department::Entity::find().all(db).await?.into_iter().map(|d| (d.id, d.name)).collect();
    let mut out: Vec<ItemLine> = Vec::new();
    for it in item::Entity::find().order_by_asc(item::Column::Code).order_by_desc(item::Column::Version).all(db).await?
    {
        if out.iter().any(|o| o.code == it.code) {
            continue;
        }
        out.push(ItemLine {
            code: it.code,
            version: it.version,
            name: it.name,
            department: deps.get(&it.department_id).cloned().unwrap_or_default(),
            published: it.published,
        });
    }
    Ok(out)
}

/// A question of the item: (code, text, options as (value, label)).
pub type QuestionLine = (String, String, Vec<(String, String)>);

/// The item editor: the newest version (or the posted draft of a new one) and, for the chosen
/// answers and applicant kind, the checklist the applicant would see.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ItemEditor {
    pub code: String,
    pub version: i32,
    pub name: String,
    pub summary: String,
    /// the rule data as JSON, without `publish_results` (the editor's switch)
    pub rules_json: String,
    /// decisions are published in 审批结果公示 (`ItemRules::publish_results`)
    pub publish_results: bool,
    pub questions: Vec<QuestionLine>,
    pub answers: BTreeMap<String, String>,
    pub enterprise: bool,
    /// (material name, status) for the preview.
    pub preview: Vec<(String, String)>,
    pub problems: Vec<String>,
    pub cases_on_versions: Vec<(i32, u64)>,
}

/// The rule data the textarea shows: all but what the editor has a switch for.
fn rules_json_without_switches(rules: &ItemRules) -> Result<String, AppError> {
    let mut v = serde_json::to_value(rules).map_err(AppError::internal)?;
    if let Some(o) = v.as_object_mut() {
        o.remove("publish_results");
    }
    serde_json::to_string_pretty(&v).map_err(AppError::internal)
}

pub async fn item_editor(
    db: &DatabaseConnection,
    user: Option<&SessionUser>,
    code: &str,
    q: &BTreeMap<String, String>,
    lang: Lang,
) -> Result<ItemEditor, AppError> {
    admin(user)?;
    let it = item::Entity::find()
        .filter(item::Column::Code.eq(code.to_uppercase()))
        .order_by_desc(item::Column::Version)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let rules: ItemRules = it.rules.clone();
    let answers: BTreeMap<String, String> =
        q.iter().filter_map(|(k, v)| k.strip_prefix("q_").map(|k| (k.to_string(), v.clone()))).collect();
    let enterprise = q.get("kind").is_some_and(|k| k == "enterprise");
    let (preview, problems) = crate::models::catalog::checklist_preview(&rules, &answers, enterprise, lang);
    use sea_orm::{PaginatorTrait, QuerySelect};
    let mut cases_on_versions = Vec::new();
    for v in item::Entity::find()
        .filter(item::Column::Code.eq(it.code.clone()))
        .order_by_asc(item::Column::Version)
        .all(db)
        .await?
    {
        let n = crate::server::entities::case::Entity::find()
            .filter(crate::server::entities::case::Column::ItemId.eq(v.id))
            .limit(None)
            .count(db)
            .await?;
        cases_on_versions.push((v.version, n));
    }
    Ok(ItemEditor {
        code: it.code,
        version: it.version,
        name: it.name,
        summary: it.summary,
        rules_json: rules_json_without_switches(&rules)?,
        publish_results: rules.publish_results,
        questions: rules.questions.iter().map(|qq| (qq.code.clone(), qq.text.clone(), qq.options.clone())).collect(),
        answers,
        enterprise,
        preview,
        problems,
        cases_on_versions,
    })
}
