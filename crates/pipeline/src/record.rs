//! The record's side of the pipeline: what ingesting grows across articles
//! (seeded from the record), copies caught within a run, and the writer's
//! items for a batch of documents. Shared by `onrecord ingest`, `serve
//! --allow-ingest`, `watch` and `link`.

use crate::{Error, Extraction, Linker, Pipeline, Result, Scratch};
use onrecord_core::Document;
use onrecord_store::{error_key, identity_url, text_hash, ArticleRecord, ErrorRecord, Item, Store};
use rayon::prelude::*;

/// What ingesting grows across articles, seeded from the record: the
/// surnames known (bare surnames link to the one full-name person), the
/// events reported and the threads of statements.
pub struct Growth {
    /// Identities, events and threads.
    pub linker: Linker,
    /// What the last batches handed to the writer (maybe not committed
    /// yet), to catch copies within a run.
    pub recent: Recent,
}

/// The keys, URLs and word hashes of the articles of the last
/// five batches of this run: copies the record may not
/// show yet (the writer commits a batch while the next is extracted).
/// Bounded: older batches are in the record, where
/// [`Store::duplicate_of`] finds them.
#[derive(Default)]
pub struct Recent {
    batches: std::collections::VecDeque<RecentBatch>,
}

#[derive(Default)]
struct RecentBatch {
    /// key → text hash
    keys: std::collections::HashMap<String, String>,
    /// URL → key
    urls: std::collections::HashMap<String, String>,
    /// text hash → key
    texts: std::collections::HashMap<String, String>,
}

/// What [`Recent::find`] saw before.
enum Seen {
    /// The same key, with the same words (a path given twice, a file and
    /// a link to it) or not (two records of one file with one id).
    Key { same_text: bool },
    /// Another key with the same URL or words.
    Copy(String),
}

impl Recent {
    /// Batches remembered: the one being built, two in the writer's
    /// queue, the one it writes, and one to spare.
    const BATCHES: usize = 5;

    fn find(&self, key: &str, url: Option<&str>, text: &str) -> Option<Seen> {
        for b in &self.batches {
            if let Some(t) = b.keys.get(key) {
                return Some(Seen::Key {
                    same_text: t == text,
                });
            }
        }
        for b in &self.batches {
            if let Some(k) = url.and_then(|u| b.urls.get(u)) {
                return Some(Seen::Copy(k.clone()));
            }
            if let Some(k) = (!text.is_empty()).then(|| b.texts.get(text)).flatten() {
                return Some(Seen::Copy(k.clone()));
            }
        }
        None
    }

    fn add(&mut self, key: &str, url: Option<String>, text: String) {
        if self.batches.is_empty() {
            self.batches.push_back(RecentBatch::default());
        }
        let Some(b) = self.batches.back_mut() else {
            return;
        };
        if let Some(u) = url {
            b.urls.insert(u, key.to_string());
        }
        if !text.is_empty() {
            b.texts.insert(text.clone(), key.to_string());
        }
        b.keys.insert(key.to_string(), text);
    }

    /// Starts the next batch, forgetting the oldest.
    fn next_batch(&mut self) {
        self.batches.push_back(RecentBatch::default());
        while self.batches.len() > Self::BATCHES {
            self.batches.pop_front();
        }
    }
}

impl Growth {
    /// The state the record `store` was left in.
    pub fn load(store: &Store) -> Result<Growth> {
        Ok(Growth {
            linker: Linker::from_record(store)?,
            recent: Recent::default(),
        })
    }

    /// Forgets the articles of this run that the record may not show yet
    /// (after a write failed and was rolled back).
    pub fn forget_recent(&mut self) {
        self.recent = Recent::default();
    }
}

/// The writer's items for documents with their keys and content hashes,
/// in input order: `Unchanged` for each one `reader` has with the same
/// hash (not extracted), else the extracted article (on all cores), with
/// identities, events and threads settled in input order through
/// `growth`, and the threads and events this touched. Shared by `ingest`
/// and `serve --allow-ingest`. Gives the problems to report (a document
/// id reused with other text), each also an error item for the record.
pub fn extract_items(
    ex: &Pipeline,
    reader: &Store,
    growth: &mut Growth,
    docs: Vec<(Document, String, String)>,
    items: &mut Vec<Item>,
) -> Result<Vec<String>> {
    let docs = docs.into_iter().map(|(d, k, h)| (d, k, h, None)).collect();
    settle_items(Some(ex), reader, growth, docs, items)
}

