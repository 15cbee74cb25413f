//! The web pages: one handler, one view struct and one template
//! (`templates/`, compiled in, every value escaped) per page, and the
//! route table [`routes`].
//!
//! To add a page: write a handler returning [`PageResult`] that loads what
//! it shows through `app.db.read(...)`, a view struct deriving `Template`
//! with a template in `templates/` (extending `base.html`), and add one
//! line to [`routes`].

mod export;

use crate::api::{clean, load_article, Filters};
use crate::util::{enc, snippet_html, snippet_plain, url_with};
use crate::{chart, highlight, ApiError, AppState};
use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use export::{Format, Table};
use onrecord_store::browse::{first_words, title_or_head, ArticleFacts, HEAD_WORDS};
use onrecord_store::query::{is_date_prefix, Hit, Period, Quote, QuoteFilter};
use onrecord_store::Store;
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};

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
        r("/people", get(people)),
        r("/people/{id}", get(person)),
        r("/articles", get(articles)),
        r("/articles/{id}", get(article)),
        r("/threads", get(threads)),
        r("/threads/{id}", get(thread)),
        r("/events", get(events)),
        r("/events/{id}", get(event)),
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
    pub article_id: i64,
    pub article_title: String,
    /// The original article when its URL is http(s), else empty.
    pub source_url: String,
    /// One of `chart::STANCES`.
    pub stance: &'static str,
    /// Its thread's page; empty when it is in none.
    pub thread_url: String,
    pub thread: String,
}

fn thread_url(id: &str) -> String {
    format!("/threads/{}", enc(id))
}

fn event_url(id: &str) -> String {
    format!("/events/{}", enc(id))
}

fn or_dash(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "–".into())
}

/// What statement lists show about their articles (by row id).
type Facts = HashMap<i64, ArticleFacts>;

/// The facts of these articles.
fn facts(s: &Store, ids: impl IntoIterator<Item = i64>) -> Result<Facts, ApiError> {
    let ids: Vec<i64> = ids.into_iter().collect();
    Ok(s.article_facts(&ids)?)
}

/// An article's headline, else its first words, else its document id.
fn label_of(facts: &Facts, id: i64, title: &Option<String>, doc: &str) -> String {
    match facts.get(&id) {
        Some(f) => f.label(),
        None => title_or_head(title.as_deref(), "", doc),
    }
}

/// The article's original URL when it may be a link (http or https).
fn original_of(facts: &Facts, id: i64) -> String {
    facts
        .get(&id)
        .and_then(|f| f.url.as_deref())
        .filter(|u| safe_link(u))
        .map(|u| u.trim().to_string())
        .unwrap_or_default()
}

/// The tooltip of every stance shown: how good the signal is (README,
/// "Accuracy of stance").
pub(crate) const STANCE_NOTE: &str = "stance is a weak signal: 0.504 accuracy on 115 \
     hand-labelled seed and PolNeAR dev statements, against 0.496 for always answering \
     \"affirms\"";

/// The columns of a list of statements as downloaded.
const QUOTE_COLUMNS: [&str; 13] = [
    "id",
    "date",
    "speaker",
    "cue",
    "content",
    "kind",
    "stance",
    "outlet",
    "thread",
    "article_id",
    "article",
    "article_page",
    "original",
];

/// "–" (nothing) as an empty cell.
fn cell(s: &str) -> String {
    if s == "–" {
        String::new()
    } else {
        s.to_string()
    }
}

/// Statements as a download (`stance` false: without that column, as
/// shown when it is hidden).
fn quote_table(name: &str, rows: &[QuoteRow], stance: bool) -> Table {
    let cols: Vec<&'static str> = QUOTE_COLUMNS
        .iter()
        .copied()
        .filter(|c| stance || *c != "stance")
        .collect();
    let mut t = Table::new(name, &cols);
    for r in rows {
        let mut row = vec![
            r.id.to_string(),
            cell(&r.date),
            r.speaker.clone(),
            r.cue.clone(),
            r.content.clone(),
            r.kind.clone(),
        ];
        if stance {
            row.push(r.stance.to_string());
        }
        row.extend([
            cell(&r.outlet),
            r.thread.clone(),
            r.article_id.to_string(),
            r.article_title.clone(),
            r.article_url.clone(),
            r.source_url.clone(),
        ]);
        t.rows.push(row);
    }
    t
}

/// `url` with `format=…` added to its query.
fn with_format(url: &str, format: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}format={format}")
}

/// A `stance` filter: one of `chart::STANCES`.
fn stance_param(v: &Option<String>) -> Result<Option<String>, ApiError> {
    match clean(v) {
        None => Ok(None),
        Some(s) if chart::STANCES.contains(&s.as_str()) => Ok(Some(s)),
        Some(s) => Err(ApiError::bad_request(format!(
            "stance: expected {}, got {s:?}",
            chart::STANCES.join(", ")
        ))),
    }
}

