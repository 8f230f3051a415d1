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

/// Starts a session from the New session dialog (agent and version, environment, vaults,
/// repository, files, budget, title, first message) and follows it.
#[tauri::command]
pub async fn session_start(
    state: Shared<'_>,
    input: Input<cmd::SessionStart>,
) -> Reply<cmd::SessionStart> {
    if let Some((field, message)) = input.problems().into_iter().next() {
        return Err(ShellError::invalid(field, message));
    }
    let (profile, client) = state.client().await?;
    let body = create_body(&state, &profile.id, &input).await?;
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

/// The keychain entry of a remembered repository token.
fn repository_key(profile: &str, url: &str) -> String {
    format!(
        "{profile}/github/{}",
        url.trim_end_matches('/').to_ascii_lowercase()
    )
}

/// The API's create body for the dialog's input. A repository token is registered with the
/// log's redaction, remembered in the keychain only when asked, and taken from there when the
/// field was left empty.
async fn create_body(
    state: &std::sync::Arc<crate::state::AppState>,
    profile: &str,
    input: &hangar_types::SessionStartInput,
) -> Result<SessionCreate, ShellError> {
    use hangar_api::sessions::{Checkout, ResourceParams};
    use hangar_types::model::common::{Budget, Money, Secret};
    let agent = match input.agent_version {
        Some(version) => AgentRef::pinned(input.agent_id.clone(), version),
        None => AgentRef::Latest(input.agent_id.clone()),
    };
    let mut body = SessionCreate::new(agent, input.environment_id.clone());
    body.title = input
        .title
        .as_ref()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    body.vault_ids = input.vault_ids.clone();
    if let Some(repo) = &input.repository {
        let url = hangar_types::validate::repository_url(&repo.url)
            .map_err(|e| ShellError::invalid("repositoryUrl", e))?;
        let key = repository_key(profile, &url);
        let typed = repo
            .token
            .as_ref()
            .map(|t| t.expose().trim().to_string())
            .filter(|t| !t.is_empty());
        let token = match typed {
            Some(token) => {
                crate::log::protect(&token);
                if repo.remember_token {
                    let (keys, key, token) = (state.keys.clone(), key.clone(), token.clone());
                    tokio::task::spawn_blocking(move || keys.set(&key, &token)).await??;
                }
                Some(token)
            }
            None => {
                let keys = state.keys.clone();
                let remembered = tokio::task::spawn_blocking(move || keys.get(&key)).await??;
                if let Some(token) = &remembered {
                    crate::log::protect(token);
                }
                remembered
            }
        };
        let branch = repo
            .branch
            .as_deref()
            .map(str::trim)
            .filter(|b| !b.is_empty());
        let commit = repo
            .commit
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        let checkout = match (branch, commit) {
            (Some(name), _) => Some(Checkout::Branch { name: name.into() }),
            (None, Some(sha)) => Some(Checkout::Commit {
                sha: sha.to_ascii_lowercase(),
            }),
            (None, None) => None,
        };
        body.resources.push(ResourceParams::GithubRepository {
            url,
            authorization_token: token.map(Secret::new),
            checkout,
            mount_path: repo
                .mount_path
                .as_deref()
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_string),
        });
    }
    for file in &input.files {
        body.resources.push(ResourceParams::File {
            file_id: file.file_id.clone(),
            mount_path: file
                .mount_path
                .as_deref()
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_string),
        });
    }
    if let Some(cents) = &input.budget_cents {
        body.budget = Some(Budget::Limit {
            max_list_cost: Money::new(cents.trim(), "USD"),
        });
    }
    Ok(body)
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
