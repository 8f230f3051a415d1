//! The one piece of managed state the commands share.

use std::path::PathBuf;
use std::sync::Mutex;

use hangar_types::{ConnectionChanged, ConnectionState, ProfileSummary};

/// Everything the commands need, registered once in `setup`.
#[derive(Debug)]
pub struct AppState {
    /// Where the local cache and settings live.
    pub data_dir: PathBuf,
    /// The last connection state broadcast to the UI. A std mutex: it is held only to copy.
    connection: Mutex<ConnectionChanged>,
}

impl AppState {
    /// State for a fresh start in `data_dir`, showing the Demo profile.
    pub fn new(data_dir: PathBuf) -> Self {
        Self {
            data_dir,
            connection: Mutex::new(ConnectionChanged {
                state: ConnectionState::Online,
                detail: "Demo: a simulated API on this computer".into(),
                checked_at_ms: now_ms(),
            }),
        }
    }

    /// The profile the app shows.
    pub fn active_profile(&self) -> ProfileSummary {
        ProfileSummary {
            id: "demo".into(),
            name: "Demo".into(),
            is_demo: true,
        }
    }

    /// The current connection state.
    pub fn connection(&self) -> ConnectionChanged {
        match self.connection.lock() {
            Ok(guard) => guard.clone(),
            // A panic elsewhere while holding the lock leaves plain data behind; it is still valid.
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Records a new connection state.
    pub fn set_connection(&self, value: ConnectionChanged) {
        match self.connection.lock() {
            Ok(mut guard) => *guard = value,
            Err(poisoned) => *poisoned.into_inner() = value,
        }
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}
