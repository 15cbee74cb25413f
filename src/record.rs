//! `onrecord ingest` and the other commands on the record (the store):
//! arguments here, queries and rendering in `query.rs`.

use crate::extract::{fill_batch, Pipeline, PipelineScratch, BATCH};
use anyhow::{Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use onrecord_entities::{apply_registry, Registry};

use onrecord_core::Document;
use onrecord_store::{
    article_key, content_hash, error_key, hash_bytes, identity_url, text_hash, ArticleRecord,
    BatchSummary, ErrorRecord, Item, Store,
};
use rayon::prelude::*;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Instant;

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
        input: crate::InputArgs,
        #[command(flatten)]
        fetch: crate::watch::FetchArgs,
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

pub fn run(cmd: RecordCmd) -> Result<ExitCode> {
    match cmd {
        RecordCmd::Ingest {
            paths,
            db,
            threads,
            model,
            quiet,
            json,
            input,
            fetch,
        } => {
            crate::set_threads(threads);
            let pipeline = pipeline_id(model.as_deref())?;
            let ex = Pipeline::load(model.as_deref(), None)?;
            ingest(
                &ex,
                &pipeline,
                &paths,
                &input.options(),
                &fetch,
                &db.db,
                match (json, quiet) {
                    (true, _) => Summary::Json,
                    (false, true) => Summary::Quiet,
                    _ => Summary::Line,
                },
            )
        }
        RecordCmd::Threads {
            about,
            min,
            limit,
            db,
            json,
            jsonl,
        } => crate::threads::list(
            &db.db,
            about.as_deref(),
            min,
            limit,
            crate::extract::ListFormat::new(json, jsonl),
        ),
        RecordCmd::Thread { id, db, json } => crate::threads::show(&db.db, &id, json),
        // a closed pipe (`onrecord export … | head`) ends quietly in main
        other => crate::query::run(other),
    }
}

/// What extracts articles for the record, as part of every content hash:
/// the onrecord version and both models, so a new model of either kind
/// re-extracts every article.
pub fn pipeline_id(model: Option<&Path>) -> Result<String> {
    let model_hash = match model {
        Some(p) => {
            hash_bytes(&std::fs::read(p).with_context(|| format!("reading model {}", p.display()))?)
        }
        None => hash_bytes(onrecord_attribution::EMBEDDED_MODEL),
    };
    // a new model of any kind re-extracts every article
    Ok(format!(
        "onrecord {} attribution {} chunks {} clusters {} entities {} threads {} stance {}",
        env!("CARGO_PKG_VERSION"),
        model_hash,
        hash_bytes(onrecord_chunks::EMBEDDED_MODEL),
        hash_bytes(onrecord_clusters::EMBEDDED),
        hash_bytes(onrecord_entities::EMBEDDED_MODEL),
        hash_bytes(onrecord_threads::idf::EMBEDDED),
        hash_bytes(onrecord_threads::stance_model::EMBEDDED)
    ))
}

/// What ingesting grows across articles, seeded from the record: the
/// surnames known (bare surnames link to the one full-name person), the
/// events reported and the threads of statements.
pub struct Growth {
    pub registry: Registry,
    pub events: onrecord_events::Registry,
    pub threads: onrecord_threads::Threads,
    /// What the last batches handed to the writer (maybe not committed
    /// yet), to catch copies within a run.
    pub recent: Recent,
}

/// The keys, URLs and word hashes of the articles of the last
/// [`Recent::BATCHES`] batches of this run: copies the record may not
/// show yet (the writer commits a batch while the next is extracted).
/// Bounded: older batches are in the record, where
/// [`Store::duplicate_of`] finds them.
#[derive(Default)]
pub struct Recent {
    batches: std::collections::VecDeque<RecentBatch>,
}

#[derive(Default)]
struct RecentBatch {
    /// key → text hash
    keys: std::collections::HashMap<String, String>,
    /// URL → key
    urls: std::collections::HashMap<String, String>,
    /// text hash → key
    texts: std::collections::HashMap<String, String>,
}

/// What [`Recent::find`] saw before.
enum Seen {
    /// The same key, with the same words (a path given twice, a file and
    /// a link to it) or not (two records of one file with one id).
    Key { same_text: bool },
    /// Another key with the same URL or words.
    Copy(String),
}

impl Recent {
    /// Batches remembered: the one being built, two in the writer's
    /// queue, the one it writes, and one to spare.
    const BATCHES: usize = 5;

    fn find(&self, key: &str, url: Option<&str>, text: &str) -> Option<Seen> {
        for b in &self.batches {
            if let Some(t) = b.keys.get(key) {
                return Some(Seen::Key {
                    same_text: t == text,
                });
            }
        }
        for b in &self.batches {
            if let Some(k) = url.and_then(|u| b.urls.get(u)) {
                return Some(Seen::Copy(k.clone()));
            }
            if let Some(k) = (!text.is_empty()).then(|| b.texts.get(text)).flatten() {
                return Some(Seen::Copy(k.clone()));
            }
        }
        None
    }

    fn add(&mut self, key: &str, url: Option<String>, text: String) {
        if self.batches.is_empty() {
            self.batches.push_back(RecentBatch::default());
        }
        let Some(b) = self.batches.back_mut() else {
            return;
        };
        if let Some(u) = url {
            b.urls.insert(u, key.to_string());
        }
        if !text.is_empty() {
            b.texts.insert(text.clone(), key.to_string());
        }
        b.keys.insert(key.to_string(), text);
    }

    /// Starts the next batch, forgetting the oldest.
    fn next_batch(&mut self) {
        self.batches.push_back(RecentBatch::default());
        while self.batches.len() > Self::BATCHES {
            self.batches.pop_front();
        }
    }
}

impl Growth {
    /// The state the record `store` was left in.
    pub fn load(store: &Store) -> Result<Growth> {
        let mut registry = Registry::default();
        for e in store.entities().context("reading the record's entities")? {
            registry.add(&e.id);
        }
        Ok(Growth {
            registry,
            events: crate::threads::load_events(store)?,
            threads: crate::threads::load_threads(store)?,
            recent: Recent::default(),
        })
    }
}

/// The writer's items for documents with their keys and content hashes,
/// in input order: `Unchanged` for each one `reader` has with the same
/// hash (not extracted), else the extracted article (on all cores), with
/// identities, events and threads settled in input order through
/// `growth`, and the threads and events this touched. Shared by `ingest`
/// and `serve --allow-ingest`.
pub fn extract_items(
    ex: &Pipeline,
    reader: &Store,
    growth: &mut Growth,
    docs: Vec<(Document, String, String)>,
    items: &mut Vec<Item>,
) -> Result<()> {
    let mut todo = Vec::with_capacity(docs.len());
    // the word hash of each document in `todo`, for its record
    let mut todo_texts = Vec::with_capacity(docs.len());
    growth.recent.next_batch();
    for (d, key, hash) in docs {
        let text = text_hash(&d.text);
        let url = identity_url(d.meta.url.as_deref());
        // a copy of an article of this run, or of the record
        let of = match growth.recent.find(&key, url.as_deref(), &text) {
            Some(Seen::Key { same_text: true }) => Some(key.clone()),
            Some(Seen::Key { same_text: false }) => {
                let message = format!(
                    "document id {:?} is used by an earlier document of this input \
                     with other text: not stored (ids must be unique)",
                    d.id
                );
                eprintln!("onrecord: {}: {message}", d.path);
                items.push(Item::Error(ErrorRecord {
                    key: error_key(&d.path, None),
                    path: d.path.clone(),
                    line: None,
                    message,
                }));
                continue;
            }
            Some(Seen::Copy(of)) => Some(of),
            None => None,
        };
        let stored = match of {
            Some(_) => None,
            None => reader.hash_of(&key)?,
        };
        if stored.as_ref() == Some(&hash) {
            growth.recent.add(&key, url, text);
            let error_key = error_key(&d.path, None);
            items.push(Item::Unchanged { key, error_key });
            continue;
        }
        let of = match of {
            Some(of) => Some(of),
            None => reader.duplicate_of(&key, url.as_deref(), &text)?,
        };
        if let Some(of) = of {
            let error_key = error_key(&d.path, None);
            items.push(Item::Duplicate { key, of, error_key });
            continue;
        }
        if stored.is_some() {
            // a changed article: its old statements leave their threads
            crate::threads::forget(reader, &key, &mut growth.threads)?;
        }
        growth.recent.add(&key, url, text.clone());
        todo.push((d, key, hash));
        todo_texts.push(text);
    }
    let mut extracted: Vec<(Document, String, String, onrecord_core::Extraction)> = todo
        .into_par_iter()
        .map_init(PipelineScratch::default, |s, (d, key, hash)| {
            let extraction = ex.process(&d, s);
            (d, key, hash, extraction)
        })
        .collect();
    // identities, events and threads are settled in input order, as in `extract`
    let mut touched = Vec::new();
    for (d, _, _, x) in &mut extracted {
        apply_registry(x, &mut growth.registry);
        growth.events.link(x);
        touched.extend(growth.threads.assign(x, d.meta.date.as_deref()));
    }
    items.extend(crate::threads::state_items(
        &extracted,
        &growth.events,
        &growth.threads,
        touched,
    ));
    items.extend(
        extracted
            .into_iter()
            .zip(todo_texts)
            .map(|((d, key, hash, x), text)| {
                Item::Article(ArticleRecord::new(key, hash, text, d, &x))
            }),
    );
    Ok(())
}

/// How `ingest` reports what it did.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Summary {
    /// One line on standard error (and a progress bar on a terminal).
    Line,
    /// Errors only.
    Quiet,
    /// One JSON object on standard output.
    Json,
}

