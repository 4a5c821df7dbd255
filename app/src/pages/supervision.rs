//! The supervisor's dashboard and statistics (server-made pages: plain links and forms).

use leptos::prelude::*;
use rules::Lang;

use crate::pages::loaded::signed_in;
use crate::{
    components::Notice,
    models::{CaseLine, Dashboard, Flash, Statistics},
};
use leptos::server_fn::ServerFn;

fn case_table(rows: Vec<CaseLine>, lang: Lang, empty: &'static str, test_id: &'static str) -> AnyView {
    if rows.is_empty() {
        return view! { <p class="hint" data-testid=test_id>{empty}</p> }.into_any();
    }
    view! {
        <div class="table-scroll"><table class="table" data-testid=test_id>
            <thead><tr>
                <th scope="col">{lang.pick("办件编号", "辦件編號", "Case")}</th>
                <th scope="col">{lang.pick("事项", "事項", "Service")}</th>
                <th scope="col">{lang.pick("状态", "狀態", "State")}</th>
                <th scope="col">{lang.pick("期限", "期限", "Due")}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|c| {
                    let badge = match c.remaining {
                        Some(r) if r < 0 => Some(("badge red", match lang { Lang::En => format!("overdue {}", -r), _ => format!("超期 {}", -r) })),
                        Some(r) => Some(("badge yellow", match lang { Lang::En => format!("{r} left"), _ => format!("剩 {r} 日") })),
                        None => None,
                    };
                    view! {
                        <tr>
                            <td><a href=format!("/staff/cases/{}", c.id)>{c.case_no}</a></td>
                            <td>{c.item_name}</td>
                            <td>{c.state}</td>
                            <td>{c.due_on.map(|d| d.to_string()).unwrap_or_default()}" "{badge.map(|(cl, t)| view! { <span class=cl>{t}</span> })}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table></div>
    }
    .into_any()
}

/// Where every dashboard form posts: the server function `api::supervision_act`.
const SUPERVISION_ACT: &str = <crate::api::SupervisionAct as ServerFn>::PATH;

fn text_form(
    f: &Flash,
    action: &'static str,
    id: i32,
    department: i32,
    label: &'static str,
    button: &'static str,
    extra: Option<AnyView>,
) -> impl IntoView {
    let key = format!("text_{id}");
    let err = f.errors.get(&key).cloned().or_else(|| f.errors.get(&format!("state_{id}")).cloned());
    let value = f.value(&key);
    let field_id = format!("{action}-{id}");
    let has_err = err.is_some();
    view! {
        <form method="post" action=SUPERVISION_ACT class="action-form">
            <input type="hidden" name="action" value=action/>
            <input type="hidden" name="id" value=id.to_string()/>
            <input type="hidden" name="department" value=department.to_string()/>
            {extra}
            <div class="field" class:field-error=has_err>
                <label for=field_id.clone()>{label}</label>
                {err.map(|m| view! { <p class="error-message">{m}</p> })}
                <textarea id=field_id name="text" rows="2">{value}</textarea>
            </div>
            <button type="submit" class="button secondary">{button}</button>
        </form>
    }
}

pub fn render_dashboard(d: Dashboard, f: Flash, lang: Lang) -> impl IntoView {
    let dep = d.department;
    let total = (d.levels.normal + d.levels.warning + d.levels.overdue).max(1);
    let bar = |n: u64, class: &'static str, label: &'static str| {
        let w = n as f64 * 100.0 / total as f64;
        view! {
            <div class="level-row">
                <span class="level-label">{label}</span>
                <svg class="level-bar" viewBox="0 0 100 6" preserveAspectRatio="none" role="img" aria-label=format!("{label} {n}")>
                    <rect x="0" y="0" width="100" height="6" class="track"/>
                    <rect x="0" y="0" width=format!("{w:.2}") height="6" class=class/>
                </svg>
                <strong class="level-count" data-testid=format!("level-{class}")>{n.to_string()}</strong>
            </div>
        }
    };
    let tabs = d.departments.iter().map(|(id, name)| {
        let current = *id == dep;
        view! { <li><a href=format!("/staff/supervision?dep={id}") aria-current=current.then_some("page") class:current=current>{name.clone()}</a></li> }
    }).collect_view();
    let records = d.records.iter().map(|r| {
        let answer = (d.may_answer && r.state == "open").then(|| text_form(&f, "explain", r.id, dep, lang.pick("情况说明", "情況說明", "Explanation"), lang.pick("提交说明", "提交說明", "Submit the explanation"), None));
        let close = (d.may_close && r.state == "explained").then(|| text_form(&f, "close", r.id, dep, lang.pick("监察结论", "監察結論", "Conclusion"), lang.pick("结案", "結案", "Close the record"), None));
        let state = match r.state.as_str() {
            "open" => lang.pick("待说明", "待說明", "Awaiting explanation"),
            "explained" => lang.pick("已说明，待结案", "已說明，待結案", "Explained"),
            _ => lang.pick("已结案", "已結案", "Closed"),
        };
        view! {
            <li class="record" data-testid="accountability-record">
                <p><strong>{r.kind.clone()}</strong>" · "<a href=format!("/staff/cases/{}", r.case_id)>{r.case_no.clone()}</a>
                   " · "{lang.pick("期限", "期限", "due")}" "{r.due_on.to_string()}" · "{state}</p>
                {(!r.explanation.is_empty()).then(|| view! { <p class="quote">{lang.pick("说明：", "說明：", "Explanation: ")}{r.explanation.clone()}</p> })}
                {(!r.conclusion.is_empty()).then(|| view! { <p class="quote">{lang.pick("结论：", "結論：", "Conclusion: ")}{r.conclusion.clone()}</p> })}
                {answer}{close}
            </li>
        }
    }).collect_view();
    let ratings = d.bad_ratings.iter().map(|r| {
        let options = [("called_back", lang.pick("已回访", "已回訪", "Called back")), ("rectified", lang.pick("已整改", "已整改", "Rectified")), ("appealed", lang.pick("申诉", "申訴", "Appealed")), ("closed", lang.pick("办结", "辦結", "Closed"))];
        let select = view! {
            <div class="field">
                <label for=format!("state-{}", r.id)>{lang.pick("处理结果", "處理結果", "Outcome")}</label>
                <select id=format!("state-{}", r.id) name="state">{options.into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}</select>
            </div>
        }.into_any();
        let form = (d.may_answer || d.may_close).then(|| text_form(&f, "follow_up", r.id, dep, lang.pick("回访与整改情况", "回訪與整改情況", "What was done"), lang.pick("记录", "記錄", "Record it"), Some(select)));
        view! {
            <li class="record" data-testid="bad-rating">
                <p><strong>{"★".repeat(r.level.max(0) as usize)}</strong>" · "<a href=format!("/staff/cases/{}", r.case_id)>{r.case_no.clone()}</a>
                   " · "{r.follow_up_state.clone()}
                   {r.follow_up_due.map(|due| view! { " · "{lang.pick("整改期限 ", "整改期限 ", "rectify by ")}{due.to_string()} })}
                   {r.overdue.then(|| view! { " "<span class="badge red">{lang.pick("逾期", "逾期", "late")}</span> })}</p>
                <p class="quote">{r.comment.clone()}{(!r.reason.is_empty()).then(|| format!("（{}）", r.reason))}</p>
                {(!r.follow_up_note.is_empty()).then(|| view! { <pre class="note">{r.follow_up_note.clone()}</pre> })}
                {form}
            </li>
        }
    }).collect_view();
    let complaints = d.complaints.iter().map(|c| {
        let form = (c.state == "open" && (d.may_answer || d.may_close)).then(|| text_form(&f, "answer_complaint", c.id, dep, lang.pick("答复", "答覆", "Answer"), lang.pick("答复投诉", "答覆投訴", "Send the answer"), None));
        view! {
            <li class="record" data-testid="complaint">
                <p><strong>{c.subject.clone()}</strong>{c.case_no.clone().map(|n| format!(" · {n}"))}" · "{c.state.clone()}" · "{lang.pick("答复期限 ", "答覆期限 ", "answer by ")}{c.due_on.to_string()}
                   {c.overdue.then(|| view! { " "<span class="badge red">{lang.pick("逾期", "逾期", "late")}</span> })}</p>
                <p class="quote">{c.body.clone()}</p>
                {(!c.answer.is_empty()).then(|| view! { <p class="quote">{lang.pick("答复：", "答覆：", "Answer: ")}{c.answer.clone()}</p> })}
                {form}
            </li>
        }
    }).collect_view();
    let repeats = d.repeat_refusals.iter().map(|r| view! {
        <tr><td>{r.applicant.clone()}</td><td>{r.item_name.clone()}</td><td>{r.times.to_string()}</td><td><a href=format!("/staff/cases/{}", r.last_case_id)>{lang.pick("最近一件", "最近一件", "latest")}</a></td></tr>
    }).collect_view();
    let run = |r: Option<crate::models::RunLine>, what: &'static str| {
        match r {
        Some(r) => view! { <p data-testid=what>{r.at}" · "{format!("{} ms", r.millis)}" · "<span class=if r.ok { "badge green" } else { "badge red" }>{if r.ok { lang.pick("正常", "正常", "OK") } else { lang.pick("异常", "異常", "BROKEN") }}</span></p><details><summary>{lang.pick("详情", "詳情", "Details")}</summary><pre class="note">{r.summary}</pre></details> }.into_any(),
        None => view! { <p class="hint" data-testid=what>{lang.pick("尚未运行", "尚未運行", "Not run yet")}</p> }.into_any(),
    }
    };
    view! {
        <nav class="breadcrumbs"><a href="/staff">{lang.pick("工作台", "工作台", "Workspace")}</a>" · "<a href="/staff/stats">{lang.pick("统计分析", "統計分析", "Statistics")}</a></nav>
        <h1>{lang.pick("电子监察", "電子監察", "Supervision")}</h1>
        <Notice text=f.notice.clone()/>
        {f.errors.get("_form").cloned().map(|m| view! { <div class="error-summary" role="alert"><p>{m}</p></div> })}
        <ul class="tabs">{tabs}</ul>
        <section class="panel">
            <h2>{lang.pick("在办件预警", "在辦件預警", "Open cases by warning level")}" · "{d.today.to_string()}</h2>
            {bar(d.levels.normal, "green", lang.pick("正常", "正常", "Normal"))}
            {bar(d.levels.warning, "yellow", lang.pick("黄灯预警", "黃燈預警", "Yellow"))}
            {bar(d.levels.overdue, "red", lang.pick("红灯超期", "紅燈超期", "Red (overdue)"))}
        </section>
        <section class="panel">
            <h2>{lang.pick("今日到期", "今日到期", "Due today")}</h2>
            {case_table(d.due_today, lang, lang.pick("今日没有到期的办件。", "今日沒有到期的辦件。", "Nothing is due today."), "due-today")}
        </section>
        <section class="panel">
            <h2>{lang.pick("超期办件", "超期辦件", "Overdue cases")}</h2>
            {case_table(d.overdue, lang, lang.pick("没有超期的办件。", "沒有超期的辦件。", "No case is overdue."), "overdue")}
        </section>
        <section class="panel">
            <h2>{lang.pick("问责记录", "問責記錄", "Accountability records")}</h2>
            {if d.records.is_empty() { view! { <p class="hint">{lang.pick("暂无问责记录。", "暫無問責記錄。", "No records.")}</p> }.into_any() } else { view! { <ul class="records">{records}</ul> }.into_any() }}
        </section>
        <section class="panel">
            <h2>{lang.pick("同一申请人同一事项两次以上被拒", "同一申請人同一事項兩次以上被拒", "Refused twice or more (same applicant, same service)")}</h2>
            {if d.repeat_refusals.is_empty() { view! { <p class="hint">{lang.pick("无。", "無。", "None.")}</p> }.into_any() } else { view! {
                <table class="table"><thead><tr><th scope="col">{lang.pick("申请人", "申請人", "Applicant")}</th><th scope="col">{lang.pick("事项", "事項", "Service")}</th><th scope="col">{lang.pick("次数", "次數", "Times")}</th><th scope="col"></th></tr></thead><tbody>{repeats}</tbody></table>
            }.into_any() }}
        </section>
        <section class="panel">
            <h2>{lang.pick("差评整改", "差評整改", "Bad ratings and their follow-up")}</h2>
            {if d.bad_ratings.is_empty() { view! { <p class="hint">{lang.pick("暂无差评。", "暫無差評。", "No bad ratings.")}</p> }.into_any() } else { view! { <ul class="records">{ratings}</ul> }.into_any() }}
        </section>
        <section class="panel">
            <h2>{lang.pick("投诉", "投訴", "Complaints")}</h2>
            {if d.complaints.is_empty() { view! { <p class="hint">{lang.pick("暂无投诉。", "暫無投訴。", "No complaints.")}</p> }.into_any() } else { view! { <ul class="records">{complaints}</ul> }.into_any() }}
        </section>
        <section class="panel">
            <h2>{lang.pick("审计链", "審計鏈", "Audit chain")}</h2>
            {run(d.audit, "audit-run")}
            {d.may_close.then(|| view! {
                <form method="post" action=SUPERVISION_ACT>
                    <input type="hidden" name="action" value="verify_audit"/>
                    <input type="hidden" name="department" value=dep.to_string()/>
                    <button type="submit" class="button secondary">{lang.pick("立即校验", "立即校驗", "Verify now")}</button>
                </form>
            })}
            <h2>{lang.pick("定时规则检查", "定時規則檢查", "Scheduled rules sweep")}</h2>
            {run(d.sweep, "sweep-run")}
        </section>
    }
}

/// A bar chart of received and closed cases per row, drawn on the server as SVG.
pub fn chart_svg(s: &Statistics, lang: Lang) -> String {
    let esc = |t: &str| t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let max = s.rows.iter().map(|r| r.submitted.max(r.closed)).max().unwrap_or(0).max(1) as f64;
    let (bw, gap, h, top, left) = (18.0, 16.0, 160.0, 20.0, 40.0);
    let width = left + s.rows.len() as f64 * (2.0 * bw + gap) + gap;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w:.0} {hh:.0}\" class=\"chart\" role=\"img\" aria-label=\"{title}\">",
        w = width.max(200.0),
        hh = h + top + 60.0,
        title = esc(lang.pick("收件与办结数量", "收件與辦結數量", "Received and closed"))
    );
    out.push_str(&format!(
        "<line x1=\"{left}\" y1=\"{y}\" x2=\"{x2:.0}\" y2=\"{y}\" class=\"axis\"/><text x=\"{tx}\" y=\"{ty}\" class=\"tick\">{max:.0}</text>",
        y = top + h,
        x2 = width,
        tx = 2,
        ty = top + 4.0
    ));
    for (i, r) in s.rows.iter().enumerate() {
        let x = left + gap + i as f64 * (2.0 * bw + gap);
        for (j, (n, class)) in [(r.submitted, "received"), (r.closed, "closed")].into_iter().enumerate() {
            let bh = n as f64 / max * h;
            out.push_str(&format!(
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bw}\" height=\"{bh:.1}\" class=\"{class}\"><title>{label} {n}</title></rect>",
                x = x + j as f64 * bw,
                y = top + h - bh,
                label = esc(&r.label)
            ));
        }
        let short: String = r.label.chars().take(8).collect();
        out.push_str(&format!(
            "<text x=\"{x:.1}\" y=\"{y:.1}\" class=\"label\" transform=\"rotate(30 {x:.1} {y:.1})\">{t}</text>",
            x = x + 2.0,
            y = top + h + 14.0,
            t = esc(&short)
        ));
    }
    out.push_str(&format!(
        "<rect x=\"{left}\" y=\"2\" width=\"10\" height=\"10\" class=\"received\"/><text x=\"{a}\" y=\"11\" class=\"tick\">{r}</text>\
         <rect x=\"{b}\" y=\"2\" width=\"10\" height=\"10\" class=\"closed\"/><text x=\"{c}\" y=\"11\" class=\"tick\">{cl}</text></svg>",
        a = left + 14.0,
        b = left + 90.0,
        c = left + 104.0,
        r = esc(lang.pick("收件", "收件", "received")),
        cl = esc(lang.pick("办结", "辦結", "closed"))
    ));
    out
}

