//! Threads and events in the record: what ingest loads to go on growing
//! them, and what `threads`, `thread` (and the server) ask.

use crate::query::fts_terms;
use crate::record::{EventRecord, ThreadRecord};
use crate::{Result, Store};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

/// A thread in a list.
#[derive(Debug, Clone, Serialize)]
pub struct ThreadRow {
    pub id: String,
    pub label: String,
    /// Key terms as written, strongest first.
    pub terms: Vec<String>,
    pub statements: u64,
    pub articles: u64,
    pub first: Option<String>,
    pub last: Option<String>,
    /// The event it is most about.
    pub event: Option<String>,
    /// Statements per stance.
    pub stances: Vec<(String, u64)>,
}

/// A statement in a thread's timeline.
#[derive(Debug, Clone, Serialize)]
pub struct ThreadStatement {
    pub id: i64,
    /// The date it refers to (a date in the text, else the article's).
    pub date: Option<String>,
    pub published: Option<String>,
    pub speaker: Option<String>,
    pub entity: Option<String>,
    pub outlet: Option<String>,
    pub article: String,
    pub title: Option<String>,
    pub kind: String,
    pub stance: String,
    pub content: String,
    /// The article's row id (unique, unlike the document id).
    pub article_id: i64,
    /// How it was reported ("said", "pointed to statements alleging").
    pub cue: String,
}

/// An event with every article's report of it.
#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub date: Option<String>,
    /// Principals' entity ids.
    pub principals: Vec<String>,
    /// Place entity ids.
    pub places: Vec<String>,
    /// The record's name for each principal and place, in that order (the
    /// id itself where the record has no such entity).
    pub names: Vec<String>,
    /// (article doc id, that article's report as stored).
    pub reports: Vec<(String, serde_json::Value)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ThreadView {
    pub thread: ThreadRow,
    pub event: Option<EventView>,
    /// In date order (undated last), then article and text order.
    pub statements: Vec<ThreadStatement>,
}

fn terms_of(centroid: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(centroid).unwrap_or_default();
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|t| t["text"].as_str().map(String::from))
                .take(8)
                .collect()
        })
        .unwrap_or_default()
}

fn event_of(events: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(events).unwrap_or_default();
    v.get(0)?.get(0)?.as_str().map(String::from)
}

/// The condition that keeps threads with a statement matching the FTS
/// query bound as `?4`.
fn about_only(on: bool) -> &'static str {
    if on {
        "WHERE t.id IN (SELECT q2.thread FROM statements_fts
             JOIN attributions q2 ON q2.id = statements_fts.rowid
             WHERE statements_fts MATCH ?4 AND q2.thread IS NOT NULL)"
    } else {
        ""
    }
}

const EVENT_COLS: &str = "id, type, date, principals, places";

fn event_record(r: &rusqlite::Row) -> rusqlite::Result<EventRecord> {
    Ok(EventRecord {
        id: r.get(0)?,
        kind: r.get(1)?,
        date: r.get(2)?,
        principals: r.get(3)?,
        places: r.get(4)?,
    })
}

/// Columns [`thread_row`] reads: the thread and its statement counts.
const THREAD_COLS: &str = "t.id, t.label, t.centroid, t.first, t.last, t.events,
     count(q.id), count(DISTINCT q.article)";

fn thread_row(r: &rusqlite::Row) -> rusqlite::Result<ThreadRow> {
    let centroid: String = r.get(2)?;
    let events: String = r.get(5)?;
    Ok(ThreadRow {
        id: r.get(0)?,
        label: r.get(1)?,
        terms: terms_of(&centroid),
        statements: r.get::<_, i64>(6)? as u64,
        articles: r.get::<_, i64>(7)? as u64,
        first: r.get(3)?,
        last: r.get(4)?,
        event: event_of(&events),
        stances: Vec::new(),
    })
}

