//! Command round-trips through the real IPC path (request → capability check → handler → cache
//! → JSON answer) while the app is busy: the idle indexer works through a 200k-event backlog
//! and a live tail writes a conversation into the cache.
//!
//! `cargo bench -p hangar --features test-support --bench ipc` (or `cargo xtask bench`).
//! Prints p50/p99/max for `session_list` and `transcript_page`. Goal: p99 < 50 ms.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a benchmark: any failure should stop it loudly"
)]

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hangar_api::events::EventParams;
use hangar_api::sessions::{AgentRef, SessionCreate};
use hangar_api::{ApiKey, Client, ClientConfig};
use hangar_fake_api::{FakeConfig, FakeServer};
use hangar_lib::keys::{MemoryKeychain, SecretStore};
use hangar_lib::test_support::TestApp;
use serde_json::json;

const KEY: &str = "sk-ant-bench-key-0000";
const PROFILE: &str = "prof_bench";
const SESSIONS: usize = 200;
const EVENTS_PER_SESSION: usize = 1000;
const SAMPLES: usize = 1500;

const WORDS: &[&str] = &[
    "order",
    "shipped",
    "invoice",
    "customer",
    "refund",
    "warehouse",
    "carrier",
    "parcel",
    "delayed",
    "tracking",
    "address",
    "payment",
    "report",
    "summary",
    "quarter",
    "revenue",
    "growth",
    "python",
    "pandas",
    "column",
    "average",
    "median",
    "chart",
    "export",
];

fn text(rng: &mut fastrand::Rng, words: usize) -> String {
    (0..words)
        .map(|_| WORDS[rng.usize(..WORDS.len())])
        .collect::<Vec<_>>()
        .join(" ")
}

fn stamp(us: i64) -> String {
    let secs = 1_795_132_800 + us / 1_000_000;
    let micros = us % 1_000_000;
    let day = secs / 86_400 - 1_795_132_800 / 86_400;
    let rem = secs % 86_400;
    format!(
        "2026-11-{:02}T{:02}:{:02}:{:02}.{micros:06}Z",
        20 + day,
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    )
}

