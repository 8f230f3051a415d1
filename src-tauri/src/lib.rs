//! Hangar's Tauri shell: a thin adapter between the webview and the core crates.
//!
//! The app is built generically over the Tauri runtime ([`build_app`]) so the tests below can
//! drive the real command handlers through Tauri's mock runtime, without a window.

mod commands;
#[cfg(feature = "demo")]
mod demo;
#[cfg(not(feature = "demo"))]
#[path = "demo_off.rs"]
mod demo;
mod error;
mod events;
pub mod keys;
mod live;
#[cfg(test)]
mod live_tests;
mod log;
// Release (issue 13): native menu, per-OS differences, updates.
pub mod menu;
mod monitor;
pub mod platform;
mod state;
mod sync;
// History (issue 12): desktop notifications.
mod notify;
#[cfg(any(test, feature = "test-support"))]
pub mod test_support;
pub mod updater;

use std::path::PathBuf;
use std::sync::Arc;

use hangar_types::{ev, CacheChanged};
use tauri::{Manager, Runtime};

pub use state::AppState;

/// How the app was launched: what the command line and the environment ask for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Launch {
    /// `--data-dir PATH` or `HANGAR_DATA_DIR`: where the cache lives. Default: the OS app data dir.
    pub data_dir: Option<PathBuf>,
}

impl Launch {
    /// Reads the command line (program name first) and the environment.
    pub fn from_args(args: impl IntoIterator<Item = String>, env_data_dir: Option<String>) -> Self {
        let mut launch = Launch {
            data_dir: env_data_dir.filter(|s| !s.is_empty()).map(PathBuf::from),
        };
        let mut args = args.into_iter().skip(1);
        while let Some(arg) = args.next() {
            if let Some(value) = arg.strip_prefix("--data-dir=") {
                launch.data_dir = Some(PathBuf::from(value));
            } else if arg == "--data-dir" {
                if let Some(value) = args.next() {
                    launch.data_dir = Some(PathBuf::from(value));
                }
            }
        }
        launch
    }
}

