//! Memory (issue 14): the memory stores (list, create), and one store: its memories as a tree
//! by path (each folder listed with `depth = 1` when opened), one memory open to edit with its
//! content hash as the precondition, a conflict shown side by side (keep mine, or take
//! theirs), move by changing the path, delete, and the memory's history with a diff between
//! two versions and Redact.

use hangar_types::model::memory::{Memory, MemoryStore, MemoryVersion};
use hangar_types::{
    cmd, ListInput, MemoryConflictInfo, MemoryCreateInput, MemoryDeleteInput, MemoryEntry,
    MemoryIdInput, MemoryListInput, MemorySaveInput, MemorySaveOutput, MemoryStoreCreateInput,
    MemoryStoreId, MemoryStoreIdInput, MemoryStoreRenameInput, MemoryVersionIdInput,
    MemoryVersionsInput,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::configure::{save_problem, when, ConfirmButton, FormProblem};
use crate::diff::{diff_lines, Change};
use crate::route::Route;
use crate::router::use_router;
use crate::{focus, ipc, AppContext};

/// The Memory page: every store.
#[component]
pub fn Memory() -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let router = use_router();
    let stores = RwSignal::new(None::<Vec<MemoryStore>>);
    let archived = RwSignal::new(false);
    let failed = RwSignal::new(None::<String>);
    let load = move || {
        let input = ListInput {
            include_archived: archived.get_untracked(),
        };
        spawn_local(async move {
            match ipc::invoke::<cmd::MemoryStoreList>(&input).await {
                Ok(list) => {
                    failed.set(None);
                    stores.set(Some(list));
                }
                Err(e) => failed.set(Some(e.message)),
            }
        });
    };
    Effect::new(move |_| {
        archived.track();
        load();
    });
    let creating = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        problem.set(None);
        let input = MemoryStoreCreateInput {
            name: name.get_untracked(),
            description: description.get_untracked(),
        };
        spawn_local(async move {
            match ipc::invoke::<cmd::MemoryStoreCreate>(&input).await {
                Ok(store) => {
                    creating.set(false);
                    name.set(String::new());
                    description.set(String::new());
                    ctx.notices.success(
                        "Memory store created",
                        &format!("“{}” is ready for memories.", store.name),
                    );
                    router.navigate(Route::MemoryStore { id: store.id });
                }
                Err(e) => problem.set(Some(save_problem(&e))),
            }
        });
    };
    view! {
        <section class="page" id="page-memory">
            <div class="page-head">
                <h1>"Memory"</h1>
                <button type="button" id="memory-new" class="primary" on:click=move |_| { creating.set(true); request_animation_frame(|| focus("memory-store-name")); }>"New memory store"</button>
            </div>
            <p class="muted">"What your agents remember: a memory store is a folder of text files an agent can read and write in its sessions."</p>
            <Show when=move || creating.get()>
                <form class="card form" id="memory-store-form" on:submit=save novalidate>
                    <h2>"New memory store"</h2>
                    <div class="field">
                        <label for="memory-store-name">"Name"</label>
                        <input id="memory-store-name" type="text" maxlength="255" placeholder="Customer notes"
                            prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for="memory-store-description">"Description"</label>
                        <input id="memory-store-description" type="text" maxlength="1024"
                            prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev)) />
                    </div>
                    <FormProblem id="memory-store-problem" problem=problem />
                    <div class="actions">
                        <button type="submit" id="memory-store-save" class="primary">"Save"</button>
                        <button type="button" id="memory-store-cancel" on:click=move |_| creating.set(false)>"Cancel"</button>
                    </div>
                </form>
            </Show>
            <label class="inline show-archived">
                <input type="checkbox" id="memory-archived" prop:checked=move || archived.get()
                    on:change=move |ev| archived.set(event_target_checked(&ev)) />
                "Show archived memory stores"
            </label>
            {move || failed.get().map(|m| view! { <p class="result bad" role="alert">{format!("Could not read the memory stores: {m}")}</p> })}
            {move || match stores.get() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(list) if list.is_empty() => view! {
                    <div class="empty-state">
                        <h2>"No memory stores yet"</h2>
                        <p>"Attach a memory store to a session and the agent keeps what it learns there."</p>
                    </div>
                }.into_any(),
                Some(list) => view! {
                    <table class="list-table" id="memory-store-list">
                        <thead><tr><th>"Name"</th><th>"Description"</th><th>"Last updated"</th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|s| {
                                let open = Route::MemoryStore { id: s.id.clone() };
                                let archived = s.archived_at.is_some();
                                view! {
                                    <tr id=format!("memory-store-{}", s.id) class:archived=archived>
                                        <td>
                                            <button type="button" class="link name" on:click=move |_| router.navigate(open.clone())>{s.name.clone()}</button>
                                            {archived.then(|| view! { <span class="status-chip archived">"archived"</span> })}
                                        </td>
                                        <td class="muted">{s.description.clone()}</td>
                                        <td>{when(&s.updated_at)}</td>
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

/// What the store screen shares with its tree and editor.
#[derive(Clone, Copy)]
struct StoreCtx {
    store: StoredValue<MemoryStoreId>,
    /// Bumped after a write: open folders list themselves again.
    tree: RwSignal<u32>,
    /// The memory open in the editor.
    open: RwSignal<Option<Memory>>,
}

/// One memory store.
#[component]
pub fn MemoryStoreScreen() -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let router = use_router();
    let id = router.with_route_untracked(|r| match r {
        Route::MemoryStore { id } => id.clone(),
        _ => Default::default(),
    });
    let store = RwSignal::new(None::<MemoryStore>);
    let failed = RwSignal::new(None::<String>);
    let shared = StoreCtx {
        store: StoredValue::new(id.clone()),
        tree: RwSignal::new(0),
        open: RwSignal::new(None),
    };
    {
        let id = id.clone();
        spawn_local(async move {
            // The store's own object: from the list (archived ones too).
            match ipc::invoke::<cmd::MemoryStoreList>(&ListInput {
                include_archived: true,
            })
            .await
            {
                Ok(list) => store.set(list.into_iter().find(|s| s.id == id)),
                Err(e) => failed.set(Some(e.message)),
            }
        });
    }
    let rename = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(s) = store.get() {
            rename.set(s.name.clone());
        }
    });
    let rename_problem = RwSignal::new(None::<String>);
    let save_name = {
        let id = id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            rename_problem.set(None);
            let input = MemoryStoreRenameInput {
                id: id.clone(),
                name: rename.get_untracked(),
                description: None,
            };
            spawn_local(async move {
                match ipc::invoke::<cmd::MemoryStoreRename>(&input).await {
                    Ok(s) => {
                        ctx.notices
                            .success("Renamed", &format!("The store is now “{}”.", s.name));
                        store.set(Some(s));
                    }
                    Err(e) => rename_problem.set(Some(save_problem(&e))),
                }
            });
        }
    };
    let archive = {
        let id = id.clone();
        Callback::new(move |()| {
            let id = id.clone();
            spawn_local(async move {
                match ipc::invoke::<cmd::MemoryStoreArchive>(&MemoryStoreIdInput { id }).await {
                    Ok(s) => {
                        ctx.notices
                            .success("Archived", &format!("“{}” is archived.", s.name));
                        store.set(Some(s));
                    }
                    Err(e) => {
                        ctx.notices.error("Could not archive the memory store", &e);
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
                match ipc::invoke::<cmd::MemoryStoreDelete>(&MemoryStoreIdInput { id }).await {
                    Ok(()) => {
                        ctx.notices
                            .success("Deleted", "The memory store and its memories were deleted.");
                        router.navigate(Route::Memory);
                    }
                    Err(e) => {
                        ctx.notices.error("Could not delete the memory store", &e);
                    }
                }
            });
        })
    };
    let title = move || {
        store.with(|s| {
            s.as_ref()
                .map(|s| s.name.clone())
                .unwrap_or_else(|| "Memory store".into())
        })
    };
    let archived =
        Signal::derive(move || store.with(|s| s.as_ref().is_some_and(|s| s.archived_at.is_some())));
    let adding = RwSignal::new(false);
    view! {
        <section class="page" id="page-memory-store">
            <div class="page-head">
                <h1>{title}<Show when=move || archived.get()><span class="status-chip archived">"archived"</span></Show></h1>
                <div class="head-actions">
                    <ConfirmButton id="memory-store-archive" label="Archive" on_confirm=archive disabled=archived
                        question=Signal::derive(move || format!("Archive “{}”? This cannot be undone: it can no longer be changed or attached to new sessions.", title())) />
                    <ConfirmButton id="memory-store-delete" label="Delete" on_confirm=delete danger=true
                        question=Signal::derive(move || format!("Delete “{}” and every memory in it for good?", title())) />
                </div>
            </div>
            {move || failed.get().map(|m| view! { <p class="result bad" role="alert">{format!("Could not open this memory store: {m}")}</p> })}
            <form class="card form inline-form" id="memory-store-rename-form" on:submit=save_name novalidate>
                <div class="field">
                    <label for="memory-store-rename">"Name"</label>
                    <input id="memory-store-rename" type="text" maxlength="255"
                        prop:value=move || rename.get() on:input=move |ev| rename.set(event_target_value(&ev)) />
                </div>
                <FormProblem id="memory-store-rename-problem" problem=rename_problem />
                <div class="actions"><button type="submit" id="memory-store-rename-save">"Save"</button></div>
            </form>
            <div class="memory-layout">
                <div class="card memory-tree" id="memory-tree">
                    <div class="page-head">
                        <h2>"Memories"</h2>
                        <button type="button" id="memory-add" class="primary" disabled=move || archived.get()
                            on:click=move |_| { adding.set(true); request_animation_frame(|| focus("memory-new-path")); }>"New memory"</button>
                    </div>
                    <Show when=move || adding.get()>
                        <NewMemory shared=shared done=Callback::new(move |()| adding.set(false)) />
                    </Show>
                    <Folder shared=shared prefix="/".to_string() />
                </div>
                <div class="memory-main">
                    {move || match shared.open.get() {
                        None => view! { <p class="muted card" id="memory-none">"Choose a memory to read or change it."</p> }.into_any(),
                        Some(m) => {
                            let key = m.id.clone();
                            let data = key.to_string();
                            view! { <div class="memory-open" data-memory=data><Editor shared=shared memory=m /><History shared=shared memory_id=key /></div> }.into_any()
                        }
                    }}
                </div>
            </div>
        </section>
    }
}

/// The new-memory form.
#[component]
fn NewMemory(shared: StoreCtx, done: Callback<()>) -> impl IntoView {
    let path = RwSignal::new("/".to_string());
    let content = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        problem.set(None);
        let input = MemoryCreateInput {
            store_id: shared.store.get_value(),
            path: path.get_untracked().trim().to_string(),
            content: content.get_untracked(),
        };
        spawn_local(async move {
            match ipc::invoke::<cmd::MemoryCreate>(&input).await {
                Ok(MemorySaveOutput {
                    memory: Some(m), ..
                }) => {
                    shared.tree.update(|n| *n += 1);
                    shared.open.set(Some(m));
                    done.run(());
                }
                Ok(MemorySaveOutput {
                    conflict: Some(MemoryConflictInfo::PathTaken { path, .. }),
                    ..
                }) => problem.set(Some(format!("Another memory already has the path {path}."))),
                Ok(_) => problem.set(Some("The memory was not saved.".into())),
                Err(e) => problem.set(Some(save_problem(&e))),
            }
        });
    };
    view! {
        <form class="form" id="memory-new-form" on:submit=save novalidate>
            <div class="field">
                <label for="memory-new-path">"Path"</label>
                <input id="memory-new-path" type="text" placeholder="/customers/acme.md"
                    prop:value=move || path.get() on:input=move |ev| path.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label for="memory-new-content">"Content"</label>
                <textarea id="memory-new-content" rows="5"
                    prop:value=move || content.get() on:input=move |ev| content.set(event_target_value(&ev))></textarea>
            </div>
            <FormProblem id="memory-new-problem" problem=problem />
            <div class="actions">
                <button type="submit" id="memory-new-save" class="primary">"Save"</button>
                <button type="button" id="memory-new-cancel" on:click=move |_| done.run(())>"Cancel"</button>
            </div>
        </form>
    }
}

fn dom_key(path: &str) -> String {
    path.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// One folder: its entries, listed when it is shown (and again after a write).
#[component]
fn Folder(shared: StoreCtx, prefix: String) -> AnyView {
    let entries = RwSignal::new(None::<Vec<MemoryEntry>>);
    let p = prefix.clone();
    Effect::new(move |_| {
        shared.tree.track();
        let input = MemoryListInput {
            store_id: shared.store.get_value(),
            path_prefix: Some(p.clone()),
            depth: Some(1),
        };
        spawn_local(async move {
            if let Ok(list) = ipc::invoke::<cmd::MemoryList>(&input).await {
                entries.set(Some(list));
            }
        });
    });
    view! {
        <ul class="tree" id=format!("folder{}", dom_key(&prefix))>
            {move || match entries.get() {
                None => view! { <li class="muted">"Loading…"</li> }.into_any(),
                Some(list) if list.is_empty() => view! { <li class="muted">"Empty"</li> }.into_any(),
                Some(list) => list.into_iter().map(|e| match e {
                    MemoryEntry::Folder { path } => {
                        let expanded = RwSignal::new(false);
                        let name = path.trim_end_matches('/').rsplit('/').next().unwrap_or("").to_string();
                        let child = path.clone();
                        view! {
                            <li class="tree-folder">
                                <button type="button" class="link" id=format!("open-folder{}", dom_key(&path)) aria-expanded=move || expanded.get().to_string()
                                    on:click=move |_| expanded.update(|x| *x = !*x)>
                                    {move || if expanded.get() { "▾ " } else { "▸ " }}{format!("{name}/")}
                                </button>
                                <Show when=move || expanded.get()>
                                    <Folder shared=shared prefix=child.clone() />
                                </Show>
                            </li>
                        }.into_any()
                    }
                    MemoryEntry::Memory { memory } => {
                        let name = memory.path.rsplit('/').next().unwrap_or("").to_string();
                        let (store_id, id) = (shared.store.get_value(), memory.id.clone());
                        let selected = {
                            let id = id.clone();
                            move || shared.open.with(|o| o.as_ref().is_some_and(|m| m.id == id))
                        };
                        view! {
                            <li class="tree-memory" class:selected=selected>
                                <button type="button" class="link" id=format!("open-memory{}", dom_key(&memory.path))
                                    on:click=move |_| {
                                        let input = MemoryIdInput { store_id: store_id.clone(), id: id.clone() };
                                        spawn_local(async move {
                                            if let Ok(m) = ipc::invoke::<cmd::MemoryGet>(&input).await {
                                                shared.open.set(Some(m));
                                            }
                                        });
                                    }>{name}</button>
                            </li>
                        }.into_any()
                    }
                }).collect_view().into_any(),
            }}
        </ul>
    }
    .into_any()
}

/// The open memory: path and content, saved only if unchanged since it was opened.
#[component]
fn Editor(shared: StoreCtx, memory: Memory) -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let base = RwSignal::new(memory.content_sha256.clone());
    let original = RwSignal::new(memory.clone());
    let path = RwSignal::new(memory.path.clone());
    let content = RwSignal::new(memory.content.clone().unwrap_or_default());
    let conflict = RwSignal::new(None::<MemoryConflictInfo>);
    let problem = RwSignal::new(None::<String>);
    let store_id = shared.store.get_value();
    let id = memory.id.clone();
    let save_from = {
        let (store_id, id) = (store_id.clone(), id.clone());
        move |from: String| {
            problem.set(None);
            let o = original.get_untracked();
            let new_path = path.get_untracked().trim().to_string();
            let new_content = content.get_untracked();
            let input = MemorySaveInput {
                store_id: store_id.clone(),
                id: id.clone(),
                content: (Some(&new_content) != o.content.as_ref()).then_some(new_content),
                path: (new_path != o.path).then_some(new_path),
                base_sha256: Some(from),
            };
            spawn_local(async move {
                match ipc::invoke::<cmd::MemorySave>(&input).await {
                    Ok(MemorySaveOutput {
                        memory: Some(m), ..
                    }) => {
                        conflict.set(None);
                        base.set(m.content_sha256.clone());
                        original.set(m.clone());
                        ctx.notices
                            .success("Saved", &format!("{} is saved.", m.path));
                        shared.tree.update(|n| *n += 1);
                        shared.open.set(Some(m));
                    }
                    Ok(MemorySaveOutput {
                        conflict: Some(MemoryConflictInfo::PathTaken { path, .. }),
                        ..
                    }) => problem.set(Some(format!("Another memory already has the path {path}."))),
                    Ok(MemorySaveOutput {
                        conflict: Some(c), ..
                    }) => conflict.set(Some(c)),
                    Ok(_) => problem.set(Some("The memory was not saved.".into())),
                    Err(e) => problem.set(Some(save_problem(&e))),
                }
            });
        }
    };
    let save = {
        let save_from = save_from.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            save_from(base.get_untracked());
        }
    };
    let keep_mine = {
        let save_from = save_from.clone();
        move |_| {
            if let Some(MemoryConflictInfo::Changed { theirs, .. }) = conflict.get_untracked() {
                // Mine goes over theirs: the precondition is now their version.
                original.set(theirs.clone());
                save_from(theirs.content_sha256.clone());
            }
        }
    };
    let use_theirs = move |_| {
        if let Some(MemoryConflictInfo::Changed { theirs, .. }) = conflict.get_untracked() {
            conflict.set(None);
            base.set(theirs.content_sha256.clone());
            path.set(theirs.path.clone());
            content.set(theirs.content.clone().unwrap_or_default());
            original.set(theirs.clone());
            shared.open.set(Some(theirs));
        }
    };
    let delete = {
        let (store_id, id) = (store_id.clone(), id.clone());
        Callback::new(move |()| {
            let input = MemoryDeleteInput {
                store_id: store_id.clone(),
                id: id.clone(),
                base_sha256: Some(base.get_untracked()),
            };
            spawn_local(async move {
                match ipc::invoke::<cmd::MemoryDelete>(&input).await {
                    Ok(MemorySaveOutput { conflict: None, .. }) => {
                        ctx.notices
                            .success("Deleted", "The memory was deleted; its history stays.");
                        shared.open.set(None);
                        shared.tree.update(|n| *n += 1);
                    }
                    Ok(MemorySaveOutput {
                        conflict: Some(c), ..
                    }) => conflict.set(Some(c)),
                    Err(e) => problem.set(Some(save_problem(&e))),
                }
            });
        })
    };
    view! {
        <form class="card form" id="memory-editor" on:submit=save novalidate>
            <div class="field">
                <label for="memory-path">"Path"</label>
                <input id="memory-path" type="text" prop:value=move || path.get() on:input=move |ev| path.set(event_target_value(&ev)) />
                <p class="hint">"Change the path to move the memory."</p>
            </div>
            <div class="field">
                <label for="memory-content">"Content"</label>
                <textarea id="memory-content" rows="10" prop:value=move || content.get() on:input=move |ev| content.set(event_target_value(&ev))></textarea>
            </div>
            <p class="muted small" id="memory-meta">{move || {
                let o = original.get();
                format!("{} bytes · changed {} · sha256 {}", o.content_size_bytes, when(&o.updated_at), &o.content_sha256[..o.content_sha256.len().min(12)])
            }}</p>
            <FormProblem id="memory-problem" problem=problem />
            {move || conflict.get().map(|c| match c {
                MemoryConflictInfo::Changed { theirs, by } => view! {
                    <div class="conflict" id="memory-conflict" role="alert">
                        <p><strong>"Someone else changed this memory since you opened it"</strong>
                            {by.map(|b| format!(" ({b})")).unwrap_or_default()}". Choose which to keep."</p>
                        <div class="conflict-sides">
                            <div><h3>"Theirs"</h3><pre id="conflict-theirs">{theirs.content.clone().unwrap_or_default()}</pre></div>
                            <div><h3>"Yours"</h3><pre id="conflict-mine">{content.get_untracked()}</pre></div>
                        </div>
                        <div class="actions">
                            <button type="button" id="conflict-keep-mine" class="primary" on:click=keep_mine.clone()>"Keep mine"</button>
                            <button type="button" id="conflict-use-theirs" on:click=use_theirs>"Use theirs"</button>
                        </div>
                    </div>
                }.into_any(),
                MemoryConflictInfo::PathTaken { path, .. } => view! { <p class="result bad" id="memory-conflict">{format!("Another memory already has the path {path}.")}</p> }.into_any(),
                MemoryConflictInfo::Gone => view! { <p class="result bad" id="memory-conflict">"This memory was deleted meanwhile."</p> }.into_any(),
            })}
            <div class="actions">
                <button type="submit" id="memory-save" class="primary">"Save"</button>
                <ConfirmButton id="memory-delete" label="Delete" on_confirm=delete danger=true
                    question=Signal::derive(move || format!("Delete {}? Its history stays.", path.get())) />
            </div>
        </form>
    }
}

