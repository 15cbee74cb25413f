//! `onrecord serve`: the record over HTTP (crates/serve), and what writes
//! when `--allow-ingest` is given: the pipeline of `onrecord ingest`
//! (`record::extract_items`) behind one writer.

use crate::extract::extract_items;
use anyhow::{bail, Context, Result};
use onrecord_core::Document;
use onrecord_pipeline::models::pipeline_id;
use onrecord_pipeline::record::Growth;
use onrecord_pipeline::Pipeline;
use onrecord_serve::{Ingest, IngestStatus, Ingested, Ingestion, Options};
use onrecord_store::{content_hash, Item, Store};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

/// Extracts and writes one posted article at a time.
struct HttpIngest {
    pipeline: Pipeline,
    /// The pipeline part of every content hash (as in `ingest`).
    pipeline_id: String,
    /// The one writer, and the identities, events and threads known to it
    /// (seeded from the record, grown with every article, as in `ingest`).
    writer: Mutex<(Store, Growth)>,
}

impl HttpIngest {
    fn open(db: &Path) -> Result<HttpIngest> {
        let store = Store::open(db).context("opening the record for writing")?;
        let growth = Growth::load(&store)?;
        Ok(HttpIngest {
            pipeline: Pipeline::load()?,
            pipeline_id: pipeline_id(None)?,
            writer: Mutex::new((store, growth)),
        })
    }

    fn run(&self, doc: Document) -> Result<Ingested> {
        let mut guard = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let (store, growth) = &mut *guard;
        let hash = content_hash(&doc, &self.pipeline_id);
        // posted articles have keys of their own: `api#ID`
        let key = format!("api#{}", doc.id);
        let doc_id = doc.id.clone();
        let mut items = Vec::new();
        // each post stands alone: the same id posted again is unchanged or
        // updated against the record, not a copy within one run
        growth.forget_recent();
        extract_items(
            &self.pipeline,
            store,
            growth,
            vec![(doc, key.clone(), hash)],
            &mut items,
        )?;
        let copy_of = items.iter().find_map(|i| match i {
            Item::Duplicate { of, .. } => Some(of.clone()),
            _ => None,
        });
        let sum = match store.write_batch(items) {
            Ok(sum) => sum,
            Err(e) => {
                // the transaction rolled back: what was grown in memory for
                // this article goes too, so the next one starts from the record
                *growth = Growth::load(store)?;
                return Err(anyhow::Error::new(e).context("writing to the record"));
            }
        };
        // the record is whole in the .db file between posts
        store.checkpoint().context("writing the record")?;
        let key = copy_of.unwrap_or(key);
        let id = store
            .article_id(&key)?
            .context("the article is not in the record after writing it")?;
        let attributions = store
            .conn()
            .query_row(
                "SELECT count(*) FROM attributions WHERE article = ?1",
                [id],
                |r| r.get::<_, i64>(0),
            )
            .context("counting its statements")? as u64;
        let status = if sum.duplicates > 0 {
            IngestStatus::Duplicate
        } else if sum.new > 0 {
            IngestStatus::New
        } else if sum.updated > 0 {
            IngestStatus::Updated
        } else {
            IngestStatus::Unchanged
        };
        Ok(Ingested {
            status,
            id,
            doc: doc_id,
            key,
            attributions,
        })
    }
}

impl Ingest for HttpIngest {
    fn ingest(&self, doc: Document) -> Result<Ingested, Box<dyn std::error::Error + Send + Sync>> {
        self.run(doc).map_err(|e| format!("{e:#}").into())
    }
}

pub fn run(
    db: PathBuf,
    addr: String,
    allow_ingest: bool,
    header_timeout: std::time::Duration,
) -> Result<ExitCode> {
    let ingestion = if allow_ingest {
        let token = std::env::var("ONRECORD_TOKEN").unwrap_or_default();
        if token.trim().is_empty() {
            bail!(
                "--allow-ingest needs a token: set ONRECORD_TOKEN to a secret that \
                 POST /api/articles must bring (Authorization: Bearer …)"
            );
        }
        Some(Ingestion {
            token: token.trim().to_string(),
            ingest: Arc::new(HttpIngest::open(&db)?),
        })
    } else {
        None
    };
    let writable = ingestion.is_some();
    let opts = Options {
        db: db.clone(),
        addr,
        ingestion,
        header_timeout,
    };
    onrecord_serve::run(opts, |at: SocketAddr| {
        if !at.ip().is_loopback() {
            eprintln!("onrecord: warning: listening on {at}, not only on this machine (loopback)");
        }
        eprintln!(
            "onrecord: serving {} on http://{at}/ ({}); Ctrl-C stops",
            db.display(),
            if writable {
                "read-only, except POST /api/articles with the token"
            } else {
                "read-only"
            }
        );
    })
    .context("onrecord serve")?;
    Ok(ExitCode::SUCCESS)
}
