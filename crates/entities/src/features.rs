//! Token features for the entity tagger.
//!
//! [`DocInfo::compute`] normalises every word of a document once (digits to
//! `0`, typographic quotes and dashes to ASCII) and hashes its forms (word,
//! lower case, affixes, shape). [`sentence_features`] then builds each
//! token's feature hashes from those arrays without allocating. Document
//! context matters in news: a capitalised word that also appears in lower
//! case elsewhere is rarely a name, and a word in an ALL-CAPS headline is
//! best read through its spelling in the body.
//!
//! Pass 2 ([`Stacked`]) adds what pass 1 predicted across the whole
//! document: the type most often given to the same word elsewhere.

use onrecord_tagger::{fx, hash_bytes, hash_lower, mix, Features};

const CAP: u16 = 1; // first letter upper case
const ALLCAPS: u16 = 2; // every letter upper case, at least two letters
const INITIAL: u16 = 4; // first token of its sentence
const CAPS_SENT: u16 = 8; // sentence mostly ALL CAPS (a CoNLL headline)
const TITLE_SENT: u16 = 16; // sentence mostly Capitalised (a headline in title case)
const LOWER_SEEN: u16 = 32; // the word also appears in lower case in the document
const CAP_MID: u16 = 64; // the word appears capitalised mid-sentence in a body sentence
const HAS_DIGIT: u16 = 128;
const HAS_LETTER: u16 = 256;
const TRUECASED: u16 = 512; // read as lower case (see `compute`)
const HAS_UPPER: u16 = 2048; // an upper-case letter anywhere ("al-Aqsa")
const TITLE_PROSE: u16 = 1024; // a title-case sentence with lower-case function words: a headline

const BOS: u64 = 0x0b05;
const EOS: u64 = 0x0e05;

/// Per-token hashes of one document (reused across documents).
#[derive(Debug, Default, Clone)]
pub struct DocInfo {
    /// Hash of the normalised word; like the shapes and affixes, only in
    /// and around the candidate segments (0 elsewhere).
    pub(crate) w: Vec<u64>,
    /// Hash of the normalised word in lower case.
    pub(crate) l: Vec<u64>,
    shape: Vec<u64>,
    short: Vec<u64>,
    affix: Vec<[u64; 8]>,
    pub(crate) flags: Vec<u16>,
    buf: String,
    lower: String,
    /// [`normalise`] of an ASCII word, as bytes.
    ascii: Vec<u8>,
    /// For each token, the number of its lower-cased word (`l`) among the
    /// distinct words of the document, in order of first appearance.
    pub(crate) word: Vec<u32>,
    /// The document's distinct words: `l` → number.
    words: WordIds,
    /// Per distinct word: `LOWER_SEEN` and `CAP_MID` marks.
    marks: Vec<u16>,
}

/// Numbers for the distinct word hashes of a document: an open-addressing
/// table kept from document to document (a stamp per slot tells this
/// document's entries from older ones, so it is never cleared).
#[derive(Debug, Default, Clone)]
struct WordIds {
    /// (hash, number, stamp)
    slots: Vec<(u64, u32, u32)>,
    stamp: u32,
    count: u32,
}

impl WordIds {
    /// Starts a document of at most `n` distinct words.
    fn reset(&mut self, n: usize) {
        // a table the size of this document's (a larger one would spread
        // its words over more cache lines)
        let cap = (2 * n).next_power_of_two().max(64);
        if self.slots.len() != cap || self.stamp == u32::MAX {
            self.slots = vec![(0, 0, 0); cap];
            self.stamp = 0;
        }
        self.stamp += 1;
        self.count = 0;
    }

    /// The number of `key`: a new one (the next) the first time.
    fn id(&mut self, key: u64) -> u32 {
        let mask = self.slots.len() - 1;
        let mut i = (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 40) as usize & mask;
        loop {
            let s = &mut self.slots[i];
            if s.2 != self.stamp {
                *s = (key, self.count, self.stamp);
                self.count += 1;
                return s.1;
            }
            if s.0 == key {
                return s.1;
            }
            i = (i + 1) & mask;
        }
    }
}

