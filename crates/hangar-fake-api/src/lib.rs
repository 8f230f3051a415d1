//! A faithful in-memory fake of the Claude Managed Agents API (reference: `shared/api/reference.md`).
//!
//! It serves the families Hangar uses with the reference's paths, headers, JSON shapes, id
//! prefixes, status codes, error bodies, pagination, update and archive semantics, and SSE
//! framing, plus a deterministic simulated agent and fault injection. Start it in-process with
//! [`FakeServer::start`] (tests, the Demo profile) or as the `hangar-fake-api` binary.
//!
//! Tests read what it served from [`FakeServer::stats`] (requests per method and route
//! pattern, with arrival times; events per id served by history and by streams), and act as
//! someone else (the web console, another computer) with [`FakeServer::outside`], which is
//! never counted.
#![allow(
    missing_docs,
    reason = "handlers mirror the API reference; the public surface is FakeServer, FakeConfig, Faults, FakeStats"
)]

mod deployments;
mod faults;
mod http;
mod memory;
mod resources;
mod sessions;
mod sim;
mod stats;
mod world;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::routing::{get, post};
use axum::Router;
use serde_json::Value;

pub use faults::Faults;
pub use stats::{FakeStats, RequestRecord};

/// The beta value the Managed Agents families require.
pub const BETA: &str = "managed-agents-2026-04-01";
/// The beta value memory stores, memories and memory versions require (issue 14).
pub const MEMORY_BETA: &str = "agent-memory-2026-07-22";

/// How the fake behaves.
#[derive(Debug, Clone)]
pub struct FakeConfig {
    /// Only this key is accepted; `None` accepts any non-empty key.
    pub api_key: Option<String>,
    /// Pause between the simulated agent's steps.
    pub turn_delay: Duration,
    /// Interval of `event: ping` keep-alives on streams.
    pub ping_interval: Duration,
}

impl Default for FakeConfig {
    fn default() -> Self {
        Self {
            api_key: None,
            turn_delay: Duration::from_millis(250),
            ping_interval: Duration::from_secs(15),
        }
    }
}

