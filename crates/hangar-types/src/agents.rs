//! Agents as the screens use them: list rows, versions, saving with a base version, export and
//! import files, the known models, and the checks of a whole agent configuration (shared by the
//! form and the backend, so both refuse the same input with the same words).

use serde::{Deserialize, Serialize};

use crate::model::agents::{Agent, AgentCreate, KnownTool, Tool};
use crate::{validate, AgentId};

/// Input of the list commands that can include archived objects.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListInput {
    /// Archived objects too.
    #[serde(default)]
    pub include_archived: bool,
}

/// One row of the agents list (from the cache: works offline).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentListItem {
    /// `agent_…`
    pub id: AgentId,
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: Option<String>,
    /// The model id.
    pub model: String,
    /// The latest version.
    pub version: u64,
    /// RFC 3339.
    pub updated_at: Option<String>,
    /// Archived?
    pub archived: bool,
}

/// `{id, version?}`: one agent, the latest version unless `version` is given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentGetInput {
    /// The agent.
    pub id: AgentId,
    /// A version; `None` for the latest.
    #[serde(default)]
    pub version: Option<u64>,
}

/// `{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentIdInput {
    /// The agent.
    pub id: AgentId,
}

/// An agent, and whether it came from the cache because the API could not be reached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentGetOutput {
    /// The agent (the version asked for).
    pub agent: Agent,
    /// Read from the cache (the API could not be reached).
    pub cached: bool,
}

/// Input of `agent_create`: the whole configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentCreateInput {
    /// What to create.
    pub config: AgentCreate,
}

/// Input of `agent_update`: the whole configuration as the form has it, and the version it was
/// edited from. The backend turns it into the API's update (full replacement for lists, a
/// metadata patch against the version it replaces).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentUpdateInput {
    /// The agent.
    pub id: AgentId,
    /// The version the form was edited from: the save is refused (a conflict) when it is no
    /// longer the latest, unless `overwrite`.
    pub base_version: u64,
    /// Save over whatever the latest version is (after a conflict, "Overwrite").
    #[serde(default)]
    pub overwrite: bool,
    /// The configuration to save.
    pub config: AgentCreate,
}

/// Every cached or listed version of an agent, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentVersionsOutput {
    /// The versions, newest first.
    pub versions: Vec<Agent>,
    /// Read from the cache (the API could not be reached).
    pub cached: bool,
}

/// The format of an agent file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfigFormat {
    /// `.json`
    #[default]
    Json,
    /// `.yaml`
    Yaml,
}

impl ConfigFormat {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ConfigFormat::Json => "json",
            ConfigFormat::Yaml => "yaml",
        }
    }
}

/// Input of the commands that open an OS file dialog (`agent_import`, `file_upload`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportInput {
    /// Allow choosing several files (uploads).
    #[serde(default)]
    pub multiple: bool,
}

/// Input of `agent_export`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentExportInput {
    /// The agent.
    pub id: AgentId,
    /// A version; `None` for the latest.
    #[serde(default)]
    pub version: Option<u64>,
    /// JSON or YAML.
    pub format: ConfigFormat,
}

/// Where a file was written (`None`: the person cancelled the dialog).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedFile {
    /// The path written.
    pub path: Option<String>,
}

/// An agent file read for import: shown to the person before anything is created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentImport {
    /// The file's name.
    pub file_name: String,
    /// Its format.
    pub format: ConfigFormat,
    /// The configuration it holds.
    pub config: AgentCreate,
    /// What must be fixed before it can be created (field, message).
    pub problems: Vec<(String, String)>,
}

/// A model Hangar offers by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownModel {
    /// The model id.
    pub id: &'static str,
    /// What the list shows.
    pub label: &'static str,
    /// Takes an effort level.
    pub effort: bool,
    /// Offers fast output.
    pub fast: bool,
}

