//! Search: every cached transcript of the profile, as you type in the top bar's `Search
//! transcripts` box. Hits are grouped by session, newest first (or best match first), filtered
//! by agent and date; Up/Down move the selection, Enter opens it at the event, Esc goes back.

use hangar_types::{cmd, AgentId, HistoryListInput, SearchInput, SearchOrder, SearchOutput};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::history::{day_range, event_label, group_hits, shown_order, step};
use crate::pages::sessions::offset_at;
use crate::route::Route;
use crate::router::use_router;
use crate::{ipc, AppContext};

/// The search page.
#[component]
pub fn SearchScreen() -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let router = use_router();
    let query = Memo::new(move |_| {
        router.with_route(|r| match r {
            Route::Search { query } => query.clone(),
            _ => String::new(),
        })
    });
    let agent = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let order = RwSignal::new(SearchOrder::Newest);
    let answer = RwSignal::new(None::<SearchOutput>);
    let problem = RwSignal::new(None::<String>);
    let selected = RwSignal::new(None::<usize>);
    let asked = StoredValue::new(0u64);
    let agents = RwSignal::new(Vec::new());
    spawn_local(async move {
        if let Ok(out) = ipc::invoke::<cmd::HistorySessions>(&HistoryListInput::default()).await {
            agents.try_set(out.agents);
        }
    });
    // Every keystroke asks; only the newest question's answer is shown.
    Effect::new(move |_| {
        let text = query.get();
        ctx.session_changes.track();
        let (from_ms, before_ms) = day_range(&from.get(), &to.get(), offset_at);
        let input = SearchInput {
            query: text.clone(),
            agent_id: Some(agent.get())
                .filter(|a| !a.is_empty())
                .map(AgentId::from),
            from_ms,
            before_ms,
            order: order.get(),
            limit: Some(50),
            session_id: None,
        };
        let ticket = asked.try_update_value(|n| {
            *n += 1;
            *n
        });
        if text.trim().is_empty() {
            answer.set(None);
            return;
        }
        spawn_local(async move {
            let result = ipc::invoke::<cmd::SearchQuery>(&input).await;
            if asked.try_get_value() != ticket {
                return;
            }
            match result {
                Ok(out) => {
                    selected.try_set(None);
                    problem.try_set(None);
                    answer.try_set(Some(out));
                }
                Err(e) => {
                    problem.try_set(Some(e.message));
                }
            }
        });
    });
    let groups = Memo::new(move |_| {
        answer.with(|a| {
            a.as_ref()
                .map(|a| group_hits(a.hits.clone()))
                .unwrap_or_default()
        })
    });
    let open = move |index: usize| {
        let target = answer.with_untracked(|a| {
            a.as_ref()
                .and_then(|a| a.hits.get(index))
                .map(|h| Route::Session {
                    id: h.session_id.clone(),
                    at: Some(h.event_id.clone()),
                })
        });
        if let Some(route) = target {
            router.navigate(route);
        }
    };
    // Up/Down/Enter while typing in the search box or anywhere on this page.
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.default_prevented() || ev.alt_key() || ev.ctrl_key() || ev.meta_key() {
            return;
        }
        let in_search = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .is_some_and(|el| {
                el.id() == "global-search" || el.closest("#page-search").ok().flatten().is_some()
            });
        if !in_search {
            return;
        }
        let order = groups.with_untracked(|g| shown_order(g));
        match ev.key().as_str() {
            "ArrowDown" | "ArrowUp" => {
                ev.prevent_default();
                let by = if ev.key() == "ArrowDown" { 1 } else { -1 };
                let next = step(&order, selected.get_untracked(), by);
                selected.set(next);
                if let Some(i) = next {
                    scroll_into_view(&format!("hit-{i}"));
                }
            }
            "Enter" => {
                if let Some(first) = selected.get_untracked().or(order.first().copied()) {
                    ev.prevent_default();
                    open(first);
                }
            }
            _ => {}
        }
    });
    on_cleanup(move || keys.remove());
    let set_order = move |ev: leptos::ev::Event| {
        order.set(if event_target_value(&ev) == "best" {
            SearchOrder::Best
        } else {
            SearchOrder::Newest
        });
    };
    view! {
        <section class="page" id="page-search">
            <div class="page-head">
                <h1>"Search"</h1>
            </div>
            <div class="filters" role="group" aria-label="Search filters">
                <label>"Agent"
                    <select id="search-agent" aria-label="Agent" on:change=move |ev| agent.set(event_target_value(&ev))>
                        <option value="">"All agents"</option>
                        {move || agents.get().into_iter().map(|a| view! { <option value=a.id.to_string()>{a.name}</option> }).collect_view()}
                    </select>
                </label>
                <label>"From"
                    <input type="date" id="search-from" aria-label="From" on:change=move |ev| from.set(event_target_value(&ev)) />
                </label>
                <label>"To"
                    <input type="date" id="search-to" aria-label="To" on:change=move |ev| to.set(event_target_value(&ev)) />
                </label>
                <label>"Order"
                    <select id="search-order" aria-label="Order" on:change=set_order>
                        <option value="newest">"Newest first"</option>
                        <option value="best">"Best match"</option>
                    </select>
                </label>
            </div>
            {move || problem.get().map(|p| view! { <p class="result bad" role="alert">{p}</p> })}
            {move || {
                if query.with(|q| q.trim().is_empty()) {
                    return view! {
                        <div class="empty-state"><p>"Type in “Search transcripts” (Ctrl+K) to search every transcript saved on this computer: messages, thinking, tool calls and their results."</p></div>
                    }.into_any();
                }
                let Some(out) = answer.get() else {
                    return view! { <p class="muted">"Searching…"</p> }.into_any();
                };
                if out.hits.is_empty() {
                    return view! {
                        <div class="empty-state" id="search-none"><p>{format!("Nothing saved on this computer matches “{}”.", out.query)}</p></div>
                    }.into_any();
                }
                let count = out.hits.len();
                view! {
                    <p class="muted" id="search-count" data-took-us=out.took_us.to_string() data-query=out.query.clone()>
                        {format!("{count} match{} — Up/Down to choose, Enter to open", if count == 1 { "" } else { "es" })}
                    </p>
                    <div id="search-results" role="listbox" aria-label="Search results">
                        {groups.get().into_iter().map(|g| view! {
                            <div class="hit-group" id=format!("hits-{}", g.session_id)>
                                <h2 class="hit-session">{g.title.clone()} <span class="muted">{format!(" · {}", g.agent_name)}</span></h2>
                                <ul class="hits">
                                    {g.hits.into_iter().map(|(i, hit)| {
                                        let when = crate::components::configure::when(
                                            &js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(hit.at_ms as f64)).to_iso_string().as_string().unwrap_or_default());
                                        view! {
                                            <li role="option" id=format!("hit-{i}") class="hit" data-event=hit.event_id.to_string()
                                                class:selected=move || selected.get() == Some(i)
                                                aria-selected=move || (selected.get() == Some(i)).to_string()
                                                on:click=move |_| open(i)>
                                                <span class="hit-kind">{event_label(&hit.event_type)}</span>
                                                <span class="snippet">
                                                    {hit.snippet.into_iter().map(|part| if part.mark {
                                                        view! { <mark>{part.text}</mark> }.into_any()
                                                    } else {
                                                        view! { <span>{part.text}</span> }.into_any()
                                                    }).collect_view()}
                                                </span>
                                                <span class="hit-when muted">{when}</span>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            </div>
                        }).collect_view()}
                    </div>
                }.into_any()
            }}
        </section>
    }
}

fn scroll_into_view(id: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    {
        el.scroll_into_view_with_bool(false);
    }
}
