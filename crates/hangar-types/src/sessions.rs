//! Sessions as lists show them, starting one, sending to one.

use serde::{Deserialize, Serialize};

use crate::model::common::Secret;
use crate::{AgentId, EnvironmentId, FileId, SessionId, VaultId};

/// Input of `session_start` (the New session dialog).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionStartInput {
    /// Agent id.
    pub agent_id: AgentId,
    /// A pinned version; the latest when absent.
    #[serde(default)]
    pub agent_version: Option<u64>,
    /// Environment id.
    pub environment_id: EnvironmentId,
    /// Vaults whose credentials the session may use.
    #[serde(default)]
    pub vault_ids: Vec<VaultId>,
    /// Optional title.
    pub title: Option<String>,
    /// The first message.
    pub message: String,
    /// A GitHub repository to check out.
    #[serde(default)]
    pub repository: Option<RepositoryInput>,
    /// Uploaded files to mount.
    #[serde(default)]
    pub files: Vec<FileMountInput>,
    /// A spending cap in cents (USD), when wanted.
    #[serde(default)]
    pub budget_cents: Option<String>,
    /// An outcome to reach, sent as `user.define_outcome` right after the first message.
    #[serde(default)]
    pub outcome: Option<OutcomeInput>,
}

/// "Define the outcome" (reference §6.1 `user.define_outcome`): what the finished work looks
/// like, how it is judged, and how many rounds of evaluation and revision it may take.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutcomeInput {
    /// What the finished work is.
    pub description: String,
    /// How it is judged (text; one point per line reads best).
    pub rubric: String,
    /// The most rounds, as typed (1 to 20); empty: the API's default (3).
    #[serde(default)]
    pub max_iterations: Option<String>,
    /// An uploaded file holding the rubric (`file_…`): sent instead of the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rubric_file: Option<FileId>,
}

impl OutcomeInput {
    /// Every problem, as `(field, message)`: `outcomeDescription`, `outcomeRubric`,
    /// `outcomeIterations`.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if self.description.trim().is_empty() {
            out.push((
                "outcomeDescription",
                "Description: say what the finished work looks like.".to_string(),
            ));
        }
        if self.rubric.trim().is_empty() && self.rubric_file.is_none() {
            out.push((
                "outcomeRubric",
                "Rubric: write how the result is judged, one point per line, or choose an uploaded file."
                    .to_string(),
            ));
        }
        if let Err(e) = self.iterations() {
            out.push(("outcomeIterations", format!("Maximum iterations: {e}")));
        }
        out
    }

    /// The iteration limit to send: `None` for the API's default.
    pub fn iterations(&self) -> crate::validate::Check<Option<u32>> {
        match self.max_iterations.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(raw) => crate::validate::outcome_iterations(raw).map(Some),
        }
    }
}

/// A GitHub repository for a new session. The token goes to the API (and to the keychain only
/// when `remember_token`), never into the cache, the log or a reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RepositoryInput {
    /// `https://github.com/owner/repository`.
    pub url: String,
    /// Needed for private repositories.
    #[serde(default)]
    pub token: Option<Secret>,
    /// Remember the token in the OS keychain for this repository.
    #[serde(default)]
    pub remember_token: bool,
    /// A branch to check out (or a commit).
    #[serde(default)]
    pub branch: Option<String>,
    /// A commit to check out (instead of a branch).
    #[serde(default)]
    pub commit: Option<String>,
    /// Where to mount it (default `/workspace/<repository>`).
    #[serde(default)]
    pub mount_path: Option<String>,
}

/// An uploaded file to mount in a new session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileMountInput {
    /// `file_…`
    pub file_id: FileId,
    /// Where (default `/mnt/session/uploads/<file_id>`).
    #[serde(default)]
    pub mount_path: Option<String>,
}

