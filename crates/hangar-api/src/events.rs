//! Session events: the whole catalogue of reference §6 as a typed enum, an `Unknown` fallback,
//! and the raw JSON kept alongside every event; plus the client-sendable event params.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A content block (`text`, `image`, `document`, `search_result`, `redacted`, or anything newer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ContentBlock {
    /// A block whose type Hangar reads.
    Known(KnownBlock),
    /// Any other block, kept as received.
    Other(Value),
}

/// Content blocks Hangar reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum KnownBlock {
    /// Plain text (Markdown from agents).
    Text {
        /// The text.
        text: String,
    },
    /// Content withheld by the API.
    Redacted {},
}

impl ContentBlock {
    /// A text block.
    pub fn text(text: impl Into<String>) -> Self {
        ContentBlock::Known(KnownBlock::Text { text: text.into() })
    }
}

/// All text blocks of `content` joined by blank lines.
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

/// Why a session went idle. Unknown reasons end the turn, as in the SDKs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopReason {
    /// The turn is complete.
    EndTurn,
    /// Blocked on these events (tool confirmations, custom tool results).
    RequiresAction {
        /// The events to answer.
        event_ids: Vec<String>,
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
}

impl<'de> Deserialize<'de> for StopReason {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
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
                            .map(str::to_string)
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

/// The `error` of a `session.error` event.
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
}

/// Token counts of one model request.
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
        session_thread_id: Option<String>,
    },
    #[serde(rename = "user.tool_confirmation")]
    UserToolConfirmation {
        tool_use_id: String,
        result: String,
        #[serde(default)]
        deny_message: Option<String>,
    },
    #[serde(rename = "user.custom_tool_result")]
    UserCustomToolResult {
        custom_tool_use_id: String,
        #[serde(default)]
        content: Vec<ContentBlock>,
        #[serde(default)]
        is_error: Option<bool>,
    },
    #[serde(rename = "user.tool_result")]
    UserToolResult {
        tool_use_id: String,
        #[serde(default)]
        content: Vec<ContentBlock>,
        #[serde(default)]
        is_error: Option<bool>,
    },
    #[serde(rename = "user.define_outcome")]
    UserDefineOutcome {
        description: String,
        rubric: Value,
        #[serde(default)]
        max_iterations: Option<u32>,
        #[serde(default)]
        outcome_id: Option<String>,
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
        session_thread_id: Option<String>,
    },
    #[serde(rename = "agent.tool_result")]
    AgentToolResult {
        tool_use_id: String,
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
        session_thread_id: Option<String>,
    },
    #[serde(rename = "agent.mcp_tool_result")]
    AgentMcpToolResult {
        mcp_tool_use_id: String,
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
        session_thread_id: Option<String>,
    },
    #[serde(rename = "agent.thread_message_sent")]
    AgentThreadMessageSent {
        to_session_thread_id: String,
        #[serde(default)]
        to_agent_name: Option<String>,
        #[serde(default)]
        content: Vec<ContentBlock>,
    },
    #[serde(rename = "agent.thread_message_received")]
    AgentThreadMessageReceived {
        from_session_thread_id: String,
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
        usage: Value,
        #[serde(default)]
        budget: Option<Value>,
    },
    #[serde(rename = "session.thread_created")]
    SessionThreadCreated {
        session_thread_id: String,
        agent_name: String,
        #[serde(default)]
        workflow_run_id: Option<String>,
    },
    #[serde(rename = "session.thread_status_running")]
    SessionThreadStatusRunning {
        session_thread_id: String,
        agent_name: String,
    },
    #[serde(rename = "session.thread_status_idle")]
    SessionThreadStatusIdle {
        session_thread_id: String,
        agent_name: String,
        stop_reason: StopReason,
        #[serde(default)]
        stop_details: Option<Value>,
    },
    #[serde(rename = "session.thread_status_rescheduled")]
    SessionThreadStatusRescheduled {
        session_thread_id: String,
        agent_name: String,
    },
    #[serde(rename = "session.thread_status_terminated")]
    SessionThreadStatusTerminated {
        session_thread_id: String,
        agent_name: String,
    },
    #[serde(rename = "span.model_request_start")]
    SpanModelRequestStart {},
    #[serde(rename = "span.model_request_end")]
    SpanModelRequestEnd {
        model_request_start_id: String,
        #[serde(default)]
        is_error: Option<bool>,
        model_usage: ModelUsage,
    },
    #[serde(rename = "span.outcome_evaluation_start")]
    SpanOutcomeEvaluationStart { outcome_id: String, iteration: u32 },
    #[serde(rename = "span.outcome_evaluation_ongoing")]
    SpanOutcomeEvaluationOngoing { outcome_id: String, iteration: u32 },
    #[serde(rename = "span.outcome_evaluation_end")]
    SpanOutcomeEvaluationEnd {
        outcome_evaluation_start_id: String,
        outcome_id: String,
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
        phase_started_id: String,
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
        error: Value,
    },
    #[serde(rename = "event_start")]
    EventStart { event: PreviewRef },
    #[serde(rename = "event_delta")]
    EventDelta { event_id: String, delta: Delta },
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
    pub id: String,
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

