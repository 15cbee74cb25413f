//! Evaluation against annotated corpora (PolNeAR brat): exact-span, token and end-to-end attribution scores;
//! and main-text extraction from web pages scored as trafilatura scores it ([`html`]).
//!
//! * [`read_brat`] turns one brat standoff `.ann` file (with the text it
//!   annotates) into [`GoldAttribution`]s whose spans are byte ranges into
//!   the text, like every [`Span`] of the pipeline; [`polnear_docs`] lists
//!   the documents of one PolNeAR split.
//! * [`Scorer`] compares predicted [`Attribution`]s with gold ones, one
//!   document at a time, and sums micro-averaged counts into a [`Report`]:
//!   exact-span and token precision/recall/F1 per role (source, cue,
//!   content), end-to-end attribution F1, and the same restricted to direct
//!   quotes. The metrics are defined in [`score`](Scorer#metrics).

mod brat;
pub mod html;
mod score;
mod tokens;

pub use brat::{polnear_docs, read_brat, read_doc, GoldAttribution};
pub use score::{starts_with_quote, PerRole, Prf, Report, Scorer, QUOTE_MARKS};
pub use tokens::tokenize;

#[doc(no_inline)]
pub use onrecord_core::{Attribution, Span};

use std::path::PathBuf;

/// Why a corpus file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A line of a `.ann` file that cannot be understood (1-based line).
    #[error("line {line}: {message}")]
    Format { line: usize, message: String },
    /// An annotation offset (in code points) beyond the end of the text,
    /// or a fragment whose start is after its end.
    #[error("line {line}: offsets {start}..{end} out of range (text has {len} characters)")]
    Offset {
        line: usize,
        start: usize,
        end: usize,
        len: usize,
    },
    /// A text file without its annotation file.
    #[error("{text}: no annotation file {ann}")]
    MissingAnn { text: PathBuf, ann: PathBuf },
    /// An error in one file, with the file named.
    #[error("{path}: {source}")]
    InFile {
        path: PathBuf,
        #[source]
        source: Box<EvalError>,
    },
}
