//! Data types shared by every stage of the OnRecord pipeline.
//!
//! This crate owns the vocabulary that flows from ingest to output: the one
//! span type ([`Span`], a byte range into a document's original text), the
//! [`Document`] with its [`Metadata`], the results of extraction
//! ([`Attribution`], [`Speaker`]) and the [`Diagnostic`]s that extraction
//! reports instead of failing. It does no I/O and has no logic beyond
//! offset arithmetic ([`CharOffsets`]).

mod offsets;
mod span;

pub use offsets::CharOffsets;
pub use span::Span;

use serde::{Deserialize, Serialize};

/// An article as ingest hands it to the rest of the pipeline.
///
/// `text` is the original text exactly as read (the whole file, or the
/// `text` field of a JSONL record); every [`Span`] anywhere in the pipeline
/// is a byte range into it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Document {
    /// File stem, or the JSONL `id` (or `<file stem>:<line>` when absent).
    pub id: String,
    /// Where the document came from (`-` for stdin); with `:LINE` for JSONL.
    pub path: String,
    pub text: String,
    pub meta: Metadata,
    /// Regions of `text` that are article prose, in order and disjoint.
    /// Boilerplate (navigation, photo credits, author footers, the date
    /// line) lies outside them. Extraction only looks inside these.
    pub body: Vec<Span>,
    /// Where the document came from: the file, the place in it, the format.
    pub origin: Origin,
}

/// Where a document was read from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// The file as given or walked (`-` for stdin, the URL of a page
    /// fetched over HTTP).
    pub file: String,
    /// Where in `file`, for a file that holds several documents.
    pub position: Option<Position>,
    /// The input format of the document's record or file.
    pub format: Format,
    /// `text` was extracted from an HTML page (a web page, a WARC response,
    /// a JSONL `html` field): it is not in the input as such, so the output
    /// carries it.
    pub from_html: bool,
}

/// A place in a file that holds several documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Position {
    /// A 1-based line: a JSONL line, or the line a CSV record starts on.
    Line(usize),
    /// A byte offset: where a WARC record starts (its gzip member in a
    /// `.warc.gz`, counted in compressed bytes).
    Offset(u64),
}

impl std::fmt::Display for Position {
    /// `:LINE` or `@OFFSET`, as appended to a path.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Position::Line(n) => write!(f, ":{n}"),
            Position::Offset(n) => write!(f, "@{n}"),
        }
    }
}

/// The input formats ingest reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// A plain-text article (PolNeAR or seed layout).
    #[default]
    Text,
    /// One JSON object per line.
    Jsonl,
    /// One JSON object per file (news-please's layout).
    Json,
    /// CSV or TSV with a header row, one article per record.
    Csv,
    /// A web page saved as a file.
    Html,
    /// A response record of a WARC archive.
    Warc,
    /// A page fetched over HTTP (from a feed or a URL).
    Web,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Jsonl => "jsonl",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Html => "html",
            Format::Warc => "warc",
            Format::Web => "web",
        }
    }
}

impl Document {
    /// A document whose whole text is article prose.
    pub fn plain(id: impl Into<String>, path: impl Into<String>, text: String) -> Self {
        let body = vec![Span::new(0, text.len())];
        let path = path.into();
        Document {
            id: id.into(),
            origin: Origin {
                file: path.clone(),
                ..Origin::default()
            },
            path,
            text,
            meta: Metadata::default(),
            body,
        }
    }
}

/// What is known about an article apart from its prose.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// Publication date, `YYYY-MM-DD`.
    pub date: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub outlet: Option<String>,
    pub authors: Vec<String>,
    pub editor: Option<String>,
    pub dateline: Option<Dateline>,
    /// The language of the text, ISO 639-1 (`en`, `de`): as declared by the
    /// input, or detected from the text when it is confident.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Date of the last modification, `YYYY-MM-DD` (web pages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    /// The page's own summary of the article (web pages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// When the page was fetched or crawled, `YYYY-MM-DD` (WARC, feeds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crawled: Option<String>,
}

/// "MOSCOW, February 11. /TASS/." at the head of an article.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dateline {
    /// The place as written ("MOSCOW").
    pub place: String,
    /// The date as written ("February 11"), if any.
    pub date_text: Option<String>,
    /// The news agency named in the dateline ("TASS"), if any.
    pub outlet: Option<String>,
    /// Where the dateline stands in the text.
    pub span: Span,
}

/// The role a stretch of text plays in an attribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Source,
    Cue,
    Content,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Source, Role::Cue, Role::Content];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Source => "source",
            Role::Cue => "cue",
            Role::Content => "content",
        }
    }
}

