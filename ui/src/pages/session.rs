//! One session: the live chat (issue 11).
//!
//! The transcript is a window over the cached pages (`transcript_page`), at most
//! [`MAX_ROWS`] cards in the page at once: scrolling near the top or the bottom loads the next
//! page from the cache and drops cards at the far end, so a 10,000-event session scrolls like
//! a short one. New events come over the `session_follow` channel, already cached; each event
//! adds one keyed card (or updates the one tool card it belongs to), so streaming never
//! re-renders the history. Agent output is rendered only through `hangar_render` (raw HTML
//! dropped, allowlist cleaned) and links open only after the person saw the real URL.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use hangar_types::model::common::Budget;
use hangar_types::model::events::{EventKind, StopReason};
use hangar_types::model::sessions::Usage;
use hangar_types::{
    cmd, ConnectionState, Cursor, EventId, LiveEvent, LiveMessage, SessionDetail, SessionId,
    TailStatus, TranscriptAnchor, TranscriptInput,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::chat::{self, Card, Decision, ToolCard, ToolKind};
use crate::components::export::ExportMenu;
use crate::components::outcome::DefineOutcome;
use crate::ipc;
use crate::route::Route;
use crate::router::use_router;
use crate::AppContext;

/// Cards in the page at most; beyond, the far end is dropped (and reloaded when scrolled to).
const MAX_ROWS: usize = 600;
/// Cards kept while following the live end: a screen's worth and a margin. Scrolling up
/// reads the earlier ones back a page at a time.
const LIVE_ROWS: usize = 120;
/// During a flood of events the page takes them in at most this often (ms): a person cannot
/// read faster, and each card that scrolls past unseen is work and memory for the webview.
const FLUSH_EVERY_MS: f64 = 100.0;
/// Events read when a transcript opens: a few screens, so the first one paints at once; the
/// rest load as the person scrolls.
const FIRST_PAGE: u32 = 50;
/// Events per page read from the cache.
const PAGE: u32 = 150;
/// Hits the find bar asks for at most (beyond, its count says "200+").
const FIND_LIMIT: u32 = 200;

/// One card of the transcript window.
#[derive(Clone)]
struct Row {
    key: Arc<str>,
    cursor: Option<Cursor>,
    event_type: Arc<str>,
    raw: Arc<str>,
    thread: Option<Arc<str>>,
    /// Reference-counted, not owned by the screen: rows are made in channel callbacks (no
    /// reactive owner), and a card must be freed once its row leaves the window.
    card: ArcRwSignal<Card>,
}

/// A message shown at once, until its event arrives.
#[derive(Clone, PartialEq)]
struct Pending {
    key: u64,
    text: String,
    steering: bool,
    error: Option<String>,
}

/// Everything the screen shares between its parts (all `Copy`).
#[derive(Clone, Copy)]
struct Chat {
    session: StoredValue<SessionId>,
    rows: RwSignal<Vec<Row>>,
    /// Tool cards by their tool-use id, for results and decisions to join.
    tools: StoredValue<HashMap<String, ArcRwSignal<Card>>>,
    /// Events joined into another card (a tool's result, its decision): their id → the card's.
    joined: StoredValue<HashMap<String, Arc<str>>>,
    seen: StoredValue<HashSet<String>>,
    at_start: RwSignal<bool>,
    at_end: RwSignal<bool>,
    total: RwSignal<u64>,
    /// False while the cache does not hold the session's whole history yet.
    history_complete: RwSignal<bool>,
    loading: RwSignal<bool>,
    status: RwSignal<String>,
    usage: RwSignal<Option<Usage>>,
    /// The session stopped with `budget_reached` (until it runs again).
    budget_stop: RwSignal<bool>,
    /// The spending cap, in cents, as the session or a usage snapshot says.
    cap: RwSignal<Option<String>>,
    threads: RwSignal<Vec<(String, String)>>,
    previews: RwSignal<Vec<(String, String)>>,
    pending: RwSignal<Vec<Pending>>,
    next_pending: StoredValue<u64>,
    following: RwSignal<bool>,
    new_below: RwSignal<bool>,
    tail: RwSignal<Option<TailStatus>>,
    highlight: RwSignal<Option<String>>,
    details: RwSignal<bool>,
    thread_filter: RwSignal<String>,
    link: RwSignal<Option<String>>,
    scroller: NodeRef<leptos::html::Div>,
    /// Live events not in the page yet: they enter it together at the next frame, so a burst
    /// of channel messages costs one list update and one layout, not one per message.
    inbox: StoredValue<Vec<LiveEvent>>,
    flush_due: StoredValue<bool>,
    /// When the inbox was last put into the page (`Date.now()`, ms).
    last_flush: StoredValue<f64>,
}

impl Chat {
    fn new(session: SessionId) -> Self {
        Chat {
            session: StoredValue::new(session),
            rows: RwSignal::new(Vec::new()),
            tools: StoredValue::new(HashMap::new()),
            joined: StoredValue::new(HashMap::new()),
            seen: StoredValue::new(HashSet::new()),
            at_start: RwSignal::new(false),
            at_end: RwSignal::new(false),
            total: RwSignal::new(0),
            history_complete: RwSignal::new(true),
            loading: RwSignal::new(false),
            status: RwSignal::new(String::new()),
            usage: RwSignal::new(None),
            budget_stop: RwSignal::new(false),
            cap: RwSignal::new(None),
            threads: RwSignal::new(Vec::new()),
            previews: RwSignal::new(Vec::new()),
            pending: RwSignal::new(Vec::new()),
            next_pending: StoredValue::new(0),
            following: RwSignal::new(true),
            new_below: RwSignal::new(false),
            tail: RwSignal::new(None),
            highlight: RwSignal::new(None),
            details: RwSignal::new(false),
            thread_filter: RwSignal::new("all".into()),
            link: RwSignal::new(None),
            scroller: NodeRef::new(),
            inbox: StoredValue::new(Vec::new()),
            flush_due: StoredValue::new(false),
            last_flush: StoredValue::new(0.0),
        }
    }

    fn id(&self) -> SessionId {
        self.session.get_value()
    }

    /// What every event tells the header, whether or not its card is in the window.
    fn note(&self, event: &LiveEvent) {
        let e = &event.event;
        if let Some(status) = e.status_change() {
            self.status.set(status.to_string());
        }
        if let Some(usage) = e.usage() {
            self.usage.set(Some(usage.clone()));
        }
        match &e.kind {
            EventKind::SessionStatusIdle { stop_reason, .. } => self
                .budget_stop
                .set(matches!(stop_reason, StopReason::BudgetReached)),
            EventKind::SessionStatusRunning {} => self.budget_stop.set(false),
            EventKind::SessionUsage {
                budget: Some(Budget::Limit { max_list_cost }),
                ..
            } => self.cap.set(Some(max_list_cost.amount.clone())),
            _ => {}
        }
        if let Some((id, name)) = chat::thread_name(e) {
            if !self
                .threads
                .with_untracked(|t| t.iter().any(|(i, _)| *i == id))
            {
                self.threads.update(|t| t.push((id, name)));
            }
        }
        if e.event_type == "user.message" {
            let text = e.text();
            self.pending.update(|p| {
                if let Some(at) = p.iter().position(|m| m.text.trim() == text.trim()) {
                    p.remove(at);
                }
            });
        }
        if e.event_type == "agent.message" {
            if let Some(id) = &e.id {
                self.previews
                    .update(|p| p.retain(|(i, _)| i != id.as_str()));
            }
        }
    }

    /// The rows of `events` (joins applied to cards already shown).
    fn rows_of(&self, events: Vec<LiveEvent>) -> Vec<Row> {
        let mut out = Vec::with_capacity(events.len());
        for event in events {
            let Some(id) = event.event.id.as_ref().map(|i| i.to_string()) else {
                continue;
            };
            let fresh = self
                .seen
                .try_update_value(|s| s.insert(id.clone()))
                .unwrap_or(false);
            if !fresh {
                continue;
            }
            let card = match chat::effect(&event.event) {
                chat::Effect::Nothing => continue,
                chat::Effect::Add(card) => card,
                chat::Effect::Join { use_id, part } => {
                    let target = self.tools.with_value(|t| t.get(&use_id).cloned());
                    match target {
                        Some(signal) => {
                            signal.update(|c| {
                                if let Card::Tool(tool) = c {
                                    part.apply(tool);
                                }
                            });
                            self.joined.update_value(|j| {
                                j.insert(id.clone(), use_id.as_str().into());
                            });
                            continue;
                        }
                        None => part.alone(),
                    }
                }
            };
            let is_tool = matches!(card, Card::Tool(_));
            let signal = ArcRwSignal::new(card);
            if is_tool {
                self.tools.update_value(|t| {
                    t.insert(id.clone(), signal.clone());
                });
            }
            out.push(Row {
                key: id.into(),
                cursor: Some(event.cursor),
                event_type: event.event.event_type.clone().into(),
                raw: event.event.raw.clone().into(),
                thread: chat::thread_of(&event.event).map(Into::into),
                card: signal,
            });
        }
        out
    }

    fn forget(&self, dropped: &[Row]) {
        let gone: HashSet<&str> = dropped.iter().map(|r| &*r.key).collect();
        // What was joined into a dropped card joins it again when its page is read back.
        let mut parts = Vec::new();
        self.joined.update_value(|j| {
            j.retain(|part, card| {
                let keep = !gone.contains(&**card);
                if !keep {
                    parts.push(part.clone());
                }
                keep
            });
        });
        self.seen.update_value(|s| {
            for r in dropped {
                s.remove(&*r.key);
            }
            for part in &parts {
                s.remove(part);
            }
        });
        self.tools.update_value(|t| {
            for r in dropped {
                t.remove(&*r.key);
            }
        });
    }

    /// Appends at the bottom (live events, newer pages); drops from the top beyond the cap.
    fn append(&self, events: Vec<LiveEvent>) {
        let new = self.rows_of(events);
        if new.is_empty() {
            return;
        }
        let mut dropped = Vec::new();
        self.rows.update(|rows| {
            rows.extend(new);
            if rows.len() > MAX_ROWS {
                dropped = rows.drain(..rows.len() - MAX_ROWS).collect();
            }
        });
        if !dropped.is_empty() {
            self.forget(&dropped);
            self.at_start.set(false);
        }
    }

    /// Keeps the newest `keep` cards (what a person following the live end sees).
    fn trim_top(&self, keep: usize) {
        if self.rows.with_untracked(Vec::len) <= keep {
            return;
        }
        let mut dropped = Vec::new();
        self.rows.update(|rows| {
            dropped = rows.drain(..rows.len() - keep).collect();
        });
        self.forget(&dropped);
        self.at_start.set(false);
    }

    /// Prepends older events; drops from the bottom beyond the cap.
    fn prepend(&self, events: Vec<LiveEvent>) {
        let new = self.rows_of(events);
        if new.is_empty() {
            return;
        }
        let mut dropped = Vec::new();
        self.rows.update(|rows| {
            let mut all = new;
            all.append(rows);
            if all.len() > MAX_ROWS {
                dropped = all.split_off(MAX_ROWS);
            }
            *rows = all;
        });
        if !dropped.is_empty() {
            self.forget(&dropped);
            self.at_end.set(false);
        }
    }

    fn reset(&self) {
        self.rows.set(Vec::new());
        self.tools.update_value(HashMap::clear);
        self.joined.update_value(HashMap::clear);
        self.seen.update_value(HashSet::clear);
    }

    /// The card that shows the event `id` (its own, or the tool card it was joined into).
    fn card_of(&self, id: &str) -> String {
        self.joined
            .with_value(|j| j.get(id).map(|c| c.to_string()))
            .unwrap_or_else(|| id.to_string())
    }

    fn first_cursor(&self) -> Option<Cursor> {
        self.rows
            .with_untracked(|r| r.iter().find_map(|row| row.cursor))
    }

    fn last_cursor(&self) -> Option<Cursor> {
        self.rows
            .with_untracked(|r| r.iter().rev().find_map(|row| row.cursor))
    }

    /// Loads the window around `anchor` (replacing it).
    async fn open(self, anchor: TranscriptAnchor) -> Result<(), hangar_types::IpcError> {
        self.loading.set(true);
        let input = TranscriptInput {
            session_id: self.id(),
            anchor,
            limit: FIRST_PAGE,
        };
        let page = ipc::invoke::<cmd::TranscriptPage>(&input).await;
        self.loading.set(false);
        let page = page?;
        self.reset();
        let count = page.events.len() as u64;
        self.total.set(page.total);
        self.history_complete.set(page.history_complete);
        self.at_start
            .set(page.first_index == 0 && page.history_complete);
        self.at_end.set(page.first_index + count >= page.total);
        for e in &page.events {
            self.note(e);
        }
        self.append(page.events);
        Ok(())
    }

    /// Loads the page before the window.
    fn older(self) {
        if self.loading.get_untracked() || self.at_start.get_untracked() {
            return;
        }
        let Some(cursor) = self.first_cursor() else {
            return;
        };
        self.loading.set(true);
        spawn_local(async move {
            let input = TranscriptInput {
                session_id: self.id(),
                anchor: TranscriptAnchor::Before { cursor },
                limit: PAGE,
            };
            let answer = ipc::invoke::<cmd::TranscriptPage>(&input).await;
            self.loading.set(false);
            let Ok(page) = answer else { return };
            let before = self.scroll_height();
            if page.first_index == 0 {
                self.at_start.set(true);
            }
            self.prepend(page.events);
            // Keep what the person was reading where it was.
            request_animation_frame(move || {
                let grown = self.scroll_height() - before;
                if let Some(el) = self.scroller.get_untracked() {
                    el.set_scroll_top(el.scroll_top() + grown);
                }
            });
        });
    }

    /// Loads the page after the window.
    fn newer(self) {
        if self.loading.get_untracked() || self.at_end.get_untracked() {
            return;
        }
        let Some(cursor) = self.last_cursor() else {
            return;
        };
        self.loading.set(true);
        spawn_local(async move {
            let input = TranscriptInput {
                session_id: self.id(),
                anchor: TranscriptAnchor::After { cursor },
                limit: PAGE,
            };
            let answer = ipc::invoke::<cmd::TranscriptPage>(&input).await;
            self.loading.set(false);
            let Ok(page) = answer else { return };
            let short = (page.events.len() as u32) < PAGE;
            // Cards dropped at the top must not move what the person reads: keep the last
            // card where it was.
            let anchor = self
                .rows
                .with_untracked(|r| r.last().map(|row| format!("ev-{}", row.key)));
            let before = anchor.as_deref().and_then(offset_top);
            self.append(page.events);
            if short {
                self.at_end.set(true);
            }
            request_animation_frame(move || {
                let after = anchor.as_deref().and_then(offset_top);
                if let (Some(el), Some(b), Some(a)) = (self.scroller.get_untracked(), before, after)
                {
                    el.set_scroll_top(el.scroll_top() + (a - b));
                }
            });
        });
    }

    fn scroll_height(&self) -> i32 {
        self.scroller
            .get_untracked()
            .map(|e| e.scroll_height())
            .unwrap_or(0)
    }

    fn scroll_to_bottom(self) {
        request_animation_frame(move || {
            if let Some(el) = self.scroller.get_untracked() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }

    /// "Jump to latest": back to the end, following again.
    fn jump_to_latest(self) {
        self.following.set(true);
        self.new_below.set(false);
        self.highlight.set(None);
        if self.at_end.get_untracked() {
            self.scroll_to_bottom();
            return;
        }
        spawn_local(async move {
            if self.open(TranscriptAnchor::End).await.is_ok() {
                self.scroll_to_bottom();
            }
        });
    }

    fn on_live(self, message: LiveMessage) {
        match message {
            LiveMessage::Events { events } => {
                for e in &events {
                    self.note(e);
                }
                self.total.update(|t| *t += events.len() as u64);
                self.inbox.update_value(|q| q.extend(events));
                // (A message can still arrive as the screen closes: then there is nothing to do.)
                if self.flush_due.try_get_value() == Some(false) {
                    self.flush_due.set_value(true);
                    // The next frame; in a flood, no sooner than FLUSH_EVERY_MS after the last.
                    let last = self.last_flush.try_get_value().unwrap_or(0.0);
                    let wait = last + FLUSH_EVERY_MS - js_sys::Date::now();
                    if wait <= 0.0 {
                        request_animation_frame(move || self.flush());
                    } else {
                        set_timeout(
                            move || request_animation_frame(move || self.flush()),
                            std::time::Duration::from_millis(wait.ceil() as u64),
                        );
                    }
                }
            }
            LiveMessage::Preview { event_id, text } => {
                let id = event_id.to_string();
                let arrived = self.seen.with_value(|s| s.contains(&id))
                    || self.inbox.with_value(|q| {
                        q.iter()
                            .any(|e| e.event.id.as_ref().is_some_and(|i| i.as_str() == id))
                    });
                if arrived {
                    return;
                }
                self.previews
                    .update(|p| match p.iter_mut().find(|(i, _)| *i == id) {
                        Some(slot) => slot.1 = text,
                        None => p.push((id, text)),
                    });
                if self.following.get_untracked() && self.at_end.get_untracked() {
                    self.scroll_to_bottom();
                }
            }
            LiveMessage::PreviewEnded { event_id } => {
                self.previews
                    .update(|p| p.retain(|(i, _)| i != event_id.as_str()));
            }
            LiveMessage::Status { status } => {
                // Caught up (or finished): the cache now holds the whole history.
                if matches!(
                    status,
                    TailStatus::Live | TailStatus::Stopped { failed: false, .. }
                ) {
                    self.history_complete.set(true);
                }
                self.tail.set(Some(status));
            }
            LiveMessage::Problem { error } => {
                // A channel callback runs outside the component: no context to reach here.
                ipc::report("live_problem", &error.message);
            }
        }
    }

    /// Puts the live events that arrived since the last frame into the page (the screen may be
    /// gone by then: nothing to do).
    fn flush(self) {
        let Some(events) = self.inbox.try_update_value(std::mem::take) else {
            return;
        };
        self.flush_due.set_value(false);
        self.last_flush.set_value(js_sys::Date::now());
        if events.is_empty() {
            return;
        }
        if self.at_end.get_untracked() {
            self.append(events);
            if self.following.get_untracked() {
                self.trim_top(LIVE_ROWS);
                // Right after the list's own update (queued before this), so no frame shows
                // the trimmed list scrolled elsewhere; and once more after layout.
                spawn_local(async move {
                    if let Some(el) = self.scroller.get_untracked() {
                        el.set_scroll_top(el.scroll_height());
                    }
                });
                self.scroll_to_bottom();
            } else {
                self.new_below.set(true);
            }
        } else {
            self.new_below.set(true);
        }
    }

    /// Shows the event `id` (scrolled to, highlighted), loading its page if needed. An event
    /// joined into a tool card (its result, say) highlights that card.
    fn show_event(self, id: String) {
        self.following.set(false);
        let present = self.seen.with_value(|s| s.contains(&id));
        spawn_local(async move {
            if !present {
                let anchor = TranscriptAnchor::Event {
                    id: EventId::from(id.as_str()),
                };
                if self.open(anchor).await.is_err() {
                    return;
                }
            }
            let card = self.card_of(&id);
            self.highlight.set(Some(card.clone()));
            // Twice: once the cards exist, once they are laid out.
            request_animation_frame(move || {
                request_animation_frame(move || scroll_into_view(&format!("ev-{card}")));
            });
        });
    }
}

fn offset_top(dom_id: &str) -> Option<i32> {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(dom_id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        .map(|e| e.offset_top())
}

fn scroll_into_view(dom_id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(dom_id));
    if let Some(el) = element {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Center);
        el.scroll_into_view_with_scroll_into_view_options(&options);
    }
}

fn session_of(route: &Route) -> Option<(SessionId, Option<EventId>)> {
    match route {
        Route::Session { id, at } => Some((id.clone(), at.clone())),
        _ => None,
    }
}

/// The chat screen of one session.
#[component]
pub fn SessionScreen() -> impl IntoView {
    let router = use_router();
    let ctx = expect_context::<AppContext>();
    let Some((session_id, at)) = router.with_route_untracked(session_of) else {
        return view! { <section class="page" id="page-session"></section> }.into_any();
    };
    let chat = Chat::new(session_id.clone());
    let detail = RwSignal::new(None::<SessionDetail>);
    let load_detail = move || {
        spawn_local(async move {
            let input = hangar_types::SessionIdInput {
                session_id: chat.id(),
            };
            match ipc::invoke::<cmd::SessionGet>(&input).await {
                Ok(d) => {
                    if chat.status.get_untracked().is_empty() || d.session.archived_at.is_some() {
                        chat.status.set(d.status.clone());
                    }
                    if chat.usage.get_untracked().is_none() {
                        chat.usage.set(Some(d.session.usage.clone()));
                    }
                    if let Some(Budget::Limit { max_list_cost }) = &d.session.budget {
                        chat.cap.set(Some(max_list_cost.amount.clone()));
                    }
                    detail.set(Some(d));
                }
                Err(e) => {
                    ctx.notices.error("Could not read this session", &e);
                }
            }
        });
    };
    load_detail();

    // Open (at the event asked for, else the end), then follow from the cache's newest event.
    let subscription = StoredValue::new_local(None::<(u64, ipc::Subscription)>);
    let alive = StoredValue::new(true);
    spawn_local(async move {
        let anchor = match &at {
            Some(id) => TranscriptAnchor::Event { id: id.clone() },
            None => TranscriptAnchor::End,
        };
        if let Err(e) = chat.open(anchor).await {
            ctx.notices.error("Could not read the transcript", &e);
        }
        match &at {
            Some(id) => chat.show_event(id.to_string()),
            None => chat.scroll_to_bottom(),
        }
        let after = if chat.at_end.get_untracked() {
            chat.last_cursor()
        } else {
            let input = TranscriptInput {
                session_id: chat.id(),
                anchor: TranscriptAnchor::End,
                limit: 1,
            };
            ipc::invoke::<cmd::TranscriptPage>(&input)
                .await
                .ok()
                .and_then(|p| p.events.last().map(|e| e.cursor))
        };
        let input = hangar_types::SessionFollowInput {
            session_id: chat.id(),
            after,
        };
        match ipc::follow::<cmd::SessionFollow>(&input, move |m| chat.on_live(m)).await {
            Ok((output, sub)) => {
                chat.tail.set(Some(output.status));
                if alive.try_get_value() == Some(true) {
                    subscription.set_value(Some((output.subscription, sub)));
                } else {
                    unfollow(output.subscription);
                }
            }
            Err(e) => {
                ctx.notices.error("Live updates are unavailable", &e);
            }
        }
    });
    on_cleanup(move || {
        alive.try_set_value(false);
        if let Some(Some((id, _sub))) = subscription.try_update_value(Option::take) {
            unfollow(id);
        }
    });

    // A search hit on another event of this session moves the highlight.
    Effect::new(move |previous: Option<Option<EventId>>| {
        let at = router.with_route(|r| session_of(r).and_then(|(_, at)| at));
        if let (Some(prev), Some(id)) = (&previous, &at) {
            if prev.as_ref() != Some(id) {
                chat.show_event(id.to_string());
            }
        }
        at
    });

    // Esc interrupts while the agent runs.
    let esc = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" && running(&chat.status.get_untracked()) && !ev.default_prevented()
        {
            ev.prevent_default();
            interrupt(chat, ctx);
        }
    });
    on_cleanup(move || esc.remove());

    // Ctrl/Cmd+F: find in this transcript (every cached event, not only the cards shown).
    let find = RwSignal::new(0u32);
    let find_key = window_event_listener(leptos::ev::keydown, move |ev| {
        if (ev.ctrl_key() || ev.meta_key()) && !ev.alt_key() && ev.key().eq_ignore_ascii_case("f") {
            ev.prevent_default();
            find.update(|n| *n = n.wrapping_add(1).max(1));
        }
    });
    on_cleanup(move || find_key.remove());

    let on_scroll = move |_| {
        let Some(el) = chat.scroller.get_untracked() else {
            return;
        };
        let from_bottom = el.scroll_height() - el.scroll_top() - el.client_height();
        let follow = from_bottom < 48 && chat.at_end.get_untracked();
        if follow != chat.following.get_untracked() {
            chat.following.set(follow);
        }
        if follow {
            chat.new_below.set(false);
        }
        // Earlier pages load when the person scrolls up, not when the live end's own updates
        // move the list (unless the cards do not fill the screen).
        if el.scroll_top() < 300 && (!follow || el.scroll_height() <= el.client_height()) {
            chat.older();
        }
        if from_bottom < 300 {
            chat.newer();
        }
    };

    // Links in agent output: never followed by the page; the real URL is shown first.
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(target) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        if let Ok(Some(link)) = target.closest("a") {
            ev.prevent_default();
            chat.link
                .set(Some(link.get_attribute("href").unwrap_or_default()));
        }
    };

    let visible = move || {
        let details = chat.details.get();
        let filter = chat.thread_filter.get();
        chat.rows.with(|rows| {
            rows.iter()
                .filter(|r| details || !r.card.with_untracked(|c| matches!(c, Card::Span { .. })))
                .filter(|r| match filter.as_str() {
                    "all" => true,
                    "main" => r.thread.is_none(),
                    t => r.thread.as_deref() == Some(t),
                })
                .cloned()
                .collect::<Vec<_>>()
        })
    };

    view! {
        <section class="page chat" id="page-session">
            <Header chat=chat detail=detail reload=Callback::new(move |_| load_detail()) />
            <Show when=move || find.get() != 0>
                <FindBar chat=chat find=find />
            </Show>
            <div class="transcript" id="transcript" node_ref=chat.scroller on:scroll=on_scroll on:click=on_click
                on:auxclick=move |ev: leptos::ev::MouseEvent| ev.prevent_default()
                role="log" aria-label="Transcript">
                <Show when=move || chat.at_start.get() && chat.rows.with(Vec::is_empty) && chat.pending.with(Vec::is_empty)>
                    <p class="muted empty-transcript">"Nothing here yet."</p>
                </Show>
                <Show when=move || !chat.at_start.get() && !chat.rows.with(Vec::is_empty)>
                    <p class="muted load-more">"Scroll up for earlier events"</p>
                </Show>
                <For each=visible key=|r| r.key.clone() let:row>
                    <RowView chat=chat row=row />
                </For>
                <For each=move || chat.pending.get() key=|p| (p.key, p.error.clone()) let:p>
                    <div class="card user pending" data-pending="true">
                        <div class="bubble">{p.text.clone()}</div>
                        <div class="meta">
                            {match (&p.error, p.steering) {
                                (Some(e), _) => format!("Not sent: {e}"),
                                (None, true) => "Sending… the agent is working; it reads this next (steering).".to_string(),
                                (None, false) => "Sending…".to_string(),
                            }}
                        </div>
                    </div>
                </For>
                <For each=move || chat.previews.get() key=|p| p.clone() let:p>
                    <div class="card agent preview" id=format!("preview-{}", p.0) aria-busy="true">
                        <div class="who">"Agent (writing…)"</div>
                        <div class="md" inner_html=hangar_render::markdown_to_html(&p.1)></div>
                    </div>
                </For>
            </div>
            <Show when=move || !chat.following.get() || chat.new_below.get()>
                <button type="button" class="jump" id="jump-latest" on:click=move |_| chat.jump_to_latest()>
                    "Jump to latest"
                </button>
            </Show>
            <Composer chat=chat detail=detail />
            <LinkPrompt chat=chat />
        </section>
    }
    .into_any()
}

