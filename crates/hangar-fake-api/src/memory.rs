//! Memory stores, memories and memory versions (reference §5.10, beta `agent-memory-2026-07-22`;
//! issue 14). Every write adds a version recording who made it; updates and deletes honour a
//! content-hash precondition (409 `memory_precondition_failed_error`), moves onto a taken path
//! fail with 409 `memory_path_conflict_error` (with `conflicting_path` and
//! `conflicting_memory_id`), and redaction erases a version's content, path and hash.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::Json;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::http::{
    archive_in_place, body_object, check_metadata, paginate, paginate_keyed, patch_metadata,
    time_filter, ApiErr, ApiResult, Params,
};
use crate::world::World;
use crate::Shared;

type S = State<Arc<Shared>>;

/// The memory state of the fake.
#[derive(Default)]
pub struct MemoryState {
    pub stores: Vec<Value>,
    /// Live memories, content included.
    pub memories: Vec<Value>,
    /// Every version, oldest first, content included.
    pub versions: Vec<Value>,
}

/// The actor of changes made through the API (one fake key id).
pub fn api_actor() -> Value {
    json!({"type": "api_actor", "api_key_id": "apikey_011CFakeHangarKey"})
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn path_problem(path: &str) -> Option<&'static str> {
    if !path.starts_with('/') {
        return Some("path must start with /");
    }
    if path.len() > 1024 {
        return Some("path must be at most 1024 bytes");
    }
    let segments: Vec<&str> = path[1..].split('/').collect();
    if segments.len() > 20 {
        return Some("path must have 1 to 20 segments");
    }
    if segments
        .iter()
        .any(|s| s.is_empty() || *s == "." || *s == "..")
    {
        return Some("path segments must not be empty, . or ..");
    }
    if path
        .chars()
        .any(|c| c.is_control() || c == '\u{2028}' || c == '\u{2029}' || c == '\u{200b}')
    {
        return Some("path must not contain control or format characters");
    }
    None
}

fn view_of(q: &Params, default_full: bool) -> ApiResult<bool> {
    match q.get("view") {
        None => Ok(default_full),
        Some("full") => Ok(true),
        Some("basic") => Ok(false),
        Some(v) => Err(ApiErr::invalid(format!(
            "view must be basic or full, not {v:?}"
        ))),
    }
}

fn shown(mut object: Value, full: bool) -> Value {
    if !full {
        object["content"] = Value::Null;
    }
    object
}

fn store_of<'a>(w: &'a mut World, id: &str) -> ApiResult<&'a mut Value> {
    w.memory
        .stores
        .iter_mut()
        .find(|s| s["id"] == id)
        .ok_or_else(|| ApiErr::not_found("memory store", id))
}

fn writable(w: &mut World, id: &str) -> ApiResult<()> {
    let store = store_of(w, id)?;
    if !store["archived_at"].is_null() {
        return Err(ApiErr::invalid(format!(
            "memory store {id} is archived and cannot be changed"
        )));
    }
    Ok(())
}

fn path_conflict(path: &str, holder: &Value) -> ApiErr {
    ApiErr::new(
        409,
        "memory_path_conflict_error",
        format!("a memory already exists at {path}"),
    )
    .field("conflicting_path", json!(path))
    .field("conflicting_memory_id", holder["id"].clone())
}

fn precondition_failed(id: &str) -> ApiErr {
    ApiErr::new(
        409,
        "memory_precondition_failed_error",
        format!("memory {id} was changed: its content_sha256 no longer matches the precondition"),
    )
}

/// Records a version of `memory` (as it is now, or deleted) by `actor`; returns its id.
fn record_version(w: &mut World, memory: &Value, operation: &str, actor: Value) -> String {
    let id = w.id("memver");
    let now = w.now();
    let deleted = operation == "deleted";
    let v = json!({
        "id": id, "type": "memory_version", "memory_id": memory["id"], "memory_store_id": memory["memory_store_id"],
        "operation": operation,
        "content": if deleted { Value::Null } else { memory["content"].clone() },
        "content_sha256": if deleted { Value::Null } else { memory["content_sha256"].clone() },
        "content_size_bytes": if deleted { Value::Null } else { memory["content_size_bytes"].clone() },
        "path": memory["path"], "created_by": actor, "redacted_at": Value::Null, "redacted_by": Value::Null,
        "created_at": now,
    });
    w.memory.versions.push(v);
    id
}

