//! The one access guard: who is calling, with which roles in which departments. Every server
//! function and endpoint goes through it.

use http::HeaderMap;
use rules::Role;

use super::accounts;
use super::auth;
use super::error::AppError;
use super::state::AppState;
use crate::models::{parse_cookies, SessionUser};

/// The session token the browser sent, under the cookie name of this site's mode
/// ([`auth::session_cookie_name`]: a plain `tb_session` on an https site is someone else's).
pub fn session_token(headers: &HeaderMap, secure: bool) -> Option<String> {
    cookie(headers, auth::session_cookie_name(secure))
}

/// The first cookie called `name` the request carries, over all its `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|h| parse_cookies(h).filter(|(k, _)| *k == name).map(|(_, v)| v.to_string()).collect::<Vec<_>>())
        .next()
}

/// The caller of one page render, once looked up (a page's server functions each ask for it),
/// with the session token it was looked up for.
#[derive(Debug, Clone, Default)]
pub struct CallerCache(std::sync::Arc<std::sync::Mutex<Option<Cached>>>);

/// (the session token looked up, whom it named)
type Cached = (Option<String>, Option<SessionUser>);

/// The caller, from the session cookie, looked up in the database. Plain endpoints (forms, the
/// API, downloads) use this one.
pub async fn caller(state: &AppState, headers: &HeaderMap) -> Result<Option<SessionUser>, AppError> {
    lookup(state, session_token(headers, state.settings.secure())).await
}

async fn lookup(state: &AppState, token: Option<String>) -> Result<Option<SessionUser>, AppError> {
    Ok(match token {
        None => None,
        Some(token) => match auth::lookup_session(&state.db, &token).await? {
            Some((kind, id)) => accounts::load_session_user(&state.db, kind, id).await?,
            None => None,
        },
    })
}

/// Whose session the browser holds, whether or not it opens anything yet (a member of staff
/// whose password an admin set may only change it: [`accounts::load_session_user`] gives no
/// user for it). For the password change alone.
pub async fn session_principal(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<(auth::PrincipalKind, i32)>, AppError> {
    match session_token(headers, state.settings.secure()) {
        None => Ok(None),
        Some(token) => auth::lookup_session(&state.db, &token).await,
    }
}

/// [`caller`] for server functions: inside a page render, where the router provides a
/// [`CallerCache`], the answer is looked up once per request. Only for code that runs under the
/// render's reactive owner: a plain endpoint could find another request's context on its
/// thread, so the cache also answers only for the same session token.
pub async fn render_caller(state: &AppState, headers: &HeaderMap) -> Result<Option<SessionUser>, AppError> {
    let token = session_token(headers, state.settings.secure());
    let cache = leptos::prelude::use_context::<CallerCache>();
    if let Some(c) = &cache {
        if let Some((for_token, known)) = c.0.lock().ok().and_then(|g| g.clone()) {
            if for_token == token {
                return Ok(known);
            }
        }
    }
    let found = lookup(state, token.clone()).await?;
    if let Some(c) = cache {
        if let Ok(mut g) = c.0.lock() {
            *g = Some((token, found.clone()));
        }
    }
    Ok(found)
}

/// Who files a draft: its applicant online, or a window clerk at the counter (帮办) for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Filer {
    pub applicant_id: i32,
    /// The window clerk entering a counter application.
    pub clerk: Option<i32>,
}

/// Who may work on draft `case_id`: an applicant (their own drafts; the journey checks that), or
/// a window clerk of the case's department when it is a counter application. `None` when nobody
/// is logged in.
pub async fn draft_filer(state: &AppState, headers: &HeaderMap, case_id: i32) -> Result<Option<Filer>, AppError> {
    use super::entities::case;
    use sea_orm::EntityTrait;
    match caller(state, headers).await? {
        None => Ok(None),
        Some(SessionUser::Applicant { id, .. }) => Ok(Some(Filer { applicant_id: id, clerk: None })),
        Some(user @ SessionUser::Staff { .. }) => {
            let SessionUser::Staff { id, .. } = &user else { unreachable!() };
            let c = case::Entity::find_by_id(case_id).one(&state.db).await?.ok_or(AppError::NotFound)?;
            // the counter's own applications; and, for any, the 容缺 materials still due, which
            // a walk-in may bring to the window (the upload then checks it is one of those)
            if c.channel != rules::Channel::Counter && c.supplement_due.is_none() {
                return Err(AppError::Forbidden);
            }
            require_staff(Some(&user), &[Role::WindowClerk], Some(c.department_id))?;
            Ok(Some(Filer { applicant_id: c.applicant_id, clerk: Some(*id) }))
        }
    }
}

