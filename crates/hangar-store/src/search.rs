//! Full-text search over every cached transcript of a profile.
//!
//! The index is FTS5, contentless (the text is never stored twice: it is read back from the
//! event's raw JSON when needed) and split by age into shards of 2^shard_bits events, newest
//! searched first. A search wants the most recent matches, so it usually stops in the newest
//! shard, and the cost of a common word or a short prefix is bounded by a shard's size, not by
//! the size of the whole history. Ranking (BM25 over the most recent matches) and snippets are
//! computed here, with the same tokenizer that built the index ([`crate::words`]).
//!
//! Indexing runs in large batches, far cheaper per event than a small one per write: ingest
//! indexes once [`INDEX_BATCH`] events are waiting, a search first indexes whatever waits, and
//! the app indexes when it is idle. Every event after `search_state.indexed_upto` is waiting.

use std::collections::BTreeSet;

use crate::text::read_event;
use crate::words::{fold, index_form, index_terms, words};
use crate::{Result, Store};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

/// How many of the most recent matches are ranked.
pub const RANK_WINDOW: usize = 500;

/// Ingest indexes for search once this many events are waiting.
pub const INDEX_BATCH: i64 = 10_000;

/// Search forms kept in memory for indexing, at most.
const MAX_REMEMBERED: usize = 4 * INDEX_BATCH as usize;

/// Words shown in a snippet.
const SNIPPET_WORDS: usize = 12;

/// A piece of a snippet; `highlight` marks the matched words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fragment {
    /// The text.
    pub text: String,
    /// True for a matched word.
    pub highlight: bool,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    /// Session holding the event.
    pub session_id: String,
    /// That session's title.
    pub session_title: Option<String>,
    /// The matching event.
    pub event_id: String,
    /// Its type.
    pub event_type: String,
    /// A short excerpt around the match.
    pub snippet: Vec<Fragment>,
    /// When the server processed the event (µs since the epoch; 0 when unknown).
    #[serde(default)]
    pub at_us: i64,
    /// The session's agent.
    #[serde(default)]
    pub agent_name: String,
}

/// The order of search results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchOrder {
    /// The most recent matches first.
    #[default]
    Newest,
    /// The best matches (BM25 over the most recent ones) first.
    Best,
}

/// What to search, beyond the words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchOptions {
    /// At most this many hits.
    pub limit: usize,
    /// Only sessions of this agent.
    pub agent_id: Option<String>,
    /// Only events processed at or after (µs).
    pub from_us: Option<i64>,
    /// Only events processed before (µs).
    pub before_us: Option<i64>,
    /// Newest or best first.
    pub order: SearchOrder,
    /// Only this session (find inside an open transcript).
    pub session_id: Option<String>,
}

/// What a person typed, as index terms: every word must match, the last one (from three
/// letters on) also as a prefix, for search as you type.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Terms {
    words: Vec<String>,
    last_is_prefix: bool,
}

impl Terms {
    fn parse(input: &str) -> Option<Self> {
        let words: Vec<String> = words(input)
            .map(|(_, w)| fold(w))
            .filter(|w| !w.is_empty())
            .collect();
        // A word still being typed (the input ends in it) is a prefix, from three letters on.
        let typing = input.chars().last().is_some_and(char::is_alphanumeric);
        let last_is_prefix = words.last()?.chars().count() >= 3 && typing;
        Some(Self {
            words,
            last_is_prefix,
        })
    }

    /// The FTS5 query. Terms hold only letters and digits, so quoting makes each one a
    /// single index term and operators plain words.
    fn fts_query(&self) -> String {
        let mut q = self
            .words
            .iter()
            .map(|w| format!("\"{w}\""))
            .collect::<Vec<_>>()
            .join(" ");
        if self.last_is_prefix {
            q.push('*');
        }
        q
    }

    /// Which term a word of a document (in search form) matches.
    fn matches(&self, word: &str) -> Option<usize> {
        self.words.iter().position(|t| t == word).or_else(|| {
            let last = self.words.len() - 1;
            (self.last_is_prefix && word.starts_with(self.words[last].as_str())).then_some(last)
        })
    }

    /// How much a match counts: a whole word fully, a word that only starts with what was
    /// typed half ("order" is a better match for "order" than "orders" is).
    fn weight(&self, word: &str, term: usize) -> f64 {
        if self.words[term] == word {
            1.0
        } else {
            0.5
        }
    }
}

