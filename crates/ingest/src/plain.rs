//! Plain-text articles: PolNeAR style and seed style.

use onrecord_core::{Dateline, Document, Metadata, Span};

use crate::boilerplate::{footer, is_image_title, is_navigation, is_photo_credit, Footer};
use crate::dateline::parse_dateline;
use crate::{bom_len, is_valid_date, ErrorKind, IngestError, BINARY_SNIFF_BYTES, MAX_FILE_BYTES};

/// A headline longer than this is taken as prose, not a title.
const MAX_TITLE_CHARS: usize = 300;
/// At most this many footer lines are taken from the end of an article.
const MAX_FOOTER_LINES: usize = 6;

/// Parse one already-read text file (exposed for tests and for the eval command).
///
/// `id` becomes [`Document::id`], `path` [`Document::path`] and error
/// paths. A first line ` date YYYY-MM-DD ...` selects the seed layout
/// (boilerplate is separated from prose), anything else the PolNeAR layout
/// (headline on the first line, the whole text is prose). Fails on text
/// that is empty, binary (NUL in the first 8 KiB), over 64 MiB, or whose
/// date line holds a malformed date.
pub fn parse_text_file(id: &str, path: &str, text: String) -> Result<Document, IngestError> {
    let err = |kind| IngestError::new(path, kind);
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(err(ErrorKind::TooLarge(text.len() as u64)));
    }
    if text.as_bytes()[..text.len().min(BINARY_SNIFF_BYTES)].contains(&0) {
        return Err(err(ErrorKind::Binary));
    }
    let start = bom_len(&text);
    if text[start..].trim().is_empty() {
        return Err(err(ErrorKind::Empty));
    }
    let (meta, body) = match seed_date(&text, start).map_err(|d| err(ErrorKind::BadDate(d)))? {
        Some(date) => parse_seed(&text, start, date),
        None => parse_polnear(&text, start),
    };
    Ok(Document {
        id: id.to_string(),
        path: path.to_string(),
        text,
        meta,
        body,
        origin: onrecord_core::Origin {
            file: path.to_string(),
            ..onrecord_core::Origin::default()
        },
    })
}

/// Content ranges of the lines of `text[from..]` (without `\n` / `\r\n`).
fn lines(text: &str, from: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut pos = from;
    loop {
        let nl = text[pos..].find('\n').map(|i| pos + i);
        let mut end = nl.unwrap_or(text.len());
        if end > pos && text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        out.push((pos, end));
        match nl {
            Some(i) => pos = i + 1,
            None => return out,
        }
    }
}

fn is_blank(text: &str, line: (usize, usize)) -> bool {
    text[line.0..line.1].trim().is_empty()
}

/// Start of the first non-space character at or after `pos` (in the line).
fn skip_ws(text: &str, line: (usize, usize)) -> usize {
    let s = &text[line.0..line.1];
    line.0 + (s.len() - s.trim_start().len())
}

struct SeedDate {
    date: String,
    /// Where the rest of the first line starts (after the date and spaces).
    rest_start: usize,
}

/// The ` date YYYY-MM-DD` prefix of the first line. `Ok(None)`: not a seed
/// date line; `Err(token)`: a date line with a malformed date.
fn seed_date(text: &str, start: usize) -> Result<Option<SeedDate>, String> {
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = &text[start..line_end];
    let Some(after) = line.trim_start_matches([' ', '\t']).strip_prefix("date") else {
        return Ok(None);
    };
    if !after.starts_with([' ', '\t']) {
        return Ok(None);
    }
    let tok = after.trim_start_matches([' ', '\t']);
    if !tok.starts_with(|c: char| c.is_ascii_digit()) {
        return Ok(None);
    }
    let tok_start = line_end - tok.len();
    let tok = &tok[..tok.find(char::is_whitespace).unwrap_or(tok.len())];
    if !is_valid_date(tok) {
        return Err(tok.to_string());
    }
    let after_tok = tok_start + tok.len();
    let rest = &text[after_tok..line_end];
    let rest_start = after_tok + (rest.len() - rest.trim_start_matches([' ', '\t']).len());
    Ok(Some(SeedDate {
        date: tok.to_string(),
        rest_start,
    }))
}

