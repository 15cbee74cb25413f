//! Phrase chunks: which noun, verb, prepositional and subordinate-clause
//! phrases each token of a sentence is in (the CoNLL-2000 chunk tags), tagged
//! from words alone.
//!
//! The attribution tagger uses them as features: sources are noun phrases,
//! cues verb phrases, and content most often opens with a subordinate
//! clause or a noun phrase after the cue. The tagger is an averaged
//! perceptron over hashed word features (`onrecord-tagger`), trained on the
//! chunk column of CoNLL-2003 English train by `onrecord train chunks` and
//! scored on its dev file (see `models/chunks.card.md`).
//!
//! - [`labels`]: the chunk kinds and the IOB2 label set;
//! - [`features`]: the word features of a sentence;
//! - [`conll`]: reading the chunk column of CoNLL files, training, scoring.

pub mod conll;
pub mod features;
pub mod labels;

pub use labels::ChunkKind;

use onrecord_tagger::{read_passes, write_passes, Features, Model, ModelError, Scratch};
use onrecord_text::TextLayer;

const MAGIC: &[u8; 8] = b"ORCHNKv1";

/// The chunk model shipped with OnRecord (see `models/chunks.card.md`).
pub static EMBEDDED_MODEL: &[u8] = include_bytes!("../../../models/chunks.ortag");

/// A trained chunk tagger.
#[derive(Debug, Clone)]
pub struct Chunker {
    model: Model,
}

/// Buffers for [`Chunker::tag_sentence`], reused across sentences.
#[derive(Debug, Default, Clone)]
pub struct ChunkScratch {
    feats: Features,
    tag: Scratch,
    labels: Vec<u8>,
    words: features::Words,
}

impl Chunker {
    pub fn new(model: Model) -> Chunker {
        Chunker { model }
    }

    /// The model compiled into the binary.
    pub fn embedded() -> Result<Chunker, ModelError> {
        Chunker::from_bytes(EMBEDDED_MODEL)
    }

    pub fn to_bytes(&self) -> Result<Vec<u8>, ModelError> {
        let mut out = MAGIC.to_vec();
        write_passes(std::iter::once(&self.model), &mut out)?;
        Ok(out)
    }

    pub fn from_bytes(b: &[u8]) -> Result<Chunker, ModelError> {
        if b.get(..8) != Some(MAGIC.as_slice()) {
            return Err(ModelError::Magic);
        }
        let model = read_passes(&b[8..])?
            .into_iter()
            .next()
            .ok_or(ModelError::Corrupt("no tagger in chunk model"))?;
        if model.n_labels() != labels::N_LABELS {
            return Err(ModelError::Corrupt("chunk model label set"));
        }
        Ok(Chunker { model })
    }

    /// Appends the chunk label (see [`labels`]) of each of the `n` words
    /// `word(0..n)` of one sentence to `out`.
    pub fn tag_sentence<'a>(
        &self,
        n: usize,
        word: impl Fn(usize) -> &'a str,
        s: &mut ChunkScratch,
        out: &mut Vec<u8>,
    ) {
        if n == 0 {
            return;
        }
        s.words.compute(n, word);
        s.feats.clear();
        features::sentence_features(&s.words, &mut s.feats);
        self.model
            .decode_labels(&s.feats, &mut s.tag, &mut s.labels);
        out.extend_from_slice(&s.labels);
    }

    /// The chunk label of every token of `layer` (one sentence at a time),
    /// into `out`.
    pub fn tag_layer(
        &self,
        text: &str,
        layer: &TextLayer,
        s: &mut ChunkScratch,
        out: &mut Vec<u8>,
    ) {
        out.clear();
        out.reserve(layer.tokens.len());
        for sent in &layer.sentences {
            let (a, b) = (sent.tokens.start as usize, sent.tokens.end as usize);
            let toks = &layer.tokens[a..b];
            self.tag_sentence(b - a, |i| toks[i].text(text), s, out);
        }
        // tokens outside any sentence (none in practice) are outside chunks
        out.resize(layer.tokens.len(), labels::O);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_model_reads_and_chunks_a_reporting_clause() {
        let c = Chunker::embedded().unwrap();
        let words = [
            "The", "minister", "said", "that", "the", "talks", "had", "failed", ".",
        ];
        let mut out = Vec::new();
        c.tag_sentence(
            words.len(),
            |i| words[i],
            &mut ChunkScratch::default(),
            &mut out,
        );
        let kinds: Vec<_> = out.iter().map(|&l| labels::kind(l)).collect();
        assert_eq!(kinds[0], Some((ChunkKind::Np, true)));
        assert_eq!(kinds[1], Some((ChunkKind::Np, false)));
        assert_eq!(kinds[2], Some((ChunkKind::Vp, true)));
        assert_eq!(kinds[3], Some((ChunkKind::Sbar, true)));
        assert_eq!(kinds[4], Some((ChunkKind::Np, true)));
        assert_eq!(kinds[8], None);
    }

    #[test]
    fn rejects_other_files() {
        assert!(Chunker::from_bytes(b"ORATTRv2 and more").is_err());
        assert!(Chunker::from_bytes(b"").is_err());
    }
}
