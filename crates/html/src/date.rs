//! Dates found in metadata, markup and URLs: parsing and sanity checks.

/// A calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ymd {
    /// Year (1990 or later).
    pub y: u16,
    /// Month 1–12.
    pub m: u8,
    /// Day 1–31 (valid for the month).
    pub d: u8,
}

impl Ymd {
    /// A checked date: a real calendar day, not before 1990 nor after 2099.
    pub fn new(y: u32, m: u32, d: u32) -> Option<Ymd> {
        if !(1990..=2099).contains(&y) || !(1..=12).contains(&m) || d == 0 {
            return None;
        }
        let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
        let days = [
            31,
            if leap { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        (d <= days[m as usize - 1]).then_some(Ymd {
            y: y as u16,
            m: m as u8,
            d: d as u8,
        })
    }

    /// `YYYY-MM-DD`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }
}

/// Parses `YYYY-MM-DD` exactly (the crawl date of the hints).
pub fn parse_iso_day(s: &str) -> Option<Ymd> {
    let b = s.trim().as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    Ymd::new(num(&b[0..4])?, num(&b[5..7])?, num(&b[8..10])?)
}

fn num(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 4 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0, |n, &c| n * 10 + u32::from(c - b'0')))
}

fn month_name(w: &str) -> Option<u32> {
    let w = w.trim_end_matches('.').to_lowercase();
    if w.len() < 3 {
        return None;
    }
    const MONTHS: [&[&str]; 12] = [
        &[
            "january", "jan", "januar", "janvier", "janv", "enero", "gennaio", "jänner",
        ],
        &[
            "february", "feb", "febr", "februar", "février", "févr", "fevrier", "febrero",
            "febbraio",
        ],
        &["march", "mar", "märz", "maerz", "mars", "marzo", "mrz"],
        &["april", "apr", "avril", "abril", "aprile", "avr"],
        &["may", "mai", "mayo", "maggio"],
        &["june", "jun", "juni", "juin", "junio", "giugno"],
        &["july", "jul", "juli", "juillet", "juil", "julio", "luglio"],
        &["august", "aug", "août", "aout", "agosto"],
        &[
            "september",
            "sep",
            "sept",
            "septembre",
            "septiembre",
            "settembre",
        ],
        &[
            "october", "oct", "okt", "oktober", "octobre", "octubre", "ottobre",
        ],
        &["november", "nov", "novembre", "noviembre"],
        &[
            "december",
            "dec",
            "dez",
            "dezember",
            "décembre",
            "decembre",
            "diciembre",
            "dicembre",
            "déc",
        ],
    ];
    MONTHS
        .iter()
        .position(|names| names.contains(&w.as_str()))
        .map(|i| i as u32 + 1)
}

/// The first date in a metadata value or a short text: ISO 8601 (`2020-08-16`,
/// `2020-08-16T10:00:00Z`, `2020/08/16`, `20200816`), `16.08.2020`,
/// `08/16/2020` (US order when the first number cannot be a day), `August 16,
/// 2020`, `16 August 2020`, RFC 2822 (`Sun, 16 Aug 2020 …`).
pub fn parse_date(s: &str) -> Option<Ymd> {
    let s = s.trim();
    if s.len() > 400 {
        return parse_date(&s[..crate::dom::floor_char_boundary(s, 400)]);
    }
    // tokens: runs of digits or of letters; seps[i]: the byte just after token i
    let mut toks: Vec<(&str, bool)> = Vec::with_capacity(12);
    let mut seps: Vec<u8> = Vec::with_capacity(12);
    let mut start: Option<(usize, bool)> = None;
    for (i, c) in s.char_indices() {
        let kind = if c.is_ascii_digit() {
            Some(true)
        } else if c.is_alphabetic() {
            Some(false)
        } else {
            None
        };
        if let Some((st, d)) = start {
            if kind == Some(d) {
                continue;
            }
            toks.push((&s[st..i], d));
            seps.push(if c.is_ascii() { c as u8 } else { b' ' });
            start = None;
            if toks.len() > 40 {
                break;
            }
        }
        if let Some(d) = kind {
            start = Some((i, d));
        }
    }
    if let Some((st, d)) = start {
        toks.push((&s[st..], d));
        seps.push(b' ');
    }
    let n = toks.len();
    for i in 0..n {
        let (t, d) = toks[i];
        if d && t.len() == 8 && i == 0 {
            // 20200816
            let b = t.as_bytes();
            if let Some(ymd) = Ymd::new(num(&b[0..4])?, num(&b[4..6])?, num(&b[6..8])?) {
                return Some(ymd);
            }
        }
        if d && t.len() == 4 && i + 2 < n && toks[i + 1].1 && toks[i + 2].1 {
            // 2020-08-16, 2020/08/16, 2020.08.16
            if let (Some(y), Some(m), Some(dd)) = (
                num(t.as_bytes()),
                num(toks[i + 1].0.as_bytes()),
                num(toks[i + 2].0.as_bytes()),
            ) {
                if toks[i + 1].0.len() <= 2 && toks[i + 2].0.len() <= 2 {
                    if let Some(ymd) = Ymd::new(y, m, dd) {
                        return Some(ymd);
                    }
                }
            }
        }
        if d && t.len() <= 2
            && i + 2 < n
            && toks[i + 1].1
            && toks[i + 2].1
            && toks[i + 2].0.len() == 4
            && toks[i + 1].0.len() <= 2
        {
            // 16.08.2020 (day first), 08/16/2020 (US when the first cannot be a day)
            let (a, b, y) = (
                num(t.as_bytes())?,
                num(toks[i + 1].0.as_bytes())?,
                num(toks[i + 2].0.as_bytes())?,
            );
            let slash = seps.get(i).copied() == Some(b'/');
            let try_order = if slash && a <= 12 && b > 12 {
                Ymd::new(y, a, b)
            } else if slash && a <= 12 && b <= 12 {
                // ambiguous: US order for slashes
                Ymd::new(y, a, b)
            } else {
                Ymd::new(y, b, a)
            };
            if let Some(ymd) = try_order {
                return Some(ymd);
            }
        }
        if !d {
            if let Some(m) = month_name(t) {
                // August 16, 2020 | Aug 16 2020
                if i + 2 < n
                    && toks[i + 1].1
                    && toks[i + 2].1
                    && toks[i + 2].0.len() == 4
                    && toks[i + 1].0.len() <= 2
                {
                    if let Some(ymd) = Ymd::new(
                        num(toks[i + 2].0.as_bytes())?,
                        m,
                        num(toks[i + 1].0.as_bytes())?,
                    ) {
                        return Some(ymd);
                    }
                }
                // 16 August 2020 | 16. August 2020
                if i >= 1
                    && i + 1 < n
                    && toks[i - 1].1
                    && toks[i - 1].0.len() <= 2
                    && toks[i + 1].1
                    && toks[i + 1].0.len() == 4
                {
                    if let Some(ymd) = Ymd::new(
                        num(toks[i + 1].0.as_bytes())?,
                        m,
                        num(toks[i - 1].0.as_bytes())?,
                    ) {
                        return Some(ymd);
                    }
                }
            }
        }
    }
    None
}

