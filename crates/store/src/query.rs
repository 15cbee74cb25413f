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
}

/// One statement with its article's metadata.
#[derive(Debug, Clone, Serialize)]
pub struct Quote {
    pub id: i64,
    /// The article's document id.
    pub article: String,
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
}

const QUOTE_COLS: &str = "q.id, a.doc, a.path, a.date, a.outlet, a.title, q.kind, q.speaker_name, \
     q.speaker_text, q.speaker_entity, q.source, q.cue, q.content, q.confidence, \
     q.source_spans, q.cue_spans, q.content_spans";

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
    })
}

/// An FTS5 query that matches all the words of `text` (each one quoted, so
/// no character of the user's text is FTS syntax); `None` without words.
pub fn fts_terms(text: &str) -> Option<String> {
    let terms: Vec<String> = text
        .split_whitespace()
        .map(|w| w.replace('"', ""))
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| format!("\"{w}\""))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
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
    fn add(&mut self, cond: &str, value: Value) {
        self.params.push(value);
        let n = self.params.len();
        self.conds.push(cond.replace("?P", &format!("?{n}")));
    }

    fn sql(&self) -> String {
        if self.conds.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.conds.join(" AND "))
        }
    }
}

fn quote_where(f: &QuoteFilter) -> Result<Where> {
    let mut w = Where::default();
    if let Some(name) = f.speaker.as_deref() {
        match speaker_cond(name) {
            Some((c, v)) => w.add(&c, v),
            None => w.conds.push("0".into()),
        }
    }
    if let Some(about) = f.about.as_deref() {
        match fts_terms(about) {
            Some(t) => w.add(
                "q.id IN (SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?P)",
                Value::Text(t),
            ),
            None => w.conds.push("0".into()),
        }
    }
    if let Some(from) = f.from.as_deref() {
        w.add("a.date >= ?P", Value::Text(from.to_string()));
    }
    if let Some(to) = f.to.as_deref() {
        // '~' sorts after every digit and '-': "2025-11" includes the month
        w.add("a.date <= ?P", Value::Text(format!("{to}~")));
    }
    if let Some(outlet) = f.outlet.as_deref() {
        w.add(
            "a.outlet = ?P COLLATE NOCASE",
            Value::Text(outlet.to_string()),
        );
    }
    if let Some(kind) = f.kind.as_deref() {
        w.add("q.kind = ?P", Value::Text(kind.to_string()));
    }
    Ok(w)
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
        let limit = f.limit.map(|l| format!(" LIMIT {l}")).unwrap_or_default();
        let sql = format!(
            "SELECT {QUOTE_COLS} FROM attributions q JOIN articles a ON a.id = q.article {} \
             ORDER BY a.date IS NULL, a.date, a.doc, a.id, q.seq{limit}",
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

    /// Full-text search over statements and articles, best first (bm25).
    /// `query` is FTS5 syntax when it parses as such, else its words.
    pub fn search(&self, query: &str, limit: usize) -> Result<SearchResult> {
        let statements_sql = format!(
            "SELECT q.id, a.doc, a.date, a.outlet, a.title, q.speaker_name, \
                 snippet(statements_fts, 0, '{HL_OPEN}', '{HL_CLOSE}', '…', 16), bm25(statements_fts) \
             FROM statements_fts JOIN attributions q ON q.id = statements_fts.rowid \
                 JOIN articles a ON a.id = q.article \
             WHERE statements_fts MATCH ?1 ORDER BY bm25(statements_fts) LIMIT {limit}"
        );
        let articles_sql = format!(
            "SELECT a.id, a.doc, a.date, a.outlet, a.title, NULL, \
                 snippet(articles_fts, 1, '{HL_OPEN}', '{HL_CLOSE}', '…', 16), bm25(articles_fts, 3.0, 1.0) \
             FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid \
             WHERE articles_fts MATCH ?1 ORDER BY bm25(articles_fts, 3.0, 1.0) LIMIT {limit}"
        );
        let run = |q: &str| -> Result<SearchResult> {
            Ok(SearchResult {
                query: q.to_string(),
                statements: self.hits(&statements_sql, q, "statement")?,
                articles: self.hits(&articles_sql, q, "article")?,
            })
        };
        match run(query) {
            Ok(r) => Ok(r),
            Err(StoreError::Sql(e))
                if e.to_string().contains("fts5") || e.to_string().contains("no such column") =>
            {
                let terms = fts_terms(query).ok_or_else(|| StoreError::Query {
                    query: query.to_string(),
                    message: "no words to search for".into(),
                })?;
                run(&terms).map_err(|e| StoreError::Query {
                    query: query.to_string(),
                    message: e.to_string(),
                })
            }
            Err(e) => Err(e),
        }
    }

    fn hits(&self, sql: &str, q: &str, kind: &'static str) -> Result<Vec<Hit>> {
        let mut st = self.conn.prepare_cached(sql)?;
        let rows = st.query_map([q], |r| {
            Ok(Hit {
                kind,
                id: r.get(0)?,
                article: r.get(1)?,
                date: r.get(2)?,
                outlet: r.get(3)?,
                title: r.get(4)?,
                speaker: r.get(5)?,
                snippet: r.get(6)?,
                score: -r.get::<_, f64>(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The people who speak most (see [`Person`]).
    pub fn people(&self, top: usize) -> Result<Vec<Person>> {
        let mut st = self.conn.prepare(&format!(
            "SELECT q.speaker_pid, count(*), count(DISTINCT q.article), min(a.date), max(a.date) \
             FROM attributions q JOIN articles a ON a.id = q.article \
             WHERE q.speaker_pid IS NOT NULL GROUP BY q.speaker_pid \
             ORDER BY 2 DESC, 1 LIMIT {top}"
        ))?;
        let rows = st.query_map([], |r| {
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
                "SELECT r.title, r.date, a.doc FROM roles r JOIN articles a ON a.id = r.article \
                 WHERE r.entity = ?1 ORDER BY r.date IS NULL, r.date, r.title",
            )?
            .query_map([pid], |r| {
                Ok(RoleSeen {
                    title: r.get(0)?,
                    date: r.get(1)?,
                    article: r.get(2)?,
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
                "SELECT id, key, doc, path, date, title, outlet, url, authors, editor, text, hash \
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

    /// Inputs that could not be read, by path.
    pub fn errors(&self) -> Result<Vec<ErrorRow>> {
        let mut st = self
            .conn
            .prepare("SELECT path, line, message FROM errors ORDER BY path, line")?;
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
                 (SELECT count(*) FROM attributions q WHERE q.article = a.id), a.text \
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
            };
            if let Err(e) = each(row) {
                return Ok(Err(e));
            }
        }
        Ok(Ok(()))
    }

    /// Every entity with its aliases and statement count, by id.
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

#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub kind: &'static str,
    /// Statement id, or article row id.
    pub id: i64,
    pub article: String,
    pub date: Option<String>,
    pub outlet: Option<String>,
    pub title: Option<String>,
    pub speaker: Option<String>,
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
