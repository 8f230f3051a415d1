//! Settings: profiles and their keys, and what Hangar knows about itself.

use hangar_types::{KeyCheck, ProfileInput, ProfileSummary};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::{ipc, AppContext};

const DEFAULT_URL: &str = "https://api.anthropic.com";

/// What the last save said, for the message under the form.
#[derive(Clone, PartialEq)]
enum Outcome {
    Good(String),
    Bad(String),
    /// Saved, but unchecked: offer to discard the key.
    Unchecked {
        message: String,
        profile_id: String,
    },
}

/// The Settings page.
#[component]
pub fn Settings() -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let version = move || {
        ctx.info
            .get()
            .map(|i| i.version)
            .unwrap_or_else(|| "…".into())
    };
    let data_dir = move || {
        ctx.info
            .get()
            .map(|i| i.data_dir)
            .unwrap_or_else(|| "…".into())
    };

    let name = RwSignal::new(String::new());
    let url = RwSignal::new(DEFAULT_URL.to_string());
    let key = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Outcome>);

    let name_error = move || {
        (touched.get() && name.get().trim().is_empty()).then_some("Give the profile a name.")
    };
    let url_error = move || {
        let u = url.get();
        let u = u.trim();
        let ok = u.starts_with("https://")
            || u.starts_with("http://127.0.0.1")
            || u.starts_with("http://localhost");
        (touched.get() && !ok)
            .then_some("Use an https:// address (http:// only for this computer).")
    };
    let key_error = move || {
        let k = key.get();
        (touched.get() && !k.is_empty() && (k.trim().len() < 8 || k.trim().contains(' ')))
            .then_some("That does not look like an API key.")
    };

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        if name_error().is_some() || url_error().is_some() || key_error().is_some() {
            return;
        }
        let input = ProfileInput {
            id: None,
            name: name.get(),
            base_url: url.get(),
            api_key: Some(key.get()).filter(|k| !k.trim().is_empty()),
        };
        busy.set(true);
        outcome.set(None);
        spawn_local(async move {
            let result = ipc::invoke::<hangar_types::cmd::ProfileSave>(&input).await;
            busy.set(false);
            match result {
                Ok(out) => {
                    let hint = out
                        .profile
                        .key_hint
                        .clone()
                        .map(|h| format!(" (…{h})"))
                        .unwrap_or_default();
                    outcome.set(Some(match out.check {
                        KeyCheck::Accepted => Outcome::Good(format!("Saved “{}”. The key was checked and stored in your system keychain{hint}.", out.profile.name)),
                        KeyCheck::NotChecked => Outcome::Good(format!("Saved “{}” without a key.", out.profile.name)),
                        KeyCheck::Rejected { message } => Outcome::Bad(format!("This key was rejected by the API: {message}. Nothing was saved.")),
                        KeyCheck::Unreachable { message } => Outcome::Unchecked {
                            message: format!("Could not reach the API to check this key ({message}). The key was saved in your keychain{hint}; keep it, or discard it."),
                            profile_id: out.profile.id.clone(),
                        },
                    }));
                    if !matches!(outcome.get_untracked(), Some(Outcome::Bad(_))) {
                        name.set(String::new());
                        url.set(DEFAULT_URL.into());
                        touched.set(false);
                    }
                    // The key leaves the form either way: it is in the keychain or it was refused.
                    key.set(String::new());
                    ctx.refresh_profiles();
                }
                Err(e) => outcome.set(Some(Outcome::Bad(e.message))),
            }
        });
    };

    let discard = move |profile_id: String| {
        spawn_local(async move {
            match ipc::invoke::<hangar_types::cmd::ProfileForgetKey>(
                &hangar_types::ProfileIdInput {
                    id: profile_id.clone(),
                },
            )
            .await
            {
                Ok(()) => outcome.set(Some(Outcome::Good("The key was discarded.".into()))),
                Err(e) => outcome.set(Some(Outcome::Bad(e.message))),
            }
            ctx.refresh_profiles();
        });
    };

    view! {
        <section class="page" id="page-settings">
            <h1>"Settings"</h1>
            <div class="card">
                <h2>"Profiles"</h2>
                <p class="muted">"A profile is one API key and server. Keys are kept only in your system keychain; Hangar shows their last four characters."</p>
                <table class="profiles" id="profile-table">
                    <thead><tr><th>"Name"</th><th>"Server"</th><th>"Key"</th><th><span class="visually-hidden">"Actions"</span></th></tr></thead>
                    <tbody>
                        <For each=move || ctx.profiles.get() key=|p: &ProfileSummary| (p.id.clone(), p.key_hint.clone(), p.name.clone()) let:p>
                            <ProfileRow profile=p />
                        </For>
                    </tbody>
                </table>
            </div>
            <form class="card form" id="profile-form" on:submit=save novalidate>
                <h2>"Add a profile"</h2>
                <label for="profile-name">"Name"</label>
                <input id="profile-name" type="text" maxlength="64" prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) aria-invalid=move || name_error().is_some().to_string() />
                <Show when=move || name_error().is_some()><p class="field-error" id="profile-name-error">{name_error}</p></Show>
                <label for="profile-url">"Server"</label>
                <input id="profile-url" type="url" prop:value=url on:input=move |ev| url.set(event_target_value(&ev)) aria-invalid=move || url_error().is_some().to_string() />
                <Show when=move || url_error().is_some()><p class="field-error" id="profile-url-error">{url_error}</p></Show>
                <label for="profile-key">"API key"</label>
                <input id="profile-key" type="password" autocomplete="off" spellcheck="false" placeholder="sk-ant-…" prop:value=key on:input=move |ev| key.set(event_target_value(&ev)) />
                <Show when=move || key_error().is_some()><p class="field-error" id="profile-key-error">{key_error}</p></Show>
                <div class="actions">
                    <button type="submit" id="profile-save" class="primary" disabled=move || busy.get()>
                        {move || if busy.get() { "Checking the key…" } else { "Save profile" }}
                    </button>
                </div>
                {move || outcome.get().map(|o| match o {
                    Outcome::Good(m) => view! { <p class="result good" id="profile-result" role="status">{m}</p> }.into_any(),
                    Outcome::Bad(m) => view! { <p class="result bad" id="profile-result" role="alert">{m}</p> }.into_any(),
                    Outcome::Unchecked { message, profile_id } => view! {
                        <p class="result warn" id="profile-result" role="status">{message}
                            <button type="button" id="profile-discard" on:click=move |_| discard(profile_id.clone())>"Discard key"</button>
                        </p>
                    }.into_any(),
                })}
            </form>
            <div class="card">
                <h2>"About Hangar"</h2>
                <dl class="facts">
                    <dt>"Version"</dt>
                    <dd id="app-version">{version}</dd>
                    <dt>"Local data"</dt>
                    <dd id="data-dir"><code>{data_dir}</code></dd>
                </dl>
            </div>
        </section>
    }
}

