use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::catalog;
use crate::components::{use_prefs, ServerError};

fn item_cards(list: Vec<crate::models::ItemSummary>, lang: rules::Lang) -> impl IntoView {
    view! {
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
}

#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_prefs().lang;
    let query = use_query_map();
    let params = move || {
        let q = query.read();
        (q.get("q").unwrap_or_default(), q.get("kind").unwrap_or_default(), q.get("topic").unwrap_or_default())
    };
    let (q, kind0, topic0) = params();
    let data = Resource::new(params, |(q, k, t)| catalog(q, k, t));
    let filters = move || {
        let kind0 = kind0.clone();
        let topic0 = topic0.clone();
        Suspend::new(async move {
            let topics = data.await.map(|c| c.topics).unwrap_or_default();
            view! {
                <div class="filters">
                    <div class="field">
                        <label for="kind">{lang.pick("事项类型", "事項類型", "Kind")}</label>
                        <select id="kind" name="kind">
                            <option value="">{lang.pick("全部", "全部", "All")}</option>
                            {rules::item::ItemKind::ALL.iter().map(|k| {
                                let code = k.code().to_string();
                                let selected = code == kind0;
                                view! { <option value=code selected=selected>{k.label(lang)}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="topic">{lang.pick("主题（办什么事）", "主題（辦什麼事）", "Life event")}</label>
                        <select id="topic" name="topic">
                            <option value="">{lang.pick("全部", "全部", "All")}</option>
                            {topics.into_iter().map(|t| {
                                let selected = t == topic0;
                                view! { <option value=t.clone() selected=selected>{t.clone()}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                </div>
            }
        })
    };
    let list = move || {
        Suspend::new(async move {
            match data.await {
                Ok(c) => {
                    let searching = {
                        let (q, k, t) = params();
                        !(q.is_empty() && k.is_empty() && t.is_empty())
                    };
                    let popular = (!searching && !c.popular.is_empty()).then(|| {
                        view! {
                            <section aria-labelledby="popular-h">
                                <h2 id="popular-h">{lang.pick("热门事项", "熱門事項", "Most requested")}</h2>
                                {item_cards(c.popular.clone(), lang)}
                            </section>
                        }
                    });
                    let bundles = (!searching && !c.bundles.is_empty()).then(|| {
                        view! {
                            <section aria-labelledby="bundles-h">
                                <h2 id="bundles-h">{lang.pick("一件事一次办", "一件事一次辦", "Several services, one application")}</h2>
                                <ul class="item-list" data-testid="bundles">
                                    {c.bundles.clone().into_iter().map(|(code, name, summary)| view! {
                                        <li class="item-card">
                                            <h3><a href=format!("/bundles/{code}")>{name}</a></h3>
                                            <p>{summary}</p>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            </section>
                        }
                    });
                    let body = if c.items.is_empty() {
                        view! {
                            <p class="empty">{lang.pick("没有找到匹配的事项，请换个词试试。", "沒有找到相符的事項，請換個詞試試。", "No service matches: try other words.")}</p>
                        }
                        .into_any()
                    } else {
                        item_cards(c.items, lang).into_any()
                    };
                    view! {
                        {bundles}
                        {popular}
                        <section aria-labelledby="all-h">
                            <h2 id="all-h">{if searching { lang.pick("查找结果", "查找結果", "Results") } else { lang.pick("全部事项", "全部事項", "All services") }}</h2>
                            {body}
                        </section>
                    }
                    .into_any()
                }
                Err(e) => view! { <ServerError error=e/> }.into_any(),
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
                <Suspense fallback=|| ()>{filters}</Suspense>
            </form>
            <p class="quick-links">
                <a href="/progress">{lang.pick("办件进度查询", "辦件進度查詢", "Track a case")}</a>
                <a href="/ledger">{lang.pick("登记台账公示", "登記台賬公示", "Public register")}</a>
                <a href="/open">{lang.pick("政务公开", "政務公開", "Open government")}</a>
            </p>
        </section>
        <Suspense fallback=move || view! { <p>{lang.pick("正在加载…", "正在載入…", "Loading…")}</p> }>{list}</Suspense>
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
