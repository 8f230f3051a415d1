//! `file_*` commands (upload with progress, list, download, delete) and the OS file dialogs
//! every configure screen uses.
//!
//! The dialogs are opened by the backend ([`Dialogs`]), never by the webview: the webview
//! cannot name a path, so no command reads or writes a file the person did not choose.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use hangar_api::files::FileMetadata;
use hangar_api::ListParams;
use hangar_store::ResourceKind;
use hangar_types::{cmd, ErrorKind, FileListItem, SavedFile, UploadOutput, UploadProgress};
use tauri::ipc::Channel;

use super::agents::{all_pages, internal, to_json};
use super::{Input, Reply, Shared};
use crate::error::{ShellError, ShellResult};
use crate::state::lock;

/// What to ask the person.
#[derive(Debug, Clone)]
pub enum Ask {
    /// Choose one file (or several) to open.
    Open {
        /// The dialog's title.
        title: String,
        /// Named extension filters.
        filters: Vec<(String, Vec<String>)>,
        /// Several files allowed.
        multiple: bool,
    },
    /// Choose a folder.
    Folder {
        /// The dialog's title.
        title: String,
    },
    /// Choose where to save.
    Save {
        /// The dialog's title.
        title: String,
        /// The suggested file name.
        file_name: String,
    },
}

type Show = Box<dyn Fn(Ask, tokio::sync::oneshot::Sender<Option<Vec<PathBuf>>>) + Send + Sync>;

/// Scripted answers instead of the OS dialog (tests, and the end-to-end suite, which cannot
/// click in a native dialog).
enum Script {
    /// Ask the OS.
    Off,
    /// Each dialog reads (and removes) `<dir>/next`: one path per line, empty for "cancelled".
    /// Only debug builds honour it (`--e2e-dialogs=DIR`).
    Dir(PathBuf),
    /// Answers in order; none left means "cancelled".
    Queue(VecDeque<Option<Vec<PathBuf>>>),
}

/// The OS file dialogs, opened from the backend (managed state).
pub struct Dialogs {
    show: Show,
    script: Mutex<Script>,
}

impl Dialogs {
    /// Dialogs shown through Tauri's dialog plugin on `app`.
    pub fn new<R: tauri::Runtime>(app: tauri::AppHandle<R>) -> Self {
        let show: Show = Box::new(move |ask, reply| {
            use tauri_plugin_dialog::{DialogExt, FilePath};
            let paths = |picked: Vec<FilePath>| -> Option<Vec<PathBuf>> {
                let paths: Vec<PathBuf> = picked
                    .into_iter()
                    .filter_map(|p| p.into_path().ok())
                    .collect();
                (!paths.is_empty()).then_some(paths)
            };
            let send = move |answer: Option<Vec<PathBuf>>| {
                if reply.send(answer).is_err() {
                    tracing::debug!("a dialog answered after its command gave up");
                }
            };
            let builder = app.dialog().file();
            match ask {
                Ask::Open {
                    title,
                    filters,
                    multiple,
                } => {
                    let mut builder = builder.set_title(title);
                    for (name, extensions) in &filters {
                        let extensions: Vec<&str> = extensions.iter().map(String::as_str).collect();
                        builder = builder.add_filter(name, &extensions);
                    }
                    if multiple {
                        builder.pick_files(move |picked| send(picked.and_then(paths)));
                    } else {
                        builder.pick_file(move |picked| send(picked.and_then(|p| paths(vec![p]))));
                    }
                }
                Ask::Folder { title } => {
                    builder
                        .set_title(title)
                        .pick_folder(move |picked| send(picked.and_then(|p| paths(vec![p]))));
                }
                Ask::Save { title, file_name } => {
                    builder
                        .set_title(title)
                        .set_file_name(file_name)
                        .save_file(move |picked| send(picked.and_then(|p| paths(vec![p]))));
                }
            }
        });
        // Tests never open a real dialog: unscripted dialogs answer "cancelled".
        let script = if cfg!(test) {
            Script::Queue(VecDeque::new())
        } else {
            Script::Off
        };
        Dialogs {
            show,
            script: Mutex::new(script),
        }
    }

    /// Debug builds only: answer dialogs from `<dir>/next` (see [`Script::Dir`]).
    pub fn answer_from(&self, dir: PathBuf) {
        if cfg!(debug_assertions) {
            tracing::warn!("file dialogs answer from {} (test mode)", dir.display());
            *lock(&self.script) = Script::Dir(dir);
        }
    }

    /// Tests: the next dialogs answer these paths (`None`: cancelled).
    #[cfg(test)]
    pub fn answer(&self, answers: Vec<Option<Vec<PathBuf>>>) {
        *lock(&self.script) = Script::Queue(answers.into());
    }