/// A `from`/`to` parameter: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
fn date_param(name: &str, v: &Option<String>) -> Result<Option<String>, ApiError> {
    match clean(v) {
        None => Ok(None),
        Some(d) if is_date_prefix(&d) => Ok(Some(d)),
        Some(d) => Err(ApiError::bad_request(format!(
            "{name}: expected YYYY, YYYY-MM or YYYY-MM-DD, got {d:?}"
        ))),
    }
}

/// Options of a `<select>`, `selected` chosen.
fn options<'a>(values: impl IntoIterator<Item = (&'a str, String)>, selected: &str) -> Vec<Opt> {
    values
        .into_iter()
        .map(|(v, label)| Opt {
            selected: v.eq_ignore_ascii_case(selected),
            value: v.to_string(),
            label,
        })
        .collect()
}

const KINDS: [&str; 3] = ["direct", "mixed", "indirect"];

/// The speaker shown for a statement: the resolved name, else the source
/// as written marked unresolved (a pronoun the article does not resolve),
/// else nothing.
fn shown_speaker(name: &Option<String>, text: &Option<String>) -> String {
    match (name, text) {
        (Some(n), _) => n.clone(),
        (None, Some(t)) if !t.trim().is_empty() => format!("“{}” (unresolved)", t.trim()),
        _ => String::new(),
    }
}

