//! Statistics (统计): cases received, decided, refused and delivered over a span, by department,
//! item or month, with their rates (rules::deadline::Tally), and their CSV and XLSX exports.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use rules::deadline::Tally;
use rules::{Lang, Role};
use sea_orm::{sea_query::Expr, IdenStatic};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

use super::super::entities::{case, department, item};
use super::super::error::AppError;
use super::super::guard::require_staff;
use crate::models::{SessionUser, StatRow, Statistics};

/// Each item's code and name, by id.
pub(super) async fn names_of_items(
    db: &impl sea_orm::ConnectionTrait,
) -> Result<BTreeMap<i32, (String, String)>, AppError> {
    Ok(item::Entity::find().all(db).await?.into_iter().map(|i| (i.id, (i.code, i.name))).collect())
}

/// One row of the statistics being added up.
#[derive(Default)]
struct Group {
    label: String,
    submitted: u64,
    decided: Tally,
    not_accepted: u64,
    delivered: u64,
    delivered_late: u64,
}

/// Statistics over cases received, decided, refused and delivered between `from` and `to` (inclusive), grouped by
/// department, item or month. Rates and averages are `rules::deadline::Tally::stats`.
pub async fn statistics(
    db: &DatabaseConnection,
    user: Option<&SessionUser>,
    by: &str,
    from: NaiveDate,
    to: NaiveDate,
    dep: Option<i32>,
) -> Result<Statistics, AppError> {
    let allowed = require_staff(user, &[Role::Supervisor, Role::Approver, Role::Admin], None)?;
    statistics_for(db, allowed, by, from, to, dep).await
}

