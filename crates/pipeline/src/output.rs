//! The output contract (docs/output.md): JSON lines with code-point offsets,
//! and a readable view.

use onrecord_core::{
    Attribution, CharOffsets, Document, Entity, EntityKind, Event, EventKind, Extraction,
    QuoteKind, Span, SpeakerKind, Stance,
};
use serde::Serialize;
use std::io::Write;

#[derive(Serialize)]
struct OutDoc<'a> {
    doc: &'a str,
    path: &'a str,
    date: Option<&'a str>,
    title: Option<&'a str>,
    outlet: Option<&'a str>,
    url: Option<&'a str>,
    authors: &'a [String],
    editor: Option<&'a str>,
    dateline: Option<OutDateline<'a>>,
    /// ISO 639-1, detected (or declared); absent when unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    modified: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    crawled: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    /// The text every offset refers to, when it is not the input itself:
    /// the main text extracted from a web page.
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    /// Why nothing was extracted (an unsupported language).
    #[serde(skip_serializing_if = "Option::is_none")]
    skipped: Option<&'a str>,
    attributions: Vec<OutAttribution<'a>>,
    entities: Vec<OutEntity<'a>>,
    events: Vec<OutEvent<'a>>,
    dates: Vec<OutDate<'a>>,
    diagnostics: Vec<OutDiagnostic<'a>>,
}

#[derive(Serialize)]
struct OutDateline<'a> {
    place: &'a str,
    date_text: Option<&'a str>,
    outlet: Option<&'a str>,
    span: [usize; 2],
}

#[derive(Serialize)]
struct OutSpeaker<'a> {
    text: &'a str,
    /// Null for a pronoun the document does not resolve.
    name: Option<&'a str>,
    /// The entity id, for a person or organisation.
    entity: Option<&'a str>,
    #[serde(rename = "type")]
    kind: SpeakerKind,
}

#[derive(Serialize)]
struct OutDate<'a> {
    value: &'a str,
    granularity: &'a str,
    span: Option<[usize; 2]>,
    /// "text" (a date written in the article) or "published" (none was:
    /// the publication date). Only on attributions.
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<&'a str>,
}

#[derive(Serialize)]
struct OutRole<'a> {
    title: &'a str,
    /// The article's date: the date on which it asserts the role.
    date: Option<&'a str>,
    span: [usize; 2],
}

#[derive(Serialize)]
struct OutEntity<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(rename = "type")]
    kind: EntityKind,
    aliases: &'a [String],
    roles: Vec<OutRole<'a>>,
    mentions: Vec<[usize; 2]>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    candidates: &'a [String],
}

#[derive(Serialize)]
struct OutParticipant<'a> {
    name: &'a str,
    entity: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    delegation: Option<&'a str>,
    span: [usize; 2],
}

#[derive(Serialize)]
struct OutPlace<'a> {
    name: &'a str,
    entity: Option<&'a str>,
    span: [usize; 2],
}

#[derive(Serialize)]
struct OutPhrase {
    text: String,
    span: [usize; 2],
}

#[derive(Serialize)]
struct OutEvent<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: EventKind,
    participants: Vec<OutParticipant<'a>>,
    places: Vec<OutPlace<'a>>,
    date: Option<OutDate<'a>>,
    duration: Option<OutPhrase>,
    formats: Vec<OutPhrase>,
    planned: bool,
    mentions: Vec<[usize; 2]>,
}

#[derive(Serialize)]
struct OutText {
    source: String,
    cue: String,
    content: String,
}

#[derive(Serialize)]
struct OutAttribution<'a> {
    kind: QuoteKind,
    source: Vec<[usize; 2]>,
    cue: Vec<[usize; 2]>,
    content: Vec<[usize; 2]>,
    speaker: Option<OutSpeaker<'a>>,
    date: Option<OutDate<'a>>,
    stance: Stance,
    /// The thread id.
    about: Option<&'a str>,
    /// Key terms of what the statement is about, strongest first.
    subject: Vec<&'a str>,
    confidence: f32,
    text: OutText,
}

