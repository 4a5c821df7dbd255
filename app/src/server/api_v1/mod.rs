//! The integration API (`/api/v1`): how other government systems and the provincial platform pull
//! 办件 data — the catalog, cases (read-only, scoped to the token's departments) and statistics.
//! Access by bearer tokens an admin issues and revokes (only their SHA-256 is stored), each
//! rate-limited per minute. The OpenAPI 3.1 document at `/api/v1/openapi.json` describes every path
//! and schema; the integration tests check each answer against it.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};
use chrono::{DateTime, NaiveDate, Utc};
use http::{header, HeaderMap, HeaderValue, StatusCode};
use rules::{CaseState, Lang};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use serde_json::{json, Value};

use super::edge::ClientIp;
use super::entities::{api_token, applicant, case, case_event, department, item};
use super::error::AppError;
use super::state::AppState;

mod openapi;
mod tokens;
pub use openapi::document;
pub use tokens::*;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/catalog", get(catalog))
        .route("/api/v1/cases", get(cases))
        .route("/api/v1/cases/{case_no}", get(case_detail))
        .route("/api/v1/statistics", get(statistics))
        .route("/api/v1/open", get(open_entries))
}

// ---- tokens ----

/// An API error: status and `{ "error": code, "message": text }`.
struct ApiError(StatusCode, &'static str, String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut r = (self.0, Json(json!({ "error": self.1, "message": self.2 }))).into_response();
        if self.0 == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        r
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        let code = match e {
            AppError::NotFound => "not_found",
            AppError::Forbidden => "forbidden",
            AppError::Invalid(_) => "invalid",
            _ => "internal",
        };
        ApiError(e.status(), code, e.message(Lang::En))
    }
}

/// The departments the request's token may read.
async fn scope(st: &AppState, headers: &HeaderMap, ip: Option<Extension<ClientIp>>) -> Result<Vec<i32>, ApiError> {
    let unauthorized = |m: &str| ApiError(StatusCode::UNAUTHORIZED, "unauthorized", m.into());
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| unauthorized("send Authorization: Bearer <token>"))?;
    let found = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(super::auth::token_hash(token.trim())))
        .one(&st.db)
        .await
        .map_err(AppError::from)?
        .filter(|t| t.revoked_at.is_none() && expires_of(t) > Utc::now());
    let address = ip.as_ref().map(|Extension(ClientIp(a))| a.as_str()).unwrap_or("unknown");
    let event = super::audit::SecurityEvent {
        who: found.as_ref().map(|t| super::audit::Who::Token(t.id)).unwrap_or(super::audit::Who::Anonymous),
        event: "token.use",
        target: token.trim().chars().take(10).collect(),
        outcome: if found.is_some() { super::audit::Outcome::Ok } else { super::audit::Outcome::Failed },
        address,
        detail: String::new(),
    };
    super::audit::security(&st.db, event).await.map_err(ApiError::from)?;
    let t = found.ok_or_else(|| unauthorized("unknown, expired or revoked token"))?;
    match super::auth::rate_limit(&st.db, "api", &t.id.to_string(), RATE_PER_MINUTE.into(), 1).await {
        Err(AppError::RateLimited { .. }) => {
            return Err(ApiError(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("at most {RATE_PER_MINUTE} requests a minute; retry in 60 s"),
            ))
        }
        r => r?,
    }
    if t.last_used_at.is_none_or(|at| Utc::now() - at > chrono::Duration::minutes(1)) {
        api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, Expr::value(Utc::now()))
            .filter(api_token::Column::Id.eq(t.id))
            .exec(&st.db)
            .await
            .map_err(AppError::from)?;
    }
    Ok(serde_json::from_str(&t.departments).unwrap_or_default())
}

// ---- answers ----

#[derive(Debug, Serialize)]
struct ApiItem {
    code: String,
    version: i32,
    name: String,
    summary: String,
    department_code: String,
    department_name: String,
    decision_limit_days: u32,
    decision_limit_unit: &'static str,
}

#[derive(Debug, Serialize)]
struct ApiCase {
    case_no: String,
    item_code: String,
    item_version: i32,
    item_name: String,
    department_code: String,
    state: &'static str,
    state_label: &'static str,
    channel: &'static str,
    applicant: String,
    submitted_at: Option<DateTime<Utc>>,
    received_on: Option<NaiveDate>,
    accepted_on: Option<NaiveDate>,
    due_on: Option<NaiveDate>,
    warn_level: String,
    deemed_accepted_on: Option<NaiveDate>,
    updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize)]
struct ApiEvent {
    seq: i32,
    action: &'static str,
    from_state: &'static str,
    to_state: &'static str,
    actor_kind: String,
    role: &'static str,
    comment: String,
    on_day: NaiveDate,
    at: DateTime<Utc>,
}

fn unit(u: rules::deadline::LimitUnit) -> &'static str {
    match u {
        rules::deadline::LimitUnit::WorkingDays => "working_days",
        rules::deadline::LimitUnit::CalendarDays => "calendar_days",
    }
}

