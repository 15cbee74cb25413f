//! `onrecord watch` and `onrecord ingest URL`, against a local HTTP server
//! this test starts (nothing outside the machine is reached): the real feeds
//! of ../shared/data/feeds with their links pointed at real pages of
//! ../shared/data/html, conditional requests, a feed that never answers, a
//! page too large, a page given as a URL, a file of URLs, and a poll killed
//! half-way and run again.

mod common;

use common::{root, run};
use onrecord_store::Store;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the server answers on one path.
#[derive(Clone)]
enum Route {
    /// A body with a content type; an ETag: `If-None-Match` with it gives 304.
    Static {
        body: Vec<u8>,
        content_type: &'static str,
        etag: Option<String>,
        /// Seconds to wait before answering.
        delay: u64,
    },
    /// Accept, read the request, never answer.
    Hang,
    /// Declare 2 GB and stream zeros until the client hangs up.
    Huge,
}

/// A tiny HTTP/1.1 server on 127.0.0.1 (one thread per connection).
struct Server {
    addr: String,
    routes: Arc<Mutex<HashMap<String, Route>>>,
    /// (path, If-None-Match sent) of every request.
    log: Arc<Mutex<Vec<(String, bool)>>>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let routes: Arc<Mutex<HashMap<String, Route>>> = Arc::default();
        let log: Arc<Mutex<Vec<(String, bool)>>> = Arc::default();
        let (r, l) = (routes.clone(), log.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let (r, l) = (r.clone(), l.clone());
                std::thread::spawn(move || serve(conn, &r, &l));
            }
        });
        Server { addr, routes, log }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn route(&self, path: &str, route: Route) {
        self.routes.lock().unwrap().insert(path.to_string(), route);
    }

    fn page(&self, path: &str, body: Vec<u8>, content_type: &'static str) {
        self.route(
            path,
            Route::Static {
                body,
                content_type,
                etag: None,
                delay: 0,
            },
        );
    }

    fn requests(&self, path: &str) -> Vec<bool> {
        let log = self.log.lock().unwrap();
        log.iter()
            .filter(|(p, _)| p == path)
            .map(|(_, c)| *c)
            .collect()
    }
}

fn serve(
    mut conn: TcpStream,
    routes: &Mutex<HashMap<String, Route>>,
    log: &Mutex<Vec<(String, bool)>>,
) {
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut inm = None;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            if k.eq_ignore_ascii_case("if-none-match") {
                inm = Some(v.trim().to_string());
            }
        }
    }
    log.lock().unwrap().push((path.clone(), inm.is_some()));
    let route = routes.lock().unwrap().get(&path).cloned();
    let _ = match route {
        None => conn
            .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
        Some(Route::Hang) => {
            std::thread::sleep(Duration::from_secs(30));
            Ok(())
        }
        Some(Route::Huge) => {
            let _ = conn.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2147483648\r\nConnection: close\r\n\r\n",
            );
            let zeros = vec![b' '; 64 * 1024];
            while conn.write_all(&zeros).is_ok() {}
            Ok(())
        }
        Some(Route::Static {
            body,
            content_type,
            etag,
            delay,
        }) => {
            std::thread::sleep(Duration::from_secs(delay));
            if etag.is_some() && inm == etag {
                conn.write_all(b"HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n")
            } else {
                let tag = etag.map(|e| format!("ETag: {e}\r\n")).unwrap_or_default();
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n{tag}Connection: close\r\n\r\n",
                    body.len()
                );
                conn.write_all(head.as_bytes())
                    .and_then(|_| conn.write_all(&body))
            }
        }
    };
}

fn shared(rel: &str) -> PathBuf {
    root().join("../shared/data").join(rel)
}

/// Real English news pages.
const PAGES: [&str; 5] = [
    "theguardian.com.academics.html",
    "reuters.com.parasite.html",
    "bbc.com.52241221.html",
    "nytimes.com.blackouts.html",
    "edition.cnn.com-royal.html",
];

