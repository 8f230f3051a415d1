#![allow(
    clippy::expect_used,
    reason = "a benchmark: any failure should stop it loudly"
)]
//! SSE frame parsing + event decoding throughput on realistic session traffic.
//! `cargo bench -p hangar-api --bench sse` (or `cargo xtask bench`).

use std::time::Instant;

use hangar_api::sse::{parse_stream, Frame};

fn wire(events: usize) -> String {
    let catalogue: Vec<&str> = include_str!("../../hangar-model/tests/fixtures/events.jsonl")
        .lines()
        .filter(|l| !l.is_empty())
        .collect();
    let long_message = format!(
        r#"{{"type":"agent.message","id":"sevt_long","content":[{{"type":"text","text":"{}"}}],"processed_at":"2026-11-20T10:00:10.000000Z"}}"#,
        "## Result\\n\\nThe quarterly revenue forecast was recomputed from `orders.csv`; "
            .repeat(12)
    );
    let mut out = String::new();
    for i in 0..events {
        let data = if i % 10 == 0 {
            long_message.as_str()
        } else {
            catalogue[i % catalogue.len()]
        };
        let name = data.split('"').nth(3).unwrap_or("message");
        out.push_str("event: ");
        out.push_str(name);
        out.push_str("\ndata: ");
        out.push_str(data);
        out.push_str("\n\n");
        if i % 50 == 0 {
            out.push_str("event: ping\ndata: {}\n\n");
        }
    }
    out
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let events = 100_000;
    let text = wire(events);
    let bytes = text.len();
    let mut rates = Vec::new();
    for _ in 0..5 {
        // 16 KiB chunks, as a socket delivers them.
        let chunks: Vec<Result<Vec<u8>, std::convert::Infallible>> = text
            .as_bytes()
            .chunks(16 * 1024)
            .map(|c| Ok(c.to_vec()))
            .collect();
        let started = Instant::now();
        let frames = runtime.block_on(parse_stream(futures_util::stream::iter(chunks)));
        let secs = started.elapsed().as_secs_f64();
        let decoded = frames
            .iter()
            .filter(|f| matches!(f, Frame::Event(_)))
            .count();
        assert_eq!(decoded, events, "every event frame decoded");
        rates.push(secs);
    }
    rates.sort_by(f64::total_cmp);
    let median = rates[rates.len() / 2];
    println!(
        "sse parse+decode: {events} events, {:.1} MB in {:.3} s (median of 5): {:.0} events/s, {:.1} MB/s",
        bytes as f64 / 1e6,
        median,
        events as f64 / median,
        bytes as f64 / 1e6 / median
    );
}
