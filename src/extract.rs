//! `onrecord extract` and `onrecord entities`: stream documents, extract in
//! parallel, settle cross-document identities in input order, print.

use crate::cli::{Format, ListFormat};
use anyhow::Result;
use onrecord_core::{Document, EntityKind, Extraction};
use onrecord_entities::MergedEntity;
use onrecord_pipeline::output::{write_document, write_pretty};
use onrecord_pipeline::record::Growth;
use onrecord_pipeline::{unsupported_language, Linker, Pipeline};
use onrecord_store::{Item, Store};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Documents are read in batches; each batch is extracted on all cores and
/// handed to `each` in input order, so memory stays bounded by the batch size.
/// `ingest` commits one transaction per batch.
pub const BATCH: usize = 256;

/// Clears `batch` and refills it with up to [`BATCH`] documents from
/// `docs`; an input that cannot be read goes to `on_error` instead. An
/// empty batch means the input is exhausted.
pub fn fill_batch(
    docs: &mut onrecord_ingest::Documents,
    batch: &mut Vec<Document>,
    mut on_error: impl FnMut(onrecord_ingest::IngestError) -> Result<()>,
) -> Result<()> {
    batch.clear();
    for item in docs.by_ref() {
        match item {
            Ok(d) => {
                batch.push(d);
                if batch.len() == BATCH {
                    break;
                }
            }
            Err(e) => on_error(e)?,
        }
    }
    Ok(())
}

/// What reading the inputs gave besides documents: inputs that could not
/// be read, files and records passed over, and documents in languages the
/// models do not cover, so that nothing is skipped in silence.
#[derive(Debug, Default)]
pub struct InputReport {
    /// Inputs (files, lines, records) that could not be read.
    pub failed: usize,
    pub skipped: onrecord_ingest::Skipped,
    /// Documents not extracted because of their language, by language.
    pub languages: BTreeMap<String, u64>,
}

impl InputReport {
    /// Counts the documents of `batch` in unsupported languages.
    pub fn count_languages(&mut self, batch: &[Document]) {
        for d in batch {
            if let Some(l) = unsupported_language(d) {
                *self.languages.entry(l.to_string()).or_default() += 1;
            }
        }
    }

    /// `3 in unsupported languages (de 2, fr 1)`, or nothing.
    pub fn languages_note(&self) -> Option<String> {
        if self.languages.is_empty() {
            return None;
        }
        let n: u64 = self.languages.values().sum();
        let each: Vec<String> = self
            .languages
            .iter()
            .map(|(l, k)| format!("{l} {k}"))
            .collect();
        Some(format!(
            "{n} in unsupported languages ({}), stored without statements",
            each.join(", ")
        ))
    }

    /// Lines for stderr after a run: what was passed over.
    pub fn notes(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.skipped.is_empty() {
            out.push(format!("onrecord: {}", self.skipped));
        }
        if let Some(l) = self.languages_note() {
            let l = l.replace(
                "stored without statements",
                "not extracted (see each document's diagnostics)",
            );
            out.push(format!("onrecord: {l}"));
        }
        out
    }
}

/// Streams `paths` through the pipeline. Input errors are printed to stderr
/// (after `flush` is called, so they interleave sanely with output) and
/// counted in the report returned.
pub fn for_each_batch(
    p: &Pipeline,
    paths: &[PathBuf],
    options: &onrecord_ingest::ReadOptions,
    mut flush: impl FnMut() -> Result<()>,
    mut each: impl FnMut(&[Document], &[Extraction]) -> Result<()>,
) -> Result<InputReport> {
    let mut docs = onrecord_ingest::read_paths_with(paths, options.clone());
    let mut report = InputReport::default();
    let mut failed = 0usize;
    let mut batch: Vec<Document> = Vec::with_capacity(BATCH);
    let mut linker = Linker::default();
    loop {
        fill_batch(&mut docs, &mut batch, |e| {
            failed += 1;
            flush()?;
            eprintln!("onrecord: {e}");
            Ok(())
        })?;
        if batch.is_empty() {
            break;
        }
        report.count_languages(&batch);
        let mut results: Vec<Extraction> = p.process_batch(&batch);
        // cross-document identity is settled in input order, so the output
        // does not depend on the number of threads
        linker.link_all(batch.iter().zip(&mut results));
        each(&batch, &results)?;
    }
    report.failed = failed;
    report.skipped = docs.skipped().clone();
    Ok(report)
}

/// [`onrecord_pipeline::record::extract_items`], with the problems it
/// finds printed to standard error.
pub fn extract_items(
    ex: &Pipeline,
    reader: &Store,
    growth: &mut Growth,
    docs: Vec<(Document, String, String)>,
    items: &mut Vec<Item>,
) -> Result<()> {
    for note in onrecord_pipeline::record::extract_items(ex, reader, growth, docs, items)? {
        eprintln!("onrecord: {note}");
    }
    Ok(())
}

