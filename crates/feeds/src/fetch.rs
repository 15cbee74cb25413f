//! Polite HTTP(S) GETs: a per-host interval, retries with exponential
//! backoff (and `Retry-After`), conditional requests, a whole-request
//! timeout, a size cap enforced while streaming, gzip/deflate decoding.

use std::collections::HashMap;
use std::io::{self, Read};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use flate2::read::{DeflateDecoder, MultiGzDecoder, ZlibDecoder};
use ureq::ResponseExt;
use url::Url;

use crate::clock::{Clock, SystemClock};
use crate::dates;
use crate::parse::FeedError;

/// How the fetcher behaves. [`FetchConfig::default`] is what `onrecord watch`
/// uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchConfig {
    /// The whole request: connecting, redirects, headers and the body, all
    /// together (a server that trickles bytes is cut off too). Default 30 s.
    pub timeout: Duration,
    /// Connecting (DNS, TCP, TLS) alone. Default 10 s.
    pub connect_timeout: Duration,
    /// The largest body accepted, after decompression. A larger
    /// `Content-Length` is refused before reading; a body without one is read
    /// up to the cap and then dropped. Default 16 MiB.
    pub max_bytes: u64,
    /// At most one request per this interval to the same host (retries and
    /// feeds included). Default 1 s.
    pub per_host_interval: Duration,
    /// Retries after the first attempt, on connection errors, timeouts, HTTP
    /// 429 and 5xx (never on other 4xx). Default 3.
    pub retries: u32,
    /// The wait before the first retry; doubled for each next one. A longer
    /// `Retry-After` is honoured. Default 1 s.
    pub backoff: Duration,
    /// The longest `Retry-After` honoured: a server asking for more gets no
    /// retry (the error says so). Default 120 s.
    pub max_retry_after: Duration,
    /// The `User-Agent` header. Default `onrecord/VERSION (+news attribution
    /// record)`.
    pub user_agent: String,
    /// Redirects followed before giving up (a loop ends here). Default 10.
    pub max_redirects: u32,
    /// Use a proxy from `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` (honouring
    /// `NO_PROXY`). Default true; tests turn it off.
    pub use_env_proxy: bool,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_bytes: 16 * 1024 * 1024,
            per_host_interval: Duration::from_secs(1),
            retries: 3,
            backoff: Duration::from_secs(1),
            max_retry_after: Duration::from_secs(120),
            user_agent: format!(
                "onrecord/{} (+news attribution record)",
                env!("CARGO_PKG_VERSION")
            ),
            max_redirects: 10,
            use_env_proxy: true,
        }
    }
}

/// What a server said identifies a version of a resource; sent back as
/// `If-None-Match` / `If-Modified-Since` to get `304 Not Modified`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// The `ETag` header, as sent (quotes and `W/` included).
    pub etag: Option<String>,
    /// The `Last-Modified` header, as sent.
    pub last_modified: Option<String>,
}

impl Validators {
    /// Neither an ETag nor a Last-Modified.
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// A successful (2xx) response with its whole body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The final URL, after redirects.
    pub url: String,
    /// The URL asked for.
    pub requested: String,
    /// The HTTP status (2xx).
    pub status: u16,
    /// The `Content-Type` header (`text/html; charset=utf-8`), if any.
    pub content_type: Option<String>,
    /// `ETag` and `Last-Modified` of this response.
    pub validators: Validators,
    /// The body, decompressed (gzip/deflate), at most `max_bytes`.
    pub body: Vec<u8>,
    /// When the response came, RFC 3339 UTC (`2026-12-02T16:46:50Z`).
    pub fetched_at: String,
    /// Attempts it took (1 when the first one succeeded).
    pub attempts: u32,
}

impl Response {
    /// The media type of `content_type`, lower case, without parameters
    /// (`text/html`).
    pub fn media_type(&self) -> Option<String> {
        let ct = self.content_type.as_deref()?;
        let mt = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        (!mt.is_empty()).then_some(mt)
    }