impl QuoteRow {
    fn new(q: &Quote, facts: &Facts) -> QuoteRow {
        let speaker = shown_speaker(&q.speaker, &q.speaker_text);
        // an unresolved source links nowhere
        let speaker_url = speaker_url(&q.entity, q.speaker.as_deref().unwrap_or(""));
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
            article_id: q.article_id,
            article_title: label_of(facts, q.article_id, &q.title, &q.article),
            source_url: original_of(facts, q.article_id),
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
    stance_note: &'static str,
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
            let latest = s.quotes(&f)?;
            let facts = facts(s, latest.iter().map(|q| q.article_id))?;
            let latest: Vec<QuoteRow> = latest.iter().map(|q| QuoteRow::new(q, &facts)).collect();
            Ok((s.counts()?, s.people(12)?, latest))
        })
        .await?;
    render(&HomeView {
        q: String::new(),
        stance_note: STANCE_NOTE,
        articles: counts.articles,
        statements: counts.attributions,
        people_total: counts.people,
        people: people.iter().map(PersonRow::new).collect(),
        latest,
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
    stance: Option<String>,
    page: Option<String>,
    /// `csv` or `json`: the rows shown, as a download.
    format: Option<String>,
    /// With `format` and words: `articles` downloads the article hits,
    /// else the statement hits.
    what: Option<String>,
}

struct Opt {
    value: String,
    label: String,
    selected: bool,
}

struct HitRow {
    id: i64,
    article_id: i64,
    url: String,
    title: String,
    date: String,
    outlet: String,
    speaker: String,
    cue: String,
    /// A statement by the person the search names (not one whose words
    /// match).
    spoken: bool,
    snippet_html: String,
    snippet: String,
    /// The original article when its URL is http(s).
    source_url: String,
}

impl HitRow {
    fn new(h: &Hit, facts: &Facts, cues: &HashMap<i64, String>) -> HitRow {
        HitRow {
            id: h.id,
            article_id: h.article_id,
            url: if h.kind == "statement" {
                format!("/articles/{}#q{}", h.article_id, h.id)
            } else {
                format!("/articles/{}", h.article_id)
            },
            title: label_of(facts, h.article_id, &h.title, &h.article),
            date: or_dash(&h.date),
            outlet: or_dash(&h.outlet),
            speaker: h.speaker.clone().unwrap_or_default(),
            cue: if h.kind == "statement" {
                cues.get(&h.id).cloned().unwrap_or_default()
            } else {
                String::new()
            },
            spoken: h.matched == "speaker",
            snippet_html: snippet_html(&h.snippet),
            snippet: snippet_plain(&h.snippet),
            source_url: original_of(facts, h.article_id),
        }
    }
}

/// Search hits as a download.
fn hit_table(name: &str, hits: &[HitRow], statements: bool) -> Table {
    let cols: &[&'static str] = if statements {
        &[
            "id",
            "date",
            "outlet",
            "speaker",
            "cue",
            "snippet",
            "article_id",
            "article",
            "article_page",
            "original",
        ]
    } else {
        &[
            "article_id",
            "date",
            "outlet",
            "article",
            "snippet",
            "article_page",
            "original",
        ]
    };
    let mut t = Table::new(name, cols);
    for h in hits {
        let mut row = Vec::new();
        if statements {
            row.push(h.id.to_string());
        } else {
            row.push(h.article_id.to_string());
        }
        row.extend([cell(&h.date), cell(&h.outlet)]);
        if statements {
            row.extend([
                h.speaker.clone(),
                h.cue.clone(),
                h.snippet.clone(),
                h.article_id.to_string(),
            ]);
        }
        if !statements {
            row.extend([h.title.clone(), h.snippet.clone()]);
        } else {
            row.push(h.title.clone());
        }
        row.extend([h.url.clone(), h.source_url.clone()]);
        t.rows.push(row);
    }
    t
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchView {
    q: String,
    stance_note: &'static str,
    speaker: String,
    from: String,
    to: String,
    outlets: Vec<Opt>,
    kinds: Vec<Opt>,
    stances: Vec<Opt>,
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
    /// Of those, spoken by someone the query names (listed first).
    spoken_total: u64,
    articles_total: u64,
    /// The statements the filters select (when browsing).
    rows: Vec<QuoteRow>,
    quotes_total: u64,
    page: usize,
    prev_url: String,
    next_url: String,
    /// This page as a download (statements; articles for `articles_*`).
    csv_url: String,
    json_url: String,
    articles_csv_url: String,
    articles_json_url: String,
}

/// Results per page on the search page.
const SEARCH_PAGE: usize = 20;

async fn search(
    State(app): State<AppState>,
    form: Result<Query<SearchForm>, QueryRejection>,
) -> PageResult {
    // a form that does not parse (a repeated field) is an empty form
    let form = form.map(|Query(f)| f).unwrap_or_default();
    let format = Format::parse(&form.format)?;
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
    let checked = filters
        .to_filter()
        .and_then(|f| Ok((f, stance_param(&form.stance)?)));
    let kind = clean(&form.kind).unwrap_or_default();
    let stance = clean(&form.stance).unwrap_or_default();
    let mut v = SearchView {
        q: q.clone(),
        stance_note: STANCE_NOTE,
        speaker: clean(&form.speaker).unwrap_or_default(),
        from: clean(&form.from).unwrap_or_default(),
        to: clean(&form.to).unwrap_or_default(),
        outlets: Vec::new(),
        kinds: options(KINDS.iter().map(|k| (*k, k.to_string())), &kind),
        stances: options(chart::STANCES.iter().map(|k| (*k, k.to_string())), &stance),
        error: String::new(),
        people: Vec::new(),
        searched: false,
        browsed: false,
        statements: Vec::new(),
        articles: Vec::new(),
        statements_total: 0,
        spoken_total: 0,
        articles_total: 0,
        rows: Vec::new(),
        quotes_total: 0,
        page,
        prev_url: String::new(),
        next_url: String::new(),
        csv_url: String::new(),
        json_url: String::new(),
        articles_csv_url: String::new(),
        articles_json_url: String::new(),
    };
    let outlet = clean(&form.outlet).unwrap_or_default();
    let outlets = app.db.read(|s| Ok(s.outlets()?)).await?;
    v.outlets = options(
        outlets
            .iter()
            .map(|c| (c.key.as_str(), format!("{} ({})", c.key, c.count))),
        &outlet,
    );
    let f = match checked {
        Ok((mut f, st)) => {
            f.stance = st;
            f
        }
        Err(e) if format != Format::Html => return Err(e.into()),
        Err(e) => {
            v.error = e.message;
            return Ok((StatusCode::BAD_REQUEST, render(&v)?).into_response());
        }
    };
    let any_filter = f.speaker.is_some()
        || f.from.is_some()
        || f.to.is_some()
        || f.outlet.is_some()
        || f.kind.is_some()
        || f.stance.is_some();
    let name = if q.is_empty() {
        f.speaker.clone().unwrap_or_default()
    } else {
        q.clone()
    };
    if !name.is_empty() && page == 1 && format == Format::Html {
        let people = app.db.read(move |s| Ok(s.people_named(&name, 6)?)).await?;
        v.people = people.iter().map(PersonRow::new).collect();
    }
    let more;
    if !q.is_empty() {
        let query = q.clone();
        let f2 = f.clone();
        let r = app
            .db
            .read(move |s| {
                let r = s.search_page(&query, &f2, SEARCH_PAGE, offset)?;
                let ids = r.statements.iter().chain(&r.articles).map(|h| h.article_id);
                let facts = facts(s, ids)?;
                let ids: Vec<i64> = r.statements.iter().map(|h| h.id).collect();
                let cues = s.statement_cues(&ids)?;
                Ok((r, facts, cues))
            })
            .await;
        match r {
            Ok((r, facts, cues)) => {
                v.searched = true;
                v.statements = r
                    .statements
                    .iter()
                    .map(|h| HitRow::new(h, &facts, &cues))
                    .collect();
                v.articles = r
                    .articles
                    .iter()
                    .map(|h| HitRow::new(h, &facts, &cues))
                    .collect();
                v.statements_total = r.statements_total;
                v.spoken_total = r.spoken_total;
                v.articles_total = r.articles_total;
                more = (offset + SEARCH_PAGE) < r.statements_total.max(r.articles_total) as usize;
            }
            Err(e) if e.status == StatusCode::BAD_REQUEST && format == Format::Html => {
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
        let (total, rows) = app
            .db
            .read(move |s| {
                let quotes = s.quotes(&f2)?;
                let facts = facts(s, quotes.iter().map(|q| q.article_id))?;
                let rows: Vec<QuoteRow> = quotes.iter().map(|q| QuoteRow::new(q, &facts)).collect();
                Ok((s.count_quotes(&f2)?, rows))
            })
            .await?;
        v.browsed = true;
        v.quotes_total = total;
        v.rows = rows;
        more = (offset + SEARCH_PAGE) < total as usize;
    } else {
        more = false;
    }
    if format != Format::Html {
        let t = if v.searched && clean(&form.what).as_deref() == Some("articles") {
            hit_table("onrecord-search-articles", &v.articles, false)
        } else if v.searched {
            hit_table("onrecord-search-statements", &v.statements, true)
        } else {
            quote_table("onrecord-statements", &v.rows, true)
        };
        return Ok(t.response(format)?);
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
                ("kind", kind.clone()),
                ("stance", stance.clone()),
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
    v.csv_url = with_format(&link(page), "csv");
    v.json_url = with_format(&link(page), "json");
    v.articles_json_url = format!("{}&what=articles", v.json_url);
    v.articles_csv_url = format!("{}&what=articles", v.csv_url);
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
    stance_note: &'static str,
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
    /// The filters, as the form shows them.
    from: String,
    to: String,
    kinds: Vec<Opt>,
    stances: Vec<Opt>,
    threads: Vec<Opt>,
    outlet_opts: Vec<Opt>,
    filtered: bool,
    /// Statements the filters select (all of them without filters).
    total: u64,
    rows: Vec<QuoteRow>,
    shown_from: usize,
    shown_to: usize,
    prev_url: String,
    next_url: String,
    csv_url: String,
    json_url: String,
}

/// Statements per page on a person's page.
pub(crate) const PERSON_PAGE: usize = 100;

/// The filters of a person's statements (any may be absent or blank).
#[derive(Debug, Default, Deserialize)]
struct PersonForm {
    page: Option<String>,
    from: Option<String>,
    to: Option<String>,
    kind: Option<String>,
    stance: Option<String>,
    thread: Option<String>,
    outlet: Option<String>,
    format: Option<String>,
}

async fn person(
    State(app): State<AppState>,
    Path(id): Path<String>,
    form: Result<Query<PersonForm>, QueryRejection>,
) -> PageResult {
    let form = form.map(|Query(f)| f).unwrap_or_default();
    let format = Format::parse(&form.format)?;
    let page = page_number(&form.page);
    let offset = (page - 1) * PERSON_PAGE;
    let mut f = Filters {
        from: form.from.clone(),
        to: form.to.clone(),
        kind: form.kind.clone(),
        outlet: form.outlet.clone(),
        person: Some(id.clone()),
        ..Filters::default()
    }
    .to_filter()?;
    f.stance = stance_param(&form.stance)?;
    f.thread = clean(&form.thread);
    f.person = Some(id.clone());
    f.newest_first = true;
    f.limit = Some(PERSON_PAGE);
    f.offset = Some(offset);
    let filtered = f.from.is_some()
        || f.to.is_some()
        || f.kind.is_some()
        || f.outlet.is_some()
        || f.stance.is_some()
        || f.thread.is_some();
    let pid = id.clone();
    let found = app
        .db
        .read(move |s| {
            let Some(profile) = s.person_by_id(&pid, 0)? else {
                return Ok(None);
            };
            let weeks = s.person_timeline(&pid, Period::Week)?;
            let quotes = s.quotes(&f)?;
            let facts = facts(s, quotes.iter().map(|q| q.article_id))?;
            let rows: Vec<QuoteRow> = quotes.iter().map(|q| QuoteRow::new(q, &facts)).collect();
            let total = s.count_quotes(&f)?;
            let threads = s.person_threads(&pid, 100)?;
            Ok(Some((profile, weeks, rows, total, threads)))
        })
        .await?;
    let Some((p, weeks, rows, total, threads)) = found else {
        return Err(ApiError::not_found(format!("no person {id:?} in the record")).into());
    };
    if format != Format::Html {
        let name = format!("onrecord-{}", p.name.to_lowercase());
        return Ok(quote_table(&name, &rows, true).response(format)?);
    }
    let kind = clean(&form.kind).unwrap_or_default();
    let stance = clean(&form.stance).unwrap_or_default();
    let thread = clean(&form.thread).unwrap_or_default();
    let outlet = clean(&form.outlet).unwrap_or_default();
    let from = clean(&form.from).unwrap_or_default();
    let to = clean(&form.to).unwrap_or_default();
    let base = format!("/people/{}", enc(&p.id));
    let url = |n: usize| {
        url_with(
            &base,
            &[
                ("from", from.clone()),
                ("to", to.clone()),
                ("kind", kind.clone()),
                ("stance", stance.clone()),
                ("thread", thread.clone()),
                ("outlet", outlet.clone()),
                ("page", if n > 1 { n.to_string() } else { String::new() }),
            ],
        )
    };
    let shown_to = offset + rows.len();
    render(&PersonView {
        q: String::new(),
        stance_note: STANCE_NOTE,
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
        from: from.clone(),
        to: to.clone(),
        kinds: options(KINDS.iter().map(|k| (*k, k.to_string())), &kind),
        stances: options(chart::STANCES.iter().map(|k| (*k, k.to_string())), &stance),
        threads: options(
            threads
                .iter()
                .map(|(id, label, n)| (id.as_str(), format!("{} ({n})", short(label, 60)))),
            &thread,
        ),
        outlet_opts: options(
            p.outlets
                .iter()
                .filter(|c| c.key != "-")
                .map(|c| (c.key.as_str(), format!("{} ({})", c.key, c.count))),
            &outlet,
        ),
        filtered,
        total,
        shown_from: if rows.is_empty() { 0 } else { offset + 1 },
        shown_to,
        rows,
        prev_url: if page > 1 {
            url(page - 1)
        } else {
            String::new()
        },
        next_url: if (shown_to as u64) < total {
            url(page + 1)
        } else {
            String::new()
        },
        csv_url: with_format(&url(page), "csv"),
        json_url: with_format(&url(page), "json"),
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
    stance_note: &'static str,
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
    let no_facts = Facts::new();
    render(&ArticlePage {
        q: String::new(),
        stance_note: STANCE_NOTE,
        row_id: art.id,
        doc: art.doc.clone(),
        title: title_or_head(
            art.title.as_deref(),
            &first_words(&art.text, HEAD_WORDS),
            &art.doc,
        ),
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
                let r = QuoteRow::new(q, &no_facts);
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
    event_url: String,
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
            event_url: t.event.as_deref().map(event_url).unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "threads.html")]
struct ThreadsPage {
    q: String,
    stance_note: &'static str,
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
        stance_note: STANCE_NOTE,
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
    cue: String,
    stance: &'static str,
    content: String,
    kind: String,
    outlet: String,
    article_url: String,
    article_id: i64,
    article_title: String,
    source_url: String,
}

/// A person or place of the thread's event, linked when it is a person.
struct Named {
    name: String,
    url: String,
}

struct EventBox {
    id: String,
    url: String,
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
    stance_note: &'static str,
    id: String,
    label: String,
    terms: String,
    counts: String,
    range: String,
    /// Stance hidden (`?stance=hide`): no badges, counts or colours.
    hide_stance: bool,
    /// The page with stance shown, or hidden.
    toggle_url: String,
    stances: Vec<StanceCount>,
    event: Option<EventBox>,
    chart_html: String,
    undated: usize,
    rows: Vec<ThreadLine>,
    csv_url: String,
    json_url: String,
}

#[derive(Debug, Default, Deserialize)]
struct ThreadForm {
    /// `hide`: the page without stances.
    stance: Option<String>,
    format: Option<String>,
}

async fn thread(
    State(app): State<AppState>,
    Path(id): Path<String>,
    form: Result<Query<ThreadForm>, QueryRejection>,
) -> PageResult {
    let form = form.map(|Query(f)| f).unwrap_or_default();
    let format = Format::parse(&form.format)?;
    let hide = match clean(&form.stance).as_deref() {
        None | Some("show") => false,
        Some("hide") => true,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "stance: expected hide or show, got {other:?}"
            ))
            .into())
        }
    };
    let tid = id.clone();
    let found = app
        .db
        .read(move |s| {
            let Some(v) = s.thread(&tid)? else {
                return Ok(None);
            };
            let facts = facts(s, v.statements.iter().map(|q| q.article_id))?;
            let ids: Vec<i64> = v.statements.iter().map(|q| q.id).collect();
            let cues = s.statement_cues(&ids)?;
            Ok(Some((v, facts, cues)))
        })
        .await?;
    let Some((v, facts, cues)) = found else {
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
                cue: cues.get(&q.id).cloned().unwrap_or_default(),
                stance: chart::stance_class(&q.stance),
                content: q.content.clone(),
                kind: q.kind.clone(),
                outlet: or_dash(&q.outlet),
                article_url: format!("/articles/{}#q{}", q.article_id, q.id),
                article_id: q.article_id,
                article_title: label_of(&facts, q.article_id, &q.title, &q.article),
                source_url: original_of(&facts, q.article_id),
            }
        })
        .collect();
    if format != Format::Html {
        let quotes: Vec<QuoteRow> = rows
            .iter()
            .map(|r| QuoteRow {
                id: r.id,
                date: r.date.clone(),
                outlet: r.outlet.clone(),
                speaker: r.speaker.clone(),
                speaker_url: r.speaker_url.clone(),
                cue: r.cue.clone(),
                content: r.content.clone(),
                kind: r.kind.clone(),
                article_url: r.article_url.clone(),
                article_id: r.article_id,
                article_title: r.article_title.clone(),
                source_url: r.source_url.clone(),
                stance: r.stance,
                thread_url: thread_url(&v.thread.id),
                thread: v.thread.id.clone(),
            })
            .collect();
        let name = format!("onrecord-thread-{}", v.thread.id);
        return Ok(quote_table(&name, &quotes, !hide).response(format)?);
    }
    let dots: Vec<chart::Dot> = v
        .statements
        .iter()
        .zip(&rows)
        .map(|(q, r)| chart::Dot {
            date: q.date.as_deref().unwrap_or(""),
            stance: if hide { "neutral" } else { &q.stance },
            title: if hide {
                format!(
                    "{} · {}: {}",
                    r.date,
                    if r.speaker.is_empty() {
                        "(no source)"
                    } else {
                        &r.speaker
                    },
                    short(&r.content, 160)
                )
            } else {
                format!(
                    "{} · {} · {}: {}",
                    r.date,
                    if r.speaker.is_empty() {
                        "(no source)"
                    } else {
                        &r.speaker
                    },
                    r.stance,
                    short(&r.content, 160)
                )
            },
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
            url: event_url(&e.id),
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
    let base = thread_url(&t.id);
    let here = if hide {
        format!("{base}?stance=hide")
    } else {
        base.clone()
    };
    render(&ThreadPage {
        q: String::new(),
        stance_note: STANCE_NOTE,
        id: t.id.clone(),
        label: t.label.clone(),
        terms: t.terms.join(" · "),
        counts: counts(t.statements, t.articles),
        range: range(&t.first, &t.last),
        hide_stance: hide,
        toggle_url: if hide {
            base.clone()
        } else {
            format!("{base}?stance=hide")
        },
        stances: stance_counts(&t.stances),
        event,
        chart_html: chart::stance_timeline(
            &dots,
            event_mark.as_ref().map(|(d, l)| (d.as_str(), l.as_str())),
        ),
        undated,
        rows,
        csv_url: with_format(&here, "csv"),
        json_url: with_format(&here, "json"),
    })
}

/// Rows per page on `/people`, `/articles` and `/events`.
const LIST_PAGE: usize = 50;

/// "from–to of total" and the pager of a list page.
struct Paging {
    shown_from: usize,
    shown_to: usize,
    prev_url: String,
    next_url: String,
    csv_url: String,
    json_url: String,
}

impl Paging {
    fn new(page: usize, shown: usize, total: u64, url: impl Fn(usize) -> String) -> Paging {
        let offset = (page - 1) * LIST_PAGE;
        let shown_to = offset + shown;
        Paging {
            shown_from: if shown == 0 { 0 } else { offset + 1 },
            shown_to,
            prev_url: if page > 1 {
                url(page - 1)
            } else {
                String::new()
            },
            next_url: if (shown_to as u64) < total {
                url(page + 1)
            } else {
                String::new()
            },
            csv_url: with_format(&url(page), "csv"),
            json_url: with_format(&url(page), "json"),
        }
    }
}

/// `page` as a query value (empty for the first).
fn page_value(p: usize) -> String {
    if p > 1 {
        p.to_string()
    } else {
        String::new()
    }
}

#[derive(Debug, Default, Deserialize)]
struct PeopleForm {
    /// Words of a name.
    name: Option<String>,
    /// `statements` (most first, the default) or `name`.
    sort: Option<String>,
    page: Option<String>,
    format: Option<String>,
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    q: String,
    name: String,
    by_name: bool,
    /// The list sorted the other way.
    statements_url: String,
    name_url: String,
    total: u64,
    rows: Vec<PersonRow>,
    paging: Paging,
}

async fn people(
    State(app): State<AppState>,
    form: Result<Query<PeopleForm>, QueryRejection>,
) -> PageResult {
    let form = form.map(|Query(f)| f).unwrap_or_default();
    let format = Format::parse(&form.format)?;
    let by_name = match clean(&form.sort).as_deref() {
        None | Some("statements") => false,
        Some("name") => true,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "sort: expected statements or name, got {other:?}"
            ))
            .into())
        }
    };
    let name = clean(&form.name).unwrap_or_default();
    let page = page_number(&form.page);
    let f = onrecord_store::browse::PeopleFilter {
        name: (!name.is_empty()).then(|| name.clone()),
        by_name,
        limit: LIST_PAGE,
        offset: (page - 1) * LIST_PAGE,
    };
    let (total, list) = app
        .db
        .read(move |s| Ok((s.people_list_count(&f)?, s.people_list(&f)?)))
        .await?;
    if format != Format::Html {
        let mut t = Table::new(
            "onrecord-people",
            &[
                "id",
                "name",
                "statements",
                "articles",
                "first",
                "last",
                "page",
            ],
        );
        for p in &list {
            t.rows.push(vec![
                p.id.clone(),
                p.name.clone(),
                p.statements.to_string(),
                p.articles.to_string(),
                p.first.clone().unwrap_or_default(),
                p.last.clone().unwrap_or_default(),
                format!("/people/{}", enc(&p.id)),
            ]);
        }
        return Ok(t.response(format)?);
    }
    let url = |sort: bool, p: usize| {
        url_with(
            "/people",
            &[
                ("name", name.clone()),
                ("sort", if sort { "name".into() } else { String::new() }),
                ("page", page_value(p)),
            ],
        )
    };
    let rows: Vec<PersonRow> = list
        .iter()
        .map(|p| PersonRow {
            name: p.name.clone(),
            url: format!("/people/{}", enc(&p.id)),
            counts: counts(p.statements, p.articles),
            range: range(&p.first, &p.last),
        })
        .collect();
    render(&PeoplePage {
        q: String::new(),
        name: name.clone(),
        by_name,
        statements_url: url(false, 1),
        name_url: url(true, 1),
        total,
        paging: Paging::new(page, rows.len(), total, |p| url(by_name, p)),
        rows,
    })
}

