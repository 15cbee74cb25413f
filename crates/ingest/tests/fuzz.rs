//! Randomised inputs through `read_paths`: HTML pages and WARC archives
//! (plain, one gzip member per record, one gzip stream for the whole file,
//! zstd), mutated (truncations, byte flips, CRLFs inserted and removed,
//! bogus and huge Content-Length values, random tags, deep nesting, slices
//! cut out or repeated), written to temp files and read back; a few go
//! through a named pipe (a stream that cannot seek, like stdin).
//!
//! Every case must end without a panic, yield well-formed documents (body
//! spans on character boundaries inside the text) and errors naming the
//! file, and stay within a memory budget: the text of the documents within
//! a small multiple of the input, and the bytes allocated at the peak of
//! the case (counted by this test's global allocator) within a constant
//! plus a multiple of the input. A declared length of 2^60 must allocate
//! nothing of that size.
//!
//! Deterministic: the seed is fixed (`ONRECORD_FUZZ_SEED` overrides it,
//! `ONRECORD_FUZZ_CASES` the number of cases). A failing case names its
//! number and mutations, and its bytes are written to the temp directory
//! as `onrecord-fuzz-case-N`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use onrecord_ingest::{read_paths, Document, IngestError};

// ---------------------------------------------------------------- memory

/// The system allocator, counting the bytes live and their peak.
struct Counted;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counted {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            if new_size >= layout.size() {
                let grow = new_size - layout.size();
                let now = LIVE.fetch_add(grow, Ordering::Relaxed) + grow;
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counted = Counted;

/// The tests of this file measure memory one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Runs `f` and returns its result and the most bytes it had allocated at
/// once beyond what was live when it started.
fn peak_of<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let out = f();
    (out, PEAK.load(Ordering::Relaxed).saturating_sub(base))
}

/// Allowed peak: what reading a page costs (buffers, the decoded page, its
/// tree, the text) grows with the input; 32 MiB covers the fixed part
/// (read buffers, the thread pool, a read-ahead of documents).
fn memory_budget(input_bytes: usize) -> usize {
    32 * 1024 * 1024 + 48 * input_bytes
}

// ---------------------------------------------------------------- random

/// xorshift64*: small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// In `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

// ---------------------------------------------------------------- inputs

fn fixture_page(name: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/html")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

const SMALL_PAGE: &str = "<!doctype html><html lang=en><head><meta charset=utf-8>\
    <title>Talks resume | Example News</title>\
    <meta property=\"og:site_name\" content=\"Example News\">\
    <script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"datePublished\":\"2024-03-05T10:00:00Z\",\
    \"author\":{\"@type\":\"Person\",\"name\":\"Jane Roe\"}}</script></head>\
    <body><nav><a href=/>Home</a> <a href=/world>World</a></nav><article><h1>Talks resume</h1>\
    <p>The minister said on Tuesday that the talks would go on next week in Geneva, after a pause of two months.</p>\
    <p>&ldquo;We are ready,&rdquo; she told reporters after the meeting with her counterpart &amp; his aides.</p>\
    <blockquote>It is a good day for the region.</blockquote>\
    <p>Officials from both sides said the agenda had not been agreed yet. Ça va, a French diplomat added.</p>\
    </article><footer>&copy; Example News</footer></body></html>";

const TAGS: [&str; 24] = [
    "<div>",
    "</div>",
    "<p>",
    "</p>",
    "<br>",
    "<script>",
    "</script>",
    "<style>",
    "<!--",
    "-->",
    "<![CDATA[",
    "<table><tr><td>",
    "</td></tr></table>",
    "<body>",
    "</body>",
    "</html>",
    "<head>",
    "<article>",
    "<meta charset=\"utf-16\">",
    "<meta charset=\"shift_jis\">",
    "<a href=\"",
    "&#x10FFFF;&#0;&nGt;&amp",
    "<title>",
    "<svg><foreignObject>",
];

/// The HTML pages cases are made from.
struct Pages {
    small: Vec<u8>,
    dw: Vec<u8>,
    reuters: Vec<u8>,
}

impl Pages {
    fn load() -> Pages {
        Pages {
            small: SMALL_PAGE.as_bytes().to_vec(),
            dw: fixture_page("dw.com.colonial.html"),
            reuters: fixture_page("reuters.com.parasite.html"),
        }
    }
    /// Mostly small pages (cheap), sometimes a real one.
    fn any(&self, rng: &mut Rng) -> &[u8] {
        match rng.below(10) {
            0..=5 => &self.small,
            6..=8 => &self.dw,
            _ => &self.reuters,
        }
    }
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn record(kind: &str, uri: &str, content_type: &str, block: &[u8], n: usize) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\n\
         WARC-Date: 2024-03-06T08:00:00Z\r\n\
         WARC-Record-ID: <urn:uuid:{n:08x}-0000-4000-8000-000000000000>\r\n\
         Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn http(status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    let mut h = format!(
        "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    h.extend_from_slice(body);
    h
}

/// The records of a WARC, and the bytes their payloads may decode to
/// beyond their own size (gzip-encoded bodies).
fn warc_records(rng: &mut Rng, pages: &Pages) -> (Vec<Vec<u8>>, usize) {
    let mut out = vec![record(
        "warcinfo",
        "",
        "application/warc-fields",
        b"software: fuzz\r\nformat: WARC File Format 1.0\r\n",
        0,
    )];
    let mut expand = 0;
    let n = 1 + rng.below(5);
    for i in 1..=n {
        let uri = format!("https://news.example.com/{i}");
        let page = pages.any(rng).to_vec();
        out.push(record(
            "request",
            &uri,
            "application/http; msgtype=request",
            format!("GET /{i} HTTP/1.1\r\nHost: news.example.com\r\n\r\n").as_bytes(),
            2 * i,
        ));
        let resp = match rng.below(8) {
            0 => {
                expand += page.len();
                http(
                    "200 OK",
                    "Content-Type: text/html\r\nContent-Encoding: gzip\r\n",
                    &gz(&page),
                )
            }
            1 => {
                let mut chunked = Vec::new();
                for c in page.chunks(1 + rng.below(4000)) {
                    chunked.extend(format!("{:x}\r\n", c.len()).as_bytes());
                    chunked.extend(c);
                    chunked.extend(b"\r\n");
                }
                chunked.extend(b"0\r\n\r\n");
                http(
                    "200 OK",
                    "Content-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n",
                    &chunked,
                )
            }
            2 => http(
                "404 Not Found",
                "Content-Type: text/html\r\n",
                b"<html>gone</html>",
            ),
            3 => http(
                "200 OK",
                "Content-Type: application/pdf\r\n",
                b"%PDF-1.4\n\0\x01\x02",
            ),
            _ => http(
                "200 OK",
                "Content-Type: text/html; charset=utf-8\r\n",
                &page,
            ),
        };
        out.push(record(
            "response",
            &uri,
            "application/http; msgtype=response",
            &resp,
            2 * i + 1,
        ));
        if rng.chance(15) {
            out.push(record(
                "resource",
                &format!("{uri}/r"),
                "text/html",
                &page,
                100 + i,
            ));
        }
        if rng.chance(10) {
            out.push(record(
                "metadata",
                &uri,
                "application/warc-fields",
                b"via: x\r\n",
                200 + i,
            ));
        }
    }
    (out, expand)
}

// ---------------------------------------------------------------- mutations

const BOGUS_LENGTHS: [&str; 12] = [
    "0",
    "1",
    "-1",
    "abc",
    "",
    "+5",
    "1152921504606846976", // 2^60
    "18446744073709551615",
    "99999999999999999999999",
    "67108865", // one past the record limit
    "4294967296",
    "0x10",
];

/// One random change to `b`, described in `log`.
fn mutate_once(rng: &mut Rng, b: &mut Vec<u8>, log: &mut Vec<String>) {
    let at = |rng: &mut Rng, b: &Vec<u8>| rng.below(b.len() + 1);
    match rng.below(11) {
        0 => {
            let n = at(rng, b);
            b.truncate(n);
            log.push(format!("truncate {n}"));
        }
        1 => {
            for _ in 0..1 + rng.below(8) {
                if b.is_empty() {
                    break;
                }
                let i = rng.below(b.len());
                b[i] ^= 1 + rng.below(255) as u8;
                log.push(format!("flip {i}"));
            }
        }
        2 => {
            let i = at(rng, b);
            let crlf: &[u8] = rng.pick::<&[u8]>(&[&b"\r\n"[..], b"\n", b"\r\n\r\n", b"\r"]);
            b.splice(i..i, crlf.iter().copied());
            log.push(format!("insert newline at {i}"));
        }
        3 => {
            let hits: Vec<usize> = b
                .windows(2)
                .enumerate()
                .filter(|(_, w)| w == b"\r\n")
                .map(|(i, _)| i)
                .collect();
            if !hits.is_empty() {
                let i = *rng.pick(&hits);
                b.drain(i..i + 2);
                log.push(format!("remove CRLF at {i}"));
            }
        }
        4 => {
            let key = b"Content-Length:";
            let hits: Vec<usize> = b
                .windows(key.len())
                .enumerate()
                .filter(|(_, w)| w.eq_ignore_ascii_case(key))
                .map(|(i, _)| i)
                .collect();
            if !hits.is_empty() {
                let i = *rng.pick(&hits) + key.len();
                let end = b[i..]
                    .iter()
                    .position(|&c| c == b'\r' || c == b'\n')
                    .map_or(b.len(), |e| i + e);
                let v = if rng.chance(30) {
                    // near the truth: a record a few bytes short or long
                    let old: i64 = String::from_utf8_lossy(&b[i..end])
                        .trim()
                        .parse()
                        .unwrap_or(0);
                    (old + rng.below(41) as i64 - 20).to_string()
                } else {
                    rng.pick(&BOGUS_LENGTHS).to_string()
                };
                b.splice(i..end, format!(" {v}").into_bytes());
                log.push(format!("Content-Length {v:?} at {i}"));
            }
        }
        5 => {
            let i = at(rng, b);
            let tag = *rng.pick(&TAGS);
            b.splice(i..i, tag.bytes());
            log.push(format!("insert {tag:?} at {i}"));
        }
        6 => {
            let i = at(rng, b);
            let depth = 1 + rng.below(6000);
            let open: &str = rng.pick::<&str>(&[
                "<div>",
                "<b><i>",
                "<table>",
                "<p>",
                "<blockquote>",
                "<ul><li>",
            ]);
            let mut nest = open.repeat(depth);
            if rng.chance(50) {
                nest.push_str("<p>Deep inside, the spokesman said nothing new about it.</p>");
            }
            b.splice(i..i, nest.into_bytes());
            log.push(format!("nest {open} x{depth} at {i}"));
        }
        7 => {
            if !b.is_empty() {
                let i = rng.below(b.len());
                let n = (1 + rng.below(4096)).min(b.len() - i);
                b.drain(i..i + n);
                log.push(format!("cut {n} at {i}"));
            }
        }
        8 => {
            if !b.is_empty() {
                let i = rng.below(b.len());
                let n = (1 + rng.below(8192)).min(b.len() - i);
                let copy = b[i..i + n].to_vec();
                let j = at(rng, b);
                b.splice(j..j, copy);
                log.push(format!("repeat {n} from {i} at {j}"));
            }
        }
        9 => {
            let i = at(rng, b);
            let n = 1 + rng.below(64);
            let junk: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
            b.splice(i..i, junk);
            log.push(format!("insert {n} random bytes at {i}"));
        }
        _ => {
            // a BOM or an encoding clash at the start
            let bom: &[u8] = rng.pick::<&[u8]>(&[
                &b"\xef\xbb\xbf"[..],
                b"\xff\xfe",
                b"\xfe\xff",
                b"\0\0\xfe\xff",
            ]);
            b.splice(0..0, bom.iter().copied());
            log.push(format!("prefix {bom:?}"));
        }
    }
}

fn mutate(rng: &mut Rng, b: &mut Vec<u8>, log: &mut Vec<String>, max: usize) {
    for _ in 0..1 + rng.below(max) {
        mutate_once(rng, b, log);
    }
}

// ---------------------------------------------------------------- cases

/// One input to read: its bytes, the name of its file, and the budget of
/// text it may yield.
struct Case {
    bytes: Vec<u8>,
    name: &'static str,
    /// The size of the input once decompressed, gzip-encoded bodies included.
    plain: usize,
    log: Vec<String>,
}

fn make_case(rng: &mut Rng, pages: &Pages) -> Case {
    let mut log = Vec::new();
    match rng.below(10) {
        // a web page
        0..=3 => {
            let mut b = pages.any(rng).to_vec();
            mutate(rng, &mut b, &mut log, 4);
            let name = *rng.pick(&["page.html", "page.htm", "saved_page", "page.xhtml"]);
            let plain = b.len();
            if rng.chance(15) {
                log.push("gzip".into());
                b = gz(&b);
            }
            Case {
                plain: plain.max(b.len()),
                bytes: b,
                name,
                log,
            }
        }
        // a plain WARC
        4..=5 => {
            let (recs, expand) = warc_records(rng, pages);
            let mut b = recs.concat();
            mutate(rng, &mut b, &mut log, 4);
            let plain = b.len() + expand;
            if rng.chance(20) {
                log.push("zstd".into());
                b = zstd::encode_all(&b[..], 1).unwrap();
                if rng.chance(30) {
                    mutate(rng, &mut b, &mut log, 2);
                }
            }
            Case {
                plain: plain.max(b.len()),
                bytes: b,
                name: "crawl.warc",
                log,
            }
        }
        // one gzip member per record, damaged before or after compression
        6..=8 => {
            let (mut recs, expand) = warc_records(rng, pages);
            for r in &mut recs {
                if rng.chance(20) {
                    mutate(rng, r, &mut log, 2);
                }
            }
            let plain: usize = recs.iter().map(Vec::len).sum::<usize>() + expand;
            let mut b: Vec<u8> = recs.iter().flat_map(|r| gz(r)).collect();
            if rng.chance(70) {
                mutate(rng, &mut b, &mut log, 3);
            }
            let name = if rng.chance(85) {
                "crawl.warc.gz"
            } else {
                "crawl.gz"
            };
            Case {
                plain: plain.max(b.len()),
                bytes: b,
                name,
                log,
            }
        }
        // one gzip stream for the whole file
        _ => {
            let (recs, expand) = warc_records(rng, pages);
            let mut plain = recs.concat();
            if rng.chance(50) {
                mutate(rng, &mut plain, &mut log, 2);
            }
            let mut b = gz(&plain);
            if rng.chance(50) {
                mutate(rng, &mut b, &mut log, 2);
            }
            Case {
                plain: (plain.len() + expand).max(b.len()),
                bytes: b,
                name: "whole.warc.gz",
                log,
            }
        }
    }
}

/// Reads `path` and checks what came out; `Err` says what is wrong.
/// What the cases gave, printed at the end (`--nocapture`).
#[derive(Default)]
struct Tally {
    documents: usize,
    errors: usize,
    input_bytes: usize,
    /// The largest peak allocation seen, and the largest over the input
    /// size among inputs of 64 KiB or more.
    peak: usize,
    worst_ratio: f64,
}

fn check(path: &Path, case: &Case, tally: &mut Tally) -> Result<(), String> {
    let input = case.bytes.len().max(case.plain);
    let (items, peak) = peak_of(|| {
        read_paths(&[path.to_path_buf()])
            .take(100_000)
            .collect::<Vec<Result<Document, IngestError>>>()
    });
    if items.len() == 100_000 {
        return Err("no end to the items".into());
    }
    let file = path.to_string_lossy();
    let mut text = 0usize;
    for item in &items {
        match item {
            Ok(d) => {
                text += d.text.len();
                if !d.path.starts_with(file.as_ref()) {
                    return Err(format!("document path {} is not of {file}", d.path));
                }
                for s in &d.body {
                    let (a, b) = (s.start as usize, s.end as usize);
                    if a > b
                        || b > d.text.len()
                        || !d.text.is_char_boundary(a)
                        || !d.text.is_char_boundary(b)
                    {
                        return Err(format!(
                            "body span {a}..{b} of {} in a text of {} bytes",
                            d.id,
                            d.text.len()
                        ));
                    }
                }
            }
            Err(e) => {
                if e.path != file {
                    return Err(format!("error for another path: {e}"));
                }
                if e.to_string().is_empty() {
                    return Err("an empty error message".into());
                }
            }
        }
    }
    // entities may grow ("&nGt;" is 5 bytes and 6 decoded), never by much
    if text > 2 * input + 4096 {
        return Err(format!("{text} bytes of text from {input} bytes of input"));
    }
    if peak > memory_budget(input) {
        return Err(format!(
            "{peak} bytes allocated at the peak for {input} bytes of input (budget {})",
            memory_budget(input)
        ));
    }
    tally.input_bytes += input;
    tally.errors += items.iter().filter(|i| i.is_err()).count();
    tally.documents += items.len() - items.iter().filter(|i| i.is_err()).count();
    tally.peak = tally.peak.max(peak);
    if input >= 64 * 1024 {
        tally.worst_ratio = tally.worst_ratio.max(peak as f64 / input as f64);
    }
    Ok(())
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Runs one case from a file (or, with `pipe`, a named pipe), turning a
/// panic or a failed check into a message that can reproduce it.
fn run_case(
    dir: &Path,
    n: u64,
    case: &Case,
    pipe: Option<&Path>,
    tally: &mut Tally,
) -> Result<(), String> {
    let path: PathBuf = match pipe {
        Some(p) => p.to_path_buf(),
        None => {
            let p = dir.join(case.name);
            std::fs::write(&p, &case.bytes).unwrap();
            p
        }
    };
    let writer = pipe.map(|p| {
        let (p, bytes) = (p.to_path_buf(), case.bytes.clone());
        std::thread::spawn(move || {
            // the reader may stop early: a broken pipe is fine
            if let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(p) {
                let _ = f.write_all(&bytes);
            }
        })
    });
    let result = catch_unwind(AssertUnwindSafe(|| check(&path, case, tally))).unwrap_or_else(|e| {
        let msg = e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        Err(format!("panicked: {msg}"))
    });
    if let Some(w) = writer {
        let _ = w.join();
    }
    result.map_err(|e| {
        let keep = std::env::temp_dir().join(format!("onrecord-fuzz-case-{n}"));
        let _ = std::fs::write(&keep, &case.bytes);
        format!(
            "case {n} ({}, {} bytes; {}): {e}\n(its bytes: {})",
            case.name,
            case.bytes.len(),
            case.log.join(", "),
            keep.display()
        )
    })
}

#[test]
fn mutated_pages_and_warcs_never_panic_and_stay_bounded() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let seed = env_number("ONRECORD_FUZZ_SEED", 0x0e2c_04d5_eed5);
    let cases = env_number("ONRECORD_FUZZ_CASES", 3000);
    let pages = Pages::load();
    let mut rng = Rng::new(seed);
    let tmp = tempfile::tempdir().unwrap();
    // a few cases go through a named pipe (not seekable, like stdin)
    let fifo = tmp.path().join("stream.warc.gz");
    let have_fifo = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let mut failures = Vec::new();
    let mut tally = Tally::default();
    for n in 0..cases {
        let mut case = make_case(&mut rng, &pages);
        let pipe = (have_fifo && n % 25 == 0).then_some(fifo.as_path());
        if pipe.is_some() {
            case.log.push("through a named pipe".into());
        }
        if let Err(e) = run_case(tmp.path(), n, &case, pipe, &mut tally) {
            failures.push(e);
            if failures.len() == 5 {
                break;
            }
        }
    }
    println!(
        "{cases} cases, {} MB of input: {} documents, {} errors; peak allocation at most {:.1} MB, \
         {:.1}x the input (inputs of 64 KiB or more)",
        tally.input_bytes / 1_000_000,
        tally.documents,
        tally.errors,
        tally.peak as f64 / 1e6,
        tally.worst_ratio
    );
    assert!(
        failures.is_empty(),
        "seed {seed:#x}: {} failing cases:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Declared lengths far past the data (2^60, u64::MAX, more than u64
/// holds) in WARC headers, HTTP heads and chunk sizes: errors or skips,
/// never an allocation of that size.
#[test]
fn huge_declared_lengths_allocate_nothing_of_their_size() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let tmp = tempfile::tempdir().unwrap();
    let page = SMALL_PAGE.as_bytes();
    let huge = [
        "1152921504606846976",
        "18446744073709551615",
        "99999999999999999999999",
    ];
    for h in huge {
        let mut cases: Vec<(&str, Vec<u8>)> = Vec::new();
        for kind in ["response", "resource", "request", "metadata"] {
            let mut r = format!(
                "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: http://x/\r\n\
                 Content-Type: application/http; msgtype=response\r\nContent-Length: {h}\r\n\r\n"
            )
            .into_bytes();
            r.extend(http("200 OK", "Content-Type: text/html\r\n", page));
            cases.push(("huge.warc", r.clone()));
            cases.push(("huge.warc.gz", gz(&r)));
        }
        // the HTTP head declares it, and a chunk does
        let mut r =
            format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {h}\r\n\r\n")
                .into_bytes();
        r.extend(page);
        cases.push((
            "http.warc",
            record("response", "http://x/", "application/http", &r, 1),
        ));
        let chunked = [
            &b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"[..],
            format!("{:x}\r\n", u64::MAX).as_bytes(),
            page,
            b"\r\n0\r\n\r\n",
        ]
        .concat();
        cases.push((
            "chunk.warc",
            record("response", "http://x/", "application/http", &chunked, 2),
        ));
        for (name, bytes) in cases {
            let p = tmp.path().join(name);
            std::fs::write(&p, &bytes).unwrap();
            let (items, peak) =
                peak_of(|| read_paths(std::slice::from_ref(&p)).collect::<Vec<_>>());
            assert!(!items.is_empty(), "{name} {h}");
            assert!(
                peak < memory_budget(bytes.len()),
                "{name} with length {h}: {peak} bytes allocated at the peak"
            );
            // a record whose length runs past the end of the file is an error
            if name.starts_with("huge") {
                let e = items
                    .iter()
                    .find_map(|i| i.as_ref().err())
                    .unwrap_or_else(|| panic!("{name} with length {h}: no error"));
                assert!(e.to_string().contains("record at byte 0"), "{e}");
            }
        }
    }
}
