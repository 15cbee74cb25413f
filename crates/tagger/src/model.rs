//! The trained model: weights, transitions, Viterbi decoding, file format.

use crate::table::Table;
use crate::{Features, OWN};
use std::io::{Read, Write};
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("model file: {0}")]
    Io(#[from] std::io::Error),
    #[error("model file is not an OnRecord tagger model (bad magic)")]
    Magic,
    #[error("model file is corrupt: {0}")]
    Corrupt(&'static str),
    #[error("model file does not fit this build: {0}")]
    Mismatch(&'static str),
}

/// A first-order sequence model over `labels`.
#[derive(Debug, Clone)]
pub struct Model {
    pub labels: Vec<String>,
    pub(crate) bits: u32,
    /// `weights[bucket * n + label]`; empty in a model read from a file,
    /// which keeps its quantised weights instead (`quant`).
    pub(crate) weights: Vec<f32>,
    /// A model read from a file: the `i8` weights as stored, and their
    /// scale. A quarter of the memory of `f32` weights, so loading is
    /// quicker and decoding has fewer cache misses.
    pub(crate) quant: Option<Quant>,
    /// For each label, the labels allowed before it (from `allowed`).
    preds: Vec<Vec<u8>>,
    /// A model read from a file: `trans` with the transitions that
    /// `allowed` forbids at -inf, each row padded with -inf to a multiple
    /// of 8 labels (for [`Model::viterbi`]; a trained model's transitions
    /// change while it trains, so it has none).
    masked: Vec<f32>,
    /// `trans[prev * n + label]`; row `n` is the start state.
    pub(crate) trans: Vec<f32>,
    /// `allowed[prev * n + label]` (row `n`: start): hard constraints such as BIO.
    pub(crate) allowed: Vec<bool>,
}

/// Quantised weights: bucket `b`'s row is `table[b * stride + offset..]`
/// (`n_labels` values). Two stacked passes can share one table, each
/// bucket's rows side by side (see [`read_passes_interleaved`]), so that one
/// look-up fetches both.
#[derive(Debug, Clone)]
pub(crate) struct Quant {
    table: Arc<Table>,
    stride: usize,
    offset: usize,
    scale: f32,
}

impl Quant {
    #[inline(always)]
    fn row(&self, bucket: usize, n: usize) -> &[i8] {
        let at = bucket * self.stride + self.offset;
        &self.table[at..at + n]
    }
}

/// Reusable decoding buffers.
#[derive(Debug, Default, Clone)]
pub struct Scratch {
    emit: Vec<f32>,
    score: Vec<f32>,
    back: Vec<u8>,
}

const MAGIC: &[u8; 8] = b"ORTAGv1\0";

impl Model {
    pub fn new(labels: Vec<String>, bits: u32, allowed: Vec<bool>) -> Model {
        let n = labels.len();
        assert!(n > 0 && n < 256 && allowed.len() == (n + 1) * n);
        Model {
            labels,
            bits,
            weights: vec![0.0; (1usize << bits) * n],
            quant: None,
            preds: predecessors(n, &allowed),
            masked: Vec::new(),
            trans: vec![0.0; (n + 1) * n],
            allowed,
        }
    }

    pub fn n_labels(&self) -> usize {
        self.labels.len()
    }

    #[inline]
    pub(crate) fn mask(&self) -> u64 {
        (1u64 << self.bits) - 1
    }

    /// Emission scores, `n_tokens × n_labels`, into `out`.
    pub fn emissions(&self, feats: &Features, out: &mut Vec<f32>) {
        out.clear();
        out.resize(feats.len() * self.n_labels(), 0.0);
        self.accumulate(feats, false, out, None);
        self.scale(out);
    }

    /// Multiplies raw sums of quantised weights by the model's scale.
    fn scale(&self, out: &mut [f32]) {
        if let Some(q) = &self.quant {
            out.iter_mut().for_each(|r| *r *= q.scale);
        }
    }

    /// Adds each token's feature weights (unscaled) to its row of `acc`
    /// (`n_tokens × n_labels`; only the features not pushed with
    /// [`Features::push_own`] when `shared`); with `carry`, also the next
    /// pass's weights of those features to its rows of the carry
    /// (`n_tokens × its labels`), with one look-up for both where the two
    /// share a table. Trained (`f32`) weights are added in feature order;
    /// quantised ones are small integers, whose sums are exact in any order.
    fn accumulate(
        &self,
        feats: &Features,
        shared: bool,
        acc: &mut [f32],
        carry: Option<(&Model, &mut [f32])>,
    ) {
        let n = self.n_labels();
        let mask = self.mask();
        debug_assert_eq!(acc.len(), feats.len() * n);
        if let Some(q) = &self.quant {
            if let Some((next, cacc)) = carry {
                let m = next.n_labels();
                match &next.quant {
                    Some(q2)
                        if Arc::ptr_eq(&q.table, &q2.table)
                            && next.bits == self.bits
                            && q2.stride == q.stride =>
                    {
                        let second = Some((q2.offset, m, cacc));
                        sum_rows(feats, mask, q, (n, acc, true), second);
                        return;
                    }
                    _ => next.accumulate(feats, true, cacc, None),
                }
            }
            sum_rows(feats, mask, q, (n, acc, !shared), None);
            return;
        }
        if let Some((next, cacc)) = carry {
            next.accumulate(feats, true, cacc, None);
        }
        for i in 0..feats.len() {
            let row = &mut acc[i * n..(i + 1) * n];
            for &h in feats.token(i) {
                if shared && h & OWN != 0 {
                    continue;
                }
                let b = (h & mask) as usize * n;
                for (r, w) in row.iter_mut().zip(&self.weights[b..b + n]) {
                    *r += *w;
                }
            }
        }
    }

    /// Best label sequence; `out[i]` is the label of token `i`. Also returns,
    /// per token, the margin between the best and second-best label's
    /// emission score (a cheap confidence signal) into `margins`.
    pub fn decode(
        &self,
        feats: &Features,
        scratch: &mut Scratch,
        out: &mut Vec<u8>,
        margins: &mut Vec<f32>,
    ) {
        self.decode_biased(feats, &[], scratch, out, margins)
    }

    /// [`Model::decode`] without the margins, for callers that use the
    /// labels only.
    pub fn decode_labels(&self, feats: &Features, scratch: &mut Scratch, out: &mut Vec<u8>) {
        self.decode_with(feats, &[], scratch, out, None)
    }

    /// [`Model::decode`] with `bias[y]` added to every token's emission
    /// score for label `y` (labels past the end of `bias` get none): a way to
    /// trade precision for recall at decoding time without retraining.
    pub fn decode_biased(
        &self,
        feats: &Features,
        bias: &[f32],
        scratch: &mut Scratch,
        out: &mut Vec<u8>,
        margins: &mut Vec<f32>,
    ) {
        self.decode_with(feats, bias, scratch, out, Some(margins))
    }

    /// [`Model::decode_biased`], the margins only when asked for.
    fn decode_with(
        &self,
        feats: &Features,
        bias: &[f32],
        scratch: &mut Scratch,
        out: &mut Vec<u8>,
        margins: Option<&mut Vec<f32>>,
    ) {
        let mut emit = std::mem::take(&mut scratch.emit);
        emit.clear();
        emit.resize(feats.len() * self.n_labels(), 0.0);
        self.accumulate(feats, false, &mut emit, None);
        self.finish(emit, feats.len(), bias, scratch, out, margins);
    }

    /// [`Model::decode_biased`] (the margins only when asked for) that also
    /// appends to `carry` the unscaled sums of `next`'s weights over the
    /// same features (`n_tokens × ` its labels), except those pushed with
    /// [`Features::push_own`]: the part of the next stacked pass's scores
    /// that comes from the features the two passes share. The next pass
    /// then adds only its own features ([`Model::decode_biased_from`]); the
    /// scores are the same as if it had summed every feature itself, in the
    /// same order.
    #[allow(clippy::too_many_arguments)]
    pub fn decode_carrying(
        &self,
        next: &Model,
        feats: &Features,
        bias: &[f32],
        scratch: &mut Scratch,
        out: &mut Vec<u8>,
        margins: Option<&mut Vec<f32>>,
        carry: &mut Vec<f32>,
    ) {
        let mut emit = std::mem::take(&mut scratch.emit);
        emit.clear();
        emit.resize(feats.len() * self.n_labels(), 0.0);
        let at = carry.len();
        carry.resize(at + feats.len() * next.n_labels(), 0.0);
        self.accumulate(feats, false, &mut emit, Some((next, &mut carry[at..])));
        self.finish(emit, feats.len(), bias, scratch, out, margins);
    }

    /// [`Model::decode_biased`] with the unscaled sums `base` (`n_tokens ×
    /// n_labels`, from [`Model::decode_carrying`] of the pass before) to
    /// which `feats`, this pass's own features, are added.
    pub fn decode_biased_from(
        &self,
        base: &[f32],
        feats: &Features,
        bias: &[f32],
        scratch: &mut Scratch,
        out: &mut Vec<u8>,
        margins: &mut Vec<f32>,
    ) {
        assert_eq!(base.len(), feats.len() * self.n_labels());
        let mut emit = std::mem::take(&mut scratch.emit);
        emit.clear();
        emit.extend_from_slice(base);
        self.accumulate(feats, false, &mut emit, None);
        self.finish(emit, feats.len(), bias, scratch, out, Some(margins));
    }

    /// The unscaled sums of each token's feature weights (`n_tokens ×
    /// n_labels`) into `sums`, and, as [`Model::decode_carrying`] carries
    /// them, `next`'s sums of the features the two share into `carry`. With
    /// [`Model::add_sums`] and [`Model::decode_sums`], the features of many
    /// short sequences can be summed in one go and each decoded on its own.
    pub fn sums_carrying(
        &self,
        next: &Model,
        feats: &Features,
        sums: &mut Vec<f32>,
        carry: &mut Vec<f32>,
    ) {
        sums.clear();
        sums.resize(feats.len() * self.n_labels(), 0.0);
        carry.clear();
        carry.resize(feats.len() * next.n_labels(), 0.0);
        self.accumulate(feats, false, sums, Some((next, carry)));
    }

    /// Adds each token's feature weights (unscaled) to its row of `sums`
    /// (`n_tokens × n_labels`, such as a carry).
    pub fn add_sums(&self, feats: &Features, sums: &mut [f32]) {
        assert_eq!(sums.len(), feats.len() * self.n_labels());
        self.accumulate(feats, false, sums, None);
    }

    /// [`Model::decode_biased`] of a sequence whose unscaled sums
    /// (`n_tokens × n_labels`) are given; the margins only when asked for.
    pub fn decode_sums(
        &self,
        sums: &[f32],
        bias: &[f32],
        scratch: &mut Scratch,
        out: &mut Vec<u8>,
        margins: Option<&mut Vec<f32>>,
    ) {
        let n = self.n_labels();
        assert_eq!(sums.len() % n, 0);
        let mut emit = std::mem::take(&mut scratch.emit);
        emit.clear();
        emit.extend_from_slice(sums);
        self.finish(emit, sums.len() / n, bias, scratch, out, margins);
    }

    /// Scales the sums `emit`, adds `bias`, decodes, and works out margins.
    fn finish(
        &self,
        mut emit: Vec<f32>,
        len: usize,
        bias: &[f32],
        scratch: &mut Scratch,
        out: &mut Vec<u8>,
        margins: Option<&mut Vec<f32>>,
    ) {
        self.scale(&mut emit);
        if !bias.is_empty() {
            let n = self.n_labels();
            for row in emit.chunks_exact_mut(n) {
                for (e, b) in row.iter_mut().zip(bias) {
                    *e += *b;
                }
            }
        }
        self.viterbi(&emit, len, scratch, out);
        let Some(margins) = margins else {
            scratch.emit = emit;
            return;
        };
        margins.clear();
        let n = self.n_labels();
        for (i, &y) in out.iter().enumerate() {
            let row = &emit[i * n..(i + 1) * n];
            let best = row[y as usize];
            // The highest other score, four running maxima at a time (the
            // scores are never NaN, and a maximum does not depend on the
            // order it is taken in).
            let mut m = [f32::NEG_INFINITY; 4];
            for (k, &v) in row.iter().enumerate() {
                let v = if k == y as usize {
                    f32::NEG_INFINITY
                } else {
                    v
                };
                let j = k % 4;
                m[j] = if v > m[j] { v } else { m[j] };
            }
            let a = if m[1] > m[0] { m[1] } else { m[0] };
            let b = if m[3] > m[2] { m[3] } else { m[2] };
            let second = if b > a { b } else { a };
            margins.push(best - second);
        }
        scratch.emit = emit;
    }

    pub(crate) fn viterbi(
        &self,
        emit: &[f32],
        len: usize,
        scratch: &mut Scratch,
        out: &mut Vec<u8>,
    ) {
        #[cfg(target_arch = "x86_64")]
        if !self.masked.is_empty() {
            if std::arch::is_x86_feature_detected!("avx2") && !tests::sse2_only() {
                // SAFETY: the processor has AVX2.
                unsafe {
                    match self.n_labels().div_ceil(8) {
                        1 => return self.viterbi_x8::<1>(emit, len, scratch, out),
                        2 => return self.viterbi_x8::<2>(emit, len, scratch, out),
                        3 => return self.viterbi_x8::<3>(emit, len, scratch, out),
                        _ => {}
                    }
                }
            }
            match self.n_labels().div_ceil(4) {
                1 => return self.viterbi_x4::<1>(emit, len, scratch, out),
                2 => return self.viterbi_x4::<2>(emit, len, scratch, out),
                3 => return self.viterbi_x4::<3>(emit, len, scratch, out),
                4 => return self.viterbi_x4::<4>(emit, len, scratch, out),
                5 => return self.viterbi_x4::<5>(emit, len, scratch, out),
                _ => {}
            }
        }
        self.viterbi_plain(emit, len, scratch, out)
    }

    /// [`Model::viterbi`] label by label, over the allowed transitions.
    pub(crate) fn viterbi_plain(
        &self,
        emit: &[f32],
        len: usize,
        scratch: &mut Scratch,
        out: &mut Vec<u8>,
    ) {
        let n = self.n_labels();
        out.clear();
        if len == 0 {
            return;
        }
        let score = &mut scratch.score;
        let back = &mut scratch.back;
        score.clear();
        score.resize(len * n, f32::NEG_INFINITY);
        back.clear();
        back.resize(len * n, 0);
        for y in 0..n {
            if self.allowed[n * n + y] {
                score[y] = self.trans[n * n + y] + emit[y];
            }
        }
        for i in 1..len {
            for y in 0..n {
                let mut best = f32::NEG_INFINITY;
                let mut arg = 0u8;
                for &p in &self.preds[y] {
                    let p = p as usize;
                    let s = score[(i - 1) * n + p] + self.trans[p * n + y];
                    if s > best {
                        best = s;
                        arg = p as u8;
                    }
                }
                score[i * n + y] = best + emit[i * n + y];
                back[i * n + y] = arg;
            }
        }
        let last = &score[(len - 1) * n..len * n];
        let mut y = (0..n).fold(0, |a, k| if last[k] > last[a] { k } else { a });
        out.resize(len, 0);
        for i in (0..len).rev() {
            out[i] = y as u8;
            if i > 0 {
                y = back[i * n + y] as usize;
            }
        }
    }

    /// [`Model::viterbi_plain`] four labels at a time (SSE2), for a model of
    /// at most `4 * K` labels with `masked` transitions: every label takes
    /// the best of all labels before it, with the forbidden transitions at
    /// -inf, so that the sums, comparisons and ties are those of the plain
    /// version. The `K` vectors of best scores stay in registers while the
    /// previous labels are run through, so the steps of different labels
    /// overlap instead of waiting for each other.
    #[cfg(target_arch = "x86_64")]
    fn viterbi_x4<const K: usize>(
        &self,
        emit: &[f32],
        len: usize,
        scratch: &mut Scratch,
        out: &mut Vec<u8>,
    ) {
        use std::arch::x86_64::*;
        const MAXW: usize = 24;
        let n = self.n_labels();
        // rows of `tm` are `w` apart; the first `4 * K` values of each are read
        let w = n.next_multiple_of(8);
        out.clear();
        if len == 0 {
            return;
        }
        let tm = &self.masked[..];
        assert!(w <= MAXW && n <= 4 * K && 4 * K <= w && tm.len() == (n + 1) * w);
        assert!(emit.len() >= len * n);
        let back = &mut scratch.back;
        back.clear();
        back.resize(len * n, 0);
        let mut prev = [f32::NEG_INFINITY; MAXW];
        for y in 0..n {
            prev[y] = tm[n * w + y] + emit[y];
        }
        let (mut cur, mut arg) = ([0f32; MAXW], [0i32; MAXW]);
        for i in 1..len {
            // SAFETY: SSE2 is part of x86_64; row `p < n` of `tm` has `w >=
            // 4 * K` values (asserted above), and `cur` and `arg` hold
            // `MAXW >= w`.
            unsafe {
                let mut b = [_mm_set1_ps(f32::NEG_INFINITY); K];
                let mut a = [_mm_setzero_si128(); K];
                for (p, &sp) in prev[..n].iter().enumerate() {
                    if sp == f32::NEG_INFINITY {
                        continue;
                    }
                    let spv = _mm_set1_ps(sp);
                    let pv = _mm_set1_epi32(p as i32);
                    let row = tm.as_ptr().add(p * w);
                    for c in 0..K {
                        let s = _mm_add_ps(spv, _mm_loadu_ps(row.add(4 * c)));
                        let m = _mm_cmpgt_ps(s, b[c]);
                        b[c] = _mm_or_ps(_mm_and_ps(m, s), _mm_andnot_ps(m, b[c]));
                        let mi = _mm_castps_si128(m);
                        a[c] = _mm_or_si128(_mm_and_si128(mi, pv), _mm_andnot_si128(mi, a[c]));
                    }
                }
                for c in 0..K {
                    _mm_storeu_ps(cur.as_mut_ptr().add(4 * c), b[c]);
                    _mm_storeu_si128(arg.as_mut_ptr().add(4 * c) as *mut __m128i, a[c]);
                }
            }
            let e = &emit[i * n..(i + 1) * n];
            let bk = &mut back[i * n..(i + 1) * n];
            for y in 0..n {
                prev[y] = cur[y] + e[y];
                bk[y] = arg[y] as u8;
            }
        }
        let last = &prev[..n];
        let mut y = (0..n).fold(0, |a, k| if last[k] > last[a] { k } else { a });
        out.resize(len, 0);
        for i in (0..len).rev() {
            out[i] = y as u8;
            if i > 0 {
                y = back[i * n + y] as usize;
            }
        }
    }

    /// [`Model::viterbi_x4`] eight labels at a time (AVX2), for a model of
    /// at most `8 * K` labels.
    ///
    /// # Safety
    ///
    /// The processor must have AVX2.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn viterbi_x8<const K: usize>(
        &self,
        emit: &[f32],
        len: usize,
        scratch: &mut Scratch,
        out: &mut Vec<u8>,
    ) {
        use std::arch::x86_64::*;
        const MAXW: usize = 24;
        let n = self.n_labels();
        let w = 8 * K;
        out.clear();
        if len == 0 {
            return;
        }
        let tm = &self.masked[..];
        assert!(w <= MAXW && n <= w && n.next_multiple_of(8) == w && tm.len() == (n + 1) * w);
        assert!(emit.len() >= len * n);
        let back = &mut scratch.back;
        back.clear();
        back.resize(len * n, 0);
        let mut prev = [f32::NEG_INFINITY; MAXW];
        for y in 0..n {
            prev[y] = tm[n * w + y] + emit[y];
        }
        let (mut cur, mut arg) = ([0f32; MAXW], [0i32; MAXW]);
        for i in 1..len {
            let mut b = [_mm256_set1_ps(f32::NEG_INFINITY); K];
            // the previous labels, as the bits of floats (blends move bits)
            let mut a = [_mm256_setzero_ps(); K];
            for (p, &sp) in prev[..n].iter().enumerate() {
                if sp == f32::NEG_INFINITY {
                    continue;
                }
                let spv = _mm256_set1_ps(sp);
                let pv = _mm256_castsi256_ps(_mm256_set1_epi32(p as i32));
                // SAFETY: row `p < n` of `tm` has `w = 8 * K` values (asserted above)
                let row = tm.as_ptr().add(p * w);
                for c in 0..K {
                    let s = _mm256_add_ps(spv, _mm256_loadu_ps(row.add(8 * c)));
                    let m = _mm256_cmp_ps::<_CMP_GT_OQ>(s, b[c]);
                    b[c] = _mm256_blendv_ps(b[c], s, m);
                    a[c] = _mm256_blendv_ps(a[c], pv, m);
                }
            }
            for c in 0..K {
                // SAFETY: `cur` and `arg` hold `MAXW >= w` values
                _mm256_storeu_ps(cur.as_mut_ptr().add(8 * c), b[c]);
                _mm256_storeu_si256(
                    arg.as_mut_ptr().add(8 * c) as *mut __m256i,
                    _mm256_castps_si256(a[c]),
                );
            }
            let e = &emit[i * n..(i + 1) * n];
            let bk = &mut back[i * n..(i + 1) * n];
            for y in 0..n {
                prev[y] = cur[y] + e[y];
                bk[y] = arg[y] as u8;
            }
        }
        let last = &prev[..n];
        let mut y = (0..n).fold(0, |a, k| if last[k] > last[a] { k } else { a });
        out.resize(len, 0);
        for i in (0..len).rev() {
            out[i] = y as u8;
            if i > 0 {
                y = back[i * n + y] as usize;
            }
        }
    }

    /// Zeroes the buckets whose weights all quantise (see [`Model::write`])
    /// to at most `min_q` in absolute value, so that they are not stored:
    /// a smaller file for a small loss. Returns the number of buckets
    /// that remain non-zero. `min_q = 0` keeps every bucket `write` keeps.
    pub fn prune(&mut self, min_q: u8) -> usize {
        let n = self.n_labels();
        if let Some(q) = &mut self.quant {
            let mut kept = 0;
            let (stride, offset) = (q.stride, q.offset);
            let table = Arc::make_mut(&mut q.table);
            for b in 0..1usize << self.bits {
                let row = &mut table[b * stride + offset..b * stride + offset + n];
                if row.iter().all(|&x| x.unsigned_abs() <= min_q) {
                    row.iter_mut().for_each(|x| *x = 0);
                } else {
                    kept += 1;
                }
            }
            return kept;
        }
        let maxabs = self.weights.iter().fold(0f32, |m, &x| m.max(x.abs()));
        let scale = if maxabs > 0.0 { maxabs / 127.0 } else { 1.0 };
        let mut kept = 0;
        for row in self.weights.chunks_exact_mut(n) {
            let top = row
                .iter()
                .map(|&x| (x / scale).round().abs().min(127.0) as u8)
                .max()
                .unwrap_or(0);
            if top <= min_q {
                row.iter_mut().for_each(|x| *x = 0.0);
            } else {
                kept += 1;
            }
        }
        kept
    }

    /// Writes the model: non-zero buckets only, weights quantised to `i8`.
    pub fn write(&self, w: &mut impl Write) -> Result<(), ModelError> {
        let n = self.n_labels();
        w.write_all(MAGIC)?;
        w.write_all(&[n as u8, self.bits as u8])?;
        for l in &self.labels {
            w.write_all(&[l.len() as u8])?;
            w.write_all(l.as_bytes())?;
        }
        for &t in &self.trans {
            w.write_all(&t.to_le_bytes())?;
        }
        for &a in &self.allowed {
            w.write_all(&[a as u8])?;
        }
        let maxabs = self.weights.iter().fold(0f32, |m, &x| m.max(x.abs()));
        let scale = match &self.quant {
            Some(q) => q.scale,
            None if maxabs > 0.0 => maxabs / 127.0,
            None => 1.0,
        };
        w.write_all(&scale.to_le_bytes())?;
        let mut prev = 0u64;
        let mut buf = Vec::new();
        let mut count = 0u32;
        let mut q = vec![0i8; n];
        for b in 0..1usize << self.bits {
            let mut any = false;
            match &self.quant {
                Some(qw) => {
                    q.copy_from_slice(qw.row(b, n));
                    any = q.iter().any(|&v| v != 0);
                }
                None => {
                    for (qk, &x) in q.iter_mut().zip(&self.weights[b * n..(b + 1) * n]) {
                        *qk = (x / scale).round().clamp(-127.0, 127.0) as i8;
                        any |= *qk != 0;
                    }
                }
            }
            if !any {
                continue;
            }
            write_varint(&mut buf, b as u64 - prev);
            prev = b as u64;
            buf.extend(q.iter().map(|&v| v as u8));
            count += 1;
        }
        w.write_all(&count.to_le_bytes())?;
        w.write_all(&buf)?;
        Ok(())
    }

    pub fn read(r: &mut impl Read) -> Result<Model, ModelError> {
        let mut all = Vec::new();
        r.read_to_end(&mut all)?;
        Self::from_bytes(&all)
    }

    pub fn from_bytes(all: &[u8]) -> Result<Model, ModelError> {
        let p = Parsed::new(all)?;
        let n = p.labels.len();
        let mut table = new_table(1usize << p.bits, n);
        p.fill(&mut table, n, 0)?;
        Ok(p.into_model(Arc::new(table), n, 0))
    }
}

/// A model file read up to its weights.
struct Parsed<'a> {
    labels: Vec<String>,
    bits: u32,
    trans: Vec<f32>,
    allowed: Vec<bool>,
    scale: f32,
    count: u32,
    /// The stored buckets: `count` times a varint gap and a row.
    rows: &'a [u8],
}

