//! `profile_*` commands: profiles, their keys (in the keychain only) and switching.

use std::time::Duration;

use hangar_api::{ApiKey, Client, ClientConfig, ListParams, RetryPolicy};
use hangar_types::{
    ev, ErrorKind, IpcError, KeyCheck, ProfileIdInput, ProfileInput, ProfileSaveOutput,
    ProfileSummary,
};
use tauri::{AppHandle, Runtime, State};

use crate::events::broadcast;

use crate::error::{storage, CommandResult};
use crate::state::{AppState, DEMO_ID};

/// Every profile, Demo first.
#[tauri::command]
pub fn profile_list(state: State<'_, AppState>) -> CommandResult<Vec<ProfileSummary>> {
    state.profiles()
}

/// `https://…`, or `http://` to this computer only; no trailing slash.
pub fn normalize_base_url(raw: &str) -> Result<String, IpcError> {
    let url = raw.trim().trim_end_matches('/');
    let invalid = |why: &str| IpcError::new(ErrorKind::Invalid, format!("Base URL: {why}"));
    let rest = if let Some(r) = url.strip_prefix("https://") {
        r
    } else if let Some(r) = url.strip_prefix("http://") {
        let host = r.split(['/', ':']).next().unwrap_or("");
        if !matches!(host, "127.0.0.1" | "localhost" | "[::1]") {
            return Err(invalid(
                "use https:// (plain http:// is only allowed for this computer)",
            ));
        }
        r
    } else {
        return Err(invalid("it must start with https://"));
    };
    let host = rest.split(['/', ':']).next().unwrap_or("");
    if host.is_empty() || host.contains(' ') {
        return Err(invalid(
            "it needs a host name, like https://api.anthropic.com",
        ));
    }
    Ok(url.to_string())
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
    state: State<'_, AppState>,
    input: ProfileInput,
) -> CommandResult<ProfileSaveOutput> {
    let name = input.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 64 {
        return Err(IpcError::new(
            ErrorKind::Invalid,
            "Name: give the profile a name of 1 to 64 characters.",
        ));
    }
    if input.id.as_deref() == Some(DEMO_ID) {
        return Err(IpcError::new(
            ErrorKind::Invalid,
            "The Demo profile is built in and cannot be changed.",
        ));
    }
    let base_url = normalize_base_url(&input.base_url)?;
    let key = input
        .api_key
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_string);
    if let Some(k) = &key {
        state.log.protect(k);
        if k.chars().any(char::is_whitespace) || k.len() < 8 {
            return Err(IpcError::new(
                ErrorKind::Invalid,
                "API key: that does not look like a key (it is too short or contains spaces).",
            ));
        }
    }
    let id = input.id.clone().unwrap_or_else(new_profile_id);
    let check = match &key {
        Some(k) => check_key(&base_url, k).await,
        None => KeyCheck::NotChecked,
    };
    if let KeyCheck::Rejected { .. } = check {
        state
            .log
            .line(&format!("profile {id}: key rejected by {base_url}"));
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
    if let Some(k) = &key {
        state
            .keys
            .set(&id, k)
            .map_err(|e| IpcError::new(ErrorKind::Keychain, e.to_string()))?;
    }
    state
        .store()
        .upsert_profile(&id, &name, &base_url, false)
        .map_err(storage)?;
    state.log.line(&format!(
        "profile {id} saved ({base_url}), key check: {check:?}"
    ));
    let profile = state.summary(&id, &name, &base_url, false);
    if state.active_id() == id {
        broadcast::<_, ev::ProfileChanged>(&app, profile.clone());
    }
    Ok(ProfileSaveOutput { profile, check })
}

/// Switches the whole app to a profile.
#[tauri::command]
pub fn profile_select<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    input: ProfileIdInput,
) -> CommandResult<ProfileSummary> {
    let profile = state
        .profiles()?
        .into_iter()
        .find(|p| p.id == input.id)
        .ok_or_else(|| IpcError::new(ErrorKind::NotFound, "That profile no longer exists."))?;
    state.set_active(&profile.id)?;
    // Live tails belong to the old profile.
    for (_, tail) in state
        .tails
        .lock()
        .map(|mut t| std::mem::take(&mut *t))
        .unwrap_or_default()
    {
        tail.abort();
    }
    broadcast::<_, ev::ProfileChanged>(&app, profile.clone());
    Ok(profile)
}

/// Removes a profile, its key and its cached data.
#[tauri::command]
pub fn profile_remove<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    input: ProfileIdInput,
) -> CommandResult<()> {
    if input.id == DEMO_ID {
        return Err(IpcError::new(
            ErrorKind::Invalid,
            "The Demo profile is built in and cannot be removed.",
        ));
    }
    state
        .keys
        .delete(&input.id)
        .map_err(|e| IpcError::new(ErrorKind::Keychain, e.to_string()))?;
    state.store().delete_profile(&input.id).map_err(storage)?;
    if state.active_id() == input.id {
        state.set_active(DEMO_ID)?;
        broadcast::<_, ev::ProfileChanged>(&app, state.active_profile());
    }
    Ok(())
}

/// Forgets a profile's key; the profile stays.
#[tauri::command]
pub fn profile_forget_key(state: State<'_, AppState>, input: ProfileIdInput) -> CommandResult<()> {
    state
        .keys
        .delete(&input.id)
        .map_err(|e| IpcError::new(ErrorKind::Keychain, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::normalize_base_url;

    #[test]
    fn base_urls() {
        for (input, expect) in [
            (
                "https://api.anthropic.com",
                Some("https://api.anthropic.com"),
            ),
            (
                "  https://api.anthropic.com/ ",
                Some("https://api.anthropic.com"),
            ),
            ("http://127.0.0.1:8080", Some("http://127.0.0.1:8080")),
            ("http://localhost:3000/", Some("http://localhost:3000")),
            ("http://api.anthropic.com", None),
            ("api.anthropic.com", None),
            ("https://", None),
            ("ftp://x", None),
        ] {
            assert_eq!(normalize_base_url(input).ok().as_deref(), expect, "{input}");
        }
    }
}
