//! The one piece of managed state the commands share.
//!
//! Nothing here blocks the caller on slow work: cache access runs on tokio's blocking pool
//! ([`AppState::read`], [`AppState::write`]), reads use their own SQLite connection (WAL) so they
//! never wait behind the indexer or a burst of live events, the keychain is read once per
//! profile (then the client is cached), and profiles are mirrored in memory.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use hangar_api::{ApiKey, Client, ClientConfig};
use hangar_store::Store;
use hangar_types::{CacheArea, ConnectionChanged, ConnectionState, ErrorKind, ProfileSummary};

use crate::demo::DemoSlot;
use crate::error::{ShellError, ShellResult};
use crate::keys::SecretStore;
use crate::live::Live;
use crate::log::LogGuard;
use crate::monitor::Monitor;
use crate::sync::SyncControl;

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

/// What the key check found for a profile, cached so lists never wait on the keychain.
#[derive(Debug, Clone, PartialEq, Eq)]
enum KeyHint {
    /// `…abcd`, or none stored.
    Hint(Option<String>),
    /// The keychain could not be read.
    Problem(String),
}

/// How the shell tells the UI that cached lists changed (set once the app handle exists).
pub type CacheNotifier = Arc<dyn Fn(&str, Vec<CacheArea>) + Send + Sync>;

/// Everything the commands need, registered once in `setup`.
pub struct AppState {
    /// Where the local cache and settings live.
    pub data_dir: PathBuf,
    /// The writing connection: ingest, upserts, the search index.
    writer: Arc<Mutex<Store>>,
    /// A second connection for reads (WAL lets it read while the writer works).
    reader: Arc<Mutex<Store>>,
    /// Where API keys live.
    pub keys: Arc<dyn SecretStore>,
    /// The Demo profile's in-process API, started the first time Demo is shown.
    pub demo: DemoSlot,
    /// Live tails and the views that follow them.
    pub live: Live,
    /// The connection check.
    pub monitor: Monitor,
    /// Background refresh of the cached lists.
    pub sync: SyncControl,
    _log: LogGuard,
    /// The profile shown.
    active: Mutex<String>,
    /// Every profile, mirrored from the cache.
    profiles: Mutex<Vec<ProfileRow>>,
    /// Key hints by profile.
    hints: Mutex<HashMap<String, KeyHint>>,
    /// One HTTP client per profile (its key read from the keychain once).
    clients: Mutex<HashMap<String, Client>>,
    /// The last connection state broadcast to the UI.
    connection: Mutex<ConnectionChanged>,
    notifier: OnceLock<CacheNotifier>,
    closing: std::sync::atomic::AtomicBool,
    closed: tokio::sync::Notify,
}

/// Locks `m`. A panic elsewhere while holding a lock leaves plain data behind that is still
/// valid; it is logged and the data used.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| {
        tracing::error!("a lock was poisoned by a panic; continuing with its data");
        poisoned.into_inner()
    })
}

fn rows(store: &Store) -> hangar_store::Result<Vec<ProfileRow>> {
    Ok(store
        .list_profiles()?
        .into_iter()
        .map(|(id, name, base_url, is_demo)| ProfileRow {
            id,
            name,
            base_url,
            is_demo,
        })
        .collect())
}

impl AppState {
    /// State for `data_dir` with the cache at `<data_dir>/cache.db`, keys in `keys`.
    pub fn open(
        data_dir: PathBuf,
        keys: Arc<dyn SecretStore>,
        log: LogGuard,
    ) -> Result<Self, hangar_store::Error> {
        let path = data_dir.join("cache.db");
        let writer = Store::open(&path)?;
        let reader = Store::open(&path)?;
        if cfg!(feature = "demo") && !writer.list_profiles()?.iter().any(|p| p.0 == DEMO_ID) {
            // Its address is set when it starts.
            writer.upsert_profile(DEMO_ID, "Demo", "", true)?;
        }
        let profiles = rows(&writer)?;
        let active = writer
            .setting("active_profile")?
            .filter(|id| profiles.iter().any(|p| &p.id == id))
            .or_else(|| profiles.first().map(|p| p.id.clone()))
            .unwrap_or_else(|| DEMO_ID.to_string());
        Ok(Self {
            data_dir,
            writer: Arc::new(Mutex::new(writer)),
            reader: Arc::new(Mutex::new(reader)),
            keys,
            demo: DemoSlot::default(),
            live: Live::default(),
            monitor: Monitor::default(),
            sync: SyncControl::default(),
            _log: log,
            active: Mutex::new(active),
            profiles: Mutex::new(profiles),
            hints: Mutex::new(HashMap::new()),
            clients: Mutex::new(HashMap::new()),
            connection: Mutex::new(ConnectionChanged {
                state: ConnectionState::Offline,
                detail: "Connecting…".into(),
                checked_at_ms: now_ms(),
            }),
            notifier: OnceLock::new(),
            closing: std::sync::atomic::AtomicBool::new(false),
            closed: tokio::sync::Notify::new(),
        })
    }

