//! Bar charts as SVG drawn on the server (no script): statements per
//! period. Every label is escaped.

use crate::util::esc;
use onrecord_store::query::Count;
use std::fmt::Write;

const W: f64 = 760.0;
const H: f64 = 170.0;
const LEFT: f64 = 34.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 26.0;

/// One bar per bucket (empty periods included, as the store gives them),
/// a `<title>` on each for its period and count, the largest count on the
/// y axis, the first, middle and last periods on the x axis. `what` names
/// the period ("week") in the labels.
pub fn bars(buckets: &[Count], what: &str) -> String {
    if buckets.is_empty() {
        return format!(
            "<p class=\"chart-empty\">No dated statements to chart per {}.</p>",
            esc(what)
        );
    }
    let max = buckets.iter().map(|b| b.count).max().unwrap_or(0).max(1) as f64;
    let total: u64 = buckets.iter().map(|b| b.count).sum();
    let n = buckets.len() as f64;
    let pw = W - LEFT - RIGHT;
    let ph = H - TOP - BOTTOM;
    let step = pw / n;
    let bw = if step > 3.0 { step * 0.8 } else { step };
    let mut s = String::with_capacity(200 + buckets.len() * 120);
    let first = &buckets[0].key;
    let last = &buckets[buckets.len() - 1].key;
    let _ = write!(
        s,
        "<svg class=\"chart\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"{}\">",
        esc(&format!(
            "{total} statements per {what}, {first} to {last}, at most {max} in one {what}"
        ))
    );
    // axes and the top grid line
    let _ = write!(
        s,
        "<line class=\"axis\" x1=\"{LEFT}\" y1=\"{y0}\" x2=\"{x1}\" y2=\"{y0}\"/>\
         <line class=\"grid\" x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{x1}\" y2=\"{TOP}\"/>\
         <text class=\"tick\" x=\"{tx}\" y=\"{ty}\" text-anchor=\"end\">{max}</text>\
         <text class=\"tick\" x=\"{tx}\" y=\"{y0}\" text-anchor=\"end\">0</text>",
        y0 = TOP + ph,
        x1 = W - RIGHT,
        tx = LEFT - 4.0,
        ty = TOP + 4.0,
    );
    s.push_str("<g class=\"bars\">");
    for (i, b) in buckets.iter().enumerate() {
        let h = (b.count as f64 / max * ph).max(if b.count > 0 { 1.0 } else { 0.0 });
        let x = LEFT + i as f64 * step + (step - bw) / 2.0;
        let _ = write!(
            s,
            "<rect x=\"{x:.2}\" y=\"{y:.2}\" width=\"{bw:.2}\" height=\"{h:.2}\"><title>{}</title></rect>",
            esc(&format!(
                "{}: {} statement{}",
                b.key,
                b.count,
                if b.count == 1 { "" } else { "s" }
            )),
            y = TOP + ph - h,
        );
    }
    s.push_str("</g>");
    let mut labels = vec![(0usize, "start")];
    if buckets.len() > 4 {
        labels.push((buckets.len() / 2, "middle"));
    }
    if buckets.len() > 1 {
        labels.push((buckets.len() - 1, "end"));
    }
    for (i, anchor) in labels {
        let x = match anchor {
            "start" => LEFT,
            "end" => W - RIGHT,
            _ => LEFT + (i as f64 + 0.5) * step,
        };
        let _ = write!(
            s,
            "<text class=\"tick\" x=\"{x:.2}\" y=\"{}\" text-anchor=\"{anchor}\">{}</text>",
            H - 8.0,
            esc(&buckets[i].key)
        );
    }
    s.push_str("</svg>");
    s
}

/// The stances a statement can take, in the order legends list them.
pub const STANCES: [&str; 5] = ["affirms", "hopes", "doubts", "denies", "neutral"];

/// `stance` if it is one of [`STANCES`], else "neutral" (so a class name
/// never carries text from the record).
pub fn stance_class(stance: &str) -> &'static str {
    STANCES
        .iter()
        .find(|s| **s == stance)
        .copied()
        .unwrap_or("neutral")
}

