//! `onrecord extract` on bad input: one clear error line per bad file or
//! JSONL line on stderr (`onrecord: PATH[:LINE]: message`), the good
//! documents still on stdout, exit code 2; exit code 0 on good input only.
//! Never a panic.

mod common;

use common::*;
use serde_json::Value;
use std::fs;
use std::path::Path;

const GOOD_JSONL_1: &str = r#"{"id": "j-good-1", "date": "2025-01-02", "text": "Prime Minister Ana Silva said on Monday that the budget would pass."}"#;
const GOOD_JSONL_2: &str =
    r#"{"id": "j-good-2", "text": "\"We will not give up,\" the mayor told reporters."}"#;

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> String {
    let p = dir.join(name);
    fs::write(&p, bytes).unwrap();
    p.to_string_lossy().into_owned()
}

fn doc_ids(docs: &[Value]) -> Vec<String> {
    docs.iter()
        .map(|d| d["doc"].as_str().unwrap_or("?").to_string())
        .collect()
}

/// The stderr line that names `needle` (a path, or `path:line`); exactly one.
fn error_line<'a>(run: &'a Run, needle: &str) -> &'a str {
    let hits: Vec<&str> = run
        .stderr_lines()
        .into_iter()
        .filter(|l| l.starts_with(&format!("onrecord: {needle}: ")))
        .collect();
    assert_eq!(
        hits.len(),
        1,
        "expected exactly one error line starting `onrecord: {needle}: `\n{}",
        run.describe()
    );
    hits[0]
}

#[test]
fn bad_files_are_reported_and_good_ones_still_extracted() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let good = write(dir, "a_good.txt", fs::read(fixture("good.txt")).unwrap());
    let utf8 = write(
        dir,
        "b_invalid_utf8.txt",
        b"Headline\nSome text \xff\xfe here.\n",
    );
    let binary = write(dir, "c_binary.txt", b"Head\0line\0\x01\x02 binary\n");
    let empty = write(dir, "d_empty.txt", b"");
    let jsonl = write(
        dir,
        "e_mixed.jsonl",
        format!(
            "{GOOD_JSONL_1}\n{{\"id\": \"broken\", \"text\": \"unterminated\n{GOOD_JSONL_2}\n\
             {{\"id\": \"bad-date\", \"date\": \"2025-02-30\", \"text\": \"He said so.\"}}\n"
        ),
    );
    let seed = write(
        dir,
        "f_seed_bad_date.txt",
        " date 2025-13-45 World Russia Society\nHeadline\nThe minister said talks would go on.\n",
    );
    // Over the 64 MiB limit; sparse, so cheap to make.
    let huge_path = dir.join("g_huge.txt");
    fs::File::create(&huge_path)
        .unwrap()
        .set_len(64 * 1024 * 1024 + 1)
        .unwrap();
    let huge = huge_path.to_string_lossy().into_owned();

    let r = run(&["extract", dir.to_str().unwrap()]);
    assert_eq!(
        r.code,
        Some(2),
        "bad input must exit with code 2\n{}",
        r.describe()
    );

    // stdout: the good documents, in input order, one valid JSON object per line
    let docs = r.docs();
    assert_eq!(
        doc_ids(&docs),
        ["a_good", "j-good-1", "j-good-2"],
        "stdout must hold exactly the good documents\n{}",
        r.describe()
    );
    for d in &docs {
        assert!(d.is_object());
    }
    assert_eq!(docs[0]["path"], good.as_str());
    assert_eq!(docs[1]["path"], format!("{jsonl}:1"));
    assert_eq!(docs[1]["date"], "2025-01-02");
    assert_eq!(docs[2]["path"], format!("{jsonl}:3"));

    // stderr: one line per bad item, naming the file (and line for JSONL)
    let lines = r.stderr_lines();
    assert_eq!(
        lines.len(),
        7,
        "one error line per bad item\n{}",
        r.describe()
    );
    let l = error_line(&r, &utf8);
    assert!(l.contains("invalid UTF-8"), "{l}");
    let l = error_line(&r, &binary);
    assert!(l.contains("binary"), "{l}");
    let l = error_line(&r, &empty);
    assert!(l.contains("empty"), "{l}");
    let l = error_line(&r, &format!("{jsonl}:2"));
    assert!(l.contains("invalid JSON"), "{l}");
    let l = error_line(&r, &format!("{jsonl}:4"));
    assert!(
        l.contains("malformed date") && l.contains("2025-02-30"),
        "{l}"
    );
    let l = error_line(&r, &seed);
    assert!(
        l.contains("malformed date") && l.contains("2025-13-45"),
        "{l}"
    );
    let l = error_line(&r, &huge);
    assert!(l.contains("too large"), "{l}");
    for l in lines {
        assert!(
            l.starts_with("onrecord: "),
            "unexpected stderr line: {l}\n{}",
            r.describe()
        );
    }
}

