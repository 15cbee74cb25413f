//! Stance: the speaker's position toward what a statement is about
//! (docs/stance.md): affirms, hopes, doubts, denies or neutral.
//!
//! Rules over the words of the cue and the content, with negation scope:
//! a hope or appeal wins; explicit denials next; then hedges and
//! questions; then the balance of "holds" words (remain, stand by,
//! respect) against "fails" words (abandon, ruin, collapse), each flipped
//! by a negation just before it ("cannot be ruined" affirms). These rules
//! decide unless a trained classifier is built in
//! ([`crate::stance_model`]); the accuracy of both on the hand-labelled set
//! is in docs/stance.md, measured by `onrecord eval stance`.

use onrecord_core::{Attribution, Stance};
use onrecord_text::{TextLayer, TokenKind};

const HOPE: &[&str] = &[
    "hope",
    "hopes",
    "hoped",
    "hopeful",
    "hoping",
    "expect",
    "expects",
    "expected",
    "expecting",
    "expectation",
    "expectations",
    "wish",
    "wishes",
    "wished",
    "trust",
    "urge",
    "urges",
    "urged",
    "urging",
    "appeal",
    "appealed",
    "appeals",
    "demand",
    "demanded",
    "demands",
    "should",
    "ought",
    "must",
    "calls",
    "called",
    "needs",
    "need",
    "let's",
    "want",
    "wants",
    "wanted",
    "pray",
    "confident",
    "optimistic",
    "look",
    "forward",
];
const DOUBT: &[&str] = &[
    "question",
    "questions",
    "questioned",
    "questionable",
    "doubt",
    "doubts",
    "doubted",
    "doubtful",
    "uncertain",
    "uncertainty",
    "unclear",
    "skeptical",
    "sceptical",
    "concern",
    "concerns",
    "concerned",
    "worry",
    "worried",
    "worries",
    "alleging",
    "alleged",
    "allegedly",
    "alleges",
    "may",
    "might",
    "perhaps",
    "possibly",
    "maybe",
    "whether",
    "surprise",
    "suspicious",
    "wonder",
    "unsure",
    "unconvinced",
    "claims",
    "claimed",
    "risk",
    "could",
    "probably",
    "unlikely",
];
const DENY: &[&str] = &[
    "deny",
    "denied",
    "denies",
    "denying",
    "false",
    "untrue",
    "lie",
    "lies",
    "nonsense",
    "ridiculous",
    "baseless",
    "fake",
    "reject",
    "rejected",
    "rejects",
    "refuse",
    "refused",
    "refuses",
    "oppose",
    "opposed",
    "opposes",
    "wrong",
    "disagree",
    "absurd",
    "outrageous",
    "unacceptable",
    "mistake",
    "mistaken",
    "disgrace",
    "disgraceful",
    "terrible",
    "bad",
    "worst",
    "failed",
    "dangerous",
];
/// Things going wrong: negated, they affirm ("has not abandoned").
const FAILS: &[&str] = &[
    "abandon",
    "abandoned",
    "withdraw",
    "withdrawn",
    "withdrew",
    "lost",
    "lose",
    "losing",
    "ruin",
    "ruined",
    "break",
    "broken",
    "broke",
    "violate",
    "violated",
    "collapse",
    "collapsed",
    "fail",
    "fails",
    "dead",
    "end",
    "ended",
    "scrap",
    "scrapped",
    "undermine",
    "undermined",
    "poisoned",
    "fade",
    "destroy",
    "destroyed",
    "over",
    "threat",
    "crisis",
];
/// Things holding: negated, they deny ("no longer in force").
const HOLDS: &[&str] = &[
    "remain",
    "remains",
    "remained",
    "stand",
    "adhere",
    "respect",
    "respected",
    "committed",
    "commitment",
    "honor",
    "honored",
    "honoured",
    "faithful",
    "support",
    "supports",
    "supported",
    "agree",
    "agreed",
    "agrees",
    "excellent",
    "good",
    "great",
    "solid",
    "strong",
    "success",
    "successful",
    "working",
    "reaffirm",
    "reaffirmed",
    "confirm",
    "confirmed",
    "welcome",
    "welcomed",
    "praise",
    "praised",
    "proud",
    "right",
    "true",
    "important",
    "foundation",
    "continue",
    "best",
    "win",
    "will",
    "clear",
    "believe",
    "absolutely",
    "certainly",
    "definitely",
    "sure",
    "know",
    "always",
    "fact",
    "truth",
    "is",
    "are",
];
const NEGATION: &[&str] = &[
    "not",
    "n't",
    "no",
    "never",
    "neither",
    "nor",
    "cannot",
    "without",
    "nobody",
    "nothing",
    "none",
    "longer",
    "don't",
    "doesn't",
    "didn't",
    "won't",
    "isn't",
    "aren't",
    "wasn't",
    "weren't",
    "hasn't",
    "haven't",
    "can't",
    "couldn't",
    "wouldn't",
    "shouldn't",
];

