//! Quotation structure: a stack over quotation marks that never fails.

use crate::{Quotation, TextLayer, TokenKind, NO_QUOTE};
use onrecord_core::Span;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dir {
    Open,
    Close,
    Either,
    /// A single-quote mark that may be an apostrophe.
    Apostrophe,
}

fn classify(c: char) -> Option<(bool, Dir)> {
    Some(match c {
        '“' | '„' | '«' | '‟' => (true, Dir::Open),
        '”' | '»' => (true, Dir::Close),
        '"' => (true, Dir::Either),
        '‘' | '‹' | '‛' => (false, Dir::Open),
        '›' => (false, Dir::Close),
        '’' | '\'' => (false, Dir::Apostrophe),
        _ => return None,
    })
}

fn is_space_or_none(c: Option<char>) -> bool {
    c.map_or(true, char::is_whitespace)
}

fn is_left_punct(c: char) -> bool {
    matches!(c, '(' | '[' | '{' | '—' | '–' | '-' | '/' | ':')
}

fn is_right_punct(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '}' | '—' | '–' | '-' | '…' | '/'
    )
}

pub(crate) fn resolve(text: &str, layer: &mut TextLayer) {
    let mut quotes: Vec<Quotation> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let tokens = &mut layer.tokens;
    let npara = layer.paragraphs.len();
    for pi in 0..npara {
        let para = layer.paragraphs[pi].clone();
        // Quotes left open by the previous paragraph continue only if this
        // one re-opens with a double mark (multi-paragraph quotation).
        if !stack.is_empty() {
            let first = &tokens[para.tokens.start as usize];
            let c = first.text(text).chars().next().unwrap_or(' ');
            let reopens = matches!(classify(c), Some((true, Dir::Open | Dir::Either)));
            let carried = stack.iter().rposition(|&q| quotes[q].double);
            match (reopens, carried) {
                (true, Some(k)) => {
                    // close any inner quotes, keep the double one running
                    let prev = &layer.paragraphs[pi - 1];
                    for q in stack.drain(k + 1..) {
                        end_unclosed(&mut quotes[q], prev.span.end, prev.tokens.end);
                    }
                    let q = stack[k];
                    quotes[q].paragraphs += 1;
                    tokens[para.tokens.start as usize].kind = TokenKind::OpenQuote;
                }
                _ => {
                    let prev = &layer.paragraphs[pi - 1];
                    for q in stack.drain(..) {
                        end_unclosed(&mut quotes[q], prev.span.end, prev.tokens.end);
                    }
                }
            }
        }
        let skip_first = !stack.is_empty();
        for ti in para.tokens.clone() {
            let ti = ti as usize;
            if skip_first && ti == para.tokens.start as usize {
                continue;
            }
            if tokens[ti].kind != TokenKind::StrayQuote {
                continue;
            }
            let t = tokens[ti];
            let tt = t.text(text);
            let c = tt.chars().next().unwrap_or(' ');
            let Some((double, dir)) = (match tt {
                "''" => Some((true, Dir::Either)),
                "``" => Some((true, Dir::Open)),
                _ => classify(c),
            }) else {
                continue;
            };
            let prev = if t.space_before {
                None
            } else {
                text[..t.span.start as usize].chars().next_back()
            };
            let next = text[t.span.end as usize..].chars().next();
            let left_flank = prev.map_or(true, is_left_punct) || is_space_or_none(prev);
            let right_flank = is_space_or_none(next)
                || next.is_some_and(|n| is_right_punct(n) || classify(n).is_some());
            let top_same = stack.iter().rposition(|&q| quotes[q].double == double);
            let dir = match dir {
                Dir::Either => {
                    let inside_straight = top_same.is_some_and(|k| {
                        let q = &quotes[stack[k]];
                        let open = &text[q.span.start as usize..];
                        open.starts_with('"') || open.starts_with("''") || open.starts_with("``")
                    });
                    if inside_straight {
                        Dir::Close
                    } else if left_flank && !right_flank {
                        Dir::Open
                    } else if right_flank && !left_flank {
                        Dir::Close
                    } else if top_same.is_some() {
                        Dir::Close
                    } else {
                        Dir::Open
                    }
                }
                Dir::Apostrophe => {
                    if top_same.is_some() && right_flank && prev.is_some() {
                        Dir::Close
                    } else if left_flank
                        && !right_flank
                        && c == '\''
                        && closes_later(text, tokens, ti, para.tokens.end as usize)
                    {
                        Dir::Open
                    } else if left_flank
                        && !right_flank
                        && c == '’'
                        && closes_later(text, tokens, ti, para.tokens.end as usize)
                    {
                        Dir::Open
                    } else {
                        Dir::Apostrophe
                    }
                }
                d => d,
            };
            match dir {
                Dir::Open => {
                    quotes.push(Quotation {
                        span: Span::new(t.span.start as usize, t.span.end as usize),
                        tokens: ti as u32..ti as u32 + 1,
                        double,
                        closed: false,
                        paragraphs: 1,
                        parent: stack.last().map_or(NO_QUOTE, |&q| q as u32),
                    });
                    stack.push(quotes.len() - 1);
                    tokens[ti].kind = TokenKind::OpenQuote;
                }
                Dir::Close => {
                    if let Some(k) = top_same {
                        for q in stack.drain(k + 1..) {
                            end_unclosed(&mut quotes[q], tokens[ti - 1].span.end, ti as u32);
                        }
                        let q = stack.pop().unwrap_or(0);
                        quotes[q].span.end = t.span.end;
                        quotes[q].tokens.end = ti as u32 + 1;
                        quotes[q].closed = true;
                        tokens[ti].kind = TokenKind::CloseQuote;
                    }
                }
                Dir::Either | Dir::Apostrophe => {}
            }
        }
    }
    if let Some(last) = layer.paragraphs.last() {
        for q in stack.drain(..) {
            end_unclosed(&mut quotes[q], last.span.end, last.tokens.end);
        }
    }
    for (qi, q) in quotes.iter().enumerate() {
        for t in &mut tokens[q.tokens.start as usize..q.tokens.end as usize] {
            t.quote_depth = t.quote_depth.saturating_add(1);
            t.quote = qi as u32;
        }
    }
    layer.quotations = quotes;
}

fn end_unclosed(q: &mut Quotation, end: u32, tok_end: u32) {
    q.span.end = end.max(q.span.start);
    q.tokens.end = tok_end.max(q.tokens.start + 1);
}

/// Whether a single mark opened at `ti` has a plausible closing mark later
/// in the paragraph (so that "rock 'n' roll"-like apostrophes stay apostrophes).
fn closes_later(text: &str, tokens: &[crate::Token], ti: usize, end: usize) -> bool {
    tokens[ti + 1..end].iter().any(|t| {
        t.kind == TokenKind::StrayQuote && {
            let c = t.text(text).chars().next().unwrap_or(' ');
            let next = text[t.span.end as usize..].chars().next();
            matches!(c, '’' | '\'')
                && !t.space_before
                && (is_space_or_none(next)
                    || next.is_some_and(|n| is_right_punct(n) || n == '"' || n == '”'))
        }
    })
}
