//! The one tauri.conf.json lives at the repository root (the customer asked for it there); this
//! build script points tauri-build at it and declares the app's own commands so that each gets an
//! `allow-<command>` permission and nothing else is reachable from the webview.

/// Must list exactly `hangar_types::commands::ALL`; a test in `src/lib.rs` checks that.
const COMMANDS: &[&str] = &[
    "app_info",
    "profile_list",
    "profile_save",
    "profile_select",
    "profile_remove",
    "profile_forget_key",
    "session_list",
    "session_start",
    "session_send",
    "transcript_page",
];

fn main() {
    println!("cargo:rerun-if-changed=../tauri.conf.json");
    println!("cargo:rerun-if-changed=capabilities");
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        // A build script has no caller to return to: print the reason cargo shows and stop.
        eprintln!("tauri-build failed: {error:#}");
        std::process::exit(1);
    }
}
