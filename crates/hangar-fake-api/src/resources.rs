//! Agents, environments, vaults, credentials, files and skills.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Multipart, Path, RawQuery, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Map, Value};

use crate::http::{
    archive_in_place, body_object, check_metadata, paginate, paginate_keyed, patch_metadata,
    time_filter, ApiErr, ApiResult, Params,
};
use crate::Shared;

type S = State<Arc<Shared>>;

/// One multipart field: name, filename, content type, bytes.
type Part = (String, Option<String>, Option<String>, Vec<u8>);

fn nonempty_str(b: &Map<String, Value>, field: &str) -> ApiResult<String> {
    match b.get(field) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
        Some(Value::String(_)) | Some(Value::Null) => {
            Err(ApiErr::invalid(format!("{field}: must not be empty")))
        }
        None => Err(ApiErr::invalid(format!("{field}: field required"))),
        Some(_) => Err(ApiErr::invalid(format!("{field}: must be a string"))),
    }
}

fn opt_text(v: Option<&Value>, field: &str) -> ApiResult<Value> {
    match v {
        None | Some(Value::Null) => Ok(Value::Null),
        Some(Value::String(s)) if s.is_empty() => Ok(Value::Null),
        Some(Value::String(s)) => Ok(Value::String(s.clone())),
        Some(_) => Err(ApiErr::invalid(format!(
            "{field}: must be a string or null"
        ))),
    }
}

fn metadata_of(v: Option<&Value>) -> ApiResult<Map<String, Value>> {
    match v {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(m)) => {
            check_metadata(m)?;
            Ok(m.clone())
        }
        Some(_) => Err(ApiErr::invalid("metadata must be an object").code("invalid_metadata")),
    }
}

// ---------------------------------------------------------------------------------------------
// Agents

const BUILTIN_TOOLS: &[&str] = &[
    "bash",
    "edit",
    "read",
    "write",
    "glob",
    "grep",
    "web_fetch",
    "web_search",
];

fn policy(v: Option<&Value>, default: &Value) -> ApiResult<Value> {
    match v {
        None | Some(Value::Null) => Ok(default.clone()),
        Some(p) => match p.get("type").and_then(Value::as_str) {
            Some("always_allow" | "always_ask" | "auto") => Ok(json!({"type": p["type"]})),
            _ => Err(ApiErr::invalid(
                "permission_policy.type must be always_allow, always_ask or auto",
            )),
        },
    }
}

fn resolve_defaults(v: Option<&Value>) -> ApiResult<Value> {
    let enabled = v
        .and_then(|d| d.get("enabled"))
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let p = policy(
        v.and_then(|d| d.get("permission_policy")),
        &json!({"type": "always_allow"}),
    )?;
    Ok(json!({"enabled": enabled, "permission_policy": p}))
}

fn resolve_configs(
    configs: Option<&Value>,
    defaults: &Value,
    builtin: bool,
) -> ApiResult<Vec<Value>> {
    let mut out = Vec::new();
    for c in configs
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
    {
        let name = c
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| ApiErr::invalid("tool config: name required"))?;
        if builtin && !BUILTIN_TOOLS.contains(&name) {
            return Err(ApiErr::invalid(format!("unknown built-in tool {name:?}")));
        }
        let mut r = c.as_object().cloned().unwrap_or_default();
        r.insert(
            "enabled".into(),
            json!(c
                .get("enabled")
                .and_then(Value::as_bool)
                .unwrap_or(defaults["enabled"].as_bool().unwrap_or(true))),
        );
        r.insert(
            "permission_policy".into(),
            policy(c.get("permission_policy"), &defaults["permission_policy"])?,
        );
        if builtin {
            r.insert("type".into(), json!(name));
            if name == "web_fetch" && !r.contains_key("url_sources") {
                r.insert("url_sources".into(), Value::Null);
            }
        }
        out.push(Value::Object(r));
    }
    Ok(out)
}

/// Validates and resolves tools + mcp_servers as the API returns them.
fn resolve_tools(tools: Option<&Value>, servers: &[Value]) -> ApiResult<Vec<Value>> {
    let mut out = Vec::new();
    let mut used_servers = Vec::new();
    let mut count = 0;
    for t in tools.and_then(Value::as_array).cloned().unwrap_or_default() {
        match t.get("type").and_then(Value::as_str) {
            Some("agent_toolset_20260401") => {
                let defaults = resolve_defaults(t.get("default_config"))?;
                let configs = resolve_configs(t.get("configs"), &defaults, true)?;
                count += BUILTIN_TOOLS.len();
                out.push(json!({"type": "agent_toolset_20260401", "default_config": defaults, "configs": configs}));
            }
            Some("mcp_toolset") => {
                let server = t
                    .get("mcp_server_name")
                    .and_then(Value::as_str)
                    .ok_or_else(|| ApiErr::invalid("mcp_toolset: mcp_server_name required"))?;
                if !servers.iter().any(|s| s["name"] == server) {
                    return Err(ApiErr::invalid(format!(
                        "mcp_toolset refers to unknown MCP server {server:?}"
                    )));
                }
                used_servers.push(server.to_string());
                let defaults = resolve_defaults(t.get("default_config"))?;
                let configs = resolve_configs(t.get("configs"), &defaults, false)?;
                count += 1;
                out.push(json!({"type": "mcp_toolset", "mcp_server_name": server, "default_config": defaults, "configs": configs}));
            }
            Some("custom") => {
                let name = t.get("name").and_then(Value::as_str).unwrap_or("");
                if name.is_empty()
                    || name.len() > 128
                    || !name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                {
                    return Err(ApiErr::invalid(format!(
                        "custom tool name {name:?} must be 1-128 of [A-Za-z0-9_-]"
                    )));
                }
                let schema = t.get("input_schema").cloned().unwrap_or(Value::Null);
                if schema.get("type").and_then(Value::as_str) != Some("object") {
                    return Err(ApiErr::invalid(format!(
                        "custom tool {name}: input_schema must be a JSON schema of type object"
                    )));
                }
                count += 1;
                out.push(json!({"type": "custom", "name": name, "description": t.get("description").cloned().unwrap_or(json!("")), "input_schema": schema}));
            }
            other => return Err(ApiErr::invalid(format!("unknown tool type {other:?}"))),
        }
    }
    if count > 256 {
        return Err(ApiErr::invalid("at most 256 tools across all toolsets"));
    }
    for s in servers {
        let name = s["name"].as_str().unwrap_or("");
        if !used_servers.iter().any(|u| u == name) {
            return Err(ApiErr::invalid(format!(
                "MCP server {name:?} is not used by any mcp_toolset"
            )));
        }
    }
    Ok(out)
}

