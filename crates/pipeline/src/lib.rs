//! The OnRecord pipeline as a library: what the CLI, the Python package and
//! the Spark job all call.
//!
//! This crate owns the parts that tie the stages together:
//!
//! - **loading every model once** ([`Pipeline::load`], [`Pipeline::builder`]
//!   with the options the CLI has: another attribution or entity model, no
//!   entities, rule-only stance);
//! - **one document in, its extraction out** ([`Pipeline::process`]): pure,
//!   thread-safe, no I/O; a [`Pipeline`] is `Sync`, so one instance serves
//!   every worker thread;
//! - **the output contract** ([`output`]): the JSON of `docs/output.md`
//!   (offsets in Unicode code points into the text the output carries) and,
//!   with the `arrow` feature, Arrow record batches of statements, entities
//!   and events ([`arrow`]);
//! - **the cross-document step** ([`Linker`]): identities, events and
//!   threads settled over a stream of extractions in input order, right
//!   after extraction or later over stored or exported extractions
//!   ([`interchange`]); and the record's side of it ([`record`]: what
//!   ingesting grows, seeded from the record, and the writer's items).
//!
//! State crosses documents in two places only: the [`Linker`] (in memory,
//! in input order) and the record ([`record::Growth::load`] seeds a linker
//! from it). Extraction itself never sees another document.
//!
//! ```no_run
//! use onrecord_pipeline::{Linker, Pipeline};
//! let nlp = Pipeline::load()?;
//! let doc = onrecord_pipeline::document(
//!     r#"{"id": "a1", "date": "2025-11-12", "text": "\"We are ready,\" Lavrov said."}"#,
//!     "-",
//! )?;
//! let mut ex = nlp.process(&doc);
//! let mut linker = Linker::default();
//! linker.link(&doc, &mut ex);
//! let mut json = Vec::new();
//! onrecord_pipeline::output::write_document(&mut json, &doc, &ex)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

#[cfg(feature = "arrow")]
pub mod arrow;
pub mod interchange;
pub mod linker;
pub mod models;
pub mod output;
pub mod record;

pub use linker::Linker;
pub use onrecord_core::{Document, Extraction};

use onrecord_attribution::Extractor;
use onrecord_entities::EntityExtractor;
use rayon::prelude::*;
use std::cell::RefCell;
use std::path::{Path, PathBuf};

