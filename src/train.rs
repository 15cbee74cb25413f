//! `onrecord train attribution` and `onrecord eval polnear`.

use anyhow::{Context, Result};
use onrecord_attribution::{training, Extractor, Scratch};
use onrecord_core::{Role, Span};
use onrecord_eval::{polnear_docs, read_doc, GoldAttribution, Report, Scorer};
use rayon::prelude::*;
use std::path::Path;
use std::time::Instant;

/// Cross-validation folds for the pass-1 labels that pass 2 learns from.
const FOLDS: usize = 4;

fn gold_spans(gold: &[GoldAttribution]) -> Vec<(Role, Span)> {
    let mut v = Vec::new();
    for g in gold {
        v.extend(g.source.iter().map(|&s| (Role::Source, s)));
        v.extend(g.cue.iter().map(|&s| (Role::Cue, s)));
        v.extend(g.content.iter().map(|&s| (Role::Content, s)));
    }
    v
}

/// Runs extraction over `DIR/text` and scores it against `DIR/attributions`.
/// With `oracle`, the gold token labels replace the model's: the score is
/// then the ceiling that tokenization and linking allow.
pub fn evaluate(ex: &Extractor, dir: &Path, oracle: bool) -> Result<Report> {
    let docs =
        polnear_docs(dir).with_context(|| format!("reading PolNeAR folder {}", dir.display()))?;
    evaluate_docs(ex, &docs, oracle)
}

/// [`evaluate`] over a list of `(name, text path, ann path)` documents.
pub fn evaluate_docs(
    ex: &Extractor,
    docs: &[(String, std::path::PathBuf, std::path::PathBuf)],
    oracle: bool,
) -> Result<Report> {
    let results: Vec<_> = docs
        .par_iter()
        .map_init(Scratch::default, |s, (name, tp, ap)| -> Result<_> {
            let (text, gold) =
                read_doc(tp, ap).with_context(|| format!("reading {}", tp.display()))?;
            let doc = onrecord_ingest::parse_text_file(name, &tp.to_string_lossy(), text)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let pred = if oracle {
                let layer = onrecord_text::analyze(&doc.text, &doc.body);
                let labels = training::gold_labels(&layer, &gold_spans(&gold));
                onrecord_attribution::extract_with_labels(&doc.text, &layer, &labels, s)
            } else {
                let layer = onrecord_text::analyze(&doc.text, &doc.body);
                ex.extract(&doc.text, &layer, s)
            };
            Ok((doc.text, gold, pred.attributions))
        })
        .collect::<Result<_>>()?;
    let mut scorer = Scorer::default();
    let dump = std::env::var_os("ONRECORD_DUMP_SPANS").is_some();
    for ((name, _, _), (text, gold, pred)) in docs.iter().zip(&results) {
        scorer.add(text, gold, pred);
        if dump {
            dump_spans(name, text, gold, pred);
        }
    }
    Ok(scorer.report())
}

/// `ONRECORD_DUMP_SPANS=1`: every gold and predicted span, one a line on
/// stdout (`doc`, `gold`/`pred`, attribution index, role, start, end, text),
/// for error analysis on held-out documents.
fn dump_spans(
    name: &str,
    text: &str,
    gold: &[GoldAttribution],
    pred: &[onrecord_core::Attribution],
) {
    let line = |side: &str, i: usize, role: Role, s: &Span| {
        let t = s.trim(text);
        let frag = text.get(t.start as usize..t.end as usize).unwrap_or("");
        println!(
            "{name}\t{side}\t{i}\t{role:?}\t{}\t{}\t{}",
            t.start,
            t.end,
            frag.replace(['\n', '\t'], " ")
        );
    };
    for (i, g) in gold.iter().enumerate() {
        for role in Role::ALL {
            let spans = match role {
                Role::Source => &g.source,
                Role::Cue => &g.cue,
                Role::Content => &g.content,
            };
            spans.iter().for_each(|s| line("gold", i, role, s));
        }
    }
    for (i, p) in pred.iter().enumerate() {
        for role in Role::ALL {
            p.spans(role).iter().for_each(|s| line("pred", i, role, s));
        }
    }
}

