//! Pages for everyone, no account needed: the progress query, the public register (登记台账) and
//! the verification of result documents; and the applicant's inbox.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;
use rules::Lang;

use crate::api::public_progress;
use crate::components::{use_prefs, ServerError};
use crate::models::LedgerRow;
use crate::models::{SessionUser, TimelineEntry};
use crate::pages::loaded::{loaded, signed_in};
use crate::server::AppError;

/// A case's public timeline; `filing`: the case is a filing's (its states read as such).
pub fn timeline_view(entries: Vec<TimelineEntry>, filing: bool, lang: Lang) -> impl IntoView {
    view! {
        <ol class="timeline">
            {entries.into_iter().map(|e| view! {
                <li>
                    <time datetime=e.day.to_string()>{e.day.to_string()}</time>
                    <strong>{e.action.label(lang)}</strong>
                    <span class="tag">{e.to_state.label_for(filing, lang)}</span>
                    {(!e.comment.is_empty()).then(|| view! { <p>{e.comment.clone()}</p> })}
                </li>
            }).collect_view()}
        </ol>
    }
}

#[component]
pub fn ProgressPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let query = use_query_map();
    let asked = move || {
        let q = query.read();
        (q.get("case_no").unwrap_or_default(), q.get("who").unwrap_or_default())
    };
    let (case_no0, who0) = asked();
    let result = Resource::new(asked, |(c, w)| public_progress(c, w));
    let body = move || {
        Suspend::new(async move {
            match result.await {
                Ok(None) => ().into_any(),
                Ok(Some(p)) => view! {
                    <section class="panel" data-testid="progress-result">
                        <p class="caption">{p.case_no.clone()}</p>
                        <h2>{p.item_name.clone()}</h2>
                        <p class="meta"><span class="tag">{p.state.label_for(p.filing, lang)}</span></p>
                        <dl class="summary-list">
                            <div><dt>{lang.pick("受理部门", "受理部門", "Department")}</dt><dd>{p.department.clone()}</dd></div>
                            {p.submitted_on.map(|d| view! { <div><dt>{lang.pick("提交日期", "提交日期", "Submitted")}</dt><dd>{d.to_string()}</dd></div> })}
                            {p.accepted_on.map(|d| view! { <div><dt>{lang.pick("受理日期", "受理日期", "Accepted")}</dt><dd>{d.to_string()}</dd></div> })}
                            {p.due_on.map(|d| view! { <div><dt>{lang.pick("办理期限", "辦理期限", "Due")}</dt><dd>{d.to_string()}</dd></div> })}
                        </dl>
                        <h3>{lang.pick("办理进度", "辦理進度", "Progress")}</h3>
                        {timeline_view(p.timeline, p.filing, lang)}
                    </section>
                }
                .into_any(),
                Err(e) => view! { <div class="error-summary"><ServerError error=e/></div> }.into_any(),
            }
        })
    };
    view! {
        <Title text=lang.pick("办件进度查询 · 通办", "辦件進度查詢 · 通辦", "Track a case · Tongban")/>
        <section class="panel narrow">
            <h1>{lang.pick("办件进度查询", "辦件進度查詢", "Track a case")}</h1>
            <p class="hint">{lang.pick("无需登录。请输入办件编号，以及申请人手机号或证件号码（身份证号、统一社会信用代码）的后 4 位。", "無需登入。請輸入辦件編號，以及申請人手機號或證件號碼（身分證號、統一社會信用代碼）的後 4 位。", "No account needed. Enter the case number and the last 4 characters of the applicant's mobile or ID number (or credit code).")}</p>
            <form method="get" action="/progress">
                <div class="field">
                    <label for="f-case_no">{lang.pick("办件编号", "辦件編號", "Case number")}</label>
                    <input id="f-case_no" name="case_no" value=case_no0 autocomplete="off" required/>
                </div>
                <div class="field">
                    <label for="f-who">{lang.pick("手机号或证件号码后 4 位", "手機號或證件號碼後 4 位", "Last 4 of mobile or ID number")}</label>
                    <input id="f-who" name="who" value=who0 autocomplete="off" required/>
                </div>
                <button type="submit" class="button">{lang.pick("查询", "查詢", "Search")}</button>
            </form>
        </section>
        <Suspense fallback=|| ()>{body}</Suspense>
    }
}