/// Which of the word lists a word is in (one lookup per word, not a scan
/// of every list).
pub(crate) const IN_HOPE: u8 = 1;
pub(crate) const IN_DOUBT: u8 = 2;
pub(crate) const IN_DENY: u8 = 4;
pub(crate) const IN_FAILS: u8 = 8;
pub(crate) const IN_HOLDS: u8 = 16;
pub(crate) const IN_NEGATION: u8 = 32;

pub(crate) fn word_lists(w: &str) -> u8 {
    static MAP: std::sync::OnceLock<std::collections::HashMap<&'static str, u8>> =
        std::sync::OnceLock::new();
    let map = MAP.get_or_init(|| {
        let mut m = std::collections::HashMap::new();
        for (list, bit) in [
            (HOPE, IN_HOPE),
            (DOUBT, IN_DOUBT),
            (DENY, IN_DENY),
            (FAILS, IN_FAILS),
            (HOLDS, IN_HOLDS),
            (NEGATION, IN_NEGATION),
        ] {
            for w in list {
                *m.entry(*w).or_insert(0) |= bit;
            }
        }
        m
    });
    map.get(w).copied().unwrap_or(0)
}

/// The words the stance is read from: the cue's, then the content's
/// (lower case, `’` as `'`, with the punctuation that bounds a negation's
/// scope), and how many of them are the cue's.
pub fn words(text: &str, layer: &TextLayer, a: &Attribution) -> (Vec<String>, usize) {
    let mut words: Vec<String> = Vec::with_capacity(48);
    let mut cue_words = 0;
    for (k, s) in a.cue.iter().chain(a.content.iter()).enumerate() {
        if k == a.cue.len() {
            cue_words = words.len();
        }
        let first = layer.tokens.partition_point(|t| t.span.end <= s.start);
        for t in layer.tokens[first..]
            .iter()
            .take_while(|t| t.span.start < s.end)
        {
            push_word(&mut words, t.kind, t.text(text));
        }
    }
    if a.content.is_empty() {
        cue_words = words.len();
    }
    (words, cue_words)
}

fn push_word(words: &mut Vec<String>, kind: TokenKind, w: &str) {
    if kind == TokenKind::Word {
        words.push(if w.contains('’') {
            w.replace('’', "'").to_lowercase()
        } else {
            w.to_lowercase()
        });
    } else if kind == TokenKind::Punct && matches!(w, "," | ";" | "." | "—" | "?") {
        words.push(w.to_string());
    }
}

/// [`words`] of a cue and a content given as text (a labelled row).
pub fn words_of_text(cue: &str, content: &str) -> (Vec<String>, usize) {
    let mut words = Vec::new();
    let mut cue_words = 0;
    for (k, part) in [cue, content].into_iter().enumerate() {
        if k == 1 {
            cue_words = words.len();
        }
        let span = onrecord_core::Span::new(0, part.len());
        let layer = onrecord_text::analyze(part, &[span]);
        for t in &layer.tokens {
            push_word(&mut words, t.kind, t.text(part));
        }
    }
    (words, cue_words)
}

/// Rules over lower-cased words (punctuation kept as scope breaks).
pub fn classify(words: &[String]) -> Stance {
    classify_with(words, &lists_of(words))
}

/// [`word_lists`] of each word.
pub(crate) fn lists_of(words: &[String]) -> Vec<u8> {
    words.iter().map(|w| word_lists(w)).collect()
}

