//! The [`Router`] in context: the reactive face of [`History`], with a leave guard for forms
//! that have unsaved changes. The rules live in `route.rs`; this file only wires them to signals
//! and the window (the address's `#path`, the confirmation dialog).

use leptos::prelude::*;

use crate::nav::Section;
use crate::route::{History, Route};

/// What a person is asked before leaving a form with unsaved changes.
const LEAVE_QUESTION: &str = "You have unsaved changes. Leave this page and lose them?";

/// Navigation state shared through context (`use_router()`).
#[derive(Clone, Copy)]
pub struct Router {
    history: RwSignal<History>,
    /// Forms that would lose changes, by registration number.
    guards: StoredValue<Vec<(u64, Signal<bool>)>>,
    next_guard: StoredValue<u64>,
}

impl Router {
    /// A router starting at `start`.
    pub fn new(start: Route) -> Self {
        Router {
            history: RwSignal::new(History::new(start)),
            guards: StoredValue::new(Vec::new()),
            next_guard: StoredValue::new(0),
        }
    }

    /// The route shown (tracked).
    pub fn route(&self) -> Route {
        self.history.with(|h| h.current().clone())
    }

    /// The route shown, without tracking it.
    pub fn route_untracked(&self) -> Route {
        self.history.with_untracked(|h| h.current().clone())
    }

    /// Reads the route shown without cloning it (tracked).
    pub fn with_route<R>(&self, f: impl FnOnce(&Route) -> R) -> R {
        self.history.with(|h| f(h.current()))
    }

    /// Reads the route shown without tracking it.
    pub fn with_route_untracked<R>(&self, f: impl FnOnce(&Route) -> R) -> R {
        self.history.with_untracked(|h| f(h.current()))
    }

    /// The sidebar section of the route shown (tracked).
    pub fn section(&self) -> Option<Section> {
        self.with_route(Route::section)
    }

    /// Is there a place to go back to? (tracked)
    pub fn can_back(&self) -> bool {
        self.history.with(History::can_back)
    }

    /// Is there a place to go forward to? (tracked)
    pub fn can_forward(&self) -> bool {
        self.history.with(History::can_forward)
    }

    /// Goes to `route` (after asking, when a form would lose changes).
    pub fn navigate(&self, route: Route) {
        let same = self.history.with_untracked(|h| *h.current() == route);
        if same || !self.may_leave() {
            return;
        }
        self.history.update(|h| {
            h.navigate(route);
        });
        self.sync_address();
    }

    /// Replaces the route shown without a new history entry and without asking (for changes
    /// within one screen: the search text as it is typed, a new form's id once saved).
    pub fn replace(&self, route: Route) {
        if self.history.with_untracked(|h| *h.current() == route) {
            return;
        }
        self.history.update(|h| h.replace(route));
        self.sync_address();
    }

    /// Goes back one entry, if there is one.
    pub fn back(&self) {
        if self.history.with_untracked(History::can_back) && self.may_leave() {
            self.history.update(|h| {
                h.back();
            });
            self.sync_address();
        }
    }

    /// Goes forward one entry, if there is one.
    pub fn forward(&self) {
        if self.history.with_untracked(History::can_forward) && self.may_leave() {
            self.history.update(|h| {
                h.forward();
            });
            self.sync_address();
        }
    }

    /// While `unsaved` is true, leaving the current screen asks first. The guard is removed
    /// when the calling component is unmounted.
    pub fn guard_leave(&self, unsaved: Signal<bool>) {
        let id = self.next_guard.try_update_value(|n| {
            *n += 1;
            *n
        });
        let Some(id) = id else { return };
        self.guards.update_value(|g| g.push((id, unsaved)));
        let guards = self.guards;
        on_cleanup(move || {
            guards.try_update_value(|g| g.retain(|(gid, _)| *gid != id));
        });
    }

    /// True when no form would lose changes, or the person agreed to lose them.
    fn may_leave(&self) -> bool {
        let unsaved = self.guards.with_value(|g| {
            g.iter()
                .any(|(_, s)| s.try_get_untracked().unwrap_or(false))
        });
        !unsaved || confirm(LEAVE_QUESTION)
    }

    /// Writes the route into the address (`#/agents/…`) without a browser history entry, so a
    /// reload of the window comes back to the same place.
    fn sync_address(&self) {
        let path = self.history.with_untracked(|h| h.current().to_path());
        let Some(window) = web_sys::window() else {
            return;
        };
        if let Ok(history) = window.history() {
            // Best effort: without it only a reload forgets the place.
            if history
                .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("#{path}")))
                .is_err()
            {
                web_sys::console::warn_1(&"could not record the route in the address".into());
            }
        }
    }
}

/// The route the window starts at: the one in the address (after a reload), else Sessions.
pub fn initial_route() -> Route {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .and_then(|hash| Route::from_path(&hash))
        .unwrap_or_default()
}

/// The router in context.
pub fn use_router() -> Router {
    expect_context::<Router>()
}

/// Asks a yes/no question in a native dialog; false when it cannot be shown.
pub fn confirm(question: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(question).ok())
        .unwrap_or(false)
}
