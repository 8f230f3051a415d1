//! `agent_*` commands: the cached list, one agent (offline from the cache), create, save a new
//! version against the version it was edited from (conflicts say who won), versions, archive,
//! delete (the older endpoint, when a server still has it), the sessions that used it, and
//! export / import of configuration files (JSON or YAML) through the OS dialogs.
//!
//! Also the helpers the other configure commands share.

use std::future::Future;

use hangar_api::agents::{Agent, AgentCreate, AgentUpdate};
use hangar_api::{ListParams, Patch};
use hangar_store::ResourceKind;
use hangar_types::{
    agent_config, agent_problems, cmd, AgentGetOutput, AgentImport, AgentListItem,
    AgentVersionsOutput, CacheArea, ConfigFormat, ErrorKind, IpcError, SavedFile, SessionListItem,
};
use serde::Serialize;

use super::files::{file_name, read_with_progress, write_file, Ask, DialogState};
use super::{Input, Reply, Shared};
use crate::error::{ShellError, ShellResult};

/// An internal failure (serializing our own types), as an error.
pub(crate) fn internal(e: impl std::fmt::Display) -> ShellError {
    ShellError::kind(ErrorKind::Internal, e.to_string())
}

/// Each item as JSON text, for the cache.
pub(crate) fn to_json<T: Serialize>(items: &[T]) -> ShellResult<Vec<String>> {
    items
        .iter()
        .map(|i| serde_json::to_string(i).map_err(internal))
        .collect()
}

/// The first of `problems` as the error the form shows next to its field.
pub(crate) fn refuse(problems: Vec<(String, String)>) -> ShellResult<()> {
    match problems.into_iter().next() {
        None => Ok(()),
        Some((field, message)) => Err(IpcError::new(ErrorKind::Invalid, message)
            .with_field(field)
            .into()),
    }
}

/// Every page of a list, following `next_page` (bounded).
pub(crate) async fn all_pages<T, F, Fut>(first: ListParams, mut fetch: F) -> ShellResult<Vec<T>>
where
    F: FnMut(ListParams) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), hangar_api::Error>>,
{
    let mut out = Vec::new();
    let mut params = first;
    for _ in 0..1000 {
        let (items, next) = fetch(params.clone()).await?;
        out.extend(items);
        match next {
            Some(cursor) if !cursor.is_empty() => params.page = Some(cursor),
            _ => return Ok(out),
        }
    }
    Ok(out)
}

/// For reads that can fall back to the cache: true when the API could not be reached (the
/// connection chip is told at once).
pub(crate) fn unreachable(state: &Shared<'_>, e: &ShellError) -> bool {
    let network = e.is_network();
    if network {
        state.monitor.note_trouble();
    }
    network
}

fn cache_agent(
    state: &Shared<'_>,
    profile: &str,
    agent: &Agent,
) -> impl Future<Output = ShellResult<()>> {
    let raw = serde_json::to_string(agent).map_err(internal);
    let profile = profile.to_string();
    let state = state.inner().clone();
    async move {
        let raw = raw?;
        state
            .write(move |s| s.upsert_resource(&profile, ResourceKind::Agent, &raw))
            .await
    }
}

/// The cached versions of an agent, newest first.
async fn cached_versions(
    state: &Shared<'_>,
    profile: String,
    id: String,
) -> ShellResult<Vec<Agent>> {
    let rows = state.read(move |s| s.agent_versions(&profile, &id)).await?;
    Ok(rows
        .iter()
        .filter_map(|(_, raw)| serde_json::from_str::<Agent>(raw).ok())
        .collect())
}

/// The cached agents (offline too); archived ones on request.
#[tauri::command]
pub async fn agent_list(state: Shared<'_>, input: Input<cmd::AgentList>) -> Reply<cmd::AgentList> {
    let profile = state.active_id();
    let rows = state
        .read(move |s| s.list_resources(&profile, ResourceKind::Agent, input.include_archived))
        .await?;
    Ok(rows
        .iter()
        .filter_map(|r| serde_json::from_str::<Agent>(&r.raw).ok())
        .map(|a| AgentListItem {
            id: a.id,
            name: a.name,
            description: a.description,
            model: a.model.id,
            version: a.version,
            updated_at: Some(a.updated_at),
            archived: a.archived_at.is_some(),
        })
        .collect())
}

