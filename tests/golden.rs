//! Golden snapshots of `onrecord extract` (JSON lines): of `examples/` in
//! tests/golden/seeds.jsonl, and of two real web pages
//! (tests/fixtures/html/reuters.com.parasite.html and dw.com.colonial.html:
//! their extracted text, metadata and statements) in tests/golden/pages.jsonl.
//!
//! The output must match the file byte for byte; on a mismatch the test fails
//! with a field-by-field diff of the differing lines. After an intended
//! change (a retrained model, a new output field), regenerate the file and
//! review the diff before committing it:
//!
//!     UPDATE_GOLDEN=1 cargo test --release --test golden

mod common;

use common::*;
use serde_json::Value;
use std::path::PathBuf;

fn golden_path(name: &str) -> PathBuf {
    root().join("tests").join("golden").join(name)
}

/// The differences between two JSON values, one line each, by JSON path.
fn json_diff(path: &str, want: &Value, got: &Value, out: &mut Vec<String>) {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (k, wv) in w {
                let p = format!("{path}.{k}");
                match g.get(k) {
                    Some(gv) => json_diff(&p, wv, gv, out),
                    None => out.push(format!("{p}: missing (golden: {wv})")),
                }
            }
            for (k, gv) in g {
                if !w.contains_key(k) {
                    out.push(format!("{path}.{k}: new field: {gv}"));
                }
            }
        }
        (Value::Array(w), Value::Array(g)) => array_diff(path, w, g, out),
        _ if want != got => out.push(format!(
            "{path}:\n        golden: {want}\n        now:    {got}"
        )),
        _ => {}
    }
}

/// Arrays are aligned on their equal elements (longest common
/// subsequence), so one inserted attribution shows as one `+` line, not as
/// a change of every later element.
fn array_diff(path: &str, w: &[Value], g: &[Value], out: &mut Vec<String>) {
    let (n, m) = (w.len(), g.len());
    // lcs[i][j]: LCS length of w[i..] and g[j..]
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if w[i] == g[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let (mut removed, mut added): (Vec<usize>, Vec<usize>) = (Vec::new(), Vec::new());
    let flush = |removed: &mut Vec<usize>, added: &mut Vec<usize>, out: &mut Vec<String>| {
        // one element replaced by one that differs in a few places: show those
        // places; otherwise whole elements, removed (-) and added (+)
        if removed.len() == added.len() {
            let nested: Vec<Vec<String>> = removed
                .iter()
                .zip(added.iter())
                .map(|(&a, &b)| {
                    let mut d = Vec::new();
                    json_diff(&format!("{path}[{b}]"), &w[a], &g[b], &mut d);
                    d
                })
                .collect();
            if nested.iter().all(|d| d.len() <= 4) {
                out.extend(nested.into_iter().flatten());
                removed.clear();
                added.clear();
                return;
            }
        }
        for &a in removed.iter() {
            out.push(format!("{path}[{a}] - {}", short(&w[a])));
        }
        for &b in added.iter() {
            out.push(format!("{path}[{b}] + {}", short(&g[b])));
        }
        removed.clear();
        added.clear();
    };
    while i < n || j < m {
        if i < n && j < m && w[i] == g[j] {
            flush(&mut removed, &mut added, out);
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            added.push(j);
            j += 1;
        } else {
            removed.push(i);
            i += 1;
        }
    }
    flush(&mut removed, &mut added, out);
}

/// An attribution as `speaker — cue: content`, anything else as JSON.
fn short(v: &Value) -> String {
    if v.get("text").is_some_and(|t| t.get("content").is_some()) {
        format!(
            "{} {:?} — {:?}: {:?}",
            str_of(v, &["kind"]),
            v["speaker"]["name"].as_str().unwrap_or("-"),
            str_of(v, &["text", "cue"]),
            str_of(v, &["text", "content"])
        )
    } else {
        v.to_string()
    }
}

fn diff(golden: &str, now: &str) -> Vec<String> {
    let (g, n): (Vec<&str>, Vec<&str>) = (golden.lines().collect(), now.lines().collect());
    let mut out = Vec::new();
    if g.len() != n.len() {
        out.push(format!(
            "{} lines in the golden file, {} now",
            g.len(),
            n.len()
        ));
    }
    for i in 0..g.len().max(n.len()) {
        let (gl, nl) = (
            g.get(i).copied().unwrap_or(""),
            n.get(i).copied().unwrap_or(""),
        );
        if gl == nl {
            continue;
        }
        match (
            serde_json::from_str::<Value>(gl),
            serde_json::from_str::<Value>(nl),
        ) {
            (Ok(gv), Ok(nv)) => {
                let mut d = Vec::new();
                json_diff("", &gv, &nv, &mut d);
                if d.is_empty() {
                    d.push("same JSON, different formatting".into());
                }
                out.push(format!(
                    "line {} (doc {}):\n    {}",
                    i + 1,
                    gv["doc"],
                    d.join("\n    ")
                ));
            }
            _ => out.push(format!("line {}:\n  - {gl}\n  + {nl}", i + 1)),
        }
    }
    if out.is_empty() && golden != now {
        out.push("the outputs differ only in line endings or a final newline".into());
    }
    out
}

/// `onrecord ARGS...` must print exactly tests/golden/NAME (or writes it,
/// with `UPDATE_GOLDEN=1`).
fn check_golden(name: &str, args: &[&str]) {
    let r = run(args);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    assert_eq!(r.stderr, "", "{}", r.describe());
    let path = golden_path(name);
    if std::env::var("UPDATE_GOLDEN").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &r.stdout).unwrap();
        eprintln!("golden: wrote {}", path.display());
        return;
    }
    let golden = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("cannot read {}: {e}\nCreate it with: UPDATE_GOLDEN=1 cargo test --release --test golden", path.display())
    });
    if golden != r.stdout {
        panic!(
            "`onrecord {}` differs from {}:\n\n{}\n\nIf the change is intended, regenerate it with\n    UPDATE_GOLDEN=1 cargo test --release --test golden\nand review the diff.",
            args.join(" "),
            path.display(),
            diff(&golden, &r.stdout).join("\n\n")
        );
    }
}

