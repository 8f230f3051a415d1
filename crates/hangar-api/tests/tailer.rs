#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on any error"
)]
//! Property: under any fault schedule, the tailer's output equals the server's event log
//! exactly — no loss, no duplicate, same order — and previews only ever show a prefix of the
//! final message.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use hangar_api::agents::{AgentCreate, KnownTool, Tool, ToolConfig};
use hangar_api::environments::EnvironmentCreate;
use hangar_api::events::{
    Confirmation, ContentBlock, EventKind, EventParams, SessionEvent, StopReason,
};
use hangar_api::sessions::{AgentRef, SessionCreate};
use hangar_api::tailer::{tail, TailOptions, TailState, TailUpdate};
use hangar_api::{ApiKey, Client, ClientConfig, RateLimits, RetryPolicy};
use hangar_fake_api::{FakeConfig, FakeServer, Faults};
use serde_json::json;

const CASES: u64 = 320;

async fn agent(client: &Client, policy: &str) -> hangar_api::ids::AgentId {
    let body = AgentCreate {
        name: format!("bash {policy}"),
        model: "claude-sonnet-5-5".into(),
        tools: vec![
            Tool::Known(KnownTool::Toolset {
                default_config: None,
                configs: vec![ToolConfig {
                    name: "bash".into(),
                    enabled: Some(true),
                    permission_policy: Some(
                        serde_json::from_value(json!({"type": policy})).unwrap(),
                    ),
                    extra: Default::default(),
                }],
            }),
            Tool::Known(KnownTool::Custom {
                name: "lookup_order".into(),
                description: "Look up".into(),
                input_schema: json!({"type":"object"}),
            }),
        ],
        ..Default::default()
    };
    client.agents().create(&body).await.unwrap().id
}

fn schedule(rng: &mut fastrand::Rng) -> (Faults, Vec<(u16, Option<u64>)>) {
    let pick = |rng: &mut fastrand::Rng, p: u32| rng.u32(0..100) < p;
    let mut f = Faults::default();
    if pick(rng, 60) {
        f.drop_after_frames = Some(rng.usize(2..14));
    }
    if pick(rng, 40) {
        f.repeat_every = Some(rng.usize(1..5));
    }
    if pick(rng, 30) {
        f.delay_frames = Some(Duration::from_micros(rng.u64(0..2_000)));
    }
    if pick(rng, 12) {
        f.stall_after_frames = Some(rng.usize(5..20));
    }
    for _ in 0..rng.usize(0..3) {
        f.fail_streams
            .push(([429, 500, 529, 503][rng.usize(0..4)], None));
    }
    let requests = (0..rng.usize(0..3))
        .map(|_| ([429, 500, 529][rng.usize(0..3)], None))
        .collect();
    (f, requests)
}

/// Sends, retrying failures the fault injector caused before the server processed anything.
/// An answer to a tool use that an interrupt already cancelled is refused, which only an
/// interrupted turn (`tolerate_stale`) may see.
async fn send_answer(client: &Client, session: &str, events: &[EventParams], tolerate_stale: bool) {
    for _ in 0..10 {
        match client.sessions().send_events(session, events).await {
            Ok(_) => return,
            Err(e) if e.api().is_some_and(|a| a.message == "injected failure") => continue,
            Err(e) if tolerate_stale && e.to_string().contains("is waiting for") => return,
            Err(e) => panic!("send failed: {e}"),
        }
    }
    panic!("send kept failing");
}