fn event(n: usize, at_us: i64, rng: &mut fastrand::Rng) -> String {
    let at = stamp(at_us);
    match n % 4 {
        0 => json!({"type": "user.message", "id": format!("sevt_u{n}"), "processed_at": at,
                    "content": [{"type": "text", "text": text(rng, 12)}]}),
        1 => json!({"type": "agent.tool_use", "id": format!("sevt_t{n}"), "processed_at": at,
                    "name": "bash", "input": {"command": format!("grep {} data.csv", text(rng, 2))}}),
        2 => json!({"type": "agent.tool_result", "id": format!("sevt_r{n}"), "processed_at": at,
                    "tool_use_id": format!("sevt_t{}", n - 1),
                    "content": [{"type": "text", "text": text(rng, 40)}]}),
        _ => json!({"type": "agent.message", "id": format!("sevt_a{n}"), "processed_at": at,
                    "content": [{"type": "text", "text": text(rng, 60)}]}),
    }
    .to_string()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

fn report(name: &str, mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p99 = percentile(&samples, 0.99);
    println!(
        "{name:>16}: n={} p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        samples.len(),
        ms(percentile(&samples, 0.5)),
        ms(p99),
        ms(*samples.last().unwrap())
    );
    p99
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime
        .block_on(FakeServer::start(FakeConfig {
            api_key: Some(KEY.into()),
            turn_delay: Duration::from_millis(20),
            ..FakeConfig::default()
        }))
        .unwrap();
    let client = Client::new(ClientConfig::with_base_url(
        server.base_url(),
        ApiKey::new(KEY),
    ))
    .unwrap();
    let (agent, env, ids) = runtime.block_on(async {
        let agent = client
            .agents()
            .create(&hangar_api::agents::AgentCreate {
                name: "Bench".into(),
                model: "claude-haiku-5-5".into(),
                ..Default::default()
            })
            .await
            .unwrap();
        let env = client
            .environments()
            .create(&hangar_api::environments::EnvironmentCreate {
                name: "bench".into(),
                ..Default::default()
            })
            .await
            .unwrap();
        let mut ids = Vec::new();
        for i in 0..SESSIONS {
            let mut body = SessionCreate::new(AgentRef::Latest(agent.id.clone()), env.id.clone());
            body.title = Some(format!("Bench session {i}"));
            ids.push(client.sessions().create(&body).await.unwrap());
        }
        (agent, env, ids)
    });

    // The cache the app opens: 200 sessions × 1000 events, then the search index dropped so
    // the idle indexer has all 200k to do.
    let dir = std::env::temp_dir().join(format!("hangar-ipc-bench-{}", std::process::id()));
    let _stale = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let prepared = Instant::now();
    {
        let store = hangar_store::Store::open(dir.join("cache.db")).unwrap();
        store
            .upsert_profile(PROFILE, "Bench", &server.base_url(), false)
            .unwrap();
        store.set_setting("active_profile", PROFILE).unwrap();
        let mut rng = fastrand::Rng::with_seed(11);
        for (s, session) in ids.iter().enumerate() {
            store
                .upsert_session(PROFILE, &serde_json::to_string(session).unwrap())
                .unwrap();
            let events: Vec<String> = (0..EVENTS_PER_SESSION)
                .map(|n| event(n, (s * EVENTS_PER_SESSION + n) as i64 * 1000, &mut rng))
                .collect();
            let refs: Vec<&str> = events.iter().map(String::as_str).collect();
            store
                .ingest_events(PROFILE, session.id.as_ref(), &refs)
                .unwrap();
            store
                .set_history_complete(PROFILE, session.id.as_ref(), true)
                .unwrap();
        }
        store.rebuild_search_index().unwrap();
        println!(
            "prepared {} events in {:.1} s; search backlog {}",
            SESSIONS * EVENTS_PER_SESSION,
            prepared.elapsed().as_secs_f64(),
            store.search_backlog().unwrap()
        );
    }

    let keychain = Arc::new(MemoryKeychain::default());
    keychain.set(PROFILE, KEY).unwrap();
    let app = TestApp::start(dir.clone(), keychain);
    let state = app.state();

    // A live tail writing: a session started through the app, kept busy with a message each
    // time its turn ends.
    let started = app
        .invoke(
            "session_start",
            json!({"agentId": agent.id, "environmentId": env.id, "title": "Live", "message": "start"}),
        )
        .unwrap();
    let live_id = started["id"].as_str().unwrap().to_string();
    let stop = Arc::new(AtomicBool::new(false));
    let chatter = {
        let stop = stop.clone();
        let client = client.clone();
        let live_id = live_id.clone();
        runtime.spawn(async move {
            let mut sent = 0u32;
            while !stop.load(Ordering::Relaxed) {
                let session = client.sessions().retrieve(&live_id).await.unwrap();
                if session.status.as_str() == "idle" {
                    let _answer = client
                        .sessions()
                        .send_events(
                            &live_id,
                            &[EventParams::message(format!("and then {sent}"))],
                        )
                        .await;
                    sent += 1;
                }
                tokio::time::sleep(Duration::from_millis(30)).await;
            }
            sent
        })
    };

    let backlog = |state: &hangar_lib::AppState| {
        runtime
            .block_on(state.read(|s| s.search_backlog()))
            .unwrap()
    };
    let live_before = runtime
        .block_on(state.read({
            let id = live_id.clone();
            move |s| s.event_count(PROFILE, &id)
        }))
        .unwrap();
    let transcript_of = ids[SESSIONS / 2].id.to_string();
    let mut list_samples = Vec::new();
    let mut page_samples = Vec::new();
    let mut while_indexing = 0;
    let mut rebuilds = 0;
    let began = Instant::now();
    for i in 0..SAMPLES {
        if backlog(&state) == 0 {
            // Keep the indexer at work for the whole measurement.
            runtime
                .block_on(state.write(|s| s.rebuild_search_index()))
                .unwrap();
            rebuilds += 1;
        } else {
            while_indexing += 1;
        }
        let t = Instant::now();
        if i % 2 == 0 {
            let rows = app.invoke("session_list", json!(null)).unwrap();
            list_samples.push(t.elapsed());
            assert!(rows.as_array().unwrap().len() >= SESSIONS);
        } else {
            let page = app
                .invoke(
                    "transcript_page",
                    json!({"sessionId": transcript_of, "anchor": {"at": "end"}, "limit": 100}),
                )
                .unwrap();
            page_samples.push(t.elapsed());
            assert_eq!(page["events"].as_array().unwrap().len(), 100);
        }
    }
    let elapsed = began.elapsed();
    stop.store(true, Ordering::Relaxed);
    let messages = runtime.block_on(chatter).unwrap();
    let live_after = runtime
        .block_on(state.read({
            let id = live_id.clone();
            move |s| s.event_count(PROFILE, &id)
        }))
        .unwrap();
    println!(
        "{SAMPLES} round-trips in {:.1} s; {while_indexing} of them while the indexer had a backlog ({rebuilds} index rebuilds to keep it busy); the live tail stored {} events ({messages} messages sent)",
        elapsed.as_secs_f64(),
        live_after - live_before
    );
    let p99_list = report("session_list", list_samples);
    let p99_page = report("transcript_page", page_samples);
    let goal = Duration::from_millis(50);
    println!(
        "goal p99 < 50 ms: {}",
        if p99_list < goal && p99_page < goal {
            "met"
        } else {
            "MISSED"
        }
    );
    drop(app);
    let _removed = std::fs::remove_dir_all(&dir);
}
