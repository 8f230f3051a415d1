//! Newtype ids: a `SessionId` cannot be passed where an `AgentId` is expected.
//!
//! Each is `#[serde(transparent)]`, so on the wire it is the plain string the API uses.

use serde::{Deserialize, Serialize};

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// Wraps an id string.
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The id as the API spells it.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The id string.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_string())
            }
        }

        impl From<&$name> for $name {
            fn from(id: &$name) -> Self {
                id.clone()
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    )*};
}

ids! {
    /// `agent_…`
    AgentId;
    /// `env_…`
    EnvironmentId;
    /// `sesn_…`
    SessionId;
    /// A session event (opaque: the API documents no prefix; examples use `sevt_…`).
    EventId;
    /// `sthr_…`: a thread of a multi-agent session.
    ThreadId;
    /// `vlt_…`
    VaultId;
    /// `vcrd_…`: a credential in a vault.
    CredentialId;
    /// `file_…`
    FileId;
    /// `skill_…`
    SkillId;
    /// `memstore_…`
    MemoryStoreId;
    /// `mem_…`: one memory in a store.
    MemoryId;
    /// `memver_…`: one version of a memory.
    MemoryVersionId;
    /// `depl_…`: a deployment (a scheduled agent).
    DeploymentId;
    /// `drun_…`: one run of a deployment.
    DeploymentRunId;
    /// `sesrsc_…`: a resource attached to a session (repository, file, memory store).
    ResourceId;
    /// `outc_…`: an outcome defined with `user.define_outcome`.
    OutcomeId;
    /// A skill version (`latest` also names the newest where a version is expected).
    SkillVersionId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_plain_strings_on_the_wire() {
        let id = SessionId::new("sesn_01");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"sesn_01\"");
        let back: SessionId = serde_json::from_str("\"sesn_01\"").unwrap();
        assert_eq!(back, id);
        assert_eq!(id, "sesn_01");
        assert_eq!(id.to_string(), "sesn_01");
        assert_eq!(AgentId::from("agent_1").as_str(), "agent_1");
        assert!(id.starts_with("sesn_"), "derefs to str");
    }
}