#[derive(Debug, Default, Deserialize)]
struct ArticlesForm {
    outlet: Option<String>,
    from: Option<String>,
    to: Option<String>,
    page: Option<String>,
    format: Option<String>,
}

/// An article as the lists show it.
struct ArticleLine {
    url: String,
    title: String,
    date: String,
    outlet: String,
    statements: u64,
    /// The original when its URL is http(s).
    source_url: String,
}

impl ArticleLine {
    fn new(a: &onrecord_store::browse::ArticleItem) -> ArticleLine {
        let url = a.url.clone().unwrap_or_default();
        ArticleLine {
            url: format!("/articles/{}", a.id),
            title: a.label(),
            date: or_dash(&a.date),
            outlet: or_dash(&a.outlet),
            statements: a.statements,
            source_url: if safe_link(&url) {
                url.trim().to_string()
            } else {
                String::new()
            },
        }
    }
}

/// Articles as a download.
fn article_table(name: &str, list: &[onrecord_store::browse::ArticleItem]) -> Table {
    let mut t = Table::new(
        name,
        &[
            "id",
            "date",
            "outlet",
            "title",
            "statements",
            "doc",
            "url",
            "page",
        ],
    );
    for a in list {
        t.rows.push(vec![
            a.id.to_string(),
            a.date.clone().unwrap_or_default(),
            a.outlet.clone().unwrap_or_default(),
            a.label(),
            a.statements.to_string(),
            a.doc.clone(),
            a.url.clone().unwrap_or_default(),
            format!("/articles/{}", a.id),
        ]);
    }
    t
}

