//! `onrecord link DIR --db PATH`: the record (identities, events, threads,
//! full-text index) built from extractions made elsewhere, such as the
//! Parquet the Spark job writes (`DIR/documents/month=…/part-….parquet`,
//! one row per article with its extraction in the interchange form).
//!
//! Order: the cross-document step depends on the order of the articles,
//! so link reads the publication months in order (articles without a date
//! first), and within a month merges the files by `seq` (the article's
//! place in the job's input; each file must be sorted by it, as the job
//! writes them). Memory holds one row group per file of a month and one
//! batch, whatever the size of the input. Nothing is extracted again.

use crate::cli::print_out;
use crate::cli::Summary;
use crate::extract::BATCH;
use anyhow::{Context, Result};
use onrecord_core::{Document, Extraction};
use onrecord_store::{article_key, content_hash, error_key, ErrorRecord, Item, Store};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// The Parquet files of the documents table under `dir`, by month
/// partition (`""` for articles without a date), months in order.
fn partitions(dir: &Path) -> Result<Vec<(String, Vec<PathBuf>)>> {
    let root = if dir.join("documents").is_dir() {
        dir.join("documents")
    } else {
        dir.to_path_buf()
    };
    anyhow::ensure!(
        root.is_dir(),
        "{}: not a folder (link reads the documents table the Spark job writes: DIR/documents/month=…/*.parquet)",
        root.display()
    );
    let mut by_month: std::collections::BTreeMap<String, Vec<PathBuf>> = Default::default();
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).with_context(|| format!("reading {}", d.display()))? {
            let p = e?.path();
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.starts_with('.') || name.starts_with('_') {
                continue; // _SUCCESS, .crc files
            }
            if p.is_dir() {
                stack.push(p);
            } else if name.ends_with(".parquet") {
                let month = p
                    .ancestors()
                    .filter_map(|a| a.file_name()?.to_str()?.strip_prefix("month="))
                    .next()
                    .filter(|m| *m != "__HIVE_DEFAULT_PARTITION__")
                    .unwrap_or("")
                    .to_string();
                by_month.entry(month).or_default().push(p);
            }
        }
    }
    anyhow::ensure!(
        !by_month.is_empty(),
        "{}: no .parquet files (link reads the documents table the Spark job writes)",
        root.display()
    );
    Ok(by_month
        .into_iter()
        .map(|(m, mut f)| {
            f.sort();
            (m, f)
        })
        .collect())
}

/// One row read: its place (file and row, for errors), `seq`, the record.
struct Record {
    place: String,
    seq: i64,
    record: Result<String, String>,
}

/// The rows of one file, in order.
struct FileRows {
    path: PathBuf,
    rows: parquet::record::reader::RowIter<'static>,
    row: u64,
    last: Option<i64>,
}

impl FileRows {
    fn open(path: &Path) -> Result<FileRows> {
        use parquet::file::reader::{FileReader, SerializedFileReader};
        let f = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
        let reader = SerializedFileReader::new(f)
            .with_context(|| format!("{}: not a Parquet file", path.display()))?;
        let schema = reader.metadata().file_metadata().schema();
        let fields: Vec<_> = schema
            .get_fields()
            .iter()
            .filter(|t| matches!(t.name(), "seq" | "record"))
            .cloned()
            .collect();
        anyhow::ensure!(
            fields.len() == 2,
            "{}: no seq and record columns (is this the documents table of the Spark job?)",
            path.display()
        );
        let projection = parquet::schema::types::Type::group_type_builder(schema.name())
            .with_fields(fields)
            .build()?;
        let rows = parquet::record::reader::RowIter::from_file_into(Box::new(reader))
            .project(Some(projection))
            .with_context(|| format!("reading {}", path.display()))?;
        Ok(FileRows {
            path: path.to_path_buf(),
            rows,
            row: 0,
            last: None,
        })
    }

    /// The next row; an error names the file and the row.
    fn next(&mut self) -> Result<Option<Record>> {
        use parquet::record::Field;
        let Some(row) = self.rows.next() else {
            return Ok(None);
        };
        self.row += 1;
        let place = format!("{}#row {}", self.path.display(), self.row);
        let row = row.with_context(|| place.clone())?;
        let (mut seq, mut record) = (None, Err("no record".to_string()));
        for (name, field) in row.get_column_iter() {
            match (name.as_str(), field) {
                ("seq", Field::Long(n)) => seq = Some(*n),
                ("seq", Field::Int(n)) => seq = Some(i64::from(*n)),
                ("record", Field::Str(s)) => record = Ok(s.clone()),
                ("record", Field::Null) => record = Err("the record is null".into()),
                _ => {}
            }
        }
        let seq = seq.with_context(|| format!("{place}: no seq"))?;
        if let Some(last) = self.last {
            anyhow::ensure!(
                seq >= last,
                "{place}: seq {seq} after {last}: the file is not sorted by seq \
                 (write the documents table with sortWithinPartitions(\"seq\"), as \
                 examples/spark_extract.py does)"
            );
        }
        self.last = Some(seq);
        Ok(Some(Record { place, seq, record }))
    }
}