/// Statistics over the departments in `allowed` (a staff member's, or an API token's).
pub async fn statistics_for(
    db: &DatabaseConnection,
    allowed: Vec<i32>,
    by: &str,
    from: NaiveDate,
    to: NaiveDate,
    dep: Option<i32>,
) -> Result<Statistics, AppError> {
    if let Some(d) = dep {
        if !allowed.contains(&d) {
            return Err(AppError::Forbidden);
        }
    }
    let deps: Vec<i32> = dep.map_or(allowed.clone(), |d| vec![d]);
    let by = match by {
        "item" | "month" => by,
        _ => "department",
    };
    let dep_names: BTreeMap<i32, String> =
        department::Entity::find().all(db).await?.into_iter().map(|d| (d.id, d.name)).collect();
    let departments: Vec<(i32, String)> =
        dep_names.iter().filter(|(id, _)| allowed.contains(id)).map(|(id, n)| (*id, n.clone())).collect();
    let items = names_of_items(db).await?;
    // The start of a China day, as a UTC instant.
    let utc = |day: NaiveDate| day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() - Duration::hours(8);
    let key_of = |dep: i32, item: i32, day: NaiveDate| -> (String, String) {
        match by {
            "item" => {
                let (code, name) = items.get(&item).cloned().unwrap_or_default();
                (code, name)
            }
            "month" => {
                let m = day.format("%Y-%m").to_string();
                (m.clone(), m)
            }
            _ => (dep.to_string(), dep_names.get(&dep).cloned().unwrap_or_default()),
        }
    };
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    fn group(groups: &mut BTreeMap<String, Group>, (k, label): (String, String)) -> &mut Group {
        groups.entry(k).or_insert_with(|| Group { label, ..Default::default() })
    }
    // Received: counted by the database per (department, item), a month at a time when the rows
    // are months (China time), from the covering index (department, submitted, item) — at a
    // million cases, fetching the rows instead took seconds.
    let mut spans = vec![];
    if by == "month" {
        let mut first = from;
        while first <= to {
            let next = (first.with_day(1).unwrap_or(first) + Duration::days(32)).with_day(1).unwrap_or(to);
            spans.push((first, next.min(to + Duration::days(1))));
            first = next;
        }
    } else {
        spans.push((from, to + Duration::days(1)));
    }
    // Closed: each case was judged when it closed (`rules::deadline::ClosedCase::verdict`, kept on
    // the row); the database adds the verdicts up per department and item from the covering index
    // (closed day, department, item, verdict), and the rates come from `rules::deadline::Tally`.
    let per_department_and_item = || {
        case::Entity::find()
            .select_only()
            .columns([case::Column::DepartmentId, case::Column::ItemId])
            .column_as(case::Column::Id.count(), "n")
            .filter(case::Column::DepartmentId.is_in(deps.clone()))
            .group_by(case::Column::DepartmentId)
            .group_by(case::Column::ItemId)
    };
    let flag = |c: case::Column| Expr::cust(format!("SUM(CASE WHEN {} THEN 1 ELSE 0 END)", c.as_str()));
    for &(first, next) in &spans {
        let counts: Vec<(i32, i32, i64)> = per_department_and_item()
            .filter(case::Column::SubmittedAt.gte(utc(first)))
            .filter(case::Column::SubmittedAt.lt(utc(next)))
            .into_tuple()
            .all(db)
            .await?;
        for (d, it, n) in counts {
            group(&mut groups, key_of(d, it, first)).submitted += n as u64;
        }
        // Decided (办结) and not accepted, by the day of the decision or refusal.
        type Sums = (i32, i32, i64, i64, i64, i64, i64, i64, Option<i64>);
        let judged =
            Expr::cust(format!("SUM(CASE WHEN {} IS NOT NULL THEN 1 ELSE 0 END)", case::Column::DaysUsed.as_str()));
        let refused = Expr::cust(format!(
            "SUM(CASE WHEN {} = '{}' THEN 1 ELSE 0 END)",
            case::Column::State.as_str(),
            rules::CaseState::NotAccepted.code()
        ));
        let sums: Vec<Sums> = per_department_and_item()
            .column_as(judged, "judged")
            .column_as(refused, "refused")
            .column_as(flag(case::Column::ClosedOnTime), "on_time")
            .column_as(flag(case::Column::ClosedEarly), "early")
            .column_as(flag(case::Column::ClosedSameDay), "same_day")
            .column_as(case::Column::DaysUsed.sum(), "used")
            .filter(case::Column::DecidedOn.gte(first))
            .filter(case::Column::DecidedOn.lt(next))
            .into_tuple()
            .all(db)
            .await?;
        let c = |v: i64| v.max(0) as u64;
        for (d, it, _, judged, refused, on_time, early, same_day, used) in sums {
            let g = group(&mut groups, key_of(d, it, first));
            g.not_accepted += c(refused);
            g.decided.merge(&Tally {
                closed: c(judged),
                on_time: c(on_time),
                early: c(early),
                same_day: c(same_day),
                working_days_used: c(used.unwrap_or(0)),
            });
        }
        // Delivered, by the day of delivery: its own timeliness.
        let late = flag(case::Column::DeliveredLate);
        let deliveries: Vec<(i32, i32, i64, i64)> = per_department_and_item()
            .column_as(late, "late")
            .filter(case::Column::DeliveredOn.gte(first))
            .filter(case::Column::DeliveredOn.lt(next))
            .into_tuple()
            .all(db)
            .await?;
        for (d, it, n, late) in deliveries {
            let g = group(&mut groups, key_of(d, it, first));
            g.delivered += c(n);
            g.delivered_late += c(late);
        }
    }
    let row = |key: String, g: &Group| {
        let s = g.decided.stats();
        StatRow {
            key,
            label: g.label.clone(),
            submitted: g.submitted,
            not_accepted: g.not_accepted,
            delivered: g.delivered,
            delivered_on_time_rate: (g.delivered > 0)
                .then(|| (g.delivered - g.delivered_late.min(g.delivered)) as f64 / g.delivered as f64),
            closed: s.closed as u64,
            on_time_rate: s.on_time_rate,
            early_rate: s.early_rate,
            same_day_rate: s.same_day_rate,
            avg_working_days: s.avg_working_days_used,
        }
    };
    let mut all = Group { label: "合计".into(), ..Default::default() };
    for g in groups.values() {
        all.decided.merge(&g.decided);
        all.submitted += g.submitted;
        all.not_accepted += g.not_accepted;
        all.delivered += g.delivered;
        all.delivered_late += g.delivered_late;
    }
    let total = row("*".into(), &all);
    let rows = groups.iter().map(|(k, g)| row(k.clone(), g)).collect();
    Ok(Statistics { by: by.into(), from, to, department: dep, departments, rows, total })
}

fn pct(r: Option<f64>) -> String {
    r.map_or("—".into(), |r| format!("{:.1}%", r * 100.0))
}

fn avg(r: Option<f64>) -> String {
    r.map_or("—".into(), |r| format!("{r:.1}"))
}

/// The table's column headings.
pub fn headings(s: &Statistics, lang: Lang) -> [&'static str; 10] {
    [
        match s.by.as_str() {
            "item" => lang.pick("事项", "事項", "Service"),
            "month" => lang.pick("月份", "月份", "Month"),
            _ => lang.pick("部门", "部門", "Department"),
        },
        lang.pick("收件数", "收件數", "Received"),
        lang.pick("不予受理数", "不予受理數", "Not accepted"),
        lang.pick("办结数", "辦結數", "Decided"),
        lang.pick("按时办结率", "按時辦結率", "On time"),
        lang.pick("提前办结率", "提前辦結率", "Early"),
        lang.pick("当日办结率", "當日辦結率", "Same day"),
        lang.pick("平均用时（工作日）", "平均用時（工作日）", "Average working days"),
        lang.pick("送达数", "送達數", "Delivered"),
        lang.pick("按时送达率", "按時送達率", "Delivered on time"),
    ]
}

