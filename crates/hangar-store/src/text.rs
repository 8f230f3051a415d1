//! Reading events as people do — plain text for search, Markdown for export — and what the
//! cache records of each event. All of it is the model's typed reading
//! ([`hangar_model::events`]): the cache never interprets event JSON on its own.

use hangar_model::events::{EventKind, SessionEvent};
use hangar_model::sessions::SessionStatus;
use serde_json::Value;

/// The searchable words of an event: message text, tool names and inputs, results, errors.
pub fn event_text(event: &Value) -> String {
    EventKind::from_json(event).text()
}

/// One event as Markdown for a readable export; `None` for events a reader does not need.
pub fn event_markdown(event: &Value) -> Option<String> {
    EventKind::from_json(event).markdown()
}

/// What the cache needs to know of an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EventFacts {
    pub id: Option<String>,
    /// The `type`; `unknown` when the JSON has none.
    pub kind: String,
    pub processed_at: Option<String>,
    /// `usage.input_tokens` and `usage.output_tokens` of a `session.usage` event, when both
    /// are there.
    pub usage: Option<(i64, i64)>,
    /// [`SessionEvent::text`].
    pub text: String,
}

impl EventFacts {
    fn of(event: SessionEvent) -> Self {
        let usage = event.usage().and_then(|u| {
            Some((
                i64::try_from(u.input_tokens?).ok()?,
                i64::try_from(u.output_tokens?).ok()?,
            ))
        });
        let text = event.text();
        EventFacts {
            id: event.id.map(String::from),
            kind: if event.event_type.is_empty() {
                "unknown".to_string()
            } else {
                event.event_type
            },
            processed_at: event.processed_at,
            usage,
            text,
        }
    }
}

/// Reads an event's facts through the model. Fails only when `raw` is not JSON.
pub(crate) fn read_event(raw: &str) -> Result<EventFacts, serde_json::Error> {
    SessionEvent::parse(raw).map(EventFacts::of)
}

