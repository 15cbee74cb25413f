//! What a statement is about: its key terms.
//!
//! A statement's subject is the content words of what was said (stemmed,
//! weighted by inverse document frequency), the places, organisations and
//! other named things it names (`@` + entity id, weighted double), and the
//! named things the article ties to its words elsewhere: "the framework"
//! in one paragraph gets `@anchorage` from "the Anchorage framework" in
//! another. That last step is what lets "we stand by the framework reached
//! by the presidents" join statements that name the summit.

use crate::idf::Idf;
use onrecord_core::{Attribution, EntityKind, Extraction, Span, Term};
use onrecord_text::{TextLayer, TokenKind};
use std::collections::HashMap;

/// How many terms a statement keeps.
pub const MAX_TERMS: usize = 24;
/// Tokens either side of a named thing that tie a word to it.
const WINDOW: usize = 4;

/// Function words, reporting verbs and words too common in news to say
/// what a statement is about.
const STOP: &[&str] = &[
    "a",
    "about",
    "above",
    "according",
    "added",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "aren't",
    "as",
    "asked",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "can't",
    "cannot",
    "certain",
    "could",
    "couldn't",
    "day",
    "did",
    "didn't",
    "do",
    "does",
    "doesn't",
    "doing",
    "don't",
    "down",
    "during",
    "each",
    "even",
    "ever",
    "every",
    "few",
    "for",
    "from",
    "further",
    "get",
    "gets",
    "go",
    "going",
    "got",
    "had",
    "hadn't",
    "has",
    "hasn't",
    "have",
    "haven't",
    "having",
    "he",
    "he's",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "i'm",
    "if",
    "in",
    "into",
    "is",
    "isn't",
    "it",
    "it's",
    "its",
    "itself",
    "just",
    "know",
    "let",
    "like",
    "lot",
    "made",
    "make",
    "many",
    "may",
    "me",
    "might",
    "more",
    "most",
    "mr",
    "mrs",
    "ms",
    "much",
    "must",
    "my",
    "myself",
    "never",
    "new",
    "no",
    "nor",
    "not",
    "noted",
    "now",
    "of",
    "off",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "people",
    "really",
    "said",
    "same",
    "say",
    "saying",
    "says",
    "see",
    "she",
    "she's",
    "should",
    "so",
    "some",
    "stated",
    "still",
    "such",
    "than",
    "that",
    "that's",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "there's",
    "these",
    "they",
    "they're",
    "thing",
    "things",
    "think",
    "this",
    "those",
    "though",
    "three",
    "through",
    "time",
    "to",
    "today",
    "told",
    "tonight",
    "too",
    "truly",
    "two",
    "under",
    "until",
    "up",
    "us",
    "very",
    "want",
    "was",
    "wasn't",
    "way",
    "we",
    "we're",
    "we've",
    "week",
    "well",
    "were",
    "weren't",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "won't",
    "would",
    "wouldn't",
    "year",
    "years",
    "yes",
    "yesterday",
    "yet",
    "you",
    "you're",
    "your",
    "yours",
];

/// Slots of [`is_stop`]'s table: a power of two, more than four times the
/// stop words, so that a look-up is a hash and a compare or two.
const STOP_SLOTS: usize = 1024;

fn is_stop(w: &str) -> bool {
    static TABLE: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = vec![""; STOP_SLOTS];
        for &s in STOP {
            let mut j = crate::idf::bucket(s) & (STOP_SLOTS - 1);
            while !t[j].is_empty() {
                j = (j + 1) & (STOP_SLOTS - 1);
            }
            t[j] = s;
        }
        t
    });
    if w.is_empty() {
        return false;
    }
    let mut j = crate::idf::bucket(w) & (STOP_SLOTS - 1);
    loop {
        match table[j] {
            "" => return false,
            s if s == w => return true,
            _ => j = (j + 1) & (STOP_SLOTS - 1),
        }
    }
}

/// Lower case, possessive and plural endings removed: "understandings" →
/// "understanding", "Trump's" → "trump", "policies" → "policy".
pub fn stem(word: &str) -> String {
    let mut w = String::with_capacity(word.len());
    stem_into(word, &mut w);
    w
}

