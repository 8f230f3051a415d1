#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on any error"
)]
//! Wire shapes, family by family, against the reference's §7 examples: every answer object
//! reads into its typed model and writes back the same JSON; every request body built in Rust
//! is exactly the JSON of §7.4 and reads back; unknown fields and enum values are tolerated;
//! secrets never reach a response type or a `Debug` line.
//!
//! `tests/fixtures/objects/*.json` are the §7.1 objects copied verbatim from the reference.

use hangar_model::agents::*;
use hangar_model::common::{Budget, Deleted, Money, Page, Patch, Secret};
use hangar_model::environments::*;
use hangar_model::events::{ContentBlock, EventParams};
use hangar_model::files::*;
use hangar_model::sessions::*;
use hangar_model::skills::*;
use hangar_model::vaults::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/objects/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// `null`, `[]` and absent mean the same for an answer's optional fields and lists (requests
/// omit empty lists; answers write them out).
fn without_nulls(v: Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()))
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// Reads `wire` as `T`, checks it writes back the same JSON (up to nulls) and reads back equal.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(wire: Value) -> T {
    let typed: T = serde_json::from_value(wire.clone()).unwrap();
    let back = serde_json::to_value(&typed).unwrap();
    assert_eq!(
        without_nulls(back.clone()),
        without_nulls(wire),
        "{typed:#?}"
    );
    assert_eq!(serde_json::from_value::<T>(back).unwrap(), typed);
    typed
}

/// A request body: exactly `wire` out, and the same body back in.
fn request<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(body: &T, wire: Value) {
    assert_eq!(serde_json::to_value(body).unwrap(), wire);
    assert_eq!(&serde_json::from_value::<T>(wire).unwrap(), body);
}

// --- Answers (§7.1, §7.3) ---------------------------------------------------------------

#[test]
fn agent() {
    let agent: Agent = round_trip(fixture("agent"));
    assert_eq!(agent.id, "agent_011CZkYpogX7uDKUyvBTophP");
    assert_eq!(agent.model.id, "claude-opus-5-5");
    assert_eq!(
        agent.model.effort.as_ref().map(Effort::level),
        Some(&EffortLevel::High)
    );
    assert_eq!(agent.model.speed, Some(Speed::Standard));
    let [Tool::Known(KnownTool::Toolset {
        default_config,
        configs,
    }), Tool::Known(KnownTool::Mcp {
        mcp_server_name, ..
    }), Tool::Known(KnownTool::Custom { input_schema, .. })] = agent.tools.as_slice()
    else {
        panic!("{:?}", agent.tools)
    };
    assert_eq!(
        default_config.as_ref().unwrap().permission_policy,
        Some(PermissionPolicy::AlwaysAllow)
    );
    let policies: Vec<_> = configs
        .iter()
        .map(|c| (c.name.as_str(), c.permission_policy.clone().unwrap()))
        .collect();
    assert_eq!(
        policies,
        [
            ("bash", PermissionPolicy::AlwaysAsk),
            ("web_fetch", PermissionPolicy::Auto),
            ("web_search", PermissionPolicy::AlwaysAllow),
        ]
    );
    assert_eq!(configs[1].extra.get("url_sources"), Some(&Value::Null));
    assert_eq!(configs[2].enabled, Some(false));
    assert_eq!(mcp_server_name, "github");
    assert_eq!(input_schema["required"], json!(["order_id"]));
    assert_eq!(
        agent.mcp_servers,
        [McpServer::url(
            "github",
            "https://api.githubcopilot.com/mcp/"
        )]
    );
    assert_eq!(
        agent.skills,
        [SkillRef {
            kind: SkillKind::Anthropic,
            skill_id: "xlsx".into(),
            version: Some("latest".into()),
        }]
    );
    assert_eq!(
        agent.execution_identity,
        Some(ExecutionIdentity::ServiceAccount)
    );
    assert_eq!(agent.metadata["team"], "support");
    assert_eq!((agent.version, agent.archived_at.as_deref()), (3, None));

    // A list page of them.
    let page: Page<Agent> = round_trip(
        json!({"data":[fixture("agent")],"next_page":"page_MjAyNi0xMS0yMFQxMDowMDowMFo"}),
    );
    assert_eq!(page.data, [agent]);
    assert_eq!(
        page.next_page.as_deref(),
        Some("page_MjAyNi0xMS0yMFQxMDowMDowMFo")
    );
}

