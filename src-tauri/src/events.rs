//! Global events the backend broadcasts to the UI.

use std::time::Duration;

use hangar_types::{events, ConnectionChanged};
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::state::{now_ms, AppState};

/// How often the connection is re-checked and re-broadcast.
const CHECK_EVERY: Duration = Duration::from_secs(3);

/// Checks the connection of the active profile periodically and broadcasts the result.
///
/// The UI reads the current value with `app_info` at start and then follows these events, so an
/// event sent before the UI listens is never needed.
pub fn spawn_connection_monitor<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(CHECK_EVERY).await;
            let Some(state) = app.try_state::<AppState>() else {
                return;
            };
            let current = state.connection();
            let next = ConnectionChanged {
                checked_at_ms: now_ms(),
                ..current
            };
            state.set_connection(next.clone());
            if let Err(error) = app.emit(events::CONNECTION_CHANGED, next) {
                eprintln!(
                    "hangar: could not emit {}: {error}",
                    events::CONNECTION_CHANGED
                );
            }
        }
    });
}