/// Collects boilerplate ranges and turns the rest into trimmed body spans.
fn body_spans(text: &str, prose_start: usize, mut excluded: Vec<(usize, usize)>) -> Vec<Span> {
    excluded.sort_unstable();
    let mut body = Vec::new();
    let mut push = |a: usize, b: usize| {
        if a < b {
            let s = Span::new(a, b).trim(text);
            if !s.is_empty() {
                body.push(s);
            }
        }
    };
    let mut pos = prose_start;
    for (s, e) in excluded {
        if s > pos {
            push(pos, s);
        }
        pos = pos.max(e);
    }
    push(pos, text.len());
    body
}

/// A dateline that names an agency or a date. Only such a one is taken on
/// a line that could be a headline: "EXCLUSIVE – Stone: ..." is a title.
fn is_strong(d: &Dateline) -> bool {
    d.outlet.is_some() || d.date_text.is_some()
}

fn set_dateline(meta: &mut Metadata, excluded: &mut Vec<(usize, usize)>, d: Dateline) {
    excluded.push((d.span.start as usize, d.span.end as usize));
    if d.outlet.is_some() {
        meta.outlet.clone_from(&d.outlet);
    }
    meta.dateline = Some(d);
}

/// PolNeAR style: title = first line; the whole text is prose, except a
/// dateline at the head of the article.
fn parse_polnear(text: &str, start: usize) -> (Metadata, Vec<Span>) {
    let mut meta = Metadata::default();
    let mut excluded = Vec::new();
    let ls = lines(text, start);
    let head = skip_ws(text, (start, text.len()));
    if let Some(d) = parse_dateline(text, head).filter(is_strong) {
        // No headline: the article starts right away.
        set_dateline(&mut meta, &mut excluded, d);
    } else {
        let first = text[ls[0].0..ls[0].1].trim();
        if !first.is_empty() {
            meta.title = Some(first.to_string());
            if let Some(&next) = ls[1..].iter().find(|&&l| !is_blank(text, l)) {
                if let Some(d) = parse_dateline(text, skip_ws(text, next)) {
                    set_dateline(&mut meta, &mut excluded, d);
                }
            }
        }
    }
    let body = body_spans(text, start, excluded);
    (meta, body)
}

