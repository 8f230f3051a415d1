//! The one error type every command returns.

use serde::{Deserialize, Serialize};

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
    /// The input field at fault (its name in the command's input), when one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// How long to wait before trying again (rate limits, overload), in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_ms: Option<u64>,
}

impl IpcError {
    /// Builds an error of `kind` with `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            field: None,
            retry_after_ms: None,
        }
    }

    /// Names the input field at fault.
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Says how long to wait before trying again.
    pub fn with_retry_after_ms(mut self, ms: u64) -> Self {
        self.retry_after_ms = Some(ms);
        self
    }
}

impl std::fmt::Display for IpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for IpcError {}
