//! The chat's rules, plain and tested natively: how each event of the catalogue becomes a card
//! (or joins one: a tool's result and its confirmation join the tool's card), the words a
//! person reads for statuses, stop reasons and errors, money, and the composer's keys.
//!
//! Agent output is data: texts stay texts here; the view renders Markdown only through
//! `hangar_render`, which drops raw HTML and cleans against an allowlist.

use hangar_types::model::events::SessionEvent;
use hangar_types::model::events::{
    content_text, ContentBlock, EventKind, KnownBlock, SessionErrorBody, StopReason,
};
use serde_json::Value;

/// What kind of tool a card shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToolKind {
    /// A built-in tool (bash, read, web_search, …).
    Builtin,
    /// A tool of an MCP server.
    Mcp {
        /// The server's name.
        server: String,
    },
    /// A custom tool the person answers.
    Custom,
}

/// The answer a tool confirmation got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Allowed.
    Allowed,
    /// Denied, with the reason given.
    Denied(Option<String>),
}

/// A tool call with everything that belongs to it.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolCard {
    /// The tool-use event's id.
    pub use_id: String,
    /// Built-in, MCP or custom.
    pub kind: ToolKind,
    /// The tool's name.
    pub name: String,
    /// Its input.
    pub input: Value,
    /// True when the tool waits for the person's Allow / Deny.
    pub asks: bool,
    /// How the permission was decided, in words ("Allowed automatically", …), when said.
    pub evaluation: Option<String>,
    /// The person's decision on a confirmation.
    pub decision: Option<Decision>,
    /// The result text and whether it is an error.
    pub result: Option<(String, bool)>,
    /// When it was called and when its result came (`processed_at`).
    pub started_at: Option<String>,
    /// When the result came.
    pub finished_at: Option<String>,
    /// The sub-agent thread it ran in, when cross-posted.
    pub thread: Option<String>,
}

impl ToolCard {
    /// The one-line summary: "Ran bash `ls -la`", "Called github › search_issues".
    pub fn summary(&self) -> String {
        let detail = short_input(&self.input);
        match &self.kind {
            ToolKind::Builtin => match detail {
                Some(d) => format!("Ran {} `{d}`", self.name),
                None => format!("Ran {}", self.name),
            },
            ToolKind::Mcp { server } => format!("Called {server} › {}", self.name),
            ToolKind::Custom => format!("Asked you to run {}", self.name),
        }
    }

    /// True while the card waits for the person (a confirmation or a custom result).
    pub fn waiting(&self) -> bool {
        match self.kind {
            ToolKind::Custom => self.result.is_none(),
            _ => self.asks && self.decision.is_none() && self.result.is_none(),
        }
    }

    /// Seconds between the call and its result, when both times are known.
    pub fn duration(&self) -> Option<f64> {
        let start = parse_time(self.started_at.as_deref()?)?;
        let end = parse_time(self.finished_at.as_deref()?)?;
        Some(((end - start).max(0) as f64) / 1_000_000.0)
    }
}

/// A card of the transcript.
#[derive(Debug, Clone, PartialEq)]
pub enum Card {
    /// The person's message (right).
    User {
        /// Its text.
        text: String,
    },
    /// The agent's message (left), Markdown.
    Agent {
        /// Markdown text (untrusted).
        markdown: String,
    },
    /// A system note sent with a message.
    System {
        /// Its text.
        text: String,
    },
    /// "Thinking…", collapsed.
    Thinking,
    /// A tool call with its result.
    Tool(ToolCard),
    /// A message between agents of a multi-agent session.
    ThreadMessage {
        /// "to" or "from".
        sent: bool,
        /// The other agent's name.
        agent: String,
        /// The thread.
        thread: String,
        /// The text (Markdown, untrusted).
        markdown: String,
    },
    /// A thin divider: a status change or a thread's.
    Divider {
        /// What happened, in words.
        text: String,
        /// A css modifier: running, idle, waiting, stopped, ended.
        tone: &'static str,
    },
    /// `session.error`: what happened and what happens next.
    Error {
        /// What happened.
        what: String,
        /// What happens next.
        next: String,
    },
    /// An outcome defined, and each round of its evaluation with its result and explanation.
    Outcome {
        /// The line.
        text: String,
        /// A css modifier: defined, checking, satisfied, revision, failed, stopped.
        tone: &'static str,
    },
    /// Observability spans and usage snapshots (shown with Details only).
    Span {
        /// The line.
        text: String,
    },
    /// An event Hangar does not know: its type and raw JSON.
    Unknown {
        /// Its type.
        event_type: String,
    },
}

