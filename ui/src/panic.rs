//! A panic in the window is written to the browser console with its stack (what
//! `console_error_panic_hook` does), reported to the backend's log (`app_report`, kind
//! `panic`), and shown as an error notice once the panicking call has unwound.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use crate::components::notices::NoticeCenter;
use crate::notice::Draft;

#[wasm_bindgen]
extern "C" {
    /// JavaScript's `Error`, for its `stack` (js-sys does not expose it).
    #[wasm_bindgen(js_name = Error)]
    type StackError;

    #[wasm_bindgen(constructor, js_class = "Error")]
    fn new() -> StackError;

    #[wasm_bindgen(method, getter, structural)]
    fn stack(this: &StackError) -> String;
}

thread_local! {
    /// Where panics are shown, once the app is mounted.
    static CENTER: RefCell<Option<NoticeCenter>> = const { RefCell::new(None) };
}

/// Installs the hook; call once, first thing at start.
pub fn install() {
    std::panic::set_hook(Box::new(|info| report(&info.to_string())));
}

/// Shows later panics as notices in `center`.
pub fn show_in(center: NoticeCenter) {
    CENTER.with(|c| {
        if let Ok(mut slot) = c.try_borrow_mut() {
            *slot = Some(center);
        }
    });
}

/// The words of the notice for a panic's `message`.
pub fn notice_for(message: &str) -> Draft {
    let first_line = message.lines().take(2).collect::<Vec<_>>().join(" ");
    Draft::failure(
        "Something went wrong in this window",
        format!(
            "It was written to Hangar's log. If the window stops responding, close and reopen Hangar. ({first_line})"
        ),
    )
}

fn report(message: &str) {
    let stack = StackError::new().stack();
    web_sys::console::error_1(&format!("{message}\n\nStack:\n\n{stack}").into());
    // Straight to the backend, without the async executor, which may be what panicked.
    crate::ipc::report_now("panic", message);
    // The reactive system may be mid-update (the panic may have come from inside it), so the
    // notice is raised from a fresh task, after this call has unwound.
    let draft = notice_for(message);
    let center = CENTER.with(|c| c.try_borrow().ok().and_then(|slot| *slot));
    if let Some(center) = center {
        leptos::prelude::set_timeout(
            move || {
                center.push(draft);
            },
            std::time::Duration::ZERO,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notice::Level;

    #[test]
    fn a_panic_notice_is_a_lasting_error_with_the_cause() {
        let draft = notice_for("panicked at ui/src/pages.rs:3:5:\nindex out of bounds\nmore");
        assert_eq!(draft.level, Level::Error);
        assert!(
            draft.message.contains("index out of bounds"),
            "{}",
            draft.message
        );
        assert!(!draft.message.contains("more"));
        assert_eq!(draft.level.auto_dismiss_ms(), None);
    }
}