/// The records of one month's files, merged by `seq`.
struct Merge {
    files: Vec<FileRows>,
    heads: std::collections::BinaryHeap<std::cmp::Reverse<(i64, usize)>>,
    pending: Vec<Option<Record>>,
}

impl Merge {
    fn new(paths: &[PathBuf]) -> Result<Merge> {
        let mut m = Merge {
            files: Vec::new(),
            heads: Default::default(),
            pending: Vec::new(),
        };
        for p in paths {
            let mut f = FileRows::open(p)?;
            let first = f.next()?;
            if let Some(r) = &first {
                m.heads.push(std::cmp::Reverse((r.seq, m.files.len())));
            }
            m.pending.push(first);
            m.files.push(f);
        }
        Ok(m)
    }

    fn next(&mut self) -> Result<Option<Record>> {
        let Some(std::cmp::Reverse((_, i))) = self.heads.pop() else {
            return Ok(None);
        };
        let out = self.pending[i].take();
        let next = self.files[i].next()?;
        if let Some(r) = &next {
            self.heads.push(std::cmp::Reverse((r.seq, i)));
        }
        self.pending[i] = next;
        Ok(out)
    }
}

pub fn run(dir: &Path, db: &Path, summary: Summary) -> Result<ExitCode> {
    let started = Instant::now();
    let pipeline = onrecord_pipeline::models::pipeline_id(None)?;
    let months = partitions(dir)?;
    let store = Store::open(db).context("opening the record")?;
    let reader = Store::open_read(db).context("opening the record")?;
    let (tx, writer) = crate::writer::spawn(store);
    let mut growth = onrecord_pipeline::record::Growth::load(&reader)?;
    let mut failed = 0u64;
    let mut sent_ok = true;
    let send = |docs: &mut Vec<(Document, Extraction, String, String)>,
                items: &mut Vec<Item>,
                growth: &mut onrecord_pipeline::record::Growth|
     -> Result<bool> {
        let notes =
            onrecord_pipeline::record::link_items(&reader, growth, std::mem::take(docs), items)?;
        for n in notes {
            eprintln!("onrecord: {n}");
        }
        Ok(tx.send(std::mem::take(items)).is_ok())
    };
    'months: for (_, files) in &months {
        let mut merge = Merge::new(files)?;
        let mut docs = Vec::with_capacity(BATCH);
        let mut items = Vec::new();
        while let Some(r) = merge.next()? {
            match r.record.and_then(|s| {
                onrecord_pipeline::interchange::from_json(&s).map_err(|e| e.to_string())
            }) {
                Ok((d, x)) => {
                    let hash = content_hash(&d, &pipeline);
                    let key = article_key(&d, &hash);
                    docs.push((d, x, key, hash));
                }
                Err(message) => {
                    failed += 1;
                    eprintln!("onrecord: {}: {message}", r.place);
                    items.push(Item::Error(ErrorRecord {
                        key: error_key(&r.place, None),
                        path: r.place.clone(),
                        line: None,
                        message,
                    }));
                }
            }
            if docs.len() == BATCH && !send(&mut docs, &mut items, &mut growth)? {
                sent_ok = false;
                break 'months;
            }
        }
        if (!docs.is_empty() || !items.is_empty()) && !send(&mut docs, &mut items, &mut growth)? {
            sent_ok = false;
            break;
        }
    }
    let sum = crate::writer::finish(tx, writer)?;
    anyhow::ensure!(sent_ok, "the writer stopped early");
    let failed = sum.errors.max(failed);
    let total = sum.new + sum.updated + sum.unchanged + sum.duplicates;
    let counts = reader.counts()?;
    let secs = started.elapsed().as_secs_f64();
    match summary {
        Summary::Json => {
            let mut v = crate::writer::summary_json(&sum, failed, counts.people, secs, db);
            v.insert("months".into(), months.len().into());
            let v = serde_json::Value::Object(v);
            print_out(&serde_json::to_string_pretty(&v)?)?;
        }
        Summary::Line => eprintln!(
            "onrecord: linked {total} articles ({} new, {} updated, {} unchanged, {} duplicates) \
             from {} months, {} attributions written, {} people in the record, {failed} errors, \
             {secs:.2} s → {}",
            sum.new,
            sum.updated,
            sum.unchanged,
            sum.duplicates,
            months.len(),
            sum.attributions,
            counts.people,
            db.display()
        ),
        Summary::Quiet => {}
    }
    Ok(if failed > 0 {
        ExitCode::from(crate::cli::exit::ERROR)
    } else {
        ExitCode::SUCCESS
    })
}
