//! Dates as feeds and HTTP write them: RFC 822 / RFC 1123 (RSS `pubDate`,
//! HTTP `Retry-After`), RFC 3339 and ISO 8601 (Atom, JSON Feed, `dc:date`).
//!
//! A feed item's date is kept as the calendar date *as written* (the
//! publisher's local date): `Wed, 12 Nov 2025 23:30:00 -0500` is
//! `2025-11-12`, not the UTC date `2025-11-13`, because that is the date the
//! article itself carries.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A calendar date and, when written, a time of day with its UTC offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    /// Seconds since midnight, local time; `None` when only a date was written.
    pub seconds: Option<u32>,
    /// The UTC offset in seconds (east positive); 0 when none was written.
    pub offset: i32,
}

impl Stamp {
    /// `YYYY-MM-DD` of the date as written.
    pub fn ymd(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// Seconds since the Unix epoch (UTC), midnight when no time was written.
    pub fn unix(&self) -> i64 {
        let days = days_from_civil(self.year, self.month, self.day);
        days * 86_400 + i64::from(self.seconds.unwrap_or(0)) - i64::from(self.offset)
    }
}

/// The date of a feed item (`YYYY-MM-DD` as written), from any of the
/// formats feeds use; `None` when the text is not a date we recognise.
pub(crate) fn feed_date(text: &str) -> Option<String> {
    parse(text).map(|s| s.ymd())
}

/// Parses RFC 3339 / ISO 8601 first (it starts with a digit and a dash),
/// then RFC 822 and its common variations.
pub(crate) fn parse(text: &str) -> Option<Stamp> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    iso(t).or_else(|| rfc822(t))
}

fn valid(year: i32, month: u32, day: u32) -> bool {
    (1..=9999).contains(&year)
        && (1..=12).contains(&month)
        && day >= 1
        && day <= days_in_month(year, month)
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `2003-12-13`, `2003-12-13T18:30:02Z`, `2021-10-29T10:26:00-04:00`,
/// `2003-12-13 18:30:02.25+01:00`, `20031213`.
fn iso(t: &str) -> Option<Stamp> {
    let b = t.as_bytes();
    let (year, month, day, rest) = if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' {
        (
            digits(t.get(0..4)?)?,
            digits(t.get(5..7)?)?,
            digits(t.get(8..10)?)?,
            t.get(10..)?,
        )
    } else if b.len() >= 8
        && b[..8].iter().all(u8::is_ascii_digit)
        && (b.len() == 8 || b[8] == b'T')
    {
        (
            digits(t.get(0..4)?)?,
            digits(t.get(4..6)?)?,
            digits(t.get(6..8)?)?,
            t.get(8..)?,
        )
    } else {
        return None;
    };
    let year = i32::try_from(year).ok()?;
    if !valid(year, month, day) {
        return None;
    }
    let mut stamp = Stamp {
        year,
        month,
        day,
        seconds: None,
        offset: 0,
    };
    let rest = rest.trim_start_matches(['T', 't', ' ']);
    if rest.is_empty() {
        return Some(stamp);
    }
    // A time, then an optional zone. A time we cannot read still leaves the date.
    let (clock, zone) = split_zone(rest);
    if let Some(secs) = clock_seconds(clock) {
        stamp.seconds = Some(secs);
        stamp.offset = zone.and_then(zone_offset).unwrap_or(0);
    }
    Some(stamp)
}

/// Splits `18:30:02.25+01:00` into the clock and the zone (`Z`, `+01:00`, `-0400`).
fn split_zone(s: &str) -> (&str, Option<&str>) {
    match s.find(['Z', 'z', '+', '-']) {
        Some(i) => (&s[..i], Some(&s[i..])),
        None => {
            // `18:30:02 GMT` style.
            match s.split_once(' ') {
                Some((a, b)) => (a, Some(b)),
                None => (s, None),
            }
        }
    }
}

/// `HH:MM`, `HH:MM:SS`, `HH:MM:SS.fff` → seconds since midnight.
fn clock_seconds(s: &str) -> Option<u32> {
    let s = s.trim();
    let s = s.split(['.', ',']).next().unwrap_or(s);
    let mut parts = s.split(':');
    let h = digits(parts.next()?)?;
    let m = digits(parts.next()?)?;
    let sec = match parts.next() {
        Some(p) => digits(p)?,
        None => 0,
    };
    if parts.next().is_some() || h > 24 || m > 59 || sec > 60 {
        return None;
    }
    Some(h * 3600 + m * 60 + sec.min(59))
}

