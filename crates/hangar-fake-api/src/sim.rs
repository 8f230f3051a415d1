//! The simulated agent: one worker per session, deterministic turns (reference §6.2).

use std::collections::VecDeque;
use std::sync::Arc;

use serde_json::{json, Value};
use tokio::sync::mpsc::UnboundedReceiver;

use crate::world::{Frame, Input};
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
        if let Some(tool) = custom {
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
        if let Input::Message(text) = input {
            let mut turn = Turn {
                shared: &shared,
                sid: &sid,
                rx: &mut rx,
                queue: &mut queue,
            };
            if turn.run(&text).await.is_err() {
                let mut w = shared.lock();
                if let Some(s) = w.session(&sid) {
                    s.pending.clear();
                }
                w.append(&sid, json!({"type": "session.status_idle", "stop_reason": {"type": "end_turn"}, "stop_details": Value::Null}));
            }
        }
    }
}
