//! The agent form's model: every field of an agent configuration as form fields, to and from
//! the API's `AgentCreate` (what the form sends, what the raw view shows, what templates and
//! imports fill in). Parts the form does not edit (multi-agent setups, web tool domain lists,
//! per-tool MCP settings, unknown tools) are kept as they were and sent back unchanged.

use std::collections::BTreeMap;

use hangar_types::model::agents::{
    AgentCreate, Effort, EffortLevel, ExecutionIdentity, KnownTool, McpServer, ModelConfig,
    ModelSpec, PermissionPolicy, SkillKind, SkillRef, Speed, Tool, ToolConfig, ToolDefaults,
    BUILT_IN_TOOLS,
};
use hangar_types::{agent_problems, known_model, validate};
use serde_json::{Map, Value};

use crate::form::{fields, Field, Form};

/// The select value that means "a model id typed by hand".
pub const CUSTOM_MODEL: &str = "custom";

/// The permission choices: value, label.
pub const POLICIES: [(&str, &str); 3] = [
    ("always_allow", "Always allow"),
    ("always_ask", "Always ask"),
    ("auto", "Auto (the server decides)"),
];

/// One built-in tool's row.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolRow {
    /// `bash`, `read`, …
    pub name: String,
    /// On or off.
    pub enabled: bool,
    /// A policy value, or "" for the toolset's default.
    pub policy: String,
}

/// One MCP server's row (with its toolset's settings).
#[derive(Debug, Clone, PartialEq)]
pub struct McpRow {
    /// Its name (referenced by the toolset).
    pub name: String,
    /// Its address.
    pub url: String,
    /// Its tools are on.
    pub enabled: bool,
    /// A policy value, or "" for the API's default.
    pub policy: String,
}

/// One custom tool's row; the schema as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomRow {
    /// `[A-Za-z0-9_-]{1,128}`.
    pub name: String,
    /// What it does, for the model.
    pub description: String,
    /// JSON Schema text.
    pub schema: String,
}

/// One skill's row.
#[derive(Debug, Clone, PartialEq)]
pub struct SkillRow {
    /// `anthropic` or `custom`.
    pub kind: String,
    /// `xlsx`, `skill_…`.
    pub id: String,
    /// A version, or "" for the latest.
    pub version: String,
}

/// What the form keeps without showing it, to send back unchanged.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Kept {
    model_extra: Map<String, Value>,
    toolset_enabled_default: Option<bool>,
    tool_extras: BTreeMap<String, Map<String, Value>>,
    mcp_configs: BTreeMap<String, Vec<ToolConfig>>,
    other_tools: Vec<Value>,
    multiagent: Option<Value>,
    execution_identity: Option<ExecutionIdentity>,
}

/// The agent form's fields; names are the backend's field names, so its errors land on them.
#[derive(Debug, Clone)]
pub struct AgentFields {
    /// Name.
    pub name: Field<String>,
    /// Description.
    pub description: Field<String>,
    /// A known model id, or [`CUSTOM_MODEL`].
    pub model: Field<String>,
    /// The model id typed by hand.
    pub custom_model: Field<String>,
    /// "" (the model's default) or an effort level.
    pub effort: Field<String>,
    /// "" (standard) or `fast`.
    pub speed: Field<String>,
    /// System prompt.
    pub system: Field<String>,
    /// The built-in toolset is on.
    pub toolset: Field<bool>,
    /// The toolset's default permission.
    pub default_policy: Field<String>,
    /// Each built-in tool.
    pub tools: Field<Vec<ToolRow>>,
    /// MCP servers.
    pub mcp: Field<Vec<McpRow>>,
    /// Custom tools.
    pub custom: Field<Vec<CustomRow>>,
    /// Skills.
    pub skills: Field<Vec<SkillRow>>,
    /// Metadata rows.
    pub metadata: Field<Vec<(String, String)>>,
    /// What is sent back unchanged.
    pub kept: Field<Kept>,
}
fields!(AgentFields {
    name,
    description,
    model,
    custom_model,
    effort,
    speed,
    system,
    toolset,
    default_policy,
    tools,
    mcp,
    custom,
    skills,
    metadata,
    kept
});

fn policy_value(p: &Option<PermissionPolicy>) -> String {
    match p {
        Some(PermissionPolicy::AlwaysAllow) => "always_allow".into(),
        Some(PermissionPolicy::AlwaysAsk) => "always_ask".into(),
        Some(PermissionPolicy::Auto) => "auto".into(),
        _ => String::new(),
    }
}

