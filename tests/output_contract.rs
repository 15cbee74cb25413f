//! The output contract of `onrecord extract` (docs/output.md), checked as
//! properties that hold whatever the model finds: span pairs are code-point
//! ranges of the input text that reproduce the `text.*` strings, kinds and
//! confidences are in range, metadata is what ingest reads.

mod common;

use common::*;
use serde_json::Value;

const FIELDS: [&str; 14] = [
    "doc",
    "path",
    "date",
    "title",
    "outlet",
    "url",
    "authors",
    "editor",
    "dateline",
    "attributions",
    "entities",
    "events",
    "dates",
    "diagnostics",
];

/// Fields present only when they carry something: the detected language,
/// web pages' dates and description, the extracted text of a web page, and
/// why a document was not extracted.
const OPTIONAL: [&str; 6] = [
    "language",
    "modified",
    "crawled",
    "description",
    "text",
    "skipped",
];

/// The text that offsets refer to: the whole file, or a JSONL record's `text`.
fn input_texts(path: &std::path::Path) -> Vec<String> {
    let raw = std::fs::read_to_string(path).unwrap();
    if path.extension().is_some_and(|e| e == "jsonl") {
        raw.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                serde_json::from_str::<Value>(l).unwrap()["text"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    } else {
        vec![raw]
    }
}

fn pair(v: &Value, what: &str) -> [usize; 2] {
    let a = v
        .as_array()
        .unwrap_or_else(|| panic!("{what}: not an array: {v}"));
    assert_eq!(a.len(), 2, "{what}: not a [start, end] pair: {v}");
    let n = |x: &Value| {
        x.as_u64()
            .unwrap_or_else(|| panic!("{what}: not an offset: {v}")) as usize
    };
    [n(&a[0]), n(&a[1])]
}

/// Checks every property of one output document against its input text.
fn check_doc(doc: &Value, text: &str) {
    let id = doc["doc"].as_str().unwrap_or("?");
    let obj = doc
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {doc}"));
    let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    let mut want = FIELDS.to_vec();
    want.sort();
    let mut got: Vec<&str> = keys
        .iter()
        .copied()
        .filter(|k| !OPTIONAL.contains(k))
        .collect();
    got.sort();
    assert_eq!(got, want, "{id}: top-level fields");
    for f in OPTIONAL {
        assert!(
            doc.get(f).is_none_or(Value::is_string),
            "{id}: {f}, when present, is a string"
        );
    }
    assert!(doc["doc"].is_string() && doc["path"].is_string());
    for f in ["date", "title", "outlet", "url", "editor"] {
        assert!(
            doc[f].is_null() || doc[f].is_string(),
            "{id}: {f} must be a string or null"
        );
    }
    assert!(
        doc["authors"]
            .as_array()
            .unwrap()
            .iter()
            .all(Value::is_string),
        "{id}: authors"
    );

    let chars: Vec<char> = text.chars().collect();
    let slice = |[s, e]: [usize; 2], what: &str| -> String {
        assert!(s < e, "{id}: {what}: empty or reversed span [{s},{e}]");
        assert!(
            e <= chars.len(),
            "{id}: {what}: [{s},{e}] past the end of the text ({} code points)",
            chars.len()
        );
        chars[s..e].iter().collect()
    };

    if !doc["dateline"].is_null() {
        let dl = &doc["dateline"];
        let span = slice(pair(&dl["span"], "dateline.span"), "dateline.span");
        let place = dl["place"].as_str().expect("dateline.place");
        assert!(
            span.contains(place),
            "{id}: dateline span {span:?} does not hold the place {place:?}"
        );
    }

    for (i, a) in attributions(doc).iter().enumerate() {
        let what = format!("attribution {}", i + 1);
        let kind = a["kind"].as_str().unwrap_or("");
        assert!(
            ["direct", "mixed", "indirect"].contains(&kind),
            "{id}: {what}: kind {:?}",
            a["kind"]
        );
        let c = a["confidence"].as_f64().unwrap_or(f64::NAN);
        assert!(
            (0.0..=1.0).contains(&c),
            "{id}: {what}: confidence {c} not in [0,1]"
        );
        assert!(
            !a["content"].as_array().unwrap().is_empty(),
            "{id}: {what}: no content span"
        );
        for role in ["source", "cue", "content"] {
            let spans = a[role]
                .as_array()
                .unwrap_or_else(|| panic!("{id}: {what}: {role} is not an array"));
            let mut last_end = 0;
            let parts: Vec<String> = spans
                .iter()
                .map(|p| {
                    let p = pair(p, &format!("{what}.{role}"));
                    assert!(
                        p[0] >= last_end,
                        "{id}: {what}.{role}: spans overlap or are out of order"
                    );
                    last_end = p[1];
                    slice(p, &format!("{what}.{role}"))
                })
                .collect();
            let joined = parts.join(" … ");
            assert_eq!(
                joined,
                str_of(a, &["text", role]),
                "{id}: {what}: the {role} spans {} do not reproduce text.{role}",
                a[role]
            );
        }
        match &a["speaker"] {
            Value::Null => {}
            sp => {
                assert!(
                    !str_of(sp, &["text"]).is_empty(),
                    "{id}: {what}: empty speaker.text"
                );
                assert!(
                    !str_of(sp, &["name"]).is_empty(),
                    "{id}: {what}: empty speaker.name"
                );
                assert!(
                    !a["source"].as_array().unwrap().is_empty(),
                    "{id}: {what}: a speaker without a source span"
                );
                let ty = str_of(sp, &["type"]);
                assert!(
                    ["person", "org", "place", "group", "document", "unknown"].contains(&ty),
                    "{id}: {what}: speaker.type {ty:?}"
                );
                if let Some(e) = sp["entity"].as_str() {
                    assert!(
                        doc["entities"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .any(|x| x["id"] == e),
                        "{id}: {what}: speaker.entity {e} is not among the document's entities"
                    );
                }
            }
        }
    }
    for d in doc["dates"].as_array().expect("dates") {
        slice(pair(&d["span"], "date span"), "date span");
        let v = str_of(d, &["value"]);
        assert!(
            v.len() >= 4 && v[..4].chars().all(|c| c.is_ascii_digit()),
            "{id}: date value {v:?}"
        );
        assert!(["day", "week", "month", "year"].contains(&str_of(d, &["granularity"])));
    }
    for a in attributions(doc) {
        assert!(
            ["affirms", "hopes", "doubts", "denies", "neutral"].contains(&str_of(a, &["stance"])),
            "{id}: stance {}",
            a["stance"]
        );
        assert!(
            a["about"].is_null() || a["about"].as_str().is_some_and(|t| t.starts_with('t')),
            "{id}: about {}",
            a["about"]
        );
        assert!(a["subject"]
            .as_array()
            .is_some_and(|s| s.len() <= 8 && s.iter().all(Value::is_string)));
        match a["date"]["from"].as_str() {
            Some("text") => {
                slice(
                    pair(&a["date"]["span"], "attribution date span"),
                    "attribution date span",
                );
            }
            Some("published") => assert_eq!(a["date"]["value"], doc["date"], "{id}: {a}"),
            _ => assert!(
                a["date"].is_null() && doc["date"].is_null(),
                "{id}: date {}",
                a["date"]
            ),
        }
    }
    for ev in doc["events"].as_array().expect("events") {
        assert!(str_of(ev, &["id"]).starts_with("ev:"), "{id}: event id");
        assert!(["meeting", "call", "visit", "signing"].contains(&str_of(ev, &["type"])));
        for m in ev["mentions"].as_array().unwrap() {
            slice(pair(m, "event mention"), "event mention");
        }
        for p in ev["participants"]
            .as_array()
            .unwrap()
            .iter()
            .chain(ev["places"].as_array().unwrap())
        {
            let name = slice(
                pair(&p["span"], "event participant/place"),
                "event participant/place",
            );
            assert!(!name.trim().is_empty(), "{id}: empty participant span");
        }
        if !ev["duration"].is_null() {
            assert_eq!(
                slice(pair(&ev["duration"]["span"], "duration"), "duration"),
                str_of(ev, &["duration", "text"])
            );
        }
    }
    let mut ids = std::collections::HashSet::new();
    for e in doc["entities"].as_array().expect("entities") {
        let eid = str_of(e, &["id"]);
        assert!(
            ids.insert(eid.to_string()),
            "{id}: entity id {eid} listed twice"
        );
        assert!(
            ["PERSON", "ORG", "LOC", "MISC"].contains(&str_of(e, &["type"])),
            "{id}: entity {eid}: type"
        );
        assert!(
            !str_of(e, &["name"]).is_empty(),
            "{id}: entity {eid}: empty name"
        );
        assert!(e["aliases"]
            .as_array()
            .is_some_and(|a| a.iter().all(Value::is_string)));
        let ms = e["mentions"].as_array().expect("mentions");
        assert!(!ms.is_empty(), "{id}: entity {eid} has no mention");
        for m in ms {
            slice(pair(m, "entity mention"), &format!("entity {eid} mention"));
        }
        for r in e["roles"].as_array().expect("roles") {
            // the span is the evidence as written; a plural title
            // ("Presidents Putin and Trump") is made singular
            let t = slice(pair(&r["span"], "role span"), "role span");
            let title = str_of(r, &["title"]);
            let stem = title.trim_end_matches('y');
            assert!(
                t == title || (t.starts_with(stem) && t.ends_with('s')),
                "{id}: entity {eid}: role span {t:?} vs title {title:?}"
            );
        }
    }
    for d in doc["diagnostics"].as_array().expect("diagnostics") {
        assert!(d["message"].is_string());
        if !d["span"].is_null() {
            let [s, e] = pair(&d["span"], "diagnostic span");
            assert!(
                s <= e && e <= chars.len(),
                "{id}: diagnostic span [{s},{e}]"
            );
        }
    }
}

#[test]
fn seed_000_contract_and_metadata() {
    let path = example(SEED_000);
    let doc = extract_one(&path);
    check_doc(&doc, &input_texts(&path)[0]);
    assert_eq!(doc["doc"], "000_e8348c9c7b4e2da3");
    assert_eq!(doc["path"], path.to_str().unwrap());
    assert_eq!(doc["date"], "2025-11-12");
    assert_eq!(
        doc["title"],
        "Moscow Confirms U.S. Still Committed to Alaska Summit Accords on Ukraine"
    );
    assert_eq!(doc["authors"], serde_json::json!(["Pavel Morozov"]));
    assert_eq!(doc["editor"], "Dmitry Sudakov");
    assert_eq!(doc["url"], Value::Null);
    assert!(!attributions(&doc).is_empty(), "{}", summarize(&doc));
}

#[test]
fn seed_004_contract_and_metadata() {
    let path = example(SEED_004);
    let doc = extract_one(&path);
    check_doc(&doc, &input_texts(&path)[0]);
    assert_eq!(doc["doc"], "004_ada9b50bf52b2923");
    assert_eq!(doc["date"], "2026-02-11");
    assert_eq!(doc["outlet"], "TASS");
    assert_eq!(doc["authors"], serde_json::json!([]));
    let dl = &doc["dateline"];
    assert_eq!(dl["place"], "MOSCOW");
    assert_eq!(dl["date_text"], "February 11");
    assert_eq!(dl["outlet"], "TASS");
    assert!(!attributions(&doc).is_empty(), "{}", summarize(&doc));
}

#[test]
fn non_ascii_jsonl_offsets_are_code_points() {
    let path = fixture("unicode.jsonl");
    let texts = input_texts(&path);
    let r = run(&[std::ffi::OsStr::new("extract"), path.as_os_str()]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    let docs = r.docs();
    assert_eq!(docs.len(), texts.len());
    let mut multibyte_before = 0;
    for (doc, text) in docs.iter().zip(&texts) {
        check_doc(doc, text);
        // count spans whose code-point start differs from the byte start
        for a in attributions(doc) {
            for p in a["content"].as_array().unwrap() {
                let s = pair(p, "content")[0];
                let bytes: usize = text.chars().take(s).map(char::len_utf8).sum();
                multibyte_before += usize::from(bytes != s);
            }
        }
    }
    assert!(
        multibyte_before > 0,
        "the fixture should yield some content after non-ASCII text (so code points != bytes)\n{}",
        docs.iter().map(summarize).collect::<String>()
    );
    let d = &docs[0];
    assert_eq!(d["doc"], "uni-1");
    assert_eq!(d["path"], format!("{}:1", path.display()));
    assert_eq!(d["date"], "2025-03-04");
    assert_eq!(d["title"], "Café talks résumé");
    assert_eq!(d["outlet"], "Le Monde");
    assert_eq!(d["authors"], serde_json::json!(["Zoë Ñúñez"]));
    assert_eq!(d["dateline"], Value::Null, "JSONL text gets no dateline");
    assert_eq!(docs[1]["doc"], "uni-2");
    assert_eq!(docs[1]["date"], Value::Null);
}

#[test]
fn bom_and_emoji_in_a_text_file() {
    // offsets count the BOM, as they are into the file's text as read
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("bom.txt");
    let text = "\u{feff}Emoji 🎉 headline\n🎉🎉 “We will win,” Mayor Jürgen Groß said. Ms. Lopez said that the vote was “a disaster.”\n";
    std::fs::write(&path, text).unwrap();
    let doc = extract_one(&path);
    check_doc(&doc, text);
    assert_eq!(doc["title"], "Emoji 🎉 headline");
}

#[test]
fn pretty_format_prints_each_doc() {
    let r = run(&[
        "extract",
        "--format",
        "pretty",
        "examples",
        "tests/fixtures/unicode.jsonl",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    assert_eq!(r.stderr, "");
    for id in [
        "000_e8348c9c7b4e2da3",
        "004_ada9b50bf52b2923",
        "uni-1",
        "uni-2",
        "uni-3",
    ] {
        assert!(
            r.stdout.contains(&format!("━━ {id} (")),
            "pretty output lacks {id}\n{}",
            r.describe()
        );
    }
    assert!(r.stdout.contains("attributions"));
    // what the product is for: events, threads and (weak) stances
    assert!(
        r.stdout
            .contains("event: meeting of Vladimir Putin, Donald Trump"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("thread t1 · about: "), "{}", r.stdout);
    assert!(r.stdout.contains("(stance: affirms, weak)"), "{}", r.stdout);
    assert!(
        serde_json::from_str::<Value>(r.stdout.lines().next().unwrap()).is_err(),
        "pretty output should not be JSON"
    );
}

#[test]
fn jsonl_is_the_default_and_explicit_format() {
    let a = run(&["extract", "examples"]);
    let b = run(&["extract", "--format", "jsonl", "examples"]);
    assert_eq!(a.code, Some(0));
    assert_eq!(a.stdout, b.stdout);
    assert_eq!(a.docs().len(), 2);
    assert!(a.stdout.ends_with('\n'));
}

#[test]
fn output_does_not_depend_on_thread_count() {
    let a = run(&[
        "extract",
        "--threads",
        "1",
        "examples",
        "tests/fixtures/unicode.jsonl",
    ]);
    let b = run(&[
        "extract",
        "--threads",
        "4",
        "examples",
        "tests/fixtures/unicode.jsonl",
    ]);
    assert_eq!(a.code, Some(0), "{}", a.describe());
    assert_eq!(a.stdout, b.stdout);
}
