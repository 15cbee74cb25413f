//! Serves the record over HTTP: the last stage of the pipeline.
//!
//! This crate owns everything `onrecord serve` answers: the router, the
//! JSON API under `/api` (mirroring the query commands, with pagination and
//! JSON errors) and its hand-written OpenAPI document ([`OPENAPI`]), the
//! web pages (rendered on the server from compile-time templates that
//! escape everything; the highlighter and the SVG charts escape their own
//! output), and the assets, which are compiled into the binary. It reads
//! the record through a small pool of read-only connections, one query
//! batch per blocking task, and never writes — except `POST /api/articles`
//! when the binary hands it an [`Ingest`] (with `--allow-ingest` and a
//! token), so that extraction stays in the binary and is not duplicated
//! here.
//!
//! Adding a page (e.g. `/threads/{id}`) is one handler and template in
//! `pages` and one line in its route table; an API route is one handler
//! and one line in `api::routes` plus its entry in `openapi.json` (a test
//! checks that the two agree).

mod api;
mod chart;
mod db;
mod error;
mod highlight;
mod pages;
mod util;

pub use error::{ApiError, ServeError};

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use onrecord_core::Document;
use serde::Serialize;
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The OpenAPI 3 document of the JSON API, served at `/api/openapi.json`.
pub const OPENAPI: &str = include_str!("openapi.json");

const STYLE_CSS: &str = include_str!("../assets/style.css");
const FAVICON_SVG: &str = include_str!("../assets/favicon.svg");

/// The largest request body accepted (`POST /api/articles`): 64 MiB, the
/// largest article ingest reads.
pub const MAX_BODY_BYTES: usize = onrecord_ingest::MAX_FILE_BYTES as usize;

/// Extracts one article and writes it to the record (one transaction):
/// what the binary gives the server with `--allow-ingest`.
pub trait Ingest: Send + Sync {
    fn ingest(&self, doc: Document) -> Result<Ingested, Box<dyn std::error::Error + Send + Sync>>;
}

/// What [`Ingest::ingest`] did.
#[derive(Debug, Clone, Serialize)]
pub struct Ingested {
    pub status: IngestStatus,
    /// The article's row id (`/api/articles/{id}`).
    pub id: i64,
    /// Its document id.
    pub doc: String,
    /// Its key in the record.
    pub key: String,
    /// Statements stored for it.
    pub attributions: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IngestStatus {
    New,
    Updated,
    Unchanged,
    /// A copy (same URL or words) of an article already in the record:
    /// not stored again; `id` and `key` are the stored article's.
    Duplicate,
}

/// Writing enabled: the token every `POST /api/articles` must bring
/// (`Authorization: Bearer TOKEN`) and what ingests.
#[derive(Clone)]
pub struct Ingestion {
    pub token: String,
    pub ingest: Arc<dyn Ingest>,
}

/// What `onrecord serve` was asked.
pub struct Options {
    pub db: PathBuf,
    /// `HOST:PORT`; port 0 picks a free one.
    pub addr: String,
    /// `None`: read-only (`POST /api/articles` answers 403).
    pub ingestion: Option<Ingestion>,
    /// How long a client may take to send a request's headers, and a
    /// kept-alive connection may stay idle ([`HEADER_TIMEOUT`] by default).
    pub header_timeout: std::time::Duration,
}

/// Shared by every request.
pub(crate) struct App {
    pub db: Arc<db::Reader>,
    pub ingestion: Option<Ingestion>,
}

pub(crate) type AppState = Arc<App>;

/// The whole application on a record (which must exist): API, pages,
/// assets, error fallbacks and security headers.
pub fn router(db: &Path, ingestion: Option<Ingestion>) -> Result<Router, ServeError> {
    if let Some(i) = &ingestion {
        if i.token.trim().is_empty() {
            return Err(ServeError::NoToken);
        }
    }
    let app = Arc::new(App {
        db: Arc::new(db::Reader::open(db)?),
        ingestion,
    });
    let mut r = Router::new();
    for route in api::routes() {
        r = r.route(route.path, route.handler);
    }
    for route in pages::routes() {
        r = r.route(route.path, route.handler);
    }
    let r = r
        .route("/static/style.css", get(style_css))
        .route("/favicon.svg", get(favicon))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(no_blank_api_params))
        .layer(axum::middleware::map_response(security_headers))
        .with_state(app);
    Ok(r)
}

/// Binds `opts.addr`, calls `ready` with the bound address, and serves
/// until Ctrl-C or SIGTERM.
pub fn run(opts: Options, ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    let app = router(&opts.db, opts.ingestion)?;
    let bind_err = |source| ServeError::Bind {
        addr: opts.addr.clone(),
        source,
    };
    let addrs: Vec<SocketAddr> = opts.addr.to_socket_addrs().map_err(bind_err)?.collect();
    let listener = std::net::TcpListener::bind(&addrs[..]).map_err(bind_err)?;
    listener.set_nonblocking(true).map_err(bind_err)?;
    let local = listener.local_addr().map_err(bind_err)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
                .clamp(2, 8),
        )
        .max_blocking_threads(16)
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    let app = app.layer(axum::middleware::from_fn_with_state(
        Arc::new(allowed_hosts(local)),
        check_host,
    ));
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener).map_err(bind_err)?;
        ready(local);
        serve_connections(listener, app, opts.header_timeout).await;
        Ok(())
    })
}

