//! Deployments and deployment runs (reference §5.11; issue 14). Schedules run for real: a cron
//! evaluator ([`hangar_model::cron`], read in the deployment's IANA time zone with `jiff`)
//! finds each due time, and [`tick`] — called by the fake's scheduler every 200 ms and at once
//! by `FakeServer::advance_clock` — records a run per due time and starts its session through
//! the same handler `POST /v1/sessions` uses, so the run's session is a real simulated session.
//! A run that cannot start records its error and pauses the deployment with that reason.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::Json;
use hangar_model::cron::{Civil, Cron};
use serde_json::{json, Map, Value};

use crate::http::{
    body_object, check_metadata, paginate_keyed, parse_time, patch_metadata, time_filter, ApiErr,
    ApiResult, Params,
};
use crate::world::{format_us, World};
use crate::Shared;

type S = State<Arc<Shared>>;

/// How many upcoming times a schedule shows.
const UPCOMING: usize = 5;
/// At most this many missed times are run in one tick (a clock moved by weeks runs the newest).
const CATCH_UP: usize = 10;

/// The deployment state of the fake.
#[derive(Default)]
pub struct DeploymentState {
    pub deployments: Vec<Value>,
    /// Per deployment: the instant (µs) after which its schedule's next time is looked for.
    pub anchors: Vec<(String, i64)>,
    pub runs: Vec<Value>,
}

impl DeploymentState {
    fn anchor(&self, id: &str) -> Option<i64> {
        self.anchors.iter().find(|(d, _)| d == id).map(|(_, a)| *a)
    }
    fn set_anchor(&mut self, id: &str, at: i64) {
        match self.anchors.iter_mut().find(|(d, _)| d == id) {
            Some(slot) => slot.1 = at,
            None => self.anchors.push((id.to_string(), at)),
        }
    }
}

fn zone(name: &str) -> ApiResult<jiff::tz::TimeZone> {
    jiff::tz::TimeZone::get(name).map_err(|_| {
        ApiErr::invalid(format!(
            "schedule.timezone: {name:?} is not an IANA time zone"
        ))
    })
}

fn civil_at(us: i64, tz: &jiff::tz::TimeZone) -> Option<Civil> {
    let dt = jiff::Timestamp::from_microsecond(us)
        .ok()?
        .to_zoned_datetime(tz.clone())
        .datetime();
    Some(Civil {
        year: i32::from(dt.year()),
        month: dt.month() as u32,
        day: dt.day() as u32,
        hour: dt.hour() as u32,
        minute: dt.minute() as u32,
    })
}

fn instant_of(c: Civil, tz: &jiff::tz::TimeZone) -> Option<i64> {
    let dt = jiff::civil::DateTime::new(
        i16::try_from(c.year).ok()?,
        c.month as i8,
        c.day as i8,
        c.hour as i8,
        c.minute as i8,
        0,
        0,
    )
    .ok()?;
    Some(
        dt.to_zoned_datetime(tz.clone())
            .ok()?
            .timestamp()
            .as_microsecond(),
    )
}

/// The first time strictly after `after_us` (µs) that `expr` names in `tz`.
pub fn next_run(expr: &str, tz_name: &str, after_us: i64) -> Option<i64> {
    let cron = Cron::parse(expr).ok()?;
    let tz = jiff::tz::TimeZone::get(tz_name).ok()?;
    let mut from = civil_at(after_us, &tz)?;
    for _ in 0..8 {
        let next = cron.next_after(from)?;
        let at = instant_of(next, &tz)?;
        if at > after_us {
            return Some(at);
        }
        from = next;
    }
    None
}

fn check_schedule(v: &Value) -> ApiResult<Value> {
    if v["type"] != "cron" {
        return Err(ApiErr::invalid("schedule.type must be cron"));
    }
    let expr = v["expression"]
        .as_str()
        .ok_or_else(|| ApiErr::invalid("schedule.expression: field required"))?;
    Cron::parse(expr).map_err(|e| ApiErr::invalid(format!("schedule.expression: {e}")))?;
    let tz = v["timezone"]
        .as_str()
        .ok_or_else(|| ApiErr::invalid("schedule.timezone: field required"))?;
    zone(tz)?;
    Ok(
        json!({"type": "cron", "expression": expr, "timezone": tz, "last_run_at": Value::Null, "upcoming_runs_at": []}),
    )
}

