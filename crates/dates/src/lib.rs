//! Dates: explicit and relative dates in an article ("On August 15, 2025",
//! "February 11", "Thursday", "earlier this month", "last year"),
//! normalised against the article's publication date.
//!
//! [`find`] scans the tokens of a [`TextLayer`] and returns each date it
//! can pin down with its evidence span and granularity. Relative dates need
//! the publication date; without one only dates with a year are resolved.
//! [`date_of`] picks the date a statement refers to: a date in the
//! sentence of its cue (or of its first content span), else the
//! publication date.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use onrecord_core::Span;
use onrecord_text::{TextLayer, TokenKind};

/// How precise a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Granularity {
    Day,
    /// The week starting on the Monday given as the date.
    Week,
    Month,
    Year,
}

impl Granularity {
    pub fn as_str(self) -> &'static str {
        match self {
            Granularity::Day => "day",
            Granularity::Week => "week",
            Granularity::Month => "month",
            Granularity::Year => "year",
        }
    }
}

/// A date found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    pub span: Span,
    /// The first day of the period (its Monday for a week).
    pub date: NaiveDate,
    pub granularity: Granularity,
}

impl DateMention {
    /// `YYYY-MM-DD`, `YYYY-MM-DD` (week: its Monday), `YYYY-MM` or `YYYY`.
    pub fn value(&self) -> String {
        match self.granularity {
            Granularity::Day | Granularity::Week => self.date.format("%Y-%m-%d").to_string(),
            Granularity::Month => self.date.format("%Y-%m").to_string(),
            Granularity::Year => self.date.format("%Y").to_string(),
        }
    }
}

/// `w` in ASCII lower case when it has at most `N` bytes (every word
/// looked up here is short), else an empty string (which matches none).
struct Lower<const N: usize> {
    buf: [u8; N],
    len: usize,
}

impl<const N: usize> Lower<N> {
    fn new(w: &str) -> Lower<N> {
        let mut buf = [0u8; N];
        let len = if w.len() <= N {
            buf[..w.len()].copy_from_slice(w.as_bytes());
            buf[..w.len()].make_ascii_lowercase();
            w.len()
        } else {
            0
        };
        Lower { buf, len }
    }

