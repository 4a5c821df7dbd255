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
                    target: masked(&n),
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
                    identity_checked: a.identity_checked_on.is_some(),
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
        .filter(case::Column::State.eq(CaseState::Draft))
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

/// A walk-in's particulars as the counter typed them, checked.
struct WalkIn {
    number: Number,
    name: String,
    /// an enterprise's contact person
    contact: Option<String>,
    mobile: Mobile,
    /// the language their notices go out in
    notice_lang: Lang,
}

/// Checks what the counter typed: every error at once.
fn walk_in(input: &NewApplicant, lang: Lang) -> Result<WalkIn, AppError> {
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
    // none chosen: the hall's usual language, whatever the clerk's screen shows
    let notice_lang = match input.notice_lang.trim() {
        "" => Some(Lang::default()),
        tag => match super::accounts::notice_lang_of(tag, lang) {
            Ok(l) => Some(l),
            Err(AppError::Invalid(mut e)) => {
                errors.append(&mut e);
                None
            }
            Err(e) => return Err(e),
        },
    };
    let enterprise = matches!(number, Number::Enterprise(_));
    if enterprise && input.contact_name.trim().is_empty() {
        errors.push((
            "contact_name".into(),
            lang.pick("请填写经办人姓名", "請填寫經辦人姓名", "Enter the contact person").into(),
        ));
    }
    match (mobile, notice_lang) {
        (Some(mobile), Some(notice_lang)) if errors.is_empty() => Ok(WalkIn {
            number,
            name: name.to_string(),
            contact: enterprise.then(|| input.contact_name.trim().to_string()),
            mobile,
            notice_lang,
        }),
        _ => Err(AppError::Invalid(errors)),
    }
}

/// The row of a walk-in whose identity document the clerk `staff_id` checked in person today.
fn checked_walk_in(w: WalkIn, staff_id: i32, today: chrono::NaiveDate) -> applicant::ActiveModel {
    let (kind, id_card, credit) = match &w.number {
        Number::Person(id) => (rules::materials::ApplicantKind::Person, Some(id.to_string()), None),
        Number::Enterprise(c) => (rules::materials::ApplicantKind::Enterprise, None, Some(c.to_string())),
    };
    applicant::ActiveModel {
        kind: Set(kind),
        name: Set(w.name),
        id_card_no: Set(id_card),
        credit_code: Set(credit),
        contact_name: Set(w.contact),
        mobile: Set(w.mobile.to_string()),
        password_hash: Set(None),
        created_at: Set(Utc::now()),
        identity_checked_on: Set(Some(today)),
        identity_checked_by: Set(Some(staff_id)),
        notice_lang: Set(w.notice_lang.tag().into()),
        ..Default::default()
    }
}

fn staff_id_of(user: Option<&SessionUser>) -> Result<i32, AppError> {
    match user {
        Some(SessionUser::Staff { id, .. }) => Ok(*id),
        _ => Err(AppError::Forbidden),
    }
}

fn masked(number: &Number) -> String {
    match number {
        Number::Person(id) => id.masked(),
        Number::Enterprise(c) => c.masked(),
    }
}

/// Registers a walk-in applicant without a password, from the identity document the clerk has in
/// hand (they can sign up online later with the same number to follow their cases).
pub async fn create_applicant(
    db: &DatabaseConnection,
    user: Option<&SessionUser>,
    input: &NewApplicant,
    today: chrono::NaiveDate,
    lang: Lang,
) -> Result<applicant::Model, AppError> {
    clerk_departments(user)?;
    let staff_id = staff_id_of(user)?;
    let w = walk_in(input, lang)?;
    let tx = super::db::write_tx(db).await?;
    if find(&tx, &w.number).await?.is_some() {
        return Err(AppError::field(
            "number",
            lang.pick("该申请人已登记", "該申請人已登記", "This applicant is already registered"),
        ));
    }
    let a = checked_walk_in(w, staff_id, today).insert(&tx).await?;
    tx.commit().await?;
    Ok(a)
}

