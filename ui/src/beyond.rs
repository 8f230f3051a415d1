//! The rules of issue 14's screens, plain and tested natively: an outcome as typed, which
//! sessions count as idle for the clean-up, and how the Usage page's bars are drawn.

use hangar_types::{HistorySession, OutcomeInput, UsageBar};

/// "Define the outcome" as typed (the New session dialog and the composer share it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutcomeDraft {
    /// What the finished work is.
    pub description: String,
    /// How it is judged.
    pub rubric: String,
    /// The most rounds, as typed.
    pub iterations: String,
    /// An uploaded file chosen as the rubric (`file_…`), or empty for the text.
    pub rubric_file: String,
}

impl OutcomeDraft {
    /// Nothing typed: the dialog starts the session without an outcome.
    pub fn is_empty(&self) -> bool {
        self.description.trim().is_empty()
            && self.rubric.trim().is_empty()
            && self.iterations.trim().is_empty()
            && self.rubric_file.is_empty()
    }

    /// The command's input.
    pub fn input(&self) -> OutcomeInput {
        OutcomeInput {
            description: self.description.trim().to_string(),
            rubric: self.rubric.trim().to_string(),
            max_iterations: Some(self.iterations.trim().to_string()).filter(|s| !s.is_empty()),
            rubric_file: (!self.rubric_file.is_empty()).then(|| self.rubric_file.as_str().into()),
        }
    }

    /// The input when something was typed (the dialog's outcome is optional).
    pub fn optional(&self) -> Option<OutcomeInput> {
        (!self.is_empty()).then(|| self.input())
    }
}

/// How long a session must have been idle to be offered for clean-up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum IdleFor {
    /// An hour.
    Hour,
    /// A day (the default).
    #[default]
    Day,
    /// A week.
    Week,
}

impl IdleFor {
    /// Every choice, shortest first.
    pub const ALL: [IdleFor; 3] = [IdleFor::Hour, IdleFor::Day, IdleFor::Week];

    /// The select's value.
    pub fn value(self) -> &'static str {
        match self {
            IdleFor::Hour => "hour",
            IdleFor::Day => "day",
            IdleFor::Week => "week",
        }
    }

    /// What the select shows.
    pub fn label(self) -> &'static str {
        match self {
            IdleFor::Hour => "more than 1 hour",
            IdleFor::Day => "more than 1 day",
            IdleFor::Week => "more than 1 week",
        }
    }

    /// The choice of a select's value.
    pub fn from_value(value: &str) -> IdleFor {
        IdleFor::ALL
            .into_iter()
            .find(|c| c.value() == value)
            .unwrap_or_default()
    }

    /// In milliseconds.
    pub fn ms(self) -> i64 {
        match self {
            IdleFor::Hour => 3_600_000,
            IdleFor::Day => 86_400_000,
            IdleFor::Week => 7 * 86_400_000,
        }
    }
}

/// The sessions idle (waiting, not archived) with no activity for longer than `idle_for` at
/// `now_ms`: they still bill container time. The longest idle first.
pub fn idle_sessions(
    sessions: &[HistorySession],
    now_ms: i64,
    idle_for: IdleFor,
) -> Vec<HistorySession> {
    let mut out: Vec<HistorySession> = sessions
        .iter()
        .filter(|s| s.status == "idle" && !s.archived && !s.imported)
        .filter(|s| now_ms - s.last_activity_ms > idle_for.ms())
        .cloned()
        .collect();
    out.sort_by_key(|s| s.last_activity_ms);
    out
}

/// "3 hours", "2 days": how long ago `then_ms` was, roughly.
pub fn idle_words(now_ms: i64, then_ms: i64) -> String {
    let minutes = (now_ms - then_ms).max(0) / 60_000;
    let (n, unit) = if minutes < 60 {
        (minutes, "minute")
    } else if minutes < 48 * 60 {
        (minutes / 60, "hour")
    } else {
        (minutes / (24 * 60), "day")
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

/// Cents as dollars: `1234` → `$12.34`.
pub fn dollars(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}${}.{:02}", cents / 100, cents % 100)
}

/// One bar as drawn: its label, its value in words, and its length out of `width`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawnBar {
    /// The day, agent or session.
    pub label: String,
    /// `$12.34`.
    pub value: String,
    /// The bar's length (at least 1 when the cost is above zero, so it shows).
    pub length: u32,
    /// The cost in cents.
    pub cents: i64,
    /// The key (a day, an agent id, a session id).
    pub key: String,
}

