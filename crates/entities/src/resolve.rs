//! Within one document: entity mentions grouped into entities, with roles,
//! descriptions ("the top diplomat") and speakers linked to them.
//!
//! Full names (two or more words) found by the tagger make the persons; a
//! bare surname joins the person with that surname mentioned most recently
//! before it (or, failing that, the next one after); a description joins
//! the most recent person whose role fits it. Organisations, places and
//! other names are grouped by their key (see [`crate::identity`]).

use crate::identity::{self, fold};
use crate::roles;
use onrecord_core::{Entity, EntityKind, EntityRole, Span};
use onrecord_text::{TextLayer, TokenKind};
use std::ops::Range;

/// One tagged name in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub tokens: Range<usize>,
    pub span: Span,
    pub kind: EntityKind,
}

/// Title abbreviations that precede a name ("Mr. Trump").
const HONORIFICS: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "sen",
    "rep",
    "gov",
    "gen",
    "lt",
    "col",
    "capt",
    "adm",
    "sgt",
    "prof",
    "rev",
    "sir",
    "dame",
    "lord",
    "lady",
    "president",
    "pres",
];

fn is_word(layer: &TextLayer, i: usize) -> bool {
    matches!(layer.tokens[i].kind, TokenKind::Word | TokenKind::Number)
}

fn is_possessive(w: &str) -> bool {
    matches!(w, "’s" | "'s" | "’" | "'" | "s")
}

/// A title abbreviation ("Mr.", "Sen"), in any case, with or without its dot.
fn is_honorific(w: &str) -> bool {
    let w = w.trim_end_matches('.');
    HONORIFICS.iter().any(|h| lower_is(w, h))
}

/// Whether `w` in lower case is `lower` (an ASCII lower-case word).
fn lower_is(w: &str, lower: &str) -> bool {
    if w.is_ascii() {
        w.eq_ignore_ascii_case(lower)
    } else {
        w.to_lowercase() == lower
    }
}

/// Mentions from BILOU labels over the document's tokens. A person mention
/// that starts with a title ("President Trump", "Kremlin aide Yuri
/// Ushakov") is cut after the title; the title becomes a role.
pub fn mentions(text: &str, layer: &TextLayer, labels: &[u8]) -> Vec<Mention> {
    let mut out = Vec::new();
    for (a, b, kind) in crate::labels::spans(labels) {
        // trim punctuation at the edges
        let (mut a, mut b) = (a, b);
        while a < b && !is_word(layer, a) {
            a += 1;
        }
        while b > a && (!is_word(layer, b - 1) || is_possessive(layer.tokens[b - 1].text(text))) {
            b -= 1;
        }
        if a == b {
            continue;
        }
        // "Mr. Obama", "Sen. Kaine": an honorific before a capitalised name
        // says person where the tagger said place or organisation (the
        // NYT's "Mr." style was tagged a place, splitting a speaker from his
        // own name); a MISC stays ("The Marvelous Mrs. Maisel" is a show)
        let kind = if matches!(kind, EntityKind::Loc | EntityKind::Org)
            && b - a >= 2
            && is_honorific(layer.tokens[a].text(text))
            && layer.tokens[a + 1]
                .text(text)
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
        {
            EntityKind::Person
        } else {
            kind
        };
        if kind == EntityKind::Person {
            if let Some(k) = (a..b - 1).rev().find(|&k| {
                let w = layer.tokens[k].text(text);
                roles::head(w).is_some() || is_honorific(w)
            }) {
                a = k + 1;
            }
        }
        out.push(Mention {
            tokens: a..b,
            span: layer.tokens[a].span.cover(layer.tokens[b - 1].span),
            kind,
        });
    }
    out
}

/// The words of a mention joined by single spaces, brackets dropped
/// ("[Vladimir] Zelensky" → "Vladimir Zelensky").
fn surface(text: &str, layer: &TextLayer, r: &Range<usize>) -> String {
    let mut s = String::new();
    for t in &layer.tokens[r.clone()] {
        let w = t.text(text);
        if matches!(w, "[" | "]" | "(" | ")") {
            continue;
        }
        if !s.is_empty()
            && (t.space_before || s.ends_with(']'))
            && !w.starts_with('’')
            && !w.starts_with('\'')
        {
            s.push(' ');
        }
        s.push_str(w);
    }
    if s.contains("  ") {
        s.replace("  ", " ")
    } else {
        s
    }
}

