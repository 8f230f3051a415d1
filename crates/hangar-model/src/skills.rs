//! Skills and their versions (reference §5.9). Uploads are multipart; only answers are JSON.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::ids::{SkillId, SkillVersionId};

/// A skill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Skill {
    /// `skill_…` (or an Anthropic skill id such as `xlsx`).
    pub id: SkillId,
    /// Its name.
    pub display_name: String,
    /// Newest version.
    #[serde(default)]
    pub latest_version_id: Option<SkillVersionId>,
    /// Who made it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SkillSource>,
    /// RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Every other field (`type`, newer fields).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `source` of a skill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SkillSource {
    /// Uploaded by the organization.
    Custom,
    /// Made by Anthropic.
    Anthropic,
    /// An Anthropic example skill.
    AnthropicExample,
    /// From a plugin.
    Plugin,
    /// A source this version does not know.
    #[serde(untagged)]
    Other(Value),
}

/// One version of a skill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkillVersion {
    /// The version id.
    pub id: SkillVersionId,
    /// Its skill.
    pub skill_id: SkillId,
    /// The kebab-case name from `SKILL.md`.
    #[serde(default)]
    pub name: String,
    /// The description from `SKILL.md`.
    #[serde(default)]
    pub description: String,
    /// RFC 3339.
    pub created_at: String,
    /// Every other field (`type`, newer fields).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
