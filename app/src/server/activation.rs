//! A walk-in goes online (J, item 3). Someone registered at the counter (a number, a name and a
//! mobile, their identity document checked by the clerk, no password) opens the online account
//! of that registration at `/activate`: the number and the mobile on file, a code texted to that
//! mobile, a new password. It is the same account — never a second one for the number — so the
//! counter's cases are in "my cases" from then on.
//!
//! Whether a number has a counter registration is not told before the mobile is proved: the
//! code's step answers alike whether a code went out or not.

use chrono::Utc;
use leptos::server_fn::ServerFnError;
use rules::{Lang, Mobile};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::audit::{self, Who};
use super::auth::{self, PrincipalKind};
use super::edge::{back_with_errors, flash_cookie, notice, see_other, FormCall};
use super::entities::applicant;
use super::error::AppError;
use super::sms::{self, Purpose};
use crate::models::{validate_activation, HolderNumber, RegisterInput, ACTIVATE_CODE_FIELDS, ACTIVATE_FIELDS};

const PAGE: &str = "/activate";
const FORM: &str = "activate";

/// The counter registration of `number` with `mobile` on file that has no password yet (and was
/// not frozen by a take-back).
async fn waiting(
    db: &impl ConnectionTrait,
    number: &HolderNumber,
    mobile: &Mobile,
) -> Result<Option<applicant::Model>, AppError> {
    let q = applicant::Entity::find();
    let q = match number {
        HolderNumber::Person(id) => q.filter(applicant::Column::IdCardNo.eq(id.as_str())),
        HolderNumber::Enterprise(c) => q.filter(applicant::Column::CreditCode.eq(c.as_str())),
    };
    Ok(q.one(db).await?.filter(|a| a.password_hash.is_none() && a.frozen_at.is_none() && a.mobile == mobile.as_str()))
}

fn number_field(number: &HolderNumber) -> &'static str {
    match number {
        HolderNumber::Person(_) => "id_card_no",
        HolderNumber::Enterprise(_) => "credit_code",
    }
}

/// Sets the password of the counter registration, once its mobile is proved by `code`.
pub async fn activate(
    db: &DatabaseConnection,
    input: &RegisterInput,
    address: &str,
    lang: Lang,
) -> Result<applicant::Model, AppError> {
    let (number, mobile) = validate_activation(input, &ACTIVATE_FIELDS, lang).map_err(AppError::Invalid)?;
    sms::use_code(db, Purpose::Activate, &mobile, &input.sms_code, lang).await?;
    // Hash first, outside the write transaction: argon2 is slow by design.
    let hash = auth::hash_password(input.password.clone()).await?;
    let tx = super::db::write_tx(db).await?;
    let Some(a) = waiting(&tx, &number, &mobile).await? else {
        return Err(AppError::field(
            number_field(&number),
            lang.pick(
                "没有与该证件号码和手机号一致、待开通的窗口登记：如已开通，请直接登录；如手机号已更换，请持证件到服务窗口更新",
                "沒有與該證件號碼和手機號一致、待開通的窗口登記：如已開通，請直接登入；如手機號已更換，請持證件到服務窗口更新",
                "No counter registration with this number and mobile is waiting to be opened: log in if you opened it; if your mobile changed, bring your ID to the service window",
            ),
        ));
    };
    if super::accounts::mobile_signs_in(&tx, &mobile).await? {
        return Err(AppError::field(
            "mobile",
            lang.pick(
                "该手机号已用于另一个网上账户，请持证件到服务窗口更换手机号",
                "該手機號已用於另一個網上帳戶，請持證件到服務窗口更換手機號",
                "This mobile signs in another account: bring your ID to the service window to change it",
            ),
        ));
    }
    let set = applicant::Entity::update_many()
        .col_expr(applicant::Column::PasswordHash, Expr::value(Some(hash.into_stored())))
        .filter(applicant::Column::Id.eq(a.id))
        .filter(applicant::Column::PasswordHash.is_null())
        .exec(&tx)
        .await?;
    AppError::one_row(set.rows_affected).map_err(|_| AppError::Stale)?;
    let event = audit::SecurityEvent {
        who: Who::Applicant(a.id),
        event: "account.activated",
        target: a.id.to_string(),
        outcome: audit::Outcome::Ok,
        address,
        detail: format!("counter registration opened online at {}", Utc::now().to_rfc3339()),
    };
    audit::security(&tx, event).await?;
    tx.commit().await?;
    Ok(a)
}

/// The body of `api::activate`: signed in and on to "my cases", or the form again.
pub async fn activate_form(input: RegisterInput) -> Result<(), ServerFnError> {
    let call = FormCall::current()?;
    let (st, lang) = (&call.st, call.lang);
    let result = async {
        let a = activate(&st.db, &input, call.client_ip(), lang).await?;
        super::forms::start_session(st, call.headers(), PrincipalKind::Applicant, a.id, call.client_ip()).await
    }
    .await;
    let reply = match result {
        Ok(cookie) => {
            let msg = lang.pick(
                "网上账户已开通，您已登录：在窗口办理的事项都在这里",
                "網上帳戶已開通，您已登入：在窗口辦理的事項都在這裡",
                "Your online account is open and you are logged in: what you applied for at the counter is here",
            );
            see_other("/cases", vec![cookie, notice(st, "cases", msg.to_string())])
        }
        Err(e) => back_with_errors(st, PAGE, FORM, input.echo(), &e, lang),
    };
    call.answer(reply)
}

/// The body of `api::send_activation_code`: a code to the mobile when it is the one on file for
/// the number (the same answer when it is not), and the form again with what was typed.
pub async fn send_code_form(input: RegisterInput) -> Result<(), ServerFnError> {
    let call = FormCall::current()?;
    let (st, lang) = (&call.st, call.lang);
    let result = async {
        let (number, mobile) = validate_activation(&input, &ACTIVATE_CODE_FIELDS, lang).map_err(AppError::Invalid)?;
        if waiting(&st.db, &number, &mobile).await?.is_some() {
            sms::send_code(st, Purpose::Activate, &mobile, call.client_ip(), lang).await?;
        }
        Ok::<_, AppError>(mobile)
    }
    .await;
    let reply = match result {
        Ok(mobile) => {
            let (m, min) = (mobile.masked(), sms::VALID_MINUTES);
            let text = match lang {
                Lang::ZhHans => format!("如证件号码与窗口登记的手机号一致，验证码已发送至 {m}，{min} 分钟内有效；未收到的，请持证件到服务窗口核对手机号"),
                Lang::ZhHant => format!("如證件號碼與窗口登記的手機號一致，驗證碼已發送至 {m}，{min} 分鐘內有效；未收到的，請持證件到服務窗口核對手機號"),
                Lang::En => format!("If this is the mobile the counter registered for the number, a code was sent to {m}, valid for {min} minutes; if none comes, bring your ID to the service window"),
            };
            let flash = crate::models::Flash {
                form: FORM.into(),
                values: input.echo(),
                errors: Default::default(),
                notice: Some(text),
            };
            see_other(PAGE, vec![flash_cookie(&flash, st.settings.secure())])
        }
        Err(e) => back_with_errors(st, PAGE, FORM, input.echo(), &e, lang),
    };
    call.answer(reply)
}
