//! Resolving a source ("he", "the foreign minister", "Ushakov") to the
//! fullest name the document gives that speaker.

use crate::lexicon::{is_person_pronoun, is_title_word, role_synonyms};
use onrecord_core::Span;
use onrecord_text::{TextLayer, TokenKind};

/// A capitalised name in the document, titles stripped ("Sergey Lavrov"),
/// with the words that preceded it ("russian foreign minister").
#[derive(Debug, Clone)]
pub struct NameMention {
    pub tokens: (u32, u32),
    pub span: Span,
    pub name: String,
    /// Lower-cased title/role words just before the name.
    pub role: String,
    /// Where the last word of `name` starts (kept, as resolving every
    /// source compares it with every mention's).
    surname_at: u32,
}

impl NameMention {
    /// The last word of the name.
    pub fn surname(&self) -> &str {
        &self.name[self.surname_at as usize..]
    }

    /// The number of words of the name: one a token.
    pub fn words(&self) -> usize {
        (self.tokens.1 - self.tokens.0) as usize
    }
}

fn is_cap_word(text: &str, layer: &TextLayer, i: usize) -> bool {
    let t = layer.tokens[i];
    if t.kind != TokenKind::Word {
        return false;
    }
    let s = t.text(text);
    s.chars().next().is_some_and(char::is_uppercase) && !s.starts_with('’') && !s.starts_with('\'')
}

const STOP: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "But",
    "And",
    "In",
    "On",
    "At",
    "As",
    "If",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "His",
    "Her",
    "Their",
    "Our",
    "When",
    "While",
    "After",
    "Before",
    "According",
    "Earlier",
    "Later",
    "For",
    "What",
    "Why",
    "How",
    "Who",
    "Now",
    "Then",
    "So",
    "Yet",
    "Both",
    "Neither",
    "Not",
    "No",
    "Some",
    "Many",
    "Most",
    "Meanwhile",
    "However",
    "Also",
    "Photo",
    "Author",
    "Editor",
    "To",
    "Of",
    "By",
];

/// Name mentions: maximal runs of capitalised words (with initials), minus
/// leading title words; sentence-initial function words are not names.
pub fn name_mentions(text: &str, layer: &TextLayer) -> Vec<NameMention> {
    let mut out = Vec::new();
    for p in &layer.paragraphs {
        let (a, b) = (p.tokens.start as usize, p.tokens.end as usize);
        let mut i = a;
        while i < b {
            if !is_cap_word(text, layer, i) {
                i += 1;
                continue;
            }
            let mut j = i;
            while j < b && is_cap_word(text, layer, j) {
                j += 1;
            }
            // strip leading titles and stop words
            let mut k = i;
            while k < j
                && (is_title_word(layer.tokens[k].text(text))
                    || STOP.contains(&layer.tokens[k].text(text)))
            {
                k += 1;
            }
            // a trailing title word is not a name either ("Trump Administration" stays)
            if k < j {
                let span = layer.tokens[k].span.cover(layer.tokens[j - 1].span);
                let mut name = String::new();
                let mut surname_at = 0;
                for t in &layer.tokens[k..j] {
                    if !name.is_empty() {
                        name.push(' ');
                    }
                    surname_at = name.len();
                    name.push_str(t.text(text));
                }
                let mut role = String::new();
                let from = k.saturating_sub(4).max(a);
                for t in &layer.tokens[from..k] {
                    if t.kind == TokenKind::Word {
                        if !role.is_empty() {
                            role.push(' ');
                        }
                        role.push_str(&t.text(text).to_lowercase());
                    }
                }
                out.push(NameMention {
                    tokens: (k as u32, j as u32),
                    span,
                    surname_at: surname_at as u32,
                    name,
                    role,
                });
            }
            i = j;
        }
    }
    out
}

/// How a source was resolved.
#[derive(Debug, Clone)]
pub struct Resolution {
    pub name: String,
    pub span: Option<Span>,
    /// The source names a person or is a pronoun/role for one (vs. an
    /// organisation or a group).
    pub named: bool,
}

