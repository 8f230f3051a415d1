//! `memory_store_*`, `memory_*` and `memory_version_*` commands (issue 14). They talk to the API
//! directly (memory is not cached). A save or delete carries the content hash the person
//! started from; a memory 409 is answered as a [`MemoryConflictInfo`] with the current version
//! (and who wrote it), so the screen can show both.

use hangar_api::memory::{
    conflict, MemoryConflict, MemoryCreate, MemoryListItem, MemoryListParams, MemoryStore,
    MemoryStoreCreate, MemoryStoreListParams, MemoryStoreUpdate, MemoryUpdate,
    MemoryVersionListParams, MemoryView,
};
use hangar_api::{Client, ListParams};
use hangar_types::{
    cmd, memory_problems, memory_store_problems, MemoryConflictInfo, MemoryEntry, MemorySaveOutput,
};

use super::agents::{all_pages, refuse};
use super::{Input, Reply, Shared};
use crate::error::ShellResult;

async fn client(state: &Shared<'_>) -> ShellResult<Client> {
    let profile = state.active_row();
    state.client_for(&profile).await
}

/// The conflict a refused write met, with the memory as it is now and its last author.
async fn explain(
    client: &Client,
    store_id: &str,
    memory_id: Option<&str>,
    found: MemoryConflict,
) -> MemoryConflictInfo {
    match found {
        MemoryConflict::PathConflict {
            conflicting_path,
            conflicting_memory_id,
        } => MemoryConflictInfo::PathTaken {
            path: conflicting_path.unwrap_or_default(),
            memory_id: conflicting_memory_id,
        },
        MemoryConflict::PreconditionFailed | MemoryConflict::Other => {
            let Some(id) = memory_id else {
                return MemoryConflictInfo::Gone;
            };
            match client
                .memory_stores()
                .retrieve_memory(store_id, id, Some(MemoryView::Full))
                .await
            {
                Ok(theirs) => {
                    let by = client
                        .memory_stores()
                        .retrieve_version(
                            store_id,
                            &theirs.memory_version_id,
                            Some(MemoryView::Basic),
                        )
                        .await
                        .ok()
                        .and_then(|v| v.created_by)
                        .map(|a| a.describe());
                    MemoryConflictInfo::Changed { theirs, by }
                }
                Err(_) => MemoryConflictInfo::Gone,
            }
        }
    }
}

/// Every store, fresh from the API.
#[tauri::command]
pub async fn memory_store_list(
    state: Shared<'_>,
    input: Input<cmd::MemoryStoreList>,
) -> Reply<cmd::MemoryStoreList> {
    let c = client(&state).await?;
    let first = ListParams {
        include_archived: Some(input.include_archived),
        ..ListParams::limit(100)
    };
    all_pages(first, move |list| {
        let c = c.clone();
        async move {
            let page = c
                .memory_stores()
                .list(&MemoryStoreListParams {
                    list,
                    ..Default::default()
                })
                .await?;
            Ok((page.data, page.next_page))
        }
    })
    .await
}

/// Creates a store.
#[tauri::command]
pub async fn memory_store_create(
    state: Shared<'_>,
    input: Input<cmd::MemoryStoreCreate>,
) -> Reply<cmd::MemoryStoreCreate> {
    refuse(memory_store_problems(&input.name, &input.description))?;
    let body = MemoryStoreCreate {
        name: input.name.trim().to_string(),
        description: Some(input.description.clone()).filter(|d| !d.is_empty()),
        ..Default::default()
    };
    let store: MemoryStore = client(&state).await?.memory_stores().create(&body).await?;
    tracing::info!("memory store {} created", store.id);
    Ok(store)
}

/// Renames a store.
#[tauri::command]
pub async fn memory_store_rename(
    state: Shared<'_>,
    input: Input<cmd::MemoryStoreRename>,
) -> Reply<cmd::MemoryStoreRename> {
    refuse(memory_store_problems(
        &input.name,
        input.description.as_deref().unwrap_or(""),
    ))?;
    let body = MemoryStoreUpdate {
        name: Some(input.name.trim().to_string()),
        description: input.description.clone(),
        ..Default::default()
    };
    Ok(client(&state)
        .await?
        .memory_stores()
        .update(&input.id, &body)
        .await?)
}

