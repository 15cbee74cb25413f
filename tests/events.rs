//! Events in the output: the TASS seed's summit, one event id across both
//! seeds, and odd sentences that must not break extraction.

mod common;
use common::*;
use serde_json::Value;

fn names(ev: &Value, delegation: Option<&str>) -> Vec<String> {
    ev["participants"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["delegation"].as_str() == delegation)
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn tass_seed_gives_the_alaska_meeting_with_delegations() {
    let doc = extract_one(&example(SEED_004));
    let events = doc["events"].as_array().unwrap();
    assert_eq!(events.len(), 1, "{events:#?}");
    let ev = &events[0];
    assert_eq!(ev["type"], "meeting");
    assert_eq!(ev["date"]["value"], "2025-08-15");
    assert_eq!(ev["date"]["from"], "text");
    assert_eq!(ev["planned"], false);
    let principals = names(ev, None);
    for who in ["Vladimir Putin", "Donald Trump"] {
        assert!(principals.iter().any(|n| n == who), "{principals:?}");
    }
    assert_eq!(
        names(ev, Some("Russian")),
        ["Yury Ushakov", "Sergey Lavrov"]
    );
    assert_eq!(names(ev, Some("US")), ["Marco Rubio", "Steve Witkoff"]);
    let places: Vec<&str> = ev["places"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for p in ["a military base", "Alaska", "Anchorage"] {
        assert!(places.contains(&p), "{places:?}");
    }
    assert_eq!(ev["duration"]["text"], "more than three hours");
    let formats: Vec<&str> = ev["formats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["text"].as_str().unwrap())
        .collect();
    assert!(formats.contains(&"one-on-one"), "{formats:?}");
    assert!(
        formats.iter().any(|f| f.contains("three on three")),
        "{formats:?}"
    );
    // offsets are code points into the file
    let text: Vec<char> = std::fs::read_to_string(example(SEED_004))
        .unwrap()
        .chars()
        .collect();
    let d = ev["duration"]["span"].as_array().unwrap();
    let (a, b) = (
        d[0].as_u64().unwrap() as usize,
        d[1].as_u64().unwrap() as usize,
    );
    assert_eq!(
        text[a..b].iter().collect::<String>(),
        "more than three hours"
    );
}

#[test]
fn both_seeds_report_one_summit_id() {
    let out = run(&[
        std::path::PathBuf::from("extract"),
        example(SEED_000),
        example(SEED_004),
    ]);
    let docs = out.docs();
    let ids: Vec<Vec<String>> = docs
        .iter()
        .map(|d| {
            d["events"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["id"].as_str().unwrap().to_string())
                .collect()
        })
        .collect();
    assert_eq!(
        ids,
        [
            vec!["ev:meeting:putin-trump".to_string()],
            vec!["ev:meeting:putin-trump".to_string()]
        ]
    );
}

/// A place name before the trigger, after "and", once sliced a token range
/// backwards and panicked.
#[test]
fn events_place_before_trigger_does_not_panic() {
    let run = run_stdin(
        &["extract", "-"],
        b"Officials from Poland and Finland met in Warsaw on Monday. \
         Leaders of France and Germany held talks between Paris and Berlin.\n",
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let docs = run.docs();
    assert_eq!(docs.len(), 1);
    assert!(!docs[0]["events"].as_array().unwrap().is_empty());
}

#[test]
fn meet_the_press_is_no_event() {
    let run = run_stdin(
        &["extract", "-"],
        b"Senator Jane Smith will meet the press on Tuesday, her office said.\n",
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.docs()[0]["events"], serde_json::json!([]));
}
