//! From an extracted document to the rows that store it.

use crate::fold::{fold, fold_key, looks_like_name};
use onrecord_core::{
    Attribution, CharOffsets, Document, EntityKind, Event, Extraction, Span, SpeakerKind,
};
use std::path::Path;

/// A hex digest of some bytes (xxh3-64), e.g. of a model file, for
/// [`content_hash`]'s `pipeline` argument.
pub fn hash_bytes(bytes: &[u8]) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes))
}

/// The content hash of a document as the store sees it: its id, text and
/// metadata, and `pipeline` (what extracted it: version and model). Same
/// hash, same rows: the article is not extracted again.
pub fn content_hash(doc: &Document, pipeline: &str) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for part in [pipeline.as_bytes(), doc.id.as_bytes(), doc.text.as_bytes()] {
        h.update(&(part.len() as u64).to_le_bytes());
        h.update(part);
    }
    // Metadata serialises infallibly (strings, vectors, integers).
    let meta = serde_json::to_vec(&doc.meta).unwrap_or_default();
    h.update(&meta);
    format!("{:032x}", h.digest128())
}

/// What makes two copies of one article the same text: a hash of its
/// words (white space folded, so a `.txt` and a JSONL line of one article
/// agree). Empty for a text without words.
pub fn text_hash(text: &str) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let mut any = false;
    for w in text.split_whitespace() {
        h.update(w.as_bytes());
        h.update(b" ");
        any = true;
    }
    if any {
        format!("{:032x}", h.digest128())
    } else {
        String::new()
    }
}

/// A URL as compared for identity: trimmed, without its `#fragment`;
/// `None` when there is none.
pub fn identity_url(url: Option<&str>) -> Option<String> {
    let u = url?.trim();
    let u = u.split_once('#').map_or(u, |(before, _)| before);
    (!u.is_empty()).then(|| u.to_string())
}

/// The canonical form of a path that exists; `None` for stdin, URLs and
/// deleted files.
fn canonical(path: &str) -> Option<String> {
    std::fs::canonicalize(Path::new(path))
        .ok()
        .map(|c| c.to_string_lossy().into_owned())
}

/// Splits `PATH`, `PATH:LINE` (a JSONL line, a CSV record) or
/// `PATH@OFFSET` (a WARC record) into the canonical file path and the
/// place in it, written as it was (`:LINE`, `@OFFSET`). Paths that do not
/// exist (stdin, URLs, deleted files) stay as given.
fn locate(path: &str) -> (String, Option<String>) {
    if let Some(c) = canonical(path) {
        return (c, None);
    }
    for sep in [':', '@'] {
        if let Some((file, at)) = path.rsplit_once(sep) {
            if !at.is_empty() && at.bytes().all(|b| b.is_ascii_digit()) {
                let file = canonical(file).unwrap_or_else(|| file.to_string());
                return (file, Some(format!("{sep}{at}")));
            }
        }
    }
    (path.to_string(), None)
}

/// The identity of an article across runs: the canonical path of its file;
/// for a document that is one of several in its file (a JSONL line, a CSV
/// record, a WARC record), that path, `#` and the document's id; for plain
/// text on stdin, `-#` and its content hash; for a page fetched over HTTP,
/// its URL.
pub fn article_key(doc: &Document, hash: &str) -> String {
    if doc.path == "-" {
        return format!("-#{hash}");
    }
    let o = &doc.origin;
    if o.file.is_empty() {
        // built without an origin: the path says where it is
        return match locate(&doc.path) {
            (file, Some(_)) => format!("{file}#{}", doc.id),
            (file, None) => file,
        };
    }
    let file = canonical(&o.file).unwrap_or_else(|| o.file.clone());
    match o.position {
        Some(_) => format!("{file}#{}", doc.id),
        None => file,
    }
}

/// The identity of an input place for the errors table: the canonical
/// path, with `:LINE` for one JSONL line or CSV record and `@OFFSET` for
/// one WARC record. `path` may itself be `PATH:LINE` or `PATH@OFFSET`.
pub fn error_key(path: &str, line: Option<usize>) -> String {
    let (file, at) = locate(path);
    match (line, at) {
        (Some(n), _) => format!("{file}:{n}"),
        (None, Some(at)) => format!("{file}{at}"),
        (None, None) => file,
    }
}

/// An input that could not be read.
#[derive(Debug, Clone)]
pub struct ErrorRecord {
    pub key: String,
    pub path: String,
    pub line: Option<usize>,
    pub message: String,
}