/// Archives a store.
#[tauri::command]
pub async fn memory_store_archive(
    state: Shared<'_>,
    input: Input<cmd::MemoryStoreArchive>,
) -> Reply<cmd::MemoryStoreArchive> {
    let store = client(&state)
        .await?
        .memory_stores()
        .archive(&input.id)
        .await?;
    tracing::info!("memory store {} archived", store.id);
    Ok(store)
}

/// Deletes a store and its memories.
#[tauri::command]
pub async fn memory_store_delete(
    state: Shared<'_>,
    input: Input<cmd::MemoryStoreDelete>,
) -> Reply<cmd::MemoryStoreDelete> {
    client(&state)
        .await?
        .memory_stores()
        .delete(&input.id)
        .await?;
    tracing::info!("memory store {} deleted", input.id);
    Ok(())
}

/// One folder of a store, folders first, then memories by path.
#[tauri::command]
pub async fn memory_list(
    state: Shared<'_>,
    input: Input<cmd::MemoryList>,
) -> Reply<cmd::MemoryList> {
    let c = client(&state).await?;
    let store = input.store_id.to_string();
    let (prefix, depth) = (input.path_prefix.clone(), input.depth);
    let items = all_pages(ListParams::limit(100), move |list| {
        let (c, store, prefix) = (c.clone(), store.clone(), prefix.clone());
        async move {
            let page = c
                .memory_stores()
                .list_memories(
                    &store,
                    &MemoryListParams {
                        list,
                        path_prefix: prefix,
                        depth,
                        view: Some(MemoryView::Basic),
                    },
                )
                .await?;
            Ok((page.data, page.next_page))
        }
    })
    .await?;
    let mut folders = Vec::new();
    let mut memories = Vec::new();
    for item in items {
        match item {
            MemoryListItem::MemoryPrefix { path } => folders.push(MemoryEntry::Folder { path }),
            MemoryListItem::Memory(memory) => memories.push(MemoryEntry::Memory { memory }),
            MemoryListItem::Other(_) => {}
        }
    }
    folders.extend(memories);
    Ok(folders)
}

/// One memory with its content.
#[tauri::command]
pub async fn memory_get(state: Shared<'_>, input: Input<cmd::MemoryGet>) -> Reply<cmd::MemoryGet> {
    Ok(client(&state)
        .await?
        .memory_stores()
        .retrieve_memory(&input.store_id, &input.id, Some(MemoryView::Full))
        .await?)
}

/// Writes a new memory.
#[tauri::command]
pub async fn memory_create(
    state: Shared<'_>,
    input: Input<cmd::MemoryCreate>,
) -> Reply<cmd::MemoryCreate> {
    refuse(memory_problems(&input.path, Some(&input.content)))?;
    let c = client(&state).await?;
    let body = MemoryCreate {
        path: input.path.clone(),
        content: input.content.clone(),
    };
    match c
        .memory_stores()
        .create_memory(&input.store_id, &body, Some(MemoryView::Full))
        .await
    {
        Ok(memory) => Ok(MemorySaveOutput {
            memory: Some(memory),
            conflict: None,
        }),
        Err(e) => match conflict(&e) {
            Some(found) => Ok(MemorySaveOutput {
                memory: None,
                conflict: Some(explain(&c, &input.store_id, None, found).await),
            }),
            None => Err(e.into()),
        },
    }
}

