//! Events: the meetings, summits, talks, calls, visits and signings an
//! article reports, with participants (entity ids), places, date, duration
//! and format.
//!
//! [`extract`] works on one document after entities and dates: it finds
//! trigger words sentence by sentence ("met", "summit", "talks", "phone
//! call", "visited", "signed … agreement"), collects what each sentence says
//! about them, and merges the mentions of one event (a mention naming the
//! same people; an anaphoric "the talks" joins the nearest event). The
//! [`Registry`] then gives each event an id that is the same in every
//! document reporting it ("ev:meeting:putin-trump"), in input order.
//!
//! Rules, not a trained model: PolNeAR and CoNLL annotate no events. What is
//! not found is left out; nothing here fails on odd input.

use onrecord_core::{Event, EventKind, EventPlace, Extraction, Participant, Span};
use onrecord_entities::identity::{key_surname, thing_key};
use onrecord_text::{TextLayer, Token, TokenKind};
use std::collections::{HashMap, HashSet};

/// One trigger with what its sentence says.
#[derive(Debug)]
struct Draft {
    kind: EventKind,
    trigger: Span,
    sentence: usize,
    persons: Vec<Participant>,
    sides: Vec<Participant>,
    places: Vec<EventPlace>,
    date: Option<usize>,
    planned: bool,
}

fn lower_is(t: &Token, text: &str, words: &[&str]) -> bool {
    let w = t.text(text);
    words.iter().any(|x| w.eq_ignore_ascii_case(x))
}

fn word(toks: &[Token], i: usize, text: &str) -> String {
    toks.get(i)
        .map(|t| t.text(text).to_ascii_lowercase())
        .unwrap_or_default()
}

const TALKS_BEFORE: &[&str] = &[
    "the",
    "their",
    "his",
    "her",
    "its",
    "of",
    "peace",
    "bilateral",
    "trilateral",
    "direct",
    "high-level",
    "for",
    "in",
    "during",
    "after",
    "before",
    "these",
    "those",
    "held",
    "hold",
    "holding",
    "hour",
    "round",
    "new",
    "fresh",
    "secret",
    "face-to-face",
];
const TALKS_AFTER: &[&str] = &[
    "with", "between", "in", "lasted", "were", "ended", "began", "took", "on",
];
const AGREEMENT_NOUNS: &[&str] = &[
    "agreement",
    "agreements",
    "deal",
    "treaty",
    "accord",
    "accords",
    "memorandum",
    "pact",
    "declaration",
    "contract",
    "bill",
    "law",
];
const PLANNED_BEFORE: &[&str] = &[
    "will",
    "would",
    "'ll",
    "to",
    "plans",
    "planned",
    "scheduled",
    "expected",
    "could",
    "may",
    "might",
    "upcoming",
    "next",
    "possible",
    "proposed",
    "future",
    "potential",
    "another",
    "new",
];
const PLACE_NOUNS: &[&str] = &[
    "base",
    "palace",
    "residence",
    "hotel",
    "airport",
    "headquarters",
    "embassy",
    "compound",
    "resort",
    "estate",
    "house",
    "hall",
    "center",
    "centre",
    "venue",
    "office",
];
const UNITS: &[&str] = &[
    "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks",
];

/// Every word [`trigger`] can accept.
const TRIGGER_WORDS: &[&str] = &[
    "met",
    "meet",
    "meets",
    "meeting",
    "meetings",
    "summit",
    "summits",
    "talks",
    "call",
    "calls",
    "conversation",
    "phoned",
    "telephoned",
    "spoke",
    "talked",
    "visit",
    "visits",
    "visited",
    "visiting",
    "signed",
    "sign",
    "signing",
    "signs",
];

/// False for most words that are not in [`TRIGGER_WORDS`], by length and
/// first letter (true for all that are).
fn could_trigger(w: &str) -> bool {
    (3..=12).contains(&w.len())
        && matches!(
            w.as_bytes()[0].to_ascii_lowercase(),
            b'm' | b's' | b't' | b'c' | b'p' | b'v'
        )
}

