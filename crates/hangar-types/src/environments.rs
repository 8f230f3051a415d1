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

/// Everything wrong with an environment configuration, each as (field, message), before
/// anything is sent (reference §4, §5.2). Fields: `name`, `allowedHosts`, `packages.<manager>`,
/// `allowPackageManagers`, `metadata`.
pub fn environment_problems(config: &EnvironmentCreate) -> Vec<(String, String)> {
    use crate::model::environments::{EnvironmentConfig, Networking};
    use crate::validate;
    let mut out = Vec::new();
    if let Err(e) = validate::environment_name(&config.name) {
        out.push(("name".to_string(), e));
    }
    if let Some(EnvironmentConfig::Cloud(cloud)) = &config.config {
        let (limited, package_managers) = match &cloud.networking {
            Some(Networking::Limited {
                allowed_hosts,
                allow_package_managers,
                ..
            }) => {
                if let Err(e) = validate::allowed_hosts(allowed_hosts) {
                    out.push(("allowedHosts".to_string(), e));
                }
                (true, allow_package_managers.unwrap_or(false))
            }
            _ => (false, false),
        };
        let mut any = false;
        if let Some(p) = &cloud.packages {
            for (manager, list) in [
                ("apt", &p.apt),
                ("cargo", &p.cargo),
                ("gem", &p.gem),
                ("go", &p.go),
                ("npm", &p.npm),
                ("pip", &p.pip),
            ] {
                let list = list.clone().unwrap_or_default();
                any |= list.iter().any(|x| !x.trim().is_empty());
                if let Err(e) = validate::packages(&list) {
                    out.push((format!("packages.{manager}"), e));
                }
            }
        }
        if let Err(e) = validate::packages_allowed(limited, package_managers, any) {
            out.push(("allowPackageManagers".to_string(), e));
        }
    }
    let rows: Vec<(String, String)> = config
        .metadata
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if let Err(e) = validate::metadata(&rows) {
        out.push(("metadata".to_string(), e));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn limited_networking_checks_hosts_and_package_managers() {
        let config: EnvironmentCreate =
            serde_json::from_value(json!({"name": "data", "config": {"type": "cloud",
            "networking": {"type": "limited", "allowed_hosts": ["api.example.com", "https://bad"]},
            "packages": {"pip": ["pandas", "pandas"]}}}))
            .unwrap();
        let fields: Vec<String> = environment_problems(&config)
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(
            fields,
            ["allowedHosts", "packages.pip", "allowPackageManagers"]
        );
        let fine: EnvironmentCreate = serde_json::from_value(json!({"name": "data", "config": {"type": "cloud",
            "networking": {"type": "limited", "allowed_hosts": ["api.example.com"], "allow_package_managers": true},
            "packages": {"pip": ["pandas"]}}}))
        .unwrap();
        assert!(environment_problems(&fine).is_empty());
    }
}