fn policy_of(value: &str) -> Option<PermissionPolicy> {
    match value {
        "always_allow" => Some(PermissionPolicy::AlwaysAllow),
        "always_ask" => Some(PermissionPolicy::AlwaysAsk),
        "auto" => Some(PermissionPolicy::Auto),
        _ => None,
    }
}

fn default_tools() -> Vec<ToolRow> {
    BUILT_IN_TOOLS
        .iter()
        .map(|name| ToolRow {
            name: (*name).to_string(),
            enabled: true,
            policy: String::new(),
        })
        .collect()
}

impl AgentFields {
    /// An empty form: the first known model, the built-in tools on.
    pub fn empty() -> Self {
        Self::from_config(&AgentCreate {
            model: ModelSpec::Id(hangar_types::KNOWN_MODELS[0].id.to_string()),
            tools: vec![Tool::Known(KnownTool::Toolset {
                default_config: None,
                configs: Vec::new(),
            })],
            ..AgentCreate::default()
        })
    }

    /// The form filled from a configuration (an agent's, a template's, an imported file's).
    pub fn from_config(c: &AgentCreate) -> Self {
        let (model_id, effort, speed, model_extra) = match &c.model {
            ModelSpec::Id(id) => (id.clone(), String::new(), String::new(), Map::new()),
            ModelSpec::Config(m) => (
                m.id.clone(),
                m.effort
                    .as_ref()
                    .map(|e| e.level().as_str().to_string())
                    .unwrap_or_default(),
                m.speed
                    .as_ref()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
                m.extra.clone(),
            ),
        };
        let (model, custom_model) = if known_model(&model_id).is_some() {
            (model_id, String::new())
        } else {
            (CUSTOM_MODEL.to_string(), model_id)
        };
        let mut kept = Kept {
            model_extra,
            multiagent: c.multiagent.clone(),
            execution_identity: c.execution_identity.clone(),
            ..Kept::default()
        };
        let mut toolset = false;
        let mut default_policy = "always_allow".to_string();
        let mut tools = default_tools();
        let mut mcp_policy: BTreeMap<String, (bool, String)> = BTreeMap::new();
        let mut custom = Vec::new();
        for tool in &c.tools {
            match tool {
                Tool::Known(KnownTool::Toolset {
                    default_config,
                    configs,
                }) => {
                    toolset = true;
                    let defaults = default_config.clone().unwrap_or_default();
                    kept.toolset_enabled_default = defaults.enabled;
                    let default_on = defaults.enabled.unwrap_or(true);
                    let dp = policy_value(&defaults.permission_policy);
                    if !dp.is_empty() {
                        default_policy = dp;
                    }
                    for row in &mut tools {
                        row.enabled = default_on;
                    }
                    for config in configs {
                        let mut extra = config.extra.clone();
                        extra.remove("type");
                        if !extra.is_empty() {
                            kept.tool_extras.insert(config.name.clone(), extra);
                        }
                        if let Some(row) = tools.iter_mut().find(|r| r.name == config.name) {
                            row.enabled = config.enabled.unwrap_or(default_on);
                            let p = policy_value(&config.permission_policy);
                            row.policy = if p == default_policy {
                                String::new()
                            } else {
                                p
                            };
                        }
                    }
                }
                Tool::Known(KnownTool::Mcp {
                    mcp_server_name,
                    default_config,
                    configs,
                }) => {
                    let d = default_config.clone().unwrap_or_default();
                    let p = policy_value(&d.permission_policy);
                    mcp_policy.insert(
                        mcp_server_name.clone(),
                        (
                            d.enabled.unwrap_or(true),
                            if p == "always_allow" {
                                String::new()
                            } else {
                                p
                            },
                        ),
                    );
                    if !configs.is_empty() {
                        kept.mcp_configs
                            .insert(mcp_server_name.clone(), configs.clone());
                    }
                }
                Tool::Known(KnownTool::Custom {
                    name,
                    description,
                    input_schema,
                }) => {
                    custom.push(CustomRow {
                        name: name.clone(),
                        description: description.clone(),
                        schema: serde_json::to_string_pretty(input_schema).unwrap_or_default(),
                    });
                }
                Tool::Other(v) => kept.other_tools.push(v.clone()),
            }
        }
        let mcp = c
            .mcp_servers
            .iter()
            .map(|s| {
                let (enabled, policy) = mcp_policy
                    .get(&s.name)
                    .cloned()
                    .unwrap_or((true, String::new()));
                McpRow {
                    name: s.name.clone(),
                    url: s.url.clone(),
                    enabled,
                    policy,
                }
            })
            .collect();
        let skills = c
            .skills
            .iter()
            .map(|s| SkillRow {
                kind: s.kind.as_str().to_string(),
                id: s.skill_id.to_string(),
                version: s
                    .version
                    .clone()
                    .filter(|v| v != "latest")
                    .unwrap_or_default(),
            })
            .collect();
        AgentFields {
            name: Field::new("name", c.name.clone()).checked(|v| validate::agent_name(v).map(drop)),
            description: Field::new("description", c.description.clone().unwrap_or_default()),
            model: Field::new("model", model),
            custom_model: Field::new("customModel", custom_model),
            effort: Field::new("effort", effort),
            speed: Field::new("speed", speed),
            system: Field::new("system", c.system.clone().unwrap_or_default()),
            toolset: Field::new("toolset", toolset),
            default_policy: Field::new("defaultPolicy", default_policy),
            tools: Field::new("tools", tools),
            mcp: Field::new("mcpServers", mcp).checked(|rows| {
                let pairs: Vec<(&str, &str)> = rows
                    .iter()
                    .map(|r| (r.name.as_str(), r.url.as_str()))
                    .collect();
                validate::mcp_servers(&pairs).map(drop)
            }),
            custom: Field::new("customTools", custom).checked(check_custom),
            skills: Field::new("skills", skills),
            metadata: Field::new(
                "metadata",
                c.metadata
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            )
            .checked(|rows| validate::metadata(rows).map(drop)),
            kept: Field::new("kept", kept),
        }
    }

