//! Settings › Updates and the OS theme (issue 13). The backend owns the update check, the
//! question before installing and the install; this card only changes the preference and asks
//! for a check.

use hangar_types::{cmd, ev, UpdatePrefs};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::ipc;

/// The `data-theme` attribute value for a theme (the stylesheet keys its colours on it).
pub fn theme_attribute(dark: bool) -> &'static str {
    if dark {
        "dark"
    } else {
        "light"
    }
}

/// Follows the OS theme while the app runs: the backend forwards Tauri's theme events and the
/// document's `data-theme` follows (at start the CSS `prefers-color-scheme` already matches).
pub fn follow_os_theme() {
    spawn_local(async move {
        let _listening = ipc::listen::<ev::ThemeChanged>(|changed: hangar_types::ThemeChanged| {
            if let Some(root) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
            {
                let _set = root.set_attribute("data-theme", theme_attribute(changed.dark));
            }
        })
        .await;
    });
}

/// The Updates card of Settings.
#[component]
pub fn UpdatesCard() -> impl IntoView {
    let prefs = RwSignal::new(None::<UpdatePrefs>);
    let message = RwSignal::new(None::<String>);
    spawn_local(async move {
        match ipc::invoke::<cmd::UpdatePrefsGet>(&()).await {
            Ok(p) => prefs.set(Some(p)),
            Err(e) => message.set(Some(e.message)),
        }
    });
    let toggle = move |_| {
        let Some(current) = prefs.get_untracked() else {
            return;
        };
        let wanted = UpdatePrefs {
            check_on_start: !current.check_on_start,
        };
        spawn_local(async move {
            match ipc::invoke::<cmd::UpdatePrefsSet>(&wanted).await {
                Ok(p) => {
                    prefs.set(Some(p));
                    message.set(Some(if p.check_on_start {
                        "Hangar checks for updates when it starts.".into()
                    } else {
                        "Hangar no longer checks for updates by itself.".into()
                    }));
                }
                Err(e) => message.set(Some(e.message)),
            }
        });
    };
    let check = move |_| {
        spawn_local(async move {
            match ipc::invoke::<cmd::UpdateCheck>(&()).await {
                Ok(()) => message.set(Some(
                    "Checking… Hangar asks before installing anything it finds.".into(),
                )),
                Err(e) => message.set(Some(e.message)),
            }
        });
    };
    view! {
        <div class="card" id="updates-card">
            <h2>"Updates"</h2>
            <label class="check-row">
                <input type="checkbox" id="updates-on-start"
                    prop:checked=move || prefs.get().is_some_and(|p| p.check_on_start)
                    disabled=move || prefs.get().is_none()
                    on:change=toggle />
                "Check for updates when Hangar starts"
            </label>
            <p class="muted">"Updates come from Hangar's release page, signed by its developers; Hangar verifies the signature and asks before installing."</p>
            <div class="actions">
                <button type="button" id="updates-check" on:click=check>"Check for updates"</button>
            </div>
            {move || message.get().map(|m| view! { <p class="result" id="updates-result" role="status">{m}</p> })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_theme_attribute_names_the_theme() {
        assert_eq!(theme_attribute(true), "dark");
        assert_eq!(theme_attribute(false), "light");
    }
}
