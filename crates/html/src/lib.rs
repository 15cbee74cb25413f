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
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    // UTF-16 with a BOM: look at every other byte
    if head.starts_with(b"\xff\xfe") || head.starts_with(b"\xfe\xff") {
        let odd = head.starts_with(b"\xfe\xff") as usize;
        let narrow: Vec<u8> = head[2..].iter().skip(odd).step_by(2).copied().collect();
        return looks_like_html(&narrow);
    }
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
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
            return contains_ci(rest, b"<html")
                || contains_ci(rest, b"<!doctype html")
                || contains_ci(rest, b"<head")
                || contains_ci(rest, b"<body");
        }
        return true;
    }
    false
}

fn starts_with_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.len() >= needle.len() && hay[..needle.len()].eq_ignore_ascii_case(needle)
}

fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
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

/// Why each snippet is missing from the main text of a page, or "kept":
/// which boilerplate mark, the container chosen, or which filter dropped its
/// block. A development aid for tuning the rules; not part of the stable API.
#[doc(hidden)]
pub fn explain(bytes: &[u8], hints: &Hints, snippets: &[&str]) -> Vec<String> {
    if bytes.len() > MAX_HTML_BYTES {
        return vec!["too large".into(); snippets.len()];
    }
    let enc = encoding::detect(bytes, hints.content_type);
    let html = encoding::decode(bytes, enc);
    let dom = dom::parse(&html);
    let crawl = hints.crawl_date.and_then(date::parse_iso_day);
    let meta = meta::read(&dom, hints, crawl);
    match text::body_of(&dom) {
        Some(body) => text::explain(&dom, body, meta.title.as_deref(), snippets),
        None => vec!["no body".into(); snippets.len()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P1: &str =
        "The minister said on Monday that the new budget would be passed before the summer recess.";
    const P2: &str =
        "Opposition leaders criticised the plan, saying it would hurt families on low incomes.";

    fn page(body: &str) -> String {
        format!("<html><head><title>T</title></head><body><nav><a href=/>Home</a> <a href=/a>World</a></nav><article><p>{P1}</p>{body}<p>{P2}</p></article><footer>Impressum</footer></body></html>")
    }

    fn text(html: &str) -> String {
        extract(html.as_bytes(), &Hints::default())
            .map(|p| p.text)
            .unwrap_or_default()
    }

    #[test]
    fn paragraphs_headings_and_breaks() {
        let t = text(&page("<h2>What comes next</h2><p>One line<br>and the next<br><br>A new paragraph that goes on for a while, as they do.</p>"));
        let paras: Vec<&str> = t.split("\n\n").collect();
        assert_eq!(
            paras,
            [
                P1,
                "What comes next",
                "One line\nand the next",
                "A new paragraph that goes on for a while, as they do.",
                P2
            ]
        );
        assert!(!t.contains("Home") && !t.contains("Impressum"));
    }

    #[test]
    fn entities_decoded_and_no_script() {
        let t = text(&page("<p>&ldquo;We won&rsquo;t&rdquo; &amp; &#8220;can&#x27;t&#8221;, she said&nbsp;today, in a long sentence.</p><script>var x = {\"a\": 1};</script><style>p{}</style>"));
        assert!(t.contains("“We won’t” & “can't”, she said today"), "{t}");
        assert!(!t.contains("var x") && !t.contains("p{}"));
    }

    #[test]
    fn embedded_tweet_does_not_split_a_statement() {
        let t = text(&page(
            "<p>The senator wrote that the vote was</p><blockquote class=\"twitter-tweet\"><p>a tweet text here</p>&mdash; Senator (@sen)</blockquote><script async src=\"https://platform.twitter.com/widgets.js\"></script><p>a betrayal of the voters who sent them there.</p>",
        ));
        assert!(
            t.contains("The senator wrote that the vote was a betrayal of the voters who sent them there.\n\na tweet text here"),
            "{t}"
        );
        // the post's text is a paragraph of its own, after the statement
        let t = text(&page(
            "<p>The senator posted this on Monday evening, hours after the vote.</p><blockquote class=\"twitter-tweet\"><p>A betrayal of the voters.</p>&mdash; Senator (@sen)</blockquote><p>Her office did not comment on the post when asked about it.</p>",
        ));
        assert!(
            t.contains("hours after the vote.\n\nA betrayal of the voters.\n\n— Senator (@sen)\n\nHer office"),
            "{t}"
        );
    }

    #[test]
    fn a_quotation_stays_its_own_paragraph() {
        let t = text(&page("<blockquote><p>We shall fight on the beaches, and we shall never surrender.</p></blockquote>"));
        assert!(
            t.contains("\n\nWe shall fight on the beaches, and we shall never surrender.\n\n"),
            "{t}"
        );
    }

    #[test]
    fn an_articles_header_holds_its_lead() {
        let html = format!(
            "<html><body><header class=site-header><a href=/>Daily</a> <a href=/w>World</a></header>\
             <article><header class=entry-header><h1>Budget passes</h1><p class=lead>The budget passed on Monday after a long night of talks, the third attempt this year to pass it.</p>\
             <div class=byline>By Jane Doe</div></header><p>{P1}</p><p>{P2}</p></article></body></html>"
        );
        let t = text(&html);
        // the h1 is the title (not repeated), the lead comes first, the byline goes
        assert!(t.starts_with("The budget passed on Monday"), "{t}");
        assert!(!t.contains("World") && !t.contains("Jane Doe"), "{t}");
    }

    #[test]
    fn credits_and_read_more_labels_are_left_out() {
        let t = text(&page(
            "<p>Foto: dpa/Jane Roe</p><p>&copy; 2020 Daily News</p><h3>Mehr zum Thema</h3>\
             <p><a href=/a>Another article about the budget</a> and what it means</p>",
        ));
        assert!(t.contains(P1) && t.contains(P2), "{t}");
        for gone in ["Foto:", "2020 Daily", "Mehr zum Thema", "Another article"] {
            assert!(!t.contains(gone), "{gone} in {t}");
        }
    }

    #[test]
    fn ruby_readings_and_soft_hyphens_are_not_text() {
        let t = text(&page(
            "<p><ruby>漢<rt>かん</rt>字<rt>じ</rt></ruby>の読み方を学ぶ人が増えています。新しい教材も出ました。</p><p>Die Klima&shy;politik der Bundes\u{ad}regierung wird seit Monaten heftig diskutiert.</p>",
        ));
        assert!(t.contains("漢字の読み方"), "{t}");
        assert!(t.contains("Klimapolitik der Bundesregierung"), "{t}");
    }

    #[test]
    fn a_lead_beside_the_body_and_a_short_line_among_paragraphs() {
        let lead = "The capital has launched a five-year project to mark its colonial past.";
        let html = format!(
            "<html><body><div class=main><p class=intro>{lead}</p><div class=body><p>{P1}</p><p>Quiet, please.</p><p>{P2}</p></div></div></body></html>"
        );
        let t = text(&html);
        assert!(t.starts_with(lead), "{t}");
        assert!(t.contains("\n\nQuiet, please.\n\n"), "{t}");
    }

    #[test]
    fn a_text_the_class_words_misread_comes_back() {
        // every slide is marked "hidden" (a gallery): read without the class
        // words, the page has four times the text
        let mut html = String::from(
            "<html><body><p>A short line that opens the gallery page, with its title.</p>",
        );
        for i in 0..4 {
            html.push_str(&format!(
                "<div class=\"slide hidden\"><p>Slide {i}: {P1} {P2}</p></div>"
            ));
        }
        html.push_str("</body></html>");
        let t = text(&html);
        assert!(t.contains("Slide 0:") && t.contains("Slide 3:"), "{t}");
    }

    #[test]
    fn encodings() {
        let body = format!("<p>{P1} Caf\u{e9} na\u{ef}ve \u{2014} \u{20ac}5.</p><p>{P2}</p>");
        // Windows-1252 declared by meta
        let (w, _, _) = encoding_rs::WINDOWS_1252.encode(&body);
        let mut html = b"<html><head><meta charset=\"windows-1252\"></head><body>".to_vec();
        html.extend_from_slice(&w);
        let p = extract(&html, &Hints::default()).unwrap();
        assert_eq!(p.encoding, "windows-1252");
        assert!(p.text.contains("Café naïve — €5."), "{}", p.text);
        // Latin-1 without a declaration: sniffed
        let latin: Vec<u8> = format!("<html><body><p>{P1} Caf\u{e9}.</p><p>{P2}</p></body></html>")
            .chars()
            .map(|c| c as u32 as u8)
            .collect();
        assert!(extract(&latin, &Hints::default())
            .unwrap()
            .text
            .contains("Café."));
        // UTF-16 with a BOM
        let mut u16 = vec![0xFF, 0xFE];
        u16.extend(
            format!("<html><body>{body}</body></html>")
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        );
        assert!(looks_like_html(&u16));
        let p = extract(&u16, &Hints::default()).unwrap();
        assert_eq!(p.encoding, "UTF-16LE");
        assert!(p.text.contains("Café naïve — €5."));
        // the header wins over the meta tag
        let hints = Hints {
            content_type: Some("text/html; charset=utf-8"),
            ..Hints::default()
        };
        let mut html = b"<html><head><meta charset=\"iso-8859-1\"></head><body>".to_vec();
        html.extend_from_slice(body.as_bytes());
        let p = extract(&html, &hints).unwrap();
        assert_eq!(p.encoding, "UTF-8");
        assert!(p.text.contains("Café"));
    }

    #[test]
    fn json_ld_graph_og_and_crawl_cap() {
        let html = format!(
            r#"<html lang="de-DE"><head><title>Budget passes | Daily News</title>
            <meta property="og:site_name" content="Daily News"><meta property="og:url" content="https://daily.example/a">
            <meta property="article:published_time" content="2019-05-05T08:00:00Z"><meta name="description" content="About the budget.">
            <script type="application/ld+json">{{"@context":"https://schema.org","@graph":[{{"@type":"WebSite","name":"Daily News"}},
            {{"@type":["NewsArticle"],"headline":"Budget passes","datePublished":"2020-08-16T10:00:00+02:00","dateModified":"2020-08-17",
            "author":[{{"@type":"Person","name":"Jane Doe"}},{{"@type":"Person","name":"John Roe"}}]}}]}}</script></head>
            <body><article><p>{P1}</p><p>{P2}</p></article></body></html>"#
        );
        let p = extract(html.as_bytes(), &Hints::default()).unwrap();
        assert_eq!(p.title.as_deref(), Some("Budget passes"));
        assert_eq!(p.date.as_deref(), Some("2020-08-16"));
        assert_eq!(p.modified.as_deref(), Some("2020-08-17"));
        assert_eq!(p.authors, ["Jane Doe", "John Roe"]);
        assert_eq!(p.site_name.as_deref(), Some("Daily News"));
        assert_eq!(p.url.as_deref(), Some("https://daily.example/a"));
        assert_eq!(p.language.as_deref(), Some("de"));
        assert_eq!(p.description.as_deref(), Some("About the budget."));
        // a crawl date before the JSON-LD date: the next source that fits
        let hints = Hints {
            crawl_date: Some("2020-01-01"),
            ..Hints::default()
        };
        let p = extract(html.as_bytes(), &hints).unwrap();
        assert_eq!(p.date.as_deref(), Some("2019-05-05"));
        let hints = Hints {
            crawl_date: Some("2019-01-01"),
            ..Hints::default()
        };
        assert_eq!(extract(html.as_bytes(), &hints).unwrap().date, None);
    }

    #[test]
    fn url_date_and_byline() {
        let html = format!("<html><body><article><p class=byline>By Jane Doe and John Roe</p><p>{P1}</p><p>{P2}</p></article></body></html>");
        let hints = Hints {
            url: Some("https://x.example/2020/08/16/budget/"),
            ..Hints::default()
        };
        let p = extract(html.as_bytes(), &hints).unwrap();
        assert_eq!(p.date.as_deref(), Some("2020-08-16"));
        assert_eq!(p.authors, ["Jane Doe", "John Roe"]);
        assert_eq!(
            p.url.as_deref(),
            Some("https://x.example/2020/08/16/budget/")
        );
        assert!(!p.text.contains("Jane Doe"));
    }

    #[test]
    fn deep_nesting_no_body_too_large() {
        let mut deep = String::from("<html><body>");
        for _ in 0..10_000 {
            deep.push_str("<div>");
        }
        deep.push_str(P1);
        deep.push_str("</p>");
        let p = extract(deep.as_bytes(), &Hints::default()).unwrap();
        assert_eq!(p.text, P1);
        // labels at the start of 10,000 nested blocks: each look is bounded
        let mut labels = String::from("<html><body>");
        for _ in 0..10_000 {
            labels.push_str("<div><span>Date</span><li><strong>Autor</strong>");
        }
        labels.push_str(P1);
        let start = std::time::Instant::now();
        let _ = extract(labels.as_bytes(), &Hints::default());
        assert!(
            start.elapsed().as_secs() < 5,
            "nested labels took {:?}",
            start.elapsed()
        );
        let mut unclosed = String::new();
        for _ in 0..10_000 {
            unclosed.push_str("<p><b><div><li><table><td>");
        }
        let _ = extract(unclosed.as_bytes(), &Hints::default());
        assert_eq!(
            extract(
                b"<html><head><title>x</title></head></html>",
                &Hints::default()
            ),
            Err(HtmlError::NoBody)
        );
        assert_eq!(
            extract(
                b"<html><body><nav><a href=/>Home</a></nav></body></html>",
                &Hints::default()
            ),
            Err(HtmlError::NoText)
        );
        assert_eq!(extract(b"  \n", &Hints::default()), Err(HtmlError::Empty));
        let big = vec![b' '; MAX_HTML_BYTES + 1];
        let e = extract(&big, &Hints::default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "page too large: {} bytes (the limit is 16 MiB)",
                MAX_HTML_BYTES + 1
            )
        );
    }

    #[test]
    fn sniff() {
        assert!(looks_like_html(b"\xef\xbb\xbf  <!DOCTYPE html><html>"));
        assert!(looks_like_html(b"<html lang=en>"));
        assert!(looks_like_html(b"<!-- x --><html>"));
        assert!(!looks_like_html(b"{\"text\": \"<p>\"}"));
        assert!(!looks_like_html(b"Plain text with <b>bold</b>"));
    }

    /// Mutated HTML (truncations, byte flips, inserted tags, unbalanced
    /// nesting), deterministic seed, bounded iterations: never a panic.
    #[test]
    fn fuzz_never_panics() {
        let seed_pages = [
            page("<h2>x</h2><p>a<br><br>b</p><blockquote class=twitter-tweet>t</blockquote>"),
            format!("<html><body><header><h1>T</h1><p class=lead>{P1}</p></header><article><ul><li><strong>Date</strong> 19.01.2020</li><li><a href=/x>x</a></li></ul><dl><dt>Autor</dt><dd>Jane Roe</dd></dl><p><ruby>漢<rt>かん</rt></ruby>&shy;{P2}</p><blockquote class=instagram-media><p>post</p></blockquote><h3>Read more</h3><p>Foto: dpa</p></article></body></html>"),
            format!("<html><head><meta charset=utf-8><script type=application/ld+json>{{\"@graph\":[{{\"@type\":\"NewsArticle\",\"datePublished\":\"2020-02-02\",\"author\":{{\"name\":\"A B\"}}}}]}}</script></head><body><div class=content><p>{P1} é ü</p><table><tr><td>{P2}</td></tr></table></div></body></html>"),
        ];
        let inserts: [&[u8]; 12] = [
            b"<div>",
            b"</div>",
            b"<p>",
            b"</p>",
            b"<script>",
            b"<!--",
            b"&amp",
            b"<br>",
            b"</body>",
            b"\xff\xfe",
            b"<a href='",
            b"<![CDATA[",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for round in 0..3000 {
            let mut b = seed_pages[round % seed_pages.len()].as_bytes().to_vec();
            for _ in 0..(1 + next() % 6) {
                let pos = (next() as usize) % (b.len() + 1);
                match next() % 4 {
                    0 => b.truncate(pos),
                    1 => {
                        if pos < b.len() {
                            b[pos] = next() as u8;
                        }
                    }
                    2 => {
                        let ins = inserts[(next() as usize) % inserts.len()];
                        b.splice(pos..pos, ins.iter().copied());
                    }
                    _ => {
                        let end = (pos + (next() as usize) % 64).min(b.len());
                        b.drain(pos..end);
                    }
                }
            }
            let _ = extract(
                &b,
                &Hints {
                    crawl_date: Some("2021-01-01"),
                    url: Some("https://x/2020/01/01/a"),
                    ..Hints::default()
                },
            );
            let _ = looks_like_html(&b);
        }
    }
}
