//! The live path and the background work against the fake, through the real app on the mock
//! runtime: nothing fetched twice across a restart, the connection check's manners, the tails'
//! lifecycle.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on any error"
)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hangar_fake_api::{FakeConfig, FakeServer};
use serde_json::{json, Value};

use crate::keys::{MemoryKeychain, SecretStore};
use crate::live::TailKey;
use crate::monitor::Timing;
use crate::sync::Cadence;
use crate::test_support::TestApp;

const KEY: &str = "sk-ant-live-test-key-5150";

fn fake(turn_delay: Duration) -> FakeServer {
    tauri::async_runtime::block_on(FakeServer::start(FakeConfig {
        api_key: Some(KEY.into()),
        turn_delay,
        ..FakeConfig::default()
    }))
    .unwrap()
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("hangar-{name}-{}", std::process::id()));
    let _stale = std::fs::remove_dir_all(&dir);
    dir
}

/// An app whose active profile points at `server` (the profile row written before start, its
/// key in the keychain), as a person who set it up earlier finds it.
fn app_on(server: &FakeServer, dir: &std::path::Path, keychain: Arc<MemoryKeychain>) -> TestApp {
    std::fs::create_dir_all(dir).unwrap();
    {
        let store = hangar_store::Store::open(dir.join("cache.db")).unwrap();
        store
            .upsert_profile("prof_live", "Live", &server.base_url(), false)
            .unwrap();
        store.set_setting("active_profile", "prof_live").unwrap();
    }
    keychain.set("prof_live", KEY).unwrap();
    TestApp::start(dir.to_path_buf(), keychain)
}

