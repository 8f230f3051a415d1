//! Deployments (an agent, an environment and first messages, run now or on a cron schedule)
//! and their runs (reference §5.11, beta `managed-agents-2026-04-01`). Deployments cannot be
//! deleted, only archived. A run records whether a session was created: exactly one of
//! `session_id` and `error` is set.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::common::{open_enum, Budget, Metadata, MetadataPatch, Patch};
use crate::events::EventParams;
use crate::ids::{AgentId, DeploymentId, DeploymentRunId, EnvironmentId, SessionId, VaultId};
use crate::sessions::{AgentRef, ResourceParams};

/// `{type: "agent", id, version}`: the agent a deployment runs, version resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentReference {
    /// The agent.
    pub id: AgentId,
    /// The version pinned.
    #[serde(default)]
    pub version: u64,
}

/// When a deployment runs by itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// Always `cron`.
    #[serde(rename = "type", default = "cron_type")]
    pub kind: String,
    /// Five-field POSIX cron (`0 9 * * 1-5`).
    pub expression: String,
    /// IANA time zone the expression is read in (`Europe/Paris`).
    pub timezone: String,
    /// The last time it ran (answers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_run_at: Option<String>,
    /// The next times it will run (answers only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub upcoming_runs_at: Vec<String>,
}

fn cron_type() -> String {
    "cron".into()
}

impl Schedule {
    /// A cron schedule for a request.
    pub fn cron(expression: impl Into<String>, timezone: impl Into<String>) -> Self {
        Self {
            kind: cron_type(),
            expression: expression.into(),
            timezone: timezone.into(),
            last_run_at: None,
            upcoming_runs_at: Vec::new(),
        }
    }
}

open_enum! {
    /// Whether a deployment's schedule fires.
    pub enum DeploymentStatus {
        /// It runs on schedule.
        Active = "active",
        /// It does not (manually, or because of an error).
        Paused = "paused",
    }
}

/// Why a deployment is paused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PausedReason {
    /// Someone paused it.
    Manual,
    /// A run could not start: `error.type` says why (`agent_archived_error`, …).
    Error {
        /// `{type: "<x>_error", message?}`.
        error: RunError,
    },
    /// A reason this version does not know.
    #[serde(untagged)]
    Other(Value),
}

/// Why a run could not create its session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunError {
    /// `environment_archived_error`, `agent_archived_error`, `vault_not_found_error`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// What the API said.
    #[serde(default)]
    pub message: Option<String>,
}

impl RunError {
    /// The error in plain words.
    pub fn describe(&self) -> String {
        let what = match self.kind.as_str() {
            "environment_archived_error" => "its environment was archived",
            "environment_not_found_error" => "its environment no longer exists",
            "agent_archived_error" => "its agent was archived",
            "vault_not_found_error" => "one of its vaults no longer exists",
            "vault_archived_error" => "one of its vaults was archived",
            "file_not_found_error" => "one of its files no longer exists",
            "memory_store_archived_error" => "one of its memory stores was archived",
            "skill_not_found_error" => "one of its agent's skills no longer exists",
            "session_resource_not_found_error" => "one of its resources no longer exists",
            "workspace_archived_error" => "its workspace was archived",
            "organization_disabled_error" => "the organization is disabled",
            "session_rate_limited_error" => "too many sessions were starting at once",
            "session_creation_rejected_error" => "the session was refused",
            "self_hosted_resources_unsupported_error" => {
                "self-hosted environments cannot mount these resources"
            }
            "mcp_egress_blocked_error" => "its MCP servers are blocked by the network rules",
            _ => "",
        };
        match (what, &self.message) {
            ("", Some(m)) => m.clone(),
            ("", None) => self.kind.replace('_', " "),
            (w, _) => w.to_string(),
        }
    }
}

/// A deployment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deployment {
    /// `depl_…`
    pub id: DeploymentId,
    /// Its name.
    pub name: String,
    /// Its description.
    #[serde(default)]
    pub description: Option<String>,
    /// The agent, version resolved.
    pub agent: AgentReference,
    /// Where sessions run.
    pub environment_id: EnvironmentId,
    /// The first events of every session it starts (as sent).
    #[serde(default)]
    pub initial_events: Vec<Value>,
    /// Resources of every session (as configured).
    #[serde(default)]
    pub resources: Vec<Value>,
    /// Vaults of every session.
    #[serde(default)]
    pub vault_ids: Vec<VaultId>,
    /// Metadata.
    #[serde(default)]
    pub metadata: Metadata,
    /// When it runs by itself (`None`: only when run by hand).
    #[serde(default)]
    pub schedule: Option<Schedule>,
    /// Active or paused.
    pub status: DeploymentStatus,
    /// Why paused.
    #[serde(default)]
    pub paused_reason: Option<PausedReason>,
    /// Budget of each session.
    #[serde(default)]
    pub budget: Option<Budget>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// Set once archived.
    #[serde(default)]
    pub archived_at: Option<String>,
    /// Every other field (`type`, newer fields).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Deployment {
    /// The text of the first user message, for lists.
    pub fn first_message(&self) -> Option<String> {
        self.initial_events
            .iter()
            .find(|e| e["type"] == "user.message")
            .and_then(|e| e["content"].as_array())
            .map(|blocks| {
                blocks
                    .iter()
                    .filter_map(|b| b["text"].as_str())
                    .collect::<Vec<_>>()
                    .join("\n")
            })
    }
}

