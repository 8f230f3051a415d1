//! Session events: the whole catalogue of reference §6 as a typed enum with an `Unknown`
//! fallback, the raw JSON kept alongside every event, the client-sendable event params, and the
//! readings every view needs (plain text, status changes, usage, thread, Markdown).
//!
//! The union is open: an unknown `type`, or a known type whose fields do not parse, becomes
//! [`EventKind::Unknown`] and never an error. The raw text stays the source of truth: a
//! [`SessionEvent`] serializes as exactly the JSON it was read from.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::common::{null_as_default, Budget};
use crate::ids::{EventId, FileId, OutcomeId, ThreadId};
use crate::sessions::{SessionStatus, Usage};

/// A content block (`text`, `image`, `document`, `search_result`, `redacted`, or anything newer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ContentBlock {
    /// A block whose type Hangar reads.
    Known(KnownBlock),
    /// Any other block (or a known one of an unexpected shape), kept as received.
    Other(Value),
}

/// Content blocks Hangar reads. Fields a block carries beyond these are dropped here; the
/// event's raw JSON keeps them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum KnownBlock {
    /// Plain text (Markdown from agents).
    Text {
        /// The text.
        text: String,
    },
    /// An image: `source` is `{type: base64|url|file, …}`.
    Image {
        /// Where the image comes from.
        source: Value,
    },
    /// A document (PDF, plain text, …).
    Document {
        /// `{type: base64|text|url|file, …}`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        source: Option<Value>,
        /// Its title, when it has one.
        #[serde(
            default,
            deserialize_with = "lenient_string",
            skip_serializing_if = "Option::is_none"
        )]
        title: Option<String>,
        /// Context given with it.
        #[serde(
            default,
            deserialize_with = "lenient_string",
            skip_serializing_if = "Option::is_none"
        )]
        context: Option<String>,
    },
    /// A search result with its own text content.
    SearchResult {
        /// Where it was found.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        source: Option<Value>,
        /// Its title.
        #[serde(
            default,
            deserialize_with = "lenient_string",
            skip_serializing_if = "Option::is_none"
        )]
        title: Option<String>,
        /// Its text blocks.
        #[serde(default, deserialize_with = "null_as_default")]
        content: Vec<ContentBlock>,
        /// `{enabled}`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        citations: Option<Value>,
    },
    /// Content withheld by the API.
    Redacted {},
}

/// A string, or `None` for any other JSON value: an odd title never hides a whole block.
fn lenient_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::String(s) => Some(s),
        _ => None,
    })
}

impl ContentBlock {
    /// A text block.
    pub fn text(text: impl Into<String>) -> Self {
        ContentBlock::Known(KnownBlock::Text { text: text.into() })
    }
}

/// All text blocks of `content` joined by blank lines: the message as a reader sees it.
pub fn content_text(content: &[ContentBlock]) -> String {
    content
        .iter()
        .filter_map(|b| match b {
            ContentBlock::Known(KnownBlock::Text { text }) => Some(text.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The searchable words of `content`: text blocks, search-result titles with their text, and
/// document titles, joined by blank lines.
pub fn searchable_text(content: &[ContentBlock]) -> String {
    let mut out: Vec<String> = Vec::new();
    for block in content {
        match block {
            ContentBlock::Known(KnownBlock::Text { text }) => out.push(text.clone()),
            ContentBlock::Known(KnownBlock::SearchResult { title, content, .. }) => {
                out.extend(title.iter().cloned());
                out.push(searchable_text(content));
            }
            ContentBlock::Known(KnownBlock::Document { title, .. }) => {
                out.extend(title.iter().cloned())
            }
            _ => {}
        }
    }
    out.retain(|s| !s.is_empty());
    out.join("\n\n")
}

/// Why a session (or thread) went idle. Unknown reasons end the turn, as in the SDKs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopReason {
    /// The turn is complete.
    EndTurn,
    /// Blocked on these events (tool confirmations, custom tool results).
    RequiresAction {
        /// The events to answer.
        event_ids: Vec<EventId>,
    },
    /// Errors exhausted the retry budget.
    RetriesExhausted,
    /// The session budget was reached.
    BudgetReached,
    /// The model refused.
    Refusal,
    /// A reason this version does not know.
    Other(String),
}

impl StopReason {
    /// Only `requires_action` keeps the turn open.
    pub fn ends_turn(&self) -> bool {
        !matches!(self, StopReason::RequiresAction { .. })
    }

    /// The `type` as the API spells it.
    pub fn as_str(&self) -> &str {
        match self {
            StopReason::EndTurn => "end_turn",
            StopReason::RequiresAction { .. } => "requires_action",
            StopReason::RetriesExhausted => "retries_exhausted",
            StopReason::BudgetReached => "budget_reached",
            StopReason::Refusal => "refusal",
            StopReason::Other(kind) => kind,
        }
    }
}

impl<'de> Deserialize<'de> for StopReason {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        let kind = v
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        Ok(match kind.as_str() {
            "end_turn" => StopReason::EndTurn,
            "requires_action" => StopReason::RequiresAction {
                event_ids: v
                    .get("event_ids")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .map(EventId::from)
                            .collect()
                    })
                    .unwrap_or_default(),
            },
            "retries_exhausted" => StopReason::RetriesExhausted,
            "budget_reached" => StopReason::BudgetReached,
            "refusal" => StopReason::Refusal,
            _ => StopReason::Other(kind),
        })
    }
}

