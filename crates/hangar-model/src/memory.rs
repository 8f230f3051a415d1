//! Memory stores, their memories and the memories' versions (reference §5.10, beta
//! `agent-memory-2026-07-22`). A memory is a text file at a path in a store; every change adds
//! an immutable [`MemoryVersion`] (who changed it, which session), which only redaction alters.
//! Updates and deletes can carry the content hash the person last saw as a precondition: the
//! API answers a stale one with 409 `memory_precondition_failed_error`, and a path already
//! taken with 409 `memory_path_conflict_error` ([`MemoryConflict`]).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::common::{open_enum, Metadata, MetadataPatch};
use crate::ids::{MemoryId, MemoryStoreId, MemoryVersionId};

/// The `anthropic-beta` value of memory stores, memories and memory versions.
pub const MEMORY_BETA: &str = "agent-memory-2026-07-22";

/// A memory store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemoryStore {
    /// `memstore_…`
    pub id: MemoryStoreId,
    /// Its name (1-255 chars).
    pub name: String,
    /// Its description (`""` when none).
    #[serde(default, deserialize_with = "crate::common::null_as_default")]
    pub description: String,
    /// Metadata.
    #[serde(default)]
    pub metadata: Metadata,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// Set once archived (which cannot be undone).
    #[serde(default)]
    pub archived_at: Option<String>,
    /// Every other field (`type`, newer fields).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `POST /v1/memory_stores`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MemoryStoreCreate {
    /// 1-255 chars.
    pub name: String,
    /// ≤ 1024 chars.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Metadata.
    #[serde(default, skip_serializing_if = "Metadata::is_empty")]
    pub metadata: Metadata,
}

/// `POST /v1/memory_stores/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MemoryStoreUpdate {
    /// New name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Patch: `None` deletes a key.
    #[serde(default, skip_serializing_if = "MetadataPatch::is_empty")]
    pub metadata: MetadataPatch,
}

open_enum! {
    /// Whether answers include memory content (`view=`).
    pub enum MemoryView {
        /// `content` is null.
        Basic = "basic",
        /// `content` is included (lists then hold at most 20 per page).
        Full = "full",
    }
}

/// One memory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Memory {
    /// `mem_…`
    pub id: MemoryId,
    /// Its store.
    pub memory_store_id: MemoryStoreId,
    /// `/notes/todo.md`: starts with `/`, 1-20 segments, case-sensitive.
    pub path: String,
    /// The text (`None` with `view=basic`).
    #[serde(default)]
    pub content: Option<String>,
    /// Lowercase hex SHA-256 of the content: the precondition of updates.
    pub content_sha256: String,
    /// Size in bytes.
    #[serde(default)]
    pub content_size_bytes: u64,
    /// The version that wrote the current content.
    pub memory_version_id: MemoryVersionId,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// Every other field (`type`, newer fields).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An item of `GET …/memories`: a memory, or a folder standing for the memories below the
/// requested depth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum MemoryListItem {
    /// A memory.
    Memory(Memory),
    /// `{type: "memory_prefix", path: "/projects/foo/"}`: pass `path` as `path_prefix` to open it.
    MemoryPrefix {
        /// With a trailing `/`.
        path: String,
    },
    /// An item this version does not know.
    #[serde(untagged)]
    Other(Value),
}

/// `POST /v1/memory_stores/{id}/memories`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MemoryCreate {
    /// Where.
    pub path: String,
    /// The text (≤ 100 kB).
    pub content: String,
}

/// The condition an update or delete needs: the content is still the one the person saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Precondition {
    /// `{type: "content_sha256", content_sha256}`.
    ContentSha256 {
        /// The hash last seen.
        content_sha256: String,
    },
}

/// `POST /v1/memory_stores/{id}/memories/{memory_id}`: new content, a new path (a move), or both.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MemoryUpdate {
    /// New text; omitted keeps it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// New path; omitted keeps it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Apply only if the content is still this; omitted updates unconditionally.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precondition: Option<Precondition>,
}

