use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::api::{staff_view, StaffPageData};
use crate::components::{use_prefs, ServerError};

#[component]
pub fn StaffPage() -> impl IntoView {
    let lang = use_prefs().lang;
    // One resource for the whole page, so hydration reuses exactly what the server rendered.
    let view_data = Resource::new(|| (), |_| staff_view());
    let body = move || {
        Suspend::new(async move {
            match view_data.await {
                Ok(StaffPageData::Desk(o)) => view! {
                    <section class="panel">
                        <h1>{lang.pick("工作台", "工作台", "Workspace")}</h1>
                        <p>{o.name}" · "<a href="/staff/password">{lang.pick("修改密码", "修改密碼", "Change password")}</a>
                            " · "<a href="/staff/second-factor">{lang.pick("两步验证", "兩步驗證", "Second factor")}</a></p>
                        <h2>{lang.pick("办件队列", "辦件隊列", "Queues")}</h2>
                        {crate::pages::backoffice::queue_links(lang)}
                        {o
                            .roles
                            .iter()
                            .any(|r| r.role == rules::Role::WindowClerk)
                            .then(|| {
                                view! {
                                    <h2>{lang.pick("窗口服务", "窗口服務", "At the window")}</h2>
                                    <ul class="tabs">
                                        <li><a href="/staff/inquiries">{lang.pick("首问登记", "首問登記", "First-inquiry desk")}</a></li>
                                        <li><a href="/staff/intake">{lang.pick("窗口帮办", "窗口幫辦", "Counter intake")}</a></li>
                                    </ul>
                                }
                            })}
                        {o
                            .roles
                            .iter()
                            .any(|r| r.role == rules::Role::Publisher)
                            .then(|| {
                                view! {
                                    <h2>{lang.pick("政务公开", "政務公開", "Open government")}</h2>
                                    <ul class="tabs">
                                        <li><a href="/staff/open" data-testid="open-desk-link">{lang.pick("政务公开管理", "政務公開管理", "Publications")}</a></li>
                                    </ul>
                                }
                            })}
                        {o
                            .roles
                            .iter()
                            .any(|r| matches!(r.role, rules::Role::Supervisor | rules::Role::Approver | rules::Role::Admin))
                            .then(|| {
                                view! {
                                    <h2>{lang.pick("监察与统计", "監察與統計", "Supervision and statistics")}</h2>
                                    <ul class="tabs">
                                        <li><a href="/staff/supervision">{lang.pick("电子监察", "電子監察", "Supervision")}</a></li>
                                        <li><a href="/staff/stats">{lang.pick("统计分析", "統計分析", "Statistics")}</a></li>
                                        {o.roles.iter().any(|r| r.role == rules::Role::Admin).then(|| view! {
                                            <li><a href="/staff/admin">{lang.pick("系统管理", "系統管理", "Administration")}</a></li>
                                            <li><a href="/staff/admin/tokens">{lang.pick("接口令牌", "介面權杖", "API tokens")}</a></li>
                                        })}
                                    </ul>
                                }
                            })}
                        <h2>{lang.pick("我的岗位", "我的崗位", "My roles")}</h2>
                        <table class="table">
                            <thead>
                                <tr>
                                    <th scope="col">{lang.pick("部门", "部門", "Department")}</th>
                                    <th scope="col">{lang.pick("岗位", "崗位", "Role")}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {o
                                    .roles
                                    .into_iter()
                                    .map(|r| {
                                        view! {
                                            <tr>
                                                <td>{format!("{} ({})", r.department_name, r.department_code)}</td>
                                                <td>{r.role.label(lang)}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                        <h2>{lang.pick("工作日历", "工作日曆", "Working-day calendar")}</h2>
                        <p>
                            {format!(
                                "{} · {}",
                                o.today,
                                if o.today_is_working_day {
                                    lang.pick("工作日", "工作日", "working day")
                                } else {
                                    lang.pick("休息日", "休息日", "day off")
                                },
                            )}
                        </p>
                        <p>
                            {lang.pick("已载入节假日安排的年份：", "已載入節假日安排的年份：", "Holiday schedules loaded for: ")}
                            {o.calendar_years.iter().map(|y| y.to_string()).collect::<Vec<_>>().join(", ")}
                        </p>
                        {(!o.missing_years.is_empty())
                            .then(|| {
                                view! {
                                    <p class="warning" role="status">
                                        {lang.pick(
                                            "以下年份尚无官方节假日安排，期限只按周末计算：",
                                            "以下年份尚無官方節假日安排，期限只按週末計算：",
                                            "No official holiday schedule yet for: ",
                                        )}
                                        {o.missing_years.iter().map(|y| y.to_string()).collect::<Vec<_>>().join(", ")}
                                    </p>
                                }
                            })}
                    </section>
                }
                .into_any(),
                Ok(StaffPageData::NotStaff) => view! {
                    <section class="panel">
                        <h1>{lang.pick("仅限工作人员", "僅限工作人員", "Staff only")}</h1>
                        <p>{lang.pick("此页面仅供工作人员使用。", "此頁面僅供工作人員使用。", "This page is for staff only.")}</p>
                        <p>
                            <a href="/account">{lang.pick("回到我的账户", "回到我的帳戶", "Back to my account")}</a>
                        </p>
                    </section>
                }
                .into_any(),
                Ok(StaffPageData::Anonymous) => view! { <Redirect path="/staff/login?next=/staff"/> }.into_any(),
                Err(e) => view! { <ServerError error=e/> }.into_any(),
            }
        })
    };
    view! {
        <Title text=lang.pick("工作台 · 通办", "工作台 · 通辦", "Workspace · Tongban")/>
        <Suspense fallback=|| ()>{body}</Suspense>
    }
}