/// Streams documents in batches; for each, drops the ones already stored
/// with the same hash, extracts the rest on all cores and hands the batch
/// to the writer thread, which commits it in one transaction while the
/// next batch is extracted.
pub fn ingest(
    ex: &Pipeline,
    pipeline: &str,
    paths: &[PathBuf],
    options: &onrecord_ingest::ReadOptions,
    fetch: &crate::watch::FetchArgs,
    db: &Path,
    summary: Summary,
) -> Result<ExitCode> {
    let quiet = summary != Summary::Line;
    let started = Instant::now();
    // URLs (and files listing them) are polled after the files are read
    let (files, urls, url_errors) = crate::watch::split_urls(paths);
    let paths = &files[..];
    for e in &url_errors {
        eprintln!("onrecord: {e}");
    }
    let mut store = Store::open(db).context("opening the record")?;
    let reader = Store::open_read(db).context("opening the record")?;
    let progress = (!quiet && std::io::stderr().is_terminal()).then(|| progress_bar(paths));

    let (tx, rx) = mpsc::sync_channel::<Vec<Item>>(2);
    let writer = std::thread::spawn(move || -> Result<BatchSummary> {
        let mut sum = BatchSummary::default();
        for batch in rx {
            sum += store.write_batch(batch).context("writing to the record")?;
        }
        store.checkpoint().context("writing the record")?;
        Ok(sum)
    });

    // identities, events and threads go on from where the record left them
    let mut growth = Growth::load(&reader)?;
    let mut docs = onrecord_ingest::read_paths_with(paths, options.clone());
    let mut report = crate::extract::InputReport::default();
    let mut failed = 0u64;
    let mut articles = 0u64;
    let mut batch: Vec<Document> = Vec::with_capacity(BATCH);
    let mut sent_ok = true;
    loop {
        let mut items: Vec<Item> = Vec::new();
        fill_batch(&mut docs, &mut batch, |e| {
            failed += 1;
            let msg = format!("onrecord: {e}");
            match &progress {
                Some(pb) => pb.suspend(|| eprintln!("{msg}")),
                None => eprintln!("{msg}"),
            }
            items.push(Item::Error(ErrorRecord {
                key: error_key(&e.place(), None),
                path: if e.line.is_some() {
                    e.path.clone()
                } else {
                    e.place()
                },
                line: e.line,
                message: e.kind.to_string(),
            }));
            Ok(())
        })?;
        if batch.is_empty() && items.is_empty() {
            break;
        }
        articles += batch.len() as u64;
        report.count_languages(&batch);
        // keys and hashes in parallel, then the stored hashes (one reader)
        let keyed: Vec<(String, String)> = batch
            .par_iter()
            .map(|d| {
                let h = content_hash(d, pipeline);
                (article_key(d, &h), h)
            })
            .collect();
        let keyed: Vec<(Document, String, String)> = batch
            .drain(..)
            .zip(keyed)
            .map(|(d, (key, hash))| (d, key, hash))
            .collect();
        extract_items(ex, &reader, &mut growth, keyed, &mut items)?;
        if tx.send(items).is_err() {
            sent_ok = false; // the writer failed: its error is reported below
            break;
        }
        if let Some(pb) = &progress {
            pb.set_position(docs.consumed().min(pb.length().unwrap_or(0)));
            let secs = started.elapsed().as_secs_f64().max(1e-3);
            pb.set_message(format!(
                "{articles} articles, {:.0}/s",
                articles as f64 / secs
            ));
        }
    }
    drop(tx);
    let sum = match writer.join() {
        Ok(r) => r?,
        Err(_) => anyhow::bail!("the writer thread panicked"),
    };
    if !sent_ok {
        anyhow::bail!("the writer stopped early");
    }
    if let Some(pb) = &progress {
        pb.finish_and_clear();
    }
    // the writer counts every error item: unreadable inputs and refused documents
    let mut failed = sum.errors.max(failed) + url_errors.len() as u64;
    if !urls.is_empty() {
        let fetcher =
            onrecord_feeds::Fetcher::new(fetch.config()).map_err(|e| anyhow::anyhow!("{e}"))?;
        let polled = crate::watch::poll(ex, pipeline, &urls, db, &mut growth, &fetcher, true)?;
        failed += polled.errors;
        if !quiet {
            eprintln!("onrecord: {polled}");
        }
    }
    if summary == Summary::Json {
        let counts = reader.counts()?;
        let skipped = docs.skipped();
        let v = serde_json::json!({
            "articles": sum.new + sum.updated + sum.unchanged + sum.duplicates,
            "new": sum.new,
            "updated": sum.updated,
            "unchanged": sum.unchanged,
            "duplicates": sum.duplicates,
            "attributions": sum.attributions,
            "errors": failed,
            "people": counts.people,
            "skipped_files": skipped.files,
            "skipped_records": skipped.records,
            "nul_documents": skipped.nul_documents,
            "unsupported_languages": report.languages,
            "seconds": started.elapsed().as_secs_f64(),
            "db": db.display().to_string(),
        });
        crate::print_out(&serde_json::to_string_pretty(&v)?)?;
    }
    if !quiet && (!paths.is_empty() || urls.is_empty()) {
        let counts = reader.counts()?;
        let secs = started.elapsed().as_secs_f64();
        let total = sum.new + sum.updated + sum.unchanged + sum.duplicates;
        let mut extra = String::new();
        if let Some(l) = report.languages_note() {
            extra.push_str(&format!(", {l}"));
        }
        let skipped = docs.skipped();
        if !skipped.is_empty() {
            extra.push_str(&format!(", {skipped}"));
        }
        // the same URL, words or path as an article already read: not stored again
        let dups = match sum.duplicates {
            0 => String::new(),
            1 => ", 1 duplicate".into(),
            n => format!(", {n} duplicates"),
        };
        eprintln!(
            "onrecord: {total} articles ({} new, {} updated, {} unchanged{dups}), {} attributions written, \
             {} people in the record, {} errors{extra}, {:.2} s ({:.0} articles/s) → {}",
            sum.new,
            sum.updated,
            sum.unchanged,
            sum.attributions,
            counts.people,
            failed,
            secs,
            total as f64 / secs.max(1e-3),
            db.display()
        );
    }
    Ok(if failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// A progress bar over the bytes of the input files, as stored (walked up
/// front by the reader's rules; only done on a terminal).
fn progress_bar(paths: &[PathBuf]) -> ProgressBar {
    let total = onrecord_ingest::input_size(paths);
    let pb = ProgressBar::new(total.max(1));
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} {elapsed_precise} [{wide_bar}] {percent:>3}% {msg}, ETA {eta}",
    ) {
        pb.set_style(style.progress_chars("=> "));
    }
    pb.set_message("0 articles");
    pb.enable_steady_tick(std::time::Duration::from_millis(200));
    pb
}
