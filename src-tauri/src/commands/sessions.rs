//! `session_*`, `transcript_*` and `sync_*` commands: start a session, follow it live (SSE →
//! cache → the view's channel), send messages, read the cached transcript, say which lists are on
//! screen.

use hangar_api::events::EventParams;
use hangar_api::sessions::{AgentRef, SessionCreate};
use hangar_store::Anchor;
use hangar_types::{
    cmd, CacheArea, LiveMessage, SessionFollowOutput, SessionListItem, SessionSummary, TailStatus,
    TranscriptAnchor, TranscriptOutput,
};
use tauri::ipc::Channel;

use super::{Input, Reply, Shared};
use crate::error::ShellError;
use crate::live::{ensure_tail, follow, stored_event, Linger, TailKey};

/// Starts a session from the New session dialog (agent and version, environment, vaults,
/// repository, files, budget, title, first message) and follows it.
#[tauri::command]
pub async fn session_start(
    state: Shared<'_>,
    input: Input<cmd::SessionStart>,
) -> Reply<cmd::SessionStart> {
    if let Some((field, message)) = input.problems().into_iter().next() {
        return Err(ShellError::invalid(field, message));
    }
    let (profile, client) = state.client().await?;
    let body = create_body(&state, &profile.id, &input).await?;
    let session = client.sessions().create(&body).await?;
    let raw = serde_json::to_string(&session)
        .map_err(|e| ShellError::kind(hangar_types::ErrorKind::Internal, e.to_string()))?;
    let profile_id = profile.id.clone();
    state
        .write(move |s| s.upsert_session(&profile_id, &raw))
        .await?;
    state.cache_changed(&profile.id, vec![CacheArea::Sessions]);
    // Attach first, then prompt: nothing the agent says can fall before the stream.
    ensure_tail(
        &state,
        TailKey::new(profile.id.clone(), session.id.clone()),
        client.clone(),
        Linger::ACTIVE,
    );
    // The outcome follows the first message in the same request: processed in order (§6.1).
    let mut events = vec![EventParams::message(input.message.clone())];
    if let Some(outcome) = &input.outcome {
        events.push(define_outcome(outcome)?);
    }
    client.sessions().send_events(&session.id, &events).await?;
    tracing::info!("session {} started", session.id);
    Ok(SessionSummary {
        id: session.id,
        title: session.title,
        status: session.status.to_string(),
    })
}

/// The keychain entry of a remembered repository token.
fn repository_key(profile: &str, url: &str) -> String {
    format!(
        "{profile}/github/{}",
        url.trim_end_matches('/').to_ascii_lowercase()
    )
}