async fn send(client: &Client, session: &str, events: &[EventParams]) {
    send_answer(client, session, events, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tailer_output_equals_server_log_under_random_faults() {
    let server = FakeServer::start(FakeConfig {
        turn_delay: Duration::from_micros(300),
        ping_interval: Duration::from_millis(60),
        ..FakeConfig::default()
    })
    .await
    .unwrap();
    let mut config = ClientConfig::with_base_url(server.base_url(), ApiKey::new("sk-prop"));
    config.retry = RetryPolicy {
        max_retries: 2,
        initial: Duration::from_millis(2),
        max: Duration::from_millis(10),
    };
    // On, so the injected 429s exercise its pauses, but far above what the schedules send.
    config.rate_limits = Some(RateLimits {
        read: 1_000_000,
        create: 1_000_000,
        window: Duration::from_secs(60),
    });
    let client = Client::new(config).unwrap();
    let ask = agent(&client, "always_ask").await;
    let allow = agent(&client, "always_allow").await;
    let env = client
        .environments()
        .create(&EnvironmentCreate {
            name: "e".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .id;

    let started = Instant::now();
    let (mut reconnects, mut total_events, mut previews_seen) = (0usize, 0usize, 0usize);
    for seed in 0..CASES {
        let mut rng = fastrand::Rng::with_seed(seed);
        let agent_id = if rng.bool() { &ask } else { &allow };
        let session = client
            .sessions()
            .create(&SessionCreate::new(
                AgentRef::Latest(agent_id.clone()),
                &env,
            ))
            .await
            .unwrap()
            .id;
        let (faults, request_failures) = schedule(&mut rng);
        server.set_session_faults(&session, faults.clone());
        server.fail_next_requests(&request_failures);
        let options = TailOptions {
            deltas: rng.bool(),
            watchdog: Duration::from_millis(250),
            backoff_initial: Duration::from_millis(2),
            backoff_max: Duration::from_millis(20),
            ..TailOptions::default()
        };
        let mut tailer = tail(client.clone(), session.clone(), options);

        // The script: 2-4 turns of plain, custom-tool and interrupted messages.
        let turns = rng.usize(2..5);
        let mut turn = 0;
        let mut delivered: Vec<SessionEvent> = Vec::new();
        let mut previews: HashMap<String, String> = HashMap::new();
        let mut interrupted = false;
        let start_turn = |rng: &mut fastrand::Rng, turn: usize| -> Vec<Vec<EventParams>> {
            match rng.usize(0..4) {
                0 => vec![vec![EventParams::message("use lookup_order for #12")]],
                1 => vec![
                    vec![EventParams::message("stop soon")],
                    vec![EventParams::UserInterrupt {
                        session_thread_id: None,
                    }],
                ],
                _ => vec![vec![EventParams::message(format!("turn {turn} please"))]],
            }
        };
        for batch in start_turn(&mut rng, turn) {
            interrupted |= batch
                .iter()
                .any(|e| matches!(e, EventParams::UserInterrupt { .. }));
            send(&client, &session, &batch).await;
        }
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut finished_script = false;
        loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            assert!(
                !remaining.is_zero(),
                "seed {seed}: timed out; faults {faults:?}; delivered {}",
                delivered.len()
            );
            // Once the script is done, wait until the tail has caught up with the log.
            if finished_script && delivered.len() == server.event_log(&session).len() {
                tokio::time::sleep(Duration::from_millis(20)).await;
                if delivered.len() == server.event_log(&session).len() {
                    break;
                }
            }
            let update = match tokio::time::timeout(Duration::from_millis(50), tailer.next()).await
            {
                Ok(Some(u)) => u,
                Ok(None) => panic!("seed {seed}: tail ended"),
                Err(_) => continue,
            };
            match update {
                TailUpdate::Event(event) => {
                    match &event.kind {
                        EventKind::SessionStatusIdle {
                            stop_reason: StopReason::RequiresAction { event_ids },
                            ..
                        } => {
                            for id in event_ids {
                                let waiting = delivered
                                    .iter()
                                    .find(|e| e.id.as_deref() == Some(id.as_str()))
                                    .expect("the awaited event was delivered first");
                                let answer =
                                    if matches!(waiting.kind, EventKind::AgentCustomToolUse { .. })
                                    {
                                        EventParams::UserCustomToolResult {
                                            custom_tool_use_id: id.clone(),
                                            content: vec![ContentBlock::text("order #12 shipped")],
                                            is_error: None,
                                        }
                                    } else {
                                        let result = if rng.bool() {
                                            Confirmation::Allow
                                        } else {
                                            Confirmation::Deny
                                        };
                                        let deny_message = (result == Confirmation::Deny)
                                            .then(|| "not now".to_string());
                                        EventParams::UserToolConfirmation {
                                            tool_use_id: id.clone(),
                                            result,
                                            deny_message,
                                        }
                                    };
                                send_answer(&client, &session, &[answer], interrupted).await;
                            }
                        }
                        EventKind::SessionStatusIdle { stop_reason, .. }
                            if stop_reason.ends_turn() && !finished_script =>
                        {
                            turn += 1;
                            interrupted = false;
                            if turn >= turns {
                                finished_script = true;
                            } else {
                                for batch in start_turn(&mut rng, turn) {
                                    interrupted |= batch
                                        .iter()
                                        .any(|e| matches!(e, EventParams::UserInterrupt { .. }));
                                    send(&client, &session, &batch).await;
                                }
                            }
                        }
                        EventKind::AgentMessage { .. } => {
                            let text = hangar_api::tailer::final_text(&event).unwrap();
                            if let Some(preview) = previews.remove(event.id.as_deref().unwrap()) {
                                assert!(
                                    text.starts_with(&preview),
                                    "seed {seed}: preview {preview:?} is not a prefix of {text:?}"
                                );
                            }
                        }
                        _ => {}
                    }
                    delivered.push(event);
                }
                TailUpdate::Preview { event_id, text } => {
                    previews_seen += 1;
                    previews.insert(event_id, text);
                }
                TailUpdate::PreviewEnded { .. }
                | TailUpdate::State(hangar_api::tailer::TailState::Live) => {}
                TailUpdate::State(_) => reconnects += 1,
                TailUpdate::Failed(e) => panic!("seed {seed}: tail failed: {e}"),
                TailUpdate::Finished => panic!("seed {seed}: finished early"),
            }
        }
        let log: Vec<String> = server
            .event_log(&session)
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect();
        let got: Vec<String> = delivered
            .iter()
            .map(|e| e.id.clone().unwrap().into())
            .collect();
        assert_eq!(
            got, log,
            "seed {seed}: tail differs from the server log; faults {faults:?}"
        );
        // Every delivered event is byte-identical to the log's.
        for (event, truth) in delivered.iter().zip(server.event_log(&session)) {
            assert_eq!(
                serde_json::from_str::<serde_json::Value>(&event.raw).unwrap(),
                truth,
                "seed {seed}"
            );
        }
        total_events += got.len();
        drop(tailer);
    }
    println!(
        "tailer property: {CASES} fault schedules, {total_events} events, {reconnects} reconnects, {previews_seen} previews, {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert!(
        reconnects > CASES as usize,
        "the schedules really dropped connections ({reconnects})"
    );
}

#[tokio::test]
async fn a_deleted_session_finishes_the_tail_and_a_missing_one_fails_it() {
    let server = FakeServer::start(FakeConfig {
        turn_delay: Duration::from_millis(1),
        ..FakeConfig::default()
    })
    .await
    .unwrap();
    let client = Client::new(ClientConfig::with_base_url(
        server.base_url(),
        ApiKey::new("k"),
    ))
    .unwrap();
    let agent_id = agent(&client, "always_allow").await;
    let env = client
        .environments()
        .create(&EnvironmentCreate {
            name: "e".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .id;
    let session = client
        .sessions()
        .create(&SessionCreate::new(AgentRef::Latest(agent_id), &env))
        .await
        .unwrap()
        .id;
    let mut t = tail(client.clone(), session.clone(), TailOptions::default());
    loop {
        if let Some(TailUpdate::State(hangar_api::tailer::TailState::Live)) = t.next().await {
            break;
        }
    }
    client.sessions().delete(&session).await.unwrap();
    let mut last_event = None;
    loop {
        match tokio::time::timeout(Duration::from_secs(5), t.next())
            .await
            .unwrap()
        {
            Some(TailUpdate::Event(e)) => last_event = Some(e.event_type),
            Some(TailUpdate::Finished) => break,
            Some(other) => panic!("unexpected {other:?}"),
            None => panic!("ended without Finished"),
        }
    }
    assert_eq!(last_event.as_deref(), Some("session.deleted"));

    let mut t = tail(client, "sesn_missing", TailOptions::default());
    match tokio::time::timeout(Duration::from_secs(5), t.next())
        .await
        .unwrap()
    {
        Some(TailUpdate::Failed(reason)) => assert!(reason.contains("404"), "{reason}"),
        other => panic!("expected a permanent failure, got {other:?}"),
    }
}

/// A fake whose agent starts one turn and then thinks for a minute: the log grows only by what
/// the test sends, so counts are exact.
async fn quiet_session() -> (FakeServer, Client, String) {
    let server = FakeServer::start(FakeConfig {
        turn_delay: Duration::from_secs(60),
        ping_interval: Duration::from_secs(600),
        ..FakeConfig::default()
    })
    .await
    .unwrap();
    let client = Client::new(ClientConfig::with_base_url(
        server.base_url(),
        ApiKey::new(server.client_key()),
    ))
    .unwrap();
    let agent = server.outside_create_agent("quiet").await.unwrap();
    let env = server.outside_create_environment("e").await.unwrap();
    let session = server
        .outside_create_session(
            agent["id"].as_str().unwrap(),
            env["id"].as_str().unwrap(),
            None,
        )
        .await
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    (server, client, session)
}

/// Sends `n` user messages from outside (as another computer would), 100 per request.
async fn send_from_outside(server: &FakeServer, session: &str, n: usize, tag: &str) {
    for start in (0..n).step_by(100) {
        let events: Vec<serde_json::Value> = (start..n.min(start + 100))
            .map(|i| json!({"type": "user.message", "content": [{"type": "text", "text": format!("{tag} {i}")}]}))
            .collect();
        server
            .outside(
                "POST",
                &format!("/v1/sessions/{session}/events"),
                Some(json!({ "events": events })),
            )
            .await
            .unwrap();
    }
}

/// Waits until the agent's first turn has started (its `session.status_running` is logged).
async fn wait_running(server: &FakeServer, session: &str) {
    for _ in 0..500 {
        if server
            .event_log(session)
            .iter()
            .any(|e| e["type"] == "session.status_running")
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    panic!("the agent never started");
}

fn ids_of(log: &[serde_json::Value]) -> Vec<String> {
    log.iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

/// Reads updates until `want` events were delivered in total, collecting them.
async fn read_events(
    tailer: &mut hangar_api::tailer::Tail,
    got: &mut Vec<SessionEvent>,
    want: usize,
) {
    while got.len() < want {
        match tokio::time::timeout(Duration::from_secs(10), tailer.next()).await {
            Ok(Some(TailUpdate::Event(e))) => got.push(e),
            Ok(Some(TailUpdate::Failed(e))) => panic!("tail failed: {e}"),
            Ok(Some(_)) => {}
            Ok(None) => panic!("tail ended"),
            Err(_) => panic!("stuck at {} of {want} events", got.len()),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reconnect_after_a_thousand_events_fetches_none_of_them_again() {
    let (server, client, session) = quiet_session().await;
    send_from_outside(&server, &session, 300, "before").await;
    wait_running(&server, &session).await;
    server.set_session_faults(
        &session,
        Faults {
            drop_after_frames: Some(1000),
            ..Faults::default()
        },
    );
    let mut tailer = tail(
        client.clone(),
        session.clone(),
        TailOptions {
            deltas: false,
            backoff_initial: Duration::from_millis(300),
            ..TailOptions::default()
        },
    );
    let mut got = Vec::new();
    // The history reconcile, then Live.
    read_events(&mut tailer, &mut got, 301).await;
    loop {
        if let Some(TailUpdate::State(TailState::Live)) = tailer.next().await {
            break;
        }
    }
    // A thousand live events: the stream drops after its thousandth frame.
    send_from_outside(&server, &session, 1000, "live").await;
    let history_before: HashMap<String, usize>;
    loop {
        match tokio::time::timeout(Duration::from_secs(10), tailer.next())
            .await
            .unwrap()
            .unwrap()
        {
            TailUpdate::Event(e) => got.push(e),
            TailUpdate::State(TailState::Reconnecting { .. }) => {
                let stats = server.stats();
                history_before = ids_of(&server.event_log(&session))
                    .into_iter()
                    .map(|id| {
                        let n = stats.served_by_history(&id);
                        (id, n)
                    })
                    .collect();
                break;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    let delivered_before: Vec<String> = got
        .iter()
        .map(|e| e.id.clone().unwrap().into_string())
        .collect();
    assert!(
        delivered_before.len() >= 1_300,
        "{}",
        delivered_before.len()
    );
    // While it is away: 200 more, which only the history can bring.
    send_from_outside(&server, &session, 200, "gap").await;
    let log_len = server.event_log(&session).len();
    read_events(&mut tailer, &mut got, log_len).await;
    // And 100 more on the new connection.
    send_from_outside(&server, &session, 100, "after").await;
    let log = server.event_log(&session);
    read_events(&mut tailer, &mut got, log.len()).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(tailer
        .try_next()
        .is_none_or(|u| !matches!(u, TailUpdate::Event(_))));

    let stats = server.stats();
    let delivered: Vec<String> = got
        .iter()
        .map(|e| e.id.clone().unwrap().into_string())
        .collect();
    assert_eq!(delivered, ids_of(&log), "every event once, in order");
    assert_eq!(stats.events_served_twice(), Vec::<String>::new());
    for id in &delivered_before {
        assert_eq!(
            stats.served_by_history(id),
            history_before[id],
            "{id} was delivered before the drop and fetched again after it"
        );
    }
    let history_total: usize = stats.history_events_served();
    let before_total: usize = history_before.values().sum();
    let refetched = history_total - before_total;
    println!(
        "reconnect: {} events, {} by history before the drop, {refetched} after it, {} by streams, {} stream opens",
        log.len(),
        before_total,
        stats.stream_events_served(),
        stats.requests("GET", "/v1/sessions/{id}/events/stream"),
    );
    assert!(
        (200..=201).contains(&refetched),
        "after the drop the history served only the gap: {refetched}"
    );
    assert_eq!(stats.requests("GET", "/v1/sessions/{id}/events/stream"), 2);
    assert!(
        stats.history_events_served() + stats.stream_events_served() <= log.len() + 2,
        "hardly any event travelled twice"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resuming_after_a_restart_fetches_only_the_newer_events() {
    let (server, client, session) = quiet_session().await;
    send_from_outside(&server, &session, 20, "first run").await;
    wait_running(&server, &session).await;
    let first_log = server.event_log(&session);

    // First run: everything, then the app quits.
    let options = TailOptions {
        deltas: false,
        ..TailOptions::default()
    };
    let mut tailer = tail(client.clone(), session.clone(), options.clone());
    let mut cached = Vec::new();
    read_events(&mut tailer, &mut cached, first_log.len()).await;
    drop(tailer);
    assert_eq!(
        cached
            .iter()
            .map(|e| e.id.clone().unwrap().into_string())
            .collect::<Vec<_>>(),
        ids_of(&first_log)
    );

    // Meanwhile, someone else continues the session.
    send_from_outside(&server, &session, 30, "while closed").await;
    let log = server.event_log(&session);
    assert_eq!(log.len(), first_log.len() + 30);
    server.stats().reset();

    // Second run, from the cache: the newest processed_at and the ids at that time.
    let newest = cached.last().unwrap().processed_at.clone();
    let seen = cached
        .iter()
        .filter(|e| e.processed_at == newest)
        .filter_map(|e| e.id.clone().map(|id| id.into_string()))
        .collect();
    let mut tailer = tail(
        client,
        session.clone(),
        TailOptions {
            resume_after: newest,
            seen,
            ..options
        },
    );
    let mut fresh = Vec::new();
    read_events(&mut tailer, &mut fresh, 30).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(tailer
        .try_next()
        .is_none_or(|u| !matches!(u, TailUpdate::Event(_))));

    let stats = server.stats();
    assert_eq!(
        fresh
            .iter()
            .map(|e| e.id.clone().unwrap().into_string())
            .collect::<Vec<_>>(),
        ids_of(&log[first_log.len()..]),
        "exactly the newer events, in order"
    );
    assert_eq!(stats.history_events_served(), 30, "{stats:?}");
    for id in ids_of(&first_log) {
        assert_eq!(stats.served_by_history(&id), 0, "{id} fetched again");
    }
    assert_eq!(stats.requests("GET", "/v1/sessions/{id}/events"), 1);
    assert_eq!(stats.events_served_twice(), Vec::<String>::new());
}
