//! The output contract as Arrow record batches (feature `arrow`): one table
//! of statements, one of entities, one of events (one row per mention in
//! one document) and one of documents, with the schemas below. Offsets are
//! Unicode code points into the document's text, as in the JSON; texts
//! are those of the JSON's `text` fields. docs/python.md lists the columns.
//!
//! Every table starts with the document's `doc`, `date` and `month`
//! (`YYYY-MM` of the publication date, for partitioning). The `documents`
//! table carries each document with its extraction in the interchange
//! form ([`crate::interchange`]), in its `record` column, with `seq`, its
//! place in the input: what `onrecord link` reads to build the record.

use crate::output::joined;
use crate::{interchange, Document, Extraction};
use arrow_array::builder::{
    BooleanBuilder, Float32Builder, Int32Builder, Int64Builder, ListBuilder, StringBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};
use onrecord_core::{CharOffsets, Span};
use std::sync::Arc;

/// The tables, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// One row per statement.
    Statements,
    /// One row per entity of each document.
    Entities,
    /// One row per event of each document.
    Events,
    /// One row per document, with its extraction (`record`) and `seq`.
    Documents,
}

impl Table {
    /// Every table.
    pub const ALL: [Table; 4] = [
        Table::Statements,
        Table::Entities,
        Table::Events,
        Table::Documents,
    ];

    /// `statements`, `entities`, `events` or `documents`.
    pub fn name(self) -> &'static str {
        match self {
            Table::Statements => "statements",
            Table::Entities => "entities",
            Table::Events => "events",
            Table::Documents => "documents",
        }
    }

    /// The table of that name.
    pub fn parse(s: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.name() == s)
    }

    /// The table's schema.
    pub fn schema(self) -> SchemaRef {
        let s = |n: &str| Field::new(n, DataType::Utf8, true);
        let req = |n: &str| Field::new(n, DataType::Utf8, false);
        let i32f = |n: &str| Field::new(n, DataType::Int32, false);
        let i64n = |n: &str| Field::new(n, DataType::Int64, true);
        let list = |n: &str| {
            Field::new(
                n,
                DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
                false,
            )
        };
        let mut fields = vec![req("doc"), s("date"), s("month")];
        match self {
            Table::Statements => fields.extend([
                s("outlet"),
                s("title"),
                s("url"),
                i32f("index"),
                req("kind"),
                s("speaker"),
                s("speaker_text"),
                s("speaker_entity"),
                s("speaker_type"),
                req("source"),
                req("cue"),
                req("content"),
                i64n("source_start"),
                i64n("source_end"),
                i64n("cue_start"),
                i64n("cue_end"),
                i64n("content_start"),
                i64n("content_end"),
                req("content_spans"),
                s("statement_date"),
                req("stance"),
                s("thread"),
                list("subject"),
                Field::new("confidence", DataType::Float32, false),
            ]),
            Table::Entities => fields.extend([
                req("id"),
                req("name"),
                req("type"),
                list("aliases"),
                list("roles"),
                i32f("mentions"),
                list("candidates"),
            ]),
            Table::Events => fields.extend([
                req("id"),
                req("type"),
                list("participants"),
                list("places"),
                s("event_date"),
                Field::new("planned", DataType::Boolean, false),
                i32f("mentions"),
            ]),
            Table::Documents => fields.extend([
                Field::new("seq", DataType::Int64, false),
                req("path"),
                s("title"),
                s("outlet"),
                s("url"),
                s("language"),
                s("skipped"),
                i32f("statements"),
                req("record"),
            ]),
        }
        Arc::new(Schema::new(fields))
    }
}

/// `YYYY-MM` of a `YYYY-MM-DD` date.
pub fn month(date: Option<&str>) -> Option<&str> {
    date.and_then(|d| d.get(..7)).filter(|m| m.len() == 7)
}

