//! A small log file in the data directory. Every line passes through redaction: any API key the
//! app has handled is replaced before it can reach the disk.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;

/// The app's log.
#[derive(Debug)]
pub struct Log {
    path: PathBuf,
    secrets: Mutex<Vec<String>>,
}

impl Log {
    /// Logs to `<dir>/hangar.log`.
    pub fn new(dir: PathBuf) -> Self {
        let _made = std::fs::create_dir_all(&dir);
        Self {
            path: dir.join("hangar.log"),
            secrets: Mutex::new(Vec::new()),
        }
    }

    /// Registers a secret that must never be written.
    pub fn protect(&self, secret: &str) {
        if secret.len() >= 8 {
            if let Ok(mut s) = self.secrets.lock() {
                if !s.iter().any(|x| x == secret) {
                    s.push(secret.to_string());
                }
            }
        }
    }

    /// `line` with every protected secret replaced.
    pub fn redact(&self, line: &str) -> String {
        let mut out = line.to_string();
        if let Ok(secrets) = self.secrets.lock() {
            for s in secrets.iter() {
                out = out.replace(s.as_str(), "[redacted]");
            }
        }
        out
    }

    /// Appends one line (failures to log are not worth failing the app for).
    pub fn line(&self, line: &str) {
        let clean = self.redact(line);
        let stamp = crate::state::now_ms();
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
        {
            let _written = writeln!(f, "{stamp} {clean}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protected_secrets_never_reach_the_file() {
        let dir = std::env::temp_dir().join(format!("hangar-log-{}", std::process::id()));
        let log = Log::new(dir.clone());
        log.protect("sk-ant-api03-SECRETSECRET");
        log.line("request failed for key sk-ant-api03-SECRETSECRET at http://x");
        let text = std::fs::read_to_string(dir.join("hangar.log")).unwrap();
        assert!(text.contains("[redacted]"));
        assert!(!text.contains("SECRETSECRET"));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
