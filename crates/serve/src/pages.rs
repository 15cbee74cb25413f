//! The web pages: one handler, one view struct and one template
//! (`templates/`, compiled in, every value escaped) per page, and the
//! route table [`routes`].
//!
//! To add a page: write a handler returning [`PageResult`] that loads what
//! it shows through `app.db.read(...)`, a view struct deriving `Template`
//! with a template in `templates/` (extending `base.html`), and add one
//! line to [`routes`].

use crate::api::{clean, load_article, Filters};
use crate::util::{enc, snippet_html, url_with};
use crate::{chart, highlight, ApiError, AppState};
use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use onrecord_store::query::{Hit, Period, Quote, QuoteFilter};
use serde::Deserialize;
use std::collections::BTreeSet;

/// One page route; the router is built from this table.
pub(crate) struct PageRoute {
    pub path: &'static str,
    pub handler: MethodRouter<AppState>,
}

pub(crate) fn routes() -> Vec<PageRoute> {
    let r = |path, handler| PageRoute { path, handler };
    vec![
        r("/", get(home)),
        r("/search", get(search)),
        r("/people/{id}", get(person)),
        r("/articles/{id}", get(article)),
        r("/threads", get(threads)),
        r("/threads/{id}", get(thread)),
    ]
}

/// A page, or an error page with the error's status.
pub(crate) struct PageError(ApiError);

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> PageError {
        PageError(e)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        error_page(self.0)
    }
}

type PageResult = Result<Response, PageError>;

