//! Sessions: upsert from the API's Session object, list with filters and keyset pagination.

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::time::parse_rfc3339_us;
use crate::{Error, Result, Store};

/// One row of the session list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRow {
    /// `sesn_…`
    pub id: String,
    /// The title, if any.
    pub title: Option<String>,
    /// idle / running / rescheduling / terminated.
    pub status: String,
    /// The agent's id.
    pub agent_id: String,
    /// The agent's name when the session was created.
    pub agent_name: String,
    /// The agent version the session runs.
    pub agent_version: i64,
    /// The environment's id.
    pub environment_id: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339 or None.
    pub archived_at: Option<String>,
    /// µs since epoch of the newest known activity.
    pub last_activity_us: i64,
    /// Tokens in.
    pub input_tokens: i64,
    /// Tokens out.
    pub output_tokens: i64,
    /// Pinned on this computer (µs since the epoch of the pin), if pinned.
    #[serde(default)]
    pub pinned_at_us: Option<i64>,
    /// Imported from a file (RFC 3339 of the import), if it was.
    #[serde(default)]
    pub imported_at: Option<String>,
    /// The cost at list prices the API last reported, in minor units (`usage.list_cost`).
    #[serde(default)]
    pub cost_cents: Option<i64>,
    /// The spending cap, in minor units (`budget.max_list_cost`), if any.
    #[serde(default)]
    pub budget_cents: Option<i64>,
    /// The newest outcome evaluation's `result` (`outcome_evaluations`), if an outcome was set.
    #[serde(default)]
    pub outcome_result: Option<String>,
    /// Its round (0-based).
    #[serde(default)]
    pub outcome_iteration: Option<i64>,
}

/// Filters for [`Store::list_sessions`]; `None` means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionFilter {
    /// Only this agent.
    pub agent_id: Option<String>,
    /// Only these statuses.
    pub statuses: Vec<String>,
    /// `Some(true)`: only archived; `Some(false)`: only not archived; `None`: both.
    pub archived: Option<bool>,
    /// Created at or after (µs).
    pub created_from_us: Option<i64>,
    /// Created before (µs).
    pub created_before_us: Option<i64>,
    /// Only titles containing this text (case-insensitive; an untitled session has none).
    pub title_contains: Option<String>,
    /// Only pinned sessions.
    pub pinned_only: bool,
}

/// A page of sessions, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionPage {
    /// The rows.
    pub rows: Vec<SessionRow>,
    /// Pass back to get the next page; None at the end.
    pub next: Option<(i64, String)>,
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(v, |v, k| v.get(*k))?.as_str()
}

