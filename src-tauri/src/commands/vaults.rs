//! `vault_*` and `credential_*` commands. Secrets arrive in `credential_create` /
//! `credential_update`, are registered with the log's redaction at once, go to the API and
//! nowhere else: the cache keeps the API's answer (which never holds a secret, and is
//! stripped again by the store), and no output carries one.

use hangar_api::vaults::{
    Credential, CredentialAuth, CredentialAuthUpdate, CredentialCreate, CredentialUpdate,
    OauthRefresh, TokenEndpointAuth, Vault, VaultCreate, VaultUpdate,
};
use hangar_api::{ListParams, Patch};
use hangar_store::ResourceKind;
use hangar_types::{
    cmd, credential_problems, describe_validation, validate, CacheArea, CredentialTestOutput,
    ErrorKind, IpcError, VaultGetOutput, VaultListItem,
};

use super::agents::{all_pages, internal, refuse, to_json, unreachable};
use super::{Input, Reply, Shared};
use crate::error::{ShellError, ShellResult};

async fn cache_vault(state: &Shared<'_>, profile: &str, vault: &Vault) -> ShellResult<()> {
    let raw = serde_json::to_string(vault).map_err(internal)?;
    let profile = profile.to_string();
    state
        .write(move |s| s.upsert_resource(&profile, ResourceKind::Vault, &raw))
        .await
}

async fn cache_credential(state: &Shared<'_>, profile: &str, cred: &Credential) -> ShellResult<()> {
    let raw = serde_json::to_string(cred).map_err(internal)?;
    let profile = profile.to_string();
    state
        .write(move |s| s.upsert_resource(&profile, ResourceKind::Credential, &raw))
        .await
}

async fn cached_credentials(state: &Shared<'_>, profile: String) -> ShellResult<Vec<Credential>> {
    let rows = state
        .read(move |s| s.list_resources(&profile, ResourceKind::Credential, true))
        .await?;
    Ok(rows
        .iter()
        .filter_map(|r| serde_json::from_str::<Credential>(&r.raw).ok())
        .collect())
}

/// The cached vaults (offline too), with how many credentials each holds.
#[tauri::command]
pub async fn vault_list(state: Shared<'_>, input: Input<cmd::VaultList>) -> Reply<cmd::VaultList> {
    let profile = state.active_id();
    let p = profile.clone();
    let rows = state
        .read(move |s| s.list_resources(&p, ResourceKind::Vault, input.include_archived))
        .await?;
    let credentials = cached_credentials(&state, profile).await?;
    Ok(rows
        .iter()
        .filter_map(|r| serde_json::from_str::<Vault>(&r.raw).ok())
        .map(|v| VaultListItem {
            credentials: credentials
                .iter()
                .filter(|c| c.vault_id == v.id && c.archived_at.is_none())
                .count(),
            id: v.id,
            display_name: v.display_name,
            updated_at: Some(v.updated_at),
            archived: v.archived_at.is_some(),
        })
        .collect())
}

