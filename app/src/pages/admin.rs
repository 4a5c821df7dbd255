//! Administration pages (server-made): integration API tokens.

use leptos::prelude::*;
use rules::Lang;

use crate::components::Notice;
use crate::models::{Flash, TokenLine};
use crate::pages::loaded::signed_in;
use crate::server::admin as sa;
use leptos::server_fn::ServerFn;

/// Where every admin form posts: the server function `api::admin_act`.
const ADMIN_ACT: &str = <crate::api::AdminAct as ServerFn>::PATH;

/// The tokens page; `shown` is a token just issued, shown this once.
pub fn render_tokens(
    tokens: Vec<TokenLine>,
    departments: Vec<(i32, String)>,
    f: Flash,
    shown: Option<String>,
    lang: Lang,
) -> impl IntoView {
    let name_err = f.errors.get("name").cloned();
    let dep_err = f.errors.get("departments").cloned();
    let rows = tokens.into_iter().map(|t| view! {
        <tr data-testid="token">
            <td>{t.name}</td><td><code>{t.prefix}"…"</code></td><td>{t.departments}</td><td>{t.created}</td><td>{t.last_used}</td><td>{t.expires}</td>
            <td>{if t.revoked { view! { <span class="badge red">{lang.pick("已吊销", "已吊銷", "revoked")}</span> }.into_any() } else { view! {
                <form method="post" action={<crate::api::RevokeToken as ServerFn>::PATH}><input type="hidden" name="id" value=t.id.to_string()/><button type="submit" class="button secondary">{lang.pick("吊销", "吊銷", "Revoke")}</button></form>
            }.into_any() }}</td>
        </tr>
    }).collect_view();
    view! {
        <nav class="breadcrumbs"><a href="/staff">{lang.pick("工作台", "工作台", "Workspace")}</a></nav>
        <h1>{lang.pick("接口令牌", "介面權杖", "API tokens")}</h1>
        <Notice text=f.notice.clone()/>
        {shown.map(|t| view! {
            <div class="notice" role="status" data-testid="new-token">
                <p>{lang.pick("令牌已签发，请立即复制。它只显示这一次：", "權杖已簽發，請立即複製。它只顯示這一次：", "Token issued. Copy it now: it is shown only this once:")}</p>
                <p><code>{t}</code></p>
            </div>
        })}
        <p class="hint">{lang.pick(
            "其他政务系统和省级平台用令牌读取 /api/v1（事项、办件、统计），只能读取所选部门的办件。接口说明：",
            "其他政務系統和省級平台用權杖讀取 /api/v1（事項、辦件、統計），只能讀取所選部門的辦件。介面說明：",
            "Other systems read /api/v1 (catalog, cases, statistics) with a token, only the chosen departments' cases. The description: ",
        )}<a href="/api/v1/openapi.json">"/api/v1/openapi.json"</a></p>
        <section class="panel">
            <h2>{lang.pick("签发令牌", "簽發權杖", "Issue a token")}</h2>
            <form method="post" action={<crate::api::IssueToken as ServerFn>::PATH} class="action-form" id="form-token">
                <div class="field" class:field-error=name_err.is_some()>
                    <label for="token-name">{lang.pick("使用方", "使用方", "Used by")}</label>
                    {name_err.clone().map(|m| view! { <p class="error-message">{m}</p> })}
                    <input id="token-name" name="name" value=f.value("name") autocomplete="off"/>
                </div>
                <fieldset class="field" class:field-error=dep_err.is_some()>
                    <legend>{lang.pick("可读取的部门", "可讀取的部門", "Departments it may read")}</legend>
                    {dep_err.clone().map(|m| view! { <p class="error-message">{m}</p> })}
                    {departments.into_iter().map(|(id, name)| view! {
                        <div class="checkbox"><input type="checkbox" id=format!("dep-{id}") name="departments[]" value=id.to_string()/><label for=format!("dep-{id}")>{name}</label></div>
                    }).collect_view()}
                </fieldset>
                <button type="submit" class="button">{lang.pick("签发", "簽發", "Issue")}</button>
            </form>
        </section>
        <section class="panel">
            <h2>{lang.pick("已签发的令牌", "已簽發的權杖", "Tokens")}</h2>
            <div class="table-scroll"><table class="table">
                <thead><tr>
                    <th scope="col">{lang.pick("使用方", "使用方", "Used by")}</th><th scope="col">{lang.pick("令牌", "權杖", "Token")}</th>
                    <th scope="col">{lang.pick("部门", "部門", "Departments")}</th><th scope="col">{lang.pick("签发时间", "簽發時間", "Issued")}</th>
                    <th scope="col">{lang.pick("最近使用", "最近使用", "Last used")}</th><th scope="col">{lang.pick("有效期至", "有效期至", "Expires")}</th><th scope="col"></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
        </section>
    }
}

