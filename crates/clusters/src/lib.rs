//! Word clusters: words that occur in the same contexts get the same
//! cluster ("said", "added", "noted", "tweeted"), at a coarse and a fine
//! granularity. The attribution tagger uses them as features, so that a
//! reporting verb it never saw labelled still looks like the ones it did.
//!
//! - [`learn`]: from tokenized unlabelled text: positive PMI vectors of
//!   each word's ±2 neighbours among the most frequent words, a truncated
//!   SVD (randomized subspace iteration), and spherical k-means twice;
//! - [`Clusters`]: the model file (`models/clusters.bin`) and look-ups by
//!   the tagger's lower-cased word hash (`onrecord_tagger::hash_lower(0, …)`).

mod learn;
mod linalg;

pub use learn::{learn, LearnConfig, LearnReport};

use onrecord_tagger::ModelError;

const MAGIC: &[u8; 8] = b"ORCLUSv1";

/// The home slot of a word hash in a table of `size` (a power of two) slots.
#[inline]
fn slot_of(h: u64, size: usize) -> usize {
    (onrecord_tagger::mix(h) as usize) & (size - 1)
}

/// The clusters shipped with OnRecord (see `models/clusters.card.md`).
pub static EMBEDDED: &[u8] = include_bytes!("../../../models/clusters.bin");

/// The cluster of a word the clusters do not know.
pub const UNKNOWN: Cluster = Cluster {
    coarse: u16::MAX,
    fine: u16::MAX,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cluster {
    pub coarse: u16,
    pub fine: u16,
}

/// Word hash → cluster, in an open-addressing table (one probe or two per
/// word on the hot path).
#[derive(Debug, Clone, Default)]
pub struct Clusters {
    /// Power-of-two size, at most half full; a zero hash marks an empty slot
    /// (a word whose hash is zero is kept in `zero`).
    slots: Vec<(u64, Cluster)>,
    zero: Option<Cluster>,
    len: usize,
}

impl Clusters {
    /// A later entry for the same word replaces an earlier one.
    pub fn new(entries: Vec<(u64, Cluster)>) -> Clusters {
        let size = (entries.len() * 2).next_power_of_two().max(16);
        let mut c = Clusters {
            slots: vec![(0u64, UNKNOWN); size],
            zero: None,
            len: 0,
        };
        for (h, cl) in entries {
            if h == 0 {
                c.len += usize::from(c.zero.is_none());
                c.zero = Some(cl);
                continue;
            }
            let mut i = slot_of(h, size);
            while c.slots[i].0 != 0 && c.slots[i].0 != h {
                i = (i + 1) & (size - 1);
            }
            c.len += usize::from(c.slots[i].0 == 0);
            c.slots[i] = (h, cl);
        }
        c
    }

    /// Every word's hash and cluster, sorted by hash.
    fn entries(&self) -> Vec<(u64, Cluster)> {
        let mut e: Vec<(u64, Cluster)> = self
            .zero
            .map(|c| (0, c))
            .into_iter()
            .chain(self.slots.iter().copied().filter(|s| s.0 != 0))
            .collect();
        e.sort_unstable_by_key(|x| x.0);
        e
    }

    /// The clusters compiled into the binary.
    pub fn embedded() -> Result<Clusters, ModelError> {
        Clusters::from_bytes(EMBEDDED)
    }

    /// The cluster of the word whose lower-case hash is `word_hash`.
    #[inline]
    pub fn get(&self, word_hash: u64) -> Cluster {
        if word_hash == 0 {
            return self.zero.unwrap_or(UNKNOWN);
        }
        let size = self.slots.len();
        if size == 0 {
            return UNKNOWN;
        }
        let mut i = slot_of(word_hash, size);
        loop {
            let (h, c) = self.slots[i];
            if h == word_hash {
                return c;
            }
            if h == 0 {
                return UNKNOWN;
            }
            i = (i + 1) & (size - 1);
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Magic, a `u32` count, then per word its `u64` hash and the coarse and
    /// fine cluster as `u16`, little-endian.
    pub fn to_bytes(&self) -> Vec<u8> {
        let entries = self.entries();
        let mut out = Vec::with_capacity(12 + entries.len() * 12);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(entries.len() as u32).to_le_bytes());
        for (h, c) in &entries {
            out.extend_from_slice(&h.to_le_bytes());
            out.extend_from_slice(&c.coarse.to_le_bytes());
            out.extend_from_slice(&c.fine.to_le_bytes());
        }
        out
    }

    pub fn from_bytes(b: &[u8]) -> Result<Clusters, ModelError> {
        if b.get(..8) != Some(MAGIC.as_slice()) {
            return Err(ModelError::Magic);
        }
        let n = b
            .get(8..12)
            .and_then(|x| x.try_into().ok())
            .map(u32::from_le_bytes)
            .ok_or(ModelError::Corrupt("truncated clusters"))? as usize;
        let body = &b[12..];
        if body.len() != n.saturating_mul(12) {
            return Err(ModelError::Corrupt("clusters length"));
        }
        let entries = body
            .chunks_exact(12)
            .map(|e| {
                let h = u64::from_le_bytes(e[..8].try_into().unwrap_or_default());
                let coarse = u16::from_le_bytes([e[8], e[9]]);
                let fine = u16::from_le_bytes([e[10], e[11]]);
                (h, Cluster { coarse, fine })
            })
            .collect();
        Ok(Clusters::new(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use onrecord_tagger::hash_lower;

    #[test]
    fn round_trips_and_rejects_truncation() {
        let c = Clusters::new(vec![
            (7, Cluster { coarse: 1, fine: 9 }),
            (3, Cluster { coarse: 2, fine: 4 }),
        ]);
        let b = c.to_bytes();
        let back = Clusters::from_bytes(&b).unwrap();
        assert_eq!(back.get(7), Cluster { coarse: 1, fine: 9 });
        assert_eq!(back.get(8), UNKNOWN);
        assert!(Clusters::from_bytes(&b[..b.len() - 1]).is_err());
        assert!(Clusters::from_bytes(b"ORCLUSv2").is_err());
    }

    #[test]
    fn table_finds_every_word_and_no_other() {
        let entries: Vec<(u64, Cluster)> = (0..1000u64)
            .map(|i| {
                (
                    i * 7919,
                    Cluster {
                        coarse: (i % 64) as u16,
                        fine: i as u16,
                    },
                )
            })
            .collect();
        let c = Clusters::new(entries.clone());
        for (h, cl) in entries {
            assert_eq!(c.get(h), cl);
        }
        assert_eq!(c.get(7919 * 1000), UNKNOWN);
        assert_eq!(c.get(1), UNKNOWN);
        assert_eq!(Clusters::default().get(5), UNKNOWN);
    }

    #[test]
    fn embedded_clusters_put_reporting_verbs_together() {
        let c = Clusters::embedded().unwrap();
        let get = |w: &str| c.get(hash_lower(0, w.as_bytes()));
        assert_ne!(get("said"), UNKNOWN);
        assert_eq!(get("said").coarse, get("added").coarse);
        assert_ne!(get("said").coarse, get("the").coarse);
        assert_eq!(get("Said"), get("said"), "looked up in lower case");
        assert_eq!(c.to_bytes(), EMBEDDED, "what is read is what is written");
    }
}