fn unfollow(subscription: u64) {
    spawn_local(async move {
        let input = hangar_types::SessionUnfollowInput { subscription };
        if let Err(e) = ipc::invoke::<cmd::SessionUnfollow>(&input).await {
            ipc::report("session_unfollow", &e.message);
        }
    });
}

fn running(status: &str) -> bool {
    matches!(status, "running" | "rescheduling")
}

fn interrupt(chat: Chat, ctx: AppContext) {
    spawn_local(async move {
        let input = hangar_types::SessionInterruptInput {
            session_id: chat.id(),
        };
        if let Err(e) = ipc::invoke::<cmd::SessionInterrupt>(&input).await {
            ctx.notices.error("Could not interrupt the agent", &e);
        }
    });
}

/// Title (editable), agent@version, environment, status, usage and cost, and the actions.
#[component]
fn Header(
    chat: Chat,
    detail: RwSignal<Option<SessionDetail>>,
    reload: Callback<()>,
) -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let router = use_router();
    let editing = RwSignal::new(false);
    let title_input = RwSignal::new(String::new());
    let confirm_delete = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let title = move || {
        detail.with(|d| {
            d.as_ref()
                .and_then(|d| d.session.title.clone())
                .unwrap_or_else(|| "Untitled session".into())
        })
    };
    let archived =
        move || detail.with(|d| d.as_ref().is_some_and(|d| d.session.archived_at.is_some()));
    let agent = move || {
        detail.with(|d| {
            d.as_ref()
                .map(|d| format!("{}@v{}", d.session.agent.name, d.session.agent.version))
                .unwrap_or_default()
        })
    };
    let environment = move || {
        detail.with(|d| {
            d.as_ref()
                .map(|d| {
                    d.environment_name
                        .clone()
                        .unwrap_or_else(|| d.session.environment_id.to_string())
                })
                .unwrap_or_default()
        })
    };
    let usage = move || {
        chat.usage.with(|u| {
            let Some(u) = u else { return String::new() };
            let tokens = format!(
                "{} tokens in · {} out",
                u.input_tokens.unwrap_or(0),
                u.output_tokens.unwrap_or(0)
            );
            let cap = chat
                .cap
                .get()
                .and_then(|c| chat::money(&c, "USD"))
                .map(|c| format!(" of a {c} cap"))
                .unwrap_or_default();
            match u
                .list_cost
                .as_ref()
                .and_then(|m| chat::money(&m.amount, &m.currency))
            {
                Some(cost) => format!("{tokens} · about {cost}{cap}"),
                None => tokens,
            }
        })
    };
    // Stopped by its cap: said where the person looks, until the session runs again.
    let cost = move || {
        chat.usage.with(|u| {
            u.as_ref()
                .and_then(|u| u.list_cost.as_ref().map(|m| m.amount.clone()))
        })
    };
    let budget_reached = move || {
        let spent = match (
            cost().and_then(|c| c.parse::<u64>().ok()),
            chat.cap.get().and_then(|c| c.parse::<u64>().ok()),
        ) {
            (Some(cost), Some(cap)) => cost >= cap && !running(&chat.status.get()),
            _ => false,
        };
        chat.budget_stop.get() || spent
    };
    // Raising the cap (reference §5.3: only upwards), checked as it is typed.
    let new_cap = RwSignal::new(String::new());
    let cap_problem = RwSignal::new(None::<String>);
    let raising = RwSignal::new(false);
    let raise = move |_| {
        let typed = new_cap.get_untracked();
        let cents = match hangar_types::validate::budget_amount(&typed) {
            Ok(cents) => cents,
            Err(problem) => {
                cap_problem.set(Some(problem));
                return;
            }
        };
        cap_problem.set(None);
        raising.set(true);
        spawn_local(async move {
            let input = hangar_types::SessionBudgetInput {
                session_id: chat.id(),
                cents: cents.clone(),
            };
            let answer = ipc::invoke::<cmd::SessionBudgetRaise>(&input).await;
            raising.set(false);
            match answer {
                Ok(()) => {
                    chat.budget_stop.set(false);
                    chat.cap.set(Some(cents));
                    new_cap.set(String::new());
                    ctx.notices.success(
                        "Cap raised",
                        "Send a message and the agent goes on where it stopped.",
                    );
                    reload.run(());
                }
                Err(e) if e.field.is_some() => cap_problem.set(Some(e.message.clone())),
                Err(e) => {
                    ctx.notices.error("The cap was not raised", &e);
                }
            }
        });
    };
    let save_title = move || {
        let title = title_input.get_untracked();
        busy.set(true);
        spawn_local(async move {
            let input = hangar_types::SessionRenameInput {
                session_id: chat.id(),
                title,
            };
            let answer = ipc::invoke::<cmd::SessionRename>(&input).await;
            busy.set(false);
            match answer {
                Ok(()) => {
                    editing.set(false);
                    reload.run(());
                }
                Err(e) => {
                    ctx.notices.error("Could not rename the session", &e);
                }
            }
        });
    };
    let archive = move |_| {
        spawn_local(async move {
            let input = hangar_types::SessionIdInput {
                session_id: chat.id(),
            };
            match ipc::invoke::<cmd::SessionArchive>(&input).await {
                Ok(()) => {
                    ctx.notices
                        .success("Archived", "The session is archived; it stays readable.");
                    reload.run(());
                }
                Err(e) => {
                    ctx.notices.error("Could not archive the session", &e);
                }
            }
        });
    };
    let delete = move |_| {
        busy.set(true);
        spawn_local(async move {
            let input = hangar_types::SessionIdInput {
                session_id: chat.id(),
            };
            let answer = ipc::invoke::<cmd::SessionDelete>(&input).await;
            busy.set(false);
            match answer {
                Ok(()) => {
                    ctx.notices
                        .success("Deleted", "The session and its transcript were deleted.");
                    router.navigate(Route::Sessions);
                }
                Err(e) => {
                    ctx.notices.error("Could not delete the session", &e);
                }
            }
        });
    };
    view! {
        <header class="chat-header">
            <div class="chat-title">
                <Show when=move || editing.get() fallback=move || view! {
                    <h1 id="session-title">{title}</h1>
                    <button type="button" class="link" id="session-rename" on:click=move |_| {
                        title_input.set(detail.with_untracked(|d| d.as_ref().and_then(|d| d.session.title.clone()).unwrap_or_default()));
                        editing.set(true);
                    }>"Rename"</button>
                }>
                    <label for="session-title-input" class="visually-hidden">"Title"</label>
                    <input id="session-title-input" type="text" prop:value=move || title_input.get()
                        on:input=move |ev| title_input.set(event_target_value(&ev))
                        on:keydown=move |ev| if ev.key() == "Enter" { save_title() } />
                    <button type="button" id="session-title-save" disabled=move || busy.get() on:click=move |_| save_title()>"Save"</button>
                    <button type="button" on:click=move |_| editing.set(false)>"Cancel"</button>
                </Show>
            </div>
            <div class="chat-meta">
                <span class="agent" id="session-agent">{agent}</span>
                <span class="environment" title="Environment">{environment}</span>
                <span id="session-status" class=move || format!("status-chip {}", chat.status.get())>{move || chat.status.get()}</span>
                <Show when=archived><span class="status-chip archived">"archived"</span></Show>
                <span class="usage" id="session-usage">{usage}</span>
                <TailChip chat=chat />
                <HistoryChip chat=chat />
            </div>
            <div class="chat-actions">
                <Show when=move || running(&chat.status.get())>
                    <button type="button" id="session-interrupt" class="danger" title="Esc" on:click=move |_| interrupt(chat, ctx)>"Interrupt"</button>
                </Show>
                <label class="toggle-inline">
                    <input type="checkbox" id="session-details" prop:checked=move || chat.details.get()
                        on:change=move |ev| chat.details.set(event_target_checked(&ev)) />
                    "Details"
                </label>
                <Show when=move || !chat.threads.with(Vec::is_empty)>
                    <label for="thread-filter" class="visually-hidden">"Thread"</label>
                    <select id="thread-filter" aria-label="Thread" on:change=move |ev| chat.thread_filter.set(event_target_value(&ev))>
                        <option value="all">"All threads"</option>
                        <option value="main">"Main thread"</option>
                        {move || chat.threads.get().into_iter().map(|(id, name)| view! {
                            <option value=id.clone()>{name}</option>
                        }).collect_view()}
                    </select>
                </Show>
                <ExportMenu session_id=chat.id() />
                <Show when=move || !archived()>
                    <button type="button" id="session-archive" on:click=archive>"Archive"</button>
                </Show>
                <button type="button" id="session-delete" class="danger" on:click=move |_| confirm_delete.set(true)>"Delete"</button>
            </div>
            <Show when=budget_reached>
                <div class="budget-banner" id="session-budget" role="alert">
                    <strong>"Spending cap reached"</strong>
                    <span>{move || chat::budget_words(cost().as_deref(), chat.cap.get().as_deref())}</span>
                    <div class="raise-cap">
                        <label for="session-cap">"New cap (US cents)"</label>
                        <input id="session-cap" type="text" inputmode="numeric" placeholder="5000 = $50.00"
                            aria-invalid=move || cap_problem.with(Option::is_some).to_string()
                            prop:value=move || new_cap.get()
                            on:input=move |ev| {
                                let typed = event_target_value(&ev);
                                cap_problem.set(hangar_types::validate::budget_amount(&typed).err().filter(|_| !typed.trim().is_empty()));
                                new_cap.set(typed);
                            } />
                        <button type="button" id="session-cap-raise" disabled=move || raising.get() on:click=raise>"Raise the cap"</button>
                        {move || cap_problem.get().map(|m| view! { <span class="problem" id="session-cap-problem">{m}</span> })}
                    </div>
                </div>
            </Show>
            <Show when=move || confirm_delete.get()>
                <div class="confirm-bar" role="alertdialog" aria-label="Delete this session?">
                    <span>{move || if running(&chat.status.get()) {
                        "Delete this session? The agent is working: it is interrupted first. The transcript is deleted too."
                    } else {
                        "Delete this session and its transcript? This cannot be undone."
                    }}</span>
                    <button type="button" id="session-delete-confirm" class="danger" disabled=move || busy.get() on:click=delete>"Delete session"</button>
                    <button type="button" on:click=move |_| confirm_delete.set(false)>"Cancel"</button>
                </div>
            </Show>
        </header>
    }
}

