//! Threads: what statements are about, which way they lean, and how they
//! group across articles.
//!
//! - [`terms`]: a statement's subject, as weighted key terms (content
//!   words, named things, and named things the article ties to its words);
//! - [`stance`]: affirms / hopes / doubts / denies / neutral, by rules;
//! - [`cluster`]: incremental, stable grouping of statements into threads;
//! - [`idf`]: word weights from a news corpus (`onrecord train idf`).
//!
//! [`Describer::describe`] runs per document (in parallel) and fills
//! `subject` and `stance`; [`Threads::assign`] runs in input order and sets
//! `about`.

pub mod cluster;
pub mod idf;
pub mod stance;
pub mod terms;

pub use cluster::{Thread, Threads};
pub use idf::Idf;

use onrecord_core::{Document, Extraction};
use onrecord_text::TextLayer;

/// Per-document step: subjects and stances of every attribution.
#[derive(Debug, Clone)]
pub struct Describer {
    idf: Idf,
}

impl Default for Describer {
    fn default() -> Self {
        Describer {
            idf: Idf::embedded(),
        }
    }
}

impl Describer {
    pub fn new(idf: Idf) -> Describer {
        Describer { idf }
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
            a.stance = stance::stance(text, layer, a);
        }
    }
}
