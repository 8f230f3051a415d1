#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on any error"
)]
//! The sessions list follows the server: a session started somewhere else (the console, the CLI,
//! another computer — here: directly on the fake server) appears within 5 s, and its status
//! changes show without a reload.

use std::time::{Duration, Instant};

use hangar_api::events::EventParams;
use hangar_api::sessions::{AgentRef, SessionCreate};
use hangar_api::{ApiKey, Client, ClientConfig};
use hangar_e2e::App;
use hangar_fake_api::{FakeConfig, FakeServer};

const KEY: &str = "sk-ant-e2e-sync-key-7310";

#[test]
fn a_session_started_elsewhere_appears_and_its_status_follows() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime
        .block_on(FakeServer::start(FakeConfig {
            api_key: Some(KEY.into()),
            // Slow turns, so "running" is visible for a while.
            turn_delay: Duration::from_millis(700),
            ..FakeConfig::default()
        }))
        .unwrap();
    let client = Client::new(ClientConfig::with_base_url(
        server.base_url(),
        ApiKey::new(KEY),
    ))
    .unwrap();

    // A profile for that server, added as a person does and switched to.
    let app = App::launch("sync");
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
    app.click(&app.wait_for("#nav-sessions"));
    app.wait_for("#page-sessions");

    // Started outside Hangar.
    let session = runtime.block_on(async {
        let agent = client
            .agents()
            .create(&hangar_api::agents::AgentCreate {
                name: "Console agent".into(),
                model: "claude-haiku-5-5".into(),
                ..Default::default()
            })
            .await
            .unwrap();
        let env = client
            .environments()
            .create(&hangar_api::environments::EnvironmentCreate {
                name: "console-env".into(),
                ..Default::default()
            })
            .await
            .unwrap();
        let mut body = SessionCreate::new(AgentRef::Latest(agent.id.clone()), env.id.clone());
        body.title = Some("Started in the console".into());
        client.sessions().create(&body).await.unwrap()
    });
    let created = Instant::now();
    let row = format!("#session-{}", session.id);
    let deadline = created + Duration::from_secs(5);
    while app.try_find(&row).is_none() {
        assert!(
            Instant::now() < deadline,
            "the session did not appear within 5 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let appeared = created.elapsed();
    app.record(
        "external session appeared after",
        &format!("{:.2} s", appeared.as_secs_f64()),
    );
    let chip = format!("{row} .status-chip");
    app.wait_text(&chip, "idle", |t| t == "idle");
    assert!(app
        .text(&app.wait_for(&format!("{row} .title")))
        .contains("Started in the console"));
    app.screenshot("appeared");

    // A message from elsewhere: running, then idle again, with no reload.
    runtime.block_on(async {
        client
            .sessions()
            .send_events(
                &session.id,
                &[EventParams::message("Please summarise the data")],
            )
            .await
            .unwrap();
    });
    app.wait_text(&chip, "running", |t| t == "running");
    app.screenshot("running");
    app.wait_text(&chip, "idle again", |t| t == "idle");
    let tokens = app.wait_text(&format!("{row} .tokens"), "the usage", |t| {
        !t.starts_with("0 ")
    });
    assert!(tokens.ends_with("tokens"), "{tokens}");
    app.screenshot("idle-again");
    drop(app);
    drop(server);
}