/// The trigger at token `i` of a sentence, if any.
fn trigger(toks: &[Token], i: usize, text: &str) -> Option<EventKind> {
    let t = &toks[i];
    if t.kind != TokenKind::Word {
        return None;
    }
    // every token of every document comes here: refuse the others before
    // allocating anything, most by their first letter and length alone
    let w = t.text(text);
    if !could_trigger(w) || !TRIGGER_WORDS.iter().any(|x| w.eq_ignore_ascii_case(x)) {
        return None;
    }
    let w = w.to_ascii_lowercase();
    let prev = if i > 0 {
        word(toks, i - 1, text)
    } else {
        String::new()
    };
    let next = word(toks, i + 1, text);
    match w.as_str() {
        "met" | "meet" | "meets" | "meeting" | "meetings" | "summit" | "summits" => {
            // "meet the press", "meet expectations", "met the deadline"
            if w.starts_with("me") && !w.starts_with("meeting") {
                let obj = next.as_str();
                if matches!(
                    obj,
                    "the"
                        | "expectations"
                        | "demands"
                        | "criteria"
                        | "requirements"
                        | "needs"
                        | "goals"
                ) && !matches!(
                    word(toks, i + 2, text).as_str(),
                    "president"
                        | "leader"
                        | "prime"
                        | "minister"
                        | "chancellor"
                        | "king"
                        | "queen"
                        | "pope"
                        | "secretary"
                ) {
                    return None;
                }
            }
            Some(EventKind::Meeting)
        }
        "talks"
            if TALKS_BEFORE.contains(&prev.as_str()) || TALKS_AFTER.contains(&next.as_str()) =>
        {
            Some(EventKind::Meeting)
        }
        "call" | "calls" | "conversation"
            if matches!(prev.as_str(), "phone" | "telephone" | "video")
                || (w != "conversation"
                    && matches!(prev.as_str(), "a" | "the" | "their")
                    && matches!(next.as_str(), "with" | "between")) =>
        {
            Some(EventKind::Call)
        }
        "phoned" | "telephoned" => Some(EventKind::Call),
        "spoke" | "talked"
            if next == "by" || (next == "on" && word(toks, i + 2, text) == "the") =>
        {
            let n = word(toks, i + if next == "by" { 2 } else { 3 }, text);
            matches!(n.as_str(), "phone" | "telephone" | "video").then_some(EventKind::Call)
        }
        "visit" | "visits" | "visited" | "visiting" => Some(EventKind::Visit),
        "signed" | "sign" | "signing" | "signs" => toks[i + 1..toks.len().min(i + 7)]
            .iter()
            .any(|t| lower_is(t, text, AGREEMENT_NOUNS))
            .then_some(EventKind::Signing),
        _ => None,
    }
}

/// Entity mentions (span, entity index) in text order.
fn mention_index(ex: &Extraction) -> Vec<(Span, usize)> {
    let mut v: Vec<(Span, usize)> = ex
        .entities
        .iter()
        .enumerate()
        .flat_map(|(k, e)| e.mentions.iter().map(move |&m| (m, k)))
        .collect();
    v.sort_by_key(|&(s, k)| (s.start, s.end, k));
    v
}

fn in_span(outer: Span, inner: Span) -> bool {
    inner.start >= outer.start && inner.end <= outer.end
}

/// The token index (within `toks`) that starts at or contains byte `at`.
fn token_at(toks: &[Token], at: u32) -> Option<usize> {
    toks.iter().position(|t| t.span.end > at)
}

fn participant(ex: &Extraction, k: usize, span: Span) -> Participant {
    Participant {
        entity: Some(ex.entities[k].id.clone()),
        name: ex.entities[k].name.clone(),
        delegation: None,
        span,
    }
}

fn push_unique_person(v: &mut Vec<Participant>, p: Participant) {
    if !v.iter().any(|q| q.entity == p.entity) {
        v.push(p);
    }
}

