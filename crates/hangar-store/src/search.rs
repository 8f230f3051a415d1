//! Full-text search over every cached transcript of a profile.
//!
//! The index is FTS5, contentless, and split by age into shards of 2^shard_bits events, newest
//! searched first. A search wants the most recent matches, so it usually stops in the newest
//! shard, and the cost of a common word or a short prefix is bounded by a shard's size, not by
//! the size of the whole history. Ranking (BM25 over the most recent matches) and snippets are
//! computed here, with the same tokenizer that built the index ([`crate::words`]).
//!
//! What a search reads per match is kept small: `search_text` holds each indexed event's
//! search form (the words the index holds) with its session and time, so filtering, ranking
//! and checking a prefix never parse raw JSON; only the hits shown are read in full, for their
//! snippets. Each shard knows the span of server time it holds: a date filter skips shards
//! outside it, and "newest first" stops as soon as no shard left can hold anything newer than
//! what it found. Shards indexed before schema 7 have no search forms (`text_kept` is 0) and
//! are searched through the raw JSON, as they were.
//!
//! Indexing runs in large batches, far cheaper per event than a small one per write: ingest
//! indexes once [`INDEX_BATCH`] events are waiting, a search first indexes whatever waits, and
//! the app indexes when it is idle. Every event after `search_state.indexed_upto` is waiting.

use std::collections::BTreeSet;

use crate::text::read_event;
use crate::words::{fold, for_each_folded, index_form, index_terms, words};
use crate::{Result, Store};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

/// How many of the most recent matches are ranked.
pub const RANK_WINDOW: usize = 500;

/// Ingest indexes for search once this many events are waiting.
pub const INDEX_BATCH: i64 = 10_000;

/// Search forms kept in memory for indexing, at most.
const MAX_REMEMBERED: usize = 4 * INDEX_BATCH as usize;