fn content_of(b: &Map<String, Value>, required: bool) -> ApiResult<Option<String>> {
    match b.get("content") {
        Some(Value::String(s)) => {
            if s.len() > 102_400 {
                return Err(ApiErr::new(
                    413,
                    "invalid_request_error",
                    "content must be at most 100 kB (102,400 bytes)",
                ));
            }
            Ok(Some(s.clone()))
        }
        None | Some(Value::Null) if !required => Ok(None),
        None | Some(Value::Null) => Err(ApiErr::invalid("content: field required")),
        Some(_) => Err(ApiErr::invalid("content must be a string")),
    }
}

/// Creates a memory as `actor` (the API, or an agent in a session).
pub fn write_new(
    w: &mut World,
    store_id: &str,
    path: &str,
    content: &str,
    actor: Value,
) -> ApiResult<Value> {
    writable(w, store_id)?;
    if let Some(p) = path_problem(path) {
        return Err(ApiErr::invalid(p));
    }
    if let Some(holder) = w
        .memory
        .memories
        .iter()
        .find(|m| m["memory_store_id"] == store_id && m["path"] == path)
    {
        return Err(path_conflict(path, holder));
    }
    let id = w.id("mem");
    let now = w.now();
    let mut memory = json!({
        "id": id, "type": "memory", "memory_store_id": store_id, "path": path, "content": content,
        "content_sha256": sha256_hex(content), "content_size_bytes": content.len(),
        "memory_version_id": "", "created_at": now, "updated_at": now,
    });
    memory["memory_version_id"] = json!(record_version(w, &memory, "created", actor));
    w.memory.memories.push(memory.clone());
    Ok(memory)
}

/// Changes a memory's content and/or path as `actor`, checking the precondition.
pub fn write_update(
    w: &mut World,
    store_id: &str,
    id: &str,
    content: Option<String>,
    path: Option<String>,
    expected_sha: Option<&str>,
    actor: Value,
) -> ApiResult<Value> {
    writable(w, store_id)?;
    let index = w
        .memory
        .memories
        .iter()
        .position(|m| m["memory_store_id"] == store_id && m["id"] == id)
        .ok_or_else(|| ApiErr::not_found("memory", id))?;
    let current = w.memory.memories[index].clone();
    if let Some(expected) = expected_sha {
        if current["content_sha256"] != expected {
            return Err(precondition_failed(id));
        }
    }
    if let Some(p) = &path {
        if let Some(problem) = path_problem(p) {
            return Err(ApiErr::invalid(problem));
        }
        if let Some(holder) =
            w.memory.memories.iter().find(|m| {
                m["memory_store_id"] == store_id && m["path"] == p.as_str() && m["id"] != id
            })
        {
            return Err(path_conflict(p, holder));
        }
    }
    let mut next = current.clone();
    if let Some(c) = &content {
        next["content"] = json!(c);
        next["content_sha256"] = json!(sha256_hex(c));
        next["content_size_bytes"] = json!(c.len());
    }
    if let Some(p) = &path {
        next["path"] = json!(p);
    }
    if next == current {
        return Ok(current);
    }
    next["updated_at"] = json!(w.now());
    next["memory_version_id"] = json!(record_version(w, &next, "modified", actor));
    w.memory.memories[index] = next.clone();
    Ok(next)
}

// ---------------------------------------------------------------------------------------------
// Stores

