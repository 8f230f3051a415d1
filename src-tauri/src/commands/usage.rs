//! Spending (issue 14): the Usage page's cost per day, per agent and per session over the
//! cached sessions, and its CSV export through the OS save dialog (opened by the backend).

use hangar_store::{UsageGroup, UsageSummary};
use hangar_types::{cmd, SavedFile, UsageBar, UsageReport};

use super::files::{Ask, DialogState};
use super::history::write_whole;
use super::{Input, Reply, Shared};

/// The most sessions the report sends (the CSV has them all).
const SESSIONS_SHOWN: usize = 100;

fn bar(g: UsageGroup) -> UsageBar {
    UsageBar {
        key: g.key,
        label: g.label,
        cents: g.cents,
        tokens: g.tokens,
        sessions: g.sessions,
    }
}

fn report(s: UsageSummary) -> UsageReport {
    UsageReport {
        total_cents: s.total_cents,
        total_tokens: s.total_tokens,
        sessions: s.sessions,
        unpriced: s.unpriced,
        by_day: s.by_day.into_iter().map(bar).collect(),
        by_agent: s.by_agent.into_iter().map(bar).collect(),
        by_session: s.by_session.into_iter().map(bar).collect(),
    }
}

/// Cost per local day, per agent and per session over the active profile's cached sessions.
#[tauri::command]
pub async fn usage_report(
    state: Shared<'_>,
    input: Input<cmd::UsageReport>,
) -> Reply<cmd::UsageReport> {
    let profile = state.active_id();
    let offset = input.offset_minutes;
    let summary = state
        .read(move |s| s.usage_summary(&profile, offset, SESSIONS_SHOWN))
        .await?;
    Ok(report(summary))
}

/// Writes the whole report (every session) as CSV to the file chosen in the save dialog.
#[tauri::command]
pub async fn usage_export(
    state: Shared<'_>,
    dialogs: DialogState<'_>,
    input: Input<cmd::UsageExport>,
) -> Reply<cmd::UsageExport> {
    let profile = state.active_id();
    let offset = input.offset_minutes;
    let csv = state
        .read(move |s| Ok(s.usage_summary(&profile, offset, 1_000_000_000)?.to_csv()))
        .await?;
    let Some(path) = dialogs
        .ask_one(Ask::Save {
            title: "Export usage as CSV".into(),
            file_name: "hangar-usage.csv".into(),
        })
        .await?
    else {
        return Ok(SavedFile { path: None });
    };
    write_whole(path.clone(), csv.into_bytes()).await?;
    tracing::info!("usage exported as CSV");
    Ok(SavedFile {
        path: Some(path.display().to_string()),
    })
}