impl Store {
    /// Every thread's state, in creation order (ingest goes on from it).
    pub fn load_threads(&self) -> Result<Vec<ThreadRecord>> {
        let mut st = self.conn().prepare(
            "SELECT id, seq, label, centroid, size, first, last, events FROM threads ORDER BY seq",
        )?;
        let rows = st.query_map([], |r| {
            Ok(ThreadRecord {
                id: r.get(0)?,
                seq: r.get(1)?,
                label: r.get(2)?,
                centroid: r.get(3)?,
                size: r.get(4)?,
                first: r.get(5)?,
                last: r.get(6)?,
                events: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every known event (ingest goes on from them).
    pub fn load_events(&self) -> Result<Vec<EventRecord>> {
        // rowid: the order they were first seen
        let mut st = self
            .conn()
            .prepare(&format!("SELECT {EVENT_COLS} FROM events ORDER BY rowid"))?;
        let rows = st.query_map([], event_record)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The (thread, subject JSON) of each stored statement of the article
    /// with this key: what replacing it takes out of its threads.
    pub fn stored_subjects(&self, key: &str) -> Result<Vec<(String, String)>> {
        let mut st = self.conn().prepare_cached(
            "SELECT q.thread, q.subject FROM attributions q JOIN articles a ON a.id = q.article
             WHERE a.key = ?1 AND q.thread IS NOT NULL ORDER BY q.seq",
        )?;
        let rows = st.query_map([key], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn stances(&self, thread: &str) -> Result<Vec<(String, u64)>> {
        let mut st = self.conn().prepare_cached(
            "SELECT stance, count(*) FROM attributions WHERE thread = ?1
             GROUP BY stance ORDER BY count(*) DESC, stance",
        )?;
        let rows = st.query_map([thread], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Threads with at least `min` statements, largest first, `limit` of
    /// them from `offset`; with `about`, only threads with a statement
    /// matching it (full text).
    pub fn threads(
        &self,
        about: Option<&str>,
        min: usize,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<ThreadRow>> {
        let fts = about.and_then(fts_terms);
        let sql = format!(
            "SELECT {THREAD_COLS} FROM threads t JOIN attributions q ON q.thread = t.id {}
             GROUP BY t.id HAVING count(q.id) >= ?1
             ORDER BY count(q.id) DESC, t.seq LIMIT ?2 OFFSET ?3",
            about_only(fts.is_some())
        );
        let mut st = self.conn().prepare(&sql)?;
        let (min, limit, offset) = (min as i64, limit as i64, offset as i64);
        let rows = match &fts {
            Some(m) => st.query_map(params![min, limit, offset, m], thread_row)?,
            None => st.query_map(params![min, limit, offset], thread_row)?,
        };
        let mut out = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        for t in &mut out {
            t.stances = self.stances(&t.id)?;
        }
        Ok(out)
    }

    /// How many threads [`Store::threads`] selects (limit aside).
    pub fn threads_count(&self, about: Option<&str>, min: usize) -> Result<u64> {
        let fts = about.and_then(fts_terms);
        let sql = format!(
            "SELECT count(*) FROM (SELECT t.id FROM threads t
             JOIN attributions q ON q.thread = t.id {}
             GROUP BY t.id HAVING count(q.id) >= ?1)",
            about_only(fts.is_some()).replace("?4", "?2")
        );
        let n: i64 = match &fts {
            Some(m) => self
                .conn()
                .query_row(&sql, params![min as i64, m], |r| r.get(0))?,
            None => self
                .conn()
                .query_row(&sql, params![min as i64], |r| r.get(0))?,
        };
        Ok(n as u64)
    }

    /// One thread's timeline and its event.
    pub fn thread(&self, id: &str) -> Result<Option<ThreadView>> {
        let row = self
            .conn()
            .query_row(
                &format!(
                    "SELECT {THREAD_COLS} FROM threads t LEFT JOIN attributions q
                     ON q.thread = t.id WHERE t.id = ?1 GROUP BY t.id"
                ),
                [id],
                thread_row,
            )
            .optional()?;
        let Some(mut thread) = row else {
            return Ok(None);
        };
        thread.stances = self.stances(id)?;
        let mut st = self.conn().prepare(
            "SELECT q.id, coalesce(q.ref_date, a.date), a.date, q.speaker_name, q.speaker_entity,
                    a.outlet, a.doc, a.title, q.kind, q.stance, q.content, a.id, q.cue
             FROM attributions q JOIN articles a ON a.id = q.article
             WHERE q.thread = ?1
             ORDER BY coalesce(q.ref_date, a.date) IS NULL, coalesce(q.ref_date, a.date),
                      a.date, a.id, q.seq",
        )?;
        let statements = st
            .query_map([id], |r| {
                Ok(ThreadStatement {
                    id: r.get(0)?,
                    date: r.get(1)?,
                    published: r.get(2)?,
                    speaker: r.get(3)?,
                    entity: r.get(4)?,
                    outlet: r.get(5)?,
                    article: r.get(6)?,
                    title: r.get(7)?,
                    kind: r.get(8)?,
                    stance: r.get(9)?,
                    content: r.get(10)?,
                    article_id: r.get(11)?,
                    cue: r.get(12)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let event = match &thread.event {
            Some(e) => self.event(e)?,
            None => None,
        };
        Ok(Some(ThreadView {
            thread,
            event,
            statements,
        }))
    }

    /// An event and every stored article's report of it.
    pub fn event(&self, id: &str) -> Result<Option<EventView>> {
        let Some(e) = self
            .conn()
            .query_row(
                &format!("SELECT {EVENT_COLS} FROM events WHERE id = ?1"),
                [id],
                event_record,
            )
            .optional()?
        else {
            return Ok(None);
        };
        let mut st = self.conn().prepare(
            "SELECT a.doc, e.data FROM article_events e JOIN articles a ON a.id = e.article
             WHERE e.event = ?1 ORDER BY a.date, a.id",
        )?;
        let reports = st
            .query_map([id], |r| {
                let data: String = r.get(1)?;
                Ok((r.get(0)?, serde_json::from_str(&data).unwrap_or_default()))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let principals: Vec<String> = serde_json::from_str(&e.principals).unwrap_or_default();
        let places: Vec<String> = serde_json::from_str(&e.places).unwrap_or_default();
        let mut names = Vec::with_capacity(principals.len() + places.len());
        let mut st = self
            .conn()
            .prepare_cached("SELECT name FROM entities WHERE id = ?1")?;
        for id in principals.iter().chain(&places) {
            let name: Option<String> = st.query_row([id], |r| r.get(0)).optional()?;
            names.push(name.unwrap_or_else(|| id.clone()));
        }
        Ok(Some(EventView {
            id: e.id,
            kind: e.kind,
            date: e.date,
            principals,
            places,
            names,
            reports,
        }))
    }
}
