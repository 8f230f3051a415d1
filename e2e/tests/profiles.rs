#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on any error"
)]
//! Profiles in the real window: add one with a key, see it masked, see a rejected key's message.

use hangar_e2e::App;
use hangar_fake_api::{FakeConfig, FakeServer};

const RIGHT_KEY: &str = "sk-ant-e2e-right-key-4821";

#[test]
fn add_a_profile_see_the_key_masked_and_a_rejected_key_explained() {
    // A server that accepts exactly one key, standing in for the real API.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime
        .block_on(FakeServer::start(FakeConfig {
            api_key: Some(RIGHT_KEY.into()),
            ..FakeConfig::default()
        }))
        .unwrap();

    let app = App::launch("profiles");
    // A new user starts in the Demo: its chip says Simulation, not Online.
    app.wait_text("#connection-chip", "Simulation in the Demo", |t| {
        t == "Simulation"
    });
    app.click(&app.wait_for("#nav-settings"));
    app.wait_for("#profile-form");

    // Inline validation before anything is sent.
    app.click(&app.wait_for("#profile-save"));
    app.wait_text("#profile-name-error", "a name error", |t| {
        t.contains("name")
    });

    // A wrong key: rejected, explained, not kept.
    app.type_into(&app.wait_for("#profile-name"), "Work");
    let url = app.wait_for("#profile-url");
    app.clear(&url);
    app.type_into(&url, &server.base_url());
    app.type_into(&app.wait_for("#profile-key"), "sk-ant-e2e-wrong-key-0000");
    app.click(&app.wait_for("#profile-save"));
    let message = app.wait_text("#profile-result", "the rejection", |t| {
        t.contains("rejected")
    });
    assert!(
        message.contains("This key was rejected by the API"),
        "{message}"
    );
    assert!(
        message.contains("invalid x-api-key"),
        "the API's own words are shown: {message}"
    );
    app.screenshot("rejected");
    assert!(
        app.try_find("#profile-table tr.profile-row:nth-child(2)")
            .is_none(),
        "nothing was saved"
    );

    // The right key: saved to the keychain, shown as its last four characters only.
    let key_field = app.wait_for("#profile-key");
    app.clear(&key_field);
    app.type_into(&key_field, RIGHT_KEY);
    app.click(&app.wait_for("#profile-save"));
    let message = app.wait_text("#profile-result", "the success", |t| t.contains("Saved"));
    assert!(
        message.contains("keychain") && message.contains("4821"),
        "{message}"
    );
    let hint = app.wait_text(
        "#profile-table tr.profile-row:nth-child(2) .key-hint",
        "the masked key",
        |t| t.contains("4821"),
    );
    assert_eq!(hint, "…4821");
    let page_text =
        app.eval("return document.body.innerText + document.documentElement.outerHTML;");
    assert!(
        !page_text.as_str().unwrap().contains("right-key"),
        "the key is nowhere in the page"
    );
    assert_eq!(
        app.attr(&app.wait_for("#profile-key"), "value")
            .unwrap_or_default(),
        "",
        "the field was emptied"
    );
    app.screenshot("saved");

    // Switch to it: the top bar follows, Simulation gives way to Online.
    app.click(&app.wait_for("#profile-table tr.profile-row:nth-child(2) .row-actions button"));
    app.wait_text("#connection-chip", "Online against the new server", |t| {
        t == "Online"
    });
    app.screenshot("switched");
    drop(app);
    drop(server);
}