impl<'a> Parsed<'a> {
    fn new(all: &'a [u8]) -> Result<Parsed<'a>, ModelError> {
        let mut c = Cursor { b: all, i: 0 };
        if c.take(8)? != MAGIC {
            return Err(ModelError::Magic);
        }
        let n = c.byte()? as usize;
        let bits = c.byte()? as u32;
        if n == 0 || bits > 28 {
            return Err(ModelError::Corrupt("header"));
        }
        let mut labels = Vec::with_capacity(n);
        for _ in 0..n {
            let len = c.byte()? as usize;
            let s = std::str::from_utf8(c.take(len)?).map_err(|_| ModelError::Corrupt("label"))?;
            labels.push(s.to_string());
        }
        let mut trans = Vec::with_capacity((n + 1) * n);
        for _ in 0..(n + 1) * n {
            trans.push(c.f32()?);
        }
        let mut allowed = Vec::with_capacity((n + 1) * n);
        for _ in 0..(n + 1) * n {
            allowed.push(c.byte()? != 0);
        }
        let scale = c.f32()?;
        let count = u32::from_le_bytes(
            c.take(4)?
                .try_into()
                .map_err(|_| ModelError::Corrupt("count"))?,
        );
        Ok(Parsed {
            labels,
            bits,
            trans,
            allowed,
            scale,
            count,
            rows: &all[c.i..],
        })
    }

    /// Writes the stored rows into `table`: bucket `b`'s at `b * stride + offset`.
    fn fill(&self, table: &mut [i8], stride: usize, offset: usize) -> Result<(), ModelError> {
        let n = self.labels.len();
        let mut c = Cursor { b: self.rows, i: 0 };
        let buckets = 1u64 << self.bits;
        let mut b = 0u64;
        for _ in 0..self.count {
            b = b.saturating_add(c.varint()?);
            let row = c.take(n)?;
            if b >= buckets {
                return Err(ModelError::Corrupt("bucket out of range"));
            }
            let at = b as usize * stride + offset;
            for (w, &v) in table[at..at + n].iter_mut().zip(row) {
                *w = v as i8;
            }
        }
        Ok(())
    }

    fn into_model(self, table: Arc<Table>, stride: usize, offset: usize) -> Model {
        let n = self.labels.len();
        Model {
            preds: predecessors(n, &self.allowed),
            masked: masked_transitions(n, &self.trans, &self.allowed),
            labels: self.labels,
            bits: self.bits,
            weights: Vec::new(),
            quant: Some(Quant {
                table,
                stride,
                offset,
                scale: self.scale,
            }),
            trans: self.trans,
            allowed: self.allowed,
        }
    }
}

/// Slack after the last bucket of a table, so that [`sum_rows`] may read
/// whole 16-byte blocks from any row.
const SLACK: usize = 64;

/// A zeroed table of `buckets` rows of `stride` bytes, and [`SLACK`].
fn new_table(buckets: usize, stride: usize) -> Table {
    Table::zeroed(buckets * stride + SLACK)
}

/// The work of [`Model::accumulate`] on quantised weights: adds to
/// `acc1` (`n_tokens × n1`) each token's rows of `n1` weights at `q`'s
/// offset (of every feature when `own`, else of the features not pushed
/// with [`Features::push_own`]), and with `second` (the offset of another
/// pass's rows in the same table, its number of labels, its sums) that
/// pass's rows of the features not pushed with `push_own`. Each row is
/// fetched once for both.
///
/// The weights are small integers, so the sums are exact whatever their
/// order: where it can, it sums a token's rows as 16-bit integers in SSE2
/// registers (eight labels a lane block), then adds them to the sums in
/// one go.
fn sum_rows(
    feats: &Features,
    mask: u64,
    q: &Quant,
    (n1, acc1, own): (usize, &mut [f32], bool),
    mut second: Option<(usize, usize, &mut [f32])>,
) {
    // The table is larger than the caches and each feature is a random
    // row: ask for the rows of a token two ahead while summing this one,
    // so that the misses overlap.
    const AHEAD: usize = 2;
    let span = match &second {
        Some((off2, n2, _)) => (off2 + n2).max(q.offset + n1) - q.offset.min(*off2),
        None => n1,
    };
    #[cfg(target_arch = "x86_64")]
    let blocks = match &second {
        Some((off2, _, _)) if *off2 == q.offset + n1 => Some(span.div_ceil(16)),
        Some(_) => None,
        None => Some(n1.div_ceil(16)),
    }
    .filter(|&k| k <= 4 && q.table.len() >= (mask as usize + 1) * q.stride + SLACK);
    // the bytes read for each row: whole 16-byte blocks where they are summed
    // in blocks (past the row's end; a line not asked for would be a miss)
    #[cfg(target_arch = "x86_64")]
    let window = blocks.map_or(span, |k| 16 * k);
    #[cfg(not(target_arch = "x86_64"))]
    let window = span;
    // (the table starts on a cache line: a row's lines follow from its offset)
    let ask = |i: usize| {
        for &h in feats.token(i) {
            let at = (h & mask) as usize * q.stride + q.offset;
            prefetch_at(&q.table, at);
            if (at + window - 1) >> 6 != at >> 6 {
                prefetch_at(&q.table, at + window - 1);
            }
        }
    };
    for i in 0..feats.len().min(AHEAD) {
        ask(i);
    }
    #[cfg(target_arch = "x86_64")]
    let avx2 = std::arch::is_x86_feature_detected!("avx2") && !tests::sse2_only();
    for i in 0..feats.len() {
        if i + AHEAD < feats.len() {
            ask(i + AHEAD);
        }
        let ids = feats.token(i);
        let r1 = &mut acc1[i * n1..(i + 1) * n1];
        #[cfg(target_arch = "x86_64")]
        if let Some(k) = blocks {
            // 255 rows of at most 128 in absolute value fit in 16 bits
            if ids.len() <= 255 {
                let (mut shared, mut mine) = ([0i16; 64], [0i16; 64]);
                // SAFETY: every bucket is at most `mask`, and the table has
                // `SLACK >= 16 * k` bytes after the last row (checked above).
                unsafe {
                    let base = q.table.as_ptr().add(q.offset);
                    let (st, sh, mi) = (q.stride, &mut shared, &mut mine);
                    if avx2 {
                        match k {
                            1 => row_sums_avx2::<1>(base, ids, mask, st, sh, mi),
                            2 => row_sums_avx2::<2>(base, ids, mask, st, sh, mi),
                            3 => row_sums_avx2::<3>(base, ids, mask, st, sh, mi),
                            _ => row_sums_avx2::<4>(base, ids, mask, st, sh, mi),
                        }
                    } else {
                        match k {
                            1 => row_sums::<1>(base, ids, mask, st, sh, mi),
                            2 => row_sums::<2>(base, ids, mask, st, sh, mi),
                            3 => row_sums::<3>(base, ids, mask, st, sh, mi),
                            _ => row_sums::<4>(base, ids, mask, st, sh, mi),
                        }
                    }
                }
                for (y, r) in r1.iter_mut().enumerate() {
                    *r += (shared[y] as i32 + if own { mine[y] as i32 } else { 0 }) as f32;
                }
                if let Some((_, n2, acc2)) = &mut second {
                    let r2 = &mut acc2[i * *n2..(i + 1) * *n2];
                    for (y, r) in r2.iter_mut().enumerate() {
                        *r += shared[n1 + y] as f32;
                    }
                }
                continue;
            }
        }
        for &h in ids {
            let b = (h & mask) as usize;
            if own || h & OWN == 0 {
                for (r, &w) in r1.iter_mut().zip(q.row(b, n1)) {
                    *r += w as f32;
                }
            }
            if h & OWN != 0 {
                continue;
            }
            if let Some((off2, n2, acc2)) = &mut second {
                let at = b * q.stride + *off2;
                let r2 = &mut acc2[i * *n2..(i + 1) * *n2];
                for (r, &w) in r2.iter_mut().zip(&q.table[at..at + *n2]) {
                    *r += w as f32;
                }
            }
        }
    }
}

/// [`row_sums`] with AVX2: sixteen bytes widened to 16 bits in one step.
///
/// # Safety
///
/// As [`row_sums`], and the processor must have AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[allow(clippy::needless_range_loop)] // blocks of the row and sums indexed together
unsafe fn row_sums_avx2<const K: usize>(
    base: *const i8,
    ids: &[u64],
    mask: u64,
    stride: usize,
    shared: &mut [i16; 64],
    mine: &mut [i16; 64],
) {
    use std::arch::x86_64::*;
    let z = _mm256_setzero_si256();
    let (mut s, mut o) = ([z; 4], [z; 4]);
    for &h in ids {
        let p = base.add((h & mask) as usize * stride);
        if h & OWN != 0 {
            for c in 0..K {
                let v = _mm256_cvtepi8_epi16(_mm_loadu_si128(p.add(16 * c) as *const __m128i));
                o[c] = _mm256_add_epi16(o[c], v);
            }
        } else {
            for c in 0..K {
                let v = _mm256_cvtepi8_epi16(_mm_loadu_si128(p.add(16 * c) as *const __m128i));
                s[c] = _mm256_add_epi16(s[c], v);
            }
        }
    }
    for c in 0..K {
        _mm256_storeu_si256(shared.as_mut_ptr().add(16 * c) as *mut __m256i, s[c]);
        _mm256_storeu_si256(mine.as_mut_ptr().add(16 * c) as *mut __m256i, o[c]);
    }
}

/// Sums the `16 * K` bytes from `base + bucket * stride` of each feature's
/// bucket as 16-bit integers: those of the features pushed with
/// [`Features::push_own`] into `mine`, the others into `shared`.
///
/// # Safety
///
/// `16 * K` bytes from `base + (h & mask) * stride` must be readable for
/// every feature `h`, and `ids` at most 255 features (no overflow).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn row_sums<const K: usize>(
    base: *const i8,
    ids: &[u64],
    mask: u64,
    stride: usize,
    shared: &mut [i16; 64],
    mine: &mut [i16; 64],
) {
    use std::arch::x86_64::*;
    let z = _mm_setzero_si128();
    let (mut s, mut o) = ([z; 8], [z; 8]);
    // sign-extends 16 bytes to 16 bits (each byte into the high half of a
    // lane, then an arithmetic shift down) and adds them to `acc`
    #[inline(always)]
    unsafe fn add(acc: &mut [__m128i; 8], c: usize, p: *const i8) {
        let v = _mm_loadu_si128(p.add(16 * c) as *const __m128i);
        let lo = _mm_srai_epi16(_mm_unpacklo_epi8(v, v), 8);
        let hi = _mm_srai_epi16(_mm_unpackhi_epi8(v, v), 8);
        acc[2 * c] = _mm_add_epi16(acc[2 * c], lo);
        acc[2 * c + 1] = _mm_add_epi16(acc[2 * c + 1], hi);
    }
    for &h in ids {
        let p = base.add((h & mask) as usize * stride);
        // (two branches, not a reference to either: the sums stay in registers)
        if h & OWN != 0 {
            for c in 0..K {
                add(&mut o, c, p);
            }
        } else {
            for c in 0..K {
                add(&mut s, c, p);
            }
        }
    }
    for c in 0..2 * K {
        _mm_storeu_si128(shared.as_mut_ptr().add(8 * c) as *mut __m128i, s[c]);
        _mm_storeu_si128(mine.as_mut_ptr().add(8 * c) as *mut __m128i, o[c]);
    }
}

