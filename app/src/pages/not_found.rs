use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::use_prefs;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
            resp.set_status(http::StatusCode::NOT_FOUND);
        }
    }
    let lang = use_prefs().lang;
    view! {
        <Title text=lang.pick("找不到页面 · 通办", "找不到頁面 · 通辦", "Page not found · Tongban")/>
        <section class="panel">
            <h1>{lang.pick("找不到您要的页面", "找不到您要的頁面", "Page not found")}</h1>
            <p>{lang.pick("网址可能输错了，或者页面已经移走。", "網址可能輸錯了，或者頁面已經移走。", "The address may be mistyped, or the page has moved.")}</p>
            <p><a href="/">{lang.pick("回到首页查找办事事项", "回到首頁查找辦事事項", "Go to the home page to find a service")}</a></p>
        </section>
    }
}
