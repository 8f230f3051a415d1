//! The IPC contract shared by the Hangar backend (`src-tauri`) and the Leptos UI (`ui`).
//!
//! Everything here is plain serde data so that it compiles for `wasm32-unknown-unknown` and for
//! the host alike. Nothing in this crate may depend on tokio, reqwest or tauri: the test command
//! checks that boundary. Field names are camelCase on the wire because that is what Tauri's
//! `invoke` uses for command arguments.
#![warn(missing_docs)]

use serde::{Deserialize, Serialize};

/// Names of the commands the backend exposes, `<resource>_<verb>`.
pub mod commands {
    /// [`crate::AppInfo`]: version, data directory, active profile.
    pub const APP_INFO: &str = "app_info";
    /// Every command name, for the capability file and the boundary tests.
    pub const ALL: &[&str] = &[APP_INFO];
}

/// Names of the global (broadcast) events the backend emits.
pub mod events {
    /// Payload [`crate::ConnectionChanged`]: the connection chip in the top bar.
    pub const CONNECTION_CHANGED: &str = "connection-changed";
}

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
    /// The connection state right now; later changes arrive as [`events::CONNECTION_CHANGED`].
    pub connection: ConnectionChanged,
}

/// A profile as the UI sees it: never the key itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileSummary {
    /// Stable id (`demo` for the built-in Demo profile).
    pub id: String,
    /// The name the user gave it.
    pub name: String,
    /// True for the built-in Demo profile, which runs a simulated API and needs no key.
    pub is_demo: bool,
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

/// Payload of [`events::CONNECTION_CHANGED`].
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

/// The kind of failure a command reports; the UI picks its wording and actions from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input was rejected before anything was sent.
    Invalid,
    /// The API rejected the key (401/403).
    Unauthorized,
    /// The thing asked for does not exist (404).
    NotFound,
    /// Someone else changed it first (409 version conflict).
    Conflict,
    /// Too many requests (429); the message says when to retry.
    RateLimited,
    /// The API or the network failed (5xx, connection errors).
    Unavailable,
    /// The OS keychain is missing or locked.
    Keychain,
    /// The local cache failed (for example a full disk).
    Storage,
    /// Anything else.
    Internal,
}

/// The one error type every command returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IpcError {
    /// What kind of failure this is.
    pub kind: ErrorKind,
    /// A sentence a person can read.
    pub message: String,
}

impl IpcError {
    /// Builds an error of `kind` with `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for IpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for IpcError {}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn app_info_wire_shape_is_camel_case() {
        let info = AppInfo {
            version: "0.1.0".into(),
            data_dir: "/tmp/h".into(),
            profile: ProfileSummary {
                id: "demo".into(),
                name: "Demo".into(),
                is_demo: true,
            },
            connection: ConnectionChanged {
                state: ConnectionState::Online,
                detail: "d".into(),
                checked_at_ms: 5,
            },
        };
        let v = serde_json::to_value(&info).unwrap();
        assert_eq!(
            v,
            json!({"version":"0.1.0","dataDir":"/tmp/h",
                   "profile":{"id":"demo","name":"Demo","isDemo":true},
                   "connection":{"state":"online","detail":"d","checkedAtMs":5}})
        );
        let back: AppInfo = serde_json::from_value(v).unwrap();
        assert_eq!(back, info);
    }

    #[test]
    fn connection_changed_round_trips() {
        for state in [
            ConnectionState::Online,
            ConnectionState::Offline,
            ConnectionState::Reconnecting,
        ] {
            let ev = ConnectionChanged {
                state,
                detail: "x".into(),
                checked_at_ms: 1,
            };
            let s = serde_json::to_string(&ev).unwrap();
            assert_eq!(serde_json::from_str::<ConnectionChanged>(&s).unwrap(), ev);
        }
        assert_eq!(
            serde_json::to_value(ConnectionState::Reconnecting).unwrap(),
            json!("reconnecting")
        );
        assert_eq!(ConnectionState::Reconnecting.label(), "Reconnecting…");
    }

    #[test]
    fn ipc_error_wire_shape() {
        let e = IpcError::new(ErrorKind::RateLimited, "Try again in 3 s");
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            json!({"kind":"rate_limited","message":"Try again in 3 s"})
        );
        assert_eq!(e.to_string(), "Try again in 3 s");
    }

    #[test]
    fn command_list_is_snake_case_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for c in commands::ALL {
            assert!(
                c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'),
                "{c}"
            );
            assert!(seen.insert(*c), "duplicate command {c}");
        }
    }
}
