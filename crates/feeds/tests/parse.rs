//! Feed parsing: the three real fixtures (../shared/data/feeds), small feeds
//! for each rule, bad input, and a seeded mutation run that must never panic.

mod common;

use common::read_shared;
use onrecord_feeds::{looks_like_feed, parse_feed, FeedError, MAX_DEPTH};

fn parse(bytes: &[u8], url: &str) -> onrecord_feeds::Feed {
    parse_feed(bytes, Some(url)).unwrap_or_else(|e| panic!("{url}: {e}"))
}

#[test]
fn fixture_atom() {
    let bytes = read_shared("feeds/feed1.atom");
    assert!(looks_like_feed(&bytes));
    let feed = parse(&bytes, "http://example.org/feed.atom");
    assert_eq!(feed.title.as_deref(), Some("Example Feed"));
    assert_eq!(feed.home_page.as_deref(), Some("http://example.org/"));
    assert_eq!(feed.items.len(), 2, "{:?}", feed.skipped);
    let first = &feed.items[0];
    assert_eq!(first.url, "http://example.org/2003/12/13/atom03");
    assert_eq!(
        first.id.as_deref(),
        Some("urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a")
    );
    assert_eq!(first.title.as_deref(), Some("Atom-Powered Robots Run Amok"));
    assert_eq!(first.published.as_deref(), Some("2003-12-13"));
    // Atom: an entry without an author has the feed's.
    assert_eq!(first.authors, vec!["John Doe".to_string()]);
    assert_eq!(first.summary_html.as_deref(), Some("<p>Some text.</p>"));
    // Only a rel="self" link: taken as the page, as a last resort.
    assert_eq!(feed.items[1].url, "http://example.org/1000");
}

#[test]
fn fixture_rss() {
    let bytes = read_shared("feeds/feed2.rss");
    assert!(looks_like_feed(&bytes));
    let feed = parse(&bytes, "http://www.example.com/feed.rss");
    assert_eq!(feed.title.as_deref(), Some("RSS Title"));
    assert_eq!(
        feed.home_page.as_deref(),
        Some("http://www.example.com/main.html")
    );
    assert_eq!(feed.items.len(), 1);
    let item = &feed.items[0];
    assert_eq!(item.url, "http://www.example.com/blog/post/1");
    assert_eq!(
        item.id.as_deref(),
        Some("7bd204c6-1655-4c27-aeee-53f933c5395f")
    );
    assert_eq!(item.title.as_deref(), Some("Example entry"));
    assert_eq!(item.published.as_deref(), Some("2009-09-06"));
    assert!(item.authors.is_empty());
    assert_eq!(
        item.summary_html.as_deref(),
        Some("Here is some text containing an interesting description.")
    );
}

#[test]
fn fixture_json_feed() {
    let bytes = read_shared("feeds/feed.json");
    assert!(looks_like_feed(&bytes));
    let feed = parse(&bytes, "https://feeds.npr.org/1019/feed.json");
    assert_eq!(feed.title.as_deref(), Some("Technology"));
    assert!(feed.skipped.is_empty(), "{:?}", feed.skipped);
    assert!(feed.items.len() >= 5, "{}", feed.items.len());
    let first = &feed.items[0];
    assert_eq!(
        first.url,
        "https://www.npr.org/2021/10/29/1050315385/keller-rinaudo-how-can-delivery-drones-save-lives?utm_medium=JSONFeed&utm_campaign=technology"
    );
    assert_eq!(first.id.as_deref(), Some("1050315385"));
    assert_eq!(
        first.title.as_deref(),
        Some("Keller Rinaudo: How can delivery drones save lives?")
    );
    assert_eq!(first.published.as_deref(), Some("2021-10-29"));
    assert_eq!(first.authors, vec!["Manoush Zomorodi".to_string()]);
    assert!(first
        .summary_html
        .as_deref()
        .is_some_and(|h| h.starts_with("<p>In rural areas")));
    for item in &feed.items {
        assert!(item.url.starts_with("https://www.npr.org/"), "{}", item.url);
        assert!(item.published.is_some(), "{}", item.url);
        assert!(item.title.is_some());
    }
}

