//! Attribution extraction: features, the trained source/cue/content tagger,
//! linking into attributions, speaker resolution.
//!
//! The pipeline for one document, given its [`TextLayer`]:
//! 1. [`features`]: per-token hashed features, paragraph by paragraph;
//! 2. the tagger (`onrecord-tagger`, weights in `models/attribution.ortag`)
//!    labels each token `B-/I-` source, cue or content, or `O`;
//! 3. [`link`] joins spans into attributions (one cue, its contents, a source);
//! 4. [`speaker`] resolves each source to the fullest name in the document;
//! 5. each attribution gets its kind (direct / mixed / indirect) from the
//!    quotation structure and a confidence from the tagger's margins.
//!
//! Training ([`training`]) turns annotated documents into label sequences.

pub mod features;
pub mod labels;
pub mod lexicon;
pub mod link;
pub mod model;
pub mod speaker;
pub mod training;

use model::AttributionModel;
use onrecord_core::{
    Attribution, Diagnostic, Extraction, QuoteKind, Role, Span, Speaker, SpeakerKind,
};
use onrecord_tagger::ModelError;
use onrecord_text::TextLayer;

/// The attribution model shipped with OnRecord (see `models/attribution.card.md`).
pub static EMBEDDED_MODEL: &[u8] = include_bytes!("../../../models/attribution.ortag");

/// Extracts attributions with a trained model. Cheap to share across threads.
pub struct Extractor {
    model: AttributionModel,
}

/// Per-thread buffers, reused across documents.
#[derive(Default)]
pub struct Scratch {
    info: features::TokenInfo,
    tag: training::TagScratch,
    pass1: Vec<u8>,
    labels: Vec<u8>,
    margins: Vec<f32>,
}

impl Extractor {
    pub fn embedded() -> Result<Extractor, ModelError> {
        Self::from_bytes(EMBEDDED_MODEL)
    }

    /// Refuses a model trained with other chunk or cluster models than
    /// those built in (its features would be read wrongly).
    pub fn from_bytes(bytes: &[u8]) -> Result<Extractor, ModelError> {
        let model = AttributionModel::from_bytes(bytes)?;
        if model
            .feature_models
            .is_some_and(|id| id != features::feature_models_id())
        {
            return Err(ModelError::Mismatch(
                "trained with other chunk or cluster models than the built-in ones; retrain it (onrecord train attribution)",
            ));
        }
        Ok(Extractor { model })
    }

    /// Replaces the model's decoding bias (see [`AttributionModel::role_bias`]):
    /// for choosing it on held-out data without retraining.
    pub fn set_role_bias(&mut self, per_role: [f32; 3]) {
        let n = self.model.pass1.n_labels();
        self.model.bias = AttributionModel::role_bias(n, per_role);
    }

    pub fn from_model(model: AttributionModel) -> Extractor {
        Extractor { model }
    }

    /// Token labels for the whole document (into `s.labels`).
    fn tag(&self, text: &str, layer: &TextLayer, s: &mut Scratch) {
        let m = &self.model;
        s.info.compute(text, layer, &m.lexicon);
        match &m.pass2 {
            Some(p2) => training::tag_doc_stacked(
                &m.pass1,
                p2,
                text,
                layer,
                &s.info,
                &m.bias,
                &mut s.tag,
                &mut s.pass1,
                &mut s.labels,
                &mut s.margins,
            ),
            None => training::tag_doc(
                &m.pass1,
                text,
                layer,
                &s.info,
                None,
                &m.bias,
                &mut s.tag,
                &mut s.labels,
                &mut s.margins,
            ),
        }
    }

    pub fn extract(&self, text: &str, layer: &TextLayer, s: &mut Scratch) -> Extraction {
        if layer.tokens.is_empty() {
            return Extraction::default();
        }
        self.tag(text, layer, s);
        if debug_tags() {
            for (i, t) in layer.tokens.iter().enumerate() {
                eprintln!(
                    "{}\t{}\t{}",
                    t.text(text),
                    labels::LABELS[s.pass1.get(i).copied().unwrap_or(0) as usize],
                    labels::LABELS[s.labels[i] as usize]
                );
            }
        }
        assemble(text, layer, s)
    }
}

/// How likely an attribution is to be right end to end (its content and its
/// source both found), from its kind, whether it has a source, and the
/// tagger's mean margin over its cue and content tokens (`margin`: the
/// chosen label's score less the best other's; rule-made tokens excluded).
/// The values are the precision of each group measured on held-out PolNeAR
/// train documents (every fifth; model trained on the rest;
/// `scripts/calibrate_confidence.py`), rounded; groups of fewer than 20 are
/// pooled. They were measured with an earlier model; docs/output.md has
/// what they measure with the current one.
fn confidence(kind: QuoteKind, has_source: bool, margin: f32) -> f32 {
    let sure = margin >= 30.0;
    match (has_source, kind, sure) {
        (false, QuoteKind::Indirect, _) => 0.27,
        (false, _, _) => 0.03,
        (true, QuoteKind::Direct, true) => 0.94,
        (true, QuoteKind::Mixed, true) => 0.84,
        (true, QuoteKind::Indirect, true) => 0.75,
        (true, QuoteKind::Indirect, false) => 0.55,
        (true, _, false) => 0.63,
    }
}

