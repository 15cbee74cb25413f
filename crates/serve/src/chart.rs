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
}
