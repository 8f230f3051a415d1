//! The one typed door to the backend. Every invoke returns `Result<O, IpcError>`; nothing here
//! unwraps, and a backend answer that does not parse becomes an `IpcError` too.

use hangar_types::{
    commands, events, AppInfo, ErrorKind, IpcError, ProfileIdInput, ProfileInput,
    ProfileSaveOutput, ProfileSummary, SessionEventPayload, SessionListItem,
};
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "event"], js_name = listen, catch)]
    async fn tauri_listen(
        event: &str,
        handler: &Closure<dyn FnMut(JsValue)>,
    ) -> Result<JsValue, JsValue>;
}

fn to_ipc_error(value: JsValue) -> IpcError {
    if let Ok(error) = serde_wasm_bindgen::from_value::<IpcError>(value.clone()) {
        return error;
    }
    let text = value.as_string().unwrap_or_else(|| format!("{value:?}"));
    IpcError::new(ErrorKind::Internal, text)
}

async fn call<O: DeserializeOwned>(cmd: &str, args: JsValue) -> Result<O, IpcError> {
    let value = tauri_invoke(cmd, args).await.map_err(to_ipc_error)?;
    serde_wasm_bindgen::from_value(value).map_err(|e| {
        IpcError::new(
            ErrorKind::Internal,
            format!("unexpected answer to {cmd}: {e}"),
        )
    })
}

/// `app_info`: version, data directory, profile, connection.
pub async fn app_info() -> Result<AppInfo, IpcError> {
    call(commands::APP_INFO, JsValue::UNDEFINED).await
}

async fn listen<T: DeserializeOwned + 'static>(
    event: &str,
    mut handler: impl FnMut(T) + 'static,
) -> Result<(), IpcError> {
    let closure = Closure::<dyn FnMut(JsValue)>::new(move |raw: JsValue| {
        let payload =
            js_sys::Reflect::get(&raw, &JsValue::from_str("payload")).unwrap_or(JsValue::NULL);
        if let Ok(value) = serde_wasm_bindgen::from_value::<T>(payload) {
            handler(value);
        }
    });
    tauri_listen(event, &closure).await.map_err(to_ipc_error)?;
    // The listener lives as long as the window: hand the closure to JS for good.
    closure.forget();
    Ok(())
}

/// Follows `connection-changed` broadcasts.
pub async fn listen_connection(
    handler: impl FnMut(hangar_types::ConnectionChanged) + 'static,
) -> Result<(), IpcError> {
    listen(events::CONNECTION_CHANGED, handler).await
}

#[derive(serde::Serialize)]
struct Input<'a, T: serde::Serialize> {
    input: &'a T,
}

fn args<T: serde::Serialize>(input: &T) -> Result<JsValue, IpcError> {
    serde_wasm_bindgen::to_value(&Input { input }).map_err(|e| {
        IpcError::new(
            ErrorKind::Internal,
            format!("could not encode the request: {e}"),
        )
    })
}

/// `profile_list`.
pub async fn profile_list() -> Result<Vec<ProfileSummary>, IpcError> {
    call(commands::PROFILE_LIST, JsValue::UNDEFINED).await
}

/// `profile_save`: the only place a key travels, from this form into the backend.
pub async fn profile_save(input: &ProfileInput) -> Result<ProfileSaveOutput, IpcError> {
    call(commands::PROFILE_SAVE, args(input)?).await
}

/// `profile_select`.
pub async fn profile_select(id: &str) -> Result<ProfileSummary, IpcError> {
    call(
        commands::PROFILE_SELECT,
        args(&ProfileIdInput { id: id.into() })?,
    )
    .await
}

/// `profile_remove`.
pub async fn profile_remove(id: &str) -> Result<(), IpcError> {
    call(
        commands::PROFILE_REMOVE,
        args(&ProfileIdInput { id: id.into() })?,
    )
    .await
}

/// `profile_forget_key`.
pub async fn profile_forget_key(id: &str) -> Result<(), IpcError> {
    call(
        commands::PROFILE_FORGET_KEY,
        args(&ProfileIdInput { id: id.into() })?,
    )
    .await
}

/// Follows `profile-changed` broadcasts.
pub async fn listen_profile(handler: impl FnMut(ProfileSummary) + 'static) -> Result<(), IpcError> {
    listen(events::PROFILE_CHANGED, handler).await
}

/// `session_list`: the cached sessions of the active profile.
pub async fn session_list() -> Result<Vec<SessionListItem>, IpcError> {
    call(commands::SESSION_LIST, JsValue::UNDEFINED).await
}

/// Follows live `session-event` broadcasts (already stored in the cache when they arrive).
pub async fn listen_session_events(
    handler: impl FnMut(SessionEventPayload) + 'static,
) -> Result<(), IpcError> {
    listen(events::SESSION_EVENT, handler).await
}