/// The real holder of a number takes it back from an account someone else opened with it
/// online (S1): the clerk has checked their identity document in person; that account is frozen
/// (it signs in no more, its sessions end, its number is cleared) and the holder gets a counter
/// account of their own with the number, in one transaction; the security log keeps both ids. An
/// account whose holder was already checked at a window is not taken this way.
pub async fn reclaim(
    db: &DatabaseConnection,
    user: Option<&SessionUser>,
    input: &NewApplicant,
    address: &str,
    today: chrono::NaiveDate,
    lang: Lang,
) -> Result<applicant::Model, AppError> {
    clerk_departments(user)?;
    let staff_id = staff_id_of(user)?;
    let w = walk_in(input, lang)?;
    if input.identity_checked != "on" {
        return Err(AppError::field(
            "identity_checked",
            lang.pick(
                "请先核对来人的身份证件原件，并勾选确认",
                "請先核對來人的身分證件原件，並勾選確認",
                "Check the person's identity document first, and tick to confirm",
            ),
        ));
    }
    let tx = super::db::write_tx(db).await?;
    let Some(old) = find(&tx, &w.number).await? else {
        return Err(AppError::NotFound);
    };
    if old.identity_checked_on.is_some() {
        return Err(AppError::field(
            "identity_checked",
            lang.pick(
                "该账户的持有人已在窗口核验过身份，不能在此收回；请报负责人处理",
                "該帳戶的持有人已在窗口核驗過身分，不能在此收回；請報負責人處理",
                "This account's holder was checked at a window: it cannot be taken back here; refer it to the head",
            ),
        ));
    }
    let mut frozen: applicant::ActiveModel = old.clone().into();
    frozen.frozen_at = Set(Some(Utc::now()));
    frozen.id_card_no = Set(None);
    frozen.credit_code = Set(None);
    frozen.update(&tx).await?;
    let target = masked(&w.number);
    let holder = checked_walk_in(w, staff_id, today).insert(&tx).await?;
    super::auth::end_sessions_of(&tx, super::auth::PrincipalKind::Applicant, old.id).await?;
    let event = super::audit::SecurityEvent {
        who: super::audit::Who::Staff(staff_id),
        event: "identity.reclaimed",
        target,
        outcome: super::audit::Outcome::Ok,
        address,
        detail: format!("applicant {} frozen; applicant {} for the holder checked in person", old.id, holder.id),
    };
    super::audit::security(&tx, event).await?;
    tx.commit().await?;
    Ok(holder)
}