#[derive(Template)]
#[template(path = "articles.html")]
struct ArticlesPage {
    q: String,
    from: String,
    to: String,
    outlets: Vec<Opt>,
    error: String,
    total: u64,
    rows: Vec<ArticleLine>,
    paging: Paging,
}

async fn articles(
    State(app): State<AppState>,
    form: Result<Query<ArticlesForm>, QueryRejection>,
) -> PageResult {
    let form = form.map(|Query(f)| f).unwrap_or_default();
    let format = Format::parse(&form.format)?;
    let page = page_number(&form.page);
    let outlet = clean(&form.outlet).unwrap_or_default();
    let from = clean(&form.from).unwrap_or_default();
    let to = clean(&form.to).unwrap_or_default();
    let checked = date_param("from", &form.from).and_then(|f| Ok((f, date_param("to", &form.to)?)));
    let outlets = app.db.read(|s| Ok(s.outlets()?)).await?;
    let mut v = ArticlesPage {
        q: String::new(),
        from: from.clone(),
        to: to.clone(),
        outlets: options(
            outlets
                .iter()
                .map(|c| (c.key.as_str(), format!("{} ({})", c.key, c.count))),
            &outlet,
        ),
        error: String::new(),
        total: 0,
        rows: Vec::new(),
        paging: Paging::new(1, 0, 0, |_| String::new()),
    };
    let (d_from, d_to) = match checked {
        Ok(d) => d,
        Err(e) if format != Format::Html => return Err(e.into()),
        Err(e) => {
            v.error = e.message;
            return Ok((StatusCode::BAD_REQUEST, render(&v)?).into_response());
        }
    };
    let f = onrecord_store::browse::ArticleFilter {
        outlet: (!outlet.is_empty()).then(|| outlet.clone()),
        from: d_from,
        to: d_to,
        limit: LIST_PAGE,
        offset: (page - 1) * LIST_PAGE,
    };
    let (total, list) = app
        .db
        .read(move |s| Ok((s.article_count(&f)?, s.article_list(&f)?)))
        .await?;
    if format != Format::Html {
        return Ok(article_table("onrecord-articles", &list).response(format)?);
    }
    let url = |p: usize| {
        url_with(
            "/articles",
            &[
                ("outlet", outlet.clone()),
                ("from", from.clone()),
                ("to", to.clone()),
                ("page", page_value(p)),
            ],
        )
    };
    v.total = total;
    v.rows = list.iter().map(ArticleLine::new).collect();
    v.paging = Paging::new(page, list.len(), total, url);
    render(&v)
}