/// The live tail's state, when it is not simply live.
#[component]
fn TailChip(chat: Chat) -> impl IntoView {
    move || {
        chat.tail.with(|t| match t {
            Some(TailStatus::Reconnecting { reason, retry_in_ms }) => Some(view! {
                <span class="tail-chip warn" title=reason.clone()>{format!("Reconnecting in {} s…", retry_in_ms.div_ceil(1000))}</span>
            }.into_any()),
            Some(TailStatus::Connecting) => Some(view! { <span class="tail-chip">"Connecting…"</span> }.into_any()),
            Some(TailStatus::Stopped { reason, failed: true }) => Some(view! {
                <span class="tail-chip error" title=reason.clone()>"Live updates stopped"</span>
            }.into_any()),
            _ => None,
        })
    }
}

/// Said while the cache does not hold the whole history yet.
#[component]
fn HistoryChip(chat: Chat) -> impl IntoView {
    move || {
        if chat.history_complete.get() {
            return None;
        }
        let fetching = matches!(
            chat.tail.get(),
            Some(TailStatus::Connecting | TailStatus::Live)
        );
        let text = if fetching {
            format!(
                "Fetching the rest of the history… {} events so far",
                chat.total.get()
            )
        } else {
            "Part of the history is not cached yet; it is fetched when Hangar is online".into()
        };
        Some(view! { <span class="tail-chip" id="history-partial" role="status">{text}</span> })
    }
}