/// The `i`-th page of `html/pages`: [`PAGES`] first, then the others in
/// name order.
fn page_name(i: usize) -> String {
    static LIST: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let list = LIST.get_or_init(|| {
        let mut rest: Vec<String> = std::fs::read_dir(shared("html/pages"))
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".html") && !PAGES.contains(&n.as_str()))
            .collect();
        rest.sort();
        PAGES.iter().map(|p| p.to_string()).chain(rest).collect()
    });
    list[i % list.len()].clone()
}

/// Serves `name` (a fixture feed) with each item's link replaced by a page
/// of this server (`/FEED/N.html`, the real pages in turn); returns the
/// feed's path and its item paths.
fn serve_feed(server: &Server, name: &str, etag: Option<&str>) -> (String, Vec<String>) {
    let bytes = std::fs::read(shared(&format!("feeds/{name}"))).unwrap();
    let feed = onrecord_feeds::parse_feed(&bytes, Some("http://example.org/")).unwrap();
    let mut text = String::from_utf8(bytes).unwrap();
    let mut items = Vec::new();
    // longest links first, so one link that begins another is not cut
    let mut links: Vec<String> = feed.items.iter().map(|i| i.url.clone()).collect();
    links.sort_by_key(|l| std::cmp::Reverse(l.len()));
    let base = name.replace('.', "-");
    let offset = ["feed2.rss", "feed1.atom", "feed.json"]
        .iter()
        .position(|f| *f == name)
        .unwrap_or(0)
        * 300;
    for (n, link) in links.iter().enumerate() {
        let path = format!("/{base}/{n}.html");
        let local = server.url(&path);
        // as XML writes it, as JSON may write it, and as is
        for written in [
            link.replace('&', "&amp;"),
            link.replace('/', "\\/"),
            link.clone(),
        ] {
            text = text.replace(&written, &local);
        }
        // a page of its own for each item (the same page twice would be one
        // article and a duplicate)
        let page = std::fs::read(shared(&format!("html/pages/{}", page_name(offset + n)))).unwrap();
        server.page(&path, page, "text/html; charset=utf-8");
        items.push(path);
    }
    let path = format!("/{name}");
    server.route(
        &path,
        Route::Static {
            body: text.into_bytes(),
            content_type: "application/xml",
            etag: etag.map(str::to_string),
            delay: 0,
        },
    );
    (path, items)
}

fn have_data() -> bool {
    let ok = shared("feeds/feed2.rss").exists() && shared("html/pages").exists();
    if !ok {
        eprintln!("SKIP: ../shared/data/feeds or html missing");
    }
    ok
}

const FAST: [&str; 4] = ["--per-host-interval", "0s", "--retries", "0"];

fn watch_once(server: &Server, db: &Path, feeds: &[&str], extra: &[&str]) -> common::Run {
    let mut args: Vec<String> = vec!["watch".into()];
    args.extend(feeds.iter().map(|f| server.url(f)));
    args.extend(["--once", "--db"].map(String::from));
    args.push(db.to_string_lossy().into_owned());
    args.extend(FAST.iter().chain(extra).map(|s| s.to_string()));
    run(&args)
}

