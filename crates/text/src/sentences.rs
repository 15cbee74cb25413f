//! Abbreviation-aware sentence splitting over a paragraph's tokens.

use crate::lexicon::{is_abbreviation, is_month, is_sentence_starter, is_title_abbreviation};
use crate::{Sentence, Token, TokenKind};
use onrecord_core::Span;
use std::ops::Range;

fn first_char(s: &str) -> char {
    s.chars().next().unwrap_or(' ')
}

pub(crate) fn split(text: &str, tokens: &[Token], range: Range<u32>, out: &mut Vec<Sentence>) {
    let (a, b) = (range.start as usize, range.end as usize);
    let mut start = a;
    let mut i = a;
    while i < b {
        let t = tokens[i];
        let w = t.text(text);
        let ender = match t.kind {
            TokenKind::Punct => {
                matches!(first_char(w), '.' | '!' | '?' | '…') && !w.starts_with("..") || w == "..."
            }
            TokenKind::Word if w.len() > 1 && w.ends_with('.') => {
                let stem = &w[..w.len() - 1];
                !(is_title_abbreviation(stem) || is_month(stem))
            }
            _ => false,
        };
        if !ender {
            i += 1;
            continue;
        }
        let abbrev = t.kind == TokenKind::Word;
        // Closing quotes and brackets stay with the sentence they close.
        let mut j = i + 1;
        while j < b {
            let n = tokens[j];
            let c = first_char(n.text(text));
            let closer = matches!(c, ')' | ']' | '”' | '’' | '»')
                || (matches!(c, '"' | '\'') && !n.space_before);
            if closer && !(n.space_before && matches!(c, '"' | '\'')) {
                j += 1;
            } else {
                break;
            }
        }
        if j >= b {
            break;
        }
        let n = tokens[j];
        let nw = n.text(text);
        let c = first_char(nw);
        // (a straight single mark here has a space before it, so it opens:
        // "said. ''I'm …", the two-apostrophe quotes of some wires)
        let starts = c.is_uppercase()
            || c.is_ascii_digit()
            || matches!(c, '“' | '"' | '‘' | '\'' | '(' | '[' | '«' | '—');
        let ok = if abbrev {
            let stem = &w[..w.len() - 1];
            let dotted_or_initial = stem.contains('.') || stem.chars().count() == 1;
            starts
                && (is_sentence_starter(nw) || matches!(c, '“' | '"' | '«'))
                && (dotted_or_initial || is_abbreviation(stem))
        } else {
            starts
        };
        if ok {
            push(tokens, start..j, out);
            start = j;
        }
        i = j;
    }
    if start < b {
        push(tokens, start..b, out);
    }
}

fn push(tokens: &[Token], r: Range<usize>, out: &mut Vec<Sentence>) {
    let span = Span::new(
        tokens[r.start].span.start as usize,
        tokens[r.end - 1].span.end as usize,
    );
    out.push(Sentence {
        span,
        tokens: r.start as u32..r.end as u32,
    });
}
