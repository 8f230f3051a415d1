//! The environment form's model and the credential form's model: fields to and from the API's
//! bodies, with the shared checks.

use hangar_types::model::common::Secret;
use hangar_types::model::environments::{
    CloudConfig, EnvironmentConfig, EnvironmentCreate, EnvironmentScope, Networking, Packages,
};
use hangar_types::model::vaults::{
    CredentialAuth, CredentialNetworking, InjectionLocation, OauthRefresh, TokenEndpointAuth,
};
use hangar_types::{environment_problems, validate, CredentialCreateInput, VaultId};
use serde_json::Value;

use crate::form::{fields, Field, Form};

/// What the environment form keeps without showing it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EnvKept {
    /// A self-hosted or unknown config: sent back as it was.
    pub other_config: Option<EnvironmentConfig>,
    /// Unknown cloud parts.
    pub cloud_extra: serde_json::Map<String, Value>,
    /// Its scope.
    pub scope: Option<EnvironmentScope>,
}

/// The environment form.
#[derive(Debug, Clone)]
pub struct EnvFields {
    /// Name.
    pub name: Field<String>,
    /// Description.
    pub description: Field<String>,
    /// `unrestricted` or `limited`.
    pub networking: Field<String>,
    /// Allowed hosts, one per line as typed.
    pub hosts: Field<Vec<String>>,
    /// Allow MCP servers.
    pub allow_mcp: Field<bool>,
    /// Allow package managers.
    pub allow_packages: Field<bool>,
    /// apt packages.
    pub apt: Field<Vec<String>>,
    /// cargo crates.
    pub cargo: Field<Vec<String>>,
    /// gems.
    pub gem: Field<Vec<String>>,
    /// go modules.
    pub go: Field<Vec<String>>,
    /// npm packages.
    pub npm: Field<Vec<String>>,
    /// pip packages.
    pub pip: Field<Vec<String>>,
    /// Metadata.
    pub metadata: Field<Vec<(String, String)>>,
    /// Kept as it was.
    pub kept: Field<EnvKept>,
}
fields!(EnvFields {
    name,
    description,
    networking,
    hosts,
    allow_mcp,
    allow_packages,
    apt,
    cargo,
    gem,
    go,
    npm,
    pip,
    metadata,
    kept
});

#[allow(clippy::ptr_arg, reason = "a field check takes the field's own type")]
fn check_packages(lines: &Vec<String>) -> Result<(), String> {
    validate::packages(lines).map(drop)
}

impl EnvFields {
    /// An empty form: cloud, unrestricted.
    pub fn empty() -> Self {
        Self::from_config(&EnvironmentCreate::default())
    }

    /// The form filled from a configuration.
    pub fn from_config(c: &EnvironmentCreate) -> Self {
        let mut kept = EnvKept {
            scope: c.scope.clone(),
            ..EnvKept::default()
        };
        let cloud = match &c.config {
            None => CloudConfig::default(),
            Some(EnvironmentConfig::Cloud(cloud)) => cloud.clone(),
            Some(other) => {
                kept.other_config = Some(other.clone());
                CloudConfig::default()
            }
        };
        kept.cloud_extra = cloud.extra.clone();
        let (networking, hosts, allow_mcp, allow_packages) = match &cloud.networking {
            Some(Networking::Limited {
                allowed_hosts,
                allow_mcp_servers,
                allow_package_managers,
            }) => (
                "limited",
                allowed_hosts.clone(),
                allow_mcp_servers.unwrap_or(false),
                allow_package_managers.unwrap_or(false),
            ),
            _ => ("unrestricted", Vec::new(), false, false),
        };
        let p = cloud.packages.clone().unwrap_or_default();
        let list = |l: &Option<Vec<String>>| l.clone().unwrap_or_default();
        EnvFields {
            name: Field::new("name", c.name.clone())
                .checked(|v| validate::environment_name(v).map(drop)),
            description: Field::new("description", c.description.clone().unwrap_or_default()),
            networking: Field::new("networking", networking.to_string()),
            hosts: Field::new("allowedHosts", hosts)
                .checked(|v| validate::allowed_hosts(v).map(drop)),
            allow_mcp: Field::new("allowMcpServers", allow_mcp),
            allow_packages: Field::new("allowPackageManagers", allow_packages),
            apt: Field::new("packages.apt", list(&p.apt)).checked(check_packages),
            cargo: Field::new("packages.cargo", list(&p.cargo)).checked(check_packages),
            gem: Field::new("packages.gem", list(&p.gem)).checked(check_packages),
            go: Field::new("packages.go", list(&p.go)).checked(check_packages),
            npm: Field::new("packages.npm", list(&p.npm)).checked(check_packages),
            pip: Field::new("packages.pip", list(&p.pip)).checked(check_packages),
            metadata: Field::new(
                "metadata",
                c.metadata
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            )
            .checked(|rows| validate::metadata(rows).map(drop)),
            kept: Field::new("kept", kept),
        }
    }