#[test]
fn environment() {
    let env: Environment = round_trip(fixture("environment"));
    assert_eq!(env.id, "env_011CZkZ9X2dpNyB7HsEFoRfW");
    assert_eq!(env.scope, Some(EnvironmentScope::Organization));
    let EnvironmentConfig::Cloud(cloud) = &env.config else {
        panic!("{:?}", env.config)
    };
    assert_eq!(
        cloud.networking,
        Some(Networking::Limited {
            allowed_hosts: vec!["api.example.com".into()],
            allow_mcp_servers: Some(true),
            allow_package_managers: Some(true),
        })
    );
    let packages = cloud.packages.as_ref().unwrap();
    assert_eq!(packages.pip, Some(vec!["pandas==2.2.3".into()]));
    assert_eq!(packages.cargo, Some(vec![]));
    assert!(!packages.is_empty());
    let self_hosted: EnvironmentConfig = round_trip(json!({"type":"self_hosted"}));
    assert_eq!(self_hosted, EnvironmentConfig::SelfHosted);
    let open: EnvironmentConfig =
        round_trip(json!({"type":"cloud","networking":{"type":"unrestricted"}}));
    assert!(matches!(
        open,
        EnvironmentConfig::Cloud(CloudConfig {
            networking: Some(Networking::Unrestricted),
            ..
        })
    ));
}

#[test]
fn session() {
    let session: Session = round_trip(fixture("session"));
    assert_eq!(session.id, "sesn_011CZkZAtmR3yMPDzynEDxu7");
    assert_eq!(session.status, SessionStatus::Idle);
    assert_eq!(session.environment_id, "env_011CZkZ9X2dpNyB7HsEFoRfW");
    assert_eq!(
        (session.agent.id.as_str(), session.agent.version),
        ("agent_011CZkYpogX7uDKUyvBTophP", 3)
    );
    assert_eq!(session.agent.tools.len(), 3);
    let [SessionResource::GithubRepository(repo)] = session.resources.as_slice() else {
        panic!("{:?}", session.resources)
    };
    assert_eq!(repo.id, "sesrsc_011CZkZBJq5dWxk9fVLNcPht");
    assert_eq!(
        repo.checkout,
        Some(Checkout::Branch {
            name: "main".into()
        })
    );
    assert_eq!(
        session.vault_ids,
        [hangar_model::VaultId::from("vlt_011CZkZDLs7fYzm1hXNPeRjv")]
    );
    assert_eq!(session.budget, Some(Budget::limit("2500", "USD")));
    assert_eq!(session.stats.active_seconds, Some(12.5));
    let usage = &session.usage;
    assert_eq!(
        (usage.input_tokens, usage.output_tokens),
        (Some(5120), Some(830))
    );
    assert_eq!(usage.cache_read_input_tokens, Some(4096));
    assert_eq!(
        usage.cache_creation,
        Some(CacheCreation {
            ephemeral_5m_input_tokens: Some(1024),
            ephemeral_1h_input_tokens: Some(0)
        })
    );
    assert_eq!(
        usage.server_tool_use.as_ref().unwrap().web_fetch_requests,
        Some(1)
    );
    assert_eq!(usage.list_cost, Some(Money::new("7", "USD")));
    assert_eq!(usage.active_seconds, Some(12.5));
    assert_eq!(session.deployment_id, None);

    // Outcome evaluations, when there are some.
    let mut wire = fixture("session");
    wire["outcome_evaluations"] = json!([{"type":"outcome_evaluation","outcome_id":"outc_01Example","description":"CSV","iteration":1,"result":"satisfied","explanation":"ok","completed_at":"2026-11-20T10:01:00Z"}]);
    let session: Session = round_trip(wire);
    let eval = &session.outcome_evaluations[0];
    assert_eq!(
        (eval.outcome_id.as_str(), &eval.result, eval.iteration),
        ("outc_01Example", &OutcomeResult::Satisfied, 1)
    );
}

