//! The first-inquiry desk (首问负责制): the window clerk who is asked first logs the consultation
//! (who asked, about which item, the question, the answer, where they were referred), finds it
//! again later, and turns it into a counter application in one step.

use std::collections::BTreeMap;

use axum::response::{IntoResponse, Response};
use chrono::Utc;
use leptos::server_fn::ServerFnError;
use rules::{Lang, Role};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::edge::{back_with_errors, notice, see_other, FormCall, Staff};
use super::entities::{consultation, staff};
use super::error::AppError;
use super::guard;
use super::state::AppState;
use crate::models::{ConsultationLine, InquiryDesk, NewConsultation, SessionUser};

fn desk_departments(user: Option<&SessionUser>) -> Result<Vec<i32>, AppError> {
    guard::require_staff(user, &[Role::WindowClerk], None)
}

/// The clerk's departments' consultations, newest first; `search` matches the asker, contact,
/// ID number or the question.
pub async fn desk(db: &DatabaseConnection, user: Option<&SessionUser>, search: &str) -> Result<InquiryDesk, AppError> {
    let deps = desk_departments(user)?;
    let items = super::catalog::published_items_of(db, deps.clone()).await?;
    let mut q = consultation::Entity::find().filter(consultation::Column::DepartmentId.is_in(deps));
    let s = search.trim();
    if !s.is_empty() {
        let like = format!("%{}%", s.replace(['%', '_'], ""));
        q = q.filter(
            Condition::any()
                .add(consultation::Column::AskerName.like(&like))
                .add(consultation::Column::AskerContact.like(&like))
                .add(consultation::Column::IdNumber.like(&like))
                .add(consultation::Column::Question.like(&like)),
        );
    }
    let rows = q.order_by_desc(consultation::Column::Id).limit(100).all(db).await?;
    let names: BTreeMap<i32, String> = staff::Entity::find()
        .filter(staff::Column::Id.is_in(rows.iter().map(|r| r.staff_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.display_name))
        .collect();
    let rows = rows
        .into_iter()
        .map(|r| ConsultationLine {
            id: r.id,
            asked_at: (r.asked_at + chrono::Duration::hours(8)).format("%Y-%m-%d %H:%M").to_string(),
            staff: names.get(&r.staff_id).cloned().unwrap_or_default(),
            item_name: items.iter().find(|(c, _)| *c == r.item_code).map(|(_, n)| n.clone()).unwrap_or_default(),
            asker_name: r.asker_name,
            asker_contact: r.asker_contact,
            id_number: r.id_number,
            item_code: r.item_code,
            question: r.question,
            answer: r.answer,
            referral: r.referral,
            case_id: r.case_id,
        })
        .collect();
    Ok(InquiryDesk { search: s.to_string(), items, rows })
}

/// Logs a consultation in the item's department (else the clerk's first).
pub async fn log(
    db: &DatabaseConnection,
    user: Option<&SessionUser>,
    input: &NewConsultation,
    lang: Lang,
) -> Result<i32, AppError> {
    let deps = desk_departments(user)?;
    let Some(SessionUser::Staff { id: staff_id, .. }) = user else { return Err(AppError::Forbidden) };
    let mut errors = Vec::new();
    let name = input.asker_name.trim();
    if name.is_empty() {
        errors.push((
            "asker_name".to_string(),
            lang.pick("请填写咨询人姓名", "請填寫諮詢人姓名", "Enter the name").to_string(),
        ));
    }
    let number = input.id_number.trim().to_uppercase();
    if !number.is_empty() {
        if let Err(AppError::Invalid(e)) = super::intake::parse_number(&number, lang) {
            errors.extend(e.into_iter().map(|(_, m)| ("id_number".to_string(), m)));
        }
    }
    let contact = input.asker_contact.trim();
    if !contact.is_empty() && !contact.chars().all(|c| c.is_ascii_digit() || "-+ ".contains(c)) {
        errors.push((
            "asker_contact".into(),
            lang.pick("联系电话只能包含数字", "聯絡電話只能包含數字", "A phone number has digits only").into(),
        ));
    }
    for (field, value) in [("question", &input.question), ("answer", &input.answer)] {
        if value.trim().chars().count() < 2 {
            errors.push((
                field.into(),
                match field {
                    "question" => lang.pick("请记录咨询的问题", "請記錄諮詢的問題", "Write down the question"),
                    _ => lang.pick("请记录给出的答复", "請記錄給出的答覆", "Write down the answer given"),
                }
                .into(),
            ));
        }
    }
    let code = input.item.trim().to_uppercase();
    let dep = if code.is_empty() {
        deps.first().copied().ok_or(AppError::Forbidden)?
    } else {
        match super::catalog::newest_published(db, &code).await? {
            Some(it) if deps.contains(&it.department_id) => it.department_id,
            _ => {
                errors.push((
                    "item".into(),
                    lang.pick("请选择本窗口的事项", "請選擇本窗口的事項", "Choose a service of this window").into(),
                ));
                0
            }
        }
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let m = consultation::ActiveModel {
        department_id: Set(dep),
        staff_id: Set(*staff_id),
        asked_at: Set(Utc::now()),
        asker_name: Set(name.chars().take(64).collect()),
        asker_contact: Set(contact.chars().take(64).collect()),
        id_number: Set(number),
        item_code: Set(code),
        question: Set(input.question.trim().chars().take(4000).collect()),
        answer: Set(input.answer.trim().chars().take(4000).collect()),
        referral: Set(input.referral.trim().chars().take(200).collect()),
        case_id: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(m.id)
}

/// Where "start the application" leads: the new counter draft when the asker is a known
/// applicant and the item is known, else the intake page with the number filled in.
pub async fn to_application(
    db: &DatabaseConnection,
    user: Option<&SessionUser>,
    id: i32,
    today: chrono::NaiveDate,
    lang: Lang,
) -> Result<String, AppError> {
    let deps = desk_departments(user)?;
    let c = consultation::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    if !deps.contains(&c.department_id) {
        return Err(AppError::Forbidden);
    }
    if let Some(case) = c.case_id {
        return Ok(format!("/applications/{case}"));
    }
    let known = match super::intake::parse_number(&c.id_number, lang) {
        Ok(n) => super::intake::find(db, &n).await?,
        Err(_) => None,
    };
    match known {
        // an account opened online goes by the intake page, where the clerk checks the holder
        Some(a) if !c.item_code.is_empty() && a.identity_checked_on.is_some() => {
            let case = super::intake::start(db, user, a.id, &c.item_code, None, today, lang).await?;
            consultation::Entity::update_many()
                .col_expr(consultation::Column::CaseId, Expr::value(case))
                .filter(consultation::Column::Id.eq(id))
                .exec(db)
                .await?;
            Ok(format!("/applications/{case}"))
        }
        _ => Ok(format!("/staff/intake?number={}", c.id_number)),
    }
}

/// The body of the server function `api::inquiry_log`: the desk again, with the entry or the errors.
pub async fn log_form(input: NewConsultation) -> Result<(), ServerFnError> {
    let mut call = FormCall::current()?;
    let reply = match call.extract::<Staff>().await {
        Ok(Staff(user)) => log_reply(&call.st, &user, &input, call.lang).await,
        Err(r) => r,
    };
    call.answer(reply)
}

async fn log_reply(st: &AppState, user: &SessionUser, input: &NewConsultation, lang: Lang) -> Response {
    match log(&st.db, Some(user), input, lang).await {
        Ok(_) => see_other(
            "/staff/inquiries",
            vec![notice(st, "inquiry", lang.pick("已记录咨询", "已記錄諮詢", "Consultation logged").into())],
        ),
        Err(e @ AppError::Forbidden) => e.into_response(),
        Err(e) => back_with_errors(st, "/staff/inquiries", "inquiry", input.values(), &e, lang),
    }
}

/// The body of the server function `api::inquiry_apply`: from a consultation to the counter's
/// intake for the same person and item.
pub async fn apply_form(id: i32) -> Result<(), ServerFnError> {
    let mut call = FormCall::current()?;
    let reply = match call.extract::<Staff>().await {
        Ok(Staff(user)) => match to_application(&call.st.db, Some(&user), id, call.st.today(), call.lang).await {
            Ok(to) => see_other(&to, vec![]),
            Err(e @ (AppError::Forbidden | AppError::NotFound)) => e.into_response(),
            Err(e) => back_with_errors(&call.st, "/staff/inquiries", "inquiry", BTreeMap::new(), &e, call.lang),
        },
        Err(r) => r,
    };
    call.answer(reply)
}
