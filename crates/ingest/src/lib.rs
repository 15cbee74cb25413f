//! Reads articles from files, directories, stdin, JSONL, CSV, WARC archives and web pages into Documents; separates boilerplate from prose.
//!
//! [`read_paths`] streams [`Document`]s from files, directories (walked
//! recursively in name order) and stdin (`-`), in every format news comes
//! in: plain text, JSONL and news-please JSON, CSV/TSV, HTML pages (their
//! main text, through `onrecord-html`) and WARC archives, each gzip-,
//! zstd- or bzip2-compressed or not (told by magic bytes). A file, record
//! or line that cannot be read becomes one [`IngestError`] item and the
//! stream goes on; files a walk passes over are counted
//! ([`Documents::skipped`]). Every document's language is detected
//! ([`detect_language`]). [`parse_text_file`] turns one plain-text article
//! into a `Document`, recognising two layouts:
//!
//! * PolNeAR style: headline on the first line, then the article; a
//!   `metadata.tsv` beside the files (or one folder up) gives dates,
//!   outlets and titles, and a date in a file name (`nyt_2016-09-08_…`)
//!   is taken when nothing else gives one.
//! * Seed style: a first line ` date YYYY-MM-DD ...` followed either by
//!   site navigation and a headline, or by the first sentence of the
//!   article; photo credits, author/editor footers and a leading dateline
//!   ("MOSCOW, February 11. /TASS/.") are boilerplate and kept out of
//!   [`Document::body`].
//!
//! Offsets are always byte offsets into the document's text: the original
//! text (a leading BOM included) for text files and records, the extracted
//! main text for web pages ([`onrecord_core::Origin::from_html`]).

mod boilerplate;
mod csv;
mod dateline;
mod error;
mod fields;
mod jsonl;
mod lang;
mod open;
mod plain;
mod reader;
mod sidecar;
mod warc;
mod web;

pub use csv::TEXT_COLUMNS;
pub use dateline::parse_dateline;
pub use error::{ErrorKind, IngestError};
pub use jsonl::{parse_json_article, parse_json_object};
pub use lang::{detect_language, normalise as normalise_language};
pub use plain::parse_text_file;
pub use reader::{input_size, read_paths, read_paths_with, Documents, ReadOptions, Skipped};
pub use web::parse_html_page;

#[doc(no_inline)]
pub use onrecord_core::Document;

/// The largest file (or JSONL line) ingest accepts: 64 MiB.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// How much of a file is searched for NUL bytes to tell binary from text.
pub(crate) const BINARY_SNIFF_BYTES: usize = 8 * 1024;

pub(crate) const BOM: &str = "\u{feff}";

/// Length of a leading UTF-8 byte order mark (0 or 3).
pub(crate) fn bom_len(text: &str) -> usize {
    if text.starts_with(BOM) {
        BOM.len()
    } else {
        0
    }
}

/// Whether `s` is a valid `YYYY-MM-DD` calendar date (proleptic Gregorian).
pub fn is_valid_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &b[r];
        if part.iter().all(u8::is_ascii_digit) {
            Some(part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
        } else {
            None
        }
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(is_valid_date("2025-11-12"));
        assert!(is_valid_date("2024-02-29"));
        assert!(is_valid_date("2000-02-29"));
        assert!(!is_valid_date("1900-02-29"));
        assert!(!is_valid_date("2025-02-30"));
        assert!(!is_valid_date("2025-13-45"));
        assert!(!is_valid_date("2025-00-10"));
        assert!(!is_valid_date("2025-01-00"));
        assert!(!is_valid_date("2025-1-10"));
        assert!(!is_valid_date("2025/01/10"));
        assert!(!is_valid_date("２０２５-01-10"));
        assert!(!is_valid_date(""));
    }

    #[test]
    fn bom() {
        assert_eq!(bom_len("\u{feff}x"), 3);
        assert_eq!(bom_len("x"), 0);
    }
}
