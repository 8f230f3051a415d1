//! Vaults and their credentials (reference §5.7). Secrets go in ([`CredentialAuth`],
//! [`CredentialAuthUpdate`]) and never come out: no response type here has a field that could
//! hold one, and the response auth types keep no unknown fields either.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::common::{open_enum, Metadata, MetadataPatch, Patch, Secret};
use crate::ids::{CredentialId, VaultId};

/// A vault.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vault {
    /// `vlt_…`
    pub id: VaultId,
    /// Its name.
    pub display_name: String,
    /// Metadata.
    #[serde(default)]
    pub metadata: Metadata,
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

/// `POST /v1/vaults`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VaultCreate {
    /// 1-255 chars.
    pub display_name: String,
    /// Metadata.
    #[serde(default, skip_serializing_if = "Metadata::is_empty")]
    pub metadata: Metadata,
}

/// `POST /v1/vaults/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VaultUpdate {
    /// New name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Patch: `None` deletes a key.
    #[serde(default, skip_serializing_if = "MetadataPatch::is_empty")]
    pub metadata: MetadataPatch,
}

/// A credential: its metadata and the non-secret part of its auth. Unknown fields are dropped
/// rather than kept, so a secret in an unexpected answer is never held.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Credential {
    /// `vcrd_…`
    pub id: CredentialId,
    /// Always `vault_credential`.
    #[serde(rename = "type", default = "credential_type")]
    pub kind: String,
    /// Its vault.
    pub vault_id: VaultId,
    /// Optional name.
    #[serde(default)]
    pub display_name: Option<String>,
    /// How it authenticates, without secrets.
    pub auth: CredentialAuthInfo,
    /// Metadata.
    #[serde(default)]
    pub metadata: Metadata,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// Set once archived.
    #[serde(default)]
    pub archived_at: Option<String>,
}

fn credential_type() -> String {
    "vault_credential".into()
}

/// The `auth` of a credential as the API returns it: no secrets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CredentialAuthInfo {
    /// A bearer token sent to one MCP server.
    StaticBearer {
        /// The MCP server.
        mcp_server_url: String,
    },
    /// OAuth for one MCP server, optionally refreshed by the API.
    McpOauth {
        /// The MCP server.
        mcp_server_url: String,
        /// When the access token expires.
        #[serde(default)]
        expires_at: Option<String>,
        /// How it is refreshed.
        #[serde(default)]
        refresh: Option<OauthRefreshInfo>,
    },
    /// A secret injected into outgoing requests as an environment variable's value.
    EnvironmentVariable {
        /// The variable's name (immutable).
        secret_name: String,
        /// Hosts the secret may be sent to.
        networking: CredentialNetworking,
        /// Where in a request it may appear.
        #[serde(default)]
        injection_location: InjectionLocation,
    },
    /// A type this version does not know: only its `type` is kept, so a secret in an
    /// unexpected answer is never held.
    #[serde(untagged)]
    Other(UnknownAuth),
}

/// An auth type this version does not know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnknownAuth {
    /// Its `type`.
    #[serde(rename = "type", default)]
    pub kind: String,
}

/// `refresh` of an OAuth credential, as returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OauthRefreshInfo {
    /// The OAuth client (immutable).
    pub client_id: String,
    /// Where tokens are refreshed.
    pub token_endpoint: String,
    /// How the client authenticates there.
    pub token_endpoint_auth: TokenEndpointAuthInfo,
    /// The `resource` parameter.
    #[serde(default)]
    pub resource: Option<String>,
    /// The scope.
    #[serde(default)]
    pub scope: Option<String>,
}

/// `token_endpoint_auth` as returned: only its type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenEndpointAuthInfo {
    /// `none`, `client_secret_basic` or `client_secret_post`.
    #[serde(rename = "type")]
    pub kind: TokenEndpointAuthKind,
}

open_enum! {
    /// How an OAuth client authenticates at the token endpoint.
    pub enum TokenEndpointAuthKind {
        /// A public client.
        None = "none",
        /// HTTP Basic with the client secret.
        ClientSecretBasic = "client_secret_basic",
        /// The client secret in the form body.
        ClientSecretPost = "client_secret_post",
    }
}

/// Hosts an environment-variable secret may be sent to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CredentialNetworking {
    /// Any host.
    Unrestricted,
    /// Only these (≤ 16 hostnames, IPv4 addresses or `*.domain`).
    Limited {
        /// The hosts.
        #[serde(default)]
        allowed_hosts: Vec<String>,
    },
    /// A form this version does not know.
    #[serde(untagged)]
    Other(Value),
}

/// Where in a request an environment-variable secret may be injected.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InjectionLocation {
    /// In request bodies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<bool>,
    /// In request headers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<bool>,
}

/// The auth of a new credential, secrets included. `Debug` never shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CredentialAuth {
    /// A bearer token sent to one MCP server.
    StaticBearer {
        /// The MCP server.
        mcp_server_url: String,
        /// The secret.
        token: Secret,
    },
    /// OAuth tokens for one MCP server.
    McpOauth {
        /// The MCP server.
        mcp_server_url: String,
        /// The access token.
        access_token: Secret,
        /// When it expires (RFC 3339, in the future).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expires_at: Option<String>,
        /// How the API refreshes it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        refresh: Option<OauthRefresh>,
    },
    /// A secret injected into outgoing requests.
    EnvironmentVariable {
        /// The variable's name (immutable).
        secret_name: String,
        /// The secret.
        secret_value: Secret,
        /// Hosts it may be sent to.
        networking: CredentialNetworking,
        /// Where in a request it may appear.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        injection_location: Option<InjectionLocation>,
    },
}

