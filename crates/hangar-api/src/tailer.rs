//! Live tailing of one session: every persisted event exactly once, in server order, across
//! dropped connections, repeats, stalls and rate limits.
//!
//! The recipe is the SDK runner's (reference §6.3): (1) open the SSE stream first, (2) page
//! through the history endpoint, emitting what was not seen, (3) follow the live stream,
//! skipping ids already seen. On any drop: back off (0.5 s doubling to 10 s, reset by any new
//! event) and start again at (1). Attaching first means nothing emitted between the listing and
//! the attach can fall between the two. A watchdog treats a connection silent for longer than
//! `watchdog` (no event, no keep-alive) as dropped.

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use futures_util::StreamExt;
use reqwest_eventsource::{Event as SseEvent, EventSource};
use tokio::sync::mpsc;

use crate::client::{describe, seg, Beta, Client};
use crate::events::{content_text, EventKind, KnownBlock, SessionEvent};
use crate::page::ListParams;
use crate::sessions::EventListParams;
use crate::sse::{interpret, Frame};
use crate::{ApiError, Error, RateClass};

/// Tuning of a tail.
#[derive(Debug, Clone)]
pub struct TailOptions {
    /// Ask for `event_deltas[]` (live text previews of agent messages).
    pub deltas: bool,
    /// A connection silent this long is dropped and reopened.
    pub watchdog: Duration,
    /// First reconnect delay.
    pub backoff_initial: Duration,
    /// Reconnect delay cap.
    pub backoff_max: Duration,
    /// Page size of the history reconcile.
    pub history_page: u32,
    /// Ids already delivered in an earlier tail (for example from the local cache).
    pub seen: HashSet<String>,
    /// The newest `processed_at` already delivered (for example the newest cached event): the
    /// first reconcile asks only for events after it, so a restart fetches only what is new.
    /// Put the ids delivered at exactly that time in `seen`.
    pub resume_after: Option<String>,
}

impl Default for TailOptions {
    fn default() -> Self {
        Self {
            deltas: true,
            watchdog: Duration::from_secs(90),
            backoff_initial: Duration::from_millis(500),
            backoff_max: Duration::from_secs(10),
            history_page: 1000,
            seen: HashSet::new(),
            resume_after: None,
        }
    }
}

/// The connection's state, for the "Online / Reconnecting…" chip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TailState {
    /// Attached and reconciled: events arrive as they happen.
    Live,
    /// Dropped; the next attempt starts after `retry_in`.
    Reconnecting {
        /// Why it dropped.
        reason: String,
        /// When the next attempt starts.
        retry_in: Duration,
    },
}

/// What a tail delivers.
#[derive(Debug, Clone, PartialEq)]
#[allow(
    clippy::large_enum_variant,
    reason = "Event is nearly every update; boxing would add an allocation per event"
)]
pub enum TailUpdate {
    /// A persisted event: each exactly once, in order.
    Event(SessionEvent),
    /// The text of an agent message being written (replaced by its final `Event`).
    Preview {
        /// The id the final `agent.message` will carry.
        event_id: String,
        /// The text so far.
        text: String,
    },
    /// A preview is over: its final event arrived, or the model request ended without one.
    PreviewEnded {
        /// Which preview.
        event_id: String,
    },
    /// The connection changed.
    State(TailState),
    /// The tail stopped for good (a permanent error such as 401 or 404).
    Failed(String),
    /// The session ended (`session.status_terminated` or `session.deleted`): nothing more will come.
    Finished,
}

/// A running tail. Dropping it stops the background task.
#[derive(Debug)]
pub struct Tail {
    rx: mpsc::Receiver<TailUpdate>,
    task: tokio::task::JoinHandle<()>,
}

impl Tail {
    /// The next update; `None` once the tail has stopped and everything was read.
    pub async fn next(&mut self) -> Option<TailUpdate> {
        self.rx.recv().await
    }

    /// An update that is already waiting, without waiting for one: lets a reader take a burst
    /// (a page of history) in one go.
    pub fn try_next(&mut self) -> Option<TailUpdate> {
        self.rx.try_recv().ok()
    }

    /// Stops the tail now.
    pub fn cancel(&self) {
        self.task.abort();
    }
}

