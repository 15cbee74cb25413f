//! Learning clusters from tokenized text. Deterministic for a given seed.

use crate::linalg::{symmetric_eigen, Csr, Dense};
use crate::{Cluster, Clusters};
use onrecord_tagger::hash_lower;
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct LearnConfig {
    /// Words seen fewer times get no cluster.
    pub min_count: u32,
    /// Context words: this many of the most frequent, at each of the
    /// positions -2, -1, +1, +2.
    pub contexts: usize,
    /// Dimensions kept from the SVD.
    pub dims: usize,
    pub coarse: usize,
    pub fine: usize,
    pub iterations: usize,
    pub seed: u64,
}

impl Default for LearnConfig {
    fn default() -> Self {
        LearnConfig {
            min_count: 3,
            contexts: 500,
            dims: 100,
            coarse: 64,
            fine: 512,
            iterations: 25,
            seed: 42,
        }
    }
}

#[derive(Debug, Clone)]
pub struct LearnReport {
    pub tokens: usize,
    pub words: usize,
    /// The words of the fine cluster of each probe word asked for (at most
    /// 12 each, most frequent first).
    pub probes: Vec<(String, Vec<String>)>,
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn unit(&mut self) -> f64 {
        ((self.next() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    fn gaussian(&mut self) -> f64 {
        (-2.0 * self.unit().ln()).sqrt() * (std::f64::consts::TAU * self.unit()).cos()
    }
}

/// Learns clusters from `docs`, each a sequence of lower-cased words.
pub fn learn(docs: &[Vec<String>], cfg: &LearnConfig, probes: &[&str]) -> (Clusters, LearnReport) {
    let mut counts: HashMap<&str, u32> = HashMap::new();
    let mut tokens = 0;
    for d in docs {
        tokens += d.len();
        for w in d {
            *counts.entry(w.as_str()).or_default() += 1;
        }
    }
    let mut by_freq: Vec<(&str, u32)> = counts.into_iter().collect();
    by_freq.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let vocab: Vec<&str> = by_freq
        .iter()
        .take_while(|e| e.1 >= cfg.min_count)
        .map(|e| e.0)
        .collect();
    let index: HashMap<&str, u32> = vocab
        .iter()
        .enumerate()
        .map(|(i, &w)| (w, i as u32))
        .collect();
    let k = cfg.contexts.min(vocab.len());
    let m = 4 * k;
    // co-occurrence counts, a map per row
    let mut rows: Vec<HashMap<u32, f64>> = vec![HashMap::new(); vocab.len()];
    for d in docs {
        let ids: Vec<Option<u32>> = d.iter().map(|w| index.get(w.as_str()).copied()).collect();
        for (i, id) in ids.iter().enumerate() {
            let Some(r) = *id else { continue };
            for (slot, off) in [-2isize, -1, 1, 2].into_iter().enumerate() {
                let j = i as isize + off;
                if j < 0 || j >= ids.len() as isize {
                    continue;
                }
                if let Some(c) = ids[j as usize].filter(|&c| (c as usize) < k) {
                    *rows[r as usize].entry((slot * k) as u32 + c).or_default() += 1.0;
                }
            }
        }
    }
    let ppmi = ppmi(&rows, m);
    drop(rows);
    let x = embed(&ppmi, cfg);
    let mut rng = Rng(cfg.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let coarse = kmeans(
        &x,
        cfg.coarse.min(vocab.len().max(1)),
        cfg.iterations,
        &mut rng,
    );
    let fine = kmeans(
        &x,
        cfg.fine.min(vocab.len().max(1)),
        cfg.iterations,
        &mut rng,
    );
    let entries = vocab
        .iter()
        .enumerate()
        .map(|(i, w)| {
            (
                hash_lower(0, w.as_bytes()),
                Cluster {
                    coarse: coarse[i] as u16,
                    fine: fine[i] as u16,
                },
            )
        })
        .collect();
    let probes = probes
        .iter()
        .filter_map(|p| {
            let i = *index.get(p)? as usize;
            let same = vocab
                .iter()
                .enumerate()
                .filter(|&(j, _)| fine[j] == fine[i])
                .take(12)
                .map(|(_, w)| w.to_string())
                .collect();
            Some((p.to_string(), same))
        })
        .collect();
    let report = LearnReport {
        tokens,
        words: vocab.len(),
        probes,
    };
    (Clusters::new(entries), report)
}

/// Positive pointwise mutual information of the counts, as a sparse matrix.
fn ppmi(rows: &[HashMap<u32, f64>], m: usize) -> Csr {
    let mut col_sum = vec![0f64; m];
    let mut total = 0f64;
    let row_sum: Vec<f64> = rows
        .iter()
        .map(|r| {
            let s: f64 = r.values().sum();
            for (&c, &v) in r {
                col_sum[c as usize] += v;
            }
            total += s;
            s
        })
        .collect();
    let mut out = Csr {
        rows: rows.len(),
        cols: m,
        start: vec![0],
        ..Default::default()
    };
    for (r, row) in rows.iter().enumerate() {
        let mut cells: Vec<(u32, f64)> = row.iter().map(|(&c, &v)| (c, v)).collect();
        cells.sort_unstable_by_key(|c| c.0);
        for (c, v) in cells {
            let pmi = (v * total / (row_sum[r] * col_sum[c as usize])).ln();
            if pmi > 0.0 {
                out.col.push(c);
                out.val.push(pmi);
            }
        }
        out.start.push(out.col.len());
    }
    out
}

/// Rows of `a` in `cfg.dims` dimensions: `U Σ^½` of a truncated SVD
/// (randomized subspace iteration), each row scaled to unit length.
fn embed(a: &Csr, cfg: &LearnConfig) -> Dense {
    let k = (cfg.dims + 20).min(a.cols).min(a.rows.max(1));
    let mut rng = Rng(cfg.seed ^ 0x5eed);
    let mut omega = Dense::zeros(a.cols, k);
    for x in &mut omega.v {
        *x = rng.gaussian();
    }
    let mut y = a.mul(&omega);
    y.orthonormalize_columns();
    for _ in 0..3 {
        let mut z = a.t_mul(&y);
        z.orthonormalize_columns();
        y = a.mul(&z);
        y.orthonormalize_columns();
    }
    // B = Yᵀ A (k × m); B Bᵀ = V Λ Vᵀ; A ≈ (Y V) Λ^½ …
    let bt = a.t_mul(&y); // m × k, = Bᵀ
    let mut bbt = Dense::zeros(k, k);
    for r in 0..bt.rows {
        let row = bt.row(r);
        for i in 0..k {
            if row[i] == 0.0 {
                continue;
            }
            for j in 0..k {
                bbt.v[i * k + j] += row[i] * row[j];
            }
        }
    }
    let (vals, vecs) = symmetric_eigen(bbt);
    let u = y.mul(&vecs);
    let d = cfg.dims.min(k);
    let mut x = Dense::zeros(a.rows, d);
    for r in 0..a.rows {
        let out = x.row_mut(r);
        for j in 0..d {
            // singular value σ = √λ; rows scaled by σ^½
            out[j] = u.v[r * k + j] * vals[j].max(0.0).powf(0.25);
        }
        let norm = out.iter().map(|v| v * v).sum::<f64>().sqrt();
        if norm > 0.0 {
            out.iter_mut().for_each(|v| *v /= norm);
        }
    }
    x
}

/// Spherical k-means: each row to the centroid of highest cosine.
fn kmeans(x: &Dense, k: usize, iterations: usize, rng: &mut Rng) -> Vec<usize> {
    let (n, d) = (x.rows, x.cols);
    if n == 0 {
        return Vec::new();
    }
    // distinct random rows as the first centroids
    let mut picked: Vec<usize> = Vec::with_capacity(k);
    while picked.len() < k.min(n) {
        let i = (rng.next() % n as u64) as usize;
        if !picked.contains(&i) {
            picked.push(i);
        }
    }
    let mut c = Dense::zeros(picked.len(), d);
    for (j, &i) in picked.iter().enumerate() {
        c.row_mut(j).copy_from_slice(x.row(i));
    }
    let mut assign = vec![0usize; n];
    for it in 0..=iterations {
        let mut changed = false;
        for (r, a) in assign.iter_mut().enumerate() {
            let xr = x.row(r);
            let mut best = (f64::NEG_INFINITY, 0);
            for j in 0..c.rows {
                let s: f64 = xr.iter().zip(c.row(j)).map(|(a, b)| a * b).sum();
                if s > best.0 {
                    best = (s, j);
                }
            }
            changed |= *a != best.1;
            *a = best.1;
        }
        if it == iterations || (!changed && it > 0) {
            break;
        }
        let mut sums = Dense::zeros(c.rows, d);
        for (r, &a) in assign.iter().enumerate() {
            for (s, v) in sums.row_mut(a).iter_mut().zip(x.row(r)) {
                *s += v;
            }
        }
        for j in 0..c.rows {
            let norm = sums.row(j).iter().map(|v| v * v).sum::<f64>().sqrt();
            if norm > 0.0 {
                let row = c.row_mut(j);
                for (cv, sv) in row.iter_mut().zip(sums.row(j)) {
                    *cv = sv / norm;
                }
            }
        }
    }
    assign
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_the_same_contexts_share_a_cluster() {
        // "said" and "added" follow names and precede "that"; "red" and
        // "blue" sit between "the" and nouns
        let mut docs = Vec::new();
        for name in ["ann", "bob", "cy", "dee"] {
            for verb in ["said", "added"] {
                for noun in ["car", "house", "boat"] {
                    for adj in ["red", "blue"] {
                        let s = format!("{name} {verb} that the {adj} {noun} was sold");
                        docs.push(s.split(' ').map(String::from).collect::<Vec<_>>());
                    }
                }
            }
        }
        let cfg = LearnConfig {
            min_count: 1,
            contexts: 20,
            dims: 6,
            coarse: 4,
            fine: 6,
            iterations: 20,
            seed: 1,
        };
        let (c, report) = learn(&docs, &cfg, &["said"]);
        let get = |w: &str| c.get(hash_lower(0, w.as_bytes()));
        assert_eq!(get("said").fine, get("added").fine, "{:?}", report.probes);
        assert_eq!(get("red").fine, get("blue").fine);
        assert_ne!(get("said").fine, get("red").fine);
        assert_eq!(report.words, 15);
        // deterministic
        let (again, _) = learn(&docs, &cfg, &[]);
        assert_eq!(again.to_bytes(), c.to_bytes());
    }
}
