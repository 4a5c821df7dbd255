//! "My cases" and one case with its timeline, drawn from the case's events (staff-internal events
//! are never sent to the browser).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;
use rules::{CaseState, Lang, WarningLevel};

use crate::api::{case_detail, my_cases, take_flash};
use crate::components::{use_prefs, Notice, ServerError};
use crate::models::CaseSummary;
use crate::models::{human_size, rating_label, CaseDetail, Flash, RATING_LEVELS};

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

#[component]
pub fn CasesPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let data = Resource::new(|| (), |_| my_cases());
    // (a walk-in who just opened their online account is told so here)
    let flash = Resource::new(|| (), |_| take_flash("cases".into()));
    let notice = move || {
        Suspend::new(async move {
            view! { <Notice text=flash.await.ok().flatten().and_then(|f| f.notice)/> }
        })
    };
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
                                        <h2><a href=match (c.state, c.bundle) {
                                            (CaseState::Draft, Some(b)) => format!("/bundle-applications/{b}"),
                                            (CaseState::Draft, None) => format!("/applications/{}", c.id),
                                            _ => format!("/cases/{}", c.id),
                                        }>{c.item_name.clone()}</a></h2>
                                        <p class="meta"><span>{title}</span><span class="tag">{c.state.label_for(c.filing, lang)}</span>{warning_badge(&c, lang)}
                                            {c.bundle.map(|b| view! { <a class="tag" href=format!("/bundle-applications/{b}")>{lang.pick("一件事", "一件事", "combined")}</a> })}</p>
                                        <p class="hint">{next_step(c.state, c.due_for, lang)}</p>
                                        {c.due_on.map(|d| view! {
                                            <p>{c.due_for.map(|t| t.label(lang)).unwrap_or(lang.pick("办理期限", "辦理期限", "Due"))}{lang.pick("：", "：", ": ")}<strong>{d.to_string()}</strong></p>
                                        })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any(),
                Err(e) => view! { <ServerError error=e/> }.into_any(),
            }
        })
    };
    view! {
        <Title text=lang.pick("我的办件 · 通办", "我的辦件 · 通辦", "My cases · Tongban")/>
        <h1>{lang.pick("我的办件", "我的辦件", "My cases")}</h1>
        <Suspense fallback=|| ()>{notice}{body}</Suspense>
    }
}

/// The 容缺 materials still due, each with its upload form (the applicant's on the case page, the
/// window's on the staff page for a walk-in): sent to the editor's upload, which takes only
/// these materials once the case is accepted, and only until their due date.
pub fn supplement_panel(
    case: i32,
    sup: &crate::models::SupplementView,
    f: &crate::models::Flash,
    lang: Lang,
    window: Option<bool>,
) -> impl IntoView {
    // `window`: on the staff page, whether this member of staff uploads for a walk-in
    let uploads = window.unwrap_or(true);
    let heading = lang.pick("补齐容缺材料", "補齊容缺材料", "Deferred materials");
    let state = match (sup.overdue, sup.missing.is_empty(), window.is_some()) {
        (true, _, _) => lang.pick(
            "补齐期限已过，办理结果无效。",
            "補齊期限已過，辦理結果無效。",
            "Their term is over: the result is void.",
        ),
        (false, true, false) => {
            lang.pick("已全部上传，等待窗口确认。", "已全部上傳，等待窗口確認。", "All sent: the window confirms them.")
        }
        (false, true, true) => lang.pick(
            "已全部上传：核对后在下方确认。",
            "已全部上傳：核對後在下方確認。",
            "All on file: check them and confirm below.",
        ),
        (false, false, false) => lang.pick(
            "受理时允许后补的材料，请在期限内上传：",
            "受理時允許後補的材料，請在期限內上傳：",
            "Accepted without these: send them by the due date:",
        ),
        (false, false, true) => lang.pick(
            "申请人尚未补齐以下材料；申请人到窗口提交的，可在此代为上传：",
            "申請人尚未補齊以下材料；申請人到窗口提交的，可在此代為上傳：",
            "Still missing; a walk-in's copies can be uploaded here:",
        ),
    };
    let forms = (uploads && !sup.overdue).then(|| {
        sup.missing
            .iter()
            .map(|(code, name)| {
                let field = format!("m_{code}");
                let err = f.errors.get(&field).cloned();
                let refused = err.is_some();
                view! {
                    <li class="material-card" id=format!("m-{code}") class:field-error=refused>
                        <h3>{name.clone()}</h3>
                        {err.map(|m| view! { <p class="error-message" role="alert">{m}</p> })}
                        <form method="post" enctype="multipart/form-data" action=format!("/applications/{case}/files?material={code}") class="upload-form">
                            <label for=format!("f-{code}")>{lang.pick("选择文件", "選擇檔案", "Choose a file")}</label>
                            <input type="file" id=format!("f-{code}") name="file" required/>
                            <button type="submit" class="button secondary">{lang.pick("上传", "上傳", "Upload")}</button>
                        </form>
                    </li>
                }
            })
            .collect_view()
    });
    view! {
        <section class="panel warning-box" id="supplement" data-testid="supplement">
            <h2>{heading}</h2>
            <p>{state}</p>
            <p><strong>{lang.pick("补齐期限：", "補齊期限：", "Due by: ")}{sup.due.to_string()}</strong></p>
            <ul class="material-cards">{forms}</ul>
        </section>
    }
}