/// Role phrases around a mention: before it ("Kremlin aide", "Foreign
/// Minister", "US leader") and as an appositive after it (", the Kremlin
/// spokesman,"). Returns (title, span).
fn roles_of(
    text: &str,
    layer: &TextLayer,
    m: &Mention,
    para: &Range<usize>,
) -> Vec<(String, Span)> {
    let mut out = Vec::new();
    let tok = |i: usize| layer.tokens[i].text(text);
    // before: the token just before must be a role head (or a capitalised
    // title inside the tagged span that `mentions` cut off)
    let start = m.tokens.start;
    if start > para.start {
        let h = start - 1;
        if roles::head(tok(h)).is_some() {
            let mut k = h;
            while k > para.start
                && k + 4 > h
                && roles::is_modifier(tok(k - 1))
                && is_word(layer, k - 1)
            {
                // a name of another person is not a modifier ("Trump’s special envoy": stop at ’s)
                k -= 1;
            }
            // skip a leading possessive or determiner if one slipped in
            while k < h
                && ["the", "a", "an", "his", "her"]
                    .iter()
                    .any(|x| lower_is(tok(k), x))
            {
                k += 1;
            }
            let span = layer.tokens[k].span.cover(layer.tokens[h].span);
            let mut title = surface(text, layer, &(k..h + 1));
            if roles::is_plural_head(tok(h)) {
                // "Presidents Vladimir Putin and Donald Trump": one president each
                if let Some(hd) = roles::head(tok(h)) {
                    let cut = title.len() - tok(h).len();
                    let mut t = title[..cut].to_string();
                    let mut sing = hd.to_string();
                    if tok(h).chars().next().is_some_and(char::is_uppercase) {
                        sing[..1].make_ascii_uppercase();
                    }
                    t.push_str(&sing);
                    title = t;
                }
            }
            out.push((title, span));
        }
    }
    // after: ", the Kremlin spokesman," / ", Russia's foreign minister."
    let e = m.tokens.end;
    if e + 2 < para.end && tok(e) == "," {
        let mut k = e + 1;
        if ["the", "a", "an"].iter().any(|x| lower_is(tok(k), x)) {
            k += 1;
        }
        let first = k;
        while k < para.end && k < first + 5 && is_word(layer, k) && roles::head(tok(k)).is_none() {
            k += 1;
        }
        if k < para.end && roles::head(tok(k)).is_some() && !roles::is_plural_head(tok(k)) {
            let end_ok =
                k + 1 >= para.end || matches!(tok(k + 1), "," | "." | ";" | "said" | "told");
            if end_ok && k > first || (end_ok && k == first) {
                let span = layer.tokens[first].span.cover(layer.tokens[k].span);
                out.push((surface(text, layer, &(first..k + 1)), span));
            }
        }
    }
    out
}

/// Seats of government that news uses for the government itself ("the
/// Kremlin said"): OnRecord types them ORG, whatever the tagger says
/// (CoNLL-2003 annotates the building, LOC).
const SEATS_OF_GOVERNMENT: &[&str] = &[
    "kremlin",
    "whitehouse",
    "pentagon",
    "downingstreet",
    "elysee",
    "elyseepalace",
    "bluehouse",
    "quaidorsay",
    "bundeskanzleramt",
];

const NOT_A_NAME_START: &[&str] = &[
    "The", "A", "An", "This", "That", "Its", "His", "Her", "Their",
];

