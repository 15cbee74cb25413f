//! Dates in the output: the seed's "On August 15, 2025" and statements
//! falling back to the publication date.

mod common;
use common::*;

#[test]
fn seed_004_gives_the_summit_date_and_statements_their_dates() {
    let doc = extract_one(&example(SEED_004));
    let text: Vec<char> = std::fs::read_to_string(example(SEED_004))
        .unwrap()
        .chars()
        .collect();
    let dates = doc["dates"].as_array().unwrap();
    let summit = dates
        .iter()
        .find(|d| d["value"] == "2025-08-15")
        .unwrap_or_else(|| panic!("no 2025-08-15 in {dates:?}"));
    let s = summit["span"].as_array().unwrap();
    let (a, b) = (
        s[0].as_u64().unwrap() as usize,
        s[1].as_u64().unwrap() as usize,
    );
    assert_eq!(text[a..b].iter().collect::<String>(), "August 15, 2025");
    assert_eq!(summit["granularity"], "day");
    // Lavrov's statements give no date of their own: the publication date
    for a in attributions(&doc) {
        assert_eq!(a["date"]["value"], "2026-02-11", "{a}");
        assert_eq!(a["date"]["from"], "published");
    }
}