/// Finds the events of one document. Needs `ex.entities` and `ex.dates`.
pub fn extract(text: &str, layer: &TextLayer, ex: &Extraction) -> Vec<Event> {
    let mentions = mention_index(ex);
    let mut drafts: Vec<Draft> = Vec::new();
    for (si, sent) in layer.sentences.iter().enumerate() {
        let toks = layer.sentence_tokens(si);
        for i in 0..toks.len() {
            let Some(kind) = trigger(toks, i, text) else {
                continue;
            };
            let trig = toks[i].span;
            if drafts
                .last()
                .is_some_and(|d| d.sentence == si && d.kind == kind)
            {
                // "met … at the summit": one draft per sentence and kind
                continue;
            }
            drafts.push(draft(
                text, ex, &mentions, si, sent.span, toks, i, kind, trig,
            ));
        }
    }
    let mut events: Vec<Event> = merge(drafts, ex)
        .into_iter()
        .map(|(mut ev, sentences)| {
            details(text, layer, ex, &mentions, &mut ev, sentences);
            ev
        })
        .collect();
    events.retain(|e| !e.participants.is_empty() || !e.places.is_empty());
    for ev in &mut events {
        ev.id = base_id(ev);
    }
    events
}

#[allow(clippy::too_many_arguments)]
fn draft(
    text: &str,
    ex: &Extraction,
    mentions: &[(Span, usize)],
    si: usize,
    sent: Span,
    toks: &[Token],
    i: usize,
    kind: EventKind,
    trig: Span,
) -> Draft {
    // a speaker reporting the event is not a participant
    let speakers: Vec<Span> = ex
        .attributions
        .iter()
        .filter(|a| a.content.iter().any(|c| in_span(*c, trig)))
        .flat_map(|a| a.source.iter().copied())
        .collect();
    let mut persons = Vec::new();
    let mut sides = Vec::new();
    let mut places = Vec::new();
    for &(m, k) in mentions.iter().filter(|(m, _)| in_span(sent, *m)) {
        if speakers.iter().any(|s| s.overlaps(m)) {
            continue;
        }
        let e = &ex.entities[k];
        let ti = token_at(toks, m.start).unwrap_or(0);
        let before = if ti > 0 {
            word(toks, ti - 1, text)
        } else {
            String::new()
        };
        match e.kind {
            onrecord_core::EntityKind::Person => {
                push_unique_person(&mut persons, participant(ex, k, m))
            }
            onrecord_core::EntityKind::Loc
            | onrecord_core::EntityKind::Misc
            | onrecord_core::EntityKind::Org => {
                let name = m.text(text);
                let adjacent = m.end <= trig.start
                    && Span {
                        start: m.end,
                        end: trig.start,
                    }
                    .text(text)
                    .trim()
                    .is_empty();
                if adjacent && name.contains('-') {
                    // "the Russia-US summit": the sides
                    for half in name.split('-').filter(|h| !h.is_empty()) {
                        let id = thing_key(half);
                        if !sides
                            .iter()
                            .any(|p: &Participant| p.entity.as_deref() == Some(&id))
                        {
                            sides.push(Participant {
                                entity: Some(id),
                                name: half.to_string(),
                                delegation: None,
                                span: m,
                            });
                        }
                    }
                } else if e.kind == onrecord_core::EntityKind::Loc
                    && (adjacent
                        || (matches!(before.as_str(), "in" | "at" | "near" | "to")
                            && m.start >= trig.end
                            && ti <= token_at(toks, trig.start).unwrap_or(0) + 8)
                        || (kind == EventKind::Visit
                            && m.start >= trig.end
                            && Span {
                                start: trig.end,
                                end: m.start,
                            }
                            .text(text)
                            .trim()
                            .is_empty()))
                {
                    if !places
                        .iter()
                        .any(|p: &EventPlace| p.entity.as_deref() == Some(&e.id))
                    {
                        places.push(EventPlace {
                            name: e.name.clone(),
                            entity: Some(e.id.clone()),
                            span: m,
                        });
                    }
                } else if kind != EventKind::Visit
                    && (before == "between" || before == "and")
                    && m.start >= trig.end
                    && toks
                        .get(token_at(toks, trig.end).unwrap_or(0)..ti)
                        .unwrap_or(&[])
                        .iter()
                        .rev()
                        .take(6)
                        .any(|t| lower_is(t, text, &["between"]))
                {
                    if matches!(
                        e.kind,
                        onrecord_core::EntityKind::Loc | onrecord_core::EntityKind::Org
                    ) && m.start > trig.end
                        && !sides
                            .iter()
                            .any(|p: &Participant| p.entity.as_deref() == Some(&e.id))
                    {
                        sides.push(Participant {
                            entity: Some(e.id.clone()),
                            name: e.name.clone(),
                            delegation: None,
                            span: m,
                        });
                    }
                }
            }
        }
    }
    // "at a military base", "at the presidential palace"
    for j in 0..toks.len() {
        if !lower_is(&toks[j], text, &["at"]) {
            continue;
        }
        if !lower_is(
            toks.get(j + 1).unwrap_or(&toks[j]),
            text,
            &["a", "the", "an"],
        ) {
            continue;
        }
        for k in j + 2..toks.len().min(j + 6) {
            if toks[k].kind != TokenKind::Word {
                break;
            }
            if lower_is(&toks[k], text, PLACE_NOUNS) {
                let span = Span {
                    start: toks[j + 1].span.start,
                    end: toks[k].span.end,
                };
                places.insert(
                    0,
                    EventPlace {
                        name: span.text(text).to_string(),
                        entity: None,
                        span,
                    },
                );
                break;
            }
        }
    }
    let date = ex
        .dates
        .iter()
        .position(|d| in_span(sent, d.span) && d.granularity != "year");
    let planned = toks[i.saturating_sub(3)..i]
        .iter()
        .any(|t| lower_is(t, text, PLANNED_BEFORE))
        || (i + 1 < toks.len()
            && lower_is(&toks[i], text, &["meet", "visit", "sign", "call"])
            && !toks[i.saturating_sub(2)..i]
                .iter()
                .any(|t| lower_is(t, text, &["did", "didn't"])));
    Draft {
        kind,
        trigger: trig,
        sentence: si,
        persons,
        sides,
        places,
        date,
        planned,
    }
}

