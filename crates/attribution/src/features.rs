//! Token features for the source/cue/content tagger.
//!
//! Word identities are hashed once per token ([`TokenInfo`]); every other
//! feature is a cheap combination of those hashes with a template number,
//! so feature extraction allocates nothing per token.

use crate::labels::role_of;
use crate::lexicon::is_personal_pronoun;
use crate::model::Lexicon;
use onrecord_chunks::{ChunkScratch, Chunker};
use onrecord_clusters::Clusters;
use onrecord_core::Role;
use onrecord_tagger::{fx, hash_bytes, hash_lower, mix, Features};
use onrecord_text::{TextLayer, TokenKind};
use std::sync::OnceLock;

/// Per-token facts computed once per document.
#[derive(Debug, Default, Clone)]
pub struct TokenInfo {
    /// Hash of the lower-cased word.
    pub word: Vec<u64>,
    /// Cue class from the learned lexicon (0: not a cue word).
    pub cue: Vec<u8>,
    /// Class of the two-word cue that this token completes (0: none).
    pub cue2: Vec<u8>,
    /// Shape class: 0 lower, 1 Title, 2 UPPER, 3 number, 4 punct, 5 quote, 6 other.
    pub shape: Vec<u8>,
    pub pronoun: Vec<bool>,
    /// Phrase chunk label of each token (`onrecord_chunks::labels`).
    pub chunk: Vec<u8>,
    chunk_scratch: ChunkScratch,
    /// Word cluster of each token: coarse in the low 16 bits, fine above
    /// (`u16::MAX`: unknown word).
    pub cluster: Vec<u32>,
}

/// The id of the chunk and cluster models compiled into the binary: a
/// tagger trained on features made with other ones would read its features
/// wrongly, so the model file records the id it was trained with.
pub fn feature_models_id() -> u64 {
    fx(
        hash_bytes(0, onrecord_chunks::EMBEDDED_MODEL),
        hash_bytes(1, onrecord_clusters::EMBEDDED),
    )
}

/// The word clusters compiled into the binary, loaded once. Without them (a
/// corrupt build) no cluster features are made.
fn clusters() -> &'static Clusters {
    static CLUSTERS: OnceLock<Clusters> = OnceLock::new();
    CLUSTERS.get_or_init(|| Clusters::embedded().unwrap_or_default())
}

/// The chunk tagger compiled into the binary, loaded once. Without it (a
/// corrupt build) every token is outside any chunk.
fn chunker() -> Option<&'static Chunker> {
    static CHUNKER: OnceLock<Option<Chunker>> = OnceLock::new();
    CHUNKER.get_or_init(|| Chunker::embedded().ok()).as_ref()
}

impl TokenInfo {
    pub fn compute(&mut self, text: &str, layer: &TextLayer, lexicon: &Lexicon) {
        self.word.clear();
        self.cue.clear();
        self.cue2.clear();
        self.shape.clear();
        self.pronoun.clear();
        let mut lower = String::new();
        for t in &layer.tokens {
            let s = t.text(text);
            let wh = hash_lower(0, s.as_bytes());
            self.word.push(wh);
            self.cue.push(lexicon.class(wh));
            self.cue2.push(match self.word.len() {
                0 | 1 => 0,
                k => lexicon.class(Lexicon::bigram_key(self.word[k - 2], wh)),
            });
            lower.clear();
            if s.len() <= 4 {
                lower.extend(s.chars().map(|c| c.to_ascii_lowercase()));
            }
            self.pronoun.push(is_personal_pronoun(&lower));
            let first = s.chars().next().unwrap_or(' ');
            let shape = match t.kind {
                TokenKind::OpenQuote | TokenKind::CloseQuote | TokenKind::StrayQuote => 5,
                TokenKind::Number => 3,
                TokenKind::Punct => 4,
                TokenKind::Link => 6,
                TokenKind::Word => {
                    if first.is_uppercase() {
                        if s.len() > 1 && s.chars().all(|c| !c.is_lowercase()) {
                            2
                        } else {
                            1
                        }
                    } else {
                        0
                    }
                }
            };
            self.shape.push(shape);
        }
        let cl = clusters();
        self.cluster.clear();
        self.cluster.extend(self.word.iter().map(|&h| {
            let c = cl.get(h);
            c.coarse as u32 | (c.fine as u32) << 16
        }));
        match chunker() {
            Some(c) => c.tag_layer(text, layer, &mut self.chunk_scratch, &mut self.chunk),
            None => {
                self.chunk.clear();
                self.chunk
                    .resize(layer.tokens.len(), onrecord_chunks::labels::O);
            }
        }
    }
}

