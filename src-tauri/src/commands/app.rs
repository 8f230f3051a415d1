//! `app_*` commands: facts about the app itself.

use hangar_types::AppInfo;
use tauri::State;

use crate::error::CommandResult;
use crate::state::AppState;

/// Version, data directory, active profile and connection state.
#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> CommandResult<AppInfo> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        data_dir: state.data_dir.display().to_string(),
        profile: state.active_profile(),
        connection: state.connection(),
    })
}
