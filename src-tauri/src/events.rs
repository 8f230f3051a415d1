//! Global events to the UI, and the background work that is not a tail or a sync: the idle
//! search indexer.

use std::sync::Arc;
use std::time::Duration;

use hangar_types::Event;
use tauri::{AppHandle, Emitter, Runtime};

use crate::state::AppState;

/// How often the idle search indexer looks for events to index.
const INDEX_IDLE_EVERY: Duration = Duration::from_secs(2);

/// Broadcasts a global event to every window; a failure is logged, never silent.
pub fn broadcast<R: Runtime, E: Event>(app: &AppHandle<R>, payload: E::Payload) {
    if let Err(error) = app.emit(E::NAME, payload) {
        tracing::warn!("could not emit {}: {error}", E::NAME);
    }
}

/// Makes newly cached events searchable while the app is idle. The store indexes in large
/// batches (a search indexes whatever still waits, so nothing is ever missed); this keeps that
/// wait short, and after an upgrade works through the whole history a batch at a time,
/// releasing the cache between batches. It runs on the blocking pool and only ever holds the
/// writing connection: reads never wait for it.
pub fn spawn_search_indexer(state: Arc<AppState>) {
    tauri::async_runtime::spawn(async move {
        // Nothing wakes the indexer early; it only stops when the app quits.
        let never = tokio::sync::Notify::new();
        loop {
            let worker = state.clone();
            let indexed = tokio::task::spawn_blocking(move || {
                worker
                    .writer_blocking()
                    .index_pending(hangar_store::INDEX_BATCH as usize)
            })
            .await;
            let waiting = match indexed {
                Ok(Ok(waiting)) => waiting,
                Ok(Err(e)) => {
                    tracing::warn!("search index: {e}");
                    0
                }
                Err(e) => {
                    tracing::error!("search index task: {e}");
                    0
                }
            };
            let pause = if waiting > 0 {
                Duration::from_millis(50)
            } else {
                INDEX_IDLE_EVERY
            };
            if !state.pause(pause, &never).await {
                return;
            }
        }
    });
}