// Feature templates.
const BIAS: u64 = 1;
const W: u64 = 2;
const WM1: u64 = 3;
const WP1: u64 = 4;
const WM2: u64 = 5;
const WP2: u64 = 6;
const BI_M1: u64 = 7;
const BI_P1: u64 = 8;
const SUF3: u64 = 9;
const PRE3: u64 = 10;
const SHAPE: u64 = 11;
const SHAPE_CTX: u64 = 12;
const CUE: u64 = 13;
const CUE_L: u64 = 14;
const CUE_R: u64 = 15;
const QUOTE: u64 = 16;
const QUOTE_W: u64 = 17;
const QPOS: u64 = 18;
const SENT_POS: u64 = 19;
const QUOTE_CUE: u64 = 20;
const PRON: u64 = 21;
const CUE_DIR: u64 = 22;
const PARA_Q: u64 = 23;
const SENT_Q: u64 = 24;
const WORD_CASE: u64 = 25;
const CUE_W: u64 = 26;
const QUOTE_NEAR: u64 = 27;
const SUF2: u64 = 28;
const CUE_SENT: u64 = 29;
const PREV_SENT_CUE: u64 = 30;
// clause-boundary templates
const SENT_END: u64 = 32;
const LEFT_CUE_W: u64 = 33;
const CLAUSE: u64 = 34;
const NEXT_BREAK: u64 = 35;
const CUE2: u64 = 36;
// phrase chunk templates
const CH: u64 = 37;
const CH_CTX: u64 = 38;
const CH_CUE: u64 = 39;
const CH_AFTER_CUE: u64 = 52;
const CH_CUEW: u64 = 53;
const CL_C: u64 = 54;
const CL_F: u64 = 55;
const CL_CTX: u64 = 56;
const CL_CUE: u64 = 57;
const CL_FN: u64 = 58;

// stacked (pass 2) templates
const INVERSION: u64 = 31;
const S_LAB: u64 = 40;
const S_LAB_CTX: u64 = 41;
const S_SENT: u64 = 42;
const S_CUE_POS: u64 = 43;
const S_SRC_POS: u64 = 44;
const S_NEIGH: u64 = 45;
const S_LAB_W: u64 = 46;
const S_LAB_Q: u64 = 47;
const S_CUEW_POS: u64 = 48;
const S_W_CUEPOS: u64 = 49;
const S_RUN: u64 = 50;
const S_RUN_EDGE: u64 = 51;

#[inline]
fn f(t: u64, v: u64) -> u64 {
    mix(fx(fx(0x9e37, t), v))
}

#[inline]
fn bucket(d: usize) -> u64 {
    match d {
        0 => 0,
        1 => 1,
        2 => 2,
        3..=4 => 3,
        5..=8 => 4,
        9..=16 => 5,
        17..=32 => 6,
        _ => 7,
    }
}

const NONE: u64 = 0xdead;

/// Summary of pass-1 labels over one sentence.
#[derive(Clone, Copy, Default)]
struct SentLabels {
    cue: bool,
    source: bool,
    content_share: u64,
    first_cue: Option<usize>,
    last_cue: Option<usize>,
    first_src: Option<usize>,
}