/// Find in the open transcript (Ctrl/Cmd+F): searches every cached event of the session,
/// oldest first; Enter or `Next` goes to the next hit, Shift+Enter or `Previous` back, Esc
/// closes (without interrupting the agent).
#[component]
fn FindBar(chat: Chat, find: RwSignal<u32>) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let hits = RwSignal::new(Vec::<String>::new());
    let current = RwSignal::new(None::<usize>);
    let asked = StoredValue::new(0u64);
    let input_ref = NodeRef::<leptos::html::Input>::new();
    // Focused when opened, and again at each Ctrl/Cmd+F.
    Effect::new(move |_| {
        find.track();
        request_animation_frame(move || {
            if let Some(input) = input_ref.get_untracked() {
                let _focused = input.focus();
                input.select();
            }
        });
    });
    Effect::new(move |_| {
        let text = query.get();
        let ticket = asked
            .try_update_value(|n| {
                *n += 1;
                *n
            })
            .unwrap_or(0);
        current.set(None);
        if text.trim().is_empty() {
            hits.set(Vec::new());
            return;
        }
        spawn_local(async move {
            let input = hangar_types::SearchInput {
                query: text,
                session_id: Some(chat.id()),
                order: hangar_types::SearchOrder::Newest,
                limit: Some(FIND_LIMIT),
                ..Default::default()
            };
            let answer = ipc::invoke::<cmd::SearchQuery>(&input).await;
            if asked.try_get_value() != Some(ticket) {
                return;
            }
            let mut ids: Vec<String> = answer
                .map(|out| {
                    out.hits
                        .into_iter()
                        .map(|h| h.event_id.to_string())
                        .collect()
                })
                .unwrap_or_default();
            // Newest first from the index; the transcript reads oldest first.
            ids.reverse();
            hits.set(ids);
        });
    });
    let step = move |forward: bool| {
        let n = hits.with_untracked(Vec::len);
        if n == 0 {
            return;
        }
        let next = match current.get_untracked() {
            None if forward => 0,
            None => n - 1,
            Some(i) if forward => (i + 1) % n,
            Some(i) => (i + n - 1) % n,
        };
        current.set(Some(next));
        if let Some(id) = hits.with_untracked(|h| h.get(next).cloned()) {
            chat.show_event(id);
        }
    };
    let close = move || {
        find.set(0);
        chat.highlight.set(None);
    };
    let count = move || {
        if query.with(|q| q.trim().is_empty()) {
            return String::new();
        }
        let n = hits.with(Vec::len);
        let more = if n >= FIND_LIMIT as usize { "+" } else { "" };
        match (n, current.get()) {
            (0, _) => "No matches".into(),
            (_, Some(i)) => format!("{} of {n}{more}", i + 1),
            (_, None) => format!("{n}{more} found"),
        }
    };
    view! {
        <div class="find-bar" id="find-bar" role="search">
            <label for="find-input" class="visually-hidden">"Find in transcript"</label>
            <input id="find-input" type="search" node_ref=input_ref placeholder="Find in transcript"
                aria-label="Find in transcript" prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev))
                on:keydown=move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
                    "Enter" => {
                        ev.prevent_default();
                        step(!ev.shift_key());
                    }
                    "Escape" => {
                        ev.prevent_default();
                        ev.stop_propagation();
                        close();
                    }
                    _ => {}
                } />
            <span class="find-count muted" id="find-count" aria-live="polite">{count}</span>
            <button type="button" id="find-previous" disabled=move || hits.with(Vec::is_empty) on:click=move |_| step(false)>"Previous"</button>
            <button type="button" id="find-next" disabled=move || hits.with(Vec::is_empty) on:click=move |_| step(true)>"Next"</button>
            <button type="button" id="find-close" on:click=move |_| close()>"Close"</button>
        </div>
    }
}

