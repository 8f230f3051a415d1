//! `session_*` and `transcript_*` commands: start a session, follow it live (SSE → cache → UI),
//! send messages, read the cached transcript.

use hangar_api::events::EventParams;
use hangar_api::sessions::{AgentRef, SessionCreate};
use hangar_api::tailer::{tail, TailOptions, TailUpdate};
use hangar_store::Anchor;
use hangar_types::{
    events, SessionEventPayload, SessionListItem, SessionSendInput, SessionStartInput,
    SessionSummary, TranscriptInput, TranscriptOutput,
};
use tauri::{AppHandle, Emitter, Manager, Runtime, State};

use crate::error::{api, storage, CommandResult};
use crate::state::AppState;

/// The most events written in one transaction while following a session.
const MAX_BURST: usize = 1000;

/// Follows `session_id`: every event is written to the cache first, then shown.
pub fn follow<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    client: hangar_api::Client,
    profile: String,
    session_id: String,
) {
    let handle = app.clone();
    let id = session_id.clone();
    let task = tauri::async_runtime::spawn(async move {
        let mut live = tail(client, id.clone(), TailOptions::default());
        while let Some(first) = live.next().await {
            // Take the whole burst that is already waiting (a page of history arrives as one)
            // and write it in one transaction: far cheaper than an event at a time.
            let mut burst = vec![first];
            while burst.len() < MAX_BURST {
                match live.try_next() {
                    Some(update) => burst.push(update),
                    None => break,
                }
            }
            let Some(state) = handle.try_state::<AppState>() else {
                return;
            };
            let events: Vec<_> = burst
                .iter()
                .filter_map(|u| match u {
                    TailUpdate::Event(event) => Some(event),
                    _ => None,
                })
                .collect();
            if !events.is_empty() {
                let raws: Vec<&str> = events.iter().map(|e| e.raw.as_str()).collect();
                let stored = state.store().ingest_events(&profile, &id, &raws);
                match stored {
                    Ok(_) => {
                        for event in &events {
                            let payload = SessionEventPayload {
                                session_id: id.clone(),
                                event_type: event.event_type.clone(),
                                raw: event.raw.clone(),
                            };
                            let _sent = handle.emit(events::SESSION_EVENT, payload);
                        }
                    }
                    Err(e) => state.log.line(&format!(
                        "session {id}: could not cache {} events: {e}",
                        raws.len()
                    )),
                }
            }
            for update in burst {
                match update {
                    TailUpdate::Failed(reason) => {
                        state
                            .log
                            .line(&format!("session {id}: live updates stopped: {reason}"));
                        return;
                    }
                    TailUpdate::Finished => return,
                    _ => {}
                }
            }
        }
    });
    if let Ok(mut tails) = state.tails.lock() {
        if let Some(old) = tails.insert(session_id, task) {
            old.abort();
        }
    }
}

/// Starts a session with a first message and follows it.
#[tauri::command]
pub async fn session_start<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    input: SessionStartInput,
) -> CommandResult<SessionSummary> {
    let client = state.client()?;
    let profile = state.active_id();
    let mut body = SessionCreate::new(AgentRef::Latest(input.agent_id), input.environment_id);
    body.title = input.title.filter(|t| !t.trim().is_empty());
    let session = client.sessions().create(&body).await.map_err(api)?;
    let raw = serde_json::to_string(&session).map_err(|e| {
        hangar_types::IpcError::new(hangar_types::ErrorKind::Internal, e.to_string())
    })?;
    state
        .store()
        .upsert_session(&profile, &raw)
        .map_err(storage)?;
    // Attach first, then prompt: nothing the agent says can fall before the stream.
    follow(&app, &state, client.clone(), profile, session.id.clone());
    client
        .sessions()
        .send_events(&session.id, &[EventParams::message(input.message)])
        .await
        .map_err(api)?;
    state.log.line(&format!("session {} started", session.id));
    Ok(SessionSummary {
        id: session.id,
        title: session.title,
        status: session.status,
    })
}

/// Sends a message (never retried automatically: a retry could send it twice).
#[tauri::command]
pub async fn session_send(
    state: State<'_, AppState>,
    input: SessionSendInput,
) -> CommandResult<()> {
    let client = state.client()?;
    client
        .sessions()
        .send_events(&input.session_id, &[EventParams::message(input.text)])
        .await
        .map_err(api)?;
    Ok(())
}

/// The active profile's cached sessions, newest first (offline too).
#[tauri::command]
pub fn session_list(state: State<'_, AppState>) -> CommandResult<Vec<SessionListItem>> {
    let page = state
        .store()
        .list_sessions(
            &state.active_id(),
            &hangar_store::SessionFilter::default(),
            None,
            500,
        )
        .map_err(storage)?;
    Ok(page
        .rows
        .into_iter()
        .map(|r| SessionListItem {
            id: r.id,
            title: r.title,
            status: r.status,
            agent_name: r.agent_name,
            agent_version: r.agent_version,
            created_at: r.created_at,
            archived: r.archived_at.is_some(),
            tokens: r.input_tokens + r.output_tokens,
        })
        .collect())
}

/// The first `limit` events of a cached transcript.
#[tauri::command]
pub fn transcript_page(
    state: State<'_, AppState>,
    input: TranscriptInput,
) -> CommandResult<TranscriptOutput> {
    let page = state
        .store()
        .transcript_page(
            &state.active_id(),
            &input.session_id,
            &Anchor::Start,
            input.limit.clamp(1, 1000) as usize,
        )
        .map_err(storage)?;
    Ok(TranscriptOutput {
        events: page.events.into_iter().map(|e| e.raw).collect(),
        total: page.total,
    })
}
