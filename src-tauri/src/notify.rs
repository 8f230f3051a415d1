//! Desktop notifications (issue 12) for sessions nobody is looking at: a turn finished, a tool
//! waits for a confirmation or a custom tool for an answer, an error. They name the session and
//! the tool, never what the transcript says. Each kind can be turned off in Settings.
//!
//! "Nobody is looking" means no view follows the session, or the window is in the background.
//! Every request is logged (`notification requested: …`, no content), and debug builds can
//! also append it to a file (`--e2e-notifications=FILE`) so the end-to-end suite can check it.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use hangar_types::model::events::{EventKind, SessionEvent, StopReason};
use hangar_types::NotifySettings;

use tauri::{AppHandle, Runtime};

use crate::live::TailKey;
use crate::state::AppState;

/// The settings key of each kind.
const KEYS: [&str; 3] = ["notify.turn_end", "notify.waiting", "notify.errors"];

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The turn ended.
    TurnEnd,
    /// Waiting on the person.
    Waiting,
    /// An error.
    Error,
}

/// One notification, as shown.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Notification {
    /// The session it is about.
    pub session_id: String,
    /// The session's title.
    pub title: String,
    /// What happened, naming the tool at most.
    pub body: String,
    /// Its kind, for the settings and the log.
    #[serde(skip)]
    pub kind: Kind,
}

type Show = Box<dyn Fn(&Notification) + Send + Sync>;

static SHOW: OnceLock<Show> = OnceLock::new();
static RECORD: OnceLock<PathBuf> = OnceLock::new();

/// Sets how notifications reach the OS (once, in setup).
pub fn set_show(show: Show) {
    if SHOW.set(show).is_err() {
        tracing::warn!("the notification sink was set twice; keeping the first");
    }
}

/// Debug builds: also append every request to `path` as a JSON line.
pub fn record_to(path: PathBuf) {
    if cfg!(debug_assertions) && RECORD.set(path).is_ok() {
        tracing::warn!("notifications are recorded to a file (test mode)");
    }
}

/// The notification an event calls for, if any (before the settings and the title).
pub fn kind_of(event: &SessionEvent) -> Option<(Kind, String)> {
    match &event.kind {
        EventKind::SessionStatusIdle {
            stop_reason: StopReason::EndTurn,
            ..
        } => Some((Kind::TurnEnd, "Finished its turn.".into())),
        EventKind::AgentToolUse {
            name,
            evaluated_permission: Some(p),
            ..
        } if p == "ask" => Some((
            Kind::Waiting,
            format!("Waiting for you to allow or deny the {name} tool."),
        )),
        EventKind::AgentCustomToolUse { name, .. } => Some((
            Kind::Waiting,
            format!("Waiting for your answer to the {name} tool."),
        )),
        EventKind::SessionError { .. } => Some((Kind::Error, "Stopped with an error.".into())),
        _ => None,
    }
}

fn allowed(settings: &NotifySettings, kind: Kind) -> bool {
    match kind {
        Kind::TurnEnd => settings.turn_end,
        Kind::Waiting => settings.waiting,
        Kind::Error => settings.errors,
    }
}

/// Reads the settings from the cache's settings table.
pub fn read_settings(store: &hangar_store::Store) -> hangar_store::Result<NotifySettings> {
    let on = |key: &str| -> hangar_store::Result<bool> {
        Ok(store.setting(key)?.as_deref() != Some("off"))
    };
    Ok(NotifySettings {
        turn_end: on(KEYS[0])?,
        waiting: on(KEYS[1])?,
        errors: on(KEYS[2])?,
    })
}

/// Writes the settings.
pub fn write_settings(
    store: &hangar_store::Store,
    settings: NotifySettings,
) -> hangar_store::Result<()> {
    for (key, on) in KEYS
        .iter()
        .zip([settings.turn_end, settings.waiting, settings.errors])
    {
        store.set_setting(key, if on { "on" } else { "off" })?;
    }
    Ok(())
}

/// Called with each burst of new events of `key` once stored: notifies when nobody is looking.
pub fn after_burst<'a>(
    state: &Arc<AppState>,
    key: &TailKey,
    events: impl Iterator<Item = &'a SessionEvent>,
) {
    let wanted: Vec<(Kind, String)> = events.filter_map(kind_of).collect();
    if wanted.is_empty() {
        return;
    }
    let looking = state.live.followers(key) > 0 && state.sync.is_focused();
    if looking {
        return;
    }
    let state = state.clone();
    let key = key.clone();
    tauri::async_runtime::spawn(async move {
        let (profile, session) = (key.profile.clone(), key.session.to_string());
        let read = state
            .read(move |s| Ok((read_settings(s)?, s.session_raw(&profile, &session)?)))
            .await;
        let (settings, raw) = match read {
            Ok(found) => found,
            Err(e) => {
                tracing::warn!("notification skipped: {e}");
                return;
            }
        };
        let title = raw
            .and_then(|r| serde_json::from_str::<serde_json::Value>(&r).ok())
            .and_then(|v| v.get("title").and_then(|t| t.as_str()).map(String::from))
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| "Untitled session".into());
        // One per burst and kind: a burst that ends a turn and asks for a tool says the latter.
        let mut shown: Vec<Kind> = Vec::new();
        for (kind, body) in wanted.into_iter().rev() {
            if shown.contains(&kind) || !allowed(&settings, kind) {
                continue;
            }
            shown.push(kind);
            if kind == Kind::TurnEnd && shown.contains(&Kind::Waiting) {
                continue;
            }
            request(Notification {
                session_id: key.session.to_string(),
                title: title.clone(),
                body,
                kind,
            });
        }
    });
}

