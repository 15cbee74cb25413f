//! The query commands on the record: tables and charts for people on a
//! terminal, JSON with `--json`, and `export`.

use crate::args::{ByArg, ExportFormat, KindArg, QuoteArgs, RecordCmd};
use anyhow::{bail, Context, Result};
use onrecord_store::export::{ExportTable, QUOTE_COLUMNS};
use onrecord_store::query::{check_date, Count, Period, Quote, QuoteFilter, HL_CLOSE, HL_OPEN};
use onrecord_store::Store;
use serde::Serialize;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

pub fn run(cmd: RecordCmd) -> Result<ExitCode> {
    let out = std::io::stdout();
    let mut w = BufWriter::new(out.lock());
    let view = View::detect();
    // for the exit code: 1 when a query matched nothing
    let mut found = true;
    match cmd {
        RecordCmd::Ingest { .. }
        | RecordCmd::Link { .. }
        | RecordCmd::Threads { .. }
        | RecordCmd::Thread { .. } => {
            unreachable!("handled in record.rs")
        }
        RecordCmd::Errors { db, json } => {
            let rows = open(&db.db)?.errors()?;
            if json {
                return json_out(&mut w, &rows);
            }
            if rows.is_empty() {
                writeln!(w, "no errors recorded")?;
            }
            let rows: Vec<Vec<String>> = rows
                .iter()
                .map(|e| {
                    let at = match e.line {
                        Some(l) => format!("{}:{l}", e.path),
                        None => e.path.clone(),
                    };
                    vec![at, e.message.clone()]
                })
                .collect();
            if !rows.is_empty() {
                view.table(&mut w, &["input", "error"], &rows)?;
            }
        }
        RecordCmd::Quotes {
            filter,
            limit,
            db,
            json,
        } => {
            let store = open(&db.db)?;
            let mut f = quote_filter(&filter)?;
            f.limit = (limit > 0).then_some(limit);
            let quotes = store.quotes(&f)?;
            found = !quotes.is_empty();
            if json {
                json_out(&mut w, &quotes)?;
                return Ok(crate::cli::matched(found));
            }
            if quotes.is_empty() {
                writeln!(w, "no statements match")?;
            } else {
                view.quotes(&mut w, &quotes)?;
                if Some(quotes.len()) == f.limit {
                    writeln!(w, "(first {limit}; --limit 0 for all)")?;
                }
            }
        }
        RecordCmd::Search {
            query,
            limit,
            db,
            json,
        } => {
            let r = open(&db.db)?.search(&query, limit)?;
            found = !r.statements.is_empty() || !r.articles.is_empty();
            if json {
                let mut r = r;
                for h in r.statements.iter_mut().chain(r.articles.iter_mut()) {
                    h.snippet = h.snippet.replace([HL_OPEN, HL_CLOSE], "**");
                }
                json_out(&mut w, &r)?;
                return Ok(crate::cli::matched(found));
            }
            let (spoken, said): (Vec<_>, Vec<_>) =
                r.statements.iter().partition(|h| h.matched == "speaker");
            let groups = [
                (format!("statements by {query:?}"), spoken),
                ("statements that match".to_string(), said),
            ];
            for (title, hits) in &groups {
                if hits.is_empty() && title.starts_with("statements by") {
                    continue;
                }
                writeln!(w, "{}", view.bold(&format!("{title} ({})", hits.len())))?;
                let rows: Vec<Vec<String>> = hits
                    .iter()
                    .map(|h| {
                        vec![
                            if h.matched == "speaker" {
                                "-".into()
                            } else {
                                format!("{:.2}", h.score)
                            },
                            h.date.clone().unwrap_or_else(|| "-".into()),
                            h.speaker.clone().unwrap_or_else(|| "?".into()),
                            h.cue.clone().unwrap_or_default(),
                            h.article.clone(),
                            view.highlight(&h.snippet),
                        ]
                    })
                    .collect();
                if !rows.is_empty() {
                    view.table(
                        &mut w,
                        &["score", "date", "speaker", "cue", "article", "statement"],
                        &rows,
                    )?;
                }
                writeln!(w)?;
            }
            writeln!(
                w,
                "{}",
                view.bold(&format!("articles ({})", r.articles.len()))
            )?;
            let rows: Vec<Vec<String>> = r
                .articles
                .iter()
                .map(|h| {
                    vec![
                        format!("{:.2}", h.score),
                        h.date.clone().unwrap_or_else(|| "-".into()),
                        h.title.clone().unwrap_or_default(),
                        h.article.clone(),
                        view.highlight(&h.snippet),
                    ]
                })
                .collect();
            if !rows.is_empty() {
                view.table(
                    &mut w,
                    &["score", "date", "title", "article", "snippet"],
                    &rows,
                )?;
            }
        }
        RecordCmd::People { top, db, json } => {
            let people = open(&db.db)?.people(top)?;
            found = !people.is_empty();
            if json {
                json_out(&mut w, &people)?;
                return Ok(crate::cli::matched(found));
            }
            let rows: Vec<Vec<String>> = people
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    vec![
                        (i + 1).to_string(),
                        p.name.clone(),
                        p.statements.to_string(),
                        p.articles.to_string(),
                        p.first.clone().unwrap_or_else(|| "-".into()),
                        p.last.clone().unwrap_or_else(|| "-".into()),
                        p.id.clone(),
                    ]
                })
                .collect();
            if rows.is_empty() {
                writeln!(w, "nobody speaks in the record yet")?;
            } else {
                view.table(
                    &mut w,
                    &["#", "name", "statements", "articles", "first", "last", "id"],
                    &rows,
                )?;
            }
        }
        RecordCmd::Person {
            name,
            recent,
            db,
            json,
        } => {
            let Some(p) = open(&db.db)?.person(&name, recent)? else {
                if json {
                    writeln!(w, "null")?;
                }
                w.flush()?;
                return Err(crate::cli::Fail::not_found(format!(
                    "nobody in the record matches {name:?} (see `onrecord people`)"
                )));
            };
            if json {
                return json_out(&mut w, &p);
            }
            writeln!(
                w,
                "{}  ({}{})",
                view.bold(&p.name),
                p.id,
                p.entity_type
                    .as_deref()
                    .map(|t| format!(", {t}"))
                    .unwrap_or_default()
            )?;
            let or_dash = |v: String| if v.is_empty() { "-".to_string() } else { v };
            writeln!(w, "  aliases:    {}", or_dash(p.aliases.join("; ")))?;
            let roles: Vec<String> = p
                .roles
                .iter()
                .map(|r| format!("{} ({})", r.title, r.date.as_deref().unwrap_or("undated")))
                .collect();
            writeln!(w, "  roles:      {}", or_dash(roles.join("; ")))?;
            writeln!(
                w,
                "  statements: {} in {} article{}",
                p.statements,
                p.articles,
                if p.articles == 1 { "" } else { "s" }
            )?;
            writeln!(
                w,
                "  seen:       {} … {}",
                p.first_seen.as_deref().unwrap_or("-"),
                p.last_seen.as_deref().unwrap_or("-")
            )?;
            let outlets: Vec<String> = p
                .outlets
                .iter()
                .map(|c| format!("{} ({})", c.key, c.count))
                .collect();
            writeln!(w, "  outlets:    {}", or_dash(outlets.join(", ")))?;
            if !p.over_time.is_empty() || p.undated > 0 {
                writeln!(w, "  over time:")?;
                view.bars(&mut w, &p.over_time, p.undated, "    ")?;
            }
            if !p.also_matched.is_empty() {
                writeln!(w, "  also matched: {}", p.also_matched.join(", "))?;
            }
            if !p.recent.is_empty() {
                writeln!(w, "  latest statements:")?;
                view.quotes(&mut w, &p.recent)?;
            }
        }
        RecordCmd::Timeline {
            query,
            by,
            db,
            json,
        } => {
            let by = match by {
                ByArg::Week => Period::Week,
                ByArg::Month => Period::Month,
            };
            let t = open(&db.db)?.timeline(&query, by)?;
            let total: u64 = t.buckets.iter().map(|b| b.count).sum::<u64>() + t.undated;
            found = total > 0;
            if json {
                json_out(&mut w, &t)?;
                return Ok(crate::cli::matched(found));
            }
            writeln!(w, "statements by or about {query:?}: {total}")?;
            view.bars(&mut w, &t.buckets, t.undated, "  ")?;
        }
        RecordCmd::Show { article, db, json } => {
            let store = open(&db.db)?;
            let ids = store.find_articles(&article)?;
            let Some(&id) = ids.first() else {
                return Err(crate::cli::Fail::not_found(format!(
                    "no article {article:?} in the record (try a document id, a path or a URL)"
                )));
            };
            let Some(a) = store.article(id)? else {
                bail!("article {id} vanished");
            };
            if json {
                return json_out(&mut w, &a);
            }
            writeln!(w, "{}  ({})", view.bold(&a.doc), a.path)?;
            onrecord_pipeline::output::write_meta(
                &mut w,
                "  ",
                a.title.as_deref(),
                a.date.as_deref(),
                a.outlet.as_deref(),
                &a.authors,
            )?;
            if ids.len() > 1 {
                writeln!(w, "  ({} articles match; showing the first)", ids.len())?;
            }
            writeln!(
                w,
                "  {} attributions: {}\n",
                a.attributions.len(),
                view.legend()
            )?;
            writeln!(w, "{}", view.marked(&a.text, &a.attributions))?;
            for (i, q) in a.attributions.iter().enumerate() {
                writeln!(
                    w,
                    "{:>3}. {} — {} [{}] {}",
                    i + 1,
                    q.speaker.as_deref().unwrap_or("?"),
                    q.cue,
                    q.kind,
                    q.content
                )?;
            }
        }
        RecordCmd::Export {
            format,
            out,
            table,
            filter,
            db,
        } => {
            let store = open(&db.db)?;
            let f = quote_filter(&filter)?;
            let table = ExportTable::from(table);
            if table != ExportTable::Quotes && !filter_is_empty(&filter) {
                bail!("the quote filters apply to --table quotes only");
            }
            drop(w);
            return export(&store, format, table, &f, out.as_deref());
        }
    }
    w.flush()?;
    Ok(crate::cli::matched(found))
}

