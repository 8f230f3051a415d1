//! "Define the outcome": a description, a rubric and a maximum number of iterations, checked as
//! the person types with the same checks the backend runs (`OutcomeInput::problems`). The New
//! session dialog and the chat's composer both use it.

use hangar_types::{cmd, FileListItem, FreshInput, SessionId, SessionOutcomeInput};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::beyond::OutcomeDraft;
use crate::{ipc, AppContext};

/// The three fields. `required`: an empty outcome is a problem (the composer's form); else
/// an empty outcome is simply none (the dialog's).
#[component]
pub fn OutcomeFields(
    /// The ids' prefix (`ns`, `chat`).
    prefix: &'static str,
    /// What was typed.
    draft: RwSignal<OutcomeDraft>,
    /// True once the person tried to submit: missing fields are shown from then on.
    tried: RwSignal<bool>,
    /// Whether an outcome must be given.
    required: bool,
) -> impl IntoView {
    let problem = move |field: &'static str| {
        move || {
            let (empty, problems) = draft.with(|d| (d.is_empty(), d.input().problems()));
            // The iteration limit is checked as it is typed; the rest once submitted.
            let shown = field == "outcomeIterations" || (tried.get() && (required || !empty));
            if !shown {
                return None;
            }
            problems
                .into_iter()
                .find(|(f, _)| *f == field)
                .map(|(_, m)| m)
        }
    };
    // The uploaded files, any of which can hold the rubric (cached first, then fresh).
    let files = RwSignal::new(Vec::<FileListItem>::new());
    spawn_local(async move {
        for fresh in [false, true] {
            if let Ok(list) = ipc::invoke::<cmd::FileList>(&FreshInput { fresh }).await {
                files.try_set(list);
            }
        }
    });
    let description = format!("{prefix}-outcome-description");
    let rubric = format!("{prefix}-outcome-rubric");
    let rubric_file = format!("{prefix}-outcome-rubric-file");
    let iterations = format!("{prefix}-outcome-iterations");
    view! {
        <div class="outcome-fields">
            <div class="field">
                <label for=description.clone()>"Description"</label>
                <input id=description type="text" placeholder="What the finished work looks like"
                    prop:value=move || draft.with(|d| d.description.clone())
                    aria-invalid=move || problem("outcomeDescription")().is_some().to_string()
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.description = v); } />
                {move || problem("outcomeDescription")().map(|m| view! { <span class="problem">{m}</span> })}
            </div>
            <div class="field">
                <label for=rubric.clone()>"Rubric"</label>
                <textarea id=rubric rows="3" placeholder="How the result is judged, one point per line"
                    disabled=move || draft.with(|d| !d.rubric_file.is_empty())
                    prop:value=move || draft.with(|d| d.rubric.clone())
                    aria-invalid=move || problem("outcomeRubric")().is_some().to_string()
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.rubric = v); }></textarea>
                {move || problem("outcomeRubric")().map(|m| view! { <span class="problem">{m}</span> })}
            </div>
            <div class="field">
                <label for=rubric_file.clone()>"Rubric file"</label>
                <select id=rubric_file
                    on:change=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.rubric_file = v); }>
                    <option value="" selected=move || draft.with(|d| d.rubric_file.is_empty())>"None: use the text above"</option>
                    {move || files.get().into_iter().map(|f| {
                        let id = f.id.to_string();
                        let chosen = id.clone();
                        view! { <option value=id selected=move || draft.with(|d| d.rubric_file == chosen)>{f.filename.clone()}</option> }
                    }).collect_view()}
                </select>
                <p class="hint">"A file uploaded on the Files page can hold the rubric instead."</p>
            </div>
            <div class="field narrow">
                <label for=iterations.clone()>"Maximum iterations"</label>
                <input id=iterations type="text" inputmode="numeric" placeholder="3"
                    prop:value=move || draft.with(|d| d.iterations.clone())
                    aria-invalid=move || problem("outcomeIterations")().is_some().to_string()
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.iterations = v); } />
                {move || problem("outcomeIterations")().map(|m| view! { <span class="problem">{m}</span> })}
            </div>
        </div>
    }
}

/// The composer's `Define the outcome`: opens the small form; `Send outcome` gives the
/// session the outcome (`user.define_outcome`) and the agent starts working towards it.
#[component]
pub fn DefineOutcome(
    /// The session.
    session: StoredValue<SessionId>,
    /// Why nothing can be sent now (the composer's reason), if so.
    #[prop(into)]
    blocked: Signal<bool>,
) -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let open = RwSignal::new(false);
    let draft = RwSignal::new(OutcomeDraft::default());
    let tried = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let send = move |_| {
        tried.set(true);
        let outcome = draft.with_untracked(OutcomeDraft::input);
        if !outcome.problems().is_empty() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let input = SessionOutcomeInput {
                session_id: session.get_value(),
                outcome,
            };
            let answer = ipc::invoke::<cmd::SessionDefineOutcome>(&input).await;
            busy.set(false);
            match answer {
                Ok(()) => {
                    open.set(false);
                    tried.set(false);
                    draft.set(OutcomeDraft::default());
                }
                Err(e) => {
                    ctx.notices.error("The outcome was not sent", &e);
                }
            }
        });
    };
    view! {
        <button type="button" id="composer-outcome" aria-expanded=move || open.get().to_string()
            disabled=move || blocked.get() on:click=move |_| open.update(|o| *o = !*o)>"Define the outcome"</button>
        <Show when=move || open.get()>
            <div class="outcome-form" id="outcome-form" role="group" aria-label="Define the outcome">
                <p class="muted">"The agent works towards it; after each round a grader checks the result against the rubric, until it is met or the rounds run out."</p>
                <OutcomeFields prefix="chat" draft=draft tried=tried required=true />
                <div class="buttons">
                    <button type="button" on:click=move |_| open.set(false)>"Cancel"</button>
                    <button type="button" class="primary" id="outcome-send" disabled=move || busy.get() || blocked.get() on:click=send>
                        {move || if busy.get() { "Sending…" } else { "Send outcome" }}
                    </button>
                </div>
            </div>
        </Show>
    }
}
