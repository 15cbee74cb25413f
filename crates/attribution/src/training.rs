//! Turning annotated documents into training sequences, and training.

use crate::features::{paragraph_features, TokenInfo};
use crate::labels::{allowed, begin, role_of, LABELS, O};
use crate::model::{AttributionModel, Lexicon};
use onrecord_core::{Role, Span};
use onrecord_tagger::{hash_lower, train, Features, Model, Scratch, TrainConfig};
use onrecord_text::TextLayer;
use std::collections::HashMap;

/// An annotated document ready for training.
pub struct TrainDoc {
    pub text: String,
    pub layer: TextLayer,
    /// Gold label of every token ([`gold_labels`]).
    pub labels: Vec<u8>,
}

impl TrainDoc {
    pub fn new(text: String, layer: TextLayer, gold: &[(Role, Span)]) -> TrainDoc {
        let labels = gold_labels(&layer, gold);
        TrainDoc {
            text,
            layer,
            labels,
        }
    }
}

/// Gold label of every token of the document (see [`sequences`]).
pub fn gold_labels(layer: &TextLayer, gold: &[(Role, Span)]) -> Vec<u8> {
    let n = layer.tokens.len();
    let mut labels = vec![O; n];
    let mut best = vec![0usize; n];
    let mut frag_of = vec![usize::MAX; n];
    let mut sorted: Vec<(usize, &(Role, Span))> = gold.iter().enumerate().collect();
    sorted.sort_by_key(|(_, (r, s))| (s.start, *r));
    for (fi, (role, span)) in sorted {
        let start = layer.tokens.partition_point(|t| t.span.end <= span.start);
        for ti in start..n {
            let t = layer.tokens[ti];
            if t.span.start >= span.end {
                break;
            }
            let ov = (t.span.end.min(span.end) - t.span.start.max(span.start)) as usize;
            // strictly greater overlap wins; ties keep the earlier role order
            let better = ov > best[ti]
                || (ov == best[ti] && ov > 0 && frag_of[ti] != usize::MAX && {
                    let cur = crate::labels::role_of(labels[ti]);
                    cur.is_some_and(|c| *role < c)
                });
            if ov > 0 && better {
                best[ti] = ov;
                frag_of[ti] = fi;
                labels[ti] = begin(*role);
            }
        }
    }
    // B on the first token of each fragment, I after
    for ti in 1..n {
        if labels[ti] != O && frag_of[ti] == frag_of[ti - 1] {
            labels[ti] = begin_to_inside(labels[ti]);
        }
    }
    // a paragraph cannot start inside a span
    for p in &layer.paragraphs {
        let first = &mut labels[p.tokens.start as usize];
        if *first != O && !crate::labels::is_begin(*first) {
            *first -= 1;
        }
    }
    labels
}

fn begin_to_inside(l: u8) -> u8 {
    if crate::labels::is_begin(l) {
        l + 1
    } else {
        l
    }
}

/// Cue words: lower-cased words that head a gold cue at least twice, with
/// a class by how often they do (3: half the time or more, 2: a fifth, 1: less).
pub fn learn_lexicon(docs: &[TrainDoc]) -> Lexicon {
    let mut counts: HashMap<u64, (u32, u32)> = HashMap::new();
    for d in docs {
        for (i, t) in d.layer.tokens.iter().enumerate() {
            let h = hash_lower(0, t.text(&d.text).as_bytes());
            let e = counts.entry(h).or_default();
            e.0 += 1;
            if role_of(d.labels[i]) == Some(Role::Cue) {
                e.1 += 1;
            }
        }
    }
    let entries = counts
        .into_iter()
        .filter(|&(_, (_, cue))| cue >= 2)
        .filter_map(|(h, (all, cue))| {
            let r = cue as f64 / all as f64;
            let class = if r >= 0.5 {
                3
            } else if r >= 0.2 {
                2
            } else if r >= 0.05 {
                1
            } else {
                0
            };
            (class > 0).then_some((h, class))
        })
        .collect();
    Lexicon::new(entries)
}