fn sent_labels(labels: &[u8], range: std::ops::Range<usize>) -> SentLabels {
    let mut s = SentLabels::default();
    let (mut content, len) = (0usize, range.len().max(1));
    for i in range {
        match role_of(labels[i]) {
            Some(Role::Cue) => {
                s.cue = true;
                s.first_cue.get_or_insert(i);
                s.last_cue = Some(i);
            }
            Some(Role::Source) => {
                s.source = true;
                s.first_src.get_or_insert(i);
            }
            Some(Role::Content) => content += 1,
            None => {}
        }
    }
    s.content_share = (content * 4 / len) as u64;
    s
}

fn rel(i: usize, at: Option<usize>) -> u64 {
    match at {
        None => 15,
        Some(c) if c > i => bucket(c - i),
        Some(c) => 8 + bucket(i - c),
    }
}

/// Per token of the sentence `range`, for the first pass's features:
/// `dists`: the distance to the nearest cue word to the left and to the
/// right (`usize::MAX`: none); `clause`: the word of the nearest cue word to
/// the left, the commas since it (at most 3), and the distance to the next
/// comma or clause break.
#[allow(clippy::needless_range_loop)] // tokens and info are indexed together
fn first_pass_context(
    text: &str,
    layer: &TextLayer,
    info: &TokenInfo,
    range: std::ops::Range<usize>,
    dists: &mut Vec<(usize, usize)>,
    clause: &mut Vec<(u64, u64, usize)>,
) {
    let toks = &layer.tokens;
    let (sa, sb) = (range.start, range.end);
    let mut last_cue: Option<usize> = None;
    for i in sa..sb {
        dists.push((last_cue.map_or(usize::MAX, |c| i - c), usize::MAX));
        if info.cue[i] != 0 {
            last_cue = Some(i);
        }
    }
    let (mut lc_word, mut commas) = (NONE, 0u64);
    for i in sa..sb {
        clause.push((lc_word, commas.min(3), usize::MAX));
        if info.cue[i] != 0 {
            lc_word = info.word[i];
            commas = 0;
        } else if matches!(toks[i].text(text), "," | ";" | ":" | "—" | "--" | "(") {
            commas += 1;
        }
    }
    let mut next_break: Option<usize> = None;
    for i in (sa..sb).rev() {
        clause[i - sa].2 = next_break.map_or(usize::MAX, |c| c - i);
        if matches!(toks[i].text(text), "," | ";" | ":" | "—" | "--" | "(" | ")")
            || toks[i].kind == onrecord_text::TokenKind::CloseQuote
        {
            next_break = Some(i);
        }
    }
    let mut next_cue: Option<usize> = None;
    for i in (sa..sb).rev() {
        dists[i - sa].1 = next_cue.map_or(usize::MAX, |c| c - i);
        if info.cue[i] != 0 {
            next_cue = Some(i);
        }
    }
}

/// Appends the features of paragraph `p`'s tokens to `out` (one
/// `next_token` per token). With `stacked` (pass-1 labels of the whole
/// document), also the features of the second pass.
pub fn paragraph_features(
    text: &str,
    layer: &TextLayer,
    info: &TokenInfo,
    p: usize,
    stacked: Option<&[u8]>,
    out: &mut Features,
) {
    features_of(text, layer, info, p, stacked, true, out)
}

/// The second pass's own features of paragraph `p` (`labels`: pass-1
/// labels of the whole document): for each token, what
/// [`paragraph_features`] with `stacked` appends after the features of
/// the first pass. The second pass adds them to the sums of the shared
/// features that the first pass carried over (see
/// [`onrecord_tagger::Model::decode_carrying`]).
pub fn stacked_features(
    text: &str,
    layer: &TextLayer,
    info: &TokenInfo,
    p: usize,
    labels: &[u8],
    out: &mut Features,
) {
    features_of(text, layer, info, p, Some(labels), false, out)
}