    /// The model id the form names.
    pub fn model_id(&self) -> String {
        if self.model.value() == CUSTOM_MODEL {
            self.custom_model.value().trim().to_string()
        } else {
            self.model.value().clone()
        }
    }

    /// The configuration the form describes: what is sent, what the raw view shows.
    pub fn config(&self) -> AgentCreate {
        let id = self.model_id();
        let known = known_model(&id);
        let effort = (known.is_none_or(|m| m.effort) && !self.effort.value().is_empty())
            .then(|| Effort::Level(EffortLevel::from(self.effort.value().as_str())));
        let speed = (known.is_none_or(|m| m.fast) && !self.speed.value().is_empty())
            .then(|| Speed::from(self.speed.value().as_str()));
        let kept = self.kept.value();
        let model = ModelSpec::Config(ModelConfig {
            id,
            effort,
            speed,
            extra: kept.model_extra.clone(),
        });
        let mut tools = Vec::new();
        if *self.toolset.value() {
            let default_policy = self.default_policy.value();
            let configs = self
                .tools
                .value()
                .iter()
                .filter_map(|row| {
                    let extra = kept.tool_extras.get(&row.name).cloned().unwrap_or_default();
                    let default_on = kept.toolset_enabled_default.unwrap_or(true);
                    let changed =
                        row.enabled != default_on || !row.policy.is_empty() || !extra.is_empty();
                    changed.then(|| ToolConfig {
                        name: row.name.clone(),
                        enabled: (row.enabled != default_on).then_some(row.enabled),
                        permission_policy: policy_of(&row.policy),
                        extra,
                    })
                })
                .collect();
            let default_config = (default_policy != "always_allow"
                || kept.toolset_enabled_default.is_some())
            .then(|| ToolDefaults {
                enabled: kept.toolset_enabled_default,
                permission_policy: policy_of(default_policy),
            });
            tools.push(Tool::Known(KnownTool::Toolset {
                default_config,
                configs,
            }));
        }
        let mut mcp_servers = Vec::new();
        for row in self.mcp.value() {
            if row.name.trim().is_empty() && row.url.trim().is_empty() {
                continue;
            }
            let name = row.name.trim().to_string();
            mcp_servers.push(McpServer::url(name.clone(), row.url.trim()));
            let default_config = (!row.enabled || !row.policy.is_empty()).then(|| ToolDefaults {
                enabled: (!row.enabled).then_some(false),
                permission_policy: policy_of(&row.policy),
            });
            tools.push(Tool::Known(KnownTool::Mcp {
                configs: kept.mcp_configs.get(&name).cloned().unwrap_or_default(),
                mcp_server_name: name,
                default_config,
            }));
        }
        for row in self.custom.value() {
            if row.name.trim().is_empty()
                && row.description.trim().is_empty()
                && row.schema.trim().is_empty()
            {
                continue;
            }
            let input_schema =
                serde_json::from_str(&row.schema).unwrap_or(Value::String(row.schema.clone()));
            tools.push(Tool::Known(KnownTool::Custom {
                name: row.name.trim().to_string(),
                description: row.description.clone(),
                input_schema,
            }));
        }
        tools.extend(kept.other_tools.iter().cloned().map(Tool::Other));
        let skills = self
            .skills
            .value()
            .iter()
            .filter(|s| !s.id.trim().is_empty())
            .map(|s| SkillRef {
                kind: SkillKind::from(s.kind.as_str()),
                skill_id: s.id.trim().into(),
                version: Some(s.version.trim().to_string()).filter(|v| !v.is_empty()),
            })
            .collect();
        let metadata = self
            .metadata
            .value()
            .iter()
            .filter(|(k, v)| !(k.trim().is_empty() && v.trim().is_empty()))
            .map(|(k, v)| (k.trim().to_string(), v.clone()))
            .collect();
        let text = |f: &Field<String>| Some(f.value().clone()).filter(|t| !t.trim().is_empty());
        AgentCreate {
            name: self.name.value().trim().to_string(),
            model,
            description: text(&self.description),
            system: text(&self.system),
            tools,
            mcp_servers,
            skills,
            metadata,
            multiagent: kept.multiagent.clone(),
            execution_identity: kept.execution_identity.clone(),
        }
    }

