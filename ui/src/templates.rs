//! Ready agents behind "Start from a template": each fills the agent form, to be adjusted and
//! saved like any other.

use hangar_types::model::agents::AgentCreate;
use serde_json::json;

/// One template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// A stable id (DOM ids, tests).
    pub slug: &'static str,
    /// Its name in the picker.
    pub title: &'static str,
    /// One line on what it does.
    pub blurb: &'static str,
    /// The configuration it fills in.
    pub config: AgentCreate,
}

fn config(value: serde_json::Value) -> AgentCreate {
    // The templates are written here and tested below: they always read.
    serde_json::from_value(value).unwrap_or_default()
}

/// Every template, in picker order.
pub fn all() -> Vec<Template> {
    vec![
        Template {
            slug: "research",
            title: "Research assistant",
            blurb: "Searches the web, reads sources and writes a cited summary.",
            config: config(json!({
                "name": "Research assistant",
                "description": "Finds and summarises sources on a question, with citations.",
                "model": {"id": "claude-opus-5-5", "effort": "high"},
                "system": "You are a careful research assistant.\n\n- Search the web for several independent, reputable sources.\n- Read them before you rely on them.\n- Answer with a short summary first, then the details, and cite every claim with its link.\n- Say plainly when sources disagree or when you could not find something.",
                "tools": [{"type": "agent_toolset_20260401", "default_config": {"enabled": false},
                    "configs": [{"name": "web_search", "enabled": true}, {"name": "web_fetch", "enabled": true},
                                {"name": "read", "enabled": true}, {"name": "write", "enabled": true}]}],
                "metadata": {"template": "research-assistant"}
            })),
        },
        Template {
            slug: "csv",
            title: "CSV summariser",
            blurb: "Opens CSV files with Python and explains what is in them.",
            config: config(json!({
                "name": "CSV summariser",
                "description": "Summarises CSV files: columns, totals, trends and oddities.",
                "model": {"id": "claude-sonnet-5-5"},
                "system": "You summarise CSV files for people who do not use spreadsheets every day.\n\nFor each file: list its columns and what they hold, give totals and averages where they make sense, point out trends and anything odd (empty cells, outliers), and end with three plain-language takeaways. Use Python with pandas; show a small table rather than long output.",
                "tools": [{"type": "agent_toolset_20260401",
                    "configs": [{"name": "web_search", "enabled": false}, {"name": "web_fetch", "enabled": false}]}],
                "metadata": {"template": "csv-summariser"}
            })),
        },
        Template {
            slug: "review",
            title: "Code reviewer",
            blurb: "Reads a repository and reviews changes; asks before running commands.",
            config: config(json!({
                "name": "Code reviewer",
                "description": "Reviews code for bugs, risks and readability, and explains each finding.",
                "model": {"id": "claude-opus-5-5", "effort": "high"},
                "system": "You review code like a senior engineer who wants the author to succeed.\n\nRead the relevant files before commenting. Report real problems first (bugs, security, data loss), then risks, then readability. For each finding give the file and line, why it matters, and a concrete fix. Do not change files.",
                "tools": [{"type": "agent_toolset_20260401", "default_config": {"permission_policy": {"type": "always_allow"}},
                    "configs": [{"name": "bash", "permission_policy": {"type": "always_ask"}},
                                {"name": "edit", "enabled": false}, {"name": "write", "enabled": false},
                                {"name": "web_search", "enabled": false}, {"name": "web_fetch", "enabled": false}]}],
                "metadata": {"template": "code-reviewer"}
            })),
        },
        Template {
            slug: "support",
            title: "Support agent",
            blurb: "Answers customers and looks orders up through your own tool.",
            config: config(json!({
                "name": "Support agent",
                "description": "Answers order questions; looks orders up before answering.",
                "model": {"id": "claude-sonnet-5-5"},
                "system": "You are a friendly support agent for an online shop.\n\nAlways look the order up with lookup_order before you answer a question about it. Be brief and warm, never invent order details, and offer to hand over to a person when you cannot help.",
                "tools": [{"type": "custom", "name": "lookup_order", "description": "Look up an order by its number: status, items, delivery date.",
                    "input_schema": {"type": "object", "properties": {"order_id": {"type": "string", "description": "The order number, like 1234"}}, "required": ["order_id"]}}],
                "metadata": {"template": "support-agent"}
            })),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_is_a_valid_agent() {
        let templates = all();
        assert_eq!(templates.len(), 4);
        for t in templates {
            assert_eq!(t.config.name, t.title, "{}", t.slug);
            assert_eq!(
                hangar_types::agent_problems(&t.config),
                Vec::<(String, String)>::new(),
                "{}",
                t.slug
            );
            let form = crate::agent_form::AgentFields::from_config(&t.config);
            assert_eq!(
                form.config(),
                crate::agent_form::AgentFields::from_config(&form.config()).config(),
                "{}",
                t.slug
            );
        }
    }
}