/// A vault and its credentials: from the API (into the cache), else from the cache.
#[tauri::command]
pub async fn vault_get(state: Shared<'_>, input: Input<cmd::VaultGet>) -> Reply<cmd::VaultGet> {
    let profile = state.active_row();
    let fetched: ShellResult<(Vault, Vec<Credential>)> = async {
        let client = state.client_for(&profile).await?;
        let vault = client.vaults().retrieve(&input.id).await?;
        let c = client.clone();
        let id = input.id.to_string();
        let first = ListParams {
            include_archived: Some(true),
            ..ListParams::limit(100)
        };
        let credentials = all_pages(first, move |params| {
            let (c, id) = (c.clone(), id.clone());
            async move {
                let page = c.vaults().list_credentials(&id, &params).await?;
                Ok((page.data, page.next_page))
            }
        })
        .await?;
        Ok((vault, credentials))
    }
    .await;
    match fetched {
        Ok((vault, credentials)) => {
            cache_vault(&state, &profile.id, &vault).await?;
            // This vault's cached credentials become exactly the listed ones.
            let raw = to_json(&credentials)?;
            let keep: Vec<String> = credentials.iter().map(|c| c.id.to_string()).collect();
            let (p, vault_id) = (profile.id.clone(), vault.id.clone());
            let stale: Vec<String> = cached_credentials(&state, p.clone())
                .await?
                .into_iter()
                .filter(|c| c.vault_id == vault_id && !keep.contains(&c.id.to_string()))
                .map(|c| c.id.to_string())
                .collect();
            state
                .write(move |s| {
                    for id in &stale {
                        s.delete_resource(&p, ResourceKind::Credential, id)?;
                    }
                    for r in &raw {
                        s.upsert_resource(&p, ResourceKind::Credential, r)?;
                    }
                    Ok(())
                })
                .await?;
            Ok(VaultGetOutput {
                vault,
                credentials,
                cached: false,
            })
        }
        Err(e) if unreachable(&state, &e) => {
            let p = profile.id.clone();
            let rows = state
                .read(move |s| s.list_resources(&p, ResourceKind::Vault, true))
                .await?;
            let Some(vault) = rows
                .iter()
                .find(|r| r.id == input.id.as_str())
                .and_then(|r| serde_json::from_str::<Vault>(&r.raw).ok())
            else {
                return Err(e);
            };
            let credentials = cached_credentials(&state, profile.id.clone())
                .await?
                .into_iter()
                .filter(|c| c.vault_id == vault.id)
                .collect();
            Ok(VaultGetOutput {
                vault,
                credentials,
                cached: true,
            })
        }
        Err(e) => Err(e),
    }
}

/// Creates a vault.
#[tauri::command]
pub async fn vault_create(
    state: Shared<'_>,
    input: Input<cmd::VaultCreate>,
) -> Reply<cmd::VaultCreate> {
    let name = validate::vault_name(&input.display_name)
        .map_err(|e| ShellError::invalid("displayName", e))?;
    let rows: Vec<(String, String)> = input.metadata.clone().into_iter().collect();
    validate::metadata(&rows).map_err(|e| ShellError::invalid("metadata", e))?;
    let (profile, client) = state.client().await?;
    let vault = client
        .vaults()
        .create(&VaultCreate {
            display_name: name,
            metadata: input.metadata,
        })
        .await?;
    cache_vault(&state, &profile.id, &vault).await?;
    state.cache_changed(&profile.id, vec![CacheArea::Vaults]);
    tracing::info!("vault {} created", vault.id);
    Ok(vault)
}

/// Renames a vault.
#[tauri::command]
pub async fn vault_rename(
    state: Shared<'_>,
    input: Input<cmd::VaultRename>,
) -> Reply<cmd::VaultRename> {
    let name = validate::vault_name(&input.display_name)
        .map_err(|e| ShellError::invalid("displayName", e))?;
    let (profile, client) = state.client().await?;
    let vault = client
        .vaults()
        .update(
            &input.id,
            &VaultUpdate {
                display_name: Some(name),
                ..VaultUpdate::default()
            },
        )
        .await?;
    cache_vault(&state, &profile.id, &vault).await?;
    state.cache_changed(&profile.id, vec![CacheArea::Vaults]);
    Ok(vault)
}

/// Archives a vault.
#[tauri::command]
pub async fn vault_archive(
    state: Shared<'_>,
    input: Input<cmd::VaultArchive>,
) -> Reply<cmd::VaultArchive> {
    let (profile, client) = state.client().await?;
    let vault = client.vaults().archive(&input.id).await?;
    cache_vault(&state, &profile.id, &vault).await?;
    state.cache_changed(&profile.id, vec![CacheArea::Vaults]);
    Ok(vault)
}

