//! `environment_*` commands: the cached list, one environment (offline from the cache),
//! create, save, archive, delete.

use hangar_api::environments::{
    Environment, EnvironmentConfig, EnvironmentCreate, EnvironmentUpdate, Networking,
};
use hangar_api::Patch;
use hangar_store::ResourceKind;
use hangar_types::{
    cmd, environment_problems, CacheArea, EnvironmentGetOutput, EnvironmentListItem,
};

use super::agents::{internal, refuse, unreachable};
use super::{Input, Reply, Shared};
use crate::error::{ShellError, ShellResult};

async fn cache(state: &Shared<'_>, profile: &str, env: &Environment) -> ShellResult<()> {
    let raw = serde_json::to_string(env).map_err(internal)?;
    let profile = profile.to_string();
    state
        .write(move |s| s.upsert_resource(&profile, ResourceKind::Environment, &raw))
        .await
}

/// How an environment's networking reads in the list.
pub fn networking_summary(config: &EnvironmentConfig) -> String {
    match config {
        EnvironmentConfig::Cloud(cloud) => match &cloud.networking {
            None | Some(Networking::Unrestricted) => "Unrestricted".into(),
            Some(Networking::Limited { allowed_hosts, .. }) => match allowed_hosts.len() {
                0 => "Limited: no extra hosts".into(),
                1 => "Limited: 1 host".into(),
                n => format!("Limited: {n} hosts"),
            },
            Some(Networking::Other(_)) => "Custom networking".into(),
        },
        EnvironmentConfig::SelfHosted => "Self-hosted".into(),
        EnvironmentConfig::Other(_) => "Another kind".into(),
    }
}

fn package_count(config: &EnvironmentConfig) -> usize {
    match config {
        EnvironmentConfig::Cloud(cloud) => cloud.packages.as_ref().map_or(0, |p| {
            [&p.apt, &p.cargo, &p.gem, &p.go, &p.npm, &p.pip]
                .iter()
                .map(|l| l.as_ref().map_or(0, Vec::len))
                .sum()
        }),
        _ => 0,
    }
}

/// The cached environments (offline too).
#[tauri::command]
pub async fn environment_list(
    state: Shared<'_>,
    input: Input<cmd::EnvironmentList>,
) -> Reply<cmd::EnvironmentList> {
    let profile = state.active_id();
    let rows = state
        .read(move |s| {
            s.list_resources(&profile, ResourceKind::Environment, input.include_archived)
        })
        .await?;
    Ok(rows
        .iter()
        .filter_map(|r| serde_json::from_str::<Environment>(&r.raw).ok())
        .map(|e| EnvironmentListItem {
            networking: networking_summary(&e.config),
            packages: package_count(&e.config),
            id: e.id,
            name: e.name,
            description: e.description,
            updated_at: Some(e.updated_at),
            archived: e.archived_at.is_some(),
        })
        .collect())
}

/// One environment: from the API, else (offline) from the cache.
#[tauri::command]
pub async fn environment_get(
    state: Shared<'_>,
    input: Input<cmd::EnvironmentGet>,
) -> Reply<cmd::EnvironmentGet> {
    let profile = state.active_row();
    let fetched = match state.client_for(&profile).await {
        Ok(client) => client
            .environments()
            .retrieve(&input.id)
            .await
            .map_err(ShellError::from),
        Err(e) => Err(e),
    };
    match fetched {
        Ok(environment) => {
            cache(&state, &profile.id, &environment).await?;
            Ok(EnvironmentGetOutput {
                environment,
                cached: false,
            })
        }
        Err(e) if unreachable(&state, &e) => {
            let id = profile.id.clone();
            let rows = state
                .read(move |s| s.list_resources(&id, ResourceKind::Environment, true))
                .await?;
            rows.iter()
                .find(|r| r.id == input.id.as_str())
                .and_then(|r| serde_json::from_str::<Environment>(&r.raw).ok())
                .map(|environment| EnvironmentGetOutput {
                    environment,
                    cached: true,
                })
                .ok_or(e)
        }
        Err(e) => Err(e),
    }
}

/// Creates an environment, checked first.
#[tauri::command]
pub async fn environment_create(
    state: Shared<'_>,
    input: Input<cmd::EnvironmentCreate>,
) -> Reply<cmd::EnvironmentCreate> {
    refuse(environment_problems(&input.config))?;
    let (profile, client) = state.client().await?;
    let env = client.environments().create(&input.config).await?;
    cache(&state, &profile.id, &env).await?;
    state.cache_changed(&profile.id, vec![CacheArea::Environments]);
    tracing::info!("environment {} created", env.id);
    Ok(env)
}

/// The API's update that turns `current` into `config`.
pub fn update_body(current: &Environment, config: &EnvironmentCreate) -> EnvironmentUpdate {
    let mut metadata = std::collections::BTreeMap::new();
    for (key, value) in &config.metadata {
        if current.metadata.get(key) != Some(value) {
            metadata.insert(key.clone(), Some(value.clone()));
        }
    }
    for key in current.metadata.keys() {
        if !config.metadata.contains_key(key) {
            metadata.insert(key.clone(), None);
        }
    }
    let description = match config.description.as_deref().map(str::trim) {
        Some(d) if !d.is_empty() => Patch::Set(d.to_string()),
        _ if current.description.is_some() => Patch::Clear,
        _ => Patch::Keep,
    };
    EnvironmentUpdate {
        name: Some(config.name.trim().to_string()),
        description,
        config: config.config.clone().filter(|c| *c != current.config),
        metadata,
        scope: None,
    }
}

/// Saves an environment.
#[tauri::command]
pub async fn environment_update(
    state: Shared<'_>,
    input: Input<cmd::EnvironmentUpdate>,
) -> Reply<cmd::EnvironmentUpdate> {
    refuse(environment_problems(&input.config))?;
    let (profile, client) = state.client().await?;
    let current = client.environments().retrieve(&input.id).await?;
    let body = update_body(&current, &input.config);
    let env = client.environments().update(&input.id, &body).await?;
    cache(&state, &profile.id, &env).await?;
    state.cache_changed(&profile.id, vec![CacheArea::Environments]);
    tracing::info!("environment {} saved", env.id);
    Ok(env)
}

/// Archives an environment (it can start no new sessions).
#[tauri::command]
pub async fn environment_archive(
    state: Shared<'_>,
    input: Input<cmd::EnvironmentArchive>,
) -> Reply<cmd::EnvironmentArchive> {
    let (profile, client) = state.client().await?;
    let env = client.environments().archive(&input.id).await?;
    cache(&state, &profile.id, &env).await?;
    state.cache_changed(&profile.id, vec![CacheArea::Environments]);
    Ok(env)
}

/// Deletes an environment.
#[tauri::command]
pub async fn environment_delete(
    state: Shared<'_>,
    input: Input<cmd::EnvironmentDelete>,
) -> Reply<cmd::EnvironmentDelete> {
    let (profile, client) = state.client().await?;
    client.environments().delete(&input.id).await?;
    let (id, p) = (input.id.to_string(), profile.id.clone());
    state
        .write(move |s| s.delete_resource(&p, ResourceKind::Environment, &id))
        .await?;
    state.cache_changed(&profile.id, vec![CacheArea::Environments]);
    tracing::info!("environment {} deleted", input.id);
    Ok(())
}