/// [`stem`] into `w` (cleared first), so that a caller stemming many
/// words reuses one buffer.
pub fn stem_into(word: &str, w: &mut String) {
    w.clear();
    if word.is_ascii() {
        w.push_str(word);
        w.make_ascii_lowercase();
    } else {
        w.extend(
            word.chars()
                .map(|c| if c == '’' { '\'' } else { c })
                .flat_map(char::to_lowercase),
        );
    }
    if let Some(p) = w.strip_suffix("'s") {
        w.truncate(p.len());
    } else if w.ends_with('\'') {
        w.pop();
    }
    if w.len() > 4 && w.ends_with("ies") {
        w.truncate(w.len() - 3);
        w.push('y');
    } else if w.len() > 4 && (w.ends_with("sses") || w.ends_with("xes") || w.ends_with("ches")) {
        w.truncate(w.len() - 2);
    } else if w.len() > 3
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
    {
        w.pop();
    }
}

/// Per-document context: which named things each word is tied to.
pub struct DocContext {
    /// stem → (entity id, entity name), nearest first, deduplicated.
    tied: HashMap<String, Vec<(usize, u32)>>,
    /// (span, entity index) of every named-thing mention, in text order.
    anchors: Vec<(Span, usize)>,
}

fn is_anchor_kind(k: EntityKind) -> bool {
    matches!(k, EntityKind::Loc | EntityKind::Misc | EntityKind::Org)
}

impl DocContext {
    /// `skip`: a region whose names say nothing about subjects (the
    /// dateline's place and agency).
    pub fn new(text: &str, layer: &TextLayer, ex: &Extraction, skip: Option<Span>) -> DocContext {
        let mut anchors: Vec<(Span, usize)> = ex
            .entities
            .iter()
            .enumerate()
            .filter(|(_, e)| is_anchor_kind(e.kind))
            .flat_map(|(k, e)| e.mentions.iter().map(move |&m| (m, k)))
            .collect();
        if let Some(skip) = skip {
            anchors.retain(|(m, _)| !m.overlaps(skip));
        }
        anchors.sort_by_key(|&(m, k)| (m.start, k));
        let mut tied: HashMap<String, Vec<(usize, u32)>> = HashMap::new();
        let toks = &layer.tokens;
        let mut w = String::new();
        for &(m, k) in &anchors {
            // the tokens of the mention, then WINDOW either side, in the sentence
            let first = toks.partition_point(|t| t.span.end <= m.start);
            if first == toks.len() {
                continue;
            }
            let sent = layer.sentence_of.get(first).copied();
            let last = toks[first..]
                .iter()
                .position(|t| t.span.start >= m.end)
                .map_or(toks.len(), |p| first + p);
            let lo = first.saturating_sub(WINDOW);
            let hi = (last + WINDOW).min(toks.len());
            for (i, t) in toks.iter().enumerate().take(hi).skip(lo) {
                if (first..last).contains(&i)
                    || t.kind != TokenKind::Word
                    || layer.sentence_of.get(i).copied() != sent
                {
                    continue;
                }
                stem_into(t.text(text), &mut w);
                if w.len() < 3 || is_stop(&w) {
                    continue;
                }
                let d = if i < first { first - i } else { i + 1 - last } as u32;
                let v = match tied.get_mut(w.as_str()) {
                    Some(v) => v,
                    None => tied.entry(w.clone()).or_default(),
                };
                match v.iter_mut().find(|(e, _)| *e == k) {
                    Some(x) => x.1 = x.1.min(d),
                    None => v.push((k, d)),
                }
            }
        }
        DocContext { tied, anchors }
    }
}

fn add(terms: &mut Vec<Term>, key: &str, text: &str, weight: f32) {
    match terms.iter_mut().find(|t| t.key == key) {
        Some(t) => t.weight += weight,
        None => terms.push(Term {
            key: key.to_string(),
            text: text.to_string(),
            weight,
        }),
    }
}