/// At most this many events of a shard with a query's whole words have their text checked
/// for a prefix of up to four letters (a quarter as many for a longer one; see
/// `Store::by_whole_words`): checking them costs about what FTS5 takes to gather a short,
/// common prefix over a whole shard.
const VERIFY_BUDGET: usize = 400;

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

    /// When the last word is a prefix and others come before it: the FTS5 query of those
    /// others alone (whole words).
    fn whole_words_query(&self) -> Option<String> {
        let (_, whole) = self.words.split_last()?;
        (self.last_is_prefix && !whole.is_empty()).then(|| {
            whole
                .iter()
                .map(|w| format!("\"{w}\""))
                .collect::<Vec<_>>()
                .join(" ")
        })
    }

    /// True when some word of `candidate` starts with the last term (or is it, when that
    /// is no prefix): what FTS5 checks for that term, checked on the words.
    fn last_found_in(&self, candidate: &Candidate) -> bool {
        let Some(last) = self.words.last() else {
            return false;
        };
        if let Some(form) = &candidate.form {
            return form_has_term(form, last, self.last_is_prefix);
        }
        let mut found = false;
        candidate.for_each_word(|word| {
            found = found
                || if self.last_is_prefix {
                    word.starts_with(last.as_str())
                } else {
                    word == last
                };
        });
        found
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

/// True when the search form `form` (terms separated by single spaces) holds the term `term`,
/// or a term starting with it when `prefix`: a substring search, with no word split out.
fn form_has_term(form: &str, term: &str, prefix: bool) -> bool {
    if term.is_empty() {
        return false;
    }
    let bytes = form.as_bytes();
    let mut from = 0;
    while let Some(i) = form[from..].find(term) {
        let at = from + i;
        let end = at + term.len();
        if (at == 0 || bytes[at - 1] == b' ')
            && (prefix || end == bytes.len() || bytes[end] == b' ')
        {
            return true;
        }
        // On past this occurrence's first character (a term may not be ASCII).
        from = at + form[at..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

struct Candidate {
    seq: i64,
    at_us: i64,
    agent_name: String,
    session_id: String,
    session_title: Option<String>,
    /// The event's id and type, once read.
    event: Option<(String, String)>,
    /// Its search form, when its shard keeps one (`search_text`).
    form: Option<String>,
    /// Its text, once read from the raw JSON.
    text: Option<String>,
}

impl Candidate {
    /// Calls `f` with the search form of every word, from the search form when it is kept,
    /// else from the text.
    fn for_each_word(&self, mut f: impl FnMut(&str)) {
        match (&self.form, &self.text) {
            (Some(form), _) => index_terms(form).for_each(f),
            (None, Some(text)) => for_each_folded(text, |_, w| f(w)),
            (None, None) => {}
        }
    }
}

struct Scored {
    score: f64,
    candidate: Candidate,
}

fn text_of_raw(raw: &str) -> String {
    read_event(raw).map(|e| e.text).unwrap_or_default()
}

/// BM25 over the candidates (every candidate contains every term, so each term weighs the
/// same): term frequency, saturated, normalised by length.
fn rank(terms: &Terms, candidates: Vec<Candidate>) -> Vec<Scored> {
    const K1: f64 = 1.2;
    const B: f64 = 0.75;
    // One pass over each text counts its words and weighs its matches; nothing per word is
    // kept (only the hits shown need their words again, for the snippet).
    let mut tf = vec![0.0; terms.words.len()];
    let counted: Vec<(Candidate, f64, Vec<f64>)> = candidates
        .into_iter()
        .map(|candidate| {
            tf.iter_mut().for_each(|t| *t = 0.0);
            let mut len = 0usize;
            candidate.for_each_word(|word| {
                len += 1;
                if let Some(t) = terms.matches(word) {
                    tf[t] += terms.weight(word, t);
                }
            });
            (candidate, len as f64, tf.clone())
        })
        .collect();
    let total: f64 = counted.iter().map(|(_, len, _)| len).sum();
    let average = (total / counted.len().max(1) as f64).max(1.0);
    let mut scored: Vec<Scored> = counted
        .into_iter()
        .map(|(candidate, len, tf)| {
            let norm = K1 * (1.0 - B + B * len / average);
            Scored {
                score: tf.iter().map(|tf| tf * (K1 + 1.0) / (tf + norm)).sum(),
                candidate,
            }
        })
        .collect();
    scored.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.candidate.seq.cmp(&a.candidate.seq))
    });
    scored
}

/// Every word of `text` (byte range) with the term it matches, if any.
fn marked_words(terms: &Terms, text: &str) -> Vec<(std::ops::Range<usize>, Option<usize>)> {
    let mut out = Vec::new();
    for_each_folded(text, |range, word| out.push((range, terms.matches(word))));
    out
}

/// The [`SNIPPET_WORDS`] words with the most distinct matched terms (then the most matches),
/// highlighted, with "…" where the text goes on.
fn snippet(terms: &Terms, text: &str) -> Vec<Fragment> {
    let words = marked_words(terms, text);
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
    // context before it, more after). The window slides one word at a time, keeping a count
    // of each term inside it.
    let mut per_term = vec![0usize; terms.words.len()];
    let (mut distinct, mut hits) = (0usize, 0usize);
    let mut add = |m: Option<usize>, delta: isize, per_term: &mut Vec<usize>| {
        if let Some(t) = m {
            if delta > 0 {
                per_term[t] += 1;
                hits += 1;
                if per_term[t] == 1 {
                    distinct += 1;
                }
            } else {
                per_term[t] -= 1;
                hits -= 1;
                if per_term[t] == 0 {
                    distinct -= 1;
                }
            }
        }
        (distinct, hits)
    };
    let mut next_match = vec![usize::MAX; words.len() + 1];
    for i in (0..words.len()).rev() {
        next_match[i] = if words[i].1.is_some() {
            i
        } else {
            next_match[i + 1]
        };
    }
    let mut counts = (0, 0);
    for (_, m) in &words[..width] {
        counts = add(*m, 1, &mut per_term);
    }
    let mut best = (0, (0, 0, std::cmp::Reverse(usize::MAX)));
    for start in 0..=words.len() - width {
        if start > 0 {
            add(words[start - 1].1, -1, &mut per_term);
            counts = add(words[start + width - 1].1, 1, &mut per_term);
        }
        let first = match next_match[start] {
            at if at < start + width => at - start,
            _ => 0,
        };
        let key = (
            counts.0,
            counts.1,
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
            "DELETE FROM search_shards; DELETE FROM search_text;
             UPDATE search_state SET indexed_upto = 0 WHERE id = 1;",
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
             INSERT OR IGNORE INTO search_shards (k, text_kept) VALUES ({k}, 1);"
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
        let rows: Vec<(i64, i64, i64, Option<String>)> = self
            .conn
            .prepare_cached(
                "SELECT seq, session_key, at_us, CASE WHEN seq < ?3 THEN raw END FROM events
                 WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            )?
            .query_map(
                params![upto, max.min(i64::MAX as usize) as i64, remembered_from],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )?
            .collect::<rusqlite::Result<_>>()?;
        let Some(&(newest, _, _, _)) = rows.last() else {
            unindexed.clear();
            return Ok(0);
        };
        let mut shards: BTreeSet<i64> = self.search_shards()?.into_iter().collect();
        // The span of server time each shard receives in this batch.
        let mut spans: std::collections::BTreeMap<i64, (i64, i64)> = Default::default();
        let tx = self.conn.unchecked_transaction()?;
        let mut keep = self.conn.prepare_cached(
            "INSERT OR REPLACE INTO search_text (seq, session_key, at_us, form)
             VALUES (?1, ?2, ?3, ?4)",
        )?;
        // The statement inserting into the shard being filled (a batch rarely spans two).
        let mut insert: Option<(i64, rusqlite::CachedStatement<'_>)> = None;
        for (seq, session_key, at_us, raw) in rows {
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
            let span = spans.entry(k).or_insert((at_us, at_us));
            *span = (span.0.min(at_us), span.1.max(at_us));
            let stmt = match &mut insert {
                Some((shard, stmt)) if *shard == k => stmt,
                _ => {
                    let stmt = self.conn.prepare_cached(&format!(
                        "INSERT INTO search_{k} (rowid, text) VALUES (?1, ?2)"
                    ))?;
                    &mut insert.insert((k, stmt)).1
                }
            };
            stmt.execute(params![seq, form])?;
            keep.execute(params![seq, session_key, at_us, form])?;
        }
        drop((keep, insert));
        for (k, (min, max)) in spans {
            self.conn
                .prepare_cached(
                    "UPDATE search_shards SET min_at_us = min(coalesce(min_at_us, ?2), ?2),
                         max_at_us = max(coalesce(max_at_us, ?3), ?3)
                     WHERE k = ?1",
                )?
                .execute([k, min, max])?;
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

    /// The search shards, newest first.
    fn search_shard_list(&self) -> Result<Vec<Shard>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT k, min_at_us, max_at_us, text_kept FROM search_shards ORDER BY k DESC",
            )?
            .query_map([], |r| {
                Ok(Shard {
                    k: r.get(0)?,
                    min_at: r.get(1)?,
                    max_at: r.get(2)?,
                    text_kept: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// Grows the prepared-statement cache with the history: a search prepares two statements
    /// per shard and indexing one, and a cache too small for them prepares every one again on
    /// every search.
    fn fit_statement_cache(&self, shards: usize) {
        let wanted = 64 + 3 * shards;
        if wanted > self.statement_capacity.get() {
            self.conn.set_prepared_statement_cache_capacity(wanted);
            self.statement_capacity.set(wanted);
        }
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
        // One read transaction for the whole search: one snapshot, and one lock instead of one
        // per statement (hundreds, each a system call). Dropped, it ends without writing.
        let _snapshot = self.conn.unchecked_transaction()?;
        let filter = Filter {
            profile,
            agent_id: options.agent_id.as_deref(),
            session_id: options.session_id.as_deref(),
            from_us: options.from_us.unwrap_or(i64::MIN),
            before_us: options.before_us.unwrap_or(i64::MAX),
        };
        let all = self.search_shard_list()?;
        self.fit_statement_cache(all.len());
        // A shard holding nothing of the time asked for is not searched at all.
        let shards: Vec<Shard> = all
            .into_iter()
            .filter(|s| {
                !(s.max_at.is_some_and(|max| max < filter.from_us)
                    || s.min_at.is_some_and(|min| min >= filter.before_us))
            })
            .collect();
        // The newest server time any shard from here on holds (unknown counts as the future).
        let mut newest_after: Vec<i64> = shards
            .iter()
            .map(|s| s.max_at.unwrap_or(i64::MAX))
            .collect();
        for i in (0..newest_after.len().saturating_sub(1)).rev() {
            newest_after[i] = newest_after[i].max(newest_after[i + 1]);
        }
        let q = terms.fts_query();
        let whole_words = terms.whole_words_query();
        let mut candidates = Vec::new();
        // Both orders look at the newest RANK_WINDOW matches (by arrival). Best first ranks
        // their words; newest first sorts them by the server's time (a backfilled old session
        // arrives late) and reads the text of the `limit` it keeps only.
        let window = RANK_WINDOW.max(limit);
        let best = options.order == SearchOrder::Best;
        for (i, shard) in shards.iter().enumerate() {
            // Newest first keeps the `limit` latest by server time. Shards are searched from
            // the newest arrivals back, and every event of the shards still to search arrived
            // before those already found: once none of them holds a time after the `limit`-th
            // found, they cannot change the answer (a tie goes to the later arrival).
            if !best && limit > 0 && candidates.len() >= limit {
                let mut times: Vec<i64> = candidates.iter().map(|c: &Candidate| c.at_us).collect();
                let (_, kept, _) = times.select_nth_unstable_by(limit - 1, |a, b| b.cmp(a));
                if newest_after[i] <= *kept {
                    break;
                }
            }
            let wanted = window - candidates.len();
            let by_words = match &whole_words {
                Some(words) => self.by_whole_words(shard, words, &terms, &filter, wanted)?,
                None => None,
            };
            match by_words {
                Some(found) => candidates.extend(found),
                None => self.by_index(shard, &q, &filter, best, wanted, &mut candidates)?,
            }
            if candidates.len() >= window {
                break;
            }
        }
        let mut chosen: Vec<Candidate> = if best {
            rank(&terms, candidates)
                .into_iter()
                .take(limit)
                .map(|s| s.candidate)
                .collect()
        } else {
            candidates.sort_by_key(|c| std::cmp::Reverse((c.at_us, c.seq)));
            candidates.truncate(limit);
            candidates
        };
        // Only the hits shown are read in full: the event's id, type and text for the snippet.
        let mut event = self
            .conn
            .prepare_cached("SELECT id, type, raw FROM events WHERE seq = ?1")?;
        for c in chosen
            .iter_mut()
            .filter(|c| c.event.is_none() || c.text.is_none())
        {
            let (id, kind, raw): (String, String, String) =
                event.query_row([c.seq], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            c.event = Some((id, kind));
            c.text = Some(text_of_raw(&raw));
        }
        Ok(chosen
            .into_iter()
            .map(|c| {
                let (event_id, event_type) = c.event.unwrap_or_default();
                SearchHit {
                    snippet: snippet(&terms, c.text.as_deref().unwrap_or_default()),
                    at_us: c.at_us,
                    agent_name: c.agent_name,
                    session_id: c.session_id,
                    session_title: c.session_title,
                    event_id,
                    event_type,
                }
            })
            .collect())
    }

    /// The newest `wanted` matches of a shard, as FTS5 finds them, appended to `out`; with
    /// the words to rank them by when `words` is true.
    fn by_index(
        &self,
        shard: &Shard,
        q: &str,
        filter: &Filter<'_>,
        words: bool,
        wanted: usize,
        out: &mut Vec<Candidate>,
    ) -> Result<()> {
        let k = shard.k;
        // Filters are bound as "no filter" values when unset: one statement per shard.
        let sql = if shard.text_kept {
            format!(
                "SELECT t.seq, t.at_us, s.id, s.title, s.agent_name, CASE WHEN ?7 THEN t.form END
                 FROM search_{k} f
                 JOIN search_text t ON t.seq = f.rowid
                 JOIN sessions s ON s.key = t.session_key
                 WHERE search_{k} MATCH ?1 AND s.profile_id = ?2
                   AND (?4 IS NULL OR s.agent_id = ?4)
                   AND (?8 IS NULL OR s.id = ?8)
                   AND t.at_us >= ?5 AND t.at_us < ?6
                 ORDER BY f.rowid DESC LIMIT ?3"
            )
        } else {
            format!(
                "SELECT e.seq, e.at_us, s.id, s.title, s.agent_name, CASE WHEN ?7 THEN e.raw END,
                     e.id, e.type
                 FROM search_{k} f
                 JOIN events e ON e.seq = f.rowid
                 JOIN sessions s ON s.key = e.session_key
                 WHERE search_{k} MATCH ?1 AND s.profile_id = ?2
                   AND (?4 IS NULL OR s.agent_id = ?4)
                   AND (?8 IS NULL OR s.id = ?8)
                   AND e.at_us >= ?5 AND e.at_us < ?6
                 ORDER BY f.rowid DESC LIMIT ?3"
            )
        };
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let found = stmt.query_map(
            params![
                q,
                filter.profile,
                wanted as i64,
                filter.agent_id,
                filter.from_us,
                filter.before_us,
                words,
                filter.session_id
            ],
            |r| candidate(r, shard.text_kept),
        )?;
        for c in found {
            out.push(c?);
        }
        Ok(())
    }

    /// The newest `wanted` matches of a shard found through the query's whole words alone,
    /// the last word (a prefix) checked on each one's words. FTS5 answers a prefix by first
    /// gathering every term that starts with it, all over the shard ("the*" holds "the" and
    /// "there", "then", …), however few events have the other words; checking the words of
    /// those few is cheaper. `None` when there are too many to check (see [`VERIFY_BUDGET`]):
    /// the index then answers after all.
    fn by_whole_words(
        &self,
        shard: &Shard,
        whole_words: &str,
        terms: &Terms,
        filter: &Filter<'_>,
        wanted: usize,
    ) -> Result<Option<Vec<Candidate>>> {
        let k = shard.k;
        let seqs: Vec<i64> = self
            .conn
            .prepare_cached(&format!(
                "SELECT rowid FROM search_{k} WHERE search_{k} MATCH ?1 ORDER BY rowid DESC LIMIT ?2"
            ))?
            .query_map(params![whole_words, VERIFY_BUDGET as i64 + 1], |r| {
                r.get(0)
            })?
            .collect::<rusqlite::Result<_>>()?;
        // A short prefix stands for a large part of the shard's terms ("the*", "con*"): the
        // index gathering it costs as much as checking a few hundred events. A longer one
        // names few terms, and the index is faster unless the other words are rare. Checking
        // raw JSON (a shard from before search_text) costs more than a search form.
        let short = terms.words.last().is_some_and(|w| w.chars().count() <= 4);
        let budget = match (short, shard.text_kept) {
            (true, true) => VERIFY_BUDGET,
            (false, true) | (true, false) => VERIFY_BUDGET / 4,
            (false, false) => VERIFY_BUDGET / 16,
        };
        if seqs.len() > budget {
            return Ok(None);
        }
        let mut found = Vec::new();
        if shard.text_kept {
            // One statement walks the matches newest first, and a search form is checked
            // before anything else of its row is copied out.
            let last = terms.words.last().map_or("", String::as_str);
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT t.seq, t.at_us, s.id, s.title, s.agent_name, t.form
                 FROM search_{k} f
                 JOIN search_text t ON t.seq = f.rowid
                 JOIN sessions s ON s.key = t.session_key
                 WHERE search_{k} MATCH ?1 AND s.profile_id = ?2
                   AND (?3 IS NULL OR s.agent_id = ?3)
                   AND (?4 IS NULL OR s.id = ?4)
                   AND t.at_us >= ?5 AND t.at_us < ?6
                 ORDER BY f.rowid DESC"
            ))?;
            let mut rows = stmt.query(params![
                whole_words,
                filter.profile,
                filter.agent_id,
                filter.session_id,
                filter.from_us,
                filter.before_us
            ])?;
            while found.len() < wanted {
                let Some(r) = rows.next()? else { break };
                let form = r.get_ref(5)?.as_str().map_err(rusqlite::Error::from)?;
                if form_has_term(form, last, terms.last_is_prefix) {
                    found.push(candidate(r, true)?);
                }
            }
            return Ok(Some(found));
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.seq, e.at_us, s.id, s.title, s.agent_name, e.raw, e.id, e.type
             FROM events e JOIN sessions s ON s.key = e.session_key
             WHERE e.seq = ?1 AND s.profile_id = ?2
               AND (?3 IS NULL OR s.agent_id = ?3)
               AND (?4 IS NULL OR s.id = ?4)
               AND e.at_us >= ?5 AND e.at_us < ?6",
        )?;
        for seq in seqs {
            if found.len() >= wanted {
                // The newest `wanted` matches: the events are checked newest first.
                break;
            }
            let c = stmt
                .query_row(
                    params![
                        seq,
                        filter.profile,
                        filter.agent_id,
                        filter.session_id,
                        filter.from_us,
                        filter.before_us
                    ],
                    |r| candidate(r, false),
                )
                .optional()?;
            if let Some(c) = c.filter(|c| terms.last_found_in(c)) {
                found.push(c);
            }
        }
        Ok(Some(found))
    }
}

/// A search shard.
struct Shard {
    k: i64,
    /// The span of server time of what it holds, when known.
    min_at: Option<i64>,
    max_at: Option<i64>,
    /// Every event it holds has its search form in `search_text`.
    text_kept: bool,
}

/// What a search keeps, besides the words.
struct Filter<'a> {
    profile: &'a str,
    agent_id: Option<&'a str>,
    session_id: Option<&'a str>,
    from_us: i64,
    before_us: i64,
}

/// A candidate from a row of (seq, at_us, session id, title, agent name, words or NULL,
/// then for a shard without search forms: event id, type); the words are a search form when
/// `form` is true, else the raw JSON.
fn candidate(r: &rusqlite::Row<'_>, form: bool) -> rusqlite::Result<Candidate> {
    let words = r.get_ref(5)?.as_str_or_null()?;
    Ok(Candidate {
        seq: r.get(0)?,
        at_us: r.get(1)?,
        session_id: r.get(2)?,
        session_title: r.get(3)?,
        agent_name: r.get(4)?,
        form: words.filter(|_| form).map(str::to_string),
        text: words.filter(|_| !form).map(text_of_raw),
        event: if form {
            None
        } else {
            Some((r.get(6)?, r.get(7)?))
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_term_is_found_in_a_search_form_only_as_a_whole_word_or_its_start() {
        let form = "the orders of ordinary café data2 naïve";
        assert!(form_has_term(form, "the", false));
        assert!(form_has_term(form, "orders", false));
        assert!(!form_has_term(form, "order", false));
        assert!(form_has_term(form, "order", true));
        assert!(form_has_term(form, "ordi", true));
        assert!(!form_has_term(form, "rders", true), "not inside a word");
        assert!(!form_has_term(form, "he", true));
        assert!(form_has_term(form, "café", false));
        assert!(form_has_term(form, "caf", true));
        assert!(form_has_term(form, "naïve", false), "the last word");
        assert!(!form_has_term(form, "ïve", true));
        assert!(form_has_term(form, "data", true));
        assert!(!form_has_term(form, "data", false));
        assert!(!form_has_term(form, "", true));
        assert!(!form_has_term("", "a", true));
        // Every occurrence is tried: the first "or" is inside "for", the next starts a word.
        assert!(form_has_term("for orbit", "or", true));
        assert!(form_has_term("éé é", "é", false));
    }

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
        snippet(&Terms::parse(query).unwrap(), text)
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
            event: None,
            // Half read from a kept search form, half from text: ranking treats both alike.
            form: (seq % 2 == 0).then(|| index_form(text)),
            text: (seq % 2 == 1).then(|| text.to_string()),
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
