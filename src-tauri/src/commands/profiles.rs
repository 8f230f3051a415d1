//! `profile_*` commands: profiles, their keys (in the keychain only) and switching.

use std::time::Duration;

use hangar_api::{ApiKey, Client, ClientConfig, ListParams, RetryPolicy};
use hangar_types::{cmd, ev, validate, ErrorKind, KeyCheck, ProfileSaveOutput, ProfileSummary};
use tauri::{AppHandle, Runtime};

use super::{Input, Reply, Shared};
use crate::error::ShellError;
use crate::events::broadcast;
use crate::state::DEMO_ID;

/// Every profile, Demo first.
#[tauri::command]
pub async fn profile_list(state: Shared<'_>) -> Reply<cmd::ProfileList> {
    Ok(state.profiles().await)
}

/// One cheap authenticated call: list one agent.
async fn check_key(base_url: &str, key: &str) -> KeyCheck {
    let mut config = ClientConfig::with_base_url(base_url, ApiKey::new(key));
    config.retry = RetryPolicy {
        max_retries: 0,
        ..RetryPolicy::default()
    };
    config.timeout = Duration::from_secs(15);
    let client = match Client::new(config) {
        Ok(c) => c,
        Err(e) => {
            return KeyCheck::Rejected {
                message: e.to_string(),
            }
        }
    };
    match client.agents().list(&ListParams::limit(1)).await {
        Ok(_) => KeyCheck::Accepted,
        Err(e) => match e.api() {
            Some(a) if matches!(a.status, 401 | 403) => KeyCheck::Rejected {
                message: a.message.clone(),
            },
            Some(a) => KeyCheck::Unreachable {
                message: format!("the API answered HTTP {}: {}", a.status, a.message),
            },
            None => KeyCheck::Unreachable {
                message: e.to_string(),
            },
        },
    }
}

fn new_profile_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("prof_{:x}", nanos ^ u128::from(std::process::id()))
}

/// Adds or changes a profile. A new key is checked against the API first: a rejected key is
/// not kept; an unreachable API keeps it and says so (the user may discard it).
#[tauri::command]
pub async fn profile_save<R: Runtime>(
    app: AppHandle<R>,
    state: Shared<'_>,
    input: Input<cmd::ProfileSave>,
) -> Reply<cmd::ProfileSave> {
    // The same checks the form runs as the person types (`hangar_types::validate`).
    let name = validate::profile_name(&input.name)
        .map_err(|m| ShellError::invalid("name", format!("Name: {m}")))?;
    if input.id.as_deref() == Some(DEMO_ID) {
        return Err(ShellError::invalid(
            "name",
            "The Demo profile is built in and cannot be changed.",
        ));
    }
    let base_url = validate::base_url(&input.base_url)
        .map_err(|m| ShellError::invalid("baseUrl", format!("Server: {m}")))?;
    let key = match input.api_key.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(k) => {
            crate::log::protect(k);
            Some(
                validate::api_key(k)
                    .map_err(|m| ShellError::invalid("apiKey", format!("API key: {m}")))?,
            )
        }
    };
    let id = input.id.clone().unwrap_or_else(new_profile_id);
    let check = match &key {
        Some(k) => check_key(&base_url, k).await,
        None => KeyCheck::NotChecked,
    };
    if let KeyCheck::Rejected { .. } = check {
        tracing::info!("profile {id}: key rejected by {base_url}");
        let profile = ProfileSummary {
            id: input.id.unwrap_or_default(),
            name,
            is_demo: false,
            base_url,
            key_hint: None,
            key_problem: None,
        };
        return Ok(ProfileSaveOutput { profile, check });
    }
    if let Some(k) = key {
        let keys = state.keys.clone();
        let account = id.clone();
        tokio::task::spawn_blocking(move || keys.set(&account, &k)).await??;
    }
    let (row_id, row_name, row_url) = (id.clone(), name.clone(), base_url.clone());
    state
        .write(move |s| s.upsert_profile(&row_id, &row_name, &row_url, false))
        .await?;
    state.forget_profile_key(&id);
    state.reload_profiles().await?;
    tracing::info!("profile {id} saved ({base_url}), key check: {check:?}");
    let row = state
        .profile_rows()
        .into_iter()
        .find(|p| p.id == id)
        .ok_or_else(|| ShellError::kind(ErrorKind::Internal, "the saved profile vanished"))?;
    let profile = state.summary(&row).await;
    if state.active_id() == id {
        // Its address or key may have changed: stop its tails, check again, refresh.
        state.live.stop_profile(&id, "The profile changed.");
        state.monitor.wake();
        state.sync.wake();
        broadcast::<_, ev::ProfileChanged>(&app, profile.clone());
    }
    Ok(ProfileSaveOutput { profile, check })
}

/// Switches the whole app to a profile: the old profile's tails stop, the new one is checked
/// and refreshed at once.
#[tauri::command]
pub async fn profile_select<R: Runtime>(
    app: AppHandle<R>,
    state: Shared<'_>,
    input: Input<cmd::ProfileSelect>,
) -> Reply<cmd::ProfileSelect> {
    let row = state
        .profile_rows()
        .into_iter()
        .find(|p| p.id == input.id)
        .ok_or_else(|| ShellError::kind(ErrorKind::NotFound, "That profile no longer exists."))?;
    let previous = state.active_id();
    state.set_active(&row.id).await?;
    if previous != row.id {
        state
            .live
            .stop_profile(&previous, "Switched to another profile.");
    }
    state.monitor.wake();
    state.sync.wake();
    let profile = state.summary(&row).await;
    broadcast::<_, ev::ProfileChanged>(&app, profile.clone());
    Ok(profile)
}

/// Removes a profile, its key and its cached data.
#[tauri::command]
pub async fn profile_remove<R: Runtime>(
    app: AppHandle<R>,
    state: Shared<'_>,
    input: Input<cmd::ProfileRemove>,
) -> Reply<cmd::ProfileRemove> {
    if input.id == DEMO_ID {
        return Err(ShellError::invalid(
            "id",
            "The Demo profile is built in and cannot be removed.",
        ));
    }
    let keys = state.keys.clone();
    let account = input.id.clone();
    tokio::task::spawn_blocking(move || keys.delete(&account)).await??;
    state
        .live
        .stop_profile(&input.id, "The profile was removed.");
    let id = input.id.clone();
    state.write(move |s| s.delete_profile(&id)).await?;
    state.forget_profile_key(&input.id);
    state.reload_profiles().await?;
    if state.active_id() == input.id {
        state.set_active(DEMO_ID).await?;
        state.monitor.wake();
        state.sync.wake();
        broadcast::<_, ev::ProfileChanged>(&app, state.active_profile().await);
    }
    Ok(())
}

/// Forgets a profile's key; the profile stays.
#[tauri::command]
pub async fn profile_forget_key(
    state: Shared<'_>,
    input: Input<cmd::ProfileForgetKey>,
) -> Reply<cmd::ProfileForgetKey> {
    let keys = state.keys.clone();
    let account = input.id.clone();
    tokio::task::spawn_blocking(move || keys.delete(&account)).await??;
    state.forget_profile_key(&input.id);
    state
        .live
        .stop_profile(&input.id, "The profile's key was removed.");
    Ok(())
}