struct Candidate {
    seq: i64,
    at_us: i64,
    agent_name: String,
    session_id: String,
    session_title: Option<String>,
    event_id: String,
    event_type: String,
    text: String,
}

struct Scored {
    score: f64,
    candidate: Candidate,
    /// (byte range, matched term) of every word.
    words: Vec<(std::ops::Range<usize>, Option<usize>)>,
    /// Weighted matches per term.
    tf: Vec<f64>,
}

fn text_of_raw(raw: &str) -> String {
    read_event(raw).map(|e| e.text).unwrap_or_default()
}

/// BM25 over the candidates (every candidate contains every term, so each term weighs the
/// same): term frequency, saturated, normalised by length.
fn rank(terms: &Terms, candidates: Vec<Candidate>) -> Vec<Scored> {
    const K1: f64 = 1.2;
    const B: f64 = 0.75;
    let mut scored: Vec<Scored> = candidates
        .into_iter()
        .map(|candidate| {
            let mut tf = vec![0.0; terms.words.len()];
            let words: Vec<_> = words(&candidate.text)
                .map(|(range, w)| {
                    let folded = fold(w);
                    let matched = terms.matches(&folded);
                    if let Some(t) = matched {
                        tf[t] += terms.weight(&folded, t);
                    }
                    (range, matched)
                })
                .collect();
            Scored {
                score: 0.0,
                candidate,
                words,
                tf,
            }
        })
        .collect();
    let total: usize = scored.iter().map(|s| s.words.len()).sum();
    let average = (total as f64 / scored.len().max(1) as f64).max(1.0);
    for s in &mut scored {
        let len = s.words.len() as f64;
        let norm = K1 * (1.0 - B + B * len / average);
        s.score = s.tf.iter().map(|tf| tf * (K1 + 1.0) / (tf + norm)).sum();
    }
    scored.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.candidate.seq.cmp(&a.candidate.seq))
    });
    scored
}

/// The [`SNIPPET_WORDS`] words with the most distinct matched terms (then the most matches),
/// highlighted, with "…" where the text goes on.
fn snippet(text: &str, words: &[(std::ops::Range<usize>, Option<usize>)]) -> Vec<Fragment> {
    let mut out: Vec<Fragment> = Vec::new();
    let mut push = |text: &str, highlight: bool| {
        let text: String = text
            .chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect();
        if text.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(last) if last.highlight == highlight => last.text.push_str(&text),
            _ => out.push(Fragment { text, highlight }),
        }
    };
    if words.is_empty() {
        return out;
    }
    let width = SNIPPET_WORDS.min(words.len());
    // Most distinct terms, then most matches, then the first match about a third in (some
    // context before it, more after).
    let mut best = (0, (0, 0, std::cmp::Reverse(usize::MAX)));
    for start in 0..=words.len() - width {
        let window = &words[start..start + width];
        let distinct: BTreeSet<usize> = window.iter().filter_map(|(_, m)| *m).collect();
        let hits = window.iter().filter(|(_, m)| m.is_some()).count();
        let first = window.iter().position(|(_, m)| m.is_some()).unwrap_or(0);
        let key = (
            distinct.len(),
            hits,
            std::cmp::Reverse(first.abs_diff(width / 3)),
        );
        if key > best.1 {
            best = (start, key);
        }
    }
    let window = &words[best.0..best.0 + width];
    if best.0 > 0 {
        push("…", false);
    }
    let mut at = window[0].0.start;
    for (range, matched) in window {
        push(&text[at..range.start], false);
        push(&text[range.clone()], matched.is_some());
        at = range.end;
    }
    if best.0 + width < words.len() {
        push("…", false);
    }
    out
}

impl Store {
    fn search_state(&self) -> Result<(i64, u32)> {
        Ok(self
            .conn
            .prepare_cached("SELECT indexed_upto, shard_bits FROM search_state WHERE id = 1")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?)
    }

    /// Sets how many events a search shard holds (2^bits). Only before anything is indexed:
    /// tests use small shards to cross shard boundaries quickly.
    #[doc(hidden)]
    pub fn set_search_shard_bits(&self, bits: u32) -> Result<()> {
        self.conn.execute(
            "UPDATE search_state SET shard_bits = ?1 WHERE id = 1 AND NOT EXISTS (SELECT 1 FROM search_shards)",
            [bits],
        )?;
        Ok(())
    }