/// Registers state, commands and background tasks on `builder`; keys live in `keys`.
///
/// The handler list must name every command of `hangar_types::cmd::all()`; a test invokes each
/// one through the real capability file to prove it.
pub fn build_app<R: Runtime>(
    builder: tauri::Builder<R>,
    launch: Launch,
    keys: Arc<dyn keys::SecretStore>,
) -> tauri::Builder<R> {
    builder
        .invoke_handler(tauri::generate_handler![
            commands::app::app_info,
            commands::app::app_report,
            commands::profiles::profile_list,
            commands::profiles::profile_save,
            commands::profiles::profile_select,
            commands::profiles::profile_remove,
            commands::profiles::profile_forget_key,
            commands::sessions::session_list,
            commands::sessions::session_start,
            commands::sessions::session_send,
            commands::sessions::session_follow,
            commands::sessions::session_unfollow,
            commands::sessions::transcript_page,
            commands::sessions::sync_watch,
            // Configure (issue 10).
            commands::agents::agent_list,
            commands::agents::agent_get,
            commands::agents::agent_create,
            commands::agents::agent_update,
            commands::agents::agent_versions,
            commands::agents::agent_archive,
            commands::agents::agent_delete,
            commands::agents::agent_sessions,
            commands::agents::agent_export,
            commands::agents::agent_import,
            commands::environments::environment_list,
            commands::environments::environment_get,
            commands::environments::environment_create,
            commands::environments::environment_update,
            commands::environments::environment_archive,
            commands::environments::environment_delete,
            commands::vaults::vault_list,
            commands::vaults::vault_get,
            commands::vaults::vault_create,
            commands::vaults::vault_rename,
            commands::vaults::vault_archive,
            commands::vaults::vault_delete,
            commands::vaults::credential_create,
            commands::vaults::credential_update,
            commands::vaults::credential_archive,
            commands::vaults::credential_delete,
            commands::vaults::credential_test,
            commands::skills::skill_list,
            commands::skills::skill_versions,
            commands::skills::skill_upload,
            commands::skills::skill_delete,
            commands::files::file_list,
            commands::files::file_upload,
            commands::files::file_download,
            commands::files::file_delete,
            // Release (issue 13): update preferences and checks.
            commands::release::update_prefs_get,
            commands::release::update_prefs_set,
            commands::release::update_check,
            // Beyond the console: memory stores, schedules (issue 14).
            commands::memory::memory_store_list,
            commands::memory::memory_store_create,
            commands::memory::memory_store_rename,
            commands::memory::memory_store_archive,
            commands::memory::memory_store_delete,
            commands::memory::memory_list,
            commands::memory::memory_get,
            commands::memory::memory_create,
            commands::memory::memory_save,
            commands::memory::memory_delete,
            commands::memory::memory_versions,
            commands::memory::memory_version_redact,
            commands::deployments::deployment_list,
            commands::deployments::deployment_get,
            commands::deployments::deployment_create,
            commands::deployments::deployment_pause,
            commands::deployments::deployment_resume,
            commands::deployments::deployment_run_now,
            commands::deployments::deployment_archive,
            commands::sessions::session_define_outcome,
            commands::sessions::session_budget_raise,
            commands::usage::usage_report,
            commands::usage::usage_export,
            // History: sessions list, search, export/import, local data (issue 12).
            commands::history::history_sessions,
            commands::history::session_pin,
            commands::history::search_query,
            commands::history::session_export,
            commands::history::session_export_many,
            commands::history::session_import,
            commands::history::local_data_info,
            commands::history::cache_clear,
            commands::history::backup_create,
            commands::history::backup_restore,
            commands::history::notify_settings_get,
            commands::history::notify_settings_set,
            // Sessions and the live chat (issue 11).
            commands::chat::session_get,
            commands::chat::session_interrupt,
            commands::chat::session_confirm,
            commands::chat::session_tool_result,
            commands::chat::session_rename,
            commands::chat::session_archive,
            commands::chat::session_delete,
            commands::chat::link_open,
        ])
        // The OS file dialogs, opened by the backend only (configure, issue 10).
        .plugin(tauri_plugin_dialog::init())
        // Links from transcripts open in the OS browser, from the backend only, after the
        // person confirmed (issue 11); the webview has no opener permission.
        .plugin(tauri_plugin_opener::init())
        .setup(move |app| {
            let data_dir = match &launch.data_dir {
                Some(dir) => dir.clone(),
                None => app.path().app_data_dir()?,
            };
            std::fs::create_dir_all(&data_dir)?;
            let log = log::init(&data_dir.join("logs"))?;
            let state = Arc::new(AppState::open(data_dir, keys, log)?);
            tracing::info!(
                "Hangar {} started; data in {}",
                env!("CARGO_PKG_VERSION"),
                state.data_dir.display()
            );
            let handle = app.handle().clone();
            state.set_notifier(Arc::new(move |profile, areas| {
                events::broadcast::<_, ev::CacheChanged>(
                    &handle,
                    CacheChanged {
                        profile_id: profile.to_string(),
                        areas,
                    },
                )
            }));
            app.manage(state.clone());
            // Configure (issue 10): file dialogs; debug builds can answer them from a folder
            // (`--e2e-dialogs=DIR`) because the end-to-end suite cannot click a native dialog.
            let dialogs = commands::files::Dialogs::new(app.handle().clone());
            if let Some(dir) =
                std::env::args().find_map(|a| a.strip_prefix("--e2e-dialogs=").map(PathBuf::from))
            {
                dialogs.answer_from(dir);
            }
            app.manage(dialogs);
            // History (issue 12): desktop notifications; debug builds can record them to a
            // file (`--e2e-notifications=FILE`) for the end-to-end suite.
            if let Some(file) = std::env::args()
                .find_map(|a| a.strip_prefix("--e2e-notifications=").map(PathBuf::from))
            {
                notify::record_to(file);
            }
            // Issue 11: links open in the OS browser; debug builds can write them to a file
            // instead (`--e2e-links=FILE`) for the end-to-end suite.
            app.manage(commands::chat::Links::for_app(app.handle().clone()));
            lean_webview(app.handle());
            monitor::spawn(app.handle().clone(), state.clone());
            sync::spawn(state.clone());
            events::spawn_search_indexer(state);
            Ok(())
        })
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::Focused(focused) = event {
                if let Some(state) = window.try_state::<Arc<AppState>>() {
                    state.sync.set_focused(*focused);
                }
            }
            // Release (issue 13): the OS theme, followed live (the CSS also follows
            // prefers-color-scheme; this covers webviews that do not update it).
            if let tauri::WindowEvent::ThemeChanged(theme) = event {
                events::broadcast::<_, ev::ThemeChanged>(
                    window.app_handle(),
                    hangar_types::ThemeChanged {
                        dark: is_dark(*theme),
                    },
                );
            }
        })
}