fn resolve_servers(v: Option<&Value>) -> ApiResult<Vec<Value>> {
    let servers = v.and_then(Value::as_array).cloned().unwrap_or_default();
    if servers.len() > 20 {
        return Err(ApiErr::invalid("at most 20 MCP servers"));
    }
    let mut names = std::collections::HashSet::new();
    let mut out = Vec::new();
    for s in servers {
        let name = s.get("name").and_then(Value::as_str).unwrap_or("");
        let url = s.get("url").and_then(Value::as_str).unwrap_or("");
        if name.is_empty() || name.len() > 255 || !names.insert(name.to_string()) {
            return Err(ApiErr::invalid(format!(
                "MCP server names must be unique and 1-255 characters ({name:?})"
            )));
        }
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(ApiErr::invalid(format!(
                "MCP server {name}: url must be http(s)"
            )));
        }
        out.push(json!({"type": "url", "name": name, "url": url}));
    }
    Ok(out)
}

fn resolve_model(v: &Value) -> ApiResult<Value> {
    match v {
        Value::String(s) if !s.is_empty() => Ok(json!({"id": s, "effort": {"type": "high"}})),
        Value::Object(m)
            if m.get("id")
                .and_then(Value::as_str)
                .is_some_and(|s| !s.is_empty()) =>
        {
            let mut out = m.clone();
            match m.get("effort") {
                Some(Value::String(e)) => {
                    out.insert("effort".into(), json!({"type": e}));
                }
                None | Some(Value::Null) => {
                    out.insert("effort".into(), json!({"type": "high"}));
                }
                _ => {}
            }
            Ok(Value::Object(out))
        }
        _ => Err(ApiErr::invalid("model: a model id or {id, …} is required")),
    }
}

/// Validates an agent's skills and resolves their versions as the API does: an omitted (or
/// `latest`) version of a custom skill becomes its newest version's id; a custom skill must
/// exist and a pinned version must be one of its versions. Anthropic skills keep `latest`
/// (their versions are not listed by this fake).
fn resolve_skills(v: Option<&Value>, w: &crate::world::World) -> ApiResult<Vec<Value>> {
    let mut out = Vec::new();
    for s in v.and_then(Value::as_array).cloned().unwrap_or_default() {
        let kind = s.get("type").and_then(Value::as_str).unwrap_or("");
        let id = s.get("skill_id").and_then(Value::as_str).unwrap_or("");
        if !matches!(kind, "anthropic" | "custom") || id.is_empty() {
            return Err(ApiErr::invalid(
                "skills: each needs type anthropic|custom and a skill_id",
            ));
        }
        let asked = s
            .get("version")
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
            .unwrap_or("latest");
        let version = if kind == "custom" {
            let skill =
                w.skills.iter().find(|k| k["id"] == id).ok_or_else(|| {
                    ApiErr::invalid(format!("skills: custom skill {id} not found"))
                })?;
            if asked == "latest" {
                skill["latest_version_id"]
                    .as_str()
                    .unwrap_or("latest")
                    .to_string()
            } else if w
                .skill_versions
                .iter()
                .any(|v| v["skill_id"] == id && v["id"] == asked)
            {
                asked.to_string()
            } else {
                return Err(ApiErr::invalid(format!(
                    "skills: version {asked} of skill {id} not found"
                )));
            }
        } else {
            asked.to_string()
        };
        out.push(json!({"type": kind, "skill_id": id, "version": version}));
    }
    Ok(out)
}

pub async fn agent_create(State(s): S, body: Bytes) -> ApiResult {
    let b = body_object(&body)?;
    let name = nonempty_str(&b, "name")?;
    let model = resolve_model(
        b.get("model")
            .ok_or_else(|| ApiErr::invalid("model: field required"))?,
    )?;
    let servers = resolve_servers(b.get("mcp_servers"))?;
    let tools = resolve_tools(b.get("tools"), &servers)?;
    let metadata = metadata_of(b.get("metadata"))?;
    let mut w = s.lock();
    let skills = resolve_skills(b.get("skills"), &w)?;
    let id = w.id("agent");
    let now = w.now();
    let agent = json!({
        "id": id, "type": "agent", "name": name,
        "description": opt_text(b.get("description"), "description")?,
        "system": opt_text(b.get("system"), "system")?,
        "model": model, "tools": tools, "mcp_servers": servers, "skills": skills,
        "multiagent": Value::Null, "execution_identity": {"type": "service_account"},
        "metadata": metadata, "version": 1, "created_at": now, "updated_at": now, "archived_at": Value::Null,
    });
    w.agents.insert(id.clone(), vec![agent.clone()]);
    w.agent_order.push(id);
    Ok(Json(agent))
}

pub async fn agent_get(State(s): S, Path(id): Path<String>, RawQuery(q): RawQuery) -> ApiResult {
    let q = Params::parse(q.as_deref());
    let w = s.lock();
    let versions = w
        .agents
        .get(&id)
        .ok_or_else(|| ApiErr::not_found("agent", &id))?;
    match q.get("version") {
        None => Ok(Json(versions.last().cloned().unwrap_or(Value::Null))),
        Some(v) => {
            let n: usize = v
                .parse()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| ApiErr::invalid("version must be an integer >= 1"))?;
            versions
                .get(n - 1)
                .cloned()
                .map(Json)
                .ok_or_else(|| ApiErr::not_found("agent version", v))
        }
    }
}

