//! 政务公开: the public index and entries (`/open`, `/open/{id}`), and the editors' desk and editor
//! (`/staff/open`, `/staff/open/{id}`, `/staff/open/new`). Server-made pages: plain links and
//! forms posting to `api::open_save` / `api::open_step` / `api::open_remove_file`, and the
//! attachment upload (`/staff/open/{id}/files`).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use rules::materials::FileType;
use rules::open::{EntryStep, OpenKind, ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPES, MAX_ATTACHMENTS};
use rules::Lang;

use crate::components::Notice;
use crate::models::human_size;
use crate::models::Flash;
use crate::pages::home::format_limit;
use crate::pages::loaded::{loaded, signed_in};
use crate::server::entities::open_attachment;
use crate::server::open_gov::attachments::FIELD;
use crate::server::open_gov::{DeskLine, DirectoryDepartment, Editing, Procedure, PublicEntry, PublicIndex, FORM};
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
    let procedures = (!x.procedures.is_empty()).then(|| view! {
        <section class="panel">
            <h2>{lang.pick("各事项办事程序", "各事項辦事程序", "Each item's procedure")}</h2>
            <p class="hint">{lang.pick("由事项目录自动生成，与实际办理时限一致。", "由事項目錄自動生成，與實際辦理時限一致。", "Made from the catalog: the limits the cases run on.")}</p>
            <ul class="record-list" data-testid="open-procedures">
                {x.procedures.into_iter().map(|(code, name, dep)| view! {
                    <li class="record"><p><a href=format!("/open/procedures/{code}")><strong>{name}</strong></a></p><p class="meta">{dep}" · "{code}</p></li>
                }).collect_view()}
            </ul>
        </section>
    });
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
            <p><a href="/open/directory" data-testid="open-directory-link">{lang.pick("政务公开目录：各部门职权与流程图", "政務公開目錄：各部門職權與流程圖", "Directory: each department's powers and their flow")}</a></p>
        </nav>
        {procedures}
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

/// A file's line: its name (a link), type and size.
fn file_line(href: String, a: &open_attachment::Model) -> impl IntoView + use<> {
    view! {
        <a href=href>{a.file_name.clone()}</a>" "<span class="meta">{a.file_type.label()}" · "{human_size(a.size.max(0) as u64)}</span>
    }
}

fn render_entry(e: PublicEntry, lang: Lang) -> impl IntoView {
    let id = e.id;
    let files = (!e.attachments.is_empty()).then(|| view! {
        <section class="attachments" data-testid="open-attachments">
            <h2>{lang.pick("附件", "附件", "Attachments")}</h2>
            <ul class="file-list">{e.attachments.iter().map(|a| view! { <li>{file_line(format!("/open/{id}/files/{}", a.id), a)}</li> }).collect_view()}</ul>
        </section>
    });
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
            {files}
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
    let files = attachments_panel(&e, writable, err(&format!("m_{FIELD}")), lang);
    view! {
        <nav class="breadcrumbs"><a href="/staff/open">{lang.pick("政务公开管理", "政務公開管理", "Publications")}</a></nav>
        <h1>{heading}</h1>
        <Notice text=f.notice.clone()/>
        {err("_form").map(|m| view! { <div class="error-summary" role="alert"><p>{m}</p></div> })}
        {(!f.errors.is_empty() && err("_form").is_none()).then(|| view! { <div class="error-summary" role="alert"><p>{lang.pick("请更正标出的内容，已填写的内容均已保留。", "請更正標出的內容，已填寫的內容均已保留。", "Please correct the marked fields; everything you typed is kept.")}</p></div> })}
        {status}
        {steps}
        <section class="panel">{form}</section>
        {files}
        {versions}
    }
}

