//! Threads at the command line: `train idf`, `eval stance`, and the
//! `threads` / `thread` queries of the record.

use anyhow::{Context, Result};
use onrecord_core::{CharOffsets, Stance};
use onrecord_pipeline::Pipeline;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Document frequencies of stemmed words over the `.txt` files under `dir`,
/// written as the hashed table `onrecord_threads::Idf` reads.
pub fn train_idf(dir: &Path, out: &Path) -> Result<()> {
    let mut df: HashMap<String, usize> = HashMap::new();
    let mut docs = 0usize;
    let mut seen = HashSet::new();
    for item in onrecord_ingest::read_paths(&[dir.to_path_buf()]) {
        let doc = item.with_context(|| format!("reading {}", dir.display()))?;
        let layer = onrecord_text::analyze(&doc.text, &doc.body);
        seen.clear();
        for t in &layer.tokens {
            if t.kind == onrecord_text::TokenKind::Word {
                seen.insert(onrecord_threads::terms::stem(t.text(&doc.text)));
            }
        }
        for w in seen.drain() {
            *df.entry(w).or_default() += 1;
        }
        docs += 1;
    }
    anyhow::ensure!(docs > 0, "no documents under {}", dir.display());
    let mut words: Vec<(&String, &usize)> = df.iter().collect();
    words.sort(); // deterministic collisions
    let table =
        onrecord_threads::Idf::build(docs, words.into_iter().map(|(w, &n)| (w.as_str(), n)));
    crate::train::write_model_file(out, &table)?;
    eprintln!(
        "{docs} documents, {} distinct words → {} ({} bytes)",
        df.len(),
        out.display(),
        table.len()
    );
    Ok(())
}

struct Row {
    line: usize,
    doc: String,
    start: usize,
    end: usize,
    gold: Stance,
}

/// The labelled rows of a stance TSV (`doc start end source cue content
/// label note`, a header first), rows labelled `skip` left out: (line
/// number, fields, label).
fn labelled_rows(file: &Path) -> Result<Vec<(usize, Vec<String>, Stance)>> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let mut rows = Vec::new();
    for (i, l) in text.lines().enumerate().skip(1) {
        let f: Vec<String> = l.split('\t').map(str::to_string).collect();
        anyhow::ensure!(
            f.len() >= 7,
            "{}:{}: expected 7 columns",
            file.display(),
            i + 1
        );
        if f[6] == "skip" {
            continue;
        }
        let gold = Stance::parse(&f[6])
            .with_context(|| format!("{}:{}: unknown label {:?}", file.display(), i + 1, f[6]))?;
        rows.push((i + 1, f, gold));
    }
    Ok(rows)
}

/// Stance accuracy on a hand-labelled set.
pub struct StanceScore {
    /// Labelled rows (not `skip`) found in the extraction.
    pub n: usize,
    pub accuracy: f64,
    /// The rows in the first and second half of the file.
    pub halves: [(usize, f64); 2],
    pub half: usize,
    pub majority: f64,
    pub missing: usize,
    confusion: HashMap<(Stance, Stance), usize>,
}

/// Scores the pipeline's stances (the trained model if there is one, else
/// the rules) against the hand-labelled set, and prints the table.
pub fn eval_stance(p: &Pipeline, file: &Path, dirs: &[PathBuf], json: bool) -> Result<()> {
    let s = score_stance(p, file, dirs)?;
    crate::cli::print_out(&stance_report(&s, json))?;
    Ok(())
}

