//! One environment's form (also the new-environment page): networking, allowed hosts checked
//! as they are typed, packages per manager, metadata; archive and delete.

use hangar_types::model::environments::Environment;
use hangar_types::{cmd, EnvironmentCreateInput, EnvironmentIdInput, EnvironmentUpdateInput};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::configure::{
    is_save_chord, profile_id, save_problem, ConfirmButton, FormProblem, OfflineNote, RawView,
};
use crate::components::fields::{bind, KeyValueRows, ListEditor, TextField, Toggle};
use crate::env_form::{env_form, env_input_id, EnvFields};
use crate::form::{Form, NotSent};
use crate::route::Route;
use crate::router::use_router;
use crate::{drafts, focus, ipc, AppContext};

/// `environment_get` takes `{id}`.
type EnvironmentGetInput = EnvironmentIdInput;

/// The environment form.
#[component]
fn EnvironmentForm(
    existing: Option<Environment>,
    draft_key: String,
    on_saved: Callback<Environment>,
) -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let router = use_router();
    let start = drafts::get::<Form<EnvFields>>(&draft_key).unwrap_or_else(|| {
        env_form(match &existing {
            Some(e) => {
                EnvFields::from_config(&hangar_types::model::environments::EnvironmentCreate {
                    name: e.name.clone(),
                    description: e.description.clone(),
                    config: Some(e.config.clone()),
                    metadata: e.metadata.clone(),
                    scope: e.scope.clone(),
                })
            }
            None => EnvFields::empty(),
        })
    });
    let restored = start.has_unsaved_changes();
    let form = RwSignal::new(start);
    let problem = RwSignal::new(None::<String>);
    router.guard_leave(Signal::derive(move || form.with(Form::has_unsaved_changes)));
    let key = draft_key.clone();
    Effect::new(move |_| {
        form.with(|f| {
            if f.has_unsaved_changes() {
                drafts::keep(&key, f.clone())
            } else {
                drafts::forget(&key)
            }
        })
    });
    let id = existing.as_ref().map(|e| e.id.clone());
    let send = {
        let key = draft_key.clone();
        move || {
            match form.try_update(Form::begin_submit) {
                Some(Ok(())) => {}
                Some(Err(NotSent::Invalid(first))) => {
                    focus(env_input_id(first));
                    return;
                }
                _ => return,
            }
            problem.set(None);
            let config = form.with_untracked(|f| f.fields.config());
            let (id, key) = (id.clone(), key.clone());
            spawn_local(async move {
                let result = match id {
                    None => {
                        ipc::invoke::<cmd::EnvironmentCreate>(&EnvironmentCreateInput { config })
                            .await
                    }
                    Some(id) => {
                        ipc::invoke::<cmd::EnvironmentUpdate>(&EnvironmentUpdateInput {
                            id,
                            config,
                        })
                        .await
                    }
                };
                match result {
                    Ok(env) => {
                        drafts::forget(&key);
                        form.update(Form::succeed);
                        ctx.notices
                            .success("Saved", &format!("“{}” is saved.", env.name));
                        on_saved.run(env);
                    }
                    Err(e) => {
                        let text = save_problem(&e);
                        match form.try_update(|f| f.fail(e)).flatten() {
                            Some(field) => focus(env_input_id(field)),
                            None => problem.set(Some(text)),
                        }
                    }
                }
            });
        }
    };
    let submit = send.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit();
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if is_save_chord(&ev) {
            ev.prevent_default();
            send();
        }
    };
    let is_new = existing.is_none();
    let cancel = {
        let key = draft_key.clone();
        move |_| {
            form.update(Form::reset);
            drafts::forget(&key);
            problem.set(None);
            if is_new {
                router.navigate(Route::Environments);
            }
        }
    };
    let limited = move || form.with(|f| f.fields.networking.value() == "limited");
    let cloud = move || form.with(|f| f.fields.is_cloud());
    let set_net =
        move |value: &'static str| form.update(|f| f.edit(|f| f.networking.set(value.into())));
    let saving = move || form.with(Form::is_saving);
    let raw = Signal::derive(move || {
        form.with(|f| serde_json::to_string_pretty(&f.fields.config()).unwrap_or_default())
    });
    let apply_raw = Callback::new(move |text: String| -> Option<String> {
        match serde_json::from_str::<hangar_types::model::environments::EnvironmentCreate>(&text) {
            Ok(config) => {
                form.update(|f| f.edit(|fields| fields.apply(&config)));
                None
            }
            Err(e) => Some(format!("Not an environment configuration yet: {e}")),
        }
    });
    view! {
        <form class="card form" id="environment-form" on:submit=on_submit on:keydown=on_keydown novalidate>
            {restored.then(|| view! { <p class="result warn" role="status" id="env-draft-note">"Your unsaved changes were kept while you were away. Save them, or Cancel to discard them."</p> })}
            <TextField field=bind!(form, name) id="env-name" label="Name" placeholder="python-data" />
            <TextField field=bind!(form, description) id="env-description" label="Description" />
            <Show when=cloud fallback=|| view! { <p class="muted">"This environment is self-hosted: your own computers run its tools, so it has no networking or packages to set here."</p> }>
                <fieldset class="field group" id="env-networking">
                    <legend>"Networking"</legend>
                    <div class="radios" role="radiogroup" aria-label="Networking">
                        <label class="inline"><input type="radio" name="env-net" id="env-net-unrestricted" value="unrestricted"
                            prop:checked=move || !limited() on:change=move |_| set_net("unrestricted") />"Unrestricted"</label>
                        <label class="inline"><input type="radio" name="env-net" id="env-net-limited" value="limited"
                            prop:checked=limited on:change=move |_| set_net("limited") />"Limited"</label>
                    </div>
                    <p class="field-hint">{move || if limited() { "The container reaches only the hosts below (and, if allowed, MCP servers and package registries)." } else { "The container can reach any host on the internet." }}</p>
                    <Show when=limited>
                        <ListEditor field=bind!(form, hosts) id="env-hosts" label="Allowed hosts" rows=4
                            hint="One host per line, like api.example.com or *.example.com. Each is checked as you type." />
                        <Toggle field=bind!(form, allow_mcp) id="env-allow-mcp" label="Allow MCP servers" />
                        <Toggle field=bind!(form, allow_packages) id="env-allow-packages" label="Allow package managers"
                            hint="Needed to install the packages below." />
                    </Show>
                </fieldset>
                <fieldset class="field group packages" id="env-packages">
                    <legend>"Packages"</legend>
                    <p class="field-hint">"Installed when a session starts; one per line, with a version if you like (pandas==2.2.3)."</p>
                    <div class="package-grid">
                        <ListEditor field=bind!(form, pip) id="env-packages-pip" label="pip" rows=3 />
                        <ListEditor field=bind!(form, npm) id="env-packages-npm" label="npm" rows=3 />
                        <ListEditor field=bind!(form, apt) id="env-packages-apt" label="apt" rows=3 />
                        <ListEditor field=bind!(form, cargo) id="env-packages-cargo" label="cargo" rows=3 />
                        <ListEditor field=bind!(form, gem) id="env-packages-gem" label="gem" rows=3 />
                        <ListEditor field=bind!(form, go) id="env-packages-go" label="go" rows=3 />
                    </div>
                </fieldset>
            </Show>
            <KeyValueRows field=bind!(form, metadata) id="env-metadata" label="Metadata" add_label="Add metadata"
                check_row=|k, v| hangar_types::validate::metadata(&[(k, v)]).map(drop) />
            <FormProblem id="env-problem" problem=problem />
            <div class="actions">
                <button type="submit" id="env-save" class="primary" disabled=saving>{move || if saving() { "Saving…" } else { "Save" }}</button>
                <button type="button" id="env-cancel" on:click=cancel disabled=saving>"Cancel"</button>
                <span class="muted keys">"Ctrl+S saves."</span>
            </div>
        </form>
        <RawView id="env-raw" json=raw apply=apply_raw />
    }
}