/// What an event does to the transcript.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// A new card.
    Add(Card),
    /// Joins the tool card of `use_id`.
    Join {
        /// The tool use.
        use_id: String,
        /// What joins.
        part: Part,
    },
    /// Nothing to show (a stream-only preview, a deleted marker shown elsewhere).
    Nothing,
}

/// A part that joins a tool card.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// The result.
    Result {
        /// Its text.
        text: String,
        /// An error?
        is_error: bool,
        /// When.
        at: Option<String>,
    },
    /// The person's decision.
    Decision(Decision),
}

impl Part {
    /// Applies the part to its card.
    pub fn apply(self, card: &mut ToolCard) {
        match self {
            Part::Result { text, is_error, at } => {
                card.result = Some((text, is_error));
                card.finished_at = at;
            }
            Part::Decision(d) => card.decision = Some(d),
        }
    }

    /// The part shown on its own when its tool card is not in the window.
    pub fn alone(&self) -> Card {
        match self {
            Part::Result { text, is_error, .. } => Card::Span {
                text: format!(
                    "{} {}",
                    if *is_error {
                        "Tool error:"
                    } else {
                        "Tool result:"
                    },
                    text
                ),
            },
            Part::Decision(Decision::Allowed) => Card::Span {
                text: "You allowed a tool call.".into(),
            },
            Part::Decision(Decision::Denied(reason)) => Card::Span {
                text: match reason {
                    Some(r) => format!("You denied a tool call: {r}"),
                    None => "You denied a tool call.".into(),
                },
            },
        }
    }
}