pub async fn agent_update(State(s): S, Path(id): Path<String>, body: Bytes) -> ApiResult {
    let b = body_object(&body)?;
    let mut w = s.lock();
    let current = w
        .latest_agent(&id)
        .cloned()
        .ok_or_else(|| ApiErr::not_found("agent", &id))?;
    let version = current["version"].as_u64().unwrap_or(1);
    if let Some(expected) = b.get("version") {
        let expected = expected
            .as_u64()
            .ok_or_else(|| ApiErr::invalid("version must be an integer"))?;
        if expected != version {
            return Err(ApiErr::new(
                409,
                "conflict_error",
                format!("version {expected} is not the current version {version} of agent {id}"),
            ));
        }
    }
    let mut next = current.clone();
    if let Some(v) = b.get("name") {
        next["name"] = json!(nonempty_str(&b, "name")
            .map_err(|_| ApiErr::invalid(format!("name cannot be cleared ({v})")))?);
    }
    if let Some(m) = b.get("model") {
        next["model"] = resolve_model(m)?;
    }
    for field in ["description", "system"] {
        if b.contains_key(field) {
            next[field] = opt_text(b.get(field), field)?;
        }
    }
    if b.contains_key("mcp_servers") {
        next["mcp_servers"] = json!(resolve_servers(b.get("mcp_servers"))?);
    }
    if b.contains_key("tools") || b.contains_key("mcp_servers") {
        let servers: Vec<Value> = next["mcp_servers"].as_array().cloned().unwrap_or_default();
        let tools = if b.contains_key("tools") {
            b.get("tools").cloned()
        } else {
            None
        };
        next["tools"] = match tools {
            Some(t) => json!(resolve_tools(Some(&t), &servers)?),
            None => {
                // Re-validate the kept tools against the new server list (unresolve not needed).
                let kept = next["tools"].clone();
                json!(resolve_tools(Some(&kept), &servers)?)
            }
        };
    }
    if b.contains_key("skills") {
        next["skills"] = json!(resolve_skills(b.get("skills"), &w)?);
    }
    if let Some(patch) = b.get("metadata") {
        let mut m = next["metadata"].as_object().cloned().unwrap_or_default();
        patch_metadata(&mut m, patch, false)?;
        next["metadata"] = Value::Object(m);
    }
    if next == current {
        // Nothing changed: no new version.
        return Ok(Json(current));
    }
    next["version"] = json!(version + 1);
    next["updated_at"] = json!(w.now());
    if let Some(list) = w.agents.get_mut(&id) {
        list.push(next.clone());
    }
    Ok(Json(next))
}

pub async fn agent_list(State(s): S, RawQuery(q): RawQuery) -> ApiResult {
    let q = Params::parse(q.as_deref());
    let include_archived = q.flag("include_archived")?;
    let w = s.lock();
    let items: Vec<Value> = w
        .agent_order
        .iter()
        .filter_map(|id| w.latest_agent(id).cloned())
        .filter(|a| include_archived || a["archived_at"].is_null())
        .collect();
    let items = time_filter(&q, "created_at", items)?;
    paginate_keyed(items, &q, (20, 100), false, "created_at", false)
}

pub async fn agent_archive(State(s): S, Path(id): Path<String>) -> ApiResult {
    let mut w = s.lock();
    let now = w.now();
    let versions = w
        .agents
        .get_mut(&id)
        .ok_or_else(|| ApiErr::not_found("agent", &id))?;
    let latest = versions
        .last_mut()
        .ok_or_else(|| ApiErr::not_found("agent", &id))?;
    Ok(Json(archive_in_place(latest, &now)))
}

pub async fn agent_versions(
    State(s): S,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let q = Params::parse(q.as_deref());
    let w = s.lock();
    let versions = w
        .agents
        .get(&id)
        .ok_or_else(|| ApiErr::not_found("agent", &id))?;
    paginate(versions.clone(), &q, 20, 100, false)
}

// ---------------------------------------------------------------------------------------------
// Environments