/// The working copy's files: each a link for the editors (the approver opens what they approve),
/// removable while the text is; the upload form (a plain multipart post). A new entry is saved
/// first.
fn attachments_panel(e: &Editing, writable: bool, err: Option<String>, lang: Lang) -> impl IntoView + use<> {
    let Some(x) = e.entry.as_ref() else {
        return view! {
            <section class="panel" id=format!("m-{FIELD}")>
                <h2>{lang.pick("附件", "附件", "Attachments")}</h2>
                <p class="hint">{lang.pick("保存草稿后即可添加附件。", "儲存草稿後即可新增附件。", "Save the draft to add attachments.")}</p>
            </section>
        }
        .into_any();
    };
    let (id, version) = (x.id, x.version);
    let lines = e
        .attachments
        .iter()
        .map(|a| {
            let remove = writable.then(|| view! {
                <form method="post" action={<crate::api::OpenRemoveFile as ServerFn>::PATH} class="inline-form">
                    <input type="hidden" name="id" value=id.to_string()/>
                    <input type="hidden" name="version" value=version.to_string()/>
                    <input type="hidden" name="file" value=a.id.to_string()/>
                    <button type="submit" class="link-button">{lang.pick("删除", "刪除", "Remove")}<span class="visually-hidden">" "{a.file_name.clone()}</span></button>
                </form>
            });
            view! { <li data-testid="open-file">{file_line(format!("/staff/open/{id}/files/{}", a.id), a)}" "{remove}</li> }
        })
        .collect_view();
    let types = ATTACHMENT_TYPES.iter().map(|t| t.label()).collect::<Vec<_>>().join(" / ");
    let hint = match lang {
        Lang::ZhHans => format!(
            "{types}，单个文件不超过 {}，最多 {MAX_ATTACHMENTS} 个。增删附件后需重新送审。",
            human_size(ATTACHMENT_MAX_BYTES)
        ),
        Lang::ZhHant => format!(
            "{types}，單個檔案不超過 {}，最多 {MAX_ATTACHMENTS} 個。增刪附件後需重新送審。",
            human_size(ATTACHMENT_MAX_BYTES)
        ),
        Lang::En => format!(
            "{types}, at most {} each, {MAX_ATTACHMENTS} in all. Adding or removing one needs a new approval.",
            human_size(ATTACHMENT_MAX_BYTES)
        ),
    };
    let upload = writable.then(|| view! {
        <form method="post" enctype="multipart/form-data" action=format!("/staff/open/{id}/files") class="upload-form">
            <label for="open-file">{lang.pick("选择文件", "選擇檔案", "Choose a file")}</label>
            <input type="file" id="open-file" name="file" required accept=FileType::accept(&ATTACHMENT_TYPES) aria-describedby="open-file-hint"/>
            <button type="submit" class="button secondary">{lang.pick("上传附件", "上傳附件", "Attach")}</button>
        </form>
    });
    let has_err = err.is_some();
    view! {
        <section class="panel" id=format!("m-{FIELD}") class:field-error=has_err data-testid="open-files">
            <h2>{lang.pick("附件", "附件", "Attachments")}</h2>
            <p class="hint" id="open-file-hint">{hint}</p>
            {err.map(|m| view! { <p class="error-message" role="alert">{m}</p> })}
            <ul class="file-list">{lines}</ul>
            {upload}
        </section>
    }
    .into_any()
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

/// A step's limit in words: "5 个工作日（自受理之日起）", or that only the case's limit applies.
fn step_limit(s: &rules::procedure::ProcedureStep, lang: Lang) -> String {
    match s.limit {
        Some((l, _)) if l.amount == 0 => format_limit(l, lang) + lang.pick("（当场）", "（當場）", " (at once)"),
        Some((l, from)) => format!(
            "{}{}{}{}",
            format_limit(l, lang),
            lang.pick("（", "（", " ("),
            from.label(lang),
            lang.pick("）", "）", ")")
        ),
        None if s.kind == rules::procedure::StepKind::Accept => {
            lang.pick("当场受理", "當場受理", "accepted at once").into()
        }
        None => lang.pick("计入总办理时限", "計入總辦理時限", "within the overall limit").into(),
    }
}

/// The flow of a procedure (流程图): its steps in order, each with its limit and its side roads.
fn flow(p: &Procedure, lang: Lang) -> impl IntoView + use<> {
    let steps = p
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let deps = s
                .departments
                .iter()
                .map(|c| p.departments.get(c).cloned().unwrap_or_else(|| c.clone()))
                .collect::<Vec<_>>()
                .join("、");
            let who = if deps.is_empty() { p.department.clone() } else { deps };
            view! {
                <li class="flow-step" data-testid="flow-step">
                    <p class="flow-title"><span class="flow-no" aria-hidden="true">{(i + 1).to_string()}</span>{s.title(lang)}</p>
                    <p class="meta">{who}" · "<strong>{step_limit(s, lang)}</strong></p>
                    {(!s.branches(lang).is_empty()).then(|| view! {
                        <ul class="flow-branches">{s.branches(lang).into_iter().map(|b| view! { <li>{b}</li> }).collect_view()}</ul>
                    })}
                </li>
            }
        })
        .collect_view();
    view! { <ol class="flow" aria-label=lang.pick("办理流程图", "辦理流程圖", "Flow of the procedure")>{steps}</ol> }
}

