//! Sessions: the cached sessions of the active profile (offline too), pinned ones first, then
//! grouped by local day, newest first; filters by agent, status, archived, dates and title;
//! pin, export one or many, import.

use hangar_types::{
    cmd, AgentId, ArchiveProgress, HistoryListInput, HistoryListOutput, HistorySession, SessionId,
    SessionPinInput,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

use crate::components::configure::is_offline;
use crate::components::export::ExportMenu;
use crate::history::day_range;
use crate::load::{load_latest, Latest};
use crate::route::Route;
use crate::router::use_router;
use crate::time::group_by_day;
use crate::{ipc, AppContext};

/// The zone's offset east of UTC, in minutes, at instant `unix_ms` (daylight saving time
/// included; JavaScript counts it the other way round).
pub fn offset_at(unix_ms: i64) -> i32 {
    let date = js_sys::Date::new(&JsValue::from_f64(unix_ms as f64));
    -(date.get_timezone_offset() as i32)
}

/// The filters as typed.
#[derive(Debug, Clone, Default, PartialEq)]
struct Filters {
    agent: String,
    status: String,
    archived: String,
    from: String,
    to: String,
    title: String,
}

impl Filters {
    fn input(&self) -> HistoryListInput {
        let (from_ms, before_ms) = day_range(&self.from, &self.to, offset_at);
        HistoryListInput {
            agent_id: Some(self.agent.clone())
                .filter(|a| !a.is_empty())
                .map(AgentId::from),
            statuses: Some(self.status.clone())
                .filter(|s| !s.is_empty())
                .into_iter()
                .collect(),
            archived: match self.archived.as_str() {
                "archived" => Some(true),
                "active" => Some(false),
                _ => None,
            },
            from_ms,
            before_ms,
            title: Some(self.title.clone()).filter(|t| !t.trim().is_empty()),
        }
    }

    fn any(&self) -> bool {
        *self != Filters::default()
    }
}

/// One row.
#[component]
fn SessionRowView(session: HistorySession, selected: RwSignal<Vec<SessionId>>) -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let router = use_router();
    let open = Route::Session {
        id: session.id.clone(),
        at: None,
    };
    let id = session.id.clone();
    let pin_id = session.id.clone();
    let pinned = session.pinned;
    let toggle_pin = move |_| {
        let input = SessionPinInput {
            session_id: pin_id.clone(),
            pinned: !pinned,
        };
        spawn_local(async move {
            if let Err(e) = ipc::invoke::<cmd::SessionPin>(&input).await {
                ctx.notices.error("Could not pin the session", &e);
            }
        });
    };
    let check_id = id.clone();
    let is_selected = move || selected.with(|s| s.contains(&check_id));
    let select_id = id.clone();
    let title = session
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| "Untitled session".into());
    view! {
        <li class="session-row" class:pinned=pinned id=format!("session-{}", session.id)>
            <input type="checkbox" class="select" aria-label=format!("Select {title}")
                prop:checked=is_selected
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    let id = select_id.clone();
                    selected.update(|s| {
                        s.retain(|x| x != &id);
                        if on { s.push(id) }
                    });
                } />
            <button type="button" class="title link" on:click=move |_| router.navigate(open.clone())>
                {title.clone()}
            </button>
            <span class="agent">{format!("{} · v{}", session.agent_name, session.agent_version)}</span>
            <span class=format!("status-chip {}", session.status)>{session.status.clone()}</span>
            {session.archived.then(|| view! { <span class="status-chip archived">"archived"</span> })}
            {session.imported.then(|| view! { <span class="status-chip imported" title="Imported from a file: kept on this computer only">"imported"</span> })}
            <span class="tokens">{format!("{} tokens", session.tokens)}</span>
            <span class="row-actions">
                <button type="button" class="pin" aria-pressed=pinned.to_string()
                    title=if pinned { "Unpin (pins stay on this computer)" } else { "Pin to the top (on this computer)" }
                    on:click=toggle_pin>{if pinned { "Unpin" } else { "Pin" }}</button>
                <ExportMenu session_id=id.clone() />
            </span>
        </li>
    }
}