/// Adjusts tagged mentions before grouping: an organisation takes in a
/// capitalised untagged word just before it ("State" + "Duma"), and seats
/// of government become organisations.
pub fn adjust(text: &str, layer: &TextLayer, ms: &mut [Mention]) {
    let starts_sentence = |i: usize| {
        layer
            .sentences
            .get(layer.sentence_of[i] as usize)
            .is_some_and(|s| s.tokens.start as usize == i)
    };
    let tagged: Vec<bool> = {
        let mut v = vec![false; layer.tokens.len()];
        for m in ms.iter() {
            for t in m.tokens.clone() {
                v[t] = true;
            }
        }
        v
    };
    for m in ms.iter_mut() {
        if m.kind == EntityKind::Org {
            while m.tokens.start > 0 {
                let k = m.tokens.start - 1;
                let t = layer.tokens[k];
                let w = t.text(text);
                let ok = t.kind == TokenKind::Word
                    && w.chars().next().is_some_and(char::is_uppercase)
                    && !tagged[k]
                    && !starts_sentence(k)
                    && layer.sentence_of[k] == layer.sentence_of[m.tokens.start]
                    && roles::head(w).is_none()
                    && !NOT_A_NAME_START.contains(&w)
                    && !is_honorific(w);
                if !ok {
                    break;
                }
                m.tokens.start = k;
                m.span = t.span.cover(m.span);
            }
        }
        if m.kind == EntityKind::Loc {
            let key = identity::thing_key(&surface(text, layer, &m.tokens));
            if SEATS_OF_GOVERNMENT.contains(&key.trim_start_matches("n:")) {
                m.kind = EntityKind::Org;
            }
        }
    }
}

/// Like [`group`], after [`adjust`]ing the mentions, with extra mentions
/// that lie outside the prose (the dateline's place and outlet): each
/// joins the entity with its key, or becomes one.
pub fn group_with(
    text: &str,
    layer: &TextLayer,
    ms: &mut [Mention],
    extra: &[(String, Span, EntityKind)],
) -> Vec<Entity> {
    adjust(text, layer, ms);
    let mut ents = group(text, layer, ms);
    for (name, span, kind) in extra {
        let key = identity::key(*kind, name);
        match ents.iter_mut().find(|e| e.id == key) {
            Some(e) => {
                e.mentions.insert(0, *span);
                if *name != e.name && !e.aliases.contains(name) {
                    e.aliases.push(name.clone());
                }
            }
            None => {
                // "MOSCOW" in a dateline is the place Moscow
                let nice = if name.chars().all(|c| !c.is_lowercase()) && *kind == EntityKind::Loc {
                    let lower = name.to_lowercase();
                    let mut c = lower.chars();
                    c.next()
                        .map(|f| f.to_uppercase().chain(c).collect())
                        .unwrap_or_default()
                } else {
                    name.clone()
                };
                ents.insert(
                    0,
                    Entity {
                        id: key,
                        name: nice,
                        kind: *kind,
                        aliases: Vec::new(),
                        roles: Vec::new(),
                        mentions: vec![*span],
                        candidates: Vec::new(),
                    },
                );
            }
        }
    }
    ents
}

