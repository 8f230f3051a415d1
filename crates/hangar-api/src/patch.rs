//! Update semantics: omit to keep, `null` to clear, a value to set (reference §4).

use serde::{Serialize, Serializer};

/// One field of an update request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Patch<T> {
    /// Leave the field as it is (the field is omitted).
    #[default]
    Keep,
    /// Clear it (sent as `null`).
    Clear,
    /// Set it.
    Set(T),
}

impl<T> Patch<T> {
    /// True for [`Patch::Keep`]; used to omit the field.
    pub fn is_keep(&self) -> bool {
        matches!(self, Patch::Keep)
    }
}

impl<T: Serialize> Serialize for Patch<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Patch::Keep | Patch::Clear => serializer.serialize_none(),
            Patch::Set(v) => v.serialize(serializer),
        }
    }
}

impl<T> From<Option<T>> for Patch<T> {
    fn from(value: Option<T>) -> Self {
        match value {
            Some(v) => Patch::Set(v),
            None => Patch::Clear,
        }
    }
}
