//! A trained stance classifier: an averaged multiclass perceptron over
//! hashed features of a statement's words (the cue's and the content's),
//! with the rules' answer ([`crate::stance::classify`]) as one feature
//! among them. Trained by `onrecord train stance` on hand-labelled PolNeAR
//! train statements (`tests/fixtures/stance_train.tsv`), scored on the
//! dev + seeds set (`tests/fixtures/stance.tsv`); see models/stance.card.md.

use crate::stance::{classify_with, lists_of, IN_DENY, IN_DOUBT, IN_FAILS, IN_HOLDS, IN_HOPE};
use onrecord_core::Stance;

/// Feature buckets (a power of two).
pub const BUCKETS: usize = 1 << 13;
const CLASSES: usize = 5;
/// File header: magic and format version.
const MAGIC: &[u8; 8] = b"ORSTNC01";

/// The built-in model (models/stance.bin); empty when none was trained.
pub static EMBEDDED: &[u8] = include_bytes!("../../../models/stance.bin");

#[derive(Debug, Clone)]
pub struct StanceModel {
    /// `BUCKETS × CLASSES` weights, bucket-major.
    w: Vec<f32>,
}

/// One labelled statement for training: its cue's and content's words (as
/// [`crate::stance::words`] gives them) and the gold stance.
pub struct Example {
    pub words: Vec<String>,
    pub cue_words: usize,
    pub gold: Stance,
}

fn fnv(parts: &[&[u8]]) -> usize {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for &b in *p {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        h = (h ^ 0xff).wrapping_mul(0x0100_0000_01b3);
    }
    (h as usize) & (BUCKETS - 1)
}

/// Each class's score: the sum of the features' weights in `w`.
fn scores(w: &[f32], f: &[usize]) -> [f32; CLASSES] {
    let mut s = [0f32; CLASSES];
    for &b in f {
        for (c, x) in s.iter_mut().enumerate() {
            *x += w[b * CLASSES + c];
        }
    }
    s
}

/// The feature buckets of a statement.
pub fn features(words: &[String], cue_words: usize) -> Vec<usize> {
    let lists = lists_of(words);
    let rule = classify_with(words, &lists);
    let mut f = Vec::with_capacity(words.len() * 2 + 16);
    f.push(fnv(&[b"bias"]));
    f.push(fnv(&[b"rule", rule.as_str().as_bytes()]));
    let is_neg = |w: &str, l: u8| l & crate::stance::IN_NEGATION != 0 || w.ends_with("n't");
    let mut neg_left = 0usize;
    for (i, w) in words.iter().enumerate() {
        let part: &[u8] = if i < cue_words { b"cue" } else { b"word" };
        if matches!(w.as_str(), "," | ";" | "." | "—" | "but") {
            neg_left = 0;
        }
        let negated = neg_left > 0;
        neg_left = neg_left.saturating_sub(1);
        f.push(fnv(&[part, w.as_bytes()]));
        if negated {
            f.push(fnv(&[b"neg", w.as_bytes()]));
        }
        for (bit, name) in [
            (IN_HOPE, &b"hope"[..]),
            (IN_DOUBT, b"doubt"),
            (IN_DENY, b"deny"),
            (IN_FAILS, b"fails"),
            (IN_HOLDS, b"holds"),
        ] {
            if lists[i] & bit != 0 {
                f.push(fnv(&[b"list", name, if negated { b"-neg" } else { b"" }]));
            }
        }
        if i + 1 < words.len() && i + 1 >= cue_words {
            f.push(fnv(&[b"bi", w.as_bytes(), words[i + 1].as_bytes()]));
        }
        if is_neg(w, lists[i]) {
            neg_left = 3;
        }
    }
    if words.iter().any(|w| w == "?") {
        f.push(fnv(&[b"question"]));
    }
    let n = words.len() - cue_words.min(words.len());
    let len: &[u8] = match n {
        0..=5 => b"len<=5",
        6..=12 => b"len<=12",
        13..=25 => b"len<=25",
        _ => b"len>25",
    };
    f.push(fnv(&[len]));
    if let Some(first) = words.get(cue_words) {
        f.push(fnv(&[b"first", first.as_bytes()]));
    }
    f
}

