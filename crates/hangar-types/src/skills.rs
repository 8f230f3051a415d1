//! Skills and uploads as the screens use them.

use serde::{Deserialize, Serialize};

use crate::SkillId;

/// Input of the lists that can be refreshed from the API on demand (skills, files).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FreshInput {
    /// Ask the API (and refresh the cache); false reads the cache only.
    #[serde(default)]
    pub fresh: bool,
}

/// One row of the skills list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SkillListItem {
    /// `skill_…`
    pub id: SkillId,
    /// Its name.
    pub display_name: String,
    /// `custom`, `anthropic`, …
    pub source: String,
    /// The newest version's id.
    pub latest_version: Option<String>,
    /// RFC 3339.
    pub updated_at: Option<String>,
}

/// `{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SkillIdInput {
    /// The skill.
    pub id: SkillId,
}

/// Input of `skill_upload`: a folder chosen in the OS dialog becomes a new skill, or a new
/// version of `skill_id`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SkillUploadInput {
    /// Upload a new version of this skill instead of a new skill.
    #[serde(default)]
    pub skill_id: Option<SkillId>,
    /// The new skill's name (default: the one in `SKILL.md`).
    #[serde(default)]
    pub display_name: Option<String>,
}

/// What an upload did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadOutput {
    /// The person closed the dialog without choosing.
    pub cancelled: bool,
    /// What was created (names), for the confirmation.
    pub created: Vec<String>,
}

/// Where an upload is, sent on its channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum UploadProgress {
    /// Reading from disk.
    Reading {
        /// The file (or folder).
        name: String,
        /// Bytes read so far.
        done: u64,
        /// Bytes in all.
        total: u64,
    },
    /// Sending to the API.
    Sending {
        /// The file (or folder).
        name: String,
        /// Bytes being sent.
        total: u64,
    },
    /// Uploaded.
    Done {
        /// The file (or folder).
        name: String,
    },
}

impl UploadProgress {
    /// The bar's fill, 0–100, and its words.
    pub fn describe(&self) -> (u8, String) {
        match self {
            UploadProgress::Reading { name, done, total } => {
                let pct = if *total == 0 {
                    0
                } else {
                    (done * 50 / total) as u8
                };
                (
                    pct,
                    format!("Reading {name}: {} of {}", bytes(*done), bytes(*total)),
                )
            }
            UploadProgress::Sending { name, total } => {
                (60, format!("Uploading {name} ({})…", bytes(*total)))
            }
            UploadProgress::Done { name } => (100, format!("Uploaded {name}.")),
        }
    }
}

/// A size for people: `512 bytes`, `3.4 KB`, `12.0 MB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if n < 1000 {
        return format!("{n} bytes");
    }
    let mut value = n as f64 / 1000.0;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_progress_read_plainly() {
        assert_eq!(bytes(12), "12 bytes");
        assert_eq!(bytes(3_400), "3.4 KB");
        assert_eq!(bytes(12_000_000), "12.0 MB");
        let p = UploadProgress::Reading {
            name: "a.csv".into(),
            done: 500,
            total: 1000,
        };
        assert_eq!(p.describe().0, 25);
        assert_eq!(UploadProgress::Done { name: "a".into() }.describe().0, 100);
        assert_eq!(
            serde_json::to_value(&p).unwrap(),
            serde_json::json!({"stage": "reading", "name": "a.csv", "done": 500, "total": 1000})
        );
    }
}