#[test]
fn rss_guid_permalink_relative_links_and_authors() {
    let xml = br#"<?xml version="1.0"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>  News &amp; Views  </title>
  <link>/</link>
  <item>
    <title>Permalink guid only</title>
    <guid>https://news.example/2024/05/01/a.html</guid>
    <pubDate>Wed, 01 May 2024 23:30:00 -0500</pubDate>
    <author>jane@news.example (Jane Doe)</author>
  </item>
  <item>
    <title>Guid that is not a permalink</title>
    <guid isPermaLink="false">tag:news.example,2024:b</guid>
  </item>
  <item>
    <title>Relative link</title>
    <link> ../2024/c.html#comments </link>
    <guid isPermaLink="false">c</guid>
    <dc:creator>Ann One</dc:creator>
    <dc:creator>Bob Two</dc:creator>
    <dc:date>2024-05-03T08:00:00+02:00</dc:date>
    <description><![CDATA[<p>Short &amp; sweet</p>]]></description>
    <content:encoded>&lt;p&gt;The whole story&amp;nbsp;here&lt;/p&gt;</content:encoded>
  </item>
  <item>
    <title>Same link again</title>
    <link>https://news.example/2024/c.html</link>
  </item>
  <item>
    <title>Mail</title>
    <link>mailto:tips@news.example</link>
  </item>
  <item>
    <title>Entities &nbsp;&eacute;&#8217;&unknown;</title>
    <link>https://news.example/e?x=1&amp;y=2</link>
  </item>
</channel>
</rss>"#;
    let feed = parse(xml, "https://news.example/feeds/main.xml");
    assert_eq!(feed.title.as_deref(), Some("News & Views"));
    assert_eq!(feed.home_page.as_deref(), Some("https://news.example/"));
    let urls: Vec<&str> = feed.items.iter().map(|i| i.url.as_str()).collect();
    assert_eq!(
        urls,
        vec![
            "https://news.example/2024/05/01/a.html",
            "https://news.example/2024/c.html",
            "https://news.example/e?x=1&y=2"
        ]
    );
    let a = &feed.items[0];
    assert_eq!(
        a.published.as_deref(),
        Some("2024-05-01"),
        "the date as written, not UTC"
    );
    assert_eq!(a.authors, vec!["Jane Doe".to_string()]);
    let c = &feed.items[1];
    assert_eq!(
        c.authors,
        vec!["Ann One".to_string(), "Bob Two".to_string()]
    );
    assert_eq!(c.published.as_deref(), Some("2024-05-03"));
    assert_eq!(
        c.summary_html.as_deref(),
        Some("<p>The whole story&nbsp;here</p>"),
        "content:encoded wins"
    );
    assert_eq!(
        feed.items[2].title.as_deref(),
        Some("Entities é’&unknown;"),
        "no-break space collapsed"
    );
    assert_eq!(feed.skipped.len(), 3, "{:?}", feed.skipped);
    assert!(
        feed.skipped[0].starts_with("item 2 (\"Guid that is not a permalink\"): no link"),
        "{:?}",
        feed.skipped
    );
    assert!(
        feed.skipped[1].contains("same link as item 3"),
        "{:?}",
        feed.skipped
    );
    assert!(
        feed.skipped[2].contains("not an http(s) link: mailto:"),
        "{:?}",
        feed.skipped
    );
}

#[test]
fn rss_relative_link_without_feed_url_is_skipped_not_fatal() {
    let xml = b"<rss><channel><item><title>t</title><link>/a</link></item><item><link>http://x.example/b</link></item></channel></rss>";
    let feed = parse_feed(xml, None).expect("feed");
    assert_eq!(feed.items.len(), 1);
    assert_eq!(feed.items[0].url, "http://x.example/b");
    assert!(
        feed.skipped[0].contains("relative link"),
        "{:?}",
        feed.skipped
    );
}

