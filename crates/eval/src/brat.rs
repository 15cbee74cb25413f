//! Reading brat standoff annotation (PolNeAR's `.ann` files).

use crate::EvalError;
use onrecord_core::{Attribution, CharOffsets, QuoteKind, Span};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// One annotated attribution (one brat `E` line).
///
/// Spans are byte ranges into the annotated text (converted from brat's
/// code-point offsets), each fragment trimmed of white space, empty
/// fragments dropped, sorted by start. A discontinuous annotation gives
/// several fragments. Any role may be empty (`Attribution-no-source` has no
/// source; a few annotations lack a cue or content).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoldAttribution {
    pub source: Vec<Span>,
    pub cue: Vec<Span>,
    pub content: Vec<Span>,
}

impl GoldAttribution {
    /// The annotation as a pipeline [`Attribution`] (kind `Indirect`, no
    /// speaker, confidence 1), e.g. to score gold against itself.
    pub fn to_attribution(&self) -> Attribution {
        Attribution {
            kind: QuoteKind::Indirect,
            source: self.source.clone(),
            cue: self.cue.clone(),
            content: self.content.clone(),
            speaker: None,
            confidence: 1.0,
            date: None,
            stance: Default::default(),
            about: None,
            subject: Vec::new(),
        }
    }
}

/// Text-bound annotation types that are not attribution roles: annotator
/// bookkeeping (`Discard`, `Discuss`) and the event trigger (`Attribution`).
const IGNORED_TYPES: [&str; 3] = ["Discard", "Discuss", "Attribution"];

/// One parsed `T` line.
#[derive(Debug)]
pub(crate) struct TextBound<'a> {
    /// Byte spans, untrimmed, in file order.
    pub spans: Vec<Span>,
    /// The text field as written (first line of it only); checked in tests.
    #[cfg_attr(not(test), allow(dead_code))]
    pub note: &'a str,
}

/// What a `.ann` file holds that evaluation uses.
#[derive(Debug, Default)]
pub(crate) struct Ann<'a> {
    pub text_bounds: HashMap<&'a str, TextBound<'a>>,
    /// Per `E` line: (role, T id) arguments, the trigger left out.
    pub events: Vec<Vec<(Role, &'a str, usize)>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Source,
    Cue,
    Content,
}

/// `^[TEARN#]\d+\t`: a line that starts an annotation. Any other line
/// continues the text field of the line before.
fn is_annotation_line(line: &str) -> bool {
    let b = line.as_bytes();
    if b.is_empty() || !matches!(b[0], b'T' | b'E' | b'A' | b'R' | b'N' | b'#') {
        return false;
    }
    let digits = b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
    digits > 0 && b.get(1 + digits) == Some(&b'\t')
}

