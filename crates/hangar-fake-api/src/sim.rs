//! The simulated agent: one worker per session, deterministic turns (reference §6.2).

use std::collections::VecDeque;
use std::sync::Arc;

use serde_json::{json, Value};
use tokio::sync::mpsc::UnboundedReceiver;

use crate::world::{Frame, Input, OutcomeWork};
use crate::Shared;

const LS_OUTPUT: &str = "total 24\ndrwxr-xr-x 4 agent agent 4096 Nov 20 10:00 .\ndrwxr-xr-x 3 root  root  4096 Nov 20 09:58 ..\n-rw-r--r-- 1 agent agent 1312 Nov 20 10:00 orders.csv\n-rw-r--r-- 1 agent agent  845 Nov 20 10:00 README.md\ndrwxr-xr-x 2 agent agent 4096 Nov 20 10:00 reports";

struct Interrupted;

struct Turn<'a> {
    shared: &'a Arc<Shared>,
    sid: &'a str,
    rx: &'a mut UnboundedReceiver<Input>,
    queue: &'a mut VecDeque<Input>,
}

impl Turn<'_> {
    fn emit(&self, event: Value) -> Option<Arc<Value>> {
        self.shared.lock().append(self.sid, event)
    }

    fn preview(&self, frame: Value) {
        let mut w = self.shared.lock();
        if let Some(s) = w.session(self.sid) {
            let _ = s.tx.send(Frame::Preview(Arc::new(frame)));
        }
    }

    /// Waits one simulated step, noticing interrupts and queueing new messages.
    async fn pause(&mut self) -> Result<(), Interrupted> {
        let delay = self.shared.config.turn_delay;
        let sleep = tokio::time::sleep(delay);
        tokio::pin!(sleep);
        loop {
            tokio::select! {
                _ = &mut sleep => return Ok(()),
                input = self.rx.recv() => match input {
                    Some(Input::Interrupt) | None => return Err(Interrupted),
                    Some(other) => self.queue.push_back(other),
                },
            }
        }
    }

    /// Appends a tool use whose answer is awaited: the answer is accepted from this moment on.
    fn emit_pending(&self, mut event: Value, answer: &'static str) -> Option<Arc<Value>> {
        let mut w = self.shared.lock();
        let id = w.id("sevt");
        event["id"] = json!(id);
        w.session(self.sid)?.pending.insert(id, answer);
        w.append(self.sid, event)
    }

    /// Waits for the answer to `event_id` (it may already have arrived during a pause).
    async fn wait(&mut self, event_id: &str) -> Result<(bool, String), Interrupted> {
        if let Some(at) = self
            .queue
            .iter()
            .position(|i| matches!(i, Input::Resolve { event_id: id, .. } if id == event_id))
        {
            if let Some(Input::Resolve { allow, text, .. }) = self.queue.remove(at) {
                return Ok((allow, text));
            }
        }
        loop {
            match self.rx.recv().await {
                Some(Input::Resolve {
                    event_id: id,
                    allow,
                    text,
                }) if id == event_id => return Ok((allow, text)),
                Some(Input::Interrupt) | None => return Err(Interrupted),
                Some(other) => self.queue.push_back(other),
            }
        }
    }

    fn usage(&self, input: u64, output: u64) -> Value {
        let mut w = self.shared.lock();
        let Some(s) = w.session(self.sid) else {
            return json!({});
        };
        let u = &mut s.obj["usage"];
        let add = |v: &Value, n: u64| json!(v.as_u64().unwrap_or(0) + n);
        u["input_tokens"] = add(&u["input_tokens"], input);
        u["output_tokens"] = add(&u["output_tokens"], output);
        u["cache_read_input_tokens"] = add(&u["cache_read_input_tokens"], input / 2);
        u.clone()
    }

    async fn run(&mut self, text: &str) -> Result<(), Interrupted> {
        let agent = {
            let mut w = self.shared.lock();
            w.session(self.sid)
                .map(|s| s.obj["agent"].clone())
                .unwrap_or(Value::Null)
        };
        let tools = agent["tools"].as_array().cloned().unwrap_or_default();
        let lower = text.to_lowercase();
        let custom = tools.iter().find(|t| {
            t["type"] == "custom"
                && t["name"]
                    .as_str()
                    .is_some_and(|n| lower.contains(&n.to_lowercase()))
        });
        let toolset = tools.iter().find(|t| t["type"] == "agent_toolset_20260401");
        let bash = toolset.and_then(|ts| {
            let cfg = ts["configs"]
                .as_array()
                .and_then(|c| c.iter().find(|c| c["name"] == "bash"))
                .cloned();
            let enabled = cfg
                .as_ref()
                .and_then(|c| c["enabled"].as_bool())
                .unwrap_or(ts["default_config"]["enabled"].as_bool().unwrap_or(true));
            let policy = cfg
                .as_ref()
                .map(|c| c["permission_policy"]["type"].clone())
                .unwrap_or(ts["default_config"]["permission_policy"]["type"].clone());
            enabled.then(|| policy.as_str().unwrap_or("always_allow").to_string())
        });

        self.emit(json!({"type": "session.status_running"}));
        self.pause().await?;
        let start = self.emit(json!({"type": "span.model_request_start"}));
        self.emit(json!({"type": "agent.thinking"}));
        self.pause().await?;

        let mut finding = String::new();
        let mut did_tool = false;
        let scenario = Scenario::of(&lower);
        if let Some(scenario) = scenario {
            match self
                .scenario(scenario, text, &agent, start.as_ref())
                .await?
            {
                Next::Reply(found) => {
                    finding = found;
                    did_tool = true;
                }
                Next::Done => return Ok(()),
            }
        } else if let Some(tool) = custom {
            let name = tool["name"].as_str().unwrap_or("tool").to_string();
            let input = json!({"request": text.chars().take(120).collect::<String>()});
            let Some(use_event) = self.emit_pending(json!({"type": "agent.custom_tool_use", "name": name, "input": input, "session_thread_id": Value::Null}), "user.custom_tool_result") else { return Ok(()) };
            let id = use_event["id"].as_str().unwrap_or("").to_string();
            self.end_request(start.as_ref(), 900, 40);
            self.await_answer(&id);
            let (_, result) = self.wait(&id).await?;
            self.emit(json!({"type": "session.status_running"}));
            finding = format!(
                "Your `{name}` tool answered:\n\n> {}",
                result.replace('\n', "\n> ")
            );
            did_tool = true;
        } else if let Some(policy) = bash {
            let ask = policy == "always_ask";
            let event = json!({"type": "agent.tool_use", "name": "bash", "input": {"command": "ls -la"},
                "evaluated_permission": if ask { "ask" } else { "allow" }, "evaluation": {"type": policy}, "session_thread_id": Value::Null});
            let emitted = if ask {
                self.emit_pending(event, "user.tool_confirmation")
            } else {
                self.emit(event)
            };
            let Some(use_event) = emitted else {
                return Ok(());
            };
            let id = use_event["id"].as_str().unwrap_or("").to_string();
            self.end_request(start.as_ref(), 900, 40);
            let allowed = if ask {
                self.await_answer(&id);
                let (allow, note) = self.wait(&id).await?;
                self.emit(json!({"type": "session.status_running"}));
                if !allow {
                    let why = if note.is_empty() {
                        String::new()
                    } else {
                        format!(" ({note})")
                    };
                    finding = format!(
                        "You declined the `ls -la` command{why}, so I did not look at the files."
                    );
                }
                allow
            } else {
                true
            };
            self.pause().await?;
            if allowed {
                self.emit(json!({"type": "agent.tool_result", "tool_use_id": id, "content": [{"type": "text", "text": LS_OUTPUT}], "is_error": false}));
                finding = format!("I listed the workspace:\n\n```text\n{LS_OUTPUT}\n```\n\nThere are **3** entries besides `.` and `..`.");
            } else {
                self.emit(json!({"type": "agent.tool_result", "tool_use_id": id, "content": [{"type": "text", "text": "The user denied this tool call."}], "is_error": true}));
            }
            did_tool = true;
        }

        let start2 = if did_tool {
            self.emit(json!({"type": "span.model_request_start"}))
        } else {
            start
        };
        let reply = format!(
            "## Summary\n\nYou asked: *{}*\n\n{}\n\n- This is a **simulated** agent running on your computer.\n- Nothing was sent to a real model.",
            text.chars().take(200).collect::<String>().replace('*', ""),
            if finding.is_empty() { "Here is what I would do next: check the inputs, then report back.".to_string() } else { finding }
        );
        let message_id = self.shared.lock().id("sevt");
        self.preview(
            json!({"type": "event_start", "event": {"type": "agent.message", "id": message_id}}),
        );
        let chars: Vec<char> = reply.chars().collect();
        for chunk in chars.chunks(chars.len().div_ceil(4).max(1)) {
            self.pause().await?;
            let piece: String = chunk.iter().collect();
            self.preview(json!({"type": "event_delta", "event_id": message_id, "delta": {"type": "content_delta", "index": 0, "content": {"type": "text", "text": piece}}}));
        }
        self.emit(json!({"type": "agent.message", "id": message_id, "content": [{"type": "text", "text": reply}]}));
        self.end_request(
            start2.as_ref(),
            1200 + text.len() as u64,
            90 + reply.len() as u64 / 4,
        );
        self.pause().await?;
        let usage = {
            let mut w = self.shared.lock();
            w.session(self.sid)
                .map(|s| s.obj["usage"].clone())
                .unwrap_or(json!({}))
        };
        self.emit(json!({"type": "session.usage", "usage": usage, "budget": Value::Null}));
        self.emit(json!({"type": "session.status_idle", "stop_reason": {"type": "end_turn"}, "stop_details": Value::Null}));
        Ok(())
    }

    /// Works towards an outcome (reference §6.2): each round the agent meets one more point of
    /// the rubric, then the grader evaluates (`span.outcome_evaluation_*`): `needs_revision`
    /// until every point is met (`satisfied`), or `max_iterations_reached` after the last
    /// round. A description asking for the impossible fails at once. An interrupt during an
    /// evaluation ends it as `interrupted`.
    async fn outcome(&mut self, work: &OutcomeWork) -> Result<(), Interrupted> {
        let total = work.criteria.len();
        let impossible = work.description.to_lowercase().contains("impossible");
        self.emit(json!({"type": "session.status_running"}));
        for iteration in 0..work.max_iterations {
            self.pause().await?;
            let start = self.emit(json!({"type": "span.model_request_start"}));
            self.emit(json!({"type": "agent.thinking"}));
            self.pause().await?;
            let met = (iteration as usize + 1).min(total);
            let worked_on = &work.criteria[met - 1];
            self.emit(
                json!({"type": "agent.message", "content": [{"type": "text", "text":
                format!("Round {}: I worked on “{worked_on}”.", iteration + 1)}]}),
            );
            self.end_request(start.as_ref(), 900, 60);
            let Some(began) = self.emit(json!({"type": "span.outcome_evaluation_start", "outcome_id": work.outcome_id, "iteration": iteration})) else {
                return Ok(());
            };
            if let Err(stop) = self.pause().await {
                self.emit(json!({"type": "span.outcome_evaluation_end", "outcome_evaluation_start_id": began["id"], "outcome_id": work.outcome_id,
                    "iteration": iteration, "result": "interrupted", "explanation": "The evaluation was interrupted.",
                    "usage": {"input_tokens": 0, "output_tokens": 0, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}}));
                return Err(stop);
            }
            self.emit(json!({"type": "span.outcome_evaluation_ongoing", "outcome_id": work.outcome_id, "iteration": iteration}));
            let (result, explanation) = if impossible {
                (
                    "failed",
                    "The rubric cannot be met with what the agent can reach.".to_string(),
                )
            } else if met == total {
                (
                    "satisfied",
                    format!("Every point of the rubric is met ({total} of {total})."),
                )
            } else if iteration + 1 == work.max_iterations {
                (
                    "max_iterations_reached",
                    format!(
                        "{met} of {total} points are met; no round is left for “{}”.",
                        work.criteria[met]
                    ),
                )
            } else {
                (
                    "needs_revision",
                    format!(
                        "{met} of {total} points are met; still missing: “{}”.",
                        work.criteria[met]
                    ),
                )
            };
            self.emit(json!({"type": "span.outcome_evaluation_end", "outcome_evaluation_start_id": began["id"], "outcome_id": work.outcome_id,
                "iteration": iteration, "result": result, "explanation": explanation,
                "usage": {"input_tokens": 800, "output_tokens": 60, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}}));
            if result != "needs_revision" {
                break;
            }
        }
        let usage = self.usage(0, 0);
        self.emit(json!({"type": "session.usage", "usage": usage, "budget": Value::Null}));
        self.emit(json!({"type": "session.status_idle", "stop_reason": {"type": "end_turn"}, "stop_details": Value::Null}));
        Ok(())
    }

    fn end_request(&self, start: Option<&Arc<Value>>, input: u64, output: u64) {
        self.usage(input, output);
        let start_id = start
            .and_then(|s| s["id"].as_str())
            .unwrap_or("")
            .to_string();
        self.emit(json!({"type": "span.model_request_end", "model_request_start_id": start_id, "is_error": false,
            "model_usage": {"input_tokens": input, "output_tokens": output, "cache_creation_input_tokens": 0, "cache_read_input_tokens": input / 2, "speed": "standard"}}));
    }

    /// Goes idle with `requires_action` (unless the answer already came).
    fn await_answer(&self, id: &str) {
        let still_pending = {
            let mut w = self.shared.lock();
            w.session(self.sid)
                .is_some_and(|s| s.pending.contains_key(id))
        };
        if still_pending {
            self.emit(json!({"type": "session.status_idle", "stop_reason": {"type": "requires_action", "event_ids": [id]}, "stop_details": Value::Null}));
        }
    }
}

