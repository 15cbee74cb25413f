//! Extractions carried between processes: one document and its unlinked
//! extraction as one JSON value, so that extraction can run elsewhere (a
//! Spark cluster, a Python process) and the cross-document step later,
//! in input order, on one machine (`onrecord link`).
//!
//! This is the pipeline's own internal form (byte offsets into the
//! document's text, every field the linker and the record need), not the
//! output contract of docs/output.md (code-point offsets, meant to be
//! read). It carries a version; a reader refuses a version it does not
//! know rather than guess.

use crate::{Document, Error, Extraction, Result};
use serde::{Deserialize, Serialize};

/// The version of the form written by [`to_json`].
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Out<'a> {
    v: u32,
    document: &'a Document,
    extraction: &'a Extraction,
}

#[derive(Deserialize)]
struct In {
    v: u32,
    document: Document,
    extraction: Extraction,
}

/// One document and its extraction as one line of JSON.
pub fn to_json(doc: &Document, ex: &Extraction) -> String {
    serde_json::to_string(&Out {
        v: VERSION,
        document: doc,
        extraction: ex,
    })
    // every field is a string, a number, a list or a map of them
    .unwrap_or_default()
}

/// Reads back what [`to_json`] wrote.
pub fn from_json(s: &str) -> Result<(Document, Extraction)> {
    #[derive(Deserialize)]
    struct Version {
        v: u32,
    }
    let other = |v: u32| {
        Error::Interchange(format!(
            "an extraction of version {v} (this onrecord reads version {VERSION}): \
             extract it again with this version"
        ))
    };
    match serde_json::from_str::<In>(s) {
        Ok(r) if r.v == VERSION => Ok((r.document, r.extraction)),
        Ok(r) => Err(other(r.v)),
        // read again only to say why: another version, or not one at all
        Err(e) => match serde_json::from_str::<Version>(s) {
            Ok(v) if v.v != VERSION => Err(other(v.v)),
            Ok(_) => Err(Error::Interchange(format!("a malformed extraction: {e}"))),
            Err(e) => Err(Error::Interchange(format!(
                "not an OnRecord extraction: {e}"
            ))),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{document, Pipeline};

    #[test]
    fn an_extraction_reads_back_as_it_was_written() {
        let p = Pipeline::load().unwrap();
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/004_ada9b50bf52b2923.txt"
        ))
        .unwrap();
        let json = serde_json::json!({"id": "s", "date": "2025-11-12", "text": text}).to_string();
        let d = document(&json, "-").unwrap();
        let x = p.process(&d);
        assert!(!x.attributions.is_empty());
        let (d2, x2) = from_json(&to_json(&d, &x)).unwrap();
        assert_eq!(d2.text, d.text);
        assert_eq!(d2.body, d.body);
        assert_eq!(d2.meta.date, d.meta.date);
        assert_eq!(x2.attributions, x.attributions);
        assert_eq!(x2.entities, x.entities);
        assert_eq!(x2.events, x.events);
        assert_eq!(x2.dates, x.dates);
    }

    #[test]
    fn another_version_is_refused_with_a_reason() {
        let e = from_json(r#"{"v": 99, "document": {}, "extraction": {}}"#).unwrap_err();
        assert!(e.to_string().contains("version 99"), "{e}");
        let e = from_json("{").unwrap_err();
        assert!(e.to_string().contains("not an OnRecord extraction"), "{e}");
    }
}
