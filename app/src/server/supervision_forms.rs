//! The supervisor's endpoints: dashboard actions (post → redirect) and the statistics exports.

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{Datelike, NaiveDate};
use http::{header, HeaderValue};
use rules::validators::china_today;

use super::edge::Caller;
use super::edge::{back_with_errors, notice, see_other};
use super::error::AppError;
use super::state::AppState;
use super::supervision::{self, DashboardAction};
use crate::models::Prefs;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/supervision/act", post(act))
        .route("/staff/stats.csv", get(export_csv))
        .route("/staff/stats.xlsx", get(export_xlsx))
}

async fn act(
    State(st): State<AppState>,
    Prefs { lang, .. }: Prefs,
    Caller(user): Caller,
    Form(input): Form<DashboardAction>,
) -> Response {
    let Some(user) = user else { return see_other("/staff/login?next=/staff/supervision", vec![]) };
    let back = |dep: i32| format!("/staff/supervision?dep={dep}");
    match supervision::act(&st.db, Some(&user), &input, china_today(), lang).await {
        Ok((dep, msg)) => see_other(&back(dep), vec![notice(&st, "supervision", msg)]),
        Err(e @ (AppError::Forbidden | AppError::Unauthorized | AppError::NotFound)) => e.into_response(),
        Err(e) => {
            let values: BTreeMap<String, String> = [(format!("text_{}", input.id), input.text.clone())].into();
            let dep = if input.department > 0 { input.department } else { 0 };
            let to = if dep > 0 { back(dep) } else { "/staff/supervision".into() };
            back_with_errors(&st, &to, "supervision", values, &e, lang)
        }
    }
}

/// The statistics query: `by`, `dep`, `from`, `to` (defaults: by department, this year so far).
pub fn stats_query(q: &BTreeMap<String, String>) -> (String, NaiveDate, NaiveDate, Option<i32>) {
    let today = china_today();
    let date = |k: &str| q.get(k).and_then(|v| NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").ok());
    let from = date("from").unwrap_or_else(|| NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today));
    let to = date("to").unwrap_or(today).max(from);
    let dep = q.get("dep").and_then(|v| v.parse().ok());
    (q.get("by").cloned().unwrap_or_else(|| "department".into()), from, to, dep)
}

async fn load(
    st: &AppState,
    user: Option<&crate::models::SessionUser>,
    q: &BTreeMap<String, String>,
) -> Result<crate::models::Statistics, AppError> {
    let (by, from, to, dep) = stats_query(q);
    supervision::statistics(&st.db, user, &by, from, to, dep).await
}

fn download(body: Vec<u8>, mime: &'static str, name: String) -> Response {
    let mut r = Response::new(axum::body::Body::from(body));
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

async fn export_csv(
    State(st): State<AppState>,
    Prefs { lang, .. }: Prefs,
    Caller(user): Caller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    match load(&st, user.as_ref(), &q).await {
        Ok(s) => {
            let name = format!("tongban-stats-{}-{}-{}.csv", s.by, s.from, s.to);
            download(supervision::csv(&s, lang).into_bytes(), "text/csv; charset=utf-8", name)
        }
        Err(e) => e.into_response(),
    }
}

async fn export_xlsx(
    State(st): State<AppState>,
    Prefs { lang, .. }: Prefs,
    Caller(user): Caller,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    match load(&st, user.as_ref(), &q).await.and_then(|s| Ok((supervision::xlsx(&s, lang)?, s))) {
        Ok((bytes, s)) => download(
            bytes,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            format!("tongban-stats-{}-{}-{}.xlsx", s.by, s.from, s.to),
        ),
        Err(e) => e.into_response(),
    }
}
