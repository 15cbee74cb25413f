//! Downloads of the lists the pages show: the same route with
//! `format=csv` or `format=json` answers the rows on the page (the same
//! filters, the same page) as a file. CSV has a header row and RFC 4180
//! quoting (the `csv` crate, CRLF line ends); JSON is an array of objects
//! with the same keys and the same (string) values, so both carry the same
//! rows.

use crate::ApiError;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

/// How a list page answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Html,
    Csv,
    Json,
}

impl Format {
    /// The `format` parameter: absent or blank is the page; `csv` or
    /// `json` a download; anything else a 400.
    pub fn parse(v: &Option<String>) -> Result<Format, ApiError> {
        match v.as_deref().map(str::trim).unwrap_or("") {
            "" | "html" => Ok(Format::Html),
            "csv" => Ok(Format::Csv),
            "json" => Ok(Format::Json),
            other => Err(ApiError::bad_request(format!(
                "format: expected csv or json, got {other:?}"
            ))),
        }
    }
}

/// A list as rows of text under named columns.
pub(crate) struct Table {
    /// The download's file name, without extension (`onrecord-people`).
    pub name: String,
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(name: impl Into<String>, columns: &[&'static str]) -> Table {
        Table {
            name: name.into(),
            columns: columns.to_vec(),
            rows: Vec::new(),
        }
    }

    pub fn csv(&self) -> Result<Vec<u8>, ApiError> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .quote_style(csv::QuoteStyle::Necessary)
            .from_writer(Vec::new());
        let fail = |e: csv::Error| ApiError::internal(format!("writing CSV: {e}"));
        w.write_record(&self.columns).map_err(fail)?;
        for r in &self.rows {
            w.write_record(r).map_err(fail)?;
        }
        w.into_inner()
            .map_err(|e| ApiError::internal(format!("writing CSV: {e}")))
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::Value::Array(
            self.rows
                .iter()
                .map(|r| {
                    serde_json::Value::Object(
                        self.columns
                            .iter()
                            .zip(r)
                            .map(|(c, v)| (c.to_string(), serde_json::Value::String(v.clone())))
                            .collect(),
                    )
                })
                .collect(),
        )
    }

    /// The download in `format` (not `Html`).
    pub fn response(&self, format: Format) -> Result<Response, ApiError> {
        let (body, ctype, ext) = match format {
            Format::Csv => (self.csv()?, "text/csv; charset=utf-8", "csv"),
            _ => (
                serde_json::to_vec_pretty(&self.json())
                    .map_err(|e| ApiError::internal(format!("writing JSON: {e}")))?,
                "application/json",
                "json",
            ),
        };
        // the name is ours (ASCII letters, digits, '-'), never the request's
        let name: String = self
            .name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}.{ext}\""))
            .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
        let mut res = body.into_response();
        let h = res.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
        h.insert(header::CONTENT_DISPOSITION, disposition);
        Ok(res)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_as_rfc_4180_says() {
        let mut t = Table::new("x", &["a", "b"]);
        t.rows.push(vec!["plain".into(), "with, comma".into()]);
        t.rows
            .push(vec!["“q” \"quoted\"".into(), "two\nlines".into()]);
        let csv = String::from_utf8(t.csv().unwrap()).unwrap();
        assert_eq!(
            csv,
            "a,b\r\nplain,\"with, comma\"\r\n\"“q” \"\"quoted\"\"\",\"two\nlines\"\r\n"
        );
        assert_eq!(t.json()[1]["b"], "two\nlines");
        assert_eq!(Format::parse(&Some("csv".into())).unwrap(), Format::Csv);
        assert_eq!(Format::parse(&None).unwrap(), Format::Html);
        assert!(Format::parse(&Some("xml".into())).is_err());
    }
}