/// One card of the window.
#[component]
fn RowView(chat: Chat, row: Row) -> impl IntoView {
    let key = row.key.clone();
    let highlighted = {
        let key = key.clone();
        move || chat.highlight.with(|h| h.as_deref() == Some(&*key))
    };
    let thread_label = row.thread.clone().map(|t| {
        let t2 = t.clone();
        move || {
            chat.threads.with(|ts| {
                ts.iter()
                    .find(|(id, _)| **id == *t2)
                    .map(|(_, n)| n.clone())
                    .unwrap_or_else(|| "sub-agent".into())
            })
        }
    });
    let raw = row.raw.clone();
    let card_raw = row.raw.clone();
    let event_type = row.event_type.clone();
    let data_type = event_type.to_string();
    let card = row.card.clone();
    view! {
        <div class="row" id=format!("ev-{key}") class:highlight=highlighted data-type=data_type>
            {thread_label.map(|label| view! { <span class="thread-badge">{label}</span> })}
            {move || card.with(|c| card_view(chat, &card_raw, c))}
            <Show when=move || chat.details.get()>
                <details class="raw" open>
                    <summary>{format!("{event_type} · raw JSON")}</summary>
                    <pre>{pretty(&raw)}</pre>
                </details>
            </Show>
        </div>
    }
}