pub(crate) fn admin_nav(lang: Lang) -> impl IntoView {
    view! {
        <nav class="breadcrumbs"><a href="/staff">{lang.pick("工作台", "工作台", "Workspace")}</a></nav>
        <ul class="tabs">
            <li><a href="/staff/admin">{lang.pick("部门与人员", "部門與人員", "Departments and staff")}</a></li>
            <li><a href="/staff/admin/items">{lang.pick("事项目录", "事項目錄", "Item catalog")}</a></li>
            <li><a href="/staff/admin/bundles">{lang.pick("一件事", "一件事", "Combined applications")}</a></li>
            <li><a href="/staff/admin/calendar">{lang.pick("节假日日历", "節假日日曆", "Holiday calendar")}</a></li>
            <li><a href="/staff/admin/templates">{lang.pick("通知模板", "通知模板", "Notice templates")}</a></li>
            <li><a href="/staff/admin/tokens">{lang.pick("接口令牌", "介面權杖", "API tokens")}</a></li>
        </ul>
    }
}

/// A labelled input with its error from the flash (field name `name`, id `id`).
fn input(f: &Flash, name: &str, id: String, label: String, value: String, kind: &'static str) -> impl IntoView {
    let err = f.errors.get(name).cloned();
    let has = err.is_some();
    let value = if f.values.contains_key(name) { f.value(name) } else { value };
    view! {
        <div class="field" class:field-error=has>
            <label for=id.clone()>{label}</label>
            {err.map(|m| view! { <p class="error-message">{m}</p> })}
            <input id=id name=name.to_string() value=value type=kind autocomplete="off"/>
        </div>
    }
}

fn role_options(lang: Lang) -> impl IntoView {
    rules::Role::STAFF.into_iter().map(|r| view! { <option value=r.as_str()>{r.label(lang)}</option> }).collect_view()
}

