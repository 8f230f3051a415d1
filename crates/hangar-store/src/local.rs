//! What only this computer knows about sessions (pins, imports) and the cache's own upkeep:
//! its size, clearing it.

use rusqlite::params;

use crate::{Result, Store};

/// The cache's size on disk and what it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CacheSize {
    /// Bytes of the database file and its write-ahead log.
    pub bytes: u64,
    /// Cached sessions (every profile).
    pub sessions: u64,
    /// Cached events (every profile).
    pub events: u64,
    /// Sessions imported from files (every profile).
    pub imported: u64,
}

impl Store {
    /// Pins (or unpins) a session on this computer. Pins survive a cleared cache.
    pub fn set_pinned(
        &self,
        profile: &str,
        session: &str,
        pinned_at_us: Option<i64>,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO session_local (profile_id, session_id, pinned_at_us) VALUES (?1, ?2, ?3)
             ON CONFLICT(profile_id, session_id) DO UPDATE SET pinned_at_us = excluded.pinned_at_us",
            params![profile, session, pinned_at_us],
        )?;
        Ok(())
    }

    /// Marks a session as imported from a file at `when` (RFC 3339).
    pub(crate) fn mark_imported(&self, profile: &str, session: &str, when: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO session_local (profile_id, session_id, imported_at) VALUES (?1, ?2, ?3)
             ON CONFLICT(profile_id, session_id) DO UPDATE SET imported_at = excluded.imported_at",
            params![profile, session, when],
        )?;
        Ok(())
    }

    /// Every agent `profile`'s cached sessions ran: `(id, name)` by name.
    pub fn session_agents(&self, profile: &str) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT agent_id, max(agent_name) FROM sessions WHERE profile_id = ?1
             GROUP BY agent_id ORDER BY max(agent_name) COLLATE NOCASE, agent_id",
        )?;
        let rows = stmt
            .query_map([profile], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Whether a session was imported from a file.
    pub fn is_imported(&self, profile: &str, session: &str) -> Result<bool> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row(
                "SELECT imported_at IS NOT NULL FROM session_local WHERE profile_id = ?1 AND session_id = ?2",
                [profile, session],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(false))
    }

    /// Drops `profile`'s cached sessions and their events (they refill from the API); with
    /// `keep_imported`, sessions imported from files stay. Returns how many were dropped.
    pub fn clear_cache(&self, profile: &str, keep_imported: bool) -> Result<usize> {
        let tx = self.conn.unchecked_transaction()?;
        let dropped = if keep_imported {
            tx.execute(
                "DELETE FROM sessions WHERE profile_id = ?1 AND id NOT IN
                     (SELECT session_id FROM session_local WHERE profile_id = ?1 AND imported_at IS NOT NULL)",
                [profile],
            )?
        } else {
            tx.execute(
                "UPDATE session_local SET imported_at = NULL WHERE profile_id = ?1",
                [profile],
            )?;
            tx.execute("DELETE FROM sessions WHERE profile_id = ?1", [profile])?
        };
        tx.commit()?;
        Ok(dropped)
    }

    /// The file's size (with its log) and how much it holds.
    pub fn cache_size(&self) -> Result<CacheSize> {
        let mut bytes = 0;
        if let Some(path) = self.conn.path().filter(|p| !p.is_empty()) {
            for suffix in ["", "-wal"] {
                if let Ok(meta) = std::fs::metadata(format!("{path}{suffix}")) {
                    bytes += meta.len();
                }
            }
        }
        let count = |sql: &str| -> Result<u64> {
            Ok(self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))?.max(0) as u64)
        };
        Ok(CacheSize {
            bytes,
            sessions: count("SELECT count(*) FROM sessions")?,
            events: count("SELECT count(*) FROM events")?,
            imported: count(
                "SELECT count(*) FROM session_local l JOIN sessions s
                 ON s.profile_id = l.profile_id AND s.id = l.session_id WHERE l.imported_at IS NOT NULL",
            )?,
        })
    }
}
