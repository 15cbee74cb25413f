//! The schema, version [`VERSION`] (`PRAGMA user_version`).
//!
//! Offsets are Unicode code points into `articles.text`; span lists are JSON
//! arrays of `[start, end]` pairs, as in `onrecord extract`'s output.

use crate::{Result, StoreError};
use rusqlite::Connection;
use std::path::Path;

/// The schema version this code writes and reads.
pub const VERSION: i64 = 5;

/// The whole schema (version 1).
pub const SQL: &str = r#"
-- One row per article; `key` identifies it across runs: the canonical
-- path of its file (plus '#' and the record id for JSONL). `hash` is the
-- content hash: same key and same hash means nothing to do.
CREATE TABLE articles (
    id      INTEGER PRIMARY KEY,
    key     TEXT NOT NULL UNIQUE,
    doc     TEXT NOT NULL,
    path    TEXT NOT NULL,
    hash    TEXT NOT NULL,
    date    TEXT,
    title   TEXT,
    outlet  TEXT,
    url     TEXT,
    authors TEXT NOT NULL DEFAULT '[]',
    editor  TEXT,
    text    TEXT NOT NULL
);
CREATE INDEX articles_doc ON articles(doc);
CREATE INDEX articles_date ON articles(date);

-- One row per statement, in text order (`seq`) within its article.
CREATE TABLE attributions (
    id             INTEGER PRIMARY KEY,
    article        INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('direct', 'mixed', 'indirect')),
    source_spans   TEXT NOT NULL,
    cue_spans      TEXT NOT NULL,
    content_spans  TEXT NOT NULL,
    source         TEXT NOT NULL,
    cue            TEXT NOT NULL,
    content        TEXT NOT NULL,
    speaker_text   TEXT,
    speaker_name   TEXT,
    speaker_kind   TEXT,
    speaker_entity TEXT,
    -- folded ' name | text ' (lower-case ASCII words) for name matching
    speaker_key    TEXT,
    -- 1 when the speaker is a person: a PERSON entity, or an unlinked
    -- capitalised name that is not a pronoun
    speaker_person INTEGER NOT NULL DEFAULT 0,
    -- who the statement counts for in `people`: the entity id, or
    -- 'name:' and the folded name; NULL unless speaker_person
    speaker_pid    TEXT,
    confidence     REAL NOT NULL,
    UNIQUE (article, seq)
);
CREATE INDEX attributions_entity ON attributions(speaker_entity);
CREATE INDEX attributions_pid ON attributions(speaker_pid);