fn count(db: &Path, sql: &str) -> i64 {
    let store = Store::open_read(db).unwrap();
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn feeds_polled_pages_kept_and_ingested_then_not_modified() {
    if !have_data() {
        return;
    }
    let server = Server::start();
    let (rss, rss_items) = serve_feed(&server, "feed2.rss", Some("\"v1\""));
    let (atom, atom_items) = serve_feed(&server, "feed1.atom", Some("\"a1\""));
    let (json, json_items) = serve_feed(&server, "feed.json", None);
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("w.db");
    let r = watch_once(&server, &db, &[&rss, &atom, &json], &[]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    let n = (rss_items.len() + atom_items.len() + json_items.len()) as i64;
    assert!(n >= 3, "the fixtures have items");
    // every page was fetched once, kept raw, and became one web article
    for p in rss_items.iter().chain(&atom_items).chain(&json_items) {
        assert_eq!(server.requests(p).len(), 1, "{p}");
    }
    assert_eq!(
        count(&db, "SELECT count(*) FROM pages WHERE body IS NOT NULL"),
        n
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM articles WHERE format = 'web'"),
        n
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM pages p JOIN articles a ON a.key = p.article"
        ),
        n
    );
    let store = Store::open_read(&db).unwrap();
    let first = server.url(&rss_items[0]);
    let raw = store
        .page_body(&first)
        .unwrap()
        .expect("the raw page is kept");
    assert_eq!(
        raw,
        std::fs::read(shared(&format!("html/pages/{}", PAGES[0]))).unwrap()
    );
    let (title, url, text): (Option<String>, Option<String>, String) = store
        .conn()
        .query_row(
            "SELECT title, url, text FROM articles WHERE key = ?1",
            [&first],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert!(title.is_some_and(|t| !t.contains('<')));
    assert!(url.is_some());
    assert!(
        !text.contains("</") && !text.contains("<div"),
        "main text, no markup"
    );
    assert!(count(&db, "SELECT count(*) FROM attributions") > 0);
    assert!(
        r.stderr.contains("polled 3 feeds (0 not modified)"),
        "{}",
        r.describe()
    );

    // again: the feeds with an ETag answer 304, no page is fetched again
    let before = count(&db, "SELECT count(*) FROM articles");
    let r = watch_once(&server, &db, &[&rss, &atom, &json], &[]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    assert_eq!(server.requests(&rss), [false, true], "conditional request");
    assert_eq!(server.requests(&atom), [false, true]);
    assert!(
        r.stderr.contains("(2 not modified): 0 new pages fetched"),
        "{}",
        r.describe()
    );
    for p in rss_items.iter().chain(&atom_items).chain(&json_items) {
        assert_eq!(server.requests(p).len(), 1, "{p} fetched again");
    }
    assert_eq!(count(&db, "SELECT count(*) FROM articles"), before);
    // the record file alone holds it all once the writer is done
    let wal = tmp.path().join("w.db-wal");
    assert!(!wal.exists() || std::fs::metadata(&wal).unwrap().len() == 0);
}

#[test]
fn a_feed_that_never_answers_and_a_huge_page_do_not_stop_the_poll() {
    if !have_data() {
        return;
    }
    let server = Server::start();
    server.route("/hang.rss", Route::Hang);
    server.route("/huge.html", Route::Huge);
    let feed = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>\
         <item><title>big</title><link>{}</link></item>\
         <item><title>ok</title><link>{}</link></item></channel></rss>",
        server.url("/huge.html"),
        server.url("/ok.html")
    );
    server.page("/f.rss", feed.into_bytes(), "application/rss+xml");
    let page = std::fs::read(shared(&format!("html/pages/{}", PAGES[1]))).unwrap();
    server.page("/ok.html", page, "text/html");
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("w.db");
    let r = watch_once(
        &server,
        &db,
        &["/hang.rss", "/f.rss"],
        &["--timeout", "2s", "--max-mib", "1"],
    );
    assert_eq!(r.code, Some(2), "{}", r.describe());
    let hang = server.url("/hang.rss");
    assert!(
        r.stderr.contains(&format!("{hang}: timed out")),
        "{}",
        r.describe()
    );
    assert!(
        r.stderr.contains("larger than the 1 MiB cap"),
        "{}",
        r.describe()
    );
    // the good page of the second feed is in
    assert_eq!(count(&db, "SELECT count(*) FROM articles"), 1);
    let errors = run(&["errors", "--db", db.to_str().unwrap(), "--json"]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&errors.stdout).unwrap();
    let paths: Vec<&str> = rows.iter().filter_map(|e| e["path"].as_str()).collect();
    assert!(paths.contains(&hang.as_str()), "{paths:?}");
    assert!(
        paths.contains(&server.url("/huge.html").as_str()),
        "{paths:?}"
    );
}

#[test]
fn ingest_takes_page_urls_and_files_of_urls() {
    if !have_data() {
        return;
    }
    let server = Server::start();
    let (rss, items) = serve_feed(&server, "feed2.rss", None);
    let page = std::fs::read(shared(&format!("html/pages/{}", PAGES[3]))).unwrap();
    server.page("/single.html", page, "text/html");
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("i.db");
    let list = tmp.path().join("urls.txt");
    std::fs::write(
        &list,
        format!(
            "# my feeds\n{}\n\n{}\n",
            server.url(&rss),
            server.url("/single.html")
        ),
    )
    .unwrap();
    let mut args = vec![
        "ingest".to_string(),
        list.to_string_lossy().into_owned(),
        "--db".into(),
    ];
    args.push(db.to_string_lossy().into_owned());
    args.extend(FAST.map(String::from));
    let r = run(&args);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    assert_eq!(
        count(&db, "SELECT count(*) FROM articles"),
        items.len() as i64 + 1
    );
    // the page again: the record has it, nothing is fetched
    let fetched = server.requests("/single.html").len();
    let r = run(&args);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    assert_eq!(
        count(&db, "SELECT count(*) FROM articles"),
        items.len() as i64 + 1
    );
    assert!(
        server.requests("/single.html").len() <= fetched + 1,
        "at most the not-a-feed probe"
    );

    // a bad line in a file of URLs is an error naming the file and line
    let bad = tmp.path().join("bad.txt");
    std::fs::write(&bad, format!("{}\nnot a url\n", server.url("/single.html"))).unwrap();
    let r = run(&[
        "ingest",
        bad.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ]);
    assert_eq!(r.code, Some(2), "{}", r.describe());
    assert!(
        r.stderr.contains(&format!(
            "{}:2: \"not a url\" is not an http(s) URL",
            bad.display()
        )),
        "{}",
        r.describe()
    );
}

#[test]
fn a_poll_killed_half_way_is_completed_by_the_next() {
    if !have_data() {
        return;
    }
    let server = Server::start();
    let (rss, items) = serve_feed(&server, "feed.json", Some("\"k1\""));
    assert!(items.len() >= 3);
    // the last page answers slowly: the first run is killed while it waits
    let last = items.last().unwrap().clone();
    let body = std::fs::read(shared(&format!("html/pages/{}", PAGES[0]))).unwrap();
    server.route(
        &last,
        Route::Static {
            body: body.clone(),
            content_type: "text/html",
            etag: None,
            delay: 20,
        },
    );
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("k.db");
    let bin = env!("CARGO_BIN_EXE_onrecord");
    let mut child = std::process::Command::new(bin)
        .args([
            "watch",
            &server.url(&rss),
            "--once",
            "--db",
            db.to_str().unwrap(),
        ])
        .args(FAST)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // wait until the slow page is being fetched, then kill -9
    for _ in 0..200 {
        if !server.requests(&last).is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        !server.requests(&last).is_empty(),
        "the run got to the last page"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    // nothing of the feed's validators was kept: the next run fetches the
    // feed again and only the pages the record lacks
    server.route(
        &last,
        Route::Static {
            body,
            content_type: "text/html",
            etag: None,
            delay: 0,
        },
    );
    let r = watch_once(&server, &db, &[&rss], &[]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    assert_eq!(
        server.requests(&rss),
        [false, false],
        "the feed is fetched whole again"
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM articles"),
        items.len() as i64
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM pages WHERE article IS NOT NULL"),
        items.len() as i64
    );
    // each page is in once, whatever was fetched twice
    assert_eq!(
        count(&db, "SELECT count(DISTINCT key) FROM articles"),
        items.len() as i64
    );
    // and a third run has nothing left to do
    let r = watch_once(&server, &db, &[&rss], &[]);
    assert!(
        r.stderr.contains("(1 not modified): 0 new pages fetched"),
        "{}",
        r.describe()
    );
}
