//! Turning annotated documents into training sequences, and training.

use crate::features::{paragraph_features, stacked_features, TokenInfo};
use crate::labels::{allowed_n, begin, inside, last, names, role_of, DEFAULT_N_LABELS, O};
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
    /// Size of the tag set the labels are in (see [`crate::labels`]).
    pub n_labels: usize,
}

impl TrainDoc {
    pub fn new(text: String, layer: TextLayer, gold: &[(Role, Span)]) -> TrainDoc {
        Self::with_labels(text, layer, gold, DEFAULT_N_LABELS)
    }

    /// With the tag set of `n_labels` labels (see [`crate::labels`]).
    pub fn with_labels(
        text: String,
        layer: TextLayer,
        gold: &[(Role, Span)],
        n_labels: usize,
    ) -> TrainDoc {
        let labels = gold_labels_n(&layer, gold, n_labels);
        TrainDoc {
            text,
            layer,
            labels,
            n_labels,
        }
    }
}

/// Gold label of every token of the document, in the default tag set.
pub fn gold_labels(layer: &TextLayer, gold: &[(Role, Span)]) -> Vec<u8> {
    gold_labels_n(layer, gold, DEFAULT_N_LABELS)
}

/// Gold label of every token in the tag set of `n_labels` labels. A token
/// takes the role of the fragment that overlaps it most; a fragment is cut
/// at paragraph ends (the tagger sees one paragraph at a time).
pub fn gold_labels_n(layer: &TextLayer, gold: &[(Role, Span)], n_labels: usize) -> Vec<u8> {
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
    // B on the first token of each fragment (or paragraph), I after, L on
    // the last of two or more where the tag set has it
    for p in &layer.paragraphs {
        let (a, b) = (p.tokens.start as usize, p.tokens.end as usize);
        for ti in a..b {
            let Some(role) = role_of(labels[ti]) else {
                continue;
            };
            let cont_prev = ti > a && frag_of[ti] == frag_of[ti - 1];
            let cont_next = ti + 1 < b && frag_of[ti + 1] == frag_of[ti];
            labels[ti] = if !cont_prev {
                begin(role)
            } else if cont_next || (last(role) as usize) >= n_labels {
                inside(role)
            } else {
                last(role)
            };
        }
    }
    labels
}

/// Cue words: lower-cased words that head a gold cue at least twice, with
/// a class by how often they do (3: half the time or more, 2: a fifth, 1: less).
///
/// Two-word cues are learned the same way (both words inside one gold cue,
/// at least three times), stored under [`Lexicon::bigram_key`].
pub fn learn_lexicon(docs: &[TrainDoc]) -> Lexicon {
    let mut counts: HashMap<u64, (u32, u32)> = HashMap::new();
    let mut pairs: HashMap<u64, (u32, u32)> = HashMap::new();
    for d in docs {
        let mut prev: Option<u64> = None;
        for (i, t) in d.layer.tokens.iter().enumerate() {
            let h = hash_lower(0, t.text(&d.text).as_bytes());
            let e = counts.entry(h).or_default();
            e.0 += 1;
            let cue = role_of(d.labels[i]) == Some(Role::Cue);
            if cue {
                e.1 += 1;
            }
            if let Some(p) = prev {
                let e = pairs.entry(Lexicon::bigram_key(p, h)).or_default();
                e.0 += 1;
                if cue && !crate::labels::is_begin(d.labels[i]) {
                    e.1 += 1;
                }
            }
            prev = Some(h);
        }
    }
    pairs.retain(|_, &mut (_, cue)| cue >= 3);
    let entries = counts
        .into_iter()
        .filter(|&(_, (_, cue))| cue >= 2)
        .chain(pairs)
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
    /// Pass 2's sums of the features it shares with pass 1, per token.
    carry: Vec<f32>,
}

/// Labels a whole document with one pass.
#[allow(clippy::too_many_arguments)]
pub(crate) fn tag_doc(
    model: &Model,
    text: &str,
    layer: &TextLayer,
    info: &TokenInfo,
    stacked: Option<&[u8]>,
    bias: &[f32],
    s: &mut TagScratch,
    out: &mut Vec<u8>,
    margins: &mut Vec<f32>,
) {
    out.clear();
    margins.clear();
    for pi in 0..layer.paragraphs.len() {
        s.feats.clear();
        paragraph_features(text, layer, info, pi, stacked, &mut s.feats);
        model.decode_biased(
            &s.feats,
            bias,
            &mut s.tag,
            &mut s.para_labels,
            &mut s.para_margins,
        );
        out.extend_from_slice(&s.para_labels);
        margins.extend_from_slice(&s.para_margins);
    }
}

