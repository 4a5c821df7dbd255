//! The guide of one item (办事指南): what it is, its time limits, every material, and a checklist
//! preview: the applicant answers the item's questions and sees which materials apply and by when a
//! case accepted today would be decided — computed in the browser by the `rules` crate (with the
//! server's calendar), and by the server when JavaScript is off.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use rules::deadline::TimeLimit;
use rules::item::{ItemRules, Question};
use rules::materials::{checklist, Answers, ApplicantKind, Condition, MaterialForm, MaterialSpec, Requirement};
use rules::Lang;

use crate::api::get_item;
use crate::components::use_prefs;
use crate::islands::ChecklistLive;
use crate::models::ItemGuide;
use crate::pages::home::format_limit;

#[component]
pub fn ItemPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let guide = Resource::new(code, get_item);
    let body = move || {
        Suspend::new(async move {
            match guide.await {
                Ok(g) => view! { <Guide guide=g/> }.into_any(),
                Err(_) => view! { <crate::pages::NotFound/> }.into_any(),
            }
        })
    };
    view! { <Suspense fallback=move || view! { <p>{lang.pick("正在加载…", "正在載入…", "Loading…")}</p> }>{body}</Suspense> }
}

fn form_label(f: MaterialForm, lang: Lang) -> &'static str {
    match f {
        MaterialForm::Original => lang.pick("原件", "原件", "Original"),
        MaterialForm::Copy => lang.pick("复印件", "影本", "Copy"),
        MaterialForm::Electronic => lang.pick("电子件", "電子件", "Electronic"),
    }
}

/// A condition in words, e.g. 「个人申请」 or 「“是否委托他人代为办理？”选“是”」.
pub fn describe_condition(c: &Condition, questions: &[Question], lang: Lang) -> String {
    let answer_label = |q: &str, v: &str| -> (String, String) {
        let question = questions.iter().find(|x| x.code == q);
        let text = question.map(|x| x.text.clone()).unwrap_or_else(|| q.to_string());
        let label =
            question.and_then(|x| x.options.iter().find(|(o, _)| o == v)).map(|(_, l)| l.clone()).unwrap_or(v.into());
        (text, label)
    };
    match c {
        Condition::Applicant(ApplicantKind::Person) => {
            lang.pick("个人申请", "個人申請", "the applicant is a person").into()
        }
        Condition::Applicant(ApplicantKind::Enterprise) => {
            lang.pick("企业申请", "企業申請", "the applicant is an enterprise").into()
        }
        Condition::Eq { question, value } => {
            let (q, v) = answer_label(question, value);
            match lang {
                Lang::En => format!("“{q}” is answered “{v}”"),
                _ => format!("“{q}”选“{v}”"),
            }
        }
        Condition::In { question, values } => {
            let labels: Vec<String> = values.iter().map(|v| answer_label(question, v).1).collect();
            let q = answer_label(question, "").0;
            match lang {
                Lang::En => format!("“{q}” is answered {}", labels.join(" or ")),
                _ => format!("“{q}”选{}", labels.join("或")),
            }
        }
        Condition::And(cs) => cs
            .iter()
            .map(|c| describe_condition(c, questions, lang))
            .collect::<Vec<_>>()
            .join(lang.pick("，且", "，且", " and ")),
        Condition::Or(cs) => cs
            .iter()
            .map(|c| describe_condition(c, questions, lang))
            .collect::<Vec<_>>()
            .join(lang.pick("，或", "，或", " or ")),
        Condition::Not(c) => {
            format!("{}{}", lang.pick("并非：", "並非：", "not: "), describe_condition(c, questions, lang))
        }
    }
}

fn requirement_label(m: &MaterialSpec, questions: &[Question], lang: Lang) -> String {
    let base = match (m.requirement, m.deferrable) {
        (Requirement::Optional, _) => lang.pick("可选", "可選", "Optional").to_string(),
        (Requirement::Required, true) => {
            lang.pick("必需（可容缺后补）", "必需（可容缺後補）", "Required (may follow later)").to_string()
        }
        (Requirement::Required, false) => lang.pick("必需", "必需", "Required").to_string(),
    };
    match &m.condition {
        Some(c) => {
            format!("{base} · {}{}", lang.pick("适用于：", "適用於：", "when "), describe_condition(c, questions, lang))
        }
        None => base,
    }
}

