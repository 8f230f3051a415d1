//! Release (issue 13): update preferences and the OS theme.

use serde::{Deserialize, Serialize};

/// How Hangar updates itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdatePrefs {
    /// Check the release feed when Hangar starts (an update is never installed without asking).
    pub check_on_start: bool,
}

impl Default for UpdatePrefs {
    fn default() -> Self {
        UpdatePrefs {
            check_on_start: true,
        }
    }
}

/// The OS switched between light and dark (sent while the app runs; at start the webview's
/// `prefers-color-scheme` already matches).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ThemeChanged {
    /// True for a dark theme.
    pub dark: bool,
}
