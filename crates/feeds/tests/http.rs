//! The fetcher and the poller against a local server (127.0.0.1, port 0):
//! the real fixture feeds pointing at real pages, conditional requests,
//! timeouts, retries, redirects, rate limits, concurrency, failures.

mod common;

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{fetcher, page_names, read_shared, test_config, Reply, Req, Server};
use onrecord_feeds::{
    FetchError, FetchLog, Fetched, MemoryLog, PollConfig, PollEvent, Poller, Validators,
};

/// Runs a poll to the end, recording every event in `log` as it comes.
fn poll(
    f: &onrecord_feeds::Fetcher,
    log: &MemoryLog,
    feeds: &[String],
    cfg: PollConfig,
) -> Vec<PollEvent> {
    let mut events = Vec::new();
    for event in Poller::with_config(f, log, feeds.iter().cloned(), cfg) {
        log.record(&event);
        events.push(event);
    }
    events
}

/// One line per event, for order assertions.
fn describe(events: &[PollEvent]) -> Vec<String> {
    events
        .iter()
        .map(|e| match e {
            PollEvent::Feed {
                url,
                fetched: Fetched::Modified(_),
                new_items,
                ..
            } => format!("feed {url} new {new_items}"),
            PollEvent::Feed {
                url,
                fetched: Fetched::NotModified,
                ..
            } => format!("feed {url} not modified"),
            PollEvent::Page { item, .. } => format!("page {}", item.url),
            PollEvent::Error { error, .. } => format!("error {error}"),
            PollEvent::FeedDone { url, validators } => {
                format!("done {url} {}", validators.is_some())
            }
        })
        .collect()
}

fn pages_of(events: &[PollEvent]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            PollEvent::Page { item, .. } => Some(item.url.clone()),
            _ => None,
        })
        .collect()
}

fn etag_of(body: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in body {
        h = (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3);
    }
    format!("\"{h:016x}\"")
}

