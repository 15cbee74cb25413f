//! Real inputs through the binary: WARC archives (built here from a real
//! page), web pages, gzip and zstd files, CSV, news-please JSON, PolNeAR's
//! layout with its metadata file, files a walk passes over, and articles in
//! languages the models do not cover; `onrecord read`, `extract` and
//! `ingest` on each, and the bad web inputs (a page over the size limit, no
//! body, no text, deep nesting, UTF-16, binary, a cut gzip member), each
//! one clear error while the rest of the run goes on.
//!
//! Big inputs are made in a temp directory, never committed.

mod common;

use common::*;
use onrecord_store::Store;
use serde_json::Value;
use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------- helpers

fn html_fixture(name: &str) -> PathBuf {
    fixture("html").join(name)
}

fn input_fixture(name: &str) -> PathBuf {
    fixture("inputs").join(name)
}

const REUTERS: &str = "reuters.com.parasite.html";
const DW: &str = "dw.com.colonial.html";
const REUTERS_URL: &str = "https://www.reuters.com/article/us-awards-sag-idUSKBN1ZI0EH";

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, bytes).unwrap();
    p
}

fn s(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// `onrecord ARGS...` where some arguments are paths.
fn run_args(args: &[&dyn AsRef<OsStr>]) -> Run {
    let a: Vec<&OsStr> = args.iter().map(|x| x.as_ref()).collect();
    run(&a)
}

fn ids(docs: &[Value]) -> Vec<String> {
    docs.iter()
        .map(|d| d["doc"].as_str().unwrap_or("?").to_string())
        .collect()
}

/// The stderr lines that start `onrecord: PREFIX`; exactly one expected.
fn one_line<'a>(r: &'a Run, prefix: &str) -> &'a str {
    let hits: Vec<&str> = r
        .stderr_lines()
        .into_iter()
        .filter(|l| l.starts_with(&format!("onrecord: {prefix}")))
        .collect();
    assert_eq!(
        hits.len(),
        1,
        "expected one stderr line starting `onrecord: {prefix}`\n{}",
        r.describe()
    );
    hits[0]
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// A WARC/1.0 record. `declared`: a Content-Length other than the block's.
fn warc_record(
    kind: &str,
    uri: &str,
    id: &str,
    content_type: &str,
    block: &[u8],
    declared: Option<usize>,
) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\n\
         WARC-Date: 2020-01-20T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:{id}>\r\n\
         Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        declared.unwrap_or(block.len())
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn http_response(content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut h = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    h.extend_from_slice(body);
    h
}

fn response_record(uri: &str, id: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    warc_record(
        "response",
        uri,
        id,
        "application/http; msgtype=response",
        &http_response(content_type, body),
        None,
    )
}

const ID_REUTERS: &str = "5e0b6a2c-0000-4000-8000-000000000002";
const ID_DW: &str = "5e0b6a2c-0000-4000-8000-000000000006";

/// A `.warc.gz` (one gzip member per record): warcinfo, the request and
/// response for the Reuters page, a PDF response, a record cut short
/// inside its member (its Content-Length says twice what it holds), and
/// the DW page after it. Returns the bytes and the offset of each member.
fn crawl_warc() -> (Vec<u8>, Vec<usize>) {
    let reuters = std::fs::read(html_fixture(REUTERS)).unwrap();
    let dw = std::fs::read(html_fixture(DW)).unwrap();
    let cut_block = http_response("text/html; charset=utf-8", &dw);
    let records = [
        warc_record(
            "warcinfo",
            "",
            "5e0b6a2c-0000-4000-8000-000000000000",
            "application/warc-fields",
            b"software: onrecord tests\r\nformat: WARC File Format 1.0\r\n",
            None,
        ),
        warc_record(
            "request",
            REUTERS_URL,
            "5e0b6a2c-0000-4000-8000-000000000001",
            "application/http; msgtype=request",
            b"GET /article/us-awards-sag-idUSKBN1ZI0EH HTTP/1.1\r\nHost: www.reuters.com\r\n\r\n",
            None,
        ),
        response_record(
            REUTERS_URL,
            ID_REUTERS,
            "text/html; charset=utf-8",
            &reuters,
        ),
        response_record(
            "https://www.example.com/report.pdf",
            "5e0b6a2c-0000-4000-8000-000000000003",
            "application/pdf",
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n",
        ),
        warc_record(
            "response",
            "https://www.example.com/cut",
            "5e0b6a2c-0000-4000-8000-000000000004",
            "application/http; msgtype=response",
            &cut_block[..cut_block.len() / 2],
            Some(cut_block.len()),
        ),
        response_record(
            "https://www.dw.com/en/a-52060881",
            ID_DW,
            "text/html; charset=utf-8",
            &dw,
        ),
    ];
    let mut bytes = Vec::new();
    let mut offsets = Vec::new();
    for r in &records {
        offsets.push(bytes.len());
        bytes.extend(gz(r));
    }
    (bytes, offsets)
}