    /// Stops the background work (tails, sync, the connection check, the indexer): the app is
    /// quitting. What is cached stays; the next start resumes from it.
    pub fn shutdown(&self) {
        self.closing
            .store(true, std::sync::atomic::Ordering::SeqCst);
        self.closed.notify_waiters();
        for profile in self.profile_rows() {
            self.live.stop_profile(&profile.id, "Hangar is quitting.");
        }
    }

    /// True once [`AppState::shutdown`] ran.
    pub fn is_closing(&self) -> bool {
        self.closing.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Waits until `delay` passed or `wake` fired; false when the app is quitting.
    pub async fn pause(&self, delay: std::time::Duration, wake: &tokio::sync::Notify) -> bool {
        if self.is_closing() {
            return false;
        }
        tokio::select! {
            _ = tokio::time::sleep(delay) => {}
            _ = wake.notified() => {}
            _ = self.closed.notified() => {}
        }
        !self.is_closing()
    }

    /// Runs `f` on the reading connection, on the blocking pool.
    pub async fn read<T, F>(&self, f: F) -> ShellResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> hangar_store::Result<T> + Send + 'static,
    {
        let store = self.reader.clone();
        Ok(tokio::task::spawn_blocking(move || f(&lock(&store))).await??)
    }

    /// Runs `f` on the writing connection, on the blocking pool.
    pub async fn write<T, F>(&self, f: F) -> ShellResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> hangar_store::Result<T> + Send + 'static,
    {
        let store = self.writer.clone();
        Ok(tokio::task::spawn_blocking(move || f(&lock(&store))).await??)
    }

    /// The writing connection, for code already on a blocking thread (tests, the indexer).
    pub fn writer_blocking(&self) -> MutexGuard<'_, Store> {
        lock(&self.writer)
    }

    /// Sets how cache changes reach the UI (once, in setup).
    pub fn set_notifier(&self, notifier: CacheNotifier) {
        if self.notifier.set(notifier).is_err() {
            tracing::warn!("the cache notifier was set twice; keeping the first");
        }
    }

    /// Tells the views of `profile` that `areas` of the cache changed.
    pub fn cache_changed(&self, profile: &str, areas: Vec<CacheArea>) {
        if areas.is_empty() {
            return;
        }
        match self.notifier.get() {
            Some(notify) => notify(profile, areas),
            None => tracing::debug!("cache changed before the UI could be told: {areas:?}"),
        }
    }

    /// The id of the profile shown.
    pub fn active_id(&self) -> String {
        lock(&self.active).clone()
    }

    /// Switches profile (the caller checked it exists).
    pub async fn set_active(&self, id: &str) -> ShellResult<()> {
        let value = id.to_string();
        self.write(move |s| s.set_setting("active_profile", &value))
            .await?;
        *lock(&self.active) = id.to_string();
        Ok(())
    }

    /// Every profile (from memory).
    pub fn profile_rows(&self) -> Vec<ProfileRow> {
        lock(&self.profiles).clone()
    }

    /// Re-reads the profile mirror after a change.
    pub async fn reload_profiles(&self) -> ShellResult<()> {
        let fresh = self.read(rows).await?;
        *lock(&self.profiles) = fresh;
        Ok(())
    }

