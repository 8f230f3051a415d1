//! Realistic event and session JSON for the store's tests and benchmarks.
#![allow(dead_code, reason = "each test binary uses a different part")]

pub const PROFILE: &str = "prof_test";

pub fn ts(us: i64) -> String {
    // 2026-11-20T00:00:00Z plus `us` microseconds, as the API writes it.
    let base = 1_795_132_800i64;
    let total = base * 1_000_000 + us;
    let secs = total.div_euclid(1_000_000);
    let micros = total.rem_euclid(1_000_000);
    let day_secs = secs.rem_euclid(86_400);
    let days = secs.div_euclid(86_400) - (base / 86_400);
    let (h, m, s) = (day_secs / 3600, (day_secs / 60) % 60, day_secs % 60);
    // Tests stay within 2026-11 (days < 10), enough for every fixture here.
    format!("2026-11-{:02}T{h:02}:{m:02}:{s:02}.{micros:06}Z", 20 + days)
}

pub fn session_json(id: &str, title: &str, agent: &str, status: &str, created_us: i64) -> String {
    serde_json::json!({
        "id": id, "type": "session", "status": status, "title": title,
        "environment_id": "env_011CZkZ9X2dpNyB7HsEFoRfW",
        "agent": {"id": agent, "type": "agent", "version": 3, "name": format!("{agent} name"), "description": null,
                  "system": null, "model": {"id": "claude-opus-5-5"}, "tools": [], "mcp_servers": [], "skills": [],
                  "multiagent": null, "execution_identity": {"type": "service_account"}},
        "resources": [], "vault_ids": [], "metadata": {}, "budget": null, "outcome_evaluations": [],
        "stats": {}, "usage": {"input_tokens": 10, "output_tokens": 5},
        "created_at": ts(created_us), "updated_at": ts(created_us), "archived_at": null
    })
    .to_string()
}

const WORDS: &[&str] = &[
    "order",
    "shipped",
    "invoice",
    "customer",
    "refund",
    "warehouse",
    "carrier",
    "tracking",
    "delay",
    "report",
    "python",
    "pandas",
    "dataframe",
    "column",
    "revenue",
    "quarter",
    "forecast",
    "budget",
    "deploy",
    "server",
    "database",
    "migration",
    "index",
    "query",
    "latency",
    "error",
    "retry",
    "timeout",
    "cache",
    "memory",
    "the",
    "a",
    "and",
    "of",
    "to",
    "in",
    "is",
    "for",
    "with",
    "on",
    "that",
    "this",
    "it",
    "as",
    "was",
    "be",
];

/// A plausible event `n` of a session: messages, tool calls, results, statuses.
pub fn event_json(n: u64, at_us: i64, rng: &mut fastrand::Rng) -> String {
    let id = format!("sevt_{n:012}");
    let at = ts(at_us);
    let sentence = |rng: &mut fastrand::Rng, len: usize| -> String {
        (0..len)
            .map(|_| WORDS[rng.usize(..WORDS.len())])
            .collect::<Vec<_>>()
            .join(" ")
    };
    let v = match n % 8 {
        0 => {
            serde_json::json!({"type":"user.message","id":id,"content":[{"type":"text","text":sentence(rng, 12)}],"processed_at":at})
        }
        1 => serde_json::json!({"type":"session.status_running","id":id,"processed_at":at}),
        2 => serde_json::json!({"type":"agent.thinking","id":id,"processed_at":at}),
        3 => {
            serde_json::json!({"type":"agent.tool_use","id":id,"name":"bash","input":{"command":format!("grep -r {} .", WORDS[rng.usize(..20)])},"evaluated_permission":"allow","processed_at":at})
        }
        4 => {
            serde_json::json!({"type":"agent.tool_result","id":id,"tool_use_id":format!("sevt_{:012}", n - 1),"content":[{"type":"text","text":sentence(rng, 30)}],"is_error":false,"processed_at":at})
        }
        5 => {
            serde_json::json!({"type":"span.model_request_end","id":id,"model_request_start_id":"sevt_x","is_error":false,"model_usage":{"input_tokens":1200,"output_tokens":90,"cache_creation_input_tokens":0,"cache_read_input_tokens":1024},"processed_at":at})
        }
        6 => {
            serde_json::json!({"type":"agent.message","id":id,"content":[{"type":"text","text":format!("## Result\n\n{}\n\n- {}\n- {}", sentence(rng, 40), sentence(rng, 8), sentence(rng, 8))}],"processed_at":at})
        }
        _ => {
            serde_json::json!({"type":"session.status_idle","id":id,"stop_reason":{"type":"end_turn"},"stop_details":null,"processed_at":at})
        }
    };
    v.to_string()
}