    /// Drops the whole search index; every cached event waits to be indexed again (by
    /// [`Store::index_pending`], which the app runs while idle). For repairs, and for measuring
    /// the app while it indexes a large history.
    pub fn rebuild_search_index(&self) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        for k in self.search_shards()? {
            tx.execute_batch(&format!(
                "DROP TRIGGER IF EXISTS search_{k}_forget; DROP TABLE IF EXISTS search_{k};"
            ))?;
        }
        tx.execute_batch(
            "DELETE FROM search_shards; UPDATE search_state SET indexed_upto = 0 WHERE id = 1;",
        )?;
        tx.commit()?;
        self.unindexed.borrow_mut().clear();
        Ok(())
    }

    fn ensure_shard(&self, k: i64, bits: u32) -> Result<()> {
        let lo = k << bits;
        let hi = (k + 1) << bits;
        self.conn.execute_batch(&format!(
            "CREATE VIRTUAL TABLE IF NOT EXISTS search_{k} USING fts5(
                 text, content = '', contentless_delete = 1, detail = none, tokenize = 'ascii');
             CREATE TRIGGER IF NOT EXISTS search_{k}_forget AFTER DELETE ON events
                 WHEN old.seq >= {lo} AND old.seq < {hi}
                 BEGIN DELETE FROM search_{k} WHERE rowid = old.seq; END;
             INSERT OR IGNORE INTO search_shards (k) VALUES ({k});"
        ))?;
        Ok(())
    }

    /// Keeps the search forms of events just stored, for [`Store::index_pending`].
    pub(crate) fn remember_unindexed(&self, forms: impl Iterator<Item = (i64, String)>) {
        let mut unindexed = self.unindexed.borrow_mut();
        for entry in forms {
            if unindexed.len() >= MAX_REMEMBERED {
                // Past this, events are read back from the table when indexed.
                return;
            }
            unindexed.push_back(entry);
        }
    }

    /// Indexes up to `max` of the events waiting for search, in one transaction. Returns how
    /// many are still waiting (as [`Store::search_backlog`]).
    pub fn index_pending(&self, max: usize) -> Result<i64> {
        let (upto, bits) = self.search_state()?;
        let mut unindexed = self.unindexed.borrow_mut();
        // Events whose search form is remembered are not read again.
        let remembered_from = unindexed.front().map_or(i64::MAX, |(seq, _)| *seq);
        let rows: Vec<(i64, Option<String>)> = self
            .conn
            .prepare_cached(
                "SELECT seq, CASE WHEN seq < ?3 THEN raw END FROM events
                 WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            )?
            .query_map(
                params![upto, max.min(i64::MAX as usize) as i64, remembered_from],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?
            .collect::<rusqlite::Result<_>>()?;
        let Some(&(newest, _)) = rows.last() else {
            unindexed.clear();
            return Ok(0);
        };
        let mut shards: BTreeSet<i64> = self.search_shards()?.into_iter().collect();
        let tx = self.conn.unchecked_transaction()?;
        for (seq, raw) in rows {
            // Remembered forms of events deleted since, or indexed by another connection.
            while unindexed.front().is_some_and(|(s, _)| *s < seq) {
                unindexed.pop_front();
            }
            let form = match (raw, unindexed.front()) {
                (Some(raw), _) => index_form(&text_of_raw(&raw)),
                (None, Some((s, _))) if *s == seq => {
                    unindexed.pop_front().map(|(_, f)| f).unwrap_or_default()
                }
                (None, _) => {
                    // Stored by another connection among remembered ones: read it after all.
                    let raw: String = self
                        .conn
                        .prepare_cached("SELECT raw FROM events WHERE seq = ?1")?
                        .query_row([seq], |r| r.get(0))?;
                    index_form(&text_of_raw(&raw))
                }
            };
            if index_terms(&form).next().is_none() {
                continue;
            }
            let k = seq >> bits;
            if shards.insert(k) {
                self.ensure_shard(k, bits)?;
            }
            self.conn
                .prepare_cached(&format!(
                    "INSERT INTO search_{k} (rowid, text) VALUES (?1, ?2)"
                ))?
                .execute(params![seq, form])?;
        }
        self.conn
            .prepare_cached("UPDATE search_state SET indexed_upto = ?1 WHERE id = 1")?
            .execute([newest])?;
        tx.commit()?;
        drop(unindexed);
        self.search_backlog()
    }

    /// The search shards, newest first.
    pub(crate) fn search_shards(&self) -> Result<Vec<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT k FROM search_shards ORDER BY k DESC")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// Indexes every event still waiting for search.
    pub fn index_all_pending(&self) -> Result<()> {
        while self.index_pending(INDEX_BATCH as usize)? > 0 {}
        Ok(())
    }

    /// How many events wait to be indexed (cheap: one look at the newest seq).
    pub fn search_backlog(&self) -> Result<i64> {
        let (upto, _) = self.search_state()?;
        let newest: Option<i64> = self
            .conn
            .prepare_cached("SELECT max(seq) FROM events")?
            .query_row([], |r| r.get(0))
            .optional()?
            .flatten();
        Ok(newest.map_or(0, |n| (n - upto).max(0)))
    }

    /// Called by ingest, which knows the `backlog` already.
    pub(crate) fn index_if_backlog(&self, backlog: i64) -> Result<()> {
        if backlog >= INDEX_BATCH {
            // At most two batches per call: a huge backlog (after an upgrade) is the app's
            // idle work, not one ingest call's.
            self.index_pending(2 * INDEX_BATCH as usize)?;
        }
        Ok(())
    }

    /// The best `limit` matches for `query` across `profile`'s transcripts, best first.
    ///
    /// Ranking is applied to the [`RANK_WINDOW`] most recent matches: a word that occurs in
    /// half a million events must not make every keystroke score all of them, and in a chat
    /// history the recent matches are the ones people look for.
    pub fn search(&self, profile: &str, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
        self.search_with(
            profile,
            query,
            &SearchOptions {
                limit,
                order: SearchOrder::Best,
                ..SearchOptions::default()
            },
        )
    }

    /// Like [`Store::search`], filtered by agent, session and time, newest or best first.
    pub fn search_with(
        &self,
        profile: &str,
        query: &str,
        options: &SearchOptions,
    ) -> Result<Vec<SearchHit>> {
        let limit = options.limit;
        let Some(terms) = Terms::parse(query) else {
            return Ok(Vec::new());
        };
        self.index_all_pending()?;
        let shards = self.search_shards()?;
        let q = terms.fts_query();
        let mut candidates = Vec::new();
        // Both orders look at the newest RANK_WINDOW matches (by arrival). Best first ranks
        // their text; newest first sorts them by the server's time (a backfilled old session
        // arrives late) and reads the text of the `limit` it keeps only.
        let window = RANK_WINDOW.max(limit);
        let read_text = options.order == SearchOrder::Best;
        for k in shards {
            let wanted = window - candidates.len();
            // Filters are bound as "no filter" values when unset: one statement per shard.
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT e.seq, CASE WHEN ?7 THEN e.raw END, e.id, e.type, s.id, s.title, e.at_us, s.agent_name
                 FROM search_{k} f
                 JOIN events e ON e.seq = f.rowid
                 JOIN sessions s ON s.key = e.session_key
                 WHERE search_{k} MATCH ?1 AND s.profile_id = ?2
                   AND (?4 IS NULL OR s.agent_id = ?4)
                   AND (?8 IS NULL OR s.id = ?8)
                   AND e.at_us >= ?5 AND e.at_us < ?6
                 ORDER BY f.rowid DESC LIMIT ?3"
            ))?;
            let (from, before) = (
                options.from_us.unwrap_or(i64::MIN),
                options.before_us.unwrap_or(i64::MAX),
            );
            let found = stmt.query_map(
                params![
                    q,
                    profile,
                    wanted as i64,
                    options.agent_id,
                    from,
                    before,
                    read_text,
                    options.session_id
                ],
                |r| {
                    Ok(Candidate {
                        at_us: r.get(6)?,
                        agent_name: r.get(7)?,
                        seq: r.get(0)?,
                        text: r
                            .get::<_, Option<String>>(1)?
                            .map(|raw| text_of_raw(&raw))
                            .unwrap_or_default(),
                        event_id: r.get(2)?,
                        event_type: r.get(3)?,
                        session_id: r.get(4)?,
                        session_title: r.get(5)?,
                    })
                },
            )?;
            for c in found {
                candidates.push(c?);
            }
            if candidates.len() >= window {
                break;
            }
        }
        if !read_text {
            candidates.sort_by_key(|c| std::cmp::Reverse((c.at_us, c.seq)));
            candidates.truncate(limit);
            let mut raw = self
                .conn
                .prepare_cached("SELECT raw FROM events WHERE seq = ?1")?;
            for c in &mut candidates {
                c.text = text_of_raw(&raw.query_row([c.seq], |r| r.get::<_, String>(0))?);
            }
        }
        let mut ranked = rank(&terms, candidates);
        if options.order == SearchOrder::Newest {
            ranked.sort_by(|a, b| {
                (b.candidate.at_us, b.candidate.seq).cmp(&(a.candidate.at_us, a.candidate.seq))
            });
        }
        Ok(ranked
            .into_iter()
            .take(limit)
            .map(|s| SearchHit {
                at_us: s.candidate.at_us,
                agent_name: s.candidate.agent_name,
                snippet: snippet(&s.candidate.text, &s.words),
                session_id: s.candidate.session_id,
                session_title: s.candidate.session_title,
                event_id: s.candidate.event_id,
                event_type: s.candidate.event_type,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(input: &str) -> Option<String> {
        Terms::parse(input).map(|t| t.fts_query())
    }

    #[test]
    fn queries_are_folded_quoted_and_prefix_matched() {
        assert_eq!(
            q("order shipped").as_deref(),
            Some("\"order\" \"shipped\"*")
        );
        assert_eq!(q("  ").as_deref(), None);
        assert_eq!(
            q("NOT OR \"x").as_deref(),
            Some("\"not\" \"or\" \"x\""),
            "operators are plain words"
        );
        assert_eq!(
            q("rm -rf").as_deref(),
            Some("\"rm\" \"rf\""),
            "too short to be a prefix"
        );
        assert_eq!(q("a").as_deref(), Some("\"a\""));
        assert_eq!(q("Café").as_deref(), Some("\"cafe\"*"));
        assert_eq!(
            q("order ").as_deref(),
            Some("\"order\""),
            "a finished word is no prefix"
        );
        assert_eq!(
            q("shipping_report").as_deref(),
            Some("\"shipping\" \"report\"*")
        );
    }

    fn marked(text: &str, query: &str) -> Vec<Fragment> {
        let terms = Terms::parse(query).unwrap();
        let words: Vec<_> = words(text)
            .map(|(r, w)| (r, terms.matches(&fold(w))))
            .collect();
        snippet(text, &words)
    }

    fn frag(text: &str, highlight: bool) -> Fragment {
        Fragment {
            text: text.into(),
            highlight,
        }
    }

    #[test]
    fn snippets_highlight_matches_in_a_window() {
        assert_eq!(
            marked("Where is my order? It was\nshipped.", "order ship"),
            vec![
                frag("Where is my ", false),
                frag("order", true),
                frag("? It was ", false),
                frag("shipped", true),
            ]
        );
        let long = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen Cafés sixteen";
        assert_eq!(
            marked(long, "cafe"),
            vec![
                frag(
                    "…six seven eight nine ten eleven twelve thirteen fourteen fifteen ",
                    false
                ),
                frag("Cafés", true),
                frag(" sixteen", false),
            ],
            "the window moves to the match; accents are ignored"
        );
        let at_start = marked(long, "one");
        assert_eq!(at_start[0], frag("one", true));
        assert!(at_start.last().unwrap().text.ends_with("twelve…"));
        assert!(marked("", "x").is_empty());
    }

    fn candidate(seq: i64, text: &str) -> Candidate {
        Candidate {
            seq,
            at_us: seq,
            agent_name: String::new(),
            session_id: "s".into(),
            session_title: None,
            event_id: format!("e{seq}"),
            event_type: "agent.message".into(),
            text: text.into(),
        }
    }

    #[test]
    fn ranking_prefers_dense_matches_then_recent_ones() {
        let terms = Terms::parse("forklift").unwrap();
        let ranked = rank(
            &terms,
            vec![
                candidate(
                    1,
                    "the forklift is in the warehouse next to the loading bay today",
                ),
                candidate(2, "forklift forklift"),
                candidate(3, "a forklift"),
                candidate(4, "a forklift"),
            ],
        );
        let order: Vec<i64> = ranked.iter().map(|s| s.candidate.seq).collect();
        assert_eq!(order, vec![2, 4, 3, 1]);
        let terms = Terms::parse("fork").unwrap();
        let ranked = rank(
            &terms,
            vec![candidate(1, "a forklift"), candidate(2, "a forks")],
        );
        assert_eq!(
            ranked[0].candidate.seq, 2,
            "equal prefix matches: newest first"
        );
        let ranked = rank(
            &terms,
            vec![candidate(1, "a fork"), candidate(2, "a forks")],
        );
        assert_eq!(
            ranked[0].candidate.seq, 1,
            "the whole word beats a longer one"
        );
    }
}