fn bounds(o: &CharOffsets, spans: &[Span]) -> (Option<i64>, Option<i64>) {
    match (spans.first(), spans.last()) {
        (Some(a), Some(b)) => (
            Some(o.char_of(a.start as usize) as i64),
            Some(o.char_of(b.end as usize) as i64),
        ),
        _ => (None, None),
    }
}

/// One document with its extraction and its place in the input.
pub struct Row<'a> {
    /// Its place in the input (the `documents` table's `seq`).
    pub seq: i64,
    /// The document.
    pub doc: &'a Document,
    /// Its extraction.
    pub ex: &'a Extraction,
}

/// Builds `table` from `rows`.
pub fn batch(table: Table, rows: &[Row<'_>]) -> Result<RecordBatch, ArrowError> {
    let mut doc = StringBuilder::new();
    let mut date = StringBuilder::new();
    let mut mon = StringBuilder::new();
    let mut head = |d: &Document| {
        doc.append_value(&d.id);
        date.append_option(d.meta.date.as_deref());
        mon.append_option(month(d.meta.date.as_deref()));
    };
    let mut cols: Vec<ArrayRef> = Vec::new();
    match table {
        Table::Statements => {
            let mut sb: Vec<StringBuilder> = (0..10).map(|_| StringBuilder::new()).collect();
            let mut index = Int32Builder::new();
            let mut offs: Vec<Int64Builder> = (0..6).map(|_| Int64Builder::new()).collect();
            let mut content_text = StringBuilder::new();
            let mut content_spans = StringBuilder::new();
            let mut sdate = StringBuilder::new();
            let mut stance = StringBuilder::new();
            let mut thread = StringBuilder::new();
            let mut subject = ListBuilder::new(StringBuilder::new());
            let mut conf = Float32Builder::new();
            for r in rows {
                let (d, x) = (r.doc, r.ex);
                let o = CharOffsets::new(&d.text);
                for (i, a) in x.attributions.iter().enumerate() {
                    head(d);
                    sb[0].append_option(d.meta.outlet.as_deref());
                    sb[1].append_option(d.meta.title.as_deref());
                    sb[2].append_option(d.meta.url.as_deref());
                    index.append_value(i as i32);
                    sb[3].append_value(a.kind.as_str());
                    let sp = a.speaker.as_ref();
                    sb[4].append_option(sp.map(|s| s.name.as_str()).filter(|n| !n.is_empty()));
                    sb[5].append_option(sp.map(|s| s.text.as_str()));
                    sb[6].append_option(sp.and_then(|s| s.entity.as_deref()));
                    sb[7].append_option(sp.map(|s| s.kind.as_str()));
                    sb[8].append_value(joined(&d.text, &a.source));
                    sb[9].append_value(joined(&d.text, &a.cue));
                    content_text.append_value(joined(&d.text, &a.content));
                    let pairs: Vec<[usize; 2]> = a
                        .content
                        .iter()
                        .map(|s| [o.char_of(s.start as usize), o.char_of(s.end as usize)])
                        .collect();
                    content_spans.append_value(
                        serde_json::to_string(&pairs).unwrap_or_else(|_| "[]".into()),
                    );
                    for (k, role) in [&a.source, &a.cue, &a.content].into_iter().enumerate() {
                        let (s, e) = bounds(&o, role);
                        offs[2 * k].append_option(s);
                        offs[2 * k + 1].append_option(e);
                    }
                    sdate.append_option(crate::output::statement_date(d, x, a));
                    stance.append_value(a.stance.as_str());
                    thread.append_option(a.about.as_deref());
                    for t in a.subject.iter().take(8) {
                        subject.values().append_value(&t.text);
                    }
                    subject.append(true);
                    conf.append_value((a.confidence * 1000.0).round() / 1000.0);
                }
            }
            let content = content_text.finish();
            cols.push(Arc::new(doc.finish()));
            cols.push(Arc::new(date.finish()));
            cols.push(Arc::new(mon.finish()));
            let mut sb = sb.into_iter();
            let mut next = || {
                Arc::new(
                    sb.next()
                        .map_or_else(|| StringBuilder::new().finish(), |mut b| b.finish()),
                )
            };
            cols.push(next()); // outlet
            cols.push(next()); // title
            cols.push(next()); // url
            cols.push(Arc::new(index.finish()));
            for _ in 0..7 {
                cols.push(next()); // kind, speaker …, source, cue
            }
            cols.push(Arc::new(content));
            for mut b in offs {
                cols.push(Arc::new(b.finish()));
            }
            cols.push(Arc::new(content_spans.finish()));
            cols.push(Arc::new(sdate.finish()));
            cols.push(Arc::new(stance.finish()));
            cols.push(Arc::new(thread.finish()));
            cols.push(Arc::new(subject.finish()));
            cols.push(Arc::new(conf.finish()));
        }
        Table::Entities => {
            let (mut id, mut name, mut kind) = (
                StringBuilder::new(),
                StringBuilder::new(),
                StringBuilder::new(),
            );
            let mut aliases = ListBuilder::new(StringBuilder::new());
            let mut roles = ListBuilder::new(StringBuilder::new());
            let mut candidates = ListBuilder::new(StringBuilder::new());
            let mut mentions = Int32Builder::new();
            for r in rows {
                for e in &r.ex.entities {
                    head(r.doc);
                    id.append_value(&e.id);
                    name.append_value(&e.name);
                    kind.append_value(e.kind.as_str());
                    for a in &e.aliases {
                        aliases.values().append_value(a);
                    }
                    aliases.append(true);
                    for t in &e.roles {
                        roles.values().append_value(&t.title);
                    }
                    roles.append(true);
                    mentions.append_value(e.mentions.len() as i32);
                    for c in &e.candidates {
                        candidates.values().append_value(c);
                    }
                    candidates.append(true);
                }
            }
            cols.push(Arc::new(doc.finish()));
            cols.push(Arc::new(date.finish()));
            cols.push(Arc::new(mon.finish()));
            cols.push(Arc::new(id.finish()));
            cols.push(Arc::new(name.finish()));
            cols.push(Arc::new(kind.finish()));
            cols.push(Arc::new(aliases.finish()));
            cols.push(Arc::new(roles.finish()));
            cols.push(Arc::new(mentions.finish()));
            cols.push(Arc::new(candidates.finish()));
        }
        Table::Events => {
            let (mut id, mut kind, mut edate) = (
                StringBuilder::new(),
                StringBuilder::new(),
                StringBuilder::new(),
            );
            let mut who = ListBuilder::new(StringBuilder::new());
            let mut places = ListBuilder::new(StringBuilder::new());
            let mut planned = BooleanBuilder::new();
            let mut mentions = Int32Builder::new();
            for r in rows {
                for e in &r.ex.events {
                    head(r.doc);
                    id.append_value(&e.id);
                    kind.append_value(e.kind.as_str());
                    for p in &e.participants {
                        who.values().append_value(&p.name);
                    }
                    who.append(true);
                    for p in &e.places {
                        places.values().append_value(&p.name);
                    }
                    places.append(true);
                    edate.append_option(crate::output::date_value(r.doc, r.ex, e.date));
                    planned.append_value(e.planned);
                    mentions.append_value(e.mentions.len() as i32);
                }
            }
            cols.push(Arc::new(doc.finish()));
            cols.push(Arc::new(date.finish()));
            cols.push(Arc::new(mon.finish()));
            cols.push(Arc::new(id.finish()));
            cols.push(Arc::new(kind.finish()));
            cols.push(Arc::new(who.finish()));
            cols.push(Arc::new(places.finish()));
            cols.push(Arc::new(edate.finish()));
            cols.push(Arc::new(planned.finish()));
            cols.push(Arc::new(mentions.finish()));
        }
        Table::Documents => {
            let mut seq = Int64Builder::new();
            let mut sb: Vec<StringBuilder> = (0..7).map(|_| StringBuilder::new()).collect();
            let mut statements = Int32Builder::new();
            for r in rows {
                let (d, x) = (r.doc, r.ex);
                head(d);
                seq.append_value(r.seq);
                sb[0].append_value(&d.path);
                sb[1].append_option(d.meta.title.as_deref());
                sb[2].append_option(d.meta.outlet.as_deref());
                sb[3].append_option(d.meta.url.as_deref());
                sb[4].append_option(d.meta.language.as_deref());
                sb[5].append_option(x.skipped.as_deref());
                statements.append_value(x.attributions.len() as i32);
                sb[6].append_value(interchange::to_json(d, x));
            }
            cols.push(Arc::new(doc.finish()));
            cols.push(Arc::new(date.finish()));
            cols.push(Arc::new(mon.finish()));
            cols.push(Arc::new(seq.finish()));
            let mut sb = sb.into_iter();
            let mut next = || {
                Arc::new(
                    sb.next()
                        .map_or_else(|| StringBuilder::new().finish(), |mut b| b.finish()),
                )
            };
            for _ in 0..6 {
                cols.push(next());
            }
            cols.push(Arc::new(statements.finish()));
            cols.push(next());
        }
    }
    RecordBatch::try_new(table.schema(), cols)
}

/// `batch` in the Arrow IPC stream format (what `pyarrow.ipc.open_stream`
/// reads): the schema, then the batch.
pub fn to_ipc(batch: &RecordBatch) -> Result<Vec<u8>, ArrowError> {
    let mut out = Vec::new();
    {
        let mut w = arrow_ipc::writer::StreamWriter::try_new(&mut out, &batch.schema())?;
        w.write(batch)?;
        w.finish()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{document, Pipeline};

    #[test]
    fn every_table_matches_its_schema_and_the_json() {
        let p = Pipeline::load().unwrap();
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/000_e8348c9c7b4e2da3.txt"
        ))
        .unwrap();
        let json = serde_json::json!({"id": "s0", "date": "2025-08-15", "text": text}).to_string();
        let d = document(&json, "-").unwrap();
        let x = p.process(&d);
        let rows = [Row {
            seq: 7,
            doc: &d,
            ex: &x,
        }];
        for t in Table::ALL {
            let b = batch(t, &rows).unwrap();
            assert_eq!(b.schema(), t.schema(), "{}", t.name());
            let ipc = to_ipc(&b).unwrap();
            assert!(!ipc.is_empty());
        }
        let s = batch(Table::Statements, &rows).unwrap();
        assert_eq!(s.num_rows(), x.attributions.len());
        let mut out = Vec::new();
        crate::output::write_document(&mut out, &d, &x).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let content = s
            .column_by_name("content")
            .unwrap()
            .as_any()
            .downcast_ref::<arrow_array::StringArray>()
            .unwrap();
        let start = s
            .column_by_name("content_start")
            .unwrap()
            .as_any()
            .downcast_ref::<arrow_array::Int64Array>()
            .unwrap();
        for (i, a) in v["attributions"].as_array().unwrap().iter().enumerate() {
            assert_eq!(content.value(i), a["text"]["content"].as_str().unwrap());
            assert_eq!(start.value(i), a["content"][0][0].as_i64().unwrap());
        }
        let m = s.column_by_name("month").unwrap();
        let m = m
            .as_any()
            .downcast_ref::<arrow_array::StringArray>()
            .unwrap();
        assert_eq!(m.value(0), "2025-08");
        let docs = batch(Table::Documents, &rows).unwrap();
        assert_eq!(docs.num_rows(), 1);
        let empty = batch(Table::Entities, &[]).unwrap();
        assert_eq!(empty.num_rows(), 0);
    }
}