/// What can go wrong outside a document: a model that cannot be read, a
/// record that cannot be read, an article given as JSON that is not one.
/// Problems inside a document never abort it: they are diagnostics.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A model file that cannot be read.
    #[error("reading model {}: {source}", path.display())]
    ReadModel {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A model file that is not a model of its kind.
    #[error("loading model {}: {source}", path.display())]
    BadModel {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error(
        "the built-in {what} model is missing or corrupt; run `onrecord train {what}` and rebuild: {source}"
    )]
    /// The model compiled in is missing or corrupt (a broken build).
    BuiltIn {
        /// Which model (`attribution`, `ner`, `chunks`).
        what: &'static str,
        /// What is wrong with it.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// An article given as JSON that cannot be read (the message names
    /// the field or the column, as for a JSONL line).
    #[error("{0}")]
    Document(String),
    /// Reading or writing the record.
    #[error("{what}: {source}")]
    Record {
        /// What was being done.
        what: &'static str,
        /// The store's error.
        source: onrecord_store::StoreError,
    },
    /// An exported extraction that cannot be read back.
    #[error("{0}")]
    Interchange(String),
}

/// The library's results.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The languages the models were trained on.
pub const LANGUAGES: [&str; 1] = ["en"];

/// The document's language, when it is known and not one the models cover.
pub fn unsupported_language(doc: &Document) -> Option<&str> {
    doc.meta
        .language
        .as_deref()
        .filter(|l| !LANGUAGES.contains(l))
}

/// One article given as a JSON object, read exactly as a JSONL line is
/// (`text` or `html` required; `id`, `date`, `title`, `url`, `outlet`,
/// `authors`, … as docs/inputs.md lists). `path` is stored as the
/// document's path. Without an `id` the document gets one from its words.
pub fn document(json: &str, path: &str) -> Result<Document> {
    onrecord_ingest::parse_json_article(json, path.to_string(), |text| {
        format!("doc-{:016x}", fnv1a(text))
    })
    .map_err(|e| Error::Document(e.to_string()))
}

/// [`document`] for a JSON object already parsed (a Python dict).
pub fn document_from_map(
    obj: serde_json::Map<String, serde_json::Value>,
    path: &str,
) -> Result<Document> {
    onrecord_ingest::parse_json_object(obj, path.to_string(), |text| {
        format!("doc-{:016x}", fnv1a(text))
    })
    .map_err(|e| Error::Document(e.to_string()))
}

fn fnv1a(s: &str) -> u64 {
    // FNV-1a: a stable id from the words, not a security hash
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Every extraction stage, loaded once and shared by all worker threads.
pub struct Pipeline {
    attribution: Extractor,
    /// `None` without entities.
    entities: Option<EntityExtractor>,
    /// Subjects and stances of statements.
    describer: onrecord_threads::Describer,
}

/// Per-thread buffers of every stage: reused from one document to the
/// next so that the hot path does not allocate them again.
#[derive(Default)]
pub struct Scratch {
    attribution: onrecord_attribution::Scratch,
    entities: onrecord_entities::Scratch,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// The options of [`Pipeline::load`]: the same as the CLI's.
#[derive(Debug, Clone)]
pub struct Builder {
    model: Option<PathBuf>,
    ner_model: Option<PathBuf>,
    entities: bool,
    stance_model: bool,
}

impl Default for Builder {
    fn default() -> Self {
        Builder {
            model: None,
            ner_model: None,
            entities: true,
            stance_model: true,
        }
    }
}

impl Builder {
    /// An attribution model file instead of the built-in one (`--model`).
    pub fn model(mut self, path: Option<&Path>) -> Builder {
        self.model = path.map(Path::to_path_buf);
        self
    }
    /// An entity model file instead of the built-in one (`--ner-model`).
    pub fn ner_model(mut self, path: Option<&Path>) -> Builder {
        self.ner_model = path.map(Path::to_path_buf);
        self
    }
    /// Whether to tag entities, events and speaker identities
    /// (`--no-entities` turns them off).
    pub fn entities(mut self, on: bool) -> Builder {
        self.entities = on;
        self
    }
    /// Whether stance uses the trained model (the default) or rules only.
    pub fn stance_model(mut self, on: bool) -> Builder {
        self.stance_model = on;
        self
    }
    /// Loads every model.
    pub fn load(self) -> Result<Pipeline> {
        let attribution = models::attribution(self.model.as_deref())?;
        let entities = if self.entities {
            Some(EntityExtractor::from_model(models::ner(
                self.ner_model.as_deref(),
            )?))
        } else {
            None
        };
        let describer = if self.stance_model {
            onrecord_threads::Describer::default()
        } else {
            onrecord_threads::Describer::new(onrecord_threads::Idf::embedded(), None)
        };
        Ok(Pipeline {
            attribution,
            entities,
            describer,
        })
    }
}

impl Pipeline {
    /// Every built-in model, with the default options.
    pub fn load() -> Result<Pipeline> {
        Builder::default().load()
    }

    /// Options for loading.
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// Replaces the stance model (training and evaluating stance).
    pub fn set_describer(&mut self, d: onrecord_threads::Describer) {
        self.describer = d;
    }

    /// Whether entities are tagged.
    pub fn has_entities(&self) -> bool {
        self.entities.is_some()
    }

    /// The attribution extractor alone (evaluation).
    pub fn attribution(&self) -> &Extractor {
        &self.attribution
    }

    /// Text layer, attributions, entities, dates, events, subjects and
    /// stances of one document. Identities of bare surnames, event ids
    /// and threads are settled afterwards, across documents, by a
    /// [`Linker`]. A document in a language the models do not cover gets
    /// nothing but `skipped` and a diagnostic.
    pub fn process(&self, doc: &Document) -> Extraction {
        SCRATCH.with(|s| match s.try_borrow_mut() {
            Ok(mut s) => self.process_with(doc, &mut s),
            Err(_) => self.process_with(doc, &mut Scratch::default()),
        })
    }

    /// [`Pipeline::process`] with the caller's buffers.
    pub fn process_with(&self, doc: &Document, s: &mut Scratch) -> Extraction {
        if let Some(lang) = unsupported_language(doc) {
            let why = format!("unsupported language: {lang}");
            return Extraction {
                diagnostics: vec![onrecord_core::Diagnostic {
                    span: None,
                    message: format!("{why}: not extracted (the models are English)"),
                }],
                skipped: Some(why),
                ..Extraction::default()
            };
        }
        let layer = onrecord_text::analyze(&doc.text, &doc.body);
        let mut ex = self
            .attribution
            .extract(&doc.text, &layer, &mut s.attribution);
        if let Some(e) = &self.entities {
            e.extract(doc, &layer, &mut ex, &mut s.entities);
        }
        add_dates(doc, &layer, &mut ex);
        if self.entities.is_some() {
            ex.events = onrecord_events::extract(&doc.text, &layer, &ex);
        }
        self.describer.describe(doc, &layer, &mut ex);
        unresolved_pronouns(&mut ex);
        ex
    }

    /// Every document of `docs` on the current rayon pool (all cores, or
    /// the pool the caller installed), in input order. Not linked.
    pub fn process_batch(&self, docs: &[Document]) -> Vec<Extraction> {
        docs.par_iter()
            .map_init(Scratch::default, |s, d| self.process_with(d, s))
            .collect()
    }
}

/// Pronouns that can stand for a speaker.
const PRONOUNS: [&str; 19] = [
    "i", "me", "we", "us", "you", "he", "him", "she", "her", "it", "they", "them", "who", "whom",
    "which", "that", "this", "these", "those",
];

/// A speaker still named by a bare pronoun after resolution ("it said",
/// "they found", "I guess") is unresolved: no name, kind `pronoun`, so that
/// no list or search ever shows "who" or "they" as a person.
fn unresolved_pronouns(ex: &mut Extraction) {
    for a in &mut ex.attributions {
        if let Some(s) = &mut a.speaker {
            let name = s.name.trim();
            if s.entity.is_none() && PRONOUNS.iter().any(|p| p.eq_ignore_ascii_case(name)) {
                s.name.clear();
                s.name_span = None;
                s.kind = onrecord_core::SpeakerKind::Pronoun;
            }
        }
    }
}

/// Dates in the prose (normalised against the publication date), and for
/// each attribution the date in the sentence of its cue (or content).
fn add_dates(doc: &Document, layer: &onrecord_text::TextLayer, ex: &mut Extraction) {
    let published = doc
        .meta
        .date
        .as_deref()
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let found = onrecord_dates::find(&doc.text, layer, published);
    for a in &mut ex.attributions {
        if let Some(&anchor) = a.cue.first().or(a.content.first()) {
            a.date = onrecord_dates::date_of(layer, &found, anchor);
        }
    }
    ex.dates = found
        .into_iter()
        .map(|d| onrecord_core::TextDate {
            span: d.span,
            value: d.value(),
            granularity: d.granularity.as_str(),
        })
        .collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipeline_is_shared_across_threads() {
        fn sync<T: Sync + Send>() {}
        sync::<Pipeline>();
    }

    #[test]
    fn a_json_article_without_text_is_an_error_naming_the_field() {
        let e = document(r#"{"id": "x", "title": "no text"}"#, "-").unwrap_err();
        assert!(matches!(e, Error::Document(_)));
        assert!(e.to_string().contains("text"), "{e}");
    }

    #[test]
    fn an_id_from_the_words_is_stable() {
        let a = document(r#"{"text": "Lavrov said so."}"#, "-").unwrap();
        let b = document(r#"{"text": "Lavrov said so."}"#, "-").unwrap();
        let c = document(r#"{"text": "Rubio said so."}"#, "-").unwrap();
        assert_eq!(a.id, b.id);
        assert_ne!(a.id, c.id);
    }

    #[test]
    fn a_document_in_another_language_is_skipped_with_a_diagnostic() {
        let p = Pipeline::builder().entities(false).load().unwrap();
        let d = document(
            r#"{"id": "de", "language": "de", "text": "„Wir sind bereit“, sagte Lawrow."}"#,
            "-",
        )
        .unwrap();
        let ex = p.process(&d);
        assert_eq!(ex.skipped.as_deref(), Some("unsupported language: de"));
        assert!(ex.attributions.is_empty());
        assert_eq!(ex.diagnostics.len(), 1);
    }
}
