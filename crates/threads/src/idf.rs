//! Inverse document frequencies of words, from a news corpus, hashed into
//! a fixed table of one byte per bucket (64 KiB): how telling a word is
//! about a subject ("Anchorage" is, "president" less so).
//!
//! Built by `onrecord train idf` from PolNeAR train (2016 US news);
//! unseen words get the highest weight.

/// Buckets in the table.
pub const BUCKETS: usize = 1 << 16;
/// Quantisation: a byte holds `idf * SCALE`.
const SCALE: f32 = 24.0;

/// FNV-1a, fixed so the table stays valid across builds and platforms.
pub fn bucket(word: &str) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for b in word.bytes() {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    (h as usize) & (BUCKETS - 1)
}

#[derive(Debug, Clone)]
pub struct Idf {
    table: Vec<u8>,
}

/// The built-in table (models/idf.bin).
pub static EMBEDDED: &[u8] = include_bytes!("../../../models/idf.bin");

impl Idf {
    /// The built-in table; a missing or short table gives every word the
    /// same weight (subjects then rest on shared words only).
    pub fn embedded() -> Idf {
        Idf::from_bytes(EMBEDDED)
    }

    pub fn from_bytes(b: &[u8]) -> Idf {
        if b.len() == BUCKETS {
            Idf { table: b.to_vec() }
        } else {
            Idf {
                table: vec![(SCALE * 4.0) as u8; BUCKETS],
            }
        }
    }

    /// The weight of a stemmed word.
    #[inline]
    pub fn of(&self, stem: &str) -> f32 {
        self.table[bucket(stem)] as f32 / SCALE
    }

    /// A table from document frequencies: `df(stem)` over `docs` documents.
    pub fn build<'a>(docs: usize, dfs: impl Iterator<Item = (&'a str, usize)>) -> Vec<u8> {
        let n = docs.max(1) as f32;
        let top = ((n / 0.5).ln() * SCALE).round().min(255.0) as u8;
        let mut table = vec![top; BUCKETS];
        for (w, df) in dfs {
            let q = (((n / df.max(1) as f32).ln().max(0.0)) * SCALE)
                .round()
                .min(255.0) as u8;
            let b = &mut table[bucket(w)];
            // colliding words: keep the commoner (the lower weight)
            *b = (*b).min(q);
        }
        table
    }
}
