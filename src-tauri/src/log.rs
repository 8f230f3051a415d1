//! Logging through `tracing`: a file per day in `<data dir>/logs` (the last 7 kept), and every
//! line redacted before it reaches the disk.
//!
//! Redaction has two locks: every API key the app handles is registered with [`protect`] and
//! replaced wherever it appears, and anything shaped like an Anthropic key (`sk-ant-…`) is
//! replaced even if it was never registered.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, RwLock};

use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::fmt::MakeWriter;

/// Log files kept (one per day).
const KEEP_FILES: usize = 7;
/// What replaces a secret.
const REDACTED: &str = "[redacted]";

static SECRETS: RwLock<Vec<String>> = RwLock::new(Vec::new());

/// The open log directories. A real app has one; tests start several apps in one process and
/// each sees every line, so each app's log has its own lines.
static SINKS: Mutex<Vec<(u64, Arc<Mutex<RollingFileAppender>>)>> = Mutex::new(Vec::new());
static INSTALLED: OnceLock<()> = OnceLock::new();
static NEXT_SINK: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Registers a secret that must never be written.
pub fn protect(secret: &str) {
    if secret.len() < 8 {
        return;
    }
    let mut secrets = SECRETS.write().unwrap_or_else(PoisonError::into_inner);
    if !secrets.iter().any(|s| s == secret) {
        secrets.push(secret.to_string());
    }
}

/// `text` with every protected secret, and anything shaped like an API key, replaced.
pub fn redact(text: &str) -> String {
    let mut out = text.to_string();
    for secret in SECRETS
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
    {
        if out.contains(secret.as_str()) {
            out = out.replace(secret.as_str(), REDACTED);
        }
    }
    redact_key_shapes(&out)
}

/// Replaces `sk-ant-` followed by key characters.
fn redact_key_shapes(text: &str) -> String {
    const PREFIX: &str = "sk-ant-";
    if !text.contains(PREFIX) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(PREFIX) {
        out.push_str(&rest[..at]);
        let after = &rest[at + PREFIX.len()..];
        let end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(after.len());
        out.push_str(REDACTED);
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Keeps the app's log directory open; dropping it closes it.
#[derive(Debug)]
pub struct LogGuard {
    id: u64,
    /// Where the files are.
    pub dir: PathBuf,
}

impl Drop for LogGuard {
    fn drop(&mut self) {
        SINKS
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|(id, _)| *id != self.id);
    }
}

/// Starts logging to `dir` (created if needed). The global subscriber is installed once per
/// process; `RUST_LOG` overrides the default level (`info`).
pub fn init(dir: &Path) -> std::io::Result<LogGuard> {
    std::fs::create_dir_all(dir)?;
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix("hangar")
        .filename_suffix("log")
        .max_log_files(KEEP_FILES)
        .build(dir)
        .map_err(std::io::Error::other)?;
    let id = NEXT_SINK.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    SINKS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push((id, Arc::new(Mutex::new(appender))));
    INSTALLED.get_or_init(|| {
        let filter = tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_ansi(false)
            .with_target(true)
            .with_writer(Redacting)
            .finish();
        // Another subscriber may already be set (a host test harness); then ours is not needed.
        if tracing::subscriber::set_global_default(subscriber).is_err() {
            eprintln!("hangar: a tracing subscriber was already installed; using it");
        }
    });
    Ok(LogGuard {
        id,
        dir: dir.to_path_buf(),
    })
}

/// Writes each formatted line, redacted, to every open log directory.
#[derive(Debug, Clone, Copy)]
struct Redacting;

impl<'a> MakeWriter<'a> for Redacting {
    type Writer = Redacting;

    fn make_writer(&'a self) -> Self::Writer {
        Redacting
    }
}

impl Write for Redacting {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // The fmt layer writes one whole line per event, so a secret never spans two writes.
        let clean = redact(&String::from_utf8_lossy(buf));
        let sinks: Vec<_> = SINKS
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .map(|(_, sink)| sink.clone())
            .collect();
        for sink in sinks {
            let mut file = sink.lock().unwrap_or_else(PoisonError::into_inner);
            file.write_all(clean.as_bytes())?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
/// Every line logged to `dir` so far (all files, oldest first): for tests and support.
pub fn read_all(dir: &Path) -> std::io::Result<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "log"))
        .collect();
    files.sort();
    let mut out = String::new();
    for file in files {
        out.push_str(&std::fs::read_to_string(file)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protected_secrets_and_key_shapes_never_reach_the_file() {
        let dir = std::env::temp_dir().join(format!("hangar-log-{}", std::process::id()));
        let _stale = std::fs::remove_dir_all(&dir);
        let guard = init(&dir).unwrap();
        protect("custom-secret-SECRETSECRET");
        tracing::warn!("request failed for key custom-secret-SECRETSECRET at http://x");
        tracing::warn!("an unregistered sk-ant-api03-abcDEF_123-xyz, then text");
        let text = read_all(&dir).unwrap();
        assert!(
            text.contains("request failed for key [redacted] at http://x"),
            "{text}"
        );
        assert!(
            text.contains("an unregistered [redacted], then text"),
            "{text}"
        );
        assert!(
            !text.contains("SECRETSECRET") && !text.contains("abcDEF"),
            "{text}"
        );
        drop(guard);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn key_shapes() {
        assert_eq!(redact_key_shapes("no key"), "no key");
        assert_eq!(redact_key_shapes("sk-ant-x"), REDACTED);
        assert_eq!(
            redact_key_shapes("a sk-ant-1 b sk-ant-2."),
            format!("a {REDACTED} b {REDACTED}.")
        );
    }
}
