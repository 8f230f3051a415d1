//! `deployment_*` commands (issue 14): the `Schedules` screen's deployments and their runs,
//! straight from the API (not cached). Deployments cannot be deleted, only archived.

use hangar_api::deployments::{DeploymentListParams, DeploymentRunListParams};
use hangar_api::{Client, ListParams};
use hangar_types::{cmd, deployment_problems, DeploymentGetOutput};

use super::agents::{all_pages, refuse};
use super::{Input, Reply, Shared};
use crate::error::ShellResult;

async fn client(state: &Shared<'_>) -> ShellResult<Client> {
    let profile = state.active_row();
    state.client_for(&profile).await
}

/// Every deployment, newest first.
#[tauri::command]
pub async fn deployment_list(
    state: Shared<'_>,
    input: Input<cmd::DeploymentList>,
) -> Reply<cmd::DeploymentList> {
    let c = client(&state).await?;
    let first = ListParams {
        include_archived: Some(input.include_archived),
        ..ListParams::limit(100)
    };
    all_pages(first, move |list| {
        let c = c.clone();
        async move {
            let page = c
                .deployments()
                .list(&DeploymentListParams {
                    list,
                    ..Default::default()
                })
                .await?;
            Ok((page.data, page.next_page))
        }
    })
    .await
}

/// A deployment and its runs (the newest 100).
#[tauri::command]
pub async fn deployment_get(
    state: Shared<'_>,
    input: Input<cmd::DeploymentGet>,
) -> Reply<cmd::DeploymentGet> {
    let c = client(&state).await?;
    let deployment = c.deployments().retrieve(&input.id).await?;
    let runs = c
        .deployment_runs()
        .list(&DeploymentRunListParams {
            list: ListParams::limit(100),
            deployment_id: Some(input.id.to_string()),
            ..Default::default()
        })
        .await?
        .data;
    Ok(DeploymentGetOutput { deployment, runs })
}

/// Creates a deployment from the form's body.
#[tauri::command]
pub async fn deployment_create(
    state: Shared<'_>,
    input: Input<cmd::DeploymentCreate>,
) -> Reply<cmd::DeploymentCreate> {
    refuse(deployment_problems(&input.body))?;
    let d = client(&state)
        .await?
        .deployments()
        .create(&input.body)
        .await?;
    tracing::info!("deployment {} created", d.id);
    Ok(d)
}

/// Pauses it.
#[tauri::command]
pub async fn deployment_pause(
    state: Shared<'_>,
    input: Input<cmd::DeploymentPause>,
) -> Reply<cmd::DeploymentPause> {
    Ok(client(&state).await?.deployments().pause(&input.id).await?)
}

/// Resumes it.
#[tauri::command]
pub async fn deployment_resume(
    state: Shared<'_>,
    input: Input<cmd::DeploymentResume>,
) -> Reply<cmd::DeploymentResume> {
    Ok(client(&state)
        .await?
        .deployments()
        .unpause(&input.id)
        .await?)
}

/// Runs it now; the run names its session (or why none started).
#[tauri::command]
pub async fn deployment_run_now(
    state: Shared<'_>,
    input: Input<cmd::DeploymentRunNow>,
) -> Reply<cmd::DeploymentRunNow> {
    let run = client(&state).await?.deployments().run(&input.id).await?;
    tracing::info!("deployment {} run {}", input.id, run.id);
    Ok(run)
}

/// Archives it.
#[tauri::command]
pub async fn deployment_archive(
    state: Shared<'_>,
    input: Input<cmd::DeploymentArchive>,
) -> Reply<cmd::DeploymentArchive> {
    Ok(client(&state)
        .await?
        .deployments()
        .archive(&input.id)
        .await?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly")]

    use std::time::Duration;

    use serde_json::json;

    use super::super::agents::flow::{app_on, fake};

    #[test]
    fn a_weekday_schedule_runs_when_the_clock_moves_and_its_run_opens_a_session() {
        let server = fake();
        let (app, dir) = app_on(&server, "deployments");
        let (agent, env) = tauri::async_runtime::block_on(async {
            (
                server.outside_create_agent("Triage").await.unwrap(),
                server.outside_create_environment("work").await.unwrap(),
            )
        });
        let body = json!({
            "name": "Morning triage", "agent": agent["id"], "environment_id": env["id"],
            "initial_events": [{"type": "user.message", "content": [{"type": "text", "text": "Triage new issues."}]}],
            "schedule": {"type": "cron", "expression": "0 9 * * 1-5", "timezone": "UTC"},
        });
        let bad = app
            .invoke(
                "deployment_create",
                json!({"body": {"name": "x", "agent": agent["id"], "environment_id": env["id"],
                    "initial_events": [{"type": "user.message", "content": [{"type": "text", "text": "hi"}]}],
                    "schedule": {"type": "cron", "expression": "0 9 * *", "timezone": "UTC"}}}),
            )
            .unwrap_err();
        assert_eq!(bad["field"], "schedule");
        let d = app
            .invoke("deployment_create", json!({"body": body}))
            .unwrap();
        let id = d["id"].as_str().unwrap().to_string();
        let next = d["schedule"]["upcoming_runs_at"][0]
            .as_str()
            .unwrap()
            .to_string();
        assert!(next.ends_with("T09:00:00Z"));
        let listed = app.invoke("deployment_list", json!({})).unwrap();
        assert_eq!(listed[0]["id"], id.as_str());

        let runs = tauri::async_runtime::block_on(server.advance_clock_to(&next));
        assert_eq!(runs.len(), 1);
        let got = app.invoke("deployment_get", json!({"id": id})).unwrap();
        let run = &got["runs"][0];
        assert_eq!(run["trigger_context"]["scheduled_at"], next.as_str());
        let session = run["session_id"].as_str().unwrap();
        assert!(session.starts_with("sesn_"));

        let manual = app.invoke("deployment_run_now", json!({"id": id})).unwrap();
        assert_eq!(manual["trigger_context"]["type"], "manual");
        let paused = app.invoke("deployment_pause", json!({"id": id})).unwrap();
        assert_eq!(paused["status"], "paused");
        assert!(tauri::async_runtime::block_on(
            server.advance_clock(Duration::from_secs(7 * 86_400))
        )
        .is_empty());
        let resumed = app.invoke("deployment_resume", json!({"id": id})).unwrap();
        assert_eq!(resumed["status"], "active");
        let archived = app.invoke("deployment_archive", json!({"id": id})).unwrap();
        assert!(archived["archived_at"].is_string());
        assert_eq!(app.invoke("deployment_list", json!({})).unwrap(), json!([]));
        drop(app);
        let _removed = std::fs::remove_dir_all(&dir);
    }
}