/// The pipeline's stances against the hand-labelled `file` (its articles
/// are looked for in `dirs`).
pub fn score_stance(p: &Pipeline, file: &Path, dirs: &[PathBuf]) -> Result<StanceScore> {
    let mut rows = Vec::new();
    for (line, f, gold) in labelled_rows(file)? {
        rows.push(Row {
            line,
            doc: f[0].clone(),
            start: f[1]
                .parse()
                .with_context(|| format!("{}:{line}: bad start", file.display()))?,
            end: f[2]
                .parse()
                .with_context(|| format!("{}:{line}: bad end", file.display()))?,
            gold,
        });
    }
    let wanted: HashSet<&str> = rows.iter().map(|r| r.doc.as_str()).collect();
    let mut paths = Vec::new();
    for d in dirs {
        for entry in std::fs::read_dir(d).with_context(|| format!("reading {}", d.display()))? {
            let path = entry?.path();
            if path
                .file_stem()
                .and_then(|s| s.to_str())
                .is_some_and(|s| wanted.contains(s))
            {
                paths.push(path);
            }
        }
    }
    paths.sort();
    // per doc: each attribution's content fragments (code points) and stance
    type Statements = Vec<(Vec<(usize, usize)>, Stance)>;
    let mut predicted: HashMap<String, Statements> = HashMap::new();
    crate::extract::for_each_batch(
        p,
        &paths,
        &onrecord_ingest::ReadOptions::default(),
        || Ok(()),
        |docs, exs| {
            for (d, ex) in docs.iter().zip(exs) {
                let o = CharOffsets::new(&d.text);
                let of_doc = predicted.entry(d.id.clone()).or_default();
                for a in &ex.attributions {
                    let frags = a
                        .content
                        .iter()
                        .map(|c| (o.char_of(c.start as usize), o.char_of(c.end as usize)))
                        .collect();
                    of_doc.push((frags, a.stance));
                }
            }
            Ok(())
        },
    )?;
    let half = rows.iter().map(|r| r.line).max().unwrap_or(0) / 2;
    let mut confusion: HashMap<(Stance, Stance), usize> = HashMap::new();
    let (mut right, mut total, mut missing) = ([0usize; 2], [0usize; 2], 0usize);
    for r in &rows {
        // the statement whose content overlaps the labelled one most (the
        // labels outlive small changes in where a content starts or ends)
        let overlap = |frags: &[(usize, usize)]| -> usize {
            frags
                .iter()
                .map(|&(a, b)| b.min(r.end).saturating_sub(a.max(r.start)))
                .sum()
        };
        let best = predicted
            .get(&r.doc)
            .into_iter()
            .flatten()
            .map(|(frags, st)| (overlap(frags), *st))
            .filter(|&(o, _)| o * 2 > r.end - r.start)
            .max_by_key(|&(o, _)| o);
        let Some((_, pred)) = best else {
            missing += 1;
            continue;
        };
        let part = usize::from(r.line > half);
        total[part] += 1;
        right[part] += usize::from(pred == r.gold);
        *confusion.entry((r.gold, pred)).or_default() += 1;
    }
    let acc = |r: usize, t: usize| if t == 0 { 0.0 } else { r as f64 / t as f64 };
    let all = acc(right[0] + right[1], total[0] + total[1]);
    let majority = Stance::ALL
        .iter()
        .map(|&g| {
            Stance::ALL
                .iter()
                .map(|&p| confusion.get(&(g, p)).copied().unwrap_or(0))
                .sum::<usize>()
        })
        .max()
        .unwrap_or(0);
    let n = total[0] + total[1];
    Ok(StanceScore {
        n,
        accuracy: all,
        halves: [
            (total[0], acc(right[0], total[0])),
            (total[1], acc(right[1], total[1])),
        ],
        half,
        majority: acc(majority, n),
        missing,
        confusion,
    })
}

/// The stance scores as printed: JSON, or a table for people.
fn stance_report(s: &StanceScore, json: bool) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    let cell = |g: Stance, p: Stance| s.confusion.get(&(g, p)).copied().unwrap_or(0);
    if json {
        let m: Vec<serde_json::Value> = Stance::ALL
            .iter()
            .map(|&g| {
                serde_json::json!({"gold": g.as_str(), "predicted": Stance::ALL.iter().map(|&p| cell(g, p)).collect::<Vec<_>>()})
            })
            .collect();
        return serde_json::json!({
            "statements": s.n, "accuracy": s.accuracy,
            "first_half": {"statements": s.halves[0].0, "accuracy": s.halves[0].1},
            "second_half": {"statements": s.halves[1].0, "accuracy": s.halves[1].1},
            "majority_baseline": s.majority,
            "unmatched": s.missing, "labels": Stance::ALL.map(|s| s.as_str()), "confusion": m,
        })
        .to_string();
    }
    let _ = writeln!(
        o,
        "stance on {} labelled statements ({} rows not found in the extraction)",
        s.n, s.missing
    );
    let _ = writeln!(o, "  accuracy            {:.3}", s.accuracy);
    let _ = writeln!(
        o,
        "  rows 1-{} (first half)  {:.3}  ({} statements)",
        s.half, s.halves[0].1, s.halves[0].0
    );
    let _ = writeln!(
        o,
        "  rows {}- (second half) {:.3}  ({} statements)",
        s.half + 1,
        s.halves[1].1,
        s.halves[1].0
    );
    let _ = writeln!(o, "  majority label      {:.3}", s.majority);
    let _ = write!(o, "  gold \\ predicted");
    for p in Stance::ALL {
        let _ = write!(o, " {:>8}", p.as_str());
    }
    let _ = writeln!(o);
    for g in Stance::ALL {
        let _ = write!(o, "  {:<16}", g.as_str());
        for p in Stance::ALL {
            let _ = write!(o, " {:>8}", cell(g, p));
        }
        let _ = writeln!(o);
    }
    o.trim_end().to_string()
}