impl MemoryUpdate {
    /// Requires the content hash to still be `sha256`.
    pub fn if_unchanged(mut self, sha256: impl Into<String>) -> Self {
        self.precondition = Some(Precondition::ContentSha256 {
            content_sha256: sha256.into(),
        });
        self
    }
}

open_enum! {
    /// What a version records.
    pub enum MemoryOperation {
        /// The memory was created.
        Created = "created",
        /// Its content or path changed.
        Modified = "modified",
        /// It was deleted.
        Deleted = "deleted",
    }
}

/// Who made a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Actor {
    /// An agent writing through the store mounted in a session.
    SessionActor {
        /// The session.
        session_id: String,
    },
    /// A request made with an API key.
    ApiActor {
        /// The key's id.
        api_key_id: String,
    },
    /// A person in the console.
    UserActor {
        /// The user.
        user_id: String,
    },
    /// A service account.
    ServiceAccountActor {
        /// The account (`svac_…`).
        service_account_id: String,
    },
    /// An actor this version does not know.
    #[serde(untagged)]
    Other(Value),
}

impl Actor {
    /// "session sesn_…", "API key apikey_…", … for the history list.
    pub fn describe(&self) -> String {
        match self {
            Actor::SessionActor { session_id } => format!("session {session_id}"),
            Actor::ApiActor { api_key_id } => format!("API key {api_key_id}"),
            Actor::UserActor { user_id } => format!("user {user_id}"),
            Actor::ServiceAccountActor { service_account_id } => {
                format!("service account {service_account_id}")
            }
            Actor::Other(v) => v
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("someone")
                .to_string(),
        }
    }

    /// The session, when an agent made the change.
    pub fn session_id(&self) -> Option<&str> {
        match self {
            Actor::SessionActor { session_id } => Some(session_id),
            _ => None,
        }
    }
}

/// One entry of a memory's history. Redacted versions keep their author but lose `content`,
/// `path`, `content_sha256` and `content_size_bytes`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemoryVersion {
    /// `memver_…`
    pub id: MemoryVersionId,
    /// The memory (still valid after it is deleted).
    pub memory_id: MemoryId,
    /// The store.
    pub memory_store_id: MemoryStoreId,
    /// What changed.
    pub operation: MemoryOperation,
    /// The text as of this version (`None` with `view=basic`, when deleted or redacted).
    #[serde(default)]
    pub content: Option<String>,
    /// Hash of `content` (`None` when deleted or redacted).
    #[serde(default)]
    pub content_sha256: Option<String>,
    /// Size of `content`.
    #[serde(default)]
    pub content_size_bytes: Option<u64>,
    /// The path at this write (`None` iff redacted).
    #[serde(default)]
    pub path: Option<String>,
    /// Who made the change, when recorded.
    #[serde(default)]
    pub created_by: Option<Actor>,
    /// When redacted.
    #[serde(default)]
    pub redacted_at: Option<String>,
    /// Who redacted it.
    #[serde(default)]
    pub redacted_by: Option<Actor>,
    /// RFC 3339.
    pub created_at: String,
    /// Every other field (`type`, newer fields).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// What a memory 409 says, read from the error body's `error` object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum MemoryConflict {
    /// `memory_precondition_failed_error`: the content changed since it was read.
    PreconditionFailed,
    /// `memory_path_conflict_error`: another memory already has that path.
    PathConflict {
        /// The path asked for.
        conflicting_path: Option<String>,
        /// The memory holding it.
        conflicting_memory_id: Option<String>,
    },
    /// `conflict_error`: some other conflict.
    Other,
}

impl MemoryConflict {
    /// Reads an API error body (`{"type":"error","error":{…}}`); `None` when it is not a
    /// memory conflict.
    pub fn from_body(body: &str) -> Option<Self> {
        let v: Value = serde_json::from_str(body).ok()?;
        let e = v.get("error")?;
        let text = |k: &str| e.get(k).and_then(Value::as_str).map(str::to_string);
        match e.get("type")?.as_str()? {
            "memory_precondition_failed_error" => Some(MemoryConflict::PreconditionFailed),
            "memory_path_conflict_error" => Some(MemoryConflict::PathConflict {
                conflicting_path: text("conflicting_path"),
                conflicting_memory_id: text("conflicting_memory_id"),
            }),
            "conflict_error" => Some(MemoryConflict::Other),
            _ => None,
        }
    }
}

