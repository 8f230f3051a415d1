//! Environments: the container a session runs in — cloud with networking and packages, or
//! self-hosted (reference §5.2).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::common::{open_enum, Metadata, MetadataPatch, Patch};
use crate::ids::EnvironmentId;

/// An environment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Environment {
    /// `env_…`
    pub id: EnvironmentId,
    /// Its name.
    pub name: String,
    /// Optional description.
    #[serde(default)]
    pub description: Option<String>,
    /// Cloud or self-hosted.
    pub config: EnvironmentConfig,
    /// Metadata.
    #[serde(default)]
    pub metadata: Metadata,
    /// Who can use it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<EnvironmentScope>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// Set once archived (it can then start no new sessions).
    #[serde(default)]
    pub archived_at: Option<String>,
    /// Every other field (`type`, newer fields).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

open_enum! {
    /// Who can use an environment (API organizations support only `organization`).
    pub enum EnvironmentScope {
        /// The whole organization.
        Organization = "organization",
        /// One account.
        Account = "account",
    }
}

/// `config`. Its type cannot change after creation (`invalid_config_type_change`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[allow(
    clippy::large_enum_variant,
    reason = "a config is read and edited one at a time; boxing would only make forms clumsier"
)]
pub enum EnvironmentConfig {
    /// A container Anthropic runs.
    Cloud(CloudConfig),
    /// The client runs the tools itself (answers `agent.tool_use` with `user.tool_result`).
    SelfHosted,
    /// A type this version does not know, kept as received.
    #[serde(untagged)]
    Other(Value),
}

/// `{type: "cloud", networking?, packages?}`. In requests, omitted parts are kept on update;
/// answers always carry both.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CloudConfig {
    /// What the container may reach.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub networking: Option<Networking>,
    /// Packages installed at start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub packages: Option<Packages>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// What a cloud container may reach.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Networking {
    /// Anything.
    Unrestricted,
    /// Only these hosts (and, if allowed, MCP servers and package registries).
    Limited {
        /// Hosts the container may reach.
        #[serde(default)]
        allowed_hosts: Vec<String>,
        /// Also the agent's MCP servers (default false).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        allow_mcp_servers: Option<bool>,
        /// Also package registries (default false; needed for `packages`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        allow_package_managers: Option<bool>,
    },
    /// A form this version does not know.
    #[serde(untagged)]
    Other(Value),
}

/// Packages per manager (`"pandas==2.2.3"`, …). `None` leaves a manager's list as it is on
/// update; answers give all six lists.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Packages {
    /// Always `packages` when present.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Debian packages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apt: Option<Vec<String>>,
    /// Rust crates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cargo: Option<Vec<String>>,
    /// Ruby gems.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gem: Option<Vec<String>>,
    /// Go modules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub go: Option<Vec<String>>,
    /// npm packages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub npm: Option<Vec<String>>,
    /// Python packages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pip: Option<Vec<String>>,
    /// Managers this version does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Packages {
    /// True when no manager lists a package.
    pub fn is_empty(&self) -> bool {
        [
            &self.apt,
            &self.cargo,
            &self.gem,
            &self.go,
            &self.npm,
            &self.pip,
        ]
        .iter()
        .all(|list| list.as_ref().is_none_or(Vec::is_empty))
            && self.extra.is_empty()
    }
}

/// `POST /v1/environments`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EnvironmentCreate {
    /// Required.
    pub name: String,
    /// Optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Cloud (the default) or self-hosted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<EnvironmentConfig>,
    /// Metadata.
    #[serde(default, skip_serializing_if = "Metadata::is_empty")]
    pub metadata: Metadata,
    /// Who can use it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<EnvironmentScope>,
}

/// `POST /v1/environments/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EnvironmentUpdate {
    /// New name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Keep, clear or set.
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub description: Patch<String>,
    /// New config (omitted sub-fields are kept; the type must stay).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<EnvironmentConfig>,
    /// Patch: `None` (or "") deletes a key.
    #[serde(default, skip_serializing_if = "MetadataPatch::is_empty")]
    pub metadata: MetadataPatch,
    /// New scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<EnvironmentScope>,
}