/// Fills `schedule.upcoming_runs_at` for an answer.
fn with_upcoming(w: &World, mut d: Value) -> Value {
    if d["schedule"].is_object() {
        let mut upcoming = Vec::new();
        if d["status"] == "active" && d["archived_at"].is_null() {
            let id = d["id"].as_str().unwrap_or("");
            let mut at = w.deployments.anchor(id).unwrap_or(0).max(w.now_us());
            let expr = d["schedule"]["expression"].as_str().unwrap_or("");
            let tz = d["schedule"]["timezone"].as_str().unwrap_or("UTC");
            while upcoming.len() < UPCOMING {
                match next_run(expr, tz, at) {
                    Some(n) => {
                        upcoming.push(json!(format_us(n).replace(".000000Z", "Z")));
                        at = n;
                    }
                    None => break,
                }
            }
        }
        d["schedule"]["upcoming_runs_at"] = json!(upcoming);
    }
    d
}

fn agent_ref(w: &World, v: Option<&Value>) -> ApiResult<Value> {
    let (id, version) = match v {
        Some(Value::String(id)) => (id.clone(), None),
        Some(Value::Object(o)) if o.get("type").and_then(Value::as_str) == Some("agent") => (
            o.get("id")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            o.get("version").and_then(Value::as_u64),
        ),
        _ => {
            return Err(ApiErr::invalid(
                "agent: an agent id or {type: \"agent\", id, version} is required",
            ))
        }
    };
    let versions = w
        .agents
        .get(&id)
        .ok_or_else(|| ApiErr::not_found("agent", &id))?;
    let latest = versions.last().cloned().unwrap_or(Value::Null);
    if !latest["archived_at"].is_null() {
        return Err(ApiErr::invalid(format!(
            "agent {id} is archived and cannot be used by deployments"
        )));
    }
    let n = latest["version"].as_u64().unwrap_or(1);
    let version = match version {
        Some(v) if v >= 1 && v <= n => v,
        Some(v) => return Err(ApiErr::not_found("agent version", &format!("{id}@{v}"))),
        None => n,
    };
    Ok(json!({"type": "agent", "id": id, "version": version}))
}

fn initial_events(v: Option<&Value>) -> ApiResult<Value> {
    let events = v
        .and_then(Value::as_array)
        .ok_or_else(|| ApiErr::invalid("initial_events: field required"))?;
    if events.is_empty() || events.len() > 50 {
        return Err(ApiErr::invalid("initial_events: 1 to 50 events"));
    }
    for e in events {
        match e["type"].as_str() {
            Some("user.message" | "system.message") if e["content"].is_array() => {}
            Some("user.define_outcome") if e["description"].is_string() => {}
            other => {
                return Err(ApiErr::invalid(format!(
                    "initial_events: {other:?} is not a user.message, user.define_outcome or system.message"
                )))
            }
        }
    }
    Ok(json!(events))
}

fn env_checked(w: &World, id: &str) -> ApiResult<()> {
    let env = w
        .environments
        .iter()
        .find(|e| e["id"] == id)
        .ok_or_else(|| ApiErr::not_found("environment", id).code("environment_not_found"))?;
    if !env["archived_at"].is_null() {
        return Err(
            ApiErr::invalid("archived environments cannot be used by deployments")
                .code("environment_archived"),
        );
    }
    Ok(())
}

fn vaults_checked(w: &World, v: Option<&Value>) -> ApiResult<Value> {
    let ids = v.and_then(Value::as_array).cloned().unwrap_or_default();
    if ids.len() > 50 {
        return Err(ApiErr::invalid("vault_ids: at most 50"));
    }
    for id in &ids {
        let id = id.as_str().unwrap_or("");
        if !w.vaults.iter().any(|x| x["id"] == id) {
            return Err(ApiErr::not_found("vault", id));
        }
    }
    Ok(json!(ids))
}