#[test]
fn each_bad_file_alone_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let cases = [
        (
            "utf8.txt",
            &b"caf\xe9 au lait"[..],
            "invalid UTF-8 at byte 3",
        ),
        (
            "bin.txt",
            &b"\x7fELF\0\0\0\x02"[..],
            "binary file, not text",
        ),
        ("blank.txt", &b"  \n\t\n"[..], "empty file"),
        ("empty.jsonl", &b""[..], "empty file"),
        (
            "seed.txt",
            &b" date 2025-02-30 World\nHeadline\nText.\n"[..],
            "malformed date \"2025-02-30\"",
        ),
    ];
    for (name, bytes, msg) in cases {
        let p = write(dir, name, bytes);
        let r = run(&["extract", p.as_str()]);
        assert_eq!(r.code, Some(2), "{name}\n{}", r.describe());
        assert_eq!(r.stdout, "", "{name}\n{}", r.describe());
        let lines = r.stderr_lines();
        assert_eq!(lines.len(), 1, "{name}\n{}", r.describe());
        assert!(
            lines[0].starts_with(&format!("onrecord: {p}: ")) && lines[0].contains(msg),
            "{name}: expected `onrecord: {p}: …{msg}…`, got {:?}",
            lines[0]
        );
    }
}

#[test]
fn missing_path_is_an_error_but_the_rest_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("no_such_file.txt");
    let good = fixture("good.txt");
    let r = run(&[
        std::ffi::OsStr::new("extract"),
        missing.as_os_str(),
        good.as_os_str(),
    ]);
    assert_eq!(r.code, Some(2), "{}", r.describe());
    assert_eq!(doc_ids(&r.docs()), ["good"]);
    error_line(&r, &missing.to_string_lossy());
}

#[test]
fn jsonl_line_errors_name_the_line() {
    let tmp = tempfile::tempdir().unwrap();
    let mut bytes = format!(
        "{GOOD_JSONL_1}\n\n[1, 2]\n{{\"id\": 5}}\n{{\"text\": \"   \"}}\n{{\"text\": \"x\", \"authors\": [1]}}\n"
    )
    .into_bytes();
    bytes.extend_from_slice(b"{\"text\": \"bad \xff byte\"}\n");
    bytes.extend_from_slice(GOOD_JSONL_2.as_bytes());
    let p = write(tmp.path(), "lines.jsonl", bytes);
    let r = run(&["extract", p.as_str()]);
    assert_eq!(r.code, Some(2), "{}", r.describe());
    assert_eq!(doc_ids(&r.docs()), ["j-good-1", "j-good-2"]);
    assert_eq!(r.stderr_lines().len(), 5, "{}", r.describe());
    assert!(error_line(&r, &format!("{p}:3")).contains("invalid JSON"));
    assert!(error_line(&r, &format!("{p}:4")).contains("`text`"));
    assert!(error_line(&r, &format!("{p}:5")).contains("empty `text`"));
    assert!(error_line(&r, &format!("{p}:6")).contains("authors"));
    assert!(error_line(&r, &format!("{p}:7")).contains("invalid UTF-8"));
}

