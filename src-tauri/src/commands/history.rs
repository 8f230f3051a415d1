//! History (issue 12): the sessions list from the cache with filters and pins, search over
//! every cached transcript, export and import through backend-owned OS dialogs, the local
//! data's upkeep (size, clear, backup and restore).

use std::path::{Path, PathBuf};

use hangar_store::{SessionExport, SessionFilter, ZipWriter};
use hangar_types::{
    cmd, AgentChoice, ArchiveOutput, ArchiveProgress, CacheArea, ErrorKind, ExportFormat,
    HistoryListOutput, HistorySession, ImportOutput, ImportedSession, LocalDataInfo, SavedFile,
    SearchHit, SearchOutput, SnippetPart,
};
use tauri::ipc::Channel;

use super::files::{file_name, Ask, DialogState};
use super::{Input, Reply, Shared};
use crate::error::{ShellError, ShellResult};

/// The most sessions the list sends at once.
const LIST_MAX: usize = 2_000;
/// The largest file an import reads.
const IMPORT_MAX: u64 = 2 * 1024 * 1024 * 1024;

fn now_us() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}

/// The cached sessions of the active profile, filtered (offline too).
#[tauri::command]
pub async fn history_sessions(
    state: Shared<'_>,
    input: Input<cmd::HistorySessions>,
) -> Reply<cmd::HistorySessions> {
    let profile = state.active_id();
    let filter = SessionFilter {
        agent_id: input.agent_id.map(|a| a.to_string()),
        statuses: input.statuses,
        archived: input.archived,
        created_from_us: input.from_ms.map(|ms| ms.saturating_mul(1000)),
        created_before_us: input.before_ms.map(|ms| ms.saturating_mul(1000)),
        title_contains: input.title.filter(|t| !t.trim().is_empty()),
        pinned_only: false,
    };
    let (page, agents) = state
        .read(move |s| {
            let page = s.list_sessions(&profile, &filter, None, LIST_MAX)?;
            let agents = s.session_agents(&profile)?;
            Ok((page, agents))
        })
        .await?;
    Ok(HistoryListOutput {
        truncated: page.next.is_some(),
        sessions: page
            .rows
            .into_iter()
            .map(|r| HistorySession {
                id: r.id.into(),
                title: r.title,
                status: r.status,
                agent_id: r.agent_id.into(),
                agent_name: r.agent_name,
                agent_version: r.agent_version,
                created_at: r.created_at,
                last_activity_ms: r.last_activity_us / 1000,
                archived: r.archived_at.is_some(),
                tokens: r.input_tokens + r.output_tokens,
                pinned: r.pinned_at_us.is_some(),
                imported: r.imported_at.is_some(),
                cost_cents: r.cost_cents,
                budget_cents: r.budget_cents,
                outcome: r.outcome_result.map(|result| hangar_types::OutcomeState {
                    result,
                    iteration: r.outcome_iteration.unwrap_or(0),
                }),
            })
            .collect(),
        agents: agents
            .into_iter()
            .map(|(id, name)| AgentChoice {
                id: id.into(),
                name,
            })
            .collect(),
    })
}

/// Pins or unpins a session on this computer.
#[tauri::command]
pub async fn session_pin(
    state: Shared<'_>,
    input: Input<cmd::SessionPin>,
) -> Reply<cmd::SessionPin> {
    let profile = state.active_id();
    let session = input.session_id.to_string();
    let at = input.pinned.then(now_us);
    let p = profile.clone();
    state.write(move |s| s.set_pinned(&p, &session, at)).await?;
    state.cache_changed(&profile, vec![CacheArea::Sessions]);
    Ok(())
}

