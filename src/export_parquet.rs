//! `onrecord export --format parquet`: only in builds with the `parquet`
//! cargo feature (the `parquet` crate adds minutes to a clean build, so it
//! is optional; CSV and JSON lines are always there). The columns are those
//! of the CSV export; every column is nullable, span lists and name lists
//! are strings as in the CSV.

use anyhow::Result;
use onrecord_store::export::ExportTable;
use onrecord_store::query::QuoteFilter;
use onrecord_store::Store;
use std::path::Path;
use std::process::ExitCode;

#[cfg(not(feature = "parquet"))]
pub fn export(
    _store: &Store,
    _table: ExportTable,
    _filter: &QuoteFilter,
    _out: Option<&Path>,
) -> Result<ExitCode> {
    anyhow::bail!(
        "this onrecord was built without Parquet support: rebuild with \
         `cargo build --release --features parquet`, or export --format csv|jsonl"
    )
}

#[cfg(feature = "parquet")]
pub fn export(
    store: &Store,
    table: ExportTable,
    f: &QuoteFilter,
    out: Option<&Path>,
) -> Result<ExitCode> {
    imp::export(store, table, f, out)
}

#[cfg(feature = "parquet")]
mod imp {
    use super::*;
    use anyhow::{bail, Context};
    use onrecord_store::export::QUOTE_COLUMNS;
    use parquet::basic::Compression;
    use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;
    use std::io::{IsTerminal, Write};
    use std::sync::Arc;

    #[derive(Clone, Copy)]
    enum Kind {
        Str,
        Int,
        Float,
    }

    enum Cell {
        Str(Option<String>),
        Int(Option<i64>),
        Float(Option<f64>),
    }

    impl Cell {
        fn is_some(&self) -> bool {
            match self {
                Cell::Str(v) => v.is_some(),
                Cell::Int(v) => v.is_some(),
                Cell::Float(v) => v.is_some(),
            }
        }
    }

    fn s(v: impl Into<String>) -> Cell {
        Cell::Str(Some(v.into()))
    }

    /// Rows per row group.
    const GROUP: usize = 16_384;

    struct Sink<W: Write + Send> {
        writer: SerializedFileWriter<W>,
        kinds: Vec<Kind>,
        rows: Vec<Vec<Cell>>,
    }

    impl<W: Write + Send> Sink<W> {
        fn new(w: W, name: &str, cols: &[(&str, Kind)]) -> Result<Self> {
            let fields: Vec<String> = cols
                .iter()
                .map(|(n, k)| match k {
                    Kind::Str => format!("OPTIONAL BYTE_ARRAY {n} (UTF8);"),
                    Kind::Int => format!("OPTIONAL INT64 {n};"),
                    Kind::Float => format!("OPTIONAL DOUBLE {n};"),
                })
                .collect();
            let schema = parse_message_type(&format!("message {name} {{ {} }}", fields.join(" ")))?;
            let props = WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .build();
            Ok(Sink {
                writer: SerializedFileWriter::new(w, Arc::new(schema), Arc::new(props))?,
                kinds: cols.iter().map(|c| c.1).collect(),
                rows: Vec::with_capacity(GROUP),
            })
        }

        fn push(&mut self, row: Vec<Cell>) -> Result<()> {
            self.rows.push(row);
            if self.rows.len() >= GROUP {
                self.flush()?;
            }
            Ok(())
        }

        fn flush(&mut self) -> Result<()> {
            if self.rows.is_empty() {
                return Ok(());
            }
            let mut rg = self.writer.next_row_group()?;
            let mut i = 0;
            while let Some(mut col) = rg.next_column()? {
                let defs: Vec<i16> = self.rows.iter().map(|r| r[i].is_some() as i16).collect();
                match self.kinds[i] {
                    Kind::Str => {
                        let v: Vec<ByteArray> = self
                            .rows
                            .iter()
                            .filter_map(|r| match &r[i] {
                                Cell::Str(Some(x)) => Some(ByteArray::from(x.as_str())),
                                _ => None,
                            })
                            .collect();
                        col.typed::<ByteArrayType>()
                            .write_batch(&v, Some(&defs), None)?;
                    }
                    Kind::Int => {
                        let v: Vec<i64> = self
                            .rows
                            .iter()
                            .filter_map(|r| match r[i] {
                                Cell::Int(x) => x,
                                _ => None,
                            })
                            .collect();
                        col.typed::<Int64Type>()
                            .write_batch(&v, Some(&defs), None)?;
                    }
                    Kind::Float => {
                        let v: Vec<f64> = self
                            .rows
                            .iter()
                            .filter_map(|r| match r[i] {
                                Cell::Float(x) => x,
                                _ => None,
                            })
                            .collect();
                        col.typed::<DoubleType>()
                            .write_batch(&v, Some(&defs), None)?;
                    }
                }
                col.close()?;
                i += 1;
            }
            rg.close()?;
            self.rows.clear();
            Ok(())
        }

