//! Regression tests for bugs found in the reader, each named after its bug,
//! through the public API (`read_paths` on temp files).

use std::io::Write;
use std::path::{Path, PathBuf};

use onrecord_ingest::{read_paths, Document, ErrorKind, IngestError};

const PAGE: &str = "<html><head><title>T</title></head><body><article>\
    <p>The minister said on Tuesday that the talks would go on next week in Geneva.</p>\
    <p>\"We are ready,\" she told reporters after the meeting with her counterpart.</p>\
    </article></body></html>";

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// A WARC/1.0 record; `declared` overrides the Content-Length written.
fn record(
    kind: &str,
    uri: &str,
    content_type: &str,
    block: &[u8],
    declared: Option<u64>,
) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\n\
         WARC-Date: 2020-01-20T10:00:00Z\r\n\
         WARC-Record-ID: <urn:uuid:{}>\r\n\
         Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        uri.rsplit('/').next().unwrap_or("x"),
        declared.unwrap_or(block.len() as u64)
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

/// A response record holding an HTTP 200 with an HTML page.
fn response(uri: &str, page: &[u8]) -> Vec<u8> {
    let mut http = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
        page.len()
    )
    .into_bytes();
    http.extend_from_slice(page);
    record(
        "response",
        uri,
        "application/http; msgtype=response",
        &http,
        None,
    )
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// `ok ID` per document (a WARC record's id is its URL's last segment
/// here), `err MESSAGE` per error.
fn summary(items: &[Result<Document, IngestError>]) -> Vec<String> {
    items
        .iter()
        .map(|i| match i {
            Ok(d) => format!("ok {}", d.id),
            Err(e) => format!("err {e}"),
        })
        .collect()
}

/// A record whose Content-Length says more than its (whole) gzip member
/// holds used to end the file: the search for the next member skipped the
/// signature the file was already at.
#[test]
fn warc_gz_record_cut_short_in_a_whole_member_loses_no_later_member() {
    let tmp = tempfile::tempdir().unwrap();
    let first = gz(&response("http://a.example/1", PAGE.as_bytes()));
    let mut short = response("http://a.example/2", PAGE.as_bytes());
    short.truncate(short.len() / 2);
    let short = gz(&short);
    let last = gz(&response("http://a.example/3", PAGE.as_bytes()));
    let bytes = [first.clone(), short, last].concat();
    let p = write(tmp.path(), "a.warc.gz", &bytes);
    let items: Vec<_> = read_paths(std::slice::from_ref(&p)).collect();
    let s = summary(&items);
    assert_eq!(s.len(), 3, "{s:#?}");
    assert_eq!(s[0], "ok 1");
    assert!(
        s[1].starts_with(&format!(
            "err {}: record at byte {}: invalid WARC record: cut short",
            p.display(),
            first.len()
        )),
        "{s:#?}"
    );
    assert_eq!(s[2], "ok 3");
}

/// A gzip member cut short (a partial download with more appended) used to
/// take the members after it along: the decoder reads on into the next
/// member before it fails, and the search went on from there.
#[test]
fn warc_gz_cut_member_followed_by_whole_members_reads_them() {
    let tmp = tempfile::tempdir().unwrap();
    let page = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/html/dw.com.colonial.html"),
    )
    .unwrap();
    let a = gz(&response("http://b.example/1", &page));
    let b = gz(&response("http://b.example/2", &page));
    let c = gz(&response("http://b.example/3", &page));
    let d = gz(&response("http://b.example/4", &page));
    // cut in the deflate data: record 2 is lost; cut at its very end (its
    // last deflate byte, the 8-byte trailer of checksum and size): record 2
    // was whole and is read, then the member is reported as corrupt
    for cut in [10, b.len() / 3, b.len() / 2, b.len() - 9, b.len() - 1] {
        let bytes = [a.clone(), b[..cut].to_vec(), c.clone(), d.clone()].concat();
        let p = write(tmp.path(), "b.warc.gz", &bytes);
        let items: Vec<_> = read_paths(std::slice::from_ref(&p)).collect();
        let s = summary(&items);
        let errors: Vec<&String> = s.iter().filter(|l| l.starts_with("err ")).collect();
        assert_eq!(errors.len(), 1, "cut at {cut}: {s:#?}");
        assert!(
            errors[0].starts_with(&format!(
                "err {}: record at byte {}: invalid WARC record: gzip member is corrupt or cut short",
                p.display(),
                a.len()
            )),
            "cut at {cut}: {s:#?}"
        );
        let ok: Vec<&str> = s.iter().filter_map(|l| l.strip_prefix("ok ")).collect();
        let want: &[&str] = if cut + 9 < b.len() {
            &["1", "3", "4"]
        } else {
            &["1", "2", "3", "4"]
        };
        assert_eq!(ok, want, "cut at {cut}: {s:#?}");
    }
}