/// Full-text search over the active profile's cached transcripts.
#[tauri::command]
pub async fn search_query(
    state: Shared<'_>,
    input: Input<cmd::SearchQuery>,
) -> Reply<cmd::SearchQuery> {
    let profile = state.active_id();
    let options = hangar_store::SearchOptions {
        limit: input.limit.unwrap_or(20).clamp(1, 200) as usize,
        agent_id: input.agent_id.map(|a| a.to_string()),
        from_us: input.from_ms.map(|ms| ms.saturating_mul(1000)),
        before_us: input.before_ms.map(|ms| ms.saturating_mul(1000)),
        order: match input.order {
            hangar_types::SearchOrder::Newest => hangar_store::SearchOrder::Newest,
            hangar_types::SearchOrder::Best => hangar_store::SearchOrder::Best,
        },
        session_id: input.session_id.map(|s| s.to_string()),
    };
    let query = input.query;
    let q = query.clone();
    let started = std::time::Instant::now();
    // The writer: a search first indexes whatever waits (see hangar-store's search.rs).
    let hits = state
        .write(move |s| s.search_with(&profile, &q, &options))
        .await?;
    Ok(SearchOutput {
        query,
        took_us: started.elapsed().as_micros() as u64,
        hits: hits
            .into_iter()
            .map(|h| SearchHit {
                session_id: h.session_id.into(),
                session_title: h.session_title,
                agent_name: h.agent_name,
                event_id: h.event_id.into(),
                event_type: h.event_type,
                at_ms: h.at_us / 1000,
                snippet: h
                    .snippet
                    .into_iter()
                    .map(|f| SnippetPart {
                        text: f.text,
                        mark: f.highlight,
                    })
                    .collect(),
            })
            .collect(),
    })
}

/// A file-name-safe form of a title.
fn slug(title: &str) -> String {
    let s: String = title
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let s = s
        .split('-')
        .filter(|p| !p.is_empty())
        .take(8)
        .collect::<Vec<_>>()
        .join("-");
    if s.is_empty() {
        "session".into()
    } else {
        s
    }
}

/// True when an I/O error means the disk is full.
fn disk_full(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::StorageFull
        || matches!(e.raw_os_error(), Some(28) if cfg!(unix))
        || matches!(e.raw_os_error(), Some(39 | 112) if cfg!(windows))
}

fn write_error(path: &Path, e: &std::io::Error) -> ShellError {
    if disk_full(e) {
        ShellError::kind(
            ErrorKind::Storage,
            format!(
                "The disk is full, so {} could not be written. Free some space and export again; nothing in Hangar was changed.",
                file_name(path)
            ),
        )
    } else {
        ShellError::kind(
            ErrorKind::Invalid,
            format!("Could not write {}: {e}", path.display()),
        )
    }
}

/// Writes `bytes` to `path` through a temporary file beside it, so a failure (a full disk)
/// never leaves half a file under the chosen name.
pub(super) async fn write_whole(path: PathBuf, bytes: Vec<u8>) -> ShellResult<()> {
    tokio::task::spawn_blocking(move || {
        let partial = path.with_extension("partial");
        let result =
            std::fs::write(&partial, &bytes).and_then(|()| std::fs::rename(&partial, &path));
        if let Err(e) = result {
            if partial.exists() {
                if let Err(cleanup) = std::fs::remove_file(&partial) {
                    tracing::warn!("could not remove {}: {cleanup}", partial.display());
                }
            }
            return Err(write_error(&path, &e));
        }
        Ok(())
    })
    .await?
}

fn session_title(raw: Option<String>) -> Option<String> {
    raw.and_then(|r| serde_json::from_str::<serde_json::Value>(&r).ok())
        .and_then(|v| v.get("title").and_then(|t| t.as_str()).map(String::from))
}