/// Prints the report's notes and gives the exit code: 2 if any input failed.
pub fn exit_code(report: &InputReport) -> ExitCode {
    for line in report.notes() {
        eprintln!("{line}");
    }
    if report.failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

pub fn run(
    p: &Pipeline,
    paths: &[PathBuf],
    options: &onrecord_ingest::ReadOptions,
    format: Format,
) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let out = std::cell::RefCell::new(BufWriter::with_capacity(1 << 16, stdout.lock()));
    let report = for_each_batch(
        p,
        paths,
        options,
        || Ok(out.borrow_mut().flush()?),
        |batch, results| {
            let rendered: Vec<Vec<u8>> = batch
                .par_iter()
                .zip(results)
                .map(|(d, ex)| -> std::io::Result<Vec<u8>> {
                    let mut buf = Vec::with_capacity(4096);
                    match format {
                        Format::Jsonl => write_document(&mut buf, d, ex)?,
                        Format::Pretty => write_pretty(&mut buf, d, ex)?,
                    }
                    Ok(buf)
                })
                .collect::<std::io::Result<_>>()?;
            let mut o = out.borrow_mut();
            for buf in &rendered {
                o.write_all(buf)?;
            }
            Ok(())
        },
    )?;
    out.borrow_mut().flush()?;
    Ok(exit_code(&report))
}

/// `onrecord entities`: one identity per line, merged across documents.
pub fn entities(
    p: &Pipeline,
    paths: &[PathBuf],
    options: &onrecord_ingest::ReadOptions,
    format: ListFormat,
    kind: Option<&str>,
) -> Result<ExitCode> {
    let want: Option<EntityKind> = match kind {
        None => None,
        Some(k) => Some(
            EntityKind::ALL
                .into_iter()
                .find(|x| x.as_str().eq_ignore_ascii_case(k) || x.conll().eq_ignore_ascii_case(k))
                .ok_or_else(|| {
                    crate::cli::Fail::usage(format!(
                        "unknown entity type {k:?}: use PERSON, ORG, LOC or MISC"
                    ))
                })?,
        ),
    };
    let mut merged: BTreeMap<String, MergedEntity> = BTreeMap::new();
    let report = for_each_batch(
        p,
        paths,
        options,
        || Ok(()),
        |batch, results| {
            for (d, ex) in batch.iter().zip(results) {
                for e in &ex.entities {
                    if want.is_some_and(|k| k != e.kind) {
                        continue;
                    }
                    merged
                        .entry(e.id.clone())
                        .or_insert_with(|| MergedEntity::new(e))
                        .add(e, d.meta.date.as_deref());
                }
            }
            Ok(())
        },
    )?;
    let mut list: Vec<&MergedEntity> = merged.values().collect();
    list.sort_by(|a, b| b.mentions.cmp(&a.mentions).then(a.id.cmp(&b.id)));
    let stdout = std::io::stdout();
    let mut o = BufWriter::new(stdout.lock());
    if format == ListFormat::Json {
        write!(o, "[")?;
    }
    for (i, e) in list.iter().enumerate() {
        if format != ListFormat::Table {
            let v = serde_json::json!({
                "id": e.id,
                "name": e.name,
                "type": e.kind,
                "aliases": e.aliases,
                "roles": e.roles.iter().map(|(t, d)| serde_json::json!({"title": t, "date": d})).collect::<Vec<_>>(),
                "documents": e.documents,
                "mentions": e.mentions,
                "candidates": e.candidates,
            });
            if format == ListFormat::Json {
                let sep = if i == 0 { "\n" } else { ",\n" };
                write!(o, "{sep}{v:#}")?;
            } else {
                writeln!(o, "{v}")?;
            }
        } else {
            let roles: Vec<String> = e
                .roles
                .iter()
                .map(|(t, d)| match d {
                    Some(d) => format!("{t} ({d})"),
                    None => t.clone(),
                })
                .collect();
            writeln!(
                o,
                "{:<7} {:<32} {:>3} docs {:>4} mentions  {}{}{}",
                e.kind.as_str(),
                e.name,
                e.documents,
                e.mentions,
                e.id,
                if e.aliases.is_empty() {
                    String::new()
                } else {
                    format!(
                        "  aka {}",
                        e.aliases.iter().cloned().collect::<Vec<_>>().join(", ")
                    )
                },
                if roles.is_empty() {
                    String::new()
                } else {
                    format!("  roles: {}", roles.join("; "))
                }
            )?;
        }
    }
    if format == ListFormat::Json {
        writeln!(o, "{}]", if list.is_empty() { "" } else { "\n" })?;
    }
    o.flush()?;
    Ok(exit_code(&report))
}
