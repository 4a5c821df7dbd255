//! "My cases" and one case with its timeline, drawn from the case's events (staff-internal events
//! are never sent to the browser).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;
use rules::{Lang, WarningLevel};

use crate::api::{case_detail, my_cases};
use crate::components::use_prefs;
use crate::models::CaseSummary;

fn warning_badge(s: &CaseSummary, lang: Lang) -> impl IntoView {
    let (class, text) = match (s.warning, s.remaining) {
        (Some(WarningLevel::Overdue), Some(r)) => (
            "badge red",
            match lang {
                Lang::En => format!("overdue by {} working days", -r),
                Lang::ZhHant => format!("已超期 {} 個工作日", -r),
                Lang::ZhHans => format!("已超期 {} 个工作日", -r),
            },
        ),
        (Some(level), Some(r)) => (
            if level == WarningLevel::Warning { "badge yellow" } else { "badge green" },
            match lang {
                Lang::En => format!("{r} working days left"),
                Lang::ZhHant => format!("剩餘 {r} 個工作日"),
                Lang::ZhHans => format!("剩余 {r} 个工作日"),
            },
        ),
        _ => ("", String::new()),
    };
    (!text.is_empty()).then(|| view! { <span class=class>{text}</span> })
}

fn action_label(action: &str, lang: Lang) -> &'static str {
    match action {
        "submit" => lang.pick("提交申请", "提交申請", "Application submitted"),
        "resubmit" => lang.pick("补正后重新提交", "補正後重新提交", "Corrected and resubmitted"),
        "accept" => lang.pick("受理", "受理", "Accepted"),
        "request_correction" => lang.pick("一次性告知补正", "一次性告知補正", "Correction requested"),
        "reject" => lang.pick("不予受理", "不予受理", "Not accepted"),
        "correction_expired" => {
            lang.pick("补正逾期，不予受理", "補正逾期，不予受理", "Correction not answered in time")
        }
        "start_review" => lang.pick("开始审查", "開始審查", "Review started"),
        "suspend" => lang.pick("中止（不计时）", "中止（不計時）", "Suspended (clock stopped)"),
        "resume" => lang.pick("恢复办理", "恢復辦理", "Resumed"),
        "extend" => lang.pick("延长办理期限", "延長辦理期限", "Time limit extended"),
        "decide" => lang.pick("作出决定", "作出決定", "Decision made"),
        "issue_fee_notice" => lang.pick("缴费通知", "繳費通知", "Fee notice"),
        "record_payment" => lang.pick("已缴费", "已繳費", "Payment received"),
        "fee_expired" => lang.pick("逾期未缴费", "逾期未繳費", "Fee not paid in time"),
        "prepare_delivery" => lang.pick("准备送达", "準備送達", "Ready for delivery"),
        "deliver" => lang.pick("送达", "送達", "Delivered"),
        "close" => lang.pick("办结", "辦結", "Closed"),
        "withdraw" => lang.pick("撤回申请", "撤回申請", "Withdrawn"),
        _ => lang.pick("办理", "辦理", "Update"),
    }
}

