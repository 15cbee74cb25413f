//! Reading RSS 2.0 (and 0.9x), RSS 1.0 / RDF, Atom 1.0 (and 0.3) and JSON
//! Feed 1.0 / 1.1 into one [`Feed`].
//!
//! XML goes through `quick-xml` (namespace-aware) into a small element tree
//! (at most [`MAX_DEPTH`] levels are kept; deeper elements are still checked
//! for well-formedness, then dropped), which the format readers walk. JSON
//! goes through `serde_json`. Nothing here panics on input: bad bytes are a
//! [`FeedError`], odd items are listed in [`Feed::skipped`].

use std::ops::Range;

use quick_xml::escape::{resolve_html5_entity, resolve_predefined_entity};
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::{NsReader, XmlVersion};
use serde_json::Value;
use url::Url;

use crate::dates::feed_date;

/// A parsed feed: its title and its items, in the order the feed lists them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Feed {
    /// The feed's title (`channel/title`, `feed/title`, JSON `title`).
    pub title: Option<String>,
    /// The site the feed belongs to (`channel/link`, Atom `link rel=alternate`,
    /// JSON `home_page_url`), absolute.
    pub home_page: Option<String>,
    /// The items that have a usable link, in feed order, without duplicates.
    pub items: Vec<FeedItem>,
    /// One line per item left out, saying why: `item 3 ("Title"): no link`,
    /// `item 5: not an http(s) link: mailto:x@y`, `item 7: same link as item 2`.
    pub skipped: Vec<String>,
}

/// One item (RSS `item`, Atom `entry`, JSON Feed item).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedItem {
    /// The page of the item, absolute (`http` or `https`), without fragment:
    /// relative links are resolved against `xml:base` and the feed's URL.
    /// Chosen, in order, from FeedBurner's `origLink`, RSS `link`, Atom
    /// `link rel="alternate"` (an HTML one first), an RSS `guid` that is a
    /// permalink (`isPermaLink` not `false`) and an absolute http(s) URL, RSS
    /// 1.0 `rdf:about`, any other Atom link but enclosures and edit links, and
    /// JSON Feed `url` then `external_url`.
    pub url: String,
    /// `guid`, `atom:id`, `rdf:about` or the JSON Feed `id`, as written.
    pub id: Option<String>,
    /// The title as plain text (markup of Atom `type="html"` titles removed).
    pub title: Option<String>,
    /// `YYYY-MM-DD`: the calendar date as written (the publisher's local date)
    /// of `pubDate`, `dc:date`, Atom `published` (else `updated`), JSON
    /// `date_published` (else `date_modified`).
    pub published: Option<String>,
    /// Author names: RSS `author` (`jane@x.org (Jane Doe)` gives `Jane Doe`),
    /// `dc:creator`, Atom `author/name` (else the feed's authors, as Atom
    /// says), JSON Feed `authors`/`author` (else the feed's).
    pub authors: Vec<String>,
    /// The item's content as HTML, for items whose page cannot be fetched:
    /// `content:encoded`, else `description`; Atom `content`, else `summary`
    /// (plain text escaped); JSON `content_html`, else `content_text` or
    /// `summary` (escaped).
    pub summary_html: Option<String>,
}

/// Why bytes could not be read as a feed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeedError {
    /// The bytes are something else (an HTML page, an empty body, another XML
    /// vocabulary, JSON that is not a JSON Feed); the text says what.
    #[error("not a feed ({0})")]
    NotAFeed(String),
    /// The XML is not well-formed.
    #[error("malformed feed XML at line {line}, column {column}: {message}")]
    Xml {
        /// 1-based line of the error.
        line: usize,
        /// 1-based column (in characters) of the error.
        column: usize,
        /// What the XML reader found.
        message: String,
    },
    /// The JSON is not well-formed, or a JSON Feed field has the wrong type.
    #[error("malformed JSON Feed at line {line}, column {column}: {message}")]
    Json {
        /// 1-based line of the error (0 when not about a position).
        line: usize,
        /// 1-based column of the error (0 when not about a position).
        column: usize,
        /// What is wrong.
        message: String,
    },
}

/// Elements nested deeper than this are parsed (and must be well-formed) but
/// not kept; no feed field lives that deep.
pub const MAX_DEPTH: usize = 64;

const ATOM: &str = "http://www.w3.org/2005/Atom";
const ATOM03: &str = "http://purl.org/atom/ns#";
const RSS1: &str = "http://purl.org/rss/1.0/";
const RSS090: &str = "http://my.netscape.com/rdf/simple/0.9/";
const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const DC: &str = "http://purl.org/dc/elements/1.1/";
const CONTENT: &str = "http://purl.org/rss/1.0/modules/content/";
const FEEDBURNER: &str = "http://rssnamespace.org/feedburner/ext/1.0";
/// RSS 2.0 elements are in no namespace; RSS 0.91 by Netscape has a DTD only.
const NONE: &str = "";

