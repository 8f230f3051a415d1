//! The IPC contract shared by the Hangar backend (`src-tauri`) and the Leptos UI (`ui`).
//!
//! - [`cmd`]: every command, declared once as a type implementing [`Command`] (its name, input
//!   and output). `src-tauri/build.rs` takes the permission list from [`cmd::all`]; a shell test
//!   fails when a command is missing from the capability file or the handler list.
//! - [`ev`]: every global event, declared once as a type implementing [`Event`].
//! - One module of input/output types per resource, re-exported here.
//! - [`model`]: the API's wire models (`hangar-model`), so views render exactly what the API sent.
//!
//! Everything here is plain serde data so that it compiles for `wasm32-unknown-unknown` and for
//! the host alike. Nothing in this crate may depend on tokio, reqwest or tauri: the test command
//! checks that boundary. Field names are camelCase on the wire because that is what Tauri's
//! `invoke` uses for command arguments.
#![warn(missing_docs)]

pub use hangar_model as model;
pub use hangar_model::ids::*;

mod ipc;

pub mod agents;
pub mod app;
pub mod cmd;
pub mod environments;
pub mod error;
pub mod ev;
pub mod files;
pub mod live;
pub mod profiles;
pub mod sessions;
pub mod skills;
pub mod validate;
pub mod vaults;
// Release (issue 13).
pub mod release;
// Issue 14 (beyond): memory stores, deployments.
pub mod deployments;
pub mod memory;
pub mod usage;
// History (issue 12).
pub mod history;

// The chat (issue 11).
pub mod chat;