/// Resolves the source covering tokens `src` (exclusive end). `earlier`
/// lists speakers already resolved before it in the document, in order.
pub fn resolve(
    text: &str,
    layer: &TextLayer,
    mentions: &[NameMention],
    src: (u32, u32),
    earlier: &[(u32, Resolution)],
) -> Resolution {
    let toks = &layer.tokens[src.0 as usize..src.1 as usize];
    let src_span = toks[0].span.cover(toks[toks.len() - 1].span);
    let src_text = src_span.text(text);
    // 1. the source contains a name: use the fullest mention with that surname
    if let Some(m) = mentions
        .iter()
        .rev()
        .find(|m| m.tokens.0 >= src.0 && m.tokens.1 <= src.1)
    {
        let surname = m.surname();
        let parts: Vec<&str> = m.name.split(' ').collect();
        let fullest = mentions
            .iter()
            .filter(|o| {
                o.surname() == surname && parts.iter().all(|p| o.name.split(' ').any(|q| q == *p))
            })
            .max_by_key(|o| (o.words(), std::cmp::Reverse(o.tokens.0)));
        let best = fullest.unwrap_or(m);
        // a one-word name ("Moscow", "TASS") is not known to be a person
        let named = best.name.contains(' ');
        return Resolution {
            name: best.name.clone(),
            span: Some(best.span),
            named,
        };
    }
    let lower = src_text.to_lowercase();
    let last_word = lower
        .rsplit(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("");
    // 2a. a relative pronoun ("Kaine, who said …", "the agency, which
    // said …", "a letter that says …"): the phrase it follows
    if matches!(lower.as_str(), "who" | "which" | "that" | "whom") {
        if let Some(r) = antecedent(text, layer, mentions, src.0 as usize) {
            return r;
        }
    }
    // 2. a pronoun: the most recent named speaker, else the most recent name
    if is_person_pronoun(&lower) {
        if let Some((_, r)) = earlier.iter().rev().find(|(at, r)| r.named && *at <= src.0) {
            return r.clone();
        }
        if let Some(m) = mentions
            .iter()
            .rev()
            .find(|m| m.tokens.1 <= src.0 && m.name.contains(' '))
        {
            return Resolution {
                name: m.name.clone(),
                span: Some(m.span),
                named: true,
            };
        }
        return Resolution {
            name: src_text.to_string(),
            span: None,
            named: false,
        };
    }
    // 3. a role ("the foreign minister", "the top diplomat"): a name titled with it
    let syn = role_synonyms(last_word);
    if !syn.is_empty() {
        let titled = |m: &&NameMention| syn.iter().any(|s| m.role.contains(s));
        let before = mentions
            .iter()
            .rev()
            .filter(|m| m.tokens.1 <= src.0)
            .find(titled);
        let pick = before.or_else(|| mentions.iter().find(titled));
        if let Some(m) = pick {
            let full = mentions
                .iter()
                .filter(|o| o.surname() == m.surname())
                .max_by_key(|o| o.words())
                .unwrap_or(m);
            return Resolution {
                name: full.name.clone(),
                span: Some(full.span),
                named: true,
            };
        }
        if let Some((_, r)) = earlier.iter().rev().find(|(at, r)| r.named && *at <= src.0) {
            return r.clone();
        }
    }
    // 4. anything else stays as written, without its determiner
    let name = src_text
        .strip_prefix("the ")
        .or_else(|| src_text.strip_prefix("The "))
        .unwrap_or(src_text)
        .to_string();
    Resolution {
        name,
        span: None,
        named: false,
    }
}

/// Words that end a noun phrase looking back from a relative pronoun: a
/// determiner (kept out of the name), or a word that is not part of one.
const PHRASE_STOP: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "his", "her", "their", "its", "our", "and",
    "or", "but", "of", "in", "on", "at", "to", "for", "with", "by", "from", "as", "is", "was",
    "are", "were", "be", "said", "says", "told",
];

fn is_time_word(w: &str) -> bool {
    matches!(
        w,
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "morning"
            | "afternoon"
            | "evening"
            | "night"
            | "today"
            | "yesterday"
            | "week"
            | "month"
            | "year"
    )
}