fn size_label(bytes: u64) -> String {
    format!("{} MB", bytes / (1024 * 1024))
}

#[component]
fn Guide(guide: ItemGuide) -> impl IntoView {
    let lang = use_prefs().lang;
    let rules: ItemRules = guide.rules.clone();
    let cal = guide.calendar();
    let today = guide.today;
    let projected = guide.projected_decision(&cal);
    let unknown_years = projected.map(|d| cal.warnings_between(today, d)).unwrap_or_default();

    let specs = rules.materials.clone();
    let questions = rules.questions.clone();
    // The preview's answers: from the query string (the no-JS form) at first, then live.
    let query = use_query_map();
    let kind =
        query.read_untracked().get("kind").and_then(|k| ApplicantKind::parse(&k)).unwrap_or(ApplicantKind::Person);
    let answers: Answers = questions
        .iter()
        .filter_map(|q| query.read_untracked().get(&format!("q_{}", q.code)).map(|v| (q.code.clone(), v)))
        .collect();
    let materials_list = specs
        .iter()
        .map(|m| {
            view! {
                <li class="material">
                    <h3>{m.name.clone()}</h3>
                    {(!m.note.is_empty()).then(|| view! { <p class="hint">{m.note.clone()}</p> })}
                    <dl class="material-facts">
                        <div><dt>{lang.pick("要求", "要求", "Requirement")}</dt><dd>{requirement_label(m, &questions, lang)}</dd></div>
                        <div><dt>{lang.pick("形式与份数", "形式與份數", "Form and copies")}</dt><dd>{form_label(m.form, lang)}" × "{m.copies}</dd></div>
                        <div><dt>{lang.pick("电子文件", "電子檔案", "Files accepted")}</dt>
                            <dd>{m.file_types.iter().map(|t| t.label()).collect::<Vec<_>>().join(" / ")}" · ≤ "{size_label(m.max_bytes)}</dd></div>
                    </dl>
                    {(m.blank_form.is_some() || m.sample.is_some()).then(|| view! {
                        <p class="downloads">
                            {m.blank_form.clone().map(|u| view! { <a href=u download>{lang.pick("下载空白表格", "下載空白表格", "Blank form")}<span class="visually-hidden">" "{m.name.clone()}</span></a> })}
                            {m.sample.clone().map(|u| view! { <a href=u download>{lang.pick("下载示范文本", "下載示範文本", "Filled-in sample")}<span class="visually-hidden">" "{m.name.clone()}</span></a> })}
                        </p>
                    })}
                </li>
            }
        })
        .collect_view();

    let extension = rules.extension.max_working_days;
    view! {
        <Title text=format!("{} · {}", guide.name, lang.pick("办事指南", "辦事指南", "Guide"))/>
        <nav class="breadcrumbs" aria-label=lang.pick("位置", "位置", "Breadcrumbs")>
            <a href="/">{lang.pick("首页", "首頁", "Home")}</a>" › "{guide.department.clone()}
        </nav>
        <section class="panel">
            <p class="caption">{lang.pick("办事指南", "辦事指南", "Service guide")}" · "{guide.code.clone()}</p>
            <h1>{guide.name.clone()}</h1>
            <p class="lead">{guide.summary.clone()}</p>
            {(!guide.qr_svg.is_empty()).then(|| view! {
                <figure class="qr">
                    <div role="img" aria-label=lang.pick("本页二维码：用手机扫码打开办事指南", "本頁二維碼：用手機掃碼開啟辦事指南", "QR code (二维码) of this page: scan it to open the guide on a phone") inner_html=guide.qr_svg.clone()></div>
                    <figcaption class="hint">{lang.pick("手机扫码查看", "手機掃碼查看", "Scan to open on a phone")}</figcaption>
                </figure>
            })}
            <dl class="summary-list">
                <div><dt>{lang.pick("实施部门", "實施部門", "Department")}</dt><dd>{guide.department.clone()}</dd></div>
                <div><dt>{lang.pick("事项类型", "事項類型", "Kind")}</dt><dd>{rules.kind.label(lang)}</dd></div>
                <div><dt>{lang.pick("办件类型", "辦件類型", "Handling")}</dt><dd>{rules.handling.label(lang)}</dd></div>
                <div><dt>{lang.pick("法定时限", "法定時限", "Statutory limit")}</dt><dd>{format_limit(rules.statutory_limit, lang)}</dd></div>
                <div><dt>{lang.pick("承诺时限", "承諾時限", "Promised limit")}</dt><dd data-testid="promised">{format_limit(rules.decision_limit(), lang)}</dd></div>
                <div><dt>{lang.pick("延期", "延期", "Extension")}</dt><dd>{if extension == 0 {
                    lang.pick("不可延期", "不可延期", "not possible").to_string()
                } else {
                    match lang {
                        Lang::En => format!("once, by up to {extension} working days, with the approver's consent and a written reason"),
                        Lang::ZhHant => format!("經負責人批准可延長一次，最多 {extension} 個工作日，並書面告知理由"),
                        Lang::ZhHans => format!("经负责人批准可延长一次，最多 {extension} 个工作日，并书面告知理由"),
                    }
                }}</dd></div>
                {(!rules.result_name.is_empty()).then(|| view! {
                    <div><dt>{lang.pick("办理结果", "辦理結果", "Result")}</dt><dd>{rules.result_name.clone()}</dd></div>
                })}
                <div><dt>{lang.pick("收费", "收費", "Fees")}</dt><dd>{if rules.fee_note.is_empty() {
                    lang.pick("不收费", "不收費", "Free of charge").to_string()
                } else {
                    rules.fee_note.clone()
                }}</dd></div>
                {rules.fee_term.map(|t: TimeLimit| view! {
                    <div><dt>{lang.pick("缴费期限", "繳費期限", "Fee term")}</dt><dd>{format_limit(t, lang)}{lang.pick("（自收到缴费通知之日起）", "（自收到繳費通知之日起）", " from the fee notice")}</dd></div>
                })}
            </dl>
            {(!rules.special_procedures.is_empty()).then(|| view! {
                <h2>{lang.pick("特殊环节（不计入办理时限）", "特殊環節（不計入辦理時限）", "Special procedures (not counted in the time limit)")}</h2>
                <div class="table-scroll" tabindex="0" role="region" aria-label=lang.pick("可左右滚动的表格", "可左右捲動的表格", "Scrollable table")><table class="table">
                    <thead><tr>
                        <th scope="col">{lang.pick("环节", "環節", "Procedure")}</th>
                        <th scope="col">{lang.pick("一般时长", "一般時長", "Usual duration")}</th>
                        <th scope="col">{lang.pick("依据", "依據", "Legal basis")}</th>
                    </tr></thead>
                    <tbody>{rules.special_procedures.iter().map(|p| view! {
                        <tr><td>{p.name.clone()}</td><td>{format_limit(p.usual_duration, lang)}</td><td>{p.legal_basis.clone()}</td></tr>
                    }).collect_view()}</tbody>
                </table></div>
            })}
        </section>

        <section class="panel">
            <h2>{lang.pick("办理流程", "辦理流程", "Steps")}</h2>
            <ol class="steps">
                <li><strong>{lang.pick("申请与受理", "申請與受理", "Application and acceptance")}</strong>" — "{lang.pick(
                    "在线或到窗口提交材料；材料齐全、符合法定形式的当场受理，否则一次性告知需补正的全部内容；不能当场决定的，5 个工作日内决定是否受理。",
                    "線上或到窗口提交材料；材料齊全、符合法定形式的當場受理，否則一次性告知需補正的全部內容；不能當場決定的，5 個工作日內決定是否受理。",
                    "Submit online or at the window; complete applications are accepted on the spot, otherwise you are told once everything to correct; if the window cannot decide at once, it decides within 5 working days.")}</li>
                <li><strong>{lang.pick("审查", "審查", "Review")}</strong>" — "{lang.pick("承办部门审查材料，必要时组织听证、专家评审等特殊环节（不计入时限）。", "承辦部門審查材料，必要時組織聽證、專家評審等特殊環節（不計入時限）。", "The department reviews; hearings or expert reviews may follow (not counted in the time limit).")}</li>
                <li><strong>{lang.pick("决定", "決定", "Decision")}</strong>" — "{lang.pick("在承诺时限内作出准予或不予的决定；不予的说明理由和救济途径。", "在承諾時限內作出准予或不予的決定；不予的說明理由和救濟途徑。", "Within the promised limit: granted, or refused with the reasons and the remedies.")}</li>
                <li><strong>{lang.pick("送达", "送達", "Delivery")}</strong>" — "{lang.pick("窗口领取、邮寄或电子送达；需缴费的，缴费后 3 个工作日内送达。", "窗口領取、郵寄或電子送達；需繳費的，繳費後 3 個工作日內送達。", "At the window, by post or electronically; where a fee is due, within 3 working days of payment.")}</li>
            </ol>
        </section>
        <section class="panel apply-box">
            <h2>{lang.pick("在线申请", "線上申請", "Apply online")}</h2>
            <p>{lang.pick("登录后在线填写、上传材料并提交；填写过程中自动保存，可随时回来继续。", "登入後線上填寫、上傳材料並提交；填寫過程中自動儲存，可隨時回來繼續。", "Log in, answer the questions, upload the materials and submit; your draft is saved as you go.")}</p>
            {if rules.online {
                view! {
                    <form method="post" action={<crate::api::StartApplication as ServerFn>::PATH}>
                        <input type="hidden" name="item" value=guide.code.clone()/>
                        <button type="submit" class="button" data-testid="apply">{lang.pick("在线申请", "線上申請", "Apply online")}</button>
                    </form>
                }.into_any()
            } else {
                view! { <p class="warning">{lang.pick("本事项需到窗口办理。", "本事項需到窗口辦理。", "This service is only available at the window.")}</p> }.into_any()
            }}
        </section>
        <section class="panel">
            <h2>{lang.pick("申请材料", "申請材料", "Materials")}</h2>
            <ol class="material-list">{materials_list}</ol>
        </section>

        <section class="panel" aria-labelledby="preview-h">
            <h2 id="preview-h">{lang.pick("看看您需要准备什么", "看看您需要準備什麼", "What you will need")}</h2>
            {checklist_preview(&specs, &questions, kind, &answers, lang)}
            <ChecklistLive specs=specs.clone()/>
            {projected.map(|d| view! {
                <p class="projection" data-testid="projection">
                    {lang.pick("如今天（", "如今天（", "If accepted today (")}{today.to_string()}
                    {lang.pick("）受理，承诺办结日期为 ", "）受理，承諾辦結日期為 ", "), the promised decision date is ")}
                    <strong>{d.to_string()}</strong>
                    {lang.pick("（受理当日不计，节假日顺延）。", "（受理當日不計，節假日順延）。", " (the day of acceptance is not counted; holidays are skipped).")}
                </p>
            })}
            {(!unknown_years.is_empty()).then(|| view! {
                <p class="warning">{lang.pick("注意：该日期所在年份的节假日安排尚未公布，暂按周末计算。", "注意：該日期所在年份的節假日安排尚未公布，暫按週末計算。", "Note: that year's holiday schedule is not published yet; only weekends were skipped.")}</p>
            })}
        </section>

        <section class="panel">
            <h2>{lang.pick("办理地点与咨询投诉", "辦理地點與諮詢投訴", "Where to go, questions and complaints")}</h2>
            <p>{lang.pick("政务服务大厅 ", "政務服務大廳 ", "Government service hall, window of ")}{guide.department.clone()}{lang.pick(" 窗口。", " 窗口。", ".")}</p>
            <p>{lang.pick("办理时间：周一至周五 9:00–12:00、13:30–17:30（法定节假日除外，调休上班日照常办理）；提供预约办理、延时办理和全程代办。", "辦理時間：週一至週五 9:00–12:00、13:30–17:30（法定節假日除外，調休上班日照常辦理）；提供預約辦理、延時辦理和全程代辦。", "Hours: Monday to Friday 9:00–12:00 and 13:30–17:30 (not on public holidays; open on make-up working days); appointments, extended hours and full agency on request.")}</p>
            <p>{lang.pick("咨询：大厅首问窗口或本部门窗口。投诉：向政务服务中心效能监督窗口提出，或在办件页面提交。", "諮詢：大廳首問窗口或本部門窗口。投訴：向政務服務中心效能監督窗口提出，或在辦件頁面提交。", "Questions: the first-inquiry desk or the department's window. Complaints: the service centre's supervision window, or from your case page.")}</p>
            <p><a href="/complaint">{lang.pick("在线投诉窗口服务", "線上投訴窗口服務", "Complain online about a window")}</a></p>
        </section>
    }
}

