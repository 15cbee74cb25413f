//! The web UI in a real browser: builds a record from the seeds and
//! PolNeAR dev, starts `onrecord serve`, and runs `tests/browser/run.mjs`
//! (playwright-core driving headless Chromium): home → search "Lavrov" →
//! his page (timeline, a seed statement, a filter, the CSV download checked
//! against the rows shown) → the article (the statement highlighted; in
//! print media every statement of the sidebar shown) → its thread (stance
//! muted, then hidden) → its event page; `/people`, `/articles`, `/events`;
//! a search with an unbalanced quote; every page at 390 px wide without
//! horizontal overflow. Screenshots go to `target/tmp/browser/screenshots/`;
//! with `ONRECORD_SHOTS_TO_DOCS=1` they are also copied to
//! `docs/screenshots/` (the ones the docs show).
//!
//! Needs `chromium` (`apt-get install chromium`; or `$CHROMIUM`), `node`,
//! and `npm ci` in `tests/browser`. Without them the test prints a SKIP
//! notice and passes, unless `ONRECORD_REQUIRE_BROWSER=1` (set by
//! `.ci/run`, which installs them), where it fails.

mod common;

use common::http::{scratch, Server};
use common::{root, run};
use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

fn missing() -> Vec<String> {
    let mut missing = Vec::new();
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !PathBuf::from(&chromium).exists() {
        missing.push(format!("{chromium} (apt-get install chromium)"));
    }
    if Command::new("node").arg("--version").output().is_err() {
        missing.push("node".into());
    }
    let pw = root().join("tests/browser/node_modules/playwright-core/package.json");
    if !pw.exists() {
        missing
            .push("tests/browser/node_modules/playwright-core (cd tests/browser && npm ci)".into());
    }
    missing
}

#[test]
fn browser_walkthrough() {
    let missing = missing();
    if !missing.is_empty() {
        let msg = format!("the browser test needs: {}", missing.join(", "));
        if std::env::var("ONRECORD_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!("{msg} (ONRECORD_REQUIRE_BROWSER=1)");
        }
        // straight to stderr: the test harness captures eprintln!
        let bar = "=".repeat(72);
        let _ = writeln!(
            std::io::stderr(),
            "\n{bar}\nSKIP browser_walkthrough: {msg}\n{bar}\n"
        );
        return;
    }
    let dir = scratch("browser");
    let db = dir.join("record.db");
    let r = run(&[
        "ingest".as_ref(),
        "--db".as_ref(),
        db.as_os_str(),
        root().join("examples").as_os_str(),
        root().join("../shared/data/polnear/dev/text").as_os_str(),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    let server = Server::start(&db, &[], &[]);
    let shots = dir.join("screenshots");
    let out = Command::new("node")
        .arg("run.mjs")
        .current_dir(root().join("tests/browser"))
        .env("ONRECORD_URL", server.url())
        .env("ONRECORD_SHOTS", &shots)
        .output()
        .expect("running node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("{stdout}{stderr}");
    assert!(
        out.status.success(),
        "the browser walkthrough failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    for shot in [
        "1-home.png",
        "2-search.png",
        "3-person.png",
        "4-article.png",
        "6-thread.png",
        "7-event.png",
        "8-article-print.png",
        "9-people.png",
        "10-articles.png",
        "11-phone-thread.png",
        "11-phone-article.png",
    ] {
        let p = shots.join(shot);
        let len = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
        assert!(len > 10_000, "{} is missing or empty", p.display());
        // the docs keep the new pages, the print view and the phone
        let in_docs = ["7-", "8-", "9-", "10-", "11-"]
            .iter()
            .any(|p| shot.starts_with(p));
        if in_docs && std::env::var("ONRECORD_SHOTS_TO_DOCS").as_deref() == Ok("1") {
            let docs = root().join("docs/screenshots");
            std::fs::create_dir_all(&docs).expect("docs/screenshots");
            std::fs::copy(&p, docs.join(shot)).expect("copying a screenshot");
        }
    }
    eprintln!("screenshots: {}", shots.display());
}
