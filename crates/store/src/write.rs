//! The single writer: one transaction per batch.

use crate::record::{
    name_key, ArticleRecord, ErrorRecord, EventRecord, FeedRecord, PageFailure, PageRecord,
    ThreadRecord,
};
use crate::{Result, Store};
use rusqlite::{params, OptionalExtension, Transaction};

/// One thing for the writer to do.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)] // one per document, moved, never stored in bulk
pub enum Item {
    /// An extracted article: added, or replacing an older version.
    Article(ArticleRecord),
    /// An article whose stored hash was found equal before extraction.
    Unchanged { key: String, error_key: String },
    /// A copy of an article already in the record (or earlier in the same
    /// run) under another key (`of`): the same URL, or the same words; or
    /// the same key given twice. Not extracted, not written.
    Duplicate {
        key: String,
        of: String,
        error_key: String,
    },
    /// An input that could not be read.
    Error(ErrorRecord),
    /// A thread's new state (after the batch's articles joined it).
    Thread(ThreadRecord),
    /// An event's new state in the registry.
    Event(EventRecord),
    /// A page fetched from a feed or a URL (written after the article it
    /// became, in the same batch).
    Page(PageRecord),
    /// A failed attempt at a page.
    PageFailure(PageFailure),
    /// A feed's state after a poll (validators only once all its pages are
    /// in the record).
    Feed(FeedRecord),
}

/// What one batch (or a whole run, summed) did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct BatchSummary {
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Copies of articles already in the record, not written again.
    pub duplicates: u64,
    /// Statements written (new and updated articles).
    pub attributions: u64,
    pub errors: u64,
}

impl std::ops::AddAssign for BatchSummary {
    fn add_assign(&mut self, o: BatchSummary) {
        self.new += o.new;
        self.updated += o.updated;
        self.unchanged += o.unchanged;
        self.duplicates += o.duplicates;
        self.attributions += o.attributions;
        self.errors += o.errors;
    }
}

