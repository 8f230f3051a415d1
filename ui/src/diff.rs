//! A readable comparison of two agent versions: each version as labelled lines (name, model,
//! system prompt line by line, one line per tool, server, skill and metadata entry), then a
//! side-by-side line diff (longest common subsequence), section by section.

use hangar_types::model::agents::{Agent, KnownTool, Tool};

/// How one row of the comparison changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// The same on both sides.
    Same,
    /// Only on the left (removed).
    Removed,
    /// Only on the right (added).
    Added,
    /// Different on each side.
    Changed,
}

impl Change {
    /// The CSS class part.
    pub fn class(self) -> &'static str {
        match self {
            Change::Same => "same",
            Change::Removed => "removed",
            Change::Added => "added",
            Change::Changed => "changed",
        }
    }
}

/// One row: the left and right lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The older version's line.
    pub left: Option<String>,
    /// The newer version's line.
    pub right: Option<String>,
    /// How it changed.
    pub change: Change,
}

/// One section (`System prompt`, `Tools`, …) of the comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Its heading.
    pub title: &'static str,
    /// Its rows.
    pub rows: Vec<Row>,
}

impl Section {
    /// Nothing differs.
    pub fn unchanged(&self) -> bool {
        self.rows.iter().all(|r| r.change == Change::Same)
    }
}

fn policy(p: &Option<hangar_types::model::agents::PermissionPolicy>) -> String {
    use hangar_types::model::agents::PermissionPolicy as P;
    match p {
        Some(P::AlwaysAllow) => "always allow".into(),
        Some(P::AlwaysAsk) => "always ask".into(),
        Some(P::Auto) => "auto".into(),
        Some(P::Other(v)) => v.to_string(),
        None => "default".into(),
    }
}

/// An agent version as labelled sections of lines.
pub fn readable(agent: &Agent) -> Vec<(&'static str, Vec<String>)> {
    let mut model = vec![agent.model.id.clone()];
    if let Some(e) = &agent.model.effort {
        model.push(format!("effort: {}", e.level()));
    }
    if let Some(s) = &agent.model.speed {
        model.push(format!("speed: {s}"));
    }
    for (k, v) in &agent.model.extra {
        model.push(format!("{k}: {v}"));
    }
    let mut tools = Vec::new();
    for tool in &agent.tools {
        match tool {
            Tool::Known(KnownTool::Toolset {
                default_config,
                configs,
            }) => {
                let d = default_config.clone().unwrap_or_default();
                tools.push(format!(
                    "Built-in tools: {}, {}",
                    if d.enabled == Some(false) {
                        "off by default"
                    } else {
                        "on"
                    },
                    policy(&d.permission_policy)
                ));
                for c in configs {
                    tools.push(format!(
                        "  {}: {}, {}",
                        c.name,
                        if c.enabled == Some(false) {
                            "off"
                        } else {
                            "on"
                        },
                        policy(&c.permission_policy)
                    ));
                }
            }
            Tool::Known(KnownTool::Mcp {
                mcp_server_name,
                default_config,
                ..
            }) => {
                let d = default_config.clone().unwrap_or_default();
                tools.push(format!(
                    "MCP tools of {mcp_server_name}: {}, {}",
                    if d.enabled == Some(false) {
                        "off"
                    } else {
                        "on"
                    },
                    policy(&d.permission_policy)
                ));
            }
            Tool::Known(KnownTool::Custom {
                name,
                description,
                input_schema,
            }) => {
                tools.push(format!("Custom tool {name}: {description}"));
                tools.push(format!("  input: {input_schema}"));
            }
            Tool::Other(v) => tools.push(format!("Other tool: {v}")),
        }
    }
    vec![
        ("Name", vec![agent.name.clone()]),
        ("Description", agent.description.iter().cloned().collect()),
        ("Model", model),
        (
            "System prompt",
            agent
                .system
                .as_deref()
                .unwrap_or("")
                .lines()
                .map(str::to_string)
                .collect(),
        ),
        ("Tools", tools),
        (
            "MCP servers",
            agent
                .mcp_servers
                .iter()
                .map(|s| format!("{}: {}", s.name, s.url))
                .collect(),
        ),
        (
            "Skills",
            agent
                .skills
                .iter()
                .map(|s| {
                    format!(
                        "{} ({}) {}",
                        s.skill_id,
                        s.kind,
                        s.version.as_deref().unwrap_or("latest")
                    )
                })
                .collect(),
        ),
        (
            "Metadata",
            agent
                .metadata
                .iter()
                .map(|(k, v)| format!("{k} = {v}"))
                .collect(),
        ),
    ]
}