/// By default, how long a client may take to send a request's headers, and
/// how long a kept-alive connection may wait idle for the next request:
/// then it is closed, so slow or idle clients cannot hold the server's
/// connections.
pub const HEADER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Accepts connections until Ctrl-C or SIGTERM and serves each on its
/// own task (HTTP/1.1, `header_timeout` for headers and idle
/// connections); then stops accepting and gives the requests under way
/// [`SHUTDOWN_GRACE`] to finish.
async fn serve_connections(
    listener: tokio::net::TcpListener,
    app: Router,
    header_timeout: std::time::Duration,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let (stopping, stop) = tokio::sync::watch::channel(false);
    let mut conns = tokio::task::JoinSet::new();
    let signal = shutdown();
    tokio::pin!(signal);
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                // out of descriptors, a connection reset before accept:
                // wait a little, go on
                Err(_) => {
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                    continue;
                }
            },
            _ = &mut signal => break,
        };
        // finished connections leave the set as they end
        while conns.try_join_next().is_some() {}
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let mut stop = stop.clone();
        conns.spawn(async move {
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(TokioIo::new(stream), service);
            tokio::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = stopped(&mut stop) => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
        });
    }
    let _ = stopping.send(true);
    // requests under way get a few seconds to finish, not a client that
    // holds its connection open
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, async {
        while conns.join_next().await.is_some() {}
    })
    .await;
}

/// Resolves once `stop` says true (or its sender is gone).
async fn stopped(stop: &mut tokio::sync::watch::Receiver<bool>) {
    while !*stop.borrow_and_update() {
        if stop.changed().await.is_err() {
            return;
        }
    }
}

/// How long requests under way may take after Ctrl-C or SIGTERM.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(3);

/// The `Host` headers a server on loopback answers (so that a web page
/// elsewhere cannot reach it through a DNS name rebound to 127.0.0.1);
/// empty (any) when it listens on other interfaces.
fn allowed_hosts(at: SocketAddr) -> Vec<String> {
    if !at.ip().is_loopback() {
        return Vec::new();
    }
    let port = at.port();
    // the address it is bound to (127.0.0.2:8080) and the usual names
    let mut hosts = vec![at.to_string()];
    for name in ["127.0.0.1", "localhost", "[::1]"] {
        hosts.push(format!("{name}:{port}"));
    }
    if port == 80 {
        let bare: Vec<String> = hosts
            .iter()
            .filter_map(|h| h.rsplit_once(':').map(|(n, _)| n.to_string()))
            .collect();
        hosts.extend(bare);
    }
    hosts.dedup();
    hosts
}

async fn check_host(
    axum::extract::State(allowed): axum::extract::State<Arc<Vec<String>>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if allowed.is_empty() || allowed.iter().any(|a| a.eq_ignore_ascii_case(host)) {
        next.run(req).await
    } else {
        ApiError::new(
            axum::http::StatusCode::MISDIRECTED_REQUEST,
            format!("this server answers only to {}", allowed.join(", ")),
        )
        .into_response()
    }
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// A blank `name=` in an API query is a 400 (as the OpenAPI document
/// says: every value has at least one character that is not a space),
/// never taken as if the parameter were absent. The web pages take blank
/// form fields as absent: forms send every field.
async fn no_blank_api_params(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if is_api(req.uri()) {
        if let Some(q) = req.uri().query() {
            for (k, v) in form_urlencoded::parse(q.as_bytes()) {
                if v.trim().is_empty() {
                    return ApiError::bad_request(format!(
                        "{k}: empty value: give a value or leave the parameter out"
                    ))
                    .into_response();
                }
            }
        }
    }
    next.run(req).await
}

fn is_api(uri: &Uri) -> bool {
    let p = uri.path();
    p == "/api" || p.starts_with("/api/")
}

async fn not_found(uri: Uri) -> Response {
    let e = ApiError::not_found(format!("no such page: {}", uri.path()));
    if is_api(&uri) {
        e.into_response()
    } else {
        pages::error_page(e)
    }
}

async fn method_not_allowed(uri: Uri) -> Response {
    let e = ApiError::new(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        format!("{} does not take this method", uri.path()),
    );
    if is_api(&uri) {
        e.into_response()
    } else {
        pages::error_page(e)
    }
}

async fn style_css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLE_CSS,
    )
        .into_response()
}

async fn favicon() -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        FAVICON_SVG,
    )
        .into_response()
}

/// No script runs on these pages: the policy allows none (the pages use
/// none), so even a mistake in escaping could not run a script.
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
     form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

async fn security_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    res
}

#[cfg(test)]
mod tests;
