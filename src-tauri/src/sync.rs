//! Background refresh of the cached lists from the API: sessions, agents, environments and
//! vaults, with new, changed and deleted items, so what the views show (from the cache) follows
//! the server — sessions started from the console, the CLI or another computer included.
//!
//! A list on screen (the UI says which with `sync_watch`) refreshes every few seconds while the
//! window has focus; the others every two minutes. The first page of sessions is read each turn
//! and the whole list (to notice deletions) every five minutes. Running sessions are followed
//! live; sessions whose history was never fetched are backfilled two at a time, newest first.
//! Every request goes through the client's rate limiter.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hangar_api::sessions::SessionListParams;
use hangar_api::{Client, ListParams};
use hangar_store::ResourceKind;
use hangar_types::CacheArea;

use crate::error::ShellResult;
use crate::live::{ensure_tail, Linger, TailKey};
use crate::state::{lock, AppState, ProfileRow};

/// The cadence of the refreshes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cadence {
    /// A list on screen, window focused.
    pub watched: Duration,
    /// Any other list.
    pub background: Duration,
    /// The whole sessions list (deletions).
    pub full_sessions: Duration,
    /// History backfills running at once.
    pub backfills: usize,
}

impl Default for Cadence {
    fn default() -> Self {
        Self {
            watched: Duration::from_secs(3),
            background: Duration::from_secs(120),
            full_sessions: Duration::from_secs(300),
            backfills: 2,
        }
    }
}

/// A backfill that failed (say the session is gone) is not tried again before this.
const RETRY_FAILED: Duration = Duration::from_secs(600);

/// The areas [`spawn`] refreshes.
const AREAS: [CacheArea; 4] = [
    CacheArea::Sessions,
    CacheArea::Agents,
    CacheArea::Environments,
    CacheArea::Vaults,
];

/// Shared between the sync task and the commands.
pub struct SyncControl {
    watched: Mutex<HashSet<CacheArea>>,
    focused: AtomicBool,
    wake: tokio::sync::Notify,
    cadence: Mutex<Cadence>,
    backfilling: Mutex<HashSet<TailKey>>,
}

impl Default for SyncControl {
    fn default() -> Self {
        Self {
            watched: Mutex::new(HashSet::from([CacheArea::Sessions])),
            focused: AtomicBool::new(true),
            wake: tokio::sync::Notify::new(),
            cadence: Mutex::new(Cadence::default()),
            backfilling: Mutex::new(HashSet::new()),
        }
    }
}

impl SyncControl {
    /// The lists on screen now.
    pub fn watch(&self, areas: &[CacheArea]) {
        *lock(&self.watched) = areas.iter().copied().collect();
        self.wake.notify_one();
    }

    /// The window gained or lost focus.
    pub fn set_focused(&self, focused: bool) {
        self.focused.store(focused, Ordering::Relaxed);
        if focused {
            self.wake.notify_one();
        }
    }

    /// Whether the window has the focus (notifications: issue 12).
    pub fn is_focused(&self) -> bool {
        self.focused.load(Ordering::Relaxed)
    }

    /// Refresh now (profile switched, a command changed something).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Changes the cadence (tests make it fast).
    pub fn set_cadence(&self, cadence: Cadence) {
        *lock(&self.cadence) = cadence;
        self.wake.notify_one();
    }

    fn every(&self, area: CacheArea, cadence: &Cadence) -> Duration {
        if self.focused.load(Ordering::Relaxed) && lock(&self.watched).contains(&area) {
            cadence.watched
        } else {
            cadence.background
        }
    }
}

/// Runs the refreshes for the app's lifetime, always for the profile shown.
pub fn spawn(state: Arc<AppState>) {
    tauri::async_runtime::spawn(async move {
        let mut last: HashMap<(String, CacheArea), Instant> = HashMap::new();
        let mut last_full: HashMap<String, Instant> = HashMap::new();
        loop {
            let cadence = *lock(&state.sync.cadence);
            let profile = state.active_row();
            let mut next_due = cadence.background;
            match state.client_for(&profile).await {
                Ok(client) => {
                    for area in AREAS {
                        let every = state.sync.every(area, &cadence);
                        let due = last
                            .get(&(profile.id.clone(), area))
                            .is_none_or(|t| t.elapsed() >= every);
                        if due {
                            let full = area == CacheArea::Sessions
                                && last_full
                                    .get(&profile.id)
                                    .is_none_or(|t| t.elapsed() >= cadence.full_sessions);
                            match refresh(&state, &profile, &client, area, full).await {
                                Ok(changed) => {
                                    state.monitor.note_ok();
                                    if changed {
                                        state.cache_changed(&profile.id, vec![area]);
                                    }
                                    if full {
                                        last_full.insert(profile.id.clone(), Instant::now());
                                    }
                                }
                                Err(e) => {
                                    if e.is_network() {
                                        state.monitor.note_trouble();
                                    }
                                    tracing::info!("sync {area:?} of {}: {e}", profile.id);
                                }
                            }
                            last.insert((profile.id.clone(), area), Instant::now());
                        }
                        next_due = next_due.min(every);
                    }
                    if let Err(e) = follow_and_backfill(&state, &profile, &client, &cadence).await {
                        tracing::warn!("sync: following sessions of {}: {e}", profile.id);
                    }
                }
                Err(e) => {
                    tracing::debug!("sync: no client for {}: {e}", profile.id);
                    next_due = Duration::from_secs(10);
                }
            }
            if !state.pause(next_due, &state.sync.wake).await {
                return;
            }
        }
    });
}

