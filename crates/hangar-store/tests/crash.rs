#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on any error"
)]
//! Crash safety: a writer process is SIGKILLed at random points while ingesting. Every time, the
//! file must pass `PRAGMA integrity_check` and hold every event whose write call had returned.
//!
//! The test binary plays both parts: run normally it is the parent; with `HANGAR_CRASH_CHILD`
//! set it is the writer, printing `ACK <id>` after each ingest call returns.

mod support;

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hangar_store::Store;
use support::{event_json, session_json, PROFILE};

const ROUNDS: usize = 60;

fn writer(path: &str, seed: u64) {
    let store = Store::open(path).unwrap();
    store.upsert_profile(PROFILE, "crash", "x", false).unwrap();
    if store.session_raw(PROFILE, "sesn_c").unwrap().is_none() {
        store
            .upsert_session(
                PROFILE,
                &session_json("sesn_c", "crash", "agent_a", "running", 0),
            )
            .unwrap();
    }
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut next = store.event_count(PROFILE, "sesn_c").unwrap();
    let mut out = std::io::stdout().lock();
    loop {
        // Single events and batches, as the tailer writes them.
        let batch = if rng.bool() { 1 } else { rng.u64(2..40) };
        let raws: Vec<String> = (next..next + batch)
            .map(|i| event_json(i, (i as i64 + 1) * 1000, &mut rng))
            .collect();
        let refs: Vec<&str> = raws.iter().map(String::as_str).collect();
        store.ingest_events(PROFILE, "sesn_c", &refs).unwrap();
        if rng.u8(..8) == 0 {
            // As the app's idle indexer does: kills land while indexing too.
            store.index_pending(rng.usize(1..300)).unwrap();
        }
        for i in next..next + batch {
            writeln!(out, "ACK sevt_{i:012}").unwrap();
        }
        out.flush().unwrap();
        next += batch;
    }
}

#[test]
fn killed_writer_never_corrupts_or_loses_acknowledged_events() {
    if let Ok(path) = std::env::var("HANGAR_CRASH_CHILD") {
        let seed = std::env::var("HANGAR_CRASH_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(1);
        writer(&path, seed);
        return;
    }
    let dir = std::env::temp_dir().join(format!("hangar-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("cache.db");
    let mut acked: HashSet<String> = HashSet::new();
    let mut rng = fastrand::Rng::with_seed(0xC0FFEE);
    let exe = std::env::current_exe().unwrap();
    for round in 0..ROUNDS {
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "killed_writer_never_corrupts_or_loses_acknowledged_events",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("HANGAR_CRASH_CHILD", &db)
            .env("HANGAR_CRASH_SEED", round.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        // Kill after a random number of acknowledged events, plus a random extra moment so the
        // kill lands anywhere: mid-transaction, mid-checkpoint, between calls.
        let kill_after = rng.usize(1..400);
        let mut lines = BufReader::new(stdout).lines();
        let started = Instant::now();
        let mut this_round = 0;
        while this_round < kill_after && started.elapsed() < Duration::from_secs(20) {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(id) = line.strip_prefix("ACK ") {
                        acked.insert(id.to_string());
                        this_round += 1;
                    }
                }
                _ => break,
            }
        }
        std::thread::sleep(Duration::from_micros(rng.u64(0..3_000)));
        child.kill().unwrap(); // SIGKILL on Unix.
                               // Lines already written before the kill were acknowledged too.
        for line in lines.map_while(Result::ok) {
            if let Some(id) = line.strip_prefix("ACK ") {
                acked.insert(id.to_string());
            }
        }
        child.wait().unwrap();
        assert!(
            this_round > 0,
            "round {round}: the writer acknowledged nothing"
        );

        let store = Store::open(&db).unwrap();
        assert_eq!(store.integrity_check().unwrap(), "ok", "round {round}");
        let page = store
            .transcript_page(PROFILE, "sesn_c", &hangar_store::Anchor::Start, 1_000_000)
            .unwrap();
        let stored: HashSet<String> = page.events.iter().map(|e| e.id.clone()).collect();
        let missing: Vec<&String> = acked
            .iter()
            .filter(|id| !stored.contains(*id))
            .take(5)
            .collect();
        assert!(
            missing.is_empty(),
            "round {round}: acknowledged events lost: {missing:?}"
        );
        // The search index agrees: the newest command run is the best "grep" match (all
        // commands are alike, so the newest ranks first).
        let newest_command = page
            .events
            .iter()
            .rev()
            .find(|e| e.event_type == "agent.tool_use")
            .map(|e| e.id.clone());
        let hits = store.search(PROFILE, "grep ", 1).unwrap();
        assert_eq!(
            hits.first().map(|h| h.event_id.clone()),
            newest_command,
            "round {round}"
        );
        // And nothing is out of order or duplicated.
        let ids: Vec<&String> = page.events.iter().map(|e| &e.id).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted, "round {round}");
    }
    println!(
        "crash test: {ROUNDS} SIGKILLs, {} acknowledged events, none lost",
        acked.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
