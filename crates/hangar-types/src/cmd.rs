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

// --- Configure: agents, environments, vaults, skills, files (issue 10) -------------------------

commands! { CONFIGURE:
    /// The cached agents (works offline); the sync refreshes them while shown.
    AgentList = "agent_list" (crate::ListInput) -> Vec<crate::AgentListItem>;
    /// One agent (a version of it), from the API, else from the cache.
    AgentGet = "agent_get" (crate::AgentGetInput) -> crate::AgentGetOutput;
    /// Creates an agent (version 1).
    AgentCreate = "agent_create" (crate::AgentCreateInput) -> crate::model::agents::Agent;
    /// Saves a new version, refused with a `conflict` when the base version is stale.
    AgentUpdate = "agent_update" (crate::AgentUpdateInput) -> crate::model::agents::Agent;
    /// Every version of an agent, newest first.
    AgentVersions = "agent_versions" (crate::AgentIdInput) -> crate::AgentVersionsOutput;
    /// Archives an agent.
    AgentArchive = "agent_archive" (crate::AgentIdInput) -> crate::model::agents::Agent;
    /// Tries the older delete endpoint; when refused, says agents can only be archived.
    AgentDelete = "agent_delete" (crate::AgentIdInput) -> ();
    /// The cached sessions that used an agent.
    AgentSessions = "agent_sessions" (crate::AgentIdInput) -> Vec<crate::SessionListItem>;
    /// Writes an agent's configuration to a file chosen in the OS save dialog.
    AgentExport = "agent_export" (crate::AgentExportInput) -> crate::SavedFile;
    /// Reads an agent file chosen in the OS open dialog, to show before creating it.
    AgentImport = "agent_import" (crate::ImportInput) -> Option<crate::AgentImport>;
    /// The cached environments.
    EnvironmentList = "environment_list" (crate::ListInput) -> Vec<crate::EnvironmentListItem>;
    /// One environment, from the API, else from the cache.
    EnvironmentGet = "environment_get" (crate::EnvironmentIdInput) -> crate::EnvironmentGetOutput;
    /// Creates an environment.
    EnvironmentCreate = "environment_create" (crate::EnvironmentCreateInput) -> crate::model::environments::Environment;
    /// Saves an environment.
    EnvironmentUpdate = "environment_update" (crate::EnvironmentUpdateInput) -> crate::model::environments::Environment;
    /// Archives an environment.
    EnvironmentArchive = "environment_archive" (crate::EnvironmentIdInput) -> crate::model::environments::Environment;
    /// Deletes an environment.
    EnvironmentDelete = "environment_delete" (crate::EnvironmentIdInput) -> ();
    /// The cached vaults.
    VaultList = "vault_list" (crate::ListInput) -> Vec<crate::VaultListItem>;
    /// A vault and its credentials (never a secret), from the API, else from the cache.
    VaultGet = "vault_get" (crate::VaultIdInput) -> crate::VaultGetOutput;
    /// Creates a vault.
    VaultCreate = "vault_create" (crate::VaultCreateInput) -> crate::model::vaults::Vault;
    /// Renames a vault.
    VaultRename = "vault_rename" (crate::VaultRenameInput) -> crate::model::vaults::Vault;
    /// Archives a vault.
    VaultArchive = "vault_archive" (crate::VaultIdInput) -> crate::model::vaults::Vault;
    /// Deletes a vault and its credentials.
    VaultDelete = "vault_delete" (crate::VaultIdInput) -> ();
    /// Adds a credential: the secret goes to the API and is never stored, logged or returned.
    CredentialCreate = "credential_create" (crate::CredentialCreateInput) -> crate::model::vaults::Credential;
    /// Renames a credential or rotates its secret.
    CredentialUpdate = "credential_update" (crate::CredentialUpdateInput) -> crate::model::vaults::Credential;
    /// Archives a credential.
    CredentialArchive = "credential_archive" (crate::CredentialIdInput) -> crate::model::vaults::Credential;
    /// Deletes a credential.
    CredentialDelete = "credential_delete" (crate::CredentialIdInput) -> ();
    /// Checks an MCP OAuth credential against its server (`mcp_oauth_validate`).
    CredentialTest = "credential_test" (crate::CredentialIdInput) -> crate::CredentialTestOutput;
    /// The skills: cached, or fresh from the API.
    SkillList = "skill_list" (crate::FreshInput) -> Vec<crate::SkillListItem>;
    /// A skill's versions.
    SkillVersions = "skill_versions" (crate::SkillIdInput) -> Vec<crate::model::skills::SkillVersion>;
    /// Uploads a folder chosen in the OS dialog as a skill (or a new version), with progress.
    SkillUpload = "skill_upload" (crate::SkillUploadInput) -> crate::UploadOutput;
    /// Deletes a skill and its versions.
    SkillDelete = "skill_delete" (crate::SkillIdInput) -> ();
    /// The files: cached, or fresh from the API.
    FileList = "file_list" (crate::FreshInput) -> Vec<crate::FileListItem>;
    /// Uploads files chosen in the OS dialog, with progress.
    FileUpload = "file_upload" (crate::ImportInput) -> crate::UploadOutput;
    /// Downloads a file to a place chosen in the OS save dialog.
    FileDownload = "file_download" (crate::FileIdInput) -> crate::SavedFile;
    /// Deletes a file.
    FileDelete = "file_delete" (crate::FileIdInput) -> ();
}

impl crate::Streaming for SkillUpload {
    type Message = crate::UploadProgress;
}

impl crate::Streaming for FileUpload {
    type Message = crate::UploadProgress;
}

impl crate::Streaming for SessionFollow {
    type Message = crate::LiveMessage;
}

/// Every command name, group by group.
pub fn all() -> impl Iterator<Item = &'static str> {
    [APP, PROFILES, SESSIONS, SYNC, CONFIGURE]
        .into_iter()
        .flatten()
        .copied()
}
