#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail loudly on any error"
)]
//! Deployments and deployment runs (reference §5.11): one test per endpoint, the client against
//! the fake, whose schedules run on a clock the tests move forward.

use std::time::Duration;

use hangar_api::deployments::{
    DeploymentCreate, DeploymentListParams, DeploymentRunListParams, DeploymentStatus,
    DeploymentUpdate, PausedReason, Schedule, TriggerContext,
};
use hangar_api::sessions::{AgentRef, SessionListParams};
use hangar_api::{ApiKey, Client, ClientConfig, ListParams, Patch, RetryPolicy};
use hangar_fake_api::{FakeConfig, FakeServer};

async fn setup() -> (FakeServer, Client, String, String) {
    let server = FakeServer::start(FakeConfig {
        turn_delay: Duration::from_millis(2),
        ..FakeConfig::default()
    })
    .await
    .unwrap();
    let mut config = ClientConfig::with_base_url(server.base_url(), ApiKey::new("sk-test-key"));
    config.retry = RetryPolicy {
        max_retries: 2,
        initial: Duration::from_millis(10),
        max: Duration::from_millis(50),
    };
    let agent = server.outside_create_agent("Triage").await.unwrap();
    let env = server.outside_create_environment("work").await.unwrap();
    (
        server,
        Client::new(config).unwrap(),
        agent["id"].as_str().unwrap().to_string(),
        env["id"].as_str().unwrap().to_string(),
    )
}

fn weekday_nine(agent: &str, env: &str) -> DeploymentCreate {
    let mut body = DeploymentCreate::new(
        "Morning triage",
        AgentRef::latest(agent),
        env,
        "Triage new issues.",
    );
    body.schedule = Some(Schedule::cron("0 9 * * 1-5", "UTC"));
    body
}

#[tokio::test]
async fn deployment_create_pins_the_agent_and_shows_upcoming_runs() {
    let (server, client, agent, env) = setup().await;
    let d = client
        .deployments()
        .create(&weekday_nine(&agent, &env))
        .await
        .unwrap();
    assert!(d.id.starts_with("depl_"));
    assert_eq!((d.agent.id.as_str(), d.agent.version), (agent.as_str(), 1));
    assert_eq!(d.status, DeploymentStatus::Active);
    assert_eq!(d.first_message().as_deref(), Some("Triage new issues."));
    let schedule = d.schedule.unwrap();
    assert_eq!(schedule.upcoming_runs_at.len(), 5);
    for at in &schedule.upcoming_runs_at {
        assert!(at.ends_with("T09:00:00Z"), "{at}");
        assert!(at.as_str() > server.now().as_str());
    }
    // Bad input is refused with the field named.
    let mut bad = weekday_nine(&agent, &env);
    bad.schedule = Some(Schedule::cron("0 25 * * *", "UTC"));
    let e = client.deployments().create(&bad).await.unwrap_err();
    assert!(e.api().unwrap().message.contains("hour"), "{e}");
    bad.schedule = Some(Schedule::cron("0 9 * * *", "Mars/Olympus"));
    assert_eq!(
        client
            .deployments()
            .create(&bad)
            .await
            .unwrap_err()
            .status(),
        Some(400)
    );
    let mut no_events = weekday_nine(&agent, &env);
    no_events.initial_events.clear();
    assert_eq!(
        client
            .deployments()
            .create(&no_events)
            .await
            .unwrap_err()
            .status(),
        Some(400)
    );
    let mut pinned = weekday_nine(&agent, &env);
    pinned.agent = AgentRef::pinned(agent.as_str(), 7);
    assert_eq!(
        client
            .deployments()
            .create(&pinned)
            .await
            .unwrap_err()
            .status(),
        Some(404)
    );
}

#[tokio::test]
async fn deployment_retrieve() {
    let (_server, client, agent, env) = setup().await;
    let d = client
        .deployments()
        .create(&weekday_nine(&agent, &env))
        .await
        .unwrap();
    let got = client.deployments().retrieve(&d.id).await.unwrap();
    assert_eq!(got.name, "Morning triage");
    assert_eq!(
        client
            .deployments()
            .retrieve("depl_nope")
            .await
            .unwrap_err()
            .status(),
        Some(404)
    );
}

