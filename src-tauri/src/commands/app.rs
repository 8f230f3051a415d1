//! `app_*` commands: facts about the app itself.

use hangar_types::{cmd, AppInfo};

use super::{Input, Reply, Shared};

/// Version, data directory, active profile and connection state.
#[tauri::command]
pub async fn app_info(state: Shared<'_>) -> Reply<cmd::AppInfo> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        data_dir: state.data_dir.display().to_string(),
        profile: state.active_profile().await,
        connection: state.connection(),
    })
}

/// A failure the UI caught (a panic, an answer it could not read): into the log.
#[tauri::command]
pub async fn app_report(input: Input<cmd::AppReport>) -> Reply<cmd::AppReport> {
    tracing::error!(target: "hangar::ui", "{}: {}", input.kind, input.message);
    Ok(())
}