pub fn render_stats(s: Statistics, query: String, lang: Lang) -> impl IntoView {
    let heads = crate::server::supervision::headings(&s, lang);
    let chart = chart_svg(&s, lang);
    let rows = s
        .rows
        .iter()
        .chain(std::iter::once(&s.total))
        .map(|r| {
            let c = crate::server::supervision::cells(r);
            view! { <tr>{c.into_iter().map(|v| view! { <td>{v}</td> }).collect_view()}</tr> }
        })
        .collect_view();
    let by = s.by.clone();
    let opt = move |v: &'static str, l: &'static str| view! { <option value=v selected=by == v>{l}</option> };
    let dep = s.department;
    view! {
        <nav class="breadcrumbs"><a href="/staff">{lang.pick("工作台", "工作台", "Workspace")}</a>" · "<a href="/staff/supervision">{lang.pick("电子监察", "電子監察", "Supervision")}</a></nav>
        <h1>{lang.pick("统计分析", "統計分析", "Statistics")}</h1>
        <form method="get" action="/staff/stats" class="search filters">
            <div class="field"><label for="by">{lang.pick("统计口径", "統計口徑", "Group by")}</label>
                <select id="by" name="by">{opt("department", lang.pick("部门", "部門", "Department"))}{opt("item", lang.pick("事项", "事項", "Service"))}{opt("month", lang.pick("月份", "月份", "Month"))}</select></div>
            <div class="field"><label for="dep">{lang.pick("部门", "部門", "Department")}</label>
                <select id="dep" name="dep"><option value="">{lang.pick("全部", "全部", "All")}</option>
                {s.departments.iter().map(|(id, name)| view! { <option value=id.to_string() selected=dep == Some(*id)>{name.clone()}</option> }).collect_view()}</select></div>
            <div class="field"><label for="from">{lang.pick("起始日期", "起始日期", "From")}</label><input id="from" name="from" type="date" value=s.from.to_string()/></div>
            <div class="field"><label for="to">{lang.pick("截止日期", "截止日期", "To")}</label><input id="to" name="to" type="date" value=s.to.to_string()/></div>
            <button type="submit">{lang.pick("统计", "統計", "Show")}</button>
        </form>
        <p class="downloads">
            <a href=format!("/staff/stats.csv{query}") download="">{lang.pick("导出 CSV", "匯出 CSV", "Export CSV")}</a>" · "
            <a href=format!("/staff/stats.xlsx{query}") download="">{lang.pick("导出 Excel（XLSX）", "匯出 Excel（XLSX）", "Export Excel (XLSX)")}</a>
        </p>
        <section class="panel chart-panel" inner_html=chart></section>
        <section class="panel">
            <div class="table-scroll"><table class="table" data-testid="stats-table">
                <thead><tr>{heads.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
            <p class="hint">{lang.pick(
                "按时办结：在承诺期限内办结；提前办结：期限届满前办结；当日办结：受理当日办结。用时按工作日计，不含中止期间。",
                "按時辦結：在承諾期限內辦結；提前辦結：期限屆滿前辦結；當日辦結：受理當日辦結。用時按工作日計，不含中止期間。",
                "On time: closed by the due day; early: before it; same day: on the day of acceptance. Working days, suspensions excluded.",
            )}</p>
        </section>
    }
}

/// 首问负责制: the consultation log of the window, its form and search.
pub fn render_inquiries(d: crate::models::InquiryDesk, f: Flash, lang: Lang) -> impl IntoView {
    let err = |name: &str| f.errors.get(name).cloned();
    let field = |name: &'static str, label: &'static str, long: bool| {
        let e = err(name);
        let has = e.is_some();
        let id = format!("inq-{name}");
        let value = f.value(name);
        view! {
            <div class="field" class:field-error=has>
                <label for=id.clone()>{label}</label>
                {e.map(|m| view! { <p class="error-message">{m}</p> })}
                {if long {
                    view! { <textarea id=id name=name rows="3">{value}</textarea> }.into_any()
                } else {
                    view! { <input id=id name=name value=value autocomplete="off"/> }.into_any()
                }}
            </div>
        }
    };
    let chosen = f.value("item");
    let item_err = err("item");
    let rows = d.rows.into_iter().map(|r| {
        let start = (!r.id_number.is_empty() || r.case_id.is_some()).then(|| view! {
            <form method="post" action={<crate::api::InquiryApply as ServerFn>::PATH}>
                <input type="hidden" name="id" value=r.id.to_string()/>
                <button type="submit" class="button secondary">{if r.case_id.is_some() { lang.pick("查看申请", "查看申請", "Open the application") } else { lang.pick("转为窗口申请", "轉為窗口申請", "Start a counter application") }}</button>
            </form>
        });
        view! {
            <li class="record" data-testid="consultation">
                <p><strong>{r.asker_name}</strong>{(!r.asker_contact.is_empty()).then(|| format!(" · {}", r.asker_contact))}
                   " · "{r.asked_at}" · "{r.staff}{(!r.item_name.is_empty()).then(|| format!(" · {}", r.item_name))}</p>
                <p class="quote">{lang.pick("问：", "問：", "Q: ")}{r.question}</p>
                <p class="quote">{lang.pick("答：", "答：", "A: ")}{r.answer}</p>
                {(!r.referral.is_empty()).then(|| view! { <p>{lang.pick("转办：", "轉辦：", "Referred to: ")}{r.referral}</p> })}
                {start}
            </li>
        }
    }).collect_view();
    view! {
        <nav class="breadcrumbs"><a href="/staff">{lang.pick("工作台", "工作台", "Workspace")}</a>" · "<a href="/staff/intake">{lang.pick("窗口帮办", "窗口幫辦", "Counter intake")}</a></nav>
        <h1>{lang.pick("首问登记", "首問登記", "First-inquiry desk")}</h1>
        <Notice text=f.notice.clone()/>
        {(!f.errors.is_empty()).then(|| view! { <div class="error-summary" role="alert"><p>{lang.pick("请更正标出的内容，已填写的内容均已保留。", "請更正標出的內容，已填寫的內容均已保留。", "Please correct the marked fields; everything you typed is kept.")}</p></div> })}
        <section class="panel">
            <h2>{lang.pick("登记一次咨询", "登記一次諮詢", "Log a consultation")}</h2>
            <form method="post" action={<crate::api::InquiryLog as ServerFn>::PATH} class="action-form" id="form-inquiry">
                {field("asker_name", lang.pick("咨询人", "諮詢人", "Who asked"), false)}
                {field("asker_contact", lang.pick("联系电话（可选）", "聯絡電話（可選）", "Phone (optional)"), false)}
                {field("id_number", lang.pick("身份证号码或统一社会信用代码（可选，转申请时使用）", "身分證號碼或統一社會信用代碼（可選，轉申請時使用）", "ID number or credit code (optional; used to start an application)"), false)}
                <div class="field" class:field-error=item_err.is_some()>
                    <label for="inq-item">{lang.pick("咨询事项", "諮詢事項", "Service asked about")}</label>
                    {item_err.clone().map(|m| view! { <p class="error-message">{m}</p> })}
                    <select id="inq-item" name="item">
                        <option value="">{lang.pick("（不涉及具体事项）", "（不涉及具體事項）", "(none in particular)")}</option>
                        {d.items.into_iter().map(|(code, name)| { let sel = chosen == code; view! { <option value=code.clone() selected=sel>{format!("{name}（{code}）")}</option> } }).collect_view()}
                    </select>
                </div>
                {field("question", lang.pick("咨询问题", "諮詢問題", "Question"), true)}
                {field("answer", lang.pick("答复内容", "答覆內容", "Answer given"), true)}
                {field("referral", lang.pick("转办部门或窗口（可选）", "轉辦部門或窗口（可選）", "Referred to (optional)"), false)}
                <button type="submit" class="button">{lang.pick("登记", "登記", "Log it")}</button>
            </form>
        </section>
        <section class="panel">
            <h2>{lang.pick("咨询记录", "諮詢記錄", "Consultations")}</h2>
            <form method="get" action="/staff/inquiries" class="search" role="search">
                <div class="field"><label for="inq-q">{lang.pick("按姓名、电话、证件号或问题查找", "按姓名、電話、證件號或問題查找", "Find by name, phone, number or question")}</label>
                <div class="search-row"><input id="inq-q" name="q" value=d.search.clone()/><button type="submit">{lang.pick("查找", "查找", "Find")}</button></div></div>
            </form>
            <ul class="records">{rows}</ul>
        </section>
    }
}

/// `/staff/supervision`: the supervisor's dashboard.
#[component]
pub fn SupervisionPage() -> impl IntoView {
    signed_in(|c| async move {
        let dep = c.get("dep").parse().ok();
        let cal = c.state.calendar();
        let d = crate::server::supervision::dashboard(&c.state.db, &cal, c.user.as_ref(), dep, c.today, c.lang).await?;
        let flash = c.flash("supervision").await?;
        Ok(c.page(c.lang.pick("电子监察", "電子監察", "Supervision"), render_dashboard(d, flash, c.lang)))
    })
}

/// `/staff/inquiries`: the first-inquiry desk.
#[component]
pub fn InquiriesPage() -> impl IntoView {
    signed_in(|c| async move {
        let d = crate::server::inquiry::desk(&c.state.db, c.user.as_ref(), &c.get("q")).await?;
        let flash = c.flash("inquiry").await?;
        Ok(c.page(c.lang.pick("首问登记", "首問登記", "First-inquiry desk"), render_inquiries(d, flash, c.lang)))
    })
}

/// `/staff/stats`: statistics by department, item or month.
#[component]
pub fn StatsPage() -> impl IntoView {
    signed_in(|c| async move {
        let (by, from, to, dep) = crate::server::supervision_forms::stats_query(&c.query, c.today, c.lang)?;
        let s = crate::server::supervision::statistics(&c.state.db, c.user.as_ref(), &by, from, to, dep).await?;
        let qs = format!(
            "?by={}&from={}&to={}{}",
            s.by,
            s.from,
            s.to,
            s.department.map(|d| format!("&dep={d}")).unwrap_or_default()
        );
        Ok(c.page(c.lang.pick("统计分析", "統計分析", "Statistics"), render_stats(s, qs, c.lang)))
    })
}
