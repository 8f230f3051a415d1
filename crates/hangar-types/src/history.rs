//! History (issue 12): the sessions list from the cache with its filters and pins, search over
//! every cached transcript, export and import of sessions, the local data's upkeep.

use serde::{Deserialize, Serialize};

use crate::{AgentId, EventId, SessionId};

/// Input of `history_sessions`: every filter is optional ("any").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct HistoryListInput {
    /// Only this agent's sessions.
    pub agent_id: Option<AgentId>,
    /// Only these statuses (idle, running, rescheduling, terminated).
    pub statuses: Vec<String>,
    /// `Some(true)`: only archived; `Some(false)`: only not archived.
    pub archived: Option<bool>,
    /// Created at or after (ms since the epoch: the start of a local day).
    pub from_ms: Option<i64>,
    /// Created before (ms since the epoch).
    pub before_ms: Option<i64>,
    /// Only titles containing this text.
    pub title: Option<String>,
}

/// One session of the history list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistorySession {
    /// `sesn_…`
    pub id: SessionId,
    /// Title, if any.
    pub title: Option<String>,
    /// idle / running / rescheduling / terminated.
    pub status: String,
    /// The agent.
    pub agent_id: AgentId,
    /// Its name.
    pub agent_name: String,
    /// The version the session runs.
    pub agent_version: i64,
    /// RFC 3339.
    pub created_at: String,
    /// ms since the epoch of the newest activity.
    pub last_activity_ms: i64,
    /// Archived?
    pub archived: bool,
    /// Tokens in + out.
    pub tokens: i64,
    /// Pinned on this computer.
    pub pinned: bool,
    /// Imported from a file (not from this profile's API).
    pub imported: bool,
    /// The cost so far at list prices, in cents (USD), when the API reported one.
    #[serde(default)]
    pub cost_cents: Option<i64>,
    /// The spending cap in cents (USD), when the session has one.
    #[serde(default)]
    pub budget_cents: Option<i64>,
    /// The newest outcome's evaluation as the API reported it (`result` and 0-based
    /// `iteration` of `session.outcome_evaluations`), when an outcome was defined.
    #[serde(default)]
    pub outcome: Option<OutcomeState>,
}

/// Where a session's newest outcome stands (reference §5.3 `outcome_evaluations`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutcomeState {
    /// pending / running / evaluating, or satisfied / max_iterations_reached / failed /
    /// interrupted.
    pub result: String,
    /// The round (0-based).
    pub iteration: i64,
}

impl OutcomeState {
    /// The chip a list shows: `(css class, words)`. A round in progress after the first means
    /// the previous one asked for a revision.
    pub fn chip(&self) -> (&'static str, &'static str) {
        match self.result.as_str() {
            "satisfied" => ("satisfied", "outcome satisfied"),
            "failed" => ("failed", "outcome failed"),
            "max_iterations_reached" => ("failed", "outcome not reached"),
            "interrupted" => ("stopped", "outcome interrupted"),
            _ if self.iteration > 0 => ("revision", "needs revision"),
            _ => ("pending", "outcome pending"),
        }
    }
}

impl HistorySession {
    /// True when the session's cost has reached its spending cap.
    pub fn budget_reached(&self) -> bool {
        matches!((self.cost_cents, self.budget_cents), (Some(c), Some(b)) if c >= b)
    }
}

/// An agent to filter by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentChoice {
    /// Its id.
    pub id: AgentId,
    /// Its name.
    pub name: String,
}

/// Output of `history_sessions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryListOutput {
    /// Matching sessions, newest first (pinned ones are marked; the view puts them on top).
    pub sessions: Vec<HistorySession>,
    /// Every agent the cached sessions ran, for the agent filter.
    pub agents: Vec<AgentChoice>,
    /// True when more sessions match than were sent.
    pub truncated: bool,
}

/// Input of `session_pin`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionPinInput {
    /// The session.
    pub session_id: SessionId,
    /// Pin (true) or unpin.
    pub pinned: bool,
}

/// The order of search results.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchOrder {
    /// The most recent first (the default).
    #[default]
    Newest,
    /// The best matches first.
    Best,
}

/// Input of `search_query`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SearchInput {
    /// What was typed.
    pub query: String,
    /// Only this agent's sessions.
    pub agent_id: Option<AgentId>,
    /// Only events at or after (ms since the epoch).
    pub from_ms: Option<i64>,
    /// Only events before (ms since the epoch).
    pub before_ms: Option<i64>,
    /// Newest or best first.
    pub order: SearchOrder,
    /// At most this many hits (default 20, at most 200).
    pub limit: Option<u32>,
    /// Only this session (find inside the open transcript).
    pub session_id: Option<SessionId>,
}