/// Refreshes one area of `profile`'s cache; true when anything changed.
async fn refresh(
    state: &Arc<AppState>,
    profile: &ProfileRow,
    client: &Client,
    area: CacheArea,
    full: bool,
) -> ShellResult<bool> {
    let id = profile.id.clone();
    match area {
        CacheArea::Sessions => refresh_sessions(state, &id, client, full).await,
        CacheArea::Agents => {
            let listed = all_pages(|params| async move {
                let page = client.agents().list(&params).await?;
                Ok((to_json(&page.data)?, page.next_page))
            })
            .await?;
            state
                .write(move |s| s.replace_resources(&id, ResourceKind::Agent, &listed))
                .await
        }
        CacheArea::Environments => {
            let listed = all_pages(|params| async move {
                let page = client.environments().list(&params).await?;
                Ok((to_json(&page.data)?, page.next_page))
            })
            .await?;
            state
                .write(move |s| s.replace_resources(&id, ResourceKind::Environment, &listed))
                .await
        }
        CacheArea::Vaults => {
            let listed = all_pages(|params| async move {
                let page = client.vaults().list(&params).await?;
                Ok((to_json(&page.data)?, page.next_page))
            })
            .await?;
            state
                .write(move |s| s.replace_resources(&id, ResourceKind::Vault, &listed))
                .await
        }
    }
}

fn to_json<T: serde::Serialize>(items: &[T]) -> ShellResult<Vec<String>> {
    items
        .iter()
        .map(|item| {
            serde_json::to_string(item).map_err(|e| {
                hangar_types::IpcError::new(hangar_types::ErrorKind::Internal, e.to_string()).into()
            })
        })
        .collect()
}

/// Every page of a list (archived items included).
async fn all_pages<F, Fut>(mut fetch: F) -> ShellResult<Vec<String>>
where
    F: FnMut(ListParams) -> Fut,
    Fut: std::future::Future<Output = ShellResult<(Vec<String>, Option<String>)>>,
{
    let mut out = Vec::new();
    let mut params = ListParams {
        limit: Some(100),
        include_archived: Some(true),
        ..ListParams::default()
    };
    // A bound, so a server that keeps returning a cursor cannot keep us here.
    for _ in 0..1000 {
        let (items, next) = fetch(params.clone()).await?;
        out.extend(items);
        match next {
            Some(cursor) if !cursor.is_empty() => params.page = Some(cursor),
            _ => return Ok(out),
        }
    }
    Ok(out)
}

async fn refresh_sessions(
    state: &Arc<AppState>,
    profile: &str,
    client: &Client,
    full: bool,
) -> ShellResult<bool> {
    let started_us = now_us();
    let mut params = SessionListParams {
        list: ListParams {
            limit: Some(100),
            include_archived: Some(true),
            ..ListParams::default()
        },
        ..SessionListParams::default()
    };
    let mut listed = Vec::new();
    loop {
        let page = client.sessions().list(&params).await?;
        listed.extend(to_json(&page.data)?);
        match page.next_page {
            Some(cursor) if full && !cursor.is_empty() => params.list.page = Some(cursor),
            _ => break,
        }
    }
    let id = profile.to_string();
    state
        .write(move |s| {
            let mut changed = false;
            let mut seen = HashSet::new();
            for raw in &listed {
                let sid = serde_json::from_str::<serde_json::Value>(raw)
                    .ok()
                    .and_then(|v| v.get("id").and_then(|i| i.as_str()).map(str::to_string))
                    .unwrap_or_default();
                if s.session_raw(&id, &sid)?.as_deref() != Some(raw.as_str()) {
                    s.upsert_session(&id, raw)?;
                    changed = true;
                }
                seen.insert(sid);
            }
            if full {
                // Gone from the server: gone here. Sessions created since the listing began
                // may be missing from it, so only older ones are removed.
                for (sid, created_us) in s.session_ids(&id)? {
                    if created_us < started_us && !seen.contains(&sid) {
                        s.delete_session(&id, &sid)?;
                        changed = true;
                    }
                }
            }
            Ok(changed)
        })
        .await
}

fn now_us() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}

/// Follows running sessions and backfills the history of a few that were never fetched.
async fn follow_and_backfill(
    state: &Arc<AppState>,
    profile: &ProfileRow,
    client: &Client,
    cadence: &Cadence,
) -> ShellResult<()> {
    let id = profile.id.clone();
    let limit = cadence.backfills * 4;
    let (running, missing) = state
        .read(move |s| {
            Ok((
                s.sessions_with_status(&id, &["running", "rescheduling"])?,
                s.sessions_without_history(&id, limit)?,
            ))
        })
        .await?;
    for session in running {
        ensure_tail(
            state,
            TailKey::new(profile.id.clone(), session),
            client.clone(),
            Linger::ACTIVE,
        );
    }
    let mut backfilling = lock(&state.sync.backfilling);
    backfilling.retain(|k| state.live.is_tailing(k));
    for session in missing {
        if backfilling.len() >= cadence.backfills {
            break;
        }
        let key = TailKey::new(profile.id.clone(), session);
        if state.live.is_tailing(&key) || state.live.failed_recently(&key, RETRY_FAILED) {
            continue;
        }
        ensure_tail(state, key.clone(), client.clone(), Linger::BACKFILL);
        backfilling.insert(key);
    }
    Ok(())
}