/// [`classify`] with the words' lists already looked up.
pub(crate) fn classify_with(words: &[String], flags: &[u8]) -> Stance {
    let negated = |i: usize| {
        let from = i.saturating_sub(3);
        words[from..i]
            .iter()
            .zip(&flags[from..i])
            .rev()
            .take_while(|(w, _)| !matches!(w.as_str(), "," | ";" | "." | "—" | "but"))
            .any(|(w, f)| f & IN_NEGATION != 0 || w.ends_with("n't"))
    };
    let (mut hope, mut doubt, mut deny, mut holds, mut fails) = (0f32, 0f32, 0f32, 0f32, 0f32);
    let mut question = false;
    for (i, w) in words.iter().enumerate() {
        let w = w.as_str();
        let f = flags[i];
        let neg = negated(i);
        if w == "?" {
            question = true;
        }
        if f & IN_HOPE != 0 {
            // "call on", "look forward", "need to": only in those uses
            let ok = match w {
                "calls" | "called" => words.get(i + 1).is_some_and(|n| n == "on" || n == "for"),
                "look" => words.get(i + 1).is_some_and(|n| n == "forward"),
                "forward" => false,
                "need" | "needs" => words.get(i + 1).is_some_and(|n| n == "to"),
                _ => true,
            };
            if ok {
                if neg {
                    deny += 1.0;
                } else {
                    hope += 1.0;
                }
            }
        } else if f & IN_DENY != 0 {
            if neg {
                holds += 0.5;
            } else {
                deny += 1.0;
            }
        } else if f & IN_DOUBT != 0 {
            if neg {
                holds += 0.5;
            } else {
                doubt += if matches!(w, "may" | "might" | "could" | "probably") {
                    0.5
                } else {
                    1.0
                };
            }
        } else if f & IN_FAILS != 0 {
            if neg {
                holds += 1.0;
            } else {
                fails += 1.0;
            }
        } else if f & IN_HOLDS != 0 {
            let weak = matches!(w, "is" | "are" | "will");
            if neg {
                if weak {
                    deny += 0.5;
                } else {
                    fails += 1.0;
                }
            } else {
                holds += if weak { 0.25 } else { 1.0 };
            }
        } else if neg && matches!(w, "say" | "said" | "true" | "happen" | "happened") {
            deny += 1.0;
        }
    }
    if hope > 0.0 && hope >= deny {
        Stance::Hopes
    } else if deny >= 1.0 && deny >= doubt {
        Stance::Denies
    } else if doubt >= 1.0 || (question && doubt > 0.0) {
        Stance::Doubts
    } else if holds > fails && holds >= 0.5 {
        Stance::Affirms
    } else if fails > holds {
        Stance::Denies
    } else if holds + fails + doubt + deny == 0.0 && words.len() <= 12 {
        // a short report with no position words
        Stance::Neutral
    } else {
        // news reports statements that assert something: a claim made
        // without hedges, hopes or denials affirms it
        Stance::Affirms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(t: &str) -> Stance {
        let words: Vec<String> = t
            .split_whitespace()
            .flat_map(|w| {
                let w = w.to_lowercase();
                match w.strip_suffix(',') {
                    Some(x) => vec![x.to_string(), ",".to_string()],
                    None => vec![w],
                }
            })
            .collect();
        classify(&words)
    }

    #[test]
    fn seed_statements() {
        assert_eq!(s("these understandings remain in working order — neither the american side nor we have abandoned them"), Stance::Affirms);
        assert_eq!(
            s("we hope president trump remains faithful to the understandings"),
            Stance::Hopes
        );
        assert_eq!(s("raises certain questions"), Stance::Doubts);
        assert_eq!(s("but a spirit cannot be ruined"), Stance::Affirms);
    }

    #[test]
    fn negated_holds_denies() {
        assert_eq!(s("the agreement does not remain in force"), Stance::Denies);
        assert_eq!(s("the deal is dead"), Stance::Denies);
    }

    #[test]
    fn plain_report_is_neutral() {
        assert_eq!(s("the vote takes place on tuesday"), Stance::Neutral);
    }
}