async fn fetch_agent(
    state: &Shared<'_>,
    id: &str,
    version: Option<u64>,
) -> ShellResult<AgentGetOutput> {
    let profile = state.active_row();
    let fetched = match state.client_for(&profile).await {
        Ok(client) => client
            .agents()
            .retrieve(id, version)
            .await
            .map_err(ShellError::from),
        Err(e) => Err(e),
    };
    match fetched {
        Ok(agent) => {
            cache_agent(state, &profile.id, &agent).await?;
            Ok(AgentGetOutput {
                agent,
                cached: false,
            })
        }
        Err(e) if unreachable(state, &e) => {
            let versions = cached_versions(state, profile.id.clone(), id.to_string()).await?;
            let found = match version {
                Some(v) => versions.into_iter().find(|a| a.version == v),
                None => versions.into_iter().next(),
            };
            match found {
                Some(agent) => Ok(AgentGetOutput {
                    agent,
                    cached: true,
                }),
                None => Err(e),
            }
        }
        Err(e) => Err(e),
    }
}

/// One agent (a version of it): from the API, else (offline) from the cache.
#[tauri::command]
pub async fn agent_get(state: Shared<'_>, input: Input<cmd::AgentGet>) -> Reply<cmd::AgentGet> {
    fetch_agent(&state, &input.id, input.version).await
}

/// Creates an agent from a whole configuration, checked first.
#[tauri::command]
pub async fn agent_create(
    state: Shared<'_>,
    input: Input<cmd::AgentCreate>,
) -> Reply<cmd::AgentCreate> {
    refuse(agent_problems(&input.config))?;
    let (profile, client) = state.client().await?;
    let agent = client.agents().create(&input.config).await?;
    cache_agent(&state, &profile.id, &agent).await?;
    state.cache_changed(&profile.id, vec![CacheArea::Agents]);
    tracing::info!("agent {} created", agent.id);
    Ok(agent)
}

/// The API's update that turns `base` into `config`: scalars set or cleared, lists replaced,
/// metadata patched (keys `base` has and `config` lacks are deleted).
pub fn update_body(base: &Agent, config: &AgentCreate, version: u64) -> AgentUpdate {
    let text = |now: &Option<String>| match now.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() => Patch::Set(now.clone().unwrap_or_default()),
        _ => Patch::Clear,
    };
    let mut metadata = std::collections::BTreeMap::new();
    for (key, value) in &config.metadata {
        if base.metadata.get(key) != Some(value) {
            metadata.insert(key.clone(), Some(value.clone()));
        }
    }
    for key in base.metadata.keys() {
        if !config.metadata.contains_key(key) {
            metadata.insert(key.clone(), None);
        }
    }
    let base_config = agent_config(base);
    AgentUpdate {
        version: Some(version),
        name: Some(config.name.trim().to_string()),
        model: Some(config.model.clone()),
        description: text(&config.description),
        system: text(&config.system),
        tools: Some(config.tools.clone()),
        mcp_servers: Some(config.mcp_servers.clone()),
        skills: Some(config.skills.clone()),
        metadata,
        multiagent: if config.multiagent == base_config.multiagent {
            Patch::Keep
        } else {
            config.multiagent.clone().into()
        },
        execution_identity: if config.execution_identity == base_config.execution_identity {
            Patch::Keep
        } else {
            config.execution_identity.clone().into()
        },
    }
}

