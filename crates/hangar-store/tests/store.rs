#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on any error"
)]
//! The cache's behaviour through its public API, on real SQLite files and in memory.

mod support;

use hangar_store::{Anchor, Error, Migration, ResourceKind, SessionFilter, Store, MIGRATIONS};
use serde_json::{json, Value};
use support::{event_json, session_json, ts, PROFILE};

fn store_with_session(session: &str) -> Store {
    let store = Store::open_in_memory().unwrap();
    store
        .upsert_profile(PROFILE, "Test", "http://127.0.0.1:1", false)
        .unwrap();
    store
        .upsert_session(
            PROFILE,
            &session_json(session, "Order #1234", "agent_a", "idle", 0),
        )
        .unwrap();
    store
}

fn events(n: u64) -> Vec<String> {
    let mut rng = fastrand::Rng::with_seed(7);
    (0..n)
        .map(|i| event_json(i, (i as i64 + 1) * 1000, &mut rng))
        .collect()
}

fn ids(page: &hangar_store::TranscriptPage) -> Vec<String> {
    page.events.iter().map(|e| e.id.clone()).collect()
}

#[test]
fn ingest_is_idempotent_and_keeps_raw_json_exactly() {
    let store = store_with_session("sesn_1");
    let raw = r#"{"type":"agent.message","id":"sevt_1","content":[{"type":"text","text":"Hi  there"}],"processed_at":"2026-11-20T10:00:00Z","future_field":{"x":1}}"#;
    assert_eq!(
        store.ingest_event(PROFILE, "sesn_1", raw).unwrap().inserted,
        1
    );
    let again = store.ingest_event(PROFILE, "sesn_1", raw).unwrap();
    assert_eq!((again.inserted, again.duplicates), (0, 1));
    let page = store
        .transcript_page(PROFILE, "sesn_1", &Anchor::Start, 10)
        .unwrap();
    assert_eq!(page.events.len(), 1);
    assert_eq!(page.events[0].raw, raw, "stored byte for byte");
    assert_eq!(page.events[0].event_type, "agent.message");
}

#[test]
fn unknown_session_and_malformed_events_are_errors_not_panics() {
    let store = store_with_session("sesn_1");
    assert!(matches!(
        store.ingest_event(PROFILE, "sesn_nope", &events(1)[0]),
        Err(Error::UnknownSession(_))
    ));
    assert!(matches!(
        store.ingest_event(PROFILE, "sesn_1", "{not json"),
        Err(Error::Malformed { .. })
    ));
    assert!(matches!(
        store.ingest_event(
            PROFILE,
            "sesn_1",
            r#"{"type":"event_delta","event_id":"x"}"#
        ),
        Err(Error::Malformed { .. })
    ));
    // A batch with one bad event stores nothing.
    let good = events(1);
    assert!(store
        .ingest_events(PROFILE, "sesn_1", &[good[0].as_str(), "{"])
        .is_err());
    assert_eq!(store.event_count(PROFILE, "sesn_1").unwrap(), 0);
}

#[test]
fn late_events_land_in_server_order() {
    let store = store_with_session("sesn_1");
    let all = events(10);
    let late = [all[3].as_str(), all[7].as_str()];
    let rest: Vec<&str> = all
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 3 && *i != 7)
        .map(|(_, e)| e.as_str())
        .collect();
    store.ingest_events(PROFILE, "sesn_1", &rest).unwrap();
    store.ingest_events(PROFILE, "sesn_1", &late).unwrap();
    let page = store
        .transcript_page(PROFILE, "sesn_1", &Anchor::Start, 100)
        .unwrap();
    let expect: Vec<String> = (0..10).map(|i| format!("sevt_{i:012}")).collect();
    assert_eq!(ids(&page), expect);
}