/// Parses `bytes` as RSS, RDF, Atom or JSON Feed. `feed_url` (the URL the
/// bytes came from, after redirects) is the base for relative links.
///
/// The encoding is taken from a byte-order mark, else the XML declaration,
/// else UTF-8; bytes that are not valid in it become U+FFFD rather than an
/// error.
pub fn parse_feed(bytes: &[u8], feed_url: Option<&str>) -> Result<Feed, FeedError> {
    let base = feed_url.and_then(|u| Url::parse(u).ok());
    let text = decode(bytes);
    let text = text.trim_start_matches('\u{feff}');
    match sniff(text) {
        Sniff::Empty => Err(FeedError::NotAFeed("the body is empty".into())),
        Sniff::Json => json_feed(text, base.as_ref()),
        Sniff::Html => Err(html_page(text, base.as_ref())),
        Sniff::Other => Err(FeedError::NotAFeed(format!(
            "neither XML nor JSON: starts with {:?}",
            text.trim_start().chars().take(24).collect::<String>()
        ))),
        Sniff::Xml { .. } => {
            let root = build_tree(text, base.clone())?;
            let local = root.name.as_str();
            match (root.ns.as_str(), local) {
                (_, "rss") => Ok(rss2(&root, text)),
                (ns, "RDF") if is_ns(ns, RDF) || ns.is_empty() => Ok(rss1(&root, text)),
                (ATOM | ATOM03 | NONE, "feed") => Ok(atom(&root, text)),
                (ns, "html") if ns.is_empty() || ns.contains("xhtml") => {
                    Err(html_page(text, base.as_ref()))
                }
                (ns, name) => Err(FeedError::NotAFeed(if ns.is_empty() {
                    format!("the root element is <{name}>, not <rss>, <feed> or <rdf:RDF>")
                } else {
                    format!("the root element is <{name}> in namespace {ns}, not <rss>, <feed> or <rdf:RDF>")
                })),
            }
        }
    }
}

/// The feeds an HTML page announces: `<link rel="alternate"
/// type="application/rss+xml" href="…">` (also Atom, RDF and JSON Feed
/// types), absolute, in page order, without duplicates. For a user who gave
/// a site's home page instead of its feed.
pub fn discover_feeds(html: &[u8], page_url: Option<&str>) -> Vec<String> {
    let base = page_url.and_then(|u| Url::parse(u).ok());
    feed_links(&decode(html), base.as_ref())
}

fn html_page(text: &str, base: Option<&Url>) -> FeedError {
    let links = feed_links(text, base);
    FeedError::NotAFeed(match links.as_slice() {
        [] => "an HTML page".to_string(),
        [one] => format!("an HTML page; it links to the feed {one}"),
        [first, rest @ ..] => format!(
            "an HTML page; it links to the feeds {first} and {} more",
            rest.len()
        ),
    })
}

fn feed_links(text: &str, base: Option<&Url>) -> Vec<String> {
    const TYPES: [&str; 5] = [
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/feed+json",
        "application/json",
    ];
    let lower = text.to_ascii_lowercase();
    let mut out: Vec<String> = Vec::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find("<link") {
        let start = from + at;
        let end = lower[start..].find('>').map_or(lower.len(), |e| start + e);
        from = end.max(start + 5);
        let tag = &text[start..end];
        let attrs = html_attrs(tag);
        let get = |name: &str| {
            attrs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let rel_alternate = get("rel").is_some_and(|r| {
            r.split_whitespace()
                .any(|w| w.eq_ignore_ascii_case("alternate"))
        });
        let feed_type =
            get("type").is_some_and(|t| TYPES.contains(&t.trim().to_ascii_lowercase().as_str()));
        if rel_alternate && feed_type {
            if let Some(url) = get("href").and_then(|h| page_link(base, &decode_entities(h)).ok()) {
                if !out.contains(&url) {
                    out.push(url);
                }
            }
        }
    }
    out
}

/// The attributes of an HTML start tag (`<link rel=alternate href="x">`):
/// names lower-cased, values unquoted.
fn html_attrs(tag: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let body = tag.trim_start_matches('<');
    let mut rest = body.trim_start_matches(|c: char| c.is_ascii_alphanumeric());
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return out;
        }
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        if name_end == 0 {
            // A stray '=': skip it.
            rest = &rest[1..];
            continue;
        }
        let name = rest[..name_end].to_ascii_lowercase();
        rest = rest[name_end..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let inner = &after[1..];
                    let close = inner.find(q).unwrap_or(inner.len());
                    value = inner[..close].to_string();
                    rest = inner.get(close + 1..).unwrap_or("");
                }
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    value = after[..end].to_string();
                    rest = &after[end..];
                }
            }
        }
        out.push((name, value));
    }
}

/// A cheap look at the start of `bytes`: is this RSS (`<rss`), RDF
/// (`<rdf:RDF`), Atom (`<feed` declaring the Atom namespace) or JSON Feed (an
/// object whose `version` is `https://jsonfeed.org/version/…`)? Reads at most
/// the first 4 KiB; says nothing about whether the rest parses.
pub fn looks_like_feed(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let text = decode(head);
    let text = text.trim_start_matches('\u{feff}');
    match sniff(text) {
        Sniff::Xml { name, tag } => {
            let local = name.rsplit(':').next().unwrap_or(name);
            match local {
                "rss" => !name.contains(':'),
                "RDF" => true,
                "feed" => tag.contains(ATOM) || tag.contains(ATOM03),
                _ => false,
            }
        }
        Sniff::Json => {
            let flat: String = text.chars().filter(|c| *c != '\\').collect();
            flat.contains("\"version\"") && flat.contains("jsonfeed.org/version")
        }
        _ => false,
    }
}

// ---------------------------------------------------------------- decoding

