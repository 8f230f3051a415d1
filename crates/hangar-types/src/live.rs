//! The live path and cached transcripts: events as the cache holds them (with their position),
//! and what a `session_follow` channel carries.
//!
//! Every event a view receives was written to the local cache first.

use hangar_model::events::SessionEvent;
use serde::{Deserialize, Serialize};

use crate::{EventId, IpcError, SessionId};

/// A position in a cached transcript: server time first, arrival order breaking ties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Cursor {
    /// `processed_at` in µs since the Unix epoch.
    pub at_us: i64,
    /// Arrival order in the cache.
    pub seq: i64,
}

/// One cached event with its position.
///
/// On the wire: `{"cursor": {…}, "event": <the event's own JSON, exactly as received>}`; the
/// UI reads it back into the typed event (agent output inside: untrusted data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveEvent {
    /// Where it sits in the transcript.
    pub cursor: Cursor,
    /// The event: id, type, typed kind and raw JSON.
    pub event: SessionEvent,
}

/// Where a transcript page starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "at", rename_all = "snake_case")]
pub enum TranscriptAnchor {
    /// The first events.
    Start,
    /// The newest events.
    End,
    /// Events just before this position (scrolling up).
    Before {
        /// The position.
        cursor: Cursor,
    },
    /// Events just after this position (scrolling down).
    After {
        /// The position.
        cursor: Cursor,
    },
    /// A page around this event (opening a search hit).
    Event {
        /// The event.
        id: EventId,
    },
}

/// Input of `transcript_page`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TranscriptInput {
    /// The session.
    pub session_id: SessionId,
    /// Where the page starts (the first events when absent).
    #[serde(default = "start")]
    pub anchor: TranscriptAnchor,
    /// How many events at most (1–1000).
    pub limit: u32,
}

fn start() -> TranscriptAnchor {
    TranscriptAnchor::Start
}

/// Output of `transcript_page`: events in transcript order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TranscriptOutput {
    /// The events, in transcript order.
    pub events: Vec<LiveEvent>,
    /// Index of the first of them in the whole transcript (0-based).
    pub first_index: u64,
    /// Events in the whole cached transcript.
    pub total: u64,
    /// True once the whole history was fetched from the API at least once.
    pub history_complete: bool,
}

/// Input of `session_follow`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionFollowInput {
    /// The session.
    pub session_id: SessionId,
    /// The view already shows everything up to here (from `transcript_page`): the channel
    /// starts with the cached events after it, then carries new ones. `None`: new ones only.
    #[serde(default)]
    pub after: Option<Cursor>,
}

/// Output of `session_follow`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionFollowOutput {
    /// Names this subscription for `session_unfollow`.
    pub subscription: u64,
    /// The tail's state right now; changes arrive on the channel.
    pub status: TailStatus,
}

/// Input of `session_unfollow`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionUnfollowInput {
    /// From `session_follow`.
    pub subscription: u64,
}

/// The state of a session's live tail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum TailStatus {
    /// Opening the stream and catching up with the history.
    Connecting,
    /// Attached and caught up: events arrive as they happen.
    Live,
    /// The stream dropped; the next attempt starts after `retry_in_ms`.
    Reconnecting {
        /// Why it dropped.
        reason: String,
        /// When the next attempt starts.
        retry_in_ms: u64,
    },
    /// Nothing more will come over this tail.
    Stopped {
        /// Why, in words a person can read.
        reason: String,
        /// True when it stopped on an error (401, 404, …) rather than because the session ended.
        failed: bool,
    },
}

/// One message on a `session_follow` channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LiveMessage {
    /// Events already written to the cache, in transcript order (a burst arrives as one batch).
    Events {
        /// The events.
        events: Vec<LiveEvent>,
    },
    /// The text of an agent message being written; replaced by its final event.
    Preview {
        /// The id the final `agent.message` will carry.
        event_id: EventId,
        /// The text so far.
        text: String,
    },
    /// A preview is over (its final event arrived, or the model request ended without one).
    PreviewEnded {
        /// Which preview.
        event_id: EventId,
    },
    /// The tail's state changed.
    Status {
        /// The new state.
        status: TailStatus,
    },
    /// Something went wrong that the view should show (for example the cache could not be
    /// written); the tail goes on unless a `Status` says it stopped.
    Problem {
        /// What went wrong.
        error: IpcError,
    },
}

/// `LiveMessage` read as a plain struct: a derived internally tagged enum buffers its fields
/// first, and the events inside would lose their exact JSON text on the way.
#[derive(Deserialize)]
struct LiveMessageWire {
    kind: String,
    #[serde(default)]
    events: Option<Vec<LiveEvent>>,
    #[serde(default)]
    event_id: Option<EventId>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    status: Option<TailStatus>,
    #[serde(default)]
    error: Option<IpcError>,
}

impl<'de> Deserialize<'de> for LiveMessage {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let wire = LiveMessageWire::deserialize(deserializer)?;
        let missing = |field: &'static str| D::Error::missing_field(field);
        Ok(match wire.kind.as_str() {
            "events" => LiveMessage::Events {
                events: wire.events.ok_or_else(|| missing("events"))?,
            },
            "preview" => LiveMessage::Preview {
                event_id: wire.event_id.ok_or_else(|| missing("event_id"))?,
                text: wire.text.ok_or_else(|| missing("text"))?,
            },
            "preview_ended" => LiveMessage::PreviewEnded {
                event_id: wire.event_id.ok_or_else(|| missing("event_id"))?,
            },
            "status" => LiveMessage::Status {
                status: wire.status.ok_or_else(|| missing("status"))?,
            },
            "problem" => LiveMessage::Problem {
                error: wire.error.ok_or_else(|| missing("error"))?,
            },
            other => {
                return Err(D::Error::unknown_variant(
                    other,
                    &["events", "preview", "preview_ended", "status", "problem"],
                ))
            }
        })
    }
}