/// The guide's preview: the applicant's kind and the item's questions, and the materials that
/// apply to those answers. Without JavaScript the form asks the server (`?kind=…&q_…=…`); with it
/// `islands::ChecklistLive` recomputes the lists as the answers change.
fn checklist_preview(
    specs: &[MaterialSpec],
    questions: &[Question],
    kind: ApplicantKind,
    answers: &Answers,
    lang: Lang,
) -> impl IntoView {
    let c = checklist(specs, kind, answers, &Default::default(), None);
    let name_of = |code: &String| specs.iter().find(|s| &s.code == code).map(|s| s.name.clone()).unwrap_or_default();
    let list = |codes: &Vec<String>| codes.iter().map(|c| view! { <li>{name_of(c)}</li> }).collect_view();
    let unanswered = questions.iter().any(|q| !answers.contains_key(&q.code));
    let kind_radio = move |k: ApplicantKind, label: &'static str| {
        view! {
            <label class="radio">
                <input type="radio" name="kind" value=k.as_str() checked=kind == k/>
                {label}
            </label>
        }
    };
    let question_fields = questions
        .iter()
        .map(|q| {
            let options = q
                .options
                .iter()
                .map(|(value, label)| {
                    let checked = answers.get(&q.code) == Some(value);
                    view! {
                        <label class="radio">
                            <input type="radio" name=format!("q_{}", q.code) value=value.clone() checked=checked/>
                            {label.clone()}
                        </label>
                    }
                })
                .collect_view();
            view! { <fieldset class="field"><legend>{q.text.clone()}</legend>{options}</fieldset> }
        })
        .collect_view();
    view! {
        <form method="get" class="preview-form">
            <fieldset class="field">
                <legend>{lang.pick("申请人类型", "申請人類型", "Applicant type")}</legend>
                {kind_radio(ApplicantKind::Person, lang.pick("个人", "個人", "Person"))}
                {kind_radio(ApplicantKind::Enterprise, lang.pick("企业 / 法人", "企業 / 法人", "Enterprise"))}
            </fieldset>
            {question_fields}
            <button type="submit" class="button secondary">{lang.pick("更新清单", "更新清單", "Update the list")}</button>
        </form>
        <div class="checklist-preview" aria-live="polite">
            <div id="preview-now">
                <h3>{lang.pick("现在需要提交", "現在需要提交", "Needed now")}</h3>
                <ul class="checklist" data-testid="required-now">{list(&c.required_now)}</ul>
            </div>
            <div id="preview-later" hidden=c.deferrable.is_empty()>
                <h3>{lang.pick("可容缺后补（受理后 30 日内补齐）", "可容缺後補（受理後 30 日內補齊）", "May follow after acceptance (within 30 days)")}</h3>
                <ul class="checklist">{list(&c.deferrable)}</ul>
            </div>
            <div id="preview-optional" hidden=c.optional.is_empty()>
                <h3>{lang.pick("可选", "可選", "Optional")}</h3>
                <ul class="checklist">{list(&c.optional)}</ul>
            </div>
            <p class="hint" id="preview-hint" hidden=!unanswered>{lang.pick("回答上面的问题后，清单会更准确。", "回答上面的問題後，清單會更準確。", "Answer the questions above for an exact list.")}</p>
        </div>
    }
}