/// The status a session moves to with an event of this type (`None` for other types).
pub(crate) fn status_of(kind: &str) -> Option<&'static str> {
    SessionStatus::set_by_event(kind).and_then(|status| status.known_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// One example of every event type of the API (the model's fixture).
    const CATALOGUE: &str = include_str!("../../hangar-model/tests/fixtures/events.jsonl");

    #[test]
    fn text_of_each_kind() {
        let cases = [
            (
                json!({"type":"user.message","content":[{"type":"text","text":"Where is my order?"}]}),
                "Where is my order?",
            ),
            (
                json!({"type":"agent.message","content":[{"type":"text","text":"a"},{"type":"redacted"},{"type":"text","text":"b"}]}),
                "a\n\nb",
            ),
            (
                json!({"type":"agent.tool_use","name":"bash","input":{"command":"ls"}}),
                "bash {\"command\":\"ls\"}",
            ),
            (
                json!({"type":"agent.tool_result","tool_use_id":"t","content":[{"type":"text","text":"total 0"}]}),
                "total 0",
            ),
            (
                json!({"type":"session.error","error":{"type":"x","message":"Could not connect"}}),
                "Could not connect",
            ),
            (json!({"type":"span.model_request_start"}), ""),
            (
                json!({"type":"some.future_type","content":[{"type":"text","text":"x"}]}),
                "",
            ),
        ];
        for (event, expect) in cases {
            assert_eq!(event_text(&event), expect, "{event}");
        }
    }

    #[test]
    fn facts_of_the_catalogue_and_of_odd_shapes() {
        let mut n = 0;
        for raw in CATALOGUE.lines().filter(|l| !l.trim().is_empty()) {
            let facts = read_event(raw).unwrap();
            let event = SessionEvent::parse(raw).unwrap();
            assert_eq!(facts.kind, event.event_type, "{raw}");
            assert_eq!(facts.id.as_deref(), event.id.as_deref(), "{raw}");
            assert_eq!(facts.text, event.text(), "{raw}");
            assert_eq!(
                status_of(&facts.kind),
                event
                    .status_change()
                    .map(|s| s.as_str().to_string())
                    .as_deref(),
                "{raw}"
            );
            // Only `session.usage` counts: the usage of an outcome evaluation is its own.
            assert_eq!(
                facts.usage.is_some(),
                facts.kind == "session.usage",
                "{raw}"
            );
            n += 1;
        }
        assert_eq!(n, 44);

        let check =
            |raw: &str, id: Option<&str>, kind: &str, usage: Option<(i64, i64)>, text: &str| {
                let facts = read_event(raw).unwrap();
                assert_eq!(
                    (
                        facts.id.as_deref(),
                        facts.kind.as_str(),
                        facts.usage,
                        facts.text.as_str()
                    ),
                    (id, kind, usage, text),
                    "{raw}"
                );
            };
        check(
            r#"{"type":"agent.message","id":"a","content":[{"type":"text","text":"esc\"aped \u00e9\n"},7,null,{"type":5}]}"#,
            Some("a"),
            "agent.message",
            None,
            "esc\"aped é\n",
        );
        check(
            r#"{"type":"agent.message","id":"b","content":"a string"}"#,
            Some("b"),
            "agent.message",
            None,
            "",
        );
        check(
            r#"{"type":"agent.tool_result","id":"d","tool_use_id":"t","content":[{"type":"search_result","title":"T","content":[{"type":"text","text":"inner"}]},{"type":"document","title":"Doc"}]}"#,
            Some("d"),
            "agent.tool_result",
            None,
            "T\n\ninner\n\nDoc",
        );
        check(
            r#"{"type":"agent.tool_use","id":"e","name":"bash","input":{ "command" : "ls  -la", "n": [1, 2.5, true] }}"#,
            Some("e"),
            "agent.tool_use",
            None,
            r#"bash {"command":"ls  -la","n":[1,2.5,true]}"#,
        );
        check(
            r#"{"type":"agent.custom_tool_use","id":"g","name":"x"}"#,
            Some("g"),
            "agent.custom_tool_use",
            None,
            "x ",
        );
        check(
            r#"{"type":"session.error","id":"h","error":"just a string"}"#,
            Some("h"),
            "session.error",
            None,
            "",
        );
        check(
            r#"{"type":"session.usage","id":"j","usage":{"input_tokens":10,"output_tokens":2}}"#,
            Some("j"),
            "session.usage",
            Some((10, 2)),
            "",
        );
        check(
            r#"{"type":"session.usage","id":"k","usage":{"input_tokens":1.5,"output_tokens":2}}"#,
            Some("k"),
            "session.usage",
            None,
            "",
        );
        check(
            r#"{"type":"session.usage","id":"k2","usage":{"input_tokens":1}}"#,
            Some("k2"),
            "session.usage",
            None,
            "",
        );
        check(
            r#"{"type":"session.updated","id":"l","title":"New \"title\""}"#,
            Some("l"),
            "session.updated",
            None,
            "New \"title\"",
        );
        check(r#"{"type":7,"id":8}"#, None, "unknown", None, "");
        check(
            r#"{"type":"user.message","id":"m","id":"dup","content":[]}"#,
            Some("dup"),
            "user.message",
            None,
            "",
        );
        assert!(read_event("{oops").is_err());
        assert_eq!(
            status_of("session.status_rescheduled"),
            Some("rescheduling")
        );
        assert_eq!(status_of("session.thread_status_idle"), None);
    }

    #[test]
    fn markdown_fences_cannot_be_broken_by_content() {
        let event = json!({"type":"agent.tool_result","tool_use_id":"t","content":[{"type":"text","text":"```\nrm -rf /\n```"}]});
        let md = event_markdown(&event).unwrap();
        assert!(md.starts_with("**Result:**\n\n````\n"), "{md}");
        assert!(md.ends_with("\n````"), "{md}");
        assert_eq!(
            event_markdown(&json!({"type":"span.model_request_start"})),
            None
        );
    }
}
