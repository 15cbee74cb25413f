//! The attribution model file: a learned cue lexicon and two stacked
//! tagger passes.
//!
//! Pass 1 tags from text features; pass 2 sees the same features plus
//! features of pass 1's labels (where the predicted cues and sources are),
//! which lets it decide whole clauses. Pass 2 is trained on pass-1 labels
//! predicted by cross-validation (jackknifing), so it learns from labels as
//! noisy as those it will see at run time.
//!
//! Layout: magic, lexicon (count, then `u64` word hash + `u8` class each),
//! then each pass as a length-prefixed `onrecord-tagger` model.

use onrecord_tagger::{Model, ModelError};

const MAGIC: &[u8; 8] = b"ORATTRv1";

/// Cue words learned from the training data, as hashes of the lower-cased word.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    /// Sorted by hash.
    entries: Vec<(u64, u8)>,
}

impl Lexicon {
    pub fn new(mut entries: Vec<(u64, u8)>) -> Lexicon {
        entries.sort_unstable();
        entries.dedup_by_key(|e| e.0);
        Lexicon { entries }
    }

    /// 0 when the word is not a cue word; else a class 1..=3 (higher: more often a cue).
    #[inline]
    pub fn class(&self, word_hash: u64) -> u8 {
        match self.entries.binary_search_by_key(&word_hash, |e| e.0) {
            Ok(i) => self.entries[i].1,
            Err(_) => 0,
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Everything the extractor loads from `models/attribution.ortag`.
#[derive(Debug, Clone)]
pub struct AttributionModel {
    pub lexicon: Lexicon,
    pub pass1: Model,
    pub pass2: Option<Model>,
}

impl AttributionModel {
    pub fn to_bytes(&self) -> Result<Vec<u8>, ModelError> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(self.lexicon.entries.len() as u32).to_le_bytes());
        for &(h, c) in &self.lexicon.entries {
            out.extend_from_slice(&h.to_le_bytes());
            out.push(c);
        }
        for m in std::iter::once(&self.pass1).chain(self.pass2.as_ref()) {
            let mut b = Vec::new();
            m.write(&mut b)?;
            out.extend_from_slice(&(b.len() as u64).to_le_bytes());
            out.extend_from_slice(&b);
        }
        Ok(out)
    }

    pub fn from_bytes(b: &[u8]) -> Result<AttributionModel, ModelError> {
        let take = |i: &mut usize, k: usize| -> Result<&[u8], ModelError> {
            let s = b
                .get(*i..*i + k)
                .ok_or(ModelError::Corrupt("truncated attribution model"))?;
            *i += k;
            Ok(s)
        };
        let mut i = 0;
        if take(&mut i, 8)? != MAGIC {
            return Err(ModelError::Magic);
        }
        let n = u32::from_le_bytes(
            take(&mut i, 4)?
                .try_into()
                .map_err(|_| ModelError::Corrupt("lexicon"))?,
        ) as usize;
        let mut entries = Vec::with_capacity(n.min(1 << 20));
        for _ in 0..n {
            let h = u64::from_le_bytes(
                take(&mut i, 8)?
                    .try_into()
                    .map_err(|_| ModelError::Corrupt("lexicon"))?,
            );
            let c = take(&mut i, 1)?[0];
            entries.push((h, c));
        }
        let mut passes = Vec::new();
        while i < b.len() {
            let len = u64::from_le_bytes(
                take(&mut i, 8)?
                    .try_into()
                    .map_err(|_| ModelError::Corrupt("pass"))?,
            ) as usize;
            passes.push(Model::from_bytes(take(&mut i, len)?)?);
        }
        let mut it = passes.into_iter();
        let pass1 = it
            .next()
            .ok_or(ModelError::Corrupt("no tagger in attribution model"))?;
        Ok(AttributionModel {
            lexicon: Lexicon::new(entries),
            pass1,
            pass2: it.next(),
        })
    }
}
