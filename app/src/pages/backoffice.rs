//! The clerk's back office: queues per role and department, and one case with its materials,
//! timeline (internal comments included) and the actions the caller may take now. Plain forms:
//! every action posts and redirects, keyboard first, no JavaScript needed.

use leptos::prelude::*;
use rules::Lang;
use rules::WarningLevel;

use crate::models::{bucket_label, BUCKETS};
use crate::pages::cases::notice_links;
use crate::pages::loaded::signed_in;
use crate::server::backoffice as office;
use crate::{
    components::Notice,
    models::{human_size, staff_action_label, Flash, StaffCase},
};
use leptos::server_fn::ServerFn;

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

pub fn render_queue(p: crate::models::QueuePage, search: &str, lang: Lang) -> impl IntoView {
    let bucket = p.bucket.clone();
    let q = search.to_string();
    let tabs = p.counts.iter().map(|(b, n)| {
        let current = *b == p.bucket;
        view! {
            <li><a href=format!("/staff/queue?bucket={b}&item={}", p.item) aria-current=current.then_some("page") class:current=current>
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
                    <td>{r.state.label_for(r.filing, lang)}{(!r.waiting.is_empty()).then(|| view! { <br/><span class="hint">{r.waiting.clone()}</span> })}</td>
                    <td>{r.due.map(|d| d.to_string()).unwrap_or_default()}" "{badge(r.warning, r.remaining, lang)}</td>
                </tr>
            }
        })
        .collect_view();
    let item = p.item.clone();
    let next = p.next.map(|n| view! {
        <a class="button secondary" href=format!("/staff/queue?bucket={bucket}&q={q}&item={item}&after={n}")>{lang.pick("下一页", "下一頁", "Next page")}</a>
    });
    let item_options = p
        .items
        .iter()
        .map(|(code, name)| {
            let selected = *code == p.item;
            let label = format!("{name}（{code}）");
            view! { <option value=code.clone() selected=selected>{label}</option> }
        })
        .collect_view();
    view! {
        <h1>{lang.pick("办件队列", "辦件隊列", "Queues")}</h1>
        {p.intake.then(|| view! { <p><a class="button secondary" href="/staff/intake">{lang.pick("窗口帮办：代申请人录入", "窗口幫辦：代申請人錄入", "Counter intake: apply for a walk-in")}</a></p> })}
        <form method="get" action="/staff/queue" class="search" role="search">
            <input type="hidden" name="bucket" value=bucket.clone()/>
            <label for="q">{lang.pick("按办件编号或申请人查找", "按辦件編號或申請人查找", "Find by case number or applicant")}</label>
            <div class="search-row">
                <input id="q" name="q" type="search" value=q.clone()/>
                <button type="submit">{lang.pick("查找", "查找", "Find")}</button>
            </div>
            <label for="item">{lang.pick("事项", "事項", "Service")}</label>
            <select id="item" name="item">
                <option value="">{lang.pick("全部事项", "全部事項", "All services")}</option>
                {item_options}
            </select>
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

/// Where every action form of a case posts: the server function `api::staff_act`.
const STAFF_ACT: &str = <crate::api::StaffAct as ServerFn>::PATH;

fn field_error(f: &Flash, action: &str, field: &str) -> Option<String> {
    (f.value("action") == action).then(|| f.errors.get(field).cloned()).flatten()
}

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

fn action_form(c: &StaffCase, f: &Flash, action: &'static str, lang: Lang) -> impl IntoView {
    let fields = match action {
        "request_correction" => view! {
            <p class="hint">{lang.pick("在上方每项有问题的材料旁写明问题；系统会连同缺少的材料一次性列出。", "在上方每項有問題的材料旁寫明問題；系統會連同缺少的材料一次性列出。", "Write the problem next to each material above; missing materials are listed with them, all at once.")}</p>
            {text_field(f, action, "comment", lang.pick("补充说明（可选）", "補充說明（可選）", "Note (optional)"), true)}
        }.into_any(),
        "reject" | "decide_deny" | "record_higher_deny" => view! {
            {text_field(f, action, "reason", lang.pick("理由", "理由", "Reason"), true)}
            {text_field(f, action, "legal_basis", lang.pick("法律依据", "法律依據", "Legal basis"), false)}
            <p class="hint">{lang.pick("决定书将告知申请复议（60 日内）和提起诉讼（6 个月内）的权利。", "決定書將告知申請復議（60 日內）和提起訴訟（6 個月內）的權利。", "The decision states the right to reconsideration (60 days) and litigation (6 months).")}</p>
        }.into_any(),
        "confirm_supplement" => view! {
            <p class="hint">{lang.pick("容缺受理时后补的材料已全部上传，核对无误后确认；补齐期限随即结束。", "容缺受理時後補的材料已全部上傳，核對無誤後確認；補齊期限隨即結束。", "Every deferred material is on file: check them and confirm; the term then ends.")}</p>
        }.into_any(),
        "file_grant" => view! {
            <p class="hint">{lang.pick("材料齐全、符合法定形式的，予以备案；备案通知书随即生成。", "材料齊全、符合法定形式的，予以備案；備案通知書隨即生成。", "Complete and in legal form: file it; the filing notice is issued.")}</p>
            {text_field(f, action, "comment", lang.pick("说明（可选）", "說明（可選）", "Note (optional)"), true)}
        }.into_any(),
        "file_deny" => view! {
            <p class="hint">{lang.pick("在上方每项有问题的材料旁写明问题；不予备案通知书会连同缺少的材料一次性列出，并告知救济途径。", "在上方每項有問題的材料旁寫明問題；不予備案通知書會連同缺少的材料一次性列出，並告知救濟途徑。", "Write the problem next to each material above; the notice lists them with the missing materials, all at once, and the remedies.")}</p>
            {text_field(f, action, "comment", lang.pick("补充说明（可选）", "補充說明（可選）", "Note (optional)"), true)}
        }.into_any(),
        "record_higher_grant" => view! {
            <p class="hint">{lang.pick("上级机关批准后录入；结果文书随即生成，由窗口送达申请人。", "上級機關批准後錄入；結果文書隨即生成，由窗口送達申請人。", "Record it once the higher authority has granted; the result document is issued and the window delivers it.")}</p>
            {text_field(f, action, "reason", lang.pick("上级机关批复文号及说明", "上級機關批覆文號及說明", "The higher authority's reply (reference, note)"), true)}
        }.into_any(),
        "approve_denial" => view! {
            <p class="hint">{lang.pick("申请人未在缴费期限内缴纳规费，主办处室拟不予批准。批准后制作不予行政许可决定书并送达申请人；决定书写明逾期未缴费的理由、依据和救济途径。", "申請人未在繳費期限內繳納規費，主辦處室擬不予批准。批准後製作不予行政許可決定書並送達申請人；決定書寫明逾期未繳費的理由、依據和救濟途徑。", "The applicant did not pay in time and the lead office proposes to deny. Once approved, the denial is issued to the applicant with its reason, basis and remedies.")}</p>
            {text_field(f, action, "comment", lang.pick("审批意见（可选）", "審批意見（可選）", "Approver's note (optional)"), true)}
        }.into_any(),
        "approve_refusal" => view! {
            <p class="hint">{lang.pick("申请人未在补正期限内补正。批准后制作不予受理决定书并送达申请人；决定书写明逾期未补正的理由、依据和救济途径。", "申請人未在補正期限內補正。批准後製作不予受理決定書並送達申請人；決定書寫明逾期未補正的理由、依據和救濟途徑。", "The applicant did not correct in time. Once approved, the refusal of acceptance is issued to the applicant with its reason, basis and remedies.")}</p>
            {text_field(f, action, "comment", lang.pick("审批意见（可选）", "審批意見（可選）", "Approver's note (optional)"), true)}
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
        "assign" => {
            let err = field_error(f, action, "assignee");
            view! {
                <div class="field" class:field-error=err.is_some()>
                    <label for="assign-assignee">{lang.pick("审查员", "審查員", "Reviewer")}</label>
                    {err.clone().map(|m| view! { <p class="error-message">{m}</p> })}
                    <select id="assign-assignee" name="assignee">
                        {c.reviewers.iter().map(|(id, name)| view! { <option value=id.to_string()>{name.clone()}</option> }).collect_view()}
                    </select>
                </div>
            }.into_any()
        }
        "request_suspension" => view! {
            <p class="hint">{lang.pick("报审批负责人同意后中止，期间不计时。", "報審批負責人同意後中止，期間不計時。", "Suspends the clock once an approver agrees.")}</p>
            {text_field(f, action, "kind", lang.pick("特殊环节（听证、专家评审、检验检测…）", "特殊環節（聽證、專家評審、檢驗檢測…）", "Procedure (hearing, expert review, testing…)"), false)}
            {text_field(f, action, "reason", lang.pick("理由", "理由", "Reason"), true)}
        }.into_any(),
        "request_extension" => view! {
            <p class="hint">{match lang {
                Lang::En => format!("Once only, up to {} working days; an approver decides.", c.extension_cap),
                _ => format!("只能延长一次，最多 {} 个工作日，报审批负责人同意。", c.extension_cap),
            }}</p>
            {text_field(f, action, "days", lang.pick("延长的工作日数", "延長的工作日數", "Working days"), false)}
            {text_field(f, action, "reason", lang.pick("理由", "理由", "Reason"), true)}
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
    let danger = matches!(
        action,
        "reject" | "approve_refusal" | "approve_denial" | "decide_deny" | "record_higher_deny" | "file_deny"
    );
    view! {
        <form method="post" action=STAFF_ACT id=format!("form-{action}") class="action-form">
            <h3>{staff_action_label(action, lang)}</h3>
            <input type="hidden" name="case" value=c.id.to_string()/>
            <input type="hidden" name="action" value=action/>
            <input type="hidden" name="version" value=c.version.to_string()/>
            {fields}
            <button type="submit" class=if danger { "button danger" } else { "button" }>{staff_action_label(action, lang)}</button>
        </form>
    }
}

pub fn render_staff_case(c: StaffCase, f: Flash, lang: Lang) -> impl IntoView {
    // The per-material findings go with the one-time list: the correction notice's, or a filing's
    // 不予备案.
    let notes_form = ["request_correction", "file_deny"].into_iter().find(|n| c.actions.iter().any(|a| a == n));
    let actions: Vec<&'static str> = [
        "accept",
        "request_correction",
        "reject",
        "confirm_supplement",
        "file_grant",
        "file_deny",
        "approve_refusal",
        "approve_denial",
        "start_review",
        "opinion",
        "assign",
        "request_suspension",
        "request_extension",
        "suspend",
        "resume",
        "extend",
        "decide_grant",
        "decide_deny",
        "decide_forward",
        "record_higher_grant",
        "record_higher_deny",
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
                            {(fv.file_type == rules::materials::FileType::Pdf).then(|| view! {
                                <details class="pdf-preview">
                                    <summary>{lang.pick("在本页预览", "在本頁預覽", "Preview here")}</summary>
                                    <iframe src=format!("/files/{}", fv.id) title=fv.file_name.clone() {..leptos::tachys::html::attribute::custom::custom_attribute("loading", "lazy")}></iframe>
                                </details>
                            })}
                        </li>
                    }
                }).collect_view()}</ul>
                {notes_form.map(|form| view! {
                    <div class="field">
                        <label for=format!("n-{}", m.code)>{lang.pick("问题（需补正时填写）", "問題（需補正時填寫）", "Problem (for a correction)")}</label>
                        <textarea id=format!("n-{}", m.code) name=note.clone() form=format!("form-{form}") rows="2">{f.value(&note)}</textarea>
                    </div>
                })}
            </li>
        }
    }).collect_view();
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
            <p class="meta"><span class="tag" data-testid="staff-state">{c.state.label_for(c.filing, lang)}</span></p>
            <dl class="summary-list">
                <div><dt>{lang.pick("申请人", "申請人", "Applicant")}</dt><dd>{c.applicant_name.clone()}</dd></div>
                <div><dt>{lang.pick("证件号码", "證件號碼", "ID number")}</dt><dd>{c.applicant_number.clone()}</dd></div>
                <div><dt>{lang.pick("手机号码", "手機號碼", "Mobile")}</dt><dd>{c.applicant_mobile.clone()}</dd></div>
                {(c.channel == rules::Channel::Counter).then(|| view! { <div><dt>{lang.pick("收件渠道", "收件渠道", "Received")}</dt><dd>{lang.pick("窗口帮办", "窗口幫辦", "At the counter")}</dd></div> })}
                {c.assignee.clone().map(|n| view! { <div><dt>{lang.pick("审查员", "審查員", "Reviewer")}</dt><dd data-testid="assignee">{n}</dd></div> })}
                {c.answers.iter().map(|(q, a)| view! { <div><dt>{q.clone()}</dt><dd>{a.clone()}</dd></div> }).collect_view()}
                {c.submitted_on.map(|d| view! { <div><dt>{lang.pick("提交日期", "提交日期", "Submitted")}</dt><dd>{d.to_string()}</dd></div> })}
                {c.accepted_on.map(|d| view! { <div><dt>{lang.pick("受理日期", "受理日期", "Accepted")}</dt><dd>{d.to_string()}</dd></div> })}
                {c.due_on.map(|d| view! { <div><dt>{match c.due_for { Some(t) => t.label(lang), None if c.accepted_on.is_none() => lang.pick("受理决定期限", "受理決定期限", "Accept by"), None => lang.pick("办理期限", "辦理期限", "Due") }}</dt><dd data-testid="staff-due">{d.to_string()}</dd></div> })}
                {c.correction_due.map(|d| view! { <div><dt>{lang.pick("补正期限", "補正期限", "Correct by")}</dt><dd>{d.to_string()}</dd></div> })}
                {c.fee_due.map(|d| view! { <div><dt>{lang.pick("缴费期限", "繳費期限", "Pay by")}</dt><dd>{d.to_string()}</dd></div> })}
            </dl>
            <p class="downloads">
                {notice_links(c.id, &c.notices, lang)}
                {c.results.iter().map(|r| view! { <a href=format!("/results/{}.pdf", r.code)>{r.title.clone()}" (PDF)"</a> }).collect_view()}
            </p>
        </section>
        {c.supplement.clone().map(|sup| {
            let uploads = c.actions.iter().any(|a| a == "upload_supplement");
            crate::pages::cases::supplement_panel(c.id, &sup, &f, lang, Some(uploads))
        })}
        <section class="panel">
            <h2>{lang.pick("材料", "材料", "Materials")}</h2>
            <ul class="material-cards">{materials}</ul>
        </section>
        {c.bundle.clone().map(|b| bundle_panel(c.id, b, lang))}
        {workflow_panel(&c, &f, lang)}
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
                        <strong>{e.action.staff_label(lang)}</strong>
                        <span class="tag">{e.to_state.label_for(c.filing, lang)}</span>
                        {e.internal.then(|| view! { <span class="tag">{lang.pick("内部", "內部", "internal")}</span> })}
                        {(!e.comment.is_empty()).then(|| view! { <p class="pre">{e.comment.clone()}</p> })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}

