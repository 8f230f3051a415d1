//! The fake's in-memory state: every object as the JSON the API returns, ids, a clock.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::Arc;

use serde_json::Value;
use tokio::sync::{broadcast, mpsc};

use crate::faults::Faults;

/// A frame on a session's live stream.
#[derive(Debug, Clone)]
pub enum Frame {
    /// A persisted event.
    Event(Arc<Value>),
    /// A stream-only preview (`event_start` / `event_delta`), sent only to streams that asked.
    Preview(Arc<Value>),
    /// The session was deleted: close the stream after this event.
    Deleted(Arc<Value>),
}

/// What the session's simulated agent is told.
#[derive(Debug)]
pub enum Input {
    /// A user message's text.
    Message(String),
    /// An answer to a pending tool use (`allow`/`deny` or a custom result text).
    Resolve {
        event_id: String,
        allow: bool,
        text: String,
    },
    /// Stop the turn.
    Interrupt,
    /// Work towards an outcome (`user.define_outcome`), evaluated round by round.
    Outcome(OutcomeWork),
}

/// An outcome the simulated agent works towards.
#[derive(Debug, Clone)]
pub struct OutcomeWork {
    /// `outc_…`
    pub outcome_id: String,
    /// What the finished work is.
    pub description: String,
    /// The rubric's points: the non-empty lines of its text (or of its uploaded file).
    pub criteria: Vec<String>,
    /// The most rounds.
    pub max_iterations: u32,
}

/// One session: its object, event log, live stream and agent worker.
pub struct SessionRt {
    pub obj: Value,
    pub log: Vec<Arc<Value>>,
    pub tx: broadcast::Sender<Frame>,
    pub inputs: mpsc::UnboundedSender<Input>,
    /// Tool-use ids waiting for an answer, with the answer type they need.
    pub pending: HashMap<String, &'static str>,
    pub resources: Vec<Value>,
    pub faults: Option<Faults>,
    pub worker: Option<tokio::task::AbortHandle>,
}

/// Everything the fake holds.
#[derive(Default)]
pub struct World {
    counter: u64,
    last_us: i64,
    pub agents: BTreeMap<String, Vec<Value>>,
    pub agent_order: Vec<String>,
    pub environments: Vec<Value>,
    pub sessions: Vec<(String, SessionRt)>,
    pub vaults: Vec<Value>,
    pub credentials: Vec<Value>,
    pub files: Vec<(Value, Vec<u8>)>,
    pub skills: Vec<Value>,
    pub skill_versions: Vec<Value>,
    pub deleted_sessions: HashSet<String>,
    pub fault_queue: VecDeque<(u16, Option<u64>)>,
    // Issue 14 (beyond): memory stores, deployments, and the clock tests move forward.
    pub memory: crate::memory::MemoryState,
    pub deployments: crate::deployments::DeploymentState,
    /// Added to the wall clock by [`World::now`]: `FakeServer::advance_clock` moves it.
    pub clock_offset_us: i64,
}

const ALPHABET: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

impl World {
    /// `prefix_011C…`: 24 base-58 characters, deterministic and increasing.
    pub fn id(&mut self, prefix: &str) -> String {
        self.counter += 1;
        let mut n = self.counter;
        let mut tail = [b'1'; 20];
        for slot in tail.iter_mut().rev() {
            *slot = ALPHABET[(n % 58) as usize];
            n /= 58;
        }
        format!("{prefix}_011C{}", String::from_utf8_lossy(&tail))
    }

