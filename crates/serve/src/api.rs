//! The JSON API under `/api`: the query commands' JSON, paginated, with
//! errors as `{"error": {"status", "message"}}`. Every route is in
//! [`routes`] and documented in `openapi.json` (a test checks both ways).

use crate::util::{snippet_plain, with_offset};
use crate::{ApiError, AppState, IngestStatus};
use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::Json;
use onrecord_store::query::{check_date, ArticleView, Hit, MentionRow, Period, QuoteFilter};
use serde::{Deserialize, Serialize};

/// One API route: its method and path (as in the OpenAPI document) and
/// its handler. The router is built from this table.
pub(crate) struct ApiRoute {
    /// What the handler answers (checked against the OpenAPI document).
    #[cfg_attr(not(test), allow(dead_code))]
    pub method: Method,
    pub path: &'static str,
    pub handler: MethodRouter<AppState>,
}

pub(crate) fn routes() -> Vec<ApiRoute> {
    let r = |method: Method, path, handler| ApiRoute {
        method,
        path,
        handler,
    };
    vec![
        r(Method::GET, "/api/quotes", get(quotes)),
        r(Method::GET, "/api/search", get(search)),
        r(Method::GET, "/api/people", get(people)),
        r(Method::GET, "/api/people/{id}", get(person)),
        r(Method::GET, "/api/articles/{id}", get(article)),
        r(Method::POST, "/api/articles", post(post_article)),
        r(Method::GET, "/api/timeline", get(timeline)),
        r(Method::GET, "/api/threads", get(threads)),
        r(Method::GET, "/api/threads/{id}", get(thread)),
        r(Method::GET, "/api/events/{id}", get(event)),
        r(Method::GET, "/api/openapi.json", get(openapi)),
    ]
}

type ApiResult<T> = Result<Json<T>, ApiError>;

/// Most items in one page.
pub(crate) const MAX_LIMIT: usize = 1000;

/// `Some(trimmed)` unless absent or blank.
pub(crate) fn clean(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// A whole number parameter within `min..=max` (`default` when absent).
pub(crate) fn number(
    name: &str,
    v: &Option<String>,
    default: usize,
    min: usize,
    max: usize,
) -> Result<usize, ApiError> {
    match clean(v) {
        None => Ok(default),
        Some(s) => s
            .parse::<usize>()
            .ok()
            .filter(|n| (min..=max).contains(n))
            .ok_or_else(|| {
                ApiError::bad_request(format!(
                    "{name}: expected a whole number from {min} to {max}, got {s:?}"
                ))
            }),
    }
}

/// The filters of `onrecord quotes`, checked as the CLI checks them.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct Filters {
    pub speaker: Option<String>,
    pub about: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub outlet: Option<String>,
    pub kind: Option<String>,
    pub person: Option<String>,
}

impl Filters {
    pub fn to_filter(&self) -> Result<QuoteFilter, ApiError> {
        for (name, d) in [("from", &self.from), ("to", &self.to)] {
            if let Some(d) = clean(d) {
                check_date(name, &d).map_err(ApiError::bad_request)?;
            }
        }
        let kind = clean(&self.kind);
        if let Some(k) = &kind {
            if !["direct", "mixed", "indirect"].contains(&k.as_str()) {
                return Err(ApiError::bad_request(format!(
                    "kind: expected direct, mixed or indirect, got {k:?}"
                )));
            }
        }
        Ok(QuoteFilter {
            speaker: clean(&self.speaker),
            about: clean(&self.about),
            from: clean(&self.from),
            to: clean(&self.to),
            outlet: clean(&self.outlet),
            kind,
            person: clean(&self.person),
            ..QuoteFilter::default()
        })
    }
}

/// The token of an `Authorization: Bearer TOKEN` header: the scheme is
/// case-insensitive (RFC 9110 §11.1), spaces around the token ignored.
fn bearer_token(v: &str) -> Option<&str> {
    let v = v.trim_start();
    let (scheme, rest) = v.split_at_checked(6)?;
    (scheme.eq_ignore_ascii_case("bearer") && rest.starts_with([' ', '\t'])).then(|| rest.trim())
}

