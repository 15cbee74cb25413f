//! The trained model: weights, transitions, Viterbi decoding, file format.

use crate::table::Table;
use crate::Features;
use std::io::{Read, Write};

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("model file: {0}")]
    Io(#[from] std::io::Error),
    #[error("model file is not an OnRecord tagger model (bad magic)")]
    Magic,
    #[error("model file is corrupt: {0}")]
    Corrupt(&'static str),
}

/// A first-order sequence model over `labels`.
#[derive(Debug, Clone)]
pub struct Model {
    pub labels: Vec<String>,
    pub(crate) bits: u32,
    /// `weights[bucket * n + label]`; empty in a model read from a file,
    /// which keeps its quantised weights instead (`quant`).
    pub(crate) weights: Vec<f32>,
    /// A model read from a file: the `i8` weights as stored (same layout as
    /// `weights`) and their scale. A quarter of the memory of `f32`
    /// weights, so loading is quicker and decoding has fewer cache misses.
    pub(crate) quant: Option<(Table, f32)>,
    /// For each label, the labels allowed before it (from `allowed`).
    preds: Vec<Vec<u8>>,
    /// `trans[prev * n + label]`; row `n` is the start state.
    pub(crate) trans: Vec<f32>,
    /// `allowed[prev * n + label]` (row `n`: start): hard constraints such as BIO.
    pub(crate) allowed: Vec<bool>,
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
        let n = self.n_labels();
        let mask = self.mask();
        out.clear();
        out.resize(feats.len() * n, 0.0);
        if let Some((q, scale)) = &self.quant {
            // The table is larger than the caches and each feature is a
            // random row: ask for the rows of a token two ahead while
            // summing this one, so that the misses overlap.
            const AHEAD: usize = 2;
            for i in 0..feats.len().min(AHEAD) {
                prefetch(q, feats.token(i), mask, n);
            }
            // sums of small integers are exact in f32; scaled once per score
            for i in 0..feats.len() {
                if i + AHEAD < feats.len() {
                    prefetch(q, feats.token(i + AHEAD), mask, n);
                }
                let row = &mut out[i * n..(i + 1) * n];
                for &h in feats.token(i) {
                    let b = (h & mask) as usize * n;
                    for (r, &w) in row.iter_mut().zip(&q[b..b + n]) {
                        *r += w as f32;
                    }
                }
                row.iter_mut().for_each(|r| *r *= *scale);
            }
            return;
        }
        for i in 0..feats.len() {
            let row = &mut out[i * n..(i + 1) * n];
            for &h in feats.token(i) {
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
        let mut emit = std::mem::take(&mut scratch.emit);
        self.emissions(feats, &mut emit);
        if !bias.is_empty() {
            let n = self.n_labels();
            for row in emit.chunks_exact_mut(n) {
                for (e, b) in row.iter_mut().zip(bias) {
                    *e += *b;
                }
            }
        }
        self.viterbi(&emit, feats.len(), scratch, out);
        margins.clear();
        let n = self.n_labels();
        for (i, &y) in out.iter().enumerate() {
            let row = &emit[i * n..(i + 1) * n];
            let best = row[y as usize];
            let second = row
                .iter()
                .enumerate()
                .filter(|&(k, _)| k != y as usize)
                .map(|(_, &v)| v)
                .fold(f32::NEG_INFINITY, f32::max);
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

    /// Zeroes the buckets whose weights all quantise (see [`Model::write`])
    /// to at most `min_q` in absolute value, so that they are not stored:
    /// a smaller file for a small loss. Returns the number of buckets
    /// that remain non-zero. `min_q = 0` keeps every bucket `write` keeps.
    pub fn prune(&mut self, min_q: u8) -> usize {
        let n = self.n_labels();
        if let Some((q, _)) = &mut self.quant {
            let mut kept = 0;
            for row in q.chunks_exact_mut(n) {
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
            Some((_, scale)) => *scale,
            None if maxabs > 0.0 => maxabs / 127.0,
            None => 1.0,
        };
        w.write_all(&scale.to_le_bytes())?;
        let mut prev = 0u64;
        let mut buf = Vec::new();
        let mut count = 0u32;
        let mut q = vec![0i8; n];
        let rows = (1usize << self.bits).min(match &self.quant {
            Some((qw, _)) => qw.len() / n,
            None => self.weights.len() / n,
        });
        for b in 0..rows {
            let mut any = false;
            match &self.quant {
                Some((qw, _)) => {
                    q.copy_from_slice(&qw[b * n..(b + 1) * n]);
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
        let mut weights = Table::zeroed((1usize << bits) * n);
        let mut b = 0u64;
        for _ in 0..count {
            b += c.varint()?;
            let row = c.take(n)?;
            let at = b as usize * n;
            if at + n > weights.len() {
                return Err(ModelError::Corrupt("bucket out of range"));
            }
            for (k, &v) in row.iter().enumerate() {
                weights[at + k] = v as i8;
            }
        }
        Ok(Model {
            labels,
            bits,
            weights: Vec::new(),
            quant: Some((weights, scale)),
            preds: predecessors(n, &allowed),
            trans,
            allowed,
        })
    }
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

#[inline]
fn prefetch(table: &[i8], hashes: &[u64], mask: u64, n: usize) {
    #[cfg(target_arch = "x86_64")]
    for &h in hashes {
        let at = (h & mask) as usize * n;
        let p = table.as_ptr().wrapping_add(at);
        // SAFETY: a prefetch is only a hint: it never faults and reads
        // nothing into the program (`at` is inside the table anyway).
        unsafe {
            std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p);
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (table, hashes, mask, n);
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

/// Reads what [`write_passes`] wrote: every pass up to the end of `b`.
pub fn read_passes(b: &[u8]) -> Result<Vec<Model>, ModelError> {
    let mut i = 0;
    let mut passes = Vec::new();
    while i < b.len() {
        let len = b
            .get(i..i + 8)
            .and_then(|x| x.try_into().ok())
            .map(u64::from_le_bytes)
            .ok_or(ModelError::Corrupt("truncated pass length"))? as usize;
        i += 8;
        let body = b
            .get(i..i.saturating_add(len))
            .ok_or(ModelError::Corrupt("truncated pass"))?;
        passes.push(Model::from_bytes(body)?);
        i += len;
    }
    Ok(passes)
}