fn wait_until(what: &str, timeout: Duration, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn cached_events(app: &TestApp, session: &str) -> u64 {
    let session = session.to_string();
    tauri::async_runtime::block_on(
        app.state()
            .read(move |s| s.event_count("prof_live", &session)),
    )
    .unwrap()
}

fn cached_status(app: &TestApp, session: &str) -> Option<String> {
    let session = session.to_string();
    tauri::async_runtime::block_on(
        app.state()
            .read(move |s| s.session_status("prof_live", &session)),
    )
    .unwrap()
}

/// Quitting mid-session and starting again fetches no event twice: the new tail resumes after
/// what the cache holds, and the running session is followed again without anyone opening it.
#[test]
fn a_restart_mid_session_fetches_no_event_twice() {
    let server = fake(Duration::from_millis(400));
    let dir = temp_dir("restart");
    let keychain = Arc::new(MemoryKeychain::default());
    let first = app_on(&server, &dir, keychain.clone());
    let (agent, env) = tauri::async_runtime::block_on(async {
        // With the built-in tools the turn has several steps, 400 ms apart.
        let agent = server
            .outside(
                "POST",
                "/v1/agents",
                Some(json!({"name": "Restarter", "model": "claude-sonnet-5-5",
                    "tools": [{"type": "agent_toolset_20260401"}]})),
            )
            .await
            .unwrap();
        let env = server.outside_create_environment("env").await.unwrap();
        (agent, env)
    });
    let started = first
        .invoke(
            "session_start",
            json!({"agentId": agent["id"], "environmentId": env["id"], "title": "Restart", "message": "Look at the files"}),
        )
        .unwrap();
    let session = started["id"].as_str().unwrap().to_string();

    // Mid-turn: the tool call is cached, the agent still working.
    let has_tool_use = |app: &TestApp| {
        let session = session.clone();
        tauri::async_runtime::block_on(app.state().read(move |s| {
            let page =
                s.transcript_page("prof_live", &session, &hangar_store::Anchor::Start, 1000)?;
            Ok(page.events.iter().any(|e| e.event_type == "agent.tool_use"))
        }))
        .unwrap()
    };
    wait_until(
        "the tool call in the cache",
        Duration::from_secs(20),
        || has_tool_use(&first),
    );
    first.state().shutdown();
    let cached_at_quit: std::collections::HashSet<String> = {
        let session = session.clone();
        tauri::async_runtime::block_on(first.state().read(move |s| {
            let page =
                s.transcript_page("prof_live", &session, &hangar_store::Anchor::Start, 1000)?;
            Ok(page.events.into_iter().map(|e| e.id).collect())
        }))
        .unwrap()
    };
    assert_eq!(cached_status(&first, &session).as_deref(), Some("running"));
    drop(first);
    // From here on, count only what the restarted app asks for.
    server.stats().reset();
    // The agent goes on while Hangar is closed: the restart must fetch those from history.
    let log_at_quit = server.event_log(&session).len();
    wait_until("events while closed", Duration::from_secs(10), || {
        server.event_log(&session).len() >= log_at_quit + 2
    });

    // Start again: the running session is followed again and only what is new is fetched.
    let second = app_on(&server, &dir, keychain);
    wait_until(
        "the turn to end in the cache",
        Duration::from_secs(30),
        || {
            let log = server.event_log(&session);
            let ended = log.iter().any(|e| e["type"] == "session.status_idle");
            ended && cached_events(&second, &session) == log.len() as u64
        },
    );
    let log = server.event_log(&session);
    let new = log.len() - cached_at_quit.len();
    assert!(new > 0, "the session went on after the restart");
    let stats = server.stats();
    for event in &log {
        let id = event["id"].as_str().unwrap();
        let served = stats.served_by_history(id) + stats.served_by_stream(id);
        let expected = usize::from(!cached_at_quit.contains(id));
        assert_eq!(
            served, expected,
            "event {id} ({}) served {served} times after the restart",
            event["type"]
        );
    }
    assert!(
        stats.history_events_served() >= 2,
        "what happened while closed came from history"
    );
    println!(
        "restart: {} events cached before, {new} after; history served {}, streams {}",
        cached_at_quit.len(),
        stats.history_events_served(),
        stats.stream_events_served()
    );
    second.state().shutdown();
    drop(second);
    let _removed = std::fs::remove_dir_all(&dir);
}

/// With nothing changing, the connection check calls the API at most twice a minute. The
/// cadence is scaled down 30× (45 s → 1.5 s; a minute → 2 s) so the test takes seconds; the
/// rule checked is the same.
#[test]
fn the_connection_check_calls_at_most_twice_a_minute_when_nothing_changes() {
    const SCALE: u32 = 30;
    let server = fake(Duration::from_millis(5));
    let dir = temp_dir("monitor");
    let app = app_on(&server, &dir, Arc::new(MemoryKeychain::default()));
    let state = app.state();
    // Only the check runs: the lists refresh far less often than the measurement lasts.
    state.sync.watch(&[]);
    state.sync.set_cadence(Cadence {
        background: Duration::from_secs(3600),
        ..Cadence::default()
    });
    let real = Timing::default();
    state.monitor.set_timing(Timing {
        every: real.every / SCALE,
        ..real
    });
    wait_until("online", Duration::from_secs(10), || {
        state.connection().state == hangar_types::ConnectionState::Online
    });
    std::thread::sleep(Duration::from_millis(300));
    server.stats().reset();
    let minute = Duration::from_secs(60) / SCALE;
    std::thread::sleep(minute * 3);
    let calls = server.stats().total_requests();
    println!("connection check: {calls} calls in 3 scaled minutes");
    assert!(calls <= 6, "{calls} calls in three minutes");
    assert!(calls >= 1, "the check still runs ({calls})");

    // While other work reaches the API successfully, the check makes no call of its own.
    let own_before = state.monitor.calls();
    state.sync.set_cadence(Cadence {
        watched: minute / 20,
        background: minute / 20,
        ..Cadence::default()
    });
    std::thread::sleep(minute * 2);
    assert_eq!(
        state.monitor.calls(),
        own_before,
        "the check rode on the sync's calls"
    );
    state.shutdown();
    drop(app);
    let _removed = std::fs::remove_dir_all(&dir);
}

/// A network error makes the check look again at once, and the chip says offline.
#[test]
fn a_failed_request_triggers_a_check_and_offline_shows() {
    let server = fake(Duration::from_millis(5));
    let dir = temp_dir("offline");
    let app = app_on(&server, &dir, Arc::new(MemoryKeychain::default()));
    let state = app.state();
    wait_until("online", Duration::from_secs(10), || {
        state.connection().state == hangar_types::ConnectionState::Online
    });
    server.shutdown();
    let lost = Instant::now();
    state.monitor.note_trouble();
    wait_until("offline", Duration::from_secs(10), || {
        state.connection().state == hangar_types::ConnectionState::Offline
    });
    assert!(
        lost.elapsed() < Duration::from_secs(5),
        "{:?}",
        lost.elapsed()
    );
    assert!(
        state.connection().detail.contains("offline"),
        "{:?}",
        state.connection()
    );
    state.shutdown();
    drop(app);
    let _removed = std::fs::remove_dir_all(&dir);
}

/// A tail leaves the registry when its session ends; a follower hears why.
#[test]
fn finished_tails_leave_the_registry_and_followers_hear_why() {
    let server = fake(Duration::from_millis(5));
    let dir = temp_dir("finish");
    let app = app_on(&server, &dir, Arc::new(MemoryKeychain::default()));
    let state = app.state();
    let (agent, env) = tauri::async_runtime::block_on(async {
        (
            server.outside_create_agent("Ender").await.unwrap(),
            server.outside_create_environment("env").await.unwrap(),
        )
    });
    let started = app
        .invoke(
            "session_start",
            json!({"agentId": agent["id"], "environmentId": env["id"], "title": "End", "message": "hi"}),
        )
        .unwrap();
    let session = started["id"].as_str().unwrap().to_string();
    let key = TailKey::new("prof_live", session.clone());
    let heard: Arc<Mutex<Vec<Value>>> = Arc::default();
    let sink = heard.clone();
    let channel = tauri::ipc::Channel::new(move |body| {
        if let tauri::ipc::InvokeResponseBody::Json(json) = body {
            sink.lock()
                .unwrap()
                .push(serde_json::from_str(&json).unwrap());
        }
        Ok(())
    });
    tauri::async_runtime::block_on(crate::live::follow(&state, key.clone(), None, channel))
        .unwrap();
    // (A new session is idle before its first turn: wait for the turn's events.)
    wait_until("the first turn", Duration::from_secs(10), || {
        cached_events(&app, &session) >= 5
            && cached_status(&app, &session).as_deref() == Some("idle")
    });
    assert!(state.live.is_tailing(&key));
    // Deleting the session ends its stream: the tail finishes and leaves.
    tauri::async_runtime::block_on(server.outside(
        "DELETE",
        &format!("/v1/sessions/{session}"),
        None,
    ))
    .unwrap();
    wait_until("the tail to leave", Duration::from_secs(10), || {
        !state.live.is_tailing(&key)
    });
    let messages = heard.lock().unwrap().clone();
    assert!(
        messages.iter().any(|m| m["kind"] == "events"),
        "events reached the follower: {messages:?}"
    );
    let last = messages.last().unwrap();
    assert_eq!(last["kind"], "status", "{last}");
    assert_eq!(last["status"]["state"], "stopped");
    assert_eq!(last["status"]["failed"], false);

    state.shutdown();
    drop(app);
    let _removed = std::fs::remove_dir_all(&dir);
}
