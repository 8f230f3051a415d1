//! The chat (issue 11): one session's header, the answers a person gives from the transcript
//! (messages, tool confirmations, custom tool results, interrupts), the header's actions, and
//! opening a link from agent output after the person has seen it.

use serde::{Deserialize, Serialize};

use crate::model::sessions::Session;
use crate::{EventId, SessionId};

/// Input of the commands that name only a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionIdInput {
    /// The session.
    pub session_id: SessionId,
}

/// Output of `session_get`: the cached session (from the API when reachable).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionDetail {
    /// The session as the API last returned it.
    pub session: Session,
    /// Its status as the cache knows it (live events included).
    pub status: String,
    /// The environment's name, when cached.
    pub environment_name: Option<String>,
}

/// Input of `session_confirm`: the answer to a tool confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionConfirmInput {
    /// The session.
    pub session_id: SessionId,
    /// The `agent.tool_use` / `agent.mcp_tool_use` event waiting for it.
    pub tool_use_id: EventId,
    /// Allow (true) or deny (false).
    pub allow: bool,
    /// With a denial: why (sent to the agent as the denial message).
    #[serde(default)]
    pub reason: Option<String>,
}

/// Input of `session_tool_result`: the person's answer to a custom tool call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionToolResultInput {
    /// The session.
    pub session_id: SessionId,
    /// The `agent.custom_tool_use` event.
    pub custom_tool_use_id: EventId,
    /// The result text.
    pub text: String,
    /// True when it is an error ("Send error").
    #[serde(default)]
    pub is_error: bool,
}

/// Input of `session_rename`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionRenameInput {
    /// The session.
    pub session_id: SessionId,
    /// The new title (empty: no title).
    pub title: String,
}

/// Input of `session_interrupt`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionInterruptInput {
    /// The session.
    pub session_id: SessionId,
}

/// Input of `session_budget_raise`: a new, higher spending cap (reference §5.3: a cap can
/// be raised, never added to a session started without one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionBudgetInput {
    /// The session.
    pub session_id: SessionId,
    /// The new cap in cents (USD), as typed.
    pub cents: String,
}

/// Input of `link_open`: a link from agent output the person chose to open after seeing it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkOpenInput {
    /// The URL (only `http`, `https` and `mailto` are opened).
    pub url: String,
}

/// Why a link from a transcript will not be opened, or `None` when it may be (after the
/// person confirms): only `http:`, `https:` and `mailto:`.
pub fn link_problem(url: &str) -> Option<&'static str> {
    let url = url.trim();
    let scheme = url.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
    match scheme.as_deref() {
        Some("http" | "https") if url.len() > 8 && !url.chars().any(char::is_control) => None,
        Some("mailto") if url.len() > 7 && !url.chars().any(char::is_control) => None,
        Some("http" | "https" | "mailto") => Some("This link is incomplete."),
        _ => Some("Only web (http, https) and e-mail (mailto) links can be opened."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_and_mail_links_open() {
        for ok in [
            "https://example.com/a?b=1",
            "http://example.com",
            "HTTPS://EXAMPLE.COM",
            "mailto:a@example.com",
        ] {
            assert_eq!(link_problem(ok), None, "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "data:text/html,<script>",
            "file:///etc/passwd",
            "vbscript:x",
            "ftp://example.com",
            "https:",
            "https://a\u{0}b.com",
            "",
            "example.com",
        ] {
            assert!(link_problem(bad).is_some(), "{bad}");
        }
    }
}
