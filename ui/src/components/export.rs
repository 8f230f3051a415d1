//! `ExportMenu`: one session to Markdown, HTML or JSON through the OS save dialog (opened by the
//! backend). The chat header and the sessions list both use it.

use hangar_types::{cmd, ExportFormat, SessionExportInput, SessionId};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::{ipc, AppContext};

/// The `Export` button and its menu of formats.
#[component]
pub fn ExportMenu(
    /// The session to export.
    #[prop(into)]
    session_id: SessionId,
) -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let open = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let base = format!("export-{session_id}");
    let menu_id = format!("{base}-menu");
    let export = move |format: ExportFormat, session_id: SessionId| {
        open.set(false);
        busy.set(true);
        spawn_local(async move {
            let input = SessionExportInput { session_id, format };
            match ipc::invoke::<cmd::SessionExport>(&input).await {
                Ok(saved) => {
                    if let Some(path) = saved.path {
                        ctx.notices.success(
                            "Exported",
                            &format!("Saved as {} to {path}", format.label()),
                        );
                    }
                }
                Err(e) => {
                    ctx.notices.error("Could not export the session", &e);
                }
            }
            busy.set(false);
        });
    };
    let items = ExportFormat::ALL
        .into_iter()
        .map(|format| {
            let id = format!("{base}-{}", format.extension());
            let session_id = session_id.clone();
            view! {
                <li role="none">
                    <button type="button" role="menuitem" id=id
                        on:click=move |_| export(format, session_id.clone())>{format.label()}</button>
                </li>
            }
        })
        .collect_view();
    let close_on_escape = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && open.get_untracked() {
            ev.stop_propagation();
            open.set(false);
        }
    };
    view! {
        <span class="export-menu" on:keydown=close_on_escape>
            <button type="button" id=base.clone() class="export-button" aria-haspopup="menu"
                aria-expanded=move || open.get().to_string() aria-controls=menu_id.clone()
                disabled=move || busy.get()
                on:click=move |_| open.update(|o| *o = !*o)>
                {move || if busy.get() { "Exporting…" } else { "Export" }}
            </button>
            <ul class="menu" role="menu" id=menu_id.clone() aria-label="Export as" hidden=move || !open.get()>
                {items}
            </ul>
        </span>
    }
}
