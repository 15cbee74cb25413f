//! `onrecord watch FEED…` and `onrecord ingest URL…`: feeds polled, each
//! new item's page fetched politely (`onrecord-feeds`), kept raw in the
//! record, read as a web page (`onrecord-ingest`) and ingested through the
//! same code as files (`record::extract_items`, one transaction a batch).
//!
//! Restart safety: a page and the article it became are written in one
//! transaction; a feed's validators (ETag, Last-Modified) only after every
//! page it led to is written. A poll killed half-way fetches the feed again
//! next time and only the pages the record lacks.

use crate::args::FetchArgs;
use crate::extract::extract_items;
use anyhow::{Context, Result};
use onrecord_core::Document;
use onrecord_feeds::{
    FetchError, FetchLog, Fetched, Fetcher, PollEvent, Poller, Response, Schedule, Validators,
};
use onrecord_pipeline::record::Growth;
use onrecord_pipeline::Pipeline;
use onrecord_store::{
    article_key, content_hash, hash_bytes, BatchSummary, ErrorRecord, FeedRecord, Item,
    PageFailure, PageRecord, Store,
};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Pages extracted and written together (and at the end of every feed).
const PAGE_BATCH: usize = 64;

/// The record as a poll's memory: feeds' validators, pages kept, failures.
struct RecordLog<'a>(&'a Store);

impl FetchLog for RecordLog<'_> {
    fn validators(&self, feed_url: &str) -> Option<Validators> {
        let (etag, last_modified) = self.0.feed_validators(feed_url).ok().flatten()?;
        Some(Validators {
            etag,
            last_modified,
        })
    }
    fn has_item(&self, item_url: &str) -> bool {
        self.0.has_page(item_url).unwrap_or(false)
    }
    fn failures(&self, item_url: &str) -> u32 {
        self.0.page_failures(item_url).unwrap_or(0)
    }
}

/// What one poll did.
#[derive(Debug, Default)]
pub struct PollSummary {
    pub feeds: u64,
    pub not_modified: u64,
    pub pages: u64,
    /// Pages kept but not read as articles (not HTML, no article text).
    pub not_articles: u64,
    pub errors: u64,
    pub written: BatchSummary,
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl std::fmt::Display for PollSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let w = &self.written;
        write!(
            f,
            "polled {} ({} not modified): {} fetched; {} ({} new, {} updated, {} unchanged), {} written; \
             {} kept but not read as articles; {}",
            plural(self.feeds, "feed", "feeds"),
            self.not_modified,
            plural(self.pages, "new page", "new pages"),
            plural(w.new + w.updated + w.unchanged, "article", "articles"),
            w.new,
            w.updated,
            w.unchanged,
            plural(w.attributions, "attribution", "attributions"),
            plural(self.not_articles, "page", "pages"),
            plural(self.errors, "error", "errors"),
        )
    }
}

