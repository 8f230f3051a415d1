//! Sessions, their events, resources and threads (reference §5.3–5.6). `client.sessions()`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::client::{seg, Beta, Body, Client, Retry};
use crate::events::{EventParams, SessionEvent};
use crate::page::{ListParams, Page};
use crate::patch::Patch;
use crate::{Deleted, Error, Result};

/// A session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// `sesn_…`
    pub id: String,
    /// idle / running / rescheduling / terminated (open set).
    pub status: String,
    /// Optional title.
    #[serde(default)]
    pub title: Option<String>,
    /// Its environment.
    pub environment_id: String,
    /// Snapshot of the agent it runs (`id`, `version`, `name`, …).
    pub agent: Value,
    /// Usage so far.
    #[serde(default)]
    pub usage: Value,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// Set once archived.
    #[serde(default)]
    pub archived_at: Option<String>,
    /// Every other field.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Which agent a new session runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum AgentRef {
    /// `"agent_…"`: the latest version at creation.
    Latest(String),
    /// `{type: "agent", id, version}`: a pinned version.
    Pinned {
        /// Always `agent`.
        #[serde(rename = "type")]
        kind: &'static str,
        /// The agent.
        id: String,
        /// The version.
        version: u64,
    },
}

impl AgentRef {
    /// A pinned version.
    pub fn pinned(id: impl Into<String>, version: u64) -> Self {
        AgentRef::Pinned {
            kind: "agent",
            id: id.into(),
            version,
        }
    }
}

/// `POST /v1/sessions`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionCreate {
    /// The agent.
    pub agent: AgentRef,
    /// The environment.
    pub environment_id: String,
    /// Optional title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Metadata.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
    /// Vaults whose credentials the session may use.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub vault_ids: Vec<String>,
    /// GitHub repositories, files, memory stores.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<Value>,
    /// Events processed right after creation (max 50).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub initial_events: Vec<EventParams>,
}

impl SessionCreate {
    /// The minimal body.
    pub fn new(agent: AgentRef, environment_id: impl Into<String>) -> Self {
        Self {
            agent,
            environment_id: environment_id.into(),
            title: None,
            metadata: BTreeMap::new(),
            vault_ids: Vec::new(),
            resources: Vec::new(),
            initial_events: Vec::new(),
        }
    }
}

/// `POST /v1/sessions/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SessionUpdate {
    /// Keep, clear or set.
    #[serde(skip_serializing_if = "Patch::is_keep")]
    pub title: Patch<String>,
    /// Patch: `None` deletes a key.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, Option<String>>,
}

/// Filters of `GET /v1/sessions`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionListParams {
    /// limit / page / include_archived.
    pub list: ListParams,
    /// Only this agent.
    pub agent_id: Option<String>,
    /// Only this version (with `agent_id`).
    pub agent_version: Option<u64>,
    /// `statuses[]`.
    pub statuses: Vec<String>,
    /// `asc` or `desc` (default desc).
    pub order: Option<String>,
    /// `created_at[gte]`.
    pub created_gte: Option<String>,
    /// `created_at[lt]`.
    pub created_lt: Option<String>,
}

/// Filters of `GET /v1/sessions/{id}/events`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventListParams {
    /// limit / page.
    pub list: ListParams,
    /// `types[]`.
    pub types: Vec<String>,
    /// `asc` (default) or `desc`.
    pub order: Option<String>,
    /// `created_at[gte]` (compared to `processed_at`).
    pub created_gte: Option<String>,
    /// `created_at[gt]`.
    pub created_gt: Option<String>,
}

/// A page of events, each decoded and with its raw JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct EventPage {
    /// The events.
    pub data: Vec<SessionEvent>,
    /// Next cursor.
    pub next_page: Option<String>,
}

fn decode_all(raws: &[Box<serde_json::value::RawValue>]) -> Result<Vec<SessionEvent>> {
    raws.iter()
        .map(|raw| {
            SessionEvent::parse(raw.get()).map_err(|e| Error::Decode {
                what: "event",
                detail: e.to_string(),
            })
        })
        .collect()
}