pub fn render_admin_home(h: crate::server::admin::AdminHome, f: Flash, lang: Lang) -> impl IntoView {
    let deps = h.departments.clone();
    let dep_options = move || {
        deps.iter()
            .map(|(id, code, name)| view! { <option value=id.to_string()>{format!("{name}（{code}）")}</option> })
            .collect_view()
    };
    let staff = h.staff.into_iter().map(|s| {
        let id = s.id;
        let pw_key = format!("password_{id}");
        let role_key = format!("role_{id}");
        let role_err = f.errors.get(&role_key).cloned();
        view! {
            <li class="record" data-testid="staff">
                <p><strong>{s.name}</strong>" · "<code>{s.username}</code>" · "
                   {if s.active { view! { <span class="badge green">{lang.pick("在用", "在用", "active")}</span> }.into_any() } else { view! { <span class="badge red">{lang.pick("已停用", "已停用", "disabled")}</span> }.into_any() }}</p>
                <ul class="roles">{s.roles.into_iter().map(|(rid, label, dep)| view! {
                    <li>{format!("{dep} · {label}")}
                        <form method="post" action=ADMIN_ACT class="inline">
                            <input type="hidden" name="action" value="role_remove"/><input type="hidden" name="id" value=rid.to_string()/>
                            <button type="submit" class="link-button">{lang.pick("撤销", "撤銷", "remove")}</button>
                        </form></li>
                }).collect_view()}</ul>
                <details>
                    <summary>{lang.pick("管理此账号", "管理此帳號", "Manage this account")}</summary>
                    <form method="post" action=ADMIN_ACT class="action-form">
                        <input type="hidden" name="action" value="role_add"/><input type="hidden" name="id" value=id.to_string()/>
                        <div class="field" class:field-error=role_err.is_some()>
                            <label for=format!("role-{id}")>{lang.pick("授予岗位", "授予崗位", "Grant a role")}</label>
                            {role_err.clone().map(|m| view! { <p class="error-message">{m}</p> })}
                            <select id=format!("role-{id}") name="role">{role_options(lang)}</select>
                            <select name="department" aria-label=lang.pick("部门", "部門", "Department")>{dep_options()}</select>
                        </div>
                        <button type="submit" class="button secondary">{lang.pick("授予", "授予", "Grant")}</button>
                    </form>
                    <form method="post" action=ADMIN_ACT class="action-form">
                        <input type="hidden" name="action" value="staff_password"/><input type="hidden" name="id" value=id.to_string()/>
                        {input(&f, &pw_key, format!("pw-{id}"), lang.pick("新密码（至少 12 位）", "新密碼（至少 12 位）", "New password (12+ characters)").into(), String::new(), "password")}
                        <button type="submit" class="button secondary">{lang.pick("重置密码", "重設密碼", "Reset the password")}</button>
                    </form>
                    {s.second_factor.then(|| view! {
                        <form method="post" action=ADMIN_ACT class="action-form">
                            <input type="hidden" name="action" value="staff_second_factor"/><input type="hidden" name="id" value=id.to_string()/>
                            <button type="submit" class="button secondary">{lang.pick("重置两步验证（手机丢失）", "重設兩步驗證（手機遺失）", "Reset the second factor (lost phone)")}</button>
                        </form>
                    })}
                    <form method="post" action=ADMIN_ACT>
                        <input type="hidden" name="action" value="staff_active"/><input type="hidden" name="id" value=id.to_string()/>
                        <input type="hidden" name="active" value=if s.active { "false" } else { "true" }/>
                        <button type="submit" class="button secondary">{if s.active { lang.pick("停用账号", "停用帳號", "Disable") } else { lang.pick("启用账号", "啟用帳號", "Enable") }}</button>
                    </form>
                </details>
            </li>
        }
    }).collect_view();
    let role_err = f.errors.get("role").cloned();
    let dep_err = f.errors.get("department").cloned();
    view! {
        {admin_nav(lang)}
        <h1>{lang.pick("部门与人员", "部門與人員", "Departments and staff")}</h1>
        <Notice text=f.notice.clone()/>
        {f.errors.get("_form").cloned().map(|m| view! { <div class="error-summary" role="alert"><p>{m}</p></div> })}
        <section class="panel">
            <h2>{lang.pick("部门", "部門", "Departments")}</h2>
            <ul>{h.departments.iter().map(|(_, code, name)| view! { <li>{format!("{name}（{code}）")}</li> }).collect_view()}</ul>
            <form method="post" action=ADMIN_ACT class="action-form" id="form-department">
                <input type="hidden" name="action" value="department"/>
                {input(&f, "code", "dep-code".into(), lang.pick("部门代码（已有代码则改名）", "部門代碼（已有代碼則改名）", "Code (an existing code renames)").into(), String::new(), "text")}
                {input(&f, "name", "dep-name".into(), lang.pick("部门名称", "部門名稱", "Name").into(), String::new(), "text")}
                <button type="submit" class="button secondary">{lang.pick("保存部门", "儲存部門", "Save the department")}</button>
            </form>
        </section>
        <section class="panel">
            <h2>{lang.pick("工作人员", "工作人員", "Staff")}</h2>
            <ul class="records">{staff}</ul>
            <h3>{lang.pick("新建账号", "新建帳號", "New account")}</h3>
            <form method="post" action=ADMIN_ACT class="action-form" id="form-staff">
                <input type="hidden" name="action" value="staff"/>
                {input(&f, "username", "st-username".into(), lang.pick("工号", "工號", "Username").into(), String::new(), "text")}
                {input(&f, "name", "st-name".into(), lang.pick("姓名", "姓名", "Name").into(), String::new(), "text")}
                {input(&f, "password", "st-password".into(), lang.pick("初始密码（至少 12 位）", "初始密碼（至少 12 位）", "Initial password (12+ characters)").into(), String::new(), "password")}
                <div class="field" class:field-error=role_err.is_some()>
                    <label for="st-role">{lang.pick("岗位", "崗位", "Role")}</label>
                    {role_err.clone().map(|m| view! { <p class="error-message">{m}</p> })}
                    <select id="st-role" name="role">{role_options(lang)}</select>
                </div>
                <div class="field" class:field-error=dep_err.is_some()>
                    <label for="st-dep">{lang.pick("部门", "部門", "Department")}</label>
                    {dep_err.clone().map(|m| view! { <p class="error-message">{m}</p> })}
                    <select id="st-dep" name="department">{h.departments.iter().map(|(id, code, name)| view! { <option value=id.to_string()>{format!("{name}（{code}）")}</option> }).collect_view()}</select>
                </div>
                <button type="submit" class="button">{lang.pick("创建账号", "建立帳號", "Create the account")}</button>
            </form>
        </section>
    }
}