/// Deletes a vault (and, on the server, its credentials).
#[tauri::command]
pub async fn vault_delete(
    state: Shared<'_>,
    input: Input<cmd::VaultDelete>,
) -> Reply<cmd::VaultDelete> {
    let (profile, client) = state.client().await?;
    client.vaults().delete(&input.id).await?;
    let vault_id = input.id.clone();
    let creds: Vec<String> = cached_credentials(&state, profile.id.clone())
        .await?
        .into_iter()
        .filter(|c| c.vault_id == vault_id)
        .map(|c| c.id.to_string())
        .collect();
    let p = profile.id.clone();
    state
        .write(move |s| {
            for id in &creds {
                s.delete_resource(&p, ResourceKind::Credential, id)?;
            }
            s.delete_resource(&p, ResourceKind::Vault, &vault_id)
        })
        .await?;
    state.cache_changed(&profile.id, vec![CacheArea::Vaults]);
    tracing::info!("vault {} deleted", input.id);
    Ok(())
}

/// Registers every secret of a new credential with the log's redaction.
fn protect_auth(auth: &CredentialAuth) {
    match auth {
        CredentialAuth::StaticBearer { token, .. } => crate::log::protect(token.expose()),
        CredentialAuth::McpOauth {
            access_token,
            refresh,
            ..
        } => {
            crate::log::protect(access_token.expose());
            if let Some(OauthRefresh {
                refresh_token,
                token_endpoint_auth,
                ..
            }) = refresh
            {
                crate::log::protect(refresh_token.expose());
                if let TokenEndpointAuth::ClientSecretBasic { client_secret }
                | TokenEndpointAuth::ClientSecretPost { client_secret } = token_endpoint_auth
                {
                    crate::log::protect(client_secret.expose());
                }
            }
        }
        CredentialAuth::EnvironmentVariable { secret_value, .. } => {
            crate::log::protect(secret_value.expose())
        }
    }
}

/// Registers every secret of a credential update with the log's redaction.
fn protect_update(auth: &CredentialAuthUpdate) {
    let mut secrets = Vec::new();
    match auth {
        CredentialAuthUpdate::StaticBearer { token } => secrets.extend(token.iter()),
        CredentialAuthUpdate::McpOauth {
            access_token,
            refresh,
            ..
        } => {
            secrets.extend(access_token.iter());
            if let Some(r) = refresh {
                secrets.extend(r.refresh_token.iter());
                if let Some(a) = &r.token_endpoint_auth {
                    secrets.extend(a.client_secret.iter());
                }
            }
        }
        CredentialAuthUpdate::EnvironmentVariable { secret_value, .. } => {
            secrets.extend(secret_value.iter())
        }
    }
    for s in secrets {
        crate::log::protect(s.expose());
    }
}

/// Adds a credential. The secret goes to the API and nowhere else.
#[tauri::command]
pub async fn credential_create(
    state: Shared<'_>,
    input: Input<cmd::CredentialCreate>,
) -> Reply<cmd::CredentialCreate> {
    protect_auth(&input.auth);
    refuse(credential_problems(
        input.display_name.as_deref(),
        &input.auth,
    ))?;
    let (profile, client) = state.client().await?;
    let body = CredentialCreate {
        display_name: validate::credential_name(input.display_name.as_deref().unwrap_or(""))
            .map_err(|e| ShellError::invalid("displayName", e))?,
        ..CredentialCreate::new(input.auth)
    };
    let cred = client
        .vaults()
        .create_credential(&input.vault_id, &body)
        .await?;
    cache_credential(&state, &profile.id, &cred).await?;
    state.cache_changed(&profile.id, vec![CacheArea::Vaults]);
    tracing::info!("credential {} added to vault {}", cred.id, cred.vault_id);
    Ok(cred)
}

