//! The clerk's back office: queues per role and department, and one case with its materials,
//! timeline (internal comments included) and the actions the caller may take now. Plain forms:
//! every action posts and redirects, keyboard first, no JavaScript needed.

use leptos::prelude::*;
use rules::Lang;
#[cfg(feature = "ssr")]
use rules::{CaseState, WarningLevel};

use crate::models::{bucket_label, BUCKETS};
#[cfg(feature = "ssr")]
use crate::{
    components::Notice,
    models::{human_size, staff_action_label, Flash, StaffCase},
    pages::cases::action_label,
};

#[cfg(feature = "ssr")]
fn badge(warning: Option<WarningLevel>, remaining: Option<i32>, lang: Lang) -> impl IntoView {
    let (class, text) = match (warning, remaining) {
        (Some(WarningLevel::Overdue), Some(r)) => (
            "badge red",
            match lang {
                Lang::En => format!("overdue {}", -r),
                _ => format!("超期 {}", -r),
            },
        ),
        (Some(WarningLevel::Warning), Some(r)) => (
            "badge yellow",
            match lang {
                Lang::En => format!("{r} left"),
                _ => format!("剩 {r} 日"),
            },
        ),
        (Some(_), Some(r)) => (
            "badge green",
            match lang {
                Lang::En => format!("{r} left"),
                _ => format!("剩 {r} 日"),
            },
        ),
        _ => ("", String::new()),
    };
    (!text.is_empty()).then(|| view! { <span class=class>{text}</span> })
}

