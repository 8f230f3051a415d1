//! Sessions as lists show them, starting one, sending to one.

use serde::{Deserialize, Serialize};

use crate::{AgentId, EnvironmentId, SessionId};

/// Input of `session_start`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionStartInput {
    /// Agent id (latest version).
    pub agent_id: AgentId,
    /// Environment id.
    pub environment_id: EnvironmentId,
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
    pub id: SessionId,
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
    pub id: SessionId,
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
    pub session_id: SessionId,
    /// The message text.
    pub text: String,
}