/// The features of paragraph `p`: those of the first pass when `first`,
/// then those of the second pass when `stacked`.
#[allow(clippy::needless_range_loop)] // tokens, labels and info are indexed together
fn features_of(
    text: &str,
    layer: &TextLayer,
    info: &TokenInfo,
    p: usize,
    stacked: Option<&[u8]>,
    first: bool,
    out: &mut Features,
) {
    let para = &layer.paragraphs[p];
    let (a, b) = (para.tokens.start as usize, para.tokens.end as usize);
    let toks = &layer.tokens;
    let word = |i: isize| -> u64 {
        if i < a as isize || i >= b as isize {
            NONE
        } else {
            info.word[i as usize]
        }
    };
    let para_starts_quoted = toks[a].quote_depth > 0;
    let with_clusters = !clusters().is_empty();
    let mut dists: Vec<(usize, usize)> = Vec::with_capacity(64);
    // per token: (word of the nearest cue word to the left, commas since it,
    // distance to the next comma / clause break)
    let mut clause: Vec<(u64, u64, usize)> = Vec::with_capacity(64);
    let mut s_ctx: Vec<(u64, u64, u64, u64)> = Vec::with_capacity(64);
    // per token: (chunk after the nearest left cue, chunks begun since it)
    let mut chunk_ctx: Vec<(u64, u64)> = Vec::with_capacity(64);
    for si in para.sentences.clone() {
        let s = &layer.sentences[si as usize];
        let (sa, sb) = (s.tokens.start as usize, s.tokens.end as usize);
        // nearest cue word to the left / right within the sentence
        let cue_in_sentence = first && (sa..sb).any(|k| info.cue[k] == 1 || info.cue[k] == 2);
        let sentence_quoted =
            first && (sa..sb).filter(|&k| toks[k].quote_depth > 0).count() * 2 > (sb - sa);
        let prev_sentence_cue = first && si > para.sentences.start && {
            let ps = &layer.sentences[si as usize - 1];
            (ps.tokens.start as usize..ps.tokens.end as usize).any(|k| info.cue[k] == 1)
        };
        let lab = |k: isize| -> u64 {
            match stacked {
                Some(l) if k >= a as isize && k < b as isize => l[k as usize] as u64,
                Some(_) => 15,
                None => 0,
            }
        };
        let (cur, prev_s, next_s) = match stacked {
            Some(l) => {
                let prev = if si > para.sentences.start {
                    let r = &layer.sentences[si as usize - 1].tokens;
                    sent_labels(l, r.start as usize..r.end as usize)
                } else {
                    SentLabels::default()
                };
                let next = if si + 1 < para.sentences.end {
                    let r = &layer.sentences[si as usize + 1].tokens;
                    sent_labels(l, r.start as usize..r.end as usize)
                } else {
                    SentLabels::default()
                };
                (sent_labels(l, sa..sb), prev, next)
            }
            None => Default::default(),
        };
        // "CONTENT, Kremlin aide Yuri Ushakov said": the last comma that a cue
        // word follows within six tokens
        let inversion_comma = (sa..sb).rev().filter(|_| first).find(|&c| {
            toks[c].text(text) == "," && (c + 1..(c + 7).min(sb)).any(|k| info.cue[k] >= 2)
        });
        dists.clear();
        clause.clear();
        chunk_ctx.clear();
        if first {
            first_pass_context(text, layer, info, sa..sb, &mut dists, &mut clause);
            // per token: the label of the chunk that follows the nearest
            // cue word to the left, and how many chunks have begun since
            let (mut after, mut starts, mut seen_cue, mut want) = (15u64, 0u64, false, false);
            for i in sa..sb {
                let l = info.chunk[i];
                let begins = matches!(onrecord_chunks::labels::kind(l), Some((_, true)));
                if want && (begins || l == onrecord_chunks::labels::O) {
                    after = l as u64;
                    want = false;
                }
                if seen_cue && begins {
                    starts += 1;
                }
                chunk_ctx.push((after, if seen_cue { starts.min(5) } else { 7 }));
                if info.cue[i] != 0 {
                    seen_cue = true;
                    want = true;
                    starts = 0;
                    after = 14;
                }
            }
        }
        // pass 1: the nearest predicted cue token to the left (its word and
        // distance), and the run of equal roles each token is in
        s_ctx.clear();
        if let Some(l) = stacked {
            let mut lc: Option<usize> = None;
            for i in sa..sb {
                s_ctx.push((
                    lc.map_or(NONE, |c| info.word[c]),
                    lc.map_or(15, |c| bucket(i - c)),
                    0,
                    0,
                ));
                if role_of(l[i]) == Some(Role::Cue) {
                    lc = Some(i);
                }
            }
            let mut i = sa;
            while i < sb {
                let r = role_of(l[i]);
                let mut j = i + 1;
                while j < sb && role_of(l[j]) == r {
                    j += 1;
                }
                for k in i..j {
                    let e = &mut s_ctx[k - sa];
                    e.2 = bucket(j - i);
                    e.3 = (k == i) as u64 | ((k + 1 == j) as u64) << 1;
                }
                i = j;
            }
        }
        for i in sa..sb {
            let t = toks[i];
            let ii = i as isize;
            let w0 = info.word[i];
            let q = t.quote_depth.min(2) as u64;
            // position relative to the enclosing quotation
            let qpos = if t.quote_depth > 0 {
                let qq = &layer.quotations[t.quote as usize];
                let at_start = i as u32 == qq.tokens.start;
                let at_end = i as u32 + 1 == qq.tokens.end;
                1 + at_start as u64
                    + 2 * at_end as u64
                    + 4 * qq.closed as u64
                    + 8 * (qq.paragraphs > 1) as u64
            } else {
                0
            };
            out.next_token();
            if first {
                let (dl, dr) = dists[i - sa];
                out.push(f(BIAS, 0));
                out.push(f(W, w0));
                out.push(f(WORD_CASE, hash_bytes(1, t.text(text).as_bytes())));
                out.push(f(WM1, word(ii - 1)));
                out.push(f(WP1, word(ii + 1)));
                out.push(f(WM2, word(ii - 2)));
                out.push(f(WP2, word(ii + 2)));
                out.push(f(BI_M1, fx(word(ii - 1), w0)));
                out.push(f(BI_P1, fx(w0, word(ii + 1))));
                let s_bytes = t.text(text).as_bytes();
                if s_bytes.len() > 3 {
                    out.push(f(SUF3, hash_lower(3, &s_bytes[s_bytes.len() - 3..])));
                    out.push(f(PRE3, hash_lower(4, &s_bytes[..3])));
                    out.push(f(SUF2, hash_lower(5, &s_bytes[s_bytes.len() - 2..])));
                }
                let sh = info.shape[i] as u64;
                let shp = if i > a { info.shape[i - 1] as u64 } else { 9 };
                let shn = if i + 1 < b {
                    info.shape[i + 1] as u64
                } else {
                    9
                };
                out.push(f(SHAPE, sh));
                out.push(f(SHAPE_CTX, sh | shp << 4 | shn << 8));
                out.push(f(CUE, info.cue[i] as u64));
                if info.cue[i] != 0 {
                    out.push(f(CUE_W, fx(w0, q)));
                }
                let (bl, br) = (
                    if dl == usize::MAX { 15 } else { bucket(dl) },
                    if dr == usize::MAX { 15 } else { bucket(dr) },
                );
                out.push(f(CUE_L, bl | q << 4));
                out.push(f(CUE_R, br | q << 4));
                out.push(f(CUE_DIR, bl | br << 4 | sh << 8));
                out.push(f(
                    CUE_SENT,
                    cue_in_sentence as u64 | q << 1 | (sentence_quoted as u64) << 3,
                ));
                out.push(f(QUOTE, q | (t.kind as u64) << 4));
                out.push(f(QUOTE_W, fx(w0, q)));
                out.push(f(QPOS, qpos));
                // just outside a quotation: a cue often follows or precedes
                let near = {
                    let prev_close =
                        i > a && toks[i - 1].kind == onrecord_text::TokenKind::CloseQuote;
                    let next_open =
                        i + 1 < b && toks[i + 1].kind == onrecord_text::TokenKind::OpenQuote;
                    let prev2_close =
                        i > a + 1 && toks[i - 2].kind == onrecord_text::TokenKind::CloseQuote;
                    prev_close as u64 | (next_open as u64) << 1 | (prev2_close as u64) << 2 | q << 3
                };
                out.push(f(QUOTE_NEAR, near));
                out.push(f(QUOTE_CUE, fx(near, info.cue[i] as u64)));
                let spos = if i == sa {
                    0
                } else if i + 1 == sb {
                    1
                } else if i == sa + 1 {
                    2
                } else {
                    3
                };
                out.push(f(SENT_POS, spos | (sh << 4)));
                if info.pronoun[i] {
                    out.push(f(PRON, fx(w0, bl | br << 4)));
                }
                out.push(f(
                    PARA_Q,
                    para_starts_quoted as u64 | ((si == para.sentences.start) as u64) << 1 | q << 2,
                ));
                out.push(f(
                    SENT_Q,
                    sentence_quoted as u64
                        | (cue_in_sentence as u64) << 1
                        | q << 2
                        | (spos.min(2)) << 4,
                ));
                let inv = match inversion_comma {
                    Some(c) if i < c => 1 + (i == sa) as u64,
                    Some(c) if i == c => 3,
                    Some(_) => 4,
                    None => 0,
                };
                out.push(f(
                    INVERSION,
                    inv | q << 3 | (para_starts_quoted as u64) << 5,
                ));
                out.push(f(
                    PREV_SENT_CUE,
                    prev_sentence_cue as u64 | (cue_in_sentence as u64) << 1 | q << 2,
                ));
                {
                    let (lcw, ncomma, nb) = clause[i - sa];
                    let to_end = bucket(sb - 1 - i);
                    let nbk = if nb == usize::MAX { 15 } else { bucket(nb) };
                    out.push(f(SENT_END, to_end | q << 4 | sh << 6));
                    let c2_in = if i > a { info.cue2[i] as u64 } else { 0 };
                    let c2_out = if i + 1 < b {
                        info.cue2[i + 1] as u64
                    } else {
                        0
                    };
                    if c2_in | c2_out != 0 {
                        out.push(f(
                            CUE2,
                            c2_in | c2_out << 2 | (info.cue[i] as u64) << 4 | q << 6,
                        ));
                    }
                    out.push(f(LEFT_CUE_W, fx(lcw, bl)));
                    let ch = info.chunk[i] as u64;
                    let chp = if i > a { info.chunk[i - 1] as u64 } else { 15 };
                    let chn = if i + 1 < b {
                        info.chunk[i + 1] as u64
                    } else {
                        15
                    };
                    out.push(f(CH, ch | q << 4));
                    out.push(f(CH_CTX, chp | ch << 4 | chn << 8));
                    out.push(f(CH_CUE, ch | bl << 4 | br << 8));
                    let (after_kind, starts) = chunk_ctx[i - sa];
                    out.push(f(
                        CH_AFTER_CUE,
                        after_kind | starts << 4 | ch << 8 | q << 12,
                    ));
                    if with_clusters {
                        let c = |k: usize| info.cluster[k] as u64;
                        let cc = c(i) & 0xffff;
                        let cf = c(i) >> 16;
                        let cp = if i > a { c(i - 1) & 0xffff } else { 0xfffe };
                        let cn = if i + 1 < b { c(i + 1) & 0xffff } else { 0xfffe };
                        out.push(f(CL_C, cc | q << 16));
                        out.push(f(CL_F, cf));
                        out.push(f(CL_CTX, cp | cc << 16 | cn << 32));
                        out.push(f(CL_CUE, cc | bl << 16 | br << 20 | ch << 24));
                        let cfn = if i + 1 < b { c(i + 1) >> 16 } else { 0xfffe };
                        out.push(f(CL_FN, cf | cfn << 16));
                        if dl != usize::MAX {
                            out.push(f(CL_CUE + 100, (c(i - dl) >> 16) | bl << 16 | q << 20));
                        }
                        if dr != usize::MAX {
                            out.push(f(CL_CUE + 101, (c(i + dr) >> 16) | br << 16 | q << 20));
                        }
                    }
                    if info.cue[i] != 0 {
                        out.push(f(CH_CUEW, fx(w0, chp | ch << 4 | chn << 8)));
                    }
                    out.push(f(CLAUSE, ncomma | bl << 2 | q << 6 | to_end.min(3) << 8));
                    out.push(f(NEXT_BREAK, nbk | to_end << 4 | ncomma << 8 | q << 10));
                }
            }
            if stacked.is_some() {
                let l0 = lab(ii);
                out.push(f(S_LAB, l0));
                out.push(f(S_LAB_CTX, lab(ii - 1) | lab(ii + 1) << 4 | l0 << 8));
                out.push(f(
                    S_LAB_CTX + 100,
                    lab(ii - 2)
                        | lab(ii - 1) << 4
                        | l0 << 8
                        | lab(ii + 1) << 12
                        | lab(ii + 2) << 16,
                ));
                out.push(f(
                    S_SENT,
                    cur.cue as u64 | (cur.source as u64) << 1 | cur.content_share << 2 | q << 5,
                ));
                out.push(f(
                    S_CUE_POS,
                    rel(i, cur.first_cue) | rel(i, cur.last_cue) << 4 | q << 8,
                ));
                out.push(f(S_SRC_POS, rel(i, cur.first_src) | (cur.cue as u64) << 4));
                out.push(f(
                    S_NEIGH,
                    prev_s.cue as u64
                        | prev_s.content_share << 1
                        | (next_s.cue as u64) << 4
                        | next_s.content_share << 5
                        | (cur.cue as u64) << 8
                        | q << 9,
                ));
                out.push(f(S_LAB_W, fx(w0, l0)));
                out.push(f(S_LAB_Q, l0 | q << 4 | qpos << 6));
                let (scw, scd, run, edge) = s_ctx[i - sa];
                let role = role_of(l0 as u8).map_or(0, |r| r as u64 + 1);
                out.push(f(S_CUEW_POS, fx(scw, scd | role << 4)));
                out.push(f(S_W_CUEPOS, fx(w0, scd | rel(i, cur.first_cue) << 4)));
                out.push(f(S_RUN, role | run << 2 | edge << 5 | q << 7));
                if edge & 2 != 0 {
                    out.push(f(
                        S_RUN_EDGE,
                        fx(word(ii + 1), role | (info.shape[i] as u64) << 2),
                    ));
                    if i + 1 < b {
                        out.push(f(
                            S_RUN_EDGE + 103,
                            fx(
                                info.cluster[i + 1] as u64 & 0xffff,
                                role | (info.shape[i] as u64) << 2,
                            ),
                        ));
                    }
                }
                if edge & 1 != 0 {
                    out.push(f(S_RUN_EDGE + 100, fx(word(ii - 1), role)));
                    if i > a {
                        out.push(f(
                            S_RUN_EDGE + 102,
                            fx(info.cluster[i - 1] as u64 & 0xffff, role),
                        ));
                    }
                }
            }
        }
    }
}