impl Drop for Tail {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts tailing `session_id`.
pub fn tail(client: Client, session_id: impl Into<String>, options: TailOptions) -> Tail {
    let (tx, rx) = mpsc::channel(512);
    let session_id = session_id.into();
    let task = tokio::spawn(async move {
        let mut tailer = Tailer {
            client,
            session_id,
            seen: options.seen.clone(),
            last_processed_at: options.resume_after.clone(),
            options,
            tx,
            previews: BTreeMap::new(),
        };
        tailer.run().await;
    });
    Tail { rx, task }
}

/// Why one connection ended.
enum Drop_ {
    /// Try again after the backoff (or the server's wait).
    Retry(String, Option<Duration>),
    /// Do not try again.
    Permanent(String),
    /// The session is over.
    Finished,
    /// Nobody is listening any more.
    Closed,
}

struct Tailer {
    client: Client,
    session_id: String,
    options: TailOptions,
    seen: HashSet<String>,
    tx: mpsc::Sender<TailUpdate>,
    /// Open previews: event id → text blocks.
    previews: BTreeMap<String, Vec<String>>,
    last_processed_at: Option<String>,
}

impl Tailer {
    async fn run(&mut self) {
        let mut backoff = self.options.backoff_initial;
        loop {
            let seen_before = self.seen.len();
            let outcome = self.connect_once().await;
            if self.seen.len() > seen_before {
                // Progress was made: the next drop starts the backoff afresh.
                backoff = self.options.backoff_initial;
            }
            self.end_previews().await;
            let (reason, server_wait) = match outcome {
                Drop_::Retry(reason, wait) => (reason, wait),
                Drop_::Permanent(reason) => {
                    let _ = self.tx.send(TailUpdate::Failed(reason)).await;
                    return;
                }
                Drop_::Finished => {
                    let _ = self.tx.send(TailUpdate::Finished).await;
                    return;
                }
                Drop_::Closed => return,
            };
            let wait = server_wait.unwrap_or(backoff);
            if self
                .tx
                .send(TailUpdate::State(TailState::Reconnecting {
                    reason,
                    retry_in: wait,
                }))
                .await
                .is_err()
            {
                return;
            }
            tokio::time::sleep(wait).await;
            backoff = (backoff * 2).min(self.options.backoff_max);
        }
    }

    async fn emit(&mut self, update: TailUpdate) -> Result<(), Drop_> {
        self.tx.send(update).await.map_err(|_| Drop_::Closed)
    }

    async fn end_previews(&mut self) {
        let open: Vec<String> = std::mem::take(&mut self.previews).into_keys().collect();
        for event_id in open {
            let _ = self.tx.send(TailUpdate::PreviewEnded { event_id }).await;
        }
    }

    /// Handles one persisted event: deliver it unless seen. Returns Finished at the end.
    async fn deliver(&mut self, event: SessionEvent) -> Result<(), Drop_> {
        let Some(id) = event.id.as_deref().map(str::to_string) else {
            return Ok(());
        };
        if !self.seen.insert(id.clone()) {
            return Ok(());
        }
        if event.processed_at.is_some() {
            self.last_processed_at = event.processed_at.clone();
        }
        if self.previews.remove(&id).is_some() {
            self.emit(TailUpdate::PreviewEnded { event_id: id }).await?;
        }
        if matches!(event.kind, EventKind::SpanModelRequestEnd { .. }) {
            // A model request that ended without its final message closes its preview.
            self.end_previews().await;
        }
        let ends = event.ends_stream();
        self.emit(TailUpdate::Event(event)).await?;
        if ends {
            return Err(Drop_::Finished);
        }
        Ok(())
    }

    async fn preview(&mut self, event: &SessionEvent) -> Result<(), Drop_> {
        match &event.kind {
            EventKind::EventStart { event: target }
                if target.kind == "agent.message" && !self.seen.contains(target.id.as_str()) =>
            {
                self.previews.insert(target.id.to_string(), Vec::new());
            }
            EventKind::EventDelta { event_id, delta } => {
                let text = match &delta.content {
                    crate::events::ContentBlock::Known(KnownBlock::Text { text }) => text.clone(),
                    _ => return Ok(()),
                };
                let Some(blocks) = self.previews.get_mut(event_id.as_str()) else {
                    return Ok(());
                };
                // A new index starts a new block; an index far ahead is ignored (best effort).
                if delta.index == blocks.len() {
                    blocks.push(String::new());
                }
                let Some(block) = blocks.get_mut(delta.index) else {
                    return Ok(());
                };
                block.push_str(&text);
                let joined = blocks.join("\n\n");
                self.emit(TailUpdate::Preview {
                    event_id: event_id.to_string(),
                    text: joined,
                })
                .await?;
            }
            _ => {}
        }
        Ok(())
    }

    async fn connect_once(&mut self) -> Drop_ {
        match self.connect_inner().await {
            Ok(()) => Drop_::Retry("the stream ended".into(), None),
            Err(drop) => drop,
        }
    }