/// The three fixture feeds, their item links pointing at pages of this server.
#[derive(Clone)]
struct FixtureSite {
    feeds: Vec<(String, Vec<u8>, &'static str)>,
    /// Item URL → page file name, in feed order.
    pages: Vec<(String, String)>,
}

fn fixture_site(base: &str) -> FixtureSite {
    let json: serde_json::Value =
        serde_json::from_slice(&read_shared("feeds/feed.json")).expect("feed.json");
    let json_items = json["items"].as_array().map_or(0, Vec::len);
    let names = page_names(3 + json_items);
    assert_eq!(
        names.len(),
        3 + json_items,
        "not enough pages in ../shared/data/html/pages"
    );
    let mut pages = Vec::new();
    let mut next = names.iter();
    let mut link = |pages: &mut Vec<(String, String)>| {
        let name = next.next().cloned().unwrap_or_default();
        let url = format!("{base}/pages/{name}");
        pages.push((url.clone(), name));
        url
    };
    let atom = String::from_utf8(read_shared("feeds/feed1.atom"))
        .expect("utf-8")
        .replace("http://example.org/2003/12/13/atom03", &link(&mut pages))
        .replace("http://example.org/1000", &link(&mut pages));
    let rss = String::from_utf8(read_shared("feeds/feed2.rss"))
        .expect("utf-8")
        .replace("http://www.example.com/blog/post/1", &link(&mut pages));
    let mut json = json;
    if let Some(items) = json["items"].as_array_mut() {
        for item in items {
            item["url"] = serde_json::Value::String(link(&mut pages));
        }
    }
    let json = serde_json::to_vec(&json).expect("json");
    FixtureSite {
        feeds: vec![
            (
                "/feeds/feed1.atom".into(),
                atom.into_bytes(),
                "application/atom+xml",
            ),
            (
                "/feeds/feed2.rss".into(),
                rss.into_bytes(),
                "application/rss+xml",
            ),
            ("/feeds/feed.json".into(), json, "application/feed+json"),
        ],
        pages,
    }
}

fn serve_page(req: &Req) -> Option<Reply> {
    let name = req.path.strip_prefix("/pages/")?;
    if name.contains('/') || name.contains("..") {
        return Some(Reply::status(404));
    }
    let body = std::fs::read(common::shared("html/pages").join(name)).ok()?;
    Some(Reply::ok("text/html; charset=utf-8", body))
}

/// A server for the fixture site; `validator` is "etag" or "last-modified".
fn fixture_server(validator: &'static str) -> (Server, Arc<FixtureSite>) {
    let site: Arc<std::sync::OnceLock<FixtureSite>> = Arc::new(std::sync::OnceLock::new());
    let inner = Arc::clone(&site);
    let server = Server::start(move |req| {
        if let Some(page) = serve_page(req) {
            return page;
        }
        let Some(site) = inner.get() else {
            return Reply::status(503);
        };
        let Some((_, body, ct)) = site.feeds.iter().find(|(p, _, _)| *p == req.path) else {
            return Reply::status(404);
        };
        if validator == "etag" {
            let tag = etag_of(body);
            if req.header("If-None-Match") == Some(tag.as_str()) {
                return Reply::Full {
                    status: 304,
                    headers: vec![("ETag".into(), tag)],
                    body: vec![],
                };
            }
            Reply::ok(ct, body.clone()).with_header("ETag", &tag)
        } else {
            let lm = "Tue, 15 Nov 1994 08:12:31 GMT";
            if req.header("If-Modified-Since") == Some(lm) {
                return Reply::Full {
                    status: 304,
                    headers: vec![],
                    body: vec![],
                };
            }
            Reply::ok(ct, body.clone()).with_header("Last-Modified", lm)
        }
    });
    let built = fixture_site(&format!("http://{}", server.addr));
    let _ = site.set(built.clone());
    (server, Arc::new(built))
}

#[test]
fn fixture_feeds_then_pages_then_not_modified_by_etag() {
    let (server, site) = fixture_server("etag");
    let (f, _clock) = fetcher(test_config());
    let log = MemoryLog::new();
    let feeds: Vec<String> = site.feeds.iter().map(|(p, _, _)| server.url(p)).collect();

    let events = poll(&f, &log, &feeds, PollConfig::default());
    let mut want = Vec::new();
    let mut pages = site.pages.iter();
    for (feed, n) in feeds.iter().zip([2, 1, site.pages.len() - 3]) {
        want.push(format!("feed {feed} new {n}"));
        for _ in 0..n {
            want.push(format!(
                "page {}",
                pages.next().map(|p| p.0.clone()).unwrap_or_default()
            ));
        }
        want.push(format!("done {feed} true"));
    }
    assert_eq!(describe(&events), want);
    // Each page is the file, byte for byte, with its metadata.
    for event in &events {
        match event {
            PollEvent::Page {
                item,
                response,
                feed,
            } => {
                let name = site
                    .pages
                    .iter()
                    .find(|(u, _)| *u == item.url)
                    .map(|p| p.1.clone())
                    .unwrap_or_default();
                assert_eq!(
                    response.body,
                    read_shared(&format!("html/pages/{name}")),
                    "{name}"
                );
                assert_eq!(response.url, item.url);
                assert_eq!(response.status, 200);
                assert!(response.is_html());
                assert!(response.fetched_at.ends_with('Z') && response.fetched_at.len() == 20);
                assert!(feeds.contains(feed));
            }
            PollEvent::Feed {
                fetched: Fetched::Modified(r),
                title,
                ..
            } => {
                assert!(r.validators.etag.is_some());
                assert!(title.is_some());
            }
            _ => {}
        }
    }
    assert_eq!(log.pages(), site.pages.len());
    let page_requests = server
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/pages/"))
        .count();
    assert_eq!(page_requests, site.pages.len());

    // Second poll: every feed answers 304 to its ETag; no page is fetched.
    let again = poll(&f, &log, &feeds, PollConfig::default());
    let want: Vec<String> = feeds
        .iter()
        .flat_map(|u| [format!("feed {u} not modified"), format!("done {u} false")])
        .collect();
    assert_eq!(describe(&again), want);
    let requests = server.requests();
    assert_eq!(
        requests
            .iter()
            .filter(|r| r.path.starts_with("/pages/"))
            .count(),
        site.pages.len()
    );
    for (path, body, _) in &site.feeds {
        let last = requests
            .iter()
            .rev()
            .find(|r| r.path == *path)
            .expect("feed requested");
        assert_eq!(last.header("If-None-Match"), Some(etag_of(body).as_str()));
    }
}

#[test]
fn not_modified_by_last_modified() {
    let (server, site) = fixture_server("last-modified");
    let (f, _clock) = fetcher(test_config());
    let log = MemoryLog::new();
    let feeds = vec![server.url(&site.feeds[1].0)];
    let first = poll(&f, &log, &feeds, PollConfig::default());
    assert_eq!(pages_of(&first).len(), 1);
    assert_eq!(
        log.validators(&feeds[0]),
        Some(Validators {
            etag: None,
            last_modified: Some("Tue, 15 Nov 1994 08:12:31 GMT".into())
        })
    );
    let second = poll(&f, &log, &feeds, PollConfig::default());
    assert!(
        matches!(
            second[0],
            PollEvent::Feed {
                fetched: Fetched::NotModified,
                ..
            }
        ),
        "{:?}",
        describe(&second)
    );
    assert!(pages_of(&second).is_empty());
    let last = server
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.path == site.feeds[1].0)
        .expect("request");
    assert_eq!(
        last.header("If-Modified-Since"),
        Some("Tue, 15 Nov 1994 08:12:31 GMT")
    );
    assert_eq!(last.header("If-None-Match"), None);
}