/// `POST /v1/deployments`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeploymentCreate {
    /// The agent: its latest version now, or a pinned one.
    pub agent: AgentRef,
    /// Where sessions run.
    pub environment_id: EnvironmentId,
    /// 1-255 chars.
    pub name: String,
    /// 1-50 `user.message` / `user.define_outcome` / `system.message`.
    pub initial_events: Vec<EventParams>,
    /// Budget of each session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<Budget>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Metadata.
    #[serde(default, skip_serializing_if = "Metadata::is_empty")]
    pub metadata: Metadata,
    /// ≤ 500.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<ResourceParams>,
    /// The schedule; none runs only by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Schedule>,
    /// ≤ 50.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vault_ids: Vec<VaultId>,
}

impl DeploymentCreate {
    /// A deployment of `agent` in `environment_id` that says `message`, with nothing else.
    pub fn new(
        name: impl Into<String>,
        agent: AgentRef,
        environment_id: impl Into<EnvironmentId>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            agent,
            environment_id: environment_id.into(),
            name: name.into(),
            initial_events: vec![EventParams::message(message)],
            budget: None,
            description: None,
            metadata: Metadata::new(),
            resources: Vec::new(),
            schedule: None,
            vault_ids: Vec::new(),
        }
    }
}

/// `POST /v1/deployments/{id}`: every field optional; lists replace.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DeploymentUpdate {
    /// New agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<AgentRef>,
    /// New environment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment_id: Option<EnvironmentId>,
    /// New name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Keep, clear or set.
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub description: Patch<String>,
    /// New first events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_events: Option<Vec<EventParams>>,
    /// Keep, remove or set.
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub budget: Patch<Budget>,
    /// Patch: `None` deletes a key.
    #[serde(default, skip_serializing_if = "MetadataPatch::is_empty")]
    pub metadata: MetadataPatch,
    /// New resources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Vec<ResourceParams>>,
    /// Keep, remove (run only by hand) or set.
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub schedule: Patch<Schedule>,
    /// New vaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vault_ids: Option<Vec<VaultId>>,
}

/// What started a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TriggerContext {
    /// The schedule, for this time.
    Schedule {
        /// The scheduled instant (RFC 3339).
        scheduled_at: String,
    },
    /// Someone pressed Run now.
    Manual,
    /// A trigger this version does not know.
    #[serde(untagged)]
    Other(Value),
}

/// One run of a deployment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeploymentRun {
    /// `drun_…`
    pub id: DeploymentRunId,
    /// Its deployment.
    pub deployment_id: DeploymentId,
    /// The agent as it was when the run fired.
    pub agent: AgentReference,
    /// The session it started (or `None` with `error`).
    #[serde(default)]
    pub session_id: Option<SessionId>,
    /// Why no session started.
    #[serde(default)]
    pub error: Option<RunError>,
    /// Schedule or manual.
    pub trigger_context: TriggerContext,
    /// RFC 3339.
    pub created_at: String,
    /// Every other field (`type`, newer fields).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reference_examples_read() {
        let d: Deployment = serde_json::from_value(json!({
            "id": "depl_011CZkZcDH3vPqd7xnEfwTai", "type": "deployment", "name": "Nightly triage",
            "description": null, "agent": {"type": "agent", "id": "agent_011CZkYpogX7uDKUyvBTophP", "version": 3},
            "environment_id": "env_011CZkZ9X2dpNyB7HsEFoRfW",
            "initial_events": [{"type": "user.message", "content": [{"type": "text", "text": "Triage new issues."}]}],
            "resources": [], "vault_ids": [], "metadata": {},
            "schedule": {"type": "cron", "expression": "0 9 * * 1-5", "timezone": "UTC", "last_run_at": null, "upcoming_runs_at": ["2026-11-23T09:00:00Z"]},
            "status": "active", "paused_reason": null, "budget": null,
            "created_at": "2026-11-20T10:00:00.000000Z", "updated_at": "2026-11-20T10:00:00.000000Z", "archived_at": null
        }))
        .unwrap();
        assert_eq!(d.first_message().as_deref(), Some("Triage new issues."));
        assert_eq!(d.schedule.unwrap().upcoming_runs_at.len(), 1);
        let r: DeploymentRun = serde_json::from_str(r#"{"id":"drun_01","type":"deployment_run","deployment_id":"depl_011CZkZcDH3vPqd7xnEfwTai","agent":{"type":"agent","id":"agent_011CZkYpogX7uDKUyvBTophP","version":3},"session_id":"sesn_1","error":null,"trigger_context":{"type":"schedule","scheduled_at":"2026-11-23T09:00:00Z"},"created_at":"2026-11-23T09:00:04Z"}"#).unwrap();
        assert!(matches!(r.trigger_context, TriggerContext::Schedule { .. }));
        let p: PausedReason =
            serde_json::from_value(json!({"type":"error","error":{"type":"agent_archived_error"}}))
                .unwrap();
        match p {
            PausedReason::Error { error } => {
                assert_eq!(error.describe(), "its agent was archived")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn create_body() {
        let mut b =
            DeploymentCreate::new("Daily", AgentRef::latest("agent_1"), "env_1", "Summarise");
        b.schedule = Some(Schedule::cron("0 9 * * 1-5", "Europe/Paris"));
        assert_eq!(
            serde_json::to_value(&b).unwrap(),
            json!({"agent":"agent_1","environment_id":"env_1","name":"Daily",
                "initial_events":[{"type":"user.message","content":[{"type":"text","text":"Summarise"}]}],
                "schedule":{"type":"cron","expression":"0 9 * * 1-5","timezone":"Europe/Paris"}})
        );
        let u = DeploymentUpdate {
            schedule: Patch::Clear,
            ..Default::default()
        };
        assert_eq!(serde_json::to_value(&u).unwrap(), json!({"schedule": null}));
    }
}