/// Seed style: see the crate documentation.
fn parse_seed(text: &str, start: usize, date: SeedDate) -> (Metadata, Vec<Span>) {
    let mut meta = Metadata {
        date: Some(date.date),
        ..Metadata::default()
    };
    let ls = lines(text, start);
    let line0_end = ls[0].1;
    let rest_start = date.rest_start.min(line0_end);
    let rest = text[rest_start..line0_end].trim();
    let mut excluded = Vec::new();

    // Where prose starts, the headline line, the first prose line index.
    let prose_start;
    let mut title_idx = None;
    let first_idx;
    let dateline_at;
    if rest.is_empty() || is_navigation(rest) {
        // Navigation (or nothing): the headline is the next non-empty line.
        let Some(k) = (1..ls.len()).find(|&i| !is_blank(text, ls[i])) else {
            return (meta, Vec::new());
        };
        let candidate = text[ls[k].0..ls[k].1].trim();
        let k_start = skip_ws(text, ls[k]);
        prose_start = k_start;
        first_idx = k;
        let dateline = parse_dateline(text, k_start).filter(is_strong);
        if dateline.is_some() || candidate.chars().count() > MAX_TITLE_CHARS {
            // The article starts on that line: no headline.
            dateline_at = Some(k_start);
        } else {
            meta.title = Some(candidate.to_string());
            title_idx = Some(k);
            dateline_at = ls[k + 1..]
                .iter()
                .find(|&&l| !is_blank(text, l))
                .map(|&l| skip_ws(text, l));
        }
    } else {
        // The rest of the date line is the first sentence of the article.
        prose_start = rest_start;
        first_idx = 0;
        dateline_at = Some(rest_start);
    }
    if let Some(d) = dateline_at.and_then(|at| parse_dateline(text, at)) {
        set_dateline(&mut meta, &mut excluded, d);
    }

    // Author / editor footer: short lines at the very end.
    let mut footer_from = ls.len();
    let mut authors = Vec::new();
    let mut taken = 0;
    for i in (first_idx + 1..ls.len()).rev() {
        if Some(i) == title_idx || taken == MAX_FOOTER_LINES {
            break;
        }
        let line = ls[i];
        if is_blank(text, line) {
            continue;
        }
        match footer(&text[line.0..line.1]) {
            Some(Footer::Authors(names)) => authors.push(names),
            Some(Footer::Editor(name)) => {
                if meta.editor.is_none() {
                    meta.editor = Some(name);
                }
            }
            None => break,
        }
        taken += 1;
        footer_from = i;
        excluded.push(line);
    }
    meta.authors = authors.into_iter().rev().flatten().collect();

    // Photo credits and the image title line right above each.
    for i in first_idx + 1..footer_from {
        if Some(i) == title_idx || !is_photo_credit(&text[ls[i].0..ls[i].1]) {
            continue;
        }
        excluded.push(ls[i]);
        let j = i - 1;
        let caption = ls[j];
        if j > first_idx
            && Some(j) != title_idx
            && caption.0 >= prose_start
            && is_image_title(&text[caption.0..caption.1])
            && !is_photo_credit(&text[caption.0..caption.1])
        {
            excluded.push(caption);
        }
    }

    let body = body_spans(text, prose_start, excluded);
    (meta, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED_000: &str = include_str!("../../../examples/000_e8348c9c7b4e2da3.txt");
    const SEED_004: &str = include_str!("../../../examples/004_ada9b50bf52b2923.txt");

    fn parse(text: &str) -> Document {
        parse_text_file("t", "t.txt", text.to_string()).unwrap()
    }

    fn body_text(doc: &Document) -> String {
        doc.body
            .iter()
            .map(|s| s.text(&doc.text))
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    /// Spans are ordered, disjoint, non-empty, trimmed, on char boundaries.
    pub(super) fn check_spans(doc: &Document) {
        let mut prev_end = 0;
        for s in &doc.body {
            assert!(
                s.start as usize >= prev_end && s.start < s.end,
                "{:?}",
                doc.body
            );
            let t = doc.text.get(s.range()).expect("char boundaries");
            assert_eq!(t, t.trim());
            prev_end = s.end as usize;
        }
    }

    #[test]
    fn seed_000_navigation_and_headline() {
        let doc = parse(SEED_000);
        check_spans(&doc);
        let m = &doc.meta;
        assert_eq!(m.date.as_deref(), Some("2025-11-12"));
        assert_eq!(
            m.title.as_deref(),
            Some("Moscow Confirms U.S. Still Committed to Alaska Summit Accords on Ukraine")
        );
        assert_eq!(m.authors, vec!["Pavel Morozov".to_string()]);
        assert_eq!(m.editor.as_deref(), Some("Dmitry Sudakov"));
        assert_eq!(m.dateline, None);
        assert_eq!(m.outlet, None);
        let body = body_text(&doc);
        assert!(
            body.starts_with("Moscow Confirms U.S. Still Committed"),
            "{body}"
        );
        assert!(body.contains("Kremlin aide Yuri Ushakov said"));
        assert!(body.contains("Kremlin: Trump and Putin's Alaska Understandings Remain in Force"));
        assert!(body.contains("“These understandings remain in working order"));
        assert!(
            body.ends_with("provided that the U.S. maintains its commitment."),
            "{body}"
        );
        for gone in [
            "date 2025",
            "World Russia",
            "Incidents Business",
            "Photo:",
            "wikimedia",
            "9260677",
            "Author",
            "Morozov",
            "Editor",
            "Sudakov",
        ] {
            assert!(!body.contains(gone), "{gone} in body");
        }
        // Split at the photo lines and the footer only: two spans.
        assert_eq!(doc.body.len(), 2);
        assert!(doc.body[0]
            .text(&doc.text)
            .ends_with("according to RIA Novosti."));
        assert!(doc.body[1]
            .text(&doc.text)
            .starts_with("“These understandings"));
    }

    #[test]
    fn seed_004_dateline_first_sentence() {
        let doc = parse(SEED_004);
        check_spans(&doc);
        let m = &doc.meta;
        assert_eq!(m.date.as_deref(), Some("2026-02-11"));
        assert_eq!(m.title, None);
        assert!(m.authors.is_empty());
        assert_eq!(m.editor, None);
        assert_eq!(m.outlet.as_deref(), Some("TASS"));
        let d = m.dateline.as_ref().unwrap();
        assert_eq!(d.place, "MOSCOW");
        assert_eq!(d.date_text.as_deref(), Some("February 11"));
        assert_eq!(d.outlet.as_deref(), Some("TASS"));
        assert_eq!(d.span.text(&doc.text), "MOSCOW, February 11. /TASS/.");
        assert_eq!(doc.body.len(), 1);
        let body = body_text(&doc);
        assert!(body.starts_with("Russian President Vladimir Putin and his US counterpart"));
        assert!(body.contains("Countering Europe"));
        assert!(body.ends_with("special envoy Steve Witkoff."));
        assert!(!body.contains("MOSCOW") && !body.contains("TASS") && !body.contains("date "));
    }

    #[test]
    fn seed_variants() {
        // Empty rest of line: headline on the next line.
        let doc = parse("date 2025-01-02\n\nBig Headline Here\nText said here.\n");
        assert_eq!(doc.meta.title.as_deref(), Some("Big Headline Here"));
        assert_eq!(body_text(&doc), "Big Headline Here\nText said here.");

        // Headline with punctuation on the date line is prose, not navigation.
        let doc = parse("  date 2025-01-02 Putin: talks went well, aide says\nMore text.");
        assert_eq!(doc.meta.title, None);
        assert_eq!(
            body_text(&doc),
            "Putin: talks went well, aide says\nMore text."
        );

        // Navigation followed by a dateline-led first line: no title.
        let doc =
            parse("date 2025-01-02 News | World\nLONDON (Reuters) - Britain said on Monday.\n");
        assert_eq!(doc.meta.title, None);
        assert_eq!(doc.meta.outlet.as_deref(), Some("Reuters"));
        assert_eq!(body_text(&doc), "Britain said on Monday.");

        // Headline then dateline on the next line.
        let doc = parse("date 2025-01-02 World Sport\nTeam Wins Cup\n\nLONDON — The team won, its coach said.\n");
        assert_eq!(doc.meta.title.as_deref(), Some("Team Wins Cup"));
        assert_eq!(doc.meta.dateline.as_ref().unwrap().place, "LONDON");
        assert_eq!(doc.meta.outlet, None);
        assert_eq!(
            body_text(&doc),
            "Team Wins Cup\n\nThe team won, its coach said."
        );

        // Only the date line: no body, but not an error.
        let doc = parse(" date 2025-01-02 World Russia\n\n");
        assert!(doc.body.is_empty());
        assert_eq!(doc.meta.date.as_deref(), Some("2025-01-02"));

        // CRLF line ends.
        let doc = parse("date 2025-01-02 World\r\nHeadline\r\nText.\r\n\r\nAuthor: Jo Bloggs\r\n");
        assert_eq!(doc.meta.title.as_deref(), Some("Headline"));
        assert_eq!(doc.meta.authors, vec!["Jo Bloggs".to_string()]);
        assert_eq!(body_text(&doc), "Headline\r\nText.");
    }

    #[test]
    fn prose_starting_with_editor_is_kept() {
        let text = "date 2025-01-02 World\nHeadline\nSome text.\nEditor in chief Ann Lee said the paper would fight.\n";
        let doc = parse(text);
        assert_eq!(doc.meta.editor, None);
        assert!(body_text(&doc).ends_with("the paper would fight."));
        // A footer-like line followed by prose is not a footer either.
        let text =
            "date 2025-01-02 World\nHeadline\nEditor Ann Lee\nShe said the paper would fight.\n";
        let doc = parse(text);
        assert_eq!(doc.meta.editor, None);
        assert!(body_text(&doc).contains("Editor Ann Lee"));
    }

    #[test]
    fn photo_after_blank_line_keeps_previous_paragraph() {
        let text = "date 2025-01-02 World\nHeadline\nA short paragraph.\n\nPhoto: AP\nMore.\n";
        let doc = parse(text);
        assert_eq!(body_text(&doc), "Headline\nA short paragraph.\n\nMore.");
        // Photo line right after the headline: the headline is kept.
        let text = "date 2025-01-02 World\nHeadline\nPhoto: AP\nMore.\n";
        let doc = parse(text);
        assert_eq!(body_text(&doc), "Headline\n\nMore.");
    }

    #[test]
    fn malformed_seed_date() {
        for text in [
            " date 2025-13-45 World Russia\nText",
            "date 2025-02-30\nText",
            "date 11/12/2025 x",
        ] {
            let e = parse_text_file("t", "t.txt", text.to_string()).unwrap_err();
            assert!(matches!(e.kind, ErrorKind::BadDate(_)), "{e}");
            assert!(e.to_string().starts_with("t.txt: malformed date"), "{e}");
        }
        // Not a date line at all: PolNeAR style.
        let doc = parse("date night ideas\nText.");
        assert_eq!(doc.meta.title.as_deref(), Some("date night ideas"));
        assert_eq!(doc.meta.date, None);
        let doc = parse("dated 2025-01-01\nText.");
        assert_eq!(doc.meta.date, None);
    }

    #[test]
    fn polnear() {
        let text = "Senate passes bill\n\nThe Senate passed the bill on Tuesday, officials said.\n";
        let doc = parse(text);
        check_spans(&doc);
        assert_eq!(doc.meta.title.as_deref(), Some("Senate passes bill"));
        assert_eq!(doc.meta.date, None);
        assert_eq!(doc.meta.outlet, None);
        assert_eq!(doc.id, "t");
        assert_eq!(doc.path, "t.txt");
        assert_eq!(doc.body, vec![Span::new(0, text.trim_end().len())]);
    }

    #[test]
    fn polnear_with_dateline() {
        let text = "Senate passes bill\nWASHINGTON (Reuters) - The Senate passed the bill.\n";
        let doc = parse(text);
        assert_eq!(doc.meta.title.as_deref(), Some("Senate passes bill"));
        assert_eq!(doc.meta.outlet.as_deref(), Some("Reuters"));
        assert_eq!(
            body_text(&doc),
            "Senate passes bill\n\nThe Senate passed the bill."
        );
        // A headline that merely looks like "PLACE — ...".
        let doc = parse("EXCLUSIVE – Stone: Don’t Trust the Machines.\nThere is concern.\n");
        assert_eq!(
            doc.meta.title.as_deref(),
            Some("EXCLUSIVE – Stone: Don’t Trust the Machines.")
        );
        assert_eq!(doc.meta.dateline, None);
        // Dateline on the first line: no headline.
        let doc = parse("WASHINGTON (Reuters) - The Senate passed the bill.\n");
        assert_eq!(doc.meta.title, None);
        assert_eq!(body_text(&doc), "The Senate passed the bill.");
    }

    #[test]
    fn bom_is_kept_but_skipped() {
        let text = "\u{feff} date 2026-02-11 MOSCOW, February 11. /TASS/. Lavrov said so.\n";
        let doc = parse(text);
        assert!(doc.text.starts_with('\u{feff}'));
        assert_eq!(doc.meta.date.as_deref(), Some("2026-02-11"));
        assert_eq!(doc.meta.outlet.as_deref(), Some("TASS"));
        assert_eq!(body_text(&doc), "Lavrov said so.");
        let d = doc.meta.dateline.unwrap();
        assert_eq!(d.span.text(&doc.text), "MOSCOW, February 11. /TASS/.");

        let doc = parse("\u{feff}Headline\nText.");
        assert_eq!(doc.meta.title.as_deref(), Some("Headline"));
        assert_eq!(doc.body, vec![Span::new(3, doc.text.len())]);
    }

    #[test]
    fn errors() {
        let kind = |t: &str| {
            parse_text_file("t", "t.txt", t.to_string())
                .unwrap_err()
                .kind
        };
        assert!(matches!(kind(""), ErrorKind::Empty));
        assert!(matches!(kind(" \n\t\r\n"), ErrorKind::Empty));
        assert!(matches!(kind("\u{feff}  \n"), ErrorKind::Empty));
        assert!(matches!(kind("abc\0def"), ErrorKind::Binary));
    }

    #[test]
    fn never_panics_on_odd_input() {
        let samples = [
            "date",
            "date ",
            "date 2",
            " date 2025-01-01",
            "date 2025-01-01\u{a0}é",
            "\u{feff}",
            "\u{feff}date 2025-01-01 X\nPhoto:",
            "date 2025-01-01 X\n\nPhoto: a\nPhoto: b\nEditor X Y",
            "date 2025-01-01 X\nPhoto: a",
            "é\nÉTÉ — x",
            "MOSCOW, February 31. /TASS/.",
            "A\r",
            "\r\n\r\nx",
            "date 2025-01-01 MOSCOW /",
            "date 2025-01-01 \n\nLONDON —",
        ];
        for s in samples {
            if let Ok(doc) = parse_text_file("t", "t", s.to_string()) {
                check_spans(&doc);
            }
        }
    }
}

#[cfg(test)]
mod fuzz {
    use super::*;

    /// Random texts built from tricky fragments never panic, and always
    /// give ordered, disjoint, trimmed spans on char boundaries.
    #[test]
    fn random_fragments() {
        const PARTS: &[&str] = &[
            "date ",
            " date 2025-01-02 ",
            "2025-02-30",
            "World Russia ",
            "\n",
            "\r\n",
            " ",
            "\u{feff}",
            "MOSCOW",
            ", February 11",
            ". /TASS/.",
            " (Reuters) -",
            " — ",
            "—",
            "Photo: x",
            "Trump (1)",
            "Author`s name Pavel Morozov",
            "Editor Dmitry Sudakov",
            "Editor:",
            "é",
            "“Quote,” he said.",
            "/",
            "(",
            ")",
            ".",
            ",",
            "-",
            "KYIV, Ukraine",
            "\t",
            "\u{a0}",
            "Sept. 3, 2024",
            "A",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let n = (next() % 14) as usize;
            let text: String = (0..n)
                .map(|_| PARTS[(next() % PARTS.len() as u64) as usize])
                .collect();
            if let Ok(doc) = parse_text_file("f", "f", text.clone()) {
                super::tests::check_spans(&doc);
                if let Some(d) = &doc.meta.dateline {
                    assert!(doc.text.get(d.span.range()).is_some());
                    assert!(doc.body.iter().all(|s| !s.overlaps(d.span)));
                }
            }
        }
    }
}