#[test]
fn atom_xml_base_and_several_links() {
    let xml = br#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example/base/">
  <title type="html">Blog &lt;b&gt;of&lt;/b&gt; Things</title>
  <link rel="self" href="feed.atom"/>
  <link rel="alternate" type="text/html" href="./"/>
  <author><name>Feed Author</name></author>
  <entry xml:base="2024/">
    <title>Several links</title>
    <link rel="enclosure" type="audio/mpeg" href="a.mp3"/>
    <link rel="alternate" type="application/pdf" href="a.pdf"/>
    <link rel="alternate" type="text/html" href="a.html"/>
    <link rel="replies" href="a/comments"/>
    <id>tag:blog.example,2024:a</id>
    <published>2024-01-02T03:04:05+09:00</published>
    <updated>2024-02-01T00:00:00Z</updated>
    <author><name>Entry Author</name></author>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Hello <em>world</em></p></div></content>
    <summary>Not this</summary>
  </entry>
  <entry>
    <title>Link without rel, relative to the feed's xml:base</title>
    <link href="/b.html"/>
    <updated>2024-03-04T00:00:00Z</updated>
    <summary type="html">&lt;p&gt;An &lt;b&gt;HTML&lt;/b&gt; summary&lt;/p&gt;</summary>
  </entry>
  <entry>
    <title>Only an enclosure</title>
    <link rel="enclosure" href="c.mp3"/>
  </entry>
</feed>"#;
    let feed = parse(xml, "https://blog.example/feeds/all.atom");
    assert_eq!(feed.title.as_deref(), Some("Blog of Things"));
    assert_eq!(
        feed.home_page.as_deref(),
        Some("https://blog.example/base/")
    );
    assert_eq!(feed.items.len(), 2, "{:?}", feed.skipped);
    let a = &feed.items[0];
    assert_eq!(a.url, "https://blog.example/base/2024/a.html");
    assert_eq!(
        a.published.as_deref(),
        Some("2024-01-02"),
        "published, as written"
    );
    assert_eq!(a.authors, vec!["Entry Author".to_string()]);
    assert_eq!(
        a.summary_html.as_deref(),
        Some("<p>Hello <em>world</em></p>")
    );
    let b = &feed.items[1];
    assert_eq!(b.url, "https://blog.example/b.html");
    assert_eq!(
        b.published.as_deref(),
        Some("2024-03-04"),
        "updated when no published"
    );
    assert_eq!(b.authors, vec!["Feed Author".to_string()]);
    assert_eq!(
        b.summary_html.as_deref(),
        Some("<p>An <b>HTML</b> summary</p>")
    );
    assert_eq!(
        feed.skipped,
        vec!["item 3 (\"Only an enclosure\"): no link".to_string()]
    );
}

#[test]
fn json_feed_1_1() {
    let json = br#"{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "JSON News",
  "home_page_url": "https://json.example/",
  "authors": [{"name": "Desk"}],
  "items": [
    {"id": 7, "url": "/2024/x.html", "title": "Relative url", "date_published": "2024-06-30T22:00:00-07:00",
     "authors": [{"name": "A. Writer"}, {"name": "B. Writer"}], "content_text": "Line one.\n\nLine <two>."},
    {"id": "y", "external_url": "https://elsewhere.example/y", "title": "Link post", "summary": "See there",
     "date_modified": "2024-07-01"},
    {"id": "z", "title": "No link", "content_html": "<p>only content</p>"},
    "not an object"
  ]
}"#;
    let feed = parse(json, "https://json.example/feed.json");
    assert_eq!(feed.title.as_deref(), Some("JSON News"));
    assert_eq!(feed.items.len(), 2);
    let x = &feed.items[0];
    assert_eq!(x.url, "https://json.example/2024/x.html");
    assert_eq!(x.id.as_deref(), Some("7"));
    assert_eq!(x.published.as_deref(), Some("2024-06-30"));
    assert_eq!(
        x.authors,
        vec!["A. Writer".to_string(), "B. Writer".to_string()]
    );
    assert_eq!(
        x.summary_html.as_deref(),
        Some("<p>Line one.</p>\n<p>Line &lt;two&gt;.</p>")
    );
    let y = &feed.items[1];
    assert_eq!(y.url, "https://elsewhere.example/y");
    assert_eq!(y.authors, vec!["Desk".to_string()], "the feed's authors");
    assert_eq!(y.published.as_deref(), Some("2024-07-01"));
    assert_eq!(feed.skipped.len(), 2, "{:?}", feed.skipped);
}