/// Saves content and/or a new path, only if unchanged since `base_sha256`.
#[tauri::command]
pub async fn memory_save(
    state: Shared<'_>,
    input: Input<cmd::MemorySave>,
) -> Reply<cmd::MemorySave> {
    if let Some(path) = &input.path {
        refuse(memory_problems(path, input.content.as_deref()))?;
    } else {
        refuse(
            memory_problems("/x", input.content.as_deref())
                .into_iter()
                .filter(|(f, _)| f == "content")
                .collect(),
        )?;
    }
    let c = client(&state).await?;
    let mut body = MemoryUpdate {
        content: input.content.clone(),
        path: input.path.clone(),
        precondition: None,
    };
    if let Some(base) = &input.base_sha256 {
        body = body.if_unchanged(base.clone());
    }
    match c
        .memory_stores()
        .update_memory(&input.store_id, &input.id, &body, Some(MemoryView::Full))
        .await
    {
        Ok(memory) => {
            tracing::info!("memory {} saved", memory.id);
            Ok(MemorySaveOutput {
                memory: Some(memory),
                conflict: None,
            })
        }
        Err(e) if e.status() == Some(404) => Ok(MemorySaveOutput {
            memory: None,
            conflict: Some(MemoryConflictInfo::Gone),
        }),
        Err(e) => match conflict(&e) {
            Some(found) => Ok(MemorySaveOutput {
                memory: None,
                conflict: Some(explain(&c, &input.store_id, Some(&input.id), found).await),
            }),
            None => Err(e.into()),
        },
    }
}

/// Deletes a memory, only if unchanged since `base_sha256`.
#[tauri::command]
pub async fn memory_delete(
    state: Shared<'_>,
    input: Input<cmd::MemoryDelete>,
) -> Reply<cmd::MemoryDelete> {
    let c = client(&state).await?;
    match c
        .memory_stores()
        .delete_memory(&input.store_id, &input.id, input.base_sha256.as_deref())
        .await
    {
        Ok(_) => Ok(MemorySaveOutput {
            memory: None,
            conflict: None,
        }),
        Err(e) => match conflict(&e) {
            Some(found) => Ok(MemorySaveOutput {
                memory: None,
                conflict: Some(explain(&c, &input.store_id, Some(&input.id), found).await),
            }),
            None => Err(e.into()),
        },
    }
}

/// A memory's history, newest first, with content.
#[tauri::command]
pub async fn memory_versions(
    state: Shared<'_>,
    input: Input<cmd::MemoryVersions>,
) -> Reply<cmd::MemoryVersions> {
    let c = client(&state).await?;
    let store = input.store_id.to_string();
    let memory = input.memory_id.as_ref().map(|m| m.to_string());
    all_pages(ListParams::limit(20), move |list| {
        let (c, store, memory) = (c.clone(), store.clone(), memory.clone());
        async move {
            let page = c
                .memory_stores()
                .list_versions(
                    &store,
                    &MemoryVersionListParams {
                        list,
                        memory_id: memory,
                        view: Some(MemoryView::Full),
                        ..Default::default()
                    },
                )
                .await?;
            Ok((page.data, page.next_page))
        }
    })
    .await
}

