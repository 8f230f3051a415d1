//! Hangar's views. Components stay thin: state that has rules lives in plain types tested
//! natively (`route.rs`, `form.rs`, `notice.rs`, `load.rs`, `time.rs`, `nav.rs`); every call
//! to the backend goes through `ipc.rs`.
//!
//! The building blocks of every screen:
//! - where the window is: [`route::Route`] and the [`router::Router`] in context
//!   (`use_router()`), with back/forward and a leave guard for unsaved forms;
//! - forms: [`form::Form`] of [`form::Field`]s, bound to the inputs of
//!   [`components::fields`] (`TextField`, `MultilineField`, `SelectField`, `Toggle`,
//!   `PasswordField`, `KeyValueRows`, `ListEditor`), checked by `hangar_types::validate`;
//! - notices: `AppContext.notices` ([`components::notices::NoticeCenter`]);
//! - loads where only the newest answer counts: [`load::Latest`] and [`load::load_latest`];
//! - local days: [`time::group_by_day`].

pub mod components;
pub mod form;
// Configure (issue 10): the agent, environment and credential forms' models, templates,
// version diffs and drafts, all plain and tested natively.
pub mod agent_form;
pub mod diff;
pub mod drafts;
pub mod env_form;
mod ipc;
pub mod load;
pub mod nav;
pub mod notice;
mod pages;
mod panic;
pub mod route;
pub mod router;
pub mod templates;
pub mod time;
// History (issue 12).
pub mod history;
// Sessions and the live chat (issue 11): how events become cards, in plain words.
pub mod chat;
// Issue 14: outcomes, idle clean-up, usage.
pub mod beyond;

use hangar_types::{cmd, ev, AppInfo, ConnectionChanged, ProfileSummary};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use components::notices::{NoticeCenter, NoticeList};
use components::sidebar::Sidebar;
use components::topbar::TopBar;
use load::{load_latest, Latest};
use nav::{key_shortcut, mouse_shortcut, KeyPress, Shortcut};
use route::Route;
use router::Router;

/// App-wide state shared through context.
#[derive(Clone, Copy)]
pub struct AppContext {
    /// What the backend said about itself at start (None until it answered).
    pub info: RwSignal<Option<AppInfo>>,
    /// The connection chip's state, kept current by backend events.
    pub connection: RwSignal<Option<ConnectionChanged>>,
    /// How many connection events arrived (shown in the chip's tooltip, proves the event path).
    pub connection_events: RwSignal<u32>,
    /// Errors, warnings and confirmations shown above the page.
    pub notices: NoticeCenter,
    /// Every profile (Demo first); refreshed after changes, the newest answer wins.
    pub profiles: RwSignal<Latest<Vec<ProfileSummary>>>,
    /// The profile shown.
    pub active: RwSignal<Option<ProfileSummary>>,
    /// Bumped when a session's status or usage changes (lists re-read the cache then).
    pub session_changes: RwSignal<u32>,
}

impl AppContext {
    /// Reloads the profile list (an older answer arriving late is dropped).
    pub fn refresh_profiles(self) {
        load_latest(
            self.profiles,
            ipc::invoke::<cmd::ProfileList>(&()),
            move |e| {
                self.notices.error("Could not read profiles", &e);
            },
        );
    }

    /// The profiles as last loaded (tracked).
    pub fn profile_list(self) -> Vec<ProfileSummary> {
        self.profiles
            .with(|l| l.value().cloned().unwrap_or_default())
    }
}

/// Installs the panic hook, then mounts the window.
pub fn start() {
    panic::install();
    leptos::mount::mount_to_body(App);
}