/// The key terms of one statement, strongest first, at most
/// [`MAX_TERMS`], weights summing to squares of 1 (unit length).
pub fn subject(
    text: &str,
    layer: &TextLayer,
    ex: &Extraction,
    a: &Attribution,
    ctx: &DocContext,
    idf: &Idf,
) -> Vec<Term> {
    let mut terms: Vec<Term> = Vec::new();
    let speaker = a.speaker.as_ref().and_then(|s| s.entity.as_deref());
    let inside = |s: Span| {
        a.content
            .iter()
            .any(|c| c.start <= s.start && s.end <= c.end)
    };
    // named things in the content (not the speaker)
    let mut named: Vec<Span> = Vec::new();
    for &(m, k) in &ctx.anchors {
        if inside(m) {
            let e = &ex.entities[k];
            named.push(m);
            let w = idf.of(&stem(e.name.rsplit(' ').next().unwrap_or(&e.name)));
            add(&mut terms, &format!("@{}", e.id), &e.name, w);
        }
    }
    for e in &ex.entities {
        if e.kind == EntityKind::Person && Some(e.id.as_str()) != speaker {
            if let Some(&m) = e.mentions.iter().find(|&&m| inside(m)) {
                named.push(m);
                let w = idf.of(&stem(e.name.rsplit(' ').next().unwrap_or(&e.name)));
                add(&mut terms, &format!("@{}", e.id), &e.name, w);
            }
        }
    }
    let mut tied: Vec<(usize, f32)> = Vec::new();
    let mut w = String::new();
    for c in &a.content {
        let first = layer.tokens.partition_point(|t| t.span.end <= c.start);
        for t in layer.tokens[first..]
            .iter()
            .take_while(|t| t.span.start < c.end)
        {
            if t.kind != TokenKind::Word || named.iter().any(|m| m.overlaps(t.span)) {
                continue;
            }
            let raw = t.text(text);
            stem_into(raw, &mut w);
            if w.len() < 3 || is_stop(&w) {
                continue;
            }
            if let Some(v) = ctx.tied.get(w.as_str()) {
                for &(k, d) in v {
                    if d <= WINDOW as u32 {
                        tied.push((k, 1.0 / d as f32));
                    }
                }
            }
            let weight = idf.of(&w);
            add(&mut terms, &w, raw, weight);
        }
    }
    // named things tied to the statement's words elsewhere in the article
    tied.sort_by_key(|&(k, _)| k);
    let mut i = 0;
    while i < tied.len() {
        let k = tied[i].0;
        let mut closeness = 0.0;
        while i < tied.len() && tied[i].0 == k {
            closeness += tied[i].1;
            i += 1;
        }
        let e = &ex.entities[k];
        let key = format!("@{}", e.id);
        if terms.iter().any(|t| t.key == key) {
            continue;
        }
        let w = idf.of(&stem(e.name.rsplit(' ').next().unwrap_or(&e.name)));
        add(
            &mut terms,
            &key,
            &e.name,
            0.5 * w * f32::min(closeness, 2.0),
        );
    }
    terms.sort_by(|a, b| {
        b.weight
            .total_cmp(&a.weight)
            .then_with(|| a.key.cmp(&b.key))
    });
    terms.truncate(MAX_TERMS);
    let norm = terms
        .iter()
        .map(|t| t.weight * t.weight)
        .sum::<f32>()
        .sqrt();
    if norm > 0.0 {
        for t in &mut terms {
            t.weight /= norm;
        }
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_table_finds_the_stop_words_only() {
        let mut s = STOP.to_vec();
        s.sort_unstable();
        s.dedup();
        assert_eq!(s.len(), STOP.len(), "duplicates in STOP");
        assert!(STOP.len() * 4 < STOP_SLOTS, "the stop table is too full");
        for w in STOP {
            assert!(is_stop(w), "{w} not found in the stop table");
        }
        for w in ["", "summit", "framework", "abouts", "th", "yours!"] {
            assert!(!is_stop(w), "{w:?} is not a stop word");
        }
    }

    #[test]
    fn stems() {
        assert_eq!(stem("understandings"), "understanding");
        assert_eq!(stem("Trump’s"), "trump");
        assert_eq!(stem("policies"), "policy");
        assert_eq!(stem("accords"), "accord");
        assert_eq!(stem("process"), "process");
        assert_eq!(stem("bus"), "bus");
        // one buffer for many words: nothing of the last word is left
        let mut w = String::new();
        stem_into("Negotiations", &mut w);
        stem_into("É", &mut w);
        assert_eq!(w, "é");
    }
}