    /// Asks the person; `None` when they cancelled.
    pub async fn ask(&self, ask: Ask) -> ShellResult<Option<Vec<PathBuf>>> {
        let scripted = {
            let mut script = lock(&self.script);
            match &mut *script {
                Script::Off => None,
                Script::Queue(answers) => Some(answers.pop_front().flatten()),
                Script::Dir(dir) => {
                    let next = dir.join("next");
                    let answer = std::fs::read_to_string(&next).ok();
                    if answer.is_some() {
                        std::fs::remove_file(&next).map_err(|e| {
                            ShellError::kind(ErrorKind::Internal, format!("dialog script: {e}"))
                        })?;
                    }
                    let paths: Vec<PathBuf> = answer
                        .unwrap_or_default()
                        .lines()
                        .filter(|l| !l.trim().is_empty())
                        .map(PathBuf::from)
                        .collect();
                    Some((!paths.is_empty()).then_some(paths))
                }
            }
        };
        if let Some(answer) = scripted {
            return Ok(answer);
        }
        let (tx, rx) = tokio::sync::oneshot::channel();
        (self.show)(ask, tx);
        rx.await.map_err(|_| {
            ShellError::kind(
                ErrorKind::Internal,
                "The file dialog closed without an answer.",
            )
        })
    }

    /// One file or folder (the first chosen).
    pub async fn ask_one(&self, ask: Ask) -> ShellResult<Option<PathBuf>> {
        Ok(self.ask(ask).await?.and_then(|p| p.into_iter().next()))
    }
}

/// The managed dialogs as a command receives them.
pub type DialogState<'a> = tauri::State<'a, Dialogs>;

/// The largest file Hangar reads for an upload or import.
pub const UPLOAD_MAX: u64 = 500 * 1024 * 1024;

/// A file's name for people.
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| path.display().to_string())
}

/// Reads `path` (at most `max` bytes) in chunks, reporting progress through `report`.
pub async fn read_with_progress(
    path: PathBuf,
    max: u64,
    report: impl Fn(u64, u64) + Send + 'static,
) -> ShellResult<Vec<u8>> {
    tokio::task::spawn_blocking(move || -> ShellResult<Vec<u8>> {
        use std::io::Read;
        let shown = path.display().to_string();
        let io = |e: std::io::Error| {
            ShellError::kind(ErrorKind::Invalid, format!("Could not read {shown}: {e}"))
        };
        let mut file = std::fs::File::open(&path).map_err(io)?;
        let total = file.metadata().map_err(io)?.len();
        if total > max {
            return Err(ShellError::kind(
                ErrorKind::Invalid,
                format!(
                    "{} is {}; Hangar uploads files up to {}.",
                    file_name(&path),
                    hangar_types::bytes(total),
                    hangar_types::bytes(max)
                ),
            ));
        }
        let mut out = Vec::with_capacity(total as usize);
        let mut chunk = vec![0u8; 256 * 1024];
        let mut last = 0u64;
        report(0, total);
        loop {
            let n = file.read(&mut chunk).map_err(io)?;
            if n == 0 {
                break;
            }
            out.extend_from_slice(&chunk[..n]);
            let done = out.len() as u64;
            // At most about a hundred messages per file.
            if done - last > total / 100 {
                report(done, total);
                last = done;
            }
        }
        report(out.len() as u64, total);
        Ok(out)
    })
    .await?
}

/// The MIME type the API is told for a file name.
pub fn mime_of(name: &str) -> &'static str {
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "csv" => "text/csv",
        "txt" | "log" => "text/plain",
        "md" => "text/markdown",
        "json" => "application/json",
        "yaml" | "yml" => "application/yaml",
        "html" | "htm" => "text/html",
        "py" => "text/x-python",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "zip" => "application/zip",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _ => "application/octet-stream",
    }
}

fn item(meta: &FileMetadata) -> FileListItem {
    use hangar_api::files::FileScope;
    FileListItem {
        id: meta.id.clone(),
        filename: meta.filename.clone(),
        mime_type: meta.mime_type.clone(),
        size_bytes: meta.size_bytes,
        created_at: meta.created_at.clone(),
        downloadable: meta.downloadable.unwrap_or(true),
        session_id: match &meta.scope {
            Some(FileScope::Session { id }) => Some(id.to_string()),
            _ => None,
        },
    }
}

async fn cached_files(state: &Shared<'_>, profile: String) -> ShellResult<Vec<FileMetadata>> {
    let rows = state
        .read(move |s| s.list_resources(&profile, ResourceKind::File, true))
        .await?;
    Ok(rows
        .iter()
        .filter_map(|r| serde_json::from_str::<FileMetadata>(&r.raw).ok())
        .collect())
}

