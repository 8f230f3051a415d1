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
