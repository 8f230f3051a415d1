//! `skill_*` commands: the list (cached, or fresh from the API), versions, uploading a folder
//! chosen in the OS dialog as a new skill or a new version (with progress), delete.
//!
//! The API takes a skill as multipart `files[]` parts, every file under one top-level folder
//! that holds `SKILL.md` (reference §5.9): Hangar packs the chosen folder that way.

use std::path::{Path, PathBuf};

use hangar_api::skills::{Skill, SkillVersion};
use hangar_api::ListParams;
use hangar_store::ResourceKind;
use hangar_types::{cmd, ErrorKind, SkillListItem, UploadOutput, UploadProgress};
use tauri::ipc::Channel;

use super::agents::{all_pages, internal, to_json, unreachable};
use super::files::{file_name, now_rfc3339, Ask, DialogState};
use super::{Input, Reply, Shared};
use crate::error::{ShellError, ShellResult};

/// The most files and bytes a skill folder may hold.
const SKILL_FILES_MAX: usize = 500;
const SKILL_BYTES_MAX: u64 = 30 * 1024 * 1024;

fn item(skill: &Skill) -> SkillListItem {
    use hangar_api::skills::SkillSource;
    SkillListItem {
        id: skill.id.clone(),
        display_name: skill.display_name.clone(),
        source: match &skill.source {
            Some(SkillSource::Custom) | None => "custom".into(),
            Some(SkillSource::Anthropic) => "anthropic".into(),
            Some(SkillSource::AnthropicExample) => "anthropic_example".into(),
            Some(SkillSource::Plugin) => "plugin".into(),
            Some(SkillSource::Other(v)) => v
                .get("type")
                .and_then(|t| t.as_str())
                .unwrap_or("other")
                .to_string(),
        },
        latest_version: skill.latest_version_id.as_ref().map(|v| v.to_string()),
        updated_at: skill
            .updated_at
            .clone()
            .or_else(|| skill.created_at.clone()),
    }
}

async fn cached(state: &Shared<'_>, profile: String) -> ShellResult<Vec<Skill>> {
    let rows = state
        .read(move |s| s.list_resources(&profile, ResourceKind::Skill, true))
        .await?;
    Ok(rows
        .iter()
        .filter_map(|r| serde_json::from_str::<Skill>(&r.raw).ok())
        .collect())
}

/// The skills: from the cache, or (`fresh`) from the API into the cache.
#[tauri::command]
pub async fn skill_list(state: Shared<'_>, input: Input<cmd::SkillList>) -> Reply<cmd::SkillList> {
    let skills = if input.fresh {
        let (profile, client) = state.client().await?;
        let listed = all_pages(ListParams::limit(100), move |params| {
            let client = client.clone();
            async move {
                let page = client.skills().list(&params, None).await?;
                Ok((page.data, page.next_page))
            }
        })
        .await;
        let listed = match listed {
            Ok(l) => l,
            Err(e) => {
                unreachable(&state, &e);
                return Err(e);
            }
        };
        let raw = to_json(&listed)?;
        let id = profile.id.clone();
        state
            .write(move |s| {
                s.replace_resources(&id, ResourceKind::Skill, &raw)?;
                s.mark_list_refreshed(&id, "skills", &now_rfc3339())
            })
            .await?;
        listed
    } else {
        cached(&state, state.active_id()).await?
    };
    let mut items: Vec<SkillListItem> = skills.iter().map(item).collect();
    items.sort_by_key(|s| s.display_name.to_lowercase());
    Ok(items)
}

/// A skill's versions, newest first.
#[tauri::command]
pub async fn skill_versions(
    state: Shared<'_>,
    input: Input<cmd::SkillVersions>,
) -> Reply<cmd::SkillVersions> {
    let (_, client) = state.client().await?;
    let id = input.id.to_string();
    let mut versions: Vec<SkillVersion> = all_pages(ListParams::limit(100), move |params| {
        let (client, id) = (client.clone(), id.clone());
        async move {
            let page = client.skills().versions(&id, &params).await?;
            Ok((page.data, page.next_page))
        }
    })
    .await?;
    versions.sort_by(|a, b| b.created_at.cmp(&a.created_at));
    Ok(versions)
}

