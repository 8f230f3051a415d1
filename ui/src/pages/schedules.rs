//! Schedules (issue 14): deployments — an agent, an environment and a first message, run on a
//! schedule or by hand. The list; "New schedule" with the friendly picker ("every weekday at
//! 9:00", "every Monday", a custom cron) read back in words with the next runs in the person's
//! own time; one schedule with Pause / Resume / Run now / Archive, why it is paused, and its runs
//! with their sessions (opened in the chat view) or errors.

use hangar_types::model::common::Budget;
use hangar_types::model::cron::{Civil, Cron};
use hangar_types::model::deployments::{
    Deployment, DeploymentCreate, DeploymentRun, PausedReason, Schedule, TriggerContext,
};
use hangar_types::model::sessions::AgentRef;
use hangar_types::{
    cmd, parse_time_of_day, schedule_words, validate, AgentListItem, DeploymentCreateInput,
    DeploymentIdInput, EnvironmentListItem, ListInput, ScheduleChoice,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

use crate::components::configure::{save_problem, ConfirmButton, FormProblem};
use crate::route::Route;
use crate::router::use_router;
use crate::{ipc, AppContext};

const DAY_NAMES: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const SHORT_DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const SHORT_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The person's IANA time zone, as the browser knows it (`UTC` when it cannot tell).
fn local_zone() -> String {
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options();
    js_sys::Reflect::get(&options, &JsValue::from_str("timeZone"))
        .ok()
        .and_then(|v| v.as_string())
        .filter(|z| !z.is_empty())
        .unwrap_or_else(|| "UTC".into())
}

/// An instant in the person's own time: "Mon 23 Nov, 9:00".
fn local_time(rfc3339: &str) -> String {
    let d = js_sys::Date::new(&JsValue::from_str(rfc3339));
    if d.get_time().is_nan() {
        return rfc3339.to_string();
    }
    civil_words(Civil {
        year: d.get_full_year() as i32,
        month: d.get_month() + 1,
        day: d.get_date(),
        hour: d.get_hours(),
        minute: d.get_minutes(),
    })
}

fn civil_words(c: Civil) -> String {
    let wd = hangar_types::model::cron::weekday(c.year, c.month, c.day) as usize;
    format!(
        "{} {} {}, {}:{:02}",
        SHORT_DAYS[wd % 7],
        c.day,
        SHORT_MONTHS[(c.month as usize + 11) % 12],
        c.hour,
        c.minute
    )
}

fn local_now() -> Civil {
    let d = js_sys::Date::new_0();
    Civil {
        year: d.get_full_year() as i32,
        month: d.get_month() + 1,
        day: d.get_date(),
        hour: d.get_hours(),
        minute: d.get_minutes(),
    }
}

fn words_of(d: &Deployment) -> String {
    match &d.schedule {
        None => "only when run by hand".into(),
        Some(s) => {
            let words = schedule_words(&s.expression).unwrap_or_else(|_| s.expression.clone());
            format!("{words} ({})", s.timezone)
        }
    }
}

/// The spending cap of each run's session, in words.
fn cap_words(d: &Deployment) -> String {
    match &d.budget {
        Some(Budget::Limit { max_list_cost }) => {
            match crate::chat::money(&max_list_cost.amount, &max_list_cost.currency) {
                Some(m) => format!("Spending cap per run: {m}"),
                None => "Spending cap per run: set".into(),
            }
        }
        Some(Budget::Other(_)) => "Spending cap per run: set".into(),
        None => "No spending cap: each run may cost any amount.".into(),
    }
}

fn paused_why(d: &Deployment) -> Option<String> {
    match &d.paused_reason {
        Some(PausedReason::Manual) => Some("Paused by hand.".into()),
        Some(PausedReason::Error { error }) => Some(format!(
            "Paused because {}. Fix it, then resume.",
            error.describe()
        )),
        Some(PausedReason::Other(_)) => Some("Paused.".into()),
        None => None,
    }
}

/// The Schedules page.
#[component]
pub fn Schedules() -> impl IntoView {
    let router = use_router();
    let items = RwSignal::new(None::<Vec<Deployment>>);
    let archived = RwSignal::new(false);
    let failed = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let input = ListInput {
            include_archived: archived.get(),
        };
        spawn_local(async move {
            match ipc::invoke::<cmd::DeploymentList>(&input).await {
                Ok(list) => items.set(Some(list)),
                Err(e) => failed.set(Some(e.message)),
            }
        });
    });
    view! {
        <section class="page" id="page-schedules">
            <div class="page-head">
                <h1>"Schedules"</h1>
                <button type="button" id="schedules-new" class="primary" on:click=move |_| router.navigate(Route::NewSchedule)>"New schedule"</button>
            </div>
            <p class="muted">"Agents that run by themselves: each run starts a session with the first message you wrote."</p>
            <label class="inline show-archived">
                <input type="checkbox" id="schedules-archived" prop:checked=move || archived.get()
                    on:change=move |ev| archived.set(event_target_checked(&ev)) />
                "Show archived schedules"
            </label>
            {move || failed.get().map(|m| view! { <p class="result bad" role="alert">{format!("Could not read the schedules: {m}")}</p> })}
            {move || match items.get() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(list) if list.is_empty() => view! {
                    <div class="empty-state">
                        <h2>"No schedules yet"</h2>
                        <p>"Run an agent every weekday at 9:00, every Monday, or on any cron schedule."</p>
                    </div>
                }.into_any(),
                Some(list) => view! {
                    <table class="list-table" id="schedule-list">
                        <thead><tr><th>"Name"</th><th>"When"</th><th>"Status"</th><th>"Next run"</th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|d| {
                                let open = Route::Schedule { id: d.id.clone() };
                                let next = d.schedule.as_ref().and_then(|s| s.upcoming_runs_at.first()).map(|t| local_time(t)).unwrap_or_else(|| "—".into());
                                let status = if d.archived_at.is_some() { "archived".to_string() } else { d.status.to_string() };
                                view! {
                                    <tr id=format!("schedule-{}", d.id)>
                                        <td><button type="button" class="link name" on:click=move |_| router.navigate(open.clone())>{d.name.clone()}</button></td>
                                        <td class="when">{words_of(&d)}</td>
                                        <td><span class=format!("status-chip {status}")>{status.clone()}</span></td>
                                        <td>{next}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
        </section>
    }
}

/// The picker's repeat choices, as (value, label).
const REPEATS: [(&str, &str); 5] = [
    ("weekdays", "Every weekday"),
    ("daily", "Every day"),
    ("weekly", "Every week on…"),
    ("custom", "Custom (cron)"),
    ("manual", "Only when run by hand"),
];

fn choice(repeat: &str, time: &str, weekday: u32, cron: &str) -> Result<ScheduleChoice, String> {
    let at = || parse_time_of_day(time).ok_or_else(|| "Write the time as 9:00".to_string());
    Ok(match repeat {
        "manual" => ScheduleChoice::Manual,
        "daily" => {
            let (hour, minute) = at()?;
            ScheduleChoice::Daily { hour, minute }
        }
        "weekly" => {
            let (hour, minute) = at()?;
            ScheduleChoice::Weekly {
                weekday,
                hour,
                minute,
            }
        }
        "custom" => ScheduleChoice::Custom {
            expression: cron.to_string(),
        },
        _ => {
            let (hour, minute) = at()?;
            ScheduleChoice::Weekdays { hour, minute }
        }
    })
}

/// The new-schedule form.
#[component]
pub fn NewSchedule() -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let router = use_router();
    let agents = RwSignal::new(Vec::<AgentListItem>::new());
    let environments = RwSignal::new(Vec::<EnvironmentListItem>::new());
    spawn_local(async move {
        if let Ok(list) = ipc::invoke::<cmd::AgentList>(&ListInput::default()).await {
            agents.set(list);
        }
        if let Ok(list) = ipc::invoke::<cmd::EnvironmentList>(&ListInput::default()).await {
            environments.set(list);
        }
    });
    let name = RwSignal::new(String::new());
    let agent = RwSignal::new(String::new());
    let pin = RwSignal::new(false);
    let environment = RwSignal::new(String::new());
    let message = RwSignal::new(String::new());
    let repeat = RwSignal::new("weekdays".to_string());
    let time = RwSignal::new("9:00".to_string());
    let weekday = RwSignal::new(1u32);
    let cron = RwSignal::new("0 9 * * 1-5".to_string());
    let zone = local_zone();
    let problem = RwSignal::new(None::<String>);
    // A spending cap for each run's session (optional): cents, as the API takes it.
    let budget = RwSignal::new(String::new());
    let budget_problem = Memo::new(move |_| {
        budget.with(|b| {
            if b.trim().is_empty() {
                None
            } else {
                validate::budget_amount(b).err()
            }
        })
    });
    // The first agent and environment, once listed.
    Effect::new(move |_| {
        if agent.get_untracked().is_empty() {
            if let Some(a) = agents.with(|l| l.first().map(|a| a.id.to_string())) {
                agent.set(a);
            }
        }
        if environment.get_untracked().is_empty() {
            if let Some(e) = environments.with(|l| l.first().map(|e| e.id.to_string())) {
                environment.set(e);
            }
        }
    });
    let picked = Memo::new(move |_| choice(&repeat.get(), &time.get(), weekday.get(), &cron.get()));
    let preview_zone = zone.clone();
    let preview = move || match picked.get() {
        Err(e) => view! { <p class="result bad" id="schedule-words">{e}</p> }.into_any(),
        Ok(c) => match c.expression() {
            None => {
                view! { <p id="schedule-words">"Runs only when you press Run now."</p> }.into_any()
            }
            Some(expr) => match Cron::parse(&expr) {
                Err(e) => view! { <p class="result bad" id="schedule-words">{e}</p> }.into_any(),
                Ok(parsed) => {
                    let next = parsed.upcoming(local_now(), 3);
                    view! {
                            <div id="schedule-preview">
                                <p id="schedule-words">{format!("Runs {} ({})", parsed.describe(), preview_zone)}</p>
                                <p class="muted">"Next runs, in your time:"</p>
                                <ul id="schedule-next">
                                    {next.into_iter().map(|c| view! { <li>{civil_words(c)}</li> }).collect_view()}
                                </ul>
                            </div>
                        }.into_any()
                }
            },
        },
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        problem.set(None);
        let picked = match picked.get_untracked() {
            Ok(p) => p,
            Err(e) => {
                problem.set(Some(e));
                return;
            }
        };
        if let Some(e) = budget_problem.get_untracked() {
            problem.set(Some(format!("Spending cap: {e}")));
            return;
        }
        let agent_id = agent.get_untracked();
        let agent_ref = if pin.get_untracked() {
            let version = agents.with_untracked(|l| {
                l.iter()
                    .find(|a| a.id.as_str() == agent_id)
                    .map(|a| a.version)
            });
            AgentRef::Pinned {
                id: agent_id.clone().into(),
                version,
            }
        } else {
            AgentRef::latest(agent_id.as_str())
        };
        let mut body = DeploymentCreate::new(
            name.get_untracked().trim(),
            agent_ref,
            environment.get_untracked(),
            message.get_untracked(),
        );
        body.schedule = picked.expression().map(|e| Schedule::cron(e, zone.clone()));
        body.budget = budget
            .with_untracked(|b| (!b.trim().is_empty()).then(|| Budget::limit(b.trim(), "USD")));
        spawn_local(async move {
            match ipc::invoke::<cmd::DeploymentCreate>(&DeploymentCreateInput { body }).await {
                Ok(d) => {
                    ctx.notices.success(
                        "Schedule created",
                        &format!("“{}” runs {}.", d.name, words_of(&d)),
                    );
                    router.navigate(Route::Schedule { id: d.id });
                }
                Err(e) => problem.set(Some(save_problem(&e))),
            }
        });
    };
    view! {
        <section class="page" id="page-new-schedule">
            <div class="page-head"><h1>"New schedule"</h1></div>
            <form class="card form" id="schedule-form" on:submit=save novalidate>
                <div class="field">
                    <label for="schedule-name">"Name"</label>
                    <input id="schedule-name" type="text" maxlength="255" placeholder="Morning triage"
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="schedule-agent">"Agent"</label>
                    <select id="schedule-agent" on:change=move |ev| agent.set(event_target_value(&ev))>
                        {move || agents.get().into_iter().filter(|a| !a.archived).map(|a| {
                            let id = a.id.to_string();
                            view! { <option value=id.clone() selected=move || agent.get() == id>{format!("{} (v{})", a.name, a.version)}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <label class="inline">
                    <input type="checkbox" id="schedule-pin" prop:checked=move || pin.get() on:change=move |ev| pin.set(event_target_checked(&ev)) />
                    "Pin this version (otherwise each run uses the latest version at creation)"
                </label>
                <div class="field">
                    <label for="schedule-environment">"Environment"</label>
                    <select id="schedule-environment" on:change=move |ev| environment.set(event_target_value(&ev))>
                        {move || environments.get().into_iter().filter(|e| !e.archived).map(|e| {
                            let id = e.id.to_string();
                            view! { <option value=id.clone() selected=move || environment.get() == id>{e.name.clone()}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="schedule-message">"First message"</label>
                    <textarea id="schedule-message" rows="4" placeholder="Triage the issues opened since yesterday."
                        prop:value=move || message.get() on:input=move |ev| message.set(event_target_value(&ev))></textarea>
                </div>
                <div class="field">
                    <label for="schedule-budget">"Spending cap per run (US cents)"</label>
                    <input id="schedule-budget" type="text" inputmode="numeric" placeholder="2500 = $25.00"
                        aria-invalid=move || budget_problem.get().is_some().to_string()
                        prop:value=move || budget.get() on:input=move |ev| budget.set(event_target_value(&ev)) />
                    {move || match budget_problem.get() {
                        Some(m) => view! { <span class="problem" id="schedule-budget-error">{m}</span> }.into_any(),
                        None => view! { <p class="hint">"Each run's session stops once it has cost this much. Leave empty for no cap."</p> }.into_any(),
                    }}
                </div>
                <fieldset class="schedule-picker">
                    <legend>"When"</legend>
                    <div class="field">
                        <label for="schedule-repeat">"Repeat"</label>
                        <select id="schedule-repeat" on:change=move |ev| repeat.set(event_target_value(&ev))>
                            {REPEATS.iter().map(|(v, l)| view! { <option value=*v selected=move || repeat.get() == *v>{*l}</option> }).collect_view()}
                        </select>
                    </div>
                    <Show when=move || repeat.get() == "weekly">
                        <div class="field">
                            <label for="schedule-weekday">"Day"</label>
                            <select id="schedule-weekday" on:change=move |ev| weekday.set(event_target_value(&ev).parse().unwrap_or(1))>
                                {(0..7u32).map(|d| view! { <option value=d.to_string() selected=move || weekday.get() == d>{DAY_NAMES[d as usize]}</option> }).collect_view()}
                            </select>
                        </div>
                    </Show>
                    <Show when=move || matches!(repeat.get().as_str(), "weekdays" | "daily" | "weekly")>
                        <div class="field">
                            <label for="schedule-time">"Time"</label>
                            <input id="schedule-time" type="text" inputmode="numeric" placeholder="9:00"
                                prop:value=move || time.get() on:input=move |ev| time.set(event_target_value(&ev)) />
                        </div>
                    </Show>
                    <Show when=move || repeat.get() == "custom">
                        <div class="field">
                            <label for="schedule-cron">"Cron expression"</label>
                            <input id="schedule-cron" type="text" placeholder="0 9 * * 1-5"
                                prop:value=move || cron.get() on:input=move |ev| cron.set(event_target_value(&ev)) />
                            <p class="hint">"Five fields: minute hour day month weekday."</p>
                        </div>
                    </Show>
                    {preview}
                </fieldset>
                <FormProblem id="schedule-problem" problem=problem />
                <div class="actions">
                    <button type="submit" id="schedule-save" class="primary">"Save"</button>
                    <button type="button" id="schedule-cancel" on:click=move |_| router.navigate(Route::Schedules)>"Cancel"</button>
                </div>
            </form>
        </section>
    }
}

/// One schedule and its runs.
#[component]
pub fn ScheduleScreen() -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let router = use_router();
    let id = router.with_route_untracked(|r| match r {
        Route::Schedule { id } => id.clone(),
        _ => Default::default(),
    });
    let deployment = RwSignal::new(None::<Deployment>);
    let runs = RwSignal::new(Vec::<DeploymentRun>::new());
    let failed = RwSignal::new(None::<String>);
    let load = {
        let id = id.clone();
        move || {
            let id = id.clone();
            spawn_local(async move {
                match ipc::invoke::<cmd::DeploymentGet>(&DeploymentIdInput { id }).await {
                    Ok(out) => {
                        failed.set(None);
                        runs.set(out.runs);
                        deployment.set(Some(out.deployment));
                    }
                    Err(e) => failed.set(Some(e.message)),
                }
            });
        }
    };
    load();
    // Runs appear by themselves: read again every 2 s while shown.
    {
        let load = load.clone();
        if let Ok(handle) = set_interval_with_handle(load, std::time::Duration::from_secs(2)) {
            on_cleanup(move || handle.clear());
        }
    }
    let act = {
        let id = id.clone();
        move |what: &'static str| {
            let input = DeploymentIdInput { id: id.clone() };
            let load = load.clone();
            spawn_local(async move {
                let done =
                    match what {
                        "pause" => ipc::invoke::<cmd::DeploymentPause>(&input)
                            .await
                            .map(|d| format!("“{}” is paused.", d.name)),
                        "resume" => ipc::invoke::<cmd::DeploymentResume>(&input)
                            .await
                            .map(|d| format!("“{}” runs {} again.", d.name, words_of(&d))),
                        "archive" => ipc::invoke::<cmd::DeploymentArchive>(&input)
                            .await
                            .map(|d| format!("“{}” is archived.", d.name)),
                        _ => ipc::invoke::<cmd::DeploymentRunNow>(&input).await.map(|r| {
                            match r.error {
                                Some(e) => format!("The run could not start: {}.", e.describe()),
                                None => "A session started.".to_string(),
                            }
                        }),
                    };
                match done {
                    Ok(text) => {
                        ctx.notices.success("Done", &text);
                        load();
                    }
                    Err(e) => {
                        ctx.notices.error("Could not do that", &e);
                    }
                }
            });
        }
    };
    let (pause, resume, run_now) = (act.clone(), act.clone(), act.clone());
    let archive = Callback::new(move |()| act("archive"));
    let title = move || {
        deployment.with(|d| {
            d.as_ref()
                .map(|d| d.name.clone())
                .unwrap_or_else(|| "Schedule".into())
        })
    };
    let is = move |f: fn(&Deployment) -> bool| deployment.with(|d| d.as_ref().is_some_and(f));
    let archived = Signal::derive(move || is(|d| d.archived_at.is_some()));
    view! {
        <section class="page" id="page-schedule">
            <div class="page-head">
                <h1>{title}
                    {move || deployment.get().map(|d| {
                        let status = if d.archived_at.is_some() { "archived".to_string() } else { d.status.to_string() };
                        view! { <span id="schedule-status" class=format!("status-chip {status}")>{status.clone()}</span> }
                    })}
                </h1>
                <div class="head-actions">
                    <Show when=move || is(|d| d.status.as_str() == "active") fallback=move || {
                        let resume = resume.clone();
                        view! { <button type="button" id="schedule-resume" disabled=move || archived.get() on:click=move |_| resume("resume")>"Resume"</button> }
                    }>
                        {let pause = pause.clone(); view! { <button type="button" id="schedule-pause" disabled=move || archived.get() on:click=move |_| pause("pause")>"Pause"</button> }}
                    </Show>
                    <button type="button" id="schedule-run-now" class="primary" disabled=move || archived.get() on:click=move |_| run_now("run")>"Run now"</button>
                    <ConfirmButton id="schedule-archive" label="Archive" on_confirm=archive disabled=archived
                        question=Signal::derive(move || format!("Archive “{}”? It stops running; schedules cannot be deleted.", title())) />
                </div>
            </div>
            {move || failed.get().map(|m| view! { <p class="result bad" role="alert">{format!("Could not open this schedule: {m}")}</p> })}
            {move || deployment.get().map(|d| {
                let why = paused_why(&d);
                let upcoming = d.schedule.as_ref().map(|s| s.upcoming_runs_at.clone()).unwrap_or_default();
                view! {
                    <div class="card">
                        <p id="schedule-when">{format!("Runs {}", words_of(&d))}</p>
                        {why.map(|w| view! { <p class="result bad" id="schedule-paused-reason">{w}</p> })}
                        <p class="muted">{format!("First message: {}", d.first_message().unwrap_or_default())}</p>
                        <p class="muted" id="schedule-cap">{cap_words(&d)}</p>
                        {(!upcoming.is_empty()).then(|| view! {
                            <p class="muted">"Next runs, in your time:"</p>
                            <ul id="schedule-upcoming">{upcoming.iter().map(|t| view! { <li>{local_time(t)}</li> }).collect_view()}</ul>
                        })}
                    </div>
                }
            })}
            <div class="card wide">
                <h2>"Runs"</h2>
                {move || {
                    let list = runs.get();
                    if list.is_empty() {
                        return view! { <p class="muted" id="schedule-no-runs">"No runs yet."</p> }.into_any();
                    }
                    view! {
                        <table class="list-table" id="schedule-runs">
                            <thead><tr><th>"When"</th><th>"Why"</th><th>"Result"</th></tr></thead>
                            <tbody>
                                {list.into_iter().map(|r| {
                                    let why = match &r.trigger_context {
                                        TriggerContext::Schedule { scheduled_at } => format!("Scheduled for {}", local_time(scheduled_at)),
                                        TriggerContext::Manual => "Run by hand".to_string(),
                                        TriggerContext::Other(_) => "Other".to_string(),
                                    };
                                    let result = match (&r.session_id, &r.error) {
                                        (Some(s), _) => {
                                            let to = Route::Session { id: s.clone(), at: None };
                                            view! { <button type="button" class="link" id=format!("run-{}-open", r.id) on:click=move |_| router.navigate(to.clone())>"Open session"</button> }.into_any()
                                        }
                                        (None, Some(e)) => view! { <span class="result bad">{format!("Could not start: {}", e.describe())}</span> }.into_any(),
                                        (None, None) => view! { <span class="muted">"—"</span> }.into_any(),
                                    };
                                    view! {
                                        <tr id=format!("run-{}", r.id) class="run-row">
                                            <td>{local_time(&r.created_at)}</td>
                                            <td class="why">{why}</td>
                                            <td>{result}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
            </div>
        </section>
    }
}
