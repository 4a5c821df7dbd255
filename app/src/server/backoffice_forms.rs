//! The back office's action forms (post → redirect → get, through the server function
//! `api::staff_act`): the action, then back to the case page with what was done, or with the
//! form's values and errors. The notices a case produces are `server::notices`.

use axum::response::{IntoResponse, Response};

use leptos::server_fn::ServerFnError;

use super::backoffice;
use super::edge::{back_with_errors, notice, see_other, Caller, FormCall};
use super::error::AppError;
use crate::models::{SessionUser, StaffAction};

/// The body of the server function `staff_act` (every action form of a case posts to it): the
/// action, then back to the case page with what was done, or with the form's values and errors.
pub async fn act(case: String, version: String, action: StaffAction) -> Result<(), ServerFnError> {
    let mut call = FormCall::current()?;
    let reply = act_reply(&mut call, &case, &version, &action).await;
    call.answer(reply)
}

async fn act_reply(call: &mut FormCall, case: &str, version: &str, action: &StaffAction) -> Response {
    let (st, lang) = (call.st.clone(), call.lang);
    let Ok(case_id) = case.trim().parse::<i32>() else { return AppError::NotFound.into_response() };
    let page = format!("/staff/cases/{case_id}");
    let user = match call.extract::<Caller>().await {
        Ok(Caller(Some(u @ SessionUser::Staff { .. }))) => u,
        Ok(_) => return see_other(&format!("/staff/login?next={page}"), vec![]),
        Err(e) => return e.into_response(),
    };
    // the version the clerk saw; anything else is a page to reload
    let version = version.trim().parse().unwrap_or(-1);
    let seen = backoffice::SeenCase { id: case_id, version };
    match backoffice::act(&st.db, &st.calendar(), Some(&user), seen, action, st.today(), lang).await {
        Ok(_) => {
            let label = crate::models::staff_action_label(action.code(), lang);
            let msg = match lang {
                rules::Lang::En => format!("Done: {label}"),
                _ => format!("已办理：{label}"),
            };
            see_other(&page, vec![notice(&st, "staff_case", msg)])
        }
        Err(e @ AppError::Forbidden) => e.into_response(),
        Err(e) => back_with_errors(&st, &page, "staff_case", action.values(), &e, lang),
    }
}

/// The body of the server function `accept_bundle`: the window accepts at once every case of the
/// case's 一件事 application it may accept (`versions`: `case:version` pairs as the page showed
/// them), then back to the case page.
pub async fn accept_bundle(case: String, versions: String) -> Result<(), ServerFnError> {
    let mut call = FormCall::current()?;
    let (st, lang) = (call.st.clone(), call.lang);
    let Ok(case_id) = case.trim().parse::<i32>() else { return call.answer(AppError::NotFound.into_response()) };
    let page = format!("/staff/cases/{case_id}");
    let user = match call.extract::<Caller>().await {
        Ok(Caller(Some(u @ SessionUser::Staff { .. }))) => u,
        Ok(_) => return call.answer(see_other(&format!("/staff/login?next={page}"), vec![])),
        Err(e) => return call.answer(e.into_response()),
    };
    let seen: std::collections::BTreeMap<i32, i32> = versions
        .split(',')
        .filter_map(|p| p.split_once(':'))
        .filter_map(|(c, v)| Some((c.trim().parse().ok()?, v.trim().parse().ok()?)))
        .collect();
    let reply = match backoffice::accept_bundle(&st.db, &st.calendar(), &user, case_id, &seen, st.today(), lang).await {
        Ok(n) => {
            let msg = match lang {
                rules::Lang::En => format!("Accepted: {n} items of the combined application"),
                rules::Lang::ZhHant => format!("已一併受理一件事申請的 {n} 個事項"),
                rules::Lang::ZhHans => format!("已一并受理一件事申请的 {n} 个事项"),
            };
            see_other(&page, vec![notice(&st, "staff_case", msg)])
        }
        Err(e @ AppError::Forbidden) => e.into_response(),
        Err(e) => back_with_errors(&st, &page, "staff_case", Default::default(), &e, lang),
    };
    call.answer(reply)
}