fn decode_page(page: Page<Box<serde_json::value::RawValue>>) -> Result<EventPage> {
    Ok(EventPage {
        data: decode_all(&page.data)?,
        next_page: page.next_page,
    })
}

/// `client.sessions()`.
#[derive(Debug, Clone, Copy)]
pub struct Sessions<'a>(&'a Client);

impl Client {
    /// Sessions.
    pub fn sessions(&self) -> Sessions<'_> {
        Sessions(self)
    }
}

impl Sessions<'_> {
    /// Starts a session (it begins idle unless `initial_events` prompt it).
    pub async fn create(&self, body: &SessionCreate) -> Result<Session> {
        self.0
            .post("/v1/sessions", body, Beta::ManagedAgents, "session")
            .await
    }
    /// Reads one.
    pub async fn retrieve(&self, id: &str) -> Result<Session> {
        self.0
            .get(
                &format!("/v1/sessions/{}", seg(id)),
                &[],
                Beta::ManagedAgents,
                "session",
            )
            .await
    }
    /// Changes title/metadata.
    pub async fn update(&self, id: &str, body: &SessionUpdate) -> Result<Session> {
        self.0
            .post(
                &format!("/v1/sessions/{}", seg(id)),
                body,
                Beta::ManagedAgents,
                "session",
            )
            .await
    }
    /// One page, newest first by default.
    pub async fn list(&self, params: &SessionListParams) -> Result<Page<Session>> {
        let mut q = Vec::new();
        params.list.push(&mut q);
        if let Some(a) = &params.agent_id {
            q.push(("agent_id".into(), a.clone()));
        }
        if let Some(v) = params.agent_version {
            q.push(("agent_version".into(), v.to_string()));
        }
        for s in &params.statuses {
            q.push(("statuses[]".into(), s.clone()));
        }
        if let Some(o) = &params.order {
            q.push(("order".into(), o.clone()));
        }
        if let Some(t) = &params.created_gte {
            q.push(("created_at[gte]".into(), t.clone()));
        }
        if let Some(t) = &params.created_lt {
            q.push(("created_at[lt]".into(), t.clone()));
        }
        self.0
            .get("/v1/sessions", &q, Beta::ManagedAgents, "session list")
            .await
    }
    /// Deletes it (its streams end with `session.deleted`).
    pub async fn delete(&self, id: &str) -> Result<Deleted> {
        self.0
            .delete(
                &format!("/v1/sessions/{}", seg(id)),
                Beta::ManagedAgents,
                "delete",
            )
            .await
    }
    /// Archives it.
    pub async fn archive(&self, id: &str) -> Result<Session> {
        self.0
            .post_empty(
                &format!("/v1/sessions/{}/archive", seg(id)),
                Beta::ManagedAgents,
                "session",
            )
            .await
    }

    /// One page of history, oldest first by default.
    pub async fn list_events(&self, id: &str, params: &EventListParams) -> Result<EventPage> {
        let mut q = Vec::new();
        params.list.push(&mut q);
        for t in &params.types {
            q.push(("types[]".into(), t.clone()));
        }
        if let Some(o) = &params.order {
            q.push(("order".into(), o.clone()));
        }
        if let Some(t) = &params.created_gte {
            q.push(("created_at[gte]".into(), t.clone()));
        }
        if let Some(t) = &params.created_gt {
            q.push(("created_at[gt]".into(), t.clone()));
        }
        let page: Page<Box<serde_json::value::RawValue>> = self
            .0
            .get(
                &format!("/v1/sessions/{}/events", seg(id)),
                &q,
                Beta::ManagedAgents,
                "event list",
            )
            .await?;
        decode_page(page)
    }

    /// Sends events, processed in order. Never retried automatically: there is no idempotency
    /// key, so a retry after a lost answer could send a message twice (reference §3, §8.9).
    pub async fn send_events(&self, id: &str, events: &[EventParams]) -> Result<Vec<SessionEvent>> {
        #[derive(Serialize)]
        struct SendBody<'a> {
            events: &'a [EventParams],
        }
        #[derive(Deserialize)]
        struct Echo {
            #[serde(default)]
            data: Vec<Box<serde_json::value::RawValue>>,
        }
        let body =
            serde_json::to_value(SendBody { events }).map_err(|e| Error::Invalid(e.to_string()))?;
        let echo: Echo = self
            .0
            .json(
                reqwest::Method::POST,
                &format!("/v1/sessions/{}/events", seg(id)),
                &[],
                Body::Json(body),
                Beta::ManagedAgents,
                Retry::Never,
                "sent events",
            )
            .await?;
        decode_all(&echo.data)
    }

    /// Resources attached to the session.
    pub async fn list_resources(&self, id: &str, params: &ListParams) -> Result<Page<Value>> {
        self.0
            .list(
                &format!("/v1/sessions/{}/resources", seg(id)),
                params,
                Vec::new(),
                Beta::ManagedAgents,
                "resource list",
            )
            .await
    }
    /// Attaches an uploaded file (`{type: "file", file_id, mount_path?}`).
    pub async fn add_resource(&self, id: &str, body: &Value) -> Result<Value> {
        self.0
            .post(
                &format!("/v1/sessions/{}/resources", seg(id)),
                body,
                Beta::ManagedAgents,
                "resource",
            )
            .await
    }
    /// One resource.
    pub async fn retrieve_resource(&self, id: &str, resource_id: &str) -> Result<Value> {
        self.0
            .get(
                &format!("/v1/sessions/{}/resources/{}", seg(id), seg(resource_id)),
                &[],
                Beta::ManagedAgents,
                "resource",
            )
            .await
    }
    /// Rotates a GitHub repository's token.
    pub async fn update_resource(
        &self,
        id: &str,
        resource_id: &str,
        authorization_token: &str,
    ) -> Result<Value> {
        let body = serde_json::json!({ "authorization_token": authorization_token });
        self.0
            .post(
                &format!("/v1/sessions/{}/resources/{}", seg(id), seg(resource_id)),
                &body,
                Beta::ManagedAgents,
                "resource",
            )
            .await
    }
    /// Detaches a resource.
    pub async fn delete_resource(&self, id: &str, resource_id: &str) -> Result<Deleted> {
        self.0
            .delete(
                &format!("/v1/sessions/{}/resources/{}", seg(id), seg(resource_id)),
                Beta::ManagedAgents,
                "delete",
            )
            .await
    }

    /// Threads of a multiagent session.
    pub async fn list_threads(&self, id: &str, params: &ListParams) -> Result<Page<Value>> {
        self.0
            .list(
                &format!("/v1/sessions/{}/threads", seg(id)),
                params,
                Vec::new(),
                Beta::ManagedAgents,
                "thread list",
            )
            .await
    }
    /// One thread.
    pub async fn retrieve_thread(&self, id: &str, thread_id: &str) -> Result<Value> {
        self.0
            .get(
                &format!("/v1/sessions/{}/threads/{}", seg(id), seg(thread_id)),
                &[],
                Beta::ManagedAgents,
                "thread",
            )
            .await
    }
    /// Archives a thread.
    pub async fn archive_thread(&self, id: &str, thread_id: &str) -> Result<Value> {
        self.0
            .post_empty(
                &format!(
                    "/v1/sessions/{}/threads/{}/archive",
                    seg(id),
                    seg(thread_id)
                ),
                Beta::ManagedAgents,
                "thread",
            )
            .await
    }
    /// A thread's history.
    pub async fn list_thread_events(
        &self,
        id: &str,
        thread_id: &str,
        params: &ListParams,
    ) -> Result<EventPage> {
        let page: Page<Box<serde_json::value::RawValue>> = self
            .0
            .list(
                &format!("/v1/sessions/{}/threads/{}/events", seg(id), seg(thread_id)),
                params,
                Vec::new(),
                Beta::ManagedAgents,
                "event list",
            )
            .await?;
        decode_page(page)
    }
}
