#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on any error"
)]
//! Property: however events arrive (duplicated, late, in any batches), the transcript equals the
//! server's ordered log.

mod support;

use hangar_store::{Anchor, Store};
use proptest::prelude::*;
use support::{event_json, session_json, PROFILE};

fn transcript_ids(store: &Store) -> Vec<String> {
    store
        .transcript_page(PROFILE, "sesn_p", &Anchor::Start, 10_000)
        .unwrap()
        .events
        .into_iter()
        .map(|e| e.id)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn any_delivery_order_gives_the_ordered_log(
        n in 1usize..60,
        seed in any::<u64>(),
        dup_rate in 0u32..60,
        max_batch in 1usize..12,
    ) {
        let mut rng = fastrand::Rng::with_seed(seed);
        // The server's log: strictly increasing processed_at, irregular gaps.
        let mut at = 0i64;
        let log: Vec<String> = (0..n as u64).map(|i| { at += 1 + rng.i64(0..5_000); event_json(i, at, &mut rng) }).collect();

        // Deliveries: everything at least once, some twice or more, shuffled, in random batches.
        let mut deliveries: Vec<usize> = (0..n).collect();
        for i in 0..n {
            while rng.u32(0..100) < dup_rate { deliveries.push(i); }
        }
        rng.shuffle(&mut deliveries);

        let store = Store::open_in_memory().unwrap();
        store.upsert_profile(PROFILE, "p", "x", false).unwrap();
        store.upsert_session(PROFILE, &session_json("sesn_p", "t", "agent_a", "idle", 0)).unwrap();
        let mut inserted = 0;
        for batch in deliveries.chunks(max_batch) {
            let raws: Vec<&str> = batch.iter().map(|&i| log[i].as_str()).collect();
            inserted += store.ingest_events(PROFILE, "sesn_p", &raws).unwrap().inserted;
        }
        prop_assert_eq!(inserted, n, "each event inserted exactly once");

        let expect: Vec<String> = (0..n).map(|i| format!("sevt_{i:012}")).collect();
        prop_assert_eq!(transcript_ids(&store), expect);

        // And the lossless export equals the export of the log ingested in order.
        let ordered = Store::open_in_memory().unwrap();
        ordered.upsert_profile(PROFILE, "p", "x", false).unwrap();
        ordered.upsert_session(PROFILE, &session_json("sesn_p", "t", "agent_a", "idle", 0)).unwrap();
        let refs: Vec<&str> = log.iter().map(String::as_str).collect();
        ordered.ingest_events(PROFILE, "sesn_p", &refs).unwrap();
        prop_assert_eq!(store.transcript_json(PROFILE, "sesn_p").unwrap(), ordered.transcript_json(PROFILE, "sesn_p").unwrap());
    }
}
