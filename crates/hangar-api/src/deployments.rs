//! Deployments and deployment runs (reference §5.11), beta `managed-agents-2026-04-01`.
//! `client.deployments()` and `client.deployment_runs()`; the models are
//! [`hangar_model::deployments`], re-exported here. Deployments have no delete: archive them.

pub use hangar_model::deployments::*;

use crate::client::{seg, Beta, Client};
use crate::page::{ListParams, Page};
use crate::Result;

/// Filters of `GET /v1/deployments`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeploymentListParams {
    /// limit / page / include_archived.
    pub list: ListParams,
    /// Only this agent's.
    pub agent_id: Option<String>,
    /// Only active or paused ones.
    pub status: Option<DeploymentStatus>,
    /// `created_at[gte]`.
    pub created_gte: Option<String>,
    /// `created_at[lte]`.
    pub created_lte: Option<String>,
}

/// Filters of `GET /v1/deployment_runs`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeploymentRunListParams {
    /// limit / page.
    pub list: ListParams,
    /// Only this deployment's runs.
    pub deployment_id: Option<String>,
    /// Only failed (`true`) or successful (`false`) ones.
    pub has_error: Option<bool>,
    /// `schedule` or `manual`.
    pub trigger_type: Option<String>,
    /// `created_at[gt]`.
    pub created_gt: Option<String>,
    /// `created_at[gte]`.
    pub created_gte: Option<String>,
    /// `created_at[lt]`.
    pub created_lt: Option<String>,
    /// `created_at[lte]`.
    pub created_lte: Option<String>,
}

/// `client.deployments()`.
#[derive(Debug, Clone, Copy)]
pub struct Deployments<'a>(&'a Client);

/// `client.deployment_runs()`.
#[derive(Debug, Clone, Copy)]
pub struct DeploymentRuns<'a>(&'a Client);

impl Client {
    /// Deployments (scheduled agents).
    pub fn deployments(&self) -> Deployments<'_> {
        Deployments(self)
    }
    /// The runs of every deployment.
    pub fn deployment_runs(&self) -> DeploymentRuns<'_> {
        DeploymentRuns(self)
    }
}

impl Deployments<'_> {
    /// Creates a deployment (active; it runs on its schedule, if any).
    pub async fn create(&self, body: &DeploymentCreate) -> Result<Deployment> {
        self.0
            .post("/v1/deployments", body, Beta::ManagedAgents, "deployment")
            .await
    }
    /// Reads one.
    pub async fn retrieve(&self, id: &str) -> Result<Deployment> {
        self.0
            .get(
                &format!("/v1/deployments/{}", seg(id)),
                &[],
                Beta::ManagedAgents,
                "deployment",
            )
            .await
    }
    /// Changes it (lists replace; metadata is a patch).
    pub async fn update(&self, id: &str, body: &DeploymentUpdate) -> Result<Deployment> {
        self.0
            .post(
                &format!("/v1/deployments/{}", seg(id)),
                body,
                Beta::ManagedAgents,
                "deployment",
            )
            .await
    }
    /// One page.
    pub async fn list(&self, params: &DeploymentListParams) -> Result<Page<Deployment>> {
        let mut extra = Vec::new();
        if let Some(a) = &params.agent_id {
            extra.push(("agent_id".into(), a.clone()));
        }
        if let Some(s) = &params.status {
            extra.push(("status".into(), s.to_string()));
        }
        if let Some(t) = &params.created_gte {
            extra.push(("created_at[gte]".into(), t.clone()));
        }
        if let Some(t) = &params.created_lte {
            extra.push(("created_at[lte]".into(), t.clone()));
        }
        self.0
            .list(
                "/v1/deployments",
                &params.list,
                extra,
                Beta::ManagedAgents,
                "deployment list",
            )
            .await
    }
    /// Archives it (it stops running; there is no delete).
    pub async fn archive(&self, id: &str) -> Result<Deployment> {
        self.post_action(id, "archive").await
    }
    /// Pauses its schedule.
    pub async fn pause(&self, id: &str) -> Result<Deployment> {
        self.post_action(id, "pause").await
    }
    /// Resumes its schedule.
    pub async fn unpause(&self, id: &str) -> Result<Deployment> {
        self.post_action(id, "unpause").await
    }
    /// Runs it now: a session starts (or the run records why not).
    pub async fn run(&self, id: &str) -> Result<DeploymentRun> {
        self.0
            .post_empty(
                &format!("/v1/deployments/{}/run", seg(id)),
                Beta::ManagedAgents,
                "deployment run",
            )
            .await
    }

    async fn post_action(&self, id: &str, action: &str) -> Result<Deployment> {
        self.0
            .post_empty(
                &format!("/v1/deployments/{}/{action}", seg(id)),
                Beta::ManagedAgents,
                "deployment",
            )
            .await
    }
}

impl DeploymentRuns<'_> {
    /// Reads one run.
    pub async fn retrieve(&self, id: &str) -> Result<DeploymentRun> {
        self.0
            .get(
                &format!("/v1/deployment_runs/{}", seg(id)),
                &[],
                Beta::ManagedAgents,
                "deployment run",
            )
            .await
    }
    /// One page of runs, newest first.
    pub async fn list(&self, params: &DeploymentRunListParams) -> Result<Page<DeploymentRun>> {
        let mut extra = Vec::new();
        for (k, v) in [
            ("deployment_id", &params.deployment_id),
            ("trigger_type", &params.trigger_type),
            ("created_at[gt]", &params.created_gt),
            ("created_at[gte]", &params.created_gte),
            ("created_at[lt]", &params.created_lt),
            ("created_at[lte]", &params.created_lte),
        ] {
            if let Some(v) = v {
                extra.push((k.to_string(), v.clone()));
            }
        }
        if let Some(e) = params.has_error {
            extra.push(("has_error".into(), e.to_string()));
        }
        self.0
            .list(
                "/v1/deployment_runs",
                &params.list,
                extra,
                Beta::ManagedAgents,
                "deployment run list",
            )
            .await
    }
}