#[derive(Debug, Default, Deserialize)]
struct ListForm {
    page: Option<String>,
    format: Option<String>,
}

/// An event as the lists show it.
struct EventLine {
    url: String,
    kind: String,
    date: String,
    principals: Vec<Named>,
    places: String,
    reports: u64,
}

fn named(ids: &[String], names: &[String]) -> Vec<Named> {
    ids.iter()
        .zip(names)
        .map(|(id, name)| Named {
            name: name.clone(),
            url: if id.starts_with("per:") {
                format!("/people/{}", enc(id))
            } else {
                String::new()
            },
        })
        .collect()
}

#[derive(Template)]
#[template(path = "events.html")]
struct EventsPage {
    q: String,
    total: u64,
    rows: Vec<EventLine>,
    paging: Paging,
}

async fn events(
    State(app): State<AppState>,
    form: Result<Query<ListForm>, QueryRejection>,
) -> PageResult {
    let form = form.map(|Query(f)| f).unwrap_or_default();
    let format = Format::parse(&form.format)?;
    let page = page_number(&form.page);
    let offset = (page - 1) * LIST_PAGE;
    let (total, list) = app
        .db
        .read(move |s| Ok((s.event_count()?, s.event_list(LIST_PAGE, offset)?)))
        .await?;
    if format != Format::Html {
        let mut t = Table::new(
            "onrecord-events",
            &[
                "id",
                "type",
                "date",
                "principals",
                "places",
                "reports",
                "page",
            ],
        );
        for e in &list {
            t.rows.push(vec![
                e.id.clone(),
                e.kind.clone(),
                e.date.clone().unwrap_or_default(),
                e.principals.join("; "),
                e.places.join("; "),
                e.reports.to_string(),
                event_url(&e.id),
            ]);
        }
        return Ok(t.response(format)?);
    }
    let rows: Vec<EventLine> = list
        .iter()
        .map(|e| EventLine {
            url: event_url(&e.id),
            kind: e.kind.clone(),
            date: e.date.clone().unwrap_or_else(|| "undated".into()),
            principals: named(&e.principal_ids, &e.principals),
            places: e.places.join(", "),
            reports: e.reports,
        })
        .collect();
    render(&EventsPage {
        q: String::new(),
        total,
        paging: Paging::new(page, rows.len(), total, |p| {
            url_with("/events", &[("page", page_value(p))])
        }),
        rows,
    })
}

