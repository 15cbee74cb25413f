//! Scoring predicted attributions against gold ones.

use crate::brat::GoldAttribution;
use crate::tokens::tokenize;
use onrecord_core::{Attribution, Role, Span};
use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt;

/// The characters that open a direct quote for the direct end-to-end score:
/// `"` `“` `”` `‘` `'` `«` `„`.
pub const QUOTE_MARKS: [char; 7] = ['"', '“', '”', '‘', '\'', '«', '„'];

/// Whether a content reads as a direct quote: its first fragment (the one
/// starting earliest), trimmed of white space, starts with one of
/// [`QUOTE_MARKS`]. False for an empty content.
pub fn starts_with_quote(text: &str, content: &[Span]) -> bool {
    content
        .iter()
        .map(|s| s.trim(text))
        .filter(|s| !s.is_empty())
        .min()
        .and_then(|s| s.text(text).chars().next())
        .is_some_and(|c| QUOTE_MARKS.contains(&c))
}

/// Precision, recall and F1 with the counts behind them. A ratio whose
/// denominator is zero is 0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Prf {
    pub tp: usize,
    pub fp: usize,
    /// False negatives (serialized as `fn`).
    pub r#fn: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    pub fn from_counts(tp: usize, fp: usize, r#fn: usize) -> Prf {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let precision = ratio(tp, tp + fp);
        let recall = ratio(tp, tp + r#fn);
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Prf {
            tp,
            fp,
            r#fn,
            precision,
            recall,
            f1,
        }
    }
}

/// One [`Prf`] per role.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct PerRole {
    pub source: Prf,
    pub cue: Prf,
    pub content: Prf,
}

impl PerRole {
    pub fn get(&self, role: Role) -> &Prf {
        match role {
            Role::Source => &self.source,
            Role::Cue => &self.cue,
            Role::Content => &self.content,
        }
    }
}

/// Micro-averaged scores over the documents given to a [`Scorer`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    pub docs: usize,
    /// Exact-span match of fragments, per role.
    pub exact: PerRole,
    /// Token overlap, per role.
    pub token: PerRole,
    /// Whole attributions: content and source overlap, one-to-one.
    pub end_to_end: Prf,
    /// `end_to_end` restricted to direct quotes, on both sides.
    pub direct_end_to_end: Prf,
}

#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    tp: usize,
    fp: usize,
    fneg: usize,
}

impl Counts {
    fn add(&mut self, tp: usize, predicted: usize, gold: usize) {
        self.tp += tp;
        self.fp += predicted - tp;
        self.fneg += gold - tp;
    }

    fn prf(self) -> Prf {
        Prf::from_counts(self.tp, self.fp, self.fneg)
    }
}

/// Accumulates counts document by document; [`Scorer::report`] gives the
/// micro-averaged scores.
///
/// # Metrics
///
/// * **Exact span**, per role: every fragment of a role, trimmed of white
///   space, is one unit (a discontinuous span gives several); identical
///   `(role, start, end)` units within a document count once, on the gold
///   and the predicted side alike (a source shared by several attributions
///   is one annotation). A predicted unit is a true positive when a gold
///   unit of the same role has the same start and end.
/// * **Token**, per role: tokens are the matches of `\w+|[^\w\s]` over the
///   whole text ([`tokenize`](crate::tokenize)); a token has a role on a side
///   if it overlaps a span of that role there. TP/FP/FN count tokens.
/// * **End to end**: a predicted attribution matches a gold one when their
///   contents share a token and their sources share a token, or neither has
///   a source. Predictions and gold are matched one to one by a maximum
///   bipartite matching; TP is its size, FP the unmatched predictions, FN
///   the unmatched gold. Attributions without content (no content token),
///   gold or predicted, are left out.
/// * **Direct end to end**: the same, with both sides first restricted to
///   attributions whose content is a direct quote by [`starts_with_quote`]
///   (first fragment, trimmed, opens with one of [`QUOTE_MARKS`]), and the
///   matching done among those: recall is over direct gold attributions,
///   precision over predictions whose content starts with a quote mark.
///   The predicted [`QuoteKind`](onrecord_core::QuoteKind) is not used.
#[derive(Debug, Clone, Default)]
pub struct Scorer {
    docs: usize,
    exact: [Counts; 3],
    token: [Counts; 3],
    end_to_end: Counts,
    direct: Counts,
}

