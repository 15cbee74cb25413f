//! The entity model file and document tagging with its two passes.
//!
//! Layout: magic `ORNERv1\0`, then each pass as a length-prefixed
//! `onrecord-tagger` model (pass 2 optional). Pass 2 sees pass 1's labels
//! and the document-wide type of each word ([`Stacked`]); it is trained on
//! pass-1 labels predicted by cross-validation.

use crate::features::{
    append_sentence_features, append_stacked_features, segments, sentence_features, DocInfo,
    Stacked,
};
use onrecord_tagger::{
    read_passes_interleaved, write_passes, Features, Model, ModelError, Scratch,
};
use std::ops::Range;

const MAGIC: &[u8; 8] = b"ORNERv1\0";

#[derive(Debug, Clone)]
pub struct NerModel {
    pub pass1: Model,
    pub pass2: Option<Model>,
}

/// Buffers for tagging, reused across documents.
#[derive(Debug, Default, Clone)]
pub struct TagScratch {
    pub info: DocInfo,
    stacked: Stacked,
    feats: Features,
    tag: Scratch,
    sent: Vec<u8>,
    margins: Vec<f32>,
    pass1: Vec<u8>,
    segs: Vec<Range<usize>>,
    /// Every segment to tag, with its sentence.
    todo: Vec<(Range<usize>, Range<usize>)>,
    /// Pass 1's sums per tagged token; pass 2's.
    sums: Vec<f32>,
    sums2: Vec<f32>,
    /// Pass 2's sums of the features it shares with pass 1, per tagged token.
    carry: Vec<f32>,
}

/// Tags every sentence of a document with one pass.
pub(crate) fn tag_pass(
    m: &Model,
    info: &DocInfo,
    sentences: &[Range<usize>],
    stacked: Option<&Stacked>,
    feats: &mut Features,
    tag: &mut Scratch,
    sent: &mut Vec<u8>,
    margins: &mut Vec<f32>,
    out: &mut Vec<u8>,
) {
    out.clear();
    out.resize(info.len(), 0);
    let mut segs = Vec::new();
    for r in sentences {
        segments(info, r.clone(), &mut segs);
        for seg in &segs {
            if stacked.is_some_and(|s| s.settled(seg)) {
                continue;
            }
            sentence_features(info, r.clone(), seg.clone(), stacked, feats);
            m.decode(feats, tag, sent, margins);
            out[seg.clone()].copy_from_slice(sent);
        }
    }
}

/// Tags a document with both passes: pass 1's labels into `s.pass1`, pass
/// 2's into `out`. The same labels as [`tag_pass`] with pass 1 and then,
/// after [`Stacked::compute`], with pass 2, for fewer look-ups: pass 1
/// carries pass 2's sums of the features the two share over to pass 2
/// ([`Model::sums_carrying`]), which adds only its own
/// ([`crate::features::stacked_features`]). The features of all the
/// document's segments are summed in one go, each segment then decoded on
/// its own.
fn tag_stacked(
    p1: &Model,
    p2: &Model,
    sentences: &[Range<usize>],
    s: &mut TagScratch,
    out: &mut Vec<u8>,
) {
    let TagScratch {
        info,
        stacked,
        feats,
        tag,
        sent,
        pass1,
        segs,
        todo,
        sums,
        sums2,
        carry,
        ..
    } = s;
    todo.clear();
    feats.clear();
    for r in sentences {
        segments(info, r.clone(), segs);
        for seg in segs.iter() {
            append_sentence_features(info, r.clone(), seg.clone(), feats);
            todo.push((r.clone(), seg.clone()));
        }
    }
    p1.sums_carrying(p2, feats, sums, carry);
    pass1.clear();
    pass1.resize(info.len(), 0);
    let n1 = p1.n_labels();
    let mut at = 0;
    for (_, seg) in todo.iter() {
        let len = seg.len();
        p1.decode_sums(&sums[at * n1..(at + len) * n1], &[], tag, sent, None);
        pass1[seg.clone()].copy_from_slice(sent);
        at += len;
    }
    stacked.compute(info, pass1);
    // pass 2, where it has something to add: the carried sums plus its own
    let n2 = p2.n_labels();
    feats.clear();
    sums2.clear();
    let mut at = 0;
    for (r, seg) in todo.iter() {
        let len = seg.len();
        if !stacked.settled(seg) {
            append_stacked_features(info, r.clone(), seg.clone(), stacked, feats);
            sums2.extend_from_slice(&carry[at * n2..(at + len) * n2]);
        }
        at += len;
    }
    p2.add_sums(feats, sums2);
    out.clear();
    out.resize(info.len(), 0);
    let mut at = 0;
    for (_, seg) in todo.iter() {
        if stacked.settled(seg) {
            continue;
        }
        let len = seg.len();
        p2.decode_sums(&sums2[at * n2..(at + len) * n2], &[], tag, sent, None);
        out[seg.clone()].copy_from_slice(sent);
        at += len;
    }
}

