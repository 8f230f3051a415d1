//! One vault: rename, archive, delete; its credentials (never a secret); "Add credential" of
//! each type; rotate, archive, delete a credential; "Test connection" for MCP OAuth.
//!
//! A secret typed here goes from its password field to the backend, which sends it to the API
//! and nowhere else; the field is emptied once it is sent, and no draft keeps it.

use hangar_types::model::common::Secret;
use hangar_types::model::vaults::{
    Credential, CredentialAuthInfo, CredentialAuthUpdate, CredentialNetworking, Vault,
};
use hangar_types::{cmd, CredentialIdInput, CredentialUpdateInput, VaultIdInput, VaultRenameInput};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::vaults::VaultFields;
use crate::components::configure::{
    save_problem, when, ConfirmButton, FormProblem, OfflineNote, RawView,
};
use crate::components::fields::{
    bind, Choice, InputKind, ListEditor, PasswordField, SelectField, TextField, Toggle,
};
use crate::env_form::{
    credential_form, credential_input_id, credential_type_label, CREDENTIAL_TYPES,
};
use crate::form::{Form, NotSent};
use crate::route::Route;
use crate::router::use_router;
use crate::{focus, ipc, AppContext};

/// One vault.
#[component]
pub fn VaultScreen() -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let router = use_router();
    let id = router.with_route_untracked(|r| match r {
        Route::Vault { id } => id.clone(),
        _ => Default::default(),
    });
    let vault = RwSignal::new(None::<Vault>);
    let credentials = RwSignal::new(Vec::<Credential>::new());
    let cached = RwSignal::new(false);
    let failed = RwSignal::new(None::<String>);
    let load = {
        let id = id.clone();
        move || {
            let id = id.clone();
            spawn_local(async move {
                match ipc::invoke::<cmd::VaultGet>(&VaultIdInput { id }).await {
                    Ok(out) => {
                        cached.set(out.cached);
                        credentials.set(out.credentials);
                        vault.set(Some(out.vault));
                    }
                    Err(e) => failed.set(Some(e.message)),
                }
            });
        }
    };
    load();
    let rename = RwSignal::new(Form::new(VaultFields::new("")));
    Effect::new(move |_| {
        if let Some(v) = vault.get() {
            if !rename.with_untracked(Form::has_unsaved_changes) {
                rename.set(Form::new(VaultFields::new(&v.display_name)));
            }
        }
    });
    router.guard_leave(Signal::derive(move || {
        rename.with(Form::has_unsaved_changes)
    }));
    let rename_problem = RwSignal::new(None::<String>);
    let save_name = {
        let id = id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            match rename.try_update(Form::begin_submit) {
                Some(Ok(())) => {}
                Some(Err(NotSent::Invalid(_))) => {
                    focus("vault-rename");
                    return;
                }
                _ => return,
            }
            rename_problem.set(None);
            let input = VaultRenameInput {
                id: id.clone(),
                display_name: rename
                    .with_untracked(|f| f.fields.display_name.value().trim().to_string()),
            };
            spawn_local(async move {
                match ipc::invoke::<cmd::VaultRename>(&input).await {
                    Ok(v) => {
                        rename.update(Form::succeed);
                        ctx.notices.success(
                            "Renamed",
                            &format!("The vault is now “{}”.", v.display_name),
                        );
                        vault.set(Some(v));
                    }
                    Err(e) => {
                        let text = save_problem(&e);
                        if rename.try_update(|f| f.fail(e)).flatten().is_none() {
                            rename_problem.set(Some(text));
                        }
                    }
                }
            });
        }
    };
    let archive = {
        let id = id.clone();
        Callback::new(move |()| {
            let id = id.clone();
            spawn_local(async move {
                match ipc::invoke::<cmd::VaultArchive>(&VaultIdInput { id }).await {
                    Ok(v) => {
                        ctx.notices
                            .success("Archived", &format!("“{}” is archived.", v.display_name));
                        vault.set(Some(v));
                    }
                    Err(e) => {
                        ctx.notices.error("Could not archive the vault", &e);
                    }
                }
            });
        })
    };
    let delete = {
        let id = id.clone();
        Callback::new(move |()| {
            let id = id.clone();
            spawn_local(async move {
                match ipc::invoke::<cmd::VaultDelete>(&VaultIdInput { id }).await {
                    Ok(()) => {
                        ctx.notices
                            .success("Deleted", "The vault and its credentials were deleted.");
                        router.navigate(Route::Vaults);
                    }
                    Err(e) => {
                        ctx.notices.error("Could not delete the vault", &e);
                    }
                }
            });
        })
    };
    let adding = RwSignal::new(false);
    let reload = Callback::new(move |()| load());
    let name = move || {
        vault.with(|v| {
            v.as_ref()
                .map(|v| v.display_name.clone())
                .unwrap_or_else(|| "Vault".into())
        })
    };
    let archived =
        Signal::derive(move || vault.with(|v| v.as_ref().is_some_and(|v| v.archived_at.is_some())));
    let vault_id = id.clone();
    view! {
        <section class="page" id="page-vault">
            <div class="page-head">
                <h1>{name}<Show when=move || archived.get()><span class="status-chip archived">"archived"</span></Show></h1>
                <div class="head-actions">
                    <ConfirmButton id="vault-archive" label="Archive" on_confirm=archive disabled=archived
                        question=Signal::derive(move || format!("Archive “{}”? Sessions can no longer use it.", name())) />
                    <ConfirmButton id="vault-delete" label="Delete" on_confirm=delete danger=true
                        question=Signal::derive(move || format!("Delete “{}” and all its credentials for good?", name())) />
                </div>
            </div>
            <OfflineNote cached=cached what="this vault" />
            {move || failed.get().map(|m| view! { <p class="result bad" role="alert">{format!("Could not open this vault: {m}")}</p> })}
            <form class="card form inline-form" id="vault-rename-form" on:submit=save_name novalidate>
                <TextField field=bind!(rename, display_name) id="vault-rename" label="Name" maxlength=hangar_types::validate::DISPLAY_NAME_MAX />
                <FormProblem id="vault-rename-problem" problem=rename_problem />
                <div class="actions"><button type="submit" id="vault-rename-save">"Save"</button></div>
            </form>
            <div class="card wide">
                <div class="page-head">
                    <h2>"Credentials"</h2>
                    <button type="button" id="credential-add" class="primary" on:click=move |_| { adding.set(true); request_animation_frame(|| focus("cred-type")); }>"Add credential"</button>
                </div>
                <p class="muted">"Secrets are sent to the API and never stored or shown again; a credential lists only what it is for."</p>
                <Show when=move || adding.get()>
                    <AddCredential vault_id=vault_id.clone() done=Callback::new(move |added: bool| { adding.set(false); if added { reload.run(()) } }) />
                </Show>
                {move || {
                    let list = credentials.get();
                    if list.is_empty() {
                        view! { <p class="muted" id="credential-empty">"No credentials yet."</p> }.into_any()
                    } else {
                        view! {
                            <table class="list-table" id="credential-list">
                                <thead><tr><th>"Name"</th><th>"Type"</th><th>"For"</th><th>"Updated"</th><th><span class="visually-hidden">"Actions"</span></th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|c| view! { <CredentialRow credential=c reload=reload /> }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    }
                }}
            </div>
        </section>
    }
}

