#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on any error"
)]
//! Outcomes and budgets in the fake (reference §5.3, §6.1–6.2): `user.define_outcome` makes the
//! simulated agent work round by round, each round evaluated with `span.outcome_evaluation_*`
//! until the rubric is met or the rounds are used up, `session.outcome_evaluations` following;
//! a session with a cap that spends it stops with `budget_reached`.

use std::time::{Duration, Instant};

use hangar_fake_api::{FakeConfig, FakeServer};
use serde_json::{json, Value};

async fn server() -> FakeServer {
    FakeServer::start(FakeConfig {
        turn_delay: Duration::from_millis(5),
        ..FakeConfig::default()
    })
    .await
    .unwrap()
}

async fn session(server: &FakeServer, budget: Option<&str>) -> String {
    let agent = server.outside_create_agent("Grader").await.unwrap();
    let env = server.outside_create_environment("grading").await.unwrap();
    let mut body = json!({"agent": agent["id"], "environment_id": env["id"]});
    if let Some(cents) = budget {
        body["budget"] =
            json!({"type": "limit", "max_list_cost": {"amount": cents, "currency": "USD"}});
    }
    let s = server
        .outside("POST", "/v1/sessions", Some(body))
        .await
        .unwrap();
    s["id"].as_str().unwrap().to_string()
}

async fn send(server: &FakeServer, sid: &str, events: Value) -> Result<Value, u16> {
    server
        .outside(
            "POST",
            &format!("/v1/sessions/{sid}/events"),
            Some(json!({"events": events})),
        )
        .await
        .map_err(|e| e.status)
}

