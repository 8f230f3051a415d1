//! Sessions, their events (history, send, live SSE), resources and threads.

use std::convert::Infallible;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::sse::{Event as SseEvent, Sse};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};
use tokio::sync::{broadcast, mpsc};

use crate::http::{
    archive_in_place, body_object, check_metadata, paginate, paginate_keyed, patch_metadata,
    time_filter, ApiErr, ApiResult, Params,
};
use crate::world::{Frame, Input, SessionRt, World};
use crate::Shared;

type S = State<Arc<Shared>>;

fn session_mut<'a>(w: &'a mut World, id: &str) -> ApiResult<&'a mut SessionRt> {
    w.session(id)
        .ok_or_else(|| ApiErr::not_found("session", id))
}

fn snapshot(agent: &Value) -> Value {
    let mut s = Map::new();
    for k in [
        "id",
        "type",
        "version",
        "name",
        "description",
        "system",
        "model",
        "tools",
        "mcp_servers",
        "skills",
        "multiagent",
        "execution_identity",
    ] {
        s.insert(k.into(), agent.get(k).cloned().unwrap_or(Value::Null));
    }
    Value::Object(s)
}

fn resolve_resource(w: &mut World, r: &Value) -> ApiResult<Value> {
    let now = w.now();
    match r.get("type").and_then(Value::as_str) {
        Some("github_repository") => {
            let url = r.get("url").and_then(Value::as_str).unwrap_or("");
            if !url.starts_with("https://") {
                return Err(ApiErr::invalid("github_repository: url must be https://…"));
            }
            let name = url
                .trim_end_matches('/')
                .trim_end_matches(".git")
                .rsplit('/')
                .next()
                .unwrap_or("repo");
            let mount = r
                .get("mount_path")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| format!("/workspace/{name}"));
            Ok(
                json!({"type": "github_repository", "id": w.id("sesrsc"), "url": url, "mount_path": mount,
                "checkout": r.get("checkout").cloned().unwrap_or(Value::Null), "created_at": now, "updated_at": now}),
            )
        }
        Some("file") => {
            let file_id = r.get("file_id").and_then(Value::as_str).unwrap_or("");
            if !w.files.iter().any(|(m, _)| m["id"] == file_id) {
                return Err(ApiErr::not_found("file", file_id));
            }
            let mount = r
                .get("mount_path")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| format!("/mnt/session/uploads/{file_id}"));
            Ok(
                json!({"type": "file", "id": w.id("sesrsc"), "file_id": file_id, "mount_path": mount, "created_at": now, "updated_at": now}),
            )
        }
        Some("memory_store") => Ok(
            json!({"type": "memory_store", "memory_store_id": r["memory_store_id"], "access": r.get("access").cloned().unwrap_or(json!("read_write"))}),
        ),
        other => Err(ApiErr::invalid(format!("unknown resource type {other:?}"))),
    }
}

