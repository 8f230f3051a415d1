//! Spending (issue 14): the Usage page's cost per day, per agent and per session over the
//! sessions cached on this computer, and its CSV export.

use serde::{Deserialize, Serialize};

/// Input of `usage_report` and `usage_export`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UsageInput {
    /// The person's time zone, in minutes east of UTC: days are their local days.
    pub offset_minutes: i32,
}

/// One bar of a chart: a day, an agent or a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageBar {
    /// The day (`YYYY-MM-DD`), the agent's id or the session's id.
    pub key: String,
    /// What a person reads: the day, the agent's name, the session's title.
    pub label: String,
    /// Cost at list prices, in cents (USD).
    pub cents: i64,
    /// Tokens in + out.
    pub tokens: i64,
    /// Sessions counted.
    pub sessions: i64,
}

/// Output of `usage_report`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageReport {
    /// Every cached session's cost, in cents (USD).
    pub total_cents: i64,
    /// Every cached session's tokens.
    pub total_tokens: i64,
    /// Sessions counted.
    pub sessions: i64,
    /// Sessions the API reported no cost for (yet).
    pub unpriced: i64,
    /// By the local day each session started, oldest first.
    pub by_day: Vec<UsageBar>,
    /// By agent, the most expensive first.
    pub by_agent: Vec<UsageBar>,
    /// The most expensive sessions first (at most 100).
    pub by_session: Vec<UsageBar>,
}
