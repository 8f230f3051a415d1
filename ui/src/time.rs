//! Dates in the person's own time zone: RFC 3339 timestamps parsed, shifted by a UTC offset,
//! grouped by local day and labelled "Today", "Yesterday" or "Monday, 23 November". Plain and
//! tested; the view asks the browser for the offset (`js_sys::Date::get_timezone_offset`).

/// A calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    /// The year.
    pub year: i32,
    /// 1–12.
    pub month: u32,
    /// 1–31.
    pub day: u32,
}

const MS_PER_DAY: i64 = 86_400_000;

/// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let year = i64::from(year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let month = i64::from(month);
    let doy = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a count of days since 1970-01-01 (Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> Day {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Day {
        year: i32::try_from(year).unwrap_or(i32::MAX),
        month: u32::try_from(month).unwrap_or(1),
        day: u32::try_from(day).unwrap_or(1),
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

fn number(text: &str, digits: usize) -> Option<u32> {
    if text.len() == digits && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

/// Milliseconds since the Unix epoch of an RFC 3339 timestamp (`2026-11-20T10:15:30.123456Z`,
/// `…+02:00`); `None` when it is not one.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let text = text.trim();
    let date = text.get(..10)?;
    let sep = text.get(10..11)?;
    if !matches!(sep, "T" | "t" | " ") {
        return None;
    }
    let year = number(date.get(0..4)?, 4)?;
    let month = number(date.get(5..7)?, 2)?;
    let day = number(date.get(8..10)?, 2)?;
    if date.get(4..5)? != "-" || date.get(7..8)? != "-" {
        return None;
    }
    let year = i32::try_from(year).ok()?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let rest = text.get(11..)?;
    let hour = number(rest.get(0..2)?, 2)?;
    let minute = number(rest.get(3..5)?, 2)?;
    let second = number(rest.get(6..8)?, 2)?;
    if rest.get(2..3)? != ":" || rest.get(5..6)? != ":" || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = rest.get(8..)?;
    let mut millis = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let first3: String = fraction[..digits]
            .chars()
            .chain("000".chars())
            .take(3)
            .collect();
        millis = first3.parse::<i64>().ok()?;
        rest = &fraction[digits..];
    }
    let offset_minutes: i64 = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.get(0..1)? {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            let hours = number(rest.get(1..3)?, 2)?;
            let minutes = number(rest.get(4..6)?, 2)?;
            if rest.get(3..4)? != ":" || rest.len() != 6 || hours > 23 || minutes > 59 {
                return None;
            }
            sign * i64::from(hours * 60 + minutes)
        }
    };
    let days = days_from_civil(year, month, day);
    let seconds = i64::from(hour * 3600 + minute * 60 + second.min(59));
    Some((days * 86_400 + seconds - offset_minutes * 60) * 1000 + millis)
}

/// The local day of instant `unix_ms` for a zone `offset_minutes` east of UTC (UTC+2 → 120).
pub fn local_day(unix_ms: i64, offset_minutes: i32) -> Day {
    let local = unix_ms + i64::from(offset_minutes) * 60_000;
    civil_from_days(local.div_euclid(MS_PER_DAY))
}

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

const MONTHS: [&str; 12] = [
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

impl Day {
    fn ordinal(self) -> i64 {
        days_from_civil(self.year, self.month, self.day)
    }

    /// Its weekday's name.
    pub fn weekday(self) -> &'static str {
        // 1970-01-01 was a Thursday (index 3 from Monday).
        let index = (self.ordinal() + 3).rem_euclid(7);
        WEEKDAYS
            .get(usize::try_from(index).unwrap_or(0))
            .copied()
            .unwrap_or("")
    }

    /// The heading of its group when `today` is today: "Today", "Yesterday",
    /// "Monday, 23 November", or with the year when it is not this year's.
    pub fn label(self, today: Day) -> String {
        match today.ordinal() - self.ordinal() {
            0 => "Today".into(),
            1 => "Yesterday".into(),
            _ => {
                let month = MONTHS
                    .get(usize::try_from(self.month.saturating_sub(1)).unwrap_or(0))
                    .copied()
                    .unwrap_or("");
                let mut label = format!("{}, {} {month}", self.weekday(), self.day);
                if self.year != today.year {
                    label.push_str(&format!(" {}", self.year));
                }
                label
            }
        }
    }
}

/// Items of one local day, in list order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayGroup<T> {
    /// The day (`None` for items whose timestamp could not be read).
    pub day: Option<Day>,
    /// Its heading.
    pub label: String,
    /// The items.
    pub items: Vec<T>,
}

