//! `update_*` commands (issue 13): the update preferences and a check on demand. The check,
//! the question before installing and the install itself stay in the backend (`updater.rs`).

use hangar_types::{cmd, ErrorKind};

use super::{Input, Reply, Shared};
use crate::error::ShellError;

/// The stored update preferences.
#[tauri::command]
pub async fn update_prefs_get(state: Shared<'_>) -> Reply<cmd::UpdatePrefsGet> {
    Ok(crate::updater::load(&state.data_dir))
}

/// Stores new update preferences.
#[tauri::command]
pub async fn update_prefs_set(
    state: Shared<'_>,
    input: Input<cmd::UpdatePrefsSet>,
) -> Reply<cmd::UpdatePrefsSet> {
    crate::updater::save(&state.data_dir, input).map_err(|e| {
        ShellError::kind(
            ErrorKind::Internal,
            format!("Hangar could not save the update settings: {e}"),
        )
    })?;
    tracing::info!("update check at start-up: {}", input.check_on_start);
    Ok(crate::updater::load(&state.data_dir))
}

/// Checks the release feed now (answers at once; what was found is shown in a native dialog).
#[tauri::command]
pub async fn update_check<R: tauri::Runtime>(app: tauri::AppHandle<R>) -> Reply<cmd::UpdateCheck> {
    crate::updater::check_from_menu(app);
    Ok(())
}