/// One statement on a thread's timeline.
pub struct Dot<'a> {
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (a month or year is drawn at its
    /// first day); anything else is not drawn.
    pub date: &'a str,
    pub stance: &'a str,
    /// The tooltip: date, speaker, stance, the words.
    pub title: String,
    /// Where a click goes: the statement in its article.
    pub url: String,
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number from [`days`], as `YYYY-MM-DD`.
fn civil(z: i64) -> String {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The day number of a `YYYY[-MM[-DD]]` date; `None` for anything else.
pub fn day_number(date: &str) -> Option<i64> {
    let mut parts = date.split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next().map_or(Some(1), |p| p.parse().ok())?;
    let d: i64 = parts.next().map_or(Some(1), |p| p.parse().ok())?;
    if parts.next().is_some() || !(1..=9999).contains(&y) || !(1..=12).contains(&m) {
        return None;
    }
    if !(1..=31).contains(&d) {
        return None;
    }
    Some(days(y, m, d))
}

/// Dot pitch and radius of the stance timeline.
const PITCH: f64 = 13.0;
const R: f64 = 5.0;

/// A thread's statements on a time axis: one dot per dated statement,
/// coloured by stance (CSS classes `st-<stance>`), statements of the same
/// day (or of days too close to draw apart) stacked, each dot a link to
/// the statement with its tooltip. Undated dots are left to the caller to
/// count. `event` (a date and a label) is marked on the axis, which then
/// reaches back (or on) to it.
pub fn stance_timeline(dots: &[Dot], event: Option<(&str, &str)>) -> String {
    let dated: Vec<(i64, &Dot)> = dots
        .iter()
        .filter_map(|d| day_number(d.date).map(|n| (n, d)))
        .collect();
    if dated.is_empty() {
        return "<p class=\"chart-empty\">No dated statements to draw.</p>".into();
    }
    let event = event.and_then(|(date, label)| day_number(date).map(|n| (n, date, label)));
    let ends = dated.iter().map(|d| d.0).chain(event.map(|e| e.0));
    let lo = ends.clone().min().unwrap_or(0);
    let hi = ends.max().unwrap_or(0);
    // a single day sits in the middle of a month-wide axis
    let (lo, hi) = if hi - lo < 2 {
        (lo - 15, hi + 15)
    } else {
        (lo, hi)
    };
    let pw = W - LEFT - RIGHT - 2.0 * R;
    let x_of = |n: i64| LEFT + R + (n - lo) as f64 / (hi - lo) as f64 * pw;
    // columns PITCH apart: dots that would overlap share a column and stack
    let mut cols: Vec<(usize, Vec<&Dot>)> = Vec::new();
    let mut sorted = dated.clone();
    sorted.sort_by_key(|d| d.0);
    for (n, d) in sorted {
        let col = ((x_of(n) - LEFT) / PITCH).round() as usize;
        match cols.last_mut() {
            Some((c, v)) if *c == col => v.push(d),
            _ => cols.push((col, vec![d])),
        }
    }
    let tallest = cols.iter().map(|c| c.1.len()).max().unwrap_or(1);
    // stacks taller than the box get closer together (never under 2 px)
    let step = (300.0 / tallest as f64).clamp(2.0, PITCH);
    let ph = (tallest as f64 * step).max(2.0 * PITCH);
    let h = TOP + ph + R + BOTTOM;
    let y0 = TOP + ph + R;
    let mut s = String::with_capacity(300 + dated.len() * 200);
    let _ = write!(
        s,
        "<svg class=\"chart stances\" viewBox=\"0 0 {W} {h}\" role=\"img\" aria-label=\"{}\">",
        esc(&format!(
            "{} dated statements from {} to {}, coloured by stance",
            dated.len(),
            civil(lo),
            civil(hi)
        ))
    );
    let _ = write!(
        s,
        "<line class=\"axis\" x1=\"{LEFT}\" y1=\"{y0}\" x2=\"{x1}\" y2=\"{y0}\"/>",
        x1 = W - RIGHT
    );
    // five ticks, evenly spaced in time
    for i in 0..5 {
        let n = lo + (hi - lo) * i / 4;
        let x = x_of(n);
        let anchor = match i {
            0 => "start",
            4 => "end",
            _ => "middle",
        };
        let _ = write!(
            s,
            "<line class=\"grid\" x1=\"{x:.2}\" y1=\"{TOP}\" x2=\"{x:.2}\" y2=\"{y0}\"/>\
             <text class=\"tick\" x=\"{x:.2}\" y=\"{}\" text-anchor=\"{anchor}\">{}</text>",
            h - 8.0,
            civil(n)
        );
    }
    if let Some((n, date, label)) = event {
        let x = x_of(n);
        let _ = write!(
            s,
            "<g class=\"event\"><line x1=\"{x:.2}\" y1=\"{TOP}\" x2=\"{x:.2}\" y2=\"{y0}\"/>\
             <path d=\"M{x:.2} {a:.2} l6 6 l-6 6 l-6 -6 z\"><title>{}</title></path></g>",
            esc(&format!("{date}: {label}")),
            a = y0 - 6.0,
        );
    }
    s.push_str("<g class=\"dots\">");
    for (col, v) in &cols {
        let x = LEFT + *col as f64 * PITCH;
        let x = x.clamp(LEFT + R, W - RIGHT - R);
        for (k, d) in v.iter().enumerate() {
            let y = y0 - R - k as f64 * step;
            let _ = write!(
                s,
                "<a href=\"{}\"><circle class=\"st-{}\" cx=\"{x:.2}\" cy=\"{y:.2}\" r=\"{R}\"><title>{}</title></circle></a>",
                esc(&d.url),
                stance_class(d.stance),
                esc(&d.title)
            );
        }
    }
    s.push_str("</g></svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_bar_per_bucket_with_titles() {
        let b: Vec<Count> = (0..10)
            .map(|i| Count {
                key: format!("2025-W{:02}", i + 1),
                count: i % 3,
            })
            .collect();
        let s = bars(&b, "week");
        assert_eq!(s.matches("<rect").count(), 10);
        assert!(s.contains("<title>2025-W02: 1 statement</title>"));
        assert!(s.contains("<title>2025-W03: 2 statements</title>"));
        assert!(s.starts_with("<svg") && s.ends_with("</svg>"));
        let odd = vec![Count {
            key: "<script>".into(),
            count: 1,
        }];
        assert!(!bars(&odd, "week").contains("<script>"));
        assert!(bars(&[], "week").contains("No dated statements"));
    }

    #[test]
    fn day_numbers_round_trip() {
        for date in [
            "1970-01-01",
            "2024-02-29",
            "2025-08-15",
            "2000-03-01",
            "1999-12-31",
        ] {
            assert_eq!(civil(day_number(date).unwrap()), date);
        }
        assert_eq!(day_number("1970-01-02"), Some(1));
        assert_eq!(day_number("2025-08"), day_number("2025-08-01"));
        assert_eq!(day_number("2025"), day_number("2025-01-01"));
        for bad in [
            "",
            "2025-13",
            "August",
            "2025-08-15-1",
            "0-01-01",
            "2025-08-40",
        ] {
            assert_eq!(day_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn stance_dots_stack_by_day_and_escape() {
        let dot = |date, stance, title: &str| Dot {
            date,
            stance,
            title: title.into(),
            url: "/articles/1#q1".into(),
        };
        let dots = vec![
            dot("2025-11-12", "affirms", "a"),
            dot("2025-11-12", "hopes", "b"),
            dot("2026-02-11", "denies", "<script>"),
            dot("undated", "doubts", "d"),
            dot("2026-02-11", "\"><script>", "e"),
        ];
        let s = stance_timeline(&dots, None);
        assert_eq!(
            s.matches("<circle").count(),
            4,
            "the undated one is not drawn"
        );
        assert!(s.contains("class=\"st-affirms\"") && s.contains("class=\"st-denies\""));
        assert!(!s.contains("<script>"));
        // an unknown stance is drawn as neutral
        assert!(s.contains("class=\"st-neutral\""));
        // same day: same x, different y
        let xs: Vec<&str> = s
            .split("cx=\"")
            .skip(1)
            .map(|p| &p[..p.find('"').unwrap()])
            .collect();
        assert_eq!(xs[0], xs[1]);
        assert_ne!(xs[0], xs[2]);
        assert!(stance_timeline(&[], None).contains("No dated statements"));
        // an event before the statements: marked, and the axis starts there
        let s = stance_timeline(&dots, Some(("2025-08-15", "meeting <b>")));
        assert!(s.contains("<title>2025-08-15: meeting &lt;b&gt;</title>"));
        assert!(s.contains(">2025-08-15</text>"));
    }
}
