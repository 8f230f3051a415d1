//! Pieces the configure screens share: the offline note, the raw JSON view, an inline
//! confirmation, local times, the wording of save failures, and the one listener that tells
//! the lists their cached area changed.

use std::cell::RefCell;

use hangar_types::{ev, CacheArea, ConnectionState, ErrorKind, IpcError};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

use crate::{ipc, AppContext};

thread_local! {
    static CHANGES: RefCell<Option<ArcRwSignal<u32>>> = const { RefCell::new(None) };
}

/// Bumped whenever the cached agents, environments or vaults change (one listener for the
/// window's lifetime, started by the first screen that asks).
pub fn config_changes() -> ArcRwSignal<u32> {
    CHANGES.with(|cell| {
        if let Some(signal) = cell.borrow().as_ref() {
            return signal.clone();
        }
        let signal = ArcRwSignal::new(0u32);
        *cell.borrow_mut() = Some(signal.clone());
        let bump = signal.clone();
        spawn_local(async move {
            let listening = ipc::listen::<ev::CacheChanged>(move |changed| {
                let ours = changed.areas.iter().any(|a| {
                    matches!(
                        a,
                        CacheArea::Agents | CacheArea::Environments | CacheArea::Vaults
                    )
                });
                if ours {
                    bump.update(|n| *n = n.wrapping_add(1));
                }
            })
            .await;
            if let Err(e) = listening {
                ipc::report("listen", &e.message);
            }
        });
        signal
    })
}

/// The connection chip says Offline (tracked).
pub fn is_offline() -> bool {
    expect_context::<AppContext>().connection.with(|c| {
        c.as_ref()
            .is_some_and(|c| c.state == ConnectionState::Offline)
    })
}

/// The active profile's id (tracked).
pub fn profile_id() -> String {
    expect_context::<AppContext>()
        .active
        .with(|a| a.as_ref().map(|p| p.id.clone()).unwrap_or_default())
}

/// `2026-11-20T10:15:30Z` as the person's local date and time.
pub fn when(rfc3339: &str) -> String {
    if rfc3339.is_empty() {
        return String::new();
    }
    let date = js_sys::Date::new(&JsValue::from_str(rfc3339));
    if date.get_time().is_nan() {
        return rfc3339.to_string();
    }
    date.to_locale_string("default", &JsValue::UNDEFINED)
        .as_string()
        .unwrap_or_else(|| rfc3339.to_string())
}

/// A failed save in words: what happened, and that nothing typed was lost.
pub fn save_problem(e: &IpcError) -> String {
    match e.kind {
        ErrorKind::Unavailable => format!(
            "Hangar cannot reach the API, so this cannot be sent now. Your changes are kept here: save again when the connection is back. ({})",
            e.message
        ),
        ErrorKind::Invalid => format!("The API refused this: {}", e.message),
        ErrorKind::NotFound => format!("{} Your changes are still in the form.", e.message),
        _ => format!("{} Your changes are still in the form.", e.message),
    }
}

/// "Offline: showing the copy saved on this computer", while the chip says Offline or the
/// data came from the cache.
#[component]
pub fn OfflineNote(
    /// The data shown came from the cache because the API did not answer.
    #[prop(into, optional)]
    cached: Signal<bool>,
    /// What the saved copy is of ("agents", "this agent").
    what: &'static str,
) -> impl IntoView {
    let shown = move || is_offline() || cached.get();
    view! {
        <Show when=shown>
            <p class="offline-note" id="offline-note" role="status">
                <strong>"Offline. "</strong>
                {format!("Showing the copy of {what} saved on this computer; changes cannot be sent until the connection is back.")}
            </p>
        </Show>
    }
}

/// The raw JSON of a form: what will be sent, kept in step with the form. Edits that parse
/// update the form at once; others are explained under the editor.
#[component]
pub fn RawView(
    /// The id of the text area.
    id: &'static str,
    /// The JSON the form describes now.
    #[prop(into)]
    json: Signal<String>,
    /// Applies edited JSON to the form; `Some(message)` when it does not read.
    apply: Callback<String, Option<String>>,
    /// A line under the heading.
    #[prop(optional)]
    hint: &'static str,
) -> impl IntoView {
    let typed = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let shown = move || typed.get().unwrap_or_else(|| json.get());
    view! {
        <details class="raw-view card">
            <summary>"Raw JSON"</summary>
            <p class="field-hint">{if hint.is_empty() { "The request body that Save sends. Edit it here and the form follows." } else { hint }}</p>
            <label class="visually-hidden" for=id>"Raw JSON"</label>
            <textarea id=id class="editor raw" rows="14" spellcheck="false"
                prop:value=shown
                aria-invalid=move || error.with(Option::is_some).to_string()
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    error.set(apply.run(text.clone()));
                    typed.set(Some(text));
                }
                on:blur=move |_| if error.with_untracked(Option::is_none) { typed.set(None) }
            ></textarea>
            <Show when=move || error.with(Option::is_some)>
                <p class="field-error" role="alert">{move || error.get().unwrap_or_default()}</p>
            </Show>
        </details>
    }
}

/// A button that asks inline before acting: the first press shows the question with a
/// confirming button and Cancel.
#[component]
pub fn ConfirmButton(
    /// The button's id (the confirming button is `{id}-confirm`).
    #[prop(into)]
    id: String,
    /// Its text (ux.md's name: `Archive`, `Delete`).
    label: &'static str,
    /// The question.
    #[prop(into)]
    question: Signal<String>,
    /// What it does once confirmed.
    on_confirm: Callback<()>,
    /// Red styling.
    #[prop(optional)]
    danger: bool,
    /// Disabled.
    #[prop(into, optional)]
    disabled: Signal<bool>,
) -> impl IntoView {
    let asking = RwSignal::new(false);
    let confirm_id = format!("{id}-confirm");
    let cancel_id = format!("{id}-cancel");
    let focus_id = confirm_id.clone();
    view! {
        <span class="confirm">
            <button type="button" id=id class:danger=danger disabled=move || disabled.get()
                on:click=move |_| {
                    asking.set(true);
                    let target = focus_id.clone();
                    // After the question is drawn.
                    request_animation_frame(move || crate::focus(&target));
                }>{label}</button>
            <Show when=move || asking.get()>
                <span class="confirm-ask" role="alertdialog" aria-label=label>
                    <span class="confirm-question">{move || question.get()}</span>
                    <button type="button" id=confirm_id.clone() class:danger=danger class:primary=!danger
                        on:click=move |_| { asking.set(false); on_confirm.run(()); }>{label}</button>
                    <button type="button" id=cancel_id.clone() on:click=move |_| asking.set(false)>"Cancel"</button>
                </span>
            </Show>
        </span>
    }
}

/// The message above a form's buttons when a save failed for no one field.
#[component]
pub fn FormProblem(
    /// The id of the paragraph.
    id: &'static str,
    /// The problem, if any.
    #[prop(into)]
    problem: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <Show when=move || problem.with(Option::is_some)>
            <p class="result bad" id=id role="alert">{move || problem.get().unwrap_or_default()}</p>
        </Show>
    }
}

/// Ctrl/Cmd+S in a form: save without leaving the keyboard.
pub fn is_save_chord(ev: &leptos::ev::KeyboardEvent) -> bool {
    (ev.ctrl_key() || ev.meta_key()) && !ev.alt_key() && ev.key().eq_ignore_ascii_case("s")
}
