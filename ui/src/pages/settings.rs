//! Settings: profiles and their keys, and what Hangar knows about itself.

use hangar_types::{validate, ErrorKind, IpcError, KeyCheck, ProfileInput, ProfileSummary};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::fields::{bind, InputKind, PasswordField, TextField};
use crate::form::{fields, Field, Form, NotSent};
use crate::router::use_router;
use crate::{focus, ipc, AppContext};

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

/// The "Add a profile" form; names are `ProfileInput`'s, so backend errors land on them.
struct ProfileFields {
    name: Field<String>,
    base_url: Field<String>,
    api_key: Field<String>,
}
fields!(ProfileFields {
    name,
    base_url,
    api_key
});

impl ProfileFields {
    fn empty() -> Self {
        ProfileFields {
            name: Field::new("name", String::new())
                .checked(|v| validate::profile_name(v).map(drop)),
            base_url: Field::new("baseUrl", DEFAULT_URL.to_string())
                .checked(|v| validate::base_url(v).map(drop)),
            // Optional: no key is a valid answer (the profile keeps or gets none).
            api_key: Field::new("apiKey", String::new()).checked(|v| {
                if v.trim().is_empty() {
                    Ok(())
                } else {
                    validate::api_key(v).map(drop)
                }
            }),
        }
    }

    /// The input to send, normalized the way the checks read it.
    fn input(&self) -> ProfileInput {
        let name = self.name.value();
        let url = self.base_url.value();
        let key = self.api_key.value();
        ProfileInput {
            id: None,
            name: validate::profile_name(name).unwrap_or_else(|_| name.clone()),
            base_url: validate::base_url(url).unwrap_or_else(|_| url.clone()),
            api_key: Some(key.trim().to_string()).filter(|k| !k.is_empty()),
        }
    }
}

/// The DOM id of each field's input.
fn input_id(field: &str) -> &'static str {
    match field {
        "baseUrl" => "profile-url",
        "apiKey" => "profile-key",
        _ => "profile-name",
    }
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

    let form = RwSignal::new(Form::new(ProfileFields::empty()));
    let outcome = RwSignal::new(None::<Outcome>);
    let busy = move || form.with(Form::is_saving);
    use_router().guard_leave(Signal::derive(move || form.with(Form::has_unsaved_changes)));

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match form.try_update(Form::begin_submit) {
            Some(Ok(())) => {}
            Some(Err(NotSent::Invalid(first))) => {
                focus(input_id(first));
                return;
            }
            Some(Err(NotSent::Busy)) | None => return,
        }
        let input = form.with_untracked(|f| f.fields.input());
        outcome.set(None);
        spawn_local(async move {
            let result = ipc::invoke::<hangar_types::cmd::ProfileSave>(&input).await;
            match result {
                Ok(out) => {
                    let hint = out
                        .profile
                        .key_hint
                        .clone()
                        .map(|h| format!(" (…{h})"))
                        .unwrap_or_default();
                    let said = match out.check {
                        KeyCheck::Accepted => Outcome::Good(format!("Saved “{}”. The key was checked and stored in your system keychain{hint}.", out.profile.name)),
                        KeyCheck::NotChecked => Outcome::Good(format!("Saved “{}” without a key.", out.profile.name)),
                        KeyCheck::Rejected { message } => Outcome::Bad(format!("This key was rejected by the API: {message}. Nothing was saved.")),
                        KeyCheck::Unreachable { message } => Outcome::Unchecked {
                            message: format!("Could not reach the API to check this key ({message}). The key was saved in your keychain{hint}; keep it, or discard it."),
                            profile_id: out.profile.id.clone(),
                        },
                    };
                    let rejected = matches!(said, Outcome::Bad(_));
                    form.try_update(|f| {
                        if rejected {
                            // Nothing was saved: keep the name and server to try another key.
                            f.fail(IpcError::new(
                                ErrorKind::Unauthorized,
                                "The key was rejected.",
                            ));
                        } else {
                            f.reload(ProfileFields::empty());
                        }
                        // The key leaves the form either way: it is in the keychain or it was refused.
                        f.fields.api_key.reload(String::new());
                    });
                    outcome.set(Some(said));
                    ctx.refresh_profiles();
                }
                Err(e) => {
                    let message = e.message.clone();
                    let landed = form.try_update(|f| f.fail(e)).flatten();
                    match landed {
                        Some(field) => focus(input_id(field)),
                        None => outcome.set(Some(Outcome::Bad(message))),
                    }
                }
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
                        <For each=move || ctx.profile_list() key=|p: &ProfileSummary| (p.id.clone(), p.key_hint.clone(), p.name.clone()) let:p>
                            <ProfileRow profile=p />
                        </For>
                    </tbody>
                </table>
            </div>
            <form class="card form" id="profile-form" on:submit=save novalidate>
                <h2>"Add a profile"</h2>
                <TextField field=bind!(form, name) id="profile-name" label="Name" maxlength=validate::PROFILE_NAME_MAX />
                <TextField field=bind!(form, base_url) id="profile-url" label="Server" kind=InputKind::Url
                    hint="https://api.anthropic.com, or http://localhost… for a server on this computer." />
                <PasswordField field=bind!(form, api_key) id="profile-key" label="API key" placeholder="sk-ant-…"
                    hint="Checked against the server, then kept only in your system keychain." />
                <div class="actions">
                    <button type="submit" id="profile-save" class="primary" disabled=busy>
                        {move || if busy() { "Checking the key…" } else { "Save profile" }}
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
            // History (issue 12).
            <super::local_data::NotificationSettings />
            <super::local_data::LocalData />
            <div class="card">
                <h2>"About Hangar"</h2>
                <dl class="facts">
                    <dt>"Version"</dt>
                    <dd id="app-version">{version}</dd>
                    <dt>"Local data"</dt>
                    <dd id="data-dir"><code>{data_dir}</code></dd>
                </dl>
            </div>
            <crate::components::updates::UpdatesCard />
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
                    Err(e) => {
                        ctx.notices.error("Could not switch profile", &e);
                    }
                }
            });
        }
    };
    let remove = move |_| {
        let id = remove_id.clone();
        let confirmed =
            crate::router::confirm("Remove this profile, its key and its cached sessions?");
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
                ctx.notices.error("Could not remove the profile", &e);
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
