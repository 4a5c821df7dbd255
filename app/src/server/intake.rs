//! Counter intake (帮办): a window clerk finds or creates the walk-in applicant (no password
//! needed), starts the application for them and then fills the very same draft the applicant
//! would fill online (answers, uploads, check, submit — see `guard::draft_filer`). Once
//! submitted it is an ordinary case.

use std::collections::BTreeMap;

use axum::response::{IntoResponse, Response};
use chrono::Utc;
use leptos::server_fn::ServerFnError;
use rules::{CaseState, CreditCode, IdCardNo, Lang, Mobile, Role};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::edge::{back_with_errors, see_other, FormCall, Staff};
use super::entities::{applicant, case, item};
use super::error::AppError;
use super::guard;
use super::state::AppState;
use crate::models::{IntakeApplicant, IntakeDraft, IntakeView, NewApplicant, SessionUser};

/// The departments where the caller is a window clerk.
fn clerk_departments(user: Option<&SessionUser>) -> Result<Vec<i32>, AppError> {
    guard::require_staff(user, &[Role::WindowClerk], None)
}

/// An identity number as typed: a resident ID (person) or a unified social credit code (enterprise).
pub(crate) enum Number {
    Person(IdCardNo),
    Enterprise(CreditCode),
}

pub(crate) fn parse_number(raw: &str, lang: Lang) -> Result<Number, AppError> {
    let raw = raw.trim().to_uppercase();
    if raw.is_empty() {
        return Err(AppError::field(
            "number",
            lang.pick(
                "请输入身份证号码或统一社会信用代码",
                "請輸入身分證號碼或統一社會信用代碼",
                "Enter an ID number or credit code",
            ),
        ));
    }
    if let Ok(id) = raw.parse::<IdCardNo>() {
        return Ok(Number::Person(id));
    }
    if let Ok(code) = raw.parse::<CreditCode>() {
        return Ok(Number::Enterprise(code));
    }
    Err(AppError::field(
        "number",
        lang.pick(
            "号码无效：请核对身份证号码（18 位）或统一社会信用代码（18 位）",
            "號碼無效：請核對身分證號碼（18 位）或統一社會信用代碼（18 位）",
            "Not a valid ID number (18 characters) or credit code (18 characters)",
        ),
    ))
}

pub(crate) async fn find(db: &impl ConnectionTrait, number: &Number) -> Result<Option<applicant::Model>, AppError> {
    Ok(match number {
        Number::Person(id) => {
            applicant::Entity::find().filter(applicant::Column::IdCardNo.eq(id.to_string())).one(db).await?
        }
        Number::Enterprise(c) => {
            applicant::Entity::find().filter(applicant::Column::CreditCode.eq(c.to_string())).one(db).await?
        }
    })
}

/// What the intake page shows: the applicant found for `number` (if any), the items the clerk
/// can take in, and the clerk's counter applications not yet submitted. Each search by number
/// is in the security log (a person's data read without a case).
pub async fn view(
    db: &DatabaseConnection,
    user: Option<&SessionUser>,
    number: &str,
    address: &str,
    lang: Lang,
) -> Result<IntakeView, AppError> {
    let deps = clerk_departments(user)?;
    let mut v = IntakeView { number: number.trim().to_uppercase(), ..Default::default() };
    if !v.number.is_empty() {
        match parse_number(&v.number, lang) {
            Ok(n) => {
                v.person = matches!(n, Number::Person(_));
                let found = find(db, &n).await?;
                let event = super::audit::SecurityEvent {
                    who: super::audit::Who::of(user),
                    event: "lookup.id_number",
                    target: match &n {
                        Number::Person(id) => id.masked(),
                        Number::Enterprise(c) => c.masked(),
                    },
                    outcome: super::audit::Outcome::Ok,
                    address,
                    detail: found.as_ref().map(|a| format!("applicant {}", a.id)).unwrap_or_else(|| "none".into()),
                };
                super::audit::security(db, event).await?;
                v.found = found.map(|a| IntakeApplicant {
                    id: a.id,
                    name: a.name,
                    mobile: a.mobile,
                    has_account: a.password_hash.is_some(),
                });
                v.searched = true;
            }
            Err(AppError::Invalid(e)) => v.number_error = e.into_iter().next().map(|(_, m)| m),
            Err(e) => return Err(e),
        }
    }
    v.items = super::catalog::published_items_of(db, deps).await?;
    let staff_id = match user {
        Some(SessionUser::Staff { id, .. }) => *id,
        _ => 0,
    };
    let drafts = case::Entity::find()
        .filter(case::Column::IntakeStaffId.eq(staff_id))
        .filter(case::Column::State.eq(CaseState::Draft.code()))
        .order_by_desc(case::Column::UpdatedAt)
        .all(db)
        .await?;
    for c in drafts {
        let a = applicant::Entity::find_by_id(c.applicant_id).one(db).await?.map(|a| a.name).unwrap_or_default();
        let i = item::Entity::find_by_id(c.item_id).one(db).await?.map(|i| i.name).unwrap_or_default();
        v.drafts.push(IntakeDraft { case_id: c.id, applicant: a, item: i });
    }
    Ok(v)
}

