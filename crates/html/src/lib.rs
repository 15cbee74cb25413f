//! `onrecord-html`: the main text and the metadata of a web page.
//!
//! This crate owns one stage of ingest: given the bytes of an HTML page as
//! crawled (and what the HTTP or WARC headers said), it decides the encoding,
//! parses the page, finds the article's main text with the boilerplate left
//! out (menus, teasers, related links, cookie banners, comments, share
//! buttons, footers, bylines, captions, embedded social posts), and reads
//! the metadata: title, publication and modification dates, authors, site
//! name, canonical URL, language and description.
//!
//! It is its own parser and extractor (no DOM library): a byte-level
//! tokenizer and an arena tree (`dom`), then one scoring pass over the tree
//! (`text`) and one metadata pass (`meta`). Everything is linear in the size
//! of the page and iterative (no recursion: 10,000 nested `<div>`s are
//! fine), and no input makes it panic. How it was chosen over
//! `rs-trafilatura` and `dom_smoothie`, and its measured quality and speed
//! next to Python trafilatura, are in `docs/html.md`.
//!
//! ```
//! let page = onrecord_html::extract(
//!     b"<html><head><title>Rain | Daily</title><meta property=og:site_name content=Daily></head>\
//!       <body><nav><a href=/>Home</a></nav><article><h1>Rain</h1>\
//!       <p>It rained all day on Sunday in the city, the weather service said.</p>\
//!       <p>More rain is expected on Monday and Tuesday, forecasters said.</p></article></body></html>",
//!     &onrecord_html::Hints::default(),
//! )
//! .unwrap();
//! assert_eq!(page.title.as_deref(), Some("Rain"));
//! assert!(page.text.starts_with("It rained all day"));
//! assert!(!page.text.contains("Home"));
//! ```

#![warn(missing_docs)]

pub mod date;
pub mod dom;
pub mod encoding;
mod meta;
mod text;

/// The largest page [`extract`] reads.
pub const MAX_HTML_BYTES: usize = 16 * 1024 * 1024;

/// Hints from outside the page (HTTP headers, WARC headers).
#[derive(Default, Clone, Debug)]
pub struct Hints<'a> {
    /// The URL the page was fetched from.
    pub url: Option<&'a str>,
    /// The HTTP Content-Type header value (may carry `charset=`).
    pub content_type: Option<&'a str>,
    /// `YYYY-MM-DD`: no publication date may be later than this.
    pub crawl_date: Option<&'a str>,
}

/// What [`extract`] read from a page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Page {
    /// The article's main text: one paragraph per block, paragraphs separated
    /// by "\n\n" (block elements and `<br><br>` end a paragraph; a single
    /// `<br>` becomes "\n" inside it), headings inside the article kept as
    /// their own paragraphs, the title not repeated at the start, entities
    /// decoded, white space collapsed, no markup, no script/style/JSON text.
    pub text: String,
    /// The article's title, without a " | Site Name" suffix.
    pub title: Option<String>,
    /// Publication date `YYYY-MM-DD`, validated, never after the crawl date.
    pub date: Option<String>,
    /// Last modification date `YYYY-MM-DD`.
    pub modified: Option<String>,
    /// Person names of the authors, cleaned ("By Jane Doe and John Roe" gives two).
    pub authors: Vec<String>,
    /// The outlet.
    pub site_name: Option<String>,
    /// Canonical URL (`link rel=canonical`, `og:url`, JSON-LD), else the hints' URL.
    pub url: Option<String>,
    /// ISO 639-1 language code, lower case.
    pub language: Option<String>,
    /// The page's description (OpenGraph, meta description, JSON-LD).
    pub description: Option<String>,
    /// The encoding the bytes were decoded with (WHATWG name, e.g. "UTF-8", "windows-1252").
    pub encoding: &'static str,
}

/// Why a page gave no [`Page`].
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HtmlError {
    /// The page is larger than [`MAX_HTML_BYTES`].
    #[error("page too large: {0} bytes (the limit is 16 MiB)")]
    TooLarge(usize),
    /// The page is empty or blank.
    #[error("empty page")]
    Empty,
    /// The page has no body: nothing outside `<head>`.
    #[error("the page has no body (nothing outside <head>)")]
    NoBody,
    /// The body holds no text that reads as an article.
    #[error("no article text found in the page")]
    NoText,
}

/// A cheap sniff of the first KiB: does this look like HTML (a doctype,
/// `<html`, `<head`, `<body`, `<meta`, `<title`, or a comment before them)?
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let head = head
        .strip_prefix(b"\xef\xbb\xbf")
        .unwrap_or(head);
    // UTF-16 with a BOM: look at every other byte
    if head.starts_with(b"\xff\xfe") || head.starts_with(b"\xfe\xff") {
        let odd = head.starts_with(b"\xfe\xff") as usize;
        let narrow: Vec<u8> = head[2..].iter().skip(odd).step_by(2).copied().collect();
        return looks_like_html(&narrow);
    }
    let start = head.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(head.len());
    let rest = &head[start..];
    if rest.first() != Some(&b'<') {
        return false;
    }
    const MARKS: [&[u8]; 8] = [
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<body",
        b"<meta",
        b"<title",
        b"<!--",
        b"<?xml",
    ];
    if MARKS.iter().any(|m| starts_with_ci(rest, m)) {
        // "<?xml" and "<!--" only count when an HTML tag follows in the first KiB
        if starts_with_ci(rest, b"<?xml") || starts_with_ci(rest, b"<!--") {
            return contains_ci(rest, b"<html") || contains_ci(rest, b"<!doctype html") || contains_ci(rest, b"<head") || contains_ci(rest, b"<body");
        }
        return true;
    }
    false
}

fn starts_with_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.len() >= needle.len() && hay[..needle.len()].eq_ignore_ascii_case(needle)
}

fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle))
}

/// Reads a page: its main text and its metadata. Never panics; linear in the
/// size of the page.
///
/// # Errors
///
/// [`HtmlError::TooLarge`] over [`MAX_HTML_BYTES`], [`HtmlError::Empty`] for
/// blank input, [`HtmlError::NoBody`] when nothing lies outside `<head>`,
/// [`HtmlError::NoText`] when the body has no article text.
pub fn extract(bytes: &[u8], hints: &Hints) -> Result<Page, HtmlError> {
    if bytes.len() > MAX_HTML_BYTES {
        return Err(HtmlError::TooLarge(bytes.len()));
    }
    let enc = encoding::detect(bytes, hints.content_type);
    let html = encoding::decode(bytes, enc);
    if html.trim().is_empty() {
        return Err(HtmlError::Empty);
    }
    let dom = dom::parse(&html);
    let crawl = hints.crawl_date.and_then(date::parse_iso_day);
    let meta = meta::read(&dom, hints, crawl);
    let body = text::body_of(&dom).ok_or(HtmlError::NoBody)?;
    let mut text = text::main_text(&dom, body, meta.title.as_deref());
    if let Some(ab) = meta.article_body.as_deref() {
        // the page builds its text with script: take the JSON-LD articleBody
        if ab.len() >= 200 && text.len() * 2 < ab.len() {
            text = text::from_article_body(ab, meta.title.as_deref());
        }
    }
    if text.is_empty() {
        return Err(HtmlError::NoText);
    }
    Ok(Page {
        text,
        title: meta.title,
        date: meta.date,
        modified: meta.modified,
        authors: meta.authors,
        site_name: meta.site_name,
        url: meta.url,
        language: meta.language,
        description: meta.description,
        encoding: enc.name(),
    })
}
