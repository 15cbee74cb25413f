//! Read-only questions asked of the record. Every result type serialises
//! to the JSON that `--json` prints.

use crate::fold::fold;
use crate::{Result, Store, StoreError};
use rusqlite::types::Value;
use rusqlite::{params_from_iter, OptionalExtension, Row};
use serde::Serialize;

/// Marks around matched terms in snippets (the CLI renders them).
pub const HL_OPEN: char = '\u{2}';
pub const HL_CLOSE: char = '\u{3}';

pub(crate) const PEOPLE_COUNT_SQL: &str =
    "SELECT count(DISTINCT speaker_pid) FROM attributions WHERE speaker_pid IS NOT NULL";

/// Which statements `quotes` (and `export`) return. Empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct QuoteFilter {
    /// Matches the speaker's name, its text as written, or any alias of
    /// its entity: whole words, case- and accent-insensitively.
    pub speaker: Option<String>,
    /// Full-text match on the statement's content (all words, stemmed).
    pub about: Option<String>,
    /// Article date on or after (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    pub from: Option<String>,
    /// Article date on or before (a prefix includes the whole period).
    pub to: Option<String>,
    /// Outlet, case-insensitively.
    pub outlet: Option<String>,
    /// `direct`, `mixed` or `indirect`.
    pub kind: Option<String>,
    pub limit: Option<usize>,
    /// Skip this many (pagination; with or without `limit`).
    pub offset: Option<usize>,
    /// Only the statements of this person id (exactly: an entity id or
    /// `name:…`, as in [`Person::id`]).
    pub person: Option<String>,
    /// Newest first (undated last) instead of oldest first.
    pub newest_first: bool,
    /// Only statements of this stance (`affirms`, `hopes`, …), exactly.
    pub stance: Option<String>,
    /// Only the statements of this thread id.
    pub thread: Option<String>,
}

/// The date filter forms, as error messages name them.
pub const DATE_FORMS: &str = "YYYY, YYYY-MM or YYYY-MM-DD (a real calendar date)";

/// Whether `s` is a date filter this module understands: `YYYY`,
/// `YYYY-MM` or `YYYY-MM-DD`, a real month and day (`2026-13` and
/// `2026-02-30` are not).
pub fn is_date_prefix(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| r.clone().all(|i| b[i].is_ascii_digit());
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
    let month_ok = || (1..=12).contains(&num(5..7));
    match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7) && month_ok(),
        10 => {
            digits(0..4)
                && b[4] == b'-'
                && digits(5..7)
                && b[7] == b'-'
                && digits(8..10)
                && month_ok()
                && (1..=days_in_month(num(0..4), num(5..7))).contains(&num(8..10))
        }
        _ => false,
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `Err` with a message naming the value and the accepted forms unless
/// `s` is a date filter ([`is_date_prefix`]).
pub fn check_date(what: &str, s: &str) -> std::result::Result<(), String> {
    if is_date_prefix(s) {
        Ok(())
    } else {
        Err(format!("{what} {s:?} is not a date: expected {DATE_FORMS}"))
    }
}

/// One statement with its article's metadata.
#[derive(Debug, Clone, Serialize)]
pub struct Quote {
    pub id: i64,
    /// The article's document id.
    pub article: String,
    /// The article's row id (unique, unlike the document id).
    pub article_id: i64,
    pub path: String,
    pub date: Option<String>,
    pub outlet: Option<String>,
    pub title: Option<String>,
    pub kind: String,
    /// The speaker's resolved name.
    pub speaker: Option<String>,
    /// The source as written.
    pub speaker_text: Option<String>,
    pub entity: Option<String>,
    pub source: String,
    pub cue: String,
    pub content: String,
    pub confidence: f64,
    /// Code-point spans into the article text.
    pub source_spans: Vec<[usize; 2]>,
    pub cue_spans: Vec<[usize; 2]>,
    pub content_spans: Vec<[usize; 2]>,
    /// The date the statement refers to where the text gives one
    /// (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`), else the article's date.
    pub refers_to: Option<String>,
    /// Its stance toward its thread's subject: affirms, hopes, doubts,
    /// denies or neutral.
    pub stance: String,
    /// The thread it belongs to.
    pub thread: Option<String>,
}

const QUOTE_COLS: &str = "q.id, a.doc, a.path, a.date, a.outlet, a.title, q.kind, q.speaker_name, \
     q.speaker_text, q.speaker_entity, q.source, q.cue, q.content, q.confidence, \
     q.source_spans, q.cue_spans, q.content_spans, a.id, coalesce(q.ref_date, a.date), \
     q.stance, q.thread";

fn spans(s: String) -> Vec<[usize; 2]> {
    serde_json::from_str(&s).unwrap_or_default()
}

fn quote_row(r: &Row) -> rusqlite::Result<Quote> {
    Ok(Quote {
        id: r.get(0)?,
        article: r.get(1)?,
        path: r.get(2)?,
        date: r.get(3)?,
        outlet: r.get(4)?,
        title: r.get(5)?,
        kind: r.get(6)?,
        speaker: r.get(7)?,
        speaker_text: r.get(8)?,
        entity: r.get(9)?,
        source: r.get(10)?,
        cue: r.get(11)?,
        content: r.get(12)?,
        confidence: r.get(13)?,
        source_spans: spans(r.get(14)?),
        cue_spans: spans(r.get(15)?),
        content_spans: spans(r.get(16)?),
        article_id: r.get(17)?,
        refers_to: r.get(18)?,
        stance: r.get(19)?,
        thread: r.get(20)?,
    })
}

