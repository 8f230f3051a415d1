//! Background work that reports to the UI: the connection monitor and the demo seeding.

use std::time::Duration;

use hangar_api::ListParams;
use hangar_types::{ev, ConnectionChanged, ConnectionState, Event};
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::state::{now_ms, AppState, DEMO_ID};

/// Broadcasts a global event to every window; a failure is logged, never silent.
pub fn broadcast<R: Runtime, E: Event>(app: &AppHandle<R>, payload: E::Payload) {
    if let Err(error) = app.emit(E::NAME, payload) {
        if let Some(state) = app.try_state::<AppState>() {
            state.log.line(&format!("could not emit {}: {error}", E::NAME));
        }
    }
}

/// How often the connection is re-checked and re-broadcast.
const CHECK_EVERY: Duration = Duration::from_secs(3);
/// How often the idle search indexer looks for events to index.
const INDEX_IDLE_EVERY: Duration = Duration::from_secs(2);

async fn check(state: &AppState) -> (ConnectionState, String) {
    let profile = state.active_row();
    let client = match state.client() {
        Ok(c) => c,
        Err(e) => return (ConnectionState::Offline, e.message),
    };
    match tokio::time::timeout(
        Duration::from_secs(8),
        client.agents().list(&ListParams::limit(1)),
    )
    .await
    {
        Ok(Ok(_)) if profile.is_demo => (
            ConnectionState::Online,
            "Demo: a simulated API on this computer".into(),
        ),
        Ok(Ok(_)) => (
            ConnectionState::Online,
            format!("Connected to {}", profile.base_url),
        ),
        Ok(Err(e)) if matches!(e.status(), Some(401 | 403)) => (
            ConnectionState::Offline,
            "The API rejected this profile's key".into(),
        ),
        Ok(Err(e)) => (
            ConnectionState::Offline,
            format!("Working offline from the cache: {e}"),
        ),
        Err(_) => (
            ConnectionState::Offline,
            "Working offline from the cache: the API did not answer".into(),
        ),
    }
}

/// Checks the active profile's connection periodically and broadcasts the result.
///
/// The UI reads the current value with `app_info` at start and then follows these events, so an
/// event sent before the UI listens is never needed.
pub fn spawn_connection_monitor<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        loop {
            let Some(state) = app.try_state::<AppState>() else {
                return;
            };
            let (status, detail) = check(&state).await;
            let next = ConnectionChanged {
                state: status,
                detail,
                checked_at_ms: now_ms(),
            };
            state.set_connection(next.clone());
            broadcast::<_, ev::ConnectionChanged>(&app, next);
            tokio::time::sleep(CHECK_EVERY).await;
        }
    });
}

/// Makes newly cached events searchable while the app is idle. The store indexes in large
/// batches (a search indexes whatever still waits, so nothing is ever missed); this keeps that
/// wait short, and after an upgrade works through the whole history a batch at a time,
/// releasing the cache between batches so the app stays responsive.
pub fn spawn_search_indexer<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        loop {
            let Some(state) = app.try_state::<AppState>() else {
                return;
            };
            let indexed = state
                .store()
                .index_pending(hangar_store::INDEX_BATCH as usize);
            let waiting = indexed.unwrap_or_else(|e| {
                state.log.line(&format!("search index: {e}"));
                0
            });
            let pause = if waiting > 0 {
                Duration::from_millis(50)
            } else {
                INDEX_IDLE_EVERY
            };
            tokio::time::sleep(pause).await;
        }
    });
}

/// Seeds the demo API with examples and follows its sessions into the cache.
pub fn spawn_demo_seed<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        let Some(state) = app.try_state::<AppState>() else {
            return;
        };
        let client = match state.demo.client() {
            Ok(c) => c,
            Err(e) => return state.log.line(&format!("demo: no client: {e}")),
        };
        let sessions = match crate::demo::seed(&client).await {
            Ok(s) => s,
            Err(e) => return state.log.line(&format!("demo: seeding failed: {e}")),
        };
        for id in sessions {
            match client
                .sessions()
                .retrieve(&id)
                .await
                .map(|s| serde_json::to_string(&s))
            {
                Ok(Ok(raw)) => {
                    if let Err(e) = state.store().upsert_session(DEMO_ID, &raw) {
                        state.log.line(&format!("demo: could not cache {id}: {e}"));
                        continue;
                    }
                    crate::commands::sessions::follow(
                        &app,
                        &state,
                        client.clone(),
                        DEMO_ID.into(),
                        id,
                    );
                }
                other => state
                    .log
                    .line(&format!("demo: could not read {id}: {other:?}")),
            }
        }
    });
}
