//! Sessions, their resources and threads (reference §5.3, §5.5, §5.6).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::agents::{
    AgentToolsUpdate, ExecutionIdentity, McpServer, ModelConfig, ModelSpec, SkillRef, Tool,
};
use crate::common::{open_enum, Budget, Metadata, MetadataPatch, Money, Patch, Secret};
use crate::events::EventParams;
use crate::ids::{
    AgentId, DeploymentId, EnvironmentId, FileId, MemoryStoreId, OutcomeId, ResourceId, SessionId,
    ThreadId, VaultId,
};

open_enum! {
    /// Where a session (or thread) stands. Sessions start idle.
    pub enum SessionStatus {
        /// Waiting for input: a message, a tool confirmation or a custom tool result.
        Idle = "idle",
        /// The agent is working.
        Running = "running",
        /// A transient error: retrying by itself.
        Rescheduling = "rescheduling",
        /// Ended (error or completion); accepts no more input.
        Terminated = "terminated",
    }
}

impl SessionStatus {
    /// The status a `session.status_*` event type moves the session to (`None` for any
    /// other type). The one table the cache and the views share.
    pub fn set_by_event(event_type: &str) -> Option<SessionStatus> {
        Some(match event_type {
            "session.status_running" => SessionStatus::Running,
            "session.status_idle" => SessionStatus::Idle,
            "session.status_rescheduled" => SessionStatus::Rescheduling,
            "session.status_terminated" => SessionStatus::Terminated,
            _ => return None,
        })
    }
}

/// A session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// `sesn_…`
    pub id: SessionId,
    /// idle / running / rescheduling / terminated (open set).
    pub status: SessionStatus,
    /// Optional title.
    #[serde(default)]
    pub title: Option<String>,
    /// Its environment.
    pub environment_id: EnvironmentId,
    /// Snapshot of the agent it runs, resolved at creation.
    pub agent: SessionAgent,
    /// Repositories, files and memory stores mounted in it.
    #[serde(default)]
    pub resources: Vec<SessionResource>,
    /// Vaults whose credentials it may use.
    #[serde(default)]
    pub vault_ids: Vec<VaultId>,
    /// Key/value metadata.
    #[serde(default)]
    pub metadata: Metadata,
    /// The spending cap, if any.
    #[serde(default)]
    pub budget: Option<Budget>,
    /// Outcomes defined with `user.define_outcome` and how their evaluation went.
    #[serde(default)]
    pub outcome_evaluations: Vec<OutcomeEvaluation>,
    /// Time spent.
    #[serde(default)]
    pub stats: SessionStats,
    /// Tokens and cost so far.
    #[serde(default)]
    pub usage: Usage,
    /// The deployment that started it, if one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_id: Option<DeploymentId>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// Set once archived.
    #[serde(default)]
    pub archived_at: Option<String>,
    /// Every other field, as received (`type`, newer fields).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The agent a session runs, as resolved when it was created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionAgent {
    /// The agent.
    pub id: AgentId,
    /// Which of its versions.
    pub version: u64,
    /// Its name.
    pub name: String,
    /// Its description.
    #[serde(default)]
    pub description: Option<String>,
    /// Its system prompt.
    #[serde(default)]
    pub system: Option<String>,
    /// Its model.
    pub model: ModelConfig,
    /// Its tools.
    #[serde(default)]
    pub tools: Vec<Tool>,
    /// Its MCP servers.
    #[serde(default)]
    pub mcp_servers: Vec<McpServer>,
    /// Its skills.
    #[serde(default)]
    pub skills: Vec<SkillRef>,
    /// The multi-agent setup, with full agent definitions instead of references.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiagent: Option<Value>,
    /// Who it acts as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_identity: Option<ExecutionIdentity>,
    /// Every other field (`type`, newer fields).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `stats`: time spent, in seconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionStats {
    /// Time the agent was actually working.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_seconds: Option<f64>,
    /// Time since creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<f64>,
    /// Time to start (threads only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub startup_seconds: Option<f64>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Tokens and cost: on a session, a thread, and in `session.usage` events.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    /// Input tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_tokens: Option<u64>,
    /// Output tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_tokens: Option<u64>,
    /// Input tokens read from the prompt cache.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_read_input_tokens: Option<u64>,
    /// Input tokens written to the prompt cache, by lifetime.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_creation: Option<CacheCreation>,
    /// Server-side tool calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_tool_use: Option<ServerToolUse>,
    /// The cost at list prices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_cost: Option<Money>,
    /// Time the agent was working.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_seconds: Option<f64>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `usage.cache_creation`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheCreation {
    /// Written with a 5-minute lifetime.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ephemeral_5m_input_tokens: Option<u64>,
    /// Written with a 1-hour lifetime.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ephemeral_1h_input_tokens: Option<u64>,
}

