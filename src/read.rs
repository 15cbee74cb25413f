//! `onrecord read`: the documents as ingest reads them, before any
//! extraction: what text and metadata a web page, WARC record, CSV row or
//! file gave.

use anyhow::Result;
use onrecord_core::CharOffsets;
use serde::Serialize;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Serialize)]
struct OutRead<'a> {
    doc: &'a str,
    path: &'a str,
    format: &'static str,
    date: Option<&'a str>,
    title: Option<&'a str>,
    outlet: Option<&'a str>,
    url: Option<&'a str>,
    authors: &'a [String],
    language: Option<&'a str>,
    modified: Option<&'a str>,
    crawled: Option<&'a str>,
    description: Option<&'a str>,
    /// The prose regions extraction looks at (code points into `text`).
    body: Vec<[usize; 2]>,
    text: &'a str,
}

/// Prints one JSON object per document read (`--json` is the only form:
/// the text is the point), errors on stderr; exit 2 if any input failed.
pub fn run(paths: &[PathBuf], options: &onrecord_ingest::ReadOptions) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut docs = onrecord_ingest::read_paths_with(paths, options.clone());
    let mut failed = 0usize;
    for item in docs.by_ref() {
        match item {
            Ok(d) => {
                let o = CharOffsets::new(&d.text);
                let m = &d.meta;
                let rec = OutRead {
                    doc: &d.id,
                    path: &d.path,
                    format: d.origin.format.as_str(),
                    date: m.date.as_deref(),
                    title: m.title.as_deref(),
                    outlet: m.outlet.as_deref(),
                    url: m.url.as_deref(),
                    authors: &m.authors,
                    language: m.language.as_deref(),
                    modified: m.modified.as_deref(),
                    crawled: m.crawled.as_deref(),
                    description: m.description.as_deref(),
                    body: d
                        .body
                        .iter()
                        .map(|s| [o.char_of(s.start as usize), o.char_of(s.end as usize)])
                        .collect(),
                    text: &d.text,
                };
                serde_json::to_writer(&mut out, &rec)?;
                out.write_all(b"\n")?;
            }
            Err(e) => {
                failed += 1;
                out.flush()?;
                eprintln!("onrecord: {e}");
            }
        }
    }
    out.flush()?;
    let report = crate::extract::InputReport {
        failed,
        skipped: docs.skipped().clone(),
        ..Default::default()
    };
    Ok(crate::extract::exit_code(&report))
}