#[test]
fn pages_walk_both_directions_and_open_at_any_event() {
    let store = store_with_session("sesn_1");
    let all = events(250);
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    store.ingest_events(PROFILE, "sesn_1", &refs).unwrap();

    // Forward from the start.
    let mut seen = Vec::new();
    let mut page = store
        .transcript_page(PROFILE, "sesn_1", &Anchor::Start, 100)
        .unwrap();
    assert_eq!(
        (page.first_index, page.total, page.has_before()),
        (0, 250, false)
    );
    loop {
        seen.extend(ids(&page));
        if !page.has_after() {
            break;
        }
        let last = page.events.last().unwrap().cursor;
        page = store
            .transcript_page(PROFILE, "sesn_1", &Anchor::After(last), 100)
            .unwrap();
    }
    assert_eq!(seen.len(), 250);
    assert_eq!(seen[249], "sevt_000000000249");

    // Backward from the end.
    let end = store
        .transcript_page(PROFILE, "sesn_1", &Anchor::End, 100)
        .unwrap();
    assert_eq!(
        (end.first_index, end.has_after(), end.has_before()),
        (150, false, true)
    );
    let before = store
        .transcript_page(
            PROFILE,
            "sesn_1",
            &Anchor::Before(end.events[0].cursor),
            100,
        )
        .unwrap();
    assert_eq!(before.first_index, 50);
    assert_eq!(before.events.last().unwrap().id, "sevt_000000000149");

    // Around one event.
    let around = store
        .transcript_page(
            PROFILE,
            "sesn_1",
            &Anchor::Event("sevt_000000000120".into()),
            30,
        )
        .unwrap();
    assert_eq!(around.events.len(), 30);
    assert_eq!(around.first_index, 110);
    assert!(ids(&around).contains(&"sevt_000000000120".to_string()));
}

#[test]
fn session_list_filters_and_pages_newest_first() {
    let store = Store::open_in_memory().unwrap();
    store.upsert_profile(PROFILE, "Test", "x", false).unwrap();
    store.upsert_profile("other", "Other", "x", false).unwrap();
    for i in 0..25i64 {
        let agent = if i % 2 == 0 {
            "agent_even"
        } else {
            "agent_odd"
        };
        let status = if i % 5 == 0 { "terminated" } else { "idle" };
        store
            .upsert_session(
                PROFILE,
                &session_json(&format!("sesn_{i:03}"), "t", agent, status, i * 1_000_000),
            )
            .unwrap();
    }
    store
        .upsert_session(
            "other",
            &session_json("sesn_other", "t", "agent_even", "idle", 0),
        )
        .unwrap();
    let mut archived: Value = serde_json::from_str(&session_json(
        "sesn_003",
        "t",
        "agent_odd",
        "idle",
        3_000_000,
    ))
    .unwrap();
    archived["archived_at"] = json!(ts(50_000_000));
    store
        .upsert_session(PROFILE, &archived.to_string())
        .unwrap();

    let mut all = Vec::new();
    let mut next = None;
    loop {
        let page = store
            .list_sessions(PROFILE, &SessionFilter::default(), next.as_ref(), 10)
            .unwrap();
        all.extend(page.rows.iter().map(|r| r.id.clone()));
        next = page.next;
        if next.is_none() {
            break;
        }
    }
    let expect: Vec<String> = (0..25).rev().map(|i| format!("sesn_{i:03}")).collect();
    assert_eq!(
        all, expect,
        "newest first, every session once, no other profile's"
    );

    let filter = SessionFilter {
        agent_id: Some("agent_even".into()),
        statuses: vec!["terminated".into()],
        ..Default::default()
    };
    let rows = store
        .list_sessions(PROFILE, &filter, None, 100)
        .unwrap()
        .rows;
    assert_eq!(
        rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        vec!["sesn_020", "sesn_010", "sesn_000"]
    );

    let only_archived = SessionFilter {
        archived: Some(true),
        ..Default::default()
    };
    assert_eq!(
        store
            .list_sessions(PROFILE, &only_archived, None, 100)
            .unwrap()
            .rows
            .len(),
        1
    );
    let dated = SessionFilter {
        created_from_us: Some(ts_us(10)),
        created_before_us: Some(ts_us(12)),
        ..Default::default()
    };
    let rows = store
        .list_sessions(PROFILE, &dated, None, 100)
        .unwrap()
        .rows;
    assert_eq!(
        rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        vec!["sesn_011", "sesn_010"]
    );
}

fn ts_us(seconds_after_base: i64) -> i64 {
    hangar_store::parse_rfc3339_us(&ts(seconds_after_base * 1_000_000)).unwrap()
}