/// Registers a walk-in applicant without a password (they can sign up online later with the same
/// number to follow their cases).
pub async fn create_applicant(
    db: &DatabaseConnection,
    user: Option<&SessionUser>,
    input: &NewApplicant,
    lang: Lang,
) -> Result<applicant::Model, AppError> {
    clerk_departments(user)?;
    let number = parse_number(&input.number, lang)?;
    let mut errors = Vec::new();
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        errors.push((
            "name".to_string(),
            lang.pick("请填写姓名或名称", "請填寫姓名或名稱", "Enter the name").to_string(),
        ));
    }
    let mobile = match input.mobile.trim().parse::<Mobile>() {
        Ok(m) => Some(m),
        Err(e) => {
            errors.push(("mobile".into(), e.message(lang)));
            None
        }
    };
    let enterprise = matches!(number, Number::Enterprise(_));
    if enterprise && input.contact_name.trim().is_empty() {
        errors.push((
            "contact_name".into(),
            lang.pick("请填写经办人姓名", "請填寫經辦人姓名", "Enter the contact person").into(),
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let tx = super::db::write_tx(db).await?;
    if find(&tx, &number).await?.is_some() {
        return Err(AppError::field(
            "number",
            lang.pick("该申请人已登记", "該申請人已登記", "This applicant is already registered"),
        ));
    }
    let (kind, id_card, credit) = match &number {
        Number::Person(id) => ("person", Some(id.to_string()), None),
        Number::Enterprise(c) => ("enterprise", None, Some(c.to_string())),
    };
    let a = applicant::ActiveModel {
        kind: Set(kind.into()),
        name: Set(name.into()),
        id_card_no: Set(id_card),
        credit_code: Set(credit),
        contact_name: Set(enterprise.then(|| input.contact_name.trim().to_string())),
        mobile: Set(mobile.map(|m| m.to_string()).unwrap_or_default()),
        password_hash: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    tx.commit().await?;
    Ok(a)
}

/// Starts (or reopens) the clerk's counter application for an applicant and an item of one of
/// the clerk's departments.
pub async fn start(
    db: &DatabaseConnection,
    user: Option<&SessionUser>,
    applicant_id: i32,
    item_code: &str,
    lang: Lang,
) -> Result<i32, AppError> {
    let deps = clerk_departments(user)?;
    let staff_id = match user {
        Some(SessionUser::Staff { id, .. }) => *id,
        _ => return Err(AppError::Forbidden),
    };
    let code = item_code.trim().to_uppercase();
    let Some(it) = super::catalog::newest_published(db, &code).await? else {
        return Err(AppError::field("item", lang.pick("请选择办理事项", "請選擇辦理事項", "Choose a service")));
    };
    if !deps.contains(&it.department_id) {
        return Err(AppError::Forbidden);
    }
    applicant::Entity::find_by_id(applicant_id).one(db).await?.ok_or(AppError::NotFound)?;
    let existing = case::Entity::find()
        .filter(case::Column::IntakeStaffId.eq(staff_id))
        .filter(case::Column::ApplicantId.eq(applicant_id))
        .filter(case::Column::ItemId.eq(it.id))
        .filter(case::Column::State.eq(CaseState::Draft.code()))
        .one(db)
        .await?;
    if let Some(c) = existing {
        return Ok(c.id);
    }
    Ok(super::cases::create_draft(db, applicant_id, &code, &Default::default(), Some(staff_id)).await?.id)
}

/// The body of the server function `api::intake_applicant`: a walk-in applicant registered,
/// back to the intake page for their number (with the errors and what was typed, if refused).
pub async fn new_applicant(input: NewApplicant) -> Result<(), ServerFnError> {
    let mut call = FormCall::current()?;
    let reply = match call.extract::<Staff>().await {
        Ok(Staff(user)) => new_applicant_reply(&call.st, &user, &input, call.lang).await,
        Err(r) => r,
    };
    call.answer(reply)
}

async fn new_applicant_reply(st: &AppState, user: &SessionUser, input: &NewApplicant, lang: Lang) -> Response {
    let page = format!("/staff/intake?number={}", input.number.trim().to_uppercase());
    match create_applicant(&st.db, Some(user), input, lang).await {
        Ok(_) => {
            let msg = lang.pick(
                "已登记申请人，请选择办理事项",
                "已登記申請人，請選擇辦理事項",
                "Applicant registered: choose the service",
            );
            see_other(&page, vec![super::edge::notice(st, "intake", msg.into())])
        }
        Err(e @ AppError::Forbidden) => e.into_response(),
        Err(e) => {
            let values: BTreeMap<String, String> = [
                ("name".to_string(), input.name.clone()),
                ("contact_name".into(), input.contact_name.clone()),
                ("mobile".into(), input.mobile.clone()),
            ]
            .into();
            back_with_errors(st, &page, "intake", values, &e, lang)
        }
    }
}

/// The body of the server function `api::intake_start`: the counter's draft for this applicant
/// and item (the same one again if it exists), or back to the intake page.
pub async fn start_form(applicant: i32, item: String, number: String) -> Result<(), ServerFnError> {
    let mut call = FormCall::current()?;
    let reply = match call.extract::<Staff>().await {
        Ok(Staff(user)) => match start(&call.st.db, Some(&user), applicant, &item, call.lang).await {
            Ok(id) => see_other(&format!("/applications/{id}"), vec![]),
            Err(e @ AppError::Forbidden) => e.into_response(),
            Err(e) => {
                let page = format!("/staff/intake?number={}", number.trim().to_uppercase());
                back_with_errors(&call.st, &page, "intake", BTreeMap::new(), &e, call.lang)
            }
        },
        Err(r) => r,
    };
    call.answer(reply)
}