/// The per-session worker: runs one turn per user message, in order.
pub async fn worker(shared: Arc<Shared>, sid: String, mut rx: UnboundedReceiver<Input>) {
    let mut queue = VecDeque::new();
    loop {
        let input = match queue.pop_front() {
            Some(i) => i,
            None => match rx.recv().await {
                Some(i) => i,
                None => return,
            },
        };
        let mut turn = Turn {
            shared: &shared,
            sid: &sid,
            rx: &mut rx,
            queue: &mut queue,
        };
        let stopped = match input {
            Input::Outcome(work) => turn.outcome(&work).await.is_err(),
            Input::Message(text) => turn.run(&text).await.is_err(),
            Input::Resolve { .. } | Input::Interrupt => false,
        };
        if stopped {
            let mut w = shared.lock();
            if let Some(s) = w.session(&sid) {
                s.pending.clear();
            }
            w.append(&sid, json!({"type": "session.status_idle", "stop_reason": {"type": "end_turn"}, "stop_details": Value::Null}));
        }
    }
}

/// What the person asked the simulated agent to show, by a phrase in the message (the Demo
/// section of the README lists them): every card of the chat can be produced on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    /// "run a command": `bash` asking for a confirmation, whatever the agent's policy.
    Confirm,
    /// "use mcp": a call to the agent's MCP server, allowed by the auto policy.
    Mcp,
    /// "call a custom tool": a custom tool call the person answers.
    Custom,
    /// "ask the team": a sub-agent thread with its messages and a cross-posted tool call.
    Team,
    /// "simulate an error": errors the service retries, a reschedule, then the turn goes on.
    Retry,
    /// "simulate a failure": retries exhausted, the turn ends.
    Exhausted,
    /// "end the session": a terminal error, the session is terminated.
    Terminate,
    /// "spend the budget": the budget is reached.
    Budget,
    /// "fill the context": the context window is full (compaction limit).
    Context,
    /// "check the outcome": outcome evaluation rounds.
    Outcome,
    /// "send something new": an event type no client knows.
    Unknown,
    /// "show html": agent output full of HTML and script payloads (the XSS corpus).
    Html,
    /// "write 10000 events" (any number up to 20000): that many short messages, fast.
    Flood(usize),
    /// "work slowly": a long turn (to interrupt, or to steer).
    Slow,
}

