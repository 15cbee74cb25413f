//! A small HTTP/1.1 server on 127.0.0.1 for the tests: one thread per
//! connection, one request per connection (`Connection: close`), every
//! request recorded. Handlers say what to send, including misbehaviour
//! (never answering, trickling, endless bodies). Every loop is bounded in
//! time, so a server thread always ends by itself.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use onrecord_feeds::{FetchConfig, Fetcher, ManualClock};

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Req {
    pub method: String,
    /// Path and query.
    pub path: String,
    /// Header names lower-cased.
    pub headers: HashMap<String, String>,
}

impl Req {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }
}

/// What to answer.
pub enum Reply {
    /// A complete response with Content-Length.
    Full {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// These bytes exactly (status line, headers and all), then close.
    Raw(Vec<u8>),
    /// Read the request, then never answer (until the client hangs up or 20 s pass).
    Hang,
    /// Headers, then one byte of body every `every`, for at most 20 s.
    Trickle { every: Duration },
    /// A body of zeros, streamed until the client hangs up (or `limit` bytes
    /// or 30 s): with this Content-Length header (may be a lie), else chunked
    /// if `chunked`, else delimited by closing the connection.
    Zeros {
        content_length: Option<u64>,
        chunked: bool,
        limit: u64,
    },
}

impl Reply {
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Full {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }

    pub fn status(status: u16) -> Reply {
        Reply::Full {
            status,
            headers: vec![],
            body: format!("status {status}").into_bytes(),
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Reply {
        if let Reply::Full { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
}

type Handler = dyn Fn(&Req) -> Reply + Send + Sync;

pub struct Server {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<Req>>>,
}

impl Server {
    /// Starts a server on 127.0.0.1, port chosen by the system.
    pub fn start(handler: impl Fn(&Req) -> Reply + Send + Sync + 'static) -> Server {
        Self::start_on("127.0.0.1", handler).expect("bind 127.0.0.1")
    }

    /// Starts a server on another loopback address (127.0.0.2, …), if it can be bound.
    pub fn start_on(
        ip: &str,
        handler: impl Fn(&Req) -> Reply + Send + Sync + 'static,
    ) -> Option<Server> {
        let listener = TcpListener::bind((ip, 0)).ok()?;
        let addr = listener.local_addr().ok()?;
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let log = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let handler = Arc::clone(&handler);
                let log = Arc::clone(&log);
                std::thread::spawn(move || serve(stream, &*handler, &log));
            }
        });
        Some(Server { addr, requests })
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn requests(&self) -> Vec<Req> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// Requests whose path (without query) is `path`.
    pub fn count(&self, path: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.path.split('?').next() == Some(path))
            .count()
    }
}

fn serve(stream: TcpStream, handler: &Handler, log: &Mutex<Vec<Req>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(10)));
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let path = parts.next().unwrap_or("/").to_string();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 {
            break;
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let req = Req {
        method,
        path,
        headers,
    };
    if let Ok(mut l) = log.lock() {
        l.push(req.clone());
    }
    let mut out = stream;
    match handler(&req) {
        Reply::Full {
            status,
            headers,
            body,
        } => {
            let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
            for (k, v) in &headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str(&format!(
                "Content-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            ));
            let _ = out.write_all(head.as_bytes());
            if req.method != "HEAD" {
                let _ = out.write_all(&body);
            }
        }
        Reply::Raw(bytes) => {
            let _ = out.write_all(&bytes);
        }
        Reply::Hang => wait_for_hangup(&mut reader, Duration::from_secs(20)),
        Reply::Trickle { every } => {
            let _ = out.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n");
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(20) {
                if out.write_all(b"x").and_then(|()| out.flush()).is_err() {
                    break;
                }
                std::thread::sleep(every);
            }
        }
        Reply::Zeros {
            content_length,
            chunked,
            limit,
        } => {
            let mut head =
                String::from("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n");
            if let Some(len) = content_length {
                head.push_str(&format!("Content-Length: {len}\r\n"));
            } else if chunked {
                head.push_str("Transfer-Encoding: chunked\r\n");
            }
            head.push_str("\r\n");
            if out.write_all(head.as_bytes()).is_err() {
                return;
            }
            let chunk = vec![0u8; 64 * 1024];
            let start = Instant::now();
            let mut sent = 0u64;
            while sent < limit && start.elapsed() < Duration::from_secs(30) {
                let ok = if chunked && content_length.is_none() {
                    out.write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                        .and_then(|()| out.write_all(&chunk))
                        .and_then(|()| out.write_all(b"\r\n"))
                } else {
                    out.write_all(&chunk)
                };
                if ok.is_err() {
                    break; // the client hung up
                }
                sent += chunk.len() as u64;
            }
        }
    }
    let _ = out.flush();
}

/// Blocks until the peer closes (a read returns 0 or fails) or `max` passes.
fn wait_for_hangup(reader: &mut BufReader<TcpStream>, max: Duration) {
    let start = Instant::now();
    let _ = reader
        .get_ref()
        .set_read_timeout(Some(Duration::from_millis(100)));
    let mut buf = [0u8; 256];
    while start.elapsed() < max {
        match reader.read(&mut buf) {
            Ok(0) => return,
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return,
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Whatever",
    }
}

/// A config for tests: no proxy from the environment, no waits unless a test
/// asks for them, short timeouts.
pub fn test_config() -> FetchConfig {
    FetchConfig {
        timeout: Duration::from_secs(10),
        connect_timeout: Duration::from_secs(5),
        per_host_interval: Duration::ZERO,
        backoff: Duration::from_millis(500),
        use_env_proxy: false,
        ..FetchConfig::default()
    }
}

/// A fetcher on a manual clock: its waits are recorded, not slept.
pub fn fetcher(cfg: FetchConfig) -> (Fetcher, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new());
    let f = Fetcher::with_clock(cfg, clock.clone()).expect("fetcher");
    (f, clock)
}

/// `../shared/data/<rel>` from the crate (the workspace's sibling `shared`).
pub fn shared(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(rel)
}

pub fn read_shared(rel: &str) -> Vec<u8> {
    let p = shared(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The first `n` pages of ../shared/data/html/pages, by name.
pub fn page_names(n: usize) -> Vec<String> {
    let dir = shared("html/pages");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".html"))
        .collect();
    names.sort();
    names.truncate(n);
    names
}
