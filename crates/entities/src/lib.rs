//! Entities: who and what an article names, and one identity for each
//! across articles.
//!
//! - [`labels`], [`features`], [`model`], [`training`]: the PERSON / ORG /
//!   LOC / MISC tagger (two stacked averaged-perceptron passes over hashed
//!   features, trained on CoNLL-2003 by `onrecord train ner`);
//! - [`conll`]: reading, scoring and writing CoNLL files;
//! - [`resolve`]: mentions grouped into the entities of one document, with
//!   roles and descriptions ("the top diplomat");
//! - [`roles`]: role titles and the descriptions that fit them;
//! - [`identity`]: name keys (Yuri = Yury Ushakov) and the [`Registry`]
//!   that links bare surnames across documents.
//!
//! [`EntityExtractor::extract`] runs after attribution extraction: it fills
//! [`Extraction::entities`] and points each speaker at its entity.

pub mod conll;
pub mod features;
pub mod identity;
pub mod labels;
pub mod model;
pub mod resolve;
pub mod roles;
pub mod training;

pub use identity::Registry;
pub use model::{NerModel, TagScratch};
pub use resolve::Mention;

use identity::Lookup;
use onrecord_core::{Document, Entity, EntityKind, Extraction, Span, SpeakerKind};
use onrecord_tagger::ModelError;
use onrecord_text::TextLayer;
use std::ops::Range;

/// The entity model shipped with OnRecord (see `models/entities.card.md`).
pub static EMBEDDED_MODEL: &[u8] = include_bytes!("../../../models/entities.ortag");

pub fn embedded_model() -> Result<NerModel, ModelError> {
    NerModel::from_bytes(EMBEDDED_MODEL)
}

/// Tags entities and links speakers to them. Cheap to share across threads.
pub struct EntityExtractor {
    model: NerModel,
}

/// Per-thread buffers, reused across documents.
#[derive(Default)]
pub struct Scratch {
    tag: TagScratch,
    labels: Vec<u8>,
    sentences: Vec<Range<usize>>,
}

impl EntityExtractor {
    pub fn embedded() -> Result<EntityExtractor, ModelError> {
        Ok(EntityExtractor {
            model: embedded_model()?,
        })
    }

    pub fn from_model(model: NerModel) -> EntityExtractor {
        EntityExtractor { model }
    }

    /// Tagged name mentions of a document.
    pub fn mentions(&self, text: &str, layer: &TextLayer, s: &mut Scratch) -> Vec<Mention> {
        s.sentences.clear();
        s.sentences.extend(
            layer
                .sentences
                .iter()
                .map(|x| x.tokens.start as usize..x.tokens.end as usize),
        );
        self.model.tag(
            layer.tokens.iter().map(|t| t.text(text)),
            &s.sentences,
            &mut s.tag,
            &mut s.labels,
        );
        for (i, l) in s.labels.iter_mut().enumerate() {
            if s.tag.info.truecased(i) {
                *l = 0;
            }
        }
        resolve::mentions(text, layer, &s.labels)
    }

    /// Fills `ex.entities` and links each attribution's speaker to its
    /// entity (`speaker.entity`, `speaker.kind`, and `speaker.name` = the
    /// entity's fullest name).
    ///
    /// The dateline's outlet and place ("MOSCOW, February 11. /TASS/.") are
    /// entities of the article too, with the dateline as their mention.
    pub fn extract(&self, doc: &Document, layer: &TextLayer, ex: &mut Extraction, s: &mut Scratch) {
        let text = &doc.text;
        let mut ms = if layer.tokens.is_empty() {
            Vec::new()
        } else {
            self.mentions(text, layer, s)
        };
        let mut extra = Vec::new();
        if let Some(d) = &doc.meta.dateline {
            let at = |needle: &str| {
                d.span.text(text).find(needle).map(|k| {
                    Span::new(
                        d.span.start as usize + k,
                        d.span.start as usize + k + needle.len(),
                    )
                })
            };
            if let Some(sp) = d.outlet.as_deref().and_then(|o| at(o).map(|sp| (o, sp))) {
                extra.push((sp.0.to_string(), sp.1, EntityKind::Org));
            }
            if let Some(sp) = at(&d.place) {
                extra.push((d.place.clone(), sp, EntityKind::Loc));
            }
        }
        let ents = resolve::group_with(text, layer, &mut ms, &extra);
        ex.entities = ents;
        link_speakers(ex);
    }
}