#[test]
fn rss_1_0_rdf() {
    let xml = br#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://rdf.example/">
    <title>RDF Site</title>
    <link>https://rdf.example/</link>
    <items><rdf:Seq><rdf:li rdf:resource="https://rdf.example/1"/></rdf:Seq></items>
  </channel>
  <item rdf:about="https://rdf.example/1">
    <title>First</title>
    <link>https://rdf.example/1</link>
    <dc:date>2002-09-01T10:00:00+09:00</dc:date>
    <dc:creator>Rdf Writer</dc:creator>
    <description>One</description>
  </item>
  <item rdf:about="https://rdf.example/2">
    <title>Link from rdf:about</title>
  </item>
</rdf:RDF>"#;
    assert!(looks_like_feed(xml));
    let feed = parse(xml, "https://rdf.example/index.rdf");
    assert_eq!(feed.title.as_deref(), Some("RDF Site"));
    assert_eq!(feed.items.len(), 2);
    assert_eq!(feed.items[0].url, "https://rdf.example/1");
    assert_eq!(feed.items[0].published.as_deref(), Some("2002-09-01"));
    assert_eq!(feed.items[0].authors, vec!["Rdf Writer".to_string()]);
    assert_eq!(feed.items[0].summary_html.as_deref(), Some("One"));
    assert_eq!(feed.items[1].url, "https://rdf.example/2");
    assert_eq!(feed.items[1].id.as_deref(), Some("https://rdf.example/2"));
}

#[test]
fn feedburner_orig_link_and_undeclared_prefix() {
    let xml = br#"<rss version="2.0" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"><channel>
<item><title>FB</title><link>http://feedproxy.example/~r/x/1</link><feedburner:origLink>https://real.example/1</feedburner:origLink>
<dc:creator>Undeclared Prefix</dc:creator></item></channel></rss>"#;
    let feed = parse(xml, "http://feeds.example/x");
    assert_eq!(feed.items[0].url, "https://real.example/1");
    assert_eq!(feed.items[0].authors, vec!["Undeclared Prefix".to_string()]);
}

#[test]
fn encodings_declared_in_the_xml() {
    let mut xml = b"<?xml version=\"1.0\" encoding=\"windows-1252\"?><rss><channel><title>Caf\xe9 \x93quoted\x94</title>"
        .to_vec();
    xml.extend_from_slice(
        b"<item><title>\xc0 la une</title><link>http://w.example/a</link></item></channel></rss>",
    );
    let feed = parse(&xml, "http://w.example/");
    assert_eq!(feed.title.as_deref(), Some("Café “quoted”"));
    assert_eq!(feed.items[0].title.as_deref(), Some("À la une"));
}

