//! Five-field POSIX cron expressions as deployments use them (`0 9 * * 1-5`): parsing, matching
//! a wall-clock minute, the next matching minutes, and the schedule in words ("every weekday at
//! 9:00"). Pure civil time: the caller turns wall-clock minutes of the deployment's time zone
//! into instants (the fake with a time-zone database, the UI with the person's own clock).

use std::collections::BTreeSet;

/// A parsed expression: the allowed values of each field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cron {
    minutes: BTreeSet<u32>,
    hours: BTreeSet<u32>,
    days: BTreeSet<u32>,
    months: BTreeSet<u32>,
    weekdays: BTreeSet<u32>,
    days_any: bool,
    weekdays_any: bool,
    source: String,
}

/// A wall-clock minute: year, month (1-12), day (1-31), hour, minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Civil {
    /// Year.
    pub year: i32,
    /// 1-12.
    pub month: u32,
    /// 1-31.
    pub day: u32,
    /// 0-23.
    pub hour: u32,
    /// 0-59.
    pub minute: u32,
}

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const DAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const DAY_NAMES: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn field(
    text: &str,
    lo: u32,
    hi: u32,
    names: &[&str],
    name: &str,
) -> Result<BTreeSet<u32>, String> {
    let value = |s: &str| -> Result<u32, String> {
        if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(s)) {
            return Ok(i as u32 + if names.len() == 12 { 1 } else { 0 });
        }
        s.parse::<u32>()
            .ok()
            .filter(|v| (lo..=hi).contains(v))
            .ok_or_else(|| format!("{name}: {s:?} is not between {lo} and {hi}"))
    };
    let mut out = BTreeSet::new();
    for part in text.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (
                r,
                s.parse::<u32>()
                    .ok()
                    .filter(|s| *s > 0)
                    .ok_or_else(|| format!("{name}: step {s:?} is not a positive number"))?,
            ),
            None => (part, 1),
        };
        let (a, b) = if range == "*" {
            (lo, hi)
        } else if let Some((a, b)) = range.split_once('-') {
            (value(a)?, value(b)?)
        } else {
            let v = value(range)?;
            (v, if part.contains('/') { hi } else { v })
        };
        if a > b {
            return Err(format!("{name}: {range:?} runs backwards"));
        }
        out.extend((a..=b).step_by(step as usize));
    }
    Ok(out)
}

impl Cron {
    /// Parses `minute hour day-of-month month day-of-week` (numbers, `*`, ranges `a-b`, steps
    /// `/n`, lists, `JAN`…`DEC`, `SUN`…`SAT`; Sunday is 0 or 7). The error says which field is
    /// wrong, in words.
    pub fn parse(expr: &str) -> Result<Cron, String> {
        let parts: Vec<&str> = expr.split_whitespace().collect();
        if parts.len() != 5 {
            return Err(format!(
                "A schedule has 5 fields (minute hour day month weekday), this has {}",
                parts.len()
            ));
        }
        let mut weekdays = field(parts[4], 0, 7, &DAYS, "weekday")?;
        if weekdays.remove(&7) {
            weekdays.insert(0);
        }
        Ok(Cron {
            minutes: field(parts[0], 0, 59, &[], "minute")?,
            hours: field(parts[1], 0, 23, &[], "hour")?,
            days: field(parts[2], 1, 31, &[], "day of month")?,
            months: field(parts[3], 1, 12, &MONTHS, "month")?,
            weekdays,
            days_any: parts[2] == "*",
            weekdays_any: parts[4] == "*",
            source: parts.join(" "),
        })
    }

    /// The expression as written (whitespace normalised).
    pub fn source(&self) -> &str {
        &self.source
    }

    fn day_matches(&self, year: i32, month: u32, day: u32) -> bool {
        if !self.months.contains(&month) {
            return false;
        }
        let dom = self.days.contains(&day);
        let dow = self.weekdays.contains(&weekday(year, month, day));
        // POSIX: when both are restricted, either may match.
        match (self.days_any, self.weekdays_any) {
            (true, true) => true,
            (true, false) => dow,
            (false, true) => dom,
            (false, false) => dom || dow,
        }
    }

