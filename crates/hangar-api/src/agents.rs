//! Agents: versioned configuration (reference §5.1). `client.agents()`; the models are
//! [`hangar_model::agents`], re-exported here.

pub use hangar_model::agents::*;

use crate::client::{seg, Beta, Body, Client, Retry};
use crate::page::{ListParams, Page};
use crate::{Deleted, Result};

/// `client.agents()`.
#[derive(Debug, Clone, Copy)]
pub struct Agents<'a>(&'a Client);

impl Client {
    /// Agents.
    pub fn agents(&self) -> Agents<'_> {
        Agents(self)
    }
}

impl Agents<'_> {
    /// Creates an agent (version 1).
    pub async fn create(&self, body: &AgentCreate) -> Result<Agent> {
        self.0
            .post("/v1/agents", body, Beta::ManagedAgents, "agent")
            .await
    }

    /// The latest version, or `version`.
    pub async fn retrieve(&self, id: &str, version: Option<u64>) -> Result<Agent> {
        let q: Vec<(String, String)> = version
            .map(|v| ("version".to_string(), v.to_string()))
            .into_iter()
            .collect();
        self.0
            .get(
                &format!("/v1/agents/{}", seg(id)),
                &q,
                Beta::ManagedAgents,
                "agent",
            )
            .await
    }

    /// Saves a new version. With `body.version` set, a stale version is a `VersionConflict`
    /// (never retried: the user decides between reloading and overwriting).
    pub async fn update(&self, id: &str, body: &AgentUpdate) -> Result<Agent> {
        let retry = if body.version.is_some() {
            Retry::ConflictIsFinal
        } else {
            Retry::Standard
        };
        let value = serde_json::to_value(body).map_err(|e| crate::Error::Invalid(e.to_string()))?;
        self.0
            .json(
                reqwest::Method::POST,
                &format!("/v1/agents/{}", seg(id)),
                &[],
                Body::Json(value),
                Beta::ManagedAgents,
                retry,
                "agent",
            )
            .await
    }

    /// One page of agents.
    pub async fn list(&self, params: &ListParams) -> Result<Page<Agent>> {
        self.0
            .list(
                "/v1/agents",
                params,
                Vec::new(),
                Beta::ManagedAgents,
                "agent list",
            )
            .await
    }

    /// Archives it (agents cannot be deleted through any current SDK).
    pub async fn archive(&self, id: &str) -> Result<Agent> {
        self.0
            .post_empty(
                &format!("/v1/agents/{}/archive", seg(id)),
                Beta::ManagedAgents,
                "agent",
            )
            .await
    }

    /// One page of its versions (full agent objects).
    pub async fn versions(&self, id: &str, params: &ListParams) -> Result<Page<Agent>> {
        self.0
            .list(
                &format!("/v1/agents/{}/versions", seg(id)),
                params,
                Vec::new(),
                Beta::ManagedAgents,
                "agent versions",
            )
            .await
    }

    /// The older guide's `DELETE /v1/agents/{id}` with `anthropic-beta: agent-api-2026-03-01`
    /// alone. Servers without it answer 404/405/400: callers should then say that agents can
    /// only be archived (reference, note at the top).
    pub async fn delete(&self, id: &str) -> Result<Deleted> {
        let path = format!("/v1/agents/{}", seg(id));
        self.0
            .json(
                reqwest::Method::DELETE,
                &path,
                &[],
                Body::Empty,
                Beta::LegacyAgents,
                Retry::Never,
                "delete",
            )
            .await
    }
}