/// The files of a skill folder as the API takes them: `<folder>/<path>` with `/` separators.
/// Hidden files and folders (`.git`, `.DS_Store`) and links are left out; `SKILL.md` must be at
/// the top.
pub fn skill_files(root: &Path) -> ShellResult<Vec<(String, PathBuf, u64)>> {
    let folder = file_name(root);
    let refuse = |m: String| ShellError::kind(ErrorKind::Invalid, m);
    if !root.join("SKILL.md").is_file() {
        return Err(refuse(format!(
            "“{folder}” has no SKILL.md at its top. A skill is a folder with a SKILL.md file (its name and description) and any files it uses."
        )));
    }
    let mut out = Vec::new();
    let mut total = 0u64;
    let mut stack = vec![(root.to_path_buf(), folder.clone())];
    while let Some((dir, prefix)) = stack.pop() {
        let entries = std::fs::read_dir(&dir)
            .map_err(|e| refuse(format!("Could not read {}: {e}", dir.display())))?;
        for entry in entries {
            let entry =
                entry.map_err(|e| refuse(format!("Could not read {}: {e}", dir.display())))?;
            let name = entry.file_name().to_string_lossy().to_string();
            if name.starts_with('.') {
                continue;
            }
            let kind = entry
                .file_type()
                .map_err(|e| refuse(format!("Could not read {name}: {e}")))?;
            let path = entry.path();
            let wire = format!("{prefix}/{name}");
            if kind.is_dir() {
                stack.push((path, wire));
            } else if kind.is_file() {
                let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
                total += size;
                out.push((wire, path, size));
            }
        }
        if out.len() > SKILL_FILES_MAX || total > SKILL_BYTES_MAX {
            return Err(refuse(format!(
                "“{folder}” is too big for a skill (at most {SKILL_FILES_MAX} files and {}).",
                hangar_types::bytes(SKILL_BYTES_MAX)
            )));
        }
    }
    out.sort();
    Ok(out)
}

/// Uploads the folder chosen in the OS dialog as a new skill, or as a new version of
/// `skill_id`, with progress.
#[tauri::command]
pub async fn skill_upload(
    state: Shared<'_>,
    dialogs: DialogState<'_>,
    input: Input<cmd::SkillUpload>,
    channel: Channel<UploadProgress>,
) -> Reply<cmd::SkillUpload> {
    let title = if input.skill_id.is_some() {
        "Choose the folder of the new version"
    } else {
        "Choose a skill folder (with SKILL.md)"
    };
    let Some(root) = dialogs
        .ask_one(Ask::Folder {
            title: title.into(),
        })
        .await?
    else {
        return Ok(UploadOutput {
            cancelled: true,
            created: Vec::new(),
        });
    };
    let folder = file_name(&root);
    let listing = root.clone();
    let entries = tokio::task::spawn_blocking(move || skill_files(&listing)).await??;
    let total: u64 = entries.iter().map(|(_, _, size)| size).sum();
    let (profile, client) = state.client().await?;
    let mut files = Vec::with_capacity(entries.len());
    let mut done = 0u64;
    for (wire, path, _) in entries {
        let bytes = tokio::task::spawn_blocking(move || std::fs::read(&path))
            .await?
            .map_err(|e| {
                ShellError::kind(ErrorKind::Invalid, format!("Could not read {wire}: {e}"))
            })?;
        done += bytes.len() as u64;
        channel.send(UploadProgress::Reading {
            name: folder.clone(),
            done: done.min(total),
            total,
        })?;
        files.push((wire, bytes));
    }
    channel.send(UploadProgress::Sending {
        name: folder.clone(),
        total,
    })?;
    let name = input
        .display_name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let created = match &input.skill_id {
        Some(id) => {
            let version = client.skills().create_version(id, files).await?;
            tracing::info!("skill {id}: version {} uploaded", version.id);
            let skill = client.skills().retrieve(id).await?;
            cache_skill(&state, &profile.id, &skill).await?;
            format!("{} (new version)", skill.display_name)
        }
        None => {
            let skill = client.skills().create(files, name).await?;
            tracing::info!("skill {} uploaded", skill.id);
            cache_skill(&state, &profile.id, &skill).await?;
            skill.display_name
        }
    };
    channel.send(UploadProgress::Done { name: folder })?;
    Ok(UploadOutput {
        cancelled: false,
        created: vec![created],
    })
}

async fn cache_skill(state: &Shared<'_>, profile: &str, skill: &Skill) -> ShellResult<()> {
    let raw = serde_json::to_string(skill).map_err(internal)?;
    let profile = profile.to_string();
    state
        .write(move |s| s.upsert_resource(&profile, ResourceKind::Skill, &raw))
        .await
}