/// Links to a case's printable notices: the same list for the applicant and for the staff.
pub fn notice_links(case: i32, notices: &[crate::models::NoticeKind], lang: Lang) -> impl IntoView {
    notices
        .iter()
        .map(|k| {
            let test = format!("notice-{}", k.file().trim_end_matches(".pdf"));
            view! { <a href=format!("/notices/{case}/{}", k.file()) data-testid=test>{k.label(lang)}{lang.pick("（PDF）", "（PDF）", " (PDF)")}</a> }
        })
        .collect_view()
}

/// What happens next, and who has to act.
pub fn next_step(state: CaseState, term: Option<rules::supervision::Term>, lang: Lang) -> &'static str {
    use rules::CaseState::*;
    match state {
        // a filing: concluded from its receipt
        Submitted if term == Some(rules::supervision::Term::Decision) => lang.pick(
            "等待部门作出是否予以备案的结论（收到材料的次一工作日内）",
            "等待部門作出是否予以備案的結論（收到材料的次一工作日內）",
            "The department: file it or not (by the working day after receipt)",
        ),
        Draft => lang.pick("等待您完成并提交申请", "等待您完成並提交申請", "You: finish and submit the application"),
        Submitted => lang.pick(
            "等待窗口受理（5 个工作日内）",
            "等待窗口受理（5 個工作日內）",
            "The window: decide on acceptance (within 5 working days)",
        ),
        AwaitingCorrection => {
            lang.pick("等待您按通知补正材料", "等待您按通知補正材料", "You: correct the materials as the notice says")
        }
        RefusalProposed => lang.pick(
            "补正期限已过：部门拟不予受理，报负责人批准后送达决定书",
            "補正期限已過：部門擬不予受理，報負責人批准後送達決定書",
            "The correction term is over: the department proposes to refuse acceptance; the head decides",
        ),
        Accepted | InReview => lang.pick("部门审查中", "部門審查中", "The department: reviewing"),
        Suspended => lang.pick(
            "特殊环节进行中（不计时）",
            "特殊環節進行中（不計時）",
            "A special procedure is under way (clock stopped)",
        ),
        AwaitingPayment => lang.pick("等待您按缴费通知缴费", "等待您按繳費通知繳費", "You: pay the fee"),
        DenialProposed => lang.pick(
            "缴费期限已过：部门拟不予批准，报负责人批准后送达决定书",
            "繳費期限已過：部門擬不予批准，報負責人批准後送達決定書",
            "The payment term is over: the department proposes to deny; the head decides",
        ),
        ReadyForDelivery => lang.pick("等待送达结果", "等待送達結果", "The window: deliver the result"),
        Decided(rules::DecisionKind::Forward) => lang.pick(
            "已上报上级机关，等待上级机关决定",
            "已上報上級機關，等待上級機關決定",
            "Forwarded: waiting for the higher authority's decision",
        ),
        Decided(_) => {
            lang.pick("已作出决定，等待送达", "已作出決定，等待送達", "Decided; the result will be delivered")
        }
        Delivered | Closed => lang.pick("已办结，欢迎评价", "已辦結，歡迎評價", "Finished: please rate the service"),
        NotAccepted | Withdrawn => lang.pick("已结束", "已結束", "Ended"),
    }
}

