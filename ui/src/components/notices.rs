//! The notices above the page: [`NoticeCenter`] (in context through `AppContext`) raises them
//! and runs their timers; [`NoticeList`] shows them. The queue's rules are in `notice.rs`.

use std::collections::HashMap;
use std::time::Duration;

use hangar_types::{ErrorKind, IpcError};
use leptos::prelude::*;

use crate::notice::{Draft, Level, NoticeId, Notices, Timer};
use crate::route::Route;
use crate::router::Router;

/// Raises and dismisses notices.
#[derive(Clone, Copy)]
pub struct NoticeCenter {
    queue: RwSignal<Notices>,
    /// What each notice's action button does.
    actions: StoredValue<HashMap<NoticeId, Callback<()>>>,
    router: Router,
}

impl NoticeCenter {
    /// An empty center; error actions such as "Open Settings" navigate with `router`.
    pub fn new(router: Router) -> Self {
        NoticeCenter {
            queue: RwSignal::new(Notices::new()),
            actions: StoredValue::new(HashMap::new()),
            router,
        }
    }

    /// Shows `draft` (its action button, if it has a label, only dismisses it).
    pub fn push(&self, draft: Draft) -> NoticeId {
        let Some((id, timer)) = self.queue.try_update(|q| q.push(draft)) else {
            return 0;
        };
        if let Some(timer) = timer {
            self.schedule(timer);
        }
        id
    }

    /// Shows `draft` with an action button labelled `label` that runs `action`.
    pub fn push_with_action(&self, draft: Draft, label: &str, action: Callback<()>) -> NoticeId {
        let id = self.push(draft.with_action(label));
        self.actions.update_value(|a| {
            a.insert(id, action);
        });
        id
    }

    /// An info notice.
    pub fn info(&self, title: &str, message: &str) -> NoticeId {
        self.push(Draft::info(title, message))
    }

    /// A success notice.
    pub fn success(&self, title: &str, message: &str) -> NoticeId {
        self.push(Draft::success(title, message))
    }

    /// An error notice for what the backend reported, titled `title` ("Could not …"); an
    /// unauthorized error offers to open Settings.
    pub fn error(&self, title: &str, error: &IpcError) -> NoticeId {
        let draft = Draft::error(title, error);
        if error.kind == ErrorKind::Unauthorized {
            let router = self.router;
            let open = Callback::new(move |()| router.navigate(Route::Settings));
            let label = draft
                .action
                .clone()
                .unwrap_or_else(|| "Open Settings".into());
            return self.push_with_action(draft, &label, open);
        }
        self.push(draft)
    }

    /// Removes a notice.
    pub fn dismiss(&self, id: NoticeId) {
        self.queue.update(|q| {
            q.dismiss(id);
        });
        self.forget_action(id);
    }

    /// Runs a notice's action, then removes it.
    fn act(&self, id: NoticeId) {
        let action = self.actions.with_value(|a| a.get(&id).copied());
        self.dismiss(id);
        if let Some(action) = action {
            action.run(());
        }
    }

    fn forget_action(&self, id: NoticeId) {
        self.actions.update_value(|a| {
            a.remove(&id);
        });
    }

    fn schedule(&self, timer: Timer) {
        let center = *self;
        set_timeout(
            move || {
                if center
                    .queue
                    .try_update(|q| q.expire(timer.id, timer.stamp))
                    .unwrap_or(false)
                {
                    center.forget_action(timer.id);
                }
            },
            Duration::from_millis(u64::from(timer.ms)),
        );
    }

    fn hold(&self, id: NoticeId) {
        self.queue.update(|q| q.hold(id));
    }

    fn release(&self, id: NoticeId) {
        if let Some(timer) = self.queue.try_update(|q| q.release(id)).flatten() {
            self.schedule(timer);
        }
    }
}

/// The notices, newest last; the newest error carries `id="error-banner"`.
#[component]
pub fn NoticeList(center: NoticeCenter) -> impl IntoView {
    let banner = Memo::new(move |_| center.queue.with(|q| q.newest_error().map(|n| n.id)));
    let ids = move || {
        center
            .queue
            .with(|q| q.items().iter().map(|n| n.id).collect::<Vec<_>>())
    };
    view! {
        <section class="notices" aria-label="Notifications" class:empty=move || center.queue.with(Notices::is_empty)>
            <For each=ids key=|id| *id let:id>
                <NoticeView center=center id=id banner=banner />
            </For>
        </section>
    }
}

/// One notice: title, message, count, action and close button; Esc inside it dismisses it.
#[component]
fn NoticeView(center: NoticeCenter, id: NoticeId, banner: Memo<Option<NoticeId>>) -> impl IntoView {
    let notice = Memo::new(move |_| {
        center
            .queue
            .with(|q| q.items().iter().find(|n| n.id == id).cloned())
    });
    let level = notice.with_untracked(|n| n.as_ref().map_or(Level::Info, |n| n.draft.level));
    let text = move |f: fn(&crate::notice::Notice) -> String| {
        move || notice.with(|n| n.as_ref().map(f).unwrap_or_default())
    };
    let count = move || notice.with(|n| n.as_ref().map_or(1, |n| n.count));
    let action = move || notice.with(|n| n.as_ref().and_then(|n| n.draft.action.clone()));
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.stop_propagation();
            center.dismiss(id);
        }
    };
    view! {
        <div
            class=format!("notice {}", level.class())
            id=move || (banner.get() == Some(id)).then_some("error-banner")
            role=if level == Level::Error { "alert" } else { "status" }
            data-kind=move || notice.with(|n| n.as_ref().and_then(|n| n.draft.kind).map(|k| format!("{k:?}").to_lowercase()))
            on:keydown=on_key
            on:mouseenter=move |_| center.hold(id)
            on:mouseleave=move |_| center.release(id)
            on:focusin=move |_| center.hold(id)
            on:focusout=move |_| center.release(id)
        >
            <div class="notice-text">
                <strong class="notice-title">{text(|n| n.draft.title.clone())}</strong>
                <Show when=move || { count() > 1 }>
                    <span class="notice-count" title="How many times this happened">{move || format!("×{}", count())}</span>
                </Show>
                <span class="notice-message">{text(|n| n.draft.message.clone())}</span>
            </div>
            {move || action().map(|label| view! {
                <button type="button" class="notice-action" on:click=move |_| center.act(id)>{label}</button>
            })}
            <button type="button" class="notice-close" aria-label="Dismiss" on:click=move |_| center.dismiss(id)>"×"</button>
        </div>
    }
}
