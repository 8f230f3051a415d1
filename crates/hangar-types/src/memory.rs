//! Memory stores and memories as the `Memory` screen uses them (issue 14). Saves carry the
//! content hash the person started from; when someone else changed the memory meanwhile the
//! answer is a [`MemoryConflictInfo`] with their version, not an error, so the screen can show
//! both and let the person choose.

use serde::{Deserialize, Serialize};

use crate::model::memory::{path_problem, Memory, MemoryVersion};
use crate::{MemoryId, MemoryStoreId, MemoryVersionId};

/// `{id}` of a store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemoryStoreIdInput {
    /// The store.
    pub id: MemoryStoreId,
}

/// Input of `memory_store_create`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemoryStoreCreateInput {
    /// 1-255 characters.
    pub name: String,
    /// Up to 1024 characters.
    #[serde(default)]
    pub description: String,
}

/// Input of `memory_store_rename`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemoryStoreRenameInput {
    /// The store.
    pub id: MemoryStoreId,
    /// The new name.
    pub name: String,
    /// The new description, when changed.
    #[serde(default)]
    pub description: Option<String>,
}

/// Input of `memory_list`: one folder of a store.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemoryListInput {
    /// The store.
    pub store_id: MemoryStoreId,
    /// The folder (`/notes/`); the whole store when absent.
    #[serde(default)]
    pub path_prefix: Option<String>,
    /// 1: direct children only (deeper ones as folders); 0 or absent: everything below.
    #[serde(default)]
    pub depth: Option<u32>,
}

/// One entry of a folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum MemoryEntry {
    /// A memory (without content).
    Memory {
        /// The memory.
        memory: Memory,
    },
    /// A folder: list it with `path_prefix = path`.
    Folder {
        /// With a trailing `/`.
        path: String,
    },
}

/// `{storeId, id}` of a memory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemoryIdInput {
    /// The store.
    pub store_id: MemoryStoreId,
    /// The memory.
    pub id: MemoryId,
}

/// Input of `memory_create`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemoryCreateInput {
    /// The store.
    pub store_id: MemoryStoreId,
    /// `/notes/todo.md`.
    pub path: String,
    /// The text.
    pub content: String,
}

/// Input of `memory_save`: new content and/or a new path (a move).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemorySaveInput {
    /// The store.
    pub store_id: MemoryStoreId,
    /// The memory.
    pub id: MemoryId,
    /// New text (unchanged when absent).
    #[serde(default)]
    pub content: Option<String>,
    /// New path (unchanged when absent).
    #[serde(default)]
    pub path: Option<String>,
    /// The content hash the edit started from; absent saves over whatever is there.
    #[serde(default)]
    pub base_sha256: Option<String>,
}

/// Input of `memory_delete`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemoryDeleteInput {
    /// The store.
    pub store_id: MemoryStoreId,
    /// The memory.
    pub id: MemoryId,
    /// Delete only if the content is still this.
    #[serde(default)]
    pub base_sha256: Option<String>,
}

/// Why a save did not happen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "kind"
)]
pub enum MemoryConflictInfo {
    /// Someone else changed it since it was opened: theirs is here (with content).
    Changed {
        /// The memory as it is now.
        theirs: Memory,
        /// Who made that change ("session sesn_…"), when known.
        by: Option<String>,
    },
    /// Another memory already has that path.
    PathTaken {
        /// The path.
        path: String,
        /// The memory there.
        memory_id: Option<String>,
    },
    /// It was deleted meanwhile.
    Gone,
}

/// Answer of `memory_create`, `memory_save` and `memory_delete`: saved (the memory, with
/// content; `None` after a delete), or refused because of a conflict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemorySaveOutput {
    /// The memory as saved.
    pub memory: Option<Memory>,
    /// The conflict, when not saved.
    pub conflict: Option<MemoryConflictInfo>,
}

/// Input of `memory_versions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemoryVersionsInput {
    /// The store.
    pub store_id: MemoryStoreId,
    /// Only this memory's versions; the whole store's when absent.
    #[serde(default)]
    pub memory_id: Option<MemoryId>,
}

/// `{storeId, id}` of a version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemoryVersionIdInput {
    /// The store.
    pub store_id: MemoryStoreId,
    /// The version.
    pub id: MemoryVersionId,
}

/// A memory's history, newest first, with content.
pub type MemoryVersions = Vec<MemoryVersion>;

/// Problems of a store's name and description, as `(field, message)`.
pub fn memory_store_problems(name: &str, description: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let n = name.trim().chars().count();
    if n == 0 {
        out.push(("name".into(), "A memory store needs a name".into()));
    } else if n > 255 {
        out.push(("name".into(), "A name is at most 255 characters".into()));
    }
    if description.chars().count() > 1024 {
        out.push((
            "description".into(),
            "A description is at most 1024 characters".into(),
        ));
    }
    out
}

/// Problems of a memory's path and content, as `(field, message)`.
pub fn memory_problems(path: &str, content: Option<&str>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(p) = path_problem(path) {
        out.push(("path".into(), p));
    }
    if content.is_some_and(|c| c.len() > 102_400) {
        out.push((
            "content".into(),
            "A memory is at most 100 kB (102,400 bytes)".into(),
        ));
    }
    out
}