pub fn render_calendar(c: crate::server::admin::CalendarAdmin, f: Flash, lang: Lang) -> impl IntoView {
    let year = c.year;
    let back = format!("/staff/admin/calendar?year={year}");
    let kind_err = f.errors.get("kind").cloned();
    let schedule_err = f.errors.get("schedule").cloned();
    view! {
        {admin_nav(lang)}
        <h1>{lang.pick("节假日日历", "節假日日曆", "Holiday calendar")}" · "{year.to_string()}</h1>
        <Notice text=f.notice.clone()/>
        <ul class="tabs">{c.years.iter().map(|(y, _)| { let cur = *y == year; view! { <li><a href=format!("/staff/admin/calendar?year={y}") class:current=cur aria-current=cur.then_some("page")>{y.to_string()}</a></li> } }).collect_view()}</ul>
        <p class="hint">{c.years.iter().find(|(y, _)| *y == year).map(|(_, s)| s.clone()).unwrap_or_else(|| lang.pick("该年度尚无节假日安排：期限只按周末计算。", "該年度尚無節假日安排：期限只按週末計算。", "No schedule for this year: only weekends count as days off.").into())}</p>
        <section class="panel">
            <h2>{lang.pick("放假与调休", "放假與調休", "Days off and make-up working days")}</h2>
            <div class="table-scroll"><table class="table" data-testid="calendar-days">
                <thead><tr><th scope="col">{lang.pick("日期", "日期", "Date")}</th><th scope="col">{lang.pick("类型", "類型", "Kind")}</th><th scope="col">{lang.pick("名称", "名稱", "Name")}</th></tr></thead>
                <tbody>{c.days.into_iter().map(|(d, k, n)| view! { <tr><td>{d.to_string()}</td><td>{if k == "workday" { lang.pick("调休上班", "調休上班", "make-up working day") } else { lang.pick("放假", "放假", "day off") }}</td><td>{n}</td></tr> }).collect_view()}</tbody>
            </table></div>
            <h3>{lang.pick("修改一天", "修改一天", "Change a day")}</h3>
            <p class="hint">{lang.pick("已受理办件的期限已经确定，不随日历修改而改变；此后计算的期限使用新日历。", "已受理辦件的期限已經確定，不隨日曆修改而改變；此後計算的期限使用新日曆。", "Due dates already set stay as they are; deadlines computed from now on use the new calendar.")}</p>
            <form method="post" action=ADMIN_ACT class="action-form" id="form-calendar-day">
                <input type="hidden" name="action" value="calendar_day"/><input type="hidden" name="back" value=back.clone()/>
                {input(&f, "date", "cal-date".into(), lang.pick("日期", "日期", "Date").into(), String::new(), "date")}
                <div class="field" class:field-error=kind_err.is_some()>
                    <label for="cal-kind">{lang.pick("类型", "類型", "Kind")}</label>
                    {kind_err.clone().map(|m| view! { <p class="error-message">{m}</p> })}
                    <select id="cal-kind" name="kind">
                        <option value="holiday">{lang.pick("放假", "放假", "Day off")}</option>
                        <option value="workday">{lang.pick("调休上班（周末）", "調休上班（週末）", "Make-up working day (a weekend day)")}</option>
                        <option value="normal">{lang.pick("恢复为普通日", "恢復為普通日", "Back to an ordinary day")}</option>
                    </select>
                </div>
                {input(&f, "name", "cal-name".into(), lang.pick("名称（如 国庆节）", "名稱（如 國慶節）", "Name (e.g. National Day)").into(), String::new(), "text")}
                <button type="submit" class="button">{lang.pick("保存", "儲存", "Save")}</button>
            </form>
        </section>
        <section class="panel">
            <h2>{lang.pick("导入一年的安排", "匯入一年的安排", "Import a year's schedule")}</h2>
            <p class="hint">{lang.pick("格式与 rules/data/calendar/2026.txt 相同：year 2027 / holiday 2027-01-01..2027-01-03 元旦 / workday 2027-01-04 元旦调休上班。导入会替换该年度的全部安排。", "格式與 rules/data/calendar/2026.txt 相同。匯入會替換該年度的全部安排。", "Same format as rules/data/calendar/2026.txt. Importing replaces that year's schedule.")}</p>
            <form method="post" action=ADMIN_ACT class="action-form" id="form-calendar-import">
                <input type="hidden" name="action" value="calendar_import"/><input type="hidden" name="back" value=back/>
                <div class="field" class:field-error=schedule_err.is_some()>
                    <label for="cal-schedule">{lang.pick("安排文件内容", "安排檔案內容", "Schedule file")}</label>
                    {schedule_err.clone().map(|m| view! { <p class="error-message">{m}</p> })}
                    <textarea id="cal-schedule" name="schedule" rows="8">{f.value("schedule")}</textarea>
                </div>
                <button type="submit" class="button secondary">{lang.pick("导入", "匯入", "Import")}</button>
            </form>
        </section>
    }
}

