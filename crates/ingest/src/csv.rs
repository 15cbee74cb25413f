//! CSV and TSV files of articles: a header row, then one article per
//! record (RFC 4180 quoting: fields may hold quoted commas, quotes and
//! newlines), streamed record by record.

use std::io::BufRead;

use onrecord_core::{Format, Position};

use crate::fields::{date_field, date_part, split_authors, Fields, Raw};
use crate::{ErrorKind, IngestError};

/// Column names the text is taken from, in order, when no
/// `--text-column` is given.
pub const TEXT_COLUMNS: [&str; 6] = [
    "text",
    "maintext",
    "content",
    "body",
    "article",
    "article_text",
];

/// What a column of the header gives.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Col {
    Text,
    Html,
    Id,
    Date,
    Modified,
    Title,
    Url,
    Outlet,
    Authors,
    Language,
    Description,
    Other,
}

fn meta_column(name: &str) -> Col {
    match name.trim().to_ascii_lowercase().as_str() {
        "html" => Col::Html,
        "id" | "doc_id" | "article_id" => Col::Id,
        "date" | "published" | "date_publish" | "publication_date" | "pubdate" => Col::Date,
        "modified" | "date_modify" => Col::Modified,
        "title" | "headline" => Col::Title,
        "url" | "link" => Col::Url,
        "outlet" | "source" | "publisher" | "site" | "source_domain" => Col::Outlet,
        "authors" | "author" | "byline" => Col::Authors,
        "language" | "lang" => Col::Language,
        "description" | "summary" => Col::Description,
        _ => Col::Other,
    }
}

/// Yields one document (or error) per record of a CSV/TSV stream.
pub(crate) struct CsvReader {
    path: String,
    stem: String,
    rdr: ::csv::Reader<Box<dyn BufRead + Send>>,
    /// The role of each column, or the error that the header gave.
    cols: Result<Vec<Col>, Option<ErrorKind>>,
    record: ::csv::ByteRecord,
    done: bool,
    saw_record: bool,
}

impl CsvReader {
    /// `tab`: TSV (tab-separated, no quoting). `text_column`: the column to
    /// take the text from (else the first of [`TEXT_COLUMNS`]).
    pub(crate) fn new(
        path: String,
        stem: String,
        reader: Box<dyn BufRead + Send>,
        tab: bool,
        text_column: Option<&str>,
    ) -> Self {
        let mut rdr = ::csv::ReaderBuilder::new()
            .delimiter(if tab { b'\t' } else { b',' })
            .quoting(!tab)
            .flexible(true)
            .from_reader(reader);
        let cols = match rdr.byte_headers() {
            Ok(h) if h.is_empty() || h.iter().all(|f| f.is_empty()) => Err(Some(ErrorKind::Empty)),
            Ok(h) => {
                let names: Vec<String> = h
                    .iter()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect();
                roles(&names, text_column)
            }
            Err(e) => Err(Some(csv_error(e))),
        };
        CsvReader {
            path,
            stem,
            rdr,
            cols,
            record: ::csv::ByteRecord::new(),
            done: false,
            saw_record: false,
        }
    }
}

/// The role of every column, with the text column chosen.
fn roles(names: &[String], text_column: Option<&str>) -> Result<Vec<Col>, Option<ErrorKind>> {
    let mut cols: Vec<Col> = names.iter().map(|n| meta_column(n)).collect();
    let norm = |s: &str| s.trim().to_ascii_lowercase();
    let text_at = match text_column {
        Some(want) => names.iter().position(|n| norm(n) == norm(want)),
        None => TEXT_COLUMNS
            .iter()
            .find_map(|want| names.iter().position(|n| norm(n) == *want)),
    };
    match text_at {
        Some(i) => cols[i] = Col::Text,
        None if text_column.is_none() && cols.contains(&Col::Html) => {}
        None => {
            let wanted = match text_column {
                Some(w) => format!("{w:?} (--text-column)"),
                None => format!("{} (or give --text-column NAME)", TEXT_COLUMNS.join(", ")),
            };
            return Err(Some(ErrorKind::NoTextColumn {
                wanted,
                found: names.join(", "),
            }));
        }
    }
    Ok(cols)
}

fn csv_error(e: ::csv::Error) -> ErrorKind {
    if !e.is_io_error() {
        return ErrorKind::Csv(e.to_string());
    }
    match e.into_kind() {
        ::csv::ErrorKind::Io(e) => crate::reader::read_error(e),
        other => ErrorKind::Csv(format!("{other:?}")),
    }
}