fn ends_like_prose_of(last: &str) -> bool {
    matches!(
        last.chars().last(),
        Some('.' | '?' | '!' | '"' | '”' | '’' | '\'' | ')' | ':' | ';' | ',')
    ) || last == "''"
}

/// [`normalise`] of a word for the ASCII fast paths: `None` when the word
/// is not ASCII or is a LaTeX-style quote (normalised to `"`).
fn normalise_ascii(word: &str, buf: &mut Vec<u8>) -> Option<()> {
    if !word.is_ascii() || word == "``" || word == "''" {
        return None;
    }
    buf.clear();
    buf.extend(word.bytes().map(|b| match b {
        b'0'..=b'9' => b'0',
        b'`' => b'\'',
        b => b,
    }));
    Some(())
}

/// Normalises a word for features into `buf`: digits → `0`, curly quotes →
/// ASCII, dashes → `-`, LaTeX-style quotes → `"`.
pub fn normalise(word: &str, buf: &mut String) {
    buf.clear();
    if word == "``" || word == "''" {
        buf.push('"');
        return;
    }
    for c in word.chars() {
        buf.push(match c {
            '0'..='9' => '0',
            '’' | '‘' | '`' | '′' => '\'',
            '“' | '”' | '„' | '«' | '»' => '"',
            '–' | '—' | '‒' | '−' => '-',
            c => c,
        });
    }
}

fn shape_of(word: &str, full: &mut u64, short: &mut u64) {
    let (mut f, mut s) = (fx(0, 1), fx(0, 2));
    let mut last = 0u8;
    let mut n = 0;
    for c in word.chars() {
        let k = if c.is_uppercase() {
            b'X'
        } else if c.is_lowercase() {
            b'x'
        } else if c.is_ascii_digit() {
            b'd'
        } else if (c as u32) < 128 {
            c as u8
        } else {
            b'~'
        };
        if n < 8 {
            f = fx(f, k as u64);
        }
        n += 1;
        if k != last {
            s = fx(s, k as u64);
            last = k;
        }
    }
    *full = f;
    *short = s;
}

/// The hash of a word's normalised form ([`normalise`]) in lower case,
/// and its flags (`CAP`, `ALLCAPS`, `HAS_DIGIT`, `HAS_LETTER`,
/// `HAS_UPPER`); `None` when [`normalise_ascii`] does not take the word
/// (then [`word_facts_any`]). Most words are ASCII: byte by byte, the same
/// as `word_facts_any`.
fn word_facts(word: &str, ascii: &mut Vec<u8>) -> Option<(u64, u16)> {
    normalise_ascii(word, ascii)?;
    let mut fl = 0u16;
    let (mut letters, mut upper) = (0usize, 0usize);
    for c in word.bytes() {
        letters += c.is_ascii_alphabetic() as usize;
        upper += c.is_ascii_uppercase() as usize;
        if c.is_ascii_digit() {
            fl |= HAS_DIGIT;
        }
    }
    if letters > 0 {
        fl |= HAS_LETTER;
    }
    if upper > 0 {
        fl |= HAS_UPPER;
    }
    if word.as_bytes().first().is_some_and(u8::is_ascii_uppercase) {
        fl |= CAP;
    }
    if letters >= 2 && upper == letters {
        fl |= ALLCAPS;
    }
    Some((hash_lower(4, ascii), fl))
}