fn resolve_env_config(v: Option<&Value>, current: Option<&Value>) -> ApiResult<Value> {
    let v = match v {
        None | Some(Value::Null) => {
            return Ok(current.cloned().unwrap_or_else(|| {
                resolve_env_config(Some(&json!({"type": "cloud"})), None).unwrap_or(Value::Null)
            }))
        }
        Some(v) => v,
    };
    let kind = v.get("type").and_then(Value::as_str).unwrap_or("cloud");
    if let Some(cur) = current {
        if cur["type"].as_str() != Some(kind) {
            return Err(
                ApiErr::invalid("the config type cannot change after creation")
                    .code("invalid_config_type_change"),
            );
        }
    }
    match kind {
        "self_hosted" => Ok(json!({"type": "self_hosted"})),
        "cloud" => {
            let cur_net = current.map(|c| c["networking"].clone());
            let networking = match v.get("networking") {
                None | Some(Value::Null) => cur_net.unwrap_or(json!({"type": "unrestricted"})),
                Some(n) => match n.get("type").and_then(Value::as_str) {
                    Some("unrestricted") => json!({"type": "unrestricted"}),
                    Some("limited") => {
                        let hosts = n
                            .get("allowed_hosts")
                            .and_then(Value::as_array)
                            .cloned()
                            .unwrap_or_default();
                        for h in &hosts {
                            let h = h.as_str().unwrap_or("");
                            let bare = h.strip_prefix("*.").unwrap_or(h);
                            if bare.is_empty()
                                || bare.contains('/')
                                || bare.contains(':')
                                || bare.contains(' ')
                                || !bare.contains('.')
                            {
                                return Err(ApiErr::invalid(format!(
                                    "allowed_hosts: {h:?} is not a hostname"
                                )));
                            }
                        }
                        json!({"type": "limited", "allowed_hosts": hosts,
                               "allow_mcp_servers": n.get("allow_mcp_servers").and_then(Value::as_bool).unwrap_or(false),
                               "allow_package_managers": n.get("allow_package_managers").and_then(Value::as_bool).unwrap_or(false)})
                    }
                    _ => {
                        return Err(ApiErr::invalid(
                            "networking.type must be unrestricted or limited",
                        ))
                    }
                },
            };
            let mut packages = current.map(|c| c["packages"].clone()).unwrap_or_else(|| json!({"type": "packages", "apt": [], "cargo": [], "gem": [], "go": [], "npm": [], "pip": []}));
            if let Some(p) = v.get("packages").filter(|p| !p.is_null()) {
                for manager in ["apt", "cargo", "gem", "go", "npm", "pip"] {
                    if let Some(list) = p.get(manager) {
                        let ok = list.as_array().is_some_and(|a| {
                            a.iter()
                                .all(|x| x.as_str().is_some_and(|s| !s.trim().is_empty()))
                        });
                        if !ok {
                            return Err(ApiErr::invalid(format!(
                                "packages.{manager} must be a list of package names"
                            )));
                        }
                        packages[manager] = list.clone();
                    }
                }
            }
            let any_packages = ["apt", "cargo", "gem", "go", "npm", "pip"]
                .iter()
                .any(|m| packages[*m].as_array().is_some_and(|a| !a.is_empty()));
            if networking["type"] == "limited"
                && any_packages
                && networking["allow_package_managers"] != json!(true)
            {
                return Err(ApiErr::invalid(
                    "packages need allow_package_managers: true under limited networking",
                ));
            }
            Ok(json!({"type": "cloud", "networking": networking, "packages": packages}))
        }
        other => Err(ApiErr::invalid(format!("unknown config type {other:?}"))),
    }
}

pub async fn env_create(State(s): S, body: Bytes) -> ApiResult {
    let b = body_object(&body)?;
    let name = nonempty_str(&b, "name")?;
    let config = resolve_env_config(b.get("config"), None)?;
    let metadata = metadata_of(b.get("metadata"))?;
    let mut w = s.lock();
    let now = w.now();
    let env = json!({"id": w.id("env"), "type": "environment", "name": name,
        "description": b.get("description").cloned().unwrap_or(Value::Null), "config": config, "metadata": metadata,
        "scope": b.get("scope").cloned().unwrap_or(json!("organization")),
        "created_at": now, "updated_at": now, "archived_at": Value::Null});
    w.environments.push(env.clone());
    Ok(Json(env))
}

fn find<'a>(items: &'a mut [Value], id: &str, what: &str) -> ApiResult<&'a mut Value> {
    items
        .iter_mut()
        .find(|e| e["id"] == id)
        .ok_or_else(|| ApiErr::not_found(what, id))
}

pub async fn env_get(State(s): S, Path(id): Path<String>) -> ApiResult {
    let mut w = s.lock();
    Ok(Json(find(&mut w.environments, &id, "environment")?.clone()))
}

pub async fn env_update(State(s): S, Path(id): Path<String>, body: Bytes) -> ApiResult {
    let b = body_object(&body)?;
    let mut w = s.lock();
    let now = w.now();
    let env = find(&mut w.environments, &id, "environment")?;
    if !env["archived_at"].is_null() {
        return Err(
            ApiErr::invalid("archived environments cannot be changed").code("environment_archived")
        );
    }
    let mut next = env.clone();
    if b.contains_key("name") {
        next["name"] = json!(nonempty_str(&b, "name")?);
    }
    if let Some(d) = b.get("description") {
        next["description"] = d.clone();
    }
    if b.contains_key("config") {
        next["config"] = resolve_env_config(b.get("config"), Some(&env["config"]))?;
    }
    if let Some(patch) = b.get("metadata") {
        let mut m = next["metadata"].as_object().cloned().unwrap_or_default();
        patch_metadata(&mut m, patch, true)?;
        next["metadata"] = Value::Object(m);
    }
    if let Some(scope) = b.get("scope") {
        next["scope"] = scope.clone();
    }
    next["updated_at"] = json!(now);
    *env = next.clone();
    Ok(Json(next))
}

pub async fn env_list(State(s): S, RawQuery(q): RawQuery) -> ApiResult {
    let q = Params::parse(q.as_deref());
    let include_archived = q.flag("include_archived")?;
    let w = s.lock();
    let items = w
        .environments
        .iter()
        .filter(|e| include_archived || e["archived_at"].is_null())
        .cloned()
        .collect();
    paginate_keyed(items, &q, (20, 100), false, "created_at", false)
}

pub async fn env_delete(State(s): S, Path(id): Path<String>) -> ApiResult {
    let mut w = s.lock();
    let before = w.environments.len();
    w.environments.retain(|e| e["id"] != id.as_str());
    if w.environments.len() == before {
        return Err(ApiErr::not_found("environment", &id));
    }
    Ok(Json(json!({"id": id, "type": "environment_deleted"})))
}

pub async fn env_archive(State(s): S, Path(id): Path<String>) -> ApiResult {
    let mut w = s.lock();
    let now = w.now();
    let env = find(&mut w.environments, &id, "environment")?;
    Ok(Json(archive_in_place(env, &now)))
}

// ---------------------------------------------------------------------------------------------
// Vaults and credentials

pub async fn vault_create(State(s): S, body: Bytes) -> ApiResult {
    let b = body_object(&body)?;
    let name = nonempty_str(&b, "display_name")?;
    if name.chars().count() > 255 {
        return Err(ApiErr::invalid("display_name: at most 255 characters"));
    }
    let metadata = metadata_of(b.get("metadata"))?;
    let mut w = s.lock();
    let now = w.now();
    let vault = json!({"id": w.id("vlt"), "type": "vault", "display_name": name, "metadata": metadata,
        "created_at": now, "updated_at": now, "archived_at": Value::Null});
    w.vaults.push(vault.clone());
    Ok(Json(vault))
}