/// One event: its id and time, its typed kind, and the JSON exactly as received.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionEvent {
    /// The id (absent on stream-only previews).
    pub id: Option<String>,
    /// The `type` string, even for unknown kinds.
    pub event_type: String,
    /// `processed_at`, when set.
    pub processed_at: Option<String>,
    /// The typed view.
    pub kind: EventKind,
    /// The JSON exactly as received.
    pub raw: String,
}

impl SessionEvent {
    /// Decodes one event. Never fails on an unknown type or unexpected fields: those become
    /// [`EventKind::Unknown`]. Fails only when the text is not a JSON object.
    pub fn parse(raw: &str) -> Result<Self, serde_json::Error> {
        let value: Value = serde_json::from_str(raw)?;
        Ok(Self::from_value(value, raw.to_string()))
    }

    /// Decodes from an already parsed value (the raw text is kept as given).
    pub fn from_value(value: Value, raw: String) -> Self {
        let event_type = value
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let id = value.get("id").and_then(Value::as_str).map(str::to_string);
        let processed_at = value
            .get("processed_at")
            .and_then(Value::as_str)
            .map(str::to_string);
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
        matches!(
            self.kind,
            EventKind::SessionStatusTerminated {} | EventKind::SessionDeleted {}
        )
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

/// Events a client can send (reference §6.1, "sendable").
#[derive(Debug, Clone, PartialEq, Serialize)]
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
        #[serde(skip_serializing_if = "Option::is_none")]
        session_thread_id: Option<String>,
    },
    #[serde(rename = "user.tool_confirmation")]
    UserToolConfirmation {
        tool_use_id: String,
        result: Confirmation,
        #[serde(skip_serializing_if = "Option::is_none")]
        deny_message: Option<String>,
    },
    #[serde(rename = "user.custom_tool_result")]
    UserCustomToolResult {
        custom_tool_use_id: String,
        content: Vec<ContentBlock>,
        #[serde(skip_serializing_if = "Option::is_none")]
        is_error: Option<bool>,
    },
    #[serde(rename = "user.tool_result")]
    UserToolResult {
        tool_use_id: String,
        content: Vec<ContentBlock>,
        #[serde(skip_serializing_if = "Option::is_none")]
        is_error: Option<bool>,
    },
    #[serde(rename = "user.define_outcome")]
    UserDefineOutcome {
        description: String,
        rubric: Value,
        #[serde(skip_serializing_if = "Option::is_none")]
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

    /// One example of every persisted type, exactly as reference §7.2 shows them.
    const CATALOGUE: &str = include_str!("../../hangar-model/tests/fixtures/events.jsonl");

    #[test]
    fn every_catalogue_event_decodes_to_its_own_variant() {
        let mut count = 0;
        for line in CATALOGUE.lines().filter(|l| !l.trim().is_empty()) {
            let event = SessionEvent::parse(line).unwrap();
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
        let EventKind::AgentMessage { content } = e.kind else {
            panic!("not a message")
        };
        assert_eq!(content_text(&content), "hi");
        assert!(
            SessionEvent::parse("[1,2]").is_ok(),
            "non-objects become Unknown too"
        );
        assert!(SessionEvent::parse("{oops").is_err());
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
                    description: "CSV".into(),
                    rubric: json!({"type":"text","content":"Header row"}),
                    max_iterations: Some(3),
                },
                json!({"type":"user.define_outcome","description":"CSV","rubric":{"type":"text","content":"Header row"},"max_iterations":3}),
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
        }
    }
}