fn speaker_kind(k: EntityKind) -> SpeakerKind {
    match k {
        EntityKind::Person => SpeakerKind::Person,
        EntityKind::Org => SpeakerKind::Org,
        EntityKind::Loc => SpeakerKind::Place,
        EntityKind::Misc => SpeakerKind::Unknown,
    }
}

/// Words that head a source naming several unnamed people.
const GROUP_HEADS: &[&str] = &[
    "officials",
    "sides",
    "analysts",
    "experts",
    "sources",
    "critics",
    "lawmakers",
    "people",
    "residents",
    "diplomats",
    "leaders",
    "observers",
    "authorities",
    "members",
    "supporters",
    "voters",
    "others",
    "some",
    "many",
    "both",
    "they",
    "we",
    "democrats",
    "republicans",
    "aides",
    "advisers",
    "investigators",
    "prosecutors",
    "officers",
    "activists",
    "economists",
    "scientists",
    "researchers",
    "doctors",
    "witnesses",
    "parties",
    "countries",
    "governments",
    "allies",
    "opponents",
    "protesters",
    "americans",
    "russians",
    "ukrainians",
    "europeans",
];

/// Words that head a source that is a text or an outlet.
const DOCUMENT_HEADS: &[&str] = &[
    "newspaper",
    "report",
    "reports",
    "statement",
    "statements",
    "agency",
    "website",
    "poll",
    "polls",
    "survey",
    "study",
    "data",
    "documents",
    "document",
    "letter",
    "filing",
    "article",
    "memo",
    "analysis",
    "release",
    "communique",
    "tweet",
    "post",
    "bill",
    "law",
    "resolution",
    "complaint",
    "lawsuit",
    "ruling",
    "decision",
    "announcement",
    "publication",
    "outlet",
];

fn classify_unlinked(source: &str) -> SpeakerKind {
    let last = source
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .last()
        .unwrap_or("")
        .to_lowercase();
    if GROUP_HEADS.contains(&last.as_str()) {
        SpeakerKind::Group
    } else if DOCUMENT_HEADS.contains(&last.as_str()) {
        SpeakerKind::Document
    } else {
        SpeakerKind::Unknown
    }
}

/// Points each speaker at the entity its source (or the name it was
/// resolved to) is a mention of; persons before organisations before
/// places. A pronoun or description resolved to an entity is added to
/// that entity's mentions.
pub fn link_speakers(ex: &mut Extraction) {
    let rank = |k: EntityKind| match k {
        EntityKind::Person => 0,
        EntityKind::Org => 1,
        EntityKind::Loc => 2,
        EntityKind::Misc => 3,
    };
    let Extraction {
        attributions,
        entities,
        ..
    } = ex;
    for a in attributions.iter_mut() {
        let Some(sp) = a.speaker.as_mut() else {
            continue;
        };
        let hit = |spans: &[onrecord_core::Span]| -> Option<usize> {
            (0..entities.len())
                .filter(|&k| {
                    entities[k]
                        .mentions
                        .iter()
                        .any(|m| spans.iter().any(|s| s.overlaps(*m)))
                })
                .min_by_key(|&k| rank(entities[k].kind))
        };
        let found = hit(&a.source)
            .or_else(|| sp.name_span.and_then(|n| hit(&[n])))
            .or_else(|| {
                entities.iter().position(|e| {
                    e.kind == EntityKind::Person
                        && (e.name.eq_ignore_ascii_case(&sp.name)
                            || e.aliases.iter().any(|x| x.eq_ignore_ascii_case(&sp.name)))
                })
            });
        match found {
            Some(k) => {
                let e = &mut entities[k];
                sp.entity = Some(e.id.clone());
                sp.kind = speaker_kind(e.kind);
                if e.kind == EntityKind::Person {
                    sp.name = e.name.clone();
                }
                for &s in &a.source {
                    if !e.mentions.iter().any(|m| m.overlaps(s)) {
                        e.mentions.push(s);
                    }
                }
                e.mentions.sort();
            }
            None => sp.kind = classify_unlinked(&sp.text),
        }
    }
}

