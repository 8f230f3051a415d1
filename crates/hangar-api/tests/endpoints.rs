#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on any error"
)]
//! The client against the fake, family by family: create, list across pages, retrieve, update
//! with and without version, conflict, archive, delete, and error bodies as typed errors.

use std::collections::BTreeMap;
use std::time::Duration;

use hangar_api::agents::{AgentCreate, AgentUpdate, KnownTool, PermissionPolicy, Tool, ToolConfig};
use hangar_api::environments::{
    CloudConfig, Environment, EnvironmentConfig, EnvironmentCreate, EnvironmentUpdate, Networking,
    Packages,
};
use hangar_api::events::{Confirmation, EventKind, EventParams, StopReason};
use hangar_api::sessions::{
    AgentRef, Checkout, EventListParams, ResourceParams, SessionCreate, SessionListParams,
    SessionResource, SessionStatus, SessionUpdate,
};
use hangar_api::vaults::{
    CredentialAuth, CredentialAuthInfo, CredentialAuthUpdate, CredentialCreate, CredentialUpdate,
    VaultCreate, VaultUpdate,
};
use hangar_api::{ApiKey, Client, ClientConfig, Error, ListParams, Patch, RetryPolicy};
use hangar_fake_api::{FakeConfig, FakeServer};
use serde_json::json;

async fn setup() -> (FakeServer, Client) {
    let server = FakeServer::start(FakeConfig {
        turn_delay: Duration::from_millis(2),
        ..FakeConfig::default()
    })
    .await
    .unwrap();
    let mut config = ClientConfig::with_base_url(server.base_url(), ApiKey::new("sk-test-key"));
    config.retry = RetryPolicy {
        max_retries: 2,
        initial: Duration::from_millis(10),
        max: Duration::from_millis(50),
    };
    (server, Client::new(config).unwrap())
}

fn agent_body(name: &str) -> AgentCreate {
    AgentCreate {
        name: name.into(),
        model: "claude-opus-5-5".into(),
        system: Some("You help.".into()),
        tools: vec![
            Tool::Known(KnownTool::Toolset {
                default_config: None,
                configs: vec![ToolConfig {
                    name: "bash".into(),
                    enabled: Some(true),
                    permission_policy: Some(PermissionPolicy::AlwaysAsk),
                    extra: Default::default(),
                }],
            }),
            Tool::Known(KnownTool::Custom {
                name: "lookup_order".into(),
                description: "Look up an order".into(),
                input_schema: json!({"type":"object","properties":{"order_id":{"type":"string"}}}),
            }),
        ],
        ..AgentCreate::default()
    }
}

