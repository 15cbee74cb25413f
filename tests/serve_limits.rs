//! `onrecord serve` under clients that misbehave or differ: slow and idle
//! connections are closed after the header timeout, a server bound to
//! another loopback address answers to it, the `Bearer` scheme is
//! case-insensitive, and odd search strings never give a 5xx. Regression
//! tests of issue 17, named after each bug.

mod common;

use common::http::{request, scratch, Server};
use common::{root, run};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn seeds_record(name: &str) -> PathBuf {
    let db = scratch(name).join("r.db");
    let r = run(&[
        "ingest".as_ref(),
        "--db".as_ref(),
        db.as_os_str(),
        root().join("examples").as_os_str(),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    db
}

/// Seconds until the server closes `s` (reads until EOF), at most `max`.
fn closed_after(mut s: TcpStream, max: Duration) -> Option<Duration> {
    let start = Instant::now();
    s.set_read_timeout(Some(max)).unwrap();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return Some(start.elapsed()),
            Ok(_) => continue,
            Err(e)
                if e.kind() == std::io::ErrorKind::ConnectionReset
                    || e.kind() == std::io::ErrorKind::BrokenPipe =>
            {
                return Some(start.elapsed())
            }
            Err(_) => return None,
        }
    }
}

#[test]
fn slow_and_idle_clients_are_cut_off_after_the_header_timeout() {
    let db = seeds_record("limits-slow");
    let server = Server::start(&db, &["--header-timeout", "1"], &[]);
    // a client that never finishes its headers
    let mut slow = TcpStream::connect(&server.addr).unwrap();
    slow.write_all(b"GET /api/people HTTP/1.1\r\nHost: ")
        .unwrap();
    // a client that connects and says nothing
    let idle = TcpStream::connect(&server.addr).unwrap();
    // a kept-alive client that went quiet after one request
    let mut kept = TcpStream::connect(&server.addr).unwrap();
    let host = format!("Host: {}\r\n", server.addr);
    kept.write_all(format!("GET /api/people HTTP/1.1\r\n{host}\r\n").as_bytes())
        .unwrap();
    for (what, s) in [("slow", slow), ("idle", idle), ("kept alive", kept)] {
        let t = closed_after(s, Duration::from_secs(8));
        assert!(
            t.is_some_and(|t| t < Duration::from_secs(6)),
            "{what} connection still open ({t:?})"
        );
    }
    // and the server still answers
    assert_eq!(server.get("/api/people").status, 200);
}

#[test]
fn server_bound_to_another_loopback_address_answers_to_it() {
    let db = seeds_record("limits-127-0-0-2");
    // 127.0.0.2 is loopback on Linux; skip where it cannot be bound
    if std::net::TcpListener::bind("127.0.0.2:0").is_err() {
        eprintln!("127.0.0.2 cannot be bound here: skipped");
        return;
    }
    let server = Server::start_at("127.0.0.2:0", &db, &[], &[]);
    let r = request(&server.addr, "GET", "/api/people", &[], b"");
    assert_eq!(r.status, 200, "{}", r.body);
    let r = request(
        &server.addr,
        "GET",
        "/api/people",
        &[("Host", "evil.example")],
        b"",
    );
    assert_eq!(r.status, 421);
}

#[test]
fn bearer_in_any_case_is_the_bearer_scheme() {
    let dir = scratch("limits-bearer");
    let db = dir.join("new.db");
    let server = Server::start(&db, &["--allow-ingest"], &[("ONRECORD_TOKEN", "s3cret")]);
    let body = br#"{"id": "b1", "text": "The minister said on Tuesday that it is settled."}"#;
    for auth in [
        "Bearer s3cret",
        "BEARER s3cret",
        "bearer  s3cret ",
        "BeArEr\ts3cret",
    ] {
        let r = request(
            &server.addr,
            "POST",
            "/api/articles",
            &[
                ("Authorization", auth),
                ("Content-Type", "application/json"),
            ],
            body,
        );
        assert!(
            r.status == 200 || r.status == 201,
            "{auth:?}: {} {}",
            r.status,
            r.body
        );
    }
    for auth in ["Bearers3cret", "Basic s3cret", "Bearer", ""] {
        let r = request(
            &server.addr,
            "POST",
            "/api/articles",
            &[("Authorization", auth)],
            body,
        );
        assert_eq!(r.status, 401, "{auth:?}: {}", r.body);
    }
}

/// Percent-encodes every byte but letters and digits.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[test]
fn any_typed_search_gives_results_or_a_400_on_api_and_pages() {
    let db = seeds_record("limits-search");
    let server = Server::start(&db, &[], &[]);
    const PIECES: &[&str] = &[
        "\"", "*", "^", ":", "NEAR", "NEAR(", "-", "(", ")", "OR", "AND", "NOT", "+", "Lavrov",
        "respect", "mutual", " ", "\u{0}", "é", "日本", "'", "%", "_", "\\", "col:", "🙂",
    ];
    let mut rng = fastrand::Rng::with_seed(23);
    let mut cases: Vec<String> = vec![
        "\"mutual respect".into(),
        "*".into(),
        "Lavrov".into(),
        "\u{0}".into(),
        "a\u{0}b".into(),
    ];
    for _ in 0..150 {
        let n = rng.usize(1..6);
        let q: Vec<&str> = (0..n).map(|_| PIECES[rng.usize(..PIECES.len())]).collect();
        cases.push(q.join(if rng.bool() { " " } else { "" }));
    }
    for q in &cases {
        let e = enc(q);
        for target in [
            format!("/api/search?q={e}"),
            format!("/api/quotes?about={e}"),
            format!("/api/quotes?speaker={e}"),
            format!("/api/threads?about={e}"),
            format!("/api/timeline?q={e}"),
            format!("/search?q={e}"),
            format!("/threads?about={e}"),
        ] {
            let r = server.get(&target);
            assert!(
                r.status == 200 || r.status == 400,
                "{target} ({q:?}): {} {}",
                r.status,
                r.body
            );
        }
    }
    // the unbalanced quote finds the words, on the page too
    let r = server.get(&format!("/search?q={}", enc("\"mutual respect")));
    assert_eq!(r.status, 200);
    assert!(r.body.contains("respect"), "{}", r.body);
}

#[test]
fn bad_dates_are_a_400_naming_the_value_and_the_forms() {
    let db = seeds_record("limits-dates");
    let server = Server::start(&db, &[], &[]);
    for bad in ["2026-13", "2026-02-30", "2025-00-10"] {
        for target in [
            format!("/api/quotes?from={bad}"),
            format!("/api/search?q=Lavrov&to={bad}"),
        ] {
            let r = server.get(&target);
            assert_eq!(r.status, 400, "{target}: {}", r.body);
            assert!(
                r.body.contains(bad) && r.body.contains("YYYY-MM-DD"),
                "{}",
                r.body
            );
        }
    }
}
