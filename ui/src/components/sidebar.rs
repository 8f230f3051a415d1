//! The left sidebar: one button per page, reachable by keyboard (Tab, Enter) and by Ctrl/Cmd+1…5.

use leptos::ev::keydown;
use leptos::prelude::*;

use crate::nav::Page;

/// Sidebar navigation; `page` is the page shown.
#[component]
pub fn Sidebar(page: RwSignal<Page>) -> impl IntoView {
    let _shortcuts = window_event_listener(keydown, move |ev| {
        if ev.ctrl_key() || ev.meta_key() {
            if let Some(target) = ev.key().chars().next().and_then(Page::from_shortcut_digit) {
                ev.prevent_default();
                page.set(target);
            }
        }
    });
    view! {
        <nav class="sidebar" aria-label="Main">
            <div class="brand">
                <img src="/icon.svg" alt="" class="brand-icon" />
                <span class="brand-name">"Hangar"</span>
            </div>
            <ul>
                {Page::ALL
                    .into_iter()
                    .map(|p| {
                        view! {
                            <li>
                                <button
                                    id=format!("nav-{}", p.slug())
                                    class="nav-item"
                                    class:active=move || page.get() == p
                                    aria-current=move || if page.get() == p { "page" } else { "false" }
                                    on:click=move |_| page.set(p)
                                >
                                    {p.label()}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