/// Saves a new version. Refused with `conflict` when someone saved after `base_version` (the
/// message names their version and when it was saved), unless `overwrite`.
#[tauri::command]
pub async fn agent_update(
    state: Shared<'_>,
    input: Input<cmd::AgentUpdate>,
) -> Reply<cmd::AgentUpdate> {
    refuse(agent_problems(&input.config))?;
    let (profile, client) = state.client().await?;
    let base = if input.overwrite {
        client.agents().retrieve(&input.id, None).await?
    } else {
        let cached = cached_versions(&state, profile.id.clone(), input.id.to_string())
            .await?
            .into_iter()
            .find(|a| a.version == input.base_version);
        match cached {
            Some(agent) => agent,
            None => {
                client
                    .agents()
                    .retrieve(&input.id, Some(input.base_version))
                    .await?
            }
        }
    };
    let body = update_body(&base, &input.config, base.version);
    match client.agents().update(&input.id, &body).await {
        Ok(agent) => {
            cache_agent(&state, &profile.id, &agent).await?;
            state.cache_changed(&profile.id, vec![CacheArea::Agents]);
            tracing::info!("agent {} saved as version {}", agent.id, agent.version);
            Ok(agent)
        }
        Err(hangar_api::Error::VersionConflict(api)) => {
            let latest = client.agents().retrieve(&input.id, None).await?;
            cache_agent(&state, &profile.id, &latest).await?;
            state.cache_changed(&profile.id, vec![CacheArea::Agents]);
            tracing::info!("agent {} save refused: {}", input.id, api.message);
            Err(IpcError::new(
                ErrorKind::Conflict,
                format!(
                    "Someone else saved version {} of “{}” ({}) after version {}, the one you started from. Reload to see their changes, or Overwrite to save yours over them.",
                    latest.version, latest.name, latest.updated_at, base.version
                ),
            )
            .into())
        }
        Err(e) => Err(e.into()),
    }
}

/// Every version, newest first: from the API (cached as they arrive), else from the cache.
#[tauri::command]
pub async fn agent_versions(
    state: Shared<'_>,
    input: Input<cmd::AgentVersions>,
) -> Reply<cmd::AgentVersions> {
    let profile = state.active_row();
    let listed = match state.client_for(&profile).await {
        Ok(client) => {
            let id = input.id.to_string();
            all_pages(ListParams::limit(100), move |params| {
                let (client, id) = (client.clone(), id.clone());
                async move {
                    let page = client.agents().versions(&id, &params).await?;
                    Ok((page.data, page.next_page))
                }
            })
            .await
        }
        Err(e) => Err(e),
    };
    match listed {
        Ok(mut versions) => {
            let raw = to_json(&versions)?;
            let id = profile.id.clone();
            state
                .write(move |s| {
                    for r in &raw {
                        s.upsert_resource(&id, ResourceKind::Agent, r)?;
                    }
                    Ok(())
                })
                .await?;
            versions.sort_by_key(|a| std::cmp::Reverse(a.version));
            Ok(AgentVersionsOutput {
                versions,
                cached: false,
            })
        }
        Err(e) if unreachable(&state, &e) => Ok(AgentVersionsOutput {
            versions: cached_versions(&state, profile.id.clone(), input.id.to_string()).await?,
            cached: true,
        }),
        Err(e) => Err(e),
    }
}

/// Archives an agent (hidden from lists; its versions stay readable).
#[tauri::command]
pub async fn agent_archive(
    state: Shared<'_>,
    input: Input<cmd::AgentArchive>,
) -> Reply<cmd::AgentArchive> {
    let (profile, client) = state.client().await?;
    let agent = client.agents().archive(&input.id).await?;
    cache_agent(&state, &profile.id, &agent).await?;
    state.cache_changed(&profile.id, vec![CacheArea::Agents]);
    tracing::info!("agent {} archived", agent.id);
    Ok(agent)
}

