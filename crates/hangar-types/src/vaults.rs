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

/// An environment variable's name: letters, digits and `_`, not starting with a digit.
pub fn secret_name(raw: &str) -> crate::validate::Check<String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err("Give the variable a name, like STRIPE_API_KEY.".into());
    }
    let ok = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if !ok {
        return Err(
            "Use letters, digits and _ (not starting with a digit), like STRIPE_API_KEY.".into(),
        );
    }
    Ok(name.to_string())
}

/// A secret as typed: required, no surrounding spaces kept.
pub fn secret(raw: &str, what: &str) -> crate::validate::Check<String> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(format!("Paste the {what}."));
    }
    Ok(value.to_string())
}

/// Everything wrong with a new credential, each as (field, message). Fields: `displayName`,
/// `mcpServerUrl`, `token`, `secretName`, `allowedHosts`, `tokenEndpoint`, `clientId`,
/// `clientSecret`, `expiresAt`, `refreshToken`.
pub fn credential_problems(
    display_name: Option<&str>,
    auth: &CredentialAuth,
) -> Vec<(String, String)> {
    use crate::model::vaults::{CredentialNetworking, TokenEndpointAuth};
    use crate::validate;
    let mut out = Vec::new();
    let mut push = |field: &str, r: Result<(), String>| {
        if let Err(e) = r {
            out.push((field.to_string(), e));
        }
    };
    push(
        "displayName",
        validate::credential_name(display_name.unwrap_or("")).map(drop),
    );
    match auth {
        CredentialAuth::StaticBearer {
            mcp_server_url,
            token,
        } => {
            push(
                "mcpServerUrl",
                validate::mcp_server_url(mcp_server_url).map(drop),
            );
            push("token", secret(token.expose(), "token").map(drop));
        }
        CredentialAuth::McpOauth {
            mcp_server_url,
            access_token,
            expires_at,
            refresh,
        } => {
            push(
                "mcpServerUrl",
                validate::mcp_server_url(mcp_server_url).map(drop),
            );
            push(
                "token",
                secret(access_token.expose(), "access token").map(drop),
            );
            if let Some(at) = expires_at {
                push("expiresAt", rfc3339(at));
            }
            if let Some(r) = refresh {
                push(
                    "clientId",
                    if r.client_id.trim().is_empty() {
                        Err("Enter the OAuth client id.".into())
                    } else {
                        Ok(())
                    },
                );
                push(
                    "refreshToken",
                    secret(r.refresh_token.expose(), "refresh token").map(drop),
                );
                push(
                    "tokenEndpoint",
                    validate::mcp_server_url(&r.token_endpoint).map(drop),
                );
                match &r.token_endpoint_auth {
                    TokenEndpointAuth::ClientSecretBasic { client_secret }
                    | TokenEndpointAuth::ClientSecretPost { client_secret } => {
                        push(
                            "clientSecret",
                            secret(client_secret.expose(), "client secret").map(drop),
                        );
                    }
                    TokenEndpointAuth::None => {}
                }
            }
        }
        CredentialAuth::EnvironmentVariable {
            secret_name: name,
            secret_value,
            networking,
            ..
        } => {
            push("secretName", secret_name(name).map(drop));
            push("token", secret(secret_value.expose(), "value").map(drop));
            if let CredentialNetworking::Limited { allowed_hosts } = networking {
                push(
                    "allowedHosts",
                    validate::credential_allowed_hosts(allowed_hosts).map(drop),
                );
            }
        }
    }
    out
}

/// A date and time as the API takes it: `2030-01-31T12:00:00Z` (RFC 3339).
pub fn rfc3339(raw: &str) -> Result<(), String> {
    let t = raw.trim();
    let bytes = t.as_bytes();
    let shape = bytes.len() >= 20
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && (bytes[10] == b'T' || bytes[10] == b't')
        && bytes[13] == b':'
        && bytes[16] == b':'
        && (t.ends_with('Z') || t.ends_with('z') || t[19..].contains(['+', '-']));
    if shape {
        Ok(())
    } else {
        Err("Write the date and time like 2030-01-31T12:00:00Z.".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::common::Secret;
    use crate::model::vaults::CredentialNetworking;

    #[test]
    fn credentials_are_checked_before_sending() {
        let bearer = CredentialAuth::StaticBearer {
            mcp_server_url: "https://mcp.example.com/mcp".into(),
            token: Secret::new("t0k3n"),
        };
        assert!(credential_problems(Some("GitHub"), &bearer).is_empty());
        let empty = CredentialAuth::StaticBearer {
            mcp_server_url: "mcp.example.com".into(),
            token: Secret::new(" "),
        };
        let fields: Vec<String> = credential_problems(None, &empty)
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(fields, ["mcpServerUrl", "token"]);
        let hosts: Vec<String> = (0..17).map(|i| format!("h{i}.example.com")).collect();
        let env = CredentialAuth::EnvironmentVariable {
            secret_name: "1BAD".into(),
            secret_value: Secret::new("v"),
            networking: CredentialNetworking::Limited {
                allowed_hosts: hosts,
            },
            injection_location: None,
        };
        let fields: Vec<String> = credential_problems(None, &env)
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(fields, ["secretName", "allowedHosts"]);
        assert!(rfc3339("2030-01-31T12:00:00Z").is_ok());
        assert!(rfc3339("2030-01-31T12:00:00+02:00").is_ok());
        assert!(rfc3339("tomorrow").is_err());
        assert!(secret_name("STRIPE_API_KEY").is_ok());
    }
}