#[tokio::test]
async fn agents_create_list_pages_version_conflict_archive() {
    let (_server, client) = setup().await;
    let mut ids = Vec::new();
    for i in 0..5 {
        let a = client
            .agents()
            .create(&agent_body(&format!("Agent {i}")))
            .await
            .unwrap();
        assert!(a.id.starts_with("agent_"), "{}", a.id);
        assert_eq!((a.version, a.model.id.as_str()), (1, "claude-opus-5-5"));
        ids.push(a.id);
    }
    // Across pages of 2.
    let mut seen = Vec::new();
    let mut params = ListParams::limit(2);
    loop {
        let page = client.agents().list(&params).await.unwrap();
        assert!(page.data.len() <= 2);
        seen.extend(page.data.into_iter().map(|a| a.id));
        match page.next_page {
            Some(next) => params.page = Some(next),
            None => break,
        }
    }
    assert_eq!(seen, ids);

    // Update with the current version, then with a stale one.
    let id = &ids[0];
    let up = AgentUpdate {
        version: Some(1),
        system: Patch::Set("Be brief.".into()),
        metadata: BTreeMap::from([("team".into(), Some("support".into()))]),
        ..Default::default()
    };
    let v2 = client.agents().update(id, &up).await.unwrap();
    assert_eq!(
        (
            v2.version,
            v2.system.as_deref(),
            v2.metadata.get("team").map(String::as_str)
        ),
        (2, Some("Be brief."), Some("support"))
    );
    let stale = client
        .agents()
        .update(
            id,
            &AgentUpdate {
                version: Some(1),
                name: Some("X".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    match &stale {
        Error::VersionConflict(api) => assert_eq!(
            (api.status, api.error_type.as_deref()),
            (409, Some("conflict_error"))
        ),
        other => panic!("expected a version conflict, got {other:?}"),
    }
    // Without version: overwrite. Clearing with null; deleting a metadata key with null.
    let up = AgentUpdate {
        description: Patch::Clear,
        system: Patch::Clear,
        metadata: BTreeMap::from([("team".into(), None)]),
        ..Default::default()
    };
    let v3 = client.agents().update(id, &up).await.unwrap();
    assert_eq!(
        (v3.version, v3.system.clone(), v3.metadata.len()),
        (3, None, 0)
    );
    // A no-op update does not make a version.
    let same = client
        .agents()
        .update(id, &AgentUpdate::default())
        .await
        .unwrap();
    assert_eq!(same.version, 3);
    // Every version stays retrievable.
    assert_eq!(
        client
            .agents()
            .retrieve(id, Some(1))
            .await
            .unwrap()
            .system
            .as_deref(),
        Some("You help.")
    );
    let versions = client
        .agents()
        .versions(id, &ListParams::default())
        .await
        .unwrap();
    assert_eq!(
        versions.data.iter().map(|a| a.version).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );

    // Archive hides it from lists unless asked.
    let archived = client.agents().archive(id).await.unwrap();
    assert!(archived.archived_at.is_some());
    assert_eq!(
        client
            .agents()
            .list(&ListParams::limit(100))
            .await
            .unwrap()
            .data
            .len(),
        4
    );
    let all = client
        .agents()
        .list(&ListParams {
            include_archived: Some(true),
            limit: Some(100),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(all.data.len(), 5);
    // There is no agent delete: the server refuses, the error says so.
    let e = client.agents().delete(id).await.unwrap_err();
    assert!(matches!(e.status(), Some(400 | 404 | 405)), "{e}");
    assert!(
        client.agents().retrieve(id, None).await.is_ok(),
        "still there, archived"
    );
}

#[tokio::test]
async fn agent_validation_errors_are_typed() {
    let (_server, client) = setup().await;
    let mut bad = agent_body("");
    let e = client.agents().create(&bad).await.unwrap_err();
    assert_eq!(
        (e.status(), e.api().unwrap().error_type.as_deref()),
        (Some(400), Some("invalid_request_error"))
    );
    bad.name = "ok".into();
    bad.metadata = (0..17).map(|i| (format!("k{i}"), "v".into())).collect();
    let e = client.agents().create(&bad).await.unwrap_err();
    assert_eq!(
        e.api().unwrap().error_code.as_deref(),
        Some("invalid_metadata")
    );
    assert!(
        e.api()
            .unwrap()
            .request_id
            .as_deref()
            .unwrap()
            .starts_with("req_"),
        "request-id header kept"
    );
    let e = client
        .agents()
        .retrieve("agent_nope", None)
        .await
        .unwrap_err();
    assert_eq!(
        (e.status(), e.api().unwrap().error_type.as_deref()),
        (Some(404), Some("not_found_error"))
    );
    bad.metadata.clear();
    bad.mcp_servers = vec![hangar_api::agents::McpServer {
        kind: "url".into(),
        name: "github".into(),
        url: "https://mcp.example".into(),
    }];
    let e = client.agents().create(&bad).await.unwrap_err();
    assert!(e.to_string().contains("not used by any mcp_toolset"), "{e}");
}

#[tokio::test]
async fn auth_beta_and_rate_limits() {
    let (server, client) = setup().await;
    // 401 without a usable key, 400 without the beta header: straight at the wire.
    let http = reqwest::Client::new();
    let r = http
        .get(format!("{}/v1/agents", server.base_url()))
        .header("anthropic-beta", hangar_api::MANAGED_AGENTS_BETA)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["type"], "authentication_error");
    let r = http
        .get(format!("{}/v1/agents", server.base_url()))
        .header("x-api-key", "k")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = http
        .get(format!("{}/v1/agents?beta=true", server.base_url()))
        .header("x-api-key", "k")
        .header("anthropic-version", "2023-06-01")
        .header(
            "anthropic-beta",
            "files-api-2025-04-14,managed-agents-2026-04-01",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        200,
        "x-api-key, several betas and ?beta=true are accepted"
    );

    // 429 with retry-after, then 529, then success: retried with the server's wait.
    server.fail_next_requests(&[(429, Some(1)), (529, None)]);
    let started = std::time::Instant::now();
    client.agents().list(&ListParams::default()).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "retry-after honoured: {:?}",
        started.elapsed()
    );
    // Three failures exhaust two retries: the last error surfaces, typed.
    server.fail_next_requests(&[(500, None), (500, None), (503, None)]);
    let e = client
        .agents()
        .list(&ListParams::default())
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(503));
    assert!(e.is_transient());
    // A wrong key is 401 and never retried.
    let strict = FakeServer::start(FakeConfig {
        api_key: Some("right".into()),
        ..FakeConfig::default()
    })
    .await
    .unwrap();
    let wrong = Client::new(ClientConfig::with_base_url(
        strict.base_url(),
        ApiKey::new("wrong"),
    ))
    .unwrap();
    let e = wrong
        .agents()
        .list(&ListParams::default())
        .await
        .unwrap_err();
    assert_eq!(
        (e.status(), e.api().unwrap().error_type.as_deref()),
        (Some(401), Some("authentication_error"))
    );
    // Unreachable server: a transport error.
    drop(strict);
    let e = Client::new(ClientConfig::with_base_url(
        "http://127.0.0.1:9",
        ApiKey::new("k"),
    ))
    .unwrap()
    .agents()
    .list(&ListParams::default())
    .await;
    assert!(matches!(e, Err(Error::Transport(_))));
}

#[tokio::test]
async fn environments_crud_and_rules() {
    let (_server, client) = setup().await;
    // Reference §7.4, built from the typed model.
    let cfg = EnvironmentConfig::Cloud(CloudConfig {
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
    });
    let env = client
        .environments()
        .create(&EnvironmentCreate {
            name: "python-data".into(),
            config: Some(cfg),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(env.id.starts_with("env_"));
    let EnvironmentConfig::Cloud(cloud) = &env.config else {
        panic!("not cloud: {:?}", env.config)
    };
    let packages = cloud.packages.as_ref().unwrap();
    assert_eq!(packages.apt, Some(vec![]), "all six arrays present");
    assert_eq!(packages.pip, Some(vec!["pandas==2.2.3".to_string()]));
    assert!(matches!(
        cloud.networking,
        Some(Networking::Limited {
            allow_mcp_servers: Some(false),
            allow_package_managers: Some(true),
            ..
        })
    ));
    let bad = EnvironmentConfig::Cloud(CloudConfig {
        networking: Some(Networking::Limited {
            allowed_hosts: vec!["not a host".into()],
            allow_mcp_servers: None,
            allow_package_managers: None,
        }),
        ..Default::default()
    });
    assert_eq!(
        client
            .environments()
            .create(&EnvironmentCreate {
                name: "x".into(),
                config: Some(bad),
                ..Default::default()
            })
            .await
            .unwrap_err()
            .status(),
        Some(400)
    );
    let e = client
        .environments()
        .update(
            &env.id,
            &EnvironmentUpdate {
                config: Some(EnvironmentConfig::SelfHosted),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(
        e.api().unwrap().error_code.as_deref(),
        Some("invalid_config_type_change")
    );
    let up = client
        .environments()
        .update(
            &env.id,
            &EnvironmentUpdate {
                description: Patch::Set("Data work".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(up.description.as_deref(), Some("Data work"));
    assert_eq!(up.config, env.config, "omitted config kept");
    client.environments().archive(&env.id).await.unwrap();
    let e = client
        .environments()
        .update(
            &env.id,
            &EnvironmentUpdate {
                name: Some("y".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(
        e.api().unwrap().error_code.as_deref(),
        Some("environment_archived")
    );
    assert!(client
        .environments()
        .list(&ListParams::default())
        .await
        .unwrap()
        .data
        .is_empty());
    assert_eq!(
        client.environments().delete(&env.id).await.unwrap().kind,
        "environment_deleted"
    );
    assert_eq!(
        client
            .environments()
            .retrieve(&env.id)
            .await
            .unwrap_err()
            .status(),
        Some(404)
    );
}

#[tokio::test]
async fn vaults_and_credentials_never_return_secrets() {
    let (_server, client) = setup().await;
    let vault = client
        .vaults()
        .create(&VaultCreate {
            display_name: "Team".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(vault.id.starts_with("vlt_"));
    let secret = "ghp_VERY_SECRET_TOKEN";
    let cred = client
        .vaults()
        .create_credential(
            &vault.id,
            &CredentialCreate {
                display_name: Some("GitHub".into()),
                auth: CredentialAuth::StaticBearer {
                    mcp_server_url: "https://api.githubcopilot.com/mcp/".into(),
                    token: secret.into(),
                },
                metadata: Default::default(),
            },
        )
        .await
        .unwrap();
    assert!(cred.id.starts_with("vcrd_"));
    assert!(!serde_json::to_string(&cred.auth).unwrap().contains(secret));
    assert_eq!(
        cred.auth,
        CredentialAuthInfo::StaticBearer {
            mcp_server_url: "https://api.githubcopilot.com/mcp/".into()
        }
    );
    assert!(!format!(
        "{:?}",
        CredentialAuth::StaticBearer {
            mcp_server_url: "u".into(),
            token: secret.into()
        }
    )
    .contains(secret));
    let listed = client
        .vaults()
        .list_credentials(&vault.id, &ListParams::default())
        .await
        .unwrap();
    assert_eq!(listed.data.len(), 1);
    assert!(!serde_json::to_string(&listed.data)
        .unwrap()
        .contains(secret));
    let e = client
        .vaults()
        .update_credential(
            &vault.id,
            &cred.id,
            &CredentialUpdate {
                auth: Some(CredentialAuthUpdate::McpOauth {
                    access_token: Some("x".into()),
                    expires_at: Patch::Keep,
                    refresh: None,
                }),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(400));
    let rotated = client
        .vaults()
        .update_credential(
            &vault.id,
            &cred.id,
            &CredentialUpdate {
                auth: Some(CredentialAuthUpdate::StaticBearer {
                    token: Some("new".into()),
                }),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(rotated.id, cred.id);
    assert!(client
        .vaults()
        .archive_credential(&vault.id, &cred.id)
        .await
        .unwrap()
        .archived_at
        .is_some());
    assert_eq!(
        client
            .vaults()
            .delete_credential(&vault.id, &cred.id)
            .await
            .unwrap()
            .kind,
        "vault_credential_deleted"
    );
    let renamed = client
        .vaults()
        .update(
            &vault.id,
            &VaultUpdate {
                display_name: Some("Ops".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(renamed.display_name, "Ops");
    assert!(client
        .vaults()
        .archive(&vault.id)
        .await
        .unwrap()
        .archived_at
        .is_some());
    assert_eq!(
        client.vaults().delete(&vault.id).await.unwrap().kind,
        "vault_deleted"
    );
}

#[tokio::test]
async fn files_and_skills() {
    let (_server, client) = setup().await;
    let f = client
        .files()
        .upload("orders.csv", b"id,total\n1,9.99\n".to_vec(), "text/csv")
        .await
        .unwrap();
    assert!(f.id.starts_with("file_"));
    assert_eq!(
        (f.filename.as_str(), f.size_bytes, f.mime_type.as_str()),
        ("orders.csv", 16, "text/csv")
    );
    assert_eq!(
        client.files().download(&f.id).await.unwrap(),
        b"id,total\n1,9.99\n"
    );
    assert_eq!(
        client.files().retrieve(&f.id).await.unwrap().filename,
        "orders.csv"
    );
    assert_eq!(
        client
            .files()
            .list(&ListParams::default(), None)
            .await
            .unwrap()
            .data
            .len(),
        1
    );
    assert_eq!(
        client.files().delete(&f.id).await.unwrap().kind,
        "file_deleted"
    );
    assert_eq!(
        client.files().retrieve(&f.id).await.unwrap_err().status(),
        Some(404)
    );

    let skill_md =
        b"---\nname: invoice-parser\ndescription: Parses invoices\n---\nRead the PDF.".to_vec();
    let skill = client
        .skills()
        .create(
            vec![("invoice/SKILL.md".into(), skill_md.clone())],
            Some("Invoice parser"),
        )
        .await
        .unwrap();
    assert_eq!(skill.display_name, "Invoice parser");
    let v2 = client
        .skills()
        .create_version(&skill.id, vec![("invoice/SKILL.md".into(), skill_md)])
        .await
        .unwrap();
    assert_eq!(
        client
            .skills()
            .retrieve_version(&skill.id, "latest")
            .await
            .unwrap()
            .id,
        v2.id
    );
    assert_eq!(v2.skill_id, skill.id);
    assert_eq!(v2.name, "invoice-parser");
    assert_eq!(
        client
            .skills()
            .versions(&skill.id, &ListParams::default())
            .await
            .unwrap()
            .data
            .len(),
        2
    );
    assert_eq!(
        client
            .skills()
            .list(&ListParams::default(), Some("custom"))
            .await
            .unwrap()
            .data
            .len(),
        1
    );
    assert_eq!(
        client
            .skills()
            .delete_version(&skill.id, &v2.id)
            .await
            .unwrap()
            .kind,
        "skill_version_deleted"
    );
    assert_eq!(
        client.skills().delete(&skill.id).await.unwrap().kind,
        "skill_deleted"
    );
    assert_eq!(
        client
            .skills()
            .create(vec![("x/README.md".into(), b"no skill".to_vec())], None)
            .await
            .unwrap_err()
            .status(),
        Some(400)
    );
}

/// An environment with the defaults, for tests whose sessions need one.
async fn environment(client: &Client) -> Environment {
    client
        .environments()
        .create(&EnvironmentCreate {
            name: "e".into(),
            ..Default::default()
        })
        .await
        .unwrap()
}

async fn wait_for_idle(
    client: &Client,
    session: &str,
    turns: usize,
) -> Vec<hangar_api::events::SessionEvent> {
    for _ in 0..400 {
        let page = client
            .sessions()
            .list_events(
                session,
                &EventListParams {
                    list: ListParams::limit(1000),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let idles = page.data.iter().filter(|e| matches!(&e.kind, EventKind::SessionStatusIdle { stop_reason, .. } if stop_reason.ends_turn())).count();
        let waiting = matches!(
            page.data.last().map(|e| &e.kind),
            Some(EventKind::SessionStatusIdle {
                stop_reason: StopReason::RequiresAction { .. },
                ..
            })
        );
        if idles >= turns || waiting {
            return page.data;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("session never went idle");
}

#[tokio::test]
async fn sessions_events_resources_threads() {
    let (_server, client) = setup().await;
    let agent = client
        .agents()
        .create(&agent_body("Support"))
        .await
        .unwrap();
    let env = environment(&client).await;
    let file = client
        .files()
        .upload("a.txt", b"hello".to_vec(), "text/plain")
        .await
        .unwrap();
    let mut body = SessionCreate::new(AgentRef::pinned(&agent.id, 1), &env.id);
    body.title = Some("Order #1234".into());
    body.resources = vec![
        ResourceParams::GithubRepository {
            url: "https://github.com/acme/shop".into(),
            authorization_token: Some("ghp_x".into()),
            checkout: Some(Checkout::Branch {
                name: "main".into(),
            }),
            mount_path: None,
        },
        ResourceParams::file(&file.id),
    ];
    let session = client.sessions().create(&body).await.unwrap();
    assert!(session.id.starts_with("sesn_"));
    assert_eq!(
        (&session.status, session.agent.version),
        (&SessionStatus::Idle, 1)
    );
    let resources = client
        .sessions()
        .list_resources(&session.id, &ListParams::default())
        .await
        .unwrap();
    assert_eq!(resources.data.len(), 2);
    let SessionResource::GithubRepository(repo) = &resources.data[0] else {
        panic!("not a repository: {:?}", resources.data[0])
    };
    assert_eq!(repo.mount_path.as_deref(), Some("/workspace/shop"));
    assert!(
        !serde_json::to_string(&resources.data)
            .unwrap()
            .contains("ghp_x"),
        "tokens are never returned"
    );
    assert!(
        matches!(&resources.data[1], SessionResource::File(f) if f.file_id == file.id),
        "{:?}",
        resources.data[1]
    );
    let rid = repo.id.to_string();
    client
        .sessions()
        .update_resource(&session.id, &rid, "ghp_new")
        .await
        .unwrap();
    assert_eq!(
        client
            .sessions()
            .delete_resource(&session.id, &rid)
            .await
            .unwrap()
            .kind,
        "session_resource_deleted"
    );

    // A turn with a tool that asks first: allow it.
    let echo = client
        .sessions()
        .send_events(
            &session.id,
            &[EventParams::message("Please check the files")],
        )
        .await
        .unwrap();
    assert_eq!(echo.len(), 1);
    assert!(echo[0].id.as_deref().unwrap().starts_with("sevt_"));
    let events = wait_for_idle(&client, &session.id, 1).await;
    let ask = events.iter().find(|e| matches!(&e.kind, EventKind::AgentToolUse { evaluated_permission: Some(p), .. } if p == "ask")).expect("a tool use that asks");
    // Confirming an id that is not waiting is refused.
    let e = client
        .sessions()
        .send_events(
            &session.id,
            &[EventParams::UserToolConfirmation {
                tool_use_id: "sevt_nope".into(),
                result: Confirmation::Allow,
                deny_message: None,
            }],
        )
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(400));
    client
        .sessions()
        .send_events(
            &session.id,
            &[EventParams::UserToolConfirmation {
                tool_use_id: ask.id.clone().unwrap(),
                result: Confirmation::Allow,
                deny_message: None,
            }],
        )
        .await
        .unwrap();
    let events = wait_for_idle(&client, &session.id, 1).await;
    assert!(events.iter().any(|e| matches!(
        &e.kind,
        EventKind::AgentToolResult {
            is_error: Some(false),
            ..
        }
    )));
    assert!(events
        .iter()
        .any(|e| matches!(&e.kind, EventKind::AgentMessage { .. })));

    // A custom tool round-trip.
    client
        .sessions()
        .send_events(
            &session.id,
            &[EventParams::message("use lookup_order for #1234")],
        )
        .await
        .unwrap();
    let events = wait_for_idle(&client, &session.id, 2).await;
    let custom = events
        .iter()
        .find(|e| matches!(e.kind, EventKind::AgentCustomToolUse { .. }))
        .expect("a custom tool use");
    client
        .sessions()
        .send_events(
            &session.id,
            &[EventParams::UserCustomToolResult {
                custom_tool_use_id: custom.id.clone().unwrap(),
                content: vec![hangar_api::events::ContentBlock::text("shipped")],
                is_error: None,
            }],
        )
        .await
        .unwrap();
    let events = wait_for_idle(&client, &session.id, 2).await;
    let last_message = events
        .iter()
        .rev()
        .find_map(hangar_api::tailer::final_text)
        .unwrap();
    assert!(
        last_message.contains("shipped"),
        "the agent used the result: {last_message}"
    );

    // History filters and ordering.
    let only = client
        .sessions()
        .list_events(
            &session.id,
            &EventListParams {
                types: vec!["agent.message".into()],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(only.data.len(), 2);
    let desc = client
        .sessions()
        .list_events(
            &session.id,
            &EventListParams {
                order: Some("desc".into()),
                list: ListParams::limit(1),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(matches!(
        desc.data[0].kind,
        EventKind::SessionStatusIdle { .. }
    ));
    assert!(desc.next_page.is_some());

    // Update, list with filters, threads, archive, delete.
    let up = client
        .sessions()
        .update(
            &session.id,
            &SessionUpdate {
                title: Patch::Set("Resolved".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(up.title.as_deref(), Some("Resolved"));
    let listed = client
        .sessions()
        .list(&SessionListParams {
            agent_id: Some(agent.id.clone()),
            statuses: vec!["idle".into()],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(listed.data.len(), 1);
    assert!(client
        .sessions()
        .list(&SessionListParams {
            statuses: vec!["running".into()],
            ..Default::default()
        })
        .await
        .unwrap()
        .data
        .is_empty());
    let threads = client
        .sessions()
        .list_threads(&session.id, &ListParams::default())
        .await
        .unwrap();
    let tid = threads.data[0].id.to_string();
    assert!(tid.starts_with("sthr_"));
    assert_eq!(
        client
            .sessions()
            .retrieve_thread(&session.id, &tid)
            .await
            .unwrap()
            .parent_thread_id,
        None
    );
    assert!(!client
        .sessions()
        .list_thread_events(&session.id, &tid, &ListParams::default())
        .await
        .unwrap()
        .data
        .is_empty());
    assert!(client
        .sessions()
        .archive(&session.id)
        .await
        .unwrap()
        .archived_at
        .is_some());
    assert!(client
        .sessions()
        .list(&SessionListParams::default())
        .await
        .unwrap()
        .data
        .is_empty());
    assert_eq!(
        client.sessions().delete(&session.id).await.unwrap().kind,
        "session_deleted"
    );
    assert_eq!(
        client
            .sessions()
            .retrieve(&session.id)
            .await
            .unwrap_err()
            .status(),
        Some(404)
    );
}

#[tokio::test]
async fn sessions_list_newest_first_across_pages() {
    let (_server, client) = setup().await;
    let agent = client.agents().create(&agent_body("A")).await.unwrap();
    let env = environment(&client).await;
    let mut created = Vec::new();
    for _ in 0..7 {
        created.push(
            client
                .sessions()
                .create(&SessionCreate::new(
                    AgentRef::Latest(agent.id.clone()),
                    &env.id,
                ))
                .await
                .unwrap()
                .id,
        );
    }
    let mut seen = Vec::new();
    let mut params = SessionListParams {
        list: ListParams::limit(3),
        ..Default::default()
    };
    loop {
        let page = client.sessions().list(&params).await.unwrap();
        seen.extend(page.data.into_iter().map(|s| s.id));
        match page.next_page {
            Some(n) => params.list.page = Some(n),
            None => break,
        }
    }
    created.reverse();
    assert_eq!(seen, created);
    // An archived environment cannot start sessions.
    client.environments().archive(&env.id).await.unwrap();
    let e = client
        .sessions()
        .create(&SessionCreate::new(
            AgentRef::Latest(agent.id.clone()),
            &env.id,
        ))
        .await
        .unwrap_err();
    assert_eq!(
        e.api().unwrap().error_code.as_deref(),
        Some("environment_archived")
    );
}

/// An outcome whose rubric is an uploaded file (reference §6.1): the fake grades against the
/// file's lines; a file that does not exist is refused with a 404.
#[tokio::test]
async fn an_outcome_rubric_can_be_an_uploaded_file() {
    let (server, client) = setup().await;
    let agent = client.agents().create(&agent_body("Grader")).await.unwrap();
    let env = environment(&client).await;
    let session = client
        .sessions()
        .create(&SessionCreate::new(AgentRef::latest(&agent.id), &env.id))
        .await
        .unwrap();
    let rubric = client
        .files()
        .upload(
            "rubric.md",
            b"- Has a header row\n- One row per order\n\n- Sorted by date\n".to_vec(),
            "text/markdown",
        )
        .await
        .unwrap();
    let outcome = |file_id: &str| EventParams::UserDefineOutcome {
        description: "A CSV of open orders".into(),
        rubric: hangar_api::events::Rubric::File {
            file_id: file_id.into(),
        },
        max_iterations: Some(5),
    };
    let missing = client
        .sessions()
        .send_events(&session.id, &[outcome("file_nope")])
        .await
        .unwrap_err();
    assert_eq!(missing.status(), Some(404), "{missing}");
    client
        .sessions()
        .send_events(&session.id, &[outcome(rubric.id.as_str())])
        .await
        .unwrap();
    wait_for_idle(&client, &session.id, 1).await;
    let log = server.event_log(&session.id);
    let ends: Vec<&serde_json::Value> = log
        .iter()
        .filter(|e| e["type"] == "span.outcome_evaluation_end")
        .collect();
    // Three points in the file: two rounds that need revision, then satisfied.
    assert_eq!(ends.len(), 3, "{ends:?}");
    assert_eq!(ends[2]["result"], "satisfied");
    assert!(
        ends[0]["explanation"].as_str().unwrap().contains("1 of 3"),
        "{}",
        ends[0]
    );
}