/// One row as text cells (CSV, page).
pub fn cells(r: &StatRow) -> [String; 10] {
    [
        r.label.clone(),
        r.submitted.to_string(),
        r.not_accepted.to_string(),
        r.closed.to_string(),
        pct(r.on_time_rate),
        pct(r.early_rate),
        pct(r.same_day_rate),
        avg(r.avg_working_days),
        r.delivered.to_string(),
        pct(r.delivered_on_time_rate),
    ]
}

/// CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese right).
pub fn csv(s: &Statistics, lang: Lang) -> String {
    let q = |v: &str| {
        // a cell a spreadsheet would read as a formula (=, +, -, @, or a tab or return first)
        // is text: an apostrophe before it (OWASP CSV injection)
        let v = if v.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{v}") } else { v.to_string() };
        let v = v.as_str();
        if v.contains([',', '"', '\n']) {
            format!("\"{}\"", v.replace('"', "\"\""))
        } else {
            v.to_string()
        }
    };
    let mut out = String::from("\u{feff}");
    out.push_str(&headings(s, lang).map(q).join(","));
    out.push_str("\r\n");
    for r in s.rows.iter().chain(std::iter::once(&s.total)) {
        out.push_str(&cells(r).iter().map(|c| q(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

/// XLSX: numbers as numbers (rates as percentages), one sheet.
pub fn xlsx(s: &Statistics, lang: Lang) -> Result<Vec<u8>, AppError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0.0%");
    let one = Format::new().set_num_format("0.0");
    let e = AppError::internal;
    sheet.write_string(0, 0, format!("{} – {}", s.from, s.to)).map_err(e)?;
    for (c, h) in headings(s, lang).iter().enumerate() {
        sheet.write_string_with_format(1, c as u16, *h, &bold).map_err(e)?;
    }
    for (i, r) in s.rows.iter().chain(std::iter::once(&s.total)).enumerate() {
        let row = (i + 2) as u32;
        sheet.write_string(row, 0, &r.label).map_err(e)?;
        for (c, n) in [(1u16, r.submitted), (2, r.not_accepted), (3, r.closed), (8, r.delivered)] {
            sheet.write_number(row, c, n as f64).map_err(e)?;
        }
        for (c, v) in [(4u16, r.on_time_rate), (5, r.early_rate), (6, r.same_day_rate), (9, r.delivered_on_time_rate)] {
            if let Some(v) = v {
                sheet.write_number_with_format(row, c, v, &percent).map_err(e)?;
            }
        }
        if let Some(v) = r.avg_working_days {
            sheet.write_number_with_format(row, 7, v, &one).map_err(e)?;
        }
    }
    sheet.set_column_width(0, 28).map_err(e)?;
    wb.save_to_buffer().map_err(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats() -> Statistics {
        let r = |label: &str, n: u64, rate: Option<f64>| StatRow {
            key: label.into(),
            label: label.into(),
            submitted: n,
            not_accepted: 1,
            closed: n / 2,
            delivered: n / 2,
            delivered_on_time_rate: Some(1.0),
            on_time_rate: rate,
            early_rate: rate,
            same_day_rate: None,
            avg_working_days: Some(3.25),
        };
        Statistics {
            by: "department".into(),
            from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            department: None,
            departments: vec![],
            rows: vec![r("自然资源局, \"东湖\"", 10, Some(0.5))],
            total: r("合计", 10, Some(0.5)),
        }
    }

    #[test]
    fn csv_quotes_and_formats() {
        let text = csv(&stats(), Lang::ZhHans);
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(
            lines[0],
            "部门,收件数,不予受理数,办结数,按时办结率,提前办结率,当日办结率,平均用时（工作日）,送达数,按时送达率"
        );
        assert_eq!(lines[1], "\"自然资源局, \"\"东湖\"\"\",10,1,5,50.0%,50.0%,—,3.2,5,100.0%");
        assert_eq!(lines[2], "合计,10,1,5,50.0%,50.0%,—,3.2,5,100.0%");
        // an item or department named like a formula stays text
        let mut evil = stats();
        evil.rows[0].label = "=HYPERLINK(\"http://evil.example\",\"点此\")".into();
        evil.total.label = "@SUM(A1)".into();
        let text = csv(&evil, Lang::ZhHans);
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert!(lines[1].starts_with("\"'=HYPERLINK("), "{}", lines[1]);
        assert!(lines[2].starts_with("'@SUM(A1),"), "{}", lines[2]);
    }

    #[test]
    fn xlsx_is_a_zip_with_a_sheet() {
        let bytes = xlsx(&stats(), Lang::ZhHans).unwrap();
        assert_eq!(&bytes[..2], b"PK");
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("xl/worksheets/sheet1.xml"));
    }
}