    fn as_str(&self) -> &str {
        // ASCII lower-casing keeps UTF-8 valid
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

fn month(w: &str) -> Option<u32> {
    let w = Lower::<9>::new(w.trim_end_matches('.'));
    let m = match w.as_str() {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sept" | "sep" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    };
    Some(m)
}

fn weekday(w: &str) -> Option<Weekday> {
    Some(match w {
        "Monday" => Weekday::Mon,
        "Tuesday" => Weekday::Tue,
        "Wednesday" => Weekday::Wed,
        "Thursday" => Weekday::Thu,
        "Friday" => Weekday::Fri,
        "Saturday" => Weekday::Sat,
        "Sunday" => Weekday::Sun,
        _ => return None,
    })
}

fn day(w: &str) -> Option<u32> {
    // a number ("15", "15th"), or nothing
    if !w.starts_with(|c: char| c.is_ascii_digit() || c == '+') {
        return None;
    }
    let d: u32 = w
        .trim_end_matches("st")
        .trim_end_matches("nd")
        .trim_end_matches("rd")
        .trim_end_matches("th")
        .parse()
        .ok()?;
    (1..=31).contains(&d).then_some(d)
}

fn year(w: &str) -> Option<i32> {
    let y: i32 = w.parse().ok()?;
    (w.len() == 4 && (1900..=2100).contains(&y)).then_some(y)
}

/// A month and day without a year: the year that puts it closest to the
/// publication date, preferring the past (news reports what happened).
fn nearest_year(m: u32, d: u32, published: NaiveDate) -> Option<NaiveDate> {
    let y = published.year();
    let this = NaiveDate::from_ymd_opt(y, m, d)?;
    // more than ~2 months ahead reads as last year's
    if this > published + Duration::days(62) {
        NaiveDate::from_ymd_opt(y - 1, m, d)
    } else {
        Some(this)
    }
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn month_before(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 1 {
        (d.year() - 1, 12)
    } else {
        (d.year(), d.month() - 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(d)
}

fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(d.weekday().num_days_from_monday() as i64)
}

fn jan1(y: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, 1, 1)
}

/// Every date in the prose that can be pinned down.
pub fn find(text: &str, layer: &TextLayer, published: Option<NaiveDate>) -> Vec<DateMention> {
    let toks = &layer.tokens;
    let w = |i: usize| toks.get(i).map_or("", |t| t.text(text));
    let lower = |i: usize| Lower::<9>::new(w(i));
    let span = |a: usize, b: usize| toks[a].span.cover(toks[b - 1].span);
    let same_sentence =
        |a: usize, b: usize| b < toks.len() && layer.sentence_of[a] == layer.sentence_of[b];
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let mut push =
            |a: usize, b: usize, date: Option<NaiveDate>, g: Granularity| -> Option<usize> {
                let date = date?;
                out.push(DateMention {
                    span: span(a, b),
                    date,
                    granularity: g,
                });
                Some(b)
            };
        let next = (|| -> Option<usize> {
            let t = w(i);
            // "August 15, 2025" / "August 15" / "August 2025"
            if let Some(m) = month(t).filter(|_| t.chars().next().is_some_and(char::is_uppercase)) {
                // "May" alone is too often the verb: it needs a day or a year
                if same_sentence(i, i + 1) {
                    if let Some(d) = day(w(i + 1)) {
                        if w(i + 2) == "," && same_sentence(i, i + 3) {
                            if let Some(y) = year(w(i + 3)) {
                                return push(
                                    i,
                                    i + 4,
                                    NaiveDate::from_ymd_opt(y, m, d),
                                    Granularity::Day,
                                );
                            }
                        }
                        if let Some(y) = year(w(i + 2)).filter(|_| same_sentence(i, i + 2)) {
                            return push(
                                i,
                                i + 3,
                                NaiveDate::from_ymd_opt(y, m, d),
                                Granularity::Day,
                            );
                        }
                        let date = published.and_then(|p| nearest_year(m, d, p));
                        return push(i, i + 2, date, Granularity::Day);
                    }
                    if let Some(y) = year(w(i + 1)) {
                        return push(
                            i,
                            i + 2,
                            NaiveDate::from_ymd_opt(y, m, 1),
                            Granularity::Month,
                        );
                    }
                }
                return None;
            }
            // "15 August 2025" / "15 August"
            if let Some(d) = day(t).filter(|_| toks[i].kind == TokenKind::Number) {
                if let Some(m) = month(w(i + 1)).filter(|_| same_sentence(i, i + 1)) {
                    if let Some(y) = year(w(i + 2)).filter(|_| same_sentence(i, i + 2)) {
                        return push(i, i + 3, NaiveDate::from_ymd_opt(y, m, d), Granularity::Day);
                    }
                    let date = published.and_then(|p| nearest_year(m, d, p));
                    return push(i, i + 2, date, Granularity::Day);
                }
                return None;
            }
            let p = published?;
            // weekdays: the latest such day on or before publication
            if let Some(wd) = weekday(t) {
                let back = (p.weekday().num_days_from_monday() + 7 - wd.num_days_from_monday()) % 7;
                return push(
                    i,
                    i + 1,
                    Some(p - Duration::days(back as i64)),
                    Granularity::Day,
                );
            }
            match lower(i).as_str() {
                "today" => return push(i, i + 1, Some(p), Granularity::Day),
                "yesterday" => {
                    return push(i, i + 1, Some(p - Duration::days(1)), Granularity::Day)
                }
                "tomorrow" => return push(i, i + 1, Some(p + Duration::days(1)), Granularity::Day),
                "last" | "past" | "this" | "next" if same_sentence(i, i + 1) => {
                    let which = lower(i);
                    let (date, g) = match (which.as_str(), lower(i + 1).as_str()) {
                        ("last" | "past", "week") => {
                            (Some(monday_of(p) - Duration::days(7)), Granularity::Week)
                        }
                        ("this", "week") => (Some(monday_of(p)), Granularity::Week),
                        ("next", "week") => {
                            (Some(monday_of(p) + Duration::days(7)), Granularity::Week)
                        }
                        ("last" | "past", "month") => (Some(month_before(p)), Granularity::Month),
                        ("this", "month") => (Some(first_of_month(p)), Granularity::Month),
                        ("last" | "past", "year") => (jan1(p.year() - 1), Granularity::Year),
                        ("this", "year") => (jan1(p.year()), Granularity::Year),
                        ("next", "year") => (jan1(p.year() + 1), Granularity::Year),
                        _ => return None,
                    };
                    // "earlier this month", "later this year": the same period
                    let a = if i > 0
                        && matches!(lower(i - 1).as_str(), "earlier" | "later")
                        && same_sentence(i - 1, i)
                    {
                        i - 1
                    } else {
                        i
                    };
                    return push(a, i + 2, date, g);
                }
                "in" | "since" | "until" | "by" | "during" | "before" | "after" | "from" => {
                    if let Some(y) = year(w(i + 1)).filter(|_| same_sentence(i, i + 1)) {
                        return push(i + 1, i + 2, jan1(y), Granularity::Year);
                    }
                }
                _ => {}
            }
            None
        })();
        i = next.unwrap_or(i + 1).max(i + 1);
    }
    out
}

/// The date a statement refers to: the index of the first date in the
/// sentence of `anchor` (its cue, or its first content span), else `None`
/// (the caller falls back to the publication date).
pub fn date_of(layer: &TextLayer, dates: &[DateMention], anchor: Span) -> Option<usize> {
    let s = layer
        .sentences
        .iter()
        .find(|s| s.span.start <= anchor.start && anchor.start < s.span.end)?;
    dates
        .iter()
        .position(|d| d.span.start >= s.span.start && d.span.end <= s.span.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str, published: &str) -> Vec<(String, String)> {
        let layer = onrecord_text::analyze(s, &[Span::new(0, s.len())]);
        let p = NaiveDate::parse_from_str(published, "%Y-%m-%d").ok();
        find(s, &layer, p)
            .iter()
            .map(|d| (d.span.text(s).to_string(), d.value()))
            .collect()
    }

    #[test]
    fn explicit_dates() {
        assert_eq!(
            run("On August 15, 2025, they met.", "2026-02-11"),
            vec![("August 15, 2025".into(), "2025-08-15".into())]
        );
        assert_eq!(
            run("They met on 15 August 2025 in Alaska.", "2026-02-11"),
            vec![("15 August 2025".into(), "2025-08-15".into())]
        );
        assert_eq!(
            run("It happened in August 2025.", "2026-02-11"),
            vec![("August 2025".into(), "2025-08".into())]
        );
    }

    #[test]
    fn dates_without_a_year_take_the_nearest_past_year() {
        // the seed: "MOSCOW, February 11." published 2026-02-11
        assert_eq!(
            run("He spoke on February 11.", "2026-02-11"),
            vec![("February 11".into(), "2026-02-11".into())]
        );
        // "December 20" in a January article is last December
        assert_eq!(
            run("The talks on December 20 failed.", "2026-01-05"),
            vec![("December 20".into(), "2025-12-20".into())]
        );
    }

    #[test]
    fn relative_dates() {
        // 2026-02-11 is a Wednesday
        let r = run("On Thursday he said so. Earlier this month she left. Last year it rained. Yesterday too.", "2026-02-11");
        assert_eq!(
            r,
            vec![
                ("Thursday".into(), "2026-02-05".into()),
                ("Earlier this month".into(), "2026-02".into()),
                ("Last year".into(), "2025".into()),
                ("Yesterday".into(), "2026-02-10".into()),
            ]
        );
        assert_eq!(
            run("Wednesday was busy.", "2026-02-11"),
            vec![("Wednesday".into(), "2026-02-11".into())]
        );
        assert_eq!(
            run("He was elected in 2016.", "2026-02-11"),
            vec![("2016".into(), "2016".into())]
        );
    }

    #[test]
    fn no_publication_date_no_relative_dates_and_no_false_months() {
        assert_eq!(run("On Thursday, last year.", ""), vec![]);
        assert_eq!(run("They may agree. March on.", "2026-02-11"), vec![]);
        assert_eq!(
            run("It cost 15 dollars in 300 towns.", "2026-02-11"),
            vec![]
        );
    }
}
