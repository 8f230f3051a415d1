//! Reading events as people do: plain text for search, Markdown for export.

use serde_json::Value;

/// Text blocks of a `content` array joined by blank lines.
fn content_text(content: Option<&Value>) -> String {
    let Some(Value::Array(blocks)) = content else {
        return String::new();
    };
    let mut out = Vec::new();
    for block in blocks {
        match block.get("type").and_then(Value::as_str) {
            Some("text") => {
                if let Some(t) = block.get("text").and_then(Value::as_str) {
                    out.push(t.to_string());
                }
            }
            Some("search_result") => {
                if let Some(t) = block.get("title").and_then(Value::as_str) {
                    out.push(t.to_string());
                }
                out.push(content_text(block.get("content")));
            }
            Some("document") => {
                if let Some(t) = block.get("title").and_then(Value::as_str) {
                    out.push(t.to_string());
                }
            }
            _ => {}
        }
    }
    out.retain(|s| !s.is_empty());
    out.join("\n\n")
}

fn compact(v: Option<&Value>) -> String {
    v.filter(|v| !v.is_null())
        .map(|v| serde_json::to_string(v).unwrap_or_default())
        .unwrap_or_default()
}

/// The searchable words of an event: message text, tool names and inputs, results, errors.
pub fn event_text(event: &Value) -> String {
    let kind = event.get("type").and_then(Value::as_str).unwrap_or("");
    let field = |k: &str| {
        event
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    match kind {
        "user.message"
        | "agent.message"
        | "system.message"
        | "agent.thread_message_sent"
        | "agent.thread_message_received" => content_text(event.get("content")),
        "agent.tool_use" | "agent.mcp_tool_use" | "agent.custom_tool_use" => {
            format!("{} {}", field("name"), compact(event.get("input")))
        }
        "agent.tool_result"
        | "agent.mcp_tool_result"
        | "user.custom_tool_result"
        | "user.tool_result" => content_text(event.get("content")),
        "user.tool_confirmation" => field("deny_message"),
        "user.define_outcome" => field("description"),
        "session.error" | "workflow_run.error" => event
            .get("error")
            .and_then(|e| e.get("message"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        "session.updated" => field("title"),
        _ => String::new(),
    }
}

/// What the cache needs to know of an event, read from its raw JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EventFacts {
    pub id: Option<String>,
    pub kind: String,
    pub processed_at: Option<String>,
    /// `usage.input_tokens` and `usage.output_tokens`, when both are there.
    pub usage: Option<(i64, i64)>,
    /// [`event_text`].
    pub text: String,
}

/// Reads an event's facts without building a JSON tree: fields are borrowed from `raw` where
/// they have no escapes. Anything unexpected falls back to [`serde_json::Value`], so an odd
/// event is read exactly as before, just slower.
pub(crate) fn read_event(raw: &str) -> Result<EventFacts, serde_json::Error> {
    match fast::read(raw) {
        Some(facts) => Ok(facts),
        None => Ok(facts_of_tree(&serde_json::from_str(raw)?)),
    }
}

/// The facts of an event already parsed into a JSON tree: the reference the fast path matches.
fn facts_of_tree(value: &Value) -> EventFacts {
    let s = |k: &str| value.get(k).and_then(Value::as_str).map(str::to_string);
    EventFacts {
        id: s("id"),
        kind: s("type").unwrap_or_else(|| "unknown".to_string()),
        processed_at: s("processed_at"),
        usage: value.get("usage").and_then(|u| {
            Some((
                u.get("input_tokens")?.as_i64()?,
                u.get("output_tokens")?.as_i64()?,
            ))
        }),
        text: event_text(value),
    }
}

mod fast {
    use std::borrow::Cow;

    use serde::Deserialize;
    use serde_json::value::RawValue;

    use super::EventFacts;

    #[derive(Deserialize)]
    struct View<'a> {
        #[serde(borrow)]
        id: Option<&'a RawValue>,
        #[serde(borrow, rename = "type")]
        kind: Option<&'a RawValue>,
        #[serde(borrow)]
        processed_at: Option<&'a RawValue>,
        #[serde(borrow)]
        content: Option<&'a RawValue>,
        #[serde(borrow)]
        name: Option<&'a RawValue>,
        #[serde(borrow)]
        input: Option<&'a RawValue>,
        #[serde(borrow)]
        deny_message: Option<&'a RawValue>,
        #[serde(borrow)]
        description: Option<&'a RawValue>,
        #[serde(borrow)]
        title: Option<&'a RawValue>,
        #[serde(borrow)]
        error: Option<&'a RawValue>,
        #[serde(borrow)]
        usage: Option<&'a RawValue>,
    }

    #[derive(Deserialize)]
    struct Block<'a> {
        #[serde(borrow, rename = "type")]
        kind: Option<&'a RawValue>,
        #[serde(borrow)]
        text: Option<&'a RawValue>,
        #[serde(borrow)]
        title: Option<&'a RawValue>,
        #[serde(borrow)]
        content: Option<&'a RawValue>,
    }

    #[derive(Deserialize)]
    struct ErrorView<'a> {
        #[serde(borrow)]
        message: Option<&'a RawValue>,
    }

    #[derive(Deserialize)]
    struct Usage {
        input_tokens: Option<i64>,
        output_tokens: Option<i64>,
    }

    /// A JSON string, borrowed when it has no escapes. `None` for null, absent or not a string.
    /// `Err` (give up the fast path) never happens for a string, so a non-string is just None.
    fn string(v: Option<&RawValue>) -> Option<Cow<'_, str>> {
        let json = v?.get();
        if !json.starts_with('"') {
            return None;
        }
        match serde_json::from_str::<&str>(json) {
            Ok(s) => Some(Cow::Borrowed(s)),
            Err(_) => serde_json::from_str::<String>(json).ok().map(Cow::Owned),
        }
    }

    /// `content_text` of the Value path, on raw JSON. None: not the expected shape.
    fn content_text(content: Option<&RawValue>, out: &mut Vec<String>) -> Option<()> {
        let Some(content) = content else {
            return Some(());
        };
        if !content.get().starts_with('[') {
            // Null or another shape: the Value path reads those as no text too, but let it.
            return (content.get() == "null").then_some(());
        }
        let blocks: Vec<&RawValue> = serde_json::from_str(content.get()).ok()?;
        for block in blocks {
            if !block.get().starts_with('{') {
                continue;
            }
            let block: Block<'_> = serde_json::from_str(block.get()).ok()?;
            match string(block.kind).as_deref() {
                Some("text") => {
                    if let Some(t) = string(block.text) {
                        out.push(t.into_owned());
                    }
                }
                Some("search_result") => {
                    if let Some(t) = string(block.title) {
                        out.push(t.into_owned());
                    }
                    let mut inner = Vec::new();
                    content_text(block.content, &mut inner)?;
                    inner.retain(|s| !s.is_empty());
                    out.push(inner.join("\n\n"));
                }
                Some("document") => {
                    if let Some(t) = string(block.title) {
                        out.push(t.into_owned());
                    }
                }
                _ => {}
            }
        }
        Some(())
    }

    pub(super) fn read(raw: &str) -> Option<EventFacts> {
        let view: View<'_> = serde_json::from_str(raw).ok()?;
        let kind = string(view.kind)
            .map(Cow::into_owned)
            .unwrap_or_else(|| "unknown".to_string());
        let field = |v: Option<&RawValue>| string(v).map(Cow::into_owned).unwrap_or_default();
        let text = match kind.as_str() {
            "user.message"
            | "agent.message"
            | "system.message"
            | "agent.thread_message_sent"
            | "agent.thread_message_received"
            | "agent.tool_result"
            | "agent.mcp_tool_result"
            | "user.custom_tool_result"
            | "user.tool_result" => {
                let mut out = Vec::new();
                content_text(view.content, &mut out)?;
                out.retain(|s| !s.is_empty());
                out.join("\n\n")
            }
            "agent.tool_use" | "agent.mcp_tool_use" | "agent.custom_tool_use" => {
                // The input as compact JSON, exactly as the Value path writes it.
                // (A null input is no input: serde reads both as None.)
                let input = match view.input {
                    Some(i) => serde_json::to_string(
                        &serde_json::from_str::<serde_json::Value>(i.get()).ok()?,
                    )
                    .ok()?,
                    None => String::new(),
                };
                format!("{} {}", field(view.name), input)
            }
            "user.tool_confirmation" => field(view.deny_message),
            "user.define_outcome" => field(view.description),
            "session.error" | "workflow_run.error" => match view.error {
                Some(e) if e.get().starts_with('{') => {
                    let e: ErrorView<'_> = serde_json::from_str(e.get()).ok()?;
                    field(e.message)
                }
                _ => String::new(),
            },
            "session.updated" => field(view.title),
            _ => String::new(),
        };
        let usage = match view.usage {
            Some(u) if u.get().starts_with('{') => serde_json::from_str::<Usage>(u.get())
                .ok()
                .and_then(|u| Some((u.input_tokens?, u.output_tokens?))),
            _ => None,
        };
        Some(EventFacts {
            id: string(view.id).map(Cow::into_owned),
            kind,
            processed_at: string(view.processed_at).map(Cow::into_owned),
            usage,
            text,
        })
    }
}