/// The API's create body for the dialog's input. A repository token is registered with the
/// log's redaction, remembered in the keychain only when asked, and taken from there when the
/// field was left empty.
async fn create_body(
    state: &std::sync::Arc<crate::state::AppState>,
    profile: &str,
    input: &hangar_types::SessionStartInput,
) -> Result<SessionCreate, ShellError> {
    use hangar_api::sessions::{Checkout, ResourceParams};
    use hangar_types::model::common::{Budget, Money, Secret};
    let agent = match input.agent_version {
        Some(version) => AgentRef::pinned(input.agent_id.clone(), version),
        None => AgentRef::Latest(input.agent_id.clone()),
    };
    let mut body = SessionCreate::new(agent, input.environment_id.clone());
    body.title = input
        .title
        .as_ref()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    body.vault_ids = input.vault_ids.clone();
    if let Some(repo) = &input.repository {
        let url = hangar_types::validate::repository_url(&repo.url)
            .map_err(|e| ShellError::invalid("repositoryUrl", e))?;
        let key = repository_key(profile, &url);
        let typed = repo
            .token
            .as_ref()
            .map(|t| t.expose().trim().to_string())
            .filter(|t| !t.is_empty());
        let token = match typed {
            Some(token) => {
                crate::log::protect(&token);
                if repo.remember_token {
                    let (keys, key, token) = (state.keys.clone(), key.clone(), token.clone());
                    tokio::task::spawn_blocking(move || keys.set(&key, &token)).await??;
                }
                Some(token)
            }
            None => {
                let keys = state.keys.clone();
                let remembered = tokio::task::spawn_blocking(move || keys.get(&key)).await??;
                if let Some(token) = &remembered {
                    crate::log::protect(token);
                }
                remembered
            }
        };
        let branch = repo
            .branch
            .as_deref()
            .map(str::trim)
            .filter(|b| !b.is_empty());
        let commit = repo
            .commit
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        let checkout = match (branch, commit) {
            (Some(name), _) => Some(Checkout::Branch { name: name.into() }),
            (None, Some(sha)) => Some(Checkout::Commit {
                sha: sha.to_ascii_lowercase(),
            }),
            (None, None) => None,
        };
        body.resources.push(ResourceParams::GithubRepository {
            url,
            authorization_token: token.map(Secret::new),
            checkout,
            mount_path: repo
                .mount_path
                .as_deref()
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_string),
        });
    }
    for file in &input.files {
        body.resources.push(ResourceParams::File {
            file_id: file.file_id.clone(),
            mount_path: file
                .mount_path
                .as_deref()
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_string),
        });
    }
    if let Some(cents) = &input.budget_cents {
        body.budget = Some(Budget::Limit {
            max_list_cost: Money::new(cents.trim(), "USD"),
        });
    }
    Ok(body)
}

/// Sends a message (never retried automatically: a retry could send it twice).
#[tauri::command]
pub async fn session_send(
    state: Shared<'_>,
    input: Input<cmd::SessionSend>,
) -> Reply<cmd::SessionSend> {
    if input.text.trim().is_empty() {
        return Err(ShellError::invalid("text", "Message: it is empty."));
    }
    let (profile, client) = state.client().await?;
    ensure_tail(
        &state,
        TailKey::new(profile.id, input.session_id.clone()),
        client.clone(),
        Linger::ACTIVE,
    );
    client
        .sessions()
        .send_events(&input.session_id, &[EventParams::message(input.text)])
        .await?;
    Ok(())
}

/// `user.define_outcome` for the dialog's or the composer's outcome (reference §6.1: a text
/// rubric; no `max_iterations` means the API's default).
fn define_outcome(outcome: &hangar_types::OutcomeInput) -> Result<EventParams, ShellError> {
    if let Some((field, message)) = outcome.problems().into_iter().next() {
        return Err(ShellError::invalid(field, message));
    }
    let max_iterations = outcome
        .iterations()
        .map_err(|e| ShellError::invalid("outcomeIterations", e))?;
    // A chosen file is the rubric; else the text is.
    let rubric = match &outcome.rubric_file {
        Some(file_id) => hangar_api::events::Rubric::File {
            file_id: file_id.clone(),
        },
        None => hangar_api::events::Rubric::Text {
            content: outcome.rubric.trim().to_string(),
        },
    };
    Ok(EventParams::UserDefineOutcome {
        description: outcome.description.trim().to_string(),
        rubric,
        max_iterations,
    })
}

/// Gives a session an outcome to reach (never retried automatically, as every send).
#[tauri::command]
pub async fn session_define_outcome(
    state: Shared<'_>,
    input: Input<cmd::SessionDefineOutcome>,
) -> Reply<cmd::SessionDefineOutcome> {
    let event = define_outcome(&input.outcome)?;
    let (profile, client) = state.client().await?;
    ensure_tail(
        &state,
        TailKey::new(profile.id, input.session_id.clone()),
        client.clone(),
        Linger::ACTIVE,
    );
    client
        .sessions()
        .send_events(&input.session_id, &[event])
        .await?;
    tracing::info!("session {}: outcome defined", input.session_id);
    Ok(())
}