const WARC_SKIPS: &str =
    "skipped 3 WARC records (1 application/pdf response, 1 request record, 1 warcinfo record)";

fn db_state(db: &Path) -> (onrecord_store::Counts, String) {
    let s = Store::open_read(db).unwrap();
    (s.counts().unwrap(), s.fingerprint().unwrap())
}

/// `onrecord CMD ARGS... --db DB --json`, parsed.
fn query(db: &Path, args: &[&str]) -> Value {
    let mut a: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    a.extend([OsStr::new("--db"), db.as_os_str(), OsStr::new("--json")]);
    let r = run(&a);
    // 1: nothing matched (the JSON is then empty)
    assert!(matches!(r.code, Some(0 | 1)), "{args:?}\n{}", r.describe());
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}\n{}", r.describe()))
}

// ---------------------------------------------------------------- WARC

#[test]
fn warc_gz_pages_read_records_skipped_and_a_cut_record_named_by_offset() {
    let tmp = tempfile::tempdir().unwrap();
    let (bytes, at) = crawl_warc();
    let warc = write(tmp.path(), "crawl.warc.gz", &bytes);
    let w = s(&warc);

    let r = run_args(&[&"extract", &warc]);
    assert_eq!(r.code, Some(2), "{}", r.describe());
    let docs = r.docs();
    assert_eq!(ids(&docs), [ID_REUTERS, ID_DW], "{}", r.describe());
    assert_eq!(docs[0]["path"], format!("{w}@{}", at[2]));
    assert_eq!(docs[1]["path"], format!("{w}@{}", at[5]));
    // the page's metadata, the record's URL
    let d = &docs[0];
    assert_eq!(d["url"], REUTERS_URL);
    assert_eq!(d["date"], "2020-01-19");
    assert_eq!(d["crawled"], "2020-01-20");
    assert_eq!(
        d["title"],
        "'Parasite' scores historic upset at SAG awards, boosting Oscar chances"
    );
    assert_eq!(d["authors"], serde_json::json!(["Jill Serjeant"]));
    assert!(
        d["text"]
            .as_str()
            .unwrap()
            .starts_with("LOS ANGELES (Reuters) - South Korean thriller"),
        "{}",
        d["text"]
    );
    assert!(!attributions(d).is_empty(), "{}", summarize(d));
    // one error, naming the file and the record's byte offset; the rest read
    // (what the member holds: half the block, and the blank line after it)
    let block = http_response(
        "text/html; charset=utf-8",
        &std::fs::read(html_fixture(DW)).unwrap(),
    )
    .len();
    assert_eq!(
        one_line(&r, &format!("{w}: ")),
        format!(
            "onrecord: {w}: record at byte {}: invalid WARC record: cut short: {} of its {block} bytes",
            at[4],
            block / 2 + 4
        )
    );
    assert_eq!(one_line(&r, "skipped"), format!("onrecord: {WARC_SKIPS}"));
    assert_eq!(r.stderr_lines().len(), 2, "{}", r.describe());

    // ingest: the same error, the skips in the summary, exit 2
    let db = tmp.path().join("record.db");
    let r = run_args(&[&"ingest", &"--db", &db, &warc]);
    assert_eq!(r.code, Some(2), "{}", r.describe());
    one_line(&r, &format!("{w}: record at byte {}: ", at[4]));
    let summary = one_line(&r, "2 articles");
    assert!(
        summary.contains("2 articles (2 new, 0 updated, 0 unchanged)")
            && summary.contains(", 1 errors")
            && summary.contains(WARC_SKIPS),
        "{summary}"
    );
    let errors = query(&db, &["errors"]);
    let errors = errors.as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0]["path"], format!("{w}@{}", at[4]));
    assert!(errors[0]["message"]
        .as_str()
        .unwrap()
        .starts_with("invalid WARC record: cut short"));
    let before = db_state(&db);
    assert_eq!(before.0.articles, 2);
    assert!(before.0.attributions > 0, "{:?}", before.0);

    // again: nothing changes
    let r = run_args(&[&"ingest", &"--db", &db, &warc]);
    assert_eq!(r.code, Some(2), "{}", r.describe());
    assert!(
        one_line(&r, "2 articles")
            .contains("2 articles (0 new, 0 updated, 2 unchanged), 0 attributions written"),
        "{}",
        r.describe()
    );
    assert_eq!(db_state(&db), before);
    assert_eq!(query(&db, &["errors"]).as_array().unwrap().len(), 1);
}

