//! The evaluation tokenizer: the matches of the regex `\w+|[^\w\s]`.

use onrecord_core::Span;

/// Tokens of `text` as byte spans: runs of word characters, and every other
/// non-white-space character on its own — the matches of the regex
/// `\w+|[^\w\s]` with Unicode `\w` and `\s`.
///
/// `\w` is approximated without tables as Alphabetic ∪ decimal digits ∪
/// connector punctuation ∪ common combining marks ∪ ZWJ/ZWNJ; `\s` is
/// Unicode White_Space ([`char::is_whitespace`]), as in the regex crate.
pub fn tokenize(text: &str) -> Vec<Span> {
    let mut out = Vec::with_capacity(text.len() / 5);
    let mut word_start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if is_word_char(c) {
            if word_start.is_none() {
                word_start = Some(i);
            }
            continue;
        }
        if let Some(s) = word_start.take() {
            out.push(Span::new(s, i));
        }
        if !c.is_whitespace() {
            out.push(Span::new(i, i + c.len_utf8()));
        }
    }
    if let Some(s) = word_start {
        out.push(Span::new(s, text.len()));
    }
    out
}

/// Unicode `\w` (UTS #18): Alphabetic, Mark, Decimal_Number,
/// Connector_Punctuation, Join_Control.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    c.is_alphabetic()
        || (c.is_numeric() && !is_other_number(c))
        || is_mark(c)
        || matches!(
            c,
            '\u{200C}'
                | '\u{200D}'
                | '\u{203F}'
                | '\u{2040}'
                | '\u{2054}'
                | '\u{FE33}'
                | '\u{FE34}'
                | '\u{FE4D}'..='\u{FE4F}' | '\u{FF3F}'
        )
}

/// Numeric characters that are not decimal digits (`No`): superscripts,
/// fractions, circled numbers. Covers the common ones.
fn is_other_number(c: char) -> bool {
    matches!(c,
        '\u{00B2}' | '\u{00B3}' | '\u{00B9}' | '\u{00BC}'..='\u{00BE}'
        | '\u{2070}'..='\u{2089}' | '\u{2150}'..='\u{215F}' | '\u{2189}'
        | '\u{2460}'..='\u{249B}' | '\u{24EA}'..='\u{24FF}' | '\u{2776}'..='\u{2793}')
}

/// Combining marks that are not Alphabetic (common blocks).
fn is_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}' | '\u{0483}'..='\u{0489}' | '\u{0591}'..='\u{05BD}'
        | '\u{05BF}' | '\u{05C1}' | '\u{05C2}' | '\u{05C4}' | '\u{05C5}' | '\u{05C7}'
        | '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}'
        | '\u{06D6}'..='\u{06DC}' | '\u{06DF}'..='\u{06E4}' | '\u{06E7}' | '\u{06E8}'
        | '\u{06EA}'..='\u{06ED}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}' | '\u{FE00}'..='\u{FE0F}' | '\u{FE20}'..='\u{FE2F}'
        | '\u{E0100}'..='\u{E01EF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(t: &str) -> Vec<&str> {
        tokenize(t).into_iter().map(|s| s.text(t)).collect()
    }

    #[test]
    fn words_and_punctuation() {
        assert_eq!(
            toks("“Hi,” Zoë’s  aide_2 said..."),
            ["“", "Hi", ",", "”", "Zoë", "’", "s", "aide_2", "said", ".", ".", "."]
        );
        assert_eq!(toks(""), Vec::<&str>::new());
        assert_eq!(toks("  \n"), Vec::<&str>::new());
        assert_eq!(toks("3½ café\u{0301}x"), ["3", "½", "café\u{0301}x"]);
        assert_eq!(
            toks("$1,000—or 😀"),
            ["$", "1", ",", "000", "—", "or", "😀"]
        );
    }
}
