//! Events: idempotent ingest in server order, and transcript pages in both directions.

use crate::text::{read_event, status_of, EventFacts};
use crate::time::parse_rfc3339_us;
use crate::words::index_form;
use crate::{Error, Result, Store};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

/// A position in a transcript: server time first, arrival order breaking ties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Cursor {
    /// `processed_at` in µs since the epoch.
    pub at_us: i64,
    /// Arrival order in this cache.
    pub seq: i64,
}

/// Where a transcript page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    /// The first events.
    Start,
    /// The newest events.
    End,
    /// Events just before this position (scrolling up).
    Before(Cursor),
    /// Events just after this position (scrolling down).
    After(Cursor),
    /// A page around this event (opening a search hit).
    Event(String),
}

/// One stored event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredEvent {
    /// The event's id.
    pub id: String,
    /// Its `type`.
    pub event_type: String,
    /// Its `processed_at`, when the server set one.
    pub processed_at: Option<String>,
    /// The JSON exactly as received.
    pub raw: String,
    /// Its position.
    pub cursor: Cursor,
}

/// A window onto a transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptPage {
    /// Events in transcript order.
    pub events: Vec<StoredEvent>,
    /// Index of the first event in the whole transcript (0-based).
    pub first_index: u64,
    /// How many events the transcript has.
    pub total: u64,
}

impl TranscriptPage {
    /// More events exist before this page.
    pub fn has_before(&self) -> bool {
        self.first_index > 0
    }

    /// More events exist after this page.
    pub fn has_after(&self) -> bool {
        self.first_index + (self.events.len() as u64) < self.total
    }
}

/// What an ingest call did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestOutcome {
    /// Events that were new.
    pub inserted: usize,
    /// Events already stored (same id): left as they were.
    pub duplicates: usize,
    /// Where each new event landed: its index in the input and its position.
    pub positions: Vec<(usize, Cursor)>,
}

/// Where a live tail picks up after what the cache already has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResumePoint {
    /// The newest server time cached (`processed_at`, RFC 3339 as the server wrote it).
    pub processed_at: String,
    /// Ids of the cached events at exactly that time.
    pub ids_at: Vec<String>,
}

struct Parsed<'a> {
    id: String,
    facts: EventFacts,
    at_us: Option<i64>,
    raw: &'a str,
}

/// Checks that `raw` is an event the cache can store (JSON with an id), storing nothing.
pub(crate) fn check_event(raw: &str) -> Result<()> {
    parse(raw).map(drop)
}

fn parse(raw: &str) -> Result<Parsed<'_>> {
    let mut facts = read_event(raw).map_err(|e| Error::Malformed {
        what: "event",
        detail: e.to_string(),
    })?;
    let id = facts.id.take().ok_or_else(|| Error::Malformed {
        what: "event",
        detail: "no id (stream-only previews are not stored)".into(),
    })?;
    let at_us = facts.processed_at.as_deref().and_then(parse_rfc3339_us);
    Ok(Parsed {
        id,
        facts,
        at_us,
        raw,
    })
}

impl Store {
    /// Stores one event (see [`Store::ingest_events`]).
    pub fn ingest_event(&self, profile: &str, session: &str, raw: &str) -> Result<IngestOutcome> {
        self.ingest_events(profile, session, &[raw])
    }

