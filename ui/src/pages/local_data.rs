//! Settings › Local data: where the cache lives and its size, clearing it (imported sessions
//! kept unless the person says otherwise), a one-click backup and its restore.

use hangar_types::{cmd, ArchiveProgress, CacheClearInput, LocalDataInfo};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::configure::ConfirmButton;
use crate::{ipc, AppContext};

/// The Local data card of Settings.
#[component]
pub fn LocalData() -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let info = RwSignal::new(None::<LocalDataInfo>);
    let keep_imported = RwSignal::new(true);
    let progress = RwSignal::new(None::<ArchiveProgress>);
    let reload = move || {
        spawn_local(async move {
            match ipc::invoke::<cmd::LocalDataInfo>(&()).await {
                Ok(i) => {
                    info.try_set(Some(i));
                }
                Err(e) => {
                    ctx.notices
                        .error("Could not read the local data's size", &e);
                }
            }
        });
    };
    Effect::new(move |_| {
        ctx.session_changes.track();
        reload();
    });
    let clear = Callback::new(move |()| {
        let input = CacheClearInput {
            keep_imported: keep_imported.get_untracked(),
        };
        spawn_local(async move {
            match ipc::invoke::<cmd::CacheClear>(&input).await {
                Ok(n) => {
                    ctx.notices.success(
                        "Cache cleared",
                        &format!("{n} session(s) removed from this computer; they refill from the API while online."),
                    );
                }
                Err(e) => {
                    ctx.notices.error("Could not clear the cache", &e);
                }
            }
            reload();
        });
    });
    let backup = move |_| {
        spawn_local(async move {
            progress.set(Some(ArchiveProgress { done: 0, total: 0 }));
            let answer =
                ipc::follow::<cmd::BackupCreate>(&(), move |p| progress.set(Some(p))).await;
            progress.set(None);
            match answer {
                Ok((out, _channel)) => {
                    if let Some(path) = out.path {
                        ctx.notices.success(
                            "Backup saved",
                            &format!("{} session(s) saved to {path}", out.sessions),
                        );
                    }
                }
                Err(e) => {
                    ctx.notices.error("Could not save the backup", &e);
                }
            }
        });
    };
    let restore = move |_| {
        spawn_local(async move {
            match ipc::invoke::<cmd::BackupRestore>(&()).await {
                Ok(out) if out.chosen => {
                    let new = out.sessions.iter().filter(|s| s.new_session).count();
                    ctx.notices.success(
                        "Backup restored",
                        &format!(
                            "{} session(s) in the backup, {new} new here.",
                            out.sessions.len()
                        ),
                    );
                }
                Ok(_) => {}
                Err(e) => {
                    ctx.notices.error("Nothing was restored", &e);
                }
            }
            reload();
        });
    };
    view! {
        <div class="card" id="local-data">
            <h2>"Local data"</h2>
            <p class="muted">"Hangar keeps a copy of every session on this computer, so transcripts open instantly and can be read and searched offline. The copy refills from the API; sessions imported from files exist only here."</p>
            <dl class="facts">
                <dt>"Location"</dt>
                <dd id="cache-location"><code>{move || info.get().map(|i| i.location).unwrap_or_default()}</code></dd>
                <dt>"Size"</dt>
                <dd id="cache-size">{move || info.get().map(|i| format!(
                    "{} · {} sessions · {} events · {} imported",
                    hangar_types::bytes(i.bytes), i.sessions, i.events, i.imported
                )).unwrap_or_else(|| "…".into())}</dd>
            </dl>
            <div class="actions">
                <button type="button" id="backup-create" disabled=move || progress.with(Option::is_some) on:click=backup>"Back up"</button>
                <button type="button" id="backup-restore" on:click=restore>"Restore"</button>
                <ConfirmButton id="cache-clear" label="Clear cache" danger=true
                    question=Signal::derive(move || if keep_imported.get() {
                        "Remove this profile's cached sessions from this computer? Imported sessions are kept.".to_string()
                    } else {
                        "Remove this profile's cached sessions, imported ones too? Imported sessions cannot be fetched again.".to_string()
                    })
                    on_confirm=clear />
                <label class="inline">
                    <input type="checkbox" id="cache-keep-imported" prop:checked=move || keep_imported.get()
                        on:change=move |ev| keep_imported.set(event_target_checked(&ev)) />
                    "Keep imported sessions"
                </label>
            </div>
            {move || progress.get().map(|p| view! {
                <div class="progress" id="backup-progress" role="status">
                    <progress max=p.total.max(1) value=p.done></progress>
                    <span>{format!("Saving {} of {} sessions…", p.done, p.total)}</span>
                </div>
            })}
        </div>
    }
}

/// The Notifications card of Settings: one switch per kind.
#[component]
pub fn NotificationSettings() -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let settings = RwSignal::new(None::<hangar_types::NotifySettings>);
    spawn_local(async move {
        match ipc::invoke::<cmd::NotifySettingsGet>(&()).await {
            Ok(s) => {
                settings.try_set(Some(s));
            }
            Err(e) => {
                ctx.notices
                    .error("Could not read the notification settings", &e);
            }
        }
    });
    let save = move |change: fn(&mut hangar_types::NotifySettings, bool), on: bool| {
        let Some(mut next) = settings.get_untracked() else {
            return;
        };
        change(&mut next, on);
        settings.set(Some(next));
        spawn_local(async move {
            if let Err(e) = ipc::invoke::<cmd::NotifySettingsSet>(&next).await {
                ctx.notices
                    .error("Could not save the notification settings", &e);
            }
        });
    };
    let switch = move |id: &'static str,
                       label: &'static str,
                       get: fn(&hangar_types::NotifySettings) -> bool,
                       set: fn(&mut hangar_types::NotifySettings, bool)| {
        view! {
            <label class="inline">
                <input type="checkbox" id=id
                    prop:checked=move || settings.get().as_ref().is_some_and(get)
                    disabled=move || settings.with(Option::is_none)
                    on:change=move |ev| save(set, event_target_checked(&ev)) />
                {label}
            </label>
        }
    };
    view! {
        <div class="card" id="notification-settings">
            <h2>"Notifications"</h2>
            <p class="muted">"Desktop notifications for sessions you are not looking at. They name the session and the tool, never what was said."</p>
            <div class="switches">
                {switch("notify-turn-end", "When a session finishes its turn", |s| s.turn_end, |s, on| s.turn_end = on)}
                {switch("notify-waiting", "When a session waits for a tool confirmation or a custom tool answer", |s| s.waiting, |s, on| s.waiting = on)}
                {switch("notify-errors", "When a session stops with an error", |s| s.errors, |s, on| s.errors = on)}
            </div>
        </div>
    }
}