fn resources_of(v: Option<&Value>) -> ApiResult<Value> {
    let rs = v.and_then(Value::as_array).cloned().unwrap_or_default();
    if rs.len() > 500 {
        return Err(ApiErr::invalid("resources: at most 500"));
    }
    // As configured, secrets dropped (a repository token is write-only).
    Ok(json!(rs
        .into_iter()
        .map(|mut r| {
            if let Some(o) = r.as_object_mut() {
                o.remove("authorization_token");
            }
            r
        })
        .collect::<Vec<_>>()))
}

fn find<'a>(w: &'a mut World, id: &str) -> ApiResult<&'a mut Value> {
    w.deployments
        .deployments
        .iter_mut()
        .find(|d| d["id"] == id)
        .ok_or_else(|| ApiErr::not_found("deployment", id))
}

pub async fn create(State(s): S, body: Bytes) -> ApiResult {
    let b = body_object(&body)?;
    let name = match b.get("name") {
        Some(Value::String(n)) if !n.trim().is_empty() && n.chars().count() <= 255 => n.clone(),
        _ => return Err(ApiErr::invalid("name: 1 to 255 characters required")),
    };
    let env_id = b
        .get("environment_id")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiErr::invalid("environment_id: field required"))?
        .to_string();
    let events = initial_events(b.get("initial_events"))?;
    let schedule = match b.get("schedule") {
        None | Some(Value::Null) => Value::Null,
        Some(v) => check_schedule(v)?,
    };
    let metadata = match b.get("metadata") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => {
            check_metadata(m)?;
            m.clone()
        }
        Some(_) => {
            return Err(ApiErr::invalid("metadata must be an object").code("invalid_metadata"))
        }
    };
    let resources = resources_of(b.get("resources"))?;
    let mut w = s.lock();
    let agent = agent_ref(&w, b.get("agent"))?;
    env_checked(&w, &env_id)?;
    let vaults = vaults_checked(&w, b.get("vault_ids"))?;
    let id = w.id("depl");
    let now = w.now();
    let d = json!({
        "id": id, "type": "deployment", "name": name,
        "description": b.get("description").cloned().unwrap_or(Value::Null),
        "agent": agent, "environment_id": env_id, "initial_events": events, "resources": resources,
        "vault_ids": vaults, "metadata": metadata, "schedule": schedule, "status": "active",
        "paused_reason": Value::Null, "budget": b.get("budget").cloned().unwrap_or(Value::Null),
        "created_at": now, "updated_at": now, "archived_at": Value::Null,
    });
    let at = w.now_us();
    w.deployments.set_anchor(&id, at);
    w.deployments.deployments.push(d.clone());
    Ok(Json(with_upcoming(&w, d)))
}

pub async fn get(State(s): S, Path(id): Path<String>) -> ApiResult {
    let mut w = s.lock();
    let d = find(&mut w, &id)?.clone();
    Ok(Json(with_upcoming(&w, d)))
}