/// The whole window: sidebar, top bar, notices and the current page.
#[component]
pub fn App() -> impl IntoView {
    let router = Router::new(router::initial_route());
    provide_context(router);
    let notices = NoticeCenter::new(router);
    panic::show_in(notices);
    let ctx = AppContext {
        info: RwSignal::new(None),
        connection: RwSignal::new(None),
        connection_events: RwSignal::new(0),
        notices,
        profiles: RwSignal::new(Latest::new()),
        active: RwSignal::new(None),
        session_changes: RwSignal::new(0),
    };
    provide_context(ctx);
    listen_for_shortcuts(router);
    // Release (issue 13): the OS light/dark theme, followed live.
    components::updates::follow_os_theme();

    spawn_local(async move {
        let unavailable = move |error: hangar_types::IpcError| {
            ctx.notices.error("Live updates are unavailable", &error);
        };
        // Listen first, then read the current value: no change can fall between the two.
        let listening = ipc::listen::<ev::ConnectionChanged>(move |changed: ConnectionChanged| {
            ctx.connection.set(Some(changed));
            ctx.connection_events.update(|n| *n += 1);
        })
        .await;
        if let Err(error) = listening {
            unavailable(error);
        }
        let followed = ipc::listen::<ev::ProfileChanged>(move |profile: ProfileSummary| {
            ctx.active.set(Some(profile));
            ctx.refresh_profiles();
        })
        .await;
        if let Err(error) = followed {
            unavailable(error);
        }
        // One listener for the app's lifetime; pages follow `session_changes`.
        let followed = ipc::listen::<ev::CacheChanged>(move |changed| {
            if changed.areas.contains(&hangar_types::CacheArea::Sessions) {
                ctx.session_changes.update(|n| *n += 1);
            }
        })
        .await;
        if let Err(error) = followed {
            unavailable(error);
        }
        // A click on a desktop notification opens its session.
        let followed = ipc::listen::<ev::NotificationClicked>(move |clicked| {
            router.navigate(Route::Session {
                id: clicked.session_id,
                at: None,
            });
        })
        .await;
        if let Err(error) = followed {
            unavailable(error);
        }
        match ipc::invoke::<cmd::AppInfo>(&()).await {
            Ok(info) => {
                ctx.connection.set(Some(info.connection.clone()));
                ctx.active.set(Some(info.profile.clone()));
                ctx.info.set(Some(info));
                ctx.refresh_profiles();
            }
            Err(error) => {
                ctx.notices.error("Hangar's backend did not answer", &error);
            }
        }
    });

    // The backend refreshes the lists on screen often, the others rarely.
    let watched = Memo::new(move |_| router.with_route(Route::watched_areas));
    Effect::new(move |_| {
        let areas = watched.get();
        spawn_local(async move {
            let input = hangar_types::SyncWatchInput { areas };
            if let Err(error) = ipc::invoke::<hangar_types::cmd::SyncWatch>(&input).await {
                ipc::report("sync_watch", &error.message);
            }
        });
    });

    // The page is rebuilt only when the screen changes, not when it follows its own route
    // (an agent's tab, the search text).
    let screen = Memo::new(move |_| router.with_route(Route::screen_key));
    view! {
        <div class="frame">
            <Sidebar />
            <div class="main">
                <TopBar />
                <NoticeList center=notices />
                <main class="content" id="content" aria-live="polite" data-route=move || router.with_route(Route::to_path)>
                    {move || {
                        // Read (not just tracked: a memo computes only when read) so that only
                        // a change of screen re-renders.
                        screen.with(|_| ());
                        pages::render(router.route_untracked())
                    }}
                </main>
            </div>
        </div>
    }
}

/// Ctrl/Cmd+1…7, Ctrl/Cmd+K, Alt+Left/Right and the mouse's side buttons, wired once for the
/// window's lifetime.
fn listen_for_shortcuts(router: Router) {
    // `App` lives as long as the window, so these listeners are never removed.
    let _keys = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.default_prevented() {
            return;
        }
        let key = ev.key();
        let press = KeyPress {
            key: &key,
            ctrl: ev.ctrl_key(),
            meta: ev.meta_key(),
            alt: ev.alt_key(),
            shift: ev.shift_key(),
            in_text: in_text_field(ev.target()),
        };
        if let Some(shortcut) = key_shortcut(press) {
            ev.prevent_default();
            run_shortcut(router, shortcut);
        }
    });
    let _mouse = window_event_listener(leptos::ev::mouseup, move |ev| {
        if let Some(shortcut) = mouse_shortcut(ev.button()) {
            ev.prevent_default();
            run_shortcut(router, shortcut);
        }
    });
}

fn run_shortcut(router: Router, shortcut: Shortcut) {
    match shortcut {
        Shortcut::Open(section) => router.navigate(section.route()),
        Shortcut::Back => router.back(),
        Shortcut::Forward => router.forward(),
        Shortcut::FocusSearch => focus("global-search"),
    }
}

/// Moves the keyboard focus to the element with `id`, if it exists.
pub fn focus(id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        if element.focus().is_err() {
            web_sys::console::warn_1(&format!("could not focus #{id}").into());
        }
    }
}

/// Is `target` somewhere typing happens (where Alt+arrows move the cursor)?
fn in_text_field(target: Option<web_sys::EventTarget>) -> bool {
    let Some(element) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) else {
        return false;
    };
    match element.tag_name().to_ascii_uppercase().as_str() {
        "TEXTAREA" => true,
        "INPUT" => !matches!(
            element
                .get_attribute("type")
                .unwrap_or_default()
                .to_ascii_lowercase()
                .as_str(),
            "checkbox" | "radio" | "button" | "submit" | "reset" | "range" | "color" | "file"
        ),
        _ => element.is_content_editable(),
    }
}