/// `ONRECORD_DEBUG_TAGS=1` prints each token with its pass-1 and final label
/// to stderr (read once per process).
fn debug_tags() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("ONRECORD_DEBUG_TAGS").is_some())
}

/// Extraction from given token labels instead of the model's: the linking
/// and resolution steps alone (for measuring their ceiling on gold labels).
pub fn extract_with_labels(
    text: &str,
    layer: &TextLayer,
    labels: &[u8],
    s: &mut Scratch,
) -> Extraction {
    s.info.cue.clear();
    s.info.cue.resize(layer.tokens.len(), 0);
    s.labels.clear();
    s.labels.extend_from_slice(labels);
    s.margins.clear();
    s.margins.resize(labels.len(), 10.0);
    assemble(text, layer, s)
}

fn assemble(text: &str, layer: &TextLayer, s: &Scratch) -> Extraction {
    let mut ex = Extraction::default();
    let mut spans = link::spans(layer, &s.labels);
    let linked = link::link(text, layer, &s.info.cue, &s.info.chunk, &mut spans);
    let mentions = speaker::name_mentions(text, layer);
    let mut earlier: Vec<(u32, speaker::Resolution)> = Vec::new();
    // resolve in document order so pronouns see earlier speakers
    let mut order: Vec<usize> = (0..linked.len()).collect();
    let key = |l: &link::Linked| {
        l.source
            .or(l.cue)
            .or(l.contents.first().copied())
            .map_or(0, |i| spans[i].tokens.0)
    };
    order.sort_by_key(|&i| key(&linked[i]));
    let mut out: Vec<(u32, Attribution)> = Vec::new();
    for i in order {
        let l = &linked[i];
        if l.contents.is_empty() {
            if let Some(c) = l.cue {
                ex.diagnostics.push(Diagnostic {
                    span: Some(spans[c].span(layer)),
                    message: "cue without content: not reported".into(),
                });
            }
            continue;
        }
        let to_spans = |idx: &mut dyn Iterator<Item = usize>| -> Vec<Span> {
            let mut v: Vec<Span> = idx.map(|k| spans[k].span(layer)).collect();
            v.sort();
            v.dedup();
            v
        };
        let content = to_spans(&mut l.contents.iter().copied());
        let cue = to_spans(&mut l.cue.into_iter());
        let source = to_spans(&mut l.source.into_iter());
        let speaker = l.source.map(|si| {
            let r = speaker::resolve(text, layer, &mentions, spans[si].tokens, &earlier);
            earlier.push((spans[si].tokens.0, r.clone()));
            Speaker {
                text: spans[si].span(layer).text(text).to_string(),
                name: r.name,
                name_span: r.span,
                entity: None,
                kind: SpeakerKind::Unknown,
            }
        });
        // kind from the share of content tokens inside quotations
        let (mut quoted, mut total) = (0usize, 0usize);
        let mut margin = 0f32;
        let mut mcount = 0usize;
        for &k in l.contents.iter().chain(l.cue.iter()) {
            let (a, b) = spans[k].tokens;
            for t in a..b {
                let tok = layer.tokens[t as usize];
                if spans[k].role == Role::Content && !tok.is_quote_mark() {
                    total += 1;
                    quoted += (tok.quote_depth > 0) as usize;
                }
                // tokens a linking rule gave this role (the tagger said
                // otherwise) say nothing about the tagger's confidence
                if labels::role_of(s.labels[t as usize]) == Some(spans[k].role) {
                    margin += s.margins[t as usize];
                    mcount += 1;
                }
            }
        }
        let kind = if total > 0 && quoted * 10 >= total * 9 {
            QuoteKind::Direct
        } else if quoted > 0 {
            QuoteKind::Mixed
        } else {
            QuoteKind::Indirect
        };
        let m = if mcount == 0 {
            0.0
        } else {
            margin / mcount as f32
        };
        let confidence = confidence(kind, !source.is_empty(), m);
        let pos = content[0].start;
        out.push((
            pos,
            Attribution {
                kind,
                source,
                cue,
                content,
                speaker,
                confidence,
                date: None,
                stance: Default::default(),
                about: None,
                subject: Vec::new(),
            },
        ));
    }
    out.sort_by_key(|(p, _)| *p);
    ex.attributions = out.into_iter().map(|(_, a)| a).collect();
    ex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_model_fits_the_built_in_feature_models() {
        let m = AttributionModel::from_bytes(EMBEDDED_MODEL).unwrap();
        assert_eq!(m.feature_models, Some(features::feature_models_id()));
        assert!(Extractor::embedded().is_ok());
    }

    #[test]
    fn model_trained_with_other_feature_models_is_refused() {
        let mut m = AttributionModel::from_bytes(EMBEDDED_MODEL).unwrap();
        m.feature_models = Some(features::feature_models_id() ^ 1);
        let err = Extractor::from_bytes(&m.to_bytes().unwrap()).err().unwrap();
        assert!(err.to_string().contains("retrain"), "{err}");
    }
}
