//! A generic sequence labeller: averaged structured perceptron over hashed
//! features (optionally trained with a margin), first-order Viterbi decoding,
//! and compact quantised weights.
//!
//! It knows nothing about language: callers turn each token into a list of
//! feature hashes ([`Features`]) and give label sequences as `u8` indices.
//! The attribution, entity and chunk taggers are built on it.
//!
//! Weights live in a dense table of `2^bits` buckets × labels, indexed by
//! `hash & mask`, so decoding does no hashing-table lookups and no
//! allocation beyond its reusable [`Scratch`]. On disk a model is the
//! non-zero buckets quantised to `i8` with one scale (see [`Model::write`]).
//!
//! [`conll`] splits the CoNLL column files that training data comes in into
//! sentences of rows.

pub mod conll;
mod hash;
mod model;
mod table;
mod train;

pub use hash::{fx, hash_bytes, hash_lower, mix};
pub use model::{read_passes, read_passes_interleaved, write_passes, Model, ModelError, Scratch};
pub use train::{train, TrainConfig, TrainReport};

/// The top bit of a stored feature hash marks a feature pushed with
/// [`Features::push_own`]. Weights are looked up by the low bits of the
/// hash only (at most 28), so the mark changes no look-up.
pub(crate) const OWN: u64 = 1 << 63;

/// The features of a sequence: for token `i`, `ids[starts[i]..starts[i+1]]`.
/// Reused between sequences to avoid allocation.
#[derive(Debug, Clone, Default)]
pub struct Features {
    ids: Vec<u64>,
    starts: Vec<u32>,
}

impl Features {
    pub fn clear(&mut self) {
        self.ids.clear();
        self.starts.clear();
    }
    /// Starts the next token's features.
    #[inline]
    pub fn next_token(&mut self) {
        self.starts.push(self.ids.len() as u32);
    }
    /// Adds a feature of the current token.
    #[inline]
    pub fn push(&mut self, hash: u64) {
        self.ids.push(hash & !OWN);
    }
    /// Adds a feature of the current token that the next stacked pass does
    /// not have: [`Model::decode_carrying`] leaves it out of what it
    /// carries over. To any other use it is a feature like the others.
    #[inline]
    pub fn push_own(&mut self, hash: u64) {
        self.ids.push(hash | OWN);
    }
    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.starts.len()
    }
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }
    #[inline]
    pub fn token(&self, i: usize) -> &[u64] {
        let a = self.starts[i] as usize;
        let b = self
            .starts
            .get(i + 1)
            .map_or(self.ids.len(), |&b| b as usize);
        &self.ids[a..b]
    }
    /// Hashes reduced to buckets of a `2^bits` table, for compact training storage.
    pub(crate) fn bucketed(&self, mask: u64) -> (Vec<u32>, Vec<u32>) {
        (
            self.ids.iter().map(|&h| (h & mask) as u32).collect(),
            self.starts.clone(),
        )
    }
}