fn render_procedure(p: Procedure, lang: Lang) -> impl IntoView {
    let diagram = flow(&p, lang);
    view! {
        <nav class="breadcrumbs"><a href="/open">{lang.pick("政务公开", "政務公開", "Open government")}</a>" · "<a href=index_link(Some(OpenKind::Procedure), None, "")>{OpenKind::Procedure.label(lang)}</a></nav>
        <article class="panel" data-testid="procedure">
            <h1>{p.name.clone()}{lang.pick(" 办事程序", " 辦事程序", ": procedure")}</h1>
            <p class="meta">{p.department.clone()}" · "{p.code.clone()}" · "{p.kind.label(lang)}" · "{p.handling.label(lang)}</p>
            <dl class="facts">
                <div><dt>{lang.pick("法定时限", "法定時限", "Statutory limit")}</dt><dd>{format_limit(p.statutory, lang)}</dd></div>
                <div><dt>{lang.pick("承诺时限", "承諾時限", "Promised limit")}</dt><dd data-testid="procedure-promised">{format_limit(p.promised, lang)}</dd></div>
                {(!p.result_name.is_empty()).then(|| view! { <div><dt>{lang.pick("办理结果", "辦理結果", "Result")}</dt><dd>{p.result_name.clone()}</dd></div> })}
                <div><dt>{lang.pick("收费", "收費", "Fees")}</dt><dd>{if p.fee_note.is_empty() { lang.pick("不收费", "不收費", "Free of charge").to_string() } else { p.fee_note.clone() }}</dd></div>
            </dl>
            <h2>{lang.pick("办理流程图", "辦理流程圖", "Flow")}</h2>
            {diagram}
            <p class="hint">{lang.pick("时限按工作日计算，法定节假日不计；补正、听证、检验等所需时间不计入办理时限。", "時限按工作日計算，法定節假日不計；補正、聽證、檢驗等所需時間不計入辦理時限。", "Limits count working days; corrections, hearings and tests are not counted.")}</p>
            <p><a class="button" href=format!("/items/{}", p.code)>{if p.online { lang.pick("查看办事指南并在线申请", "查看辦事指南並線上申請", "Guide and online application") } else { lang.pick("查看办事指南", "查看辦事指南", "See the guide") }}</a></p>
        </article>
    }
}

/// `/open/procedures/{code}`: an item's 办事程序, made from the catalog.
#[component]
pub fn ProcedurePage() -> impl IntoView {
    loaded(|c| async move {
        let code = c.param::<String>("code")?;
        let p = crate::server::open_gov::procedure(&c.state.db, &code).await?;
        let title = format!("{} · {}", p.name, c.lang.pick("办事程序", "辦事程序", "Procedure"));
        Ok(c.page(title, render_procedure(p, c.lang)))
    })
}

