//! Agents: versioned configuration — model, tools, MCP servers, skills (reference §5.1).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::common::{open_enum, Metadata, MetadataPatch, Patch};
use crate::ids::{AgentId, SkillId};

/// The names of the built-in toolset's tools (`agent_toolset_20260401`).
pub const BUILT_IN_TOOLS: [&str; 8] = [
    "bash",
    "edit",
    "read",
    "write",
    "glob",
    "grep",
    "web_fetch",
    "web_search",
];

/// An agent as the API returns it (one version of it). Unknown fields are kept in `extra`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agent {
    /// `agent_…`
    pub id: AgentId,
    /// Its name.
    pub name: String,
    /// Optional description.
    #[serde(default)]
    pub description: Option<String>,
    /// The system prompt.
    #[serde(default)]
    pub system: Option<String>,
    /// The model, always in object form in answers.
    pub model: ModelConfig,
    /// Toolsets and custom tools, resolved.
    #[serde(default)]
    pub tools: Vec<Tool>,
    /// MCP servers.
    #[serde(default)]
    pub mcp_servers: Vec<McpServer>,
    /// Skills, with their versions resolved.
    #[serde(default)]
    pub skills: Vec<SkillRef>,
    /// The multi-agent setup (`coordinator` or `multiagent_20261001`), as received.
    #[serde(default)]
    pub multiagent: Option<Value>,
    /// Who the agent acts as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_identity: Option<ExecutionIdentity>,
    /// Key/value metadata.
    #[serde(default)]
    pub metadata: Metadata,
    /// Starts at 1, +1 on every change.
    pub version: u64,
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

/// The model as an object: `{id, effort?, speed?, inference_geo?, …}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ModelConfig {
    /// Model id, e.g. `claude-opus-5-5` (an open set).
    pub id: String,
    /// How hard the model thinks; answers give the per-model default when none was set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<Effort>,
    /// Standard or fast output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed: Option<Speed>,
    /// Other settings (`inference_geo`, newer ones), as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ModelConfig {
    /// Just a model id.
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            ..Self::default()
        }
    }
}

/// The model of a request: a model id, or a [`ModelConfig`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ModelSpec {
    /// `"claude-opus-5-5"`.
    Id(String),
    /// `{id, effort?, speed?, …}`.
    Config(ModelConfig),
}

impl ModelSpec {
    /// The model id either way.
    pub fn id(&self) -> &str {
        match self {
            ModelSpec::Id(id) => id,
            ModelSpec::Config(c) => &c.id,
        }
    }
}

impl Default for ModelSpec {
    fn default() -> Self {
        ModelSpec::Id(String::new())
    }
}

impl From<&str> for ModelSpec {
    fn from(id: &str) -> Self {
        ModelSpec::Id(id.to_string())
    }
}

impl From<String> for ModelSpec {
    fn from(id: String) -> Self {
        ModelSpec::Id(id)
    }
}

impl From<ModelConfig> for ModelSpec {
    fn from(config: ModelConfig) -> Self {
        ModelSpec::Config(config)
    }
}

open_enum! {
    /// Effort levels.
    pub enum EffortLevel {
        /// Least thinking.
        Low = "low",
        /// Medium.
        Medium = "medium",
        /// High.
        High = "high",
        /// Extra high.
        Xhigh = "xhigh",
        /// Most thinking.
        Max = "max",
    }
}

/// `effort`: requests may say `"high"` or `{"type":"high"}`; answers use the object form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Effort {
    /// `"high"`.
    Level(EffortLevel),
    /// `{"type": "high"}`.
    Object {
        /// The level.
        #[serde(rename = "type")]
        level: EffortLevel,
    },
}

impl Effort {
    /// The level either way.
    pub fn level(&self) -> &EffortLevel {
        match self {
            Effort::Level(level) | Effort::Object { level } => level,
        }
    }
}

open_enum! {
    /// Output speed.
    pub enum Speed {
        /// The default.
        Standard = "standard",
        /// Faster output (where the model offers it).
        Fast = "fast",
    }
}

/// Who an agent acts as.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ExecutionIdentity {
    /// The workspace's service account (the default).
    ServiceAccount,
    /// An AWS role.
    AwsRole {
        /// The role's ARN (≤ 2048 chars).
        role_arn: String,
    },
    /// A form this version does not know.
    #[serde(untagged)]
    Other(Value),
}

/// `{type: "url", name, url}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct McpServer {
    /// Always `url`.
    #[serde(rename = "type", default = "url_type")]
    pub kind: String,
    /// Unique name (1-255), referenced by an `mcp_toolset`.
    pub name: String,
    /// The server URL.
    pub url: String,
}

fn url_type() -> String {
    "url".into()
}

impl McpServer {
    /// A server reached at `url`.
    pub fn url(name: impl Into<String>, url: impl Into<String>) -> Self {
        Self {
            kind: url_type(),
            name: name.into(),
            url: url.into(),
        }
    }
}

