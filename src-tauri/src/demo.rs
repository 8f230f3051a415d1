//! The Demo profile: the fake API running in-process on a loopback port, seeded with example
//! agents, environments, a vault and past sessions. Everything it shows is a simulation.

use std::collections::BTreeMap;
use std::time::Duration;

use hangar_api::agents::{AgentCreate, KnownTool, McpServer, PermissionPolicy, Tool, ToolConfig};
use hangar_api::environments::EnvironmentCreate;
use hangar_api::events::EventParams;
use hangar_api::ids::SessionId;
use hangar_api::sessions::{AgentRef, SessionCreate};
use hangar_api::vaults::{CredentialAuth, CredentialCreate, VaultCreate};
use hangar_api::{ApiKey, Client, ClientConfig};
use hangar_fake_api::{FakeConfig, FakeServer};
use hangar_types::model::common::Secret;
use hangar_types::ErrorKind;
use serde_json::json;

use crate::error::{ShellError, ShellResult};
use crate::state::{AppState, DEMO_ID};

/// The key the Demo profile uses with its own fake: not a secret, accepted by nothing real.
pub const DEMO_KEY: &str = "demo-key-not-a-secret";

/// The Demo's simulated API, started the first time Demo is shown (not on every launch).
#[derive(Default)]
pub struct DemoSlot {
    server: tokio::sync::OnceCell<FakeServer>,
}

impl DemoSlot {
    /// A client for the Demo API and its base URL, starting (and seeding) it on first use.
    pub async fn client(&self, state: &AppState) -> ShellResult<(Client, String)> {
        let server = self
            .server
            .get_or_try_init(|| async {
                let server = FakeServer::start(FakeConfig {
                    turn_delay: Duration::from_millis(250),
                    ..FakeConfig::default()
                })
                .await
                .map_err(|e| {
                    ShellError::kind(
                        ErrorKind::Internal,
                        format!("The Demo could not start its simulated API: {e}"),
                    )
                })?;
                // The simulated API is new at every start: what was cached of an earlier one
                // no longer exists.
                state.write(|s| s.clear_sessions(DEMO_ID)).await?;
                let client = demo_client(&server.base_url())?;
                tracing::info!("demo API started at {}", server.base_url());
                tokio::spawn(async move {
                    match seed(&client).await {
                        Ok(sessions) => {
                            tracing::info!("demo seeded with {} sessions", sessions.len())
                        }
                        Err(e) => tracing::error!("demo: seeding failed: {e}"),
                    }
                });
                Ok::<_, ShellError>(server)
            })
            .await?;
        let base_url = server.base_url();
        Ok((demo_client(&base_url)?, base_url))
    }

    /// The running server, if Demo was shown already.
    pub fn server(&self) -> Option<&FakeServer> {
        self.server.get()
    }
}

fn demo_client(base_url: &str) -> Result<Client, hangar_api::Error> {
    Client::new(ClientConfig::with_base_url(base_url, ApiKey::new(DEMO_KEY)))
}

fn toolset(bash_policy: PermissionPolicy) -> Tool {
    Tool::Known(KnownTool::Toolset {
        default_config: None,
        configs: vec![ToolConfig {
            name: "bash".into(),
            enabled: Some(true),
            permission_policy: Some(bash_policy),
            extra: Default::default(),
        }],
    })
}

/// A wire model written as the API's JSON (easier to read than nested constructors).
fn from_json<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
) -> Result<T, hangar_api::Error> {
    serde_json::from_value(value).map_err(|e| hangar_api::Error::Invalid(e.to_string()))
}

/// Fills the demo with examples; returns the ids of the sessions it started.
pub async fn seed(client: &Client) -> Result<Vec<SessionId>, hangar_api::Error> {
    let support = client
        .agents()
        .create(&AgentCreate {
            name: "Support agent".into(),
            description: Some("Answers order questions and looks orders up".into()),
            model: from_json(json!({"id": "claude-opus-5-5", "effort": {"type": "high"}}))?,
            system: Some("You are a friendly support agent for an online shop. Look orders up before answering.".into()),
            tools: vec![
                toolset(PermissionPolicy::AlwaysAsk),
                Tool::Known(KnownTool::Mcp { mcp_server_name: "github".into(), default_config: None, configs: vec![] }),
                Tool::Known(KnownTool::Custom {
                    name: "lookup_order".into(),
                    description: "Look up an order by number".into(),
                    input_schema: json!({"type": "object", "properties": {"order_id": {"type": "string"}}, "required": ["order_id"]}),
                }),
            ],
            mcp_servers: vec![McpServer { kind: "url".into(), name: "github".into(), url: "https://api.githubcopilot.com/mcp/".into() }],
            metadata: BTreeMap::from([("team".into(), "support".into())]),
            ..Default::default()
        })
        .await?;
    let analyst = client
        .agents()
        .create(&AgentCreate {
            name: "Data analyst".into(),
            description: Some("Explores CSV files with Python".into()),
            model: "claude-sonnet-5-5".into(),
            system: Some("You analyse data with pandas and explain results plainly.".into()),
            tools: vec![toolset(PermissionPolicy::AlwaysAllow)],
            ..Default::default()
        })
        .await?;
    client
        .agents()
        .create(&AgentCreate {
            name: "Release notes writer".into(),
            model: "claude-haiku-5-5".into(),
            system: Some("Write short, friendly release notes.".into()),
            ..Default::default()
        })
        .await?;
    let data_env = client
        .environments()
        .create(&EnvironmentCreate {
            name: "python-data".into(),
            description: Some("Python with pandas; only the package index and our API".into()),
            config: Some(from_json(json!({"type": "cloud", "networking": {"type": "limited", "allowed_hosts": ["api.example.com"], "allow_package_managers": true}, "packages": {"pip": ["pandas==2.2.3", "matplotlib"]}}))?),
            ..Default::default()
        })
        .await?;
    let open_env = client
        .environments()
        .create(&EnvironmentCreate {
            name: "general".into(),
            description: Some("Unrestricted network".into()),
            ..Default::default()
        })
        .await?;
    let vault = client
        .vaults()
        .create(&VaultCreate {
            display_name: "Team credentials".into(),
            ..VaultCreate::default()
        })
        .await?;
    client
        .vaults()
        .create_credential(
            &vault.id,
            &CredentialCreate {
                display_name: Some("GitHub MCP".into()),
                ..CredentialCreate::new(CredentialAuth::StaticBearer {
                    mcp_server_url: "https://api.githubcopilot.com/mcp/".into(),
                    token: Secret::new("demo-token-not-a-secret"),
                })
            },
        )
        .await?;
    let mut started = Vec::new();
    for (agent, env, title, message) in [
        (
            &analyst.id,
            &data_env.id,
            "Quarterly revenue check",
            "Look at the files and tell me what is in the workspace",
        ),
        (
            &support.id,
            &open_env.id,
            "Order #1234",
            "Where is my order #1234? Please use lookup_order.",
        ),
    ] {
        let mut body = SessionCreate::new(AgentRef::Latest(agent.clone()), env.clone());
        body.title = Some(title.into());
        body.vault_ids = vec![vault.id.clone()];
        body.initial_events = vec![EventParams::message(message)];
        started.push(client.sessions().create(&body).await?.id);
    }
    Ok(started)
}