fn ledger_table(rows: Vec<LedgerRow>, lang: Lang, testid: &'static str, label: &'static str) -> impl IntoView {
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=label>
            <table class="table" data-testid=testid>
                <thead><tr>
                    <th scope="col">{lang.pick("收件日期", "收件日期", "Received")}</th>
                    <th scope="col">{lang.pick("办件编号", "辦件編號", "Case")}</th>
                    <th scope="col">{lang.pick("申请人", "申請人", "Applicant")}</th>
                    <th scope="col">{lang.pick("事项", "事項", "Service")}</th>
                    <th scope="col">{lang.pick("受理日期", "受理日期", "Accepted")}</th>
                    <th scope="col">{lang.pick("办理期限", "辦理期限", "Due")}</th>
                    <th scope="col">{lang.pick("状态", "狀態", "State")}</th>
                </tr></thead>
                <tbody>{rows.into_iter().map(|r| view! {
                    <tr>
                        <td>{r.submitted_on.to_string()}</td>
                        <td>{r.case_no}</td>
                        <td>{r.applicant}</td>
                        <td>{r.item_name}</td>
                        <td>{r.accepted_on.map(|d| d.to_string()).unwrap_or_else(|| "—".into())}</td>
                        <td>{r.due_on.map(|d| d.to_string()).unwrap_or_else(|| "—".into())}</td>
                        <td>{r.state.label(lang)}</td>
                    </tr>
                }).collect_view()}</tbody>
            </table>
        </div>
    }
}

/// The public register.
pub fn render_ledger(l: crate::models::LedgerPage, lang: Lang) -> impl IntoView {
    let (page, pages) = (l.page, l.pages);
    view! {
        <h1>{lang.pick("登记台账公示", "登記台賬公示", "Public register")}</h1>
        <p class="hint">{lang.pick("按收件顺序公示申请事项；申请人信息已隐去部分内容。", "按收件順序公示申請事項；申請人資訊已隱去部分內容。", "Applications in order of receipt; applicants' details are partly masked.")}</p>
        <section class="panel">
            <h2>{lang.pick("收件登记", "收件登記", "Received applications")}</h2>
            {ledger_table(l.rows, lang, "ledger", lang.pick("收件登记表", "收件登記表", "Received applications table"))}
            <nav class="pager" aria-label=lang.pick("分页", "分頁", "Pages")>
                {(page > 1).then(|| view! { <a href=format!("/ledger?page={}", page - 1)>{lang.pick("上一页", "上一頁", "Previous")}</a> })}
                <span>{format!("{page} / {pages}")}</span>
                {(page < pages).then(|| view! { <a href=format!("/ledger?page={}", page + 1)>{lang.pick("下一页", "下一頁", "Next")}</a> })}
            </nav>
        </section>
        <section class="panel">
            <h2>{lang.pick("办理结果公示", "辦理結果公示", "Published results")}</h2>
            {ledger_table(l.results, lang, "results", lang.pick("办理结果表", "辦理結果表", "Results table"))}
        </section>
    }
}