#[cfg(feature = "ssr")]
pub fn render_queue(p: crate::models::QueuePage, search: &str, lang: Lang) -> impl IntoView {
    let bucket = p.bucket.clone();
    let q = search.to_string();
    let tabs = p.counts.iter().map(|(b, n)| {
        let current = *b == p.bucket;
        view! {
            <li><a href=format!("/staff/queue?bucket={b}") aria-current=current.then_some("page") class:current=current>
                {bucket_label(b, lang)}" "<span class="count">{n.to_string()}</span></a></li>
        }
    }).collect_view();
    let rows = p
        .rows
        .into_iter()
        .map(|r| {
            view! {
                <tr>
                    <td><a href=format!("/staff/cases/{}", r.id)>{r.case_no.clone()}</a></td>
                    <td>{r.item_name.clone()}</td>
                    <td>{r.applicant.clone()}</td>
                    <td>{r.department.clone()}</td>
                    <td>{r.state.label(lang)}</td>
                    <td>{r.due.map(|d| d.to_string()).unwrap_or_default()}" "{badge(r.warning, r.remaining, lang)}</td>
                </tr>
            }
        })
        .collect_view();
    let next = p.next.map(|n| view! {
        <a class="button secondary" href=format!("/staff/queue?bucket={bucket}&q={q}&after={n}")>{lang.pick("下一页", "下一頁", "Next page")}</a>
    });
    view! {
        <h1>{lang.pick("办件队列", "辦件隊列", "Queues")}</h1>
        <form method="get" action="/staff/queue" class="search" role="search">
            <input type="hidden" name="bucket" value=bucket.clone()/>
            <label for="q">{lang.pick("按办件编号或申请人查找", "按辦件編號或申請人查找", "Find by case number or applicant")}</label>
            <div class="search-row">
                <input id="q" name="q" type="search" value=q.clone()/>
                <button type="submit">{lang.pick("查找", "查找", "Find")}</button>
            </div>
        </form>
        <nav aria-label=lang.pick("队列", "隊列", "Queues")><ul class="tabs">{tabs}</ul></nav>
        <div class="table-scroll" tabindex="0" role="region" aria-label=lang.pick("办件队列", "辦件隊列", "Queue")>
            <table class="table" data-testid="queue">
                <thead><tr>
                    <th scope="col">{lang.pick("办件编号", "辦件編號", "Case")}</th>
                    <th scope="col">{lang.pick("事项", "事項", "Service")}</th>
                    <th scope="col">{lang.pick("申请人", "申請人", "Applicant")}</th>
                    <th scope="col">{lang.pick("部门", "部門", "Department")}</th>
                    <th scope="col">{lang.pick("状态", "狀態", "State")}</th>
                    <th scope="col">{lang.pick("期限", "期限", "Due")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p class="pager">{next}</p>
    }
}

#[cfg(feature = "ssr")]
fn field_error(f: &Flash, action: &str, field: &str) -> Option<String> {
    (f.value("action") == action).then(|| f.errors.get(field).cloned()).flatten()
}

#[cfg(feature = "ssr")]
fn text_field(
    f: &Flash,
    action: &'static str,
    name: &'static str,
    label: &'static str,
    textarea: bool,
) -> impl IntoView {
    let id = format!("{action}-{name}");
    let err = field_error(f, action, name);
    let value = if f.value("action") == action { f.value(name) } else { String::new() };
    let has_err = err.is_some();
    view! {
        <div class="field" class:field-error=has_err>
            <label for=id.clone()>{label}</label>
            {err.map(|m| view! { <p class="error-message">{m}</p> })}
            {if textarea {
                view! { <textarea id=id name=name rows="3">{value}</textarea> }.into_any()
            } else {
                view! { <input id=id name=name value=value/> }.into_any()
            }}
        </div>
    }
}

#[cfg(feature = "ssr")]
fn action_form(c: &StaffCase, f: &Flash, action: &'static str, lang: Lang) -> impl IntoView {
    let fields = match action {
        "request_correction" => view! {
            <p class="hint">{lang.pick("在上方每项有问题的材料旁写明问题；系统会连同缺少的材料一次性列出。", "在上方每項有問題的材料旁寫明問題；系統會連同缺少的材料一次性列出。", "Write the problem next to each material above; missing materials are listed with them, all at once.")}</p>
            {text_field(f, action, "comment", lang.pick("补充说明（可选）", "補充說明（可選）", "Note (optional)"), true)}
        }.into_any(),
        "reject" | "decide_deny" => view! {
            {text_field(f, action, "reason", lang.pick("理由", "理由", "Reason"), true)}
            {text_field(f, action, "legal_basis", lang.pick("法律依据", "法律依據", "Legal basis"), false)}
            <p class="hint">{lang.pick("决定书将告知申请复议（60 日内）和提起诉讼（6 个月内）的权利。", "決定書將告知申請復議（60 日內）和提起訴訟（6 個月內）的權利。", "The decision states the right to reconsideration (60 days) and litigation (6 months).")}</p>
        }.into_any(),
        "suspend" => view! {
            {text_field(f, action, "kind", lang.pick("特殊环节（听证、专家评审、检验检测…）", "特殊環節（聽證、專家評審、檢驗檢測…）", "Procedure (hearing, expert review, testing…)"), false)}
            {text_field(f, action, "reason", lang.pick("理由", "理由", "Reason"), true)}
        }.into_any(),
        "extend" => view! {
            <p class="hint">{match lang {
                Lang::En => format!("Once only, up to {} working days, with a written reason to the applicant.", c.extension_cap),
                _ => format!("只能延长一次，最多 {} 个工作日，并书面告知申请人理由。", c.extension_cap),
            }}</p>
            {text_field(f, action, "days", lang.pick("延长的工作日数", "延長的工作日數", "Working days"), false)}
            {text_field(f, action, "reason", lang.pick("理由", "理由", "Reason"), true)}
        }.into_any(),
        "decide_grant" | "decide_forward" => view! {
            {text_field(f, action, "reason", lang.pick("决定说明", "決定說明", "Statement"), true)}
        }.into_any(),
        "opinion" => view! {
            {text_field(f, action, "comment", lang.pick("审查意见（仅内部可见）", "審查意見（僅內部可見）", "Opinion (staff only)"), true)}
        }.into_any(),
        "issue_fee_notice" => view! {
            {text_field(f, action, "kind", lang.pick("费用名称", "費用名稱", "Fee"), false)}
            {text_field(f, action, "amount", lang.pick("金额（元）", "金額（元）", "Amount (yuan)"), false)}
        }.into_any(),
        "record_payment" => view! {
            {text_field(f, action, "amount", lang.pick("金额（元）", "金額（元）", "Amount (yuan)"), false)}
            {text_field(f, action, "reference", lang.pick("缴费凭证号", "繳費憑證號", "Payment reference"), false)}
        }.into_any(),
        "deliver" => view! {
            <fieldset class="field">
                <legend>{lang.pick("送达方式", "送達方式", "How")}</legend>
                {field_error(f, action, "method").map(|m| view! { <p class="error-message">{m}</p> })}
                <label class="radio"><input type="radio" name="method" value="counter"/>{lang.pick("窗口领取", "窗口領取", "At the window")}</label>
                <label class="radio"><input type="radio" name="method" value="post"/>{lang.pick("邮寄", "郵寄", "By post")}</label>
                <label class="radio"><input type="radio" name="method" value="electronic"/>{lang.pick("电子送达（申请人账户）", "電子送達（申請人帳戶）", "Electronic (applicant's account)")}</label>
            </fieldset>
        }.into_any(),
        _ => ().into_any(),
    };
    let danger = matches!(action, "reject" | "decide_deny");
    view! {
        <form method="post" action=format!("/staff/cases/{}/act", c.id) id=format!("form-{action}") class="action-form">
            <h3>{staff_action_label(action, lang)}</h3>
            <input type="hidden" name="action" value=action/>
            <input type="hidden" name="version" value=c.version.to_string()/>
            {fields}
            <button type="submit" class=if danger { "button danger" } else { "button" }>{staff_action_label(action, lang)}</button>
        </form>
    }
}

#[cfg(feature = "ssr")]
pub fn render_staff_case(c: StaffCase, f: Flash, lang: Lang) -> impl IntoView {
    let can_correct = c.actions.iter().any(|a| a == "request_correction");
    let actions: Vec<&'static str> = [
        "accept",
        "request_correction",
        "reject",
        "start_review",
        "opinion",
        "suspend",
        "resume",
        "extend",
        "decide_grant",
        "decide_deny",
        "decide_forward",
        "issue_fee_notice",
        "record_payment",
        "prepare_delivery",
        "deliver",
        "close",
    ]
    .into_iter()
    .filter(|a| c.actions.iter().any(|x| x == a))
    .collect();
    let materials = c.materials.iter().filter(|m| m.applies || !m.files.is_empty()).map(|m| {
        let note = format!("note_{}", m.code);
        let missing = c.missing.contains(&m.code);
        view! {
            <li class="material-card" class:field-error=missing>
                <h3>{m.name.clone()}</h3>
                <p class="meta">
                    <span class="tag">{if !m.required { lang.pick("可选", "可選", "Optional") } else if m.deferrable { lang.pick("必需 · 可容缺", "必需 · 可容缺", "Required · may follow") } else { lang.pick("必需", "必需", "Required") }}</span>
                    {missing.then(|| view! { <span class="tag">{lang.pick("缺少", "缺少", "Missing")}</span> })}
                </p>
                <ul class="file-list">{m.files.iter().map(|fv| {
                    let image = matches!(fv.file_type, rules::materials::FileType::Jpeg | rules::materials::FileType::Png);
                    view! {
                        <li class="file-row">
                            <a href=format!("/files/{}", fv.id) target="_blank" rel="noopener">{fv.file_name.clone()}</a>
                            <span class="hint">{fv.file_type.label()}" · "{human_size(fv.size)}</span>
                            {image.then(|| view! { <img class="preview" src=format!("/files/{}", fv.id) alt=fv.file_name.clone() loading="lazy"/> })}
                        </li>
                    }
                }).collect_view()}</ul>
                {can_correct.then(|| view! {
                    <div class="field">
                        <label for=format!("n-{}", m.code)>{lang.pick("问题（需补正时填写）", "問題（需補正時填寫）", "Problem (for a correction)")}</label>
                        <textarea id=format!("n-{}", m.code) name=note.clone() form="form-request_correction" rows="2">{f.value(&note)}</textarea>
                    </div>
                })}
            </li>
        }
    }).collect_view();
    let refused = matches!(c.state, CaseState::NotAccepted | CaseState::Decided(rules::DecisionKind::Deny));
    view! {
        <nav class="breadcrumbs"><a href="/staff/queue">{lang.pick("办件队列", "辦件隊列", "Queues")}</a></nav>
        {f.errors.get("_form").cloned().map(|m| view! { <div class="error-summary" role="alert"><p>{m}</p></div> })}
        {(!f.errors.is_empty() && !f.errors.contains_key("_form")).then(|| view! {
            <div class="error-summary" role="alert"><ul>{f.errors.values().map(|m| view! { <li>{m.clone()}</li> }).collect_view()}</ul></div>
        })}
        <Notice text=f.notice.clone()/>
        <section class="panel">
            <p class="caption">{c.case_no.clone()}" · "{c.department.clone()}</p>
            <h1>{c.item_name.clone()}</h1>
            <p class="meta"><span class="tag" data-testid="staff-state">{c.state.label(lang)}</span></p>
            <dl class="summary-list">
                <div><dt>{lang.pick("申请人", "申請人", "Applicant")}</dt><dd>{c.applicant_name.clone()}</dd></div>
                <div><dt>{lang.pick("证件号码", "證件號碼", "ID number")}</dt><dd>{c.applicant_number.clone()}</dd></div>
                <div><dt>{lang.pick("手机号码", "手機號碼", "Mobile")}</dt><dd>{c.applicant_mobile.clone()}</dd></div>
                {c.answers.iter().map(|(q, a)| view! { <div><dt>{q.clone()}</dt><dd>{a.clone()}</dd></div> }).collect_view()}
                {c.submitted_on.map(|d| view! { <div><dt>{lang.pick("提交日期", "提交日期", "Submitted")}</dt><dd>{d.to_string()}</dd></div> })}
                {c.accepted_on.map(|d| view! { <div><dt>{lang.pick("受理日期", "受理日期", "Accepted")}</dt><dd>{d.to_string()}</dd></div> })}
                {c.due_on.map(|d| view! { <div><dt>{if c.accepted_on.is_none() { lang.pick("受理决定期限", "受理決定期限", "Accept by") } else { lang.pick("办理期限", "辦理期限", "Due") }}</dt><dd data-testid="staff-due">{d.to_string()}</dd></div> })}
                {c.correction_due.map(|d| view! { <div><dt>{lang.pick("补正期限", "補正期限", "Correct by")}</dt><dd>{d.to_string()}</dd></div> })}
                {c.fee_due.map(|d| view! { <div><dt>{lang.pick("缴费期限", "繳費期限", "Pay by")}</dt><dd>{d.to_string()}</dd></div> })}
            </dl>
            <p class="downloads">
                {c.accepted_on.map(|_| view! { <a href=format!("/notices/{}/acceptance.pdf", c.id)>{lang.pick("受理通知书（PDF）", "受理通知書（PDF）", "Acceptance notice (PDF)")}</a> })}
                {refused.then(|| view! { <a href=format!("/notices/{}/refusal.pdf", c.id)>{lang.pick("决定书（PDF）", "決定書（PDF）", "Decision (PDF)")}</a> })}
                {c.results.iter().map(|r| view! { <a href=format!("/results/{}.pdf", r.code)>{r.title.clone()}" (PDF)"</a> }).collect_view()}
            </p>
        </section>
        <section class="panel">
            <h2>{lang.pick("材料", "材料", "Materials")}</h2>
            <ul class="material-cards">{materials}</ul>
        </section>
        <section class="panel" aria-labelledby="actions-h">
            <h2 id="actions-h">{lang.pick("办理", "辦理", "Actions")}</h2>
            {if actions.is_empty() {
                view! { <p class="hint">{lang.pick("当前没有您可以办理的操作。", "當前沒有您可以辦理的操作。", "Nothing for you to do on this case now.")}</p> }.into_any()
            } else {
                view! { <div class="action-forms">{actions.into_iter().map(|a| action_form(&c, &f, a, lang)).collect_view()}</div> }.into_any()
            }}
        </section>
        <section class="panel">
            <h2>{lang.pick("办理记录", "辦理記錄", "History")}</h2>
            <ol class="timeline">
                {c.timeline.iter().map(|e| view! {
                    <li>
                        <time datetime=e.day.to_string()>{e.day.to_string()}" · "{e.actor.clone()}</time>
                        <strong>{if e.action == "opinion" { lang.pick("审查意见", "審查意見", "Opinion") } else { action_label(&e.action, lang) }}</strong>
                        <span class="tag">{e.to_state.label(lang)}</span>
                        {e.internal.then(|| view! { <span class="tag">{lang.pick("内部", "內部", "internal")}</span> })}
                        {(!e.comment.is_empty()).then(|| view! { <p class="pre">{e.comment.clone()}</p> })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}

/// The bucket list, for the staff start page.
pub fn queue_links(lang: Lang) -> impl IntoView {
    view! {
        <ul class="tabs">{BUCKETS.iter().map(|b| view! { <li><a href=format!("/staff/queue?bucket={b}")>{bucket_label(b, lang)}</a></li> }).collect_view()}</ul>
    }
}