/// A date in the path of a URL: `/2020/08/16/`, `/2020-08-16`, `/20200816/`.
pub fn url_date(url: &str) -> Option<Ymd> {
    let path = match url.find("://") {
        Some(p) => {
            let rest = &url[p + 3..];
            rest.find('/').map_or("", |q| &rest[q..])
        }
        None => url,
    };
    let b = path.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'/' || b[i] == b'-' || b[i] == b'_' {
            let s = &b[i + 1..];
            // /YYYY/MM/DD
            if s.len() >= 10
                && s[..4].iter().all(u8::is_ascii_digit)
                && matches!(s[4], b'/' | b'-' | b'_')
                && s[5..7].iter().all(u8::is_ascii_digit)
                && s[7] == s[4]
                && s[8..10].iter().all(u8::is_ascii_digit)
                && s.get(10).is_none_or(|c| !c.is_ascii_digit())
            {
                if let Some(d) = Ymd::new(num(&s[0..4])?, num(&s[5..7])?, num(&s[8..10])?) {
                    return Some(d);
                }
            }
            // /YYYYMMDD followed by a separator
            if s.len() >= 8
                && s[..8].iter().all(u8::is_ascii_digit)
                && s.get(8).is_none_or(|c| !c.is_ascii_digit())
                && (s[0] == b'1' || s[0] == b'2')
            {
                if let Some(d) = Ymd::new(num(&s[0..4])?, num(&s[4..6])?, num(&s[6..8])?) {
                    return Some(d);
                }
            }
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<String> {
        parse_date(s).map(Ymd::iso)
    }

    #[test]
    fn formats() {
        assert_eq!(
            p("2020-08-16T10:00:00+02:00").as_deref(),
            Some("2020-08-16")
        );
        assert_eq!(p("2020/8/6").as_deref(), Some("2020-08-06"));
        assert_eq!(p("16.08.2020, 10:00 Uhr").as_deref(), Some("2020-08-16"));
        assert_eq!(p("August 16, 2020").as_deref(), Some("2020-08-16"));
        assert_eq!(p("Published: 16 Aug. 2020").as_deref(), Some("2020-08-16"));
        assert_eq!(
            p("Sun, 16 Aug 2020 10:00:00 GMT").as_deref(),
            Some("2020-08-16")
        );
        assert_eq!(p("08/16/2020").as_deref(), Some("2020-08-16"));
        assert_eq!(p("20200816").as_deref(), Some("2020-08-16"));
        assert_eq!(p("2019-02-29"), None);
        assert_eq!(p("1980-01-01"), None);
        assert_eq!(p("no date here"), None);
        assert_eq!(p("16. März 2021").as_deref(), Some("2021-03-16"));
    }

    #[test]
    fn urls() {
        let u = |s| url_date(s).map(Ymd::iso);
        assert_eq!(
            u("https://x.com/2020/08/16/story").as_deref(),
            Some("2020-08-16")
        );
        assert_eq!(
            u("https://x.com/news/2020-08-16-story").as_deref(),
            Some("2020-08-16")
        );
        assert_eq!(
            u("https://x.com/a/20200816/b").as_deref(),
            Some("2020-08-16")
        );
        assert_eq!(u("https://x.com/id/123456789/b"), None);
        assert_eq!(u("https://2020.com/"), None);
    }
}