/// Writes one session to the file chosen in the OS save dialog.
#[tauri::command]
pub async fn session_export(
    state: Shared<'_>,
    dialogs: DialogState<'_>,
    input: Input<cmd::SessionExport>,
) -> Reply<cmd::SessionExport> {
    let profile = state.active_id();
    let session = input.session_id.to_string();
    let format = input.format;
    let (p, sid) = (profile.clone(), session.clone());
    let (text, raw) = state
        .read(move |s| {
            let text = match format {
                ExportFormat::Markdown => s.transcript_markdown(&p, &sid)?,
                ExportFormat::Html => s.session_export_html(&p, &sid)?,
                ExportFormat::Json => s.session_export_json(&p, &sid)?,
            };
            Ok((text, s.session_raw(&p, &sid)?))
        })
        .await?;
    let title = session_title(raw).unwrap_or_else(|| session.clone());
    let suggested = format!("{}.{}", slug(&title), format.extension());
    let Some(path) = dialogs
        .ask_one(Ask::Save {
            title: format!("Export session as {}", format.label()),
            file_name: suggested,
        })
        .await?
    else {
        return Ok(SavedFile { path: None });
    };
    write_whole(path.clone(), text.into_bytes()).await?;
    tracing::info!("session {session} exported as {}", format.label());
    Ok(SavedFile {
        path: Some(path.display().to_string()),
    })
}

/// Every session of `ids` (all of the profile when empty) as JSON, zipped, with progress.
async fn write_archive(
    state: &Shared<'_>,
    dialogs: &DialogState<'_>,
    ids: Vec<String>,
    title: &str,
    file: String,
    channel: &Channel<ArchiveProgress>,
) -> ShellResult<ArchiveOutput> {
    let profile = state.active_id();
    let p = profile.clone();
    let ids = if ids.is_empty() {
        state
            .read(move |s| {
                Ok(
                    s.list_sessions(&p, &SessionFilter::default(), None, 1_000_000)?
                        .rows
                        .into_iter()
                        .map(|r| r.id)
                        .collect::<Vec<_>>(),
                )
            })
            .await?
    } else {
        ids
    };
    let Some(path) = dialogs
        .ask_one(Ask::Save {
            title: title.into(),
            file_name: file,
        })
        .await?
    else {
        return Ok(ArchiveOutput {
            path: None,
            sessions: 0,
        });
    };
    let total = ids.len() as u32;
    let send = |done: u32| {
        if let Err(e) = channel.send(ArchiveProgress { done, total }) {
            tracing::debug!("export progress not delivered: {e}");
        }
    };
    send(0);
    let mut zip = ZipWriter::new(Vec::new());
    let mut written = 0u32;
    for (i, id) in ids.into_iter().enumerate() {
        let (p, sid) = (profile.clone(), id.clone());
        let json = match state.read(move |s| s.session_export_json(&p, &sid)).await {
            Ok(json) => json,
            // Deleted meanwhile: skipped.
            Err(ShellError::Store(hangar_store::Error::UnknownSession(_))) => continue,
            Err(e) => return Err(e),
        };
        zip.add(&format!("{id}.json"), json.as_bytes())
            .map_err(|e| write_error(&path, &e))?;
        written += 1;
        send(i as u32 + 1);
    }
    let bytes = zip.finish().map_err(|e| write_error(&path, &e))?;
    write_whole(path.clone(), bytes).await?;
    send(total);
    tracing::info!("{written} sessions written to an archive");
    Ok(ArchiveOutput {
        path: Some(path.display().to_string()),
        sessions: written,
    })
}

/// Writes many sessions (or all) as JSON into one zip file, with progress.
#[tauri::command]
pub async fn session_export_many(
    state: Shared<'_>,
    dialogs: DialogState<'_>,
    input: Input<cmd::SessionExportMany>,
    channel: Channel<ArchiveProgress>,
) -> Reply<cmd::SessionExportMany> {
    let ids = input
        .session_ids
        .into_iter()
        .map(|s| s.to_string())
        .collect();
    write_archive(
        &state,
        &dialogs,
        ids,
        "Export sessions",
        "hangar-sessions.zip".into(),
        &channel,
    )
    .await
}

/// Writes every cached session of the profile to a backup file.
#[tauri::command]
pub async fn backup_create(
    state: Shared<'_>,
    dialogs: DialogState<'_>,
    channel: Channel<ArchiveProgress>,
) -> Reply<cmd::BackupCreate> {
    let day = hangar_store::format_rfc3339_us(now_us());
    let file = format!("hangar-backup-{}.zip", &day[..10]);
    write_archive(
        &state,
        &dialogs,
        Vec::new(),
        "Save a backup",
        file,
        &channel,
    )
    .await
}

