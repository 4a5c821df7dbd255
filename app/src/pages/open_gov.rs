//! 政务公开: the public index and entries (`/open`, `/open/{id}`), and the editors' desk and editor
//! (`/staff/open`, `/staff/open/{id}`, `/staff/open/new`). Server-made pages: plain links and
//! forms posting to `api::open_save` / `api::open_step`.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use rules::open::{EntryStep, OpenKind};
use rules::Lang;

use crate::components::Notice;
use crate::models::Flash;
use crate::pages::loaded::{loaded, signed_in};
use crate::server::open_gov::{DeskLine, Editing, PublicEntry, PublicIndex, FORM};
use crate::server::AppError;

fn index_link(kind: Option<OpenKind>, department: Option<i32>, q: &str) -> String {
    let mut parts = Vec::new();
    if let Some(k) = kind {
        parts.push(format!("kind={}", k.code()));
    }
    if let Some(d) = department {
        parts.push(format!("dep={d}"));
    }
    if !q.is_empty() {
        parts.push(format!("q={}", q.replace('&', "%26").replace('#', "%23").replace(' ', "+")));
    }
    if parts.is_empty() {
        "/open".into()
    } else {
        format!("/open?{}", parts.join("&"))
    }
}

fn render_index(x: PublicIndex, lang: Lang) -> impl IntoView {
    let (kind, dep) = (x.kind, x.department);
    let kinds = x
        .counts
        .iter()
        .map(|(k, n)| {
            let current = kind == Some(*k);
            view! {
                <li><a href=index_link(Some(*k), dep, "") aria-current=current.then_some("page")>{k.label(lang)}</a>" "<span class="tag">{n.to_string()}</span></li>
            }
        })
        .collect_view();
    let lines = if x.lines.is_empty() {
        view! { <p class="hint" data-testid="open-none">{if x.query.is_empty() { lang.pick("暂无公开信息。", "暫無公開信息。", "Nothing published yet.") } else { lang.pick("没有找到相符的公开信息，请换个词再试。", "沒有找到相符的公開信息，請換個詞再試。", "Nothing matches: try other words.") }}</p> }.into_any()
    } else {
        view! {
            <ul class="record-list" data-testid="open-results">
                {x.lines.into_iter().map(|l| view! {
                    <li class="record">
                        <p><a href=format!("/open/{}", l.id)><strong>{l.title}</strong></a></p>
                        <p class="meta"><span class="tag">{l.kind.label(lang)}</span>" "{l.department}" · "{l.changed_on.to_string()}</p>
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let feed = kind.map(|k| view! {
        <p><a href=format!("/open/feed/{}.atom", k.code()) data-testid="open-feed">{lang.pick("订阅本类（Atom）", "訂閱本類（Atom）", "Subscribe (Atom)")}</a></p>
    });
    view! {
        <h1>{lang.pick("政务公开", "政務公開", "Open government information")}</h1>
        <p class="hint">{lang.pick("本县各部门依法主动公开的政策法规、规划、办事程序、审批结果等信息。", "本縣各部門依法主動公開的政策法規、規劃、辦事程序、審批結果等信息。", "What the county's departments publish: laws and policies, plans, procedures, decisions and more.")}</p>
        <form method="get" action="/open" class="search" role="search">
            {kind.map(|k| view! { <input type="hidden" name="kind" value=k.code()/> })}
            <div class="field">
                <label for="open-q">{lang.pick("搜索公开信息", "搜尋公開信息", "Search")}</label>
                <div class="search-row">
                    <input id="open-q" name="q" type="search" value=x.query.clone() autocomplete="off"/>
                    <button type="submit">{lang.pick("搜索", "搜尋", "Search")}</button>
                </div>
            </div>
            <div class="field">
                <label for="open-dep">{lang.pick("部门", "部門", "Department")}</label>
                <select id="open-dep" name="dep">
                    <option value="">{lang.pick("全部部门", "全部部門", "All departments")}</option>
                    {x.departments.into_iter().map(|(id, name)| view! { <option value=id.to_string() selected=dep == Some(id)>{name}</option> }).collect_view()}
                </select>
            </div>
        </form>
        <nav class="panel" aria-label=lang.pick("公开目录", "公開目錄", "Index")>
            <h2>{lang.pick("公开目录", "公開目錄", "Index")}</h2>
            <ul class="inline-list">
                <li><a href=index_link(None, dep, "") aria-current=kind.is_none().then_some("page")>{lang.pick("全部", "全部", "All")}</a></li>
                {kinds}
            </ul>
        </nav>
        <section class="panel">
            <h2>{match kind { Some(k) => k.label(lang).to_string(), None => lang.pick("最新公开", "最新公開", "Newest").to_string() }}</h2>
            {lines}
            {x.more.then(|| view! { <p class="hint">{lang.pick("仅显示前 50 条，请用搜索或目录缩小范围。", "僅顯示前 50 條，請用搜尋或目錄縮小範圍。", "The first 50 are shown: search or choose a kind to narrow it.")}</p> })}
            {feed}
        </section>
    }
}

/// `/open`: the public index, by kind and department, and its search.
#[component]
pub fn OpenIndexPage() -> impl IntoView {
    loaded(|c| async move {
        let kind = OpenKind::parse(&c.get("kind"));
        let dep = c.get("dep").parse::<i32>().ok();
        let x = crate::server::open_gov::public_index(&c.state.db, c.today, kind, dep, &c.get("q")).await?;
        Ok(c.page(
            c.lang.pick("政务公开 · 通办", "政務公開 · 通辦", "Open government · Tongban"),
            render_index(x, c.lang),
        ))
    })
}

fn render_entry(e: PublicEntry, lang: Lang) -> impl IntoView {
    let versions = (e.versions.len() > 1).then(|| view! {
        <section class="panel">
            <h2>{lang.pick("版本记录", "版本記錄", "Versions")}</h2>
            <ul>{e.versions.iter().rev().map(|(no, on)| view! { <li>{format!("{} {no} · {on}", lang.pick("第", "第", "Version"))}{lang.pick(" 版", " 版", "")}</li> }).collect_view()}</ul>
        </section>
    });
    view! {
        <nav class="breadcrumbs"><a href="/open">{lang.pick("政务公开", "政務公開", "Open government")}</a>" · "<a href=index_link(Some(e.kind), None, "")>{e.kind.label(lang)}</a></nav>
        <article class="panel" data-testid="open-entry">
            <h1>{e.title}</h1>
            <p class="meta">{e.department}" · "{lang.pick("发布于 ", "發布於 ", "Published ")}{e.first_on.to_string()}
                {(e.versions.len() > 1).then(|| view! { " · "<strong data-testid="open-changed">{lang.pick("更新于 ", "更新於 ", "Changed ")}{e.changed_on.to_string()}</strong> })}</p>
            <div class="prose" inner_html=e.body_html></div>
        </article>
        {versions}
    }
}

/// `/open/{id}`: one entry as the public reads it.
#[component]
pub fn OpenEntryPage() -> impl IntoView {
    loaded(|c| async move {
        let id: i32 = c.param("id")?;
        match crate::server::open_gov::public_entry(&c.state.db, c.today, id).await {
            Ok(e) => {
                let title = format!("{} · {}", e.title, c.lang.pick("政务公开", "政務公開", "Open government"));
                Ok(c.page(title, render_entry(e, c.lang)))
            }
            Err(AppError::NotFound) => {
                if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
                    resp.set_status(http::StatusCode::NOT_FOUND);
                }
                let lang = c.lang;
                Ok(c.page(
                    lang.pick("未找到 · 政务公开", "未找到 · 政務公開", "Not found · Open government"),
                    view! {
                        <h1>{lang.pick("该信息不存在或已撤下", "該信息不存在或已撤下", "Not published, or withdrawn")}</h1>
                        <p><a href="/open">{lang.pick("返回政务公开", "返回政務公開", "Back to open government")}</a></p>
                    },
                ))
            }
            Err(e) => Err(e),
        }
    })
}

fn render_desk(lines: Vec<DeskLine>, f: Flash, lang: Lang) -> impl IntoView {
    let rows = lines
        .into_iter()
        .map(|l| view! {
            <tr>
                <td><a href=format!("/staff/open/{}", l.id)>{l.title}</a></td>
                <td>{l.kind.label(lang)}</td>
                <td>{l.department}</td>
                <td><span class="tag">{l.status.label(lang)}</span>{l.public.then(|| view! { " "<span class="tag">{lang.pick("公众可见", "公眾可見", "Public")}</span> })}</td>
                <td>{l.updated}</td>
            </tr>
        })
        .collect_view();
    view! {
        <nav class="breadcrumbs"><a href="/staff">{lang.pick("工作台", "工作台", "Workspace")}</a></nav>
        <h1>{lang.pick("政务公开管理", "政務公開管理", "Publications")}</h1>
        <Notice text=f.notice.clone()/>
        <p><a class="button" href="/staff/open/new">{lang.pick("撰写新条目", "撰寫新條目", "Write an entry")}</a>" "<a href="/open">{lang.pick("查看公开页面", "查看公開頁面", "See the public pages")}</a></p>
        <div class="table-scroll"><table class="table" data-testid="open-desk">
            <thead><tr>
                <th scope="col">{lang.pick("标题", "標題", "Title")}</th>
                <th scope="col">{lang.pick("类别", "類別", "Kind")}</th>
                <th scope="col">{lang.pick("部门", "部門", "Department")}</th>
                <th scope="col">{lang.pick("状态", "狀態", "Status")}</th>
                <th scope="col">{lang.pick("更新时间", "更新時間", "Changed")}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
    }
}

/// `/staff/open`: the editors' entries, those waiting for approval first.
#[component]
pub fn OpenDeskPage() -> impl IntoView {
    signed_in(|c| async move {
        let lines = crate::server::open_gov::desk(&c.state.db, c.user.as_ref(), c.today).await?;
        let flash = c.flash(FORM).await?;
        Ok(c.page(c.lang.pick("政务公开管理", "政務公開管理", "Publications"), render_desk(lines, flash, c.lang)))
    })
}

fn step_button(e: &Editing, step: EntryStep, label: &'static str, danger: bool) -> Option<impl IntoView> {
    let entry = e.entry.as_ref()?;
    e.may(step).then(|| {
        let step_code = serde_json::to_value(step).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
        let form_id = format!("form-{step_code}");
        view! {
            <form method="post" action={<crate::api::OpenStep as ServerFn>::PATH} class="inline-form" id=form_id>
                <input type="hidden" name="id" value=entry.id.to_string()/>
                <input type="hidden" name="version" value=entry.version.to_string()/>
                <input type="hidden" name="step" value=step_code/>
                <button type="submit" class=if danger { "button danger" } else { "button secondary" }>{label}</button>
            </form>
        }
    })
}

fn render_editor(e: Editing, f: Flash, lang: Lang) -> impl IntoView {
    let err = |name: &str| f.errors.get(name).cloned();
    // a refused form shows what was typed; else the entry's working copy
    let typed = !f.values.is_empty();
    let value = |k: &str| -> String {
        if typed {
            return f.value(k);
        }
        let Some(x) = e.entry.as_ref() else { return String::new() };
        match k {
            "title" => x.title.clone(),
            "body" => x.body.clone(),
            "kind" => x.kind.code().into(),
            "department" => x.department_id.to_string(),
            "publish_on" => x.publish_on.map(|d| d.to_string()).unwrap_or_default(),
            "withdraw_on" => x.withdraw_on.map(|d| d.to_string()).unwrap_or_default(),
            _ => String::new(),
        }
    };
    let field = |name: &'static str, label: &'static str, kind: &'static str, hint: &'static str| {
        let e = err(name);
        let has = e.is_some();
        let id = format!("open-{name}");
        let v = value(name);
        view! {
            <div class="field" class:field-error=has>
                <label for=id.clone()>{label}</label>
                {(!hint.is_empty()).then(|| view! { <p class="hint">{hint}</p> })}
                {e.map(|m| view! { <p class="error-message">{m}</p> })}
                {if kind == "textarea" {
                    view! { <textarea id=id name=name rows="14">{v}</textarea> }.into_any()
                } else {
                    view! { <input id=id name=name type=kind value=v autocomplete="off"/> }.into_any()
                }}
            </div>
        }
    };
    let writable = e.entry.as_ref().is_none_or(|x| x.kind.written() && e.may(EntryStep::Edit));
    let kind_now = value("kind");
    let dep_now = value("department");
    let kind_err = err("kind");
    let dep_err = err("department");
    let status = e.entry.as_ref().map(|x| {
        view! {
            <dl class="summary-list" data-testid="open-status">
                <div><dt>{lang.pick("状态", "狀態", "Status")}</dt><dd>{x.status.label(lang)}{e.public.then(|| lang.pick("（公众可见已审核的版本）", "（公眾可見已審核的版本）", " (the approved version is public)"))}</dd></div>
                <div><dt>{lang.pick("撰写人", "撰寫人", "Written by")}</dt><dd>{e.author.clone()}</dd></div>
                {(!e.sent_by.is_empty()).then(|| view! { <div><dt>{lang.pick("送审人", "送審人", "Sent by")}</dt><dd>{e.sent_by.clone()}</dd></div> })}
                {e.public.then(|| view! { <div><dt>{lang.pick("公开页面", "公開頁面", "Public page")}</dt><dd><a href=format!("/open/{}", x.id)>{format!("/open/{}", x.id)}</a></dd></div> })}
            </dl>
        }
    });
    let versions = (!e.versions.is_empty()).then(|| view! {
        <section class="panel">
            <h2>{lang.pick("已审核的版本", "已審核的版本", "Approved versions")}</h2>
            <ul>{e.versions.iter().map(|(no, on, by)| view! { <li>{format!("{no} · {on} · {by}")}</li> }).collect_view()}</ul>
        </section>
    });
    let steps = view! {
        <div class="button-row">
            {step_button(&e, EntryStep::Submit, lang.pick("送审", "送審", "Send for approval"), false)}
            {step_button(&e, EntryStep::Approve, lang.pick("审核通过并发布", "審核通過並發布", "Approve and publish"), false)}
            {step_button(&e, EntryStep::Return, lang.pick("退回修改", "退回修改", "Send back"), false)}
            {step_button(&e, EntryStep::Withdraw, lang.pick("撤下", "撤下", "Withdraw"), true)}
        </div>
    };
    let (id, version) =
        e.entry.as_ref().map_or((String::new(), String::new()), |x| (x.id.to_string(), x.version.to_string()));
    let heading = match &e.entry {
        Some(x) => x.title.clone(),
        None => lang.pick("撰写新条目", "撰寫新條目", "Write an entry").to_string(),
    };
    let form = writable.then(|| view! {
        <form method="post" action={<crate::api::OpenSave as ServerFn>::PATH} class="action-form" id="form-open">
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="version" value=version/>
            <div class="field" class:field-error=dep_err.is_some()>
                <label for="open-department">{lang.pick("发布部门", "發布部門", "Department")}</label>
                {dep_err.clone().map(|m| view! { <p class="error-message">{m}</p> })}
                <select id="open-department" name="department">
                    {e.departments.iter().map(|(d, name)| view! { <option value=d.to_string() selected=dep_now == d.to_string()>{name.clone()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field" class:field-error=kind_err.is_some()>
                <label for="open-kind">{lang.pick("公开类别", "公開類別", "Kind")}</label>
                {kind_err.clone().map(|m| view! { <p class="error-message">{m}</p> })}
                <select id="open-kind" name="kind">
                    {OpenKind::ALL.into_iter().filter(|k| k.written()).map(|k| view! { <option value=k.code() selected=kind_now == k.code()>{k.label(lang)}</option> }).collect_view()}
                </select>
            </div>
            {field("title", lang.pick("标题", "標題", "Title"), "text", "")}
            {field("body", lang.pick("正文", "正文", "Text"), "textarea", lang.pick("支持 Markdown：# 标题、**加粗**、- 列表、| 表格 |、[链接](https://…)。不支持 HTML。", "支援 Markdown：# 標題、**加粗**、- 列表、| 表格 |、[連結](https://…)。不支援 HTML。", "Markdown: # heading, **bold**, - lists, | tables |, [links](https://…). No HTML."))}
            {field("publish_on", lang.pick("发布日期（可选，审核通过后于该日公开）", "發布日期（可選，審核通過後於該日公開）", "Publish on (optional: public from that day once approved)"), "date", "")}
            {field("withdraw_on", lang.pick("撤下日期（可选）", "撤下日期（可選）", "Withdraw on (optional)"), "date", "")}
            <button type="submit" class="button">{lang.pick("保存草稿", "儲存草稿", "Save the draft")}</button>
        </form>
    });
    view! {
        <nav class="breadcrumbs"><a href="/staff/open">{lang.pick("政务公开管理", "政務公開管理", "Publications")}</a></nav>
        <h1>{heading}</h1>
        <Notice text=f.notice.clone()/>
        {err("_form").map(|m| view! { <div class="error-summary" role="alert"><p>{m}</p></div> })}
        {(!f.errors.is_empty() && err("_form").is_none()).then(|| view! { <div class="error-summary" role="alert"><p>{lang.pick("请更正标出的内容，已填写的内容均已保留。", "請更正標出的內容，已填寫的內容均已保留。", "Please correct the marked fields; everything you typed is kept.")}</p></div> })}
        {status}
        {steps}
        <section class="panel">{form}</section>
        {versions}
    }
}

/// `/staff/open/{id}` (or `/staff/open/new`): an entry in the editor, with its steps.
#[component]
pub fn OpenEditPage() -> impl IntoView {
    signed_in(|c| async move {
        let id = match c.params.get("id").map(String::as_str) {
            Some("new") | None => None,
            Some(_) => Some(c.param::<i32>("id")?),
        };
        let e = crate::server::open_gov::editing(&c.state.db, c.user.as_ref(), id, c.today).await?;
        let flash = c.flash(FORM).await?;
        let title = e
            .entry
            .as_ref()
            .map_or_else(|| c.lang.pick("撰写新条目", "撰寫新條目", "Write an entry").to_string(), |x| x.title.clone());
        Ok(c.page(title, render_editor(e, flash, c.lang)))
    })
}