impl Store {
    /// Inserts or refreshes a session from the API's Session JSON (kept verbatim in `raw`).
    pub fn upsert_session(&self, profile: &str, session_json: &str) -> Result<()> {
        let v: Value = serde_json::from_str(session_json).map_err(|e| Error::Malformed {
            what: "session",
            detail: e.to_string(),
        })?;
        let bad = |field: &str| Error::Malformed {
            what: "session",
            detail: format!("missing {field}"),
        };
        let id = str_at(&v, &["id"]).ok_or_else(|| bad("id"))?;
        let created_at = str_at(&v, &["created_at"]).ok_or_else(|| bad("created_at"))?;
        let created_us = parse_rfc3339_us(created_at).ok_or_else(|| bad("a valid created_at"))?;
        let updated_at = str_at(&v, &["updated_at"]).unwrap_or(created_at);
        let updated_us = parse_rfc3339_us(updated_at).unwrap_or(created_us);
        let usage = |k: &str| {
            v.get("usage")
                .and_then(|u| u.get(k))
                .and_then(Value::as_i64)
                .unwrap_or(0)
        };
        self.conn.execute(
            "INSERT INTO sessions (profile_id, id, title, status, agent_id, agent_name, agent_version, environment_id,
                 created_at, created_us, updated_at, archived_at, last_activity_us, input_tokens, output_tokens, raw)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
             ON CONFLICT(profile_id, id) DO UPDATE SET
                 title = excluded.title,
                 -- A listing older than the newest live event must not turn the status back.
                 status = CASE WHEN excluded.last_activity_us >= sessions.last_activity_us
                               THEN excluded.status ELSE sessions.status END,
                 agent_name = excluded.agent_name,
                 agent_version = excluded.agent_version, updated_at = excluded.updated_at,
                 archived_at = excluded.archived_at,
                 last_activity_us = max(sessions.last_activity_us, excluded.last_activity_us),
                 input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens, raw = excluded.raw",
            params![
                profile,
                id,
                str_at(&v, &["title"]),
                str_at(&v, &["status"]).unwrap_or("idle"),
                str_at(&v, &["agent", "id"]).unwrap_or(""),
                str_at(&v, &["agent", "name"]).unwrap_or(""),
                v.get("agent").and_then(|a| a.get("version")).and_then(Value::as_i64).unwrap_or(0),
                str_at(&v, &["environment_id"]).unwrap_or(""),
                created_at,
                created_us,
                updated_at,
                str_at(&v, &["archived_at"]),
                updated_us,
                usage("input_tokens"),
                usage("output_tokens"),
                session_json,
            ],
        )?;
        Ok(())
    }

    /// The cached Session JSON, exactly as last received.
    pub fn session_raw(&self, profile: &str, id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT raw FROM sessions WHERE profile_id = ?1 AND id = ?2",
                [profile, id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// A cached session's status as the cache knows it (live events included), if cached.
    pub fn session_status(&self, profile: &str, id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT status FROM sessions WHERE profile_id = ?1 AND id = ?2")?
            .query_row([profile, id], |r| r.get(0))
            .optional()?)
    }

    /// Every cached session of `profile` that came from the API (not imported from a file):
    /// its id and creation time (µs since the epoch). What a full listing is compared with.
    pub fn session_ids(&self, profile: &str) -> Result<Vec<(String, i64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.id, s.created_us FROM sessions s
             LEFT JOIN session_local l ON l.profile_id = s.profile_id AND l.session_id = s.id
             WHERE s.profile_id = ?1 AND l.imported_at IS NULL",
        )?;
        let rows = stmt
            .query_map([profile], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Cached sessions whose status is one of `statuses` (for example those still running).
    pub fn sessions_with_status(&self, profile: &str, statuses: &[&str]) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, status FROM sessions WHERE profile_id = ?1")?;
        let rows = stmt
            .query_map([profile], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows
            .into_iter()
            .filter(|(_, status)| statuses.contains(&status.as_str()))
            .map(|(id, _)| id)
            .collect())
    }

    /// Sessions whose whole history was never fetched, newest first (the backfill's queue).
    pub fn sessions_without_history(&self, profile: &str, limit: usize) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.id FROM sessions s
             LEFT JOIN session_sync y ON y.profile_id = s.profile_id AND y.session_id = s.id
             WHERE s.profile_id = ?1 AND coalesce(y.history_complete, 0) = 0
             ORDER BY s.created_us DESC LIMIT ?2",
        )?;
        let rows = stmt
            .query_map(params![profile, limit as i64], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(rows)
    }

    /// Removes a session and its events from the cache.
    pub fn delete_session(&self, profile: &str, id: &str) -> Result<()> {
        self.conn.execute(
            "DELETE FROM sessions WHERE profile_id = ?1 AND id = ?2",
            [profile, id],
        )?;
        Ok(())
    }

    /// Sessions newest first, filtered, `limit` at a time; pass `after` = the previous page's `next`.
    pub fn list_sessions(
        &self,
        profile: &str,
        filter: &SessionFilter,
        after: Option<&(i64, String)>,
        limit: usize,
    ) -> Result<SessionPage> {
        let mut sql = String::from(
            "SELECT id, title, status, agent_id, agent_name, agent_version, environment_id, created_at, archived_at,
                    last_activity_us, input_tokens, output_tokens, created_us,
                    l.pinned_at_us, l.imported_at,
                    CAST(json_extract(sessions.raw, '$.usage.list_cost.amount') AS INTEGER),
                    CAST(json_extract(sessions.raw, '$.budget.max_list_cost.amount') AS INTEGER),
                    json_extract(sessions.raw, '$.outcome_evaluations[#-1].result'),
                    json_extract(sessions.raw, '$.outcome_evaluations[#-1].iteration')
             FROM sessions
             LEFT JOIN session_local l ON l.profile_id = sessions.profile_id AND l.session_id = sessions.id
             WHERE sessions.profile_id = ?",
        );
        let mut args: Vec<rusqlite::types::Value> = vec![profile.to_string().into()];
        if let Some(agent) = &filter.agent_id {
            sql.push_str(" AND agent_id = ?");
            args.push(agent.clone().into());
        }
        if !filter.statuses.is_empty() {
            sql.push_str(" AND status IN (");
            sql.push_str(&vec!["?"; filter.statuses.len()].join(","));
            sql.push(')');
            args.extend(filter.statuses.iter().map(|s| s.clone().into()));
        }
        match filter.archived {
            Some(true) => sql.push_str(" AND archived_at IS NOT NULL"),
            Some(false) => sql.push_str(" AND archived_at IS NULL"),
            None => {}
        }
        if let Some(from) = filter.created_from_us {
            sql.push_str(" AND created_us >= ?");
            args.push(from.into());
        }
        if let Some(before) = filter.created_before_us {
            sql.push_str(" AND created_us < ?");
            args.push(before.into());
        }
        if let Some(text) = filter.title_contains.as_deref().map(str::trim) {
            if !text.is_empty() {
                // instr over lower(): no LIKE wildcards to escape.
                sql.push_str(" AND instr(lower(coalesce(title, '')), lower(?)) > 0");
                args.push(text.to_string().into());
            }
        }
        if filter.pinned_only {
            sql.push_str(" AND l.pinned_at_us IS NOT NULL");
        }
        if let Some((created_us, id)) = after {
            sql.push_str(" AND (created_us, sessions.id) < (?, ?)");
            args.push((*created_us).into());
            args.push(id.clone().into());
        }
        sql.push_str(" ORDER BY created_us DESC, sessions.id DESC LIMIT ?");
        args.push(((limit + 1) as i64).into());
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt
            .query_map(rusqlite::params_from_iter(args), |r| {
                Ok((
                    SessionRow {
                        id: r.get(0)?,
                        title: r.get(1)?,
                        status: r.get(2)?,
                        agent_id: r.get(3)?,
                        agent_name: r.get(4)?,
                        agent_version: r.get(5)?,
                        environment_id: r.get(6)?,
                        created_at: r.get(7)?,
                        archived_at: r.get(8)?,
                        last_activity_us: r.get(9)?,
                        input_tokens: r.get(10)?,
                        output_tokens: r.get(11)?,
                        pinned_at_us: r.get(13)?,
                        imported_at: r.get(14)?,
                        cost_cents: r.get(15)?,
                        budget_cents: r.get(16)?,
                        outcome_result: r.get(17)?,
                        outcome_iteration: r.get(18)?,
                    },
                    r.get::<_, i64>(12)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let next = if rows.len() > limit {
            rows.truncate(limit);
            rows.last()
                .map(|(row, created_us)| (*created_us, row.id.clone()))
        } else {
            None
        };
        Ok(SessionPage {
            rows: rows.into_iter().map(|(row, _)| row).collect(),
            next,
        })
    }
}