pub fn render_templates(list: Vec<crate::server::admin::TemplateLine>, f: Flash, lang: Lang) -> impl IntoView {
    let forms = list.into_iter().map(|t| {
        let key = format!("{}-{}", t.kind, t.lang);
        let se = f.errors.get(&format!("subject_{key}")).cloned();
        let be = f.errors.get(&format!("body_{key}")).cloned();
        let label = match t.lang.as_str() { "zh-Hans" => "简体中文", "zh-Hant" => "繁體中文", _ => "English" };
        view! {
            <section class="panel" data-testid="template">
                <h2>{if t.kind == "*" { lang.pick("所有通知", "所有通知", "Every notice").to_string() } else { rules::EventKind::from_code(&t.kind).map_or(t.kind.clone(), |k| k.label(lang).to_string()) }}" · "{label}
                    {t.default.then(|| view! { " "<span class="badge">{lang.pick("内置", "內建", "built in")}</span> })}</h2>
                <form method="post" action=ADMIN_ACT class="action-form">
                    <input type="hidden" name="action" value="template"/><input type="hidden" name="back" value="/staff/admin/templates"/>
                    <input type="hidden" name="kind" value=t.kind.clone()/><input type="hidden" name="lang" value=t.lang.clone()/>
                    <div class="field" class:field-error=se.is_some()>
                        <label for=format!("sub-{key}")>{lang.pick("标题（电子邮件）", "標題（電子郵件）", "Subject (e-mail)")}</label>
                        {se.clone().map(|m| view! { <p class="error-message">{m}</p> })}
                        <input id=format!("sub-{key}") name="subject" value=t.subject/>
                    </div>
                    <div class="field" class:field-error=be.is_some()>
                        <label for=format!("body-{key}")>{lang.pick("正文（电子邮件与短信）", "正文（電子郵件與簡訊）", "Text (e-mail and SMS)")}</label>
                        {be.clone().map(|m| view! { <p class="error-message">{m}</p> })}
                        <textarea id=format!("body-{key}") name="body" rows="3">{t.body}</textarea>
                    </div>
                    <button type="submit" class="button secondary">{lang.pick("保存模板", "儲存模板", "Save the template")}</button>
                </form>
                {(t.kind != "*").then(|| view! {
                    <form method="post" action=ADMIN_ACT class="inline-form">
                        <input type="hidden" name="action" value="template_remove"/><input type="hidden" name="back" value="/staff/admin/templates"/>
                        <input type="hidden" name="kind" value=t.kind.clone()/><input type="hidden" name="lang" value=t.lang.clone()/>
                        <button type="submit" class="button secondary">{lang.pick("删除（改用通用模板）", "刪除（改用通用模板）", "Remove (use the general template)")}</button>
                    </form>
                })}
            </section>
        }
    }).collect_view();
    let err = |k: &str| f.errors.get(&format!("{k}_new")).cloned();
    let (ke, le, se, be) = (err("kind"), err("lang"), err("subject"), err("body"));
    let chosen = f.value("kind");
    let chosen_lang = f.value("lang");
    let add = view! {
        <section class="panel" data-testid="template-new">
            <h2>{lang.pick("为某类通知单独设置模板", "為某類通知單獨設定模板", "A template for one kind of notice")}</h2>
            <form method="post" action=ADMIN_ACT class="action-form" id="form-template-new">
                <input type="hidden" name="action" value="template"/><input type="hidden" name="new" value="1"/>
                <input type="hidden" name="back" value="/staff/admin/templates"/>
                <div class="field" class:field-error=ke.is_some()>
                    <label for="tpl-kind">{lang.pick("通知类型", "通知類型", "Kind of notice")}</label>
                    {ke.clone().map(|m| view! { <p class="error-message">{m}</p> })}
                    <select id="tpl-kind" name="kind">
                        <option value="">{lang.pick("（请选择）", "（請選擇）", "(choose)")}</option>
                        {rules::EventKind::ALL.iter().filter(|k| k.notifies()).map(|k| view! {
                            <option value=k.code() selected=chosen == k.code()>{k.label(lang)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field" class:field-error=le.is_some()>
                    <label for="tpl-lang">{lang.pick("语言", "語言", "Language")}</label>
                    {le.clone().map(|m| view! { <p class="error-message">{m}</p> })}
                    <select id="tpl-lang" name="lang">
                        {Lang::ALL.into_iter().map(|l| view! { <option value=l.tag() selected=chosen_lang == l.tag()>{l.pick("简体中文", "繁體中文", "English")}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field" class:field-error=se.is_some()>
                    <label for="tpl-subject">{lang.pick("标题（电子邮件）", "標題（電子郵件）", "Subject (e-mail)")}</label>
                    {se.clone().map(|m| view! { <p class="error-message">{m}</p> })}
                    <input id="tpl-subject" name="subject" value=f.value("subject")/>
                </div>
                <div class="field" class:field-error=be.is_some()>
                    <label for="tpl-body">{lang.pick("正文（电子邮件与短信）", "正文（電子郵件與簡訊）", "Text (e-mail and SMS)")}</label>
                    {be.clone().map(|m| view! { <p class="error-message">{m}</p> })}
                    <textarea id="tpl-body" name="body" rows="3">{f.value("body")}</textarea>
                </div>
                <button type="submit" class="button">{lang.pick("添加模板", "新增模板", "Add the template")}</button>
            </form>
        </section>
    };
    view! {
        {admin_nav(lang)}
        <h1>{lang.pick("通知模板", "通知模板", "Notice templates")}</h1>
        <Notice text=f.notice.clone()/>
        <p class="hint">{lang.pick("可用占位符：{case_no} 办件编号、{event} 事由、{state} 当前状态、{due_on} 办理期限、{follow} 查看方式（有账号的：登录查看；窗口登记的：进度查询和开通账号的网址）。", "可用佔位符：{case_no} 辦件編號、{event} 事由、{state} 目前狀態、{due_on} 辦理期限、{follow} 查看方式（有帳號的：登錄查看；窗口登記的：進度查詢和開通帳號的網址）。", "Placeholders: {case_no}, {event}, {state}, {due_on}, {follow} (how to follow the case: sign in, or for a walk-in the progress and activation addresses).")}</p>
        {forms}
        {add}
    }
}

pub fn render_items(list: Vec<crate::server::admin::ItemLine>, lang: Lang) -> impl IntoView {
    view! {
        {admin_nav(lang)}
        <h1>{lang.pick("事项目录", "事項目錄", "Item catalog")}</h1>
        <div class="table-scroll"><table class="table">
            <thead><tr><th scope="col">{lang.pick("编码", "編碼", "Code")}</th><th scope="col">{lang.pick("名称", "名稱", "Name")}</th><th scope="col">{lang.pick("部门", "部門", "Department")}</th><th scope="col">{lang.pick("最新版本", "最新版本", "Newest version")}</th></tr></thead>
            <tbody>{list.into_iter().map(|i| view! { <tr><td><a href=format!("/staff/admin/items/{}", i.code)>{i.code.clone()}</a></td><td>{i.name}</td><td>{i.department}</td><td>{format!("v{}{}", i.version, if i.published { "" } else { "（未发布）" })}</td></tr> }).collect_view()}</tbody>
        </table></div>
    }
}

pub fn render_item_editor(e: crate::server::admin::ItemEditor, f: Flash, lang: Lang) -> impl IntoView {
    let code = e.code.clone();
    let rules_err = f.errors.get("rules").cloned();
    let rules_value = if f.values.contains_key("rules") { f.value("rules") } else { e.rules_json.clone() };
    // a refused save shows the box as it was sent
    let publish_results =
        if f.values.contains_key("rules") { f.value("publish_results") == "on" } else { e.publish_results };
    let questions = e.questions.iter().map(|(qc, text, options)| {
        let chosen = e.answers.get(qc).cloned().unwrap_or_default();
        view! {
            <div class="field"><label for=format!("pq-{qc}")>{text.clone()}</label>
                <select id=format!("pq-{qc}") name=format!("q_{qc}")>
                    <option value="">{lang.pick("（未回答）", "（未回答）", "(not answered)")}</option>
                    {options.iter().map(|(v, l)| { let sel = *v == chosen; view! { <option value=v.clone() selected=sel>{l.clone()}</option> } }).collect_view()}
                </select></div>
        }
    }).collect_view();
    view! {
        {admin_nav(lang)}
        <h1>{e.name.clone()}" · "{code.clone()}" v"{e.version.to_string()}</h1>
        <Notice text=f.notice.clone()/>
        <p class="hint">{lang.pick("每次保存都生成新版本；已提交的办件继续按提交时的版本办理。", "每次儲存都生成新版本；已提交的辦件繼續按提交時的版本辦理。", "Every save makes a new version; submitted cases keep the version they were submitted under.")}
            " "{e.cases_on_versions.iter().map(|(v, n)| format!("v{v}: {n}")).collect::<Vec<_>>().join(" · ")}</p>
        <section class="panel">
            <h2>{lang.pick("材料清单预览", "材料清單預覽", "Checklist preview")}</h2>
            <form method="get" action=format!("/staff/admin/items/{code}") class="filters" id="form-preview">
                <div class="field"><label for="pkind">{lang.pick("申请人类型", "申請人類型", "Applicant")}</label>
                    <select id="pkind" name="kind"><option value="person">{lang.pick("个人", "個人", "Person")}</option><option value="enterprise" selected=e.enterprise>{lang.pick("企业", "企業", "Enterprise")}</option></select></div>
                {questions}
                <button type="submit" class="button secondary">{lang.pick("预览", "預覽", "Preview")}</button>
            </form>
            <ul data-testid="item-preview" aria-live="polite">{e.preview.into_iter().map(|(n, s)| view! { <li>{n}" — "{s}</li> }).collect_view()}</ul>
            // the browser rewrites the list and this line on every edit (see `islands::item_rules`)
            <p id="item-live-status" class:warning=!e.problems.is_empty() aria-live="polite">{e.problems.join("；")}</p>
            <crate::islands::ItemRulesLive/>
        </section>
        <section class="panel">
            <h2>{lang.pick("修改事项（保存为新版本）", "修改事項（儲存為新版本）", "Edit (saved as a new version)")}</h2>
            <form method="post" action=ADMIN_ACT class="action-form" id="form-item">
                <input type="hidden" name="action" value="item"/><input type="hidden" name="code" value=code.clone()/>
                <input type="hidden" name="back" value=format!("/staff/admin/items/{code}")/>
                {input(&f, "name", "item-name".into(), lang.pick("事项名称", "事項名稱", "Name").into(), e.name.clone(), "text")}
                {input(&f, "summary", "item-summary".into(), lang.pick("简介", "簡介", "Summary").into(), e.summary.clone(), "text")}
                <div class="field" class:field-error=rules_err.is_some()>
                    <label for="item-rules">{lang.pick("规则数据（材料、问题、条件、时限，JSON）", "規則數據（材料、問題、條件、時限，JSON）", "Rule data (materials, questions, conditions, time limits; JSON)")}</label>
                    {rules_err.clone().map(|m| view! { <p class="error-message">{m}</p> })}
                    <textarea id="item-rules" name="rules" rows="24" class="code" spellcheck="false">{rules_value}</textarea>
                </div>
                <div class="field checkbox">
                    <input type="checkbox" id="item-publish-results" name="publish_results" value="on" checked=publish_results aria-describedby="item-publish-results-hint"/>
                    <label for="item-publish-results">{lang.pick("公开审批结果", "公開審批結果", "Publish the decisions")}</label>
                    <p class="hint" id="item-publish-results-hint">{lang.pick("涉及公共利益的事项：每项决定自动在“审批结果公示”中发布（个人姓名隐去），决定被撤销时自动撤下。", "涉及公共利益的事項：每項決定自動在「審批結果公示」中發布（個人姓名隱去），決定被撤銷時自動撤下。", "A public-interest item: each decision is published in the approval results by itself (a person's name masked), and withdrawn if revoked.")}</p>
                </div>
                <div class="field checkbox"><input type="checkbox" id="item-published" name="published" value="on" checked=true/><label for="item-published">{lang.pick("发布此版本", "發布此版本", "Publish this version")}</label></div>
                <button type="submit" class="button">{lang.pick("保存为新版本", "儲存為新版本", "Save as a new version")}</button>
            </form>
        </section>
    }
}

/// `/staff/admin`: departments and staff.
#[component]
pub fn AdminHomePage() -> impl IntoView {
    signed_in(|c| async move {
        let h = sa::home(&c.state.db, c.user.as_ref(), c.lang).await?;
        let flash = c.flash("admin").await?;
        Ok(c.page(
            c.lang.pick("部门与人员", "部門與人員", "Departments and staff"),
            render_admin_home(h, flash, c.lang),
        ))
    })
}

/// `/staff/admin/calendar`: the holiday calendar of a year.
#[component]
pub fn CalendarAdminPage() -> impl IntoView {
    signed_in(|c| async move {
        let v = sa::calendar_view(&c.state.db, c.user.as_ref(), c.get("year").parse().ok(), c.today).await?;
        let flash = c.flash("admin").await?;
        Ok(c.page(c.lang.pick("节假日日历", "節假日日曆", "Holiday calendar"), render_calendar(v, flash, c.lang)))
    })
}

/// `/staff/admin/templates`: notice templates in 简 / 繁 / EN.
#[component]
pub fn TemplatesPage() -> impl IntoView {
    signed_in(|c| async move {
        let list = sa::templates_view(&c.state.db, c.user.as_ref()).await?;
        let flash = c.flash("admin").await?;
        Ok(c.page(c.lang.pick("通知模板", "通知模板", "Notice templates"), render_templates(list, flash, c.lang)))
    })
}

/// `/staff/admin/items`: the item catalog.
#[component]
pub fn ItemsAdminPage() -> impl IntoView {
    signed_in(|c| async move {
        let list = sa::items_view(&c.state.db, c.user.as_ref()).await?;
        Ok(c.page(c.lang.pick("事项目录", "事項目錄", "Item catalog"), render_items(list, c.lang)))
    })
}

/// `/staff/admin/items/:code`: the item editor with its live checklist preview.
#[component]
pub fn ItemEditorPage() -> impl IntoView {
    signed_in(|c| async move {
        let code = c.params.get("code").cloned().unwrap_or_default();
        let e = sa::item_editor(&c.state.db, c.user.as_ref(), &code, &c.query, c.lang).await?;
        let flash = c.flash("admin").await?;
        Ok(c.page(e.name.clone(), render_item_editor(e, flash, c.lang)))
    })
}

/// `/staff/admin/tokens`: API tokens.
#[component]
pub fn TokensPage() -> impl IntoView {
    signed_in(|c| async move {
        let (tokens, deps) = crate::server::api_v1::token_lines(&c.state.db, c.user.as_ref()).await?;
        let flash = c.flash("tokens").await?;
        let id = c.get("shown");
        let shown =
            crate::server::api_v1::take_reveal(&c.state.db, c.user.as_ref(), &id, c.request_id.as_deref()).await?;
        Ok(c.page(c.lang.pick("接口令牌", "介面權杖", "API tokens"), render_tokens(tokens, deps, flash, shown, c.lang)))
    })
}