/// Reads one event.
pub fn effect(event: &SessionEvent) -> Effect {
    let at = event.processed_at.clone();
    let id = event.id.as_ref().map(|i| i.to_string()).unwrap_or_default();
    Effect::Add(match &event.kind {
        EventKind::UserMessage { content } => Card::User {
            text: blocks_text(content),
        },
        EventKind::AgentMessage { content } => Card::Agent {
            markdown: blocks_text(content),
        },
        EventKind::SystemMessage { content } => Card::System {
            text: blocks_text(content),
        },
        EventKind::AgentThinking {} => Card::Thinking,
        EventKind::AgentToolUse {
            name,
            input,
            evaluated_permission,
            evaluation,
            session_thread_id,
        } => Card::Tool(ToolCard {
            use_id: id,
            kind: ToolKind::Builtin,
            name: name.clone(),
            input: input.clone(),
            asks: evaluated_permission.as_deref() == Some("ask"),
            evaluation: evaluation_words(evaluation.as_ref(), evaluated_permission.as_deref()),
            decision: None,
            result: None,
            started_at: at,
            finished_at: None,
            thread: session_thread_id.as_ref().map(|t| t.to_string()),
        }),
        EventKind::AgentMcpToolUse {
            name,
            mcp_server_name,
            input,
            evaluated_permission,
            evaluation,
            session_thread_id,
        } => Card::Tool(ToolCard {
            use_id: id,
            kind: ToolKind::Mcp {
                server: mcp_server_name.clone(),
            },
            name: name.clone(),
            input: input.clone(),
            asks: evaluated_permission.as_deref() == Some("ask"),
            evaluation: evaluation_words(evaluation.as_ref(), evaluated_permission.as_deref()),
            decision: None,
            result: None,
            started_at: at,
            finished_at: None,
            thread: session_thread_id.as_ref().map(|t| t.to_string()),
        }),
        EventKind::AgentCustomToolUse {
            name,
            input,
            session_thread_id,
        } => Card::Tool(ToolCard {
            use_id: id,
            kind: ToolKind::Custom,
            name: name.clone(),
            input: input.clone(),
            asks: false,
            evaluation: None,
            decision: None,
            result: None,
            started_at: at,
            finished_at: None,
            thread: session_thread_id.as_ref().map(|t| t.to_string()),
        }),
        EventKind::AgentToolResult {
            tool_use_id,
            content,
            is_error,
        } => {
            return Effect::Join {
                use_id: tool_use_id.to_string(),
                part: Part::Result {
                    text: blocks_text(content),
                    is_error: *is_error == Some(true),
                    at,
                },
            }
        }
        EventKind::AgentMcpToolResult {
            mcp_tool_use_id,
            content,
            is_error,
        } => {
            return Effect::Join {
                use_id: mcp_tool_use_id.to_string(),
                part: Part::Result {
                    text: blocks_text(content),
                    is_error: *is_error == Some(true),
                    at,
                },
            }
        }
        EventKind::UserCustomToolResult {
            custom_tool_use_id,
            content,
            is_error,
            ..
        }
        | EventKind::UserToolResult {
            tool_use_id: custom_tool_use_id,
            content,
            is_error,
            ..
        } => {
            return Effect::Join {
                use_id: custom_tool_use_id.to_string(),
                part: Part::Result {
                    text: blocks_text(content),
                    is_error: *is_error == Some(true),
                    at,
                },
            }
        }
        EventKind::UserToolConfirmation {
            tool_use_id,
            result,
            deny_message,
            ..
        } => {
            return Effect::Join {
                use_id: tool_use_id.to_string(),
                part: Part::Decision(if result == "allow" {
                    Decision::Allowed
                } else {
                    Decision::Denied(deny_message.clone().filter(|m| !m.trim().is_empty()))
                }),
            }
        }
        EventKind::UserInterrupt { .. } => Card::Divider {
            text: "You interrupted the agent.".into(),
            tone: "stopped",
        },
        EventKind::UserDefineOutcome {
            description,
            max_iterations,
            ..
        } => Card::Outcome {
            text: format!(
                "Outcome to reach: {description} (up to {} rounds)",
                max_iterations.unwrap_or(3)
            ),
            tone: "defined",
        },
        EventKind::AgentThreadMessageSent {
            to_session_thread_id,
            to_agent_name,
            content,
        } => Card::ThreadMessage {
            sent: true,
            agent: to_agent_name
                .clone()
                .unwrap_or_else(|| "another agent".into()),
            thread: to_session_thread_id.to_string(),
            markdown: blocks_text(content),
        },
        EventKind::AgentThreadMessageReceived {
            from_session_thread_id,
            from_agent_name,
            content,
        } => Card::ThreadMessage {
            sent: false,
            agent: from_agent_name
                .clone()
                .unwrap_or_else(|| "another agent".into()),
            thread: from_session_thread_id.to_string(),
            markdown: blocks_text(content),
        },
        EventKind::AgentThreadContextCompacted {} => Card::Divider {
            text: "The conversation was summarized to fit the model's context window.".into(),
            tone: "idle",
        },
        EventKind::SessionStatusRunning {} => Card::Divider {
            text: "The agent is working".into(),
            tone: "running",
        },
        EventKind::SessionStatusIdle { stop_reason, .. } => Card::Divider {
            text: stop_words(stop_reason).into(),
            tone: match stop_reason {
                StopReason::EndTurn => "idle",
                StopReason::RequiresAction { .. } => "waiting",
                _ => "stopped",
            },
        },
        EventKind::SessionStatusRescheduled {} => Card::Divider {
            text: "Something went wrong; the service is retrying by itself.".into(),
            tone: "waiting",
        },
        EventKind::SessionStatusTerminated {} => Card::Divider {
            text: "The session has ended. It accepts no more messages.".into(),
            tone: "ended",
        },
        EventKind::SessionError { error } => {
            let (what, next) = error_words(error);
            Card::Error { what, next }
        }
        EventKind::SessionDeleted {} => Card::Divider {
            text: "The session was deleted.".into(),
            tone: "ended",
        },
        EventKind::SessionUpdated { title, .. } => Card::Span {
            text: match title.as_ref().and_then(Value::as_str) {
                Some(t) => format!("Renamed to “{t}”"),
                None => "The session's settings changed.".into(),
            },
        },
        EventKind::SessionUsage { usage, .. } => Card::Span {
            text: format!(
                "Usage so far: {} tokens in, {} out{}",
                usage.input_tokens.unwrap_or(0),
                usage.output_tokens.unwrap_or(0),
                usage
                    .list_cost
                    .as_ref()
                    .and_then(|m| money(&m.amount, &m.currency))
                    .map(|c| format!(", about {c}"))
                    .unwrap_or_default()
            ),
        },
        EventKind::SessionThreadCreated { agent_name, .. } => Card::Divider {
            text: format!("{agent_name} joined (a sub-agent thread)"),
            tone: "running",
        },
        EventKind::SessionThreadStatusRunning { agent_name, .. } => Card::Divider {
            text: format!("{agent_name} is working"),
            tone: "running",
        },
        EventKind::SessionThreadStatusIdle {
            agent_name,
            stop_reason,
            ..
        } => Card::Divider {
            text: format!("{agent_name}: {}", stop_words(stop_reason)),
            tone: "idle",
        },
        EventKind::SessionThreadStatusRescheduled { agent_name, .. } => Card::Divider {
            text: format!("{agent_name}: retrying after a problem"),
            tone: "waiting",
        },
        EventKind::SessionThreadStatusTerminated { agent_name, .. } => Card::Divider {
            text: format!("{agent_name} has finished for good"),
            tone: "ended",
        },
        EventKind::SpanModelRequestStart {} => Card::Span {
            text: "Model request started".into(),
        },
        EventKind::SpanModelRequestEnd {
            is_error,
            model_usage,
            ..
        } => Card::Span {
            text: format!(
                "Model request {}: {} tokens in ({} from cache), {} out",
                if *is_error == Some(true) {
                    "failed"
                } else {
                    "done"
                },
                model_usage.input_tokens,
                model_usage.cache_read_input_tokens,
                model_usage.output_tokens
            ),
        },
        EventKind::SpanOutcomeEvaluationStart { iteration, .. } => Card::Outcome {
            text: format!(
                "Checking the result against the outcome (round {})…",
                iteration + 1
            ),
            tone: "checking",
        },
        EventKind::SpanOutcomeEvaluationOngoing { iteration, .. } => Card::Span {
            text: format!("Still checking the outcome (round {})…", iteration + 1),
        },
        EventKind::SpanOutcomeEvaluationEnd {
            iteration,
            result,
            explanation,
            ..
        } => Card::Outcome {
            text: format!(
                "Outcome check, round {}: {}{}",
                iteration + 1,
                outcome_words(result),
                explanation
                    .as_deref()
                    .filter(|e| !e.is_empty())
                    .map(|e| format!(" — {e}"))
                    .unwrap_or_default()
            ),
            tone: outcome_tone(result),
        },
        EventKind::WorkflowRunCreated { name, .. } => Card::Divider {
            text: format!("Workflow “{name}” started"),
            tone: "running",
        },
        EventKind::WorkflowRunStatusRunning { .. } => Card::Span {
            text: "Workflow running".into(),
        },
        EventKind::WorkflowRunStatusIdle { .. } => Card::Span {
            text: "Workflow idle".into(),
        },
        EventKind::WorkflowRunPhaseStarted {
            workflow_run_phase_id,
            ..
        } => Card::Span {
            text: format!("Workflow phase {workflow_run_phase_id} started"),
        },
        EventKind::WorkflowRunPhaseEnded {
            workflow_run_phase_id,
            ..
        } => Card::Span {
            text: format!("Workflow phase {workflow_run_phase_id} ended"),
        },
        EventKind::WorkflowRunStatusEnded { result, .. } => Card::Divider {
            text: format!(
                "Workflow ended: {}",
                result.get("type").and_then(Value::as_str).unwrap_or("done")
            ),
            tone: "idle",
        },
        EventKind::WorkflowRunError { error, .. } => Card::Error {
            what: if error.message.is_empty() {
                "The workflow failed.".into()
            } else {
                format!("The workflow failed: {}", error.message)
            },
            next: "The workflow stopped.".into(),
        },
        EventKind::EventStart { .. } | EventKind::EventDelta { .. } => return Effect::Nothing,
        EventKind::Unknown { event_type } => Card::Unknown {
            event_type: if event_type.is_empty() {
                "(no type)".into()
            } else {
                event_type.clone()
            },
        },
    })
}