/// Entities of one document (ids are name keys; a [`crate::identity::Registry`]
/// may later link bare surnames across documents), in order of first mention.
pub fn group(text: &str, layer: &TextLayer, ms: &[Mention]) -> Vec<Entity> {
    let mut ents: Vec<Entity> = Vec::new();
    let mut of = vec![usize::MAX; ms.len()];
    let surfaces: Vec<String> = ms.iter().map(|m| surface(text, layer, &m.tokens)).collect();
    // the number of name parts of each surface
    let nparts: Vec<usize> = surfaces
        .iter()
        .map(|s| identity::count_person_parts(s))
        .collect();
    let parts = |i: usize| nparts[i];
    // entity index by id
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut find_or_add =
        |ents: &mut Vec<Entity>, key: String, kind: EntityKind, name: &str| -> usize {
            if let Some(&k) = index.get(&key) {
                return k;
            }
            index.insert(key.clone(), ents.len());
            ents.push(Entity {
                id: key,
                name: name.to_string(),
                kind,
                aliases: Vec::new(),
                roles: Vec::new(),
                mentions: Vec::new(),
                candidates: Vec::new(),
            });
            ents.len() - 1
        };
    // 1. full-name persons
    for (i, m) in ms.iter().enumerate() {
        if m.kind == EntityKind::Person && parts(i) >= 2 {
            of[i] = find_or_add(
                &mut ents,
                identity::person_key(&surfaces[i]),
                m.kind,
                &surfaces[i],
            );
        }
    }
    // 2. one-word mentions that match a full-name person's surname
    let surnames: Vec<String> = ents
        .iter()
        .map(|e| identity::key_surname(&e.id).to_string())
        .collect();
    // where each person is mentioned so far, sorted
    let mut at: Vec<Vec<u32>> = vec![Vec::new(); ents.len()];
    for (m, &o) in ms.iter().zip(&of) {
        if o != usize::MAX {
            at[o].push(m.span.start);
        }
    }
    at.iter_mut().for_each(|v| v.sort_unstable());
    for (i, m) in ms.iter().enumerate() {
        if of[i] != usize::MAX || parts(i) != 1 || surnames.is_empty() {
            continue;
        }
        let f = fold(&surfaces[i]);
        let cands: Vec<usize> = (0..surnames.len()).filter(|&k| surnames[k] == f).collect();
        if cands.is_empty() {
            continue;
        }
        // most recent before, else the first after
        let pos = m.span.start;
        let last_before = |k: usize| {
            let v = &at[k];
            v[..v.partition_point(|&p| p < pos)].last().copied()
        };
        let best = cands
            .iter()
            .copied()
            .filter_map(|k| last_before(k).map(|p| (p, k)))
            .max()
            .map(|(_, k)| k)
            .unwrap_or(cands[0]);
        of[i] = best;
        let v = &mut at[best];
        v.insert(v.partition_point(|&p| p <= pos), pos);
    }
    // 3. everything else by its key
    for (i, m) in ms.iter().enumerate() {
        if of[i] == usize::MAX {
            of[i] = find_or_add(
                &mut ents,
                identity::key(m.kind, &surfaces[i]),
                m.kind,
                &surfaces[i],
            );
        }
    }
    // the type of a non-person entity is that of most of its mentions
    let mut all_votes = vec![[0usize; 4]; ents.len()];
    for (m, &o) in ms.iter().zip(&of) {
        all_votes[o][EntityKind::ALL
            .iter()
            .position(|&x| x == m.kind)
            .unwrap_or(0)] += 1;
    }
    for (e, votes) in ents.iter_mut().zip(&all_votes) {
        if e.kind == EntityKind::Person {
            continue;
        }
        let best = (0..4).fold(0, |a, x| if votes[x] > votes[a] { x } else { a });
        if votes[best]
            > votes[EntityKind::ALL
                .iter()
                .position(|&x| x == e.kind)
                .unwrap_or(0)]
        {
            e.kind = EntityKind::ALL[best];
        }
    }
    // names, aliases, mentions, roles
    for (i, m) in ms.iter().enumerate() {
        let e = &mut ents[of[i]];
        e.mentions.push(m.span);
        let s = &surfaces[i];
        if e.kind == EntityKind::Person && nparts[i] > identity::count_person_parts(&e.name) {
            let old = std::mem::replace(&mut e.name, s.clone());
            e.aliases.push(old);
        } else if *s != e.name {
            e.aliases.push(s.clone());
        }
        if e.kind == EntityKind::Person {
            let p = layer
                .paragraphs
                .iter()
                .find(|p| p.tokens.contains(&(m.tokens.start as u32)));
            if let Some(p) = p {
                let pr = p.tokens.start as usize..p.tokens.end as usize;
                for (title, span) in roles_of(text, layer, m, &pr) {
                    if !e.roles.iter().any(|r| r.title.eq_ignore_ascii_case(&title)) {
                        e.roles.push(EntityRole { title, span });
                    }
                }
            }
        }
    }
    for e in &mut ents {
        let name = e.name.clone();
        e.aliases.retain(|a| *a != name);
        e.aliases.sort();
        e.aliases.dedup();
    }
    describe(text, layer, ms, &mut ents);
    pronouns(text, layer, &mut ents);
    for e in &mut ents {
        e.mentions.sort();
        e.mentions.dedup();
    }
    // order by first mention (stable: ties keep their order)
    ents.sort_by_key(|e| e.mentions.first().map_or(u32::MAX, |s| s.start));
    ents
}