    /// Takes every value from `config` as if typed (the raw view's edits, a template): the
    /// starting point stays, so the form knows what changed.
    pub fn apply(&mut self, config: &AgentCreate) {
        let fresh = AgentFields::from_config(config);
        self.name.set(fresh.name.value().clone());
        self.description.set(fresh.description.value().clone());
        self.model.set(fresh.model.value().clone());
        self.custom_model.set(fresh.custom_model.value().clone());
        self.effort.set(fresh.effort.value().clone());
        self.speed.set(fresh.speed.value().clone());
        self.system.set(fresh.system.value().clone());
        self.toolset.set(*fresh.toolset.value());
        self.default_policy
            .set(fresh.default_policy.value().clone());
        self.tools.set(fresh.tools.value().clone());
        self.mcp.set(fresh.mcp.value().clone());
        self.custom.set(fresh.custom.value().clone());
        self.skills.set(fresh.skills.value().clone());
        self.metadata.set(fresh.metadata.value().clone());
        self.kept.set(fresh.kept.value().clone());
    }
}

#[allow(
    clippy::ptr_arg,
    reason = "a field check takes the field's own type, Vec<CustomRow>"
)]
fn check_custom(rows: &Vec<CustomRow>) -> Result<(), String> {
    let mut names: Vec<&str> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if row.name.trim().is_empty()
            && row.description.trim().is_empty()
            && row.schema.trim().is_empty()
        {
            continue;
        }
        let n = i + 1;
        validate::custom_tool_name(&row.name).map_err(|e| format!("Tool {n}: {e}"))?;
        hangar_types::input_schema(&row.schema)
            .map_err(|e| format!("Tool {n}, input schema: {e}"))?;
        if names.contains(&row.name.trim()) {
            return Err(format!(
                "Tool {n}: another tool is already called “{}”.",
                row.name.trim()
            ));
        }
        names.push(row.name.trim());
    }
    Ok(())
}

/// The checks that span fields (the model, the MCP servers and their toolsets, the tool count):
/// the whole configuration's problems, each on the field it is shown next to.
pub fn rules(f: &AgentFields) -> Vec<(&'static str, String)> {
    let custom = f.model.value() == CUSTOM_MODEL;
    agent_problems(&f.config())
        .into_iter()
        .filter_map(|(field, message)| {
            let at: &'static str = match field.as_str() {
                "model" if custom => "customModel",
                "model" => "model",
                "mcpServers" => "mcpServers",
                "tools" => "tools",
                "skills" => "skills",
                // Shown by the fields' own checks already.
                _ => return None,
            };
            Some((at, message))
        })
        .collect()
}

/// A new form over `fields`, with the cross-field rules.
pub fn form(fields: AgentFields) -> Form<AgentFields> {
    Form::new(fields).with_rules(rules)
}

