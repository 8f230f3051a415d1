//! The chat's commands (issue 11): the header's session, the person's answers from the
//! transcript (tool confirmations, custom tool results, interrupts), rename, archive, delete,
//! and opening a link from agent output once the person has seen it.
//!
//! Event sends are never retried automatically (a retry could deliver twice); every send
//! first makes sure the session's tail runs, so what the agent answers is followed live.

use std::sync::Arc;

use hangar_api::events::{Confirmation, ContentBlock, EventParams};
use hangar_api::sessions::SessionUpdate;
use hangar_api::Client;
use hangar_store::ResourceKind;
use hangar_types::model::common::Patch;
use hangar_types::model::sessions::Session;
use hangar_types::{cmd, CacheArea, ErrorKind, SessionDetail, SessionId};

use super::{Input, Reply, Shared};
use crate::error::{ShellError, ShellResult};
use crate::live::{ensure_tail, Linger, TailKey};
use crate::state::AppState;

/// Sends `events` to `session`, following it live first.
async fn send(
    state: &Arc<AppState>,
    session: &SessionId,
    events: &[EventParams],
) -> ShellResult<()> {
    let (profile, client) = state.client().await?;
    ensure_tail(
        state,
        TailKey::new(profile.id, session.clone()),
        client.clone(),
        Linger::ACTIVE,
    );
    client.sessions().send_events(session, events).await?;
    Ok(())
}

/// Writes the API's answer about a session to the cache and tells the lists.
async fn cache_session(state: &Arc<AppState>, profile: &str, session: &Session) -> ShellResult<()> {
    let raw = serde_json::to_string(session)
        .map_err(|e| ShellError::kind(ErrorKind::Internal, e.to_string()))?;
    let profile_id = profile.to_string();
    state
        .write(move |s| s.upsert_session(&profile_id, &raw))
        .await?;
    state.cache_changed(profile, vec![CacheArea::Sessions]);
    Ok(())
}

/// The session for the chat's header: the API's answer when it can be had (cached on the way),
/// else the cache's.
#[tauri::command]
pub async fn session_get(
    state: Shared<'_>,
    input: Input<cmd::SessionGet>,
) -> Reply<cmd::SessionGet> {
    let profile = state.active_row();
    let fresh = match state.client_for(&profile).await {
        Ok(client) => client.sessions().retrieve(&input.session_id).await.ok(),
        Err(_) => None,
    };
    if let Some(session) = &fresh {
        cache_session(&state, &profile.id, session).await?;
    }
    let (profile_id, id) = (profile.id.clone(), input.session_id.to_string());
    let (raw, status, environments) = state
        .read(move |s| {
            Ok((
                s.session_raw(&profile_id, &id)?,
                s.session_status(&profile_id, &id)?,
                s.list_resources(&profile_id, ResourceKind::Environment, true)?,
            ))
        })
        .await?;
    let session = match (fresh, raw) {
        (Some(session), _) => session,
        (None, Some(raw)) => serde_json::from_str(&raw)
            .map_err(|e| ShellError::kind(ErrorKind::Internal, format!("cached session: {e}")))?,
        (None, None) => {
            return Err(ShellError::kind(
                ErrorKind::NotFound,
                "This session is not in the cache, and the API could not be asked.",
            ))
        }
    };
    let environment_name = environments
        .into_iter()
        .find(|e| e.id == session.environment_id.as_str())
        .map(|e| e.name);
    Ok(SessionDetail {
        status: status.unwrap_or_else(|| session.status.to_string()),
        session,
        environment_name,
    })
}

/// Stops the agent's turn.
#[tauri::command]
pub async fn session_interrupt(
    state: Shared<'_>,
    input: Input<cmd::SessionInterrupt>,
) -> Reply<cmd::SessionInterrupt> {
    send(
        &state,
        &input.session_id,
        &[EventParams::UserInterrupt {
            session_thread_id: None,
        }],
    )
    .await
}

