//! Crash safety: kill -9 a real `onrecord ingest` in the middle, run it
//! again, and the record is the same as after one clean run: nothing lost,
//! nothing duplicated, and it opens cleanly.

mod common;

use common::{root, run};
use onrecord_store::Store;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Copies of the PolNeAR dev texts, each copy with a line of its own so no
/// two files are alike, in a few directories: 2,016 articles.
fn corpus(dir: &Path) -> usize {
    let src = root().join("../shared/data/polnear/dev/text");
    let mut texts: Vec<(String, String)> = std::fs::read_dir(&src)
        .expect("PolNeAR dev texts in ../shared/data")
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect();
    texts.sort();
    let mut n = 0;
    for copy in 0..24 {
        let sub = dir.join(format!("part{:02}", copy / 6));
        std::fs::create_dir_all(&sub).unwrap();
        for (name, text) in &texts {
            let body = format!("{text}\n\nCopy {copy} of {name}, the archivist said.\n");
            std::fs::write(sub.join(format!("{copy:02}_{name}")), body).unwrap();
            n += 1;
        }
    }
    n
}

fn articles(db: &Path) -> u64 {
    Store::open_read(db)
        .and_then(|s| s.counts())
        .map(|c| c.articles)
        .unwrap_or(0)
}

#[test]
fn kill_9_mid_ingest_then_rerun_equals_a_clean_run() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("corpus");
    let total = corpus(&input) as u64;
    assert!(total > 2000);
    let bin = env!("CARGO_BIN_EXE_onrecord");

    // a clean run, for reference
    let clean = dir.path().join("clean.db");
    let r = run(&[
        "ingest",
        "-q",
        "--db",
        clean.to_str().unwrap(),
        input.to_str().unwrap(),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    assert_eq!(articles(&clean), total);

    // a run killed with SIGKILL once some batches are committed
    let db = dir.path().join("killed.db");
    let mut child = Command::new(bin)
        .args(["ingest", "-q", "--threads", "1", "--db"])
        .arg(&db)
        .arg(&input)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let mut seen = 0;
    while started.elapsed() < Duration::from_secs(120) {
        seen = articles(&db);
        if seen >= 512 || child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL on Unix
    let status = child.wait().unwrap();
    // the first open after the kill is a reader's, as when someone queries
    let after_kill = Store::open_read(&db).unwrap().counts().unwrap().articles;
    assert!(
        status.code().is_none() && after_kill < total,
        "the ingest was not killed mid-way (status {status:?}, {after_kill} of {total} stored, saw {seen})"
    );
    eprintln!("killed with {after_kill} of {total} articles stored");

    // the killed record opens cleanly and holds only whole batches
    {
        let s = Store::open(&db).unwrap();
        assert!(s.check().unwrap().is_none());
        assert_eq!(after_kill % 256, 0, "a batch is one transaction");
    }

    // run again: the rest is added, nothing twice
    let r = run(&[
        "ingest",
        "--db",
        db.to_str().unwrap(),
        input.to_str().unwrap(),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    let expect = format!(
        "({} new, 0 updated, {after_kill} unchanged)",
        total - after_kill
    );
    assert!(
        r.stderr.contains(&expect),
        "expected {expect}\n{}",
        r.describe()
    );
    let a = Store::open(&db).unwrap();
    let b = Store::open_read(&clean).unwrap();
    assert_eq!(a.counts().unwrap(), b.counts().unwrap());
    assert_eq!(a.fingerprint().unwrap(), b.fingerprint().unwrap());
    assert!(a.check().unwrap().is_none());
}
