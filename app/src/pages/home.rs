use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::list_items;
use crate::components::use_prefs;

#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_prefs().lang;
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let items = Resource::new(q, list_items);
    let list = move || {
        Suspend::new(async move {
            match items.await {
                Ok(list) if list.is_empty() => view! {
                    <p class="empty">{lang.pick("没有找到匹配的事项，请换个词试试。", "沒有找到相符的事項，請換個詞試試。", "No service matches: try other words.")}</p>
                }
                .into_any(),
                Ok(list) => view! {
                    <ul class="item-list">
                        {list
                            .into_iter()
                            .map(|i| {
                                view! {
                                    <li class="item-card">
                                        <h3><a href=format!("/items/{}", i.code)>{i.name}</a></h3>
                                        <p class="meta">
                                            <span>{i.department}</span>
                                            <span class="tag">{i.kind.label(lang)}</span>
                                            <span class="tag">{i.handling.label(lang)}</span>
                                        </p>
                                        <p class="limits">
                                            {lang.pick("承诺时限：", "承諾時限：", "Promised: ")}
                                            <strong>{format_limit(i.promised_limit, lang)}</strong>
                                            " · "
                                            {lang.pick("法定时限：", "法定時限：", "Statutory: ")}
                                            {format_limit(i.statutory_limit, lang)}
                                        </p>
                                        <p class="code">{i.code}</p>
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
        <section class="hero">
            <h1>{lang.pick("在线办事，一次办成", "線上辦事，一次辦成", "Apply online, done in one go")}</h1>
            <p>{lang.pick(
                "查找办事事项、了解需要的材料和办理时限，在线申请并随时查看进度。",
                "查找辦事事項、了解需要的材料和辦理時限，線上申請並隨時查看進度。",
                "Find a service, see the materials and time limits, apply online and follow your case.",
            )}</p>
            <form method="get" action="/" class="search" role="search">
                <label for="q">{lang.pick("搜索事项或部门", "搜尋事項或部門", "Search services or departments")}</label>
                <div class="search-row">
                    <input id="q" name="q" type="search" value=q/>
                    <button type="submit">{lang.pick("搜索", "搜尋", "Search")}</button>
                </div>
            </form>
        </section>
        <section>
            <h2>{lang.pick("办事事项", "辦事事項", "Services")}</h2>
            <Suspense fallback=move || view! { <p>{lang.pick("正在加载…", "正在載入…", "Loading…")}</p> }>{list}</Suspense>
        </section>
    }
}

pub fn format_limit(l: rules::TimeLimit, lang: rules::Lang) -> String {
    use rules::deadline::LimitUnit;
    match (l.unit, l.amount, lang) {
        (_, 0, _) => lang.pick("当场办结", "當場辦結", "same day").into(),
        (LimitUnit::WorkingDays, n, rules::Lang::En) => format!("{n} working day{}", if n == 1 { "" } else { "s" }),
        (LimitUnit::CalendarDays, n, rules::Lang::En) => format!("{n} day{}", if n == 1 { "" } else { "s" }),
        (LimitUnit::WorkingDays, n, rules::Lang::ZhHant) => format!("{n} 個工作日"),
        (LimitUnit::WorkingDays, n, _) => format!("{n} 个工作日"),
        (LimitUnit::CalendarDays, n, _) => format!("{n} 日"),
    }
}