/// Text of `bytes`: BOM, else the XML declaration's `encoding`, else UTF-8.
fn decode(bytes: &[u8]) -> String {
    let declared = declared_encoding(bytes).unwrap_or(encoding_rs::UTF_8);
    // `decode` lets a BOM override the declared encoding, as XML says.
    let (text, _, _) = declared.decode(bytes);
    text.into_owned()
}

fn declared_encoding(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(512)];
    let head = std::str::from_utf8(head).unwrap_or_else(|e| {
        // Cut at the first byte that is not UTF-8: the declaration is ASCII.
        std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or("")
    });
    let head = head.trim_start_matches('\u{feff}').trim_start();
    let decl = head.strip_prefix("<?xml")?;
    let decl = &decl[..decl.find("?>")?];
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    let label = &value[..value.find(quote)?];
    let enc = encoding_rs::Encoding::for_label(label.trim().as_bytes())?;
    // A declaration readable as ASCII cannot be UTF-16 without a BOM.
    (enc != encoding_rs::UTF_16LE && enc != encoding_rs::UTF_16BE).then_some(enc)
}

enum Sniff<'a> {
    Empty,
    Json,
    Html,
    /// An XML root element: its qualified name and its start tag's text.
    Xml {
        name: &'a str,
        tag: &'a str,
    },
    Other,
}

/// Skips the prolog (declaration, comments, processing instructions, doctype)
/// and says what the first real thing is.
fn sniff(text: &str) -> Sniff<'_> {
    let mut rest = text.trim_start();
    loop {
        if rest.is_empty() {
            return Sniff::Empty;
        }
        if rest.starts_with('{') {
            return Sniff::Json;
        }
        if !rest.starts_with('<') {
            return Sniff::Other;
        }
        if let Some(after) = rest.strip_prefix("<?") {
            match after.find("?>") {
                Some(end) => rest = after[end + 2..].trim_start(),
                None => return Sniff::Other,
            }
        } else if let Some(after) = rest.strip_prefix("<!--") {
            match after.find("-->") {
                Some(end) => rest = after[end + 3..].trim_start(),
                None => return Sniff::Other,
            }
        } else if rest.len() >= 9 && rest.as_bytes()[..9].eq_ignore_ascii_case(b"<!doctype") {
            let after = &rest[9..];
            if after
                .trim_start()
                .get(..4)
                .is_some_and(|s| s.eq_ignore_ascii_case("html"))
            {
                return Sniff::Html;
            }
            // Skip an internal subset `[...]` if there is one.
            let end = match (after.find('['), after.find('>')) {
                (Some(open), Some(gt)) if open < gt => {
                    after[open..].find("]>").map(|e| open + e + 2)
                }
                (_, Some(gt)) => Some(gt + 1),
                _ => None,
            };
            match end {
                Some(end) => rest = after[end..].trim_start(),
                None => return Sniff::Other,
            }
        } else {
            let tag_end = rest.find('>').unwrap_or(rest.len());
            let tag = &rest[..tag_end];
            let name_end = tag[1..]
                .find(|c: char| c.is_whitespace() || c == '/')
                .map_or(tag.len(), |i| i + 1);
            let name = &tag[1..name_end];
            if name.eq_ignore_ascii_case("html")
                || name.eq_ignore_ascii_case("head")
                || name.eq_ignore_ascii_case("body")
            {
                return Sniff::Html;
            }
            if name.is_empty() {
                return Sniff::Other;
            }
            return Sniff::Xml { name, tag };
        }
    }
}

// ---------------------------------------------------------------- XML tree

/// One XML element, with namespaces resolved.
#[derive(Debug, Default)]
struct El {
    /// Namespace URI; empty when unbound; `?prefix` for an undeclared prefix.
    ns: String,
    /// Local name.
    name: String,
    /// Attributes: qualified name (as written) and value (entities resolved).
    attrs: Vec<(String, String)>,
    /// Effective base URL (`xml:base` chain over the feed's URL).
    base: Option<Url>,
    children: Vec<El>,
    /// The element's own character data (text, CDATA, references), joined.
    text: String,
    /// Byte range of the element's content in the source text.
    inner: Range<usize>,
}

impl El {
    fn child(&self, ns: &str, name: &str) -> Option<&El> {
        self.children
            .iter()
            .find(|c| c.name == name && is_ns(&c.ns, ns))
    }

    fn children_named(&self, ns: &str, name: &str) -> Vec<&El> {
        self.children
            .iter()
            .filter(|c| c.name == name && is_ns(&c.ns, ns))
            .collect()
    }

    /// An attribute by local name (any prefix).
    fn attr(&self, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k.rsplit(':').next() == Some(local))
            .map(|(_, v)| v.as_str())
    }

    /// The trimmed text, if any.
    fn text(&self) -> Option<String> {
        let t = self.text.trim();
        (!t.is_empty()).then(|| t.to_string())
    }

    /// The content as HTML: the text (HTML that was escaped or in CDATA), or,
    /// when the element holds markup itself, that markup as written.
    fn html(&self, source: &str) -> Option<String> {
        if !self.children.is_empty() {
            let raw = source.get(self.inner.clone()).unwrap_or("").trim();
            return (!raw.is_empty()).then(|| raw.to_string());
        }
        self.text()
    }
}