    /// Whether this wall-clock minute matches.
    pub fn matches(&self, t: Civil) -> bool {
        self.minutes.contains(&t.minute)
            && self.hours.contains(&t.hour)
            && self.day_matches(t.year, t.month, t.day)
    }

    /// The first matching minute strictly after `t` (within 8 years; `None` for expressions
    /// that never match, such as `0 0 31 2 *`).
    pub fn next_after(&self, t: Civil) -> Option<Civil> {
        let first = days_from_civil(t.year, t.month, t.day);
        for days in first..first + 366 * 8 {
            let (year, month, day) = civil_from_days(days);
            if self.day_matches(year, month, day) {
                for &hour in &self.hours {
                    for &minute in &self.minutes {
                        let c = Civil {
                            year,
                            month,
                            day,
                            hour,
                            minute,
                        };
                        if days > first || c > t {
                            return Some(c);
                        }
                    }
                }
            }
        }
        None
    }

    /// The next `n` matching minutes after `t`.
    pub fn upcoming(&self, t: Civil, n: usize) -> Vec<Civil> {
        let mut out = Vec::new();
        let mut at = t;
        while out.len() < n {
            match self.next_after(at) {
                Some(c) => {
                    out.push(c);
                    at = c;
                }
                None => break,
            }
        }
        out
    }

    /// The schedule in words: "every weekday at 9:00", "every Monday at 9:00", "every day at
    /// 18:30", "every 15 minutes", "on day 1 of every month at 8:00"; anything else as
    /// "custom schedule (…)".
    pub fn describe(&self) -> String {
        let all = |s: &BTreeSet<u32>, lo: u32, hi: u32| s.len() as u32 == hi - lo + 1;
        let single = |s: &BTreeSet<u32>| (s.len() == 1).then(|| *s.iter().next().unwrap_or(&0));
        let months = if all(&self.months, 1, 12) {
            String::new()
        } else {
            format!(
                " in {}",
                list(
                    self.months
                        .iter()
                        .map(|m| MONTH_NAMES[(*m as usize).saturating_sub(1) % 12].to_string())
                        .collect()
                )
            )
        };
        let times: Option<String> = match (single(&self.hours), self.minutes.len()) {
            _ if self.hours.len() * self.minutes.len() > 4 => None,
            _ => {
                let mut ts = Vec::new();
                for h in &self.hours {
                    for m in &self.minutes {
                        ts.push(format!("{h}:{m:02}"));
                    }
                }
                Some(list(ts))
            }
        };
        let days = if self.days_any && self.weekdays_any {
            Some("every day".to_string())
        } else if self.days_any {
            let w: Vec<u32> = self.weekdays.iter().copied().collect();
            Some(match w.as_slice() {
                [1, 2, 3, 4, 5] => "every weekday".to_string(),
                [0, 6] => "every Saturday and Sunday".to_string(),
                _ => format!(
                    "every {}",
                    list(
                        w.iter()
                            .map(|d| DAY_NAMES[*d as usize % 7].to_string())
                            .collect()
                    )
                ),
            })
        } else if self.weekdays_any && self.days.len() <= 3 {
            let d: Vec<String> = self.days.iter().map(u32::to_string).collect();
            Some(format!("on day {} of every month", list(d)))
        } else {
            None
        };
        let every_hour = all(&self.hours, 0, 23);
        let text = match (days, times) {
            (Some(d), Some(t)) => Some(format!("{d} at {t}")),
            (Some(d), None) if every_hour => {
                let step = self
                    .minutes
                    .iter()
                    .nth(1)
                    .map(|b| b - self.minutes.iter().next().unwrap_or(&0));
                let even = step.filter(|s| {
                    60 % s == 0
                        && self.minutes.len() as u32 == 60 / s
                        && self.minutes.iter().next() == Some(&0)
                });
                match (single(&self.minutes), even) {
                    (_, Some(1)) => Some(every_suffix("every minute", &d)),
                    (_, Some(s)) => Some(every_suffix(&format!("every {s} minutes"), &d)),
                    (Some(m), _) => Some(every_suffix(&format!("every hour at :{m:02}"), &d)),
                    _ => None,
                }
            }
            _ => None,
        };
        match text {
            Some(t) => format!("{t}{months}"),
            None => format!("custom schedule ({})", self.source),
        }
    }
}