/// The new-environment page.
#[component]
pub fn NewEnvironment() -> impl IntoView {
    let router = use_router();
    let key = drafts::key(&profile_id(), &Route::NewEnvironment.to_path());
    let saved =
        Callback::new(move |env: Environment| router.replace(Route::Environment { id: env.id }));
    view! {
        <section class="page" id="page-new-environment">
            <h1>"New environment"</h1>
            <OfflineNote what="your environments" />
            <EnvironmentForm existing=None draft_key=key on_saved=saved />
        </section>
    }
}

/// One environment.
#[component]
pub fn EnvironmentScreen() -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let router = use_router();
    let id = router.with_route_untracked(|r| match r {
        Route::Environment { id } => id.clone(),
        _ => Default::default(),
    });
    let env = RwSignal::new(None::<Environment>);
    let cached = RwSignal::new(false);
    let failed = RwSignal::new(None::<String>);
    {
        let id = id.clone();
        spawn_local(async move {
            match ipc::invoke::<cmd::EnvironmentGet>(&EnvironmentGetInput { id }).await {
                Ok(out) => {
                    cached.set(out.cached);
                    env.set(Some(out.environment));
                }
                Err(e) => failed.set(Some(e.message)),
            }
        });
    }
    let key = drafts::key(
        &profile_id(),
        &Route::Environment { id: id.clone() }.to_path(),
    );
    let saved = Callback::new(move |e: Environment| env.set(Some(e)));
    let archive = {
        let id = id.clone();
        Callback::new(move |()| {
            let id = id.clone();
            spawn_local(async move {
                match ipc::invoke::<cmd::EnvironmentArchive>(&EnvironmentIdInput { id }).await {
                    Ok(e) => {
                        ctx.notices.success(
                            "Archived",
                            &format!("“{}” is archived: it can start no new sessions.", e.name),
                        );
                        env.set(Some(e));
                    }
                    Err(e) => {
                        ctx.notices.error("Could not archive the environment", &e);
                    }
                }
            });
        })
    };
    let delete = Callback::new(move |()| {
        let id = id.clone();
        spawn_local(async move {
            match ipc::invoke::<cmd::EnvironmentDelete>(&EnvironmentIdInput { id }).await {
                Ok(()) => {
                    ctx.notices
                        .success("Deleted", "The environment was deleted.");
                    router.navigate(Route::Environments);
                }
                Err(e) => {
                    ctx.notices.error("Could not delete the environment", &e);
                }
            }
        });
    });
    let loaded = Memo::new(move |_| env.with(Option::is_some));
    let name = move || {
        env.with(|e| {
            e.as_ref()
                .map(|e| e.name.clone())
                .unwrap_or_else(|| "Environment".into())
        })
    };
    let archived =
        Signal::derive(move || env.with(|e| e.as_ref().is_some_and(|e| e.archived_at.is_some())));
    view! {
        <section class="page" id="page-environment">
            <div class="page-head">
                <h1>{name}<Show when=move || archived.get()><span class="status-chip archived">"archived"</span></Show></h1>
                <div class="head-actions">
                    <ConfirmButton id="env-archive" label="Archive" on_confirm=archive disabled=archived
                        question=Signal::derive(move || format!("Archive “{}”? It can start no new sessions.", name())) />
                    <ConfirmButton id="env-delete" label="Delete" on_confirm=delete danger=true
                        question=Signal::derive(move || format!("Delete “{}” for good?", name())) />
                </div>
            </div>
            <OfflineNote cached=cached what="this environment" />
            {move || failed.get().map(|m| view! { <p class="result bad" role="alert">{format!("Could not open this environment: {m}")}</p> })}
            {move || loaded.get().then(|| view! {
                <EnvironmentForm existing=env.get_untracked() draft_key=key.clone() on_saved=saved />
            })}
        </section>
    }
}