/// The `error` of a `session.error` (or `workflow_run.error`) event.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SessionErrorBody {
    /// `mcp_connection_failed_error`, `model_overloaded_error`, … (open set).
    #[serde(rename = "type", default)]
    pub error_type: String,
    /// What happened.
    #[serde(default)]
    pub message: String,
    /// `{type: retrying|exhausted|terminal}`.
    #[serde(default)]
    pub retry_status: Option<Value>,
    /// Per-type fields (`mcp_server_name`, `credential_id`, `repository_url`, …).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Token counts of one model request (or one outcome evaluation).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ModelUsage {
    /// Input tokens.
    #[serde(default)]
    pub input_tokens: u64,
    /// Output tokens.
    #[serde(default)]
    pub output_tokens: u64,
    /// Tokens written to the cache.
    #[serde(default)]
    pub cache_creation_input_tokens: u64,
    /// Tokens read from the cache.
    #[serde(default)]
    pub cache_read_input_tokens: u64,
}

/// How an outcome is judged: `{type:"text", content}` or `{type:"file", file_id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Rubric {
    /// Criteria written out.
    Text {
        /// The criteria.
        content: String,
    },
    /// Criteria in an uploaded file.
    File {
        /// The file.
        file_id: FileId,
    },
    /// A form this version does not know, kept as received.
    #[serde(untagged)]
    Other(Value),
}

/// Every event type of the catalogue (42 persisted + 2 stream-only previews).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type")]
#[allow(
    missing_docs,
    reason = "each variant is the event type named in its rename; fields as in reference §6.1"
)]
pub enum EventKind {
    #[serde(rename = "user.message")]
    UserMessage { content: Vec<ContentBlock> },
    #[serde(rename = "user.interrupt")]
    UserInterrupt {
        #[serde(default)]
        session_thread_id: Option<ThreadId>,
    },
    #[serde(rename = "user.tool_confirmation")]
    UserToolConfirmation {
        tool_use_id: EventId,
        result: String,
        #[serde(default)]
        deny_message: Option<String>,
        #[serde(default)]
        session_thread_id: Option<ThreadId>,
    },
    #[serde(rename = "user.custom_tool_result")]
    UserCustomToolResult {
        custom_tool_use_id: EventId,
        #[serde(default)]
        content: Vec<ContentBlock>,
        #[serde(default)]
        is_error: Option<bool>,
        #[serde(default)]
        session_thread_id: Option<ThreadId>,
    },
    #[serde(rename = "user.tool_result")]
    UserToolResult {
        tool_use_id: EventId,
        #[serde(default)]
        content: Vec<ContentBlock>,
        #[serde(default)]
        is_error: Option<bool>,
        #[serde(default)]
        session_thread_id: Option<ThreadId>,
    },
    #[serde(rename = "user.define_outcome")]
    UserDefineOutcome {
        description: String,
        rubric: Rubric,
        #[serde(default)]
        max_iterations: Option<u32>,
        #[serde(default)]
        outcome_id: Option<OutcomeId>,
    },
    #[serde(rename = "system.message")]
    SystemMessage { content: Vec<ContentBlock> },
    #[serde(rename = "agent.message")]
    AgentMessage { content: Vec<ContentBlock> },
    #[serde(rename = "agent.thinking")]
    AgentThinking {},
    #[serde(rename = "agent.tool_use")]
    AgentToolUse {
        name: String,
        #[serde(default)]
        input: Value,
        #[serde(default)]
        evaluated_permission: Option<String>,
        #[serde(default)]
        evaluation: Option<Value>,
        #[serde(default)]
        session_thread_id: Option<ThreadId>,
    },
    #[serde(rename = "agent.tool_result")]
    AgentToolResult {
        tool_use_id: EventId,
        #[serde(default)]
        content: Vec<ContentBlock>,
        #[serde(default)]
        is_error: Option<bool>,
    },
    #[serde(rename = "agent.mcp_tool_use")]
    AgentMcpToolUse {
        name: String,
        mcp_server_name: String,
        #[serde(default)]
        input: Value,
        #[serde(default)]
        evaluated_permission: Option<String>,
        #[serde(default)]
        evaluation: Option<Value>,
        #[serde(default)]
        session_thread_id: Option<ThreadId>,
    },
    #[serde(rename = "agent.mcp_tool_result")]
    AgentMcpToolResult {
        mcp_tool_use_id: EventId,
        #[serde(default)]
        content: Vec<ContentBlock>,
        #[serde(default)]
        is_error: Option<bool>,
    },
    #[serde(rename = "agent.custom_tool_use")]
    AgentCustomToolUse {
        name: String,
        #[serde(default)]
        input: Value,
        #[serde(default)]
        session_thread_id: Option<ThreadId>,
    },
    #[serde(rename = "agent.thread_message_sent")]
    AgentThreadMessageSent {
        to_session_thread_id: ThreadId,
        #[serde(default)]
        to_agent_name: Option<String>,
        #[serde(default)]
        content: Vec<ContentBlock>,
    },
    #[serde(rename = "agent.thread_message_received")]
    AgentThreadMessageReceived {
        from_session_thread_id: ThreadId,
        #[serde(default)]
        from_agent_name: Option<String>,
        #[serde(default)]
        content: Vec<ContentBlock>,
    },
    #[serde(rename = "agent.thread_context_compacted")]
    AgentThreadContextCompacted {},
    #[serde(rename = "session.status_running")]
    SessionStatusRunning {},
    #[serde(rename = "session.status_idle")]
    SessionStatusIdle {
        stop_reason: StopReason,
        #[serde(default)]
        stop_details: Option<Value>,
    },
    #[serde(rename = "session.status_rescheduled")]
    SessionStatusRescheduled {},
    #[serde(rename = "session.status_terminated")]
    SessionStatusTerminated {},
    #[serde(rename = "session.error")]
    SessionError { error: SessionErrorBody },
    #[serde(rename = "session.deleted")]
    SessionDeleted {},
    #[serde(rename = "session.updated")]
    SessionUpdated {
        #[serde(default)]
        title: Option<Value>,
        #[serde(default)]
        metadata: Option<Value>,
        #[serde(default)]
        agent: Option<Value>,
        #[serde(default)]
        budget: Option<Value>,
    },
    #[serde(rename = "session.usage")]
    SessionUsage {
        usage: Usage,
        #[serde(default)]
        budget: Option<Budget>,
    },
    #[serde(rename = "session.thread_created")]
    SessionThreadCreated {
        session_thread_id: ThreadId,
        agent_name: String,
        #[serde(default)]
        workflow_run_id: Option<String>,
    },
    #[serde(rename = "session.thread_status_running")]
    SessionThreadStatusRunning {
        session_thread_id: ThreadId,
        agent_name: String,
    },
    #[serde(rename = "session.thread_status_idle")]
    SessionThreadStatusIdle {
        session_thread_id: ThreadId,
        agent_name: String,
        stop_reason: StopReason,
        #[serde(default)]
        stop_details: Option<Value>,
    },
    #[serde(rename = "session.thread_status_rescheduled")]
    SessionThreadStatusRescheduled {
        session_thread_id: ThreadId,
        agent_name: String,
    },
    #[serde(rename = "session.thread_status_terminated")]
    SessionThreadStatusTerminated {
        session_thread_id: ThreadId,
        agent_name: String,
    },
    #[serde(rename = "span.model_request_start")]
    SpanModelRequestStart {},
    #[serde(rename = "span.model_request_end")]
    SpanModelRequestEnd {
        model_request_start_id: EventId,
        #[serde(default)]
        is_error: Option<bool>,
        model_usage: ModelUsage,
    },
    #[serde(rename = "span.outcome_evaluation_start")]
    SpanOutcomeEvaluationStart {
        outcome_id: OutcomeId,
        iteration: u32,
    },
    #[serde(rename = "span.outcome_evaluation_ongoing")]
    SpanOutcomeEvaluationOngoing {
        outcome_id: OutcomeId,
        iteration: u32,
    },
    #[serde(rename = "span.outcome_evaluation_end")]
    SpanOutcomeEvaluationEnd {
        outcome_evaluation_start_id: EventId,
        outcome_id: OutcomeId,
        iteration: u32,
        result: String,
        #[serde(default)]
        explanation: Option<String>,
        #[serde(default)]
        usage: Option<ModelUsage>,
    },
    #[serde(rename = "workflow_run.created")]
    WorkflowRunCreated {
        workflow_run_id: String,
        name: String,
        #[serde(default)]
        description: Option<String>,
        #[serde(default)]
        phases: Vec<Value>,
    },
    #[serde(rename = "workflow_run.status_running")]
    WorkflowRunStatusRunning { workflow_run_id: String },
    #[serde(rename = "workflow_run.status_idle")]
    WorkflowRunStatusIdle { workflow_run_id: String },
    #[serde(rename = "workflow_run.phase_started")]
    WorkflowRunPhaseStarted {
        workflow_run_id: String,
        workflow_run_phase_id: String,
    },
    #[serde(rename = "workflow_run.phase_ended")]
    WorkflowRunPhaseEnded {
        workflow_run_id: String,
        workflow_run_phase_id: String,
        phase_started_id: EventId,
    },
    #[serde(rename = "workflow_run.status_ended")]
    WorkflowRunStatusEnded {
        workflow_run_id: String,
        result: Value,
    },
    #[serde(rename = "workflow_run.error")]
    WorkflowRunError {
        #[serde(default)]
        workflow_run_id: Option<String>,
        error: SessionErrorBody,
    },
    #[serde(rename = "event_start")]
    EventStart { event: PreviewRef },
    #[serde(rename = "event_delta")]
    EventDelta { event_id: EventId, delta: Delta },
    /// A type this version does not know, or a known type whose fields did not parse: shown as
    /// a neutral card with its raw JSON, never a crash.
    #[serde(skip)]
    Unknown { event_type: String },
}

