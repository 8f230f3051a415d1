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
    v.map(|v| serde_json::to_string(v).unwrap_or_default())
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
