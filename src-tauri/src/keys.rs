//! API keys live in the OS keychain only: macOS Keychain, Windows Credential Manager, the Linux
//! Secret Service. Service `hangar`, account = profile id. There is no plaintext fallback.

use std::collections::HashMap;
use std::sync::Mutex;

/// The keychain service name.
pub const SERVICE: &str = "hangar";

/// Why a key could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// No keychain runs (or it is locked): the user must fix that; nothing is written elsewhere.
    #[error("{0}")]
    Unavailable(String),
    /// Anything else the keychain reported.
    #[error("the keychain refused: {0}")]
    Failed(String),
}

/// Where keys are kept.
pub trait SecretStore: Send + Sync {
    /// The key of `profile`, if one is stored.
    fn get(&self, profile: &str) -> Result<Option<String>, KeyError>;
    /// Stores (or replaces) the key of `profile`.
    fn set(&self, profile: &str, key: &str) -> Result<(), KeyError>;
    /// Forgets the key of `profile` (no error when there was none).
    fn delete(&self, profile: &str) -> Result<(), KeyError>;
}

/// The OS keychain through `keyring`.
#[derive(Debug, Default)]
pub struct OsKeychain;

fn unavailable_message(detail: &str) -> String {
    let fix = if cfg!(target_os = "linux") {
        "Install and start a Secret Service (for example GNOME Keyring: `sudo apt install gnome-keyring`, then log in again or run `gnome-keyring-daemon --unlock`) and make sure it is unlocked."
    } else if cfg!(target_os = "macos") {
        "Open Keychain Access and make sure your login keychain is unlocked."
    } else {
        "Make sure Windows Credential Manager is available for your account."
    };
    format!("No keychain is available to store API keys safely ({detail}). {fix} Hangar never stores keys in plain files; the Demo profile works without a key.")
}

fn map(error: keyring::Error) -> KeyError {
    match error {
        keyring::Error::NoStorageAccess(e) | keyring::Error::PlatformFailure(e) => {
            KeyError::Unavailable(unavailable_message(&e.to_string()))
        }
        other => KeyError::Failed(other.to_string()),
    }
}

impl SecretStore for OsKeychain {
    fn get(&self, profile: &str) -> Result<Option<String>, KeyError> {
        match keyring::Entry::new(SERVICE, profile)
            .map_err(map)?
            .get_password()
        {
            Ok(key) => Ok(Some(key)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map(e)),
        }
    }

    fn set(&self, profile: &str, key: &str) -> Result<(), KeyError> {
        keyring::Entry::new(SERVICE, profile)
            .map_err(map)?
            .set_password(key)
            .map_err(map)
    }

    fn delete(&self, profile: &str) -> Result<(), KeyError> {
        match keyring::Entry::new(SERVICE, profile)
            .map_err(map)?
            .delete_credential()
        {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map(e)),
        }
    }
}

/// An in-memory store for tests.
#[derive(Debug, Default)]
pub struct MemoryKeychain(Mutex<HashMap<String, String>>);

impl SecretStore for MemoryKeychain {
    fn get(&self, profile: &str) -> Result<Option<String>, KeyError> {
        Ok(self
            .0
            .lock()
            .map_err(|e| KeyError::Failed(e.to_string()))?
            .get(profile)
            .cloned())
    }
    fn set(&self, profile: &str, key: &str) -> Result<(), KeyError> {
        self.0
            .lock()
            .map_err(|e| KeyError::Failed(e.to_string()))?
            .insert(profile.into(), key.into());
        Ok(())
    }
    fn delete(&self, profile: &str) -> Result<(), KeyError> {
        self.0
            .lock()
            .map_err(|e| KeyError::Failed(e.to_string()))?
            .remove(profile);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against the real OS keychain. `cargo xtask test` runs the tests inside a private D-Bus
    /// session with gnome-keyring unlocked; without one this test fails with the message a user
    /// would see, which is the point of the next test.
    #[test]
    fn os_keychain_stores_reads_replaces_and_deletes() {
        let store = OsKeychain;
        let profile = format!("hangar-test-{}", std::process::id());
        store.delete(&profile).unwrap();
        assert_eq!(store.get(&profile).unwrap(), None);
        store.set(&profile, "sk-ant-first-1111").unwrap();
        assert_eq!(
            store.get(&profile).unwrap().as_deref(),
            Some("sk-ant-first-1111")
        );
        store.set(&profile, "sk-ant-second-2222").unwrap();
        assert_eq!(
            store.get(&profile).unwrap().as_deref(),
            Some("sk-ant-second-2222"),
            "replaced"
        );
        store.delete(&profile).unwrap();
        assert_eq!(store.get(&profile).unwrap(), None);
        store.delete(&profile).unwrap();
    }

    /// With no Secret Service reachable, the error says so and how to fix it. Runs in a child
    /// process whose D-Bus session points nowhere (the environment of this process is untouched).
    #[test]
    fn no_keychain_is_a_clear_error() {
        if std::env::var_os("HANGAR_KEYCHAIN_CHILD").is_some() {
            let error = OsKeychain.set("hangar-test-none", "x").unwrap_err();
            println!("KEYERROR {error}");
            assert!(matches!(error, KeyError::Unavailable(_)), "{error:?}");
            return;
        }
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "keys::tests::no_keychain_is_a_clear_error",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("HANGAR_KEYCHAIN_CHILD", "1")
            .env(
                "DBUS_SESSION_BUS_ADDRESS",
                "unix:path=/nonexistent/hangar-no-bus",
            )
            .env_remove("DISPLAY")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "child failed: {stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let line = stdout
            .split_once("KEYERROR")
            .map(|(_, rest)| rest.lines().next().unwrap_or_default())
            .unwrap_or_default();
        assert!(line.contains("No keychain is available"), "{line}");
        assert!(line.contains("never stores keys in plain files"), "{line}");
    }
}