/// The thread an event belongs to (for the thread switcher): `None` for the primary thread.
pub fn thread_of(event: &SessionEvent) -> Option<String> {
    match &event.kind {
        EventKind::AgentThreadMessageSent {
            to_session_thread_id,
            ..
        } => Some(to_session_thread_id.to_string()),
        EventKind::AgentThreadMessageReceived {
            from_session_thread_id,
            ..
        } => Some(from_session_thread_id.to_string()),
        _ => event.session_thread_id().map(|t| t.to_string()),
    }
}

/// The agent name a thread event names, to label the thread switcher.
pub fn thread_name(event: &SessionEvent) -> Option<(String, String)> {
    match &event.kind {
        EventKind::SessionThreadCreated {
            session_thread_id,
            agent_name,
            ..
        } => Some((session_thread_id.to_string(), agent_name.clone())),
        EventKind::AgentThreadMessageSent {
            to_session_thread_id,
            to_agent_name: Some(name),
            ..
        } => Some((to_session_thread_id.to_string(), name.clone())),
        EventKind::AgentThreadMessageReceived {
            from_session_thread_id,
            from_agent_name: Some(name),
            ..
        } => Some((from_session_thread_id.to_string(), name.clone())),
        _ => None,
    }
}

/// Text blocks joined; other blocks named, so nothing silently disappears.
fn blocks_text(content: &[ContentBlock]) -> String {
    let mut parts = Vec::new();
    for block in content {
        match block {
            ContentBlock::Known(KnownBlock::Text { text }) => parts.push(text.clone()),
            ContentBlock::Known(KnownBlock::Image { .. }) => parts.push("[an image]".into()),
            ContentBlock::Known(KnownBlock::Document { title, .. }) => parts.push(format!(
                "[a document{}]",
                title
                    .as_deref()
                    .map(|t| format!(": {t}"))
                    .unwrap_or_default()
            )),
            ContentBlock::Known(KnownBlock::SearchResult { title, content, .. }) => {
                parts.push(format!(
                    "[search result{}] {}",
                    title
                        .as_deref()
                        .map(|t| format!(": {t}"))
                        .unwrap_or_default(),
                    content_text(content)
                ))
            }
            ContentBlock::Known(KnownBlock::Redacted {}) => parts.push("[withheld]".into()),
            ContentBlock::Other(v) => parts.push(format!(
                "[{}]",
                v.get("type").and_then(Value::as_str).unwrap_or("content")
            )),
        }
    }
    parts.join("\n\n")
}