/// The antecedent of the relative pronoun at token `at`: the name that ends
/// just before it (an optional comma between), with the fullest form of
/// that name, else the noun phrase there (up to four words back to its
/// determiner), in the same sentence.
fn antecedent(
    text: &str,
    layer: &TextLayer,
    mentions: &[NameMention],
    at: usize,
) -> Option<Resolution> {
    let mut end = at;
    if end > 0 && layer.tokens[end - 1].text(text) == "," {
        end -= 1;
    }
    if end == 0 || layer.tokens[end - 1].kind != TokenKind::Word {
        return None;
    }
    // the sentence the pronoun is in
    let first = layer
        .sentence_of
        .get(at)
        .and_then(|&k| layer.sentences.get(k as usize))
        .map_or(0, |s| s.tokens.start as usize);
    if end <= first {
        return None;
    }
    if let Some(m) = mentions.iter().find(|m| m.tokens.1 as usize == end) {
        let fullest = mentions
            .iter()
            .filter(|o| o.surname() == m.surname() && o.words() >= m.words())
            .max_by_key(|o| (o.words(), std::cmp::Reverse(o.tokens.0)))
            .unwrap_or(m);
        return Some(Resolution {
            name: fullest.name.clone(),
            span: Some(fullest.span),
            named: fullest.name.contains(' '),
        });
    }
    let mut start = end;
    while start > first && end - start < 4 {
        let t = layer.tokens[start - 1];
        let w = t.text(text).to_lowercase();
        if t.kind != TokenKind::Word || PHRASE_STOP.contains(&w.as_str()) {
            break;
        }
        start -= 1;
    }
    // "weighs 236 pounds, which …": a quantity, not a source
    if start == end || (start > first && layer.tokens[start - 1].kind == TokenKind::Number) {
        return None;
    }
    // "a doctor Friday afternoon who …": the phrase, not the time after it
    while end > start && is_time_word(&layer.tokens[end - 1].text(text).to_lowercase()) {
        end -= 1;
    }
    if start == end {
        return None;
    }
    let span = layer.tokens[start].span.cover(layer.tokens[end - 1].span);
    Some(Resolution {
        name: span.text(text).to_string(),
        span: None,
        named: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use onrecord_core::Span;

    fn find(text: &str, layer: &TextLayer, needle: &str, from: usize) -> (u32, u32) {
        let at = text[from..].find(needle).unwrap() + from;
        let a = layer
            .tokens
            .iter()
            .position(|t| t.span.start as usize == at)
            .unwrap();
        let b = layer
            .tokens
            .iter()
            .position(|t| t.span.end as usize == at + needle.len())
            .unwrap();
        (a as u32, b as u32 + 1)
    }

    #[test]
    fn pronoun_skips_places_for_the_last_person() {
        let text = "Kremlin aide Yuri Ushakov said so. Moscow will proceed, it said. \"Our position is clear,\" he said.";
        let layer = onrecord_text::analyze(text, &[Span::new(0, text.len())]);
        let m = name_mentions(text, &layer);
        let mut earlier = Vec::new();
        let ush = find(text, &layer, "Kremlin aide Yuri Ushakov", 0);
        earlier.push((ush.0, resolve(text, &layer, &m, ush, &earlier)));
        let mos = find(text, &layer, "Moscow", 0);
        earlier.push((mos.0, resolve(text, &layer, &m, mos, &earlier)));
        let he = find(text, &layer, "he", 60);
        let r = resolve(text, &layer, &m, he, &earlier);
        assert_eq!(r.name, "Yuri Ushakov");
    }

    #[test]
    fn a_relative_pronoun_is_resolved_to_what_it_follows() {
        let text = "Sen. Tim Kaine spoke first. Kaine, who voted against the bill, said more. \
                    The agency, which issued a report, disagreed. He cited a letter that says otherwise.";
        let layer = onrecord_text::analyze(text, &[Span::new(0, text.len())]);
        let m = name_mentions(text, &layer);
        let who = find(text, &layer, "who", 0);
        assert_eq!(resolve(text, &layer, &m, who, &[]).name, "Tim Kaine");
        let which = find(text, &layer, "which", 0);
        assert_eq!(resolve(text, &layer, &m, which, &[]).name, "agency");
        let that = find(text, &layer, "that", 0);
        assert_eq!(resolve(text, &layer, &m, that, &[]).name, "letter");
        // a quantity is not a source; a time after the phrase is left out
        let text = "He weighs 236 pounds, which classifies him as overweight. \
                    She called a doctor Friday afternoon who said it was fine.";
        let layer = onrecord_text::analyze(text, &[Span::new(0, text.len())]);
        let m = name_mentions(text, &layer);
        let which = find(text, &layer, "which", 0);
        assert_eq!(resolve(text, &layer, &m, which, &[]).name, "which");
        let who = find(text, &layer, "who", 0);
        assert_eq!(resolve(text, &layer, &m, who, &[]).name, "doctor");
        // nothing before it in the sentence: stays as written
        let text = "Who said that? Nobody knows.";
        let layer = onrecord_text::analyze(text, &[Span::new(0, text.len())]);
        let m = name_mentions(text, &layer);
        let who = find(text, &layer, "Who", 0);
        assert_eq!(resolve(text, &layer, &m, who, &[]).name, "Who");
    }

    #[test]
    fn roles_and_surnames_resolve_to_the_full_name() {
        let text = "Foreign Minister Sergey Lavrov spoke. Lavrov added more. The top diplomat pointed out it. The foreign minister said so.";
        let layer = onrecord_text::analyze(text, &[Span::new(0, text.len())]);
        let m = name_mentions(text, &layer);
        for (needle, from) in [
            ("Lavrov", 30),
            ("The top diplomat", 0),
            ("The foreign minister", 0),
        ] {
            let r = resolve(text, &layer, &m, find(text, &layer, needle, from), &[]);
            assert_eq!(r.name, "Sergey Lavrov", "{needle}");
        }
    }
}
