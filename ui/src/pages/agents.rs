//! The agents list (from the cache, refreshed by the sync), "Start from a template", and
//! importing an agent file (shown before anything is created).

use hangar_types::{cmd, AgentCreateInput, AgentImport, AgentListItem, ImportInput, ListInput};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::agent_form::{self, AgentFields};
use crate::components::configure::{config_changes, profile_id, when, OfflineNote};
use crate::load::{load_latest, Latest};
use crate::route::{AgentTab, Route};
use crate::router::use_router;
use crate::{drafts, ipc, templates, AppContext};

/// Opens the new-agent form filled with `config` (kept as its draft until saved).
fn open_new_with(config: &hangar_types::model::agents::AgentCreate) {
    let mut form = agent_form::form(AgentFields::empty());
    form.edit(|f| f.apply(config));
    drafts::keep(
        &drafts::key(&profile_id(), &Route::NewAgent.to_path()),
        form,
    );
    use_router().navigate(Route::NewAgent);
}

/// The Agents page.
#[component]
pub fn Agents() -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let router = use_router();
    let items = RwSignal::new(Latest::<Vec<AgentListItem>>::new());
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
            async move { ipc::invoke::<cmd::AgentList>(&input).await },
            move |e| {
                ctx.notices.error("Could not read the agent list", &e);
            },
        );
        profile
    });
    let picking = RwSignal::new(false);
    let imported = RwSignal::new(None::<AgentImport>);
    let import = move |_| {
        spawn_local(async move {
            match ipc::invoke::<cmd::AgentImport>(&ImportInput::default()).await {
                Ok(Some(file)) => imported.set(Some(file)),
                Ok(None) => {}
                Err(e) => {
                    ctx.notices.error("Could not import the file", &e);
                }
            }
        });
    };
    let create_imported = move |_| {
        let Some(file) = imported.get_untracked() else {
            return;
        };
        spawn_local(async move {
            match ipc::invoke::<cmd::AgentCreate>(&AgentCreateInput {
                config: file.config,
            })
            .await
            {
                Ok(agent) => {
                    imported.set(None);
                    ctx.notices.success(
                        "Imported",
                        &format!("“{}” was created from {}.", agent.name, file.file_name),
                    );
                    router.navigate(Route::Agent {
                        id: agent.id,
                        tab: AgentTab::Settings,
                        version: None,
                    });
                }
                Err(e) => {
                    ctx.notices.error("Could not create the imported agent", &e);
                }
            }
        });
    };
    let list = move || items.with(|l| l.value().cloned());
    view! {
        <section class="page" id="page-agents">
            <div class="page-head">
                <h1>"Agents"</h1>
                <div class="head-actions">
                    <button type="button" id="agents-import" on:click=import>"Import"</button>
                    <button type="button" id="agents-templates" aria-expanded=move || picking.get().to_string()
                        on:click=move |_| picking.update(|p| *p = !*p)>"Start from a template"</button>
                    <button type="button" id="agents-new" class="primary" on:click=move |_| router.navigate(Route::NewAgent)>"New agent"</button>
                </div>
            </div>
            <OfflineNote what="your agents" />
            <Show when=move || picking.get()>
                <div class="templates" id="template-picker" role="region" aria-label="Templates">
                    {templates::all().into_iter().map(|t| {
                        let config = t.config.clone();
                        view! {
                            <div class="template card" id=format!("template-{}", t.slug)>
                                <h2>{t.title}</h2>
                                <p class="muted">{t.blurb}</p>
                                <button type="button" id=format!("template-{}-use", t.slug) on:click=move |_| open_new_with(&config)>"Use this template"</button>
                            </div>
                        }
                    }).collect_view()}
                </div>
            </Show>
            {move || imported.get().map(|file| {
                let summary = import_summary(&file);
                let ok = file.problems.is_empty();
                let json = serde_json::to_string_pretty(&file.config).unwrap_or_default();
                let edit_config = file.config.clone();
                view! {
                    <div class="card import-preview" id="import-preview" role="region" aria-label="Import">
                        <h2>{format!("Import “{}” from {}", file.config.name, file.file_name)}</h2>
                        <p class="muted">"Nothing is created until you choose Create agent. This is what the file holds:"</p>
                        <dl class="facts">{summary.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}</dl>
                        {(!ok).then(|| view! {
                            <ul class="problems" role="alert">{file.problems.iter().map(|(f, m)| view! { <li>{format!("{f}: {m}")}</li> }).collect_view()}</ul>
                        })}
                        <details><summary>"The JSON"</summary><pre class="raw">{json}</pre></details>
                        <div class="actions">
                            <button type="button" id="import-create" class="primary" disabled=!ok on:click=create_imported>"Create agent"</button>
                            <button type="button" id="import-edit" on:click=move |_| { imported.set(None); open_new_with(&edit_config) }>"Edit before creating"</button>
                            <button type="button" id="import-cancel" on:click=move |_| imported.set(None)>"Cancel"</button>
                        </div>
                    </div>
                }
            })}
            <label class="inline show-archived">
                <input type="checkbox" id="agents-archived" prop:checked=move || archived.get()
                    on:change=move |ev| archived.set(event_target_checked(&ev)) />
                "Show archived agents"
            </label>
            {move || match list() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(list) if list.is_empty() => view! {
                    <div class="empty-state">
                        <h2>"No agents yet"</h2>
                        <p>"An agent is a saved configuration: model, instructions, tools. Each save keeps a version."</p>
                    </div>
                }.into_any(),
                Some(list) => view! {
                    <table class="list-table" id="agent-list">
                        <thead><tr><th>"Name"</th><th>"Model"</th><th>"Version"</th><th>"Last updated"</th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|a| {
                                let open = Route::Agent { id: a.id.clone(), tab: AgentTab::Settings, version: None };
                                view! {
                                    <tr id=format!("agent-{}", a.id) class="agent-row" class:archived=a.archived>
                                        <td>
                                            <button type="button" class="link name" on:click=move |_| router.navigate(open.clone())>{a.name.clone()}</button>
                                            {a.archived.then(|| view! { <span class="status-chip archived">"archived"</span> })}
                                            {a.description.clone().map(|d| view! { <div class="muted small">{d}</div> })}
                                        </td>
                                        <td><code>{a.model.clone()}</code></td>
                                        <td>{format!("v{}", a.version)}</td>
                                        <td>{a.updated_at.as_deref().map(when).unwrap_or_default()}</td>
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

/// What an imported file would create, in a few lines.
fn import_summary(file: &AgentImport) -> Vec<(&'static str, String)> {
    use hangar_types::model::agents::{KnownTool, Tool};
    let c = &file.config;
    let tools: Vec<String> = c
        .tools
        .iter()
        .map(|t| match t {
            Tool::Known(KnownTool::Toolset { .. }) => "built-in tools".to_string(),
            Tool::Known(KnownTool::Mcp {
                mcp_server_name, ..
            }) => format!("tools of {mcp_server_name}"),
            Tool::Known(KnownTool::Custom { name, .. }) => format!("custom tool {name}"),
            Tool::Other(_) => "another tool".to_string(),
        })
        .collect();
    vec![
        ("Name", c.name.clone()),
        ("Model", c.model.id().to_string()),
        (
            "Description",
            c.description.clone().unwrap_or_else(|| "—".into()),
        ),
        (
            "System prompt",
            c.system
                .as_ref()
                .map(|s| format!("{} characters", s.chars().count()))
                .unwrap_or_else(|| "—".into()),
        ),
        (
            "Tools",
            if tools.is_empty() {
                "none".into()
            } else {
                tools.join(", ")
            },
        ),
        (
            "MCP servers",
            if c.mcp_servers.is_empty() {
                "none".into()
            } else {
                c.mcp_servers
                    .iter()
                    .map(|s| s.name.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        ),
        ("Skills", c.skills.len().to_string()),
        (
            "Metadata",
            c.metadata
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    ]
}