fn pretty(raw: &str) -> String {
    serde_json::from_str::<serde_json::Value>(raw)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| raw.to_string())
}

fn card_view(chat: Chat, raw: &str, card: &Card) -> AnyView {
    match card {
        Card::User { text } => view! {
            <div class="card user"><div class="bubble">{text.clone()}</div></div>
        }
        .into_any(),
        Card::Agent { markdown } => view! {
            <div class="card agent">
                <div class="who">"Agent"</div>
                <div class="md" inner_html=hangar_render::markdown_to_html(markdown)></div>
            </div>
        }
        .into_any(),
        Card::System { text } => view! {
            <div class="card system"><span class="who">"System note"</span>" "{text.clone()}</div>
        }
        .into_any(),
        Card::Thinking => view! {
            <details class="card thinking">
                <summary>"Thinking…"</summary>
                <p class="muted">"The model thought here; the API does not share its thoughts."</p>
            </details>
        }
        .into_any(),
        Card::Tool(tool) => tool_view(chat, tool.clone()).into_any(),
        Card::ThreadMessage {
            sent,
            agent,
            markdown,
            ..
        } => view! {
            <div class="card thread-message">
                <div class="who">{if *sent { format!("To {agent}") } else { format!("From {agent}") }}</div>
                <div class="md" inner_html=hangar_render::markdown_to_html(markdown)></div>
            </div>
        }
        .into_any(),
        Card::Divider { text, tone } => view! {
            <div class=format!("divider {tone}") role="separator"><span>{text.clone()}</span></div>
        }
        .into_any(),
        Card::Error { what, next } => view! {
            <div class="error-banner" role="alert">
                <strong>{what.clone()}</strong>
                <span>{next.clone()}</span>
            </div>
        }
        .into_any(),
        Card::Outcome { text, tone } => view! {
            <div class=format!("card outcome {tone}") data-tone=*tone role="status">{text.clone()}</div>
        }
        .into_any(),
        Card::Span { text } => view! { <div class="span-line muted">{text.clone()}</div> }.into_any(),
        Card::Unknown { event_type } => {
            let raw = pretty(raw);
            view! {
                <details class="card unknown">
                    <summary>{format!("An event Hangar does not know yet: {event_type}")}</summary>
                    <pre>{raw}</pre>
                </details>
            }
            .into_any()
        }
    }
}

