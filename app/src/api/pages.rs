//! One server function for the pages made on the server (see `pages::ServerPage`): the HTML of
//! the page at an address, or where to go instead.

use leptos::prelude::*;
use leptos::server_fn::ServerFnError;

use crate::models::ServerHtml;

#[cfg(feature = "ssr")]
use super::glue;

#[server(prefix = "/api", endpoint = "page_html")]
pub async fn page_html(path: String, query: String) -> Result<ServerHtml, ServerFnError> {
    use std::collections::BTreeMap;

    use leptos::tachys::view::RenderHtml;

    use crate::models::SessionUser;
    use crate::pages::{backoffice, cases, public};
    use crate::server::{backoffice as office, cases as case_service, guard, journey, AppError};

    let c = glue::ctx().await?;
    let lang = c.lang;
    let q: BTreeMap<String, String> = serde_urlencoded::from_str(query.trim_start_matches('?')).unwrap_or_default();
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    let segs: Vec<String> = path.trim_matches('/').split('/').map(str::to_string).collect();
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    let page = |title: &str, html: String| ServerHtml::Html {
        title: format!("{title} · {}", lang.pick("通办", "通辦", "Tongban")),
        html,
    };
    let run = async {
        let db = &c.state.db;
        let cal = c.state.calendar();
        let today = rules::validators::china_today();
        let user = guard::caller(&c.state, &c.headers).await?;
        Ok::<ServerHtml, AppError>(match segs.as_slice() {
            ["ledger"] => {
                let l = journey::ledger(db, get("page").parse().unwrap_or(1)).await?;
                page(
                    lang.pick("登记台账公示", "登記台賬公示", "Public register"),
                    public::render_ledger(l, lang).to_html(),
                )
            }
            ["verify", code] => {
                let v = match journey::verify(db, code).await {
                    Ok(v) => Some(v),
                    Err(AppError::NotFound) => {
                        if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
                            resp.set_status(http::StatusCode::NOT_FOUND);
                        }
                        None
                    }
                    Err(e) => return Err(e),
                };
                page(lang.pick("文书验证", "文書驗證", "Verify a document"), public::render_verify(v, lang).to_html())
            }
            ["inbox"] => match user {
                Some(SessionUser::Applicant { id, .. }) => {
                    let list = journey::inbox(db, id).await?;
                    page(lang.pick("消息", "訊息", "Messages"), public::render_inbox(list, lang).to_html())
                }
                Some(_) => return Err(AppError::Forbidden),
                None => ServerHtml::Redirect("/login?next=/inbox".into()),
            },
            ["cases", id] => {
                let id: i32 = id.parse().map_err(|_| AppError::NotFound)?;
                if user.is_none() {
                    return Ok(ServerHtml::Redirect(format!("/login?next=/cases/{id}")));
                }
                let applicant = guard::require_applicant(user.as_ref())?;
                let d = case_service::detail_for_applicant(db, &cal, applicant, id, today).await?;
                let mut flash = None;
                for form in ["case", "rating", "complaint"] {
                    if let Some(f) =
                        super::take_flash(form.into()).await.map_err(|e| AppError::internal(e.to_string()))?
                    {
                        flash = Some(f);
                        break;
                    }
                }
                let title = d.summary.item_name.clone();
                let submitted = q.contains_key("submitted");
                page(&title, cases::render_case(d, flash.unwrap_or_default(), submitted, lang).to_html())
            }
            ["staff", "queue"] => {
                if user.is_none() {
                    return Ok(ServerHtml::Redirect("/staff/login?next=/staff/queue".into()));
                }
                let (bucket, search, cursor, item) = (get("bucket"), get("q"), get("after"), get("item"));
                let query = office::QueueQuery { bucket: &bucket, search: &search, cursor: &cursor, item: &item };
                let p = office::queue(db, &cal, user.as_ref(), query, today).await?;
                page(
                    lang.pick("办件队列", "辦件隊列", "Queues"),
                    backoffice::render_queue(p, &get("q"), lang).to_html(),
                )
            }
            ["staff", "intake"] => {
                if user.is_none() {
                    return Ok(ServerHtml::Redirect("/staff/login?next=/staff/intake".into()));
                }
                let v = crate::server::intake::view(db, user.as_ref(), &get("number"), lang).await?;
                let flash = super::take_flash("intake".into())
                    .await
                    .map_err(|e| AppError::internal(e.to_string()))?
                    .unwrap_or_default();
                page(
                    lang.pick("窗口帮办", "窗口幫辦", "Counter intake"),
                    backoffice::render_intake(v, flash, lang).to_html(),
                )
            }
            ["staff", "cases", id] => {
                let id: i32 = id.parse().map_err(|_| AppError::NotFound)?;
                if user.is_none() {
                    return Ok(ServerHtml::Redirect(format!("/staff/login?next=/staff/cases/{id}")));
                }
                let sc = office::staff_case(db, user.as_ref(), id, today).await?;
                let flash = super::take_flash("staff_case".into())
                    .await
                    .map_err(|e| AppError::internal(e.to_string()))?
                    .unwrap_or_default();
                let title = sc.case_no.clone();
                page(&title, backoffice::render_staff_case(sc, flash, lang).to_html())
            }
            _ => return Err(AppError::NotFound),
        })
    };
    run.await.map_err(|e| glue::fail(e, lang))
}
