//! Datelines at the head of an article: "MOSCOW, February 11. /TASS/.",
//! "WASHINGTON (Reuters) -", "LONDON — ", "KYIV, Ukraine (AP) —".

use onrecord_core::{Dateline, Span};

const MONTHS: &[&str] = &[
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
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
];

/// Recognises a dateline starting exactly at byte `start` of `text`.
///
/// Grammar (on one line): PLACE in capitals (up to 6 words), an optional
/// `, Region` ("Mich.", AP style), an optional `, Month Day[, Year]`, then
/// `. /AGENCY/.`, ` (AGENCY) -` (any dash), ` — ` / ` - ` / ` -- `, or
/// (only after a date) `. `. Returns `None` when the text does not start
/// like that; never panics.
pub fn parse_dateline(text: &str, start: usize) -> Option<Dateline> {
    let rest = text.get(start..)?;
    let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
    let place_end = parse_place(line)?;
    // `PLACE[, Region][, Month Day[, Year]]` then a terminator; the
    // longest reading that ends in a terminator wins.
    let region_end = parse_region(line, place_end);
    for name_end in region_end.into_iter().chain([place_end]) {
        if let Some((ds, de)) = parse_date(line, name_end) {
            if let Some((end, outlet)) = terminator(line, de, true) {
                return Some(make(line, start, name_end, Some((ds, de)), end, outlet));
            }
        }
        if let Some((end, outlet)) = terminator(line, name_end, false) {
            return Some(make(line, start, name_end, None, end, outlet));
        }
    }
    None
}

fn make(
    line: &str,
    start: usize,
    place_end: usize,
    date: Option<(usize, usize)>,
    end: usize,
    outlet: Option<(usize, usize)>,
) -> Dateline {
    Dateline {
        place: line[..place_end].to_string(),
        date_text: date.map(|(s, e)| line[s..e].to_string()),
        outlet: outlet.map(|(s, e)| line[s..e].to_string()),
        span: Span::new(start, start + end),
    }
}

/// End of a run of capitalised words ("NEW YORK", "ST. PETERSBURG").
fn parse_place(s: &str) -> Option<usize> {
    let mut pos = 0;
    let mut words = 0;
    loop {
        pos = caps_word(s, pos)?;
        words += 1;
        if words > 6 {
            return None;
        }
        match s[pos..].strip_prefix(' ') {
            Some(next) if caps_word(next, 0).is_some() => pos += 1,
            _ => break,
        }
    }
    // A final '.' belongs to the separator ("MOSCOW. /TASS/.").
    if s[..pos].ends_with('.') {
        pos -= 1;
    }
    let letters = s[..pos].chars().filter(|c| c.is_alphabetic()).count();
    (letters >= 2).then_some(pos)
}

/// A word of capital letters (and `.-'’`) starting at `pos`, not followed
/// by a letter or digit; returns its end.
fn caps_word(s: &str, pos: usize) -> Option<usize> {
    let mut chars = s.get(pos..)?.char_indices();
    let (_, first) = chars.next()?;
    if !first.is_uppercase() {
        return None;
    }
    let mut end = pos + first.len_utf8();
    for (i, c) in chars {
        if c.is_uppercase() || matches!(c, '.' | '-' | '\'' | '’') {
            end = pos + i + c.len_utf8();
        } else if c.is_alphanumeric() {
            return None;
        } else {
            break;
        }
    }
    Some(end)
}

fn skip_spaces(s: &str, pos: usize) -> usize {
    pos + (s[pos..].len() - s[pos..].trim_start_matches([' ', '\t', '\u{a0}']).len())
}

fn digits(s: &str, pos: usize) -> usize {
    pos + s[pos..].bytes().take_while(u8::is_ascii_digit).count()
}

/// `, Month Day[, Year]` at `pos`: the range of the date text.
fn parse_date(s: &str, pos: usize) -> Option<(usize, usize)> {
    let p = skip_spaces(s, pos + s.get(pos..)?.strip_prefix(',').map(|_| 1)?);
    let word_len = s[p..].bytes().take_while(u8::is_ascii_alphabetic).count();
    let month = &s[p..p + word_len];
    if !MONTHS.contains(&month) {
        return None;
    }
    let mut q = p + word_len;
    if s[q..].starts_with('.') {
        q += 1;
    }
    let d0 = skip_spaces(s, q);
    if d0 == q {
        return None;
    }
    let d1 = digits(s, d0);
    let day: u32 = s[d0..d1].parse().ok()?;
    if d1 - d0 > 2 || !(1..=31).contains(&day) {
        return None;
    }
    let mut end = d1;
    // optional year: ", 2025" or " 2025"
    let y0 = skip_spaces(s, d1 + usize::from(s[d1..].starts_with(',')));
    let y1 = digits(s, y0);
    if y0 > d1 && y1 - y0 == 4 {
        end = y1;
    }
    if s[end..].starts_with(|c: char| c.is_alphanumeric()) {
        return None;
    }
    Some((p, end))
}