/// One profile in the table.
#[component]
fn ProfileRow(profile: ProfileSummary) -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let id = profile.id.clone();
    let key_cell = if profile.is_demo {
        "Not needed (simulation)".to_string()
    } else if let Some(problem) = &profile.key_problem {
        problem.clone()
    } else {
        profile
            .key_hint
            .as_ref()
            .map(|h| format!("…{h}"))
            .unwrap_or_else(|| "No key".into())
    };
    let use_id = id.clone();
    let remove_id = id.clone();
    let is_active = Memo::new(move |_| ctx.active.get().map(|a| a.id == use_id).unwrap_or(false));
    let select = {
        let id = id.clone();
        move |_| {
            let id = id.clone();
            spawn_local(async move {
                match ipc::invoke::<hangar_types::cmd::ProfileSelect>(
                    &hangar_types::ProfileIdInput { id: id.clone() },
                )
                .await
                {
                    Ok(p) => ctx.active.set(Some(p)),
                    Err(e) => ctx.error.set(Some(e.message)),
                }
            });
        }
    };
    let remove = move |_| {
        let id = remove_id.clone();
        let confirmed = web_sys::window()
            .and_then(|w| {
                w.confirm_with_message("Remove this profile, its key and its cached sessions?")
                    .ok()
            })
            .unwrap_or(false);
        if !confirmed {
            return;
        }
        spawn_local(async move {
            if let Err(e) =
                ipc::invoke::<hangar_types::cmd::ProfileRemove>(&hangar_types::ProfileIdInput {
                    id: id.clone(),
                })
                .await
            {
                ctx.error.set(Some(e.message));
            }
            ctx.refresh_profiles();
        });
    };
    view! {
        <tr id=format!("profile-{}", profile.id) class="profile-row">
            <td>{profile.name.clone()}{profile.is_demo.then(|| view! { <span class="demo-badge small">"Simulation"</span> })}</td>
            <td><code>{profile.base_url.clone()}</code></td>
            <td class="key-hint">{key_cell}</td>
            <td class="row-actions">
                <button type="button" on:click=select disabled=move || is_active.get()>{move || if is_active.get() { "In use" } else { "Use" }}</button>
                {(!profile.is_demo).then(|| view! { <button type="button" class="danger" on:click=remove>"Remove"</button> })}
            </td>
        </tr>
    }
}