#[derive(Serialize)]
struct OutDiagnostic<'a> {
    span: Option<[usize; 2]>,
    message: &'a str,
}

fn pairs(o: &CharOffsets, spans: &[Span]) -> Vec<[usize; 2]> {
    spans
        .iter()
        .map(|s| [o.char_of(s.start as usize), o.char_of(s.end as usize)])
        .collect()
}

/// Fragments joined with " … " (discontinuous spans).
pub fn joined(text: &str, spans: &[Span]) -> String {
    let mut s = String::new();
    for (i, sp) in spans.iter().enumerate() {
        if i > 0 {
            s.push_str(" … ");
        }
        s.push_str(sp.text(text));
    }
    s
}

fn span_pair(o: &CharOffsets, s: Span) -> [usize; 2] {
    [o.char_of(s.start as usize), o.char_of(s.end as usize)]
}

/// The date at `index` in `ex.dates` (`from: "text"`), else the
/// publication date (`from: "published"`).
fn out_date<'a>(
    doc: &'a Document,
    ex: &'a Extraction,
    o: &CharOffsets,
    index: Option<usize>,
) -> Option<OutDate<'a>> {
    match index.and_then(|k| ex.dates.get(k)) {
        Some(d) => Some(OutDate {
            value: &d.value,
            granularity: d.granularity,
            span: Some([
                o.char_of(d.span.start as usize),
                o.char_of(d.span.end as usize),
            ]),
            from: Some("text"),
        }),
        None => doc.meta.date.as_deref().map(|p| OutDate {
            value: p,
            granularity: "day",
            span: None,
            from: Some("published"),
        }),
    }
}

/// The value of the date at `index` in `ex.dates`, else the publication
/// date (as the JSON's `date.value`).
#[cfg_attr(not(feature = "arrow"), allow(dead_code))]
pub(crate) fn date_value<'a>(
    doc: &'a Document,
    ex: &'a Extraction,
    index: Option<usize>,
) -> Option<&'a str> {
    match index.and_then(|k| ex.dates.get(k)) {
        Some(d) => Some(&d.value),
        None => doc.meta.date.as_deref(),
    }
}

/// The date a statement refers to (the JSON's `date.value`).
#[cfg_attr(not(feature = "arrow"), allow(dead_code))]
pub(crate) fn statement_date<'a>(
    doc: &'a Document,
    ex: &'a Extraction,
    a: &Attribution,
) -> Option<&'a str> {
    date_value(doc, ex, a.date)
}

fn event<'a>(doc: &'a Document, ex: &'a Extraction, o: &CharOffsets, e: &'a Event) -> OutEvent<'a> {
    let phrase = |s: Span| OutPhrase {
        text: s.text(&doc.text).to_string(),
        span: span_pair(o, s),
    };
    OutEvent {
        id: &e.id,
        kind: e.kind,
        participants: e
            .participants
            .iter()
            .map(|p| OutParticipant {
                name: &p.name,
                entity: p.entity.as_deref(),
                delegation: p.delegation.as_deref(),
                span: span_pair(o, p.span),
            })
            .collect(),
        places: e
            .places
            .iter()
            .map(|p| OutPlace {
                name: &p.name,
                entity: p.entity.as_deref(),
                span: span_pair(o, p.span),
            })
            .collect(),
        date: out_date(doc, ex, o, e.date),
        duration: e.duration.map(phrase),
        formats: e.formats.iter().map(|&s| phrase(s)).collect(),
        planned: e.planned,
        mentions: pairs(o, &e.mentions),
    }
}

fn attribution<'a>(
    doc: &'a Document,
    ex: &'a Extraction,
    o: &CharOffsets,
    a: &'a Attribution,
) -> OutAttribution<'a> {
    OutAttribution {
        date: out_date(doc, ex, o, a.date),
        stance: a.stance,
        about: a.about.as_deref(),
        subject: a.subject.iter().take(8).map(|t| t.text.as_str()).collect(),
        kind: a.kind,
        source: pairs(o, &a.source),
        cue: pairs(o, &a.cue),
        content: pairs(o, &a.content),
        speaker: a.speaker.as_ref().map(|s| OutSpeaker {
            text: &s.text,
            name: (!s.name.is_empty()).then_some(s.name.as_str()),
            entity: s.entity.as_deref(),
            kind: s.kind,
        }),
        confidence: (a.confidence * 1000.0).round() / 1000.0,
        text: OutText {
            source: joined(&doc.text, &a.source),
            cue: joined(&doc.text, &a.cue),
            content: joined(&doc.text, &a.content),
        },
    }
}