pub async fn update(State(s): S, Path(id): Path<String>, body: Bytes) -> ApiResult {
    let b = body_object(&body)?;
    let mut w = s.lock();
    let mut next = find(&mut w, &id)?.clone();
    if !next["archived_at"].is_null() {
        return Err(ApiErr::invalid(format!(
            "deployment {id} is archived and cannot be changed"
        )));
    }
    if b.contains_key("agent") {
        next["agent"] = agent_ref(&w, b.get("agent"))?;
    }
    if let Some(e) = b.get("environment_id") {
        let e = e
            .as_str()
            .ok_or_else(|| ApiErr::invalid("environment_id must be a string"))?;
        env_checked(&w, e)?;
        next["environment_id"] = json!(e);
    }
    if let Some(n) = b.get("name") {
        match n {
            Value::String(n) if !n.trim().is_empty() => next["name"] = json!(n),
            _ => return Err(ApiErr::invalid("name cannot be cleared")),
        }
    }
    if b.contains_key("description") {
        next["description"] = b["description"].clone();
    }
    if b.contains_key("initial_events") {
        next["initial_events"] = initial_events(b.get("initial_events"))?;
    }
    if b.contains_key("resources") {
        next["resources"] = resources_of(b.get("resources"))?;
    }
    if b.contains_key("vault_ids") {
        next["vault_ids"] = vaults_checked(&w, b.get("vault_ids"))?;
    }
    if b.contains_key("budget") {
        next["budget"] = b["budget"].clone();
    }
    if let Some(patch) = b.get("metadata") {
        let mut m = next["metadata"].as_object().cloned().unwrap_or_default();
        patch_metadata(&mut m, patch, false)?;
        next["metadata"] = Value::Object(m);
    }
    let rescheduled = b.contains_key("schedule");
    if rescheduled {
        next["schedule"] = match b.get("schedule") {
            None | Some(Value::Null) => Value::Null,
            Some(v) => check_schedule(v)?,
        };
    }
    next["updated_at"] = json!(w.now());
    if rescheduled {
        let at = w.now_us();
        w.deployments.set_anchor(&id, at);
    }
    *find(&mut w, &id)? = next.clone();
    Ok(Json(with_upcoming(&w, next)))
}

pub async fn list(State(s): S, RawQuery(q): RawQuery) -> ApiResult {
    let q = Params::parse(q.as_deref());
    let include_archived = q.flag("include_archived")?;
    if let Some(st) = q.get("status") {
        if !matches!(st, "active" | "paused") {
            return Err(ApiErr::invalid("status must be active or paused"));
        }
    }
    let w = s.lock();
    let items: Vec<Value> = w
        .deployments
        .deployments
        .iter()
        .rev()
        .filter(|d| include_archived || d["archived_at"].is_null())
        .filter(|d| q.get("agent_id").is_none_or(|a| d["agent"]["id"] == a))
        .filter(|d| q.get("status").is_none_or(|st| d["status"] == st))
        .map(|d| with_upcoming(&w, d.clone()))
        .collect();
    let items = time_filter(&q, "created_at", items)?;
    paginate_keyed(items, &q, (20, 100), false, "created_at", true)
}

fn set_status(w: &mut World, id: &str, status: &str, reason: Value) -> ApiResult<Value> {
    let now = w.now();
    let d = find(w, id)?;
    if !d["archived_at"].is_null() {
        return Err(ApiErr::invalid(format!("deployment {id} is archived")));
    }
    if d["status"] != status || d["paused_reason"] != reason {
        d["status"] = json!(status);
        d["paused_reason"] = reason;
        d["updated_at"] = json!(now);
    }
    Ok(d.clone())
}

pub async fn pause(State(s): S, Path(id): Path<String>) -> ApiResult {
    let mut w = s.lock();
    let d = set_status(&mut w, &id, "paused", json!({"type": "manual"}))?;
    Ok(Json(with_upcoming(&w, d)))
}

pub async fn unpause(State(s): S, Path(id): Path<String>) -> ApiResult {
    let mut w = s.lock();
    let was_paused = find(&mut w, &id)?["status"] == "paused";
    let d = set_status(&mut w, &id, "active", Value::Null)?;
    if was_paused {
        // Times missed while paused are not run.
        let at = w.now_us();
        w.deployments.set_anchor(&id, at);
    }
    Ok(Json(with_upcoming(&w, d)))
}

pub async fn archive(State(s): S, Path(id): Path<String>) -> ApiResult {
    let mut w = s.lock();
    let now = w.now();
    let d = find(&mut w, &id)?;
    if d["archived_at"].is_null() {
        d["archived_at"] = json!(now);
        d["updated_at"] = json!(now);
    }
    let d = d.clone();
    Ok(Json(with_upcoming(&w, d)))
}

pub async fn run(State(s): S, Path(id): Path<String>) -> ApiResult {
    {
        let mut w = s.lock();
        let d = find(&mut w, &id)?;
        if !d["archived_at"].is_null() {
            return Err(ApiErr::invalid(format!(
                "deployment {id} is archived and cannot run"
            )));
        }
    }
    Ok(Json(fire(&s, &id, json!({"type": "manual"})).await))
}

