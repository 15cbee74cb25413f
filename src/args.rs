//! The arguments of the commands on the record (`ingest`, `quotes`,
//! `export`, `threads`, …) and of fetching pages: clap types only, shared
//! by the modules that run those commands. A leaf but for [`crate::cli`].

use clap::{Args, Subcommand, ValueEnum};
use onrecord_feeds::{FetchConfig, Schedule};
use std::path::PathBuf;
use std::time::Duration;

/// Where the record is: `--db`, else `$ONRECORD_DB`, else `./onrecord.db`.
#[derive(Args, Clone)]
pub struct DbArg {
    /// The record's database file.
    #[arg(long, env = "ONRECORD_DB", default_value = "onrecord.db")]
    pub db: PathBuf,
}

/// Filters shared by `quotes` and `export`.
#[derive(Args, Clone, Default)]
pub struct QuoteArgs {
    /// Speaker: name, source text or any alias (whole words, any case or accents).
    #[arg(long)]
    pub speaker: Option<String>,
    /// Words the statement's content contains (full text, stemmed).
    #[arg(long)]
    pub about: Option<String>,
    /// Articles dated on or after (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// Articles dated on or before (YYYY, YYYY-MM or YYYY-MM-DD; a month includes all its days).
    #[arg(long)]
    pub to: Option<String>,
    /// Outlet (any case).
    #[arg(long)]
    pub outlet: Option<String>,
    /// Only statements of this kind: direct (quoted), mixed or indirect.
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum KindArg {
    Direct,
    Mixed,
    Indirect,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ByArg {
    Week,
    Month,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ExportFormat {
    Jsonl,
    Csv,
    Parquet,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
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

impl From<ExportTable> for onrecord_store::export::ExportTable {
    fn from(t: ExportTable) -> Self {
        use onrecord_store::export::ExportTable as T;
        match t {
            ExportTable::Quotes => T::Quotes,
            ExportTable::Articles => T::Articles,
            ExportTable::Entities => T::Entities,
            ExportTable::Errors => T::Errors,
        }
    }
}

#[derive(Subcommand)]
pub enum RecordCmd {
    /// Extract articles and store them in the record (incremental, idempotent).
    Ingest {
        /// Files or folders (read recursively) of any input kind: .txt (with
        /// metadata.tsv beside them), .jsonl, .json, .csv/.tsv, .html, .warc,
        /// each optionally .gz/.zst/.bz2; - for standard input;
        /// http(s) URLs of feeds or pages, and files of such URLs (one a line).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        db: DbArg,
        /// Worker threads (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
        /// Use this attribution model instead of the built-in one.
        #[arg(long)]
        model: Option<PathBuf>,
        /// No summary line (errors are still printed).
        #[arg(long, short)]
        quiet: bool,
        /// Print the summary as one JSON object on standard output (counts,
        /// errors, skipped inputs, languages, seconds) instead of a line on
        /// standard error.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        input: crate::cli::InputArgs,
        #[command(flatten)]
        fetch: crate::args::FetchArgs,
    },
    /// Build the record from extractions made elsewhere: the documents
    /// table the Spark job writes (DIR/documents/month=…/*.parquet), settled
    /// in order (months, then the input order) as ingest settles its input.
    Link {
        /// The job's output folder (or its documents/ folder).
        dir: PathBuf,
        #[command(flatten)]
        db: DbArg,
        /// No summary line (errors are still printed).
        #[arg(long, short)]
        quiet: bool,
        /// Print the summary as one JSON object on standard output.
        #[arg(long)]
        json: bool,
    },
    /// Threads: statements grouped by what they are about, largest first.
    Threads {
        /// Only threads with a statement matching these words (full text).
        #[arg(long)]
        about: Option<String>,
        /// Only threads with at least this many statements.
        #[arg(long, default_value_t = 2)]
        min: usize,
        /// At most this many threads, largest first.
        #[arg(long, default_value_t = 30)]
        limit: usize,
        #[command(flatten)]
        db: DbArg,
        /// Print one JSON array instead of a table.
        #[arg(long)]
        json: bool,
        /// Print one JSON object a line instead of a table.
        #[arg(long, conflicts_with = "json")]
        jsonl: bool,
    },
    /// One thread's timeline: date, speaker, outlet, stance, quote; and its event.
    Thread {
        /// The thread's id (`t12`), as `onrecord threads` lists them.
        id: String,
        #[command(flatten)]
        db: DbArg,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// List the inputs that could not be read (remembered by ingest).
    Errors {
        #[command(flatten)]
        db: DbArg,
        /// Print one JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Statements, filtered by speaker, subject, date, outlet, kind.
    Quotes {
        #[command(flatten)]
        filter: QuoteArgs,
        /// At most this many (0: all).
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[command(flatten)]
        db: DbArg,
        /// Print one JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Full-text search over statements and articles, ranked, with snippets.
    Search {
        /// What to search for: words, "a phrase", word* for a prefix, OR, NOT; a name finds that person's statements first.
        #[arg(allow_hyphen_values = true)]
        query: String,
        /// At most this many hits of each kind.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[command(flatten)]
        db: DbArg,
        /// Print one JSON object instead of tables.
        #[arg(long)]
        json: bool,
    },
    /// The people who speak most.
    People {
        /// How many people, most statements first.
        #[arg(long, default_value_t = 20)]
        top: usize,
        #[command(flatten)]
        db: DbArg,
        /// Print one JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// A profile: aliases, roles, statements, first/last seen, outlets, statements over time.
    Person {
        /// A name or any alias (any case or accents), or a person id.
        name: String,
        /// How many of the latest statements to list.
        #[arg(long, default_value_t = 10)]
        recent: usize,
        #[command(flatten)]
        db: DbArg,
        /// Print one JSON object instead of a profile.
        #[arg(long)]
        json: bool,
    },
    /// Statements by or about QUERY per week or month, as a bar chart.
    Timeline {
        /// A person's name, or words of what was said.
        #[arg(allow_hyphen_values = true)]
        query: String,
        /// Count per week or per month.
        #[arg(long, value_enum, default_value = "month")]
        by: ByArg,
        #[command(flatten)]
        db: DbArg,
        /// Print one JSON object instead of a chart.
        #[arg(long)]
        json: bool,
    },
    /// An article with its attributions marked: [source]{cue}«content».
    Show {
        /// Document id, path, or row id.
        article: String,
        #[command(flatten)]
        db: DbArg,
        /// Print one JSON object instead of the marked text.
        #[arg(long)]
        json: bool,
    },
    /// Export the record or a filtered set of statements (CSV, JSON lines, Parquet).
    Export {
        /// jsonl, csv, or parquet (in a build with the `parquet` feature).
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Write here instead of stdout.
        #[arg(long)]
        out: Option<PathBuf>,
        /// What to export.
        #[arg(long, value_enum, default_value = "quotes")]
        table: ExportTable,
        #[command(flatten)]
        filter: QuoteArgs,
        #[command(flatten)]
        db: DbArg,
    },
}

/// How pages are fetched (shared by `watch` and `ingest URL`).
#[derive(clap::Args, Clone)]
pub struct FetchArgs {
    /// Give up on one request after this long (`30s`, `2m`).
    #[arg(long, default_value = "30s", value_parser = parse_duration)]
    pub timeout: Duration,
    /// At most one request to the same host per this interval (`1s`; `0s`: none).
    #[arg(long, default_value = "1s", value_parser = parse_duration)]
    pub per_host_interval: Duration,
    /// Retries of a request that timed out or got 429/5xx (with backoff).
    #[arg(long, default_value_t = 3)]
    pub retries: u32,
    /// The largest page or feed fetched, in MiB.
    #[arg(long, default_value_t = 16)]
    pub max_mib: u64,
}

impl FetchArgs {
    pub fn config(&self) -> FetchConfig {
        FetchConfig {
            timeout: self.timeout,
            connect_timeout: self.timeout.min(Duration::from_secs(10)),
            per_host_interval: self.per_host_interval,
            retries: self.retries,
            backoff: Duration::from_secs(1).min(self.timeout),
            max_bytes: self.max_mib.saturating_mul(1024 * 1024),
            ..FetchConfig::default()
        }
    }
}

/// `90s`, `15m`, `2h30m`, or `0s`/`0` (none).
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    if t.trim_end_matches(['s', 'm', 'h']) == "0" {
        return Ok(Duration::ZERO);
    }
    Schedule::parse(t)
        .map(|s| s.every)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("0s"), Ok(Duration::ZERO));
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("2h30m"), Ok(Duration::from_secs(9000)));
        assert!(parse_duration("soon").is_err());
    }
}
