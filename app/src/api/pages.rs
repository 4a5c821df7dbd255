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
    use crate::server::{backoffice as office, guard, journey, AppError};

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
    // a form's flash (errors and values after a refused post), or none
    let flash = |form: &'static str| async move {
        super::take_flash(form.into())
            .await
            .map_err(|e| AppError::internal(e.to_string()))
            .map(Option::unwrap_or_default)
    };
    let run = async {
        let db = &c.state.db;
        let cal = c.state.calendar();
        let today = rules::validators::china_today();
        let user = guard::render_caller(&c.state, &c.headers).await?;
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
                let d = journey::detail_for_applicant(db, &cal, applicant, id, today).await?;
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
                let flash = flash("intake").await?;
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
                let flash = flash("staff_case").await?;
                let title = sc.case_no.clone();
                page(&title, backoffice::render_staff_case(sc, flash, lang).to_html())
            }
            ["staff", "supervision"] => {
                if user.is_none() {
                    return Ok(ServerHtml::Redirect("/staff/login?next=/staff/supervision".into()));
                }
                let dep = get("dep").parse().ok();
                let d = crate::server::supervision::dashboard(db, &cal, user.as_ref(), dep, today, lang).await?;
                let flash = flash("supervision").await?;
                page(
                    lang.pick("电子监察", "電子監察", "Supervision"),
                    crate::pages::supervision::render_dashboard(d, flash, lang).to_html(),
                )
            }
            ["staff", "inquiries"] => {
                if user.is_none() {
                    return Ok(ServerHtml::Redirect("/staff/login?next=/staff/inquiries".into()));
                }
                let d = crate::server::inquiry::desk(db, user.as_ref(), &get("q")).await?;
                let flash = flash("inquiry").await?;
                page(
                    lang.pick("首问登记", "首問登記", "First-inquiry desk"),
                    crate::pages::supervision::render_inquiries(d, flash, lang).to_html(),
                )
            }
            ["staff", "admin", rest @ ..] if rest.first() != Some(&"tokens") => {
                if user.is_none() {
                    return Ok(ServerHtml::Redirect(format!("/staff/login?next={path}")));
                }
                use crate::pages::admin as pa;
                use crate::server::admin as sa;
                let flash = flash("admin").await?;
                let u = user.as_ref();
                let title = |t: (&'static str, &'static str, &'static str)| lang.pick(t.0, t.1, t.2);
                match rest {
                    [] => page(
                        title(("部门与人员", "部門與人員", "Departments and staff")),
                        pa::render_admin_home(sa::home(db, u, lang).await?, flash, lang).to_html(),
                    ),
                    ["calendar"] => page(
                        title(("节假日日历", "節假日日曆", "Holiday calendar")),
                        pa::render_calendar(sa::calendar_view(db, u, get("year").parse().ok()).await?, flash, lang)
                            .to_html(),
                    ),
                    ["templates"] => page(
                        title(("通知模板", "通知模板", "Notice templates")),
                        pa::render_templates(sa::templates_view(db, u).await?, flash, lang).to_html(),
                    ),
                    ["items"] => page(
                        title(("事项目录", "事項目錄", "Item catalog")),
                        pa::render_items(sa::items_view(db, u).await?, lang).to_html(),
                    ),
                    ["items", code] => {
                        let e = sa::item_editor(db, u, code, &q, lang).await?;
                        page(&e.name.clone(), pa::render_item_editor(e, flash, lang).to_html())
                    }
                    _ => return Err(AppError::NotFound),
                }
            }
            ["staff", "admin", "tokens"] => {
                if user.is_none() {
                    return Ok(ServerHtml::Redirect("/staff/login?next=/staff/admin/tokens".into()));
                }
                let (tokens, deps) = crate::server::api_v1::token_lines(db, user.as_ref()).await?;
                let flash = flash("tokens").await?;
                page(
                    lang.pick("接口令牌", "介面權杖", "API tokens"),
                    crate::pages::admin::render_tokens(tokens, deps, flash, lang).to_html(),
                )
            }
            ["staff", "stats"] => {
                if user.is_none() {
                    return Ok(ServerHtml::Redirect("/staff/login?next=/staff/stats".into()));
                }
                let (by, from, to, dep) = crate::server::supervision_forms::stats_query(&q);
                let s = crate::server::supervision::statistics(db, user.as_ref(), &by, from, to, dep).await?;
                let qs = format!(
                    "?by={}&from={}&to={}{}",
                    s.by,
                    s.from,
                    s.to,
                    s.department.map(|d| format!("&dep={d}")).unwrap_or_default()
                );
                page(
                    lang.pick("统计分析", "統計分析", "Statistics"),
                    crate::pages::supervision::render_stats(s, qs, lang).to_html(),
                )
            }
            _ => return Err(AppError::NotFound),
        })
    };
    run.await.map_err(|e| glue::fail(e, lang))
}
