#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on any error"
)]
//! History: pins and list filters, search filters and order, export and import, clearing the
//! cache without losing imported sessions.

mod support;

use hangar_store::{
    read_zip, SearchOptions, SearchOrder, SessionExport, SessionFilter, Store, ZipWriter,
};
use serde_json::json;
use support::{session_json, ts, PROFILE};

fn store() -> Store {
    let store = Store::open_in_memory().unwrap();
    store
        .upsert_profile(PROFILE, "Test", "http://127.0.0.1:1", false)
        .unwrap();
    store
}

fn message(id: &str, at_us: i64, kind: &str, text: &str) -> String {
    json!({"type": kind, "id": id, "processed_at": ts(at_us), "content": [{"type": "text", "text": text}]})
        .to_string()
}

fn tool_result(id: &str, at_us: i64, text: &str) -> String {
    json!({"type": "agent.tool_result", "id": id, "processed_at": ts(at_us), "tool_use_id": "sevt_x",
           "content": [{"type": "text", "text": text}], "is_error": false})
    .to_string()
}

fn add(store: &Store, session: &str, title: &str, agent: &str, created_us: i64, events: &[String]) {
    store
        .upsert_session(
            PROFILE,
            &session_json(session, title, agent, "idle", created_us),
        )
        .unwrap();
    let raws: Vec<&str> = events.iter().map(String::as_str).collect();
    store.ingest_events(PROFILE, session, &raws).unwrap();
}

#[test]
fn the_list_filters_by_title_and_pins_survive_a_cleared_cache() {
    let store = store();
    add(&store, "sesn_a", "Quarterly Report", "agent_a", 1_000, &[]);
    add(
        &store,
        "sesn_b",
        "Refund for order 12",
        "agent_b",
        2_000,
        &[],
    );
    let titles = |filter: &SessionFilter| -> Vec<String> {
        store
            .list_sessions(PROFILE, filter, None, 50)
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.id)
            .collect()
    };
    let by_title = |t: &str| SessionFilter {
        title_contains: Some(t.into()),
        ..SessionFilter::default()
    };
    assert_eq!(titles(&by_title("report")), ["sesn_a"]);
    assert_eq!(titles(&by_title("  ORDER ")), ["sesn_b"]);
    assert_eq!(titles(&by_title("%")), Vec::<String>::new(), "no wildcards");
    assert_eq!(titles(&by_title("")), ["sesn_b", "sesn_a"]);

    store.set_pinned(PROFILE, "sesn_a", Some(42)).unwrap();
    let pinned = SessionFilter {
        pinned_only: true,
        ..SessionFilter::default()
    };
    assert_eq!(titles(&pinned), ["sesn_a"]);
    store.clear_cache(PROFILE, true).unwrap();
    assert!(titles(&SessionFilter::default()).is_empty());
    add(&store, "sesn_a", "Quarterly Report", "agent_a", 1_000, &[]);
    let rows = store
        .list_sessions(PROFILE, &SessionFilter::default(), None, 5)
        .unwrap()
        .rows;
    assert_eq!(
        rows[0].pinned_at_us,
        Some(42),
        "the pin came back with the refill"
    );
    store.set_pinned(PROFILE, "sesn_a", None).unwrap();
    assert!(titles(&pinned).is_empty());
}

