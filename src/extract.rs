//! `onrecord extract`: stream documents, extract in parallel, print in order.

use crate::output::{write_document, write_pretty};
use crate::Format;
use anyhow::{Context, Result};
use onrecord_attribution::{Extractor, Scratch};
use onrecord_core::{Document, Extraction};
use rayon::prelude::*;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn load_extractor(model: Option<&Path>) -> Result<Extractor> {
    match model {
        Some(p) => {
            let bytes = std::fs::read(p).with_context(|| format!("reading model {}", p.display()))?;
            Extractor::from_bytes(&bytes).with_context(|| format!("loading model {}", p.display()))
        }
        None => Extractor::embedded().context("the built-in attribution model is missing or corrupt; run `onrecord train attribution` and rebuild"),
    }
}

/// Runs text analysis and extraction on one document.
pub fn process(ex: &Extractor, doc: &Document, scratch: &mut Scratch) -> Extraction {
    let layer = onrecord_text::analyze(&doc.text, &doc.body);
    ex.extract(&doc.text, &layer, scratch)
}

/// Documents are read in batches; each batch is extracted on all cores and
/// written in input order, so memory stays bounded by the batch size.
const BATCH: usize = 256;

pub fn run(ex: &Extractor, paths: &[PathBuf], format: Format) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut docs = onrecord_ingest::read_paths(paths);
    let mut failed = 0usize;
    let mut batch: Vec<Document> = Vec::with_capacity(BATCH);
    loop {
        batch.clear();
        for item in docs.by_ref() {
            match item {
                Ok(d) => {
                    batch.push(d);
                    if batch.len() == BATCH {
                        break;
                    }
                }
                Err(e) => {
                    failed += 1;
                    out.flush()?;
                    eprintln!("onrecord: {e}");
                }
            }
        }
        if batch.is_empty() {
            break;
        }
        let rendered: Vec<Vec<u8>> = batch
            .par_iter()
            .map_init(Scratch::default, |s, d| -> std::io::Result<Vec<u8>> {
                let ex = process(ex, d, s);
                let mut buf = Vec::with_capacity(4096);
                match format {
                    Format::Jsonl => write_document(&mut buf, d, &ex)?,
                    Format::Pretty => write_pretty(&mut buf, d, &ex)?,
                }
                Ok(buf)
            })
            .collect::<std::io::Result<_>>()?;
        for buf in &rendered {
            out.write_all(buf)?;
        }
    }
    out.flush()?;
    Ok(if failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
