//! The record's one writer thread, shared by `ingest` and `link`.

use anyhow::{Context, Result};
use onrecord_store::{BatchSummary, Item, Store};
use std::sync::mpsc;

/// The record's one writer, on a thread of its own: each batch sent is
/// committed in one transaction while the next is prepared (two batches
/// deep); when the sender is dropped it checkpoints the WAL and gives the
/// counts. Shared by `ingest` and `link`.
pub fn spawn(
    mut store: Store,
) -> (
    mpsc::SyncSender<Vec<Item>>,
    std::thread::JoinHandle<Result<BatchSummary>>,
) {
    let (tx, rx) = mpsc::sync_channel::<Vec<Item>>(2);
    let writer = std::thread::spawn(move || -> Result<BatchSummary> {
        let mut sum = BatchSummary::default();
        for batch in rx {
            sum += store.write_batch(batch).context("writing to the record")?;
        }
        store.checkpoint().context("writing the record")?;
        Ok(sum)
    });
    (tx, writer)
}

/// Ends the writer: closes its channel, waits for its last commit and
/// gives the counts (or its error).
pub fn finish(
    tx: mpsc::SyncSender<Vec<Item>>,
    writer: std::thread::JoinHandle<Result<BatchSummary>>,
) -> Result<BatchSummary> {
    drop(tx);
    match writer.join() {
        Ok(r) => r,
        Err(_) => anyhow::bail!("the writer thread panicked"),
    }
}

/// The counts every writing command's `--json` summary starts with; the
/// command adds its own fields.
pub fn summary_json(
    sum: &BatchSummary,
    errors: u64,
    people: u64,
    seconds: f64,
    db: &std::path::Path,
) -> serde_json::Map<String, serde_json::Value> {
    let v = serde_json::json!({
        "articles": sum.new + sum.updated + sum.unchanged + sum.duplicates,
        "new": sum.new,
        "updated": sum.updated,
        "unchanged": sum.unchanged,
        "duplicates": sum.duplicates,
        "attributions": sum.attributions,
        "errors": errors,
        "people": people,
        "seconds": seconds,
        "db": db.display().to_string(),
    });
    match v {
        serde_json::Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}
