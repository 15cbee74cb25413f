//! `onrecord extract` and `onrecord entities`: stream documents, extract in
//! parallel, settle cross-document identities in input order, print.

use crate::output::{write_document, write_pretty};
use crate::Format;
use anyhow::Result;
use onrecord_attribution::{Extractor, Scratch};
use onrecord_core::{Document, EntityKind, Extraction};
use onrecord_entities::{
    apply_registry, EntityExtractor, MergedEntity, Registry, Scratch as EntityScratch,
};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn load_extractor(model: Option<&Path>) -> Result<Extractor> {
    crate::train::load_model(
        model,
        Extractor::from_bytes,
        Extractor::embedded,
        "attribution",
    )
}

/// Every extraction stage, loaded once and shared by all worker threads.
pub struct Pipeline {
    pub attribution: Extractor,
    /// `None` with `--no-entities`.
    pub entities: Option<EntityExtractor>,
    /// Subjects and stances of statements.
    pub describer: onrecord_threads::Describer,
}

/// Per-thread buffers of every stage.
#[derive(Default)]
pub struct PipelineScratch {
    attribution: Scratch,
    entities: EntityScratch,
}

impl Pipeline {
    pub fn load(model: Option<&Path>, ner_model: Option<&Path>) -> Result<Pipeline> {
        Ok(Pipeline {
            attribution: load_extractor(model)?,
            entities: Some(EntityExtractor::from_model(crate::ner::load_model(
                ner_model,
            )?)),
            describer: onrecord_threads::Describer::default(),
        })
    }

    /// Text layer, attributions, entities and speaker links for one document.
    /// Ids of bare surnames are settled later, in input order, by
    /// [`onrecord_entities::apply_registry`]. A document in a language the
    /// models do not cover gets nothing but `skipped` and a diagnostic.
    pub fn process(&self, doc: &Document, s: &mut PipelineScratch) -> Extraction {
        if let Some(lang) = unsupported_language(doc) {
            let why = format!("unsupported language: {lang}");
            return Extraction {
                diagnostics: vec![onrecord_core::Diagnostic {
                    span: None,
                    message: format!("{why}: not extracted (the models are English)"),
                }],
                skipped: Some(why),
                ..Extraction::default()
            };
        }
        let layer = onrecord_text::analyze(&doc.text, &doc.body);
        let mut ex = self
            .attribution
            .extract(&doc.text, &layer, &mut s.attribution);
        if let Some(e) = &self.entities {
            e.extract(doc, &layer, &mut ex, &mut s.entities);
        }
        add_dates(doc, &layer, &mut ex);
        if self.entities.is_some() {
            ex.events = onrecord_events::extract(&doc.text, &layer, &ex);
        }
        self.describer.describe(doc, &layer, &mut ex);
        ex
    }
}

/// The languages the models were trained on.
pub const LANGUAGES: [&str; 1] = ["en"];

/// The document's language, when it is known and not one the models cover.
pub fn unsupported_language(doc: &Document) -> Option<&str> {
    doc.meta
        .language
        .as_deref()
        .filter(|l| !LANGUAGES.contains(l))
}

/// Dates in the prose (normalised against the publication date), and for
/// each attribution the date in the sentence of its cue (or content).
fn add_dates(doc: &Document, layer: &onrecord_text::TextLayer, ex: &mut Extraction) {
    let published = doc
        .meta
        .date
        .as_deref()
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let found = onrecord_dates::find(&doc.text, layer, published);
    for a in &mut ex.attributions {
        if let Some(&anchor) = a.cue.first().or(a.content.first()) {
            a.date = onrecord_dates::date_of(layer, &found, anchor);
        }
    }
    ex.dates = found
        .into_iter()
        .map(|d| onrecord_core::TextDate {
            span: d.span,
            value: d.value(),
            granularity: d.granularity.as_str(),
        })
        .collect();
}

/// Runs text analysis and attribution extraction only (evaluation).
pub fn process(ex: &Extractor, doc: &Document, scratch: &mut Scratch) -> Extraction {
    let layer = onrecord_text::analyze(&doc.text, &doc.body);
    ex.extract(&doc.text, &layer, scratch)
}

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
    let mut registry = Registry::default();
    let mut events = onrecord_events::Registry::default();
    let mut threads = onrecord_threads::Threads::default();
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
        let mut results: Vec<Extraction> = batch
            .par_iter()
            .map_init(PipelineScratch::default, |s, d| p.process(d, s))
            .collect();
        // cross-document identity is settled in input order, so the output
        // does not depend on the number of threads
        for (d, ex) in batch.iter().zip(&mut results) {
            apply_registry(ex, &mut registry);
            events.link(ex);
            threads.assign(ex, d.meta.date.as_deref());
        }
        each(&batch, &results)?;
    }
    report.failed = failed;
    report.skipped = docs.skipped().clone();
    Ok(report)
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
                    crate::Fail::usage(format!(
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
