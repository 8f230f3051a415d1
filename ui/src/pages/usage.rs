//! Usage (issue 14): cost at list prices per day, per agent and per session over the sessions
//! cached on this computer, drawn as inline SVG bars (no script), exportable as CSV through the
//! OS save dialog (opened by the backend).

use hangar_types::{cmd, UsageBar, UsageInput, UsageReport};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::beyond::{dollars, draw};
use crate::load::{load_latest, Latest};
use crate::pages::sessions::offset_at;
use crate::{ipc, AppContext};

/// Days the chart shows (the newest); the CSV has them all.
const DAYS_SHOWN: usize = 31;
/// Sessions the chart shows (the most expensive).
const SESSIONS_SHOWN: usize = 10;
/// The chart's geometry, in viewBox units.
const LABEL_WIDTH: u32 = 200;
const BAR_WIDTH: u32 = 360;
const ROW: u32 = 26;

fn input() -> UsageInput {
    UsageInput {
        offset_minutes: offset_at(js_sys::Date::now() as i64),
    }
}

fn short(label: &str) -> String {
    let mut out: String = label.chars().take(30).collect();
    if out.len() < label.len() {
        out.push('…');
    }
    out
}

/// Horizontal bars, one per row: the label, the bar, the cost.
#[component]
fn Chart(
    /// The DOM id (tests read the bars' `data-*`).
    id: &'static str,
    /// What the chart shows, for screen readers.
    title: &'static str,
    /// The rows.
    bars: Vec<UsageBar>,
) -> impl IntoView {
    if bars.is_empty() {
        return view! { <p class="muted" id=id>"Nothing yet."</p> }.into_any();
    }
    let drawn = draw(&bars, BAR_WIDTH);
    let height = ROW * drawn.len() as u32 + 4;
    let width = LABEL_WIDTH + BAR_WIDTH + 90;
    let rows = drawn
        .into_iter()
        .enumerate()
        .map(|(i, bar)| {
            let y = ROW * i as u32 + 2;
            let text_y = y + ROW / 2 + 5;
            let label = short(&bar.label);
            let spoken = format!("{}: {}", bar.label, bar.value);
            view! {
                <g class="bar" data-key=bar.key.clone() data-cents=bar.cents.to_string() aria-label=spoken role="listitem">
                    <text class="bar-label" x=(LABEL_WIDTH - 8).to_string() y=text_y.to_string() text-anchor="end">{label}</text>
                    <rect class="bar-fill" x=LABEL_WIDTH.to_string() y=(y + 4).to_string()
                        width=bar.length.to_string() height=(ROW - 8).to_string() rx="3"></rect>
                    <text class="bar-value" x=(LABEL_WIDTH + bar.length + 6).to_string() y=text_y.to_string()>{bar.value.clone()}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="chart" id=id role="list" aria-label=title
            viewBox=format!("0 0 {width} {height}") width=width.to_string() height=height.to_string()
            preserveAspectRatio="xMinYMin meet">
            {rows}
        </svg>
    }
    .into_any()
}

/// The Usage page.
#[component]
pub fn Usage() -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let report = RwSignal::new(Latest::<UsageReport>::new());
    let busy = RwSignal::new(false);
    Effect::new(move |previous: Option<Option<String>>| {
        let profile = ctx.active.with(|a| a.as_ref().map(|p| p.id.clone()));
        ctx.session_changes.track();
        if previous.is_some_and(|p| p != profile) {
            report.update(Latest::clear);
        }
        let input = input();
        load_latest(
            report,
            async move { ipc::invoke::<cmd::UsageReport>(&input).await },
            move |e| {
                ctx.notices.error("Could not read the usage", &e);
            },
        );
        profile
    });
    let export = move |_| {
        busy.set(true);
        spawn_local(async move {
            let answer = ipc::invoke::<cmd::UsageExport>(&input()).await;
            busy.set(false);
            match answer {
                Ok(saved) => {
                    if let Some(path) = saved.path {
                        ctx.notices
                            .success("Exported", &format!("Usage saved as CSV to {path}"));
                    }
                }
                Err(e) => {
                    ctx.notices.error("Could not export the usage", &e);
                }
            }
        });
    };
    view! {
        <section class="page usage" id="page-usage">
            <div class="page-head">
                <h1>"Usage"</h1>
                <div class="head-actions">
                    <button type="button" id="usage-export" disabled=move || busy.get() on:click=export>
                        {move || if busy.get() { "Exporting…" } else { "Export CSV" }}
                    </button>
                </div>
            </div>
            <p class="muted">"Cost at list prices of the sessions saved on this computer, each counted on the day it started. Sessions refresh from the API while this page is open."</p>
            {move || match report.with(|r| r.value().cloned()) {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(r) if r.sessions == 0 => view! {
                    <div class="empty-state" id="usage-empty">
                        <h2>"No sessions yet"</h2>
                        <p>"Once sessions run, their cost shows here by day, agent and session."</p>
                    </div>
                }.into_any(),
                Some(r) => {
                    let days: Vec<UsageBar> = r.by_day.iter().rev().take(DAYS_SHOWN).rev().cloned().collect();
                    let sessions: Vec<UsageBar> = r.by_session.iter().take(SESSIONS_SHOWN).cloned().collect();
                    let unpriced = (r.unpriced > 0).then(|| format!(" · {} without a cost yet", r.unpriced));
                    view! {
                        <p class="usage-totals" id="usage-totals">
                            <strong>{dollars(r.total_cents)}</strong>
                            {format!(" in total · {} tokens · {} sessions", r.total_tokens, r.sessions)}
                            {unpriced}
                        </p>
                        <h2>"Cost per day"</h2>
                        <Chart id="usage-by-day" title="Cost per day" bars=days />
                        <h2>"Cost per agent"</h2>
                        <Chart id="usage-by-agent" title="Cost per agent" bars=r.by_agent.clone() />
                        <h2>"Most expensive sessions"</h2>
                        <Chart id="usage-by-session" title="Most expensive sessions" bars=sessions />
                    }.into_any()
                }
            }}
        </section>
    }
}