/// Labels a whole document with both passes: pass 1's labels into
/// `first`, pass 2's (the final ones, `bias` added) into `out`. The same
/// labels as [`tag_doc`] with pass 1 and then with pass 2, for about half
/// the look-ups: pass 1 carries pass 2's sums of the features the two share
/// over to pass 2 ([`onrecord_tagger::Model::decode_carrying`]), which adds
/// only its own ([`stacked_features`]).
#[allow(clippy::too_many_arguments)]
pub(crate) fn tag_doc_stacked(
    pass1: &Model,
    pass2: &Model,
    text: &str,
    layer: &TextLayer,
    info: &TokenInfo,
    bias: &[f32],
    s: &mut TagScratch,
    first: &mut Vec<u8>,
    out: &mut Vec<u8>,
    margins: &mut Vec<f32>,
) {
    first.clear();
    s.carry.clear();
    for pi in 0..layer.paragraphs.len() {
        s.feats.clear();
        paragraph_features(text, layer, info, pi, None, &mut s.feats);
        pass1.decode_carrying(
            pass2,
            &s.feats,
            &[],
            &mut s.tag,
            &mut s.para_labels,
            None,
            &mut s.carry,
        );
        first.extend_from_slice(&s.para_labels);
    }
    out.clear();
    margins.clear();
    let n = pass2.n_labels();
    let mut at = 0;
    for pi in 0..layer.paragraphs.len() {
        s.feats.clear();
        stacked_features(text, layer, info, pi, first, &mut s.feats);
        let len = s.feats.len() * n;
        pass2.decode_biased_from(
            &s.carry[at..at + len],
            &s.feats,
            bias,
            &mut s.tag,
            &mut s.para_labels,
            &mut s.para_margins,
        );
        at += len;
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
    let n_labels = docs.first().map_or(DEFAULT_N_LABELS, |d| d.n_labels);
    let labels = names(n_labels);
    let fit = |which: &dyn Fn(usize) -> bool, stacked: Option<&[Vec<u8>]>, name: &str| -> Model {
        let data: Vec<_> = (0..docs.len())
            .filter(|&i| which(i))
            .flat_map(|i| doc_sequences(&docs[i], &infos[i], stacked.map(|s| s[i].as_slice())))
            .collect();
        let (m, _) = train(&data, labels.clone(), allowed_n(n_labels), cfg, |e, err| {
            if e + 1 == cfg.epochs {
                log(format!(
                    "{name}: {} epochs, last-epoch token error rate {err:.4}",
                    e + 1
                ));
            }
        });
        m
    };
    // jackknifed pass-1 labels; the fold models and the full pass-1 model
    // are independent, so they are fitted in parallel (same result as in turn)
    use rayon::prelude::*;
    let mut models: Vec<Model> = (0..=folds)
        .into_par_iter()
        .map(|k| {
            if k < folds {
                fit(
                    &|i| i % folds != k,
                    None,
                    &format!("pass 1, fold {}/{folds}", k + 1),
                )
            } else {
                fit(&|_| true, None, "pass 1")
            }
        })
        .collect();
    let pass1 = models.pop().expect("the full pass-1 model");
    let mut predicted: Vec<Vec<u8>> = vec![Vec::new(); docs.len()];
    let mut scratch = TagScratch::default();
    let mut margins = Vec::new();
    for (k, m) in models.iter().enumerate() {
        for i in (0..docs.len()).filter(|i| i % folds == k) {
            tag_doc(
                m,
                &docs[i].text,
                &docs[i].layer,
                &infos[i],
                None,
                &[],
                &mut scratch,
                &mut predicted[i],
                &mut margins,
            );
        }
    }
    drop(models);
    let pass2 = fit(&|_| true, Some(&predicted), "pass 2");
    AttributionModel {
        lexicon,
        pass1,
        pass2: Some(pass2),
        bias: Vec::new(),
        feature_models: Some(crate::features::feature_models_id()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labels::{allowed_n, LABELS};

    #[test]
    fn gold_labels_mark_last_tokens_when_the_tag_set_has_them() {
        let text = "Putin said the talks went well.";
        let layer = onrecord_text::analyze(text, &[Span::new(0, text.len())]);
        let at = |w: &str| text.find(w).unwrap();
        let gold = vec![
            (Role::Source, Span::new(0, 5)),
            (Role::Cue, Span::new(at("said"), at("said") + 4)),
            (Role::Content, Span::new(at("the"), at("."))),
        ];
        let names = |n: usize| -> Vec<&str> {
            gold_labels_n(&layer, &gold, n)
                .iter()
                .map(|&l| LABELS[l as usize])
                .collect()
        };
        let bio = [
            "B-source",
            "B-cue",
            "B-content",
            "I-content",
            "I-content",
            "I-content",
            "O",
        ];
        let biol = [
            "B-source",
            "B-cue",
            "B-content",
            "I-content",
            "I-content",
            "L-content",
            "O",
        ];
        assert_eq!(names(7), bio);
        assert_eq!(names(8), biol);
        assert_eq!(names(10), biol);
        // every gold sequence obeys the transition constraints
        for n in [7, 8, 10] {
            let a = allowed_n(n);
            let mut prev = n;
            for &l in &gold_labels_n(&layer, &gold, n) {
                assert!(a[prev * n + l as usize], "{n}: {prev} -> {l}");
                prev = l as usize;
            }
        }
    }

    fn example(name: &str) -> (String, TextLayer) {
        let path = format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(path).unwrap();
        let layer = onrecord_text::analyze(&text, &[Span::new(0, text.len())]);
        (text, layer)
    }

    const EXAMPLES: [&str; 2] = ["000_e8348c9c7b4e2da3.txt", "004_ada9b50bf52b2923.txt"];

    #[test]
    fn stacked_features_are_the_tail_of_the_second_pass_features() {
        let m = AttributionModel::from_bytes(crate::EMBEDDED_MODEL).unwrap();
        for name in EXAMPLES {
            let (text, layer) = example(name);
            let mut info = TokenInfo::default();
            info.compute(&text, &layer, &m.lexicon);
            let labels: Vec<u8> = (0..layer.tokens.len()).map(|i| (i % 10) as u8).collect();
            for pi in 0..layer.paragraphs.len() {
                let (mut both, mut one, mut two) = (
                    Features::default(),
                    Features::default(),
                    Features::default(),
                );
                paragraph_features(&text, &layer, &info, pi, Some(&labels), &mut both);
                paragraph_features(&text, &layer, &info, pi, None, &mut one);
                stacked_features(&text, &layer, &info, pi, &labels, &mut two);
                assert_eq!(both.len(), one.len());
                assert_eq!(both.len(), two.len());
                for t in 0..both.len() {
                    assert_eq!(both.token(t), [one.token(t), two.token(t)].concat());
                }
            }
        }
    }

    #[test]
    fn stacked_tagging_matches_two_plain_passes() {
        let shared = AttributionModel::from_bytes(crate::EMBEDDED_MODEL).unwrap();
        // the same passes each in a table of its own
        let alone = |m: &Model| {
            let mut b = Vec::new();
            m.write(&mut b).unwrap();
            Model::from_bytes(&b).unwrap()
        };
        let p2 = shared.pass2.as_ref().unwrap();
        let separate = (alone(&shared.pass1), alone(p2));
        for (pass1, pass2) in [(&shared.pass1, p2), (&separate.0, &separate.1)] {
            for name in EXAMPLES {
                let (text, layer) = example(name);
                let mut info = TokenInfo::default();
                info.compute(&text, &layer, &shared.lexicon);
                let mut s = TagScratch::default();
                let (mut l1, mut l2, mut m1, mut m2) =
                    (Vec::new(), Vec::new(), Vec::new(), Vec::new());
                tag_doc(
                    pass1,
                    &text,
                    &layer,
                    &info,
                    None,
                    &[],
                    &mut s,
                    &mut l1,
                    &mut m1,
                );
                let bias = &shared.bias;
                tag_doc(
                    pass2,
                    &text,
                    &layer,
                    &info,
                    Some(&l1),
                    bias,
                    &mut s,
                    &mut l2,
                    &mut m2,
                );
                let (mut first, mut out, mut margins) = (Vec::new(), Vec::new(), Vec::new());
                tag_doc_stacked(
                    pass1,
                    pass2,
                    &text,
                    &layer,
                    &info,
                    bias,
                    &mut s,
                    &mut first,
                    &mut out,
                    &mut margins,
                );
                assert_eq!(first, l1);
                assert_eq!(out, l2);
                assert_eq!(margins, m2);
                assert!(l2.iter().any(|&l| l != O), "{name}: some attribution");
            }
        }
    }
}
