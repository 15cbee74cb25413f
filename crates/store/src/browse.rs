//! Read-only listings for browsing the record (the web pages `/people`,
//! `/articles`, `/events`): people by count or name, articles by outlet
//! and date, events, and the few facts a list of statements needs about
//! their articles (the original URL, the first words of an untitled one).

use crate::fold::fold;
use crate::{Result, Store};
use rusqlite::types::Value;
use rusqlite::{params_from_iter, OptionalExtension};
use serde::Serialize;
use std::collections::HashMap;

/// How many words of its text stand for an article without a headline.
pub const HEAD_WORDS: usize = 10;

/// The first `n` words of `text`, with "…" when there are more; empty
/// when the text has no words.
pub fn first_words(text: &str, n: usize) -> String {
    let mut words = text.split_whitespace();
    let head: Vec<&str> = words.by_ref().take(n).collect();
    let more = words.next().is_some();
    let mut s = head.join(" ");
    if more {
        s.push('…');
    }
    s
}

/// An article's headline, else the first words of its text, else its
/// document id.
pub fn title_or_head(title: Option<&str>, head: &str, doc: &str) -> String {
    match title.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => t.to_string(),
        None if !head.is_empty() => head.to_string(),
        None => doc.to_string(),
    }
}

/// What a statement list shows about each article.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleFacts {
    pub doc: String,
    pub title: Option<String>,
    /// The first words of the text ([`first_words`]).
    pub head: String,
    pub url: Option<String>,
}

impl ArticleFacts {
    /// Its headline, else its first words ([`title_or_head`]).
    pub fn label(&self) -> String {
        title_or_head(self.title.as_deref(), &self.head, &self.doc)
    }
}

/// Which articles [`Store::article_list`] returns. Empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct ArticleFilter {
    /// Outlet, case-insensitively.
    pub outlet: Option<String>,
    /// Article date on or after (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    pub from: Option<String>,
    /// Article date on or before (a prefix includes the whole period).
    pub to: Option<String>,
    pub limit: usize,
    pub offset: usize,
}

/// An article in a list.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleItem {
    pub id: i64,
    pub doc: String,
    pub date: Option<String>,
    pub outlet: Option<String>,
    pub title: Option<String>,
    pub head: String,
    pub url: Option<String>,
    pub statements: u64,
}

impl ArticleItem {
    pub fn label(&self) -> String {
        title_or_head(self.title.as_deref(), &self.head, &self.doc)
    }
}

/// Whom [`Store::people_list`] returns.
#[derive(Debug, Clone, Default)]
pub struct PeopleFilter {
    /// Words of the name (folded: any case or accents), anywhere in the
    /// name, the source as written, or an alias.
    pub name: Option<String>,
    /// By name (A–Z) instead of by statements (most first).
    pub by_name: bool,
    pub limit: usize,
    pub offset: usize,
}

/// A person who speaks, in a list.
#[derive(Debug, Clone, Serialize)]
pub struct PersonItem {
    pub id: String,
    pub name: String,
    pub statements: u64,
    pub articles: u64,
    pub first: Option<String>,
    pub last: Option<String>,
}

/// An event in a list.
#[derive(Debug, Clone, Serialize)]
pub struct EventItem {
    pub id: String,
    pub kind: String,
    pub date: Option<String>,
    /// Names of the principals (entity names where known, else ids).
    pub principals: Vec<String>,
    /// Their ids, in the same order.
    pub principal_ids: Vec<String>,
    pub places: Vec<String>,
    /// How many stored articles report it.
    pub reports: u64,
}

const HEAD_SQL: &str = "substr(a.text, 1, 400)";

