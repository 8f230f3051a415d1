//! Spending over the cached sessions (the Usage page): cost at list prices per local day (the
//! day each session started), per agent and per session, from the `usage.list_cost` and token
//! counts the API last reported for each session. Only US dollars are summed (the API prices in
//! them); a session without a cost yet counts as unpriced.

use rusqlite::params;

use crate::{Result, Store};

/// One group of sessions: a day, an agent or a single session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageGroup {
    /// `YYYY-MM-DD` (local), the agent's id, or the session's id.
    pub key: String,
    /// The day again, the agent's name, or the session's title (empty when untitled).
    pub label: String,
    /// Cost in cents (USD).
    pub cents: i64,
    /// Tokens in + out.
    pub tokens: i64,
    /// Sessions in the group.
    pub sessions: i64,
}

/// Every group of [`Store::usage_summary`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UsageSummary {
    /// Cost of every cached session, in cents (USD).
    pub total_cents: i64,
    /// Tokens of every cached session.
    pub total_tokens: i64,
    /// Sessions counted.
    pub sessions: i64,
    /// Sessions without a cost in US dollars.
    pub unpriced: i64,
    /// By local day of creation, oldest first.
    pub by_day: Vec<UsageGroup>,
    /// By agent, the most expensive first (then by name).
    pub by_agent: Vec<UsageGroup>,
    /// By session, the most expensive first (then the newest), at most `session_limit`.
    pub by_session: Vec<UsageGroup>,
}

/// Each cached session with its cost (NULL unless in USD) and tokens.
const PRICED: &str = "WITH priced AS (
    SELECT id, coalesce(title, '') AS title, agent_id, agent_name, created_us,
           input_tokens + output_tokens AS tokens,
           CASE WHEN json_extract(raw, '$.usage.list_cost.currency') = 'USD'
                THEN CAST(json_extract(raw, '$.usage.list_cost.amount') AS INTEGER) END AS cents
    FROM sessions WHERE profile_id = ?1)";

fn group(r: &rusqlite::Row<'_>) -> rusqlite::Result<UsageGroup> {
    Ok(UsageGroup {
        key: r.get(0)?,
        label: r.get(1)?,
        cents: r.get(2)?,
        tokens: r.get(3)?,
        sessions: r.get(4)?,
    })
}

impl Store {
    /// Cost per day, per agent and per session over `profile`'s cached sessions. Days are local
    /// to a zone `offset_minutes` east of UTC.
    pub fn usage_summary(
        &self,
        profile: &str,
        offset_minutes: i32,
        session_limit: usize,
    ) -> Result<UsageSummary> {
        let offset_seconds = i64::from(offset_minutes) * 60;
        let (total_cents, total_tokens, sessions, unpriced) = self.conn.query_row(
            &format!(
                "{PRICED} SELECT coalesce(sum(cents), 0), coalesce(sum(tokens), 0), count(*),
                        count(*) - count(cents) FROM priced"
            ),
            [profile],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        let by_day = self
            .conn
            .prepare(&format!(
                "{PRICED} SELECT date(created_us / 1000000 + ?2, 'unixepoch') AS day,
                        date(created_us / 1000000 + ?2, 'unixepoch'),
                        coalesce(sum(cents), 0), sum(tokens), count(*)
                 FROM priced GROUP BY day ORDER BY day"
            ))?
            .query_map(params![profile, offset_seconds], group)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let by_agent = self
            .conn
            .prepare(&format!(
                "{PRICED} SELECT agent_id, max(agent_name), coalesce(sum(cents), 0) AS cost,
                        sum(tokens), count(*)
                 FROM priced GROUP BY agent_id ORDER BY cost DESC, max(agent_name), agent_id"
            ))?
            .query_map([profile], group)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let by_session = self
            .conn
            .prepare(&format!(
                "{PRICED} SELECT id, title, coalesce(cents, 0) AS cost, tokens, 1
                 FROM priced ORDER BY cost DESC, created_us DESC, id LIMIT ?2"
            ))?
            .query_map(params![profile, session_limit as i64], group)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(UsageSummary {
            total_cents,
            total_tokens,
            sessions,
            unpriced,
            by_day,
            by_agent,
            by_session,
        })
    }
}

impl UsageSummary {
    /// The summary as CSV (RFC 4180: fields with a comma, quote or line break are quoted):
    /// one row per group, `breakdown` saying which (`day`, `agent`, `session`), the cost in
    /// dollars as well as in cents.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("breakdown,key,label,cost_usd,cost_cents,tokens,sessions\r\n");
        let groups = [
            ("day", &self.by_day),
            ("agent", &self.by_agent),
            ("session", &self.by_session),
        ];
        for (breakdown, rows) in groups {
            for g in rows.iter() {
                out.push_str(&format!(
                    "{breakdown},{},{},{}.{:02},{},{},{}\r\n",
                    csv_field(&g.key),
                    csv_field(&g.label),
                    g.cents / 100,
                    g.cents % 100,
                    g.cents,
                    g.tokens,
                    g.sessions
                ));
            }
        }
        out
    }
}

/// One CSV field, quoted when it must be. A leading `=`, `+`, `-` or `@` gets a `'` first so
/// that a spreadsheet never reads a session title as a formula.
fn csv_field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}