#[test]
fn search_filters_by_agent_session_and_time_and_orders_newest_or_best() {
    let store = store();
    add(
        &store,
        "sesn_a",
        "A",
        "agent_a",
        0,
        &[
            message(
                "sevt_1",
                1_000,
                "agent.message",
                "forklift forklift forklift",
            ),
            message(
                "sevt_2",
                5_000,
                "agent.message",
                "the forklift is parked in the far corner of the big warehouse today",
            ),
        ],
    );
    add(
        &store,
        "sesn_b",
        "B",
        "agent_b",
        0,
        &[message(
            "sevt_3",
            3_000,
            "user.message",
            "where is the forklift now",
        )],
    );
    let hits = |options: SearchOptions| -> Vec<String> {
        store
            .search_with(
                PROFILE,
                "forklift",
                &SearchOptions {
                    limit: 10,
                    ..options
                },
            )
            .unwrap()
            .into_iter()
            .map(|h| h.event_id)
            .collect()
    };
    assert_eq!(
        hits(SearchOptions::default()),
        ["sevt_2", "sevt_3", "sevt_1"]
    );
    assert_eq!(
        hits(SearchOptions {
            order: SearchOrder::Best,
            ..Default::default()
        })[0],
        "sevt_1"
    );
    assert_eq!(
        hits(SearchOptions {
            agent_id: Some("agent_b".into()),
            ..Default::default()
        }),
        ["sevt_3"]
    );
    // Inside one transcript (find next / previous in the open session).
    assert_eq!(
        hits(SearchOptions {
            session_id: Some("sesn_a".into()),
            ..Default::default()
        }),
        ["sevt_2", "sevt_1"]
    );
    let base = hangar_store::parse_rfc3339_us(&ts(0)).unwrap();
    assert_eq!(
        hits(SearchOptions {
            from_us: Some(base + 2_000),
            before_us: Some(base + 4_000),
            ..Default::default()
        }),
        ["sevt_3"]
    );
    let hit = &store
        .search_with(
            PROFILE,
            "forklift",
            &SearchOptions {
                limit: 1,
                ..Default::default()
            },
        )
        .unwrap()[0];
    assert_eq!(
        (hit.session_id.as_str(), hit.agent_name.as_str()),
        ("sesn_a", "agent_a name")
    );
    assert_eq!(hit.at_us, base + 5_000);
}

fn hostile() -> Vec<String> {
    vec![
        message("sevt_1", 1_000, "user.message", "Show me <script>alert(1)</script> please"),
        message(
            "sevt_2",
            2_000,
            "agent.message",
            "[click](javascript:alert(1)) ![x](https://evil.example/p.png) <img src=x onerror=alert(1)> <iframe src=https://evil.example></iframe>",
        ),
        tool_result("sevt_3", 3_000, "<svg onload=alert(1)>zanzibar</svg>"),
    ]
}

#[test]
fn exports_round_trip_into_a_fresh_profile_and_twice_adds_nothing() {
    let store = store();
    add(
        &store,
        "sesn_h",
        "Hostile <b>title</b>",
        "agent_a",
        0,
        &hostile(),
    );
    let json_text = store.session_export_json(PROFILE, "sesn_h").unwrap();
    let value: serde_json::Value = serde_json::from_str(&json_text).unwrap();
    assert_eq!(value["format"], "hangar.session");
    assert_eq!(value["events"].as_array().unwrap().len(), 3);
    assert_eq!(
        serde_json::to_string(&value["events"][1]).unwrap(),
        hostile()[1],
        "events byte for byte"
    );

    let fresh = Store::open_in_memory().unwrap();
    fresh.upsert_profile("other", "Other", "", false).unwrap();
    let export = SessionExport::parse(&json_text).unwrap();
    let first = fresh
        .import_session("other", &export, "2026-12-01T00:00:00Z")
        .unwrap();
    assert!((first.new_session, first.new_events) == (true, 3));
    let second = fresh
        .import_session("other", &export, "2026-12-01T00:00:01Z")
        .unwrap();
    assert_eq!((second.new_session, second.new_events), (false, 0));
    assert!(fresh.is_imported("other", "sesn_h").unwrap());
    assert!(fresh.sync_state("other", "sesn_h").unwrap().0);
    let hits = fresh.search("other", "zanzibar", 5).unwrap();
    assert_eq!(hits[0].event_id, "sevt_3");
    assert_eq!(
        fresh.session_export_json("other", "sesn_h").unwrap(),
        json_text
    );

    // Clearing the cache keeps imported sessions unless asked otherwise; the sync's listing
    // never sees them.
    assert!(fresh.session_ids("other").unwrap().is_empty());
    fresh.clear_cache("other", true).unwrap();
    assert!(fresh.session_raw("other", "sesn_h").unwrap().is_some());
    fresh.clear_cache("other", false).unwrap();
    assert!(fresh.session_raw("other", "sesn_h").unwrap().is_none());
}

