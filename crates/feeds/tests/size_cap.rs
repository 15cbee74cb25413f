//! The size cap: a "2 GB" body (Content-Length 2147483648, zeros streamed
//! until the client hangs up), endless chunked and close-delimited bodies, a
//! gzip bomb. A counting allocator checks that none of it is buffered: the
//! peak of live heap memory during each fetch stays within a few MiB.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use common::{fetcher, test_config, Reply, Server};
use onrecord_feeds::{FetchConfig, FetchError, Fetched, MemoryLog, PollEvent, Poller};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let now = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size
                    - layout.size();
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// One measured test at a time (they share the counters).
static SERIAL: Mutex<()> = Mutex::new(());

const CAP: u64 = 1024 * 1024;
const GB2: u64 = 2_147_483_648;

/// Runs `f`, returning its result and the growth of the heap's peak over
/// what was live when it started.
fn measured<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let out = f();
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(base);
    eprintln!("peak heap growth: {peak} bytes");
    (out, peak)
}

fn capped() -> FetchConfig {
    FetchConfig {
        max_bytes: CAP,
        ..test_config()
    }
}

/// At most this much more heap at the peak: the cap itself, the HTTP
/// client's buffers, the server threads' 64 KiB chunks.
const SLACK: usize = 6 * 1024 * 1024;

#[test]
fn two_gigabytes_declared_is_refused_without_reading_it() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let server = Server::start(|_| Reply::Zeros {
        content_length: Some(GB2),
        chunked: false,
        limit: GB2,
    });
    let (f, clock) = fetcher(capped());
    let (result, peak) = measured(|| f.get(&server.url("/huge"), None));
    let err = result.expect_err("too large");
    assert!(
        matches!(
            err,
            FetchError::TooLarge {
                cap: CAP,
                content_length: Some(GB2),
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        format!(
            "{}: larger than the 1 MiB cap (Content-Length 2147483648)",
            server.url("/huge")
        )
    );
    assert!(peak < SLACK, "peak heap growth {peak} bytes");
    assert_eq!(server.count("/huge"), 1, "not retried");
    assert!(clock.sleeps().is_empty());
}

#[test]
fn endless_chunked_body_stops_at_the_cap() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let server = Server::start(|_| Reply::Zeros {
        content_length: None,
        chunked: true,
        limit: GB2,
    });
    let (f, _clock) = fetcher(capped());
    let (result, peak) = measured(|| f.get(&server.url("/chunked"), None));
    let err = result.expect_err("too large");
    assert!(
        matches!(
            err,
            FetchError::TooLarge {
                content_length: None,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        format!("{}: larger than the 1 MiB cap", server.url("/chunked"))
    );
    assert!(peak < SLACK, "peak heap growth {peak} bytes");
}

#[test]
fn endless_close_delimited_body_stops_at_the_cap() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let server = Server::start(|_| Reply::Zeros {
        content_length: None,
        chunked: false,
        limit: GB2,
    });
    let (f, _clock) = fetcher(capped());
    let (result, peak) = measured(|| f.get(&server.url("/stream"), None));
    assert!(
        matches!(result, Err(FetchError::TooLarge { .. })),
        "{result:?}"
    );
    assert!(peak < SLACK, "peak heap growth {peak} bytes");
}

#[test]
fn a_gzip_bomb_stops_at_the_cap_after_decoding() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..64 {
        gz.write_all(&zeros).expect("gzip");
    }
    let bomb = gz.finish().expect("gzip");
    drop(zeros);
    assert!(
        (bomb.len() as u64) < CAP,
        "the compressed body fits the cap: {}",
        bomb.len()
    );
    let server = Server::start(move |_| {
        Reply::ok("text/html", bomb.clone()).with_header("Content-Encoding", "gzip")
    });
    let (f, _clock) = fetcher(capped());
    let (result, peak) = measured(|| f.get(&server.url("/bomb"), None));
    assert!(
        matches!(result, Err(FetchError::TooLarge { .. })),
        "{result:?}"
    );
    assert!(peak < SLACK, "peak heap growth {peak} bytes");
}

#[test]
fn a_body_of_exactly_the_cap_is_accepted() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let server = Server::start(|_| Reply::ok("application/octet-stream", vec![b'x'; CAP as usize]));
    let (f, _clock) = fetcher(capped());
    match f.get(&server.url("/exact"), None) {
        Ok(Fetched::Modified(r)) => assert_eq!(r.body.len() as u64, CAP),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_poll_reports_the_huge_item_and_goes_on() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let server = Server::start(|req| {
        let host = req.header("Host").unwrap_or("").to_string();
        match req.path.as_str() {
            "/feed" => Reply::ok(
                "application/rss+xml",
                format!(
                    "<rss><channel><item><link>http://{host}/huge</link></item><item><link>http://{host}/fine</link></item></channel></rss>"
                ),
            ),
            "/huge" => Reply::Zeros { content_length: Some(GB2), chunked: false, limit: GB2 },
            _ => Reply::ok("text/html", "<html>fine</html>"),
        }
    });
    let (f, _clock) = fetcher(capped());
    let log = MemoryLog::new();
    let (events, peak) = measured(|| {
        let mut events = Vec::new();
        for e in Poller::new(&f, &log, [server.url("/feed")]) {
            log.record(&e);
            events.push(e);
        }
        events
    });
    assert!(peak < SLACK, "peak heap growth {peak} bytes");
    assert!(matches!(
        &events[1],
        PollEvent::Error {
            error: FetchError::TooLarge { .. },
            feed: Some(_),
            ..
        }
    ));
    assert!(matches!(&events[2], PollEvent::Page { item, .. } if item.url.ends_with("/fine")));
    assert!(matches!(&events[3], PollEvent::FeedDone { .. }));
}
