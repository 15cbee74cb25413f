//! The cross-document step: what one document's extraction cannot know by
//! itself, settled over a stream of extractions in input order.
//!
//! - **identities**: a bare surname ("Lavrov") takes the id of the one
//!   full-name person of that surname seen before ("Sergei Lavrov");
//! - **events**: a meeting reported by two articles gets one id;
//! - **threads**: each statement joins the thread of its subject (or
//!   starts one), with the publication date.
//!
//! Invariant: the result depends on the extractions and their order only,
//! never on how they were batched or on the number of threads; so the
//! caller links in input order, on one thread.

use crate::{Document, Error, Extraction, Result};
use onrecord_entities::{apply_registry, Registry};

/// Identities, events and threads settled across documents.
#[derive(Default)]
pub struct Linker {
    pub(crate) registry: Registry,
    pub(crate) events: onrecord_events::Registry,
    pub(crate) threads: onrecord_threads::Threads,
}

impl Linker {
    /// Settles `ex`, the extraction of `doc`, against everything linked
    /// before it; gives the indexes (into [`Linker::threads`]) of the
    /// threads its statements joined or started.
    pub fn link(&mut self, doc: &Document, ex: &mut Extraction) -> Vec<usize> {
        apply_registry(ex, &mut self.registry);
        self.events.link(ex);
        self.threads.assign(ex, doc.meta.date.as_deref())
    }

    /// Every extraction of `batch`, in order.
    pub fn link_all<'a>(
        &mut self,
        batch: impl IntoIterator<Item = (&'a Document, &'a mut Extraction)>,
    ) -> Vec<usize> {
        let mut touched = Vec::new();
        for (d, x) in batch {
            touched.extend(self.link(d, x));
        }
        touched
    }

    /// The threads so far.
    pub fn threads(&self) -> &onrecord_threads::Threads {
        &self.threads
    }

    /// The events so far.
    pub fn events(&self) -> &onrecord_events::Registry {
        &self.events
    }

    /// The state the record `store` was left in: the people it knows, its
    /// events and its threads, so that linking goes on from there.
    pub fn from_record(store: &onrecord_store::Store) -> Result<Linker> {
        let record = |what: &'static str| move |source| Error::Record { what, source };
        let mut registry = Registry::default();
        for e in store
            .entities()
            .map_err(record("reading the record's entities"))?
        {
            registry.add(&e.id);
        }
        for (id, title, times) in store
            .person_titles()
            .map_err(record("reading the record's roles"))?
        {
            registry.add_role(&id, &title, times);
        }
        let mut events = onrecord_events::Registry::default();
        for e in store
            .load_events()
            .map_err(record("reading the record's events"))?
        {
            let Some(kind) = onrecord_core::EventKind::parse(&e.kind) else {
                continue;
            };
            events.add_known(onrecord_events::Known {
                id: e.id,
                kind,
                principals: from_json(&e.principals),
                places: from_json(&e.places),
                date: e.date,
            });
        }
        let mut threads = onrecord_threads::Threads::default();
        for t in store
            .load_threads()
            .map_err(record("reading the record's threads"))?
        {
            threads.add(onrecord_threads::Thread {
                id: t.id,
                centroid: from_json(&t.centroid),
                size: t.size.max(0) as u32,
                first: t.first,
                last: t.last,
                events: from_json(&t.events),
            });
        }
        Ok(Linker {
            registry,
            events,
            threads,
        })
    }

    /// Takes the stored statements of the article `key` out of their
    /// threads (the article changed and is extracted again).
    pub fn forget(&mut self, store: &onrecord_store::Store, key: &str) -> Result<()> {
        let subjects = store.stored_subjects(key).map_err(|source| Error::Record {
            what: "reading the record's statements",
            source,
        })?;
        for (thread, subject) in subjects {
            let subject: Vec<onrecord_core::Term> = from_json(&subject);
            self.threads.remove(&thread, &subject);
        }
        Ok(())
    }

    /// The writer's items that save the threads in `touched` and the
    /// events the extractions of a batch name.
    pub fn state_items<'a>(
        &self,
        extractions: impl IntoIterator<Item = &'a Extraction>,
        mut touched: Vec<usize>,
    ) -> Vec<onrecord_store::Item> {
        use onrecord_store::{EventRecord, Item, ThreadRecord};
        touched.sort_unstable();
        touched.dedup();
        let mut items = Vec::new();
        for k in touched {
            let t = &self.threads.all()[k];
            items.push(Item::Thread(ThreadRecord {
                id: t.id.clone(),
                seq: t.id.trim_start_matches('t').parse().unwrap_or(0),
                label: t.label(),
                centroid: serde_json::to_string(&t.centroid).unwrap_or_else(|_| "[]".into()),
                size: t.size as i64,
                first: t.first.clone(),
                last: t.last.clone(),
                events: serde_json::to_string(&t.events).unwrap_or_else(|_| "[]".into()),
            }));
        }
        let mut ids: Vec<&str> = extractions
            .into_iter()
            .flat_map(|x| x.events.iter().map(|e| e.id.as_str()))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        for k in self
            .events
            .known()
            .iter()
            .filter(|k| ids.binary_search(&k.id.as_str()).is_ok())
        {
            items.push(Item::Event(EventRecord {
                id: k.id.clone(),
                kind: k.kind.as_str().to_string(),
                date: k.date.clone(),
                principals: serde_json::to_string(&k.principals).unwrap_or_else(|_| "[]".into()),
                places: serde_json::to_string(&k.places).unwrap_or_else(|_| "[]".into()),
            }));
        }
        items
    }
}

/// A JSON column of the record; a malformed one reads as empty (the
/// record wrote it, from the same types).
fn from_json<T: serde::de::DeserializeOwned + Default>(s: &str) -> T {
    serde_json::from_str(s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{document, Pipeline};

    #[test]
    fn a_bare_surname_takes_the_id_of_the_full_name_seen_before() {
        let p = Pipeline::load().unwrap();
        let a = document(
            r#"{"id": "a", "date": "2025-08-01", "text": "Russian Foreign Minister Sergei Lavrov said on Friday that talks would go on."}"#,
            "-",
        )
        .unwrap();
        let b = document(
            r#"{"id": "b", "date": "2025-08-02", "text": "Lavrov said the talks were useful."}"#,
            "-",
        )
        .unwrap();
        let (mut xa, mut xb) = (p.process(&a), p.process(&b));
        let alone = p.process(&b);
        let mut l = Linker::default();
        l.link(&a, &mut xa);
        l.link(&b, &mut xb);
        let id = |x: &Extraction| {
            x.entities
                .iter()
                .find(|e| e.name.contains("Lavrov"))
                .map(|e| e.id.clone())
        };
        assert_eq!(id(&xa), id(&xb), "linked: one Lavrov");
        assert_ne!(
            id(&alone),
            id(&xb),
            "unlinked, the bare surname has an id of its own"
        );
    }
}