/// The phrases, in the order they are tried (the README's Demo section lists them too).
const PHRASES: &[(&str, Scenario)] = &[
    ("run a command", Scenario::Confirm),
    ("use mcp", Scenario::Mcp),
    ("call a custom tool", Scenario::Custom),
    ("ask the team", Scenario::Team),
    ("simulate an error", Scenario::Retry),
    ("simulate a failure", Scenario::Exhausted),
    ("end the session", Scenario::Terminate),
    ("spend the budget", Scenario::Budget),
    ("fill the context", Scenario::Context),
    ("check the outcome", Scenario::Outcome),
    ("send something new", Scenario::Unknown),
    ("show html", Scenario::Html),
    ("work slowly", Scenario::Slow),
];

impl Scenario {
    /// The scenario a message (in lowercase) asks for, if any.
    pub fn of(lower: &str) -> Option<Scenario> {
        // "write N events"
        if let Some(rest) = lower.split("write ").nth(1) {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            if rest[digits.len()..].trim_start().starts_with("events") {
                if let Ok(n) = digits.parse::<usize>() {
                    return Some(Scenario::Flood(n.min(20_000)));
                }
            }
        }
        PHRASES
            .iter()
            .find(|(phrase, _)| lower.contains(phrase))
            .map(|(_, scenario)| *scenario)
    }
}

