//! JSONL (one JSON object per line), read line by line.

use std::io::{BufRead, Read};

use onrecord_core::{Document, Format, Metadata, Position};
use serde_json::{Map, Value};

use crate::fields::{date_field, date_part, Fields, Raw};
use crate::{ErrorKind, IngestError, BOM, MAX_FILE_BYTES};

/// Yields one document (or error) per non-blank line of a JSONL stream.
pub(crate) struct JsonlReader {
    path: String,
    stem: String,
    reader: Box<dyn BufRead + Send>,
    line_no: usize,
    saw_record: bool,
    done: bool,
    buf: Vec<u8>,
}

impl JsonlReader {
    pub(crate) fn new(path: String, stem: String, reader: Box<dyn BufRead + Send>) -> Self {
        JsonlReader {
            path,
            stem,
            reader,
            line_no: 0,
            saw_record: false,
            done: false,
            buf: Vec::new(),
        }
    }

    fn error(&self, kind: ErrorKind) -> IngestError {
        IngestError::at_line(self.path.clone(), self.line_no, kind)
    }

    /// Drops the rest of an over-long line.
    fn skip_line(&mut self) -> std::io::Result<()> {
        loop {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                return Ok(());
            }
            if let Some(i) = buf.iter().position(|&b| b == b'\n') {
                self.reader.consume(i + 1);
                return Ok(());
            }
            let n = buf.len();
            self.reader.consume(n);
        }
    }
}

impl Iterator for JsonlReader {
    type Item = Raw;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return None;
            }
            self.buf.clear();
            self.line_no += 1;
            let read = (&mut self.reader)
                .take(MAX_FILE_BYTES + 1)
                .read_until(b'\n', &mut self.buf);
            match read {
                Err(e) => {
                    self.done = true;
                    return Some(Raw::Failed(self.error(crate::reader::read_error(e))));
                }
                Ok(0) => {
                    self.done = true;
                    if !self.saw_record {
                        return Some(Raw::Failed(IngestError::new(
                            self.path.clone(),
                            ErrorKind::Empty,
                        )));
                    }
                    return None;
                }
                Ok(_) => {}
            }
            if self.buf.len() as u64 > MAX_FILE_BYTES {
                self.saw_record = true;
                let size = self.buf.len() as u64;
                self.buf = Vec::new();
                if let Err(e) = self.skip_line() {
                    self.done = true;
                    return Some(Raw::Failed(self.error(crate::reader::read_error(e))));
                }
                return Some(Raw::Failed(self.error(ErrorKind::TooLarge(size))));
            }
            let mut bytes = self.buf.as_slice();
            if self.line_no == 1 && bytes.starts_with(BOM.as_bytes()) {
                bytes = &bytes[BOM.len()..];
            }
            if bytes.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            self.saw_record = true;
            let line = match std::str::from_utf8(bytes) {
                Ok(line) => line,
                Err(e) => {
                    let byte_offset = e.valid_up_to();
                    return Some(Raw::Failed(
                        self.error(ErrorKind::InvalidUtf8 { byte_offset }),
                    ));
                }
            };
            let (stem, line_no) = (&self.stem, self.line_no);
            let origin =
                crate::fields::origin(&self.path, Some(Position::Line(line_no)), Format::Jsonl);
            let raw =
                parse_record(line).and_then(|f| f.into_raw(origin, || format!("{stem}:{line_no}")));
            return Some(raw.unwrap_or_else(|kind| Raw::Failed(self.error(kind))));
        }
    }
}

/// One article given as a JSON object, as on a JSONL line (`text`
/// required, or `html`: a page whose main text is extracted; `id`, `date`,
/// `title`, `url`, `outlet`, `authors`, `editor`, `language`,
/// `description`; news-please's `maintext`, `date_publish`, `date_modify`,
/// `date_download`, `source_domain` are taken too), read as JSONL records
/// are: the whole text is prose (a leading BOM aside) and is not reparsed
/// for seed-style metadata. `default_id` gives the id from the text when
/// the object has none. `path` is stored as given.
pub fn parse_json_article(
    json: &str,
    path: String,
    default_id: impl FnOnce(&str) -> String,
) -> Result<Document, ErrorKind> {
    let value: Value = serde_json::from_str(json).map_err(|e| ErrorKind::Json(json_message(&e)))?;
    let Value::Object(obj) = value else {
        return Err(ErrorKind::Json("expected a JSON object".into()));
    };
    parse_json_object(obj, path, default_id)
}

/// [`parse_json_article`] for an object already parsed (a Python dict).
pub fn parse_json_object(
    obj: Map<String, Value>,
    path: String,
    default_id: impl FnOnce(&str) -> String,
) -> Result<Document, ErrorKind> {
    let fields = record_fields(obj)?;
    let has_id = fields.id.as_deref().is_some_and(|s| !s.trim().is_empty());
    let default = if has_id {
        String::new()
    } else {
        default_id(
            fields
                .text
                .as_deref()
                .or(fields.html.as_deref())
                .unwrap_or(""),
        )
    };
    let origin = crate::fields::origin(&path, None, Format::Json);
    let raw = fields.into_raw(origin, || default)?;
    crate::fields::finish(raw).map_err(|e| e.kind)
}

