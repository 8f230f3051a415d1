//! Mapping core failures to the one IPC error type.

use hangar_types::IpcError;

/// Result of every command.
pub type CommandResult<T> = Result<T, IpcError>;