/// Allows or denies a tool call; a denial's reason goes to the agent.
#[tauri::command]
pub async fn session_confirm(
    state: Shared<'_>,
    input: Input<cmd::SessionConfirm>,
) -> Reply<cmd::SessionConfirm> {
    let deny_message = if input.allow {
        None
    } else {
        input
            .reason
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
    };
    let result = if input.allow {
        Confirmation::Allow
    } else {
        Confirmation::Deny
    };
    send(
        &state,
        &input.session_id,
        &[EventParams::UserToolConfirmation {
            tool_use_id: input.tool_use_id,
            result,
            deny_message,
        }],
    )
    .await
}

/// Answers a custom tool call.
#[tauri::command]
pub async fn session_tool_result(
    state: Shared<'_>,
    input: Input<cmd::SessionToolResult>,
) -> Reply<cmd::SessionToolResult> {
    if input.text.trim().is_empty() {
        return Err(ShellError::invalid(
            "toolResult",
            "Tool result: write the answer (or the error) for the agent.",
        ));
    }
    send(
        &state,
        &input.session_id,
        &[EventParams::UserCustomToolResult {
            custom_tool_use_id: input.custom_tool_use_id,
            content: vec![ContentBlock::text(input.text)],
            is_error: input.is_error.then_some(true),
        }],
    )
    .await
}

/// Changes the title.
#[tauri::command]
pub async fn session_rename(
    state: Shared<'_>,
    input: Input<cmd::SessionRename>,
) -> Reply<cmd::SessionRename> {
    let title = input.title.trim().to_string();
    if title.chars().count() > 500 {
        return Err(ShellError::invalid(
            "title",
            "Title: at most 500 characters.",
        ));
    }
    let (profile, client) = state.client().await?;
    let body = SessionUpdate {
        title: if title.is_empty() {
            Patch::Clear
        } else {
            Patch::Set(title)
        },
        ..SessionUpdate::default()
    };
    let session = client.sessions().update(&input.session_id, &body).await?;
    cache_session(&state, &profile.id, &session).await
}

/// Archives a session.
#[tauri::command]
pub async fn session_archive(
    state: Shared<'_>,
    input: Input<cmd::SessionArchive>,
) -> Reply<cmd::SessionArchive> {
    let (profile, client) = state.client().await?;
    let session = client.sessions().archive(&input.session_id).await?;
    cache_session(&state, &profile.id, &session).await
}

/// Deletes a session: a running one is interrupted first, then the API's copy and the
/// cache's go.
#[tauri::command]
pub async fn session_delete(
    state: Shared<'_>,
    input: Input<cmd::SessionDelete>,
) -> Reply<cmd::SessionDelete> {
    let (profile, client) = state.client().await?;
    interrupt_if_running(&client, &input.session_id).await;
    state
        .live
        .stop_session(&TailKey::new(profile.id.clone(), input.session_id.clone()));
    match client.sessions().delete(&input.session_id).await {
        Ok(_) => {}
        // Already gone there: the cache's copy goes too.
        Err(e) if e.status() == Some(404) => {}
        Err(e) => return Err(e.into()),
    }
    let (profile_id, id) = (profile.id.clone(), input.session_id.to_string());
    state
        .write(move |s| s.delete_session(&profile_id, &id))
        .await?;
    state.cache_changed(&profile.id, vec![CacheArea::Sessions]);
    tracing::info!("session {} deleted", input.session_id);
    Ok(())
}

/// Interrupts a running (or rescheduling) session and waits briefly for it to stop.
async fn interrupt_if_running(client: &Client, session: &SessionId) {
    let running = |s: &Session| matches!(s.status.to_string().as_str(), "running" | "rescheduling");
    let Ok(current) = client.sessions().retrieve(session).await else {
        return;
    };
    if !running(&current) {
        return;
    }
    let interrupt = [EventParams::UserInterrupt {
        session_thread_id: None,
    }];
    if let Err(e) = client.sessions().send_events(session, &interrupt).await {
        tracing::warn!("session {session}: interrupt before delete failed: {e}");
        return;
    }
    for _ in 0..20 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        match client.sessions().retrieve(session).await {
            Ok(s) if running(&s) => continue,
            _ => return,
        }
    }
}

