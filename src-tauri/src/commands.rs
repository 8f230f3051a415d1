//! Commands the webview may call, one file per resource. Each command only adapts: it reads its
//! input, calls the core, and maps the error.

pub mod app;
pub mod profiles;
pub mod sessions;
