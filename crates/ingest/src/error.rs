use std::fmt;

/// A file, directory or JSONL line that could not be turned into a document.
///
/// Displays as `PATH:LINE: message` (JSONL lines) or `PATH: message`.
#[derive(Debug)]
pub struct IngestError {
    /// The path as given or walked (`-` for stdin).
    pub path: String,
    /// 1-based line number, for errors on one line of a JSONL file.
    pub line: Option<usize>,
    pub kind: ErrorKind,
}

impl IngestError {
    pub fn new(path: impl Into<String>, kind: ErrorKind) -> Self {
        IngestError {
            path: path.into(),
            line: None,
            kind,
        }
    }

    pub fn at_line(path: impl Into<String>, line: usize, kind: ErrorKind) -> Self {
        IngestError {
            path: path.into(),
            line: Some(line),
            kind,
        }
    }
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path, line, self.kind),
            None => write!(f, "{}: {}", self.path, self.kind),
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
    /// Nothing but white space (or nothing at all).
    #[error("empty file")]
    Empty,
    /// Over [`crate::MAX_FILE_BYTES`]; the size in bytes (at least).
    #[error("too large: {0} bytes (the limit is 64 MiB)")]
    TooLarge(u64),
    /// A JSONL line that is not valid JSON, or not a JSON object.
    #[error("invalid JSON: {0}")]
    Json(String),
    /// A JSONL record without a string `text` field.
    #[error("no string field `text`")]
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display() {
        let e = IngestError::new("a.txt", ErrorKind::Binary);
        assert_eq!(e.to_string(), "a.txt: binary file, not text");
        let e = IngestError::at_line("b.jsonl", 3, ErrorKind::MissingText);
        assert_eq!(e.to_string(), "b.jsonl:3: no string field `text`");
        let e = IngestError::new("c.txt", ErrorKind::BadDate("2025-13-45".into()));
        assert!(e
            .to_string()
            .starts_with("c.txt: malformed date \"2025-13-45\""));
    }
}
