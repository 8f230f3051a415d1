//! Every global (broadcast) event, declared once: marker type = "name" -> payload.
//!
//! Live transcripts do not travel this way: they go to the one view that asked for them, over
//! the channel of `session_follow`.

use crate::ipc::events;

events! {
    /// The connection chip in the top bar.
    ConnectionChanged = "connection-changed" -> crate::ConnectionChanged;
    /// The app switched profile.
    ProfileChanged = "profile-changed" -> crate::ProfileSummary;
    /// Cached lists changed (a sync from the API, a live status change): views re-read them.
    CacheChanged = "cache-changed" -> crate::CacheChanged;
    /// Release (issue 13): the OS switched between light and dark.
    ThemeChanged = "theme-changed" -> crate::ThemeChanged;
    /// History (issue 12): the person clicked a desktop notification about a session.
    NotificationClicked = "notification-clicked" -> crate::NotificationClicked;
}
