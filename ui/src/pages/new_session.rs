//! The New session dialog (issue 11): agent and version (latest or pinned), environment
//! (archived ones not offered), vaults, a GitHub repository, uploaded files, a spending cap,
//! title and first message, and an outcome to reach (issue 14). Every choice is checked inline
//! (the same checks the backend runs, `SessionStartInput::problems`) before anything is sent.

use hangar_types::model::common::Secret;
use hangar_types::{
    cmd, AgentId, AgentListItem, CacheArea, EnvironmentId, EnvironmentListItem, FileId,
    FileListItem, FileMountInput, ListInput, RepositoryInput, SessionStartInput, VaultId,
    VaultListItem,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::beyond::OutcomeDraft;
use crate::components::outcome::OutcomeFields;
use crate::ipc;
use crate::route::Route;
use crate::router::use_router;
use crate::AppContext;

/// The dialog's choices, turned into the command's input.
#[derive(Clone, Default)]
struct Draft {
    agent: String,
    version: String,
    environment: String,
    vaults: Vec<String>,
    title: String,
    message: String,
    repo_url: String,
    repo_token: String,
    remember: bool,
    branch: String,
    commit: String,
    mount: String,
    files: Vec<String>,
    budget: String,
}

impl Draft {
    fn input(&self) -> SessionStartInput {
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        SessionStartInput {
            agent_id: AgentId::new(self.agent.trim()),
            agent_version: self.version.parse().ok(),
            environment_id: EnvironmentId::new(self.environment.trim()),
            vault_ids: self
                .vaults
                .iter()
                .map(|v| VaultId::new(v.as_str()))
                .collect(),
            title: text(&self.title),
            message: self.message.clone(),
            repository: text(&self.repo_url).map(|url| RepositoryInput {
                url,
                token: text(&self.repo_token).map(Secret::new),
                remember_token: self.remember,
                branch: text(&self.branch),
                commit: text(&self.commit),
                mount_path: text(&self.mount),
            }),
            files: self
                .files
                .iter()
                .map(|f| FileMountInput {
                    file_id: FileId::new(f.as_str()),
                    mount_path: None,
                })
                .collect(),
            budget_cents: text(&self.budget),
            outcome: None,
        }
    }
}

/// `New session` and its dialog.
#[component]
pub fn NewSessionButton() -> impl IntoView {
    let open = RwSignal::new(false);
    view! {
        <button type="button" class="primary" id="sessions-new" on:click=move |_| open.set(true)>"New session"</button>
        <Show when=move || open.get()>
            <NewSessionDialog open=open />
        </Show>
    }
}

#[component]
fn NewSessionDialog(open: RwSignal<bool>) -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let router = use_router();
    let draft = RwSignal::new(Draft::default());
    let outcome = RwSignal::new(OutcomeDraft::default());
    let outcome_open = RwSignal::new(false);
    // The whole input: the dialog's choices and the outcome, when one was typed.
    let full_input = move || {
        let mut input = draft.with(Draft::input);
        input.outcome = outcome.with(OutcomeDraft::optional);
        input
    };
    let tried = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let server_error = RwSignal::new(None::<(String, String)>);
    let agents = RwSignal::new(Vec::<AgentListItem>::new());
    let environments = RwSignal::new(Vec::<EnvironmentListItem>::new());
    let vaults = RwSignal::new(Vec::<VaultListItem>::new());
    let files = RwSignal::new(Vec::<FileListItem>::new());

    // The lists come from the cache; the sync refreshes them while the dialog is open.
    let load = move || {
        spawn_local(async move {
            let all = ListInput {
                include_archived: false,
            };
            if let Ok(list) = ipc::invoke::<cmd::AgentList>(&all).await {
                agents.set(list.into_iter().filter(|a| !a.archived).collect());
            }
            if let Ok(list) = ipc::invoke::<cmd::EnvironmentList>(&all).await {
                environments.set(list.into_iter().filter(|e| !e.archived).collect());
            }
            if let Ok(list) = ipc::invoke::<cmd::VaultList>(&all).await {
                vaults.set(list.into_iter().filter(|v| !v.archived).collect());
            }
            if let Ok(list) =
                ipc::invoke::<cmd::FileList>(&hangar_types::FreshInput { fresh: false }).await
            {
                files.set(list);
            }
        });
    };
    spawn_local(async move {
        let input = hangar_types::SyncWatchInput {
            areas: vec![
                CacheArea::Sessions,
                CacheArea::Agents,
                CacheArea::Environments,
                CacheArea::Vaults,
            ],
        };
        if let Err(e) = ipc::invoke::<cmd::SyncWatch>(&input).await {
            ipc::report("sync_watch", &e.message);
        }
    });
    load();
    // Until the first sync answered, look again now and then.
    let retries = StoredValue::new(0u32);
    let timer = set_interval_with_handle(
        move || {
            let empty =
                agents.with_untracked(Vec::is_empty) || environments.with_untracked(Vec::is_empty);
            if empty && retries.get_value() < 20 {
                retries.update_value(|n| *n += 1);
                load();
            }
        },
        std::time::Duration::from_millis(1000),
    );
    on_cleanup(move || {
        if let Ok(t) = timer {
            t.clear();
        }
    });

    let problems = move || {
        let mut p = full_input().problems();
        if let Some((field, message)) = server_error.get() {
            p.push((leak(field), message));
        }
        p
    };
    let problem = move |field: &'static str| {
        move || {
            if !tried.get() {
                return None;
            }
            problems()
                .into_iter()
                .find(|(f, _)| *f == field)
                .map(|(_, m)| m)
        }
    };
    let start = move |_| {
        tried.set(true);
        server_error.set(None);
        let input = untrack(full_input);
        if input
            .problems()
            .iter()
            .any(|(f, _)| f.starts_with("outcome"))
        {
            // Show the outcome's problems where they are.
            outcome_open.set(true);
        }
        if !input.problems().is_empty() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let answer = ipc::invoke::<cmd::SessionStart>(&input).await;
            busy.set(false);
            match answer {
                Ok(summary) => {
                    open.set(false);
                    router.navigate(Route::Session {
                        id: summary.id,
                        at: None,
                    });
                }
                Err(e) => match e.field.clone() {
                    Some(field) => server_error.set(Some((field, e.message.clone()))),
                    None => {
                        ctx.notices.error("The session did not start", &e);
                    }
                },
            }
        });
    };
    let set = move |f: fn(&mut Draft, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            draft.update(|d| f(d, v));
        }
    };
    let latest = move || {
        let id = draft.with(|d| d.agent.clone());
        agents.with(|a| a.iter().find(|x| x.id.as_str() == id).map(|x| x.version))
    };

    view! {
        <div class="modal-backdrop">
            <div class="modal new-session" role="dialog" aria-modal="true" aria-labelledby="new-session-title" id="new-session-dialog">
                <h2 id="new-session-title">"New session"</h2>
                <div class="row2">
                    <div class="field">
                        <label for="ns-agent">"Agent"</label>
                        <select id="ns-agent" aria-invalid=move || problem("agent")().is_some().to_string()
                            on:change=set(|d, v| { d.agent = v; d.version = String::new(); })>
                            <option value="" selected=move || draft.with(|d| d.agent.is_empty())>"Choose an agent"</option>
                            {move || agents.get().into_iter().map(|a| {
                                let id = a.id.to_string();
                                view! { <option value=id.clone()>{format!("{} (v{})", a.name, a.version)}</option> }
                            }).collect_view()}
                        </select>
                        {move || problem("agent")().map(|m| view! { <span class="problem">{m}</span> })}
                    </div>
                    <div class="field">
                        <label for="ns-version">"Version"</label>
                        <select id="ns-version" on:change=set(|d, v| d.version = v)>
                            <option value="" selected=move || draft.with(|d| d.version.is_empty())>
                                {move || match latest() { Some(v) => format!("Latest (now v{v})"), None => "Latest".into() }}
                            </option>
                            {move || (1..=latest().unwrap_or(0)).rev().map(|v| view! {
                                <option value=v.to_string()>{format!("v{v} (pinned)")}</option>
                            }).collect_view()}
                        </select>
                    </div>
                </div>
                <div class="field">
                    <label for="ns-environment">"Environment"</label>
                    <select id="ns-environment" aria-invalid=move || problem("environment")().is_some().to_string()
                        on:change=set(|d, v| d.environment = v)>
                        <option value="">"Choose an environment"</option>
                        {move || environments.get().into_iter().map(|e| {
                            let id = e.id.to_string();
                            view! { <option value=id>{format!("{} ({})", e.name, e.networking)}</option> }
                        }).collect_view()}
                    </select>
                    {move || problem("environment")().map(|m| view! { <span class="problem">{m}</span> })}
                </div>
                <fieldset class="field">
                    <legend>"Vaults"</legend>
                    <div class="vault-choices">
                        {move || {
                            let list = vaults.get();
                            if list.is_empty() {
                                return view! { <span class="muted">"No vaults yet."</span> }.into_any();
                            }
                            list.into_iter().map(|v| {
                                let id = v.id.to_string();
                                let id2 = id.clone();
                                view! {
                                    <label class="inline">
                                        <input type="checkbox" id=format!("ns-vault-{id}") on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            let id = id2.clone();
                                            draft.update(|d| { d.vaults.retain(|x| *x != id); if on { d.vaults.push(id); } });
                                        } />
                                        {v.display_name.clone()}
                                    </label>
                                }
                            }).collect_view().into_any()
                        }}
                    </div>
                </fieldset>
                <div class="field">
                    <label for="ns-title">"Title"</label>
                    <input id="ns-title" type="text" on:input=set(|d, v| d.title = v) />
                </div>
                <div class="field">
                    <label for="ns-message">"Message"</label>
                    <textarea id="ns-message" rows="4" aria-invalid=move || problem("message")().is_some().to_string()
                        on:input=set(|d, v| d.message = v)></textarea>
                    {move || problem("message")().map(|m| view! { <span class="problem">{m}</span> })}
                </div>
                <details class="outcome-section" id="ns-outcome" prop:open=move || outcome_open.get()>
                    <summary>"Define the outcome"<span class="muted">" (optional)"</span></summary>
                    <p class="muted">"After the first message the agent works towards it; a grader checks each round against the rubric until it is met or the rounds run out."</p>
                    <OutcomeFields prefix="ns" draft=outcome tried=tried required=false />
                </details>
                <details>
                    <summary>"Resources and spending cap (optional)"</summary>
                    <fieldset>
                        <legend>"GitHub repository"</legend>
                        <div class="field">
                            <label for="ns-repo-url">"Repository URL"</label>
                            <input id="ns-repo-url" type="url" placeholder="https://github.com/owner/repository"
                                aria-invalid=move || problem("repositoryUrl")().is_some().to_string() on:input=set(|d, v| d.repo_url = v) />
                            {move || problem("repositoryUrl")().map(|m| view! { <span class="problem">{m}</span> })}
                        </div>
                        <div class="field">
                            <label for="ns-repo-token">"Repository token"</label>
                            <input id="ns-repo-token" type="password" autocomplete="off" on:input=set(|d, v| d.repo_token = v) />
                            <label class="inline"><input type="checkbox" id="ns-repo-remember"
                                on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| d.remember = on); } />
                                "Remember this token in the system keychain"</label>
                        </div>
                        <div class="row2">
                            <div class="field">
                                <label for="ns-repo-branch">"Branch"</label>
                                <input id="ns-repo-branch" type="text" aria-invalid=move || problem("repositoryBranch")().is_some().to_string() on:input=set(|d, v| d.branch = v) />
                                {move || problem("repositoryBranch")().map(|m| view! { <span class="problem">{m}</span> })}
                            </div>
                            <div class="field">
                                <label for="ns-repo-commit">"Commit"</label>
                                <input id="ns-repo-commit" type="text" aria-invalid=move || problem("repositoryCommit")().is_some().to_string() on:input=set(|d, v| d.commit = v) />
                                {move || problem("repositoryCommit")().map(|m| view! { <span class="problem">{m}</span> })}
                            </div>
                        </div>
                        <div class="field">
                            <label for="ns-repo-mount">"Mount path"</label>
                            <input id="ns-repo-mount" type="text" placeholder="/workspace/repository" on:input=set(|d, v| d.mount = v) />
                            {move || problem("repositoryMount")().map(|m| view! { <span class="problem">{m}</span> })}
                        </div>
                    </fieldset>
                    <fieldset class="field">
                        <legend>"Files"</legend>
                        <div class="vault-choices">
                            {move || {
                                let list = files.get();
                                if list.is_empty() {
                                    return view! { <span class="muted">"No uploaded files (upload them under Files)."</span> }.into_any();
                                }
                                list.into_iter().map(|f| {
                                    let id = f.id.to_string();
                                    let id2 = id.clone();
                                    view! {
                                        <label class="inline">
                                            <input type="checkbox" id=format!("ns-file-{id}") on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                let id = id2.clone();
                                                draft.update(|d| { d.files.retain(|x| *x != id); if on { d.files.push(id); } });
                                            } />
                                            {f.filename.clone()}
                                        </label>
                                    }
                                }).collect_view().into_any()
                            }}
                        </div>
                    </fieldset>
                    <div class="field">
                        <label for="ns-budget">"Spending cap (US cents)"</label>
                        <input id="ns-budget" type="text" inputmode="numeric" placeholder="2500 = $25.00"
                            aria-invalid=move || problem("budget")().is_some().to_string() on:input=set(|d, v| d.budget = v) />
                        {move || problem("budget")().map(|m| view! { <span class="problem">{m}</span> })}
                    </div>
                </details>
                {move || server_error.get().filter(|(f, _)| !KNOWN.contains(&f.as_str())).map(|(_, m)| view! { <p class="error-text">{m}</p> })}
                <div class="buttons">
                    <button type="button" on:click=move |_| open.set(false)>"Cancel"</button>
                    <button type="button" class="primary" id="ns-start" disabled=move || busy.get() on:click=start>
                        {move || if busy.get() { "Starting…" } else { "Start" }}
                    </button>
                </div>
            </div>
        </div>
    }
}

/// Fields the dialog shows problems next to.
const KNOWN: [&str; 8] = [
    "agent",
    "environment",
    "message",
    "repositoryUrl",
    "repositoryBranch",
    "repositoryCommit",
    "repositoryMount",
    "budget",
];

/// A field name from the backend as the static name the dialog's fields use.
fn leak(field: String) -> &'static str {
    KNOWN
        .iter()
        .find(|k| **k == field)
        .copied()
        .unwrap_or("other")
}
