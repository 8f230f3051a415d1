//! The top bar: back/forward, profile switcher, connection chip, global search.

use hangar_types::ConnectionState;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::route::Route;
use crate::router::use_router;
use crate::{ipc, AppContext};

/// Navigation, profile, connection and search, always visible.
#[component]
pub fn TopBar() -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let router = use_router();
    let active_id = move || ctx.active.get().map(|p| p.id).unwrap_or_default();
    let is_demo = move || ctx.active.get().map(|p| p.is_demo).unwrap_or(false);
    // Demo talks to the simulation on this computer: its chip says so instead of Online.
    let chip_class = move || match ctx.connection.get().map(|c| c.state) {
        _ if is_demo() => "chip simulation",
        Some(ConnectionState::Online) => "chip online",
        Some(ConnectionState::Offline) => "chip offline",
        Some(ConnectionState::Reconnecting) => "chip reconnecting",
        None => "chip",
    };
    let chip_label = move || {
        if is_demo() {
            return "Simulation";
        }
        ctx.connection
            .get()
            .map(|c| c.state.label())
            .unwrap_or("Connecting…")
    };
    let chip_title = move || {
        if is_demo() {
            return "Everything in the Demo profile is simulated on this computer; nothing reaches the real API."
                .to_string();
        }
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
            let input = hangar_types::ProfileIdInput { id };
            match ipc::invoke::<hangar_types::cmd::ProfileSelect>(&input).await {
                Ok(profile) => ctx.active.set(Some(profile)),
                Err(e) => {
                    ctx.notices.error("Could not switch profile", &e);
                }
            }
        });
    };
    // The search box shows the search route's text; typing opens the search page, then
    // refines it in place (one history entry per search, not per letter).
    let search_text = move || {
        router.with_route(|r| match r {
            Route::Search { query } => query.clone(),
            _ => String::new(),
        })
    };
    let on_search = move |ev: leptos::ev::Event| {
        let query = event_target_value(&ev);
        let on_search_page = router.with_route_untracked(|r| matches!(r, Route::Search { .. }));
        if on_search_page {
            router.replace(Route::Search { query });
        } else if !query.trim().is_empty() {
            router.navigate(Route::Search { query });
        }
    };
    let search_keys = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape"
            && router.with_route_untracked(|r| matches!(r, Route::Search { .. }))
        {
            ev.prevent_default();
            router.back();
        }
    };
    view! {
        <header class="topbar">
            <div class="history-buttons">
                <button type="button" id="nav-back" class="icon" aria-label="Back" title="Back (Alt+←)"
                    disabled=move || !router.can_back() on:click=move |_| router.back()>"←"</button>
                <button type="button" id="nav-forward" class="icon" aria-label="Forward" title="Forward (Alt+→)"
                    disabled=move || !router.can_forward() on:click=move |_| router.forward()>"→"</button>
            </div>
            <label class="profile">
                <span class="visually-hidden">"Profile"</span>
                <select id="profile-switcher" aria-label="Profile" on:change=switch>
                    <For each=move || ctx.profile_list() key=|p| (p.id.clone(), p.name.clone()) let:p>
                        <option value=p.id.clone() selected=move || active_id() == p.id>
                            {if p.is_demo { format!("{} (simulation)", p.name) } else { p.name.clone() }}
                        </option>
                    </For>
                </select>
            </label>
            <span id="connection-chip" class=chip_class title=chip_title data-events=move || ctx.connection_events.get().to_string()>
                {chip_label}
            </span>
            <div class="spacer"></div>
            <label class="search">
                <span class="visually-hidden">"Search transcripts"</span>
                <input id="global-search" type="search" placeholder="Search transcripts  (Ctrl+K)" aria-label="Search transcripts"
                    prop:value=search_text on:input=on_search on:keydown=search_keys />
            </label>
        </header>
    }
}
