//! What every command shares at the edge of the process: exit codes and
//! the failures that choose them, printing to standard output, the
//! worker-thread count, and the arguments that say how inputs are read.
//! A leaf: it imports no other module of the binary.

use clap::ValueEnum;
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per document, one per line.
    Jsonl,
    /// A readable view for people.
    Pretty,
}

/// How inputs are read (every command that reads articles).
#[derive(clap::Args, Clone, Default)]
pub struct InputArgs {
    /// The CSV/TSV column that holds the article text (default: the first
    /// of text, maintext, content, body, article, article_text).
    #[arg(long, value_name = "NAME")]
    pub text_column: Option<String>,
}

impl InputArgs {
    pub fn options(&self) -> onrecord_ingest::ReadOptions {
        onrecord_ingest::ReadOptions {
            text_column: self.text_column.clone(),
        }
    }
}

pub fn set_threads(n: Option<usize>) {
    if let Some(n) = n {
        // only fails if a pool was already built, which cannot happen here
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global();
    }
}

/// Exit codes, the same for every command (README, `--help`): 0 done,
/// 1 not found or nothing matched, 2 a usage or input error or any other
/// failure. Output closed early (`onrecord … | head`) is not an error: 0.
pub mod exit {
    pub const OK: u8 = 0;
    pub const NOT_FOUND: u8 = 1;
    pub const ERROR: u8 = 2;
}

/// A failure with its own exit code (every other error exits
/// [`exit::ERROR`]).
#[derive(Debug)]
pub enum Fail {
    /// What was asked for is not in the record: exit 1, the message on
    /// stderr.
    NotFound(String),
    /// A bad argument value: exit 2.
    Usage(String),
}

impl Fail {
    pub fn not_found(message: impl Into<String>) -> anyhow::Error {
        Fail::NotFound(message.into()).into()
    }
    pub fn usage(message: impl Into<String>) -> anyhow::Error {
        Fail::Usage(message.into()).into()
    }
}

impl std::fmt::Display for Fail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fail::NotFound(m) | Fail::Usage(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Fail {}

/// Exit 0 when something matched, else [`exit::NOT_FOUND`].
pub fn matched(any: bool) -> ExitCode {
    ExitCode::from(if any { exit::OK } else { exit::NOT_FOUND })
}

/// Writes `v` and a newline to standard output, flushed: an error (not a
/// panic, as with `println!`) when the output is closed.
pub fn print_out(v: &dyn std::fmt::Display) -> std::io::Result<()> {
    use std::io::Write;
    let mut o = std::io::stdout().lock();
    writeln!(o, "{v}")?;
    o.flush()
}

/// How a list is printed: a table for people, one JSON array (`--json`)
/// or one JSON object a line (`--jsonl`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ListFormat {
    Table,
    Json,
    Jsonl,
}

impl ListFormat {
    pub fn new(json: bool, jsonl: bool) -> ListFormat {
        match (json, jsonl) {
            (_, true) => ListFormat::Jsonl,
            (true, false) => ListFormat::Json,
            _ => ListFormat::Table,
        }
    }
}

/// How `ingest` and `link` report what they did.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Summary {
    /// One line on standard error (and a progress bar on a terminal).
    Line,
    /// Errors only.
    Quiet,
    /// One JSON object on standard output.
    Json,
}

impl Summary {
    /// From the `--json` and `--quiet` flags (`--json` wins).
    pub fn new(json: bool, quiet: bool) -> Summary {
        match (json, quiet) {
            (true, _) => Summary::Json,
            (false, true) => Summary::Quiet,
            _ => Summary::Line,
        }
    }
}
