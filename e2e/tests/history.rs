#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on any error"
)]
//! History in the real window, with no API reachable: browse the cached sessions and open one,
//! search a word that appears only deep in a long transcript (inside a tool result) and land on
//! it, export Markdown, HTML and JSON (the HTML of a hostile transcript holds nothing
//! executable), and import the JSON into a fresh profile to read it offline.
//!
//! The cache is written before the app starts (through hangar-store, as the app itself would
//! have written it) for a profile whose server is a closed port: offline from the first moment.
//! File dialogs are answered from a folder (`--e2e-dialogs=DIR`, debug builds only).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use hangar_e2e::App;
use serde_json::json;

const PROFILE: &str = "prof_offline";
const DEEP_WORD: &str = "zanzibarite";

fn root(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hangar-e2e-hist-{name}-{}", std::process::id()));
    let _stale = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::create_dir_all(dir.join("dialogs")).unwrap();
    std::fs::create_dir_all(dir.join("files")).unwrap();
    dir
}

fn at(day: u32, minute: u32) -> String {
    format!(
        "2026-11-{day:02}T{:02}:{:02}:00Z",
        8 + minute / 60,
        minute % 60
    )
}

fn session(id: &str, title: &str, agent: &str, created: &str) -> String {
    json!({"id": id, "type": "session", "status": "idle", "title": title, "environment_id": "env_e2e",
           "agent": {"id": agent, "type": "agent", "version": 3, "name": format!("{agent} bot")},
           "usage": {"input_tokens": 1200, "output_tokens": 340},
           "created_at": created, "updated_at": created, "archived_at": null})
    .to_string()
}

fn message(id: &str, kind: &str, when: &str, text: &str) -> String {
    json!({"type": kind, "id": id, "processed_at": when, "content": [{"type": "text", "text": text}]})
        .to_string()
}

/// A cache with a profile that is offline and sessions on three days; one transcript is long
/// (1,500 events) and holds `DEEP_WORD` once, in a tool result near its start.
fn write_cache(data: &Path) {
    let store = hangar_store::Store::open(data.join("cache.db")).unwrap();
    store
        .upsert_profile(PROFILE, "Offline team", "http://127.0.0.1:9", false)
        .unwrap();
    store.set_setting("active_profile", PROFILE).unwrap();
    store
        .upsert_session(
            PROFILE,
            &session("sesn_long", "Warehouse audit", "agent_ops", &at(18, 0)),
        )
        .unwrap();
    let mut events = Vec::new();
    for i in 0..1500u32 {
        let when = at(18, 1 + i / 30);
        events.push(match i {
            200 => json!({"type": "agent.tool_use", "id": "sevt_use", "processed_at": when, "name": "bash",
                          "input": {"command": "ls inventory"}, "evaluated_permission": "allow"})
            .to_string(),
            201 => json!({"type": "agent.tool_result", "id": "sevt_deep", "processed_at": when, "tool_use_id": "sevt_use",
                          "content": [{"type": "text", "text": format!("pallets.csv\n{DEEP_WORD}-samples.csv\nreport.md")}], "is_error": false})
            .to_string(),
            i if i % 2 == 0 => message(&format!("sevt_u{i}"), "user.message", &when, &format!("Check aisle {i} of the warehouse")),
            i => message(&format!("sevt_a{i}"), "agent.message", &when, &format!("Aisle {i}: **all pallets** counted, nothing missing.")),
        });
    }
    let raws: Vec<&str> = events.iter().map(String::as_str).collect();
    store.ingest_events(PROFILE, "sesn_long", &raws).unwrap();
    store
        .set_history_complete(PROFILE, "sesn_long", true)
        .unwrap();

    store
        .upsert_session(
            PROFILE,
            &session(
                "sesn_hostile",
                "Hostile transcript",
                "agent_web",
                &at(19, 0),
            ),
        )
        .unwrap();
    let hostile = [
        message("sevt_h1", "user.message", &at(19, 1), "Summarise the page <script>alert('user')</script>"),
        message(
            "sevt_h2",
            "agent.message",
            &at(19, 2),
            "Here: [click me](javascript:alert(1)) ![tracker](https://evil.example/pixel.png) <img src=x onerror=alert(2)> <iframe src=\"https://evil.example\"></iframe> <a href=\"#\" onclick=\"alert(3)\">x</a>",
        ),
        json!({"type": "agent.tool_result", "id": "sevt_h3", "processed_at": at(19, 3), "tool_use_id": "t",
               "content": [{"type": "text", "text": "<svg onload=alert(4)></svg> <style>body{display:none}</style>"}], "is_error": false})
        .to_string(),
    ];
    let raws: Vec<&str> = hostile.iter().map(String::as_str).collect();
    store.ingest_events(PROFILE, "sesn_hostile", &raws).unwrap();
    store
        .set_history_complete(PROFILE, "sesn_hostile", true)
        .unwrap();

    store
        .upsert_session(
            PROFILE,
            &session("sesn_today", "Refund questions", "agent_web", &at(20, 0)),
        )
        .unwrap();
    store
        .ingest_events(
            PROFILE,
            "sesn_today",
            &[message("sevt_t1", "user.message", &at(20, 1), "Where is my refund?").as_str()],
        )
        .unwrap();
    store.index_all_pending().unwrap();
}

