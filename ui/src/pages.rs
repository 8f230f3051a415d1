//! One view per sidebar page.

mod sessions;
mod settings;

use leptos::prelude::*;

use crate::nav::Page;

/// The view for `page`.
pub fn render(page: Page) -> AnyView {
    match page {
        Page::Sessions => view! { <sessions::Sessions /> }.into_any(),
        Page::Agents => empty(
            page,
            "No agents yet",
            "An agent is a saved configuration: model, instructions, tools. Each save keeps a version.",
        ),
        Page::Environments => empty(
            page,
            "No environments yet",
            "An environment is the container an agent works in: its network access and packages.",
        ),
        Page::Vaults => empty(
            page,
            "No vaults yet",
            "Vaults hold the credentials agents use for MCP servers. Secrets are never shown again.",
        ),
        Page::Settings => view! { <settings::Settings /> }.into_any(),
    }
}

pub(crate) fn empty(page: Page, title: &'static str, body: &'static str) -> AnyView {
    view! {
        <section class="page" id=format!("page-{}", page.slug())>
            <h1>{page.label()}</h1>
            <div class="empty-state">
                <h2>{title}</h2>
                <p>{body}</p>
            </div>
        </section>
    }
    .into_any()
}