/// `usage.server_tool_use`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerToolUse {
    /// `web_search` calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_search_requests: Option<u64>,
    /// `web_fetch` calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_fetch_requests: Option<u64>,
}

open_enum! {
    /// Where an outcome evaluation stands.
    pub enum OutcomeResult {
        /// Not started.
        Pending = "pending",
        /// The agent is working on it.
        Running = "running",
        /// Being judged.
        Evaluating = "evaluating",
        /// Met (terminal).
        Satisfied = "satisfied",
        /// Another iteration is needed (evaluation spans only).
        NeedsRevision = "needs_revision",
        /// Gave up after `max_iterations` (terminal).
        MaxIterationsReached = "max_iterations_reached",
        /// Failed (terminal).
        Failed = "failed",
        /// Interrupted by the user (terminal).
        Interrupted = "interrupted",
    }
}

/// One entry of `session.outcome_evaluations`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutcomeEvaluation {
    /// `outc_…`
    pub outcome_id: OutcomeId,
    /// What the outcome asks for.
    #[serde(default)]
    pub description: String,
    /// 0-based.
    #[serde(default)]
    pub iteration: u32,
    /// Where it stands.
    pub result: OutcomeResult,
    /// The judge's explanation.
    #[serde(default)]
    pub explanation: Option<String>,
    /// Set once terminal.
    #[serde(default)]
    pub completed_at: Option<String>,
    /// Every other field (`type`, newer fields).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// What to check out of a repository.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Checkout {
    /// A branch.
    Branch {
        /// Its name.
        name: String,
    },
    /// A commit.
    Commit {
        /// Its SHA.
        sha: String,
    },
    /// A form this version does not know.
    #[serde(untagged)]
    Other(Value),
}

open_enum! {
    /// How a session may use a memory store.
    pub enum MemoryAccess {
        /// Read and write (the default).
        ReadWrite = "read_write",
        /// Read only.
        ReadOnly = "read_only",
    }
}

/// A resource attached to a session, as the API returns it (tokens are never returned).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SessionResource {
    /// A GitHub repository checked out in the container.
    GithubRepository(RepositoryResource),
    /// An uploaded file mounted in the container.
    File(FileResource),
    /// A memory store mounted in the container.
    MemoryStore(MemoryStoreResource),
    /// A kind this version does not know, kept as received.
    #[serde(untagged)]
    Other(Value),
}

/// `{type: "github_repository", …}`. Unknown fields are dropped rather than kept: this is
/// where a repository token would appear if a server ever echoed one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RepositoryResource {
    /// `sesrsc_…`
    pub id: ResourceId,
    /// The repository URL.
    pub url: String,
    /// Where it is checked out (default `/workspace/<repo-name>`).
    #[serde(default)]
    pub mount_path: Option<String>,
    /// What is checked out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkout: Option<Checkout>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
}

/// `{type: "file", …}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileResource {
    /// `sesrsc_…`
    pub id: ResourceId,
    /// The uploaded file.
    pub file_id: FileId,
    /// Where it is mounted (default `/mnt/session/uploads/<file_id>`).
    #[serde(default)]
    pub mount_path: Option<String>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{type: "memory_store", …}` (no id or timestamps of its own).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemoryStoreResource {
    /// The store.
    pub memory_store_id: MemoryStoreId,
    /// Read-write or read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<MemoryAccess>,
    /// How the agent should use it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    /// The store's description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The store's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Where it is mounted (e.g. `/mnt/memory/<slug>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mount_path: Option<String>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A resource to attach when creating a session (`resources[]`), or a file to add later.
/// `Debug` never shows the repository token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ResourceParams {
    /// Check out a GitHub repository.
    GithubRepository {
        /// The repository URL.
        url: String,
        /// Required for private repositories; write-only.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        authorization_token: Option<Secret>,
        /// What to check out (default branch when absent).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        checkout: Option<Checkout>,
        /// Where (default `/workspace/<repo-name>`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mount_path: Option<String>,
    },
    /// Mount an uploaded file (the only kind `POST …/resources` accepts).
    File {
        /// The file.
        file_id: FileId,
        /// Where (default `/mnt/session/uploads/<file_id>`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mount_path: Option<String>,
    },
    /// Mount a memory store.
    MemoryStore {
        /// The store.
        memory_store_id: MemoryStoreId,
        /// Read-write (default) or read-only.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        access: Option<MemoryAccess>,
        /// How the agent should use it (≤ 4096 chars).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        instructions: Option<String>,
    },
}

impl ResourceParams {
    /// A file at its default mount path.
    pub fn file(file_id: impl Into<FileId>) -> Self {
        ResourceParams::File {
            file_id: file_id.into(),
            mount_path: None,
        }
    }
}