/// The most telling part of a tool's input for its one-line summary.
fn short_input(input: &Value) -> Option<String> {
    let pick = ["command", "path", "file_path", "url", "query", "pattern"]
        .iter()
        .find_map(|k| input.get(*k).and_then(Value::as_str))?;
    let line = pick.lines().next().unwrap_or("");
    let mut short: String = line.chars().take(80).collect();
    if short.len() < pick.len() {
        short.push('…');
    }
    Some(short.replace('`', "'"))
}

fn evaluation_words(evaluation: Option<&Value>, permission: Option<&str>) -> Option<String> {
    let kind = evaluation
        .and_then(|e| e.get("type"))
        .and_then(Value::as_str);
    match kind {
        Some("auto") => {
            let judged = evaluation
                .and_then(|e| e.get("evaluated_permission"))
                .and_then(|p| p.get("type"))
                .and_then(Value::as_str)
                .or(permission);
            Some(match judged {
                Some("allow") => "Allowed automatically (auto policy)".into(),
                Some("deny") => "Denied automatically (auto policy)".into(),
                Some("ask") => "The auto policy asks you".into(),
                _ => "Judged by the auto policy".into(),
            })
        }
        Some("always_ask") => Some("Asks you every time".into()),
        Some("always_allow") => Some("Always allowed".into()),
        _ => None,
    }
}

/// A stop reason in plain words.
pub fn stop_words(reason: &StopReason) -> &'static str {
    match reason {
        StopReason::EndTurn => "The agent finished its turn",
        StopReason::RequiresAction { .. } => "Waiting for you",
        StopReason::RetriesExhausted => {
            "Stopped: errors used up every retry (or the context window is full)"
        }
        StopReason::BudgetReached => "Stopped: the session's budget is used up",
        StopReason::Refusal => "The model declined to continue",
        StopReason::Other(_) => "The agent stopped",
    }
}

/// What the chat says, in its header, once a session has used up its spending cap: what
/// happened and what to do. `cost` and `cap` in minor units of USD, when known.
pub fn budget_words(cost: Option<&str>, cap: Option<&str>) -> String {
    let spent = match (
        cost.and_then(|c| money(c, "USD")),
        cap.and_then(|c| money(c, "USD")),
    ) {
        (Some(cost), Some(cap)) => format!(" ({cost} of {cap})"),
        (None, Some(cap)) => format!(" of {cap}"),
        _ => String::new(),
    };
    format!(
        "Stopped: this session used up its spending cap{spent}. The agent does no more work until the cap is raised or removed."
    )
}

