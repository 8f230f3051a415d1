//! Shapes shared by every family: update patches, delete answers, list pages, metadata, money,
//! budgets and write-only secrets.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// Key/value metadata (at most 16 pairs, keys ≤ 64 chars, values ≤ 512 chars).
pub type Metadata = BTreeMap<String, String>;

/// A metadata patch: a value upserts a key, `None` (sent as `null`) deletes it.
pub type MetadataPatch = BTreeMap<String, Option<String>>;

/// One field of an update request: omit to keep, `null` to clear, a value to set (reference §4).
///
/// Use it with `#[serde(default, skip_serializing_if = "Patch::is_keep")]`: an absent field
/// reads back as [`Patch::Keep`], `null` as [`Patch::Clear`].
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

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Only reached when the field is present: absent fields take the `Keep` default.
        Ok(Option::<T>::deserialize(deserializer)?.into())
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

/// A `{id, type}` answer to a delete (`session_deleted`, `environment_deleted`, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deleted {
    /// The deleted object's id.
    pub id: String,
    /// `environment_deleted`, `session_deleted`, …
    #[serde(rename = "type", default)]
    pub kind: String,
}

/// One page of a list (reference §2): follow `next_page` until it is `None`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    /// The items.
    pub data: Vec<T>,
    /// The cursor of the next page; `None` on the last.
    #[serde(default)]
    pub next_page: Option<String>,
    /// The cursor of the previous page (sessions only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev_page: Option<String>,
}

/// An amount of money as the API writes it: an integer string in minor units (`"2500"` is
/// $25.00), never a float.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    /// Minor units, e.g. cents.
    pub amount: String,
    /// ISO 4217, e.g. `USD`.
    pub currency: String,
}

impl Money {
    /// `amount` minor units of `currency`.
    pub fn new(amount: impl Into<String>, currency: impl Into<String>) -> Self {
        Self {
            amount: amount.into(),
            currency: currency.into(),
        }
    }
}

/// A session budget: `{"type":"limit","max_list_cost":{…}}`, or a form this version does not know.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Budget {
    /// Stop (with `stop_reason` `budget_reached`) once the list cost reaches this.
    Limit {
        /// The cap.
        max_list_cost: Money,
    },
    /// Any other form, kept as received.
    #[serde(untagged)]
    Other(Value),
}

impl Budget {
    /// A cap of `amount` minor units of `currency`.
    pub fn limit(amount: impl Into<String>, currency: impl Into<String>) -> Self {
        Budget::Limit {
            max_list_cost: Money::new(amount, currency),
        }
    }
}

/// A write-only secret in a request body (a token, a password). `Debug` never shows it; on
/// the wire it is the plain string. No response type holds one: the API never returns secrets.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret itself, for the request body only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(****)")
    }
}

impl From<String> for Secret {
    fn from(secret: String) -> Self {
        Self(secret)
    }
}

impl From<&str> for Secret {
    fn from(secret: &str) -> Self {
        Self(secret.to_string())
    }
}

/// Declares an open string enum: known values as variants, anything else kept in `Other`.
macro_rules! open_enum {
    (
        $(#[$doc:meta])*
        pub enum $name:ident {
            $($(#[$vdoc:meta])* $variant:ident = $wire:literal,)*
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $wire)] $variant,)*
            /// A value this version does not know, kept as received.
            #[serde(untagged)]
            Other(String),
        }

        impl $name {
            /// The value as the API spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)*
                    $name::Other(s) => s,
                }
            }

            /// The wire name of a known value; `None` for [`Self::Other`].
            pub fn known_str(&self) -> Option<&'static str> {
                match self {
                    $($name::$variant => Some($wire),)*
                    $name::Other(_) => None,
                }
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => $name::$variant,)*
                    other => $name::Other(other.to_string()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use open_enum;

/// Reads `null` as the type's default (the API writes `null` for some empty lists).
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Body {
        #[serde(default, skip_serializing_if = "Patch::is_keep")]
        title: Patch<String>,
    }

    #[test]
    fn patch_omits_clears_and_sets_and_reads_back() {
        for (patch, wire) in [
            (Patch::Keep, json!({})),
            (Patch::Clear, json!({"title": null})),
            (Patch::Set("t".to_string()), json!({"title": "t"})),
        ] {
            let body = Body { title: patch };
            assert_eq!(serde_json::to_value(&body).unwrap(), wire);
            assert_eq!(serde_json::from_value::<Body>(wire).unwrap(), body);
        }
    }

    #[test]
    fn budgets_and_secrets() {
        let b = Budget::limit("5000", "USD");
        assert_eq!(
            serde_json::to_value(&b).unwrap(),
            json!({"type":"limit","max_list_cost":{"amount":"5000","currency":"USD"}})
        );
        let other: Budget = serde_json::from_value(json!({"type":"daily","x":1})).unwrap();
        assert_eq!(other, Budget::Other(json!({"type":"daily","x":1})));
        let s = Secret::new("ghp_SECRET");
        assert!(!format!("{s:?}").contains("ghp_SECRET"));
        assert_eq!(serde_json::to_value(&s).unwrap(), json!("ghp_SECRET"));
    }
}
