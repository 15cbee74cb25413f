//! `onrecord export --format parquet`: only in builds with the `parquet`
//! feature (arrow + parquet take minutes to compile, so they are optional).

use crate::record::ExportTable;
use anyhow::{bail, Result};
use onrecord_store::query::QuoteFilter;
use onrecord_store::Store;
use std::path::Path;
use std::process::ExitCode;

pub fn export(
    _store: &Store,
    _table: ExportTable,
    _filter: &QuoteFilter,
    _out: Option<&Path>,
) -> Result<ExitCode> {
    bail!(
        "this onrecord was built without Parquet support: rebuild with \
         `cargo build --release --features parquet`, or export --format csv|jsonl"
    )
}