fn open(db: &Path) -> Result<Store> {
    Store::open_read(db).context("opening the record")
}

fn json_out<T: Serialize>(w: &mut impl Write, v: &T) -> Result<ExitCode> {
    serde_json::to_writer_pretty(&mut *w, v)?;
    writeln!(w)?;
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn quote_filter(a: &QuoteArgs) -> Result<QuoteFilter> {
    for (what, d) in [("--from", &a.from), ("--to", &a.to)] {
        if let Some(d) = d {
            check_date(what, d).map_err(|m| crate::cli::Fail::usage(m))?;
        }
    }
    Ok(QuoteFilter {
        speaker: a.speaker.clone(),
        about: a.about.clone(),
        from: a.from.clone(),
        to: a.to.clone(),
        outlet: a.outlet.clone(),
        kind: a.kind.map(|k| {
            match k {
                KindArg::Direct => "direct",
                KindArg::Mixed => "mixed",
                KindArg::Indirect => "indirect",
            }
            .to_string()
        }),
        ..QuoteFilter::default()
    })
}

fn filter_is_empty(a: &QuoteArgs) -> bool {
    a.speaker.is_none()
        && a.about.is_none()
        && a.from.is_none()
        && a.to.is_none()
        && a.outlet.is_none()
        && a.kind.is_none()
}

/// How output is rendered: colours and width on a terminal.
struct View {
    color: bool,
    width: usize,
}

impl View {
    fn detect() -> View {
        let tty = std::io::stdout().is_terminal();
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .or_else(|| {
                tty.then(|| {
                    console::Term::stdout()
                        .size_checked()
                        .map(|(_, c)| c as usize)
                })
                .flatten()
            })
            .unwrap_or(120)
            .max(60);
        View {
            color: tty && std::env::var_os("NO_COLOR").is_none(),
            width,
        }
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }

    fn highlight(&self, snippet: &str) -> String {
        if self.color {
            snippet
                .replace(HL_OPEN, "\x1b[1;33m")
                .replace(HL_CLOSE, "\x1b[0m")
        } else {
            snippet.replace(HL_OPEN, "[").replace(HL_CLOSE, "]")
        }
    }

    /// A table; every column but the last is cut to 28 characters, the last
    /// is wrapped to the width left.
    fn table(&self, w: &mut impl Write, headers: &[&str], rows: &[Vec<String>]) -> Result<()> {
        const MAX: usize = 28;
        let n = headers.len();
        let cut = |s: &str| -> String {
            let s = s.replace(['\n', '\r', '\t'], " ");
            if s.chars().count() > MAX {
                let mut t: String = s.chars().take(MAX - 1).collect();
                t.push('…');
                t
            } else {
                s
            }
        };
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                r.iter()
                    .enumerate()
                    .map(|(i, c)| {
                        if i + 1 < n {
                            cut(c)
                        } else {
                            c.replace('\n', " ")
                        }
                    })
                    .collect()
            })
            .collect();
        let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
        for r in &cells {
            for (i, c) in r.iter().enumerate().take(n - 1) {
                widths[i] = widths[i].max(visible_len(c));
            }
        }
        let indent: usize = widths[..n - 1].iter().map(|w| w + 2).sum();
        let last_width = self.width.saturating_sub(indent).max(30);
        let pad =
            |s: &str, w: usize| format!("{s}{}", " ".repeat(w.saturating_sub(visible_len(s))));
        let head: Vec<String> = headers
            .iter()
            .enumerate()
            .map(|(i, h)| {
                if i + 1 < n {
                    pad(h, widths[i])
                } else {
                    h.to_string()
                }
            })
            .collect();
        writeln!(w, "{}", self.bold(&head.join("  ")))?;
        for r in &cells {
            let mut line = String::new();
            for (i, c) in r.iter().enumerate().take(n - 1) {
                line.push_str(&pad(c, widths[i]));
                line.push_str("  ");
            }
            let wrapped = wrap(r.get(n - 1).map(String::as_str).unwrap_or(""), last_width);
            let mut first = true;
            for l in wrapped
                .iter()
                .map(String::as_str)
                .chain(wrapped.is_empty().then_some(""))
            {
                if first {
                    writeln!(w, "{line}{l}")?;
                    first = false;
                } else {
                    writeln!(w, "{}{l}", " ".repeat(indent))?;
                }
            }
        }
        Ok(())
    }

    fn quotes(&self, w: &mut impl Write, quotes: &[Quote]) -> Result<()> {
        let rows: Vec<Vec<String>> = quotes
            .iter()
            .map(|q| {
                vec![
                    q.date.clone().unwrap_or_else(|| "-".into()),
                    q.outlet.clone().unwrap_or_else(|| "-".into()),
                    q.speaker.clone().unwrap_or_else(|| "?".into()),
                    q.cue.clone(),
                    q.kind.clone(),
                    q.article.clone(),
                    q.content.clone(),
                ]
            })
            .collect();
        self.table(
            w,
            &[
                "date",
                "outlet",
                "speaker",
                "cue",
                "kind",
                "article",
                "statement",
            ],
            &rows,
        )
    }

    /// A horizontal bar per period, scaled to the largest.
    fn bars(
        &self,
        w: &mut impl Write,
        buckets: &[Count],
        undated: u64,
        indent: &str,
    ) -> Result<()> {
        let max = buckets
            .iter()
            .map(|b| b.count)
            .max()
            .unwrap_or(0)
            .max(undated)
            .max(1);
        let room = self.width.saturating_sub(indent.len() + 22).clamp(10, 60);
        let line = |w: &mut dyn Write, key: &str, n: u64| -> std::io::Result<()> {
            let len = (n as f64 / max as f64 * room as f64).round() as usize;
            let bar = if n > 0 {
                "█".repeat(len.max(1))
            } else {
                String::new()
            };
            writeln!(w, "{indent}{key:<9} {} {n}", self.paint("36", &bar))
        };
        for b in buckets {
            line(w, &b.key, b.count)?;
        }
        if undated > 0 {
            line(w, "undated", undated)?;
        }
        if buckets.is_empty() && undated == 0 {
            writeln!(w, "{indent}(none)")?;
        }
        Ok(())
    }

    fn legend(&self) -> String {
        if self.color {
            format!(
                "{} {} {}",
                self.paint(SOURCE, "source"),
                self.paint(CUE, "cue"),
                self.paint(CONTENT, "content")
            )
        } else {
            "[source] {cue} «content»".to_string()
        }
    }

    /// The text with every attribution's roles marked: brackets, or colours
    /// on a terminal. Offsets are code points.
    fn marked(&self, text: &str, quotes: &[Quote]) -> String {
        // (position, is_open, role, span length): closes sort before opens
        let mut marks: Vec<(usize, bool, usize, usize)> = Vec::new();
        for q in quotes {
            for (role, spans) in [&q.source_spans, &q.cue_spans, &q.content_spans]
                .into_iter()
                .enumerate()
            {
                for &[s, e] in spans {
                    if e > s {
                        marks.push((s, true, role, e - s));
                        marks.push((e, false, role, e - s));
                    }
                }
            }
        }
        // at one position: closes first (shorter first), then opens (longer first)
        marks.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then(a.1.cmp(&b.1))
                .then(if a.1 { b.3.cmp(&a.3) } else { a.3.cmp(&b.3) })
        });
        const OPEN: [&str; 3] = ["[", "{", "«"];
        const CLOSE: [&str; 3] = ["]", "}", "»"];
        let styles = [SOURCE, CUE, CONTENT];
        let mut active = [0usize; 3];
        let mut out = String::with_capacity(text.len() + marks.len() * 8);
        let mut m = 0;
        for (i, c) in text.chars().chain(std::iter::once('\0')).enumerate() {
            let mut changed = false;
            while m < marks.len() && marks[m].0 == i {
                let (_, open, role, _) = marks[m];
                if self.color {
                    if open {
                        active[role] += 1;
                    } else {
                        active[role] = active[role].saturating_sub(1);
                    }
                    changed = true;
                } else {
                    out.push_str(if open { OPEN[role] } else { CLOSE[role] });
                }
                m += 1;
            }
            if changed {
                out.push_str("\x1b[0m");
                // the innermost role wins: source, then cue, then content
                if let Some(r) = (0..3).find(|&r| active[r] > 0) {
                    out.push_str(&format!("\x1b[{}m", styles[r]));
                }
            }
            if c != '\0' {
                out.push(c);
            }
        }
        if self.color {
            out.push_str("\x1b[0m");
        }
        out
    }
}

