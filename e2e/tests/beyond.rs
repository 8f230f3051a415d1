#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on any error"
)]
//! Beyond the console (issue 14), in the real window against the fake: a memory edited while an
//! agent changes it, the conflict shown side by side and resolved, its history diffed and a
//! version redacted; a schedule made with "every weekday at 9:00", read back in words with its
//! next runs, a run started by moving the fake's clock and its session opened; a session given
//! an outcome whose evaluations show round by round until satisfied (and a second outcome from
//! the composer); a session stopped by its spending cap; idle sessions archived and deleted in
//! one action; the Usage page's chart over generated history, exported as CSV.

use std::time::{Duration, Instant};

use hangar_api::memory::{MemoryListItem, MemoryListParams, MemoryStoreListParams, MemoryView};
use hangar_api::{ApiKey, Client, ClientConfig};
use hangar_e2e::App;
use hangar_fake_api::{FakeConfig, FakeServer};
use serde_json::{json, Value};

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
    // A spending cap for each run: dollars are refused inline, cents accepted.
    let cap = app.wait_for("#schedule-budget");
    app.type_into(&cap, "25.00");
    let refused = app.wait_text("#schedule-budget-error", "the cap refused", |t| {
        t.contains("cents")
    });
    assert!(refused.contains("like 2500 for $25.00"), "{refused}");
    app.clear(&cap);
    app.type_into(&cap, "2500");
    assert!(app.try_find("#schedule-budget-error").is_none());
    app.screenshot("picker");

    app.click(&app.wait_for("#schedule-save"));
    app.wait_for("#page-schedule");
    let when = app.wait_text("#schedule-when", "the schedule", |t| !t.is_empty());
    assert!(when.starts_with("Runs every weekday at 9:00"), "{when}");
    let cap = app.text(&app.wait_for("#schedule-cap"));
    assert_eq!(cap, "Spending cap per run: $25.00");
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
    // The run's session carries the schedule's cap.
    let run_session = runs[0]["session_id"].as_str().unwrap().to_string();
    let session = runtime
        .block_on(client.sessions().retrieve(&run_session))
        .unwrap();
    assert_eq!(
        serde_json::to_value(&session.budget).unwrap()["max_list_cost"]["amount"],
        "2500",
        "{:?}",
        session.budget
    );

    // Its session opens in the chat view.
    app.click(&app.wait_for(&format!("#run-{run_id}-open")));
    app.wait_for("#page-session");
    app.screenshot("session");
    drop(app);
    drop(server);
}

/// A screenshot once the window has painted what the page now holds (WebKit under Xvfb can
/// hand back the previous frame right after a change).
fn shot(app: &App, label: &str) {
    std::thread::sleep(Duration::from_millis(500));
    app.screenshot(label);
}

/// `secs` seconds before now (whole seconds), as the API writes times.
fn ago(secs: u64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        - secs;
    hangar_store::format_rfc3339_us(i64::try_from(now).unwrap() * 1_000_000)
}

/// An agent and an environment made outside, then seen by the app (their lists shown once).
fn agent_and_environment(
    runtime: &tokio::runtime::Runtime,
    server: &FakeServer,
    app: &App,
    name: &str,
) -> (String, String) {
    let (agent, env) = runtime.block_on(async {
        (
            server.outside_create_agent(name).await.unwrap(),
            server.outside_create_environment("sandbox").await.unwrap(),
        )
    });
    let (agent, env) = (
        agent["id"].as_str().unwrap().to_string(),
        env["id"].as_str().unwrap().to_string(),
    );
    app.click(&app.wait_for("#nav-agents"));
    app.wait_for(&format!("#agent-{agent}"));
    app.click(&app.wait_for("#nav-environments"));
    app.wait_for(&format!("#environment-{env}"));
    (agent, env)
}

/// Opens the New session dialog with the agent and environment chosen and `message` typed.
fn new_session(app: &App, agent: &str, env: &str, title: &str, message: &str) {
    app.click(&app.wait_for("#nav-sessions"));
    app.click(&app.wait_for("#sessions-new"));
    app.wait_for("#new-session-dialog");
    pick(app, "#ns-agent", agent);
    pick(app, "#ns-environment", env);
    app.type_into(&app.wait_for("#ns-title"), title);
    app.type_into(&app.wait_for("#ns-message"), message);
}

/// The session the chat shows.
fn session_id(app: &App) -> String {
    app.eval("return document.getElementById('content').dataset.route")
        .as_str()
        .unwrap()
        .trim_start_matches("/sessions/")
        .to_string()
}