/// Tries the older guide's delete endpoint; a server without it gets the plain answer that
/// agents can only be archived.
#[tauri::command]
pub async fn agent_delete(
    state: Shared<'_>,
    input: Input<cmd::AgentDelete>,
) -> Reply<cmd::AgentDelete> {
    let (profile, client) = state.client().await?;
    match client.agents().delete(&input.id).await {
        Ok(_) => {
            let id = input.id.to_string();
            let p = profile.id.clone();
            state
                .write(move |s| s.delete_resource(&p, ResourceKind::Agent, &id))
                .await?;
            state.cache_changed(&profile.id, vec![CacheArea::Agents]);
            tracing::info!("agent {} deleted", input.id);
            Ok(())
        }
        Err(hangar_api::Error::Api(api)) if matches!(api.status, 400 | 404 | 405) => {
            tracing::info!("agent delete refused ({}): {}", api.status, api.message);
            Err(IpcError::new(
                ErrorKind::Invalid,
                format!(
                    "This server does not delete agents: agents can only be archived. Use Archive to hide it; its versions stay readable. (The API said: {})",
                    api.message
                ),
            )
            .into())
        }
        Err(e) => Err(e.into()),
    }
}

/// The cached sessions that used an agent, newest first.
#[tauri::command]
pub async fn agent_sessions(
    state: Shared<'_>,
    input: Input<cmd::AgentSessions>,
) -> Reply<cmd::AgentSessions> {
    let profile = state.active_id();
    let filter = hangar_store::SessionFilter {
        agent_id: Some(input.id.to_string()),
        ..Default::default()
    };
    let page = state
        .read(move |s| s.list_sessions(&profile, &filter, None, 500))
        .await?;
    Ok(page
        .rows
        .into_iter()
        .map(|r| SessionListItem {
            id: r.id.into(),
            title: r.title,
            status: r.status,
            agent_name: r.agent_name,
            agent_version: r.agent_version,
            created_at: r.created_at,
            archived: r.archived_at.is_some(),
            tokens: r.input_tokens + r.output_tokens,
        })
        .collect())
}

/// An agent file's text: the configuration as a create body, in `format`.
pub fn export_text(config: &AgentCreate, format: ConfigFormat) -> ShellResult<String> {
    match format {
        ConfigFormat::Json => serde_json::to_string_pretty(config)
            .map(|t| t + "\n")
            .map_err(internal),
        ConfigFormat::Yaml => serde_norway::to_string(config)
            .map(|t| {
                format!("# A Hangar agent: import it in Hangar (Agents → Import), or send it as the body of POST /v1/agents.\n{t}")
            })
            .map_err(internal),
    }
}

/// Reads an agent file: JSON or YAML (by its extension, else whichever parses).
pub fn parse_agent_file(name: &str, text: &str) -> Result<(ConfigFormat, AgentCreate), String> {
    let lower = name.to_ascii_lowercase();
    let yaml_first = lower.ends_with(".yaml") || lower.ends_with(".yml");
    let as_json = || {
        serde_json::from_str::<serde_json::Value>(text)
            .map_err(|e| format!("not valid JSON (line {}, column {})", e.line(), e.column()))
    };
    let as_yaml = || {
        serde_norway::from_str::<serde_json::Value>(text)
            .map_err(|e| format!("not valid YAML ({e})"))
    };
    let (format, value) = if yaml_first {
        (ConfigFormat::Yaml, as_yaml()?)
    } else {
        match as_json() {
            Ok(v) => (ConfigFormat::Json, v),
            Err(json_error) => match as_yaml() {
                Ok(v) if v.is_object() => (ConfigFormat::Yaml, v),
                _ => return Err(json_error),
            },
        }
    };
    if !value.is_object() {
        return Err("it does not hold an agent (expected name, model, …)".into());
    }
    let config = serde_json::from_value::<AgentCreate>(value)
        .map_err(|e| format!("it does not hold an agent configuration: {e}"))?;
    Ok((format, config))
}

fn slug(name: &str) -> String {
    let s: String = name
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
        .collect::<Vec<_>>()
        .join("-");
    if s.is_empty() {
        "agent".into()
    } else {
        s
    }
}

