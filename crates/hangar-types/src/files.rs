//! Files as the screens use them.

use serde::{Deserialize, Serialize};

use crate::FileId;

/// One row of the files list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileListItem {
    /// `file_…`
    pub id: FileId,
    /// Its name.
    pub filename: String,
    /// MIME type.
    pub mime_type: String,
    /// Size.
    pub size_bytes: u64,
    /// RFC 3339.
    pub created_at: String,
    /// Can be downloaded.
    pub downloadable: bool,
    /// The session that produced it, for output files.
    pub session_id: Option<String>,
}

/// `{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileIdInput {
    /// The file.
    pub id: FileId,
}