/// Does the element namespace `have` match `want`? An undeclared prefix
/// (`?dc`) matches the namespace that prefix is conventionally bound to.
fn is_ns(have: &str, want: &str) -> bool {
    if have == want {
        return true;
    }
    let Some(prefix) = have.strip_prefix('?') else {
        return false;
    };
    matches!(
        (prefix, want),
        ("dc", DC)
            | ("content", CONTENT)
            | ("atom", ATOM)
            | ("feedburner", FEEDBURNER)
            | ("rdf", RDF)
    )
}

fn ns_of(res: &ResolveResult<'_>) -> String {
    match res {
        ResolveResult::Bound(ns) => ns.0.to_string(),
        ResolveResult::Unbound => String::new(),
        ResolveResult::Unknown(prefix) => format!("?{prefix}"),
    }
}

fn resolve_entity(name: &str) -> Option<&'static str> {
    resolve_predefined_entity(name).or_else(|| resolve_html5_entity(name))
}

fn position(text: &str, offset: u64) -> (usize, usize) {
    let offset = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

fn xml_error(text: &str, offset: u64, message: String) -> FeedError {
    let (line, column) = position(text, offset);
    FeedError::Xml {
        line,
        column,
        message,
    }
}

/// Reads the document into a tree of its root element.
fn build_tree(text: &str, doc_base: Option<Url>) -> Result<El, FeedError> {
    let mut reader = NsReader::from_str(text);
    {
        let config = reader.config_mut();
        config.expand_empty_elements = true;
        config.check_end_names = true;
    }
    let mut stack: Vec<El> = Vec::new();
    let mut too_deep = 0usize;
    loop {
        let before = reader.buffer_position();
        let (res, event) = match reader.read_resolved_event() {
            Ok(pair) => pair,
            Err(e) => return Err(xml_error(text, reader.error_position(), e.to_string())),
        };
        let ns = ns_of(&res);
        match event {
            Event::Start(start) => {
                if too_deep > 0 || stack.len() >= MAX_DEPTH {
                    too_deep += 1;
                    continue;
                }
                let parent_base = stack.last().map_or(doc_base.as_ref(), |p| p.base.as_ref());
                let mut el = El {
                    ns,
                    name: start.local_name().as_ref().to_string(),
                    base: parent_base.cloned(),
                    ..El::default()
                };
                let mut attrs = start.attributes();
                attrs.with_checks(false);
                for attr in attrs.flatten() {
                    let key = attr.key.0.to_string();
                    if key == "xmlns" || key.starts_with("xmlns:") {
                        continue;
                    }
                    let value = attr
                        .normalized_value_with(XmlVersion::Implicit1_0, 8, resolve_entity)
                        .map(|v| v.into_owned())
                        .unwrap_or_else(|_| attr.value.to_string());
                    if key == "xml:base" {
                        el.base = join(parent_base, value.trim()).ok().or(el.base);
                    }
                    el.attrs.push((key, value));
                }
                let after = usize::try_from(reader.buffer_position()).unwrap_or(0);
                el.inner = after..after;
                stack.push(el);
            }
            Event::End(_) => {
                if too_deep > 0 {
                    too_deep -= 1;
                    continue;
                }
                let Some(mut el) = stack.pop() else {
                    return Err(xml_error(
                        text,
                        before,
                        "an end tag with no start tag".into(),
                    ));
                };
                el.inner.end = usize::try_from(before)
                    .unwrap_or(el.inner.start)
                    .max(el.inner.start);
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    // Whatever follows the root element is ignored.
                    None => return Ok(el),
                }
            }
            Event::Text(t) => push_text(&mut stack, too_deep, &t.xml10_content(), text, before)?,
            Event::CData(t) => push_text(&mut stack, too_deep, &t.xml10_content(), text, before)?,
            Event::GeneralRef(r) => {
                let name: &str = &r;
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    Ok(None) => resolve_entity(name).map(str::to_string),
                    Err(_) => None,
                };
                // An unknown entity is kept as written rather than failing the feed.
                let piece = resolved.unwrap_or_else(|| format!("&{name};"));
                push_text(&mut stack, too_deep, &piece, text, before)?;
            }
            Event::Eof => {
                let message = match stack.last() {
                    Some(open) => format!("the document ends inside <{}>", open.name),
                    None => "no root element".to_string(),
                };
                return Err(xml_error(text, before, message));
            }
            Event::Empty(_)
            | Event::Comment(_)
            | Event::Decl(_)
            | Event::PI(_)
            | Event::DocType(_) => {}
        }
    }
}

fn push_text(
    stack: &mut [El],
    too_deep: usize,
    piece: &str,
    text: &str,
    at: u64,
) -> Result<(), FeedError> {
    match stack.last_mut() {
        Some(top) if too_deep == 0 => top.text.push_str(piece),
        Some(_) => {}
        None if piece.trim().is_empty() => {}
        None => return Err(xml_error(text, at, "text outside the root element".into())),
    }
    Ok(())
}

// ---------------------------------------------------------------- helpers

/// `href` made absolute against `base`, checked to be http(s), without fragment.
fn join(base: Option<&Url>, href: &str) -> Result<Url, String> {
    let href = href.trim();
    if href.is_empty() {
        return Err("an empty link".into());
    }
    let url = match Url::parse(href) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) => match base {
            Some(base) => base
                .join(href)
                .map_err(|e| format!("a bad link {href:?}: {e}"))?,
            None => {
                return Err(format!(
                    "a relative link {href:?} and no feed URL to resolve it against"
                ))
            }
        },
        Err(e) => return Err(format!("a bad link {href:?}: {e}")),
    };
    Ok(url)
}