pub fn render_case(d: CaseDetail, f: Flash, just_submitted: bool, lang: Lang) -> impl IntoView {
    let s = d.summary.clone();
    let x = d.extras.clone();
    let id = s.id;
    let name_of =
        |code: &str| x.material_names.iter().find(|(c, _)| c == code).map(|(_, n)| n.clone()).unwrap_or_default();
    let err = |k: &str| f.errors.get(k).cloned();
    let form_err = err("_form");
    let rating_form = x.can_rate.then(|| {
        let level0 = f.value("level");
        view! {
            <section class="panel" id="rating">
                <h2>{lang.pick("评价本次服务（好差评）", "評價本次服務（好差評）", "Rate this service")}</h2>
                <form method="post" action={<crate::api::RateCase as ServerFn>::PATH}>
                    <input type="hidden" name="case" value=id.to_string()/>
                    <fieldset class="field" id="f-level" class:field-error=err("level").is_some()>
                        <legend>{lang.pick("您对本次办理满意吗？", "您對本次辦理滿意嗎？", "How satisfied are you?")}</legend>
                        {err("level").map(|m| view! { <p class="error-message">{m}</p> })}
                        {RATING_LEVELS.iter().map(|l| view! {
                            <label class="radio"><input type="radio" name="level" value=l.to_string() checked=level0 == l.to_string()/>{rating_label(*l, lang)}</label>
                        }).collect_view()}
                    </fieldset>
                    <div class="field" class:field-error=err("reason").is_some()>
                        <label for="f-reason">{lang.pick("不满意的原因（选择“不满意”或“非常不满意”时必填）", "不滿意的原因（選擇「不滿意」或「非常不滿意」時必填）", "Why (required for the two lowest ratings)")}</label>
                        {err("reason").map(|m| view! { <p class="error-message" id="f-reason-error">{m}</p> })}
                        <textarea id="f-reason" name="reason" rows="3">{f.value("reason")}</textarea>
                    </div>
                    <div class="field">
                        <label for="f-comment">{lang.pick("意见建议（可选）", "意見建議（可選）", "Comments (optional)")}</label>
                        <textarea id="f-comment" name="comment" rows="3">{f.value("comment")}</textarea>
                    </div>
                    <button type="submit" class="button">{lang.pick("提交评价", "提交評價", "Send the rating")}</button>
                </form>
            </section>
        }
    });
    view! {
        <nav class="breadcrumbs"><a href="/cases">{lang.pick("我的办件", "我的辦件", "My cases")}</a></nav>
        {form_err.map(|m| view! { <div class="error-summary" role="alert"><p>{m}</p></div> })}
        <crate::components::Notice text=f.notice.clone()/>
        {(just_submitted && s.case_no.is_some()).then(|| view! {
            <section class="panel confirmation" data-testid="confirmation">
                <h1>{lang.pick("申请已提交", "申請已提交", "Application submitted")}</h1>
                <p>{lang.pick("您的办件编号", "您的辦件編號", "Your case number")}</p>
                <p class="case-no" data-testid="case-no">{s.case_no.clone()}</p>
                <p>{lang.pick("请记下办件编号，可凭编号和手机号或证件号码后 4 位在“进度查询”中查看进度。", "請記下辦件編號，可憑編號和手機號或證件號碼後 4 位在「進度查詢」中查看進度。", "Keep this number: with it and the last 4 digits of your mobile or ID number you can track the case without logging in.")}</p>
            </section>
        })}
        <section class="panel">
            <p class="caption">{s.case_no.clone().unwrap_or_default()}</p>
            <h1>{s.item_name.clone()}</h1>
            <p class="meta"><span class="tag" data-testid="state">{s.state.label_for(s.filing, lang)}</span>{warning_badge(&s, lang)}</p>
            <p><strong>{lang.pick("下一步：", "下一步：", "Next: ")}</strong>{next_step(s.state, s.due_for, lang)}</p>
            {s.bundle.map(|b| view! {
                <p data-testid="case-bundle">{lang.pick("本事项是“一件事”申请的一部分。", "本事項是「一件事」申請的一部分。", "This item is part of a combined application. ")}
                    <a href=format!("/bundle-applications/{b}")>{lang.pick("查看全部事项的进度", "查看全部事項的進度", "See every item's progress")}</a></p>
            })}
            <dl class="summary-list">
                <div><dt>{lang.pick("受理部门", "受理部門", "Department")}</dt><dd>{d.department.clone()}</dd></div>
                {x.submitted_on.map(|a| view! { <div><dt>{lang.pick("提交日期", "提交日期", "Submitted on")}</dt><dd>{a.to_string()}</dd></div> })}
                {x.acceptance_by.map(|a| view! { <div><dt>{lang.pick("受理决定期限", "受理決定期限", "Acceptance decided by")}</dt><dd data-testid="acceptance-by">{a.to_string()}</dd></div> })}
                {d.accepted_on.map(|a| view! { <div><dt>{lang.pick("受理日期", "受理日期", "Accepted on")}</dt><dd>{a.to_string()}</dd></div> })}
                {s.due_on.filter(|_| d.accepted_on.is_some()).map(|a| view! { <div><dt>{s.due_for.map_or(lang.pick("办理期限", "辦理期限", "Due"), |t| t.label(lang))}</dt><dd data-testid="due">{a.to_string()}</dd></div> })}
                {d.correction_due.map(|a| view! { <div><dt>{lang.pick("补正期限", "補正期限", "Correct by")}</dt><dd>{a.to_string()}</dd></div> })}
                {x.fee_due.map(|a| view! { <div><dt>{lang.pick("缴费期限", "繳費期限", "Pay by")}</dt><dd>{a.to_string()}</dd></div> })}
            </dl>
            <div class="button-row">
                {x.can_edit.then(|| view! { <a class="button" href=format!("/applications/{id}")>{if s.state == CaseState::Draft { lang.pick("继续填写", "繼續填寫", "Continue") } else { lang.pick("补正材料", "補正材料", "Correct the materials") }}</a> })}
                {x.can_withdraw.then(|| view! { <a class="button secondary" href=format!("/cases/{id}/withdraw")>{lang.pick("撤回申请", "撤回申請", "Withdraw")}</a> })}
            </div>
        </section>
        {x.correction.clone().map(|c| view! {
            <section class="panel warning-box">
                <h2>{lang.pick("补正通知（一次性告知）", "補正通知（一次性告知）", "Correction notice")}</h2>
                <p class="pre">{c.text}</p>
                {c.due.map(|d| view! { <p><strong>{lang.pick("补正期限：", "補正期限：", "Correct by: ")}{d.to_string()}</strong></p> })}
            </section>
        })}
        {x.supplement.clone().map(|sup| supplement_panel(id, &sup, &f, lang, None))}
        {(!x.co_opinions.is_empty()).then(|| view! {
            <section class="panel" data-testid="co-opinions">
                <h2>{lang.pick("协办部门审批结论", "協辦部門審批結論", "The co-departments' conclusions")}</h2>
                <ul>{x.co_opinions.iter().map(|o| view! {
                    <li><strong>{o.department.clone()}</strong>"："
                        <span class="tag">{if o.agree { lang.pick("同意", "同意", "Agrees") } else { lang.pick("不同意", "不同意", "Disagrees") }}</span>
                        " "{o.opinion.clone()}" · "{o.answered_on.to_string()}</li>
                }).collect_view()}</ul>
            </section>
        })}
        {(!x.notices.is_empty()).then(|| view! {
            <section class="panel">
                <h2>{lang.pick("通知书与决定书", "通知書與決定書", "Notices and decisions")}</h2>
                <p class="downloads">{notice_links(id, &x.notices, lang)}</p>
            </section>
        })}
        {(!x.results.is_empty()).then(|| view! {
            <section class="panel">
                <h2>{lang.pick("办理结果", "辦理結果", "Results")}</h2>
                <ul>{x.results.iter().map(|r| view! {
                    <li><a href=format!("/results/{}.pdf", r.code) data-testid="result-pdf">{r.title.clone()}{lang.pick("（PDF）", "（PDF）", " (PDF)")}</a>" · "{r.issued_on.to_string()}" · "
                        <a href=format!("/verify/{}", r.code)>{lang.pick("验证码 ", "驗證碼 ", "code ")}{r.code.clone()}</a>
                        {r.revoked.then(|| view! { <span class="tag">{lang.pick("已撤销", "已撤銷", "revoked")}</span> })}</li>
                }).collect_view()}</ul>
            </section>
        })}
        {(!x.files.is_empty()).then(|| view! {
            <section class="panel">
                <h2>{lang.pick("申报材料", "申報材料", "Your documents")}</h2>
                <ul class="file-list" data-testid="case-files">{x.files.iter().map(|fv| view! {
                    <li class="file-row"><span class="hint">{name_of(&fv.material_code)}</span>
                        <a href=format!("/files/{}", fv.id) target="_blank" rel="noopener">{fv.file_name.clone()}</a>
                        <span class="hint">{human_size(fv.size)}" · SHA-256 "{fv.sha256.chars().take(12).collect::<String>()}"…"</span></li>
                }).collect_view()}</ul>
            </section>
        })}
        <section class="panel">
            <h2>{lang.pick("办理进度", "辦理進度", "Progress")}</h2>
            {crate::pages::public::timeline_view(d.timeline.clone(), s.filing, lang)}
        </section>
        {x.evaluation.clone().map(|e| view! {
            <section class="panel" id="rating">
                <h2>{lang.pick("您的评价", "您的評價", "Your rating")}</h2>
                <p data-testid="my-rating">{rating_label(e.level, lang)}</p>
                {(!e.comment.is_empty()).then(|| view! { <p>{e.comment.clone()}</p> })}
                {e.follow_up_due.map(|d| view! { <p class="hint">{lang.pick("办理部门将在 ", "辦理部門將在 ", "The department will call you back by ")}{d.to_string()}{lang.pick(" 前回访并整改。", " 前回訪並整改。", ".")}</p> })}
            </section>
        })}
        {rating_form}
        {(s.state != CaseState::Draft).then(|| view! {
            <section class="panel" id="complaint">
                <details open=f.form == "complaint">
                    <summary>{lang.pick("投诉", "投訴", "Make a complaint")}</summary>
                    <form method="post" action={<crate::api::ComplainCase as ServerFn>::PATH}>
                        <input type="hidden" name="case" value=id.to_string()/>
                        {crate::pages::public::complaint_fields(&f, lang)}
                        <button type="submit" class="button secondary">{lang.pick("提交投诉", "提交投訴", "Send the complaint")}</button>
                    </form>
                </details>
            </section>
        })}
    }
}