/// Raises a session's spending cap. The API's refusals (a cap not above what was spent, a
/// session started without one) come back in plain words on the `budget` field.
#[tauri::command]
pub async fn session_budget_raise(
    state: Shared<'_>,
    input: Input<cmd::SessionBudgetRaise>,
) -> Reply<cmd::SessionBudgetRaise> {
    use hangar_api::sessions::SessionUpdate;
    use hangar_types::model::common::{Budget, Patch};
    let cents = hangar_types::validate::budget_amount(&input.cents)
        .map_err(|e| ShellError::invalid("budget", e))?;
    let (profile, client) = state.client().await?;
    let body = SessionUpdate {
        budget: Patch::Set(Budget::limit(cents, "USD")),
        ..SessionUpdate::default()
    };
    let session = match client.sessions().update(&input.session_id, &body).await {
        Ok(session) => session,
        Err(e) => return Err(budget_refusal(e)),
    };
    let raw = serde_json::to_string(&session)
        .map_err(|e| ShellError::kind(hangar_types::ErrorKind::Internal, e.to_string()))?;
    let profile_id = profile.id.clone();
    state
        .write(move |s| s.upsert_session(&profile_id, &raw))
        .await?;
    state.cache_changed(&profile.id, vec![CacheArea::Sessions]);
    tracing::info!("session {}: spending cap raised", input.session_id);
    Ok(())
}

/// The budget refusals of reference §5.3 in plain words; any other error as it is.
fn budget_refusal(error: hangar_api::Error) -> ShellError {
    match error.api().and_then(|a| a.error_code.as_deref()) {
        Some("budget_not_raised") => ShellError::invalid(
            "budget",
            "The new cap must be higher than what the session has already spent.",
        ),
        Some("budget_create_only") => ShellError::invalid(
            "budget",
            "This session started without a spending cap; a cap can only be set when a session starts.",
        ),
        _ => error.into(),
    }
}

/// The active profile's cached sessions, newest first (offline too).
#[tauri::command]
pub async fn session_list(state: Shared<'_>) -> Reply<cmd::SessionList> {
    let profile = state.active_id();
    let page = state
        .read(move |s| {
            s.list_sessions(&profile, &hangar_store::SessionFilter::default(), None, 500)
        })
        .await?;
    Ok(page
        .rows
        .into_iter()
        .map(|r| SessionListItem {
            id: r.id.into(),
            title: r.title,
            status: r.status,
            agent_name: r.agent_name,
            agent_version: r.agent_version,
            created_at: r.created_at,
            archived: r.archived_at.is_some(),
            tokens: r.input_tokens + r.output_tokens,
        })
        .collect())
}

/// A page of a cached transcript, anywhere in it.
#[tauri::command]
pub async fn transcript_page(
    state: Shared<'_>,
    input: Input<cmd::TranscriptPage>,
) -> Reply<cmd::TranscriptPage> {
    let profile = state.active_id();
    let session = input.session_id.to_string();
    let anchor = match input.anchor {
        TranscriptAnchor::Start => Anchor::Start,
        TranscriptAnchor::End => Anchor::End,
        TranscriptAnchor::Before { cursor } => Anchor::Before(hangar_store::Cursor {
            at_us: cursor.at_us,
            seq: cursor.seq,
        }),
        TranscriptAnchor::After { cursor } => Anchor::After(hangar_store::Cursor {
            at_us: cursor.at_us,
            seq: cursor.seq,
        }),
        TranscriptAnchor::Event { id } => Anchor::Event(id.into_string()),
    };
    let limit = input.limit.clamp(1, 1000) as usize;
    let (page, (complete, _)) = state
        .read(move |s| {
            Ok((
                s.transcript_page(&profile, &session, &anchor, limit)?,
                s.sync_state(&profile, &session)?,
            ))
        })
        .await?;
    Ok(TranscriptOutput {
        first_index: page.first_index,
        total: page.total,
        history_complete: complete,
        events: page.events.into_iter().filter_map(stored_event).collect(),
    })
}

