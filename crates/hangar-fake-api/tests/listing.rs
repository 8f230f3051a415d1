#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on any error"
)]
//! The list endpoints a background sync polls (reference §2, §4, §5): order, time filters,
//! archived and deleted objects, status changes moving `updated_at`, and cursors that survive
//! items being created and deleted between pages. Driven "from outside", as the web console would.

use std::time::Duration;

use hangar_fake_api::{FakeConfig, FakeServer};
use serde_json::{json, Value};

async fn server() -> FakeServer {
    FakeServer::start(FakeConfig {
        // Long steps: a session sent a message stays `running` while the test looks.
        turn_delay: Duration::from_secs(30),
        ..FakeConfig::default()
    })
    .await
    .unwrap()
}

fn ids(page: &Value) -> Vec<String> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_string())
        .collect()
}

/// Every item of a list, following `next_page`.
async fn all(server: &FakeServer, path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut page: Option<String> = None;
    loop {
        let url = match &page {
            Some(p) => format!("{path}{sep}page={p}"),
            None => path.to_string(),
        };
        let body = server.outside("GET", &url, None).await.unwrap();
        out.extend(ids(&body));
        match body["next_page"].as_str() {
            Some(next) if !next.is_empty() => page = Some(next.to_string()),
            _ => return out,
        }
    }
}

/// A URL-encoded bracketed time filter, as the SDKs send it.
fn bound(op: &str, time: &Value) -> String {
    format!(
        "created_at%5B{op}%5D={}",
        time.as_str().unwrap().replace(':', "%3A")
    )
}

async fn sessions(server: &FakeServer, n: usize) -> (String, String, Vec<Value>) {
    let agent = server.outside_create_agent("a").await.unwrap();
    let env = server.outside_create_environment("e").await.unwrap();
    let (agent, env) = (
        agent["id"].as_str().unwrap().to_string(),
        env["id"].as_str().unwrap().to_string(),
    );
    let mut made = Vec::new();
    for i in 0..n {
        let title = format!("s{i}");
        made.push(
            server
                .outside_create_session(&agent, &env, Some(&title))
                .await
                .unwrap(),
        );
    }
    (agent, env, made)
}

#[tokio::test]
async fn sessions_list_newest_first_with_order_and_time_filters() {
    let server = server().await;
    let (_, _, made) = sessions(&server, 6).await;
    let created: Vec<String> = made
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    let mut newest_first = created.clone();
    newest_first.reverse();

    assert_eq!(
        all(&server, "/v1/sessions").await,
        newest_first,
        "default desc"
    );
    assert_eq!(
        all(&server, "/v1/sessions?order=desc&limit=4").await,
        newest_first
    );
    assert_eq!(
        all(&server, "/v1/sessions?order=asc&limit=4").await,
        created
    );

    let t2 = &made[2]["created_at"];
    for (op, expect) in [
        ("gt", &created[3..]),
        ("gte", &created[2..]),
        ("lt", &created[..2]),
        ("lte", &created[..3]),
    ] {
        let got = all(
            &server,
            &format!("/v1/sessions?order=asc&{}", bound(op, t2)),
        )
        .await;
        assert_eq!(got, expect, "created_at[{op}]");
    }
    let window = format!(
        "/v1/sessions?{}&{}",
        bound("gt", &made[1]["created_at"]),
        bound("lt", &made[4]["created_at"])
    );
    assert_eq!(
        all(&server, &window).await,
        vec![created[3].clone(), created[2].clone()]
    );

    let refused = server
        .outside("GET", "/v1/sessions?created_at%5Bgt%5D=yesterday", None)
        .await
        .unwrap_err();
    assert_eq!(refused.status, 400);
    assert_eq!(refused.body["error"]["type"], "invalid_request_error");
    let refused = server
        .outside("GET", "/v1/sessions?order=newest", None)
        .await
        .unwrap_err();
    assert_eq!(refused.status, 400);
}

