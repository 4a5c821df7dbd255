//! 一件事 at the window (issue J2): a case that is one item of a bundle application shows the
//! application's other cases on its staff page, and a window clerk accepts at once every one of
//! them the policy lets them accept — their department's, or every department's for a 综合窗口
//! clerk who holds the window role in each — in one transaction: all of them, or (with the item
//! that was refused named) none. Each accepted case then runs on its own clock.

use super::*;
use crate::models::{BundlePanel, BundleSibling};

/// The sibling cases of `c`'s bundle application, as its staff page shows them; `None` for a case
/// applied for alone.
pub async fn bundle_panel(
    db: &impl ConnectionTrait,
    user: &SessionUser,
    c: &case::Model,
    today: NaiveDate,
) -> Result<Option<BundlePanel>, AppError> {
    let Some(application) = c.bundle_application_id else { return Ok(None) };
    let Some(app) = crate::server::entities::bundle_application::Entity::find_by_id(application).one(db).await? else {
        return Ok(None);
    };
    let deps: BTreeMap<i32, String> =
        department::Entity::find().all(db).await?.into_iter().map(|d| (d.id, d.name)).collect();
    let mut cases = Vec::new();
    for sib in siblings(db, application).await? {
        let it = item::Entity::find_by_id(sib.item_id).one(db).await?.ok_or(AppError::NotFound)?;
        let acceptable = may_accept(db, user, &sib, today).await?.is_some();
        let readable = load(db, Some(user), sib.id).await.is_ok();
        cases.push(BundleSibling {
            case_id: sib.id,
            case_no: sib.case_no.clone(),
            item_name: it.name,
            department: deps.get(&sib.department_id).cloned().unwrap_or_default(),
            state: sib.state,
            filing: it.rules.kind == rules::item::ItemKind::Filing,
            version: sib.version,
            acceptable,
            readable,
        });
    }
    Ok(Some(BundlePanel { application, name: app.definition.name, cases }))
}

async fn siblings(db: &impl ConnectionTrait, application: i32) -> Result<Vec<case::Model>, AppError> {
    Ok(case::Entity::find()
        .filter(case::Column::BundleApplicationId.eq(application))
        .filter(case::Column::State.ne(CaseState::Draft))
        .order_by_asc(case::Column::Id)
        .all(db)
        .await?)
}

/// The role in which `user` may accept case `c` now (its department's staff, a role that accepts,
/// the rules allowing it today), if any.
async fn may_accept(
    db: &impl ConnectionTrait,
    user: &SessionUser,
    c: &case::Model,
    today: NaiveDate,
) -> Result<Option<Role>, AppError> {
    if c.state != CaseState::Submitted {
        return Ok(None);
    }
    let Ok(Loaded { c, rules, a, tasks, own, .. }) = load(db, Some(user), c.id).await else { return Ok(None) };
    if !own {
        return Ok(None);
    }
    let kind = a.kind;
    let provided: BTreeSet<String> = files_of(db, c.id).await?.into_iter().map(|f| f.material_code).collect();
    let list = rules::materials::checklist(&rules.materials, kind, &c.answers.0, &provided, None);
    let events = cases::events(db, c.id, false).await?;
    let facts = facts_of(&c, &rules, &list, &events, &tasks, today);
    Ok(roles_in(user, c.department_id)
        .into_iter()
        .find(|r| rules::transition(c.state, &Action::Accept, *r, &facts).is_ok()))
}

/// Accepts, in one transaction, every case of `case_id`'s bundle application that `user` may
/// accept, each at the version the clerk saw (`seen`: case id → version; a case changed since is
/// refused as stale). The number accepted.
pub async fn accept_bundle(
    db: &DatabaseConnection,
    cal: &Calendar,
    user: &SessionUser,
    case_id: i32,
    seen: &BTreeMap<i32, i32>,
    today: NaiveDate,
    lang: Lang,
) -> Result<usize, AppError> {
    let SessionUser::Staff { id: staff_id, .. } = user else { return Err(AppError::Forbidden) };
    let c = case::Entity::find_by_id(case_id).one(db).await?.ok_or(AppError::NotFound)?;
    // the case the form was on must be one the caller may see
    load(db, Some(user), c.id).await?;
    let application = c.bundle_application_id.ok_or(AppError::NotFound)?;
    let mut mine = Vec::new();
    for sib in siblings(db, application).await? {
        if let Some(role) = may_accept(db, user, &sib, today).await? {
            let it = item::Entity::find_by_id(sib.item_id).one(db).await?.ok_or(AppError::NotFound)?;
            mine.push((sib, role, it.name));
        }
    }
    if mine.is_empty() {
        return Err(AppError::Forbidden);
    }
    let tx = crate::server::db::write_tx(db).await?;
    for (sib, role, name) in &mine {
        let version = seen.get(&sib.id).copied().ok_or(AppError::Stale)?;
        let provided: BTreeSet<String> = files_of(&tx, sib.id).await?.into_iter().map(|f| f.material_code).collect();
        let change = Change {
            case_id: sib.id,
            expected_version: version,
            action: Action::Accept,
            actor: Actor { kind: PrincipalKind::Staff, id: *staff_id, role: *role },
            comment: String::new(),
            internal: false,
            today,
            provided,
            grants_request: None,
        };
        cases::apply_in(&tx, cal, change).await.map_err(|e| match e {
            AppError::Refused(_) => {
                let text = match lang {
                    Lang::En => format!("“{name}”: {}", e.message(lang)),
                    _ => format!("「{name}」：{}", e.message(lang)),
                };
                AppError::field("_form", text)
            }
            e => e,
        })?;
    }
    tx.commit().await?;
    Ok(mine.len())
}
