//! The one typed door to the backend: `invoke::<C>(&input)` for every command and
//! `listen::<E>(handler)` for every global event, both typed by the contract crate, plus
//! `follow::<C>` for commands that stream over a channel.
//!
//! Values cross as JSON text (`serde_json` on this side, `JSON.parse`/`stringify` on the other),
//! so what the UI decodes is exactly what the backend's serde wrote. Nothing here unwraps; a
//! backend answer that does not decode becomes an `IpcError` and is reported to the log.

use hangar_types::{Command, ErrorKind, Event, IpcError, Streaming};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;

    /// The same `invoke`, called without awaiting (for reports made while panicking).
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    fn tauri_invoke_detached(cmd: &str, args: JsValue) -> Result<js_sys::Promise, JsValue>;

    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "event"], js_name = listen, catch)]
    async fn tauri_listen(
        event: &str,
        handler: &Closure<dyn FnMut(JsValue)>,
    ) -> Result<JsValue, JsValue>;

    /// Tauri's `Channel`: the backend streams messages to its `onmessage`.
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = Channel)]
    type TauriChannel;

    #[wasm_bindgen(constructor, js_namespace = ["window", "__TAURI__", "core"], js_class = "Channel")]
    fn new() -> TauriChannel;

    #[wasm_bindgen(method, setter, js_name = onmessage)]
    fn set_onmessage(this: &TauriChannel, handler: &Closure<dyn FnMut(JsValue)>);
}

/// JS value → Rust, through JSON text.
pub fn decode<T: DeserializeOwned>(value: &JsValue, what: &str) -> Result<T, IpcError> {
    let text = if value.is_undefined() {
        "null".to_string()
    } else {
        js_sys::JSON::stringify(value)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_else(|| "null".to_string())
    };
    serde_json::from_str(&text).map_err(|e| {
        let error = IpcError::new(
            ErrorKind::Internal,
            format!("Hangar could not read the answer to {what}: {e}"),
        );
        report("decode", &error.message);
        error
    })
}

/// Rust → JS value, through JSON text.
fn encode<T: Serialize>(value: &T) -> Result<JsValue, IpcError> {
    let text = serde_json::to_string(value).map_err(|e| {
        IpcError::new(
            ErrorKind::Internal,
            format!("could not encode the request: {e}"),
        )
    })?;
    js_sys::JSON::parse(&text)
        .map_err(|_| IpcError::new(ErrorKind::Internal, "could not encode the request"))
}

fn to_ipc_error(value: JsValue) -> IpcError {
    if let Ok(error) = decode::<IpcError>(&value, "an error") {
        return error;
    }
    let text = value.as_string().unwrap_or_else(|| format!("{value:?}"));
    IpcError::new(ErrorKind::Internal, text)
}

#[derive(Serialize)]
struct Args<'a, T: Serialize> {
    input: &'a T,
}

/// Calls command `C` with `input`.
pub async fn invoke<C: Command>(input: &C::Input) -> Result<C::Output, IpcError> {
    let args = encode(&Args { input })?;
    let value = tauri_invoke(C::NAME, args).await.map_err(to_ipc_error)?;
    decode(&value, C::NAME)
}

/// Follows global event `E` for the window's lifetime.
pub async fn listen<E: Event>(
    mut handler: impl FnMut(E::Payload) + 'static,
) -> Result<(), IpcError> {
    let closure = Closure::<dyn FnMut(JsValue)>::new(move |raw: JsValue| {
        let payload =
            js_sys::Reflect::get(&raw, &JsValue::from_str("payload")).unwrap_or(JsValue::NULL);
        if let Ok(value) = decode::<E::Payload>(&payload, E::NAME) {
            handler(value);
        }
    });
    tauri_listen(E::NAME, &closure)
        .await
        .map_err(to_ipc_error)?;
    // The listener lives as long as the window: hand the closure to JS for good.
    closure.forget();
    Ok(())
}

#[allow(
    dead_code,
    reason = "the transcript view subscribes; until it lands nothing does"
)]
/// A channel opened by [`follow`]: messages stop arriving once it is dropped (the caller also
/// tells the backend with the matching `*_unfollow` command).
pub struct Subscription {
    _closure: Closure<dyn FnMut(JsValue)>,
    _channel: TauriChannel,
}

#[allow(
    dead_code,
    reason = "the transcript view subscribes; until it lands nothing does"
)]
/// Calls streaming command `C`: `on_message` receives every message the backend sends on the
/// channel, in order, until the [`Subscription`] is dropped.
pub async fn follow<C: Streaming>(
    input: &C::Input,
    mut on_message: impl FnMut(C::Message) + 'static,
) -> Result<(C::Output, Subscription), IpcError> {
    let channel = TauriChannel::new();
    let closure = Closure::<dyn FnMut(JsValue)>::new(move |raw: JsValue| {
        if let Ok(message) = decode::<C::Message>(&raw, C::NAME) {
            on_message(message);
        }
    });
    channel.set_onmessage(&closure);
    let args = encode(&Args { input })?;
    js_sys::Reflect::set(&args, &JsValue::from_str("channel"), &channel)
        .map_err(|_| IpcError::new(ErrorKind::Internal, "could not attach the channel"))?;
    let value = tauri_invoke(C::NAME, args).await.map_err(to_ipc_error)?;
    let output = decode(&value, C::NAME)?;
    Ok((
        output,
        Subscription {
            _closure: closure,
            _channel: channel,
        },
    ))
}

/// Sends a failure the UI caught to the backend's log (best effort: if that fails too, the
/// browser console is all that is left).
pub fn report(kind: &str, message: &str) {
    let input = hangar_types::UiReport {
        kind: kind.to_string(),
        message: message.to_string(),
    };
    leptos::task::spawn_local(async move {
        let Ok(args) = encode(&Args { input: &input }) else {
            return;
        };
        if tauri_invoke(<hangar_types::cmd::AppReport as Command>::NAME, args)
            .await
            .is_err()
        {
            web_sys::console::error_1(&JsValue::from_str(&input.message));
        }
    });
}

/// Like [`report`], but sent at once, without the async executor: for a panic, when the
/// executor itself may be what failed. The answer is not awaited.
pub fn report_now(kind: &str, message: &str) {
    let input = hangar_types::UiReport {
        kind: kind.to_string(),
        message: message.to_string(),
    };
    let sent = encode(&Args { input: &input }).is_ok_and(|args| {
        tauri_invoke_detached(<hangar_types::cmd::AppReport as Command>::NAME, args).is_ok()
    });
    if !sent {
        web_sys::console::error_1(&JsValue::from_str("could not report to Hangar's log"));
    }
}