pub async fn vault_get(State(s): S, Path(id): Path<String>) -> ApiResult {
    let mut w = s.lock();
    Ok(Json(find(&mut w.vaults, &id, "vault")?.clone()))
}

pub async fn vault_update(State(s): S, Path(id): Path<String>, body: Bytes) -> ApiResult {
    let b = body_object(&body)?;
    let mut w = s.lock();
    let now = w.now();
    let vault = find(&mut w.vaults, &id, "vault")?;
    if b.contains_key("display_name") {
        let name = nonempty_str(&b, "display_name")?;
        if name.chars().count() > 255 {
            return Err(ApiErr::invalid("display_name: at most 255 characters"));
        }
        vault["display_name"] = json!(name);
    }
    if let Some(patch) = b.get("metadata") {
        let mut m = vault["metadata"].as_object().cloned().unwrap_or_default();
        patch_metadata(&mut m, patch, false)?;
        vault["metadata"] = Value::Object(m);
    }
    vault["updated_at"] = json!(now);
    Ok(Json(vault.clone()))
}

pub async fn vault_list(State(s): S, RawQuery(q): RawQuery) -> ApiResult {
    let q = Params::parse(q.as_deref());
    let include_archived = q.flag("include_archived")?;
    let w = s.lock();
    let items = w
        .vaults
        .iter()
        .filter(|v| include_archived || v["archived_at"].is_null())
        .cloned()
        .collect();
    paginate_keyed(items, &q, (20, 100), false, "created_at", false)
}

pub async fn vault_delete(State(s): S, Path(id): Path<String>) -> ApiResult {
    let mut w = s.lock();
    let before = w.vaults.len();
    w.vaults.retain(|v| v["id"] != id.as_str());
    if w.vaults.len() == before {
        return Err(ApiErr::not_found("vault", &id));
    }
    w.credentials.retain(|c| c["vault_id"] != id.as_str());
    Ok(Json(json!({"id": id, "type": "vault_deleted"})))
}

pub async fn vault_archive(State(s): S, Path(id): Path<String>) -> ApiResult {
    let mut w = s.lock();
    let now = w.now();
    let vault = find(&mut w.vaults, &id, "vault")?;
    Ok(Json(archive_in_place(vault, &now)))
}

/// The public part of `auth`: secrets are accepted, checked and never returned.
fn public_auth(auth: &Value) -> ApiResult<Value> {
    let url_ok = |u: Option<&Value>| {
        u.and_then(Value::as_str)
            .is_some_and(|u| u.starts_with("https://") || u.starts_with("http://"))
    };
    let secret_ok = |k: &str| {
        auth.get(k)
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty())
    };
    match auth.get("type").and_then(Value::as_str) {
        Some("static_bearer") => {
            if !url_ok(auth.get("mcp_server_url")) || !secret_ok("token") {
                return Err(ApiErr::invalid(
                    "static_bearer needs an http(s) mcp_server_url and a token",
                ));
            }
            Ok(json!({"type": "static_bearer", "mcp_server_url": auth["mcp_server_url"]}))
        }
        Some("mcp_oauth") => {
            if !url_ok(auth.get("mcp_server_url")) || !secret_ok("access_token") {
                return Err(ApiErr::invalid(
                    "mcp_oauth needs an http(s) mcp_server_url and an access_token",
                ));
            }
            let refresh = auth.get("refresh").filter(|r| !r.is_null()).map(|r| {
                json!({"client_id": r["client_id"], "token_endpoint": r["token_endpoint"],
                       "token_endpoint_auth": {"type": r["token_endpoint_auth"]["type"]}, "resource": r.get("resource"), "scope": r.get("scope")})
            });
            Ok(
                json!({"type": "mcp_oauth", "mcp_server_url": auth["mcp_server_url"], "expires_at": auth.get("expires_at").cloned().unwrap_or(Value::Null), "refresh": refresh}),
            )
        }
        Some("environment_variable") => {
            if !secret_ok("secret_name")
                || !secret_ok("secret_value")
                || auth.get("networking").is_none()
            {
                return Err(ApiErr::invalid(
                    "environment_variable needs secret_name, secret_value and networking",
                ));
            }
            let networking = credential_networking(&auth["networking"])?;
            let inj = auth.get("injection_location").cloned().unwrap_or(json!({}));
            Ok(
                json!({"type": "environment_variable", "secret_name": auth["secret_name"], "networking": networking,
                      "injection_location": {"body": inj.get("body").and_then(Value::as_bool).unwrap_or(false), "header": inj.get("header").and_then(Value::as_bool).unwrap_or(true)}}),
            )
        }
        _ => Err(ApiErr::invalid(
            "auth.type must be static_bearer, mcp_oauth or environment_variable",
        )),
    }
}

/// An environment-variable credential's `networking`: unrestricted, or limited to at most 16
/// host names (§5.7).
fn credential_networking(n: &Value) -> ApiResult<Value> {
    match n.get("type").and_then(Value::as_str) {
        Some("unrestricted") => Ok(json!({"type": "unrestricted"})),
        Some("limited") => {
            let hosts = n
                .get("allowed_hosts")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            if hosts.len() > 16 {
                return Err(ApiErr::invalid(
                    "networking.allowed_hosts: at most 16 hosts",
                ));
            }
            for h in &hosts {
                let h = h.as_str().unwrap_or("");
                let bare = h.strip_prefix("*.").unwrap_or(h);
                if bare.is_empty() || bare.contains(['/', ':', ' ']) || !bare.contains('.') {
                    return Err(ApiErr::invalid(format!(
                        "networking.allowed_hosts: {h:?} is not a hostname"
                    )));
                }
            }
            Ok(json!({"type": "limited", "allowed_hosts": hosts}))
        }
        _ => Err(ApiErr::invalid(
            "networking.type must be unrestricted or limited",
        )),
    }
}

