//! `onrecord train clusters`.

use anyhow::{Context, Result};
use onrecord_clusters::{learn, LearnConfig};
use std::path::Path;
use std::time::Instant;

const PROBES: [&str; 6] = [
    "said",
    "told",
    "believes",
    "criticized",
    "trump",
    "minister",
];

pub fn train(polnear: &Path, conll: &Path, out: &Path, seed: u64) -> Result<()> {
    let t0 = Instant::now();
    // one sequence per paragraph, words in ASCII lower case (as the
    // taggers' word hashes are)
    let mut docs: Vec<Vec<String>> = Vec::new();
    let mut articles = 0;
    for item in onrecord_ingest::read_paths(&[polnear.to_path_buf()]) {
        let doc = item.with_context(|| format!("reading {}", polnear.display()))?;
        let layer = onrecord_text::analyze(&doc.text, &doc.body);
        for p in &layer.paragraphs {
            docs.push(
                layer.tokens[p.tokens.start as usize..p.tokens.end as usize]
                    .iter()
                    .map(|t| t.text(&doc.text).to_ascii_lowercase())
                    .collect(),
            );
        }
        articles += 1;
    }
    anyhow::ensure!(articles > 0, "no documents under {}", polnear.display());
    let sentences = onrecord_chunks::conll::read(conll)?;
    let n_sent = sentences.len();
    docs.extend(
        sentences
            .into_iter()
            .map(|s| s.words.iter().map(|w| w.to_ascii_lowercase()).collect()),
    );
    let cfg = LearnConfig {
        seed,
        ..LearnConfig::default()
    };
    let (clusters, report) = learn(&docs, &cfg, &PROBES);
    let bytes = clusters.to_bytes();
    crate::train::write_model_file(out, &bytes)?;
    let secs = t0.elapsed().as_secs_f64();
    eprintln!(
        "train: {articles} articles and {n_sent} CoNLL sentences, {} tokens; {} words clustered → {} ({} bytes) in {secs:.1}s",
        report.tokens,
        report.words,
        out.display(),
        bytes.len()
    );
    let mut probes = String::new();
    for (w, same) in &report.probes {
        eprintln!("  {w}: {}", same.join(" "));
        probes.push_str(&format!("- {w}: {}\n", same.join(" ")));
    }
    let card = format!(
        "# Model card: word clusters (`{out}`)\n\n\
This file is written by the training command; do not edit by hand.\n\n\
- **What**: a coarse ({coarse}) and a fine ({fine}) cluster for each of {words} words (ASCII lower case, seen at least {min} times), keyed by the taggers' word hash.\n\
- **Used by**: the attribution tagger, as features (`crates/attribution/src/features.rs`); retrain attribution after retraining these.\n\
- **Method**: positive PMI of each word's neighbours at -2, -1, +1, +2 among the {ctx} most frequent words; a rank-{dims} SVD (randomized subspace iteration, 3 power steps), rows `U Σ^½` scaled to unit length; spherical k-means ({iters} iterations) for each granularity.\n\
- **Data** (no labels used): the words of PolNeAR train's texts (`{polnear}`, {articles} articles, one sequence per paragraph, OnRecord's tokenizer) and CoNLL-2003 train (`{conll}`, {n_sent} sentences); {tokens} tokens.\n\
- **Command**: `cargo run --release -- train clusters --seed {seed}` (deterministic for a given seed; {secs:.0} s on the 2-core dev machine).\n\
- **Size**: {size} bytes.\n\n\
## Fine clusters of some words (the first 12 words of the cluster, most frequent first)\n\n{probes}",
        out = out.display(),
        coarse = cfg.coarse,
        fine = cfg.fine,
        words = report.words,
        min = cfg.min_count,
        ctx = cfg.contexts,
        dims = cfg.dims,
        iters = cfg.iterations,
        polnear = polnear.display(),
        conll = conll.display(),
        tokens = report.tokens,
        size = bytes.len(),
    );
    crate::train::write_card(out, &card)
}
