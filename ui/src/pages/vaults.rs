//! The vaults list (from the cache, refreshed by the sync) and "New vault".

use hangar_types::{cmd, validate, ListInput, VaultCreateInput, VaultListItem};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::configure::{
    config_changes, profile_id, save_problem, when, FormProblem, OfflineNote,
};
use crate::components::fields::{bind, TextField};
use crate::form::{fields, Field, Form, NotSent};
use crate::load::{load_latest, Latest};
use crate::route::Route;
use crate::router::use_router;
use crate::{focus, ipc, AppContext};

/// The new-vault form.
#[derive(Debug, Clone)]
pub struct VaultFields {
    /// Its name.
    pub display_name: Field<String>,
}
fields!(VaultFields { display_name });

impl VaultFields {
    /// A form starting at `name`.
    pub fn new(name: &str) -> Self {
        VaultFields {
            display_name: Field::new("displayName", name.to_string())
                .checked(|v| validate::vault_name(v).map(drop)),
        }
    }
}

/// The Vaults page.
#[component]
pub fn Vaults() -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let router = use_router();
    let items = RwSignal::new(Latest::<Vec<VaultListItem>>::new());
    let archived = RwSignal::new(false);
    let changes = config_changes();
    Effect::new(move |previous: Option<String>| {
        let profile = profile_id();
        changes.track();
        if previous.is_some_and(|p| p != profile) {
            items.update(Latest::clear);
        }
        let input = ListInput {
            include_archived: archived.get(),
        };
        load_latest(
            items,
            async move { ipc::invoke::<cmd::VaultList>(&input).await },
            move |e| {
                ctx.notices.error("Could not read the vault list", &e);
            },
        );
        profile
    });
    let creating = RwSignal::new(false);
    let form = RwSignal::new(Form::new(VaultFields::new("")));
    let problem = RwSignal::new(None::<String>);
    router.guard_leave(Signal::derive(move || form.with(Form::has_unsaved_changes)));
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match form.try_update(Form::begin_submit) {
            Some(Ok(())) => {}
            Some(Err(NotSent::Invalid(_))) => {
                focus("vault-name");
                return;
            }
            _ => return,
        }
        problem.set(None);
        let name = form.with_untracked(|f| f.fields.display_name.value().trim().to_string());
        spawn_local(async move {
            let input = VaultCreateInput {
                display_name: name,
                metadata: Default::default(),
            };
            match ipc::invoke::<cmd::VaultCreate>(&input).await {
                Ok(vault) => {
                    form.set(Form::new(VaultFields::new("")));
                    creating.set(false);
                    ctx.notices.success(
                        "Vault created",
                        &format!("“{}” is ready for credentials.", vault.display_name),
                    );
                    router.navigate(Route::Vault { id: vault.id });
                }
                Err(e) => {
                    let text = save_problem(&e);
                    if form.try_update(|f| f.fail(e)).flatten().is_none() {
                        problem.set(Some(text));
                    }
                }
            }
        });
    };
    let list = move || items.with(|l| l.value().cloned());
    view! {
        <section class="page" id="page-vaults">
            <div class="page-head">
                <h1>"Vaults"</h1>
                <button type="button" id="vaults-new" class="primary" on:click=move |_| { creating.set(true); request_animation_frame(|| focus("vault-name")); }>"New vault"</button>
            </div>
            <OfflineNote what="your vaults" />
            <Show when=move || creating.get()>
                <form class="card form" id="vault-form" on:submit=save novalidate>
                    <h2>"New vault"</h2>
                    <TextField field=bind!(form, display_name) id="vault-name" label="Name" placeholder="Team credentials"
                        maxlength=validate::DISPLAY_NAME_MAX hint="A vault holds the credentials agents use (MCP servers, API keys)." />
                    <FormProblem id="vault-problem" problem=problem />
                    <div class="actions">
                        <button type="submit" id="vault-save" class="primary">"Save"</button>
                        <button type="button" id="vault-cancel" on:click=move |_| { form.set(Form::new(VaultFields::new(""))); creating.set(false); }>"Cancel"</button>
                    </div>
                </form>
            </Show>
            <label class="inline show-archived">
                <input type="checkbox" id="vaults-archived" prop:checked=move || archived.get()
                    on:change=move |ev| archived.set(event_target_checked(&ev)) />
                "Show archived vaults"
            </label>
            {move || match list() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(list) if list.is_empty() => view! {
                    <div class="empty-state">
                        <h2>"No vaults yet"</h2>
                        <p>"Vaults hold the credentials agents use for MCP servers. Secrets are never shown again."</p>
                    </div>
                }.into_any(),
                Some(list) => view! {
                    <table class="list-table" id="vault-list">
                        <thead><tr><th>"Name"</th><th>"Credentials"</th><th>"Last updated"</th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|v| {
                                let open = Route::Vault { id: v.id.clone() };
                                view! {
                                    <tr id=format!("vault-{}", v.id) class:archived=v.archived>
                                        <td>
                                            <button type="button" class="link name" on:click=move |_| router.navigate(open.clone())>{v.display_name.clone()}</button>
                                            {v.archived.then(|| view! { <span class="status-chip archived">"archived"</span> })}
                                        </td>
                                        <td>{v.credentials.to_string()}</td>
                                        <td>{v.updated_at.as_deref().map(when).unwrap_or_default()}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
        </section>
    }
}
