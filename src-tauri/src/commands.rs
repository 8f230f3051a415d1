//! Commands the webview may call, one file per resource. Each command only adapts: it reads its
//! input, calls the core, and maps the error. Every command is `async`, so none runs on the main
//! thread, and its signature is tied to its declaration in `hangar_types::cmd` by [`Reply`] and
//! [`Input`].

use std::sync::Arc;

use hangar_types::Command;

use crate::error::ShellError;
use crate::state::AppState;

pub mod app;
pub mod profiles;
pub mod sessions;
// Configure: agents, environments, vaults, skills, files (issue 10).
pub mod agents;
pub mod environments;
pub mod files;
pub mod skills;
pub mod vaults;
// Release: update preferences and checks (issue 13).
pub mod release;
// Beyond the console: memory stores, schedules (issue 14).
pub mod deployments;
pub mod memory;
pub mod usage;
// History: sessions list, search, export/import, local data (issue 12).
pub mod history;
// Sessions and the live chat (issue 11).
pub mod chat;

/// The managed state as a command receives it.
pub type Shared<'a> = tauri::State<'a, Arc<AppState>>;
/// What command `C` answers.
pub type Reply<C> = Result<<C as Command>::Output, ShellError>;
/// What command `C` receives.
pub type Input<C> = <C as Command>::Input;
