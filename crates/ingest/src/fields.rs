//! An article's fields as a record gives them (a JSONL line, a JSON file, a
//! CSV row, a WARC record), and how they become a [`Document`]: text as
//! given, or the main text of an HTML page (done later, on all cores, by
//! [`finish`]), with the language settled last.

use onrecord_core::{Document, Format, Metadata, Origin, Position, Span};

use crate::{bom_len, is_valid_date, ErrorKind, IngestError};

/// A document read but not yet finished: its text is either ready or still
/// an HTML page to extract.
pub(crate) enum Raw {
    Ready(Document),
    Html(HtmlJob),
    Failed(IngestError),
}

/// An HTML page to turn into a document.
pub(crate) struct HtmlJob {
    pub(crate) bytes: Vec<u8>,
    pub(crate) id: String,
    pub(crate) origin: Origin,
    /// Metadata known from outside the page (record fields, WARC headers);
    /// it wins over what the page says.
    pub(crate) meta: Metadata,
    /// The URL the page was fetched from (the page's canonical URL, when
    /// it gives one, is kept instead).
    pub(crate) url: Option<String>,
    /// The HTTP `Content-Type` the page came with.
    pub(crate) content_type: Option<String>,
}

/// The path of a document as shown: `FILE`, `FILE:LINE` or `FILE@OFFSET`.
pub(crate) fn display_path(file: &str, position: Option<Position>) -> String {
    match position {
        Some(p) => format!("{file}{p}"),
        None => file.to_string(),
    }
}

/// Turns a read document into a finished one: extracts the main text of an
/// HTML page, then settles the language. Pure: runs on any thread.
pub(crate) fn finish(raw: Raw) -> Result<Document, IngestError> {
    let mut doc = match raw {
        Raw::Failed(e) => return Err(e),
        Raw::Ready(d) => d,
        Raw::Html(job) => crate::web::page_document(job)?,
    };
    let prose = doc.body.first().map_or("", |s| {
        let end = doc.body.last().map_or(s.end as usize, |l| l.end as usize);
        doc.text.get(s.start as usize..end).unwrap_or("")
    });
    doc.meta.language = crate::lang::choose(doc.meta.language.as_deref(), prose);
    Ok(doc)
}

/// A document whose whole `text` (a leading BOM aside, trimmed) is prose.
pub(crate) fn text_document(id: String, origin: Origin, text: String, meta: Metadata) -> Document {
    let start = bom_len(&text);
    let body = Span::new(start, text.len()).trim(&text);
    let body = if body.is_empty() {
        Vec::new()
    } else {
        vec![body]
    };
    Document {
        id,
        path: display_path(&origin.file, origin.position),
        text,
        meta,
        body,
        origin,
    }
}

/// The fields of one record, whatever its format.
#[derive(Default)]
pub(crate) struct Fields {
    pub(crate) id: Option<String>,
    pub(crate) text: Option<String>,
    pub(crate) html: Option<String>,
    pub(crate) meta: Metadata,
}

impl Fields {
    /// The record as a document to finish: `text` when it has one, else its
    /// `html` page; `id` from the record, else `default_id`.
    pub(crate) fn into_raw(
        self,
        origin: Origin,
        default_id: impl FnOnce() -> String,
    ) -> Result<Raw, ErrorKind> {
        let id = self
            .id
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(default_id);
        if let Some(text) = self.text {
            if text.trim_start_matches(crate::BOM).trim().is_empty() {
                return Err(ErrorKind::EmptyText);
            }
            return Ok(Raw::Ready(text_document(id, origin, text, self.meta)));
        }
        match self.html {
            Some(html) => Ok(Raw::Html(HtmlJob {
                bytes: html.into_bytes(),
                id,
                origin: Origin {
                    from_html: true,
                    ..origin
                },
                url: self.meta.url.clone(),
                meta: self.meta,
                content_type: Some("text/html; charset=utf-8".into()),
            })),
            None => Err(ErrorKind::MissingText),
        }
    }
}

/// The date of a date or date-time value: `2025-11-12`,
/// `2025-11-12T10:00:00Z`, `2017-02-05 16:26:01` → `2025-11-12`; `None`
/// when it is not a valid calendar date.
pub(crate) fn date_part(value: &str) -> Option<String> {
    let v = value.trim();
    let date = v.get(..10)?;
    let rest = &v[10..];
    let ok_rest = rest.is_empty() || rest.starts_with(['T', 't', ' ']);
    (ok_rest && is_valid_date(date)).then(|| date.to_string())
}