/// The webview keeps no page or resource caches: Hangar loads only its own embedded assets
/// (WebKitGTK's "document viewer" model), so it holds less memory. Other platforms' webviews
/// decide this themselves.
fn lean_webview<R: Runtime>(app: &tauri::AppHandle<R>) {
    #[cfg(target_os = "linux")]
    for window in app.webview_windows().values() {
        let done = window.with_webview(|webview| {
            use webkit2gtk::{WebContextExt, WebViewExt};
            if let Some(context) = webview.inner().context() {
                context.set_cache_model(webkit2gtk::CacheModel::DocumentViewer);
            }
        });
        if let Err(error) = done {
            tracing::warn!("the webview's cache model could not be set: {error}");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}

/// True for a dark theme.
pub fn is_dark(theme: tauri::Theme) -> bool {
    matches!(theme, tauri::Theme::Dark)
}

/// Brings the main window to the front (a second launch of Hangar asks for this).
pub(crate) fn focus_main<R: Runtime>(app: &tauri::AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let shown = window
            .unminimize()
            .and_then(|()| window.show())
            .and_then(|()| window.set_focus());
        if let Err(error) = shown {
            tracing::warn!("could not bring the window to the front: {error}");
        }
    }
}

/// The desktop integration of the real app (issue 13), on top of [`build_app`]: one instance
/// (a second launch focuses the first window), the window's size, position and maximized state
/// remembered, the native menu, and updates. A launch with its own data dir (`--data-dir`: the
/// end-to-end tests, a portable copy) is a separate instance and remembers no window state.
pub fn desktop<R: Runtime>(builder: tauri::Builder<R>, launch: &Launch) -> tauri::Builder<R> {
    let mut builder = builder;
    if launch.data_dir.is_none() {
        // Must be the first plugin: a second instance exits before anything else starts.
        builder = builder
            .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
                tracing::info!("second launch: focusing the running window");
                focus_main(app);
            }))
            .plugin(tauri_plugin_window_state::Builder::default().build());
    }
    builder
        .plugin(updater::plugin())
        // History (issue 12): desktop notifications reach the OS.
        .plugin(tauri_plugin_notification::init())
        .plugin(notify::os_display_plugin())
        .manage(updater::Registered)
        .manage(menu::Zoom::default())
        .menu(|app| menu::build(app))
        .on_menu_event(|app, event| menu::handle(app, event))
}

