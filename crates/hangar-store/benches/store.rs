#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a benchmark: any failure should stop it loudly"
)]
//! Store benchmarks: `cargo bench -p hangar-store` (or `cargo xtask bench`).
//!
//! Figures: ingest of 100k realistic events (batched and one at a time), first page of a
//! 10k-event transcript, full-text search over 1M events (p50/p95), size on disk per 100k events.
//! Goals (issue 4): first page < 10 ms, search p95 < 50 ms at 1M events, batched ingest ≥ 100k/s.
//!
//! History (issue 12): `history` builds 1,000 sessions / 1M events of 4 agents over 50 days and
//! times every query shape (rare, common, two words, 3- and 4-letter prefixes, filtered by agent
//! or date), top 20 with snippets, newest and best first, next to plain FTS5 (unicode61, default
//! bm25 ranking, its own snippet()) over the same text in the same run.
//!
//! Environment: `HANGAR_BENCH_ONLY=batched,single,page,search,history` runs only those parts;
//! `RUNS=n` sets the batched runs (default 5, median and best reported); `HANGAR_BENCH_KEEP=1`
//! keeps the databases in the temp dir for a closer look. `HANGAR_BENCH_EVENTS=n` sets the size
//! of the history (default 1,000,000; 1,000 events a session, 20 sessions a day, so a bigger
//! history is a longer one); `HANGAR_BENCH_REUSE=1` times the searches on the databases a
//! previous `HANGAR_BENCH_KEEP=1` run of the same size left, without building them again (and
//! keeps them); `HANGAR_BENCH_PLAIN=0` leaves plain FTS5 out of a quicker run;
//! `HANGAR_BENCH_SLOWEST=1` lists each shape's five slowest queries.

use std::time::{Duration, Instant};

use hangar_store::{Anchor, Store};

const PROFILE: &str = "bench";

/// A vocabulary with a realistic (Zipf-like) spread: a few very common words, many rare ones.
struct Words {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Words {
    fn new(rng: &mut fastrand::Rng) -> Self {
        let common = [
            "the", "a", "and", "of", "to", "in", "is", "for", "with", "on", "order", "file",
            "error", "data", "report",
        ];
        let syllables = [
            "ka", "lo", "mi", "ren", "tu", "sa", "vor", "el", "quin", "dra", "po", "ix", "ther",
            "mun", "gal", "bre",
        ];
        let mut words: Vec<String> = common.iter().map(|s| s.to_string()).collect();
        while words.len() < 20_000 {
            let n = rng.usize(2..5);
            words.push(
                (0..n)
                    .map(|_| syllables[rng.usize(..syllables.len())])
                    .collect(),
            );
        }
        let mut total = 0.0;
        let cumulative = (1..=words.len())
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect();
        Self { words, cumulative }
    }

    fn pick(&self, rng: &mut fastrand::Rng) -> &str {
        let target = rng.f64() * self.cumulative.last().unwrap();
        let at = self
            .cumulative
            .partition_point(|c| *c < target)
            .min(self.words.len() - 1);
        &self.words[at]
    }