/// Settings of `onrecord train attribution`.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    pub epochs: usize,
    pub bits: u32,
    pub seed: u64,
    /// With `Some((k, j))`, the training documents whose index (in name
    /// order) is `j` modulo `k` are held out: the model is trained on the
    /// others and scored on them, and neither dev nor the model card is
    /// touched. This is how settings are chosen without looking at dev.
    pub holdout: Option<(usize, usize)>,
    /// Tag set size (see `onrecord_attribution::labels`).
    pub n_labels: usize,
    /// Decoding bias of the source, cue and content labels.
    pub bias: [f32; 3],
    /// Training margin (see [`onrecord_tagger::TrainConfig::margin`]).
    pub margin: f32,
    /// Buckets whose quantised weights are all at most this are dropped.
    pub prune: u8,
}

pub fn train_attribution(
    train_dir: &Path,
    dev_dir: &Path,
    out: &Path,
    opts: &TrainOptions,
) -> Result<()> {
    let TrainOptions {
        epochs,
        bits,
        seed,
        holdout,
        n_labels,
        bias,
        margin,
        prune,
    } = *opts;
    anyhow::ensure!(
        matches!(n_labels, 7 | 8 | 10),
        "--labels must be 7, 8 or 10 (got {n_labels})"
    );
    let t0 = Instant::now();
    let all_docs = polnear_docs(train_dir)
        .with_context(|| format!("reading PolNeAR folder {}", train_dir.display()))?;
    let (docs, held): (Vec<_>, Vec<_>) = match holdout {
        Some((k, j)) if k > 1 => {
            let (h, d): (Vec<_>, Vec<_>) = all_docs
                .into_iter()
                .enumerate()
                .partition(|(i, _)| i % k == j % k);
            (
                d.into_iter().map(|x| x.1).collect(),
                h.into_iter().map(|x| x.1).collect(),
            )
        }
        _ => (all_docs, Vec::new()),
    };
    eprintln!(
        "train: {} documents from {}",
        docs.len(),
        train_dir.display()
    );
    let train_docs: Vec<training::TrainDoc> = docs
        .par_iter()
        .map(|(name, tp, ap)| -> Result<_> {
            let (text, gold) =
                read_doc(tp, ap).with_context(|| format!("reading {}", tp.display()))?;
            let doc = onrecord_ingest::parse_text_file(name, &tp.to_string_lossy(), text)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let layer = onrecord_text::analyze(&doc.text, &doc.body);
            Ok(training::TrainDoc::with_labels(
                doc.text,
                layer,
                &gold_spans(&gold),
                n_labels,
            ))
        })
        .collect::<Result<_>>()?;
    let tokens: usize = train_docs.iter().map(|d| d.labels.len()).sum();
    eprintln!(
        "train: {tokens} tokens; read in {:.1}s",
        t0.elapsed().as_secs_f64()
    );
    let cfg = onrecord_tagger::TrainConfig {
        epochs,
        bits,
        seed,
        margin,
    };
    let mut model =
        training::train_model(&train_docs, &cfg, FOLDS, &|line| eprintln!("train: {line}"));
    model.bias = onrecord_attribution::model::AttributionModel::role_bias(n_labels, bias);
    if prune > 0 {
        let kept1 = model.pass1.prune(prune);
        let kept2 = model.pass2.as_mut().map_or(0, |m| m.prune(prune));
        eprintln!("train: pruned to {kept1} + {kept2} buckets (|q| > {prune})");
    }
    drop(train_docs);
    let bytes = model.to_bytes()?;
    write_model_file(out, &bytes)?;
    let secs = t0.elapsed().as_secs_f64();
    eprintln!(
        "train: wrote {} ({} bytes) in {:.1}s",
        out.display(),
        bytes.len(),
        secs
    );
    let ex = Extractor::from_bytes(&bytes)?;
    if !held.is_empty() {
        let r = evaluate_docs(&ex, &held, false)?;
        eprintln!("held-out train ({} documents):\n{r}", held.len());
        crate::cli::print_out(&format_args!(
            "HOLDOUT src {:.3} cue {:.3} content {:.3} e2e {:.3} direct {:.3} | tok {:.3} {:.3} {:.3}",
            r.exact.source.f1,
            r.exact.cue.f1,
            r.exact.content.f1,
            r.end_to_end.f1,
            r.direct_end_to_end.f1,
            r.token.source.f1,
            r.token.cue.f1,
            r.token.content.f1
        ))?;
        return Ok(());
    }
    let report = evaluate(&ex, dev_dir, false)?;
    eprintln!("dev ({}):\n{report}", dev_dir.display());
    let card = model_card(train_dir, dev_dir, out, opts, tokens, bytes.len(), &report);
    write_card(out, &card)
}