/// [`word_facts`] of any word.
fn word_facts_any(word: &str, buf: &mut String, lower: &mut String) -> (u64, u16) {
    normalise(word, buf);
    lower.clear();
    for c in buf.chars() {
        lower.extend(c.to_lowercase());
    }
    let mut fl = 0u16;
    let mut letters = 0;
    let mut upper = 0;
    for c in word.chars() {
        if c.is_alphabetic() {
            letters += 1;
            upper += c.is_uppercase() as usize;
        }
        if c.is_ascii_digit() {
            fl |= HAS_DIGIT;
        }
    }
    if letters > 0 {
        fl |= HAS_LETTER;
    }
    if upper > 0 {
        fl |= HAS_UPPER;
    }
    if word.chars().next().is_some_and(char::is_uppercase) {
        fl |= CAP;
    }
    if letters >= 2 && upper == letters {
        fl |= ALLCAPS;
    }
    (hash_bytes(4, lower.as_bytes()), fl)
}

/// The hash of a word's normalised form ([`normalise`]), its shape hashes
/// (full and short, see [`shape_of`]; of its lower case when `truecased`)
/// and the hashes of its lower-cased prefixes and suffixes of 1 to 4
/// characters; `None` when [`normalise_ascii`] does not
/// take the word (then [`shape_and_affixes_any`], which this matches).
fn shape_and_affixes(
    word: &str,
    truecased: bool,
    ascii: &mut Vec<u8>,
) -> Option<(u64, u64, u64, [u64; 8])> {
    normalise_ascii(word, ascii)?;
    let b = &ascii[..];
    let (mut f, mut s) = (fx(0, 1), fx(0, 2));
    let mut last = 0u8;
    for (n, &c) in b.iter().enumerate() {
        let c = if truecased { c.to_ascii_lowercase() } else { c };
        let k = if c.is_ascii_uppercase() {
            b'X'
        } else if c.is_ascii_lowercase() {
            b'x'
        } else if c.is_ascii_digit() {
            b'd'
        } else {
            c
        };
        if n < 8 {
            f = fx(f, k as u64);
        }
        if k != last {
            s = fx(s, k as u64);
            last = k;
        }
    }
    let mut a = [0u64; 8];
    for k in 1..=4usize.min(b.len().saturating_sub(1)) {
        a[k - 1] = hash_lower(10 + k as u64, &b[..k]);
        a[3 + k] = hash_lower(20 + k as u64, &b[b.len() - k..]);
    }
    Some((hash_bytes(3, b), f, s, a))
}

/// [`shape_and_affixes`] of any word.
fn shape_and_affixes_any(
    word: &str,
    truecased: bool,
    buf: &mut String,
    lower: &mut String,
) -> (u64, u64, u64, [u64; 8]) {
    normalise(word, buf);
    lower.clear();
    for c in buf.chars() {
        lower.extend(c.to_lowercase());
    }
    let (mut f, mut s) = (0, 0);
    // a truecased word has the shape of its lower-case form
    shape_of(if truecased { lower } else { buf }, &mut f, &mut s);
    let mut a = [0u64; 8];
    let lb = lower.as_bytes();
    let n = lower.chars().count();
    // prefixes and suffixes of 1..=4 characters, when shorter than the word
    let mut ends = lower.char_indices().map(|(i, _)| i).skip(1);
    let mut starts = lower.char_indices().rev().map(|(i, _)| i);
    for k in 1..=4usize {
        if n <= k {
            break;
        }
        if let (Some(p), Some(q)) = (ends.next(), starts.next()) {
            a[k - 1] = hash_bytes(10 + k as u64, &lb[..p]);
            a[3 + k] = hash_bytes(20 + k as u64, &lb[q..]);
        }
    }
    (hash_bytes(3, buf.as_bytes()), f, s, a)
}