/// The texts of the transcript's outcome cards, in order.
fn outcome_cards(app: &App) -> Vec<String> {
    app.eval(
        "return Array.from(document.querySelectorAll('#transcript .card.outcome')).map(c => c.dataset.tone + ': ' + c.innerText.trim());",
    )
    .as_array()
    .unwrap()
    .iter()
    .map(|v| v.as_str().unwrap().to_string())
    .collect()
}

fn wait_until(app: &App, what: &str, secs: u64, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !check() {
        if Instant::now() > deadline {
            app.screenshot(&format!("timeout-{}", what.replace(' ', "-")));
            panic!("{what}: not within {secs} s");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn an_outcome_is_evaluated_round_by_round_until_satisfied() {
    let (runtime, server, client) = start();
    let app = App::launch("beyond-outcome");
    use_fake(&app, &server);
    let (agent, env) = agent_and_environment(&runtime, &server, &app, "Report agent");
    new_session(&app, &agent, &env, "Open orders", "Make the orders report.");

    // The outcome section: the iteration limit is checked as it is typed.
    app.click(&app.wait_for("#ns-outcome summary"));
    app.type_into(
        &app.wait_for("#ns-outcome-description"),
        "A CSV of all open orders",
    );
    app.type_into(
        &app.wait_for("#ns-outcome-rubric"),
        "Has a header row\u{E007}One row per order",
    );
    app.type_into(&app.wait_for("#ns-outcome-iterations"), "30");
    let said = app.wait_text("#ns-outcome .problem", "the limit refused", |t| {
        !t.is_empty()
    });
    assert_eq!(said, "Maximum iterations: Choose a number from 1 to 20.");
    shot(&app, "limit-refused");
    let limit = app.wait_for("#ns-outcome-iterations");
    app.clear(&limit);
    app.type_into(&limit, "4");
    wait_until(&app, "the problem gone", 5, || {
        app.try_find("#ns-outcome .problem").is_none()
    });
    shot(&app, "dialog");
    app.click(&app.wait_for("#ns-start"));
    app.wait_for("#transcript");
    let sid = session_id(&app);
    assert!(sid.starts_with("sesn_"), "{sid}");

    // Each round's result and explanation show, until satisfied.
    wait_until(&app, "outcome satisfied", 30, || {
        app.try_find("#transcript .card.outcome.satisfied")
            .is_some()
    });
    let cards = outcome_cards(&app);
    assert_eq!(
        cards,
        [
            "defined: Outcome to reach: A CSV of all open orders (up to 4 rounds)",
            "checking: Checking the result against the outcome (round 1)…",
            "revision: Outcome check, round 1: needs another round — 1 of 2 points are met; still missing: “One row per order”.",
            "checking: Checking the result against the outcome (round 2)…",
            "satisfied: Outcome check, round 2: satisfied — Every point of the rubric is met (2 of 2).",
        ]
    );
    if let Some(jump) = app.try_find("#jump-latest") {
        app.click(&jump);
    }
    shot(&app, "satisfied");
    // Sent exactly as the reference says: after the first message, a text rubric, the limit.
    let log = server.event_log(&sid);
    let kinds: Vec<&str> = log
        .iter()
        .filter(|e| e["type"].as_str().unwrap().starts_with("user."))
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["user.message", "user.define_outcome"]);
    let defined = log
        .iter()
        .find(|e| e["type"] == "user.define_outcome")
        .unwrap();
    assert_eq!(defined["description"], "A CSV of all open orders");
    assert_eq!(
        defined["rubric"],
        json!({"type": "text", "content": "Has a header row\nOne row per order"})
    );
    assert_eq!(defined["max_iterations"], 4);

    // A second outcome from the composer, checked before it is sent, its rubric in a file
    // uploaded earlier.
    let rubric = runtime
        .block_on(client.files().upload(
            "summary-rubric.md",
            b"- One line\n".to_vec(),
            "text/markdown",
        ))
        .unwrap();
    wait_until(&app, "idle", 20, || {
        app.text(&app.wait_for("#session-status")) == "idle"
    });
    app.click(&app.wait_for("#composer-outcome"));
    app.click(&app.wait_for("#outcome-send"));
    let missing = app.wait_text("#outcome-form .problem", "the missing description", |t| {
        !t.is_empty()
    });
    assert_eq!(
        missing,
        "Description: say what the finished work looks like."
    );
    app.type_into(
        &app.wait_for("#chat-outcome-description"),
        "A one-line summary",
    );
    pick(&app, "#chat-outcome-rubric-file", rubric.id.as_str());
    wait_until(&app, "the text set aside", 5, || {
        app.eval("return document.getElementById('chat-outcome-rubric').disabled")
            .as_bool()
            == Some(true)
    });
    shot(&app, "composer-outcome");
    app.click(&app.wait_for("#outcome-send"));
    wait_until(&app, "the second outcome satisfied", 30, || {
        outcome_cards(&app)
            .iter()
            .filter(|c| c.starts_with("satisfied"))
            .count()
            == 2
    });
    assert!(app.try_find("#outcome-form").is_none(), "the form closed");
    let second = outcome_cards(&app);
    assert_eq!(
        second.last().unwrap(),
        "satisfied: Outcome check, round 1: satisfied — Every point of the rubric is met (1 of 1)."
    );
    let session = runtime
        .block_on(server.outside("GET", &format!("/v1/sessions/{sid}"), None))
        .unwrap();
    let results: Vec<&Value> = session["outcome_evaluations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["result"])
        .collect();
    assert_eq!(results, [&json!("satisfied"), &json!("satisfied")]);
    let rubrics: Vec<Value> = server
        .event_log(&sid)
        .into_iter()
        .filter(|e| e["type"] == "user.define_outcome")
        .map(|e| e["rubric"].clone())
        .collect();
    assert_eq!(
        rubrics[1],
        json!({"type": "file", "file_id": rubric.id.as_str()})
    );
    shot(&app, "composer-satisfied");

    // The Sessions list shows where the outcome stands.
    app.click(&app.wait_for("#nav-sessions"));
    let chip = app.wait_text(
        &format!("#session-{sid} .status-chip.outcome"),
        "the outcome chip",
        |t| t == "outcome satisfied",
    );
    assert_eq!(chip, "outcome satisfied");
    shot(&app, "list");
    drop(app);
    drop(server);
}

#[test]
fn a_session_stopped_by_its_spending_cap_says_so() {
    let (runtime, server, _client) = start();
    let app = App::launch("beyond-budget");
    use_fake(&app, &server);
    let (agent, env) = agent_and_environment(&runtime, &server, &app, "Spender");
    new_session(
        &app,
        &agent,
        &env,
        "Big job",
        "Please spend the budget on this.",
    );
    app.click(&app.wait_for("#new-session-dialog details:not(.outcome-section) summary"));
    app.type_into(&app.wait_for("#ns-budget"), "300");
    app.click(&app.wait_for("#ns-start"));
    app.wait_for("#transcript");
    let banner = app.wait_text("#session-budget", "the cap reached", |t| {
        t.contains("Spending cap reached")
    });
    assert!(
        banner.contains("used up its spending cap ($3.00 of $3.00)"),
        "{banner}"
    );
    assert!(
        banner.contains("until the cap is raised or removed"),
        "{banner}"
    );
    app.wait_text("#transcript", "the stop", |t| {
        t.contains("Stopped: the session's budget is used up")
    });
    let usage = app.wait_text("#session-usage", "the cost", |t| t.contains("$3.00"));
    assert!(usage.contains("about $3.00 of a $3.00 cap"), "{usage}");
    shot(&app, "chat");
    let sid = session_id(&app);
    let session = runtime
        .block_on(server.outside("GET", &format!("/v1/sessions/{sid}"), None))
        .unwrap();
    assert_eq!(session["budget"]["max_list_cost"]["amount"], "300");

    // The list says so too.
    app.click(&app.wait_for("#nav-sessions"));
    app.wait_text(
        &format!("#session-{sid} .status-chip.budget"),
        "the budget chip",
        |t| t == "budget reached",
    );
    shot(&app, "list");

    // Back in the chat, the cap is raised: not to what was spent, above it.
    app.click(&app.wait_for(&format!("#session-{sid} .title")));
    let cap = app.wait_for("#session-cap");
    app.type_into(&cap, "300");
    app.click(&app.wait_for("#session-cap-raise"));
    let refused = app.wait_text("#session-cap-problem", "the refusal", |t| !t.is_empty());
    assert_eq!(
        refused,
        "The new cap must be higher than what the session has already spent."
    );
    shot(&app, "cap-refused");
    app.clear(&cap);
    app.type_into(&cap, "1000");
    app.click(&app.wait_for("#session-cap-raise"));
    wait_until(&app, "the banner gone", 15, || {
        app.try_find("#session-budget").is_none()
    });
    let session = runtime
        .block_on(server.outside("GET", &format!("/v1/sessions/{sid}"), None))
        .unwrap();
    assert_eq!(session["budget"]["max_list_cost"]["amount"], "1000");
    app.wait_text("#session-usage", "the new cap", |t| {
        t.contains("of a $10.00 cap")
    });
    shot(&app, "cap-raised");
    drop(app);
    drop(server);
}

#[test]
fn idle_sessions_are_archived_and_deleted_in_one_action() {
    let (runtime, server, _client) = start();
    let (agent, env) = runtime.block_on(async {
        (
            server.outside_create_agent("Night shift").await.unwrap(),
            server.outside_create_environment("night").await.unwrap(),
        )
    });
    // Four idle sessions: quiet for ten days, two days, two hours, and one just made.
    let mut ids = Vec::new();
    for (title, quiet) in [
        ("Ten days", Some(10 * 86_400)),
        ("Two days", Some(2 * 86_400)),
        ("Two hours", Some(2 * 3600)),
        ("Just now", None),
    ] {
        let s = runtime
            .block_on(server.outside_create_session(
                agent["id"].as_str().unwrap(),
                env["id"].as_str().unwrap(),
                Some(title),
            ))
            .unwrap();
        let id = s["id"].as_str().unwrap().to_string();
        if let Some(secs) = quiet {
            let at = ago(secs);
            server
                .patch_session(&id, json!({"created_at": at, "updated_at": at}))
                .unwrap();
        }
        ids.push(id);
    }
    let app = App::launch("beyond-idle");
    use_fake(&app, &server);
    app.click(&app.wait_for("#nav-sessions"));
    for id in &ids {
        app.wait_for(&format!("#session-{id}"));
    }
    app.click(&app.wait_for("#sessions-idle"));
    let listed = |app: &App| -> Vec<String> {
        app.eval("return Array.from(document.querySelectorAll('#idle-list li')).map(li => li.id.slice(5));")
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    // More than a day (the default): the oldest two, longest idle first.
    wait_until(&app, "two listed", 10, || listed(&app) == ids[..2]);
    let text = app.text(&app.wait_for("#idle-list"));
    assert!(
        text.contains("idle for 10 days") && text.contains("idle for 2 days"),
        "{text}"
    );
    pick(&app, "#idle-threshold", "hour");
    wait_until(&app, "three listed", 5, || listed(&app) == ids[..3]);
    pick(&app, "#idle-threshold", "week");
    wait_until(&app, "one listed", 5, || listed(&app) == ids[..1]);
    pick(&app, "#idle-threshold", "day");
    wait_until(&app, "two listed again", 5, || listed(&app) == ids[..2]);
    shot(&app, "listed");

    // Archive all, after a confirmation.
    app.click(&app.wait_for("#idle-archive-all"));
    let asked = app.wait_text(".idle-panel .confirm-bar", "the question", |t| {
        !t.is_empty()
    });
    assert!(asked.contains("Archive these 2 session(s)?"), "{asked}");
    shot(&app, "confirm-archive");
    app.click(&app.wait_for("#idle-confirm"));
    let get =
        |id: &str| runtime.block_on(server.outside("GET", &format!("/v1/sessions/{id}"), None));
    wait_until(&app, "archived on the API", 20, || {
        ids[..2]
            .iter()
            .all(|id| get(id).unwrap()["archived_at"].is_string())
    });
    app.wait_for("#idle-none");
    assert!(
        get(&ids[2]).unwrap()["archived_at"].is_null(),
        "not idle long enough"
    );
    shot(&app, "archived");

    // Delete the one idle for two hours.
    pick(&app, "#idle-threshold", "hour");
    wait_until(&app, "the two-hour one listed", 10, || {
        listed(&app) == ids[2..3]
    });
    app.click(&app.wait_for("#idle-delete-all"));
    let asked = app.wait_text(".idle-panel .confirm-bar", "the question", |t| {
        !t.is_empty()
    });
    assert!(asked.contains("Delete these 1 session(s)"), "{asked}");
    app.click(&app.wait_for("#idle-confirm"));
    wait_until(&app, "deleted on the API", 20, || {
        get(&ids[2]).is_err_and(|e| e.status == 404)
    });
    wait_until(&app, "gone from the list", 15, || {
        app.try_find(&format!("#session-{}", ids[2])).is_none()
    });
    assert!(
        get(&ids[3]).unwrap()["archived_at"].is_null(),
        "the fresh one stays"
    );
    app.wait_for(&format!("#session-{}", ids[3]));
    shot(&app, "deleted");
    drop(app);
    drop(server);
}

#[test]
fn the_usage_page_charts_generated_history_and_exports_csv() {
    let (runtime, server, _client) = start();
    let (writer, triage, env) = runtime.block_on(async {
        (
            server.outside_create_agent("Writer").await.unwrap(),
            server.outside_create_agent("Triage").await.unwrap(),
            server
                .outside_create_environment("usage-env")
                .await
                .unwrap(),
        )
    });
    // Three days of history: what each session cost and used.
    let history = [
        (
            &writer,
            "Quarterly report",
            "2026-11-20T12:00:00.000000Z",
            "1250",
            400_000,
            20_000,
        ),
        (
            &triage,
            "Bug triage",
            "2026-11-21T12:00:00.000000Z",
            "300",
            90_000,
            6_000,
        ),
        (
            &writer,
            "Short note",
            "2026-11-22T12:00:00.000000Z",
            "75",
            20_000,
            1_000,
        ),
    ];
    let mut ids = Vec::new();
    for (agent, title, at, cents, input, output) in history {
        let s = runtime
            .block_on(server.outside_create_session(
                agent["id"].as_str().unwrap(),
                env["id"].as_str().unwrap(),
                Some(title),
            ))
            .unwrap();
        let id = s["id"].as_str().unwrap().to_string();
        server
            .patch_session(
                &id,
                json!({"created_at": at, "updated_at": at, "usage": {"input_tokens": input, "output_tokens": output,
                    "list_cost": {"amount": cents, "currency": "USD"}}}),
            )
            .unwrap();
        ids.push(id);
    }
    let root = std::env::temp_dir().join(format!("hangar-e2e-usage-{}", std::process::id()));
    let _stale = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("dialogs")).unwrap();
    let app = App::launch_with_args(
        "beyond-usage",
        &[&format!("--e2e-dialogs={}", root.join("dialogs").display())],
    );
    use_fake(&app, &server);
    app.click(&app.wait_for("#nav-usage"));
    app.wait_for("#page-usage");
    let totals = app.wait_text("#usage-totals", "the totals", |t| t.contains("3 sessions"));
    assert!(
        totals.starts_with("$16.25 in total · 537000 tokens · 3 sessions"),
        "{totals}"
    );
    let bars = |chart: &str| -> Vec<(String, i64)> {
        app.eval(&format!(
            "return Array.from(document.querySelectorAll('#{chart} g.bar')).map(g => [g.dataset.key, Number(g.dataset.cents)]);"
        ))
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_str().unwrap().to_string(), p[1].as_i64().unwrap()))
        .collect()
    };
    let days = bars("usage-by-day");
    let day_keys: Vec<&str> = days.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(day_keys.len(), 3, "{days:?}");
    assert_eq!(
        days.iter().map(|(_, c)| *c).collect::<Vec<_>>(),
        [1250, 300, 75]
    );
    let writer_id = writer["id"].as_str().unwrap().to_string();
    let triage_id = triage["id"].as_str().unwrap().to_string();
    assert_eq!(
        bars("usage-by-agent"),
        [(writer_id, 1325), (triage_id, 300)]
    );
    assert_eq!(
        bars("usage-by-session"),
        [
            (ids[0].clone(), 1250),
            (ids[1].clone(), 300),
            (ids[2].clone(), 75)
        ]
    );
    // The longest bar is the most expensive; the values read in dollars.
    let widths = app.eval(
        "return Array.from(document.querySelectorAll('#usage-by-day rect.bar-fill')).map(r => Number(r.getAttribute('width')));",
    );
    assert_eq!(widths, json!([360, 86, 21]));
    let chart_text = app.text(&app.wait_for("#page-usage"));
    assert!(
        chart_text.contains("$12.50") && chart_text.contains("$13.25"),
        "{chart_text}"
    );
    shot(&app, "chart");

    // Export CSV through the (scripted) save dialog.
    let csv_path = root.join("usage.csv");
    std::fs::write(
        root.join("dialogs").join("next"),
        csv_path.display().to_string(),
    )
    .unwrap();
    app.click(&app.wait_for("#usage-export"));
    wait_until(&app, "the CSV written", 15, || csv_path.exists());
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "breakdown,key,label,cost_usd,cost_cents,tokens,sessions"
    );
    assert!(
        lines
            .contains(&format!("session,{},Quarterly report,12.50,1250,420000,1", ids[0]).as_str()),
        "{csv}"
    );
    assert!(
        csv.contains(&format!(
            "agent,{},Writer,13.25,1325,441000,2",
            writer["id"].as_str().unwrap()
        )),
        "{csv}"
    );
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("day,")).count(),
        3,
        "{csv}"
    );
    app.wait_text(".notice", "the notice", |t| {
        t.contains("Usage saved as CSV")
    });
    shot(&app, "exported");
    let _removed = std::fs::remove_dir_all(&root);
    drop(app);
    drop(server);
}
