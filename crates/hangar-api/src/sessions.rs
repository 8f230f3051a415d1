//! Sessions, their events, resources and threads (reference §5.3–5.6). `client.sessions()`;
//! the models are [`hangar_model::sessions`] (and [`hangar_model::events`]), re-exported here.

pub use hangar_model::sessions::*;

use hangar_model::ids::AgentId;
use serde::{Deserialize, Serialize};

use crate::client::{seg, Beta, Body, Client, Retry};
use crate::events::{EventParams, SessionEvent};
use crate::page::{ListParams, Page};
use crate::{Deleted, Error, Result};

/// Filters of `GET /v1/sessions`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionListParams {
    /// limit / page / include_archived.
    pub list: ListParams,
    /// Only this agent.
    pub agent_id: Option<AgentId>,
    /// Only this version (with `agent_id`).
    pub agent_version: Option<u64>,
    /// `statuses[]`.
    pub statuses: Vec<SessionStatus>,
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
pub type EventPage = Page<SessionEvent>;

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
    /// Changes title, metadata, budget, or the agent's tools.
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
            q.push(("agent_id".into(), a.to_string()));
        }
        if let Some(v) = params.agent_version {
            q.push(("agent_version".into(), v.to_string()));
        }
        for s in &params.statuses {
            q.push(("statuses[]".into(), s.to_string()));
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
        self.0
            .get(
                &format!("/v1/sessions/{}/events", seg(id)),
                &q,
                Beta::ManagedAgents,
                "event list",
            )
            .await
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
            data: Vec<SessionEvent>,
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
        Ok(echo.data)
    }

    /// Resources attached to the session.
    pub async fn list_resources(
        &self,
        id: &str,
        params: &ListParams,
    ) -> Result<Page<SessionResource>> {
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
    /// Attaches an uploaded file ([`ResourceParams::File`]: the only kind the API adds).
    pub async fn add_resource(&self, id: &str, body: &ResourceParams) -> Result<SessionResource> {
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
    pub async fn retrieve_resource(&self, id: &str, resource_id: &str) -> Result<SessionResource> {
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
    ) -> Result<SessionResource> {
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
    pub async fn list_threads(&self, id: &str, params: &ListParams) -> Result<Page<SessionThread>> {
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
    pub async fn retrieve_thread(&self, id: &str, thread_id: &str) -> Result<SessionThread> {
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
    pub async fn archive_thread(&self, id: &str, thread_id: &str) -> Result<SessionThread> {
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
        self.0
            .list(
                &format!("/v1/sessions/{}/threads/{}/events", seg(id), seg(thread_id)),
                params,
                Vec::new(),
                Beta::ManagedAgents,
                "event list",
            )
            .await
    }
}