impl DocInfo {
    /// `words` are the document's tokens; `sentences` their ranges, in order.
    pub fn compute<'a>(
        &mut self,
        words: impl Iterator<Item = &'a str>,
        sentences: &[std::ops::Range<usize>],
    ) {
        self.w.clear();
        self.l.clear();
        self.shape.clear();
        self.short.clear();
        self.affix.clear();
        self.flags.clear();
        let words_again: Vec<&str> = words.collect();
        for &word in &words_again {
            let (l, fl) = word_facts(word, &mut self.ascii)
                .unwrap_or_else(|| word_facts_any(word, &mut self.buf, &mut self.lower));
            // (the word's own hash only where the tagger looks: below)
            self.w.push(0);
            self.l.push(l);
            self.flags.push(fl);
        }
        // sentence flags
        let mut prose_sentences = 0usize;
        for r in sentences {
            if r.is_empty() {
                continue;
            }
            self.flags[r.start] |= INITIAL;
            prose_sentences += ends_like_prose_of(&words_again[r.end - 1]) as usize;
            let (mut words, mut caps, mut title) = (0, 0, 0);
            // a headline has no sentence-final punctuation
            let last = &words_again[r.end - 1];
            let ends_like_prose = ends_like_prose_of(last);
            for i in r.clone() {
                let f = self.flags[i];
                // only words with letters count
                if f & HAS_LETTER != 0 {
                    words += 1;
                    caps += (f & ALLCAPS != 0) as usize;
                    title += (f & CAP != 0) as usize;
                }
            }
            let mark = if words >= 2 && caps * 10 >= words * 6 {
                CAPS_SENT
            } else if (words >= 3 && title * 10 >= words * 7)
                || (!ends_like_prose && words >= 2 && title * 2 >= words)
            {
                TITLE_SENT
            } else {
                0
            };
            let function_word = words_again[r.clone()].iter().any(|w| {
                matches!(
                    *w,
                    "a" | "an"
                        | "the"
                        | "of"
                        | "on"
                        | "in"
                        | "to"
                        | "for"
                        | "as"
                        | "at"
                        | "and"
                        | "with"
                        | "from"
                        | "by"
                )
            });
            let mark = if mark == TITLE_SENT && function_word {
                mark | TITLE_PROSE
            } else {
                mark
            };
            for i in r.clone() {
                self.flags[i] |= mark;
            }
        }
        // document context: lower-case and mid-sentence capitalised forms
        self.words.reset(self.l.len());
        self.word.clear();
        for &l in &self.l {
            self.word.push(self.words.id(l));
        }
        self.marks.clear();
        self.marks.resize(self.words.count as usize, 0);
        for i in 0..self.l.len() {
            let f = self.flags[i];
            let e = &mut self.marks[self.word[i] as usize];
            if f & CAP == 0 && f & HAS_DIGIT == 0 {
                *e |= LOWER_SEEN;
            } else if f & (INITIAL | CAPS_SENT | TITLE_SENT) == 0 && f & ALLCAPS == 0 {
                *e |= CAP_MID;
            }
        }
        for i in 0..self.l.len() {
            self.flags[i] |= self.marks[self.word[i] as usize];
        }
        // an article of prose (not a table of results) capitalises names mid-sentence
        let prose = prose_sentences * 10 >= sentences.len() * 6;
        // Truecasing of title-case headlines: a capitalised word in such a
        // sentence that the body never capitalises mid-sentence is read as
        // lower case ("Moscow Confirms U.S. Still Committed" → "Moscow
        // confirms U.S. still committed").
        for (i, word) in words_again.iter().enumerate() {
            let f = self.flags[i];
            if f & TITLE_PROSE != 0
                && f & CAP != 0
                && f & (CAP_MID | ALLCAPS) == 0
                && (f & LOWER_SEEN != 0 || prose)
                && word.chars().filter(|c| c.is_alphabetic()).count() >= 3
            {
                normalise(word, &mut self.buf);
                self.lower.clear();
                for c in self.buf.chars() {
                    self.lower.extend(c.to_lowercase());
                }
                self.w[i] = hash_bytes(3, self.lower.as_bytes());
                self.flags[i] = (self.flags[i] & !CAP) | TRUECASED;
            }
        }
        // the word's hash, shapes and affixes only where the tagger looks:
        // the candidate segments and one token around them
        let n = words_again.len();
        self.shape.resize(n, 0);
        self.short.resize(n, 0);
        self.affix.resize(n, [0; 8]);
        let mut segs = Vec::new();
        for r in sentences {
            segments(self, r.clone(), &mut segs);
            for seg in &segs {
                let a = seg.start.saturating_sub(1).max(r.start);
                let b = (seg.end + 1).min(r.end);
                for i in a..b {
                    self.shapes_and_affixes(i, words_again[i]);
                }
            }
        }
    }

    fn shapes_and_affixes(&mut self, i: usize, word: &str) {
        let truecased = self.flags[i] & TRUECASED != 0;
        let (w, f, s, a) =
            shape_and_affixes(word, truecased, &mut self.ascii).unwrap_or_else(|| {
                shape_and_affixes_any(word, truecased, &mut self.buf, &mut self.lower)
            });
        // a truecased word's hash is that of its lower case (set above)
        if !truecased {
            self.w[i] = w;
        }
        self.shape[i] = f;
        self.short[i] = s;
        self.affix[i] = a;
    }

    /// A capitalised headline word read as lower case: never part of a name.
    pub fn truecased(&self, i: usize) -> bool {
        self.flags[i] & TRUECASED != 0
    }

    pub fn len(&self) -> usize {
        self.w.len()
    }

    pub fn is_empty(&self) -> bool {
        self.w.is_empty()
    }
}

