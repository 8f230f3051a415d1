//! Agents: versioned configuration (reference §5.1). `client.agents()`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::client::{seg, Beta, Body, Client, Retry};
use crate::page::{ListParams, Page};
use crate::patch::Patch;
use crate::{Deleted, Result};

/// An agent as the API returns it. Unknown fields are kept in `extra`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agent {
    /// `agent_…`
    pub id: String,
    /// Its name.
    pub name: String,
    /// Optional description.
    #[serde(default)]
    pub description: Option<String>,
    /// The system prompt.
    #[serde(default)]
    pub system: Option<String>,
    /// `{id, effort?, speed?, …}`.
    pub model: ModelConfig,
    /// Toolsets and custom tools.
    #[serde(default)]
    pub tools: Vec<Tool>,
    /// MCP servers.
    #[serde(default)]
    pub mcp_servers: Vec<McpServer>,
    /// Skills.
    #[serde(default)]
    pub skills: Vec<Value>,
    /// Key/value metadata.
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
    /// Starts at 1, +1 on every change.
    pub version: u64,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// Set once archived.
    #[serde(default)]
    pub archived_at: Option<String>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The model as an object (`{id, effort?, speed?, inference_geo?}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelConfig {
    /// Model id, e.g. `claude-opus-5-5`.
    pub id: String,
    /// Other settings, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{type: "url", name, url}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct McpServer {
    /// Always `url`.
    #[serde(rename = "type", default = "url_type")]
    pub kind: String,
    /// Unique name, referenced by an `mcp_toolset`.
    pub name: String,
    /// The server URL.
    pub url: String,
}

fn url_type() -> String {
    "url".into()
}

/// A tool entry; unknown kinds are kept as JSON.
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
    /// The built-in toolset (bash, edit, read, write, glob, grep, web_fetch, web_search).
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

/// `default_config`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolDefaults {
    /// Enabled unless false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// `{type: always_allow|always_ask|auto}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission_policy: Option<Value>,
}

/// One tool's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolConfig {
    /// Tool name (`bash`, …).
    pub name: String,
    /// Enabled unless false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// `{type: always_allow|always_ask|auto}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission_policy: Option<Value>,
    /// Extras (`type`, domains, `url_sources`, …), as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `POST /v1/agents`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AgentCreate {
    /// Required, non-empty.
    pub name: String,
    /// A model id string or a `{id, effort?, speed?}` object.
    pub model: Value,
    /// Optional.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Optional system prompt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// Tools.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<Tool>,
    /// MCP servers (each must be used by an `mcp_toolset`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mcp_servers: Vec<McpServer>,
    /// Skills.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<Value>,
    /// Metadata.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
}

/// `POST /v1/agents/{id}`: omitted fields are kept (reference §4).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AgentUpdate {
    /// The version last seen; a mismatch is a [`crate::Error::VersionConflict`]. `None` overwrites.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<u64>,
    /// New name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New model (whole-object replacement).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<Value>,
    /// Keep, clear or set.
    #[serde(skip_serializing_if = "Patch::is_keep")]
    pub description: Patch<String>,
    /// Keep, clear or set.
    #[serde(skip_serializing_if = "Patch::is_keep")]
    pub system: Patch<String>,
    /// Full replacement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<Tool>>,
    /// Full replacement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mcp_servers: Option<Vec<McpServer>>,
    /// Full replacement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skills: Option<Vec<Value>>,
    /// Patch: a value upserts a key, `None` deletes it.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, Option<String>>,
}

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