fn rss_of(links: &[String]) -> Vec<u8> {
    let mut xml =
        String::from("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Test</title>");
    for (i, l) in links.iter().enumerate() {
        xml.push_str(&format!(
            "<item><title>Item {i}</title><link>{l}</link><description>d{i}</description></item>"
        ));
    }
    xml.push_str("</channel></rss>");
    xml.into_bytes()
}

#[test]
fn a_changed_feed_with_known_items_fetches_no_page() {
    let version = Arc::new(AtomicUsize::new(0));
    let v = Arc::clone(&version);
    let server = Server::start(move |req| {
        if req.path == "/feed" {
            let host = req.header("Host").unwrap_or("").to_string();
            let n = v.load(Ordering::SeqCst);
            // The feed changes (new ETag) but lists the same two items.
            let links = [format!("http://{host}/a"), format!("http://{host}/b")];
            Reply::ok("application/rss+xml", rss_of(&links))
                .with_header("ETag", &format!("\"v{n}\""))
        } else {
            Reply::ok(
                "text/html",
                format!("<html><body>{}</body></html>", req.path),
            )
        }
    });
    let (f, _clock) = fetcher(test_config());
    let log = MemoryLog::new();
    let feeds = vec![server.url("/feed")];
    assert_eq!(
        pages_of(&poll(&f, &log, &feeds, PollConfig::default())).len(),
        2
    );
    version.store(1, Ordering::SeqCst);
    let second = poll(&f, &log, &feeds, PollConfig::default());
    assert_eq!(
        describe(&second),
        vec![
            format!("feed {} new 0", feeds[0]),
            format!("done {} true", feeds[0])
        ]
    );
    assert_eq!(
        log.validators(&feeds[0]).and_then(|v| v.etag),
        Some("\"v1\"".into())
    );
    assert_eq!(server.count("/a") + server.count("/b"), 2);
}

