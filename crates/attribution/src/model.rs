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
//! (version 2 and 3: the decoding bias, a `u32` count and that many `f32`),
//! (version 3: the `u64` id of the chunk and cluster models its features
//! were made with, see [`crate::features::feature_models_id`]), then each
//! pass as a length-prefixed `onrecord-tagger` model. Version 1 and 2 files
//! are still read.

use onrecord_tagger::{read_passes_interleaved, write_passes, Model, ModelError};

const MAGIC: &[u8; 8] = b"ORATTRv1";
/// Version 2 adds the per-label decoding bias after the lexicon.
const MAGIC_V2: &[u8; 8] = b"ORATTRv2";
/// Version 3 adds the id of the feature models after the bias.
const MAGIC_V3: &[u8; 8] = b"ORATTRv3";

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

    /// The key under which a two-word cue ("according to", "told reporters")
    /// is stored, from the hashes of its lower-cased words.
    #[inline]
    pub fn bigram_key(first: u64, second: u64) -> u64 {
        onrecord_tagger::mix(onrecord_tagger::fx(
            onrecord_tagger::fx(0xb16a, first),
            second,
        ))
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
    /// Added to the final pass's emission score of each label (see
    /// [`onrecord_tagger::Model::decode_biased`]); empty: none.
    pub bias: Vec<f32>,
    /// The chunk and cluster models the features were made with (`None`:
    /// a file from before they were recorded).
    pub feature_models: Option<u64>,
}

impl AttributionModel {
    /// A bias that raises every label of a role by the same amount
    /// (`[source, cue, content]`), for a model of `n_labels` labels.
    pub fn role_bias(n_labels: usize, per_role: [f32; 3]) -> Vec<f32> {
        (0..n_labels as u8)
            .map(|l| match crate::labels::role_of(l) {
                Some(onrecord_core::Role::Source) => per_role[0],
                Some(onrecord_core::Role::Cue) => per_role[1],
                Some(onrecord_core::Role::Content) => per_role[2],
                None => 0.0,
            })
            .collect()
    }
}

impl AttributionModel {
    pub fn to_bytes(&self) -> Result<Vec<u8>, ModelError> {
        let mut out = Vec::new();
        out.extend_from_slice(match (self.feature_models, self.bias.is_empty()) {
            (Some(_), _) => MAGIC_V3,
            (None, true) => MAGIC,
            (None, false) => MAGIC_V2,
        });
        out.extend_from_slice(&(self.lexicon.entries.len() as u32).to_le_bytes());
        for &(h, c) in &self.lexicon.entries {
            out.extend_from_slice(&h.to_le_bytes());
            out.push(c);
        }
        if !self.bias.is_empty() || self.feature_models.is_some() {
            out.extend_from_slice(&(self.bias.len() as u32).to_le_bytes());
            for &b in &self.bias {
                out.extend_from_slice(&b.to_le_bytes());
            }
        }
        if let Some(id) = self.feature_models {
            out.extend_from_slice(&id.to_le_bytes());
        }
        write_passes(
            std::iter::once(&self.pass1).chain(self.pass2.as_ref()),
            &mut out,
        )?;
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
        let magic = take(&mut i, 8)?;
        let v3 = magic == MAGIC_V3;
        let v2 = magic == MAGIC_V2 || v3;
        if magic != MAGIC && !v2 {
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
        let mut bias = Vec::new();
        if v2 {
            let n = u32::from_le_bytes(
                take(&mut i, 4)?
                    .try_into()
                    .map_err(|_| ModelError::Corrupt("bias"))?,
            ) as usize;
            if n > 255 {
                return Err(ModelError::Corrupt("bias"));
            }
            for _ in 0..n {
                let b = take(&mut i, 4)?;
                bias.push(f32::from_le_bytes([b[0], b[1], b[2], b[3]]));
            }
        }
        let feature_models = if v3 {
            let b = take(&mut i, 8)?;
            Some(u64::from_le_bytes(
                b.try_into()
                    .map_err(|_| ModelError::Corrupt("feature models"))?,
            ))
        } else {
            None
        };
        // pass 2 sees pass 1's features: one table for both (see
        // `training::tag_doc_stacked`)
        let mut it = read_passes_interleaved(&b[i..])?.into_iter();
        let pass1 = it
            .next()
            .ok_or(ModelError::Corrupt("no tagger in attribution model"))?;
        Ok(AttributionModel {
            lexicon: Lexicon::new(entries),
            pass1,
            pass2: it.next(),
            bias,
            feature_models,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Model {
        let n = crate::labels::LABELS.len();
        Model::new(crate::labels::names(n), 4, crate::labels::allowed_n(n))
    }

    #[test]
    fn round_trips_with_and_without_bias() {
        let biases = [Vec::new(), AttributionModel::role_bias(10, [1.0, 0.0, 2.5])];
        for (bias, feature_models) in biases
            .iter()
            .flat_map(|b| [(b.clone(), None), (b.clone(), Some(0xfeed))])
        {
            let m = AttributionModel {
                lexicon: Lexicon::new(vec![(7, 3), (3, 1)]),
                pass1: tiny(),
                pass2: Some(tiny()),
                bias: bias.clone(),
                feature_models,
            };
            let b = m.to_bytes().unwrap();
            let magic = match (feature_models, bias.is_empty()) {
                (Some(_), _) => MAGIC_V3,
                (None, true) => MAGIC,
                (None, false) => MAGIC_V2,
            };
            assert_eq!(&b[..8], magic);
            let back = AttributionModel::from_bytes(&b).unwrap();
            assert_eq!(back.bias, bias);
            assert_eq!(back.feature_models, feature_models);
            assert_eq!(back.lexicon.class(7), 3);
            assert!(back.pass2.is_some());
            assert!(AttributionModel::from_bytes(&b[..b.len() - 3]).is_err());
        }
    }
}