/// "the foreign minister", "the top diplomat", "the Russian president":
/// adds the description to the mentions of the most recent person whose
/// roles fit it.
fn describe(text: &str, layer: &TextLayer, ms: &[Mention], ents: &mut [Entity]) {
    let toks = &layer.tokens;
    let mut in_mention = vec![false; toks.len()];
    for m in ms {
        for t in m.tokens.clone() {
            in_mention[t] = true;
        }
    }
    // the role titles of each person, lower-cased once
    let titles: Vec<Option<Vec<String>>> = ents
        .iter()
        .map(|e| {
            (e.kind == EntityKind::Person && !e.roles.is_empty())
                .then(|| e.roles.iter().map(|r| r.title.to_lowercase()).collect())
        })
        .collect();
    if titles.iter().all(Option::is_none) {
        return;
    }
    let mut found = Vec::new();
    for i in 0..toks.len() {
        let t = toks[i].text(text);
        if t.len() != 3 || !t.eq_ignore_ascii_case("the") {
            continue;
        }
        let mut k = i + 1;
        let mut mods = Vec::new();
        while k < toks.len()
            && k <= i + 3
            && is_word(layer, k)
            && roles::head(toks[k].text(text)).is_none()
        {
            let w = toks[k].text(text);
            if !roles::is_modifier(w)
                || in_mention[k] && !w.chars().all(|c| c.is_uppercase() || c == '.')
            {
                break;
            }
            mods.push(w.to_lowercase());
            k += 1;
        }
        if k >= toks.len() || layer.sentence_of[k] != layer.sentence_of[i] {
            continue;
        }
        let w = toks[k].text(text);
        let Some(head) = roles::head(w) else { continue };
        // a plural, or a title before a name, is not a description of one person
        if roles::is_plural_head(w) || (k + 1 < toks.len() && in_mention[k + 1]) {
            continue;
        }
        let pos = toks[i].span.start;
        let mut best: Option<(u32, usize)> = None;
        for (n, e) in ents.iter().enumerate() {
            let Some(tt) = &titles[n] else { continue };
            if !roles::description_fits(&mods, head, tt) {
                continue;
            }
            if let Some(last) = e
                .mentions
                .iter()
                .filter(|s| s.start < pos)
                .map(|s| s.start)
                .max()
            {
                if best.map_or(true, |(p, _)| last > p) {
                    best = Some((last, n));
                }
            }
        }
        if let Some((_, n)) = best {
            found.push((n, toks[i].span.cover(toks[k].span)));
        }
    }
    for (n, sp) in found {
        ents[n].mentions.push(sp);
    }
}

/// "he", "his", "she", "her": added to the mentions of a person only when
/// exactly one person is named in the pronoun's sentence (before it) or,
/// failing that, in the sentence before; otherwise it is left alone.
fn pronouns(text: &str, layer: &TextLayer, ents: &mut [Entity]) {
    // (position, entity) of every person name mention, in text order
    let mut people: Vec<(u32, usize)> = ents
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == EntityKind::Person)
        .flat_map(|(k, e)| e.mentions.iter().map(move |m| (m.start, k)))
        .collect();
    if people.is_empty() {
        return;
    }
    people.sort_unstable();
    let sentence_at = |pos: u32| -> usize {
        layer
            .tokens
            .partition_point(|t| t.span.start < pos)
            .min(layer.tokens.len().saturating_sub(1))
    };
    // the sentence of each of them
    let sentence: Vec<usize> = people
        .iter()
        .map(|&(p, _)| layer.sentence_of[sentence_at(p)] as usize)
        .collect();
    let sorted = sentence.windows(2).all(|w| w[0] <= w[1]);
    let mut found = Vec::new();
    for (i, t) in layer.tokens.iter().enumerate() {
        let w = t.text(text);
        if !matches!(
            w,
            "he" | "He" | "him" | "his" | "His" | "she" | "She" | "her" | "Her"
        ) {
            continue;
        }
        let si = layer.sentence_of[i] as usize;
        let before = people.partition_point(|&(p, _)| p < t.span.start);
        let in_sentence = |s: usize| -> Vec<usize> {
            // the mentions of sentence `s` before the pronoun: a run of
            // `sentence` when it is in order (it is: mentions and sentences
            // both follow the text), else wherever they are
            let range = if sorted {
                let upto = &sentence[..before];
                upto.partition_point(|&ps| ps < s)..upto.partition_point(|&ps| ps <= s)
            } else {
                0..before
            };
            let mut v: Vec<usize> = people[range.clone()]
                .iter()
                .zip(&sentence[range])
                .filter(|&(_, &ps)| ps == s)
                .map(|(&(_, k), _)| k)
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let mut who = in_sentence(si);
        if who.is_empty() && si > 0 {
            who = in_sentence(si - 1);
        }
        if let [k] = who.as_slice() {
            found.push((*k, t.span));
        }
    }
    for (k, sp) in found {
        if !ents[k].mentions.contains(&sp) {
            ents[k].mentions.push(sp);
        }
    }
}
