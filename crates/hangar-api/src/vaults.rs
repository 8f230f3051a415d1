//! Vaults and their credentials (reference §5.7). Secrets go in, never come out.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::client::{seg, Beta, Client};
use crate::page::{ListParams, Page};
use crate::{Deleted, Result};

/// A vault.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vault {
    /// `vlt_…`
    pub id: String,
    /// Its name.
    pub display_name: String,
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

/// A credential: metadata and the non-secret part of `auth`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Credential {
    /// `vcrd_…`
    pub id: String,
    /// Its vault.
    pub vault_id: String,
    /// Optional name.
    #[serde(default)]
    pub display_name: Option<String>,
    /// `{type, mcp_server_url, …}` without secrets.
    pub auth: Value,
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
}

/// The secret part of a new credential. `Debug` never shows the secret.
#[derive(Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CredentialAuth {
    /// A bearer token sent to one MCP server.
    StaticBearer {
        /// The MCP server.
        mcp_server_url: String,
        /// The secret.
        token: String,
    },
    /// An environment variable injected into outgoing requests.
    EnvironmentVariable {
        /// Variable name (immutable).
        secret_name: String,
        /// The secret.
        secret_value: String,
        /// `{type: unrestricted}` or `{type: limited, allowed_hosts}`.
        networking: Value,
    },
    /// Any other form (`mcp_oauth`), given as JSON.
    #[serde(untagged)]
    Other(Value),
}

impl std::fmt::Debug for CredentialAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CredentialAuth::StaticBearer { mcp_server_url, .. } => {
                write!(f, "StaticBearer({mcp_server_url}, token: ****)")
            }
            CredentialAuth::EnvironmentVariable { secret_name, .. } => {
                write!(f, "EnvironmentVariable({secret_name}, value: ****)")
            }
            CredentialAuth::Other(_) => f.write_str("Other(****)"),
        }
    }
}

/// `POST /v1/vaults/{id}/credentials`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CredentialCreate {
    /// Type and secret.
    pub auth: CredentialAuth,
    /// Optional name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
}

/// `client.vaults()`.
#[derive(Debug, Clone, Copy)]
pub struct Vaults<'a>(&'a Client);

impl Client {
    /// Vaults and credentials.
    pub fn vaults(&self) -> Vaults<'_> {
        Vaults(self)
    }
}

impl Vaults<'_> {
    /// Creates a vault.
    pub async fn create(
        &self,
        display_name: &str,
        metadata: &BTreeMap<String, String>,
    ) -> Result<Vault> {
        let body = serde_json::json!({"display_name": display_name, "metadata": metadata});
        self.0
            .post("/v1/vaults", &body, Beta::ManagedAgents, "vault")
            .await
    }
    /// Reads one.
    pub async fn retrieve(&self, id: &str) -> Result<Vault> {
        self.0
            .get(
                &format!("/v1/vaults/{}", seg(id)),
                &[],
                Beta::ManagedAgents,
                "vault",
            )
            .await
    }
    /// Renames / patches metadata.
    pub async fn update(
        &self,
        id: &str,
        display_name: Option<&str>,
        metadata: &BTreeMap<String, Option<String>>,
    ) -> Result<Vault> {
        let mut body = serde_json::Map::new();
        if let Some(n) = display_name {
            body.insert("display_name".into(), n.into());
        }
        if !metadata.is_empty() {
            body.insert(
                "metadata".into(),
                serde_json::to_value(metadata).unwrap_or_default(),
            );
        }
        self.0
            .post(
                &format!("/v1/vaults/{}", seg(id)),
                &Value::Object(body),
                Beta::ManagedAgents,
                "vault",
            )
            .await
    }
    /// One page.
    pub async fn list(&self, params: &ListParams) -> Result<Page<Vault>> {
        self.0
            .list(
                "/v1/vaults",
                params,
                Vec::new(),
                Beta::ManagedAgents,
                "vault list",
            )
            .await
    }
    /// Deletes one.
    pub async fn delete(&self, id: &str) -> Result<Deleted> {
        self.0
            .delete(
                &format!("/v1/vaults/{}", seg(id)),
                Beta::ManagedAgents,
                "delete",
            )
            .await
    }
    /// Archives one.
    pub async fn archive(&self, id: &str) -> Result<Vault> {
        self.0
            .post_empty(
                &format!("/v1/vaults/{}/archive", seg(id)),
                Beta::ManagedAgents,
                "vault",
            )
            .await
    }
    /// Adds a credential; the secret goes to the API and nowhere else.
    pub async fn create_credential(
        &self,
        vault_id: &str,
        body: &CredentialCreate,
    ) -> Result<Credential> {
        self.0
            .post(
                &format!("/v1/vaults/{}/credentials", seg(vault_id)),
                body,
                Beta::ManagedAgents,
                "credential",
            )
            .await
    }
    /// Reads one.
    pub async fn retrieve_credential(&self, vault_id: &str, id: &str) -> Result<Credential> {
        self.0
            .get(
                &format!("/v1/vaults/{}/credentials/{}", seg(vault_id), seg(id)),
                &[],
                Beta::ManagedAgents,
                "credential",
            )
            .await
    }
    /// Rotates the secret or renames (`auth` must keep its type).
    pub async fn update_credential(
        &self,
        vault_id: &str,
        id: &str,
        body: &Value,
    ) -> Result<Credential> {
        self.0
            .post(
                &format!("/v1/vaults/{}/credentials/{}", seg(vault_id), seg(id)),
                body,
                Beta::ManagedAgents,
                "credential",
            )
            .await
    }
    /// One page of credentials.
    pub async fn list_credentials(
        &self,
        vault_id: &str,
        params: &ListParams,
    ) -> Result<Page<Credential>> {
        self.0
            .list(
                &format!("/v1/vaults/{}/credentials", seg(vault_id)),
                params,
                Vec::new(),
                Beta::ManagedAgents,
                "credential list",
            )
            .await
    }
    /// Deletes one.
    pub async fn delete_credential(&self, vault_id: &str, id: &str) -> Result<Deleted> {
        self.0
            .delete(
                &format!("/v1/vaults/{}/credentials/{}", seg(vault_id), seg(id)),
                Beta::ManagedAgents,
                "delete",
            )
            .await
    }
    /// Archives one.
    pub async fn archive_credential(&self, vault_id: &str, id: &str) -> Result<Credential> {
        self.0
            .post_empty(
                &format!(
                    "/v1/vaults/{}/credentials/{}/archive",
                    seg(vault_id),
                    seg(id)
                ),
                Beta::ManagedAgents,
                "credential",
            )
            .await
    }
}
