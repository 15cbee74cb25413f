//! Training the entity tagger from CoNLL documents, and scoring it.

use crate::conll::{ConllDoc, Score};
use crate::features::{segments, sentence_features, DocInfo, Stacked};
use crate::labels;
use crate::model::{tag_pass, NerModel, TagScratch};
use onrecord_tagger::{train, Features, Model, Scratch, TrainConfig};
use std::ops::Range;

/// A document as training needs it: words, sentence ranges, gold labels.
pub struct TrainDoc {
    pub words: Vec<String>,
    pub sentences: Vec<Range<usize>>,
    pub labels: Vec<u8>,
    info: DocInfo,
}

impl TrainDoc {
    pub fn from_conll(d: &ConllDoc) -> TrainDoc {
        let mut words = Vec::new();
        let mut sentences = Vec::new();
        let mut labels = Vec::new();
        for s in &d.sentences {
            let a = words.len();
            words.extend(s.words.iter().cloned());
            sentences.push(a..words.len());
            labels.extend(labels::from_spans(s.words.len(), &s.gold));
        }
        let mut info = DocInfo::default();
        info.compute(words.iter().map(String::as_str), &sentences);
        TrainDoc {
            words,
            sentences,
            labels,
            info,
        }
    }

    fn sequences(&self, stacked: Option<&Stacked>) -> Vec<(Features, Vec<u8>)> {
        let mut out = Vec::new();
        let mut segs = Vec::new();
        for r in &self.sentences {
            segments(&self.info, r.clone(), &mut segs);
            for seg in &segs {
                if stacked.is_some_and(|s| s.settled(seg)) {
                    continue;
                }
                let mut f = Features::default();
                sentence_features(&self.info, r.clone(), seg.clone(), stacked, &mut f);
                out.push((f, self.labels[seg.clone()].to_vec()));
            }
        }
        out
    }

    fn tag(&self, m: &Model, stacked: Option<&Stacked>, out: &mut Vec<u8>) {
        let (mut f, mut s, mut sent, mut marg) = (
            Features::default(),
            Scratch::default(),
            Vec::new(),
            Vec::new(),
        );
        tag_pass(
            m,
            &self.info,
            &self.sentences,
            stacked,
            &mut f,
            &mut s,
            &mut sent,
            &mut marg,
            out,
        );
    }
}

/// Trains pass 1 on all documents, and pass 2 (when `folds > 1`) on pass-1
/// labels predicted by `folds`-fold cross-validation.
pub fn train_model(
    docs: &[TrainDoc],
    cfg: &TrainConfig,
    folds: usize,
    log: &dyn Fn(String),
) -> NerModel {
    let fit = |which: &dyn Fn(usize) -> bool, stacked: Option<&[Stacked]>, name: &str| -> Model {
        let data: Vec<_> = (0..docs.len())
            .filter(|&i| which(i))
            .flat_map(|i| docs[i].sequences(stacked.map(|s| &s[i])))
            .collect();
        let (m, _) = train(&data, labels::names(), labels::allowed(), cfg, |e, err| {
            if e + 1 == cfg.epochs {
                log(format!(
                    "{name}: {} epochs, last-epoch token error rate {err:.4}",
                    e + 1
                ));
            }
        });
        m
    };
    let pass1 = fit(&|_| true, None, "pass 1");
    if folds < 2 {
        return NerModel { pass1, pass2: None };
    }
    let mut stacked: Vec<Stacked> = vec![Stacked::default(); docs.len()];
    let mut pred = Vec::new();
    for k in 0..folds {
        let m = fit(
            &|i| i % folds != k,
            None,
            &format!("pass 1, fold {}/{folds}", k + 1),
        );
        for i in (0..docs.len()).filter(|i| i % folds == k) {
            docs[i].tag(&m, None, &mut pred);
            stacked[i].compute(&docs[i].info, &pred);
        }
    }
    let pass2 = fit(&|_| true, Some(&stacked), "pass 2");
    NerModel {
        pass1,
        pass2: Some(pass2),
    }
}

/// Tags CoNLL documents; calls `each(sentence, predicted labels)` and
/// returns the entity-level score.
pub fn evaluate(
    m: &NerModel,
    docs: &[ConllDoc],
    mut each: impl FnMut(&crate::conll::ConllSentence, &[u8]),
) -> Score {
    let mut score = Score::default();
    let mut s = TagScratch::default();
    let mut out = Vec::new();
    for d in docs {
        let mut sentences = Vec::new();
        let mut n = 0;
        for s in &d.sentences {
            sentences.push(n..n + s.words.len());
            n += s.words.len();
        }
        m.tag(
            d.sentences
                .iter()
                .flat_map(|s| s.words.iter().map(String::as_str)),
            &sentences,
            &mut s,
            &mut out,
        );
        for (sent, r) in d.sentences.iter().zip(&sentences) {
            let pred = &out[r.clone()];
            score.add(&sent.gold, &labels::spans(pred));
            each(sent, pred);
        }
    }
    score
}