fn lines(v: Option<&MemoryVersion>) -> Vec<String> {
    v.and_then(|v| v.content.as_deref())
        .unwrap_or("")
        .lines()
        .map(str::to_string)
        .collect()
}

/// The open memory's history: who changed it, a diff between two versions, Redact.
#[component]
fn History(shared: StoreCtx, memory_id: hangar_types::MemoryId) -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let router = use_router();
    let versions = RwSignal::new(Vec::<MemoryVersion>::new());
    let left = RwSignal::new(1usize);
    let right = RwSignal::new(0usize);
    let load = {
        let memory_id = memory_id.clone();
        move || {
            let input = MemoryVersionsInput {
                store_id: shared.store.get_value(),
                memory_id: Some(memory_id.clone()),
            };
            spawn_local(async move {
                if let Ok(list) = ipc::invoke::<cmd::MemoryVersions>(&input).await {
                    left.set(if list.len() > 1 { 1 } else { 0 });
                    right.set(0);
                    versions.set(list);
                }
            });
        }
    };
    {
        let load = load.clone();
        Effect::new(move |_| {
            shared.open.track();
            load();
        });
    }
    let live = move || {
        shared
            .open
            .with(|o| o.as_ref().map(|m| m.memory_version_id.clone()))
    };
    let label =
        |i: usize, v: &MemoryVersion| format!("#{} {} {}", i, v.operation, when(&v.created_at));
    view! {
        <div class="card" id="memory-history">
            <h2>"History"</h2>
            <table class="list-table" id="memory-versions">
                <thead><tr><th>"Change"</th><th>"By"</th><th>"When"</th><th><span class="visually-hidden">"Actions"</span></th></tr></thead>
                <tbody>
                    {move || {
                        let list = versions.get();
                        let n = list.len();
                        let current = live();
                        list.into_iter().enumerate().map(|(i, v)| {
                            let redacted = v.redacted_at.is_some();
                            let is_live = current.as_ref() == Some(&v.id);
                            let session = v.created_by.as_ref().and_then(|a| a.session_id()).map(str::to_string);
                            let by = v.created_by.as_ref().map(|a| a.describe()).unwrap_or_else(|| "not recorded".into());
                            let store_id = shared.store.get_value();
                            let vid = v.id.clone();
                            let reload = load.clone();
                            let redact = Callback::new(move |()| {
                                let input = MemoryVersionIdInput { store_id: store_id.clone(), id: vid.clone() };
                                let reload = reload.clone();
                                spawn_local(async move {
                                    match ipc::invoke::<cmd::MemoryVersionRedact>(&input).await {
                                        Ok(_) => { ctx.notices.success("Redacted", "That version's content and path are erased for good."); reload(); }
                                        Err(e) => { ctx.notices.error("Could not redact the version", &e); }
                                    }
                                });
                            });
                            view! {
                                <tr id=format!("memory-version-{}", n - i) class:redacted=redacted>
                                    <td>{format!("#{} {}", n - i, v.operation)}{redacted.then(|| view! { <span class="status-chip archived">"redacted"</span> })}{is_live.then(|| view! { <span class="status-chip">"current"</span> })}</td>
                                    <td>{match session {
                                        Some(s) => {
                                            let to = Route::Session { id: s.clone().into(), at: None };
                                            view! { <button type="button" class="link" on:click=move |_| router.navigate(to.clone())>{by.clone()}</button> }.into_any()
                                        }
                                        None => view! { <span>{by.clone()}</span> }.into_any(),
                                    }}</td>
                                    <td>{when(&v.created_at)}</td>
                                    <td>
                                        <ConfirmButton id=format!("memory-version-{}-redact", n - i) label="Redact" on_confirm=redact danger=true
                                            disabled=Signal::derive(move || redacted || is_live)
                                            question=Signal::derive(move || "Erase this version's content and path for good? Who made it stays.".to_string()) />
                                    </td>
                                </tr>
                            }
                        }).collect_view()
                    }}
                </tbody>
            </table>
            <div class="diff-pick">
                <label for="memory-diff-left">"Older"</label>
                <select id="memory-diff-left" on:change=move |ev| left.set(event_target_value(&ev).parse().unwrap_or(0))>
                    {move || { let list = versions.get(); let n = list.len(); list.iter().enumerate().map(|(i, v)| view! { <option value=i.to_string() selected=i == left.get_untracked()>{label(n - i, v)}</option> }).collect_view() }}
                </select>
                <label for="memory-diff-right">"Newer"</label>
                <select id="memory-diff-right" on:change=move |ev| right.set(event_target_value(&ev).parse().unwrap_or(0))>
                    {move || { let list = versions.get(); let n = list.len(); list.iter().enumerate().map(|(i, v)| view! { <option value=i.to_string() selected=i == right.get_untracked()>{label(n - i, v)}</option> }).collect_view() }}
                </select>
            </div>
            {move || {
                let list = versions.get();
                let (a, b) = (list.get(left.get()), list.get(right.get()));
                if a.is_none() || b.is_none() {
                    return view! { <p class="muted">"Choose two versions."</p> }.into_any();
                }
                let note = [a, b].iter().flatten().any(|v| v.redacted_at.is_some())
                    .then(|| view! { <p class="muted">"A redacted version has no content to compare."</p> });
                let rows = diff_lines(&lines(a), &lines(b));
                let same = rows.iter().all(|r| r.change == Change::Same);
                view! {
                    <div id="memory-diff" class="diff">
                        {note}
                        {same.then(|| view! { <p class="muted">"These two versions have the same content."</p> })}
                        <table class="diff-table"><tbody>
                            {rows.into_iter().map(|r| {
                                let class = r.change.class();
                                let marker = match r.change { Change::Same => "", Change::Removed => "−", Change::Added => "+", Change::Changed => "~" };
                                view! { <tr class=format!("diff-row {class}")><td class="marker" aria-hidden="true">{marker}</td><td class="left">{r.left.unwrap_or_default()}</td><td class="right">{r.right.unwrap_or_default()}</td></tr> }
                            }).collect_view()}
                        </tbody></table>
                    </div>
                }.into_any()
            }}
        </div>
    }
}