fn gold_spans(g: &GoldAttribution, role: Role) -> &[Span] {
    match role {
        Role::Source => &g.source,
        Role::Cue => &g.cue,
        Role::Content => &g.content,
    }
}

/// The distinct non-empty trimmed fragments of a set of span lists.
fn units<'a>(text: &str, lists: impl Iterator<Item = &'a [Span]>) -> BTreeSet<Span> {
    lists
        .flatten()
        .map(|s| s.trim(text))
        .filter(|s| !s.is_empty())
        .collect()
}

/// Sorted indices of the tokens overlapping any of `spans`.
fn token_ids<'a>(tokens: &[Span], spans: impl IntoIterator<Item = &'a Span>) -> Vec<u32> {
    let mut ids = Vec::new();
    for &span in spans {
        let mut i = tokens.partition_point(|t| t.end <= span.start);
        while i < tokens.len() && tokens[i].start < span.end {
            if tokens[i].overlaps(span) {
                ids.push(i as u32);
            }
            i += 1;
        }
    }
    ids.sort_unstable();
    ids.dedup();
    ids
}

fn intersects(a: &[u32], b: &[u32]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// One attribution as end-to-end matching sees it.
struct Side {
    content: Vec<u32>,
    source: Vec<u32>,
    direct: bool,
}

impl Side {
    fn new(text: &str, tokens: &[Span], source: &[Span], content: &[Span]) -> Option<Side> {
        let content_ids = token_ids(tokens, &units(text, std::iter::once(content)));
        if content_ids.is_empty() {
            return None;
        }
        let source_ids = token_ids(tokens, &units(text, std::iter::once(source)));
        Some(Side {
            content: content_ids,
            source: source_ids,
            direct: starts_with_quote(text, content),
        })
    }

    fn fits(&self, other: &Side) -> bool {
        intersects(&self.content, &other.content)
            && ((self.source.is_empty() && other.source.is_empty())
                || intersects(&self.source, &other.source))
    }
}

/// Size of a maximum one-to-one matching of predictions to gold (Kuhn's
/// augmenting paths).
fn max_matching(gold: &[&Side], pred: &[&Side]) -> usize {
    let adj: Vec<Vec<usize>> = pred
        .iter()
        .map(|p| (0..gold.len()).filter(|&g| gold[g].fits(p)).collect())
        .collect();
    let mut gold_match: Vec<Option<usize>> = vec![None; gold.len()];
    let mut size = 0;
    for p in 0..pred.len() {
        let mut seen = vec![false; gold.len()];
        if augment(p, &adj, &mut gold_match, &mut seen) {
            size += 1;
        }
    }
    size
}

fn augment(
    p: usize,
    adj: &[Vec<usize>],
    gold_match: &mut [Option<usize>],
    seen: &mut [bool],
) -> bool {
    for &g in &adj[p] {
        if seen[g] {
            continue;
        }
        seen[g] = true;
        let free = match gold_match[g] {
            None => true,
            Some(other) => augment(other, adj, gold_match, seen),
        };
        if free {
            gold_match[g] = Some(p);
            return true;
        }
    }
    false
}

impl Scorer {
    pub fn new() -> Scorer {
        Scorer::default()
    }

    /// Scores one document: `gold` and `pred` spans are byte ranges into
    /// `text`. Spans out of range or off character boundaries count as
    /// empty; nothing panics.
    pub fn add(&mut self, text: &str, gold: &[GoldAttribution], pred: &[Attribution]) {
        self.docs += 1;
        let tokens = tokenize(text);
        for (r, role) in Role::ALL.into_iter().enumerate() {
            let g = units(text, gold.iter().map(|a| gold_spans(a, role)));
            let p = units(text, pred.iter().map(|a| a.spans(role)));
            self.exact[r].add(g.intersection(&p).count(), p.len(), g.len());
            let gt = token_ids(&tokens, &g);
            let pt = token_ids(&tokens, &p);
            let both = gt.iter().filter(|i| pt.binary_search(i).is_ok()).count();
            self.token[r].add(both, pt.len(), gt.len());
        }
        let g: Vec<Side> = gold
            .iter()
            .filter_map(|a| Side::new(text, &tokens, &a.source, &a.content))
            .collect();
        let p: Vec<Side> = pred
            .iter()
            .filter_map(|a| Side::new(text, &tokens, &a.source, &a.content))
            .collect();
        let (ga, pa): (Vec<&Side>, Vec<&Side>) = (g.iter().collect(), p.iter().collect());
        self.end_to_end
            .add(max_matching(&ga, &pa), pa.len(), ga.len());
        let gd: Vec<&Side> = g.iter().filter(|s| s.direct).collect();
        let pd: Vec<&Side> = p.iter().filter(|s| s.direct).collect();
        self.direct.add(max_matching(&gd, &pd), pd.len(), gd.len());
    }

    pub fn report(&self) -> Report {
        let per_role = |c: &[Counts; 3]| PerRole {
            source: c[0].prf(),
            cue: c[1].prf(),
            content: c[2].prf(),
        };
        Report {
            docs: self.docs,
            exact: per_role(&self.exact),
            token: per_role(&self.token),
            end_to_end: self.end_to_end.prf(),
            direct_end_to_end: self.direct.prf(),
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} documents", self.docs)?;
        writeln!(
            f,
            "{:<22} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}",
            "", "tp", "fp", "fn", "P", "R", "F1"
        )?;
        let row = |f: &mut fmt::Formatter<'_>, name: &str, p: &Prf| {
            writeln!(
                f,
                "{:<22} {:>7} {:>7} {:>7} {:>7.3} {:>7.3} {:>7.3}",
                name, p.tp, p.fp, p.r#fn, p.precision, p.recall, p.f1
            )
        };
        for (kind, per) in [("exact", &self.exact), ("token", &self.token)] {
            for role in Role::ALL {
                row(f, &format!("{kind} {}", role.as_str()), per.get(role))?;
            }
        }
        row(f, "end-to-end", &self.end_to_end)?;
        row(f, "direct end-to-end", &self.direct_end_to_end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use onrecord_core::QuoteKind;

    fn sp(text: &str, needle: &str, nth: usize) -> Span {
        let (b, _) = text.match_indices(needle).nth(nth).unwrap();
        Span::new(b, b + needle.len())
    }

    fn gold(source: Vec<Span>, cue: Vec<Span>, content: Vec<Span>) -> GoldAttribution {
        GoldAttribution {
            source,
            cue,
            content,
        }
    }

    fn pred(source: Vec<Span>, cue: Vec<Span>, content: Vec<Span>) -> Attribution {
        Attribution {
            kind: QuoteKind::Indirect,
            source,
            cue,
            content,
            speaker: None,
            confidence: 0.5,
            date: None,
            stance: Default::default(),
            about: None,
            subject: Vec::new(),
        }
    }

    fn counts(p: &Prf) -> (usize, usize, usize) {
        (p.tp, p.fp, p.r#fn)
    }

    // Multi-byte characters throughout, so byte != code point offsets.
    const T: &str =
        "“Ça va,” dit Zoë, “très bien.” Müller said the plan failed. Zoë added that it’s done.";

    #[test]
    fn exact_spans_dedupe_and_discontinuous_units() {
        let zoe = sp(T, "Zoë", 0);
        let g = [
            gold(
                vec![zoe],
                vec![sp(T, "dit", 0)],
                vec![sp(T, "“Ça va,”", 0), sp(T, "“très bien.”", 0)],
            ),
            // Zoë again, as a shared source: one unit.
            gold(
                vec![zoe],
                vec![sp(T, "said", 0)],
                vec![sp(T, "the plan failed", 0)],
            ),
            gold(
                vec![sp(T, "Zoë", 1)],
                vec![sp(T, "added", 0)],
                vec![sp(T, "that it’s done", 0)],
            ),
        ];
        let mut s = Scorer::new();
        // Predicted fragments with white space round them still match.
        let wide = Span {
            start: zoe.start - 1,
            end: zoe.end,
        };
        let p = [
            pred(
                vec![wide],
                vec![sp(T, "dit", 0)],
                vec![sp(T, "“Ça va,”", 0)],
            ),
            pred(vec![zoe], vec![], vec![sp(T, "“très bien.”", 0)]),
            pred(
                vec![sp(T, "Müller", 0)],
                vec![sp(T, "said", 0)],
                vec![sp(T, "the plan", 0)],
            ),
        ];
        s.add(T, &g, &p);
        let r = s.report();
        assert_eq!(r.docs, 1);
        // gold sources {Zoë#0, Zoë#1}; predicted {Zoë#0, Müller}
        assert_eq!(counts(&r.exact.source), (1, 1, 1));
        // gold cues {dit, said, added}; predicted {dit, said}
        assert_eq!(counts(&r.exact.cue), (2, 0, 1));
        // gold contents 4 units; predicted {Ça va, très bien, the plan}
        assert_eq!(counts(&r.exact.content), (2, 1, 2));
        assert!((r.exact.cue.precision - 1.0).abs() < 1e-12);
        assert!((r.exact.cue.recall - 2.0 / 3.0).abs() < 1e-12);
        assert!((r.exact.cue.f1 - 0.8).abs() < 1e-12);
    }

    #[test]
    fn token_overlap_counts() {
        let g = [gold(
            vec![sp(T, "Müller", 0)],
            vec![sp(T, "said", 0)],
            vec![sp(T, "the plan failed", 0)],
        )];
        // Predicted content "plan failed. Zoë": tokens plan, failed, ., Zoë.
        // A span cutting a token in half still marks it ("Mül").
        let p = [pred(
            vec![sp(T, "Mül", 0)],
            vec![],
            vec![sp(T, "plan failed. Zoë", 0)],
        )];
        let mut s = Scorer::new();
        s.add(T, &g, &p);
        let r = s.report();
        assert_eq!(counts(&r.token.source), (1, 0, 0));
        assert_eq!(counts(&r.token.cue), (0, 0, 1));
        assert_eq!(counts(&r.token.content), (2, 2, 1));
        // Discontinuous content: tokens of both fragments.
        let g = [gold(
            vec![],
            vec![],
            vec![sp(T, "“Ça va,”", 0), sp(T, "“très bien.”", 0)],
        )];
        let mut s = Scorer::new();
        s.add(
            T,
            &g,
            &[pred(vec![], vec![], vec![sp(T, "Ça", 0), sp(T, "bien", 0)])],
        );
        assert_eq!(counts(&s.report().token.content), (2, 0, 8));
    }

    #[test]
    fn end_to_end_is_one_to_one_and_maximal() {
        let a = gold(vec![sp(T, "Zoë", 0)], vec![], vec![sp(T, "“Ça va,”", 0)]);
        let b = gold(
            vec![sp(T, "Zoë", 0)],
            vec![],
            vec![sp(T, "“Ça va,”", 0), sp(T, "“très bien.”", 0)],
        );
        // p0 ("va") fits a and b; p1 ("bien") fits only b. With gold in the
        // order [b, a], greedy matching would pair p0 with b and leave p1
        // unmatched; the maximum matching pairs p0-a and p1-b.
        let p0 = pred(vec![sp(T, "Zoë", 0)], vec![], vec![sp(T, "va", 0)]);
        let p1 = pred(vec![sp(T, "Zoë", 0)], vec![], vec![sp(T, "bien", 0)]);
        let mut s = Scorer::new();
        s.add(T, &[b.clone(), a.clone()], &[p0.clone(), p1.clone()]);
        assert_eq!(counts(&s.report().end_to_end), (2, 0, 0));
        // Two predictions of the same single gold: one tp, one fp.
        let mut s = Scorer::new();
        s.add(T, std::slice::from_ref(&b), &[p0.clone(), p1.clone()]);
        assert_eq!(counts(&s.report().end_to_end), (1, 1, 0));
        // Wrong source: no match. No source on both sides: match.
        let wrong = pred(vec![sp(T, "Müller", 0)], vec![], vec![sp(T, "bien", 0)]);
        let nosrc_g = gold(
            vec![],
            vec![sp(T, "said", 0)],
            vec![sp(T, "the plan failed", 0)],
        );
        let nosrc_p = pred(vec![], vec![], vec![sp(T, "failed", 0)]);
        let half_p = pred(vec![], vec![], vec![sp(T, "bien", 0)]);
        // Gold without content is skipped; so is a prediction without content.
        let no_content = gold(vec![sp(T, "Müller", 0)], vec![sp(T, "said", 0)], vec![]);
        let mut s = Scorer::new();
        s.add(
            T,
            &[b, nosrc_g, no_content],
            &[
                wrong,
                nosrc_p,
                half_p,
                pred(vec![sp(T, "Zoë", 0)], vec![], vec![]),
            ],
        );
        assert_eq!(counts(&s.report().end_to_end), (1, 2, 1));
    }

    #[test]
    fn direct_quotes_only() {
        assert!(starts_with_quote(
            T,
            &[sp(T, "“très bien.”", 0), sp(T, "“Ça va,”", 0)]
        ));
        assert!(starts_with_quote(T, &[sp(T, " “très", 0)]), "trimmed first");
        assert!(
            !starts_with_quote(T, &[sp(T, "“très bien.”", 0), sp(T, "dit Zoë", 0)]),
            "earliest fragment"
        );
        assert!(!starts_with_quote(T, &[sp(T, "the plan", 0)]));
        assert!(!starts_with_quote(T, &[]));
        assert!(starts_with_quote("x «Oui»", &[Span::new(1, 9)]));
        let q = gold(
            vec![sp(T, "Zoë", 0)],
            vec![sp(T, "dit", 0)],
            vec![sp(T, "“Ça va,”", 0), sp(T, "“très bien.”", 0)],
        );
        let ind = gold(
            vec![sp(T, "Zoë", 1)],
            vec![sp(T, "added", 0)],
            vec![sp(T, "that it’s done", 0)],
        );
        let ind2 = gold(
            vec![sp(T, "Müller", 0)],
            vec![sp(T, "said", 0)],
            vec![sp(T, "the plan failed", 0)],
        );
        // Correct direct prediction; correct indirect one (not counted);
        // a direct-looking prediction that matches nothing (a direct fp);
        // nothing for ind2.
        let p = [
            pred(vec![sp(T, "Zoë", 0)], vec![], vec![sp(T, "“Ça va,”", 0)]),
            pred(vec![sp(T, "Zoë", 1)], vec![], vec![sp(T, "it’s done", 0)]),
            pred(
                vec![sp(T, "Zoë", 1)],
                vec![],
                vec![sp(T, "“très bien.” Müller said", 0)],
            ),
        ];
        let mut s = Scorer::new();
        s.add(T, &[q, ind, ind2], &p);
        let r = s.report();
        assert_eq!(counts(&r.direct_end_to_end), (1, 1, 0));
        assert_eq!(counts(&r.end_to_end), (2, 1, 1));
    }

    #[test]
    fn bad_prediction_spans_do_not_panic() {
        let mut s = Scorer::new();
        let p = [pred(
            vec![Span::new(1, 2)],
            vec![Span {
                start: 90,
                end: 10_000,
            }],
            vec![Span::new(0, 1)],
        )];
        s.add(T, &[], &p);
        let r = s.report();
        assert_eq!(r.exact.source.fp + r.exact.cue.fp + r.exact.content.fp, 0);
        assert_eq!(r.end_to_end, Prf::default());
    }

    #[test]
    fn report_serializes_and_prints() {
        let mut s = Scorer::new();
        let g = [gold(
            vec![sp(T, "Zoë", 0)],
            vec![sp(T, "dit", 0)],
            vec![sp(T, "“Ça va,”", 0)],
        )];
        let p: Vec<_> = g.iter().map(GoldAttribution::to_attribution).collect();
        s.add(T, &g, &p);
        let r = s.report();
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["exact"]["cue"]["fn"], 0);
        assert_eq!(json["end_to_end"]["f1"], 1.0);
        let table = r.to_string();
        assert!(table.contains("exact source"));
        assert!(table.contains("direct end-to-end"));
        assert_eq!(Prf::from_counts(0, 0, 0).f1, 0.0);
    }
}
