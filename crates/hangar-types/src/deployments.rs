//! Deployments (scheduled agents) as the `Schedules` screen uses them (issue 14), and the
//! friendly schedule picker's rules: a choice ("every weekday at 9:00", "every Monday", a
//! custom cron) becomes a cron expression, and any expression reads back in words.

use serde::{Deserialize, Serialize};

use crate::model::common::Budget;
use crate::model::cron::Cron;
use crate::model::deployments::{Deployment, DeploymentCreate, DeploymentRun};
use crate::DeploymentId;

/// `{id}` of a deployment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentIdInput {
    /// The deployment.
    pub id: DeploymentId,
}

/// Input of `deployment_create`: the API's body, built by the form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentCreateInput {
    /// As sent to `POST /v1/deployments`.
    pub body: DeploymentCreate,
}

/// A deployment with its runs, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentGetOutput {
    /// The deployment.
    pub deployment: Deployment,
    /// Its runs.
    pub runs: Vec<DeploymentRun>,
}

/// What the schedule picker offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum ScheduleChoice {
    /// Only when someone presses Run now.
    Manual,
    /// Every day at a time.
    Daily {
        /// 0-23.
        hour: u32,
        /// 0-59.
        minute: u32,
    },
    /// Monday to Friday at a time.
    Weekdays {
        /// 0-23.
        hour: u32,
        /// 0-59.
        minute: u32,
    },
    /// One day of the week at a time.
    Weekly {
        /// 0 = Sunday … 6 = Saturday.
        weekday: u32,
        /// 0-23.
        hour: u32,
        /// 0-59.
        minute: u32,
    },
    /// A cron expression typed by the person.
    Custom {
        /// Five fields.
        expression: String,
    },
}

impl ScheduleChoice {
    /// The cron expression; `None` for [`ScheduleChoice::Manual`].
    pub fn expression(&self) -> Option<String> {
        match self {
            ScheduleChoice::Manual => None,
            ScheduleChoice::Daily { hour, minute } => Some(format!("{minute} {hour} * * *")),
            ScheduleChoice::Weekdays { hour, minute } => Some(format!("{minute} {hour} * * 1-5")),
            ScheduleChoice::Weekly {
                weekday,
                hour,
                minute,
            } => Some(format!("{minute} {hour} * * {weekday}")),
            ScheduleChoice::Custom { expression } => Some(expression.trim().to_string()),
        }
    }
}

/// A schedule in words ("every weekday at 9:00"), or what is wrong with the expression.
pub fn schedule_words(expression: &str) -> Result<String, String> {
    Cron::parse(expression).map(|c| c.describe())
}

/// `"9:00"` → `(9, 0)`.
pub fn parse_time_of_day(text: &str) -> Option<(u32, u32)> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some((h, m))
}

/// Problems of a deployment before it is sent, as `(field, message)`.
pub fn deployment_problems(body: &DeploymentCreate) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let n = body.name.trim().chars().count();
    if n == 0 {
        out.push(("name".into(), "A schedule needs a name".into()));
    } else if n > 255 {
        out.push(("name".into(), "A name is at most 255 characters".into()));
    }
    if body.environment_id.is_empty() {
        out.push(("environment".into(), "Choose an environment".into()));
    }
    let agent_missing = match &body.agent {
        crate::model::sessions::AgentRef::Latest(id) => id.is_empty(),
        crate::model::sessions::AgentRef::Pinned { id, .. } => id.is_empty(),
        crate::model::sessions::AgentRef::WithOverrides(_) => false,
    };
    if agent_missing {
        out.push(("agent".into(), "Choose an agent".into()));
    }
    let text: String = body
        .initial_events
        .iter()
        .filter_map(|e| serde_json::to_value(e).ok())
        .filter(|e| e["type"] == "user.message")
        .flat_map(|e| {
            e["content"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .filter_map(|b| b["text"].as_str().map(str::to_string))
        })
        .collect();
    let empty_message = text.trim().is_empty();
    if empty_message {
        out.push((
            "message".into(),
            "Write the first message the agent gets".into(),
        ));
    }
    if let Some(Budget::Limit { max_list_cost }) = &body.budget {
        if let Err(e) = crate::validate::budget_amount(&max_list_cost.amount) {
            out.push(("budget".into(), e));
        }
    }
    if let Some(s) = &body.schedule {
        if let Err(e) = Cron::parse(&s.expression) {
            out.push(("schedule".into(), e));
        }
        if s.timezone.trim().is_empty() {
            out.push(("schedule".into(), "A schedule needs a time zone".into()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_become_cron_and_read_back() {
        let c = ScheduleChoice::Weekdays { hour: 9, minute: 0 };
        assert_eq!(c.expression().as_deref(), Some("0 9 * * 1-5"));
        assert_eq!(
            schedule_words(&c.expression().unwrap()).unwrap(),
            "every weekday at 9:00"
        );
        let m = ScheduleChoice::Weekly {
            weekday: 1,
            hour: 9,
            minute: 30,
        };
        assert_eq!(
            schedule_words(&m.expression().unwrap()).unwrap(),
            "every Monday at 9:30"
        );
        assert_eq!(ScheduleChoice::Manual.expression(), None);
        assert!(schedule_words("0 9 * *").is_err());
        assert_eq!(parse_time_of_day("09:05"), Some((9, 5)));
        assert_eq!(parse_time_of_day("25:00"), None);
    }

    #[test]
    fn problems_name_their_fields() {
        use crate::model::deployments::Schedule;
        use crate::model::sessions::AgentRef;
        let mut body = DeploymentCreate::new(" ", AgentRef::latest(""), "", " ");
        body.schedule = Some(Schedule::cron("0 99 * * *", "UTC"));
        let fields: Vec<String> = deployment_problems(&body)
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(
            fields,
            ["name", "environment", "agent", "message", "schedule"]
        );
    }
}
