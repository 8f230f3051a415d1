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

// Release (issue 13): updates. The backend owns the check, the question and the install.
commands! { RELEASE:
    /// The update preferences.
    UpdatePrefsGet = "update_prefs_get" (()) -> crate::UpdatePrefs;
    /// Changes the update preferences; answers what is now stored.
    UpdatePrefsSet = "update_prefs_set" (crate::UpdatePrefs) -> crate::UpdatePrefs;
    /// Checks the release feed now; an update found is offered in a native dialog (never
    /// installed without the user's yes).
    UpdateCheck = "update_check" (()) -> ();
}

// --- Sessions and the live chat (issue 11) -----------------------------------------------------

commands! { CHAT:
    /// One session for the chat's header: from the API when reachable, else the cache.
    SessionGet = "session_get" (crate::SessionIdInput) -> crate::SessionDetail;
    /// Stops the agent's turn (`user.interrupt`).
    SessionInterrupt = "session_interrupt" (crate::SessionInterruptInput) -> ();
    /// Answers a tool confirmation: allow, or deny with an optional reason.
    SessionConfirm = "session_confirm" (crate::SessionConfirmInput) -> ();
    /// Answers a custom tool call with a result or an error.
    SessionToolResult = "session_tool_result" (crate::SessionToolResultInput) -> ();
    /// Changes a session's title.
    SessionRename = "session_rename" (crate::SessionRenameInput) -> ();
    /// Archives a session (it stays readable, read-only).
    SessionArchive = "session_archive" (crate::SessionIdInput) -> ();
    /// Deletes a session (interrupting it first when it runs) and its cached transcript.
    SessionDelete = "session_delete" (crate::SessionIdInput) -> ();
    /// Opens an http(s)/mailto link from a transcript in the OS browser, after the person saw it.
    LinkOpen = "link_open" (crate::LinkOpenInput) -> ();
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

// --- Beyond the console: memory stores, schedules (issue 14) ----------------------------------

commands! { BEYOND:
    /// The memory stores, fresh from the API.
    MemoryStoreList = "memory_store_list" (crate::ListInput) -> Vec<crate::model::memory::MemoryStore>;
    /// Creates a memory store.
    MemoryStoreCreate = "memory_store_create" (crate::MemoryStoreCreateInput) -> crate::model::memory::MemoryStore;
    /// Renames (and re-describes) a memory store.
    MemoryStoreRename = "memory_store_rename" (crate::MemoryStoreRenameInput) -> crate::model::memory::MemoryStore;
    /// Archives a memory store (cannot be undone).
    MemoryStoreArchive = "memory_store_archive" (crate::MemoryStoreIdInput) -> crate::model::memory::MemoryStore;
    /// Deletes a memory store and everything in it.
    MemoryStoreDelete = "memory_store_delete" (crate::MemoryStoreIdInput) -> ();
    /// One folder of a store: memories and sub-folders, by path.
    MemoryList = "memory_list" (crate::MemoryListInput) -> Vec<crate::MemoryEntry>;
    /// One memory with its content.
    MemoryGet = "memory_get" (crate::MemoryIdInput) -> crate::model::memory::Memory;
    /// Writes a new memory (a taken path answers a conflict).
    MemoryCreate = "memory_create" (crate::MemoryCreateInput) -> crate::MemorySaveOutput;
    /// Saves content and/or moves a memory, only if it is unchanged since `baseSha256`.
    MemorySave = "memory_save" (crate::MemorySaveInput) -> crate::MemorySaveOutput;
    /// Deletes a memory, only if it is unchanged since `baseSha256`.
    MemoryDelete = "memory_delete" (crate::MemoryDeleteInput) -> crate::MemorySaveOutput;
    /// A memory's (or a store's) history, newest first, with content.
    MemoryVersions = "memory_versions" (crate::MemoryVersionsInput) -> crate::MemoryVersions;
    /// Redacts a version: its content and path are erased for good.
    MemoryVersionRedact = "memory_version_redact" (crate::MemoryVersionIdInput) -> crate::model::memory::MemoryVersion;
    /// The deployments, fresh from the API.
    DeploymentList = "deployment_list" (crate::ListInput) -> Vec<crate::model::deployments::Deployment>;
    /// One deployment with its runs.
    DeploymentGet = "deployment_get" (crate::DeploymentIdInput) -> crate::DeploymentGetOutput;
    /// Creates a deployment.
    DeploymentCreate = "deployment_create" (crate::DeploymentCreateInput) -> crate::model::deployments::Deployment;
    /// Pauses its schedule.
    DeploymentPause = "deployment_pause" (crate::DeploymentIdInput) -> crate::model::deployments::Deployment;
    /// Resumes its schedule.
    DeploymentResume = "deployment_resume" (crate::DeploymentIdInput) -> crate::model::deployments::Deployment;
    /// Runs it now.
    DeploymentRunNow = "deployment_run_now" (crate::DeploymentIdInput) -> crate::model::deployments::DeploymentRun;
    /// Archives it (deployments cannot be deleted).
    DeploymentArchive = "deployment_archive" (crate::DeploymentIdInput) -> crate::model::deployments::Deployment;
    /// Gives a session an outcome to reach (`user.define_outcome`).
    SessionDefineOutcome = "session_define_outcome" (crate::SessionOutcomeInput) -> ();
    /// Raises a session's spending cap (refusals in plain words on the `budget` field).
    SessionBudgetRaise = "session_budget_raise" (crate::SessionBudgetInput) -> ();
    /// Cost per day, per agent and per session over the cached sessions.
    UsageReport = "usage_report" (crate::UsageInput) -> crate::UsageReport;
    /// Writes the usage report as CSV to a file chosen in the OS save dialog.
    UsageExport = "usage_export" (crate::UsageInput) -> crate::SavedFile;
}

// --- History: sessions list, search, export/import, local data (issue 12) ------------------

commands! { HISTORY:
    /// The cached sessions, filtered (works offline), with the agents to filter by.
    HistorySessions = "history_sessions" (crate::HistoryListInput) -> crate::HistoryListOutput;
    /// Pins or unpins a session on this computer.
    SessionPin = "session_pin" (crate::SessionPinInput) -> ();
    /// Full-text search over every cached transcript of the profile.
    SearchQuery = "search_query" (crate::SearchInput) -> crate::SearchOutput;
    /// Writes one session as Markdown, HTML or JSON to a file chosen in the OS save dialog.
    SessionExport = "session_export" (crate::SessionExportInput) -> crate::SavedFile;
    /// Writes many sessions (or all) as JSON into one zip file, with progress.
    SessionExportMany = "session_export_many" (crate::SessionExportManyInput) -> crate::ArchiveOutput;
    /// Imports a JSON export or a zip of them chosen in the OS open dialog.
    SessionImport = "session_import" (()) -> crate::ImportOutput;
    /// Where the cache lives and how big it is.
    LocalDataInfo = "local_data_info" (()) -> crate::LocalDataInfo;
    /// Clears the active profile's cached sessions (they refill from the API).
    CacheClear = "cache_clear" (crate::CacheClearInput) -> u32;
    /// Writes every cached session of the profile to a backup file.
    BackupCreate = "backup_create" (()) -> crate::ArchiveOutput;
    /// Restores sessions from a backup file.
    BackupRestore = "backup_restore" (()) -> crate::ImportOutput;
    /// Which desktop notifications are on.
    NotifySettingsGet = "notify_settings_get" (()) -> crate::NotifySettings;
    /// Turns kinds of desktop notifications on or off.
    NotifySettingsSet = "notify_settings_set" (crate::NotifySettings) -> ();
}

impl crate::Streaming for SessionExportMany {
    type Message = crate::ArchiveProgress;
}

impl crate::Streaming for BackupCreate {
    type Message = crate::ArchiveProgress;
}

/// Every command name, group by group.
pub fn all() -> impl Iterator<Item = &'static str> {
    [
        APP, PROFILES, SESSIONS, SYNC, CONFIGURE, RELEASE, BEYOND, HISTORY, CHAT,
    ]
    .into_iter()
    .flatten()
    .copied()
}