/// Makes notifications reach the OS. Registered by the desktop app only ([`crate::desktop`]):
/// the backend's tests record them and show nothing.
pub fn os_display_plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri::plugin::Builder::new("hangar-notify")
        .setup(|app, _api| {
            let app = app.clone();
            set_show(Box::new(move |n| show_on_os(&app, n)));
            Ok(())
        })
        .build()
}

/// Linux: through the desktop's notification service, with a default action, so that a click
/// opens the session (the plugin cannot report clicks there).
#[cfg(target_os = "linux")]
fn show_on_os<R: Runtime>(app: &AppHandle<R>, n: &Notification) {
    let app = app.clone();
    let n = n.clone();
    // Waiting for the click blocks until the notification closes: its own thread.
    let spawned = std::thread::Builder::new()
        .name("notification".into())
        .spawn(move || {
            let shown = notify_rust::Notification::new()
                .appname("Hangar")
                .summary(&n.title)
                .body(&n.body)
                .action("default", "Open")
                .show();
            match shown {
                Ok(handle) => handle.wait_for_action(|action| {
                    if action == "default" {
                        open_from_click(&app, &n.session_id);
                    }
                }),
                Err(e) => tracing::warn!("the desktop notification could not be shown: {e}"),
            }
        });
    if let Err(e) = spawned {
        tracing::warn!("the desktop notification could not be shown: {e}");
    }
}

/// macOS and Windows: through Tauri's notification plugin.
#[cfg(not(target_os = "linux"))]
fn show_on_os<R: Runtime>(app: &AppHandle<R>, n: &Notification) {
    use tauri_plugin_notification::NotificationExt;
    let shown = app
        .notification()
        .builder()
        .title(&n.title)
        .body(&n.body)
        .show();
    if let Err(e) = shown {
        tracing::warn!("the desktop notification could not be shown: {e}");
    }
}

/// A click on the notification about `session_id`: the window comes to the front and opens it.
#[cfg_attr(
    not(target_os = "linux"),
    allow(dead_code, reason = "the plugin reports no clicks on this platform")
)]
fn open_from_click<R: Runtime>(app: &AppHandle<R>, session_id: &str) {
    tracing::info!("notification clicked: opening session {session_id}");
    crate::focus_main(app);
    crate::events::broadcast::<_, hangar_types::ev::NotificationClicked>(
        app,
        hangar_types::NotificationClicked {
            session_id: session_id.into(),
        },
    );
}

fn request(notification: Notification) {
    tracing::info!(
        "notification requested: {:?} for session {} “{}”",
        notification.kind,
        notification.session_id,
        notification.title
    );
    if let Some(path) = RECORD.get() {
        use std::io::Write;
        let line = serde_json::to_string(&notification).unwrap_or_default();
        let written = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .and_then(|mut f| writeln!(f, "{line}"));
        if let Err(e) = written {
            tracing::warn!("could not record a notification: {e}");
        }
    }
    if let Some(show) = SHOW.get() {
        show(&notification);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly")]

    use super::*;

    fn kind(raw: &str) -> Option<(Kind, String)> {
        kind_of(&SessionEvent::parse(raw).unwrap())
    }

    #[test]
    fn events_that_call_for_a_notification_name_the_tool_never_the_content() {
        assert_eq!(
            kind(r#"{"type":"session.status_idle","id":"a","stop_reason":{"type":"end_turn"}}"#),
            Some((Kind::TurnEnd, "Finished its turn.".into()))
        );
        assert_eq!(
            kind(
                r#"{"type":"agent.tool_use","id":"b","name":"bash","input":{"command":"rm -rf secret"},"evaluated_permission":"ask"}"#
            ),
            Some((
                Kind::Waiting,
                "Waiting for you to allow or deny the bash tool.".into()
            ))
        );
        assert_eq!(
            kind(
                r#"{"type":"agent.tool_use","id":"c","name":"bash","input":{},"evaluated_permission":"allow"}"#
            ),
            None
        );
        assert_eq!(
            kind(
                r#"{"type":"agent.custom_tool_use","id":"d","name":"lookup_order","input":{"q":"private"}}"#
            ),
            Some((
                Kind::Waiting,
                "Waiting for your answer to the lookup_order tool.".into()
            ))
        );
        assert!(matches!(
            kind(r#"{"type":"session.error","id":"e","error":{"type":"x","message":"private detail"}}"#),
            Some((Kind::Error, body)) if !body.contains("private")
        ));
        assert_eq!(
            kind(r#"{"type":"agent.message","id":"f","content":[]}"#),
            None
        );
    }

    #[test]
    fn settings_default_on_and_round_trip() {
        let store = hangar_store::Store::open_in_memory().unwrap();
        assert_eq!(read_settings(&store).unwrap(), NotifySettings::default());
        let off = NotifySettings {
            turn_end: false,
            waiting: true,
            errors: false,
        };
        write_settings(&store, off).unwrap();
        assert_eq!(read_settings(&store).unwrap(), off);
        assert!(!allowed(&off, Kind::TurnEnd) && allowed(&off, Kind::Waiting));
    }
}