/// Reads the chosen file: one JSON export, or a zip of them. Everything is checked before
/// anything is stored, so a bad file changes nothing.
async fn read_exports(path: PathBuf) -> ShellResult<Vec<SessionExport>> {
    let name = file_name(&path);
    let bytes = super::files::read_with_progress(path, IMPORT_MAX, |_, _| {}).await?;
    tokio::task::spawn_blocking(move || {
        let refuse = |why: String| {
            ShellError::kind(
                ErrorKind::Invalid,
                format!("{name} was not imported: {why}."),
            )
        };
        let explain = |e: hangar_store::Error| match e {
            hangar_store::Error::Malformed { detail, .. } => detail,
            other => other.to_string(),
        };
        if bytes.starts_with(b"PK") {
            let files = hangar_store::read_zip(&bytes).map_err(|e| refuse(explain(e)))?;
            let mut exports = Vec::new();
            for (entry, data) in files {
                if !entry.ends_with(".json") {
                    continue;
                }
                let text = std::str::from_utf8(&data)
                    .map_err(|_| refuse(format!("{entry} is not text")))?;
                exports.push(
                    SessionExport::parse(text)
                        .map_err(|e| refuse(format!("{entry}: {}", explain(e))))?,
                );
            }
            if exports.is_empty() {
                return Err(refuse("the archive holds no session exports".into()));
            }
            Ok(exports)
        } else {
            let text =
                std::str::from_utf8(&bytes).map_err(|_| refuse("it is not a text file".into()))?;
            Ok(vec![
                SessionExport::parse(text).map_err(|e| refuse(explain(e)))?
            ])
        }
    })
    .await?
}

async fn import_from_dialog(
    state: &Shared<'_>,
    dialogs: &DialogState<'_>,
    title: &str,
) -> ShellResult<ImportOutput> {
    let Some(path) = dialogs
        .ask_one(Ask::Open {
            title: title.into(),
            filters: vec![("Hangar sessions".into(), vec!["json".into(), "zip".into()])],
            multiple: false,
        })
        .await?
    else {
        return Ok(ImportOutput {
            chosen: false,
            sessions: Vec::new(),
        });
    };
    let exports = read_exports(path).await?;
    let profile = state.active_id();
    let p = profile.clone();
    let now = hangar_store::format_rfc3339_us(now_us());
    let outcomes = state
        .write(move |s| {
            exports
                .iter()
                .map(|e| s.import_session(&p, e, &now))
                .collect::<hangar_store::Result<Vec<_>>>()
        })
        .await?;
    state.cache_changed(&profile, vec![CacheArea::Sessions]);
    tracing::info!("{} sessions imported", outcomes.len());
    Ok(ImportOutput {
        chosen: true,
        sessions: outcomes
            .into_iter()
            .map(|o| ImportedSession {
                session_id: o.session_id.into(),
                title: o.title,
                new_events: o.new_events as u32,
                new_session: o.new_session,
            })
            .collect(),
    })
}

/// Imports a JSON export or a zip of them chosen in the OS open dialog.
#[tauri::command]
pub async fn session_import(
    state: Shared<'_>,
    dialogs: DialogState<'_>,
) -> Reply<cmd::SessionImport> {
    import_from_dialog(&state, &dialogs, "Import sessions").await
}

/// Restores sessions from a backup file.
#[tauri::command]
pub async fn backup_restore(
    state: Shared<'_>,
    dialogs: DialogState<'_>,
) -> Reply<cmd::BackupRestore> {
    import_from_dialog(&state, &dialogs, "Restore a backup").await
}