/// A page link: absolute, http(s), fragment removed.
fn page_link(base: Option<&Url>, href: &str) -> Result<String, String> {
    let mut url = join(base, href)?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(format!("not an http(s) link: {}", href.trim()));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("a link without a host: {}", href.trim()));
    }
    url.set_fragment(None);
    Ok(url.into())
}

/// Collapses runs of whitespace to one space and trims.
fn clean(s: &str) -> Option<String> {
    let out = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!out.is_empty()).then_some(out)
}

/// Escapes text for inclusion in HTML.
fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// Plain text as HTML paragraphs (blank lines separate them).
fn text_to_html(s: &str) -> Option<String> {
    let paras: Vec<String> = s
        .split("\n\n")
        .filter_map(clean)
        .map(|p| format!("<p>{}</p>", escape_html(&p)))
        .collect();
    (!paras.is_empty()).then(|| paras.join("\n"))
}

/// The text of an HTML fragment: tags removed, entities decoded, whitespace collapsed.
fn html_to_text(html: &str) -> Option<String> {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        text.push_str(&rest[..lt]);
        match rest[lt..].find('>') {
            Some(gt) => {
                text.push(' ');
                rest = &rest[lt + gt + 1..];
            }
            None => {
                rest = "";
            }
        }
    }
    text.push_str(rest);
    clean(&decode_entities(&text))
}