#[test]
fn status_and_usage_follow_events() {
    let store = store_with_session("sesn_1");
    store
        .ingest_events(
            PROFILE,
            "sesn_1",
            &[
                r#"{"type":"session.status_running","id":"e1","processed_at":"2026-11-20T10:00:00Z"}"#,
                r#"{"type":"session.usage","id":"e2","usage":{"input_tokens":5120,"output_tokens":830},"processed_at":"2026-11-20T10:00:01Z"}"#,
            ],
        )
        .unwrap();
    let row = store
        .list_sessions(PROFILE, &SessionFilter::default(), None, 1)
        .unwrap()
        .rows
        .remove(0);
    assert_eq!(
        (row.status.as_str(), row.input_tokens, row.output_tokens),
        ("running", 5120, 830)
    );
    assert_eq!(
        store.sync_state(PROFILE, "sesn_1").unwrap(),
        (false, Some("e2".to_string()))
    );
}

#[test]
fn search_ranks_highlights_and_stays_in_profile() {
    let store = store_with_session("sesn_1");
    store.upsert_profile("other", "Other", "x", false).unwrap();
    store
        .upsert_session(
            "other",
            &session_json("sesn_2", "Secret", "agent_a", "idle", 0),
        )
        .unwrap();
    store
        .ingest_events(PROFILE, "sesn_1", &[
            r#"{"type":"user.message","id":"m1","content":[{"type":"text","text":"Where is my order #1234? It was shipped last week."}],"processed_at":"2026-11-20T10:00:00Z"}"#,
            r#"{"type":"agent.message","id":"m2","content":[{"type":"text","text":"The carrier shows the order as delayed."}],"processed_at":"2026-11-20T10:00:01Z"}"#,
            r#"{"type":"agent.tool_use","id":"m3","name":"bash","input":{"command":"cat shipping_report.csv"},"processed_at":"2026-11-20T10:00:02Z"}"#,
        ])
        .unwrap();
    store
        .ingest_event("other", "sesn_2", r#"{"type":"user.message","id":"o1","content":[{"type":"text","text":"order shipped elsewhere"}],"processed_at":"2026-11-20T10:00:00Z"}"#)
        .unwrap();

    let hits = store.search(PROFILE, "order shipp", 10).unwrap();
    assert_eq!(
        hits.len(),
        1,
        "both words must match; the other profile is invisible: {hits:?}"
    );
    assert_eq!(
        (hits[0].session_id.as_str(), hits[0].event_id.as_str()),
        ("sesn_1", "m1")
    );
    assert_eq!(hits[0].session_title.as_deref(), Some("Order #1234"));
    let marked: Vec<&str> = hits[0]
        .snippet
        .iter()
        .filter(|f| f.highlight)
        .map(|f| f.text.as_str())
        .collect();
    assert_eq!(marked, vec!["order", "shipped"]);

    let hits = store.search(PROFILE, "order", 10).unwrap();
    assert_eq!(hits.len(), 2);
    assert!(
        store
            .search(PROFILE, "shipping_report", 10)
            .unwrap()
            .iter()
            .any(|h| h.event_id == "m3"),
        "tool input is searchable"
    );
    assert!(
        store.search(PROFILE, "\" OR NOT (", 10).unwrap().is_empty(),
        "operators are just words"
    );
    assert!(store.search(PROFILE, "", 10).unwrap().is_empty());
}

#[test]
fn exports_are_readable_and_lossless() {
    let store = store_with_session("sesn_1");
    let all = events(40);
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    store.ingest_events(PROFILE, "sesn_1", &refs).unwrap();

    let md = store.transcript_markdown(PROFILE, "sesn_1").unwrap();
    assert!(md.starts_with("# Order #1234\n"), "{md}");
    assert!(md.contains("### You\n"));
    assert!(md.contains("### Agent\n\n## Result"));
    assert!(md.contains("**Tool:** `bash`"));

    let json = store.transcript_json(PROFILE, "sesn_1").unwrap();
    let parsed: Vec<Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(parsed.len(), 40);
    for (line, raw) in json.lines().filter(|l| l.starts_with('{')).zip(&all) {
        assert_eq!(line.trim_end_matches(','), raw, "raw bytes preserved");
    }

    // Re-import into a fresh cache gives the identical export.
    let fresh = store_with_session("sesn_1");
    assert_eq!(
        fresh
            .import_transcript_json(PROFILE, "sesn_1", &json)
            .unwrap(),
        40
    );
    assert_eq!(fresh.transcript_json(PROFILE, "sesn_1").unwrap(), json);
    assert_eq!(
        fresh
            .import_transcript_json(PROFILE, "sesn_1", &json)
            .unwrap(),
        0,
        "importing twice adds nothing"
    );
}

#[test]
fn cleared_cache_refills_from_history() {
    let store = store_with_session("sesn_1");
    let all = events(30);
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    store.ingest_events(PROFILE, "sesn_1", &refs).unwrap();
    let before = store.transcript_json(PROFILE, "sesn_1").unwrap();
    store.clear_sessions(PROFILE).unwrap();
    assert!(store.session_raw(PROFILE, "sesn_1").unwrap().is_none());
    assert!(
        store.search(PROFILE, "order", 5).unwrap().is_empty(),
        "search index follows deletes"
    );
    // What the API's history returns, in pages, refills the same transcript.
    store
        .upsert_session(
            PROFILE,
            &session_json("sesn_1", "Order #1234", "agent_a", "idle", 0),
        )
        .unwrap();
    for chunk in refs.chunks(7) {
        store.ingest_events(PROFILE, "sesn_1", chunk).unwrap();
    }
    store.set_history_complete(PROFILE, "sesn_1", true).unwrap();
    assert_eq!(store.transcript_json(PROFILE, "sesn_1").unwrap(), before);
    assert!(store.sync_state(PROFILE, "sesn_1").unwrap().0);
}

#[test]
fn search_spans_shards_sees_new_events_at_once_and_forgets_deleted_ones() {
    let dir = tempdir("shards");
    let store = Store::open(dir.join("cache.db")).unwrap();
    // Shards of 16 events: a few hundred events cross many shard boundaries.
    store.set_search_shard_bits(4).unwrap();
    store.upsert_profile(PROFILE, "Test", "x", false).unwrap();
    for s in ["sesn_1", "sesn_2"] {
        store
            .upsert_session(PROFILE, &session_json(s, s, "agent_a", "idle", 0))
            .unwrap();
    }
    let message = |id: &str, at: i64, text: &str| {
        json!({"type": "agent.message", "id": id, "content": [{"type": "text", "text": text}], "processed_at": ts(at)})
            .to_string()
    };
    let old: Vec<String> = (0..200)
        .map(|i| {
            message(
                &format!("old{i}"),
                i,
                &format!("routine status line number {i}"),
            )
        })
        .collect();
    let refs: Vec<&str> = old.iter().map(String::as_str).collect();
    store.ingest_events(PROFILE, "sesn_1", &refs).unwrap();
    store
        .ingest_event(
            PROFILE,
            "sesn_2",
            &message("needle", 500, "The Forklift is parked"),
        )
        .unwrap();
    assert!(
        store.search_backlog().unwrap() > 0,
        "small writes leave indexing to a batch"
    );

    // A search sees every event, however recent: it indexes what waits first.
    let hits = store.search(PROFILE, "forkl", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(
        (hits[0].session_id.as_str(), hits[0].event_id.as_str()),
        ("sesn_2", "needle")
    );
    assert_eq!(store.search_backlog().unwrap(), 0);
    // Matches from every shard, newest ranked first among equals.
    let hits = store.search(PROFILE, "routine", 500).unwrap();
    assert_eq!(hits.len(), 200);
    assert_eq!(hits[0].event_id, "old199");
    let hits = store.search(PROFILE, "number 7", 500).unwrap();
    assert!(
        hits.iter().any(|h| h.event_id == "old7"),
        "an old shard is searched too"
    );
    assert!(
        hits.iter()
            .all(|h| h.event_id == "old7" || h.event_id.starts_with("old7")),
        "7* matches 7, 70…79: {hits:?}"
    );

    // Deleting a session takes its events out of the index, and new events never reuse
    // their positions (so none is skipped by the index).
    store.delete_session(PROFILE, "sesn_2").unwrap();
    assert!(store.search(PROFILE, "forklift", 10).unwrap().is_empty());
    store
        .upsert_session(
            PROFILE,
            &session_json("sesn_3", "again", "agent_a", "idle", 0),
        )
        .unwrap();
    store
        .ingest_event(
            PROFILE,
            "sesn_3",
            &message("needle2", 600, "another forklift"),
        )
        .unwrap();
    let hits = store.search(PROFILE, "forklift", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].event_id, "needle2");
    store.clear_sessions(PROFILE).unwrap();
    assert!(store.search(PROFILE, "routine", 10).unwrap().is_empty());
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn ingest_indexes_a_large_backlog_in_batches() {
    let store = store_with_session("sesn_1");
    let all: Vec<String> = (0..hangar_store::INDEX_BATCH + 5)
        .map(|i| {
            json!({"type": "user.message", "id": format!("u{i}"), "content": [{"type": "text", "text": format!("word{i}")}], "processed_at": ts(i)})
                .to_string()
        })
        .collect();
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    for chunk in refs.chunks(1000) {
        store.ingest_events(PROFILE, "sesn_1", chunk).unwrap();
    }
    assert!(
        store.search_backlog().unwrap() < hangar_store::INDEX_BATCH,
        "ingest keeps the backlog under a batch"
    );
    let hits = store.search(PROFILE, "word3 ", 5).unwrap();
    assert_eq!(hits.len(), 1, "a finished word matches only itself");
    assert_eq!(hits[0].event_id, "u3");
    let hits = store.search(PROFILE, "word3", 20).unwrap();
    assert_eq!(hits.len(), 20, "while typing, word3 matches word30…");
    assert!(hits.iter().all(|h| h.event_id.starts_with("u3")));
}

#[test]
fn profiles_and_settings() {
    let store = Store::open_in_memory().unwrap();
    store
        .upsert_profile("p2", "Work", "https://api.anthropic.com", false)
        .unwrap();
    store
        .upsert_profile("demo", "Demo", "http://127.0.0.1:1", true)
        .unwrap();
    store
        .upsert_profile("p1", "alpha", "https://x", false)
        .unwrap();
    let ids: Vec<String> = store
        .list_profiles()
        .unwrap()
        .into_iter()
        .map(|p| p.0)
        .collect();
    assert_eq!(ids, vec!["demo", "p1", "p2"]);
    assert_eq!(store.setting("active_profile").unwrap(), None);
    store.set_setting("active_profile", "p2").unwrap();
    store.set_setting("active_profile", "p1").unwrap();
    assert_eq!(
        store.setting("active_profile").unwrap().as_deref(),
        Some("p1")
    );
    store.delete_profile("p1").unwrap();
    assert_eq!(store.list_profiles().unwrap().len(), 2);
}

#[test]
fn resources_are_cached_with_versions_and_no_secrets() {
    let store = Store::open_in_memory().unwrap();
    store.upsert_profile(PROFILE, "Test", "x", false).unwrap();
    for v in 1..=3 {
        let agent = json!({"id":"agent_1","type":"agent","name":format!("Support v{v}"),"model":{"id":"claude-opus-5-5"},"version":v,"archived_at":null});
        store
            .upsert_resource(PROFILE, ResourceKind::Agent, &agent.to_string())
            .unwrap();
    }
    // An older version arriving late does not replace the newest in the list.
    let old = json!({"id":"agent_1","type":"agent","name":"Support v1","model":{"id":"claude-opus-5-5"},"version":1});
    store
        .upsert_resource(PROFILE, ResourceKind::Agent, &old.to_string())
        .unwrap();
    let agents = store
        .list_resources(PROFILE, ResourceKind::Agent, false)
        .unwrap();
    assert_eq!(agents.len(), 1);
    assert_eq!(agents[0].name, "Support v3");
    assert_eq!(
        store
            .agent_versions(PROFILE, "agent_1")
            .unwrap()
            .iter()
            .map(|v| v.0)
            .collect::<Vec<_>>(),
        vec![3, 2, 1]
    );

    store
        .upsert_resource(
            PROFILE,
            ResourceKind::Vault,
            &json!({"id":"vlt_1","display_name":"Team"}).to_string(),
        )
        .unwrap();
    let credential = json!({"id":"vcrd_1","vault_id":"vlt_1","display_name":"GitHub","auth":{"type":"static_bearer","mcp_server_url":"https://x","token":"ghp_SECRET"}});
    store
        .upsert_resource(PROFILE, ResourceKind::Credential, &credential.to_string())
        .unwrap();
    let creds = store
        .list_resources(PROFILE, ResourceKind::Credential, false)
        .unwrap();
    assert_eq!(creds.len(), 1);
    assert!(
        !creds[0].raw.contains("ghp_SECRET"),
        "a secret never reaches the cache: {}",
        creds[0].raw
    );
    assert!(creds[0].raw.contains("mcp_server_url"));
}

const FORKLIFT: &str = r#"{"type":"user.message","id":"f1","content":[{"type":"text","text":"Move the forklift"}],"processed_at":"2026-11-20T10:00:00Z"}"#;

#[test]
fn migrations_upgrade_every_older_schema_and_keep_data() {
    let dir = tempdir("migrate");
    // From every older version: create at version k with data, then open with the full list.
    for k in 1..MIGRATIONS.len() {
        let path = dir.join(format!("v{k}.db"));
        drop(Store::open_with_migrations(&path, &MIGRATIONS[..k]).unwrap());
        {
            // Data as an older Hangar wrote it: plain rows of that schema, no search index.
            let conn = rusqlite::Connection::open(&path).unwrap();
            let version: u32 = conn
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .unwrap();
            assert_eq!(version, k as u32);
            conn.execute_batch(&format!(
                "INSERT INTO profiles VALUES ('{PROFILE}', 'Test', 'x', 0, '2026-11-20');
                 INSERT INTO sessions (profile_id, id, title, status, agent_id, agent_name, agent_version, environment_id,
                     created_at, created_us, updated_at, last_activity_us, raw)
                     VALUES ('{PROFILE}', 'sesn_1', 'Kept', 'idle', 'a', 'A', 1, 'e', '2026-11-20T10:00:00Z', 1, '2026-11-20T10:00:00Z', 1, '{{}}');"
            ))
            .unwrap();
            let forklift = FORKLIFT.replace('\'', "''");
            if k < 5 {
                conn.execute_batch(&format!(
                    "INSERT INTO events (profile_id, session_id, id, type, processed_at, at_us, raw, text)
                         VALUES ('{PROFILE}', 'sesn_1', 'f1', 'user.message', '2026-11-20T10:00:00Z', 1, '{forklift}', 'Move the forklift');"
                ))
                .unwrap();
            } else {
                // From schema 5 on: events refer to the session's key; indexing is deferred.
                conn.execute_batch(&format!(
                    "INSERT INTO events (session_key, id, type, processed_at, at_us, raw)
                         SELECT key, 'f1', 'user.message', '2026-11-20T10:00:00Z', 1, '{forklift}' FROM sessions;"
                ))
                .unwrap();
            }
            if (3..5).contains(&k) {
                // From schema 3 on, ingest indexed each batch itself (no trigger): do as it did.
                conn.execute_batch(
                    "INSERT INTO events_fts(rowid, text) SELECT seq, text FROM events",
                )
                .unwrap();
            }
        }
        let new = Store::open(&path).unwrap();
        assert_eq!(
            new.schema_version().unwrap(),
            MIGRATIONS.last().unwrap().version
        );
        assert_eq!(
            new.event_count(PROFILE, "sesn_1").unwrap(),
            1,
            "data survives the upgrade from v{k}"
        );
        let hits = new.search(PROFILE, "forklift", 5).unwrap();
        // After the upgrade, new events are indexed exactly once too.
        new.ingest_event(PROFILE, "sesn_1", r#"{"type":"user.message","id":"f2","content":[{"type":"text","text":"the crane"}],"processed_at":"2026-11-20T10:00:01Z"}"#).unwrap();
        assert_eq!(
            new.search(PROFILE, "crane", 5).unwrap().len(),
            1,
            "indexed once after upgrading from v{k}"
        );
        assert_eq!(
            hits.len(),
            1,
            "events cached before the search index existed are searchable after v{k}"
        );
        assert_eq!(new.integrity_check().unwrap(), "ok");
    }
    // From nothing.
    let fresh = Store::open(dir.join("fresh.db")).unwrap();
    assert_eq!(
        fresh.schema_version().unwrap(),
        MIGRATIONS.last().unwrap().version
    );
}

#[test]
fn a_failed_migration_leaves_the_old_database_untouched() {
    let dir = tempdir("failed-migration");
    let path = dir.join("cache.db");
    {
        let store = Store::open(&path).unwrap();
        store.upsert_profile(PROFILE, "Test", "x", false).unwrap();
        store
            .upsert_session(
                PROFILE,
                &session_json("sesn_1", "Kept", "agent_a", "idle", 0),
            )
            .unwrap();
    }
    let mut broken: Vec<Migration> = MIGRATIONS.to_vec();
    broken.push(Migration {
        version: 99,
        sql: "CREATE TABLE half_done (x); DROP TABLE sessions; SELECT no_such_function();",
    });
    let error = Store::open_with_migrations(&path, &broken).unwrap_err();
    assert!(
        matches!(error, Error::Migration { version: 99, .. }),
        "{error}"
    );
    assert!(error.to_string().contains("untouched"));
    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        MIGRATIONS.last().unwrap().version
    );
    assert!(
        store.session_raw(PROFILE, "sesn_1").unwrap().is_some(),
        "the dropped table is back: rolled back"
    );

    // A file from a newer Hangar is refused, not rewritten.
    drop(store);
    let newer: Vec<Migration> = vec![Migration {
        version: 1,
        sql: "SELECT 1;",
    }];
    let error = Store::open_with_migrations(&path, &newer).unwrap_err();
    assert!(
        matches!(error, Error::TooNew { found, known: 1 } if found == MIGRATIONS.last().unwrap().version),
        "{error}"
    );
}

pub fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("hangar-store-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn ingest_reports_positions_and_the_resume_point_of_a_tail() {
    let store = store_with_session("sesn_1");
    assert_eq!(store.resume_point(PROFILE, "sesn_1").unwrap(), None);
    let batch = events(5);
    let refs: Vec<&str> = batch.iter().map(String::as_str).collect();
    let outcome = store.ingest_events(PROFILE, "sesn_1", &refs).unwrap();
    assert_eq!(outcome.inserted, 5);
    let indexes: Vec<usize> = outcome.positions.iter().map(|(i, _)| *i).collect();
    assert_eq!(indexes, vec![0, 1, 2, 3, 4]);
    let page = store
        .transcript_page(PROFILE, "sesn_1", &Anchor::Start, 10)
        .unwrap();
    let cursors: Vec<_> = page.events.iter().map(|e| e.cursor).collect();
    let reported: Vec<_> = outcome.positions.iter().map(|(_, c)| *c).collect();
    assert_eq!(cursors, reported, "positions are where the events landed");
    // A repeat of the burst lands nowhere.
    let again = store.ingest_events(PROFILE, "sesn_1", &refs).unwrap();
    assert!(again.positions.is_empty());

    let point = store.resume_point(PROFILE, "sesn_1").unwrap().unwrap();
    let newest: Value = serde_json::from_str(&batch[4]).unwrap();
    assert_eq!(point.processed_at, newest["processed_at"].as_str().unwrap());
    assert_eq!(
        point.ids_at,
        vec![newest["id"].as_str().unwrap().to_string()]
    );
    // Two events at the same time: both ids are known, so neither is fetched again.
    store
        .ingest_events(
            PROFILE,
            "sesn_1",
            &[
                r#"{"type":"agent.thinking","id":"t1","processed_at":"2026-12-01T10:00:00Z"}"#,
                r#"{"type":"agent.thinking","id":"t2","processed_at":"2026-12-01T10:00:00Z"}"#,
                r#"{"type":"user.message","id":"u9","content":[],"processed_at":null}"#,
            ],
        )
        .unwrap();
    let point = store.resume_point(PROFILE, "sesn_1").unwrap().unwrap();
    assert_eq!(
        point.processed_at, "2026-12-01T10:00:00Z",
        "unprocessed echoes don't count"
    );
    let mut ids = point.ids_at.clone();
    ids.sort();
    assert!(
        ids.starts_with(&["t1".to_string(), "t2".to_string()]),
        "{ids:?}"
    );
    assert_eq!(store.resume_point(PROFILE, "sesn_unknown").unwrap(), None);
}

#[test]
fn an_older_listing_never_turns_a_live_status_back() {
    let store = store_with_session("sesn_1");
    store
        .ingest_event(
            PROFILE,
            "sesn_1",
            r#"{"type":"session.status_running","id":"r1","processed_at":"2026-11-21T10:00:00Z"}"#,
        )
        .unwrap();
    // The listing was taken before the session started running (updated_at older).
    store
        .upsert_session(
            PROFILE,
            &session_json("sesn_1", "Order #1234", "agent_a", "idle", 0),
        )
        .unwrap();
    let page = store
        .list_sessions(PROFILE, &SessionFilter::default(), None, 10)
        .unwrap();
    assert_eq!(page.rows[0].status, "running");
    // A newer listing wins.
    let newer = session_json(
        "sesn_1",
        "Order #1234",
        "agent_a",
        "idle",
        2 * 86_400_000_000,
    );
    store.upsert_session(PROFILE, &newer).unwrap();
    let page = store
        .list_sessions(PROFILE, &SessionFilter::default(), None, 10)
        .unwrap();
    assert_eq!(page.rows[0].status, "idle");
    assert_eq!(
        store.sessions_with_status(PROFILE, &["idle"]).unwrap(),
        vec!["sesn_1".to_string()]
    );
    assert_eq!(
        store.sessions_without_history(PROFILE, 10).unwrap(),
        vec!["sesn_1".to_string()]
    );
    store.set_history_complete(PROFILE, "sesn_1", true).unwrap();
    assert!(store
        .sessions_without_history(PROFILE, 10)
        .unwrap()
        .is_empty());
}

#[test]
fn replacing_a_list_adds_changes_and_removes() {
    let store = Store::open_in_memory().unwrap();
    store
        .upsert_profile(PROFILE, "Test", "http://127.0.0.1:1", false)
        .unwrap();
    let env = |id: &str, name: &str| {
        json!({"id": id, "type": "environment", "name": name, "description": null,
               "config": {"type": "cloud"}, "metadata": {}, "created_at": ts(0), "updated_at": ts(0),
               "archived_at": null})
        .to_string()
    };
    let first = vec![env("env_1", "one"), env("env_2", "two")];
    assert!(store
        .replace_resources(PROFILE, ResourceKind::Environment, &first)
        .unwrap());
    assert!(
        !store
            .replace_resources(PROFILE, ResourceKind::Environment, &first)
            .unwrap(),
        "the same list changes nothing"
    );
    let second = vec![env("env_2", "two, renamed"), env("env_3", "three")];
    assert!(store
        .replace_resources(PROFILE, ResourceKind::Environment, &second)
        .unwrap());
    let names: Vec<String> = store
        .list_resources(PROFILE, ResourceKind::Environment, true)
        .unwrap()
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(names, vec!["three", "two, renamed"]);
}

#[test]
fn a_rebuilt_search_index_is_filled_again_by_the_indexer() {
    let store = store_with_session("sesn_1");
    store
        .ingest_event(PROFILE, "sesn_1", r#"{"type":"agent.message","id":"m1","content":[{"type":"text","text":"the parcel left the warehouse"}],"processed_at":"2026-11-20T10:00:00Z"}"#)
        .unwrap();
    store.index_all_pending().unwrap();
    assert_eq!(store.search_backlog().unwrap(), 0);
    store.rebuild_search_index().unwrap();
    assert_eq!(store.search_backlog().unwrap(), 1, "everything waits again");
    let hits = store.search(PROFILE, "warehouse", 5).unwrap();
    assert_eq!(hits.len(), 1, "a search indexes what waits first");
    assert_eq!(store.integrity_check().unwrap(), "ok");
}