/// The Sessions page.
#[component]
pub fn Sessions() -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let items = RwSignal::new(Latest::<HistoryListOutput>::new());
    let filters = RwSignal::new(Filters::default());
    let selected = RwSignal::new(Vec::<SessionId>::new());
    let progress = RwSignal::new(None::<ArchiveProgress>);
    // Loads on mount, and again when the profile, a filter or the cache changes; another
    // profile's list is cleared at once rather than shown under the new name.
    Effect::new(move |previous: Option<Option<String>>| {
        let profile = ctx.active.with(|a| a.as_ref().map(|p| p.id.clone()));
        ctx.session_changes.track();
        let input = filters.with(Filters::input);
        if previous.is_some_and(|p| p != profile) {
            items.update(Latest::clear);
            selected.set(Vec::new());
        }
        load_latest(
            items,
            async move { ipc::invoke::<cmd::HistorySessions>(&input).await },
            move |e| {
                ctx.notices.error("Could not read the session list", &e);
            },
        );
        profile
    });
    let set = move |apply: fn(&mut Filters, String)| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            filters.update(|f| apply(f, value));
        }
    };
    let import = move |_| {
        spawn_local(async move {
            match ipc::invoke::<cmd::SessionImport>(&()).await {
                Ok(out) if out.chosen => {
                    let new_sessions = out.sessions.iter().filter(|s| s.new_session).count();
                    let new_events: u32 = out.sessions.iter().map(|s| s.new_events).sum();
                    let message = if new_events == 0 && new_sessions == 0 {
                        "Everything in the file was already here; nothing was added.".to_string()
                    } else {
                        format!(
                            "{} session(s) read, {new_sessions} new, {new_events} new event(s). Imported sessions stay on this computer.",
                            out.sessions.len()
                        )
                    };
                    ctx.notices.success("Imported", &message);
                }
                Ok(_) => {}
                Err(e) => {
                    ctx.notices.error("Nothing was imported", &e);
                }
            }
        });
    };
    let export_many = move |ids: Vec<SessionId>| {
        spawn_local(async move {
            let input = hangar_types::SessionExportManyInput { session_ids: ids };
            progress.set(Some(ArchiveProgress { done: 0, total: 0 }));
            let answer = ipc::follow::<cmd::SessionExportMany>(&input, move |p| {
                progress.set(Some(p));
            })
            .await;
            progress.set(None);
            match answer {
                Ok((out, _channel)) => {
                    if let Some(path) = out.path {
                        ctx.notices.success(
                            "Exported",
                            &format!("{} session(s) saved to {path}", out.sessions),
                        );
                    }
                }
                Err(e) => {
                    ctx.notices.error("Could not export the sessions", &e);
                }
            }
        });
    };
    let output = move || items.with(|l| l.value().cloned());
    let agents = move || items.with(|l| l.value().map(|o| o.agents.clone()).unwrap_or_default());
    view! {
        <section class="page" id="page-sessions">
            <div class="page-head">
                <h1>"Sessions"</h1>
                <div class="head-actions">
                    // Issue 11: the New session dialog.
                    <crate::pages::new_session::NewSessionButton />
                    <button type="button" id="sessions-import" on:click=import>"Import"</button>
                    <button type="button" id="sessions-export-selected"
                        disabled=move || selected.with(Vec::is_empty) || progress.with(Option::is_some)
                        on:click=move |_| export_many(selected.get_untracked())>
                        {move || format!("Export selected ({})", selected.with(Vec::len))}
                    </button>
                    <button type="button" id="sessions-export-all" disabled=move || progress.with(Option::is_some)
                        on:click=move |_| export_many(Vec::new())>"Export all"</button>
                </div>
            </div>
            <Show when=is_offline>
                <p class="offline-note" id="offline-note" role="status">
                    <strong>"Offline. "</strong>
                    "Showing the sessions saved on this computer; they refresh by themselves when the connection is back."
                </p>
            </Show>
            {move || progress.get().map(|p| view! {
                <div class="progress" id="export-progress" role="status">
                    <progress max=p.total.max(1) value=p.done></progress>
                    <span>{format!("Exporting {} of {} sessions…", p.done, p.total)}</span>
                </div>
            })}
            <div class="filters" role="search" aria-label="Filter sessions">
                <label>"Filter titles"
                    <input type="search" id="filter-title" aria-label="Filter titles" placeholder="Title contains…"
                        prop:value=move || filters.with(|f| f.title.clone())
                        on:input=set(|f, v| f.title = v) />
                </label>
                <label>"Agent"
                    <select id="filter-agent" aria-label="Agent" on:change=set(|f, v| f.agent = v)>
                        <option value="" selected=move || filters.with(|f| f.agent.is_empty())>"All agents"</option>
                        {move || agents().into_iter().map(|a| {
                            let value = a.id.to_string();
                            let chosen = value.clone();
                            view! { <option value=value selected=move || filters.with(|f| f.agent == chosen)>{a.name}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label>"Status"
                    <select id="filter-status" aria-label="Status" on:change=set(|f, v| f.status = v)>
                        <option value="">"Any status"</option>
                        <option value="idle">"idle"</option>
                        <option value="running">"running"</option>
                        <option value="rescheduling">"rescheduling"</option>
                        <option value="terminated">"terminated"</option>
                    </select>
                </label>
                <label>"Archived"
                    <select id="filter-archived" aria-label="Archived" on:change=set(|f, v| f.archived = v)>
                        <option value="">"Archived and not"</option>
                        <option value="active">"Not archived"</option>
                        <option value="archived">"Only archived"</option>
                    </select>
                </label>
                <label>"From"
                    <input type="date" id="filter-from" aria-label="From" on:change=set(|f, v| f.from = v) />
                </label>
                <label>"To"
                    <input type="date" id="filter-to" aria-label="To" on:change=set(|f, v| f.to = v) />
                </label>
            </div>
            {move || match output() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(out) if out.sessions.is_empty() && filters.with(Filters::any) => view! {
                    <div class="empty-state" id="sessions-none-match">
                        <h2>"No session matches"</h2>
                        <p>"Change or clear the filters to see more."</p>
                    </div>
                }.into_any(),
                Some(out) if out.sessions.is_empty() => view! {
                    <div class="empty-state">
                        <h2>"No sessions yet"</h2>
                        <p>"Sessions you start appear here, grouped by day, and stay readable offline."</p>
                    </div>
                }.into_any(),
                Some(out) => {
                    let now = js_sys::Date::now() as i64;
                    let (pinned, rest): (Vec<_>, Vec<_>) = out.sessions.into_iter().partition(|s| s.pinned);
                    let groups = group_by_day(rest, |s| s.created_at.as_str(), offset_at, now);
                    view! {
                        <div id="session-list">
                            {(!pinned.is_empty()).then(|| view! {
                                <h2 class="day" id="group-pinned">"Pinned"</h2>
                                <ul class="sessions">
                                    {pinned.into_iter().map(|s| view! { <SessionRowView session=s selected=selected /> }).collect_view()}
                                </ul>
                            })}
                            {groups.into_iter().map(|group| view! {
                                <h2 class="day">{group.label}</h2>
                                <ul class="sessions">
                                    {group.items.into_iter().map(|s| view! { <SessionRowView session=s selected=selected /> }).collect_view()}
                                </ul>
                            }).collect_view()}
                            {out.truncated.then(|| view! { <p class="muted">"Showing the newest 2,000; narrow the filters to see older ones."</p> })}
                        </div>
                    }.into_any()
                }
            }}
        </section>
    }
}