/// Waits until the log has an idle event after the last `started` one of `kind`.
async fn settled(server: &FakeServer, sid: &str, ends: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let log = server.event_log(sid);
        let idles = log
            .iter()
            .filter(|e| e["type"] == "session.status_idle")
            .count();
        if idles >= ends {
            return log;
        }
        assert!(Instant::now() < deadline, "never settled: {log:#?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn evaluations(log: &[Value]) -> Vec<(u64, String, String)> {
    log.iter()
        .filter(|e| e["type"] == "span.outcome_evaluation_end")
        .map(|e| {
            (
                e["iteration"].as_u64().unwrap(),
                e["result"].as_str().unwrap().to_string(),
                e["explanation"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn an_outcome_is_evaluated_round_by_round_until_satisfied() {
    let server = server().await;
    let sid = session(&server, None).await;
    let echoed = send(
        &server,
        &sid,
        json!([{"type": "user.define_outcome", "description": "A CSV of open orders",
                "rubric": {"type": "text", "content": "- Has a header row\n- One row per order\n\n- Sorted by date"}}]),
    )
    .await
    .unwrap();
    let echo = &echoed["data"][0];
    assert_eq!(echo["max_iterations"], 3, "the default");
    let outcome_id = echo["outcome_id"].as_str().unwrap().to_string();
    assert!(outcome_id.starts_with("outc_"), "{outcome_id}");
    let log = settled(&server, &sid, 1).await;
    let rounds = evaluations(&log);
    assert_eq!(
        rounds
            .iter()
            .map(|(i, r, _)| (*i, r.as_str()))
            .collect::<Vec<_>>(),
        [
            (0, "needs_revision"),
            (1, "needs_revision"),
            (2, "satisfied")
        ]
    );
    assert!(
        rounds[0].2.contains("still missing: “One row per order”"),
        "{}",
        rounds[0].2
    );
    assert_eq!(rounds[2].2, "Every point of the rubric is met (3 of 3).");
    // Each end names its start, and every span names the outcome.
    let starts: Vec<&Value> = log
        .iter()
        .filter(|e| e["type"] == "span.outcome_evaluation_start")
        .collect();
    assert_eq!(starts.len(), 3);
    for (start, end) in starts.iter().zip(
        log.iter()
            .filter(|e| e["type"] == "span.outcome_evaluation_end"),
    ) {
        assert_eq!(end["outcome_evaluation_start_id"], start["id"]);
        assert_eq!(end["outcome_id"], outcome_id.as_str());
        assert_eq!(end["usage"]["input_tokens"], 800);
    }
    let s = server
        .outside("GET", &format!("/v1/sessions/{sid}"), None)
        .await
        .unwrap();
    let evaluation = &s["outcome_evaluations"][0];
    assert_eq!(evaluation["result"], "satisfied");
    assert_eq!(evaluation["iteration"], 2);
    assert_eq!(evaluation["description"], "A CSV of open orders");
    assert!(evaluation["completed_at"].is_string());
    assert_eq!(s["status"], "idle");
    // The usage is priced.
    assert_eq!(s["usage"]["list_cost"]["currency"], "USD");
    assert!(
        s["usage"]["list_cost"]["amount"]
            .as_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            > 0
    );
}

#[tokio::test]
async fn rounds_run_out_and_the_impossible_fails() {
    let server = server().await;
    let sid = session(&server, None).await;
    send(
        &server,
        &sid,
        json!([{"type": "user.define_outcome", "description": "Two things", "max_iterations": 1,
                "rubric": {"type": "text", "content": "First\nSecond"}}]),
    )
    .await
    .unwrap();
    let log = settled(&server, &sid, 1).await;
    let rounds = evaluations(&log);
    assert_eq!(rounds.len(), 1);
    assert_eq!(rounds[0].1, "max_iterations_reached");
    send(
        &server,
        &sid,
        json!([{"type": "user.define_outcome", "description": "Something impossible",
                "rubric": {"type": "text", "content": "Anything"}}]),
    )
    .await
    .unwrap();
    let log = settled(&server, &sid, 2).await;
    assert_eq!(evaluations(&log)[1].1, "failed");
    let s = server
        .outside("GET", &format!("/v1/sessions/{sid}"), None)
        .await
        .unwrap();
    let list = s["outcome_evaluations"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_ne!(
        list[0]["outcome_id"], list[1]["outcome_id"],
        "one id per outcome"
    );
    assert_eq!(list[0]["result"], "max_iterations_reached");
    assert_eq!(list[1]["result"], "failed");
}

#[tokio::test]
async fn outcomes_are_checked() {
    let server = server().await;
    let sid = session(&server, None).await;
    for bad in [
        json!({"type": "user.define_outcome", "description": "x", "max_iterations": 21, "rubric": {"type": "text", "content": "a"}}),
        json!({"type": "user.define_outcome", "description": "x", "max_iterations": 0, "rubric": {"type": "text", "content": "a"}}),
        json!({"type": "user.define_outcome", "description": "x", "rubric": {"type": "text", "content": "  \n "}}),
        json!({"type": "user.define_outcome", "description": "x", "rubric": {"type": "link"}}),
        json!({"type": "user.define_outcome", "description": "", "rubric": {"type": "text", "content": "a"}}),
    ] {
        assert_eq!(
            send(&server, &sid, json!([bad.clone()])).await,
            Err(400),
            "{bad}"
        );
    }
    assert!(server.event_log(&sid).is_empty(), "nothing was accepted");
}

#[tokio::test]
async fn a_session_that_spends_its_cap_stops_with_budget_reached() {
    let server = server().await;
    let sid = session(&server, Some("300")).await;
    send(
        &server,
        &sid,
        json!([{"type": "user.message", "content": [{"type": "text", "text": "Please spend the budget"}]}]),
    )
    .await
    .unwrap();
    let log = settled(&server, &sid, 1).await;
    let idle = log
        .iter()
        .rev()
        .find(|e| e["type"] == "session.status_idle")
        .unwrap();
    assert_eq!(idle["stop_reason"]["type"], "budget_reached");
    let usage = log
        .iter()
        .rev()
        .find(|e| e["type"] == "session.usage")
        .unwrap();
    assert_eq!(usage["usage"]["list_cost"]["amount"], "300");
    assert_eq!(usage["budget"]["max_list_cost"]["amount"], "300");
    let s = server
        .outside("GET", &format!("/v1/sessions/{sid}"), None)
        .await
        .unwrap();
    assert_eq!(s["usage"]["list_cost"]["amount"], "300");
    assert_eq!(s["budget"]["max_list_cost"]["amount"], "300");

    // A cap is raised above what was spent, never lowered to it, never added later.
    let cap = |cents: &str| json!({"budget": {"type": "limit", "max_list_cost": {"amount": cents, "currency": "USD"}}});
    let refused = server
        .outside("POST", &format!("/v1/sessions/{sid}"), Some(cap("300")))
        .await
        .unwrap_err();
    assert_eq!(refused.status, 400);
    assert_eq!(
        refused.body["error"]["details"]["error_code"],
        "budget_not_raised"
    );
    let raised = server
        .outside("POST", &format!("/v1/sessions/{sid}"), Some(cap("500")))
        .await
        .unwrap();
    assert_eq!(raised["budget"]["max_list_cost"]["amount"], "500");
    let updated = server.event_log(&sid).into_iter().last().unwrap();
    assert_eq!(updated["type"], "session.updated");
    assert_eq!(updated["budget"]["max_list_cost"]["amount"], "500");
    let uncapped = session(&server, None).await;
    let refused = server
        .outside(
            "POST",
            &format!("/v1/sessions/{uncapped}"),
            Some(cap("500")),
        )
        .await
        .unwrap_err();
    assert_eq!(
        refused.body["error"]["details"]["error_code"],
        "budget_create_only"
    );
}

#[tokio::test]
async fn sessions_can_be_aged_for_tests() {
    let server = server().await;
    let sid = session(&server, None).await;
    let patched = server
        .patch_session(&sid, json!({"created_at": "2026-01-02T03:04:05.000000Z", "updated_at": "2026-01-02T03:04:05.000000Z"}))
        .unwrap();
    assert_eq!(patched["created_at"], "2026-01-02T03:04:05.000000Z");
    let s = server
        .outside("GET", &format!("/v1/sessions/{sid}"), None)
        .await
        .unwrap();
    assert_eq!(s["updated_at"], "2026-01-02T03:04:05.000000Z");
    assert!(server.patch_session("sesn_none", json!({})).is_none());
}
