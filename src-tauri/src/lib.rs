//! Hangar's Tauri shell: a thin adapter between the webview and the core crates.
//!
//! The app is built generically over the Tauri runtime ([`build_app`]) so the tests below can
//! drive the real command handlers through Tauri's mock runtime, without a window.

mod commands;
mod error;
mod events;
mod state;

use std::path::PathBuf;

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

/// Registers state, commands and background tasks on `builder`.
pub fn build_app<R: Runtime>(builder: tauri::Builder<R>, launch: Launch) -> tauri::Builder<R> {
    builder
        .invoke_handler(tauri::generate_handler![commands::app::app_info])
        .setup(move |app| {
            let data_dir = match &launch.data_dir {
                Some(dir) => dir.clone(),
                None => app.path().app_data_dir()?,
            };
            std::fs::create_dir_all(&data_dir)?;
            let state = AppState::new(data_dir);
            app.manage(state);
            events::spawn_connection_monitor(app.handle().clone());
            Ok(())
        })
}

/// Starts the desktop app. Called by `main`.
pub fn run() {
    let launch = Launch::from_args(std::env::args(), std::env::var("HANGAR_DATA_DIR").ok());
    let result = build_app(tauri::Builder::default(), launch)
        .run(tauri::generate_context!("../tauri.conf.json"));
    if let Err(error) = result {
        // Nothing is running yet that could show a dialog; the terminal is all there is.
        eprintln!("Hangar could not start: {error}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hangar_types::{AppInfo, ConnectionState};
    use tauri::ipc::{CallbackFn, InvokeBody};
    use tauri::test::{mock_builder, mock_context, noop_assets, INVOKE_KEY};
    use tauri::webview::InvokeRequest;

    fn invoke(
        webview: &tauri::WebviewWindow<tauri::test::MockRuntime>,
        cmd: &str,
    ) -> Result<serde_json::Value, serde_json::Value> {
        invoke_from(webview, cmd, "tauri://localhost")
    }

    fn invoke_from(
        webview: &tauri::WebviewWindow<tauri::test::MockRuntime>,
        cmd: &str,
        url: &str,
    ) -> Result<serde_json::Value, serde_json::Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: url.parse().unwrap(),
            body: InvokeBody::default(),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        tauri::test::get_ipc_response(webview, request)
            .map(|body| body.deserialize::<serde_json::Value>().unwrap())
    }

    #[allow(
        deprecated,
        reason = "one iteration runs setup as the real event loop does; it is not called in a loop"
    )]
    fn run_setup(app: &mut tauri::App<tauri::test::MockRuntime>) {
        app.run_iteration(|_, _| {});
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
        let mut app = build_app(
            mock_builder(),
            Launch {
                data_dir: Some(dir.clone()),
            },
        )
        // The app's real context: its real capabilities decide what the webview may call.
        .build(tauri::generate_context!("../tauri.conf.json"))
        .unwrap();
        // Setup runs on the first turn of the event loop, as in the real app.
        run_setup(&mut app);
        let webview = app
            .get_webview_window("main")
            .expect("the configured main window");
        let info: AppInfo = serde_json::from_value(invoke(&webview, "app_info").unwrap()).unwrap();
        assert!(info.profile.is_demo);
        assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
        assert_eq!(PathBuf::from(&info.data_dir), dir);
        assert!(dir.is_dir(), "the data dir is created at start");
        assert!(info.profile.is_demo);
        assert_eq!(info.connection.state, ConnectionState::Online);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn remote_origins_cannot_call_commands() {
        let mut app = build_app(
            mock_builder(),
            Launch {
                data_dir: Some(std::env::temp_dir().join("hangar-shell-acl")),
            },
        )
        .build(tauri::generate_context!("../tauri.conf.json"))
        .unwrap();
        run_setup(&mut app);
        let webview = app
            .get_webview_window("main")
            .expect("the configured main window");
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
                data_dir: Some(std::env::temp_dir().join("hangar-shell-unknown")),
            },
        )
        .build(mock_context(noop_assets()))
        .unwrap();
        let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        assert!(invoke(&webview, "no_such_command").is_err());
    }

    #[test]
    fn build_script_commands_match_the_contract() {
        let build_rs = include_str!("../build.rs");
        for command in hangar_types::commands::ALL {
            assert!(
                build_rs.contains(&format!("\"{command}\"")),
                "build.rs must declare {command}"
            );
        }
        let capability = include_str!("../capabilities/main.json");
        for command in hangar_types::commands::ALL {
            let permission = format!("\"allow-{}\"", command.replace('_', "-"));
            assert!(
                capability.contains(&permission),
                "capability must allow {command}"
            );
        }
    }
}