/// Streams a session to the caller's channel: the cached events after `after`, then every new
/// one as soon as it is cached, with text previews and the tail's state. Starts a tail when none
/// runs (unless the session has ended and its history is cached).
#[tauri::command]
pub async fn session_follow(
    state: Shared<'_>,
    input: Input<cmd::SessionFollow>,
    channel: Channel<LiveMessage>,
) -> Reply<cmd::SessionFollow> {
    let profile = state.active_row();
    let key = TailKey::new(profile.id.clone(), input.session_id.clone());
    let subscription = follow(&state, key.clone(), input.after, channel).await?;
    let (profile_id, session) = (profile.id.clone(), input.session_id.to_string());
    let (complete, status) = state
        .read(move |s| {
            Ok((
                s.sync_state(&profile_id, &session)?.0,
                s.session_status(&profile_id, &session)?,
            ))
        })
        .await?;
    let ended = status.as_deref() == Some("terminated");
    if !(ended && complete) {
        match state.client_for(&profile).await {
            Ok(client) => ensure_tail(&state, key.clone(), client, Linger::ACTIVE),
            Err(e) => tracing::info!("session {}: not followed live: {e}", key.session),
        }
    }
    let status = state.live.status(&key).unwrap_or(TailStatus::Stopped {
        reason: if ended {
            "The session has ended.".into()
        } else {
            "Not connected to the API.".into()
        },
        failed: false,
    });
    Ok(SessionFollowOutput {
        subscription,
        status,
    })
}

/// Stops streaming to a channel (the tail itself stops later, once nobody follows it).
#[tauri::command]
pub async fn session_unfollow(
    state: Shared<'_>,
    input: Input<cmd::SessionUnfollow>,
) -> Reply<cmd::SessionUnfollow> {
    state.live.unsubscribe(input.subscription);
    Ok(())
}

/// The lists on screen now: they refresh often while shown.
#[tauri::command]
pub async fn sync_watch(state: Shared<'_>, input: Input<cmd::SyncWatch>) -> Reply<cmd::SyncWatch> {
    state.sync.watch(&input.areas);
    Ok(())
}

