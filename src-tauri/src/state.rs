//! The one piece of managed state the commands share.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use hangar_api::{ApiKey, Client, ClientConfig};
use hangar_store::Store;
use hangar_types::{ConnectionChanged, ConnectionState, ErrorKind, IpcError, ProfileSummary};

use crate::demo::{Demo, DEMO_KEY};
use crate::keys::SecretStore;
use crate::log::Log;

/// A profile as stored: what the backend needs to reach its API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileRow {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its API's base URL.
    pub base_url: String,
    /// The built-in Demo profile.
    pub is_demo: bool,
}

/// The built-in Demo profile's id.
pub const DEMO_ID: &str = "demo";

/// Everything the commands need, registered once in `setup`.
pub struct AppState {
    /// Where the local cache and settings live.
    pub data_dir: PathBuf,
    /// The cache. A std mutex: every use is a short, synchronous section.
    store: Mutex<Store>,
    /// Where API keys live.
    pub keys: Arc<dyn SecretStore>,
    /// The Demo profile's in-process API.
    pub demo: Demo,
    /// The redacting log.
    pub log: Log,
    /// The profile shown.
    active: Mutex<String>,
    /// The last connection state broadcast to the UI.
    connection: Mutex<ConnectionChanged>,
    /// Live tails by session id; dropping one stops it.
    pub tails: Mutex<HashMap<String, tauri::async_runtime::JoinHandle<()>>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere while holding a lock leaves plain data behind; it is still valid.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl AppState {
    /// State for `data_dir` with `store`, `keys` and a started `demo`.
    pub fn new(
        data_dir: PathBuf,
        store: Store,
        keys: Arc<dyn SecretStore>,
        demo: Demo,
    ) -> Result<Self, hangar_store::Error> {
        store.upsert_profile(DEMO_ID, "Demo", &demo.server.base_url(), true)?;
        // The demo API is new at every start: its old cached sessions no longer exist.
        store.clear_sessions(DEMO_ID)?;
        let active = store.setting("active_profile")?.filter(|id| {
            store
                .list_profiles()
                .map(|p| p.iter().any(|x| &x.0 == id))
                .unwrap_or(false)
        });
        let log = Log::new(data_dir.join("logs"));
        Ok(Self {
            data_dir,
            store: Mutex::new(store),
            keys,
            demo,
            log,
            active: Mutex::new(active.unwrap_or_else(|| DEMO_ID.to_string())),
            connection: Mutex::new(ConnectionChanged {
                state: ConnectionState::Online,
                detail: "Connecting…".into(),
                checked_at_ms: now_ms(),
            }),
            tails: Mutex::new(HashMap::new()),
        })
    }

    /// The cache, locked for a short section.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        lock(&self.store)
    }

    /// The id of the profile shown.
    pub fn active_id(&self) -> String {
        lock(&self.active).clone()
    }

    /// Switches profile (the caller checked it exists).
    pub fn set_active(&self, id: &str) -> Result<(), IpcError> {
        self.store()
            .set_setting("active_profile", id)
            .map_err(crate::error::storage)?;
        *lock(&self.active) = id.to_string();
        Ok(())
    }

    /// A profile as the UI sees it: the key reduced to its last four characters.
    pub fn summary(&self, id: &str, name: &str, base_url: &str, is_demo: bool) -> ProfileSummary {
        let (key_hint, key_problem) = if is_demo {
            (None, None)
        } else {
            match self.keys.get(id) {
                Ok(Some(key)) => (Some(ApiKey::new(key).last_four()), None),
                Ok(None) => (None, None),
                Err(e) => (None, Some(e.to_string())),
            }
        };
        ProfileSummary {
            id: id.into(),
            name: name.into(),
            is_demo,
            base_url: base_url.into(),
            key_hint,
            key_problem,
        }
    }

    /// Every profile.
    pub fn profiles(&self) -> Result<Vec<ProfileSummary>, IpcError> {
        let rows = self
            .store()
            .list_profiles()
            .map_err(crate::error::storage)?;
        Ok(rows
            .into_iter()
            .map(|(id, name, url, demo)| self.summary(&id, &name, &url, demo))
            .collect())
    }

    /// The profile shown.
    pub fn active_profile(&self) -> ProfileSummary {
        let row = self.active_row();
        self.summary(&row.id, &row.name, &row.base_url, row.is_demo)
    }

    /// The profile shown, from the cache alone (no keychain read).
    pub fn active_row(&self) -> ProfileRow {
        let id = self.active_id();
        let rows = self.store().list_profiles().unwrap_or_default();
        match rows.into_iter().find(|p| p.0 == id) {
            Some((id, name, base_url, is_demo)) => ProfileRow {
                id,
                name,
                base_url,
                is_demo,
            },
            None => ProfileRow {
                id: DEMO_ID.into(),
                name: "Demo".into(),
                base_url: self.demo.server.base_url(),
                is_demo: true,
            },
        }
    }

    /// A client for the active profile.
    pub fn client(&self) -> Result<Client, IpcError> {
        let profile = self.active_row();
        let key = if profile.is_demo {
            DEMO_KEY.to_string()
        } else {
            match self.keys.get(&profile.id) {
                Ok(Some(key)) => key,
                Ok(None) => {
                    return Err(IpcError::new(
                        ErrorKind::Unauthorized,
                        format!(
                            "The profile “{}” has no API key yet. Add one in Settings.",
                            profile.name
                        ),
                    ))
                }
                Err(e) => return Err(IpcError::new(ErrorKind::Keychain, e.to_string())),
            }
        };
        self.log.protect(&key);
        Client::new(ClientConfig::with_base_url(
            profile.base_url,
            ApiKey::new(key),
        ))
        .map_err(crate::error::api)
    }

    /// The current connection state.
    pub fn connection(&self) -> ConnectionChanged {
        lock(&self.connection).clone()
    }

    /// Records a new connection state.
    pub fn set_connection(&self, value: ConnectionChanged) {
        *lock(&self.connection) = value;
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}
