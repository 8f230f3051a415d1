//! Memory stores, their memories and memory versions (reference §5.10), all with the beta
//! header `agent-memory-2026-07-22` (not managed-agents). `client.memory_stores()`; the models
//! are [`hangar_model::memory`], re-exported here.
//!
//! A memory update or delete with a content-hash precondition that no longer holds, or a move
//! onto a taken path, answers 409; those are returned at once (never retried: the answer would
//! not change) as [`crate::Error::Api`], and [`conflict`] reads which conflict it was.

pub use hangar_model::memory::*;

use reqwest::Method;

use crate::client::{seg, Beta, Body, Client, Retry};
use crate::page::{ListParams, Page};
use crate::{Deleted, Error, Result};

/// Filters of `GET /v1/memory_stores/{id}/memories`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemoryListParams {
    /// limit / page (`include_archived` is not used here).
    pub list: ListParams,
    /// Only below this folder (ends with `/`, matches whole segments).
    pub path_prefix: Option<String>,
    /// 0 (default): everything below; 1: direct children, deeper ones as `memory_prefix`.
    pub depth: Option<u32>,
    /// Include content (at most 20 per page).
    pub view: Option<MemoryView>,
}

/// Filters of `GET /v1/memory_stores/{id}/memory_versions`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemoryVersionListParams {
    /// limit / page.
    pub list: ListParams,
    /// Only this memory's versions (still works after it is deleted).
    pub memory_id: Option<String>,
    /// Only those written by this session.
    pub session_id: Option<String>,
    /// Only those written with this API key.
    pub api_key_id: Option<String>,
    /// Only those written by this service account.
    pub service_account_id: Option<String>,
    /// Only this kind of change.
    pub operation: Option<MemoryOperation>,
    /// `created_at[gte]`.
    pub created_gte: Option<String>,
    /// `created_at[lte]`.
    pub created_lte: Option<String>,
    /// Include content.
    pub view: Option<MemoryView>,
}

/// Filters of `GET /v1/memory_stores`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemoryStoreListParams {
    /// limit / page / include_archived.
    pub list: ListParams,
    /// `created_at[gte]`.
    pub created_gte: Option<String>,
    /// `created_at[lte]`.
    pub created_lte: Option<String>,
}

/// Which memory 409 an error is, if it is one.
pub fn conflict(error: &Error) -> Option<MemoryConflict> {
    match error {
        Error::Api(e) if e.status == 409 => MemoryConflict::from_body(&e.raw),
        _ => None,
    }
}

fn view_query(view: Option<&MemoryView>) -> Vec<(String, String)> {
    view.map(|v| vec![("view".to_string(), v.to_string())])
        .unwrap_or_default()
}

/// `client.memory_stores()`.
#[derive(Debug, Clone, Copy)]
pub struct MemoryStores<'a>(&'a Client);

impl Client {
    /// Memory stores, their memories and versions.
    pub fn memory_stores(&self) -> MemoryStores<'_> {
        MemoryStores(self)
    }
}