/// Gives bare surnames the id of the one full-name person known with that
/// surname (in this document or earlier ones), or keeps their own id and
/// lists the candidates; then records this document's full names. Run it
/// on documents in order, after [`EntityExtractor::extract`].
pub fn apply_registry(ex: &mut Extraction, reg: &mut Registry) {
    for e in &ex.entities {
        if e.kind == EntityKind::Person {
            reg.add(&e.id);
            for r in &e.roles {
                reg.add_role(&e.id, &r.title, 1);
            }
        }
    }
    let mut renamed: Vec<(String, String)> = Vec::new();
    for e in &mut ex.entities {
        if e.kind != EntityKind::Person || e.id.matches(':').count() != 1 {
            continue;
        }
        let titles: Vec<String> = e.roles.iter().map(|r| r.title.clone()).collect();
        match reg.lookup_surname_titled(&e.id, &titles) {
            Lookup::One(full) => {
                // the record stores these roles under the full id: so does
                // the registry, so that a run and a resumed run agree
                for t in &titles {
                    reg.add_role(&full, t, 1);
                }
                renamed.push((e.id.clone(), full.clone()));
                e.id = full;
            }
            Lookup::Several(c) => e.candidates = c,
            Lookup::None => {}
        }
    }
    for a in &mut ex.attributions {
        if let Some(sp) = a.speaker.as_mut() {
            if let Some(id) = sp.entity.as_mut() {
                if let Some((_, new)) = renamed.iter().find(|(old, _)| old == id) {
                    *id = new.clone();
                }
            }
        }
    }
}

/// Entities merged across documents by id: all names, roles and counts.
#[derive(Debug, Clone)]
pub struct MergedEntity {
    pub id: String,
    pub name: String,
    pub kind: EntityKind,
    pub aliases: std::collections::BTreeSet<String>,
    /// (title, date of the article that asserts it)
    pub roles: Vec<(String, Option<String>)>,
    pub documents: usize,
    pub mentions: usize,
    pub candidates: std::collections::BTreeSet<String>,
}

impl MergedEntity {
    pub fn new(e: &Entity) -> MergedEntity {
        MergedEntity {
            id: e.id.clone(),
            name: e.name.clone(),
            kind: e.kind,
            aliases: Default::default(),
            roles: Vec::new(),
            documents: 0,
            mentions: 0,
            candidates: Default::default(),
        }
    }

    /// Adds one document's view of the entity.
    pub fn add(&mut self, e: &Entity, date: Option<&str>) {
        self.documents += 1;
        self.mentions += e.mentions.len();
        for n in std::iter::once(&e.name).chain(&e.aliases) {
            self.aliases.insert(n.clone());
        }
        if identity::count_person_parts(&e.name) > identity::count_person_parts(&self.name) {
            self.name = e.name.clone();
        }
        self.aliases.remove(&self.name);
        for r in &e.roles {
            let d = date.map(str::to_string);
            if !self
                .roles
                .iter()
                .any(|(t, dd)| t.eq_ignore_ascii_case(&r.title) && *dd == d)
            {
                self.roles.push((r.title.clone(), d));
            }
        }
        self.candidates.extend(e.candidates.iter().cloned());
    }
}
