//! CoNLL-2003 files: reading, scoring (the conlleval definition: an entity
//! counts when its span and type are both exact), writing predictions.

use crate::labels;
use onrecord_core::EntityKind;
use std::collections::BTreeMap;
use std::fmt;

pub use onrecord_tagger::conll::ConllError;

#[derive(Debug, Clone, Default)]
pub struct ConllSentence {
    /// The input lines, as read (for writing predictions).
    pub lines: Vec<String>,
    pub words: Vec<String>,
    /// Gold entities: token ranges and types.
    pub gold: Vec<(usize, usize, EntityKind)>,
}

#[derive(Debug, Clone, Default)]
pub struct ConllDoc {
    pub sentences: Vec<ConllSentence>,
}

fn kind_of(t: &str) -> Option<EntityKind> {
    match t {
        "PER" => Some(EntityKind::Person),
        "ORG" => Some(EntityKind::Org),
        "LOC" => Some(EntityKind::Loc),
        "MISC" => Some(EntityKind::Misc),
        _ => None,
    }
}

/// Reads a CoNLL file (`word POS chunk NER` per line, IOB1 or IOB2 tags).
pub fn read(path: &std::path::Path) -> Result<Vec<ConllDoc>, ConllError> {
    let text = onrecord_tagger::conll::read_file(path)?;
    parse(&text, &path.display().to_string())
}

/// The documents of CoNLL text: each sentence's words, input lines and
/// gold entities (the last column, IOB1 or IOB2).
pub fn parse(text: &str, path: &str) -> Result<Vec<ConllDoc>, ConllError> {
    let mut docs: Vec<ConllDoc> = Vec::new();
    let bad = |line: usize, what: String| ConllError::Format {
        path: path.to_string(),
        line,
        what,
    };
    for sent in onrecord_tagger::conll::sentences(text) {
        let mut cur = ConllSentence::default();
        let mut tags: Vec<(Option<EntityKind>, bool)> = Vec::new();
        for row in &sent.rows {
            let [word, .., tag] = row.cols[..] else {
                return Err(bad(row.line, "expected at least a word and a tag".into()));
            };
            let (kind, begin) = if tag == "O" {
                (None, false)
            } else {
                let (pre, ty) = tag
                    .split_once('-')
                    .ok_or_else(|| bad(row.line, format!("bad tag {tag:?}")))?;
                let k = kind_of(ty)
                    .ok_or_else(|| bad(row.line, format!("unknown entity type {ty:?}")))?;
                (Some(k), pre == "B")
            };
            cur.lines.push(row.text.to_string());
            cur.words.push(word.to_string());
            tags.push((kind, begin));
        }
        // IOB1 or IOB2 → spans
        let mut open: Option<(usize, EntityKind)> = None;
        for (i, &(k, begin)) in tags.iter().enumerate() {
            match k {
                None => {
                    if let Some((s, k0)) = open.take() {
                        cur.gold.push((s, i, k0));
                    }
                }
                Some(k) => {
                    if let Some((s, k0)) = open {
                        if k0 != k || begin {
                            cur.gold.push((s, i, k0));
                            open = None;
                        }
                    }
                    if open.is_none() {
                        open = Some((i, k));
                    }
                }
            }
        }
        if let Some((s, k)) = open {
            cur.gold.push((s, tags.len(), k));
        }
        if sent.new_doc || docs.is_empty() {
            docs.push(ConllDoc::default());
        }
        if let Some(d) = docs.last_mut() {
            d.sentences.push(cur);
        }
    }
    Ok(docs)
}

/// Entity-level counts, overall and per type.
#[derive(Debug, Clone, Default)]
pub struct Score {
    /// type → (true positives, predicted, gold)
    pub by_type: BTreeMap<&'static str, (usize, usize, usize)>,
}

fn prf(tp: usize, pred: usize, gold: usize) -> (f64, f64, f64) {
    let p = if pred == 0 {
        0.0
    } else {
        tp as f64 / pred as f64
    };
    let r = if gold == 0 {
        0.0
    } else {
        tp as f64 / gold as f64
    };
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (p, r, f)
}

impl Score {
    pub fn add(
        &mut self,
        gold: &[(usize, usize, EntityKind)],
        pred: &[(usize, usize, EntityKind)],
    ) {
        for g in gold {
            self.by_type.entry(g.2.conll()).or_default().2 += 1;
        }
        for p in pred {
            let e = self.by_type.entry(p.2.conll()).or_default();
            e.1 += 1;
            if gold.contains(p) {
                e.0 += 1;
            }
        }
    }

    pub fn totals(&self) -> (usize, usize, usize) {
        self.by_type
            .values()
            .fold((0, 0, 0), |a, v| (a.0 + v.0, a.1 + v.1, a.2 + v.2))
    }

    /// Overall (precision, recall, F1).
    pub fn overall(&self) -> (f64, f64, f64) {
        let (t, p, g) = self.totals();
        prf(t, p, g)
    }

    pub fn f1(&self) -> f64 {
        self.overall().2
    }

    pub fn per_type(&self) -> Vec<(&'static str, f64, f64, f64)> {
        self.by_type
            .iter()
            .map(|(k, &(t, p, g))| {
                let (a, b, c) = prf(t, p, g);
                (*k, a, b, c)
            })
            .collect()
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (t, p, g) = self.totals();
        let (pr, re, f1) = self.overall();
        writeln!(f, "entities: {g} gold, {p} predicted, {t} correct")?;
        writeln!(
            f,
            "{:<8} {:>9} {:>9} {:>9}",
            "type", "precision", "recall", "F1"
        )?;
        writeln!(f, "{:<8} {pr:>9.4} {re:>9.4} {f1:>9.4}", "overall")?;
        for (k, a, b, c) in self.per_type() {
            writeln!(f, "{k:<8} {a:>9.4} {b:>9.4} {c:>9.4}")?;
        }
        Ok(())
    }
}

/// Writes a sentence's lines with one more column: the predicted IOB2 tag.
pub fn write_predictions(
    w: &mut impl std::io::Write,
    s: &ConllSentence,
    pred: &[u8],
) -> std::io::Result<()> {
    for (line, tag) in s.lines.iter().zip(labels::iob2(pred)) {
        writeln!(w, "{line} {tag}")?;
    }
    writeln!(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_iob1_and_iob2() {
        let t = "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP B-MISC\ncall NN I-NP O\n\nPeter NNP B-NP I-PER\nBlackburn NNP I-NP I-PER\nand CC O O\nJohn NNP B-NP I-PER\n";
        let d = parse(t, "x").unwrap();
        assert_eq!(d.len(), 1);
        let s = &d[0].sentences;
        assert_eq!(
            s[0].gold,
            vec![(0, 1, EntityKind::Org), (2, 3, EntityKind::Misc)]
        );
        assert_eq!(
            s[1].gold,
            vec![(0, 2, EntityKind::Person), (3, 4, EntityKind::Person)]
        );
        assert!(parse("w B-XYZ\n", "x").is_err());
    }

    #[test]
    fn scores_exact_spans_and_types() {
        let mut sc = Score::default();
        let g = [(0, 2, EntityKind::Person), (3, 4, EntityKind::Loc)];
        let p = [
            (0, 2, EntityKind::Person),
            (3, 4, EntityKind::Org),
            (5, 6, EntityKind::Loc),
        ];
        sc.add(&g, &p);
        let (pr, re, f) = sc.overall();
        assert!((pr - 1.0 / 3.0).abs() < 1e-9 && (re - 0.5).abs() < 1e-9);
        assert!((f - 0.4).abs() < 1e-9);
    }
}