#[test]
fn warc_gz_on_stdin() {
    let reuters = std::fs::read(html_fixture(REUTERS)).unwrap();
    let mut bytes = gz(&warc_record(
        "request",
        REUTERS_URL,
        "5e0b6a2c-0000-4000-8000-000000000001",
        "application/http; msgtype=request",
        b"GET / HTTP/1.1\r\n\r\n",
        None,
    ));
    let at = bytes.len();
    bytes.extend(gz(&response_record(
        REUTERS_URL,
        ID_REUTERS,
        "text/html",
        &reuters,
    )));
    let r = run_stdin(&["read", "-"], &bytes);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    let docs = r.docs();
    assert_eq!(ids(&docs), [ID_REUTERS]);
    assert_eq!(docs[0]["format"], "warc");
    assert_eq!(docs[0]["url"], REUTERS_URL);
    // offsets on stdin count the decoded stream: the request record is 1st
    let path = docs[0]["path"].as_str().unwrap();
    assert!(
        path.starts_with("-@") && path != format!("-@{at}"),
        "{path}"
    );
    assert_eq!(
        r.stderr,
        "onrecord: skipped 1 WARC record (1 request record)\n"
    );
}

// ---------------------------------------------------------------- offsets

/// `[start, end]` as code points, checked to lie inside `chars`.
fn span_text(chars: &[char], v: &Value, what: &str) -> String {
    let pair = v
        .as_array()
        .filter(|a| a.len() == 2)
        .unwrap_or_else(|| panic!("{what}: not a [start, end] pair: {v}"));
    let (a, b) = (
        pair[0].as_u64().unwrap() as usize,
        pair[1].as_u64().unwrap() as usize,
    );
    assert!(
        a < b && b <= chars.len(),
        "{what}: [{a}, {b}] is not inside the text ({} code points)",
        chars.len()
    );
    chars[a..b].iter().collect()
}

/// Every span of an `extract` document checked against its `text` field:
/// attribution roles reproduce `text.*`, entity mentions and roles, dates,
/// events (mentions, participants, places, duration, formats), dateline
/// and diagnostics lie in the text and say what they claim. Returns how
/// many spans were checked and how many start where the byte offset
/// would differ.
fn check_offsets(doc: &Value) -> (usize, usize) {
    let id = doc["doc"].as_str().unwrap_or("?");
    let text = doc["text"]
        .as_str()
        .unwrap_or_else(|| panic!("{id}: a web page carries its `text`"));
    let chars: Vec<char> = text.chars().collect();
    let mut checked = 0;
    let mut shifted = 0;
    let mut see = |v: &Value, what: &str| -> String {
        let t = span_text(&chars, v, &format!("{id}: {what}"));
        let start = v[0].as_u64().unwrap() as usize;
        checked += 1;
        let bytes: usize = chars[..start].iter().map(|c| c.len_utf8()).sum();
        shifted += usize::from(bytes != start);
        t
    };
    for (i, a) in attributions(doc).iter().enumerate() {
        for role in ["source", "cue", "content"] {
            let parts: Vec<String> = a[role]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| see(p, &format!("attribution {i} {role}")))
                .collect();
            assert_eq!(
                parts.join(" … "),
                str_of(a, &["text", role]),
                "{id}: attribution {i}: {role} spans"
            );
        }
        if a["date"]["from"] == "text" {
            see(&a["date"]["span"], &format!("attribution {i} date"));
        }
    }
    for e in doc["entities"].as_array().unwrap() {
        let eid = str_of(e, &["id"]);
        for m in e["mentions"].as_array().unwrap() {
            let t = see(m, &format!("entity {eid} mention"));
            assert!(!t.trim().is_empty(), "{id}: entity {eid}: blank mention");
        }
        for r in e["roles"].as_array().unwrap() {
            let t = see(&r["span"], &format!("entity {eid} role"));
            let title = str_of(r, &["title"]);
            let stem = title.trim_end_matches('y');
            assert!(
                t == title || (t.starts_with(stem) && t.ends_with('s')),
                "{id}: entity {eid}: role span {t:?} vs title {title:?}"
            );
        }
    }
    for d in doc["dates"].as_array().unwrap() {
        see(&d["span"], "date");
    }
    for ev in doc["events"].as_array().unwrap() {
        for m in ev["mentions"].as_array().unwrap() {
            see(m, "event mention");
        }
        for p in ev["participants"]
            .as_array()
            .unwrap()
            .iter()
            .chain(ev["places"].as_array().unwrap())
        {
            see(&p["span"], "event participant or place");
        }
        if !ev["duration"].is_null() {
            let t = see(&ev["duration"]["span"], "event duration");
            assert_eq!(t, str_of(ev, &["duration", "text"]));
        }
        for f in ev["formats"].as_array().unwrap() {
            let t = see(&f["span"], "event format");
            assert_eq!(t, str_of(f, &["text"]));
        }
        if ev["date"]["from"] == "text" {
            see(&ev["date"]["span"], "event date");
        }
    }
    if !doc["dateline"].is_null() {
        let t = see(&doc["dateline"]["span"], "dateline");
        assert!(t.contains(str_of(&doc["dateline"], &["place"])), "{t}");
    }
    for d in doc["diagnostics"].as_array().unwrap() {
        if !d["span"].is_null() {
            let [a, b] = [0, 1].map(|i| d["span"][i].as_u64().unwrap() as usize);
            assert!(a <= b && b <= chars.len(), "{id}: diagnostic span");
        }
    }
    (checked, shifted)
}

