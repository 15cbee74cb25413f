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