fn article_where(f: &ArticleFilter) -> (String, Vec<Value>) {
    let mut conds = Vec::new();
    let mut params = Vec::new();
    let mut bind = |cond: &str, v: String| {
        params.push(Value::Text(v));
        conds.push(cond.replace("?P", &format!("?{}", params.len())));
    };
    if let Some(o) = f.outlet.as_deref() {
        bind("a.outlet = ?P COLLATE NOCASE", o.to_string());
    }
    if let Some(d) = f.from.as_deref() {
        bind("a.date >= ?P", d.to_string());
    }
    if let Some(d) = f.to.as_deref() {
        // '~' sorts after every digit and '-': "2025-11" includes the month
        bind("a.date <= ?P", format!("{d}~"));
    }
    let sql = if conds.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conds.join(" AND "))
    };
    (sql, params)
}

/// The condition on a person id (`pid`) for a name filter, and its bound
/// pattern (`?1`).
const NAME_COND: &str = "(pid IN (SELECT speaker_pid FROM attributions \
       WHERE speaker_pid IS NOT NULL AND speaker_key LIKE ?1 ESCAPE '\\') \
     OR pid IN (SELECT entity FROM aliases WHERE key LIKE ?1 ESCAPE '\\') \
     OR pid IN (SELECT id FROM entities WHERE key LIKE ?1 ESCAPE '\\'))";

fn like_pattern(name: &str) -> Option<String> {
    let key = fold(name);
    if key.is_empty() {
        return None;
    }
    let escaped: String = key
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    Some(format!("%{escaped}%"))
}

/// People who speak, counted, with the name each is shown by.
const PEOPLE_SQL: &str = "SELECT pid, n, arts, first, last, \
       coalesce((SELECT name FROM entities WHERE id = pid), \
         (SELECT speaker_name FROM attributions WHERE speaker_pid = pid \
          GROUP BY speaker_name ORDER BY count(*) DESC, length(speaker_name) DESC LIMIT 1), \
         pid) AS name \
     FROM (SELECT q.speaker_pid AS pid, count(*) AS n, count(DISTINCT q.article) AS arts, \
             min(a.date) AS first, max(a.date) AS last \
           FROM attributions q JOIN articles a ON a.id = q.article \
           WHERE q.speaker_pid IS NOT NULL GROUP BY q.speaker_pid)";