#[test]
fn clear_errors_for_what_is_not_a_feed() {
    let html = common::read_shared(&format!("html/pages/{}", common::page_names(1)[0]));
    assert!(!looks_like_feed(&html));
    match parse_feed(&html, Some("http://x.example/")) {
        // This real page (zeit.de) announces its feed, and the error says so.
        Err(FeedError::NotAFeed(why)) => {
            assert_eq!(
                why,
                "an HTML page; it links to the feed https://newsfeed.zeit.de/index"
            )
        }
        other => panic!("{other:?}"),
    }
    let cases: [(&[u8], &str); 6] = [
        (b"", "not a feed (the body is empty)"),
        (b"   \n", "not a feed (the body is empty)"),
        (b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>", "not a feed (the root element is <svg> in namespace http://www.w3.org/2000/svg, not <rss>, <feed> or <rdf:RDF>)"),
        (b"{\"items\": []}", "not a feed (a JSON document without a JSON Feed \"version\")"),
        (b"[1, 2]", "not a feed (neither XML nor JSON: starts with \"[1, 2]\")"),
        (b"Hello", "not a feed (neither XML nor JSON: starts with \"Hello\")"),
    ];
    for (bytes, want) in cases {
        let got = parse_feed(bytes, None).err().map(|e| e.to_string());
        assert_eq!(got.as_deref(), Some(want));
    }
}

#[test]
fn malformed_xml_is_an_error_with_a_position() {
    let bad: [&[u8]; 5] = [
        b"<rss><channel><title>x</channel></rss>",
        b"<rss><channel><item><title>x</title>",
        b"<?xml version=\"1.0\"?>\n<rss>\n<channel>\n<item attr=\"x>\n",
        b"<rss><channel></channel></rss",
        b"<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><title>a</entry></feed>",
    ];
    for bytes in bad {
        match parse_feed(bytes, None) {
            Err(FeedError::Xml {
                line,
                column,
                message,
            }) => {
                assert!(line >= 1 && column >= 1 && !message.is_empty());
            }
            other => panic!("{:?}: {other:?}", String::from_utf8_lossy(bytes)),
        }
    }
    let msg = parse_feed(b"<rss>\n<channel><title>x</channel></rss>", None)
        .err()
        .map(|e| e.to_string());
    assert!(
        msg.as_deref()
            .is_some_and(|m| m.starts_with("malformed feed XML at line 2, column ")),
        "{msg:?}"
    );
    let msg = parse_feed(
        b"{\"version\": \"https://jsonfeed.org/version/1\", \"items\": [",
        None,
    )
    .err();
    assert!(
        matches!(msg, Some(FeedError::Json { line: 1, .. })),
        "{msg:?}"
    );
    // Trailing bytes after the root element are ignored.
    assert!(parse_feed(b"<rss><channel/></rss>\n<!-- generated -->garbage", None).is_ok());
}

#[test]
fn deep_nesting_is_not_a_stack_overflow() {
    // quick-xml refuses more than 65535 levels (an error, not a crash); below
    // that, levels past MAX_DEPTH are checked and dropped.
    let depth = 60_000;
    let mut xml =
        String::from("<rss><channel><item><link>http://deep.example/</link><description>");
    xml.push_str(&"<a>".repeat(depth));
    xml.push_str(&"</a>".repeat(depth));
    xml.push_str("</description></item></channel></rss>");
    let feed = parse_feed(xml.as_bytes(), None).expect("deep feed");
    assert_eq!(feed.items.len(), 1);
    assert!(MAX_DEPTH < depth);
    let mut unclosed = String::from("<rss>");
    unclosed.push_str(&"<a>".repeat(depth));
    assert!(parse_feed(unclosed.as_bytes(), None).is_err());
    let mut deeper = String::from("<rss>");
    deeper.push_str(&"<a>".repeat(200_000));
    deeper.push_str(&"</a>".repeat(200_000));
    deeper.push_str("</rss>");
    assert!(matches!(
        parse_feed(deeper.as_bytes(), None),
        Err(FeedError::Xml { .. })
    ));
}

/// xorshift64*: a fixed sequence for a fixed seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const TOKENS: [&[u8]; 22] = [
    b"<",
    b">",
    b"</",
    b"/>",
    b"&",
    b"&amp;",
    b"&#",
    b"&#x110000;",
    b"&nbsp;",
    b"<![CDATA[",
    b"]]>",
    b"<!--",
    b"-->",
    b"\"",
    b"'",
    b"xml:base=\"::\"",
    b"<item>",
    b"</item>",
    b"<entry>",
    b"{",
    b"\"version\":",
    b"\xff\xfe",
];

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(out.len() + 1);
        match rng.below(6) {
            0 if !out.is_empty() => {
                let i = at.min(out.len() - 1);
                out[i] = (rng.next() & 0xff) as u8;
            }
            1 if !out.is_empty() => {
                let end = (at + 1 + rng.below(64)).min(out.len());
                out.drain(at.min(end)..end);
            }
            2 => {
                let t = TOKENS[rng.below(TOKENS.len())];
                out.splice(at..at, t.iter().copied());
            }
            3 => out.truncate(at),
            4 if !out.is_empty() => {
                let start = rng.below(out.len());
                let end = (start + 1 + rng.below(200)).min(out.len());
                let piece = out[start..end].to_vec();
                out.splice(at..at, piece);
            }
            _ => {
                let t = TOKENS[rng.below(TOKENS.len())];
                out.extend_from_slice(t);
            }
        }
    }
    out
}