pub async fn store_create(State(s): S, body: Bytes) -> ApiResult {
    let b = body_object(&body)?;
    let name = match b.get("name") {
        Some(Value::String(n)) if !n.trim().is_empty() && n.chars().count() <= 255 => n.clone(),
        Some(Value::String(_)) => return Err(ApiErr::invalid("name: must be 1 to 255 characters")),
        _ => return Err(ApiErr::invalid("name: field required")),
    };
    let description = match b.get("description") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(d)) if d.chars().count() <= 1024 => d.clone(),
        Some(_) => {
            return Err(ApiErr::invalid(
                "description: must be a string of at most 1024 characters",
            ))
        }
    };
    let metadata = match b.get("metadata") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => {
            check_metadata(m)?;
            m.clone()
        }
        Some(_) => {
            return Err(ApiErr::invalid("metadata must be an object").code("invalid_metadata"))
        }
    };
    let mut w = s.lock();
    let id = w.id("memstore");
    let now = w.now();
    let store = json!({"id": id, "type": "memory_store", "name": name, "description": description,
        "metadata": metadata, "created_at": now, "updated_at": now, "archived_at": Value::Null});
    w.memory.stores.push(store.clone());
    Ok(Json(store))
}

pub async fn store_get(State(s): S, Path(id): Path<String>) -> ApiResult {
    let mut w = s.lock();
    Ok(Json(store_of(&mut w, &id)?.clone()))
}

pub async fn store_update(State(s): S, Path(id): Path<String>, body: Bytes) -> ApiResult {
    let b = body_object(&body)?;
    let mut w = s.lock();
    let now = w.now();
    let store = store_of(&mut w, &id)?;
    let mut next = store.clone();
    if let Some(n) = b.get("name") {
        match n {
            Value::String(n) if !n.trim().is_empty() && n.chars().count() <= 255 => {
                next["name"] = json!(n)
            }
            _ => return Err(ApiErr::invalid("name: must be 1 to 255 characters")),
        }
    }
    if let Some(d) = b.get("description") {
        match d {
            Value::Null => next["description"] = json!(""),
            Value::String(d) if d.chars().count() <= 1024 => next["description"] = json!(d),
            _ => return Err(ApiErr::invalid("description: at most 1024 characters")),
        }
    }
    if let Some(patch) = b.get("metadata") {
        let mut m = next["metadata"].as_object().cloned().unwrap_or_default();
        patch_metadata(&mut m, patch, false)?;
        next["metadata"] = Value::Object(m);
    }
    if next != *store {
        next["updated_at"] = json!(now);
        *store = next;
    }
    Ok(Json(store.clone()))
}

pub async fn store_list(State(s): S, RawQuery(q): RawQuery) -> ApiResult {
    let q = Params::parse(q.as_deref());
    let include_archived = q.flag("include_archived")?;
    let w = s.lock();
    let items: Vec<Value> = w
        .memory
        .stores
        .iter()
        .filter(|v| include_archived || v["archived_at"].is_null())
        .cloned()
        .collect();
    let items = time_filter(&q, "created_at", items)?;
    paginate_keyed(items, &q, (20, 100), false, "created_at", false)
}

pub async fn store_delete(State(s): S, Path(id): Path<String>) -> ApiResult {
    let mut w = s.lock();
    let before = w.memory.stores.len();
    w.memory.stores.retain(|v| v["id"] != id.as_str());
    if w.memory.stores.len() == before {
        return Err(ApiErr::not_found("memory store", &id));
    }
    w.memory
        .memories
        .retain(|m| m["memory_store_id"] != id.as_str());
    w.memory
        .versions
        .retain(|m| m["memory_store_id"] != id.as_str());
    Ok(Json(json!({"id": id, "type": "memory_store_deleted"})))
}

pub async fn store_archive(State(s): S, Path(id): Path<String>) -> ApiResult {
    let mut w = s.lock();
    let now = w.now();
    let store = store_of(&mut w, &id)?;
    Ok(Json(archive_in_place(store, &now)))
}

// ---------------------------------------------------------------------------------------------
// Memories