impl Store {
    /// What the statement lists show about these articles (row ids);
    /// unknown ids are left out.
    pub fn article_facts(&self, ids: &[i64]) -> Result<HashMap<i64, ArticleFacts>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT a.doc, a.title, {HEAD_SQL}, a.url FROM articles a WHERE a.id = ?1"
        ))?;
        let mut out = HashMap::new();
        for &id in ids {
            if out.contains_key(&id) {
                continue;
            }
            let row = st
                .query_row([id], |r| {
                    Ok(ArticleFacts {
                        doc: r.get(0)?,
                        title: r.get(1)?,
                        head: first_words(&r.get::<_, String>(2)?, HEAD_WORDS),
                        url: r.get(3)?,
                    })
                })
                .optional()?;
            if let Some(f) = row {
                out.insert(id, f);
            }
        }
        Ok(out)
    }

    /// The cue of each of these statements (row ids).
    pub fn statement_cues(&self, ids: &[i64]) -> Result<HashMap<i64, String>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT cue FROM attributions WHERE id = ?1")?;
        let mut out = HashMap::new();
        for &id in ids {
            if let Some(c) = st.query_row([id], |r| r.get::<_, String>(0)).optional()? {
                out.insert(id, c);
            }
        }
        Ok(out)
    }

    /// Articles the filter selects, newest first (undated last).
    pub fn article_list(&self, f: &ArticleFilter) -> Result<Vec<ArticleItem>> {
        let (w, params) = article_where(f);
        let sql = format!(
            "SELECT a.id, a.doc, a.date, a.outlet, a.title, {HEAD_SQL}, a.url, \
               (SELECT count(*) FROM attributions q WHERE q.article = a.id) \
             FROM articles a {w} ORDER BY a.date IS NULL, a.date DESC, a.doc, a.id \
             LIMIT {} OFFSET {}",
            f.limit.min(i64::MAX as usize),
            f.offset.min(i64::MAX as usize)
        );
        let mut st = self.conn.prepare(&sql)?;
        let rows = st.query_map(params_from_iter(params.iter()), |r| {
            Ok(ArticleItem {
                id: r.get(0)?,
                doc: r.get(1)?,
                date: r.get(2)?,
                outlet: r.get(3)?,
                title: r.get(4)?,
                head: first_words(&r.get::<_, String>(5)?, HEAD_WORDS),
                url: r.get(6)?,
                statements: r.get::<_, i64>(7)? as u64,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many articles [`Store::article_list`] selects (paging aside).
    pub fn article_count(&self, f: &ArticleFilter) -> Result<u64> {
        let (w, params) = article_where(f);
        let n: i64 = self.conn.query_row(
            &format!("SELECT count(*) FROM articles a {w}"),
            params_from_iter(params.iter()),
            |r| r.get(0),
        )?;
        Ok(n as u64)
    }

    /// People who speak, most statements first (or by name), a page of
    /// them; with a name, those whose name, source text or alias contains
    /// its folded words.
    pub fn people_list(&self, f: &PeopleFilter) -> Result<Vec<PersonItem>> {
        let pattern = f.name.as_deref().and_then(like_pattern);
        if f.name.is_some() && pattern.is_none() {
            return Ok(Vec::new());
        }
        let cond = if pattern.is_some() {
            format!("WHERE {NAME_COND}")
        } else {
            String::new()
        };
        let order = if f.by_name {
            "name COLLATE NOCASE, n DESC, pid"
        } else {
            "n DESC, name COLLATE NOCASE, pid"
        };
        let sql = format!(
            "SELECT * FROM ({PEOPLE_SQL}) {cond} ORDER BY {order} LIMIT {} OFFSET {}",
            f.limit.min(i64::MAX as usize),
            f.offset.min(i64::MAX as usize)
        );
        let mut st = self.conn.prepare(&sql)?;
        let map = |r: &rusqlite::Row| {
            Ok(PersonItem {
                id: r.get(0)?,
                statements: r.get::<_, i64>(1)? as u64,
                articles: r.get::<_, i64>(2)? as u64,
                first: r.get(3)?,
                last: r.get(4)?,
                name: r.get(5)?,
            })
        };
        let rows = match &pattern {
            Some(p) => st.query_map([p], map)?,
            None => st.query_map([], map)?,
        };
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many people [`Store::people_list`] selects (paging aside).
    pub fn people_list_count(&self, f: &PeopleFilter) -> Result<u64> {
        let pattern = f.name.as_deref().and_then(like_pattern);
        if f.name.is_some() && pattern.is_none() {
            return Ok(0);
        }
        let n: i64 = match &pattern {
            Some(p) => self.conn.query_row(
                &format!(
                    "SELECT count(*) FROM (SELECT DISTINCT speaker_pid AS pid FROM attributions \
                     WHERE speaker_pid IS NOT NULL) WHERE {NAME_COND}"
                ),
                [p],
                |r| r.get(0),
            )?,
            None => self
                .conn
                .query_row(crate::query::PEOPLE_COUNT_SQL, [], |r| r.get(0))?,
        };
        Ok(n as u64)
    }

    /// Events, newest first (undated last), a page of them.
    pub fn event_list(&self, limit: usize, offset: usize) -> Result<Vec<EventItem>> {
        let mut st = self.conn.prepare(&format!(
            "SELECT e.id, e.type, e.date, e.principals, e.places, \
               (SELECT count(*) FROM article_events r WHERE r.event = e.id) \
             FROM events e ORDER BY e.date IS NULL, e.date DESC, e.id LIMIT {} OFFSET {}",
            limit.min(i64::MAX as usize),
            offset.min(i64::MAX as usize)
        ))?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, i64>(5)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut names = self
            .conn
            .prepare_cached("SELECT name FROM entities WHERE id = ?1")?;
        let mut name = |id: &String| -> Result<String> {
            let n: Option<String> = names.query_row([id], |r| r.get(0)).optional()?;
            Ok(n.unwrap_or_else(|| id.clone()))
        };
        let mut out = Vec::with_capacity(rows.len());
        for (id, kind, date, principals, places, reports) in rows {
            let principal_ids: Vec<String> = serde_json::from_str(&principals).unwrap_or_default();
            let place_ids: Vec<String> = serde_json::from_str(&places).unwrap_or_default();
            out.push(EventItem {
                id,
                kind,
                date,
                principals: principal_ids.iter().map(&mut name).collect::<Result<_>>()?,
                principal_ids,
                places: place_ids.iter().map(&mut name).collect::<Result<_>>()?,
                reports: reports as u64,
            });
        }
        Ok(out)
    }

    /// How many events the record knows.
    pub fn event_count(&self) -> Result<u64> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM events", [], |r| r.get(0))?;
        Ok(n as u64)
    }

    /// The articles that report an event, oldest first.
    pub fn event_articles(&self, id: &str) -> Result<Vec<ArticleItem>> {
        let mut st = self.conn.prepare(&format!(
            "SELECT a.id, a.doc, a.date, a.outlet, a.title, {HEAD_SQL}, a.url, \
               (SELECT count(*) FROM attributions q WHERE q.article = a.id) \
             FROM article_events e JOIN articles a ON a.id = e.article \
             WHERE e.event = ?1 ORDER BY a.date IS NULL, a.date, a.id"
        ))?;
        let rows = st.query_map([id], |r| {
            Ok(ArticleItem {
                id: r.get(0)?,
                doc: r.get(1)?,
                date: r.get(2)?,
                outlet: r.get(3)?,
                title: r.get(4)?,
                head: first_words(&r.get::<_, String>(5)?, HEAD_WORDS),
                url: r.get(6)?,
                statements: r.get::<_, i64>(7)? as u64,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The threads a person speaks in: (id, label, their statements in
    /// it), most first, at most `top`.
    pub fn person_threads(&self, pid: &str, top: usize) -> Result<Vec<(String, String, u64)>> {
        let mut st = self.conn.prepare(&format!(
            "SELECT t.id, t.label, count(*) FROM attributions q JOIN threads t ON t.id = q.thread \
             WHERE q.speaker_pid = ?1 GROUP BY t.id ORDER BY 3 DESC, t.seq LIMIT {}",
            top.min(i64::MAX as usize)
        ))?;
        let rows = st.query_map([pid], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as u64))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The threads about an event: (id, label, statements), largest first.
    pub fn event_threads(&self, id: &str) -> Result<Vec<(String, String, u64)>> {
        let mut st = self.conn.prepare(
            "SELECT t.id, t.label, (SELECT count(*) FROM attributions q WHERE q.thread = t.id) \
             FROM threads t WHERE json_valid(t.events) AND EXISTS (SELECT 1 \
               FROM json_each(t.events) j WHERE json_extract(j.value, '$[0]') = ?1) \
             ORDER BY 3 DESC, t.seq",
        )?;
        let rows = st.query_map([id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as u64))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_of_untitled_articles() {
        assert_eq!(first_words("  one two\nthree ", 10), "one two three");
        assert_eq!(first_words("a b c d", 2), "a b…");
        assert_eq!(first_words(" \n", 3), "");
        assert_eq!(title_or_head(Some("  "), "a b…", "doc"), "a b…");
        assert_eq!(title_or_head(None, "", "doc"), "doc");
        assert_eq!(title_or_head(Some("T"), "a", "doc"), "T");
        assert_eq!(like_pattern("Jane_Roe%"), Some("%jane roe%".into()));
        assert_eq!(like_pattern("  "), None);
    }
}
