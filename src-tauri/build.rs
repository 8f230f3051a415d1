//! The one tauri.conf.json lives at the repository root (the customer asked for it there); this
//! build script points tauri-build at it and declares the app's own commands so that each gets an
//! `allow-<command>` permission and nothing else is reachable from the webview.
//!
//! The command names come from the contract crate itself (`hangar_types::cmd::all()`), so they
//! are written exactly once. A test in `src/lib.rs` checks the capability file and the handler
//! list against the same list.

fn main() {
    println!("cargo:rerun-if-changed=../tauri.conf.json");
    println!("cargo:rerun-if-changed=capabilities");
    let commands: Vec<&'static str> = hangar_types::cmd::all().collect();
    let commands: &'static [&'static str] = Box::leak(commands.into_boxed_slice());
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(commands));
    if let Err(error) = tauri_build::try_build(attributes) {
        // A build script has no caller to return to: print the reason cargo shows and stop.
        eprintln!("tauri-build failed: {error:#}");
        std::process::exit(1);
    }
}