#[derive(Debug, Serialize)]
struct ApiOpenEntry {
    id: i32,
    kind: &'static str,
    kind_label: &'static str,
    title: String,
    department: String,
    changed_at: DateTime<Utc>,
    url: String,
}

/// 政务公开 for other portals: today's public entries (all departments: they are public), by
/// `kind`, `department` (id) and a search `q`, as the public index lists them.
async fn open_entries(
    State(st): State<AppState>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    scope(&st, &headers, ip).await?;
    let kind = match q.get("kind").map(String::as_str).unwrap_or("") {
        "" => None,
        k => Some(
            rules::open::OpenKind::parse(k)
                .ok_or_else(|| ApiError(StatusCode::UNPROCESSABLE_ENTITY, "invalid", format!("unknown kind {k:?}")))?,
        ),
    };
    let department = match q.get("department").map(String::as_str).unwrap_or("") {
        "" => None,
        d => Some(d.parse::<i32>().map_err(|_| {
            ApiError(StatusCode::UNPROCESSABLE_ENTITY, "invalid", "department: a department id".into())
        })?),
    };
    let query = q.get("q").cloned().unwrap_or_default();
    let index = super::open_gov::public_index(&st.db, st.today(), kind, department, &query).await?;
    let base = st.public_base();
    let entries: Vec<ApiOpenEntry> = index
        .lines
        .into_iter()
        .map(|l| ApiOpenEntry {
            id: l.id,
            kind: l.kind.code(),
            kind_label: l.kind.label(Lang::ZhHans),
            title: l.title,
            department: l.department,
            changed_at: l.changed_at,
            url: format!("{}/open/{}", base.trim_end_matches('/'), l.id),
        })
        .collect();
    Ok(Json(json!({ "entries": entries, "more": index.more })))
}

async fn openapi() -> Json<Value> {
    Json(document())
}

async fn catalog(
    State(st): State<AppState>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    scope(&st, &headers, ip).await?;
    let deps: BTreeMap<i32, (String, String)> = department::Entity::find()
        .all(&st.db)
        .await
        .map_err(AppError::from)?
        .into_iter()
        .map(|d| (d.id, (d.code, d.name)))
        .collect();
    let mut out: Vec<ApiItem> = Vec::new();
    for it in item::Entity::find()
        .filter(item::Column::Published.eq(true))
        .order_by_asc(item::Column::Code)
        .order_by_desc(item::Column::Version)
        .all(&st.db)
        .await
        .map_err(AppError::from)?
    {
        if out.iter().any(|o| o.code == it.code) {
            continue;
        }
        let r: rules::item::ItemRules = it.rules.clone();
        let limit = r.decision_limit();
        let (dc, dn) = deps.get(&it.department_id).cloned().unwrap_or_default();
        out.push(ApiItem {
            code: it.code,
            version: it.version,
            name: it.name,
            summary: it.summary,
            department_code: dc,
            department_name: dn,
            decision_limit_days: limit.amount,
            decision_limit_unit: unit(limit.unit),
        });
    }
    Ok(Json(json!({ "items": out })))
}