#[test]
fn session_resources_and_threads() {
    let file: SessionResource = round_trip(
        json!({"type":"file","id":"sesrsc_011CZkZBJq5dWxk9fVLNcPht","file_id":"file_011CNha8iCJcU1wXNR6q4V8w","mount_path":"/mnt/session/uploads/file_011CNha8iCJcU1wXNR6q4V8w","created_at":"2026-11-20T10:00:00Z","updated_at":"2026-11-20T10:00:00Z"}),
    );
    assert!(
        matches!(&file, SessionResource::File(f) if f.file_id == "file_011CNha8iCJcU1wXNR6q4V8w")
    );
    let memory: SessionResource = round_trip(
        json!({"type":"memory_store","memory_store_id":"memstore_01","access":"read_only","mount_path":"/mnt/memory/prefs"}),
    );
    assert!(
        matches!(&memory, SessionResource::MemoryStore(m) if m.access == Some(MemoryAccess::ReadOnly))
    );

    let thread: SessionThread = round_trip(fixture("session_thread"));
    assert_eq!(thread.id, "sthr_011CZkZVWa6oJjw1rgXZpnBt");
    assert_eq!(thread.session_id, "sesn_011CZkZAtmR3yMPDzynEDxu7");
    assert_eq!(thread.parent_thread_id, None);
    let ThreadAgent::Agent(agent) = &thread.agent else {
        panic!("{:?}", thread.agent)
    };
    assert_eq!(agent.name, "Support agent");
    assert_eq!(thread.stats.as_ref().unwrap().startup_seconds, Some(2.1));
    assert_eq!(thread.usage.as_ref().unwrap().output_tokens, Some(830));
    let advisor: ThreadAgent = round_trip(json!({"type":"advisor","model":"claude-opus-5-5"}));
    assert_eq!(
        advisor,
        ThreadAgent::Advisor {
            model: "claude-opus-5-5".into()
        }
    );
}

#[test]
fn vault_and_every_credential_type() {
    let vault: Vault = round_trip(fixture("vault"));
    assert_eq!(
        (vault.id.as_str(), vault.display_name.as_str()),
        ("vlt_011CZkZDLs7fYzm1hXNPeRjv", "Customer 42")
    );

    let oauth: Credential = round_trip(fixture("credential_mcp_oauth"));
    assert_eq!(oauth.id, "vcrd_011CZkZEMt8gZan2iYPQfSkw");
    assert_eq!(oauth.vault_id, vault.id);
    assert_eq!(
        oauth.auth,
        CredentialAuthInfo::McpOauth {
            mcp_server_url: "https://api.githubcopilot.com/mcp/".into(),
            expires_at: Some("2026-11-21T10:00:00Z".into()),
            refresh: Some(OauthRefreshInfo {
                client_id: "abc123".into(),
                token_endpoint: "https://github.com/login/oauth/access_token".into(),
                token_endpoint_auth: TokenEndpointAuthInfo {
                    kind: TokenEndpointAuthKind::ClientSecretPost
                },
                resource: None,
                scope: Some("repo".into()),
            }),
        }
    );

    let bearer: Credential = round_trip(fixture("credential_static_bearer"));
    assert_eq!(
        bearer.auth,
        CredentialAuthInfo::StaticBearer {
            mcp_server_url: "https://mcp.example.com/sse".into()
        }
    );

    let env_var: Credential = round_trip(fixture("credential_environment_variable"));
    assert_eq!(
        env_var.auth,
        CredentialAuthInfo::EnvironmentVariable {
            secret_name: "STRIPE_API_KEY".into(),
            networking: CredentialNetworking::Limited {
                allowed_hosts: vec!["api.stripe.com".into()]
            },
            injection_location: InjectionLocation {
                body: Some(false),
                header: Some(true)
            },
        }
    );

    let validation: CredentialValidation = round_trip(
        json!({"type":"vault_credential_validation","credential_id":"vcrd_1","vault_id":"vlt_1","status":"invalid","has_refresh_token":true,"mcp_probe":{"method":"initialize","http_response":{"status_code":401,"content_type":"application/json","body":"{\"error\":\"invalid_token\"}","body_truncated":false}},"refresh":{"status":"failed","http_response":null},"validated_at":"2026-11-20T10:05:00Z"}),
    );
    assert_eq!(validation.status, ValidationStatus::Invalid);
    assert_eq!(
        validation
            .mcp_probe
            .unwrap()
            .http_response
            .unwrap()
            .status_code,
        401
    );
    assert_eq!(validation.refresh.unwrap().status, RefreshStatus::Failed);
}