    async fn connect_inner(&mut self) -> Result<(), Drop_> {
        // (1) Attach. A stream open is a read for the rate limits.
        let permit = self.client.throttle(RateClass::Read).await;
        let mut request = self
            .client
            .http()
            .get(self.client.url(&format!(
                "/v1/sessions/{}/events/stream",
                seg(&self.session_id)
            )))
            .headers(
                self.client
                    .headers(Beta::ManagedAgents)
                    .map_err(|e| Drop_::Permanent(e.to_string()))?,
            );
        if self.options.deltas {
            request = request.query(&[
                ("event_deltas[]", "agent.message"),
                ("event_deltas[]", "agent.thinking"),
            ]);
        }
        let mut source = EventSource::new(request).map_err(|e| Drop_::Permanent(e.to_string()))?;
        source.set_retry_policy(Box::new(reqwest_eventsource::retry::Never));
        let opened = tokio::time::timeout(self.options.watchdog, source.next()).await;
        // The server has answered the open: its rate window starts now.
        drop(permit);
        match opened {
            Err(_) => return Err(Drop_::Retry("the stream did not open in time".into(), None)),
            Ok(None) => {
                return Err(Drop_::Retry(
                    "the stream closed before opening".into(),
                    None,
                ))
            }
            Ok(Some(Err(error))) => return Err(classify(&self.client, error).await),
            Ok(Some(Ok(SseEvent::Message(_)))) => {
                return Err(Drop_::Retry(
                    "the stream sent data before opening".into(),
                    None,
                ));
            }
            Ok(Some(Ok(SseEvent::Open))) => {}
        }

        // (2) Reconcile history: only what is newer than the last event delivered (reference
        // §6.3: `created_at[gt]=<last processed_at>`), so a reconnect fetches nothing twice.
        let mut params = EventListParams {
            list: ListParams::limit(self.options.history_page),
            ..Default::default()
        };
        params.created_gt = self.last_processed_at.clone();
        loop {
            let page = match self
                .client
                .sessions()
                .list_events(&self.session_id, &params)
                .await
            {
                Ok(page) => page,
                Err(error) => return Err(from_api(error)),
            };
            for event in page.data {
                self.deliver(event).await?;
            }
            match page.next_page {
                Some(next) if !next.is_empty() => params.list.page = Some(next),
                _ => break,
            }
        }
        self.emit(TailUpdate::State(TailState::Live)).await?;

        // (3) Follow.
        loop {
            let item = match tokio::time::timeout(self.options.watchdog, source.next()).await {
                Err(_) => {
                    source.close();
                    return Err(Drop_::Retry("the stream went silent".into(), None));
                }
                Ok(None) => return Ok(()),
                Ok(Some(item)) => item,
            };
            match item {
                Ok(SseEvent::Open) => {}
                Ok(SseEvent::Message(message)) => match interpret(&message.event, &message.data) {
                    None | Some(Frame::KeepAlive) => {}
                    Some(Frame::Error(api)) => {
                        source.close();
                        return Err(Drop_::Retry(
                            format!("the server ended the stream: {}", api.message),
                            None,
                        ));
                    }
                    Some(Frame::Event(event)) => {
                        if event.id.is_some()
                            && !matches!(
                                event.kind,
                                EventKind::EventStart { .. } | EventKind::EventDelta { .. }
                            )
                        {
                            self.deliver(event).await?;
                        } else {
                            self.preview(&event).await?;
                        }
                    }
                },
                Err(reqwest_eventsource::Error::StreamEnded) => return Ok(()),
                Err(error) => {
                    source.close();
                    return Err(classify(&self.client, error).await);
                }
            }
        }
    }
}

/// A list failure: transient errors retry, 4xx other than 408/409/429 are permanent.
fn from_api(error: Error) -> Drop_ {
    match &error {
        Error::Api(api) if !(matches!(api.status, 408 | 409 | 429) || api.status >= 500) => {
            Drop_::Permanent(error.to_string())
        }
        Error::Api(api) => Drop_::Retry(error.to_string(), api.retry_after),
        _ => Drop_::Retry(error.to_string(), None),
    }
}

/// A stream failure, with the same rule (reference §6.3: "a 4xx other than 408/409/429 on the
/// stream is treated as permanent"). A 429 with a `retry-after` also pauses the client's reads.
async fn classify(client: &Client, error: reqwest_eventsource::Error) -> Drop_ {
    match error {
        reqwest_eventsource::Error::InvalidStatusCode(status, response) => {
            let code = status.as_u16();
            let request_id = response
                .headers()
                .get("request-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let wait = crate::retry::retry_after(response.headers());
            let body = response.text().await.unwrap_or_default();
            let api = ApiError::from_parts(code, request_id, wait, body);
            if let (429, Some(wait)) = (code, wait) {
                client.rate_limited(RateClass::Read, wait);
            }
            if matches!(code, 408 | 409 | 429) || code >= 500 {
                Drop_::Retry(api.to_string(), wait)
            } else {
                Drop_::Permanent(Error::Api(Box::new(api)).to_string())
            }
        }
        reqwest_eventsource::Error::Transport(e) => Drop_::Retry(describe(&e), None),
        other => Drop_::Retry(other.to_string(), None),
    }
}

/// Folds one `agent.message` preview the way a reader sees it (used by tests and the UI).
pub fn final_text(event: &SessionEvent) -> Option<String> {
    match &event.kind {
        EventKind::AgentMessage { content } => Some(content_text(content)),
        _ => None,
    }
}
