//! Built without the `demo` feature: there is no simulated API, so the Demo profile is not
//! offered and asking for it says so.

use hangar_api::Client;
use hangar_types::ErrorKind;

use crate::error::{ShellError, ShellResult};
use crate::state::AppState;

/// Stands in for the Demo's simulated API in builds without it.
#[derive(Default)]
pub struct DemoSlot {
    _none: (),
}

impl DemoSlot {
    /// Always an error: this build has no Demo.
    pub async fn client(&self, _state: &AppState) -> ShellResult<(Client, String)> {
        Err(ShellError::kind(
            ErrorKind::Invalid,
            "This build of Hangar has no Demo. Add a profile with your API key in Settings.",
        ))
    }
}
