//! Stand-ins for screens that are not built yet. They already follow their routes (an agent's
//! tabs, the event to scroll to, the search text) so the screens that replace them start from
//! working navigation.

use leptos::prelude::*;

use crate::route::{AgentTab, Route};
use crate::router::use_router;

/// A titled page saying what will be here.
pub fn coming(route: &Route, title: &str, body: &str) -> AnyView {
    view! {
        <section class="page" id=route.page_id()>
            <h1>{title.to_string()}</h1>
            <div class="empty-state">
                <p>{body.to_string()}</p>
                <BackButton />
            </div>
        </section>
    }
    .into_any()
}

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

/// One agent (placeholder) with its working tabs: Settings, Versions, Sessions.
#[component]
pub fn AgentScreen() -> impl IntoView {
    let router = use_router();
    let current = Memo::new(move |_| {
        router.with_route(|r| match r {
            Route::Agent { id, tab, version } => Some((id.clone(), *tab, *version)),
            _ => None,
        })
    });
    let tab_of = move || current.get().map(|(_, tab, _)| tab).unwrap_or_default();
    let go = move |tab: AgentTab| {
        if let Some((id, _, version)) = current.get_untracked() {
            router.navigate(Route::Agent { id, tab, version });
        }
    };
    let body = move || {
        current.get().map(|(id, tab, version)| {
            let version = version.map_or_else(
                || "the latest version".to_string(),
                |v| format!("version {v}"),
            );
            match tab {
                AgentTab::Settings => format!("The form of agent {id} ({version}) will be here."),
                AgentTab::Versions => format!("The version history of agent {id} will be here."),
                AgentTab::Sessions => format!("The sessions that used agent {id} will be here."),
            }
        })
    };
    view! {
        <section class="page" id="page-agent">
            <h1>"Agent"</h1>
            <div class="tabs" role="tablist" aria-label="Agent">
                {AgentTab::ALL.into_iter().map(|tab| view! {
                    <button type="button" role="tab" id=format!("agent-tab-{}", tab.slug())
                        aria-selected=move || (tab_of() == tab).to_string()
                        aria-controls="agent-tab-panel"
                        class:active=move || tab_of() == tab
                        on:click=move |_| go(tab)>
                        {tab.label()}
                    </button>
                }).collect_view()}
            </div>
            <div class="tab-panel empty-state" role="tabpanel" id="agent-tab-panel">
                <p>{body}</p>
            </div>
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