/// `event_start.event`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PreviewRef {
    /// `agent.message` or `agent.thinking`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The id the final event will carry.
    pub id: EventId,
}

/// `event_delta.delta`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Delta {
    /// Which content block (default 0).
    #[serde(default)]
    pub index: usize,
    /// `{type: "text", text}`.
    pub content: ContentBlock,
}

impl EventKind {
    /// Reads the typed kind of an event already parsed into JSON; never fails (an unknown or
    /// malformed event is [`EventKind::Unknown`]).
    pub fn from_json(value: &Value) -> EventKind {
        EventKind::deserialize(value).unwrap_or_else(|_| EventKind::Unknown {
            event_type: value
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
        })
    }

    /// The searchable words of the event: message text, tool names and inputs, results,
    /// errors, titles. Empty for events without words (status changes, spans, unknown types).
    pub fn text(&self) -> String {
        match self {
            EventKind::UserMessage { content }
            | EventKind::AgentMessage { content }
            | EventKind::SystemMessage { content }
            | EventKind::AgentThreadMessageSent { content, .. }
            | EventKind::AgentThreadMessageReceived { content, .. }
            | EventKind::AgentToolResult { content, .. }
            | EventKind::AgentMcpToolResult { content, .. }
            | EventKind::UserCustomToolResult { content, .. }
            | EventKind::UserToolResult { content, .. } => searchable_text(content),
            EventKind::AgentToolUse { name, input, .. }
            | EventKind::AgentMcpToolUse { name, input, .. }
            | EventKind::AgentCustomToolUse { name, input, .. } => {
                format!("{name} {}", compact(input))
            }
            EventKind::UserToolConfirmation { deny_message, .. } => {
                deny_message.clone().unwrap_or_default()
            }
            EventKind::UserDefineOutcome { description, .. } => description.clone(),
            EventKind::SessionError { error } | EventKind::WorkflowRunError { error, .. } => {
                error.message.clone()
            }
            EventKind::SessionUpdated { title, .. } => title
                .as_ref()
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            _ => String::new(),
        }
    }