fn display_name_of(v: Option<&Value>) -> ApiResult<Value> {
    match v {
        None | Some(Value::Null) => Ok(Value::Null),
        Some(Value::String(s)) if s.chars().count() > 255 => {
            Err(ApiErr::invalid("display_name: at most 255 characters"))
        }
        Some(Value::String(s)) if s.is_empty() => Ok(Value::Null),
        Some(Value::String(s)) => Ok(json!(s)),
        Some(_) => Err(ApiErr::invalid("display_name must be a string or null")),
    }
}

/// Applies a credential `auth` update to the stored public auth: the type must stay, immutable
/// fields must not change, new secrets must not be empty; the public settings it changes
/// (networking, injection locations, expiry, scope, token endpoint auth) are applied.
fn apply_auth_update(stored: &mut Value, update: &Value) -> ApiResult<()> {
    if update.get("type") != stored.get("type") {
        return Err(ApiErr::invalid(
            "auth.type must stay the same; create a new credential instead",
        ));
    }
    for immutable in ["mcp_server_url", "secret_name"] {
        if update
            .get(immutable)
            .is_some_and(|v| Some(v) != stored.get(immutable))
        {
            return Err(ApiErr::invalid(format!("{immutable} cannot change")));
        }
    }
    let empty_secret = |v: Option<&Value>| v.is_some_and(|s| s.as_str().is_none_or(str::is_empty));
    for secret in ["token", "access_token", "secret_value"] {
        if empty_secret(update.get(secret)) {
            return Err(ApiErr::invalid(format!("{secret}: must not be empty")));
        }
    }
    match stored["type"].as_str() {
        Some("environment_variable") => {
            if let Some(n) = update.get("networking").filter(|n| !n.is_null()) {
                stored["networking"] = credential_networking(n)?;
            }
            if let Some(inj) = update.get("injection_location").filter(|i| !i.is_null()) {
                for place in ["body", "header"] {
                    if let Some(on) = inj.get(place).and_then(Value::as_bool) {
                        stored["injection_location"][place] = json!(on);
                    }
                }
            }
        }
        Some("mcp_oauth") => {
            if let Some(expires) = update.get("expires_at") {
                stored["expires_at"] = expires.clone();
            }
            if let Some(r) = update.get("refresh").filter(|r| !r.is_null()) {
                if stored["refresh"].is_null() {
                    return Err(ApiErr::invalid(
                        "refresh: this credential has no refresh settings to change",
                    ));
                }
                if r.get("client_id")
                    .is_some_and(|c| *c != stored["refresh"]["client_id"])
                {
                    return Err(ApiErr::invalid("client_id cannot change"));
                }
                if empty_secret(r.get("refresh_token")) {
                    return Err(ApiErr::invalid("refresh_token: must not be empty"));
                }
                if let Some(scope) = r.get("scope") {
                    stored["refresh"]["scope"] = scope.clone();
                }
                if let Some(kind) = r.get("token_endpoint_auth").and_then(|a| a.get("type")) {
                    match kind.as_str() {
                        Some("client_secret_basic" | "client_secret_post") => {
                            stored["refresh"]["token_endpoint_auth"] = json!({"type": kind});
                        }
                        _ => {
                            return Err(ApiErr::invalid(
                                "token_endpoint_auth.type must be client_secret_basic or client_secret_post",
                            ))
                        }
                    }
                }
            }
        }
        _ => {}
    }
    Ok(())
}

fn vault_exists(w: &crate::world::World, id: &str) -> ApiResult<()> {
    w.vaults
        .iter()
        .any(|v| v["id"] == id)
        .then_some(())
        .ok_or_else(|| ApiErr::not_found("vault", id))
}

pub async fn cred_create(State(s): S, Path(vault): Path<String>, body: Bytes) -> ApiResult {
    let b = body_object(&body)?;
    let auth = public_auth(
        b.get("auth")
            .ok_or_else(|| ApiErr::invalid("auth: field required"))?,
    )?;
    let metadata = metadata_of(b.get("metadata"))?;
    let mut w = s.lock();
    vault_exists(&w, &vault)?;
    let now = w.now();
    let display_name = display_name_of(b.get("display_name"))?;
    let cred = json!({"id": w.id("vcrd"), "type": "vault_credential", "vault_id": vault,
        "display_name": display_name, "metadata": metadata, "auth": auth,
        "created_at": now, "updated_at": now, "archived_at": Value::Null});
    w.credentials.push(cred.clone());
    Ok(Json(cred))
}

fn find_cred<'a>(
    w: &'a mut crate::world::World,
    vault: &str,
    id: &str,
) -> ApiResult<&'a mut Value> {
    w.credentials
        .iter_mut()
        .find(|c| c["id"] == id && c["vault_id"] == vault)
        .ok_or_else(|| ApiErr::not_found("credential", id))
}

pub async fn cred_get(State(s): S, Path((vault, id)): Path<(String, String)>) -> ApiResult {
    let mut w = s.lock();
    Ok(Json(find_cred(&mut w, &vault, &id)?.clone()))
}

