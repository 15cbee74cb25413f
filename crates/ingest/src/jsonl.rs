//! JSONL (one JSON object per line), read line by line.

use std::io::{BufRead, Read};

use onrecord_core::{Document, Metadata, Span};
use serde_json::{Map, Value};

use crate::{bom_len, is_valid_date, ErrorKind, IngestError, BOM, MAX_FILE_BYTES};

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
    type Item = Result<Document, IngestError>;

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
                    return Some(Err(self.error(ErrorKind::Io(e))));
                }
                Ok(0) => {
                    self.done = true;
                    if !self.saw_record {
                        return Some(Err(IngestError::new(self.path.clone(), ErrorKind::Empty)));
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
                    return Some(Err(self.error(ErrorKind::Io(e))));
                }
                return Some(Err(self.error(ErrorKind::TooLarge(size))));
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
                    return Some(Err(self.error(ErrorKind::InvalidUtf8 { byte_offset })));
                }
            };
            let (stem, line_no) = (&self.stem, self.line_no);
            let doc = parse_json_article(line, format!("{}:{}", self.path, self.line_no), |_| {
                format!("{stem}:{line_no}")
            });
            return Some(doc.map_err(|kind| self.error(kind)));
        }
    }
}

/// One article given as a JSON object, as on a JSONL line (`text`
/// required; `id`, `date`, `title`, `url`, `outlet`, `authors`, `editor`),
/// read as JSONL records are: the whole text is prose (a leading BOM aside)
/// and is not reparsed for seed-style metadata. `default_id` gives the id
/// from the text when the object has none. `path` is stored as given.
pub fn parse_json_article(
    json: &str,
    path: String,
    default_id: impl FnOnce(&str) -> String,
) -> Result<Document, ErrorKind> {
    let (id, text, meta) = parse_record(json, default_id)?;
    let start = bom_len(&text);
    let body = Span::new(start, text.len()).trim(&text);
    let body = if body.is_empty() {
        Vec::new()
    } else {
        vec![body]
    };
    Ok(Document {
        id,
        path,
        text,
        meta,
        body,
    })
}

/// One JSON record: its id, `text` and metadata.
fn parse_record(
    line: &str,
    default_id: impl FnOnce(&str) -> String,
) -> Result<(String, String, Metadata), ErrorKind> {
    let value: Value = serde_json::from_str(line).map_err(|e| ErrorKind::Json(e.to_string()))?;
    let Value::Object(mut obj) = value else {
        return Err(ErrorKind::Json("expected a JSON object".into()));
    };
    let text = match obj.remove("text") {
        Some(Value::String(s)) => s,
        _ => return Err(ErrorKind::MissingText),
    };
    if text.trim_start_matches(BOM).trim().is_empty() {
        return Err(ErrorKind::EmptyText);
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
    let id = id
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| default_id(&text));

    let date = string_field(&mut obj, "date")?;
    if let Some(d) = &date {
        if !is_valid_date(d) {
            return Err(ErrorKind::BadDate(d.clone()));
        }
    }
    let authors = match obj.remove("authors") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) => vec![s],
        Some(Value::Array(items)) => items
            .into_iter()
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
        title: string_field(&mut obj, "title")?,
        url: string_field(&mut obj, "url")?,
        outlet: string_field(&mut obj, "outlet")?,
        authors,
        editor: string_field(&mut obj, "editor")?,
        dateline: None,
    };
    Ok((id, text, meta))
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
    use std::io::Cursor;

    fn read(input: &str) -> Vec<Result<Document, IngestError>> {
        let r = Box::new(Cursor::new(input.as_bytes().to_vec()));
        JsonlReader::new("a.jsonl".into(), "a".into(), r).collect()
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
            (Some(6), "a.jsonl:6: no string field `text`")
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
            ErrorKind::MissingText
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
        let items: Vec<_> = JsonlReader::new("b.jsonl".into(), "b".into(), r).collect();
        assert_eq!(items.len(), 3);
        let e = items[1].as_ref().unwrap_err();
        assert!(matches!(e.kind, ErrorKind::InvalidUtf8 { byte_offset: 11 }));
        assert_eq!(e.to_string(), "b.jsonl:2: invalid UTF-8 at byte 11");
        assert_eq!(items[2].as_ref().unwrap().text, "after");
    }
}
