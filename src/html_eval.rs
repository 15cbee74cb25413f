//! `onrecord eval html`: main text and metadata of the web pages in
//! `../shared/data/html`, scored as trafilatura scores it
//! (`onrecord_eval::html`), with pages per second and metadata shares.

use anyhow::{Context, Result};
use onrecord_eval::html::{marked_date, read_key, Counts, Half, KeyPage};
use rayon::prelude::*;
use serde::Serialize;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

/// What `eval html` reports.
#[derive(Serialize)]
pub struct HtmlReport {
    pub pages: usize,
    pub half: Option<Half>,
    pub threads: usize,
    pub counts: Counts,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub accuracy: f64,
    /// Wall seconds of extraction (decoding, parsing, text and metadata), files already read.
    pub seconds: f64,
    pub pages_per_s: f64,
    pub errors: usize,
    pub share_date: f64,
    pub share_title: f64,
    pub share_author: f64,
    /// Pages whose raw HTML carries a JSON-LD `datePublished` or an `article:published_time`.
    pub pages_with_marked_date: usize,
    /// Of those, the share whose date found equals it.
    pub share_marked_date_equal: f64,
}

impl std::fmt::Display for HtmlReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let half = match self.half {
            Some(Half::Even) => " (even half)",
            Some(Half::Odd) => " (odd half)",
            None => "",
        };
        writeln!(
            f,
            "pages            {}{half}, {} without text",
            self.pages, self.errors
        )?;
        writeln!(
            f,
            "snippets         tp {}  fn {}  fp {}  tn {}",
            self.counts.tp, self.counts.fn_, self.counts.fp, self.counts.tn
        )?;
        writeln!(
            f,
            "precision {:.4}  recall {:.4}  F1 {:.4}  accuracy {:.4}",
            self.precision, self.recall, self.f1, self.accuracy
        )?;
        writeln!(
            f,
            "speed            {:.1} pages/s ({:.3} s, {} thread(s))",
            self.pages_per_s, self.seconds, self.threads
        )?;
        writeln!(
            f,
            "metadata         date {:.3}  title {:.3}  author {:.3}",
            self.share_date, self.share_title, self.share_author
        )?;
        write!(
            f,
            "marked date      {:.3} of {} pages equal to JSON-LD datePublished / article:published_time",
            self.share_marked_date_equal, self.pages_with_marked_date
        )
    }
}

#[derive(Serialize)]
struct DumpRow<'a> {
    file: &'a str,
    url: &'a str,
    text: Option<&'a str>,
    title: Option<&'a str>,
    date: Option<&'a str>,
    modified: Option<&'a str>,
    authors: &'a [String],
    site_name: Option<&'a str>,
    canonical: Option<&'a str>,
    language: Option<&'a str>,
    description: Option<&'a str>,
    encoding: Option<&'a str>,
    error: Option<String>,
}

/// Runs `eval html` over `dir` (evaldata.json and pages/).
pub fn run(
    dir: &Path,
    half: Option<Half>,
    threads: usize,
    dump: Option<&Path>,
) -> Result<HtmlReport> {
    let key: Vec<KeyPage> = read_key(&dir.join("evaldata.json"))?
        .into_iter()
        .filter(|p| half.is_none_or(|h| Half::of(&p.file) == h))
        .collect();
    let bytes: Vec<Vec<u8>> = key
        .iter()
        .map(|p| {
            let path = dir.join("pages").join(&p.file);
            std::fs::read(&path).with_context(|| format!("reading {}", path.display()))
        })
        .collect::<Result<_>>()?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build()
        .context("building the thread pool")?;
    let start = Instant::now();
    let results: Vec<Result<onrecord_html::Page, onrecord_html::HtmlError>> = pool.install(|| {
        key.par_iter()
            .zip(bytes.par_iter())
            .map(|(p, b)| {
                let hints = onrecord_html::Hints {
                    url: Some(&p.url),
                    ..Default::default()
                };
                onrecord_html::extract(b, &hints)
            })
            .collect()
    });
    let seconds = start.elapsed().as_secs_f64();
    let mut counts = Counts::default();
    let (mut errors, mut dated, mut titled, mut authored, mut marked, mut marked_equal) =
        (0, 0, 0, 0, 0, 0);
    let mut out = match dump {
        Some(path) => Some(std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        )),
        None => None,
    };
    for ((p, r), b) in key.iter().zip(&results).zip(&bytes) {
        let page = r.as_ref().ok();
        counts.add(Counts::page(page.map(|x| x.text.as_str()), p));
        errors += usize::from(page.is_none());
        dated += usize::from(page.is_some_and(|x| x.date.is_some()));
        titled += usize::from(page.is_some_and(|x| x.title.is_some()));
        authored += usize::from(page.is_some_and(|x| !x.authors.is_empty()));
        if let Some(want) = marked_date(b) {
            marked += 1;
            marked_equal +=
                usize::from(page.and_then(|x| x.date.as_deref()) == Some(want.as_str()));
        }
        if let Some(w) = out.as_mut() {
            let row = DumpRow {
                file: &p.file,
                url: &p.url,
                text: page.map(|x| x.text.as_str()),
                title: page.and_then(|x| x.title.as_deref()),
                date: page.and_then(|x| x.date.as_deref()),
                modified: page.and_then(|x| x.modified.as_deref()),
                authors: page.map_or(&[][..], |x| &x.authors[..]),
                site_name: page.and_then(|x| x.site_name.as_deref()),
                canonical: page.and_then(|x| x.url.as_deref()),
                language: page.and_then(|x| x.language.as_deref()),
                description: page.and_then(|x| x.description.as_deref()),
                encoding: page.map(|x| x.encoding),
                error: r.as_ref().err().map(|e| e.to_string()),
            };
            serde_json::to_writer(&mut *w, &row)?;
            w.write_all(b"\n")?;
        }
    }
    if let Some(mut w) = out {
        w.flush()?;
    }
    let n = key.len().max(1) as f64;
    Ok(HtmlReport {
        pages: key.len(),
        half,
        threads: threads.max(1),
        counts,
        precision: counts.precision(),
        recall: counts.recall(),
        f1: counts.f1(),
        accuracy: counts.accuracy(),
        seconds,
        pages_per_s: key.len() as f64 / seconds.max(1e-9),
        errors,
        share_date: dated as f64 / n,
        share_title: titled as f64 / n,
        share_author: authored as f64 / n,
        pages_with_marked_date: marked,
        share_marked_date_equal: marked_equal as f64 / (marked.max(1) as f64),
    })
}