    /// The usage snapshot of a `session.usage` event (cumulative for the session).
    pub fn usage(&self) -> Option<&Usage> {
        match self {
            EventKind::SessionUsage { usage, .. } => Some(usage),
            _ => None,
        }
    }

    /// The sub-agent thread the event belongs to, when it names one (cross-posted tool calls,
    /// answers routed to a thread, thread lifecycle events).
    pub fn session_thread_id(&self) -> Option<&ThreadId> {
        match self {
            EventKind::UserInterrupt { session_thread_id }
            | EventKind::UserToolConfirmation {
                session_thread_id, ..
            }
            | EventKind::UserCustomToolResult {
                session_thread_id, ..
            }
            | EventKind::UserToolResult {
                session_thread_id, ..
            }
            | EventKind::AgentToolUse {
                session_thread_id, ..
            }
            | EventKind::AgentMcpToolUse {
                session_thread_id, ..
            }
            | EventKind::AgentCustomToolUse {
                session_thread_id, ..
            } => session_thread_id.as_ref(),
            EventKind::SessionThreadCreated {
                session_thread_id, ..
            }
            | EventKind::SessionThreadStatusRunning {
                session_thread_id, ..
            }
            | EventKind::SessionThreadStatusIdle {
                session_thread_id, ..
            }
            | EventKind::SessionThreadStatusRescheduled {
                session_thread_id, ..
            }
            | EventKind::SessionThreadStatusTerminated {
                session_thread_id, ..
            } => Some(session_thread_id),
            _ => None,
        }
    }

    /// True for `session.status_terminated` and `session.deleted`: nothing follows them.
    pub fn ends_stream(&self) -> bool {
        matches!(
            self,
            EventKind::SessionStatusTerminated {} | EventKind::SessionDeleted {}
        )
    }

    /// True for the stream-only previews (`event_start`, `event_delta`), which history never holds.
    pub fn is_preview(&self) -> bool {
        matches!(
            self,
            EventKind::EventStart { .. } | EventKind::EventDelta { .. }
        )
    }

    /// The event as Markdown for a readable export; `None` for events a reader does not need.
    pub fn markdown(&self) -> Option<String> {
        Some(match self {
            EventKind::UserMessage { content } => {
                format!("### You\n\n{}", searchable_text(content))
            }
            EventKind::AgentMessage { content } => {
                format!("### Agent\n\n{}", searchable_text(content))
            }
            EventKind::SystemMessage { content } => {
                format!("### System note\n\n{}", searchable_text(content))
            }
            EventKind::AgentThinking {} => "*Thinking…*".to_string(),
            EventKind::AgentToolUse { name, input, .. } => {
                format!("**Tool:** `{name}`\n\n{}", fence(&pretty(input), "json"))
            }
            EventKind::AgentMcpToolUse {
                name,
                mcp_server_name,
                input,
                ..
            } => format!(
                "**MCP tool:** `{name}` on `{mcp_server_name}`\n\n{}",
                fence(&pretty(input), "json")
            ),
            EventKind::AgentCustomToolUse { name, input, .. } => format!(
                "**Custom tool:** `{name}`\n\n{}",
                fence(&pretty(input), "json")
            ),
            EventKind::AgentToolResult {
                content, is_error, ..
            }
            | EventKind::AgentMcpToolResult {
                content, is_error, ..
            } => {
                let label = if *is_error == Some(true) {
                    "Tool error"
                } else {
                    "Result"
                };
                format!("**{label}:**\n\n{}", fence(&searchable_text(content), ""))
            }
            EventKind::UserCustomToolResult { content, .. } => format!(
                "**Your tool result:**\n\n{}",
                fence(&searchable_text(content), "")
            ),
            EventKind::UserToolConfirmation {
                result,
                deny_message,
                ..
            } => match deny_message.as_deref() {
                None | Some("") => format!("*You chose: {result}*"),
                Some(note) => format!("*You chose: {result} ({note})*"),
            },
            EventKind::UserInterrupt { .. } => "*You interrupted the agent.*".to_string(),
            EventKind::SessionError { error } => {
                let message = if error.message.is_empty() {
                    "unknown error"
                } else {
                    error.message.as_str()
                };
                format!("> **Error:** {message}")
            }
            EventKind::SessionStatusIdle { stop_reason, .. } => match stop_reason {
                StopReason::RequiresAction { .. } => "---\n*Waiting for you*".to_string(),
                _ => "---".to_string(),
            },
            EventKind::SessionStatusTerminated {} => "---\n*Session ended*".to_string(),
            _ => return None,
        })
    }
}

