//! Pieces shared by every page: the frame (sidebar, top bar, notices) and form inputs.

// Configure (issue 10).
pub mod configure;
pub mod fields;
pub mod notices;
pub mod sidebar;
pub mod topbar;
// Release (issue 13): Settings › Updates, the OS theme followed live.
pub mod updates;
// History (issue 12).
pub mod export;
pub mod outcome;