/// `text` with every control character (NUL included) made a space:
/// they are no part of a query, and a NUL cuts SQLite's text functions.
pub fn clean_query(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(char::is_control) {
        text.chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// An FTS5 query that matches all the words of `text` (each one quoted, so
/// no character of the user's text is FTS syntax); `None` without words.
pub fn fts_terms(text: &str) -> Option<String> {
    let terms: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c.is_control())
        .map(|w| w.replace('"', ""))
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| format!("\"{w}\""))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// `s` cut to at most `max` characters at a word boundary, with `…`.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => &cut[..],
    };
    format!("{}…", cut.trim_end())
}

/// The SQL condition (on `q`, an attributions row) for "spoken by NAME",
/// with its parameter.
fn speaker_cond(name: &str) -> Option<(String, Value)> {
    let key = fold(name);
    if key.is_empty() {
        return None;
    }
    let pattern = format!("% {key} %");
    Some((
        "(q.speaker_key LIKE ?P OR q.speaker_entity IN \
           (SELECT entity FROM aliases WHERE key LIKE ?P UNION SELECT id FROM entities WHERE key LIKE ?P))"
            .to_string(),
        Value::Text(pattern),
    ))
}

/// Builds WHERE clauses and positional parameters (`?P` placeholders are
/// numbered as they are added).
#[derive(Default)]
struct Where {
    conds: Vec<String>,
    params: Vec<Value>,
}

impl Where {
    /// `cond` with its `?P` bound to a new parameter, not yet added.
    fn bind(&mut self, cond: &str, value: Value) -> String {
        self.params.push(value);
        let n = self.params.len();
        cond.replace("?P", &format!("?{n}"))
    }

    fn sql(&self) -> String {
        if self.conds.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.conds.join(" AND "))
        }
    }
}

/// The filter's conditions on the statement (`q`): speaker, about, kind,
/// person, stance, thread.
fn statement_conds(w: &mut Where, f: &QuoteFilter) -> Vec<String> {
    let mut c = Vec::new();
    if let Some(name) = f.speaker.as_deref() {
        match speaker_cond(name) {
            Some((cond, v)) => c.push(w.bind(&cond, v)),
            None => c.push("0".into()),
        }
    }
    if let Some(about) = f.about.as_deref() {
        match fts_terms(about) {
            Some(t) => c.push(w.bind(
                "q.id IN (SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?P)",
                Value::Text(t),
            )),
            None => c.push("0".into()),
        }
    }
    if let Some(kind) = f.kind.as_deref() {
        c.push(w.bind("q.kind = ?P", Value::Text(kind.to_string())));
    }
    if let Some(pid) = f.person.as_deref() {
        c.push(w.bind("q.speaker_pid = ?P", Value::Text(pid.to_string())));
    }
    if let Some(stance) = f.stance.as_deref() {
        c.push(w.bind("q.stance = ?P", Value::Text(stance.to_string())));
    }
    if let Some(thread) = f.thread.as_deref() {
        c.push(w.bind("q.thread = ?P", Value::Text(thread.to_string())));
    }
    c
}

/// The filter's conditions on the article (`a`): dates and outlet.
fn article_conds(w: &mut Where, f: &QuoteFilter) -> Vec<String> {
    let mut c = Vec::new();
    if let Some(from) = f.from.as_deref() {
        c.push(w.bind("a.date >= ?P", Value::Text(from.to_string())));
    }
    if let Some(to) = f.to.as_deref() {
        // '~' sorts after every digit and '-': "2025-11" includes the month
        c.push(w.bind("a.date <= ?P", Value::Text(format!("{to}~"))));
    }
    if let Some(outlet) = f.outlet.as_deref() {
        c.push(w.bind(
            "a.outlet = ?P COLLATE NOCASE",
            Value::Text(outlet.to_string()),
        ));
    }
    c
}

fn quote_where(f: &QuoteFilter) -> Result<Where> {
    check_filter_dates(f)?;
    let mut w = Where::default();
    let mut conds = statement_conds(&mut w, f);
    conds.extend(article_conds(&mut w, f));
    w.conds = conds;
    Ok(w)
}

/// The filter's dates are real dates ([`is_date_prefix`]).
fn check_filter_dates(f: &QuoteFilter) -> Result<()> {
    for (what, d) in [("from", &f.from), ("to", &f.to)] {
        if let Some(d) = d {
            check_date(what, d).map_err(|message| StoreError::Query {
                query: d.clone(),
                message,
            })?;
        }
    }
    Ok(())
}

/// ` LIMIT n OFFSET m` (SQLite needs a LIMIT before an OFFSET).
fn limit_sql(limit: Option<usize>, offset: Option<usize>) -> String {
    match (limit, offset.filter(|&o| o > 0)) {
        (None, None) => String::new(),
        (Some(l), None) => format!(" LIMIT {l}"),
        (l, Some(o)) => format!(
            " LIMIT {} OFFSET {o}",
            l.map_or(-1, |l| l.min(i64::MAX as usize) as i64)
        ),
    }
}

