//! Updates (issue 13), owned by the backend: Tauri's updater plugin reads the release feed
//! (`plugins.updater.endpoints` in tauri.conf.json), verifies the download against the public key
//! there (minisign; a download whose signature does not verify is refused by the plugin), and
//! nothing is installed before the user says so in a native dialog.
//!
//! A setting turns the check at start-up off (`updates.json` in the data dir, written by the
//! `update_settings_set` command); Help › Check for Updates… always checks. Launches with
//! `--data-dir` (tests, portable use) never check on their own.

use std::path::{Path, PathBuf};

use hangar_types::UpdatePrefs;
use tauri::{Manager, Runtime};
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};
use tauri_plugin_updater::UpdaterExt;

/// The preferences file in `data_dir`.
pub fn prefs_path(data_dir: &Path) -> PathBuf {
    data_dir.join("updates.json")
}

/// The stored preferences (defaults when none are stored or the file is unreadable).
pub fn load(data_dir: &Path) -> UpdatePrefs {
    std::fs::read_to_string(prefs_path(data_dir))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

/// Stores the preferences.
pub fn save(data_dir: &Path, prefs: UpdatePrefs) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(&prefs).map_err(std::io::Error::other)?;
    std::fs::write(prefs_path(data_dir), text)
}

/// The question asked before anything is installed.
pub fn install_question(current: &str, found: &str, notes: &str) -> String {
    let notes = notes.trim();
    let mut text = format!("Hangar {found} is available (you have {current}).");
    if !notes.is_empty() {
        text.push_str("\n\n");
        text.push_str(notes);
    }
    text.push_str("\n\nInstall it now? Hangar restarts when the update is installed.");
    text
}

/// Checks the feed; with `ask`, asks before installing, then installs and restarts. `quiet`
/// (the start-up check) says nothing when there is no update or the feed cannot be reached.
pub async fn check_and_offer<R: Runtime>(app: tauri::AppHandle<R>, quiet: bool) {
    let current = app.package_info().version.to_string();
    let update = match app.updater() {
        Ok(updater) => updater.check().await,
        Err(e) => Err(e),
    };
    match update {
        Ok(Some(update)) => {
            let question = install_question(
                &current,
                &update.version,
                update.body.as_deref().unwrap_or(""),
            );
            let yes = app
                .dialog()
                .message(question)
                .title("Update available")
                .kind(MessageDialogKind::Info)
                .buttons(MessageDialogButtons::OkCancelCustom(
                    "Install and Restart".into(),
                    "Later".into(),
                ))
                .blocking_show();
            if !yes {
                tracing::info!("update {} declined", update.version);
                return;
            }
            tracing::info!("installing update {}", update.version);
            // The plugin verifies the signature before installing; a bad one is an error here.
            match update.download_and_install(|_, _| {}, || {}).await {
                Ok(()) => app.restart(),
                Err(error) => {
                    tracing::warn!("update failed: {error}");
                    app.dialog()
                        .message(format!("The update could not be installed: {error}"))
                        .title("Update failed")
                        .kind(MessageDialogKind::Error)
                        .blocking_show();
                }
            }
        }
        Ok(None) => {
            tracing::info!("no update (Hangar {current} is the newest)");
            if !quiet {
                app.dialog()
                    .message(format!("Hangar {current} is the newest version."))
                    .title("No update")
                    .blocking_show();
            }
        }
        Err(error) => {
            tracing::info!("update check failed: {error}");
            if !quiet {
                app.dialog()
                    .message(format!("Hangar could not check for updates: {error}"))
                    .title("Update check failed")
                    .kind(MessageDialogKind::Warning)
                    .blocking_show();
            }
        }
    }
}

/// Managed when the updater plugin is registered (the real app; the tests' mock app has none).
#[derive(Debug)]
pub struct Registered;

/// Help › Check for Updates… and the `update_check` command.
pub fn check_from_menu<R: Runtime>(app: tauri::AppHandle<R>) {
    if app.try_state::<Registered>().is_none() {
        tracing::info!("update check asked for, but this build has no updater");
        return;
    }
    tauri::async_runtime::spawn(check_and_offer(app, false));
}

/// The start-up check, when the preference allows it.
pub fn check_on_start<R: Runtime>(app: &tauri::AppHandle<R>, data_dir: &Path) {
    if app.try_state::<Registered>().is_none() {
        return;
    }
    if !load(data_dir).check_on_start {
        tracing::info!("update check at start-up is off");
        return;
    }
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        // Let the window paint first.
        tokio::time::sleep(std::time::Duration::from_secs(5)).await;
        check_and_offer(app, true).await;
    });
}

/// Registers the updater plugin on the real app (not on the test runtime).
pub fn plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R, tauri_plugin_updater::Config> {
    tauri_plugin_updater::Builder::new().build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preferences_default_on_and_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path()), UpdatePrefs::default());
        assert!(load(dir.path()).check_on_start);
        save(
            dir.path(),
            UpdatePrefs {
                check_on_start: false,
            },
        )
        .unwrap();
        assert!(!load(dir.path()).check_on_start);
        std::fs::write(prefs_path(dir.path()), "not json").unwrap();
        assert!(load(dir.path()).check_on_start, "unreadable: defaults");
    }

    #[test]
    fn the_question_names_both_versions_and_the_restart() {
        let q = install_question("0.1.0", "0.2.0", "  Faster search.\n");
        assert!(q.starts_with("Hangar 0.2.0 is available (you have 0.1.0)."));
        assert!(q.contains("\n\nFaster search.\n\n"));
        assert!(q.ends_with("Hangar restarts when the update is installed."));
        assert!(!install_question("1", "2", "").contains("\n\n\n"));
    }

    /// The root config carries a feed and a public key, and the feed is HTTPS.
    #[test]
    fn the_config_has_a_feed_and_a_key() {
        let config: serde_json::Value =
            serde_json::from_str(include_str!("../../tauri.conf.json")).unwrap();
        let updater = &config["plugins"]["updater"];
        let key = updater["pubkey"].as_str().unwrap();
        // base64 of "untrusted comment: minisign public key" (a minisign public key file).
        assert!(
            key.starts_with("dW50cnVzdGVkIGNvbW1lbnQ6IG1pbmlzaWduIHB1YmxpYyBrZXk6"),
            "{key}"
        );
        for endpoint in updater["endpoints"].as_array().unwrap() {
            assert!(
                endpoint.as_str().unwrap().starts_with("https://"),
                "{endpoint}"
            );
        }
        assert!(
            config.get("version").is_none(),
            "the version is the workspace's"
        );
    }
}