/// One article and everything extracted from it, ready to write.
#[derive(Debug, Clone)]
pub struct ArticleRecord {
    pub key: String,
    /// The key of its place in the errors table (cleared when this is written).
    pub error_key: String,
    pub doc: String,
    pub path: String,
    pub hash: String,
    pub date: Option<String>,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    /// [`text_hash`] of `text` (empty: no words).
    pub text_hash: String,
    pub authors: Vec<String>,
    pub editor: Option<String>,
    pub language: Option<String>,
    pub modified: Option<String>,
    pub description: Option<String>,
    pub crawled: Option<String>,
    /// The input format (`text`, `jsonl`, `csv`, `html`, `warc`, …).
    pub format: &'static str,
    /// Why no statements were extracted, if none were on purpose.
    pub note: Option<String>,
    pub text: String,
    pub attributions: Vec<AttributionRecord>,
    pub entities: Vec<EntityRecord>,
    /// (event id, JSON of the article's report of it, code points)
    pub events: Vec<(String, String)>,
}

/// A page fetched over HTTP, kept as it came.
#[derive(Debug, Clone)]
pub struct PageRecord {
    /// The link as the feed gave it (or the URL given to ingest).
    pub url: String,
    pub feed: Option<String>,
    pub final_url: String,
    /// RFC 3339, UTC.
    pub fetched: String,
    pub status: u16,
    pub content_type: Option<String>,
    /// The raw bytes (stored compressed).
    pub body: Vec<u8>,
    /// The key of the article it became, if it became one.
    pub article: Option<String>,
    /// Why it became no article ("not a web page: application/pdf").
    pub note: Option<String>,
}

/// One failed attempt at a page.
#[derive(Debug, Clone)]
pub struct PageFailure {
    pub url: String,
    pub feed: Option<String>,
    pub error: String,
}

/// A feed's state after one poll of it.
#[derive(Debug, Clone, Default)]
pub struct FeedRecord {
    pub url: String,
    pub title: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// Replace the stored validators with these (only when the feed was
    /// fetched whole and every page it led to is in the record).
    pub set_validators: bool,
    /// RFC 3339, UTC.
    pub polled: String,
    pub items: Option<i64>,
    pub error: Option<String>,
}

/// A thread's whole state, written after each batch that grew it.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreadRecord {
    pub id: String,
    /// Creation order.
    pub seq: i64,
    pub label: String,
    /// JSON [{key, text, weight}].
    pub centroid: String,
    pub size: i64,
    pub first: Option<String>,
    pub last: Option<String>,
    /// JSON [[event id, count]].
    pub events: String,
}

/// An event as known across articles (the events registry).
#[derive(Debug, Clone, PartialEq)]
pub struct EventRecord {
    pub id: String,
    pub kind: String,
    pub date: Option<String>,
    /// JSON arrays of entity ids.
    pub principals: String,
    pub places: String,
}

/// One statement, with code-point spans and the texts of its roles.
#[derive(Debug, Clone)]
pub struct AttributionRecord {
    pub kind: &'static str,
    pub source_spans: Vec<[usize; 2]>,
    pub cue_spans: Vec<[usize; 2]>,
    pub content_spans: Vec<[usize; 2]>,
    pub source: String,
    pub cue: String,
    pub content: String,
    pub speaker_text: Option<String>,
    pub speaker_name: Option<String>,
    pub speaker_kind: Option<&'static str>,
    pub speaker_entity: Option<String>,
    pub speaker_key: Option<String>,
    pub speaker_person: bool,
    pub speaker_pid: Option<String>,
    pub confidence: f64,
    pub stance: &'static str,
    pub thread: Option<String>,
    /// The date the statement refers to (`YYYY-MM-DD`, `YYYY-MM`, `YYYY`).
    pub ref_date: Option<String>,
    /// JSON of the statement's subject terms.
    pub subject: String,
}

/// An entity as one article gives it; merged into the record by id.
#[derive(Debug, Clone)]
pub struct EntityRecord {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub aliases: Vec<String>,
    /// (title, code-point start, end)
    pub roles: Vec<(String, usize, usize)>,
    pub mentions: Vec<[usize; 2]>,
}

fn joined(text: &str, spans: &[Span]) -> String {
    let mut s = String::new();
    for (i, sp) in spans.iter().enumerate() {
        if i > 0 {
            s.push_str(" … ");
        }
        s.push_str(text.get(sp.range()).unwrap_or(""));
    }
    s
}