fn render_directory(deps: Vec<DirectoryDepartment>, lang: Lang) -> impl IntoView {
    let general = Procedure {
        code: String::new(),
        name: String::new(),
        department: lang.pick("承办部门", "承辦部門", "the department").into(),
        kind: rules::item::ItemKind::Licensing,
        handling: rules::item::Handling::Promised,
        statutory: rules::deadline::LICENSING_DECISION,
        promised: rules::deadline::LICENSING_DECISION,
        result_name: String::new(),
        fee_note: String::new(),
        online: true,
        steps: rules::procedure::general(),
        departments: Default::default(),
    };
    let sections = deps
        .into_iter()
        .map(|d| {
            let id = d.id;
            view! {
                <section class="panel" data-testid="directory-department">
                    <h2>{d.name.clone()}</h2>
                    <h3>{lang.pick("公开信息", "公開信息", "Published")}</h3>
                    <ul class="inline-list">
                        {d.counts.into_iter().filter(|(_, n)| *n > 0).map(|(k, n)| view! {
                            <li><a href=index_link(Some(k), Some(id), "")>{k.label(lang)}</a>" "<span class="tag">{n.to_string()}</span></li>
                        }).collect_view()}
                    </ul>
                    <h3>{lang.pick("行政职权", "行政職權", "Powers")}</h3>
                    <div class="table-scroll" tabindex="0" role="region" aria-label=format!("{}{}", d.name, lang.pick("行政职权表（可左右滚动）", "行政職權表（可左右捲動）", ": powers (scrollable table)"))><table class="table">
                        <thead><tr>
                            <th scope="col">{lang.pick("事项", "事項", "Item")}</th>
                            <th scope="col">{lang.pick("类别", "類別", "Kind")}</th>
                            <th scope="col">{lang.pick("法定时限", "法定時限", "Statutory")}</th>
                            <th scope="col">{lang.pick("承诺时限", "承諾時限", "Promised")}</th>
                        </tr></thead>
                        <tbody>{d.powers.into_iter().map(|p| view! {
                            <tr>
                                <td><a href=format!("/open/procedures/{}", p.code)>{p.name}</a></td>
                                <td>{p.kind.label(lang)}" · "{p.handling.label(lang)}</td>
                                <td>{format_limit(p.statutory, lang)}</td>
                                <td>{format_limit(p.promised, lang)}</td>
                            </tr>
                        }).collect_view()}</tbody>
                    </table></div>
                </section>
            }
        })
        .collect_view();
    view! {
        <nav class="breadcrumbs"><a href="/open">{lang.pick("政务公开", "政務公開", "Open government")}</a></nav>
        <h1>{lang.pick("政务公开目录", "政務公開目錄", "Directory of open information")}</h1>
        <p class="hint">{lang.pick("各部门的行政职权（所办事项及其时限）与已公开的信息；点击事项查看其办事程序与流程图。", "各部門的行政職權（所辦事項及其時限）與已公開的信息；點擊事項查看其辦事程序與流程圖。", "Each department's powers (the items it decides, with their limits) and what it has published; choose an item for its procedure and flow.")}</p>
        <section class="panel">
            <h2>{lang.pick("行政职权运行流程图", "行政職權運行流程圖", "How a power runs")}</h2>
            <p class="hint">{lang.pick("所有审批事项统一实行申请与受理、审查、决定、送达四个程序；各事项的环节与时限见其办事程序。", "所有審批事項統一實行申請與受理、審查、決定、送達四個程序；各事項的環節與時限見其辦事程序。", "Every item runs through application and acceptance, review, decision and delivery; each item's procedure gives its own stages and limits.")}</p>
            {flow(&general, lang)}
        </section>
        {sections}
    }
}

/// `/open/directory`: the 政务公开目录.
#[component]
pub fn OpenDirectoryPage() -> impl IntoView {
    loaded(|c| async move {
        let deps = crate::server::open_gov::directory(&c.state.db, c.today).await?;
        Ok(c.page(
            c.lang.pick("政务公开目录 · 通办", "政務公開目錄 · 通辦", "Directory · Tongban"),
            render_directory(deps, c.lang),
        ))
    })
}