#[cfg(test)]
mod outcome_tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

    use std::time::{Duration, Instant};

    use hangar_fake_api::FakeServer;
    use serde_json::{json, Value};

    use super::super::agents::flow::{app_on, fake};

    /// Waits until the fake's log of `session` holds `n` events matching `pred`.
    fn wait_for(server: &FakeServer, session: &str, n: usize, pred: impl Fn(&Value) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while server.event_log(session).iter().filter(|e| pred(e)).count() < n {
            assert!(
                Instant::now() < deadline,
                "timed out: {:#?}",
                server.event_log(session)
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    #[test]
    fn outcomes_follow_the_first_message_and_come_from_the_composer_too() {
        let server = fake();
        let (app, dir) = app_on(&server, "outcome");
        let agent = tauri::async_runtime::block_on(server.outside_create_agent("Grader")).unwrap();
        let env =
            tauri::async_runtime::block_on(server.outside_create_environment("grading")).unwrap();
        let start = |outcome: Value| {
            app.invoke(
                "session_start",
                json!({"agentId": agent["id"], "environmentId": env["id"], "message": "Make the report",
                    "outcome": outcome}),
            )
        };
        // Refused before anything is sent, naming the field.
        for (outcome, field) in [
            (
                json!({"description": " ", "rubric": "Rows"}),
                "outcomeDescription",
            ),
            (
                json!({"description": "A CSV", "rubric": ""}),
                "outcomeRubric",
            ),
            (
                json!({"description": "A CSV", "rubric": "Rows", "maxIterations": "21"}),
                "outcomeIterations",
            ),
        ] {
            let bad = start(outcome).unwrap_err();
            assert_eq!(bad["field"], field, "{bad}");
        }
        let started = start(
            json!({"description": " A CSV ", "rubric": "Header\nRows", "maxIterations": "2"}),
        )
        .unwrap();
        let sid = started["id"].as_str().unwrap().to_string();
        wait_for(&server, &sid, 1, |e| {
            e["type"] == "span.outcome_evaluation_end" && e["result"] == "satisfied"
        });
        let log = server.event_log(&sid);
        let sent: Vec<&Value> = log
            .iter()
            .filter(|e| e["type"].as_str().unwrap().starts_with("user."))
            .collect();
        assert_eq!(sent.len(), 2);
        assert_eq!(sent[0]["type"], "user.message", "the message first");
        assert_eq!(sent[1]["type"], "user.define_outcome");
        assert_eq!(sent[1]["description"], "A CSV");
        assert_eq!(
            sent[1]["rubric"],
            json!({"type": "text", "content": "Header\nRows"})
        );
        assert_eq!(sent[1]["max_iterations"], 2);

        // From the composer: the API's default limit when none is typed.
        let bad = app
            .invoke(
                "session_define_outcome",
                json!({"sessionId": sid, "outcome": {"description": "", "rubric": "x"}}),
            )
            .unwrap_err();
        assert_eq!(bad["field"], "outcomeDescription");
        app.invoke(
            "session_define_outcome",
            json!({"sessionId": sid, "outcome": {"description": "One line", "rubric": "Short", "maxIterations": ""}}),
        )
        .unwrap();
        wait_for(&server, &sid, 2, |e| {
            e["type"] == "span.outcome_evaluation_end" && e["result"] == "satisfied"
        });
        let second = server
            .event_log(&sid)
            .into_iter()
            .filter(|e| e["type"] == "user.define_outcome")
            .nth(1)
            .unwrap();
        assert_eq!(second["max_iterations"], 3, "the API's default");

        // The usage report counts the cached session.
        let report = app
            .invoke("usage_report", json!({"offsetMinutes": 60}))
            .unwrap();
        assert_eq!(report["sessions"], 1, "{report}");
        assert_eq!(report["byAgent"][0]["label"], "Grader");
        drop(app);
        let _removed = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_spent_cap_is_raised_or_refused_in_plain_words() {
        let server = fake();
        let (app, dir) = app_on(&server, "budget");
        let agent = tauri::async_runtime::block_on(server.outside_create_agent("Spender")).unwrap();
        let env =
            tauri::async_runtime::block_on(server.outside_create_environment("spend")).unwrap();
        let started = app
            .invoke(
                "session_start",
                json!({"agentId": agent["id"], "environmentId": env["id"], "message": "Please spend the budget",
                    "budgetCents": "300"}),
            )
            .unwrap();
        let sid = started["id"].as_str().unwrap().to_string();
        wait_for(&server, &sid, 1, |e| {
            e["type"] == "session.status_idle" && e["stop_reason"]["type"] == "budget_reached"
        });
        let raise = |cents: &str| {
            app.invoke(
                "session_budget_raise",
                json!({"sessionId": sid, "cents": cents}),
            )
        };
        let typed = raise("3 dollars").unwrap_err();
        assert_eq!(typed["field"], "budget", "{typed}");
        let spent = raise("300").unwrap_err();
        assert_eq!(spent["field"], "budget");
        assert_eq!(
            spent["message"],
            "The new cap must be higher than what the session has already spent."
        );
        raise("1000").unwrap();
        let cached = tauri::async_runtime::block_on(app.state().read({
            let sid = sid.clone();
            move |s| s.session_raw("prof_cfg", &sid)
        }))
        .unwrap()
        .unwrap();
        assert!(cached.contains("\"amount\":\"1000\""), "{cached}");
        drop(app);
        let _removed = std::fs::remove_dir_all(&dir);
    }
}
