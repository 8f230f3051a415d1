//! Files: the list (cached first, then fresh from the API), uploading through the OS file
//! picker with progress, downloading to a place chosen in the OS save dialog, delete.

use hangar_types::{
    bytes, cmd, FileIdInput, FileListItem, FreshInput, ImportInput, UploadProgress,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::skills::Progress;
use crate::components::configure::{is_offline, profile_id, when, ConfirmButton, OfflineNote};
use crate::{ipc, AppContext};

/// The Files page.
#[component]
pub fn Files() -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let items = RwSignal::new(None::<Vec<FileListItem>>);
    let stale = RwSignal::new(false);
    let load = move || {
        spawn_local(async move {
            if let Ok(cached) = ipc::invoke::<cmd::FileList>(&FreshInput { fresh: false }).await {
                items.set(Some(cached));
            }
            match ipc::invoke::<cmd::FileList>(&FreshInput { fresh: true }).await {
                Ok(fresh) => {
                    stale.set(false);
                    items.set(Some(fresh));
                }
                Err(e) => {
                    stale.set(true);
                    if items.with_untracked(Option::is_none) {
                        items.set(Some(Vec::new()));
                    }
                    if !is_offline() {
                        ctx.notices.error("Could not refresh the files", &e);
                    }
                }
            }
        });
    };
    Effect::new(move |_| {
        profile_id();
        load();
    });
    let progress = RwSignal::new(None::<UploadProgress>);
    let busy = RwSignal::new(false);
    let upload = move |_| {
        busy.set(true);
        spawn_local(async move {
            let result =
                ipc::follow::<cmd::FileUpload>(&ImportInput { multiple: true }, move |p| {
                    progress.set(Some(p))
                })
                .await;
            busy.set(false);
            match result {
                Ok((out, _subscription)) if out.cancelled => progress.set(None),
                Ok((out, _subscription)) => {
                    ctx.notices
                        .success("Uploaded", &format!("{} uploaded.", out.created.join(", ")));
                    load();
                }
                Err(e) => {
                    progress.set(None);
                    ctx.notices.error("Could not upload", &e);
                }
            }
        });
    };
    view! {
        <section class="page" id="page-files">
            <div class="page-head">
                <h1>"Files"</h1>
                <button type="button" id="files-upload" class="primary" disabled=move || busy.get() on:click=upload>"Upload files"</button>
            </div>
            <p class="muted lead">"Files you upload can be given to sessions; files agents produce appear here too."</p>
            <OfflineNote cached=stale what="your files" />
            <Progress progress=progress id="file-progress" />
            {move || match items.get() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(list) if list.is_empty() => view! {
                    <div class="empty-state"><h2>"No files yet"</h2><p>"Upload a file to give it to a session."</p></div>
                }.into_any(),
                Some(list) => view! {
                    <table class="list-table" id="file-list">
                        <thead><tr><th>"Name"</th><th>"Size"</th><th>"Uploaded"</th><th><span class="visually-hidden">"Actions"</span></th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|f| {
                                let row = format!("file-{}", f.id);
                                let (download_id, delete_id) = (f.id.clone(), f.id.clone());
                                let download = move |_| {
                                    let id = download_id.clone();
                                    spawn_local(async move {
                                        match ipc::invoke::<cmd::FileDownload>(&FileIdInput { id }).await {
                                            Ok(saved) => if let Some(path) = saved.path {
                                                ctx.notices.success("Downloaded", &format!("Saved to {path}."));
                                            },
                                            Err(e) => { ctx.notices.error("Could not download the file", &e); }
                                        }
                                    });
                                };
                                let delete = Callback::new(move |()| {
                                    let id = delete_id.clone();
                                    spawn_local(async move {
                                        match ipc::invoke::<cmd::FileDelete>(&FileIdInput { id }).await {
                                            Ok(()) => load(),
                                            Err(e) => { ctx.notices.error("Could not delete the file", &e); }
                                        }
                                    });
                                });
                                view! {
                                    <tr id=row.clone() class="file-row">
                                        <td class="name">{f.filename.clone()}<div class="muted small">{f.mime_type.clone()}
                                            {f.session_id.clone().map(|s| format!(" · made in session {s}"))}</div></td>
                                        <td>{bytes(f.size_bytes)}</td>
                                        <td>{when(&f.created_at)}</td>
                                        <td class="row-actions">
                                            <button type="button" id=format!("{row}-download") disabled=!f.downloadable on:click=download>"Download"</button>
                                            <ConfirmButton id=format!("{row}-delete") label="Delete" danger=true on_confirm=delete
                                                question=Signal::derive(|| "Delete this file for good?".to_string()) />
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
        </section>
    }
}