pub(crate) fn parse_ann<'a>(text: &str, ann: &'a str) -> Result<Ann<'a>, EvalError> {
    let offsets = CharOffsets::new(text);
    let n_chars = text.chars().count();
    let mut out = Ann::default();
    let mut ignored: HashSet<&str> = HashSet::new();
    for (idx, raw) in ann.lines().enumerate() {
        let line_no = idx + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if !is_annotation_line(line) {
            continue;
        }
        let mut fields = line.splitn(3, '\t');
        let id = fields.next().unwrap_or("");
        let body = fields.next().unwrap_or("");
        let note = fields.next().unwrap_or("");
        match id.as_bytes()[0] {
            b'T' => {
                let (ty, ranges) = body.split_once(' ').unwrap_or((body, ""));
                if IGNORED_TYPES.contains(&ty) {
                    ignored.insert(id);
                    continue;
                }
                let mut spans = Vec::new();
                for frag in ranges.split(';') {
                    let mut nums = frag.split_whitespace().map(str::parse::<usize>);
                    let (start, end) = match (nums.next(), nums.next(), nums.next()) {
                        (Some(Ok(s)), Some(Ok(e)), None) => (s, e),
                        _ => {
                            return Err(EvalError::Format {
                                line: line_no,
                                message: format!(
                                    "bad offsets {ranges:?} in text-bound annotation {id}"
                                ),
                            })
                        }
                    };
                    if start > end || end > n_chars {
                        return Err(EvalError::Offset {
                            line: line_no,
                            start,
                            end,
                            len: n_chars,
                        });
                    }
                    spans.push(Span::new(offsets.byte_of(start), offsets.byte_of(end)));
                }
                out.text_bounds.insert(id, TextBound { spans, note });
            }
            b'E' => {
                let mut args = Vec::new();
                // The first argument is the trigger (`Attribution:T4`, or a
                // bare `Attribution-no-source`); the rest are ROLE:ID, where
                // a repeated role is numbered (`Content2`).
                for arg in body.split_whitespace().skip(1) {
                    let Some((role, tid)) = arg.split_once(':') else {
                        continue;
                    };
                    let role = match role.trim_end_matches(|c: char| c.is_ascii_digit()) {
                        "Source" => Role::Source,
                        "Cue" => Role::Cue,
                        "Content" => Role::Content,
                        _ => continue,
                    };
                    args.push((role, tid, line_no));
                }
                out.events.push(args);
            }
            _ => {} // attributes, relations, normalizations, notes
        }
    }
    // Every argument must name a T line (an ignored one is dropped).
    for args in &mut out.events {
        for &(_, tid, line) in args.iter() {
            if !out.text_bounds.contains_key(tid) && !ignored.contains(tid) {
                return Err(EvalError::Format {
                    line,
                    message: format!("unknown annotation {tid}"),
                });
            }
        }
        args.retain(|(_, tid, _)| out.text_bounds.contains_key(tid));
    }
    Ok(out)
}

/// Reads the attributions of one brat `.ann` file annotating `text`.
///
/// One [`GoldAttribution`] per `E` line, in file order. brat's code-point
/// offsets become byte offsets into `text`. A line starts an annotation only
/// if it matches `^[TEARN#]\d+\t`; other lines continue a multi-line text
/// field and are skipped. `T` lines of type `Discard`, `Discuss` and
/// `Attribution` (the event trigger) are ignored, as are `A`, `R`, `N` and
/// `#` lines and event arguments other than Source/Cue/Content (numbered
/// repeats such as `Content2` count as their role).
///
/// Errors on offsets beyond the text or reversed, unparsable offsets of a
/// role annotation, and event arguments naming no `T` line. Never panics.
pub fn read_brat(text: &str, ann: &str) -> Result<Vec<GoldAttribution>, EvalError> {
    let parsed = parse_ann(text, ann)?;
    let mut out = Vec::with_capacity(parsed.events.len());
    for args in &parsed.events {
        let mut gold = GoldAttribution::default();
        for &(role, tid, _) in args {
            let Some(tb) = parsed.text_bounds.get(tid) else {
                continue;
            };
            let dest = match role {
                Role::Source => &mut gold.source,
                Role::Cue => &mut gold.cue,
                Role::Content => &mut gold.content,
            };
            dest.extend(
                tb.spans
                    .iter()
                    .map(|s| s.trim(text))
                    .filter(|s| !s.is_empty()),
            );
        }
        for v in [&mut gold.source, &mut gold.cue, &mut gold.content] {
            v.sort_unstable();
            v.dedup();
        }
        out.push(gold);
    }
    Ok(out)
}

/// Reads one text file and its `.ann` file.
pub fn read_doc(
    text_path: &Path,
    ann_path: &Path,
) -> Result<(String, Vec<GoldAttribution>), EvalError> {
    let read = |p: &Path| {
        std::fs::read_to_string(p).map_err(|source| EvalError::Io {
            path: p.to_path_buf(),
            source,
        })
    };
    let text = read(text_path)?;
    let ann = read(ann_path)?;
    let gold = read_brat(&text, &ann).map_err(|e| EvalError::InFile {
        path: ann_path.to_path_buf(),
        source: Box::new(e),
    })?;
    Ok((text, gold))
}

