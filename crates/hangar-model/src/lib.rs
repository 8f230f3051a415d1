//! The Claude Managed Agents wire models, shared by every Hangar crate: the API client reads
//! and writes them, the cache interprets events with them, the UI renders them.
//!
//! Plain serde data only, so it builds for `wasm32-unknown-unknown` and the host alike. Nothing
//! here may depend on tokio, reqwest, rusqlite or tauri (the test command checks it).
#![warn(missing_docs)]

pub mod ids;

pub use ids::*;
