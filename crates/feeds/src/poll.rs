//! One poll of a list of feeds: what to fetch, in what order, and the events
//! the caller stores.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Mutex, PoisonError};

use crate::fetch::{FetchError, Fetched, Fetcher, Response, Validators};
use crate::parse::{parse_feed, FeedItem};

/// What a poll remembers between runs. `onrecord` implements it over the
/// SQLite record; [`MemoryLog`] is the in-memory one (tests, dry runs).
///
/// The poller only reads the log; the caller writes each [`PollEvent`] into
/// it before asking for the next one, so a log implementation that needs
/// `&mut self` to write uses interior mutability, or is handed to the poller
/// by value and reached through [`Poller::log_mut`].
pub trait FetchLog {
    /// The validators of a feed (by the URL given to the poller) from its last
    /// complete fetch: what [`PollEvent::FeedDone`] carried.
    fn validators(&self, feed_url: &str) -> Option<Validators>;
    /// Has this item's page (by [`FeedItem::url`]) been fetched and stored?
    fn has_item(&self, item_url: &str) -> bool;
    /// How many earlier attempts at this item's page failed
    /// ([`PollEvent::Error`] with an item). At [`PollConfig::max_failures`]
    /// the poller gives up on it.
    fn failures(&self, item_url: &str) -> u32;
}

impl<T: FetchLog + ?Sized> FetchLog for &T {
    fn validators(&self, feed_url: &str) -> Option<Validators> {
        (**self).validators(feed_url)
    }
    fn has_item(&self, item_url: &str) -> bool {
        (**self).has_item(item_url)
    }
    fn failures(&self, item_url: &str) -> u32 {
        (**self).failures(item_url)
    }
}

impl<T: FetchLog + ?Sized> FetchLog for &mut T {
    fn validators(&self, feed_url: &str) -> Option<Validators> {
        (**self).validators(feed_url)
    }
    fn has_item(&self, item_url: &str) -> bool {
        (**self).has_item(item_url)
    }
    fn failures(&self, item_url: &str) -> u32 {
        (**self).failures(item_url)
    }
}

/// One thing a poll did, in order. For each feed URL: either one `Error`
/// (the feed could not be fetched or is not a feed), or `Feed`, then a `Page`
/// or an `Error` per new item, then `FeedDone`.
///
/// Store each event before asking for the next: a run killed half-way then
/// leaves the pages stored so far, and the feed's validators (stored only at
/// `FeedDone`) unchanged, so the next run fetches the feed again and only the
/// pages it lacks.
#[derive(Debug)]
pub enum PollEvent {
    /// A feed was fetched (or was not modified).
    Feed {
        /// The feed URL as given.
        url: String,
        /// The response (the raw feed, to keep) or `NotModified`.
        fetched: Fetched,
        /// The feed's title.
        title: Option<String>,
        /// Items in the feed (0 when not modified).
        items: usize,
        /// Items whose page will be fetched now (the `Page`/`Error` events
        /// that follow).
        new_items: usize,
        /// Items skipped because their page failed [`PollConfig::max_failures`]
        /// times already.
        given_up: usize,
        /// Items the feed lists that cannot be fetched (no link, a bad link, a
        /// duplicate), one line each, from [`crate::Feed::skipped`].
        skipped: Vec<String>,
    },
    /// A new item's page.
    Page {
        /// The item, as the feed describes it.
        item: FeedItem,
        /// The feed URL as given.
        feed: String,
        /// The page (any content type: the caller decides what to keep).
        response: Response,
    },
    /// A feed or a page could not be fetched.
    Error {
        /// The feed URL (feed errors) or the item's URL (page errors).
        url: String,
        /// For a page: the feed it came from.
        feed: Option<String>,
        /// For a page: the item (its `summary_html` may stand in for the page).
        item: Option<Box<FeedItem>>,
        /// What went wrong.
        error: FetchError,
        /// For a page: this was the last attempt (its failures reached
        /// [`PollConfig::max_failures`]); later polls skip it.
        given_up: bool,
    },
    /// A feed is done: all its new pages were yielded.
    FeedDone {
        /// The feed URL as given.
        url: String,
        /// Store these as the feed's validators (possibly empty: the server
        /// sent none); `None` when the feed was not modified (keep the old).
        validators: Option<Validators>,
    },
}

/// How a poll behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollConfig {
    /// Threads fetching pages of different hosts at once (1: one at a time).
    /// Events come in the same order whatever the number. Default 4.
    pub workers: usize,
    /// Give up on an item's page after this many failed attempts (across
    /// polls). Default 3.
    pub max_failures: u32,
}

impl Default for PollConfig {
    fn default() -> Self {
        PollConfig {
            workers: 4,
            max_failures: 3,
        }
    }
}