/// `, Region` in AP style ("KYIV, Ukraine", "SAN FRANCISCO, Calif."):
/// up to three capitalised words. Returns the end of the region.
fn parse_region(s: &str, pos: usize) -> Option<usize> {
    let mut p = skip_spaces(s, pos + s.get(pos..)?.strip_prefix(',').map(|_| 1)?);
    let mut end = None;
    for _ in 0..3 {
        let word = &s[p..];
        let len = word
            .char_indices()
            .find(|&(_, c)| !(c.is_alphabetic() || c == '.'))
            .map_or(word.len(), |(i, _)| i);
        if len == 0
            || !word.starts_with(|c: char| c.is_uppercase())
            || MONTHS.contains(&word[..len].trim_end_matches('.'))
        {
            break;
        }
        end = Some(p + len);
        p += len;
        match s[p..].strip_prefix(' ') {
            Some(next) if next.starts_with(|c: char| c.is_uppercase()) => p += 1,
            _ => break,
        }
    }
    end
}

/// A dash at `pos`: its end, and whether it is an en/em dash.
fn dash(s: &str, pos: usize) -> Option<(usize, bool)> {
    let r = &s[pos..];
    if r.starts_with("--") {
        Some((pos + 2, false))
    } else if r.starts_with('-') {
        Some((pos + 1, false))
    } else if let Some(c @ ('–' | '—' | '―' | '‒')) = r.chars().next() {
        Some((pos + c.len_utf8(), true))
    } else {
        None
    }
}

fn at_break(s: &str, pos: usize) -> bool {
    s[pos..].is_empty() || s[pos..].starts_with(char::is_whitespace)
}

/// An agency name between delimiters: short, with a letter, one line.
fn agency(s: &str, from: usize, close: char) -> Option<(usize, usize, usize)> {
    let inner = s.get(from..)?;
    let len = inner.find(close)?;
    if len == 0 || len > 40 {
        return None;
    }
    let raw = &inner[..len];
    if !raw.chars().any(char::is_alphabetic) || raw.contains(['(', ')', '/']) {
        return None;
    }
    let lead = raw.len() - raw.trim_start().len();
    let a0 = from + lead;
    let a1 = from + raw.trim_end().len();
    (a1 > a0).then_some((a0, a1, from + len + close.len_utf8()))
}

type Outlet = Option<(usize, usize)>;