    /// Stores events of `session` in one transaction. An id already stored is skipped, so
    /// replays and reconnect overlaps are harmless; an event older than others lands in place.
    pub fn ingest_events(
        &self,
        profile: &str,
        session: &str,
        raws: &[&str],
    ) -> Result<IngestOutcome> {
        let parsed = raws.iter().map(|r| parse(r)).collect::<Result<Vec<_>>>()?;
        let tx = self.conn.unchecked_transaction()?;
        let found: Option<(i64, i64)> = tx
            .prepare_cached(
                "SELECT key, last_activity_us FROM sessions WHERE profile_id = ?1 AND id = ?2",
            )?
            .query_row([profile, session], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((key, mut last_activity)) = found else {
            return Err(Error::UnknownSession(session.to_string()));
        };
        let mut outcome = IngestOutcome::default();
        let mut status: Option<&'static str> = None;
        let mut usage: Option<(i64, i64)> = None;
        let mut last_id: Option<&str> = None;
        let mut stored: Vec<(i64, &Parsed<'_>)> = Vec::new();
        let (mut next_seq, indexed_upto): (i64, i64) = tx
            .prepare_cached(
                "SELECT max(seq_high, coalesce((SELECT max(seq) FROM events), 0)) + 1, indexed_upto
                 FROM search_state",
            )?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        {
            // Numbered past the highest seq ever given, so none is reused after a delete.
            let mut insert = tx.prepare_cached(
                "INSERT INTO events (seq, session_key, id, type, processed_at, at_us, raw)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(session_key, id) DO NOTHING",
            )?;
            let mut tail = tx.prepare_cached(
                "SELECT coalesce(max(at_us), 0) FROM events WHERE session_key = ?1",
            )?;
            for (index, event) in parsed.iter().enumerate() {
                // An event without a server time (an unprocessed echo) goes to the end.
                let at_us = match event.at_us {
                    Some(at) => at,
                    None => tail.query_row([key], |r| r.get::<_, i64>(0))?,
                };
                let changed = insert.execute(params![
                    next_seq,
                    key,
                    event.id,
                    event.facts.kind,
                    event.facts.processed_at,
                    at_us,
                    event.raw,
                ])?;
                if changed == 0 {
                    outcome.duplicates += 1;
                    continue;
                }
                outcome.inserted += 1;
                let seq = next_seq;
                outcome.positions.push((index, Cursor { at_us, seq }));
                next_seq += 1;
                last_activity = last_activity.max(at_us);
                last_id = Some(&event.id);
                if let Some(s) = status_of(&event.facts.kind) {
                    status = Some(s);
                }
                stored.push((seq, event));
                if event.facts.kind == "session.usage" && event.facts.usage.is_some() {
                    usage = event.facts.usage;
                }
            }
        }
        if outcome.inserted > 0 {
            tx.prepare_cached("UPDATE search_state SET seq_high = ?1")?
                .execute([next_seq - 1])?;
            tx.prepare_cached(
                "UPDATE sessions SET last_activity_us = ?2, status = coalesce(?3, status),
                     input_tokens = coalesce(?4, input_tokens), output_tokens = coalesce(?5, output_tokens)
                 WHERE key = ?1",
            )?
            .execute(params![key, last_activity, status, usage.map(|u| u.0), usage.map(|u| u.1)])?;
            tx.prepare_cached(
                "INSERT INTO session_sync (profile_id, session_id, last_event_id) VALUES (?1, ?2, ?3)
                 ON CONFLICT(profile_id, session_id) DO UPDATE SET last_event_id = excluded.last_event_id",
            )?
            .execute(params![profile, session, last_id])?;
        }
        tx.commit()?;
        self.remember_unindexed(
            stored
                .into_iter()
                .map(|(seq, event)| (seq, index_form(&event.facts.text))),
        );
        if outcome.inserted > 0 {
            // Search indexes in large batches (far cheaper per event than a small one each
            // time); a search first indexes whatever is still waiting, so it never misses one.
            self.index_if_backlog(next_seq - 1 - indexed_upto)?;
        }
        Ok(outcome)
    }

    /// Records that the whole history of `session` is cached (or not, after a clear).
    pub fn set_history_complete(&self, profile: &str, session: &str, complete: bool) -> Result<()> {
        self.conn.execute(
            "INSERT INTO session_sync (profile_id, session_id, history_complete) VALUES (?1, ?2, ?3)
             ON CONFLICT(profile_id, session_id) DO UPDATE SET history_complete = excluded.history_complete",
            params![profile, session, complete],
        )?;
        Ok(())
    }

    /// Whether the whole history of `session` is cached, and the last event id seen.
    pub fn sync_state(&self, profile: &str, session: &str) -> Result<(bool, Option<String>)> {
        Ok(self
            .conn
            .query_row(
                "SELECT history_complete, last_event_id FROM session_sync WHERE profile_id = ?1 AND session_id = ?2",
                [profile, session],
                |r| Ok((r.get::<_, bool>(0)?, r.get(1)?)),
            )
            .optional()?
            .unwrap_or((false, None)))
    }

    /// Where a tail of `session` resumes: the newest cached server time and the ids cached at
    /// that time, so a reconnect or a restart asks the API only for what is newer.
    pub fn resume_point(&self, profile: &str, session: &str) -> Result<Option<ResumePoint>> {
        let Some(key) = self.session_key(profile, session)? else {
            return Ok(None);
        };
        let newest: Option<(i64, String)> = self
            .conn
            .prepare_cached(
                "SELECT at_us, processed_at FROM events
                 WHERE session_key = ?1 AND processed_at IS NOT NULL
                 ORDER BY at_us DESC, seq DESC LIMIT 1",
            )?
            .query_row([key], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((at_us, processed_at)) = newest else {
            return Ok(None);
        };
        let ids_at = self
            .conn
            .prepare_cached("SELECT id FROM events WHERE session_key = ?1 AND at_us = ?2")?
            .query_map(params![key, at_us], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(Some(ResumePoint {
            processed_at,
            ids_at,
        }))
    }

    /// How many events `session` has in the cache.
    pub fn event_count(&self, profile: &str, session: &str) -> Result<u64> {
        match self.session_key(profile, session)? {
            Some(key) => self.count_events(key),
            None => Ok(0),
        }
    }

    fn count_events(&self, key: i64) -> Result<u64> {
        Ok(self
            .conn
            .prepare_cached("SELECT count(*) FROM events WHERE session_key = ?1")?
            .query_row([key], |r| r.get::<_, i64>(0))? as u64)
    }

    /// The integer key of a cached session.
    pub(crate) fn session_key(&self, profile: &str, session: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT key FROM sessions WHERE profile_id = ?1 AND id = ?2")?
            .query_row([profile, session], |r| r.get(0))
            .optional()?)
    }

    fn cursor_of(&self, key: i64, event_id: &str) -> Result<Option<Cursor>> {
        Ok(self
            .conn
            .prepare_cached("SELECT at_us, seq FROM events WHERE session_key = ?1 AND id = ?2")?
            .query_row(params![key, event_id], |r| {
                Ok(Cursor {
                    at_us: r.get(0)?,
                    seq: r.get(1)?,
                })
            })
            .optional()?)
    }

    fn fetch(
        &self,
        key: i64,
        sql_tail: &str,
        cursor: Option<Cursor>,
        limit: usize,
    ) -> Result<Vec<StoredEvent>> {
        let sql = format!(
            "SELECT id, type, processed_at, raw, at_us, seq FROM events
             WHERE session_key = ?1 {sql_tail} LIMIT ?4"
        );
        let c = cursor.unwrap_or(Cursor { at_us: 0, seq: 0 });
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(params![key, c.at_us, c.seq, limit as i64], |r| {
                Ok(StoredEvent {
                    id: r.get(0)?,
                    event_type: r.get(1)?,
                    processed_at: r.get(2)?,
                    raw: r.get(3)?,
                    cursor: Cursor {
                        at_us: r.get(4)?,
                        seq: r.get(5)?,
                    },
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// A page of at most `limit` events of `session` at `anchor`, in transcript order.
    pub fn transcript_page(
        &self,
        profile: &str,
        session: &str,
        anchor: &Anchor,
        limit: usize,
    ) -> Result<TranscriptPage> {
        const FORWARD: &str = "AND (at_us, seq) > (?2, ?3) ORDER BY at_us, seq";
        const FORWARD_FROM: &str = "AND (at_us, seq) >= (?2, ?3) ORDER BY at_us, seq";
        const BACKWARD: &str = "AND (at_us, seq) < (?2, ?3) ORDER BY at_us DESC, seq DESC";
        const ALL_FORWARD: &str = "AND ?2 = ?2 AND ?3 = ?3 ORDER BY at_us, seq";
        const ALL_BACKWARD: &str = "AND ?2 = ?2 AND ?3 = ?3 ORDER BY at_us DESC, seq DESC";
        let Some(key) = self.session_key(profile, session)? else {
            if let Anchor::Event(id) = anchor {
                return Err(Error::Malformed {
                    what: "anchor",
                    detail: format!("event {id} is not cached"),
                });
            }
            return Ok(TranscriptPage {
                events: Vec::new(),
                first_index: 0,
                total: 0,
            });
        };
        let events = match anchor {
            Anchor::Start => self.fetch(key, ALL_FORWARD, None, limit)?,
            Anchor::End => {
                let mut v = self.fetch(key, ALL_BACKWARD, None, limit)?;
                v.reverse();
                v
            }
            Anchor::After(c) => self.fetch(key, FORWARD, Some(*c), limit)?,
            Anchor::Before(c) => {
                let mut v = self.fetch(key, BACKWARD, Some(*c), limit)?;
                v.reverse();
                v
            }
            Anchor::Event(id) => {
                let Some(c) = self.cursor_of(key, id)? else {
                    return Err(Error::Malformed {
                        what: "anchor",
                        detail: format!("event {id} is not cached in session {session}"),
                    });
                };
                let before = limit / 3;
                let mut v = self.fetch(key, BACKWARD, Some(c), before)?;
                v.reverse();
                v.extend(self.fetch(key, FORWARD_FROM, Some(c), limit - v.len())?);
                v
            }
        };
        let total = self.count_events(key)?;
        let first_index = match events.first() {
            Some(first) => self
                .conn
                .prepare_cached(
                    "SELECT count(*) FROM events WHERE session_key = ?1 AND (at_us, seq) < (?2, ?3)",
                )?
                .query_row(params![key, first.cursor.at_us, first.cursor.seq], |r| {
                    r.get::<_, i64>(0)
                })? as u64,
            None => match anchor {
                Anchor::End | Anchor::After(_) => total,
                _ => 0,
            },
        };
        Ok(TranscriptPage {
            events,
            first_index,
            total,
        })
    }
}
