//! Pages that are plain links and forms — the public register, verification, the inbox, a case,
//! the back office — are made on the server only: one server function renders the HTML for the
//! address, and the browser shows it as is. Their view code never reaches the browser bundle;
//! they work the same with or without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

use crate::api::page_html;
use crate::components::ServerError;
use crate::models::ServerHtml;

#[component]
pub fn ServerPage() -> impl IntoView {
    let location = use_location();
    let key = move || (location.pathname.get(), location.search.get());
    let data = Resource::new(key, |(path, query)| page_html(path, query));
    let body = move || {
        Suspend::new(async move {
            match data.await {
                Ok(ServerHtml::Html { title, html }) => {
                    // pages that come alive in the browser wire themselves once the HTML is in
                    #[cfg(feature = "hydrate")]
                    request_animation_frame(crate::pages::admin::live::checklist);
                    view! { <Title text=title/><div inner_html=html></div> }.into_any()
                }
                Ok(ServerHtml::Redirect(to)) => view! { <Redirect path=to/> }.into_any(),
                Err(e) => view! { <section class="panel"><ServerError error=e/></section> }.into_any(),
            }
        })
    };
    view! { <Suspense fallback=|| ()>{body}</Suspense> }
}