/// State shared by every handler.
pub struct Shared {
    world: Mutex<world::World>,
    faults: Mutex<Faults>,
    config: FakeConfig,
    stats: FakeStats,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, world::World> {
        self.world
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
    fn faults(&self) -> Faults {
        self.faults
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
    fn set_faults(&self, f: Faults) {
        *self
            .faults
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = f;
    }
}

fn router(shared: Arc<Shared>) -> Router {
    use deployments as d;
    use memory as m;
    use resources as r;
    use sessions as s;
    Router::new()
        .route("/v1/agents", post(r::agent_create).get(r::agent_list))
        .route("/v1/agents/{id}", get(r::agent_get).post(r::agent_update))
        .route("/v1/agents/{id}/archive", post(r::agent_archive))
        .route("/v1/agents/{id}/versions", get(r::agent_versions))
        .route("/v1/environments", post(r::env_create).get(r::env_list))
        .route(
            "/v1/environments/{id}",
            get(r::env_get).post(r::env_update).delete(r::env_delete),
        )
        .route("/v1/environments/{id}/archive", post(r::env_archive))
        .route("/v1/sessions", post(s::create).get(s::list))
        .route(
            "/v1/sessions/{id}",
            get(s::get).post(s::update).delete(s::delete),
        )
        .route("/v1/sessions/{id}/archive", post(s::archive))
        .route(
            "/v1/sessions/{id}/events",
            get(s::list_events).post(s::send_events),
        )
        .route("/v1/sessions/{id}/events/stream", get(s::stream))
        .route(
            "/v1/sessions/{id}/resources",
            get(s::resources_list).post(s::resources_add),
        )
        .route(
            "/v1/sessions/{id}/resources/{rid}",
            get(s::resource_get)
                .post(s::resource_update)
                .delete(s::resource_delete),
        )
        .route("/v1/sessions/{id}/threads", get(s::threads_list))
        .route("/v1/sessions/{id}/threads/{tid}", get(s::thread_get))
        .route(
            "/v1/sessions/{id}/threads/{tid}/archive",
            post(s::thread_archive),
        )
        .route(
            "/v1/sessions/{id}/threads/{tid}/events",
            get(s::thread_events),
        )
        .route(
            "/v1/sessions/{id}/threads/{tid}/stream",
            get(s::thread_stream),
        )
        .route("/v1/vaults", post(r::vault_create).get(r::vault_list))
        .route(
            "/v1/vaults/{id}",
            get(r::vault_get)
                .post(r::vault_update)
                .delete(r::vault_delete),
        )
        .route("/v1/vaults/{id}/archive", post(r::vault_archive))
        .route(
            "/v1/vaults/{id}/credentials",
            post(r::cred_create).get(r::cred_list),
        )
        .route(
            "/v1/vaults/{id}/credentials/{cid}",
            get(r::cred_get).post(r::cred_update).delete(r::cred_delete),
        )
        .route(
            "/v1/vaults/{id}/credentials/{cid}/archive",
            post(r::cred_archive),
        )
        .route(
            "/v1/vaults/{id}/credentials/{cid}/mcp_oauth_validate",
            post(r::cred_validate),
        )
        .route("/v1/files", post(r::file_upload).get(r::file_list))
        .route("/v1/files/{id}", get(r::file_get).delete(r::file_delete))
        .route("/v1/files/{id}/content", get(r::file_content))
        .route("/v1/skills", post(r::skill_create).get(r::skill_list))
        .route("/v1/skills/{id}", get(r::skill_get).delete(r::skill_delete))
        .route(
            "/v1/skills/{id}/versions",
            get(r::skill_versions).post(r::skill_version_create),
        )
        .route(
            "/v1/skills/{id}/versions/{v}",
            get(r::skill_version_get).delete(r::skill_version_delete),
        )
        // Issue 14 (beyond): memory stores, deployments, deployment runs.
        .route(
            "/v1/memory_stores",
            post(m::store_create).get(m::store_list),
        )
        .route(
            "/v1/memory_stores/{id}",
            get(m::store_get)
                .post(m::store_update)
                .delete(m::store_delete),
        )
        .route("/v1/memory_stores/{id}/archive", post(m::store_archive))
        .route(
            "/v1/memory_stores/{id}/memories",
            post(m::memory_create).get(m::memory_list),
        )
        .route(
            "/v1/memory_stores/{id}/memories/{mid}",
            get(m::memory_get)
                .post(m::memory_update)
                .delete(m::memory_delete),
        )
        .route(
            "/v1/memory_stores/{id}/memory_versions",
            get(m::version_list),
        )
        .route(
            "/v1/memory_stores/{id}/memory_versions/{vid}",
            get(m::version_get),
        )
        .route(
            "/v1/memory_stores/{id}/memory_versions/{vid}/redact",
            post(m::version_redact),
        )
        .route("/v1/deployments", post(d::create).get(d::list))
        .route("/v1/deployments/{id}", get(d::get).post(d::update))
        .route("/v1/deployments/{id}/archive", post(d::archive))
        .route("/v1/deployments/{id}/pause", post(d::pause))
        .route("/v1/deployments/{id}/unpause", post(d::unpause))
        .route("/v1/deployments/{id}/run", post(d::run))
        .route("/v1/deployment_runs", get(d::run_list))
        .route("/v1/deployment_runs/{id}", get(d::run_get))
        .fallback(|| async { http::ApiErr::new(404, "not_found_error", "no such endpoint") })
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            http::gate,
        ))
        .with_state(shared)
}

/// A running fake. Dropping it stops the server.
pub struct FakeServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    app: Router,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    /// The deployments' scheduler (issue 14), stopped with the server.
    scheduler: Option<tokio::task::AbortHandle>,
}

impl FakeServer {
    /// Binds `127.0.0.1:0` and serves in the background of the current tokio runtime.
    pub async fn start(config: FakeConfig) -> std::io::Result<Self> {
        Self::bind(
            "127.0.0.1:0".parse().map_err(std::io::Error::other)?,
            config,
        )
        .await
    }