/// The models of the reference (§5.1), newest first.
pub const KNOWN_MODELS: &[KnownModel] = &[
    KnownModel {
        id: "claude-opus-5-5",
        label: "Claude Opus 5.5",
        effort: true,
        fast: true,
    },
    KnownModel {
        id: "claude-sonnet-5-5",
        label: "Claude Sonnet 5.5",
        effort: true,
        fast: false,
    },
    KnownModel {
        id: "claude-haiku-5-5",
        label: "Claude Haiku 5.5",
        effort: true,
        fast: false,
    },
    KnownModel {
        id: "claude-opus-4-8",
        label: "Claude Opus 4.8",
        effort: true,
        fast: true,
    },
    KnownModel {
        id: "claude-opus-4-7",
        label: "Claude Opus 4.7",
        effort: true,
        fast: true,
    },
    KnownModel {
        id: "claude-opus-4-6",
        label: "Claude Opus 4.6",
        effort: true,
        fast: true,
    },
    KnownModel {
        id: "claude-sonnet-4-6",
        label: "Claude Sonnet 4.6",
        effort: true,
        fast: false,
    },
    KnownModel {
        id: "claude-opus-4-5",
        label: "Claude Opus 4.5",
        effort: true,
        fast: false,
    },
    KnownModel {
        id: "claude-sonnet-4-5",
        label: "Claude Sonnet 4.5",
        effort: false,
        fast: false,
    },
    KnownModel {
        id: "claude-haiku-4-5",
        label: "Claude Haiku 4.5",
        effort: false,
        fast: false,
    },
];

/// The known model `id`, if it is one.
pub fn known_model(id: &str) -> Option<&'static KnownModel> {
    KNOWN_MODELS.iter().find(|m| m.id == id)
}

/// A model id typed by hand: no spaces, at most 128 characters.
pub fn model_id(raw: &str) -> validate::Check<String> {
    let id = raw.trim();
    if id.is_empty() {
        return Err("Choose a model, or type a model id.".into());
    }
    if id.chars().any(char::is_whitespace) || id.chars().count() > 128 {
        return Err("A model id has no spaces, like claude-sonnet-5-5.".into());
    }
    Ok(id.to_string())
}

/// A custom tool's input schema as typed: a JSON object with `"type": "object"`.
pub fn input_schema(raw: &str) -> validate::Check<serde_json::Value> {
    let value: serde_json::Value = serde_json::from_str(raw).map_err(|e| {
        format!(
            "This is not valid JSON (line {}, column {}).",
            e.line(),
            e.column()
        )
    })?;
    if !value.is_object() {
        return Err("The schema must be a JSON object, like {\"type\": \"object\"}.".into());
    }
    if value.get("type").and_then(|t| t.as_str()) != Some("object") {
        return Err("The schema needs \"type\": \"object\" at the top.".into());
    }
    if let Some(props) = value.get("properties") {
        if !props.is_object() {
            return Err("\"properties\" must be an object of field schemas.".into());
        }
    }
    if let Some(required) = value.get("required") {
        let names = required
            .as_array()
            .filter(|a| a.iter().all(|x| x.is_string()));
        if names.is_none() {
            return Err("\"required\" must be a list of field names.".into());
        }
    }
    Ok(value)
}

/// Everything wrong with an agent configuration, each as (field, message), before anything is
/// sent: the limits of reference §4 and §5.1.
pub fn agent_problems(config: &AgentCreate) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut push = |field: &str, r: Result<(), String>| {
        if let Err(message) = r {
            out.push((field.to_string(), message));
        }
    };
    push("name", validate::agent_name(&config.name).map(drop));
    push("model", model_id(config.model.id()).map(drop));
    let servers: Vec<(String, String)> = config
        .mcp_servers
        .iter()
        .map(|s| (s.name.clone(), s.url.clone()))
        .collect();
    push("mcpServers", validate::mcp_servers(&servers).map(drop));
    let mut count = 0;
    let mut used = Vec::new();
    let mut custom_names: Vec<String> = Vec::new();
    for tool in &config.tools {
        match tool {
            Tool::Known(KnownTool::Toolset { .. }) => {
                count += crate::model::agents::BUILT_IN_TOOLS.len()
            }
            Tool::Known(KnownTool::Mcp {
                mcp_server_name, ..
            }) => {
                count += 1;
                if !config
                    .mcp_servers
                    .iter()
                    .any(|s| &s.name == mcp_server_name)
                {
                    push(
                        "mcpServers",
                        Err(format!(
                            "The tools of “{mcp_server_name}” need that MCP server in the list."
                        )),
                    );
                }
                used.push(mcp_server_name.clone());
            }
            Tool::Known(KnownTool::Custom {
                name,
                input_schema: schema,
                ..
            }) => {
                count += 1;
                push("customTools", validate::custom_tool_name(name).map(drop));
                if custom_names.contains(name) {
                    push(
                        "customTools",
                        Err(format!("Two custom tools are called “{name}”.")),
                    );
                }
                custom_names.push(name.clone());
                let typed = serde_json::to_string(schema).unwrap_or_default();
                push(
                    "customTools",
                    input_schema(&typed)
                        .map(drop)
                        .map_err(|e| format!("Tool “{name}”: {e}")),
                );
            }
            Tool::Other(_) => count += 1,
        }
    }
    for server in &config.mcp_servers {
        if !used.contains(&server.name) {
            push(
                "mcpServers",
                Err(format!(
                    "The MCP server “{}” needs its tools turned on (the API refuses a server no toolset uses).",
                    server.name
                )),
            );
        }
    }
    push("tools", validate::tool_count(count));
    for skill in &config.skills {
        if skill.skill_id.trim().is_empty() {
            push(
                "skills",
                Err("Choose a skill for every row, or remove the row.".into()),
            );
        }
    }
    let rows: Vec<(String, String)> = config
        .metadata
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    push("metadata", validate::metadata(&rows).map(drop));
    out
}

