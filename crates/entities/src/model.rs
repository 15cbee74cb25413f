//! The entity model file and document tagging with its two passes.
//!
//! Layout: magic `ORNERv1\0`, then each pass as a length-prefixed
//! `onrecord-tagger` model (pass 2 optional). Pass 2 sees pass 1's labels
//! and the document-wide type of each word ([`Stacked`]); it is trained on
//! pass-1 labels predicted by cross-validation.

use crate::features::{segments, sentence_features, DocInfo, Stacked};
use onrecord_tagger::{read_passes, write_passes, Features, Model, ModelError, Scratch};
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
        let TagScratch {
            info,
            stacked,
            feats,
            tag,
            sent,
            margins,
            pass1,
        } = s;
        match &self.pass2 {
            None => tag_pass(
                &self.pass1,
                info,
                sentences,
                None,
                feats,
                tag,
                sent,
                margins,
                out,
            ),
            Some(p2) => {
                tag_pass(
                    &self.pass1,
                    info,
                    sentences,
                    None,
                    feats,
                    tag,
                    sent,
                    margins,
                    pass1,
                );
                stacked.compute(info, pass1);
                tag_pass(
                    p2,
                    info,
                    sentences,
                    Some(stacked),
                    feats,
                    tag,
                    sent,
                    margins,
                    out,
                );
            }
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
        let mut it = read_passes(&b[8..])?.into_iter();
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