    /// Is this an HTML page (by `Content-Type`, else by its first bytes)?
    pub fn is_html(&self) -> bool {
        match self.media_type().as_deref() {
            Some("text/html" | "application/xhtml+xml") => true,
            Some(_) => false,
            None => {
                let head = String::from_utf8_lossy(&self.body[..self.body.len().min(1024)])
                    .to_ascii_lowercase();
                head.contains("<html") || head.contains("<!doctype html")
            }
        }
    }
}

/// The result of a GET that did not fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// 2xx: the resource, new or changed.
    Modified(Response),
    /// 304: unchanged since the validators given.
    NotModified,
}

/// Why a GET failed. Every message starts with the URL and says what went
/// wrong; retried failures say how many attempts were made.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// Not an absolute http(s) URL.
    #[error("{url}: not a URL to fetch ({reason})")]
    BadUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The fetcher's configuration cannot be used.
    #[error("bad fetch configuration: {0}")]
    Config(String),
    /// No answer (or no complete one) within the timeout.
    #[error("{url}: timed out after {}{}", secs(*.after), tries(*.attempts))]
    Timeout {
        /// The URL.
        url: String,
        /// The timeout that ran out.
        after: Duration,
        /// Attempts made.
        attempts: u32,
    },
    /// Nothing listens there.
    #[error("{url}: connection refused{}", tries(*.attempts))]
    ConnectionRefused {
        /// The URL.
        url: String,
        /// Attempts made.
        attempts: u32,
    },
    /// The host name does not resolve.
    #[error("{url}: host not found")]
    HostNotFound {
        /// The URL.
        url: String,
    },
    /// The connection failed or broke (reset, closed early, TLS failure, …).
    #[error("{url}: {reason}{}", tries(*.attempts))]
    Connection {
        /// The URL.
        url: String,
        /// What happened.
        reason: String,
        /// Attempts made.
        attempts: u32,
    },
    /// The body is larger than the cap (said by `Content-Length`, or found
    /// while reading).
    #[error("{url}: larger than the {} cap{}", size(*.cap), declared(*.content_length))]
    TooLarge {
        /// The URL.
        url: String,
        /// `max_bytes`.
        cap: u64,
        /// The `Content-Length` the server declared, if it did.
        content_length: Option<u64>,
    },
    /// A status that is not 2xx or 304 (after redirects).
    #[error("{url}: HTTP {status} {reason}{}{}", retry_note(*.retry_after), tries(*.attempts))]
    Status {
        /// The URL.
        url: String,
        /// The status code.
        status: u16,
        /// Its reason phrase (`Not Found`).
        reason: String,
        /// Attempts made.
        attempts: u32,
        /// A `Retry-After` longer than `max_retry_after` that stopped the retries.
        retry_after: Option<Duration>,
    },
    /// More redirects than `max_redirects` (a loop, usually).
    #[error("{url}: more than {max} redirects (a redirect loop?)")]
    TooManyRedirects {
        /// The URL.
        url: String,
        /// `max_redirects`.
        max: u32,
    },
    /// The response could not be read (bad headers, bad redirect, bad
    /// compression, unsupported `Content-Encoding`).
    #[error("{url}: bad response ({reason})")]
    BadResponse {
        /// The URL.
        url: String,
        /// What is wrong.
        reason: String,
    },
    /// The body was fetched but is not a feed (raised by the poller for feed
    /// URLs).
    #[error("{url}: {source}")]
    Feed {
        /// The URL.
        url: String,
        /// Why it is not a feed.
        #[source]
        source: FeedError,
    },
}

fn secs(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

fn tries(attempts: u32) -> String {
    if attempts > 1 {
        format!(" (after {attempts} attempts)")
    } else {
        String::new()
    }
}

fn size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes}-byte")
    }
}

fn declared(len: Option<u64>) -> String {
    len.map(|l| format!(" (Content-Length {l})"))
        .unwrap_or_default()
}

fn retry_note(after: Option<Duration>) -> String {
    after
        .map(|d| format!(" (asks to retry after {}, more than allowed)", secs(d)))
        .unwrap_or_default()
}