/// Which agent a new session runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum AgentRef {
    /// `{type: "agent", id, version?}`: that version (the latest when `version` is `None`).
    #[serde(rename = "agent")]
    Pinned {
        /// The agent.
        id: AgentId,
        /// The version.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version: Option<u64>,
    },
    /// `{type: "agent_with_overrides", …}`: an agent with some settings replaced for this
    /// session only.
    #[serde(rename = "agent_with_overrides")]
    WithOverrides(Box<AgentOverrides>),
    /// `"agent_…"`: the latest version at creation.
    #[serde(untagged)]
    Latest(AgentId),
}

impl AgentRef {
    /// A pinned version.
    pub fn pinned(id: impl Into<AgentId>, version: u64) -> Self {
        AgentRef::Pinned {
            id: id.into(),
            version: Some(version),
        }
    }

    /// The latest version at creation.
    pub fn latest(id: impl Into<AgentId>) -> Self {
        AgentRef::Latest(id.into())
    }
}

/// The body of [`AgentRef::WithOverrides`]: each field set replaces the agent's own.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AgentOverrides {
    /// The agent.
    pub id: AgentId,
    /// Its version (latest when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u64>,
    /// Another model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<ModelSpec>,
    /// Another system prompt (≤ 100 000 chars), or none.
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub system: Patch<String>,
    /// Other tools (full replacement).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<Tool>>,
    /// Other MCP servers (full replacement).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mcp_servers: Option<Vec<McpServer>>,
    /// Other skills (full replacement).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skills: Option<Vec<SkillRef>>,
}

/// `POST /v1/sessions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionCreate {
    /// The agent.
    pub agent: AgentRef,
    /// The environment.
    pub environment_id: EnvironmentId,
    /// Optional title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Metadata.
    #[serde(default, skip_serializing_if = "Metadata::is_empty")]
    pub metadata: Metadata,
    /// Vaults whose credentials the session may use.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vault_ids: Vec<VaultId>,
    /// GitHub repositories, files, memory stores.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<ResourceParams>,
    /// Events processed right after creation (max 50; messages and outcomes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub initial_events: Vec<EventParams>,
    /// A spending cap (uncapped when absent; can only be set at creation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<Budget>,
}

impl SessionCreate {
    /// The minimal body.
    pub fn new(agent: AgentRef, environment_id: impl Into<EnvironmentId>) -> Self {
        Self {
            agent,
            environment_id: environment_id.into(),
            title: None,
            metadata: Metadata::new(),
            vault_ids: Vec::new(),
            resources: Vec::new(),
            initial_events: Vec::new(),
            budget: None,
        }
    }
}

/// `POST /v1/sessions/{id}`: omitted fields are kept.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionUpdate {
    /// Keep, clear or set.
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub title: Patch<String>,
    /// Patch: `None` deletes a key.
    #[serde(default, skip_serializing_if = "MetadataPatch::is_empty")]
    pub metadata: MetadataPatch,
    /// Replace (only raise: `budget_not_raised`) or remove; a session created without one
    /// cannot get one (`budget_create_only`).
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub budget: Patch<Budget>,
    /// New tools / MCP servers from the next turn (not while the session is running).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<AgentToolsUpdate>,
}

/// A thread of a multi-agent session (the primary thread has no parent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionThread {
    /// `sthr_…`
    pub id: ThreadId,
    /// Its session.
    pub session_id: SessionId,
    /// The thread that started it; `None` for the primary thread.
    #[serde(default)]
    pub parent_thread_id: Option<ThreadId>,
    /// Who runs in it.
    pub agent: ThreadAgent,
    /// Where it stands.
    pub status: SessionStatus,
    /// Time spent.
    #[serde(default)]
    pub stats: Option<SessionStats>,
    /// Tokens and cost.
    #[serde(default)]
    pub usage: Option<Usage>,
    /// The workflow run it belongs to, if any.
    #[serde(default)]
    pub workflow_run_id: Option<String>,
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

/// Who runs in a thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ThreadAgent {
    /// A stored agent.
    Agent(Box<SessionAgent>),
    /// The advisor model.
    Advisor {
        /// Its model.
        model: ModelSpec,
    },
    /// An agent defined inline by the coordinator.
    Inline(Box<InlineAgent>),
    /// Anything else (or a stored agent in a shorter form), kept as received.
    #[serde(untagged)]
    Other(Value),
}

/// `{type: "inline", …}`: an agent defined by its coordinator for one thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InlineAgent {
    /// Its name.
    pub name: String,
    /// Its description.
    #[serde(default)]
    pub description: Option<String>,
    /// Its system prompt.
    #[serde(default)]
    pub system: Option<String>,
    /// Its model.
    pub model: ModelSpec,
    /// Its tools.
    #[serde(default)]
    pub tools: Vec<Tool>,
    /// Its MCP servers.
    #[serde(default)]
    pub mcp_servers: Vec<McpServer>,
    /// Its skills.
    #[serde(default)]
    pub skills: Vec<SkillRef>,
    /// Who it acts as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_identity: Option<ExecutionIdentity>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