impl Store {
    /// Calls `each` for every statement the filter selects, in date order
    /// (undated last), then article, then text order. Streams: memory does
    /// not grow with the result.
    pub fn for_each_quote(
        &self,
        f: &QuoteFilter,
        mut each: impl FnMut(Quote) -> std::io::Result<()>,
    ) -> Result<std::io::Result<()>> {
        let w = quote_where(f)?;
        let limit = limit_sql(f.limit, f.offset);
        let order = if f.newest_first {
            "a.date IS NULL, a.date DESC, a.doc, a.id, q.seq"
        } else {
            "a.date IS NULL, a.date, a.doc, a.id, q.seq"
        };
        let sql = format!(
            "SELECT {QUOTE_COLS} FROM attributions q JOIN articles a ON a.id = q.article {} \
             ORDER BY {order}{limit}",
            w.sql()
        );
        let mut st = self.conn.prepare(&sql)?;
        let mut rows = st.query(params_from_iter(w.params.iter()))?;
        while let Some(r) = rows.next()? {
            if let Err(e) = each(quote_row(r)?) {
                return Ok(Err(e));
            }
        }
        Ok(Ok(()))
    }

    /// The statements the filter selects (see [`Store::for_each_quote`]).
    pub fn quotes(&self, f: &QuoteFilter) -> Result<Vec<Quote>> {
        let mut out = Vec::new();
        // the closure never fails
        let _ = self.for_each_quote(f, |q| {
            out.push(q);
            Ok(())
        })?;
        Ok(out)
    }

    /// How many statements the filter selects (its `limit` and `offset`
    /// aside).
    pub fn count_quotes(&self, f: &QuoteFilter) -> Result<u64> {
        let w = quote_where(f)?;
        let sql = format!(
            "SELECT count(*) FROM attributions q JOIN articles a ON a.id = q.article {}",
            w.sql()
        );
        Ok(self
            .conn
            .query_row(&sql, params_from_iter(w.params.iter()), |r| {
                r.get::<_, i64>(0)
            })? as u64)
    }

    /// Full-text search over statements and articles, best first (bm25).
    /// `query` is FTS5 syntax when it parses as such, else its words.
    pub fn search(&self, query: &str, limit: usize) -> Result<SearchResult> {
        let p = self.search_page(query, &QuoteFilter::default(), limit, 0)?;
        Ok(SearchResult {
            query: p.query,
            statements: p.statements,
            articles: p.articles,
        })
    }

    /// The FTS5 query to run for what a person typed: `query` itself when
    /// both full-text tables accept it (quotes, `OR`, `NEAR`, `word*`,
    /// `-`…), else its words (each quoted); `None` when it has no words.
    pub fn fts_query(&self, query: &str) -> Option<String> {
        let query = clean_query(query);
        let parses = |table: &str| {
            self.conn
                .query_row(
                    &format!(
                        "SELECT count(*) FROM (SELECT rowid FROM {table} WHERE {table} MATCH ?1 LIMIT 1)"
                    ),
                    [query.as_ref()],
                    |r| r.get::<_, i64>(0),
                )
                .is_ok()
        };
        if !query.trim().is_empty() && parses("statements_fts") && parses("articles_fts") {
            Some(query.into_owned())
        } else {
            fts_terms(&query)
        }
    }