#[test]
fn extract_offsets_of_web_pages_are_code_points_into_their_text() {
    let tmp = tempfile::tempdir().unwrap();
    let (bytes, _) = crawl_warc();
    let warc = write(tmp.path(), "crawl.warc.gz", &bytes);
    let r = run_args(&[
        &"extract",
        &html_fixture(REUTERS),
        &html_fixture(DW),
        &html_fixture("scmp.com.playbook.html"),
        &warc,
    ]);
    assert_eq!(
        r.code,
        Some(2),
        "the WARC holds a cut record\n{}",
        r.describe()
    );
    let docs = r.docs();
    assert_eq!(docs.len(), 5, "{}", r.describe());
    let mut shifted = 0;
    for d in &docs {
        let (checked, moved) = check_offsets(d);
        assert!(
            checked > 20
                && !attributions(d).is_empty()
                && !d["entities"].as_array().unwrap().is_empty(),
            "{}: only {checked} spans\n{}",
            d["doc"],
            summarize(d)
        );
        shifted += moved;
    }
    assert!(
        shifted > 0,
        "the pages should have non-ASCII text before some spans (curly quotes), so code points differ from bytes"
    );
    // the same page as a file and as a WARC record: the same text and statements
    assert_eq!(docs[0]["text"], docs[3]["text"]);
    assert_eq!(docs[0]["attributions"], docs[3]["attributions"]);
}

