//! Stand-ins for screens that are not built yet. They already follow their routes (the event
//! to scroll to, the search text) so the screens that replace them start from working
//! navigation.

use leptos::prelude::*;

use crate::route::Route;
use crate::router::use_router;

/// "Back", when there is somewhere to go back to.
#[component]
fn BackButton() -> impl IntoView {
    let router = use_router();
    view! {
        <Show when=move || router.can_back()>
            <button type="button" on:click=move |_| router.back()>"Back"</button>
        </Show>
    }
}

/// One session (placeholder): shows which session and event the route names.
#[component]
pub fn SessionScreen() -> impl IntoView {
    let router = use_router();
    let what = move || {
        router.with_route(|r| match r {
            Route::Session { id, at: Some(at) } => {
                format!("The transcript of session {id}, scrolled to event {at}, will be here.")
            }
            Route::Session { id, at: None } => {
                format!("The transcript of session {id} will be here.")
            }
            _ => String::new(),
        })
    };
    view! {
        <section class="page" id="page-session">
            <h1>"Session"</h1>
            <div class="empty-state"><p>{what}</p><BackButton /></div>
        </section>
    }
}

/// Search (placeholder): follows the text typed in the top bar.
#[component]
pub fn SearchScreen() -> impl IntoView {
    let router = use_router();
    let query = move || {
        router.with_route(|r| match r {
            Route::Search { query } => query.clone(),
            _ => String::new(),
        })
    };
    view! {
        <section class="page" id="page-search">
            <h1>"Search"</h1>
            <div class="empty-state">
                {move || {
                    let q = query();
                    if q.trim().is_empty() {
                        "Type in “Search transcripts” to search every cached transcript.".to_string()
                    } else {
                        format!("Results for “{q}” will be here.")
                    }
                }}
            </div>
        </section>
    }
}