/// The files: from the cache, or (`fresh`) from the API into the cache. Newest first.
#[tauri::command]
pub async fn file_list(state: Shared<'_>, input: Input<cmd::FileList>) -> Reply<cmd::FileList> {
    let mut files = if input.fresh {
        let (profile, client) = state.client().await?;
        let c = client.clone();
        let listed = all_pages(ListParams::limit(100), move |params| {
            let c = c.clone();
            async move {
                let page = c.files().list(&params, None).await?;
                Ok((page.data, page.next_page))
            }
        })
        .await;
        let listed = match listed {
            Ok(listed) => listed,
            Err(e) => {
                if e.is_network() {
                    state.monitor.note_trouble();
                }
                return Err(e);
            }
        };
        let raw = to_json(&listed)?;
        let id = profile.id.clone();
        state
            .write(move |s| {
                s.replace_resources(&id, ResourceKind::File, &raw)?;
                s.mark_list_refreshed(&id, "files", &now_rfc3339())
            })
            .await?;
        listed
    } else {
        cached_files(&state, state.active_id()).await?
    };
    files.sort_by(|a, b| {
        b.created_at
            .cmp(&a.created_at)
            .then(a.filename.cmp(&b.filename))
    });
    Ok(files.iter().map(item).collect())
}

/// Uploads the files chosen in the OS dialog, one after the other, with progress.
#[tauri::command]
pub async fn file_upload(
    state: Shared<'_>,
    dialogs: DialogState<'_>,
    input: Input<cmd::FileUpload>,
    channel: Channel<UploadProgress>,
) -> Reply<cmd::FileUpload> {
    let picked = dialogs
        .ask(Ask::Open {
            title: "Upload files".into(),
            filters: Vec::new(),
            multiple: input.multiple,
        })
        .await?;
    let Some(paths) = picked else {
        return Ok(UploadOutput {
            cancelled: true,
            created: Vec::new(),
        });
    };
    let (profile, client) = state.client().await?;
    let mut created = Vec::new();
    for path in paths {
        let name = file_name(&path);
        let progress = channel.clone();
        let shown = name.clone();
        let bytes = read_with_progress(path, UPLOAD_MAX, move |done, total| {
            let message = UploadProgress::Reading {
                name: shown.clone(),
                done,
                total,
            };
            if progress.send(message).is_err() {
                tracing::debug!("upload progress: the view is gone");
            }
        })
        .await?;
        channel.send(UploadProgress::Sending {
            name: name.clone(),
            total: bytes.len() as u64,
        })?;
        let meta = client.files().upload(&name, bytes, mime_of(&name)).await?;
        let raw = serde_json::to_string(&meta).map_err(internal)?;
        let id = profile.id.clone();
        state
            .write(move |s| s.upsert_resource(&id, ResourceKind::File, &raw))
            .await?;
        tracing::info!("file {} uploaded ({} bytes)", meta.id, meta.size_bytes);
        channel.send(UploadProgress::Done { name: name.clone() })?;
        created.push(name);
    }
    Ok(UploadOutput {
        cancelled: false,
        created,
    })
}

/// Downloads a file to the place chosen in the OS save dialog.
#[tauri::command]
pub async fn file_download(
    state: Shared<'_>,
    dialogs: DialogState<'_>,
    input: Input<cmd::FileDownload>,
) -> Reply<cmd::FileDownload> {
    let (profile, client) = state.client().await?;
    let known = cached_files(&state, profile.id.clone())
        .await?
        .into_iter()
        .find(|f| f.id == input.id);
    let meta = match known {
        Some(meta) => meta,
        None => client.files().retrieve(&input.id).await?,
    };
    if meta.downloadable == Some(false) {
        return Err(ShellError::kind(
            ErrorKind::Invalid,
            format!("The API does not let “{}” be downloaded.", meta.filename),
        ));
    }
    let Some(path) = dialogs
        .ask_one(Ask::Save {
            title: "Save file".into(),
            file_name: meta.filename.clone(),
        })
        .await?
    else {
        return Ok(SavedFile { path: None });
    };
    let bytes = client.files().download(&input.id).await?;
    write_file(path.clone(), bytes).await?;
    tracing::info!("file {} downloaded", input.id);
    Ok(SavedFile {
        path: Some(path.display().to_string()),
    })
}

/// Writes `bytes` to `path` (chosen by the person in a save dialog).
pub async fn write_file(path: PathBuf, bytes: Vec<u8>) -> ShellResult<()> {
    tokio::task::spawn_blocking(move || {
        std::fs::write(&path, bytes).map_err(|e| {
            ShellError::kind(
                ErrorKind::Invalid,
                format!("Could not write {}: {e}", path.display()),
            )
        })
    })
    .await?
}

/// Deletes a file.
#[tauri::command]
pub async fn file_delete(
    state: Shared<'_>,
    input: Input<cmd::FileDelete>,
) -> Reply<cmd::FileDelete> {
    let (profile, client) = state.client().await?;
    client.files().delete(&input.id).await?;
    let id = input.id.to_string();
    state
        .write(move |s| s.delete_resource(&profile.id, ResourceKind::File, &id))
        .await?;
    Ok(())
}

/// Now, as RFC 3339 (UTC).
pub fn now_rfc3339() -> String {
    let secs = crate::state::now_ms() / 1000;
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil date from days since the epoch (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}