    /// Binds `addr` (port 0 for any) and serves in the background.
    pub async fn bind(addr: SocketAddr, config: FakeConfig) -> std::io::Result<Self> {
        let shared = Arc::new(Shared {
            world: Mutex::default(),
            faults: Mutex::default(),
            config,
            stats: FakeStats::default(),
        });
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let app = router(shared.clone());
        let served = app.clone();
        tokio::spawn(async move {
            let _ = axum::serve(listener, served)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        let ticking = shared.clone();
        let scheduler = tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(200)).await;
                deployments::tick(&ticking).await;
            }
        })
        .abort_handle();
        Ok(Self {
            addr,
            shared,
            app,
            stop: Some(stop),
            scheduler: Some(scheduler),
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Replaces the instance's stream faults.
    pub fn set_faults(&self, faults: Faults) {
        self.shared.set_faults(faults);
    }

    /// Faults for one session only (overrides the instance's).
    pub fn set_session_faults(&self, session_id: &str, faults: Faults) {
        if let Some(s) = self.shared.lock().session(session_id) {
            s.faults = Some(faults);
        }
    }

    /// The next requests (not streams) fail with these statuses and `retry-after` seconds.
    pub fn fail_next_requests(&self, failures: &[(u16, Option<u64>)]) {
        self.shared
            .lock()
            .fault_queue
            .extend(failures.iter().copied());
    }

    /// The session's persisted events, in order: the truth tailers are compared with.
    pub fn event_log(&self, session_id: &str) -> Vec<Value> {
        self.shared
            .lock()
            .session(session_id)
            .map(|s| s.log.iter().map(|e| (**e).clone()).collect())
            .unwrap_or_default()
    }

    /// The counters of what this fake served (a handle: it keeps counting after the call).
    pub fn stats(&self) -> FakeStats {
        self.shared.stats.clone()
    }

    /// A key this fake accepts: [`FakeConfig::api_key`] when set, else any non-empty key works
    /// and this is one.
    pub fn client_key(&self) -> String {
        self.shared
            .config
            .api_key
            .clone()
            .unwrap_or_else(|| "sk-ant-fake-outside".to_string())
    }

    /// A request "from outside" (the web console, another computer): `method` on
    /// `path_and_query` with an optional JSON body, answered by the same handlers as HTTP
    /// clients get, in-process. It is not counted in [`FakeServer::stats`] and never receives
    /// an injected failure. Returns the JSON answer, or the status and error body.
    pub async fn outside(
        &self,
        method: &str,
        path_and_query: &str,
        body: Option<Value>,
    ) -> Result<Value, OutsideError> {
        use tower::ServiceExt;
        let refused = |message: String| OutsideError {
            status: 400,
            body: serde_json::json!({"type": "error", "error": {"type": "invalid_request_error", "message": message}}),
        };
        let bytes = body.map(|b| b.to_string()).unwrap_or_default();
        let mut request = axum::http::Request::builder()
            .method(method)
            .uri(path_and_query)
            .header("authorization", format!("Bearer {}", self.client_key()))
            .header("anthropic-version", "2026-10-21")
            .header("anthropic-beta", format!("{BETA},{MEMORY_BETA}"))
            .header("content-type", "application/json")
            .body(axum::body::Body::from(bytes))
            .map_err(|e| refused(e.to_string()))?;
        request.extensions_mut().insert(http::Outside);
        let response = match self.app.clone().oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
        let status = response.status().as_u16();
        let bytes = axum::body::to_bytes(response.into_body(), 64 << 20)
            .await
            .map_err(|e| refused(e.to_string()))?;
        let value: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        if (200..300).contains(&status) {
            Ok(value)
        } else {
            Err(OutsideError {
                status,
                body: value,
            })
        }
    }

    /// Creates an agent from outside (`claude-sonnet-5-5`, no tools); returns it.
    pub async fn outside_create_agent(&self, name: &str) -> Result<Value, OutsideError> {
        let body = serde_json::json!({"name": name, "model": "claude-sonnet-5-5"});
        self.outside("POST", "/v1/agents", Some(body)).await
    }

    /// Creates a cloud environment from outside; returns it.
    pub async fn outside_create_environment(&self, name: &str) -> Result<Value, OutsideError> {
        let body = serde_json::json!({"name": name});
        self.outside("POST", "/v1/environments", Some(body)).await
    }

    /// Creates a session of `agent_id`'s latest version in `environment_id` from outside.
    pub async fn outside_create_session(
        &self,
        agent_id: &str,
        environment_id: &str,
        title: Option<&str>,
    ) -> Result<Value, OutsideError> {
        let body = serde_json::json!({"agent": agent_id, "environment_id": environment_id, "title": title});
        self.outside("POST", "/v1/sessions", Some(body)).await
    }

    /// Creates a vault from outside; returns it.
    pub async fn outside_create_vault(&self, display_name: &str) -> Result<Value, OutsideError> {
        let body = serde_json::json!({"display_name": display_name});
        self.outside("POST", "/v1/vaults", Some(body)).await
    }

    // Issue 14 (beyond): the clock schedules run by, and memory written by agents.

    /// The fake's current time (RFC 3339): the wall clock plus every [`Self::advance_clock`].
    pub fn now(&self) -> String {
        world::format_us(self.shared.lock().now_us())
    }

    /// Moves the fake's clock forward by `by` (timestamps and schedules alike), then runs every
    /// schedule now due; returns the runs recorded (their sessions already started).
    pub async fn advance_clock(&self, by: Duration) -> Vec<Value> {
        self.shared.lock().clock_offset_us += by.as_micros() as i64;
        deployments::tick(&self.shared).await
    }

    /// Moves the fake's clock forward to `at` (RFC 3339; never backwards) and runs what is due.
    pub async fn advance_clock_to(&self, at: &str) -> Vec<Value> {
        let now = self.shared.lock().now_us();
        let target = deployments::parse(at).unwrap_or(now);
        let by = Duration::from_micros(target.saturating_sub(now).max(0) as u64);
        self.advance_clock(by).await
    }

    /// An agent in `session_id` writes `content` at `path` of a store through its mounted
    /// filesystem: a new memory, or a change to the one at that path, recorded as made by that
    /// session. Returns the memory, or the API error body.
    pub fn agent_writes_memory(
        &self,
        session_id: &str,
        store_id: &str,
        path: &str,
        content: &str,
    ) -> Result<Value, OutsideError> {
        let actor = serde_json::json!({"type": "session_actor", "session_id": session_id});
        let mut w = self.shared.lock();
        let existing = w
            .memory
            .memories
            .iter()
            .find(|m| m["memory_store_id"] == store_id && m["path"] == path)
            .map(|m| m["id"].as_str().unwrap_or("").to_string());
        let result = match existing {
            Some(id) => memory::write_update(
                &mut w,
                store_id,
                &id,
                Some(content.to_string()),
                None,
                None,
                actor,
            ),
            None => memory::write_new(&mut w, store_id, path, content, actor),
        };
        result.map_err(|e| OutsideError {
            status: e.status.as_u16(),
            body: serde_json::json!({"type": "error", "error": {"type": e.kind, "message": e.message}}),
        })
    }

    /// Tests: overwrites top-level fields of a session's object (`created_at`, `updated_at`,
    /// `usage`, …), as if it had been made earlier or had spent more: history for the Usage
    /// page and idle sessions to clean up. Returns the session, or `None` when there is none.
    pub fn patch_session(&self, session_id: &str, patch: Value) -> Option<Value> {
        let mut w = self.shared.lock();
        let session = w.session(session_id)?;
        if let (Some(obj), Some(fields)) = (session.obj.as_object_mut(), patch.as_object()) {
            for (k, v) in fields {
                obj.insert(k.clone(), v.clone());
            }
        }
        Some(session.obj.clone())
    }

    /// Stops the server.
    pub fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A refused [`FakeServer::outside`] request: the status and the API's error body.
#[derive(Debug, Clone, PartialEq)]
pub struct OutsideError {
    /// The HTTP status.
    pub status: u16,
    /// The error body (`{"type":"error","error":{…}}`), or null when it was not JSON.
    pub body: Value,
}

impl std::fmt::Display for OutsideError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let message = self.body["error"]["message"]
            .as_str()
            .unwrap_or("no message");
        write!(
            f,
            "the fake refused the request: {message} (HTTP {})",
            self.status
        )
    }
}

impl std::error::Error for OutsideError {}

impl Drop for FakeServer {
    fn drop(&mut self) {
        if let Some(scheduler) = self.scheduler.take() {
            scheduler.abort();
        }
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