fn entity<'a>(doc: &'a Document, o: &CharOffsets, e: &'a Entity) -> OutEntity<'a> {
    OutEntity {
        id: &e.id,
        name: &e.name,
        kind: e.kind,
        aliases: &e.aliases,
        roles: e
            .roles
            .iter()
            .map(|r| OutRole {
                title: &r.title,
                date: doc.meta.date.as_deref(),
                span: [
                    o.char_of(r.span.start as usize),
                    o.char_of(r.span.end as usize),
                ],
            })
            .collect(),
        mentions: pairs(o, &e.mentions),
        candidates: &e.candidates,
    }
}

/// One document and its extraction as one line of the output contract's
/// JSON (docs/output.md): code-point offsets, the text when it is not the
/// input itself.
pub fn write_document(w: &mut impl Write, doc: &Document, ex: &Extraction) -> std::io::Result<()> {
    let o = CharOffsets::new(&doc.text);
    let m = &doc.meta;
    let out = OutDoc {
        doc: &doc.id,
        path: &doc.path,
        date: m.date.as_deref(),
        title: m.title.as_deref(),
        outlet: m.outlet.as_deref(),
        url: m.url.as_deref(),
        authors: &m.authors,
        editor: m.editor.as_deref(),
        dateline: m.dateline.as_ref().map(|d| OutDateline {
            place: &d.place,
            date_text: d.date_text.as_deref(),
            outlet: d.outlet.as_deref(),
            span: [
                o.char_of(d.span.start as usize),
                o.char_of(d.span.end as usize),
            ],
        }),
        language: m.language.as_deref(),
        modified: m.modified.as_deref(),
        crawled: m.crawled.as_deref(),
        description: m.description.as_deref(),
        text: doc.origin.from_html.then_some(doc.text.as_str()),
        skipped: ex.skipped.as_deref(),
        attributions: ex
            .attributions
            .iter()
            .map(|a| attribution(doc, ex, &o, a))
            .collect(),
        dates: ex
            .dates
            .iter()
            .map(|d| OutDate {
                value: &d.value,
                granularity: d.granularity,
                span: Some([
                    o.char_of(d.span.start as usize),
                    o.char_of(d.span.end as usize),
                ]),
                from: None,
            })
            .collect(),
        entities: ex.entities.iter().map(|e| entity(doc, &o, e)).collect(),
        events: ex.events.iter().map(|e| event(doc, ex, &o, e)).collect(),
        diagnostics: ex
            .diagnostics
            .iter()
            .map(|d| OutDiagnostic {
                span: d
                    .span
                    .map(|s| [o.char_of(s.start as usize), o.char_of(s.end as usize)]),
                message: &d.message,
            })
            .collect(),
    };
    serde_json::to_writer(&mut *w, &out)?;
    w.write_all(b"\n")
}

/// The title line (when there is a title) and the date / outlet / authors
/// line of an article, for people (`extract --format pretty`, `show`).
pub fn write_meta(
    w: &mut impl Write,
    indent: &str,
    title: Option<&str>,
    date: Option<&str>,
    outlet: Option<&str>,
    authors: &[String],
) -> std::io::Result<()> {
    if let Some(t) = title {
        writeln!(w, "{indent}title:  {t}")?;
    }
    let authors = if authors.is_empty() {
        "-".to_string()
    } else {
        authors.join(", ")
    };
    writeln!(
        w,
        "{indent}date:   {}   outlet: {}   authors: {authors}",
        date.unwrap_or("-"),
        outlet.unwrap_or("-"),
    )
}