/// One poll of `urls` into the record at `db`: the new pages of every feed
/// extracted and written, the feeds' state after them. Errors are printed
/// (and remembered in the record) and counted; the poll goes on.
///
/// `pages_too`: a URL that is a web page, not a feed, is fetched and
/// ingested as a page (`ingest URL`), unless the record has it already.
pub fn poll(
    ex: &Pipeline,
    pipeline: &str,
    urls: &[String],
    db: &Path,
    growth: &mut Growth,
    fetcher: &Fetcher,
    pages_too: bool,
) -> Result<PollSummary> {
    let mut store = Store::open(db).context("opening the record")?;
    let reader = Store::open_read(db).context("opening the record")?;
    let mut sum = PollSummary::default();
    let mut pending: Vec<(Document, PageRecord)> = Vec::new();
    let mut others: Vec<Item> = Vec::new();
    let mut feed_state: Option<FeedRecord> = None;
    let now = || chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);

    let poller = Poller::new(fetcher, RecordLog(&reader), urls.iter().cloned());
    for event in poller {
        match event {
            PollEvent::Feed {
                url,
                fetched,
                title,
                items,
                skipped,
                ..
            } => {
                sum.feeds += 1;
                if matches!(fetched, Fetched::NotModified) {
                    sum.not_modified += 1;
                }
                if !skipped.is_empty() {
                    eprintln!(
                        "onrecord: {url}: {} item{} left out ({})",
                        skipped.len(),
                        if skipped.len() == 1 { "" } else { "s" },
                        skipped.join("; ")
                    );
                }
                feed_state = Some(FeedRecord {
                    url,
                    title,
                    items: (items > 0).then_some(items as i64),
                    polled: now(),
                    ..FeedRecord::default()
                });
            }
            PollEvent::Page {
                item,
                feed,
                response,
            } => {
                sum.pages += 1;
                match page_document(&item, &response) {
                    Ok(doc) => pending.push((doc, page_record(&item, Some(feed), response, None))),
                    Err(why) => {
                        sum.not_articles += 1;
                        eprintln!("onrecord: {}: {why}", item.url);
                        others.push(Item::Error(ErrorRecord {
                            key: item.url.clone(),
                            path: item.url.clone(),
                            line: None,
                            message: format!("{why} (the page is kept in the record)"),
                        }));
                        let rec = page_record(&item, Some(feed), response, Some(why));
                        others.push(Item::Page(rec));
                    }
                }
            }
            PollEvent::Error {
                url,
                feed: None,
                item: None,
                error:
                    FetchError::Feed {
                        source: onrecord_feeds::FeedError::NotAFeed(_),
                        ..
                    },
                ..
            } if pages_too => {
                // a page given as a URL: one page to keep and ingest
                if reader.has_page(&url)? {
                    sum.written.unchanged += 1;
                    continue;
                }
                let item = onrecord_feeds::FeedItem {
                    url: url.clone(),
                    ..Default::default()
                };
                match fetcher.get(&url, None) {
                    Ok(Fetched::Modified(response)) => {
                        sum.pages += 1;
                        match page_document(&item, &response) {
                            Ok(doc) => {
                                pending.push((doc, page_record(&item, None, response, None)))
                            }
                            Err(why) => {
                                sum.not_articles += 1;
                                eprintln!("onrecord: {url}: {why}");
                                others.push(Item::Error(ErrorRecord {
                                    key: url.clone(),
                                    path: url.clone(),
                                    line: None,
                                    message: format!("{why} (the page is kept in the record)"),
                                }));
                                others.push(Item::Page(page_record(
                                    &item,
                                    None,
                                    response,
                                    Some(why),
                                )));
                            }
                        }
                    }
                    Ok(Fetched::NotModified) => sum.written.unchanged += 1,
                    Err(e) => {
                        sum.errors += 1;
                        eprintln!("onrecord: {e}");
                        let message = e.to_string();
                        let message = message
                            .strip_prefix(&format!("{url}: "))
                            .unwrap_or(&message)
                            .to_string();
                        others.push(Item::Error(ErrorRecord {
                            key: url.clone(),
                            path: url.clone(),
                            line: None,
                            message: message.clone(),
                        }));
                        others.push(Item::PageFailure(PageFailure {
                            url,
                            feed: None,
                            error: message,
                        }));
                    }
                }
            }
            PollEvent::Error {
                url,
                feed,
                item,
                error,
                given_up,
            } => {
                sum.errors += 1;
                let mut message = error.to_string();
                if given_up {
                    message.push_str(" (given up: it will not be fetched again)");
                }
                eprintln!("onrecord: {message}");
                let message = message
                    .strip_prefix(&format!("{url}: "))
                    .unwrap_or(&message)
                    .to_string();
                others.push(Item::Error(ErrorRecord {
                    key: url.clone(),
                    path: url.clone(),
                    line: None,
                    message: message.clone(),
                }));
                if item.is_some() {
                    others.push(Item::PageFailure(PageFailure {
                        url,
                        feed,
                        error: message,
                    }));
                } else {
                    others.push(Item::Feed(FeedRecord {
                        url,
                        polled: now(),
                        error: Some(message),
                        ..FeedRecord::default()
                    }));
                }
            }
            PollEvent::FeedDone { url, validators } => {
                // the feed's pages first, then its validators, in one batch
                let mut state = feed_state.take().unwrap_or_else(|| FeedRecord {
                    url: url.clone(),
                    polled: now(),
                    ..FeedRecord::default()
                });
                if let Some(v) = validators {
                    state.set_validators = true;
                    state.etag = v.etag;
                    state.last_modified = v.last_modified;
                }
                others.push(Item::Feed(state));
                flush(
                    ex,
                    pipeline,
                    &mut store,
                    &reader,
                    growth,
                    &mut pending,
                    &mut others,
                    &mut sum,
                )?;
            }
        }
        if pending.len() >= PAGE_BATCH {
            flush(
                ex,
                pipeline,
                &mut store,
                &reader,
                growth,
                &mut pending,
                &mut others,
                &mut sum,
            )?;
        }
    }
    flush(
        ex,
        pipeline,
        &mut store,
        &reader,
        growth,
        &mut pending,
        &mut others,
        &mut sum,
    )?;
    store.checkpoint().context("writing the record")?;
    Ok(sum)
}

/// Extracts the pending pages and writes them with everything else pending,
/// in one transaction: articles, then their pages, then the rest.
#[allow(clippy::too_many_arguments)]
fn flush(
    ex: &Pipeline,
    pipeline: &str,
    store: &mut Store,
    reader: &Store,
    growth: &mut Growth,
    pending: &mut Vec<(Document, PageRecord)>,
    others: &mut Vec<Item>,
    sum: &mut PollSummary,
) -> Result<()> {
    if pending.is_empty() && others.is_empty() {
        return Ok(());
    }
    let mut docs = Vec::with_capacity(pending.len());
    let mut pages = Vec::with_capacity(pending.len());
    for (doc, mut page) in pending.drain(..) {
        let hash = content_hash(&doc, pipeline);
        let key = article_key(&doc, &hash);
        page.article = Some(key.clone());
        docs.push((doc, key, hash));
        pages.push(Item::Page(page));
    }
    let mut items = Vec::new();
    extract_items(ex, reader, growth, docs, &mut items)?;
    items.extend(pages);
    items.append(others);
    sum.written += store.write_batch(items).context("writing to the record")?;
    Ok(())
}