/// A 一件事 application's cases, each in its department; where the caller may accept more than one
/// of them, one form accepts them all at once.
fn bundle_panel(case: i32, b: crate::models::BundlePanel, lang: Lang) -> impl IntoView {
    let acceptable: Vec<&crate::models::BundleSibling> = b.cases.iter().filter(|s| s.acceptable).collect();
    let versions = acceptable.iter().map(|s| format!("{}:{}", s.case_id, s.version)).collect::<Vec<_>>().join(",");
    let many = acceptable.len() > 1;
    let count = acceptable.len();
    let rows = b
        .cases
        .iter()
        .map(|s| {
            let no = s.case_no.clone().unwrap_or_default();
            view! {
                <tr data-testid="staff-bundle-case">
                    <td>{s.item_name.clone()}</td>
                    <td>{s.department.clone()}</td>
                    <td>{if s.readable && s.case_id != case { view! { <a href=format!("/staff/cases/{}", s.case_id)>{no}</a> }.into_any() } else { no.into_any() }}</td>
                    <td><span class="tag">{s.state.label_for(s.filing, lang)}</span></td>
                    <td>{s.acceptable.then(|| lang.pick("可由您受理", "可由您受理", "you may accept"))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="bundle-h" data-testid="staff-bundle">
            <h2 id="bundle-h">{lang.pick("一件事：", "一件事：", "Combined application: ")}{b.name.clone()}</h2>
            <div class="table-scroll" tabindex="0" role="region" aria-label=lang.pick("一件事的各事项（可左右滚动）", "一件事的各事項（可左右捲動）", "The items of the combined application (scrollable table)")><table class="table">
                <thead><tr>
                    <th scope="col">{lang.pick("事项", "事項", "Item")}</th>
                    <th scope="col">{lang.pick("部门", "部門", "Department")}</th>
                    <th scope="col">{lang.pick("办件编号", "辦件編號", "Case number")}</th>
                    <th scope="col">{lang.pick("状态", "狀態", "State")}</th>
                    <th scope="col"><span class="visually-hidden">{lang.pick("您可办理", "您可辦理", "Yours")}</span></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
            {many.then(|| view! {
                <form method="post" action={<crate::api::AcceptBundle as ServerFn>::PATH}>
                    <input type="hidden" name="case" value=case.to_string()/>
                    <input type="hidden" name="versions" value=versions/>
                    <button type="submit" class="button" data-testid="accept-bundle">{match lang {
                        Lang::En => format!("Accept these {count} items at once"),
                        Lang::ZhHant => format!("一併受理以上 {count} 個事項"),
                        Lang::ZhHans => format!("一并受理以上 {count} 个事项"),
                    }}</button>
                </form>
            })}
        </section>
    }
}

/// Review stages, co-department opinions and reviewers' requests, each with its form where the
/// caller may act.
fn workflow_panel(c: &StaffCase, f: &Flash, lang: Lang) -> impl IntoView {
    if c.tasks.is_empty() && c.requests.is_empty() {
        return ().into_any();
    }
    let mine = |a: &str| f.value("action") == a;
    let outstanding = c.tasks.iter().filter(|t| t.answered.is_none()).count();
    let may_decide = c.actions.iter().any(|a| a == "decide_request");
    let tasks = c.tasks.iter().map(|t| {
        let form_id = format!("form-answer_task-{}", t.id);
        let state = match (t.opened, t.answered, t.agree) {
            (_, Some(d), Some(true)) => format!("{} {d}", lang.pick("同意", "同意", "Agreed")),
            (_, Some(d), _) => format!("{} {d}", lang.pick("不同意", "不同意", "Disagreed")),
            (Some(_), None, _) => lang.pick("待回复", "待回覆", "Waiting").to_string(),
            _ => lang.pick("未开始", "未開始", "Not yet").to_string(),
        };
        let this = mine("answer_task") && f.value("task") == t.id.to_string();
        let err = |name: &str| this.then(|| f.errors.get(name).cloned()).flatten();
        view! {
            <li class="task" data-testid=format!("task-{}", t.id)>
                <strong>{t.name.clone()}</strong>" · "{t.department.clone()}
                <span class="tag">{state}</span>
                {t.due.map(|d| view! { <span class="hint">{lang.pick("期限 ", "期限 ", "due ")}{d.to_string()}</span> })}
                {(!t.opinion.is_empty()).then(|| view! { <p class="pre">{t.answered_by.clone()}"："{t.opinion.clone()}</p> })}
                {t.answerable.then(|| view! {
                    <form method="post" action=STAFF_ACT id=form_id.clone() class="action-form">
                        <input type="hidden" name="case" value=c.id.to_string()/>
                        <input type="hidden" name="action" value="answer_task"/>
                        <input type="hidden" name="task" value=t.id.to_string()/>
                        <input type="hidden" name="version" value=c.version.to_string()/>
                        <fieldset class="field" class:field-error=err("outcome").is_some()>
                            <legend>{lang.pick("意见", "意見", "Opinion")}</legend>
                            {err("outcome").map(|m| view! { <p class="error-message">{m}</p> })}
                            <label class="radio"><input type="radio" name="outcome" value="agree"/>{lang.pick("同意", "同意", "Agree")}</label>
                            <label class="radio"><input type="radio" name="outcome" value="disagree"/>{lang.pick("不同意", "不同意", "Disagree")}</label>
                        </fieldset>
                        <div class="field" class:field-error=err("comment").is_some()>
                            <label for=format!("{form_id}-comment")>{lang.pick("书面意见", "書面意見", "Written opinion")}</label>
                            {err("comment").map(|m| view! { <p class="error-message">{m}</p> })}
                            <textarea id=format!("{form_id}-comment") name="comment" rows="3">{if this { f.value("comment") } else { String::new() }}</textarea>
                        </div>
                        <button type="submit" class="button">{lang.pick("提交意见", "提交意見", "Send the opinion")}</button>
                    </form>
                })}
            </li>
        }
    }).collect_view();
    let requests = c.requests.iter().map(|r| {
        let what = if r.kind == rules::workflow::RequestKind::Suspend {
            format!("{}（{}）", lang.pick("申请中止", "申請中止", "Suspension"), r.procedure)
        } else {
            match lang {
                Lang::En => format!("Extension by {} working days", r.days.unwrap_or(0)),
                _ => format!("申请延长 {} 个工作日", r.days.unwrap_or(0)),
            }
        };
        let status = match r.status {
            rules::workflow::RequestStatus::Approved => lang.pick("已同意", "已同意", "Approved"),
            rules::workflow::RequestStatus::Refused => lang.pick("不同意", "不同意", "Refused"),
            rules::workflow::RequestStatus::Pending => lang.pick("待审批", "待審批", "Waiting"),
        };
        let form_id = format!("form-decide_request-{}", r.id);
        let this = mine("decide_request") && f.value("request") == r.id.to_string();
        let err = |name: &str| this.then(|| f.errors.get(name).cloned()).flatten();
        view! {
            <li class="task" data-testid=format!("request-{}", r.id)>
                <strong>{what}</strong>" · "{r.requested_by.clone()}" · "{r.requested_on.to_string()}
                <span class="tag">{status}</span>
                <p class="pre">{r.reason.clone()}</p>
                {(!r.note.is_empty()).then(|| view! { <p class="pre">{r.note.clone()}</p> })}
                {(may_decide && r.status == rules::workflow::RequestStatus::Pending).then(|| view! {
                    <form method="post" action=STAFF_ACT id=form_id.clone() class="action-form">
                        <input type="hidden" name="case" value=c.id.to_string()/>
                        <input type="hidden" name="action" value="decide_request"/>
                        <input type="hidden" name="request" value=r.id.to_string()/>
                        <input type="hidden" name="version" value=c.version.to_string()/>
                        <fieldset class="field" class:field-error=err("decision").is_some()>
                            <legend>{lang.pick("审批", "審批", "Decision")}</legend>
                            {err("decision").map(|m| view! { <p class="error-message">{m}</p> })}
                            <label class="radio"><input type="radio" name="decision" value="approve"/>{lang.pick("同意", "同意", "Approve")}</label>
                            <label class="radio"><input type="radio" name="decision" value="refuse"/>{lang.pick("不同意", "不同意", "Refuse")}</label>
                        </fieldset>
                        <div class="field" class:field-error=err("comment").is_some()>
                            <label for=format!("{form_id}-comment")>{lang.pick("说明（不同意时必填）", "說明（不同意時必填）", "Note (required to refuse)")}</label>
                            {err("comment").map(|m| view! { <p class="error-message">{m}</p> })}
                            <textarea id=format!("{form_id}-comment") name="comment" rows="2">{if this { f.value("comment") } else { String::new() }}</textarea>
                        </div>
                        <button type="submit" class="button">{lang.pick("提交审批", "提交審批", "Decide")}</button>
                    </form>
                })}
            </li>
        }
    }).collect_view();
    view! {
        <section class="panel" aria-labelledby="workflow-h">
            <h2 id="workflow-h">{lang.pick("审查环节与协办意见", "審查環節與協辦意見", "Review stages and opinions")}</h2>
            {(outstanding > 0).then(|| view! {
                <p class="hint" data-testid="opinions-pending">{match lang {
                    Lang::En => format!("{outstanding} opinion(s) still owed; the decision waits for all of them."),
                    _ => format!("尚有 {outstanding} 项意见未回复，全部回复后才能作出决定。"),
                }}</p>
            })}
            <ol class="tasks">{tasks}</ol>
            {(!c.requests.is_empty()).then(|| view! {
                <h3>{lang.pick("中止与延期申请", "中止與延期申請", "Suspension and extension requests")}</h3>
                <ul class="tasks">{requests}</ul>
            })}
        </section>
    }.into_any()
}

/// The bucket list, for the staff start page.
pub fn queue_links(lang: Lang) -> impl IntoView {
    view! {
        <ul class="tabs">{BUCKETS.iter().map(|b| view! { <li><a href=format!("/staff/queue?bucket={b}")>{bucket_label(b, lang)}</a></li> }).collect_view()}</ul>
    }
}

/// `/staff/queue`: the queues by bucket, searchable, paged by cursor.
#[component]
pub fn QueuePage() -> impl IntoView {
    signed_in(|c| async move {
        let (bucket, search, cursor, item) = (c.get("bucket"), c.get("q"), c.get("after"), c.get("item"));
        let query = office::QueueQuery { bucket: &bucket, search: &search, cursor: &cursor, item: &item };
        let p = office::queue(&c.state.db, &c.state.calendar(), c.user.as_ref(), query, c.today).await?;
        Ok(c.page(c.lang.pick("办件队列", "辦件隊列", "Queues"), render_queue(p, &search, c.lang)))
    })
}

/// `/staff/cases/:id`: one case in the back office, with the actions the caller's duty allows.
#[component]
pub fn StaffCasePage() -> impl IntoView {
    signed_in(|c| async move {
        let id: i32 = c.param("id")?;
        let sc = office::staff_case(&c.state.db, c.user.as_ref(), id, c.today).await?;
        let flash = c.flash("staff_case").await?;
        Ok(c.page(sc.case_no.clone(), render_staff_case(sc, flash, c.lang)))
    })
}