/// Renames a credential or rotates its secret (same type).
#[tauri::command]
pub async fn credential_update(
    state: Shared<'_>,
    input: Input<cmd::CredentialUpdate>,
) -> Reply<cmd::CredentialUpdate> {
    if let Some(auth) = &input.auth {
        protect_update(auth);
        let empty = |s: &Option<hangar_types::model::common::Secret>| {
            s.as_ref().is_some_and(|s| s.expose().trim().is_empty())
        };
        let blank = match auth {
            CredentialAuthUpdate::StaticBearer { token } => empty(token),
            CredentialAuthUpdate::McpOauth { access_token, .. } => empty(access_token),
            CredentialAuthUpdate::EnvironmentVariable { secret_value, .. } => empty(secret_value),
        };
        if blank {
            return Err(ShellError::invalid(
                "token",
                "Paste the new secret, or leave the credential as it is.",
            ));
        }
    }
    let display_name = match input.display_name.as_deref() {
        None => Patch::Keep,
        Some(raw) => validate::credential_name(raw)
            .map_err(|e| ShellError::invalid("displayName", e))?
            .into(),
    };
    let (profile, client) = state.client().await?;
    let body = CredentialUpdate {
        auth: input.auth,
        display_name,
        ..CredentialUpdate::default()
    };
    let cred = client
        .vaults()
        .update_credential(&input.vault_id, &input.credential_id, &body)
        .await?;
    cache_credential(&state, &profile.id, &cred).await?;
    state.cache_changed(&profile.id, vec![CacheArea::Vaults]);
    tracing::info!("credential {} updated", cred.id);
    Ok(cred)
}

/// Archives a credential.
#[tauri::command]
pub async fn credential_archive(
    state: Shared<'_>,
    input: Input<cmd::CredentialArchive>,
) -> Reply<cmd::CredentialArchive> {
    let (profile, client) = state.client().await?;
    let cred = client
        .vaults()
        .archive_credential(&input.vault_id, &input.credential_id)
        .await?;
    cache_credential(&state, &profile.id, &cred).await?;
    state.cache_changed(&profile.id, vec![CacheArea::Vaults]);
    Ok(cred)
}

/// Deletes a credential.
#[tauri::command]
pub async fn credential_delete(
    state: Shared<'_>,
    input: Input<cmd::CredentialDelete>,
) -> Reply<cmd::CredentialDelete> {
    let (profile, client) = state.client().await?;
    client
        .vaults()
        .delete_credential(&input.vault_id, &input.credential_id)
        .await?;
    let (p, id) = (profile.id.clone(), input.credential_id.to_string());
    state
        .write(move |s| s.delete_resource(&p, ResourceKind::Credential, &id))
        .await?;
    state.cache_changed(&profile.id, vec![CacheArea::Vaults]);
    tracing::info!("credential {} deleted", input.credential_id);
    Ok(())
}

