use std::fmt;

use onrecord_core::Position;

/// A file, directory, record or line that could not be turned into a document.
///
/// Displays as `PATH:LINE: message` (a JSONL line, a CSV record),
/// `PATH: record at byte N: message` (a WARC record) or `PATH: message`.
#[derive(Debug)]
pub struct IngestError {
    /// The path as given or walked (`-` for stdin, a URL for a fetched page).
    pub path: String,
    /// 1-based line number, for errors on one line of a JSONL file or one
    /// record of a CSV file (the line it starts on).
    pub line: Option<usize>,
    /// Byte offset of a WARC record (of its gzip member in a `.warc.gz`).
    pub offset: Option<u64>,
    pub kind: ErrorKind,
}

impl IngestError {
    pub fn new(path: impl Into<String>, kind: ErrorKind) -> Self {
        IngestError {
            path: path.into(),
            line: None,
            offset: None,
            kind,
        }
    }

    pub fn at_line(path: impl Into<String>, line: usize, kind: ErrorKind) -> Self {
        IngestError {
            line: Some(line),
            ..IngestError::new(path, kind)
        }
    }

    pub fn at_offset(path: impl Into<String>, offset: u64, kind: ErrorKind) -> Self {
        IngestError {
            offset: Some(offset),
            ..IngestError::new(path, kind)
        }
    }

    /// An error at `position` in `path` (or of the whole file).
    pub fn at(path: impl Into<String>, position: Option<Position>, kind: ErrorKind) -> Self {
        match position {
            Some(Position::Line(n)) => IngestError::at_line(path, n, kind),
            Some(Position::Offset(n)) => IngestError::at_offset(path, n, kind),
            None => IngestError::new(path, kind),
        }
    }

    /// Where it is, as one string: `PATH`, `PATH:LINE` or `PATH@OFFSET`
    /// (the form document paths take).
    pub fn place(&self) -> String {
        match (self.line, self.offset) {
            (Some(l), _) => format!("{}:{l}", self.path),
            (None, Some(o)) => format!("{}@{o}", self.path),
            (None, None) => self.path.clone(),
        }
    }
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.offset) {
            (Some(line), _) => write!(f, "{}:{}: {}", self.path, line, self.kind),
            (None, Some(o)) => write!(f, "{}: record at byte {}: {}", self.path, o, self.kind),
            (None, None) => write!(f, "{}: {}", self.path, self.kind),
        }
    }
}

// The message of `kind` (an I/O error's included) is already part of the
// Display text, so no `source` is reported: error chains would repeat it.
impl std::error::Error for IngestError {}

/// What went wrong.
#[derive(Debug, thiserror::Error)]
pub enum ErrorKind {
    /// The path could not be opened or read.
    #[error("{0}")]
    Io(std::io::Error),
    /// The bytes are not UTF-8; `byte_offset` is where the first invalid
    /// sequence starts (in the file, or in the line for JSONL).
    #[error("invalid UTF-8 at byte {byte_offset}")]
    InvalidUtf8 { byte_offset: usize },
    /// NUL bytes in the first 8 KiB.
    #[error("binary file, not text")]
    Binary,
    /// Named on the command line but a socket or device, not a file.
    #[error("not a regular file but a {0}: give its content on standard input (-) instead")]
    NotAFile(&'static str),
    /// A FIFO that nothing writes to (it would have been waited on forever).
    #[error("a FIFO with no writer: nothing came in 5 s (start the writer first, or pipe into -)")]
    NoWriter,
    /// A file that changed (size or modification time) while it was read,
    /// twice in a row: what was read may be cut or mixed.
    #[error("changed while it was read (twice): not stored, read it again once it is written")]
    Changed,
    /// A file of several documents (JSONL, CSV, WARC) that changed while
    /// it was read: the documents read from it may be cut or mixed.
    #[error("changed while it was read: the documents read from it may be cut or mixed; read it again once it is written")]
    ChangedStream,
    /// Nothing but white space (or nothing at all).
    #[error("empty file")]
    Empty,
    /// Over [`crate::MAX_FILE_BYTES`]; the size in bytes (at least).
    #[error("too large: {0} bytes (the limit is 64 MiB)")]
    TooLarge(u64),
    /// A JSONL line that is not valid JSON, or not a JSON object.
    #[error("invalid JSON: {0}")]
    Json(String),
    /// A record without its text: no string `text` field (nor news-please's
    /// `maintext`, nor an `html` page).
    #[error("no string field `text` (or `maintext`, or `html`)")]
    MissingText,
    /// A JSONL record whose `text` is empty or white space.
    #[error("empty `text`")]
    EmptyText,
    /// A JSONL field of the wrong type.
    #[error("field `{field}` must be {expected}")]
    BadField {
        field: &'static str,
        expected: &'static str,
    },
    /// A date that is not a valid `YYYY-MM-DD` calendar date.
    #[error("malformed date {0:?} (expected a valid YYYY-MM-DD date)")]
    BadDate(String),
    /// A compressed stream that cannot be decompressed (cut, corrupt).
    #[error("{format} data is corrupt or cut short ({message})")]
    Compression {
        format: &'static str,
        message: String,
    },
    /// A CSV/TSV file without a column to take the text from.
    #[error("no text column (looked for {wanted}; the header has {found})")]
    NoTextColumn { wanted: String, found: String },
    /// A CSV/TSV record that cannot be read.
    #[error("invalid CSV: {0}")]
    Csv(String),
    /// A WARC record that cannot be read.
    #[error("invalid WARC record: {0}")]
    Warc(String),
    /// An HTML page with no article text, or one that cannot be read.
    #[error("{0}")]
    Html(String),
    /// A metadata file (`metadata.tsv` beside text files) with a bad row.
    #[error("{0}")]
    Metadata(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display() {
        let e = IngestError::new("a.txt", ErrorKind::Binary);
        assert_eq!(e.to_string(), "a.txt: binary file, not text");
        let e = IngestError::at_line("b.jsonl", 3, ErrorKind::MissingText);
        assert_eq!(
            e.to_string(),
            "b.jsonl:3: no string field `text` (or `maintext`, or `html`)"
        );
        let e = IngestError::new("c.txt", ErrorKind::BadDate("2025-13-45".into()));
        assert!(e
            .to_string()
            .starts_with("c.txt: malformed date \"2025-13-45\""));
    }
}