        fn finish(mut self) -> Result<()> {
            self.flush()?;
            self.writer.close()?;
            Ok(())
        }
    }

    pub fn export(
        store: &Store,
        table: ExportTable,
        f: &QuoteFilter,
        out: Option<&Path>,
    ) -> Result<ExitCode> {
        match out {
            Some(p) => {
                let file = std::fs::File::create(p)
                    .with_context(|| format!("creating {}", p.display()))?;
                write(store, table, f, std::io::BufWriter::new(file))?;
            }
            None => {
                if std::io::stdout().is_terminal() {
                    bail!("Parquet is binary: give --out FILE or redirect stdout");
                }
                write(store, table, f, std::io::BufWriter::new(std::io::stdout()))?;
            }
        }
        Ok(ExitCode::SUCCESS)
    }

    fn spans(v: &[[usize; 2]]) -> Cell {
        s(serde_json::to_string(v).unwrap_or_default())
    }

    fn write<W: Write + Send>(
        store: &Store,
        table: ExportTable,
        f: &QuoteFilter,
        w: W,
    ) -> Result<()> {
        use Kind::*;
        match table {
            ExportTable::Quotes => {
                let kinds = [
                    Int, Str, Str, Str, Str, Str, Str, Str, Str, Str, Str, Str, Str, Float, Str,
                    Str, Str, Str, Str, Str,
                ];
                let cols: Vec<(&str, Kind)> = QUOTE_COLUMNS.iter().copied().zip(kinds).collect();
                let mut sink = Sink::new(w, "quotes", &cols)?;
                store.for_each_quote(f, |q| {
                    let row = vec![
                        Cell::Int(Some(q.id)),
                        s(q.article),
                        s(q.path),
                        Cell::Str(q.date),
                        Cell::Str(q.outlet),
                        Cell::Str(q.title),
                        s(q.kind),
                        Cell::Str(q.speaker),
                        Cell::Str(q.speaker_text),
                        Cell::Str(q.entity),
                        s(q.source),
                        s(q.cue),
                        s(q.content),
                        Cell::Float(Some(q.confidence)),
                        spans(&q.source_spans),
                        spans(&q.cue_spans),
                        spans(&q.content_spans),
                        Cell::Str(q.refers_to),
                        s(q.stance),
                        Cell::Str(q.thread),
                    ];
                    sink.push(row)
                        .map_err(|e| std::io::Error::other(e.to_string()))
                })??;
                sink.finish()
            }
            ExportTable::Articles => {
                let cols = [
                    ("doc", Str),
                    ("path", Str),
                    ("key", Str),
                    ("hash", Str),
                    ("date", Str),
                    ("title", Str),
                    ("outlet", Str),
                    ("url", Str),
                    ("authors", Str),
                    ("editor", Str),
                    ("format", Str),
                    ("language", Str),
                    ("modified", Str),
                    ("crawled", Str),
                    ("description", Str),
                    ("note", Str),
                    ("statements", Int),
                    ("text", Str),
                ];
                let mut sink = Sink::new(w, "articles", &cols)?;
                store.for_each_article(|a| {
                    let row = vec![
                        s(a.doc),
                        s(a.path),
                        s(a.key),
                        s(a.hash),
                        Cell::Str(a.date),
                        Cell::Str(a.title),
                        Cell::Str(a.outlet),
                        Cell::Str(a.url),
                        s(a.authors.join("; ")),
                        Cell::Str(a.editor),
                        s(a.format),
                        Cell::Str(a.language),
                        Cell::Str(a.modified),
                        Cell::Str(a.crawled),
                        Cell::Str(a.description),
                        Cell::Str(a.note),
                        Cell::Int(Some(a.statements as i64)),
                        s(a.text),
                    ];
                    sink.push(row)
                        .map_err(|e| std::io::Error::other(e.to_string()))
                })??;
                sink.finish()
            }
            ExportTable::Entities => {
                let cols = [
                    ("id", Str),
                    ("name", Str),
                    ("type", Str),
                    ("aliases", Str),
                    ("statements", Int),
                    ("articles", Int),
                ];
                let mut sink = Sink::new(w, "entities", &cols)?;
                for e in store.entities()? {
                    sink.push(vec![
                        s(e.id),
                        s(e.name),
                        s(e.kind),
                        s(e.aliases.join("; ")),
                        Cell::Int(Some(e.statements as i64)),
                        Cell::Int(Some(e.articles as i64)),
                    ])?;
                }
                sink.finish()
            }
            ExportTable::Errors => {
                let cols = [("path", Str), ("line", Int), ("message", Str)];
                let mut sink = Sink::new(w, "errors", &cols)?;
                for e in store.errors()? {
                    sink.push(vec![s(e.path), Cell::Int(e.line), s(e.message)])?;
                }
                sink.finish()
            }
        }
    }
}