/// "Test connection": asks the API to probe an MCP OAuth credential.
#[tauri::command]
pub async fn credential_test(
    state: Shared<'_>,
    input: Input<cmd::CredentialTest>,
) -> Reply<cmd::CredentialTest> {
    let (_, client) = state.client().await?;
    let validation = client
        .vaults()
        .validate_credential(&input.vault_id, &input.credential_id)
        .await
        .map_err(|e| match e.status() {
            Some(400) => IpcError::new(
                ErrorKind::Invalid,
                format!(
                    "Only MCP OAuth credentials can be tested. (The API said: {})",
                    e.api().map(|a| a.message.as_str()).unwrap_or("refused")
                ),
            )
            .into(),
            _ => ShellError::from(e),
        })?;
    Ok(CredentialTestOutput {
        summary: describe_validation(&validation),
        validation,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly")]

    use serde_json::json;

    use super::super::agents::flow::{app_on, fake};

    const CANARY: &str = "ghp_CANARY_vault_token_5e1f9a";
    const ROTATED: &str = "ghp_CANARY_rotated_token_77b2";
    const ENV_SECRET: &str = "sk_live_CANARY_envvar_31d0";

    fn contains(hay: &[u8], needle: &str) -> bool {
        hay.windows(needle.len()).any(|w| w == needle.as_bytes())
    }

    #[test]
    fn secrets_reach_the_api_and_nowhere_else() {
        let server = fake();
        let (app, dir) = app_on(&server, "vaults");
        let vault = app
            .invoke("vault_create", json!({"displayName": "Team"}))
            .unwrap();
        let vid = vault["id"].as_str().unwrap().to_string();
        let mut answers = Vec::new();
        let cred = app
            .invoke("credential_create", json!({"vaultId": vid, "displayName": "GitHub",
                "auth": {"type": "static_bearer", "mcp_server_url": "https://api.githubcopilot.com/mcp/", "token": CANARY}}))
            .unwrap();
        answers.push(cred.to_string());
        let env = app
            .invoke("credential_create", json!({"vaultId": vid, "auth": {"type": "environment_variable",
                "secret_name": "STRIPE_KEY", "secret_value": ENV_SECRET,
                "networking": {"type": "limited", "allowed_hosts": ["api.stripe.com"]}, "injection_location": {"header": true}}}))
            .unwrap();
        answers.push(env.to_string());
        let cid = cred["id"].as_str().unwrap().to_string();
        let rotated = app
            .invoke(
                "credential_update",
                json!({"vaultId": vid, "credentialId": cid, "displayName": "GitHub (rotated)",
                "auth": {"type": "static_bearer", "token": ROTATED}}),
            )
            .unwrap();
        assert_eq!(rotated["display_name"], "GitHub (rotated)");
        answers.push(rotated.to_string());
        // Invalid input is refused before sending, next to its field.
        let bad = app
            .invoke("credential_create", json!({"vaultId": vid, "auth": {"type": "static_bearer", "mcp_server_url": "nope", "token": CANARY}}))
            .unwrap_err();
        assert_eq!(bad["field"], "mcpServerUrl");
        let got = app.invoke("vault_get", json!({"id": vid})).unwrap();
        assert_eq!(got["credentials"].as_array().unwrap().len(), 2);
        answers.push(got.to_string());
        answers.push(app.invoke("vault_list", json!({})).unwrap().to_string());
        let test = app
            .invoke(
                "credential_test",
                json!({"vaultId": vid, "credentialId": cid}),
            )
            .unwrap();
        assert!(
            test["summary"].as_str().unwrap().contains("could not tell"),
            "{test}"
        );
        for a in &answers {
            for secret in [CANARY, ROTATED, ENV_SECRET] {
                assert!(!a.contains(secret), "a command answered with a secret: {a}");
            }
        }
        // Nothing on disk: the cache, its WAL, the log.
        std::thread::sleep(std::time::Duration::from_millis(300));
        let mut files = 0;
        let mut stack = vec![dir.clone()];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                files += 1;
                let bytes = std::fs::read(&path).unwrap();
                for secret in [CANARY, ROTATED, ENV_SECRET, "CANARY"] {
                    assert!(
                        !contains(&bytes, secret),
                        "{secret} leaked into {}",
                        path.display()
                    );
                }
            }
        }
        assert!(files >= 2, "{files}");
        let log = crate::log::read_all(&dir.join("logs")).unwrap();
        assert!(
            log.contains(&format!("credential {cid} updated")),
            "the log has the events"
        );

        app.invoke(
            "credential_delete",
            json!({"vaultId": vid, "credentialId": cid}),
        )
        .unwrap();
        let renamed = app
            .invoke(
                "vault_rename",
                json!({"id": vid, "displayName": "Team keys"}),
            )
            .unwrap();
        assert_eq!(renamed["display_name"], "Team keys");
        app.invoke("vault_archive", json!({"id": vid})).unwrap();
        assert_eq!(app.invoke("vault_list", json!({})).unwrap(), json!([]));
        app.invoke("vault_delete", json!({"id": vid})).unwrap();
        assert_eq!(
            app.invoke("vault_list", json!({"includeArchived": true}))
                .unwrap(),
            json!([])
        );
        drop(app);
        let _removed = std::fs::remove_dir_all(&dir);
    }
}
