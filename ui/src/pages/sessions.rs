//! Sessions: the cached sessions of the active profile, grouped by local day, newest first.

use hangar_types::{cmd, SessionListItem};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::load::{load_latest, Latest};
use crate::route::Route;
use crate::router::use_router;
use crate::time::group_by_day;
use crate::{ipc, AppContext};

/// The zone's offset east of UTC, in minutes, at instant `unix_ms` (daylight saving time
/// included; JavaScript counts it the other way round).
fn offset_at(unix_ms: i64) -> i32 {
    let date = js_sys::Date::new(&JsValue::from_f64(unix_ms as f64));
    -(date.get_timezone_offset() as i32)
}

/// The Sessions page.
#[component]
pub fn Sessions() -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let router = use_router();
    let items = RwSignal::new(Latest::<Vec<SessionListItem>>::new());
    // Loads on mount, and again when the profile changes or a session changes status; another
    // profile's list is cleared at once rather than shown under the new name.
    Effect::new(move |previous: Option<Option<String>>| {
        let profile = ctx.active.with(|a| a.as_ref().map(|p| p.id.clone()));
        ctx.session_changes.track();
        if previous.is_some_and(|p| p != profile) {
            items.update(Latest::clear);
        }
        load_latest(items, ipc::invoke::<cmd::SessionList>(&()), move |e| {
            ctx.notices.error("Could not read the session list", &e);
        });
        profile
    });
    let list = move || items.with(|l| l.value().cloned());
    view! {
        <section class="page" id="page-sessions">
            <h1>"Sessions"</h1>
            {move || match list() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(list) if list.is_empty() => view! {
                    <div class="empty-state">
                        <h2>"No sessions yet"</h2>
                        <p>"Sessions you start appear here, grouped by day, and stay readable offline."</p>
                    </div>
                }.into_any(),
                Some(list) => {
                    let now = js_sys::Date::now() as i64;
                    let groups = group_by_day(list, |s| s.created_at.as_str(), offset_at, now);
                    view! {
                        <div id="session-list">
                            {groups.into_iter().map(|group| view! {
                                <h2 class="day">{group.label}</h2>
                                <ul class="sessions">
                                    {group.items.into_iter().map(|s| {
                                        let open = Route::Session { id: s.id.clone(), at: None };
                                        view! {
                                            <li class="session-row" id=format!("session-{}", s.id)>
                                                <button type="button" class="title link" on:click=move |_| router.navigate(open.clone())>
                                                    {s.title.clone().unwrap_or_else(|| "Untitled session".into())}
                                                </button>
                                                <span class="agent">{format!("{} · v{}", s.agent_name, s.agent_version)}</span>
                                                <span class=format!("status-chip {}", s.status)>{s.status.clone()}</span>
                                                {s.archived.then(|| view! { <span class="status-chip archived">"archived"</span> })}
                                                <span class="tokens">{format!("{} tokens", s.tokens)}</span>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }).collect_view()}
                        </div>
                    }.into_any()
                }
            }}
        </section>
    }
}
