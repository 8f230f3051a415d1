#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on any error"
)]
//! Memory stores, memories and memory versions (reference §5.10): one test per endpoint, the
//! client against the fake, with the beta header, preconditions and 409s the reference names.

use std::time::Duration;

use hangar_api::memory::{
    conflict, Actor, MemoryConflict, MemoryCreate, MemoryListItem, MemoryListParams,
    MemoryOperation, MemoryStoreCreate, MemoryStoreListParams, MemoryStoreUpdate, MemoryUpdate,
    MemoryVersionListParams, MemoryView, MEMORY_BETA,
};
use hangar_api::{ApiKey, Client, ClientConfig, Error, ListParams, RetryPolicy};
use hangar_fake_api::{FakeConfig, FakeServer};

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

async fn store(client: &Client, name: &str) -> String {
    client
        .memory_stores()
        .create(&MemoryStoreCreate {
            name: name.into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .id
        .into_string()
}

async fn memory(
    client: &Client,
    store: &str,
    path: &str,
    content: &str,
) -> hangar_api::memory::Memory {
    client
        .memory_stores()
        .create_memory(
            store,
            &MemoryCreate {
                path: path.into(),
                content: content.into(),
            },
            None,
        )
        .await
        .unwrap()
}

fn requests(server: &FakeServer, method: &str, route: &str) -> usize {
    server.stats().requests(method, route)
}

#[tokio::test]
async fn memory_store_create_sends_the_memory_beta() {
    let (server, client) = setup().await;
    let s = client
        .memory_stores()
        .create(&MemoryStoreCreate {
            name: "User preferences".into(),
            description: Some("What the support agent learns".into()),
            metadata: [("team".to_string(), "support".to_string())].into(),
        })
        .await
        .unwrap();
    assert!(s.id.starts_with("memstore_"));
    assert_eq!(s.description, "What the support agent learns");
    assert_eq!(s.archived_at, None);
    // The fake insists on agent-memory for this family: managed-agents alone is refused.
    let refused = reqwest::Client::new()
        .post(format!("{}/v1/memory_stores", server.base_url()))
        .header("authorization", "Bearer sk-test-key")
        .header("anthropic-version", "2026-10-21")
        .header("anthropic-beta", "managed-agents-2026-04-01")
        .json(&serde_json::json!({"name": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 400);
    assert!(refused.text().await.unwrap().contains(MEMORY_BETA));
    let empty = client
        .memory_stores()
        .create(&MemoryStoreCreate::default())
        .await
        .unwrap_err();
    assert_eq!(empty.status(), Some(400));
}

#[tokio::test]
async fn memory_store_retrieve() {
    let (_server, client) = setup().await;
    let id = store(&client, "Notes").await;
    let s = client.memory_stores().retrieve(&id).await.unwrap();
    assert_eq!(
        (s.id.as_str(), s.name.as_str(), s.description.as_str()),
        (id.as_str(), "Notes", "")
    );
    let missing = client
        .memory_stores()
        .retrieve("memstore_nope")
        .await
        .unwrap_err();
    assert_eq!(missing.status(), Some(404));
}

#[tokio::test]
async fn memory_store_update_renames_and_patches_metadata() {
    let (_server, client) = setup().await;
    let id = store(&client, "Notes").await;
    let s = client
        .memory_stores()
        .update(
            &id,
            &MemoryStoreUpdate {
                name: Some("Team notes".into()),
                description: Some("Shared".into()),
                metadata: [("a".to_string(), Some("1".to_string()))].into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (s.name.as_str(), s.description.as_str()),
        ("Team notes", "Shared")
    );
    let s = client
        .memory_stores()
        .update(
            &id,
            &MemoryStoreUpdate {
                metadata: [("a".to_string(), None)].into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(s.metadata.is_empty());
    assert_eq!(s.name, "Team notes", "omitted fields are kept");
}

#[tokio::test]
async fn memory_store_list_pages_and_hides_archived() {
    let (_server, client) = setup().await;
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(store(&client, &format!("Store {i}")).await);
    }
    client.memory_stores().archive(&ids[0]).await.unwrap();
    let mut params = MemoryStoreListParams {
        list: ListParams::limit(2),
        ..Default::default()
    };
    let mut seen = Vec::new();
    loop {
        let page = client.memory_stores().list(&params).await.unwrap();
        seen.extend(page.data.into_iter().map(|s| s.id.into_string()));
        match page.next_page {
            Some(p) => params.list.page = Some(p),
            None => break,
        }
    }
    assert_eq!(seen, ids[1..].to_vec());
    let all = client
        .memory_stores()
        .list(&MemoryStoreListParams {
            list: ListParams {
                include_archived: Some(true),
                ..Default::default()
            },
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(all.data.len(), 5);
}

#[tokio::test]
async fn memory_store_delete_removes_its_memories() {
    let (_server, client) = setup().await;
    let id = store(&client, "Scratch").await;
    memory(&client, &id, "/a.md", "x").await;
    let d = client.memory_stores().delete(&id).await.unwrap();
    assert_eq!(
        (d.id.as_str(), d.kind.as_str()),
        (id.as_str(), "memory_store_deleted")
    );
    assert_eq!(
        client
            .memory_stores()
            .retrieve(&id)
            .await
            .unwrap_err()
            .status(),
        Some(404)
    );
}

#[tokio::test]
async fn memory_store_archive_is_final_for_writes() {
    let (_server, client) = setup().await;
    let id = store(&client, "Old").await;
    let s = client.memory_stores().archive(&id).await.unwrap();
    assert!(s.archived_at.is_some());
    let again = client.memory_stores().archive(&id).await.unwrap();
    assert_eq!(
        again.archived_at, s.archived_at,
        "archiving twice keeps the first time"
    );
    let write = client
        .memory_stores()
        .create_memory(
            &id,
            &MemoryCreate {
                path: "/a.md".into(),
                content: "x".into(),
            },
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(write.status(), Some(400));
}

#[tokio::test]
async fn memory_create_hashes_and_refuses_a_taken_path() {
    let (server, client) = setup().await;
    let id = store(&client, "Prefs").await;
    let m = memory(&client, &id, "/prefs/tone.md", "Be brief.").await;
    assert!(m.id.starts_with("mem_") && m.memory_version_id.starts_with("memver_"));
    assert_eq!(m.content, None, "create answers with view=basic by default");
    // sha256("Be brief."), lowercase hex.
    assert_eq!(
        m.content_sha256,
        "213c22ed7234eb11116e1e88f314c73cb3a019b5c87fe224b6ce5665bd9ec50e"
    );
    assert_eq!(m.content_size_bytes, 9);
    let full = client
        .memory_stores()
        .create_memory(
            &id,
            &MemoryCreate {
                path: "/prefs/lang.md".into(),
                content: "French".into(),
            },
            Some(MemoryView::Full),
        )
        .await
        .unwrap();
    assert_eq!(full.content.as_deref(), Some("French"));
    let taken = client
        .memory_stores()
        .create_memory(
            &id,
            &MemoryCreate {
                path: "/prefs/tone.md".into(),
                content: "again".into(),
            },
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(
        conflict(&taken),
        Some(MemoryConflict::PathConflict {
            conflicting_path: Some("/prefs/tone.md".into()),
            conflicting_memory_id: Some(m.id.to_string()),
        })
    );
    assert_eq!(
        requests(&server, "POST", "/v1/memory_stores/{id}/memories"),
        3,
        "a 409 is answered at once, not retried"
    );
    let bad = client
        .memory_stores()
        .create_memory(
            &id,
            &MemoryCreate {
                path: "prefs/../x".into(),
                content: "x".into(),
            },
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(bad.status(), Some(400));
}

#[tokio::test]
async fn memory_retrieve_defaults_to_full() {
    let (_server, client) = setup().await;
    let id = store(&client, "Prefs").await;
    let m = memory(&client, &id, "/a.md", "hello").await;
    let got = client
        .memory_stores()
        .retrieve_memory(&id, &m.id, None)
        .await
        .unwrap();
    assert_eq!(got.content.as_deref(), Some("hello"));
    let basic = client
        .memory_stores()
        .retrieve_memory(&id, &m.id, Some(MemoryView::Basic))
        .await
        .unwrap();
    assert_eq!(basic.content, None);
    assert_eq!(basic.content_sha256, got.content_sha256);
}

#[tokio::test]
async fn memory_update_with_a_stale_hash_conflicts_and_moves_by_path() {
    let (server, client) = setup().await;
    let id = store(&client, "Prefs").await;
    let m = memory(&client, &id, "/a.md", "one").await;
    let seen = m.content_sha256.clone();
    // Someone else changes it first (an agent through its mounted store).
    server
        .agent_writes_memory("sesn_other", &id, "/a.md", "two")
        .unwrap();
    let stale = client
        .memory_stores()
        .update_memory(
            &id,
            &m.id,
            &MemoryUpdate {
                content: Some("mine".into()),
                ..Default::default()
            }
            .if_unchanged(&seen),
            None,
        )
        .await
        .unwrap_err();
    assert!(matches!(stale, Error::Api(_)));
    assert_eq!(conflict(&stale), Some(MemoryConflict::PreconditionFailed));
    assert_eq!(
        requests(&server, "POST", "/v1/memory_stores/{id}/memories/{mid}"),
        1,
        "not retried"
    );
    let current = client
        .memory_stores()
        .retrieve_memory(&id, &m.id, None)
        .await
        .unwrap();
    assert_eq!(current.content.as_deref(), Some("two"));
    let saved = client
        .memory_stores()
        .update_memory(
            &id,
            &m.id,
            &MemoryUpdate {
                content: Some("mine".into()),
                ..Default::default()
            }
            .if_unchanged(&current.content_sha256),
            Some(MemoryView::Full),
        )
        .await
        .unwrap();
    assert_eq!(saved.content.as_deref(), Some("mine"));
    assert_ne!(saved.memory_version_id, current.memory_version_id);
    // A move keeps the id.
    let moved = client
        .memory_stores()
        .update_memory(
            &id,
            &m.id,
            &MemoryUpdate {
                path: Some("/archive/a.md".into()),
                ..Default::default()
            },
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        (moved.id.as_str(), moved.path.as_str()),
        (m.id.as_str(), "/archive/a.md")
    );
    let other = memory(&client, &id, "/b.md", "b").await;
    let onto = client
        .memory_stores()
        .update_memory(
            &id,
            &other.id,
            &MemoryUpdate {
                path: Some("/archive/a.md".into()),
                ..Default::default()
            },
            None,
        )
        .await
        .unwrap_err();
    assert!(matches!(
        conflict(&onto),
        Some(MemoryConflict::PathConflict { conflicting_memory_id: Some(c), .. }) if c == m.id.as_str()
    ));
}

#[tokio::test]
async fn memory_list_by_prefix_and_depth() {
    let (_server, client) = setup().await;
    let id = store(&client, "Tree").await;
    for p in [
        "/readme.md",
        "/notes/todo.md",
        "/notes/2026/nov.md",
        "/notes-archive/x.md",
    ] {
        memory(&client, &id, p, p).await;
    }
    let list = |prefix: Option<&str>, depth: Option<u32>| {
        let client = client.clone();
        let id = id.clone();
        let prefix = prefix.map(str::to_string);
        async move {
            client
                .memory_stores()
                .list_memories(
                    &id,
                    &MemoryListParams {
                        path_prefix: prefix,
                        depth,
                        ..Default::default()
                    },
                )
                .await
                .unwrap()
                .data
                .into_iter()
                .map(|i| match i {
                    MemoryListItem::Memory(m) => m.path,
                    MemoryListItem::MemoryPrefix { path } => format!("{path} (folder)"),
                    MemoryListItem::Other(v) => v.to_string(),
                })
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        list(None, Some(1)).await,
        vec!["/notes-archive/ (folder)", "/notes/ (folder)", "/readme.md"]
    );
    assert_eq!(
        list(Some("/notes/"), Some(1)).await,
        vec!["/notes/2026/ (folder)", "/notes/todo.md"]
    );
    assert_eq!(
        list(Some("/notes/"), None).await,
        vec!["/notes/2026/nov.md", "/notes/todo.md"],
        "whole segments only: /notes-archive/ is not below /notes/"
    );
    let full = client
        .memory_stores()
        .list_memories(
            &id,
            &MemoryListParams {
                view: Some(MemoryView::Full),
                list: ListParams::limit(2),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(full.data.len(), 2);
    assert!(full.next_page.is_some());
    assert!(matches!(&full.data[0], MemoryListItem::Memory(m) if m.content.is_some()));
}

#[tokio::test]
async fn memory_delete_checks_the_expected_hash() {
    let (_server, client) = setup().await;
    let id = store(&client, "Prefs").await;
    let m = memory(&client, &id, "/a.md", "one").await;
    let stale = client
        .memory_stores()
        .delete_memory(&id, &m.id, Some("0000"))
        .await
        .unwrap_err();
    assert_eq!(conflict(&stale), Some(MemoryConflict::PreconditionFailed));
    let d = client
        .memory_stores()
        .delete_memory(&id, &m.id, Some(&m.content_sha256))
        .await
        .unwrap();
    assert_eq!(d.kind, "memory_deleted");
    let versions = client
        .memory_stores()
        .list_versions(
            &id,
            &MemoryVersionListParams {
                memory_id: Some(m.id.to_string()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        versions
            .data
            .iter()
            .map(|v| v.operation.clone())
            .collect::<Vec<_>>(),
        vec![MemoryOperation::Deleted, MemoryOperation::Created],
        "the deleted memory's history stays, newest first"
    );
}

#[tokio::test]
async fn memory_version_list_says_who_changed_it() {
    let (server, client) = setup().await;
    let id = store(&client, "Prefs").await;
    let m = memory(&client, &id, "/a.md", "one").await;
    server
        .agent_writes_memory("sesn_agent", &id, "/a.md", "two")
        .unwrap();
    let all = client
        .memory_stores()
        .list_versions(&id, &MemoryVersionListParams::default())
        .await
        .unwrap();
    assert_eq!(all.data.len(), 2);
    assert_eq!(all.data[0].content, None, "basic by default");
    assert_eq!(
        all.data[0].created_by.as_ref().and_then(Actor::session_id),
        Some("sesn_agent")
    );
    assert!(matches!(
        all.data[1].created_by,
        Some(Actor::ApiActor { .. })
    ));
    let by_session = client
        .memory_stores()
        .list_versions(
            &id,
            &MemoryVersionListParams {
                session_id: Some("sesn_agent".into()),
                view: Some(MemoryView::Full),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(by_session.data.len(), 1);
    assert_eq!(by_session.data[0].content.as_deref(), Some("two"));
    let created = client
        .memory_stores()
        .list_versions(
            &id,
            &MemoryVersionListParams {
                operation: Some(MemoryOperation::Created),
                memory_id: Some(m.id.to_string()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(created.data.len(), 1);
}

#[tokio::test]
async fn memory_version_retrieve_has_content() {
    let (_server, client) = setup().await;
    let id = store(&client, "Prefs").await;
    let m = memory(&client, &id, "/a.md", "one").await;
    let v = client
        .memory_stores()
        .retrieve_version(&id, &m.memory_version_id, None)
        .await
        .unwrap();
    assert_eq!(
        (v.content.as_deref(), v.path.as_deref(), v.operation),
        (Some("one"), Some("/a.md"), MemoryOperation::Created)
    );
    assert_eq!(v.content_sha256.as_deref(), Some(m.content_sha256.as_str()));
}

#[tokio::test]
async fn memory_version_redact_erases_content_but_not_the_author() {
    let (_server, client) = setup().await;
    let id = store(&client, "Prefs").await;
    let m = memory(&client, &id, "/a.md", "my password is hunter2").await;
    // The current version cannot be redacted while it is the memory's content.
    let live = client
        .memory_stores()
        .redact_version(&id, &m.memory_version_id)
        .await
        .unwrap_err();
    assert_eq!(conflict(&live), Some(MemoryConflict::Other));
    client
        .memory_stores()
        .update_memory(
            &id,
            &m.id,
            &MemoryUpdate {
                content: Some("(removed)".into()),
                ..Default::default()
            },
            None,
        )
        .await
        .unwrap();
    let v = client
        .memory_stores()
        .redact_version(&id, &m.memory_version_id)
        .await
        .unwrap();
    assert!(v.redacted_at.is_some());
    assert_eq!((v.content, v.path, v.content_sha256), (None, None, None));
    assert!(v.created_by.is_some());
    assert!(matches!(v.redacted_by, Some(Actor::ApiActor { .. })));
    let again = client
        .memory_stores()
        .retrieve_version(&id, &m.memory_version_id, Some(MemoryView::Full))
        .await
        .unwrap();
    assert_eq!(again.content, None);
}
