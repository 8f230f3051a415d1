//! Driving the real app without a window: Tauri's mock runtime, the real context (so the real
//! capability file decides what the webview may call) and IPC requests exactly as the webview
//! sends them. For the shell's tests and benchmarks (feature `test-support`).
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "test support: a failure should stop the test loudly"
)]

use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::Manager;

use crate::{build_app, keys, AppState, Launch};

/// The app's own origin.
pub const APP_ORIGIN: &str = "tauri://localhost";

/// A running app on the mock runtime and its main window.
pub struct TestApp {
    /// The app.
    pub app: tauri::App<MockRuntime>,
    /// Its main window.
    pub webview: tauri::WebviewWindow<MockRuntime>,
}

impl TestApp {
    /// Starts the app on `data_dir` with `keychain`, set up as on the first turn of the real
    /// event loop.
    pub fn start(data_dir: PathBuf, keychain: Arc<dyn keys::SecretStore>) -> Self {
        let mut app = build_app(
            mock_builder(),
            Launch {
                data_dir: Some(data_dir),
            },
            keychain,
        )
        .build(tauri::generate_context!("../tauri.conf.json"))
        .expect("the app builds");
        run_setup(&mut app);
        let webview = app
            .get_webview_window("main")
            .expect("the configured main window");
        Self { app, webview }
    }

    /// The shared state.
    pub fn state(&self) -> Arc<AppState> {
        self.app.state::<Arc<AppState>>().inner().clone()
    }

    /// Calls `cmd` with `input` from the app's own origin.
    pub fn invoke(&self, cmd: &str, input: Value) -> Result<Value, Value> {
        send(
            &self.webview,
            cmd,
            APP_ORIGIN,
            InvokeBody::Json(serde_json::json!({ "input": input })),
        )
    }
}

#[allow(
    deprecated,
    reason = "one iteration runs setup as the real event loop does; it is not called in a loop"
)]
fn run_setup(app: &mut tauri::App<MockRuntime>) {
    app.run_iteration(|_, _| {});
}

/// One IPC call as the webview at `url` makes it.
pub fn send(
    webview: &tauri::WebviewWindow<MockRuntime>,
    cmd: &str,
    url: &str,
    body: InvokeBody,
) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: url.parse().expect("a URL"),
        body,
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    tauri::test::get_ipc_response(webview, request)
        .map(|body| body.deserialize::<Value>().expect("a JSON answer"))
}