/// Opens a link from a transcript in the OS browser (http, https, mailto only). The page
/// shows the real URL and asks first; this checks the scheme again.
#[tauri::command]
pub async fn link_open(
    links: tauri::State<'_, crate::commands::chat::Links>,
    input: Input<cmd::LinkOpen>,
) -> Reply<cmd::LinkOpen> {
    if let Some(problem) = hangar_types::link_problem(&input.url) {
        return Err(ShellError::invalid("url", problem));
    }
    links.open(input.url.trim())
}

/// Opens a URL in the OS browser (the opener plugin; a recorder in tests).
pub type Opener = dyn Fn(&str) -> ShellResult<()> + Send + Sync;

/// Where links go: the OS browser, or (debug builds, `--e2e-links=FILE`) a file the end-to-end
/// suite reads, because a test cannot look into another program.
pub struct Links {
    opener: Box<Opener>,
}

impl Links {
    /// Links open with `opener`.
    pub fn new(opener: impl Fn(&str) -> ShellResult<()> + Send + Sync + 'static) -> Self {
        Self {
            opener: Box::new(opener),
        }
    }

    fn open(&self, url: &str) -> ShellResult<()> {
        tracing::info!("opening a link from a transcript");
        (self.opener)(url)
    }
}

impl Links {
    /// The app's links: the OS browser through the opener plugin; with `--e2e-links=FILE` in a
    /// debug build, appended to that file instead.
    pub fn for_app<R: tauri::Runtime>(app: tauri::AppHandle<R>) -> Self {
        let record = cfg!(debug_assertions)
            .then(|| {
                std::env::args()
                    .find_map(|a| a.strip_prefix("--e2e-links=").map(std::path::PathBuf::from))
            })
            .flatten();
        match record {
            Some(path) => Links::new(move |url| {
                use std::io::Write;
                let mut file = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&path)
                    .map_err(|e| ShellError::kind(ErrorKind::Internal, e.to_string()))?;
                writeln!(file, "{url}")
                    .map_err(|e| ShellError::kind(ErrorKind::Internal, e.to_string()))
            }),
            None => Links::new(move |url| {
                use tauri_plugin_opener::OpenerExt;
                app.opener().open_url(url, None::<&str>).map_err(|e| {
                    ShellError::kind(
                        ErrorKind::Internal,
                        format!("The link could not be opened in your browser: {e}"),
                    )
                })
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

    use std::time::{Duration, Instant};

    use hangar_fake_api::FakeServer;
    use serde_json::{json, Value};

    use super::super::agents::flow::{app_on, fake, fake_with};

    const CANARY: &str = "ghp_CANARY_repo_token_chat_8c2d";

    fn outside(server: &FakeServer, method: &str, path: &str, body: Option<Value>) -> Value {
        tauri::async_runtime::block_on(server.outside(method, path, body)).unwrap()
    }

    /// Waits until the fake's log of `session` has an event matching `pred`; returns it.
    fn wait_event(
        server: &FakeServer,
        session: &str,
        what: &str,
        pred: impl Fn(&Value) -> bool,
    ) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(e) = server.event_log(session).into_iter().find(|e| pred(e)) {
                return e;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    fn count(server: &FakeServer, session: &str, kind: &str) -> usize {
        server
            .event_log(session)
            .iter()
            .filter(|e| e["type"] == kind)
            .count()
    }

    /// Waits until `n` turns have ended (`end_turn` idles).
    fn wait_turns(server: &FakeServer, session: &str, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while server
            .event_log(session)
            .iter()
            .filter(|e| {
                e["type"] == "session.status_idle" && e["stop_reason"]["type"] == "end_turn"
            })
            .count()
            < n
        {
            assert!(Instant::now() < deadline, "timed out waiting for turn {n}");
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    fn wait_status(server: &FakeServer, session: &str, status: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while outside(server, "GET", &format!("/v1/sessions/{session}"), None)["status"] != status {
            assert!(Instant::now() < deadline, "timed out waiting for {status}");
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    #[test]
    fn start_with_every_option_then_answer_interrupt_rename_archive_and_delete() {
        let server = fake();
        let (app, dir) = app_on(&server, "chat");
        let agent = outside(
            &server,
            "POST",
            "/v1/agents",
            Some(json!({"name": "Helper", "model": "claude-sonnet-5-5",
            "tools": [{"type": "custom", "name": "lookup_order", "description": "Look up", "input_schema": {"type": "object"}}]})),
        );
        let aid = agent["id"].as_str().unwrap().to_string();
        outside(
            &server,
            "POST",
            &format!("/v1/agents/{aid}"),
            Some(json!({"version": 1, "system": "v2"})),
        );
        let env =
            tauri::async_runtime::block_on(server.outside_create_environment("sandbox")).unwrap();
        let vault = tauri::async_runtime::block_on(server.outside_create_vault("Team")).unwrap();

        // Refused before anything is sent, with the field to blame.
        let bad = app
            .invoke(
                "session_start",
                json!({"agentId": aid, "environmentId": env["id"], "message": "hi",
                "repository": {"url": "http://github.com/x"}}),
            )
            .unwrap_err();
        assert_eq!(bad["field"], "repositoryUrl", "{bad}");
        let bad = app
            .invoke(
                "session_start",
                json!({"agentId": aid, "environmentId": env["id"], "message": "  "}),
            )
            .unwrap_err();
        assert_eq!(bad["field"], "message", "{bad}");

        let started = app
            .invoke("session_start", json!({"agentId": aid, "agentVersion": 1, "environmentId": env["id"],
                "vaultIds": [vault["id"]], "title": "Everything", "message": "Please run a command",
                "repository": {"url": "https://github.com/acme/shop", "token": CANARY, "rememberToken": true, "branch": "main"},
                "budgetCents": "2500"}))
            .unwrap();
        assert!(!started.to_string().contains(CANARY));
        let sid = started["id"].as_str().unwrap().to_string();
        let created = outside(&server, "GET", &format!("/v1/sessions/{sid}"), None);
        assert_eq!(created["agent"]["version"], 1, "pinned");
        assert_eq!(created["vault_ids"], json!([vault["id"]]));
        assert_eq!(
            created["resources"][0]["checkout"],
            json!({"type": "branch", "name": "main"})
        );
        assert_eq!(created["budget"]["max_list_cost"]["amount"], "2500");
        let remembered = app
            .state()
            .keys
            .get("prof_cfg/github/https://github.com/acme/shop")
            .unwrap();
        assert_eq!(
            remembered.as_deref(),
            Some(CANARY),
            "remembered in the keychain"
        );

        // Allowed.
        let ask = wait_event(&server, &sid, "a confirmation", |e| {
            e["type"] == "agent.tool_use"
        });
        app.invoke(
            "session_confirm",
            json!({"sessionId": sid, "toolUseId": ask["id"], "allow": true}),
        )
        .unwrap();
        wait_event(&server, &sid, "the result", |e| {
            e["type"] == "agent.tool_result" && e["is_error"] == false
        });
        wait_turns(&server, &sid, 1);
        // Denied with a reason.
        app.invoke(
            "session_send",
            json!({"sessionId": sid, "text": "Run a command again"}),
        )
        .unwrap();
        let ask = wait_event(&server, &sid, "a second confirmation", |e| {
            e["type"] == "agent.tool_use" && e["id"] != ask["id"]
        });
        app.invoke("session_confirm", json!({"sessionId": sid, "toolUseId": ask["id"], "allow": false, "reason": "  not here  "}))
            .unwrap();
        let denial = wait_event(&server, &sid, "the denial", |e| {
            e["type"] == "user.tool_confirmation" && e["result"] == "deny"
        });
        assert_eq!(denial["deny_message"], "not here");
        wait_turns(&server, &sid, 2);
        // A custom tool answered.
        app.invoke(
            "session_send",
            json!({"sessionId": sid, "text": "Please call a custom tool"}),
        )
        .unwrap();
        let call = wait_event(&server, &sid, "a custom tool call", |e| {
            e["type"] == "agent.custom_tool_use"
        });
        let empty = app
            .invoke(
                "session_tool_result",
                json!({"sessionId": sid, "customToolUseId": call["id"], "text": " "}),
            )
            .unwrap_err();
        assert_eq!(empty["field"], "toolResult");
        app.invoke("session_tool_result", json!({"sessionId": sid, "customToolUseId": call["id"], "text": "shipped", "isError": true}))
            .unwrap();
        let result = wait_event(&server, &sid, "the tool result", |e| {
            e["type"] == "user.custom_tool_result"
        });
        assert_eq!(result["is_error"], true);
        assert_eq!(result["content"][0]["text"], "shipped");
        wait_turns(&server, &sid, 3);
        // Interrupted.
        app.invoke(
            "session_send",
            json!({"sessionId": sid, "text": "Please work slowly"}),
        )
        .unwrap();
        wait_status(&server, &sid, "running");
        app.invoke("session_interrupt", json!({"sessionId": sid}))
            .unwrap();
        wait_event(&server, &sid, "the interrupt", |e| {
            e["type"] == "user.interrupt"
        });
        wait_turns(&server, &sid, 4);
        // Renamed, read back for the header, archived.
        app.invoke(
            "session_rename",
            json!({"sessionId": sid, "title": "Renamed"}),
        )
        .unwrap();
        let detail = app
            .invoke("session_get", json!({"sessionId": sid}))
            .unwrap();
        assert_eq!(detail["session"]["title"], "Renamed");
        // The name comes from the cache: null until the background sync has
        // cached the environment, then its name — never anything else.
        let env_name = &detail["environmentName"];
        assert!(
            env_name.is_null() || *env_name == env["name"],
            "{env_name} for {}",
            env["name"]
        );
        app.invoke("session_archive", json!({"sessionId": sid}))
            .unwrap();
        let detail = app
            .invoke("session_get", json!({"sessionId": sid}))
            .unwrap();
        assert!(detail["session"]["archived_at"].is_string(), "{detail}");
        // A link: only web and mail, checked again here.
        let bad = app
            .invoke("link_open", json!({"url": "javascript:alert(1)"}))
            .unwrap_err();
        assert_eq!(bad["kind"], "invalid");

        // Deleting a running session interrupts it first.
        let other = app
            .invoke(
                "session_start",
                json!({"agentId": aid, "environmentId": env["id"], "message": "Please work slowly",
                "repository": {"url": "https://github.com/acme/shop"}}),
            )
            .unwrap();
        let oid = other["id"].as_str().unwrap().to_string();
        let reused = outside(&server, "GET", &format!("/v1/sessions/{oid}"), None);
        assert_eq!(reused["resources"].as_array().unwrap().len(), 1);
        wait_status(&server, &oid, "running");
        assert_eq!(count(&server, &oid, "user.interrupt"), 0);
        let events_before = server.event_log(&oid).len();
        assert!(events_before > 0);
        app.invoke("session_delete", json!({"sessionId": oid}))
            .unwrap();
        assert_eq!(server.event_log(&oid).len(), 0, "gone from the API");
        let gone = tauri::async_runtime::block_on(server.outside(
            "GET",
            &format!("/v1/sessions/{oid}"),
            None,
        ));
        assert!(gone.is_err());
        let cached = tauri::async_runtime::block_on(
            app.state().read(move |s| s.session_raw("prof_cfg", &oid)),
        )
        .unwrap();
        assert_eq!(cached, None, "gone from the cache");

        // The repository token is nowhere on disk.
        drop(app);
        let mut stack = vec![dir.clone()];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let bytes = std::fs::read(&path).unwrap();
                    assert!(
                        !bytes.windows(CANARY.len()).any(|w| w == CANARY.as_bytes()),
                        "token in {}",
                        path.display()
                    );
                }
            }
        }
    }

    /// The live path's latency, one sample per event: emitted by the fake (its
    /// `processed_at`) → SSE → parsed → written to the cache → sent on the view's channel.
    /// Sends `messages` to a new session on `server` and collects at least `n` samples.
    fn live_latency(server: &FakeServer, name: &str, messages: &[String], n: usize) -> Vec<i64> {
        use std::sync::{Arc, Mutex};
        let (app, _dir) = app_on(server, name);
        let agent = outside(
            server,
            "POST",
            "/v1/agents",
            Some(json!({"name": "Bench", "model": "claude-haiku-5-5"})),
        );
        let env = tauri::async_runtime::block_on(server.outside_create_environment("e")).unwrap();
        let started = app
            .invoke(
                "session_start",
                json!({"agentId": agent["id"], "environmentId": env["id"], "message": "hello"}),
            )
            .unwrap();
        let sid = started["id"].as_str().unwrap().to_string();
        wait_turns(server, &sid, 1);
        let samples: Arc<Mutex<Vec<i64>>> = Arc::default();
        let sink = samples.clone();
        let channel = tauri::ipc::Channel::new(move |body| {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_micros() as i64;
            if let tauri::ipc::InvokeResponseBody::Json(text) = body {
                let v: Value = serde_json::from_str(&text).unwrap();
                if v["kind"] == "events" {
                    let mut s = sink.lock().unwrap();
                    for e in v["events"].as_array().unwrap() {
                        if let Some(at) = e["event"]["processed_at"]
                            .as_str()
                            .and_then(hangar_store::parse_rfc3339_us)
                        {
                            s.push(now - at);
                        }
                    }
                }
            }
            Ok(())
        });
        let state = app.state();
        tauri::async_runtime::block_on(crate::live::follow(
            &state,
            crate::live::TailKey::new("prof_cfg", sid.clone()),
            None,
            channel,
        ))
        .unwrap();
        for text in messages {
            app.invoke("session_send", json!({"sessionId": sid, "text": text}))
                .unwrap();
        }
        let deadline = Instant::now() + Duration::from_secs(120);
        while samples.lock().unwrap().len() < n {
            assert!(
                Instant::now() < deadline,
                "only {} events arrived",
                samples.lock().unwrap().len()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let mut all = samples.lock().unwrap().clone();
        all.sort_unstable();
        all
    }

    fn report(what: &str, all: &[i64]) {
        let at = |q: f64| all[((all.len() as f64 - 1.0) * q) as usize] as f64 / 1000.0;
        println!(
            "live path, {what}: fake emits → SSE → cache → channel: n={} p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            all.len(),
            at(0.5),
            at(0.99),
            at(1.0)
        );
    }

    /// A benchmark, run on demand (`cargo xtask bench` runs it):
    /// `cargo test -p hangar --features test-support live_latency -- --ignored --nocapture`.
    /// Steady frames, as a model writes: one event every 10 ms for 10 slow turns. The goal is
    /// p99 < 5 ms.
    #[test]
    #[ignore = "a benchmark: run on demand"]
    fn live_latency_steady_frames() {
        let server = fake_with(hangar_fake_api::FakeConfig {
            turn_delay: Duration::from_millis(10),
            ..hangar_fake_api::FakeConfig::default()
        });
        let messages: Vec<String> = (1..=10)
            .map(|i| format!("Please work slowly ({i})"))
            .collect();
        // Each slow turn: its own user message, 30 paced events and its reply's events.
        let all = live_latency(&server, "latency-steady", &messages, 10 * 30);
        report("steady frames every 10 ms", &all);
    }

    /// A burst: 3000 events emitted at once (queueing, not per-frame cost).
    #[test]
    #[ignore = "a benchmark: run on demand"]
    fn live_latency_burst_of_3000() {
        const N: usize = 3000;
        let server = fake();
        let all = live_latency(&server, "latency", &[format!("Please write {N} events")], N);
        report("a burst of 3000", &all);
    }
}
