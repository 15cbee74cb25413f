//! Tokenizer: one pass over a paragraph, no allocation beyond the output.

use crate::lexicon::is_abbreviation;
use crate::{Token, TokenKind, NO_QUOTE};
use onrecord_core::Span;

#[inline]
fn char_at(s: &str, i: usize) -> Option<char> {
    s.get(i..).and_then(|r| r.chars().next())
}

#[inline]
pub(crate) fn is_quote_char(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '”' | '‘' | '’' | '«' | '»' | '„' | '‹' | '›' | '‟' | '‛'
    )
}

#[inline]
fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

#[inline]
fn is_hyphen(c: char) -> bool {
    c == '-' || c == '‐' || c == '‑'
}

/// Tokenizes the paragraph `para` of `text`, appending to `out`.
pub(crate) fn tokenize(text: &str, para: Span, out: &mut Vec<Token>) {
    let s = para.text(text);
    let base = para.start as usize;
    let mut i = 0;
    let mut space_before = true;
    let push = |out: &mut Vec<Token>, a: usize, b: usize, kind: TokenKind, space: bool| {
        out.push(Token {
            span: Span::new(base + a, base + b),
            kind,
            space_before: space,
            quote_depth: 0,
            quote: NO_QUOTE,
        });
    };
    while let Some(c) = char_at(s, i) {
        let cl = c.len_utf8();
        if c.is_whitespace() {
            i += cl;
            space_before = true;
            continue;
        }
        let start = i;
        if c.is_alphanumeric() {
            // URL-like runs ("https://…", "www.…") are one token.
            let run_end = s[i..].find(char::is_whitespace).map_or(s.len(), |k| i + k);
            let run = &s[i..run_end];
            if run.contains("://") || run.starts_with("www.") {
                let trimmed = run.trim_end_matches(|c: char| ".,;:!?)]\"”’'".contains(c));
                let e = i + trimmed.len();
                push(out, start, e, TokenKind::Link, space_before);
                i = e;
                space_before = false;
                continue;
            }
            let (end, clitic) = scan_word(s, i);
            let word = &s[start..end];
            let mut e = end;
            // A final period that belongs to the word.
            if clitic.is_none() && char_at(s, end) == Some('.') {
                let single_letter =
                    word.chars().count() == 1 && word.chars().all(|c| c.is_uppercase());
                let after = char_at(s, end + 1);
                let dotted = word.contains('.') && !word.starts_with(|c: char| c.is_ascii_digit());
                if (dotted || single_letter || is_abbreviation(word))
                    && after.map_or(true, |a| !a.is_alphanumeric())
                {
                    e = end + 1;
                }
            }
            let kind = if c.is_numeric() {
                TokenKind::Number
            } else {
                TokenKind::Word
            };
            push(out, start, e, kind, space_before);
            if let Some(cs) = clitic {
                push(out, end, cs, TokenKind::Word, false);
                e = cs;
            }
            i = e;
            space_before = false;
            continue;
        }
        // ’90s, '08: an apostrophe that opens a number word.
        if is_apostrophe(c) && char_at(s, i + cl).is_some_and(|d| d.is_ascii_digit()) {
            let (end, _) = scan_word(s, i + cl);
            push(out, start, end, TokenKind::Word, space_before);
            i = end;
            space_before = false;
            continue;
        }
        // @handles and #hashtags.
        if (c == '@' || c == '#') && char_at(s, i + 1).is_some_and(|d| d.is_alphanumeric()) {
            let mut e = i + 1;
            while let Some(d) = char_at(s, e) {
                if d.is_alphanumeric() || d == '_' {
                    e += d.len_utf8();
                } else {
                    break;
                }
            }
            push(out, start, e, TokenKind::Link, space_before);
            i = e;
            space_before = false;
            continue;
        }
        if is_quote_char(c) || c == '`' {
            // '' and `` stand for double quotes in some newspapers' text
            let twin = (c == '\'' || c == '`') && char_at(s, i + 1) == Some(c);
            let e = if twin { i + 2 } else { i + cl };
            push(out, start, e, TokenKind::StrayQuote, space_before);
            i = e;
            space_before = false;
            continue;
        }
        // Runs of the same punctuation ("...", "--", "!!") are one token.
        let mut e = i + cl;
        if matches!(c, '.' | '-' | '!' | '?' | '*' | '=' | '_') {
            while char_at(s, e) == Some(c) {
                e += cl;
            }
        }
        push(out, start, e, TokenKind::Punct, space_before);
        i = e;
        space_before = false;
    }
}

/// Scans a word from `i` (an alphanumeric char). Returns its end and, when a
/// possessive or contracted `’s` follows, the end of that clitic.
fn scan_word(s: &str, i: usize) -> (usize, Option<usize>) {
    let mut e = i;
    let mut seg_len = 0usize; // chars since the last inner '.'
    let mut seg_digits = true;
    let mut has_alpha = false;
    loop {
        while let Some(c) = char_at(s, e) {
            if c.is_alphanumeric() {
                if !c.is_numeric() {
                    seg_digits = false;
                    has_alpha = true;
                }
                seg_len += 1;
                e += c.len_utf8();
            } else {
                break;
            }
        }
        let Some(n) = char_at(s, e) else {
            return (e, None);
        };
        let after = char_at(s, e + n.len_utf8());
        let after_alnum = after.is_some_and(|a| a.is_alphanumeric());
        if is_hyphen(n) && after_alnum {
            e += n.len_utf8();
            seg_len = 0;
            seg_digits = true;
            continue;
        }
        if is_apostrophe(n) && after_alnum {
            let after2 = after.and_then(|a| char_at(s, e + n.len_utf8() + a.len_utf8()));
            if matches!(after, Some('s' | 'S'))
                && !after2.is_some_and(|c| c.is_alphanumeric())
                && has_alpha
            {
                return (e, Some(e + n.len_utf8() + 1));
            }
            e += n.len_utf8();
            seg_len = 0;
            seg_digits = true;
            continue;
        }
        if n == '.' && after_alnum {
            let a = after.unwrap_or(' ');
            // U.S, e.g (single letters between periods) or 3.5 (decimals)
            if (seg_len == 1 && !seg_digits && a.is_alphabetic())
                || (seg_digits && a.is_ascii_digit())
            {
                e += 1;
                seg_len = 0;
                seg_digits = a.is_ascii_digit();
                continue;
            }
        }
        if (n == ',' || n == ':') && seg_digits && after.is_some_and(|a| a.is_ascii_digit()) {
            e += 1;
            seg_len = 0;
            continue;
        }
        return (e, None);
    }
}
