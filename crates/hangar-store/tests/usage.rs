#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on any error"
)]
//! The Usage page's numbers: cost per local day, per agent and per session over the cached
//! sessions; the spending cap and outcome a list row shows; the CSV export.

mod support;

use hangar_store::{SessionFilter, Store, UsageGroup};
use serde_json::{json, Value};
use support::{session_json, PROFILE};

const HOUR: i64 = 3_600_000_000;

fn store() -> Store {
    let store = Store::open_in_memory().unwrap();
    store
        .upsert_profile(PROFILE, "Test", "http://127.0.0.1:1", false)
        .unwrap();
    store
}

/// A session created `created_us` after 2026-11-20T00:00Z, with a cost (cents, currency).
fn add(
    store: &Store,
    id: &str,
    title: &str,
    agent: &str,
    created_us: i64,
    cost: Option<(&str, &str)>,
) {
    let mut v: Value =
        serde_json::from_str(&session_json(id, title, agent, "idle", created_us)).unwrap();
    v["usage"] = json!({"input_tokens": 100, "output_tokens": 20});
    if let Some((amount, currency)) = cost {
        v["usage"]["list_cost"] = json!({"amount": amount, "currency": currency});
    }
    store.upsert_session(PROFILE, &v.to_string()).unwrap();
}

fn g(key: &str, label: &str, cents: i64, tokens: i64, sessions: i64) -> UsageGroup {
    UsageGroup {
        key: key.into(),
        label: label.into(),
        cents,
        tokens,
        sessions,
    }
}

#[test]
fn cost_is_summed_per_local_day_agent_and_session() {
    let store = store();
    add(
        &store,
        "sesn_a",
        "Morning report",
        "agent_x",
        HOUR,
        Some(("250", "USD")),
    );
    add(
        &store,
        "sesn_b",
        "Evening report",
        "agent_x",
        23 * HOUR,
        Some(("125", "USD")),
    );
    add(
        &store,
        "sesn_c",
        "Triage",
        "agent_y",
        30 * HOUR,
        Some(("1000", "USD")),
    );
    // No cost yet, and a currency Hangar does not sum: both count as unpriced.
    add(&store, "sesn_d", "Fresh", "agent_y", 31 * HOUR, None);
    add(
        &store,
        "sesn_e",
        "Abroad",
        "agent_y",
        32 * HOUR,
        Some(("999", "EUR")),
    );
    // Another profile's sessions never count.
    store
        .upsert_profile("other", "Other", "http://127.0.0.1:2", false)
        .unwrap();
    store
        .upsert_session(
            "other",
            &session_json("sesn_z", "Other", "agent_x", "idle", HOUR),
        )
        .unwrap();

    let utc = store.usage_summary(PROFILE, 0, 100).unwrap();
    assert_eq!(utc.total_cents, 1375);
    assert_eq!(utc.total_tokens, 5 * 120);
    assert_eq!(utc.sessions, 5);
    assert_eq!(utc.unpriced, 2);
    assert_eq!(
        utc.by_day,
        [
            g("2026-11-20", "2026-11-20", 375, 240, 2),
            g("2026-11-21", "2026-11-21", 1000, 360, 3),
        ]
    );
    assert_eq!(
        utc.by_agent,
        [
            g("agent_y", "agent_y name", 1000, 360, 3),
            g("agent_x", "agent_x name", 375, 240, 2),
        ]
    );
    let sessions: Vec<(&str, i64)> = utc
        .by_session
        .iter()
        .map(|s| (s.key.as_str(), s.cents))
        .collect();
    // The most expensive first; equal costs newest first.
    assert_eq!(
        sessions,
        [
            ("sesn_c", 1000),
            ("sesn_a", 250),
            ("sesn_b", 125),
            ("sesn_e", 0),
            ("sesn_d", 0)
        ]
    );
    assert_eq!(utc.by_session[0].label, "Triage");

    // Two hours east of UTC, the evening session (23:00Z) starts on the next local day.
    let east = store.usage_summary(PROFILE, 120, 2).unwrap();
    assert_eq!(
        east.by_day,
        [
            g("2026-11-20", "2026-11-20", 250, 120, 1),
            g("2026-11-21", "2026-11-21", 1125, 480, 4),
        ]
    );
    assert_eq!(east.by_session.len(), 2, "limited");
    // Ten hours west, the morning session (01:00Z) falls on the day before.
    let west = store.usage_summary(PROFILE, -600, 100).unwrap();
    assert_eq!(west.by_day[0].key, "2026-11-19");

    let empty = Store::open_in_memory().unwrap();
    let none = empty.usage_summary(PROFILE, 0, 10).unwrap();
    assert_eq!((none.total_cents, none.sessions), (0, 0));
    assert!(none.by_day.is_empty() && none.by_agent.is_empty() && none.by_session.is_empty());
}

#[test]
fn usage_exports_as_csv_that_spreadsheets_read_safely() {
    let store = store();
    add(
        &store,
        "sesn_a",
        "Report, \"final\"",
        "agent_x",
        HOUR,
        Some(("1234", "USD")),
    );
    add(
        &store,
        "sesn_b",
        "=HYPERLINK(\"x\")",
        "agent_x",
        2 * HOUR,
        Some(("5", "USD")),
    );
    let csv = store.usage_summary(PROFILE, 0, 100).unwrap().to_csv();
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines,
        [
            "breakdown,key,label,cost_usd,cost_cents,tokens,sessions",
            "day,2026-11-20,2026-11-20,12.39,1239,240,2",
            "agent,agent_x,agent_x name,12.39,1239,240,2",
            "session,sesn_a,\"Report, \"\"final\"\"\",12.34,1234,120,1",
            "session,sesn_b,\"'=HYPERLINK(\"\"x\"\")\",0.05,5,120,1",
            "",
        ]
    );
}

#[test]
fn list_rows_carry_the_cost_the_cap_and_the_newest_outcome() {
    let store = store();
    let mut v: Value =
        serde_json::from_str(&session_json("sesn_cap", "Capped", "agent_x", "idle", HOUR)).unwrap();
    v["budget"] = json!({"type": "limit", "max_list_cost": {"amount": "2500", "currency": "USD"}});
    v["usage"]["list_cost"] = json!({"amount": "2500", "currency": "USD"});
    v["outcome_evaluations"] = json!([
        {"type": "outcome_evaluation", "outcome_id": "outc_1", "description": "First", "iteration": 2,
         "result": "satisfied", "explanation": "Done.", "completed_at": "2026-11-20T02:00:00Z"},
        {"type": "outcome_evaluation", "outcome_id": "outc_2", "description": "Second", "iteration": 1,
         "result": "running", "explanation": null, "completed_at": null}
    ]);
    store.upsert_session(PROFILE, &v.to_string()).unwrap();
    add(&store, "sesn_plain", "Plain", "agent_x", 2 * HOUR, None);
    let rows = store
        .list_sessions(PROFILE, &SessionFilter::default(), None, 10)
        .unwrap()
        .rows;
    let plain = &rows[0];
    assert_eq!(plain.id, "sesn_plain");
    assert_eq!(
        (
            plain.cost_cents,
            plain.budget_cents,
            plain.outcome_result.as_deref(),
            plain.outcome_iteration
        ),
        (None, None, None, None)
    );
    let capped = &rows[1];
    assert_eq!(
        (capped.cost_cents, capped.budget_cents),
        (Some(2500), Some(2500))
    );
    assert_eq!(capped.outcome_result.as_deref(), Some("running"));
    assert_eq!(capped.outcome_iteration, Some(1));
}