/// The verification of a result document (`None`: no document has the code).
pub fn render_verify(v: Option<crate::models::Verification>, lang: Lang) -> impl IntoView {
    let body = match v {
        Some(v) => view! {
            <section class="panel" data-testid="verification">
                {if v.revoked {
                    view! { <p class="warning-box" data-testid="revoked">{lang.pick("该文书已被撤销，不再有效。", "該文書已被撤銷，不再有效。", "This document has been revoked and is no longer valid.")}</p> }.into_any()
                } else {
                    view! { <p class="notice" data-testid="valid">{lang.pick("验证通过：该文书由本系统出具，真实有效。", "驗證通過：該文書由本系統出具，真實有效。", "Verified: this document was issued by this system and is valid.")}</p> }.into_any()
                }}
                <dl class="summary-list">
                    <div><dt>{lang.pick("文书", "文書", "Document")}</dt><dd>{v.title.clone()}</dd></div>
                    <div><dt>{lang.pick("事项", "事項", "Service")}</dt><dd>{v.item_name.clone()}</dd></div>
                    <div><dt>{lang.pick("持有人", "持有人", "Holder")}</dt><dd>{v.holder.clone()}</dd></div>
                    <div><dt>{lang.pick("出具日期", "出具日期", "Issued")}</dt><dd>{v.issued_on.to_string()}</dd></div>
                    <div><dt>{lang.pick("出具部门", "出具部門", "Department")}</dt><dd>{v.department.clone()}</dd></div>
                    <div><dt>{lang.pick("验证码", "驗證碼", "Code")}</dt><dd>{v.code.clone()}</dd></div>
                </dl>
            </section>
        }
        .into_any(),
        None => view! {
            <section class="panel" data-testid="verification">
                <p class="error-message" role="alert">{lang.pick("没有找到该验证码对应的文书。请核对验证码，或联系出具部门。", "沒有找到該驗證碼對應的文書。請核對驗證碼，或聯絡出具部門。", "No document has this code. Check the code or contact the issuing department.")}</p>
            </section>
        }
        .into_any(),
    };
    view! {
        <h1>{lang.pick("文书验证", "文書驗證", "Verify a document")}</h1>
        {body}
    }
}