impl Store {
    /// Writes a batch in one transaction: all of it is in the record after
    /// this returns, none of it if the process dies before.
    ///
    /// An article whose key is stored with the same hash is left alone
    /// (idempotence); with another hash, its old rows (statements, roles,
    /// mentions, FTS entries) are deleted and the new ones written.
    /// Entities are upserted by id: the longer name wins, aliases and roles
    /// accumulate.
    pub fn write_batch(&mut self, items: Vec<Item>) -> Result<BatchSummary> {
        // IMMEDIATE: take the write lock up front, so a second writer on the
        // same file waits (busy timeout) instead of failing mid-transaction
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut sum = BatchSummary::default();
        // a page that became a duplicate points at the article it copies
        let mut duplicates: std::collections::HashMap<String, String> = Default::default();
        for item in items {
            match item {
                Item::Duplicate { key, of, error_key } => {
                    clear_error(&tx, &error_key)?;
                    sum.duplicates += 1;
                    duplicates.insert(key, of);
                }
                Item::Unchanged { key: _, error_key } => {
                    clear_error(&tx, &error_key)?;
                    sum.unchanged += 1;
                }
                Item::Error(e) => {
                    tx.prepare_cached(
                        "INSERT INTO errors(key, path, line, message) VALUES (?1, ?2, ?3, ?4)
                         ON CONFLICT(key) DO UPDATE SET path = excluded.path,
                             line = excluded.line, message = excluded.message",
                    )?
                    .execute(params![
                        e.key,
                        e.path,
                        e.line.map(|l| l as i64),
                        e.message
                    ])?;
                    sum.errors += 1;
                }
                Item::Thread(t) => {
                    tx.prepare_cached(
                        "INSERT INTO threads(id, seq, label, centroid, size, first, last, events)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                         ON CONFLICT(id) DO UPDATE SET label = excluded.label,
                             centroid = excluded.centroid, size = excluded.size,
                             first = excluded.first, last = excluded.last,
                             events = excluded.events",
                    )?
                    .execute(params![
                        t.id, t.seq, t.label, t.centroid, t.size, t.first, t.last, t.events
                    ])?;
                }
                Item::Event(e) => {
                    tx.prepare_cached(
                        "INSERT INTO events(id, type, date, principals, places)
                         VALUES (?1, ?2, ?3, ?4, ?5)
                         ON CONFLICT(id) DO UPDATE SET date = excluded.date,
                             principals = excluded.principals, places = excluded.places",
                    )?
                    .execute(params![
                        e.id,
                        e.kind,
                        e.date,
                        e.principals,
                        e.places
                    ])?;
                }
                Item::Page(mut p) => {
                    if let Some(of) = p.article.as_ref().and_then(|k| duplicates.get(k)) {
                        p.article = Some(of.clone());
                    }
                    let body = zstd::bulk::compress(&p.body, 3)?;
                    tx.prepare_cached(
                        "INSERT INTO pages(url, feed, final_url, fetched, status, content_type, body,
                             article, failures, error)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, ?9)
                         ON CONFLICT(url) DO UPDATE SET feed = excluded.feed,
                             final_url = excluded.final_url, fetched = excluded.fetched,
                             status = excluded.status, content_type = excluded.content_type,
                             body = excluded.body, article = excluded.article, failures = 0,
                             error = excluded.error",
                    )?
                    .execute(params![
                        p.url,
                        p.feed,
                        p.final_url,
                        p.fetched,
                        p.status,
                        p.content_type,
                        body,
                        p.article,
                        p.note
                    ])?;
                    if p.note.is_none() {
                        clear_error(&tx, &p.url)?;
                    }
                }
                Item::PageFailure(f) => {
                    tx.prepare_cached(
                        "INSERT INTO pages(url, feed, failures, error) VALUES (?1, ?2, 1, ?3)
                         ON CONFLICT(url) DO UPDATE SET failures = failures + 1,
                             error = excluded.error",
                    )?
                    .execute(params![f.url, f.feed, f.error])?;
                }
                Item::Feed(f) => {
                    tx.prepare_cached(
                        "INSERT INTO feeds(url, title, etag, last_modified, polled, items, error)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                         ON CONFLICT(url) DO UPDATE SET
                             title = coalesce(excluded.title, title),
                             etag = CASE WHEN ?8 THEN excluded.etag ELSE etag END,
                             last_modified = CASE WHEN ?8 THEN excluded.last_modified
                                 ELSE last_modified END,
                             polled = excluded.polled,
                             items = coalesce(excluded.items, items),
                             error = excluded.error",
                    )?
                    .execute(params![
                        f.url,
                        f.title,
                        f.etag,
                        f.last_modified,
                        f.polled,
                        f.items,
                        f.error,
                        f.set_validators
                    ])?;
                    if f.error.is_none() {
                        clear_error(&tx, &f.url)?;
                    }
                }
                Item::Article(a) => {
                    clear_error(&tx, &a.error_key)?;
                    let old: Option<(i64, String)> = tx
                        .prepare_cached("SELECT id, hash FROM articles WHERE key = ?1")?
                        .query_row([&a.key], |r| Ok((r.get(0)?, r.get(1)?)))
                        .optional()?;
                    match old {
                        Some((_, ref h)) if *h == a.hash => {
                            sum.unchanged += 1;
                            continue;
                        }
                        Some((id, _)) => {
                            delete_article(&tx, id)?;
                            sum.updated += 1;
                        }
                        None => sum.new += 1,
                    }
                    sum.attributions += a.attributions.len() as u64;
                    insert_article(&tx, &a)?;
                }
            }
        }
        tx.commit()?;
        Ok(sum)
    }
}

fn clear_error(tx: &Transaction, key: &str) -> Result<()> {
    tx.prepare_cached("DELETE FROM errors WHERE key = ?1")?
        .execute([key])?;
    Ok(())
}

