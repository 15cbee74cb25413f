//! The chunk column of CoNLL files (`word POS chunk NER` per line, a blank
//! line between sentences): reading, training and scoring.

use crate::features::{sentence_features, Words};
use crate::labels::{self, ChunkKind};
use crate::{ChunkScratch, Chunker};
use onrecord_tagger::{train, Features, TrainConfig};
use std::collections::BTreeMap;
use std::fmt;

pub use onrecord_tagger::conll::ConllError;

/// One sentence: words and their gold chunk labels.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sentence {
    pub words: Vec<String>,
    pub labels: Vec<u8>,
}

pub fn read(path: &std::path::Path) -> Result<Vec<Sentence>, ConllError> {
    let text = onrecord_tagger::conll::read_file(path)?;
    parse(&text, &path.display().to_string())
}

/// Parses CoNLL text (the chunk label is the third column). A contraction
/// split as in the Penn Treebank ("do" "n't") is joined back into one word,
/// as OnRecord's tokenizer keeps it.
pub fn parse(text: &str, path: &str) -> Result<Vec<Sentence>, ConllError> {
    let mut out = Vec::new();
    for sent in onrecord_tagger::conll::sentences(text) {
        let mut cur = Sentence::default();
        for row in &sent.rows {
            let [w, _, tag, ..] = row.cols[..] else {
                return Err(ConllError::Format {
                    path: path.to_string(),
                    line: row.line,
                    what: format!("expected `word POS chunk ...`, found {:?}", row.text),
                });
            };
            if w.eq_ignore_ascii_case("n't") {
                if let Some(prev) = cur.words.last_mut() {
                    prev.push_str(w);
                    continue;
                }
            }
            cur.words.push(w.to_string());
            cur.labels.push(labels::from_tag(tag));
        }
        out.push(cur);
    }
    Ok(out)
}

/// Trains the chunk tagger on `sentences`.
pub fn train_chunker(sentences: &[Sentence], cfg: &TrainConfig, log: &dyn Fn(String)) -> Chunker {
    let mut words = Words::default();
    let data: Vec<(Features, Vec<u8>)> = sentences
        .iter()
        .map(|s| {
            words.compute(s.words.len(), |i| s.words[i].as_str());
            let mut f = Features::default();
            sentence_features(&words, &mut f);
            (f, s.labels.clone())
        })
        .collect();
    let (model, _) = train(&data, labels::names(), labels::allowed(), cfg, |e, err| {
        if e + 1 == cfg.epochs {
            log(format!(
                "{} epochs, last-epoch token error rate {err:.4}",
                e + 1
            ));
        }
    });
    Chunker::new(model)
}

/// Chunk-level scores (a chunk counts when its span and kind are both exact,
/// as conlleval counts) and token accuracy.
#[derive(Debug, Clone, Default)]
pub struct Score {
    pub tokens: usize,
    pub tokens_right: usize,
    /// Per kind: (gold, predicted, correct).
    pub by_kind: BTreeMap<&'static str, (usize, usize, usize)>,
}

impl Score {
    pub fn add(&mut self, gold: &[u8], pred: &[u8]) {
        self.tokens += gold.len();
        self.tokens_right += gold.iter().zip(pred).filter(|(a, b)| a == b).count();
        let g = labels::spans(gold);
        let p = labels::spans(pred);
        for &(_, _, k) in &g {
            self.by_kind.entry(k.name()).or_default().0 += 1;
        }
        for x in &p {
            let e = self.by_kind.entry(x.2.name()).or_default();
            e.1 += 1;
            if g.contains(x) {
                e.2 += 1;
            }
        }
    }

    /// (precision, recall, F1) over all kinds.
    pub fn overall(&self) -> (f64, f64, f64) {
        let (g, p, c) = self
            .by_kind
            .values()
            .fold((0, 0, 0), |a, v| (a.0 + v.0, a.1 + v.1, a.2 + v.2));
        prf(g, p, c)
    }
}

fn prf(g: usize, p: usize, c: usize) -> (f64, f64, f64) {
    let pr = if p == 0 { 0.0 } else { c as f64 / p as f64 };
    let re = if g == 0 { 0.0 } else { c as f64 / g as f64 };
    let f = if pr + re == 0.0 {
        0.0
    } else {
        2.0 * pr * re / (pr + re)
    };
    (pr, re, f)
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (p, r, f1) = self.overall();
        let acc = self.tokens_right as f64 / self.tokens.max(1) as f64;
        writeln!(f, "tokens: {}, label accuracy {acc:.4}", self.tokens)?;
        writeln!(f, "kind     precision    recall        F1     gold")?;
        writeln!(f, "overall  {p:>9.4} {r:>9.4} {f1:>9.4}")?;
        for k in ChunkKind::ALL {
            if let Some(&(g, pp, c)) = self.by_kind.get(k.name()) {
                let (p, r, f1) = prf(g, pp, c);
                writeln!(f, "{:<8} {p:>9.4} {r:>9.4} {f1:>9.4} {g:>8}", k.name())?;
            }
        }
        Ok(())
    }
}

/// Tags `sentences` and scores against their gold labels.
pub fn evaluate(c: &Chunker, sentences: &[Sentence]) -> Score {
    let mut score = Score::default();
    let mut s = ChunkScratch::default();
    let mut pred = Vec::new();
    for sent in sentences {
        pred.clear();
        c.tag_sentence(
            sent.words.len(),
            |i| sent.words[i].as_str(),
            &mut s,
            &mut pred,
        );
        score.add(&sent.labels, &pred);
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_joins_contractions_and_reads_chunks() {
        let s = parse(
            "-DOCSTART- -X- -X- O\n\nHe PRP B-NP O\ndid VBD B-VP O\nn't RB I-VP O\ngo VB I-VP O\n. . O O\n\nYes UH B-INTJ O\n",
            "x",
        )
        .unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].words, ["He", "didn't", "go", "."]);
        assert_eq!(s[0].labels[1], labels::label(ChunkKind::Vp, true));
        assert_eq!(s[0].labels[2], labels::label(ChunkKind::Vp, false));
        assert_eq!(s[1].labels, [labels::O]);
        assert!(parse("a b\n", "f").is_err());
    }

    #[test]
    fn score_counts_exact_chunks() {
        let np = labels::label(ChunkKind::Np, true);
        let npi = labels::label(ChunkKind::Np, false);
        let mut s = Score::default();
        s.add(&[np, npi, labels::O], &[np, np, labels::O]);
        assert_eq!(s.by_kind["NP"], (1, 2, 0));
        assert_eq!(s.tokens_right, 2);
    }
}