async fn to_api(st: &AppState, rows: Vec<case::Model>) -> Result<Vec<ApiCase>, AppError> {
    let db = &st.db;
    let items: BTreeMap<i32, (String, String)> =
        item::Entity::find().all(db).await?.into_iter().map(|i| (i.id, (i.code, i.name))).collect();
    // The light is derived, as on every page (`rules::supervision::level`).
    let warn_days = super::supervision::warning_days(db).await?;
    let cal = st.calendar();
    let today = st.today();
    let deps: BTreeMap<i32, String> =
        department::Entity::find().all(db).await?.into_iter().map(|d| (d.id, d.code)).collect();
    let names: BTreeMap<i32, String> = applicant::Entity::find()
        .filter(applicant::Column::Id.is_in(rows.iter().map(|c| c.applicant_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, rules::validators::mask_name(&a.name)))
        .collect();
    Ok(rows
        .into_iter()
        .map(|c| {
            let (code, name) = items.get(&c.item_id).cloned().unwrap_or_default();
            let days = warn_days.get(&c.item_id).copied().unwrap_or(rules::deadline::DEFAULT_WARNING_DAYS);
            let warn_level = rules::supervision::level(&cal, c.state, c.due_on, today, days)
                .unwrap_or(rules::WarningLevel::Normal)
                .as_str()
                .into();
            ApiCase {
                case_no: c.case_no.unwrap_or_default(),
                item_code: code,
                item_version: c.item_version,
                item_name: name,
                department_code: deps.get(&c.department_id).cloned().unwrap_or_default(),
                state_label: c.state.label(Lang::ZhHans),
                state: c.state.code(),
                channel: c.channel.code(),
                applicant: names.get(&c.applicant_id).cloned().unwrap_or_default(),
                submitted_at: c.submitted_at,
                received_on: c.received_on,
                accepted_on: c.accepted_on,
                due_on: c.due_on,
                warn_level,
                deemed_accepted_on: c.deemed_accepted_on,
                updated_at: c.updated_at,
            }
        })
        .collect())
}

fn bad(field: &str, msg: &str) -> ApiError {
    ApiError(StatusCode::BAD_REQUEST, "invalid", format!("{field}: {msg}"))
}

async fn cases(
    State(st): State<AppState>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let deps = scope(&st, &headers, ip).await?;
    let limit: u64 = match q.get("limit") {
        None => 50,
        Some(v) => v.parse().ok().filter(|n| (1..=200).contains(n)).ok_or_else(|| bad("limit", "1 to 200"))?,
    };
    let mut query = case::Entity::find()
        .filter(case::Column::DepartmentId.is_in(deps))
        .filter(case::Column::State.ne(CaseState::Draft));
    if let Some(s) = q.get("state") {
        CaseState::from_code(s).ok_or_else(|| bad("state", "not a case state"))?;
        query = query.filter(case::Column::State.eq(s.as_str()));
    }
    if let Some(v) = q.get("updated_since") {
        let t = DateTime::parse_from_rfc3339(v).map_err(|_| bad("updated_since", "an RFC 3339 time"))?;
        query = query.filter(case::Column::UpdatedAt.gte(t.with_timezone(&Utc)));
    }
    if let Some(v) = q.get("after") {
        let after: i32 =
            v.parse().ok().filter(|a| *a >= 0).ok_or_else(|| bad("after", "the next_after of the previous page"))?;
        query = query.filter(case::Column::Id.gt(after));
    }
    let rows = query.order_by_asc(case::Column::Id).limit(limit + 1).all(&st.db).await.map_err(AppError::from)?;
    let more = rows.len() as u64 > limit;
    let rows: Vec<case::Model> = rows.into_iter().take(limit as usize).collect();
    let next_after = if more { rows.last().map(|c| c.id) } else { None };
    Ok(Json(json!({ "items": to_api(&st, rows).await?, "next_after": next_after })))
}

async fn case_detail(
    State(st): State<AppState>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Path(case_no): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let deps = scope(&st, &headers, ip).await?;
    // a path that is no case number names no case: 404, like a number nobody was given
    let case_no: rules::CaseNo =
        case_no.parse().map_err(|e: rules::CaseNoError| ApiError(StatusCode::NOT_FOUND, "not_found", e.to_string()))?;
    let c = case::Entity::find()
        .filter(case::Column::CaseNo.eq(case_no.to_string()))
        .one(&st.db)
        .await
        .map_err(AppError::from)?
        .filter(|c| deps.contains(&c.department_id))
        .ok_or(ApiError(StatusCode::NOT_FOUND, "not_found", "no such case in your departments".into()))?;
    let events: Vec<ApiEvent> = case_event::Entity::find()
        .filter(case_event::Column::CaseId.eq(c.id))
        .filter(case_event::Column::Internal.eq(false))
        .order_by_asc(case_event::Column::Seq)
        .all(&st.db)
        .await
        .map_err(AppError::from)?
        .into_iter()
        .map(|e| ApiEvent {
            seq: e.seq,
            action: e.action.code(),
            from_state: e.from_state.code(),
            to_state: e.to_state.code(),
            actor_kind: e.actor_kind,
            role: e.role.as_str(),
            comment: e.comment,
            on_day: e.on_day,
            at: e.at,
        })
        .collect();
    let mut v = serde_json::to_value(to_api(&st, vec![c]).await?.remove(0)).map_err(AppError::internal)?;
    v["events"] = serde_json::to_value(events).map_err(AppError::internal)?;
    Ok(Json(v))
}

async fn statistics(
    State(st): State<AppState>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let deps = scope(&st, &headers, ip).await?;
    if let Some(b) = q.get("by") {
        if !["department", "item", "month"].contains(&b.as_str()) {
            return Err(bad("by", "department, item or month"));
        }
    }
    // (a form's empty field means "the default"; an API parameter sent empty is a mistake)
    if let Some((k, _)) = q.iter().find(|(k, v)| ["from", "to", "dep"].contains(&k.as_str()) && v.trim().is_empty()) {
        return Err(bad(k, "empty: leave the parameter out for the default"));
    }
    let (by, from, to, dep) = match super::supervision_forms::stats_query(&q, st.today(), Lang::En) {
        Ok(q) => q,
        Err(AppError::BadQuery(f)) => {
            let (field, msg) = f.into_iter().next().unwrap_or_default();
            return Err(bad(&field, &msg));
        }
        Err(e) => return Err(e.into()),
    };
    if dep.is_some_and(|d| !deps.contains(&d)) {
        return Err(ApiError(StatusCode::FORBIDDEN, "forbidden", "not one of your departments".into()));
    }
    let s = super::supervision::statistics_for(&st.db, deps, &by, from, to, dep).await?;
    Ok(Json(json!({ "by": s.by, "from": s.from, "to": s.to, "rows": s.rows, "total": s.total })))
}

// ---- the OpenAPI document ----