impl ArticleRecord {
    /// Builds the rows of one article; `key` from [`article_key`], `hash`
    /// from [`content_hash`]. Byte spans become code points here.
    /// `text_hash` is [`text_hash`] of the document's text (the caller has
    /// it already, from looking for copies).
    pub fn new(
        key: String,
        hash: String,
        text_hash: String,
        doc: Document,
        ex: &Extraction,
    ) -> ArticleRecord {
        let o = CharOffsets::new(&doc.text);
        let cp = |spans: &[Span]| -> Vec<[usize; 2]> {
            spans
                .iter()
                .map(|s| [o.char_of(s.start as usize), o.char_of(s.end as usize)])
                .collect()
        };
        let entity_kind = |id: &str| ex.entities.iter().find(|e| e.id == id).map(|e| e.kind);
        let attributions = ex
            .attributions
            .iter()
            .map(|a: &Attribution| {
                let sp = a.speaker.as_ref();
                let person = sp.is_some_and(|s| match s.entity.as_deref().and_then(entity_kind) {
                    Some(k) => k == EntityKind::Person,
                    None => match s.kind {
                        SpeakerKind::Person => true,
                        SpeakerKind::Unknown => looks_like_name(&s.name),
                        _ => false,
                    },
                });
                AttributionRecord {
                    kind: a.kind.as_str(),
                    source_spans: cp(&a.source),
                    cue_spans: cp(&a.cue),
                    content_spans: cp(&a.content),
                    source: joined(&doc.text, &a.source),
                    cue: joined(&doc.text, &a.cue),
                    content: joined(&doc.text, &a.content),
                    speaker_text: sp.map(|s| s.text.clone()),
                    // an unresolved pronoun has no name (never the pronoun)
                    speaker_name: sp.map(|s| s.name.clone()).filter(|n| !n.is_empty()),
                    speaker_kind: sp.map(|s| s.kind.as_str()),
                    speaker_entity: sp.and_then(|s| s.entity.clone()),
                    speaker_key: sp.map(|s| format!(" {} | {} ", fold(&s.name), fold(&s.text))),
                    speaker_person: person,
                    speaker_pid: sp.filter(|_| person).map(|s| match &s.entity {
                        Some(id) => id.clone(),
                        None => format!("name:{}", fold(&s.name)),
                    }),
                    confidence: ((a.confidence as f64) * 1000.0).round() / 1000.0,
                    stance: a.stance.as_str(),
                    thread: a.about.clone(),
                    ref_date: a
                        .date
                        .and_then(|k| ex.dates.get(k))
                        .map(|d| d.value.clone())
                        .or_else(|| doc.meta.date.clone()),
                    subject: serde_json::to_string(&a.subject).unwrap_or_else(|_| "[]".into()),
                }
            })
            .collect();
        let entities = ex
            .entities
            .iter()
            .map(|e| EntityRecord {
                id: e.id.clone(),
                name: e.name.clone(),
                kind: e.kind.as_str(),
                aliases: e.aliases.clone(),
                roles: e
                    .roles
                    .iter()
                    .map(|r| {
                        (
                            r.title.clone(),
                            o.char_of(r.span.start as usize),
                            o.char_of(r.span.end as usize),
                        )
                    })
                    .collect(),
                mentions: cp(&e.mentions),
            })
            .collect();
        let events = ex
            .events
            .iter()
            .map(|e| (e.id.clone(), event_json(&doc, ex, &o, e)))
            .collect();
        let error_key = error_key(&doc.path, None);
        let format = doc.origin.format.as_str();
        let m = doc.meta;
        ArticleRecord {
            key,
            error_key,
            doc: doc.id,
            path: doc.path,
            hash,
            date: m.date,
            title: m.title,
            outlet: m.outlet,
            url: m.url,
            text_hash,
            authors: m.authors,
            editor: m.editor,
            language: m.language,
            modified: m.modified,
            description: m.description,
            crawled: m.crawled,
            format,
            note: ex.skipped.clone(),
            text: doc.text,
            attributions,
            entities,
            events,
        }
    }
}

/// One article's report of an event, as stored (code points).
fn event_json(doc: &Document, ex: &Extraction, o: &CharOffsets, e: &Event) -> String {
    let cp = |s: Span| [o.char_of(s.start as usize), o.char_of(s.end as usize)];
    let date = e.date.and_then(|k| ex.dates.get(k));
    serde_json::json!({
        "type": e.kind.as_str(),
        "participants": e.participants.iter().map(|p| serde_json::json!({
            "name": p.name, "entity": p.entity, "delegation": p.delegation, "span": cp(p.span)
        })).collect::<Vec<_>>(),
        "places": e.places.iter().map(|p| serde_json::json!({
            "name": p.name, "entity": p.entity, "span": cp(p.span)
        })).collect::<Vec<_>>(),
        "date": date.map(|d| d.value.clone()),
        "date_span": date.map(|d| cp(d.span)),
        "duration": e.duration.map(|s| s.text(&doc.text).to_string()),
        "formats": e.formats.iter().map(|s| s.text(&doc.text)).collect::<Vec<_>>(),
        "planned": e.planned,
        "mentions": e.mentions.iter().map(|&s| cp(s)).collect::<Vec<_>>(),
    })
    .to_string()
}

/// The folded key of an entity name (for matching), as stored.
pub(crate) fn name_key(name: &str) -> String {
    fold_key(name)
}
