//! Threads end to end: the seeds' statements on the Alaska/Anchorage
//! understandings form one thread over both articles; a statement on
//! something else stays out; threads grow without reshuffling; the
//! `threads` / `thread` commands; the stance evaluation.

mod common;

use common::{example, root, run, Run, SEED_000, SEED_004};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn cmd(db: &Path, args: &[&str]) -> Run {
    let mut a: Vec<&std::ffi::OsStr> = args.iter().map(|s| s.as_ref()).collect();
    a.extend(["--db".as_ref(), db.as_os_str()]);
    let r = run(&a);
    assert_eq!(r.code, Some(0), "{args:?}\n{}", r.describe());
    r
}

fn ingest(db: &Path, paths: &[PathBuf]) {
    let mut a: Vec<&std::ffi::OsStr> = vec!["ingest".as_ref(), "--db".as_ref(), db.as_os_str()];
    a.extend(paths.iter().map(|p| p.as_os_str()));
    let r = run(&a);
    assert_eq!(r.code, Some(0), "{}", r.describe());
}

fn thread(db: &Path, id: &str) -> Value {
    serde_json::from_str(&cmd(db, &["thread", id, "--json"]).stdout).unwrap()
}

/// The thread (id) holding the statement whose content contains `needle`.
fn thread_of(db: &Path, needle: &str) -> Option<String> {
    let r = cmd(db, &["threads", "--min", "1", "--limit", "1000", "--jsonl"]);
    for line in r.stdout.lines() {
        let t: Value = serde_json::from_str(line).unwrap();
        let id = t["id"].as_str().unwrap();
        let v = thread(db, id);
        if v["statements"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["content"].as_str().unwrap().contains(needle))
        {
            return Some(id.to_string());
        }
    }
    None
}

#[test]
fn seeds_form_one_thread_on_the_understandings() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    ingest(&db, &[example(SEED_000), example(SEED_004)]);
    let id = thread_of(&db, "These understandings remain in working order").expect("in a thread");
    let v = thread(&db, &id);
    let st = v["statements"].as_array().unwrap();
    assert!(st.len() >= 8, "{} statements", st.len());
    let articles: std::collections::BTreeSet<&str> =
        st.iter().map(|s| s["article"].as_str().unwrap()).collect();
    assert_eq!(articles.len(), 2, "{articles:?}");
    for needle in [
        "principles formulated in Anchorage",
        "we stand by the framework",
        "remains faithful to the understandings achieved in Anchorage",
        "we hope these understandings will be honored",
        "The Anchorage spirit is a hot-button issue",
    ] {
        assert!(
            st.iter()
                .any(|s| s["content"].as_str().unwrap().contains(needle)),
            "{needle} not in thread {id}"
        );
    }
    // Lavrov on Trump's shift on Ukraine is about something else
    assert!(
        !st.iter().any(|s| s["content"]
            .as_str()
            .unwrap()
            .contains("raises certain questions")),
        "the Ukraine-shift statement joined the thread"
    );
    // the thread is linked to the summit, dated by the TASS article
    assert_eq!(v["event"]["id"], "ev:meeting:putin-trump");
    assert_eq!(v["event"]["date"], "2025-08-15");
    assert_eq!(v["event"]["reports"].as_array().unwrap().len(), 2);
    // stances: the hopes are hopes
    let hope = st
        .iter()
        .find(|s| {
            s["content"]
                .as_str()
                .unwrap()
                .contains("We hope President Trump")
        })
        .unwrap();
    assert_eq!(hope["stance"], "hopes");
    // the timeline is in date order
    let dates: Vec<&str> = st.iter().map(|s| s["date"].as_str().unwrap()).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
    // the table view shows the label and the event
    let table = cmd(&db, &["thread", &id]).stdout;
    assert!(table.contains("ev:meeting:putin-trump"), "{table}");
}

#[test]
fn threads_grow_without_reshuffling() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    ingest(&db, &[example(SEED_000)]);
    let before: Vec<(String, String)> = {
        let r = cmd(
            &db,
            &["threads", "--min", "1", "--limit", "1000", "--jsonl"],
        );
        r.stdout
            .lines()
            .flat_map(|l| {
                let id = serde_json::from_str::<Value>(l).unwrap()["id"]
                    .as_str()
                    .unwrap()
                    .to_string();
                let v = thread(&db, &id);
                v["statements"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| (s["content"].as_str().unwrap().to_string(), id.clone()))
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    assert!(!before.is_empty());
    ingest(&db, &[example(SEED_004)]);
    for (content, id) in &before {
        assert_eq!(
            thread_of(&db, content).as_deref(),
            Some(id.as_str()),
            "{content} moved"
        );
    }
    // and the TASS statements joined the old thread
    let old = thread_of(&db, "These understandings remain in working order").unwrap();
    assert_eq!(
        thread_of(&db, "The Anchorage spirit is a hot-button issue"),
        Some(old)
    );
}

#[test]
fn polnear_dev_threads_are_not_one_blob() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    ingest(&db, &[root().join("../shared/data/polnear/dev/text")]);
    let r = cmd(
        &db,
        &["threads", "--min", "1", "--limit", "100000", "--jsonl"],
    );
    let sizes: Vec<u64> = r
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["statements"]
                .as_u64()
                .unwrap()
        })
        .collect();
    let total: u64 = sizes.iter().sum();
    let largest = sizes.iter().copied().max().unwrap_or(0);
    assert!(sizes.len() > 50, "{} threads", sizes.len());
    assert!(
        largest * 10 < total,
        "largest thread {largest} of {total} statements"
    );
}

#[test]
fn about_filter_and_unknown_thread() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    ingest(&db, &[example(SEED_000), example(SEED_004)]);
    let r = cmd(&db, &["threads", "--about", "Anchorage spirit", "--jsonl"]);
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
    let r = cmd(&db, &["threads", "--about", "Anchorage spirit", "--json"]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v.as_array().map(Vec::len), Some(1), "{}", r.stdout);
    // nothing matched: an empty array and exit 1
    let mut a: Vec<&std::ffi::OsStr> = ["threads", "--about", "zebra", "--json", "--db"]
        .iter()
        .map(|s| s.as_ref())
        .collect();
    a.push(db.as_os_str());
    let r = run(&a);
    assert_eq!(r.code, Some(1), "{}", r.describe());
    assert_eq!(r.stdout.trim(), "[]");
    let mut a: Vec<&std::ffi::OsStr> = vec!["thread".as_ref(), "t999".as_ref(), "--db".as_ref()];
    a.push(db.as_os_str());
    let r = run(&a);
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains("no thread"), "{}", r.describe());
}

/// The stance rules against the hand-labelled set (docs/stance.md): a floor
/// a little under the measured accuracy. The labelled statements were
/// extracted by an earlier attribution model; a few of them (mostly its
/// misreadings) are no longer extracted, and are counted as unmatched.
#[test]
fn stance_accuracy_floor() {
    let r = run(&["eval", "stance", "--json"]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let matched = v["statements"].as_u64().unwrap();
    let unmatched = v["unmatched"].as_u64().unwrap();
    assert!(unmatched * 100 <= (matched + unmatched) * 15, "{v}");
    assert!(matched >= 110, "{v}");
    assert!(v["accuracy"].as_f64().unwrap() >= 0.46, "{v}");
}