fn shares_person(a: &[Participant], b: &[Participant]) -> bool {
    a.iter().any(|p| b.iter().any(|q| q.entity == p.entity))
}

/// Merges the drafts of one document into events, each with the sentences
/// that report it, in order of first mention.
fn merge(drafts: Vec<Draft>, ex: &Extraction) -> Vec<(Event, Vec<usize>)> {
    let mut events: Vec<(Event, Vec<usize>)> = Vec::new(); // event, sentences
    let mut anaphoric: Vec<Draft> = Vec::new();
    for d in drafts {
        if d.persons.is_empty() {
            anaphoric.push(d);
            continue;
        }
        let hit = events.iter().position(|(e, _)| {
            e.kind == d.kind
                && shares_person(&e.participants, &d.persons)
                && e.planned == d.planned
                && match (e.date, d.date) {
                    (Some(a), Some(b)) => ex.dates[a].value == ex.dates[b].value,
                    _ => true,
                }
        });
        match hit {
            Some(k) => absorb(&mut events[k], d),
            None => {
                events.push((empty_event(d.kind, d.planned), Vec::new()));
                let k = events.len() - 1;
                absorb(&mut events[k], d);
            }
        }
    }
    for d in anaphoric {
        // the nearest event of the same kind, preceding first
        let pick = events
            .iter()
            .enumerate()
            .filter(|(_, (e, _))| e.kind == d.kind)
            .min_by_key(|(_, (e, _))| {
                let first = e.mentions.first().map_or(0, |m| m.start);
                let last = e.mentions.last().map_or(0, |m| m.start);
                if last <= d.trigger.start {
                    d.trigger.start - last
                } else {
                    first.saturating_sub(d.trigger.start) + 1
                }
            })
            .map(|(k, _)| k);
        match pick {
            Some(k) => absorb(&mut events[k], d),
            None if !d.places.iter().all(|p| p.entity.is_none()) || !d.sides.is_empty() => {
                events.push((empty_event(d.kind, d.planned), Vec::new()));
                let k = events.len() - 1;
                absorb(&mut events[k], d);
            }
            None => {}
        }
    }
    for (e, _) in &mut events {
        e.mentions.sort();
    }
    events.sort_by_key(|(e, _)| e.mentions.first().map_or(0, |m| m.start));
    events
}