    /// Self-hosted (or unknown) environments have no networking or packages to edit.
    pub fn is_cloud(&self) -> bool {
        self.kept.value().other_config.is_none()
    }

    /// The configuration the form describes.
    pub fn config(&self) -> EnvironmentCreate {
        let clean = |lines: &Vec<String>| -> Vec<String> {
            lines
                .iter()
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .collect()
        };
        let kept = self.kept.value();
        let config = match &kept.other_config {
            Some(other) => other.clone(),
            None => {
                let networking = if self.networking.value() == "limited" {
                    Networking::Limited {
                        allowed_hosts: clean(self.hosts.value())
                            .into_iter()
                            .map(|h| h.to_ascii_lowercase())
                            .collect(),
                        allow_mcp_servers: Some(*self.allow_mcp.value()),
                        allow_package_managers: Some(*self.allow_packages.value()),
                    }
                } else {
                    Networking::Unrestricted
                };
                let packages = Packages {
                    kind: None,
                    apt: Some(clean(self.apt.value())),
                    cargo: Some(clean(self.cargo.value())),
                    gem: Some(clean(self.gem.value())),
                    go: Some(clean(self.go.value())),
                    npm: Some(clean(self.npm.value())),
                    pip: Some(clean(self.pip.value())),
                    extra: Default::default(),
                };
                EnvironmentConfig::Cloud(CloudConfig {
                    networking: Some(networking),
                    packages: Some(packages),
                    extra: kept.cloud_extra.clone(),
                })
            }
        };
        EnvironmentCreate {
            name: self.name.value().trim().to_string(),
            description: Some(self.description.value().clone()).filter(|d| !d.trim().is_empty()),
            config: Some(config),
            metadata: self
                .metadata
                .value()
                .iter()
                .filter(|(k, v)| !(k.trim().is_empty() && v.trim().is_empty()))
                .map(|(k, v)| (k.trim().to_string(), v.clone()))
                .collect(),
            scope: kept.scope.clone(),
        }
    }

    /// Takes every value from `config` as if typed (the raw view's edits).
    pub fn apply(&mut self, config: &EnvironmentCreate) {
        let f = EnvFields::from_config(config);
        self.name.set(f.name.value().clone());
        self.description.set(f.description.value().clone());
        self.networking.set(f.networking.value().clone());
        self.hosts.set(f.hosts.value().clone());
        self.allow_mcp.set(*f.allow_mcp.value());
        self.allow_packages.set(*f.allow_packages.value());
        self.apt.set(f.apt.value().clone());
        self.cargo.set(f.cargo.value().clone());
        self.gem.set(f.gem.value().clone());
        self.go.set(f.go.value().clone());
        self.npm.set(f.npm.value().clone());
        self.pip.set(f.pip.value().clone());
        self.metadata.set(f.metadata.value().clone());
        self.kept.set(f.kept.value().clone());
    }
}

/// The environment form's cross-field rule: packages under limited networking.
pub fn env_rules(f: &EnvFields) -> Vec<(&'static str, String)> {
    environment_problems(&f.config())
        .into_iter()
        .filter(|(field, _)| field == "allowPackageManagers")
        .map(|(_, message)| ("allowPackageManagers", message))
        .collect()
}

