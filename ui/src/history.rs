//! The rules of the history screens, plain and tested natively: date filters in local time,
//! search hits grouped by session, the keyboard's selection in the results.

use hangar_types::SearchHit;

use crate::time::parse_rfc3339;

/// Local midnight (ms since the epoch) of a date input's `YYYY-MM-DD`; `offset_at` gives the
/// zone's offset east of UTC in minutes at an instant.
pub fn local_midnight_ms(date: &str, offset_at: impl Fn(i64) -> i32) -> Option<i64> {
    let date = date.trim();
    if date.len() != 10 {
        return None;
    }
    let utc = parse_rfc3339(&format!("{date}T00:00:00Z"))?;
    // The offset at local midnight, read at the UTC instant shifted by a first guess.
    let guess = utc - i64::from(offset_at(utc)) * 60_000;
    Some(utc - i64::from(offset_at(guess)) * 60_000)
}

/// The `[from, before)` bounds of "from date … to date" (both inclusive days, either empty).
pub fn day_range(
    from: &str,
    to: &str,
    offset_at: impl Fn(i64) -> i32 + Copy,
) -> (Option<i64>, Option<i64>) {
    let start = local_midnight_ms(from, offset_at);
    // The day after `to`: its midnight, found from noon of `to` (safe across DST changes).
    let end = local_midnight_ms(to, offset_at).and_then(|midnight| {
        let next_noon = midnight + 36 * 3_600_000;
        let day = crate::time::local_day(next_noon, offset_at(next_noon));
        local_midnight_ms(
            &format!("{:04}-{:02}-{:02}", day.year, day.month, day.day),
            offset_at,
        )
    });
    (start, end)
}

/// Hits of one session, in the order they came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HitGroup {
    /// The session.
    pub session_id: String,
    /// Its title.
    pub title: String,
    /// Its agent.
    pub agent_name: String,
    /// (index in the flat list, hit).
    pub hits: Vec<(usize, SearchHit)>,
}

/// Groups hits by session, each group where its first hit was (the order asked for stays).
pub fn group_hits(hits: Vec<SearchHit>) -> Vec<HitGroup> {
    let mut groups: Vec<HitGroup> = Vec::new();
    for (i, hit) in hits.into_iter().enumerate() {
        let id = hit.session_id.to_string();
        match groups.iter_mut().find(|g| g.session_id == id) {
            Some(group) => group.hits.push((i, hit)),
            None => groups.push(HitGroup {
                session_id: id,
                title: hit
                    .session_title
                    .clone()
                    .filter(|t| !t.trim().is_empty())
                    .unwrap_or_else(|| "Untitled session".into()),
                agent_name: hit.agent_name.clone(),
                hits: vec![(i, hit)],
            }),
        }
    }
    groups
}

/// The flat order of the hits as shown (grouped): Up/Down move through it.
pub fn shown_order(groups: &[HitGroup]) -> Vec<usize> {
    groups
        .iter()
        .flat_map(|g| g.hits.iter().map(|(i, _)| *i))
        .collect()
}

/// The selection after Up (`-1`) or Down (`+1`) among `order` (stops at the ends).
pub fn step(order: &[usize], selected: Option<usize>, by: i32) -> Option<usize> {
    if order.is_empty() {
        return None;
    }
    let at = selected.and_then(|s| order.iter().position(|&i| i == s));
    let next = match at {
        None => 0,
        Some(at) if by < 0 => at.saturating_sub(1),
        Some(at) => (at + 1).min(order.len() - 1),
    };
    Some(order[next])
}

/// The label of an event type in a result ("Tool result", "Agent", …).
pub fn event_label(event_type: &str) -> &'static str {
    match event_type {
        "user.message" => "You",
        "agent.message" => "Agent",
        "agent.thinking" => "Thinking",
        "agent.tool_use" | "agent.mcp_tool_use" => "Tool call",
        "agent.tool_result" | "agent.mcp_tool_result" => "Tool result",
        "agent.custom_tool_use" => "Custom tool call",
        "user.custom_tool_result" => "Custom tool answer",
        "agent.thread_message" | "user.thread_message" => "Thread message",
        t if t.starts_with("session.") => "Session",
        _ => "Event",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hangar_types::SnippetPart;

    fn hit(session: &str, event: &str) -> SearchHit {
        SearchHit {
            session_id: session.to_string().into(),
            session_title: Some(format!("T {session}")),
            agent_name: "a".into(),
            event_id: event.to_string().into(),
            event_type: "agent.message".into(),
            at_ms: 0,
            snippet: vec![SnippetPart {
                text: "x".into(),
                mark: true,
            }],
        }
    }

    #[test]
    fn dates_are_local_midnights() {
        // UTC+2 all year: local midnight is 22:00 UTC the day before.
        let utc2 = |_| 120;
        let m = local_midnight_ms("2026-11-20", utc2).unwrap();
        assert_eq!(m, parse_rfc3339("2026-11-19T22:00:00Z").unwrap());
        let (from, before) = day_range("2026-11-20", "2026-11-20", utc2);
        assert_eq!(before.unwrap() - from.unwrap(), 86_400_000);
        assert_eq!(day_range("", "nope", utc2), (None, None));
        // New York (UTC-5) in winter.
        let ny = |_| -300;
        assert_eq!(
            local_midnight_ms("2026-12-31", ny).unwrap(),
            parse_rfc3339("2026-12-31T05:00:00Z").unwrap()
        );
    }

    #[test]
    fn hits_group_by_session_and_keys_walk_the_shown_order() {
        let groups = group_hits(vec![hit("s1", "e1"), hit("s2", "e2"), hit("s1", "e3")]);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].hits.len(), 2);
        let order = shown_order(&groups);
        assert_eq!(order, vec![0, 2, 1]);
        assert_eq!(step(&order, None, 1), Some(0));
        assert_eq!(step(&order, Some(0), 1), Some(2));
        assert_eq!(step(&order, Some(2), 1), Some(1));
        assert_eq!(step(&order, Some(1), 1), Some(1), "stops at the end");
        assert_eq!(step(&order, Some(0), -1), Some(0));
        assert_eq!(step(&[], None, 1), None);
    }
}