#[test]
fn the_html_export_holds_nothing_executable_and_nothing_remote() {
    let store = store();
    add(
        &store,
        "sesn_h",
        "Hostile <script>x</script>",
        "agent_a",
        0,
        &hostile(),
    );
    let html = store.session_export_html(PROFILE, "sesn_h").unwrap();
    assert_eq!(executable_parts(&html), Vec::<String>::new(), "{html}");
    assert!(html.contains("default-src 'none'"));
    assert!(html.contains("zanzibar"));
    assert!(html.contains("&lt;script&gt;"), "shown as text");
    let md = store.transcript_markdown(PROFILE, "sesn_h").unwrap();
    assert!(md.contains("zanzibar"));
}

#[test]
fn corrupt_and_foreign_files_are_refused_with_the_reason() {
    let cases = [
        ("{not json", "not valid JSON"),
        ("[{\"id\":\"sevt_1\"}]", "without its session"),
        ("{\"format\":\"chatgpt.conversation\",\"session\":{},\"events\":[]}", "“chatgpt.conversation”"),
        ("{\"session\":{},\"events\":[]}", "no “format”"),
        ("{\"format\":\"hangar.session\",\"version\":9,\"session\":{},\"events\":[]}", "newer Hangar"),
        ("{\"format\":\"hangar.session\",\"version\":1,\"session\":{\"title\":\"x\"},\"events\":[]}", "no id"),
        (
            "{\"format\":\"hangar.session\",\"version\":1,\"session\":{\"id\":\"sesn_1\",\"created_at\":\"2026-11-20T00:00:00Z\"},\"events\":[{\"type\":\"agent.message\"}]}",
            "event 1",
        ),
    ];
    for (text, why) in cases {
        let e = SessionExport::parse(text).unwrap_err().to_string();
        assert!(e.contains(why), "{text}: {e}");
    }
}

#[test]
fn many_sessions_go_into_one_zip_and_come_back() {
    let store = store();
    add(&store, "sesn_1", "One", "agent_a", 0, &hostile());
    add(&store, "sesn_2", "Two", "agent_a", 10, &[]);
    let mut zip = ZipWriter::new(Vec::new());
    for id in ["sesn_1", "sesn_2"] {
        zip.add(
            &format!("{id}.json"),
            store.session_export_json(PROFILE, id).unwrap().as_bytes(),
        )
        .unwrap();
    }
    let bytes = zip.finish().unwrap();
    let files = read_zip(&bytes).unwrap();
    let fresh = Store::open_in_memory().unwrap();
    fresh.upsert_profile("p", "P", "", false).unwrap();
    for (_, data) in files {
        let export = SessionExport::parse(std::str::from_utf8(&data).unwrap()).unwrap();
        fresh.import_session("p", &export, "now").unwrap();
    }
    assert_eq!(
        fresh
            .list_sessions("p", &SessionFilter::default(), None, 5)
            .unwrap()
            .rows
            .len(),
        2
    );
}

/// The tags of `html` that could run or fetch anything (text `<` is always escaped, so each
/// `<` starts a tag): script-like elements, event handlers, `javascript:` and `src`.
fn executable_parts(html: &str) -> Vec<String> {
    let mut bad = Vec::new();
    let mut styles = 0;
    for tag in html.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or("").to_lowercase();
        let name = tag.split(|c: char| c.is_whitespace()).next().unwrap_or("");
        let name = name.trim_start_matches('/');
        styles += usize::from(name == "style" && !tag.starts_with('/'));
        let risky = [
            "script", "iframe", "img", "svg", "object", "embed", "form", "link", "base", "math",
            "video", "audio", "source", "frame",
        ]
        .contains(&name)
            || tag.contains("javascript:")
            || tag
                .split_whitespace()
                .skip(1)
                .any(|a| a.starts_with("on") || a.starts_with("src="));
        if risky {
            bad.push(tag);
        }
    }
    if styles != 1 {
        bad.push(format!("{styles} style elements"));
    }
    bad
}
