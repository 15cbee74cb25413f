//! `onrecord ingest` and the other commands on the record (the store):
//! its arguments in `args.rs`, queries and rendering in `query.rs`.

use crate::args::RecordCmd;
use crate::cli::Summary;
use crate::extract::extract_items;
use crate::extract::{fill_batch, BATCH};
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use onrecord_pipeline::models::pipeline_id;
use onrecord_pipeline::record::Growth;
use onrecord_pipeline::Pipeline;

use onrecord_core::Document;
use onrecord_store::{article_key, content_hash, error_key, ErrorRecord, Item, Store};
use rayon::prelude::*;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

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
            crate::cli::set_threads(threads);
            let pipeline = pipeline_id(model.as_deref())?;
            let ex = Pipeline::builder().model(model.as_deref()).load()?;
            ingest(
                &ex,
                &pipeline,
                &paths,
                &input.options(),
                &fetch,
                &db.db,
                Summary::new(json, quiet),
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
            crate::cli::ListFormat::new(json, jsonl),
        ),
        RecordCmd::Thread { id, db, json } => crate::threads::show(&db.db, &id, json),
        RecordCmd::Link {
            dir,
            db,
            quiet,
            json,
        } => crate::link::run(&dir, &db.db, Summary::new(json, quiet)),
        // a closed pipe (`onrecord export … | head`) ends quietly in main
        other => crate::query::run(other),
    }
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
    fetch: &crate::args::FetchArgs,
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
    let store = Store::open(db).context("opening the record")?;
    let reader = Store::open_read(db).context("opening the record")?;
    let progress = (!quiet && std::io::stderr().is_terminal()).then(|| progress_bar(paths));

    let (tx, writer) = crate::writer::spawn(store);

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
    let sum = crate::writer::finish(tx, writer)?;
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
        let mut v = crate::writer::summary_json(
            &sum,
            failed,
            counts.people,
            started.elapsed().as_secs_f64(),
            db,
        );
        v.insert(
            "skipped_files".into(),
            serde_json::to_value(&skipped.files)?,
        );
        v.insert(
            "skipped_records".into(),
            serde_json::to_value(&skipped.records)?,
        );
        v.insert(
            "nul_documents".into(),
            serde_json::to_value(skipped.nul_documents)?,
        );
        v.insert(
            "unsupported_languages".into(),
            serde_json::to_value(&report.languages)?,
        );
        let v = serde_json::Value::Object(v);
        crate::cli::print_out(&serde_json::to_string_pretty(&v)?)?;
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