impl Iterator for CsvReader {
    type Item = Raw;

    fn next(&mut self) -> Option<Raw> {
        if self.done {
            return None;
        }
        let cols = match &mut self.cols {
            Ok(c) => c,
            Err(e) => {
                self.done = true;
                let kind = e.take()?;
                return Some(Raw::Failed(IngestError::new(self.path.clone(), kind)));
            }
        };
        loop {
            let line = self.rdr.position().line() as usize;
            match self.rdr.read_byte_record(&mut self.record) {
                Ok(false) => {
                    self.done = true;
                    if !self.saw_record {
                        return Some(Raw::Failed(IngestError::new(
                            self.path.clone(),
                            ErrorKind::Empty,
                        )));
                    }
                    return None;
                }
                Ok(true) => {}
                Err(e) => {
                    let fatal = e.is_io_error();
                    self.done = fatal;
                    // the reader's position is past the bad record: report
                    // where it started
                    let line = e.position().map_or(line, |p| p.line() as usize);
                    return Some(Raw::Failed(IngestError::at_line(
                        self.path.clone(),
                        line,
                        csv_error(e),
                    )));
                }
            }
            // the line the record starts on (after a blank line, the csv
            // crate gives the blank line's)
            let line = self.record.position().map_or(line, |p| p.line() as usize);
            if self
                .record
                .iter()
                .all(|f| f.iter().all(u8::is_ascii_whitespace))
            {
                continue;
            }
            self.saw_record = true;
            let fields = match record_fields(cols, &self.record) {
                Ok(f) => f,
                Err(kind) => {
                    return Some(Raw::Failed(IngestError::at_line(
                        self.path.clone(),
                        line,
                        kind,
                    )))
                }
            };
            let origin = crate::fields::origin(&self.path, Some(Position::Line(line)), Format::Csv);
            let stem = &self.stem;
            let raw = fields
                .into_raw(origin, || format!("{stem}:{line}"))
                .unwrap_or_else(|kind| {
                    Raw::Failed(IngestError::at_line(self.path.clone(), line, kind))
                });
            return Some(raw);
        }
    }
}