/// The css modifier of an evaluation's result.
pub fn outcome_tone(result: &str) -> &'static str {
    match result {
        "satisfied" => "satisfied",
        "needs_revision" => "revision",
        "max_iterations_reached" | "failed" => "failed",
        "interrupted" => "stopped",
        _ => "checking",
    }
}

fn outcome_words(result: &str) -> &str {
    match result {
        "satisfied" => "satisfied",
        "needs_revision" => "needs another round",
        "max_iterations_reached" => "stopped after the last round",
        "failed" => "failed",
        "interrupted" => "interrupted",
        other => other,
    }
}

/// A `session.error` in plain words: what happened, and what happens next.
pub fn error_words(error: &SessionErrorBody) -> (String, String) {
    let server = error
        .extra
        .get("mcp_server_name")
        .and_then(Value::as_str)
        .unwrap_or("an MCP server");
    let what = match error.error_type.as_str() {
        "model_overloaded_error" => "The model is overloaded right now.".to_string(),
        "model_rate_limited_error" => "The model's rate limit was reached.".to_string(),
        "model_request_failed_error" => "A request to the model failed.".to_string(),
        "mcp_connection_failed_error" => format!("Hangar's agent could not connect to {server}."),
        "mcp_authentication_failed_error" => format!("{server} refused the agent's credentials."),
        "billing_error" => "The account has a billing problem.".to_string(),
        "credential_host_unreachable_error" => {
            "A vault credential's host could not be reached.".to_string()
        }
        "tool_use_limit_reached_error" => {
            "The agent used as many tools as one turn allows.".to_string()
        }
        "compaction_limit_reached_error" => {
            "The conversation no longer fits the model's context window.".to_string()
        }
        t if t.starts_with("repository_") => {
            "The repository could not be checked out; the session goes on without it.".to_string()
        }
        _ if !error.message.is_empty() => format!("Something went wrong: {}", error.message),
        _ => "Something went wrong.".to_string(),
    };
    let status = error
        .retry_status
        .as_ref()
        .and_then(|r| r.get("type"))
        .and_then(Value::as_str);
    let next = match status {
        Some("retrying") => "The service is retrying by itself; nothing to do.",
        Some("exhausted") => {
            "The retries are used up: this turn ended. You can send a new message."
        }
        Some("terminal") => "The session will end; it accepts no more messages.",
        _ => "The agent may stop; you can send a new message.",
    };
    (what, next.to_string())
}

/// Money in minor units as a person reads it: `"7"` USD → `$0.07`.
pub fn money(amount: &str, currency: &str) -> Option<String> {
    let cents: u64 = amount.trim().parse().ok()?;
    let whole = cents / 100;
    let rest = cents % 100;
    Some(match currency {
        "USD" => format!("${whole}.{rest:02}"),
        "EUR" => format!("€{whole}.{rest:02}"),
        other => format!("{whole}.{rest:02} {other}"),
    })
}

/// What a key press in the composer does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComposerKey {
    /// Send the message.
    Send,
    /// Let the textarea have it (a newline with Shift, typing).
    Type,
    /// Interrupt the agent.
    Interrupt,
}

/// Enter sends, Shift+Enter is a newline, Esc interrupts (while the agent runs).
pub fn composer_key(key: &str, shift: bool, composing: bool, running: bool) -> ComposerKey {
    match key {
        "Enter" if !shift && !composing => ComposerKey::Send,
        "Escape" if running => ComposerKey::Interrupt,
        _ => ComposerKey::Type,
    }
}

/// Can the person write here, and if not, why.
pub fn composer_block(status: &str, archived: bool, online: bool) -> Option<&'static str> {
    if archived {
        Some("This session is archived: it is read-only.")
    } else if status == "terminated" {
        Some("This session has ended: it is read-only.")
    } else if !online {
        Some("You are offline: messages can be sent once Hangar reaches the API again.")
    } else {
        None
    }
}