/// The row that keeps a fetched page.
fn page_record(
    item: &onrecord_feeds::FeedItem,
    feed: Option<String>,
    r: Response,
    note: Option<String>,
) -> PageRecord {
    PageRecord {
        url: item.url.clone(),
        feed,
        final_url: r.url,
        fetched: r.fetched_at,
        status: r.status,
        content_type: r.content_type,
        body: r.body,
        article: None,
        note,
    }
}

/// A fetched page as a document: its main text and metadata, with the
/// feed's title, date and authors where the page gives none.
fn page_document(item: &onrecord_feeds::FeedItem, r: &Response) -> Result<Document, String> {
    if !r.is_html() {
        let what = r.media_type().unwrap_or_else(|| "no content type".into());
        return Err(format!("not a web page ({what})"));
    }
    let meta = onrecord_core::Metadata {
        crawled: r.fetched_at.get(..10).map(str::to_string),
        ..Default::default()
    };
    let id = format!("web:{}", hash_bytes(item.url.as_bytes()));
    let mut doc = onrecord_ingest::parse_html_page(
        id,
        &item.url,
        r.body.clone(),
        meta,
        Some(r.url.clone()),
        r.content_type.clone(),
    )
    .map_err(|e| e.kind.to_string())?;
    let m = &mut doc.meta;
    if m.title.is_none() {
        m.title.clone_from(&item.title);
    }
    if m.date.is_none() {
        m.date = item
            .published
            .clone()
            .filter(|d| onrecord_ingest::is_valid_date(d));
    }
    if m.authors.is_empty() {
        m.authors.clone_from(&item.authors);
    }
    Ok(doc)
}

/// The URLs among `paths` (and in files of URLs, one a line) apart from the
/// files to read: `(files, urls, errors)`.
pub fn split_urls(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<String>, Vec<String>) {
    let mut files = Vec::new();
    let mut urls = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        let s = p.to_string_lossy();
        if onrecord_feeds::is_url(&s) {
            urls.push(s.trim().to_string());
            continue;
        }
        match url_list(p) {
            Some(Ok(list)) => urls.extend(list),
            Some(Err(errs)) => {
                for e in errs {
                    errors.push(format!(
                        "{}:{}: {:?} is not an http(s) URL",
                        s, e.line, e.text
                    ));
                }
            }
            None => files.push(p.clone()),
        }
    }
    (files, urls, errors)
}

/// A small text file whose first line that is not blank or a comment is an
/// http(s) URL: a list of URLs.
fn url_list(path: &Path) -> Option<Result<Vec<String>, Vec<onrecord_feeds::UrlListError>>> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > 4 * 1024 * 1024 {
        return None;
    }
    let mut head = [0u8; 2048];
    let n = std::io::Read::read(&mut std::fs::File::open(path).ok()?, &mut head).ok()?;
    let head = String::from_utf8_lossy(&head[..n]);
    let first = head
        .lines()
        .map(|l| l.trim().trim_start_matches('\u{feff}'))
        .find(|l| !l.is_empty() && !l.starts_with('#'))?;
    if !onrecord_feeds::is_url(first.split_whitespace().next().unwrap_or("")) {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    Some(onrecord_feeds::parse_url_list(&text))
}

/// `onrecord watch`: polls the feeds now and then every `every`, for ever
/// (or once). Exit code 2 after a single poll with errors.
#[allow(clippy::too_many_arguments)]
pub fn watch(
    ex: &Pipeline,
    pipeline: &str,
    feeds: &[PathBuf],
    db: &Path,
    every: Schedule,
    once: bool,
    fetch: &FetchArgs,
    quiet: bool,
) -> Result<std::process::ExitCode> {
    let (files, urls, errors) = split_urls(feeds);
    for e in &errors {
        eprintln!("onrecord: {e}");
    }
    if let Some(f) = files.first() {
        anyhow::bail!(
            "{}: not a feed URL nor a file of feed URLs (one http(s) URL a line)",
            f.display()
        );
    }
    anyhow::ensure!(!urls.is_empty(), "no feed URLs to watch");
    let fetcher = Fetcher::new(fetch.config()).map_err(|e: FetchError| anyhow::anyhow!("{e}"))?;
    let mut growth = {
        let store = Store::open(db).context("opening the record")?;
        drop(store);
        let reader = Store::open_read(db).context("opening the record")?;
        Growth::load(&reader)?
    };
    loop {
        let started = Instant::now();
        let sum = poll(ex, pipeline, &urls, db, &mut growth, &fetcher, false)?;
        if !quiet {
            let next = if once {
                String::new()
            } else {
                format!("; next poll in {every}")
            };
            eprintln!("onrecord: {sum}{next} → {}", db.display());
        }
        if once {
            let failed = sum.errors > 0 || !errors.is_empty();
            return Ok(if failed {
                std::process::ExitCode::from(2)
            } else {
                std::process::ExitCode::SUCCESS
            });
        }
        std::thread::sleep(every.wait_after(started.elapsed()));
    }
}