fn auth_kind(auth: &CredentialAuthInfo) -> &str {
    match auth {
        CredentialAuthInfo::StaticBearer { .. } => "static_bearer",
        CredentialAuthInfo::McpOauth { .. } => "mcp_oauth",
        CredentialAuthInfo::EnvironmentVariable { .. } => "environment_variable",
        CredentialAuthInfo::Other(u) => &u.kind,
    }
}

fn auth_target(auth: &CredentialAuthInfo) -> String {
    match auth {
        CredentialAuthInfo::StaticBearer { mcp_server_url } => mcp_server_url.clone(),
        CredentialAuthInfo::McpOauth {
            mcp_server_url,
            expires_at,
            ..
        } => match expires_at {
            Some(at) => format!("{mcp_server_url} (expires {})", when(at)),
            None => mcp_server_url.clone(),
        },
        CredentialAuthInfo::EnvironmentVariable {
            secret_name,
            networking,
            ..
        } => match networking {
            CredentialNetworking::Limited { allowed_hosts } => {
                format!("${secret_name} → {}", allowed_hosts.join(", "))
            }
            _ => format!("${secret_name} → any host"),
        },
        CredentialAuthInfo::Other(_) => String::new(),
    }
}

/// One credential: what it is for, and rotate / test / archive / delete.
#[component]
fn CredentialRow(credential: Credential, reload: Callback<()>) -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let c = credential.clone();
    let kind = auth_kind(&c.auth).to_string();
    let rotating = RwSignal::new(false);
    let secret = RwSignal::new(String::new());
    let result = RwSignal::new(None::<String>);
    let ids = CredentialIdInput {
        vault_id: c.vault_id.clone(),
        credential_id: c.id.clone(),
    };
    let row_id = format!("credential-{}", c.id);
    let rotate = {
        let ids = ids.clone();
        let kind = kind.clone();
        Callback::new(move |()| {
            let value = secret.get_untracked();
            if value.trim().is_empty() {
                result.set(Some("Paste the new secret first.".into()));
                return;
            }
            let s = Some(Secret::new(value.trim()));
            let auth = match kind.as_str() {
                "mcp_oauth" => CredentialAuthUpdate::McpOauth {
                    access_token: s,
                    expires_at: Default::default(),
                    refresh: None,
                },
                "environment_variable" => CredentialAuthUpdate::EnvironmentVariable {
                    secret_value: s,
                    networking: None,
                    injection_location: None,
                },
                _ => CredentialAuthUpdate::StaticBearer { token: s },
            };
            // The secret leaves the page now.
            secret.set(String::new());
            let input = CredentialUpdateInput {
                vault_id: ids.vault_id.clone(),
                credential_id: ids.credential_id.clone(),
                display_name: None,
                auth: Some(auth),
            };
            spawn_local(async move {
                match ipc::invoke::<cmd::CredentialUpdate>(&input).await {
                    Ok(_) => {
                        rotating.set(false);
                        ctx.notices
                            .success("Rotated", "The new secret is stored by the API.");
                        reload.run(());
                    }
                    Err(e) => result.set(Some(save_problem(&e))),
                }
            });
        })
    };
    let test = {
        let ids = ids.clone();
        move |_| {
            let ids = ids.clone();
            result.set(Some("Testing…".into()));
            spawn_local(async move {
                match ipc::invoke::<cmd::CredentialTest>(&ids).await {
                    Ok(out) => result.set(Some(out.summary)),
                    Err(e) => result.set(Some(e.message)),
                }
            });
        }
    };
    let archive = {
        let ids = ids.clone();
        Callback::new(move |()| {
            let ids = ids.clone();
            spawn_local(async move {
                match ipc::invoke::<cmd::CredentialArchive>(&ids).await {
                    Ok(_) => reload.run(()),
                    Err(e) => {
                        ctx.notices.error("Could not archive the credential", &e);
                    }
                }
            });
        })
    };
    let delete = Callback::new(move |()| {
        let ids = ids.clone();
        spawn_local(async move {
            match ipc::invoke::<cmd::CredentialDelete>(&ids).await {
                Ok(()) => reload.run(()),
                Err(e) => {
                    ctx.notices.error("Could not delete the credential", &e);
                }
            }
        });
    });
    let is_oauth = kind == "mcp_oauth";
    let archived = c.archived_at.is_some();
    let secret_id = StoredValue::new(format!("{row_id}-secret"));
    let label = c
        .display_name
        .clone()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "(no name)".into());
    view! {
        <tr id=row_id.clone() class="credential-row" class:archived=archived>
            <td>{label}{archived.then(|| view! { <span class="status-chip archived">"archived"</span> })}</td>
            <td>{credential_type_label(&kind).to_string()}</td>
            <td class="wrap"><code>{auth_target(&c.auth)}</code></td>
            <td>{when(&c.updated_at)}</td>
            <td class="row-actions">
                <button type="button" id=format!("{row_id}-rotate") on:click=move |_| rotating.update(|r| *r = !*r) disabled=archived>"Rotate"</button>
                {is_oauth.then(|| view! { <button type="button" id=format!("{row_id}-test") on:click=test.clone()>"Test connection"</button> })}
                <ConfirmButton id=format!("{row_id}-archive") label="Archive" on_confirm=archive disabled=Signal::derive(move || archived)
                    question=Signal::derive(|| "Archive this credential? Sessions stop using it.".to_string()) />
                <ConfirmButton id=format!("{row_id}-delete") label="Delete" on_confirm=delete danger=true
                    question=Signal::derive(|| "Delete this credential for good?".to_string()) />
            </td>
        </tr>
        <Show when=move || rotating.get() || result.with(Option::is_some)>
            <tr class="credential-detail">
                <td colspan="5">
                    <Show when=move || rotating.get()>
                        <form class="inline-form" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); rotate.run(()) } novalidate>
                            <label for=secret_id.get_value()>"New secret"</label>
                            <input type="password" id=secret_id.get_value() autocomplete="off" spellcheck="false"
                                prop:value=move || secret.get() on:input=move |ev| secret.set(event_target_value(&ev)) />
                            <button type="submit" class="primary">"Save"</button>
                            <button type="button" on:click=move |_| { secret.set(String::new()); rotating.set(false); }>"Cancel"</button>
                        </form>
                    </Show>
                    {move || result.get().map(|m| view! { <p class="field-hint" role="status">{m}</p> })}
                </td>
            </tr>
        </Show>
    }
}

