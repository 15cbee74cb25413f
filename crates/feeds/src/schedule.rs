//! `--every 15m` and lists of feed URLs.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// How often `onrecord watch` polls: parsed from `90s`, `15m`, `1h`,
/// `2h30m`, `1d` (units `d`, `h`, `m`, `s`, largest first, each at most once).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Schedule {
    /// The time from the start of one poll to the start of the next.
    pub every: Duration,
}

/// Why an `--every` value was refused; the message quotes it and shows the form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// Nothing given.
    #[error("an empty duration: write it like 15m, 1h, 90s or 2h30m")]
    Empty,
    /// A number without a unit (`15`).
    #[error("{0:?}: a number without a unit: write it like 15m, 1h, 90s or 2h30m")]
    MissingUnit(String),
    /// A unit that is not `d`, `h`, `m` or `s`.
    #[error("{text:?}: unknown unit {unit:?} (use d, h, m or s: 15m, 1h, 90s, 2h30m)")]
    UnknownUnit {
        /// The value given.
        text: String,
        /// The unit found.
        unit: String,
    },
    /// A unit twice, or out of order (`30m2h`).
    #[error("{0:?}: each unit at most once, largest first (2h30m, not 30m2h)")]
    Order(String),
    /// Not a number where one should be (`h`, `1.5h`, `-5m`).
    #[error("{0:?}: not a duration: write whole numbers with units, like 15m, 1h, 90s or 2h30m")]
    Malformed(String),
    /// Zero.
    #[error("{0:?}: the interval must be more than zero")]
    Zero(String),
    /// More than a year.
    #[error("{0:?}: too long (at most 365d)")]
    TooLong(String),
}

impl Schedule {
    /// Parses an interval (see [`Schedule`]); spaces between parts are allowed.
    pub fn parse(text: &str) -> Result<Schedule, ScheduleError> {
        let original = text.trim();
        let compact: String = original.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.is_empty() {
            return Err(ScheduleError::Empty);
        }
        let mut total: u64 = 0;
        let mut last_rank = usize::MAX;
        let mut rest = compact.as_str();
        while !rest.is_empty() {
            let digits = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            if digits == 0 {
                return Err(ScheduleError::Malformed(original.to_string()));
            }
            let number: u64 = rest[..digits]
                .parse()
                .map_err(|_| ScheduleError::TooLong(original.to_string()))?;
            rest = &rest[digits..];
            let unit_len = rest
                .find(|c: char| c.is_ascii_digit())
                .unwrap_or(rest.len());
            let unit = &rest[..unit_len];
            rest = &rest[unit_len..];
            let (rank, secs) = match unit.to_ascii_lowercase().as_str() {
                "" => return Err(ScheduleError::MissingUnit(original.to_string())),
                "d" => (0, 86_400),
                "h" => (1, 3_600),
                "m" | "min" => (2, 60),
                "s" => (3, 1),
                u if u.chars().all(|c| c.is_ascii_alphabetic()) => {
                    return Err(ScheduleError::UnknownUnit {
                        text: original.to_string(),
                        unit: unit.to_string(),
                    })
                }
                _ => return Err(ScheduleError::Malformed(original.to_string())),
            };
            if last_rank != usize::MAX && rank <= last_rank {
                return Err(ScheduleError::Order(original.to_string()));
            }
            last_rank = rank;
            total = number
                .checked_mul(secs)
                .and_then(|s| total.checked_add(s))
                .ok_or_else(|| ScheduleError::TooLong(original.to_string()))?;
        }
        if total == 0 {
            return Err(ScheduleError::Zero(original.to_string()));
        }
        if total > 365 * 86_400 {
            return Err(ScheduleError::TooLong(original.to_string()));
        }
        Ok(Schedule {
            every: Duration::from_secs(total),
        })
    }

    /// How long to wait after a poll that took `elapsed` (zero when it took
    /// longer than the interval: the next poll starts at once).
    pub fn wait_after(&self, elapsed: Duration) -> Duration {
        self.every.saturating_sub(elapsed)
    }
}

impl FromStr for Schedule {
    type Err = ScheduleError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Schedule::parse(s)
    }
}

impl fmt::Display for Schedule {
    /// The shortest form: `2h30m`, `90s` is `1m30s`, `1d`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut secs = self.every.as_secs();
        if secs == 0 {
            return f.write_str("0s");
        }
        for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] {
            if secs >= size {
                write!(f, "{}{unit}", secs / size)?;
                secs %= size;
            }
        }
        Ok(())
    }
}

/// Does this command-line argument name a URL to fetch (rather than a file)?
pub fn is_url(arg: &str) -> bool {
    let a = arg.trim_start();
    a.len() > 8
        && (a
            .get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case("http://"))
            || a.get(..8)
                .is_some_and(|p| p.eq_ignore_ascii_case("https://")))
}

