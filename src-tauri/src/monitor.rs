//! The connection chip: is the active profile's API reachable?
//!
//! Cheap on a real account: when nothing changes it calls the API once every
//! [`Timing::every`] (45 s, so at most 2 calls a minute), and not at all while other work (a
//! list refresh, a live tail) has just talked to the API successfully. It checks at once after a
//! network error or a profile switch, and while offline it retries with backoff (5 s doubling to
//! 60 s). Tauri offers no OS network-change event, so a failed request is the signal.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hangar_api::ListParams;
use hangar_types::{ev, ConnectionChanged, ConnectionState};
use tauri::{AppHandle, Runtime};

use crate::events::broadcast;
use crate::state::{lock, now_ms, AppState, ProfileRow};

/// The check's cadence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// Between checks while online and nothing changes.
    pub every: Duration,
    /// First retry while offline.
    pub offline_first: Duration,
    /// Longest wait while offline.
    pub offline_max: Duration,
    /// How long one check may take.
    pub timeout: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Self {
            every: Duration::from_secs(45),
            offline_first: Duration::from_secs(5),
            offline_max: Duration::from_secs(60),
            timeout: Duration::from_secs(10),
        }
    }
}

/// Shared between the monitor task and everything that talks to the API.
#[derive(Default)]
pub struct Monitor {
    last_ok: Mutex<Option<Instant>>,
    wake: tokio::sync::Notify,
    timing: Mutex<Timing>,
    calls: std::sync::atomic::AtomicU64,
}

impl Monitor {
    /// Something else talked to the API successfully just now: that counts as a check.
    pub fn note_ok(&self) {
        *lock(&self.last_ok) = Some(Instant::now());
    }

    /// A request failed on the network: check now rather than at the next turn.
    pub fn note_trouble(&self) {
        *lock(&self.last_ok) = None;
        self.wake.notify_one();
    }

    /// The profile changed: check it now.
    pub fn wake(&self) {
        *lock(&self.last_ok) = None;
        self.wake.notify_one();
    }

    /// Changes the cadence (tests make it fast).
    pub fn set_timing(&self, timing: Timing) {
        *lock(&self.timing) = timing;
        self.wake.notify_one();
    }

    /// How many API calls the check itself has made.
    pub fn calls(&self) -> u64 {
        self.calls.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn recently_ok(&self, within: Duration) -> bool {
        lock(&self.last_ok).is_some_and(|t| t.elapsed() < within)
    }
}

fn online_detail(profile: &ProfileRow) -> String {
    if profile.is_demo {
        "Demo: a simulated API on this computer".into()
    } else {
        format!("Connected to {}", profile.base_url)
    }
}

async fn check(state: &AppState, timing: Timing) -> (ConnectionState, String) {
    let profile = state.active_row();
    let client = match state.client_for(&profile).await {
        // No retries: the chip should say "Offline" now, not after the retry schedule.
        Ok(c) => c.with_retry(hangar_api::RetryPolicy {
            max_retries: 0,
            ..hangar_api::RetryPolicy::default()
        }),
        Err(e) => return (ConnectionState::Offline, e.to_ipc().message),
    };
    state
        .monitor
        .calls
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    match tokio::time::timeout(timing.timeout, client.agents().list(&ListParams::limit(1))).await {
        Ok(Ok(_)) => (ConnectionState::Online, online_detail(&profile)),
        Ok(Err(e)) if matches!(e.status(), Some(401 | 403)) => (
            ConnectionState::Offline,
            "The API rejected this profile's key".into(),
        ),
        Ok(Err(e)) => (
            ConnectionState::Offline,
            format!("Working offline from the cache: {e}"),
        ),
        Err(_) => (
            ConnectionState::Offline,
            "Working offline from the cache: the API did not answer".into(),
        ),
    }
}

/// Runs the check for the app's lifetime and broadcasts every change.
pub fn spawn<R: Runtime>(app: AppHandle<R>, state: Arc<AppState>) {
    tauri::async_runtime::spawn(async move {
        let mut backoff: Option<Duration> = None;
        let mut checked_profile = String::new();
        loop {
            let timing = *lock(&state.monitor.timing);
            let profile = state.active_row();
            let same_profile = checked_profile == profile.id;
            let (status, detail) = if same_profile
                && state.connection().state == ConnectionState::Online
                && state.monitor.recently_ok(timing.every)
            {
                (ConnectionState::Online, online_detail(&profile))
            } else {
                let result = check(&state, timing).await;
                if result.0 == ConnectionState::Online {
                    state.monitor.note_ok();
                }
                result
            };
            checked_profile = profile.id.clone();
            let next = ConnectionChanged {
                state: status,
                detail,
                checked_at_ms: now_ms(),
            };
            if state.set_connection(next.clone()) {
                broadcast::<_, ev::ConnectionChanged>(&app, next);
            }
            let wait = if status == ConnectionState::Online {
                backoff = None;
                timing.every
            } else {
                let wait = backoff.unwrap_or(timing.offline_first);
                backoff = Some((wait * 2).min(timing.offline_max));
                wait
            };
            if !state.pause(wait, &state.monitor.wake).await {
                return;
            }
        }
    });
}