open_enum! {
    /// Where a skill comes from, in an agent's `skills`.
    pub enum SkillKind {
        /// Made by Anthropic (`xlsx`, `pdf`, …).
        Anthropic = "anthropic",
        /// Uploaded (`skill_…`).
        Custom = "custom",
    }
}

/// A skill an agent uses: `{type, skill_id, version?}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillRef {
    /// Anthropic or custom.
    #[serde(rename = "type")]
    pub kind: SkillKind,
    /// `xlsx`, `skill_…`.
    pub skill_id: SkillId,
    /// A version; the latest when absent (answers always give it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// A tool entry; unknown kinds (and known kinds of an unexpected shape) are kept as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Tool {
    /// A kind Hangar edits.
    Known(KnownTool),
    /// Anything else.
    Other(Value),
}

/// Tool kinds Hangar edits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum KnownTool {
    /// The built-in toolset ([`BUILT_IN_TOOLS`]).
    #[serde(rename = "agent_toolset_20260401")]
    Toolset {
        /// Applies to tools without their own config.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        default_config: Option<ToolDefaults>,
        /// Per-tool settings.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        configs: Vec<ToolConfig>,
    },
    /// The tools of one MCP server.
    #[serde(rename = "mcp_toolset")]
    Mcp {
        /// A name in `mcp_servers`.
        mcp_server_name: String,
        /// Defaults.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        default_config: Option<ToolDefaults>,
        /// Per-tool settings.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        configs: Vec<ToolConfig>,
    },
    /// A tool the client executes (`agent.custom_tool_use` → `user.custom_tool_result`).
    #[serde(rename = "custom")]
    Custom {
        /// `[A-Za-z0-9_-]{1,128}`.
        name: String,
        /// What it does, for the model.
        description: String,
        /// JSON Schema of its input (`type: object`).
        input_schema: Value,
    },
}

/// `default_config` of a toolset.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ToolDefaults {
    /// Enabled unless false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Whether calls need confirmation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission_policy: Option<PermissionPolicy>,
}

/// One tool's settings in a toolset.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ToolConfig {
    /// Tool name: one of [`BUILT_IN_TOOLS`], or an MCP tool's name.
    pub name: String,
    /// Enabled unless false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Whether calls need confirmation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission_policy: Option<PermissionPolicy>,
    /// Extras, as received: `type`, and for `web_search` / `web_fetch` `allowed_domains` or
    /// `blocked_domains`, `user_location`, `max_content_tokens`, `url_sources`.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Whether a tool call runs at once, waits for the user, or is judged by the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PermissionPolicy {
    /// Run without asking.
    AlwaysAllow,
    /// Wait for `user.tool_confirmation`.
    AlwaysAsk,
    /// The server judges each call: allow, deny, or ask.
    Auto,
    /// A policy this version does not know, kept as received.
    #[serde(untagged)]
    Other(Value),
}

/// `POST /v1/agents`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AgentCreate {
    /// Required, non-empty.
    pub name: String,
    /// A model id or a `{id, effort?, speed?}` object.
    pub model: ModelSpec,
    /// Optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Optional system prompt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// Tools (at most 256 across all toolsets).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<Tool>,
    /// MCP servers (each must be used by an `mcp_toolset`; at most 20).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mcp_servers: Vec<McpServer>,
    /// Skills.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<SkillRef>,
    /// Metadata.
    #[serde(default, skip_serializing_if = "Metadata::is_empty")]
    pub metadata: Metadata,
    /// A multi-agent setup, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiagent: Option<Value>,
    /// Who the agent acts as (the service account when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_identity: Option<ExecutionIdentity>,
}

/// `POST /v1/agents/{id}`: omitted fields are kept (reference §4).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AgentUpdate {
    /// The version last seen; a mismatch is rejected. `None` overwrites.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u64>,
    /// New name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New model (whole-object replacement).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<ModelSpec>,
    /// Keep, clear or set.
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub description: Patch<String>,
    /// Keep, clear or set.
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub system: Patch<String>,
    /// Full replacement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<Tool>>,
    /// Full replacement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mcp_servers: Option<Vec<McpServer>>,
    /// Full replacement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skills: Option<Vec<SkillRef>>,
    /// Patch: a value upserts a key, `None` deletes it.
    #[serde(default, skip_serializing_if = "MetadataPatch::is_empty")]
    pub metadata: MetadataPatch,
    /// Keep, clear or replace.
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub multiagent: Patch<Value>,
    /// Keep, reset to the service account, or set.
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub execution_identity: Patch<ExecutionIdentity>,
}

/// New tools and MCP servers for a session's agent (`SessionUpdate.agent`; full replacement).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AgentToolsUpdate {
    /// Full replacement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<Tool>>,
    /// Full replacement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mcp_servers: Option<Vec<McpServer>>,
}