impl StanceModel {
    /// The built-in model, if one was trained.
    pub fn embedded() -> Option<StanceModel> {
        StanceModel::from_bytes(EMBEDDED)
    }

    /// `None` for an empty or malformed file.
    pub fn from_bytes(b: &[u8]) -> Option<StanceModel> {
        let body = b.strip_prefix(&MAGIC[..])?;
        if body.len() != BUCKETS * CLASSES * 4 {
            return None;
        }
        let w = body
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        Some(StanceModel { w })
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(MAGIC.len() + self.w.len() * 4);
        out.extend_from_slice(MAGIC);
        for x in &self.w {
            out.extend_from_slice(&x.to_le_bytes());
        }
        out
    }

    fn argmax(s: &[f32; CLASSES]) -> usize {
        // ties to the earlier class in `Stance::ALL`
        let mut best = 0;
        for c in 1..CLASSES {
            if s[c] > s[best] {
                best = c;
            }
        }
        best
    }

    pub fn predict(&self, words: &[String], cue_words: usize) -> Stance {
        Stance::ALL[Self::argmax(&scores(&self.w, &features(words, cue_words)))]
    }

    /// Averaged perceptron, `epochs` passes in an order shuffled by `seed`
    /// (deterministic).
    pub fn train(examples: &[Example], epochs: usize, seed: u64) -> StanceModel {
        let feats: Vec<Vec<usize>> = examples
            .iter()
            .map(|e| features(&e.words, e.cue_words))
            .collect();
        let gold: Vec<usize> = examples
            .iter()
            .map(|e| Stance::ALL.iter().position(|&s| s == e.gold).unwrap_or(0))
            .collect();
        let mut w = vec![0f32; BUCKETS * CLASSES];
        // sums for averaging, by the usual "timestamp" trick
        let mut u = vec![0f32; BUCKETS * CLASSES];
        let mut t = 1f32;
        let mut order: Vec<usize> = (0..examples.len()).collect();
        let mut rng = seed | 1;
        for _ in 0..epochs {
            // Fisher–Yates with xorshift
            for i in (1..order.len()).rev() {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                order.swap(i, (rng % (i as u64 + 1)) as usize);
            }
            for &i in &order {
                let pred = Self::argmax(&scores(&w, &feats[i]));
                let g = gold[i];
                if pred != g {
                    for &b in &feats[i] {
                        w[b * CLASSES + g] += 1.0;
                        u[b * CLASSES + g] += t;
                        w[b * CLASSES + pred] -= 1.0;
                        u[b * CLASSES + pred] -= t;
                    }
                }
                t += 1.0;
            }
        }
        let w = w.iter().zip(&u).map(|(w, u)| w - u / t).collect();
        StanceModel { w }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_lowercase).collect()
    }

    #[test]
    fn learns_a_separable_set_and_round_trips() {
        let ex = |s: &str, gold| Example {
            words: words(s),
            cue_words: 1,
            gold,
        };
        let data = vec![
            ex("said the deal holds firm", Stance::Affirms),
            ex("said we hope it holds", Stance::Hopes),
            ex("said it is unclear whether it holds", Stance::Doubts),
            ex("said the deal is dead", Stance::Denies),
            ex("said the vote is tuesday", Stance::Neutral),
        ];
        let m = StanceModel::train(&data, 10, 42);
        for e in &data {
            assert_eq!(m.predict(&e.words, 1), e.gold);
        }
        let back = StanceModel::from_bytes(&m.to_bytes()).expect("reads back");
        for e in &data {
            assert_eq!(back.predict(&e.words, 1), e.gold);
        }
        assert!(StanceModel::from_bytes(b"").is_none());
        assert!(StanceModel::from_bytes(b"ORSTNC01xx").is_none());
    }
}
