//! Word features of a sentence for the chunk tagger: the word (lower case
//! and as written), its affixes and shape, and a ±2 word window. Every word
//! is hashed once ([`Words::compute`]); features combine those hashes with a
//! template number, so nothing is allocated per token.

use onrecord_tagger::{fx, hash_bytes, hash_lower, mix, Features};

/// Per-word hashes of one sentence.
#[derive(Debug, Default, Clone)]
pub struct Words {
    lower: Vec<u64>,
    cased: Vec<u64>,
    suf3: Vec<u64>,
    suf2: Vec<u64>,
    suf1: Vec<u64>,
    pre2: Vec<u64>,
    shape: Vec<u64>,
    /// Title case or upper case.
    cap: Vec<bool>,
}

/// Quotation marks of every style read as `"`, so that curly quotes in news
/// look like the straight ones of the training data.
fn normalise(w: &str) -> &str {
    let mut cs = w.chars();
    match (cs.next(), cs.next()) {
        (Some('"' | '“' | '”' | '«' | '»' | '„' | '‟'), None) => "\"",
        (Some('‘' | '’' | '\'' | '`'), None) | (Some('`'), Some('`')) => "\"",
        (Some('\''), Some('\'')) if w.len() == 2 => "\"",
        (Some('—' | '–'), None) => "--",
        _ => w,
    }
}

/// Hash of the word's shape: letters as `X`/`x`, digits as `d`, other
/// characters as themselves, runs of one class collapsed, at most 8 steps.
fn shape(w: &str) -> u64 {
    let mut h = 0x5ba9u64;
    let mut last = '\0';
    let mut steps = 0;
    for c in w.chars() {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else if c == '’' {
            '\''
        } else {
            c
        };
        if k != last {
            h = fx(h, k as u64);
            last = k;
            steps += 1;
            if steps == 8 {
                break;
            }
        }
    }
    h
}

fn last_chars(w: &str, k: usize) -> &str {
    match w.char_indices().rev().nth(k - 1) {
        Some((i, _)) => &w[i..],
        None => w,
    }
}

fn first_chars(w: &str, k: usize) -> &str {
    match w.char_indices().nth(k) {
        Some((i, _)) => &w[..i],
        None => w,
    }
}

impl Words {
    pub fn compute<'a>(&mut self, n: usize, word: impl Fn(usize) -> &'a str) {
        self.lower.clear();
        self.cased.clear();
        self.suf3.clear();
        self.suf2.clear();
        self.suf1.clear();
        self.pre2.clear();
        self.shape.clear();
        self.cap.clear();
        for i in 0..n {
            let w = normalise(word(i));
            let b = w.as_bytes();
            self.lower.push(hash_lower(0, b));
            self.cased.push(hash_bytes(1, b));
            self.suf3.push(hash_lower(3, last_chars(w, 3).as_bytes()));
            self.suf2.push(hash_lower(4, last_chars(w, 2).as_bytes()));
            self.suf1.push(hash_lower(5, last_chars(w, 1).as_bytes()));
            self.pre2.push(hash_lower(6, first_chars(w, 2).as_bytes()));
            self.shape.push(shape(w));
            self.cap
                .push(w.chars().next().is_some_and(char::is_uppercase));
        }
    }

    pub fn len(&self) -> usize {
        self.lower.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lower.is_empty()
    }
}

#[inline]
fn f(t: u64, v: u64) -> u64 {
    mix(fx(fx(0xc4a1, t), v))
}

const NONE: u64 = 0xdead;

/// Appends the features of every word of the sentence (one `next_token`
/// per word).
pub fn sentence_features(w: &Words, out: &mut Features) {
    let n = w.len();
    let low = |i: isize| -> u64 {
        if i < 0 {
            NONE
        } else if i >= n as isize {
            NONE + 1
        } else {
            w.lower[i as usize]
        }
    };
    let shp = |i: isize| -> u64 {
        if i < 0 || i >= n as isize {
            NONE
        } else {
            w.shape[i as usize]
        }
    };
    for i in 0..n {
        let ii = i as isize;
        out.next_token();
        out.push(f(0, 0));
        out.push(f(1, w.lower[i]));
        out.push(f(2, w.cased[i]));
        out.push(f(3, w.suf3[i]));
        out.push(f(4, w.suf2[i]));
        out.push(f(5, w.suf1[i]));
        out.push(f(6, w.pre2[i]));
        out.push(f(7, w.shape[i]));
        out.push(f(8, low(ii - 1)));
        out.push(f(9, low(ii + 1)));
        out.push(f(10, low(ii - 2)));
        out.push(f(11, low(ii + 2)));
        out.push(f(12, fx(low(ii - 1), w.lower[i])));
        out.push(f(13, fx(w.lower[i], low(ii + 1))));
        out.push(f(14, fx(fx(shp(ii - 1), w.shape[i]), shp(ii + 1))));
        out.push(f(15, (i == 0) as u64 | (w.cap[i] as u64) << 1));
        out.push(f(16, fx(low(ii - 1), w.suf3[i])));
        out.push(f(17, fx(w.suf2[i], low(ii + 1))));
        if i > 0 {
            out.push(f(18, w.suf3[i - 1]));
        }
        if i + 1 < n {
            out.push(f(19, w.suf3[i + 1]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curly_and_straight_quotes_hash_alike() {
        let mut a = Words::default();
        let mut b = Words::default();
        a.compute(1, |_| "“");
        b.compute(1, |_| "\"");
        assert_eq!(a.lower, b.lower);
    }

    #[test]
    fn shapes_collapse_runs() {
        assert_eq!(shape("Moscow"), shape("Paris"));
        assert_ne!(shape("Moscow"), shape("NATO"));
        assert_eq!(shape("1996"), shape("7"));
        assert_eq!(last_chars("né", 3), "né");
        assert_eq!(first_chars("éa", 1), "é");
    }
}