pub use agents::*;
pub use app::*;
pub use chat::*;
pub use deployments::*;
pub use environments::*;
pub use error::*;
pub use files::*;
pub use ipc::{Command, Event, Streaming};
pub use live::*;
pub use memory::*;
pub use profiles::*;
pub use release::*;
pub use sessions::*;
pub use skills::*;
pub use usage::*;
pub use vaults::*;
// History (issue 12).
pub use history::*;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn app_info_wire_shape_is_camel_case() {
        let info = AppInfo {
            version: "0.1.0".into(),
            data_dir: "/tmp/h".into(),
            profile: ProfileSummary {
                id: "demo".into(),
                name: "Demo".into(),
                is_demo: true,
                base_url: "http://127.0.0.1:1".into(),
                key_hint: None,
                key_problem: None,
            },
            connection: ConnectionChanged {
                state: ConnectionState::Online,
                detail: "d".into(),
                checked_at_ms: 5,
            },
        };
        let v = serde_json::to_value(&info).unwrap();
        assert_eq!(
            v,
            json!({"version":"0.1.0","dataDir":"/tmp/h",
                   "profile":{"id":"demo","name":"Demo","isDemo":true,"baseUrl":"http://127.0.0.1:1","keyHint":null,"keyProblem":null},
                   "connection":{"state":"online","detail":"d","checkedAtMs":5}})
        );
        let back: AppInfo = serde_json::from_value(v).unwrap();
        assert_eq!(back, info);
    }

    #[test]
    fn connection_changed_round_trips() {
        for state in [
            ConnectionState::Online,
            ConnectionState::Offline,
            ConnectionState::Reconnecting,
        ] {
            let ev = ConnectionChanged {
                state,
                detail: "x".into(),
                checked_at_ms: 1,
            };
            let s = serde_json::to_string(&ev).unwrap();
            assert_eq!(serde_json::from_str::<ConnectionChanged>(&s).unwrap(), ev);
        }
        assert_eq!(
            serde_json::to_value(ConnectionState::Reconnecting).unwrap(),
            json!("reconnecting")
        );
        assert_eq!(ConnectionState::Reconnecting.label(), "Reconnecting…");
    }

    #[test]
    fn ipc_error_wire_shape() {
        let e = IpcError::new(ErrorKind::RateLimited, "Try again in 3 s");
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            json!({"kind":"rate_limited","message":"Try again in 3 s"})
        );
        assert_eq!(e.to_string(), "Try again in 3 s");
        let e = IpcError::new(ErrorKind::Invalid, "Name: required")
            .with_field("name")
            .with_retry_after_ms(1500);
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(
            v,
            json!({"kind":"invalid","message":"Name: required","field":"name","retryAfterMs":1500})
        );
        assert_eq!(serde_json::from_value::<IpcError>(v).unwrap(), e);
        // An older backend's answer (no field, no retry) still reads.
        let old: IpcError =
            serde_json::from_value(json!({"kind":"storage","message":"m"})).unwrap();
        assert_eq!(old.field, None);
    }

    #[test]
    fn key_checks_are_tagged() {
        assert_eq!(
            serde_json::to_value(KeyCheck::Rejected {
                message: "invalid x-api-key".into()
            })
            .unwrap(),
            json!({"kind":"rejected","message":"invalid x-api-key"})
        );
        assert_eq!(
            serde_json::to_value(KeyCheck::Accepted).unwrap(),
            json!({"kind":"accepted"})
        );
    }

    #[test]
    fn command_names_are_snake_case_resource_verb_and_unique() {
        let mut seen = std::collections::HashSet::new();
        let mut count = 0;
        for c in cmd::all() {
            assert!(
                c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_') && c.contains('_'),
                "{c}"
            );
            assert!(seen.insert(c), "duplicate command {c}");
            count += 1;
        }
        assert!(count >= 13, "{count}");
        assert_eq!(<cmd::SessionList as Command>::NAME, "session_list");
        assert_eq!(<cmd::SessionFollow as Command>::NAME, "session_follow");
    }

    #[test]
    fn event_names_are_kebab_case_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for e in ev::ALL {
            assert!(
                e.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'),
                "{e}"
            );
            assert!(seen.insert(*e), "duplicate event {e}");
        }
        assert_eq!(<ev::ConnectionChanged as Event>::NAME, "connection-changed");
    }

    #[test]
    fn live_messages_are_tagged_and_round_trip() {
        let raw =
            r#"{"type":"agent.message","id":"sevt_1","content":[{"type":"text","text":"hi"}]}"#;
        let event = LiveEvent {
            cursor: Cursor { at_us: 7, seq: 3 },
            event: model::events::SessionEvent::parse(raw).unwrap(),
        };
        let cases = [
            (
                LiveMessage::Events {
                    events: vec![event],
                },
                json!({"kind":"events","events":[{"cursor":{"atUs":7,"seq":3},"event":{"type":"agent.message","id":"sevt_1","content":[{"type":"text","text":"hi"}]}}]}),
            ),
            (
                LiveMessage::Status {
                    status: TailStatus::Reconnecting {
                        reason: "dropped".into(),
                        retry_in_ms: 500,
                    },
                },
                json!({"kind":"status","status":{"state":"reconnecting","reason":"dropped","retry_in_ms":500}}),
            ),
            (
                LiveMessage::Preview {
                    event_id: "sevt_2".into(),
                    text: "Hel".into(),
                },
                json!({"kind":"preview","event_id":"sevt_2","text":"Hel"}),
            ),
            (
                LiveMessage::PreviewEnded {
                    event_id: "sevt_2".into(),
                },
                json!({"kind":"preview_ended","event_id":"sevt_2"}),
            ),
            (
                LiveMessage::Problem {
                    error: IpcError::new(ErrorKind::Storage, "disk full"),
                },
                json!({"kind":"problem","error":{"kind":"storage","message":"disk full"}}),
            ),
        ];
        for (message, expect) in cases {
            // Over IPC the message travels as JSON text: the event inside stays byte for byte.
            let text = serde_json::to_string(&message).unwrap();
            assert_eq!(
                serde_json::from_str::<serde_json::Value>(&text).unwrap(),
                expect
            );
            assert_eq!(serde_json::from_str::<LiveMessage>(&text).unwrap(), message);
        }
        let text = serde_json::to_string(&LiveMessage::Events {
            events: vec![LiveEvent {
                cursor: Cursor { at_us: 1, seq: 1 },
                event: model::events::SessionEvent::parse(raw).unwrap(),
            }],
        })
        .unwrap();
        assert!(text.contains(raw), "raw kept verbatim: {text}");
        let LiveMessage::Events { events } = serde_json::from_str::<LiveMessage>(&text).unwrap()
        else {
            panic!("not events")
        };
        assert!(
            serde_json::from_str::<LiveMessage>(r#"{"kind":"teleport"}"#).is_err(),
            "an unknown kind is an error the view reports"
        );
        let typed = &events[0].event;
        assert_eq!(typed.id.as_deref(), Some("sevt_1"));
        assert_eq!(typed.raw, raw);
        assert!(matches!(
            typed.kind,
            model::events::EventKind::AgentMessage { .. }
        ));
    }

    #[test]
    fn transcript_input_defaults_to_the_start() {
        let input: TranscriptInput =
            serde_json::from_value(json!({"sessionId":"sesn_1","limit":50})).unwrap();
        assert_eq!(input.anchor, TranscriptAnchor::Start);
        let input: TranscriptInput = serde_json::from_value(
            json!({"sessionId":"sesn_1","limit":50,"anchor":{"at":"before","cursor":{"atUs":1,"seq":2}}}),
        )
        .unwrap();
        assert_eq!(
            input.anchor,
            TranscriptAnchor::Before {
                cursor: Cursor { at_us: 1, seq: 2 }
            }
        );
    }
}
