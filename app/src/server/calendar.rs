//! The holiday calendar in the database: seeded from the shipped schedule files, loaded into a
//! `rules::Calendar` at start (and after admin edits).

use chrono::Utc;
use rules::calendar::{parse_schedule, CalendarDay, DayKind, SHIPPED_SCHEDULES};
use rules::Calendar;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};

use super::entities::{calendar_day, calendar_year};
use super::error::AppError;

/// Inserts each shipped year that the database does not have yet. Returns the years added.
pub async fn seed_shipped(db: &impl ConnectionTrait) -> Result<Vec<i32>, AppError> {
    let mut added = Vec::new();
    for (year, text) in SHIPPED_SCHEDULES {
        if calendar_year::Entity::find_by_id(*year).one(db).await?.is_some() {
            continue;
        }
        let schedule = parse_schedule(text).map_err(AppError::internal)?;
        calendar_year::ActiveModel {
            year: Set(*year),
            source: Set(format!("rules/data/calendar/{year}.txt")),
            updated_at: Set(Utc::now()),
        }
        .insert(db)
        .await?;
        for d in schedule.days {
            calendar_day::ActiveModel {
                date: Set(d.date),
                year: Set(*year),
                kind: Set(match d.kind {
                    DayKind::Holiday => "holiday".into(),
                    DayKind::Workday => "workday".into(),
                }),
                name: Set(d.name),
            }
            .insert(db)
            .await?;
        }
        added.push(*year);
    }
    Ok(added)
}

pub async fn load(db: &impl ConnectionTrait) -> Result<Calendar, AppError> {
    let years = calendar_year::Entity::find().all(db).await?;
    let days = calendar_day::Entity::find().all(db).await?;
    Ok(Calendar::from_days(
        years.into_iter().map(|y| y.year),
        days.into_iter().map(|d| CalendarDay {
            date: d.date,
            kind: if d.kind == "workday" { DayKind::Workday } else { DayKind::Holiday },
            name: d.name,
        }),
    ))
}
