//! The live path: at most one tail per session, each event written to the cache before any view
//! sees it, then sent to every channel that follows the session.
//!
//! ```text
//! hangar-api tailer ──burst──▶ write gate ─▶ SQLite (one transaction) ─▶ LiveMessage::Events
//!                                                                         to each follower
//! ```
//!
//! A tail resumes from the cache (`Store::resume_point`): a reconnect or a restart asks the API
//! only for what is newer. A tail ends when its session ends, when it fails for good, or when
//! its session is idle and nobody has followed it for a while; it then leaves the registry.
//! Followers get a catch-up of cached events under the same per-session write gate, so an event
//! is never missed between their transcript page and their subscription, nor sent twice.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hangar_api::events::SessionEvent;
use hangar_api::tailer::{tail, TailOptions, TailState, TailUpdate};
use hangar_api::Client;
use hangar_store::Anchor;
use hangar_types::{
    CacheArea, Cursor, ErrorKind, IpcError, LiveEvent, LiveMessage, SessionId, TailStatus,
};
use tauri::ipc::Channel;

use crate::error::ShellError;
use crate::state::{lock, AppState};

/// The most events written in one transaction.
const MAX_BURST: usize = 1000;
/// How often a quiet tail checks whether it should stop.
const QUIET_CHECK: Duration = Duration::from_secs(5);

/// Which session of which profile.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TailKey {
    /// The profile (cache partition).
    pub profile: String,
    /// The session.
    pub session: SessionId,
}

impl TailKey {
    /// `session` of `profile`.
    pub fn new(profile: impl Into<String>, session: impl Into<SessionId>) -> Self {
        Self {
            profile: profile.into(),
            session: session.into(),
        }
    }
}

struct TailEntry {
    generation: u64,
    status: TailStatus,
    task: Option<tauri::async_runtime::JoinHandle<()>>,
    /// How long it stays open once idle and unfollowed: the longest any caller asked for.
    linger: Duration,
    /// When a caller last asked for this tail (a message sent, the session opened).
    wanted: Instant,
}

struct Follower {
    key: TailKey,
    channel: Channel<LiveMessage>,
}

#[derive(Default)]
struct Registry {
    tails: HashMap<TailKey, TailEntry>,
    followers: HashMap<u64, Follower>,
    gates: HashMap<TailKey, Arc<tokio::sync::Mutex<()>>>,
    failures: HashMap<TailKey, Instant>,
}

/// Live tails and the channels that follow them.
#[derive(Default)]
pub struct Live {
    next: AtomicU64,
    registry: Mutex<Registry>,
}

