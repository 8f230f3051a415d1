#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on any error"
)]
//! The app frame: sidebar navigation, top bar, and both IPC directions in the real window.

use hangar_e2e::App;

#[test]
fn sidebar_navigates_every_page_and_backend_facts_show() {
    let app = App::launch("frame");
    // Sessions is the default page.
    app.wait_text("#page-sessions h1", "the Sessions heading", |t| {
        t == "Sessions"
    });
    app.screenshot("sessions");

    for (nav, page, heading) in [
        ("#nav-agents", "#page-agents h1", "Agents"),
        ("#nav-environments", "#page-environments h1", "Environments"),
        ("#nav-vaults", "#page-vaults h1", "Vaults"),
        ("#nav-usage", "#page-usage h1", "Usage"),
        ("#nav-settings", "#page-settings h1", "Settings"),
        ("#nav-sessions", "#page-sessions h1", "Sessions"),
    ] {
        let button = app.wait_for(nav);
        app.click(&button);
        app.wait_text(page, heading, |t| t == heading);
        assert_eq!(
            app.attr(&button, "aria-current").as_deref(),
            Some("page"),
            "{nav} is marked current"
        );
    }

    // Command direction: app_info's typed answer is rendered on the Settings page.
    app.click(&app.wait_for("#nav-settings"));
    app.wait_text("#app-version", "the version", |t| {
        t == env!("CARGO_PKG_VERSION")
    });
    let data_dir = app.wait_text("#data-dir", "the data directory", |t| {
        !t.is_empty() && t != "…"
    });
    assert_eq!(
        data_dir,
        app.data_dir.display().to_string(),
        "the app uses the data dir it was given"
    );
    app.screenshot("settings");

    // Event direction: the connection chip shows the state the backend broadcast (it sends a
    // change only when there is one; `the_demo_shows_its_seeded_sessions` sees the sessions list
    // follow `cache-changed` broadcasts).
    // In the Demo the chip says it is a simulation rather than Online, in its own colour.
    app.wait_text("#connection-chip", "Simulation", |t| t == "Simulation");
    let class = app
        .attr(&app.wait_for("#connection-chip"), "class")
        .unwrap_or_default();
    assert!(
        class.contains("simulation"),
        "the Demo chip has its own look: class {class:?}"
    );
}

#[test]
fn keyboard_shortcuts_switch_pages() {
    let app = App::launch("keys");
    app.wait_text("#page-sessions h1", "Sessions", |t| t == "Sessions");
    // Ctrl+3 → Environments, Ctrl+9 → Usage, Ctrl+0 → Settings (the last place). Real key
    // events through WebDriver's actions API.
    app.key_chord(&["\u{E009}", "3"]);
    app.wait_text("#page-environments h1", "Environments", |t| {
        t == "Environments"
    });
    app.key_chord(&["\u{E009}", "9"]);
    app.wait_text("#page-usage h1", "Usage", |t| t == "Usage");
    app.key_chord(&["\u{E009}", "0"]);
    app.wait_text("#page-settings h1", "Settings", |t| t == "Settings");
}

/// The number right before "tokens" in the row of `title` (element texts run together in
/// WebKit's text, as in "idle2413 tokens").
fn tokens_of(list: &str, title: &str) -> Option<(bool, u64)> {
    let row = list.split(title).nth(1)?.split("tokens").next()?;
    let digits: String = row
        .trim_end()
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect();
    let digits: String = digits.chars().rev().collect();
    Some((row.contains("idle"), digits.parse().ok()?))
}

#[test]
fn the_demo_shows_its_seeded_sessions() {
    let app = App::launch("demo");
    // The demo API is seeded at start and its sessions run; they land in the cache and the list.
    let list = app.wait_text("#session-list", "two demo sessions", |t| {
        t.contains("Quarterly revenue check") && t.contains("Order #1234")
    });
    assert!(list.contains("Data analyst · v1"), "{list}");
    // The analyst's turn runs to the end: idle, with the tokens it used.
    app.wait_text(
        "#session-list",
        "the analyst idle with its token usage",
        |t| matches!(tokens_of(t, "Quarterly revenue check"), Some((true, n)) if n > 0),
    );
    let selected = app.eval(
        "const s = document.getElementById('profile-switcher'); \
         return s.options[s.selectedIndex] ? s.options[s.selectedIndex].text : '';",
    );
    assert_eq!(
        selected.as_str(),
        Some("Demo (simulation)"),
        "the switcher shows the profile in use"
    );
    app.screenshot("sessions");
}