impl FetchError {
    /// The URL the error is about (empty for [`FetchError::Config`]).
    pub fn url(&self) -> &str {
        match self {
            FetchError::Config(_) => "",
            FetchError::BadUrl { url, .. }
            | FetchError::Timeout { url, .. }
            | FetchError::ConnectionRefused { url, .. }
            | FetchError::HostNotFound { url }
            | FetchError::Connection { url, .. }
            | FetchError::TooLarge { url, .. }
            | FetchError::Status { url, .. }
            | FetchError::TooManyRedirects { url, .. }
            | FetchError::BadResponse { url, .. }
            | FetchError::Feed { url, .. } => url,
        }
    }

    /// The HTTP status, for [`FetchError::Status`].
    pub fn status(&self) -> Option<u16> {
        match self {
            FetchError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Would trying again (later) plausibly succeed? Timeouts, connection
    /// failures, 429 and 5xx.
    pub fn is_transient(&self) -> bool {
        match self {
            FetchError::Timeout { .. }
            | FetchError::ConnectionRefused { .. }
            | FetchError::Connection { .. } => true,
            FetchError::Status { status, .. } => *status == 429 || *status >= 500,
            _ => false,
        }
    }

    fn set_attempts(&mut self, n: u32) {
        match self {
            FetchError::Timeout { attempts, .. }
            | FetchError::ConnectionRefused { attempts, .. }
            | FetchError::Connection { attempts, .. }
            | FetchError::Status { attempts, .. } => *attempts = n,
            _ => {}
        }
    }
}

/// Fetches URLs politely. One per run, shared by all threads (`Send + Sync`):
/// the per-host intervals are the fetcher's, so two fetchers would not see
/// each other's requests.
#[derive(Debug)]
pub struct Fetcher {
    cfg: FetchConfig,
    agent: ureq::Agent,
    clock: Arc<dyn Clock>,
    /// Per host: the earliest time (on `clock`) the next request may start.
    next_slot: Mutex<HashMap<String, Duration>>,
}

/// One attempt's failure: the error, and how long the server asked us to wait.
struct Failure {
    error: FetchError,
    retry_after: Option<Duration>,
}

impl Fetcher {
    /// A fetcher on the real clock.
    pub fn new(cfg: FetchConfig) -> Result<Self, FetchError> {
        Self::with_clock(cfg, Arc::new(SystemClock::new()))
    }

    /// A fetcher that waits on `clock` (a [`crate::ManualClock`] in tests).
    /// Timeouts are still real time: they are the HTTP client's.
    pub fn with_clock(cfg: FetchConfig, clock: Arc<dyn Clock>) -> Result<Self, FetchError> {
        if cfg.timeout.is_zero() || cfg.connect_timeout.is_zero() {
            return Err(FetchError::Config("timeouts must be more than zero".into()));
        }
        if cfg.max_bytes == 0 {
            return Err(FetchError::Config(
                "max_bytes must be more than zero".into(),
            ));
        }
        if cfg.user_agent.trim().is_empty() || cfg.user_agent.chars().any(|c| c.is_control()) {
            return Err(FetchError::Config(format!(
                "unusable User-Agent {:?}",
                cfg.user_agent
            )));
        }
        let mut builder = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(cfg.max_redirects)
            .max_redirects_will_error(true)
            .timeout_global(Some(cfg.timeout))
            .timeout_connect(Some(cfg.connect_timeout.min(cfg.timeout)))
            .user_agent(cfg.user_agent.as_str())
            // Decompression is ours, so that the size cap counts decoded bytes.
            .accept_encoding("gzip, deflate")
            .max_response_header_size(64 * 1024);
        if !cfg.use_env_proxy {
            builder = builder.proxy(None);
        }
        let agent = ureq::Agent::new_with_config(builder.build());
        Ok(Fetcher {
            cfg,
            agent,
            clock,
            next_slot: Mutex::new(HashMap::new()),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &FetchConfig {
        &self.cfg
    }

    /// GETs `url`. With `known` validators the request is conditional and a
    /// 304 gives [`Fetched::NotModified`]. Waits for the host's turn before
    /// each attempt; retries transient failures (see [`FetchConfig::retries`]).
    pub fn get(&self, url: &str, known: Option<&Validators>) -> Result<Fetched, FetchError> {
        let target = request_url(url)?;
        let host = target.host_str().unwrap_or("").to_ascii_lowercase();
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            self.wait_turn(&host);
            match self.attempt(url, &target, known) {
                Ok(Fetched::Modified(mut r)) => {
                    r.attempts = attempt;
                    return Ok(Fetched::Modified(r));
                }
                Ok(Fetched::NotModified) => return Ok(Fetched::NotModified),
                Err(Failure {
                    mut error,
                    retry_after,
                }) => {
                    error.set_attempts(attempt);
                    if !error.is_transient() || attempt > self.cfg.retries {
                        return Err(error);
                    }
                    if let Some(asked) = retry_after.filter(|d| *d > self.cfg.max_retry_after) {
                        if let FetchError::Status { retry_after, .. } = &mut error {
                            *retry_after = Some(asked);
                        }
                        return Err(error);
                    }
                    let backoff = self
                        .cfg
                        .backoff
                        .saturating_mul(1u32 << (attempt - 1).min(20));
                    self.defer(&host, backoff.max(retry_after.unwrap_or(Duration::ZERO)));
                }
            }
        }
    }

    /// Waits until `host` may be asked again, and books the next slot.
    fn wait_turn(&self, host: &str) {
        let wait = {
            let mut slots = self
                .next_slot
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let now = self.clock.now();
            let slot = slots.get(host).copied().filter(|t| *t > now).unwrap_or(now);
            slots.insert(
                host.to_string(),
                slot.saturating_add(self.cfg.per_host_interval),
            );
            slot - now
        };
        self.clock.sleep(wait);
    }

    /// Nothing goes to `host` for `delay` from now (backoff, Retry-After).
    fn defer(&self, host: &str, delay: Duration) {
        let mut slots = self
            .next_slot
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let at = self.clock.now().saturating_add(delay);
        let slot = slots.entry(host.to_string()).or_insert(at);
        if *slot < at {
            *slot = at;
        }
    }

    fn attempt(
        &self,
        url: &str,
        target: &Url,
        known: Option<&Validators>,
    ) -> Result<Fetched, Failure> {
        let fail = |error| Failure {
            error,
            retry_after: None,
        };
        let mut req = self.agent.get(target.as_str()).header("Accept", ACCEPT);
        if let Some(v) = known {
            if let Some(etag) = &v.etag {
                req = req.header("If-None-Match", etag.as_str());
            }
            if let Some(lm) = &v.last_modified {
                req = req.header("If-Modified-Since", lm.as_str());
            }
        }
        let resp = req.call().map_err(|e| fail(self.map_error(url, e)))?;
        let status = resp.status();
        let final_url = resp.get_uri().to_string();
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        if status.as_u16() == 304 {
            return Ok(Fetched::NotModified);
        }
        if !status.is_success() {
            let retry_after =
                header("Retry-After").and_then(|v| dates::retry_after(&v, SystemTime::now()));
            let reason = status.canonical_reason().unwrap_or("").to_string();
            let error = if status.is_redirection() {
                FetchError::BadResponse {
                    url: url.to_string(),
                    reason: format!(
                        "HTTP {} {reason} without a usable Location",
                        status.as_u16()
                    ),
                }
            } else {
                FetchError::Status {
                    url: url.to_string(),
                    status: status.as_u16(),
                    reason,
                    attempts: 1,
                    retry_after: None,
                }
            };
            return Err(Failure { error, retry_after });
        }
        let content_type = header("Content-Type");
        let validators = Validators {
            etag: header("ETag"),
            last_modified: header("Last-Modified"),
        };
        let encoding = header("Content-Encoding").map(|e| e.to_ascii_lowercase());
        let cap = self.cfg.max_bytes;
        let too_large = |content_length| FetchError::TooLarge {
            url: url.to_string(),
            cap,
            content_length,
        };
        let content_length = resp.body().content_length();
        if let Some(len) = content_length.filter(|len| *len > cap) {
            return Err(fail(too_large(Some(len))));
        }
        let raw = Capped {
            inner: resp.into_body().into_reader(),
            left: cap,
            hit: false,
        };
        let mut reader: Box<dyn Read> = match encoding.as_deref() {
            None | Some("identity") => Box::new(raw),
            Some("gzip" | "x-gzip") => Box::new(MultiGzDecoder::new(raw)),
            Some("deflate") => Box::new(Deflate::new(raw)),
            Some(other) => {
                return Err(fail(FetchError::BadResponse {
                    url: url.to_string(),
                    reason: format!("unsupported Content-Encoding {other:?}"),
                }))
            }
        };
        let mut body = Vec::with_capacity(
            usize::try_from(content_length.unwrap_or(0).min(1 << 20)).unwrap_or(0),
        );
        let mut chunk = vec![0u8; 64 * 1024];
        loop {
            match reader.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => {
                    let needed = body.len() + n;
                    if needed as u64 > cap {
                        return Err(fail(too_large(content_length)));
                    }
                    if needed > body.capacity() {
                        // Grow by doubling, but never past the cap.
                        let target = (body.capacity() * 2)
                            .max(needed)
                            .min(usize::try_from(cap).unwrap_or(usize::MAX));
                        body.reserve_exact(target - body.len());
                    }
                    body.extend_from_slice(&chunk[..n]);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(fail(self.map_read_error(url, e, content_length))),
            }
        }
        Ok(Fetched::Modified(Response {
            url: final_url,
            requested: url.to_string(),
            status: status.as_u16(),
            content_type,
            validators,
            body,
            fetched_at: dates::rfc3339(SystemTime::now()),
            attempts: 1,
        }))
    }

    fn map_read_error(&self, url: &str, e: io::Error, content_length: Option<u64>) -> FetchError {
        if e.get_ref().is_some_and(|inner| inner.is::<CapHit>()) {
            return FetchError::TooLarge {
                url: url.to_string(),
                cap: self.cfg.max_bytes,
                content_length,
            };
        }
        let kind = e.kind();
        if kind == io::ErrorKind::UnexpectedEof {
            return FetchError::Connection {
                url: url.to_string(),
                reason: "the connection closed before the end of the body".into(),
                attempts: 1,
            };
        }
        match e.into_inner().map(|inner| inner.downcast::<ureq::Error>()) {
            Some(Ok(ureq_error)) => self.map_error(url, *ureq_error),
            Some(Err(other)) => self.map_io(url, kind, other.to_string()),
            None => self.map_io(url, kind, format!("{kind}")),
        }
    }

    fn map_io(&self, url: &str, kind: io::ErrorKind, message: String) -> FetchError {
        let url = url.to_string();
        match kind {
            io::ErrorKind::ConnectionRefused => FetchError::ConnectionRefused { url, attempts: 1 },
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => FetchError::Timeout {
                url,
                after: self.cfg.timeout,
                attempts: 1,
            },
            io::ErrorKind::InvalidData => FetchError::BadResponse {
                url,
                reason: message,
            },
            io::ErrorKind::UnexpectedEof => FetchError::Connection {
                url,
                reason: "the server closed the connection early".into(),
                attempts: 1,
            },
            io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe => FetchError::Connection {
                url,
                reason: "the connection was reset".into(),
                attempts: 1,
            },
            _ => FetchError::Connection {
                url,
                reason: message,
                attempts: 1,
            },
        }
    }

    fn map_error(&self, url: &str, e: ureq::Error) -> FetchError {
        let owned = url.to_string();
        match e {
            ureq::Error::Timeout(which) => {
                let after = if matches!(which, ureq::Timeout::Connect) {
                    self.cfg.connect_timeout.min(self.cfg.timeout)
                } else {
                    self.cfg.timeout
                };
                FetchError::Timeout {
                    url: owned,
                    after,
                    attempts: 1,
                }
            }
            ureq::Error::Io(io) => {
                let kind = io.kind();
                self.map_io(url, kind, io.to_string())
            }
            ureq::Error::HostNotFound => FetchError::HostNotFound { url: owned },
            ureq::Error::TooManyRedirects => FetchError::TooManyRedirects {
                url: owned,
                max: self.cfg.max_redirects,
            },
            ureq::Error::RedirectFailed => FetchError::BadResponse {
                url: owned,
                reason: "a redirect could not be followed".into(),
            },
            ureq::Error::BadUri(reason) => FetchError::BadUrl { url: owned, reason },
            ureq::Error::BodyExceedsLimit(_) => FetchError::TooLarge {
                url: owned,
                cap: self.cfg.max_bytes,
                content_length: None,
            },
            ureq::Error::ConnectionFailed => FetchError::Connection {
                url: owned,
                reason: "cannot connect".into(),
                attempts: 1,
            },
            e @ (ureq::Error::Tls(_) | ureq::Error::Rustls(_)) => FetchError::BadResponse {
                url: owned,
                reason: format!("TLS: {e}"),
            },
            e @ (ureq::Error::Protocol(_)
            | ureq::Error::LargeResponseHeader(..)
            | ureq::Error::Http(_)) => FetchError::BadResponse {
                url: owned,
                reason: e.to_string(),
            },
            other => FetchError::Connection {
                url: owned,
                reason: other.to_string(),
                attempts: 1,
            },
        }
    }
}

const ACCEPT: &str =
    "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, \
                      application/feed+json, application/xml;q=0.9, */*;q=0.8";

/// `url` checked and made acceptable to the HTTP layer: absolute, http(s),
/// no fragment, characters outside RFC 3986 percent-encoded.
fn request_url(url: &str) -> Result<Url, FetchError> {
    let bad = |reason: String| FetchError::BadUrl {
        url: url.to_string(),
        reason,
    };
    let mut parsed = Url::parse(url.trim()).map_err(|e| bad(e.to_string()))?;
    if parsed.scheme() != "http" && parsed.scheme() != "https" {
        return Err(bad(format!(
            "the scheme is {:?}; only http and https are fetched",
            parsed.scheme()
        )));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(bad("no host".into()));
    }
    parsed.set_fragment(None);
    // `url` leaves a few characters (`|`, `^`, `{`, … in queries) that the
    // `http` crate's strict URI parser refuses.
    let serialized = parsed.as_str();
    if serialized.bytes().any(|b| !is_uri_char(b)) {
        let mut fixed = String::with_capacity(serialized.len() + 16);
        for b in serialized.bytes() {
            if is_uri_char(b) {
                fixed.push(char::from(b));
            } else {
                fixed.push_str(&format!("%{b:02X}"));
            }
        }
        parsed = Url::parse(&fixed).map_err(|e| bad(e.to_string()))?;
    }
    Ok(parsed)
}

fn is_uri_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=%".contains(&b)
}

/// Marker inside the `io::Error` a [`Capped`] reader returns at the cap.
#[derive(Debug)]
struct CapHit;

impl std::fmt::Display for CapHit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("size cap reached")
    }
}

impl std::error::Error for CapHit {}

/// Reads at most `left` bytes of the wire body, then fails (a compressed
/// body cannot be larger than the cap either).
struct Capped<R> {
    inner: R,
    left: u64,
    hit: bool,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.hit {
            return Err(io::Error::other(CapHit));
        }
        // Ask for one byte more than allowed, to see whether the body goes on.
        let want = buf
            .len()
            .min(usize::try_from(self.left.saturating_add(1)).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        if n as u64 > self.left {
            self.hit = true;
            return Err(io::Error::other(CapHit));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// `Content-Encoding: deflate` is meant to be zlib, but some servers send raw
/// deflate: look at the first two bytes to tell.
enum Deflate<R: Read> {
    Start(Option<R>),
    Zlib(ZlibDecoder<Prefixed<R>>),
    Raw(DeflateDecoder<Prefixed<R>>),
}

impl<R: Read> Deflate<R> {
    fn new(inner: R) -> Self {
        Deflate::Start(Some(inner))
    }
}

/// A reader with some bytes put back in front.
struct Prefixed<R> {
    head: Vec<u8>,
    pos: usize,
    inner: R,
}

impl<R: Read> Read for Prefixed<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos < self.head.len() {
            let n = buf.len().min(self.head.len() - self.pos);
            buf[..n].copy_from_slice(&self.head[self.pos..self.pos + n]);
            self.pos += n;
            return Ok(n);
        }
        self.inner.read(buf)
    }
}

impl<R: Read> Read for Deflate<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Deflate::Start(inner) = self {
            let Some(mut inner) = inner.take() else {
                return Err(io::Error::other("deflate reader used after failure"));
            };
            let mut head = Vec::with_capacity(2);
            let mut byte = [0u8; 1];
            while head.len() < 2 {
                match inner.read(&mut byte)? {
                    0 => break,
                    _ => head.push(byte[0]),
                }
            }
            let zlib = head.len() == 2
                && head[0] & 0x0f == 8
                && (u16::from(head[0]) << 8 | u16::from(head[1])) % 31 == 0;
            let prefixed = Prefixed {
                head,
                pos: 0,
                inner,
            };
            *self = if zlib {
                Deflate::Zlib(ZlibDecoder::new(prefixed))
            } else {
                Deflate::Raw(DeflateDecoder::new(prefixed))
            };
        }
        match self {
            Deflate::Zlib(d) => d.read(buf),
            Deflate::Raw(d) => d.read(buf),
            Deflate::Start(_) => Ok(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn urls_are_checked_and_cleaned() {
        assert!(matches!(
            request_url("ftp://x/y"),
            Err(FetchError::BadUrl { .. })
        ));
        assert!(matches!(
            request_url("/relative"),
            Err(FetchError::BadUrl { .. })
        ));
        let u = request_url("http://Example.org/a b?q=x|y^z#frag").expect("url");
        assert_eq!(u.as_str(), "http://example.org/a%20b?q=x%7Cy%5Ez");
        let msg = request_url("nope")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(msg.starts_with("nope: not a URL to fetch"), "{msg}");
    }

    #[test]
    fn messages() {
        let e = FetchError::Timeout {
            url: "http://h/x".into(),
            after: Duration::from_secs(30),
            attempts: 1,
        };
        assert_eq!(e.to_string(), "http://h/x: timed out after 30 s");
        let e = FetchError::TooLarge {
            url: "http://h/x".into(),
            cap: 16 << 20,
            content_length: None,
        };
        assert_eq!(e.to_string(), "http://h/x: larger than the 16 MiB cap");
        let e = FetchError::Status {
            url: "http://h/x".into(),
            status: 503,
            reason: "Service Unavailable".into(),
            attempts: 4,
            retry_after: None,
        };
        assert_eq!(
            e.to_string(),
            "http://h/x: HTTP 503 Service Unavailable (after 4 attempts)"
        );
        let e = FetchError::ConnectionRefused {
            url: "http://h/x".into(),
            attempts: 1,
        };
        assert_eq!(e.to_string(), "http://h/x: connection refused");
    }

    #[test]
    fn deflate_zlib_and_raw() {
        let text = b"hello deflate hello deflate hello deflate".repeat(10);
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        let mut r = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        assert!(z.write_all(&text).is_ok() && r.write_all(&text).is_ok());
        for packed in [
            z.finish().unwrap_or_default(),
            r.finish().unwrap_or_default(),
        ] {
            let mut out = Vec::new();
            assert!(Deflate::new(&packed[..]).read_to_end(&mut out).is_ok());
            assert_eq!(out, text);
        }
    }

    #[test]
    fn capped_reader_stops_one_byte_over() {
        let data = [7u8; 100];
        let mut out = Vec::new();
        let mut exact = Capped {
            inner: &data[..],
            left: 100,
            hit: false,
        };
        assert!(exact.read_to_end(&mut out).is_ok());
        let mut over = Capped {
            inner: &data[..],
            left: 99,
            hit: false,
        };
        let err = over.read_to_end(&mut Vec::new()).err();
        assert!(err.is_some_and(|e| e.get_ref().is_some_and(|i| i.is::<CapHit>())));
    }
}