/// What pass 1 predicted, summarised per token for pass 2.
#[derive(Debug, Default, Clone)]
pub struct Stacked {
    /// Pass-1 label of each token.
    pub labels: Vec<u8>,
    /// For each token: 1 + the entity type most often given to the same
    /// (lower-cased) word elsewhere in the document, 0 when never.
    pub doc_type: Vec<u8>,
    /// Per distinct word of the document: how often pass 1 gave it each
    /// type (0: outside any name).
    counts: Vec<[u16; 5]>,
}

impl Stacked {
    /// Pass 2 has nothing to add where pass 1 found no name and no word
    /// is a name elsewhere in the document: such segments stay `O`.
    pub fn settled(&self, seg: &std::ops::Range<usize>) -> bool {
        seg.clone()
            .all(|i| self.labels[i] == 0 && self.doc_type[i] == 0)
    }

    pub fn compute(&mut self, info: &DocInfo, labels: &[u8]) {
        self.labels.clear();
        self.labels.extend_from_slice(labels);
        let counts = &mut self.counts;
        counts.clear();
        counts.resize(info.words.count as usize, [0; 5]);
        let kind_of = |l: u8| crate::labels::decode(l).map_or(0, |(k, _)| 1 + k as usize);
        for (i, &l) in labels.iter().enumerate() {
            counts[info.word[i] as usize][kind_of(l)] += 1;
        }
        self.doc_type.clear();
        for (i, &l) in labels.iter().enumerate() {
            let mut c = counts[info.word[i] as usize];
            c[kind_of(l)] = c[kind_of(l)].saturating_sub(1); // elsewhere only
            let best = (1..5).fold(0, |a, k| if c[k] > c[a] { k } else { a });
            self.doc_type.push(if c[best] == 0 {
                0
            } else if c[0] > c[best] {
                5 // seen more often outside entities
            } else {
                best as u8
            });
        }
    }
}

#[inline]
fn f2(t: u64, a: u64) -> u64 {
    mix(fx(fx(0x5eed, t), a))
}
#[inline]
fn f3(t: u64, a: u64, b: u64) -> u64 {
    mix(fx(fx(fx(0x5eed, t), a), b))
}

