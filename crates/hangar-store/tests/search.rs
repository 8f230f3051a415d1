#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on any error"
)]
//! Search against a scan: over many small shards, with every filter and both orders, what the
//! index finds is exactly what reading every event finds. Also over shards indexed before the
//! search forms were kept (schema 6), upgraded in place.

mod support;

use hangar_store::{SearchOptions, SearchOrder, Store, MIGRATIONS};
use support::{event_json, session_json, ts, PROFILE};

/// One stored event as the scan sees it.
struct Stored {
    id: String,
    session: String,
    agent: String,
    at_us: i64,
    /// Folded words of its text (the test's words are ASCII).
    words: Vec<String>,
}

fn folded_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// Sessions and events, in the order they are stored (which is the order of seq).
#[derive(Default)]
struct Corpus {
    events: Vec<Stored>,
    next: u64,
}

impl Corpus {
    /// Adds `count` events to `session` (agent `agent`), the first at `start_us`, a second
    /// apart.
    fn add(
        &mut self,
        store: &Store,
        session: &str,
        agent: &str,
        start_us: i64,
        count: u64,
        rng: &mut fastrand::Rng,
    ) {
        store
            .upsert_session(PROFILE, &session_json(session, session, agent, "idle", 0))
            .unwrap();
        let mut raws = Vec::new();
        for i in 0..count {
            self.next += 1;
            let at_us = start_us + i as i64 * 1_000_000;
            let raw = event_json(self.next, at_us, rng);
            let value: serde_json::Value = serde_json::from_str(&raw).unwrap();
            self.events.push(Stored {
                id: value["id"].as_str().unwrap().to_string(),
                session: session.to_string(),
                agent: agent.to_string(),
                at_us: hangar_store::parse_rfc3339_us(&ts(at_us)).unwrap(),
                words: folded_words(&hangar_store::event_text(&value)),
            });
            raws.push(raw);
        }
        let refs: Vec<&str> = raws.iter().map(String::as_str).collect();
        for chunk in refs.chunks(37) {
            store.ingest_events(PROFILE, session, chunk).unwrap();
        }
    }

    /// What a scan finds for `query`: every word, the last also as a prefix when typed so.
    fn scan(&self, query: &str, options: &SearchOptions) -> Vec<usize> {
        let words = folded_words(query);
        let Some((last, whole)) = words.split_last() else {
            return Vec::new();
        };
        let prefix = last.len() >= 3 && query.ends_with(|c: char| c.is_alphanumeric());
        (0..self.events.len())
            .filter(|&i| {
                let e = &self.events[i];
                whole.iter().all(|w| e.words.contains(w))
                    && e.words
                        .iter()
                        .any(|w| w == last || (prefix && w.starts_with(last.as_str())))
                    && options.agent_id.as_ref().is_none_or(|a| *a == e.agent)
                    && options.session_id.as_ref().is_none_or(|s| *s == e.session)
                    && options.from_us.is_none_or(|f| e.at_us >= f)
                    && options.before_us.is_none_or(|b| e.at_us < b)
            })
            .collect()
    }

    /// Checks `query` with `options` in both orders against the scan (fewer matches than the
    /// rank window, so both orders see them all).
    fn check(&self, store: &Store, query: &str, options: SearchOptions) {
        let found = self.scan(query, &options);
        assert!(
            found.len() < hangar_store::RANK_WINDOW,
            "{query:?}: too common for the check"
        );
        // Newest first: the latest by server time, a tie to the later arrival.
        let mut newest = found.clone();
        newest.sort_by_key(|&i| std::cmp::Reverse((self.events[i].at_us, i)));
        newest.truncate(options.limit);
        let expected: Vec<&str> = newest.iter().map(|&i| self.events[i].id.as_str()).collect();
        let hits = store
            .search_with(
                PROFILE,
                query,
                &SearchOptions {
                    order: SearchOrder::Newest,
                    ..options.clone()
                },
            )
            .unwrap();
        let ids: Vec<&str> = hits.iter().map(|h| h.event_id.as_str()).collect();
        assert_eq!(ids, expected, "newest first: {query:?} {options:?}");
        for hit in &hits {
            assert!(
                hit.snippet.iter().any(|f| f.highlight),
                "a highlighted match: {query:?} {hit:?}"
            );
        }
        // Best first: the same events when all fit, else as many.
        let best = store
            .search_with(
                PROFILE,
                query,
                &SearchOptions {
                    order: SearchOrder::Best,
                    ..options.clone()
                },
            )
            .unwrap();
        assert_eq!(
            best.len(),
            found.len().min(options.limit),
            "best: {query:?} {options:?}"
        );
        if found.len() <= options.limit {
            let mut ids: Vec<&str> = best.iter().map(|h| h.event_id.as_str()).collect();
            let mut expected: Vec<&str> =
                found.iter().map(|&i| self.events[i].id.as_str()).collect();
            ids.sort_unstable();
            expected.sort_unstable();
            assert_eq!(ids, expected, "best first: {query:?} {options:?}");
        }
    }

    fn check_all(&self, store: &Store) {
        let base = hangar_store::parse_rfc3339_us(&ts(0)).unwrap();
        let queries = [
            "forecast",
            "forecast ",
            "pandas revenue",
            "war",
            "data",
            "warehouse the",
            "the wareh",
            "python dataf",
            "latency tim",
            "carrier tracking deplo",
            "the a",
            "zzz",
            "order ship",
        ];
        let filters = [
            SearchOptions::default(),
            SearchOptions {
                agent_id: Some("agent_b".into()),
                ..SearchOptions::default()
            },
            SearchOptions {
                session_id: Some("sesn_late".into()),
                ..SearchOptions::default()
            },
            SearchOptions {
                from_us: Some(base + 100_000_000),
                before_us: Some(base + 300_000_000),
                ..SearchOptions::default()
            },
            SearchOptions {
                from_us: Some(base + 350_000_000),
                ..SearchOptions::default()
            },
        ];
        for query in queries {
            for filter in &filters {
                for limit in [3, 20, 400] {
                    self.check(
                        store,
                        query,
                        SearchOptions {
                            limit,
                            ..filter.clone()
                        },
                    );
                }
            }
        }
    }
}