fn empty_event(kind: EventKind, planned: bool) -> Event {
    Event {
        id: String::new(),
        kind,
        participants: Vec::new(),
        places: Vec::new(),
        date: None,
        duration: None,
        formats: Vec::new(),
        planned,
        mentions: Vec::new(),
    }
}

fn absorb((e, sentences): &mut (Event, Vec<usize>), d: Draft) {
    e.mentions.push(d.trigger);
    if !sentences.contains(&d.sentence) {
        sentences.push(d.sentence);
    }
    for p in d.persons {
        push_unique_person(&mut e.participants, p);
    }
    for p in d.sides {
        push_unique_person(&mut e.participants, p);
    }
    for p in d.places {
        if !e.places.iter().any(|q| {
            q.name.eq_ignore_ascii_case(&p.name) || (q.entity.is_some() && q.entity == p.entity)
        }) {
            e.places.push(p);
        }
    }
    if e.date.is_none() {
        e.date = d.date;
    }
}

/// Duration, formats and delegations from the event's sentences and the
/// sentence after each.
fn details(
    text: &str,
    layer: &TextLayer,
    ex: &Extraction,
    mentions: &[(Span, usize)],
    ev: &mut Event,
    mut sentences: Vec<usize>,
) {
    sentences.sort_unstable();
    sentences.dedup();
    let mut formats: Vec<Span> = Vec::new();
    for &si in &sentences {
        for s in [si, si + 1] {
            if s >= layer.sentences.len() {
                continue;
            }
            // the next sentence only when it is about this event ("The
            // talks lasted …", "The Russian delegation included …")
            let toks = layer.sentence_tokens(s);
            if s != si
                && !toks.iter().take(4).any(|t| {
                    lower_is(
                        t,
                        text,
                        &[
                            "talks",
                            "meeting",
                            "summit",
                            "call",
                            "visit",
                            "delegation",
                            "conversation",
                            "they",
                            "it",
                        ],
                    )
                })
            {
                continue;
            }
            if ev.duration.is_none() {
                ev.duration = duration(toks, text);
            }
            for f in format_phrases(toks, text) {
                if !formats.contains(&f) {
                    formats.push(f);
                }
            }
            delegations(text, layer.sentences[s].span, toks, ex, mentions, ev);
        }
    }
    ev.formats = formats;
}

fn duration(toks: &[Token], text: &str) -> Option<Span> {
    let i = toks
        .iter()
        .position(|t| lower_is(t, text, &["lasted", "lasting", "lasts"]))?;
    let mut start = i + 1;
    // "lasted for two hours": the duration starts after "for"
    if toks.get(start).is_some_and(|t| lower_is(t, text, &["for"])) {
        start += 1;
    }
    let end = (start..toks.len().min(start + 6)).find(|&k| lower_is(&toks[k], text, UNITS))?;
    Some(Span {
        start: toks[start].span.start,
        end: toks[end].span.end,
    })
}