/// The fields of one record.
fn record_fields(cols: &[Col], record: &::csv::ByteRecord) -> Result<Fields, ErrorKind> {
    let mut f = Fields::default();
    let mut offset = 0usize;
    for (i, raw) in record.iter().enumerate() {
        let value = std::str::from_utf8(raw).map_err(|e| ErrorKind::InvalidUtf8 {
            byte_offset: offset + e.valid_up_to(),
        })?;
        offset += raw.len() + 1;
        let col = cols.get(i).copied().unwrap_or(Col::Other);
        if col == Col::Text {
            f.text = Some(value.to_string());
            continue;
        }
        let v = value.trim();
        if v.is_empty() {
            continue;
        }
        let v = v.to_string();
        match col {
            Col::Html => f.html = Some(v),
            Col::Id => f.id = Some(v),
            Col::Date => f.meta.date = date_field(Some(v))?,
            Col::Modified => f.meta.modified = date_part(&v),
            Col::Title => f.meta.title = Some(v),
            Col::Url => f.meta.url = Some(v),
            Col::Outlet => f.meta.outlet = Some(v),
            Col::Authors => f.meta.authors = split_authors(&v),
            Col::Language => f.meta.language = crate::lang::normalise(&v),
            Col::Description => f.meta.description = Some(v),
            Col::Text | Col::Other => {}
        }
    }
    if f.text.as_deref().is_some_and(|t| t.trim().is_empty()) && f.html.is_some() {
        f.text = None;
    }
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::finish;
    use onrecord_core::Document;
    use std::io::Cursor;

    fn read(input: &str, tab: bool, col: Option<&str>) -> Vec<Result<Document, IngestError>> {
        let r = Box::new(Cursor::new(input.as_bytes().to_vec()));
        CsvReader::new("a.csv".into(), "a".into(), r, tab, col)
            .map(finish)
            .collect()
    }

    #[test]
    fn quoted_newlines_and_metadata() {
        let input = "id,title,date,text,outlet,authors,url\n\
             k1,\"Talks, again\",2025-11-12,\"Peskov said: \"\"No.\"\"\nHe left.\",TASS,Jane Doe and John Roe,http://x/1\n\
             ,No id,2025-11-13T08:00:00Z,Second article.,,,\n\
             k3,Bad date,2025-13-01,Third.,,,\n\
             k4,Empty,,  ,,,\n\
             k5,Fifth,,Fifth article.,,,\n";
        let items = read(input, false, None);
        assert_eq!(items.len(), 5);
        let d = items[0].as_ref().unwrap();
        assert_eq!(d.id, "k1");
        assert_eq!(d.path, "a.csv:2");
        assert_eq!(d.text, "Peskov said: \"No.\"\nHe left.");
        assert_eq!(d.meta.title.as_deref(), Some("Talks, again"));
        assert_eq!(d.meta.date.as_deref(), Some("2025-11-12"));
        assert_eq!(d.meta.outlet.as_deref(), Some("TASS"));
        assert_eq!(d.meta.authors, ["Jane Doe", "John Roe"]);
        assert_eq!(d.meta.url.as_deref(), Some("http://x/1"));
        assert_eq!(d.origin.format, Format::Csv);
        let d = items[1].as_ref().unwrap();
        assert_eq!((d.id.as_str(), d.path.as_str()), ("a:4", "a.csv:4"));
        assert_eq!(d.meta.date.as_deref(), Some("2025-11-13"));
        let e = items[2].as_ref().unwrap_err();
        assert_eq!(e.line, Some(5));
        assert!(
            e.to_string()
                .starts_with("a.csv:5: malformed date \"2025-13-01\""),
            "{e}"
        );
        let e = items[3].as_ref().unwrap_err();
        assert_eq!(e.to_string(), "a.csv:6: empty `text`");
        assert_eq!(items[4].as_ref().unwrap().id, "k5");
    }

    #[test]
    fn tsv_and_text_column() {
        let input = "headline\tbody_text\tsource\nT1\tFirst \"quoted\" text.\tAP\n";
        let items = read(input, true, Some("BODY_TEXT"));
        let d = items[0].as_ref().unwrap();
        assert_eq!(d.text, "First \"quoted\" text.");
        assert_eq!(d.meta.title.as_deref(), Some("T1"));
        assert_eq!(d.meta.outlet.as_deref(), Some("AP"));
        let items = read(input, true, None);
        assert_eq!(items.len(), 1);
        let e = items[0].as_ref().unwrap_err().to_string();
        assert!(
            e.starts_with("a.csv: no text column (looked for text, maintext"),
            "{e}"
        );
        assert!(
            e.ends_with("the header has headline, body_text, source)"),
            "{e}"
        );
        let items = read(input, true, Some("nope"));
        assert!(items[0]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("\"nope\" (--text-column)"));
    }

    #[test]
    fn bad_records_do_not_stop_the_file() {
        let mut input = b"text,title\nGood one.,A\n\"unterminated,B\n".to_vec();
        input.extend_from_slice(b"x\xffy,C\n");
        let r = Box::new(Cursor::new(input));
        let items: Vec<_> = CsvReader::new("b.csv".into(), "b".into(), r, false, None)
            .map(finish)
            .collect();
        assert_eq!(items[0].as_ref().unwrap().text, "Good one.");
        // an unterminated quote runs to the end of the file: one record
        assert!(items.len() >= 2);
        let mut input = b"text,title\nx\xffy,C\nGood.,D\n".to_vec();
        input.truncate(input.len());
        let r = Box::new(Cursor::new(input));
        let items: Vec<_> = CsvReader::new("c.csv".into(), "c".into(), r, false, None)
            .map(finish)
            .collect();
        let e = items[0].as_ref().unwrap_err();
        assert_eq!(e.to_string(), "c.csv:2: invalid UTF-8 at byte 1");
        assert_eq!(items[1].as_ref().unwrap().text, "Good.");
    }

    #[test]
    fn empty_files() {
        for input in ["", "text,title\n", "text\n\n\n"] {
            let items = read(input, false, None);
            assert_eq!(items.len(), 1, "{input:?}");
            assert!(
                matches!(items[0].as_ref().unwrap_err().kind, ErrorKind::Empty),
                "{input:?}"
            );
        }
    }

    #[test]
    fn html_column() {
        let input = "url,html\nhttp://x/a,\"<html><body><article><p>He said it was fine, and then he left the room.</p></article></body></html>\"\n";
        let items = read(input, false, None);
        assert_eq!(items.len(), 1);
        // the page is extracted (or its failure reported) by the HTML reader
        match &items[0] {
            Ok(d) => {
                assert!(d.origin.from_html);
                assert!(!d.text.contains('<'));
            }
            Err(e) => assert!(matches!(e.kind, ErrorKind::Html(_)), "{e}"),
        }
    }
}