/// What ends a dateline, from `pos`: its end and the agency, if named.
fn terminator(s: &str, pos: usize, dated: bool) -> Option<(usize, Outlet)> {
    // `. /TASS/.` or ` /TASS/`
    let p = pos + usize::from(s[pos..].starts_with('.'));
    let p = skip_spaces(s, p);
    if s[p..].starts_with('/') {
        if let Some((a0, a1, mut end)) = agency(s, p + 1, '/') {
            if s[end..].starts_with('.') {
                end += 1;
            }
            if at_break(s, end) {
                return Some((end, Some((a0, a1))));
            }
        }
        return None;
    }
    // ` (Reuters) -`
    let p = skip_spaces(s, pos);
    if s[p..].starts_with('(') {
        let (a0, a1, close) = agency(s, p + 1, ')')?;
        let q = skip_spaces(s, close);
        let (end, long) = dash(s, q)?;
        return (long || at_break(s, end)).then_some((end, Some((a0, a1))));
    }
    // ` — `, ` - `, ` -- `, `—`
    if let Some((end, long)) = dash(s, p) {
        let spaced = p > pos && at_break(s, end);
        return (long || spaced).then_some((end, None));
    }
    // `MOSCOW, February 11. Text`
    if dated && s[pos..].starts_with('.') && at_break(s, pos + 1) {
        return Some((pos + 1, None));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dl(s: &str) -> Option<(String, Option<String>, Option<String>, String)> {
        parse_dateline(s, 0).map(|d| (d.place, d.date_text, d.outlet, d.span.text(s).to_string()))
    }

    fn some(
        place: &str,
        date: Option<&str>,
        outlet: Option<&str>,
        span: &str,
    ) -> Option<(String, Option<String>, Option<String>, String)> {
        Some((
            place.into(),
            date.map(Into::into),
            outlet.map(Into::into),
            span.into(),
        ))
    }

    #[test]
    fn tass() {
        assert_eq!(
            dl("MOSCOW, February 11. /TASS/. Russian President"),
            some(
                "MOSCOW",
                Some("February 11"),
                Some("TASS"),
                "MOSCOW, February 11. /TASS/."
            )
        );
        assert_eq!(
            dl("ST. PETERSBURG, June 5. /TASS/. The forum"),
            some(
                "ST. PETERSBURG",
                Some("June 5"),
                Some("TASS"),
                "ST. PETERSBURG, June 5. /TASS/."
            )
        );
        assert_eq!(
            dl("MOSCOW /TASS/. Text"),
            some("MOSCOW", None, Some("TASS"), "MOSCOW /TASS/.")
        );
        assert_eq!(
            dl("MOSCOW, Feb. 11, 2026. /TASS/. Text"),
            some(
                "MOSCOW",
                Some("Feb. 11, 2026"),
                Some("TASS"),
                "MOSCOW, Feb. 11, 2026. /TASS/."
            )
        );
    }

    #[test]
    fn reuters_and_dashes() {
        assert_eq!(
            dl("WASHINGTON (Reuters) - The U.S. Senate"),
            some(
                "WASHINGTON",
                None,
                Some("Reuters"),
                "WASHINGTON (Reuters) -"
            )
        );
        assert_eq!(
            dl("NEW YORK, March 3 (Reuters) - Stocks"),
            some(
                "NEW YORK",
                Some("March 3"),
                Some("Reuters"),
                "NEW YORK, March 3 (Reuters) -"
            )
        );
        assert_eq!(
            dl("LONDON — Britain said"),
            some("LONDON", None, None, "LONDON —")
        );
        assert_eq!(
            dl("LONDON—Britain said"),
            some("LONDON", None, None, "LONDON—")
        );
        assert_eq!(
            dl("PARIS -- France said"),
            some("PARIS", None, None, "PARIS --")
        );
        assert_eq!(
            dl("KYIV, Ukraine (AP) — Russia launched"),
            some("KYIV, Ukraine", None, Some("AP"), "KYIV, Ukraine (AP) —")
        );
        assert_eq!(
            dl("FLINT, Mich., Oct. 4 (UPI) — Former President"),
            some(
                "FLINT, Mich.",
                Some("Oct. 4"),
                Some("UPI"),
                "FLINT, Mich., Oct. 4 (UPI) —"
            )
        );
        assert_eq!(
            dl("HEMPSTEAD, N.Y. ― If it worked"),
            some("HEMPSTEAD, N.Y.", None, None, "HEMPSTEAD, N.Y. ―")
        );
        assert_eq!(
            dl("NEWPORT NEWS, Va. - In a tradition"),
            some("NEWPORT NEWS, Va.", None, None, "NEWPORT NEWS, Va. -")
        );
        assert_eq!(
            dl("DES MOINES, Iowa, Aug. 10 (UPI) — Hillary"),
            some(
                "DES MOINES, Iowa",
                Some("Aug. 10"),
                Some("UPI"),
                "DES MOINES, Iowa, Aug. 10 (UPI) —"
            )
        );
        assert_eq!(
            dl("MACAU (Reuters) – Top Republican"),
            some("MACAU", None, Some("Reuters"), "MACAU (Reuters) –")
        );
        assert_eq!(
            dl("MOSCOW, February 11. Russian President"),
            some("MOSCOW", Some("February 11"), None, "MOSCOW, February 11.")
        );
    }

    #[test]
    fn not_datelines() {
        for s in [
            "Moscow Confirms U.S. Still Committed",
            "Kremlin: Trump and Putin",
            "NATO said on Monday",
            "MOSCOW",
            "MOSCOW, Russia",
            "MOSCOW-based firms said",
            "A - B",
            "US officials — who",
            "WASHINGTON (Reuters) The",
            "MOSCOW /TASS",
            "MOSCOW, February 11 was a day",
            "",
            "é",
        ] {
            assert_eq!(dl(s), None, "{s}");
        }
    }

    #[test]
    fn offset_and_bad_start() {
        let t = "Headline\nLONDON — Text";
        let d = parse_dateline(t, 9).unwrap();
        assert_eq!(d.span, Span::new(9, 9 + "LONDON —".len()));
        assert!(parse_dateline(t, 100).is_none());
        assert!(parse_dateline("é", 1).is_none());
    }
}