pub async fn memory_create(
    State(s): S,
    Path(sid): Path<String>,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> ApiResult {
    let q = Params::parse(q.as_deref());
    let full = view_of(&q, false)?;
    let b = body_object(&body)?;
    let path = match b.get("path") {
        Some(Value::String(p)) => p.clone(),
        _ => return Err(ApiErr::invalid("path: field required")),
    };
    let content = content_of(&b, true)?.unwrap_or_default();
    let mut w = s.lock();
    store_of(&mut w, &sid)?;
    let memory = write_new(&mut w, &sid, &path, &content, api_actor())?;
    Ok(Json(shown(memory, full)))
}

pub async fn memory_get(
    State(s): S,
    Path((sid, id)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let q = Params::parse(q.as_deref());
    let full = view_of(&q, true)?;
    let mut w = s.lock();
    store_of(&mut w, &sid)?;
    let memory = w
        .memory
        .memories
        .iter()
        .find(|m| m["memory_store_id"] == sid.as_str() && m["id"] == id.as_str())
        .cloned()
        .ok_or_else(|| ApiErr::not_found("memory", &id))?;
    Ok(Json(shown(memory, full)))
}

pub async fn memory_update(
    State(s): S,
    Path((sid, id)): Path<(String, String)>,
    RawQuery(q): RawQuery,
    body: Bytes,
) -> ApiResult {
    let q = Params::parse(q.as_deref());
    let full = view_of(&q, false)?;
    let b = body_object(&body)?;
    let content = content_of(&b, false)?;
    let path = match b.get("path") {
        None | Some(Value::Null) => None,
        Some(Value::String(p)) => Some(p.clone()),
        Some(_) => return Err(ApiErr::invalid("path must be a string")),
    };
    let expected = match b.get("precondition") {
        None | Some(Value::Null) => None,
        Some(p) if p["type"] == "content_sha256" => Some(
            p["content_sha256"]
                .as_str()
                .ok_or_else(|| ApiErr::invalid("precondition.content_sha256: field required"))?
                .to_string(),
        ),
        Some(_) => return Err(ApiErr::invalid("precondition.type must be content_sha256")),
    };
    let mut w = s.lock();
    store_of(&mut w, &sid)?;
    let memory = write_update(
        &mut w,
        &sid,
        &id,
        content,
        path,
        expected.as_deref(),
        api_actor(),
    )?;
    Ok(Json(shown(memory, full)))
}

pub async fn memory_list(State(s): S, Path(sid): Path<String>, RawQuery(q): RawQuery) -> ApiResult {
    let q = Params::parse(q.as_deref());
    let full = view_of(&q, false)?;
    let prefix = q.get("path_prefix").unwrap_or("/").to_string();
    if !prefix.starts_with('/') || !prefix.ends_with('/') {
        return Err(ApiErr::invalid("path_prefix must start and end with /"));
    }
    let depth: usize = match q.get("depth") {
        None => 0,
        Some(d) => d
            .parse()
            .map_err(|_| ApiErr::invalid("depth must be a non-negative integer"))?,
    };
    let mut w = s.lock();
    store_of(&mut w, &sid)?;
    let mut memories: Vec<&Value> = w
        .memory
        .memories
        .iter()
        .filter(|m| m["memory_store_id"] == sid.as_str())
        .filter(|m| m["path"].as_str().is_some_and(|p| p.starts_with(&prefix)))
        .collect();
    memories.sort_by(|a, b| a["path"].as_str().cmp(&b["path"].as_str()));
    let mut items: Vec<Value> = Vec::new();
    for m in memories {
        let path = m["path"].as_str().unwrap_or("");
        let rest = &path[prefix.len()..];
        let segments: Vec<&str> = rest.split('/').collect();
        if depth > 0 && segments.len() > depth {
            let folder = format!("{prefix}{}/", segments[..depth].join("/"));
            if !items
                .iter()
                .any(|i| i["path"] == folder.as_str() && i["type"] == "memory_prefix")
            {
                items.push(json!({"type": "memory_prefix", "path": folder}));
            }
        } else {
            items.push(shown(m.clone(), full));
        }
    }
    let max = if full { 20 } else { 100 };
    paginate(items, &q, 20.min(max), max, false)
}

pub async fn memory_delete(
    State(s): S,
    Path((sid, id)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let q = Params::parse(q.as_deref());
    let mut w = s.lock();
    writable(&mut w, &sid)?;
    let index = w
        .memory
        .memories
        .iter()
        .position(|m| m["memory_store_id"] == sid.as_str() && m["id"] == id.as_str())
        .ok_or_else(|| ApiErr::not_found("memory", &id))?;
    if let Some(expected) = q.get("expected_content_sha256") {
        if w.memory.memories[index]["content_sha256"] != expected {
            return Err(precondition_failed(&id));
        }
    }
    let memory = w.memory.memories.remove(index);
    record_version(&mut w, &memory, "deleted", api_actor());
    Ok(Json(json!({"id": id, "type": "memory_deleted"})))
}

// ---------------------------------------------------------------------------------------------
// Versions

pub async fn version_list(
    State(s): S,
    Path(sid): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let q = Params::parse(q.as_deref());
    let full = view_of(&q, false)?;
    let operation = q.get("operation");
    if let Some(o) = operation {
        if !matches!(o, "created" | "modified" | "deleted") {
            return Err(ApiErr::invalid(
                "operation must be created, modified or deleted",
            ));
        }
    }
    let mut w = s.lock();
    store_of(&mut w, &sid)?;
    let by = |v: &Value, kind: &str, field: &str, want: Option<&str>| {
        want.is_none_or(|want| v["created_by"]["type"] == kind && v["created_by"][field] == want)
    };
    let items: Vec<Value> = w
        .memory
        .versions
        .iter()
        .rev()
        .filter(|v| v["memory_store_id"] == sid.as_str())
        .filter(|v| q.get("memory_id").is_none_or(|m| v["memory_id"] == m))
        .filter(|v| operation.is_none_or(|o| v["operation"] == o))
        .filter(|v| by(v, "session_actor", "session_id", q.get("session_id")))
        .filter(|v| by(v, "api_actor", "api_key_id", q.get("api_key_id")))
        .filter(|v| {
            by(
                v,
                "service_account_actor",
                "service_account_id",
                q.get("service_account_id"),
            )
        })
        .map(|v| shown(v.clone(), full))
        .collect();
    let items = time_filter(&q, "created_at", items)?;
    let max = if full { 20 } else { 100 };
    paginate(items, &q, 20, max, false)
}

pub async fn version_get(
    State(s): S,
    Path((sid, id)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let q = Params::parse(q.as_deref());
    let full = view_of(&q, true)?;
    let mut w = s.lock();
    store_of(&mut w, &sid)?;
    let v = w
        .memory
        .versions
        .iter()
        .find(|v| v["memory_store_id"] == sid.as_str() && v["id"] == id.as_str())
        .cloned()
        .ok_or_else(|| ApiErr::not_found("memory version", &id))?;
    Ok(Json(shown(v, full)))
}

pub async fn version_redact(State(s): S, Path((sid, id)): Path<(String, String)>) -> ApiResult {
    let mut w = s.lock();
    store_of(&mut w, &sid)?;
    let now = w.now();
    let live = w
        .memory
        .memories
        .iter()
        .any(|m| m["memory_version_id"] == id.as_str());
    let v = w
        .memory
        .versions
        .iter_mut()
        .find(|v| v["memory_store_id"] == sid.as_str() && v["id"] == id.as_str())
        .ok_or_else(|| ApiErr::not_found("memory version", &id))?;
    if live {
        return Err(ApiErr::new(
            409,
            "conflict_error",
            format!("version {id} is the memory's current content: change or delete the memory before redacting it"),
        ));
    }
    if v["redacted_at"].is_null() {
        for field in ["content", "content_sha256", "content_size_bytes", "path"] {
            v[field] = Value::Null;
        }
        v["redacted_at"] = json!(now);
        v["redacted_by"] = api_actor();
    }
    Ok(Json(v.clone()))
}
