#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on any error"
)]
//! Beyond the console (issue 14), in the real window against the fake: a memory edited while an
//! agent changes it, the conflict shown side by side and resolved, its history diffed and a
//! version redacted; a schedule made with "every weekday at 9:00", read back in words with its
//! next runs, a run started by moving the fake's clock and its session opened.

use std::time::{Duration, Instant};

use hangar_api::memory::{MemoryListItem, MemoryListParams, MemoryStoreListParams, MemoryView};
use hangar_api::{ApiKey, Client, ClientConfig};
use hangar_e2e::App;
use hangar_fake_api::{FakeConfig, FakeServer};

const KEY: &str = "sk-ant-e2e-beyond-key-5521";

fn start() -> (tokio::runtime::Runtime, FakeServer, Client) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime
        .block_on(FakeServer::start(FakeConfig {
            api_key: Some(KEY.into()),
            turn_delay: Duration::from_millis(100),
            ..FakeConfig::default()
        }))
        .unwrap();
    let client = Client::new(ClientConfig::with_base_url(
        server.base_url(),
        ApiKey::new(KEY),
    ))
    .unwrap();
    (runtime, server, client)
}

/// A profile for the fake, added and switched to as a person does.
fn use_fake(app: &App, server: &FakeServer) {
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
}

fn pick(app: &App, select: &str, value: &str) {
    app.click(&app.wait_for(select));
    app.click(&app.wait_for(&format!("{select} option[value=\"{value}\"]")));
}

#[test]
fn a_memory_edited_during_an_agents_change_is_resolved_diffed_and_redacted() {
    let (runtime, server, client) = start();
    let app = App::launch("beyond-memory");
    use_fake(&app, &server);

    // A store and a memory, made in the window.
    app.click(&app.wait_for("#nav-memory"));
    app.wait_for("#page-memory");
    app.click(&app.wait_for("#memory-new"));
    app.type_into(&app.wait_for("#memory-store-name"), "Customer notes");
    app.type_into(
        &app.wait_for("#memory-store-description"),
        "What the support agent learns",
    );
    app.click(&app.wait_for("#memory-store-save"));
    app.wait_for("#page-memory-store");
    app.click(&app.wait_for("#memory-add"));
    let path = app.wait_for("#memory-new-path");
    app.clear(&path);
    app.type_into(&path, "/customers/acme.md");
    app.type_into(&app.wait_for("#memory-new-content"), "Prefers email.");
    app.click(&app.wait_for("#memory-new-save"));
    app.wait_for("#memory-editor");
    app.wait_for("#open-folder-customers-");
    app.screenshot("created");

    let store = runtime
        .block_on(
            client
                .memory_stores()
                .list(&MemoryStoreListParams::default()),
        )
        .unwrap()
        .data
        .remove(0);
    assert_eq!(store.name, "Customer notes");

    // The tree opens by folder.
    app.click(&app.wait_for("#open-folder-customers-"));
    app.wait_for("#open-memory-customers-acme-md");

    // While it is open here, an agent changes it through its mounted store.
    server
        .agent_writes_memory(
            "sesn_011CAgentWritesHere",
            &store.id,
            "/customers/acme.md",
            "Prefers phone calls.",
        )
        .unwrap();
    let content = app.wait_for("#memory-content");
    app.clear(&content);
    app.type_into(&content, "Prefers email, on weekdays.");
    let saved_at = Instant::now();
    app.click(&app.wait_for("#memory-save"));
    let said = app.wait_text("#memory-conflict", "the conflict", |t| {
        t.contains("Someone else changed this memory")
    });
    app.record(
        "memory conflict shown after",
        &format!("{} ms", saved_at.elapsed().as_millis()),
    );
    assert!(said.contains("session sesn_011CAgentWritesHere"), "{said}");
    assert_eq!(
        app.text(&app.wait_for("#conflict-theirs")),
        "Prefers phone calls."
    );
    assert_eq!(
        app.text(&app.wait_for("#conflict-mine")),
        "Prefers email, on weekdays."
    );
    app.screenshot("conflict");

    // Keep mine: saved over theirs.
    app.click(&app.wait_for("#conflict-keep-mine"));
    app.wait_text("#memory-versions", "three versions", |_| {
        app.try_find("#memory-version-3").is_some()
    });
    let now = runtime.block_on(async {
        let items = client
            .memory_stores()
            .list_memories(
                &store.id,
                &MemoryListParams {
                    view: Some(MemoryView::Full),
                    ..Default::default()
                },
            )
            .await
            .unwrap()
            .data;
        match &items[0] {
            MemoryListItem::Memory(m) => m.content.clone(),
            other => panic!("{other:?}"),
        }
    });
    assert_eq!(now.as_deref(), Some("Prefers email, on weekdays."));
    assert!(app.try_find("#memory-conflict").is_none());
    app.screenshot("resolved");

    // The history: the agent's change names its session; the first and last versions diffed.
    let by = app.text(&app.wait_for("#memory-version-2"));
    assert!(by.contains("session sesn_011CAgentWritesHere"), "{by}");
    pick(&app, "#memory-diff-left", "2");
    pick(&app, "#memory-diff-right", "0");
    let diff = app.wait_text("#memory-diff", "the diff", |t| {
        t.contains("Prefers email.") && t.contains("Prefers email, on weekdays.")
    });
    assert!(!diff.contains("Prefers phone calls."), "{diff}");
    app.screenshot("diff");

    // Redact the agent's version.
    app.click(&app.wait_for("#memory-version-2-redact"));
    app.click(&app.wait_for("#memory-version-2-redact-confirm"));
    app.wait_text("#memory-version-2", "redacted", |t| t.contains("redacted"));
    let versions = runtime
        .block_on(client.memory_stores().list_versions(
            &store.id,
            &hangar_api::memory::MemoryVersionListParams {
                session_id: Some("sesn_011CAgentWritesHere".into()),
                view: Some(MemoryView::Full),
                ..Default::default()
            },
        ))
        .unwrap()
        .data;
    assert_eq!(versions[0].content, None);
    assert!(versions[0].redacted_at.is_some());
    app.screenshot("redacted");
    drop(app);
    drop(server);
}

