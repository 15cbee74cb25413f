//! Text layer: tokens, sentences, paragraphs and quotation structure with
//! byte offsets. No I/O.
//!
//! [`analyze`] turns a document's prose regions into a [`TextLayer`]:
//! - paragraphs are lines (scraped news puts one paragraph on a line);
//! - tokens follow news conventions: `U.S.`, `Mr.`, initials and decimals
//!   keep their periods, possessive `’s` is split off, `’90s` and
//!   `don’t` stay whole, URLs and handles are one token;
//! - sentences split at `.?!…` (plus closing quotes and brackets) when the
//!   next token starts a sentence, with abbreviations taken into account;
//! - quotations are found with a stack over curly and straight, double and
//!   single marks and guillemets. An odd number of marks never fails: a stray
//!   closing mark is kept as punctuation, an unclosed quotation ends with its
//!   paragraph unless the next paragraph re-opens it (a multi-paragraph
//!   quote, where only the last paragraph closes).
//!
//! Every offset is a [`Span`] (bytes into the original text).

mod lexicon;
mod quotes;
mod sentences;
mod tokenize;

pub use lexicon::{is_month, is_title_abbreviation};
use onrecord_core::Span;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Letters (possibly with digits, inner hyphens, apostrophes, periods).
    Word,
    /// Starts with a digit ("2025", "100,000", "3.5", "’90s" counts as Word).
    Number,
    /// Any other symbol, including sentence punctuation and dashes.
    Punct,
    /// A quotation mark that opens a quotation.
    OpenQuote,
    /// A quotation mark that closes a quotation.
    CloseQuote,
    /// A quotation mark that belongs to no quotation (stray, or an apostrophe).
    StrayQuote,
    /// A URL, e-mail address, @handle or #hashtag.
    Link,
}

/// One token. `quote` is the index of the innermost quotation that contains
/// it (the marks themselves included), or [`NO_QUOTE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
    /// White space (or the start of a paragraph) precedes this token.
    pub space_before: bool,
    /// Number of quotations enclosing the token (0 = outside any quote).
    pub quote_depth: u8,
    pub quote: u32,
}

pub const NO_QUOTE: u32 = u32::MAX;

impl Token {
    #[inline]
    pub fn text(self, text: &str) -> &str {
        self.span.text(text)
    }
    #[inline]
    pub fn is_quote_mark(self) -> bool {
        matches!(
            self.kind,
            TokenKind::OpenQuote | TokenKind::CloseQuote | TokenKind::StrayQuote
        )
    }
}

/// A run of tokens: `tokens` indexes [`TextLayer::tokens`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    pub tokens: std::ops::Range<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    pub span: Span,
    pub tokens: std::ops::Range<u32>,
    pub sentences: std::ops::Range<u32>,
}

/// A quotation: from its opening mark to its closing mark (or to the end of
/// its last paragraph when it is never closed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quotation {
    pub span: Span,
    /// Token range, the marks included.
    pub tokens: std::ops::Range<u32>,
    /// Double (“”, "", «») or single (‘’, '').
    pub double: bool,
    /// A closing mark was found.
    pub closed: bool,
    /// Number of paragraphs it runs over (more than one: a multi-paragraph quote).
    pub paragraphs: u32,
    /// Index of the enclosing quotation, or [`NO_QUOTE`].
    pub parent: u32,
}

/// Tokens, sentences, paragraphs and quotations of one document.
#[derive(Debug, Clone, Default)]
pub struct TextLayer {
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
    pub paragraphs: Vec<Paragraph>,
    pub quotations: Vec<Quotation>,
    /// For each token, the index of its sentence.
    pub sentence_of: Vec<u32>,
}

impl TextLayer {
    pub fn sentence_tokens(&self, s: usize) -> &[Token] {
        let r = &self.sentences[s].tokens;
        &self.tokens[r.start as usize..r.end as usize]
    }
}

/// Analyses the given prose regions of `text` (disjoint, in order).
pub fn analyze(text: &str, regions: &[Span]) -> TextLayer {
    let mut layer = TextLayer::default();
    for &region in regions {
        let region = Span::new(
            (region.start as usize).min(text.len()),
            (region.end as usize).min(text.len()),
        );
        let mut line_start = region.start as usize;
        let bytes = text.as_bytes();
        let end = region.end as usize;
        while line_start < end {
            let line_end = memchr_newline(&bytes[line_start..end]).map_or(end, |i| line_start + i);
            let para = Span::new(line_start, line_end).trim(text);
            if !para.is_empty()
                && text.is_char_boundary(para.start as usize)
                && text.is_char_boundary(para.end as usize)
            {
                let t0 = layer.tokens.len() as u32;
                tokenize::tokenize(text, para, &mut layer.tokens);
                let t1 = layer.tokens.len() as u32;
                if t1 > t0 {
                    let s0 = layer.sentences.len() as u32;
                    sentences::split(text, &layer.tokens, t0..t1, &mut layer.sentences);
                    let s1 = layer.sentences.len() as u32;
                    layer.paragraphs.push(Paragraph {
                        span: para,
                        tokens: t0..t1,
                        sentences: s0..s1,
                    });
                }
            }
            line_start = line_end + 1;
        }
    }
    quotes::resolve(text, &mut layer);
    layer.sentence_of = vec![0; layer.tokens.len()];
    for (i, s) in layer.sentences.iter().enumerate() {
        for t in s.tokens.clone() {
            layer.sentence_of[t as usize] = i as u32;
        }
    }
    layer
}

#[inline]
fn memchr_newline(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'\n')
}

#[cfg(test)]
mod tests;