/// `2026-11-20T10:00:01.000000Z` in µs since the epoch (UTC only, as the API writes it).
pub fn parse_time(s: &str) -> Option<i64> {
    let (date, time) = s.split_once('T')?;
    let mut d = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let time = time.trim_end_matches('Z');
    let (hms, frac) = time.split_once('.').unwrap_or((time, "0"));
    let mut t = hms.split(':').map(|p| p.parse::<i64>().ok());
    let (h, mi, sec) = (t.next()??, t.next()??, t.next()??);
    let digits: String = frac.chars().take(6).collect();
    let micros = format!("{digits:0<6}").parse::<i64>().ok()?;
    let (yy, mm) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = yy.div_euclid(400);
    let yoe = yy - era * 400;
    let doy = (153 * mm + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 86_400 + h * 3600 + mi * 60 + sec) * 1_000_000) + micros)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ev(v: Value) -> SessionEvent {
        SessionEvent::parse(&v.to_string()).unwrap()
    }

    #[test]
    fn every_catalogue_type_reads_without_a_crash() {
        let catalogue = include_str!("../../crates/hangar-model/tests/fixtures/events.jsonl");
        let mut cards = 0;
        for line in catalogue.lines().filter(|l| !l.trim().is_empty()) {
            let event = SessionEvent::parse(line).unwrap();
            match effect(&event) {
                Effect::Add(Card::Unknown { .. }) => panic!("known type read as unknown: {line}"),
                Effect::Add(_) => cards += 1,
                Effect::Join { .. } | Effect::Nothing => {}
            }
        }
        assert!(cards > 30, "{cards}");
        let odd = ev(json!({"type": "agent.teleported", "id": "x"}));
        assert_eq!(
            effect(&odd),
            Effect::Add(Card::Unknown {
                event_type: "agent.teleported".into()
            })
        );
    }

    #[test]
    fn tools_pair_with_their_results_and_decisions() {
        let Effect::Add(Card::Tool(mut card)) = effect(&ev(
            json!({"type":"agent.tool_use","id":"t1","name":"bash","input":{"command":"ls -la"},"evaluated_permission":"ask","evaluation":{"type":"always_ask"},"processed_at":"2026-11-20T10:00:00Z"}),
        )) else {
            panic!("a tool card")
        };
        assert_eq!(card.summary(), "Ran bash `ls -la`");
        assert!(card.waiting());
        let Effect::Join { use_id, part } = effect(&ev(
            json!({"type":"user.tool_confirmation","id":"c","tool_use_id":"t1","result":"deny","deny_message":"not now"}),
        )) else {
            panic!("joins")
        };
        assert_eq!(use_id, "t1");
        part.apply(&mut card);
        assert_eq!(
            card.decision,
            Some(Decision::Denied(Some("not now".into())))
        );
        assert!(!card.waiting());
        let Effect::Join { part, .. } = effect(&ev(
            json!({"type":"agent.tool_result","id":"r","tool_use_id":"t1","content":[{"type":"text","text":"denied"}],"is_error":true,"processed_at":"2026-11-20T10:00:02.500000Z"}),
        )) else {
            panic!("joins")
        };
        part.apply(&mut card);
        assert_eq!(card.result, Some(("denied".into(), true)));
        assert_eq!(card.duration(), Some(2.5));
        let Effect::Add(Card::Tool(mcp)) = effect(&ev(
            json!({"type":"agent.mcp_tool_use","id":"m","name":"search_issues","mcp_server_name":"github","input":{},"evaluated_permission":"allow","evaluation":{"type":"auto","evaluated_permission":{"type":"allow"}}}),
        )) else {
            panic!("mcp")
        };
        assert_eq!(mcp.summary(), "Called github › search_issues");
        assert_eq!(
            mcp.evaluation.as_deref(),
            Some("Allowed automatically (auto policy)")
        );
        assert!(!mcp.waiting());
        let Effect::Add(Card::Tool(custom)) = effect(&ev(
            json!({"type":"agent.custom_tool_use","id":"c1","name":"lookup_order","input":{"order_id":"1"}}),
        )) else {
            panic!("custom")
        };
        assert!(custom.waiting());
    }

    #[test]
    fn errors_and_stops_in_plain_words() {
        let (what, next) = match effect(&ev(
            json!({"type":"session.error","id":"e","error":{"type":"mcp_connection_failed_error","message":"x","mcp_server_name":"github","retry_status":{"type":"retrying"}}}),
        )) {
            Effect::Add(Card::Error { what, next }) => (what, next),
            other => panic!("{other:?}"),
        };
        assert!(what.contains("github"), "{what}");
        assert!(next.contains("retrying"), "{next}");
        for (status, words) in [("exhausted", "turn ended"), ("terminal", "will end")] {
            let e = ev(
                json!({"type":"session.error","id":"e","error":{"type":"unknown_error","message":"boom","retry_status":{"type":status}}}),
            );
            let Effect::Add(Card::Error { next, .. }) = effect(&e) else {
                panic!()
            };
            assert!(next.contains(words), "{next}");
        }
        assert!(stop_words(&StopReason::RetriesExhausted).contains("context window"));
        assert!(stop_words(&StopReason::BudgetReached).contains("budget"));
        assert_eq!(
            budget_words(Some("2500"), Some("2500")),
            "Stopped: this session used up its spending cap ($25.00 of $25.00). The agent does no more work until the cap is raised or removed."
        );
        assert!(budget_words(None, Some("300")).contains("cap of $3.00."));
        assert!(
            budget_words(None, None).starts_with("Stopped: this session used up its spending cap.")
        );
    }

    #[test]
    fn keys_money_and_read_only() {
        assert_eq!(
            composer_key("Enter", false, false, false),
            ComposerKey::Send
        );
        assert_eq!(composer_key("Enter", true, false, false), ComposerKey::Type);
        assert_eq!(composer_key("Enter", false, true, false), ComposerKey::Type);
        assert_eq!(
            composer_key("Escape", false, false, true),
            ComposerKey::Interrupt
        );
        assert_eq!(
            composer_key("Escape", false, false, false),
            ComposerKey::Type
        );
        assert_eq!(money("7", "USD").as_deref(), Some("$0.07"));
        assert_eq!(money("2500", "USD").as_deref(), Some("$25.00"));
        assert_eq!(money("x", "USD"), None);
        assert!(composer_block("terminated", false, true).is_some());
        assert!(composer_block("idle", true, true).is_some());
        assert!(composer_block("idle", false, false)
            .unwrap()
            .contains("offline"));
        assert_eq!(composer_block("running", false, true), None);
        assert_eq!(parse_time("1970-01-01T00:00:01.5Z"), Some(1_500_000));
        assert_eq!(
            parse_time("2026-11-20T10:00:01.000000Z"),
            Some(1_795_168_801_000_000)
        );
    }

    #[test]
    fn outcome_rounds_show_their_result_and_explanation() {
        let end = |result: &str, why: &str| {
            effect(&ev(
                json!({"type":"span.outcome_evaluation_end","id":"e","outcome_evaluation_start_id":"s","outcome_id":"outc_1",
                "iteration":1,"result":result,"explanation":why,
                "usage":{"input_tokens":1,"output_tokens":1,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}),
            ))
        };
        assert_eq!(
            end("needs_revision", "Header row missing."),
            Effect::Add(Card::Outcome {
                text: "Outcome check, round 2: needs another round — Header row missing.".into(),
                tone: "revision"
            })
        );
        let Effect::Add(Card::Outcome { text, tone }) = end("satisfied", "All met.") else {
            panic!()
        };
        assert_eq!(
            (text.as_str(), tone),
            ("Outcome check, round 2: satisfied — All met.", "satisfied")
        );
        for (result, tone) in [
            ("failed", "failed"),
            ("max_iterations_reached", "failed"),
            ("interrupted", "stopped"),
        ] {
            let Effect::Add(Card::Outcome { tone: t, .. }) = end(result, "") else {
                panic!()
            };
            assert_eq!(t, tone, "{result}");
        }
        let defined = effect(&ev(
            json!({"type":"user.define_outcome","id":"d","description":"A CSV","rubric":{"type":"text","content":"x"},"max_iterations":5,"outcome_id":"outc_1"}),
        ));
        assert_eq!(
            defined,
            Effect::Add(Card::Outcome {
                text: "Outcome to reach: A CSV (up to 5 rounds)".into(),
                tone: "defined"
            })
        );
    }

    #[test]
    fn threads_are_named() {
        let e = ev(
            json!({"type":"agent.thread_message_received","id":"x","from_session_thread_id":"sthr_1","from_agent_name":"researcher","content":[{"type":"text","text":"UPS."}]}),
        );
        assert_eq!(thread_of(&e).as_deref(), Some("sthr_1"));
        assert_eq!(
            thread_name(&e),
            Some(("sthr_1".into(), "researcher".into()))
        );
        let Effect::Add(Card::ThreadMessage { sent, agent, .. }) = effect(&e) else {
            panic!()
        };
        assert!(!sent);
        assert_eq!(agent, "researcher");
    }
}