#[test]
fn a_weekday_schedule_reads_back_in_words_runs_when_the_clock_moves_and_opens_its_session() {
    let (runtime, server, client) = start();
    let (agent, env) = runtime.block_on(async {
        (
            server.outside_create_agent("Triage agent").await.unwrap(),
            server
                .outside_create_environment("triage-env")
                .await
                .unwrap(),
        )
    });
    let app = App::launch("beyond-schedules");
    use_fake(&app, &server);
    // The agents and environments reach the cache as those lists are shown.
    app.click(&app.wait_for("#nav-agents"));
    app.wait_for(&format!("#agent-{}", agent["id"].as_str().unwrap()));
    app.click(&app.wait_for("#nav-environments"));
    app.wait_for(&format!("#environment-{}", env["id"].as_str().unwrap()));

    app.click(&app.wait_for("#nav-schedules"));
    app.wait_for("#page-schedules");
    app.click(&app.wait_for("#schedules-new"));
    app.wait_for("#page-new-schedule");
    app.type_into(&app.wait_for("#schedule-name"), "Morning triage");
    app.wait_for(&format!(
        "#schedule-agent option[value=\"{}\"]",
        agent["id"].as_str().unwrap()
    ));
    app.type_into(
        &app.wait_for("#schedule-message"),
        "Triage the issues opened since yesterday.",
    );
    pick(&app, "#schedule-repeat", "weekly");
    app.wait_text("#schedule-words", "Monday", |t| {
        t.contains("every Monday at 9:00")
    });
    pick(&app, "#schedule-repeat", "weekdays");
    let time = app.wait_for("#schedule-time");
    app.clear(&time);
    app.type_into(&time, "9:00");
    let words = app.wait_text("#schedule-words", "the words", |t| {
        t.contains("every weekday at 9:00")
    });
    assert!(words.starts_with("Runs every weekday at 9:00 ("), "{words}");
    let next = app.text(&app.wait_for("#schedule-next"));
    // Three next runs, each at 9:00 (WebKit reads the list items without line breaks).
    assert_eq!(next.matches(", 9:00").count(), 3, "{next}");
    assert!(!next.contains("Sat") && !next.contains("Sun"), "{next}");
    app.screenshot("picker");

    app.click(&app.wait_for("#schedule-save"));
    app.wait_for("#page-schedule");
    let when = app.wait_text("#schedule-when", "the schedule", |t| !t.is_empty());
    assert!(when.starts_with("Runs every weekday at 9:00"), "{when}");
    let upcoming = app.text(&app.wait_for("#schedule-upcoming"));
    assert_eq!(upcoming.matches(", 9:00").count(), 5, "{upcoming}");
    app.wait_for("#schedule-no-runs");
    app.screenshot("created");

    // The fake's clock moves to the first run: the run shows by itself.
    let deployment = runtime
        .block_on(
            client
                .deployments()
                .list(&hangar_api::deployments::DeploymentListParams::default()),
        )
        .unwrap()
        .data
        .remove(0);
    let first = deployment.schedule.unwrap().upcoming_runs_at[0].clone();
    let runs = runtime.block_on(server.advance_clock_to(&first));
    assert_eq!(runs.len(), 1);
    let moved = Instant::now();
    let run_id = runs[0]["id"].as_str().unwrap().to_string();
    let row = format!("#run-{run_id}");
    let why = app.wait_text(&format!("{row} .why"), "the run", |t| {
        t.starts_with("Scheduled for")
    });
    app.record(
        "scheduled run shown after",
        &format!("{:.2} s", moved.elapsed().as_secs_f64()),
    );
    assert!(why.contains("9:00"), "{why}");
    app.screenshot("run");

    // Its session opens in the chat view.
    app.click(&app.wait_for(&format!("#run-{run_id}-open")));
    app.wait_for("#page-session");
    app.screenshot("session");
    drop(app);
    drop(server);
}