/// A poll of some feeds: an iterator of [`PollEvent`]s.
///
/// Feeds are fetched one after another, conditionally (the log's
/// validators). The new items of a feed (not in the log, not seen earlier in
/// this poll, not given up) are fetched in feed order; consecutive items on
/// different hosts are fetched together (up to [`PollConfig::workers`]
/// threads, one host each, with the fetcher's per-host interval), and their
/// events still come in feed order.
pub struct Poller<'a, L: FetchLog> {
    fetcher: &'a Fetcher,
    log: L,
    cfg: PollConfig,
    feeds: VecDeque<String>,
    /// Events ready to hand out.
    ready: VecDeque<PollEvent>,
    /// The feed whose pages are being fetched, and its items still to do.
    current: Option<Current>,
    /// Item URLs handled in this poll (a link in two feeds is fetched once).
    seen: HashSet<String>,
}

struct Current {
    feed: String,
    validators: Option<Validators>,
    todo: VecDeque<FeedItem>,
}

impl<'a, L: FetchLog> Poller<'a, L> {
    /// A poll of `feed_urls` (duplicates dropped) with [`PollConfig::default`].
    pub fn new<I, S>(fetcher: &'a Fetcher, log: L, feed_urls: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self::with_config(fetcher, log, feed_urls, PollConfig::default())
    }

    /// A poll with the given configuration.
    pub fn with_config<I, S>(fetcher: &'a Fetcher, log: L, feed_urls: I, cfg: PollConfig) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut unique = HashSet::new();
        let feeds = feed_urls
            .into_iter()
            .map(Into::into)
            .filter(|u: &String| unique.insert(u.clone()))
            .collect();
        Poller {
            fetcher,
            log,
            cfg,
            feeds,
            ready: VecDeque::new(),
            current: None,
            seen: HashSet::new(),
        }
    }

    /// The log.
    pub fn log(&self) -> &L {
        &self.log
    }

    /// The log, to record an event in (when the poller owns it).
    pub fn log_mut(&mut self) -> &mut L {
        &mut self.log
    }

    /// The log back, when the poll is over (or abandoned).
    pub fn into_log(self) -> L {
        self.log
    }

    /// Fetches and parses the next feed, queueing its `Feed` event (or its
    /// `Error`) and its items.
    fn start_feed(&mut self, url: String) {
        let known = self.log.validators(&url);
        let fetched = match self
            .fetcher
            .get(&url, known.as_ref().filter(|v| !v.is_empty()))
        {
            Ok(f) => f,
            Err(error) => {
                self.ready.push_back(PollEvent::Error {
                    url,
                    feed: None,
                    item: None,
                    error,
                    given_up: false,
                });
                return;
            }
        };
        let response = match fetched {
            Fetched::NotModified => {
                self.ready.push_back(PollEvent::Feed {
                    url: url.clone(),
                    fetched: Fetched::NotModified,
                    title: None,
                    items: 0,
                    new_items: 0,
                    given_up: 0,
                    skipped: Vec::new(),
                });
                self.ready.push_back(PollEvent::FeedDone {
                    url,
                    validators: None,
                });
                return;
            }
            Fetched::Modified(r) => r,
        };
        let feed = match parse_feed(&response.body, Some(&response.url)) {
            Ok(feed) => feed,
            Err(source) => {
                let error = FetchError::Feed {
                    url: url.clone(),
                    source,
                };
                self.ready.push_back(PollEvent::Error {
                    url,
                    feed: None,
                    item: None,
                    error,
                    given_up: false,
                });
                return;
            }
        };
        let total = feed.items.len();
        let mut given_up = 0;
        let mut todo = VecDeque::new();
        let mut queued = HashSet::new();
        for item in feed.items {
            if self.seen.contains(&item.url)
                || queued.contains(&item.url)
                || self.log.has_item(&item.url)
            {
                continue;
            }
            if self.log.failures(&item.url) >= self.cfg.max_failures {
                given_up += 1;
                continue;
            }
            queued.insert(item.url.clone());
            todo.push_back(item);
        }
        let validators = Some(response.validators.clone());
        self.ready.push_back(PollEvent::Feed {
            url: url.clone(),
            fetched: Fetched::Modified(response),
            title: feed.title,
            items: total,
            new_items: todo.len(),
            given_up,
            skipped: feed.skipped,
        });
        self.current = Some(Current {
            feed: url,
            validators,
            todo,
        });
    }