fn format_phrases(toks: &[Token], text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let w = toks[i].text(text).to_ascii_lowercase();
        let mut hit: Option<(usize, usize)> = None;
        if matches!(
            w.as_str(),
            "one-on-one"
                | "tete-a-tete"
                | "tête-à-tête"
                | "face-to-face"
                | "videoconference"
                | "video-conference"
        ) {
            hit = Some((i, i));
        } else if w == "by" || w == "via" {
            if toks
                .get(i + 1)
                .is_some_and(|t| lower_is(t, text, &["phone", "telephone", "video", "videolink"]))
            {
                let mut e = i + 1;
                if toks
                    .get(e + 1)
                    .is_some_and(|t| lower_is(t, text, &["link", "call", "conference"]))
                {
                    e += 1;
                }
                hit = Some((i, e));
            }
        } else if w == "in"
            && toks
                .get(i + 1)
                .is_some_and(|t| lower_is(t, text, &["person"]))
        {
            hit = Some((i, i + 1));
        } else if matches!(
            w.as_str(),
            "small" | "narrow" | "expanded" | "extended" | "restricted" | "closed" | "full"
        ) && toks.get(i + 1).is_some_and(|t| {
            lower_is(
                t,
                text,
                &["group", "format", "session", "door", "doors", "delegations"],
            )
        }) {
            let mut s = i;
            if i > 0 && lower_is(&toks[i - 1], text, &["a", "an", "the"]) {
                s = i - 1;
            }
            let mut e = i + 1;
            // "a small group of "three on three""
            if toks.get(e + 1).is_some_and(|t| lower_is(t, text, &["of"])) {
                let mut k = e + 2;
                if toks.get(k).is_some_and(|t| t.is_quote_mark()) {
                    k += 1;
                    while k < toks.len() && !toks[k].is_quote_mark() && k < e + 10 {
                        k += 1;
                    }
                    if k < toks.len() && toks[k].is_quote_mark() {
                        e = k;
                    }
                }
            }
            hit = Some((s, e));
        }
        match hit {
            Some((s, e)) => {
                out.push(Span {
                    start: toks[s].span.start,
                    end: toks[e].span.end,
                });
                i = e + 1;
            }
            None => i += 1,
        }
    }
    out
}

/// "The Russian delegation included X and Y, while the US delegation
/// included A and B": members with their side.
fn delegations(
    text: &str,
    sent: Span,
    toks: &[Token],
    ex: &Extraction,
    mentions: &[(Span, usize)],
    ev: &mut Event,
) {
    let marks: Vec<usize> = toks
        .iter()
        .enumerate()
        .filter(|(_, t)| lower_is(t, text, &["delegation", "delegations"]))
        .map(|(i, _)| i)
        .collect();
    for (n, &i) in marks.iter().enumerate() {
        let side = if i > 0 && toks[i - 1].kind == TokenKind::Word {
            let w = toks[i - 1].text(text);
            w.chars()
                .next()
                .is_some_and(char::is_uppercase)
                .then(|| w.to_string())
        } else {
            None
        };
        let from = toks[i].span.end;
        let to = marks.get(n + 1).map_or(sent.end, |&j| toks[j].span.start);
        for &(m, k) in mentions {
            if m.start < from
                || m.end > to
                || ex.entities[k].kind != onrecord_core::EntityKind::Person
            {
                continue;
            }
            // "Trump's special envoy Steve Witkoff": Trump is no member
            let after = Span {
                start: m.end,
                end: (m.end + 4).min(sent.end),
            };
            if text
                .get(after.range())
                .is_some_and(|a| a.starts_with("'s") || a.starts_with("’s"))
            {
                continue;
            }
            let id = &ex.entities[k].id;
            match ev
                .participants
                .iter_mut()
                .find(|p| p.entity.as_deref() == Some(id))
            {
                Some(p) => {
                    if p.delegation.is_none() {
                        p.delegation = side.clone();
                    }
                }
                None => ev.participants.push(Participant {
                    entity: Some(id.clone()),
                    name: ex.entities[k].name.clone(),
                    delegation: side.clone(),
                    span: m,
                }),
            }
        }
    }
}