/// JSON as one line; nothing for `null`.
fn compact(value: &Value) -> String {
    if value.is_null() {
        return String::new();
    }
    serde_json::to_string(value).unwrap_or_default()
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// A fenced block longer than any backtick run inside, so agent output cannot close it early.
fn fence(body: &str, lang: &str) -> String {
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat(longest.max(2) + 1);
    format!("{ticks}{lang}\n{body}\n{ticks}")
}

/// One event: its id and time, its typed kind, and the JSON exactly as received.
///
/// On the wire (serde) it is the event's own JSON object, byte for byte `raw`; it reads from
/// any JSON value, keeping its text. Both directions need `serde_json` (the IPC format).
#[derive(Debug, Clone, PartialEq)]
pub struct SessionEvent {
    /// The id (absent on stream-only previews).
    pub id: Option<EventId>,
    /// The `type` string, even for unknown kinds (empty when the JSON has none).
    pub event_type: String,
    /// `processed_at`, when set (`null` on echoes not processed yet).
    pub processed_at: Option<String>,
    /// The typed view.
    pub kind: EventKind,
    /// The JSON exactly as received (agent output: untrusted data).
    pub raw: String,
}

// JSON has no NaN, so every value an event can hold equals itself.
impl Eq for SessionEvent {}

impl SessionEvent {
    /// Decodes one event. Never fails on an unknown type or unexpected fields: those become
    /// [`EventKind::Unknown`]. Fails only when the text is not JSON.
    pub fn parse(raw: &str) -> Result<Self, serde_json::Error> {
        // The common case reads the text twice without building a JSON tree: once for the
        // header (borrowed), once for the typed kind. Anything odd (not an object, a repeated
        // header key, invalid JSON) takes the tree, which also reports the syntax error.
        match serde_json::from_str::<Header<'_>>(raw) {
            Ok(header) => {
                let event_type = json_string(header.kind).unwrap_or_default();
                let kind =
                    serde_json::from_str::<EventKind>(raw).unwrap_or_else(|_| EventKind::Unknown {
                        event_type: event_type.clone(),
                    });
                Ok(Self {
                    id: json_string(header.id).map(EventId::from),
                    event_type,
                    processed_at: json_string(header.processed_at),
                    kind,
                    raw: raw.to_string(),
                })
            }
            Err(_) => {
                let value: Value = serde_json::from_str(raw)?;
                Ok(Self::from_value(value, raw.to_string()))
            }
        }
    }

    /// Decodes from an already parsed value (the raw text is kept as given).
    pub fn from_value(value: Value, raw: String) -> Self {
        let text = |k: &str| value.get(k).and_then(Value::as_str).map(str::to_string);
        let event_type = text("type").unwrap_or_default();
        let id = text("id").map(EventId::from);
        let processed_at = text("processed_at");
        let kind = serde_json::from_value::<EventKind>(value).unwrap_or(EventKind::Unknown {
            event_type: event_type.clone(),
        });
        Self {
            id,
            event_type,
            processed_at,
            kind,
            raw,
        }
    }

    /// True after `session.status_terminated` or `session.deleted`: the stream has nothing more.
    pub fn ends_stream(&self) -> bool {
        self.kind.ends_stream()
    }

    /// The searchable words of the event (see [`EventKind::text`]).
    pub fn text(&self) -> String {
        self.kind.text()
    }

    /// The session status this event moves the session to, if it is a status event. Read
    /// from the `type`, so a status event with odd fields still counts.
    pub fn status_change(&self) -> Option<SessionStatus> {
        SessionStatus::set_by_event(&self.event_type)
    }

    /// The usage snapshot of a `session.usage` event.
    pub fn usage(&self) -> Option<&Usage> {
        self.kind.usage()
    }

    /// The sub-agent thread the event belongs to (see [`EventKind::session_thread_id`]).
    pub fn session_thread_id(&self) -> Option<&ThreadId> {
        self.kind.session_thread_id()
    }

    /// The event as Markdown for an export (see [`EventKind::markdown`]).
    pub fn markdown(&self) -> Option<String> {
        self.kind.markdown()
    }
}

/// The fields every event shares, borrowed from its text.
#[derive(Deserialize)]
struct Header<'a> {
    #[serde(borrow, default)]
    id: Option<&'a RawValue>,
    #[serde(borrow, default, rename = "type")]
    kind: Option<&'a RawValue>,
    #[serde(borrow, default)]
    processed_at: Option<&'a RawValue>,
}

/// A JSON string's value; `None` for null, absent or any other JSON.
fn json_string(field: Option<&RawValue>) -> Option<String> {
    let json = field?.get();
    if json.starts_with('"') {
        serde_json::from_str::<String>(json).ok()
    } else {
        None
    }
}

impl Serialize for SessionEvent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Borrowed: validates the text without building anything, then writes it verbatim.
        let raw: &RawValue = serde_json::from_str(&self.raw).map_err(serde::ser::Error::custom)?;
        raw.serialize(serializer)
    }
}

/// The name under which `serde_json` hands out a value's raw text (what `RawValue` asks for).
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

impl<'de> Deserialize<'de> for SessionEvent {
    /// From `serde_json` (text or `Value`), the event keeps its exact text. A deserializer
    /// that buffers (an internally tagged or untagged enum around it, `flatten`) has lost the
    /// text already: the event is then read from the JSON tree, and `raw` is its compact form.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(RAW_VALUE_TOKEN, EventVisitor)
    }
}

struct EventVisitor;

impl EventVisitor {
    fn tree<E: serde::de::Error>(value: Value) -> Result<SessionEvent, E> {
        let raw = serde_json::to_string(&value).map_err(E::custom)?;
        Ok(SessionEvent::from_value(value, raw))
    }
}