#[test]
fn good_input_only_exits_0() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "a.txt", fs::read(fixture("good.txt")).unwrap());
    write(
        dir,
        "b.jsonl",
        format!("{GOOD_JSONL_1}\n\n{GOOD_JSONL_2}\n"),
    );
    write(dir, "c.md", "not walked: not an article format, not HTML");
    let r = run(&[
        "extract",
        dir.to_str().unwrap(),
        fixture("unicode.jsonl").to_str().unwrap(),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    // passed over, but never in silence
    assert_eq!(
        r.stderr,
        "onrecord: skipped 1 file (1 .md)\n",
        "{}",
        r.describe()
    );
    assert_eq!(
        doc_ids(&r.docs()),
        ["a", "j-good-1", "j-good-2", "uni-1", "uni-2", "uni-3"]
    );

    let r = run(&["extract", "examples"]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    assert_eq!(r.stderr, "", "{}", r.describe());
    assert_eq!(r.docs().len(), 2);
}

#[test]
fn stdin_plain_text() {
    let text = fs::read(fixture("good.txt")).unwrap();
    let r = run_stdin(&["extract", "-"], &text);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    assert_eq!(r.stderr, "");
    let docs = r.docs();
    assert_eq!(doc_ids(&docs), ["stdin"]);
    assert_eq!(docs[0]["path"], "-");
    assert_eq!(docs[0]["title"], "Minister Says Talks Will Resume");

    // a seed-style article on stdin is parsed as one
    let seed = fs::read(example(SEED_000)).unwrap();
    let r = run_stdin(&["extract", "-"], &seed);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    let docs = r.docs();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["date"], "2025-11-12");
}

#[test]
fn stdin_jsonl() {
    let input = format!("\n{GOOD_JSONL_1}\n{GOOD_JSONL_2}\n");
    let r = run_stdin(&["extract", "-"], input.as_bytes());
    assert_eq!(r.code, Some(0), "{}", r.describe());
    assert_eq!(r.stderr, "");
    let docs = r.docs();
    assert_eq!(doc_ids(&docs), ["j-good-1", "j-good-2"]);
    assert_eq!(docs[0]["path"], "-:2");
    assert_eq!(docs[1]["path"], "-:3");

    let input = format!(
        "{GOOD_JSONL_1}\n{{oops\n{{\"text\": \"ok\", \"date\": \"2025-02-30\"}}\n{GOOD_JSONL_2}\n"
    );
    let r = run_stdin(&["extract", "-"], input.as_bytes());
    assert_eq!(r.code, Some(2), "{}", r.describe());
    assert_eq!(doc_ids(&r.docs()), ["j-good-1", "j-good-2"]);
    assert_eq!(r.stderr_lines().len(), 2, "{}", r.describe());
    assert!(error_line(&r, "-:2").contains("invalid JSON"));
    assert!(error_line(&r, "-:3").contains("2025-02-30"));
}

#[test]
fn stdin_bad() {
    for (input, msg) in [
        (&b""[..], "empty file"),
        (&b"\n \n"[..], "empty file"),
        (&b"a\0b"[..], "binary"),
        (&b"ab\xffc"[..], "invalid UTF-8"),
    ] {
        let r = run_stdin(&["extract", "-"], input);
        assert_eq!(r.code, Some(2), "{input:?}\n{}", r.describe());
        assert_eq!(r.stdout, "");
        assert!(
            error_line(&r, "-").contains(msg),
            "{input:?}\n{}",
            r.describe()
        );
    }
}

#[test]
fn usage_errors_do_not_panic() {
    // clap reports argument errors itself (exit code 2); a setup error
    // (a bad model file) is an input error: 2 as well
    let r = run(&["extract"]);
    assert_ne!(r.code, Some(0), "{}", r.describe());
    let r = run(&["extract", "--format", "xml", "examples"]);
    assert_ne!(r.code, Some(0), "{}", r.describe());
    let tmp = tempfile::tempdir().unwrap();
    let model = write(tmp.path(), "model.ortag", b"not a model");
    let r = run(&["extract", "--model", model.as_str(), "examples"]);
    assert_eq!(r.code, Some(2), "{}", r.describe());
    assert!(
        r.stderr.starts_with("onrecord: error: "),
        "{}",
        r.describe()
    );
    assert_eq!(r.stdout, "");
}