/// Deletes a skill: its versions first, then the skill.
#[tauri::command]
pub async fn skill_delete(
    state: Shared<'_>,
    input: Input<cmd::SkillDelete>,
) -> Reply<cmd::SkillDelete> {
    let (profile, client) = state.client().await?;
    let id = input.id.to_string();
    let c = client.clone();
    let versions: Vec<SkillVersion> = all_pages(ListParams::limit(100), move |params| {
        let (c, id) = (c.clone(), id.clone());
        async move {
            let page = c.skills().versions(&id, &params).await?;
            Ok((page.data, page.next_page))
        }
    })
    .await?;
    for version in versions {
        match client.skills().delete_version(&input.id, &version.id).await {
            Ok(_) => {}
            // Already gone (deleted elsewhere meanwhile): nothing left to do for it.
            Err(e) if e.status() == Some(404) => {}
            Err(e) => return Err(e.into()),
        }
    }
    client.skills().delete(&input.id).await?;
    let skill = input.id.to_string();
    state
        .write(move |s| s.delete_resource(&profile.id, ResourceKind::Skill, &skill))
        .await?;
    tracing::info!("skill {} deleted", input.id);
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly")]

    use serde_json::{json, Value};

    use super::super::agents::flow::{app_on, fake, invoke_streaming};
    use super::super::files::Dialogs;

    #[test]
    fn skills_and_files_upload_list_resolve_download_and_delete() {
        let server = fake();
        let (app, dir) = app_on(&server, "skills");
        let folder = dir.join("csv-tools");
        std::fs::create_dir_all(folder.join("scripts")).unwrap();
        std::fs::write(
            folder.join("SKILL.md"),
            "---\nname: csv-tools\ndescription: Summarise CSV files\n---\nUse pandas.\n",
        )
        .unwrap();
        std::fs::write(folder.join("scripts/summary.py"), "print('hi')\n").unwrap();
        std::fs::write(folder.join(".DS_Store"), "x").unwrap();
        let files = super::skill_files(&folder).unwrap();
        let names: Vec<&str> = files.iter().map(|(n, _, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["csv-tools/SKILL.md", "csv-tools/scripts/summary.py"]
        );
        assert!(super::skill_files(&dir).is_err_and(|e| e.to_string().contains("SKILL.md")));

        let dialogs = || tauri::Manager::state::<Dialogs>(&app.app);
        dialogs().answer(vec![Some(vec![folder.clone()])]);
        let out =
            invoke_streaming(&app, "skill_upload", json!({"displayName": "CSV tools"})).unwrap();
        assert_eq!(out, json!({"cancelled": false, "created": ["CSV tools"]}));
        let cached = app.invoke("skill_list", json!({})).unwrap();
        assert_eq!(cached[0]["displayName"], "CSV tools");
        let fresh = app.invoke("skill_list", json!({"fresh": true})).unwrap();
        let skill = fresh[0]["id"].as_str().unwrap().to_string();
        let latest = fresh[0]["latestVersion"].as_str().unwrap().to_string();
        // An agent using it gets its newest version (the API resolves `latest`).
        let agent = app
            .invoke(
                "agent_create",
                json!({"config": {"name": "Analyst", "model": "claude-haiku-5-5",
                "skills": [{"type": "custom", "skill_id": skill}]}}),
            )
            .unwrap();
        assert_eq!(agent["skills"][0]["version"], latest.as_str());
        dialogs().answer(vec![Some(vec![folder.clone()])]);
        invoke_streaming(&app, "skill_upload", json!({"skillId": skill})).unwrap();
        let versions = app.invoke("skill_versions", json!({"id": skill})).unwrap();
        assert_eq!(versions.as_array().unwrap().len(), 2);
        app.invoke("skill_delete", json!({"id": skill})).unwrap();
        assert_eq!(
            app.invoke("skill_list", json!({"fresh": true})).unwrap(),
            json!([])
        );

        // Files: two uploaded, listed, one found by id, downloaded, deleted.
        let a = dir.join("sales.csv");
        let b = dir.join("notes.txt");
        std::fs::write(&a, "region,total\nnorth,10\n").unwrap();
        std::fs::write(&b, "hello").unwrap();
        dialogs().answer(vec![Some(vec![a.clone(), b.clone()])]);
        let out = invoke_streaming(&app, "file_upload", json!({"multiple": true})).unwrap();
        assert_eq!(out["created"], json!(["sales.csv", "notes.txt"]));
        let listed = app.invoke("file_list", json!({"fresh": true})).unwrap();
        let csv = listed
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["filename"] == "sales.csv")
            .unwrap()
            .clone();
        assert_eq!(csv["mimeType"], "text/csv");
        let id = csv["id"].as_str().unwrap().to_string();
        let by_id = tauri::async_runtime::block_on(server.outside(
            "GET",
            &format!("/v1/files?ids[]={id}"),
            None,
        ))
        .unwrap();
        assert_eq!(by_id["data"].as_array().unwrap().len(), 1);
        let target = dir.join("downloaded.csv");
        dialogs().answer(vec![Some(vec![target.clone()])]);
        let saved = app.invoke("file_download", json!({"id": id})).unwrap();
        assert_eq!(saved["path"], target.display().to_string());
        assert_eq!(
            std::fs::read_to_string(&target).unwrap(),
            "region,total\nnorth,10\n"
        );
        app.invoke("file_delete", json!({"id": id})).unwrap();
        assert_eq!(
            app.invoke("file_list", json!({}))
                .unwrap()
                .as_array()
                .unwrap()
                .len(),
            1
        );
        // A cancelled dialog uploads nothing.
        let out = invoke_streaming(&app, "file_upload", json!({"multiple": false})).unwrap();
        assert_eq!(out["cancelled"], Value::Bool(true));
        drop(app);
        let _removed = std::fs::remove_dir_all(&dir);
    }
}