/// `trans` (`(n + 1) × n`) with the transitions that `allowed` forbids at
/// -inf, each row padded with -inf to a multiple of 8 values.
fn masked_transitions(n: usize, trans: &[f32], allowed: &[bool]) -> Vec<f32> {
    let w = n.next_multiple_of(8);
    let mut out = vec![f32::NEG_INFINITY; (n + 1) * w];
    for (row, (t, a)) in out
        .chunks_exact_mut(w)
        .zip(trans.chunks_exact(n).zip(allowed.chunks_exact(n)))
    {
        for (o, (&t, &a)) in row.iter_mut().zip(t.iter().zip(a)) {
            if a {
                *o = t;
            }
        }
    }
    out
}

/// For each label, the labels that may precede it.
fn predecessors(n: usize, allowed: &[bool]) -> Vec<Vec<u8>> {
    (0..n)
        .map(|y| {
            (0..n)
                .filter(|&p| allowed[p * n + y])
                .map(|p| p as u8)
                .collect()
        })
        .collect()
}

/// Asks for the cache line of `table[at]`.
#[inline(always)]
fn prefetch_at(table: &[i8], at: usize) {
    #[cfg(target_arch = "x86_64")]
    {
        let p = table.as_ptr().wrapping_add(at);
        // SAFETY: a prefetch is only a hint: it never faults and reads
        // nothing into the program.
        unsafe {
            std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p);
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (table, at);
}

fn write_varint(buf: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        buf.push((v as u8) | 0x80);
        v >>= 7;
    }
    buf.push(v as u8);
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, k: usize) -> Result<&'a [u8], ModelError> {
        let s = self
            .b
            .get(self.i..self.i + k)
            .ok_or(ModelError::Corrupt("truncated"))?;
        self.i += k;
        Ok(s)
    }
    fn byte(&mut self) -> Result<u8, ModelError> {
        Ok(self.take(1)?[0])
    }
    fn f32(&mut self) -> Result<f32, ModelError> {
        let b = self.take(4)?;
        Ok(f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn varint(&mut self) -> Result<u64, ModelError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= ((b & 0x7f) as u64) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(ModelError::Corrupt("varint"))
    }
}

