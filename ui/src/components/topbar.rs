//! The top bar: profile switcher, connection chip, global search.

use hangar_types::ConnectionState;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::{ipc, AppContext};

/// Profile, connection and search, always visible.
#[component]
pub fn TopBar() -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let active_id = move || ctx.active.get().map(|p| p.id).unwrap_or_default();
    let is_demo = move || ctx.active.get().map(|p| p.is_demo).unwrap_or(false);
    let chip_class = move || match ctx.connection.get().map(|c| c.state) {
        Some(ConnectionState::Online) => "chip online",
        Some(ConnectionState::Offline) => "chip offline",
        Some(ConnectionState::Reconnecting) => "chip reconnecting",
        None => "chip",
    };
    let chip_label = move || {
        ctx.connection
            .get()
            .map(|c| c.state.label())
            .unwrap_or("Connecting…")
    };
    let chip_title = move || {
        ctx.connection
            .get()
            .map(|c| {
                format!(
                    "{} (updates received: {})",
                    c.detail,
                    ctx.connection_events.get()
                )
            })
            .unwrap_or_default()
    };
    let switch = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        spawn_local(async move {
            match ipc::invoke::<hangar_types::cmd::ProfileSelect>(&hangar_types::ProfileIdInput {
                id: id.clone(),
            })
            .await
            {
                Ok(profile) => ctx.active.set(Some(profile)),
                Err(e) => ctx
                    .error
                    .set(Some(format!("Could not switch profile: {e}"))),
            }
        });
    };
    view! {
        <header class="topbar">
            <label class="profile">
                <span class="visually-hidden">"Profile"</span>
                <select id="profile-switcher" aria-label="Profile" on:change=switch>
                    <For each=move || ctx.profiles.get() key=|p| (p.id.clone(), p.name.clone()) let:p>
                        <option value=p.id.clone() selected=move || active_id() == p.id>
                            {if p.is_demo { format!("{} (simulation)", p.name) } else { p.name.clone() }}
                        </option>
                    </For>
                </select>
            </label>
            <Show when=is_demo>
                <span class="demo-badge" id="demo-badge" title="Everything in the Demo profile is simulated on this computer">
                    "Simulation"
                </span>
            </Show>
            <span id="connection-chip" class=chip_class title=chip_title data-events=move || ctx.connection_events.get().to_string()>
                {chip_label}
            </span>
            <div class="spacer"></div>
            <label class="search">
                <span class="visually-hidden">"Search transcripts"</span>
                <input id="global-search" type="search" placeholder="Search transcripts  (Ctrl+K)" aria-label="Search transcripts" />
            </label>
        </header>
    }
}