    /// [`Store::search`] with filters and pagination: `limit` hits of each
    /// kind after skipping `offset`, and the totals. Statements come in two
    /// groups: first those *spoken by* someone whose name (or any alias)
    /// is the query, newest first (`matched: "speaker"`, score 0), then
    /// those whose text matches, best first (`matched: "text"`). The
    /// filter's dates and outlet apply to both kinds; its speaker, kind and
    /// person select statements, and articles that have such a statement;
    /// `about` and the filter's own limit and offset are not used. Any
    /// string gives results or [`StoreError::Query`] saying what to fix.
    pub fn search_page(
        &self,
        query: &str,
        f: &QuoteFilter,
        limit: usize,
        offset: usize,
    ) -> Result<SearchPage> {
        check_filter_dates(f)?;
        let fts = self.fts_query(query);
        let speaker = speaker_cond(&clean_query(query));
        if fts.is_none() && speaker.is_none() {
            return Err(StoreError::Query {
                query: query.to_string(),
                message: "no words to search for: type a word, a \"phrase in quotes\" or the start of a word and * (e.g. negotiat*)".into(),
            });
        }
        let f = QuoteFilter {
            about: None,
            ..f.clone()
        };
        let count = |from: &str, w: &Where| -> Result<u64> {
            Ok(self.conn.query_row(
                &format!("SELECT count(*) {from} {}", w.sql()),
                params_from_iter(w.params.iter()),
                |r| r.get::<_, i64>(0),
            )? as u64)
        };
        let filtered = |mut w: Where| -> Where {
            let mut c = statement_conds(&mut w, &f);
            c.extend(article_conds(&mut w, &f));
            w.conds.extend(c);
            w
        };
        // statements spoken by the person named
        let by_speaker = speaker.as_ref().map(|(cond, v)| {
            let mut w = Where::default();
            let c = w.bind(cond, v.clone());
            w.conds.push(c);
            filtered(w)
        });
        let from_q = "FROM attributions q JOIN articles a ON a.id = q.article";
        let spoken_total = match &by_speaker {
            Some(w) => count(from_q, w)?,
            None => 0,
        };
        let mut statements = Vec::new();
        if let Some(w) = &by_speaker {
            if (offset as u64) < spoken_total && limit > 0 {
                let sql = format!(
                    "SELECT q.id, a.doc, a.date, a.outlet, a.title, q.speaker_name, \
                         substr(q.content, 1, 240), 0.0, a.id, q.cue \
                     {from_q} {} ORDER BY a.date IS NULL, a.date DESC, q.id{}",
                    w.sql(),
                    limit_sql(Some(limit), Some(offset))
                );
                statements = self.hits(&sql, &w.params, "statement", "speaker")?;
                for h in &mut statements {
                    h.snippet = shorten(&h.snippet, 200);
                }
            }
        }
        // statements whose text matches (those spoken by the person aside)
        let mut text_total = 0;
        let mut articles = Vec::new();
        let mut articles_total = 0;
        if let Some(q) = &fts {
            let mut ws = Where {
                conds: vec!["statements_fts MATCH ?1".into()],
                params: vec![Value::Text(q.clone())],
            };
            if let Some((cond, v)) = &speaker {
                let c = ws.bind(cond, v.clone());
                ws.conds.push(format!("NOT {c}"));
            }
            let ws = filtered(ws);
            let from_s = "FROM statements_fts JOIN attributions q ON q.id = statements_fts.rowid \
                 JOIN articles a ON a.id = q.article";
            text_total = count(from_s, &ws)?;
            let left = limit.saturating_sub(statements.len());
            let skip = (offset as u64).saturating_sub(spoken_total) as usize;
            if left > 0 {
                let sql = format!(
                    "SELECT q.id, a.doc, a.date, a.outlet, a.title, q.speaker_name, \
                         snippet(statements_fts, 0, '{HL_OPEN}', '{HL_CLOSE}', '…', 16), bm25(statements_fts), a.id, q.cue \
                     {from_s} {} ORDER BY bm25(statements_fts){}",
                    ws.sql(),
                    limit_sql(Some(left), Some(skip))
                );
                statements.extend(self.hits(&sql, &ws.params, "statement", "text")?);
            }
            // articles
            let mut wa = Where {
                conds: vec!["articles_fts MATCH ?1".into()],
                params: vec![Value::Text(q.clone())],
            };
            let sc = statement_conds(&mut wa, &f);
            if !sc.is_empty() {
                wa.conds.push(format!(
                    "EXISTS (SELECT 1 FROM attributions q WHERE q.article = a.id AND {})",
                    sc.join(" AND ")
                ));
            }
            let ac = article_conds(&mut wa, &f);
            wa.conds.extend(ac);
            let from_a = "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid";
            let articles_sql = format!(
                "SELECT a.id, a.doc, a.date, a.outlet, a.title, NULL, \
                     snippet(articles_fts, 1, '{HL_OPEN}', '{HL_CLOSE}', '…', 16), bm25(articles_fts, 3.0, 1.0), a.id, NULL \
                 {from_a} {} ORDER BY bm25(articles_fts, 3.0, 1.0){}",
                wa.sql(),
                limit_sql(Some(limit), Some(offset))
            );
            articles = self.hits(&articles_sql, &wa.params, "article", "text")?;
            articles_total = count(from_a, &wa)?;
        }
        Ok(SearchPage {
            query: fts.unwrap_or_default(),
            statements,
            articles,
            statements_total: spoken_total + text_total,
            spoken_total,
            articles_total,
        })
    }