#[test]
fn file_and_skill() {
    let file: FileMetadata = round_trip(fixture("file"));
    assert_eq!(file.id, "file_011CNha8iCJcU1wXNR6q4V8w");
    assert_eq!((file.size_bytes, file.downloadable), (48213, Some(true)));
    assert_eq!(
        file.scope,
        Some(FileScope::Session {
            id: "sesn_011CZkZAtmR3yMPDzynEDxu7".into()
        })
    );

    let skill: Skill = round_trip(
        json!({"id":"skill_01AbC","type":"skill","display_name":"Invoice parser","latest_version_id":"skillver_1","source":{"type":"custom"},"created_at":"2026-11-20T10:00:00Z","updated_at":"2026-11-20T10:00:00Z"}),
    );
    assert_eq!(skill.id, "skill_01AbC");
    assert_eq!(skill.latest_version_id.as_deref(), Some("skillver_1"));
    assert_eq!(skill.source, Some(SkillSource::Custom));
    let version: SkillVersion = round_trip(
        json!({"id":"skillver_1","type":"skill_version","skill_id":"skill_01AbC","name":"invoice-parser","description":"Parses invoices","created_at":"2026-11-20T10:00:00Z"}),
    );
    assert_eq!(
        (version.skill_id, version.name.as_str()),
        (skill.id, "invoice-parser")
    );
}

#[test]
fn deletes() {
    for (id, kind) in [
        ("sesn_011CZkZAtmR3yMPDzynEDxu7", "session_deleted"),
        ("env_011CZkZ9X2dpNyB7HsEFoRfW", "environment_deleted"),
        ("vlt_1", "vault_deleted"),
        ("vcrd_1", "vault_credential_deleted"),
        ("sesrsc_1", "session_resource_deleted"),
        ("file_1", "file_deleted"),
    ] {
        let d: Deleted = round_trip(json!({"id": id, "type": kind}));
        assert_eq!((d.id.as_str(), d.kind.as_str()), (id, kind));
    }
}

// --- Request bodies (§7.4) ----------------------------------------------------------------