/// Sessions whose times interleave, and one backfilled late: stored last, its events older
/// than any other.
fn fill(store: &Store, corpus: &mut Corpus, rng: &mut fastrand::Rng) {
    corpus.add(store, "sesn_a", "agent_a", 0, 120, rng);
    corpus.add(store, "sesn_b", "agent_b", 60_000_000, 120, rng);
    corpus.add(store, "sesn_c", "agent_a", 200_000_000, 150, rng);
    corpus.add(store, "sesn_late", "agent_b", -500_000_000, 90, rng);
}

#[test]
fn search_finds_what_a_scan_finds_across_shards_filters_and_orders() {
    for bits in [3, 6, 10] {
        let store = Store::open_in_memory().unwrap();
        store.upsert_profile(PROFILE, "Test", "x", false).unwrap();
        store.set_search_shard_bits(bits).unwrap();
        let mut rng = fastrand::Rng::with_seed(u64::from(bits));
        let mut corpus = Corpus::default();
        fill(&store, &mut corpus, &mut rng);
        corpus.check_all(&store);
        // After deletes too: a cleared session leaves its shards' spans wider, never wrong.
        store.delete_session(PROFILE, "sesn_c").unwrap();
        corpus.events.retain(|e| e.session != "sesn_c");
        corpus.check_all(&store);
        assert_eq!(store.integrity_check().unwrap(), "ok");
    }
}

/// `text` as schema 6 indexed it (ASCII only here): folded words, spaces between.
fn v6_form(text: &str) -> String {
    folded_words(text).join(" ")
}

#[test]
fn an_index_from_schema_6_is_searched_in_place_and_grows_in_the_new_form() {
    let dir = std::env::temp_dir().join(format!("hangar-store-search-v6-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("cache.db");
    let mut corpus = Corpus::default();
    let mut rng = fastrand::Rng::with_seed(6);
    {
        let old = Store::open_with_migrations(&path, &MIGRATIONS[..6]).unwrap();
        old.upsert_profile(PROFILE, "Test", "x", false).unwrap();
        old.set_search_shard_bits(5).unwrap();
        corpus.add(&old, "sesn_a", "agent_a", 0, 120, &mut rng);
        corpus.add(&old, "sesn_b", "agent_b", 60_000_000, 120, &mut rng);
    }
    {
        // The index as schema 6 built it: a contentless shard per 2^5 events, no search forms.
        let conn = rusqlite::Connection::open(&path).unwrap();
        let rows: Vec<(i64, String)> = conn
            .prepare("SELECT seq, raw FROM events ORDER BY seq")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let tx = conn.unchecked_transaction().unwrap();
        for (seq, raw) in &rows {
            let value: serde_json::Value = serde_json::from_str(raw).unwrap();
            let form = v6_form(&hangar_store::event_text(&value));
            if form.is_empty() {
                continue;
            }
            let k = seq >> 5;
            let (lo, hi) = (k << 5, (k + 1) << 5);
            tx.execute_batch(&format!(
                "CREATE VIRTUAL TABLE IF NOT EXISTS search_{k} USING fts5(
                     text, content = '', contentless_delete = 1, detail = none, tokenize = 'ascii');
                 CREATE TRIGGER IF NOT EXISTS search_{k}_forget AFTER DELETE ON events
                     WHEN old.seq >= {lo} AND old.seq < {hi}
                     BEGIN DELETE FROM search_{k} WHERE rowid = old.seq; END;
                 INSERT OR IGNORE INTO search_shards (k) VALUES ({k});"
            ))
            .unwrap();
            tx.execute(
                &format!("INSERT INTO search_{k} (rowid, text) VALUES (?1, ?2)"),
                rusqlite::params![seq, form],
            )
            .unwrap();
        }
        tx.execute(
            "UPDATE search_state SET indexed_upto = ?1",
            [rows.last().unwrap().0],
        )
        .unwrap();
        tx.commit().unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.search_backlog().unwrap(), 0, "the old index is kept");
    corpus.check_all(&store);
    // New events go to shards in the new form; both kinds are searched together.
    corpus.add(&store, "sesn_c", "agent_a", 200_000_000, 150, &mut rng);
    corpus.add(&store, "sesn_late", "agent_b", -500_000_000, 90, &mut rng);
    corpus.check_all(&store);
    store.delete_session(PROFILE, "sesn_a").unwrap();
    corpus.events.retain(|e| e.session != "sesn_a");
    corpus.check_all(&store);
    assert_eq!(store.integrity_check().unwrap(), "ok");
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        count("SELECT count(*) FROM search_text WHERE seq NOT IN (SELECT seq FROM events)"),
        0,
        "a deleted event's search form goes with it"
    );
    assert_eq!(
        count("SELECT count(*) FROM search_shards WHERE text_kept = 0"),
        8,
        "the shards from schema 6 (240 events, 32 a shard) are kept as they were"
    );
    assert!(count("SELECT count(*) FROM search_text") > 0);
    drop(conn);
    let _ = std::fs::remove_dir_all(&dir);
}