#[test]
fn read_gives_a_page_text_without_markup_and_body_in_code_points() {
    let r = run_args(&[&"read", &html_fixture(REUTERS), &html_fixture(DW)]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    assert_eq!(r.stderr, "");
    let docs = r.docs();
    assert_eq!(ids(&docs), ["reuters.com.parasite", "dw.com.colonial"]);
    for d in &docs {
        let text = d["text"].as_str().unwrap();
        assert_eq!(d["format"], "html");
        assert_eq!(d["language"], "en");
        // no markup, no entities left, no script
        for bad in [
            "<p",
            "</",
            "<div",
            "<a ",
            "<br",
            "&amp;",
            "&quot;",
            "&#",
            "&nbsp;",
            "function(",
            "{\"",
        ] {
            assert!(!text.contains(bad), "{}: text holds {bad:?}", d["doc"]);
        }
        assert!(!text.contains("\n\n\n") && !text.starts_with(char::is_whitespace));
        // body: code points into text, covering the prose
        let n = text.chars().count();
        assert!(n < text.len(), "the page text has non-ASCII characters");
        let body = d["body"].as_array().unwrap();
        assert!(!body.is_empty());
        let mut last = 0;
        for b in body {
            let (a, e) = (
                b[0].as_u64().unwrap() as usize,
                b[1].as_u64().unwrap() as usize,
            );
            assert!(
                last <= a && a < e && e <= n,
                "{}: body {b} of {n}",
                d["doc"]
            );
            last = e;
        }
        assert_eq!(last, n, "{}: the body ends where the text does", d["doc"]);
    }
    let d = &docs[0];
    assert_eq!(d["url"], REUTERS_URL);
    assert_eq!(d["date"], "2020-01-19");
    assert_eq!(d["modified"], "2020-01-20");
    assert_eq!(d["authors"], serde_json::json!(["Jill Serjeant"]));
    let text = d["text"].as_str().unwrap();
    assert!(text.starts_with(
        "LOS ANGELES (Reuters) - South Korean thriller “Parasite” was the upset winner"
    ));
    assert!(text.ends_with("Editing by Marguerita Choy, Nick Zieminski and Simon Cameron-Moore"));
    assert!(text.contains("\n\nDISAPPOINTING NIGHT FOR ‘IRISHMAN’\n\n"));
}

// ---------------------------------------------------------------- formats

#[test]
fn gzip_and_zstd_files_are_told_by_their_magic_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let lines = "{\"id\": \"g1\", \"date\": \"2024-03-05\", \"outlet\": \"Example\", \
                 \"text\": \"The minister said on Tuesday that the talks would resume.\"}\n\
                 {\"id\": \"g2\", \"text\": \"\\\"We are ready,\\\" she told reporters.\"}\n";
    let jsonl_gz = write(tmp.path(), "a.jsonl.gz", gz(lines.as_bytes()));
    // gzip under a name that does not say so
    let disguised = write(
        tmp.path(),
        "b.jsonl",
        gz(b"{\"id\": \"g3\", \"text\": \"Hidden gzip, the clerk said.\"}\n"),
    );
    let zst = write(
        tmp.path(),
        "c.txt.zst",
        zstd::encode_all(
            &b"Zstd headline\n\nThe governor said the plan would fail, aides said.\n"[..],
            3,
        )
        .unwrap(),
    );
    let r = run_args(&[&"extract", &jsonl_gz, &disguised, &zst]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    assert_eq!(r.stderr, "");
    let docs = r.docs();
    assert_eq!(ids(&docs), ["g1", "g2", "g3", "c"]);
    assert_eq!(docs[0]["path"], format!("{}:1", s(&jsonl_gz)));
    assert_eq!(docs[1]["path"], format!("{}:2", s(&jsonl_gz)));
    assert_eq!(docs[0]["date"], "2024-03-05");
    assert_eq!(docs[0]["outlet"], "Example");
    assert_eq!(docs[2]["path"], format!("{}:1", s(&disguised)));
    assert_eq!(docs[3]["title"], "Zstd headline");
    for d in &docs {
        assert!(!attributions(d).is_empty(), "{}", summarize(d));
    }
    // `read` says which format each was
    let r = run_args(&[&"read", &jsonl_gz, &zst]);
    let formats: Vec<Value> = r.docs().iter().map(|d| d["format"].clone()).collect();
    assert_eq!(formats, ["jsonl", "jsonl", "text"]);
}

#[test]
fn csv_with_quoted_newlines_and_a_text_column() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = write(
        tmp.path(),
        "stories.csv",
        "id,headline,story,published,source\n\
         c1,\"Talks, again\",\"The minister said on Tuesday that the talks would resume.\n\n\
         \"\"We are ready,\"\" she told reporters.\",2024-03-05,Example Wire\n\
         c2,Second,\"Another story, with a comma, the clerk said.\",2024-03-06,Example Wire\n",
    );
    // the text is in no column of the default names
    let r = run_args(&[&"extract", &csv]);
    assert_eq!(r.code, Some(2), "{}", r.describe());
    assert_eq!(r.stdout, "");
    let l = one_line(&r, &format!("{}: ", s(&csv)));
    assert!(l.contains("no text column") && l.contains("story"), "{l}");

    let r = run_args(&[&"extract", &"--text-column", &"story", &csv]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    let docs = r.docs();
    assert_eq!(ids(&docs), ["c1", "c2"]);
    // a record's path names the line it starts on (c1 spans three)
    assert_eq!(docs[0]["path"], format!("{}:2", s(&csv)));
    assert_eq!(docs[1]["path"], format!("{}:5", s(&csv)));
    assert_eq!(docs[0]["title"], "Talks, again");
    assert_eq!(docs[0]["date"], "2024-03-05");
    assert_eq!(docs[0]["outlet"], "Example Wire");
    let direct: Vec<&str> = attributions(&docs[0])
        .iter()
        .map(|a| str_of(a, &["text", "content"]))
        .collect();
    assert!(
        direct.contains(&"\"We are ready,\""),
        "{}",
        summarize(&docs[0])
    );
    let r = run_args(&[&"read", &"--text-column", &"story", &csv]);
    assert_eq!(
        r.docs()[0]["text"],
        "The minister said on Tuesday that the talks would resume.\n\n\"We are ready,\" she told reporters."
    );
}

#[test]
fn news_please_json_file() {
    let tmp = tempfile::tempdir().unwrap();
    let np = write(
        tmp.path(),
        "mayor.json",
        serde_json::json!({
            "authors": ["Jane Roe"],
            "date_download": "2021-06-08 01:00:00",
            "date_modify": null,
            "date_publish": "2021-06-07 10:00:00",
            "description": "The mayor vowed to fight on.",
            "filename": "https%3A%2F%2Fexample.org%2Fmayor.json",
            "image_url": null,
            "language": "en",
            "localpath": null,
            "maintext": "\"We will not give up,\" the mayor told reporters on Monday.",
            "source_domain": "example.org",
            "text": null,
            "title": "Mayor vows to fight on",
            "title_page": null,
            "title_rss": null,
            "url": "https://example.org/mayor"
        })
        .to_string(),
    );
    let doc = extract_one(&np);
    assert_eq!(doc["doc"], "mayor");
    assert_eq!(doc["date"], "2021-06-07");
    assert_eq!(doc["title"], "Mayor vows to fight on");
    assert_eq!(doc["outlet"], "example.org");
    assert_eq!(doc["url"], "https://example.org/mayor");
    assert_eq!(doc["authors"], serde_json::json!(["Jane Roe"]));
    assert_eq!(doc["language"], "en");
    let a = attributions(&doc);
    assert_eq!(a.len(), 1, "{}", summarize(&doc));
    assert_eq!(
        str_of(&a[0], &["text", "content"]),
        "\"We will not give up,\""
    );
}

#[test]
fn polnear_layout_metadata_one_folder_up_gives_dates_and_outlets() {
    let tmp = tempfile::tempdir().unwrap();
    let dev = tmp.path().join("dev");
    write(
        &dev,
        "metadata.tsv",
        "compartment\tfilename\tlevel\tpublisher\tpublication_date\tauthor\ttitle\n\
         dev\tnyt_2016-09-08_senate-vote\t3\tnyt\t2016-09-09\tJane Doe and John Roe\tSenate Vote Delayed\n\
         dev\tbreitbart_2016-10-02_rally\t2\tbreitbart\t2016-10-02\tBreitbart News\tRally\n",
    );
    write(
        &dev,
        "text/nyt_2016-09-08_senate-vote.txt",
        "Senate Vote Delayed\n\nThe senator said on Thursday that he would vote no.\n",
    );
    write(
        &dev,
        "text/breitbart_2016-10-02_rally.txt",
        "Rally\n\nThe candidate told supporters that the polls were wrong.\n",
    );
    // no row: the date in its name, no outlet
    write(
        &dev,
        "text/wp_2016-10-11_debate.txt",
        "Debate\n\nThe moderator said the rules were clear.\n",
    );
    // neither
    write(&dev, "text/notes.txt", "Notes\n\nThe clerk said nothing.\n");
    let r = run_args(&[&"extract", &dev.join("text")]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    assert_eq!(
        r.stderr, "",
        "metadata.tsv is read, not skipped or reported"
    );
    let docs = r.docs();
    let got: Vec<(String, Value, Value, Value)> = docs
        .iter()
        .map(|d| {
            (
                d["doc"].as_str().unwrap().to_string(),
                d["date"].clone(),
                d["outlet"].clone(),
                d["title"].clone(),
            )
        })
        .collect();
    let j = |v: &str| Value::String(v.into());
    assert_eq!(
        got,
        [
            (
                "breitbart_2016-10-02_rally".into(),
                j("2016-10-02"),
                j("breitbart"),
                j("Rally")
            ),
            ("notes".into(), Value::Null, Value::Null, j("Notes")),
            // the metadata file wins over the name's date
            (
                "nyt_2016-09-08_senate-vote".into(),
                j("2016-09-09"),
                j("nyt"),
                j("Senate Vote Delayed")
            ),
            (
                "wp_2016-10-11_debate".into(),
                j("2016-10-11"),
                Value::Null,
                j("Debate")
            ),
        ]
    );
    assert_eq!(
        docs[2]["authors"],
        serde_json::json!(["Jane Doe", "John Roe"])
    );
    // a statement with no date in its sentence takes the article's date
    let a = attributions(&docs[2]);
    assert!(!a.is_empty(), "{}", summarize(&docs[2]));
}

#[test]
fn a_walk_counts_the_files_it_passes_over_and_a_named_file_is_never_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("media");
    let pdf = write(&dir, "a_report.pdf", b"%PDF-1.4\n\0\x01\x02 binary\n");
    write(&dir, "b_photo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    write(&dir, "c_chart.PNG", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    write(
        &dir,
        "d_story.txt",
        "Story\n\nThe spokesman said the office was closed.\n",
    );
    let r = run_args(&[&"extract", &dir]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    assert_eq!(ids(&r.docs()), ["d_story"]);
    assert_eq!(r.stderr, "onrecord: skipped 3 files (1 .pdf, 2 .png)\n");

    let db = tmp.path().join("r.db");
    let r = run_args(&[&"ingest", &"--db", &db, &dir]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    let summary = one_line(&r, "1 articles");
    assert!(
        summary.contains(", skipped 3 files (1 .pdf, 2 .png)"),
        "{summary}"
    );

    // named on the command line, the PDF is read (and is not text)
    let r = run_args(&[&"extract", &pdf]);
    assert_eq!(r.code, Some(2), "{}", r.describe());
    assert_eq!(
        r.stderr,
        format!("onrecord: {}: binary file, not text\n", s(&pdf))
    );
}

// ---------------------------------------------------------------- languages

#[test]
fn german_and_french_articles_are_stored_searchable_without_statements() {
    let tmp = tempfile::tempdir().unwrap();
    let de = input_fixture("de.bundestag.html");
    let fr = input_fixture("fr.assemblee.html");
    let en = example(SEED_004);

    let r = run_args(&[&"extract", &de, &fr, &en]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    assert_eq!(
        r.stderr,
        "onrecord: 2 in unsupported languages (de 1, fr 1), not extracted (see each document's diagnostics)\n"
    );
    let docs = r.docs();
    assert_eq!(
        ids(&docs),
        ["de.bundestag", "fr.assemblee", "004_ada9b50bf52b2923"]
    );
    for (d, lang) in docs.iter().zip(["de", "fr"]) {
        assert_eq!(d["language"], lang);
        assert_eq!(d["skipped"], format!("unsupported language: {lang}"));
        assert_eq!(
            d["diagnostics"],
            serde_json::json!([{"span": null, "message": format!("unsupported language: {lang}: not extracted (the models are English)")}])
        );
        for empty in ["attributions", "entities", "events", "dates"] {
            assert_eq!(d[empty], serde_json::json!([]), "{}: {empty}", d["doc"]);
        }
    }
    assert_eq!(docs[0]["date"], "2024-11-06");
    assert_eq!(docs[0]["outlet"], "Beispielzeitung");
    assert_eq!(
        docs[1]["title"],
        "L'Assemblée adopte la réforme des retraites agricoles"
    );
    assert_eq!(docs[2]["language"], "en");
    assert!(!attributions(&docs[2]).is_empty());

    let db = tmp.path().join("r.db");
    let r = run_args(&[&"ingest", &"--db", &db, &de, &fr, &en]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    let summary = one_line(&r, "3 articles");
    assert!(
        summary.contains("3 articles (3 new, 0 updated, 0 unchanged)")
            && summary.contains(
                ", 0 errors, 2 in unsupported languages (de 1, fr 1), stored without statements"
            ),
        "{summary}"
    );
    assert_eq!(
        r.stderr.matches("unsupported language").count(),
        1,
        "{}",
        r.describe()
    );
    // stored and searchable by a German word; no statements from it
    let found = query(&db, &["search", "Schuldenbremse"]);
    assert_eq!(found["statements"], serde_json::json!([]));
    let arts = found["articles"].as_array().unwrap();
    assert_eq!(arts.len(), 1, "{found:#}");
    assert_eq!(arts[0]["article"], "de.bundestag");
    assert!(arts[0]["snippet"]
        .as_str()
        .unwrap()
        .contains("Schuldenbremse"));
    let found = query(&db, &["search", "agriculteurs"]);
    assert_eq!(found["articles"][0]["article"], "fr.assemblee");
    let quotes = query(&db, &["quotes", "--limit", "0"]);
    assert!(
        quotes
            .as_array()
            .unwrap()
            .iter()
            .all(|q| q["article"] == "004_ada9b50bf52b2923"),
        "{quotes:#}"
    );
    // `errors` lists each, once
    let errors = query(&db, &["errors"]);
    let msgs: Vec<(&str, &str)> = errors
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["path"].as_str().unwrap(), e["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        msgs,
        [
            (
                s(&de).as_str(),
                "unsupported language: de (stored without statements)"
            ),
            (
                s(&fr).as_str(),
                "unsupported language: fr (stored without statements)"
            ),
        ]
    );
    // `show` and the articles export carry the language and the note
    let shown = query(&db, &["show", "de.bundestag"]);
    assert_eq!(shown["language"], "de", "{shown:#}");
    assert_eq!(shown["note"], "unsupported language: de");
    assert_eq!(shown["attributions"], serde_json::json!([]));
    let en_shown = query(&db, &["show", "004_ada9b50bf52b2923"]);
    assert_eq!(en_shown["language"], "en");
    assert_eq!(en_shown["note"], serde_json::Value::Null);
    let r = run_args(&[
        &"export",
        &"--db",
        &db,
        &"--format",
        &"jsonl",
        &"--table",
        &"articles",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    let rows: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let by_doc = |d: &str| rows.iter().find(|a| a["doc"] == d).unwrap();
    assert_eq!(by_doc("fr.assemblee")["note"], "unsupported language: fr");
    assert_eq!(by_doc("fr.assemblee")["language"], "fr");
    assert_eq!(by_doc("fr.assemblee")["statements"], 0);
    assert_eq!(by_doc("004_ada9b50bf52b2923")["format"], "text");
}

// ---------------------------------------------------------------- bad input

#[test]
fn bad_web_inputs_give_one_error_each_and_the_rest_is_extracted() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("web");
    let para =
        "<p>The minister said on Tuesday that the talks would go on next week in Geneva.</p>\n";
    let mut big = String::from("<html><head><title>Big</title></head><body><article>");
    while big.len() < 50 * 1024 * 1024 {
        big.push_str(para);
    }
    big.push_str("</article></body></html>");
    let big = write(&dir, "a_big.html", big);
    let no_body = write(
        &dir,
        "b_no_body.html",
        "<!doctype html><html><head><meta charset=utf-8><title>Only a head</title></head></html>",
    );
    let no_text = write(
        &dir,
        "c_no_text.html",
        "<!doctype html><html><head><title>Menu</title></head><body><nav><a href=/>Home</a> \
         <a href=/news>News</a></nav><script>var x = 1;</script></body></html>",
    );
    write(
        &dir,
        "d_nested.html",
        format!(
            "<html><head><title>Deep</title></head><body>{}<p>\"We will keep going,\" the mayor told \
             reporters on Monday after the vote in the city council.</p>{}</body></html>",
            "<div>".repeat(10_000),
            "</div>".repeat(10_000)
        ),
    );
    let dw = std::fs::read_to_string(html_fixture(DW)).unwrap();
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(dw.encode_utf16().flat_map(u16::to_le_bytes));
    write(&dir, "e_utf16.html", utf16);
    let mut binary = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0".to_vec();
    let mut x = 0x2545_f491_u32;
    for _ in 0..20_000 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        binary.push(x as u8);
    }
    let binary = write(&dir, "f_binary.html", binary);
    let (warc, at) = crawl_warc();
    // the file ends inside the Reuters page's member
    let cut = write(&dir, "g_cut.warc.gz", &warc[..at[2] + (at[3] - at[2]) / 2]);
    write(
        &dir,
        "h_good.txt",
        std::fs::read(fixture("good.txt")).unwrap(),
    );

    let r = run_args(&[&"extract", &dir]);
    assert_eq!(r.code, Some(2), "{}", r.describe());
    let docs = r.docs();
    assert_eq!(
        ids(&docs),
        ["d_nested", "e_utf16", "h_good"],
        "{}",
        r.describe()
    );
    for (path, msg) in [
        (&big, "page too large: "),
        (&no_body, "the page has no body"),
        (&no_text, "no article text found in the page"),
        (&binary, "binary file, not text"),
    ] {
        let l = one_line(&r, &format!("{}: ", s(path)));
        assert!(l.contains(msg), "{l}");
    }
    let l = one_line(&r, &format!("{}: ", s(&cut)));
    assert_eq!(
        l,
        format!(
            "onrecord: {}: record at byte {}: invalid WARC record: gzip member is corrupt or cut short (incomplete deflate stream)",
            s(&cut),
            at[2]
        )
    );
    // five errors, and the note of the records the cut WARC passed over
    assert_eq!(r.stderr_lines().len(), 6, "{}", r.describe());
    one_line(
        &r,
        "skipped 2 WARC records (1 request record, 1 warcinfo record)",
    );

    // deep nesting reads; UTF-16 decodes to the same page as UTF-8
    assert_eq!(
        docs[0]["text"],
        "\"We will keep going,\" the mayor told reporters on Monday after the vote in the city council."
    );
    assert_eq!(attributions(&docs[0]).len(), 1, "{}", summarize(&docs[0]));
    let utf8 = extract_one(&html_fixture(DW));
    assert_eq!(docs[1]["text"], utf8["text"]);
    assert_eq!(docs[1]["title"], utf8["title"]);
    assert_eq!(docs[1]["attributions"], utf8["attributions"]);
    assert!(!attributions(&docs[1]).is_empty());
}