impl NerModel {
    /// Labels (BILOU, see [`crate::labels`]) for every token of a document.
    /// `sentences` are token ranges, in order, covering the tokens to tag.
    pub fn tag<'a>(
        &self,
        words: impl Iterator<Item = &'a str>,
        sentences: &[Range<usize>],
        s: &mut TagScratch,
        out: &mut Vec<u8>,
    ) {
        s.info.compute(words, sentences);
        match &self.pass2 {
            Some(p2) => tag_stacked(&self.pass1, p2, sentences, s, out),
            None => tag_pass(
                &self.pass1,
                &s.info,
                sentences,
                None,
                &mut s.feats,
                &mut s.tag,
                &mut s.sent,
                &mut s.margins,
                out,
            ),
        }
    }

    pub fn to_bytes(&self) -> Result<Vec<u8>, ModelError> {
        let mut out = MAGIC.to_vec();
        write_passes(
            std::iter::once(&self.pass1).chain(self.pass2.as_ref()),
            &mut out,
        )?;
        Ok(out)
    }

    pub fn from_bytes(b: &[u8]) -> Result<NerModel, ModelError> {
        if b.get(..8) != Some(MAGIC.as_slice()) {
            return Err(ModelError::Magic);
        }
        // pass 2 shares most of pass 1's features: one table for both (see
        // `tag_stacked`)
        let mut it = read_passes_interleaved(&b[8..])?.into_iter();
        let pass1 = it
            .next()
            .ok_or(ModelError::Corrupt("no tagger in entity model"))?;
        if pass1.n_labels() != crate::labels::N_LABELS {
            return Err(ModelError::Corrupt("entity model has the wrong label set"));
        }
        Ok(NerModel {
            pass1,
            pass2: it.next(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alone(m: &Model) -> Model {
        let mut b = Vec::new();
        m.write(&mut b).unwrap();
        Model::from_bytes(&b).unwrap()
    }

    #[test]
    fn stacked_tagging_matches_two_plain_passes() {
        let shared = crate::embedded_model().unwrap();
        let separate = NerModel {
            pass1: alone(&shared.pass1),
            pass2: shared.pass2.as_ref().map(alone),
        };
        for name in ["000_e8348c9c7b4e2da3.txt", "004_ada9b50bf52b2923.txt"] {
            let path = format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(path).unwrap();
            let span = onrecord_core::Span::new(0, text.len());
            let layer = onrecord_text::analyze(&text, &[span]);
            let words: Vec<&str> = layer.tokens.iter().map(|t| t.text(&text)).collect();
            let sentences: Vec<Range<usize>> = layer
                .sentences
                .iter()
                .map(|s| s.tokens.start as usize..s.tokens.end as usize)
                .collect();
            // the reference: each pass on its own
            let mut info = DocInfo::default();
            info.compute(words.iter().copied(), &sentences);
            let (mut feats, mut tag) = (Features::default(), Scratch::default());
            let (mut sent, mut margins) = (Vec::new(), Vec::new());
            let (mut l1, mut l2) = (Vec::new(), Vec::new());
            tag_pass(
                &shared.pass1,
                &info,
                &sentences,
                None,
                &mut feats,
                &mut tag,
                &mut sent,
                &mut margins,
                &mut l1,
            );
            let mut st = Stacked::default();
            st.compute(&info, &l1);
            tag_pass(
                shared.pass2.as_ref().unwrap(),
                &info,
                &sentences,
                Some(&st),
                &mut feats,
                &mut tag,
                &mut sent,
                &mut margins,
                &mut l2,
            );
            assert!(l2.iter().any(|&l| l != 0), "{name}: some entity");
            for m in [&shared, &separate] {
                let (mut s, mut out) = (TagScratch::default(), Vec::new());
                m.tag(words.iter().copied(), &sentences, &mut s, &mut out);
                assert_eq!(out, l2, "{name}");
                assert_eq!(s.pass1, l1, "{name}");
            }
        }
    }
}
