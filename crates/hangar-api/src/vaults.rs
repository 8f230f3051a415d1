//! Vaults and their credentials (reference §5.7). Secrets go in, never come out. The models are
//! [`hangar_model::vaults`], re-exported here.

pub use hangar_model::vaults::*;

use crate::client::{seg, Beta, Client};
use crate::page::{ListParams, Page};
use crate::{Deleted, Result};

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
    pub async fn create(&self, body: &VaultCreate) -> Result<Vault> {
        self.0
            .post("/v1/vaults", body, Beta::ManagedAgents, "vault")
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
    pub async fn update(&self, id: &str, body: &VaultUpdate) -> Result<Vault> {
        self.0
            .post(
                &format!("/v1/vaults/{}", seg(id)),
                body,
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
        body: &CredentialUpdate,
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

    /// Checks an MCP OAuth credential against its server (and tries a refresh).
    pub async fn validate_credential(
        &self,
        vault_id: &str,
        id: &str,
    ) -> Result<CredentialValidation> {
        self.0
            .post_empty(
                &format!(
                    "/v1/vaults/{}/credentials/{}/mcp_oauth_validate",
                    seg(vault_id),
                    seg(id)
                ),
                Beta::ManagedAgents,
                "credential validation",
            )
            .await
    }
}
