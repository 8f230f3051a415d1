//! Environments as the screens use them.

use serde::{Deserialize, Serialize};

use crate::model::environments::{Environment, EnvironmentCreate};
use crate::EnvironmentId;

/// One row of the environments list (from the cache).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentListItem {
    /// `env_…`
    pub id: EnvironmentId,
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: Option<String>,
    /// "Unrestricted", "Limited to 2 hosts", "Self-hosted".
    pub networking: String,
    /// How many packages it installs.
    pub packages: usize,
    /// RFC 3339.
    pub updated_at: Option<String>,
    /// Archived?
    pub archived: bool,
}

/// `{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentIdInput {
    /// The environment.
    pub id: EnvironmentId,
}

/// An environment, and whether it came from the cache.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentGetOutput {
    /// The environment.
    pub environment: Environment,
    /// Read from the cache (the API could not be reached).
    pub cached: bool,
}

/// Input of `environment_create`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentCreateInput {
    /// What to create.
    pub config: EnvironmentCreate,
}

/// Input of `environment_update`: the whole configuration as the form has it (the backend
/// sends the differences: a metadata patch, the description cleared when emptied).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentUpdateInput {
    /// The environment.
    pub id: EnvironmentId,
    /// The configuration to save.
    pub config: EnvironmentCreate,
}

/// The package managers of a cloud environment, in display order (§5.2).
pub const PACKAGE_MANAGERS: [&str; 6] = ["apt", "cargo", "gem", "go", "npm", "pip"];