/// `onrecord train stance`: the classifier from the hand-labelled PolNeAR
/// train statements, written to `out` with its card (`*.card.md` beside
/// it), scored against the dev + seeds set `dev` with the rules alone for
/// comparison.
pub fn train_stance(
    train: &Path,
    dev: &Path,
    dirs: &[PathBuf],
    out: &Path,
    epochs: usize,
    seed: u64,
) -> Result<()> {
    use onrecord_threads::stance::words_of_text;
    use onrecord_threads::stance_model::{Example, StanceModel};
    let mut examples = Vec::new();
    for (_, f, gold) in labelled_rows(train)? {
        let (words, cue_words) = words_of_text(&f[4], &f[5]);
        examples.push(Example {
            words,
            cue_words,
            gold,
        });
    }
    anyhow::ensure!(
        !examples.is_empty(),
        "no labelled rows in {}",
        train.display()
    );
    let model = StanceModel::train(&examples, epochs, seed);
    let bytes = model.to_bytes();
    crate::train::write_model_file(out, &bytes)?;
    // scores on the dev + seeds set: the new model, and the rules alone
    let mut p = Pipeline::load()?;
    p.set_describer(onrecord_threads::Describer::new(
        onrecord_threads::Idf::embedded(),
        Some(model),
    ));
    let with_model = score_stance(&p, dev, dirs)?;
    p.set_describer(onrecord_threads::Describer::new(
        onrecord_threads::Idf::embedded(),
        None,
    ));
    let rules = score_stance(&p, dev, dirs)?;
    let mut counts: HashMap<Stance, usize> = HashMap::new();
    for e in &examples {
        *counts.entry(e.gold).or_default() += 1;
    }
    let per_label: Vec<String> = Stance::ALL
        .iter()
        .map(|s| format!("{} {}", s.as_str(), counts.get(s).copied().unwrap_or(0)))
        .collect();
    let card = format!(
        "# Model card: stance classifier (`{out}`)\n\n\
         This file is written by the training command; do not edit by hand.\n\n\
         - **Task**: the stance of a statement toward what it is about: affirms, hopes, doubts, denies, neutral (guidelines: docs/stance.md).\n\
         - **Model**: averaged multiclass perceptron over hashed features ({buckets} buckets × 5 classes, f32) of the cue's and the content's words: words, negated words, cue words, word pairs, the rule lists each word is in, the first content word, a question mark, the length, and the answer of the stance rules (`onrecord_threads::stance::classify`).\n\
         - **Data**: `{train}`: {n} hand-labelled statements extracted from PolNeAR train ({per_label}); rows labelled `skip` are left out. Labelled by a helper from the guidelines only.\n\
         - **Command**: `onrecord train stance --epochs {epochs} --seed {seed}` (deterministic). No setting was tuned: the epochs and features were fixed before scoring.\n\
         - **Size**: {size} bytes.\n\n\
         ## Scores on `{dev}` (PolNeAR dev + seeds, {dn} statements)\n\n\
         | | accuracy |\n|---|---|\n\
         | this model | {acc:.3} |\n\
         | the rules alone | {racc:.3} |\n\
         | always the commonest label | {maj:.3} |\n",
        out = out.display(),
        buckets = onrecord_threads::stance_model::BUCKETS,
        train = train.display(),
        n = examples.len(),
        per_label = per_label.join(", "),
        size = bytes.len(),
        dev = dev.display(),
        dn = with_model.n,
        acc = with_model.accuracy,
        racc = rules.accuracy,
        maj = with_model.majority,
    );
    crate::train::write_card(out, &card)?;
    eprintln!(
        "{} statements → {} ({} bytes); on {}: model {:.3}, rules {:.3}, majority {:.3}",
        examples.len(),
        out.display(),
        bytes.len(),
        dev.display(),
        with_model.accuracy,
        rules.accuracy,
        with_model.majority
    );
    Ok(())
}

