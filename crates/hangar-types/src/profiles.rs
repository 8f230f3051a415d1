//! Profiles: a name, an API base URL and a key that only the backend ever reads.

use serde::{Deserialize, Serialize};

/// A profile as the UI sees it: never the key itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileSummary {
    /// Stable id (`demo` for the built-in Demo profile).
    pub id: String,
    /// The name the user gave it.
    pub name: String,
    /// True for the built-in Demo profile, which runs a simulated API and needs no key.
    pub is_demo: bool,
    /// The API's base URL.
    #[serde(default)]
    pub base_url: String,
    /// The last four characters of the stored key ("…abcd"), when a key is stored.
    #[serde(default)]
    pub key_hint: Option<String>,
    /// Why the key could not be read (for example no keychain), when that happened.
    #[serde(default)]
    pub key_problem: Option<String>,
}

/// Input of `profile_save`. The key travels only this way: from the UI into the backend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileInput {
    /// `None` to create a profile.
    pub id: Option<String>,
    /// Display name.
    pub name: String,
    /// Base URL (`https://api.anthropic.com` by default).
    pub base_url: String,
    /// A new key; `None` keeps the stored one.
    pub api_key: Option<String>,
}

/// What checking a key against the API found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum KeyCheck {
    /// The API accepted it.
    Accepted,
    /// The API rejected it (401/403); it was not kept.
    Rejected {
        /// The API's own message.
        message: String,
    },
    /// The API could not be reached; the key was kept, the user may discard it.
    Unreachable {
        /// What went wrong.
        message: String,
    },
    /// No key was given; nothing to check.
    NotChecked,
}

/// Output of `profile_save`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileSaveOutput {
    /// The profile as saved.
    pub profile: ProfileSummary,
    /// The key check.
    pub check: KeyCheck,
}

/// `{id}`: the input of the profile commands that name one profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileIdInput {
    /// The profile.
    pub id: String,
}