    /// The current time as RFC 3339 with µs, strictly increasing across calls.
    pub fn now(&mut self) -> String {
        let wall = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_micros() as i64)
            .unwrap_or(0)
            + self.clock_offset_us;
        self.last_us = wall.max(self.last_us + 1);
        format_us(self.last_us)
    }

    /// The fake's current time in µs since the epoch (the wall clock plus the offset), without
    /// consuming a timestamp.
    pub fn now_us(&self) -> i64 {
        let wall = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_micros() as i64)
            .unwrap_or(0)
            + self.clock_offset_us;
        wall.max(self.last_us)
    }

    pub fn session(&mut self, id: &str) -> Option<&mut SessionRt> {
        self.sessions
            .iter_mut()
            .find(|(sid, _)| sid == id)
            .map(|(_, s)| s)
    }

    pub fn latest_agent(&self, id: &str) -> Option<&Value> {
        self.agents.get(id).and_then(|v| v.last())
    }

    /// Appends a persisted event to a session's log and broadcasts it. Returns the stored event.
    pub fn append(&mut self, session_id: &str, mut event: Value) -> Option<Arc<Value>> {
        if event.get("id").is_none() {
            let id = self.id("sevt");
            event["id"] = Value::String(id);
        }
        event["processed_at"] = Value::String(self.now());
        let updated_at = event["processed_at"].clone();
        let session = self.session(session_id)?;
        let status = match event.get("type").and_then(Value::as_str) {
            Some("session.status_running") => Some("running"),
            Some("session.status_idle") => Some("idle"),
            Some("session.status_rescheduled") => Some("rescheduling"),
            Some("session.status_terminated") => Some("terminated"),
            _ => None,
        };
        if let Some(s) = status {
            session.obj["status"] = Value::String(s.into());
        }
        if event.get("type").and_then(Value::as_str) == Some("session.usage") {
            // Priced as the API does, at list prices, unless the event says otherwise.
            if event["usage"].is_object() && event["usage"].get("list_cost").is_none() {
                let cost = list_cost(&event["usage"]);
                event["usage"]["list_cost"] = cost;
            }
            session.obj["usage"] = event["usage"].clone();
        }
        track_outcome(&mut session.obj, &event, &updated_at);
        session.obj["updated_at"] = updated_at;
        let event = Arc::new(event);
        session.log.push(event.clone());
        // No live stream attached is fine: history has it.
        let _ = session.tx.send(Frame::Event(event.clone()));
        Some(event)
    }
}

/// The fake's list prices: $3 per million input tokens, $15 per million output tokens, $0.30
/// per million tokens read from the cache; in whole cents, rounded up.
pub fn list_cost(usage: &Value) -> Value {
    let n = |k: &str| usage.get(k).and_then(Value::as_u64).unwrap_or(0);
    let micro_cents =
        n("input_tokens") * 300 + n("output_tokens") * 1500 + n("cache_read_input_tokens") * 30;
    serde_json::json!({"amount": micro_cents.div_ceil(1_000_000).to_string(), "currency": "USD"})
}

/// Keeps `session.outcome_evaluations` (reference §5.3) in step with the outcome events: one
/// entry per outcome, with its current round and result.
fn track_outcome(obj: &mut Value, event: &Value, at: &Value) {
    let kind = event.get("type").and_then(Value::as_str).unwrap_or("");
    let outcome_id = &event["outcome_id"];
    let Some(list) = obj["outcome_evaluations"].as_array_mut() else {
        return;
    };
    if kind == "user.define_outcome" {
        list.push(
            serde_json::json!({"type": "outcome_evaluation", "outcome_id": outcome_id,
            "description": event["description"], "iteration": 0, "result": "pending",
            "explanation": Value::Null, "completed_at": Value::Null}),
        );
        return;
    }
    let Some(entry) = list
        .iter_mut()
        .rev()
        .find(|e| &e["outcome_id"] == outcome_id)
    else {
        return;
    };
    match kind {
        "span.outcome_evaluation_start" => {
            entry["iteration"] = event["iteration"].clone();
            entry["result"] = "evaluating".into();
        }
        "span.outcome_evaluation_end" => {
            entry["explanation"] = event["explanation"].clone();
            if event["result"] == "needs_revision" {
                entry["iteration"] = (event["iteration"].as_u64().unwrap_or(0) + 1).into();
                entry["result"] = "running".into();
            } else {
                entry["result"] = event["result"].clone();
                entry["completed_at"] = at.clone();
            }
        }
        _ => {}
    }
}

/// µs since the epoch as `2026-11-20T10:00:01.000000Z`.
pub fn format_us(us: i64) -> String {
    let secs = us.div_euclid(1_000_000);
    let micros = us.rem_euclid(1_000_000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{micros:06}Z",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    )
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_times() {
        let mut w = World::default();
        let a = w.id("agent");
        let b = w.id("agent");
        assert!(
            a.starts_with("agent_011C") && a.len() == "agent_011C".len() + 20,
            "{a}"
        );
        assert!(a < b);
        assert_eq!(
            format_us(1_795_168_801_000_000),
            "2026-11-20T10:00:01.000000Z"
        );
        assert_eq!(
            format_us(951_782_400_000_001),
            "2000-02-29T00:00:00.000001Z"
        );
        let (t1, t2) = (w.now(), w.now());
        assert!(t1 < t2, "strictly increasing");
    }
}