/// A bad line in a list of feed URLs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {text:?} is not an http(s) URL")]
pub struct UrlListError {
    /// 1-based line number.
    pub line: usize,
    /// The line, trimmed.
    pub text: String,
}

/// The URLs of a file with one URL a line; blank lines and lines starting
/// with `#` are skipped, as is anything after whitespace on a line (`URL
/// # comment`). Every bad line is reported.
pub fn parse_url_list(text: &str) -> Result<Vec<String>, Vec<UrlListError>> {
    let mut urls = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let first = line.split_whitespace().next().unwrap_or("");
        let ok = is_url(first)
            && url::Url::parse(first).is_ok_and(|u| u.host_str().is_some_and(|h| !h.is_empty()));
        if ok {
            urls.push(first.to_string());
        } else {
            errors.push(UrlListError {
                line: i + 1,
                text: line.to_string(),
            });
        }
    }
    if errors.is_empty() {
        Ok(urls)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: &str) -> Option<u64> {
        Schedule::parse(s).ok().map(|s| s.every.as_secs())
    }

    #[test]
    fn parses_intervals() {
        assert_eq!(secs("15m"), Some(900));
        assert_eq!(secs("1h"), Some(3600));
        assert_eq!(secs("90s"), Some(90));
        assert_eq!(secs("2h30m"), Some(9000));
        assert_eq!(secs("2h 30m"), Some(9000));
        assert_eq!(secs("1d2h3m4s"), Some(93_784));
        assert_eq!(secs(" 5M "), Some(300));
        assert_eq!(secs("10min"), Some(600));
    }

    #[test]
    fn clear_errors() {
        assert_eq!(Schedule::parse(""), Err(ScheduleError::Empty));
        assert_eq!(
            Schedule::parse("15"),
            Err(ScheduleError::MissingUnit("15".into()))
        );
        assert_eq!(
            Schedule::parse("15x"),
            Err(ScheduleError::UnknownUnit {
                text: "15x".into(),
                unit: "x".into()
            })
        );
        assert_eq!(
            Schedule::parse("30m2h"),
            Err(ScheduleError::Order("30m2h".into()))
        );
        assert_eq!(
            Schedule::parse("1h1h"),
            Err(ScheduleError::Order("1h1h".into()))
        );
        assert_eq!(
            Schedule::parse("h"),
            Err(ScheduleError::Malformed("h".into()))
        );
        assert_eq!(
            Schedule::parse("1.5h"),
            Err(ScheduleError::Malformed("1.5h".into()))
        );
        assert_eq!(
            Schedule::parse("-5m"),
            Err(ScheduleError::Malformed("-5m".into()))
        );
        assert_eq!(Schedule::parse("0m"), Err(ScheduleError::Zero("0m".into())));
        assert_eq!(
            Schedule::parse("400d"),
            Err(ScheduleError::TooLong("400d".into()))
        );
        assert_eq!(
            Schedule::parse("99999999999999999999s"),
            Err(ScheduleError::TooLong("99999999999999999999s".into()))
        );
        let msg = Schedule::parse("15")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert_eq!(
            msg,
            "\"15\": a number without a unit: write it like 15m, 1h, 90s or 2h30m"
        );
    }

    #[test]
    fn displays_and_waits() {
        let s: Schedule = "90s".parse().unwrap_or(Schedule {
            every: Duration::ZERO,
        });
        assert_eq!(s.to_string(), "1m30s");
        assert_eq!(
            Schedule {
                every: Duration::from_secs(9000)
            }
            .to_string(),
            "2h30m"
        );
        assert_eq!(
            s.wait_after(Duration::from_secs(30)),
            Duration::from_secs(60)
        );
        assert_eq!(s.wait_after(Duration::from_secs(300)), Duration::ZERO);
    }

    #[test]
    fn url_lists() {
        let text = "# feeds\nhttps://example.org/feed.xml\n\n  http://example.com/rss  # news\n";
        assert_eq!(
            parse_url_list(text),
            Ok(vec![
                "https://example.org/feed.xml".to_string(),
                "http://example.com/rss".to_string()
            ])
        );
        let bad = parse_url_list("https://ok.example/\nexample.org/feed\nftp://x/y\n");
        assert_eq!(
            bad,
            Err(vec![
                UrlListError {
                    line: 2,
                    text: "example.org/feed".into()
                },
                UrlListError {
                    line: 3,
                    text: "ftp://x/y".into()
                },
            ])
        );
        assert!(is_url("https://x.org/"));
        assert!(!is_url("feeds.txt"));
        assert!(!is_url("http://"));
    }
}