    fn sentence(&self, rng: &mut fastrand::Rng, len: usize) -> String {
        (0..len)
            .map(|_| self.pick(rng))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn ts(us: i64) -> String {
    let secs = 1_795_132_800 + us / 1_000_000;
    let micros = us % 1_000_000;
    let day = (secs - 1_795_132_800) / 86_400;
    let rem = secs % 86_400;
    format!(
        "2026-11-{:02}T{:02}:{:02}:{:02}.{micros:06}Z",
        20 + day,
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    )
}

fn event(n: u64, at_us: i64, words: &Words, rng: &mut fastrand::Rng) -> String {
    let id = format!("sevt_{n:012}");
    let at = ts(at_us);
    let v = match n % 8 {
        0 => {
            serde_json::json!({"type":"user.message","id":id,"content":[{"type":"text","text":words.sentence(rng, 14)}],"processed_at":at})
        }
        1 => serde_json::json!({"type":"session.status_running","id":id,"processed_at":at}),
        2 => serde_json::json!({"type":"agent.thinking","id":id,"processed_at":at}),
        3 => {
            serde_json::json!({"type":"agent.tool_use","id":id,"name":"bash","input":{"command":format!("grep -rn {} src/", words.pick(rng))},"evaluated_permission":"allow","processed_at":at})
        }
        4 => {
            serde_json::json!({"type":"agent.tool_result","id":id,"tool_use_id":"sevt_x","content":[{"type":"text","text":words.sentence(rng, 40)}],"is_error":false,"processed_at":at})
        }
        5 => {
            serde_json::json!({"type":"span.model_request_end","id":id,"model_request_start_id":"sevt_x","is_error":false,"model_usage":{"input_tokens":1200,"output_tokens":90,"cache_creation_input_tokens":0,"cache_read_input_tokens":1024},"processed_at":at})
        }
        6 => {
            serde_json::json!({"type":"agent.message","id":id,"content":[{"type":"text","text":format!("## Result\n\n{}\n\n- {}\n- {}", words.sentence(rng, 60), words.sentence(rng, 10), words.sentence(rng, 10))}],"processed_at":at})
        }
        _ => {
            serde_json::json!({"type":"session.status_idle","id":id,"stop_reason":{"type":"end_turn"},"stop_details":null,"processed_at":at})
        }
    };
    v.to_string()
}

fn session_json(id: &str) -> String {
    serde_json::json!({"id": id, "type": "session", "status": "idle", "title": format!("Session {id}"), "environment_id": "env_1",
        "agent": {"id": "agent_1", "version": 1, "name": "Bench"}, "usage": {}, "created_at": ts(0), "updated_at": ts(0), "archived_at": null}).to_string()
}

fn fresh(dir: &std::path::Path, name: &str) -> (Store, std::path::PathBuf) {
    let path = dir.join(name);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let store = Store::open(&path).unwrap();
    store.upsert_profile(PROFILE, "Bench", "x", false).unwrap();
    (store, path)
}

fn file_size(path: &std::path::Path) -> u64 {
    ["", "-wal"]
        .iter()
        .map(|s| {
            std::fs::metadata(format!("{}{s}", path.display()))
                .map(|m| m.len())
                .unwrap_or(0)
        })
        .sum()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// Which parts to run: `HANGAR_BENCH_ONLY=batched,single,page,search` (default: all).
fn wanted(part: &str) -> bool {
    match std::env::var("HANGAR_BENCH_ONLY") {
        Ok(list) => list.split(',').any(|p| p.trim() == part),
        Err(_) => true,
    }
}

fn main() {
    let dir = std::env::temp_dir().join("hangar-store-bench");
    std::fs::create_dir_all(&dir).unwrap();
    let mut rng = fastrand::Rng::with_seed(42);
    let words = Words::new(&mut rng);
    let events: Vec<String> = (0..100_000u64)
        .map(|i| event(i, i as i64 * 1_000, &words, &mut rng))
        .collect();
    let refs: Vec<&str> = events.iter().map(String::as_str).collect();
    if wanted("batched") {
        batched(&dir, &refs);
    }
    if wanted("single") {
        single(&dir, &refs);
    }
    if wanted("page") {
        first_page(&dir, &refs);
    }
    if wanted("search") {
        search(&dir, &words, &mut rng);
    }
    if wanted("history") {
        history::run(&dir, &words, &mut rng);
    }
    if std::env::var_os("HANGAR_BENCH_KEEP").is_none()
        && std::env::var_os("HANGAR_BENCH_REUSE").is_none()
    {
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// Ingest 100k, batched (1000 per transaction: a page of history, as the tailer fetches it),
/// until every event is stored and searchable.
fn batched(dir: &std::path::Path, refs: &[&str]) {
    let mut rates = Vec::new();
    let mut size = 0;
    for _ in 0..std::env::var("RUNS").map_or(5, |r| r.parse().unwrap()) {
        let (store, path) = fresh(dir, "batched.db");
        store
            .upsert_session(PROFILE, &session_json("sesn_b"))
            .unwrap();
        let started = Instant::now();
        for chunk in refs.chunks(1000) {
            store.ingest_events(PROFILE, "sesn_b", chunk).unwrap();
        }
        store.index_all_pending().unwrap();
        let elapsed = started.elapsed();
        assert_eq!(store.search_backlog().unwrap(), 0);
        assert_eq!(store.event_count(PROFILE, "sesn_b").unwrap(), 100_000);
        assert_eq!(store.integrity_check().unwrap(), "ok");
        drop(store);
        size = file_size(&path);
        rates.push(100_000.0 / elapsed.as_secs_f64());
    }
    rates.sort_by(f64::total_cmp);
    println!(
        "ingest 100k batched (1000/tx) until searchable, median of 5: {:.0} events/s, best {:.0} (runs: {})",
        rates[rates.len() / 2],
        rates[rates.len() - 1],
        rates
            .iter()
            .map(|r| format!("{r:.0}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "size on disk per 100k events (with FTS index): {:.1} MB",
        size as f64 / 1e6
    );
}

/// Ingest one at a time (one transaction per event, as a live stream writes).
fn single(dir: &std::path::Path, refs: &[&str]) {
    let (store, _) = fresh(dir, "single.db");
    store
        .upsert_session(PROFILE, &session_json("sesn_s"))
        .unwrap();
    let started = Instant::now();
    for raw in refs {
        store.ingest_event(PROFILE, "sesn_s", raw).unwrap();
    }
    store.index_all_pending().unwrap();
    let single = started.elapsed();
    println!(
        "ingest 100k one at a time: {:.2} s = {:.0} events/s",
        single.as_secs_f64(),
        100_000.0 / single.as_secs_f64()
    );
}

/// First page of a 10k-event transcript (cold statement cache each time: a new connection).
fn first_page(dir: &std::path::Path, refs: &[&str]) {
    let (store, path) = fresh(dir, "transcript.db");
    store
        .upsert_session(PROFILE, &session_json("sesn_t"))
        .unwrap();
    store
        .ingest_events(PROFILE, "sesn_t", &refs[..10_000])
        .unwrap();
    drop(store);
    let mut times = Vec::new();
    for i in 0..50 {
        let store = Store::open(&path).unwrap();
        let anchor = if i % 2 == 0 {
            Anchor::End
        } else {
            Anchor::Start
        };
        let started = Instant::now();
        let page = store
            .transcript_page(PROFILE, "sesn_t", &anchor, 100)
            .unwrap();
        times.push(started.elapsed());
        assert_eq!(page.events.len(), 100);
        assert_eq!(page.total, 10_000);
    }
    times.sort();
    println!(
        "first page (100 events) of a 10k transcript, fresh connection: p50 {:.2} ms, p95 {:.2} ms",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.95).as_secs_f64() * 1e3
    );
}

/// Search over 1M events in 100 sessions.
fn search(dir: &std::path::Path, words: &Words, rng: &mut fastrand::Rng) {
    let (store, path) = fresh(dir, "search.db");
    let started = Instant::now();
    let mut n = 0u64;
    for s in 0..100 {
        let sid = format!("sesn_{s:03}");
        store.upsert_session(PROFILE, &session_json(&sid)).unwrap();
        let batch: Vec<String> = (0..10_000)
            .map(|_| {
                n += 1;
                event(n, n as i64 * 1_000, words, rng)
            })
            .collect();
        let r: Vec<&str> = batch.iter().map(String::as_str).collect();
        for chunk in r.chunks(1000) {
            store.ingest_events(PROFILE, &sid, chunk).unwrap();
        }
    }
    store.index_all_pending().unwrap();
    println!(
        "built 1M-event cache in {:.1} s ({:.0} MB)",
        started.elapsed().as_secs_f64(),
        file_size(&path) as f64 / 1e6
    );
    // Queries people type: one or two words of all frequencies, the last as a prefix.
    let mut queries: Vec<String> = Vec::new();
    for i in 0..250 {
        let q = match i % 5 {
            0 => words.pick(rng).to_string(),
            1 => format!("{} {}", words.pick(rng), words.pick(rng)),
            2 => words.words[rng.usize(15..2_000)].clone(),
            3 => {
                let w = &words.words[rng.usize(15..20_000)];
                w[..w.len().min(4)].to_string()
            }
            _ => {
                let w = &words.words[rng.usize(15..20_000)];
                w[..w.len().min(3)].to_string()
            }
        };
        queries.push(q);
    }
    let mut times = Vec::new();
    let mut by_shape: [Vec<Duration>; 5] = Default::default();
    let mut hits = 0;
    for (i, q) in queries.iter().enumerate() {
        let started = Instant::now();
        hits += store.search(PROFILE, q, 20).unwrap().len();
        times.push(started.elapsed());
        by_shape[i % 5].push(started.elapsed());
    }
    for (shape, mut t) in [
        "common word",
        "two words",
        "mid-frequency word",
        "4-letter prefix",
        "3-letter prefix",
    ]
    .into_iter()
    .zip(by_shape)
    {
        t.sort();
        println!(
            "  {shape}: p50 {:.1} ms, p95 {:.1} ms",
            percentile(&t, 0.5).as_secs_f64() * 1e3,
            percentile(&t, 0.95).as_secs_f64() * 1e3
        );
    }
    times.sort();
    println!(
        "search over 1M events ({} queries, top 20, ranked, with snippets): p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms ({hits} hits)",
        queries.len(),
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.95).as_secs_f64() * 1e3,
        times.last().unwrap().as_secs_f64() * 1e3
    );
}

/// Issue 12: search at 1,000 sessions / 1M events against plain FTS5 on the same data.
mod history {
    use std::time::{Duration, Instant};

    use hangar_store::{SearchOptions, SearchOrder};

    use super::{event, file_size, fresh, percentile, Words, PROFILE};

    const PER_SESSION: u64 = 1_000;
    const SESSIONS_A_DAY: u64 = 20;
    const DAY_US: i64 = 86_400_000_000;

    fn session(id: &str, agent: u64, created_us: i64) -> String {
        let at = hangar_store::format_rfc3339_us(created_us);
        serde_json::json!({"id": id, "type": "session", "status": "idle", "title": format!("Session {id}"), "environment_id": "env_1",
            "agent": {"id": format!("agent_{agent}"), "version": 1, "name": format!("Agent {agent}")}, "usage": {},
            "created_at": at, "updated_at": at, "archived_at": null}).to_string()
    }

    /// `HANGAR_BENCH_PLAIN=0` leaves plain FTS5 out (empty), for quicker runs at scale.
    fn with_plain() -> bool {
        std::env::var("HANGAR_BENCH_PLAIN").map_or(true, |v| v != "0")
    }

    struct Shape {
        name: &'static str,
        queries: Vec<String>,
        agent: Option<String>,
        from_us: Option<i64>,
    }

    pub fn run(dir: &std::path::Path, words: &Words, rng: &mut fastrand::Rng) {
        let base_us = hangar_store::parse_rfc3339_us("2026-10-01T00:00:00Z").unwrap();
        let total: u64 = std::env::var("HANGAR_BENCH_EVENTS")
            .map_or(1_000_000, |n| n.replace('_', "").parse().unwrap());
        let sessions = (total / PER_SESSION).max(1);
        let days = sessions.div_ceil(SESSIONS_A_DAY) as i64;
        let name = format!("history-{total}.db");
        let plain_name = format!("plain-{total}.db");
        let reuse = std::env::var_os("HANGAR_BENCH_REUSE").is_some()
            && dir.join(&name).exists()
            && dir.join(&plain_name).exists();
        let (store, plain, n) = if reuse {
            let store = hangar_store::Store::open(dir.join(&name)).unwrap();
            let plain = rusqlite::Connection::open(dir.join(&plain_name)).unwrap();
            let n: i64 = plain
                .query_row("SELECT count(*) FROM meta", [], |r| r.get(0))
                .unwrap();
            println!("history: reusing {name} and {plain_name} ({n} events)");
            (store, plain, n as u64)
        } else {
            build(dir, words, rng, base_us, sessions, &name, &plain_name)
        };
        // Queries come from their own generator, so a reused database sees the same ones.
        let rng = &mut fastrand::Rng::with_seed(7);
        search(&store, &plain, words, rng, base_us, days, n);
    }

    fn build(
        dir: &std::path::Path,
        words: &Words,
        rng: &mut fastrand::Rng,
        base_us: i64,
        sessions: u64,
        name: &str,
        plain_name: &str,
    ) -> (hangar_store::Store, rusqlite::Connection, u64) {
        let (store, path) = fresh(dir, name);
        let plain_path = dir.join(plain_name);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", plain_path.display()));
        }
        let plain = rusqlite::Connection::open(&plain_path).unwrap();
        plain
            .execute_batch(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
                 CREATE VIRTUAL TABLE plain_fts USING fts5(text, tokenize = 'unicode61 remove_diacritics 2');
                 CREATE TABLE meta (rowid INTEGER PRIMARY KEY, agent TEXT NOT NULL, at_us INTEGER NOT NULL);",
            )
            .unwrap();
        let started = Instant::now();
        let mut ingest = Duration::ZERO;
        let mut n = 0u64;
        for s in 0..sessions {
            let sid = format!("sesn_{s:05}");
            let agent = s % 4;
            // 20 sessions a day (50 days for 1M events); events a second apart.
            let created = base_us + (s / SESSIONS_A_DAY) as i64 * DAY_US;
            store
                .upsert_session(PROFILE, &session(&sid, agent, created))
                .unwrap();
            let batch: Vec<String> = (0..PER_SESSION)
                .map(|i| {
                    n += 1;
                    let mut v: serde_json::Value =
                        serde_json::from_str(&event(n, 0, words, rng)).unwrap();
                    v["processed_at"] = serde_json::json!(hangar_store::format_rfc3339_us(
                        created + i as i64 * 1_000_000
                    ));
                    v.to_string()
                })
                .collect();
            let refs: Vec<&str> = batch.iter().map(String::as_str).collect();
            let t = Instant::now();
            for chunk in refs.chunks(1000) {
                store.ingest_events(PROFILE, &sid, chunk).unwrap();
            }
            ingest += t.elapsed();
            if !with_plain() {
                continue;
            }
            let tx = plain.unchecked_transaction().unwrap();
            for (i, raw) in batch.iter().enumerate() {
                let v: serde_json::Value = serde_json::from_str(raw).unwrap();
                let text = hangar_store::event_text(&v);
                let rowid = (n - PER_SESSION + i as u64 + 1) as i64;
                let at = created + i as i64 * 1_000_000;
                tx.execute(
                    "INSERT INTO meta (rowid, agent, at_us) VALUES (?1, ?2, ?3)",
                    rusqlite::params![rowid, format!("agent_{agent}"), at],
                )
                .unwrap();
                if !text.is_empty() {
                    tx.execute(
                        "INSERT INTO plain_fts (rowid, text) VALUES (?1, ?2)",
                        rusqlite::params![rowid, text],
                    )
                    .unwrap();
                }
            }
            tx.commit().unwrap();
        }
        let t = Instant::now();
        store.index_all_pending().unwrap();
        ingest += t.elapsed();
        println!(
            "history: built {sessions} sessions / {n} events in {:.0} s; hangar ingest until searchable {:.0} events/s; cache {:.0} MB, plain FTS5 copy {:.0} MB",
            started.elapsed().as_secs_f64(),
            n as f64 / ingest.as_secs_f64(),
            file_size(&path) as f64 / 1e6,
            file_size(&plain_path) as f64 / 1e6
        );
        (store, plain, n)
    }

    fn search(
        store: &hangar_store::Store,
        plain: &rusqlite::Connection,
        words: &Words,
        rng: &mut fastrand::Rng,
        base_us: i64,
        days: i64,
        n: u64,
    ) {
        let pick_rare = |rng: &mut fastrand::Rng| words.words[rng.usize(5_000..20_000)].clone();
        let pick_common = |rng: &mut fastrand::Rng| words.words[rng.usize(0..15)].clone();
        let prefix = |rng: &mut fastrand::Rng, len: usize| {
            let w = &words.words[rng.usize(15..20_000)];
            w[..w.len().min(len)].to_string()
        };
        let shapes = vec![
            Shape {
                name: "rare word",
                queries: (0..60).map(|_| pick_rare(rng)).collect(),
                agent: None,
                from_us: None,
            },
            Shape {
                name: "common word",
                queries: (0..60).map(|_| pick_common(rng)).collect(),
                agent: None,
                from_us: None,
            },
            Shape {
                name: "two common words",
                queries: (0..60)
                    .map(|_| format!("{} {}", pick_common(rng), pick_common(rng)))
                    .collect(),
                agent: None,
                from_us: None,
            },
            Shape {
                name: "word pair (any)",
                queries: (0..60)
                    .map(|_| format!("{} {}", words.pick(rng), words.pick(rng)))
                    .collect(),
                agent: None,
                from_us: None,
            },
            Shape {
                name: "3-letter prefix",
                queries: (0..60).map(|_| prefix(rng, 3)).collect(),
                agent: None,
                from_us: None,
            },
            Shape {
                name: "4-letter prefix",
                queries: (0..60).map(|_| prefix(rng, 4)).collect(),
                agent: None,
                from_us: None,
            },
            Shape {
                name: "common word, one agent",
                queries: (0..60).map(|_| pick_common(rng)).collect(),
                agent: Some("agent_2".into()),
                from_us: None,
            },
            Shape {
                name: "mid word, last 7 days",
                queries: (0..60)
                    .map(|_| words.words[rng.usize(15..2_000)].clone())
                    .collect(),
                agent: None,
                from_us: Some(base_us + (days - 7) * DAY_US),
            },
        ];
        println!("history: search over {n} events, top 20 with snippets (p50 / p95 ms); plain FTS5 = bm25 + snippet() on the same text");
        let mut plain_stmt = plain
            .prepare(
                "SELECT f.rowid, snippet(plain_fts, 0, '<mark>', '</mark>', '…', 12) FROM plain_fts f
                 JOIN meta m ON m.rowid = f.rowid
                 WHERE plain_fts MATCH ?1 AND (?2 IS NULL OR m.agent = ?2) AND m.at_us >= ?3
                 ORDER BY rank LIMIT 20",
            )
            .unwrap();
        for shape in shapes {
            let mut newest = Vec::new();
            let mut best = Vec::new();
            let mut fts = Vec::new();
            let mut hits = 0usize;
            let mut slowest: Vec<(Duration, String, SearchOrder)> = Vec::new();
            for q in &shape.queries {
                for (order, times) in [
                    (SearchOrder::Newest, &mut newest),
                    (SearchOrder::Best, &mut best),
                ] {
                    let options = SearchOptions {
                        limit: 20,
                        agent_id: shape.agent.clone(),
                        from_us: shape.from_us,
                        before_us: None,
                        order,
                        session_id: None,
                    };
                    let t = Instant::now();
                    hits += store.search_with(PROFILE, q, &options).unwrap().len();
                    times.push(t.elapsed());
                    slowest.push((t.elapsed(), q.clone(), order));
                }
                if !with_plain() {
                    continue;
                }
                // The same words for plain FTS5: quoted terms, the last a prefix when typed so.
                let terms: Vec<String> = q.split_whitespace().map(|w| format!("\"{w}\"")).collect();
                let mut fq = terms.join(" ");
                if shape.name.contains("prefix") || shape.name.contains("pair") {
                    fq.push('*');
                }
                let t = Instant::now();
                let rows: Vec<(i64, String)> = plain_stmt
                    .query_map(
                        rusqlite::params![fq, shape.agent, shape.from_us.unwrap_or(i64::MIN)],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .unwrap()
                    .collect::<rusqlite::Result<_>>()
                    .unwrap();
                fts.push(t.elapsed());
                std::hint::black_box(rows);
            }
            let fmt = |mut t: Vec<Duration>| {
                if t.is_empty() {
                    return (f64::NAN, f64::NAN);
                }
                t.sort();
                (
                    percentile(&t, 0.5).as_secs_f64() * 1e3,
                    percentile(&t, 0.95).as_secs_f64() * 1e3,
                )
            };
            let (n50, n95) = fmt(newest);
            let (b50, b95) = fmt(best);
            let (f50, f95) = fmt(fts);
            println!(
                "  {:<24} newest {n50:>6.2} / {n95:>6.2}   best {b50:>6.2} / {b95:>6.2}   plain FTS5 {f50:>7.2} / {f95:>7.2}   (p95 ratio plain/newest {:.1}×, plain/best {:.1}×; {hits} hits)",
                shape.name,
                f95 / n95.max(1e-6),
                f95 / b95.max(1e-6)
            );
            if std::env::var_os("HANGAR_BENCH_SLOWEST").is_some() {
                slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
                for (t, q, order) in slowest.iter().take(5) {
                    println!("      {:>6.2} ms  {order:?}  {q:?}", t.as_secs_f64() * 1e3);
                }
            }
        }
    }
}
