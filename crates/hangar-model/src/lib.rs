//! The Claude Managed Agents wire models, shared by every Hangar crate: the API client reads
//! and writes them, the cache interprets events with them, the UI renders them and its forms
//! build the request bodies.
//!
//! One module per family ([`agents`], [`environments`], [`sessions`] with resources and
//! threads, [`events`], [`vaults`] with credentials, [`files`], [`skills`]), plus [`common`]
//! (patches, pages, money, secrets) and [`ids`] (newtype ids).
//!
//! The API is an open union: every answer type tolerates unknown fields (kept in `extra` where
//! it makes sense) and unknown enum values (an `Other` variant), so a newer server never breaks
//! an older Hangar. Secrets ([`common::Secret`]) appear only in request bodies.
//!
//! Plain serde data only, so it builds for `wasm32-unknown-unknown` and the host alike. Nothing
//! here may depend on tokio, reqwest, rusqlite or tauri (the test command checks it).
#![warn(missing_docs)]

pub mod agents;
pub mod common;
pub mod environments;
pub mod events;
pub mod files;
pub mod ids;
pub mod sessions;
pub mod skills;
pub mod vaults;
// Issue 14 (beyond): memory stores, deployments and their schedules.
pub mod cron;
pub mod deployments;
pub mod memory;

pub use ids::*;