#[allow(clippy::too_many_arguments)]
fn model_card(
    train: &Path,
    dev: &Path,
    out: &Path,
    opts: &TrainOptions,
    tokens: usize,
    size: usize,
    r: &Report,
) -> String {
    let TrainOptions {
        epochs,
        bits,
        seed,
        n_labels,
        bias,
        margin,
        prune,
        ..
    } = *opts;
    let bias = format!("{},{},{}", bias[0], bias[1], bias[2]);
    format!(
        "# Model card: attribution tagger (`{out}`)\n\n\
This file is written by the training command; do not edit by hand.\n\n\
- **Task**: label each token as source, cue or content of an attribution (BIO), then link spans (see crates/attribution).\n\
- **Model**: two stacked averaged structured perceptrons (pass 2 also sees pass 1's labels; trained on {FOLDS}-fold jackknifed pass-1 labels), trained with a margin of {margin} (cost-augmented decoding: each wrong label's score raised by that much while training), first-order Viterbi, hashed features (2^{bits} buckets × {n_labels} labels: {tagset}), weights quantised to i8, buckets whose weights are all within ±{prune} steps of zero dropped; a decoding bias of {bias} (source, cue, content) on the final pass; a cue lexicon learned from the training data. Features: words, affixes, shapes, a word window, the cue lexicon, quotation structure, clause breaks, phrase chunks (`models/chunks.ortag`) and word clusters (`models/clusters.bin`); the file records the id of those two models and is refused by a build with other ones.\n\
- **Settings**: chosen on held-out train documents (`--holdout 5`: every fifth train document), never on dev.\n\
- **Data**: PolNeAR v1.0.0 train (`{train}`, {tokens} tokens); scored on PolNeAR dev (`{dev}`).\n\
- **Command**: `cargo run --release -- train attribution --epochs {epochs} --bits {bits} --seed {seed} --labels {n_labels} --bias {bias} --margin {margin} --prune {prune}` (deterministic for a given seed).\n\
- **Size**: {size} bytes.\n\n\
## Dev scores (`onrecord eval polnear {dev}`)\n\n```\n{r}\n```\n",
        out = out.display(),
        tagset = match n_labels {
            7 => "BIO",
            8 => "BIO with an L- (last token) label for content",
            _ => "BIO with L- (last token) labels",
        },
        train = train.display(),
        dev = dev.display(),
    )
}

/// Writes `card` as the model card beside the model file `out`
/// (`NAME.card.md`) and says so on stderr.
pub fn write_card(out: &Path, card: &str) -> Result<()> {
    let card_path = out.with_extension("card.md");
    std::fs::write(&card_path, card).with_context(|| format!("writing {}", card_path.display()))?;
    eprintln!("train: wrote {}", card_path.display());
    Ok(())
}

/// Writes a trained model atomically: a killed run never leaves a
/// half-written model behind.
pub fn write_model_file(out: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).ok();
    }
    let tmp = out.with_extension("tmp");
    std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, out).with_context(|| format!("writing {}", out.display()))?;
    Ok(())
}
