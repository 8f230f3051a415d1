//! Environments: container templates (reference §5.2). `client.environments()`; the models
//! are [`hangar_model::environments`], re-exported here.

pub use hangar_model::environments::*;

use crate::client::{seg, Beta, Client};
use crate::page::{ListParams, Page};
use crate::{Deleted, Result};

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