    /// Fetches the next run of items (consecutive, each on a different host,
    /// at most `workers`), queueing their events in feed order.
    fn fetch_some(&mut self) {
        let Some(current) = self.current.as_mut() else {
            return;
        };
        let mut batch: Vec<FeedItem> = Vec::new();
        let mut hosts = HashSet::new();
        while let Some(item) = current.todo.front() {
            // Stored since the feed was read (the caller records as it goes)?
            if self.seen.contains(&item.url) || self.log.has_item(&item.url) {
                current.todo.pop_front();
                continue;
            }
            let host = host_of(&item.url);
            if batch.len() >= self.cfg.workers.max(1) || !hosts.insert(host) {
                break;
            }
            if let Some(item) = current.todo.pop_front() {
                self.seen.insert(item.url.clone());
                batch.push(item);
            }
        }
        let fetcher = self.fetcher;
        let results: Vec<Result<Response, FetchError>> = if batch.len() <= 1 {
            batch
                .iter()
                .map(|item| get_page(fetcher, &item.url))
                .collect()
        } else {
            let slots: Mutex<HashMap<usize, Result<Response, FetchError>>> =
                Mutex::new(HashMap::new());
            std::thread::scope(|scope| {
                for (i, item) in batch.iter().enumerate() {
                    let slots = &slots;
                    scope.spawn(move || {
                        let result = get_page(fetcher, &item.url);
                        slots
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .insert(i, result);
                    });
                }
            });
            let mut slots = slots.into_inner().unwrap_or_else(PoisonError::into_inner);
            (0..batch.len())
                .map(|i| {
                    slots.remove(&i).unwrap_or_else(|| {
                        Err(FetchError::Connection {
                            url: batch[i].url.clone(),
                            reason: "the fetching thread failed".into(),
                            attempts: 1,
                        })
                    })
                })
                .collect()
        };
        let feed = current.feed.clone();
        for (item, result) in batch.into_iter().zip(results) {
            let event = match result {
                Ok(response) => PollEvent::Page {
                    item,
                    feed: feed.clone(),
                    response,
                },
                Err(error) => {
                    let given_up = self.log.failures(&item.url) + 1 >= self.cfg.max_failures;
                    PollEvent::Error {
                        url: item.url.clone(),
                        feed: Some(feed.clone()),
                        item: Some(Box::new(item)),
                        error,
                        given_up,
                    }
                }
            };
            self.ready.push_back(event);
        }
    }
}

fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .unwrap_or_default()
}

/// A page GET: unconditional, so a 304 is the server's error.
fn get_page(fetcher: &Fetcher, url: &str) -> Result<Response, FetchError> {
    match fetcher.get(url, None)? {
        Fetched::Modified(r) => Ok(r),
        Fetched::NotModified => Err(FetchError::BadResponse {
            url: url.to_string(),
            reason: "HTTP 304 Not Modified to a request that was not conditional".into(),
        }),
    }
}

impl<L: FetchLog> Iterator for Poller<'_, L> {
    type Item = PollEvent;

    fn next(&mut self) -> Option<PollEvent> {
        loop {
            if let Some(event) = self.ready.pop_front() {
                return Some(event);
            }
            if let Some(current) = &self.current {
                if current.todo.is_empty() {
                    if let Some(done) = self.current.take() {
                        return Some(PollEvent::FeedDone {
                            url: done.feed,
                            validators: done.validators,
                        });
                    }
                } else {
                    self.fetch_some();
                    continue;
                }
            }
            let url = self.feeds.pop_front()?;
            self.start_feed(url);
        }
    }
}

/// A [`FetchLog`] in memory, for tests and dry runs. Record each event with
/// [`MemoryLog::record`] (through `&self`, so it can be shared with the
/// poller).
#[derive(Debug, Default)]
pub struct MemoryLog {
    state: Mutex<MemoryState>,
}

#[derive(Debug, Default, Clone)]
struct MemoryState {
    validators: HashMap<String, Validators>,
    items: HashSet<String>,
    failures: HashMap<String, u32>,
    pages: usize,
}

impl MemoryLog {
    /// An empty log.
    pub fn new() -> Self {
        Self::default()
    }

    fn state(&self) -> std::sync::MutexGuard<'_, MemoryState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Remembers what `event` means for later polls: a page (by item URL and
    /// final URL), a page failure, a feed's validators at `FeedDone`.
    pub fn record(&self, event: &PollEvent) {
        let mut s = self.state();
        match event {
            PollEvent::Page { item, response, .. } => {
                s.items.insert(item.url.clone());
                s.items.insert(response.url.clone());
                s.failures.remove(&item.url);
                s.pages += 1;
            }
            PollEvent::Error {
                url, item: Some(_), ..
            } => *s.failures.entry(url.clone()).or_insert(0) += 1,
            PollEvent::FeedDone {
                url,
                validators: Some(v),
            } => {
                s.validators.insert(url.clone(), v.clone());
            }
            PollEvent::Feed { .. } | PollEvent::Error { .. } | PollEvent::FeedDone { .. } => {}
        }
    }

    /// How many pages were recorded.
    pub fn pages(&self) -> usize {
        self.state().pages
    }
}

impl FetchLog for MemoryLog {
    fn validators(&self, feed_url: &str) -> Option<Validators> {
        self.state().validators.get(feed_url).cloned()
    }

    fn has_item(&self, item_url: &str) -> bool {
        self.state().items.contains(item_url)
    }

    fn failures(&self, item_url: &str) -> u32 {
        self.state().failures.get(item_url).copied().unwrap_or(0)
    }
}
