//! Main text and dates of the 945 real web pages in ../shared/data/html
//! (trafilatura's evaluation set), with floors just under what was measured
//! (docs/html.md). Prints SKIP and passes when the folder is missing.

use onrecord_eval::html::{marked_date, read_key, Counts, Half};
use std::path::Path;

struct Run {
    all: Counts,
    even: Counts,
    odd: Counts,
    marked: usize,
    marked_equal: usize,
}

fn run() -> Option<Run> {
    let dir = Path::new("../shared/data/html");
    if !dir.join("evaldata.json").exists() {
        println!("SKIP: {} is missing", dir.display());
        return None;
    }
    let key = read_key(&dir.join("evaldata.json")).expect("evaldata.json reads");
    let mut r = Run {
        all: Counts::default(),
        even: Counts::default(),
        odd: Counts::default(),
        marked: 0,
        marked_equal: 0,
    };
    for p in &key {
        let bytes = std::fs::read(dir.join("pages").join(&p.file)).expect("page reads");
        let hints = onrecord_html::Hints {
            url: Some(&p.url),
            ..Default::default()
        };
        let page = onrecord_html::extract(&bytes, &hints).ok();
        let c = Counts::page(page.as_ref().map(|x| x.text.as_str()), p);
        r.all.add(c);
        match Half::of(&p.file) {
            Half::Even => r.even.add(c),
            Half::Odd => r.odd.add(c),
        }
        if let Some(want) = marked_date(&bytes) {
            r.marked += 1;
            r.marked_equal += usize::from(page.and_then(|x| x.date) == Some(want));
        }
    }
    println!(
        "F1 {:.4} (even {:.4}, odd {:.4}); marked dates equal {}/{}",
        r.all.f1(),
        r.even.f1(),
        r.odd.f1(),
        r.marked_equal,
        r.marked
    );
    Some(r)
}

#[test]
fn main_text_and_dates_hold_their_floors() {
    let Some(r) = run() else { return };
    assert!(
        r.all.f1() >= F1_FLOOR,
        "F1 {:.4} under {F1_FLOOR}",
        r.all.f1()
    );
    assert!(r.even.f1() >= F1_FLOOR - 0.02 && r.odd.f1() >= F1_FLOOR - 0.02);
    assert!(
        r.all.precision() >= 0.91 && r.all.recall() >= 0.945,
        "P {:.4} R {:.4}",
        r.all.precision(),
        r.all.recall()
    );
    assert!(r.marked >= 300, "only {} pages mark a date", r.marked);
    let share = r.marked_equal as f64 / r.marked as f64;
    assert!(
        share >= DATE_FLOOR,
        "marked date found on {share:.3} of pages, under {DATE_FLOOR}"
    );
}

/// Measured 0.9316 (P 0.9133, R 0.9506; even half 0.9394, odd 0.9247;
/// docs/html.md); the floor sits just under it.
const F1_FLOOR: f64 = 0.93;
/// Measured 0.976 (372 of the 381 pages with a JSON-LD datePublished or article:published_time).
const DATE_FLOOR: f64 = 0.97;