/// After damage, the search for the next gzip member stopped at the end of
/// the read buffer (64 KiB): a buffer is refilled only once empty, so the
/// two bytes kept for a signature split between reads looked like the end
/// of the file. Damaged stretches of about 64 KiB put the next signature
/// across the buffer's end at every alignment.
#[test]
fn warc_gz_damage_longer_than_the_read_buffer_is_crossed() {
    let tmp = tempfile::tempdir().unwrap();
    let good = gz(&response("http://c.example/1", PAGE.as_bytes()));
    let after = gz(&response("http://c.example/2", PAGE.as_bytes()));
    for len in (65_530..65_542).chain([100_000, 200_001]) {
        // a gzip header, then bytes that are not deflate data and hold no signature
        let mut junk = vec![0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff];
        let mut x = 0x9e37_79b9_u32;
        while junk.len() < len {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            junk.push(0x20 + (x % 0x5f) as u8); // printable ASCII: never 1f or 8b
        }
        let bytes = [good.clone(), junk, after.clone()].concat();
        let p = write(tmp.path(), "c.warc.gz", &bytes);
        let items: Vec<_> = read_paths(std::slice::from_ref(&p)).collect();
        let s = summary(&items);
        assert_eq!(s.len(), 3, "damage of {len} bytes: {s:#?}");
        assert_eq!(s[0], "ok 1");
        assert!(s[1].starts_with("err "), "{s:#?}");
        assert_eq!(s[2], "ok 2", "damage of {len} bytes");
    }
}

/// A binary file named `.html` (or a binary WARC payload declared
/// text/html) was decoded as Windows-1252 and stored as an article of
/// mojibake, in some detected language; it is one "binary" error.
#[test]
fn binary_file_named_html_is_an_error_not_a_page() {
    let tmp = tempfile::tempdir().unwrap();
    let mut bin = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0".to_vec();
    let mut x = 7u32;
    for _ in 0..20_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        bin.push((x >> 16) as u8);
    }
    let bin_html = write(tmp.path(), "a.html", &bin);
    let warc = write(
        tmp.path(),
        "b.warc",
        &[
            response("http://d.example/bin", &bin),
            response("http://d.example/page", PAGE.as_bytes()),
        ]
        .concat(),
    );
    // UTF-16 with a byte order mark has NULs everywhere and is a page
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(PAGE.encode_utf16().flat_map(u16::to_le_bytes));
    let utf16 = write(tmp.path(), "c.html", &utf16);
    // a stray NUL in a real page does not make it binary
    let stray = write(
        tmp.path(),
        "d.html",
        PAGE.replace("<head>", "<head><!-- \0 -->").as_bytes(),
    );
    let items: Vec<_> = read_paths(&[bin_html.clone(), warc.clone(), utf16, stray]).collect();
    assert_eq!(items.len(), 5, "{:#?}", summary(&items));
    let e = items[0].as_ref().unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Binary), "{e}");
    assert_eq!(
        e.to_string(),
        format!("{}: binary file, not text", bin_html.display())
    );
    let e = items[1].as_ref().unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Binary), "{e}");
    assert_eq!(e.offset, Some(0));
    assert_eq!(e.path, warc.to_string_lossy());
    for d in &items[2..] {
        let d = d.as_ref().unwrap();
        assert!(d.text.starts_with("The minister said"), "{}", d.text);
        assert_eq!(d.meta.language.as_deref(), Some("en"));
    }
}

/// A record whose Content-Length is too long took in the start of the next
/// record: in a plain WARC (and in a whole-file gzip, or a WARC on stdin)
/// the page came out with the next record's bytes in it, and the next
/// record was lost in silence. Too short, it gave half a page. The block
/// must be followed by its blank line; if not, the record is one error.
#[test]
fn plain_warc_record_with_a_wrong_length_is_an_error_not_a_page() {
    let tmp = tempfile::tempdir().unwrap();
    let r2 = response("http://e.example/2", PAGE.as_bytes());
    let r3 = response("http://e.example/3", PAGE.as_bytes());
    // (a length one to three bytes long runs into the blank line, and is let be)
    for delta in [300i64, 5, -1, -200] {
        let mut http = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n",
            PAGE.len()
        )
        .into_bytes();
        http.extend_from_slice(PAGE.as_bytes());
        let declared = (http.len() as i64 + delta) as u64;
        let r1 = record(
            "response",
            "http://e.example/1",
            "application/http; msgtype=response",
            &http,
            Some(declared),
        );
        let bytes = [r1, r2.clone(), r3.clone()].concat();
        for (name, data) in [("e.warc", bytes.clone()), ("f.warc.gz", gz(&bytes))] {
            let p = write(tmp.path(), name, &data);
            let items: Vec<_> = read_paths(std::slice::from_ref(&p)).collect();
            let s = summary(&items);
            assert!(
                s[0].starts_with(&format!(
                    "err {}: record at byte 0: invalid WARC record: its Content-Length ({declared}) does not end the record",
                    p.display()
                )),
                "{name}, length off by {delta}: {s:#?}"
            );
            // no page holds another record's bytes
            for d in items.iter().flatten() {
                assert!(!d.text.contains("WARC/1.0"), "{name}: {}", d.text);
            }
            assert_eq!(
                s.last().map(String::as_str),
                Some("ok 3"),
                "{name}, {delta}: {s:#?}"
            );
            if delta < 0 {
                assert_eq!(s[1..], ["ok 2", "ok 3"], "{name}, {delta}: {s:#?}");
            }
        }
    }
}