/// `Query<T>` whose rejection is a JSON 400.
fn params<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(t)| t)
        .map_err(|e| ApiError::bad_request(e.body_text()))
}

/// One page of a longer list.
#[derive(Debug, Serialize)]
pub(crate) struct Page<T> {
    /// How many there are in all.
    pub total: u64,
    pub offset: usize,
    pub limit: usize,
    /// The URL of the next page; null on the last.
    pub next: Option<String>,
    pub items: Vec<T>,
}

impl<T> Page<T> {
    /// A page of `items` from `offset`, with the URL of the next one
    /// (`path` with the request's query `raw`, offset moved on).
    fn new(
        path: &str,
        raw: &Option<String>,
        offset: usize,
        limit: usize,
        total: u64,
        items: Vec<T>,
    ) -> Page<T> {
        Page {
            total,
            offset,
            limit,
            next: next_url(path, raw, offset, items.len(), total),
            items,
        }
    }
}

/// The `offset` parameter: a whole number, 0 when absent.
fn offset_param(v: &Option<String>) -> Result<usize, ApiError> {
    number("offset", v, 0, 0, usize::MAX >> 1)
}

fn next_url(
    path: &str,
    raw: &Option<String>,
    offset: usize,
    len: usize,
    total: u64,
) -> Option<String> {
    ((offset + len) < total as usize && len > 0)
        .then(|| with_offset(path, raw.as_deref(), offset + len))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuotesParams {
    speaker: Option<String>,
    about: Option<String>,
    from: Option<String>,
    to: Option<String>,
    outlet: Option<String>,
    kind: Option<String>,
    person: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
}

async fn quotes(
    State(app): State<AppState>,
    RawQuery(raw): RawQuery,
    q: Result<Query<QuotesParams>, QueryRejection>,
) -> ApiResult<Page<onrecord_store::query::Quote>> {
    let p = params(q)?;
    let mut f = Filters {
        speaker: p.speaker,
        about: p.about,
        from: p.from,
        to: p.to,
        outlet: p.outlet,
        kind: p.kind,
        person: p.person,
    }
    .to_filter()?;
    let limit = number("limit", &p.limit, 50, 1, MAX_LIMIT)?;
    let offset = offset_param(&p.offset)?;
    f.limit = Some(limit);
    f.offset = Some(offset);
    let (total, items) = app
        .db
        .read(move |s| Ok((s.count_quotes(&f)?, s.quotes(&f)?)))
        .await?;
    Ok(Json(Page::new(
        "/api/quotes",
        &raw,
        offset,
        limit,
        total,
        items,
    )))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SearchParams {
    q: Option<String>,
    speaker: Option<String>,
    from: Option<String>,
    to: Option<String>,
    outlet: Option<String>,
    kind: Option<String>,
    person: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
}

#[derive(Debug, Serialize)]
struct Totals {
    statements: u64,
    /// Of the statements, those spoken by someone the query names (they
    /// come first).
    spoken: u64,
    articles: u64,
}

#[derive(Debug, Serialize)]
struct SearchOut {
    /// The FTS5 query that was run.
    query: String,
    offset: usize,
    limit: usize,
    total: Totals,
    /// The next page (of either list); null on the last.
    next: Option<String>,
    statements: Vec<Hit>,
    articles: Vec<Hit>,
}

async fn search(
    State(app): State<AppState>,
    RawQuery(raw): RawQuery,
    q: Result<Query<SearchParams>, QueryRejection>,
) -> ApiResult<SearchOut> {
    let p = params(q)?;
    let query =
        clean(&p.q).ok_or_else(|| ApiError::bad_request("q: a search query is required"))?;
    let f = Filters {
        speaker: p.speaker,
        from: p.from,
        to: p.to,
        outlet: p.outlet,
        kind: p.kind,
        person: p.person,
        about: None,
    }
    .to_filter()?;
    let limit = number("limit", &p.limit, 10, 1, MAX_LIMIT)?;
    let offset = offset_param(&p.offset)?;
    let mut r = app
        .db
        .read(move |s| Ok(s.search_page(&query, &f, limit, offset)?))
        .await?;
    for h in r.statements.iter_mut().chain(r.articles.iter_mut()) {
        h.snippet = snippet_plain(&h.snippet);
    }
    let longest = r.statements.len().max(r.articles.len());
    let total = r.statements_total.max(r.articles_total);
    Ok(Json(SearchOut {
        query: r.query,
        offset,
        limit,
        next: next_url("/api/search", &raw, offset, longest, total),
        total: Totals {
            statements: r.statements_total,
            spoken: r.spoken_total,
            articles: r.articles_total,
        },
        statements: r.statements,
        articles: r.articles,
    }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PageParams {
    limit: Option<String>,
    offset: Option<String>,
}

async fn people(
    State(app): State<AppState>,
    RawQuery(raw): RawQuery,
    q: Result<Query<PageParams>, QueryRejection>,
) -> ApiResult<Page<onrecord_store::query::Person>> {
    let p = params(q)?;
    let limit = number("limit", &p.limit, 20, 1, MAX_LIMIT)?;
    let offset = offset_param(&p.offset)?;
    let (total, items) = app
        .db
        .read(move |s| Ok((s.people_count()?, s.people_page(limit, offset)?)))
        .await?;
    Ok(Json(Page::new(
        "/api/people",
        &raw,
        offset,
        limit,
        total,
        items,
    )))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonParams {
    recent: Option<String>,
}

async fn person(
    State(app): State<AppState>,
    Path(id): Path<String>,
    q: Result<Query<PersonParams>, QueryRejection>,
) -> ApiResult<onrecord_store::query::Profile> {
    let p = params(q)?;
    let recent = number("recent", &p.recent, 10, 0, MAX_LIMIT)?;
    let id2 = id.clone();
    app.db
        .read(move |s| Ok(s.person_by_id(&id2, recent)?))
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no person {id:?} in the record")))
}

/// An article with its statements and entity mentions.
#[derive(Debug, Serialize)]
pub(crate) struct ArticleOut {
    #[serde(flatten)]
    pub article: ArticleView,
    pub mentions: Vec<MentionRow>,
}

/// The article `which` names (row id, document id or key) with its
/// mentions; `None` when there is none.
pub(crate) async fn load_article(
    app: &AppState,
    which: String,
) -> Result<Option<ArticleOut>, ApiError> {
    app.db
        .read(move |s| {
            let Some(id) = s.article_id(&which)? else {
                return Ok(None);
            };
            let Some(article) = s.article(id)? else {
                return Ok(None);
            };
            let mentions = s.mentions(id)?;
            Ok(Some(ArticleOut { article, mentions }))
        })
        .await
}

async fn article(State(app): State<AppState>, Path(id): Path<String>) -> ApiResult<ArticleOut> {
    load_article(&app, id.clone())
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no article {id:?} in the record")))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TimelineParams {
    q: Option<String>,
    person: Option<String>,
    by: Option<String>,
}

async fn timeline(
    State(app): State<AppState>,
    q: Result<Query<TimelineParams>, QueryRejection>,
) -> ApiResult<onrecord_store::query::Timeline> {
    let p = params(q)?;
    let by = match clean(&p.by).as_deref() {
        None | Some("month") => Period::Month,
        Some("week") => Period::Week,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "by: expected week or month, got {other:?}"
            )))
        }
    };
    match (clean(&p.q), clean(&p.person)) {
        (Some(q), None) => Ok(Json(app.db.read(move |s| Ok(s.timeline(&q, by)?)).await?)),
        (None, Some(pid)) => Ok(Json(
            app.db
                .read(move |s| Ok(s.person_timeline(&pid, by)?))
                .await?,
        )),
        (None, None) => Ok(Json(app.db.read(move |s| Ok(s.timeline_all(by)?)).await?)),
        (Some(_), Some(_)) => Err(ApiError::bad_request(
            "give q (a name or words) or person (a person id), not both",
        )),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThreadsParams {
    about: Option<String>,
    min: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
}

async fn threads(
    State(app): State<AppState>,
    RawQuery(raw): RawQuery,
    q: Result<Query<ThreadsParams>, QueryRejection>,
) -> ApiResult<Page<onrecord_store::threads::ThreadRow>> {
    let p = params(q)?;
    let about = clean(&p.about);
    let min = number("min", &p.min, 2, 1, usize::MAX >> 1)?;
    let limit = number("limit", &p.limit, 20, 1, MAX_LIMIT)?;
    let offset = offset_param(&p.offset)?;
    let (total, items) = app
        .db
        .read(move |s| {
            let about = about.as_deref();
            Ok((
                s.threads_count(about, min)?,
                s.threads(about, min, limit, offset)?,
            ))
        })
        .await?;
    Ok(Json(Page::new(
        "/api/threads",
        &raw,
        offset,
        limit,
        total,
        items,
    )))
}

async fn thread(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<onrecord_store::threads::ThreadView> {
    let id2 = id.clone();
    app.db
        .read(move |s| Ok(s.thread(&id2)?))
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no thread {id:?} in the record")))
}

async fn event(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<onrecord_store::threads::EventView> {
    let id2 = id.clone();
    app.db
        .read(move |s| Ok(s.event(&id2)?))
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no event {id:?} in the record")))
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], crate::OPENAPI).into_response()
}

/// Compares without stopping at the first difference (the length is not
/// secret).
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

async fn post_article(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let Some(ingestion) = app.ingestion.clone() else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "this server is read-only: start it with --allow-ingest (and ONRECORD_TOKEN) to accept articles",
        ));
    };
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer_token);
    match token {
        None => {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "missing token: send Authorization: Bearer $ONRECORD_TOKEN",
            ))
        }
        Some(t) if !same_secret(t.as_bytes(), ingestion.token.as_bytes()) => {
            return Err(ApiError::new(StatusCode::UNAUTHORIZED, "wrong token"))
        }
        Some(_) => {}
    }
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the body is over the limit of {} MiB (or was cut short)",
                crate::MAX_BODY_BYTES >> 20
            ),
        )
    };
    // refuse an announced oversize body before reading any of it
    let announced = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > crate::MAX_BODY_BYTES as u64) {
        return Err(too_large());
    }
    let body = axum::body::to_bytes(body, crate::MAX_BODY_BYTES)
        .await
        .map_err(|_| too_large())?;
    let text = std::str::from_utf8(&body)
        .map_err(|e| ApiError::bad_request(format!("the body is not UTF-8: {e}")))?;
    let doc = onrecord_ingest::parse_json_article(text, "api".into(), |t| {
        format!("api-{}", onrecord_store::hash_bytes(t.as_bytes()))
    })
    .map_err(|e| ApiError::bad_request(format!("not an article: {e}")))?;
    let ingest = ingestion.ingest.clone();
    let done = tokio::task::spawn_blocking(move || ingest.ingest(doc))
        .await
        .map_err(|e| ApiError::internal(format!("ingest failed: {e}")))?
        .map_err(|e| ApiError::internal(format!("ingest failed: {e}")))?;
    let status = match done.status {
        IngestStatus::Unchanged | IngestStatus::Duplicate => StatusCode::OK,
        _ => StatusCode::CREATED,
    };
    let location = format!("/api/articles/{}", done.id);
    Ok((status, [(header::LOCATION, location)], Json(done)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare() {
        assert!(same_secret(b"abc", b"abc"));
        assert!(!same_secret(b"abc", b"abd"));
        assert!(!same_secret(b"abc", b"abcd"));
        assert!(!same_secret(b"", b"a"));
        assert!(!same_secret(b"a", b""));
        assert!(same_secret(b"", b""));
    }
}