#[test]
fn a_feed_that_never_answers_times_out_and_the_poll_goes_on() {
    let server = Server::start(|req| match req.path.as_str() {
        "/silent" => Reply::Hang,
        "/feed" => Reply::ok("application/rss+xml", rss_of(&[])),
        _ => Reply::status(404),
    });
    let cfg = onrecord_feeds::FetchConfig {
        timeout: Duration::from_millis(300),
        retries: 1,
        ..test_config()
    };
    let (f, clock) = fetcher(cfg);
    let log = MemoryLog::new();
    let feeds = vec![server.url("/silent"), server.url("/feed")];
    let start = Instant::now();
    let events = poll(&f, &log, &feeds, PollConfig::default());
    assert!(
        start.elapsed() >= Duration::from_millis(600),
        "two attempts of 300 ms"
    );
    let lines = describe(&events);
    assert_eq!(
        lines[0],
        format!(
            "error {}: timed out after 0.3 s (after 2 attempts)",
            feeds[0]
        )
    );
    assert_eq!(
        lines[1..],
        [
            format!("feed {} new 0", feeds[1]),
            format!("done {} true", feeds[1])
        ]
    );
    assert!(matches!(
        &events[0],
        PollEvent::Error {
            error: FetchError::Timeout { attempts: 2, .. },
            feed: None,
            ..
        }
    ));
    // The server logs a request once it has read it: give it a moment.
    let waited = Instant::now();
    while server.count("/silent") < 2 && waited.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(server.count("/silent"), 2);
    assert_eq!(
        clock.sleeps(),
        vec![Duration::from_millis(500)],
        "one backoff before the retry"
    );
}