/// The readable view of one document (`extract --format pretty`).
pub fn write_pretty(w: &mut impl Write, doc: &Document, ex: &Extraction) -> std::io::Result<()> {
    let m = &doc.meta;
    writeln!(w, "━━ {} ({})", doc.id, doc.path)?;
    write_meta(
        w,
        "   ",
        m.title.as_deref(),
        m.date.as_deref(),
        m.outlet.as_deref(),
        &m.authors,
    )?;
    if let Some(why) = &ex.skipped {
        writeln!(w, "   not extracted: {why}")?;
    }
    if doc.origin.from_html {
        let words = doc.text.split_whitespace().count();
        writeln!(
            w,
            "   web page: {words} words of main text{}",
            m.url
                .as_deref()
                .map(|u| format!(" from {u}"))
                .unwrap_or_default()
        )?;
    }
    if let Some(d) = &m.dateline {
        writeln!(
            w,
            "   dateline: {}{}",
            d.place,
            d.date_text
                .as_deref()
                .map(|s| format!(", {s}"))
                .unwrap_or_default()
        )?;
    }
    let people: Vec<String> = ex
        .entities
        .iter()
        .filter(|e| e.kind == EntityKind::Person)
        .map(|e| match e.roles.first() {
            Some(r) => format!("{} ({})", e.name, r.title),
            None => e.name.clone(),
        })
        .collect();
    if !people.is_empty() {
        for line in wrap(&format!("people: {}", people.join("; ")), 90) {
            writeln!(w, "   {line}")?;
        }
    }
    for e in &ex.events {
        let who: Vec<&str> = e.participants.iter().map(|p| p.name.as_str()).collect();
        let places: Vec<&str> = e.places.iter().map(|p| p.name.as_str()).collect();
        // only a date the text gives (the article's own is not the event's)
        let date = e
            .date
            .and_then(|k| ex.dates.get(k))
            .map(|d| d.value.as_str());
        let mut line = format!("event: {} of {}", e.kind.as_str(), who.join(", "));
        if !places.is_empty() {
            line.push_str(&format!(" in {}", places.join(", ")));
        }
        if let Some(d) = date {
            line.push_str(&format!(", {d}"));
        }
        if e.planned {
            line.push_str(" (planned)");
        }
        line.push_str(&format!("  [{}]", e.id));
        for l in wrap(&line, 90) {
            writeln!(w, "   {l}")?;
        }
    }
    writeln!(w, "   {} attributions", ex.attributions.len())?;
    for (i, a) in ex.attributions.iter().enumerate() {
        let kind = match a.kind {
            QuoteKind::Direct => "direct",
            QuoteKind::Mixed => "mixed",
            QuoteKind::Indirect => "indirect",
        };
        let who = match &a.speaker {
            Some(s) if s.name.is_empty() => format!("? (“{}”, unresolved)", s.text),
            Some(s) if s.name != s.text => format!("{} (“{}”)", s.name, s.text),
            Some(s) => s.name.clone(),
            None => "?".to_string(),
        };
        writeln!(
            w,
            "\n   {:>2}. {who} — {} [{kind}, {:.2}]",
            i + 1,
            joined(&doc.text, &a.cue),
            a.confidence
        )?;
        let content = joined(&doc.text, &a.content);
        for line in wrap(&content, 90) {
            writeln!(w, "       {line}")?;
        }
        // the thread and what it is about; stance is a weak signal (about
        // as good as always "affirms"), so it comes last, in brackets
        let mut about = Vec::new();
        if let Some(t) = &a.about {
            about.push(format!("thread {t}"));
        }
        let subject: Vec<&str> = a.subject.iter().take(4).map(|t| t.text.as_str()).collect();
        if !subject.is_empty() {
            about.push(format!("about: {}", subject.join(", ")));
        }
        if let Some(d) = a.date.and_then(|k| ex.dates.get(k)) {
            about.push(format!("refers to {}", d.value));
        }
        about.push(format!("(stance: {}, weak)", a.stance.as_str()));
        for line in wrap(&about.join(" · "), 90) {
            writeln!(w, "       {line}")?;
        }
    }
    writeln!(w)
}

fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in s.split_whitespace() {
        if !cur.is_empty() && cur.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}