/// A new environment form over `fields`.
pub fn env_form(fields: EnvFields) -> Form<EnvFields> {
    Form::new(fields).with_rules(env_rules)
}

/// The DOM id of each environment field's input.
pub fn env_input_id(field: &str) -> &'static str {
    match field {
        "description" => "env-description",
        "allowedHosts" => "env-hosts",
        "allowPackageManagers" => "env-allow-packages",
        "packages.apt" => "env-packages-apt",
        "packages.cargo" => "env-packages-cargo",
        "packages.gem" => "env-packages-gem",
        "packages.go" => "env-packages-go",
        "packages.npm" => "env-packages-npm",
        "packages.pip" => "env-packages-pip",
        "metadata" => "env-metadata-key-0",
        _ => "env-name",
    }
}

/// The credential types: value, label.
pub const CREDENTIAL_TYPES: [(&str, &str); 3] = [
    ("static_bearer", "Static bearer token (MCP server)"),
    ("mcp_oauth", "MCP OAuth"),
    ("environment_variable", "Environment variable"),
];

/// A credential type's label.
pub fn credential_type_label(kind: &str) -> &str {
    CREDENTIAL_TYPES
        .iter()
        .find(|(v, _)| *v == kind)
        .map_or(kind, |(_, l)| l)
}

/// The "Add credential" form. The secret fields hold what is typed only until it is sent.
#[derive(Debug, Clone)]
pub struct CredentialFields {
    /// `static_bearer`, `mcp_oauth` or `environment_variable`.
    pub kind: Field<String>,
    /// Optional name.
    pub display_name: Field<String>,
    /// The MCP server (bearer, OAuth).
    pub mcp_server_url: Field<String>,
    /// The secret: the token, the access token or the variable's value.
    pub token: Field<String>,
    /// OAuth: when the access token expires.
    pub expires_at: Field<String>,
    /// OAuth: the API refreshes the token.
    pub refresh: Field<bool>,
    /// OAuth refresh: the client id.
    pub client_id: Field<String>,
    /// OAuth refresh: the refresh token (secret).
    pub refresh_token: Field<String>,
    /// OAuth refresh: the token endpoint.
    pub token_endpoint: Field<String>,
    /// OAuth refresh: `none`, `client_secret_basic`, `client_secret_post`.
    pub endpoint_auth: Field<String>,
    /// OAuth refresh: the client secret (secret).
    pub client_secret: Field<String>,
    /// OAuth refresh: the scope.
    pub scope: Field<String>,
    /// OAuth refresh: the resource.
    pub resource: Field<String>,
    /// Environment variable: its name.
    pub secret_name: Field<String>,
    /// Environment variable: `unrestricted` or `limited`.
    pub networking: Field<String>,
    /// Environment variable: the hosts it may be sent to.
    pub hosts: Field<Vec<String>>,
    /// Environment variable: may go in headers.
    pub inject_header: Field<bool>,
    /// Environment variable: may go in bodies.
    pub inject_body: Field<bool>,
}
fields!(CredentialFields {
    kind,
    display_name,
    mcp_server_url,
    token,
    expires_at,
    refresh,
    client_id,
    refresh_token,
    token_endpoint,
    endpoint_auth,
    client_secret,
    scope,
    resource,
    secret_name,
    networking,
    hosts,
    inject_header,
    inject_body
});

impl CredentialFields {
    /// An empty form (a static bearer token, as ux.md says).
    pub fn empty() -> Self {
        let text = |name| Field::new(name, String::new());
        CredentialFields {
            kind: Field::new("kind", "static_bearer".to_string()),
            display_name: text("displayName").checked(|v| validate::credential_name(v).map(drop)),
            mcp_server_url: text("mcpServerUrl"),
            token: text("token"),
            expires_at: text("expiresAt"),
            refresh: Field::new("refresh", false),
            client_id: text("clientId"),
            refresh_token: text("refreshToken"),
            token_endpoint: text("tokenEndpoint"),
            endpoint_auth: Field::new("endpointAuth", "none".to_string()),
            client_secret: text("clientSecret"),
            scope: text("scope"),
            resource: text("resource"),
            secret_name: text("secretName"),
            networking: Field::new("networking", "limited".to_string()),
            hosts: Field::new("allowedHosts", Vec::new()),
            inject_header: Field::new("injectHeader", true),
            inject_body: Field::new("injectBody", false),
        }
    }