/// Why a run of `d` cannot start, as a run error (`agent_archived_error`, …).
fn run_blocker(w: &World, d: &Value) -> Option<Value> {
    let agent_id = d["agent"]["id"].as_str().unwrap_or("");
    match w.latest_agent(agent_id) {
        Some(a) if !a["archived_at"].is_null() => {
            return Some(
                json!({"type": "agent_archived_error", "message": format!("agent {agent_id} is archived")}),
            )
        }
        None => {
            return Some(
                json!({"type": "unknown_error", "message": format!("agent {agent_id} not found")}),
            )
        }
        _ => {}
    }
    let env_id = d["environment_id"].as_str().unwrap_or("");
    match w.environments.iter().find(|e| e["id"] == env_id) {
        None => {
            return Some(
                json!({"type": "environment_not_found_error", "message": format!("environment {env_id} not found")}),
            )
        }
        Some(e) if !e["archived_at"].is_null() => {
            return Some(
                json!({"type": "environment_archived_error", "message": format!("environment {env_id} is archived")}),
            )
        }
        _ => {}
    }
    for v in d["vault_ids"].as_array().cloned().unwrap_or_default() {
        match w.vaults.iter().find(|x| x["id"] == v) {
            None => {
                return Some(
                    json!({"type": "vault_not_found_error", "message": format!("vault {v} not found")}),
                )
            }
            Some(x) if !x["archived_at"].is_null() => {
                return Some(
                    json!({"type": "vault_archived_error", "message": format!("vault {v} is archived")}),
                )
            }
            _ => {}
        }
    }
    for r in d["resources"].as_array().cloned().unwrap_or_default() {
        if r["type"] == "memory_store" {
            let m = r["memory_store_id"].as_str().unwrap_or("");
            if w.memory
                .stores
                .iter()
                .any(|x| x["id"] == m && !x["archived_at"].is_null())
            {
                return Some(
                    json!({"type": "memory_store_archived_error", "message": format!("memory store {m} is archived")}),
                );
            }
        }
    }
    None
}

/// Runs `id` now: starts its session (or records why not) and returns the run.
pub async fn fire(s: &Arc<Shared>, id: &str, trigger: Value) -> Value {
    let (d, blocker) = {
        let mut w = s.lock();
        let Ok(d) = find(&mut w, id).map(|d| d.clone()) else {
            return Value::Null;
        };
        let blocker = run_blocker(&w, &d);
        (d, blocker)
    };
    let (session_id, error) = match blocker {
        Some(e) => (Value::Null, e),
        None => {
            let body = json!({
                "agent": d["agent"], "environment_id": d["environment_id"],
                "title": d["name"], "initial_events": d["initial_events"], "resources": d["resources"],
                "vault_ids": d["vault_ids"], "budget": d["budget"], "metadata": d["metadata"],
            });
            match crate::sessions::create(State(s.clone()), Bytes::from(body.to_string())).await {
                Ok(Json(session)) => (session["id"].clone(), Value::Null),
                Err(e) => (
                    Value::Null,
                    json!({"type": "session_creation_rejected_error", "message": e.message}),
                ),
            }
        }
    };
    let mut w = s.lock();
    if let Some(sid) = session_id.as_str() {
        if let Some(session) = w.session(sid) {
            session.obj["deployment_id"] = json!(id);
        }
    }
    let run_id = w.id("drun");
    let now = w.now();
    let run = json!({
        "id": run_id, "type": "deployment_run", "deployment_id": id, "agent": d["agent"],
        "session_id": session_id, "error": if error.is_null() { Value::Null } else { error.clone() },
        "trigger_context": trigger, "created_at": now,
    });
    w.deployments.runs.push(run.clone());
    if let Ok(dep) = find(&mut w, id) {
        if let Some(at) = trigger.get("scheduled_at") {
            dep["schedule"]["last_run_at"] = at.clone();
        }
        if !error.is_null() {
            dep["status"] = json!("paused");
            dep["paused_reason"] = json!({"type": "error", "error": {"type": error["type"], "message": error["message"]}});
            dep["updated_at"] = json!(now);
        }
    }
    run
}