impl SessionStartInput {
    /// Every problem with the input, as `(field, message)`, checked by the dialog and again by
    /// the backend before anything is sent.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        use crate::validate;
        let mut out = Vec::new();
        if self.agent_id.as_str().trim().is_empty() {
            out.push(("agent", "Agent: choose the agent to run.".to_string()));
        }
        if self.environment_id.as_str().trim().is_empty() {
            out.push((
                "environment",
                "Environment: choose where the agent runs.".to_string(),
            ));
        }
        if self.message.trim().is_empty() {
            out.push(("message", "Message: write what the agent should do.".into()));
        }
        if let Some(repo) = &self.repository {
            if let Err(e) = validate::repository_url(&repo.url) {
                out.push(("repositoryUrl", e));
            }
            let branch = repo.branch.as_deref().unwrap_or("").trim();
            let commit = repo.commit.as_deref().unwrap_or("").trim();
            if !branch.is_empty() && !commit.is_empty() {
                out.push((
                    "repositoryBranch",
                    "Choose a branch or a commit, not both.".into(),
                ));
            } else if !branch.is_empty() {
                if let Err(e) = validate::branch_name(branch) {
                    out.push(("repositoryBranch", e));
                }
            } else if !commit.is_empty() {
                if let Err(e) = validate::commit_sha(commit) {
                    out.push(("repositoryCommit", e));
                }
            }
            if let Some(path) = repo.mount_path.as_deref().filter(|p| !p.trim().is_empty()) {
                if !path.starts_with('/') {
                    out.push(("repositoryMount", "A mount path starts with /.".into()));
                }
            }
        }
        for file in &self.files {
            if let Some(path) = file.mount_path.as_deref().filter(|p| !p.trim().is_empty()) {
                if !path.starts_with('/') {
                    out.push(("files", "A mount path starts with /.".into()));
                }
            }
        }
        if let Some(amount) = &self.budget_cents {
            if let Err(e) = validate::budget_amount(amount) {
                out.push(("budget", e));
            }
        }
        if let Some(outcome) = &self.outcome {
            out.extend(outcome.problems());
        }
        out
    }
}

/// Input of `session_define_outcome`: an outcome for a session already running.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionOutcomeInput {
    /// The session.
    pub session_id: SessionId,
    /// The outcome.
    pub outcome: OutcomeInput,
}

/// A session as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionSummary {
    /// `sesn_…`
    pub id: SessionId,
    /// Title.
    pub title: Option<String>,
    /// idle / running / …
    pub status: String,
}

/// One row of the session list (from the local cache: works offline).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionListItem {
    /// `sesn_…`
    pub id: SessionId,
    /// Title, if any.
    pub title: Option<String>,
    /// idle / running / rescheduling / terminated.
    pub status: String,
    /// The agent's name.
    pub agent_name: String,
    /// The agent version it runs.
    pub agent_version: i64,
    /// RFC 3339.
    pub created_at: String,
    /// Archived?
    pub archived: bool,
    /// Tokens in + out so far.
    pub tokens: i64,
}

/// Input of `session_send`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionSendInput {
    /// The session.
    pub session_id: SessionId,
    /// The message text.
    pub text: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(description: &str, rubric: &str, max: Option<&str>) -> OutcomeInput {
        OutcomeInput {
            description: description.into(),
            rubric: rubric.into(),
            max_iterations: max.map(str::to_string),
            rubric_file: None,
        }
    }

    #[test]
    fn a_rubric_file_stands_in_for_the_text() {
        let mut o = outcome("A CSV of open orders", "", None);
        assert_eq!(
            o.problems().into_iter().map(|(f, _)| f).collect::<Vec<_>>(),
            ["outcomeRubric"]
        );
        o.rubric_file = Some("file_rubric".into());
        assert!(o.problems().is_empty(), "{:?}", o.problems());
    }

    #[test]
    fn outcomes_need_a_description_a_rubric_and_a_sane_limit() {
        let ok = outcome(
            "A CSV of open orders",
            "Header row\nOne row per order",
            None,
        );
        assert!(ok.problems().is_empty());
        assert_eq!(ok.iterations(), Ok(None));
        assert_eq!(
            outcome("x", "y", Some(" 5 ")).iterations(),
            Ok(Some(5)),
            "trimmed"
        );
        assert_eq!(outcome("x", "y", Some("")).iterations(), Ok(None));
        let fields = |o: OutcomeInput| o.problems().into_iter().map(|(f, _)| f).collect::<Vec<_>>();
        assert_eq!(
            fields(outcome(" ", "", Some("21"))),
            ["outcomeDescription", "outcomeRubric", "outcomeIterations"]
        );
        for bad in ["0", "-1", "three", "2.5"] {
            let problems = outcome("x", "y", Some(bad)).problems();
            assert_eq!(problems.len(), 1, "{bad}");
            assert!(problems[0].1.contains("1 to 20"), "{}", problems[0].1);
        }
    }

    #[test]
    fn outcomes_read_from_older_inputs_as_none() {
        let input: SessionStartInput = serde_json::from_value(serde_json::json!({
            "agentId": "agent_1", "environmentId": "env_1", "title": null, "message": "hi"
        }))
        .unwrap();
        assert_eq!(input.outcome, None);
        assert!(input.problems().is_empty());
        let with = SessionStartInput {
            outcome: Some(outcome("", "rubric", None)),
            ..input
        };
        assert_eq!(with.problems()[0].0, "outcomeDescription");
    }
}
