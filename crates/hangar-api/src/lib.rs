//! A typed client for the Claude Managed Agents API (see `shared/api/reference.md`).
//!
//! One module per resource family, reached from [`Client`] as `client.sessions().create(..)`.
//! Lists come as a [`Page`] or as a `Stream` over every item; session events also come live
//! through the [`tailer`], which turns the SSE stream plus the history endpoint into an
//! exactly-once, in-order sequence that survives dropped connections. Every request, stream
//! opens included, waits for its turn under the per-organisation rate limits ([`RateLimiter`]).
//!
//! The wire models themselves live in `hangar-model` (so the wasm UI can use them too); each
//! module here re-exports its family's models next to the client methods, so
//! `hangar_api::agents::AgentCreate` and `hangar_model::agents::AgentCreate` are the same type.
//!
//! Nothing here knows about Tauri. The API key is an [`ApiKey`], which never prints.
#![warn(missing_docs)]

mod client;
mod error;
mod limit;
mod page;
mod retry;

pub mod agents;
pub mod environments;
pub mod events;
pub mod files;
pub mod sessions;
pub mod skills;
pub mod sse;
pub mod tailer;
pub mod vaults;
// Issue 14 (beyond).
pub mod deployments;
pub mod memory;

pub use client::{ApiKey, Client, ClientConfig, DEFAULT_BASE_URL};
pub use error::{ApiError, Error, Result};
pub use hangar_model::common::{Deleted, Patch};
/// The newtype ids of the API's objects (`hangar_model::ids`).
pub use hangar_model::ids;
pub use limit::{RateClass, RateLimiter, RateLimits, RatePermit};
pub use page::{ListParams, Page};
pub use retry::{retry_delay, RetryPolicy};

/// The `anthropic-beta` value of the Managed Agents families.
pub const MANAGED_AGENTS_BETA: &str = "managed-agents-2026-04-01";
/// The `anthropic-version` sent with `Authorization: Bearer` (SDK 1.x/2.x).
pub const API_VERSION: &str = "2026-10-21";