/// Decodes HTML character references (`&amp;`, `&eacute;`, `&#8217;`, `&#x2019;`).
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let semi = after.find(';').filter(|i| *i <= 32);
        let decoded = semi.and_then(|i| {
            let name = &after[..i];
            let value = if let Some(num) = name.strip_prefix('#') {
                let code = match num.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => num.parse::<u32>().ok(),
                };
                code.and_then(char::from_u32).map(String::from)
            } else {
                resolve_entity(name).map(str::to_string)
            };
            value.map(|v| (v, i))
        });
        match decoded {
            Some((value, i)) => {
                out.push_str(&value);
                rest = &after[i + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `jane@example.org (Jane Doe)` → `Jane Doe`; `Jane Doe <jane@x>` → `Jane
/// Doe`; a bare address stays as it is (it is all there is).
fn author_name(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if let (Some(open), true) = (raw.find('('), raw.ends_with(')')) {
        if raw[..open].contains('@') {
            if let Some(name) = clean(&raw[open + 1..raw.len() - 1]) {
                return Some(name);
            }
        }
    }
    if let (Some(open), true) = (raw.find('<'), raw.ends_with('>')) {
        if let Some(name) = clean(&raw[..open]) {
            return Some(name);
        }
    }
    clean(raw)
}

fn push_author(authors: &mut Vec<String>, name: Option<String>) {
    if let Some(name) = name {
        if !authors.contains(&name) {
            authors.push(name);
        }
    }
}

/// Collects items, dropping duplicates and recording why items were left out.
struct Items {
    feed: Feed,
    seen: std::collections::HashMap<String, usize>,
    count: usize,
}

impl Items {
    fn new(title: Option<String>, home_page: Option<String>) -> Self {
        Items {
            feed: Feed {
                title,
                home_page,
                ..Feed::default()
            },
            seen: std::collections::HashMap::new(),
            count: 0,
        }
    }

    /// Adds item number `self.count + 1`, or says why not.
    fn push(&mut self, link: Result<String, String>, mut item: FeedItem) {
        self.count += 1;
        let n = self.count;
        let label = match &item.title {
            Some(t) => format!("item {n} ({:?})", t.chars().take(60).collect::<String>()),
            None => format!("item {n}"),
        };
        match link {
            Ok(url) => {
                if let Some(first) = self.seen.get(&url) {
                    self.feed
                        .skipped
                        .push(format!("{label}: same link as item {first}"));
                    return;
                }
                self.seen.insert(url.clone(), n);
                item.url = url;
                self.feed.items.push(item);
            }
            Err(why) => self.feed.skipped.push(format!("{label}: {why}")),
        }
    }
}

fn first_date<'a>(candidates: impl IntoIterator<Item = Option<&'a El>>) -> Option<String> {
    candidates
        .into_iter()
        .flatten()
        .find_map(|el| el.text().and_then(|t| feed_date(&t)))
}

// ---------------------------------------------------------------- RSS 2.0

fn rss2(root: &El, source: &str) -> Feed {
    // Items live in <channel>; a few feeds put them straight under <rss>.
    let channel = root.child(NONE, "channel").unwrap_or(root);
    let base = channel.base.as_ref();
    let title = channel.child(NONE, "title").and_then(|t| clean(&t.text));
    let home = channel
        .child(NONE, "link")
        .and_then(El::text)
        .and_then(|l| page_link(base, &l).ok());
    let mut items = Items::new(title, home);
    let mut list: Vec<&El> = channel.children_named(NONE, "item");
    if !std::ptr::eq(channel, root) {
        list.extend(root.children_named(NONE, "item"));
    }
    for el in list {
        rss_item(el, source, &mut items);
    }
    items.feed
}

fn rss_item(el: &El, source: &str, items: &mut Items) {
    let base = el.base.as_ref();
    let guid = el.child(NONE, "guid");
    let guid_text = guid.and_then(El::text);
    let permalink = guid
        .filter(|g| {
            !g.attr("isPermaLink")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("false"))
        })
        .and_then(El::text)
        .filter(|t| Url::parse(t).is_ok_and(|u| u.scheme() == "http" || u.scheme() == "https"));
    let candidates = [
        el.child(FEEDBURNER, "origLink").and_then(El::text),
        el.child(NONE, "link").and_then(El::text),
        atom_link(el, ATOM).map(|(href, _)| href),
        permalink,
    ];
    let link = match candidates.into_iter().flatten().next() {
        Some(href) => page_link(base, &href),
        None => Err("no link".to_string()),
    };
    let mut authors = Vec::new();
    if let Some(a) = el.child(NONE, "author") {
        push_author(&mut authors, author_name(&a.text));
    }
    for c in el.children_named(DC, "creator") {
        push_author(&mut authors, author_name(&c.text));
    }
    for a in el.children_named(ATOM, "author") {
        push_author(
            &mut authors,
            a.child(ATOM, "name").and_then(|n| clean(&n.text)),
        );
    }
    let summary = el
        .child(CONTENT, "encoded")
        .and_then(|c| c.html(source))
        .or_else(|| el.child(NONE, "description").and_then(|d| d.html(source)));
    let item = FeedItem {
        url: String::new(),
        id: guid_text,
        title: el.child(NONE, "title").and_then(|t| clean(&t.text)),
        published: first_date([
            el.child(NONE, "pubDate"),
            el.child(DC, "date"),
            el.child(ATOM, "published"),
            el.child(ATOM, "updated"),
        ]),
        authors,
        summary_html: summary,
    };
    items.push(link, item);
}

// ---------------------------------------------------------------- RSS 1.0

fn rss1(root: &El, source: &str) -> Feed {
    let ns = [RSS1, RSS090]
        .into_iter()
        .find(|ns| root.children.iter().any(|c| c.ns == *ns))
        .unwrap_or(RSS1);
    let channel = root.child(ns, "channel");
    let title = channel
        .and_then(|c| c.child(ns, "title"))
        .and_then(|t| clean(&t.text));
    let home = channel
        .and_then(|c| c.child(ns, "link").and_then(El::text).map(|l| (l, c)))
        .and_then(|(l, c)| page_link(c.base.as_ref(), &l).ok());
    let mut items = Items::new(title, home);
    // Items are siblings of the channel; RSS 0.90 and some 1.0 feeds nest them.
    let nested = channel
        .into_iter()
        .flat_map(|c| c.children_named(ns, "item"));
    for el in root.children_named(ns, "item").into_iter().chain(nested) {
        let base = el.base.as_ref();
        let about = el
            .attrs
            .iter()
            .find(|(k, _)| k.ends_with(":about") || k == "about")
            .map(|(_, v)| v.clone());
        let link = match el
            .child(ns, "link")
            .and_then(El::text)
            .or_else(|| about.clone())
        {
            Some(href) => page_link(base, &href),
            None => Err("no link".to_string()),
        };
        let mut authors = Vec::new();
        for c in el.children_named(DC, "creator") {
            push_author(&mut authors, author_name(&c.text));
        }
        let summary = el
            .child(CONTENT, "encoded")
            .and_then(|c| c.html(source))
            .or_else(|| el.child(ns, "description").and_then(|d| d.html(source)));
        let item = FeedItem {
            url: String::new(),
            id: about,
            title: el.child(ns, "title").and_then(|t| clean(&t.text)),
            published: first_date([el.child(DC, "date")]),
            authors,
            summary_html: summary,
        };
        items.push(link, item);
    }
    items.feed
}

// ---------------------------------------------------------------- Atom

/// The best page link among `el`'s Atom links: `(href, base)`. An alternate
/// link of an HTML type (or of no type) first, then any alternate link, then
/// any link but enclosures, edit links, replies and the like.
fn atom_link<'a>(el: &'a El, ns: &str) -> Option<(String, Option<&'a Url>)> {
    let links: Vec<(&El, String, String)> = el
        .children_named(ns, "link")
        .into_iter()
        .filter_map(|l| {
            let href = l.attr("href").map(str::to_string).or_else(|| l.text())?;
            let rel = l
                .attr("rel")
                .unwrap_or("alternate")
                .trim()
                .to_ascii_lowercase();
            Some((l, href, rel))
        })
        .collect();
    let is_alt = |rel: &str| {
        rel == "alternate" || rel == "http://www.iana.org/assignments/relation/alternate"
    };
    let html_type = |l: &El| l.attr("type").is_none_or(|t| t.contains("html"));
    let pick = links
        .iter()
        .find(|(l, _, rel)| is_alt(rel) && html_type(l))
        .or_else(|| links.iter().find(|(_, _, rel)| is_alt(rel)))
        .or_else(|| {
            links.iter().find(|(_, _, rel)| {
                !matches!(
                    rel.as_str(),
                    "enclosure"
                        | "edit"
                        | "edit-media"
                        | "replies"
                        | "license"
                        | "hub"
                        | "payment"
                        | "next"
                        | "previous"
                        | "first"
                        | "last"
                )
            })
        })?;
    Some((pick.1.clone(), pick.0.base.as_ref()))
}