/// Starts the desktop app. Called by `main`.
pub fn run() {
    // On a Linux machine without a GPU (no DRM render node) WebKitGTK would composite through
    // a software OpenGL emulator (llvmpipe): about 100 MB more memory, and no faster than its
    // plain CPU renderer. There it draws without compositing, unless the person chose otherwise.
    // Set before any thread or webview exists; WebKit's web process inherits it.
    #[cfg(target_os = "linux")]
    if platform::draw_without_compositing(
        std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").as_deref(),
        std::path::Path::new("/dev/dri"),
    ) {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
    let launch = Launch::from_args(std::env::args(), std::env::var("HANGAR_DATA_DIR").ok());
    let stateful = launch.data_dir.is_none();
    let builder = desktop(tauri::Builder::default(), &launch);
    let result = build_app(builder, launch, Arc::new(keys::OsKeychain))
        .build(tauri::generate_context!("../tauri.conf.json"));
    if let Ok(app) = &result {
        if stateful && !cfg!(debug_assertions) {
            if let Some(state) = app.try_state::<Arc<AppState>>() {
                updater::check_on_start(app.handle(), &state.data_dir);
            }
        }
    }
    match result {
        Ok(app) => app.run(|handle, event| {
            if let tauri::RunEvent::Exit = event {
                if let Some(state) = handle.try_state::<Arc<AppState>>() {
                    state.shutdown();
                }
            }
        }),
        Err(error) => {
            // Nothing is running yet that could show a dialog; the terminal is all there is.
            eprintln!("Hangar could not start: {error}");
            std::process::exit(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{send, TestApp, APP_ORIGIN};
    use hangar_types::{AppInfo, ConnectionState};
    use serde_json::Value;
    use tauri::ipc::InvokeBody;
    use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};

    fn invoke(webview: &tauri::WebviewWindow<MockRuntime>, cmd: &str) -> Result<Value, Value> {
        invoke_from(webview, cmd, APP_ORIGIN)
    }

    fn invoke_from(
        webview: &tauri::WebviewWindow<MockRuntime>,
        cmd: &str,
        url: &str,
    ) -> Result<Value, Value> {
        send(webview, cmd, url, InvokeBody::default())
    }

    /// A fresh data dir that no earlier run (of this or another version) has touched.
    fn scratch(name: &str) -> PathBuf {
        tempfile::Builder::new()
            .prefix(&format!("hangar-shell-{name}-"))
            .tempdir()
            .expect("a scratch dir")
            .keep()
            .join("data")
    }

    fn started(
        data_dir: PathBuf,
        keychain: Arc<keys::MemoryKeychain>,
    ) -> (tauri::App<MockRuntime>, tauri::WebviewWindow<MockRuntime>) {
        let t = TestApp::start(data_dir, keychain);
        (t.app, t.webview)
    }

    #[test]
    fn os_themes_map_to_dark_or_light() {
        assert!(is_dark(tauri::Theme::Dark));
        assert!(!is_dark(tauri::Theme::Light));
    }

    #[test]
    fn launch_reads_data_dir_from_args_over_env() {
        let args = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            Launch::from_args(args(&["hangar"]), None),
            Launch { data_dir: None }
        );
        assert_eq!(
            Launch::from_args(args(&["hangar"]), Some("/env".into())).data_dir,
            Some(PathBuf::from("/env"))
        );
        assert_eq!(
            Launch::from_args(args(&["hangar", "--data-dir", "/a"]), Some("/env".into())).data_dir,
            Some(PathBuf::from("/a"))
        );
        assert_eq!(
            Launch::from_args(args(&["hangar", "--data-dir=/b"]), None).data_dir,
            Some(PathBuf::from("/b"))
        );
        assert_eq!(
            Launch::from_args(args(&["hangar"]), Some(String::new())).data_dir,
            None
        );
    }

    #[test]
    fn app_info_reports_version_data_dir_and_demo_profile() {
        let dir = std::env::temp_dir().join(format!("hangar-shell-test-{}", std::process::id()));
        let (_app, webview) = started(dir.clone(), Arc::default());
        let info: AppInfo = serde_json::from_value(invoke(&webview, "app_info").unwrap()).unwrap();
        assert!(info.profile.is_demo);
        assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
        assert_eq!(PathBuf::from(&info.data_dir), dir);
        assert!(dir.is_dir(), "the data dir is created at start");
        // The Demo starts the first time it is shown (here: at once, as it is the profile shown)
        // and the connection check reports it.
        let online = (0..200).any(|_| {
            let info: AppInfo =
                serde_json::from_value(invoke(&webview, "app_info").unwrap()).unwrap();
            if info.connection.state == ConnectionState::Online
                && info.profile.base_url.starts_with("http://127.0.0.1:")
            {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
            false
        });
        assert!(online, "the demo API runs on loopback and is reachable");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn remote_origins_cannot_call_commands() {
        let (_app, webview) = started(scratch("acl"), Arc::default());
        let error = invoke_from(&webview, "app_info", "https://evil.example/").unwrap_err();
        assert!(error.to_string().contains("not allowed"), "{error}");
        assert!(
            invoke(&webview, "app_info").is_ok(),
            "the app's own origin may"
        );
    }

    #[test]
    fn unknown_commands_are_rejected() {
        let app = build_app(
            mock_builder(),
            Launch {
                data_dir: Some(scratch("unknown")),
            },
            Arc::new(keys::MemoryKeychain::default()),
        )
        .build(mock_context(noop_assets()))
        .unwrap();
        let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        assert!(invoke(&webview, "no_such_command").is_err());
    }

    fn invoke_with(
        webview: &tauri::WebviewWindow<tauri::test::MockRuntime>,
        cmd: &str,
        input: serde_json::Value,
    ) -> Result<serde_json::Value, serde_json::Value> {
        send(
            webview,
            cmd,
            "tauri://localhost",
            InvokeBody::Json(serde_json::json!({ "input": input })),
        )
    }

    /// The leak test (issue 5): a recognizable key on a second profile pointed at the fake API, a
    /// full session run through the backend, then the data directory, the log and every IPC
    /// payload the backend produced are searched for the key.
    #[test]
    fn the_api_key_is_found_nowhere_but_the_keychain() {
        use crate::keys::SecretStore;
        use std::sync::Mutex;
        use tauri::Listener;

        const CANARY: &str = "sk-ant-api03-CANARY-7f3e9b1c2d4a-LEAKTEST-9z8y";
        let dir = std::env::temp_dir().join(format!("hangar-leak-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let keychain = Arc::new(keys::MemoryKeychain::default());
        let (app, webview) = started(dir.clone(), keychain.clone());
        let captured: Arc<Mutex<Vec<String>>> = Arc::default();
        for name in hangar_types::ev::ALL {
            let sink = captured.clone();
            app.listen_any(*name, move |event| {
                sink.lock().unwrap().push(event.payload().to_string())
            });
        }
        let record = |v: &serde_json::Value| captured.lock().unwrap().push(v.to_string());

        // A real-key-shaped profile on a strict fake that accepts only this key.
        let server = tauri::async_runtime::block_on(hangar_fake_api::FakeServer::start(
            hangar_fake_api::FakeConfig {
                api_key: Some(CANARY.into()),
                turn_delay: std::time::Duration::from_millis(5),
                ..Default::default()
            },
        ))
        .unwrap();
        let saved = invoke_with(&webview, "profile_save", serde_json::json!({"id": null, "name": "Work", "baseUrl": server.base_url(), "apiKey": CANARY})).unwrap();
        record(&saved);
        assert_eq!(saved["check"]["kind"], "accepted", "{saved}");
        assert_eq!(saved["profile"]["keyHint"], "9z8y");
        let id = saved["profile"]["id"].as_str().unwrap().to_string();
        assert_eq!(
            keychain.get(&id).unwrap().as_deref(),
            Some(CANARY),
            "the key is in the keychain"
        );
        record(&invoke_with(&webview, "profile_select", serde_json::json!({"id": id})).unwrap());
        record(&invoke(&webview, "profile_list").unwrap());
        record(&invoke(&webview, "app_info").unwrap());

        // An agent and environment on that server, then a whole session through the backend.
        let client = hangar_api::Client::new(hangar_api::ClientConfig::with_base_url(
            server.base_url(),
            hangar_api::ApiKey::new(CANARY),
        ))
        .unwrap();
        let (agent, env) = tauri::async_runtime::block_on(async {
            let agent = client
                .agents()
                .create(&hangar_api::agents::AgentCreate {
                    name: "Leak check".into(),
                    model: "claude-haiku-5-5".into(),
                    ..Default::default()
                })
                .await
                .unwrap();
            let env = client
                .environments()
                .create(&hangar_api::environments::EnvironmentCreate {
                    name: "e".into(),
                    ..Default::default()
                })
                .await
                .unwrap();
            (agent.id, env.id)
        });
        let started = invoke_with(&webview, "session_start", serde_json::json!({"agentId": agent, "environmentId": env, "title": "Leak check", "message": "hello"})).unwrap();
        record(&started);
        let session = started["id"].as_str().unwrap().to_string();
        // Follow it as the chat view does: every live message is captured too.
        let sink = captured.clone();
        let channel = tauri::ipc::Channel::new(move |body| {
            if let tauri::ipc::InvokeResponseBody::Json(json) = body {
                sink.lock().unwrap().push(json);
            }
            Ok(())
        });
        let shared = app.state::<Arc<AppState>>().inner().clone();
        tauri::async_runtime::block_on(live::follow(
            &shared,
            live::TailKey::new(id.clone(), session.clone()),
            None,
            channel,
        ))
        .unwrap();
        let wait_for_turns = |turns: usize| {
            for _ in 0..500 {
                let page = invoke_with(
                    &webview,
                    "transcript_page",
                    serde_json::json!({"sessionId": session, "limit": 1000}),
                )
                .unwrap();
                let ends = page["events"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|e| e["event"].to_string().contains("\"end_turn\""))
                    .count();
                if ends >= turns {
                    return page;
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            panic!("the session did not finish {turns} turn(s)");
        };
        record(&wait_for_turns(1));
        record(
            &invoke_with(
                &webview,
                "session_send",
                serde_json::json!({"sessionId": session, "text": "and again"}),
            )
            .unwrap(),
        );
        let transcript = wait_for_turns(2);
        record(&transcript);
        assert!(
            transcript["events"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["event"]["type"] == "agent.message"),
            "the agent answered"
        );
        // Let the monitor and the tail emit a little more.
        std::thread::sleep(std::time::Duration::from_millis(3_500));
        {
            // The idle indexer makes the new events searchable without a search asking (the
            // search index is part of the cache searched for the key below).
            let state = app.state::<Arc<AppState>>();
            let idle = (0..100).any(|_| {
                if state.writer_blocking().search_backlog().unwrap() == 0 {
                    return true;
                }
                std::thread::sleep(std::time::Duration::from_millis(100));
                false
            });
            assert!(idle, "indexed while idle");
            let store = state.writer_blocking();
            let profile = state.active_id();
            let hits = store.search(&profile, "again ", 5).unwrap();
            assert!(
                hits.iter().any(|h| h.session_id == session),
                "the second message is searchable: {hits:?}"
            );
        }

        let payloads = captured.lock().unwrap().clone();
        assert!(
            payloads.iter().any(|p| p.contains("session.status_idle")),
            "live events were captured: {payloads:?}"
        );
        assert!(
            payloads.iter().any(|p| p.contains("Connected to")),
            "the monitor checked the new profile"
        );
        for p in &payloads {
            assert!(
                !p.contains(CANARY) && !p.contains("CANARY"),
                "the key leaked into an IPC payload: {p}"
            );
        }
        let mut files = 0;
        let mut stack = vec![dir.clone()];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                files += 1;
                let bytes = std::fs::read(&path).unwrap();
                assert!(
                    !bytes.windows(CANARY.len()).any(|w| w == CANARY.as_bytes()),
                    "the key leaked into {}",
                    path.display()
                );
                assert!(
                    !bytes.windows(6).any(|w| w == b"CANARY"),
                    "part of the key leaked into {}",
                    path.display()
                );
            }
        }
        assert!(
            files >= 2,
            "the cache and the log were searched ({files} files)"
        );
        let log = crate::log::read_all(&dir.join("logs")).unwrap();
        assert!(
            log.contains("session ") && log.contains("saved"),
            "the log has content: {log}"
        );
        drop(app);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// No network: the key is kept (and says so), and can be discarded; a rejected key is not kept.
    #[test]
    fn unreachable_api_keeps_the_key_until_discarded() {
        use crate::keys::SecretStore;
        let dir = std::env::temp_dir().join(format!("hangar-unreachable-{}", std::process::id()));
        let keychain = Arc::new(keys::MemoryKeychain::default());
        let (app, webview) = started(dir.clone(), keychain.clone());
        // Nothing listens on port 9 of this computer.
        let out = invoke_with(&webview, "profile_save", serde_json::json!({"id": null, "name": "Offline", "baseUrl": "http://127.0.0.1:9", "apiKey": "sk-ant-offline-key-5555"})).unwrap();
        assert_eq!(out["check"]["kind"], "unreachable", "{out}");
        assert!(
            out["check"]["message"].as_str().unwrap().contains("reach"),
            "{out}"
        );
        let id = out["profile"]["id"].as_str().unwrap().to_string();
        assert_eq!(out["profile"]["keyHint"], "5555");
        assert!(
            keychain.get(&id).unwrap().is_some(),
            "kept until the user decides"
        );
        invoke_with(
            &webview,
            "profile_forget_key",
            serde_json::json!({"id": id}),
        )
        .unwrap();
        assert_eq!(keychain.get(&id).unwrap(), None, "discarded");
        let listed = invoke(&webview, "profile_list").unwrap();
        let row = listed
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == id.as_str())
            .unwrap()
            .clone();
        assert_eq!(row["keyHint"], serde_json::Value::Null);
        // Input errors are explained before anything is sent.
        let bad = invoke_with(&webview, "profile_save", serde_json::json!({"id": null, "name": "X", "baseUrl": "http://example.com", "apiKey": null})).unwrap_err();
        assert!(bad.to_string().contains("https://"), "{bad}");
        drop(app);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The capability file allows exactly the commands of the contract (and event listening):
    /// a command missing from it, or one left over, fails here.
    #[test]
    fn capability_file_allows_exactly_the_contract_commands() {
        let capability: serde_json::Value =
            serde_json::from_str(include_str!("../capabilities/main.json")).unwrap();
        let allowed: std::collections::BTreeSet<String> = capability["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_string())
            .filter(|p| !p.starts_with("core:"))
            .collect();
        let expected: std::collections::BTreeSet<String> = hangar_types::cmd::all()
            .map(|c| format!("allow-{}", c.replace('_', "-")))
            .collect();
        assert_eq!(
            allowed, expected,
            "capabilities/main.json vs hangar_types::cmd"
        );
        let core: Vec<&str> = capability["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p.as_str())
            .filter(|p| p.starts_with("core:"))
            .collect();
        assert_eq!(
            core,
            ["core:event:allow-listen", "core:event:allow-unlisten"]
        );
    }

    /// Every command of the contract reaches a handler through the real capability file: a
    /// command missing from the handler list answers "not found", one missing from the
    /// capability file "not allowed", and both fail here.
    #[test]
    fn every_contract_command_is_allowed_and_handled() {
        let dir = std::env::temp_dir().join(format!("hangar-registry-{}", std::process::id()));
        let _stale = std::fs::remove_dir_all(&dir);
        let (app, webview) = started(dir.clone(), Arc::default());
        let mut count = 0;
        for command in hangar_types::cmd::all() {
            count += 1;
            // A null input: commands taking input reject it as invalid (which proves they were
            // reached); the others answer.
            let answer = invoke_with(&webview, command, serde_json::Value::Null);
            if let Err(error) = answer {
                let text = error.to_string();
                assert!(
                    !text.contains("not allowed") && !text.contains("not found"),
                    "{command}: {text}"
                );
            }
        }
        assert!(count >= 14, "{count}");
        drop(app);
        let _removed = std::fs::remove_dir_all(&dir);
    }
}