#[tokio::test]
async fn deployment_update_changes_and_removes_the_schedule() {
    let (_server, client, agent, env) = setup().await;
    let d = client
        .deployments()
        .create(&weekday_nine(&agent, &env))
        .await
        .unwrap();
    let u = client
        .deployments()
        .update(
            &d.id,
            &DeploymentUpdate {
                name: Some("Monday triage".into()),
                schedule: Patch::Set(Schedule::cron("0 9 * * 1", "Europe/Paris")),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(u.name, "Monday triage");
    let s = u.schedule.unwrap();
    assert_eq!(s.timezone, "Europe/Paris");
    // 9:00 in Paris in winter is 8:00 UTC.
    assert!(
        s.upcoming_runs_at[0].ends_with("T08:00:00Z"),
        "{:?}",
        s.upcoming_runs_at
    );
    let cleared = client
        .deployments()
        .update(
            &d.id,
            &DeploymentUpdate {
                schedule: Patch::Clear,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(cleared.schedule, None);
    assert_eq!(cleared.name, "Monday triage", "omitted fields are kept");
}

#[tokio::test]
async fn deployment_list_filters_and_hides_archived() {
    let (_server, client, agent, env) = setup().await;
    let a = client
        .deployments()
        .create(&weekday_nine(&agent, &env))
        .await
        .unwrap();
    let b = client
        .deployments()
        .create(&weekday_nine(&agent, &env))
        .await
        .unwrap();
    let c = client
        .deployments()
        .create(&weekday_nine(&agent, &env))
        .await
        .unwrap();
    client.deployments().pause(&b.id).await.unwrap();
    client.deployments().archive(&c.id).await.unwrap();
    let ids = |page: hangar_api::Page<hangar_api::deployments::Deployment>| {
        page.data
            .into_iter()
            .map(|d| d.id.into_string())
            .collect::<Vec<_>>()
    };
    let all = client
        .deployments()
        .list(&DeploymentListParams::default())
        .await
        .unwrap();
    assert_eq!(
        ids(all),
        vec![b.id.to_string(), a.id.to_string()],
        "newest first"
    );
    let paused = client
        .deployments()
        .list(&DeploymentListParams {
            status: Some(DeploymentStatus::Paused),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(ids(paused), vec![b.id.to_string()]);
    let first = client
        .deployments()
        .list(&DeploymentListParams {
            list: ListParams {
                limit: Some(2),
                include_archived: Some(true),
                ..Default::default()
            },
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(first.data.len(), 2);
    let rest = client
        .deployments()
        .list(&DeploymentListParams {
            list: ListParams {
                limit: Some(2),
                include_archived: Some(true),
                page: first.next_page.clone(),
            },
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(ids(rest), vec![a.id.to_string()]);
}

#[tokio::test]
async fn deployment_archive_stops_it() {
    let (server, client, agent, env) = setup().await;
    let d = client
        .deployments()
        .create(&weekday_nine(&agent, &env))
        .await
        .unwrap();
    let a = client.deployments().archive(&d.id).await.unwrap();
    assert!(a.archived_at.is_some());
    assert!(a.schedule.unwrap().upcoming_runs_at.is_empty());
    assert!(server
        .advance_clock(Duration::from_secs(8 * 86_400))
        .await
        .is_empty());
    assert_eq!(
        client.deployments().run(&d.id).await.unwrap_err().status(),
        Some(400)
    );
}

#[tokio::test]
async fn deployment_pause_stops_the_schedule() {
    let (server, client, agent, env) = setup().await;
    let d = client
        .deployments()
        .create(&weekday_nine(&agent, &env))
        .await
        .unwrap();
    let p = client.deployments().pause(&d.id).await.unwrap();
    assert_eq!(p.status, DeploymentStatus::Paused);
    assert_eq!(p.paused_reason, Some(PausedReason::Manual));
    assert!(server
        .advance_clock(Duration::from_secs(8 * 86_400))
        .await
        .is_empty());
}

#[tokio::test]
async fn deployment_unpause_resumes_without_running_missed_times() {
    let (server, client, agent, env) = setup().await;
    let d = client
        .deployments()
        .create(&weekday_nine(&agent, &env))
        .await
        .unwrap();
    client.deployments().pause(&d.id).await.unwrap();
    server.advance_clock(Duration::from_secs(8 * 86_400)).await;
    let u = client.deployments().unpause(&d.id).await.unwrap();
    assert_eq!(
        (u.status, u.paused_reason),
        (DeploymentStatus::Active, None)
    );
    let next = u.schedule.unwrap().upcoming_runs_at[0].clone();
    assert!(next.as_str() > server.now().as_str());
    let runs = server.advance_clock_to(&next).await;
    assert_eq!(runs.len(), 1, "only the time after resuming runs");
    assert_eq!(runs[0]["trigger_context"]["scheduled_at"], next.as_str());
}

#[tokio::test]
async fn deployment_run_now_starts_a_session() {
    let (_server, client, agent, env) = setup().await;
    let d = client
        .deployments()
        .create(&weekday_nine(&agent, &env))
        .await
        .unwrap();
    let run = client.deployments().run(&d.id).await.unwrap();
    assert!(run.id.starts_with("drun_"));
    assert_eq!(run.trigger_context, TriggerContext::Manual);
    assert_eq!(run.error, None);
    let session = client
        .sessions()
        .retrieve(run.session_id.as_ref().unwrap())
        .await
        .unwrap();
    assert_eq!(session.deployment_id.as_deref(), Some(d.id.as_str()));
    assert_eq!(session.title.as_deref(), Some("Morning triage"));
    let listed = client
        .sessions()
        .list(&SessionListParams::default())
        .await
        .unwrap();
    assert!(listed.data.iter().any(|s| s.id == session.id));
}

#[tokio::test]
async fn deployment_run_retrieve_and_a_failed_run_pauses_with_the_reason() {
    let (server, client, agent, env) = setup().await;
    let d = client
        .deployments()
        .create(&weekday_nine(&agent, &env))
        .await
        .unwrap();
    let run = client.deployments().run(&d.id).await.unwrap();
    let got = client.deployment_runs().retrieve(&run.id).await.unwrap();
    assert_eq!(got, run);
    assert_eq!(
        client
            .deployment_runs()
            .retrieve("drun_nope")
            .await
            .unwrap_err()
            .status(),
        Some(404)
    );
    // Its environment archived elsewhere: the next run records why and pauses the deployment.
    server
        .outside("POST", &format!("/v1/environments/{env}/archive"), None)
        .await
        .unwrap();
    let failed = client.deployments().run(&d.id).await.unwrap();
    assert_eq!(failed.session_id, None);
    assert_eq!(
        failed.error.as_ref().unwrap().kind,
        "environment_archived_error"
    );
    let paused = client.deployments().retrieve(&d.id).await.unwrap();
    assert_eq!(paused.status, DeploymentStatus::Paused);
    match paused.paused_reason {
        Some(PausedReason::Error { error }) => {
            assert_eq!(error.describe(), "its environment was archived")
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn deployment_run_list_records_schedule_runs_when_the_clock_moves() {
    let (server, client, agent, env) = setup().await;
    let d = client
        .deployments()
        .create(&weekday_nine(&agent, &env))
        .await
        .unwrap();
    let upcoming = d.schedule.unwrap().upcoming_runs_at;
    let fired = server.advance_clock_to(&upcoming[1]).await;
    assert_eq!(fired.len(), 2);
    client.deployments().run(&d.id).await.unwrap();
    let runs = client
        .deployment_runs()
        .list(&DeploymentRunListParams {
            deployment_id: Some(d.id.to_string()),
            ..Default::default()
        })
        .await
        .unwrap();
    let triggers: Vec<TriggerContext> = runs
        .data
        .iter()
        .map(|r| r.trigger_context.clone())
        .collect();
    assert_eq!(
        triggers,
        vec![
            TriggerContext::Manual,
            TriggerContext::Schedule {
                scheduled_at: upcoming[1].clone()
            },
            TriggerContext::Schedule {
                scheduled_at: upcoming[0].clone()
            },
        ],
        "newest first"
    );
    assert!(runs.data.iter().all(|r| r.session_id.is_some()));
    let scheduled = client
        .deployment_runs()
        .list(&DeploymentRunListParams {
            trigger_type: Some("schedule".into()),
            has_error: Some(false),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(scheduled.data.len(), 2);
    let after = client.deployments().retrieve(&d.id).await.unwrap();
    let s = after.schedule.unwrap();
    assert_eq!(s.last_run_at.as_deref(), Some(upcoming[1].as_str()));
    assert_eq!(s.upcoming_runs_at[0], upcoming[2]);
    // The sessions list filters by deployment.
    let sessions = client
        .sessions()
        .list(&SessionListParams::default())
        .await
        .unwrap();
    assert_eq!(
        sessions
            .data
            .iter()
            .filter(|s| s.deployment_id.as_deref() == Some(d.id.as_str()))
            .count(),
        3
    );
}