/// One JSON record's fields.
pub(crate) fn parse_record(line: &str) -> Result<Fields, ErrorKind> {
    let value: Value = serde_json::from_str(line).map_err(|e| ErrorKind::Json(json_message(&e)))?;
    let Value::Object(obj) = value else {
        return Err(ErrorKind::Json("expected a JSON object".into()));
    };
    record_fields(obj)
}

/// What is wrong with one JSON record, for a person: the column in the
/// line (serde's "line 1" would be the record's own line, not the file's),
/// and a record cut short said as such.
pub(crate) fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let what = match text.rsplit_once(" at line ") {
        Some((what, _)) => what.to_string(),
        None => text,
    };
    if e.is_eof() {
        format!(
            "the record is cut short ({what} at column {}): a truncated line?",
            e.column()
        )
    } else {
        format!("{what} at column {}", e.column())
    }
}

/// The fields of a JSON object (a JSONL line, a news-please file).
pub(crate) fn record_fields(mut obj: Map<String, Value>) -> Result<Fields, ErrorKind> {
    let mut text_field = |names: &[&'static str]| -> Result<Option<String>, ErrorKind> {
        for &name in names {
            match obj.remove(name) {
                None | Some(Value::Null) => {}
                Some(Value::String(s)) => return Ok(Some(s)),
                Some(_) => {
                    return Err(ErrorKind::BadField {
                        field: name,
                        expected: "a string",
                    })
                }
            }
        }
        Ok(None)
    };
    let text = text_field(&["text", "maintext"])?;
    let html = text_field(&["html"])?;
    if text.is_none() && html.is_none() {
        return Err(ErrorKind::MissingText);
    }
    let id = match obj.remove("id") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(_) => {
            return Err(ErrorKind::BadField {
                field: "id",
                expected: "a string or a number",
            })
        }
    };
    let mut first = |names: &[&'static str]| -> Result<Option<String>, ErrorKind> {
        for &name in names {
            if let Some(v) = string_field(&mut obj, name)? {
                return Ok(Some(v));
            }
        }
        Ok(None)
    };
    let date = date_field(first(&["date", "date_publish", "published"])?)?;
    let modified = first(&["modified", "date_modify"])?.and_then(|d| date_part(&d));
    let crawled = first(&["crawled", "date_download"])?.and_then(|d| date_part(&d));
    let title = first(&["title"])?;
    let url = first(&["url"])?;
    let outlet = first(&["outlet", "source_domain", "site_name"])?;
    let editor = first(&["editor"])?;
    let language = first(&["language"])?.and_then(|l| crate::lang::normalise(&l));
    let description = first(&["description"])?;
    let authors = match obj.remove("authors") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) => vec![s],
        Some(Value::Array(items)) => items
            .into_iter()
            .filter(|v| !v.is_null())
            .map(|v| match v {
                Value::String(s) => Ok(s),
                _ => Err(ErrorKind::BadField {
                    field: "authors",
                    expected: "a string or an array of strings",
                }),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => {
            return Err(ErrorKind::BadField {
                field: "authors",
                expected: "a string or an array of strings",
            })
        }
    };
    let authors = authors
        .into_iter()
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
        .collect();
    let meta = Metadata {
        date,
        title,
        url,
        outlet,
        authors,
        editor,
        dateline: None,
        language,
        modified,
        description,
        crawled,
    };
    Ok(Fields {
        id,
        text,
        html,
        meta,
    })
}