fn fence(body: &str, lang: &str) -> String {
    // A fence longer than any backtick run inside, so agent output cannot close it early.
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat(longest.max(2) + 1);
    format!("{ticks}{lang}\n{body}\n{ticks}")
}

/// One event as Markdown for a readable export; `None` for events a reader does not need.
pub fn event_markdown(event: &Value) -> Option<String> {
    let kind = event.get("type").and_then(Value::as_str).unwrap_or("");
    let field = |k: &str| {
        event
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let pretty = |k: &str| {
        event
            .get(k)
            .map(|v| serde_json::to_string_pretty(v).unwrap_or_default())
            .unwrap_or_default()
    };
    Some(match kind {
        "user.message" => format!("### You\n\n{}", content_text(event.get("content"))),
        "agent.message" => format!("### Agent\n\n{}", content_text(event.get("content"))),
        "system.message" => format!("### System note\n\n{}", content_text(event.get("content"))),
        "agent.thinking" => "*Thinking…*".to_string(),
        "agent.tool_use" => format!(
            "**Tool:** `{}`\n\n{}",
            field("name"),
            fence(&pretty("input"), "json")
        ),
        "agent.mcp_tool_use" => format!(
            "**MCP tool:** `{}` on `{}`\n\n{}",
            field("name"),
            field("mcp_server_name"),
            fence(&pretty("input"), "json")
        ),
        "agent.custom_tool_use" => format!(
            "**Custom tool:** `{}`\n\n{}",
            field("name"),
            fence(&pretty("input"), "json")
        ),
        "agent.tool_result" | "agent.mcp_tool_result" => {
            let label = if event.get("is_error").and_then(Value::as_bool) == Some(true) {
                "Tool error"
            } else {
                "Result"
            };
            format!(
                "**{label}:**\n\n{}",
                fence(&content_text(event.get("content")), "")
            )
        }
        "user.custom_tool_result" => format!(
            "**Your tool result:**\n\n{}",
            fence(&content_text(event.get("content")), "")
        ),
        "user.tool_confirmation" => {
            let result = field("result");
            let note = field("deny_message");
            if note.is_empty() {
                format!("*You chose: {result}*")
            } else {
                format!("*You chose: {result} ({note})*")
            }
        }
        "user.interrupt" => "*You interrupted the agent.*".to_string(),
        "session.error" => {
            let message = event
                .get("error")
                .and_then(|e| e.get("message"))
                .and_then(Value::as_str)
                .unwrap_or("unknown error");
            format!("> **Error:** {message}")
        }
        "session.status_idle" => {
            let reason = event
                .get("stop_reason")
                .and_then(|r| r.get("type"))
                .and_then(Value::as_str)
                .unwrap_or("");
            match reason {
                "requires_action" => "---\n*Waiting for you*".to_string(),
                _ => "---".to_string(),
            }
        }
        "session.status_terminated" => "---\n*Session ended*".to_string(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
                json!({"type":"agent.tool_result","content":[{"type":"text","text":"total 0"}]}),
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

    /// The Value path, the reference the fast path must match.
    fn slow(raw: &str) -> EventFacts {
        facts_of_tree(&serde_json::from_str(raw).unwrap())
    }

    #[test]
    fn the_fast_reader_agrees_with_the_json_tree() {
        // Every event type of the API (the client's fixture), plus odd shapes.
        let fixture = include_str!("../../hangar-api/tests/fixtures/events.jsonl");
        let odd = [
            r#"{"type":"agent.message","id":"a","content":[{"type":"text","text":"esc\"aped \u00e9\n"},7,null,{"type":5}]}"#,
            r#"{"type":"agent.message","id":"b","content":"a string"}"#,
            r#"{"type":"agent.message","id":"c","content":null,"processed_at":null}"#,
            r#"{"type":"agent.tool_result","id":"d","content":[{"type":"search_result","title":"T","content":[{"type":"text","text":"inner"}]},{"type":"document","title":"Doc"}]}"#,
            r#"{"type":"agent.tool_use","id":"e","name":"bash","input":{ "command" : "ls  -la", "n": [1, 2.5, true] }}"#,
            r#"{"type":"agent.tool_use","id":"f","name":"x","input":null}"#,
            r#"{"type":"agent.custom_tool_use","id":"g","name":"x"}"#,
            r#"{"type":"session.error","id":"h","error":"just a string"}"#,
            r#"{"type":"session.error","id":"i","error":{"message":"boom","type":"x"}}"#,
            r#"{"type":"session.usage","id":"j","usage":{"input_tokens":10,"output_tokens":2}}"#,
            r#"{"type":"session.usage","id":"k","usage":{"input_tokens":1.5,"output_tokens":2}}"#,
            r#"{"type":"session.updated","id":"l","title":"New \"title\""}"#,
            r#"{"type":7,"id":8}"#,
            r#"{"type":"user.message","id":"m","id":"dup","content":[]}"#,
        ];
        let mut n = 0;
        for raw in fixture.lines().filter(|l| !l.trim().is_empty()).chain(odd) {
            assert_eq!(read_event(raw).unwrap(), slow(raw), "{raw}");
            n += 1;
        }
        assert!(n >= 40);
        // The common shapes take the fast path.
        assert!(fast::read(
            r#"{"type":"agent.message","id":"a","content":[{"type":"text","text":"hi"}]}"#
        )
        .is_some());
    }

    #[test]
    fn markdown_fences_cannot_be_broken_by_content() {
        let event = json!({"type":"agent.tool_result","content":[{"type":"text","text":"```\nrm -rf /\n```"}]});
        let md = event_markdown(&event).unwrap();
        assert!(md.starts_with("**Result:**\n\n````\n"), "{md}");
        assert!(md.ends_with("\n````"), "{md}");
        assert_eq!(
            event_markdown(&json!({"type":"span.model_request_start"})),
            None
        );
    }
}
