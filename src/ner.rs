//! `onrecord train ner` and `onrecord eval conll`.

use anyhow::{Context, Result};
use onrecord_entities::conll::{self, ConllDoc, Score};
use onrecord_entities::training::{evaluate, train_model, TrainDoc};
use onrecord_entities::NerModel;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

pub fn load_model(path: Option<&Path>) -> Result<NerModel> {
    Ok(onrecord_pipeline::models::ner(path)?)
}

fn read(path: &Path) -> Result<Vec<ConllDoc>> {
    Ok(conll::read(path)?)
}

/// Scores `model` on a CoNLL file; optionally writes the file back with the
/// predicted IOB2 tag as one more column.
pub fn eval(model: &NerModel, file: &Path, predictions: Option<&Path>) -> Result<Score> {
    let docs = read(file)?;
    let mut w = match predictions {
        Some(p) => Some(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?,
        )),
        None => None,
    };
    let mut err = Ok(());
    let score = evaluate(model, &docs, |s, pred| {
        if let (Some(w), Ok(())) = (w.as_mut(), &err) {
            err = conll::write_predictions(w, s, pred);
        }
    });
    err?;
    if let Some(mut w) = w {
        w.flush()?;
    }
    Ok(score)
}

pub fn train(
    train: &Path,
    dev: &Path,
    out: &Path,
    epochs: usize,
    bits: u32,
    seed: u64,
    folds: usize,
) -> Result<()> {
    let t0 = Instant::now();
    let docs = read(train)?;
    let tdocs: Vec<TrainDoc> = docs.iter().map(TrainDoc::from_conll).collect();
    let tokens: usize = tdocs.iter().map(|d| d.words.len()).sum();
    eprintln!(
        "train: {} documents, {tokens} tokens from {}",
        tdocs.len(),
        train.display()
    );
    let cfg = onrecord_tagger::TrainConfig {
        epochs,
        bits,
        seed,
        ..Default::default()
    };
    let model = train_model(&tdocs, &cfg, folds, &|l| eprintln!("train: {l}"));
    drop(tdocs);
    let bytes = model.to_bytes()?;
    crate::train::write_model_file(out, &bytes)?;
    let secs = t0.elapsed().as_secs_f64();
    eprintln!(
        "train: wrote {} ({} bytes) in {secs:.1}s",
        out.display(),
        bytes.len()
    );
    let model = NerModel::from_bytes(&bytes)?;
    let score = eval(&model, dev, None)?;
    eprintln!("dev ({}):\n{score}", dev.display());
    let card = format!(
        "# Model card: entity tagger (`{out}`)\n\n\
This file is written by the training command; do not edit by hand.\n\n\
- **Task**: named entities PER / ORG / LOC / MISC (BILOU labels, decoded to IOB2 spans).\n\
- **Model**: {passes}{stack}, first-order Viterbi with BILOU constraints, hashed features (2^{bits} buckets × 17 labels): word, lower case, affixes, shapes, a ±2 word window (pass 2: ±1, without affixes), sentence and document context (headline case, the word seen in lower case or mid-sentence elsewhere in the article; title-case headline words the article never capitalises are read in lower case); only capitalised stretches of a sentence (±1 token) are tagged, the rest is `O`; weights quantised to i8, zero buckets dropped.\n\
- **Data**: CoNLL-2003 English train (`{train}`, {tokens} tokens); tuned and scored on dev (`{dev}`, eng.testa). The POS and chunk columns are not used (raw text has none).\n\
- **Command**: `cargo run --release -- train ner --epochs {epochs} --bits {bits} --seed {seed} --folds {folds}` (deterministic for a given seed; {secs:.0} s on the 2-core dev machine).\n\
- **Size**: {size} bytes.\n\n\
## Dev scores (`onrecord eval conll {dev}`), conlleval definition\n\n```\n{score}```\n",
        out = out.display(),
        train = train.display(),
        dev = dev.display(),
        passes = if model.pass2.is_some() {
            "two stacked averaged structured perceptron passes"
        } else {
            "one averaged structured perceptron pass"
        },
        stack = if model.pass2.is_some() {
            format!(" (pass 2 also sees pass 1's labels and the type given to the same word elsewhere in the article; trained on {folds}-fold jackknifed pass-1 labels)")
        } else {
            String::new()
        },
        size = bytes.len(),
    );
    crate::train::write_card(out, &card)
}