fn delete_article(tx: &Transaction, id: i64) -> Result<()> {
    // Children first, explicitly (the FTS triggers fire on each row).
    for sql in [
        "DELETE FROM attributions WHERE article = ?1",
        "DELETE FROM roles WHERE article = ?1",
        "DELETE FROM mentions WHERE article = ?1",
        "DELETE FROM aliases WHERE article = ?1",
        "DELETE FROM article_events WHERE article = ?1",
        "DELETE FROM articles WHERE id = ?1",
    ] {
        tx.prepare_cached(sql)?.execute([id])?;
    }
    Ok(())
}

fn spans_json(s: &[[usize; 2]]) -> Result<String> {
    Ok(serde_json::to_string(s)?)
}

fn insert_article(tx: &Transaction, a: &ArticleRecord) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO articles(key, doc, path, hash, date, title, outlet, url, authors, editor, text,
             language, modified, description, crawled, format, note, text_hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    )?
    .execute(params![
        a.key,
        a.doc,
        a.path,
        a.hash,
        a.date,
        a.title,
        a.outlet,
        a.url,
        serde_json::to_string(&a.authors)?,
        a.editor,
        a.text,
        a.language,
        a.modified,
        a.description,
        a.crawled,
        a.format,
        a.note,
        a.text_hash
    ])?;
    let article = tx.last_insert_rowid();
    {
        let mut st = tx.prepare_cached(
            "INSERT INTO attributions(article, seq, kind, source_spans, cue_spans, content_spans,
                 source, cue, content, speaker_text, speaker_name, speaker_kind, speaker_entity,
                 speaker_key, speaker_person, speaker_pid, confidence, stance, thread, ref_date,
                 subject)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                 ?18, ?19, ?20, ?21)",
        )?;
        for (seq, q) in a.attributions.iter().enumerate() {
            st.execute(params![
                article,
                seq as i64,
                q.kind,
                spans_json(&q.source_spans)?,
                spans_json(&q.cue_spans)?,
                spans_json(&q.content_spans)?,
                q.source,
                q.cue,
                q.content,
                q.speaker_text,
                q.speaker_name,
                q.speaker_kind,
                q.speaker_entity,
                q.speaker_key,
                q.speaker_person as i64,
                q.speaker_pid,
                q.confidence,
                q.stance,
                q.thread,
                q.ref_date,
                q.subject
            ])?;
        }
    }
    for (id, data) in &a.events {
        tx.prepare_cached(
            "INSERT OR REPLACE INTO article_events(article, event, data) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![article, id, data])?;
    }
    for e in &a.entities {
        tx.prepare_cached(
            "INSERT INTO entities(id, name, type, key) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(id) DO UPDATE SET
                 name = CASE WHEN length(excluded.name) > length(entities.name)
                             THEN excluded.name ELSE entities.name END,
                 key  = CASE WHEN length(excluded.name) > length(entities.name)
                             THEN excluded.key ELSE entities.key END,
                 type = excluded.type",
        )?
        .execute(params![e.id, e.name, e.kind, name_key(&e.name)])?;
        let mut alias = tx.prepare_cached(
            "INSERT OR IGNORE INTO aliases(entity, alias, key, article) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for name in std::iter::once(&e.name).chain(&e.aliases) {
            alias.execute(params![e.id, name, name_key(name), article])?;
        }
        let mut role = tx.prepare_cached(
            "INSERT OR IGNORE INTO roles(entity, title, article, date, start, end)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for (title, s, end) in &e.roles {
            role.execute(params![
                e.id,
                title,
                article,
                a.date,
                *s as i64,
                *end as i64
            ])?;
        }
        let mut mention = tx.prepare_cached(
            "INSERT OR IGNORE INTO mentions(entity, article, start, end) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for [s, end] in &e.mentions {
            mention.execute(params![e.id, article, *s as i64, *end as i64])?;
        }
    }
    Ok(())
}