/// What the turn does after a scenario.
enum Next {
    /// Reply with this finding, then end the turn as usual.
    Reply(String),
    /// The scenario ended the turn (or the session) itself.
    Done,
}

/// Agent output that must reach the screen as text, never as markup (the XSS corpus).
pub const XSS_CORPUS: &str = r#"Here are some tricky strings.

<script>window.__pwned = 1</script>
<img src=x onerror="window.__pwned = 2">
<iframe src="https://evil.example/"></iframe>
<svg onload="window.__pwned = 3"><circle r="4"/></svg>
<math><mtext><img src=x onerror="window.__pwned = 4"></mtext></math>
<form action="https://evil.example/"><input name=x><button>Go</button></form>
<a href="javascript:window.__pwned = 5">javascript link</a>
<div style="background:url(https://evil.example/x.png)" onclick="window.__pwned = 6">styled</div>

[a javascript: link](javascript:window.__pwned=7) · [a data: link](data:text/html,<script>window.__pwned=8</script>) · [a file: link](file:///etc/passwd) · [a real link](https://example.com/docs)

![a remote image](https://evil.example/tracker.png)

<details open ontoggle="window.__pwned = 9">x</details>"#;

impl Turn<'_> {
    async fn scenario(
        &mut self,
        scenario: Scenario,
        text: &str,
        agent: &Value,
        start: Option<&Arc<Value>>,
    ) -> Result<Next, Interrupted> {
        match scenario {
            Scenario::Confirm => {
                let Some(use_event) = self.emit_pending(json!({"type": "agent.tool_use", "name": "bash", "input": {"command": "ls -la"},
                    "evaluated_permission": "ask", "evaluation": {"type": "always_ask"}, "session_thread_id": Value::Null}), "user.tool_confirmation") else {
                    return Ok(Next::Done);
                };
                let id = use_event["id"].as_str().unwrap_or("").to_string();
                self.end_request(start, 900, 40);
                self.await_answer(&id);
                let (allow, note) = self.wait(&id).await?;
                self.emit(json!({"type": "session.status_running"}));
                self.pause().await?;
                if allow {
                    self.emit(json!({"type": "agent.tool_result", "tool_use_id": id, "content": [{"type": "text", "text": LS_OUTPUT}], "is_error": false}));
                    Ok(Next::Reply(format!("You allowed `ls -la`. I listed the workspace:\n\n```text\n{LS_OUTPUT}\n```")))
                } else {
                    self.emit(json!({"type": "agent.tool_result", "tool_use_id": id, "content": [{"type": "text", "text": "The user denied this tool call."}], "is_error": true}));
                    let why = if note.is_empty() {
                        String::new()
                    } else {
                        format!(" Your reason: “{note}”.")
                    };
                    Ok(Next::Reply(format!(
                        "You denied the command, so I did not run it.{why}"
                    )))
                }
            }
            Scenario::Mcp => {
                let server = agent["mcp_servers"][0]["name"]
                    .as_str()
                    .unwrap_or("github")
                    .to_string();
                let Some(use_event) = self.emit(json!({"type": "agent.mcp_tool_use", "name": "search_issues", "mcp_server_name": server, "input": {"q": "is:open label:bug"},
                    "evaluated_permission": "allow", "evaluation": {"type": "auto", "evaluated_permission": {"type": "allow"}}, "session_thread_id": Value::Null})) else {
                    return Ok(Next::Done);
                };
                let id = use_event["id"].as_str().unwrap_or("").to_string();
                self.end_request(start, 900, 40);
                self.pause().await?;
                self.emit(json!({"type": "agent.mcp_tool_result", "mcp_tool_use_id": id, "content": [{"type": "text", "text": "[{\"number\": 42, \"title\": \"Checkout fails on Safari\"}]"}], "is_error": false}));
                Ok(Next::Reply(format!("I searched the open bugs on **{server}**: one is open, #42 “Checkout fails on Safari”.")))
            }
            Scenario::Custom => {
                let name = agent["tools"]
                    .as_array()
                    .and_then(|t| t.iter().find(|t| t["type"] == "custom"))
                    .and_then(|t| t["name"].as_str())
                    .unwrap_or("lookup_order")
                    .to_string();
                let input = json!({"request": text.chars().take(120).collect::<String>()});
                let Some(use_event) = self.emit_pending(json!({"type": "agent.custom_tool_use", "name": name, "input": input, "session_thread_id": Value::Null}), "user.custom_tool_result") else {
                    return Ok(Next::Done);
                };
                let id = use_event["id"].as_str().unwrap_or("").to_string();
                self.end_request(start, 900, 40);
                self.await_answer(&id);
                let (_, result) = self.wait(&id).await?;
                self.emit(json!({"type": "session.status_running"}));
                Ok(Next::Reply(format!(
                    "Your `{name}` tool answered:\n\n> {}",
                    result.replace('\n', "\n> ")
                )))
            }
            Scenario::Team => {
                let thread = {
                    let mut w = self.shared.lock();
                    w.id("sthr")
                };
                self.emit(json!({"type": "session.thread_created", "session_thread_id": thread, "agent_name": "researcher", "workflow_run_id": Value::Null}));
                self.emit(json!({"type": "agent.thread_message_sent", "to_session_thread_id": thread, "to_agent_name": "researcher", "content": [{"type": "text", "text": "Please find which carrier has order #1234."}]}));
                self.emit(json!({"type": "session.thread_status_running", "session_thread_id": thread, "agent_name": "researcher"}));
                self.pause().await?;
                let Some(use_event) = self.emit(json!({"type": "agent.tool_use", "name": "web_fetch", "input": {"url": "https://carrier.example/track/1234"},
                    "evaluated_permission": "allow", "evaluation": {"type": "always_allow"}, "session_thread_id": thread})) else {
                    return Ok(Next::Done);
                };
                let id = use_event["id"].as_str().unwrap_or("").to_string();
                self.pause().await?;
                self.emit(json!({"type": "agent.tool_result", "tool_use_id": id, "content": [{"type": "text", "text": "Carrier: UPS, in transit"}], "is_error": false}));
                self.emit(json!({"type": "agent.thread_message_received", "from_session_thread_id": thread, "from_agent_name": "researcher", "content": [{"type": "text", "text": "The carrier is **UPS**; the parcel is in transit."}]}));
                self.emit(json!({"type": "session.thread_status_idle", "session_thread_id": thread, "agent_name": "researcher", "stop_reason": {"type": "end_turn"}, "stop_details": Value::Null}));
                self.end_request(start, 1500, 80);
                Ok(Next::Reply(
                    "I asked the **researcher**: the order travels with UPS.".into(),
                ))
            }
            Scenario::Retry => {
                for _ in 0..2 {
                    self.emit(json!({"type": "session.error", "error": {"type": "model_overloaded_error", "message": "The model is overloaded.", "retry_status": {"type": "retrying"}}}));
                    self.emit(json!({"type": "session.status_rescheduled"}));
                    self.pause().await?;
                }
                self.emit(json!({"type": "session.status_running"}));
                self.end_request(start, 900, 40);
                Ok(Next::Reply(
                    "The model was busy twice; the service retried and I could go on.".into(),
                ))
            }
            Scenario::Exhausted => {
                self.emit(json!({"type": "session.error", "error": {"type": "model_overloaded_error", "message": "The model is overloaded.", "retry_status": {"type": "retrying"}}}));
                self.pause().await?;
                self.emit(json!({"type": "session.error", "error": {"type": "model_overloaded_error", "message": "The model is overloaded.", "retry_status": {"type": "exhausted"}}}));
                self.end_request(start, 900, 0);
                self.emit(json!({"type": "session.status_idle", "stop_reason": {"type": "retries_exhausted"}, "stop_details": Value::Null}));
                Ok(Next::Done)
            }
            Scenario::Terminate => {
                self.emit(json!({"type": "session.error", "error": {"type": "billing_error", "message": "The organization's credit is used up.", "retry_status": {"type": "terminal"}}}));
                self.end_request(start, 900, 0);
                self.emit(json!({"type": "session.status_terminated"}));
                Ok(Next::Done)
            }
            Scenario::Budget => {
                self.end_request(start, 90_000, 4_000);
                // The session's own cap (2500 cents when it has none), spent exactly.
                let budget = {
                    let mut w = self.shared.lock();
                    w.session(self.sid)
                        .map(|s| s.obj["budget"].clone())
                        .filter(|b| b["max_list_cost"]["amount"].is_string())
                        .unwrap_or(json!({"type": "limit", "max_list_cost": {"amount": "2500", "currency": "USD"}}))
                };
                let mut usage = self.usage(0, 0);
                usage["list_cost"] = budget["max_list_cost"].clone();
                self.emit(json!({"type": "session.usage", "usage": usage, "budget": budget}));
                self.emit(json!({"type": "session.status_idle", "stop_reason": {"type": "budget_reached"}, "stop_details": Value::Null}));
                Ok(Next::Done)
            }
            Scenario::Context => {
                self.emit(json!({"type": "agent.thread_context_compacted"}));
                self.pause().await?;
                self.emit(json!({"type": "session.error", "error": {"type": "compaction_limit_reached_error", "message": "The context window is full.", "retry_status": {"type": "exhausted"}}}));
                self.end_request(start, 200_000, 0);
                self.emit(json!({"type": "session.status_idle", "stop_reason": {"type": "retries_exhausted"}, "stop_details": Value::Null}));
                Ok(Next::Done)
            }
            Scenario::Outcome => {
                self.end_request(start, 900, 40);
                let outcome = format!("outc_{}", &self.sid[5.min(self.sid.len())..]);
                for (iteration, result, why) in [
                    (0, "needs_revision", "The header row is missing."),
                    (1, "satisfied", "Every row is there."),
                ] {
                    let Some(began) = self.emit(json!({"type": "span.outcome_evaluation_start", "outcome_id": outcome, "iteration": iteration})) else {
                        return Ok(Next::Done);
                    };
                    self.pause().await?;
                    self.emit(json!({"type": "span.outcome_evaluation_ongoing", "outcome_id": outcome, "iteration": iteration}));
                    self.emit(json!({"type": "span.outcome_evaluation_end", "outcome_evaluation_start_id": began["id"], "outcome_id": outcome, "iteration": iteration,
                        "result": result, "explanation": why, "usage": {"input_tokens": 800, "output_tokens": 60, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}}));
                }
                Ok(Next::Reply(
                    "The outcome is reached after two rounds.".into(),
                ))
            }
            Scenario::Unknown => {
                self.emit(json!({"type": "agent.hologram", "projection": {"shape": "cube", "color": "teal"}}));
                self.end_request(start, 900, 40);
                Ok(Next::Reply(
                    "I sent an event of a kind no client knows yet.".into(),
                ))
            }
            Scenario::Html => {
                let Some(use_event) = self.emit(json!({"type": "agent.tool_use", "name": "bash", "input": {"command": "cat page.html"},
                    "evaluated_permission": "allow", "evaluation": {"type": "always_allow"}, "session_thread_id": Value::Null})) else {
                    return Ok(Next::Done);
                };
                let id = use_event["id"].as_str().unwrap_or("").to_string();
                self.emit(json!({"type": "agent.tool_result", "tool_use_id": id, "content": [{"type": "text", "text": "<html><body><script>window.__pwned = 10</script><img src=x onerror=\"window.__pwned=11\"></body></html>"}], "is_error": false}));
                let thread = {
                    let mut w = self.shared.lock();
                    w.id("sthr")
                };
                self.emit(json!({"type": "agent.thread_message_received", "from_session_thread_id": thread, "from_agent_name": "<b onclick=alert(1)>helper</b>", "content": [{"type": "text", "text": "<iframe src=\"https://evil.example\"></iframe><script>window.__pwned = 12</script>"}]}));
                self.end_request(start, 900, 40);
                Ok(Next::Reply(XSS_CORPUS.to_string()))
            }
            Scenario::Flood(n) => {
                for i in 1..=n {
                    self.emit(json!({"type": "agent.message", "content": [{"type": "text", "text": format!("Line {i} of {n}: the simulated agent is writing a very long transcript.")}]}));
                    // Let the streams keep up (their buffer holds 4096 frames).
                    if i % 200 == 0 {
                        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                    }
                }
                self.end_request(start, 900, 40);
                Ok(Next::Reply(format!("That was {n} messages.")))
            }
            Scenario::Slow => {
                for _ in 0..30 {
                    self.pause().await?;
                    self.emit(json!({"type": "agent.thinking"}));
                }
                self.end_request(start, 900, 40);
                Ok(Next::Reply("I took my time.".into()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_choose_their_scenario() {
        for (phrase, scenario) in PHRASES {
            assert_eq!(
                Scenario::of(&format!("please {phrase} now")),
                Some(*scenario),
                "{phrase}"
            );
        }
        assert_eq!(
            Scenario::of("please write 250 events now"),
            Some(Scenario::Flood(250))
        );
        assert_eq!(
            Scenario::of("write 99999 events"),
            Some(Scenario::Flood(20_000))
        );
        assert_eq!(Scenario::of("write a poem"), None);
        assert_eq!(Scenario::of("hello"), None);
    }
}