/// The applicant's messages.
pub fn render_inbox(list: Vec<crate::models::InboxEntry>, lang: Lang) -> impl IntoView {
    let body = if list.is_empty() {
        view! { <p>{lang.pick("暂无消息。", "暫無訊息。", "No messages yet.")}</p> }.into_any()
    } else {
        view! {
            <form method="post" action={<crate::api::ReadInbox as ServerFn>::PATH}><button type="submit" class="button secondary">{lang.pick("全部标为已读", "全部標為已讀", "Mark all as read")}</button></form>
            <ul class="inbox" data-testid="inbox">
                {list.into_iter().map(|e| {
                    let text = crate::models::notification_text(&e, lang);
                    view! {
                        <li class:unread=!e.read>
                            <time>{e.at.clone()}</time>
                            {match e.case_id {
                                Some(id) => view! { <a href=format!("/cases/{id}")>{text}</a> }.into_any(),
                                None => view! { <span>{text}</span> }.into_any(),
                            }}
                            {(!e.read).then(|| view! { <span class="tag">{lang.pick("未读", "未讀", "New")}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <h1>{lang.pick("消息", "訊息", "Messages")}</h1>
        {body}
    }
}

/// The subject and description of a complaint (about a case or a window), with their errors.
pub fn complaint_fields(f: &crate::models::Flash, lang: Lang) -> impl IntoView {
    let err = |k: &str| f.errors.get(k).cloned();
    let (subject_err, body_err) = (err("subject"), err("body"));
    view! {
        <div class="field" class:field-error=subject_err.is_some()>
            <label for="f-subject">{lang.pick("事由", "事由", "About")}</label>
            {subject_err.clone().map(|m| view! { <p class="error-message">{m}</p> })}
            <input id="f-subject" name="subject" value=f.value("subject")/>
        </div>
        <div class="field" class:field-error=body_err.is_some()>
            <label for="f-body">{lang.pick("具体情况", "具體情況", "What happened")}</label>
            {body_err.clone().map(|m| view! { <p class="error-message">{m}</p> })}
            <textarea id="f-body" name="body" rows="5">{f.value("body")}</textarea>
        </div>
    }
}

#[component]
pub fn ComplaintPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let data = Resource::new(|| (), |_| crate::api::complaint_form());
    let flash = Resource::new(|| (), |_| crate::api::take_flash("complaint".into()));
    let body = move || {
        Suspend::new(async move {
            let f = flash.await.ok().flatten().unwrap_or_default();
            match data.await {
                Ok(None) => view! { <Redirect path="/login?next=/complaint"/> }.into_any(),
                Ok(Some(deps)) => {
                    let err = |k: &str| f.errors.get(k).cloned();
                    let chosen = f.value("department");
                    view! {
                        <crate::components::Notice text=f.notice.clone()/>
                        {err("_form").map(|m| view! { <div class="error-summary"><p class="error-message">{m}</p></div> })}
                        <form method="post" action={<crate::api::ComplainWindow as ServerFn>::PATH}>
                            <div class="field" class:field-error=err("department").is_some()>
                                <label for="f-department">{lang.pick("投诉的窗口（部门）", "投訴的窗口（部門）", "Window (department)")}</label>
                                {err("department").map(|m| view! { <p class="error-message">{m}</p> })}
                                <select id="f-department" name="department">
                                    <option value="">{lang.pick("请选择", "請選擇", "Choose")}</option>
                                    {deps.into_iter().map(|(id, name)| {
                                        let selected = chosen == id.to_string();
                                        view! { <option value=id.to_string() selected=selected>{name}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                            {complaint_fields(&f, lang)}
                            <button type="submit" class="button">{lang.pick("提交投诉", "提交投訴", "Send the complaint")}</button>
                        </form>
                    }
                    .into_any()
                }
                Err(e) => view! { <ServerError error=e/> }.into_any(),
            }
        })
    };
    view! {
        <Title text=lang.pick("投诉 · 通办", "投訴 · 通辦", "Complaints · Tongban")/>
        <section class="panel narrow">
            <h1>{lang.pick("投诉窗口服务", "投訴窗口服務", "Complain about a window")}</h1>
            <p class="hint">{lang.pick("对具体办件的投诉，请在该办件页面提交。投诉将在 5 个工作日内答复。", "對具體辦件的投訴，請在該辦件頁面提交。投訴將在 5 個工作日內答覆。", "For a complaint about one of your cases, use the case page. You will get an answer within 5 working days.")}</p>
            <Suspense fallback=|| ()>{body}</Suspense>
        </section>
    }
}

/// `/ledger`: the public register.
#[component]
pub fn LedgerPage() -> impl IntoView {
    loaded(|c| async move {
        let l = crate::server::journey::ledger(&c.state.db, c.get("page").parse().unwrap_or(1)).await?;
        Ok(c.page(c.lang.pick("登记台账公示", "登記台賬公示", "Public register"), render_ledger(l, c.lang)))
    })
}

/// `/verify/:code`: is this document real? (404 when no document has the code.)
#[component]
pub fn VerifyPage() -> impl IntoView {
    loaded(|c| async move {
        let code = c.params.get("code").cloned().unwrap_or_default();
        let v = match crate::server::journey::verify(&c.state.db, &code).await {
            Ok(v) => Some(v),
            Err(AppError::NotFound) => {
                if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
                    resp.set_status(http::StatusCode::NOT_FOUND);
                }
                None
            }
            Err(e) => return Err(e),
        };
        Ok(c.page(c.lang.pick("文书验证", "文書驗證", "Verify a document"), render_verify(v, c.lang)))
    })
}

/// `/inbox`: the applicant's messages.
#[component]
pub fn InboxPage() -> impl IntoView {
    signed_in(|c| async move {
        let Some(SessionUser::Applicant { id, .. }) = &c.user else { return Err(AppError::Forbidden) };
        let list = crate::server::journey::inbox(&c.state.db, *id).await?;
        Ok(c.page(c.lang.pick("消息", "訊息", "Messages"), render_inbox(list, c.lang)))
    })
}