/// A piece of a snippet; `mark` is a matched word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SnippetPart {
    /// The text.
    pub text: String,
    /// A match (shown in `<mark>`).
    pub mark: bool,
}

/// One search hit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    /// The session.
    pub session_id: SessionId,
    /// Its title.
    pub session_title: Option<String>,
    /// Its agent's name.
    pub agent_name: String,
    /// The event that matched.
    pub event_id: EventId,
    /// Its type (`agent.tool_result`, …).
    pub event_type: String,
    /// When it happened (ms since the epoch; 0 when unknown).
    pub at_ms: i64,
    /// The words around the match.
    pub snippet: Vec<SnippetPart>,
}

/// Output of `search_query`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchOutput {
    /// The query these hits answer (the view drops answers to older keystrokes).
    pub query: String,
    /// Hits in the order asked for.
    pub hits: Vec<SearchHit>,
    /// How long the search took in the backend (µs).
    pub took_us: u64,
}

/// The file formats one session exports to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// Readable Markdown.
    Markdown,
    /// One self-contained, sanitized HTML page.
    Html,
    /// Lossless JSON, re-importable.
    Json,
}

impl ExportFormat {
    /// Every format, in menu order.
    pub const ALL: [ExportFormat; 3] = [
        ExportFormat::Markdown,
        ExportFormat::Html,
        ExportFormat::Json,
    ];

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Markdown => "md",
            ExportFormat::Html => "html",
            ExportFormat::Json => "json",
        }
    }

    /// The menu entry's visible name.
    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::Markdown => "Markdown",
            ExportFormat::Html => "HTML",
            ExportFormat::Json => "JSON",
        }
    }
}

/// Input of `session_export`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionExportInput {
    /// The session.
    pub session_id: SessionId,
    /// The format.
    pub format: ExportFormat,
}

/// Input of `session_export_many`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SessionExportManyInput {
    /// These sessions; empty: every cached session of the profile.
    pub session_ids: Vec<SessionId>,
}

/// Progress of a many-session export or an import, sent on the command's channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArchiveProgress {
    /// Sessions done.
    pub done: u32,
    /// Sessions in all.
    pub total: u32,
}

/// Output of `session_export_many` and `backup_create`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArchiveOutput {
    /// The file written (`None`: the dialog was cancelled).
    pub path: Option<String>,
    /// Sessions in it.
    pub sessions: u32,
}

/// One session an import brought in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportedSession {
    /// Its id.
    pub session_id: SessionId,
    /// Its title.
    pub title: Option<String>,
    /// Events new here (0: it was all there already).
    pub new_events: u32,
    /// It was not cached before.
    pub new_session: bool,
}

/// Output of `session_import` and `backup_restore`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportOutput {
    /// False when the dialog was cancelled.
    pub chosen: bool,
    /// What came in.
    pub sessions: Vec<ImportedSession>,
}

/// Output of `local_data_info`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LocalDataInfo {
    /// The folder holding the cache.
    pub location: String,
    /// The cache's size on disk (bytes).
    pub bytes: u64,
    /// Cached sessions (every profile).
    pub sessions: u64,
    /// Cached events (every profile).
    pub events: u64,
    /// Sessions imported from files.
    pub imported: u64,
}

/// Input of `cache_clear`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CacheClearInput {
    /// Keep sessions imported from files (the default in the view).
    pub keep_imported: bool,
}

/// The person clicked the desktop notification about this session: the window opens it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotificationClicked {
    /// The session the notification was about.
    pub session_id: SessionId,
}

/// Which desktop notifications are on (Settings › Notifications); all on by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotifySettings {
    /// A session in the background finished its turn.
    pub turn_end: bool,
    /// A session waits for a tool confirmation or a custom tool answer.
    pub waiting: bool,
    /// A session stopped with an error.
    pub errors: bool,
}

impl Default for NotifySettings {
    fn default() -> Self {
        NotifySettings {
            turn_end: true,
            waiting: true,
            errors: true,
        }
    }
}

#[cfg(test)]
mod outcome_tests {
    use super::*;

    #[test]
    fn outcome_chips_say_where_the_outcome_stands() {
        let state = |result: &str, iteration| OutcomeState {
            result: result.into(),
            iteration,
        };
        let cases = [
            (state("satisfied", 1), "outcome satisfied"),
            (state("failed", 0), "outcome failed"),
            (state("max_iterations_reached", 2), "outcome not reached"),
            (state("interrupted", 0), "outcome interrupted"),
            (state("running", 1), "needs revision"),
            (state("evaluating", 2), "needs revision"),
            (state("pending", 0), "outcome pending"),
            (state("running", 0), "outcome pending"),
        ];
        for (s, words) in cases {
            assert_eq!(s.chip().1, words, "{s:?}");
        }
    }
}