fn open_record(db: &Path) -> Result<onrecord_store::Store> {
    onrecord_store::Store::open_read(db)
        .with_context(|| format!("opening the record {}", db.display()))
}

fn clip(s: &str, n: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= n {
        s
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

/// `onrecord threads`.
pub fn list(
    db: &Path,
    about: Option<&str>,
    min: usize,
    limit: usize,
    format: crate::cli::ListFormat,
) -> Result<std::process::ExitCode> {
    use crate::cli::ListFormat;
    use std::io::Write;
    let store = open_record(db)?;
    let rows = store.threads(about, min, limit, 0)?;
    let mut w = std::io::BufWriter::new(std::io::stdout().lock());
    if format == ListFormat::Json {
        serde_json::to_writer_pretty(&mut w, &rows)?;
        writeln!(w)?;
    } else if format == ListFormat::Jsonl {
        for r in &rows {
            serde_json::to_writer(&mut w, r)?;
            writeln!(w)?;
        }
    } else if rows.is_empty() {
        writeln!(w, "no threads match")?;
    } else {
        writeln!(
            w,
            "{:<7} {:>5} {:>4}  {:<10} {:<10}  {}",
            "id", "stmts", "arts", "first", "last", "label / stances"
        )?;
        for r in &rows {
            let stances: Vec<String> = r.stances.iter().map(|(s, n)| format!("{s} {n}")).collect();
            writeln!(
                w,
                "{:<7} {:>5} {:>4}  {:<10} {:<10}  {}\n{:>42}{}{}",
                r.id,
                r.statements,
                r.articles,
                r.first.as_deref().unwrap_or("-"),
                r.last.as_deref().unwrap_or("-"),
                r.label,
                "",
                stances.join(", "),
                r.event
                    .as_deref()
                    .map(|e| format!("; event {e}"))
                    .unwrap_or_default()
            )?;
        }
    }
    w.flush()?;
    Ok(crate::cli::matched(!rows.is_empty()))
}

/// `onrecord thread ID`.
pub fn show(db: &Path, id: &str, json: bool) -> Result<std::process::ExitCode> {
    use std::io::Write;
    let store = open_record(db)?;
    let Some(v) = store.thread(id)? else {
        return Err(crate::cli::Fail::not_found(format!(
            "no thread {id:?} (see `onrecord threads`)"
        )));
    };
    let mut w = std::io::BufWriter::new(std::io::stdout().lock());
    if json {
        serde_json::to_writer_pretty(&mut w, &v)?;
        writeln!(w)?;
        w.flush()?;
        return Ok(std::process::ExitCode::SUCCESS);
    }
    let t = &v.thread;
    writeln!(w, "{} — {}", t.id, t.label)?;
    writeln!(w, "key terms: {}", t.terms.join(", "))?;
    writeln!(
        w,
        "{} statements in {} articles, {} to {}",
        t.statements,
        t.articles,
        t.first.as_deref().unwrap_or("?"),
        t.last.as_deref().unwrap_or("?")
    )?;
    if let Some(e) = &v.event {
        let places: Vec<&str> = e
            .places
            .iter()
            .map(|p| p.trim_start_matches("n:"))
            .collect();
        writeln!(
            w,
            "event: {} ({}) on {}, at {}; reported by {} article(s)",
            e.id,
            e.kind,
            e.date.as_deref().unwrap_or("an unknown date"),
            if places.is_empty() {
                "?".to_string()
            } else {
                places.join(", ")
            },
            e.reports.len()
        )?;
    }
    writeln!(w)?;
    for s in &v.statements {
        // the cue says how it was reported; stance is a weak signal, last
        writeln!(
            w,
            "{:<10}  {} {} ({}) [{}] (stance: {}, weak)\n            {}",
            s.date.as_deref().unwrap_or("undated"),
            s.speaker.as_deref().unwrap_or("?"),
            s.cue,
            s.outlet.as_deref().unwrap_or(&s.article),
            s.kind,
            s.stance,
            clip(&s.content, 110)
        )?;
    }
    w.flush()?;
    Ok(std::process::ExitCode::SUCCESS)
}
