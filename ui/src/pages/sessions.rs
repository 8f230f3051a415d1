//! Sessions: the cached sessions of the active profile, grouped by day, newest first.

use hangar_types::SessionListItem;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::{ipc, AppContext};

/// `2026-11-24T10:00:00Z` → `2026-11-24`; the grouping key.
fn day_of(created_at: &str) -> String {
    created_at.get(..10).unwrap_or(created_at).to_string()
}

/// Consecutive sessions of the same day together (the list is newest first).
fn group_by_day(items: Vec<SessionListItem>) -> Vec<(String, Vec<SessionListItem>)> {
    let mut groups: Vec<(String, Vec<SessionListItem>)> = Vec::new();
    for item in items {
        let day = day_of(&item.created_at);
        match groups.last_mut() {
            Some((d, list)) if *d == day => list.push(item),
            _ => groups.push((day, vec![item])),
        }
    }
    groups
}

/// The Sessions page.
#[component]
pub fn Sessions() -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let items = RwSignal::new(None::<Vec<SessionListItem>>);
    let load = move || {
        spawn_local(async move {
            match ipc::invoke::<hangar_types::cmd::SessionList>(&()).await {
                Ok(list) => items.set(Some(list)),
                Err(e) => ctx
                    .error
                    .set(Some(format!("Could not read the session list: {e}"))),
            }
        });
    };
    // Loads on mount, and again when the profile changes or a session changes status.
    Effect::new(move |_| {
        ctx.active.track();
        ctx.session_changes.track();
        load();
    });
    view! {
        <section class="page" id="page-sessions">
            <h1>"Sessions"</h1>
            {move || match items.get() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(list) if list.is_empty() => view! {
                    <div class="empty-state">
                        <h2>"No sessions yet"</h2>
                        <p>"Sessions you start appear here, grouped by day, and stay readable offline."</p>
                    </div>
                }.into_any(),
                Some(list) => view! {
                    <div id="session-list">
                        {group_by_day(list).into_iter().map(|(day, sessions)| view! {
                            <h2 class="day">{day}</h2>
                            <ul class="sessions">
                                {sessions.into_iter().map(|s| view! {
                                    <li class="session-row" id=format!("session-{}", s.id)>
                                        <span class="title">{s.title.clone().unwrap_or_else(|| "Untitled session".into())}</span>
                                        <span class="agent">{format!("{} · v{}", s.agent_name, s.agent_version)}</span>
                                        <span class=format!("status-chip {}", s.status)>{s.status.clone()}</span>
                                        {s.archived.then(|| view! { <span class="status-chip archived">"archived"</span> })}
                                        <span class="tokens">{format!("{} tokens", s.tokens)}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }).collect_view()}
                    </div>
                }.into_any(),
            }}
        </section>
    }
}