/// How the content of an attribution is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    /// The content is wholly inside quotation marks.
    Direct,
    /// Part of the content is quoted, part paraphrased.
    Mixed,
    /// Reported speech without quotation marks.
    Indirect,
}

impl QuoteKind {
    /// The name used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteKind::Direct => "direct",
            QuoteKind::Mixed => "mixed",
            QuoteKind::Indirect => "indirect",
        }
    }
}

/// Who is speaking, as written and as resolved within the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Speaker {
    /// The source text as written ("he", "the foreign minister").
    pub text: String,
    /// The fullest name the document gives that speaker ("Yuri Ushakov"),
    /// or the source text itself when it cannot be resolved to a name.
    pub name: String,
    /// Where the name was found (the mention it was resolved to).
    pub name_span: Option<Span>,
    /// The id of the [`Entity`] the speaker was resolved to (a person or an
    /// organisation), if any.
    pub entity: Option<String>,
    /// What kind of source this is: a named person or organisation, or a
    /// group ("officials", "both sides") that stays as text.
    pub kind: SpeakerKind,
}

/// What kind of thing a source is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SpeakerKind {
    Person,
    Org,
    Place,
    /// "officials", "both sides", "analysts": several unnamed people.
    Group,
    /// "the newspaper", "the statement", "reports": a document or outlet.
    Document,
    #[default]
    Unknown,
    /// A pronoun ("it", "they", "I", "who") the document does not resolve
    /// to anyone: the speaker's name is then empty (null in JSON), never
    /// the pronoun.
    Pronoun,
}

impl SpeakerKind {
    /// The name used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            SpeakerKind::Person => "person",
            SpeakerKind::Org => "org",
            SpeakerKind::Place => "place",
            SpeakerKind::Group => "group",
            SpeakerKind::Document => "document",
            SpeakerKind::Unknown => "unknown",
            SpeakerKind::Pronoun => "pronoun",
        }
    }
}

/// One statement: who said (source) how (cue) what (content).
///
/// Each role is a list of byte spans, several when the text is
/// discontinuous ("The plan, he said, is dead": content is two spans).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribution {
    pub kind: QuoteKind,
    pub source: Vec<Span>,
    pub cue: Vec<Span>,
    pub content: Vec<Span>,
    pub speaker: Option<Speaker>,
    /// Model confidence in 0..=1.
    pub confidence: f32,
    /// The date the statement refers to: an index into
    /// [`Extraction::dates`], or `None` (then the publication date).
    pub date: Option<usize>,
    /// The speaker's position toward what the statement is about.
    pub stance: Stance,
    /// The thread the statement belongs to (set in input order, across
    /// documents), if any.
    pub about: Option<String>,
    /// What the statement is about: weighted key terms, strongest first.
    pub subject: Vec<Term>,
}

/// A key term of a statement's subject: a stemmed word, or an entity
/// (`@` and its id) named in the statement or tied to one of its words
/// elsewhere in the article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Term {
    pub key: String,
    /// The form written in the article ("understandings", "Anchorage").
    pub text: String,
    pub weight: f32,
}

/// A speaker's position toward the subject of a statement (docs/stance.md).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stance {
    Affirms,
    Hopes,
    Doubts,
    Denies,
    #[default]
    Neutral,
}

impl Stance {
    pub const ALL: [Stance; 5] = [
        Stance::Affirms,
        Stance::Hopes,
        Stance::Doubts,
        Stance::Denies,
        Stance::Neutral,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Affirms => "affirms",
            Stance::Hopes => "hopes",
            Stance::Doubts => "doubts",
            Stance::Denies => "denies",
            Stance::Neutral => "neutral",
        }
    }
    pub fn parse(s: &str) -> Option<Stance> {
        Stance::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl Attribution {
    pub fn spans(&self, role: Role) -> &[Span] {
        match role {
            Role::Source => &self.source,
            Role::Cue => &self.cue,
            Role::Content => &self.content,
        }
    }
}

/// Something odd that extraction noticed and worked around.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub span: Option<Span>,
    pub message: String,
}

/// The type of a named entity (the CoNLL-2003 classes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EntityKind {
    #[serde(rename = "PERSON")]
    Person,
    #[serde(rename = "ORG")]
    Org,
    /// Places: countries, cities, regions, bases.
    #[serde(rename = "LOC")]
    Loc,
    /// Nationalities, events, laws, products…
    #[serde(rename = "MISC")]
    Misc,
}

impl EntityKind {
    pub const ALL: [EntityKind; 4] = [
        EntityKind::Person,
        EntityKind::Org,
        EntityKind::Loc,
        EntityKind::Misc,
    ];