/// Bars scaled so the most expensive fills `width`.
pub fn draw(bars: &[UsageBar], width: u32) -> Vec<DrawnBar> {
    let top = bars.iter().map(|b| b.cents).max().unwrap_or(0).max(1);
    bars.iter()
        .map(|b| {
            let cents = b.cents.max(0);
            let mut length = (cents as u128 * u128::from(width) / top as u128) as u32;
            if cents > 0 && length == 0 {
                length = 1;
            }
            DrawnBar {
                label: if b.label.trim().is_empty() {
                    "Untitled session".into()
                } else {
                    b.label.clone()
                },
                value: dollars(cents),
                length,
                cents,
                key: b.key.clone(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use hangar_types::{AgentId, SessionId};

    fn session(id: &str, status: &str, archived: bool, last_ms: i64) -> HistorySession {
        HistorySession {
            id: SessionId::new(id),
            title: None,
            status: status.into(),
            agent_id: AgentId::new("agent_1"),
            agent_name: "A".into(),
            agent_version: 1,
            created_at: "2026-11-20T00:00:00Z".into(),
            last_activity_ms: last_ms,
            archived,
            tokens: 0,
            pinned: false,
            imported: false,
            cost_cents: None,
            budget_cents: None,
            outcome: None,
        }
    }

    #[test]
    fn only_idle_unarchived_sessions_quiet_for_longer_than_the_choice() {
        let now = 100 * 86_400_000;
        let hour = 3_600_000;
        let all = [
            session("sesn_recent", "idle", false, now - hour / 2),
            session("sesn_two_hours", "idle", false, now - 2 * hour),
            session("sesn_two_days", "idle", false, now - 48 * hour),
            session("sesn_old_running", "running", false, now - 48 * hour),
            session("sesn_old_ended", "terminated", false, now - 48 * hour),
            session("sesn_old_archived", "idle", true, now - 48 * hour),
            session("sesn_month", "idle", false, now - 30 * 24 * hour),
        ];
        let ids = |c: IdleFor| {
            idle_sessions(&all, now, c)
                .into_iter()
                .map(|s| s.id.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            ids(IdleFor::Hour),
            ["sesn_month", "sesn_two_days", "sesn_two_hours"]
        );
        assert_eq!(ids(IdleFor::Day), ["sesn_month", "sesn_two_days"]);
        assert_eq!(ids(IdleFor::Week), ["sesn_month"]);
        let mut imported = session("sesn_imported", "idle", false, 0);
        imported.imported = true;
        assert!(
            idle_sessions(&[imported], now, IdleFor::Hour).is_empty(),
            "not on the API"
        );
        assert_eq!(IdleFor::from_value("week"), IdleFor::Week);
        assert_eq!(IdleFor::from_value("nonsense"), IdleFor::Day);
        assert_eq!(idle_words(now, now - 2 * hour), "2 hours");
        assert_eq!(idle_words(now, now - 60_000), "1 minute");
        assert_eq!(idle_words(now, now - 30 * 24 * hour), "30 days");
    }

    #[test]
    fn outcome_drafts_are_optional_and_trimmed() {
        let mut d = OutcomeDraft::default();
        assert!(d.is_empty() && d.optional().is_none());
        d.description = " A report ".into();
        d.iterations = " ".into();
        let input = d.optional().unwrap();
        assert_eq!(input.description, "A report");
        assert_eq!(input.max_iterations, None);
        assert_eq!(input.problems()[0].0, "outcomeRubric");
        d.rubric = "Has a title".into();
        d.iterations = "30".into();
        assert_eq!(d.input().problems()[0].0, "outcomeIterations");
    }

    #[test]
    fn bars_scale_to_the_most_expensive() {
        let bar = |key: &str, label: &str, cents| UsageBar {
            key: key.into(),
            label: label.into(),
            cents,
            tokens: 0,
            sessions: 1,
        };
        let drawn = draw(
            &[
                bar("a", "A", 1000),
                bar("b", "", 250),
                bar("c", "C", 1),
                bar("d", "D", 0),
            ],
            400,
        );
        let lengths: Vec<u32> = drawn.iter().map(|b| b.length).collect();
        assert_eq!(lengths, [400, 100, 1, 0]);
        assert_eq!(drawn[1].label, "Untitled session");
        assert_eq!(drawn[0].value, "$10.00");
        assert_eq!(dollars(5), "$0.05");
        assert_eq!(dollars(123_456), "$1234.56");
        assert!(draw(&[], 400).is_empty());
        assert_eq!(draw(&[bar("z", "Z", 0)], 400)[0].length, 0);
    }
}
