//! Files: uploads for sessions and the files agents produce (reference §5.8).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::ids::{FileId, SessionId};

/// File metadata (`POST /v1/files` answers with it; the bytes come from `…/content`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileMetadata {
    /// `file_…`
    pub id: FileId,
    /// Original name (last path component only).
    pub filename: String,
    /// MIME type.
    pub mime_type: String,
    /// Size.
    pub size_bytes: u64,
    /// RFC 3339.
    pub created_at: String,
    /// False for files that cannot be downloaded (`file_not_downloadable`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub downloadable: Option<bool>,
    /// When it expires, if it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    /// What produced it: `{type: "session", id}` for a session's output files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<FileScope>,
    /// Every other field (`type`, newer fields).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `scope` of a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FileScope {
    /// Produced in (or uploaded for) this session.
    Session {
        /// The session.
        id: SessionId,
    },
    /// A scope this version does not know.
    #[serde(untagged)]
    Other(Value),
}