/// An Atom text construct as plain text.
fn atom_text(el: &El, source: &str) -> Option<String> {
    let kind = el.attr("type").unwrap_or("text");
    if kind.contains("html") || !el.children.is_empty() {
        el.html(source).and_then(|h| html_to_text(&h))
    } else {
        clean(&el.text)
    }
}

/// An Atom text construct or content as HTML.
fn atom_html(el: &El, source: &str) -> Option<String> {
    if el.attr("src").is_some() {
        return None; // content elsewhere
    }
    let kind = el
        .attr("type")
        .unwrap_or("text")
        .trim()
        .to_ascii_lowercase();
    if kind == "xhtml" {
        // The content is one xhtml:div; its inside is the HTML.
        return match el.children.as_slice() {
            [div] if div.name == "div" => div.html(source).or_else(|| div.text()),
            _ => el.html(source),
        };
    }
    if kind == "html" || kind.ends_with("/html") || kind.ends_with("+xml") {
        return el.html(source);
    }
    if kind == "text" || kind.starts_with("text/") {
        return text_to_html(&el.text);
    }
    None // base64 media
}

fn atom(root: &El, source: &str) -> Feed {
    let ns = if root.ns == ATOM03 {
        ATOM03
    } else {
        root.ns.as_str()
    };
    let ns: &str = if ns.is_empty() { NONE } else { ns };
    let title = root.child(ns, "title").and_then(|t| atom_text(t, source));
    let home = atom_link(root, ns).and_then(|(href, base)| page_link(base, &href).ok());
    let feed_authors: Vec<String> = root
        .children_named(ns, "author")
        .into_iter()
        .filter_map(|a| a.child(ns, "name").and_then(|n| clean(&n.text)))
        .collect();
    let mut items = Items::new(title, home);
    for el in root.children_named(ns, "entry") {
        let link = match atom_link(el, ns) {
            Some((href, base)) => page_link(base, &href),
            None => Err("no link".to_string()),
        };
        let mut authors = Vec::new();
        for a in el.children_named(ns, "author") {
            push_author(
                &mut authors,
                a.child(ns, "name").and_then(|n| clean(&n.text)),
            );
        }
        if authors.is_empty() {
            if let Some(src) = el.child(ns, "source") {
                for a in src.children_named(ns, "author") {
                    push_author(
                        &mut authors,
                        a.child(ns, "name").and_then(|n| clean(&n.text)),
                    );
                }
            }
        }
        if authors.is_empty() {
            authors = feed_authors.clone();
        }
        let summary = el
            .child(ns, "content")
            .and_then(|c| atom_html(c, source))
            .or_else(|| el.child(ns, "summary").and_then(|s| atom_html(s, source)));
        let item = FeedItem {
            url: String::new(),
            id: el.child(ns, "id").and_then(El::text),
            title: el.child(ns, "title").and_then(|t| atom_text(t, source)),
            published: first_date([
                el.child(ns, "published"),
                el.child(ns, "issued"),
                el.child(ns, "created"),
                el.child(ns, "updated"),
                el.child(ns, "modified"),
                el.child(DC, "date"),
            ]),
            authors,
            summary_html: summary,
        };
        items.push(link, item);
    }
    items.feed
}

// ---------------------------------------------------------------- JSON Feed

