//! Sessions: the cached sessions of the active profile (offline too), pinned ones first, then
//! grouped by local day, newest first; filters by agent, status, archived, dates and title;
//! pin, export one or many, import; the outcome and spending-cap chips, and the clean-up of
//! sessions idle for long (issue 14).

use hangar_types::{
    cmd, AgentId, ArchiveProgress, HistoryListInput, HistoryListOutput, HistorySession, SessionId,
    SessionPinInput,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

use crate::beyond::{dollars, idle_sessions, idle_words, IdleFor};
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
/// Session rows built at first, and added by each `Show older sessions`.
const ROWS_AT_ONCE: usize = 100;

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
            {session.outcome.as_ref().map(|o| {
                let (class, words) = o.chip();
                view! { <span class=format!("status-chip outcome {class}") title=format!("The outcome's round {}", o.iteration + 1)>{words}</span> }
            })}
            {session.budget_reached().then(|| view! {
                <span class="status-chip budget" title="The session used up its spending cap and stopped">"budget reached"</span>
            })}
            <span class="tokens">{format!("{} tokens", session.tokens)}</span>
            {session.cost_cents.map(|c| view! { <span class="cost" title="Cost at list prices">{dollars(c)}</span> })}
            <span class="row-actions">
                <button type="button" class="pin" aria-pressed=pinned.to_string()
                    title=if pinned { "Unpin (pins stay on this computer)" } else { "Pin to the top (on this computer)" }
                    on:click=toggle_pin>{if pinned { "Unpin" } else { "Pin" }}</button>
                <ExportMenu session_id=id.clone() />
            </span>
        </li>
    }
}