/// The readable part of an id: principals' surnames, else sides, else the
/// place ("putin-trump", "russia-unitedstates", "@alaska").
fn slug(ev: &Event) -> String {
    let mut persons: Vec<&str> = ev
        .participants
        .iter()
        .filter(|p| p.delegation.is_none())
        .filter_map(|p| p.entity.as_deref())
        .filter(|id| id.starts_with("per:"))
        .map(key_surname)
        .collect();
    persons.sort_unstable();
    persons.dedup();
    if !persons.is_empty() {
        return persons.join("-");
    }
    let mut sides: Vec<&str> = ev
        .participants
        .iter()
        .filter_map(|p| p.entity.as_deref())
        .map(|id| id.trim_start_matches("n:"))
        .collect();
    sides.sort_unstable();
    sides.dedup();
    if !sides.is_empty() {
        return sides.join("-");
    }
    match ev.places.iter().find_map(|p| p.entity.as_deref()) {
        Some(id) => format!("@{}", id.trim_start_matches("n:")),
        None => "unknown".into(),
    }
}

fn base_id(ev: &Event) -> String {
    format!("ev:{}:{}", ev.kind.as_str(), slug(ev))
}

/// The principals' person ids: who an event is "between".
pub fn principals(ev: &Event) -> Vec<&str> {
    let mut v: Vec<&str> = ev
        .participants
        .iter()
        .filter(|p| p.delegation.is_none())
        .filter_map(|p| p.entity.as_deref())
        .filter(|id| id.starts_with("per:"))
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// An event already known (in a run, or in the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    pub id: String,
    pub kind: EventKind,
    pub principals: Vec<String>,
    pub places: Vec<String>,
    /// `YYYY-MM-DD` when some article dates it.
    pub date: Option<String>,
}

/// Events seen so far, so that every article reporting one event gives it
/// the same id. Ids are assigned in input order and never change.
#[derive(Debug, Default, Clone)]
pub struct Registry {
    known: Vec<Known>,
    /// Ids in use.
    used: HashSet<String>,
    /// Known events (indices, ascending) by principal id, and by the id
    /// they were named from (`base:` + id without its suffix): the only
    /// ones a new report can match.
    by_key: HashMap<String, Vec<usize>>,
}

/// The id an event was named from: its id without a `:<date>` or `:<n>`
/// suffix (ids have three parts: `ev`, the type, the slug).
fn base_of(id: &str) -> &str {
    match id.match_indices(':').nth(2) {
        Some((i, _)) => &id[..i],
        None => id,
    }
}

impl Registry {
    pub fn add_known(&mut self, k: Known) {
        let n = self.known.len();
        self.used.insert(k.id.clone());
        for p in &k.principals {
            self.by_key.entry(p.clone()).or_default().push(n);
        }
        self.by_key
            .entry(format!("base:{}", base_of(&k.id)))
            .or_default()
            .push(n);
        self.known.push(k);
    }

    /// The known events, in the order they were first seen.
    pub fn known(&self) -> &[Known] {
        &self.known
    }