/// Appends stacked passes to a model file: each as a `u64` length and the
/// bytes of [`Model::write`]. Used by every model file built on the tagger.
pub fn write_passes<'a>(
    passes: impl IntoIterator<Item = &'a Model>,
    out: &mut Vec<u8>,
) -> Result<(), ModelError> {
    for m in passes {
        let mut b = Vec::new();
        m.write(&mut b)?;
        out.extend_from_slice(&(b.len() as u64).to_le_bytes());
        out.extend_from_slice(&b);
    }
    Ok(())
}

/// [`read_passes`] for a file of two stacked passes over the same feature
/// space (the same number of bits) where the second pass sees the first
/// pass's features too: their weights are kept in one table, each bucket's
/// rows side by side, so that [`Model::decode_carrying`] fetches both with
/// one look-up. Any other file is read as [`read_passes`] reads it.
pub fn read_passes_interleaved(b: &[u8]) -> Result<Vec<Model>, ModelError> {
    let bodies = pass_bodies(b)?;
    let parsed = bodies
        .iter()
        .map(|x| Parsed::new(x))
        .collect::<Result<Vec<_>, _>>()?;
    if parsed.len() != 2 || parsed[0].bits != parsed[1].bits {
        return parsed
            .into_iter()
            .map(|p| {
                let n = p.labels.len();
                let mut table = new_table(1usize << p.bits, n);
                p.fill(&mut table, n, 0)?;
                Ok(p.into_model(Arc::new(table), n, 0))
            })
            .collect();
    }
    let (n1, n2) = (parsed[0].labels.len(), parsed[1].labels.len());
    let stride = n1 + n2;
    let mut table = new_table(1usize << parsed[0].bits, stride);
    parsed[0].fill(&mut table, stride, 0)?;
    parsed[1].fill(&mut table, stride, n1)?;
    let table = Arc::new(table);
    let mut it = parsed.into_iter();
    let (p1, p2) = (it.next().unwrap(), it.next().unwrap());
    Ok(vec![
        p1.into_model(table.clone(), stride, 0),
        p2.into_model(table, stride, n1),
    ])
}