#[test]
fn a_page_that_trickles_times_out() {
    let server = Server::start(|_| Reply::Trickle {
        every: Duration::from_millis(50),
    });
    let cfg = onrecord_feeds::FetchConfig {
        timeout: Duration::from_millis(400),
        retries: 0,
        ..test_config()
    };
    let (f, _clock) = fetcher(cfg);
    let start = Instant::now();
    let err = f.get(&server.url("/slow"), None).expect_err("a timeout");
    assert!(start.elapsed() >= Duration::from_millis(400));
    assert!(matches!(err, FetchError::Timeout { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        format!("{}: timed out after 0.4 s", server.url("/slow"))
    );
}

#[test]
fn retries_503_twice_then_succeeds() {
    let calls = Arc::new(AtomicUsize::new(0));
    let c = Arc::clone(&calls);
    let server = Server::start(move |_| {
        if c.fetch_add(1, Ordering::SeqCst) < 2 {
            Reply::status(503)
        } else {
            Reply::ok("text/html", "<html>ok</html>")
        }
    });
    let (f, clock) = fetcher(test_config());
    let got = f
        .get(&server.url("/flaky"), None)
        .expect("success after retries");
    let Fetched::Modified(r) = got else {
        panic!("not modified?")
    };
    assert_eq!(r.body, b"<html>ok</html>");
    assert_eq!(r.attempts, 3);
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    assert_eq!(
        clock.sleeps(),
        vec![Duration::from_millis(500), Duration::from_millis(1000)],
        "doubling backoff"
    );
}

#[test]
fn gives_up_on_5xx_after_the_retries() {
    let server = Server::start(|_| Reply::status(500));
    let cfg = onrecord_feeds::FetchConfig {
        retries: 2,
        ..test_config()
    };
    let (f, clock) = fetcher(cfg);
    let err = f.get(&server.url("/down"), None).expect_err("error");
    assert_eq!(
        err.to_string(),
        format!(
            "{}: HTTP 500 Internal Server Error (after 3 attempts)",
            server.url("/down")
        )
    );
    assert_eq!(server.count("/down"), 3);
    assert_eq!(clock.sleeps().len(), 2);
}

#[test]
fn not_found_is_not_retried() {
    let server = Server::start(|_| Reply::status(404));
    let (f, clock) = fetcher(test_config());
    let err = f.get(&server.url("/missing"), None).expect_err("error");
    assert_eq!(
        err.to_string(),
        format!("{}: HTTP 404 Not Found", server.url("/missing"))
    );
    assert_eq!(err.status(), Some(404));
    assert!(!err.is_transient());
    assert_eq!(server.count("/missing"), 1);
    assert!(clock.sleeps().is_empty());
}

#[test]
fn too_many_requests_honours_retry_after() {
    let calls = Arc::new(AtomicUsize::new(0));
    let c = Arc::clone(&calls);
    let server = Server::start(move |req| match req.path.as_str() {
        "/busy" if c.fetch_add(1, Ordering::SeqCst) == 0 => {
            Reply::status(429).with_header("Retry-After", "7")
        }
        "/busy" => Reply::ok("text/html", "fine"),
        _ => Reply::status(429).with_header("Retry-After", "3600"),
    });
    let (f, clock) = fetcher(test_config());
    assert!(matches!(
        f.get(&server.url("/busy"), None),
        Ok(Fetched::Modified(_))
    ));
    assert_eq!(
        clock.sleeps(),
        vec![Duration::from_secs(7)],
        "Retry-After, longer than the backoff"
    );
    // Asked to wait longer than max_retry_after: no retry, and the message says why.
    let err = f.get(&server.url("/later"), None).expect_err("error");
    assert_eq!(
        err.to_string(),
        format!(
            "{}: HTTP 429 Too Many Requests (asks to retry after 3600 s, more than allowed)",
            server.url("/later")
        )
    );
    assert_eq!(server.count("/later"), 1);
}

#[test]
fn follows_a_redirect_and_reports_the_final_url() {
    let server = Server::start(|req| match req.path.as_str() {
        "/old" => Reply::status(301).with_header("Location", "/new?x=1"),
        "/new" | "/new?x=1" => Reply::ok("text/html", "moved here"),
        _ => Reply::status(404),
    });
    let (f, _clock) = fetcher(test_config());
    let Ok(Fetched::Modified(r)) = f.get(&server.url("/old"), None) else {
        panic!("redirect not followed")
    };
    assert_eq!(r.url, server.url("/new?x=1"));
    assert_eq!(r.requested, server.url("/old"));
    assert_eq!(r.body, b"moved here");
}

#[test]
fn a_redirect_loop_is_an_error() {
    let server = Server::start(|req| match req.path.as_str() {
        "/a" => Reply::status(302).with_header("Location", "/b"),
        _ => Reply::status(302).with_header("Location", "/a"),
    });
    let cfg = onrecord_feeds::FetchConfig {
        max_redirects: 5,
        ..test_config()
    };
    let (f, _clock) = fetcher(cfg);
    let err = f.get(&server.url("/a"), None).expect_err("error");
    assert!(
        matches!(err, FetchError::TooManyRedirects { max: 5, .. }),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        format!(
            "{}: more than 5 redirects (a redirect loop?)",
            server.url("/a")
        )
    );
    let hops = server.count("/a") + server.count("/b");
    assert!((5..=7).contains(&hops), "{hops} requests");
}

#[test]
fn connection_refused_is_retried_then_reported() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port");
    let url = format!("http://127.0.0.1:{port}/feed");
    let cfg = onrecord_feeds::FetchConfig {
        retries: 1,
        ..test_config()
    };
    let (f, clock) = fetcher(cfg);
    let err = f.get(&url, None).expect_err("error");
    assert_eq!(
        err.to_string(),
        format!("{url}: connection refused (after 2 attempts)")
    );
    assert_eq!(clock.sleeps().len(), 1);
}

#[test]
fn gzip_and_deflate_bodies_are_decoded() {
    let text = "<html><body>".to_string() + &"compressible words ".repeat(500) + "</body></html>";
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(text.as_bytes()).expect("gzip");
    let gz = gz.finish().expect("gzip");
    let mut zl = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    zl.write_all(text.as_bytes()).expect("zlib");
    let zl = zl.finish().expect("zlib");
    let server = Server::start(move |req| {
        let (enc, body) = if req.path == "/gz" {
            ("gzip", gz.clone())
        } else {
            ("deflate", zl.clone())
        };
        Reply::ok("text/html", body).with_header("Content-Encoding", enc)
    });
    let (f, _clock) = fetcher(test_config());
    for path in ["/gz", "/deflate"] {
        let Ok(Fetched::Modified(r)) = f.get(&server.url(path), None) else {
            panic!("{path}")
        };
        assert_eq!(r.body, text.as_bytes(), "{path}");
    }
    let accept = server.requests()[0]
        .header("Accept-Encoding")
        .unwrap_or("")
        .to_string();
    assert!(
        accept.contains("gzip") && accept.contains("deflate"),
        "{accept}"
    );
}

#[test]
fn per_host_rate_limit_across_items() {
    let server = Server::start(|req| {
        if req.path == "/feed" {
            let host = req.header("Host").unwrap_or("").to_string();
            let links: Vec<String> = (1..=3).map(|i| format!("http://{host}/item{i}")).collect();
            Reply::ok("application/rss+xml", rss_of(&links))
        } else {
            Reply::ok("text/html", "<html>page</html>")
        }
    });
    let cfg = onrecord_feeds::FetchConfig {
        per_host_interval: Duration::from_secs(10),
        ..test_config()
    };
    let (f, clock) = fetcher(cfg);
    let log = MemoryLog::new();
    let events = poll(&f, &log, &[server.url("/feed")], PollConfig::default());
    assert_eq!(pages_of(&events).len(), 3);
    // The feed at t=0, then each page 10 s after the request before it.
    assert_eq!(clock.sleeps(), vec![Duration::from_secs(10); 3]);
    assert_eq!(clock.slept(), Duration::from_secs(30));
}

#[test]
fn pages_of_different_hosts_in_parallel_events_in_feed_order() {
    let slow_a = |req: &Req| {
        if req.path.starts_with("/a") {
            std::thread::sleep(Duration::from_millis(300));
        }
        Reply::ok("text/html", format!("<html>{}</html>", req.path))
    };
    let a = Server::start(slow_a);
    let Some(b) = Server::start_on("127.0.0.2", |req| {
        Reply::ok("text/html", format!("<html>{}</html>", req.path))
    }) else {
        eprintln!("SKIP: 127.0.0.2 cannot be bound here");
        return;
    };
    let links = vec![
        a.url("/a1"),
        b.url("/b1"),
        a.url("/a2"),
        b.url("/b2"),
        b.url("/b3"),
    ];
    let feed_body = rss_of(&links);
    let feed_server = Server::start(move |_| Reply::ok("application/rss+xml", feed_body.clone()));
    let feeds = vec![feed_server.url("/feed")];
    let mut orders = Vec::new();
    for workers in [1, 4] {
        let (f, _clock) = fetcher(test_config());
        let log = MemoryLog::new();
        let events = poll(
            &f,
            &log,
            &feeds,
            PollConfig {
                workers,
                ..PollConfig::default()
            },
        );
        for e in &events {
            if let PollEvent::Page { item, response, .. } = e {
                let path = item.url.rsplit('/').next().unwrap_or("");
                assert_eq!(response.body, format!("<html>/{path}</html>").into_bytes());
            }
        }
        orders.push(describe(&events));
    }
    assert_eq!(
        orders[0], orders[1],
        "the same events in the same order with 1 or 4 workers"
    );
    assert_eq!(pages_of_lines(&orders[1]), links);
}

fn pages_of_lines(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter_map(|l| l.strip_prefix("page ").map(str::to_string))
        .collect()
}

#[test]
fn feed_url_that_is_not_a_feed_is_a_clear_error() {
    let server = Server::start(|req| match req.path.as_str() {
        "/home" => Reply::ok(
            "text/html",
            "<!DOCTYPE html><html><head><title>Home</title></head></html>",
        ),
        _ => Reply::ok("application/rss+xml", rss_of(&[])),
    });
    let (f, _clock) = fetcher(test_config());
    let log = MemoryLog::new();
    let feeds = vec![server.url("/home"), server.url("/feed")];
    let lines = describe(&poll(&f, &log, &feeds, PollConfig::default()));
    assert_eq!(
        lines[0],
        format!("error {}: not a feed (an HTML page)", feeds[0])
    );
    // A home page that announces its feed says which.
    let site = Server::start(|req| match req.path.as_str() {
        "/" => Reply::ok(
            "text/html",
            r#"<html><head><link rel="alternate" type="application/rss+xml" href="/rss"></head></html>"#,
        ),
        _ => Reply::ok("application/rss+xml", rss_of(&[])),
    });
    let err = f
        .get(&site.url("/"), None)
        .ok()
        .and_then(|fetched| match fetched {
            Fetched::Modified(r) => onrecord_feeds::parse_feed(&r.body, Some(&r.url)).err(),
            Fetched::NotModified => None,
        });
    assert_eq!(
        err.map(|e| e.to_string()),
        Some(format!(
            "not a feed (an HTML page; it links to the feed {})",
            site.url("/rss")
        ))
    );
    assert_eq!(lines[1], format!("feed {} new 0", feeds[1]));
}

#[test]
fn a_page_that_is_not_html_still_comes_back() {
    let server = Server::start(|req| match req.path.as_str() {
        "/feed" => {
            let host = req.header("Host").unwrap_or("").to_string();
            Reply::ok(
                "application/rss+xml",
                rss_of(&[format!("http://{host}/report.pdf")]),
            )
        }
        _ => Reply::ok("application/pdf", "%PDF-1.4 ..."),
    });
    let (f, _clock) = fetcher(test_config());
    let log = MemoryLog::new();
    let events = poll(&f, &log, &[server.url("/feed")], PollConfig::default());
    let page = events.iter().find_map(|e| match e {
        PollEvent::Page { response, .. } => Some(response),
        _ => None,
    });
    let page = page.expect("the PDF comes back as a page");
    assert_eq!(page.media_type().as_deref(), Some("application/pdf"));
    assert!(!page.is_html());
}

#[test]
fn failing_pages_are_given_up_after_max_failures() {
    let server = Server::start(|req| match req.path.as_str() {
        "/feed" => {
            let host = req.header("Host").unwrap_or("").to_string();
            Reply::ok(
                "application/rss+xml",
                rss_of(&[format!("http://{host}/gone"), format!("http://{host}/ok")]),
            )
        }
        "/gone" => Reply::status(410),
        _ => Reply::ok("text/html", "<html>ok</html>"),
    });
    let (f, _clock) = fetcher(test_config());
    let log = MemoryLog::new();
    let feeds = vec![server.url("/feed")];
    let cfg = PollConfig {
        max_failures: 2,
        ..PollConfig::default()
    };
    let gone = server.url("/gone");

    let first = poll(&f, &log, &feeds, cfg.clone());
    let err = first
        .iter()
        .find(|e| matches!(e, PollEvent::Error { .. }))
        .expect("an error");
    let PollEvent::Error {
        url,
        feed,
        item,
        given_up,
        ..
    } = err
    else {
        unreachable!()
    };
    assert_eq!(
        (url, feed.as_ref(), *given_up),
        (&gone, Some(&feeds[0]), false)
    );
    assert_eq!(
        item.as_ref()
            .and_then(|i| i.summary_html.clone())
            .as_deref(),
        Some("d0"),
        "the summary stands in"
    );
    assert_eq!(log.failures(&gone), 1);

    let second = poll(&f, &log, &feeds, cfg.clone());
    assert!(
        second
            .iter()
            .any(|e| matches!(e, PollEvent::Error { given_up: true, .. })),
        "{:?}",
        describe(&second)
    );

    let third = poll(&f, &log, &feeds, cfg);
    assert!(
        matches!(
            third[0],
            PollEvent::Feed {
                new_items: 0,
                given_up: 1,
                items: 2,
                ..
            }
        ),
        "{:?}",
        describe(&third)
    );
    assert_eq!(server.count("/gone"), 2, "no third attempt");
    assert_eq!(server.count("/ok"), 1);
}

#[test]
fn a_killed_poll_resumes_where_it_stopped() {
    let server = Server::start(|req| {
        if req.path == "/feed" {
            let host = req.header("Host").unwrap_or("").to_string();
            let links: Vec<String> = (1..=4).map(|i| format!("http://{host}/p{i}")).collect();
            Reply::ok("application/rss+xml", rss_of(&links)).with_header("ETag", "\"same\"")
        } else {
            Reply::ok("text/html", "<html>p</html>")
        }
    });
    let (f, _clock) = fetcher(test_config());
    let log = MemoryLog::new();
    let feeds = vec![server.url("/feed")];
    // "Killed" after the second page was stored: the poller is dropped.
    {
        let mut poller = Poller::new(&f, &log, feeds.clone());
        let mut pages = 0;
        for event in poller.by_ref() {
            log.record(&event);
            if matches!(event, PollEvent::Page { .. }) {
                pages += 1;
                if pages == 2 {
                    break;
                }
            }
        }
    }
    assert_eq!(
        log.validators(&feeds[0]),
        None,
        "validators are stored only when the feed is done"
    );
    let events = poll(&f, &log, &feeds, PollConfig::default());
    let host = server.addr;
    assert_eq!(
        pages_of(&events),
        vec![format!("http://{host}/p3"), format!("http://{host}/p4")]
    );
    for p in ["/p1", "/p2", "/p3", "/p4"] {
        assert_eq!(server.count(p), 1, "{p}");
    }
    assert!(log.validators(&feeds[0]).is_some());
}

#[test]
fn an_item_in_two_feeds_is_fetched_once() {
    let server = Server::start(|req| {
        let host = req.header("Host").unwrap_or("").to_string();
        match req.path.as_str() {
            "/one" => Reply::ok(
                "application/rss+xml",
                rss_of(&[format!("http://{host}/shared")]),
            ),
            "/two" => Reply::ok(
                "application/rss+xml",
                rss_of(&[format!("http://{host}/shared#x")]),
            ),
            _ => Reply::ok("text/html", "<html>s</html>"),
        }
    });
    let (f, _clock) = fetcher(test_config());
    // A log that records nothing: the poll itself remembers what it fetched.
    let log = MemoryLog::new();
    let events: Vec<PollEvent> = Poller::new(
        &f,
        &log,
        [server.url("/one"), server.url("/two"), server.url("/one")],
    )
    .collect();
    assert_eq!(pages_of(&events).len(), 1);
    assert_eq!(server.count("/shared"), 1);
    assert_eq!(
        server.count("/one"),
        1,
        "duplicate feed URLs are polled once"
    );
}

#[test]
fn https_to_a_plain_http_server_is_a_clear_error() {
    let server = Server::start(|_| Reply::ok("text/html", "<html>plain</html>"));
    let cfg = onrecord_feeds::FetchConfig {
        retries: 0,
        timeout: Duration::from_secs(5),
        ..test_config()
    };
    let (f, _clock) = fetcher(cfg);
    let url = format!("https://{}/x", server.addr);
    let err = f.get(&url, None).expect_err("not TLS");
    let msg = err.to_string();
    assert!(msg.starts_with(&format!("{url}: ")), "{msg}");
    assert!(!matches!(err, FetchError::Timeout { .. }), "{msg}");
    eprintln!("{msg}");
}

#[test]
fn the_default_config_builds_a_fetcher() {
    let f = onrecord_feeds::Fetcher::new(onrecord_feeds::FetchConfig::default())
        .expect("default fetcher");
    assert_eq!(f.config().max_bytes, 16 * 1024 * 1024);
    assert!(onrecord_feeds::Fetcher::new(onrecord_feeds::FetchConfig {
        max_bytes: 0,
        ..Default::default()
    })
    .is_err());
    let bad = onrecord_feeds::Fetcher::new(onrecord_feeds::FetchConfig {
        user_agent: "a\nb".into(),
        ..Default::default()
    });
    assert!(matches!(bad, Err(FetchError::Config(_))));
}

#[test]
fn a_body_cut_short_is_retried_then_reported() {
    let server = Server::start(|_| {
        Reply::Raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n<html>only".to_vec())
    });
    let cfg = onrecord_feeds::FetchConfig {
        retries: 1,
        ..test_config()
    };
    let (f, _clock) = fetcher(cfg);
    let err = f.get(&server.url("/short"), None).expect_err("cut short");
    assert_eq!(
        err.to_string(),
        format!(
            "{}: the connection closed before the end of the body (after 2 attempts)",
            server.url("/short")
        )
    );
    assert_eq!(server.count("/short"), 2);
}
