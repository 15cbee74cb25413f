//! The record: an embedded SQLite store of articles, attributions and
//! entities, and the questions asked of it.
//!
//! This crate owns the database file and everything about it: the schema
//! ([`schema`], versioned with `PRAGMA user_version` and created on open),
//! how an extracted document becomes rows ([`ArticleRecord`]), the one
//! writer ([`Store::write_batch`], one transaction per batch, content-hash
//! idempotence, replace-on-change, entity upserts), and the read-only
//! queries behind `onrecord quotes/search/people/person/timeline/show/export`
//! ([`query`]). SQLite is bundled (with FTS5), so nothing is installed;
//! the file is in WAL mode, so readers never block the writer and a killed
//! writer leaves only whole batches behind.
//!
//! Offsets stored here are Unicode code points (as in the JSON output), not
//! the pipeline's bytes: the conversion happens in [`ArticleRecord::new`].

pub mod browse;
pub mod export;
mod fold;
pub mod query;
mod record;
pub mod schema;
pub mod threads;
mod write;

#[cfg(test)]
mod tests;

pub use fold::{fold, fold_key, looks_like_name};
pub use record::{
    article_key, content_hash, error_key, hash_bytes, identity_url, text_hash, ArticleRecord,
    AttributionRecord, EntityRecord, ErrorRecord, EventRecord, FeedRecord, PageFailure, PageRecord,
    ThreadRecord,
};
pub use write::{BatchSummary, Item};

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use std::path::{Path, PathBuf};