/// Where the cache lives and how big it is.
#[tauri::command]
pub async fn local_data_info(state: Shared<'_>) -> Reply<cmd::LocalDataInfo> {
    let location = state.data_dir.display().to_string();
    let size = state.read(|s| s.cache_size()).await?;
    Ok(LocalDataInfo {
        location,
        bytes: size.bytes,
        sessions: size.sessions,
        events: size.events,
        imported: size.imported,
    })
}

/// Clears the active profile's cached sessions; the sync refills them from the API.
#[tauri::command]
pub async fn cache_clear(
    state: Shared<'_>,
    input: Input<cmd::CacheClear>,
) -> Reply<cmd::CacheClear> {
    let profile = state.active_id();
    let p = profile.clone();
    let keep = input.keep_imported;
    let dropped = state.write(move |s| s.clear_cache(&p, keep)).await?;
    state.sync.wake();
    state.cache_changed(&profile, vec![CacheArea::Sessions]);
    tracing::info!("cache cleared: {dropped} sessions");
    Ok(dropped as u32)
}

/// Which desktop notifications are on.
#[tauri::command]
pub async fn notify_settings_get(state: Shared<'_>) -> Reply<cmd::NotifySettingsGet> {
    state.read(crate::notify::read_settings).await
}

/// Turns kinds of desktop notifications on or off.
#[tauri::command]
pub async fn notify_settings_set(
    state: Shared<'_>,
    input: Input<cmd::NotifySettingsSet>,
) -> Reply<cmd::NotifySettingsSet> {
    state
        .write(move |s| crate::notify::write_settings(s, input))
        .await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

    use std::path::PathBuf;
    use std::sync::Arc;

    use serde_json::{json, Value};

    use super::super::agents::flow::invoke_streaming;
    use super::super::files::Dialogs;
    use crate::keys::MemoryKeychain;
    use crate::test_support::TestApp;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("hangar-hist-{name}-{}", std::process::id()));
        let _stale = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn session(id: &str, title: &str, agent: &str, created: &str) -> String {
        json!({"id": id, "type": "session", "status": "idle", "title": title, "environment_id": "env_1",
               "agent": {"id": agent, "type": "agent", "version": 2, "name": format!("{agent} name")},
               "usage": {"input_tokens": 3, "output_tokens": 4},
               "created_at": created, "updated_at": created, "archived_at": null})
        .to_string()
    }

    fn event(id: &str, kind: &str, at: &str, text: &str) -> String {
        json!({"type": kind, "id": id, "processed_at": at, "content": [{"type": "text", "text": text}],
               "tool_use_id": "sevt_t", "is_error": false})
        .to_string()
    }

    /// An app on a cache holding two sessions of a profile whose API is unreachable.
    fn offline_app(name: &str) -> (TestApp, PathBuf) {
        let dir = scratch(name);
        {
            let store = hangar_store::Store::open(dir.join("cache.db")).unwrap();
            store
                .upsert_profile("prof_h", "History", "http://127.0.0.1:9", false)
                .unwrap();
            store.set_setting("active_profile", "prof_h").unwrap();
            store
                .upsert_session(
                    "prof_h",
                    &session(
                        "sesn_old",
                        "Quarterly report",
                        "agent_a",
                        "2026-11-01T09:00:00Z",
                    ),
                )
                .unwrap();
            store
                .upsert_session(
                    "prof_h",
                    &session(
                        "sesn_new",
                        "Hostile <script>",
                        "agent_b",
                        "2026-11-20T09:00:00Z",
                    ),
                )
                .unwrap();
            let mut events: Vec<String> = (0..300)
                .map(|i| {
                    event(
                        &format!("sevt_{i}"),
                        "agent.message",
                        "2026-11-01T09:01:00Z",
                        "filler words about invoices",
                    )
                })
                .collect();
            events.push(event(
                "sevt_deep",
                "agent.tool_result",
                "2026-11-01T10:00:00Z",
                "total 24 zanzibar.csv",
            ));
            let raws: Vec<&str> = events.iter().map(String::as_str).collect();
            store.ingest_events("prof_h", "sesn_old", &raws).unwrap();
            let hostile = event("sevt_x", "agent.message", "2026-11-20T09:01:00Z",
                "<script>alert(1)</script> [x](javascript:alert(1)) ![p](https://evil.example/p.png)");
            store
                .ingest_events("prof_h", "sesn_new", &[hostile.as_str()])
                .unwrap();
        }
        let app = TestApp::start(dir.clone(), Arc::new(MemoryKeychain::default()));
        (app, dir)
    }

    fn answer(app: &TestApp, paths: Vec<Option<PathBuf>>) {
        tauri::Manager::state::<Dialogs>(&app.app)
            .answer(paths.into_iter().map(|p| p.map(|p| vec![p])).collect());
    }

    #[test]
    fn the_list_filters_pins_and_search_lands_on_a_deep_tool_result() {
        let (app, _dir) = offline_app("list");
        let list = app.invoke("history_sessions", json!({})).unwrap();
        let ids: Vec<&str> = list["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["sesn_new", "sesn_old"]);
        assert_eq!(list["agents"].as_array().unwrap().len(), 2);
        let only = |input: Value| -> Vec<String> {
            app.invoke("history_sessions", input).unwrap()["sessions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["id"].as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(only(json!({"title": "report"})), ["sesn_old"]);
        assert_eq!(only(json!({"agentId": "agent_b"})), ["sesn_new"]);
        // 2026-11-15T00:00:00Z onwards.
        assert_eq!(only(json!({"fromMs": 1_794_700_800_000i64})), ["sesn_new"]);
        assert_eq!(only(json!({"statuses": ["running"]})), Vec::<String>::new());

        app.invoke(
            "session_pin",
            json!({"sessionId": "sesn_old", "pinned": true}),
        )
        .unwrap();
        let list = app.invoke("history_sessions", json!({})).unwrap();
        assert_eq!(list["sessions"][1]["pinned"], true);

        let found = app
            .invoke("search_query", json!({"query": "zanzib"}))
            .unwrap();
        assert_eq!(found["query"], "zanzib");
        let hit = &found["hits"][0];
        assert_eq!(
            (hit["sessionId"].as_str(), hit["eventId"].as_str()),
            (Some("sesn_old"), Some("sevt_deep"))
        );
        assert_eq!(hit["eventType"], "agent.tool_result");
        assert!(hit["snippet"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["mark"] == true && p["text"] == "zanzibar"));
        let filtered = app
            .invoke(
                "search_query",
                json!({"query": "zanzibar", "agentId": "agent_b"}),
            )
            .unwrap();
        assert_eq!(filtered["hits"], json!([]));
    }

    #[test]
    fn exports_import_into_a_fresh_profile_twice_and_bad_files_change_nothing() {
        let (app, dir) = offline_app("export");
        let out = dir.join("out");
        std::fs::create_dir_all(&out).unwrap();
        for (format, file) in [("markdown", "s.md"), ("html", "s.html"), ("json", "s.json")] {
            answer(&app, vec![Some(out.join(file))]);
            let saved = app
                .invoke(
                    "session_export",
                    json!({"sessionId": "sesn_new", "format": format}),
                )
                .unwrap();
            assert_eq!(saved["path"], out.join(file).display().to_string());
        }
        let html = std::fs::read_to_string(out.join("s.html")).unwrap();
        assert_eq!(executable_parts(&html), Vec::<String>::new(), "{html}");
        assert!(std::fs::read_to_string(out.join("s.md"))
            .unwrap()
            .contains("Hostile"));
        // Cancelled: nothing written.
        let cancelled = app
            .invoke(
                "session_export",
                json!({"sessionId": "sesn_new", "format": "json"}),
            )
            .unwrap();
        assert_eq!(cancelled["path"], Value::Null);

        answer(&app, vec![Some(out.join("all.zip"))]);
        let many = invoke_streaming(&app, "session_export_many", json!({})).unwrap();
        assert_eq!(many["sessions"], 2);
        assert!(!out.join("all.partial").exists());

        // A fresh profile (another app, another cache) reads them offline.
        let fresh_dir = scratch("fresh");
        {
            let store = hangar_store::Store::open(fresh_dir.join("cache.db")).unwrap();
            store
                .upsert_profile("prof_f", "Fresh", "http://127.0.0.1:9", false)
                .unwrap();
            store.set_setting("active_profile", "prof_f").unwrap();
        }
        let fresh = TestApp::start(fresh_dir.clone(), Arc::new(MemoryKeychain::default()));
        std::fs::write(out.join("bad.json"), "{\"format\":\"something.else\"}").unwrap();
        answer(&fresh, vec![Some(out.join("bad.json"))]);
        let refused = fresh.invoke("session_import", json!(null)).unwrap_err();
        assert!(
            refused["message"]
                .as_str()
                .unwrap()
                .contains("bad.json was not imported"),
            "{refused}"
        );
        assert_eq!(
            fresh.invoke("history_sessions", json!({})).unwrap()["sessions"],
            json!([])
        );

        answer(
            &fresh,
            vec![
                Some(out.join("s.json")),
                Some(out.join("s.json")),
                Some(out.join("all.zip")),
            ],
        );
        let first = fresh.invoke("session_import", json!(null)).unwrap();
        assert_eq!(
            (
                first["sessions"][0]["newSession"].as_bool(),
                first["sessions"][0]["newEvents"].as_u64()
            ),
            (Some(true), Some(1))
        );
        let again = fresh.invoke("session_import", json!(null)).unwrap();
        assert_eq!(
            (
                again["sessions"][0]["newSession"].as_bool(),
                again["sessions"][0]["newEvents"].as_u64()
            ),
            (Some(false), Some(0))
        );
        let zip = fresh.invoke("backup_restore", json!(null)).unwrap();
        assert_eq!(zip["sessions"].as_array().unwrap().len(), 2);
        let list = fresh.invoke("history_sessions", json!({})).unwrap();
        assert!(list["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["imported"] == true));
        let page = fresh
            .invoke(
                "transcript_page",
                json!({"sessionId": "sesn_old", "limit": 1000}),
            )
            .unwrap();
        assert_eq!(page["total"], 301);
        assert_eq!(page["historyComplete"], true);

        let info = fresh.invoke("local_data_info", json!(null)).unwrap();
        assert_eq!(
            (info["sessions"].as_u64(), info["imported"].as_u64()),
            (Some(2), Some(2))
        );
        assert!(info["bytes"].as_u64().unwrap() > 0);
        assert_eq!(
            fresh
                .invoke("cache_clear", json!({"keepImported": true}))
                .unwrap(),
            0
        );
        assert_eq!(
            fresh.invoke("history_sessions", json!({})).unwrap()["sessions"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            fresh
                .invoke("cache_clear", json!({"keepImported": false}))
                .unwrap(),
            2
        );
    }
    /// The tags of `html` that could run or fetch anything (text `<` is always escaped, so each
    /// `<` starts a tag): script-like elements, event handlers, `javascript:` and `src`.
    fn executable_parts(html: &str) -> Vec<String> {
        let mut bad = Vec::new();
        let mut styles = 0;
        for tag in html.split('<').skip(1) {
            let tag = tag.split('>').next().unwrap_or("").to_lowercase();
            let name = tag.split(|c: char| c.is_whitespace()).next().unwrap_or("");
            let name = name.trim_start_matches('/');
            styles += usize::from(name == "style" && !tag.starts_with('/'));
            let risky = [
                "script", "iframe", "img", "svg", "object", "embed", "form", "link", "base",
                "math", "video", "audio", "source", "frame",
            ]
            .contains(&name)
                || tag.contains("javascript:")
                || tag
                    .split_whitespace()
                    .skip(1)
                    .any(|a| a.starts_with("on") || a.starts_with("src="));
            if risky {
                bad.push(tag);
            }
        }
        if styles != 1 {
            bad.push(format!("{styles} style elements"));
        }
        bad
    }
}