/// `Z`, `+01:00`, `-0400`, `+01`, `GMT`, `UT`, `EST`, `PDT`, … → seconds east of UTC.
fn zone_offset(z: &str) -> Option<i32> {
    let z = z.trim();
    let named = match z.to_ascii_uppercase().as_str() {
        "Z" | "UT" | "UTC" | "GMT" => Some(0),
        "EST" => Some(-5),
        "EDT" => Some(-4),
        "CST" => Some(-6),
        "CDT" => Some(-5),
        "MST" => Some(-7),
        "MDT" => Some(-6),
        "PST" => Some(-8),
        "PDT" => Some(-7),
        "CET" => Some(1),
        "CEST" => Some(2),
        "BST" => Some(1),
        _ => None,
    };
    if let Some(h) = named {
        return Some(h * 3600);
    }
    let (sign, rest) = match z.as_bytes().first()? {
        b'+' => (1, &z[1..]),
        b'-' => (-1, &z[1..]),
        _ => return None,
    };
    let rest: String = rest.chars().filter(|c| *c != ':').collect();
    let (h, m) = match rest.len() {
        2 => (digits(&rest)?, 0),
        4 => (digits(rest.get(..2)?)?, digits(rest.get(2..)?)?),
        _ => return None,
    };
    if h > 18 || m > 59 {
        return None;
    }
    Some(sign * i32::try_from(h * 3600 + m * 60).ok()?)
}