/// What can go wrong with the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("{path}: no record here (run `onrecord ingest` first)")]
    Missing { path: PathBuf },
    #[error(
        "{path}: schema version {found} is newer than this onrecord understands ({supported})"
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("invalid search query {query:?}: {message}")]
    Query { query: String, message: String },
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("stored JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("compressing a page: {0}")]
    Compress(#[from] std::io::Error),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open record (one SQLite file).
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens the record for writing, creating the file and the schema if
    /// needed (WAL mode, foreign keys on).
    pub fn open(path: &Path) -> Result<Store> {
        let conn = Connection::open(path).map_err(|source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        let store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.pragmas()?;
        schema::ensure(&store.conn, path)?;
        Ok(store)
    }

    /// Moves everything written so far from the write-ahead log into the
    /// database file, so the `.db` file alone is the whole record (called
    /// when a writer finishes).
    pub fn checkpoint(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Opens an existing record for reading only; a missing file is
    /// [`StoreError::Missing`], never created.
    pub fn open_read(path: &Path) -> Result<Store> {
        if !path.exists() {
            return Err(StoreError::Missing {
                path: path.to_path_buf(),
            });
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version == 0 {
            return Err(StoreError::Missing {
                path: path.to_path_buf(),
            });
        }
        if version > schema::VERSION {
            return Err(StoreError::NewerSchema {
                path: path.to_path_buf(),
                found: version,
                supported: schema::VERSION,
            });
        }
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    fn pragmas(&self) -> Result<()> {
        self.conn.busy_timeout(std::time::Duration::from_secs(10))?;
        // WAL: readers see the last committed batch while the writer works;
        // a killed process leaves committed transactions intact and the
        // uncommitted tail is discarded on the next open. NORMAL sync is
        // durable across process crashes (only an OS crash may lose the
        // last transactions, never corrupt the file).
        self.conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get::<_, String>(0))?;
        self.conn.execute_batch(
            "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;",
        )?;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The underlying connection, for tests and ad-hoc SQL.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The stored content hash of an article key, if the article is stored.
    pub fn hash_of(&self, key: &str) -> Result<Option<String>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT hash FROM articles WHERE key = ?1")?;
        let mut rows = st.query([key])?;
        Ok(match rows.next()? {
            Some(r) => Some(r.get(0)?),
            None => None,
        })
    }

    /// The key of an article stored under another key than `key` that is
    /// the same article: the same URL ([`identity_url`]) or the same words
    /// ([`text_hash`], when it has any).
    pub fn duplicate_of(
        &self,
        key: &str,
        url: Option<&str>,
        text_hash: &str,
    ) -> Result<Option<String>> {
        if let Some(url) = url {
            let found = self
                .conn
                .prepare_cached("SELECT key FROM articles WHERE url = ?1 AND key <> ?2 LIMIT 1")?
                .query_row(params![url, key], |r| r.get(0))
                .optional()?;
            if found.is_some() {
                return Ok(found);
            }
        }
        if text_hash.is_empty() {
            return Ok(None);
        }
        Ok(self
            .conn
            .prepare_cached("SELECT key FROM articles WHERE text_hash = ?1 AND key <> ?2 LIMIT 1")?
            .query_row(params![text_hash, key], |r| r.get(0))
            .optional()?)
    }

    /// The validators of a feed from its last complete poll.
    pub fn feed_validators(&self, url: &str) -> Result<Option<(Option<String>, Option<String>)>> {
        Ok(self
            .conn
            .prepare_cached("SELECT etag, last_modified FROM feeds WHERE url = ?1")?
            .query_row([url], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    /// Whether a page (by the link a feed gave) was fetched and kept.
    pub fn has_page(&self, url: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT 1 FROM pages WHERE (url = ?1 OR final_url = ?1) AND body IS NOT NULL",
            )?
            .exists([url])?)
    }

    /// Failed attempts at a page since it was last fetched.
    pub fn page_failures(&self, url: &str) -> Result<u32> {
        Ok(self
            .conn
            .prepare_cached("SELECT failures FROM pages WHERE url = ?1")?
            .query_row([url], |r| r.get::<_, i64>(0))
            .optional()?
            .unwrap_or(0) as u32)
    }

    /// A kept page's raw bytes, as fetched.
    pub fn page_body(&self, url: &str) -> Result<Option<Vec<u8>>> {
        let blob: Option<Vec<u8>> = self
            .conn
            .prepare_cached("SELECT body FROM pages WHERE url = ?1 AND body IS NOT NULL")?
            .query_row([url], |r| r.get(0))
            .optional()?;
        Ok(match blob {
            Some(b) => Some(zstd::stream::decode_all(&b[..])?),
            None => None,
        })
    }

    /// Row counts of every table.
    pub fn counts(&self) -> Result<Counts> {
        let c = |sql: &str| -> Result<u64> {
            Ok(self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64)
        };
        Ok(Counts {
            articles: c("SELECT count(*) FROM articles")?,
            attributions: c("SELECT count(*) FROM attributions")?,
            people: c(query::PEOPLE_COUNT_SQL)?,
            entities: c("SELECT count(*) FROM entities")?,
            aliases: c("SELECT count(*) FROM (SELECT DISTINCT entity, alias FROM aliases)")?,
            roles: c("SELECT count(*) FROM roles")?,
            mentions: c("SELECT count(*) FROM mentions")?,
            errors: c("SELECT count(*) FROM errors")?,
        })
    }

    /// A hash of the whole record's content (every table, in a canonical
    /// order, without row ids): equal fingerprints mean equal records.
    pub fn fingerprint(&self) -> Result<String> {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        let tables = [
            "SELECT key, doc, path, hash, date, title, outlet, url, authors, editor, text, \
             language, modified, description, crawled, format, note FROM articles ORDER BY key",
            "SELECT a.key, q.seq, q.kind, q.source_spans, q.cue_spans, q.content_spans, q.source, q.cue, q.content, \
             q.speaker_text, q.speaker_name, q.speaker_kind, q.speaker_entity, q.speaker_person, q.speaker_pid, q.confidence \
             FROM attributions q JOIN articles a ON a.id = q.article ORDER BY a.key, q.seq",
            "SELECT id, name, type FROM entities ORDER BY id",
            "SELECT DISTINCT entity, alias FROM aliases ORDER BY entity, alias",
            "SELECT r.entity, r.title, a.key, r.date, r.start, r.end FROM roles r JOIN articles a ON a.id = r.article ORDER BY 1,3,5,2",
            "SELECT m.entity, a.key, m.start, m.end FROM mentions m JOIN articles a ON a.id = m.article ORDER BY 2,3,1",
            "SELECT key, path, line, message FROM errors ORDER BY key",
            "SELECT count(*) FROM statements_fts",
            "SELECT count(*) FROM articles_fts",
        ];
        for sql in tables {
            let mut st = self.conn.prepare(sql)?;
            let n = st.column_count();
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                for i in 0..n {
                    let v: rusqlite::types::Value = r.get(i)?;
                    h.update(format!("{v:?}").as_bytes());
                    h.update(b"\x1f");
                }
                h.update(b"\x1e");
            }
            h.update(b"\x1d");
        }
        Ok(format!("{:032x}", h.digest128()))
    }

    /// Checks the file's integrity (`PRAGMA integrity_check`) and the FTS
    /// indexes against their tables; `Ok(None)` when all is well.
    pub fn check(&self) -> Result<Option<String>> {
        let ok: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if ok != "ok" {
            return Ok(Some(ok));
        }
        for t in ["statements_fts", "articles_fts"] {
            if let Err(e) = self.conn.execute(
                &format!("INSERT INTO {t}({t}, rank) VALUES('integrity-check', 1)"),
                [],
            ) {
                return Ok(Some(format!("{t}: {e}")));
            }
        }
        Ok(None)
    }
}

/// Row counts (see [`Store::counts`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub articles: u64,
    pub attributions: u64,
    /// Distinct people who speak (see [`query::people`]).
    pub people: u64,
    pub entities: u64,
    pub aliases: u64,
    pub roles: u64,
    pub mentions: u64,
    pub errors: u64,
}
