//! The traits that tie a command's or an event's name to its types, and the macros that declare
//! them: each name is written exactly once, next to its input and output.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// A backend command: its name and the types that cross the boundary.
///
/// The UI calls `ipc::invoke::<C>(&input)`, the backend handler takes `C::Input` as its `input`
/// argument and returns `Result<C::Output, IpcError>`, so both ends agree by construction.
pub trait Command {
    /// The command's name, `<resource>_<verb>`.
    const NAME: &'static str;
    /// What the UI sends (`()` when nothing).
    type Input: Serialize + DeserializeOwned;
    /// What the backend answers.
    type Output: Serialize + DeserializeOwned;
}

/// A command that also streams messages to the caller over a Tauri `Channel` (passed as the
/// `channel` argument next to `input`).
pub trait Streaming: Command {
    /// One message on the channel.
    type Message: Serialize + DeserializeOwned;
}

/// A global (broadcast) event: small, app-wide news such as the connection state.
pub trait Event {
    /// The event's name, kebab-case.
    const NAME: &'static str;
    /// Its payload.
    type Payload: Serialize + DeserializeOwned + Clone;
}

/// Declares command marker types and the list of their names.
macro_rules! commands {
    ($group:ident: $( $(#[$doc:meta])* $marker:ident = $name:literal ($input:ty) -> $output:ty; )*) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy)]
            pub enum $marker {}

            impl $crate::Command for $marker {
                const NAME: &'static str = $name;
                type Input = $input;
                type Output = $output;
            }
        )*

        /// The names declared in this group, in order.
        pub const $group: &[&str] = &[$($name),*];
    };
}

/// Declares event marker types and the list of their names.
macro_rules! events {
    ($( $(#[$doc:meta])* $marker:ident = $name:literal -> $payload:ty; )*) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy)]
            pub enum $marker {}

            impl $crate::Event for $marker {
                const NAME: &'static str = $name;
                type Payload = $payload;
            }
        )*

        /// Every global event name.
        pub const ALL: &[&str] = &[$($name),*];
    };
}

pub(crate) use commands;
pub(crate) use events;