-- Entities are identified by the id extraction computes (opaque here),
-- upserted across articles; aliases are the union of every surface form
-- the stored articles use (one row per article, so a replaced article's
-- old names go with it).
CREATE TABLE entities (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    key  TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE aliases (
    entity  TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    alias   TEXT NOT NULL,
    key     TEXT NOT NULL,
    article INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (entity, alias, article)
) WITHOUT ROWID;
CREATE INDEX aliases_key ON aliases(key);
-- A role or title an article gives an entity, with the article's date.
CREATE TABLE roles (
    entity  TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    title   TEXT NOT NULL,
    article INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    date    TEXT,
    start   INTEGER NOT NULL,
    end     INTEGER NOT NULL,
    PRIMARY KEY (entity, article, start, title)
) WITHOUT ROWID;
CREATE INDEX roles_article ON roles(article);
CREATE TABLE mentions (
    entity  TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    article INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    start   INTEGER NOT NULL,
    end     INTEGER NOT NULL,
    PRIMARY KEY (article, start, entity)
) WITHOUT ROWID;
CREATE INDEX mentions_entity ON mentions(entity);

-- Inputs that could not be read, one row per file (or JSONL line); a
-- later successful read of the same place removes it.
CREATE TABLE errors (
    key     TEXT PRIMARY KEY,
    path    TEXT NOT NULL,
    line    INTEGER,
    message TEXT NOT NULL
) WITHOUT ROWID;

-- Full-text indexes (external content, kept in step by triggers).
CREATE VIRTUAL TABLE statements_fts USING fts5(
    content, content='attributions', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content='articles', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2');

CREATE TRIGGER attributions_ai AFTER INSERT ON attributions BEGIN
    INSERT INTO statements_fts(rowid, content) VALUES (new.id, new.content);
END;
CREATE TRIGGER attributions_ad AFTER DELETE ON attributions BEGIN
    INSERT INTO statements_fts(statements_fts, rowid, content)
        VALUES ('delete', old.id, old.content);
END;
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
END;
"#;

/// Version 2: stance, thread and date of each statement; threads; events.
/// Applied on top of version 1 (new files get both; a version-1 record is
/// upgraded in place, and its articles are re-extracted by the next ingest
/// because the pipeline's hash changed).
pub const SQL_V2: &str = r#"
ALTER TABLE attributions ADD COLUMN stance TEXT NOT NULL DEFAULT 'neutral';
-- the thread id (threads.id), or NULL
ALTER TABLE attributions ADD COLUMN thread TEXT;
-- the date the statement refers to (a date in the text, else the article's)
ALTER TABLE attributions ADD COLUMN ref_date TEXT;
-- what it is about: JSON [{key, text, weight}], for thread upkeep
ALTER TABLE attributions ADD COLUMN subject TEXT NOT NULL DEFAULT '[]';
CREATE INDEX attributions_thread ON attributions(thread);

-- Threads grow as articles come in; a statement never moves to another.
-- `centroid` is JSON [{key, text, weight}], `events` JSON [[id, count]].
CREATE TABLE threads (
    id       TEXT PRIMARY KEY,
    seq      INTEGER NOT NULL UNIQUE,
    label    TEXT NOT NULL,
    centroid TEXT NOT NULL,
    size     INTEGER NOT NULL,
    first    TEXT,
    last     TEXT,
    events   TEXT NOT NULL DEFAULT '[]'
);

-- Events known across articles (the registry), and each article's report
-- of one (JSON with code-point spans into that article).
CREATE TABLE events (
    id         TEXT PRIMARY KEY,
    type       TEXT NOT NULL,
    date       TEXT,
    principals TEXT NOT NULL,
    places     TEXT NOT NULL
);
CREATE TABLE article_events (
    article INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    event   TEXT NOT NULL,
    data    TEXT NOT NULL,
    PRIMARY KEY (article, event)
) WITHOUT ROWID;
CREATE INDEX article_events_event ON article_events(event);
"#;

/// Version 3: what real inputs carry (web pages, WARC records, feeds):
/// the language, modification and crawl dates, description and input
/// format of each article, and why nothing was extracted from one (a
/// language the models do not cover: the article is stored, searchable,
/// without statements).
pub const SQL_V3: &str = r#"
ALTER TABLE articles ADD COLUMN language TEXT;
ALTER TABLE articles ADD COLUMN modified TEXT;
ALTER TABLE articles ADD COLUMN description TEXT;
ALTER TABLE articles ADD COLUMN crawled TEXT;
-- text, jsonl, json, csv, html, warc or web (a page fetched over HTTP)
ALTER TABLE articles ADD COLUMN format TEXT NOT NULL DEFAULT 'text';
-- why no statements were extracted ("unsupported language: de"), or NULL
ALTER TABLE articles ADD COLUMN note TEXT;
CREATE INDEX articles_note ON articles(note) WHERE note IS NOT NULL;
"#;

/// Version 4: feeds and the pages fetched from them (`onrecord watch`,
/// `onrecord ingest URL`), so a poll that is stopped or repeated fetches
/// only what the record lacks, and every page is kept as it was fetched.
pub const SQL_V4: &str = r#"
-- One row per feed polled, by the URL as given.
CREATE TABLE feeds (
    url           TEXT PRIMARY KEY,
    title         TEXT,
    -- validators of the last complete fetch, sent back on the next one
    etag          TEXT,
    last_modified TEXT,
    -- when it was last polled (RFC 3339, UTC), how many items it listed,
    -- and the error of that poll (NULL when it went well)
    polled        TEXT,
    items         INTEGER,
    error         TEXT
) WITHOUT ROWID;

-- One row per page a feed (or a URL given to ingest) pointed at.
CREATE TABLE pages (
    url          TEXT PRIMARY KEY,   -- the link as the feed gives it
    feed         TEXT,               -- the feed it came from (NULL: a URL given)
    final_url    TEXT,               -- after redirects
    fetched      TEXT,               -- RFC 3339, UTC
    status       INTEGER,
    content_type TEXT,
    body         BLOB,               -- the raw page as fetched, zstd-compressed
    article      TEXT,               -- the key of the article it became, or NULL
    failures     INTEGER NOT NULL DEFAULT 0,
    error        TEXT                -- the last failure, or why it is no article
) WITHOUT ROWID;
CREATE INDEX pages_final ON pages(final_url);
"#;

/// Version 5: what makes two copies of one article the same (the same
/// article from two paths, a WARC record and a saved page of one URL): the
/// hash of its words, and indexes to find a copy by it or by URL. Rows of
/// an upgraded record get their hash when they are next extracted.
pub const SQL_V5: &str = r#"
ALTER TABLE articles ADD COLUMN text_hash TEXT;
CREATE INDEX articles_text_hash ON articles(text_hash) WHERE text_hash <> '';
CREATE INDEX articles_url ON articles(url) WHERE url IS NOT NULL;
"#;

/// Creates the schema in an empty database, or checks the version of an
/// existing one. Creation is one transaction: a crash leaves either no
/// schema or all of it.
pub fn ensure(conn: &Connection, path: &Path) -> Result<()> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version == VERSION {
        return Ok(());
    }
    if version > VERSION {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found: version,
            supported: VERSION,
        });
    }
    // version 0: a new file; 1: an older record, upgraded in place. Re-read
    // the version under the write lock: another process may have just done it.
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let created = (|| -> Result<()> {
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version == 0 {
            conn.execute_batch(SQL)?;
        }
        if version < 2 {
            conn.execute_batch(SQL_V2)?;
        }
        if version < 3 {
            conn.execute_batch(SQL_V3)?;
        }
        if version < 4 {
            conn.execute_batch(SQL_V4)?;
        }
        if version < 5 {
            conn.execute_batch(SQL_V5)?;
        }
        conn.execute_batch(&format!("PRAGMA user_version = {VERSION}"))?;
        Ok(())
    })();
    match created {
        Ok(()) => conn.execute_batch("COMMIT")?,
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(e);
        }
    }
    Ok(())
}