/// A tool call and its result in one card; a confirmation's Allow / Deny; a custom tool's
/// reply box.
fn tool_view(chat: Chat, tool: ToolCard) -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let busy = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let answer = RwSignal::new(String::new());
    let use_id = tool.use_id.clone();
    let waiting = tool.waiting();
    let summary = tool.summary();
    let kind_class = match tool.kind {
        ToolKind::Builtin => "tool builtin",
        ToolKind::Mcp { .. } => "tool mcp",
        ToolKind::Custom => "tool custom",
    };
    let input = serde_json::to_string_pretty(&tool.input).unwrap_or_default();
    let status = match (&tool.decision, &tool.result) {
        (_, Some((_, true))) => "failed",
        (_, Some(_)) => "done",
        (Some(Decision::Denied(_)), None) => "denied",
        _ if waiting => "waiting",
        _ => "running",
    };
    let confirm = {
        let use_id = use_id.clone();
        move |allow: bool| {
            let use_id = use_id.clone();
            busy.set(true);
            spawn_local(async move {
                let input = hangar_types::SessionConfirmInput {
                    session_id: chat.id(),
                    tool_use_id: EventId::from(use_id.as_str()),
                    allow,
                    reason: (!allow)
                        .then(|| reason.get_untracked())
                        .filter(|r| !r.trim().is_empty()),
                };
                if let Err(e) = ipc::invoke::<cmd::SessionConfirm>(&input).await {
                    busy.set(false);
                    ctx.notices.error("The answer was not sent", &e);
                }
            });
        }
    };
    let reply = {
        let use_id = use_id.clone();
        move |is_error: bool| {
            let use_id = use_id.clone();
            busy.set(true);
            spawn_local(async move {
                let input = hangar_types::SessionToolResultInput {
                    session_id: chat.id(),
                    custom_tool_use_id: EventId::from(use_id.as_str()),
                    text: answer.get_untracked(),
                    is_error,
                };
                if let Err(e) = ipc::invoke::<cmd::SessionToolResult>(&input).await {
                    busy.set(false);
                    ctx.notices.error("The tool result was not sent", &e);
                }
            });
        }
    };
    let confirm_allow = confirm.clone();
    let reply_error = reply.clone();
    let decision = tool.decision.clone().map(|d| match d {
        Decision::Allowed => "You allowed it.".to_string(),
        Decision::Denied(None) => "You denied it.".to_string(),
        Decision::Denied(Some(r)) => format!("You denied it: “{r}”"),
    });
    let result = tool.result.clone();
    let duration = tool.duration().map(|s| format!("{s:.1} s"));
    let mcp_server = match &tool.kind {
        ToolKind::Mcp { server } => Some(format!("MCP server: {server}")),
        _ => None,
    };
    let asks = tool.asks && waiting;
    let custom = matches!(tool.kind, ToolKind::Custom) && waiting;
    let id = use_id.clone();
    // A search hit in its result opens the card, so the match is in view.
    let hit = use_id.clone();
    let open = move || waiting || chat.highlight.with(|h| h.as_deref() == Some(hit.as_str()));
    view! {
        <div class=format!("card {kind_class} {status}") data-status=status>
            <details class="tool-summary" open=open>
                <summary>
                    <span class="tool-line">{summary}</span>
                    {duration.map(|d| view! { <span class="muted duration">{d}</span> })}
                    <span class=format!("tool-state {status}")>{match status {
                        "failed" => "error",
                        "done" => "done",
                        "denied" => "denied",
                        "waiting" => "needs you",
                        _ => "running",
                    }}</span>
                </summary>
                {mcp_server.map(|s| view! { <p class="muted">{s}</p> })}
                {tool.evaluation.clone().map(|e| view! { <p class="muted evaluation">{e}</p> })}
                <div class="tool-io"><div class="label">"Input"</div><pre class="tool-input">{input}</pre></div>
                {result.map(|(text, is_error)| view! {
                    <div class="tool-io">
                        <div class="label">{if is_error { "Error" } else { "Result" }}</div>
                        <pre class="tool-output">{text}</pre>
                    </div>
                })}
            </details>
            {decision.map(|d| view! { <p class="decision">{d}</p> })}
            {asks.then(|| view! {
                <div class="tool-confirm" role="group" aria-label="Tool confirmation">
                    <p>"The agent asks to run this tool."</p>
                    <button type="button" class="primary" id=format!("allow-{id}") disabled=move || busy.get() on:click=move |_| confirm_allow(true)>"Allow"</button>
                    <label for=format!("deny-reason-{id}") class="visually-hidden">"Reason (optional)"</label>
                    <input type="text" id=format!("deny-reason-{id}") placeholder="Reason (optional)"
                        prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) />
                    <button type="button" class="danger" id=format!("deny-{id}") disabled=move || busy.get() on:click=move |_| confirm(false)>"Deny"</button>
                </div>
            })}
            {custom.then(|| view! {
                <div class="custom-reply" role="group" aria-label="Custom tool reply">
                    <label for=format!("tool-result-{id}")>"Tool result"</label>
                    <textarea id=format!("tool-result-{id}") rows="3" prop:value=move || answer.get()
                        on:input=move |ev| answer.set(event_target_value(&ev))></textarea>
                    <div class="buttons">
                        <button type="button" class="primary" id=format!("send-result-{id}") disabled=move || busy.get() || answer.with(|a| a.trim().is_empty()) on:click=move |_| reply(false)>"Send result"</button>
                        <button type="button" id=format!("send-error-{id}") disabled=move || busy.get() || answer.with(|a| a.trim().is_empty()) on:click=move |_| reply_error(true)>"Send error"</button>
                    </div>
                </div>
            })}
        </div>
    }
}