fn json_feed(text: &str, base: Option<&Url>) -> Result<Feed, FeedError> {
    let value: Value = serde_json::from_str(text).map_err(|e| FeedError::Json {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let Some(obj) = value.as_object() else {
        return Err(FeedError::NotAFeed("JSON that is not an object".into()));
    };
    let version = obj.get("version").and_then(Value::as_str).unwrap_or("");
    if !(version.starts_with("https://jsonfeed.org/version/")
        || version.starts_with("http://jsonfeed.org/version/"))
    {
        return Err(FeedError::NotAFeed(if version.is_empty() {
            "a JSON document without a JSON Feed \"version\"".into()
        } else {
            format!("a JSON document whose \"version\" is {version:?}, not https://jsonfeed.org/version/…")
        }));
    }
    let field = |name: &str| FeedError::Json {
        line: 0,
        column: 0,
        message: format!("\"{name}\" is not an array"),
    };
    let list = match obj.get("items") {
        Some(Value::Array(list)) => list.as_slice(),
        Some(Value::Null) | None => &[],
        Some(_) => return Err(field("items")),
    };
    // Relative item URLs: against the URL fetched, else the feed's own feed_url.
    let own = obj
        .get("feed_url")
        .and_then(Value::as_str)
        .and_then(|u| Url::parse(u).ok());
    let base = base.or(own.as_ref());
    let str_of = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let home = str_of(&value, "home_page_url").and_then(|h| page_link(base, &h).ok());
    let feed_authors = json_authors(&value);
    let mut items = Items::new(str_of(&value, "title").and_then(|t| clean(&t)), home);
    for it in list {
        if !it.is_object() {
            items.push(Err("not a JSON object".into()), FeedItem::default());
            continue;
        }
        let link = match str_of(it, "url").or_else(|| str_of(it, "external_url")) {
            Some(href) => page_link(base, &href),
            None => Err("no link".to_string()),
        };
        let id = match it.get("id") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let mut authors = json_authors(it);
        if authors.is_empty() {
            authors = feed_authors.clone();
        }
        let summary = str_of(it, "content_html")
            .filter(|h| !h.trim().is_empty())
            .or_else(|| str_of(it, "content_text").and_then(|t| text_to_html(&t)))
            .or_else(|| str_of(it, "summary").and_then(|t| text_to_html(&t)));
        let published = ["date_published", "date_modified"]
            .iter()
            .find_map(|k| str_of(it, k).and_then(|d| feed_date(&d)));
        let item = FeedItem {
            url: String::new(),
            id,
            title: str_of(it, "title").and_then(|t| clean(&t)),
            published,
            authors,
            summary_html: summary,
        };
        items.push(link, item);
    }
    Ok(items.feed)
}

/// JSON Feed 1.1 `authors` (an array), else 1.0 `author` (an object).
fn json_authors(v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let name = |a: &Value| a.get("name").and_then(Value::as_str).and_then(clean);
    match v.get("authors") {
        Some(Value::Array(list)) => list.iter().for_each(|a| push_author(&mut out, name(a))),
        _ => {
            if let Some(a) = v.get("author") {
                push_author(&mut out, name(a));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_and_text_helpers() {
        assert_eq!(
            decode_entities("a &amp; b &eacute;&#8217;&#x2019; &bogus; & c"),
            "a & b é’’ &bogus; & c"
        );
        assert_eq!(
            html_to_text("<p>AT&amp;T <b>rocks</b></p>").as_deref(),
            Some("AT&T rocks")
        );
        assert_eq!(
            author_name("jane@example.org (Jane Doe)").as_deref(),
            Some("Jane Doe")
        );
        assert_eq!(
            author_name("Jane Doe <jane@example.org>").as_deref(),
            Some("Jane Doe")
        );
        assert_eq!(
            author_name("  jane@example.org ").as_deref(),
            Some("jane@example.org")
        );
        assert_eq!(author_name(" "), None);
        assert_eq!(
            text_to_html("a < b\n\nsecond").as_deref(),
            Some("<p>a &lt; b</p>\n<p>second</p>")
        );
    }

    #[test]
    fn links() {
        let base = Url::parse("https://example.org/news/feed.xml").ok();
        assert_eq!(
            page_link(base.as_ref(), " 2024/a.html#top "),
            Ok("https://example.org/news/2024/a.html".into())
        );
        assert_eq!(
            page_link(base.as_ref(), "/b"),
            Ok("https://example.org/b".into())
        );
        assert!(page_link(base.as_ref(), "mailto:x@example.org").is_err());
        assert!(page_link(None, "/b").is_err());
        assert!(page_link(None, "").is_err());
    }

    #[test]
    fn encodings() {
        let latin1 = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel><title>Caf\xe9</title></channel></rss>";
        assert!(decode(latin1).contains("Café"));
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "<rss><channel><title>Ω</title></channel></rss>".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        let feed = parse_feed(&utf16, None).expect("utf-16 feed");
        assert_eq!(feed.title.as_deref(), Some("Ω"));
        assert!(looks_like_feed(&utf16));
    }

    #[test]
    fn feed_discovery() {
        let html = br#"<!DOCTYPE html><html><head>
<link rel="stylesheet" href="/s.css">
<LINK REL="alternate" TYPE="application/rss+xml" title="News" HREF="/feed.xml">
<link rel=alternate type=application/atom+xml href=https://other.example/atom>
<link rel="alternate" type="application/rss+xml" href="/feed.xml">
<link rel="alternate" hreflang="de" href="/de/">
<link rel='alternate' type='application/feed+json' href='feed.json?a=1&amp;b=2'/>
</head></html>"#;
        assert_eq!(
            discover_feeds(html, Some("https://site.example/news/")),
            vec![
                "https://site.example/feed.xml".to_string(),
                "https://other.example/atom".to_string(),
                "https://site.example/news/feed.json?a=1&b=2".to_string(),
            ]
        );
        match parse_feed(html, Some("https://site.example/news/")) {
            Err(FeedError::NotAFeed(why)) => {
                assert_eq!(
                    why,
                    "an HTML page; it links to the feeds https://site.example/feed.xml and 2 more"
                )
            }
            other => panic!("{other:?}"),
        }
        assert!(discover_feeds(b"<link", None).is_empty());
        assert!(discover_feeds(
            b"<link rel=\"alternate\" type=\"application/rss+xml\" href=\"",
            None
        )
        .is_empty());
    }

    #[test]
    fn sniffing() {
        assert!(looks_like_feed(
            b"<?xml version='1.0'?>\n<!-- hi --><rss version=\"2.0\">"
        ));
        assert!(looks_like_feed(
            b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
        ));
        assert!(looks_like_feed(
            b"<?xml-stylesheet href='x.xsl'?><feed xmlns=\"http://www.w3.org/2005/Atom\">"
        ));
        assert!(looks_like_feed(
            br#"{"version":"https:\/\/jsonfeed.org\/version\/1.1","items":[]}"#
        ));
        assert!(!looks_like_feed(b"<feed>"));
        assert!(!looks_like_feed(b"<!DOCTYPE html><html><head>"));
        assert!(!looks_like_feed(b"{\"items\":[]}"));
        assert!(!looks_like_feed(b""));
        assert!(!looks_like_feed(b"<?xml version='1.0'?><svg/>"));
    }
}
