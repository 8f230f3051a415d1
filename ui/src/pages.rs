//! One view per screen, chosen by route.

pub(crate) mod sessions;
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
// Beyond the console: memory stores, schedules (issue 14).
mod memory;
mod schedules;
mod usage;
// History (issue 12).
mod local_data;
mod search;
// Sessions and the live chat (issue 11).
pub mod new_session;
mod session;

use leptos::prelude::*;

use crate::route::Route;

/// The view for `route` (rebuilt only when its screen changes: see `Route::screen_key`).
pub fn render(route: Route) -> AnyView {
    match route {
        Route::Sessions => view! { <sessions::Sessions /> }.into_any(),
        Route::Session { .. } => view! { <session::SessionScreen /> }.into_any(),
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
        Route::Memory => view! { <memory::Memory /> }.into_any(),
        Route::MemoryStore { .. } => view! { <memory::MemoryStoreScreen /> }.into_any(),
        Route::Schedules => view! { <schedules::Schedules /> }.into_any(),
        Route::Schedule { .. } => view! { <schedules::ScheduleScreen /> }.into_any(),
        Route::NewSchedule => view! { <schedules::NewSchedule /> }.into_any(),
        Route::Search { .. } => view! { <search::SearchScreen /> }.into_any(),
        Route::Usage => view! { <usage::Usage /> }.into_any(),
    }
}