    /// The auth the form describes (secrets included: for sending only).
    pub fn auth(&self) -> CredentialAuth {
        let t = |f: &Field<String>| f.value().trim().to_string();
        let opt = |f: &Field<String>| Some(t(f)).filter(|v| !v.is_empty());
        match self.kind.value().as_str() {
            "mcp_oauth" => CredentialAuth::McpOauth {
                mcp_server_url: t(&self.mcp_server_url),
                access_token: Secret::new(t(&self.token)),
                expires_at: opt(&self.expires_at),
                refresh: self.refresh.value().then(|| OauthRefresh {
                    client_id: t(&self.client_id),
                    refresh_token: Secret::new(t(&self.refresh_token)),
                    token_endpoint: t(&self.token_endpoint),
                    token_endpoint_auth: match self.endpoint_auth.value().as_str() {
                        "client_secret_basic" => TokenEndpointAuth::ClientSecretBasic {
                            client_secret: Secret::new(t(&self.client_secret)),
                        },
                        "client_secret_post" => TokenEndpointAuth::ClientSecretPost {
                            client_secret: Secret::new(t(&self.client_secret)),
                        },
                        _ => TokenEndpointAuth::None,
                    },
                    resource: opt(&self.resource),
                    scope: opt(&self.scope),
                }),
            },
            "environment_variable" => CredentialAuth::EnvironmentVariable {
                secret_name: t(&self.secret_name),
                secret_value: Secret::new(t(&self.token)),
                networking: if self.networking.value() == "limited" {
                    CredentialNetworking::Limited {
                        allowed_hosts: self
                            .hosts
                            .value()
                            .iter()
                            .map(|h| h.trim().to_ascii_lowercase())
                            .filter(|h| !h.is_empty())
                            .collect(),
                    }
                } else {
                    CredentialNetworking::Unrestricted
                },
                injection_location: Some(InjectionLocation {
                    header: Some(*self.inject_header.value()),
                    body: Some(*self.inject_body.value()),
                }),
            },
            _ => CredentialAuth::StaticBearer {
                mcp_server_url: t(&self.mcp_server_url),
                token: Secret::new(t(&self.token)),
            },
        }
    }

    /// What is sent to `credential_create`.
    pub fn input(&self, vault_id: VaultId) -> CredentialCreateInput {
        CredentialCreateInput {
            vault_id,
            display_name: Some(self.display_name.value().trim().to_string())
                .filter(|n| !n.is_empty()),
            auth: self.auth(),
        }
    }

    /// The JSON that will be sent, with every secret shown as a placeholder (the raw view).
    pub fn raw_view(&self) -> String {
        let mut value = serde_json::to_value(self.input(VaultId::new("…"))).unwrap_or(Value::Null);
        if let Some(obj) = value.as_object_mut() {
            obj.remove("vaultId");
        }
        hide_secrets(&mut value);
        serde_json::to_string_pretty(&value).unwrap_or_default()
    }

    /// Forgets every secret typed (after sending).
    pub fn clear_secrets(&mut self) {
        self.token.reload(String::new());
        self.refresh_token.reload(String::new());
        self.client_secret.reload(String::new());
    }
}

/// The words that stand for a secret in the raw view.
pub const HIDDEN: &str = "(hidden: typed in its password field)";

fn hide_secrets(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, val) in map.iter_mut() {
                if matches!(
                    k.as_str(),
                    "token" | "access_token" | "refresh_token" | "client_secret" | "secret_value"
                ) {
                    *val = Value::String(HIDDEN.into());
                } else {
                    hide_secrets(val);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(hide_secrets),
        _ => {}
    }
}