#[tokio::test]
async fn status_changes_move_updated_at_and_statuses_filter() {
    let server = server().await;
    let (_, _, made) = sessions(&server, 3).await;
    let busy = made[1]["id"].as_str().unwrap().to_string();
    let before = made[1]["updated_at"].as_str().unwrap().to_string();
    server
        .outside(
            "POST",
            &format!("/v1/sessions/{busy}/events"),
            Some(json!({"events": [{"type": "user.message", "content": [{"type": "text", "text": "hi"}]}]})),
        )
        .await
        .unwrap();
    let mut now = Value::Null;
    for _ in 0..200 {
        now = server
            .outside("GET", &format!("/v1/sessions/{busy}"), None)
            .await
            .unwrap();
        if now["status"] == "running" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(now["status"], "running");
    assert!(
        now["updated_at"].as_str().unwrap() > before.as_str(),
        "updated_at moves with the status: {before} -> {}",
        now["updated_at"]
    );
    // The list shows the same object as the retrieve.
    let listed = server.outside("GET", "/v1/sessions", None).await.unwrap();
    let row = listed["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == busy.as_str())
        .unwrap();
    assert_eq!(
        (&row["status"], &row["updated_at"]),
        (&now["status"], &now["updated_at"])
    );

    assert_eq!(
        all(&server, "/v1/sessions?statuses%5B%5D=running").await,
        vec![busy.clone()]
    );
    let idle = all(
        &server,
        "/v1/sessions?statuses[]=idle&statuses[]=terminated",
    )
    .await;
    assert_eq!(idle.len(), 2);
    assert!(!idle.contains(&busy));
    assert_eq!(
        all(&server, "/v1/sessions?statuses=idle&statuses=running")
            .await
            .len(),
        3,
        "repeated plain keys work too"
    );
    let refused = server
        .outside("GET", "/v1/sessions?statuses[]=sleeping", None)
        .await
        .unwrap_err();
    assert_eq!(refused.status, 400);
}

#[tokio::test]
async fn archived_sessions_hide_unless_asked_and_deleted_ones_are_gone() {
    let server = server().await;
    let (_, _, made) = sessions(&server, 4).await;
    let id = |i: usize| made[i]["id"].as_str().unwrap().to_string();
    let archived = server
        .outside("POST", &format!("/v1/sessions/{}/archive", id(1)), None)
        .await
        .unwrap();
    assert!(archived["archived_at"].is_string());
    assert!(archived["updated_at"].as_str() > made[1]["updated_at"].as_str());
    let gone = server
        .outside("DELETE", &format!("/v1/sessions/{}", id(2)), None)
        .await
        .unwrap();
    assert_eq!(gone, json!({"id": id(2), "type": "session_deleted"}));

    assert_eq!(all(&server, "/v1/sessions").await, vec![id(3), id(0)]);
    assert_eq!(
        all(&server, "/v1/sessions?include_archived=true").await,
        vec![id(3), id(1), id(0)],
        "archived shown on request, deleted never"
    );
    for path in [
        format!("/v1/sessions/{}", id(2)),
        format!("/v1/sessions/{}/events", id(2)),
        format!("/v1/sessions/{}/events/stream", id(2)),
    ] {
        let e = server.outside("GET", &path, None).await.unwrap_err();
        assert_eq!(e.status, 404, "{path}");
        assert_eq!(e.body["type"], "error");
        assert_eq!(e.body["error"]["type"], "not_found_error", "{path}");
        assert!(e.body["request_id"].as_str().unwrap().starts_with("req_"));
    }
    let again = server
        .outside("DELETE", &format!("/v1/sessions/{}", id(2)), None)
        .await
        .unwrap_err();
    assert_eq!(again.status, 404);
}

#[tokio::test]
async fn cursors_survive_creates_and_deletes_between_pages() {
    let server = server().await;
    let (agent, env, made) = sessions(&server, 9).await;
    let id = |i: usize| made[i]["id"].as_str().unwrap().to_string();
    // Newest first: 8 7 6 | 5 4 3 | 2 1 0.
    let first = server
        .outside("GET", "/v1/sessions?limit=3", None)
        .await
        .unwrap();
    assert_eq!(ids(&first), vec![id(8), id(7), id(6)]);
    assert!(first["prev_page"].is_null());
    // Meanwhile two sessions appear on top and one the reader has not reached is deleted: an
    // offset cursor would now repeat 7 and 6 and skip 3.
    for _ in 0..2 {
        server
            .outside_create_session(&agent, &env, None)
            .await
            .unwrap();
    }
    server
        .outside("DELETE", &format!("/v1/sessions/{}", id(4)), None)
        .await
        .unwrap();
    let next = first["next_page"].as_str().unwrap();
    let second = server
        .outside("GET", &format!("/v1/sessions?limit=3&page={next}"), None)
        .await
        .unwrap();
    assert_eq!(
        ids(&second),
        vec![id(5), id(3), id(2)],
        "continues after the last item read: no repeat, no skip"
    );
    let prev = second["prev_page"].as_str().unwrap();
    let back = server
        .outside("GET", &format!("/v1/sessions?limit=3&page={prev}"), None)
        .await
        .unwrap();
    assert_eq!(
        ids(&back),
        vec![id(8), id(7), id(6)],
        "prev_page: the items just before"
    );
    let next = second["next_page"].as_str().unwrap();
    let third = server
        .outside("GET", &format!("/v1/sessions?limit=3&page={next}"), None)
        .await
        .unwrap();
    assert_eq!(ids(&third), vec![id(1), id(0)]);
    assert!(third["next_page"].is_null());

    let e = server
        .outside("GET", "/v1/sessions?page=page_nonsense", None)
        .await
        .unwrap_err();
    assert_eq!(
        (e.status, e.body["error"]["type"].as_str()),
        (400, Some("invalid_request_error"))
    );
}

#[tokio::test]
async fn agents_environments_and_vaults_show_new_changed_archived_and_deleted() {
    let server = server().await;
    let mut agents = Vec::new();
    for i in 0..5 {
        let a = server
            .outside_create_agent(&format!("agent {i}"))
            .await
            .unwrap();
        agents.push(a["id"].as_str().unwrap().to_string());
    }
    assert_eq!(
        all(&server, "/v1/agents?limit=2").await,
        agents,
        "oldest first, across pages"
    );
    let changed = server
        .outside(
            "POST",
            &format!("/v1/agents/{}", agents[1]),
            Some(json!({"name": "renamed", "version": 1})),
        )
        .await
        .unwrap();
    assert_eq!(changed["version"], 2);
    let listed = server.outside("GET", "/v1/agents", None).await.unwrap();
    let row = &listed["data"][1];
    assert_eq!(
        (row["name"].as_str(), row["version"].as_u64()),
        (Some("renamed"), Some(2))
    );
    assert!(row["updated_at"].as_str() > row["created_at"].as_str());
    server
        .outside("POST", &format!("/v1/agents/{}/archive", agents[3]), None)
        .await
        .unwrap();
    let mut active = agents.clone();
    active.remove(3);
    assert_eq!(all(&server, "/v1/agents").await, active);
    assert_eq!(
        all(&server, "/v1/agents?include_archived=true").await,
        agents
    );
    let since = listed["data"][2]["created_at"].clone();
    assert_eq!(
        all(&server, &format!("/v1/agents?{}", bound("gte", &since))).await,
        vec![agents[2].clone(), agents[4].clone()]
    );

    let mut envs = Vec::new();
    let mut vaults = Vec::new();
    for i in 0..4 {
        let e = server
            .outside_create_environment(&format!("env {i}"))
            .await
            .unwrap();
        envs.push(e["id"].as_str().unwrap().to_string());
        let v = server
            .outside_create_vault(&format!("vault {i}"))
            .await
            .unwrap();
        vaults.push(v["id"].as_str().unwrap().to_string());
    }
    for (family, list, kind) in [
        ("environments", &envs, "environment_deleted"),
        ("vaults", &vaults, "vault_deleted"),
    ] {
        assert_eq!(&all(&server, &format!("/v1/{family}?limit=3")).await, list);
        server
            .outside("POST", &format!("/v1/{family}/{}/archive", list[0]), None)
            .await
            .unwrap();
        let gone = server
            .outside("DELETE", &format!("/v1/{family}/{}", list[2]), None)
            .await
            .unwrap();
        assert_eq!(gone["type"], kind);
        assert_eq!(
            all(&server, &format!("/v1/{family}")).await,
            vec![list[1].clone(), list[3].clone()]
        );
        assert_eq!(
            all(&server, &format!("/v1/{family}?include_archived=true")).await,
            vec![list[0].clone(), list[1].clone(), list[3].clone()]
        );
        let e = server
            .outside("GET", &format!("/v1/{family}/{}", list[2]), None)
            .await
            .unwrap_err();
        assert_eq!(
            (e.status, e.body["error"]["type"].as_str()),
            (404, Some("not_found_error"))
        );
    }
}

#[tokio::test]
async fn outside_calls_are_not_counted_and_need_no_key_setup() {
    let server = FakeServer::start(FakeConfig {
        api_key: Some("sk-only-this".into()),
        ..FakeConfig::default()
    })
    .await
    .unwrap();
    assert_eq!(server.client_key(), "sk-only-this");
    server.fail_next_requests(&[(500, None)]);
    let (_, _, made) = sessions(&server, 2).await;
    assert_eq!(
        made.len(),
        2,
        "injected failures are kept for the app under test"
    );
    assert_eq!(server.stats().total_requests(), 0);
    assert_eq!(server.stats().history_events_served(), 0);
}
