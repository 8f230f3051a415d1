//! Mapping core failures to the one IPC error type, in words a person can act on.

use hangar_types::{ErrorKind, IpcError};

/// Result of every command.
pub type CommandResult<T> = Result<T, IpcError>;

/// A cache failure. A full disk gets its own sentence.
pub fn storage(error: hangar_store::Error) -> IpcError {
    if error.is_disk_full() {
        return IpcError::new(ErrorKind::Storage, "The disk is full, so Hangar could not save to its local cache. Free some space; nothing you typed was lost.");
    }
    IpcError::new(ErrorKind::Storage, error.to_string())
}

/// An API failure.
pub fn api(error: hangar_api::Error) -> IpcError {
    use hangar_api::Error as E;
    let kind = match &error {
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
    let message = match &error {
        E::Api(a) if a.status == 429 => match a.retry_after {
            Some(wait) => format!(
                "The API is busy (rate limited). Try again in {} s.",
                wait.as_secs().max(1)
            ),
            None => "The API is busy (rate limited). Try again in a moment.".to_string(),
        },
        E::Api(a) if a.status >= 500 => format!(
            "The API had a problem ({}). Hangar will keep your work; try again shortly.",
            a.message
        ),
        E::Api(a) => a.message.clone(),
        E::Transport(t) => format!("Could not reach the API: {t}"),
        other => other.to_string(),
    };
    IpcError::new(kind, message)
}