impl<'de> serde::de::Visitor<'de> for EventVisitor {
    type Value = SessionEvent;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a session event (any JSON value)")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<SessionEvent, D::Error> {
        Self::tree(Value::deserialize(d)?)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<SessionEvent, A::Error> {
        let Some(first) = map.next_key::<String>()? else {
            return Self::tree(Value::Object(Map::new()));
        };
        if first == RAW_VALUE_TOKEN {
            let raw: String = map.next_value()?;
            return SessionEvent::parse(&raw).map_err(serde::de::Error::custom);
        }
        // A deserializer that ignored the hint and handed over the object itself.
        let mut object = Map::new();
        object.insert(first, map.next_value()?);
        while let Some((key, value)) = map.next_entry::<String, Value>()? {
            object.insert(key, value);
        }
        Self::tree(Value::Object(object))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<SessionEvent, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Value>()? {
            items.push(item);
        }
        Self::tree(Value::Array(items))
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<SessionEvent, E> {
        Self::tree(Value::Bool(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<SessionEvent, E> {
        Self::tree(Value::from(v))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<SessionEvent, E> {
        Self::tree(Value::from(v))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<SessionEvent, E> {
        Self::tree(Value::from(v))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<SessionEvent, E> {
        Self::tree(Value::from(v))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<SessionEvent, E> {
        Self::tree(Value::Null)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<SessionEvent, E> {
        Self::tree(Value::Null)
    }
}

/// `allow` or `deny` for a tool confirmation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confirmation {
    /// Run the tool.
    Allow,
    /// Do not run it.
    Deny,
}

/// Events a client can send (reference §6.1, "sendable"); also `initial_events` of a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
#[allow(
    missing_docs,
    reason = "each variant is the event type named in its rename"
)]
pub enum EventParams {
    #[serde(rename = "user.message")]
    UserMessage { content: Vec<ContentBlock> },
    #[serde(rename = "user.interrupt")]
    UserInterrupt {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        session_thread_id: Option<ThreadId>,
    },
    #[serde(rename = "user.tool_confirmation")]
    UserToolConfirmation {
        tool_use_id: EventId,
        result: Confirmation,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        deny_message: Option<String>,
    },
    #[serde(rename = "user.custom_tool_result")]
    UserCustomToolResult {
        custom_tool_use_id: EventId,
        content: Vec<ContentBlock>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        is_error: Option<bool>,
    },
    #[serde(rename = "user.tool_result")]
    UserToolResult {
        tool_use_id: EventId,
        content: Vec<ContentBlock>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        is_error: Option<bool>,
    },
    #[serde(rename = "user.define_outcome")]
    UserDefineOutcome {
        description: String,
        rubric: Rubric,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_iterations: Option<u32>,
    },
    #[serde(rename = "system.message")]
    SystemMessage { content: Vec<ContentBlock> },
}

impl EventParams {
    /// A user message with one text block.
    pub fn message(text: impl Into<String>) -> Self {
        EventParams::UserMessage {
            content: vec![ContentBlock::text(text)],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// One example of every type, exactly as reference §7.2 shows them.
    const CATALOGUE: &str = include_str!("../tests/fixtures/events.jsonl");

    fn catalogue() -> impl Iterator<Item = SessionEvent> {
        CATALOGUE
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| SessionEvent::parse(l).unwrap())
    }

    fn event(value: Value) -> SessionEvent {
        SessionEvent::parse(&value.to_string()).unwrap()
    }

    #[test]
    fn every_catalogue_event_decodes_to_its_own_variant() {
        let mut count = 0;
        for (line, event) in CATALOGUE
            .lines()
            .filter(|l| !l.trim().is_empty())
            .zip(catalogue())
        {
            assert!(!matches!(event.kind, EventKind::Unknown { .. }), "{line}");
            assert_eq!(event.raw, line, "raw kept");
            count += 1;
        }
        assert_eq!(count, 44, "42 persisted types + 2 previews");
    }

    #[test]
    fn unknown_types_and_broken_known_types_never_fail() {
        let e = SessionEvent::parse(r#"{"type":"agent.teleported","id":"sevt_9","processed_at":"2026-11-20T10:00:00Z","where":"mars"}"#).unwrap();
        assert_eq!(
            e.kind,
            EventKind::Unknown {
                event_type: "agent.teleported".into()
            }
        );
        assert_eq!(
            (e.id.as_deref(), e.event_type.as_str()),
            (Some("sevt_9"), "agent.teleported")
        );
        let e = SessionEvent::parse(r#"{"type":"agent.message","id":"x","content":"not a list"}"#)
            .unwrap();
        assert!(matches!(e.kind, EventKind::Unknown { .. }));
        let e = SessionEvent::parse(r#"{"type":"session.status_idle","id":"x","stop_reason":{"type":"vacation"},"new_field":1}"#).unwrap();
        assert_eq!(
            e.kind,
            EventKind::SessionStatusIdle {
                stop_reason: StopReason::Other("vacation".into()),
                stop_details: None
            }
        );
        assert!(StopReason::Other("vacation".into()).ends_turn());
        let e = SessionEvent::parse(r#"{"type":"agent.message","id":"x","content":[{"type":"hologram","data":1},{"type":"text","text":"hi"}]}"#).unwrap();
        let EventKind::AgentMessage { content } = &e.kind else {
            panic!("not a message")
        };
        assert_eq!(content_text(content), "hi");
        assert!(matches!(content[0], ContentBlock::Other(_)));
        assert!(
            SessionEvent::parse("[1,2]").is_ok(),
            "non-objects become Unknown too"
        );
        assert!(SessionEvent::parse("{oops").is_err());
    }

    #[test]
    fn the_direct_read_agrees_with_the_json_tree() {
        // `parse` reads without a tree when it can; `from_value` is the tree. Every type of
        // the catalogue and odd shapes must read the same both ways.
        let odd = [
            r#"{"type":"agent.message","id":"a","content":[{"type":"text","text":"esc\"aped \u00e9\n"},7,null,{"type":5}]}"#,
            r#"{"type":"agent.message","id":"b","content":"a string"}"#,
            r#"{"type":"agent.message","id":"c","content":null,"processed_at":null}"#,
            r#"{"type":"agent.tool_result","id":"d","tool_use_id":"t","content":[{"type":"search_result","title":"T","content":[{"type":"text","text":"inner"}]},{"type":"document","title":"Doc"}]}"#,
            r#"{"type":"agent.tool_use","id":"e","name":"bash","input":{ "command" : "ls  -la", "n": [1, 2.5, true] }}"#,
            r#"{"type":"agent.tool_use","id":"f","name":"x","input":null}"#,
            r#"{"type":"agent.custom_tool_use","id":"g","name":"x"}"#,
            r#"{"type":"session.error","id":"h","error":"just a string"}"#,
            r#"{"type":"session.usage","id":"k","usage":{"input_tokens":1.5,"output_tokens":2}}"#,
            r#"{"type":"session.updated","id":"l","title":"New \"title\"","processed_at":"2026-11-20T10:00:00Z"}"#,
            r#"{"type":7,"id":8,"processed_at":9}"#,
            r#"{"id":"no-type"}"#,
            r#"{"type":"user.message","id":"m","id":"dup","content":[]}"#,
            r#"{"type":"user.message","id":"sevt_\u0031","content":[]}"#,
            r#"[1,2]"#,
            r#""just a string""#,
        ];
        let mut n = 0;
        for raw in CATALOGUE
            .lines()
            .filter(|l| !l.trim().is_empty())
            .chain(odd)
        {
            let direct = SessionEvent::parse(raw).unwrap();
            let tree = SessionEvent::from_value(serde_json::from_str(raw).unwrap(), raw.into());
            assert_eq!(direct, tree, "{raw}");
            assert_eq!(direct.text(), tree.text(), "{raw}");
            n += 1;
        }
        assert_eq!(n, 44 + odd.len());
        let dup = SessionEvent::parse(odd[12]).unwrap();
        assert_eq!(
            dup.id.as_deref(),
            Some("dup"),
            "the last key wins, as in a tree"
        );
        assert_eq!(
            SessionEvent::parse(odd[13]).unwrap().id.as_deref(),
            Some("sevt_1")
        );
        assert_eq!(SessionEvent::parse(odd[10]).unwrap().id, None);
    }

    #[test]
    fn serializes_as_its_raw_json_and_reads_back_from_any_json() {
        let raw = r#"{"type":"agent.message", "id":"sevt_10","content":[{"type":"text","text":"hi"}],"future":{"b":1,"a":2}}"#;
        let event = SessionEvent::parse(raw).unwrap();
        assert_eq!(serde_json::to_string(&event).unwrap(), raw, "byte for byte");
        let back: SessionEvent = serde_json::from_str(raw).unwrap();
        assert_eq!(back, event);
        // Inside another structure too, and from a non-object.
        let list: Vec<SessionEvent> =
            serde_json::from_str(&format!("[{raw}, 7, {{\"type\":\"x\"}}]")).unwrap();
        assert_eq!(list[0], event);
        assert_eq!(list[1].raw, "7");
        assert_eq!(
            list[1].kind,
            EventKind::Unknown {
                event_type: "".into()
            }
        );
        assert_eq!(list[2].event_type, "x");
        assert_eq!(
            serde_json::to_string(&list).unwrap(),
            format!("[{raw},7,{{\"type\":\"x\"}}]")
        );
        // From a `Value` the text is the tree's; inside a buffering container (here an
        // internally tagged enum) too: same event, compact text.
        let from_tree: SessionEvent =
            serde_json::from_value(serde_json::from_str(raw).unwrap()).unwrap();
        assert_eq!(from_tree.kind, event.kind);
        #[derive(Deserialize)]
        #[serde(tag = "kind")]
        enum Wrapped {
            One { event: SessionEvent },
        }
        let Wrapped::One { event: inner } =
            serde_json::from_str(&format!(r#"{{"kind":"One","event":{raw}}}"#)).unwrap();
        assert_eq!(
            (inner.id, inner.kind),
            (event.id.clone(), event.kind.clone())
        );
        assert!(!inner.raw.contains(' '), "compact: {}", inner.raw);
        // A hand-built event with broken raw text refuses to serialize rather than send junk.
        let mut broken = event.clone();
        broken.raw = "{oops".into();
        assert!(serde_json::to_string(&broken).is_err());
    }

    #[test]
    fn text_of_each_kind() {
        let cases = [
            (
                json!({"type":"user.message","content":[{"type":"text","text":"Where is my order?"}]}),
                "Where is my order?",
            ),
            (
                json!({"type":"agent.message","content":[{"type":"text","text":"a"},{"type":"redacted"},{"type":"text","text":"b"}]}),
                "a\n\nb",
            ),
            (
                json!({"type":"agent.tool_use","name":"bash","input":{"command":"ls"}}),
                "bash {\"command\":\"ls\"}",
            ),
            (json!({"type":"agent.custom_tool_use","name":"x"}), "x "),
            (
                json!({"type":"agent.tool_result","tool_use_id":"t","content":[{"type":"text","text":"total 0"}]}),
                "total 0",
            ),
            (
                json!({"type":"agent.tool_result","tool_use_id":"t","content":[{"type":"search_result","title":"T","content":[{"type":"text","text":"inner"}]},{"type":"document","title":"Doc","source":{}},{"type":"document","title":5}]}),
                "T\n\ninner\n\nDoc",
            ),
            (
                json!({"type":"session.error","error":{"type":"x","message":"Could not connect"}}),
                "Could not connect",
            ),
            (
                json!({"type":"user.tool_confirmation","tool_use_id":"t","result":"deny","deny_message":"no"}),
                "no",
            ),
            (json!({"type":"session.updated","title":"T2"}), "T2"),
            (json!({"type":"span.model_request_start"}), ""),
            (
                json!({"type":"some.future_type","content":[{"type":"text","text":"x"}]}),
                "",
            ),
        ];
        for (value, expect) in cases {
            assert_eq!(event(value.clone()).text(), expect, "{value}");
            assert_eq!(EventKind::from_json(&value).text(), expect, "{value}");
        }
    }

    #[test]
    fn status_usage_and_thread_of_the_catalogue() {
        let mut statuses = Vec::new();
        let mut threads = 0;
        for e in catalogue() {
            if let Some(s) = e.status_change() {
                statuses.push((e.event_type.clone(), s));
            }
            if let Some(u) = e.usage() {
                assert_eq!(e.event_type, "session.usage");
                assert_eq!((u.input_tokens, u.output_tokens), (Some(5120), Some(830)));
                assert_eq!(u.list_cost.as_ref().map(|m| m.amount.as_str()), Some("7"));
            }
            if let Some(t) = e.session_thread_id() {
                assert_eq!(t, "sthr_01Child", "{}", e.raw);
                threads += 1;
            }
        }
        assert_eq!(
            statuses,
            vec![
                ("session.status_running".to_string(), SessionStatus::Running),
                ("session.status_idle".to_string(), SessionStatus::Idle),
                (
                    "session.status_rescheduled".to_string(),
                    SessionStatus::Rescheduling
                ),
                (
                    "session.status_terminated".to_string(),
                    SessionStatus::Terminated
                ),
            ]
        );
        assert_eq!(threads, 5, "thread created + four thread status events");
        let odd = event(json!({"type":"session.status_idle","id":"x"}));
        assert!(matches!(odd.kind, EventKind::Unknown { .. }));
        assert_eq!(
            odd.status_change(),
            Some(SessionStatus::Idle),
            "read from the type"
        );
        let cross = event(
            json!({"type":"agent.tool_use","id":"x","name":"bash","input":{},"session_thread_id":"sthr_2"}),
        );
        assert_eq!(
            cross.session_thread_id().map(|t| t.as_str()),
            Some("sthr_2")
        );
    }

    #[test]
    fn markdown_of_the_main_kinds() {
        let cases = [
            (
                json!({"type":"user.message","content":[{"type":"text","text":"hi"}]}),
                Some("### You\n\nhi"),
            ),
            (
                json!({"type":"agent.tool_use","name":"bash","input":{"command":"ls"}}),
                Some("**Tool:** `bash`\n\n```json\n{\n  \"command\": \"ls\"\n}\n```"),
            ),
            (
                json!({"type":"agent.tool_result","tool_use_id":"t","is_error":true,"content":[{"type":"text","text":"boom"}]}),
                Some("**Tool error:**\n\n```\nboom\n```"),
            ),
            (
                json!({"type":"user.tool_confirmation","tool_use_id":"t","result":"deny","deny_message":"no rm"}),
                Some("*You chose: deny (no rm)*"),
            ),
            (
                json!({"type":"session.status_idle","stop_reason":{"type":"requires_action","event_ids":["a"]}}),
                Some("---\n*Waiting for you*"),
            ),
            (
                json!({"type":"session.error","error":{"type":"x"}}),
                Some("> **Error:** unknown error"),
            ),
            (json!({"type":"span.model_request_start"}), None),
        ];
        for (value, expect) in cases {
            assert_eq!(
                event(value.clone()).markdown().as_deref(),
                expect,
                "{value}"
            );
        }
        let md = event(json!({"type":"agent.tool_result","tool_use_id":"t","content":[{"type":"text","text":"```\nrm -rf /\n```"}]}))
            .markdown()
            .unwrap();
        assert!(md.starts_with("**Result:**\n\n````\n"), "{md}");
        assert!(md.ends_with("\n````"), "{md}");
    }

    #[test]
    fn sendable_params_serialize_like_the_reference() {
        let cases = [
            (
                EventParams::message("hello"),
                json!({"type":"user.message","content":[{"type":"text","text":"hello"}]}),
            ),
            (
                EventParams::UserToolConfirmation {
                    tool_use_id: "sevt_20".into(),
                    result: Confirmation::Allow,
                    deny_message: None,
                },
                json!({"type":"user.tool_confirmation","tool_use_id":"sevt_20","result":"allow"}),
            ),
            (
                EventParams::UserCustomToolResult {
                    custom_tool_use_id: "sevt_21".into(),
                    content: vec![ContentBlock::text("shipped")],
                    is_error: None,
                },
                json!({"type":"user.custom_tool_result","custom_tool_use_id":"sevt_21","content":[{"type":"text","text":"shipped"}]}),
            ),
            (
                EventParams::UserInterrupt {
                    session_thread_id: None,
                },
                json!({"type":"user.interrupt"}),
            ),
            (
                EventParams::UserDefineOutcome {
                    description: "CSV of open orders".into(),
                    rubric: Rubric::Text {
                        content: "Header row; one row per order".into(),
                    },
                    max_iterations: Some(3),
                },
                json!({"type":"user.define_outcome","description":"CSV of open orders","rubric":{"type":"text","content":"Header row; one row per order"},"max_iterations":3}),
            ),
            (
                EventParams::SystemMessage {
                    content: vec![ContentBlock::text("Reply in French.")],
                },
                json!({"type":"system.message","content":[{"type":"text","text":"Reply in French."}]}),
            ),
        ];
        for (params, expect) in cases {
            assert_eq!(serde_json::to_value(&params).unwrap(), expect);
            assert_eq!(
                serde_json::from_value::<EventParams>(expect).unwrap(),
                params,
                "reads back"
            );
        }
    }
}
