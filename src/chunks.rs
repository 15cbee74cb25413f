//! `onrecord train chunks` and `onrecord eval chunks`.

use anyhow::Result;
use onrecord_chunks::conll::{self, evaluate, train_chunker, Score};
use onrecord_chunks::Chunker;
use std::path::Path;
use std::time::Instant;

pub fn load_model(path: Option<&Path>) -> Result<Chunker> {
    Ok(onrecord_pipeline::models::chunks(path)?)
}

pub fn eval(model: &Chunker, file: &Path) -> Result<Score> {
    let sentences = conll::read(file)?;
    Ok(evaluate(model, &sentences))
}

pub fn train(
    train: &Path,
    dev: &Path,
    out: &Path,
    epochs: usize,
    bits: u32,
    seed: u64,
) -> Result<()> {
    let t0 = Instant::now();
    let sentences = conll::read(train)?;
    let tokens: usize = sentences.iter().map(|s| s.words.len()).sum();
    eprintln!(
        "train: {} sentences, {tokens} tokens from {}",
        sentences.len(),
        train.display()
    );
    let cfg = onrecord_tagger::TrainConfig {
        epochs,
        bits,
        seed,
        ..Default::default()
    };
    let mut model = train_chunker(&sentences, &cfg, &|l| eprintln!("train: {l}"));
    let bytes = model.to_bytes()?;
    // read back: the quantised weights are what ships
    model = Chunker::from_bytes(&bytes)?;
    crate::train::write_model_file(out, &bytes)?;
    let secs = t0.elapsed().as_secs_f64();
    eprintln!(
        "train: wrote {} ({} bytes) in {secs:.1}s",
        out.display(),
        bytes.len()
    );
    let score = eval(&model, dev)?;
    eprintln!("dev ({}):\n{score}", dev.display());
    let card = format!(
        "# Model card: phrase chunk tagger (`{out}`)\n\n\
This file is written by the training command; do not edit by hand.\n\n\
- **Task**: phrase chunks NP, VP, PP, SBAR, ADVP, ADJP, PRT (IOB2 labels; CoNLL's rare CONJP, INTJ, LST and UCP are read as outside), tagged from words alone.\n\
- **Used by**: the attribution tagger, as features (`crates/attribution/src/features.rs`); retrain attribution after retraining this model.\n\
- **Model**: averaged structured perceptron, first-order Viterbi with IOB2 constraints, hashed features (2^{bits} buckets × 15 labels): the word (lower case and as written), 1–3 letter suffixes, a 2-letter prefix, shape, a ±2 word window, word bigrams, neighbours' suffixes and shapes; weights quantised to i8, zero buckets dropped.\n\
- **Data**: CoNLL-2003 English train (`{train}`, {tokens} tokens; its chunk column, from the original Reuters release; `n't` joined to the word before it, as OnRecord tokenizes); scored on dev (`{dev}`).\n\
- **Command**: `cargo run --release -- train chunks --epochs {epochs} --bits {bits} --seed {seed}` (deterministic for a given seed; {secs:.0} s on the 2-core dev machine).\n\
- **Size**: {size} bytes.\n\n\
## Dev scores (`onrecord eval chunks {dev}`): a chunk counts when span and kind are exact\n\n```\n{score}```\n",
        out = out.display(),
        train = train.display(),
        dev = dev.display(),
        size = bytes.len(),
    );
    crate::train::write_card(out, &card)
}
