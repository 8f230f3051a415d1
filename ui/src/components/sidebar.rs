//! The left sidebar: one button per section, reachable by keyboard (Tab, Enter) and by
//! Ctrl/Cmd+1…5 (wired in `App`). A detail page highlights its section (an agent → Agents).

use leptos::prelude::*;

use crate::nav::Section;
use crate::router::use_router;

/// Sidebar navigation; the section of the route shown is marked `aria-current="page"`.
#[component]
pub fn Sidebar() -> impl IntoView {
    let router = use_router();
    let current = Memo::new(move |_| router.section());
    view! {
        <nav class="sidebar" aria-label="Main">
            <div class="brand">
                <img src="/icon.svg" alt="" class="brand-icon" />
                <span class="brand-name">"Hangar"</span>
            </div>
            <ul>
                {Section::ALL
                    .into_iter()
                    .map(|s| {
                        let is_current = move || current.get() == Some(s);
                        view! {
                            <li>
                                <button
                                    id=format!("nav-{}", s.slug())
                                    class="nav-item"
                                    class:active=is_current
                                    aria-current=move || if is_current() { "page" } else { "false" }
                                    on:click=move |_| router.navigate(s.route())
                                >
                                    {s.label()}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