    /// The CoNLL tag suffix: PER, ORG, LOC, MISC.
    pub fn conll(self) -> &'static str {
        match self {
            EntityKind::Person => "PER",
            EntityKind::Org => "ORG",
            EntityKind::Loc => "LOC",
            EntityKind::Misc => "MISC",
        }
    }

    /// The name used in JSON output: PERSON, ORG, LOC, MISC.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "PERSON",
            _ => self.conll(),
        }
    }
}

/// A role or title an article gives an entity ("Kremlin aide").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityRole {
    /// The role as written, without articles ("Kremlin aide", "Foreign Minister").
    pub title: String,
    /// Where the article asserts it.
    pub span: Span,
}

/// One person, organisation or place as it appears in one document, with the
/// id that identifies it across documents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// Stable id derived from a normalised name key ("per:lavrov:srgi");
    /// the same person gets the same id in every document.
    pub id: String,
    /// The fullest name the document uses.
    pub name: String,
    pub kind: EntityKind,
    /// Every other surface form used for it in the document.
    pub aliases: Vec<String>,
    pub roles: Vec<EntityRole>,
    /// Name mentions, descriptions and pronouns resolved to it, in order.
    pub mentions: Vec<Span>,
    /// Ids of other entities it might be (a bare surname shared by several
    /// known people); empty when the identity is certain.
    pub candidates: Vec<String>,
}

/// A date written in the article, normalised against its publication date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextDate {
    pub span: Span,
    /// `YYYY-MM-DD` (a day, or the Monday of a week), `YYYY-MM` or `YYYY`.
    pub value: String,
    /// `day`, `week`, `month` or `year`.
    pub granularity: &'static str,
}

impl<'de> Deserialize<'de> for TextDate {
    /// Reads a date back; the four granularities are static names.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<TextDate, D::Error> {
        #[derive(Deserialize)]
        struct Raw {
            span: Span,
            value: String,
            granularity: String,
        }
        let r = Raw::deserialize(d)?;
        let granularity = ["day", "week", "month", "year"]
            .into_iter()
            .find(|g| *g == r.granularity)
            .ok_or_else(|| {
                serde::de::Error::custom(format!("unknown date granularity {:?}", r.granularity))
            })?;
        Ok(TextDate {
            span: r.span,
            value: r.value,
            granularity,
        })
    }
}

/// What kind of reported event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    /// Meetings, summits and talks in person.
    Meeting,
    /// Phone and video calls.
    Call,
    /// A visit to a place.
    Visit,
    /// An agreement, treaty or deal signed.
    Signing,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Meeting => "meeting",
            EventKind::Call => "call",
            EventKind::Visit => "visit",
            EventKind::Signing => "signing",
        }
    }
    pub fn parse(s: &str) -> Option<EventKind> {
        [
            EventKind::Meeting,
            EventKind::Call,
            EventKind::Visit,
            EventKind::Signing,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// Someone who took part in an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    /// The entity id (a person, or a country or organisation as a side).
    pub entity: Option<String>,
    pub name: String,
    /// The side's delegation ("Russian" in "the Russian delegation
    /// included …"), when the person is named as a delegation member.
    pub delegation: Option<String>,
    /// Where the article names them.
    pub span: Span,
}

/// A place where an event happened: a named place, or a description ("a
/// military base").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventPlace {
    pub name: String,
    pub entity: Option<String>,
    pub span: Span,
}

/// A reported event (a meeting, call, visit or signing) with all the
/// mentions of it in one document merged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Identifies the event across documents ("ev:meeting:putin-trump");
    /// set in input order by the events registry.
    pub id: String,
    pub kind: EventKind,
    /// People first (the principals, then delegation members), then sides.
    pub participants: Vec<Participant>,
    pub places: Vec<EventPlace>,
    /// An index into [`Extraction::dates`], or `None` (then the
    /// publication date, or a date known from another article).
    pub date: Option<usize>,
    /// "more than three hours".
    pub duration: Option<Span>,
    /// "one-on-one", "by phone", "in a small group".
    pub formats: Vec<Span>,
    /// Planned rather than reported as having happened ("will meet").
    pub planned: bool,
    /// The words that report it ("met", "the summit", "the talks").
    pub mentions: Vec<Span>,
}

/// What extraction returns for one document: results plus diagnostics.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Extraction {
    pub attributions: Vec<Attribution>,
    pub entities: Vec<Entity>,
    /// Dates in the prose, in text order.
    pub dates: Vec<TextDate>,
    /// Reported events, in order of first mention.
    pub events: Vec<Event>,
    pub diagnostics: Vec<Diagnostic>,
    /// Why nothing was extracted, when that was on purpose (a language the
    /// models do not cover: `"unsupported language: de"`).
    pub skipped: Option<String>,
}