fn launch(name: &str, root: &Path) -> App {
    App::launch_with_args(
        name,
        &[
            &format!("--data-dir={}", root.join("data").display()),
            &format!("--e2e-dialogs={}", root.join("dialogs").display()),
        ],
    )
}

/// The next file dialog answers `path`.
fn answer(root: &Path, path: &Path) {
    std::fs::write(
        root.join("dialogs").join("next"),
        path.display().to_string(),
    )
    .unwrap();
}

fn wait_file(path: &Path) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !path.exists() {
        assert!(
            Instant::now() < deadline,
            "{} was not written",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn offline_history_browse_search_export() {
    let dir = root("browse");
    write_cache(&dir.join("data"));
    let app = launch("history-browse", &dir);

    // Browse: grouped by day, offline, and says so.
    app.wait_for("#session-sesn_long");
    app.wait_for("#session-sesn_hostile");
    app.wait_text("#connection-chip", "Offline", |t| t == "Offline");
    app.wait_for("#offline-note");
    let days = app.eval(
        "return [...document.querySelectorAll('#session-list h2.day')].map(h => h.textContent)",
    );
    assert_eq!(days.as_array().unwrap().len(), 3, "three days: {days}");
    app.screenshot("01-sessions-offline");

    // Filter titles, then clear.
    let filter = app.wait_for("#filter-title");
    app.type_into(&filter, "audit");
    let deadline = Instant::now() + Duration::from_secs(10);
    while app.try_find("#session-sesn_hostile").is_some() {
        assert!(Instant::now() < deadline, "the title filter did not apply");
        std::thread::sleep(Duration::from_millis(100));
    }
    app.wait_for("#session-sesn_long");
    app.screenshot("02-title-filter");
    app.clear(&filter);
    app.type_into(&filter, " ");
    app.wait_for("#session-sesn_hostile");

    // Pin: the session moves to the Pinned group.
    app.click(&app.wait_for("#session-sesn_hostile .pin"));
    app.wait_for("#group-pinned");
    app.wait_text("#session-sesn_hostile .pin", "Unpin", |t| t == "Unpin");
    app.screenshot("03-pinned");

    // Open one.
    app.click(&app.wait_for("#session-sesn_long .title"));
    app.wait_for("#page-session");
    app.screenshot("04-session-opened");
    app.click(&app.wait_for("#nav-sessions"));
    app.wait_for("#session-sesn_long");

    // Search a word deep inside a tool result: Ctrl+K, type, results as you type.
    app.key_chord(&["\u{E009}", "k"]);
    let focused = app.eval("return document.activeElement && document.activeElement.id");
    assert_eq!(focused, json!("global-search"));
    let search = app.wait_for("#global-search");
    let typed = Instant::now();
    app.type_into(&search, &DEEP_WORD[..6]);
    let hit = app.wait_for("#search-results li.hit");
    let painted = typed.elapsed();
    app.record(
        "search typed to results painted (ms, incl. WebDriver)",
        &painted.as_millis().to_string(),
    );
    let marked = app.eval(
        "return [...document.querySelectorAll('#search-results mark')].map(m => m.textContent)",
    );
    assert!(
        marked.to_string().to_lowercase().contains(DEEP_WORD),
        "{marked}"
    );
    assert_eq!(app.attr(&hit, "data-event").as_deref(), Some("sevt_deep"));
    let took = app
        .attr(&app.wait_for("#search-count"), "data-took-us")
        .unwrap_or_default();
    app.record("search in the backend (µs)", &took);
    app.screenshot("05-search-results");
    // Down selects the first, Enter opens it at the event.
    app.type_into(&search, "\u{E015}");
    app.wait_for("#search-results li.hit.selected");
    app.type_into(&search, "\u{E007}");
    app.wait_for("#page-session");
    // The result was joined into its tool's card: that card is the one highlighted.
    app.wait_for("#ev-sevt_use.highlight");
    let card = app.eval("return document.getElementById('ev-sevt_use').textContent");
    assert!(
        card.to_string().to_lowercase().contains(DEEP_WORD),
        "{card}"
    );
    app.screenshot("06-landed-on-the-hit");

    // Export the hostile session as Markdown, HTML and JSON from the list.
    app.click(&app.wait_for("#nav-sessions"));
    app.wait_for("#session-sesn_hostile");
    let files = dir.join("files");
    for (ext, check) in [
        ("md", "Hostile transcript"),
        ("html", "<!DOCTYPE html>"),
        ("json", "\"format\":\"hangar.session\""),
    ] {
        let path = files.join(format!("hostile.{ext}"));
        answer(&dir, &path);
        app.click(&app.wait_for("#export-sesn_hostile"));
        app.screenshot(&format!("07-export-menu-{ext}"));
        app.click(&app.wait_for(&format!("#export-sesn_hostile-{ext}")));
        let text = wait_file(&path);
        assert!(text.contains(check), "{ext}: {text}");
    }
    let html = std::fs::read_to_string(files.join("hostile.html")).unwrap();
    assert_eq!(
        executable_parts(&html),
        Vec::<String>::new(),
        "the HTML export: {html}"
    );
    assert!(html.contains("&lt;script&gt;"), "shown as text");
    let json_text = std::fs::read_to_string(files.join("hostile.json")).unwrap();
    let value: serde_json::Value = serde_json::from_str(&json_text).unwrap();
    assert_eq!(value["events"].as_array().unwrap().len(), 3);
    app.wait_text(".notices", "Exported", |t| t.contains("Exported"));
    app.screenshot("08-exported");
}

#[test]
fn an_imported_session_reads_offline_in_a_fresh_profile() {
    // The export, written by the first computer's cache.
    let source = root("import-source");
    write_cache(&source.join("data"));
    let export = {
        let store = hangar_store::Store::open(source.join("data").join("cache.db")).unwrap();
        store.session_export_json(PROFILE, "sesn_long").unwrap()
    };
    let dir = root("import");
    let file = dir.join("files").join("warehouse.json");
    std::fs::write(&file, export).unwrap();
    let bad = dir.join("files").join("foreign.json");
    std::fs::write(&bad, "{\"format\":\"other.chat\",\"messages\":[]}").unwrap();
    {
        let store = hangar_store::Store::open(dir.join("data").join("cache.db")).unwrap();
        store
            .upsert_profile("prof_fresh", "Fresh laptop", "http://127.0.0.1:9", false)
            .unwrap();
        store.set_setting("active_profile", "prof_fresh").unwrap();
    }
    let app = launch("history-import", &dir);
    app.wait_for("#page-sessions");
    app.wait_text("#connection-chip", "Offline", |t| t == "Offline");

    // A foreign file is refused with the reason, and nothing changes.
    answer(&dir, &bad);
    app.click(&app.wait_for("#sessions-import"));
    app.wait_text(".notices", "refused", |t| {
        t.contains("foreign.json was not imported") && t.contains("other.chat")
    });
    assert!(app.try_find(".session-row").is_none());
    app.screenshot("01-foreign-file-refused");

    answer(&dir, &file);
    app.click(&app.wait_for("#sessions-import"));
    app.wait_for("#session-sesn_long .status-chip.imported");
    app.screenshot("02-imported");
    // The same file again adds nothing.
    answer(&dir, &file);
    app.click(&app.wait_for("#sessions-import"));
    app.wait_text(".notices", "nothing added", |t| {
        t.contains("nothing was added")
    });
    assert_eq!(
        app.eval("return document.querySelectorAll('.session-row').length"),
        json!(1)
    );

    // Read offline: search lands in the imported transcript.
    let search = app.wait_for("#global-search");
    app.type_into(&search, DEEP_WORD);
    let hit = app.wait_for("#search-results li.hit");
    assert_eq!(app.attr(&hit, "data-event").as_deref(), Some("sevt_deep"));
    app.screenshot("03-search-imported");
    app.click(&hit);
    app.wait_for("#page-session");
    app.screenshot("04-imported-opened");
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

/// A stand-in for the desktop's notification service (`org.freedesktop.Notifications` on the
/// session bus the suite runs in): it records what Hangar shows and can click it.
mod daemon {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};

    use zbus::zvariant::OwnedValue;

    /// One notification as the service received it.
    #[derive(Debug, Clone)]
    pub struct Shown {
        pub id: u32,
        pub app_name: String,
        pub summary: String,
        pub body: String,
        pub actions: Vec<String>,
    }

    pub struct Service {
        shown: Arc<Mutex<Vec<Shown>>>,
    }

    #[zbus::interface(name = "org.freedesktop.Notifications")]
    impl Service {
        #[allow(
            clippy::too_many_arguments,
            reason = "the method of the notification spec"
        )]
        fn notify(
            &self,
            app_name: String,
            _replaces_id: u32,
            _app_icon: String,
            summary: String,
            body: String,
            actions: Vec<String>,
            _hints: HashMap<String, OwnedValue>,
            _expire_timeout: i32,
        ) -> u32 {
            let mut shown = self.shown.lock().unwrap();
            let id = u32::try_from(shown.len()).unwrap() + 1;
            shown.push(Shown {
                id,
                app_name,
                summary,
                body,
                actions,
            });
            id
        }
        fn get_capabilities(&self) -> Vec<String> {
            vec!["actions".into(), "body".into()]
        }
        fn get_server_information(&self) -> (String, String, String, String) {
            (
                "hangar-e2e".into(),
                "hangar".into(),
                "1".into(),
                "1.2".into(),
            )
        }
        fn close_notification(&self, _id: u32) {}
        #[zbus(signal)]
        async fn action_invoked(
            emitter: &zbus::object_server::SignalEmitter<'_>,
            id: u32,
            action_key: &str,
        ) -> zbus::Result<()>;
    }

    pub struct Daemon {
        conn: zbus::blocking::Connection,
        shown: Arc<Mutex<Vec<Shown>>>,
    }

    impl Daemon {
        pub fn start() -> Daemon {
            let shown = Arc::new(Mutex::new(Vec::new()));
            let conn = zbus::blocking::connection::Builder::session()
                .unwrap()
                .name("org.freedesktop.Notifications")
                .unwrap()
                .serve_at(
                    "/org/freedesktop/Notifications",
                    Service {
                        shown: shown.clone(),
                    },
                )
                .unwrap()
                .build()
                .unwrap();
            Daemon { conn, shown }
        }
        pub fn shown(&self) -> Vec<Shown> {
            self.shown.lock().unwrap().clone()
        }
        /// Clicks the notification `id` (its default action).
        pub fn click(&self, id: u32) {
            let iface = self
                .conn
                .object_server()
                .interface::<_, Service>("/org/freedesktop/Notifications")
                .unwrap();
            zbus::block_on(Service::action_invoked(
                iface.signal_emitter(),
                id,
                "default",
            ))
            .unwrap();
        }
    }
}

