//! `session_*`, `transcript_*` and `sync_*` commands: start a session, follow it live (SSE →
//! cache → the view's channel), send messages, read the cached transcript, say which lists are on
//! screen.

use hangar_api::events::EventParams;
use hangar_api::sessions::{AgentRef, SessionCreate};
use hangar_store::Anchor;
use hangar_types::{
    cmd, CacheArea, LiveMessage, SessionFollowOutput, SessionListItem, SessionSummary, TailStatus,
    TranscriptAnchor, TranscriptOutput,
};
use tauri::ipc::Channel;

use super::{Input, Reply, Shared};
use crate::error::ShellError;
use crate::live::{ensure_tail, follow, stored_event, Linger, TailKey};

/// Starts a session with a first message and follows it.
#[tauri::command]
pub async fn session_start(
    state: Shared<'_>,
    input: Input<cmd::SessionStart>,
) -> Reply<cmd::SessionStart> {
    if input.message.trim().is_empty() {
        return Err(ShellError::invalid(
            "message",
            "Message: write what the agent should do.",
        ));
    }
    let (profile, client) = state.client().await?;
    let mut body = SessionCreate::new(
        AgentRef::Latest(input.agent_id.clone()),
        input.environment_id.clone(),
    );
    body.title = input.title.filter(|t| !t.trim().is_empty());
    let session = client.sessions().create(&body).await?;
    let raw = serde_json::to_string(&session)
        .map_err(|e| ShellError::kind(hangar_types::ErrorKind::Internal, e.to_string()))?;
    let profile_id = profile.id.clone();
    state
        .write(move |s| s.upsert_session(&profile_id, &raw))
        .await?;
    state.cache_changed(&profile.id, vec![CacheArea::Sessions]);
    // Attach first, then prompt: nothing the agent says can fall before the stream.
    ensure_tail(
        &state,
        TailKey::new(profile.id.clone(), session.id.clone()),
        client.clone(),
        Linger::ACTIVE,
    );
    client
        .sessions()
        .send_events(&session.id, &[EventParams::message(input.message)])
        .await?;
    tracing::info!("session {} started", session.id);
    Ok(SessionSummary {
        id: session.id,
        title: session.title,
        status: session.status.to_string(),
    })
}

/// Sends a message (never retried automatically: a retry could send it twice).
#[tauri::command]
pub async fn session_send(
    state: Shared<'_>,
    input: Input<cmd::SessionSend>,
) -> Reply<cmd::SessionSend> {
    if input.text.trim().is_empty() {
        return Err(ShellError::invalid("text", "Message: it is empty."));
    }
    let (profile, client) = state.client().await?;
    ensure_tail(
        &state,
        TailKey::new(profile.id, input.session_id.clone()),
        client.clone(),
        Linger::ACTIVE,
    );
    client
        .sessions()
        .send_events(&input.session_id, &[EventParams::message(input.text)])
        .await?;
    Ok(())
}

/// The active profile's cached sessions, newest first (offline too).
#[tauri::command]
pub async fn session_list(state: Shared<'_>) -> Reply<cmd::SessionList> {
    let profile = state.active_id();
    let page = state
        .read(move |s| {
            s.list_sessions(&profile, &hangar_store::SessionFilter::default(), None, 500)
        })
        .await?;
    Ok(page
        .rows
        .into_iter()
        .map(|r| SessionListItem {
            id: r.id.into(),
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

/// A page of a cached transcript, anywhere in it.
#[tauri::command]
pub async fn transcript_page(
    state: Shared<'_>,
    input: Input<cmd::TranscriptPage>,
) -> Reply<cmd::TranscriptPage> {
    let profile = state.active_id();
    let session = input.session_id.to_string();
    let anchor = match input.anchor {
        TranscriptAnchor::Start => Anchor::Start,
        TranscriptAnchor::End => Anchor::End,
        TranscriptAnchor::Before { cursor } => Anchor::Before(hangar_store::Cursor {
            at_us: cursor.at_us,
            seq: cursor.seq,
        }),
        TranscriptAnchor::After { cursor } => Anchor::After(hangar_store::Cursor {
            at_us: cursor.at_us,
            seq: cursor.seq,
        }),
        TranscriptAnchor::Event { id } => Anchor::Event(id.into_string()),
    };
    let limit = input.limit.clamp(1, 1000) as usize;
    let (page, (complete, _)) = state
        .read(move |s| {
            Ok((
                s.transcript_page(&profile, &session, &anchor, limit)?,
                s.sync_state(&profile, &session)?,
            ))
        })
        .await?;
    Ok(TranscriptOutput {
        first_index: page.first_index,
        total: page.total,
        history_complete: complete,
        events: page.events.into_iter().filter_map(stored_event).collect(),
    })
}

/// Streams a session to the caller's channel: the cached events after `after`, then every new
/// one as soon as it is cached, with text previews and the tail's state. Starts a tail when none
/// runs (unless the session has ended and its history is cached).
#[tauri::command]
pub async fn session_follow(
    state: Shared<'_>,
    input: Input<cmd::SessionFollow>,
    channel: Channel<LiveMessage>,
) -> Reply<cmd::SessionFollow> {
    let profile = state.active_row();
    let key = TailKey::new(profile.id.clone(), input.session_id.clone());
    let subscription = follow(&state, key.clone(), input.after, channel).await?;
    let (profile_id, session) = (profile.id.clone(), input.session_id.to_string());
    let (complete, status) = state
        .read(move |s| {
            Ok((
                s.sync_state(&profile_id, &session)?.0,
                s.session_status(&profile_id, &session)?,
            ))
        })
        .await?;
    let ended = status.as_deref() == Some("terminated");
    if !(ended && complete) {
        match state.client_for(&profile).await {
            Ok(client) => ensure_tail(&state, key.clone(), client, Linger::ACTIVE),
            Err(e) => tracing::info!("session {}: not followed live: {e}", key.session),
        }
    }
    let status = state.live.status(&key).unwrap_or(TailStatus::Stopped {
        reason: if ended {
            "The session has ended.".into()
        } else {
            "Not connected to the API.".into()
        },
        failed: false,
    });
    Ok(SessionFollowOutput {
        subscription,
        status,
    })
}

/// Stops streaming to a channel (the tail itself stops later, once nobody follows it).
#[tauri::command]
pub async fn session_unfollow(
    state: Shared<'_>,
    input: Input<cmd::SessionUnfollow>,
) -> Reply<cmd::SessionUnfollow> {
    state.live.unsubscribe(input.subscription);
    Ok(())
}

/// The lists on screen now: they refresh often while shown.
#[tauri::command]
pub async fn sync_watch(state: Shared<'_>, input: Input<cmd::SyncWatch>) -> Reply<cmd::SyncWatch> {
    state.sync.watch(&input.areas);
    Ok(())
}