/// Checks a memory path as the API does: starts with `/`, 1-20 non-empty segments, none `.`
/// or `..`, no control characters, at most 1024 bytes. Returns the problem in words.
pub fn path_problem(path: &str) -> Option<String> {
    if !path.starts_with('/') {
        return Some("A path starts with /".into());
    }
    if path.len() > 1024 {
        return Some("A path is at most 1024 bytes".into());
    }
    let segments: Vec<&str> = path[1..].split('/').collect();
    if segments.len() > 20 {
        return Some("A path has at most 20 parts".into());
    }
    if segments.iter().any(|s| s.is_empty()) {
        return Some("A path has no empty parts (no // and no / at the end)".into());
    }
    if segments.iter().any(|s| *s == "." || *s == "..") {
        return Some("A path has no . or .. parts".into());
    }
    if path
        .chars()
        .any(|c| c.is_control() || c == '\u{2028}' || c == '\u{2029}')
    {
        return Some("A path has no control characters".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn store_and_items_read_the_reference_shapes() {
        let store: MemoryStore = serde_json::from_value(json!({"id":"memstore_01ExampleExampleExample","type":"memory_store","name":"User preferences","description":"","metadata":{},"created_at":"2026-11-20T10:00:00.000000Z","updated_at":"2026-11-20T10:00:00.000000Z","archived_at":null})).unwrap();
        assert_eq!(store.name, "User preferences");
        let items: Vec<MemoryListItem> = serde_json::from_value(json!([
            {"type":"memory","id":"mem_1","memory_store_id":"memstore_1","path":"/a.md","content":null,"content_sha256":"ab","content_size_bytes":2,"memory_version_id":"memver_1","created_at":"t","updated_at":"t"},
            {"type":"memory_prefix","path":"/notes/"},
            {"type":"memory_link","path":"/x"}
        ]))
        .unwrap();
        assert!(matches!(&items[0], MemoryListItem::Memory(m) if m.path == "/a.md"));
        assert_eq!(
            items[1],
            MemoryListItem::MemoryPrefix {
                path: "/notes/".into()
            }
        );
        assert!(matches!(items[2], MemoryListItem::Other(_)));
    }

    #[test]
    fn updates_carry_the_precondition() {
        let u = MemoryUpdate {
            content: Some("new".into()),
            ..Default::default()
        }
        .if_unchanged("abc");
        assert_eq!(
            serde_json::to_value(&u).unwrap(),
            json!({"content":"new","precondition":{"type":"content_sha256","content_sha256":"abc"}})
        );
    }

    #[test]
    fn versions_and_conflicts() {
        let v: MemoryVersion = serde_json::from_value(json!({"id":"memver_1","type":"memory_version","memory_id":"mem_1","memory_store_id":"memstore_1","operation":"modified","content":null,"content_sha256":null,"content_size_bytes":null,"path":null,"created_by":{"type":"session_actor","session_id":"sesn_1"},"redacted_at":"t","redacted_by":{"type":"api_actor","api_key_id":"apikey_1"},"created_at":"t"})).unwrap();
        assert_eq!(
            v.created_by.as_ref().and_then(Actor::session_id),
            Some("sesn_1")
        );
        assert_eq!(
            MemoryConflict::from_body(
                r#"{"type":"error","error":{"type":"memory_path_conflict_error","message":"taken","conflicting_path":"/a","conflicting_memory_id":"mem_2"}}"#
            ),
            Some(MemoryConflict::PathConflict {
                conflicting_path: Some("/a".into()),
                conflicting_memory_id: Some("mem_2".into())
            })
        );
        assert_eq!(
            MemoryConflict::from_body(
                r#"{"type":"error","error":{"type":"not_found_error","message":"x"}}"#
            ),
            None
        );
    }

    #[test]
    fn paths() {
        assert_eq!(path_problem("/notes/todo.md"), None);
        for bad in ["notes", "/a//b", "/a/", "/../x", "/a\u{7}"] {
            assert!(path_problem(bad).is_some(), "{bad}");
        }
    }
}