/// Features of the tokens `range` (one sentence) into `out`.
/// Candidate segments of a sentence: the tokens that may be part of a name
/// (capitalised, not a sentence-initial word the article also writes in
/// lower case), each widened by one token either side ("Bank of England").
/// Only these are tagged; every other token is `O`. Names are capitalised,
/// so this loses almost nothing and skips most of the text.
pub fn segments(
    info: &DocInfo,
    sentence: std::ops::Range<usize>,
    out: &mut Vec<std::ops::Range<usize>>,
) {
    out.clear();
    let cand = |i: usize| {
        let f = info.flags[i];
        (f & CAP != 0 || (f & HAS_UPPER != 0 && f & TRUECASED == 0))
            && !(f & INITIAL != 0 && f & LOWER_SEEN != 0 && f & ALLCAPS == 0)
    };
    let (a, b) = (sentence.start, sentence.end);
    let mut i = a;
    while i < b {
        if !cand(i) {
            i += 1;
            continue;
        }
        let start = i.saturating_sub(1).max(a);
        let mut end = i + 1;
        // extend over candidates and single gaps between them
        while end < b && (cand(end) || (end + 1 < b && cand(end + 1))) {
            end += 1;
        }
        let end = (end + 1).min(b);
        match out.last_mut() {
            Some(last) if last.end >= start => last.end = end,
            _ => out.push(start..end),
        }
        i = end;
    }
}

/// Features of the tokens `seg` of the sentence `sentence` into `out`
/// (the sentence bounds the context window). Without `stacked` (pass 1),
/// the features pass 2 does not have are pushed as the pass's own (see
/// [`onrecord_tagger::Features::push_own`]); pass 2's features are pass
/// 1's others, in the same order, then those of [`stacked_features`].
pub fn sentence_features(
    info: &DocInfo,
    sentence: std::ops::Range<usize>,
    seg: std::ops::Range<usize>,
    stacked: Option<&Stacked>,
    out: &mut Features,
) {
    out.clear();
    features_of(info, sentence, seg, stacked, true, out)
}

/// [`sentence_features`] appended to `out`'s tokens.
pub fn append_sentence_features(
    info: &DocInfo,
    sentence: std::ops::Range<usize>,
    seg: std::ops::Range<usize>,
    out: &mut Features,
) {
    features_of(info, sentence, seg, None, true, out)
}

/// Pass 2's own features of the tokens `seg`: what [`sentence_features`]
/// with `stacked` appends to each token's features that pass 1 also has.
/// Pass 2 adds them to the sums of the shared features that pass 1
/// carried over ([`onrecord_tagger::Model::decode_carrying`]).
pub fn stacked_features(
    info: &DocInfo,
    sentence: std::ops::Range<usize>,
    seg: std::ops::Range<usize>,
    stacked: &Stacked,
    out: &mut Features,
) {
    out.clear();
    features_of(info, sentence, seg, Some(stacked), false, out)
}

/// [`stacked_features`] appended to `out`'s tokens.
pub fn append_stacked_features(
    info: &DocInfo,
    sentence: std::ops::Range<usize>,
    seg: std::ops::Range<usize>,
    stacked: &Stacked,
    out: &mut Features,
) {
    features_of(info, sentence, seg, Some(stacked), false, out)
}

