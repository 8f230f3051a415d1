//! Environments: container templates (reference §5.2). `client.environments()`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::client::{seg, Beta, Client};
use crate::page::{ListParams, Page};
use crate::patch::Patch;
use crate::{Deleted, Result};

/// An environment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Environment {
    /// `env_…`
    pub id: String,
    /// Its name.
    pub name: String,
    /// Optional description.
    #[serde(default)]
    pub description: Option<String>,
    /// `{type: cloud, networking, packages}` or `{type: self_hosted}`.
    pub config: Value,
    /// Metadata.
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// Set once archived.
    #[serde(default)]
    pub archived_at: Option<String>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `POST /v1/environments`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EnvironmentCreate {
    /// Required.
    pub name: String,
    /// Optional.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `{type: "cloud", networking?, packages?}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<Value>,
    /// Metadata.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
}

/// `POST /v1/environments/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EnvironmentUpdate {
    /// New name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Keep, clear or set.
    #[serde(skip_serializing_if = "Patch::is_keep")]
    pub description: Patch<String>,
    /// New config (omitted sub-fields are kept).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<Value>,
    /// Patch: `None` (or "") deletes a key.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, Option<String>>,
}

/// `client.environments()`.
#[derive(Debug, Clone, Copy)]
pub struct Environments<'a>(&'a Client);

impl Client {
    /// Environments.
    pub fn environments(&self) -> Environments<'_> {
        Environments(self)
    }
}

impl Environments<'_> {
    /// Creates one.
    pub async fn create(&self, body: &EnvironmentCreate) -> Result<Environment> {
        self.0
            .post("/v1/environments", body, Beta::ManagedAgents, "environment")
            .await
    }
    /// Reads one.
    pub async fn retrieve(&self, id: &str) -> Result<Environment> {
        self.0
            .get(
                &format!("/v1/environments/{}", seg(id)),
                &[],
                Beta::ManagedAgents,
                "environment",
            )
            .await
    }
    /// Changes one.
    pub async fn update(&self, id: &str, body: &EnvironmentUpdate) -> Result<Environment> {
        self.0
            .post(
                &format!("/v1/environments/{}", seg(id)),
                body,
                Beta::ManagedAgents,
                "environment",
            )
            .await
    }
    /// One page.
    pub async fn list(&self, params: &ListParams) -> Result<Page<Environment>> {
        self.0
            .list(
                "/v1/environments",
                params,
                Vec::new(),
                Beta::ManagedAgents,
                "environment list",
            )
            .await
    }
    /// Deletes one.
    pub async fn delete(&self, id: &str) -> Result<Deleted> {
        self.0
            .delete(
                &format!("/v1/environments/{}", seg(id)),
                Beta::ManagedAgents,
                "delete",
            )
            .await
    }
    /// Archives one (it can no longer start sessions).
    pub async fn archive(&self, id: &str) -> Result<Environment> {
        self.0
            .post_empty(
                &format!("/v1/environments/{}/archive", seg(id)),
                Beta::ManagedAgents,
                "environment",
            )
            .await
    }
}