/// The credential form's checks, each on its field.
pub fn credential_rules(f: &CredentialFields) -> Vec<(&'static str, String)> {
    let input = f.input(VaultId::new("v"));
    hangar_types::credential_problems(input.display_name.as_deref(), &input.auth)
        .into_iter()
        .filter_map(|(field, message)| {
            let at: &'static str = match field.as_str() {
                "mcpServerUrl" => "mcpServerUrl",
                "token" => "token",
                "secretName" => "secretName",
                "allowedHosts" => "allowedHosts",
                "tokenEndpoint" => "tokenEndpoint",
                "clientId" => "clientId",
                "clientSecret" => "clientSecret",
                "expiresAt" => "expiresAt",
                "refreshToken" => "refreshToken",
                _ => return None,
            };
            Some((at, message))
        })
        .collect()
}

/// A new credential form.
pub fn credential_form() -> Form<CredentialFields> {
    Form::new(CredentialFields::empty()).with_rules(credential_rules)
}

/// The DOM id of each credential field's input.
pub fn credential_input_id(field: &str) -> &'static str {
    match field {
        "mcpServerUrl" => "cred-url",
        "token" => "cred-token",
        "secretName" => "cred-secret-name",
        "allowedHosts" => "cred-hosts",
        "tokenEndpoint" => "cred-token-endpoint",
        "clientId" => "cred-client-id",
        "clientSecret" => "cred-client-secret",
        "expiresAt" => "cred-expires",
        "refreshToken" => "cred-refresh-token",
        "displayName" => "cred-name",
        _ => "cred-type",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn environments_round_trip_and_refuse_bad_hosts_inline() {
        let c: EnvironmentCreate = serde_json::from_value(json!({"name": "python-data", "description": "d",
            "config": {"type": "cloud", "networking": {"type": "limited", "allowed_hosts": ["api.example.com"], "allow_package_managers": true},
                "packages": {"pip": ["pandas==2.2.3"]}}, "metadata": {"team": "data"}}))
        .unwrap();
        let f = EnvFields::from_config(&c);
        assert_eq!(f.networking.value(), "limited");
        assert_eq!(EnvFields::from_config(&f.config()).config(), f.config());
        let mut form = env_form(f);
        form.edit(|f| {
            f.hosts.set(vec![
                "api.example.com".into(),
                "https://bad.example.com".into(),
            ])
        });
        assert_eq!(form.first_invalid(), Some("allowedHosts"));
        assert!(form
            .error_for("allowedHosts")
            .is_some_and(|e| e.starts_with("Line 2")));
        form.edit(|f| {
            f.hosts
                .set(vec!["api.example.com".into(), "files.example.com".into()]);
            f.allow_packages.set(false);
        });
        assert_eq!(form.first_invalid(), Some("allowPackageManagers"));
        let selfhosted: EnvironmentCreate =
            serde_json::from_value(json!({"name": "mine", "config": {"type": "self_hosted"}}))
                .unwrap();
        let f = EnvFields::from_config(&selfhosted);
        assert!(!f.is_cloud());
        assert_eq!(f.config().config, selfhosted.config);
    }

    #[test]
    fn credentials_hide_their_secrets_in_the_raw_view() {
        let mut f = CredentialFields::empty();
        f.mcp_server_url.set("https://mcp.example.com/mcp".into());
        f.token.set("tok_SECRET".into());
        let raw = f.raw_view();
        assert!(!raw.contains("tok_SECRET") && raw.contains(HIDDEN), "{raw}");
        assert!(credential_rules(&f).is_empty());
        f.kind.set("environment_variable".into());
        f.secret_name.set("API_KEY".into());
        f.hosts.set(vec!["api.example.com".into()]);
        let v = serde_json::to_value(f.auth()).unwrap();
        assert_eq!(
            v["networking"],
            json!({"type": "limited", "allowed_hosts": ["api.example.com"]})
        );
        f.clear_secrets();
        assert!(f.token.value().is_empty() && !f.token.is_dirty());
        assert!(credential_rules(&f).iter().any(|(f, _)| *f == "token"));
    }
}
