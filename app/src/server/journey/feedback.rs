//! Ratings (好差评) and complaints, each answered within its working-day term.

use super::*;

pub(super) fn may_rate(state: CaseState) -> bool {
    matches!(state, CaseState::Delivered | CaseState::Closed)
}

/// Rates a finished case, once. Bad ratings need a reason and open a follow-up for the
/// department that handled the case.
#[allow(clippy::too_many_arguments)]
pub async fn rate(
    db: &DatabaseConnection,
    cal: &Calendar,
    applicant_id: i32,
    case_id: i32,
    level: u8,
    comment: &str,
    reason: &str,
    today: NaiveDate,
    lang: Lang,
) -> Result<(), AppError> {
    let c = own_case(db, applicant_id, case_id).await?;
    if !may_rate(state_of(&c)?) {
        return Err(AppError::field(
            "_form",
            lang.pick("办件办结后才能评价", "辦件辦結後才能評價", "You can rate a case once it is finished"),
        ));
    }
    if !(1..=5).contains(&level) {
        return Err(AppError::field("level", lang.pick("请选择评价等级", "請選擇評價等級", "Choose a rating")));
    }
    let reason = reason.trim();
    if is_bad_rating(level) && reason.is_empty() {
        return Err(AppError::field(
            "reason",
            lang.pick(
                "选择“不满意”或“非常不满意”时，请写明原因，以便部门回访整改",
                "選擇「不滿意」或「非常不滿意」時，請寫明原因，以便部門回訪整改",
                "Tell us why, so the department can call you back and put it right",
            ),
        ));
    }
    if evaluation::Entity::find().filter(evaluation::Column::CaseId.eq(c.id)).count(db).await? > 0 {
        return Err(AppError::field("_form", already_rated(lang)));
    }
    let follow_up_due = if is_bad_rating(level) {
        Some(cal.nth_working_day_after(today, FOLLOW_UP_WORKING_DAYS).map_err(AppError::internal)?)
    } else {
        None
    };
    let res = evaluation::ActiveModel {
        case_id: Set(c.id),
        applicant_id: Set(applicant_id),
        department_id: Set(c.department_id),
        level: Set(level as i16),
        comment: Set(comment.trim().chars().take(1000).collect()),
        reason: Set(reason.chars().take(1000).collect()),
        follow_up_due: Set(follow_up_due),
        follow_up_state: Set(if follow_up_due.is_some() { "open" } else { "none" }.into()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await;
    match res {
        Ok(_) => Ok(()),
        Err(e) if crate::server::db::is_unique_violation(&e) => Err(AppError::field("_form", already_rated(lang))),
        Err(e) => Err(e.into()),
    }
}

fn already_rated(lang: Lang) -> String {
    lang.pick(
        "该办件已经评价过，每件只能评价一次",
        "該辦件已經評價過，每件只能評價一次",
        "This case has already been rated",
    )
    .into()
}

/// What a complaint is about: one of the applicant's cases, or a department's window.
#[derive(Debug, Clone, Copy)]
pub enum ComplaintAbout {
    Case(i32),
    Department(i32),
}

/// A complaint about a case or a department's window; answered within
/// [`COMPLAINT_WORKING_DAYS`] working days.
#[allow(clippy::too_many_arguments)]
pub async fn complain(
    db: &DatabaseConnection,
    cal: &Calendar,
    applicant_id: i32,
    about: ComplaintAbout,
    subject: &str,
    body: &str,
    today: NaiveDate,
    lang: Lang,
) -> Result<i32, AppError> {
    let (case_id, department_id) = match about {
        ComplaintAbout::Case(id) => {
            let c = own_case(db, applicant_id, id).await?;
            (Some(c.id), c.department_id)
        }
        ComplaintAbout::Department(id) => match department::Entity::find_by_id(id).one(db).await? {
            Some(d) => (None, d.id),
            None => {
                return Err(AppError::field(
                    "department",
                    lang.pick("请选择投诉的窗口（部门）", "請選擇投訴的窗口（部門）", "Choose the window (department)"),
                ))
            }
        },
    };
    let mut errors = Vec::new();
    if subject.trim().is_empty() {
        errors.push(("subject".into(), lang.pick("请填写投诉事由", "請填寫投訴事由", "Enter what it is about").into()));
    }
    if body.trim().chars().count() < 5 {
        errors.push((
            "body".into(),
            lang.pick(
                "请具体说明情况（至少 5 个字）",
                "請具體說明情況（至少 5 個字）",
                "Describe what happened (5 characters or more)",
            )
            .into(),
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let due = cal.nth_working_day_after(today, COMPLAINT_WORKING_DAYS).map_err(AppError::internal)?;
    let row = complaint::ActiveModel {
        applicant_id: Set(applicant_id),
        case_id: Set(case_id),
        department_id: Set(department_id),
        subject: Set(subject.trim().chars().take(200).collect()),
        body: Set(body.trim().chars().take(4000).collect()),
        state: Set("open".into()),
        due_on: Set(due),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

/// Departments (id, name), for choosing a window.
pub async fn departments(db: &impl ConnectionTrait) -> Result<Vec<(i32, String)>, AppError> {
    Ok(department::Entity::find()
        .order_by_asc(department::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect())
}