impl MemoryStores<'_> {
    /// Creates a store.
    pub async fn create(&self, body: &MemoryStoreCreate) -> Result<MemoryStore> {
        self.0
            .post("/v1/memory_stores", body, Beta::Memory, "memory store")
            .await
    }
    /// Reads one.
    pub async fn retrieve(&self, id: &str) -> Result<MemoryStore> {
        self.0
            .get(
                &format!("/v1/memory_stores/{}", seg(id)),
                &[],
                Beta::Memory,
                "memory store",
            )
            .await
    }
    /// Renames, describes, patches metadata.
    pub async fn update(&self, id: &str, body: &MemoryStoreUpdate) -> Result<MemoryStore> {
        self.0
            .post(
                &format!("/v1/memory_stores/{}", seg(id)),
                body,
                Beta::Memory,
                "memory store",
            )
            .await
    }
    /// One page of stores.
    pub async fn list(&self, params: &MemoryStoreListParams) -> Result<Page<MemoryStore>> {
        let mut extra = Vec::new();
        if let Some(t) = &params.created_gte {
            extra.push(("created_at[gte]".into(), t.clone()));
        }
        if let Some(t) = &params.created_lte {
            extra.push(("created_at[lte]".into(), t.clone()));
        }
        self.0
            .list(
                "/v1/memory_stores",
                &params.list,
                extra,
                Beta::Memory,
                "memory store list",
            )
            .await
    }
    /// Deletes a store with everything in it.
    pub async fn delete(&self, id: &str) -> Result<Deleted> {
        self.0
            .delete(
                &format!("/v1/memory_stores/{}", seg(id)),
                Beta::Memory,
                "delete",
            )
            .await
    }
    /// Archives a store (cannot be undone; it can no longer be attached to new sessions).
    pub async fn archive(&self, id: &str) -> Result<MemoryStore> {
        self.0
            .post_empty(
                &format!("/v1/memory_stores/{}/archive", seg(id)),
                Beta::Memory,
                "memory store",
            )
            .await
    }

    /// Writes a new memory.
    pub async fn create_memory(
        &self,
        store_id: &str,
        body: &MemoryCreate,
        view: Option<MemoryView>,
    ) -> Result<Memory> {
        let value = serde_json::to_value(body).map_err(|e| Error::Invalid(e.to_string()))?;
        self.0
            .json(
                Method::POST,
                &format!("/v1/memory_stores/{}/memories", seg(store_id)),
                &view_query(view.as_ref()),
                Body::Json(value),
                Beta::Memory,
                Retry::ConflictIsApi,
                "memory",
            )
            .await
    }
    /// Reads one (with content unless `view` is basic).
    pub async fn retrieve_memory(
        &self,
        store_id: &str,
        id: &str,
        view: Option<MemoryView>,
    ) -> Result<Memory> {
        self.0
            .get(
                &format!("/v1/memory_stores/{}/memories/{}", seg(store_id), seg(id)),
                &view_query(view.as_ref()),
                Beta::Memory,
                "memory",
            )
            .await
    }
    /// Changes content and/or path, optionally only if the content hash still matches.
    pub async fn update_memory(
        &self,
        store_id: &str,
        id: &str,
        body: &MemoryUpdate,
        view: Option<MemoryView>,
    ) -> Result<Memory> {
        let value = serde_json::to_value(body).map_err(|e| Error::Invalid(e.to_string()))?;
        self.0
            .json(
                Method::POST,
                &format!("/v1/memory_stores/{}/memories/{}", seg(store_id), seg(id)),
                &view_query(view.as_ref()),
                Body::Json(value),
                Beta::Memory,
                Retry::ConflictIsApi,
                "memory",
            )
            .await
    }
    /// One page of memories and folders.
    pub async fn list_memories(
        &self,
        store_id: &str,
        params: &MemoryListParams,
    ) -> Result<Page<MemoryListItem>> {
        let mut extra = Vec::new();
        if let Some(p) = &params.path_prefix {
            extra.push(("path_prefix".into(), p.clone()));
        }
        if let Some(d) = params.depth {
            extra.push(("depth".into(), d.to_string()));
        }
        extra.extend(view_query(params.view.as_ref()));
        self.0
            .list(
                &format!("/v1/memory_stores/{}/memories", seg(store_id)),
                &params.list,
                extra,
                Beta::Memory,
                "memory list",
            )
            .await
    }
    /// Deletes one, optionally only if its content hash still matches.
    pub async fn delete_memory(
        &self,
        store_id: &str,
        id: &str,
        expected_content_sha256: Option<&str>,
    ) -> Result<Deleted> {
        let query: Vec<(String, String)> = expected_content_sha256
            .map(|h| vec![("expected_content_sha256".to_string(), h.to_string())])
            .unwrap_or_default();
        self.0
            .json(
                Method::DELETE,
                &format!("/v1/memory_stores/{}/memories/{}", seg(store_id), seg(id)),
                &query,
                Body::Empty,
                Beta::Memory,
                Retry::ConflictIsApi,
                "delete",
            )
            .await
    }

    /// One page of the store's history, newest first.
    pub async fn list_versions(
        &self,
        store_id: &str,
        params: &MemoryVersionListParams,
    ) -> Result<Page<MemoryVersion>> {
        let mut extra = Vec::new();
        for (k, v) in [
            ("memory_id", &params.memory_id),
            ("session_id", &params.session_id),
            ("api_key_id", &params.api_key_id),
            ("service_account_id", &params.service_account_id),
            ("created_at[gte]", &params.created_gte),
            ("created_at[lte]", &params.created_lte),
        ] {
            if let Some(v) = v {
                extra.push((k.to_string(), v.clone()));
            }
        }
        if let Some(o) = &params.operation {
            extra.push(("operation".into(), o.to_string()));
        }
        extra.extend(view_query(params.view.as_ref()));
        self.0
            .list(
                &format!("/v1/memory_stores/{}/memory_versions", seg(store_id)),
                &params.list,
                extra,
                Beta::Memory,
                "memory version list",
            )
            .await
    }
    /// Reads one version (with content unless `view` is basic or it was redacted).
    pub async fn retrieve_version(
        &self,
        store_id: &str,
        id: &str,
        view: Option<MemoryView>,
    ) -> Result<MemoryVersion> {
        self.0
            .get(
                &format!(
                    "/v1/memory_stores/{}/memory_versions/{}",
                    seg(store_id),
                    seg(id)
                ),
                &view_query(view.as_ref()),
                Beta::Memory,
                "memory version",
            )
            .await
    }
    /// Redacts a version: its content, path and hash are erased for good; its author stays.
    pub async fn redact_version(&self, store_id: &str, id: &str) -> Result<MemoryVersion> {
        self.0
            .post_empty(
                &format!(
                    "/v1/memory_stores/{}/memory_versions/{}/redact",
                    seg(store_id),
                    seg(id)
                ),
                Beta::Memory,
                "memory version",
            )
            .await
    }
}
