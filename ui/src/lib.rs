//! Hangar's views. Components stay thin: state that has rules lives in plain types
//! (`nav.rs`) tested natively; every call to the backend goes through `ipc.rs`.

mod components;
mod ipc;
mod nav;
mod pages;

use hangar_types::{cmd, ev, AppInfo, ConnectionChanged, ProfileSummary};
use leptos::prelude::*;
use leptos::task::spawn_local;

pub use nav::Page;

use components::sidebar::Sidebar;
use components::topbar::TopBar;

/// App-wide state shared through context.
#[derive(Clone, Copy)]
pub struct AppContext {
    /// What the backend said about itself at start (None until it answered).
    pub info: RwSignal<Option<AppInfo>>,
    /// The connection chip's state, kept current by backend events.
    pub connection: RwSignal<Option<ConnectionChanged>>,
    /// How many connection events arrived (shown in the chip's tooltip, proves the event path).
    pub connection_events: RwSignal<u32>,
    /// A failure to show in the banner.
    pub error: RwSignal<Option<String>>,
    /// Every profile (Demo first); refreshed after changes.
    pub profiles: RwSignal<Vec<ProfileSummary>>,
    /// The profile shown.
    pub active: RwSignal<Option<ProfileSummary>>,
    /// Bumped when a session's status or usage changes (lists re-read the cache then).
    pub session_changes: RwSignal<u32>,
}

impl AppContext {
    /// Reloads the profile list.
    pub fn refresh_profiles(self) {
        spawn_local(async move {
            match ipc::invoke::<cmd::ProfileList>(&()).await {
                Ok(list) => self.profiles.set(list),
                Err(e) => self
                    .error
                    .set(Some(format!("Could not read profiles: {e}"))),
            }
        });
    }
}

/// The whole window: sidebar, top bar and the current page.
#[component]
pub fn App() -> impl IntoView {
    let ctx = AppContext {
        info: RwSignal::new(None),
        connection: RwSignal::new(None),
        connection_events: RwSignal::new(0),
        error: RwSignal::new(None),
        profiles: RwSignal::new(Vec::new()),
        active: RwSignal::new(None),
        session_changes: RwSignal::new(0),
    };
    provide_context(ctx);
    let page = RwSignal::new(Page::Sessions);

    spawn_local(async move {
        // Listen first, then read the current value: no change can fall between the two.
        let listening = ipc::listen::<ev::ConnectionChanged>(move |changed: ConnectionChanged| {
            ctx.connection.set(Some(changed));
            ctx.connection_events.update(|n| *n += 1);
        })
        .await;
        if let Err(error) = listening {
            ctx.error
                .set(Some(format!("Live updates are unavailable: {error}")));
        }
        let followed = ipc::listen::<ev::ProfileChanged>(move |profile: ProfileSummary| {
            ctx.active.set(Some(profile));
            ctx.refresh_profiles();
        })
        .await;
        if let Err(error) = followed {
            ctx.error
                .set(Some(format!("Live updates are unavailable: {error}")));
        }
        // One listener for the app's lifetime; pages follow `session_changes`.
        let followed = ipc::listen::<ev::CacheChanged>(move |changed| {
            if changed.areas.contains(&hangar_types::CacheArea::Sessions) {
                ctx.session_changes.update(|n| *n += 1);
            }
        })
        .await;
        if let Err(error) = followed {
            ctx.error
                .set(Some(format!("Live updates are unavailable: {error}")));
        }
        match ipc::invoke::<cmd::AppInfo>(&()).await {
            Ok(info) => {
                ctx.connection.set(Some(info.connection.clone()));
                ctx.active.set(Some(info.profile.clone()));
                ctx.info.set(Some(info));
                ctx.refresh_profiles();
            }
            Err(error) => ctx
                .error
                .set(Some(format!("Hangar's backend did not answer: {error}"))),
        }
    });

    view! {
        <div class="frame">
            <Sidebar page=page />
            <div class="main">
                <TopBar />
                <Show when=move || ctx.error.get().is_some()>
                    <div class="banner error" role="alert" id="error-banner">
                        {move || ctx.error.get().unwrap_or_default()}
                    </div>
                </Show>
                <main class="content" id="content" aria-live="polite">
                    {move || pages::render(page.get())}
                </main>
            </div>
        </div>
    }
}