/// The bytes of each pass that [`write_passes`] wrote.
fn pass_bodies(b: &[u8]) -> Result<Vec<&[u8]>, ModelError> {
    let mut i = 0;
    let mut out = Vec::new();
    while i < b.len() {
        let len = b
            .get(i..i + 8)
            .and_then(|x| x.try_into().ok())
            .map(u64::from_le_bytes)
            .ok_or(ModelError::Corrupt("truncated pass length"))? as usize;
        i += 8;
        out.push(
            b.get(i..i.saturating_add(len))
                .ok_or(ModelError::Corrupt("truncated pass"))?,
        );
        i += len;
    }
    Ok(out)
}

/// Reads what [`write_passes`] wrote: every pass up to the end of `b`.
pub fn read_passes(b: &[u8]) -> Result<Vec<Model>, ModelError> {
    pass_bodies(b)?.into_iter().map(Model::from_bytes).collect()
}

/// Test hooks (nothing outside tests).
#[cfg(not(test))]
mod tests {
    /// Whether the SSE2 paths are to be used where AVX2 is there too.
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    #[inline(always)]
    pub(super) fn sse2_only() -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};

    static SSE2_ONLY: AtomicBool = AtomicBool::new(false);

    pub(super) fn sse2_only() -> bool {
        SSE2_ONLY.load(Ordering::Relaxed)
    }

    /// Emission scores of a quantised model, summed in blocks of 16-bit
    /// integers, against sums weight by weight; with the features of the
    /// pass's own and a token of more features than the blocks take.
    #[test]
    fn quantised_sums_match_weight_by_weight() {
        let mut rng = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            rng ^= rng >> 12;
            rng ^= rng << 25;
            rng ^= rng >> 27;
            rng.wrapping_mul(0x2545_f491_4f6c_dd1d)
        };
        // (both ways give the same sums, so tests running meanwhile are unaffected)
        for (sse2, (n1, n2)) in [false, true]
            .into_iter()
            .flat_map(|b| [(1usize, 3usize), (10, 10), (17, 17), (5, 40)].map(|x| (b, x)))
        {
            SSE2_ONLY.store(sse2, Ordering::Relaxed);
            let bits = 8;
            let model = |n: usize, next: &mut dyn FnMut() -> u64| {
                let mut m = Model::new(vec!["x".into(); n], bits, vec![true; (n + 1) * n]);
                for w in &mut m.weights {
                    // mostly empty buckets, like a trained model
                    *w = if next() % 3 < 1 {
                        (next() % 255) as f32 - 127.0
                    } else {
                        0.0
                    };
                }
                m
            };
            let (a, b) = (model(n1, &mut next), model(n2, &mut next));
            let mut bytes = Vec::new();
            write_passes([&a, &b], &mut bytes).unwrap();
            let inter = read_passes_interleaved(&bytes).unwrap();
            let plain = read_passes(&bytes).unwrap();
            let mut f = Features::default();
            for t in 0..6 {
                f.next_token();
                for k in 0..if t == 3 { 600 } else { 30 } {
                    if k % 7 == 3 {
                        f.push_own(next());
                    } else {
                        f.push(next());
                    }
                }
            }
            // weight by weight, in feature order
            let reference = |m: &Model, shared: bool| -> Vec<f32> {
                let (n, q) = (m.n_labels(), m.quant.as_ref().unwrap());
                let mut out = vec![0f32; f.len() * n];
                for i in 0..f.len() {
                    for &h in f.token(i) {
                        if shared && h & OWN != 0 {
                            continue;
                        }
                        for (r, &w) in out[i * n..]
                            .iter_mut()
                            .zip(q.row((h & m.mask()) as usize, n))
                        {
                            *r += w as f32;
                        }
                    }
                }
                out
            };
            for ms in [&inter, &plain] {
                let mut e = vec![0f32; f.len() * n1];
                let mut c = vec![0f32; f.len() * n2];
                ms[0].accumulate(&f, false, &mut e, Some((&ms[1], &mut c)));
                assert_eq!(e, reference(&ms[0], false), "{n1} {n2}");
                assert_eq!(c, reference(&ms[1], true), "{n1} {n2}");
                let mut e2 = vec![0f32; f.len() * n2];
                ms[1].accumulate(&f, true, &mut e2, None);
                assert_eq!(e2, c);
            }
        }
        SSE2_ONLY.store(false, Ordering::Relaxed);
    }

    /// The four-at-a-time Viterbi finds the plain one's labels, ties included.
    #[test]
    fn viterbi_x4_matches_plain() {
        let mut rng = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |k: u64| {
            rng ^= rng >> 12;
            rng ^= rng << 25;
            rng ^= rng >> 27;
            rng.wrapping_mul(0x2545_f491_4f6c_dd1d) % k
        };
        for (sse2, n) in [false, true]
            .into_iter()
            .flat_map(|b| [1usize, 2, 3, 5, 8, 9, 10, 16, 17, 20, 24].map(|n| (b, n)))
        {
            SSE2_ONLY.store(sse2, Ordering::Relaxed);
            // some forbidden transitions, small integer scores: many ties
            let allowed: Vec<bool> = (0..(n + 1) * n).map(|k| k % 3 != 1 || k % n == 0).collect();
            let mut m = Model::new((0..n).map(|k| k.to_string()).collect(), 4, allowed);
            m.trans = (0..(n + 1) * n).map(|_| next(5) as f32 - 2.0).collect();
            m.masked = masked_transitions(n, &m.trans, &m.allowed);
            let mut s = Scratch::default();
            for len in [0usize, 1, 2, 7, 40] {
                let emit: Vec<f32> = (0..len * n).map(|_| next(7) as f32 - 3.0).collect();
                let (mut a, mut b) = (Vec::new(), Vec::new());
                m.viterbi(&emit, len, &mut s, &mut a);
                m.viterbi_plain(&emit, len, &mut s, &mut b);
                assert_eq!(a, b, "n = {n}, len = {len}");
            }
        }
        SSE2_ONLY.store(false, Ordering::Relaxed);
    }
}
