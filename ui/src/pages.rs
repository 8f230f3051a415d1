//! One view per screen, chosen by route. Screens that are not built yet show a placeholder;
//! the lists keep their empty states.

mod placeholder;
mod sessions;
mod settings;

use leptos::prelude::*;

use crate::nav::Section;
use crate::route::Route;

/// The view for `route` (rebuilt only when its screen changes: see `Route::screen_key`).
pub fn render(route: Route) -> AnyView {
    match route {
        Route::Sessions => view! { <sessions::Sessions /> }.into_any(),
        Route::Session { .. } => view! { <placeholder::SessionScreen /> }.into_any(),
        Route::Agents => empty(
            Section::Agents,
            "No agents yet",
            "An agent is a saved configuration: model, instructions, tools. Each save keeps a version.",
            Some(("New agent", Route::NewAgent)),
        ),
        Route::Agent { .. } => view! { <placeholder::AgentScreen /> }.into_any(),
        Route::NewAgent => placeholder::coming(
            &route,
            "New agent",
            "The agent form (name, model, system prompt, tools, metadata) will be here.",
        ),
        Route::Environments => empty(
            Section::Environments,
            "No environments yet",
            "An environment is the container an agent works in: its network access and packages.",
            Some(("New environment", Route::NewEnvironment)),
        ),
        Route::Environment { ref id } => placeholder::coming(
            &route,
            "Environment",
            &format!("The settings of environment {id} will be here."),
        ),
        Route::NewEnvironment => placeholder::coming(
            &route,
            "New environment",
            "The environment form (name, networking, allowed hosts, packages) will be here.",
        ),
        Route::Vaults => empty(
            Section::Vaults,
            "No vaults yet",
            "Vaults hold the credentials agents use for MCP servers. Secrets are never shown again.",
            None,
        ),
        Route::Vault { ref id } => placeholder::coming(
            &route,
            "Vault",
            &format!("The credentials of vault {id} will be here."),
        ),
        Route::Settings => view! { <settings::Settings /> }.into_any(),
        Route::Search { .. } => view! { <placeholder::SearchScreen /> }.into_any(),
    }
}

/// A list page with nothing in it yet: heading, explanation and the button that starts one.
fn empty(
    section: Section,
    title: &'static str,
    body: &'static str,
    create: Option<(&'static str, Route)>,
) -> AnyView {
    let router = crate::router::use_router();
    view! {
        <section class="page" id=section.route().page_id()>
            <div class="page-head">
                <h1>{section.label()}</h1>
                {create.map(|(label, route)| view! {
                    <button type="button" class="primary" on:click=move |_| router.navigate(route.clone())>{label}</button>
                })}
            </div>
            <div class="empty-state">
                <h2>{title}</h2>
                <p>{body}</p>
            </div>
        </section>
    }
    .into_any()
}