fn doc_sequences(
    d: &TrainDoc,
    info: &TokenInfo,
    stacked: Option<&[u8]>,
) -> Vec<(Features, Vec<u8>)> {
    d.layer
        .paragraphs
        .iter()
        .enumerate()
        .map(|(pi, p)| {
            let mut f = Features::default();
            paragraph_features(&d.text, &d.layer, info, pi, stacked, &mut f);
            (
                f,
                d.labels[p.tokens.start as usize..p.tokens.end as usize].to_vec(),
            )
        })
        .collect()
}

/// Buffers for [`tag_doc`], reused across documents.
#[derive(Default)]
pub struct TagScratch {
    feats: Features,
    tag: Scratch,
    para_labels: Vec<u8>,
    para_margins: Vec<f32>,
}

/// Labels a whole document with one pass.
#[allow(clippy::too_many_arguments)]
pub(crate) fn tag_doc(
    model: &Model,
    text: &str,
    layer: &TextLayer,
    info: &TokenInfo,
    stacked: Option<&[u8]>,
    s: &mut TagScratch,
    out: &mut Vec<u8>,
    margins: &mut Vec<f32>,
) {
    out.clear();
    margins.clear();
    for pi in 0..layer.paragraphs.len() {
        s.feats.clear();
        paragraph_features(text, layer, info, pi, stacked, &mut s.feats);
        model.decode(
            &s.feats,
            &mut s.tag,
            &mut s.para_labels,
            &mut s.para_margins,
        );
        out.extend_from_slice(&s.para_labels);
        margins.extend_from_slice(&s.para_margins);
    }
}

/// Trains both passes. Pass 2 learns from pass-1 labels predicted by
/// `folds`-fold cross-validation over the documents. `log` receives progress lines.
pub fn train_model(
    docs: &[TrainDoc],
    cfg: &TrainConfig,
    folds: usize,
    log: &(dyn Fn(String) + Sync),
) -> AttributionModel {
    let lexicon = learn_lexicon(docs);
    log(format!("lexicon: {} cue words", lexicon.len()));
    let infos: Vec<TokenInfo> = docs
        .iter()
        .map(|d| {
            let mut i = TokenInfo::default();
            i.compute(&d.text, &d.layer, &lexicon);
            i
        })
        .collect();
    let labels: Vec<String> = LABELS.iter().map(|s| s.to_string()).collect();
    let fit = |which: &dyn Fn(usize) -> bool, stacked: Option<&[Vec<u8>]>, name: &str| -> Model {
        let data: Vec<_> = (0..docs.len())
            .filter(|&i| which(i))
            .flat_map(|i| doc_sequences(&docs[i], &infos[i], stacked.map(|s| s[i].as_slice())))
            .collect();
        let (m, _) = train(&data, labels.clone(), allowed(), cfg, |e, err| {
            if e + 1 == cfg.epochs {
                log(format!(
                    "{name}: {} epochs, last-epoch token error rate {err:.4}",
                    e + 1
                ));
            }
        });
        m
    };
    // jackknifed pass-1 labels
    let mut predicted: Vec<Vec<u8>> = vec![Vec::new(); docs.len()];
    let mut scratch = TagScratch::default();
    let mut margins = Vec::new();
    for k in 0..folds {
        let m = fit(
            &|i| i % folds != k,
            None,
            &format!("pass 1, fold {}/{folds}", k + 1),
        );
        for i in (0..docs.len()).filter(|i| i % folds == k) {
            tag_doc(
                &m,
                &docs[i].text,
                &docs[i].layer,
                &infos[i],
                None,
                &mut scratch,
                &mut predicted[i],
                &mut margins,
            );
        }
    }
    let pass1 = fit(&|_| true, None, "pass 1");
    let pass2 = fit(&|_| true, Some(&predicted), "pass 2");
    AttributionModel {
        lexicon,
        pass1,
        pass2: Some(pass2),
    }
}