/// Appends the features of `seg`: those read from the text when `base`,
/// then pass 2's own when `stacked`.
fn features_of(
    info: &DocInfo,
    sentence: std::ops::Range<usize>,
    seg: std::ops::Range<usize>,
    stacked: Option<&Stacked>,
    base: bool,
    out: &mut Features,
) {
    let (a, b) = (sentence.start, sentence.end);
    let l = |i: isize| -> u64 {
        if i < a as isize {
            BOS
        } else if i >= b as isize {
            EOS
        } else {
            info.l[i as usize]
        }
    };
    let sh = |i: isize| -> u64 {
        if i < a as isize {
            BOS
        } else if i >= b as isize {
            EOS
        } else {
            info.short[i as usize]
        }
    };
    for i in seg {
        out.next_token();
        let j = i as isize;
        let fl = info.flags[i];
        let ctx = fl & (INITIAL | CAPS_SENT | TITLE_SENT | LOWER_SEEN | CAP_MID);
        if base {
            out.push(f2(1, 0));
            out.push(f2(2, info.w[i]));
            out.push(f2(3, info.l[i]));
            // pass 2 reads spelling through pass 1's labels: no affixes there
            if stacked.is_none() {
                for (k, &h) in info.affix[i].iter().enumerate() {
                    if h != 0 {
                        out.push_own(f2(4 + k as u64, h));
                    }
                }
            }
            out.push(f2(12, info.shape[i]));
            out.push(f2(13, info.short[i]));
            out.push(f2(14, l(j - 1)));
            out.push(f2(15, l(j + 1)));
            if stacked.is_none() {
                out.push_own(f2(16, l(j - 2)));
                out.push_own(f2(17, l(j + 2)));
                out.push_own(f3(22, fx(sh(j - 1), info.short[i]), sh(j + 1)));
            }
            out.push(f3(18, l(j - 1), info.l[i]));
            out.push(f3(19, info.l[i], l(j + 1)));
            out.push(f3(20, sh(j - 1), info.short[i]));
            out.push(f3(21, info.short[i], sh(j + 1)));
            out.push(f3(23, l(j - 1), info.short[i]));
            out.push(f3(24, info.short[i], l(j + 1)));
            out.push(f3(25, ctx as u64, info.short[i]));
            if fl & (CAPS_SENT | TITLE_SENT | INITIAL) != 0 {
                out.push(f3(
                    26,
                    (fl & (CAPS_SENT | TITLE_SENT | INITIAL)) as u64,
                    info.l[i],
                ));
            }
        }
        if let Some(s) = stacked {
            let lab = |k: isize| -> u64 {
                if k < a as isize || k >= b as isize {
                    99
                } else {
                    s.labels[k as usize] as u64
                }
            };
            let dt = s.doc_type[i] as u64;
            out.push(f2(40, lab(j)));
            out.push(f3(41, lab(j - 1), lab(j)));
            out.push(f3(42, lab(j), lab(j + 1)));
            out.push(f2(43, dt));
            out.push(f3(44, dt, info.short[i]));
            out.push(f3(45, dt, lab(j)));
            out.push(f3(46, dt, ctx as u64));
        }
    }
}

#[cfg(test)]
mod ascii_tests {
    use super::*;

    /// The byte-by-byte paths for ASCII words give what the general ones do.
    #[test]
    fn ascii_paths_match_the_general_ones() {
        let words = [
            "",
            "a",
            "I",
            "Putin",
            "PUTIN",
            "iPhone",
            "al-Aqsa",
            "U.S.",
            "1990s",
            "12,000",
            "$5",
            "`",
            "``",
            "''",
            "'s",
            "Mr.",
            "McDonald's",
            "x86_64",
            "A1",
            "--",
            "e-mail",
            "NATO-led",
            "ab",
            "abcd",
            "abcde",
            "Kremlin",
            "`quoted'",
        ];
        let (mut ascii, mut buf, mut lower) = (Vec::new(), String::new(), String::new());
        for w in words {
            if let Some(fast) = word_facts(w, &mut ascii) {
                assert_eq!(fast, word_facts_any(w, &mut buf, &mut lower), "{w:?}");
            } else {
                assert!(!w.is_ascii() || w == "``" || w == "''", "{w:?}");
            }
            for truecased in [false, true] {
                if let Some(fast) = shape_and_affixes(w, truecased, &mut ascii) {
                    let any = shape_and_affixes_any(w, truecased, &mut buf, &mut lower);
                    assert_eq!(fast, any, "{w:?} {truecased}");
                }
            }
        }
        assert!(word_facts("Zelenskyy’s", &mut ascii).is_none());
    }
}