/// Groups consecutive items of the same local day (the list is newest first, so each day
/// appears once). `timestamp` reads an item's RFC 3339 time; `offset_at` gives the zone's
/// offset east of UTC in minutes at an instant (daylight saving time changes it); `now_ms` is
/// the current instant.
pub fn group_by_day<T>(
    items: Vec<T>,
    timestamp: impl Fn(&T) -> &str,
    offset_at: impl Fn(i64) -> i32,
    now_ms: i64,
) -> Vec<DayGroup<T>> {
    let today = local_day(now_ms, offset_at(now_ms));
    let mut groups: Vec<DayGroup<T>> = Vec::new();
    for item in items {
        let day = parse_rfc3339(timestamp(&item)).map(|ms| local_day(ms, offset_at(ms)));
        match groups.last_mut() {
            Some(group) if group.day == day => group.items.push(item),
            _ => groups.push(DayGroup {
                day,
                label: day.map_or_else(|| "Date unknown".to_string(), |d| d.label(today)),
                items: vec![item],
            }),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(year: i32, month: u32, day: u32) -> Day {
        Day { year, month, day }
    }

    #[test]
    fn parses_rfc3339() {
        let cases: &[(&str, Option<i64>)] = &[
            ("1970-01-01T00:00:00Z", Some(0)),
            ("1970-01-01T00:00:01.5Z", Some(1_500)),
            ("2026-11-20T10:15:30.123456Z", Some(1_795_169_730_123)),
            ("2026-11-20t10:15:30z", Some(1_795_169_730_000)),
            ("2026-11-20 10:15:30Z", Some(1_795_169_730_000)),
            ("2026-11-20T12:15:30+02:00", Some(1_795_169_730_000)),
            ("2026-11-20T05:45:30-04:30", Some(1_795_169_730_000)),
            ("2024-02-29T00:00:00Z", Some(1_709_164_800_000)),
            ("1969-12-31T23:59:59Z", Some(-1_000)),
            ("2023-02-29T00:00:00Z", None),
            ("2026-13-01T00:00:00Z", None),
            ("2026-11-20T24:00:00Z", None),
            ("2026-11-20T10:15:30", None),
            ("2026-11-20T10:15:30.Z", None),
            ("2026-11-20T10:15:30+0200", None),
            ("2026-11-20", None),
            ("20261120T101530Z", None),
            ("", None),
            ("not a date at all, really", None),
        ];
        for (text, expect) in cases {
            assert_eq!(parse_rfc3339(text), *expect, "{text}");
        }
    }

    #[test]
    fn civil_days_round_trip() {
        for days in [-800_000, -1, 0, 1, 59, 60, 365, 10_957, 20_000, 2_932_896] {
            let d = civil_from_days(days);
            assert_eq!(days_from_civil(d.year, d.month, d.day), days, "{d:?}");
        }
        assert_eq!(civil_from_days(0), day(1970, 1, 1));
        assert_eq!(civil_from_days(19_782), day(2024, 2, 29));
    }

    #[test]
    fn the_local_day_depends_on_the_offset() {
        let ms = parse_rfc3339("2026-11-20T23:30:00Z").expect("valid");
        assert_eq!(local_day(ms, 0), day(2026, 11, 20));
        assert_eq!(
            local_day(ms, 60),
            day(2026, 11, 21),
            "Paris: already the 21st"
        );
        assert_eq!(local_day(ms, -300), day(2026, 11, 20), "New York");
        let early = parse_rfc3339("2026-11-20T02:00:00Z").expect("valid");
        assert_eq!(
            local_day(early, -300),
            day(2026, 11, 19),
            "New York: still the 19th"
        );
        assert_eq!(local_day(early, 330), day(2026, 11, 20), "India");
        // Across a year boundary.
        let new_year = parse_rfc3339("2027-01-01T00:30:00Z").expect("valid");
        assert_eq!(local_day(new_year, -60), day(2026, 12, 31));
    }

    #[test]
    fn labels() {
        let today = day(2026, 11, 24); // a Tuesday
        let cases = [
            (day(2026, 11, 24), "Today"),
            (day(2026, 11, 23), "Yesterday"),
            (day(2026, 11, 22), "Sunday, 22 November"),
            (day(2026, 11, 16), "Monday, 16 November"),
            (day(2026, 1, 1), "Thursday, 1 January"),
            (day(2025, 12, 31), "Wednesday, 31 December 2025"),
            (day(2026, 11, 25), "Wednesday, 25 November"),
        ];
        for (d, label) in cases {
            assert_eq!(d.label(today), label, "{d:?}");
        }
        // Yesterday across a month and a year.
        assert_eq!(day(2026, 12, 31).label(day(2027, 1, 1)), "Yesterday");
        assert_eq!(day(2024, 2, 29).label(day(2024, 3, 1)), "Yesterday");
    }

    #[test]
    fn groups_by_local_day_not_by_utc_date() {
        // Newest first, as the list comes.
        let items = vec![
            "2026-11-24T08:00:00Z",
            "2026-11-23T23:30:00Z", // 00:30 on the 24th in UTC+1: today there
            "2026-11-23T12:00:00Z",
            "garbage",
            "2026-11-20T09:00:00Z",
        ];
        let now = parse_rfc3339("2026-11-24T12:00:00Z").expect("valid");
        let utc = group_by_day(items.clone(), |s| s, |_| 0, now);
        let labels: Vec<(&str, usize)> = utc
            .iter()
            .map(|g| (g.label.as_str(), g.items.len()))
            .collect();
        assert_eq!(
            labels,
            [
                ("Today", 1),
                ("Yesterday", 2),
                ("Date unknown", 1),
                ("Friday, 20 November", 1)
            ]
        );
        let paris = group_by_day(items, |s| s, |_| 60, now);
        let labels: Vec<(&str, usize)> = paris
            .iter()
            .map(|g| (g.label.as_str(), g.items.len()))
            .collect();
        assert_eq!(
            labels,
            [
                ("Today", 2),
                ("Yesterday", 1),
                ("Date unknown", 1),
                ("Friday, 20 November", 1)
            ]
        );
    }

    #[test]
    fn the_offset_is_taken_at_each_instant() {
        // A zone on summer time (+120) until 2026-10-25T01:00Z, then winter time (+60).
        let switch = parse_rfc3339("2026-10-25T01:00:00Z").expect("valid");
        let offset = |ms: i64| if ms < switch { 120 } else { 60 };
        let items = vec!["2026-10-25T23:30:00Z", "2026-10-24T22:30:00Z"];
        let now = parse_rfc3339("2026-10-26T10:00:00Z").expect("valid");
        let groups = group_by_day(items, |s| s, offset, now);
        // 23:30Z on the 25th is 00:30 on the 26th in winter time (today); 22:30Z on the 24th
        // is 00:30 on the 25th in summer time (yesterday).
        let labels: Vec<&str> = groups.iter().map(|g| g.label.as_str()).collect();
        assert_eq!(labels, ["Today", "Yesterday"]);
    }
}