/// Redacts a version.
#[tauri::command]
pub async fn memory_version_redact(
    state: Shared<'_>,
    input: Input<cmd::MemoryVersionRedact>,
) -> Reply<cmd::MemoryVersionRedact> {
    let v = client(&state)
        .await?
        .memory_stores()
        .redact_version(&input.store_id, &input.id)
        .await?;
    tracing::info!("memory version {} redacted", v.id);
    Ok(v)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly")]

    use serde_json::json;

    use super::super::agents::flow::{app_on, fake};

    #[test]
    fn a_memory_is_edited_conflicts_with_an_agent_and_its_history_is_redacted() {
        let server = fake();
        let (app, dir) = app_on(&server, "memory");
        let store = app
            .invoke(
                "memory_store_create",
                json!({"name": "Support notes", "description": "What the agent learns"}),
            )
            .unwrap();
        let sid = store["id"].as_str().unwrap().to_string();
        let bad = app
            .invoke("memory_store_create", json!({"name": " "}))
            .unwrap_err();
        assert_eq!(bad["field"], "name");
        let created = app
            .invoke(
                "memory_create",
                json!({"storeId": sid, "path": "/customers/acme.md", "content": "Prefers email."}),
            )
            .unwrap();
        let memory = created["memory"].clone();
        let mid = memory["id"].as_str().unwrap().to_string();
        let base = memory["content_sha256"].as_str().unwrap().to_string();
        let taken = app
            .invoke(
                "memory_create",
                json!({"storeId": sid, "path": "/customers/acme.md", "content": "x"}),
            )
            .unwrap();
        assert_eq!(taken["conflict"]["kind"], "pathTaken");
        assert_eq!(taken["conflict"]["memoryId"], mid.as_str());
        let bad_path = app
            .invoke(
                "memory_create",
                json!({"storeId": sid, "path": "customers", "content": "x"}),
            )
            .unwrap_err();
        assert_eq!(bad_path["field"], "path");

        // The tree: one folder at the top, the memory inside it.
        let top = app
            .invoke("memory_list", json!({"storeId": sid, "depth": 1}))
            .unwrap();
        assert_eq!(top, json!([{"kind": "folder", "path": "/customers/"}]));
        let inside = app
            .invoke(
                "memory_list",
                json!({"storeId": sid, "pathPrefix": "/customers/", "depth": 1}),
            )
            .unwrap();
        assert_eq!(inside[0]["memory"]["path"], "/customers/acme.md");

        // An agent changes it meanwhile; the save from the old hash is refused with theirs.
        server
            .agent_writes_memory("sesn_agent1", &sid, "/customers/acme.md", "Prefers phone.")
            .unwrap();
        let refused = app
            .invoke(
                "memory_save",
                json!({"storeId": sid, "id": mid, "content": "Prefers email, weekdays.", "baseSha256": base}),
            )
            .unwrap();
        assert_eq!(refused["memory"], json!(null));
        assert_eq!(refused["conflict"]["kind"], "changed");
        assert_eq!(refused["conflict"]["theirs"]["content"], "Prefers phone.");
        assert_eq!(refused["conflict"]["by"], "session sesn_agent1");
        // Keeping mine: saved over theirs from their hash.
        let theirs = refused["conflict"]["theirs"]["content_sha256"].clone();
        let saved = app
            .invoke(
                "memory_save",
                json!({"storeId": sid, "id": mid, "content": "Prefers email, weekdays.", "baseSha256": theirs}),
            )
            .unwrap();
        assert_eq!(saved["memory"]["content"], "Prefers email, weekdays.");
        // Moved by path.
        let moved = app
            .invoke(
                "memory_save",
                json!({"storeId": sid, "id": mid, "path": "/customers/acme-corp.md"}),
            )
            .unwrap();
        assert_eq!(moved["memory"]["path"], "/customers/acme-corp.md");

        let versions = app
            .invoke("memory_versions", json!({"storeId": sid, "memoryId": mid}))
            .unwrap();
        let versions = versions.as_array().unwrap();
        assert_eq!(versions.len(), 4);
        assert_eq!(versions[2]["created_by"]["session_id"], "sesn_agent1");
        assert_eq!(versions[3]["content"], "Prefers email.");
        let oldest = versions[3]["id"].as_str().unwrap();
        let redacted = app
            .invoke(
                "memory_version_redact",
                json!({"storeId": sid, "id": oldest}),
            )
            .unwrap();
        assert_eq!(redacted["content"], json!(null));
        assert!(redacted["redacted_at"].is_string());

        // A delete from a stale hash is refused too; from the current one it goes.
        let stale = app
            .invoke(
                "memory_delete",
                json!({"storeId": sid, "id": mid, "baseSha256": base}),
            )
            .unwrap();
        assert_eq!(stale["conflict"]["kind"], "changed");
        let current = moved["memory"]["content_sha256"].clone();
        let gone = app
            .invoke(
                "memory_delete",
                json!({"storeId": sid, "id": mid, "baseSha256": current}),
            )
            .unwrap();
        assert_eq!(gone, json!({"memory": null, "conflict": null}));

        let renamed = app
            .invoke(
                "memory_store_rename",
                json!({"id": sid, "name": "Support memory"}),
            )
            .unwrap();
        assert_eq!(renamed["name"], "Support memory");
        app.invoke("memory_store_archive", json!({"id": sid}))
            .unwrap();
        assert_eq!(
            app.invoke("memory_store_list", json!({})).unwrap(),
            json!([])
        );
        app.invoke("memory_store_delete", json!({"id": sid}))
            .unwrap();
        assert_eq!(
            app.invoke("memory_store_list", json!({"includeArchived": true}))
                .unwrap(),
            json!([])
        );
        drop(app);
        let _removed = std::fs::remove_dir_all(&dir);
    }
}