/// Runs every schedule that is due by the fake's clock. Returns the runs recorded.
pub async fn tick(s: &Arc<Shared>) -> Vec<Value> {
    let due: Vec<(String, i64)> = {
        let w = s.lock();
        let now = w.now_us();
        let mut due = Vec::new();
        for d in &w.deployments.deployments {
            if d["status"] != "active" || !d["archived_at"].is_null() || !d["schedule"].is_object()
            {
                continue;
            }
            let id = d["id"].as_str().unwrap_or("").to_string();
            let expr = d["schedule"]["expression"].as_str().unwrap_or("");
            let tz = d["schedule"]["timezone"].as_str().unwrap_or("UTC");
            let mut at = w.deployments.anchor(&id).unwrap_or(now);
            let mut times = Vec::new();
            while let Some(n) = next_run(expr, tz, at) {
                if n > now {
                    break;
                }
                times.push(n);
                at = n;
            }
            let skip = times.len().saturating_sub(CATCH_UP);
            due.extend(times.into_iter().skip(skip).map(|t| (id.clone(), t)));
        }
        due
    };
    let mut runs = Vec::new();
    for (id, at) in due {
        {
            let mut w = s.lock();
            // Another tick (the scheduler's, or an advance_clock) already ran this time.
            if w.deployments.anchor(&id).is_some_and(|a| a >= at) {
                continue;
            }
            w.deployments.set_anchor(&id, at);
            // Paused by an earlier error in this tick: stop.
            if find(&mut w, &id)
                .map(|d| d["status"] != "active")
                .unwrap_or(true)
            {
                continue;
            }
        }
        let scheduled_at = format_us(at).replace(".000000Z", "Z");
        runs.push(
            fire(
                s,
                &id,
                json!({"type": "schedule", "scheduled_at": scheduled_at}),
            )
            .await,
        );
    }
    runs
}

pub async fn run_get(State(s): S, Path(id): Path<String>) -> ApiResult {
    let w = s.lock();
    w.deployments
        .runs
        .iter()
        .find(|r| r["id"] == id.as_str())
        .cloned()
        .map(Json)
        .ok_or_else(|| ApiErr::not_found("deployment run", &id))
}

pub async fn run_list(State(s): S, RawQuery(q): RawQuery) -> ApiResult {
    let q = Params::parse(q.as_deref());
    let has_error = match q.get("has_error") {
        None => None,
        Some(_) => Some(q.flag("has_error")?),
    };
    if let Some(t) = q.get("trigger_type") {
        if !matches!(t, "schedule" | "manual") {
            return Err(ApiErr::invalid("trigger_type must be schedule or manual"));
        }
    }
    let w = s.lock();
    let items: Vec<Value> = w
        .deployments
        .runs
        .iter()
        .rev()
        .filter(|r| {
            q.get("deployment_id")
                .is_none_or(|d| r["deployment_id"] == d)
        })
        .filter(|r| has_error.is_none_or(|e| r["error"].is_null() != e))
        .filter(|r| {
            q.get("trigger_type")
                .is_none_or(|t| r["trigger_context"]["type"] == t)
        })
        .cloned()
        .collect();
    let items = time_filter(&q, "created_at", items)?;
    paginate_keyed(items, &q, (20, 100), false, "created_at", true)
}

/// Parses an RFC 3339 time (for `FakeServer::set_clock`).
pub fn parse(t: &str) -> Option<i64> {
    parse_time(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_in_time_zones() {
        let t = parse_time("2026-11-20T10:00:00Z").unwrap(); // a Friday
        let n = next_run("0 9 * * 1-5", "UTC", t).unwrap();
        assert_eq!(format_us(n), "2026-11-23T09:00:00.000000Z");
        // 9:00 in Paris is 8:00 UTC in winter.
        let n = next_run("0 9 * * 1-5", "Europe/Paris", t).unwrap();
        assert_eq!(format_us(n), "2026-11-23T08:00:00.000000Z");
        assert_eq!(next_run("0 9 * * 1-5", "Nowhere/City", t), None);
    }
}