/// Starts (or reopens) the clerk's counter application for an applicant and an item of one of
/// the clerk's departments.
pub async fn start(
    db: &DatabaseConnection,
    user: Option<&SessionUser>,
    applicant_id: i32,
    item_code: &str,
    // the clerk ticked the identity check, from this address (`None`: no tick)
    ticked_from: Option<&str>,
    today: chrono::NaiveDate,
    lang: Lang,
) -> Result<i32, AppError> {
    let deps = clerk_departments(user)?;
    let staff_id = staff_id_of(user)?;
    let code = item_code.trim().to_uppercase();
    let Some(it) = super::catalog::newest_published(db, &code).await? else {
        return Err(AppError::field("item", lang.pick("请选择办理事项", "請選擇辦理事項", "Choose a service")));
    };
    if !deps.contains(&it.department_id) {
        return Err(AppError::Forbidden);
    }
    let a = applicant::Entity::find_by_id(applicant_id)
        .one(db)
        .await?
        .filter(|a| a.frozen_at.is_none())
        .ok_or(AppError::NotFound)?;
    // a case goes only to an account whose holder a clerk has checked in person (S1): one
    // registered online proved a mobile, not who holds the number
    if a.identity_checked_on.is_none() {
        let Some(address) = ticked_from else {
            return Err(AppError::field(
                "identity_checked",
                lang.pick(
                    "该账户为网上注册：请先核对申请人本人的身份证件原件，并勾选确认",
                    "該帳戶為網上註冊：請先核對申請人本人的身分證件原件，並勾選確認",
                    "This account was opened online: check the applicant's identity document first, and tick to confirm",
                ),
            ));
        };
        let mut am: applicant::ActiveModel = a.clone().into();
        am.identity_checked_on = Set(Some(today));
        am.identity_checked_by = Set(Some(staff_id));
        am.update(db).await?;
        let event = super::audit::SecurityEvent {
            who: super::audit::Who::Staff(staff_id),
            event: "identity.checked",
            target: format!("applicant {}", a.id),
            outcome: super::audit::Outcome::Ok,
            address,
            detail: String::new(),
        };
        super::audit::security(db, event).await?;
    }
    let existing = case::Entity::find()
        .filter(case::Column::IntakeStaffId.eq(staff_id))
        .filter(case::Column::ApplicantId.eq(applicant_id))
        .filter(case::Column::ItemId.eq(it.id))
        .filter(case::Column::State.eq(CaseState::Draft))
        .one(db)
        .await?;
    if let Some(c) = existing {
        return Ok(c.id);
    }
    Ok(super::cases::create_draft(db, applicant_id, &code, &Default::default(), Some(staff_id), None).await?.id)
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
    match create_applicant(&st.db, Some(user), input, st.today(), lang).await {
        Ok(_) => {
            let msg = lang.pick(
                "已登记申请人，请选择办理事项",
                "已登記申請人，請選擇辦理事項",
                "Applicant registered: choose the service",
            );
            see_other(&page, vec![super::edge::notice(st, "intake", msg.into())])
        }
        Err(e @ AppError::Forbidden) => e.into_response(),
        Err(e) => back_with_errors(st, &page, "intake", input.echo(), &e, lang),
    }
}

/// The body of the server function `api::intake_start`: the counter's draft for this applicant
/// and item (the same one again if it exists), or back to the intake page.
pub async fn start_form(
    applicant: i32,
    item: String,
    number: String,
    identity_checked: String,
) -> Result<(), ServerFnError> {
    let mut call = FormCall::current()?;
    let today = call.st.today();
    let ticked = (identity_checked == "on").then(|| call.client_ip().to_string());
    let reply = match call.extract::<Staff>().await {
        Ok(Staff(user)) => {
            match start(&call.st.db, Some(&user), applicant, &item, ticked.as_deref(), today, call.lang).await {
                Ok(id) => see_other(&format!("/applications/{id}"), vec![]),
                Err(e @ AppError::Forbidden) => e.into_response(),
                Err(e) => {
                    let page = format!("/staff/intake?number={}", number.trim().to_uppercase());
                    back_with_errors(&call.st, &page, "intake", BTreeMap::new(), &e, call.lang)
                }
            }
        }
        Err(r) => r,
    };
    call.answer(reply)
}

/// The body of the server function `api::intake_reclaim`: the number taken back for the holder
/// standing at the counter, back to the intake page for it.
pub async fn reclaim_form(input: NewApplicant) -> Result<(), ServerFnError> {
    let mut call = FormCall::current()?;
    let (today, address) = (call.st.today(), call.client_ip().to_string());
    let reply = match call.extract::<Staff>().await {
        Ok(Staff(user)) => {
            let page = format!("/staff/intake?number={}", input.number.trim().to_uppercase());
            match reclaim(&call.st.db, Some(&user), &input, &address, today, call.lang).await {
                Ok(_) => {
                    let msg = call.lang.pick(
                        "已冻结冒用该号码的账户，并为本人登记；可开始帮办",
                        "已凍結冒用該號碼的帳戶，並為本人登記；可開始幫辦",
                        "The account that used this number is frozen and the holder registered: start the application",
                    );
                    see_other(&page, vec![super::edge::notice(&call.st, "intake", msg.into())])
                }
                Err(e @ AppError::Forbidden) => e.into_response(),
                Err(e) => back_with_errors(&call.st, &page, "intake", input.echo(), &e, call.lang),
            }
        }
        Err(r) => r,
    };
    call.answer(reply)
}