#[test]
fn a_session_waiting_for_a_tool_confirmation_notifies_while_another_page_is_open_and_the_click_opens_it(
) {
    const KEY: &str = "sk-ant-e2e-notify-key-5150";
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime
        .block_on(hangar_fake_api::FakeServer::start(
            hangar_fake_api::FakeConfig {
                api_key: Some(KEY.into()),
                turn_delay: Duration::from_millis(200),
                ..hangar_fake_api::FakeConfig::default()
            },
        ))
        .unwrap();
    let dir = root("notify");
    let record = dir.join("notifications.jsonl");
    let service = daemon::Daemon::start();
    let app = App::launch_with_args(
        "history-notify",
        &[
            &format!("--data-dir={}", dir.join("data").display()),
            &format!("--e2e-notifications={}", record.display()),
        ],
    );
    app.click(&app.wait_for("#nav-settings"));
    app.type_into(&app.wait_for("#profile-name"), "Team account");
    let url = app.wait_for("#profile-url");
    app.clear(&url);
    app.type_into(&url, &server.base_url());
    app.type_into(&app.wait_for("#profile-key"), KEY);
    app.click(&app.wait_for("#profile-save"));
    app.wait_text("#profile-result", "saved", |t| t.contains("Saved"));
    app.click(&app.wait_for("#profile-table tr.profile-row:nth-child(2) .row-actions button"));
    app.wait_text("#connection-chip", "Online", |t| t == "Online");
    // The notification settings are there, every kind on.
    for id in ["#notify-turn-end", "#notify-waiting", "#notify-errors"] {
        let checked = app.eval(&format!("return document.querySelector('{id}').checked"));
        assert_eq!(checked, json!(true), "{id}");
    }
    app.screenshot("01-notification-settings");
    app.click(&app.wait_for("#nav-sessions"));
    app.wait_for("#page-sessions");

    // A session whose bash tool asks first, prompted from outside: Hangar is on the list.
    let session_id = runtime.block_on(async {
        let agent = server
            .outside(
                "POST",
                "/v1/agents",
                Some(json!({"name": "Careful agent", "model": "claude-sonnet-5-5",
                    "tools": [{"type": "agent_toolset_20260401",
                               "configs": [{"name": "bash", "enabled": true, "permission_policy": {"type": "always_ask"}}]}]})),
            )
            .await
            .unwrap();
        let env = server.outside_create_environment("notify-env").await.unwrap();
        let session = server
            .outside_create_session(
                agent["id"].as_str().unwrap(),
                env["id"].as_str().unwrap(),
                Some("Inventory check"),
            )
            .await
            .unwrap();
        let id = session["id"].as_str().unwrap().to_string();
        server
            .outside(
                "POST",
                &format!("/v1/sessions/{id}/events"),
                Some(json!({"events": [{"type": "user.message", "content": [{"type": "text", "text": "List the files please"}]}]})),
            )
            .await
            .unwrap();
        id
    });
    app.wait_for(&format!("#session-{session_id}"));
    let deadline = Instant::now() + Duration::from_secs(30);
    let line = loop {
        let text = std::fs::read_to_string(&record).unwrap_or_default();
        if let Some(line) = text.lines().find(|l| l.contains("allow or deny")) {
            break line.to_string();
        }
        assert!(
            Instant::now() < deadline,
            "no notification requested; recorded: {text}"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    let n: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(n["title"], "Inventory check");
    assert_eq!(n["session_id"], session_id.as_str());
    assert_eq!(n["body"], "Waiting for you to allow or deny the bash tool.");
    assert!(!line.contains("List the files"), "no content: {line}");
    app.screenshot("02-list-while-notified");

    // It reached the desktop's notification service: named, content-free, clickable.
    let deadline = Instant::now() + Duration::from_secs(15);
    let shown = loop {
        if let Some(n) = service
            .shown()
            .into_iter()
            .find(|n| n.body.contains("allow or deny"))
        {
            break n;
        }
        assert!(
            Instant::now() < deadline,
            "the notification service got nothing: {:?}",
            service.shown()
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(shown.app_name, "Hangar");
    assert_eq!(shown.summary, "Inventory check");
    assert_eq!(
        shown.body,
        "Waiting for you to allow or deny the bash tool."
    );
    assert!(
        shown.actions.iter().any(|a| a == "default"),
        "{:?}",
        shown.actions
    );
    // A click opens that session.
    service.click(shown.id);
    app.wait_for("#page-session");
    let route = app.eval("return document.getElementById('content').dataset.route");
    assert!(
        route.as_str().unwrap_or_default().contains(&session_id),
        "{route}"
    );
    app.screenshot("03-opened-from-the-notification");
}

/// The word only one tool result of an old session holds, in the large history.
const BURIED_WORD: &str = "quokkalith";

/// A cached history of `sessions` sessions of 1,000 events each (the store's bench mix: user
/// and agent messages, tool calls and results, status and spans), 40 sessions a day; one tool
/// result of the fourth session holds [`BURIED_WORD`]. Fully indexed, as an app that has been
/// idle since would have it.
fn write_large_cache(data: &Path, sessions: u32) {
    let store = hangar_store::Store::open(data.join("cache.db")).unwrap();
    store
        .upsert_profile(PROFILE, "Offline team", "http://127.0.0.1:9", false)
        .unwrap();
    store.set_setting("active_profile", PROFILE).unwrap();
    // A xorshift generator: the same history every run, no dependency.
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        usize::try_from(state % n as u64).unwrap()
    };
    let syllables = [
        "ka", "lo", "mi", "ren", "tu", "sa", "vor", "el", "quin", "dra", "po", "ix",
    ];
    let common = [
        "the", "a", "and", "of", "to", "in", "is", "for", "order", "file",
    ];
    let mut vocabulary: Vec<String> = common.iter().map(|w| w.to_string()).collect();
    while vocabulary.len() < 5_000 {
        let n = 2 + next(3);
        vocabulary.push((0..n).map(|_| syllables[next(syllables.len())]).collect());
    }
    let mut sentence = |len: usize| {
        (0..len)
            .map(|_| {
                // Common words often, the rest evenly.
                if next(3) == 0 {
                    common[next(common.len())]
                } else {
                    vocabulary[next(vocabulary.len())].as_str()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let base_us = hangar_store::parse_rfc3339_us("2026-10-01T08:00:00Z").unwrap();
    for s in 0..sessions {
        let id = format!("sesn_big{s:04}");
        let created = base_us + i64::from(s / 40) * 86_400_000_000 + i64::from(s % 40) * 60_000_000;
        let at = |i: u32| hangar_store::format_rfc3339_us(created + i64::from(i) * 1_000_000);
        store
            .upsert_session(
                PROFILE,
                &session(
                    &id,
                    &format!("Batch run {s}"),
                    &format!("agent_{}", s % 4),
                    &at(0),
                ),
            )
            .unwrap();
        let events: Vec<String> = (0..1_000u32)
            .map(|i| {
                let eid = format!("sevt_{s:04}_{i:04}");
                match i % 8 {
                    0 => message(&eid, "user.message", &at(i), &sentence(14)),
                    1 => json!({"type": "session.status_running", "id": eid, "processed_at": at(i)}).to_string(),
                    2 => json!({"type": "agent.thinking", "id": eid, "processed_at": at(i)}).to_string(),
                    3 => json!({"type": "agent.tool_use", "id": eid, "processed_at": at(i), "name": "bash",
                                "input": {"command": format!("grep -rn {} src/", sentence(1))}, "evaluated_permission": "allow"}).to_string(),
                    4 => {
                        let text = if s == 3 && i == 404 {
                            format!("{} {BURIED_WORD} {}", sentence(20), sentence(20))
                        } else {
                            sentence(40)
                        };
                        json!({"type": "agent.tool_result", "id": eid, "processed_at": at(i), "tool_use_id": format!("sevt_{s:04}_{:04}", i - 1),
                               "content": [{"type": "text", "text": text}], "is_error": false}).to_string()
                    }
                    5 => json!({"type": "span.model_request_end", "id": eid, "processed_at": at(i), "model_request_start_id": "sevt_x", "is_error": false,
                                "model_usage": {"input_tokens": 1200, "output_tokens": 90, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 1024}}).to_string(),
                    6 => message(&eid, "agent.message", &at(i), &format!("## Result\n\n{}\n\n- {}", sentence(60), sentence(10))),
                    _ => json!({"type": "session.status_idle", "id": eid, "processed_at": at(i), "stop_reason": {"type": "end_turn"}}).to_string(),
                }
            })
            .collect();
        let raws: Vec<&str> = events.iter().map(String::as_str).collect();
        store.ingest_events(PROFILE, &id, &raws).unwrap();
        store.set_history_complete(PROFILE, &id, true).unwrap();
    }
    store.index_all_pending().unwrap();
}

/// What a person waits for and what the app holds, with `root`'s cache: the ms from the app's
/// process starting to the Sessions list built (or its empty state), and the whole process
/// tree's PSS (kB) once idle.
fn start_and_memory(app: &App, root: &Path, with_sessions: bool) -> (f64, u64, String) {
    let list = if with_sessions {
        "#session-list"
    } else {
        "#sessions-empty"
    };
    app.wait_for(list);
    // Read in one step, until there: the list may be built again (a refresh, "Loading…" in
    // between) between two WebDriver calls. A later build only makes the figure larger.
    let deadline = Instant::now() + Duration::from_secs(30);
    let rendered = loop {
        let value = app.eval(&format!(
            "const el = document.querySelector('{list}'); return el ? (el.dataset.renderedMs || el.outerHTML.slice(0, 120)) : null"
        ));
        if let Some(ms) = value.as_str().and_then(|v| v.parse::<f64>().ok()) {
            break ms;
        }
        assert!(
            Instant::now() < deadline,
            "{list} has no build time: {value}"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let (pid, _) = hangar_e2e::app_processes(&root.join("data")).expect("the app's process");
    let started = hangar_e2e::started_epoch_ms(pid).expect("the process start time");
    // Idle: nothing waits to be indexed and nothing is fetched (the profile is offline).
    std::thread::sleep(Duration::from_secs(8));
    let (pid, children) = hangar_e2e::app_processes(&root.join("data")).unwrap();
    let app_kb = hangar_e2e::pss_kb(pid);
    let of = |kind: &str| {
        children
            .iter()
            .filter(|(_, cmdline)| cmdline.contains(kind))
            .map(|(p, _)| hangar_e2e::pss_kb(*p))
            .sum::<u64>()
    };
    let (web_kb, network_kb) = (of("WebKitWebProcess"), of("WebKitNetworkProcess"));
    let pss = app_kb
        + children
            .iter()
            .map(|(p, _)| hangar_e2e::pss_kb(*p))
            .sum::<u64>();
    // Where the start-up time goes: before the page starts loading, and in the page.
    let navigation = app
        .eval("return performance.timeOrigin")
        .as_f64()
        .unwrap_or(f64::NAN);
    let parts = format!(
        "PSS app {} / web {} / network {} MB; page load began at {:.0} ms",
        app_kb / 1024,
        web_kb / 1024,
        network_kb / 1024,
        navigation - started
    );
    (rendered - started, pss, parts)
}

/// Types `query` in the top bar's search box, as a person does, and returns the ms from the
/// last keystroke's input event to the results for it on screen (the next frame), and the
/// backend's own search time (µs).
fn typed_to_results(app: &App, query: &str) -> (f64, String) {
    let search = app.wait_for("#global-search");
    app.clear(&search);
    // Notes when each input event reaches the page: reading only, the app is not driven.
    app.eval(
        "window.__lastInput = 0; if (!window.__inputClock) { window.__inputClock = true; \
         document.addEventListener('input', () => { window.__lastInput = performance.now(); }, true); } return true",
    );
    app.type_into(&search, query);
    let waited = app.eval_async(&format!(
        "const done = arguments[arguments.length - 1]; const q = {q};
         const look = () => {{
           const count = document.querySelector('#search-count');
           if (count && count.dataset.query === q && document.querySelector('#search-results li.hit')) {{
             requestAnimationFrame(() => done([performance.now() - window.__lastInput, count.dataset.tookUs]));
           }} else {{ requestAnimationFrame(look); }}
         }};
         look();",
        q = json!(query)
    ));
    (
        waited[0].as_f64().expect("the time to results"),
        waited[1].as_str().unwrap_or_default().to_string(),
    )
}

/// True when the suite drives the release build (`cargo xtask e2e --release`), whose speed is
/// the one a person gets.
fn env_app_is_release() -> bool {
    std::env::var("HANGAR_E2E_APP").is_ok_and(|app| app.contains("/release/"))
}

/// A large history stays quick: 1,000 sessions and 1M events (`HANGAR_E2E_LARGE_EVENTS` sets
/// another size) cached, opened offline, searched from the top bar. Records the start-up time,
/// search typed-to-painted and the memory next to an empty cache (figures, not limits: the
/// goals are judged in the closing notes).
#[test]
fn a_large_history_starts_searches_and_holds_its_memory() {
    let events: u32 = std::env::var("HANGAR_E2E_LARGE_EVENTS")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(1_000_000);
    let sessions = (events / 1_000).max(4);
    let build = if env_app_is_release() {
        "release app"
    } else {
        "debug app"
    };

    let empty = root("large-empty");
    write_large_cache(&empty.join("data"), 0);
    let (empty_start, empty_pss, empty_parts) = {
        let app = launch("history-large-empty", &empty);
        start_and_memory(&app, &empty, false)
    };

    let large = root("large");
    let built = Instant::now();
    write_large_cache(&large.join("data"), sessions);
    let app = launch("history-large", &large);
    app.record(
        &format!(
            "large history ({build}): {sessions} sessions / {} events cached, built in (s)",
            sessions * 1_000
        ),
        &format!("{:.0}", built.elapsed().as_secs_f64()),
    );
    let (start, pss, parts) = start_and_memory(&app, &large, true);
    app.record(
        &format!("large history ({build}): where it goes (empty cache | large)"),
        &format!("{empty_parts} | {parts}"),
    );
    app.wait_for(&format!("#session-sesn_big{:04}", sessions - 1));
    app.screenshot("01-large-list");
    // The list builds the newest 100 rows; older ones come a hundred at a time.
    let older = format!("#session-sesn_big{:04}", sessions - 101);
    assert!(
        app.try_find(&older).is_none(),
        "only the newest 100 rows are built"
    );
    app.click(&app.wait_for("#sessions-more"));
    app.wait_for(&older);
    app.record(
        &format!("large history ({build}): app start to the Sessions list built (ms; empty cache / large)"),
        &format!("{empty_start:.0} / {start:.0}"),
    );
    app.record(
        &format!("large history ({build}): idle PSS of the whole process tree (MB; empty cache / large / ratio)"),
        &format!(
            "{} / {} / {:.3}",
            empty_pss / 1024,
            pss / 1024,
            pss as f64 / empty_pss.max(1) as f64
        ),
    );

    // The buried word, then common words and a prefix: each from the last keystroke to its
    // results on screen.
    let mut times = Vec::new();
    for query in [
        "order",
        BURIED_WORD,
        "the file",
        "quin",
        "order",
        BURIED_WORD,
    ] {
        let (ms, backend_us) = typed_to_results(&app, query);
        app.record(
            &format!("large history ({build}): search {query:?} typed to results painted (ms; backend µs)"),
            &format!("{ms:.1}; {backend_us}"),
        );
        times.push(ms);
    }
    let hit = app.wait_for("#search-results li.hit");
    assert_eq!(
        app.attr(&hit, "data-event").as_deref(),
        Some("sevt_0003_0404")
    );
    app.screenshot("02-large-search");
    times.sort_by(f64::total_cmp);
    app.record(
        &format!("large history ({build}): search typed to results painted, median / worst (ms)"),
        &format!(
            "{:.1} / {:.1}",
            times[times.len() / 2],
            times[times.len() - 1]
        ),
    );
}
