//! The shell's one error type. Every failure of the core crates converts into it with `?`, and it
//! reaches the UI as an [`IpcError`] in words a person can act on.

use hangar_types::{ErrorKind, IpcError};

use crate::keys::KeyError;

/// Result of every command and background step.
pub type ShellResult<T> = Result<T, ShellError>;

/// Anything that can go wrong in the shell.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ShellError {
    /// The local cache failed.
    #[error("cache: {0}")]
    Store(#[from] hangar_store::Error),
    /// The API (or the network) failed.
    #[error("api: {0}")]
    Api(#[from] hangar_api::Error),
    /// The OS keychain failed.
    #[error("keychain: {0}")]
    Keychain(#[from] KeyError),
    /// A background task died (a panic in blocking work).
    #[error("background task: {0}")]
    Task(#[from] tokio::task::JoinError),
    /// Tauri itself failed (an emit, a channel send).
    #[error("tauri: {0}")]
    Tauri(#[from] tauri::Error),
    /// Input rejected before anything was sent; names the field.
    #[error("{message}")]
    Invalid {
        /// The input field at fault.
        field: Option<&'static str>,
        /// What is wrong with it.
        message: String,
    },
    /// Already a contract error (for example from a helper shared with the UI).
    #[error("{0}")]
    Ipc(IpcError),
}

impl ShellError {
    /// An invalid input, blamed on `field`.
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        ShellError::Invalid {
            field: Some(field),
            message: message.into(),
        }
    }

    /// A contract error of `kind`.
    pub fn kind(kind: ErrorKind, message: impl Into<String>) -> Self {
        ShellError::Ipc(IpcError::new(kind, message))
    }

    /// True when the failure means the API could not be reached (the connection check should
    /// look again now rather than at its next turn).
    pub fn is_network(&self) -> bool {
        match self {
            ShellError::Api(hangar_api::Error::Transport(_)) => true,
            ShellError::Api(e) => e.status().is_some_and(|s| s >= 500),
            _ => false,
        }
    }

    /// The error as the UI sees it.
    pub fn to_ipc(&self) -> IpcError {
        match self {
            ShellError::Store(e) => storage(e),
            ShellError::Api(e) => api(e),
            ShellError::Keychain(e) => IpcError::new(ErrorKind::Keychain, e.to_string()),
            ShellError::Task(e) => IpcError::new(
                ErrorKind::Internal,
                format!("Hangar hit an internal error ({e}); nothing was lost. Try again."),
            ),
            ShellError::Tauri(e) => IpcError::new(ErrorKind::Internal, e.to_string()),
            ShellError::Invalid { field, message } => {
                let error = IpcError::new(ErrorKind::Invalid, message.clone());
                match field {
                    Some(f) => error.with_field(*f),
                    None => error,
                }
            }
            ShellError::Ipc(e) => e.clone(),
        }
    }
}

impl From<IpcError> for ShellError {
    fn from(error: IpcError) -> Self {
        ShellError::Ipc(error)
    }
}

impl From<ShellError> for IpcError {
    fn from(error: ShellError) -> Self {
        error.to_ipc()
    }
}

/// Commands return `ShellError`; Tauri sends it to the webview as the contract's `IpcError`.
impl serde::Serialize for ShellError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_ipc().serialize(serializer)
    }
}

/// A cache failure. A full disk gets its own sentence.
fn storage(error: &hangar_store::Error) -> IpcError {
    if error.is_disk_full() {
        return IpcError::new(ErrorKind::Storage, "The disk is full, so Hangar could not save to its local cache. Free some space; nothing you typed was lost.");
    }
    IpcError::new(
        ErrorKind::Storage,
        format!("Hangar's local cache failed: {error}"),
    )
}

/// An API failure.
fn api(error: &hangar_api::Error) -> IpcError {
    use hangar_api::Error as E;
    let kind = match error {
        E::VersionConflict(_) => ErrorKind::Conflict,
        E::Api(a) => match a.status {
            401 | 403 => ErrorKind::Unauthorized,
            404 => ErrorKind::NotFound,
            409 => ErrorKind::Conflict,
            429 => ErrorKind::RateLimited,
            400 | 422 => ErrorKind::Invalid,
            _ => ErrorKind::Unavailable,
        },
        E::Transport(_) => ErrorKind::Unavailable,
        E::Invalid(_) => ErrorKind::Invalid,
        _ => ErrorKind::Internal,
    };
    let message = match error {
        E::Api(a) if a.status == 429 => match a.retry_after {
            Some(wait) => format!(
                "The API is busy (rate limited). Try again in {} s.",
                wait.as_secs().max(1)
            ),
            None => "The API is busy (rate limited). Try again in a moment.".to_string(),
        },
        E::Api(a) if matches!(a.status, 401 | 403) => format!(
            "The API rejected this profile's key ({}). Check it in Settings.",
            a.message
        ),
        E::Api(a) if a.status == 404 => format!("The API no longer has this ({}).", a.message),
        E::Api(a) if a.status >= 500 => format!(
            "The API had a problem ({}). Hangar will keep your work; try again shortly.",
            a.message
        ),
        E::Api(a) => a.message.clone(),
        E::Transport(t) => format!("Could not reach the API: {t}"),
        other => other.to_string(),
    };
    let out = IpcError::new(kind, message);
    match error {
        E::Api(a) => match a.retry_after {
            Some(wait) => out.with_retry_after_ms(wait.as_millis() as u64),
            None => out,
        },
        _ => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_input_names_its_field() {
        let e = ShellError::invalid("name", "Name: required").to_ipc();
        assert_eq!(e.kind, ErrorKind::Invalid);
        assert_eq!(e.field.as_deref(), Some("name"));
    }

    #[test]
    fn serializes_as_the_contract_error() {
        let e = ShellError::kind(ErrorKind::NotFound, "gone");
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"kind": "not_found", "message": "gone"})
        );
    }
}
