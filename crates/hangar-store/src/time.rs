//! RFC 3339 timestamps to microseconds since the Unix epoch, without a date library.

/// Parses `2026-11-20T10:15:30.123456Z` (or with a `+hh:mm` offset) to µs since 1970.
pub fn parse_rfc3339_us(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> { s.get(r)?.parse::<i64>().ok() };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut i = 19;
    let mut micros = 0i64;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            if i - start < 6 {
                micros = micros * 10 + i64::from(b[i] - b'0');
            }
            i += 1;
        }
        if i == start {
            return None;
        }
        for _ in (i - start)..6 {
            micros *= 10;
        }
    }
    let offset_secs = match b.get(i)? {
        b'Z' | b'z' if i + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if b.len() == i + 6 && b[i + 3] == b':' => {
            let h = num(i + 1..i + 3)?;
            let m = num(i + 4..i + 6)?;
            let total = h * 3600 + m * 60;
            if *sign == b'+' {
                total
            } else {
                -total
            }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_secs;
    Some(secs * 1_000_000 + micros)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
/// µs since the Unix epoch as RFC 3339 in UTC with microseconds (`2026-11-20T10:00:00.000000Z`).
pub fn format_rfc3339_us(us: i64) -> String {
    let secs = us.div_euclid(1_000_000);
    let micros = us.rem_euclid(1_000_000);
    let days = secs.div_euclid(86_400);
    let day_secs = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{micros:06}Z",
        day_secs / 3600,
        (day_secs / 60) % 60,
        day_secs % 60
    )
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::{format_rfc3339_us, parse_rfc3339_us};

    #[test]
    fn formats_what_it_parses() {
        for s in [
            "2026-11-20T10:00:00.000000Z",
            "1970-01-01T00:00:00.000000Z",
            "2024-02-29T23:59:59.999999Z",
        ] {
            assert_eq!(format_rfc3339_us(parse_rfc3339_us(s).unwrap()), s);
        }
    }

    #[test]
    fn parses_the_forms_the_api_sends() {
        for (input, expect) in [
            ("1970-01-01T00:00:00Z", Some(0)),
            ("1970-01-01T00:00:01.5Z", Some(1_500_000)),
            ("2026-11-20T10:00:01.000000Z", Some(1_795_168_801_000_000)),
            (
                "2026-11-20T10:00:01.123456789Z",
                Some(1_795_168_801_123_456),
            ),
            ("2026-11-20T11:00:01+01:00", Some(1_795_168_801_000_000)),
            ("2026-11-20T09:30:01-00:30", Some(1_795_168_801_000_000)),
            ("2000-02-29T00:00:00Z", Some(951_782_400_000_000)),
            ("2026-11-20", None),
            ("2026-13-20T10:00:00Z", None),
            ("2026-11-20T10:00:00", None),
            ("2026-11-20T10:00:00.Z", None),
            ("not a date at all!!", None),
        ] {
            assert_eq!(parse_rfc3339_us(input), expect, "{input}");
        }
    }
}
