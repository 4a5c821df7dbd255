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
