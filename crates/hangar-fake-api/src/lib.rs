//! A faithful in-memory fake of the Claude Managed Agents API (reference: `shared/api/reference.md`).
//!
//! It serves the families Hangar uses with the reference's paths, headers, JSON shapes, id
//! prefixes, status codes, error bodies, pagination, update and archive semantics, and SSE
//! framing, plus a deterministic simulated agent and fault injection. Start it in-process with
//! [`FakeServer::start`] (tests, the Demo profile) or as the `hangar-fake-api` binary.
#![allow(
    missing_docs,
    reason = "handlers mirror the API reference; the public surface is FakeServer, FakeConfig, Faults"
)]

mod faults;
mod http;
mod resources;
mod sessions;
mod sim;
mod world;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::routing::{get, post};
use axum::Router;
use serde_json::Value;

pub use faults::Faults;

/// The beta value the Managed Agents families require.
pub const BETA: &str = "managed-agents-2026-04-01";

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
    stop: Option<tokio::sync::oneshot::Sender<()>>,
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
        });
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let app = router(shared.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        Ok(Self {
            addr,
            shared,
            stop: Some(stop),
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

    /// Stops the server.
    pub fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
