//! One agent: its form (Settings), its history with a side-by-side diff and "restore this
//! version" (Versions), and the sessions that used it (Sessions). The form is also the
//! new-agent page's.

use hangar_types::model::agents::Agent;
use hangar_types::{
    agent_config, cmd, known_model, AgentCreateInput, AgentExportInput, AgentGetInput,
    AgentIdInput, AgentUpdateInput, ConfigFormat, ErrorKind, IpcError, SessionListItem,
    SkillListItem, KNOWN_MODELS,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::agent_form::{self, AgentFields, CustomRow, McpRow, SkillRow, CUSTOM_MODEL, POLICIES};
use crate::components::configure::{
    is_save_chord, profile_id, save_problem, when, ConfirmButton, FormProblem, OfflineNote, RawView,
};
use crate::components::fields::{
    bind, Choice, KeyValueRows, MultilineField, SelectField, TextField, Toggle,
};
use crate::diff::{compare, Change};
use crate::form::{Form, NotSent};
use crate::route::{AgentTab, Route};
use crate::router::use_router;
use crate::{drafts, focus, ipc, AppContext};

/// Whether the form creates an agent or saves a new version of one.
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    /// The new-agent page.
    New,
    /// An existing agent.
    Edit(Box<Agent>),
}

/// The agent form, with its raw view, inline checks, conflict handling and draft.
#[component]
pub fn AgentForm(
    /// New or edit.
    mode: Mode,
    /// The draft key (profile + route).
    draft_key: String,
    /// Called with the saved agent.
    on_saved: Callback<Agent>,
    /// A newer version arrived (from a save elsewhere, a restore): the form follows it while it
    /// has no unsaved edits.
    #[prop(into, optional)]
    latest: Signal<Option<Agent>>,
) -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let router = use_router();
    let start = drafts::get::<Form<AgentFields>>(&draft_key).unwrap_or_else(|| {
        agent_form::form(match &mode {
            Mode::New => AgentFields::empty(),
            Mode::Edit(agent) => AgentFields::from_config(&agent_config(agent)),
        })
    });
    let restored = start.has_unsaved_changes();
    let form = RwSignal::new(start);
    let base_version = RwSignal::new(match &mode {
        Mode::Edit(a) => a.version,
        Mode::New => 0,
    });
    let agent_id = match &mode {
        Mode::Edit(a) => Some(a.id.clone()),
        Mode::New => None,
    };
    let problem = RwSignal::new(None::<String>);
    let conflict = RwSignal::new(None::<String>);
    router.guard_leave(Signal::derive(move || form.with(Form::has_unsaved_changes)));
    // The draft follows every edit, so leaving and coming back finds it.
    let key = draft_key.clone();
    Effect::new(move |_| {
        form.with(|f| {
            if f.has_unsaved_changes() {
                drafts::keep(&key, f.clone());
            } else {
                drafts::forget(&key);
            }
        })
    });
    // A newer version (saved by this window elsewhere, restored) replaces a clean form.
    Effect::new(move |_| {
        if let Some(agent) = latest.get() {
            if agent.version > base_version.get_untracked()
                && !form.with_untracked(Form::has_unsaved_changes)
            {
                form.update(|f| f.reload(AgentFields::from_config(&agent_config(&agent))));
                base_version.set(agent.version);
            }
        }
    });
    let skills = RwSignal::new(Vec::<SkillListItem>::new());
    spawn_local(async move {
        for fresh in [false, true] {
            if let Ok(list) =
                ipc::invoke::<cmd::SkillList>(&hangar_types::FreshInput { fresh }).await
            {
                skills.set(list);
            }
        }
    });

    let send = {
        let agent_id = agent_id.clone();
        let key = draft_key.clone();
        move |overwrite: bool| {
            match form.try_update(Form::begin_submit) {
                Some(Ok(())) => {}
                Some(Err(NotSent::Invalid(first))) => {
                    focus(agent_form::input_id(first));
                    return;
                }
                _ => return,
            }
            problem.set(None);
            let config = form.with_untracked(|f| f.fields.config());
            let agent_id = agent_id.clone();
            let key = key.clone();
            spawn_local(async move {
                let result = match agent_id {
                    None => ipc::invoke::<cmd::AgentCreate>(&AgentCreateInput { config }).await,
                    Some(id) => {
                        let input = AgentUpdateInput {
                            id,
                            base_version: base_version.get_untracked(),
                            overwrite,
                            config,
                        };
                        ipc::invoke::<cmd::AgentUpdate>(&input).await
                    }
                };
                match result {
                    Ok(agent) => {
                        conflict.set(None);
                        drafts::forget(&key);
                        form.update(|f| f.reload(AgentFields::from_config(&agent_config(&agent))));
                        base_version.set(agent.version);
                        ctx.notices.success(
                            "Saved",
                            &format!("“{}” is saved as version {}.", agent.name, agent.version),
                        );
                        on_saved.run(agent);
                    }
                    Err(e) if e.kind == ErrorKind::Conflict => {
                        conflict.set(Some(e.message.clone()));
                        form.update(|f| {
                            f.fail(IpcError::new(ErrorKind::Conflict, e.message));
                        });
                        focus("agent-conflict-reload");
                    }
                    Err(e) => {
                        let text = save_problem(&e);
                        match form.try_update(|f| f.fail(e)).flatten() {
                            Some(field) => focus(agent_form::input_id(field)),
                            None => problem.set(Some(text)),
                        }
                    }
                }
            });
        }
    };
    let send_save = send.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send_save(false);
    };
    let send_key = send.clone();
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if is_save_chord(&ev) {
            ev.prevent_default();
            send_key(false);
        }
    };
    let reload = {
        let agent_id = agent_id.clone();
        move |_| {
            let Some(id) = agent_id.clone() else { return };
            spawn_local(async move {
                match ipc::invoke::<cmd::AgentGet>(&AgentGetInput { id, version: None }).await {
                    Ok(out) => {
                        form.update(|f| {
                            f.reload(AgentFields::from_config(&agent_config(&out.agent)))
                        });
                        base_version.set(out.agent.version);
                        conflict.set(None);
                        ctx.notices.info(
                            "Reloaded",
                            &format!("Showing version {}, the latest.", out.agent.version),
                        );
                    }
                    Err(e) => {
                        ctx.notices.error("Could not reload the agent", &e);
                    }
                }
            });
        }
    };
    let send_over = send.clone();
    let overwrite = move |_| send_over(true);
    let cancel = {
        let key = draft_key.clone();
        let is_new = agent_id.is_none();
        move |_| {
            form.update(Form::reset);
            drafts::forget(&key);
            problem.set(None);
            if is_new {
                router.navigate(Route::Agents);
            }
        }
    };
    let saving = move || form.with(Form::is_saving);
    let model_choices = Signal::derive(|| {
        let mut c: Vec<Choice> = KNOWN_MODELS
            .iter()
            .map(|m| Choice::new(m.id, m.label))
            .collect();
        c.push(Choice::new(CUSTOM_MODEL, "Another model (type its id)"));
        c
    });
    let model = Memo::new(move |_| form.with(|f| f.fields.model_id()));
    let is_custom = move || form.with(|f| f.fields.model.value() == CUSTOM_MODEL);
    let has_effort = move || known_model(&model.get()).is_none_or(|m| m.effort);
    let has_fast = move || known_model(&model.get()).is_none_or(|m| m.fast);
    let raw = Signal::derive(move || {
        form.with(|f| serde_json::to_string_pretty(&f.fields.config()).unwrap_or_default())
    });
    let apply_raw = Callback::new(move |text: String| -> Option<String> {
        match serde_json::from_str::<hangar_types::model::agents::AgentCreate>(&text) {
            Ok(config) => {
                form.update(|f| f.edit(|fields| fields.apply(&config)));
                None
            }
            Err(e) => Some(format!("Not an agent configuration yet: {e}")),
        }
    });
    let toolset_on = move || form.with(|f| *f.fields.toolset.value());
    let tools = bind!(form, tools);
    let mcp = bind!(form, mcp);
    let custom = bind!(form, custom);
    let skill_rows = bind!(form, skills);
    let effort_choices = Signal::derive(|| {
        let mut c = vec![Choice::new("", "The model's default")];
        for e in ["low", "medium", "high", "xhigh", "max"] {
            c.push(Choice::new(e, e));
        }
        c
    });
    let speed_choices =
        Signal::derive(|| vec![Choice::new("", "Standard"), Choice::new("fast", "Fast")]);
    let policy_choices = Signal::derive(|| {
        POLICIES
            .iter()
            .map(|(v, l)| Choice::new(*v, *l))
            .collect::<Vec<_>>()
    });
    let is_edit = agent_id.is_some();
    view! {
        <form class="card form agent-form" id="agent-form" on:submit=on_submit on:keydown=on_keydown novalidate>
            {restored.then(|| view! {
                <p class="result warn" id="agent-draft-note" role="status">"Your unsaved changes were kept while you were away. Save them, or Cancel to discard them."</p>
            })}
            <Show when=move || conflict.with(Option::is_some)>
                <div class="result bad conflict" id="agent-conflict" role="alert">
                    <p>{move || conflict.get().unwrap_or_default()}</p>
                    <button type="button" id="agent-conflict-reload" on:click=reload.clone()>"Reload"</button>
                    <button type="button" id="agent-conflict-overwrite" class="danger" on:click=overwrite.clone()>"Overwrite"</button>
                </div>
            </Show>
            <TextField field=bind!(form, name) id="agent-name" label="Name" placeholder="Support agent" />
            <TextField field=bind!(form, description) id="agent-description" label="Description"
                hint="A line for people choosing an agent; the model does not see it." />
            <div class="field-row">
                <SelectField field=bind!(form, model) id="agent-model" label="Model" choices=model_choices />
                <Show when=has_effort>
                    <SelectField field=bind!(form, effort) id="agent-effort" label="Effort" choices=effort_choices
                        hint="How hard the model thinks before answering." />
                </Show>
                <Show when=has_fast>
                    <SelectField field=bind!(form, speed) id="agent-speed" label="Speed" choices=speed_choices />
                </Show>
            </div>
            <Show when=is_custom>
                <TextField field=bind!(form, custom_model) id="agent-custom-model" label="Model id" placeholder="claude-…" />
            </Show>
            <MultilineField field=bind!(form, system) id="agent-system" label="System prompt" large=true
                hint="The agent's standing instructions: who it is, what it does, how it answers." />

            <fieldset class="field group" id="agent-tools">
                <legend>"Built-in tools"</legend>
                <Toggle field=bind!(form, toolset) id="agent-toolset" label="Give the agent the built-in tools (shell, files, web)" />
                <Show when=toolset_on>
                    <SelectField field=bind!(form, default_policy) id="agent-default-policy" label="Permission for every tool" choices=policy_choices />
                    <table class="tool-table">
                        <thead><tr><th>"Tool"</th><th>"On"</th><th>"Permission"</th></tr></thead>
                        <tbody>
                            {hangar_types::model::agents::BUILT_IN_TOOLS.iter().enumerate().map(|(i, name)| {
                                let on_id = format!("agent-tool-{name}");
                                let policy_id = format!("agent-tool-{name}-policy");
                                view! {
                                    <tr>
                                        <td><label for=on_id.clone()>{*name}</label></td>
                                        <td><input type="checkbox" id=on_id
                                            prop:checked=move || tools.value.with(|t| t.get(i).is_some_and(|r| r.enabled))
                                            on:change=move |ev| { let on = event_target_checked(&ev); tools.update(|t| if let Some(r) = t.get_mut(i) { r.enabled = on }) } /></td>
                                        <td>
                                            <label class="visually-hidden" for=policy_id.clone()>{format!("Permission of {name}")}</label>
                                            <select id=policy_id on:change=move |ev| { let v = event_target_value(&ev); tools.update(|t| if let Some(r) = t.get_mut(i) { r.policy = v }) }>
                                                <option value="" selected=move || tools.value.with(|t| t.get(i).is_some_and(|r| r.policy.is_empty()))>"As above"</option>
                                                {POLICIES.iter().map(|(v, l)| {
                                                    let v = *v;
                                                    view! { <option value=v selected=move || tools.value.with(|t| t.get(i).is_some_and(|r| r.policy == v))>{*l}</option> }
                                                }).collect_view()}
                                            </select>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </Show>
                <Show when=move || form.with(|f| f.error_for("tools").is_some())>
                    <p class="field-error" role="alert">{move || form.with(|f| f.error_for("tools").unwrap_or_default())}</p>
                </Show>
            </fieldset>

            <fieldset class="field group rows" id="agent-mcp">
                <legend>"MCP servers"</legend>
                <p class="field-hint">"Tools from other services. Each server's tools are given to the agent; its token goes in a vault."</p>
                <For each=move || 0..mcp.value.with(Vec::len) key=|i| *i let:i>
                    <div class="row mcp-row">
                        <label class="visually-hidden" for=format!("agent-mcp-name-{i}")>{format!("Server name, row {}", i + 1)}</label>
                        <input type="text" id=format!("agent-mcp-name-{i}") placeholder="github" spellcheck="false"
                            prop:value=move || mcp.value.with(|r| r.get(i).map(|x| x.name.clone()).unwrap_or_default())
                            on:input=move |ev| { let v = event_target_value(&ev); mcp.update(|r| if let Some(x) = r.get_mut(i) { x.name = v }) } />
                        <label class="visually-hidden" for=format!("agent-mcp-url-{i}")>{format!("Server URL, row {}", i + 1)}</label>
                        <input type="url" id=format!("agent-mcp-url-{i}") placeholder="https://mcp.example.com/mcp" spellcheck="false"
                            prop:value=move || mcp.value.with(|r| r.get(i).map(|x| x.url.clone()).unwrap_or_default())
                            on:input=move |ev| { let v = event_target_value(&ev); mcp.update(|r| if let Some(x) = r.get_mut(i) { x.url = v }) } />
                        <label class="inline"><input type="checkbox" id=format!("agent-mcp-on-{i}")
                            prop:checked=move || mcp.value.with(|r| r.get(i).is_some_and(|x| x.enabled))
                            on:change=move |ev| { let on = event_target_checked(&ev); mcp.update(|r| if let Some(x) = r.get_mut(i) { x.enabled = on }) } />"Tools on"</label>
                        <label class="visually-hidden" for=format!("agent-mcp-policy-{i}")>{format!("Permission, row {}", i + 1)}</label>
                        <select id=format!("agent-mcp-policy-{i}") on:change=move |ev| { let v = event_target_value(&ev); mcp.update(|r| if let Some(x) = r.get_mut(i) { x.policy = v }) }>
                            <option value="" selected=move || mcp.value.with(|r| r.get(i).is_some_and(|x| x.policy.is_empty()))>"Always allow"</option>
                            <option value="always_ask" selected=move || mcp.value.with(|r| r.get(i).is_some_and(|x| x.policy == "always_ask"))>"Always ask"</option>
                            <option value="auto" selected=move || mcp.value.with(|r| r.get(i).is_some_and(|x| x.policy == "auto"))>"Auto"</option>
                        </select>
                        <button type="button" class="remove" aria-label=format!("Remove MCP server {}", i + 1)
                            on:click=move |_| mcp.update(|r| if i < r.len() { r.remove(i); })>"Remove"</button>
                    </div>
                </For>
                <div class="row-actions-left">
                    <button type="button" id="agent-mcp-add" on:click=move |_| mcp.update(|r| r.push(McpRow { name: String::new(), url: String::new(), enabled: true, policy: String::new() }))>"Add MCP server"</button>
                </div>
                <Show when=move || mcp.error.with(Option::is_some)>
                    <p class="field-error" role="alert" id="agent-mcp-error">{move || mcp.error.get().unwrap_or_default()}</p>
                </Show>
            </fieldset>

            <fieldset class="field group" id="agent-custom">
                <legend>"Custom tools"</legend>
                <p class="field-hint">"Tools your own systems answer: the session waits for your reply in the chat."</p>
                <For each=move || 0..custom.value.with(Vec::len) key=|i| *i let:i>
                    <div class="custom-tool">
                        <div class="field-row">
                            <div class="field">
                                <label for=format!("agent-custom-name-{i}")>"Tool name"</label>
                                <input type="text" id=format!("agent-custom-name-{i}") spellcheck="false" placeholder="lookup_order"
                                    prop:value=move || custom.value.with(|r| r.get(i).map(|x| x.name.clone()).unwrap_or_default())
                                    on:input=move |ev| { let v = event_target_value(&ev); custom.update(|r| if let Some(x) = r.get_mut(i) { x.name = v }) } />
                            </div>
                            <div class="field grow">
                                <label for=format!("agent-custom-description-{i}")>"What it does"</label>
                                <input type="text" id=format!("agent-custom-description-{i}")
                                    prop:value=move || custom.value.with(|r| r.get(i).map(|x| x.description.clone()).unwrap_or_default())
                                    on:input=move |ev| { let v = event_target_value(&ev); custom.update(|r| if let Some(x) = r.get_mut(i) { x.description = v }) } />
                            </div>
                        </div>
                        <div class="field">
                            <label for=format!("agent-custom-schema-{i}")>"Input schema (JSON)"</label>
                            <textarea id=format!("agent-custom-schema-{i}") class="editor small" rows="6" spellcheck="false"
                                prop:value=move || custom.value.with(|r| r.get(i).map(|x| x.schema.clone()).unwrap_or_default())
                                on:input=move |ev| { let v = event_target_value(&ev); custom.update(|r| if let Some(x) = r.get_mut(i) { x.schema = v }) }></textarea>
                            {move || {
                                let schema = custom.value.with(|r| r.get(i).map(|x| x.schema.clone()).unwrap_or_default());
                                match hangar_types::input_schema(&schema) {
                                    Ok(_) => view! { <p class="field-hint ok">"Valid schema."</p> }.into_any(),
                                    Err(e) => view! { <p class="field-error" role="alert">{e}</p> }.into_any(),
                                }
                            }}
                        </div>
                        <button type="button" class="remove" aria-label=format!("Remove custom tool {}", i + 1)
                            on:click=move |_| custom.update(|r| if i < r.len() { r.remove(i); })>"Remove tool"</button>
                    </div>
                </For>
                <div class="row-actions-left">
                    <button type="button" id="agent-custom-add" on:click=move |_| custom.update(|r| r.push(CustomRow {
                        name: String::new(), description: String::new(),
                        schema: "{\n  \"type\": \"object\",\n  \"properties\": {}\n}".into() }))>"Add custom tool"</button>
                </div>
                <Show when=move || custom.error.with(Option::is_some)>
                    <p class="field-error" role="alert">{move || custom.error.get().unwrap_or_default()}</p>
                </Show>
            </fieldset>

            <fieldset class="field group rows" id="agent-skills">
                <legend>"Skills"</legend>
                <p class="field-hint">"Packaged know-how the agent loads when useful: Anthropic's (xlsx, docx, pptx, pdf) or yours (see Skills)."</p>
                <For each=move || 0..skill_rows.value.with(Vec::len) key=|i| *i let:i>
                    <div class="row">
                        <label class="visually-hidden" for=format!("agent-skill-kind-{i}")>{format!("Skill source, row {}", i + 1)}</label>
                        <select id=format!("agent-skill-kind-{i}") on:change=move |ev| { let v = event_target_value(&ev); skill_rows.update(|r| if let Some(x) = r.get_mut(i) { x.kind = v; x.id.clear() }) }>
                            <option value="anthropic" selected=move || skill_rows.value.with(|r| r.get(i).is_some_and(|x| x.kind == "anthropic"))>"Anthropic"</option>
                            <option value="custom" selected=move || skill_rows.value.with(|r| r.get(i).is_some_and(|x| x.kind == "custom"))>"Yours"</option>
                        </select>
                        <label class="visually-hidden" for=format!("agent-skill-id-{i}")>{format!("Skill, row {}", i + 1)}</label>
                        {move || {
                            let kind = skill_rows.value.with(|r| r.get(i).map(|x| x.kind.clone()).unwrap_or_default());
                            let current = skill_rows.value.with(|r| r.get(i).map(|x| x.id.clone()).unwrap_or_default());
                            let options: Vec<(String, String)> = if kind == "custom" {
                                skills.get().into_iter().filter(|s| s.source == "custom").map(|s| (s.id.to_string(), s.display_name)).collect()
                            } else {
                                ["xlsx", "docx", "pptx", "pdf"].iter().map(|s| (s.to_string(), s.to_string())).collect()
                            };
                            let missing = !current.is_empty() && !options.iter().any(|(id, _)| *id == current);
                            view! {
                                <select id=format!("agent-skill-id-{i}") on:change=move |ev| { let v = event_target_value(&ev); skill_rows.update(|r| if let Some(x) = r.get_mut(i) { x.id = v }) }>
                                    <option value="" selected=current.is_empty()>"Choose…"</option>
                                    {missing.then(|| view! { <option value=current.clone() selected=true>{current.clone()}</option> })}
                                    {options.into_iter().map(|(id, name)| { let sel = id == current; view! { <option value=id selected=sel>{name}</option> } }).collect_view()}
                                </select>
                            }
                        }}
                        <label class="visually-hidden" for=format!("agent-skill-version-{i}")>{format!("Version, row {}", i + 1)}</label>
                        <input type="text" id=format!("agent-skill-version-{i}") placeholder="latest" spellcheck="false"
                            prop:value=move || skill_rows.value.with(|r| r.get(i).map(|x| x.version.clone()).unwrap_or_default())
                            on:input=move |ev| { let v = event_target_value(&ev); skill_rows.update(|r| if let Some(x) = r.get_mut(i) { x.version = v }) } />
                        <button type="button" class="remove" aria-label=format!("Remove skill {}", i + 1)
                            on:click=move |_| skill_rows.update(|r| if i < r.len() { r.remove(i); })>"Remove"</button>
                    </div>
                </For>
                <div class="row-actions-left">
                    <button type="button" id="agent-skill-add" on:click=move |_| skill_rows.update(|r| r.push(SkillRow { kind: "anthropic".into(), id: String::new(), version: String::new() }))>"Add skill"</button>
                </div>
                <Show when=move || form.with(|f| f.error_for("skills").is_some())>
                    <p class="field-error" role="alert">{move || form.with(|f| f.error_for("skills").unwrap_or_default())}</p>
                </Show>
            </fieldset>

            <KeyValueRows field=bind!(form, metadata) id="agent-metadata" label="Metadata" add_label="Add metadata"
                hint="Labels for your own bookkeeping: at most 16, keys up to 64 characters."
                check_row=|k, v| hangar_types::validate::metadata(&[(k, v)]).map(drop) />

            <FormProblem id="agent-problem" problem=problem />
            <div class="actions">
                <button type="submit" id="agent-save" class="primary" disabled=saving>
                    {move || if saving() { "Saving…" } else { "Save" }}
                </button>
                <button type="button" id="agent-cancel" on:click=cancel disabled=saving>"Cancel"</button>
                <span class="muted keys">{if is_edit { "Ctrl+S saves a new version." } else { "Ctrl+S saves." }}</span>
            </div>
        </form>
        <RawView id="agent-raw" json=raw apply=apply_raw />
    }
}

/// The new-agent page.
#[component]
pub fn NewAgent() -> impl IntoView {
    let router = use_router();
    let key = drafts::key(&profile_id(), &Route::NewAgent.to_path());
    let saved = Callback::new(move |agent: Agent| {
        router.replace(Route::Agent {
            id: agent.id,
            tab: AgentTab::Settings,
            version: None,
        });
    });
    view! {
        <section class="page" id="page-new-agent">
            <div class="page-head">
                <h1>"New agent"</h1>
                <button type="button" id="new-agent-templates" on:click=move |_| router.navigate(Route::Agents)>"Start from a template"</button>
            </div>
            <OfflineNote what="your agents" />
            <AgentForm mode=Mode::New draft_key=key on_saved=saved />
        </section>
    }
}

/// One agent with its tabs.
#[component]
pub fn AgentScreen() -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let router = use_router();
    let current = Memo::new(move |_| {
        router.with_route(|r| match r {
            Route::Agent { id, tab, version } => Some((id.clone(), *tab, *version)),
            _ => None,
        })
    });
    let id = current
        .get_untracked()
        .map(|(id, _, _)| id)
        .unwrap_or_default();
    let agent = RwSignal::new(None::<Agent>);
    let cached = RwSignal::new(false);
    let failed = RwSignal::new(None::<String>);
    let load = {
        let id = id.clone();
        move || {
            let id = id.clone();
            spawn_local(async move {
                match ipc::invoke::<cmd::AgentGet>(&AgentGetInput { id, version: None }).await {
                    Ok(out) => {
                        cached.set(out.cached);
                        agent.set(Some(out.agent));
                    }
                    Err(e) => failed.set(Some(e.message)),
                }
            });
        }
    };
    load();
    let loaded = Memo::new(move |_| agent.with(Option::is_some));
    let tab = move || current.get().map(|(_, t, _)| t).unwrap_or_default();
    let go = move |t: AgentTab| {
        if let Some((id, _, version)) = current.get_untracked() {
            // Tabs show one screen: switching needs no question and loses nothing.
            router.replace(Route::Agent {
                id,
                tab: t,
                version,
            });
        }
    };
    let key = drafts::key(
        &profile_id(),
        &Route::Agent {
            id: id.clone(),
            tab: AgentTab::Settings,
            version: None,
        }
        .to_path(),
    );
    let saved = Callback::new(move |a: Agent| agent.set(Some(a)));
    let (versions_id, sessions_id) = (id.clone(), id.clone());
    let export = {
        let id = id.clone();
        move |format: ConfigFormat| {
            let id = id.clone();
            spawn_local(async move {
                match ipc::invoke::<cmd::AgentExport>(&AgentExportInput {
                    id,
                    version: None,
                    format,
                })
                .await
                {
                    Ok(saved) => {
                        if let Some(path) = saved.path {
                            ctx.notices.success(
                                "Exported",
                                &format!("The agent's configuration is in {path}."),
                            );
                        }
                    }
                    Err(e) => {
                        ctx.notices.error("Could not export the agent", &e);
                    }
                }
            });
        }
    };
    let export_yaml = export.clone();
    let archive = {
        let id = id.clone();
        Callback::new(move |()| {
            let id = id.clone();
            spawn_local(async move {
                match ipc::invoke::<cmd::AgentArchive>(&AgentIdInput { id }).await {
                    Ok(a) => {
                        ctx.notices.success(
                            "Archived",
                            &format!("“{}” is archived. Its versions stay readable.", a.name),
                        );
                        agent.set(Some(a));
                    }
                    Err(e) => {
                        ctx.notices.error("Could not archive the agent", &e);
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
                match ipc::invoke::<cmd::AgentDelete>(&AgentIdInput { id }).await {
                    Ok(()) => {
                        ctx.notices.success("Deleted", "The agent was deleted.");
                        router.navigate(Route::Agents);
                    }
                    Err(e) => {
                        ctx.notices.error("The agent was not deleted", &e);
                    }
                }
            });
        })
    };
    let name = move || {
        agent.with(|a| {
            a.as_ref()
                .map(|a| a.name.clone())
                .unwrap_or_else(|| "Agent".into())
        })
    };
    let archive_q = Signal::derive(move || {
        format!("Archive “{}”? It leaves the list and can start no new sessions; its versions stay readable.", name())
    });
    let delete_q = Signal::derive(move || {
        format!(
            "Delete “{}”? Most servers only archive agents; Hangar will say so if this one does.",
            name()
        )
    });
    let archived =
        Signal::derive(move || agent.with(|a| a.as_ref().is_some_and(|a| a.archived_at.is_some())));
    view! {
        <section class="page" id="page-agent">
            <div class="page-head">
                <h1 id="agent-title">{name}
                    {move || agent.with(|a| a.as_ref().map(|a| view! { <span class="version-badge" id="agent-version">{format!("v{}", a.version)}</span> }))}
                    <Show when=move || archived.get()><span class="status-chip archived">"archived"</span></Show>
                </h1>
                <div class="head-actions">
                    <button type="button" id="agent-export-json" on:click=move |_| export(ConfigFormat::Json)>"Export JSON"</button>
                    <button type="button" id="agent-export-yaml" on:click=move |_| export_yaml(ConfigFormat::Yaml)>"Export YAML"</button>
                    <ConfirmButton id="agent-archive" label="Archive" question=archive_q on_confirm=archive disabled=archived />
                    <ConfirmButton id="agent-delete" label="Delete" question=delete_q on_confirm=delete danger=true />
                </div>
            </div>
            <OfflineNote cached=cached what="this agent" />
            <div class="tabs" role="tablist" aria-label="Agent">
                {AgentTab::ALL.into_iter().map(|t| view! {
                    <button type="button" role="tab" id=format!("agent-tab-{}", t.slug())
                        aria-selected=move || (tab() == t).to_string()
                        aria-controls=format!("agent-panel-{}", t.slug())
                        class:active=move || tab() == t
                        on:click=move |_| go(t)>{t.label()}</button>
                }).collect_view()}
            </div>
            {move || failed.get().map(|m| view! { <p class="result bad" role="alert">{format!("Could not open this agent: {m}")}</p> })}
            <div role="tabpanel" id="agent-panel-settings" hidden=move || tab() != AgentTab::Settings>
                {
                    let key = key.clone();
                    move || loaded.get().then(|| {
                        let start = agent.get_untracked().map(|a| Mode::Edit(Box::new(a))).unwrap_or(Mode::New);
                        view! { <AgentForm mode=start draft_key=key.clone() on_saved=saved latest=agent /> }
                    })
                }
            </div>
            <div role="tabpanel" id="agent-panel-versions" hidden=move || tab() != AgentTab::Versions>
                <Show when=move || tab() == AgentTab::Versions>
                    <Versions id=versions_id.clone() latest=agent />
                </Show>
            </div>
            <div role="tabpanel" id="agent-panel-sessions" hidden=move || tab() != AgentTab::Sessions>
                <Show when=move || tab() == AgentTab::Sessions>
                    <AgentSessions id=sessions_id.clone() />
                </Show>
            </div>
        </section>
    }
}

/// The history: every version, any two compared side by side, and "restore this version".
#[component]
fn Versions(id: hangar_types::AgentId, latest: RwSignal<Option<Agent>>) -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let versions = RwSignal::new(None::<Vec<Agent>>);
    let cached = RwSignal::new(false);
    let left = RwSignal::new(0u64);
    let right = RwSignal::new(0u64);
    let load = {
        let id = id.clone();
        move || {
            let id = id.clone();
            spawn_local(async move {
                match ipc::invoke::<cmd::AgentVersions>(&AgentIdInput { id }).await {
                    Ok(out) => {
                        let newest = out.versions.first().map(|a| a.version).unwrap_or(0);
                        if right.get_untracked() == 0 || right.get_untracked() > newest {
                            right.set(newest);
                        }
                        if left.get_untracked() == 0 {
                            left.set(newest.saturating_sub(1).max(1));
                        }
                        cached.set(out.cached);
                        versions.set(Some(out.versions));
                    }
                    Err(e) => {
                        ctx.notices.error("Could not read the versions", &e);
                    }
                }
            });
        }
    };
    load();
    // A new version (saved, restored) reloads the history.
    let reload = load.clone();
    Effect::new(move |previous: Option<u64>| {
        let v = latest.with(|a| a.as_ref().map(|a| a.version).unwrap_or(0));
        if previous.is_some_and(|p| p != v) {
            right.set(v);
            reload();
        }
        v
    });
    let restore = {
        let id = id.clone();
        move |version: Agent| {
            let id = id.clone();
            spawn_local(async move {
                let base = latest
                    .with_untracked(|a| a.as_ref().map(|a| a.version))
                    .unwrap_or(version.version);
                let input = AgentUpdateInput {
                    id,
                    base_version: base,
                    overwrite: false,
                    config: agent_config(&version),
                };
                match ipc::invoke::<cmd::AgentUpdate>(&input).await {
                    Ok(saved) => {
                        ctx.notices.success(
                            "Restored",
                            &format!(
                                "Version {} is restored as version {}.",
                                version.version, saved.version
                            ),
                        );
                        latest.set(Some(saved));
                    }
                    Err(e) => {
                        ctx.notices.error("Could not restore the version", &e);
                    }
                }
            });
        }
    };
    let pick = |versions: &[Agent], n: u64| versions.iter().find(|a| a.version == n).cloned();
    let choices = move || {
        versions
            .get()
            .unwrap_or_default()
            .iter()
            .map(|a| a.version)
            .collect::<Vec<_>>()
    };
    view! {
        <OfflineNote cached=cached what="this agent's versions" />
        {move || match versions.get() {
            None => view! { <p class="muted">"Loading the versions…"</p> }.into_any(),
            Some(list) => {
                let newest = list.first().map(|a| a.version).unwrap_or(0);
                let restore = restore.clone();
                view! {
                    <table class="list-table" id="version-list">
                        <thead><tr><th>"Version"</th><th>"Saved"</th><th>"Model"</th><th><span class="visually-hidden">"Actions"</span></th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|a| {
                                let n = a.version;
                                let restore = restore.clone();
                                let question = Signal::derive(move || format!("Save version {n} again as the newest version?"));
                                let on_confirm = Callback::new(move |()| restore(a.clone()));
                                view! {
                                    <tr id=format!("version-{n}")>
                                        <td>{format!("v{n}")}{(n == newest).then(|| view! { <span class="status-chip idle">"latest"</span> })}</td>
                                        <td>{when(&list_time(&versions.get_untracked().unwrap_or_default(), n))}</td>
                                        <td><code>{list_model(&versions.get_untracked().unwrap_or_default(), n)}</code></td>
                                        <td class="row-actions">
                                            {(n != newest).then(|| view! {
                                                <ConfirmButton id=format!("version-{n}-restore") label="Restore this version" question=question on_confirm=on_confirm />
                                            })}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }
        }}
        <div class="card compare">
            <h2>"Compare versions"</h2>
            <div class="field-row">
                <div class="field">
                    <label for="diff-left">"Older"</label>
                    <select id="diff-left" on:change=move |ev| left.set(event_target_value(&ev).parse().unwrap_or(1))>
                        {move || choices().into_iter().map(|n| view! { <option value=n.to_string() selected=move || left.get() == n>{format!("v{n}")}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="diff-right">"Newer"</label>
                    <select id="diff-right" on:change=move |ev| right.set(event_target_value(&ev).parse().unwrap_or(1))>
                        {move || choices().into_iter().map(|n| view! { <option value=n.to_string() selected=move || right.get() == n>{format!("v{n}")}</option> }).collect_view()}
                    </select>
                </div>
            </div>
            {move || {
                let list = versions.get().unwrap_or_default();
                match (pick(&list, left.get()), pick(&list, right.get())) {
                    (Some(a), Some(b)) => {
                        let sections = compare(&a, &b);
                        let same = sections.iter().all(|s| s.unchanged());
                        view! {
                            <div id="version-diff" class="diff">
                                <div class="diff-head"><span>{format!("v{}", a.version)}</span><span>{format!("v{}", b.version)}</span></div>
                                {same.then(|| view! { <p class="muted">"These two versions are the same."</p> })}
                                {sections.into_iter().filter(|s| !s.unchanged()).map(|s| view! {
                                    <h3 class="diff-section">{s.title}</h3>
                                    <table class="diff-table">
                                        <tbody>
                                            {s.rows.into_iter().map(|r| {
                                                let class = r.change.class();
                                                let marker = match r.change { Change::Same => "", Change::Removed => "−", Change::Added => "+", Change::Changed => "~" };
                                                view! {
                                                    <tr class=format!("diff-row {class}")>
                                                        <td class="marker" aria-hidden="true">{marker}</td>
                                                        <td class="left">{r.left.unwrap_or_default()}</td>
                                                        <td class="right">{r.right.unwrap_or_default()}</td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }).collect_view()}
                            </div>
                        }.into_any()
                    }
                    _ => view! { <p class="muted">"Choose two versions."</p> }.into_any(),
                }
            }}
        </div>
    }
}

fn list_time(list: &[Agent], n: u64) -> String {
    list.iter()
        .find(|a| a.version == n)
        .map(|a| a.updated_at.clone())
        .unwrap_or_default()
}

fn list_model(list: &[Agent], n: u64) -> String {
    list.iter()
        .find(|a| a.version == n)
        .map(|a| a.model.id.clone())
        .unwrap_or_default()
}

/// The cached sessions that used this agent.
#[component]
fn AgentSessions(id: hangar_types::AgentId) -> impl IntoView {
    let router = use_router();
    let sessions = RwSignal::new(None::<Vec<SessionListItem>>);
    spawn_local(async move {
        match ipc::invoke::<cmd::AgentSessions>(&AgentIdInput { id }).await {
            Ok(list) => sessions.set(Some(list)),
            Err(e) => {
                expect_context::<AppContext>()
                    .notices
                    .error("Could not read the sessions", &e);
            }
        }
    });
    view! {
        {move || match sessions.get() {
            None => view! { <p class="muted">"Loading…"</p> }.into_any(),
            Some(list) if list.is_empty() => view! {
                <div class="empty-state"><h2>"No sessions yet"</h2><p>"Sessions started with this agent appear here."</p></div>
            }.into_any(),
            Some(list) => view! {
                <ul class="sessions" id="agent-session-list">
                    {list.into_iter().map(|s| {
                        let open = Route::Session { id: s.id.clone(), at: None };
                        view! {
                            <li class="session-row">
                                <button type="button" class="title link" on:click=move |_| router.navigate(open.clone())>
                                    {s.title.clone().unwrap_or_else(|| "Untitled session".into())}
                                </button>
                                <span class="agent">{format!("v{}", s.agent_version)}</span>
                                <span class=format!("status-chip {}", s.status)>{s.status.clone()}</span>
                                <span class="tokens">{when(&s.created_at)}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}
