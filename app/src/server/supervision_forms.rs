//! The supervisor's endpoints: the dashboard's actions (post → redirect, through the server
//! function `api::supervision_act`) and the statistics exports.

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{Datelike, NaiveDate};
use http::{header, HeaderValue};
use leptos::server_fn::ServerFnError;
use rules::Lang;

use super::edge::{back_with_errors, notice, see_other, Caller, FormCall};
use super::error::AppError;
use super::state::AppState;
use super::supervision;
use crate::models::{Prefs, SupervisionAction};

pub fn routes() -> Router<AppState> {
    Router::new().route("/staff/stats.csv", get(export_csv)).route("/staff/stats.xlsx", get(export_xlsx))
}

/// The body of the server function `api::supervision_act` (every dashboard form posts to it):
/// back to the department's dashboard with what was done, or with the text and the error.
pub async fn act(department: String, action: SupervisionAction) -> Result<(), ServerFnError> {
    let mut call = FormCall::current()?;
    let reply = act_reply(&mut call, &department, &action).await;
    call.answer(reply)
}

async fn act_reply(call: &mut FormCall, department: &str, action: &SupervisionAction) -> Response {
    let (st, lang) = (call.st.clone(), call.lang);
    let user = match call.signed_in("/staff/login?next=/staff/supervision").await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let back = |dep: i32| format!("/staff/supervision?dep={dep}");
    let department: i32 = department.trim().parse().unwrap_or(0);
    match supervision::act(&st, Some(&user), department, action, st.today(), lang).await {
        Ok((dep, msg)) => see_other(&back(dep), vec![notice(&st, "supervision", msg)]),
        Err(e @ (AppError::Forbidden | AppError::Unauthorized | AppError::NotFound)) => e.into_response(),
        Err(e) => {
            let (id, text) = action.target();
            let values: BTreeMap<String, String> = [(format!("text_{id}"), text.to_string())].into();
            let to = if department > 0 { back(department) } else { "/staff/supervision".into() };
            back_with_errors(&st, &to, "supervision", values, &e, lang)
        }
    }
}

/// The longest span statistics cover, in months.
pub const STATS_MAX_MONTHS: u32 = 60;

/// The statistics query: `by`, `dep`, `from`, `to` (defaults: by department, this year so far).
/// Dates are days of the calendar's years (2000–2099), `from` not after `to`, at most five years
/// apart; anything else is a [`AppError::BadQuery`] naming the field, in `lang`.
pub fn stats_query(
    q: &BTreeMap<String, String>,
    today: NaiveDate,
    lang: Lang,
) -> Result<(String, NaiveDate, NaiveDate, Option<i32>), AppError> {
    let bad = |field: &str, msg: &str| AppError::BadQuery(vec![(field.into(), msg.into())]);
    let (first, last) = (NaiveDate::from_ymd_opt(2000, 1, 1), NaiveDate::from_ymd_opt(2099, 12, 31));
    let date = |k: &str| -> Result<Option<NaiveDate>, AppError> {
        let Some(v) = q.get(k).map(|v| v.trim()).filter(|v| !v.is_empty()) else { return Ok(None) };
        let d = NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| {
            bad(
                k,
                lang.pick(
                    "请输入日期，格式如 2026-01-31",
                    "請輸入日期，格式如 2026-01-31",
                    "Enter a date like 2026-01-31",
                ),
            )
        })?;
        if Some(d) < first || Some(d) > last {
            return Err(bad(
                k,
                lang.pick(
                    "日期须在 2000-01-01 至 2099-12-31 之间",
                    "日期須在 2000-01-01 至 2099-12-31 之間",
                    "The date must be between 2000-01-01 and 2099-12-31",
                ),
            ));
        }
        Ok(Some(d))
    };
    let from = date("from")?.unwrap_or_else(|| NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today));
    let to = date("to")?.unwrap_or(today.max(from));
    if from > to {
        return Err(bad(
            "from",
            lang.pick("开始日期不能晚于结束日期", "開始日期不能晚於結束日期", "The start date is after the end date"),
        ));
    }
    if from.checked_add_months(chrono::Months::new(STATS_MAX_MONTHS)).is_none_or(|limit| to >= limit) {
        return Err(bad("to", lang.pick("统计区间最长 5 年", "統計區間最長 5 年", "At most five years at a time")));
    }
    let dep =
        match q.get("dep").map(|v| v.trim()).filter(|v| !v.is_empty()) {
            None => None,
            Some(v) => Some(v.parse::<i32>().map_err(|_| {
                bad("dep", lang.pick("请选择部门", "請選擇部門", "dep: a department's id (an integer)"))
            })?),
        };
    Ok((q.get("by").cloned().unwrap_or_else(|| "department".into()), from, to, dep))
}

async fn load(
    st: &AppState,
    user: Option<&crate::models::SessionUser>,
    q: &BTreeMap<String, String>,
    lang: Lang,
) -> Result<crate::models::Statistics, AppError> {
    let (by, from, to, dep) = stats_query(q, st.today(), lang)?;
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
    match load(&st, user.as_ref(), &q, lang).await {
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
    match load(&st, user.as_ref(), &q, lang).await.and_then(|s| Ok((supervision::xlsx(&s, lang)?, s))) {
        Ok((bytes, s)) => download(
            bytes,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            format!("tongban-stats-{}-{}-{}.xlsx", s.by, s.from, s.to),
        ),
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_cover_at_most_five_years_of_the_calendar() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let ask = |pairs: &[(&str, &str)]| {
            let q: BTreeMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            stats_query(&q, today, Lang::En).map(|(_, from, to, _)| (from, to)).map_err(|e| match e {
                AppError::BadQuery(f) => f[0].0.clone(),
                other => panic!("{other:?}"),
            })
        };
        // (query, the range, or the field refused)
        type Row<'a> = (&'a [(&'a str, &'a str)], Result<(NaiveDate, NaiveDate), &'a str>);
        let table: &[Row] = &[
            (&[], Ok((d("2026-01-01"), today))),
            (&[("from", "2026-03-01"), ("to", "2026-03-31")], Ok((d("2026-03-01"), d("2026-03-31")))),
            (&[("from", "2021-01-01"), ("to", "2025-12-31")], Ok((d("2021-01-01"), d("2025-12-31")))),
            (&[("from", "2021-01-01"), ("to", "2026-01-01")], Err("to")),
            (&[("from", "262142-01-01")], Err("from")),
            (&[("to", "262142-01-01")], Err("to")),
            (&[("from", "1999-12-31")], Err("from")),
            (&[("from", "2026-02-30")], Err("from")),
            (&[("from", "yesterday")], Err("from")),
            (&[("from", "2026-05-01"), ("to", "2026-04-01")], Err("from")),
        ];
        for (q, want) in table {
            let got = ask(q);
            assert_eq!(got.as_ref().map_err(String::as_str), want.as_ref().map_err(|f| *f), "{q:?}");
        }
    }
}
