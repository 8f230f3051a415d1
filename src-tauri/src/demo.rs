//! The Demo profile: the fake API running in-process on a loopback port, seeded with example
//! agents, environments, a vault and past sessions. Everything it shows is a simulation.

use std::collections::BTreeMap;
use std::time::Duration;

use hangar_api::agents::{AgentCreate, KnownTool, McpServer, Tool, ToolConfig};
use hangar_api::environments::EnvironmentCreate;
use hangar_api::events::EventParams;
use hangar_api::sessions::{AgentRef, SessionCreate};
use hangar_api::vaults::{CredentialAuth, CredentialCreate};
use hangar_api::{ApiKey, Client, ClientConfig};
use hangar_fake_api::{FakeConfig, FakeServer};
use serde_json::json;

/// The key the Demo profile uses with its own fake: not a secret, accepted by nothing real.
pub const DEMO_KEY: &str = "demo-key-not-a-secret";

/// A running demo API.
pub struct Demo {
    /// Kept alive for the app's lifetime.
    pub server: FakeServer,
}

impl Demo {
    /// Starts the fake on `127.0.0.1:0`.
    pub async fn start() -> std::io::Result<Self> {
        let server = FakeServer::start(FakeConfig {
            turn_delay: Duration::from_millis(250),
            ..FakeConfig::default()
        })
        .await?;
        Ok(Self { server })
    }

    /// A client for it.
    pub fn client(&self) -> Result<Client, hangar_api::Error> {
        Client::new(ClientConfig::with_base_url(
            self.server.base_url(),
            ApiKey::new(DEMO_KEY),
        ))
    }
}

fn toolset(bash_policy: &str) -> Tool {
    Tool::Known(KnownTool::Toolset {
        default_config: None,
        configs: vec![ToolConfig {
            name: "bash".into(),
            enabled: Some(true),
            permission_policy: Some(json!({"type": bash_policy})),
            extra: Default::default(),
        }],
    })
}

/// Fills the demo with examples; returns the ids of the sessions it started.
pub async fn seed(client: &Client) -> Result<Vec<String>, hangar_api::Error> {
    let support = client
        .agents()
        .create(&AgentCreate {
            name: "Support agent".into(),
            description: Some("Answers order questions and looks orders up".into()),
            model: json!({"id": "claude-opus-5-5", "effort": "high"}),
            system: Some("You are a friendly support agent for an online shop. Look orders up before answering.".into()),
            tools: vec![
                toolset("always_ask"),
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
            model: json!("claude-sonnet-5-5"),
            system: Some("You analyse data with pandas and explain results plainly.".into()),
            tools: vec![toolset("always_allow")],
            ..Default::default()
        })
        .await?;
    client
        .agents()
        .create(&AgentCreate {
            name: "Release notes writer".into(),
            model: json!("claude-haiku-5-5"),
            system: Some("Write short, friendly release notes.".into()),
            ..Default::default()
        })
        .await?;
    let data_env = client
        .environments()
        .create(&EnvironmentCreate {
            name: "python-data".into(),
            description: Some("Python with pandas; only the package index and our API".into()),
            config: Some(json!({"type": "cloud", "networking": {"type": "limited", "allowed_hosts": ["api.example.com"], "allow_package_managers": true}, "packages": {"pip": ["pandas==2.2.3", "matplotlib"]}})),
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
        .create("Team credentials", &BTreeMap::new())
        .await?;
    client
        .vaults()
        .create_credential(
            &vault.id,
            &CredentialCreate {
                display_name: Some("GitHub MCP".into()),
                auth: CredentialAuth::StaticBearer {
                    mcp_server_url: "https://api.githubcopilot.com/mcp/".into(),
                    token: "demo-token-not-a-secret".into(),
                },
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