/// A thread about an event.
struct ThreadRef {
    url: String,
    label: String,
    statements: u64,
}

#[derive(Template)]
#[template(path = "event.html")]
struct EventPage {
    q: String,
    id: String,
    kind: String,
    date: String,
    principals: Vec<Named>,
    places: String,
    articles: Vec<ArticleLine>,
    threads: Vec<ThreadRef>,
    csv_url: String,
    json_url: String,
}

async fn event(
    State(app): State<AppState>,
    Path(id): Path<String>,
    form: Result<Query<ListForm>, QueryRejection>,
) -> PageResult {
    let form = form.map(|Query(f)| f).unwrap_or_default();
    let format = Format::parse(&form.format)?;
    let eid = id.clone();
    let found = app
        .db
        .read(move |s| {
            let Some(e) = s.event(&eid)? else {
                return Ok(None);
            };
            Ok(Some((e, s.event_articles(&eid)?, s.event_threads(&eid)?)))
        })
        .await?;
    let Some((e, list, threads)) = found else {
        return Err(ApiError::not_found(format!("no event {id:?} in the record")).into());
    };
    if format != Format::Html {
        let name = format!("onrecord-event-{}", e.id);
        return Ok(article_table(&name, &list).response(format)?);
    }
    let n = e.principals.len();
    let url = event_url(&e.id);
    render(&EventPage {
        q: String::new(),
        id: e.id.clone(),
        kind: e.kind.clone(),
        date: e.date.clone().unwrap_or_else(|| "undated".into()),
        principals: named(&e.principals, &e.names),
        places: e
            .names
            .iter()
            .skip(n)
            .cloned()
            .collect::<Vec<_>>()
            .join(", "),
        articles: list.iter().map(ArticleLine::new).collect(),
        threads: threads
            .into_iter()
            .map(|(id, label, statements)| ThreadRef {
                url: thread_url(&id),
                label,
                statements,
            })
            .collect(),
        csv_url: with_format(&url, "csv"),
        json_url: with_format(&url, "json"),
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

#[cfg(test)]
mod speaker_shown {
    use super::shown_speaker;

    #[test]
    fn an_unresolved_pronoun_is_shown_as_written_and_marked() {
        let s = |n: Option<&str>, t: Option<&str>| {
            shown_speaker(&n.map(String::from), &t.map(String::from))
        };
        assert_eq!(s(Some("Sergey Lavrov"), Some("he")), "Sergey Lavrov");
        assert_eq!(s(None, Some("it")), "“it” (unresolved)");
        assert_eq!(s(None, None), "");
    }
}