/// Writes an agent's configuration to the file chosen in the OS save dialog.
#[tauri::command]
pub async fn agent_export(
    state: Shared<'_>,
    dialogs: DialogState<'_>,
    input: Input<cmd::AgentExport>,
) -> Reply<cmd::AgentExport> {
    let agent = fetch_agent(&state, &input.id, input.version).await?.agent;
    let text = export_text(&agent_config(&agent), input.format)?;
    let suggested = format!("{}.agent.{}", slug(&agent.name), input.format.extension());
    let Some(path) = dialogs
        .ask_one(Ask::Save {
            title: "Export agent".into(),
            file_name: suggested,
        })
        .await?
    else {
        return Ok(SavedFile { path: None });
    };
    write_file(path.clone(), text.into_bytes()).await?;
    tracing::info!("agent {} exported", agent.id);
    Ok(SavedFile {
        path: Some(path.display().to_string()),
    })
}

/// Reads the agent file chosen in the OS open dialog, for the person to review before anything
/// is created.
#[tauri::command]
pub async fn agent_import(
    dialogs: DialogState<'_>,
    input: Input<cmd::AgentImport>,
) -> Reply<cmd::AgentImport> {
    // One agent per file: `multiple` does not apply.
    let hangar_types::ImportInput { multiple: _ } = input;
    let Some(path) = dialogs
        .ask_one(Ask::Open {
            title: "Import an agent".into(),
            filters: vec![(
                "Agent files".into(),
                vec!["json".into(), "yaml".into(), "yml".into()],
            )],
            multiple: false,
        })
        .await?
    else {
        return Ok(None);
    };
    let name = file_name(&path);
    let bytes = read_with_progress(path, 5 * 1024 * 1024, |_, _| {}).await?;
    let text = String::from_utf8(bytes)
        .map_err(|_| ShellError::kind(ErrorKind::Invalid, format!("{name} is not a text file.")))?;
    let (format, config) = parse_agent_file(&name, &text).map_err(|why| {
        ShellError::kind(
            ErrorKind::Invalid,
            format!("Hangar could not read {name}: {why}."),
        )
    })?;
    Ok(Some(AgentImport {
        file_name: name,
        format,
        problems: agent_problems(&config),
        config,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn agent(v: serde_json::Value) -> Agent {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn updates_replace_lists_clear_emptied_text_and_patch_metadata() {
        let base = agent(
            json!({"id": "agent_1", "name": "A", "description": "old", "system": "s",
            "model": {"id": "claude-opus-5-5"}, "metadata": {"team": "a", "gone": "x"}, "version": 3,
            "created_at": "t", "updated_at": "t", "execution_identity": {"type": "service_account"}}),
        );
        let mut config = agent_config(&base);
        config.description = Some("  ".into());
        config.metadata.remove("gone");
        config.metadata.insert("team".into(), "b".into());
        let body = serde_json::to_value(update_body(&base, &config, 3)).unwrap();
        assert_eq!(body["version"], 3);
        assert_eq!(body["description"], serde_json::Value::Null);
        assert!(
            body.as_object().unwrap().contains_key("description"),
            "null clears"
        );
        assert_eq!(body["system"], "s");
        assert_eq!(body["metadata"], json!({"team": "b", "gone": null}));
        assert_eq!(body["tools"], json!([]));
        assert!(
            !body.as_object().unwrap().contains_key("execution_identity"),
            "unchanged: kept"
        );
    }

    #[test]
    fn agent_files_round_trip_in_json_and_yaml() {
        let config: AgentCreate = serde_json::from_value(json!({"name": "Support agent", "model": {"id": "claude-opus-5-5", "effort": "high"},
            "system": "Line one\nLine two: with a colon",
            "tools": [{"type": "agent_toolset_20260401", "configs": [{"name": "bash", "permission_policy": {"type": "always_ask"}}]},
                {"type": "custom", "name": "lookup_order", "description": "d", "input_schema": {"type": "object"}}],
            "metadata": {"team": "support"}})).unwrap();
        for format in [ConfigFormat::Json, ConfigFormat::Yaml] {
            let text = export_text(&config, format).unwrap();
            let name = format!("support.agent.{}", format.extension());
            let (read_as, back) = parse_agent_file(&name, &text).unwrap();
            assert_eq!(read_as, format);
            assert_eq!(back, config, "{text}");
        }
        // A YAML file named .txt is still read; garbage is refused in words.
        let yaml = export_text(&config, ConfigFormat::Yaml).unwrap();
        assert_eq!(
            parse_agent_file("agent.txt", &yaml).unwrap().0,
            ConfigFormat::Yaml
        );
        assert!(parse_agent_file("a.json", "{nope")
            .unwrap_err()
            .contains("JSON"));
        assert!(parse_agent_file("a.yaml", "- 1\n- 2\n")
            .unwrap_err()
            .contains("agent"));
        assert_eq!(slug("Support agent (v2)!"), "support-agent-v2");
    }
}

/// The configure commands against the fake, through the real app on the mock runtime.
#[cfg(test)]
pub(crate) mod flow {
    #![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

    use std::sync::Arc;

    use hangar_fake_api::{FakeConfig, FakeServer};
    use serde_json::{json, Value};

    use crate::keys::{MemoryKeychain, SecretStore};
    use crate::test_support::{send, TestApp, APP_ORIGIN};

    pub const KEY: &str = "sk-ant-configure-test-key-4242";

    pub fn fake() -> FakeServer {
        fake_with(FakeConfig::default())
    }

    /// A fake configured as `config` says, answering to [`KEY`].
    pub fn fake_with(config: FakeConfig) -> FakeServer {
        tauri::async_runtime::block_on(FakeServer::start(FakeConfig {
            api_key: Some(KEY.into()),
            ..config
        }))
        .unwrap()
    }

    /// An app whose active profile points at `server`.
    pub fn app_on(server: &FakeServer, name: &str) -> (TestApp, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("hangar-cfg-{name}-{}", std::process::id()));
        let _stale = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        {
            let store = hangar_store::Store::open(dir.join("cache.db")).unwrap();
            store
                .upsert_profile("prof_cfg", "Configure", &server.base_url(), false)
                .unwrap();
            store.set_setting("active_profile", "prof_cfg").unwrap();
        }
        let keychain = Arc::new(MemoryKeychain::default());
        keychain.set("prof_cfg", KEY).unwrap();
        (TestApp::start(dir.clone(), keychain), dir)
    }

    /// Calls a command that streams progress (its channel goes nowhere in a test).
    pub fn invoke_streaming(app: &TestApp, cmd: &str, input: Value) -> Result<Value, Value> {
        send(
            &app.webview,
            cmd,
            APP_ORIGIN,
            tauri::ipc::InvokeBody::Json(json!({"input": input, "channel": "__CHANNEL__:7"})),
        )
    }

    fn config(name: &str, system: &str) -> Value {
        json!({"name": name, "model": {"id": "claude-sonnet-5-5"}, "system": system,
            "tools": [{"type": "agent_toolset_20260401"}], "metadata": {"team": "ops"}})
    }

    #[test]
    fn create_edit_conflict_both_ways_versions_archive_and_delete_refused() {
        let server = fake();
        let (app, dir) = app_on(&server, "agents");
        let created = app
            .invoke(
                "agent_create",
                json!({"config": config("Ops helper", "v1 prompt")}),
            )
            .unwrap();
        let id = created["id"].as_str().unwrap().to_string();
        assert_eq!(created["version"], 1);
        // Refused before sending, next to its field.
        let bad = app
            .invoke(
                "agent_create",
                json!({"config": {"name": " ", "model": "claude-sonnet-5-5"}}),
            )
            .unwrap_err();
        assert_eq!(
            (bad["kind"].as_str(), bad["field"].as_str()),
            (Some("invalid"), Some("name"))
        );

        let v2 = app
            .invoke(
                "agent_update",
                json!({"id": id, "baseVersion": 1, "config": config("Ops helper", "v2 prompt")}),
            )
            .unwrap();
        assert_eq!(v2["version"], 2);
        // Someone else saves version 3 from outside.
        tauri::async_runtime::block_on(server.outside(
            "POST",
            &format!("/v1/agents/{id}"),
            Some(json!({"version": 2, "system": "their prompt"})),
        ))
        .unwrap();
        let stale =
            json!({"id": id, "baseVersion": 2, "config": config("Ops helper", "my prompt")});
        let conflict = app.invoke("agent_update", stale.clone()).unwrap_err();
        assert_eq!(conflict["kind"], "conflict", "{conflict}");
        assert!(
            conflict["message"].as_str().unwrap().contains("version 3"),
            "{conflict}"
        );
        // Reload: the latest is theirs.
        let latest = app.invoke("agent_get", json!({"id": id})).unwrap();
        assert_eq!(latest["agent"]["system"], "their prompt");
        // Overwrite: mine wins as version 4, and metadata removed in the form is removed.
        let mut mine = stale.clone();
        mine["overwrite"] = json!(true);
        mine["config"]["metadata"] = json!({});
        let v4 = app.invoke("agent_update", mine).unwrap();
        assert_eq!(
            (v4["version"].as_u64(), v4["system"].as_str()),
            (Some(4), Some("my prompt"))
        );
        assert_eq!(v4["metadata"], json!({}));

        let versions = app.invoke("agent_versions", json!({"id": id})).unwrap();
        let numbers: Vec<u64> = versions["versions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["version"].as_u64().unwrap())
            .collect();
        assert_eq!(numbers, [4, 3, 2, 1]);
        assert_eq!(versions["cached"], false);
        let v1 = app
            .invoke("agent_get", json!({"id": id, "version": 1}))
            .unwrap();
        assert_eq!(v1["agent"]["system"], "v1 prompt");

        let listed = app.invoke("agent_list", json!({})).unwrap();
        assert_eq!(listed[0]["version"], 4, "{listed}");
        let archived = app.invoke("agent_archive", json!({"id": id})).unwrap();
        assert!(archived["archived_at"].is_string());
        assert_eq!(app.invoke("agent_list", json!({})).unwrap(), json!([]));
        assert_eq!(
            app.invoke("agent_list", json!({"includeArchived": true}))
                .unwrap()[0]["archived"],
            true
        );
        let refused = app.invoke("agent_delete", json!({"id": id})).unwrap_err();
        assert!(
            refused["message"]
                .as_str()
                .unwrap()
                .contains("can only be archived"),
            "{refused}"
        );

        // Export and import through (scripted) dialogs, in both formats.
        for (ext, format) in [("json", "json"), ("yaml", "yaml")] {
            let path = dir.join(format!("ops.agent.{ext}"));
            tauri::Manager::state::<super::super::files::Dialogs>(&app.app)
                .answer(vec![Some(vec![path.clone()]), Some(vec![path.clone()])]);
            let saved = app
                .invoke("agent_export", json!({"id": id, "format": format}))
                .unwrap();
            assert_eq!(saved["path"], path.display().to_string());
            let imported = app.invoke("agent_import", json!({})).unwrap();
            assert_eq!(imported["format"], format);
            assert_eq!(imported["config"]["system"], "my prompt");
            assert_eq!(imported["problems"], json!([]));
        }
        // Cancelled dialogs change nothing.
        assert_eq!(app.invoke("agent_import", json!({})).unwrap(), Value::Null);

        // Offline: the detail and the versions come from the cache.
        drop(server);
        // The server stops between requests: wait until it no longer answers.
        let mut offline = Value::Null;
        for _ in 0..100 {
            offline = app
                .invoke("agent_get", json!({"id": id, "version": 2}))
                .unwrap();
            if offline["cached"] == true {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        assert_eq!(
            (
                offline["cached"].as_bool(),
                offline["agent"]["system"].as_str()
            ),
            (Some(true), Some("v2 prompt"))
        );
        let versions = app.invoke("agent_versions", json!({"id": id})).unwrap();
        assert_eq!(versions["cached"], true);
        assert_eq!(versions["versions"].as_array().unwrap().len(), 4);
        let save = app
            .invoke(
                "agent_update",
                json!({"id": id, "baseVersion": 4, "config": config("Ops helper", "offline edit")}),
            )
            .unwrap_err();
        assert_eq!(save["kind"], "unavailable", "{save}");
        drop(app);
        let _removed = std::fs::remove_dir_all(&dir);
    }
}