impl Live {
    fn next_id(&self) -> u64 {
        self.next.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// The write gate of `key`: held while a burst is stored and sent, and while a follower
    /// catches up and subscribes.
    pub fn gate(&self, key: &TailKey) -> Arc<tokio::sync::Mutex<()>> {
        lock(&self.registry)
            .gates
            .entry(key.clone())
            .or_default()
            .clone()
    }

    /// Adds a follower of `key`; returns its subscription id.
    pub fn subscribe(&self, key: TailKey, channel: Channel<LiveMessage>) -> u64 {
        let id = self.next_id();
        lock(&self.registry)
            .followers
            .insert(id, Follower { key, channel });
        id
    }

    /// Removes a follower; false when it was gone already.
    pub fn unsubscribe(&self, subscription: u64) -> bool {
        lock(&self.registry)
            .followers
            .remove(&subscription)
            .is_some()
    }

    /// How many channels follow `key`.
    pub fn followers(&self, key: &TailKey) -> usize {
        lock(&self.registry)
            .followers
            .values()
            .filter(|f| &f.key == key)
            .count()
    }

    /// Sends `message` to every follower of `key`. A channel whose webview is gone is dropped
    /// (and logged): nothing fails silently.
    pub fn send(&self, key: &TailKey, message: &LiveMessage) {
        let channels: Vec<(u64, Channel<LiveMessage>)> = lock(&self.registry)
            .followers
            .iter()
            .filter(|(_, f)| &f.key == key)
            .map(|(id, f)| (*id, f.channel.clone()))
            .collect();
        for (id, channel) in channels {
            if let Err(error) = channel.send(message.clone()) {
                tracing::warn!(
                    "session {}: follower {id} is gone ({error}); unsubscribed",
                    key.session
                );
                self.unsubscribe(id);
            }
        }
    }

    /// The tail state of `key` (`None` when no tail runs).
    pub fn status(&self, key: &TailKey) -> Option<TailStatus> {
        lock(&self.registry)
            .tails
            .get(key)
            .map(|t| t.status.clone())
    }

    /// True when a tail runs for `key`.
    pub fn is_tailing(&self, key: &TailKey) -> bool {
        lock(&self.registry).tails.contains_key(key)
    }

    /// True when the last tail of `key` failed less than `within` ago (a backfill waits
    /// before trying it again).
    pub fn failed_recently(&self, key: &TailKey, within: Duration) -> bool {
        lock(&self.registry)
            .failures
            .get(key)
            .is_some_and(|at| at.elapsed() < within)
    }

    /// Every running tail.
    pub fn tailing(&self) -> Vec<TailKey> {
        lock(&self.registry).tails.keys().cloned().collect()
    }

    fn set_status(&self, key: &TailKey, generation: u64, status: TailStatus) {
        let changed = match lock(&self.registry).tails.get_mut(key) {
            Some(entry) if entry.generation == generation && entry.status != status => {
                entry.status = status.clone();
                true
            }
            _ => false,
        };
        if changed {
            self.send(key, &LiveMessage::Status { status });
        }
    }

    /// Registers a new tail for `key` unless one runs; returns its generation. A tail that
    /// runs already is told it is wanted (its linger restarts, and lengthens to `linger`).
    fn claim(&self, key: &TailKey, linger: Linger) -> Option<u64> {
        let generation = self.next_id();
        let mut registry = lock(&self.registry);
        if let Some(entry) = registry.tails.get_mut(key) {
            entry.wanted = Instant::now();
            entry.linger = entry.linger.max(linger.0);
            return None;
        }
        registry.tails.insert(
            key.clone(),
            TailEntry {
                generation,
                status: TailStatus::Connecting,
                task: None,
                linger: linger.0,
                wanted: Instant::now(),
            },
        );
        Some(generation)
    }

    /// Takes the quiet tail `generation` of `key` out of the registry when nobody follows it
    /// and nobody asked for it within its linger (counted from `quiet_since` at the earliest).
    /// One step under the registry's lock: a caller that asks for the tail meanwhile either
    /// keeps it running or, once it is out, starts a new one — never neither.
    fn retire_if_unwanted(&self, key: &TailKey, generation: u64, quiet_since: Instant) -> bool {
        let mut registry = lock(&self.registry);
        let followed = registry.followers.values().any(|f| &f.key == key);
        let retire = match registry.tails.get(key) {
            Some(entry) if entry.generation == generation => {
                let since = entry.wanted.max(quiet_since);
                !followed && since.elapsed() >= entry.linger
            }
            _ => false,
        };
        if retire {
            registry.tails.remove(key);
            registry.failures.remove(key);
        }
        retire
    }

    fn attach(&self, key: &TailKey, generation: u64, task: tauri::async_runtime::JoinHandle<()>) {
        match lock(&self.registry).tails.get_mut(key) {
            Some(entry) if entry.generation == generation => entry.task = Some(task),
            // It finished already (or was stopped): nothing to keep.
            _ => {}
        }
    }

    /// The tail of `key` ended: it leaves the registry and its followers are told why.
    fn finish(&self, key: &TailKey, generation: u64, status: TailStatus) {
        let removed = {
            let mut registry = lock(&self.registry);
            match registry.tails.get(key) {
                Some(entry) if entry.generation == generation => {
                    registry.tails.remove(key);
                    if matches!(status, TailStatus::Stopped { failed: true, .. }) {
                        registry.failures.insert(key.clone(), Instant::now());
                    } else {
                        registry.failures.remove(key);
                    }
                    true
                }
                _ => false,
            }
        };
        if removed {
            self.send(key, &LiveMessage::Status { status });
        }
    }

    /// Stops the tail of one session (deleted, issue 11); its followers are told.
    pub fn stop_session(&self, key: &TailKey) {
        let entry = lock(&self.registry).tails.remove(key);
        if let Some(task) = entry.and_then(|e| e.task) {
            task.abort();
        }
        self.send(
            key,
            &LiveMessage::Status {
                status: TailStatus::Stopped {
                    reason: "The session was deleted.".into(),
                    failed: false,
                },
            },
        );
    }

    /// Stops every tail of `profile` (its followers are told); other profiles' tails go on.
    pub fn stop_profile(&self, profile: &str, reason: &str) {
        let stopped: Vec<(TailKey, TailEntry)> = {
            let mut registry = lock(&self.registry);
            let keys: Vec<TailKey> = registry
                .tails
                .keys()
                .filter(|k| k.profile == profile)
                .cloned()
                .collect();
            keys.into_iter()
                .filter_map(|k| registry.tails.remove(&k).map(|e| (k, e)))
                .collect()
        };
        for (key, entry) in stopped {
            if let Some(task) = entry.task {
                task.abort();
            }
            self.send(
                &key,
                &LiveMessage::Status {
                    status: TailStatus::Stopped {
                        reason: reason.to_string(),
                        failed: false,
                    },
                },
            );
        }
    }
}

/// The view's form of a cached event.
pub fn live_event(cursor: hangar_store::Cursor, event: &SessionEvent) -> LiveEvent {
    LiveEvent {
        cursor: Cursor {
            at_us: cursor.at_us,
            seq: cursor.seq,
        },
        event: event.clone(),
    }
}

/// The view's form of a stored event (`None`, logged, if its stored text no longer reads —
/// it was read once when stored, so this means the cache file was damaged).
pub fn stored_event(event: hangar_store::StoredEvent) -> Option<LiveEvent> {
    match SessionEvent::parse(&event.raw) {
        Ok(parsed) => Some(LiveEvent {
            cursor: Cursor {
                at_us: event.cursor.at_us,
                seq: event.cursor.seq,
            },
            event: parsed,
        }),
        Err(e) => {
            tracing::error!("cached event {} does not read: {e}", event.id);
            None
        }
    }
}

/// How long a tail stays open once its session is idle and nobody follows it.
#[derive(Debug, Clone, Copy)]
pub struct Linger(pub Duration);

impl Linger {
    /// A session this app works with (started, sent to, or opened).
    pub const ACTIVE: Linger = Linger(Duration::from_secs(120));
    /// A history backfill.
    pub const BACKFILL: Linger = Linger(Duration::from_secs(3));
}

/// Starts a tail for `key` unless one runs. `linger`: see [`Linger`].
pub fn ensure_tail(state: &Arc<AppState>, key: TailKey, client: Client, linger: Linger) {
    if state.is_closing() {
        return;
    }
    let Some(generation) = state.live.claim(&key, linger) else {
        return;
    };
    let task_state = state.clone();
    let task_key = key.clone();
    let task = tauri::async_runtime::spawn(async move {
        let status = run(&task_state, &task_key, client, generation).await;
        if let TailStatus::Stopped { reason, failed } = &status {
            if *failed {
                tracing::warn!(
                    "session {}: live updates stopped: {reason}",
                    task_key.session
                );
            } else {
                tracing::info!("session {}: tail ended: {reason}", task_key.session);
            }
        }
        task_state.live.finish(&task_key, generation, status);
    });
    state.live.attach(&key, generation, task);
}

fn stopped(reason: impl Into<String>, failed: bool) -> TailStatus {
    TailStatus::Stopped {
        reason: reason.into(),
        failed,
    }
}

fn is_quiet(status: &str) -> bool {
    matches!(status, "idle" | "terminated")
}

async fn run(state: &Arc<AppState>, key: &TailKey, client: Client, generation: u64) -> TailStatus {
    let (profile, session) = (key.profile.clone(), key.session.to_string());
    let known = state
        .read(move |s| {
            let resume = s.resume_point(&profile, &session)?;
            let status = s.session_status(&profile, &session)?;
            Ok((resume, status))
        })
        .await;
    let (resume, status) = match known {
        Ok(found) => found,
        Err(e) => return stopped(e.to_ipc().message, true),
    };
    let mut status = status.unwrap_or_else(|| "idle".to_string());
    let mut options = TailOptions::default();
    if let Some(point) = resume {
        options.resume_after = Some(point.processed_at);
        options.seen = point.ids_at.into_iter().collect();
    }
    let mut live = tail(client, key.session.to_string(), options);
    let mut caught_up = false;
    let mut quiet_since = Instant::now();
    loop {
        let first = match tokio::time::timeout(QUIET_CHECK, live.next()).await {
            Ok(Some(update)) => update,
            Ok(None) => return stopped("The live stream ended.", false),
            Err(_) => {
                // Out of the registry already, nobody following: `finish` has no one to tell.
                if caught_up
                    && is_quiet(&status)
                    && state.live.retire_if_unwanted(key, generation, quiet_since)
                {
                    return stopped(
                        "Stopped following: the session is idle and not open.",
                        false,
                    );
                }
                continue;
            }
        };
        let mut burst = vec![first];
        while burst.len() < MAX_BURST {
            match live.try_next() {
                Some(update) => burst.push(update),
                None => break,
            }
        }
        let events: Vec<SessionEvent> = burst
            .iter()
            .filter_map(|u| match u {
                TailUpdate::Event(event) => Some(event.clone()),
                _ => None,
            })
            .collect();
        if !events.is_empty() {
            match store_and_send(state, key, &events).await {
                Ok(new_status) => {
                    if let Some(s) = new_status {
                        status = s;
                    }
                }
                Err(error) => {
                    let error = error.to_ipc();
                    state.live.send(
                        key,
                        &LiveMessage::Problem {
                            error: error.clone(),
                        },
                    );
                    // Nothing is lost: the API keeps every event, and the next tail resumes
                    // from what the cache holds.
                    return stopped(error.message, true);
                }
            }
        }
        for update in burst {
            match update {
                TailUpdate::Event(_) => {}
                TailUpdate::Preview { event_id, text } => state.live.send(
                    key,
                    &LiveMessage::Preview {
                        event_id: event_id.into(),
                        text,
                    },
                ),
                TailUpdate::PreviewEnded { event_id } => state.live.send(
                    key,
                    &LiveMessage::PreviewEnded {
                        event_id: event_id.into(),
                    },
                ),
                TailUpdate::State(TailState::Live) => {
                    state.monitor.note_ok();
                    state.live.set_status(key, generation, TailStatus::Live);
                    if !caught_up {
                        caught_up = true;
                        let (profile, session) = (key.profile.clone(), key.session.to_string());
                        if let Err(e) = state
                            .write(move |s| s.set_history_complete(&profile, &session, true))
                            .await
                        {
                            tracing::warn!("session {}: {e}", key.session);
                        }
                    }
                }
                TailUpdate::State(TailState::Reconnecting { reason, retry_in }) => {
                    tracing::info!(
                        "session {}: reconnecting in {retry_in:?}: {reason}",
                        key.session
                    );
                    state.monitor.note_trouble();
                    state.live.set_status(
                        key,
                        generation,
                        TailStatus::Reconnecting {
                            reason,
                            retry_in_ms: retry_in.as_millis() as u64,
                        },
                    );
                }
                TailUpdate::Failed(reason) => return stopped(reason, true),
                TailUpdate::Finished => {
                    // Everything up to its end was delivered: the history is complete.
                    let (profile, session) = (key.profile.clone(), key.session.to_string());
                    if let Err(e) = state
                        .write(move |s| s.set_history_complete(&profile, &session, true))
                        .await
                    {
                        tracing::warn!("session {}: {e}", key.session);
                    }
                    return stopped("The session ended.", false);
                }
            }
        }
        quiet_since = Instant::now();
    }
}

/// Writes a burst in one transaction, then sends it to the followers, under the write gate.
/// Returns the session's newest status when the burst changed it.
async fn store_and_send(
    state: &Arc<AppState>,
    key: &TailKey,
    events: &[SessionEvent],
) -> Result<Option<String>, ShellError> {
    let gate = state.live.gate(key);
    let _held = gate.lock().await;
    let raws: Vec<String> = events.iter().map(|e| e.raw.clone()).collect();
    let (profile, session) = (key.profile.clone(), key.session.to_string());
    let outcome = state
        .write(move |s| {
            let refs: Vec<&str> = raws.iter().map(String::as_str).collect();
            s.ingest_events(&profile, &session, &refs)
        })
        .await?;
    if outcome.positions.is_empty() {
        return Ok(None);
    }
    let mut batch = Vec::with_capacity(outcome.positions.len());
    let mut status = None;
    let mut listed = false;
    for (index, cursor) in &outcome.positions {
        let Some(event) = events.get(*index) else {
            continue;
        };
        if let Some(s) = event.status_change() {
            status = Some(s.to_string());
            listed = true;
        }
        if event.usage().is_some() || event.event_type == "session.updated" {
            listed = true;
        }
        batch.push(live_event(*cursor, event));
    }
    state.live.send(key, &LiveMessage::Events { events: batch });
    // History (issue 12): a desktop notification when nobody is looking at this session.
    crate::notify::after_burst(
        state,
        key,
        outcome.positions.iter().filter_map(|(i, _)| events.get(*i)),
    );
    if listed {
        state.cache_changed(&key.profile, vec![CacheArea::Sessions]);
    }
    Ok(status)
}

/// Sends a follower the cached events after `after`, then subscribes it — under the write
/// gate, so no burst falls between the two or reaches it twice.
pub async fn follow(
    state: &Arc<AppState>,
    key: TailKey,
    after: Option<Cursor>,
    channel: Channel<LiveMessage>,
) -> Result<u64, ShellError> {
    let gate = state.live.gate(&key);
    let _held = gate.lock().await;
    if let Some(mut cursor) = after {
        loop {
            let (profile, session) = (key.profile.clone(), key.session.to_string());
            let from = hangar_store::Cursor {
                at_us: cursor.at_us,
                seq: cursor.seq,
            };
            let page = state
                .read(move |s| {
                    s.transcript_page(&profile, &session, &Anchor::After(from), MAX_BURST)
                })
                .await?;
            let Some(last) = page.events.last() else {
                break;
            };
            cursor = Cursor {
                at_us: last.cursor.at_us,
                seq: last.cursor.seq,
            };
            let full = page.events.len() == MAX_BURST;
            let events = page.events.into_iter().filter_map(stored_event).collect();
            channel.send(LiveMessage::Events { events }).map_err(|e| {
                IpcError::new(ErrorKind::Internal, format!("the view is gone: {e}"))
            })?;
            if !full {
                break;
            }
        }
    }
    Ok(state.live.subscribe(key, channel))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly on any error")]

    use super::*;

    fn channel() -> Channel<LiveMessage> {
        Channel::new(|_| Ok(()))
    }

    fn long_ago() -> Instant {
        Instant::now()
            .checked_sub(Duration::from_secs(600))
            .unwrap()
    }

    #[test]
    fn a_quiet_unwanted_tail_retires_and_a_new_one_can_start() {
        let live = Live::default();
        let key = TailKey::new("p", "sesn_1");
        let first = live.claim(&key, Linger(Duration::ZERO)).unwrap();
        assert!(live.retire_if_unwanted(&key, first, long_ago()));
        assert!(!live.is_tailing(&key));
        // Retired once: a second retirement of the same generation does nothing.
        assert!(!live.retire_if_unwanted(&key, first, long_ago()));
        let second = live.claim(&key, Linger(Duration::ZERO)).unwrap();
        assert_ne!(first, second);
        // A stale generation never takes out its successor.
        assert!(!live.retire_if_unwanted(&key, first, long_ago()));
        assert!(live.is_tailing(&key));
    }

    #[test]
    fn asking_for_a_running_tail_keeps_it_and_lengthens_its_linger() {
        let live = Live::default();
        let key = TailKey::new("p", "sesn_1");
        let generation = live.claim(&key, Linger::BACKFILL).unwrap();
        // A message is sent as the backfill tail was about to stop: the same tail goes on,
        // now with the linger of a session the person works with.
        assert_eq!(live.claim(&key, Linger::ACTIVE), None);
        assert!(!live.retire_if_unwanted(&key, generation, long_ago()));
        assert!(live.is_tailing(&key));
    }

    #[test]
    fn a_followed_tail_never_retires() {
        let live = Live::default();
        let key = TailKey::new("p", "sesn_1");
        let generation = live.claim(&key, Linger(Duration::ZERO)).unwrap();
        let follower = live.subscribe(key.clone(), channel());
        // Another session's follower does not count.
        let _other = live.subscribe(TailKey::new("p", "sesn_2"), channel());
        assert!(!live.retire_if_unwanted(&key, generation, long_ago()));
        assert!(live.unsubscribe(follower));
        assert!(live.retire_if_unwanted(&key, generation, long_ago()));
    }
}