/// The documents of one PolNeAR split: `(name, DIR/text/NAME.txt,
/// DIR/attributions/NAME.ann)`, sorted by name. Errors if the text folder
/// cannot be read or a text has no annotation file.
pub fn polnear_docs(dir: &Path) -> Result<Vec<(String, PathBuf, PathBuf)>, EvalError> {
    let text_dir = dir.join("text");
    let ann_dir = dir.join("attributions");
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| EvalError::Io { path, source }
    };
    let mut docs = Vec::new();
    for entry in std::fs::read_dir(&text_dir).map_err(io(&text_dir))? {
        let path = entry.map_err(io(&text_dir))?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("txt") || !path.is_file() {
            continue;
        }
        let Some(name) = path.file_stem().and_then(|s| s.to_str()).map(str::to_owned) else {
            continue;
        };
        let ann = ann_dir.join(format!("{name}.ann"));
        if !ann.is_file() {
            return Err(EvalError::MissingAnn { text: path, ann });
        }
        docs.push((name, path, ann));
    }
    docs.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Code-point offsets of the `nth` occurrence of `needle` in `text`.
    pub(crate) fn cp(text: &str, needle: &str, nth: usize) -> (usize, usize) {
        let (b, _) = text.match_indices(needle).nth(nth).unwrap();
        let s = text[..b].chars().count();
        (s, s + needle.chars().count())
    }

    fn bytes(text: &str, needle: &str, nth: usize) -> Span {
        let (b, _) = text.match_indices(needle).nth(nth).unwrap();
        Span::new(b, b + needle.len())
    }

    const TEXT: &str = "Zoë’s plan\n“Ça va,” said Zoë, “très bien.” The aide, Müller, agreed.";

    fn ann() -> String {
        let (s1, e1) = cp(TEXT, "Zoë", 1);
        let (c1, ce1) = cp(TEXT, "said", 0);
        let (q1, qe1) = cp(TEXT, "“Ça va,”", 0);
        let (q2, qe2) = cp(TEXT, "“très bien.”", 0);
        let (s2, e2) = cp(TEXT, "The aide, Müller,", 0);
        let (c2, ce2) = cp(TEXT, "agreed", 0);
        format!(
            "T1\tSource {s1} {e1}\tZoë\n\
             T2\tCue {c1} {ce1}\tsaid\n\
             T3\tContent {q1} {qe1};{q2} {} \t“Ça va,” “très bien.”\n\
             T4\tAttribution {c1} {ce1}\tsaid\n\
             E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n\
             T5\tSource {s2} {e2}\tThe aide,\n  Müller,\n\
             this continuation line looks odd\n\
             T6\tCue {c2} {ce2}\tagreed\n\
             T7\tDiscard 0 3\tZoë\n\
             E2\tAttribution:T8 Cue:T6 Source:T5 Content:T3 Content2:T7\n\
             A1\tNegated E2\n\
             #1\tAnnotatorNotes T5\ta note\n\
             R1\tFoo Arg1:T1 Arg2:T2\n\
             E3\tAttribution-no-source\n\
             T8\tAttribution {c2} {ce2}\tagreed\r\n",
            qe2 + 1, // a trailing space, trimmed away
        )
    }

    #[test]
    fn reads_roles_as_trimmed_byte_spans() {
        let gold = read_brat(TEXT, &ann()).unwrap();
        assert_eq!(gold.len(), 3);
        assert_eq!(gold[0].source, [bytes(TEXT, "Zoë", 1)]);
        assert_eq!(gold[0].cue, [bytes(TEXT, "said", 0)]);
        assert_eq!(
            gold[0].content,
            [bytes(TEXT, "“Ça va,”", 0), bytes(TEXT, "“très bien.”", 0)]
        );
        assert_eq!(gold[0].content[1].text(TEXT), "“très bien.”");
        assert_eq!(gold[1].source, [bytes(TEXT, "The aide, Müller,", 0)]);
        assert_eq!(gold[1].cue[0].text(TEXT), "agreed");
        assert_eq!(gold[1].content, gold[0].content, "Discard argument dropped");
        assert_eq!(gold[2], GoldAttribution::default());
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        let t = "héllo";
        assert!(matches!(
            read_brat(t, "T1\tSource 0 6\théllo!"),
            Err(EvalError::Offset {
                line: 1,
                end: 6,
                len: 5,
                ..
            })
        ));
        assert!(matches!(
            read_brat(t, "T1\tSource 3 2\tx"),
            Err(EvalError::Offset { .. })
        ));
        assert!(matches!(
            read_brat(t, "\nT1\tSource 0 x\tx"),
            Err(EvalError::Format { line: 2, .. })
        ));
        assert!(matches!(
            read_brat(t, "T1\tSource\tx"),
            Err(EvalError::Format { .. })
        ));
        assert!(matches!(
            read_brat(t, "T1\tSource 0 1 2\tx"),
            Err(EvalError::Format { .. })
        ));
        assert!(matches!(
            read_brat(t, "E1\tAttribution:T9 Source:T2"),
            Err(EvalError::Format { .. })
        ));
        // Odd lines that are not annotations are skipped.
        for odd in [
            "",
            "\t\t",
            "T\tSource 0 1",
            "Tx1\t",
            "E1",
            "E1\t",
            "E1\tAttribution",
            "E1\tAttribution Source",
            "T1",
            "é",
            "#1\t",
        ] {
            assert!(read_brat(t, odd).is_ok(), "{odd:?}");
        }
        assert_eq!(
            read_brat(t, "T1\tSource 0 5\théllo\nE1\tAttribution:T2 Source:T1").unwrap()[0].source,
            [Span::new(0, 6)]
        );
        // Whitespace-only fragments vanish.
        assert_eq!(
            read_brat("a  b", "T1\tCue 1 3\t \nE1\tX Cue:T1").unwrap()[0].cue,
            []
        );
    }

    #[test]
    fn lists_polnear_dev() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/polnear/dev");
        let docs = polnear_docs(&dir).unwrap();
        assert_eq!(docs.len(), 84);
        assert!(docs.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(docs
            .iter()
            .all(|(n, t, a)| t.ends_with(format!("{n}.txt")) && a.ends_with(format!("{n}.ann"))));
        assert!(matches!(
            polnear_docs(Path::new("/nonexistent")),
            Err(EvalError::Io { .. })
        ));
    }

    /// The text field of every role annotation in dev equals the text its
    /// byte spans cover (fragments joined by a space; white space compared
    /// loosely, as the field may run over several lines).
    #[test]
    fn dev_offsets_cover_the_annotated_text() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/polnear/dev");
        let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let (mut checked, mut differ) = (0, Vec::new());
        for (name, t, a) in polnear_docs(&dir).unwrap() {
            let text = std::fs::read_to_string(t).unwrap();
            let ann = std::fs::read_to_string(a).unwrap();
            let parsed = parse_ann(&text, &ann).unwrap();
            for (id, tb) in &parsed.text_bounds {
                let covered: Vec<&str> = tb.spans.iter().map(|s| s.text(&text)).collect();
                let covered = norm(&covered.join(" "));
                checked += 1;
                // `note` is the first line of the field only.
                if !covered.starts_with(&norm(tb.note)) {
                    differ.push(format!("{name} {id}: {:?} vs {:?}", tb.note, covered));
                }
            }
        }
        eprintln!(
            "{checked} text-bound annotations checked, {} differ",
            differ.len()
        );
        assert!(differ.is_empty(), "{differ:#?}");
    }
}