/// [`extract_items`] for documents extracted elsewhere (read back from the
/// interchange form, as `onrecord link` does): nothing is extracted again;
/// identities, events and threads are settled in input order as in
/// `ingest`, so the record is the one `ingest` would build.
pub fn link_items(
    reader: &Store,
    growth: &mut Growth,
    docs: Vec<(Document, Extraction, String, String)>,
    items: &mut Vec<Item>,
) -> Result<Vec<String>> {
    let docs = docs
        .into_iter()
        .map(|(d, x, k, h)| (d, k, h, Some(x)))
        .collect();
    settle_items(None, reader, growth, docs, items)
}

fn settle_items(
    ex: Option<&Pipeline>,
    reader: &Store,
    growth: &mut Growth,
    docs: Vec<(Document, String, String, Option<Extraction>)>,
    items: &mut Vec<Item>,
) -> Result<Vec<String>> {
    let record = |what: &'static str| move |source| Error::Record { what, source };
    let mut notes = Vec::new();
    let mut todo = Vec::with_capacity(docs.len());
    // the word hash of each document in `todo`, for its record
    let mut todo_texts = Vec::with_capacity(docs.len());
    growth.recent.next_batch();
    for (d, key, hash, done) in docs {
        let text = text_hash(&d.text);
        let url = identity_url(d.meta.url.as_deref());
        // a copy of an article of this run, or of the record
        let of = match growth.recent.find(&key, url.as_deref(), &text) {
            Some(Seen::Key { same_text: true }) => Some(key.clone()),
            Some(Seen::Key { same_text: false }) => {
                let message = format!(
                    "document id {:?} is used by an earlier document of this input \
                     with other text: not stored (ids must be unique)",
                    d.id
                );
                notes.push(format!("{}: {message}", d.path));
                items.push(Item::Error(ErrorRecord {
                    key: error_key(&d.path, None),
                    path: d.path.clone(),
                    line: None,
                    message,
                }));
                continue;
            }
            Some(Seen::Copy(of)) => Some(of),
            None => None,
        };
        let stored = match of {
            Some(_) => None,
            None => reader.hash_of(&key).map_err(record("reading the record"))?,
        };
        if stored.as_ref() == Some(&hash) {
            growth.recent.add(&key, url, text);
            let error_key = error_key(&d.path, None);
            items.push(Item::Unchanged { key, error_key });
            continue;
        }
        let of = match of {
            Some(of) => Some(of),
            None => reader
                .duplicate_of(&key, url.as_deref(), &text)
                .map_err(record("reading the record"))?,
        };
        if let Some(of) = of {
            let error_key = error_key(&d.path, None);
            items.push(Item::Duplicate { key, of, error_key });
            continue;
        }
        if stored.is_some() {
            // a changed article: its old statements leave their threads
            growth.linker.forget(reader, &key)?;
        }
        growth.recent.add(&key, url, text.clone());
        todo.push((d, key, hash, done));
        todo_texts.push(text);
    }
    let mut extracted: Vec<(Document, String, String, onrecord_core::Extraction)> = todo
        .into_par_iter()
        .map_init(Scratch::default, |s, (d, key, hash, done)| {
            let extraction = match (done, ex) {
                (Some(x), _) => x,
                (None, Some(ex)) => ex.process_with(&d, s),
                (None, None) => Extraction::default(),
            };
            (d, key, hash, extraction)
        })
        .collect();
    // identities, events and threads are settled in input order, as in `extract`
    let touched = growth
        .linker
        .link_all(extracted.iter_mut().map(|(d, _, _, x)| (&*d, x)));
    items.extend(
        growth
            .linker
            .state_items(extracted.iter().map(|(_, _, _, x)| x), touched),
    );
    items.extend(
        extracted
            .into_iter()
            .zip(todo_texts)
            .map(|((d, key, hash, x), text)| {
                Item::Article(ArticleRecord::new(key, hash, text, d, &x))
            }),
    );
    Ok(notes)
}