pub async fn create(State(s): S, body: Bytes) -> ApiResult {
    let b = body_object(&body)?;
    let (agent_id, version) = match b.get("agent") {
        Some(Value::String(id)) => (id.clone(), None),
        Some(Value::Object(o))
            if matches!(
                o.get("type").and_then(Value::as_str),
                Some("agent" | "agent_with_overrides")
            ) =>
        {
            (
                o.get("id")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                o.get("version").and_then(Value::as_u64),
            )
        }
        _ => {
            return Err(ApiErr::invalid(
                "agent: an agent id or {type: \"agent\", id, version} is required",
            ))
        }
    };
    let env_id = b
        .get("environment_id")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiErr::invalid("environment_id: field required"))?
        .to_string();
    let metadata = match b.get("metadata") {
        Some(Value::Object(m)) => {
            check_metadata(m)?;
            m.clone()
        }
        _ => Map::new(),
    };
    let initial = b
        .get("initial_events")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if initial.len() > 50 {
        return Err(ApiErr::invalid("at most 50 initial_events"));
    }
    let shared = s.clone();
    let (sid, inputs_rx, echoes) = {
        let mut w = s.lock();
        let versions = w
            .agents
            .get(&agent_id)
            .ok_or_else(|| ApiErr::not_found("agent", &agent_id))?;
        let agent = match version {
            None => versions.last().cloned(),
            Some(v) => versions.get((v as usize).wrapping_sub(1)).cloned(),
        }
        .ok_or_else(|| ApiErr::not_found("agent version", &format!("{agent_id}@{version:?}")))?;
        let env = w
            .environments
            .iter()
            .find(|e| e["id"] == env_id.as_str())
            .cloned()
            .ok_or_else(|| {
                ApiErr::not_found("environment", &env_id).code("environment_not_found")
            })?;
        if !env["archived_at"].is_null() {
            return Err(ApiErr::invalid(
                "archived environments cannot be used to create new sessions",
            )
            .code("environment_archived"));
        }
        let vault_ids: Vec<Value> = b
            .get("vault_ids")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for v in &vault_ids {
            let v = v.as_str().unwrap_or("");
            if !w.vaults.iter().any(|x| x["id"] == v) {
                return Err(ApiErr::not_found("vault", v));
            }
        }
        let mut resources = Vec::new();
        for r in b
            .get("resources")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
        {
            resources.push(resolve_resource(&mut w, &r)?);
        }
        let sid = w.id("sesn");
        let now = w.now();
        let obj = json!({
            "id": sid, "type": "session", "status": "idle", "title": b.get("title").cloned().unwrap_or(Value::Null),
            "environment_id": env_id, "agent": snapshot(&agent), "resources": resources, "vault_ids": vault_ids,
            "metadata": metadata, "budget": b.get("budget").cloned().unwrap_or(Value::Null), "outcome_evaluations": [],
            "stats": {"active_seconds": 0, "duration_seconds": 0},
            "usage": {"input_tokens": 0, "output_tokens": 0, "cache_read_input_tokens": 0, "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0}},
            "deployment_id": Value::Null, "created_at": now, "updated_at": now, "archived_at": Value::Null,
        });
        let (tx, _) = broadcast::channel(4096);
        let (inputs, inputs_rx) = mpsc::unbounded_channel();
        let resources = obj["resources"].as_array().cloned().unwrap_or_default();
        w.sessions.push((
            sid.clone(),
            SessionRt {
                obj,
                log: Vec::new(),
                tx,
                inputs,
                pending: Default::default(),
                resources,
                faults: None,
                worker: None,
            },
        ));
        let echoes = accept_events(&mut w, &sid, &initial)?;
        (sid, inputs_rx, echoes)
    };
    let worker = tokio::spawn(crate::sim::worker(shared.clone(), sid.clone(), inputs_rx));
    let mut w = s.lock();
    let session = session_mut(&mut w, &sid)?;
    session.worker = Some(worker.abort_handle());
    for input in echoes {
        let _ = session.inputs.send(input);
    }
    Ok(Json(session.obj.clone()))
}

pub async fn get(State(s): S, Path(id): Path<String>) -> ApiResult {
    let mut w = s.lock();
    Ok(Json(session_mut(&mut w, &id)?.obj.clone()))
}

