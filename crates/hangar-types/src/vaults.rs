//! Vaults and credentials as the screens use them. Secrets travel only inward, in
//! [`CredentialCreateInput`] and [`CredentialUpdateInput`]; no output here can hold one.

use serde::{Deserialize, Serialize};

use crate::model::common::Metadata;
use crate::model::vaults::{
    Credential, CredentialAuth, CredentialAuthUpdate, CredentialValidation, Vault,
};
use crate::{CredentialId, VaultId};

/// One row of the vaults list (from the cache).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultListItem {
    /// `vlt_…`
    pub id: VaultId,
    /// Its name.
    pub display_name: String,
    /// Credentials cached for it.
    pub credentials: usize,
    /// RFC 3339.
    pub updated_at: Option<String>,
    /// Archived?
    pub archived: bool,
}

/// `{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultIdInput {
    /// The vault.
    pub id: VaultId,
}

/// A vault with its credentials (never a secret).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultGetOutput {
    /// The vault.
    pub vault: Vault,
    /// Its credentials, archived ones included.
    pub credentials: Vec<Credential>,
    /// Read from the cache (the API could not be reached).
    pub cached: bool,
}

/// Input of `vault_create`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultCreateInput {
    /// 1–255 characters.
    pub display_name: String,
    /// Metadata.
    #[serde(default)]
    pub metadata: Metadata,
}

/// Input of `vault_rename`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultRenameInput {
    /// The vault.
    pub id: VaultId,
    /// The new name.
    pub display_name: String,
}

/// Input of `credential_create`: the secret goes from here to the API and nowhere else.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialCreateInput {
    /// Its vault.
    pub vault_id: VaultId,
    /// Optional name.
    #[serde(default)]
    pub display_name: Option<String>,
    /// Type, settings and secret.
    pub auth: CredentialAuth,
}

/// Input of `credential_update`: a new name, and/or new secrets or settings (rotation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialUpdateInput {
    /// Its vault.
    pub vault_id: VaultId,
    /// The credential.
    pub credential_id: CredentialId,
    /// A new name (`Some("")` clears it).
    #[serde(default)]
    pub display_name: Option<String>,
    /// New secrets or settings (same type).
    #[serde(default)]
    pub auth: Option<CredentialAuthUpdate>,
}

/// `{vaultId, credentialId}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialIdInput {
    /// Its vault.
    pub vault_id: VaultId,
    /// The credential.
    pub credential_id: CredentialId,
}

/// What "Test connection" found, in words, with the API's verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialTestOutput {
    /// A sentence for the person.
    pub summary: String,
    /// The API's answer.
    pub validation: CredentialValidation,
}

/// The words for a validation: what the MCP server and the token endpoint said.
pub fn describe_validation(v: &CredentialValidation) -> String {
    use crate::model::vaults::{RefreshStatus, ValidationStatus};
    let verdict = match &v.status {
        ValidationStatus::Valid => "The MCP server accepted this credential.".to_string(),
        ValidationStatus::Invalid => "The MCP server refused this credential.".to_string(),
        ValidationStatus::Unknown => {
            "The API could not tell whether this credential works.".to_string()
        }
        ValidationStatus::Other(s) => format!("The API answered “{s}”."),
    };
    let probe = v
        .mcp_probe
        .as_ref()
        .and_then(|p| {
            p.http_response
                .as_ref()
                .map(|r| (p.method.clone(), r.status_code))
        })
        .map(|(m, s)| format!(" Its answer to {m}: HTTP {s}."))
        .unwrap_or_default();
    let refresh = match v.refresh.as_ref().map(|r| &r.status) {
        Some(RefreshStatus::Succeeded) => " A refresh got a new access token.",
        Some(RefreshStatus::Failed) => " Refreshing the token failed.",
        Some(RefreshStatus::ConnectError) => " The token endpoint could not be reached.",
        Some(RefreshStatus::NoRefreshToken) => " There is no refresh token.",
        _ => "",
    };
    format!("{verdict}{probe}{refresh}")
}