#[component]
pub fn WithdrawPage() -> impl IntoView {
    let lang = use_prefs().lang;
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i32>().ok()).unwrap_or(0);
    let data = Resource::new(id, case_detail);
    let flash = Resource::new(|| (), |_| take_flash("withdraw".into()));
    let body = move || {
        Suspend::new(async move {
            let f = flash.await.ok().flatten().unwrap_or_default();
            match data.await {
                Ok(None) => view! { <Redirect path=format!("/login?next=/cases/{}/withdraw", id())/> }.into_any(),
                Ok(Some(d)) => {
                    let cid = d.summary.id;
                    view! {
                        <section class="panel narrow">
                            <h1>{lang.pick("确认撤回申请？", "確認撤回申請？", "Withdraw this application?")}</h1>
                            <p>{d.summary.item_name.clone()}" · "{d.summary.case_no.clone().unwrap_or_default()}</p>
                            <p>{lang.pick("撤回后本办件终止办理，不能恢复；如仍需办理，需要重新申请。", "撤回後本辦件終止辦理，不能恢復；如仍需辦理，需要重新申請。", "The case ends and cannot be restored; to go on you would apply again.")}</p>
                            {f.errors.get("_form").cloned().map(|m| view! { <p class="error-message" role="alert">{m}</p> })}
                            <form method="post" action={<crate::api::WithdrawCase as ServerFn>::PATH}>
                                <input type="hidden" name="case" value=cid.to_string()/>
                                <input type="hidden" name="version" value=d.extras.version.to_string()/>
                                <div class="field">
                                    <label for="f-reason">{lang.pick("撤回原因（可选）", "撤回原因（可選）", "Reason (optional)")}</label>
                                    <textarea id="f-reason" name="reason" rows="2"></textarea>
                                </div>
                                <div class="field" class:field-error=f.errors.contains_key("confirm")>
                                    {f.errors.get("confirm").cloned().map(|m| view! { <p class="error-message">{m}</p> })}
                                    <label class="checkbox"><input type="checkbox" name="confirm" value="yes"/>{lang.pick("我确认撤回该申请", "我確認撤回該申請", "I want to withdraw this application")}</label>
                                </div>
                                <div class="button-row">
                                    <button type="submit" class="button danger">{lang.pick("撤回申请", "撤回申請", "Withdraw")}</button>
                                    <a class="button secondary" href=format!("/cases/{cid}")>{lang.pick("不撤回，返回", "不撤回，返回", "Keep it, go back")}</a>
                                </div>
                            </form>
                        </section>
                    }
                    .into_any()
                }
                Err(e) => view! { <ServerError error=e/> }.into_any(),
            }
        })
    };
    view! {
        <Title text=lang.pick("撤回申请 · 通办", "撤回申請 · 通辦", "Withdraw · Tongban")/>
        <Suspense fallback=|| ()>{body}</Suspense>
    }
}

/// `/cases/:id`: one of the applicant's cases, with its timeline, documents, rating and complaint.
#[component]
pub fn CasePage() -> impl IntoView {
    crate::pages::loaded::signed_in(|c| async move {
        let id: i32 = c.param("id")?;
        let applicant = crate::server::guard::require_applicant(c.user.as_ref())?;
        let cal = c.state.calendar();
        let d = crate::server::journey::detail_for_applicant(&c.state.db, &cal, applicant, id, c.today).await?;
        let flash = c.flash_of(&["case", "rating", "complaint"]).await?.unwrap_or_default();
        let submitted = c.query.contains_key("submitted");
        Ok(c.page(d.summary.item_name.clone(), render_case(d, flash, submitted, c.lang)))
    })
}
