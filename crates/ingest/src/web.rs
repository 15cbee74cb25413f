//! Web pages: an HTML page (a file, a WARC response, a JSONL `html` field,
//! a page fetched from a feed) becomes a document whose text is the page's
//! main text (`onrecord-html`), with the page's metadata under what the
//! record itself says.

use onrecord_core::{Document, Format, Metadata, Origin, Position};

use crate::fields::HtmlJob;
use crate::{ErrorKind, IngestError};

/// Extracts a page's main text and metadata into a document.
pub(crate) fn page_document(job: HtmlJob) -> Result<Document, IngestError> {
    if is_binary(&job.bytes) {
        let (path, position) = (job.origin.file.clone(), job.origin.position);
        return Err(IngestError::at(path, position, ErrorKind::Binary));
    }
    let hints = onrecord_html::Hints {
        url: job.meta.url.as_deref().or(job.url.as_deref()),
        content_type: job.content_type.as_deref(),
        crawl_date: job.meta.crawled.as_deref(),
    };
    let page = onrecord_html::extract(&job.bytes, &hints).map_err(|e| {
        let (path, position) = (job.origin.file.clone(), job.origin.position);
        IngestError::at(path, position, ErrorKind::Html(e.to_string()))
    })?;
    let url = page.url.clone().or(job.url);
    let outlet = page
        .site_name
        .clone()
        .or_else(|| url.as_deref().and_then(host));
    let found = Metadata {
        date: page.date,
        title: page.title,
        url,
        outlet,
        authors: page.authors,
        editor: None,
        dateline: None,
        language: page.language,
        modified: page.modified,
        description: page.description,
        crawled: None,
    };
    let meta = overlay(job.meta, found);
    Ok(crate::fields::text_document(
        job.id, job.origin, page.text, meta,
    ))
}

/// Bytes that are not a page at all: NUL bytes in the first 8 KiB, unless
/// the start reads as HTML (UTF-16 with a byte order mark has NULs
/// everywhere; a crawled page may carry a stray one).
fn is_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(crate::BINARY_SNIFF_BYTES)].contains(&0)
        && !onrecord_html::looks_like_html(bytes)
}

/// `given` with every field it lacks taken from `found`.
fn overlay(given: Metadata, found: Metadata) -> Metadata {
    Metadata {
        date: given.date.or(found.date),
        title: given.title.or(found.title),
        url: given.url.or(found.url),
        outlet: given.outlet.or(found.outlet),
        authors: if given.authors.is_empty() {
            found.authors
        } else {
            given.authors
        },
        editor: given.editor.or(found.editor),
        dateline: given.dateline.or(found.dateline),
        language: given.language.or(found.language),
        modified: given.modified.or(found.modified),
        description: given.description.or(found.description),
        crawled: given.crawled.or(found.crawled),
    }
}

/// The site of a URL as an outlet name: its host without `www.`.
fn host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (!host.is_empty() && host.contains('.')).then_some(host)
}

/// A web page saved as a file (or read from stdin): its bytes become a job
/// to finish on any thread.
pub(crate) fn file_job(
    id: String,
    file: &str,
    bytes: Vec<u8>,
    format: Format,
    position: Option<Position>,
) -> HtmlJob {
    HtmlJob {
        bytes,
        id,
        origin: Origin {
            file: file.to_string(),
            position,
            format,
            from_html: true,
        },
        meta: Metadata::default(),
        url: None,
        content_type: None,
    }
}

/// One web page as a document (`bytes` of HTML, decoded by the page's
/// declared or sniffed encoding), with what is known of it from outside:
/// `meta` (wins over the page's own metadata), the URL it was fetched
/// from and the HTTP `Content-Type`. For pages fetched over HTTP and posted
/// to the server. The language is settled as for every document.
pub fn parse_html_page(
    id: String,
    path: &str,
    bytes: Vec<u8>,
    meta: Metadata,
    url: Option<String>,
    content_type: Option<String>,
) -> Result<Document, IngestError> {
    let job = HtmlJob {
        bytes,
        id,
        origin: Origin {
            file: path.to_string(),
            position: None,
            format: Format::Web,
            from_html: true,
        },
        meta,
        url,
        content_type,
    };
    crate::fields::finish(crate::fields::Raw::Html(job))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert_eq!(
            host("https://www.reuters.com/article/x").as_deref(),
            Some("reuters.com")
        );
        assert_eq!(
            host("http://user@news.example.org:8080/a?b").as_deref(),
            Some("news.example.org")
        );
        assert_eq!(host("file:///tmp/x.html"), None);
        assert_eq!(host("nonsense"), None);
    }

    #[test]
    fn record_metadata_wins() {
        let given = Metadata {
            title: Some("Given".into()),
            ..Metadata::default()
        };
        let found = Metadata {
            title: Some("Found".into()),
            date: Some("2020-01-01".into()),
            authors: vec!["A B".into()],
            ..Metadata::default()
        };
        let m = overlay(given, found);
        assert_eq!(m.title.as_deref(), Some("Given"));
        assert_eq!(m.date.as_deref(), Some("2020-01-01"));
        assert_eq!(m.authors, ["A B"]);
    }
}