/// A checked date field: `Ok(None)` when blank, an error naming the value
/// when it is not a date.
pub(crate) fn date_field(value: Option<String>) -> Result<Option<String>, ErrorKind> {
    match value {
        None => Ok(None),
        Some(v) => date_part(&v).map(Some).ok_or(ErrorKind::BadDate(v)),
    }
}

/// Author names from one string: split at `;` or `|`, else at " and " and
/// at commas when every part is a whole name (two words or more), so
/// "Doe, Jane" stays one name.
pub(crate) fn split_authors(value: &str) -> Vec<String> {
    let clean = |parts: Vec<&str>| -> Vec<String> {
        parts
            .into_iter()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect()
    };
    if value.contains([';', '|']) {
        return clean(value.split([';', '|']).collect());
    }
    let by_and: Vec<&str> = value.split(" and ").collect();
    let mut parts = Vec::new();
    for p in by_and {
        let commas: Vec<&str> = p.split(',').collect();
        if commas.len() > 1 && commas.iter().all(|c| c.split_whitespace().count() >= 2) {
            parts.extend(commas);
        } else {
            parts.push(p);
        }
    }
    clean(parts)
}

/// The origin of a record at `position` in `file`.
pub(crate) fn origin(file: &str, position: Option<Position>, format: Format) -> Origin {
    Origin {
        file: file.to_string(),
        position,
        format,
        from_html: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(date_part("2025-11-12").as_deref(), Some("2025-11-12"));
        assert_eq!(
            date_part("2025-11-12T10:00:00+03:00").as_deref(),
            Some("2025-11-12")
        );
        assert_eq!(
            date_part("2017-02-05 16:26:01").as_deref(),
            Some("2017-02-05")
        );
        assert_eq!(date_part("2025-11-12x"), None);
        assert_eq!(date_part("2025-02-30"), None);
        assert_eq!(date_part("12/11/2025"), None);
        assert_eq!(date_part("2025"), None);
        assert_eq!(date_part("é"), None);
        assert!(
            matches!(date_field(Some("nope".into())), Err(ErrorKind::BadDate(v)) if v == "nope")
        );
        assert_eq!(date_field(None).unwrap(), None);
    }

    #[test]
    fn authors() {
        assert_eq!(
            split_authors("Jane Doe and John Roe"),
            ["Jane Doe", "John Roe"]
        );
        assert_eq!(split_authors("Doe, Jane"), ["Doe, Jane"]);
        assert_eq!(
            split_authors("Jane Doe, John Roe and Ann Lee"),
            ["Jane Doe", "John Roe", "Ann Lee"]
        );
        assert_eq!(split_authors("A; B ;"), ["A", "B"]);
        assert_eq!(split_authors("Breitbart News"), ["Breitbart News"]);
        assert!(split_authors("  ").is_empty());
    }

    #[test]
    fn fields_to_documents() {
        let o = origin("a.csv", Some(Position::Line(3)), Format::Csv);
        let f = Fields {
            text: Some(" He said so. ".into()),
            ..Fields::default()
        };
        let Raw::Ready(d) = f.into_raw(o.clone(), || "a:3".into()).unwrap() else {
            panic!("text is ready")
        };
        assert_eq!((d.id.as_str(), d.path.as_str()), ("a:3", "a.csv:3"));
        assert_eq!(d.body, vec![Span::new(1, 12)]);
        let f = Fields {
            html: Some("<p>x</p>".into()),
            id: Some("k".into()),
            ..Fields::default()
        };
        let Raw::Html(job) = f.into_raw(o.clone(), || unreachable!()).unwrap() else {
            panic!("html is a job")
        };
        assert!(job.origin.from_html);
        assert_eq!(job.id, "k");
        assert!(matches!(
            Fields::default().into_raw(o.clone(), String::new),
            Err(ErrorKind::MissingText)
        ));
        let f = Fields {
            text: Some("  ".into()),
            ..Fields::default()
        };
        assert!(matches!(
            f.into_raw(o, String::new),
            Err(ErrorKind::EmptyText)
        ));
    }
}
