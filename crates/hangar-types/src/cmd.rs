//! Every command the backend exposes, declared once: marker type = "name" (input) -> output.
//!
//! One group per resource; [`all`] lists every name for `build.rs`, the capability check and
//! the handler check. Use a marker as `ipc::invoke::<cmd::SessionList>(&())`.

use crate::ipc::commands;

commands! { APP:
    /// Version, data directory, active profile and connection state.
    AppInfo = "app_info" (()) -> crate::AppInfo;
    /// Reports a failure the UI caught (a panic, an undecodable payload) to the log.
    AppReport = "app_report" (crate::UiReport) -> ();
}

commands! { PROFILES:
    /// Every profile, Demo first.
    ProfileList = "profile_list" (()) -> Vec<crate::ProfileSummary>;
    /// Adds or changes a profile (and its key, checked against the API).
    ProfileSave = "profile_save" (crate::ProfileInput) -> crate::ProfileSaveOutput;
    /// Switches the whole app to a profile.
    ProfileSelect = "profile_select" (crate::ProfileIdInput) -> crate::ProfileSummary;
    /// Removes a profile, its key and its cache.
    ProfileRemove = "profile_remove" (crate::ProfileIdInput) -> ();
    /// Forgets a profile's key (the profile stays).
    ProfileForgetKey = "profile_forget_key" (crate::ProfileIdInput) -> ();
}

commands! { SESSIONS:
    /// The active profile's cached sessions, newest first (works offline).
    SessionList = "session_list" (()) -> Vec<crate::SessionListItem>;
    /// Starts a session with a first message and follows it.
    SessionStart = "session_start" (crate::SessionStartInput) -> crate::SessionSummary;
    /// Sends a message to a session.
    SessionSend = "session_send" (crate::SessionSendInput) -> ();
    /// Streams a session's new events (already cached), previews and tail state to the
    /// caller's channel; see [`crate::LiveMessage`].
    SessionFollow = "session_follow" (crate::SessionFollowInput) -> crate::SessionFollowOutput;
    /// Stops streaming to a channel opened by `session_follow`.
    SessionUnfollow = "session_unfollow" (crate::SessionUnfollowInput) -> ();
    /// A page of a cached transcript.
    TranscriptPage = "transcript_page" (crate::TranscriptInput) -> crate::TranscriptOutput;
}

commands! { SYNC:
    /// The lists on screen now: they refresh from the API every few seconds while shown (and
    /// every two minutes otherwise).
    SyncWatch = "sync_watch" (crate::SyncWatchInput) -> ();
}

impl crate::Streaming for SessionFollow {
    type Message = crate::LiveMessage;
}

/// Every command name, group by group.
pub fn all() -> impl Iterator<Item = &'static str> {
    [APP, PROFILES, SESSIONS, SYNC]
        .into_iter()
        .flatten()
        .copied()
}