const SOURCE: &str = "1;36";
const CUE: &str = "33";
const CONTENT: &str = "32";

/// Length on screen: characters, less ANSI escape sequences.
fn visible_len(s: &str) -> usize {
    let mut n = 0;
    let mut esc = false;
    for c in s.chars() {
        if esc {
            if c == 'm' {
                esc = false;
            }
        } else if c == '\x1b' {
            esc = true;
        } else {
            n += 1;
        }
    }
    n
}

fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in s.split_whitespace() {
        if !cur.is_empty() && visible_len(&cur) + 1 + visible_len(word) > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

fn export(
    store: &Store,
    format: ExportFormat,
    table: ExportTable,
    f: &QuoteFilter,
    out: Option<&Path>,
) -> Result<ExitCode> {
    if format == ExportFormat::Parquet {
        return crate::export_parquet::export(store, table, f, out);
    }
    let sink: Box<dyn Write> = match out {
        Some(p) => {
            Box::new(std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?)
        }
        None => Box::new(std::io::stdout().lock()),
    };
    let mut sink = BufWriter::with_capacity(1 << 16, sink);
    match format {
        ExportFormat::Jsonl => {
            let line =
                |w: &mut BufWriter<Box<dyn Write>>, v: &dyn erased::Ser| -> std::io::Result<()> {
                    v.write_json(w)?;
                    w.write_all(b"\n")
                };
            match table {
                ExportTable::Quotes => store.for_each_quote(f, |q| line(&mut sink, &q))??,
                ExportTable::Articles => store.for_each_article(|a| line(&mut sink, &a))??,
                ExportTable::Entities => {
                    for e in store.entities()? {
                        line(&mut sink, &e)?;
                    }
                }
                ExportTable::Errors => {
                    for e in store.errors()? {
                        line(&mut sink, &e)?;
                    }
                }
            }
        }
        ExportFormat::Csv => {
            let mut csv = csv::Writer::from_writer(&mut sink);
            let spans = |s: &[[usize; 2]]| serde_json::to_string(s).unwrap_or_default();
            let opt = |s: &Option<String>| s.clone().unwrap_or_default();
            match table {
                ExportTable::Quotes => {
                    csv.write_record(QUOTE_COLUMNS)?;
                    store.for_each_quote(f, |q| {
                        let r = csv.write_record([
                            q.id.to_string(),
                            q.article,
                            q.path,
                            opt(&q.date),
                            opt(&q.outlet),
                            opt(&q.title),
                            q.kind,
                            opt(&q.speaker),
                            opt(&q.speaker_text),
                            opt(&q.entity),
                            q.source,
                            q.cue,
                            q.content,
                            q.confidence.to_string(),
                            spans(&q.source_spans),
                            spans(&q.cue_spans),
                            spans(&q.content_spans),
                            opt(&q.refers_to),
                            q.stance,
                            opt(&q.thread),
                        ]);
                        r.map_err(csv_io)
                    })??;
                }
                ExportTable::Articles => {
                    csv.write_record([
                        "doc",
                        "path",
                        "key",
                        "hash",
                        "date",
                        "title",
                        "outlet",
                        "url",
                        "authors",
                        "editor",
                        "format",
                        "language",
                        "modified",
                        "crawled",
                        "description",
                        "note",
                        "statements",
                        "text",
                    ])?;
                    store.for_each_article(|a| {
                        csv.write_record([
                            a.doc,
                            a.path,
                            a.key,
                            a.hash,
                            opt(&a.date),
                            opt(&a.title),
                            opt(&a.outlet),
                            opt(&a.url),
                            a.authors.join("; "),
                            opt(&a.editor),
                            a.format,
                            opt(&a.language),
                            opt(&a.modified),
                            opt(&a.crawled),
                            opt(&a.description),
                            opt(&a.note),
                            a.statements.to_string(),
                            a.text,
                        ])
                        .map_err(csv_io)
                    })??;
                }
                ExportTable::Entities => {
                    csv.write_record(["id", "name", "type", "aliases", "statements", "articles"])?;
                    for e in store.entities()? {
                        csv.write_record([
                            e.id,
                            e.name,
                            e.kind,
                            e.aliases.join("; "),
                            e.statements.to_string(),
                            e.articles.to_string(),
                        ])?;
                    }
                }
                ExportTable::Errors => {
                    csv.write_record(["path", "line", "message"])?;
                    for e in store.errors()? {
                        csv.write_record([
                            e.path,
                            e.line.map(|l| l.to_string()).unwrap_or_default(),
                            e.message,
                        ])?;
                    }
                }
            }
            csv.flush()?;
        }
        ExportFormat::Parquet => unreachable!("handled above"),
    }
    sink.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn csv_io(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

/// Serialising rows of different types through one closure.
mod erased {
    use std::io::Write;

    pub trait Ser {
        fn write_json(&self, w: &mut dyn Write) -> std::io::Result<()>;
    }

    impl<T: serde::Serialize> Ser for T {
        fn write_json(&self, w: &mut dyn Write) -> std::io::Result<()> {
            // keeps the kind of a write error (a closed pipe ends quietly)
            serde_json::to_writer(w, self).map_err(std::io::Error::from)
        }
    }
}