#[test]
fn mutated_feeds_never_panic() {
    let mut seeds: Vec<Vec<u8>> = ["feeds/feed1.atom", "feeds/feed2.rss", "feeds/feed.json"]
        .iter()
        .map(|p| read_shared(p))
        .collect();
    seeds.push(
        br#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><item rdf:about="http://r.example/1"><title>x</title></item></rdf:RDF>"#
            .to_vec(),
    );
    seeds.push(br#"<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://a.example/"><entry><link href="x"/><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>a</p></div></content></entry></feed>"#.to_vec());
    seeds.push(
        br#"<!DOCTYPE html><html><head><link rel="alternate" type="application/rss+xml" href="/f.xml"><link rel=alternate type='application/atom+xml' href=a></head></html>"#
            .to_vec(),
    );
    let seed: u64 = std::env::var("FEEDS_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_f00d_feed_0001);
    let rounds: usize = std::env::var("FEEDS_FUZZ_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    let mut rng = Rng(seed);
    let mut parsed = 0;
    let mut failed = 0;
    for round in 0..rounds {
        let seed = &seeds[round % seeds.len()];
        let bytes = mutate(&mut rng, seed);
        let _ = looks_like_feed(&bytes);
        match parse_feed(&bytes, Some("http://fuzz.example/feed")) {
            Ok(feed) => {
                parsed += 1;
                for item in &feed.items {
                    assert!(
                        item.url.starts_with("http://") || item.url.starts_with("https://"),
                        "{}",
                        item.url
                    );
                }
            }
            Err(e) => {
                failed += 1;
                assert!(!e.to_string().is_empty());
            }
        }
    }
    // Both outcomes are exercised.
    assert!(
        parsed > 100 && failed > 100,
        "parsed {parsed}, failed {failed}"
    );
}

#[test]
fn real_html_pages_are_not_feeds() {
    // Every 5th of the real pages in ../shared/data/html/pages: never a feed,
    // never a panic; many announce their feeds.
    let names = common::page_names(usize::MAX);
    let mut announcing = 0;
    let mut checked = 0;
    for name in names.iter().step_by(5) {
        let bytes = read_shared(&format!("html/pages/{name}"));
        assert!(!looks_like_feed(&bytes), "{name}");
        match parse_feed(&bytes, Some("https://site.example/a/b.html")) {
            Err(FeedError::NotAFeed(why)) => {
                if why.contains("it links to the feed") {
                    announcing += 1;
                }
            }
            // Pages that are XHTML with an odd root, or broken, are fine too.
            Err(_) => {}
            Ok(feed) => panic!("{name} parsed as a feed: {:?}", feed.title),
        }
        for url in onrecord_feeds::discover_feeds(&bytes, Some("https://site.example/a/b.html")) {
            assert!(
                url.starts_with("http://") || url.starts_with("https://"),
                "{name}: {url}"
            );
        }
        checked += 1;
    }
    assert!(checked > 50, "{checked}");
    assert!(
        announcing > 10,
        "{announcing} of {checked} pages announce a feed"
    );
    eprintln!("{announcing} of {checked} pages announce a feed");
}