/// `refresh` of a new OAuth credential.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OauthRefresh {
    /// The OAuth client.
    pub client_id: String,
    /// The refresh token.
    pub refresh_token: Secret,
    /// Where tokens are refreshed.
    pub token_endpoint: String,
    /// How the client authenticates there.
    pub token_endpoint_auth: TokenEndpointAuth,
    /// The `resource` parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

/// How an OAuth client authenticates at the token endpoint, with its secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TokenEndpointAuth {
    /// A public client.
    None,
    /// HTTP Basic.
    ClientSecretBasic {
        /// The client secret.
        client_secret: Secret,
    },
    /// In the form body.
    ClientSecretPost {
        /// The client secret.
        client_secret: Secret,
    },
}

/// `POST /v1/vaults/{id}/credentials`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CredentialCreate {
    /// Type and secret.
    pub auth: CredentialAuth,
    /// Optional name (≤ 255 chars).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Metadata.
    #[serde(default, skip_serializing_if = "Metadata::is_empty")]
    pub metadata: Metadata,
}

impl CredentialCreate {
    /// A credential with this auth and nothing else.
    pub fn new(auth: CredentialAuth) -> Self {
        Self {
            auth,
            display_name: None,
            metadata: Metadata::new(),
        }
    }
}

/// New secrets or settings for a credential: `auth` must keep the stored type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CredentialAuthUpdate {
    /// Rotate the bearer token.
    StaticBearer {
        /// The new token.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        token: Option<Secret>,
    },
    /// Rotate OAuth tokens or refresh settings.
    McpOauth {
        /// The new access token.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        access_token: Option<Secret>,
        /// Keep, clear or set the expiry.
        #[serde(default, skip_serializing_if = "Patch::is_keep")]
        expires_at: Patch<String>,
        /// Refresh settings to change.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        refresh: Option<OauthRefreshUpdate>,
    },
    /// Rotate the value or change where it may go.
    EnvironmentVariable {
        /// The new value.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        secret_value: Option<Secret>,
        /// New hosts.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        networking: Option<CredentialNetworking>,
        /// New injection locations.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        injection_location: Option<InjectionLocation>,
    },
}

/// `refresh` of an OAuth credential update (`client_id` and the endpoint are immutable).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OauthRefreshUpdate {
    /// The new refresh token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<Secret>,
    /// The new scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// New client authentication (basic or post, with an optional new secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_endpoint_auth: Option<TokenEndpointAuthUpdate>,
}

/// `token_endpoint_auth` of an OAuth refresh update.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenEndpointAuthUpdate {
    /// `client_secret_basic` or `client_secret_post`.
    #[serde(rename = "type")]
    pub kind: TokenEndpointAuthKind,
    /// A new client secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<Secret>,
}

/// `POST /v1/vaults/{vault_id}/credentials/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CredentialUpdate {
    /// New secrets (same type as stored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<CredentialAuthUpdate>,
    /// Keep, clear or set.
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub display_name: Patch<String>,
    /// Patch: `None` deletes a key.
    #[serde(default, skip_serializing_if = "MetadataPatch::is_empty")]
    pub metadata: MetadataPatch,
}

open_enum! {
    /// The verdict of a credential validation.
    pub enum ValidationStatus {
        /// The MCP server accepted it.
        Valid = "valid",
        /// The MCP server refused it.
        Invalid = "invalid",
        /// Could not tell.
        Unknown = "unknown",
    }
}

open_enum! {
    /// What a refresh attempt during validation did.
    pub enum RefreshStatus {
        /// A new access token was obtained.
        Succeeded = "succeeded",
        /// The token endpoint refused.
        Failed = "failed",
        /// The token endpoint could not be reached.
        ConnectError = "connect_error",
        /// There is no refresh token.
        NoRefreshToken = "no_refresh_token",
    }
}

/// `POST …/credentials/{id}/mcp_oauth_validate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CredentialValidation {
    /// The credential.
    pub credential_id: CredentialId,
    /// Its vault.
    pub vault_id: VaultId,
    /// The verdict.
    pub status: ValidationStatus,
    /// Whether a refresh token is stored.
    #[serde(default)]
    pub has_refresh_token: bool,
    /// The probe of the MCP server.
    #[serde(default)]
    pub mcp_probe: Option<McpProbe>,
    /// The refresh attempt.
    #[serde(default)]
    pub refresh: Option<RefreshAttempt>,
    /// RFC 3339.
    pub validated_at: String,
    /// Every other field (`type`, newer fields).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `mcp_probe` of a validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct McpProbe {
    /// The MCP method tried (`initialize`).
    pub method: String,
    /// What the server answered.
    #[serde(default)]
    pub http_response: Option<HttpResponse>,
}

/// `refresh` of a validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshAttempt {
    /// What happened.
    pub status: RefreshStatus,
    /// What the token endpoint answered.
    #[serde(default)]
    pub http_response: Option<HttpResponse>,
}

/// An HTTP answer seen during validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpResponse {
    /// Status code.
    pub status_code: u16,
    /// `Content-Type`.
    #[serde(default)]
    pub content_type: Option<String>,
    /// The body (possibly cut).
    #[serde(default)]
    pub body: String,
    /// True when `body` was cut.
    #[serde(default)]
    pub body_truncated: bool,
}