#[test]
fn create_agent_body() {
    let body = AgentCreate {
        name: "Support agent".into(),
        model: ModelSpec::Config(ModelConfig {
            effort: Some(Effort::Level(EffortLevel::High)),
            ..ModelConfig::new("claude-opus-5-5")
        }),
        system: Some("You are a helpful support agent.".into()),
        tools: vec![
            Tool::Known(KnownTool::Toolset {
                default_config: Some(ToolDefaults {
                    enabled: None,
                    permission_policy: Some(PermissionPolicy::AlwaysAllow),
                }),
                configs: vec![
                    ToolConfig {
                        name: "bash".into(),
                        permission_policy: Some(PermissionPolicy::AlwaysAsk),
                        ..Default::default()
                    },
                    ToolConfig {
                        name: "web_search".into(),
                        enabled: Some(false),
                        ..Default::default()
                    },
                ],
            }),
            Tool::Known(KnownTool::Mcp {
                mcp_server_name: "github".into(),
                default_config: None,
                configs: vec![],
            }),
            Tool::Known(KnownTool::Custom {
                name: "lookup_order".into(),
                description: "Look up an order".into(),
                input_schema: json!({"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}),
            }),
        ],
        mcp_servers: vec![McpServer::url(
            "github",
            "https://api.githubcopilot.com/mcp/",
        )],
        skills: vec![SkillRef {
            kind: SkillKind::Anthropic,
            skill_id: "xlsx".into(),
            version: None,
        }],
        metadata: [("team".to_string(), "support".to_string())].into(),
        ..Default::default()
    };
    request(
        &body,
        json!({"name":"Support agent","model":{"id":"claude-opus-5-5","effort":"high"},"system":"You are a helpful support agent.","tools":[{"type":"agent_toolset_20260401","default_config":{"permission_policy":{"type":"always_allow"}},"configs":[{"name":"bash","permission_policy":{"type":"always_ask"}},{"name":"web_search","enabled":false}]},{"type":"mcp_toolset","mcp_server_name":"github"},{"type":"custom","name":"lookup_order","description":"Look up an order","input_schema":{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}}],"mcp_servers":[{"type":"url","name":"github","url":"https://api.githubcopilot.com/mcp/"}],"skills":[{"type":"anthropic","skill_id":"xlsx"}],"metadata":{"team":"support"}}),
    );
    // The plain model-id form.
    request(
        &AgentCreate {
            name: "a".into(),
            model: "claude-haiku-5-5".into(),
            ..Default::default()
        },
        json!({"name":"a","model":"claude-haiku-5-5"}),
    );
}

#[test]
fn update_agent_body() {
    request(
        &AgentUpdate {
            version: Some(3),
            system: Patch::Set("New prompt".into()),
            metadata: [("team".to_string(), None)].into(),
            ..Default::default()
        },
        json!({"version":3,"system":"New prompt","metadata":{"team":null}}),
    );
    request(
        &AgentUpdate {
            description: Patch::Clear,
            tools: Some(vec![]),
            ..Default::default()
        },
        json!({"description":null,"tools":[]}),
    );
}

#[test]
fn create_environment_body() {
    request(
        &EnvironmentCreate {
            name: "python-data".into(),
            config: Some(EnvironmentConfig::Cloud(CloudConfig {
                networking: Some(Networking::Limited {
                    allowed_hosts: vec!["api.example.com".into()],
                    allow_mcp_servers: None,
                    allow_package_managers: Some(true),
                }),
                packages: Some(Packages {
                    pip: Some(vec!["pandas==2.2.3".into()]),
                    ..Default::default()
                }),
                ..Default::default()
            })),
            ..Default::default()
        },
        json!({"name":"python-data","config":{"type":"cloud","networking":{"type":"limited","allowed_hosts":["api.example.com"],"allow_package_managers":true},"packages":{"pip":["pandas==2.2.3"]}}}),
    );
    request(
        &EnvironmentUpdate {
            description: Patch::Clear,
            metadata: [("old".to_string(), None)].into(),
            ..Default::default()
        },
        json!({"description":null,"metadata":{"old":null}}),
    );
}

#[test]
fn create_session_body() {
    let mut body = SessionCreate::new(
        AgentRef::pinned("agent_011CZkYpogX7uDKUyvBTophP", 3),
        "env_011CZkZ9X2dpNyB7HsEFoRfW",
    );
    body.title = Some("Order #1234".into());
    body.vault_ids = vec!["vlt_011CZkZDLs7fYzm1hXNPeRjv".into()];
    body.resources = vec![
        ResourceParams::GithubRepository {
            url: "https://github.com/acme/shop".into(),
            authorization_token: Some("ghp_…".into()),
            checkout: Some(Checkout::Branch {
                name: "main".into(),
            }),
            mount_path: None,
        },
        ResourceParams::file("file_011CNha8iCJcU1wXNR6q4V8w"),
    ];
    body.metadata = [("customer".to_string(), "c_42".to_string())].into();
    body.initial_events = vec![EventParams::message("Where is my order #1234?")];
    request(
        &body,
        json!({"agent":{"type":"agent","id":"agent_011CZkYpogX7uDKUyvBTophP","version":3},"environment_id":"env_011CZkZ9X2dpNyB7HsEFoRfW","title":"Order #1234","vault_ids":["vlt_011CZkZDLs7fYzm1hXNPeRjv"],"resources":[{"type":"github_repository","url":"https://github.com/acme/shop","authorization_token":"ghp_…","checkout":{"type":"branch","name":"main"}},{"type":"file","file_id":"file_011CNha8iCJcU1wXNR6q4V8w"}],"metadata":{"customer":"c_42"},"initial_events":[{"type":"user.message","content":[{"type":"text","text":"Where is my order #1234?"}]}]}),
    );
    assert!(
        !format!("{body:?}").contains("ghp_"),
        "the repository token never prints"
    );
    // The shortest form, a budget, overrides, a memory store.
    request(
        &SessionCreate::new(AgentRef::latest("agent_1"), "env_1"),
        json!({"agent":"agent_1","environment_id":"env_1"}),
    );
    let mut capped = SessionCreate::new(
        AgentRef::WithOverrides(Box::new(AgentOverrides {
            id: "agent_1".into(),
            system: Patch::Clear,
            ..Default::default()
        })),
        "env_1",
    );
    capped.budget = Some(Budget::limit("2500", "USD"));
    capped.resources = vec![ResourceParams::MemoryStore {
        memory_store_id: "memstore_1".into(),
        access: Some(MemoryAccess::ReadOnly),
        instructions: None,
    }];
    request(
        &capped,
        json!({"agent":{"type":"agent_with_overrides","id":"agent_1","system":null},"environment_id":"env_1","resources":[{"type":"memory_store","memory_store_id":"memstore_1","access":"read_only"}],"budget":{"type":"limit","max_list_cost":{"amount":"2500","currency":"USD"}}}),
    );
}

#[test]
fn update_session_body() {
    request(
        &SessionUpdate {
            budget: Patch::Set(Budget::limit("5000", "USD")),
            ..Default::default()
        },
        json!({"budget":{"type":"limit","max_list_cost":{"amount":"5000","currency":"USD"}}}),
    );
    request(
        &SessionUpdate {
            title: Patch::Clear,
            budget: Patch::Clear,
            agent: Some(AgentToolsUpdate {
                tools: Some(vec![]),
                mcp_servers: None,
            }),
            ..Default::default()
        },
        json!({"title":null,"budget":null,"agent":{"tools":[]}}),
    );
}

#[test]
fn credential_bodies() {
    request(
        &CredentialCreate {
            display_name: Some("GitHub MCP".into()),
            ..CredentialCreate::new(CredentialAuth::StaticBearer {
                mcp_server_url: "https://api.githubcopilot.com/mcp/".into(),
                token: "ghp_…".into(),
            })
        },
        json!({"display_name":"GitHub MCP","auth":{"type":"static_bearer","mcp_server_url":"https://api.githubcopilot.com/mcp/","token":"ghp_…"}}),
    );
    request(
        &CredentialCreate::new(CredentialAuth::EnvironmentVariable {
            secret_name: "STRIPE_API_KEY".into(),
            secret_value: "sk_live_…".into(),
            networking: CredentialNetworking::Limited {
                allowed_hosts: vec!["api.stripe.com".into()],
            },
            injection_location: Some(InjectionLocation {
                body: None,
                header: Some(true),
            }),
        }),
        json!({"auth":{"type":"environment_variable","secret_name":"STRIPE_API_KEY","secret_value":"sk_live_…","networking":{"type":"limited","allowed_hosts":["api.stripe.com"]},"injection_location":{"header":true}}}),
    );
    let oauth = CredentialCreate::new(CredentialAuth::McpOauth {
        mcp_server_url: "https://api.githubcopilot.com/mcp/".into(),
        access_token: "gho_ACCESS".into(),
        expires_at: Some("2026-11-21T10:00:00Z".into()),
        refresh: Some(OauthRefresh {
            client_id: "abc123".into(),
            refresh_token: "ghr_REFRESH".into(),
            token_endpoint: "https://github.com/login/oauth/access_token".into(),
            token_endpoint_auth: TokenEndpointAuth::ClientSecretPost {
                client_secret: "CLIENT_SECRET".into(),
            },
            resource: None,
            scope: Some("repo".into()),
        }),
    });
    request(
        &oauth,
        json!({"auth":{"type":"mcp_oauth","mcp_server_url":"https://api.githubcopilot.com/mcp/","access_token":"gho_ACCESS","expires_at":"2026-11-21T10:00:00Z","refresh":{"client_id":"abc123","refresh_token":"ghr_REFRESH","token_endpoint":"https://github.com/login/oauth/access_token","token_endpoint_auth":{"type":"client_secret_post","client_secret":"CLIENT_SECRET"},"scope":"repo"}}}),
    );
    let printed = format!("{oauth:?}");
    for secret in ["gho_ACCESS", "ghr_REFRESH", "CLIENT_SECRET"] {
        assert!(!printed.contains(secret), "{printed}");
    }
    request(
        &CredentialUpdate {
            auth: Some(CredentialAuthUpdate::McpOauth {
                access_token: Some("new".into()),
                expires_at: Patch::Clear,
                refresh: Some(OauthRefreshUpdate {
                    token_endpoint_auth: Some(TokenEndpointAuthUpdate {
                        kind: TokenEndpointAuthKind::ClientSecretBasic,
                        client_secret: Some(Secret::new("s2")),
                    }),
                    ..Default::default()
                }),
            }),
            display_name: Patch::Set("Renamed".into()),
            ..Default::default()
        },
        json!({"auth":{"type":"mcp_oauth","access_token":"new","expires_at":null,"refresh":{"token_endpoint_auth":{"type":"client_secret_basic","client_secret":"s2"}}},"display_name":"Renamed"}),
    );
    request(
        &VaultCreate {
            display_name: "Customer 42".into(),
            ..Default::default()
        },
        json!({"display_name":"Customer 42"}),
    );
    request(
        &VaultUpdate {
            display_name: None,
            metadata: [("k".to_string(), Some("v".to_string()))].into(),
        },
        json!({"metadata":{"k":"v"}}),
    );
}

#[test]
fn event_params_with_content() {
    request(
        &EventParams::UserMessage {
            content: vec![
                ContentBlock::text("see"),
                ContentBlock::Known(hangar_model::events::KnownBlock::Image {
                    source: json!({"type":"file","file_id":"file_1"}),
                }),
            ],
        },
        json!({"type":"user.message","content":[{"type":"text","text":"see"},{"type":"image","source":{"type":"file","file_id":"file_1"}}]}),
    );
}

// --- Tolerance -----------------------------------------------------------------------------

#[test]
fn unknown_fields_are_kept() {
    let mut wire = fixture("agent");
    wire["future_field"] = json!({"x": 1});
    wire["model"]["inference_geo"] = json!("eu");
    wire["tools"][0]["configs"][0]["future_knob"] = json!(true);
    let agent: Agent = round_trip(wire);
    assert_eq!(agent.extra["future_field"], json!({"x": 1}));
    assert_eq!(agent.model.extra["inference_geo"], json!("eu"));

    let mut wire = fixture("session");
    wire["usage"]["future_tokens"] = json!(5);
    let session: Session = round_trip(wire);
    assert_eq!(session.usage.extra["future_tokens"], json!(5));

    let mut wire = fixture("environment");
    wire["config"]["gpu"] = json!("a100");
    wire["config"]["packages"]["conda"] = json!(["numpy"]);
    let env: Environment = round_trip(wire);
    let EnvironmentConfig::Cloud(cloud) = env.config else {
        panic!()
    };
    assert_eq!(cloud.extra["gpu"], json!("a100"));
    assert!(cloud.packages.unwrap().extra.contains_key("conda"));
}

#[test]
fn unknown_enum_values_are_tolerated() {
    let mut wire = fixture("session");
    wire["status"] = json!("hibernating");
    wire["budget"] = json!({"type":"daily","amount":"1"});
    wire["resources"] = json!([{"type":"s3_bucket","bucket":"b"}]);
    let session: Session = round_trip(wire);
    assert_eq!(session.status, SessionStatus::Other("hibernating".into()));
    assert_eq!(session.status.as_str(), "hibernating");
    assert!(matches!(session.budget, Some(Budget::Other(_))));
    assert!(matches!(session.resources[0], SessionResource::Other(_)));

    let mut wire = fixture("agent");
    wire["model"]["effort"] = json!({"type":"ultra"});
    wire["model"]["speed"] = json!("warp");
    wire["tools"][0]["default_config"]["permission_policy"] =
        json!({"type":"judge","strictness":2});
    wire["tools"]
        .as_array_mut()
        .unwrap()
        .push(json!({"type":"computer_20270101","display":"1080p"}));
    wire["skills"][0]["type"] = json!("marketplace");
    wire["execution_identity"] = json!({"type":"gcp_service_account","email":"x"});
    let agent: Agent = round_trip(wire);
    assert_eq!(
        agent.model.effort.unwrap().level(),
        &EffortLevel::Other("ultra".into())
    );
    assert_eq!(agent.model.speed, Some(Speed::Other("warp".into())));
    let Tool::Known(KnownTool::Toolset { default_config, .. }) = &agent.tools[0] else {
        panic!()
    };
    assert_eq!(
        default_config.as_ref().unwrap().permission_policy,
        Some(PermissionPolicy::Other(
            json!({"type":"judge","strictness":2})
        ))
    );
    assert!(matches!(agent.tools[3], Tool::Other(_)));
    assert_eq!(agent.skills[0].kind, SkillKind::Other("marketplace".into()));
    assert!(matches!(
        agent.execution_identity,
        Some(ExecutionIdentity::Other(_))
    ));

    let env: EnvironmentConfig = round_trip(json!({"type":"gpu_cloud","size":"xl"}));
    assert!(matches!(env, EnvironmentConfig::Other(_)));
    let net: Networking = round_trip(json!({"type":"vpn","peer":"x"}));
    assert!(matches!(net, Networking::Other(_)));
    let scope: FileScope = round_trip(json!({"type":"workspace","id":"w"}));
    assert!(matches!(scope, FileScope::Other(_)));
    let source: SkillSource = round_trip(json!({"type":"community"}));
    assert!(matches!(source, SkillSource::Other(_)));
    let short: ThreadAgent =
        round_trip(json!({"type":"agent","id":"agent_1","version":1,"name":"x"}));
    assert!(
        matches!(short, ThreadAgent::Other(_)),
        "a shorter snapshot is kept as JSON"
    );
    assert_eq!(
        EnvironmentScope::from("galaxy"),
        EnvironmentScope::Other("galaxy".into())
    );
    assert_eq!(SessionStatus::from("idle"), SessionStatus::Idle);
}

#[test]
fn secrets_never_reach_an_answer() {
    // Should a server ever echo a secret, the answer types have nowhere to keep it.
    let mut wire = fixture("credential_static_bearer");
    wire["auth"]["token"] = json!("ghp_LEAKED");
    wire["token"] = json!("ghp_LEAKED");
    let cred: Credential = serde_json::from_value(wire).unwrap();
    assert!(!serde_json::to_string(&cred).unwrap().contains("ghp_LEAKED"));
    assert!(!format!("{cred:?}").contains("ghp_LEAKED"));
    let mut wire = fixture("credential_mcp_oauth");
    wire["auth"]["access_token"] = json!("gho_LEAKED");
    wire["auth"]["refresh"]["refresh_token"] = json!("ghr_LEAKED");
    wire["auth"]["refresh"]["token_endpoint_auth"]["client_secret"] = json!("cs_LEAKED");
    let cred: Credential = serde_json::from_value(wire).unwrap();
    assert!(!serde_json::to_string(&cred).unwrap().contains("LEAKED"));
    let unknown: CredentialAuthInfo =
        serde_json::from_value(json!({"type":"kerberos","keytab":"SECRET_KEYTAB"})).unwrap();
    assert_eq!(
        unknown,
        CredentialAuthInfo::Other(UnknownAuth {
            kind: "kerberos".into()
        })
    );
    let mut wire = fixture("session");
    wire["resources"][0]["authorization_token"] = json!("ghp_LEAKED");
    let session: Session = serde_json::from_value(wire).unwrap();
    assert_eq!(session.resources.len(), 1);
    assert!(!serde_json::to_string(&session)
        .unwrap()
        .contains("ghp_LEAKED"));
    // And request bodies never print theirs.
    let params = ResourceParams::GithubRepository {
        url: "u".into(),
        authorization_token: Some("ghp_PARAM".into()),
        checkout: None,
        mount_path: None,
    };
    assert!(!format!("{params:?}").contains("ghp_PARAM"));
}
