//! Facts about the app itself: version, data directory, connection state, UI reports.

use serde::{Deserialize, Serialize};

use crate::ProfileSummary;

/// What the backend reports about itself (command `app_info`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// The application version (the workspace version).
    pub version: String,
    /// Where Hangar keeps its local data (the cache database and settings).
    pub data_dir: String,
    /// The profile the app is showing.
    pub profile: ProfileSummary,
    /// The connection state right now; later changes arrive as [`crate::ev::ConnectionChanged`].
    pub connection: ConnectionChanged,
}

/// The connection state shown by the chip in the top bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionState {
    /// The API answered the last request.
    Online,
    /// The API cannot be reached; the app works from its cache.
    Offline,
    /// A live stream dropped and Hangar is reconnecting.
    Reconnecting,
}

impl ConnectionState {
    /// The words the chip shows.
    pub fn label(self) -> &'static str {
        match self {
            ConnectionState::Online => "Online",
            ConnectionState::Offline => "Offline",
            ConnectionState::Reconnecting => "Reconnecting…",
        }
    }
}

/// Payload of [`crate::ev::ConnectionChanged`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionChanged {
    /// The new state.
    pub state: ConnectionState,
    /// A short human explanation (for example "Demo: simulated API on this computer").
    pub detail: String,
    /// When the backend last checked, in milliseconds since the Unix epoch.
    pub checked_at_ms: u64,
}

/// What the UI reports with `app_report`: a failure it caught and could not show otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UiReport {
    /// `panic`, `decode`, …
    pub kind: String,
    /// What happened, as the UI saw it.
    pub message: String,
}

/// A part of the local cache that changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CacheArea {
    /// The sessions list (new, changed or removed sessions, status changes).
    Sessions,
    /// The agents list.
    Agents,
    /// The environments list.
    Environments,
    /// The vaults list (and their credentials).
    Vaults,
}

/// Payload of [`crate::ev::CacheChanged`]: views showing one of these areas re-read the cache.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CacheChanged {
    /// The profile whose cache changed (views of another profile ignore it).
    pub profile_id: String,
    /// What changed.
    pub areas: Vec<CacheArea>,
}