/// The composer: Enter sends, Shift+Enter is a newline; disabled with the reason when the
/// session cannot take a message.
#[component]
fn Composer(chat: Chat, detail: RwSignal<Option<SessionDetail>>) -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let text = RwSignal::new(String::new());
    let blocked = move || {
        let archived = detail.with(|d| d.as_ref().is_some_and(|d| d.session.archived_at.is_some()));
        let online = ctx
            .connection
            .with(|c| !matches!(c.as_ref().map(|c| c.state), Some(ConnectionState::Offline)));
        chat::composer_block(&chat.status.get(), archived, online)
    };
    let send = move || {
        let message = text.get_untracked();
        if message.trim().is_empty() || blocked().is_some() {
            return;
        }
        let key = chat.next_pending.get_value();
        chat.next_pending.set_value(key + 1);
        chat.pending.update(|p| {
            p.push(Pending {
                key,
                text: message.clone(),
                steering: running(&chat.status.get_untracked()),
                error: None,
            })
        });
        text.set(String::new());
        chat.following.set(true);
        chat.scroll_to_bottom();
        spawn_local(async move {
            let input = hangar_types::SessionSendInput {
                session_id: chat.id(),
                text: message,
            };
            if let Err(e) = ipc::invoke::<cmd::SessionSend>(&input).await {
                chat.pending.update(|p| {
                    if let Some(m) = p.iter_mut().find(|m| m.key == key) {
                        m.error = Some(e.message.clone());
                    }
                });
                ctx.notices.error("The message was not sent", &e);
            }
        });
    };
    view! {
        <div class="composer">
            <label for="composer">"Message"</label>
            <div class="composer-row">
                <textarea id="composer" rows="3" placeholder="Write to the agent. Enter sends, Shift+Enter adds a line."
                    disabled=move || blocked().is_some()
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if chat::composer_key(&ev.key(), ev.shift_key(), ev.is_composing(), false) == chat::ComposerKey::Send {
                            ev.prevent_default();
                            send();
                        }
                    }></textarea>
                <button type="button" id="composer-send" class="primary" disabled=move || blocked().is_some() || text.with(|t| t.trim().is_empty()) on:click=move |_| send()>"Send"</button>
            </div>
            <div class="composer-extra">
                <DefineOutcome session=chat.session blocked=Signal::derive(move || blocked().is_some()) />
            </div>
            {move || blocked().map(|why| view! { <p class="muted composer-note" id="composer-note">{why}</p> })}
        </div>
    }
}

/// The real URL of a clicked link, opened in the OS browser only when the person says so.
#[component]
fn LinkPrompt(chat: Chat) -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    move || {
        chat.link.get().map(|url| {
            let problem = hangar_types::link_problem(&url);
            let open_url = url.clone();
            let open = move |_| {
                let url = open_url.clone();
                chat.link.set(None);
                spawn_local(async move {
                    let input = hangar_types::LinkOpenInput { url };
                    if let Err(e) = ipc::invoke::<cmd::LinkOpen>(&input).await {
                        ctx.notices.error("The link was not opened", &e);
                    }
                });
            };
            view! {
                <div class="modal-backdrop">
                    <div class="modal" role="dialog" aria-modal="true" aria-labelledby="link-title" id="link-prompt">
                        <h2 id="link-title">{if problem.is_some() { "This link cannot be opened" } else { "Open this link in your browser?" }}</h2>
                        <p>"The agent's message links to:"</p>
                        <code class="link-url" id="link-url">{url.clone()}</code>
                        {problem.map(|p| view! { <p class="error-text">{p}</p> })}
                        <div class="buttons">
                            {problem.is_none().then(|| view! { <button type="button" class="primary" id="link-open" on:click=open>"Open link"</button> })}
                            <button type="button" id="link-cancel" on:click=move |_| chat.link.set(None)>"Cancel"</button>
                        </div>
                    </div>
                </div>
            }
        })
    }
}
