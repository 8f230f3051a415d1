#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on any error"
)]
//! The client-side rate limiter against the fake, counted on the fake's side: concurrent reads
//! stay under a (scaled-down) limit, and a 429 holds back every clone of the client.

use std::time::{Duration, Instant};

use hangar_api::environments::EnvironmentCreate;
use hangar_api::sessions::{AgentRef, SessionCreate, SessionListParams};
use hangar_api::tailer::{tail, TailOptions};
use hangar_api::{ApiKey, Client, ClientConfig, ListParams, RateClass, RateLimits, RetryPolicy};
use hangar_fake_api::{FakeConfig, FakeServer, Faults, RequestRecord};

async fn setup(limits: Option<RateLimits>) -> (FakeServer, Client) {
    let server = FakeServer::start(FakeConfig {
        turn_delay: Duration::from_millis(5),
        ..FakeConfig::default()
    })
    .await
    .unwrap();
    let mut config = ClientConfig::with_base_url(server.base_url(), ApiKey::new("sk-limits"));
    config.retry = RetryPolicy {
        max_retries: 2,
        initial: Duration::from_millis(10),
        max: Duration::from_millis(50),
    };
    config.rate_limits = limits;
    (server, Client::new(config).unwrap())
}

/// The most requests that arrived within any `window`.
fn busiest_window(log: &[RequestRecord], window: Duration) -> usize {
    let mut start = 0;
    let mut most = 0;
    for (end, r) in log.iter().enumerate() {
        while r.at.duration_since(log[start].at) >= window {
            start += 1;
        }
        most = most.max(end + 1 - start);
    }
    most
}

fn arrivals(server: &FakeServer, method: &str, route: &str) -> Vec<RequestRecord> {
    server
        .stats()
        .request_log()
        .into_iter()
        .filter(|r| r.method == method && r.route == route)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_reads_never_exceed_a_scaled_limit() {
    // The documented shape scaled to a one-second window: 20 reads per window, 90 % used.
    let documented = RateLimits {
        read: 20,
        create: 20,
        window: Duration::from_secs(1),
    };
    let (server, client) = setup(Some(documented.with_headroom(0.9))).await;
    let started = Instant::now();
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.agents().list(&ListParams::default()).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let elapsed = started.elapsed();
    let stats = server.stats();
    assert_eq!(stats.requests("GET", "/v1/agents"), 50);
    assert_eq!(stats.total_requests(), 50, "{:?}", stats.by_route());
    let log = arrivals(&server, "GET", "/v1/agents");
    let most = busiest_window(&log, documented.window);
    println!("50 reads at 18 per second: busiest second {most}, {elapsed:?}");
    assert!(most <= 20, "{most} reads arrived within one window");
    // 18 + 18 + 14: the third batch cannot start before two windows passed.
    assert!(elapsed >= Duration::from_millis(1_900), "{elapsed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_retry_after_pauses_every_clone_of_the_client() {
    let (server, client) = setup(Some(RateLimits::default())).await;
    server.fail_next_requests(&[(429, Some(1))]);
    let first = {
        let client = client.clone();
        tokio::spawn(async move { client.agents().list(&ListParams::default()).await })
    };
    // Let the first read meet its 429 (and the client read the answer) before the others start.
    let deadline = Instant::now() + Duration::from_secs(5);
    while client
        .rate_limiter()
        .unwrap()
        .paused_until(RateClass::Read)
        .is_none()
    {
        assert!(Instant::now() < deadline, "the 429 never paused the reads");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let paused_at = Instant::now();
    let other = {
        let client = client.clone();
        tokio::spawn(async move { client.sessions().list(&SessionListParams::default()).await })
    };
    // Creates count against another limit: they go at once.
    client
        .environments()
        .create(&EnvironmentCreate {
            name: "during the pause".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(paused_at.elapsed() < Duration::from_millis(500));
    first.await.unwrap().unwrap();
    other.await.unwrap().unwrap();

    let log = server.stats().request_log();
    assert_eq!(
        (log[0].route.as_str(), log[0].status),
        ("/v1/agents", 429),
        "{log:?}"
    );
    let reads_after: Vec<Duration> = log[1..]
        .iter()
        .filter(|r| r.method == "GET")
        .map(|r| r.at.duration_since(log[0].at))
        .collect();
    assert_eq!(reads_after.len(), 2, "the retry and the other task's read");
    for wait in reads_after {
        assert!(
            wait >= Duration::from_millis(950),
            "a read went out {wait:?} into a 1 s pause"
        );
    }
    assert_eq!(server.stats().requests("GET", "/v1/agents"), 2);
    assert_eq!(server.stats().requests("GET", "/v1/sessions"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_opens_are_reads_and_a_429_on_one_pauses_all_reads() {
    let (server, client) = setup(Some(RateLimits::default())).await;
    let agent = server.outside_create_agent("a").await.unwrap();
    let env = server.outside_create_environment("e").await.unwrap();
    let session = client
        .sessions()
        .create(&SessionCreate::new(
            AgentRef::Latest(agent["id"].as_str().unwrap().into()),
            env["id"].as_str().unwrap(),
        ))
        .await
        .unwrap()
        .id;
    server.set_session_faults(
        &session,
        Faults {
            fail_streams: vec![(429, Some(1))],
            ..Faults::default()
        },
    );
    let stream_route = "/v1/sessions/{id}/events/stream";
    let _tail = tail(client.clone(), session.clone(), TailOptions::default());
    while arrivals(&server, "GET", stream_route).is_empty() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let refused = arrivals(&server, "GET", stream_route)[0].clone();
    assert_eq!(refused.status, 429);
    // Another task's read waits for the pause the stream's 429 set.
    client.agents().list(&ListParams::default()).await.unwrap();
    let list = arrivals(&server, "GET", "/v1/agents");
    assert!(list[0].at.duration_since(refused.at) >= Duration::from_millis(950));
    // The tail reattaches after the pause, and its history read follows the reattach.
    while arrivals(&server, "GET", stream_route).len() < 2
        || arrivals(&server, "GET", "/v1/sessions/{id}/events").is_empty()
    {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let reopened = &arrivals(&server, "GET", stream_route)[1];
    assert_eq!(reopened.status, 200);
    assert!(reopened.at.duration_since(refused.at) >= Duration::from_millis(950));
    let stats = server.stats();
    assert_eq!(
        stats.requests("POST", "/v1/sessions"),
        1,
        "outside calls not counted"
    );
    assert_eq!(stats.requests("POST", "/v1/agents"), 0);
}