fn render<T: Template>(t: &T) -> PageResult {
    match t.render() {
        Ok(html) => Ok(Html(html).into_response()),
        Err(e) => Err(ApiError::internal(format!("rendering the page: {e}")).into()),
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorView {
    q: String,
    status: u16,
    reason: String,
    message: String,
}

/// An HTML page for an error, with its status.
pub(crate) fn error_page(e: ApiError) -> Response {
    let v = ErrorView {
        q: String::new(),
        status: e.status.as_u16(),
        reason: e.status.canonical_reason().unwrap_or("Error").to_string(),
        message: e.message.clone(),
    };
    match v.render() {
        Ok(html) => (e.status, Html(html)).into_response(),
        Err(_) => (e.status, e.message).into_response(),
    }
}

/// A statement as the pages list it.
pub(crate) struct QuoteRow {
    pub id: i64,
    pub date: String,
    pub outlet: String,
    pub speaker: String,
    /// The speaker's page (linked entity), else a search by name; empty
    /// without a speaker.
    pub speaker_url: String,
    pub cue: String,
    pub content: String,
    pub kind: String,
    /// The article, at the statement.
    pub article_url: String,
    pub article_title: String,
    /// One of `chart::STANCES`.
    pub stance: &'static str,
    /// Its thread's page; empty when it is in none.
    pub thread_url: String,
    pub thread: String,
}

fn thread_url(id: &str) -> String {
    format!("/threads/{}", enc(id))
}

fn or_dash(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "–".into())
}

impl From<&Quote> for QuoteRow {
    fn from(q: &Quote) -> QuoteRow {
        let speaker = q.speaker.clone().unwrap_or_default();
        let speaker_url = speaker_url(&q.entity, &speaker);
        QuoteRow {
            id: q.id,
            date: or_dash(&q.date),
            outlet: or_dash(&q.outlet),
            speaker,
            speaker_url,
            cue: q.cue.clone(),
            content: q.content.clone(),
            kind: q.kind.clone(),
            article_url: format!("/articles/{}#q{}", q.article_id, q.id),
            article_title: q.title.clone().unwrap_or_else(|| q.article.clone()),
            stance: chart::stance_class(&q.stance),
            thread_url: q.thread.as_deref().map(thread_url).unwrap_or_default(),
            thread: q.thread.clone().unwrap_or_default(),
        }
    }
}

struct PersonRow {
    name: String,
    url: String,
    /// "11 statements in 2 articles"
    counts: String,
    /// "2025-11-12 … 2026-02-11", empty when undated
    range: String,
}

/// A `page` parameter: 1 to 1,000,000, else 1.
fn page_number(v: &Option<String>) -> usize {
    clean(v)
        .and_then(|p| p.parse::<usize>().ok())
        .filter(|p| (1..=1_000_000).contains(p))
        .unwrap_or(1)
}

/// "11 statements in 2 articles"
fn counts(statements: u64, articles: u64) -> String {
    format!(
        "{} in {}",
        n_of(statements, "statement"),
        n_of(articles, "article")
    )
}

/// A speaker's link: their page (linked entity), else a search by name;
/// empty without a speaker.
fn speaker_url(entity: &Option<String>, speaker: &str) -> String {
    match (entity, speaker.is_empty()) {
        (Some(e), _) => format!("/people/{}", enc(e)),
        (None, false) => url_with("/search", &[("speaker", speaker.to_string())]),
        (None, true) => String::new(),
    }
}

/// "1 article", "2 articles"
fn n_of(n: u64, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

fn range(first: &Option<String>, last: &Option<String>) -> String {
    match (first, last) {
        (Some(f), Some(l)) if f == l => f.clone(),
        (Some(f), Some(l)) => format!("{f} … {l}"),
        (Some(d), None) | (None, Some(d)) => d.clone(),
        (None, None) => String::new(),
    }
}

impl PersonRow {
    fn new(p: &onrecord_store::query::Person) -> PersonRow {
        PersonRow {
            name: p.name.clone(),
            url: format!("/people/{}", enc(&p.id)),
            counts: counts(p.statements, p.articles),
            range: range(&p.first, &p.last),
        }
    }
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomeView {
    q: String,
    articles: u64,
    statements: u64,
    people_total: u64,
    people: Vec<PersonRow>,
    latest: Vec<QuoteRow>,
}

async fn home(State(app): State<AppState>) -> PageResult {
    let (counts, people, latest) = app
        .db
        .read(|s| {
            let f = QuoteFilter {
                newest_first: true,
                limit: Some(20),
                ..QuoteFilter::default()
            };
            Ok((s.counts()?, s.people(12)?, s.quotes(&f)?))
        })
        .await?;
    render(&HomeView {
        q: String::new(),
        articles: counts.articles,
        statements: counts.attributions,
        people_total: counts.people,
        people: people.iter().map(PersonRow::new).collect(),
        latest: latest.iter().map(QuoteRow::from).collect(),
    })
}

/// The search form's fields (any may be absent or blank).
#[derive(Debug, Default, Deserialize)]
struct SearchForm {
    q: Option<String>,
    speaker: Option<String>,
    from: Option<String>,
    to: Option<String>,
    outlet: Option<String>,
    kind: Option<String>,
    page: Option<String>,
}

struct Opt {
    value: String,
    label: String,
    selected: bool,
}

struct HitRow {
    url: String,
    title: String,
    date: String,
    outlet: String,
    speaker: String,
    snippet_html: String,
}

impl HitRow {
    fn new(h: &Hit) -> HitRow {
        HitRow {
            url: if h.kind == "statement" {
                format!("/articles/{}#q{}", h.article_id, h.id)
            } else {
                format!("/articles/{}", h.article_id)
            },
            title: h.title.clone().unwrap_or_else(|| h.article.clone()),
            date: or_dash(&h.date),
            outlet: or_dash(&h.outlet),
            speaker: h.speaker.clone().unwrap_or_default(),
            snippet_html: snippet_html(&h.snippet),
        }
    }
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchView {
    q: String,
    speaker: String,
    from: String,
    to: String,
    outlets: Vec<Opt>,
    kinds: Vec<Opt>,
    error: String,
    /// People whose name matches the words, or the speaker filter.
    people: Vec<PersonRow>,
    /// A full-text search was run.
    searched: bool,
    /// No query, but filters: the statements they select.
    browsed: bool,
    statements: Vec<HitRow>,
    articles: Vec<HitRow>,
    statements_total: u64,
    articles_total: u64,
    /// The statements the filters select (when browsing).
    rows: Vec<QuoteRow>,
    quotes_total: u64,
    page: usize,
    prev_url: String,
    next_url: String,
}

/// Results per page on the search page.
const SEARCH_PAGE: usize = 20;

async fn search(
    State(app): State<AppState>,
    form: Result<Query<SearchForm>, QueryRejection>,
) -> PageResult {
    // a form that does not parse (a repeated field) is an empty form
    let form = form.map(|Query(f)| f).unwrap_or_default();
    let q = clean(&form.q).unwrap_or_default();
    let filters = Filters {
        speaker: form.speaker.clone(),
        from: form.from.clone(),
        to: form.to.clone(),
        outlet: form.outlet.clone(),
        kind: form.kind.clone(),
        ..Filters::default()
    };
    let page = page_number(&form.page);
    let offset = (page - 1) * SEARCH_PAGE;
    let checked = filters.to_filter();
    let mut v = SearchView {
        q: q.clone(),
        speaker: clean(&form.speaker).unwrap_or_default(),
        from: clean(&form.from).unwrap_or_default(),
        to: clean(&form.to).unwrap_or_default(),
        outlets: Vec::new(),
        kinds: ["direct", "mixed", "indirect"]
            .iter()
            .map(|k| Opt {
                value: k.to_string(),
                label: k.to_string(),
                selected: clean(&form.kind).as_deref() == Some(*k),
            })
            .collect(),
        error: String::new(),
        people: Vec::new(),
        searched: false,
        browsed: false,
        statements: Vec::new(),
        articles: Vec::new(),
        statements_total: 0,
        articles_total: 0,
        rows: Vec::new(),
        quotes_total: 0,
        page,
        prev_url: String::new(),
        next_url: String::new(),
    };
    let outlet = clean(&form.outlet).unwrap_or_default();
    let outlets = app.db.read(|s| Ok(s.outlets()?)).await?;
    v.outlets = outlets
        .into_iter()
        .map(|c| Opt {
            selected: c.key.eq_ignore_ascii_case(&outlet),
            label: format!("{} ({})", c.key, c.count),
            value: c.key,
        })
        .collect();
    let f = match checked {
        Ok(f) => f,
        Err(e) => {
            v.error = e.message;
            return Ok((StatusCode::BAD_REQUEST, render(&v)?).into_response());
        }
    };
    let any_filter = f.speaker.is_some()
        || f.from.is_some()
        || f.to.is_some()
        || f.outlet.is_some()
        || f.kind.is_some();
    let name = if q.is_empty() {
        f.speaker.clone().unwrap_or_default()
    } else {
        q.clone()
    };
    if !name.is_empty() && page == 1 {
        let people = app.db.read(move |s| Ok(s.people_named(&name, 6)?)).await?;
        v.people = people.iter().map(PersonRow::new).collect();
    }
    let more;
    if !q.is_empty() {
        let query = q.clone();
        let f2 = f.clone();
        let r = app
            .db
            .read(move |s| Ok(s.search_page(&query, &f2, SEARCH_PAGE, offset)?))
            .await;
        match r {
            Ok(r) => {
                v.searched = true;
                v.statements = r.statements.iter().map(HitRow::new).collect();
                v.articles = r.articles.iter().map(HitRow::new).collect();
                v.statements_total = r.statements_total;
                v.articles_total = r.articles_total;
                more = (offset + SEARCH_PAGE) < r.statements_total.max(r.articles_total) as usize;
            }
            Err(e) if e.status == StatusCode::BAD_REQUEST => {
                v.error = e.message;
                return Ok((StatusCode::BAD_REQUEST, render(&v)?).into_response());
            }
            Err(e) => return Err(e.into()),
        }
    } else if any_filter {
        let mut f2 = f.clone();
        f2.limit = Some(SEARCH_PAGE);
        f2.offset = Some(offset);
        f2.newest_first = true;
        let (total, quotes) = app
            .db
            .read(move |s| Ok((s.count_quotes(&f2)?, s.quotes(&f2)?)))
            .await?;
        v.browsed = true;
        v.quotes_total = total;
        v.rows = quotes.iter().map(QuoteRow::from).collect();
        more = (offset + SEARCH_PAGE) < total as usize;
    } else {
        more = false;
    }
    let link = |p: usize| {
        url_with(
            "/search",
            &[
                ("q", q.clone()),
                ("speaker", v.speaker.clone()),
                ("from", v.from.clone()),
                ("to", v.to.clone()),
                ("outlet", outlet.clone()),
                ("kind", clean(&form.kind).unwrap_or_default()),
                ("page", if p > 1 { p.to_string() } else { String::new() }),
            ],
        )
    };
    if page > 1 {
        v.prev_url = link(page - 1);
    }
    if more {
        v.next_url = link(page + 1);
    }
    render(&v)
}

/// A role as the person page lists it: one per title, with the dates it
/// was given, linking to the latest article that gives it.
struct RoleRow {
    title: String,
    dates: String,
    articles: String,
    url: String,
}

fn role_rows(roles: &[onrecord_store::query::RoleSeen]) -> Vec<RoleRow> {
    // roles come by date (undated last); group by title, in first-seen order
    let mut groups: Vec<(String, Vec<&onrecord_store::query::RoleSeen>)> = Vec::new();
    for r in roles {
        let key = r.title.to_lowercase();
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, g)) => g.push(r),
            None => groups.push((key, vec![r])),
        }
    }
    groups
        .into_iter()
        .map(|(_, g)| {
            let dates: Vec<&str> = g.iter().filter_map(|r| r.date.as_deref()).collect();
            let first = dates.first().map(|d| d.to_string());
            let last = dates.last().map(|d| d.to_string());
            let n: BTreeSet<i64> = g.iter().map(|r| r.article_id).collect();
            let latest = g.iter().rev().find(|r| r.date.is_some()).unwrap_or(&g[0]);
            RoleRow {
                title: g[0].title.clone(),
                dates: match range(&first, &last) {
                    r if r.is_empty() => "undated".into(),
                    r => r,
                },
                articles: n_of(n.len() as u64, "article"),
                url: format!("/articles/{}", latest.article_id),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonView {
    q: String,
    id: String,
    name: String,
    entity_type: String,
    aliases: String,
    roles: Vec<RoleRow>,
    statements: u64,
    counts: String,
    seen: String,
    outlets: String,
    chart_html: String,
    undated: u64,
    rows: Vec<QuoteRow>,
    shown_from: usize,
    shown_to: usize,
    prev_url: String,
    next_url: String,
}

/// Statements per page on a person's page.
pub(crate) const PERSON_PAGE: usize = 1000;

#[derive(Debug, Default, Deserialize)]
struct PageParam {
    page: Option<String>,
}

async fn person(
    State(app): State<AppState>,
    Path(id): Path<String>,
    p: Result<Query<PageParam>, QueryRejection>,
) -> PageResult {
    let page = p.map_or(1, |Query(p)| page_number(&p.page));
    let offset = (page - 1) * PERSON_PAGE;
    let pid = id.clone();
    let found = app
        .db
        .read(move |s| {
            let Some(profile) = s.person_by_id(&pid, 0)? else {
                return Ok(None);
            };
            let weeks = s.person_timeline(&pid, Period::Week)?;
            let f = QuoteFilter {
                person: Some(pid.clone()),
                newest_first: true,
                limit: Some(PERSON_PAGE),
                offset: Some(offset),
                ..QuoteFilter::default()
            };
            Ok(Some((profile, weeks, s.quotes(&f)?)))
        })
        .await?;
    let Some((p, weeks, quotes)) = found else {
        return Err(ApiError::not_found(format!("no person {id:?} in the record")).into());
    };
    let url = |n: usize| {
        if n > 1 {
            format!("/people/{}?page={n}", enc(&p.id))
        } else {
            format!("/people/{}", enc(&p.id))
        }
    };
    let shown_to = offset + quotes.len();
    render(&PersonView {
        q: String::new(),
        id: p.id.clone(),
        name: p.name.clone(),
        entity_type: p.entity_type.clone().unwrap_or_default(),
        aliases: p.aliases.join(" · "),
        roles: role_rows(&p.roles),
        statements: p.statements,
        counts: counts(p.statements, p.articles),
        seen: range(&p.first_seen, &p.last_seen),
        outlets: p
            .outlets
            .iter()
            .map(|c| {
                let outlet = if c.key == "-" { "no outlet" } else { &c.key };
                format!("{outlet} ({})", c.count)
            })
            .collect::<Vec<_>>()
            .join(", "),
        chart_html: chart::bars(&weeks.buckets, "week"),
        undated: weeks.undated,
        rows: quotes.iter().map(QuoteRow::from).collect(),
        shown_from: if quotes.is_empty() { 0 } else { offset + 1 },
        shown_to,
        prev_url: if page > 1 {
            url(page - 1)
        } else {
            String::new()
        },
        next_url: if (shown_to as u64) < p.statements {
            url(page + 1)
        } else {
            String::new()
        },
    })
}

struct AttrRow {
    id: i64,
    speaker: String,
    speaker_url: String,
    source: String,
    cue: String,
    content: String,
    kind: String,
    stance: &'static str,
    thread: String,
    thread_url: String,
}

#[derive(Template)]
#[template(path = "article.html")]
struct ArticlePage {
    q: String,
    row_id: i64,
    doc: String,
    title: String,
    date: String,
    outlet: String,
    authors: String,
    editor: String,
    /// The article's URL when it is http(s); anything else is shown as text.
    link: String,
    url_text: String,
    text_html: String,
    attributions: Vec<AttrRow>,
    mentions: usize,
}

/// Only http and https URLs become links (never `javascript:` and the like).
fn safe_link(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    (u.starts_with("https://") || u.starts_with("http://")) && !u.contains(char::is_whitespace)
}

async fn article(State(app): State<AppState>, Path(id): Path<String>) -> PageResult {
    let Some(a) = load_article(&app, id.clone()).await? else {
        return Err(ApiError::not_found(format!("no article {id:?} in the record")).into());
    };
    let text_html = highlight::article_html(&a.article.text, &a.article.attributions, &a.mentions);
    let art = a.article;
    let url = art.url.clone().unwrap_or_default();
    render(&ArticlePage {
        q: String::new(),
        row_id: art.id,
        doc: art.doc.clone(),
        title: art.title.clone().unwrap_or_else(|| art.doc.clone()),
        date: or_dash(&art.date),
        outlet: art.outlet.clone().unwrap_or_default(),
        authors: art.authors.join(", "),
        editor: art.editor.clone().unwrap_or_default(),
        link: if safe_link(&url) {
            url.clone()
        } else {
            String::new()
        },
        url_text: url,
        text_html,
        attributions: art
            .attributions
            .iter()
            .map(|q| {
                let r = QuoteRow::from(q);
                AttrRow {
                    id: q.id,
                    speaker: r.speaker,
                    speaker_url: r.speaker_url,
                    source: q.source.clone(),
                    cue: q.cue.clone(),
                    content: q.content.clone(),
                    kind: q.kind.clone(),
                    stance: r.stance,
                    thread: r.thread,
                    thread_url: r.thread_url,
                }
            })
            .collect(),
        mentions: a.mentions.len(),
    })
}

/// A thread as the threads page lists it.
struct ThreadItem {
    url: String,
    label: String,
    terms: String,
    counts: String,
    range: String,
    stances: Vec<StanceCount>,
    event: String,
}

/// A stance and how many statements take it.
struct StanceCount {
    stance: &'static str,
    count: u64,
}

/// Counts in the order of `chart::STANCES`, every stance present.
fn stance_counts(counts: &[(String, u64)]) -> Vec<StanceCount> {
    chart::STANCES
        .iter()
        .map(|st| StanceCount {
            stance: st,
            count: counts
                .iter()
                .filter(|(k, _)| chart::stance_class(k) == *st)
                .map(|(_, n)| n)
                .sum(),
        })
        .collect()
}

impl ThreadItem {
    fn new(t: &onrecord_store::threads::ThreadRow) -> ThreadItem {
        ThreadItem {
            url: thread_url(&t.id),
            label: t.label.clone(),
            terms: t.terms.join(" · "),
            counts: counts(t.statements, t.articles),
            range: range(&t.first, &t.last),
            stances: stance_counts(&t.stances),
            event: t.event.clone().unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "threads.html")]
struct ThreadsPage {
    q: String,
    about: String,
    total: u64,
    shown_from: usize,
    shown_to: usize,
    rows: Vec<ThreadItem>,
    prev_url: String,
    next_url: String,
}

#[derive(Debug, Default, Deserialize)]
struct ThreadsForm {
    about: Option<String>,
    page: Option<String>,
}

/// Threads per page on the threads page.
const THREADS_PAGE: usize = 30;

async fn threads(
    State(app): State<AppState>,
    form: Result<Query<ThreadsForm>, QueryRejection>,
) -> PageResult {
    let form = form.map(|Query(f)| f).unwrap_or_default();
    let about = clean(&form.about).unwrap_or_default();
    let page = page_number(&form.page);
    let offset = (page - 1) * THREADS_PAGE;
    let a = about.clone();
    let (total, rows) = app
        .db
        .read(move |s| {
            let a = (!a.is_empty()).then_some(a.as_str());
            Ok((
                s.threads_count(a, 2)?,
                s.threads(a, 2, THREADS_PAGE, offset)?,
            ))
        })
        .await?;
    let link = |p: usize| {
        url_with(
            "/threads",
            &[
                ("about", about.clone()),
                ("page", if p > 1 { p.to_string() } else { String::new() }),
            ],
        )
    };
    let shown_to = offset + rows.len();
    render(&ThreadsPage {
        q: String::new(),
        about: about.clone(),
        total,
        shown_from: if rows.is_empty() { 0 } else { offset + 1 },
        shown_to,
        rows: rows.iter().map(ThreadItem::new).collect(),
        prev_url: if page > 1 {
            link(page - 1)
        } else {
            String::new()
        },
        next_url: if (shown_to as u64) < total {
            link(page + 1)
        } else {
            String::new()
        },
    })
}

/// A statement on a thread's page.
struct ThreadLine {
    id: i64,
    date: String,
    /// The article's date, shown when it is not the date referred to.
    published: String,
    speaker: String,
    speaker_url: String,
    stance: &'static str,
    content: String,
    kind: String,
    outlet: String,
    article_url: String,
    article_title: String,
}

/// A person or place of the thread's event, linked when it is a person.
struct Named {
    name: String,
    url: String,
}

struct EventBox {
    id: String,
    kind: String,
    date: String,
    principals: Vec<Named>,
    places: String,
    reports: usize,
}

#[derive(Template)]
#[template(path = "thread.html")]
struct ThreadPage {
    q: String,
    id: String,
    label: String,
    terms: String,
    counts: String,
    range: String,
    stances: Vec<StanceCount>,
    event: Option<EventBox>,
    chart_html: String,
    undated: usize,
    rows: Vec<ThreadLine>,
}

async fn thread(State(app): State<AppState>, Path(id): Path<String>) -> PageResult {
    let tid = id.clone();
    let Some(v) = app.db.read(move |s| Ok(s.thread(&tid)?)).await? else {
        return Err(ApiError::not_found(format!("no thread {id:?} in the record")).into());
    };
    let rows: Vec<ThreadLine> = v
        .statements
        .iter()
        .map(|q| {
            let speaker = q.speaker.clone().unwrap_or_default();
            ThreadLine {
                id: q.id,
                date: or_dash(&q.date),
                published: match (&q.published, &q.date) {
                    (Some(p), Some(d)) if p != d => p.clone(),
                    _ => String::new(),
                },
                speaker_url: speaker_url(&q.entity, &speaker),
                speaker,
                stance: chart::stance_class(&q.stance),
                content: q.content.clone(),
                kind: q.kind.clone(),
                outlet: or_dash(&q.outlet),
                article_url: format!("/articles/{}#q{}", q.article_id, q.id),
                article_title: q.title.clone().unwrap_or_else(|| q.article.clone()),
            }
        })
        .collect();
    let dots: Vec<chart::Dot> = v
        .statements
        .iter()
        .zip(&rows)
        .map(|(q, r)| chart::Dot {
            date: q.date.as_deref().unwrap_or(""),
            stance: &q.stance,
            title: format!(
                "{} · {} · {}: {}",
                r.date,
                if r.speaker.is_empty() {
                    "(no source)"
                } else {
                    &r.speaker
                },
                r.stance,
                short(&r.content, 160)
            ),
            url: format!("#s{}", q.id),
        })
        .collect();
    let undated = dots
        .iter()
        .filter(|d| chart::day_number(d.date).is_none())
        .count();
    let event = v.event.as_ref().map(|e| {
        let n = e.principals.len();
        EventBox {
            id: e.id.clone(),
            kind: e.kind.clone(),
            date: e.date.clone().unwrap_or_else(|| "undated".into()),
            principals: e
                .principals
                .iter()
                .zip(&e.names)
                .map(|(id, name)| Named {
                    name: name.clone(),
                    url: if id.starts_with("per:") {
                        format!("/people/{}", enc(id))
                    } else {
                        String::new()
                    },
                })
                .collect(),
            places: e
                .names
                .iter()
                .skip(n)
                .cloned()
                .collect::<Vec<_>>()
                .join(", "),
            reports: e.reports.len(),
        }
    });
    let event_mark = event.as_ref().and_then(|e| {
        let names: Vec<&str> = e.principals.iter().map(|p| p.name.as_str()).collect();
        v.event
            .as_ref()
            .and_then(|ev| ev.date.clone())
            .map(|d| (d, format!("{} {}", e.kind, names.join(", "))))
    });
    let t = &v.thread;
    render(&ThreadPage {
        q: String::new(),
        id: t.id.clone(),
        label: t.label.clone(),
        terms: t.terms.join(" · "),
        counts: counts(t.statements, t.articles),
        range: range(&t.first, &t.last),
        stances: stance_counts(&t.stances),
        event,
        chart_html: chart::stance_timeline(
            &dots,
            event_mark.as_ref().map(|(d, l)| (d.as_str(), l.as_str())),
        ),
        undated,
        rows,
    })
}

/// At most `max` characters of `s`, with "…" when cut.
fn short(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_links() {
        assert!(safe_link("https://tass.com/x"));
        assert!(safe_link("HTTP://example.org"));
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "data:text/html,x",
            "//evil.example",
            "https://x y",
            "vbscript:x",
        ] {
            assert!(!safe_link(bad), "{bad}");
        }
    }
}