/// The side-by-side rows of two line lists: common lines aligned, a removed line next to an
/// added one shown as one changed row.
pub fn diff_lines(left: &[String], right: &[String]) -> Vec<Row> {
    let (n, m) = (left.len(), right.len());
    // lcs[i][j]: the longest common subsequence of left[i..] and right[j..].
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if left[i] == right[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut raw = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && left[i] == right[j] {
            raw.push(Row {
                left: Some(left[i].clone()),
                right: Some(right[j].clone()),
                change: Change::Same,
            });
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            // Removals first, so a removal and the addition after it pair into one change.
            raw.push(Row {
                left: Some(left[i].clone()),
                right: None,
                change: Change::Removed,
            });
            i += 1;
        } else {
            raw.push(Row {
                left: None,
                right: Some(right[j].clone()),
                change: Change::Added,
            });
            j += 1;
        }
    }
    // Pair each run of removals with the additions right after it.
    let mut out: Vec<Row> = Vec::new();
    let mut k = 0;
    while k < raw.len() {
        if raw[k].change != Change::Removed {
            out.push(raw[k].clone());
            k += 1;
            continue;
        }
        let removed: Vec<Row> = raw[k..]
            .iter()
            .take_while(|r| r.change == Change::Removed)
            .cloned()
            .collect();
        let after = k + removed.len();
        let added: Vec<Row> = raw[after..]
            .iter()
            .take_while(|r| r.change == Change::Added)
            .cloned()
            .collect();
        for idx in 0..removed.len().max(added.len()) {
            let l = removed.get(idx).and_then(|r| r.left.clone());
            let r = added.get(idx).and_then(|r| r.right.clone());
            let change = match (&l, &r) {
                (Some(_), Some(_)) => Change::Changed,
                (Some(_), None) => Change::Removed,
                _ => Change::Added,
            };
            out.push(Row {
                left: l,
                right: r,
                change,
            });
        }
        k = after + added.len();
    }
    out
}

/// The comparison of `older` and `newer`, section by section.
pub fn compare(older: &Agent, newer: &Agent) -> Vec<Section> {
    readable(older)
        .into_iter()
        .zip(readable(newer))
        .map(|((title, left), (_, right))| Section {
            title,
            rows: diff_lines(&left, &right),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lines(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn lines_align_and_pair_changes() {
        let rows = diff_lines(
            &lines(&["a", "b", "c", "d"]),
            &lines(&["a", "B", "c", "d", "e"]),
        );
        let kinds: Vec<Change> = rows.iter().map(|r| r.change).collect();
        assert_eq!(
            kinds,
            [
                Change::Same,
                Change::Changed,
                Change::Same,
                Change::Same,
                Change::Added
            ]
        );
        assert_eq!(rows[1].left.as_deref(), Some("b"));
        assert_eq!(rows[1].right.as_deref(), Some("B"));
        let rows = diff_lines(&lines(&["x", "y"]), &lines(&[]));
        assert!(rows.iter().all(|r| r.change == Change::Removed));
        assert!(diff_lines(&[], &[]).is_empty());
    }

    #[test]
    fn versions_compare_section_by_section() {
        let agent = |system: &str, team: &str| -> Agent {
            serde_json::from_value(json!({"id": "agent_1", "name": "A", "model": {"id": "claude-opus-5-5"},
                "system": system, "metadata": {"team": team}, "version": 1, "created_at": "t", "updated_at": "t"}))
            .unwrap()
        };
        let sections = compare(&agent("one\ntwo", "a"), &agent("one\nthree", "b"));
        let changed: Vec<&str> = sections
            .iter()
            .filter(|s| !s.unchanged())
            .map(|s| s.title)
            .collect();
        assert_eq!(changed, ["System prompt", "Metadata"]);
        let prompt = &sections[3];
        assert_eq!(prompt.rows[1].change, Change::Changed);
    }
}
