//! Averaged structured perceptron training (Collins 2002), seeded and deterministic.

use crate::model::{Model, Scratch};
use crate::Features;

#[derive(Debug, Clone)]
pub struct TrainConfig {
    pub epochs: usize,
    pub bits: u32,
    pub seed: u64,
    /// Cost-augmented training (a structured margin, as in max-margin
    /// Markov networks): while training, every label other than the gold
    /// one gets this added to its score at each token before decoding, so a
    /// sequence is updated until its gold labels win by that margin per
    /// wrong token. 0 is the plain perceptron. In units of one feature's
    /// unit update.
    pub margin: f32,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 10,
            bits: 20,
            seed: 42,
            margin: 0.0,
        }
    }
}

#[derive(Debug, Clone)]
pub struct TrainReport {
    /// Token error rate on the training data, per epoch (before averaging;
    /// with a margin, that of the cost-augmented decoding).
    pub epoch_errors: Vec<f64>,
}

/// Trains on `(features, gold labels)` sequences. Labels index `labels`;
/// `allowed` is the `(n+1) × n` transition constraint matrix.
pub fn train(
    data: &[(Features, Vec<u8>)],
    labels: Vec<String>,
    allowed: Vec<bool>,
    cfg: &TrainConfig,
    mut progress: impl FnMut(usize, f64),
) -> (Model, TrainReport) {
    let mut model = Model::new(labels, cfg.bits, allowed);
    let n = model.n_labels();
    let mask = model.mask();
    // compact copies of the features, as bucket ids
    let seqs: Vec<(Vec<u32>, Vec<u32>, &[u8])> = data
        .iter()
        .map(|(f, y)| {
            let (ids, starts) = f.bucketed(mask);
            (ids, starts, y.as_slice())
        })
        .collect();
    let wlen = model.weights.len();
    let tlen = model.trans.len();
    let mut acc_w = vec![0f64; wlen];
    let mut ts_w = vec![0u32; wlen];
    let mut acc_t = vec![0f64; tlen];
    let mut ts_t = vec![0u32; tlen];
    let mut step: u32 = 1;
    let mut order: Vec<usize> = (0..seqs.len()).collect();
    let mut rng = cfg.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut scratch = Scratch::default();
    let mut emit = Vec::new();
    let mut pred = Vec::new();
    let mut report = TrainReport {
        epoch_errors: Vec::new(),
    };
    for epoch in 0..cfg.epochs {
        // Fisher-Yates with xorshift64*
        for i in (1..order.len()).rev() {
            rng ^= rng >> 12;
            rng ^= rng << 25;
            rng ^= rng >> 27;
            let j = (rng.wrapping_mul(0x2545_f491_4f6c_dd1d) % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        let (mut errors, mut total) = (0usize, 0usize);
        for &si in &order {
            let (ids, starts, gold) = &seqs[si];
            let len = gold.len();
            if len == 0 {
                continue;
            }
            let tok = |i: usize| {
                let a = starts[i] as usize;
                let b = starts.get(i + 1).map_or(ids.len(), |&b| b as usize);
                &ids[a..b]
            };
            emit.clear();
            emit.resize(len * n, 0.0);
            for i in 0..len {
                let row = &mut emit[i * n..(i + 1) * n];
                for &b in tok(i) {
                    let at = b as usize * n;
                    for (r, w) in row.iter_mut().zip(&model.weights[at..at + n]) {
                        *r += *w;
                    }
                }
            }
            if cfg.margin > 0.0 {
                // cost-augmented decoding: every wrong label starts `margin`
                // ahead, so the gold sequence must win by that much
                for (i, &g) in gold.iter().enumerate() {
                    for (l, e) in emit[i * n..(i + 1) * n].iter_mut().enumerate() {
                        if l != g as usize {
                            *e += cfg.margin;
                        }
                    }
                }
            }
            model.viterbi(&emit, len, &mut scratch, &mut pred);
            total += len;
            if pred.as_slice() != *gold {
                for i in 0..len {
                    let (g, p) = (gold[i] as usize, pred[i] as usize);
                    if g != p {
                        errors += 1;
                        for &b in tok(i) {
                            let at = b as usize * n;
                            bump(&mut model.weights, &mut acc_w, &mut ts_w, at + g, 1.0, step);
                            bump(
                                &mut model.weights,
                                &mut acc_w,
                                &mut ts_w,
                                at + p,
                                -1.0,
                                step,
                            );
                        }
                    }
                    let gp = if i == 0 { n } else { gold[i - 1] as usize };
                    let pp = if i == 0 { n } else { pred[i - 1] as usize };
                    if g != p || gp != pp {
                        bump(
                            &mut model.trans,
                            &mut acc_t,
                            &mut ts_t,
                            gp * n + g,
                            1.0,
                            step,
                        );
                        bump(
                            &mut model.trans,
                            &mut acc_t,
                            &mut ts_t,
                            pp * n + p,
                            -1.0,
                            step,
                        );
                    }
                }
            }
            step += 1;
        }
        let rate = errors as f64 / total.max(1) as f64;
        report.epoch_errors.push(rate);
        progress(epoch, rate);
    }
    finish(&mut model.weights, &acc_w, &ts_w, step);
    finish(&mut model.trans, &acc_t, &ts_t, step);
    (model, report)
}

#[inline]
fn bump(w: &mut [f32], acc: &mut [f64], ts: &mut [u32], k: usize, d: f32, step: u32) {
    acc[k] += (step - ts[k]) as f64 * w[k] as f64;
    ts[k] = step;
    w[k] += d;
}

fn finish(w: &mut [f32], acc: &[f64], ts: &[u32], step: u32) {
    for k in 0..w.len() {
        let total = acc[k] + (step - ts[k]) as f64 * w[k] as f64;
        w[k] = (total / step as f64) as f32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash_bytes;

    fn seq(words: &[&str]) -> Features {
        let mut f = Features::default();
        for (i, w) in words.iter().enumerate() {
            f.next_token();
            f.push(hash_bytes(1, w.as_bytes()));
            if i > 0 {
                f.push(hash_bytes(2, words[i - 1].as_bytes()));
            }
        }
        f
    }

    #[test]
    fn training_margin_separates_gold_labels_further() {
        // each token's label follows from its word ("b" is X)
        let data: Vec<(Features, Vec<u8>)> = vec![
            (seq(&["a", "b", "a", "a", "b"]), vec![0, 1, 0, 0, 1]),
            (seq(&["b", "b", "a"]), vec![1, 1, 0]),
            (seq(&["a", "b", "b", "a"]), vec![0, 1, 1, 0]),
        ];
        let labels = vec!["O".to_string(), "X".to_string()];
        let min_margin = |margin: f32| {
            let cfg = TrainConfig {
                epochs: 10,
                bits: 12,
                seed: 1,
                margin,
            };
            let (m, rep) = train(&data, labels.clone(), vec![true; 6], &cfg, |_, _| {});
            let (mut out, mut margins, mut s) = (Vec::new(), Vec::new(), Scratch::default());
            let mut least = f32::MAX;
            for (f, gold) in &data {
                m.decode(f, &mut s, &mut out, &mut margins);
                assert_eq!(&out, gold, "margin {margin}: {:?}", rep.epoch_errors);
                least = margins.iter().copied().fold(least, f32::min);
            }
            least
        };
        let plain = min_margin(0.0);
        let wide = min_margin(5.0);
        assert!(wide > plain, "margin 5: {wide}, plain: {plain}");
    }

    #[test]
    fn learns_a_toy_tagging_and_round_trips() {
        // label 1 = word after "said", 0 otherwise
        let data: Vec<(Features, Vec<u8>)> = vec![
            (seq(&["he", "said", "yes"]), vec![0, 0, 1]),
            (seq(&["she", "said", "no"]), vec![0, 0, 1]),
            (seq(&["yes", "he", "said"]), vec![0, 0, 0]),
        ];
        let labels = vec!["O".to_string(), "X".to_string()];
        let allowed = vec![true; 6];
        let cfg = TrainConfig {
            epochs: 10,
            bits: 12,
            seed: 1,
            ..Default::default()
        };
        let (m, rep) = train(&data, labels, allowed, &cfg, |_, _| {});
        assert_eq!(*rep.epoch_errors.last().unwrap(), 0.0);
        let mut out = Vec::new();
        let mut margins = Vec::new();
        let mut s = Scratch::default();
        m.decode(
            &seq(&["they", "said", "maybe"]),
            &mut s,
            &mut out,
            &mut margins,
        );
        assert_eq!(out, vec![0, 0, 1]);
        let mut bytes = Vec::new();
        m.write(&mut bytes).unwrap();
        let m2 = Model::from_bytes(&bytes).unwrap();
        m2.decode(
            &seq(&["they", "said", "maybe"]),
            &mut s,
            &mut out,
            &mut margins,
        );
        assert_eq!(out, vec![0, 0, 1]);
        // a model read from a file (quantised weights) writes the same bytes
        let mut again = Vec::new();
        m2.write(&mut again).unwrap();
        assert_eq!(again, bytes);
        let mut m3 = m2.clone();
        assert_eq!(m3.prune(0), m.clone().prune(0));
        assert!(Model::from_bytes(&bytes[..bytes.len() / 2]).is_err());
        assert!(Model::from_bytes(b"junk").is_err());
    }

    #[test]
    fn training_is_deterministic() {
        let data: Vec<(Features, Vec<u8>)> = vec![
            (seq(&["a", "b", "c"]), vec![0, 1, 0]),
            (seq(&["b", "a", "c"]), vec![1, 0, 0]),
        ];
        let run = || {
            let (m, _) = train(
                &data,
                vec!["O".into(), "X".into()],
                vec![true; 6],
                &TrainConfig {
                    epochs: 3,
                    bits: 10,
                    seed: 9,
                    ..Default::default()
                },
                |_, _| {},
            );
            let mut b = Vec::new();
            m.write(&mut b).unwrap();
            b
        };
        assert_eq!(run(), run());
    }

    #[test]
    fn bias_and_pruning() {
        let data: Vec<(Features, Vec<u8>)> = vec![
            (seq(&["he", "said", "yes"]), vec![0, 0, 1]),
            (seq(&["she", "said", "no"]), vec![0, 0, 1]),
            (seq(&["yes", "he", "said"]), vec![0, 0, 0]),
        ];
        let cfg = TrainConfig {
            epochs: 10,
            bits: 12,
            seed: 1,
            ..Default::default()
        };
        let (mut m, _) = train(
            &data,
            vec!["O".into(), "X".into()],
            vec![true; 6],
            &cfg,
            |_, _| {},
        );
        let (mut out, mut margins, mut s) = (Vec::new(), Vec::new(), Scratch::default());
        let f = seq(&["they", "said", "maybe"]);
        // no bias is the plain decoder; a large bias on a label wins everywhere
        m.decode_biased(&f, &[], &mut s, &mut out, &mut margins);
        assert_eq!(out, vec![0, 0, 1]);
        m.decode_biased(&f, &[0.0, 1e6], &mut s, &mut out, &mut margins);
        assert_eq!(out, vec![1, 1, 1]);
        // pruning nothing keeps the written model; pruning everything empties it
        let mut before = Vec::new();
        m.write(&mut before).unwrap();
        let kept = m.prune(0);
        let mut after = Vec::new();
        m.write(&mut after).unwrap();
        assert_eq!(before, after);
        assert!(kept > 0);
        assert_eq!(m.prune(127), 0);
    }

    #[test]
    fn interleaved_passes_read_write_and_decode_the_same() {
        let data: Vec<(Features, Vec<u8>)> = vec![
            (seq(&["he", "said", "yes"]), vec![0, 0, 1]),
            (seq(&["she", "said", "no"]), vec![0, 0, 1]),
            (seq(&["yes", "he", "said"]), vec![0, 0, 0]),
        ];
        let cfg = TrainConfig {
            epochs: 5,
            bits: 12,
            seed: 3,
            ..Default::default()
        };
        let (m1, _) = train(
            &data,
            vec!["O".into(), "X".into()],
            vec![true; 6],
            &cfg,
            |_, _| {},
        );
        let three: Vec<String> = ["O", "X", "Y"].iter().map(|s| s.to_string()).collect();
        let data3: Vec<(Features, Vec<u8>)> = data
            .iter()
            .map(|(f, y)| (f.clone(), y.iter().map(|&l| l * 2).collect()))
            .collect();
        let (m2, _) = train(&data3, three, vec![true; 12], &cfg, |_, _| {});
        let mut bytes = Vec::new();
        crate::write_passes([&m1, &m2], &mut bytes).unwrap();
        let plain = crate::read_passes(&bytes).unwrap();
        let inter = crate::read_passes_interleaved(&bytes).unwrap();
        for (a, b) in plain.iter().zip(&inter) {
            let (mut x, mut y) = (Vec::new(), Vec::new());
            a.write(&mut x).unwrap();
            b.write(&mut y).unwrap();
            assert_eq!(x, y);
        }
        let f = seq(&["they", "said", "maybe", "he", "said"]);
        let mut own = Features::default();
        for _ in 0..f.len() {
            own.next_token();
        }
        let mut s = Scratch::default();
        let (mut o1, mut g1, mut o2, mut g2) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        plain[1].decode_biased(&f, &[0.5], &mut s, &mut o1, &mut g1);
        for (first, second) in [(&inter[0], &inter[1]), (&plain[0], &plain[1])] {
            let mut carry = Vec::new();
            let (mut l, mut m) = (Vec::new(), Vec::new());
            first.decode_carrying(second, &f, &[], &mut s, &mut l, Some(&mut m), &mut carry);
            let (mut l0, mut m0) = (Vec::new(), Vec::new());
            first.decode(&f, &mut s, &mut l0, &mut m0);
            assert_eq!((l, m), (l0, m0));
            second.decode_biased_from(&carry, &own, &[0.5], &mut s, &mut o2, &mut g2);
            assert_eq!((&o1, &g1), (&o2, &g2));
        }
    }
}