#[test]
fn seeds_match_golden() {
    check_golden("seeds.jsonl", &["extract", "examples/"]);
}

/// Two real pages: the HTML extractor's text and metadata and the
/// statements found in them. Regenerate after a change to `crates/html`
/// (expected) and read the diff.
#[test]
fn pages_match_golden() {
    check_golden(
        "pages.jsonl",
        &[
            "extract",
            "tests/fixtures/html/reuters.com.parasite.html",
            "tests/fixtures/html/dw.com.colonial.html",
        ],
    );
}

#[test]
fn diff_is_readable() {
    let g = r#"{"doc":"a","attributions":[{"kind":"direct","speaker":{"text":"he","name":"X"},"text":{"cue":"said","content":"hi"}}]}"#;
    let n = r#"{"doc":"a","attributions":[{"kind":"direct","speaker":{"text":"he","name":"Y"},"text":{"cue":"said","content":"hi"}}],"extra":1}"#;
    let d = diff(&format!("{g}\n"), &format!("{n}\nnot json\n")).join("\n");
    assert!(d.contains("1 lines in the golden file, 2 now"), "{d}");
    assert!(
        d.contains(".attributions[0].speaker.name:\n        golden: \"X\"\n        now:    \"Y\""),
        "{d}"
    );
    assert!(d.contains(".extra: new field: 1"), "{d}");
    assert!(d.contains("line 2:\n  - \n  + not json"), "{d}");

    // an inserted element is one `+`; a changed span shows inside its element
    let a = |c: &str, s: u32| {
        format!(
            r#"{{"kind":"direct","speaker":null,"content":[[{s},9]],"text":{{"cue":"said","content":"{c}"}}}}"#
        )
    };
    let g = format!(
        r#"{{"doc":"b","attributions":[{},{}]}}"#,
        a("one", 1),
        a("two", 2)
    );
    let n = format!(
        r#"{{"doc":"b","attributions":[{},{},{}]}}"#,
        a("new", 0),
        a("one", 1),
        a("two", 3)
    );
    let d = diff(&g, &n).join("\n");
    assert!(
        d.contains(".attributions[0] + direct \"-\" — \"said\": \"new\""),
        "{d}"
    );
    assert!(
        d.contains(".attributions[2].content[0][0]:\n        golden: 2\n        now:    3"),
        "{d}"
    );
    assert!(!d.contains("\"one\""), "{d}");
}