pub async fn cred_update(
    State(s): S,
    Path((vault, id)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult {
    let b = body_object(&body)?;
    let mut w = s.lock();
    let now = w.now();
    let cred = find_cred(&mut w, &vault, &id)?;
    // Everything is checked on a copy: a refused update changes nothing.
    let mut next = cred.clone();
    if let Some(auth) = b.get("auth").filter(|a| !a.is_null()) {
        apply_auth_update(&mut next["auth"], auth)?;
    }
    if b.contains_key("display_name") {
        next["display_name"] = display_name_of(b.get("display_name"))?;
    }
    if let Some(patch) = b.get("metadata") {
        let mut m = next["metadata"].as_object().cloned().unwrap_or_default();
        patch_metadata(&mut m, patch, false)?;
        next["metadata"] = Value::Object(m);
    }
    next["updated_at"] = json!(now);
    *cred = next.clone();
    Ok(Json(next))
}

pub async fn cred_list(State(s): S, Path(vault): Path<String>, RawQuery(q): RawQuery) -> ApiResult {
    let q = Params::parse(q.as_deref());
    let include_archived = q.flag("include_archived")?;
    let w = s.lock();
    vault_exists(&w, &vault)?;
    let items = w
        .credentials
        .iter()
        .filter(|c| {
            c["vault_id"] == vault.as_str() && (include_archived || c["archived_at"].is_null())
        })
        .cloned()
        .collect();
    paginate_keyed(items, &q, (20, 100), false, "created_at", false)
}

pub async fn cred_delete(State(s): S, Path((vault, id)): Path<(String, String)>) -> ApiResult {
    let mut w = s.lock();
    find_cred(&mut w, &vault, &id)?;
    w.credentials.retain(|c| c["id"] != id.as_str());
    Ok(Json(json!({"id": id, "type": "vault_credential_deleted"})))
}

pub async fn cred_archive(State(s): S, Path((vault, id)): Path<(String, String)>) -> ApiResult {
    let mut w = s.lock();
    let now = w.now();
    let cred = find_cred(&mut w, &vault, &id)?;
    Ok(Json(archive_in_place(cred, &now)))
}

pub async fn cred_validate(State(s): S, Path((vault, id)): Path<(String, String)>) -> ApiResult {
    let mut w = s.lock();
    let now = w.now();
    let cred = find_cred(&mut w, &vault, &id)?;
    Ok(Json(
        json!({"type": "vault_credential_validation", "credential_id": id, "vault_id": vault, "status": "unknown",
        "has_refresh_token": cred["auth"]["refresh"].is_object(), "mcp_probe": Value::Null, "refresh": Value::Null, "validated_at": now}),
    ))
}

// ---------------------------------------------------------------------------------------------
// Files and skills

async fn multipart_parts(mut mp: Multipart) -> ApiResult<Vec<Part>> {
    let mut out = Vec::new();
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|e| ApiErr::invalid(format!("multipart: {e}")))?
    {
        let name = field.name().unwrap_or("").to_string();
        let filename = field
            .file_name()
            .map(|f| f.rsplit(['/', '\\']).next().unwrap_or(f).to_string());
        let mime = field.content_type().map(str::to_string);
        let bytes = field
            .bytes()
            .await
            .map_err(|e| ApiErr::invalid(format!("multipart: {e}")))?;
        out.push((name, filename, mime, bytes.to_vec()));
    }
    Ok(out)
}

pub async fn file_upload(State(s): S, mp: Multipart) -> ApiResult {
    let parts = multipart_parts(mp).await?;
    let expires_in = match parts.iter().find(|p| p.0 == "expires_in_seconds") {
        None => None,
        Some(p) => Some(
            String::from_utf8_lossy(&p.3)
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|n| (3600..=7_776_000).contains(n))
                .ok_or_else(|| {
                    ApiErr::invalid("expires_in_seconds must be between 3600 and 7776000")
                })?,
        ),
    };
    let (_, filename, mime, bytes) = parts
        .into_iter()
        .find(|p| p.0 == "file")
        .ok_or_else(|| ApiErr::invalid("file: field required"))?;
    let mut w = s.lock();
    let now = w.now();
    let expires_at = match expires_in {
        Some(secs) => crate::http::parse_time(&now)
            .map(|us| json!(crate::world::format_us(us + secs * 1_000_000)))
            .unwrap_or(Value::Null),
        None => Value::Null,
    };
    let meta = json!({"id": w.id("file"), "type": "file", "filename": filename.unwrap_or_else(|| "upload".into()),
        "mime_type": mime.unwrap_or_else(|| "application/octet-stream".into()), "size_bytes": bytes.len(),
        "created_at": now, "downloadable": true, "expires_at": expires_at, "scope": Value::Null});
    w.files.push((meta.clone(), bytes));
    Ok(Json(meta))
}

pub async fn file_list(State(s): S, RawQuery(q): RawQuery) -> ApiResult {
    let q = Params::parse(q.as_deref());
    let w = s.lock();
    let scope = q.get("scope_id");
    let ids = q.all("ids");
    let items: Vec<Value> = w
        .files
        .iter()
        .map(|(m, _)| m.clone())
        .filter(|m| scope.is_none_or(|sc| m["scope"]["id"] == sc))
        .collect();
    if !ids.is_empty() {
        // `ids` asks for exactly these files: one page, no cursor (§2, §5.8).
        if q.get("page").is_some() || q.get("limit").is_some() {
            return Err(ApiErr::invalid("ids cannot be combined with page or limit"));
        }
        if ids.len() > 100 {
            return Err(ApiErr::invalid("ids: at most 100 ids"));
        }
        let data: Vec<Value> = items
            .into_iter()
            .filter(|m| ids.iter().any(|id| m["id"] == id.as_str()))
            .collect();
        return Ok(Json(json!({"data": data, "next_page": Value::Null})));
    }
    paginate(items, &q, 20, 1000, false)
}

pub async fn file_get(State(s): S, Path(id): Path<String>) -> ApiResult {
    let w = s.lock();
    w.files
        .iter()
        .find(|(m, _)| m["id"] == id.as_str())
        .map(|(m, _)| Json(m.clone()))
        .ok_or_else(|| ApiErr::not_found("file", &id))
}

pub async fn file_content(
    State(s): S,
    Path(id): Path<String>,
) -> Result<axum::response::Response, ApiErr> {
    let w = s.lock();
    let (meta, bytes) = w
        .files
        .iter()
        .find(|(m, _)| m["id"] == id.as_str())
        .ok_or_else(|| ApiErr::not_found("file", &id))?;
    let mime = meta["mime_type"]
        .as_str()
        .unwrap_or("application/octet-stream")
        .to_string();
    Ok(([(header::CONTENT_TYPE, mime)], bytes.clone()).into_response())
}