    fn hits(
        &self,
        sql: &str,
        params: &[Value],
        kind: &'static str,
        matched: &'static str,
    ) -> Result<Vec<Hit>> {
        let mut st = self.conn.prepare_cached(sql)?;
        let rows = st.query_map(params_from_iter(params.iter()), |r| {
            Ok(Hit {
                kind,
                matched,
                id: r.get(0)?,
                article: r.get(1)?,
                article_id: r.get(8)?,
                date: r.get(2)?,
                outlet: r.get(3)?,
                title: r.get(4)?,
                speaker: r.get(5)?,
                cue: r.get(9)?,
                snippet: r.get(6)?,
                score: -r.get::<_, f64>(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The people who speak most (see [`Person`]).
    pub fn people(&self, top: usize) -> Result<Vec<Person>> {
        self.people_page(top, 0)
    }

    /// The people who speak whose name, source text or alias matches
    /// `name` (as `--speaker` matches), most statements first.
    pub fn people_named(&self, name: &str, top: usize) -> Result<Vec<Person>> {
        let Some((cond, v)) = speaker_cond(name) else {
            return Ok(Vec::new());
        };
        let cond = cond.replace("?P", "?1");
        self.people_where(&format!("AND {cond}"), &format!(" LIMIT {top}"), &[&v])
    }

    /// How many people speak (as counted by [`Store::people`]).
    pub fn people_count(&self) -> Result<u64> {
        Ok(self
            .conn
            .query_row(PEOPLE_COUNT_SQL, [], |r| r.get::<_, i64>(0))? as u64)
    }

    /// [`Store::people`] from the `offset`-th on.
    pub fn people_page(&self, top: usize, offset: usize) -> Result<Vec<Person>> {
        let limit = limit_sql(Some(top), Some(offset));
        self.people_where("", &limit, &[])
    }

    /// People who speak, with their counts and names, most statements
    /// first: `cond` narrows the statements counted (`AND …`), `limit` is
    /// the SQL tail.
    fn people_where(
        &self,
        cond: &str,
        limit: &str,
        params: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<Person>> {
        let mut st = self.conn.prepare(&format!(
            "SELECT q.speaker_pid, count(*), count(DISTINCT q.article), min(a.date), max(a.date) \
             FROM attributions q JOIN articles a ON a.id = q.article \
             WHERE q.speaker_pid IS NOT NULL {cond} GROUP BY q.speaker_pid \
             ORDER BY 2 DESC, 1{limit}"
        ))?;
        let rows = st.query_map(params, |r| {
            Ok(Person {
                id: r.get(0)?,
                name: String::new(),
                statements: r.get(1)?,
                articles: r.get(2)?,
                first: r.get(3)?,
                last: r.get(4)?,
            })
        })?;
        let mut out: Vec<Person> = rows.collect::<rusqlite::Result<_>>()?;
        for p in &mut out {
            p.name = self.display_name(&p.id)?;
        }
        Ok(out)
    }

    /// The entity's name, else the name its statements use most.
    fn display_name(&self, pid: &str) -> Result<String> {
        if let Some(n) = self
            .conn
            .prepare_cached("SELECT name FROM entities WHERE id = ?1")?
            .query_row([pid], |r| r.get::<_, String>(0))
            .optional()?
        {
            return Ok(n);
        }
        Ok(self
            .conn
            .prepare_cached(
                "SELECT speaker_name FROM attributions WHERE speaker_pid = ?1 \
                 GROUP BY speaker_name ORDER BY count(*) DESC, length(speaker_name) DESC LIMIT 1",
            )?
            .query_row([pid], |r| r.get::<_, String>(0))
            .optional()?
            .unwrap_or_else(|| pid.to_string()))
    }

    /// A profile of the person NAME matches best (most statements); `None`
    /// when nobody matches.
    pub fn person(&self, name: &str, recent: usize) -> Result<Option<Profile>> {
        let Some((cond, v)) = speaker_cond(name) else {
            return Ok(None);
        };
        let cond1 = cond.replace("?P", "?1");
        // people who speak, best first, then entities known by that name
        let mut candidates: Vec<(String, i64)> = self
            .conn
            .prepare(&format!(
                "SELECT q.speaker_pid, count(*) FROM attributions q \
                 WHERE q.speaker_pid IS NOT NULL AND {cond1} GROUP BY 1 ORDER BY 2 DESC, 1"
            ))?
            .query_map([&v], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let entities: Vec<String> = self
            .conn
            .prepare(
                "SELECT DISTINCT entity FROM aliases WHERE key LIKE ?1 \
                 UNION SELECT id FROM entities WHERE key LIKE ?1 ORDER BY 1",
            )?
            .query_map([&v], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for e in entities {
            if !candidates.iter().any(|(p, _)| *p == e) {
                candidates.push((e, 0));
            }
        }
        let Some((pid, _)) = candidates.first().cloned() else {
            return Ok(None);
        };
        let also = candidates[1..].iter().map(|(p, _)| p.clone()).collect();
        self.profile(&pid, recent, also).map(Some)
    }

    /// The profile of one person id (an entity id or `name:…`, as in
    /// [`Person::id`]); `None` when no statement and no entity has it.
    pub fn person_by_id(&self, pid: &str, recent: usize) -> Result<Option<Profile>> {
        let known: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM attributions WHERE speaker_pid = ?1) \
                 OR EXISTS (SELECT 1 FROM entities WHERE id = ?1)",
            [pid],
            |r| r.get(0),
        )?;
        if !known {
            return Ok(None);
        }
        self.profile(pid, recent, Vec::new()).map(Some)
    }

    /// A person's statements per week or month (see [`Store::timeline`]).
    pub fn person_timeline(&self, pid: &str, by: Period) -> Result<Timeline> {
        let mut t = self.buckets("q.speaker_pid = ?1", &[Value::Text(pid.to_string())], by)?;
        t.query = pid.to_string();
        Ok(t)
    }

    fn profile(&self, pid: &str, recent: usize, also: Vec<String>) -> Result<Profile> {
        let c = &self.conn;
        let entity_type: Option<String> = c
            .query_row("SELECT type FROM entities WHERE id = ?1", [pid], |r| {
                r.get(0)
            })
            .optional()?;
        let mut aliases: Vec<String> = c
            .prepare(
                "SELECT alias FROM aliases WHERE entity = ?1 \
                 UNION SELECT DISTINCT speaker_name FROM attributions WHERE speaker_pid = ?1 ORDER BY 1",
            )?
            .query_map([pid], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let name = self.display_name(pid)?;
        aliases.retain(|a| *a != name);
        let roles = c
            .prepare(
                "SELECT r.title, r.date, a.doc, a.id FROM roles r JOIN articles a ON a.id = r.article \
                 WHERE r.entity = ?1 ORDER BY r.date IS NULL, r.date, r.title",
            )?
            .query_map([pid], |r| {
                Ok(RoleSeen {
                    title: r.get(0)?,
                    date: r.get(1)?,
                    article: r.get(2)?,
                    article_id: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let (statements, articles): (u64, u64) = c.query_row(
            "SELECT count(*), count(DISTINCT article) FROM attributions WHERE speaker_pid = ?1",
            [pid],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let (first, last): (Option<String>, Option<String>) = c.query_row(
            "SELECT min(a.date), max(a.date) FROM articles a WHERE a.id IN \
               (SELECT article FROM attributions WHERE speaker_pid = ?1 \
                UNION SELECT article FROM mentions WHERE entity = ?1)",
            [pid],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let outlets = c
            .prepare(
                "SELECT COALESCE(a.outlet, '-'), count(*) FROM attributions q \
                 JOIN articles a ON a.id = q.article WHERE q.speaker_pid = ?1 \
                 GROUP BY 1 ORDER BY 2 DESC, 1",
            )?
            .query_map([pid], |r| {
                Ok(Count {
                    key: r.get(0)?,
                    count: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let over_time = self.buckets(
            "q.speaker_pid = ?1",
            &[Value::Text(pid.to_string())],
            Period::Month,
        )?;
        let mut st = c.prepare(&format!(
            "SELECT {QUOTE_COLS} FROM attributions q JOIN articles a ON a.id = q.article \
             WHERE q.speaker_pid = ?1 ORDER BY a.date IS NULL, a.date DESC, a.doc, q.seq LIMIT {recent}"
        ))?;
        let recent = st
            .query_map([pid], quote_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Profile {
            id: pid.to_string(),
            name,
            entity_type,
            aliases,
            roles,
            statements,
            articles,
            first_seen: first,
            last_seen: last,
            outlets,
            over_time: over_time.buckets,
            undated: over_time.undated,
            recent,
            also_matched: also,
        })
    }

    /// Statements by a speaker matching `query` or about it (full text),
    /// counted per week or month, empty periods included.
    pub fn timeline(&self, query: &str, by: Period) -> Result<Timeline> {
        let mut conds = Vec::new();
        let mut params = Vec::new();
        if let Some((c, v)) = speaker_cond(query) {
            params.push(v);
            conds.push(c.replace("?P", "?1"));
        }
        if let Some(t) = fts_terms(query) {
            params.push(Value::Text(t));
            conds.push(format!(
                "q.id IN (SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?{})",
                params.len()
            ));
        }
        if conds.is_empty() {
            return Ok(Timeline::default());
        }
        let mut t = self.buckets(&format!("({})", conds.join(" OR ")), &params, by)?;
        t.query = query.to_string();
        Ok(t)
    }

    /// Every statement of the record, counted per week or month, empty
    /// periods included.
    pub fn timeline_all(&self, by: Period) -> Result<Timeline> {
        self.buckets("1", &[], by)
    }

    /// Counts of statements satisfying `cond` (on `q`, with `a` its
    /// article) per period, from the first dated one to the last.
    fn buckets(&self, cond: &str, params: &[Value], by: Period) -> Result<Timeline> {
        let (label, start, step) = match by {
            Period::Month => ("substr(x, 1, 7)", "date(?, 'start of month')", "+1 month"),
            Period::Week => (
                "strftime('%G-W%V', x)",
                "date(?, 'weekday 0', '-6 days')",
                "+7 days",
            ),
        };
        let bucket_of = label.replace('x', "a.date");
        let counted: Vec<(Option<String>, u64)> = self
            .conn
            .prepare(&format!(
                "SELECT CASE WHEN a.date IS NULL THEN NULL ELSE {bucket_of} END, count(*) \
                 FROM attributions q JOIN articles a ON a.id = q.article \
                 WHERE {cond} GROUP BY 1 ORDER BY 1"
            ))?
            .query_map(params_from_iter(params.iter()), |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let (min, max): (Option<String>, Option<String>) = self.conn.query_row(
            &format!(
                "SELECT min(a.date), max(a.date) FROM attributions q JOIN articles a ON a.id = q.article \
                 WHERE {cond} AND a.date IS NOT NULL"
            ),
            params_from_iter(params.iter()),
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let mut t = Timeline::default();
        for (b, n) in &counted {
            if b.is_none() {
                t.undated = *n;
            }
        }
        if let (Some(min), Some(max)) = (min, max) {
            let periods: Vec<String> = self
                .conn
                .prepare(&format!(
                    "WITH RECURSIVE d(x) AS (SELECT {start} UNION ALL \
                       SELECT date(x, '{step}') FROM d WHERE date(x, '{step}') <= ?) \
                     SELECT {label} FROM d LIMIT 10000"
                ))?
                .query_map([&min, &max], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for p in periods {
                let n = counted
                    .iter()
                    .find(|(b, _)| b.as_deref() == Some(p.as_str()))
                    .map_or(0, |(_, n)| *n);
                if t.buckets.last().map(|b: &Count| &b.key) != Some(&p) {
                    t.buckets.push(Count { key: p, count: n });
                }
            }
        }
        Ok(t)
    }

    /// The article that `which` names without looking at the file system:
    /// a row id, else a document id or key (the first stored, if several).
    pub fn article_id(&self, which: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id FROM articles WHERE CAST(id AS TEXT) = ?1 OR doc = ?1 OR key = ?1 \
                 ORDER BY CAST(id AS TEXT) = ?1 DESC, id LIMIT 1",
            )?
            .query_row([which], |r| r.get(0))
            .optional()?)
    }

    /// The entity mentions of an article, in text order (longest first at
    /// one start), with the entities' names and types.
    pub fn mentions(&self, article: i64) -> Result<Vec<MentionRow>> {
        let mut st = self.conn.prepare_cached(
            "SELECT m.entity, e.name, e.type, m.start, m.end FROM mentions m \
             JOIN entities e ON e.id = m.entity WHERE m.article = ?1 \
             ORDER BY m.start, m.end DESC, m.entity",
        )?;
        let rows = st.query_map([article], |r| {
            Ok(MentionRow {
                entity: r.get(0)?,
                name: r.get(1)?,
                kind: r.get(2)?,
                start: r.get::<_, i64>(3)?.max(0) as usize,
                end: r.get::<_, i64>(4)?.max(0) as usize,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The outlets of the stored articles, most articles first.
    pub fn outlets(&self) -> Result<Vec<Count>> {
        let mut st = self.conn.prepare_cached(
            "SELECT outlet, count(*) FROM articles WHERE outlet IS NOT NULL \
             GROUP BY outlet ORDER BY 2 DESC, 1",
        )?;
        let rows = st.query_map([], |r| {
            Ok(Count {
                key: r.get(0)?,
                count: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Articles that `which` names: a document id, a key, a path as stored
    /// or as found on disk, or a row id.
    pub fn find_articles(&self, which: &str) -> Result<Vec<i64>> {
        let canon = std::fs::canonicalize(which)
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        let ids = self
            .conn
            .prepare(
                "SELECT id FROM articles WHERE doc = ?1 OR key = ?1 OR path = ?1 OR key = ?2 \
                 OR CAST(id AS TEXT) = ?1 ORDER BY id",
            )?
            .query_map([which, canon.as_str()], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// One article with its statements.
    pub fn article(&self, id: i64) -> Result<Option<ArticleView>> {
        let art = self
            .conn
            .query_row(
                "SELECT id, key, doc, path, date, title, outlet, url, authors, editor, text, hash, \
                        format, language, modified, crawled, description, note \
                 FROM articles WHERE id = ?1",
                [id],
                |r| {
                    Ok(ArticleView {
                        id: r.get(0)?,
                        key: r.get(1)?,
                        doc: r.get(2)?,
                        path: r.get(3)?,
                        date: r.get(4)?,
                        title: r.get(5)?,
                        outlet: r.get(6)?,
                        url: r.get(7)?,
                        authors: serde_json::from_str(&r.get::<_, String>(8)?).unwrap_or_default(),
                        editor: r.get(9)?,
                        text: r.get(10)?,
                        hash: r.get(11)?,
                        format: r.get(12)?,
                        language: r.get(13)?,
                        modified: r.get(14)?,
                        crawled: r.get(15)?,
                        description: r.get(16)?,
                        note: r.get(17)?,
                        attributions: Vec::new(),
                    })
                },
            )
            .optional()?;
        let Some(mut art) = art else { return Ok(None) };
        let mut st = self.conn.prepare(&format!(
            "SELECT {QUOTE_COLS} FROM attributions q JOIN articles a ON a.id = q.article \
             WHERE q.article = ?1 ORDER BY q.seq"
        ))?;
        art.attributions = st
            .query_map([id], quote_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some(art))
    }

    /// Inputs that could not be read, and articles stored without
    /// statements on purpose (an unsupported language), by path.
    pub fn errors(&self) -> Result<Vec<ErrorRow>> {
        let mut st = self.conn.prepare(
            "SELECT path, line, message FROM errors \
                 UNION ALL SELECT path, NULL, note || ' (stored without statements)' FROM articles \
                 WHERE note IS NOT NULL ORDER BY 1, 2",
        )?;
        let rows = st.query_map([], |r| {
            Ok(ErrorRow {
                path: r.get(0)?,
                line: r.get(1)?,
                message: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Calls `each` for every article (metadata, statement count, text), by key.
    pub fn for_each_article(
        &self,
        mut each: impl FnMut(ArticleRow) -> std::io::Result<()>,
    ) -> Result<std::io::Result<()>> {
        let mut st = self.conn.prepare(
            "SELECT a.doc, a.path, a.key, a.hash, a.date, a.title, a.outlet, a.url, a.authors, a.editor, \
                 (SELECT count(*) FROM attributions q WHERE q.article = a.id), a.text, \
                 a.format, a.language, a.modified, a.crawled, a.description, a.note \
             FROM articles a ORDER BY a.key",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let row = ArticleRow {
                doc: r.get(0)?,
                path: r.get(1)?,
                key: r.get(2)?,
                hash: r.get(3)?,
                date: r.get(4)?,
                title: r.get(5)?,
                outlet: r.get(6)?,
                url: r.get(7)?,
                authors: serde_json::from_str(&r.get::<_, String>(8)?).unwrap_or_default(),
                editor: r.get(9)?,
                statements: r.get(10)?,
                text: r.get(11)?,
                format: r.get(12)?,
                language: r.get(13)?,
                modified: r.get(14)?,
                crawled: r.get(15)?,
                description: r.get(16)?,
                note: r.get(17)?,
            };
            if let Err(e) = each(row) {
                return Ok(Err(e));
            }
        }
        Ok(Ok(()))
    }

    /// Every entity with its aliases and statement count, by id.
    /// Every person's role titles with how often the record gives them,
    /// for the identity registry that goes on from it.
    pub fn person_titles(&self) -> Result<Vec<(String, String, u32)>> {
        let mut st = self.conn.prepare(
            "SELECT entity, title, count(*) FROM roles WHERE entity LIKE 'per:%' \
             GROUP BY entity, title ORDER BY 1, 2",
        )?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn entities(&self) -> Result<Vec<EntityRow>> {
        let mut st = self.conn.prepare(
            "SELECT e.id, e.name, e.type, \
                 (SELECT json_group_array(alias) FROM (SELECT DISTINCT alias FROM aliases WHERE entity = e.id ORDER BY alias)), \
                 (SELECT count(*) FROM attributions q WHERE q.speaker_entity = e.id), \
                 (SELECT count(DISTINCT article) FROM mentions m WHERE m.entity = e.id) \
             FROM entities e ORDER BY e.id",
        )?;
        let rows = st.query_map([], |r| {
            Ok(EntityRow {
                id: r.get(0)?,
                name: r.get(1)?,
                kind: r.get(2)?,
                aliases: serde_json::from_str(&r.get::<_, String>(3)?).unwrap_or_default(),
                statements: r.get(4)?,
                articles: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// `search` results: statements and articles, each best first.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResult {
    /// The FTS5 query that was run.
    pub query: String,
    pub statements: Vec<Hit>,
    pub articles: Vec<Hit>,
}

/// One page of [`Store::search_page`]: hits and totals.
#[derive(Debug, Clone, Serialize)]
pub struct SearchPage {
    /// The FTS5 query that was run (empty when only speakers matched).
    pub query: String,
    pub statements: Vec<Hit>,
    pub articles: Vec<Hit>,
    /// All the statements that match (not only this page's).
    pub statements_total: u64,
    /// Of those, the ones spoken by someone the query names (they come
    /// first).
    pub spoken_total: u64,
    pub articles_total: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub kind: &'static str,
    /// Why it matched: `speaker` (a statement by the person the query
    /// names) or `text` (its words match).
    pub matched: &'static str,
    /// Statement id, or article row id.
    pub id: i64,
    pub article: String,
    /// The article's row id.
    pub article_id: i64,
    pub date: Option<String>,
    pub outlet: Option<String>,
    pub title: Option<String>,
    pub speaker: Option<String>,
    /// The statement's cue ("said", "pointed to statements alleging");
    /// null for an article.
    pub cue: Option<String>,
    /// Matched terms are wrapped in [`HL_OPEN`] / [`HL_CLOSE`].
    pub snippet: String,
    /// Relevance (negated bm25: higher is better).
    pub score: f64,
}

/// A person who speaks: an entity id, or `name:` and the folded name when
/// the speaker has no entity.
#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub statements: u64,
    pub articles: u64,
    pub first: Option<String>,
    pub last: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoleSeen {
    pub title: String,
    pub date: Option<String>,
    pub article: String,
    /// The article's row id.
    pub article_id: i64,
}

/// One mention of an entity in an article (code points, end exclusive).
#[derive(Debug, Clone, Serialize)]
pub struct MentionRow {
    pub entity: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Count {
    pub key: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    pub id: String,
    pub name: String,
    pub entity_type: Option<String>,
    pub aliases: Vec<String>,
    pub roles: Vec<RoleSeen>,
    pub statements: u64,
    pub articles: u64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub outlets: Vec<Count>,
    /// Statements per month.
    pub over_time: Vec<Count>,
    /// Statements in undated articles.
    pub undated: u64,
    /// The latest statements.
    pub recent: Vec<Quote>,
    /// Other people the name also matched.
    pub also_matched: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Week,
    Month,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Timeline {
    pub query: String,
    /// Periods (`YYYY-MM` or ISO `YYYY-Www`) and statement counts.
    pub buckets: Vec<Count>,
    pub undated: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleView {
    pub id: i64,
    pub key: String,
    pub doc: String,
    pub path: String,
    pub hash: String,
    pub date: Option<String>,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub authors: Vec<String>,
    pub editor: Option<String>,
    /// The input it was read from: `text`, `jsonl`, `json`, `csv`, `html`,
    /// `warc` or `web` (a page fetched over HTTP).
    pub format: String,
    pub language: Option<String>,
    pub modified: Option<String>,
    pub crawled: Option<String>,
    pub description: Option<String>,
    /// Why it has no statements ("unsupported language: de"), or null.
    pub note: Option<String>,
    pub text: String,
    pub attributions: Vec<Quote>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleRow {
    pub doc: String,
    pub path: String,
    pub key: String,
    pub hash: String,
    pub date: Option<String>,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub authors: Vec<String>,
    pub editor: Option<String>,
    pub format: String,
    pub language: Option<String>,
    pub modified: Option<String>,
    pub crawled: Option<String>,
    pub description: Option<String>,
    pub note: Option<String>,
    pub statements: u64,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EntityRow {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub aliases: Vec<String>,
    pub statements: u64,
    pub articles: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ErrorRow {
    pub path: String,
    pub line: Option<i64>,
    pub message: String,
}
