//! Settings: profiles (later), and what Hangar knows about itself.

use leptos::prelude::*;

use crate::AppContext;

/// The Settings page.
#[component]
pub fn Settings() -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let version = move || {
        ctx.info
            .get()
            .map(|i| i.version)
            .unwrap_or_else(|| "…".into())
    };
    let data_dir = move || {
        ctx.info
            .get()
            .map(|i| i.data_dir)
            .unwrap_or_else(|| "…".into())
    };
    view! {
        <section class="page" id="page-settings">
            <h1>"Settings"</h1>
            <div class="card">
                <h2>"About Hangar"</h2>
                <dl class="facts">
                    <dt>"Version"</dt>
                    <dd id="app-version">{version}</dd>
                    <dt>"Local data"</dt>
                    <dd id="data-dir"><code>{data_dir}</code></dd>
                </dl>
            </div>
        </section>
    }
}