pub async fn update(State(s): S, Path(id): Path<String>, body: Bytes) -> ApiResult {
    let b = body_object(&body)?;
    let mut w = s.lock();
    let now = w.now();
    let session = session_mut(&mut w, &id)?;
    if b.contains_key("vault_ids") {
        return Err(ApiErr::invalid("updating vault_ids is not yet supported"));
    }
    let mut changed = json!({"type": "session.updated"});
    if let Some(t) = b.get("title") {
        let title = match t {
            Value::String(s) if s.is_empty() => Value::Null,
            Value::String(_) | Value::Null => t.clone(),
            _ => return Err(ApiErr::invalid("title must be a string or null")),
        };
        session.obj["title"] = title.clone();
        changed["title"] = title;
    }
    if let Some(patch) = b.get("metadata") {
        let mut m = session.obj["metadata"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        patch_metadata(&mut m, patch, false)?;
        session.obj["metadata"] = Value::Object(m);
        changed["metadata"] = session.obj["metadata"].clone();
    }
    if let Some(budget) = b.get("budget") {
        // Reference §5.3: a cap can only be replaced (raised) or removed, never added later.
        if !budget.is_null() {
            if session.obj["budget"].is_null() {
                return Err(ApiErr::invalid(
                    "a budget can only be set when the session is created",
                )
                .code("budget_create_only"));
            }
            let amount = budget["max_list_cost"]["amount"]
                .as_str()
                .and_then(|a| a.parse::<u64>().ok())
                .filter(|_| budget["type"] == "limit")
                .ok_or_else(|| {
                    ApiErr::invalid(
                        "budget: expected {type: limit, max_list_cost: {amount, currency}}",
                    )
                })?;
            let spent = session.obj["usage"]["list_cost"]["amount"]
                .as_str()
                .and_then(|a| a.parse::<u64>().ok())
                .unwrap_or(0);
            if amount <= spent {
                return Err(ApiErr::invalid(format!(
                    "the budget must be raised above the {spent} already consumed"
                ))
                .code("budget_not_raised"));
            }
        }
        session.obj["budget"] = budget.clone();
        changed["budget"] = budget.clone();
    }
    if let Some(agent) = b.get("agent") {
        if session.obj["status"] == "running" {
            return Err(ApiErr::invalid(
                "the agent of a running session cannot change",
            ));
        }
        for k in ["tools", "mcp_servers"] {
            if let Some(v) = agent.get(k) {
                session.obj["agent"][k] = v.clone();
            }
        }
        changed["agent"] = session.obj["agent"].clone();
    }
    session.obj["updated_at"] = json!(now);
    let obj = session.obj.clone();
    if changed.as_object().is_some_and(|m| m.len() > 1) {
        w.append(&id, changed);
    }
    Ok(Json(obj))
}

pub async fn list(State(s): S, RawQuery(q): RawQuery) -> ApiResult {
    let q = Params::parse(q.as_deref());
    let include_archived = q.flag("include_archived")?;
    let statuses = q.all("statuses");
    for st in &statuses {
        if !matches!(
            st.as_str(),
            "idle" | "running" | "rescheduling" | "terminated"
        ) {
            return Err(ApiErr::invalid(format!("unknown status {st:?}")));
        }
    }
    if q.get("agent_version").is_some() && q.get("agent_id").is_none() {
        return Err(ApiErr::invalid("agent_version requires agent_id"));
    }
    let w = s.lock();
    let mut items: Vec<Value> = w
        .sessions
        .iter()
        .map(|(_, s)| s.obj.clone())
        .filter(|o| include_archived || o["archived_at"].is_null())
        .filter(|o| statuses.is_empty() || statuses.iter().any(|st| o["status"] == st.as_str()))
        .filter(|o| q.get("agent_id").is_none_or(|a| o["agent"]["id"] == a))
        .filter(|o| {
            q.get("deployment_id")
                .is_none_or(|d| o["deployment_id"] == d)
        })
        .filter(|o| {
            q.get("memory_store_id").is_none_or(|m| {
                o["resources"].as_array().is_some_and(|rs| {
                    rs.iter()
                        .any(|r| r["type"] == "memory_store" && r["memory_store_id"] == m)
                })
            })
        })
        .filter(|o| {
            q.get("agent_version").is_none_or(|v| {
                o["agent"]["version"]
                    .as_u64()
                    .map(|n| n.to_string())
                    .as_deref()
                    == Some(v)
            })
        })
        .collect();
    let desc = match q.get("order") {
        None | Some("desc") => true,
        Some("asc") => false,
        Some(other) => {
            return Err(ApiErr::invalid(format!(
                "order must be asc or desc, not {other:?}"
            )))
        }
    };
    if desc {
        items.reverse();
    }
    let items = time_filter(&q, "created_at", items)?;
    paginate_keyed(items, &q, (20, 100), true, "created_at", desc)
}

pub async fn delete(State(s): S, Path(id): Path<String>) -> ApiResult {
    let mut w = s.lock();
    let now = w.now();
    let pos = w
        .sessions
        .iter()
        .position(|(sid, _)| *sid == id)
        .ok_or_else(|| ApiErr::not_found("session", &id))?;
    let (_, rt) = w.sessions.remove(pos);
    if let Some(worker) = rt.worker {
        worker.abort();
    }
    let last = json!({"type": "session.deleted", "id": w.id("sevt"), "processed_at": now});
    let _ = rt.tx.send(Frame::Deleted(Arc::new(last)));
    w.deleted_sessions.insert(id.clone());
    Ok(Json(json!({"id": id, "type": "session_deleted"})))
}

pub async fn archive(State(s): S, Path(id): Path<String>) -> ApiResult {
    let mut w = s.lock();
    let now = w.now();
    let session = session_mut(&mut w, &id)?;
    Ok(Json(archive_in_place(&mut session.obj, &now)))
}

pub async fn list_events(State(s): S, Path(id): Path<String>, RawQuery(q): RawQuery) -> ApiResult {
    let q = Params::parse(q.as_deref());
    let types = q.all("types");
    let mut w = s.lock();
    let session = session_mut(&mut w, &id)?;
    let mut items: Vec<Value> = session
        .log
        .iter()
        .map(|e| (**e).clone())
        .filter(|e| types.is_empty() || types.iter().any(|t| e["type"] == t.as_str()))
        .collect();
    let desc = match q.get("order") {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(other) => {
            return Err(ApiErr::invalid(format!(
                "order must be asc or desc, not {other:?}"
            )))
        }
    };
    if desc {
        items.reverse();
    }
    drop(w);
    let items = time_filter(&q, "processed_at", items)?;
    let page = paginate_keyed(items, &q, (1000, 1000), false, "processed_at", desc)?;
    count_history(&s, &page);
    Ok(page)
}

/// Counts the events a history page returned, for `FakeStats`.
fn count_history(s: &Shared, page: &Json<Value>) {
    if let Some(data) = page.0["data"].as_array() {
        s.stats
            .record_history(data.iter().filter_map(|e| e["id"].as_str()));
    }
}

fn text_of(content: Option<&Value>) -> String {
    content
        .and_then(Value::as_array)
        .map(|blocks| {
            blocks
                .iter()
                .filter_map(|b| b["text"].as_str())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

/// Validates and appends client events; returns what the agent worker must be told.
fn accept_events(w: &mut World, sid: &str, events: &[Value]) -> ApiResult<Vec<Input>> {
    let self_hosted = {
        let env_id = session_mut(w, sid)?.obj["environment_id"].clone();
        w.environments
            .iter()
            .any(|e| e["id"] == env_id && e["config"]["type"] == "self_hosted")
    };
    // The text of each uploaded file an outcome names as its rubric (`None`: no such file).
    let rubric_files: std::collections::HashMap<String, Option<String>> = events
        .iter()
        .filter_map(|e| e["rubric"]["file_id"].as_str())
        .map(|id| {
            let text = w
                .files
                .iter()
                .find(|(m, _)| m["id"] == id)
                .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned());
            (id.to_string(), text)
        })
        .collect();
    let session = session_mut(w, sid)?;
    if session.obj["status"] == "terminated" {
        return Err(ApiErr::invalid(
            "the session is terminated and accepts no more input",
        ));
    }
    let mut pending = session.pending.clone();
    let mut inputs = Vec::new();
    let mut echoes = Vec::new();
    for (i, e) in events.iter().enumerate() {
        let kind = e.get("type").and_then(Value::as_str).unwrap_or("");
        let mut echo = e
            .as_object()
            .cloned()
            .ok_or_else(|| ApiErr::invalid("each event must be an object"))?;
        match kind {
            "user.message" => {
                let ok = e
                    .get("content")
                    .and_then(Value::as_array)
                    .is_some_and(|c| !c.is_empty());
                if !ok {
                    return Err(ApiErr::invalid(
                        "user.message: content must be a non-empty list of blocks",
                    ));
                }
                inputs.push(Input::Message(text_of(e.get("content"))));
            }
            "user.interrupt" => inputs.push(Input::Interrupt),
            "user.tool_confirmation" => {
                let id = e.get("tool_use_id").and_then(Value::as_str).unwrap_or("");
                let result = e.get("result").and_then(Value::as_str).unwrap_or("");
                if !matches!(result, "allow" | "deny") {
                    return Err(ApiErr::invalid(
                        "user.tool_confirmation: result must be allow or deny",
                    ));
                }
                if pending.get(id) != Some(&"user.tool_confirmation") {
                    return Err(ApiErr::invalid(format!(
                        "no tool use {id:?} is waiting for a confirmation"
                    )));
                }
                pending.remove(id);
                echo.insert("session_thread_id".into(), Value::Null);
                inputs.push(Input::Resolve {
                    event_id: id.into(),
                    allow: result == "allow",
                    text: e
                        .get("deny_message")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .into(),
                });
            }
            "user.custom_tool_result" => {
                let id = e
                    .get("custom_tool_use_id")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                if pending.get(id) != Some(&"user.custom_tool_result") {
                    return Err(ApiErr::invalid(format!(
                        "no custom tool use {id:?} is waiting for a result"
                    )));
                }
                pending.remove(id);
                inputs.push(Input::Resolve {
                    event_id: id.into(),
                    allow: true,
                    text: text_of(e.get("content")),
                });
            }
            "user.tool_result" => {
                if !self_hosted {
                    return Err(ApiErr::invalid(
                        "user.tool_result is only valid on self_hosted environments",
                    ));
                }
            }
            "user.define_outcome" => {
                let description = e.get("description").and_then(Value::as_str).unwrap_or("");
                if description.is_empty() || e.get("rubric").is_none() {
                    return Err(ApiErr::invalid(
                        "user.define_outcome needs a description and a rubric",
                    ));
                }
                let max = match e.get("max_iterations") {
                    None | Some(Value::Null) => 3,
                    Some(v) => match v.as_u64() {
                        Some(n @ 1..=20) => n as u32,
                        _ => {
                            return Err(ApiErr::invalid(
                                "user.define_outcome: max_iterations must be between 1 and 20",
                            ))
                        }
                    },
                };
                let points = |text: &str| {
                    text.lines()
                        .map(|l| l.trim().trim_start_matches(['-', '*', ' ']).to_string())
                        .filter(|l| !l.is_empty())
                        .collect::<Vec<_>>()
                };
                let criteria = match &e["rubric"] {
                    r if r["type"] == "text" && r["content"].is_string() => {
                        points(r["content"].as_str().unwrap_or(""))
                    }
                    r if r["type"] == "file" && r["file_id"].is_string() => {
                        let id = r["file_id"].as_str().unwrap_or("");
                        match rubric_files.get(id) {
                            Some(Some(text)) => points(text),
                            _ => return Err(ApiErr::not_found("file", id)),
                        }
                    }
                    _ => {
                        return Err(ApiErr::invalid(
                            "user.define_outcome: rubric must be {type: text, content} or {type: file, file_id}",
                        ))
                    }
                };
                if criteria.is_empty() {
                    return Err(ApiErr::invalid("user.define_outcome: the rubric is empty"));
                }
                // One outcome id per definition: the session's outcomes so far, this batch's too.
                let defined = session.obj["outcome_evaluations"]
                    .as_array()
                    .map_or(0, Vec::len)
                    + echoes
                        .iter()
                        .filter(|e: &&Value| e["type"] == "user.define_outcome")
                        .count();
                let outcome_id = format!("outc_{}{:02}", &sid[5..], defined + 1);
                echo.insert("outcome_id".into(), json!(outcome_id));
                echo.insert("max_iterations".into(), json!(max));
                inputs.push(Input::Outcome(crate::world::OutcomeWork {
                    outcome_id,
                    description: description.to_string(),
                    criteria,
                    max_iterations: max,
                }));
            }
            "system.message" => {
                let follows = i > 0
                    && matches!(
                        events[i - 1]["type"].as_str(),
                        Some("user.message" | "user.tool_result" | "user.custom_tool_result")
                    );
                if i + 1 != events.len() || !follows {
                    return Err(ApiErr::invalid(
                        "system.message must be last and follow the message it accompanies",
                    ));
                }
            }
            other => {
                return Err(ApiErr::invalid(format!(
                    "events of type {other:?} cannot be sent"
                )))
            }
        }
        echoes.push(Value::Object(echo));
    }
    session.pending = pending;
    for echo in echoes {
        w.append(sid, echo);
    }
    Ok(inputs)
}

pub async fn send_events(State(s): S, Path(id): Path<String>, body: Bytes) -> ApiResult {
    let b = body_object(&body)?;
    let events = b
        .get("events")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if events.is_empty() {
        return Err(ApiErr::invalid("events: a non-empty list is required"));
    }
    let mut w = s.lock();
    let before = session_mut(&mut w, &id)?.log.len();
    let inputs = accept_events(&mut w, &id, &events)?;
    let session = session_mut(&mut w, &id)?;
    let echoed: Vec<Value> = session.log[before..before + events.len()]
        .iter()
        .map(|e| {
            let mut e = (**e).clone();
            e["processed_at"] = Value::Null;
            e
        })
        .collect();
    for input in inputs {
        let _ = session.inputs.send(input);
    }
    Ok(Json(json!({"data": echoed})))
}

fn sse_frame(value: &Value) -> SseEvent {
    let name = value
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("message");
    SseEvent::default().event(name).data(value.to_string())
}

pub async fn stream(State(s): S, Path(id): Path<String>, RawQuery(q): RawQuery) -> Response {
    let q = Params::parse(q.as_deref());
    let deltas = q
        .all("event_deltas")
        .iter()
        .any(|d| d == "agent.message" || d == "agent.thinking");
    let (mut rx, faults) = {
        let mut w = s.lock();
        let instance = s.faults();
        let Some(session) = w.session(&id) else {
            return ApiErr::not_found("session", &id).into_response();
        };
        let mut faults = session.faults.clone().unwrap_or(instance);
        if !faults.fail_streams.is_empty() {
            let (status, retry_after) = faults.fail_streams.remove(0);
            match &mut session.faults {
                Some(f) => f.fail_streams = faults.fail_streams.clone(),
                None => s.set_faults(faults.clone()),
            }
            let kind = if status == 429 {
                "rate_limit_error"
            } else if status == 529 {
                "overloaded_error"
            } else {
                "api_error"
            };
            let mut e = ApiErr::new(status, kind, "injected stream failure");
            e.retry_after = retry_after;
            return e.into_response();
        }
        (session.tx.subscribe(), faults)
    };
    let ping = s.config.ping_interval;
    let stats = s.stats.clone();
    let (tx, out) = mpsc::channel::<Result<SseEvent, Infallible>>(64);
    tokio::spawn(async move {
        let mut frames = 0usize;
        let mut events = 0usize;
        let mut ticker = tokio::time::interval(ping);
        ticker.tick().await;
        loop {
            if faults.stall_after_frames.is_some_and(|n| frames >= n) {
                // Silent but open: only the client's watchdog ends this.
                tx.closed().await;
                return;
            }
            if faults.drop_after_frames.is_some_and(|n| frames >= n) {
                return;
            }
            let (frame, closing) = tokio::select! {
                _ = ticker.tick() => (Some((SseEvent::default().event("ping").data("{}"), None)), false),
                received = rx.recv() => match received {
                    Ok(Frame::Event(e)) => {
                        events += 1;
                        let repeat = faults.repeat_every.is_some_and(|n| n > 0 && events.is_multiple_of(n));
                        if repeat {
                            if tx.send(Ok(sse_frame(&e))).await.is_err() {
                                return;
                            }
                            stats.record_streamed(e["id"].as_str().unwrap_or(""));
                        }
                        (Some((sse_frame(&e), e["id"].as_str().map(str::to_string))), false)
                    }
                    Ok(Frame::Preview(p)) if deltas => (Some((sse_frame(&p), None)), false),
                    Ok(Frame::Preview(_)) => (None, false),
                    Ok(Frame::Deleted(e)) => (Some((sse_frame(&e), e["id"].as_str().map(str::to_string))), true),
                    Err(broadcast::error::RecvError::Lagged(_)) | Err(broadcast::error::RecvError::Closed) => return,
                },
            };
            let Some((frame, event_id)) = frame else {
                continue;
            };
            if let Some(d) = faults.delay_frames {
                tokio::time::sleep(d).await;
            }
            if tx.send(Ok(frame)).await.is_err() {
                return;
            }
            if let Some(id) = event_id {
                stats.record_streamed(&id);
            }
            frames += 1;
            if closing {
                return;
            }
        }
    });
    let stream = futures_util::stream::unfold(out, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    Sse::new(stream).into_response()
}

pub async fn resources_list(
    State(s): S,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let q = Params::parse(q.as_deref());
    let mut w = s.lock();
    let items = session_mut(&mut w, &id)?.resources.clone();
    paginate(items, &q, 1000, 1000, false)
}

pub async fn resources_add(State(s): S, Path(id): Path<String>, body: Bytes) -> ApiResult {
    let b = Value::Object(body_object(&body)?);
    if b["type"] != "file" {
        return Err(ApiErr::invalid(
            "only file resources can be added to a running session",
        ));
    }
    let mut w = s.lock();
    session_mut(&mut w, &id)?;
    let r = resolve_resource(&mut w, &b)?;
    session_mut(&mut w, &id)?.resources.push(r.clone());
    Ok(Json(r))
}

pub async fn resource_get(State(s): S, Path((id, rid)): Path<(String, String)>) -> ApiResult {
    let mut w = s.lock();
    let session = session_mut(&mut w, &id)?;
    session
        .resources
        .iter()
        .find(|r| r["id"] == rid.as_str())
        .cloned()
        .map(Json)
        .ok_or_else(|| ApiErr::not_found("resource", &rid))
}

pub async fn resource_update(
    State(s): S,
    Path((id, rid)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult {
    let b = body_object(&body)?;
    let token = b
        .get("authorization_token")
        .and_then(Value::as_str)
        .unwrap_or("");
    if token.is_empty() {
        return Err(ApiErr::invalid("authorization_token: field required"));
    }
    let mut w = s.lock();
    let now = w.now();
    let session = session_mut(&mut w, &id)?;
    let r = session
        .resources
        .iter_mut()
        .find(|r| r["id"] == rid.as_str())
        .ok_or_else(|| ApiErr::not_found("resource", &rid))?;
    if r["type"] != "github_repository" {
        return Err(ApiErr::invalid(
            "only github_repository resources support token rotation",
        ));
    }
    r["updated_at"] = json!(now);
    Ok(Json(r.clone()))
}

pub async fn resource_delete(State(s): S, Path((id, rid)): Path<(String, String)>) -> ApiResult {
    let mut w = s.lock();
    let session = session_mut(&mut w, &id)?;
    let before = session.resources.len();
    session.resources.retain(|r| r["id"] != rid.as_str());
    if session.resources.len() == before {
        return Err(ApiErr::not_found("resource", &rid));
    }
    Ok(Json(json!({"id": rid, "type": "session_resource_deleted"})))
}

/// Sessions without multiagent have one primary thread, named after the session.
fn primary_thread(obj: &Value) -> Value {
    let sid = obj["id"].as_str().unwrap_or("");
    json!({"id": format!("sthr_{}", sid.trim_start_matches("sesn_")), "type": "session_thread", "session_id": sid, "parent_thread_id": Value::Null,
        "agent": {"type": "agent", "id": obj["agent"]["id"], "version": obj["agent"]["version"], "name": obj["agent"]["name"]},
        "status": obj["status"], "stats": obj["stats"], "usage": obj["usage"], "workflow_run_id": Value::Null,
        "created_at": obj["created_at"], "updated_at": obj["updated_at"], "archived_at": Value::Null})
}

pub async fn threads_list(State(s): S, Path(id): Path<String>, RawQuery(q): RawQuery) -> ApiResult {
    let q = Params::parse(q.as_deref());
    let mut w = s.lock();
    let t = primary_thread(&session_mut(&mut w, &id)?.obj);
    let statuses = q.all("statuses");
    let items = if statuses.is_empty() || statuses.iter().any(|st| t["status"] == st.as_str()) {
        vec![t]
    } else {
        vec![]
    };
    paginate(items, &q, 1000, 1000, false)
}

pub async fn thread_get(State(s): S, Path((id, tid)): Path<(String, String)>) -> ApiResult {
    let mut w = s.lock();
    let t = primary_thread(&session_mut(&mut w, &id)?.obj);
    if t["id"] != tid.as_str() {
        return Err(ApiErr::not_found("thread", &tid));
    }
    Ok(Json(t))
}

pub async fn thread_archive(State(s): S, Path((id, tid)): Path<(String, String)>) -> ApiResult {
    let Json(mut t) = thread_get(State(s.clone()), Path((id, tid))).await?;
    t["archived_at"] = json!(s.lock().now());
    Ok(Json(t))
}

pub async fn thread_events(
    State(s): S,
    Path((id, tid)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let _exists = thread_get(State(s.clone()), Path((id.clone(), tid))).await?;
    let q = Params::parse(q.as_deref());
    let mut w = s.lock();
    let items = session_mut(&mut w, &id)?
        .log
        .iter()
        .map(|e| (**e).clone())
        .collect();
    drop(w);
    let page = paginate(items, &q, 1000, 1000, false)?;
    count_history(&s, &page);
    Ok(page)
}

pub async fn thread_stream(
    State(s): S,
    Path((id, tid)): Path<(String, String)>,
    q: RawQuery,
) -> Response {
    if let Err(e) = thread_get(State(s.clone()), Path((id.clone(), tid))).await {
        return e.into_response();
    }
    stream(State(s.clone()), Path(id), q).await
}
