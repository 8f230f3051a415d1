//! Session events: the typed catalogue, previews and sendable params live in
//! [`hangar_model::events`]; re-exported here so `hangar_api::events::…` keeps working.

pub use hangar_model::events::*;
