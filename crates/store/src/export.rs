//! What an export of the record is made of: its tables and their columns,
//! shared by every export format (CSV, JSON lines, Parquet).

/// The tables of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportTable {
    /// One row per statement, with its article's metadata (filters apply).
    Quotes,
    /// One row per article, with its text.
    Articles,
    /// One row per entity, with its aliases.
    Entities,
    /// One row per input that could not be read.
    Errors,
}

/// The columns of a quotes export (CSV and Parquet); span lists are JSON.
pub const QUOTE_COLUMNS: [&str; 20] = [
    "id",
    "article",
    "path",
    "date",
    "outlet",
    "title",
    "kind",
    "speaker",
    "speaker_text",
    "entity",
    "source",
    "cue",
    "content",
    "confidence",
    "source_spans",
    "cue_spans",
    "content_spans",
    "refers_to",
    "stance",
    "thread",
];