/// "Add credential": the type (a static bearer token by default), what it is for, the secret.
#[component]
fn AddCredential(vault_id: hangar_types::VaultId, done: Callback<bool>) -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let form = RwSignal::new(credential_form());
    let problem = RwSignal::new(None::<String>);
    let kind = move || form.with(|f| f.fields.kind.value().clone());
    let send = move || {
        match form.try_update(Form::begin_submit) {
            Some(Ok(())) => {}
            Some(Err(NotSent::Invalid(first))) => {
                focus(credential_input_id(first));
                return;
            }
            _ => return,
        }
        problem.set(None);
        let input = form.with_untracked(|f| f.fields.input(vault_id.clone()));
        spawn_local(async move {
            let result = ipc::invoke::<cmd::CredentialCreate>(&input).await;
            drop(input);
            match result {
                Ok(c) => {
                    form.update(|f| {
                        f.fields.clear_secrets();
                        f.succeed();
                    });
                    ctx.notices.success(
                        "Credential added",
                        &format!(
                            "“{}” is stored by the API; its secret is not kept here.",
                            c.display_name.unwrap_or_else(|| "The credential".into())
                        ),
                    );
                    done.run(true);
                }
                Err(e) => {
                    let text = save_problem(&e);
                    match form.try_update(|f| f.fail(e)).flatten() {
                        Some(field) => focus(credential_input_id(field)),
                        None => problem.set(Some(text)),
                    }
                }
            }
        });
    };
    let submit = send.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit();
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if crate::components::configure::is_save_chord(&ev) {
            ev.prevent_default();
            send();
        }
    };
    let types = Signal::derive(|| {
        CREDENTIAL_TYPES
            .iter()
            .map(|(v, l)| Choice::new(*v, *l))
            .collect::<Vec<_>>()
    });
    let auths = Signal::derive(|| {
        vec![
            Choice::new("none", "None (a public client)"),
            Choice::new("client_secret_basic", "Client secret (HTTP Basic)"),
            Choice::new("client_secret_post", "Client secret (in the form body)"),
        ]
    });
    let is = move |k: &'static str| move || kind() == k;
    let refresh_on = move || form.with(|f| *f.fields.refresh.value());
    let needs_secret = move || form.with(|f| f.fields.endpoint_auth.value() != "none");
    let limited = move || form.with(|f| f.fields.networking.value() == "limited");
    let set_net = move |v: &'static str| form.update(|f| f.edit(|f| f.networking.set(v.into())));
    let raw = Signal::derive(move || form.with(|f| f.fields.raw_view()));
    let apply_raw = Callback::new(move |text: String| -> Option<String> {
        let v: serde_json::Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => return Some(format!("Not valid JSON yet: {e}")),
        };
        let s = |p: &str| v.pointer(p).and_then(|x| x.as_str()).map(str::to_string);
        form.update(|f| {
            f.edit(|f| {
                if let Some(k) = s("/auth/type") {
                    f.kind.set(k)
                }
                if let Some(n) = s("/displayName") {
                    f.display_name.set(n)
                }
                if let Some(u) = s("/auth/mcp_server_url") {
                    f.mcp_server_url.set(u)
                }
                if let Some(n) = s("/auth/secret_name") {
                    f.secret_name.set(n)
                }
            })
        });
        None
    });
    let saving = move || form.with(Form::is_saving);
    view! {
        <form class="form credential-form" id="credential-form" on:submit=on_submit on:keydown=on_keydown novalidate autocomplete="off">
            <h3>"Add credential"</h3>
            <SelectField field=bind!(form, kind) id="cred-type" label="Type" choices=types />
            <TextField field=bind!(form, display_name) id="cred-name" label="Name" placeholder="GitHub MCP" maxlength=hangar_types::validate::DISPLAY_NAME_MAX />
            <Show when=move || !is("environment_variable")()>
                <TextField field=bind!(form, mcp_server_url) id="cred-url" label="MCP server URL" kind=InputKind::Url placeholder="https://mcp.example.com/mcp" />
            </Show>
            <Show when=is("static_bearer")>
                <PasswordField field=bind!(form, token) id="cred-token" label="Token" hint="Sent to the API only; never stored or shown again." />
            </Show>
            <Show when=is("mcp_oauth")>
                <PasswordField field=bind!(form, token) id="cred-token" label="Access token" hint="Sent to the API only; never stored or shown again." />
                <TextField field=bind!(form, expires_at) id="cred-expires" label="Expires at" placeholder="2030-01-31T12:00:00Z" hint="Optional: when the access token stops working." />
                <Toggle field=bind!(form, refresh) id="cred-refresh" label="The API refreshes the token" />
                <Show when=refresh_on>
                    <TextField field=bind!(form, client_id) id="cred-client-id" label="Client id" />
                    <PasswordField field=bind!(form, refresh_token) id="cred-refresh-token" label="Refresh token" />
                    <TextField field=bind!(form, token_endpoint) id="cred-token-endpoint" label="Token endpoint" kind=InputKind::Url placeholder="https://auth.example.com/oauth/token" />
                    <SelectField field=bind!(form, endpoint_auth) id="cred-endpoint-auth" label="Client authentication" choices=auths />
                    <Show when=needs_secret>
                        <PasswordField field=bind!(form, client_secret) id="cred-client-secret" label="Client secret" />
                    </Show>
                    <TextField field=bind!(form, scope) id="cred-scope" label="Scope" placeholder="read write" />
                    <TextField field=bind!(form, resource) id="cred-resource" label="Resource" />
                </Show>
            </Show>
            <Show when=is("environment_variable")>
                <TextField field=bind!(form, secret_name) id="cred-secret-name" label="Variable name" placeholder="STRIPE_API_KEY" hint="Cannot be changed later." />
                <PasswordField field=bind!(form, token) id="cred-token" label="Value" hint="Sent to the API only; never stored or shown again." />
                <fieldset class="field group">
                    <legend>"Where it may be sent"</legend>
                    <div class="radios" role="radiogroup" aria-label="Where it may be sent">
                        <label class="inline"><input type="radio" name="cred-net" id="cred-net-limited" prop:checked=limited on:change=move |_| set_net("limited") />"Limited"</label>
                        <label class="inline"><input type="radio" name="cred-net" id="cred-net-unrestricted" prop:checked=move || !limited() on:change=move |_| set_net("unrestricted") />"Unrestricted"</label>
                    </div>
                    <Show when=limited>
                        <ListEditor field=bind!(form, hosts) id="cred-hosts" label="Allowed hosts" rows=3 hint="One host per line, at most 16." />
                    </Show>
                    <Toggle field=bind!(form, inject_header) id="cred-inject-header" label="In request headers" />
                    <Toggle field=bind!(form, inject_body) id="cred-inject-body" label="In request bodies" />
                </fieldset>
            </Show>
            <FormProblem id="cred-problem" problem=problem />
            <div class="actions">
                <button type="submit" id="cred-save" class="primary" disabled=saving>{move || if saving() { "Saving…" } else { "Save" }}</button>
                <button type="button" id="cred-cancel" on:click=move |_| { form.update(|f| f.fields.clear_secrets()); done.run(false) }>"Cancel"</button>
            </div>
        </form>
        <RawView id="cred-raw" json=raw apply=apply_raw hint="The request body that Save sends; secrets stay in their password fields." />
    }
}
