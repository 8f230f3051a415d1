//! The environments list (from the cache, refreshed by the sync).

use hangar_types::{cmd, EnvironmentListItem, ListInput};
use leptos::prelude::*;

use crate::components::configure::{config_changes, profile_id, when, OfflineNote};
use crate::load::{load_latest, Latest};
use crate::route::Route;
use crate::router::use_router;
use crate::{ipc, AppContext};

/// The Environments page.
#[component]
pub fn Environments() -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let router = use_router();
    let items = RwSignal::new(Latest::<Vec<EnvironmentListItem>>::new());
    let archived = RwSignal::new(false);
    let changes = config_changes();
    Effect::new(move |previous: Option<String>| {
        let profile = profile_id();
        changes.track();
        if previous.is_some_and(|p| p != profile) {
            items.update(Latest::clear);
        }
        let input = ListInput {
            include_archived: archived.get(),
        };
        load_latest(
            items,
            async move { ipc::invoke::<cmd::EnvironmentList>(&input).await },
            move |e| {
                ctx.notices.error("Could not read the environment list", &e);
            },
        );
        profile
    });
    let list = move || items.with(|l| l.value().cloned());
    view! {
        <section class="page" id="page-environments">
            <div class="page-head">
                <h1>"Environments"</h1>
                <button type="button" id="environments-new" class="primary" on:click=move |_| router.navigate(Route::NewEnvironment)>"New environment"</button>
            </div>
            <OfflineNote what="your environments" />
            <label class="inline show-archived">
                <input type="checkbox" id="environments-archived" prop:checked=move || archived.get()
                    on:change=move |ev| archived.set(event_target_checked(&ev)) />
                "Show archived environments"
            </label>
            {move || match list() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(list) if list.is_empty() => view! {
                    <div class="empty-state">
                        <h2>"No environments yet"</h2>
                        <p>"An environment is the container an agent works in: its network access and packages."</p>
                    </div>
                }.into_any(),
                Some(list) => view! {
                    <table class="list-table" id="environment-list">
                        <thead><tr><th>"Name"</th><th>"Networking"</th><th>"Packages"</th><th>"Last updated"</th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|e| {
                                let open = Route::Environment { id: e.id.clone() };
                                view! {
                                    <tr id=format!("environment-{}", e.id) class:archived=e.archived>
                                        <td>
                                            <button type="button" class="link name" on:click=move |_| router.navigate(open.clone())>{e.name.clone()}</button>
                                            {e.archived.then(|| view! { <span class="status-chip archived">"archived"</span> })}
                                            {e.description.clone().map(|d| view! { <div class="muted small">{d}</div> })}
                                        </td>
                                        <td>{e.networking.clone()}</td>
                                        <td>{if e.packages == 0 { "none".to_string() } else { e.packages.to_string() }}</td>
                                        <td>{e.updated_at.as_deref().map(when).unwrap_or_default()}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
        </section>
    }
}