/// A staff caller holding one of `roles`, in `department` when given. Returns the departments in
/// which the caller holds one of the roles.
pub fn require_staff(
    user: Option<&SessionUser>,
    roles: &[Role],
    department: Option<i32>,
) -> Result<Vec<i32>, AppError> {
    match user {
        None => Err(AppError::Unauthorized),
        Some(SessionUser::Applicant { .. }) => Err(AppError::Forbidden),
        Some(SessionUser::Staff { roles: held, .. }) => {
            let deps: Vec<i32> = held
                .iter()
                .filter(|r| roles.is_empty() || roles.contains(&r.role))
                .filter(|r| department.is_none_or(|d| d == r.department_id))
                .map(|r| r.department_id)
                .collect();
            if deps.is_empty() {
                Err(AppError::Forbidden)
            } else {
                Ok(deps)
            }
        }
    }
}

/// An applicant caller; returns their id.
pub fn require_applicant(user: Option<&SessionUser>) -> Result<i32, AppError> {
    match user {
        None => Err(AppError::Unauthorized),
        Some(SessionUser::Applicant { id, .. }) => Ok(*id),
        Some(SessionUser::Staff { .. }) => Err(AppError::Forbidden),
    }
}

/// The logged-in applicant's id; `None` when nobody is logged in (pages send to the login);
/// `Forbidden` for staff.
pub async fn applicant_if_logged_in(state: &AppState, headers: &HeaderMap) -> Result<Option<i32>, AppError> {
    match caller(state, headers).await? {
        None => Ok(None),
        user => require_applicant(user.as_ref()).map(Some),
    }
}

/// May the caller read applicant `id`'s profile? The applicant themself, or a window clerk (the
/// counter's intake, which logs the read). A supervisor watches cases, not people.
pub fn may_read_applicant(user: Option<&SessionUser>, id: i32) -> Result<(), AppError> {
    match user {
        None => Err(AppError::Unauthorized),
        Some(SessionUser::Applicant { id: own, .. }) if *own == id => Ok(()),
        Some(SessionUser::Applicant { .. }) => Err(AppError::Forbidden),
        Some(u) => require_staff(Some(u), &[Role::WindowClerk], None).map(|_| ()),
    }
}

/// May the caller read one case as its applicant? Staff read cases by duty
/// (`backoffice::may_read_case`), never through this.
pub fn may_read_own_case(user: Option<&SessionUser>, applicant_id: i32) -> Result<(), AppError> {
    match user {
        None => Err(AppError::Unauthorized),
        Some(SessionUser::Applicant { id, .. }) if *id == applicant_id => Ok(()),
        Some(_) => Err(AppError::Forbidden),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::StaffRole;

    fn clerk() -> SessionUser {
        SessionUser::Staff {
            id: 1,
            name: "王".into(),
            username: "clerk".into(),
            roles: vec![StaffRole {
                role: Role::WindowClerk,
                department_id: 7,
                department_code: "ZRZY".into(),
                department_name: "自然资源局".into(),
            }],
        }
    }

    fn applicant(id: i32) -> SessionUser {
        SessionUser::Applicant {
            id,
            kind: rules::ApplicantKind::Person,
            name: "张三".into(),
            masked_mobile: String::new(),
        }
    }

    #[test]
    fn guard_table() {
        assert!(matches!(require_staff(None, &[Role::WindowClerk], None), Err(AppError::Unauthorized)));
        assert!(matches!(require_staff(Some(&applicant(1)), &[], None), Err(AppError::Forbidden)));
        assert_eq!(require_staff(Some(&clerk()), &[Role::WindowClerk], None).unwrap(), vec![7]);
        assert!(matches!(require_staff(Some(&clerk()), &[Role::Approver], None), Err(AppError::Forbidden)));
        assert!(matches!(require_staff(Some(&clerk()), &[Role::WindowClerk], Some(8)), Err(AppError::Forbidden)));
        assert_eq!(require_applicant(Some(&applicant(3))).unwrap(), 3);
        assert!(matches!(require_applicant(Some(&clerk())), Err(AppError::Forbidden)));
        assert!(may_read_applicant(Some(&applicant(3)), 3).is_ok());
        assert!(matches!(may_read_applicant(Some(&applicant(3)), 4), Err(AppError::Forbidden)));
        assert!(may_read_applicant(Some(&clerk()), 4).is_ok());
        assert!(may_read_own_case(Some(&applicant(3)), 3).is_ok());
        assert!(matches!(may_read_own_case(Some(&applicant(3)), 4), Err(AppError::Forbidden)));
        assert!(matches!(may_read_own_case(Some(&clerk()), 4), Err(AppError::Forbidden)), "staff: by duty");
        assert!(matches!(may_read_own_case(None, 4), Err(AppError::Unauthorized)));
    }
}
