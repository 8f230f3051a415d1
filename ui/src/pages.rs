//! One view per screen, chosen by route. Screens that are not built yet show a placeholder.

mod placeholder;
mod sessions;
mod settings;
// Configure (issue 10).
mod agent;
mod agents;
mod environment;
mod environments;
mod files;
mod skills;
mod vault;
mod vaults;

use leptos::prelude::*;

use crate::route::Route;

/// The view for `route` (rebuilt only when its screen changes: see `Route::screen_key`).
pub fn render(route: Route) -> AnyView {
    match route {
        Route::Sessions => view! { <sessions::Sessions /> }.into_any(),
        Route::Session { .. } => view! { <placeholder::SessionScreen /> }.into_any(),
        Route::Agents => view! { <agents::Agents /> }.into_any(),
        Route::Agent { .. } => view! { <agent::AgentScreen /> }.into_any(),
        Route::NewAgent => view! { <agent::NewAgent /> }.into_any(),
        Route::Environments => view! { <environments::Environments /> }.into_any(),
        Route::Environment { .. } => view! { <environment::EnvironmentScreen /> }.into_any(),
        Route::NewEnvironment => view! { <environment::NewEnvironment /> }.into_any(),
        Route::Vaults => view! { <vaults::Vaults /> }.into_any(),
        Route::Vault { .. } => view! { <vault::VaultScreen /> }.into_any(),
        Route::Skills => view! { <skills::Skills /> }.into_any(),
        Route::Files => view! { <files::Files /> }.into_any(),
        Route::Settings => view! { <settings::Settings /> }.into_any(),
        Route::Search { .. } => view! { <placeholder::SearchScreen /> }.into_any(),
    }
}