    /// Sets the ids of one document's events (their date values resolved
    /// through `ex.dates`), learning new events and their dates.
    pub fn link(&mut self, ex: &mut Extraction) {
        for e in 0..ex.events.len() {
            let ev = &ex.events[e];
            let date: Option<String> = ev
                .date
                .and_then(|d| ex.dates.get(d))
                .filter(|d| d.granularity == "day")
                .map(|d| d.value.clone());
            let pr: Vec<String> = principals(ev).into_iter().map(String::from).collect();
            let places: Vec<String> = ev.places.iter().filter_map(|p| p.entity.clone()).collect();
            let base = base_id(ev);
            let same = |k: &Known| {
                k.kind == ev.kind
                    && if pr.is_empty() || k.principals.is_empty() {
                        // no people: the same sides or place slug
                        k.id.starts_with(&base)
                    } else {
                        let shared = pr.iter().filter(|p| k.principals.contains(p)).count();
                        // two shared people, or the same one person
                        shared >= pr.len().max(k.principals.len()).min(2)
                    }
                    && match (&date, &k.date) {
                        (Some(a), Some(b)) => a == b,
                        _ => true,
                    }
            };
            // the latest matching event, preferring one with the same date
            let mut candidates: Vec<usize> = if pr.is_empty() {
                self.by_key
                    .get(&format!("base:{base}"))
                    .cloned()
                    .unwrap_or_default()
            } else {
                pr.iter()
                    .filter_map(|p| self.by_key.get(p))
                    .flatten()
                    .copied()
                    .collect()
            };
            candidates.sort_unstable();
            candidates.dedup();
            let hit = candidates
                .iter()
                .rev()
                .copied()
                .find(|&k| same(&self.known[k]) && date.is_some() && self.known[k].date == date)
                .or_else(|| {
                    candidates
                        .iter()
                        .rev()
                        .copied()
                        .find(|&k| same(&self.known[k]))
                });
            let id = match hit {
                Some(k) => {
                    let known = &mut self.known[k];
                    if known.date.is_none() {
                        known.date = date;
                    }
                    for p in places {
                        if !known.places.contains(&p) {
                            known.places.push(p);
                        }
                    }
                    known.id.clone()
                }
                None => {
                    let mut id = base.clone();
                    if self.used.contains(&id) {
                        id = match &date {
                            Some(d) if !self.used.contains(&format!("{base}:{d}")) => {
                                format!("{base}:{d}")
                            }
                            _ => (2..)
                                .map(|n| format!("{base}:{n}"))
                                .find(|c| !self.used.contains(c))
                                .unwrap_or(base),
                        };
                    }
                    self.add_known(Known {
                        id: id.clone(),
                        kind: ev.kind,
                        principals: pr,
                        places,
                        date,
                    });
                    id
                }
            };
            ex.events[e].id = id;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prefilter_lets_every_trigger_word_through() {
        for w in TRIGGER_WORDS {
            assert!(could_trigger(w), "{w}");
            assert!(could_trigger(&w.to_uppercase()), "{w}");
        }
        for w in [
            "a",
            "Obama",
            "administration",
            "government",
            "international",
        ] {
            assert!(!could_trigger(w), "{w}");
        }
    }

    fn toks(text: &str) -> TextLayer {
        onrecord_text::analyze(text, &[Span::new(0, text.len())])
    }

    #[test]
    fn duration_after_lasted() {
        let t = "The talks lasted more than three hours and ended.";
        let l = toks(t);
        let d = duration(l.sentence_tokens(0), t).map(|s| s.text(t));
        assert_eq!(d, Some("more than three hours"));
    }

    #[test]
    fn formats_in_a_sentence() {
        let t =
            "They met one-on-one and in a small group of \"three on three\", then spoke by phone.";
        let l = toks(t);
        let f: Vec<&str> = format_phrases(l.sentence_tokens(0), t)
            .iter()
            .map(|s| s.text(t))
            .collect();
        assert_eq!(
            f,
            [
                "one-on-one",
                "a small group of \"three on three\"",
                "by phone"
            ]
        );
    }

    #[test]
    fn meet_the_press_is_no_event() {
        let t = "She will meet the press today. He met the deadline. They met the Prime Minister.";
        let l = toks(t);
        let kinds: Vec<Option<EventKind>> = (0..l.sentences.len())
            .map(|s| {
                let tk = l.sentence_tokens(s);
                (0..tk.len()).find_map(|i| trigger(tk, i, t))
            })
            .collect();
        assert_eq!(kinds, [None, None, Some(EventKind::Meeting)]);
    }

    #[test]
    fn talks_as_a_verb_is_no_event() {
        let t = "He talks about taxes. The talks with Iran resumed.";
        let l = toks(t);
        let found: Vec<bool> = (0..l.sentences.len())
            .map(|s| {
                let tk = l.sentence_tokens(s);
                (0..tk.len()).any(|i| trigger(tk, i, t).is_some())
            })
            .collect();
        assert_eq!(found, [false, true]);
    }
}