fn every_suffix(what: &str, days: &str) -> String {
    if days == "every day" {
        what.to_string()
    } else {
        format!("{what}, {days}")
    }
}

fn list(items: Vec<String>) -> String {
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n => format!("{} and {}", items[..n - 1].join(", "), items[n - 1]),
    }
}

/// 0 = Sunday.
pub fn weekday(year: i32, month: u32, day: u32) -> u32 {
    (days_from_civil(year, month, day) + 4).rem_euclid(7) as u32
}

/// Days since 1970-01-01.
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let (y, m, d) = (i64::from(y), i64::from(m), i64::from(d));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        (yoe + era * 400 + i64::from(m <= 2)) as i32,
        m as u32,
        d as u32,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> Civil {
        Civil {
            year,
            month,
            day,
            hour,
            minute,
        }
    }

    #[test]
    fn words() {
        for (expr, words) in [
            ("0 9 * * 1-5", "every weekday at 9:00"),
            ("0 9 * * 1", "every Monday at 9:00"),
            ("0 9 * * MON", "every Monday at 9:00"),
            ("30 18 * * *", "every day at 18:30"),
            (
                "0 9 * * 1,3,5",
                "every Monday, Wednesday and Friday at 9:00",
            ),
            ("0 8 1 * *", "on day 1 of every month at 8:00"),
            ("*/15 * * * *", "every 15 minutes"),
            ("5 * * * *", "every hour at :05"),
            ("0 9 * 1 *", "every day at 9:00 in January"),
            (
                "0 9,17 * * 6,0",
                "every Saturday and Sunday at 9:00 and 17:00",
            ),
            ("1-50 3 * * *", "custom schedule (1-50 3 * * *)"),
        ] {
            assert_eq!(Cron::parse(expr).unwrap().describe(), words, "{expr}");
        }
    }

    #[test]
    fn errors_name_the_field() {
        assert!(Cron::parse("0 9 * *").unwrap_err().contains("5 fields"));
        assert!(Cron::parse("0 25 * * *").unwrap_err().contains("hour"));
        assert!(Cron::parse("0 9 * * 1-9").unwrap_err().contains("weekday"));
        assert!(Cron::parse("*/0 9 * * *").unwrap_err().contains("step"));
    }

    #[test]
    fn next_runs() {
        let c = Cron::parse("0 9 * * 1-5").unwrap();
        // 2026-11-20 is a Friday.
        assert_eq!(weekday(2026, 11, 20), 5);
        let runs = c.upcoming(at(2026, 11, 20, 10, 0), 3);
        assert_eq!(
            runs,
            vec![
                at(2026, 11, 23, 9, 0),
                at(2026, 11, 24, 9, 0),
                at(2026, 11, 25, 9, 0)
            ]
        );
        assert_eq!(
            c.next_after(at(2026, 11, 20, 8, 59)),
            Some(at(2026, 11, 20, 9, 0))
        );
        assert_eq!(
            c.next_after(at(2026, 11, 20, 9, 0)),
            Some(at(2026, 11, 23, 9, 0))
        );
        assert!(c.matches(at(2026, 11, 23, 9, 0)));
        assert_eq!(
            Cron::parse("0 0 31 2 *")
                .unwrap()
                .next_after(at(2026, 1, 1, 0, 0)),
            None
        );
        // Either day field may match when both are set.
        let either = Cron::parse("0 0 1 * 1").unwrap();
        assert_eq!(
            either.next_after(at(2026, 11, 20, 0, 0)),
            Some(at(2026, 11, 23, 0, 0))
        );
        assert_eq!(
            either.next_after(at(2026, 11, 30, 0, 0)),
            Some(at(2026, 12, 1, 0, 0))
        );
    }
}