/// An optional string field (null, absent or blank: `None`).
fn string_field(
    obj: &mut Map<String, Value>,
    field: &'static str,
) -> Result<Option<String>, ErrorKind> {
    match obj.remove(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => {
            let t = s.trim();
            Ok((!t.is_empty()).then(|| t.to_string()))
        }
        Some(_) => Err(ErrorKind::BadField {
            field,
            expected: "a string",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use onrecord_core::Span;
    use std::io::Cursor;

    fn read(input: &str) -> Vec<Result<Document, IngestError>> {
        let r = Box::new(Cursor::new(input.as_bytes().to_vec()));
        JsonlReader::new("a.jsonl".into(), "a".into(), r)
            .map(crate::fields::finish)
            .collect()
    }

    #[test]
    fn good_and_bad_lines() {
        let input = concat!(
            "{\"id\": \"x1\", \"text\": \"He said so.\", \"date\": \"2025-01-02\", \"title\": \"T\", \"url\": \"http://u\", \"outlet\": \"TASS\", \"authors\": [\"A B\", \"C D\"]}\n",
            "\n",
            "   \n",
            "{\"text\": \"No id here.\", \"authors\": \"Solo Writer\"}\r\n",
            "{\"text\": \"x\",\n",
            "{\"id\": 7}\n",
            "{\"text\": \"ok\", \"date\": \"2025-02-30\"}\n",
            "[1, 2]\n",
            "{\"id\": 42, \"text\": \" date 2025-01-01 World\\nNot reparsed.\"}\n",
            "{\"text\": 5}\n",
            "{\"text\": \"  \"}\n",
            "{\"text\": \"x\", \"authors\": [1]}\n",
            "{\"text\": \"last\"}",
        );
        let items = read(input);
        assert_eq!(items.len(), 11);

        let d = items[0].as_ref().unwrap();
        assert_eq!(d.id, "x1");
        assert_eq!(d.path, "a.jsonl:1");
        assert_eq!(d.text, "He said so.");
        assert_eq!(d.body, vec![Span::new(0, 11)]);
        assert_eq!(d.meta.date.as_deref(), Some("2025-01-02"));
        assert_eq!(d.meta.title.as_deref(), Some("T"));
        assert_eq!(d.meta.url.as_deref(), Some("http://u"));
        assert_eq!(d.meta.outlet.as_deref(), Some("TASS"));
        assert_eq!(d.meta.authors, vec!["A B".to_string(), "C D".to_string()]);

        let d = items[1].as_ref().unwrap();
        assert_eq!(d.id, "a:4");
        assert_eq!(d.path, "a.jsonl:4");
        assert_eq!(d.meta.authors, vec!["Solo Writer".to_string()]);

        let e = items[2].as_ref().unwrap_err();
        assert_eq!(e.line, Some(5));
        assert!(matches!(e.kind, ErrorKind::Json(_)));
        assert!(
            e.to_string().starts_with("a.jsonl:5: invalid JSON: "),
            "{e}"
        );

        let e = items[3].as_ref().unwrap_err();
        assert_eq!(
            (e.line, e.to_string().as_str()),
            (
                Some(6),
                "a.jsonl:6: no string field `text` (or `maintext`, or `html`)"
            )
        );
        let e = items[4].as_ref().unwrap_err();
        assert!(matches!(&e.kind, ErrorKind::BadDate(d) if d == "2025-02-30"));
        assert_eq!(e.line, Some(7));
        assert!(matches!(
            items[5].as_ref().unwrap_err().kind,
            ErrorKind::Json(_)
        ));

        let d = items[6].as_ref().unwrap();
        assert_eq!(d.id, "42");
        assert_eq!(d.meta.date, None, "JSONL text is not reparsed");
        assert_eq!(d.meta.title, None);
        assert_eq!(d.body, vec![Span::new(1, d.text.len())]);

        assert!(matches!(
            items[7].as_ref().unwrap_err().kind,
            ErrorKind::BadField { field: "text", .. }
        ));
        assert!(matches!(
            items[8].as_ref().unwrap_err().kind,
            ErrorKind::EmptyText
        ));
        assert!(matches!(
            items[9].as_ref().unwrap_err().kind,
            ErrorKind::BadField {
                field: "authors",
                ..
            }
        ));
        let d = items[10].as_ref().unwrap();
        assert_eq!((d.id.as_str(), d.text.as_str()), ("a:13", "last"));
    }

    #[test]
    fn one_article_as_json() {
        let d = parse_json_article(
            r#"{"text": " He said so. ", "title": "T", "authors": ["A"]}"#,
            "api".into(),
            |text| format!("h:{}", text.len()),
        )
        .unwrap();
        assert_eq!((d.id.as_str(), d.path.as_str()), ("h:13", "api"));
        assert_eq!(d.body, vec![Span::new(1, 12)]);
        assert_eq!(d.meta.title.as_deref(), Some("T"));
        let d = parse_json_article(
            r#"{"id": 7, "text": "x"}"#,
            "api".into(),
            |_| unreachable!(),
        )
        .unwrap();
        assert_eq!(d.id, "7");
        for bad in [
            r#"{"id": 7}"#,
            "[1]",
            "{",
            r#"{"text": "x", "date": "2025-13-01"}"#,
        ] {
            assert!(
                parse_json_article(bad, "api".into(), |_| String::new()).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn empty_stream() {
        for input in ["", "\n  \n\n"] {
            let items = read(input);
            assert_eq!(items.len(), 1);
            let e = items[0].as_ref().unwrap_err();
            assert!(matches!(e.kind, ErrorKind::Empty));
            assert_eq!(e.to_string(), "a.jsonl: empty file");
        }
    }

    #[test]
    fn bom_and_invalid_utf8() {
        let items = read("\u{feff}{\"text\": \"hi\"}\n");
        assert_eq!(items[0].as_ref().unwrap().text, "hi");

        let mut bytes = b"{\"text\": \"ok\"}\n{\"text\": \"a".to_vec();
        bytes.extend_from_slice(&[0xff, b'"', b'}', b'\n']);
        bytes.extend_from_slice(b"{\"text\": \"after\"}\n");
        let r = Box::new(Cursor::new(bytes));
        let items: Vec<_> = JsonlReader::new("b.jsonl".into(), "b".into(), r)
            .map(crate::fields::finish)
            .collect();
        assert_eq!(items.len(), 3);
        let e = items[1].as_ref().unwrap_err();
        assert!(matches!(e.kind, ErrorKind::InvalidUtf8 { byte_offset: 11 }));
        assert_eq!(e.to_string(), "b.jsonl:2: invalid UTF-8 at byte 11");
        assert_eq!(items[2].as_ref().unwrap().text, "after");
    }
}