    /// The profile shown.
    pub fn active_row(&self) -> ProfileRow {
        let id = self.active_id();
        self.profile_rows()
            .into_iter()
            .find(|p| p.id == id)
            .unwrap_or_else(|| ProfileRow {
                id: DEMO_ID.into(),
                name: "Demo".into(),
                base_url: String::new(),
                is_demo: true,
            })
    }

    /// A profile as the UI sees it: the key reduced to its last four characters. The keychain
    /// is read at most once per profile (off the main thread).
    pub async fn summary(&self, row: &ProfileRow) -> ProfileSummary {
        let hint = if row.is_demo {
            KeyHint::Hint(None)
        } else {
            let cached = lock(&self.hints).get(&row.id).cloned();
            match cached {
                Some(hint) => hint,
                None => {
                    let keys = self.keys.clone();
                    let id = row.id.clone();
                    let read = tokio::task::spawn_blocking(move || keys.get(&id)).await;
                    let hint = match read {
                        Ok(Ok(Some(key))) => {
                            crate::log::protect(&key);
                            KeyHint::Hint(Some(ApiKey::new(key).last_four()))
                        }
                        Ok(Ok(None)) => KeyHint::Hint(None),
                        Ok(Err(e)) => KeyHint::Problem(e.to_string()),
                        Err(e) => KeyHint::Problem(e.to_string()),
                    };
                    lock(&self.hints).insert(row.id.clone(), hint.clone());
                    hint
                }
            }
        };
        let (key_hint, key_problem) = match hint {
            KeyHint::Hint(h) => (h, None),
            KeyHint::Problem(p) => (None, Some(p)),
        };
        ProfileSummary {
            id: row.id.clone(),
            name: row.name.clone(),
            is_demo: row.is_demo,
            base_url: row.base_url.clone(),
            key_hint,
            key_problem,
        }
    }

    /// Every profile as the UI sees it.
    pub async fn profiles(&self) -> Vec<ProfileSummary> {
        let mut out = Vec::new();
        for row in self.profile_rows() {
            out.push(self.summary(&row).await);
        }
        out
    }

    /// The profile shown, as the UI sees it.
    pub async fn active_profile(&self) -> ProfileSummary {
        let row = self.active_row();
        self.summary(&row).await
    }

    /// Forgets what is cached about a profile's key and client (after its key changed).
    pub fn forget_profile_key(&self, id: &str) {
        lock(&self.hints).remove(id);
        lock(&self.clients).remove(id);
    }

    /// The client of `row`: cached; the first use reads the key from the keychain (off the
    /// main thread) or, for Demo, starts the simulated API.
    pub async fn client_for(&self, row: &ProfileRow) -> ShellResult<Client> {
        if let Some(client) = lock(&self.clients).get(&row.id) {
            return Ok(client.clone());
        }
        let client = if row.is_demo {
            let (client, base_url) = self.demo.client(self).await?;
            if base_url != row.base_url {
                let url = base_url.clone();
                self.write(move |s| s.upsert_profile(DEMO_ID, "Demo", &url, true))
                    .await?;
                self.reload_profiles().await?;
            }
            client
        } else {
            let keys = self.keys.clone();
            let id = row.id.clone();
            let key = tokio::task::spawn_blocking(move || keys.get(&id)).await??;
            let Some(key) = key else {
                return Err(ShellError::kind(
                    ErrorKind::Unauthorized,
                    format!(
                        "The profile “{}” has no API key yet. Add one in Settings.",
                        row.name
                    ),
                ));
            };
            crate::log::protect(&key);
            Client::new(ClientConfig::with_base_url(
                row.base_url.clone(),
                ApiKey::new(key),
            ))?
        };
        lock(&self.clients).insert(row.id.clone(), client.clone());
        Ok(client)
    }

    /// The active profile and its client.
    pub async fn client(&self) -> ShellResult<(ProfileRow, Client)> {
        let row = self.active_row();
        let client = self.client_for(&row).await?;
        Ok((row, client))
    }

    /// The current connection state.
    pub fn connection(&self) -> ConnectionChanged {
        lock(&self.connection).clone()
    }

    /// Records a new connection state; true when it differs from the last one.
    pub fn set_connection(&self, value: ConnectionChanged) -> bool {
        let mut current = lock(&self.connection);
        let changed = current.state != value.state || current.detail != value.detail;
        *current = value;
        changed
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}
