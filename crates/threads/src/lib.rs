//! Threads: what statements are about, which way they lean, and how they
//! group across articles.
//!
//! - [`terms`]: a statement's subject, as weighted key terms (content
//!   words, named things, and named things the article ties to its words);
//! - [`stance`]: affirms / hopes / doubts / denies / neutral, by rules;
//! - [`stance_model`]: the same, by a classifier trained on hand-labelled
//!   statements (the rules' answer is one of its features); used when
//!   `models/stance.bin` holds one;
//! - [`cluster`]: incremental, stable grouping of statements into threads;
//! - [`idf`]: word weights from a news corpus (`onrecord train idf`).
//!
//! [`Describer::describe`] runs per document (in parallel) and fills
//! `subject` and `stance`; [`Threads::assign`] runs in input order and sets
//! `about`.

pub mod cluster;
pub mod idf;
pub mod stance;
pub mod stance_model;
pub mod terms;

pub use cluster::{Thread, Threads};
pub use idf::Idf;
pub use stance_model::StanceModel;

use onrecord_core::{Document, Extraction};
use onrecord_text::TextLayer;

/// Per-document step: subjects and stances of every attribution.
#[derive(Debug, Clone)]
pub struct Describer {
    idf: Idf,
    /// The trained stance classifier; the rules alone without it.
    stance: Option<StanceModel>,
}

impl Default for Describer {
    fn default() -> Self {
        Describer {
            idf: Idf::embedded(),
            stance: StanceModel::embedded(),
        }
    }
}

impl Describer {
    pub fn new(idf: Idf, stance: Option<StanceModel>) -> Describer {
        Describer { idf, stance }
    }

    /// Fills `subject` and `stance` of each attribution. Needs entities.
    pub fn describe(&self, doc: &Document, layer: &TextLayer, ex: &mut Extraction) {
        if ex.attributions.is_empty() {
            return;
        }
        let text = doc.text.as_str();
        let dateline = doc.meta.dateline.as_ref().map(|d| d.span);
        let ctx = terms::DocContext::new(text, layer, ex, dateline);
        for i in 0..ex.attributions.len() {
            let subject = terms::subject(text, layer, ex, &ex.attributions[i], &ctx, &self.idf);
            let a = &mut ex.attributions[i];
            a.subject = subject;
            let (words, cue_words) = stance::words(text, layer, a);
            a.stance = match &self.stance {
                Some(m) => m.predict(&words, cue_words),
                None => stance::classify(&words),
            };
        }
    }
}