/// The configuration of `agent` as a create body: what an export file holds, what "restore
/// this version" saves, what the form starts from. Ids, versions and times are left out.
pub fn agent_config(agent: &Agent) -> AgentCreate {
    use crate::model::agents::{ExecutionIdentity, ModelSpec};
    let execution_identity = match &agent.execution_identity {
        None | Some(ExecutionIdentity::ServiceAccount) => None,
        Some(other) => Some(other.clone()),
    };
    AgentCreate {
        name: agent.name.clone(),
        model: ModelSpec::Config(agent.model.clone()),
        description: agent.description.clone().filter(|d| !d.is_empty()),
        system: agent.system.clone().filter(|s| !s.is_empty()),
        tools: agent.tools.clone(),
        mcp_servers: agent.mcp_servers.clone(),
        skills: agent.skills.clone(),
        metadata: agent.metadata.clone(),
        multiagent: agent.multiagent.clone().filter(|m| !m.is_null()),
        execution_identity,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn config(value: serde_json::Value) -> AgentCreate {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn a_good_configuration_has_no_problems() {
        let c = config(
            json!({"name": "Support agent", "model": {"id": "claude-opus-5-5", "effort": "high"},
            "tools": [{"type": "agent_toolset_20260401"}, {"type": "mcp_toolset", "mcp_server_name": "github"},
                {"type": "custom", "name": "lookup_order", "description": "d", "input_schema": {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}}],
            "mcp_servers": [{"type": "url", "name": "github", "url": "https://api.githubcopilot.com/mcp/"}],
            "metadata": {"team": "support"}}),
        );
        assert_eq!(agent_problems(&c), Vec::<(String, String)>::new());
    }

    #[test]
    fn every_limit_is_named_next_to_its_field() {
        let metadata: serde_json::Map<String, serde_json::Value> =
            (0..17).map(|i| (format!("k{i}"), json!("v"))).collect();
        let c = config(json!({"name": " ", "model": "bad model",
            "tools": [{"type": "custom", "name": "bad name", "description": "", "input_schema": {"type": "string"}},
                {"type": "mcp_toolset", "mcp_server_name": "ghost"}],
            "mcp_servers": [{"type": "url", "name": "unused", "url": "https://x.example.com"}],
            "metadata": metadata}));
        let fields: Vec<String> = agent_problems(&c).into_iter().map(|(f, _)| f).collect();
        for f in ["name", "model", "customTools", "mcpServers", "metadata"] {
            assert!(fields.iter().any(|x| x == f), "{f} in {fields:?}");
        }
    }

    #[test]
    fn schemas_are_checked_as_typed() {
        assert!(input_schema("{\"type\":\"object\"}").is_ok());
        assert!(input_schema("{\"type\":").is_err_and(|e| e.contains("line 1")));
        assert!(input_schema("[]").is_err_and(|e| e.contains("object")));
        assert!(input_schema("{\"type\":\"object\",\"required\":[1]}").is_err());
        assert!(input_schema("{\"type\":\"object\",\"properties\":[]}").is_err());
    }

    #[test]
    fn models() {
        assert!(known_model("claude-opus-5-5").is_some_and(|m| m.fast));
        assert_eq!(model_id(" my-model "), Ok("my-model".into()));
        assert!(model_id("").is_err());
        assert!(model_id("a b").is_err());
    }
}