/// The DOM id of each field's input (to focus the first invalid one).
pub fn input_id(field: &str) -> &'static str {
    match field {
        "description" => "agent-description",
        "model" => "agent-model",
        "customModel" => "agent-custom-model",
        "system" => "agent-system",
        "mcpServers" => "agent-mcp",
        "customTools" => "agent-custom",
        "skills" => "agent-skills",
        "metadata" => "agent-metadata-key-0",
        "tools" | "toolset" => "agent-toolset",
        _ => "agent-name",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn config(v: Value) -> AgentCreate {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn an_agent_round_trips_through_the_form() {
        let c = config(json!({"name": "Support agent", "description": "d",
            "model": {"id": "claude-opus-5-5", "effort": "high", "inference_geo": "us"},
            "system": "Be kind.",
            "tools": [
                {"type": "agent_toolset_20260401", "default_config": {"permission_policy": {"type": "always_ask"}},
                 "configs": [{"name": "bash", "permission_policy": {"type": "auto"}}, {"name": "web_search", "enabled": false, "allowed_domains": ["example.com"]}]},
                {"type": "mcp_toolset", "mcp_server_name": "github", "default_config": {"permission_policy": {"type": "always_ask"}}},
                {"type": "custom", "name": "lookup_order", "description": "Look up", "input_schema": {"type": "object"}},
                {"type": "future_tool", "x": 1}],
            "mcp_servers": [{"type": "url", "name": "github", "url": "https://api.githubcopilot.com/mcp/"}],
            "skills": [{"type": "anthropic", "skill_id": "xlsx"}],
            "metadata": {"team": "support"},
            "multiagent": {"type": "coordinator", "agents": [{"type": "self"}]}}));
        let f = AgentFields::from_config(&c);
        assert_eq!(f.model.value(), "claude-opus-5-5");
        assert_eq!(f.effort.value(), "high");
        assert_eq!(f.default_policy.value(), "always_ask");
        let bash = f.tools.value().iter().find(|t| t.name == "bash").unwrap();
        assert_eq!(bash.policy, "auto");
        assert!(
            !f.tools
                .value()
                .iter()
                .find(|t| t.name == "web_search")
                .unwrap()
                .enabled
        );
        assert_eq!(f.mcp.value()[0].policy, "always_ask");
        let back = f.config();
        let again = AgentFields::from_config(&back).config();
        assert_eq!(again, back, "stable");
        let v = serde_json::to_value(&back).unwrap();
        assert_eq!(
            v["model"],
            json!({"id": "claude-opus-5-5", "effort": "high", "inference_geo": "us"})
        );
        assert_eq!(
            v["tools"][0]["configs"][1]["allowed_domains"],
            json!(["example.com"]),
            "extras kept"
        );
        assert_eq!(
            v["tools"][3],
            json!({"type": "future_tool", "x": 1}),
            "unknown tools kept"
        );
        assert_eq!(v["multiagent"]["type"], "coordinator");
        assert_eq!(
            v["skills"],
            json!([{"type": "anthropic", "skill_id": "xlsx"}])
        );
    }

    #[test]
    fn custom_models_and_inline_checks() {
        let mut form = form(AgentFields::empty());
        form.edit(|f| {
            f.name.set("X".into());
            f.model.set(CUSTOM_MODEL.into());
            f.custom_model.set("my model".into());
        });
        assert_eq!(form.first_invalid(), Some("customModel"));
        form.edit(|f| f.custom_model.set("claude-future-9".into()));
        assert!(form.is_valid());
        assert_eq!(form.fields.config().model.id(), "claude-future-9");
        form.edit(|f| {
            f.custom.set(vec![CustomRow {
                name: "bad name".into(),
                description: String::new(),
                schema: "{".into(),
            }])
        });
        assert_eq!(form.first_invalid(), Some("customTools"));
        form.edit(|f| {
            f.custom.set(vec![CustomRow {
                name: "ok".into(),
                description: "d".into(),
                schema: "{\"type\":\"object\"}".into(),
            }])
        });
        assert!(form.is_valid());
        form.edit(|f| {
            f.mcp.set(vec![McpRow {
                name: "gh".into(),
                url: "https://x.example.com".into(),
                enabled: true,
                policy: String::new(),
            }])
        });
        assert!(form.is_valid(), "a server gets its toolset");
        assert_eq!(form.fields.config().tools.len(), 3);
    }

    #[test]
    fn an_empty_form_sends_a_plain_agent() {
        let mut f = AgentFields::empty();
        f.name.set("Plain".into());
        let v = serde_json::to_value(f.config()).unwrap();
        assert_eq!(
            v,
            json!({"name": "Plain", "model": {"id": "claude-opus-5-5"}, "tools": [{"type": "agent_toolset_20260401"}]})
        );
        let mut g = AgentFields::empty();
        g.apply(&f.config());
        assert_eq!(g.name.value(), "Plain");
        assert!(g.name.is_dirty());
    }
}