fn month_number(name: &str) -> Option<u32> {
    let lower = name.trim_end_matches('.').to_ascii_lowercase();
    if lower.len() < 3 {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    // "Sept" is common too; any prefix of at least three letters counts.
    MONTHS
        .iter()
        .position(|m| m.starts_with(&lower))
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// RFC 822 and the variations found in feeds: `Sun, 06 Sep 2009 16:20:00
/// +0000`, `6 Sep 09 16:20 GMT`, `Sunday, 06-Sep-2009 16:20:00 EST`,
/// `Sep 6, 2009`, `06 September 2009`.
fn rfc822(t: &str) -> Option<Stamp> {
    // Drop the weekday ("Sun," / "Sunday,").
    let t = match t.split_once(',') {
        Some((head, tail)) if head.trim().chars().all(|c| c.is_ascii_alphabetic()) => tail,
        _ => t,
    };
    let mut words: Vec<&str> = Vec::new();
    for w in t
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
    {
        if w.starts_with(['+', '-']) {
            words.push(w);
        } else {
            words.extend(w.split('-').filter(|p| !p.is_empty()));
        }
    }
    let mut day = None;
    let mut month = None;
    let mut year = None;
    let mut clock = None;
    let mut zone = None;
    for w in words {
        if w.starts_with(['+', '-']) {
            zone = zone.or_else(|| zone_offset(w));
        } else if w.contains(':') {
            if clock.is_some() {
                return None;
            }
            clock = Some(clock_seconds(w)?);
        } else if let Some(m) = month_number(w).filter(|_| month.is_none()) {
            month = Some(m);
        } else if let Some(n) = digits(w) {
            if clock.is_some() && w.len() == 4 && year.is_some() {
                // "0000" after the time: an offset written without its sign.
                zone = zone.or_else(|| zone_offset(&format!("+{w}")));
            } else if day.is_none() && w.len() <= 2 && year.is_none() {
                day = Some(n);
            } else if year.is_none() && (w.len() == 4 || w.len() == 2) {
                year = Some(if w.len() == 2 {
                    if n < 50 {
                        2000 + n
                    } else {
                        1900 + n
                    }
                } else {
                    n
                });
            } else if day.is_none() && w.len() <= 2 {
                day = Some(n);
            } else {
                return None;
            }
        } else if w.chars().all(|c| c.is_ascii_alphabetic()) {
            // A zone name, a weekday without its comma, or a word such as "at".
            if clock.is_some() {
                zone = zone.or_else(|| zone_offset(w));
            }
        } else {
            return None;
        }
    }
    let (year, month, day) = (i32::try_from(year?).ok()?, month?, day?);
    if !valid(year, month, day) {
        return None;
    }
    Some(Stamp {
        year,
        month,
        day,
        seconds: clock,
        offset: if clock.is_some() {
            zone.unwrap_or(0)
        } else {
            0
        },
    })
}

/// Days from 1970-01-01 to the given civil date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count from 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `time` as RFC 3339 in UTC, to the second: `2026-12-02T16:46:50Z`.
pub(crate) fn rfc3339(time: SystemTime) -> String {
    let secs = match time.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 2),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(0),
    };
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// An HTTP `Retry-After` value: delay seconds, or an HTTP date (then the
/// delay from `now`, zero when it has passed).
pub(crate) fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let v = value.trim();
    if let Some(secs) = digits(v).map(u64::from).or_else(|| v.parse::<u64>().ok()) {
        return Some(Duration::from_secs(secs));
    }
    let at = parse(v)?.unix();
    let now = i64::try_from(now.duration_since(UNIX_EPOCH).ok()?.as_secs()).ok()?;
    Some(Duration::from_secs(u64::try_from(at - now).unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc822_variants() {
        for (text, want) in [
            ("Sun, 06 Sep 2009 16:20:00 +0000", "2009-09-06"),
            ("Mon, 06 Sep 2010 00:01:00 +0000 ", "2010-09-06"),
            ("Wed, 12 Nov 2025 23:30:00 -0500", "2025-11-12"),
            ("6 Sep 09 16:20 GMT", "2009-09-06"),
            ("Sunday, 06-Sep-2009 16:20:00 EST", "2009-09-06"),
            ("Sep 6, 2009", "2009-09-06"),
            ("06 September 2009", "2009-09-06"),
            ("Tue, 1 Sept 2020 10:00:00 +0200", "2020-09-01"),
            ("Thu, 29 Feb 2024 08:00:00 GMT", "2024-02-29"),
        ] {
            assert_eq!(feed_date(text).as_deref(), Some(want), "{text}");
        }
        for bad in [
            "",
            "yesterday",
            "Thu, 30 Feb 2024 08:00:00 GMT",
            "32 Jan 2020",
            "Sun, 06 Foo 2009",
            "12345",
        ] {
            assert_eq!(feed_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn iso_variants() {
        for (text, want) in [
            ("2003-12-13T18:30:02Z", "2003-12-13"),
            ("2021-10-29T10:26:00-04:00", "2021-10-29"),
            ("2021-10-29T23:26:00.123+01:00", "2021-10-29"),
            ("2003-12-13", "2003-12-13"),
            ("2003-12-13 18:30", "2003-12-13"),
            ("20031213", "2003-12-13"),
            ("20031213T183002Z", "2003-12-13"),
        ] {
            assert_eq!(feed_date(text).as_deref(), Some(want), "{text}");
        }
        assert_eq!(feed_date("2003-13-01"), None);
        assert_eq!(feed_date("2003-02-30"), None);
    }

    #[test]
    fn unix_and_rfc3339_round_trip() {
        let s = parse("Sun, 06 Sep 2009 16:20:00 -0100").expect("date");
        assert_eq!(s.unix(), 1_252_254_000 + 3600);
        let t = UNIX_EPOCH + Duration::from_secs(1_252_254_000);
        assert_eq!(rfc3339(t), "2009-09-06T16:20:00Z");
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        for days in [-1000_i64, 0, 59, 60, 365, 11_016, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y as i32, m, d), days);
        }
    }

    #[test]
    fn retry_after_forms() {
        let now = UNIX_EPOCH + Duration::from_secs(1_252_254_000); // 2009-09-06T16:20:00Z
        assert_eq!(retry_after("120", now), Some(Duration::from_secs(120)));
        assert_eq!(
            retry_after("Sun, 06 Sep 2009 16:21:00 GMT", now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            retry_after("Sun, 06 Sep 2009 16:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon", now), None);
    }

    #[test]
    fn random_date_text_never_panics() {
        let alphabet: Vec<char> = "0123456789--::++  ,.TZzSunMonSepDecGMTEST€é\u{a0}"
            .chars()
            .collect();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..200_000 {
            let len = (next() % 40) as usize;
            let text: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            if let Some(stamp) = parse(&text) {
                assert!(valid(stamp.year, stamp.month, stamp.day), "{text:?}");
                let _ = stamp.unix();
            }
            let _ = retry_after(&text, UNIX_EPOCH);
        }
    }
}
