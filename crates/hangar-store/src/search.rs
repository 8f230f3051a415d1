//! Full-text search over every cached transcript of a profile.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::{Result, Store};

/// Marks that SQLite puts around matched words in a snippet. Control characters cannot occur in
/// the indexed text's words, so splitting on them is safe, and no HTML is ever produced here.
const OPEN: char = '\u{2}';
const CLOSE: char = '\u{3}';

/// How many of the most recent matches are ranked.
pub const RANK_WINDOW: usize = 500;

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
}

/// Turns what a person typed into a safe FTS5 query: every word must match, the last one (from
/// three letters on) as a prefix, for search as you type. Operators are treated as plain words.
pub fn fts_query(input: &str) -> Option<String> {
    let words: Vec<String> = input
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    let (last, rest) = words.split_last()?;
    let mut q = rest.join(" ");
    if !q.is_empty() {
        q.push(' ');
    }
    q.push_str(last);
    // Search as you type, from the third letter: "a*" would match half the vocabulary.
    if last.chars().count() >= 3 + 2 {
        // (`last` is quoted: two quote characters plus at least three letters.)
        q.push('*');
    }
    Some(q)
}

fn fragments(snippet: &str) -> Vec<Fragment> {
    let mut out = Vec::new();
    let mut highlight = false;
    let mut current = String::new();
    for ch in snippet.chars() {
        if ch == OPEN || ch == CLOSE {
            if !current.is_empty() {
                out.push(Fragment {
                    text: std::mem::take(&mut current),
                    highlight,
                });
            }
            highlight = ch == OPEN;
        } else {
            current.push(ch);
        }
    }
    if !current.is_empty() {
        out.push(Fragment {
            text: current,
            highlight,
        });
    }
    out
}

impl Store {
    /// The best `limit` matches for `query` across `profile`'s transcripts, best first.
    ///
    /// Ranking (bm25) is applied to the [`RANK_WINDOW`] most recent matches: a word that occurs
    /// in half a million events must not make every keystroke score all of them, and in a chat
    /// history the recent matches are the ones people look for.
    pub fn search(&self, profile: &str, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let Some(q) = fts_query(query) else {
            return Ok(Vec::new());
        };
        let mut stmt = self.conn.prepare_cached(
            "WITH recent AS (
                 SELECT events_fts.rowid AS seq, bm25(events_fts) AS score,
                        snippet(events_fts, 0, char(2), char(3), '…', 12) AS snip
                 FROM events_fts
                 JOIN events e ON e.seq = events_fts.rowid
                 WHERE events_fts MATCH ?1 AND e.profile_id = ?2
                 ORDER BY events_fts.rowid DESC LIMIT ?4
             )
             SELECT e.session_id, s.title, e.id, e.type, recent.snip
             FROM recent
             JOIN events e ON e.seq = recent.seq
             JOIN sessions s ON s.profile_id = e.profile_id AND s.id = e.session_id
             ORDER BY recent.score LIMIT ?3",
        )?;
        let hits = stmt
            .query_map(params![q, profile, limit as i64, RANK_WINDOW as i64], |r| {
                Ok(SearchHit {
                    session_id: r.get(0)?,
                    session_title: r.get(1)?,
                    event_id: r.get(2)?,
                    event_type: r.get(3)?,
                    snippet: fragments(&r.get::<_, String>(4)?),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(hits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_quoted_and_prefix_matched() {
        assert_eq!(
            fts_query("order shipped").as_deref(),
            Some("\"order\" \"shipped\"*")
        );
        assert_eq!(fts_query("  ").as_deref(), None);
        assert_eq!(
            fts_query("NOT OR \"x").as_deref(),
            Some("\"NOT\" \"OR\" \"x\"")
        );
        assert_eq!(
            fts_query("rm -rf").as_deref(),
            Some("\"rm\" \"rf\""),
            "too short to be a prefix"
        );
        assert_eq!(fts_query("a").as_deref(), Some("\"a\""));
        assert_eq!(fts_query("shi").as_deref(), Some("\"shi\"*"));
    }

    #[test]
    fn snippets_split_into_fragments() {
        let s = format!("the {OPEN}order{CLOSE} has {OPEN}shipped{CLOSE}…");
        assert_eq!(
            fragments(&s),
            vec![
                Fragment {
                    text: "the ".into(),
                    highlight: false
                },
                Fragment {
                    text: "order".into(),
                    highlight: true
                },
                Fragment {
                    text: " has ".into(),
                    highlight: false
                },
                Fragment {
                    text: "shipped".into(),
                    highlight: true
                },
                Fragment {
                    text: "…".into(),
                    highlight: false
                },
            ]
        );
    }
}