/// `Idle sessions`: the sessions waiting for longer than a chosen time (they still bill
/// container time), archived or deleted all at once after a confirmation, one by one through
/// the same commands as the chat's `Archive` and `Delete`.
#[component]
fn IdleCleanup() -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let open = RwSignal::new(false);
    let idle_for = RwSignal::new(IdleFor::default());
    let cached = RwSignal::new(Vec::<HistorySession>::new());
    let confirm = RwSignal::new(None::<bool>);
    let progress = RwSignal::new(None::<(u32, u32)>);
    Effect::new(move |_| {
        ctx.session_changes.track();
        if !open.get() {
            return;
        }
        spawn_local(async move {
            let input = HistoryListInput {
                statuses: vec!["idle".into()],
                archived: Some(false),
                ..HistoryListInput::default()
            };
            match ipc::invoke::<cmd::HistorySessions>(&input).await {
                Ok(out) => cached.set(out.sessions),
                Err(e) => {
                    ctx.notices.error("Could not read the idle sessions", &e);
                }
            }
        });
    });
    let now = move || js_sys::Date::now() as i64;
    let idle = move || cached.with(|c| idle_sessions(c, now(), idle_for.get()));
    // Archive (or delete) every idle session listed, one after the other.
    let run = move |delete: bool| {
        let ids: Vec<SessionId> = untrack(idle).into_iter().map(|s| s.id).collect();
        confirm.set(None);
        let total = ids.len();
        spawn_local(async move {
            let mut failed = 0;
            for (done, id) in ids.into_iter().enumerate() {
                progress.set(Some((done as u32, total as u32)));
                let input = hangar_types::SessionIdInput { session_id: id };
                let answer = if delete {
                    ipc::invoke::<cmd::SessionDelete>(&input).await
                } else {
                    ipc::invoke::<cmd::SessionArchive>(&input).await
                };
                if let Err(e) = answer {
                    failed += 1;
                    ctx.notices.error(
                        if delete {
                            "A session was not deleted"
                        } else {
                            "A session was not archived"
                        },
                        &e,
                    );
                }
            }
            progress.set(None);
            let verb = if delete { "Deleted" } else { "Archived" };
            ctx.notices.success(
                verb,
                &format!(
                    "{verb} {} idle session(s){}.",
                    total - failed,
                    if failed > 0 {
                        format!("; {failed} could not be")
                    } else {
                        String::new()
                    }
                ),
            );
            ctx.session_changes.update(|n| *n += 1);
        });
    };
    view! {
        <button type="button" id="sessions-idle" aria-expanded=move || open.get().to_string()
            aria-controls="idle-panel" on:click=move |_| open.update(|o| *o = !*o)>"Idle sessions"</button>
        <Show when=move || open.get()>
            <section class="idle-panel" id="idle-panel" aria-label="Idle sessions">
                <p class="muted">"Idle sessions still bill container time. Archive or delete those waiting for longer than you choose."</p>
                <label>"Idle for "
                    <select id="idle-threshold" aria-label="Idle for" on:change=move |ev| {
                        idle_for.set(IdleFor::from_value(&event_target_value(&ev)));
                        confirm.set(None);
                    }>
                        {IdleFor::ALL.into_iter().map(|c| view! {
                            <option value=c.value() selected=move || idle_for.get() == c>{c.label()}</option>
                        }).collect_view()}
                    </select>
                </label>
                {move || {
                    let list = idle();
                    if list.is_empty() {
                        return view! { <p class="muted" id="idle-none">"No session has been idle that long."</p> }.into_any();
                    }
                    let now = now();
                    view! {
                        <ul class="idle-list" id="idle-list">
                            {list.into_iter().map(|s| {
                                let title = s.title.clone().filter(|t| !t.trim().is_empty()).unwrap_or_else(|| "Untitled session".into());
                                view! {
                                    <li id=format!("idle-{}", s.id)>
                                        <span class="title">{title}</span>
                                        <span class="muted">{format!(" · {} · idle for {}", s.agent_name, idle_words(now, s.last_activity_ms))}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <div class="buttons">
                    <button type="button" id="idle-archive-all" disabled=move || idle().is_empty() || progress.with(Option::is_some)
                        on:click=move |_| confirm.set(Some(false))>"Archive all"</button>
                    <button type="button" id="idle-delete-all" class="danger" disabled=move || idle().is_empty() || progress.with(Option::is_some)
                        on:click=move |_| confirm.set(Some(true))>"Delete all"</button>
                </div>
                {move || confirm.get().map(|delete| {
                    let n = untrack(idle).len();
                    view! {
                        <div class="confirm-bar" role="alertdialog" aria-label="Clean up idle sessions?">
                            <span>{if delete {
                                format!("Delete these {n} session(s) and their transcripts? This cannot be undone.")
                            } else {
                                format!("Archive these {n} session(s)? They stay readable, read-only.")
                            }}</span>
                            <button type="button" id="idle-confirm" class=if delete { "danger" } else { "primary" }
                                on:click=move |_| run(delete)>{if delete { format!("Delete {n} sessions") } else { format!("Archive {n} sessions") }}</button>
                            <button type="button" on:click=move |_| confirm.set(None)>"Cancel"</button>
                        </div>
                    }
                })}
                {move || progress.get().map(|(done, total)| view! {
                    <div class="progress" id="idle-progress" role="status">
                        <progress max=total.max(1) value=done></progress>
                        <span>{format!("{done} of {total} done…")}</span>
                    </div>
                })}
            </section>
        </Show>
    }
}

/// The Sessions page.
#[component]
pub fn Sessions() -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let items = RwSignal::new(Latest::<HistoryListOutput>::new());
    let filters = RwSignal::new(Filters::default());
    // Rows built at most, newest first: a long history costs the page what a screenful does,
    // and `Show older sessions` builds the next ones.
    let shown = RwSignal::new(ROWS_AT_ONCE);
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
            <div class="idle-cleanup"><IdleCleanup /></div>
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
                    <div class="empty-state" id="sessions-empty" data-rendered-ms=(js_sys::Date::now() as i64).to_string()>
                        <h2>"No sessions yet"</h2>
                        <p>"Sessions you start appear here, grouped by day, and stay readable offline."</p>
                    </div>
                }.into_any(),
                Some(out) => {
                    let now = js_sys::Date::now() as i64;
                    let (pinned, mut rest): (Vec<_>, Vec<_>) = out.sessions.into_iter().partition(|s| s.pinned);
                    let hidden = rest.len().saturating_sub(shown.get());
                    rest.truncate(shown.get());
                    let groups = group_by_day(rest, |s| s.created_at.as_str(), offset_at, now);
                    view! {
                        // When the list was built (ms since the epoch): the start-up figure's end.
                        <div id="session-list" data-rendered-ms=now.to_string()>
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
                            {(hidden > 0).then(|| view! {
                                <p class="more">
                                    <button type="button" id="sessions-more" on:click=move |_| shown.update(|n| *n += ROWS_AT_ONCE)>"Show older sessions"</button>
                                    <span class="muted">{format!(" {hidden} more")}</span>
                                </p>
                            })}
                            {(hidden == 0 && out.truncated).then(|| view! { <p class="muted">"Showing the newest 2,000; narrow the filters to see older ones."</p> })}
                        </div>
                    }.into_any()
                }
            }}
        </section>
    }
}