pub async fn file_delete(State(s): S, Path(id): Path<String>) -> ApiResult {
    let mut w = s.lock();
    let before = w.files.len();
    w.files.retain(|(m, _)| m["id"] != id.as_str());
    if w.files.len() == before {
        return Err(ApiErr::not_found("file", &id));
    }
    Ok(Json(json!({"id": id, "type": "file_deleted"})))
}

fn skill_slug(parts: &[Part]) -> ApiResult<(String, String)> {
    let files: Vec<&Part> = parts
        .iter()
        .filter(|p| p.0 == "files[]" || p.0 == "files")
        .collect();
    let skill_md = files
        .iter()
        .find(|p| p.1.as_deref().is_some_and(|f| f.ends_with("SKILL.md")))
        .ok_or_else(|| ApiErr::invalid("a skill needs a SKILL.md"))?;
    let text = String::from_utf8_lossy(&skill_md.3).to_string();
    let name = text
        .lines()
        .find_map(|l| l.strip_prefix("name:"))
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| "skill".into());
    let description = text
        .lines()
        .find_map(|l| l.strip_prefix("description:"))
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    Ok((name, description))
}

pub async fn skill_create(State(s): S, mp: Multipart) -> ApiResult {
    let parts = multipart_parts(mp).await?;
    let (name, description) = skill_slug(&parts)?;
    let display = parts
        .iter()
        .find(|p| p.0 == "display_name")
        .map(|p| String::from_utf8_lossy(&p.3).to_string())
        .unwrap_or_else(|| name.clone());
    let mut w = s.lock();
    let now = w.now();
    let id = w.id("skill");
    let version = json!({"id": w.id("skillver"), "type": "skill_version", "skill_id": id, "name": name, "description": description, "created_at": now});
    let skill = json!({"id": id, "type": "skill", "display_name": display, "latest_version_id": version["id"], "source": {"type": "custom"}, "created_at": now, "updated_at": now});
    w.skills.push(skill.clone());
    w.skill_versions.push(version);
    Ok(Json(skill))
}

pub async fn skill_list(State(s): S, RawQuery(q): RawQuery) -> ApiResult {
    let q = Params::parse(q.as_deref());
    let w = s.lock();
    let source = q.get("source");
    let items = w
        .skills
        .iter()
        .filter(|k| source.is_none_or(|src| k["source"]["type"] == src))
        .cloned()
        .collect();
    paginate(items, &q, 20, 100, false)
}

pub async fn skill_get(State(s): S, Path(id): Path<String>) -> ApiResult {
    let mut w = s.lock();
    Ok(Json(find(&mut w.skills, &id, "skill")?.clone()))
}

pub async fn skill_delete(State(s): S, Path(id): Path<String>) -> ApiResult {
    let mut w = s.lock();
    find(&mut w.skills, &id, "skill")?;
    w.skills.retain(|k| k["id"] != id.as_str());
    w.skill_versions.retain(|v| v["skill_id"] != id.as_str());
    Ok(Json(json!({"id": id, "type": "skill_deleted"})))
}

pub async fn skill_version_create(State(s): S, Path(id): Path<String>, mp: Multipart) -> ApiResult {
    let parts = multipart_parts(mp).await?;
    let (name, description) = skill_slug(&parts)?;
    let mut w = s.lock();
    let now = w.now();
    find(&mut w.skills, &id, "skill")?;
    let version = json!({"id": w.id("skillver"), "type": "skill_version", "skill_id": id, "name": name, "description": description, "created_at": now});
    w.skill_versions.push(version.clone());
    let skill = find(&mut w.skills, &id, "skill")?;
    skill["latest_version_id"] = version["id"].clone();
    skill["updated_at"] = json!(now);
    Ok(Json(version))
}

pub async fn skill_versions(
    State(s): S,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let q = Params::parse(q.as_deref());
    let mut w = s.lock();
    find(&mut w.skills, &id, "skill")?;
    let items = w
        .skill_versions
        .iter()
        .filter(|v| v["skill_id"] == id.as_str())
        .cloned()
        .collect();
    paginate(items, &q, 20, 100, false)
}

fn find_version(w: &mut crate::world::World, id: &str, version: &str) -> ApiResult<Value> {
    let skill = find(&mut w.skills, id, "skill")?.clone();
    let wanted = if version == "latest" {
        skill["latest_version_id"]
            .as_str()
            .unwrap_or("")
            .to_string()
    } else {
        version.to_string()
    };
    w.skill_versions
        .iter()
        .find(|v| v["id"] == wanted.as_str() && v["skill_id"] == id)
        .cloned()
        .ok_or_else(|| ApiErr::not_found("skill version", version))
}

pub async fn skill_version_get(
    State(s): S,
    Path((id, version)): Path<(String, String)>,
) -> ApiResult {
    let mut w = s.lock();
    Ok(Json(find_version(&mut w, &id, &version)?))
}

pub async fn skill_version_delete(
    State(s): S,
    Path((id, version)): Path<(String, String)>,
) -> ApiResult {
    let mut w = s.lock();
    let v = find_version(&mut w, &id, &version)?;
    w.skill_versions.retain(|x| x["id"] != v["id"]);
    // The skill's newest version is now the newest one left (or none).
    let newest = w
        .skill_versions
        .iter()
        .rfind(|x| x["skill_id"] == id.as_str())
        .map(|x| x["id"].clone())
        .unwrap_or(Value::Null);
    let now = w.now();
    let skill = find(&mut w.skills, &id, "skill")?;
    if skill["latest_version_id"] == v["id"] {
        skill["latest_version_id"] = newest;
        skill["updated_at"] = json!(now);
    }
    Ok(Json(
        json!({"id": v["id"], "type": "skill_version_deleted"}),
    ))
}
