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
    /// `Vec<`[`crate::ProfileSummary`]`>`: every profile, Demo first.
    pub const PROFILE_LIST: &str = "profile_list";
    /// [`crate::ProfileInput`] → [`crate::ProfileSaveOutput`]: add or change a profile (and its key).
    pub const PROFILE_SAVE: &str = "profile_save";
    /// `{id}` → `()`: switch the whole app to a profile.
    pub const PROFILE_SELECT: &str = "profile_select";
    /// `{id}` → `()`: remove a profile, its key and its cache.
    pub const PROFILE_REMOVE: &str = "profile_remove";
    /// `{id}` → `()`: forget a profile's key (the profile stays).
    pub const PROFILE_FORGET_KEY: &str = "profile_forget_key";
    /// `()` → `Vec<`[`crate::SessionListItem`]`>`: the active profile's cached sessions, newest first.
    pub const SESSION_LIST: &str = "session_list";
    /// [`crate::SessionStartInput`] → [`crate::SessionSummary`]: start a session and follow it live.
    pub const SESSION_START: &str = "session_start";
    /// [`crate::SessionSendInput`] → `()`: send a message to a session.
    pub const SESSION_SEND: &str = "session_send";
    /// [`crate::TranscriptInput`] → [`crate::TranscriptOutput`]: a page of a cached transcript.
    pub const TRANSCRIPT_PAGE: &str = "transcript_page";
    /// Every command name, for the capability file and the boundary tests.
    pub const ALL: &[&str] = &[
        APP_INFO,
        PROFILE_LIST,
        PROFILE_SAVE,
        PROFILE_SELECT,
        PROFILE_REMOVE,
        PROFILE_FORGET_KEY,
        SESSION_LIST,
        SESSION_START,
        SESSION_SEND,
        TRANSCRIPT_PAGE,
    ];
}

/// Names of the global (broadcast) events the backend emits.
pub mod events {
    /// Payload [`crate::ConnectionChanged`]: the connection chip in the top bar.
    pub const CONNECTION_CHANGED: &str = "connection-changed";
    /// Payload [`crate::ProfileSummary`]: the app switched profile.
    pub const PROFILE_CHANGED: &str = "profile-changed";
    /// Payload [`crate::SessionEventPayload`]: a live event, already stored in the cache.
    pub const SESSION_EVENT: &str = "session-event";
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
    /// The API's base URL.
    #[serde(default)]
    pub base_url: String,
    /// The last four characters of the stored key ("…abcd"), when a key is stored.
    #[serde(default)]
    pub key_hint: Option<String>,
    /// Why the key could not be read (for example no keychain), when that happened.
    #[serde(default)]
    pub key_problem: Option<String>,
}

/// Input of `profile_save`. The key travels only this way: from the UI into the backend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileInput {
    /// `None` to create a profile.
    pub id: Option<String>,
    /// Display name.
    pub name: String,
    /// Base URL (`https://api.anthropic.com` by default).
    pub base_url: String,
    /// A new key; `None` keeps the stored one.
    pub api_key: Option<String>,
}

/// What checking a key against the API found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum KeyCheck {
    /// The API accepted it.
    Accepted,
    /// The API rejected it (401/403); it was not kept.
    Rejected {
        /// The API's own message.
        message: String,
    },
    /// The API could not be reached; the key was kept, the user may discard it.
    Unreachable {
        /// What went wrong.
        message: String,
    },
    /// No key was given; nothing to check.
    NotChecked,
}

/// Output of `profile_save`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileSaveOutput {
    /// The profile as saved.
    pub profile: ProfileSummary,
    /// The key check.
    pub check: KeyCheck,
}

/// `{id}`: the input of the profile commands that name one profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileIdInput {
    /// The profile.
    pub id: String,
}

/// Input of `session_start`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionStartInput {
    /// Agent id (latest version).
    pub agent_id: String,
    /// Environment id.
    pub environment_id: String,
    /// Optional title.
    pub title: Option<String>,
    /// The first message.
    pub message: String,
}

/// A session as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionSummary {
    /// `sesn_…`
    pub id: String,
    /// Title.
    pub title: Option<String>,
    /// idle / running / …
    pub status: String,
}

/// One row of the session list (from the local cache: works offline).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionListItem {
    /// `sesn_…`
    pub id: String,
    /// Title, if any.
    pub title: Option<String>,
    /// idle / running / rescheduling / terminated.
    pub status: String,
    /// The agent's name.
    pub agent_name: String,
    /// The agent version it runs.
    pub agent_version: i64,
    /// RFC 3339.
    pub created_at: String,
    /// Archived?
    pub archived: bool,
    /// Tokens in + out so far.
    pub tokens: i64,
}

/// Input of `session_send`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionSendInput {
    /// The session.
    pub session_id: String,
    /// The message text.
    pub text: String,
}

/// Input of `transcript_page`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TranscriptInput {
    /// The session.
    pub session_id: String,
    /// How many events at most.
    pub limit: u32,
}

/// Output of `transcript_page`: events in order, raw JSON each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TranscriptOutput {
    /// Raw event JSON, in transcript order.
    pub events: Vec<String>,
    /// Events in the whole transcript.
    pub total: u64,
}

/// Payload of [`events::SESSION_EVENT`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionEventPayload {
    /// The session.
    pub session_id: String,
    /// The event's type.
    pub event_type: String,
    /// The event JSON as received (agent output: untrusted data).
    pub raw: String,
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
                base_url: "http://127.0.0.1:1".into(),
                key_hint: None,
                key_problem: None,
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
                   "profile":{"id":"demo","name":"Demo","isDemo":true,"baseUrl":"http://127.0.0.1:1","keyHint":null,"keyProblem":null},
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
    fn key_checks_are_tagged() {
        assert_eq!(
            serde_json::to_value(KeyCheck::Rejected {
                message: "invalid x-api-key".into()
            })
            .unwrap(),
            json!({"kind":"rejected","message":"invalid x-api-key"})
        );
        assert_eq!(
            serde_json::to_value(KeyCheck::Accepted).unwrap(),
            json!({"kind":"accepted"})
        );
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