#[component]
pub fn CasesPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let data = Resource::new(|| (), |_| my_cases());
    let body = move || {
        Suspend::new(async move {
            match data.await {
                Ok(None) => view! { <Redirect path="/login?next=/cases"/> }.into_any(),
                Ok(Some(list)) if list.is_empty() => view! {
                    <p class="empty">{lang.pick("您还没有办件。", "您還沒有辦件。", "You have no cases yet.")}
                        " "<a href="/">{lang.pick("查找办事事项", "查找辦事事項", "Find a service")}</a></p>
                }
                .into_any(),
                Ok(Some(list)) => view! {
                    <ul class="case-list">
                        {list
                            .into_iter()
                            .map(|c| {
                                let title = c.case_no.clone().unwrap_or_else(|| lang.pick("（未提交）", "（未提交）", "(not submitted)").into());
                                view! {
                                    <li class="case-card">
                                        <h2><a href=format!("/cases/{}", c.id)>{c.item_name.clone()}</a></h2>
                                        <p class="meta"><span>{title}</span><span class="tag">{c.state.label(lang)}</span>{warning_badge(&c, lang)}</p>
                                        {c.due_on.map(|d| view! {
                                            <p>{lang.pick("办理期限：", "辦理期限：", "Due: ")}<strong>{d.to_string()}</strong></p>
                                        })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any(),
                Err(e) => view! { <p class="error-message" role="alert">{e.to_string()}</p> }.into_any(),
            }
        })
    };
    view! {
        <Title text=lang.pick("我的办件 · 通办", "我的辦件 · 通辦", "My cases · Tongban")/>
        <h1>{lang.pick("我的办件", "我的辦件", "My cases")}</h1>
        <Suspense fallback=|| ()>{body}</Suspense>
    }
}

#[component]
pub fn CasePage() -> impl IntoView {
    let lang = use_prefs().lang;
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i32>().ok()).unwrap_or(0);
    let data = Resource::new(id, case_detail);
    let body = move || {
        Suspend::new(async move {
            match data.await {
                Ok(None) => view! { <Redirect path=format!("/login?next=/cases/{}", id())/> }.into_any(),
                Ok(Some(d)) => {
                    let s = d.summary.clone();
                    view! {
                        <Title text=format!("{} · {}", s.item_name, lang.pick("办件", "辦件", "Case"))/>
                        <nav class="breadcrumbs"><a href="/cases">{lang.pick("我的办件", "我的辦件", "My cases")}</a></nav>
                        <section class="panel">
                            <p class="caption">{s.case_no.clone().unwrap_or_default()}</p>
                            <h1>{s.item_name.clone()}</h1>
                            <p class="meta"><span class="tag">{s.state.label(lang)}</span>{warning_badge(&s, lang)}</p>
                            <dl class="summary-list">
                                <div><dt>{lang.pick("受理部门", "受理部門", "Department")}</dt><dd>{d.department.clone()}</dd></div>
                                {d.accepted_on.map(|a| view! { <div><dt>{lang.pick("受理日期", "受理日期", "Accepted on")}</dt><dd>{a.to_string()}</dd></div> })}
                                {s.due_on.map(|a| view! { <div><dt>{lang.pick("办理期限", "辦理期限", "Due")}</dt><dd data-testid="due">{a.to_string()}</dd></div> })}
                                {d.correction_due.map(|a| view! { <div><dt>{lang.pick("补正期限", "補正期限", "Correct by")}</dt><dd>{a.to_string()}</dd></div> })}
                            </dl>
                        </section>
                        <section class="panel">
                            <h2>{lang.pick("办理进度", "辦理進度", "Progress")}</h2>
                            <ol class="timeline">
                                {d.timeline.into_iter().map(|e| view! {
                                    <li>
                                        <time datetime=e.day.to_string()>{e.day.to_string()}</time>
                                        <strong>{action_label(&e.action, lang)}</strong>
                                        <span class="tag">{e.to_state.label(lang)}</span>
                                        {(!e.comment.is_empty()).then(|| view! { <p>{e.comment.clone()}</p> })}
                                    </li>
                                }).collect_view()}
                            </ol>
                        </section>
                    }
                    .into_any()
                }
                Err(e) => view! {
                    <section class="panel"><h1>{lang.pick("无法查看该办件", "無法查看該辦件", "This case cannot be shown")}</h1>
                        <p class="error-message" role="alert">{e.to_string()}</p>
                        <p><a href="/cases">{lang.pick("回到我的办件", "回到我的辦件", "Back to my cases")}</a></p></section>
                }
                .into_any(),
            }
        })
    };
    view! { <Suspense fallback=|| ()>{body}</Suspense> }
}
